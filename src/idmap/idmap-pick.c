/* idmap-pick.c — root mode: choosing a free UID range and locking it. */
#include "idmap/idmap.h"
#include "idmap/subid.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

/* Shared with systemd-nspawn, so the two never hand out the same range. */
#define LOCK_DIR "/run/systemd/nspawn-uid"
#define BASE_MIN 0x00080000UL
#define BASE_MAX 0x6FFF0000UL
#define TRIES 100

static bool id_known(unsigned long id)
{
	return getpwuid((uid_t)id) || getgrgid((gid_t)id);
}

/* Ranges given to users for their own rootless containers are theirs. */
static bool in_subid_file(const char *file, unsigned long base)
{
	FILE *f = fopen(file, "re");
	if (!f)
		return false;
	bool hit = subid_overlaps(f, base, IDMAP_SIZE);
	fclose(f);
	return hit;
}

static bool base_usable(unsigned long base)
{
	return !id_known(base) && !id_known(base + IDMAP_SIZE - 2) &&
	       !in_subid_file("/etc/subuid", base) && !in_subid_file("/etc/subgid", base);
}

/* Returns the locked fd, or -EBUSY when the range is in use. */
static int try_lock(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	struct stat st;
	if (fd < 0)
		return -errno;
	if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fstat(fd, &st) < 0 || st.st_nlink == 0) {
		/* a holder that released unlinks the file; ours would be stale */
		close(fd);
		return -EBUSY;
	}
	return fd;
}

static unsigned long candidate(const char *machine, int attempt)
{
	uint32_t x = 2166136261u;
	if (attempt == 0 && machine)
		for (const char *c = machine; *c; c++)
			x = (x ^ (unsigned char)*c) * 16777619u;
	else if (getrandom(&x, sizeof x, 0) != sizeof x)
		x = (uint32_t)rand();
	return ((x % (BASE_MAX - BASE_MIN)) + BASE_MIN) & ~0xFFFFUL;
}

int idmap_pick(struct idmap *m, const char *machine, struct err *e)
{
	char path[64];
	if (mkdir("/run/systemd", 0755) < 0 && errno != EEXIST)
		return err_sys(e, errno, "cannot create /run/systemd for the UID range locks");
	if (mkdir(LOCK_DIR, 0755) < 0 && errno != EEXIST)
		return err_sys(e, errno, "cannot create %s", LOCK_DIR);
	for (int i = 0; i < TRIES; i++) {
		unsigned long base = candidate(machine, i);
		if (!base_usable(base))
			continue;
		snprintf(path, sizeof path, LOCK_DIR "/%lu", base);
		int fd = try_lock(path);
		if (fd == -EBUSY)
			continue;
		if (fd < 0)
			return err_sys(e, -fd, "cannot lock %s", path);
		*m = (struct idmap){ .n_uid = 1, .n_gid = 1, .lock_fd = fd, .lock_path = strdup(path) };
		m->uid[0] = m->gid[0] = (struct id_extent){ 0, base, IDMAP_SIZE };
		return 0;
	}
	return err_set(e, EBUSY, "found no free UID range of %lu ids after %d tries", IDMAP_SIZE, TRIES);
}

void idmap_release(struct idmap *m)
{
	if (m->lock_fd < 0)
		return;
	if (m->lock_path)
		unlink(m->lock_path);
	close(m->lock_fd);
	free(m->lock_path);
	m->lock_fd = -1;
	m->lock_path = NULL;
}
