// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reference interpreter: the meaning of an IR ruleset for one frame, from
 * the IR (ir.h), the fields table (fields.h) and the reference parser
 * (view.c).  Written for obviousness; the kernel program is tested against
 * it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"

/* Does a chain of this family see the packet?  (nft: ip sees IPv4 only,
 * ip6 IPv6 only, inet both, netdev everything.) */
static bool family_sees(enum bw_family fam, const struct bw_view *v)
{
	switch (fam) {
	case BW_FAMILY_NETDEV:
		return true;
	case BW_FAMILY_INET:
		return v->l3 == 4 || v->l3 == 6;
	case BW_FAMILY_IP:
		return v->l3 == 4;
	case BW_FAMILY_IP6:
		return v->l3 == 6;
	}
	return false;
}

static bool guard_holds(const struct bw_field *f, const struct bw_view *v)
{
	if (f->need_l3 && v->l3 != f->need_l3)
		return false;
	if (f->need_l4proto &&
	    (v->l4proto != f->need_l4proto || !(v->flags & BW_VIEW_L4)))
		return false;
	return true;
}

/*
 * The field's value as f->size big-endian bytes: raw bytes for big-endian
 * fields, else the host-order number (shifted and masked for sub-byte
 * fields) written out big endian.
 */
static void field_value(const struct bw_field *f, const struct bw_view *v,
			uint8_t out[BW_VAL_MAX])
{
	const uint8_t *src = (const uint8_t *)v + f->view_off;
	uint64_t x = 0;

	memset(out, 0, BW_VAL_MAX);
	if (f->big_endian) {
		memcpy(out, src, f->size);
		return;
	}
	switch (f->size) {
	case 1: {
		uint8_t t;

		memcpy(&t, src, 1);
		x = t;
		break;
	}
	case 2: {
		uint16_t t;

		memcpy(&t, src, 2);
		x = t;
		break;
	}
	case 4: {
		uint32_t t;

		memcpy(&t, src, 4);
		x = t;
		break;
	}
	default:	/* no host-order field is wider; keep bytes as they are */
		memcpy(out, src, f->size);
		return;
	}
	x >>= f->shift;
	if (f->bits && f->bits < 64)
		x &= (UINT64_C(1) << f->bits) - 1;
	for (int i = f->size - 1; i >= 0; i--) {
		out[i] = (uint8_t)x;
		x >>= 8;
	}
}

static bool elem_holds(const struct bw_ir_elem *e, const uint8_t *x,
		       unsigned size)
{
	uint8_t m[BW_VAL_MAX];

	for (unsigned i = 0; i < size; i++)
		m[i] = x[i] & e->mask[i];
	return memcmp(m, e->lo, size) >= 0 && memcmp(m, e->hi, size) <= 0;
}

static bool match_holds(const struct bw_ir_match *m, const struct bw_view *v)
{
	const struct bw_field *f = bw_field(m->field);
	uint8_t x[BW_VAL_MAX];
	bool any = false;

	if (!guard_holds(f, v))
		return false;
	field_value(f, v, x);
	for (uint32_t i = 0; i < m->nelem && !any; i++)
		any = elem_holds(&m->elem[i], x, f->size);
	return m->neg ? !any : any;
}

static bool rule_matches(const struct bw_ir_rule *r, const struct bw_view *v)
{
	for (uint32_t i = 0; i < r->nmatch; i++)
		if (!match_holds(&r->match[i], v))
			return false;
	return true;
}

/*
 * One chain, and the chains it jumps to: returns ACCEPT or DROP with
 * *handle the deciding rule, or RETURN when the chain ran out of rules or
 * returned (the caller goes on; a base chain's policy then decides).
 */
static enum bw_verdict run_chain(const struct bw_ir *ir, uint32_t ci,
				 const struct bw_view *v, uint32_t *handle,
				 unsigned depth)
{
	const struct bw_ir_chain *c = &ir->chain[ci];

	for (uint32_t i = 0; i < c->nrule; i++) {
		const struct bw_ir_rule *r = &c->rule[i];
		enum bw_verdict sub;

		if (r->verdict == BW_VERDICT_CONTINUE || !rule_matches(r, v))
			continue;
		switch (r->verdict) {
		case BW_VERDICT_JUMP:
		case BW_VERDICT_GOTO:
			/* evaluate refuses loops and deeper nesting */
			if (depth >= BW_CHAIN_DEPTH_MAX)
				break;
			sub = run_chain(ir, r->target, v, handle, depth + 1);
			if (sub != BW_VERDICT_RETURN || r->verdict == BW_VERDICT_GOTO)
				return sub;
			break;
		case BW_VERDICT_RETURN:
			return BW_VERDICT_RETURN;
		default:
			*handle = r->handle;
			return r->verdict;
		}
	}
	return BW_VERDICT_RETURN;
}

/* A base chain: its rules, then its policy. */
static enum bw_verdict run_base(const struct bw_ir *ir, uint32_t ci,
				const struct bw_view *v, uint32_t *handle)
{
	enum bw_verdict res = run_chain(ir, ci, v, handle, 0);

	if (res != BW_VERDICT_RETURN)
		return res;
	*handle = 0;
	return ir->chain[ci].policy == BW_VERDICT_DROP ? BW_VERDICT_DROP :
							 BW_VERDICT_ACCEPT;
}

int bw_interp_run(const struct bw_ir *ir, bool egress, const char *ifname,
		  const uint8_t *pkt, size_t len, struct bw_interp_result *res)
{
	struct bw_view v;
	enum bw_reason reason = BW_REASON_ETH_TRUNC;
	uint32_t *idx, n;

	if (!ir || !res || (!pkt && len))
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->verdict = BW_VERDICT_ACCEPT;
	res->chain = UINT32_MAX;

	if (bw_view_parse(pkt, len, &v, &reason)) {
		res->verdict = BW_VERDICT_DROP;
		res->malformed = true;
		res->reason = reason;
		return 0;
	}

	idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	n = bw_ir_chains_for(ir, egress, ifname, idx);
	for (uint32_t i = 0; i < n; i++) {
		const struct bw_ir_chain *c = &ir->chain[idx[i]];
		uint32_t handle;

		if (!family_sees(c->family, &v))
			continue;
		res->chain = idx[i];
		if (run_base(ir, idx[i], &v, &handle) == BW_VERDICT_DROP) {
			res->verdict = BW_VERDICT_DROP;
			res->handle = handle;
			break;
		}
		res->handle = handle;
	}
	free(idx);
	return 0;
}
