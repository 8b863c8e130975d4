/* seccomp-run.c — run a program under a seccomp filter like a container
 * runtime's default profile, for bats/errors.bats.
 *
 * Usage: seccomp-run [--deny-userns] PROGRAM [ARGS...]
 *
 * clone3 fails with ENOSYS, as under Docker's and podman's profiles
 * (seccomp cannot read clone3's flags, so they refuse it whole and make
 * libc fall back to clone). --deny-userns also makes clone and unshare
 * with CLONE_NEWUSER fail with EPERM, as those profiles do without
 * CAP_SYS_ADMIN. Run as root, it installs the filter without setting
 * no_new_privs, so a runuser under it still gets newuidmap's setuid bit;
 * otherwise it sets no_new_privs, which an unprivileged filter needs. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define ARCH AUDIT_ARCH_AARCH64
#else
#error "seccomp-run: add this architecture's AUDIT_ARCH_ value"
#endif

/* args[0]'s low 32 bits on a little-endian machine, where the CLONE_ flags are */
#define ARG0_LOW offsetof(struct seccomp_data, args[0])

int main(int argc, char **argv)
{
	int deny = argc > 1 && strcmp(argv[1], "--deny-userns") == 0;
	if (argc < 2 + deny) {
		fprintf(stderr, "usage: seccomp-run [--deny-userns] PROGRAM [ARGS...]\n");
		return 2;
	}
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone3, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		/* without --deny-userns, on to the last ALLOW */
		BPF_STMT(BPF_JMP | BPF_JA, deny ? 0 : 5),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_unshare, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, ARG0_LOW),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0 &&
	    (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)) {
		perror("seccomp-run: cannot install the filter");
		return 2;
	}
	execvp(argv[1 + deny], argv + 1 + deny);
	fprintf(stderr, "seccomp-run: cannot run %s: %s\n", argv[1 + deny], strerror(errno));
	return 127;
}
