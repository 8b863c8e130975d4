/* mount-options.h — a mount option string, as mount(8) takes it
 * ("mode=0755,size=10%,nosuid", `context="a,b"`), read by libmount. */
#pragma once

#include <stdint.h>

/* One filesystem option: key and its value, NULL for a flag. */
typedef int mount_option_fn(void *ctx, const char *key, const char *value);

/* Read options: the VFS flags among them (ro, nosuid, nodev, noexec, the
 * atime ones, nosymfollow) become MOUNT_ATTR_* bits added to *attr; "rw",
 * "suid", "defaults" and the like change nothing; the superblock flags
 * sync, dirsync and lazytime, and every other option, go to each in
 * order, a value's surrounding double quotes dropped. A comma inside
 * double quotes does not split. NULL or "" is no option at all.
 * Returns 0, each's first negative return, -EINVAL for an open quote, an
 * option too long for a mount (a key of 128 bytes, a value of 1024), or a
 * flag that is no mount's (bind, remount...), -ELIBACC without libmount. */
int mount_options_parse(const char *options, uint64_t *attr, mount_option_fn *each, void *ctx);

/* The same into a new *pairs of key, value (NULL for a flag) ending in a
 * NULL key, as fs_new takes them; free it with mount_options_free. */
int mount_options_split(const char *options, char ***pairs, uint64_t *attr);
void mount_options_free(char **pairs);
