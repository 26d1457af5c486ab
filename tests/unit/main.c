/* The unit-test runner: registers every CUnit suite of tests/unit/test_*.c and runs them in
 * basic mode. Each suite file exports `void register_<name>_tests(void)`; the build finds
 * those functions and generates suites.h (declarations and UNIT_REGISTER_ALL()), so a new
 * suite file needs no change here.
 *
 *   unit-tests [SUITE...]   run only the named suites (all when none is named)
 *
 * After CUnit's summary, the last line is "N passed, N failed" (tests, not asserts).
 * Exit status 1 when a test failed or the registry could not be built. */
#include <stdio.h>
#include <string.h>
#include <CUnit/Basic.h>
#include "suites.h"

static int suite_selected(const char *name, int argc, char **argv)
{
	int i;
	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

static int run_suites(int argc, char **argv)
{
	CU_pTestRegistry reg = CU_get_registry();
	CU_pSuite suite;

	if (argc < 2)
		return CU_basic_run_tests();
	for (suite = reg->pSuite; suite; suite = suite->pNext) {
		CU_ErrorCode err;
		if (!suite_selected(suite->pName, argc, argv))
			continue;
		err = CU_basic_run_suite(suite);
		if (err != CUE_SUCCESS)
			return err;
	}
	return CUE_SUCCESS;
}

int main(int argc, char **argv)
{
	unsigned run, failed;

	if (CU_initialize_registry() != CUE_SUCCESS) {
		fprintf(stderr, "unit-tests: %s\n", CU_get_error_msg());
		return 1;
	}
	UNIT_REGISTER_ALL();
	if (CU_get_error() != CUE_SUCCESS) {
		fprintf(stderr, "unit-tests: registering suites: %s\n", CU_get_error_msg());
		CU_cleanup_registry();
		return 1;
	}
	CU_basic_set_mode(CU_BRM_VERBOSE);
	if (run_suites(argc, argv) != CUE_SUCCESS)
		fprintf(stderr, "unit-tests: %s\n", CU_get_error_msg());
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	if (CU_get_number_of_suites_failed() > 0)       /* a suite's init or cleanup failed */
		failed += CU_get_number_of_suites_failed();
	CU_cleanup_registry();
	printf("\n%u passed, %u failed\n", run >= failed ? run - failed : 0, failed);
	return failed ? 1 : 0;
}
