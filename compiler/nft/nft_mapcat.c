// SPDX-License-Identifier: GPL-2.0-only
/*
 * A map whose values are concatenations (compiler/front/mapcat.h) as an
 * nf_tables set: the value type joins the parts' types as a key's does,
 * its length counts each part in whole 32-bit registers, as nft sends it.
 */
#include <errno.h>

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

void bw_nft_mapcat_elem(const struct bw_ir_set *is, const struct bw_ir_setelem *e,
			struct bw_nft_elem *el)
{
	uint32_t off = 0;

	for (uint32_t k = 0; k < is->ndata; k++) {
		struct bw_field g = *bw_field(is->datacat[k]);
		const struct bw_kfield *kf = bw_kfield_in(is->family, is->datacat[k]);

		g.shift = 0;
		bw_nft_kval(&g, kf, e->data + bw_mapcat_off(is, k), kf->host,
			    el->data + off);
		off += (kf->len + 3u) & ~3u;
	}
	el->dlen = off;
}
