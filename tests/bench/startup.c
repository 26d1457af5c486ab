/* startup: a static hello world; the time is the cost of starting and ending a process. */
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
