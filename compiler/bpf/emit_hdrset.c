// SPDX-License-Identifier: GPL-2.0-only
/*
 * A header field write at TC and XDP (netdev chains): the same bytes,
 * mask and value nf_tables' payload write has (compiler/front/hdrset.c),
 * applied to the view's copy of the header (the rules after it see the
 * new value), written to the packet with bpf_skb_store_bytes(), and the
 * checksums updated as nf_tables updates them: the IPv4 header's with
 * bpf_l3_csum_replace(), the transport header's with
 * bpf_l4_csum_replace() (a UDP checksum of 0, none, left alone); a write
 * of an IP pseudo-header field updates a TCP or UDP checksum too.
 *
 * The rule stops (as at a match that fails) when the packet has no such
 * header: nft's dependency (meta nfproto, meta l4proto) does that there.
 */
#include <errno.h>
#include <stddef.h>
#include <netinet/in.h>

#include "emit.h"
#include "hook.h"
#include "emit_hdrset.h"

#define HELPER_XDP_STORE_BYTES	190
#define HELPER_SKB_STORE_BYTES	9
#define HELPER_L3_CSUM_REPLACE	10
#define HELPER_L4_CSUM_REPLACE	11
#define F_PSEUDO_HDR		(1 << 4)
#define F_MARK_MANGLED_0	(1 << 5)

enum { LL = 0, NET = 1, TRANSPORT = 2 };	/* bw_ir_hdrset.base */

/* The old and the new bytes, as a big-endian number, kept in the stack
 * (BW_STK_TMP) across the helper calls: old at +0, new at +4. */
#define OLD	(BW_STK_TMP)
#define NEW	(BW_STK_TMP + 4)

static uint32_t be_num(const uint8_t *v, unsigned n)
{
	uint32_t x = 0;

	for (unsigned i = 0; i < n; i++)
		x = x << 8 | v[i];
	return x;
}

/* r0 = the n bytes at view offset at, a big-endian number */
static void load_be(struct bw_emit *e, int16_t at, unsigned n)
{
	bw_emit(e, bw_mov64_imm(BW_R0, 0));
	for (unsigned i = 0; i < n; i++) {
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, (int16_t)(at + i)));
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R0, 8));
		bw_emit(e, bw_alu64_reg(BPF_OR, BW_R0, BW_R1));
	}
}

/* the n bytes at view offset at = r0's big-endian number (r1 scratch) */
static void store_be(struct bw_emit *e, int16_t at, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R0));
		if (n - 1 - i)
			bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R1, (int32_t)(8 * (n - 1 - i))));
		bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, (int16_t)(at + i)));
	}
}

/* r3 = the u32 at stack off, as the packet holds it (for the checksum
 * helpers, which add the bytes as they are in memory) */
static void csum_word(struct bw_emit *e, uint8_t reg, int16_t off, unsigned n)
{
	bw_emit(e, bw_ldx(BPF_W, reg, BW_R10, off));
	bw_emit(e, bw_be(reg, n == 2 ? 16 : 32));
}

/* rN = the frame offset of the header h writes to, plus add */
static void hdr_off(struct bw_emit *e, uint8_t reg, uint8_t base, int32_t add)
{
	if (base == LL) {		/* the frame's own start */
		bw_emit(e, bw_mov64_imm(reg, add));
		return;
	}
	bw_emit(e, bw_ldx(BPF_H, reg, BW_R10, base == NET ? BW_VIEW_OFF(l3off) :
			  BW_VIEW_OFF(l4off)));
	if (add)
		bw_emit(e, bw_alu64_imm(BPF_ADD, reg, add));
}

/* bpf_lN_csum_replace(skb, header + csum_off, old, new, flags) */
static void csum_replace(struct bw_emit *e, int helper, uint8_t base,
			 uint8_t csum_off, unsigned n, uint32_t flags)
{
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	hdr_off(e, BW_R2, base, csum_off);
	csum_word(e, BW_R3, OLD, n);
	csum_word(e, BW_R4, NEW, n);
	bw_emit(e, bw_mov64_imm(BW_R5, (int32_t)(n | flags)));
	bw_emit(e, bw_call(helper));
}

/* the transport checksum of a TCP or UDP packet (none for a fragment's
 * later parts, which have no transport header in the view) */
static void l4_csum(struct bw_emit *e, unsigned n, uint32_t flags)
{
	bw_label udp = bw_emit_label(e), done = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R0, BW_VIEW_L4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), done);
	bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(l4proto)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, IPPROTO_TCP, 0), udp);
	csum_replace(e, HELPER_L4_CSUM_REPLACE, TRANSPORT, 16, n, flags);
	bw_emit_ja(e, done);
	bw_emit_place(e, udp);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, IPPROTO_UDP, 0), done);
	csum_replace(e, HELPER_L4_CSUM_REPLACE, TRANSPORT, 6, n,
		     flags | F_MARK_MANGLED_0);
	bw_emit_place(e, done);
}

/* XDP: the checksum at view offset vat (packet: header base + off)
 * updated for OLD -> NEW (n bytes) as RFC 1624 says, HC' = ~(~HC + ~m +
 * m'), in the view and in the packet; udp: a checksum of 0 (none) is
 * left alone, and one that comes out 0 is written 0xffff. */
static void xdp_csum(struct bw_emit *e, int16_t vat, uint8_t base, uint8_t off,
		     unsigned n, bool udp)
{
	bw_label done = bw_emit_label(e);

	load_be(e, vat, 2);
	if (udp)
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), done);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R2, 0xffff));
	bw_emit(e, bw_ldx(BPF_W, BW_R4, BW_R10, OLD));
	bw_emit(e, bw_ldx(BPF_W, BW_R5, BW_R10, NEW));
	for (unsigned w = 0; w < n / 2; w++) {
		int32_t sh = (int32_t)(8 * (n - 2 - 2 * w));

		bw_emit(e, bw_mov64_reg(BW_R3, BW_R4));
		if (sh)
			bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R3, sh));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 0xffff));
		bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R3, 0xffff));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R3));
		bw_emit(e, bw_mov64_reg(BW_R3, BW_R5));
		if (sh)
			bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R3, sh));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 0xffff));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R3));
	}
	for (int i = 0; i < 2; i++) {		/* fold the carries */
		bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R3, 16));
		bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 0xffff));
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R3));
	}
	bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R2, 0xffff));
	if (udp) {
		bw_label nz = bw_emit_label(e);

		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, 0, 0), nz);
		bw_emit(e, bw_mov64_imm(BW_R2, 0xffff));
		bw_emit_place(e, nz);
	}
	bw_emit(e, bw_mov64_reg(BW_R0, BW_R2));
	store_be(e, vat, 2);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	hdr_off(e, BW_R2, base, off);
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, vat));
	bw_emit(e, bw_mov64_imm(BW_R4, 2));
	bw_emit(e, bw_call(HELPER_XDP_STORE_BYTES));
	bw_emit_place(e, done);
}

/* XDP: a pseudo-header field's change in a TCP or UDP checksum */
static void xdp_l4_csum(struct bw_emit *e, unsigned n)
{
	bw_label udp = bw_emit_label(e), done = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R0, BW_VIEW_L4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), done);
	bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(l4proto)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, IPPROTO_TCP, 0), udp);
	xdp_csum(e, (int16_t)(BW_VIEW_OFF(l4h) + 16), TRANSPORT, 16, n, false);
	bw_emit_ja(e, done);
	bw_emit_place(e, udp);
	bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(l4proto)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, IPPROTO_UDP, 0), done);
	xdp_csum(e, (int16_t)(BW_VIEW_OFF(l4h) + 6), TRANSPORT, 6, n, true);
	bw_emit_place(e, done);
}

/*
 * The first VLAN tag's TCI (link-layer offset 14; pcp and dei: its first
 * byte) or the EtherType after it (16): the view keeps them as host-order numbers
 * (vlan_tci, vlan_type), so the write is done on the number and the
 * packet gets its big-endian bytes from NEW.  The frame has a tag, else
 * the rule stops (the implicit ether type 8021q, or the rule's own
 * ether type test, has said which).
 */
static int vlan_emit(struct bw_emit *e, const struct bw_ir_hdrset *h, bool xdp,
		     bw_label miss)
{
	uint8_t word = h->off < 16 ? 14 : 16;
	int16_t at = word == 14 ? BW_VIEW_OFF(vlan_tci) : BW_VIEW_OFF(vlan_type);
	bw_label written = bw_emit_label(e);
	uint8_t mask[2] = { 0xff, 0xff }, val[2] = { 0, 0 };

	if (h->off + h->len > word + 2u || h->len == 0)
		return -EOPNOTSUPP;
	/* pcp and dei: one byte of the TCI, the other kept */
	for (unsigned k = 0; k < h->len; k++) {
		mask[h->off - word + k] = h->rmw ? h->mask[k] : 0;
		val[h->off - word + k] = h->value[k];
	}
	bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R0, BW_VIEW_VLAN));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), miss);
	bw_emit(e, bw_ldx(BPF_H, BW_R0, BW_R10, at));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, OLD));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R0, (int32_t)be_num(mask, 2)));
	bw_emit(e, bw_alu32_imm(BPF_XOR, BW_R0, (int32_t)be_num(val, 2)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, at));
	store_be(e, NEW, 2);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	hdr_off(e, BW_R2, LL, word);
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, NEW));
	bw_emit(e, bw_mov64_imm(BW_R4, 2));
	bw_emit(e, bw_mov64_imm(BW_R5, 0));
	bw_emit(e, bw_call(xdp ? HELPER_XDP_STORE_BYTES : HELPER_SKB_STORE_BYTES));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), written);
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R10, OLD));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R0, at));
	bw_emit_ja(e, miss);
	bw_emit_place(e, written);
	return 0;
}

int bw_hdrset_emit(struct bw_emit *e, const struct bw_ir_hdrset *h,
		   uint8_t need_l3, uint8_t need_l4, bool xdp, bw_label miss)
{
	int16_t at = (int16_t)((h->base == LL ? BW_VIEW_OFF(eth) : h->base == NET ?
				BW_VIEW_OFF(l3h) : BW_VIEW_OFF(l4h)) + h->off);
	unsigned n = h->len;
	bool csum = h->csum_type != 0;
	bw_label written;

	if (h->base == LL && h->off >= 14)
		return vlan_emit(e, h, xdp, miss);
	if (n == 0 || n > 4 ||
	    h->off + n > (h->base == LL ? 14u : h->base == NET ? 40u : 24u) ||
	    (h->pseudo && n % 2) || (h->csum_type && n % 2))
		return -EOPNOTSUPP;
	/* the header is there, else the rule stops (nft's dependency) */
	if (need_l3) {
		bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(l3)));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, need_l3, 0), miss);
	}
	if (h->base == TRANSPORT) {
		bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(flags)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R0, BW_VIEW_L4));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), miss);
	}
	if (need_l4) {
		bw_emit(e, bw_ldx(BPF_B, BW_R0, BW_R10, BW_VIEW_OFF(l4proto)));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, need_l4, 0), miss);
	}
	written = bw_emit_label(e);
	/* old and new bytes: in the stack for the checksums, the new ones
	 * in the view for the rules after */
	load_be(e, at, n);
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, OLD));
	if (h->rmw) {
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R0, (int32_t)be_num(h->mask, n)));
		bw_emit(e, bw_alu32_imm(BPF_XOR, BW_R0, (int32_t)be_num(h->value, n)));
	} else {
		bw_emit(e, bw_mov32_imm(BW_R0, (int32_t)be_num(h->value, n)));
	}
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, NEW));
	store_be(e, at, n);
	/* bpf_skb_store_bytes(skb, header + off, view bytes, n, 0), or
	 * bpf_xdp_store_bytes(xdp, header + off, view bytes, n) */
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	hdr_off(e, BW_R2, h->base, h->off);
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, at));
	bw_emit(e, bw_mov64_imm(BW_R4, (int32_t)n));
	bw_emit(e, bw_mov64_imm(BW_R5, 0));
	bw_emit(e, bw_call(xdp ? HELPER_XDP_STORE_BYTES : HELPER_SKB_STORE_BYTES));
	/* not written (a packet the helper cannot write): the view as it
	 * was, and the rule stops */
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), written);
	bw_emit(e, bw_ldx(BPF_W, BW_R0, BW_R10, OLD));
	store_be(e, at, n);
	bw_emit_ja(e, miss);
	bw_emit_place(e, written);
	/* a write of the checksum itself leaves what it wrote, as in
	 * nf_tables (which updates the checksum first, then writes) */
	if (h->csum_type && h->csum_off >= h->off && h->csum_off < h->off + n)
		csum = false;
	if (xdp) {
		if (csum)
			xdp_csum(e, (int16_t)((h->base == NET ? BW_VIEW_OFF(l3h) :
					       BW_VIEW_OFF(l4h)) + h->csum_off),
				 h->base, h->csum_off, n,
				 h->base == TRANSPORT && h->csum_off == 6);
		if (h->pseudo && h->base == NET)
			xdp_l4_csum(e, n);
		return 0;
	}
	if (csum)
		csum_replace(e, h->base == NET ? HELPER_L3_CSUM_REPLACE :
			     HELPER_L4_CSUM_REPLACE, h->base, h->csum_off, n,
			     h->base == TRANSPORT && h->csum_off == 6 ?
			     F_MARK_MANGLED_0 : 0);
	if (h->pseudo && h->base == NET)
		l4_csum(e, n, F_PSEUDO_HDR);
	return 0;
}
