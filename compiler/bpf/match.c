// SPDX-License-Identifier: GPL-2.0-only
/*
 * Match emitters: one IR match ("field OP set-of-elements", ir.h) into
 * instructions that read the view.
 *
 * Matches are evaluated WITHOUT branches: each yields a "bad" value (0: the
 * match holds) that is OR-ed into the rule accumulator r9, and the rule ends
 * with one `if r9 != 0 goto miss`.  This is for the verifier as much as for
 * the CPU: a rule with several conditional jumps whose both sides go on to
 * the next rule leaves one pending branch per rule on the verifier's stack,
 * and 8192 of them fail the load.  With one branch per rule whose
 * fall-through ends (drop, or a next chain already verified), the verifier's
 * work stays linear in the number of rules.
 *
 *   equality   (x & mask) ^ lo                        nonzero: differs
 *   range      ((hi - lo) - (u32)((x & mask) - lo)) >> 63   1: outside
 *   set        AND of the elements' 0/1 results      (all fail: 1)
 *   !=         the set result XOR 1
 *
 * Registers: r1-r4 the field's chunks, r0/r5/r8 temporaries, r7 the set
 * accumulator, r9 the rule accumulator.  The one exception is a range over
 * a field wider than one register (IPv6 and Ethernet address ranges):
 * lexicographic compare with jumps to miss.
 */
#include <errno.h>
#include <string.h>

#include "hook.h"

#define MAX_CHUNKS 4

/* A naturally aligned piece of a field, loaded into one register. */
struct chunk {
	uint8_t off;		/* from the field's first byte */
	uint8_t size;		/* 1, 2, 4, 8 */
	uint8_t bpf_size;	/* BPF_B ... */
};

struct mview {
	const struct bw_field *f;
	struct chunk c[MAX_CHUNKS];
	int n;
	bool numeric;		/* registers hold numbers, else raw host loads */
};

static int chunks_of(const struct bw_field *f, struct chunk *c)
{
	static const struct { uint8_t size, bpf; } w[] = {
		{ 8, BPF_DW }, { 4, BPF_W }, { 2, BPF_H }, { 1, BPF_B },
	};
	unsigned n = 0, off = 0;

	while (off < f->size) {
		unsigned at = f->view_off + off, i;

		for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
			if (w[i].size <= f->size - off && !(at % w[i].size))
				break;
		if (n == MAX_CHUNKS)
			return -ENOTSUP;
		c[n].off = (uint8_t)off;
		c[n].size = w[i].size;
		c[n].bpf_size = w[i].bpf;
		off += w[i].size;
		n++;
	}
	return (int)n;
}

/* Bytes b (network order) of chunk c as the register holds them. */
static uint64_t cval(const struct mview *mv, const struct chunk *c,
		     const uint8_t *b)
{
	uint64_t v = 0;

	if (mv->numeric) {
		for (unsigned i = 0; i < c->size; i++)
			v = v << 8 | b[c->off + i];
		return v;
	}
	switch (c->size) {
	case 1: return b[c->off];
	case 2: { uint16_t t; memcpy(&t, b + c->off, 2); return t; }
	case 4: { uint32_t t; memcpy(&t, b + c->off, 4); return t; }
	default: memcpy(&v, b + c->off, 8); return v;
	}
}

/* All value bits of chunk c (after shift/bits for sub-byte fields). */
static uint64_t cfull(const struct mview *mv, const struct chunk *c)
{
	if (mv->f->bits)
		return (UINT64_C(1) << mv->f->bits) - 1;
	return c->size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * c->size)) - 1;
}

static bool elem_is_eq(const struct bw_field *f, const struct bw_ir_elem *el)
{
	return !memcmp(el->lo, el->hi, f->size);
}

/* Can (x & mask) in [lo, hi] never hold, whatever x? */
static bool elem_never(const struct bw_field *f, const struct bw_ir_elem *el)
{
	uint8_t lo[BW_VAL_MAX];

	if (memcmp(el->lo, el->hi, f->size) > 0)
		return true;
	for (unsigned i = 0; i < f->size; i++)
		lo[i] = el->lo[i] & el->mask[i];
	/* an equality whose value has bits outside its mask */
	return elem_is_eq(f, el) && memcmp(lo, el->lo, f->size);
}

/* ------------------------------------------------------- branchless form */

/* dst op= constant v, for a chunk of size sz (8: through r8). */
static void alu_const(struct bw_emit *e, uint8_t op, uint8_t dst, unsigned sz,
		      uint64_t v)
{
	if (sz == 8) {
		bw_emit_ld_imm64(e, BW_R8, v);
		bw_emit(e, bw_alu64_reg(op, dst, BW_R8));
	} else {
		bw_emit(e, bw_alu32_imm(op, dst, (int32_t)(uint32_t)v));
	}
}

/* r0 = 0 or 1 (r0 != 0); clobbers r5. */
static void normalize(struct bw_emit *e)
{
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R0));
	bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R5, 0));
	bw_emit(e, bw_alu64_reg(BPF_OR, BW_R0, BW_R5));
	bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R0, 63));
}

/*
 * r0 = "element fails": nonzero for an equality (*is01 false), 0/1 for a
 * range (*is01 true).
 */
static uint8_t elem_bad(struct bw_emit *e, const struct mview *mv,
			const struct bw_ir_elem *el, bool inplace, bool *is01)
{
	const struct bw_field *f = mv->f;
	bool first = true;

	*is01 = false;
	if (elem_never(f, el)) {
		bw_emit(e, bw_mov64_imm(BW_R0, 1));
		*is01 = true;
		return BW_R0;
	}
	if (elem_is_eq(f, el)) {
		uint8_t res = BW_R0;

		for (int i = 0; i < mv->n; i++) {
			const struct chunk *c = &mv->c[i];
			uint64_t full = cfull(mv, c);
			uint64_t m = cval(mv, c, el->mask) & full;
			uint8_t reg = (uint8_t)(BW_R1 + i);
			uint8_t dst = inplace ? reg : first ? BW_R0 : BW_R5;

			if (!m)
				continue;
			if (dst != reg)
				bw_emit(e, bw_mov64_reg(dst, reg));
			if (m != full)
				alu_const(e, BPF_AND, dst, c->size, m);
			alu_const(e, BPF_XOR, dst, c->size, cval(mv, c, el->lo));
			if (first)
				res = dst;
			else
				bw_emit(e, bw_alu64_reg(BPF_OR, res, dst));
			first = false;
		}
		if (first)	/* mask 0: always holds */
			bw_emit(e, bw_mov64_imm(BW_R0, 0));
		return first ? BW_R0 : res;
	}
	/* single chunk of at most 4 bytes: r0 = x & mask - lo (mod 2^32),
	 * r5 = (hi - lo) - r0, negative iff x is above hi or below lo */
	{
		const struct chunk *c = &mv->c[0];
		uint64_t lo = cval(mv, c, el->lo), hi = cval(mv, c, el->hi);
		uint64_t m = cval(mv, c, el->mask) & cfull(mv, c);

		bw_emit(e, bw_mov64_reg(BW_R0, BW_R1));
		if (m != cfull(mv, c))
			bw_emit(e, bw_alu32_imm(BPF_AND, BW_R0, (int32_t)(uint32_t)m));
		if (lo)
			bw_emit(e, bw_alu32_imm(BPF_SUB, BW_R0, (int32_t)(uint32_t)lo));
		bw_emit(e, bw_mov32_imm(BW_R5, (int32_t)(uint32_t)(hi - lo)));
		bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R5, BW_R0));
		bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R5, 63));
		*is01 = true;
		return BW_R5;
	}
}

/* Returns the register holding the match's bad value (0: holds). */
static uint8_t match_branchless(struct bw_emit *e, const struct mview *mv,
				const struct bw_ir_match *m)
{
	bool is01;
	uint8_t r;

	if (m->nelem == 1) {
		r = elem_bad(e, mv, &m->elem[0], true, &is01);
		if (m->neg) {
			if (r != BW_R0)
				bw_emit(e, bw_mov64_reg(BW_R0, r));
			if (!is01)
				normalize(e);
			bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R0, 1));
			r = BW_R0;
		}
		return r;
	}
	for (uint32_t i = 0; i < m->nelem; i++) {
		r = elem_bad(e, mv, &m->elem[i], false, &is01);
		if (r != BW_R0)
			bw_emit(e, bw_mov64_reg(BW_R0, r));
		if (!is01)
			normalize(e);
		if (i == 0)
			bw_emit(e, bw_mov64_reg(BW_R7, BW_R0));
		else
			bw_emit(e, bw_alu64_reg(BPF_AND, BW_R7, BW_R0));
	}
	if (m->neg)
		bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R7, 1));
	return BW_R7;
}

/* --------------------------------------------- branchy form (wide ranges) */

/* if (reg OP v) goto l; 8-byte constants go through r8. */
static void cmp_jump(struct bw_emit *e, uint8_t op, uint8_t reg,
		     const struct chunk *c, uint64_t v, bw_label l)
{
	if (c->size == 8) {
		bw_emit_ld_imm64(e, BW_R8, v);
		bw_emit_jcc(e, bw_jmp_reg(op, reg, BW_R8, 0), l);
	} else {
		bw_emit_jcc(e, bw_jmp32_imm(op, reg, (int32_t)(uint32_t)v, 0), l);
	}
}

/* Register holding chunk i & m (r0 when a mask applies). */
static uint8_t masked(struct bw_emit *e, const struct mview *mv, int i,
		      uint64_t m)
{
	uint8_t reg = (uint8_t)(BW_R1 + i);

	if ((m & cfull(mv, &mv->c[i])) == cfull(mv, &mv->c[i]))
		return reg;
	bw_emit(e, bw_mov64_reg(BW_R0, reg));
	alu_const(e, BPF_AND, BW_R0, mv->c[i].size, m);
	return BW_R0;
}

/* Falls through when el holds, jumps to fail otherwise. */
static void elem_test(struct bw_emit *e, const struct mview *mv,
		      const struct bw_ir_elem *el, bw_label fail)
{
	if (elem_never(mv->f, el)) {
		bw_emit_ja(e, fail);
		return;
	}
	/* chunks most significant first: lexicographic compares */
	for (int pass = 0; pass < 2; pass++) {
		const uint8_t *bound = pass ? el->hi : el->lo;
		uint8_t out = pass ? BPF_JGT : BPF_JLT;	/* outside the range */
		uint8_t in = pass ? BPF_JLT : BPF_JGT;	/* strictly inside */
		bw_label ok = bw_emit_label(e);

		for (int i = 0; i < mv->n; i++) {
			const struct chunk *c = &mv->c[i];
			uint64_t b = cval(mv, c, bound);
			uint8_t r = masked(e, mv, i, cval(mv, c, el->mask));

			if (i < mv->n - 1)
				cmp_jump(e, in, r, c, b, ok);
			cmp_jump(e, out, r, c, b, fail);
		}
		bw_emit_place(e, ok);
	}
}

static void match_branchy(struct bw_emit *e, const struct mview *mv,
			  const struct bw_ir_match *m, bw_label miss)
{
	if (!m->neg) {
		bw_label hit = bw_emit_label(e);

		for (uint32_t i = 0; i < m->nelem; i++) {
			bool last = i == m->nelem - 1;
			bw_label fail = last ? miss : bw_emit_label(e);

			elem_test(e, mv, &m->elem[i], fail);
			if (!last) {
				bw_emit_ja(e, hit);
				bw_emit_place(e, fail);
			}
		}
		bw_emit_place(e, hit);
		return;
	}
	for (uint32_t i = 0; i < m->nelem; i++) {
		bw_label next = bw_emit_label(e);

		elem_test(e, mv, &m->elem[i], next);
		bw_emit_ja(e, miss);
		bw_emit_place(e, next);
	}
}

/* ---------------------------------------------------------------- entry */

void bw_acc_add(struct bw_emit *e, struct bw_acc *acc, uint8_t reg)
{
	if (!acc->any) {
		acc->reg = reg;		/* moved to r9 only if more follows */
		acc->any = true;
		return;
	}
	bw_acc_settle(e, acc);
	bw_emit(e, bw_alu64_reg(BPF_OR, BW_R9, reg));
}

void bw_acc_settle(struct bw_emit *e, struct bw_acc *acc)
{
	if (acc->any && acc->reg != BW_R9) {
		bw_emit(e, bw_mov64_reg(BW_R9, acc->reg));
		acc->reg = BW_R9;
	}
}

int bw_match_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		  struct bw_diags *d, const struct bw_ir_match *m,
		  bw_label miss, struct bw_acc *acc)
{
	struct mview mv = { .f = bw_field(m->field) };
	const struct bw_field *f = mv.f;
	bool wide_range = false;

	if (!bw_hook_sees(ops->fields, m->field)) {
		if (d)
			bw_error(d, &m->loc, "%s %s is not available at the %s hook",
				 f->proto, f->name, ops->info.name);
		return -EINVAL;
	}
	mv.n = chunks_of(f, mv.c);
	if (mv.n < 0 || f->size > BW_VAL_MAX || (!f->big_endian && mv.n != 1)) {
		if (d)
			bw_error(d, &m->loc, "%s %s: field layout not supported by codegen",
				 f->proto, f->name);
		return -ENOTSUP;
	}
	/* a bit field is a number: loaded, in host order, shifted, masked */
	mv.numeric = !f->big_endian || f->shift || f->bits;
	for (uint32_t i = 0; i < m->nelem; i++)
		if (!elem_is_eq(f, &m->elem[i]) && !elem_never(f, &m->elem[i])) {
			mv.numeric = true;
			wide_range |= mv.n > 1;
		}
	bw_acc_settle(e, acc);
	if (f->tun_layer) {
		/* inside a tunnel: the walk leaves the value in the view */
		bw_tunnel_walk_emit(e, ops, m);
		bw_acc_add(e, acc, BW_R8);
		bw_acc_settle(e, acc);
	} else if (f->walk) {
		/* sctp chunk: the walk leaves the value in the view; a raw
		 * payload's read leaves it at BW_STK_RAW */
		if (f->raw)
			bw_raw_emit(e, ops, m);
		else
			bw_sctp_walk_emit(e, ops, m);
		if (m->chunk.size || f->raw)
			bw_acc_add(e, acc, BW_R8);
		bw_acc_settle(e, acc);
	}
	if (!m->nelem) {
		/* empty set: never holds; != empty set: always */
		if (!m->neg) {
			bw_emit(e, bw_mov64_imm(BW_R0, 1));
			bw_acc_add(e, acc, BW_R0);
		}
		return 0;
	}
	for (int i = 0; i < mv.n; i++) {
		const struct chunk *c = &mv.c[i];
		uint8_t r = (uint8_t)(BW_R1 + i);

		bw_emit(e, bw_ldx(c->bpf_size, r, BW_R10,
				  (int16_t)((f->raw ? BW_STK_RAW :
					     -BW_VIEW_SIZE + f->view_off) + c->off)));
		if (mv.numeric && f->big_endian && c->size > 1)
			bw_emit(e, bw_be(r, 8 * c->size));
		if (f->shift)
			bw_emit(e, bw_alu32_imm(BPF_RSH, r, f->shift));
		if (f->bits)
			bw_emit(e, bw_alu32_imm(BPF_AND, r, (1 << f->bits) - 1));
	}
	if (wide_range) {
		match_branchy(e, &mv, m, miss);
		acc->branchy = true;
		return 0;
	}
	bw_acc_add(e, acc, match_branchless(e, &mv, m));
	return 0;
}

/*
 * Falls through when view field f (a lookup key's component) is in
 * [lo, hi] (f->size bytes, network order), else jumps to fail: the
 * field's chunks loaded as numbers into r1-r4, compared most
 * significant first.  Clobbers r0-r4 and r8.
 */
int bw_match_range_emit(struct bw_emit *e, const struct bw_field *f,
			const uint8_t *lo, const uint8_t *hi, bw_label fail)
{
	struct mview mv = { .f = f, .numeric = true };
	struct bw_ir_elem el;

	mv.n = chunks_of(f, mv.c);
	if (mv.n < 0 || f->size > BW_VAL_MAX || (!f->big_endian && mv.n != 1) ||
	    f->raw || f->tun_layer || f->walk)
		return -ENOTSUP;
	memset(&el, 0, sizeof(el));
	memcpy(el.lo, lo, f->size);
	memcpy(el.hi, hi, f->size);
	memset(el.mask, 0xff, f->size);
	for (int i = 0; i < mv.n; i++) {
		const struct chunk *c = &mv.c[i];
		uint8_t r = (uint8_t)(BW_R1 + i);

		bw_emit(e, bw_ldx(c->bpf_size, r, BW_R10,
				  (int16_t)(-BW_VIEW_SIZE + f->view_off + c->off)));
		if (f->big_endian && c->size > 1)
			bw_emit(e, bw_be(r, 8 * c->size));
		if (f->shift)
			bw_emit(e, bw_alu32_imm(BPF_RSH, r, f->shift));
		if (f->bits)
			bw_emit(e, bw_alu32_imm(BPF_AND, r, (1 << f->bits) - 1));
	}
	elem_test(e, &mv, &el, fail);
	return 0;
}
