// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set timeouts in the nf_tables plan (compiler/front/settimeout.h): a
 * set with timeouts that a chain nf_tables runs looks up goes there with
 * NFT_SET_TIMEOUT, its default timeout and its gc-interval; the kernel
 * gives the set's timeout to the elements added without one.
 */
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/set.h>

#include "nft_int.h"

void bw_nft_set_timeout(struct nftnl_set *s, const struct bw_nft_setdef *def)
{
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS,
			  nftnl_set_get_u32(s, NFTNL_SET_FLAGS) | NFT_SET_TIMEOUT);
	if (def->timeout_ms)
		nftnl_set_set_u64(s, NFTNL_SET_TIMEOUT, def->timeout_ms);
	if (def->gc_ms)
		nftnl_set_set_u32(s, NFTNL_SET_GC_INTERVAL, def->gc_ms);
}
