// SPDX-License-Identifier: GPL-2.0-only
/*
 * The packet parser of view.h as BPF, shared by every packet hook: each
 * hook supplies start() (ctx -> r6, view zeroed, pkt_len) and read() (copy
 * frame bytes at offset r7 into the stack, or jump to a drop reason).  The
 * logic here follows compiler/view.c step by step; the differential tests
 * hold the two together.
 *
 * r7 is the offset of the current header.  Logical bounds (IP total length,
 * IPv6 payload length) are checked on scalars against BW_STK_END or
 * view.pkt_len before the read; read() checks the frame itself.
 */
#include <netinet/in.h>

#include "hook.h"

#define V(m)	((int16_t)BW_VIEW_OFF(m))
#define VB(m, k) ((int16_t)(BW_VIEW_OFF(m) + (k)))

#define ETH_P_IPV4_	0x0800
#define ETH_P_IPV6_	0x86DD
#define ETH_P_8021Q_	0x8100
#define ETH_P_8021AD_	0x88A8

void bw_prologue_zero_view(struct bw_emit *e)
{
	for (int off = 0; off < BW_VIEW_SIZE; off += 8)
		bw_emit(e, bw_st(BPF_DW, BW_R10, (int16_t)(-BW_VIEW_SIZE + off), 0));
}

/* view.flags |= bit (clobbers r5). */
static void set_flag(struct bw_emit *e, int bit)
{
	bw_emit(e, bw_ldx(BPF_B, BW_R5, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_imm(BPF_OR, BW_R5, bit));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R5, V(flags)));
}

/* if (r7 + len > *END) goto fail (clobbers r4, r5). */
static void check_end(struct bw_emit *e, int32_t len, bw_label fail)
{
	bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, BW_STK_END));
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R7));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R5, len));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R5, BW_R4, 0), fail);
}

/* Step 1: Ethernet and the VLAN walk; leaves the ethertype in r1. */
static void parse_eth(struct bw_emit *e, const struct bw_hook_ops *ops,
		      const bw_label *reason)
{
	bw_label done = bw_emit_label(e);

	bw_emit(e, bw_mov64_imm(BW_R7, 0));
	ops->read(e, 14, V(eth), reason[BW_REASON_ETH_TRUNC]);
	bw_emit(e, bw_mov64_imm(BW_R7, 14));
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, VB(eth, 12)));
	bw_emit(e, bw_be(BW_R1, 16));
	for (int i = 0; i <= BW_VLAN_MAX; i++) {
		bw_label tag = bw_emit_label(e);
		bw_label fail = i < BW_VLAN_MAX ? done : reason[BW_REASON_VLAN_DEPTH];

		if (i == BW_VLAN_MAX) {
			/* one tag too many */
			bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_8021Q_, 0), fail);
			bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_8021AD_, 0), fail);
			break;
		}
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_8021Q_, 0), tag);
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, ETH_P_8021AD_, 0), done);
		bw_emit_place(e, tag);
		ops->read(e, 4, BW_STK_TMP, reason[BW_REASON_ETH_TRUNC]);
		if (i == 0) {
			bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, BW_STK_TMP));
			bw_emit(e, bw_be(BW_R1, 16));
			bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, V(vlan_tci)));
			set_flag(e, BW_VIEW_VLAN);
		}
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 4));
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, BW_STK_TMP + 2));
		bw_emit(e, bw_be(BW_R1, 16));
	}
	bw_emit_place(e, done);
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, V(ethertype)));
}

/* Step 4: transport header at r7, inside [.., *END). */
static void parse_l4(struct bw_emit *e, const struct bw_hook_ops *ops,
		     const bw_label *reason, bw_label l4, bw_label out)
{
	bw_label tcp = bw_emit_label(e), small = bw_emit_label(e);
	bw_label icmp = bw_emit_label(e), icmp6 = bw_emit_label(e);
	bw_label have = bw_emit_label(e);

	bw_emit_place(e, l4);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_TCP, 0), tcp);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_UDP, 0), small);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_ICMP, 0), icmp);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_ICMPV6, 0), icmp6);
	bw_emit_ja(e, out);

	bw_emit_place(e, icmp);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R2, 4, 0), small);
	bw_emit_ja(e, out);
	bw_emit_place(e, icmp6);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 6, 0), out);

	/* UDP, ICMP, ICMPv6: 8 bytes */
	bw_emit_place(e, small);
	check_end(e, 8, reason[BW_REASON_L4_TRUNC]);
	ops->read(e, 8, V(l4h), reason[BW_REASON_L4_TRUNC]);
	bw_emit_ja(e, have);

	bw_emit_place(e, tcp);
	check_end(e, 20, reason[BW_REASON_L4_TRUNC]);
	ops->read(e, 20, V(l4h), reason[BW_REASON_L4_TRUNC]);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l4h, 12)));
	bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R1, 4));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JLT, BW_R1, 5, 0), reason[BW_REASON_TCP_BAD]);

	bw_emit_place(e, have);
	set_flag(e, BW_VIEW_L4);
	/* falls through to out */
}

/* Step 2: IPv4 at r7. */
static void parse_ip4(struct bw_emit *e, const struct bw_hook_ops *ops,
		      const bw_label *reason, bw_label l4, bw_label out)
{
	bw_label bad = reason[BW_REASON_IP4_BAD], nofrag = bw_emit_label(e);
	bw_label notone = bw_emit_label(e);

	ops->read(e, 20, V(l3h), bad);
	/* r1 = version/IHL byte, r2 = IHL * 4, r3 = total length */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3h)));
	bw_emit(e, bw_mov32_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R1, 4));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 4, 0), bad);
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R2, 0x0f));
	bw_emit(e, bw_alu32_imm(BPF_LSH, BW_R2, 2));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JLT, BW_R2, 20, 0), bad);
	bw_emit(e, bw_ldx(BPF_H, BW_R3, BW_R10, VB(l3h, 2)));
	bw_emit(e, bw_be(BW_R3, 16));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JLT, BW_R3, BW_R2, 0), bad);
	/* r4 = bytes left in the frame from r7 (>= 20: the read passed) */
	bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, V(pkt_len)));
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R4, BW_R7));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R3, BW_R4, 0), bad);
	/* END = r7 + total length; r7 = transport offset */
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R7));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R3, BW_STK_END));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3), 4));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(nfproto), 2));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l3h, 9)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));
	/* fragments: r2 = flags/offset */
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, VB(l3h, 6)));
	bw_emit(e, bw_be(BW_R2, 16));
	bw_emit(e, bw_jmp32_imm(BPF_JSET, BW_R2, 0x3fff, 1));
	bw_emit_ja(e, nofrag);
	set_flag(e, BW_VIEW_FRAG);
	bw_emit_place(e, nofrag);
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R2, 0x1fff));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 1, 0), notone);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_TCP, 0),
		    reason[BW_REASON_FRAG_BAD]);
	bw_emit_place(e, notone);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), out);
	bw_emit_ja(e, l4);
}

/* r1 is an IPv6 extension header type: jump to yes. */
static void jump_if_ext(struct bw_emit *e, bw_label yes)
{
	static const int ext[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING,
				   IPPROTO_FRAGMENT, IPPROTO_DSTOPTS,
				   IPPROTO_AH };

	for (unsigned i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ext[i], 0), yes);
}

/* Step 3: IPv6 at r7, then the bounded extension header walk. */
static void parse_ip6(struct bw_emit *e, const struct bw_hook_ops *ops,
		      const bw_label *reason, bw_label l4, bw_label out)
{
	bw_label bad = reason[BW_REASON_IP6_BAD];

	ops->read(e, 40, V(l3h), bad);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3h)));
	bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R1, 4));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 6, 0), bad);
	/* payload length must fit in the frame after the fixed header */
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, VB(l3h, 4)));
	bw_emit(e, bw_be(BW_R2, 16));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 40));
	bw_emit(e, bw_ldx(BPF_W, BW_R3, BW_R10, V(pkt_len)));
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R3, BW_R7));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R3, 0), bad);
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R7));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R2, BW_STK_END));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3), 6));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(nfproto), 10));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l3h, 6)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));

	/* view.l4proto holds the current next-header value throughout */
	for (int i = 0; i <= BW_IP6_EXT_MAX; i++) {
		bw_label ext, frag, ah, len, next;

		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
		if (i == BW_IP6_EXT_MAX) {
			/* still an extension header: the chain is too long;
			 * else fall through into the transport step (l4) */
			jump_if_ext(e, reason[BW_REASON_IP6_EXT]);
			break;
		}
		ext = bw_emit_label(e);
		frag = bw_emit_label(e);
		ah = bw_emit_label(e);
		len = bw_emit_label(e);
		next = bw_emit_label(e);
		jump_if_ext(e, ext);
		bw_emit_ja(e, l4);

		bw_emit_place(e, ext);
		check_end(e, 8, bad);
		ops->read(e, 8, BW_STK_TMP, bad);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
		bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, BW_STK_TMP + 1));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_FRAGMENT, 0), frag);
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_AH, 0), ah);
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 1));
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 3));
		bw_emit_ja(e, len);
		bw_emit_place(e, ah);
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 2));
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 2));
		bw_emit_place(e, len);
		/* the whole header inside the payload, then step over it */
		bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, BW_STK_END));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R7));
		bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R4, 0), bad);
		bw_emit(e, bw_mov64_reg(BW_R7, BW_R2));
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, BW_STK_TMP));
		bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));
		bw_emit_ja(e, next);

		/* fragment header: 8 bytes, already inside the payload */
		bw_emit_place(e, frag);
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 8));
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, BW_STK_TMP));
		bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));
		bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, BW_STK_TMP + 2));
		bw_emit(e, bw_be(BW_R2, 16));
		bw_emit(e, bw_jmp32_imm(BPF_JSET, BW_R2, 0xfff9, 1));
		bw_emit_ja(e, next);
		set_flag(e, BW_VIEW_FRAG);
		/* non-first fragment: what follows is payload, not headers */
		bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R2, 3));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), out);
		bw_emit_place(e, next);
	}
}

void bw_prologue_parse(struct bw_emit *e, const struct bw_hook_ops *ops,
		       const bw_label reason[BW_REASON__MAX])
{
	bw_label ip4 = bw_emit_label(e), ip6 = bw_emit_label(e);
	bw_label l4 = bw_emit_label(e), out = bw_emit_label(e);

	parse_eth(e, ops, reason);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_IPV4_, 0), ip4);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_IPV6_, 0), ip6);
	bw_emit_ja(e, out);

	bw_emit_place(e, ip4);
	parse_ip4(e, ops, reason, l4, out);
	bw_emit_place(e, ip6);
	parse_ip6(e, ops, reason, l4, out);	/* falls through into l4 */
	parse_l4(e, ops, reason, l4, out);	/* places l4 first */
	bw_emit_place(e, out);
}
