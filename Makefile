# volspawn — see README.md. Build knobs live in config.mk.
include config.mk

# Three programs: volspawn (src/main.c and every folder of src/ but usrfs/
# and ctl/), volspawn-usrfs (src/usrfs/, the rootless server of /usr,
# linked with libfuse3) and volspawnctl (src/ctl/, which reaches running
# twins; it links libsystemd, as nothing times its start-up). The node
# table of the second and the passwd reader of the third are unit-tested
# with the rest.
USRFS_SRC = $(wildcard src/usrfs/*.c)
CTL_SRC = $(wildcard src/ctl/*.c)
SRC = src/main.c $(filter-out $(USRFS_SRC) $(CTL_SRC),$(wildcard src/*/*.c))
LIBSRC = $(filter-out src/main.c,$(SRC)) src/usrfs/usrfs-nodes.c src/usrfs/usrfs-view.c src/ctl/ctl-passwd.c
# what volspawnctl shares with volspawn: the registry of running twins,
# the console relay, the channel, errors
CTL_SHARED = $(wildcard src/front/registry*.c) $(wildcard src/console/*.c) src/lib/channel.c \
	src/lib/clone-ns.c src/lib/err.c src/lib/io-util.c src/lib/json.c
TESTS = $(patsubst tests/%.c,%,$(wildcard tests/test_*.c))

all: volspawn volspawn-usrfs volspawnctl

# Normal objects in build/, sanitized ones in build-asan/, each with the
# headers it included (-MMD -MP: build/x/y.d, read below).
build/%.o: src/%.c config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(FUSE_CFLAGS) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

build-asan/%.o: src/%.c config.mk
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(FUSE_CFLAGS) $(CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) -c -o $@ $<

volspawn: $(SRC:src/%.c=build/%.o)
	$(CC) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

build-asan/volspawn: $(SRC:src/%.c=build-asan/%.o)
	$(CC) $(LDFLAGS) $(SAN_FLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

volspawn-usrfs: $(USRFS_SRC:src/%.c=build/%.o)
	$(CC) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(FUSE_LIBS)

build-asan/volspawn-usrfs: $(USRFS_SRC:src/%.c=build-asan/%.o)
	$(CC) $(LDFLAGS) $(SAN_FLAGS) -o $@ $(filter %.c %.o,$^) $(FUSE_LIBS)

volspawnctl: $(CTL_SRC:src/%.c=build/%.o) $(CTL_SHARED:src/%.c=build/%.o)
	$(CC) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(SYSTEMD_LIBS)

build-asan/volspawnctl: $(CTL_SRC:src/%.c=build-asan/%.o) $(CTL_SHARED:src/%.c=build-asan/%.o)
	$(CC) $(LDFLAGS) $(SAN_FLAGS) -o $@ $(filter %.c %.o,$^) $(SYSTEMD_LIBS)

build/tests/%: tests/%.c $(LIBSRC:src/%.c=build/%.o)
	@mkdir -p build/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) $(CMOCKA_CFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS) $(CMOCKA_LIBS)

build-asan/tests/%: tests/%.c $(LIBSRC:src/%.c=build-asan/%.o)
	@mkdir -p build-asan/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN_FLAGS) $(DEPFLAGS) $(CMOCKA_CFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS) $(CMOCKA_LIBS)

# Tools of the bats suite: for scope.bats a fake systemd user manager (a
# test tool, so it links libsystemd as usual) and a probe of
# cgroup_request_scope; for errors.bats a container runtime's seccomp
# profile.
TOOLS = build/tests/fake-user-manager build/tests/scope-probe build/tests/seccomp-run

build/tests/fake-user-manager: tests/fake-user-manager.c config.mk
	@mkdir -p build/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -o $@ $< $(SYSTEMD_LIBS)

build/tests/scope-probe: tests/scope-probe.c $(LIBSRC:src/%.c=build/%.o)
	@mkdir -p build/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) $(DEPFLAGS) -o $@ $(filter %.c %.o,$^) $(LIBS)

build/tests/seccomp-run: tests/seccomp-run.c config.mk
	@mkdir -p build/tests
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<

asan: build-asan/volspawn build-asan/volspawn-usrfs build-asan/volspawnctl

unit: $(TESTS:%=build/tests/%)
	@for t in $^; do echo "== $$t"; $$t || exit 1; done

unit-asan: $(TESTS:%=build-asan/tests/%)
	@for t in $^; do echo "== $$t"; $$t || exit 1; done

# test_layout writes below a root with openat2, and test_tree_check opens
# a tree's usr with it, which Debian 12's valgrind (3.19) does not know: it
# answers ENOSYS (as for the mount API, README)
VALGRIND_TESTS = $(filter-out test_layout test_tree_check,$(TESTS))
unit-valgrind: $(VALGRIND_TESTS:%=build/tests/%)
	@for t in $^; do echo "== valgrind $$t"; $(VALGRIND) $$t || exit 1; done

# The integration suite runs the installed program as an ordinary user;
# helpers/run-bats installs it where that user can reach it.
bats: volspawn volspawn-usrfs volspawnctl $(TOOLS)
	helpers/run-bats $(CURDIR)/volspawn

bats-asan: build-asan/volspawn build-asan/volspawn-usrfs build-asan/volspawnctl volspawn-usrfs $(TOOLS)
	helpers/run-bats $(CURDIR)/build-asan/volspawn

# Everything, plain and under ASan+UBSan.
check: unit bats unit-asan bats-asan unit-valgrind

install: volspawn volspawn-usrfs volspawnctl
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR)
	install -m 0755 volspawn $(DESTDIR)$(BINDIR)/volspawn
	install -m 0755 volspawnctl $(DESTDIR)$(BINDIR)/volspawnctl
	install -m 0755 volspawn-usrfs $(DESTDIR)$(LIBEXECDIR)/volspawn-usrfs

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/volspawn $(DESTDIR)$(BINDIR)/volspawnctl $(DESTDIR)$(LIBEXECDIR)/volspawn-usrfs

# As root: start-up against bubblewrap and nspawn, boot to login: against
# nspawn, and /usr served (map) against bound (off).
bench: volspawn volspawn-usrfs
	bench/startup
	bench/boot
	bench/ownership

clean:
	rm -rf build build-asan volspawn volspawn-usrfs volspawnctl

# ---- fuzzing (fuzz/, README there) -----------------------------------------
# One libFuzzer harness per parser of untrusted text: fuzz/NAME.c becomes
# build-fuzz/fuzz-NAME, seeded from fuzz/corpus/NAME/. New inputs go to
# build-fuzz/corpus/NAME/, crashes to build-fuzz/; the committed corpus is
# only read.
FUZZERS = $(patsubst fuzz/%.c,%,$(wildcard fuzz/*.c))

build-fuzz/%.o: src/%.c config.mk
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build-fuzz/fuzz-%: fuzz/%.c fuzz/fuzz.h $(LIBSRC:src/%.c=build-fuzz/%.o)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer -o $@ $< $(LIBSRC:src/%.c=build-fuzz/%.o) $(LIBS)

# run NAME for $(1) seconds on its corpus
fuzz_run = mkdir -p build-fuzz/corpus/$$f && \
	build-fuzz/fuzz-$$f -max_total_time=$(1) -print_final_stats=1 \
		-artifact_prefix=build-fuzz/$$f- build-fuzz/corpus/$$f fuzz/corpus/$$f

fuzz: $(FUZZERS:%=build-fuzz/fuzz-%)
	@for f in $(FUZZERS); do echo "== fuzz $$f ($(FUZZ_TIME) s)"; $(call fuzz_run,$(FUZZ_TIME)) || exit 1; done

fuzz-smoke: $(FUZZERS:%=build-fuzz/fuzz-%)
	@for f in $(FUZZERS); do echo "== fuzz $$f ($(FUZZ_SMOKE_TIME) s)"; $(call fuzz_run,$(FUZZ_SMOKE_TIME)) 2>build-fuzz/$$f.log || { cat build-fuzz/$$f.log; exit 1; }; done

check: fuzz-smoke

clean: clean-fuzz
clean-fuzz:
	rm -rf build-fuzz

.PHONY: fuzz fuzz-smoke clean-fuzz
# ---- end of fuzzing --------------------------------------------------------

# the headers each object and test included, as the compiler found them
DEPFLAGS = -MMD -MP
-include $(shell find build build-asan build-fuzz -name '*.d' 2>/dev/null)

.PHONY: all asan unit unit-asan unit-valgrind bats bats-asan check install uninstall bench clean
.SECONDARY:
