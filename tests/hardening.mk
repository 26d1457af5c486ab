# Hardening targets (included by tests/tests.mk).
#   make test-hardening  hostile-syscall, exhaustion and memory-rule guests, and the fuzz
#                        regression inputs replayed (part of make test: tests/run-hardening)
#   make test-asan       sfdemu and the unit tests built with -fsanitize=address,undefined in
#                        build-asan/: unit tests, fuzz regressions, a quick subset of the guest
#                        tests and the hardening guests, all under the sanitizers
#   make test-valgrind   the unit tests under valgrind memcheck (slow: not in CI)
#   make fuzz            each libFuzzer target for FUZZ_SECONDS (default 60) in build-fuzz/;
#                        crashes land in build-fuzz/crashes/TARGET/ (copy them to
#                        tests/fuzz/regressions/TARGET/ to keep them replayed)
#   make fuzz-loader, make fuzz-interp   one target
.PHONY: test-hardening test-asan test-valgrind fuzz fuzz-loader fuzz-interp fuzz-build \
	hardening-guests

# ---- guests: built static with glibc and musl, like tests/guests ----
HARD_SRCS  := $(wildcard tests/hostile/*.c tests/exhaust/*.c)
HARD_BINS  := $(foreach s,$(HARD_SRCS),$(BUILD)/hardening/$(basename $(notdir $(s))).glibc \
		$(BUILD)/hardening/$(basename $(notdir $(s))).musl)
HARD_CFLAGS := -static -O2 -Wall -Wno-format-truncation -D_GNU_SOURCE -pthread -I.

$(BUILD)/hardening/%.glibc: tests/hostile/%.c syscalls/syscalls.def tests/hostile/hguest.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(HARD_CFLAGS) -o $@ $<
$(BUILD)/hardening/%.musl: tests/hostile/%.c syscalls/syscalls.def tests/hostile/hguest.h
	@mkdir -p $(dir $@)
	$(GUEST_MUSLCC) $(HARD_CFLAGS) -o $@ $<
$(BUILD)/hardening/%.glibc: tests/exhaust/%.c tests/hostile/hguest.h tests/guests/signames.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(HARD_CFLAGS) -o $@ $<
$(BUILD)/hardening/%.musl: tests/exhaust/%.c tests/hostile/hguest.h tests/guests/signames.h
	@mkdir -p $(dir $@)
	$(GUEST_MUSLCC) $(HARD_CFLAGS) -o $@ $<

hardening-guests: $(HARD_BINS)

# ---- fuzz targets: tests/fuzz/fuzz_TARGET.c ----
# The loader's sources are built for the loader target with mmap/munmap renamed to the
# target's tracking wrappers (see tests/fuzz/fuzz_loader.c).
FUZZ_LDR_RENAME := -Dmmap=fuzz_ldr_mmap -Dmunmap=fuzz_ldr_munmap
FUZZ_LDR_SRCS   := $(wildcard loader/*.c) emu/mm.c emu/host_alloc.c
FUZZ_INTERP_SRCS := $(filter-out emu/main.c,$(SRCS)) tests/unit/emu_harness.c

# Replayers: the fuzz targets linked with tests/fuzz/replay.c, normal build ($(BUILD)/fuzz)
# and sanitizer build (build-asan/fuzz).
REPLAY_LOADER := $(BUILD)/fuzz/replay-loader
REPLAY_INTERP := $(BUILD)/fuzz/replay-interp

$(BUILD)/fuzz/ldr/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FUZZ_LDR_RENAME) $(CFLAGS) -c -o $@ $<
$(BUILD)/fuzz/%.o: tests/fuzz/%.c tests/fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(REPLAY_LOADER): $(BUILD)/fuzz/replay.o $(BUILD)/fuzz/fuzz_loader.o \
		$(FUZZ_LDR_SRCS:%.c=$(BUILD)/fuzz/ldr/%.o)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(REPLAY_INTERP): $(BUILD)/fuzz/replay.o $(BUILD)/fuzz/fuzz_interp.o \
		$(BUILD)/tests/unit/emu_harness.o $(LIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lffi $(LDLIBS)

# ---- sanitizer build: build-asan/ ----
# Guest memory is host memory, so the guest lives in ASan's address space layout (x86-64):
#   LowMem 0-0x7fff7fff | LowShadow 0x7fff8000-0x8fff6fff | ShadowGap 0x8fff7000-0x2008fff6fff
#   | HighShadow 0x2008fff7000-0x10007fff7fff | HighMem 0x10007fff8000-0x7fffffffffff
# (ASan's allocator at 0x600000000000). ET_EXEC programs at 0x400000 (LowMem), PIEs at 2/3
# of the 47-bit space (HighMem) and guest mmap(NULL) load and run as in the normal build. What
# differs, and only here:
#   - a program linked inside the shadow ranges cannot be loaded ("the range is in use"), and
#     a guest MAP_FIXED there is refused like any MAP_FIXED over sfdemu's memory (ENOMEM);
#   - a guest access to a kernel, non-canonical or shadow-gap address faults in ASan's
#     shadow check before the access itself: the guest still gets SIGSEGV, with the si_addr
#     and si_code of the shadow access (0x800000000000 reads as 0x10007fff8000, a kernel
#     address as SI_KERNEL at 0); faults at ordinary unmapped addresses are exact;
#   - sfdemu is a dynamic PIE here (ASan cannot be static), not the normal build's static
#     binary at 0x60000000.
# No ASAN_OPTIONS are needed: the defaults are built in (tests/fuzz/asan_options.c).
# UBSan's null, nonnull-attribute and alignment checks are off: a guest access is a plain
# host access at the guest's address (emu/op.h: memcpy; SSE loads and stores), and a guest
# that dereferences NULL, or makes movaps meet a misaligned address, must get the SIGSEGV
# Linux gives it, not a UBSan report.
SAN_FLAGS   := -fsanitize=address,undefined -fno-sanitize=null,nonnull-attribute,alignment \
	-fno-sanitize-recover=all -fno-omit-frame-pointer
ASAN_DIR    := build-asan
ASAN_FLAGS  := $(SAN_FLAGS)
ASAN_CFLAGS := -O1 -g $(ASAN_FLAGS) -std=gnu11 -Wall -Wextra -Wno-unused-parameter \
	-fno-strict-aliasing
ASAN_OBJS   := $(SRCS:%.c=$(ASAN_DIR)/%.o)
ASAN_LIB_OBJS := $(filter-out $(ASAN_DIR)/emu/main.o,$(ASAN_OBJS))
ASAN_UNIT_OBJS := $(patsubst %.c,$(ASAN_DIR)/%.o,$(filter-out tests/unit/main.c,$(wildcard tests/unit/*.c)))

$(ASAN_DIR)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ASAN_CFLAGS) -c -o $@ $<
$(ASAN_DIR)/tests/unit/%.o: tests/unit/%.c $(UNIT_HEADER)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -I. -I$(BUILD)/tests/unit $(ASAN_CFLAGS) -c -o $@ $<
$(ASAN_DIR)/fuzz/ldr/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(FUZZ_LDR_RENAME) $(ASAN_CFLAGS) -c -o $@ $<
$(ASAN_DIR)/fuzz/%.o: tests/fuzz/%.c tests/fuzz/fuzz.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ASAN_CFLAGS) -c -o $@ $<

# Default sanitizer options, built in (tests/fuzz/asan_options.c says which and why).
$(ASAN_DIR)/asan_options.o: tests/fuzz/asan_options.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -c -o $@ $<
$(ASAN_DIR)/asan_options_leaks.o: tests/fuzz/asan_options.c
	@mkdir -p $(dir $@)
	$(CC) -O1 -DASAN_LEAKS -c -o $@ $<

$(ASAN_DIR)/sfdemu: $(ASAN_OBJS) $(ASAN_DIR)/asan_options.o
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(ASAN_DIR)/tests/unit-tests: $(ASAN_DIR)/tests/unit/main.o $(ASAN_UNIT_OBJS) $(ASAN_LIB_OBJS) \
		$(ASAN_DIR)/asan_options_leaks.o
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $^ -lcunit -lffi $(LDLIBS)
$(ASAN_DIR)/fuzz/replay-loader: $(ASAN_DIR)/fuzz/replay.o $(ASAN_DIR)/fuzz/fuzz_loader.o \
		$(FUZZ_LDR_SRCS:%.c=$(ASAN_DIR)/fuzz/ldr/%.o)
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
$(ASAN_DIR)/fuzz/replay-interp: $(ASAN_DIR)/fuzz/replay.o $(ASAN_DIR)/fuzz/fuzz_interp.o \
		$(ASAN_DIR)/tests/unit/emu_harness.o $(ASAN_LIB_OBJS)
	$(CC) $(ASAN_CFLAGS) $(LDFLAGS) -o $@ $^ -lffi $(LDLIBS)

ASAN_BINS := $(ASAN_DIR)/sfdemu $(ASAN_DIR)/tests/unit-tests $(ASAN_DIR)/fuzz/replay-loader \
	$(ASAN_DIR)/fuzz/replay-interp

-include $(ASAN_OBJS:.o=.d) $(ASAN_UNIT_OBJS:.o=.d) $(ASAN_DIR)/tests/unit/main.d
# The replayers' objects, rebuilt when a header they include (emu/process.h...) changes.
-include $(wildcard $(BUILD)/fuzz/*.d $(BUILD)/fuzz/ldr/*/*.d $(ASAN_DIR)/fuzz/*.d \
	$(ASAN_DIR)/fuzz/ldr/*/*.d)

# ---- libFuzzer build: build-fuzz/ (clang) ----
FUZZ_CC      := clang
FUZZ_DIR     := build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS  := -O1 -g -fsanitize=fuzzer-no-link $(SAN_FLAGS) -std=gnu11 -fno-strict-aliasing \
	-Wno-unused-parameter
FUZZ_LDFLAGS := -fsanitize=fuzzer,address,undefined

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -I. $(FUZZ_CFLAGS) -c -o $@ $<
# Clang refuses the x87 stack clobbers of this file's inline assembly ("clobbers must be last
# on the x87 stack", which GCC accepts): it is built with GCC, without coverage or sanitizers.
FUZZ_GCC_ONLY := emu/ops_x87_math.c
$(FUZZ_GCC_ONLY:%.c=$(FUZZ_DIR)/obj/%.o): $(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -O1 -g -std=gnu11 -fno-strict-aliasing -c -o $@ $<
$(FUZZ_DIR)/ldr/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_LDR_RENAME) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/fuzz-loader: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_loader.o \
		$(FUZZ_LDR_SRCS:%.c=$(FUZZ_DIR)/ldr/%.o)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ $(LDLIBS)
$(FUZZ_DIR)/fuzz-interp: $(FUZZ_DIR)/obj/tests/fuzz/fuzz_interp.o \
		$(FUZZ_INTERP_SRCS:%.c=$(FUZZ_DIR)/obj/%.o)
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $@ $^ -lffi $(LDLIBS)

-include $(wildcard $(FUZZ_DIR)/obj/*/*.d $(FUZZ_DIR)/obj/*/*/*.d $(FUZZ_DIR)/ldr/*/*.d)

FUZZ_PACKAGES := clang libclang-rt-14-dev
fuzz-build: $(FUZZ_DIR)/fuzz-loader $(FUZZ_DIR)/fuzz-interp
ifneq ($(filter fuzz fuzz-%,$(MAKECMDGOALS)),)
$(FUZZ_DIR)/fuzz-loader $(FUZZ_DIR)/fuzz-interp: | fuzz-deps
endif
.PHONY: fuzz-deps
fuzz-deps:
	@./tests/install-deps $(FUZZ_PACKAGES) $(DEBIAN_PACKAGES)

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run loader interp
fuzz-loader: $(FUZZ_DIR)/fuzz-loader
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run loader
fuzz-interp: $(FUZZ_DIR)/fuzz-interp
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run interp

# ---- running ----
HARD_TEST_DEPS := sfdemu $(HARD_BINS) $(REPLAY_LOADER) $(REPLAY_INTERP) $(TEST_TOOLS)

test-hardening: deps $(HARD_TEST_DEPS)
	@tests/run-suites hardening

# make test runs the hardening suite (tests/run-suites): build what it needs.
test: $(HARD_TEST_DEPS)

test-asan: deps $(HARD_TEST_DEPS) $(ASAN_BINS) $(GUEST_BINS)
	@tests/run-hardening --asan

test-valgrind: deps $(UNIT_BIN)
	@tests/run-hardening --valgrind

ifneq ($(filter test test-%,$(MAKECMDGOALS)),)
$(HARD_BINS) $(ASAN_OBJS) $(ASAN_UNIT_OBJS): | deps
endif
