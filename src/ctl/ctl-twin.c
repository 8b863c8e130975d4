/* ctl-twin.c — finding a running twin by name, and its PID 1. */
#include "ctl/ctl.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define START_WAIT_MS 30000

/* PID 1 of a PID namespace below ours: its NSpid line ends in 1. */
static bool ns_init(pid_t pid)
{
	char path[64], line[256];
	bool found = false;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof line, f)) {
		if (strncmp(line, "NSpid:", 6) != 0)
			continue;
		char *last = strrchr(line, '\t');
		found = last && last != strchr(line, '\t') && atoi(last + 1) == 1;
		break;
	}
	fclose(f);
	return found;
}

/* The container's first process is the front's child (the builder
 * clones it with CLONE_PARENT); the front's other children are the
 * builder, the janitor and the server of /usr. */
static pid_t find_leader(pid_t front)
{
	char path[64], text[4096];
	snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)front, (int)front);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	for (char *tok = strtok(text, " \n"); tok; tok = strtok(NULL, " \n"))
		if (ns_init(atoi(tok)))
			return atoi(tok);
	return 0;
}

/* Until the first process pivots into the container's root it still sees
 * the host's, and has not finished the container's mounts: joining it
 * then would be joining a half-built box. */
static bool in_own_root(pid_t front, pid_t leader)
{
	char a[64], b[64];
	struct stat sa, sb;
	snprintf(a, sizeof a, "/proc/%d/root", (int)front);
	snprintf(b, sizeof b, "/proc/%d/root", (int)leader);
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && (sa.st_dev != sb.st_dev || sa.st_ino != sb.st_ino);
}

pid_t twin_leader(pid_t front)
{
	pid_t leader = find_leader(front);
	return leader > 0 && in_own_root(front, leader) ? leader : 0;
}

bool twin_takes(pid_t leader, int sig)
{
	char path[64], line[256];
	unsigned long long blocked = 0, caught = 0, bit = 1ULL << (sig - 1);
	snprintf(path, sizeof path, "/proc/%d/status", (int)leader);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof line, f)) {
		sscanf(line, "SigBlk: %llx", &blocked);
		sscanf(line, "SigCgt: %llx", &caught);
	}
	fclose(f);
	return (blocked | caught) & bit;
}

static int unknown(const char *name, const struct registry_entry *all, size_t n, struct err *e)
{
	char names[400] = "";
	size_t len = 0;
	for (size_t i = 0; i < n && len < sizeof names; i++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s", i ? ", " : "", all[i].name);
	if (n == 0)
		return err_set(e, ENOENT, "no twin named %s is running, nor any other of yours; start one with: volspawn -b -M %s", name, name);
	return err_set(e, ENOENT, "no twin named %s is running; yours are: %s", name, names);
}

/* 1: found and running; 0: found, still starting; < 0: not found. */
static int look(const char *name, struct twin *t, struct err *e)
{
	struct registry_entry *all;
	size_t n;
	int r = registry_list(&all, &n, e);
	if (r < 0)
		return r;
	r = unknown(name, all, n, e);
	for (size_t i = 0; i < n; i++) {
		if (strcmp(all[i].name, name) != 0)
			continue;
		twin_free(t);
		t->entry = all[i];
		t->entry.tree = strdup(all[i].tree);
		t->leader = twin_leader(t->entry.front);
		r = t->entry.tree && t->leader > 0 ? 1 : 0;
		*e = (struct err){ 0 };
	}
	registry_entries_free(all, n);
	return r;
}

int twin_find(const char *name, struct twin *t, struct err *e)
{
	*t = (struct twin){ 0 };
	for (int waited = 0;; waited += 50) {
		int r = look(name, t, e);
		if (r != 0)
			return r < 0 ? r : 0;
		if (waited >= START_WAIT_MS)
			break;
		struct timespec pause = { 0, 50 * 1000000L };
		nanosleep(&pause, NULL);
	}
	twin_free(t);
	return err_set(e, EAGAIN, "%s is still starting after %d s; try again in a moment", name, START_WAIT_MS / 1000);
}

void twin_free(struct twin *t)
{
	free(t->entry.tree);
	*t = (struct twin){ 0 };
}
