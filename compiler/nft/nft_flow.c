// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flowtables in the nf_tables plan: the flowtable a sent rule names
 * (NFT_MSG_NEWFLOWTABLE, in the table of the rule's family, before the
 * rules) and the flow_offload expression, as nft 1.0.6 sends them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/rule.h>

#include "nft_int.h"

static uint32_t nfproto(enum bw_family f)
{
	return f == BW_FAMILY_IP ? NFPROTO_IPV4 : f == BW_FAMILY_IP6 ?
	       NFPROTO_IPV6 : NFPROTO_INET;
}

/* The plan's name of flowtable fi of the IR: its own, or TABLE.NAME
 * when one of that name from another table of the family is there. */
static char *ft_name(const struct bw_nft_plan *p, const struct bw_ir *ir,
		     uint32_t fi)
{
	const struct bw_ir_flowtable *ft = &ir->flowtable[fi];
	char *name;

	for (uint32_t i = 0; i < p->nflowtable; i++) {
		const struct bw_ir_flowtable *o = &ir->flowtable[p->flowtable_ir[i]];

		if (o->family == ft->family &&
		    !strcmp(nftnl_flowtable_get_str(p->flowtables[i], NFTNL_FLOWTABLE_NAME),
			    ft->name))
			return asprintf(&name, "%s.%s", ft->table, ft->name) < 0 ?
			       NULL : name;
	}
	return strdup(ft->name);
}

static struct nftnl_flowtable *ft_new(const struct bw_nft_plan *p,
				      const struct bw_ir_flowtable *ft,
				      const char *name)
{
	struct nftnl_flowtable *f = nftnl_flowtable_alloc();
	const char **devs = calloc(ft->ndev + 1, sizeof(*devs));
	bool ok = f && devs;

	for (uint32_t i = 0; ok && i < ft->ndev; i++)
		devs[i] = ft->dev[i];
	if (ok) {
		nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_FAMILY, nfproto(ft->family));
		ok = !nftnl_flowtable_set_str(f, NFTNL_FLOWTABLE_TABLE, p->table) &&
		     !nftnl_flowtable_set_str(f, NFTNL_FLOWTABLE_NAME, name);
		nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_HOOKNUM, NF_NETDEV_INGRESS);
		nftnl_flowtable_set_s32(f, NFTNL_FLOWTABLE_PRIO, ft->prio);
		if (ok && ft->ndev)
			ok = !nftnl_flowtable_set_array(f, NFTNL_FLOWTABLE_DEVICES, devs);
		nftnl_flowtable_set_u32(f, NFTNL_FLOWTABLE_FLAGS,
					(ft->offload ? NFT_FLOWTABLE_HW_OFFLOAD : 0) |
					(ft->counter ? NFT_FLOWTABLE_COUNTER : 0));
	}
	free(devs);
	if (!ok) {
		if (f)
			nftnl_flowtable_free(f);
		return NULL;
	}
	return f;
}

/* Flowtable fi of the IR in the plan (added once): its name there. */
static const char *ft_get(struct bw_nft_bld *b, uint32_t fi)
{
	struct bw_nft_plan *p = b->p;
	uint32_t n = p->nflowtable;
	struct nftnl_flowtable **v;
	struct nftnl_flowtable *f;
	uint32_t *vi;
	struct bw_loc *vl;
	char *name;

	for (uint32_t i = 0; i < n; i++)
		if (p->flowtable_ir[i] == fi)
			return nftnl_flowtable_get_str(p->flowtables[i], NFTNL_FLOWTABLE_NAME);
	name = ft_name(p, b->ir, fi);
	f = name ? ft_new(p, &b->ir->flowtable[fi], name) : NULL;
	free(name);
	if (!f)
		return NULL;
	v = reallocarray(p->flowtables, n + 1, sizeof(*v));
	if (v)
		p->flowtables = v;
	vi = reallocarray(p->flowtable_ir, n + 1, sizeof(*vi));
	if (vi)
		p->flowtable_ir = vi;
	vl = reallocarray(p->flowtable_loc, n + 1, sizeof(*vl));
	if (vl)
		p->flowtable_loc = vl;
	if (!v || !vi || !vl) {
		nftnl_flowtable_free(f);
		return NULL;
	}
	v[n] = f;
	vi[n] = fi;
	vl[n] = b->ir->flowtable[fi].loc;
	p->nflowtable = n + 1;
	return nftnl_flowtable_get_str(f, NFTNL_FLOWTABLE_NAME);
}

int bw_nft_flow(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	struct nftnl_expr *e;
	const char *name;

	if (s->index >= x->b->ir->nflowtable)
		return bw_nft_error(x->b, &s->loc, "unknown flowtable");
	name = ft_get(x->b, s->index);
	if (!name) {
		x->b->oom = true;
		return -ENOMEM;
	}
	e = bw_nft_expr(x, "flow_offload");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_str(e, NFTNL_EXPR_FLOW_TABLE_NAME, name);
	return 0;
}

void bw_nft_flow_free(struct bw_nft_plan *p)
{
	for (uint32_t i = 0; i < p->nflowtable; i++)
		nftnl_flowtable_free(p->flowtables[i]);
	free(p->flowtables);
	free(p->flowtable_ir);
	free(p->flowtable_loc);
	p->flowtables = NULL;
	p->nflowtable = 0;
}
