/* ctl-list.c — volspawnctl list: the user's running twins, as a table or,
 * with -o json, as machinectl's JSON array. */
#include "ctl/ctl.h"
#include "lib/json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void since_text(uint64_t usec, char *out, size_t size)
{
	time_t t = (time_t)(usec / 1000000);
	struct tm tm;
	if (!localtime_r(&t, &tm) || !strftime(out, size, "%a %Y-%m-%d %H:%M:%S %Z", &tm))
		snprintf(out, size, "-");
}

static void table(const struct registry_entry *all, size_t n, bool legend)
{
	int w = (int)strlen("MACHINE");
	for (size_t i = 0; i < n; i++)
		w = (int)strlen(all[i].name) > w ? (int)strlen(all[i].name) : w;
	if (legend && n == 0) {
		printf("No twins.\n");
		return;
	}
	if (legend)
		printf("%-*s %-7s %-7s %-28s %s\n", w, "MACHINE", "LEADER", "MODE", "SINCE", "TREE");
	for (size_t i = 0; i < n; i++) {
		char since[64], leader[16] = "-";
		pid_t pid = twin_leader(all[i].front);
		if (pid > 0)
			snprintf(leader, sizeof leader, "%d", (int)pid);
		since_text(all[i].since_usec, since, sizeof since);
		printf("%-*s %-7s %-7s %-28s %s\n", w, all[i].name, leader, all[i].boot ? "boot" : "command", since, all[i].tree);
	}
	if (legend)
		printf("\n%zu twin%s listed.\n", n, n == 1 ? "" : "s");
}

/* machinectl's keys where they mean the same; a leader not yet running is null. */
static void json(const struct registry_entry *all, size_t n, bool pretty)
{
	const char *nl = pretty ? "\n" : "", *ind = pretty ? "\t" : "", *sp = pretty ? " " : "";
	printf("[%s", nl);
	for (size_t i = 0; i < n; i++) {
		pid_t pid = twin_leader(all[i].front);
		printf("%s{%s%s\"machine\":%s", ind, nl, ind, sp);
		json_write_string(stdout, all[i].name);
		printf(",%s%s\"class\":%s\"container\",%s%s\"service\":%s\"volspawn\",%s%s\"leader\":%s", nl, ind, sp, nl, ind,
		       sp, nl, ind, sp);
		if (pid > 0)
			printf("%d", (int)pid);
		else
			printf("null");
		printf(",%s%s\"mode\":%s\"%s\",%s%s\"since\":%s%" PRIu64 ",%s%s\"tree\":%s", nl, ind, sp,
		       all[i].boot ? "boot" : "command", nl, ind, sp, all[i].since_usec, nl, ind, sp);
		json_write_string(stdout, all[i].tree);
		printf("%s%s}%s%s", nl, ind, i + 1 < n ? "," : "", nl);
	}
	printf("]\n");
}

int ctl_list(const struct ctl_opts *o)
{
	struct registry_entry *all;
	size_t n;
	struct err e = { 0 };
	if (registry_list(&all, &n, &e) < 0) {
		ctl_print(&e);
		return 1;
	}
	if (strncmp(o->output, "json", 4) == 0)
		json(all, n, strcmp(o->output, "json-pretty") == 0);
	else
		table(all, n, !o->no_legend);
	registry_entries_free(all, n);
	return 0;
}
