/* libmount.c — loading libmount when it is needed. */
#include "lib/libmount.h"

#include <dlfcn.h>
#include <errno.h>

#define LIBMOUNT "libmount.so.1"
#define RESOLVE(m, field, name) ((m)->field = (__typeof__((m)->field))dlsym((m)->dl, name))

int libmount_open(struct libmount *m)
{
	m->dl = dlopen(LIBMOUNT, RTLD_NOW | RTLD_LOCAL);
	if (!m->dl)
		return -ELIBACC;
	if (RESOLVE(m, split_optstr, "mnt_split_optstr") && RESOLVE(m, optstr_get_flags, "mnt_optstr_get_flags") &&
	    RESOLVE(m, optstr_next_option, "mnt_optstr_next_option") &&
	    RESOLVE(m, get_builtin_optmap, "mnt_get_builtin_optmap") && RESOLVE(m, new_table, "mnt_new_table") &&
	    RESOLVE(m, unref_table, "mnt_unref_table") && RESOLVE(m, table_parse_stream, "mnt_table_parse_stream") &&
	    RESOLVE(m, new_iter, "mnt_new_iter") && RESOLVE(m, free_iter, "mnt_free_iter") &&
	    RESOLVE(m, table_next_fs, "mnt_table_next_fs") && RESOLVE(m, fs_get_fstype, "mnt_fs_get_fstype") &&
	    RESOLVE(m, fs_get_root, "mnt_fs_get_root") && RESOLVE(m, fs_get_target, "mnt_fs_get_target"))
		return 0;
	libmount_close(m);
	return -ELIBACC;
}

void libmount_close(struct libmount *m)
{
	if (m->dl)
		dlclose(m->dl);
	m->dl = NULL;
}

void libmount_preload(void)
{
	/* never closed: the reference keeps it loaded until we exec */
	(void)dlopen(LIBMOUNT, RTLD_NOW | RTLD_LOCAL);
}
