/* clone-ns.h — a child process in new namespaces, fork-like. */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* clone3 with these CLONE_* flags (no stack: the child continues here, as
 * after fork), falling back to clone where a seccomp profile answers
 * ENOSYS to clone3, as Docker's and podman's default profiles do. Exits
 * with SIGCHLD (unless CLONE_PARENT, which takes the parent's). Returns
 * the pid, 0 in the child, or -1 with errno set. */
pid_t clone_ns(uint64_t flags);
