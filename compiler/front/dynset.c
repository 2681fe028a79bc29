// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set statements (dynset.h): add, update, delete @SET { KEY } checked as
 * nft checks them; the key is evaluated as the lookup `KEY @SET` would be
 * (the same fields, dependencies and type checks).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dynset.h"
#include "mapadd.h"
#include "settimeout.h"

static const char *const op_names[] = {
	[BW_DYNSET_ADD] = "add",
	[BW_DYNSET_UPDATE] = "update",
	[BW_DYNSET_DELETE] = "delete",
};

const char *bw_dynset_op_name(uint8_t op)
{
	return op < sizeof(op_names) / sizeof(op_names[0]) ? op_names[op] : "?";
}

int bw_dynset_op_of(const char *name)
{
	for (size_t i = 0; i < sizeof(op_names) / sizeof(op_names[0]); i++)
		if (!strcmp(name, op_names[i]))
			return (int)i;
	return -EINVAL;
}

void bw_dynset_mark(struct bw_ir_set *s)
{
	if (s->ndata) {	/* a map of data: nf_tables' (mapadd.h) */
		s->mapadd = true;
		return;
	}
	s->dynamic = true;
	if (!s->size)
		s->size = BW_DYNSET_DEFAULT_SIZE;
}

bool bw_dynset_names(const struct bw_ast_item *table, const char *name)
{
	for (const struct bw_ast_item *c = table->items; c; c = c->next) {
		if (c->kind != BW_AI_CHAIN)
			continue;
		for (const struct bw_ast_item *r = c->items; r; r = r->next) {
			if (r->kind != BW_AI_RULE)
				continue;
			for (const struct bw_ast_stmt *s = r->stmts; s; s = s->next)
				if (s->kind == BW_AS_DYNSET &&
				    !strcmp(s->dyn_set, name))
					return true;
		}
	}
	return false;
}

/* Where the set lives: in BPF, so not in what nf_tables runs. */
static int placed(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  const struct bw_ir_chain *ch)
{
	if (bw_family_nft_only(ch->family))
		return bw_eval_error(ev, &s->loc, "%s @%s: bpfwall's sets live in BPF maps, and the %s family's chains run in nf_tables (not supported)",
				     s->dyn_op, s->dyn_set, bw_family_name(ch->family));
	if (ch->type == BW_CHAIN_TYPE_NAT)
		return bw_eval_error(ev, &s->loc, "%s @%s: bpfwall's sets live in BPF maps, and chains of type nat run in nf_tables (not supported)",
				     s->dyn_op, s->dyn_set);
	return 0;
}

static int add_dynset(struct bw_eval *ev, const struct bw_ir_dynset *d,
		      uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_dynset *v = reallocarray(ir->dynset, ir->ndynset + 1,
					      sizeof(*v));

	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->dynset = v;
	v[ir->ndynset] = *d;
	*index = ir->ndynset++;
	return 0;
}

int bw_eval_dynset(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index)
{
	const struct bw_ast_fref *k = s->dyn_key;
	struct bw_ast_expr ref = { .kind = BW_AE_SETREF, .loc = s->dyn_set_loc,
				   .text = s->dyn_set };
	struct bw_ast_stmt m = { .kind = BW_AS_MATCH, .loc = s->loc };
	struct bw_ir_dynset d = { 0 };
	const struct bw_ir_set *set;
	uint32_t si;
	int op = bw_dynset_op_of(s->dyn_op);

	if (op < 0)
		return bw_eval_error(ev, &s->dyn_op_loc, "unknown set statement \"%s\": add, update or delete @SET { KEY }",
				     s->dyn_op);
	d.op = (uint8_t)op;
	if (!ev->ir)
		return bw_eval_error(ev, &s->loc, "a set statement needs a ruleset");
	si = bw_ir_set_find_name(ev->ir, ev->family, ev->table, s->dyn_set);
	if (si == UINT32_MAX)
		return bw_eval_error(ev, &s->dyn_set_loc, "unknown set \"%s\"",
				     s->dyn_set);
	set = &ev->ir->set[si];
	/* a map of data lives in nf_tables (mapadd.h) */
	if (!set->ndata && placed(ev, s, ch))
		return -EINVAL;
	if (set->map)
		return bw_eval_error(ev, &s->dyn_set_loc, "@%s is a map: %s takes a set here (a map's value from a rule is not supported)",
				     s->dyn_set, s->dyn_op);
	if (!set->ndata && s->dyn_data)
		return bw_eval_error(ev, &s->dyn_data->loc, "@%s is a set: { KEY : VALUE } needs a map of values (map %s { type KEY : TYPE })",
				     s->dyn_set, s->dyn_set);
	if (set->ndata && !s->dyn_extra &&
	    bw_mapadd_eval(ev, s, set, &d, scope))
		return -EINVAL;
	if (set->interval)
		return bw_eval_error(ev, &s->dyn_set_loc, "@%s has flags interval: %s needs a set without it, as in nft",
				     s->dyn_set, s->dyn_op);
	if (bw_settimeout_dynset(ev, s, set, &d))
		return -EINVAL;
	m.proto = k->proto;
	m.field = k->field;
	m.proto_loc = k->proto_loc;
	m.field_loc = k->field_loc;
	m.proto_implicit = k->implicit;
	m.cat = k->next;
	m.op = BW_OP_IMPLICIT;
	m.rhs = &ref;
	if (bw_eval_lookup(ev, ps, &m, scope, &d.key))
		return -EINVAL;
	if (d.key.set != si)
		return bw_eval_error(ev, &s->dyn_set_loc, "unknown set \"%s\"",
				     s->dyn_set);
	d.key.loc = s->loc;
	bw_dynset_mark(&ev->ir->set[si]);
	return add_dynset(ev, &d, index);
}

int bw_dynset_rule_key(struct bw_eval *ev, struct bw_ir_rule *r,
		       uint32_t index)
{
	struct bw_ir_match *v = reallocarray(r->dkey, r->ndkey + 1, sizeof(*v));

	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	r->dkey = v;
	v[r->ndkey++] = ev->ir->dynset[index].key;
	return 0;
}
