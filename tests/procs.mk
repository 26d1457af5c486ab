# Threads, processes, execve and dynamic linking (included by tests/tests.mk).
#   make test-procs   tests/run-procs: this area's guests built dynamically linked, dlopen
#                     and TLS, real programs (ls, sort, find, dash, bash, busybox sh,
#                     python3), sfdemu's -0/-L and scripts (part of make test)
.PHONY: test-procs procs-deps procs-bins

# The guests of this area also run dynamically linked (their static builds are GUEST_BINS).
PROC_GUEST_NAMES := thread_sync thread_exit thread_stress fork_pipe exec_chain spawn_exec \
		    sig_handlers thread_code
PROC_DYN_BINS    := $(PROC_GUEST_NAMES:%=$(BUILD)/guests/%.dyn)
PROC_DL_BINS     := $(BUILD)/procs/dl_main $(BUILD)/procs/libdlplug.so
PROCS_PACKAGES   := python3 bash dash findutils coreutils busybox-static

$(BUILD)/guests/%.dyn: tests/guests/%.c tests/guests/guest.h
	@mkdir -p $(dir $@)
	$(GUEST_CC) -O2 -Wall -Wno-format-truncation -o $@ $< -lm -lpthread

# Lazy binding on purpose: PLT entries resolved by ld.so at first call, under emulation.
$(BUILD)/procs/dl_main: tests/procs/dl_main.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) -O2 -Wall -Wl,-z,lazy -o $@ $< -lm -ldl -lpthread

$(BUILD)/procs/libdlplug.so: tests/procs/dl_plugin.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) -O2 -Wall -shared -fPIC -Wl,-z,lazy -o $@ $< -lm

procs-bins: $(PROC_DYN_BINS) $(PROC_DL_BINS)

# The real programs the suite runs (CI machines start bare).
procs-deps:
	@./tests/install-deps $(PROCS_PACKAGES)

ifneq ($(filter run test test-%,$(MAKECMDGOALS)),)
$(PROC_DYN_BINS) $(PROC_DL_BINS): | deps
endif

test-procs: deps procs-deps sfdemu procs-bins $(GUEST_BINS) $(TEST_TOOLS)
	@tests/run-suites procs

# make test runs the procs suite (tests/run-suites): build what it needs.
test: procs-deps procs-bins
