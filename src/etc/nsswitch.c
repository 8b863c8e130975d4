/* nsswitch.c — making nsswitch.conf consult nss-systemd, which serves the
 * users and groups volspawn puts in /run/host/userdb. Pure text work. */
#include "etc/etc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The databases that must list systemd, in the order missing lines are added. */
static const char *const databases[] = { "passwd", "group", "shadow" };
#define N_DB (sizeof databases / sizeof databases[0])

/* For a host without nsswitch.conf: glibc's defaults, plus systemd. */
static const char minimal[] =
	"passwd: files systemd\n"
	"group: files systemd\n"
	"shadow: files systemd\n"
	"gshadow: files\n"
	"hosts: files dns\n"
	"networks: files\n"
	"protocols: files\n"
	"services: files\n"
	"ethers: files\n"
	"rpc: files\n";

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* Whether the service list [p, end) names systemd; "[STATUS=action]"
 * items are not services. */
static bool lists_systemd(const char *p, const char *end)
{
	while (p < end) {
		if (blank(*p)) {
			p++;
		} else if (*p == '[') {
			const char *close = memchr(p, ']', (size_t)(end - p));
			p = close ? close + 1 : end;
		} else {
			const char *word = p;
			while (p < end && !blank(*p) && *p != '[')
				p++;
			if (p - word == 7 && !memcmp(word, "systemd", 7))
				return true;
		}
	}
	return false;
}

/* Where the service list [p, end) stops being one: at a "[" that no "]"
 * closes (glibc refuses the line; a " systemd" after it would be part of
 * the broken action, and added again on every patch), else end. */
static const char *unclosed_bracket(const char *p, const char *end)
{
	for (; p < end; p++)
		if (*p == '[') {
			const char *close = memchr(p, ']', (size_t)(end - p));
			if (!close)
				return p;
			p = close;
		}
	return end;
}

/* The index in databases of the line's database, or -1; *services gets
 * where its service list starts. Leading blanks are allowed, as glibc does. */
static int line_database(const char *p, const char *end, const char **services)
{
	while (p < end && blank(*p))
		p++;
	const char *name = p;
	while (p < end && *p != ':' && !blank(*p) && *p != '#')
		p++;
	size_t n = (size_t)(p - name);
	while (p < end && blank(*p))
		p++;
	if (p == end || *p != ':')
		return -1;
	*services = p + 1;
	for (size_t i = 0; i < N_DB; i++)
		if (strlen(databases[i]) == n && !memcmp(name, databases[i], n))
			return (int)i;
	return -1;
}

/* One line, without its newline: " systemd" goes after the last service,
 * before trailing blanks and any comment ('#' starts one anywhere). */
static void patch_line(FILE *m, const char *line, const char *end, bool seen[N_DB])
{
	const char *services;
	int db = line_database(line, end, &services);
	if (db < 0) {
		fwrite(line, 1, (size_t)(end - line), m);
		return;
	}
	seen[db] = true;
	const char *hash = memchr(services, '#', (size_t)(end - services));
	const char *stop = unclosed_bracket(services, hash ? hash : end);
	while (stop > services && blank(stop[-1]))
		stop--;
	if (lists_systemd(services, stop)) {
		fwrite(line, 1, (size_t)(end - line), m);
		return;
	}
	fwrite(line, 1, (size_t)(stop - line), m);
	/* an empty list means glibc's default, files: keep it ahead of systemd */
	fputs(stop == services ? " files systemd" : " systemd", m);
	fwrite(stop, 1, (size_t)(end - stop), m);
}

static void patch(FILE *m, const char *in, size_t len)
{
	bool seen[N_DB] = { false };
	const char *p = in, *end = in + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		patch_line(m, p, eol, seen);
		if (nl)
			fputc('\n', m);
		p = eol + (nl != NULL);
	}
	if (len && in[len - 1] != '\n')
		fputc('\n', m);
	for (size_t i = 0; i < N_DB; i++)
		if (!seen[i])
			fprintf(m, "%s: files systemd\n", databases[i]);
}

int etc_nsswitch_patch(const char *in, size_t len, char **out, struct err *e)
{
	size_t size;
	*out = NULL;
	FILE *m = open_memstream(out, &size);
	if (!m)
		return err_sys(e, errno, "cannot build /etc/nsswitch.conf");
	if (in)
		patch(m, in, len);
	else
		fputs(minimal, m);
	/* a memstream fails only for memory, and says so at fflush/fclose */
	bool bad = ferror(m);
	if (fclose(m) != 0 || bad) {
		free(*out);
		*out = NULL;
		return err_set(e, ENOMEM, "cannot build /etc/nsswitch.conf: out of memory");
	}
	return 0;
}
