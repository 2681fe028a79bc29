// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's merge of adjacent payload matches, as its listing shows it
 * (print_order.h).  The rule nft follows (its rule postprocessing): in a
 * run of match statements (any other statement ends the run), the
 * payload matches that compare with one value (== or no operator, no
 * mask, no set) are sorted by header and offset; each that starts where
 * the one before it ends, in the same header, both on byte boundaries,
 * joins it while the joined load fits a register (16 bytes) and either
 * stays within 4 bytes, is in the link-layer header, or has a part
 * longer than 4 bytes.  The joined load takes the place of the first
 * statement, or of the protocol field's (ether type, vlan type, ip
 * protocol, ip6 nexthdr) when that one joins later.  Its dependencies
 * nft adds itself join as well: ether type 8021q before a bare vlan
 * field, ether type ip(6) before an IP field of an inet rule that
 * (or netdev rule) that tested meta iiftype ether, and before an ICMP
 * field of a bridge rule.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "print_order.h"
#include "view.h"

enum { B_LL = 1, B_NH, B_TH };

struct item {
	const struct bw_ast_stmt *s;	/* NULL: an implicit dependency */
	bool pay;			/* a payload match nft may merge */
	bool proto;			/* its header's protocol field */
	uint8_t base;			/* B_* */
	uint32_t off, len;		/* bits */
	uint32_t lead;			/* the item whose place the merged
					 * load took (itself when none) */
	bool gone;			/* merged into another's place */
};

struct order {
	struct item *it;
	uint32_t n;
	const struct bw_ast_stmt **out;
	uint32_t nout;
	bool l2, l3, ether;		/* ether type, the network layer,
					 * meta iiftype ether: known */
};

/* The header, bit offset and bit length of field f, as nft loads it;
 * false when nft's listing knows no such payload. */
static bool where(const struct bw_field *f, struct item *it)
{
	uint32_t v = f->view_off, bits = f->bits ? f->bits : f->size * 8u;
	uint32_t start;

	if (f->src != BW_FS_VIEW || f->walk || f->raw || f->tun_layer ||
	    f->exthdrs || f->tcpopt)
		return false;
	if (f->id == BW_F_VLAN_TYPE) {
		it->base = B_LL;
		it->off = 16 * 8;
		it->len = 16;
		it->proto = true;
		return true;
	}
	if (f->id >= BW_F_VLAN_ID && f->id <= BW_F_VLAN_DEI) {
		/* the TCI at link-layer offset 14: never on a byte boundary */
		it->base = B_LL;
		it->off = 14 * 8 + 16 - f->shift - bits;
		it->len = bits;
		return true;
	}
	if (v >= offsetof(struct bw_view, eth) &&
	    v < offsetof(struct bw_view, eth) + 14 && !strcmp(f->proto, "ether")) {
		it->base = B_LL;
		start = offsetof(struct bw_view, eth);
	} else if (v >= offsetof(struct bw_view, l3h) &&
		   v < offsetof(struct bw_view, l3h) + 40 &&
		   (f->need_l3 || f->need_ethertype) && !f->need_l4proto) {
		it->base = B_NH;
		start = offsetof(struct bw_view, l3h);
	} else if (v >= offsetof(struct bw_view, l4h) &&
		   v < offsetof(struct bw_view, l4h) + 20 && f->need_l4proto) {
		it->base = B_TH;
		start = offsetof(struct bw_view, l4h);
	} else {
		return false;
	}
	it->off = (v - start) * 8 + f->size * 8u - f->shift - bits;
	it->len = bits;
	it->proto = f->id == BW_F_ETHER_TYPE || f->id == BW_F_IP_PROTOCOL ||
		    f->id == BW_F_IP6_NEXTHDR;
	return true;
}

/* The one value s compares with (== or none), else NULL. */
static const struct bw_ast_expr *one_value(const struct bw_ast_stmt *s,
					   const struct bw_sym *scope)
{
	const struct bw_ast_expr *r;

	if (s->kind != BW_AS_MATCH || s->cat || s->vmap || s->mask ||
	    (s->op != BW_OP_IMPLICIT && s->op != BW_OP_EQ))
		return NULL;
	r = bw_sym_resolve(s->rhs, &scope);
	if (!r || (r->kind != BW_AE_NUMBER && r->kind != BW_AE_SYMBOL &&
		   r->kind != BW_AE_ADDR))
		return NULL;
	return r;
}

static void push(struct order *o, const struct bw_ast_stmt *s,
		 const struct item *tmpl)
{
	struct item *it = &o->it[o->n];

	*it = *tmpl;
	it->s = s;
	it->lead = o->n++;
}

/* nft's implicit ether type (of a vlan field, an IP field after meta
 * iiftype ether in inet, an ICMP field in bridge) */
static void dep_ether_type(struct order *o)
{
	const struct item t = { .pay = true, .proto = true, .base = B_LL,
				.off = 12 * 8, .len = 16 };

	push(o, NULL, &t);
}

static void add_match(struct order *o, const struct bw_ast_stmt *s,
		      const struct bw_sym *scope, enum bw_family fam)
{
	const struct bw_field *f = bw_field_find(s->proto, s->field);
	const struct bw_ast_expr *r = one_value(s, scope);
	struct item t = { 0 };
	uint32_t v;

	if (!f) {
		push(o, s, &t);
		return;
	}
	if ((f->need_flags & BW_VIEW_VLAN) && !f->tun_layer && !o->l2) {
		dep_ether_type(o);
		o->l2 = true;
	}
	if (f->need_l3 && !o->l3 && !f->tun_layer &&
	    ((fam == BW_FAMILY_INET && o->ether && !f->need_l4proto) ||
	     (fam == BW_FAMILY_NETDEV && o->ether && !f->need_l4proto) ||
	     (fam == BW_FAMILY_BRIDGE && f->need_l4proto)))
		dep_ether_type(o);
	if (f->need_l3 && !f->tun_layer)
		o->l3 = true;
	if (f->id == BW_F_ETHER_TYPE && r) {
		o->l2 = true;
		if (!bw_value_num(f, r->text, &v) && (v == 0x0800 || v == 0x86dd))
			o->l3 = true;
	}
	if ((f->id == BW_F_META_NFPROTO || f->id == BW_F_META_PROTOCOL) && r)
		o->l3 = true;
	if (f->id == BW_F_META_IIFTYPE && r && !bw_value_num(f, r->text, &v) &&
	    v == 1)
		o->ether = true;
	t.pay = r && where(f, &t) &&
		/* tcp flags syn is a test of bits, not ==, in nft */
		!(f->type == BW_T_TCP_FLAG && s->op == BW_OP_IMPLICIT);
	push(o, s, &t);
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = *(struct item * const *)a;
	const struct item *y = *(struct item * const *)b;

	if (x->base != y->base)
		return x->base - y->base;
	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x < y ? -1 : x > y;	/* stable: the rule's order */
}

static bool can_merge(uint8_t base, uint32_t off, uint32_t len,
		      const struct item *e)
{
	uint32_t total = len + e->len;

	if (base != e->base || off + len != e->off || off % 8 || len % 8 ||
	    e->off % 8 || e->len % 8 || total > 128)
		return false;
	return total <= 32 || base == B_LL || len > 32 || e->len > 32;
}

/* Merge the payload items of it[from..o->n), as nft does: each group's
 * items lead to the one that keeps the joined load (gone: the others). */
static void merge_run(struct order *o, uint32_t from)
{
	struct item **sa = malloc((o->n - from + 1) * sizeof(*sa));
	uint32_t n = 0, hold, off, len, idx;
	uint8_t base;

	if (!sa)
		return;
	for (uint32_t i = from; i < o->n; i++)
		if (o->it[i].pay)
			sa[n++] = &o->it[i];
	if (n < 2) {
		free(sa);
		return;
	}
	qsort(sa, n, sizeof(*sa), cmp_item);
	hold = (uint32_t)(sa[0] - o->it);
	base = sa[0]->base;
	off = sa[0]->off;
	len = sa[0]->len;
	for (uint32_t i = 1; i < n; i++) {
		idx = (uint32_t)(sa[i] - o->it);
		if (!can_merge(base, off, len, sa[i])) {
			hold = idx;
			base = sa[i]->base;
			off = sa[i]->off;
			len = sa[i]->len;
			continue;
		}
		if (sa[i]->proto) {
			/* the protocol field's statement keeps the load */
			for (uint32_t k = from; k < o->n; k++)
				if (o->it[k].lead == hold) {
					o->it[k].lead = idx;
					o->it[k].gone = true;
				}
			hold = idx;
		} else {
			sa[i]->lead = hold;
			sa[i]->gone = true;
		}
		len += sa[i]->len;
	}
	free(sa);
}

/* Out: the items of it[from..o->n) in listing order, merged loads split
 * in offset order at their place; then start a new run. */
static void flush(struct order *o, uint32_t from)
{
	merge_run(o, from);
	for (uint32_t i = from; i < o->n; i++) {
		const struct item *it = &o->it[i];
		struct item *grp[64];
		uint32_t ng = 0;

		if (it->gone)
			continue;
		for (uint32_t k = from; k < o->n && ng < 64; k++)
			if (o->it[k].lead == i)
				grp[ng++] = &o->it[k];
		if (ng > 1)
			qsort(grp, ng, sizeof(*grp), cmp_item);
		for (uint32_t k = 0; k < ng; k++)
			if (grp[k]->s)
				o->out[o->nout++] = grp[k]->s;
	}
}

const struct bw_ast_stmt **bw_print_order(const struct bw_ast_item *rule,
					  const struct bw_sym *scope,
					  enum bw_family fam)
{
	struct order o = { 0 };
	uint32_t n = 0, from = 0;

	for (const struct bw_ast_stmt *s = rule->stmts; s; s = s->next)
		n++;
	/* each statement, and at most two implicit dependencies */
	o.it = calloc(3 * (size_t)n + 1, sizeof(*o.it));
	o.out = calloc((size_t)n + 1, sizeof(*o.out));
	if (!o.it || !o.out) {
		free(o.it);
		free(o.out);
		return NULL;
	}
	for (const struct bw_ast_stmt *s = rule->stmts; s; s = s->next) {
		if (s->kind == BW_AS_MATCH && !s->vmap) {
			add_match(&o, s, scope, fam);
			continue;
		}
		flush(&o, from);
		o.out[o.nout++] = s;
		from = o.n;
	}
	flush(&o, from);
	free(o.it);
	o.out[o.nout] = NULL;
	return o.out;
}
