// SPDX-License-Identifier: GPL-2.0-only
/*
 * The walk of a match on a field inside a tunnel (compiler/front/tunnel.h)
 * as BPF: before the match's compare, find the tunnel header and the
 * inner header the field is in, check each as the reference walk does
 * (tunnel.c), and copy the field's bytes to its view_off (view.l4h + 8,
 * which the outer UDP or GRE header leaves free); r8 = 1 where the field
 * is not there (the rule breaks, whatever its operator), else 0.  The
 * walk is straight-line (the tunnel and the layer are known here).
 * Offsets are the hook's (frame offsets at XDP and TC, from the network
 * header at the netfilter hooks), bounded by the outer IP packet's end
 * (view.l3off + view.iplen, at most view.pkt_len).
 *
 * Registers: r7 the offset of the header being read, r8 the answer,
 * r0-r5 clobbered; r9 (the rule's accumulator) untouched.  Stack: the
 * headers' bytes in BW_STK_TMP; the end, the inner EtherType and IHL
 * in the view's bytes past the value (SV_*), free until the value is
 * copied over them at the last step.
 */
#include <netinet/in.h>

#include "hook.h"
#include "compiler/front/ir.h"
#include "compiler/front/tunnel.h"

#define V(m)		((int16_t)BW_VIEW_OFF(m))
#define SLOT		((int16_t)(BW_VIEW_OFF(l4h) + 8))
#define SV_END		((int16_t)(SLOT + 8))	/* u32 */
#define SV_ET		((int16_t)(SLOT + 12))	/* u16 */
#define SV_IHL		((int16_t)(SLOT + 14))	/* u16 */
#define HB		((int16_t)BW_STK_TMP)

/* Fail unless r7 + n <= the end. */
static void need(struct bw_emit *e, int32_t n, bw_label fail)
{
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, n));
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, SV_END));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R1, 0), fail);
}

/* r2 = the big-endian u16 at r10 + off */
static void get16(struct bw_emit *e, int16_t off)
{
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, off));
	bw_emit(e, bw_be(BW_R2, 16));
}

/* The tunnel header at r7: leave r7 at what follows it (the inner
 * Ethernet header, or GRE's network header with its protocol in
 * SV_ET); at the header itself when the field is in it (vni: goto
 * value). */
static void tunnel_hdr(struct bw_emit *e, const struct bw_hook_ops *ops,
		       enum bw_tunnel t, const struct bw_field *f,
		       bw_label fail, bw_label value)
{
	switch (t) {
	case BW_TUN_VXLAN:
		need(e, BW_TUN_VXLAN_LEN, fail);
		bw_hook_read_any(e, ops, 0, BW_TUN_VXLAN_LEN, HB, fail);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, 0x08));	/* I flag */
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), fail);
		if (f->tun_layer == BW_TL_TUN) {
			bw_emit_ja(e, value);
			return;
		}
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, BW_TUN_VXLAN_LEN));
		return;
	case BW_TUN_GENEVE:
		need(e, BW_TUN_GENEVE_LEN, fail);
		bw_hook_read_any(e, ops, 0, BW_TUN_GENEVE_LEN, HB, fail);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB));
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 6));	/* version */
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, 0, 0), fail);
		if (f->tun_layer == BW_TL_TUN) {
			bw_emit_ja(e, value);
			return;
		}
		get16(e, HB + 2);
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, BW_TUN_ETH_P_TEB, 0), fail);
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, 0x3f));	/* options */
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R1, 2));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R1));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, BW_TUN_GENEVE_LEN));
		return;
	case BW_TUN_GRE:
	case BW_TUN_GRETAP:
		need(e, 4, fail);
		bw_hook_read_any(e, ops, 0, 4, HB, fail);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB + 1));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, 0x07));	/* version */
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, 0, 0), fail);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB));
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0x40));	/* routing */
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, 0, 0), fail);
		/* 4 bytes more for each of C (0x80), K (0x20), S (0x10) */
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0x80));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 5));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0x20));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 3));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, 0x10));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R1, 2));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R1));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 4));
		get16(e, HB + 2);
		if (t == BW_TUN_GRETAP) {
			bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, BW_TUN_ETH_P_TEB, 0), fail);
			return;
		}
		bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R2, SV_ET));
		return;
	default:
		bw_emit_ja(e, fail);
	}
}

/* The inner Ethernet header at r7: its EtherType to SV_ET, r7 past it
 * (at it when the field is in it: goto value). */
static void link_hdr(struct bw_emit *e, const struct bw_hook_ops *ops,
		     const struct bw_field *f, bw_label fail, bw_label value)
{
	need(e, 14, fail);
	bw_hook_read_any(e, ops, 12, 2, HB, fail);
	get16(e, HB);
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R2, SV_ET));
	if (f->tun_layer == BW_TL_LINK) {
		if (f->tun_need)
			bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, f->tun_need, 0), fail);
		bw_emit_ja(e, value);
		return;
	}
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 14));
}

/* The inner IPv4 header at r7 (SV_ET said 0x0800).  IP4 fields: goto
 * value; transport fields: r7 at the transport header of protocol p
 * (an unfragmented packet or a first fragment), then goto l4. */
static void ip4_hdr(struct bw_emit *e, const struct bw_hook_ops *ops,
		    const struct bw_field *f, bw_label fail, bw_label value,
		    bw_label l4)
{
	need(e, 20, fail);
	bw_hook_read_any(e, ops, 0, 8, HB, fail);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, 4, 0), fail);
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, 0x0f));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R1, 2));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JLT, BW_R1, 20, 0), fail);
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, SV_IHL));
	/* the total length: the header's at least, inside the packet; it
	 * is the inner packet's end */
	get16(e, HB + 2);
	bw_emit_jcc(e, bw_jmp_reg(BPF_JLT, BW_R2, BW_R1, 0), fail);
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R7));
	bw_emit(e, bw_ldx(BPF_W, BW_R3, BW_R10, SV_END));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R3, 0), fail);
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R2, SV_END));
	if (f->tun_layer == BW_TL_IP4) {
		bw_emit_ja(e, value);
		return;
	}
	/* a later fragment has no transport header */
	get16(e, HB + 6);
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0x1fff));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, 0, 0), fail);
	bw_hook_read_any(e, ops, 8, 8, HB, fail);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB + 1));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, f->tun_need & 0xff, 0), fail);
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, SV_IHL));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R1));
	bw_emit_ja(e, l4);
}

/* The inner IPv6 header at r7 (SV_ET said 0x86dd), as ip4_hdr. */
static void ip6_hdr(struct bw_emit *e, const struct bw_hook_ops *ops,
		    const struct bw_field *f, bw_label fail, bw_label value,
		    bw_label l4)
{
	need(e, 40, fail);
	bw_hook_read_any(e, ops, 0, 8, HB, fail);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R1, 4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, 6, 0), fail);
	get16(e, HB + 4);
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 40));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R7));
	bw_emit(e, bw_ldx(BPF_W, BW_R3, BW_R10, SV_END));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R3, 0), fail);
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R2, SV_END));
	if (f->tun_layer == BW_TL_IP6) {
		bw_emit_ja(e, value);
		return;
	}
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, HB + 6));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, f->tun_need & 0xff, 0), fail);
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 40));
	bw_emit_ja(e, l4);
}

void bw_tunnel_walk_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
			 const struct bw_ir_match *m)
{
	const struct bw_field *f = bw_field(m->field);
	enum bw_tunnel t = (enum bw_tunnel)m->tunnel;
	bw_label done = bw_emit_label(e), value = bw_emit_label(e);
	bw_label v4 = bw_emit_label(e), v6 = bw_emit_label(e);
	bw_label l4 = bw_emit_label(e);
	uint8_t net = (uint8_t)(f->tun_need >> 8);

	bw_emit(e, bw_st(BPF_DW, BW_R10, SLOT, 0));
	bw_emit(e, bw_st(BPF_DW, BW_R10, SLOT + 8, 0));
	bw_emit(e, bw_mov64_imm(BW_R8, 1));
	if (t == BW_TUN_NONE || (t == BW_TUN_GRE && f->tun_layer == BW_TL_LINK))
		return;		/* never there (evaluation refuses these) */
	/* the end: of the outer IP packet, inside what the hook has */
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, V(l3off)));
	bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, V(iplen)));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R1, BW_R2));
	bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, V(pkt_len)));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JLE, BW_R1, BW_R2, 0), v4);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R2));
	bw_emit_place(e, v4);
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, SV_END));
	v4 = bw_emit_label(e);
	/* the outer transport header: UDP or GRE, whole */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, bw_tunnel_l4proto(t), 0), done);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, BW_VIEW_L4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), done);
	bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l4off)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R7, 0, 0), done);
	if (bw_tunnel_l4proto(t) == IPPROTO_UDP)
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 8));
	tunnel_hdr(e, ops, t, f, done, value);
	if (f->tun_layer != BW_TL_TUN && t != BW_TUN_GRE)
		link_hdr(e, ops, f, done, value);
	if (f->tun_layer == BW_TL_IP4 || f->tun_layer == BW_TL_IP6 ||
	    f->tun_layer == BW_TL_L4) {
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, SV_ET));
		if (f->tun_layer != BW_TL_IP6 && net != 6)
			bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0x0800, 0), v4);
		if (f->tun_layer != BW_TL_IP4 && net != 4)
			bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0x86dd, 0), v6);
		bw_emit_ja(e, done);
		if (f->tun_layer != BW_TL_IP6 && net != 6) {
			bw_emit_place(e, v4);
			ip4_hdr(e, ops, f, done, value, l4);
		}
		if (f->tun_layer != BW_TL_IP4 && net != 4) {
			bw_emit_place(e, v6);
			ip6_hdr(e, ops, f, done, value, l4);
		}
		if (f->tun_layer == BW_TL_L4) {
			/* the inner transport header, whole */
			bw_emit_place(e, l4);
			need(e, (f->tun_need & 0xff) == IPPROTO_TCP ? 20 : 8, done);
			bw_emit_ja(e, value);
		}
	}
	/* the field at r7 + tun_off, inside the end */
	bw_emit_place(e, value);
	need(e, f->tun_off + f->size, done);
	bw_hook_read_any(e, ops, f->tun_off, f->size, SLOT, done);
	bw_emit(e, bw_mov64_imm(BW_R8, 0));
	bw_emit_place(e, done);
}
