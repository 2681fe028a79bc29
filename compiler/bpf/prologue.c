// SPDX-License-Identifier: GPL-2.0-only
/*
 * The packet parser of view.h as BPF, shared by every packet hook: each
 * hook supplies start() (ctx -> r6, view zeroed, pkt_len) and read() (copy
 * frame bytes at offset r7 into the stack, or jump to a drop reason).  The
 * logic here follows compiler/interp/view.c step by step; the differential tests
 * hold the two together.
 *
 * r7 is the offset of the current header, never a constant after the
 * VLAN walk (see "Keeping the verifier linear" below).  Logical bounds
 * (IP total length, IPv6 payload length) are checked on scalars against
 * BW_STK_END or view.pkt_len before the read; read() checks the frame
 * itself.
 */
#include <netinet/in.h>

#include "hook.h"

#define V(m)	((int16_t)BW_VIEW_OFF(m))
#define VB(m, k) ((int16_t)(BW_VIEW_OFF(m) + (k)))

#define ETH_P_IPV4_	0x0800
#define ETH_P_IPV6_	0x86DD
#define ETH_P_8021Q_	0x8100
#define ETH_P_8021AD_	0x88A8

void bw_hook_read_any(struct bw_emit *e, const struct bw_hook_ops *ops,
		      int16_t at, uint32_t len, int16_t dst, bw_label fail)
{
	if (!ops->load_bytes) {
		ops->read(e, at, len, dst, fail);
		return;
	}
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
	if (at)
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, at));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, dst));
	bw_emit(e, bw_mov64_imm(BW_R4, (int32_t)len));
	bw_emit(e, bw_call(ops->load_bytes));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), fail);
}

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

/*
 * Keeping the verifier linear.  A branch on packet data splits the
 * verifier's walk; the two sides are verified separately until they meet
 * at an instruction where the verifier finds one state covering the
 * other.  r7 is where that fails: it feeds packet pointer arithmetic, so
 * the verifier tracks it exactly, and a walk that adds a constant to it
 * on one side of each branch leaves a different constant per depth;
 * everything after the walk was then verified once per VLAN depth times
 * IPv6 extension depth (15,000 instructions processed for a program of
 * 700).  So the walks advance r7 by arithmetic on 0/1 values (the
 * helpers below) or on lengths read from the packet: one bounded unknown
 * that every depth shares.  The branches left either leave a walk (drops;
 * the end of a walk, where the deepest path, explored first as the
 * fall-through, holds a range of r7 that covers the shallower exits) or
 * meet again with nothing of their difference live.
 */

/* dst = (src == imm) ? 1 : 0, for src < 2^32 and 0 <= imm < 2^31. */
static void emit_eq01(struct bw_emit *e, uint8_t dst, uint8_t src, int32_t imm)
{
	bw_emit(e, bw_mov64_reg(dst, src));
	bw_emit(e, bw_alu64_imm(BPF_XOR, dst, imm));	/* 0 iff equal */
	bw_emit(e, bw_alu64_imm(BPF_SUB, dst, 1));	/* then -1, else >= 0 */
	bw_emit(e, bw_alu64_imm(BPF_RSH, dst, 63));
}

/*
 * view.flags |= bit when reg (< 2^63) is not 0 (clobbers reg, r5).  By
 * shifts, not by "s>>= 63; &= bit": recent verifiers fork a state on an
 * AND of a [-1, 0] value with a constant.
 */
static void set_flag_if_nonzero(struct bw_emit *e, uint8_t reg, int bit)
{
	bw_emit(e, bw_alu64_imm(BPF_NEG, reg, 0));	/* negative iff != 0 */
	bw_emit(e, bw_alu64_imm(BPF_RSH, reg, 63));	/* 1 iff != 0 */
	bw_emit(e, bw_alu64_imm(BPF_LSH, reg, __builtin_ctz((unsigned)bit)));
	bw_emit(e, bw_ldx(BPF_B, BW_R5, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_reg(BPF_OR, BW_R5, reg));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R5, V(flags)));
}

/* dst = 1 if the ethertype in src is a VLAN tag, else 0 (clobbers tmp). */
static void emit_is_vlan(struct bw_emit *e, uint8_t dst, uint8_t src,
			 uint8_t tmp)
{
	emit_eq01(e, dst, src, ETH_P_8021Q_);
	emit_eq01(e, tmp, src, ETH_P_8021AD_);
	bw_emit(e, bw_alu64_reg(BPF_OR, dst, tmp));
}

/* if (r7 + len > *END) goto fail (clobbers r4, r5). */
static void check_end(struct bw_emit *e, int32_t len, bw_label fail)
{
	bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, BW_STK_END));
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R7));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R5, len));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R5, BW_R4, 0), fail);
}

/*
 * Step 1: Ethernet and the VLAN walk; leaves the ethertype in r1.
 *
 * Each step first advances r7 by 4 * is_tag, then leaves the walk if
 * is_tag is 0: the verifier learns is_tag on both sides of that branch,
 * but not r7, which stays 14 + 4 * (a few 0/1 unknowns) on every path.
 * The tag just stepped over is then read at r7 - 4.
 */
static void parse_eth(struct bw_emit *e, const struct bw_hook_ops *ops,
		      const bw_label *reason)
{
	bw_label done = bw_emit_label(e);

	bw_emit(e, bw_mov64_imm(BW_R7, 0));
	ops->read(e, 0, 14, V(eth), reason[BW_REASON_ETH_TRUNC]);
	bw_emit(e, bw_mov64_imm(BW_R7, 14));
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, VB(eth, 12)));
	bw_emit(e, bw_be(BW_R1, 16));
	for (int i = 0; i < BW_VLAN_MAX; i++) {
		emit_is_vlan(e, BW_R2, BW_R1, BW_R3);
		bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R3, 2));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R3));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R2, 0, 0), done);
		ops->read(e, -4, 4, BW_STK_TMP, reason[BW_REASON_ETH_TRUNC]);
		if (i == 0) {
			bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, BW_STK_TMP));
			bw_emit(e, bw_be(BW_R1, 16));
			bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, V(vlan_tci)));
			set_flag(e, BW_VIEW_VLAN);
		}
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, BW_STK_TMP + 2));
		bw_emit(e, bw_be(BW_R1, 16));
		if (i == 0)
			bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, V(vlan_type)));
	}
	/* one tag too many */
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_8021Q_, 0),
		    reason[BW_REASON_VLAN_DEPTH]);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_8021AD_, 0),
		    reason[BW_REASON_VLAN_DEPTH]);
	bw_emit_place(e, done);
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, V(ethertype)));
	/* the network header's offset, and the length from there */
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R7, V(l3off)));
	bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, V(pkt_len)));
	bw_emit(e, bw_alu32_reg(BPF_SUB, BW_R2, BW_R7));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R2, V(l3len)));
}

/* The protocols of bw_view_l4_soft(). */
static const int32_t soft_protos[] = {
	IPPROTO_SCTP, IPPROTO_DCCP, IPPROTO_UDPLITE, IPPROTO_ESP,
	IPPROTO_COMP, IPPROTO_AH, IPPROTO_MH, IPPROTO_IGMP,
	IPPROTO_GRE,
};
#define NSOFT (sizeof(soft_protos) / sizeof(soft_protos[0]))

/* Step 4: transport header at r7, inside [.., *END). */
static void parse_l4(struct bw_emit *e, const struct bw_hook_ops *ops,
		     const bw_label *reason, bw_label l4, bw_label out,
		     bool exthdrs)
{
	bw_label tcp = bw_emit_label(e), small = bw_emit_label(e);
	bw_label icmp = bw_emit_label(e), icmp6 = bw_emit_label(e);
	bw_label cross = bw_emit_label(e), cross1 = bw_emit_label(e);
	bw_label have = bw_emit_label(e), soft[NSOFT];

	bw_emit_place(e, l4);
	/* where the transport header is, whatever its protocol (raw
	 * payload @th reads there); BW_VIEW_L4 says whether it is whole */
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R7, V(l4off)));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_TCP, 0), tcp);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_UDP, 0), small);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_ICMP, 0), icmp);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_ICMPV6, 0), icmp6);
	for (size_t i = 0; i < NSOFT; i++) {
		soft[i] = bw_emit_label(e);
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, soft_protos[i], 0),
			    soft[i]);
	}
	bw_emit_ja(e, out);

	/* SCTP, DCCP, ...: their headers, as UDP's */
	for (size_t i = 0; i < NSOFT; i++) {
		int32_t len = (int32_t)bw_view_l4_soft(soft_protos[i]);

		bw_emit_place(e, soft[i]);
		check_end(e, len, reason[BW_REASON_L4_TRUNC]);
		ops->read(e, 0, (uint32_t)len, V(l4h), reason[BW_REASON_L4_TRUNC]);
		if (exthdrs && soft_protos[i] == IPPROTO_MH) {
			bw_emit(e, bw_ldx(BPF_B, BW_R3, BW_R10, V(exthdrs)));
			bw_emit(e, bw_alu32_imm(BPF_OR, BW_R3, BW_EXT_MH));
			bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R3, V(exthdrs)));
		}
		bw_emit_ja(e, have);
	}

	bw_emit_place(e, icmp);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R2, 4, 0), small);
	bw_emit_ja(e, cross);
	bw_emit_place(e, icmp6);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R2, 6, 0), small);
	/* ICMP in IPv6, ICMPv6 in IPv4: 8 bytes, or the type byte alone
	 * when shorter (nft's icmp type in an ip6 table reads the byte it
	 * has), never dropped */
	bw_emit_place(e, cross);
	check_end(e, 8, cross1);
	ops->read(e, 0, 8, V(l4h), out);
	bw_emit_ja(e, have);
	bw_emit_place(e, cross1);
	check_end(e, 1, out);
	ops->read(e, 0, 1, V(l4h), out);
	bw_emit_ja(e, have);

	/* UDP, ICMP, ICMPv6: 8 bytes */
	bw_emit_place(e, small);
	check_end(e, 8, reason[BW_REASON_L4_TRUNC]);
	ops->read(e, 0, 8, V(l4h), reason[BW_REASON_L4_TRUNC]);
	bw_emit_ja(e, have);

	bw_emit_place(e, tcp);
	check_end(e, 20, reason[BW_REASON_L4_TRUNC]);
	ops->read(e, 0, 20, V(l4h), reason[BW_REASON_L4_TRUNC]);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l4h, 12)));
	bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R1, 4));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JLT, BW_R1, 5, 0), reason[BW_REASON_TCP_BAD]);

	bw_emit_place(e, have);
	set_flag(e, BW_VIEW_L4);
	/* an echo request or reply: ICMP type 8 or 0 (type & ~8 == 0),
	 * ICMPv6 128 or 129 (type & ~1 == 128); r4 = 1 for either */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l4h)));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 0xf7));
	emit_eq01(e, BW_R4, BW_R3, 0);
	emit_eq01(e, BW_R3, BW_R1, IPPROTO_ICMP);
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R4, BW_R3));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0xfe));
	emit_eq01(e, BW_R3, BW_R2, 128);
	emit_eq01(e, BW_R2, BW_R1, IPPROTO_ICMPV6);
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R3, BW_R2));
	bw_emit(e, bw_alu64_reg(BPF_OR, BW_R4, BW_R3));
	set_flag_if_nonzero(e, BW_R4, BW_VIEW_ECHO);
	/* falls through to out */
}

/* Step 2: IPv4 at r7. */
static void parse_ip4(struct bw_emit *e, const struct bw_hook_ops *ops,
		      const bw_label *reason, bw_label l4, bw_label out)
{
	bw_label bad = reason[BW_REASON_IP4_BAD];

	ops->read(e, 0, 20, V(l3h), bad);
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
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R3, V(iplen)));
	/* END = r7 + total length; r7 = transport offset */
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R7));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R3, BW_STK_END));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3), 4));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(nfproto), 2));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l3h, 9)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, VB(l3h, 4)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R2, V(frag_id)));
	/* fragments: r2 = flags/offset; MF or offset: BW_VIEW_FRAG */
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, VB(l3h, 6)));
	bw_emit(e, bw_be(BW_R2, 16));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 0x3fff));
	set_flag_if_nonzero(e, BW_R3, BW_VIEW_FRAG);
	/* r2 = offset; a later fragment: BW_VIEW_LATER; a TCP fragment at
	 * offset 1 is dropped */
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0x1fff));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
	set_flag_if_nonzero(e, BW_R3, BW_VIEW_LATER);
	emit_eq01(e, BW_R3, BW_R2, 1);
	emit_eq01(e, BW_R4, BW_R1, IPPROTO_TCP);
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R3, BW_R4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R3, 0, 0), reason[BW_REASON_FRAG_BAD]);
	/* non-first fragment: no transport header */
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), out);
	bw_emit_ja(e, l4);
}

/* bw_view_ip6_ext(): not AH, where nf_tables' walk stops (view.h) */
static const int ip6_ext[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING,
				IPPROTO_FRAGMENT, IPPROTO_DSTOPTS };
#define N_IP6_EXT	((int)(sizeof(ip6_ext) / sizeof(ip6_ext[0])))

/* r1 is an IPv6 extension header type: jump to yes. */
static void jump_if_ext(struct bw_emit *e, bw_label yes)
{
	for (int i = 0; i < N_IP6_EXT; i++)
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ip6_ext[i], 0), yes);
}

/*
 * r1 is not an IPv6 extension header type: jump to no; else fall
 * through.  The verifier explores a branch's target after its fall
 * through, so the walk's deepest path reaches the transport step first
 * and the shallower exits find a state there that covers theirs.
 */
static void jump_unless_ext(struct bw_emit *e, bw_label no)
{
	bw_label yes = bw_emit_label(e);

	for (int i = 0; i < N_IP6_EXT - 1; i++)
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ip6_ext[i], 0), yes);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, ip6_ext[N_IP6_EXT - 1], 0), no);
	bw_emit_place(e, yes);
}

/*
 * One step of the IPv6 extension header walk: view.l4proto is the
 * current next-header value, r7 its offset.  Not an extension header:
 * on to the transport step (l4).  Else r7 steps over the header and
 * view.l4proto becomes its next header.
 *
 * The kind is tested by branches (the four paths meet with nothing of
 * the test live, so the verifier prunes three of them), but the
 * length is computed without branching on the kind, so that r7 is the
 * same unknown on every path.  It is masked to 12 bits: a header is at
 * most 2048 bytes, and the verifier then sees a length from 0 up, so
 * the offset at the deepest step covers the offsets of every shallower
 * exit and one verification of the transport step serves them all.
 */
/*
 * The header in BW_STK_TMP (its kind in view.l4proto): the first of its
 * kind leaves its first bytes in the view and its bit in view.exthdrs.
 * Without branches (see "Keeping the verifier linear"): per kind,
 * cond = is that kind and not seen yet, then dst ^= (dst ^ new) & -cond.
 * Clobbers r0-r5.
 */
static void record_ext(struct bw_emit *e)
{
	static const struct {
		int32_t nh;
		int bit;
		int16_t dst;
		uint8_t size;		/* BPF_H or BPF_W */
	} k[] = {
		{ IPPROTO_HOPOPTS, BW_EXT_HBH, V(hbh), BPF_H },
		{ IPPROTO_DSTOPTS, BW_EXT_DST, V(dst), BPF_H },
		{ IPPROTO_ROUTING, BW_EXT_RT, V(rt), BPF_W },
		{ IPPROTO_FRAGMENT, BW_EXT_FRAG, V(frag), BPF_W },
	};

	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit(e, bw_ldx(BPF_B, BW_R3, BW_R10, V(exthdrs)));
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		emit_eq01(e, BW_R0, BW_R1, k[i].nh);
		bw_emit(e, bw_mov64_reg(BW_R5, BW_R3));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R5, __builtin_ctz((unsigned)k[i].bit)));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R5, 1));
		bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R5, 1));
		bw_emit(e, bw_alu64_reg(BPF_AND, BW_R0, BW_R5));
		bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R5, __builtin_ctz((unsigned)k[i].bit)));
		bw_emit(e, bw_alu64_reg(BPF_OR, BW_R3, BW_R5));
		bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R0, 0));
		bw_emit(e, bw_ldx(k[i].size, BW_R4, BW_R10, k[i].dst));
		bw_emit(e, bw_ldx(k[i].size, BW_R2, BW_R10, BW_STK_TMP));
		bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R2, BW_R4));
		bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R0));
		bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R4, BW_R2));
		bw_emit(e, bw_stx(k[i].size, BW_R10, BW_R4, k[i].dst));
	}
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R3, V(exthdrs)));
}

static void ip6_ext_step(struct bw_emit *e, const struct bw_hook_ops *ops,
			 const bw_label *reason, bw_label l4, bw_label out,
			 bool exthdrs)
{
	bw_label bad = reason[BW_REASON_IP6_BAD];

	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	jump_unless_ext(e, l4);
	check_end(e, 8, bad);
	ops->read(e, 0, 8, BW_STK_TMP, bad);
	if (exthdrs)
		record_ext(e);
	/* r2 = header length: (len + 1) * 8; fragment 8 (its second byte
	 * is reserved: taken as 0).  r0 = 1 for a fragment header.  (AH
	 * ends the walk: step 4 reads it.) */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, BW_STK_TMP + 1));
	emit_eq01(e, BW_R0, BW_R1, IPPROTO_FRAGMENT);
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_SUB, BW_R5, 1));	/* 0 for a fragment */
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R5));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 1));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 3));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0xfff));
	/* the whole header inside the payload, then step over it */
	bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, BW_STK_END));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R7));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R4, 0), bad);
	bw_emit(e, bw_mov64_reg(BW_R7, BW_R2));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, BW_STK_TMP));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));

	/* r2 = a fragment header's offset/flags word, 0 for other kinds;
	 * offset or M: BW_VIEW_FRAG (bits 1-2 are reserved) */
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, BW_STK_TMP + 2));
	bw_emit(e, bw_be(BW_R2, 16));
	bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R0, 0));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R0));
	/* a fragment header's id ORed into view.frag_id */
	bw_emit(e, bw_ldx(BPF_W, BW_R3, BW_R10, BW_STK_TMP + 4));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R3, BW_R0));
	bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, V(frag_id)));
	bw_emit(e, bw_alu32_reg(BPF_OR, BW_R4, BW_R3));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R4, V(frag_id)));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 0xfff9));
	set_flag_if_nonzero(e, BW_R3, BW_VIEW_FRAG);
	/* offset != 0, a non-first fragment (BW_VIEW_LATER): what follows
	 * is payload */
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R3, 3));
	set_flag_if_nonzero(e, BW_R3, BW_VIEW_LATER);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JGT, BW_R2, 7, 0), out);
}

/* bw_view_ip6_exthdr(): every kind, AH too */
static const int ip6_exthdr[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING,
				  IPPROTO_FRAGMENT, IPPROTO_DSTOPTS, IPPROTO_AH };

/*
 * One step of the recording walk past AH (view.c's record_past_ah()):
 * nf_tables' exthdr lookups walk past AH where its transport walk stops.
 * The header at r7, its kind in view.l4proto, is recorded as the first
 * of its kind; r7 steps over it.  Never drops: anything amiss ends the
 * walk (stop).  Clobbers r0-r5.
 */
static void ip6_rec_step(struct bw_emit *e, const struct bw_hook_ops *ops,
			 bw_label stop)
{
	bw_label yes = bw_emit_label(e);
	int n = (int)(sizeof(ip6_exthdr) / sizeof(ip6_exthdr[0]));

	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	for (int i = 0; i < n - 1; i++)
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ip6_exthdr[i], 0), yes);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, ip6_exthdr[n - 1], 0), stop);
	bw_emit_place(e, yes);
	check_end(e, 8, stop);
	ops->read(e, 0, 8, BW_STK_TMP, stop);
	record_ext(e);
	/* r2 = (len + 1) * 8; AH (len + 2) * 4; fragment 8; r0 = 1 for a
	 * fragment header, r4 = 1 for AH */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, BW_STK_TMP + 1));
	emit_eq01(e, BW_R0, BW_R1, IPPROTO_FRAGMENT);
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_SUB, BW_R5, 1));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R5));
	emit_eq01(e, BW_R4, BW_R1, IPPROTO_AH);
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R4));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 1));
	bw_emit(e, bw_mov64_imm(BW_R3, 3));
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R3, BW_R4));
	bw_emit(e, bw_alu64_reg(BPF_LSH, BW_R2, BW_R3));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0xfff));
	bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, BW_STK_END));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R7));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R4, 0), stop);
	/* a later fragment's header: what follows is payload */
	bw_emit(e, bw_ldx(BPF_H, BW_R3, BW_R10, BW_STK_TMP + 2));
	bw_emit(e, bw_be(BW_R3, 16));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R3, 3));
	bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R0, 0));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R3, BW_R0));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R3, 0, 0), stop);
	bw_emit(e, bw_mov64_reg(BW_R7, BW_R2));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, BW_STK_TMP));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));
}

/*
 * The walk met AH at r7 (programs whose rules read extension headers):
 * AH stays the upper layer, but the headers after it are recorded as
 * nf_tables' exthdr lookups find them.  r7 is kept in BW_STK_LKEY (free
 * until the rules run) as a whole register spill, so the verifier keeps
 * its bounds; then on to the transport step with l4proto AH.
 */
static void ip6_past_ah(struct bw_emit *e, const struct bw_hook_ops *ops,
			bw_label l4)
{
	bw_label stop = bw_emit_label(e);

	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R7, BW_STK_LKEY));
	for (int i = 0; i < BW_IP6_EXT_MAX; i++)
		ip6_rec_step(e, ops, stop);
	bw_emit_place(e, stop);
	bw_emit(e, bw_ldx(BPF_DW, BW_R7, BW_R10, BW_STK_LKEY));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l4proto), IPPROTO_AH));
	bw_emit_ja(e, l4);
}

/* Step 3: IPv6 at r7, then the bounded extension header walk. */
static void parse_ip6(struct bw_emit *e, const struct bw_hook_ops *ops,
		      const bw_label *reason, bw_label l4, bw_label out,
		      bool exthdrs)
{
	bw_label bad = reason[BW_REASON_IP6_BAD];
	bw_label ah = exthdrs ? bw_emit_label(e) : l4;

	ops->read(e, 0, 40, V(l3h), bad);
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
	bw_emit(e, bw_mov64_reg(BW_R4, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R4, 40));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R4, V(iplen)));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R7));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R2, BW_STK_END));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(l3), 6));
	bw_emit(e, bw_st(BPF_B, BW_R10, V(nfproto), 10));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l3h, 6)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(l4proto)));

	/* view.l4proto holds the current next-header value throughout;
	 * AH ends the walk (a jump to ah where rules read extension
	 * headers) */
	for (int i = 0; i < BW_IP6_EXT_MAX; i++)
		ip6_ext_step(e, ops, reason, exthdrs ? ah : l4, out, exthdrs);
	/* still an extension header: the chain is too long; else fall
	 * through into the transport step (l4) */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	jump_if_ext(e, reason[BW_REASON_IP6_EXT]);
	if (!exthdrs)
		return;
	bw_emit_place(e, ah);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, IPPROTO_AH, 0), l4);
	ip6_past_ah(e, ops, l4);
}

void bw_prologue_parse(struct bw_emit *e, const struct bw_hook_ops *ops,
		       const bw_label reason[BW_REASON__MAX], bool exthdrs)
{
	bw_label ip4 = bw_emit_label(e), ip6 = bw_emit_label(e);
	bw_label l4 = bw_emit_label(e), out = bw_emit_label(e);

	if (ops->l3) {
		/* the packet starts at the network header (netfilter hooks):
		 * start() has the protocol in view.ethertype */
		bw_emit(e, bw_mov64_imm(BW_R7, 0));
		bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, V(pkt_len)));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R2, V(l3len)));
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, V(ethertype)));
	} else {
		parse_eth(e, ops, reason);
	}
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_IPV4_, 0), ip4);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ETH_P_IPV6_, 0), ip6);
	bw_emit_ja(e, out);

	bw_emit_place(e, ip4);
	parse_ip4(e, ops, reason, l4, out);
	bw_emit_place(e, ip6);
	parse_ip6(e, ops, reason, l4, out, exthdrs);	/* falls through into l4 */
	parse_l4(e, ops, reason, l4, out, exthdrs);	/* places l4 first */
	bw_emit_place(e, out);
}
