/* seccomp-run.c — run a program under a seccomp filter like a container
 * runtime's default profile, for bats/errors.bats and bats/security.bats.
 *
 * Usage: seccomp-run [--deny-userns] [--deny-keyctl] [--deny-seccomp] PROGRAM [ARGS...]
 *
 * clone3 fails with ENOSYS, as under Docker's and podman's profiles
 * (seccomp cannot read clone3's flags, so they refuse it whole and make
 * libc fall back to clone). --deny-userns also makes clone and unshare
 * with CLONE_NEWUSER fail with EPERM, as those profiles do without
 * CAP_SYS_ADMIN. --deny-keyctl makes keyctl fail with EPERM, as
 * systemd-nspawn's and Docker's profiles do, and nothing else of the
 * keyring calls (add_key and request_key stay allowed: a filter of that
 * kind leaves them to the program's own care). --deny-seccomp makes
 * seccomp(2) and prctl(PR_SET_SECCOMP) fail with EPERM, so that no
 * further filter can be set. Run as root, it installs the filter without
 * setting no_new_privs, so a runuser under it still gets newuidmap's
 * setuid bit; otherwise it sets no_new_privs, which an unprivileged
 * filter needs. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdbool.h>
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
#define LD(where) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (where))
#define RET(what) BPF_STMT(BPF_RET | BPF_K, (what))
#define ERRNO(e) RET(SECCOMP_RET_ERRNO | (e))
/* nr (loaded) is n: go on to the next instruction, else skip `skip` */
#define IF_NR(n, skip) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, (skip))

struct program {
	struct sock_filter f[64];
	unsigned short n;
};

static void append(struct program *p, struct sock_filter s)
{
	p->f[p->n++] = s;
}
#define add(p, s) append((p), (struct sock_filter)s)

/* Each rule starts with the number loaded and leaves it so. */
static void build(struct program *p, bool userns, bool keyctl, bool seccomp)
{
	add(p, LD(offsetof(struct seccomp_data, arch)));
	add(p, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ARCH, 1, 0));
	add(p, RET(SECCOMP_RET_ALLOW));
	add(p, LD(offsetof(struct seccomp_data, nr)));
	add(p, IF_NR(__NR_clone3, 1));
	add(p, ERRNO(ENOSYS));
	if (keyctl) {
		add(p, IF_NR(__NR_keyctl, 1));
		add(p, ERRNO(EPERM));
	}
	if (seccomp) {
		add(p, IF_NR(__NR_seccomp, 1));
		add(p, ERRNO(EPERM));
		add(p, IF_NR(__NR_prctl, 4));
		add(p, LD(ARG0_LOW));
		add(p, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PR_SET_SECCOMP, 0, 1));
		add(p, ERRNO(EPERM));
		add(p, LD(offsetof(struct seccomp_data, nr)));
	}
	if (userns) {
		add(p, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clone, 1, 0));
		add(p, IF_NR(__NR_unshare, 3));
		add(p, LD(ARG0_LOW));
		add(p, BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1));
		add(p, ERRNO(EPERM));
	}
	add(p, RET(SECCOMP_RET_ALLOW));
}

int main(int argc, char **argv)
{
	bool userns = false, keyctl = false, seccomp = false;
	int i = 1;
	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--deny-userns"))
			userns = true;
		else if (!strcmp(argv[i], "--deny-keyctl"))
			keyctl = true;
		else if (!strcmp(argv[i], "--deny-seccomp"))
			seccomp = true;
		else
			break;
	}
	if (i >= argc || !strncmp(argv[i], "--", 2)) {
		fprintf(stderr, "usage: seccomp-run [--deny-userns] [--deny-keyctl] [--deny-seccomp] PROGRAM [ARGS...]\n");
		return 2;
	}
	struct program p = { .n = 0 };
	build(&p, userns, keyctl, seccomp);
	struct sock_fprog prog = { .len = p.n, .filter = p.f };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0 &&
	    (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)) {
		perror("seccomp-run: cannot install the filter");
		return 2;
	}
	execvp(argv[i], argv + i);
	fprintf(stderr, "seccomp-run: cannot run %s: %s\n", argv[i], strerror(errno));
	return 127;
}
