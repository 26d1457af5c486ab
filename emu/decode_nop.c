/* The hint-NOP space, 0f 18 .. 0f 1f with a ModRM operand. x86-64 CPUs run every encoding of it
 * as a no-op (prefetch hints, `nop r/m`, and the reserved forms that later extensions such as
 * MPX and CET give meaning only when enabled), without touching the memory operand. Capstone
 * 4 cannot decode some of them (`0f 1f c0`, `nop eax`, among others) or decodes them as
 * instructions of a disabled extension, so the decoder asks here before it gives up. */
#include "decode_internal.h"

#define MAX_INSN_LEN 15

/* Bytes of the ModRM operand from the ModRM byte on (SIB and displacement included), for
 * 32- and 64-bit addressing, which share one format. */
static unsigned modrm_len(const uint8_t *p, size_t avail)
{
	if (avail < 1)
		return 0;
	unsigned mod = p[0] >> 6, rm = p[0] & 7, n = 1;
	if (mod == 3)
		return n;
	if (rm == 4) {
		if (avail < 2)
			return 0;
		if (mod == 0 && (p[1] & 7) == 5)
			n += 4;   /* SIB with no base: disp32 */
		n++;
	} else if (mod == 0 && rm == 5) {
		n += 4;       /* rip-relative */
	}
	if (mod == 1)
		n += 1;
	else if (mod == 2)
		n += 4;
	return n;
}

unsigned dec_hint_nop_len(const uint8_t *code, size_t avail)
{
	size_t i = 0;
	for (; i < avail && i < MAX_INSN_LEN; i++) {
		uint8_t b = code[i];
		if (b == 0xf0)
			return 0;   /* lock: #UD */
		if (b != 0x66 && b != 0x67 && b != 0xf2 && b != 0xf3 && b != 0x2e && b != 0x36 &&
		    b != 0x3e && b != 0x26 && b != 0x64 && b != 0x65)
			break;
	}
	if (i < avail && (code[i] & 0xf0) == 0x40)
		i++;        /* REX, right before the opcode */
	if (i + 2 > avail || code[i] != 0x0f || code[i + 1] < 0x18 || code[i + 1] > 0x1f)
		return 0;
	i += 2;
	unsigned m = modrm_len(code + i, avail - i);
	if (!m || i + m > avail || i + m > MAX_INSN_LEN)
		return 0;
	return (unsigned)(i + m);
}
