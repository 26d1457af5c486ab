/* Opening and validating an ELF file before anything is mapped. Headers are read with pread
 * into our own buffers and every offset is bounds-checked without overflow, so a truncated or
 * garbage file gets one line of diagnosis and never a crash. The checks are the kernel's
 * (fs/binfmt_elf.c load_elf_binary) plus the ones that would make mapping go wrong later. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loader_internal.h"

/* The line as printed: control characters (a file name or a PT_INTERP path may hold a
 * newline) shown as \xNN, so that a refusal is always exactly one line. */
int ldr_fail(const char *label, int status, const char *fmt, ...)
{
	char msg[512], line[1024], out[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(line, sizeof(line), "sfdemu: %s: %s", label, msg);
	size_t n = 0;
	for (const char *p = line; *p && n + 5 < sizeof(out); p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c == 0x7f)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "\\x%02x", c);
		else
			out[n++] = (char)c;
	}
	out[n] = '\0';
	fprintf(stderr, "%s\n", out);
	return status;
}

/* Read exactly len bytes at off; false on a short read or an error. */
static bool ldr_pread_all(int fd, void *buf, size_t len, uint64_t off)
{
	char *p = buf;
	while (len) {
		ssize_t n = pread(fd, p, len, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return true;
}

/* [off, off+len) lies inside a file of `size` bytes. */
static bool ldr_in_file(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static const char *ldr_machine_name(unsigned m)
{
	switch (m) {
	case EM_386: return "Intel 80386";
	case EM_ARM: return "ARM";
	case EM_AARCH64: return "AArch64";
	case EM_MIPS: return "MIPS";
	case EM_PPC: return "PowerPC";
	case EM_PPC64: return "PowerPC64";
	case EM_S390: return "IBM S/390";
	case EM_SPARC: return "SPARC";
	case EM_SPARCV9: return "SPARC V9";
	case EM_IA_64: return "IA-64";
	case EM_RISCV: return "RISC-V";
	case 258: return "LoongArch";  /* EM_LOONGARCH, newer than some <elf.h> */
	case EM_ALPHA: return "Alpha";
	case EM_SH: return "SuperH";
	case EM_68K: return "Motorola 68000";
	case EM_PARISC: return "PA-RISC";
	case EM_BPF: return "eBPF";
	default: return NULL;
	}
}

/* The identification bytes and the header fields that do not need a whole header. */
static int ldr_check_ident(struct ldr_file *f, const unsigned char *b, size_t n)
{
	if (n >= 2 && b[0] == '#' && b[1] == '!') {
		size_t i = 2, len = 0;
		while (i < n && (b[i] == ' ' || b[i] == '\t'))
			i++;
		while (i + len < n && b[i + len] > ' ' && b[i + len] < 0x7f)
			len++;
		/* sfdemu resolves scripts before loading (syscalls/binfmt.c). */
		if (len == 0)
			return ldr_fail(f->label, 126, "is a script (#!), not an ELF file");
		return ldr_fail(f->label, 126, "is a script for %.*s, not an ELF file",
				(int)len, (const char *)b + i);
	}
	if (n == 0)
		return ldr_fail(f->label, 126, "empty file (exec format error)");
	if (n < SELFMAG) {
		if (n > 0 && memcmp(b, ELFMAG, n) == 0)
			return ldr_fail(f->label, 126, "truncated ELF header (%zu bytes)", n);
		return ldr_fail(f->label, 126, "not an ELF file (exec format error)");
	}
	if (memcmp(b, ELFMAG, SELFMAG) != 0)
		return ldr_fail(f->label, 126, "not an ELF file (exec format error)");
	if (n <= EI_DATA)
		return ldr_fail(f->label, 126, "truncated ELF header (%zu bytes)", n);
	unsigned cls = b[EI_CLASS], data = b[EI_DATA];
	if (cls != ELFCLASS32 && cls != ELFCLASS64)
		return ldr_fail(f->label, 126, "invalid ELF class %u", cls);
	if (data != ELFDATA2LSB && data != ELFDATA2MSB)
		return ldr_fail(f->label, 126, "invalid ELF data encoding %u", data);
	const char *name = NULL;
	unsigned machine = 0;
	if (n >= 20) {   /* e_machine is at offset 18 in both classes */
		machine = data == ELFDATA2LSB ? (unsigned)(b[18] | b[19] << 8)
					      : (unsigned)(b[18] << 8 | b[19]);
		name = ldr_machine_name(machine);
	}
	if (data == ELFDATA2MSB)
		return ldr_fail(f->label, 126, "big-endian ELF%s%s, not x86-64",
				name ? " for " : "", name ? name : "");
	if (n >= 20 && machine != EM_X86_64) {
		if (name)
			return ldr_fail(f->label, 126, "ELF for %s, not x86-64", name);
		return ldr_fail(f->label, 126, "ELF for machine %u, not x86-64", machine);
	}
	if (cls == ELFCLASS32)
		return ldr_fail(f->label, 126, "32-bit ELF, not x86-64");
	if (n < sizeof(Elf64_Ehdr))
		return ldr_fail(f->label, 126, "truncated ELF header (%zu bytes)", n);
	return 0;
}

static int ldr_check_ehdr(struct ldr_file *f)
{
	const Elf64_Ehdr *e = &f->eh;
	switch (e->e_type) {
	case ET_EXEC:
	case ET_DYN:
		break;
	case ET_REL:
		return ldr_fail(f->label, 126, "relocatable object file, not an executable");
	case ET_CORE:
		return ldr_fail(f->label, 126, "core dump, not an executable");
	default:
		return ldr_fail(f->label, 126, "unknown ELF type %u, not an executable", e->e_type);
	}
	if (e->e_phentsize != sizeof(Elf64_Phdr))
		return ldr_fail(f->label, 126, "program header size %u, expected %zu",
				e->e_phentsize, sizeof(Elf64_Phdr));
	if (e->e_phnum == 0)
		return ldr_fail(f->label, 126, "no program headers");
	if (e->e_phnum > 65536u / sizeof(Elf64_Phdr))
		return ldr_fail(f->label, 126, "too many program headers (%u)", e->e_phnum);
	if (!ldr_in_file(e->e_phoff, (uint64_t)e->e_phnum * sizeof(Elf64_Phdr), f->size))
		return ldr_fail(f->label, 126, "program headers outside the file");
	return 0;
}

/* One PT_LOAD against itself and the PT_LOAD before it (prev, or NULL). */
static int ldr_check_load(struct ldr_file *f, int i, const Elf64_Phdr *p, const Elf64_Phdr *prev)
{
	if (p->p_filesz > p->p_memsz)
		return ldr_fail(f->label, 126, "segment %d: file size larger than memory size", i);
	if (LDR_PAGEOFF(p->p_offset) != LDR_PAGEOFF(p->p_vaddr))
		return ldr_fail(f->label, 126,
				"segment %d misaligned: offset 0x%llx and address 0x%llx differ "
				"modulo the page size", i, (unsigned long long)p->p_offset,
				(unsigned long long)p->p_vaddr);
	if (p->p_vaddr >= LDR_TASK_SIZE || p->p_memsz > LDR_TASK_SIZE - p->p_vaddr)
		return ldr_fail(f->label, 126, "segment %d: addresses 0x%llx+0x%llx out of range", i,
				(unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz);
	if (prev) {
		if (p->p_vaddr < prev->p_vaddr)
			return ldr_fail(f->label, 126, "PT_LOAD segments not in ascending order "
					"(segment %d)", i);
		if (p->p_vaddr < prev->p_vaddr + prev->p_memsz)
			return ldr_fail(f->label, 126, "overlapping PT_LOAD segments (segment %d)", i);
	}
	return 0;
}

static int ldr_read_interp(struct ldr_file *f, const Elf64_Phdr *p, bool is_interp)
{
	if (is_interp)
		return ldr_fail(f->label, 126, "has a PT_INTERP of its own (an interpreter must not)");
	if (f->interp)
		return ldr_fail(f->label, 126, "more than one PT_INTERP");
	if (p->p_filesz > PATH_MAX)
		return ldr_fail(f->label, 126, "interpreter path too long (%llu bytes)",
				(unsigned long long)p->p_filesz);
	if (p->p_filesz < 2)
		return ldr_fail(f->label, 126, "empty interpreter path");
	f->interp = malloc(p->p_filesz);
	if (!f->interp)
		return ldr_fail(f->label, 126, "out of memory");
	if (!ldr_pread_all(f->fd, f->interp, p->p_filesz, p->p_offset))
		return ldr_fail(f->label, 126, "cannot read the interpreter path");
	if (f->interp[p->p_filesz - 1] != '\0')
		return ldr_fail(f->label, 126, "interpreter path not NUL-terminated");
	if (f->interp[0] == '\0')
		return ldr_fail(f->label, 126, "empty interpreter path");
	return 0;
}

static int ldr_check_phdrs(struct ldr_file *f, bool is_interp)
{
	const Elf64_Phdr *prev = NULL;
	f->stack_flags = -1;
	for (int i = 0; i < f->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &f->ph[i];
		int rc = 0;
		if (p->p_filesz && !ldr_in_file(p->p_offset, p->p_filesz, f->size))
			return ldr_fail(f->label, 126, "segment %d outside the file", i);
		switch (p->p_type) {
		case PT_LOAD:
			rc = ldr_check_load(f, i, p, prev);
			prev = p;
			break;
		case PT_INTERP:
			rc = ldr_read_interp(f, p, is_interp);
			break;
		case PT_GNU_STACK:
			if (f->stack_flags < 0)   /* the kernel takes the first */
				f->stack_flags = (int)p->p_flags;
			break;
		}
		if (rc)
			return rc;
	}
	if (!prev)
		return ldr_fail(f->label, 126, "no loadable segments");
	return 0;
}

/* stat, then open: a directory or a FIFO must not be opened (a FIFO would block). */
static int ldr_open_file(struct ldr_file *f, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return ldr_fail(f->label, errno == ENOENT ? 127 : 126, "%s", strerror(errno));
	if (S_ISDIR(st.st_mode))
		return ldr_fail(f->label, 126, "%s", strerror(EISDIR));
	if (!S_ISREG(st.st_mode))   /* execve gives EACCES for anything but a regular file */
		return ldr_fail(f->label, 126, "%s", strerror(EACCES));
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) != 0)
		return ldr_fail(f->label, errno == ENOENT ? 127 : 126, "%s", strerror(errno));
	f->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (f->fd < 0)
		return ldr_fail(f->label, errno == ENOENT ? 127 : 126, "%s", strerror(errno));
	if (fstat(f->fd, &st) != 0 || !S_ISREG(st.st_mode))
		return ldr_fail(f->label, 126, "%s", strerror(EACCES));
	f->size = (uint64_t)st.st_size;
	return 0;
}

int ldr_open(struct ldr_file *f, const char *path, const char *label, bool is_interp)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->label = strdup(label);
	if (!f->label)
		return ldr_fail(label, 126, "out of memory");
	int rc = ldr_open_file(f, path);
	if (rc)
		return rc;
	unsigned char b[sizeof(Elf64_Ehdr)];
	size_t n = f->size < sizeof(b) ? (size_t)f->size : sizeof(b);
	if (n && !ldr_pread_all(f->fd, b, n, 0))
		return ldr_fail(f->label, 126, "cannot read: %s", errno ? strerror(errno) : "short read");
	if ((rc = ldr_check_ident(f, b, n)))
		return rc;
	memcpy(&f->eh, b, sizeof(f->eh));
	if ((rc = ldr_check_ehdr(f)))
		return rc;
	size_t phsize = (size_t)f->eh.e_phnum * sizeof(Elf64_Phdr);
	f->ph = malloc(phsize);
	if (!f->ph)
		return ldr_fail(f->label, 126, "out of memory");
	if (!ldr_pread_all(f->fd, f->ph, phsize, f->eh.e_phoff))
		return ldr_fail(f->label, 126, "cannot read the program headers");
	return ldr_check_phdrs(f, is_interp);
}

void ldr_close(struct ldr_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->ph);
	free(f->interp);
	free(f->label);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}
