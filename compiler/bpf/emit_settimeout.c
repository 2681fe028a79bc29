// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set timeouts in BPF (emit_settimeout.h).
 */
#include <stddef.h>

#include "emit_settimeout.h"
#include "hook.h"
#include "compiler/front/setmap.h"

/* past the dynset value at BW_STK_SCRATCH + 16 (24 bytes) */
#define STK_PTR		((int16_t)(BW_STK_SCRATCH + 48))
#define STK_EXP		((int16_t)(BW_STK_SCRATCH + 56))
_Static_assert(56 + 8 <= BW_STK_SCRATCH_SIZE, "in the scratch area");

void bw_set_expiry_emit(struct bw_emit *e, bw_label expired)
{
	bw_label live = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R0,
			  (int16_t)offsetof(struct bw_set_value, expires)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), live);
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R0, STK_PTR));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R1, STK_EXP));
	bw_emit(e, bw_call(BW_HELPER_KTIME_GET_BOOT_NS));
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R10, STK_EXP));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGE, BW_R0, BW_R1, 0), expired);
	bw_emit(e, bw_ldx(BPF_DW, BW_R0, BW_R10, STK_PTR));
	bw_emit_place(e, live);
}

void bw_set_expires_emit(struct bw_emit *e, int16_t off, uint32_t ms)
{
	if (!ms) {
		bw_emit(e, bw_st(BPF_DW, BW_R10, off, 0));
		return;
	}
	bw_emit(e, bw_call(BW_HELPER_KTIME_GET_BOOT_NS));
	bw_emit_ld_imm64(e, BW_R1, (uint64_t)ms * 1000000);
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R0, BW_R1));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R0, off));
}
