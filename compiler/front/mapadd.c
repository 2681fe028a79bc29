// SPDX-License-Identifier: GPL-2.0-only
/*
 * Rules that change a named map of data (mapadd.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mapadd.h"
#include "mapcat.h"
#include "nfnetdev.h"

/* A field's values are the map's value type (ip6 dscp and dscp are, as
 * for a map's key). */
static bool same_values(enum bw_field_id a, enum bw_field_id b)
{
	const struct bw_field *x = bw_field(a), *y = bw_field(b);

	return x->type == y->type &&
	       (x->bits || y->bits ? x->bits == y->bits : x->size == y->size);
}

static int value_field(struct bw_eval *ev, const struct bw_ast_expr *e,
		       const struct bw_ir_set *set, struct bw_ir_dynset *d)
{
	const struct bw_ast_fref *fr = e->fref;
	struct bw_ast_stmt tmp = { .kind = BW_AS_MATCH };
	const struct bw_field *f;

	if (fr->next)
		return bw_eval_error(ev, &e->loc, "a concatenation of fields as the value a rule adds to a map is not supported yet");
	tmp.proto = fr->proto;
	tmp.field = fr->field;
	tmp.proto_loc = fr->proto_loc;
	tmp.field_loc = fr->field_loc;
	tmp.proto_implicit = fr->implicit;
	f = bw_eval_field(ev, &tmp);
	if (!f)
		return -EINVAL;
	if (!same_values(f->id, set->data))
		return bw_eval_error(ev, &e->loc, "datatype mismatch: map %s holds values of type %s, %s %s is not one",
				     set->name, bw_field(set->data)->name,
				     f->proto, f->name);
	if ((strcmp(f->proto, "meta") && strcmp(f->proto, "ct")) ||
	    f->need_l3 || f->need_l4proto || f->need_flags || f->need_ext ||
	    f->need_ethertype)
		return bw_eval_error(ev, &e->loc, "the value a rule adds to a map is a constant or a meta or ct field read without a protocol dependency here (%s %s is not supported yet)",
				     f->proto, f->name);
	d->data = BW_DYNSET_DATA_FIELD;
	d->dfield = f->id;
	return 0;
}

int bw_mapadd_eval(struct bw_eval *ev, const struct bw_ast_stmt *s,
		   const struct bw_ir_set *set, struct bw_ir_dynset *d,
		   const struct bw_sym *scope)
{
	const struct bw_ast_expr *e = s->dyn_data, *orig = e;
	const struct bw_field *f = bw_field(set->data);
	uint8_t lo[BW_VAL_MAX] = { 0 }, hi[BW_VAL_MAX] = { 0 };
	int rc;

	if (d->op == BW_DYNSET_DELETE) {
		return bw_eval_error(ev, &s->dyn_op_loc, "delete @%s: @%s is a map, and nf_tables takes no delete from a map in a rule (the kernel refuses it)",
				     set->name, set->name);
	} else if (!e) {
		return bw_eval_error(ev, &s->loc, "@%s is a map: %s needs a value (%s @%s { KEY : VALUE })",
				     set->name, s->dyn_op, s->dyn_op, set->name);
	} else {
		d->dloc = e->loc;
		e = bw_sym_resolve(e, &scope);
		if (!e)
			return bw_eval_error(ev, &orig->loc, "unknown identifier '%s'",
					     orig->text);
		if (set->ndata > 1) {	/* a concatenation (mapcat.h) */
			rc = bw_mapcat_value(ev, set, orig, scope, d->dval);
			if (!rc)
				d->data = BW_DYNSET_DATA_CONST;
		} else if (e->kind == BW_AE_FIELD) {
			rc = value_field(ev, e, set, d);
		} else if (e->kind == BW_AE_CONCAT) {
			rc = bw_eval_error(ev, &e->loc, "map %s holds values of one type (%s), not a concatenation",
					   set->name, bw_field(set->data)->name);
		} else if (e->kind == BW_AE_BINOP || e->kind == BW_AE_MAP ||
			   e->kind == BW_AE_GEN || e->kind == BW_AE_LIST ||
			   e->kind == BW_AE_SET) {
			rc = bw_eval_error(ev, &e->loc, "the value a rule adds to a map is a constant or a field (an expression is not supported yet)");
		} else if (bw_eval_range(ev, f, e, scope, lo, hi)) {
			rc = -EINVAL;
		} else if (memcmp(lo, hi, f->size)) {
			rc = bw_eval_error(ev, &e->loc, "a range or a prefix as a map's value is not supported");
		} else {
			d->data = BW_DYNSET_DATA_CONST;
			memcpy(d->dval, lo, f->size);
			rc = 0;
		}
		if (rc)
			return rc;
	}
	bw_nfnetdev_mark(ev, &s->loc);
	return 0;
}

bool bw_mapadd_changed(const struct bw_ir *ir, uint32_t si)
{
	for (uint32_t i = 0; i < ir->ndynset; i++)
		if (ir->dynset[i].key.set == si && ir->dynset[i].data)
			return true;
	return false;
}

bool bw_mapadd_rule(const struct bw_ir *ir, const struct bw_ir_rule *r)
{
	for (uint32_t i = 0; i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_DYNSET &&
		    r->stmt[i].index < ir->ndynset &&
		    ir->dynset[r->stmt[i].index].data)
			return true;
	return false;
}

struct walk {
	const struct bw_ir *ir;
	struct bw_diags *d;
	bool *seen;
	int err;
};

static void walk_chain(struct walk *w, uint32_t c);

static void walk_edge(void *arg, uint32_t t, bool jump)
{
	(void)jump;
	walk_chain(arg, t);
}

static void check_match(struct walk *w, const struct bw_ir_match *m)
{
	const struct bw_ir_set *s;

	if (!m->lookup || m->set >= w->ir->nset ||
	    !bw_mapadd_changed(w->ir, m->set))
		return;
	s = &w->ir->set[m->set];
	bw_error(w->d, &m->loc, "map %s gets elements from rules (add, update @%s) in nf_tables, and this chain runs in BPF, which would not see them: not supported (look it up from a chain nf_tables runs)",
		 s->name, s->name);
	w->err = -EINVAL;
}

static void walk_chain(struct walk *w, uint32_t c)
{
	const struct bw_ir_chain *ch;

	if (c >= w->ir->nchain || w->seen[c])
		return;
	w->seen[c] = true;
	ch = &w->ir->chain[c];
	for (uint32_t r = 0; r < ch->nrule; r++) {
		const struct bw_ir_rule *ru = &ch->rule[r];

		for (uint32_t m = 0; m < ru->nmatch; m++)
			check_match(w, &ru->match[m]);
		for (uint32_t k = 0; k < ru->ndkey; k++)
			check_match(w, &ru->dkey[k]);
		bw_ir_rule_targets(w->ir, ru, walk_edge, w);
	}
}

int bw_mapadd_check_bpf(const struct bw_ir *ir, const bool *in_nft,
			struct bw_diags *d)
{
	struct walk w = { .ir = ir, .d = d };
	bool any = false;

	for (uint32_t i = 0; i < ir->ndynset && !any; i++)
		any = ir->dynset[i].data != BW_DYNSET_DATA_NONE;
	if (!any)
		return 0;
	w.seen = calloc(ir->nchain ? ir->nchain : 1, sizeof(*w.seen));
	if (!w.seen)
		return -ENOMEM;
	for (uint32_t c = 0; c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];

		if (ch->hook == BW_CHAIN_NONE || (in_nft && in_nft[c]) ||
		    ch->nft || bw_family_nft_only(ch->family))
			continue;
		walk_chain(&w, c);
	}
	free(w.seen);
	return w.err;
}

void bw_mapadd_print_value(struct bw_pbuf *b, const struct bw_ir *ir, int k)
{
	const struct bw_ir_dynset *d;
	const struct bw_field *f;

	if (!ir || k < 0 || (uint32_t)k >= ir->ndynset)
		return;
	d = &ir->dynset[k];
	if (d->data == BW_DYNSET_DATA_FIELD) {
		f = bw_field(d->dfield);
		bw_pbuf_printf(b, " : %s %s", f->proto, f->name);
	} else if (d->data == BW_DYNSET_DATA_CONST &&
		   d->key.set < ir->nset && ir->set[d->key.set].ndata > 1) {
		bw_pbuf_put(b, " : ");
		bw_mapcat_print(b, &ir->set[d->key.set], d->dval);
	} else if (d->data == BW_DYNSET_DATA_CONST &&
		   d->key.set < ir->nset) {
		bw_pbuf_put(b, " : ");
		bw_print_value(b, bw_field(ir->set[d->key.set].data), d->dval);
	}
}
