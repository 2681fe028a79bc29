// SPDX-License-Identifier: GPL-2.0-only
/*
 * Code for the statements of a rule that are neither matches nor
 * verdicts: log (an event into a ringbuf), limit rate (a token bucket
 * shared by every CPU, updated with compare-and-exchange; packets or
 * bytes) and quota (a count added to atomically).
 */
#include <stddef.h>

#include "hook.h"
#include "log.h"

#define EV(m)	((int16_t)offsetof(struct bw_log_event, m))

void bw_reason_inc_emit(struct bw_emit *e)
{
	bw_label skip = bw_emit_label(e);

	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_KEY));
	bw_emit_ld_map(e, BW_R1, BW_MAP_REASONS);
	bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), skip);
	/* this CPU's slot: no other writer while the program runs */
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R0, 0));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, 1));
	bw_emit(e, bw_stx(BPF_DW, BW_R0, BW_R1, 0));
	bw_emit_place(e, skip);
}

void bw_lost_emit(struct bw_emit *e, uint32_t slot)
{
	bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_KEY, (int32_t)slot));
	bw_reason_inc_emit(e);
}

void bw_log_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		 struct bw_prog *p, uint32_t log, uint32_t handle,
		 uint8_t hook)
{
	bw_label skip = bw_emit_label(e), lost = bw_emit_label(e);

	if (!ops->packet)
		return;		/* a connect hook: no packet to log */
	p->uses_map[BW_MAP_LOG] = true;
	bw_emit_ld_map(e, BW_R1, BW_MAP_LOG);
	bw_emit(e, bw_mov64_imm(BW_R2, (int32_t)sizeof(struct bw_log_event)));
	bw_emit(e, bw_mov64_imm(BW_R3, 0));
	bw_emit(e, bw_call(BW_HELPER_RINGBUF_RESERVE));
	/* the ring is full: this event is lost (and counted), the packet
	 * goes on */
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), lost);
	bw_emit(e, bw_mov64_reg(BW_R7, BW_R0));
	bw_emit(e, bw_call(BW_HELPER_KTIME_GET_NS));
	bw_emit(e, bw_stx(BPF_DW, BW_R7, BW_R0, EV(time_ns)));
	bw_emit(e, bw_st(BPF_W, BW_R7, EV(log), (int32_t)log));
	bw_emit(e, bw_st(BPF_W, BW_R7, EV(handle), (int32_t)handle));
	if (ops->ifindex_off) {
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R6, ops->ifindex_off));
		bw_emit(e, bw_stx(BPF_W, BW_R7, BW_R1, EV(ifindex)));
	} else {		/* the view has the interfaces */
		bw_emit(e, bw_st(BPF_W, BW_R7, EV(ifindex), 0));
	}
	bw_emit(e, bw_st(BPF_W, BW_R7, EV(hook), hook));
	for (int off = 0; off < BW_VIEW_SIZE; off += 8) {
		bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R10, (int16_t)(-BW_VIEW_SIZE + off)));
		bw_emit(e, bw_stx(BPF_DW, BW_R7, BW_R1, (int16_t)(EV(view) + off)));
	}
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R7));
	bw_emit(e, bw_mov64_imm(BW_R2, 0));
	bw_emit(e, bw_call(BW_HELPER_RINGBUF_SUBMIT));
	bw_emit_ja(e, skip);
	bw_emit_place(e, lost);
	p->uses_map[BW_MAP_REASONS] = true;
	bw_lost_emit(e, BW_LOST_LOG);
	bw_emit_place(e, skip);
}

/* A 64-bit constant into reg. */
static void ld64(struct bw_emit *e, uint8_t reg, uint64_t v)
{
	if (v <= INT32_MAX)
		bw_emit(e, bw_mov64_imm(reg, (int32_t)v));
	else
		bw_emit_ld_imm64(e, reg, v);
}

#define LIMIT_TRIES	4	/* compare-and-exchange races before giving up */

/*
 * The arrival time tat (limits[index]) moves on by cost per packet within
 * the rate: a packet at now is within it when max(tat, now) - now <=
 * slack.  Another CPU may move tat between our read and write: the write
 * is a compare-and-exchange, tried again a few times, then taken as
 * above the rate (for a rule that accepts, the packet meets the next
 * rule; it cannot lift a rate).
 */
/* skb->len at the hook (the view's field len_field) into r9. */
static void hook_len(struct bw_emit *e, uint16_t len_field)
{
	bw_emit(e, bw_ldx(BPF_W, BW_R9, BW_R10,
			  (int16_t)(-BW_VIEW_SIZE + bw_field(len_field)->view_off)));
}

/* A byte rate (nft_limit.c): the packet's cost in r9, ns * len / rate
 * in u64 as the kernel computes it; above the rate at once when it is
 * more than the bucket holds. */
static void byte_cost(struct bw_emit *e, const struct bw_ir_limit *l,
		      bw_label above)
{
	hook_len(e, l->len_field);
	ld64(e, BW_R3, l->ns);
	bw_emit(e, bw_alu64_reg(BPF_MUL, BW_R9, BW_R3));
	ld64(e, BW_R3, l->rate);
	bw_emit(e, bw_alu64_reg(BPF_DIV, BW_R9, BW_R3));
	ld64(e, BW_R3, l->max);
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R9, BW_R3, 0), above);
}

void bw_limit_emit(struct bw_emit *e, struct bw_prog *p,
		   const struct bw_ir_limit *l, uint32_t index, bw_label miss)
{
	bw_label within = bw_emit_label(e), above = bw_emit_label(e);
	bw_label go_on = bw_emit_label(e);

	p->uses_map[BW_MAP_LIMITS] = true;
	if (l->bytes)
		byte_cost(e, l, above);
	bw_emit(e, bw_call(BW_HELPER_KTIME_GET_NS));
	bw_emit(e, bw_mov64_reg(BW_R8, BW_R0));
	bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_KEY, (int32_t)index));
	bw_emit_ld_map(e, BW_R1, BW_MAP_LIMITS);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_KEY));
	bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), above);
	bw_emit(e, bw_mov64_reg(BW_R7, BW_R0));
	if (l->bytes) {		/* slack: what the bucket holds beyond it */
		ld64(e, BW_R5, l->max);
		bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R5, BW_R9));
	}
	for (int i = 0; i < LIMIT_TRIES; i++) {
		bw_emit(e, bw_ldx(BPF_DW, BW_R0, BW_R7, 0));
		bw_emit(e, bw_mov64_reg(BW_R4, BW_R0));		/* expected */
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R0));
		bw_emit(e, bw_jmp_reg(BPF_JGE, BW_R1, BW_R8, 1));
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R8));		/* max(tat, now) */
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
		bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R2, BW_R8));
		if (l->bytes)
			bw_emit(e, bw_mov64_reg(BW_R3, BW_R5));
		else
			ld64(e, BW_R3, l->slack);
		bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R3, 0), above);
		if (l->bytes)
			bw_emit(e, bw_mov64_reg(BW_R3, BW_R9));
		else
			ld64(e, BW_R3, l->cost);
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R1, BW_R3));
		bw_emit(e, bw_cmpxchg64(BW_R7, BW_R1, 0));
		bw_emit_jcc(e, bw_jmp_reg(BPF_JEQ, BW_R0, BW_R4, 0), within);
	}
	bw_emit_place(e, above);
	bw_emit_ja(e, l->over ? go_on : miss);
	bw_emit_place(e, within);
	if (l->over)
		bw_emit_ja(e, miss);
	bw_emit_place(e, go_on);
}

/*
 * quota (nft_quota.c): the packet's length added to the count, atomically
 * (slot of BW_MAP_LIMITS); past the quota when the sum is more than it.
 * Without the slot (never: the map has it), past the quota.
 */
void bw_quota_emit(struct bw_emit *e, struct bw_prog *p,
		   const struct bw_ir_quota *q, uint32_t slot, bw_label miss)
{
	bw_label past = bw_emit_label(e), go_on = bw_emit_label(e);

	p->uses_map[BW_MAP_LIMITS] = true;
	hook_len(e, q->len_field);
	bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_KEY, (int32_t)slot));
	bw_emit_ld_map(e, BW_R1, BW_MAP_LIMITS);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_KEY));
	bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), past);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R9));
	bw_emit(e, bw_insn(BPF_STX | BPF_ATOMIC | BPF_DW, BW_R0, BW_R1, 0,
			   BPF_ADD | BPF_FETCH));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R1, BW_R9));	/* the new count */
	ld64(e, BW_R3, q->bytes);
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R1, BW_R3, 0), past);
	if (q->over)
		bw_emit_ja(e, miss);
	else
		bw_emit_ja(e, go_on);
	bw_emit_place(e, past);
	if (!q->over)
		bw_emit_ja(e, miss);
	bw_emit_place(e, go_on);
}
