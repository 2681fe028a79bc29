// SPDX-License-Identifier: GPL-2.0-only
/*
 * The context loader of the hooks whose context is a struct __sk_buff (tc
 * and socket filter, see hook.h): the skb's data starts at the MAC header;
 * headers are copied with bpf_skb_load_bytes, which works whether or not
 * they sit in the skb's linear part; skb->len is the view's pkt_len and
 * skb->mark its mark.
 */
#include <stddef.h>
#include <linux/bpf.h>

#include "hook.h"

void bw_skb_start(struct bw_emit *e)
{
	bw_emit(e, bw_mov64_reg(BW_R6, BW_R1));
	bw_prologue_zero_view(e);
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R6, offsetof(struct __sk_buff, len)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, BW_VIEW_OFF(pkt_len)));
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R6, offsetof(struct __sk_buff, mark)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, BW_VIEW_OFF(mark)));
}

void bw_skb_read(struct bw_emit *e, int16_t at, uint32_t len, int16_t dst,
		 bw_label fail)
{
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
	if (at)
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, at));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, dst));
	bw_emit(e, bw_mov64_imm(BW_R4, (int32_t)len));
	bw_emit(e, bw_call(BW_HELPER_SKB_LOAD));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), fail);
}
