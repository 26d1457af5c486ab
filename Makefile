# sfdemu: a user-mode x86-64 Linux emulator.
#   make         build ./sfdemu
#   make run     install what is missing, build, run the demo guest
#   make test    install what is missing, build, run every suite
CC      ?= gcc
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -fno-strict-aliasing
CPPFLAGS += -MMD -MP -D_GNU_SOURCE
LDLIBS  += -lcapstone -lpthread -lm
# sfdemu itself is linked static and at a fixed address: no dynamic loader relocating
# libcapstone's large pointer tables at every start (hundreds of copy-on-write page faults),
# and out of the way of guests, whose fixed addresses (0x400000 for most ET_EXEC programs)
# the loader refuses to map over anything already there.
SFDEMU_LDFLAGS ?= -static -no-pie -Wl,-Ttext-segment=0x60000000

BUILD   := build
SRCS    := $(wildcard emu/*.c syscalls/*.c loader/*.c)
OBJS    := $(SRCS:%.c=$(BUILD)/%.o)
# Everything but main(): what the unit tests link against.
LIB_OBJS := $(filter-out $(BUILD)/emu/main.o,$(OBJS))

DEBIAN_PACKAGES := gcc make libcapstone-dev libcunit1-dev libffi-dev musl-tools busybox-static

.PHONY: all deps run test clean
all: sfdemu

sfdemu: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) $(SFDEMU_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Install the Debian packages that are missing (needs root, as on a fresh machine or CI).
deps:
	@./tests/install-deps $(DEBIAN_PACKAGES)

include tests/tests.mk

clean:
	rm -rf $(BUILD) sfdemu

-include $(OBJS:.o=.d)
