/* The smallest guest: one line of output and exit status 0. */
#include <stdio.h>

int main(void)
{
	printf("Hello, world!\n");
	return 0;
}
