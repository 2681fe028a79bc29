// SPDX-License-Identifier: GPL-2.0-only
/*
 * tproxy and synproxy in nf_tables (nft_int.h), as nft 1.0.6 sends them:
 * tproxy's address and port loaded with immediates into registers from 1
 * on, the family the table's (ip, ip6) or the one written (inet; none:
 * NFPROTO_UNSPEC, a port alone); synproxy's mss, wscale and option flags
 * as attributes of its expression.
 */
#include <errno.h>
#include <stdio.h>
#include <arpa/inet.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "nft_int.h"
#include "compiler/front/evaluate.h"
#include "compiler/front/valexpr.h"

static void load(struct bw_nft_rctx *x, uint32_t reg, const void *data,
		 uint32_t len)
{
	struct nftnl_expr *e = bw_nft_expr(x, "immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
}

int bw_nft_tproxy(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir_tproxy *t;
	uint32_t reg = NFT_REG_1;
	struct nftnl_expr *e;
	uint16_t port;

	if (s->index >= x->b->ir->ntproxy)
		return bw_nft_error(x->b, &s->loc, "unknown tproxy statement");
	t = &x->b->ir->tproxy[s->index];
	if (t->addr)
		load(x, reg, t->a, t->l3 == 6 ? 16 : 4);
	port = htons(t->p);
	if (t->port_vx) {	/* the port computed (a map, a hash), as nft */
		if (t->vx >= x->b->ir->nvexpr)
			return bw_nft_error(x->b, &s->loc, "unknown tproxy port");
		if (bw_nft_vexpr_to(x, &x->b->ir->vexpr[t->vx], &s->loc,
				    t->addr ? NFT_REG_2 : NFT_REG_1))
			return -EINVAL;
	} else if (t->port) {
		load(x, t->addr ? NFT_REG_2 : NFT_REG_1, &port, sizeof(port));
	}
	e = bw_nft_expr(x, "tproxy");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_TPROXY_FAMILY,
			   t->l3 == 4 ? NFPROTO_IPV4 : t->l3 == 6 ? NFPROTO_IPV6 :
			   NFPROTO_UNSPEC);
	if (t->addr)
		nftnl_expr_set_u32(e, NFTNL_EXPR_TPROXY_REG_ADDR, NFT_REG_1);
	if (t->port)
		nftnl_expr_set_u32(e, NFTNL_EXPR_TPROXY_REG_PORT,
				   t->addr ? NFT_REG_2 : NFT_REG_1);
	return 0;
}

int bw_nft_proxy_hooks(struct bw_nft_bld *b, const struct bw_ir_stmt *s,
		       uint32_t hooks, const char *name)
{
	const uint32_t in_fwd = 1u << BW_CHAIN_INPUT | 1u << BW_CHAIN_FORWARD;
	bool syn = s->kind == BW_STMT_SYNPROXY ||
		   (s->kind == BW_STMT_OBJREF && s->index < b->ir->nobjref &&
		    b->ir->objref[s->index].kind == BW_OBJ_SYNPROXY);

	for (uint32_t h = 0; h < 32; h++) {
		if (!(hooks & (1u << h)))
			continue;
		if (s->kind == BW_STMT_TPROXY && h != BW_CHAIN_PREROUTING)
			return bw_nft_error(b, &s->loc, "tproxy is only valid at hook prerouting (chain %s runs at %s)",
					    name, bw_chain_hook_name((enum bw_chain_hook)h));
		if (syn && !(in_fwd & (1u << h)))
			return bw_nft_error(b, &s->loc, "synproxy is only valid at hooks input and forward (chain %s runs at %s)",
					    name, bw_chain_hook_name((enum bw_chain_hook)h));
	}
	return 0;
}

int bw_nft_synproxy(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir_synproxy *p;
	struct nftnl_expr *e;

	if (s->index >= x->b->ir->nsynproxy)
		return bw_nft_error(x->b, &s->loc, "unknown synproxy statement");
	p = &x->b->ir->synproxy[s->index];
	e = bw_nft_expr(x, "synproxy");
	if (!e)
		return -ENOMEM;
	/* nft sends all three, zeros for what was not given */
	nftnl_expr_set_u16(e, NFTNL_EXPR_SYNPROXY_MSS, p->mss);
	nftnl_expr_set_u8(e, NFTNL_EXPR_SYNPROXY_WSCALE, p->wscale);
	nftnl_expr_set_u32(e, NFTNL_EXPR_SYNPROXY_FLAGS, p->flags);
	return 0;
}
