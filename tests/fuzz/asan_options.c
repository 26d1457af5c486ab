/* Default sanitizer options of the sanitized builds (build-asan/, make test-asan), linked into
 * sfdemu and the unit tests there, so that the tests need no environment (tests/run-guests
 * runs guests with a clean one):
 *   replace_intrin=0  ASan checks the ranges memcpy, memmove and memset touch before they
 *       run and reports a range outside the application's address space. Guest accesses of
 *       more than 8 bytes are such calls at the guest's address, and a guest that reaches a
 *       kernel or non-canonical address must get its SIGSEGV from the access itself. Inline
 *       checks of sfdemu's own loads and stores stay.
 *   detect_leaks=0 (sfdemu only, ASAN_LEAKS undefined)  what a process about to exit still
 *       holds is not a leak worth a report, and a report would change the guest's exit
 *       status; the unit tests keep leak detection.
 *   allow_user_segv_handler=1  sfdemu's SIGSEGV handler turns guest faults into guest
 *       signals.
 *   use_sigaltstack=0  sfdemu gives each thread its own alternate signal stack, from memory
 *       it keeps apart from the guest's address-space limit (emu/host_alloc.c); the one ASan
 *       would map as each host thread starts is made under the guest's RLIMIT_AS, and a
 *       guest that used it up would make ASan abort the thread start. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
#ifdef ASAN_LEAKS
	return "replace_intrin=0:allow_user_segv_handler=1:use_sigaltstack=0";
#else
	return "replace_intrin=0:allow_user_segv_handler=1:use_sigaltstack=0:detect_leaks=0";
#endif
}

const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void)
{
	return "print_stacktrace=1:halt_on_error=1";
}

/* munmap, in the sanitized builds only: the range's shadow is cleared first, as newer ASan
 * runtimes do themselves. A vfork child runs the emulator on a stack of its own in the
 * parent's memory (syscalls/clone.c) and ends without unwinding it, so ASan's redzones of
 * its frames stay in the shared shadow after the parent unmaps that stack; a guest mapping
 * that later lands there would be reported as a stack-buffer-overflow. Mappings larger than
 * 64 MiB (reservations) never held a stack and are left alone. */
#include <stddef.h>
#include <sys/syscall.h>
#include <unistd.h>
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
int munmap(void *addr, size_t len);
int munmap(void *addr, size_t len)
{
	if (len <= (64u << 20) && !((unsigned long)addr & 4095))
		__asan_unpoison_memory_region(addr, (len + 4095) & ~(size_t)4095);
	return (int)syscall(SYS_munmap, addr, len);
}
