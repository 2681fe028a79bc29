// SPDX-License-Identifier: GPL-2.0-only
/*
 * The walk of an `sctp chunk` match (sctp_chunk.h) as BPF: before the
 * match's compare, find the first chunk of its type and leave the value
 * at the field's view_off (l4h + 16, which SCTP's 12-byte common header
 * leaves free), and r8 = 1 where nf_tables would break the rule (no such
 * chunk, the field beyond the chunk's length or the chunk beyond the
 * packet), else 0.  Offsets are the hook's (frame offsets at XDP and TC,
 * from the network header at the netfilter hooks), bounded by
 * view.pkt_len (skb->len, as nf_tables' walk).  The walk is unrolled
 * BW_SCTP_CHUNK_MAX steps; a packet whose answer lies further is dropped
 * (BW_REASON_SCTP_CHUNKS).  r7 is the offset; r0-r5 clobbered.
 */
#include <netinet/in.h>

#include "hook.h"
#include "compiler/front/ir.h"
#include "compiler/front/sctp_chunk.h"

#define V(m)		((int16_t)BW_VIEW_OFF(m))
#define VB(m, k)	((int16_t)(BW_VIEW_OFF(m) + (k)))

void bw_sctp_walk_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		       const struct bw_ir_match *m)
{
	const struct bw_field *f = bw_field(m->field);
	bw_label done = bw_emit_label(e), found = bw_emit_label(e);
	int16_t slot = (int16_t)(-BW_VIEW_SIZE + f->view_off);

	bw_emit(e, bw_st(BPF_DW, BW_R10, slot, 0));
	bw_emit(e, bw_mov64_imm(BW_R8, 1));
	/* an SCTP packet whose common header is there (the rule's guard
	 * decides the rest: nothing to walk otherwise) */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, IPPROTO_SCTP, 0), done);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, BW_VIEW_L4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), done);
	bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l4off)));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 12));
	for (int i = 0; i < BW_SCTP_CHUNK_MAX; i++) {
		/* a chunk header: 4 bytes before the end */
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(pkt_len)));
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 4));
		bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R1, 0), done);
		bw_hook_read_any(e, ops, 0, 4, BW_STK_TMP, done);
		bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, BW_STK_TMP + 2));
		bw_emit(e, bw_be(BW_R2, 16));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R2, 0, 0), done);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, BW_STK_TMP));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, m->chunk.type, 0), found);
		/* the next: the length rounded up to 4 */
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 3));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0x1fffc));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(pkt_len)));
		bw_emit_jcc(e, bw_jmp_reg(BPF_JGE, BW_R7, BW_R1, 0), done);
	}
	/* the answer lies past the bound: drop, counted */
	bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_KEY, BW_REASON_SCTP_CHUNKS));
	bw_reason_inc_emit(e);
	bw_emit(e, bw_mov64_imm(BW_R0, ops->info.verdict_drop));
	bw_emit(e, bw_exit());

	bw_emit_place(e, found);
	if (!m->chunk.size) {
		bw_emit(e, bw_st(BPF_B, BW_R10, slot, 1));
		bw_emit(e, bw_mov64_imm(BW_R8, 0));
		bw_emit_place(e, done);
		return;
	}
	/* r2 = the chunk's length: the field inside it, it inside the packet */
	bw_emit_jcc(e, bw_jmp_imm(BPF_JLT, BW_R2, m->chunk.off + m->chunk.size, 0),
		    done);
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R7));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R2));
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(pkt_len)));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R3, BW_R1, 0), done);
	bw_hook_read_any(e, ops, m->chunk.off, m->chunk.size, slot, done);
	bw_emit(e, bw_mov64_imm(BW_R8, 0));
	bw_emit_place(e, done);
}
