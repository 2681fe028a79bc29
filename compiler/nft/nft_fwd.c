// SPDX-License-Identifier: GPL-2.0-only
/*
 * fwd and dup (compiler/front/fwd.h) as nft writes them: the device's
 * index in register 1 (written when the plan is committed, as nft
 * resolves the name when it loads), the next hop's address in register
 * 2, then nft_fwd_netdev's or nft_dup_netdev's expression.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "compiler/front/fwd.h"
#include "compiler/front/valexpr.h"
#include "nft_int.h"

int bw_nft_fwd(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir_fwd *f = &x->b->ir->fwd[s->index];
	struct nftnl_expr *e;
	uint32_t zero = 0;
	int rc;

	if (f->map) {	/* the map's lookup leaves the index in register 1 */
		rc = bw_nft_vexpr(x, &x->b->ir->vexpr[f->vexpr], &f->loc);
		if (rc)
			return rc;
	} else {
		e = bw_nft_expr(x, "immediate");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
		nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, &zero, sizeof(zero));
		bw_nft_ifref(x->b, e, NULL, 0, f->dev, &f->dev_loc);
	}
	if (f->l3) {
		e = bw_nft_expr(x, "immediate");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_2);
		nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, f->addr, f->l3 == 6 ? 16 : 4);
	}
	e = bw_nft_expr(x, f->dup ? "dup" : "fwd");
	if (!e)
		return -ENOMEM;
	if (f->dup) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_DUP_SREG_DEV, NFT_REG_1);
		return 0;
	}
	nftnl_expr_set_u32(e, NFTNL_EXPR_FWD_SREG_DEV, NFT_REG_1);
	if (f->l3) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_FWD_SREG_ADDR, NFT_REG_2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FWD_NFPROTO,
				   f->l3 == 6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
	}
	return 0;
}
