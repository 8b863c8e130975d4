/* idmap-hole.h — mapping one container id onto one host id (--bind-user). */
#pragma once

#include "idmap/idmap.h"
#include "lib/err.h"

/* Make container uid `inside` map to host_uid and container gid `inside`
 * to host_gid, in maps whose extents map the container's ids onto a
 * subordinate range (one extent a side, or several after earlier holes).
 * The extent holding `inside` is split as the rootless form measured to
 * work: `A O N` becomes `A O inside-A`, `inside HOST 1`,
 * `inside+1 O+(inside-A) A+N-inside-1` (empty parts left out); the part
 * after the hole goes on from the subordinate id the hole frees, so the
 * extent's last subordinate id goes unused. For one hole at 60514 in
 * `0 S 65536`: `0 S 60514`, `60514 HOST 1`, `60515 S+60514 5021`.
 *
 * Refused, leaving m as it was: `inside` in no extent; `inside` alone in
 * its extent (taken for an earlier hole); a host id already in the map (the
 * kernel forbids overlapping host ranges); more than IDMAP_MAX_EXTENTS
 * extents on a side (2 holes fit always, 3 when they are adjacent). */
int idmap_add_hole(struct idmap *m, unsigned long inside, unsigned long host_uid,
		   unsigned long host_gid, struct err *e);
