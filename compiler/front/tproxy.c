// SPDX-License-Identifier: GPL-2.0-only
/*
 * The tproxy statement (tproxy.h): checked as nft and the kernel check it
 * (ip, ip6 and inet tables, prerouting only, after a transport protocol
 * match; one address and one port, no ranges; in inet the family written
 * where an address is), each error with a caret, into ir->tproxy; printed
 * in nft's canonical form.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "tproxy.h"
#include "valexpr.h"

/* The family: the table's, else the one written (inet); nft refuses one
 * that contradicts the rule's network protocol, and in inet a network
 * protocol match without one written. */
static int family(struct bw_eval *ev, const struct bw_proto_state *ps,
		  const struct bw_ast_stmt *s, enum bw_family fam, uint8_t *l3)
{
	uint8_t table = fam == BW_FAMILY_IP ? 4 : fam == BW_FAMILY_IP6 ? 6 : 0;
	uint8_t known = table ? table : ps->l3 == 4 || ps->l3 == 6 ? ps->l3 : 0;
	uint8_t w = 0;

	if (s->nat_family) {
		w = !strcmp(s->nat_family, "ip") ? 4 : !strcmp(s->nat_family, "ip6") ? 6 : 0;
		if (!w)
			return bw_eval_error(ev, &s->nat_family_loc, "unknown family \"%s\" (ip or ip6)",
					     s->nat_family);
	}
	*l3 = w ? w : table;
	if (known && known != *l3)
		return bw_eval_error(ev, s->nat_family ? &s->nat_family_loc : &s->loc,
				     "conflicting protocols specified: %s vs. %s. You must specify ip or ip6 family in tproxy statement",
				     known == 4 ? "ip" : "ip6",
				     *l3 == 4 ? "ip" : *l3 == 6 ? "ip6" : "unknown");
	if (!*l3 && s->nat_addr)
		return bw_eval_error(ev, &s->loc, "specify `tproxy ip' or 'tproxy ip6' in inet table to disambiguate");
	return 0;
}

static int address(struct bw_eval *ev, const struct bw_ast_stmt *s,
		   const struct bw_sym *scope, struct bw_ir_tproxy *t)
{
	const struct bw_field *f = bw_field(t->l3 == 6 ? BW_F_IP6_SADDR : BW_F_IP_SADDR);
	const struct bw_ast_expr *a = s->nat_addr;
	uint8_t v[BW_VAL_MAX];

	if (a->kind == BW_AE_RANGE || a->kind == BW_AE_PREFIX)
		return bw_eval_error(ev, &a->loc, "Address ranges are not supported for tproxy.");
	if (bw_eval_scalar(ev, f, a, scope, v))
		return -EINVAL;
	memcpy(t->a, v, f->size);
	t->addr = true;
	return 0;
}

static int port(struct bw_eval *ev, const struct bw_ast_stmt *s,
		const struct bw_sym *scope, struct bw_ir_tproxy *t)
{
	const struct bw_ast_expr *p = s->nat_port, *r;
	uint64_t v;

	if (p->kind == BW_AE_RANGE)
		return bw_eval_error(ev, &p->loc, "Port ranges are not supported for tproxy.");
	r = bw_sym_resolve(p, &scope);
	if (!r || r->kind != BW_AE_NUMBER || bw_eval_number(r->text, &v) || v > 65535)
		return bw_eval_error(ev, &p->loc, "invalid port \"%s\" (0 to 65535)",
				     p->text ? p->text : "");
	t->p = (uint16_t)v;
	t->port = true;
	return 0;
}

int bw_eval_tproxy(struct bw_eval *ev, const struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_tproxy t = { 0 }, *v;

	if (ch->family != BW_FAMILY_INET && ch->family != BW_FAMILY_IP &&
	    ch->family != BW_FAMILY_IP6)
		return bw_eval_error(ev, &s->loc, "tproxy is only supported for IPv4/IPv6/INET (ip, ip6 and inet tables)");
	if (ch->hook != BW_CHAIN_NONE && ch->hook != BW_CHAIN_PREROUTING)
		return bw_eval_error(ev, &s->loc, "tproxy is only valid at hook prerouting (chain %s runs at %s)",
				     ch->name, bw_chain_hook_name(ch->hook));
	if (!ps->l4 && !ps->l4_set)
		return bw_eval_error(ev, &s->loc, "Transparent proxy support requires transport protocol match");
	if (!s->nat_addr && !s->nat_port)
		return bw_eval_error(ev, &s->loc, "Either address or port must be specified!");
	if (bw_vexpr_is(s->nat_addr))
		return bw_eval_error(ev, &s->nat_addr->loc,
				     "tproxy to a computed address (a map, numgen, a hash) is not supported by bpfwall");
	if (family(ev, ps, s, ch->family, &t.l3) ||
	    (s->nat_addr && address(ev, s, scope, &t)))
		return -EINVAL;
	if (s->nat_port && bw_vexpr_is(s->nat_port)) {
		/* ADDR:symhash mod 2 map { 0 : 23, ... }: a port computed
		 * by nf_tables into tproxy's port register */
		bool has_port;

		if (bw_eval_vexpr_nat(ev, s->nat_port, scope, t.l3, true, true,
				      &has_port, &t.vx))
			return -EINVAL;
		t.port = t.port_vx = true;
	} else if (s->nat_port && port(ev, s, scope, &t)) {
		return -EINVAL;
	}
	v = reallocarray(ir->tproxy, ir->ntproxy + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->tproxy = v;
	v[ir->ntproxy] = t;
	*index = ir->ntproxy++;
	return 0;
}

void bw_print_tproxy(struct bw_pbuf *b, const struct bw_ir_tproxy *t,
		     enum bw_family fam)
{
	const struct bw_field *f = bw_field(t->l3 == 6 ? BW_F_IP6_SADDR : BW_F_IP_SADDR);

	bw_pbuf_put(b, "tproxy");
	if (fam == BW_FAMILY_INET && t->l3)
		bw_pbuf_put(b, t->l3 == 6 ? " ip6" : " ip");
	bw_pbuf_put(b, " to");
	if (t->addr) {
		bw_pbuf_put(b, t->l3 == 6 ? " [" : " ");
		bw_print_value(b, f, t->a);
		if (t->l3 == 6)
			bw_pbuf_put(b, "]");
	}
	if (t->port)
		bw_pbuf_printf(b, "%s:%u", t->addr ? "" : " ", t->p);
}

void bw_print_tproxy_ir(struct bw_pbuf *b, const struct bw_ir *ir,
			const struct bw_ir_tproxy *t, enum bw_family fam)
{
	struct bw_ir_tproxy c = *t;

	if (!t->port_vx || !ir || t->vx >= ir->nvexpr) {
		bw_print_tproxy(b, t, fam);
		return;
	}
	c.port = false;
	bw_print_tproxy(b, &c, fam);
	bw_pbuf_put(b, t->addr ? ":" : " :");
	bw_print_vexpr(b, &ir->vexpr[t->vx]);
}
