# volspawn build knobs; edit to taste (suckless style).
VERSION = 0.1

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
LIBEXECDIR = $(PREFIX)/libexec
MANDIR = $(PREFIX)/share/man

PKG_CONFIG = pkg-config

CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

CPPFLAGS = -Isrc -D_GNU_SOURCE -DVERSION=\"$(VERSION)\" -DUSRFS_PROGRAM=\"$(LIBEXECDIR)/volspawn-usrfs\" $(LIBMOUNT_CFLAGS)
CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes
LDFLAGS =
# volspawn links libc and libxcrypt only: every library costs start-up time
# (see README); libsystemd and libmount are dlopen()ed where they are needed
# (dlopen is in libc since glibc 2.34: add -ldl for an older one), so only
# libmount's headers are needed to build
LIBS = -lcrypt
LIBMOUNT_CFLAGS = $(shell $(PKG_CONFIG) --cflags mount)

# volspawn-usrfs, the rootless server of /usr's true owners
FUSE_CFLAGS = $(shell $(PKG_CONFIG) --cflags fuse3)
FUSE_LIBS = $(shell $(PKG_CONFIG) --libs fuse3)

# the fake systemd user manager of the tests
SYSTEMD_LIBS = $(shell $(PKG_CONFIG) --libs libsystemd)

# make asan: the same program with AddressSanitizer and UBSan.
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CC = cc

# make unit-valgrind (part of make check; bats/ownership.bats runs
# volspawn-usrfs under valgrind on its own). volspawn itself cannot run
# under Debian 12's valgrind (3.19): it knows no fsopen, open_tree or
# move_mount.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite

# make fuzz / fuzz-smoke: libFuzzer harnesses (fuzz/) under ASan+UBSan.
# -fsanitize=fuzzer needs clang and its runtime (Debian: libclang-rt-dev).
FUZZ_CC = clang
FUZZ_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_CFLAGS = -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes $(FUZZ_FLAGS)
# seconds each harness runs: make fuzz, and make fuzz-smoke (part of make check)
FUZZ_TIME = 600
FUZZ_SMOKE_TIME = 5
