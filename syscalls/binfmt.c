/* Which file an execve runs, decided as the kernel's exec does (fs/exec.c, binfmt_script.c,
 * binfmt_elf.c), before sfdemu gives up its own process image for the new program: every
 * error the guest could get from execve must come back as an error while the caller still
 * exists.
 *   - The file must open, be a regular file (EACCES), be executable for the caller (EACCES),
 *     and not sit on a noexec mount (EACCES).
 *   - "#!" scripts: the first line names the interpreter and at most one argument (the rest
 *     of the line, spaces inside kept); argv becomes interpreter, argument, the script's
 *     name, then argv[1..]. The interpreter may itself be a script, up to 5 rewrites; the
 *     next one is ELOOP. An empty interpreter name resolves to the working directory (so
 *     EACCES), a line with no name is ENOEXEC, an interpreter path cut by the 256-byte
 *     buffer is ENOEXEC.
 *   - ELF: 64-bit little-endian x86-64 executables or shared objects, else ENOEXEC; a
 *     missing PT_INTERP interpreter is the interpreter's open error (ENOENT).
 *   - Anything else is ENOEXEC.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include "exec.h"
#include "sys_impl.h"

#define BINPRM_BUF_SIZE 256
#define MAX_REWRITES 5

int exec_image_push(struct exec_image *img, const char *s)
{
	char **v = realloc(img->argv, (size_t)(img->argc + 2) * sizeof *v);
	if (!v)
		return -ENOMEM;
	img->argv = v;
	if (!(v[img->argc] = strdup(s)))
		return -ENOMEM;
	v[++img->argc] = NULL;
	return 0;
}

void exec_image_free(struct exec_image *img)
{
	for (int i = 0; i < img->argc; i++)
		free(img->argv[i]);
	free(img->argv);
	free(img->path);
	*img = (struct exec_image){ 0 };
}

/* Open path for exec: the checks of do_open_execat(). The fd, or -errno. */
static int open_exec(const char *path)
{
	/* O_NONBLOCK: a FIFO is refused below, not waited on (the kernel's may_open). */
	int fd = open(*path ? path : ".", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	struct stat st;
	struct statvfs vfs;
	int err = 0;
	if (fstat(fd, &st) != 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = -EACCES;
	else if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0)
		err = -EACCES;
	else if (fstatvfs(fd, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		err = -EACCES;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

static bool spacetab(char c) { return c == ' ' || c == '\t'; }

/* binfmt_script.c load_script(): the interpreter name and optional argument of the first
 * line, NUL-terminated in buf. 0, or -ENOEXEC. */
static int parse_shebang(char *buf, char **name, char **arg)
{
	char *end = buf + BINPRM_BUF_SIZE - 1, *i_end = memchr(buf, '\n', BINPRM_BUF_SIZE);
	char *nul = memchr(buf, '\0', BINPRM_BUF_SIZE);
	if (i_end && nul && nul < i_end)
		i_end = NULL;         /* the kernel's strnchr stops at a NUL */
	if (!i_end) {
		char *p = buf + 2;
		while (p <= end && spacetab(*p))
			p++;
		if (p > end)
			return -ENOEXEC;        /* all spaces and tabs */
		while (p <= end && !spacetab(*p) && *p)
			p++;
		if (p > end)
			return -ENOEXEC;        /* the interpreter's name may be cut */
		i_end = end;
	}
	while (spacetab(i_end[-1]))
		i_end--;
	char *p = buf + 2;
	while (p < i_end && spacetab(*p))
		p++;
	if (p >= i_end)
		return -ENOEXEC;                /* no interpreter name */
	*name = p;
	while (p < i_end && !spacetab(*p) && *p)
		p++;
	char *sep = p;
	*arg = NULL;
	if (sep < i_end && *sep) {
		while (p < i_end && spacetab(*p))
			p++;
		if (p < i_end)
			*arg = p;
	}
	*i_end = '\0';
	*sep = '\0';
	return 0;
}

/* Replace argv[0] by the interpreter's name, its argument and the script's name. */
static int rewrite_argv(struct exec_image *img, const char *name, const char *arg,
			const char *script)
{
	struct exec_image n = { 0 };
	int err = exec_image_push(&n, name);
	if (!err && arg)
		err = exec_image_push(&n, arg);
	if (!err)
		err = exec_image_push(&n, script);
	for (int i = 1; !err && i < img->argc; i++)
		err = exec_image_push(&n, img->argv[i]);
	if (err) {
		exec_image_free(&n);
		return err;
	}
	n.path = img->path;
	img->path = NULL;
	exec_image_free(img);
	*img = n;
	return 0;
}

/* An ELF file the loader can run: 0, -ENOEXEC, or the interpreter's open error. */
static int check_elf(int fd, const unsigned char *b, ssize_t n)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
	if (n < (ssize_t)sizeof *eh || memcmp(b, ELFMAG, SELFMAG) != 0 ||
	    b[EI_CLASS] != ELFCLASS64 || b[EI_DATA] != ELFDATA2LSB ||
	    eh->e_machine != EM_X86_64 || (eh->e_type != ET_EXEC && eh->e_type != ET_DYN) ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phnum == 0 || eh->e_phnum > 1024)
		return -ENOEXEC;
	size_t phsize = (size_t)eh->e_phnum * sizeof(Elf64_Phdr);
	Elf64_Phdr *ph = malloc(phsize);
	if (!ph)
		return -ENOMEM;
	int err = 0;
	if (pread(fd, ph, phsize, (off_t)eh->e_phoff) != (ssize_t)phsize)
		err = -EIO;
	for (int i = 0; !err && i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_INTERP)
			continue;
		char interp[PATH_MAX];
		if (ph[i].p_filesz < 2 || ph[i].p_filesz > sizeof interp ||
		    pread(fd, interp, ph[i].p_filesz, (off_t)ph[i].p_offset) !=
			    (ssize_t)ph[i].p_filesz ||
		    interp[ph[i].p_filesz - 1] != '\0') {
			err = -ENOEXEC;
			break;
		}
		int ifd = open_exec(sys_root_path(interp));
		if (ifd < 0)
			err = ifd;
		else
			close(ifd);
		break;
	}
	free(ph);
	return err;
}

int exec_is_script(const char *path)
{
	char b[2];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);   /* a FIFO must not block */
	if (fd < 0)
		return 0;
	bool script = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, b, 2) == 2 &&
		      b[0] == '#' && b[1] == '!';
	close(fd);
	return script;
}

int exec_resolve(const char *path, const char *name, struct exec_image *img)
{
	char *cur = strdup(path), *shown = strdup(name);
	if (!cur || !shown) {
		free(cur);
		free(shown);
		return -ENOMEM;
	}
	for (int depth = 0;; depth++) {
		int fd = depth > MAX_REWRITES ? -ELOOP : open_exec(cur);
		if (fd < 0) {
			free(cur);
			free(shown);
			return fd;
		}
		char buf[BINPRM_BUF_SIZE + 1];
		memset(buf, 0, sizeof buf);
		ssize_t n = pread(fd, buf, BINPRM_BUF_SIZE, 0);
		int err = n < 0 ? -EIO : 0;
		if (!err && n >= 2 && buf[0] == '#' && buf[1] == '!') {
			close(fd);
			char *iname, *arg;
			err = parse_shebang(buf, &iname, &arg);
			if (!err)
				err = rewrite_argv(img, iname, arg, shown);
			free(cur);
			free(shown);
			if (err)
				return err;
			/* The interpreter is opened as given (relative to the working
			 * directory), or under -L DIR when it is absolute and there. */
			cur = strdup(sys_root_path(iname));
			shown = strdup(iname);
			if (!cur || !shown) {
				free(cur);
				free(shown);
				return -ENOMEM;
			}
			continue;
		}
		if (!err)
			err = check_elf(fd, (const unsigned char *)buf, n);
		close(fd);
		free(shown);
		if (err) {
			free(cur);
			return err;
		}
		img->path = cur;
		return 0;
	}
}
