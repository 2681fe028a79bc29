// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP (ingress): direct packet access.  r8 = data, r9 = data_end for the
 * whole prologue; every read re-derives the pointer from r7 (a bounded
 * scalar offset, usually not a constant: see prologue.c) and checks it
 * against data_end once for the whole header.
 */
#include <stddef.h>
#include <linux/bpf.h>

#include "hook.h"

static void xdp_start(struct bw_emit *e)
{
	bw_emit(e, bw_mov64_reg(BW_R6, BW_R1));
	bw_prologue_zero_view(e);
	bw_emit(e, bw_ldx(BPF_W, BW_R8, BW_R6, offsetof(struct xdp_md, data)));
	bw_emit(e, bw_ldx(BPF_W, BW_R9, BW_R6, offsetof(struct xdp_md, data_end)));
	bw_emit(e, bw_mov64_reg(BW_R0, BW_R9));
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R0, BW_R8));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, BW_VIEW_OFF(pkt_len)));
}

static void xdp_read(struct bw_emit *e, int16_t at, uint32_t len, int16_t dst,
		     bw_label fail)
{
	static const struct { uint8_t size, bytes; } widths[] = {
		{ BPF_DW, 8 }, { BPF_W, 4 }, { BPF_H, 2 }, { BPF_B, 1 },
	};
	uint32_t k = 0;

	bw_emit(e, bw_mov64_reg(BW_R1, BW_R8));
	if (at) {
		/* offset first: the verifier rejects a packet pointer whose
		 * constant part is negative, not a smaller scalar offset */
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, at));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R1, BW_R2));
	} else {
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R1, BW_R7));
	}
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, (int32_t)len));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R9, 0), fail);
	while (k < len) {
		for (unsigned w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
			int32_t at = dst + (int32_t)k;

			if (widths[w].bytes > len - k || (at & (widths[w].bytes - 1)))
				continue;
			bw_emit(e, bw_ldx(widths[w].size, BW_R3, BW_R1, (int16_t)k));
			bw_emit(e, bw_stx(widths[w].size, BW_R10, BW_R3, (int16_t)at));
			k += widths[w].bytes;
			break;
		}
	}
}

const struct bw_hook_ops bw_hook_xdp_ops = {
	.info = {
		.name = "xdp",
		.prog_type = BPF_PROG_TYPE_XDP,
		.expected_attach_type = BPF_XDP,
		.egress = false,
		.verdict_accept = XDP_PASS,
		.verdict_drop = XDP_DROP,
		.verdict_reject = XDP_TX,
	},
	.fields = BW_FIELDS_ALL,
	.start = xdp_start,
	.read = xdp_read,
	.packet = true,
	.ifindex_off = offsetof(struct xdp_md, ingress_ifindex),
	.load_bytes = BW_HELPER_XDP_LOAD,
};
