// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's VLAN dependencies and the fields of the inner tag (vlan.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vlan.h"
#include "view.h"

bool bw_vlan_l3_said(const struct bw_eval *ev, const struct bw_proto_state *ps)
{
	return ps->l3 && ev->family != BW_FAMILY_IP && ev->family != BW_FAMILY_IP6;
}

/* out: the implicit match field == the 16-bit value v (at m's place);
 * 1, or -ENOMEM. */
static int dep16(struct bw_eval *ev, const struct bw_ir_match *m,
		 enum bw_field_id field, uint16_t v, struct bw_ir_match *out)
{
	memset(out, 0, sizeof(*out));
	out->field = field;
	out->loc = m->loc;
	out->elem = calloc(1, sizeof(*out->elem));
	if (!out->elem) {
		ev->oom = true;
		return -ENOMEM;
	}
	out->nelem = 1;
	out->elem->lo[0] = out->elem->hi[0] = (uint8_t)(v >> 8);
	out->elem->lo[1] = out->elem->hi[1] = (uint8_t)v;
	out->elem->mask[0] = out->elem->mask[1] = 0xff;
	return 1;
}

int bw_vlan_dep(struct bw_eval *ev, struct bw_proto_state *ps,
		const struct bw_ir_match *m, struct bw_ir_match *out)
{
	const enum bw_field_id *fl = m->lookup ? m->fields : &m->field;
	uint32_t n = m->lookup ? m->nfield : 1;
	bool vlan = false;

	for (uint32_t i = 0; i < n; i++)
		vlan |= (bw_field(fl[i])->need_flags & BW_VIEW_VLAN) &&
			!bw_field(fl[i])->tun_layer;
	if (!vlan || ps->l2)
		return 0;
	ps->l2 = BW_L2_VLAN;
	return dep16(ev, m, BW_F_ETHER_TYPE, 0x8100, out);
}

int bw_vlan_l3_dep(struct bw_eval *ev, const struct bw_proto_state *ps,
		   uint8_t l3, const struct bw_ir_match *m,
		   struct bw_ir_match *out)
{
	const enum bw_field_id *fl = m->lookup ? m->fields : &m->field;
	uint32_t n = m->lookup ? m->nfield : 1;
	uint8_t want = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct bw_field *f = bw_field(fl[i]);

		if (f->need_l3 && !f->need_l4proto && !f->tun_layer &&
		    f->src == BW_FS_VIEW && !want)
			want = f->need_l3;
	}
	if (!want || l3 || ps->l2 != BW_L2_VLAN || ps->vlan_inner)
		return 0;
	return dep16(ev, m, BW_F_VLAN_TYPE, want == 4 ? 0x0800 : 0x86dd, out);
}

/* The network layer the inner tag's vlan type says, as evaluate.c's
 * set_l3 (nft's conflict with one said before). */
static int net_layer(struct bw_eval *ev, struct bw_proto_state *ps,
		     const struct bw_ast_stmt *s, uint8_t l3, const char *name)
{
	struct bw_loc lhs = bw_loc_join(&s->proto_loc, &s->field_loc);

	if (ps->l3 && ps->l3 != l3)
		return bw_eval_error(ev, &lhs, "conflicting protocols specified: %s vs. %s",
				     ps->l3_name, name);
	if (!ps->l3) {
		ps->l3 = l3;
		ps->l3_name = name;
	}
	return 0;
}

int bw_vlan_inner(struct bw_eval *ev, struct bw_proto_state *ps,
		  const struct bw_ast_stmt *s, const struct bw_sym *scope,
		  struct bw_ir_match *out)
{
	static const struct { enum bw_field_id id; const char *bits; } raw[] = {
		{ BW_F_VLAN_ID, "148,12" }, { BW_F_VLAN_PCP, "144,3" },
		{ BW_F_VLAN_DEI, "147,1" }, { BW_F_VLAN_TYPE, "160,16" },
	};
	const struct bw_field *f;
	const struct bw_sym *sc = scope;
	const struct bw_ast_expr *r;
	struct bw_ast_stmt c;
	struct bw_ast_expr num;
	char text[8];
	uint32_t v;
	size_t i;

	if (s->vmap || s->cat || !(ps->vlan_inner & 3) || (ps->vlan_inner & 0x10) ||
	    strcmp(s->proto, "vlan") || !(f = bw_field_find(s->proto, s->field)))
		return 0;
	for (i = 0; i < sizeof(raw) / sizeof(raw[0]) && raw[i].id != f->id; i++)
		;
	if (i == sizeof(raw) / sizeof(raw[0]))
		return 0;
	c = *s;
	c.proto = "@ll";
	c.field = raw[i].bits;
	r = bw_sym_resolve(s->rhs, &sc);
	/* vlan type ip: the EtherType's number */
	if (f->id == BW_F_VLAN_TYPE && r && r->kind == BW_AE_SYMBOL &&
	    !bw_value_num(f, r->text, &v)) {
		num = *r;
		num.kind = BW_AE_NUMBER;
		snprintf(text, sizeof(text), "0x%04x", v & 0xffff);
		num.text = text;
		c.rhs = &num;
	}
	bw_eval_match(ev, ps, &c, sc, out);
	if (f->id != BW_F_VLAN_TYPE || !r || (s->op != BW_OP_IMPLICIT && s->op != BW_OP_EQ) ||
	    (r->kind != BW_AE_SYMBOL && r->kind != BW_AE_NUMBER) ||
	    bw_value_num(f, r->text, &v))
		return 1;
	/* the protocol inside the inner tag: another tag (its fields are
	 * not supported), or the network layer */
	if (v == 0x8100 || v == 0x88a8)
		ps->vlan_inner |= 0x10;
	else if (v == 0x0800)
		net_layer(ev, ps, s, 4, "ip");
	else if (v == 0x86dd)
		net_layer(ev, ps, s, 6, "ip6");
	else
		net_layer(ev, ps, s, 1, bw_eval_ethertype_name((uint16_t)v) ?: "vlan");
	return 1;
}

int bw_vlan_setf_dep(struct bw_eval *ev, struct bw_proto_state *ps,
		     const struct bw_ast_stmt *s, struct bw_ir_match *out)
{
	const struct bw_ast_fref *w = s->setf;
	const struct bw_field *f = w && w->proto && w->field && !w->next ?
				   bw_field_find(w->proto, w->field) : NULL;
	struct bw_ir_match m = { 0 };

	/* after the network layer: bw_proto_check's conflict, as nft */
	if (!f || !(f->need_flags & BW_VIEW_VLAN) || f->tun_layer ||
	    (!ps->l2 && bw_vlan_l3_said(ev, ps)))
		return 0;
	m.field = f->id;
	m.loc = s->loc;
	return bw_vlan_dep(ev, ps, &m, out);
}

bool bw_vlan_type_tag(const struct bw_ast_stmt *t, const struct bw_sym *scope)
{
	const struct bw_field *f;
	const struct bw_ast_expr *r;
	uint32_t v;

	if (t->kind != BW_AS_MATCH || t->cat || t->vmap ||
	    !(f = bw_field_find(t->proto, t->field)) || f->id != BW_F_VLAN_TYPE)
		return false;
	r = bw_sym_resolve(t->rhs, &scope);
	return r && (r->kind == BW_AE_NUMBER || r->kind == BW_AE_SYMBOL) &&
	       !bw_value_num(f, r->text, &v) && (v == 0x8100 || v == 0x88a8);
}

bool bw_vlan_bare_type(const struct bw_ast_item *rule,
		       const struct bw_ast_stmt *s, const struct bw_sym *scope)
{
	const struct bw_field *f;

	if (s->kind != BW_AS_MATCH || s->cat || s->vmap ||
	    !(f = bw_field_find(s->proto, s->field)) || f->id != BW_F_VLAN_TYPE)
		return false;
	for (const struct bw_ast_stmt *t = rule->stmts; t && t != s; t = t->next)
		if (t->kind == BW_AS_MATCH && (f = bw_field_find(t->proto, t->field)) &&
		    (f->id == BW_F_ETHER_TYPE || (f->need_flags & BW_VIEW_VLAN)) &&
		    !f->tun_layer)
			return false;
	if (bw_vlan_type_tag(s, scope))	/* what follows is the next tag's */
		return true;
	for (const struct bw_ast_stmt *t = s->next; t && t->kind == BW_AS_MATCH;
	     t = t->next)
		if ((f = bw_field_find(t->proto, t->field)) &&
		    (f->need_flags & BW_VIEW_VLAN) && !f->tun_layer &&
		    f->id != BW_F_VLAN_TYPE)
			return false;
	return true;
}
