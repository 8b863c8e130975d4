/* libmount.h — util-linux's libmount, loaded with dlopen where it is
 * needed: linked, it (with libblkid, libselinux and libpcre2) would cost
 * every start of volspawn about 0.3 ms (README, Speed). */
#pragma once

#include <libmount.h>

/* The calls volspawn makes, resolved from libmount.so.1. */
struct libmount {
	void *dl;
	__typeof__(mnt_split_optstr) *split_optstr;
	__typeof__(mnt_optstr_get_flags) *optstr_get_flags;
	__typeof__(mnt_optstr_next_option) *optstr_next_option;
	__typeof__(mnt_get_builtin_optmap) *get_builtin_optmap;
	__typeof__(mnt_new_table) *new_table;
	__typeof__(mnt_unref_table) *unref_table;
	__typeof__(mnt_table_parse_stream) *table_parse_stream;
	__typeof__(mnt_new_iter) *new_iter;
	__typeof__(mnt_free_iter) *free_iter;
	__typeof__(mnt_table_next_fs) *table_next_fs;
	__typeof__(mnt_fs_get_fstype) *fs_get_fstype;
	__typeof__(mnt_fs_get_root) *fs_get_root;
	__typeof__(mnt_fs_get_target) *fs_get_target;
};

/* Load it (again: after the first time a reference count is all it
 * costs). -ELIBACC when it cannot be loaded or lacks a call. */
int libmount_open(struct libmount *m);
void libmount_close(struct libmount *m);

/* Load it for good, where waiting costs nothing (the builder, while the
 * id maps are written), so that later libmount_open calls are cheap. */
void libmount_preload(void);
