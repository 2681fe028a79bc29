// SPDX-License-Identifier: GPL-2.0-only
/*
 * A map whose values are concatenations (compiler/front/mapcat.h) as an
 * nf_tables set: the value type joins the parts' types as a key's does,
 * its length counts each part in whole 32-bit registers, as nft sends it.
 */
#include <errno.h>
#include <stdio.h>

#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "compiler/front/mapcat.h"
#include "nft_int.h"

int bw_nft_mapcat_def(struct bw_nft_bld *b, const struct bw_ir_set *is,
		      struct bw_nft_setdef *def)
{
	uint32_t type = 0, len = 0;

	for (uint32_t k = 0; k < is->ndata; k++) {
		const struct bw_kfield *kf = bw_kfield_in(is->family, is->datacat[k]);

		if (!kf || kf->ifindex) {
			bw_nft_error(b, &is->loc, "a map to %s has no exact nf_tables form",
				     bw_field(is->datacat[k])->name);
			return -EINVAL;
		}
		type = type << BW_NT_BITS | kf->dtype;
		len += (kf->len + 3u) & ~3u;
	}
	def->map = true;
	def->dlen = len;
	def->dtype_data = type;
	def->data_byteorder = BW_NBO_INVALID;
	return 0;
}

uint32_t bw_nft_mapcat_val(const struct bw_ir_set *is, const uint8_t *data,
			   uint8_t *out)
{
	uint32_t off = 0;

	for (uint32_t k = 0; k < is->ndata; k++) {
		struct bw_field g = *bw_field(is->datacat[k]);
		const struct bw_kfield *kf = bw_kfield_in(is->family, is->datacat[k]);

		if (!kf)	/* refused by bw_nft_mapcat_def */
			return off;
		g.shift = 0;
		bw_nft_kval(&g, kf, data + bw_mapcat_off(is, k), kf->host, out + off);
		off += (kf->len + 3u) & ~3u;
	}
	return off;
}

void bw_nft_mapcat_elem(const struct bw_ir_set *is, const struct bw_ir_setelem *e,
			struct bw_nft_elem *el)
{
	el->dlen = bw_nft_mapcat_val(is, e->data, el->data);
}

/* The value of add @m { KEY : C1 . C2 }: each part an immediate into the
 * registers after the key's, as nft 1.0.6 places them: the 128-bit
 * register after the key where the value fits there, else (an IPv6 key
 * of three parts) the 32-bit register after the key, as later nft does. */
int bw_nft_mapcat_dynset(struct bw_nft_rctx *x, const struct bw_ir_set *set,
			 const uint8_t *dval, uint32_t klen, uint32_t *dreg)
{
	uint8_t v[BW_MAPCAT_MAX + 4] = { 0 };
	uint32_t len = bw_nft_mapcat_val(set, dval, v), r32, off = 0;

	if (*dreg <= NFT_REG_4 && (*dreg - NFT_REG_1) * 16 + len <= 64) {
		r32 = NFT_REG32_00 + (*dreg - NFT_REG_1) * 4;
	} else {
		r32 = NFT_REG32_00 + (klen + 3) / 4;
		*dreg = r32;
	}
	if (r32 + (len + 3) / 4 > NFT_REG32_15 + 1)
		return bw_nft_error(x->b, &set->loc, "the key and the value of map %s do not fit in the registers",
				    set->name);
	for (uint32_t k = 0; k < set->ndata; k++) {
		const struct bw_kfield *kf = bw_kfield_in(set->family, set->datacat[k]);
		struct nftnl_expr *e = bw_nft_expr(x, "immediate");

		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG,
				   k || *dreg >= NFT_REG32_00 ? r32 + off / 4 : *dreg);
		nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, v + off, kf->len);
		off += (kf->len + 3u) & ~3u;
	}
	return 0;
}
