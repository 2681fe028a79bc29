// SPDX-License-Identifier: GPL-2.0-only
/*
 * reject: the packet is dropped and an answer goes back where it came
 * from, built in place of the packet.  At XDP the frame becomes the answer
 * and leaves through the same device (XDP_TX); at TC egress the answer is
 * redirected into the same device's ingress, so the local process that
 * sent the packet hears it at once (ECONNREFUSED, EHOSTUNREACH).
 *
 *   tcp reset        a RST from the address and port the packet went to:
 *                    seq = its ack if it had ACK, else ack = its seq +
 *                    payload (+1 for SYN and FIN), as the kernel's
 *                    nf_send_reset does
 *   icmp, icmpv6     destination unreachable with the code, quoting the
 *                    IP header (IPv4: 20 bytes, IHL set to 5; IPv6: the 40
 *                    bytes, next header set to the upper layer) and the
 *                    first 8 bytes of the transport header
 *
 * No answer (a plain drop) to a frame sent to a group MAC address, to an
 * IPv4 multicast or broadcast or IPv6 multicast destination, to a
 * non-first fragment, to a RST, to an ICMP error (the kernel's rules for
 * sending ICMP errors), or when the family does not fit the reject kind.
 * The Ethernet addresses are swapped, VLAN tags kept.  The answer is
 * written whole in BW_STK_SCRATCH first, checksums with bpf_csum_diff,
 * then stored with the hook's store-bytes helper.
 */
#include <stddef.h>
#include <netinet/in.h>

#include "hook.h"

#define S		BW_STK_SCRATCH
#define V(m)		((int16_t)BW_VIEW_OFF(m))
#define VB(m, k)	((int16_t)(BW_VIEW_OFF(m) + (k)))

#define HELPER_REDIRECT		23
#define HELPER_CSUM_DIFF	28
#define HELPER_SKB_STORE	9
#define HELPER_SKB_CHANGE_TAIL	38
#define HELPER_XDP_ADJUST_TAIL	65
#define HELPER_XDP_STORE	190
#define F_INGRESS		1	/* BPF_F_INGRESS */

#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04
#define TCP_ACK	0x10

static int32_t be16(uint16_t v)
{
	return (int32_t)(uint16_t)(v << 8 | v >> 8);
}

static int32_t be32(uint32_t v)
{
	return (int32_t)__builtin_bswap32(v);
}

/* n bytes (a multiple of 4) from the view at from to the stack at to. */
static void copy(struct bw_emit *e, int16_t from, int16_t to, int n)
{
	for (int k = 0; k < n;) {
		int w = n - k >= 8 && !((from + k) & 7) && !((to + k) & 7) ? 8 : 4;

		bw_emit(e, bw_ldx(w == 8 ? BPF_DW : BPF_W, BW_R1, BW_R10,
				  (int16_t)(from + k)));
		bw_emit(e, bw_stx(w == 8 ? BPF_DW : BPF_W, BW_R10, BW_R1,
				  (int16_t)(to + k)));
		k += w;
	}
}

/* r0 = the checksum (folded, complemented) of n stack bytes at off,
 * continuing the partial sum in seed (r5: 0 or a previous result). */
static void csum(struct bw_emit *e, int16_t off, int n, bool seed)
{
	bw_emit(e, bw_mov64_imm(BW_R1, 0));
	bw_emit(e, bw_mov64_imm(BW_R2, 0));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, off));
	bw_emit(e, bw_mov64_imm(BW_R4, n));
	if (!seed)
		bw_emit(e, bw_mov64_imm(BW_R5, 0));
	bw_emit(e, bw_call(HELPER_CSUM_DIFF));
}

/* Fold the 32-bit sum in r0 to 16 bits and complement it. */
static void fold(struct bw_emit *e)
{
	for (int i = 0; i < 2; i++) {
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R0));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R1, 16));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R0, 0xffff));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R0, BW_R1));
	}
	bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R0, 0xffff));
}

/* The answer's IPv4 header at S: from the packet's destination to its
 * source; the checksum last. */
static void ip4_header(struct bw_emit *e, uint16_t tot, uint8_t proto, bool df)
{
	bw_emit(e, bw_st(BPF_W, BW_R10, S, 0x45 | be16(tot) << 16));
	bw_emit(e, bw_st(BPF_W, BW_R10, S + 4, df ? be16(0x4000) << 16 : 0));
	bw_emit(e, bw_st(BPF_W, BW_R10, S + 8, 64 | proto << 8));
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, VB(l3h, 16)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, S + 12));
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, VB(l3h, 12)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, S + 16));
	csum(e, S, 20, false);
	fold(e);
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, S + 10));
}

/* The answer's IPv6 header at S (payload length plen). */
static void ip6_header(struct bw_emit *e, uint16_t plen, uint8_t next)
{
	bw_emit(e, bw_st(BPF_W, BW_R10, S, 0x60));
	bw_emit(e, bw_st(BPF_W, BW_R10, S + 4, be16(plen) | next << 16 | 64 << 24));
	copy(e, VB(l3h, 24), S + 8, 16);
	copy(e, VB(l3h, 8), S + 24, 16);
}

/* r4 = the TCP payload's length: end of the IP packet - transport offset
 * - data offset * 4. */
static void tcp_payload(struct bw_emit *e, bool v6)
{
	bw_emit(e, bw_ldx(BPF_H, BW_R4, BW_R10, VB(l3h, v6 ? 4 : 2)));
	bw_emit(e, bw_be(BW_R4, 16));
	if (v6)
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R4, 40));
	bw_emit(e, bw_ldx(BPF_H, BW_R5, BW_R10, V(l3off)));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R4, BW_R5));
	bw_emit(e, bw_ldx(BPF_H, BW_R5, BW_R10, V(l4off)));
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R4, BW_R5));
	bw_emit(e, bw_ldx(BPF_B, BW_R5, BW_R10, VB(l4h, 12)));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R5, 4));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R5, 2));
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R4, BW_R5));
}

/* A TCP RST after an IP header of hlen bytes; returns the L3 length. */
static int tcp_reset(struct bw_emit *e, bool v6)
{
	int16_t t = (int16_t)(S + (v6 ? 40 : 20)), p = (int16_t)(t + 20);
	bw_label ack = bw_emit_label(e), done = bw_emit_label(e);

	if (v6)
		ip6_header(e, 20, IPPROTO_TCP);
	else
		ip4_header(e, 40, IPPROTO_TCP, true);
	/* ports swapped */
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, VB(l4h, 2)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, t));
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, VB(l4h, 0)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, (int16_t)(t + 2)));
	bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(t + 12), 0x50 | TCP_RST << 8));
	bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(t + 16), 0));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, VB(l4h, 13)));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, TCP_ACK));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R3, 0, 0), ack);
	/* no ACK: seq 0, ack = its seq + payload + SYN + FIN, RST|ACK */
	bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(t + 4), 0));
	bw_emit(e, bw_ldx(BPF_W, BW_R3, BW_R10, VB(l4h, 4)));
	bw_emit(e, bw_be(BW_R3, 32));
	tcp_payload(e, v6);
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R4));
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R5, TCP_SYN));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R5, 1));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R5));
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R5, TCP_FIN));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R5));
	bw_emit(e, bw_be(BW_R3, 32));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R3, (int16_t)(t + 8)));
	bw_emit(e, bw_st(BPF_B, BW_R10, (int16_t)(t + 13), TCP_RST | TCP_ACK));
	bw_emit_ja(e, done);
	/* ACK: seq = its ack, no ACK */
	bw_emit_place(e, ack);
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, VB(l4h, 8)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, (int16_t)(t + 4)));
	bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(t + 8), 0));
	bw_emit_place(e, done);
	/* checksum over the pseudo header, then the segment */
	if (v6) {
		copy(e, S + 8, p, 32);
		bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(p + 32), be32(20)));
		bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(p + 36), be32(IPPROTO_TCP)));
	} else {
		copy(e, S + 12, p, 8);
		bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(p + 8),
				 be16(IPPROTO_TCP) | be16(20) << 16));
	}
	csum(e, p, v6 ? 40 : 12, false);
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
	csum(e, t, 20, true);
	fold(e);
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, (int16_t)(t + 16)));
	return v6 ? 60 : 40;
}

/* ICMP (type 3) or ICMPv6 (type 1) destination unreachable; returns the
 * L3 length. */
static int unreach(struct bw_emit *e, bool v6, uint8_t code)
{
	int16_t i = (int16_t)(S + (v6 ? 40 : 20)), q = (int16_t)(i + 8);

	if (v6)
		ip6_header(e, 8 + 48, IPPROTO_ICMPV6);
	else
		ip4_header(e, 20 + 8 + 28, IPPROTO_ICMP, false);
	bw_emit(e, bw_st(BPF_W, BW_R10, i, (v6 ? 1 : 3) | code << 8));
	bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(i + 4), 0));
	/* the quote: the IP header, then 8 bytes of the transport header */
	copy(e, V(l3h), q, v6 ? 40 : 20);
	if (v6) {
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
		bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, (int16_t)(q + 6)));
	} else {
		bw_emit(e, bw_st(BPF_B, BW_R10, q, 0x45));
	}
	copy(e, V(l4h), (int16_t)(q + (v6 ? 40 : 20)), 8);
	if (v6) {
		int16_t p = (int16_t)(S + 96);

		copy(e, S + 8, p, 32);
		bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(p + 32), be32(56)));
		bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(p + 36), be32(IPPROTO_ICMPV6)));
		csum(e, p, 40, false);
		bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
		csum(e, i, 56, true);
	} else {
		csum(e, i, 36, false);
	}
	fold(e);
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, (int16_t)(i + 2)));
	return v6 ? 96 : 56;
}

/* Call the hook's store-bytes helper: r2 offset, r3 buffer, r4 length. */
static void store(struct bw_emit *e, const struct bw_hook_ops *ops, bw_label fail)
{
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	if (ops->info.prog_type == BPF_PROG_TYPE_XDP) {
		bw_emit(e, bw_call(HELPER_XDP_STORE));
	} else {
		bw_emit(e, bw_mov64_imm(BW_R5, 0));
		bw_emit(e, bw_call(HELPER_SKB_STORE));
	}
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), fail);
}

/* The frame becomes the answer of len L3 bytes at S; then send it. */
static void send_answer(struct bw_emit *e, const struct bw_hook_ops *ops, int len,
		 bw_label fail)
{
	bool xdp = ops->info.prog_type == BPF_PROG_TYPE_XDP;

	/* new length: the link layer and the answer */
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, V(l3off)));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, len));
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	if (xdp) {
		bw_emit(e, bw_ldx(BPF_W, BW_R3, BW_R10, V(pkt_len)));
		bw_emit(e, bw_alu32_reg(BPF_SUB, BW_R2, BW_R3));
		bw_emit(e, bw_call(HELPER_XDP_ADJUST_TAIL));
	} else {
		bw_emit(e, bw_mov64_imm(BW_R3, 0));
		bw_emit(e, bw_call(HELPER_SKB_CHANGE_TAIL));
	}
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), fail);
	/* Ethernet addresses swapped, built in the lookup key's room */
	for (int k = 0; k < 6; k += 2) {
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, VB(eth, 6 + k)));
		bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, (int16_t)(BW_STK_LKEY + k)));
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, VB(eth, k)));
		bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, (int16_t)(BW_STK_LKEY + 6 + k)));
	}
	bw_emit(e, bw_mov64_imm(BW_R2, 0));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, BW_STK_LKEY));
	bw_emit(e, bw_mov64_imm(BW_R4, 12));
	store(e, ops, fail);
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, V(l3off)));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, S));
	bw_emit(e, bw_mov64_imm(BW_R4, len));
	store(e, ops, fail);
	if (xdp) {
		bw_emit(e, bw_mov64_imm(BW_R0, ops->info.verdict_reject));
	} else {
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R6, ops->ifindex_off));
		bw_emit(e, bw_mov64_imm(BW_R2, F_INGRESS));
		bw_emit(e, bw_call(HELPER_REDIRECT));
	}
	bw_emit(e, bw_exit());
}

/* Jump to no when view byte off (after mask) is one of vals. */
static void byte_in(struct bw_emit *e, int16_t off, const uint8_t *vals, int n,
		    bw_label no)
{
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, off));
	for (int i = 0; i < n; i++)
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, vals[i], 0), no);
}

/* No ICMP error about an ICMP error (IPv4 types 3 4 5 11 12, IPv6 < 128),
 * a non-first fragment, or to a multicast or broadcast address. */
static void icmp_allowed(struct bw_emit *e, bool v6, bw_label no)
{
	static const uint8_t errors4[] = { 3, 4, 5, 11, 12 };
	bw_label not_icmp = bw_emit_label(e);

	if (v6) {
		/* a fragment whose transport header is not here */
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, BW_VIEW_FRAG | BW_VIEW_L4));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, BW_VIEW_FRAG, 0), no);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l3h, 24)));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, 0xff, 0), no);
	} else {
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, VB(l3h, 6)));
		bw_emit(e, bw_be(BW_R1, 16));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, 0x1fff));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 0), no);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l3h, 16)));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JGE, BW_R1, 224, 0), no);
	}
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(l3)));	/* l3 l4proto flags */
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, 0xff00 | (BW_VIEW_L4 << 16)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, (v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP) << 8 |
				    BW_VIEW_L4 << 16, 0), not_icmp);
	if (v6) {
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4h)));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JLT, BW_R1, 128, 0), no);
	} else {
		byte_in(e, V(l4h), errors4, sizeof(errors4), no);
	}
	bw_emit_place(e, not_icmp);
}

void bw_reject_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		    struct bw_prog *p, const struct bw_ir_reject *r)
{
	bw_label plain = bw_emit_label(e), v4 = bw_emit_label(e);
	bw_label v6 = bw_emit_label(e);

	p->answers = true;
	/* a frame to a group address (broadcast, multicast): no answer */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(eth)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, 1));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 0), plain);
	if (r->kind == BW_REJECT_TCP_RST) {
		/* a TCP segment (its header here), not itself a RST */
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(l3)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, 0xff00 | (BW_VIEW_L4 << 16)));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, IPPROTO_TCP << 8 |
					    BW_VIEW_L4 << 16, 0), plain);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l4h, 13)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, TCP_RST));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 0), plain);
	}
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
	if (r->kind != BW_REJECT_ICMP6)
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, 4, 0), v4);
	if (r->kind != BW_REJECT_ICMP)
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, 6, 0), v6);
	bw_emit_ja(e, plain);
	for (int six = 0; six < 2; six++) {
		int len;

		if ((six && r->kind == BW_REJECT_ICMP) ||
		    (!six && r->kind == BW_REJECT_ICMP6))
			continue;
		bw_emit_place(e, six ? v6 : v4);
		if (r->kind == BW_REJECT_TCP_RST) {
			len = tcp_reset(e, six);
		} else {
			icmp_allowed(e, six, plain);
			len = unreach(e, six, r->kind == BW_REJECT_ICMPX && six ?
				      r->code6 : r->code);
		}
		send_answer(e, ops, len, plain);
	}
	bw_emit_place(e, plain);
}
