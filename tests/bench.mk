# Benchmarks (included by tests/tests.mk).
#   make bench       install what is missing, build, run every workload natively, under
#                    qemu-x86_64 and under sfdemu; print the table, write tests/bench/RESULTS.md
#   make bench BENCH="cpu-int startup.musl"   only these workloads (table to build/bench/)
#   make bench BENCH_RUNS=5                   rounds per workload (default 3)
#   make bench-guests                         build the benchmark guests only
# tests/bench/run says more (environment, what "not runnable" means).
.PHONY: bench bench-deps bench-guests

BENCH_NAMES    := cpu-int cpu-mem cpu-str cpu-fp sys-getpid sig-handler sig-signalfd \
		  epoll-signalfd epoll-pipe startup
BENCH_BINS     := $(foreach n,$(BENCH_NAMES),$(BUILD)/bench/$(n).glibc $(BUILD)/bench/$(n).musl)
BENCH_DATA     := $(BUILD)/bench/data-64m
BENCH_CFLAGS   := -static -O2 -Wall
BENCH_PACKAGES := hyperfine qemu-user valgrind jq

$(BUILD)/bench/%.glibc: tests/bench/%.c tests/bench/bench.h
	@mkdir -p $(dir $@)
	gcc $(BENCH_CFLAGS) -o $@ $< -lm

$(BUILD)/bench/%.musl: tests/bench/%.c tests/bench/bench.h
	@mkdir -p $(dir $@)
	musl-gcc $(BENCH_CFLAGS) -o $@ $< -lm

# busybox sha256sum's input: 64 MB of deterministic bytes.
$(BENCH_DATA): $(BUILD)/tests/bb-mkdata
	@mkdir -p $(dir $@)
	$(BUILD)/tests/bb-mkdata binary 67108864 > $@.tmp && mv $@.tmp $@

bench-deps: deps
	@./tests/install-deps $(BENCH_PACKAGES)

bench-guests: $(BENCH_BINS)

ifneq ($(filter bench bench-guests,$(MAKECMDGOALS)),)
$(OBJS) $(BENCH_BINS) $(BUILD)/tests/bb-mkdata: | bench-deps
endif

bench: bench-deps sfdemu $(BENCH_BINS) $(BENCH_DATA)
	@BENCH_RUNS="$(BENCH_RUNS)" tests/bench/run $(BENCH)
