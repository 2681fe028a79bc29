// SPDX-License-Identifier: GPL-2.0-only
/*
 * Map lookups: keys built on the stack (BW_STK_LKEY) from view fields, in
 * the layout of setmap.h, and the lookup of a set's tables.  Shared by set
 * matches, vmaps and the optimizer's lookup groups.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "hook.h"
#include "compiler/front/setmap.h"
#include "emit_settimeout.h"

/* Copy n raw view bytes at voff to the key at koff, in chunks aligned on
 * both sides (the verifier wants aligned stack access). */
static void copy_raw(struct bw_emit *e, int voff, int koff, unsigned n)
{
	static const struct { uint8_t size, bpf; } w[] = {
		{ 8, BPF_DW }, { 4, BPF_W }, { 2, BPF_H }, { 1, BPF_B },
	};

	for (unsigned k = 0; k < n;) {
		for (unsigned i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
			int src = voff + (int)k, dst = koff + (int)k;

			if (w[i].size > n - k || (src & (w[i].size - 1)) ||
			    (dst & (w[i].size - 1)))
				continue;
			bw_emit(e, bw_ldx(w[i].bpf, BW_R1, BW_R10, (int16_t)src));
			bw_emit(e, bw_stx(w[i].bpf, BW_R10, BW_R1, (int16_t)dst));
			k += w[i].size;
			break;
		}
	}
}

/* A numeric field (1, 2, 4 bytes: host order, or a big-endian bit
 * field), after its shift and bit mask, written big endian, byte by
 * byte: its low ks bytes (a set whose key type is narrower: ip6 dscp,
 * two bytes, in a set of type dscp). */
static void copy_numeric(struct bw_emit *e, const struct bw_field *f, int voff,
			 int koff, unsigned ks)
{
	unsigned n = f->size;

	bw_emit(e, bw_ldx(n == 1 ? BPF_B : n == 2 ? BPF_H : BPF_W, BW_R1,
			  BW_R10, (int16_t)voff));
	if (f->big_endian && n > 1)
		bw_emit(e, bw_be(BW_R1, 8 * (int)n));
	if (f->shift)
		bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R1, f->shift));
	if (f->bits)
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, (1 << f->bits) - 1));
	for (unsigned b = n - (ks < n ? ks : n); b < n; b++) {
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
		if (n - 1 - b)
			bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R2, 8 * (int)(n - 1 - b)));
		bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R2,
				  (int16_t)(koff + (int)b - (int)(n - (ks < n ? ks : n)))));
	}
}

void bw_key_copy(struct bw_emit *e, const struct bw_field *f, int voff, int koff)
{
	if (f->big_endian && !f->shift && !f->bits)
		copy_raw(e, voff, koff, f->size);
	else
		copy_numeric(e, f, voff, koff, f->size);
}

/* Constant bytes (an interface name) into the key, 4 at a time where
 * aligned. */
static void key_const(struct bw_emit *e, const uint8_t *b, unsigned n, int koff)
{
	for (unsigned k = 0; k < n;) {
		if (n - k >= 4 && !((koff + (int)k) & 3)) {
			uint32_t v;

			memcpy(&v, b + k, 4);
			if (v)
				bw_emit(e, bw_st(BPF_W, BW_R10, (int16_t)(koff + (int)k),
						 (int32_t)v));
			k += 4;
		} else {
			if (b[k])
				bw_emit(e, bw_st(BPF_B, BW_R10, (int16_t)(koff + (int)k),
						 b[k]));
			k++;
		}
	}
}

/*
 * Key component k of m that a read of its own fills (a raw payload: at
 * BW_STK_RAW; a field inside a tunnel: at its row's view_off), copied to
 * koff; a packet without it jumps to broken (the rule does not match,
 * whatever its operator, as nf_tables' expression breaks the rule).
 * Returns false for a component read from the view as it is.
 */
static bool key_read(struct bw_emit *e, const struct bw_ir_match *m,
		     uint32_t k, const struct bw_hook_ops *ops, int koff,
		     bw_label broken)
{
	const struct bw_field *f = bw_field(m->fields[k]);
	struct bw_ir_match one = { .field = m->fields[k], .loc = m->loc };

	if (m->kraw[k].len && f->raw) {
		one.raw.base = m->kraw[k].base;
		one.raw.off = m->kraw[k].off;
		one.raw.len = m->kraw[k].len;
		bw_raw_emit(e, ops, &one);
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R8, 0, 0), broken);
		bw_key_copy(e, f, BW_STK_RAW, koff);
		return true;
	}
	if (m->ktunnel[k] && f->tun_layer) {
		one.tunnel = m->ktunnel[k];
		bw_tunnel_walk_emit(e, ops, &one);
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R8, 0, 0), broken);
		bw_key_copy(e, f, -BW_VIEW_SIZE + f->view_off, koff);
		return true;
	}
	return false;
}

/* Build the key of table t from the match's fields. */
static void build_key(struct bw_emit *e, const struct bw_set_table *t,
		      const struct bw_ir_set *s, const struct bw_ir_match *m,
		      const struct bw_hook_ops *ops, const char *ifname,
		      bw_label broken)
{
	for (uint32_t k = 0; k < (t->key_size + 7) / 8; k++)
		bw_emit(e, bw_st(BPF_DW, BW_R10, (int16_t)(BW_STK_LKEY + 8 * (int)k), 0));
	if (t->lpm)	/* the whole key: the trie finds the longest prefix */
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_LKEY,
				 (int32_t)(8 * (t->key_size - 4))));
	for (uint32_t k = 0; k < m->nfield; k++) {
		const struct bw_field *f = bw_field(m->fields[k]);
		int koff = BW_STK_LKEY + (int)t->off[k];

		if (key_read(e, m, k, ops, koff, broken))
			continue;
		if (f->src != BW_FS_VIEW && !ops->iface_view) {
			uint8_t name[16] = { 0 };

			/* emit_guards made sure this hook has the interface */
			if (ifname)
				strncpy((char *)name, ifname, 15);
			key_const(e, name, f->size, koff);
			continue;
		}
		if (k < s->nkey && bw_field(s->key[k])->size < f->size)
			copy_numeric(e, f, -BW_VIEW_SIZE + f->view_off, koff,
				     bw_field(s->key[k])->size);
		else
			bw_key_copy(e, f, -BW_VIEW_SIZE + f->view_off, koff);
	}
}

/*
 * Does the interface-name component k of element x hold for the
 * program's device (a hook whose view has no name: codegen decides, as
 * build_key writes the name)?
 */
static bool iface_holds(const struct bw_ir_set *s, uint32_t k,
			const struct bw_ir_setelem *x, const char *ifname)
{
	uint32_t off = bw_ir_set_keyoff(s, k), n = bw_field(s->key[k])->size;
	uint8_t name[16] = { 0 };

	if (ifname)
		strncpy((char *)name, ifname, 15);
	return memcmp(name, x->lo + off, n) >= 0 &&
	       memcmp(name, x->hi + off, n) <= 0;
}

/*
 * The elements of s no table holds (a prefix or range in two or more
 * components, setmap.h BW_SET_ELEM_SCAN), tested one after the other
 * with the key's fields read from the view: the first that holds jumps
 * to found, in a map with r0 = its value (struct bw_set_value, written
 * at BW_STK_LKEY: the stack, where a table's lookup gives map memory);
 * none: absent.  Clobbers r0-r4, r8.
 */
static void scan_emit(struct bw_emit *e, const struct bw_ir_set *s,
		      const struct bw_ir_match *m,
		      const struct bw_hook_ops *ops, const char *ifname,
		      bw_label found, bw_label absent)
{
	for (uint32_t i = 0; i < s->nelem; i++) {
		const struct bw_ir_setelem *x = &s->elem[i];
		bw_label next = bw_emit_label(e);
		bool never = false;

		if (!bw_set_elem_scan(s, x))
			continue;
		for (uint32_t k = 0; k < m->nfield; k++)
			if (bw_field(m->fields[k])->src != BW_FS_VIEW &&
			    !ops->iface_view)
				never |= !iface_holds(s, k, x, ifname);
		if (never)	/* not for this program's device */
			continue;
		for (uint32_t k = 0; k < m->nfield; k++) {
			const struct bw_field *f = bw_field(m->fields[k]);
			uint32_t off = bw_ir_set_keyoff(s, k);

			if (f->src != BW_FS_VIEW && !ops->iface_view)
				continue;
			if (bw_match_range_emit(e, f, x->lo + off, x->hi + off,
						next)) {
				bw_emit_fail(e, -ENOTSUP);
				return;
			}
		}
		if (!s->map) {	/* a set match reads no value */
			bw_emit_ja(e, found);
			bw_emit_place(e, next);
			continue;
		}
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_LKEY + (int16_t)offsetof(
			struct bw_set_value, verdict), (int32_t)x->verdict));
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_LKEY + (int16_t)offsetof(
			struct bw_set_value, target), (int32_t)x->target));
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_LKEY + (int16_t)offsetof(
			struct bw_set_value, flags), 0));
		bw_emit(e, bw_mov64_reg(BW_R0, BW_R10));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R0, BW_STK_LKEY));
		bw_emit_ja(e, found);
		bw_emit_place(e, next);
	}
	bw_emit_ja(e, absent);
}

void bw_lookup_emit(struct bw_emit *e, const struct bw_ir *ir,
		    const struct bw_ir_match *m, const struct bw_hook_ops *ops,
		    const char *ifname, bw_label absent, bw_label broken)
{
	const struct bw_ir_set *s = &ir->set[m->set];
	uint32_t base = bw_set_table_base(ir, m->set);
	bw_label found = bw_emit_label(e);
	struct bw_set_layout l;
	bool scan = false;

	if (bw_set_layout(s, &l)) {	/* evaluate checked it */
		bw_emit_fail(e, -EINVAL);
		return;
	}
	for (uint32_t i = 0; i < s->nelem && !scan; i++)
		scan = bw_set_elem_scan(s, &s->elem[i]);
	for (uint32_t t = 0; t < l.ntable; t++) {
		build_key(e, &l.table[t], s, m, ops, ifname, broken);
		bw_emit_ld_map(e, BW_R1, BW_MAP_SET_BASE + base + t);
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_LKEY));
		bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
		if (s->timeout) {	/* an expired element: absent here */
			bw_label next = t + 1 < l.ntable || scan ?
					bw_emit_label(e) : absent;

			bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), next);
			bw_set_expiry_emit(e, next);
			bw_emit_ja(e, found);
			if (next != absent)
				bw_emit_place(e, next);
		} else if (t + 1 < l.ntable || scan) {
			bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), found);
		} else {
			bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), absent);
		}
	}
	if (scan)
		scan_emit(e, s, m, ops, ifname, found, absent);
	bw_emit_place(e, found);
}

/*
 * A set statement (add, update, delete @s { KEY }): the key built as a
 * lookup of the set's one hash table builds it, then the map changed.
 * add: BPF_NOEXIST, an element already there is no failure (nft adds
 * nothing then); update: BPF_ANY.  Either fails only when the set is
 * full (size elements): the rule stops there (jump to full), as nft's
 * dynset breaks.  delete never stops the rule.  In a set with timeouts
 * (emit_settimeout.h) the value holds the element's expiry: update
 * writes it anew (BPF_ANY), add looks first and writes (BPF_ANY) only
 * when the element is absent or expired.  Clobbers r0-r5.
 */
void bw_dynset_emit(struct bw_emit *e, const struct bw_ir *ir,
		    const struct bw_ir_dynset *d, const struct bw_hook_ops *ops,
		    const char *ifname, bw_label full)
{
	uint32_t base = bw_set_table_base(ir, d->key.set);
	bw_label done = bw_emit_label(e);
	struct bw_set_layout l;

	if (bw_set_layout(&ir->set[d->key.set], &l) || l.ntable != 1 ||
	    l.table[0].lpm) {	/* evaluate refused interval sets */
		bw_emit_fail(e, -EINVAL);
		return;
	}
	build_key(e, &l.table[0], &ir->set[d->key.set], &d->key, ops, ifname, full);
	if (d->op == BW_DYNSET_DELETE) {
		bw_emit_ld_map(e, BW_R1, BW_MAP_SET_BASE + base);
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_LKEY));
		bw_emit(e, bw_call(BW_HELPER_MAP_DELETE));
		return;
	}
	if (ir->set[d->key.set].timeout && d->op == BW_DYNSET_ADD) {
		/* an element there and alive stays as it is; an expired one
		 * is added again (update below) */
		bw_emit_ld_map(e, BW_R1, BW_MAP_SET_BASE + base);
		bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_LKEY));
		bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
		bw_label add = bw_emit_label(e);

		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), add);
		bw_set_expiry_emit(e, add);
		bw_emit_ja(e, done);
		bw_emit_place(e, add);
	}
	/* the value, struct bw_set_value { 0, 0, 0, 0, expires }, past the
	 * dynptr the netfilter hooks keep in the scratch area */
	bw_emit(e, bw_st(BPF_DW, BW_R10, BW_STK_SCRATCH + 16, 0));
	bw_emit(e, bw_st(BPF_DW, BW_R10, BW_STK_SCRATCH + 24, 0));
	if (d->timeout_ms != ir->set[d->key.set].timeout_ms)	/* listed */
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_SCRATCH + 16 + (int16_t)offsetof(
			struct bw_set_value, timeout_ms), (int32_t)d->timeout_ms));
	bw_set_expires_emit(e, BW_STK_SCRATCH + 32, d->timeout_ms);
	bw_emit_ld_map(e, BW_R1, BW_MAP_SET_BASE + base);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_LKEY));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, BW_STK_SCRATCH + 16));
	bw_emit(e, bw_mov64_imm(BW_R4, d->op == BW_DYNSET_ADD &&
				!ir->set[d->key.set].timeout ? BPF_NOEXIST :
				BPF_ANY));
	bw_emit(e, bw_call(BW_HELPER_MAP_UPDATE));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), done);
	if (d->op == BW_DYNSET_ADD)
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, -EEXIST, 0), done);
	bw_emit_ja(e, full);
	bw_emit_place(e, done);
}

void bw_vmap_lookup_emit(struct bw_emit *e, const struct bw_ir *ir,
			 const struct bw_ir_match *m, const struct bw_hook_ops *ops,
			 const char *ifname, bw_label absent)
{
	const struct bw_ir_set *s = &ir->set[m->set];
	bw_label none = s->has_catchall ? bw_emit_label(e) : absent, found;

	bw_lookup_emit(e, ir, m, ops, ifname, none, absent);
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R0, offsetof(struct bw_set_value, verdict)));
	bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R0, offsetof(struct bw_set_value, target)));
	if (!s->has_catchall)
		return;
	found = bw_emit_label(e);
	bw_emit_ja(e, found);
	bw_emit_place(e, none);
	bw_emit(e, bw_mov64_imm(BW_R1, (int32_t)s->catchall.verdict));
	bw_emit(e, bw_mov64_imm(BW_R2, (int32_t)s->catchall.target));
	bw_emit_place(e, found);
}
