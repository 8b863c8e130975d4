/* keyring.c — the session keyring the container inherits is the user's,
 * and a keyring is possessed by whoever holds it, whatever its uid: were
 * it kept, container root could read the user's keys and add or replace
 * some. So the container's first process joins a new, empty one. Under a
 * seccomp filter that refuses keyctl (systemd-nspawn's default, Docker's)
 * none can be joined; the user's keyring then stays the container's, and
 * what keeps the container from it is a filter of its own that refuses
 * keyctl, add_key and request_key to everything inside, whatever the
 * outer filter lets through (one refusing keyctl alone leaves add_key
 * free to replace a key's payload). */
#include "inside/keyring.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/keyctl.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Each ABI a process may call the kernel through, with its numbers of
 * add_key, request_key and keyctl. */
#if defined(__x86_64__)
#define NATIVE AUDIT_ARCH_X86_64
#define COMPAT AUDIT_ARCH_I386
#define COMPAT_ADD_KEY 286
#define COMPAT_REQUEST_KEY 287
#define COMPAT_KEYCTL 288
#define NR_MASK (~0x40000000U)   /* x32 numbers are the native ones with this bit */
#elif defined(__aarch64__)
#define NATIVE AUDIT_ARCH_AARCH64
#define COMPAT AUDIT_ARCH_ARM
#define COMPAT_ADD_KEY 309
#define COMPAT_REQUEST_KEY 310
#define COMPAT_KEYCTL 311
#define NR_MASK (~0U)
#else
#error "keyring.c: add this architecture's AUDIT_ARCH_ values and keyring syscall numbers"
#endif

#define LD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define REFUSE BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)
/* three numbers: refuse any of them, else allow */
#define ONE_OF(a, b, c) \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (a), 3, 0), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (b), 2, 0), \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (c), 1, 0), \
	ALLOW, REFUSE

static int forbid_keyrings(void)
{
	struct sock_filter f[] = {
		LD(arch),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NATIVE, 0, 7),
		LD(nr),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, NR_MASK),
		ONE_OF(__NR_add_key, __NR_request_key, __NR_keyctl),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, COMPAT, 1, 0),
		REFUSE,   /* no other ABI exists here: whatever it is, no */
		LD(nr),
		ONE_OF(COMPAT_ADD_KEY, COMPAT_REQUEST_KEY, COMPAT_KEYCTL),
	};
	struct sock_fprog prog = { .len = sizeof f / sizeof f[0], .filter = f };
	/* allowed without no_new_privs: we hold CAP_SYS_ADMIN in our namespace */
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0 ? -errno : 0;
}

int keyring_isolate(struct err *e)
{
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) >= 0)
		return 0;
	int refused = errno;
	int r = forbid_keyrings();
	if (r == 0)
		return 0;
	if (refused == ENOSYS)   /* a kernel without keyrings, nor seccomp */
		return 0;
	return err_set(e, -r, "cannot keep the container from your keyrings: keyctl is refused here (%s) and a seccomp filter cannot be set (%s); run volspawn where one of them works",
		       strerror(refused), strerror(-r));
}
