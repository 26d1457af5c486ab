/* The CPU sfdemu emulates, as CPUID reports it: baseline x86-64 (SSE2, CMPXCHG16B, LAHF/SAHF in
 * 64-bit mode), no SSE3 or later, no AVX, no XSAVE. Everything reported here is implemented; the
 * loader's AT_HWCAP is CPUID.1:EDX, as the kernel's. */
#ifndef SFDEMU_CPUID_H
#define SFDEMU_CPUID_H

/* Leaf 1. EDX: FPU VME DE PSE TSC MSR PAE MCE CX8 APIC SEP MTRR PGE MCA CMOV PAT PSE36 CLFSH
 * MMX FXSR SSE SSE2. ECX: CX16 only. */
#define CPUID_1_EDX 0x078bfbffu
#define CPUID_1_ECX 0x00002000u
/* Leaf 0x80000001. EDX: SYSCALL NX LM. ECX: LAHF_LM. */
#define CPUID_EXT1_EDX 0x20100800u
#define CPUID_EXT1_ECX 0x00000001u

#endif
