// SPDX-License-Identifier: GPL-2.0-only
/*
 * The classifier's code (classify.h): the packet key once, then each
 * tuple probed in order, its candidates checked in full, the lowest rule
 * position kept; the winner applied as a lookup group's rule.
 *
 * Stack, in BW_STK_LKEY's 48 bytes:
 *   +0  16 bytes  the key under the tuple's mask (the lookup key)
 *   +16 16 bytes  the packet key
 *   +32 u32       best rule position so far (BW_CLS_NO_RULE: none)
 *   +36 u32       its handle
 *   +40 u8        its verdict
 *   +41 u8        its counter flag
 * Nothing is kept in registers across a lookup: r0-r5 only, so the
 * fixed roles of r6-r9 stay untouched until the winner is applied.
 * The packet key's IPv6 words (classify.h, bytes 16..47) are not
 * copied: a wide tuple reads them from the view's IPv6 header (the view
 * is zeroed, so an IPv4 packet's bytes there are defined; its l3 byte
 * keeps it out of an IPv6 tuple's entries).  Nor are the interface
 * names (bytes 48..79): at the netfilter hooks they are the view's
 * (ops->iface_view), in an XDP or TC program constants (struct ifaces).
 */
#include <stddef.h>
#include <string.h>

#include "compiler/opt/classify.h"
#include "codegen_int.h"
#include "compiler/front/view.h"

/* The tag filter reads 8 slots as one word, the first slot in its low
 * byte. */
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the classifier's tag filter assumes a little-endian host"
#endif

#define K_MASKED	(BW_STK_LKEY)
#define K_PKT		(BW_STK_LKEY + 16)
#define K_BEST		(BW_STK_LKEY + 32)
#define K_HANDLE	(BW_STK_LKEY + 36)
#define K_VERDICT	(BW_STK_LKEY + 40)
#define K_COUNTER	(BW_STK_LKEY + 41)

#define CAND(k, member) \
	((int16_t)((k) * (int)t->csize + \
		   (int)offsetof(struct bw_cls_cand, member)))
#define CAND6(k, member) \
	((int16_t)((k) * (int)t->csize + \
		   (int)offsetof(struct bw_cls_cand6, member)))

/* The interfaces a program's packets have: at the netfilter hooks read
 * from the view (view), else the device's name as input (ingress) or
 * output (egress) interface, none for the other, as codegen decides
 * interface compares; names NUL padded, as 2 native words. */
struct ifaces {
	bool view;
	uint8_t bits;			/* BW_CLS_IIF_BIT, BW_CLS_OIF_BIT */
	uint64_t name[2][2];
};

static void ifaces_of(const struct gen *g, struct ifaces *f)
{
	char n[16] = { 0 };
	unsigned dir = g->ops->info.egress;

	memset(f, 0, sizeof(*f));
	f->view = g->ops->iface_view;
	if (f->view || !g->ifname)
		return;
	strncpy(n, g->ifname, 15);
	memcpy(f->name[dir], n, 16);
	f->bits = dir ? BW_CLS_OIF_BIT : BW_CLS_IIF_BIT;
}

static void view_byte(struct bw_emit *e, int voff, int koff)
{
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, (int16_t)voff));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, (int16_t)koff));
}

/* No winner yet; then, under the table's description, the packet key
 * (classify.h); its interface bits where the group reads interfaces
 * (ifs, else NULL). */
static void emit_key(struct bw_emit *e, const char *table,
		     const struct ifaces *ifs)
{
	int l3h = BW_VIEW_OFF(l3h), l4h = BW_VIEW_OFF(l4h);

	bw_emit(e, bw_st(BPF_DW, BW_R10, K_PKT, 0));
	bw_emit(e, bw_st(BPF_DW, BW_R10, K_PKT + 8, 0));
	bw_emit(e, bw_st(BPF_W, BW_R10, K_BEST, (int32_t)BW_CLS_NO_RULE));
	bw_emit(e, bw_st(BPF_W, BW_R10, K_HANDLE, 0));
	bw_emit(e, bw_st(BPF_DW, BW_R10, K_VERDICT, 0));
	bw_emit_mark(e, NULL, 0, table);
	view_byte(e, BW_VIEW_OFF(l4proto), K_PKT + BW_CLS_K_PROTO);
	_Static_assert(BW_VIEW_L4 == 1 && BW_CLS_L4_BIT == 0x80, "l4 bit");
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, (int16_t)BW_VIEW_OFF(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, BW_VIEW_L4));
	bw_emit(e, bw_alu32_imm(BPF_LSH, BW_R1, 7));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, (int16_t)BW_VIEW_OFF(l3)));
	bw_emit(e, bw_alu32_reg(BPF_OR, BW_R1, BW_R2));
	_Static_assert(BW_VIEW_IIF >> 2 == BW_CLS_IIF_BIT &&
		       BW_VIEW_OIF >> 2 == BW_CLS_OIF_BIT, "interface bits");
	if (ifs && ifs->view) {
		bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, (int16_t)BW_VIEW_OFF(flags)));
		bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R2, 2));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R2, BW_CLS_IIF_BIT | BW_CLS_OIF_BIT));
		bw_emit(e, bw_alu32_reg(BPF_OR, BW_R1, BW_R2));
	} else if (ifs && ifs->bits) {
		bw_emit(e, bw_alu32_imm(BPF_OR, BW_R1, ifs->bits));
	}
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, K_PKT + BW_CLS_K_L3));
	for (int i = 0; i < 2; i++) {
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, (int16_t)(l3h + 12 + 4 * i)));
		bw_emit(e, bw_be(BW_R1, 32));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1,
				  (int16_t)(K_PKT + BW_CLS_K_SADDR + 4 * i)));
	}
	for (int i = 0; i < 2; i++) {
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, (int16_t)(l4h + 2 * i)));
		bw_emit(e, bw_be(BW_R1, 16));
		bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1,
				  (int16_t)(K_PKT + BW_CLS_K_SPORT + 2 * i)));
	}
}

/* Lookup key word w: the packet key's under the tuple's mask, with the
 * tuple's id in bytes 2-3, in reg and on the stack (r2 scratch). */
static void emit_mask_word(struct bw_emit *e, const struct bw_cls_tuple *t,
			   int w, uint8_t reg)
{
	int32_t id = w ? 0 : (int32_t)(t->id << 16);
	uint64_t m;

	memcpy(&m, t->mask + 8 * w, 8);
	if (!m) {
		bw_emit(e, bw_mov64_imm(reg, id));
	} else {
		bw_emit(e, bw_ldx(BPF_DW, reg, BW_R10, (int16_t)(K_PKT + 8 * w)));
		if (m != UINT64_MAX) {
			bw_emit_ld_imm64(e, BW_R2, m);
			bw_emit(e, bw_alu64_reg(BPF_AND, reg, BW_R2));
		}
		if (id)
			bw_emit(e, bw_alu64_imm(BPF_OR, reg, id));
	}
	bw_emit(e, bw_stx(BPF_DW, BW_R10, reg, (int16_t)(K_MASKED + 8 * w)));
}

/*
 * A wide tuple's key: bytes 4..11 of the lookup key words in r1 and r3
 * xor the fingerprint of its masked words 16..79 (bw_cls_fold): the
 * IPv6 ones read from the view, the names from the view or, constants,
 * folded now (r0, r2, r4 scratch); both words stored again.
 */
static void emit_fold(struct bw_emit *e, const struct bw_cls_tuple *t,
		      const struct ifaces *ifs)
{
	uint64_t cst = 0, m;
	bool var = false;

	for (unsigned i = 0; i < 8; i++) {
		memcpy(&m, t->mask + BW_CLS_K_SADDR6 + 8 * i, 8);
		if (m && (i < 4 || ifs->view))
			var = true;
		else if (m)
			cst ^= (ifs->name[(i - 4) / 2][i % 2] & m) * bw_cls_fold_k(i);
	}
	if (!var) {	/* names only, the program's constants: so is it */
		cst ^= cst >> 32;
		bw_emit_ld_imm64(e, BW_R2, cst << 32);
		bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R1, BW_R2));
		bw_emit_ld_imm64(e, BW_R2, cst >> 32);
		bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R3, BW_R2));
		bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R1, K_MASKED));
		bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R3, K_MASKED + 8));
		return;
	}
	bw_emit(e, bw_mov64_imm(BW_R0, 0));
	for (unsigned i = 0; i < 8; i++) {
		int16_t voff;

		memcpy(&m, t->mask + BW_CLS_K_SADDR6 + 8 * i, 8);
		if (!m || (i >= 4 && !ifs->view))
			continue;
		voff = (int16_t)(i < 4 ? BW_VIEW_OFF(l3h) + 8 + 8 * (int)i :
				 i < 6 ? BW_VIEW_OFF(iifname) + 8 * (int)(i - 4) :
				 BW_VIEW_OFF(oifname) + 8 * (int)(i - 6));
		bw_emit(e, bw_ldx(BPF_DW, BW_R4, BW_R10, voff));
		if (i < 4)
			bw_emit(e, bw_be(BW_R4, 64));
		if (m != UINT64_MAX) {
			bw_emit_ld_imm64(e, BW_R2, m);
			bw_emit(e, bw_alu64_reg(BPF_AND, BW_R4, BW_R2));
		}
		bw_emit_ld_imm64(e, BW_R2, bw_cls_fold_k(i));
		bw_emit(e, bw_alu64_reg(BPF_MUL, BW_R4, BW_R2));
		bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R0, BW_R4));
	}
	if (cst) {
		bw_emit_ld_imm64(e, BW_R2, cst);
		bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R0, BW_R2));
	}
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 32));
	bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R0, BW_R2));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 32));
	bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R1, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R0, 32));
	bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R3, BW_R0));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R1, K_MASKED));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R3, K_MASKED + 8));
}

/*
 * The packet's IPv6 address at view offset voff (two big-endian words)
 * within candidate k's range [lo, hi] (two host-order words each, high
 * first), else nk (r2-r4 scratch; r0 the candidates, r1 kept).
 */
static void emit_range6(struct bw_emit *e, int voff, int16_t lo, int16_t hi,
			bw_label nk)
{
	bw_label lo_ok = bw_emit_label(e), hi_ok = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_DW, BW_R2, BW_R10, (int16_t)voff));
	bw_emit(e, bw_be(BW_R2, 64));
	bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R10, (int16_t)(voff + 8)));
	bw_emit(e, bw_be(BW_R3, 64));
	bw_emit(e, bw_ldx(BPF_DW, BW_R4, BW_R0, lo));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JLT, BW_R2, BW_R4, 0), nk);
	bw_emit_jcc(e, bw_jmp_reg(BPF_JNE, BW_R2, BW_R4, 0), lo_ok);
	bw_emit(e, bw_ldx(BPF_DW, BW_R4, BW_R0, (int16_t)(lo + 8)));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JLT, BW_R3, BW_R4, 0), nk);
	bw_emit_place(e, lo_ok);
	bw_emit(e, bw_ldx(BPF_DW, BW_R4, BW_R0, hi));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R4, 0), nk);
	bw_emit_jcc(e, bw_jmp_reg(BPF_JNE, BW_R2, BW_R4, 0), hi_ok);
	bw_emit(e, bw_ldx(BPF_DW, BW_R4, BW_R0, (int16_t)(hi + 8)));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R3, BW_R4, 0), nk);
	bw_emit_place(e, hi_ok);
}

/*
 * The packet's interface name dir (0 input, 1 output) under candidate
 * k's mask equal to its value, else nk (r2, r3 scratch; r0 the
 * candidates, r1 kept).
 */
static void emit_name(struct bw_emit *e, const struct ifaces *ifs, unsigned dir,
		      int16_t val, int16_t mask, bw_label nk)
{
	for (int w = 0; w < 2; w++) {
		if (ifs->view)
			bw_emit(e, bw_ldx(BPF_DW, BW_R2, BW_R10, (int16_t)
					  ((dir ? BW_VIEW_OFF(oifname) :
					    BW_VIEW_OFF(iifname)) + 8 * w)));
		else
			bw_emit_ld_imm64(e, BW_R2, ifs->name[dir][w]);
		bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R0, (int16_t)(mask + 8 * w)));
		bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R3));
		bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R0, (int16_t)(val + 8 * w)));
		bw_emit_jcc(e, bw_jmp_reg(BPF_JNE, BW_R2, BW_R3, 0), nk);
	}
}

/* A number of the packet key (size BPF_W or BPF_H at koff) within
 * candidate k's range [lo, hi], else nk. */
static void emit_range(struct bw_emit *e, uint8_t size, int koff, int16_t lo,
		       int16_t hi, bw_label nk)
{
	bw_emit(e, bw_ldx(size, BW_R2, BW_R10, (int16_t)koff));
	bw_emit(e, bw_ldx(size, BW_R3, BW_R0, lo));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JLT, BW_R2, BW_R3, 0), nk);
	bw_emit(e, bw_ldx(size, BW_R3, BW_R0, hi));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R2, BW_R3, 0), nk);
}

/* Candidate k of the value at r0: the first whose rule is below the
 * best and that holds becomes the best; then on to done.  Only what
 * the tuple's key leaves open is checked. */
static void emit_cand(struct bw_emit *e, const struct bw_cls_tuple *t,
		      const struct ifaces *ifs, uint32_t k, bw_label done)
{
	bw_label nk = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R0, CAND(k, rule)));
	bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, K_BEST));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGE, BW_R1, BW_R2, 0), done);
	if (t->check & BW_CLS_CHK_L3) {
		bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, K_PKT));
		bw_emit(e, bw_ldx(BPF_H, BW_R3, BW_R0, CAND(k, mask)));
		bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R3));
		bw_emit(e, bw_ldx(BPF_H, BW_R3, BW_R0, CAND(k, val)));
		bw_emit_jcc(e, bw_jmp_reg(BPF_JNE, BW_R2, BW_R3, 0), nk);
	}
	if (t->check & BW_CLS_CHK_SADDR)
		emit_range(e, BPF_W, K_PKT + BW_CLS_K_SADDR, CAND(k, saddr_lo),
			   CAND(k, saddr_hi), nk);
	if (t->check & BW_CLS_CHK_DADDR)
		emit_range(e, BPF_W, K_PKT + BW_CLS_K_DADDR, CAND(k, daddr_lo),
			   CAND(k, daddr_hi), nk);
	if (t->check & BW_CLS_CHK_SPORT)
		emit_range(e, BPF_H, K_PKT + BW_CLS_K_SPORT, CAND(k, sport_lo),
			   CAND(k, sport_hi), nk);
	if (t->check & BW_CLS_CHK_DPORT)
		emit_range(e, BPF_H, K_PKT + BW_CLS_K_DPORT, CAND(k, dport_lo),
			   CAND(k, dport_hi), nk);
	if (t->check & BW_CLS_CHK_SADDR6)
		emit_range6(e, BW_VIEW_OFF(l3h) + 8, CAND6(k, s6_lo),
			    CAND6(k, s6_hi), nk);
	if (t->check & BW_CLS_CHK_DADDR6)
		emit_range6(e, BW_VIEW_OFF(l3h) + 24, CAND6(k, d6_lo),
			    CAND6(k, d6_hi), nk);
	if (t->check & BW_CLS_CHK_IIF)
		emit_name(e, ifs, 0, CAND6(k, iif_val), CAND6(k, iif_mask), nk);
	if (t->check & BW_CLS_CHK_OIF)
		emit_name(e, ifs, 1, CAND6(k, oif_val), CAND6(k, oif_mask), nk);
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, K_BEST));
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R0, CAND(k, handle)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, K_HANDLE));
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R0, CAND(k, verdict)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, K_VERDICT));
	bw_emit_ja(e, done);
	bw_emit_place(e, nk);
}

/* r1 = the home slot of the lookup key (words in r1 and r3, or on the
 * stack when !in_regs; r2 scratch), r3 = its tag's address in the map's
 * value, r4 = its tag. */
static void emit_hash(struct bw_emit *e, const struct bw_cls_table *tab,
		      bool in_regs)
{
	if (!in_regs) {
		bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R10, K_MASKED));
		bw_emit(e, bw_ldx(BPF_DW, BW_R3, BW_R10, K_MASKED + 8));
	}
	bw_emit_ld_imm64(e, BW_R2, UINT64_C(0x9e3779b97f4a7c15));
	bw_emit(e, bw_alu64_reg(BPF_MUL, BW_R1, BW_R2));
	if (tab->seed) {
		bw_emit_ld_imm64(e, BW_R2, tab->seed);
		bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R3, BW_R2));
	}
	bw_emit_ld_imm64(e, BW_R2, UINT64_C(0xc2b2ae3d27d4eb4f));
	bw_emit(e, bw_alu64_reg(BPF_MUL, BW_R3, BW_R2));
	bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R1, BW_R3));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 32));
	bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R1, BW_R2));
	bw_emit_ld_imm64(e, BW_R2, UINT64_C(0x165667b19e3779f9));
	bw_emit(e, bw_alu64_reg(BPF_MUL, BW_R1, BW_R2));
	bw_emit(e, bw_mov64_reg(BW_R4, BW_R1));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R4, (int32_t)(56 - tab->bits)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R4, 0xff));
	bw_emit(e, bw_jmp_imm(BPF_JNE, BW_R4, 0, 1));
	bw_emit(e, bw_mov32_imm(BW_R4, 1));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R1, (int32_t)(64 - tab->bits)));
	bw_emit_ld_map_value(e, BW_R3, BW_MAP__MAX + tab->map, 0);
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R1));
}

/*
 * Any byte of the 8 tags at r3 equal to the tag r4 before the first
 * empty one?  If none, on to miss (r0-r2, r5 scratch).  With
 * h(x) = ~(((x & 0x7f..) + 0x7f..) | x | 0x7f..), which sets a byte's
 * top bit exactly where the byte is 0: z = h(tags) marks the empty
 * slots, q = h(tags ^ r4 * 0x0101..) those with the tag, and
 * (z & -z) - 1 covers the bytes before the first empty one (all of them
 * when none is).
 */
static void emit_filter(struct bw_emit *e, bw_label miss)
{
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R3, 0));
	bw_emit_ld_imm64(e, BW_R2, UINT64_C(0x0101010101010101));
	bw_emit(e, bw_alu64_reg(BPF_MUL, BW_R2, BW_R4));
	bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R2, BW_R1));
	bw_emit_ld_imm64(e, BW_R5, UINT64_C(0x7f7f7f7f7f7f7f7f));
	for (int i = 0; i < 2; i++) {
		uint8_t x = i ? BW_R2 : BW_R1, d = i ? BW_R1 : BW_R0;

		bw_emit(e, bw_mov64_reg(d, x));
		bw_emit(e, bw_alu64_reg(BPF_AND, d, BW_R5));
		bw_emit(e, bw_alu64_reg(BPF_ADD, d, BW_R5));
		bw_emit(e, bw_alu64_reg(BPF_OR, d, x));
		bw_emit(e, bw_alu64_reg(BPF_OR, d, BW_R5));
		bw_emit(e, bw_alu64_imm(BPF_XOR, d, -1));
	}
	/* r0 = z, r1 = q */
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R2, 0));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R2, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_SUB, BW_R2, 1));
	bw_emit(e, bw_alu64_reg(BPF_AND, BW_R1, BW_R2));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), miss);
}

/*
 * The lookup key's entry in the flat table (classify.h): r0 at its
 * candidates, else on to miss.  The filter first; past it, the tags
 * from the key's home slot on (r3) until an empty one, and where the
 * tag is the key's (r4), the entry its offset (r5) names compared with
 * the lookup key.
 */
static void emit_probe(struct bw_emit *e, const struct bw_cls_table *tab,
		       const struct bw_cls_tuple *t, bw_label miss)
{
	uint32_t esz = BW_CLS_KEY + t->ncand * t->csize;
	uint32_t map = BW_MAP__MAX + tab->map;
	bw_label found = bw_emit_label(e);

	emit_hash(e, tab, true);
	emit_filter(e, miss);
	/* the offsets: from the home slot again, r1 is the filter's */
	emit_hash(e, tab, false);
	bw_emit_ld_map_value(e, BW_R5, map, (uint32_t)bw_cls_offs_at(tab->bits));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R1, 2));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R5, BW_R1));
	for (uint32_t i = 0; i < tab->max_probe; i++) {
		bw_label next = bw_emit_label(e);

		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R3, (int16_t)i));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), miss);
		bw_emit_jcc(e, bw_jmp_reg(BPF_JNE, BW_R1, BW_R4, 0), next);
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R5, (int16_t)(4 * i)));
		/* for the verifier: an entry this tuple's size fits there (an
		 * entry of another tuple, smaller and last, may not: it is not
		 * the key, the probe goes on) */
		bw_emit_jcc(e, bw_jmp_imm(BPF_JGT, BW_R1,
					  (int32_t)(tab->size - esz), 0), next);
		bw_emit_ld_map_value(e, BW_R0, map, 0);
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R0, BW_R1));
		for (int w = 0; w < 2; w++) {
			bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R0, (int16_t)(8 * w)));
			bw_emit(e, bw_ldx(BPF_DW, BW_R2, BW_R10,
					  (int16_t)(K_MASKED + 8 * w)));
			bw_emit_jcc(e, bw_jmp_reg(BPF_JNE, BW_R1, BW_R2, 0), next);
		}
		bw_emit_ja(e, found);
		bw_emit_place(e, next);
	}
	bw_emit_ja(e, miss);
	bw_emit_place(e, found);
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R0, BW_CLS_KEY));
}

void bw_cls_emit(struct gen *g, const struct bw_ir_chain *ch,
		 const struct bw_opt_group *grp, bw_label next, bool last)
{
	const struct bw_ir_rule *r0 = &ch->rule[grp->first];
	struct bw_emit *e = &g->e;
	bw_label miss = bw_emit_label(e), end = bw_emit_label(e);
	uint64_t ifields = UINT64_C(1) << BW_F_META_IIF |
			   UINT64_C(1) << BW_F_META_IIFNAME |
			   UINT64_C(1) << BW_F_META_OIF |
			   UINT64_C(1) << BW_F_META_OIFNAME;
	struct ifaces ifs;

	_Static_assert(BW_F_META_OIFNAME < 64, "group fields are a u64");
	ifaces_of(g, &ifs);
	bw_emit_mark(e, &r0->loc, r0->handle, "classifier");
	emit_key(e, g->plan->cls->desc, grp->fields & ifields ? &ifs : NULL);
	for (uint32_t i = 0; i < grp->ntuple; i++) {
		const struct bw_cls_tuple *t = &g->plan->tuple[grp->tuple + i];
		bw_label done = bw_emit_label(e);

		bw_emit_mark(e, NULL, 0, t->desc);
		/* no rule of this tuple or a later one comes before the best */
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, K_BEST));
		bw_emit_jcc(e, bw_jmp_imm(BPF_JLE, BW_R1, (int32_t)t->min_rule, 0),
			    end);
		emit_mask_word(e, t, 0, BW_R1);
		emit_mask_word(e, t, 1, BW_R3);
		if (t->wide)
			emit_fold(e, t, &ifs);
		emit_probe(e, g->plan->cls, t, done);
		for (uint32_t k = 0; k < t->ncand; k++)
			emit_cand(e, t, &ifs, k, done);
		bw_emit_place(e, done);
	}
	bw_emit_place(e, end);
	bw_emit_mark(e, &r0->loc, r0->handle, "classifier verdict");
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, K_BEST));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, (int32_t)BW_CLS_NO_RULE, 0),
		    miss);
	bw_emit(e, bw_ldx(BPF_W, BW_R7, BW_R10, K_HANDLE));
	bw_emit(e, bw_ldx(BPF_B, BW_R9, BW_R10, K_VERDICT));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, K_COUNTER));
	bw_cg_emit_hit(g, next, last, miss);
	bw_emit_place(e, miss);
}
