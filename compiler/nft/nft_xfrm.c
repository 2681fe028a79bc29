// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's ipsec expression in nf_tables (compiler/front/xfrm.h): the
 * kernel's xfrm expression loads one key of the IPsec state at policy
 * index spnum of direction in (the packet's secpath) or out (its route's
 * bundle), as nft 1.0.6 emits it; and the hooks a chain that reads one
 * may be reached from.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/xfrm.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "nft_int.h"
#include "compiler/front/evaluate.h"
#include "compiler/front/xfrm.h"

#define IN(K, L, H, T) { .src = KF_XFRM, .base = XFRM_POLICY_IN, \
			 .key = NFT_XFRM_KEY_##K, .len = L, .host = H, \
			 .dtype = BW_NT_##T }
#define OUT(K, L, H, T) { .src = KF_XFRM, .base = XFRM_POLICY_OUT, \
			  .key = NFT_XFRM_KEY_##K, .len = L, .host = H, \
			  .dtype = BW_NT_##T }

/* In the order of the BW_F_XFRM_* ids; the reqid is in host order
 * (nft's template), the spi and the addresses as on the wire. */
static const struct bw_kfield xfrm_kfields[] = {
	IN(REQID, 4, true, INTEGER),
	IN(SPI, 4, false, INTEGER),
	IN(SADDR_IP4, 4, false, IPADDR),
	IN(DADDR_IP4, 4, false, IPADDR),
	IN(SADDR_IP6, 16, false, IP6ADDR),
	IN(DADDR_IP6, 16, false, IP6ADDR),
	OUT(REQID, 4, true, INTEGER),
	OUT(SPI, 4, false, INTEGER),
	OUT(SADDR_IP4, 4, false, IPADDR),
	OUT(DADDR_IP4, 4, false, IPADDR),
	OUT(SADDR_IP6, 16, false, IP6ADDR),
	OUT(DADDR_IP6, 16, false, IP6ADDR),
};
_Static_assert(sizeof(xfrm_kfields) / sizeof(xfrm_kfields[0]) ==
	       BW_F_XFRM_OUT_IP6_DADDR - BW_F_XFRM_IN_REQID + 1,
	       "a row per ipsec field");

const struct bw_kfield *bw_nft_xfrm_kfield(enum bw_field_id f)
{
	return bw_xfrm_is(f) ? &xfrm_kfields[f - BW_F_XFRM_IN_REQID] : NULL;
}

void bw_nft_xfrm_load(struct bw_nft_rctx *x, const struct bw_kfield *kf,
		      uint32_t reg)
{
	struct nftnl_expr *e = bw_nft_expr(x, "xfrm");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_XFRM_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_XFRM_KEY, kf->key);
	nftnl_expr_set_u8(e, NFTNL_EXPR_XFRM_DIR, kf->base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_XFRM_SPNUM, x->spnum);
}

/* The first ipsec field of match m that a chain at hook h cannot read. */
static int bad_field(const struct bw_ir_match *m, enum bw_chain_hook h)
{
	if (!m->lookup)
		return bw_xfrm_is(m->field) && !bw_xfrm_hook_ok(m->field, h) ?
		       (int)m->field : -1;
	for (uint32_t i = 0; i < m->nfield; i++)
		if (bw_xfrm_is(m->fields[i]) && !bw_xfrm_hook_ok(m->fields[i], h))
			return (int)m->fields[i];
	return -1;
}

int bw_nft_xfrm_hooks(struct bw_nft_bld *b, const struct bw_ir_chain *c,
		      const struct bw_ir_rule *r, uint32_t hooks)
{
	for (uint32_t h = 0; h < 32; h++) {
		const struct bw_ir_match *bad = NULL;
		int f = -1;

		if (!(hooks & (1u << h)))
			continue;
		for (uint32_t i = 0; i < r->nmatch && f < 0; i++)
			if ((f = bad_field(&r->match[i], (enum bw_chain_hook)h)) >= 0)
				bad = &r->match[i];
		if (f < 0 && r->verdict == BW_VERDICT_VMAP &&
		    (f = bad_field(&r->vmap, (enum bw_chain_hook)h)) >= 0)
			bad = &r->vmap;
		if (bad)
			return bw_nft_error(b, &bad->loc, "ipsec %s is not valid at hook %s (chain %s runs there; ipsec in at prerouting, input and forward, ipsec out at forward, output and postrouting)",
					    bw_xfrm_in((enum bw_field_id)f) ? "in" : "out",
					    bw_chain_hook_name((enum bw_chain_hook)h), c->name);
	}
	return 0;
}
