// SPDX-License-Identifier: GPL-2.0-only
/*
 * The read of a raw payload match (rawpay.h) as BPF: before the match's
 * compare, find its base, read the bytes that hold its bits and leave
 * the value, big endian in the row's bytes, at BW_STK_RAW; r8 = 1 where
 * nf_tables would break the rule (no such base, the bytes past
 * view.pkt_len or the read failing), else 0.  Offsets are the hook's
 * (frame offsets at XDP and TC, from the network header at the
 * netfilter hooks).  r7 is the offset; r0-r5 clobbered.
 */
#include <netinet/in.h>

#include "hook.h"
#include "compiler/front/ir.h"
#include "compiler/front/rawpay.h"

#define V(m)		((int16_t)BW_VIEW_OFF(m))
#define VB(m, k)	((int16_t)(BW_VIEW_OFF(m) + (k)))
#define TMP		((int16_t)(BW_STK_RAW + 16))	/* 8 bytes */
_Static_assert(BW_STK_RAW + 24 <= BW_STK_SCRATCH + BW_STK_SCRATCH_SIZE,
	       "the raw value and its read fit the scratch");

/* r7 = the base's offset, or jump to none. */
static void base(struct bw_emit *e, const struct bw_hook_ops *ops, uint8_t b,
		 bw_label none)
{
	bw_label udp = bw_emit_label(e), have = bw_emit_label(e);

	switch (b) {
	case BW_RAW_LL:
		bw_emit(e, bw_mov64_imm(BW_R7, 0));
		return;
	case BW_RAW_NH:
		bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l3off)));
		return;
	case BW_RAW_TH:
		bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l4off)));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R7, 0, 0), none);
		return;
	case BW_RAW_RT:
		bw_srh_emit_base(e, ops, none);
		return;
	default:
		break;
	}
	/* ih: past a whole TCP header (its data offset) or UDP's 8 bytes */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, BW_VIEW_L4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), none);
	bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l4off)));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, IPPROTO_UDP, 0), udp);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, IPPROTO_TCP, 0), none);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, VB(l4h, 12)));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 4));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 2));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
	bw_emit_ja(e, have);
	bw_emit_place(e, udp);
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 8));
	bw_emit_place(e, have);
}

void bw_raw_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		 const struct bw_ir_match *m)
{
	const struct bw_field *f = bw_field(m->field);
	struct bw_rawpay r = { .base = m->raw.base, .off = m->raw.off,
			       .len = m->raw.len };
	unsigned first = bw_rawpay_first(&r), n = bw_rawpay_nbytes(&r);
	unsigned size = f->size;
	bw_label done = bw_emit_label(e);

	bw_emit(e, bw_st(BPF_DW, BW_R10, BW_STK_RAW, 0));
	bw_emit(e, bw_st(BPF_DW, BW_R10, (int16_t)(BW_STK_RAW + 8), 0));
	bw_emit(e, bw_mov64_imm(BW_R8, 1));
	base(e, ops, r.base, done);
	/* the bytes inside the packet */
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(pkt_len)));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, (int32_t)(first + n)));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R1, 0), done);
	if (!(r.off % 8) && !(r.len % 8)) {
		bw_hook_read_any(e, ops, (int16_t)first, n, (int16_t)(BW_STK_RAW + size - n), done);
	} else {
		/* at most 8 bytes: one number, shifted and masked */
		bw_emit(e, bw_st(BPF_DW, BW_R10, TMP, 0));
		bw_hook_read_any(e, ops, (int16_t)first, n, (int16_t)(TMP + 8 - n), done);
		bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R10, TMP));
		bw_emit(e, bw_be(BW_R1, 64));
		if (n * 8 - r.off % 8 - r.len)
			bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R1,
						(int32_t)(n * 8 - r.off % 8 - r.len)));
		if (r.len < 31) {
			bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1,
						(int32_t)((1u << r.len) - 1)));
		} else if (r.len < 64) {
			bw_emit_ld_imm64(e, BW_R2, (UINT64_C(1) << r.len) - 1);
			bw_emit(e, bw_alu64_reg(BPF_AND, BW_R1, BW_R2));
		}
		if (size > 1)
			bw_emit(e, bw_be(BW_R1, (int32_t)(size * 8)));
		bw_emit(e, bw_stx(size == 1 ? BPF_B : size == 2 ? BPF_H :
				  size == 4 ? BPF_W : BPF_DW, BW_R10, BW_R1,
				  BW_STK_RAW));
	}
	bw_emit(e, bw_mov64_imm(BW_R8, 0));
	bw_emit_place(e, done);
}
