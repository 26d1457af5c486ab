/* Writes the deterministic input files of the busybox tests to stdout:
 *   mkdata lines N | words N | nums N | fields N | binary BYTES | allbytes | spaces N
 * The same arguments give the same bytes on every machine (one call to next() per statement,
 * so no order of evaluation is left to the compiler). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state = 0x853c49e6748fea9bULL;

static uint32_t next(void)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(state >> 33);
}

static const char *const vocab[] = {
	"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
	"lambda", "mu", "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon",
	"Alpha", "BETA", "word1", "word2", "word3", "word5", "word7", "x", "yy", "zzz",
};
#define NVOCAB (sizeof vocab / sizeof *vocab)

static const char *word(void)
{
	return vocab[next() % NVOCAB];
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	long n = argc > 2 ? atol(argv[2]) : 0, i;
	int j;

	if (!strcmp(mode, "lines")) {
		for (i = 1; i <= n; i++) {
			const char *w = word();
			printf("line %ld %s value=%u", i, w, next() % 1000);
			for (j = next() % 6; j > 0; j--)
				printf(" %s", word());
			printf("\n");
		}
	} else if (!strcmp(mode, "words")) {
		for (i = 0; i < n; i++)
			printf("%s\n", word());
	} else if (!strcmp(mode, "nums")) {
		for (i = 0; i < n; i++)
			printf("%d\n", (int)(next() % 20001) - 10000);
	} else if (!strcmp(mode, "fields")) {
		for (i = 0; i < n; i++) {
			const char *w1 = word(), *w2 = word();
			unsigned num = next() % 500, letter = 'a' + next() % 26;
			printf("%s:%s:%u:%c%u\n", w1, w2, num, letter, next() % 100);
		}
	} else if (!strcmp(mode, "spaces")) {
		for (i = 0; i < n; i++) {
			int indent = next() % 5;
			const char *w1 = word();
			int gap = next() % 7 + 1;
			const char *w2 = word();
			printf("%*s%s%*s%s  \t%s\n", indent, "", w1, gap, "", w2, word());
		}
	} else if (!strcmp(mode, "binary")) {
		for (i = 0; i < n; i += 4) {
			uint32_t v = next();
			fwrite(&v, 1, n - i < 4 ? n - i : 4, stdout);
		}
	} else if (!strcmp(mode, "allbytes")) {
		for (i = 0; i < 256; i++)
			putchar((int)((i * 37 + 11) & 255));
		fputs("tail text\n", stdout);
	} else {
		fprintf(stderr, "usage: mkdata lines|words|nums|fields|spaces|binary N | allbytes\n");
		return 2;
	}
	return fclose(stdout) != 0;
}
