/* Files and directories in a fresh temporary folder: open/read/write/lseek/pread/pwrite,
 * readdir (sorted), stat sizes and modes, rename, unlink, mkdir, rmdir, dup, fcntl, and the
 * errors (printed by errno name) for the usual mistakes. Names are printed relative to the
 * folder; the folder itself is removed at the end. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include "guest.h"

#define CHECK(what, expr) do { \
	errno = 0; \
	long r_ = (long)(expr); \
	printf("%-34s -> %ld %s\n", what, r_, r_ < 0 ? errno_name(errno) : ""); \
} while (0)

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char *names[64];
	int n = 0, i;

	if (!d) {
		printf("opendir %s: %s\n", path, errno_name(errno));
		return;
	}
	while ((e = readdir(d)) && n < 64)
		names[n++] = strdup(e->d_name);
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	printf("ls %s:", path);
	for (i = 0; i < n; i++) {
		struct stat st;
		char full[512];
		snprintf(full, sizeof full, "%s/%s", path, names[i]);
		if (lstat(full, &st) == 0)
			printf(" %s(%s,%lld,%04o)", names[i], S_ISDIR(st.st_mode) ? "d" : S_ISREG(st.st_mode) ? "f" : "?",
			       S_ISDIR(st.st_mode) ? 0LL : (long long)st.st_size, st.st_mode & 07777);
		free(names[i]);
	}
	printf("\n");
}

static void plain_io(void)
{
	char buf[64] = { 0 };
	struct stat st;
	struct iovec iov[3];
	int fd, fd2;

	fd = open("a.txt", O_CREAT | O_EXCL | O_RDWR, 0640);
	printf("open new: %s\n", fd >= 0 ? "ok" : errno_name(errno));
	CHECK("write hello", write(fd, "hello, world\n", 13));
	CHECK("lseek cur", lseek(fd, 0, SEEK_CUR));
	CHECK("lseek set 7", lseek(fd, 7, SEEK_SET));
	CHECK("read 5", read(fd, buf, 5));
	printf("read: [%s]\n", buf);
	CHECK("lseek end+100", lseek(fd, 100, SEEK_END));
	CHECK("write at 113", write(fd, "X", 1));
	CHECK("fstat", fstat(fd, &st));
	printf("size=%lld mode=%04o reg=%d nlink=%ld\n", (long long)st.st_size, st.st_mode & 07777,
	       S_ISREG(st.st_mode), (long)st.st_nlink);
	CHECK("pwrite 3 at 0", pwrite(fd, "HEL", 3, 0));
	memset(buf, 0, sizeof buf);
	CHECK("pread 12 at 0", pread(fd, buf, 12, 0));
	printf("pread: [%s]\n", buf);
	CHECK("offset unchanged", lseek(fd, 0, SEEK_CUR));
	CHECK("pread hole", pread(fd, buf, 4, 50));
	printf("hole bytes zero: %d\n", !buf[0] && !buf[1] && !buf[2] && !buf[3]);
	CHECK("ftruncate 20", ftruncate(fd, 20));
	fd2 = dup(fd);
	CHECK("dup shares offset", lseek(fd2, 0, SEEK_CUR) == lseek(fd, 0, SEEK_CUR));
	CHECK("fcntl getfd", fcntl(fd2, F_GETFD));
	CHECK("fcntl setfd cloexec", fcntl(fd2, F_SETFD, FD_CLOEXEC));
	CHECK("fcntl getfd", fcntl(fd2, F_GETFD));
	CHECK("fcntl getfl accmode", fcntl(fd2, F_GETFL) & O_ACCMODE);
	close(fd2);
	iov[0].iov_base = "one ";
	iov[0].iov_len = 4;
	iov[1].iov_base = "two ";
	iov[1].iov_len = 4;
	iov[2].iov_base = "three\n";
	iov[2].iov_len = 6;
	CHECK("lseek 0", lseek(fd, 0, SEEK_SET));
	CHECK("writev", writev(fd, iov, 3));
	CHECK("close", close(fd));
	CHECK("close again", close(fd));
	CHECK("stat size", (stat("a.txt", &st), st.st_size));
	CHECK("access R_OK", access("a.txt", R_OK));
	CHECK("access missing", access("nope", F_OK));
}

static void stdio_io(void)
{
	FILE *f = fopen("lines.txt", "w");
	char line[128];
	int i, n = 0;
	long sum = 0;

	for (i = 0; i < 500; i++)
		fprintf(f, "line %d value %d\n", i, i * i % 97);
	fclose(f);
	f = fopen("lines.txt", "r");
	while (fgets(line, sizeof line, f)) {
		int a, b;
		if (sscanf(line, "line %d value %d", &a, &b) == 2)
			sum += a * b;
		n++;
	}
	printf("stdio lines=%d sum=%ld pos=%ld\n", n, sum, ftell(f));
	fclose(f);
	f = fopen("lines.txt", "a+");
	fputs("appended\n", f);
	fseek(f, -9, SEEK_END);
	printf("append read: [%s]\n", fgets(line, sizeof line, f) ? strtok(line, "\n") : "(none)");
	fclose(f);
}

static void directories(void)
{
	int fd, i;
	char name[32];

	CHECK("mkdir sub", mkdir("sub", 0750));
	CHECK("mkdir sub again", mkdir("sub", 0750));
	CHECK("mkdir sub/deeper", mkdir("sub/deeper", 0700));
	CHECK("mkdir missing/x", mkdir("missing/x", 0700));
	for (i = 0; i < 12; i++) {
		snprintf(name, sizeof name, "sub/f%02d", (i * 7) % 12);
		fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0600 + (i % 3) * 044);
		if (write(fd, name, i) != i)
			printf("short write\n");
		close(fd);
	}
	list_dir("sub");
	CHECK("rename f03 -> g03", rename("sub/f03", "sub/g03"));
	CHECK("rename over f04 (replace)", rename("sub/f05", "sub/f04"));
	CHECK("rename missing", rename("sub/zz", "sub/yy"));
	CHECK("rename dir into itself", rename("sub", "sub/deeper/x"));
	CHECK("unlink f00", unlink("sub/f00"));
	CHECK("unlink f00 again", unlink("sub/f00"));
	CHECK("unlink a dir", unlink("sub/deeper"));
	CHECK("rmdir non-empty", rmdir("sub"));
	CHECK("rmdir a file", rmdir("sub/f01"));
	CHECK("open dir for write", open("sub", O_WRONLY));
	CHECK("open file as dir", open("sub/f01/x", O_RDONLY));
	CHECK("open O_DIRECTORY on file", open("sub/f01", O_RDONLY | O_DIRECTORY));
	list_dir("sub");
	CHECK("chdir sub", chdir("sub"));
	list_dir(".");
	CHECK("chdir ..", chdir(".."));
	fd = open("sub", O_RDONLY | O_DIRECTORY);
	CHECK("openat dirfd", openat(fd, "f01", O_RDONLY) >= 0);
	CHECK("mkdirat", mkdirat(fd, "viaat", 0755));
	CHECK("unlinkat dir", unlinkat(fd, "viaat", AT_REMOVEDIR));
	CHECK("renameat", renameat(fd, "f01", fd, "h01"));
	close(fd);
}

static void cleanup(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char full[512];

	while (d && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(full, sizeof full, "%s/%s", path, e->d_name);
		if (e->d_type == DT_DIR)
			cleanup(full);
		else
			unlink(full);
	}
	if (d)
		closedir(d);
	rmdir(path);
}

int main(void)
{
	char tmpl[512], cwd[512], *dir;
	const char *tmp = getenv("TMPDIR");
	struct stat st;

	umask(022);
	snprintf(tmpl, sizeof tmpl, "%s/files-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	dir = mkdtemp(tmpl);
	if (!dir) {
		printf("mkdtemp: %s\n", errno_name(errno));
		return 1;
	}
	stat(dir, &st);
	printf("mkdtemp mode=%04o dir=%d\n", st.st_mode & 07777, S_ISDIR(st.st_mode));
	CHECK("chdir tmp", chdir(dir));
	printf("getcwd matches: %d\n", getcwd(cwd, sizeof cwd) && strstr(cwd, strrchr(dir, '/')) != NULL);
	plain_io();
	stdio_io();
	directories();
	list_dir(".");
	CHECK("chdir /", chdir("/"));
	cleanup(dir);
	CHECK("folder gone", stat(dir, &st));
	return 0;
}
