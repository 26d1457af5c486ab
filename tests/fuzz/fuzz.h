/* The two entry points of a fuzz target, as libFuzzer calls them; tests/fuzz/replay.c calls
 * them the same way to replay saved inputs without libFuzzer. */
#ifndef SFDEMU_TESTS_FUZZ_H
#define SFDEMU_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
