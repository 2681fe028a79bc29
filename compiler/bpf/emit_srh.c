// SPDX-License-Identifier: GPL-2.0-only
/*
 * The base of an srh match (srh.h) as BPF: the walk of the kernel's
 * ipv6_find_hdr() to the first routing header, again for each match
 * (the view keeps the header's first bytes, not its offset), unrolled
 * BW_SRH_STEPS headers, as bw_srh_find() does for the interpreter.
 * Offsets are the hook's (view.l3off: frame offsets at XDP and TC, 0 at
 * the netfilter hooks), bounded by view.pkt_len.  Each header's length
 * is computed without branches (as the prologue's walk does), so the
 * verifier sees one path per step.  r8 holds the next header during the
 * walk and is 1 at both ends.
 */
#include <netinet/in.h>

#include "hook.h"
#include "compiler/front/srh.h"

#define V(m)		((int16_t)BW_VIEW_OFF(m))
#define VB(m, k)	((int16_t)(BW_VIEW_OFF(m) + (k)))

/* dst = (src == k): 1 or 0 (clobbers r5) */
static void eq01(struct bw_emit *e, uint8_t dst, uint8_t src, int32_t k)
{
	bw_emit(e, bw_mov64_reg(dst, src));
	bw_emit(e, bw_alu64_imm(BPF_XOR, dst, k));
	bw_emit(e, bw_mov64_reg(BW_R5, dst));
	bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R5, 0));
	bw_emit(e, bw_alu64_reg(BPF_OR, dst, BW_R5));
	bw_emit(e, bw_alu64_imm(BPF_RSH, dst, 63));
	bw_emit(e, bw_alu64_imm(BPF_XOR, dst, 1));
}

/* One header at r7 of kind r8: the routing header (jump to have), or
 * stepped over (r7, r8 the next), or the end of the walk (jump to no). */
static void step(struct bw_emit *e, const struct bw_hook_ops *ops,
		 bw_label have, bw_label no)
{
	bw_label ext = bw_emit_label(e);

	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R8, IPPROTO_ROUTING, 0), have);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R8, IPPROTO_HOPOPTS, 0), ext);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R8, IPPROTO_DSTOPTS, 0), ext);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R8, IPPROTO_FRAGMENT, 0), ext);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R8, IPPROTO_AH, 0), no);
	bw_emit_place(e, ext);
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(pkt_len)));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 4));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R1, 0), no);
	bw_hook_read_any(e, ops, 0, 4, BW_STK_TMP, no);
	/* r0 = 1 for a fragment header, r4 = 1 for AH */
	eq01(e, BW_R0, BW_R8, IPPROTO_FRAGMENT);
	eq01(e, BW_R4, BW_R8, IPPROTO_AH);
	/* a later fragment's header: what follows is payload */
	bw_emit(e, bw_ldx(BPF_H, BW_R3, BW_R10, BW_STK_TMP + 2));
	bw_emit(e, bw_be(BW_R3, 16));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 0xfff8));
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R5, 0));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R3, BW_R5));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R3, 0, 0), no);
	/* r2 = (len + 1) * 8; AH (len + 2) * 4; fragment 8 */
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, BW_STK_TMP + 1));
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_SUB, BW_R5, 1));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R5));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R4));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 1));
	bw_emit(e, bw_mov64_imm(BW_R3, 3));
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R3, BW_R4));
	bw_emit(e, bw_alu64_reg(BPF_LSH, BW_R2, BW_R3));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0xfff));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R7, 0xffff));
	bw_emit(e, bw_ldx(BPF_B, BW_R8, BW_R10, BW_STK_TMP));
}

void bw_srh_emit_base(struct bw_emit *e, const struct bw_hook_ops *ops,
		      bw_label none)
{
	bw_label have = bw_emit_label(e), no = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, 6, 0), none);
	bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l3off)));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 40));
	bw_emit(e, bw_ldx(BPF_B, BW_R8, BW_R10, VB(l3h, 6)));
	for (int i = 0; i < BW_SRH_STEPS; i++)
		step(e, ops, have, no);
	bw_emit_place(e, no);
	bw_emit(e, bw_mov64_imm(BW_R8, 1));
	bw_emit_ja(e, none);
	bw_emit_place(e, have);
	bw_emit(e, bw_mov64_imm(BW_R8, 1));
}
