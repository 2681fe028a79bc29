// SPDX-License-Identifier: GPL-2.0-only
/*
 * Code for the statements of a rule that are neither matches nor
 * verdicts: log (an event into a ringbuf) and limit rate (a token bucket
 * shared by every CPU, updated with compare-and-exchange).
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
void bw_limit_emit(struct bw_emit *e, struct bw_prog *p,
		   const struct bw_ir_limit *l, uint32_t index, bw_label miss)
{
	bw_label within = bw_emit_label(e), above = bw_emit_label(e);
	bw_label go_on = bw_emit_label(e);

	p->uses_map[BW_MAP_LIMITS] = true;
	bw_emit(e, bw_call(BW_HELPER_KTIME_GET_NS));
	bw_emit(e, bw_mov64_reg(BW_R8, BW_R0));
	bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_KEY, (int32_t)index));
	bw_emit_ld_map(e, BW_R1, BW_MAP_LIMITS);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_KEY));
	bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), above);
	bw_emit(e, bw_mov64_reg(BW_R7, BW_R0));
	for (int i = 0; i < LIMIT_TRIES; i++) {
		bw_emit(e, bw_ldx(BPF_DW, BW_R0, BW_R7, 0));
		bw_emit(e, bw_mov64_reg(BW_R4, BW_R0));		/* expected */
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R0));
		bw_emit(e, bw_jmp_reg(BPF_JGE, BW_R1, BW_R8, 1));
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R8));		/* max(tat, now) */
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
		bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R2, BW_R8));
		ld64(e, BW_R3, l->slack);
		bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R3, 0), above);
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
