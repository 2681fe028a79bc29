// SPDX-License-Identifier: GPL-2.0-only
/*
 * add, update @MAP { KEY : VALUE } (compiler/front/mapadd.h) as
 * nf_tables' dynset: the key from register 1, the value in the 128-bit
 * register after it (as nft 1.0.6 places it), then the dynset naming
 * the map with both registers.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>

#include "compiler/front/dynset.h"
#include "nft_int.h"

/* The value (a field or a constant of the map's value type) into reg. */
static int value(struct bw_nft_rctx *x, const struct bw_ir_dynset *d,
		 const struct bw_ir_set *set, uint32_t reg)
{
	const struct bw_kfield *dk = bw_kfield_in(set->family, set->data);
	struct bw_field g;
	struct nftnl_expr *e;
	uint8_t v[16] = { 0 };

	if (d->data == BW_DYNSET_DATA_FIELD) {
		struct bw_ir_match m = { .lookup = true, .nfield = 1,
					 .loc = d->dloc };
		struct bw_ir_set one = { .name = set->name, .family = set->family,
					 .nkey = 1, .key = { d->dfield } };

		m.fields[0] = d->dfield;
		m.field = d->dfield;
		return bw_nft_keys_at(x, &m, &one, reg);
	}
	if (!dk)
		return bw_nft_error(x->b, &d->dloc, "a map to %s has no exact nf_tables form",
				    bw_field(set->data)->name);
	g = *bw_field(set->data);
	g.shift = 0;
	bw_nft_kval(&g, dk, d->dval, dk->host, v);
	e = bw_nft_expr(x, "immediate");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, v, dk->len);
	return 0;
}

int bw_nft_dynset(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir *ir = x->b->ir;
	const struct bw_ir_dynset *d = &ir->dynset[s->index];
	const struct bw_ir_set *set = &ir->set[d->key.set];
	struct nftnl_set *ns = x->b->set_obj[d->key.set];
	uint32_t klen = 0, dreg;
	struct nftnl_expr *e;
	int rc;

	if (!ns)
		return bw_nft_error(x->b, &s->loc, "map %s is not in the nf_tables plan",
				    set->name);
	for (uint32_t k = 0; k < set->nkey; k++) {
		const struct bw_kfield *kf = bw_kfield_in(set->family, set->key[k]);

		klen += kf ? (kf->len + 3u) & ~3u : 4u;
	}
	dreg = NFT_REG_1 + (klen + 15) / 16;
	if (dreg > NFT_REG_4)
		return bw_nft_error(x->b, &s->loc, "the key of map %s is too long for a value register after it",
				    set->name);
	rc = bw_nft_keys(x, &d->key, set);
	if (!rc && set->ndata > 1)	/* a concatenation (nft_mapcat.c) */
		rc = bw_nft_mapcat_dynset(x, set, d->dval, klen, &dreg);
	else if (!rc)
		rc = value(x, d, set, dreg);
	if (rc)
		return rc;
	e = bw_nft_expr(x, "dynset");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_KEY, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SREG_DATA, dreg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_OP,
			   d->op == BW_DYNSET_ADD ? NFT_DYNSET_OP_ADD :
			   NFT_DYNSET_OP_UPDATE);
	nftnl_expr_set_str(e, NFTNL_EXPR_DYNSET_SET_NAME,
			   nftnl_set_get_str(ns, NFTNL_SET_NAME));
	nftnl_expr_set_u32(e, NFTNL_EXPR_DYNSET_SET_ID,
			   nftnl_set_get_u32(ns, NFTNL_SET_ID));
	return x->b->oom ? -ENOMEM : 0;
}
