/* supervise.c — the front while the container runs: its messages, the
 * console relay, signals and how they stop it, and the exit status. */
#include "front/front-state.h"
#include "front/ownership.h"
#include "front/userns-check.h"
#include "lib/channel.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child mounted /usr and handed us its connection and the tree's
 * usr it opened: serve that. */
static void serve_usr(struct front *f, const int fds[CHANNEL_MAX_FDS])
{
	if (fds[1] < 0 || ownership_start_server(f->usrfs, fds[0], fds[1], &f->usrfs_pid, &f->err) < 0)
		kill(f->pid, SIGKILL);
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* A server that dies leaves /usr unanswered: the container is stopped. */
static void check_usr_server(struct front *f)
{
	if (ownership_server_failed(&f->usrfs_pid, &f->err))
		kill(f->pid, SIGKILL);
}

static void on_message(struct front *f)
{
	int fds[CHANNEL_MAX_FDS], pid, status, type = channel_recv_fds(f->sock, fds, &pid, &f->err), fd = fds[0];
	if (type == MSG_USRFS && fd >= 0) {
		serve_usr(f, fds);
		return;
	}
	if (fds[1] >= 0)
		close(fds[1]);
	if (type == MSG_STARTED) {   /* the builder is done; the container is our child now */
		while (waitpid(f->pid, &status, 0) < 0 && errno == EINTR)
			;
		f->pid = pid;
		if (f->aborted_by)   /* the builder was stopped after it started it */
			kill(f->pid, SIGKILL);
		return;
	}
	if (type == MSG_READY) {
		struct console_opts o = CONSOLE_OPTS_STDIO;
		o.quiet = f->cfg->quiet;
		f->ready = true;
		if (fd >= 0 && console_start(&f->con, fd, f->cfg->console, &o, &f->err) < 0)
			kill(f->pid, SIGKILL);
		return;
	}
	if (fd >= 0)
		close(fd);
	if (type == MSG_ERROR && f->err.code == EPERM && !f->root && userns_apparmor_restricted("/proc/sys"))
		userns_explain("/proc/sys", EPERM, &f->err);
	close(f->sock);   /* an error, or the child went away */
	f->sock = -1;
}

/* Whether a booted init takes sig yet: systemd blocks it for its
 * signalfd, a shell traps it. Until then the kernel drops it, as it drops
 * every signal without a handler sent to a PID namespace's init. */
static bool init_takes(pid_t pid, int sig)
{
	char path[64], line[256];
	unsigned long long blocked = 0, caught = 0, bit = 1ULL << (sig - 1);
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return true;   /* gone: nothing to wait for */
	while (fgets(line, sizeof line, f)) {
		sscanf(line, "SigBlk: %llx", &blocked);
		sscanf(line, "SigCgt: %llx", &caught);
	}
	fclose(f);
	return (blocked | caught) & bit;
}

/* A clean stop waits until init can take it, however long that is: the
 * poll comes back to it every 50 ms. */
static void send_stop(struct front *f)
{
	f->stop_pending = !init_takes(f->pid, SIGRTMIN + 3);
	if (!f->stop_pending)
		kill(f->pid, SIGRTMIN + 3);
}

/* The first SIGTERM/SIGINT asks the container to stop (a booted init by
 * SIGRTMIN+3, its clean shutdown; also when our terminal hangs up, as
 * SIGHUP would mean "reload" to systemd), the second kills it. In command
 * mode SIGHUP goes on to the command as a shell passes it; a terminal's ^C
 * too, as the container is a session of its own. */
static void on_signal(struct front *f, const struct signalfd_siginfo *si)
{
	int sig = (int)si->ssi_signo;
	if (sig == SIGWINCH) {
		console_winch(&f->con);
		return;
	}
	if (!f->ready) {   /* nothing runs yet that could stop cleanly */
		f->aborted_by = sig;
		kill(f->pid, SIGKILL);
		return;
	}
	if (sig == SIGTERM || sig == SIGINT || (sig == SIGHUP && f->cfg->boot))
		f->stop_signals++;
	if (f->stop_signals > 1)
		kill(f->pid, SIGKILL);
	else if (f->cfg->boot)
		send_stop(f);
	else
		kill(f->pid, sig);
}

/* How a booted init ended, as systemd-nspawn reads it: reboot(2) in a PID
 * namespace kills its init with SIGHUP (reboot) or SIGINT (halt, poweroff). */
static int boot_status(struct front *f, int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status) == 133 ? 1 : WEXITSTATUS(status);
	if (WTERMSIG(status) == SIGINT)
		return 0;
	if (WTERMSIG(status) == SIGHUP && f->stop_signals == 0) {
		f->reboot = true;
		return 0;
	}
	return 1;
}

static int exit_status(struct front *f, int status)
{
	if (f->aborted_by)
		return 128 + f->aborted_by;
	if (!f->ready) {
		if (!f->err.code)
			err_set(&f->err, EIO, "the container's setup ended unexpectedly (status %d)",
				WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return 1;
	}
	if (f->cfg->boot)
		return boot_status(f, status);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The console's bytes; ^]^]^] kills the container. */
static void relay(struct front *f, struct pollfd *p, int n)
{
	int r = console_dispatch(&f->con, p, n, &f->err);
	if (r == CONSOLE_ESCAPE || r < 0)
		kill(f->pid, SIGKILL);
	if (r == CONSOLE_ESCAPE)
		f->stop_signals++;   /* a kill asked for, not a crash */
	if (console_hung_up(&f->con) && !f->hung_up) {
		struct signalfd_siginfo si = { .ssi_signo = SIGHUP };
		f->hung_up = true;
		on_signal(f, &si);
	}
}

int supervise(struct front *f)
{
	for (;;) {
		struct pollfd p[2 + CONSOLE_POLLFDS + CONSOLE_STDIO_POLLFDS] = { { f->sigfd, POLLIN, 0 }, { f->sock, POLLIN, 0 } };
		int n = console_pollfds(&f->con, p + 2, CONSOLE_POLLFDS), timeout = console_timeout_ms(&f->con);
		int m = console_stdio_pollfds(&f->stdio, p + 2 + n, CONSOLE_STDIO_POLLFDS), t = console_stdio_timeout_ms(&f->stdio);
		if (t >= 0 && (timeout < 0 || timeout > t))
			timeout = t;
		if (f->stop_pending && (timeout < 0 || timeout > 50))
			timeout = 50;
		if (poll(p, (nfds_t)(2 + n + m), timeout) < 0 && errno != EINTR)
			return err_sys(&f->err, errno, "poll");
		if (f->stop_pending)
			send_stop(f);
		if (f->sock >= 0 && p[1].revents)
			on_message(f);
		relay(f, p + 2, n);
		console_stdio_dispatch(&f->stdio, p + 2 + n, m);
		if (!(p[0].revents & POLLIN))
			continue;
		struct signalfd_siginfo si;
		if (read(f->sigfd, &si, sizeof si) != sizeof si)
			continue;
		if (si.ssi_signo != SIGCHLD) {
			on_signal(f, &si);
			continue;
		}
		int status;
		if (waitpid(f->pid, &status, WNOHANG) == f->pid) {
			while (f->sock >= 0)   /* a last message may still be queued */
				on_message(f);
			console_stop(&f->con);   /* the container's last words, and our terminal back */
			return exit_status(f, status);
		}
		check_usr_server(f);
	}
}
