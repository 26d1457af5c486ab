/* Reads text from stdin and prints the byte, line and word counts and the most frequent
 * words: a guest fed through standard input. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct word {
	char text[32];
	int count;
};

static struct word words[4096];
static int nwords;

static void add_word(const char *w)
{
	int i;
	for (i = 0; i < nwords; i++)
		if (!strcmp(words[i].text, w)) {
			words[i].count++;
			return;
		}
	if (nwords < 4096) {
		snprintf(words[nwords].text, sizeof words[nwords].text, "%s", w);
		words[nwords++].count = 1;
	}
}

static int by_count(const void *a, const void *b)
{
	const struct word *x = a, *y = b;
	if (x->count != y->count)
		return y->count - x->count;
	return strcmp(x->text, y->text);
}

int main(void)
{
	char w[32];
	long bytes = 0, lines = 0, total = 0;
	int c, n = 0, i;

	while ((c = getchar()) != EOF) {
		bytes++;
		lines += c == '\n';
		if (isalnum(c) && n < 31) {
			w[n++] = (char)tolower(c);
		} else if (!isalnum(c) && n) {
			w[n] = 0;
			add_word(w);
			total++;
			n = 0;
		}
	}
	if (n) {
		w[n] = 0;
		add_word(w);
		total++;
	}
	qsort(words, nwords, sizeof *words, by_count);
	printf("bytes=%ld lines=%ld words=%ld distinct=%d\n", bytes, lines, total, nwords);
	for (i = 0; i < nwords && i < 15; i++)
		printf("%6d %s\n", words[i].count, words[i].text);
	return 0;
}
