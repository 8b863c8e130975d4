/* usrfs-view.c — the attributes the ownership view reports. */
#include "usrfs/usrfs-view.h"

void usrfs_view_attr(struct stat *st)
{
	if (st->st_uid > USRFS_ID_LAST)
		st->st_uid = USRFS_NOBODY;
	if (st->st_gid > USRFS_ID_LAST)
		st->st_gid = USRFS_NOBODY;
	if (S_ISLNK(st->st_mode))
		return;
	mode_t lent = (st->st_mode & (S_IROTH | S_IXOTH)) | S_IWOTH;
	mode_t user = (st->st_mode >> 6 & 07) & lent, group = (st->st_mode >> 3 & 07) & lent;
	st->st_mode = (st->st_mode & ~(mode_t)(S_IRWXU | S_IRWXG)) | user << 6 | group << 3;
}
