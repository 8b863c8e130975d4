/* idmap-userns.h — root mode: a user namespace that exists only to carry
 * the mapping of an idmapped mount. */
#pragma once

#include "lib/err.h"

/* A user namespace whose uid and gid maps are the single lines
 * "host_uid outside_uid 1" and "host_gid outside_gid 1": on a mount
 * idmapped with it, files of host_uid show as kuid outside_uid. Returns an
 * fd to it (the namespace lives as long as the fd), or -errno with e set. */
int idmap_userns_one(unsigned long host_uid, unsigned long outside_uid, unsigned long host_gid,
		     unsigned long outside_gid, struct err *e);
