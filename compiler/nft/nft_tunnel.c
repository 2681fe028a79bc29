// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's tunnel expression in nf_tables (nft_int.h): the kernel's
 * nft_tunnel (netdev family only) loads a key of the skb's tunnel
 * metadata, as nft emits it: tunnel path (1 when the skb has tunnel
 * metadata, a collect_md device's, else 0), tunnel id (its key id, host
 * order).  A netdev chain that reads one goes to nf_tables' netdev
 * family (compiler/front/nfnetdev.c).
 */
#include <stdio.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "nft_int.h"

/* In the order of the BW_F_TUNNEL_* ids. */
static const struct bw_kfield tunnel_kfields[] = {
	{ .src = KF_TUNNEL, .key = NFT_TUNNEL_PATH, .len = 1, .host = true,
	  .dtype = BW_NT_BOOLEAN },
	{ .src = KF_TUNNEL, .key = NFT_TUNNEL_ID, .len = 4, .host = true,
	  .dtype = BW_NT_INTEGER },
};
_Static_assert(sizeof(tunnel_kfields) / sizeof(tunnel_kfields[0]) ==
	       BW_F_TUNNEL_ID - BW_F_TUNNEL_PATH + 1, "a row per tunnel field");

const struct bw_kfield *bw_nft_tunnel_kfield(enum bw_field_id f)
{
	return f >= BW_F_TUNNEL_PATH && f <= BW_F_TUNNEL_ID ?
	       &tunnel_kfields[f - BW_F_TUNNEL_PATH] : NULL;
}

void bw_nft_tunnel_load(struct bw_nft_rctx *x, const struct bw_kfield *kf,
			uint32_t reg)
{
	struct nftnl_expr *e = bw_nft_expr(x, "tunnel");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_TUNNEL_KEY, kf->key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_TUNNEL_DREG, reg);
}
