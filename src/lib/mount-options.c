/* mount-options.c — mount option strings through libmount: its table of
 * the kernel's VFS flags splits them from the filesystem's own options. */
#include "lib/mount-options.h"
#include "lib/libmount.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#define KEY_MAX 128
#define VALUE_MAX 1024

/* MS_* flags libmount reads, as mount attributes or superblock flags. */
static const struct { unsigned long ms; uint64_t attr; const char *sb; } vfs[] = {
	{ MS_RDONLY, MOUNT_ATTR_RDONLY, NULL }, { MS_NOSUID, MOUNT_ATTR_NOSUID, NULL },
	{ MS_NODEV, MOUNT_ATTR_NODEV, NULL }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC, NULL },
	{ MS_NOATIME, MOUNT_ATTR_NOATIME, NULL }, { MS_RELATIME, MOUNT_ATTR_RELATIME, NULL },
	{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME, NULL }, { MS_NODIRATIME, MOUNT_ATTR_NODIRATIME, NULL },
	{ MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW, NULL },
	{ MS_SYNCHRONOUS, 0, "sync" }, { MS_DIRSYNC, 0, "dirsync" }, { MS_LAZYTIME, 0, "lazytime" },
};

/* libmount takes an unclosed quote for the end of the string */
static bool quotes_closed(const char *s)
{
	bool open = false;
	for (; *s; s++)
		open ^= *s == '"';
	return !open;
}

static int vfs_flags(const struct libmount *m, const char *opts, uint64_t *attr, mount_option_fn *each, void *ctx)
{
	unsigned long flags = 0;
	if (!opts)
		return 0;
	if (m->optstr_get_flags(opts, &flags, m->get_builtin_optmap(MNT_LINUX_MAP)) < 0)
		return -EINVAL;
	for (size_t i = 0; i < sizeof vfs / sizeof vfs[0]; i++) {
		if (!(flags & vfs[i].ms))
			continue;
		flags &= ~vfs[i].ms;
		*attr |= vfs[i].attr;
		int r = vfs[i].sb ? each(ctx, vfs[i].sb, NULL) : 0;
		if (r < 0)
			return r;
	}
	return flags ? -EINVAL : 0;   /* bind, remount, move...: no filesystem's option */
}

/* name=value, the value's quotes dropped, as C strings for each. */
static int one(const char *name, size_t nsz, const char *value, size_t vsz, mount_option_fn *each, void *ctx)
{
	char key[KEY_MAX], val[VALUE_MAX];
	if (value && vsz >= 2 && value[0] == '"' && value[vsz - 1] == '"')
		value++, vsz -= 2;
	if (nsz >= sizeof key || (value && vsz >= sizeof val))
		return -EINVAL;
	memcpy(key, name, nsz);
	key[nsz] = '\0';
	if (value) {
		memcpy(val, value, vsz);
		val[vsz] = '\0';
	}
	return each(ctx, key, value ? val : NULL);
}

static int fs_options(const struct libmount *m, char *opts, mount_option_fn *each, void *ctx)
{
	char *p = opts, *name, *value;
	size_t nsz, vsz;
	int r = 0;
	while (p && (r = m->optstr_next_option(&p, &name, &nsz, &value, &vsz)) == 0)
		if ((r = one(name, nsz, value, vsz, each, ctx)) < 0)
			return r;
	return r < 0 ? -EINVAL : 0;
}

int mount_options_parse(const char *options, uint64_t *attr, mount_option_fn *each, void *ctx)
{
	struct libmount m;
	char *user_part = NULL, *vfs_part = NULL, *fs_part = NULL;
	if (!options || !*options)
		return 0;
	if (!quotes_closed(options))
		return -EINVAL;
	int r = libmount_open(&m);
	if (r < 0)
		return r;
	if (m.split_optstr(options, &user_part, &vfs_part, &fs_part, 0, 0) < 0)
		r = -EINVAL;
	if (r == 0)
		r = vfs_flags(&m, vfs_part, attr, each, ctx);
	if (r == 0)
		r = fs_options(&m, fs_part, each, ctx);
	/* mount(8)'s own (noauto, x-*...): the filesystem will refuse them */
	if (r == 0)
		r = fs_options(&m, user_part, each, ctx);
	free(user_part);
	free(vfs_part);
	free(fs_part);
	libmount_close(&m);
	return r;
}

struct pairs {
	char **v;
	size_t n;   /* strings, values and NULL flags counted */
};

static int add_pair(void *ctx, const char *key, const char *value)
{
	struct pairs *p = ctx;
	char **v = realloc(p->v, (p->n + 3) * sizeof *v);
	if (!v)
		return -ENOMEM;
	p->v = v;
	v[p->n] = strdup(key);
	v[p->n + 1] = value ? strdup(value) : NULL;
	v[p->n + 2] = NULL;
	if (!v[p->n] || (value && !v[p->n + 1])) {
		free(v[p->n]);
		free(v[p->n + 1]);
		v[p->n] = NULL;
		return -ENOMEM;
	}
	p->n += 2;
	return 0;
}

int mount_options_split(const char *options, char ***pairs, uint64_t *attr)
{
	struct pairs p = { calloc(1, sizeof *p.v), 0 };
	int r = p.v ? mount_options_parse(options, attr, add_pair, &p) : -ENOMEM;
	if (r < 0) {
		mount_options_free(p.v);
		p.v = NULL;
	}
	*pairs = p.v;
	return r;
}

void mount_options_free(char **pairs)
{
	for (size_t i = 0; pairs && pairs[i]; i += 2) {
		free(pairs[i]);
		free(pairs[i + 1]);
	}
	free(pairs);
}
