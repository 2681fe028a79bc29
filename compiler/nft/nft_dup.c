// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dup statement in nf_tables (compiler/front/dup.h), as nft 1.0.6
 * emits it: the address into register 1 (an immediate, or the value
 * expression's map lookup), the device's index into register 2 (an
 * immediate the commit writes the index into, as meta iif's compare),
 * then dup.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "nft_int.h"
#include "compiler/front/valexpr.h"

static struct nftnl_expr *immediate(struct bw_nft_rctx *x, uint32_t reg,
				    const void *data, uint32_t len)
{
	struct nftnl_expr *e = bw_nft_expr(x, "immediate");

	if (!e)
		return NULL;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
	return e;
}

int bw_nft_dup(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir *ir = x->b->ir;
	const struct bw_ir_dup *d = s->index < ir->ndup ? &ir->dup[s->index] : NULL;
	struct nftnl_expr *e;
	uint32_t zero = 0;

	if (!d)
		return -EINVAL;
	if (d->vexpr) {
		if (d->vx >= ir->nvexpr)
			return -EINVAL;
		if (bw_nft_vexpr(x, &ir->vexpr[d->vx], &s->loc))
			return -EINVAL;
	} else if (!immediate(x, NFT_REG_1, d->addr, d->l3 == 6 ? 16 : 4)) {
		return -ENOMEM;
	}
	if (d->dev[0]) {
		e = immediate(x, NFT_REG_2, &zero, sizeof(zero));
		if (!e)
			return -ENOMEM;
		bw_nft_ifref(x->b, e, NULL, 0, d->dev, &d->dev_loc);
	}
	e = bw_nft_expr(x, "dup");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_ADDR, NFT_REG_1);
	if (d->dev[0])
		nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_DEV, NFT_REG_2);
	return 0;
}
