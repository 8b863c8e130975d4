# volspawn build knobs; edit to taste (suckless style).
VERSION = 0.1

PREFIX = /usr/local
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man

PKG_CONFIG = pkg-config

CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)

CPPFLAGS = -D_GNU_SOURCE -DVERSION=\"$(VERSION)\"
CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes
LDFLAGS =
# volspawn links libc and libxcrypt (hash-password) only: every library costs start-up time (see README)
LIBS = -lcrypt

# make asan: the same program with AddressSanitizer and UBSan.
SAN_FLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

CC = cc
