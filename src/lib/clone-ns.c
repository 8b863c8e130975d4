/* clone-ns.c — a child process in new namespaces, fork-like. */
#include "lib/clone-ns.h"

#include <errno.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

pid_t clone_ns(uint64_t flags)
{
	/* CLONE_PARENT takes the parent's exit signal and wants none given */
	unsigned sig = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
	struct clone_args args = { .flags = flags, .exit_signal = sig };
	pid_t pid = (pid_t)syscall(SYS_clone3, &args, sizeof args);
	if (pid >= 0 || errno != ENOSYS)
		return pid;
	/* a seccomp filter cannot look into clone3's struct, so container
	 * profiles refuse it outright and judge clone's flags instead */
	unsigned long f = (unsigned long)flags | sig;
#if defined(__s390__) || defined(__s390x__) || defined(__CRIS__)
	return (pid_t)syscall(SYS_clone, 0UL, f, NULL, NULL, 0UL);
#else
	return (pid_t)syscall(SYS_clone, f, 0UL, NULL, NULL, 0UL);
#endif
}
