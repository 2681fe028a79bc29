// SPDX-License-Identifier: GPL-2.0-only
/*
 * Header field writes in nf_tables (nft_int.h): the expressions nft 1.0.6
 * gives `ip ttl set 23` and the like.  compiler/front/hdrset.c has laid
 * the write out already (bytes, mask, checksum); this only says it in
 * libnftnl's terms: [dependencies] immediate, or payload load + bitwise;
 * then payload write with the checksum type, offset and flags.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "nft_int.h"

int bw_nft_hdrset(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir_hdrset *h;
	struct nftnl_expr *e;
	int rc;

	if (s->index >= x->b->ir->nhdrset)
		return bw_nft_error(x->b, &s->loc, "unknown header field write");
	h = &x->b->ir->hdrset[s->index];
	/* th: nft's transport header, no dependency */
	rc = h->th ? 0 : bw_nft_field_deps(x, (enum bw_field_id)h->field, &s->loc);
	if (rc)
		return rc;
	if (h->rmw) {
		e = bw_nft_expr(x, "payload");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, h->base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, h->off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, h->len);
		e = bw_nft_expr(x, "bitwise");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, h->len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, h->mask, h->len);
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, h->value, h->len);
	} else if (h->ibrhwaddr) {	/* the bridge's address (nft_meta_bridge) */
		bw_nft_meta(x, BW_NFT_META_BRI_IIFHWADDR, NFT_REG_1);
	} else {
		e = bw_nft_expr(x, "immediate");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_1);
		nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, h->value, h->len);
	}
	e = bw_nft_expr(x, "payload");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, h->base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, h->off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, h->len);
	if (h->csum_type) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, h->csum_type);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, h->csum_off);
	}
	if (h->pseudo)
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_FLAGS,
				   NFT_PAYLOAD_L4CSUM_PSEUDOHDR);
	return 0;
}
