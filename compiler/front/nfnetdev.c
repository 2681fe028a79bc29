// SPDX-License-Identifier: GPL-2.0-only
/*
 * Netdev chains that nf_tables' netdev family runs (nfnetdev.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "evaluate.h"
#include "nfnetdev.h"

bool bw_nfnetdev_field(enum bw_field_id f)
{
	switch (f) {
	case BW_F_META_SKUID:
	case BW_F_META_SKGID:
	case BW_F_META_PRIORITY:
	case BW_F_META_IIFGROUP:
	case BW_F_META_OIFGROUP:
	case BW_F_META_IIFTYPE:
	case BW_F_META_OIFTYPE:
	case BW_F_META_CGROUP:
	case BW_F_META_RANDOM:
	case BW_F_META_TIME:
	case BW_F_META_HOUR:
	case BW_F_META_DAY:
	case BW_F_META_RTCLASSID:
	case BW_F_TUNNEL_PATH:
	case BW_F_TUNNEL_ID:
		return true;
	default:
		return false;
	}
}

bool bw_nfnetdev_mark(struct bw_eval *ev, const struct bw_loc *loc)
{
	struct bw_ir_chain *ch;

	if (!ev->ir || !ev->chain1 || ev->chain1 > ev->ir->nchain)
		return false;
	ch = &ev->ir->chain[ev->chain1 - 1];
	if (ch->family != BW_FAMILY_NETDEV)
		return false;
	if (!ch->nft)
		ch->nft_why = *loc;
	ch->nft = true;
	return true;
}

struct reach {
	const struct bw_ir *ir;
	bool *seen;
	int32_t found;		/* a chain with the flag, or -1 */
};

static void reach_chain(struct reach *w, uint32_t c);

static void reach_edge(void *arg, uint32_t t, bool jump)
{
	(void)jump;
	reach_chain(arg, t);
}

static void reach_chain(struct reach *w, uint32_t c)
{
	const struct bw_ir_chain *ch;

	if (c >= w->ir->nchain || w->seen[c] || w->found >= 0)
		return;
	ch = &w->ir->chain[c];
	w->seen[c] = true;
	if (ch->nft) {
		w->found = (int32_t)c;
		return;
	}
	for (uint32_t r = 0; r < ch->nrule && w->found < 0; r++)
		bw_ir_rule_targets(w->ir, &ch->rule[r], reach_edge, w);
}

/* The chain with the flag that netdev chain c reaches (c itself
 * first), or -1. */
static int32_t reached(const struct bw_ir *ir, uint32_t c, bool *seen)
{
	struct reach w = { .ir = ir, .seen = seen, .found = -1 };

	for (uint32_t i = 0; i < ir->nchain; i++)
		seen[i] = false;
	reach_chain(&w, c);
	return w.found;
}

int bw_nfnetdev_spread(struct bw_ir *ir)
{
	bool *seen = calloc(ir->nchain ? ir->nchain : 1, sizeof(*seen));

	if (!seen)
		return -ENOMEM;
	for (uint32_t c = 0; c < ir->nchain; c++) {
		struct bw_ir_chain *ch = &ir->chain[c];
		int32_t t;

		if (ch->family != BW_FAMILY_NETDEV || ch->hook == BW_CHAIN_NONE ||
		    ch->nft)
			continue;
		t = reached(ir, c, seen);
		if (t < 0)
			continue;
		ch->nft = true;
		ch->nft_why = ir->chain[t].nft_why;
	}
	free(seen);
	return 0;
}

const struct bw_loc *bw_nfnetdev_why(const struct bw_ir *ir, uint32_t c)
{
	if (c >= ir->nchain || !ir->chain[c].nft)
		return NULL;
	return &ir->chain[c].nft_why;
}

uint32_t bw_nfnetdev_bpf_only(const struct bw_ir *ir, uint32_t *idx, uint32_t n)
{
	uint32_t k = 0;

	for (uint32_t i = 0; i < n; i++)
		if (idx[i] >= ir->nchain || !ir->chain[idx[i]].nft)
			idx[k++] = idx[i];
	return k;
}
