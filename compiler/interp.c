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
#include <netinet/in.h>

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
	if ((v->exthdrs & f->need_ext) != f->need_ext)
		return false;
	if ((v->flags & f->need_flags) != f->need_flags)
		return false;
	return true;
}

/* What the run knows besides the frame (bw_interp_run_ctx). */
struct run {
	const struct bw_ir *ir;
	const struct bw_interp_ctx *c;
	struct bw_view v;
	/* the interfaces the chain being run has (NULL: none) */
	const char *iif, *oif;
};

/* An interface field: the name, or NULL where the hook has none. */
static const char *iface_of(const struct bw_field *f, const struct run *run)
{
	return f->src == BW_FS_IIF ? run->iif : run->oif;
}

/*
 * The field's value as f->size big-endian bytes: raw bytes for big-endian
 * fields, else the number (host order in the view, or big endian for a
 * bit field such as ip6 flowlabel), shifted and masked for sub-byte
 * fields, written out big endian.
 */
static void field_value(const struct bw_field *f, const struct bw_view *v,
			uint8_t out[BW_VAL_MAX])
{
	const uint8_t *src = (const uint8_t *)v + f->view_off;
	uint64_t x = 0;

	memset(out, 0, BW_VAL_MAX);
	if (f->big_endian && !f->shift && !f->bits) {
		memcpy(out, src, f->size);
		return;
	}
	if (f->big_endian) {
		for (unsigned i = 0; i < f->size && i < 8; i++)
			x = x << 8 | src[i];
	} else if (f->size == 1) {
		x = src[0];
	} else if (f->size == 2) {
		uint16_t t;

		memcpy(&t, src, 2);
		x = t;
	} else if (f->size == 4) {
		uint32_t t;

		memcpy(&t, src, 4);
		x = t;
	} else {	/* no host-order field is wider; keep bytes as they are */
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

/* The value of field f (f->size bytes), false where it is not there. */
static bool value_of(const struct run *run, const struct bw_field *f,
		     uint8_t *x)
{
	memset(x, 0, f->size);
	if (f->src != BW_FS_VIEW) {
		const char *name = iface_of(f, run);

		if (!name)
			return false;
		strncpy((char *)x, name, 15);
		return true;
	}
	if (!guard_holds(f, &run->v))
		return false;
	field_value(f, &run->v, x);
	return true;
}

/* A lookup's element: NULL when the key is not in the set, or a field of
 * the key is not there (*there false: the match fails either way). */
static const struct bw_ir_setelem *lookup(const struct run *run,
					  const struct bw_ir_match *m,
					  bool *there)
{
	const struct bw_ir_set *s = &run->ir->set[m->set];
	uint8_t key[BW_SET_KEY_MAX] = { 0 }, x[BW_VAL_MAX];

	*there = true;
	for (uint32_t k = 0; k < m->nfield; k++) {
		const struct bw_field *f = bw_field(m->fields[k]);

		if (!value_of(run, f, x)) {
			*there = false;
			return NULL;
		}
		memcpy(key + bw_ir_set_keyoff(s, k), x, f->size);
	}
	return bw_ir_set_find(s, key);
}

static bool match_holds(const struct run *run, const struct bw_ir_match *m)
{
	const struct bw_field *f = bw_field(m->field);
	uint8_t x[BW_VAL_MAX] = { 0 };

	if (m->lookup) {
		bool there;
		const struct bw_ir_setelem *e = lookup(run, m, &there);

		return there && (m->neg ? !e : !!e);
	}

	if (f->src != BW_FS_VIEW) {
		const char *name = iface_of(f, run);

		if (!name)
			return false;
		strncpy((char *)x, name, 15);
		return bw_ir_match_holds(m, x);
	}
	if (!guard_holds(f, &run->v))
		return false;
	field_value(f, &run->v, x);
	return bw_ir_match_holds(m, x);
}

/* limit rate (ir.h): within the rate, and the arrival time moves on. */
static bool within_rate(const struct run *run, uint32_t i)
{
	const struct bw_ir_limit *l = &run->ir->limit[i];
	uint64_t now = run->c->now_ns, *tat, base;

	if (!run->c->state || !run->c->state->limit)
		return true;
	tat = &run->c->state->limit[i];
	base = *tat > now ? *tat : now;
	if (base - now > l->slack)
		return false;
	*tat = base + l->cost;
	return true;
}

/* The leading matches, then the statements in order: does the rule get
 * to its verdict? */
static bool rule_matches(const struct run *run, const struct bw_ir_rule *r)
{
	uint32_t nlead = r->nstmt ? r->nlead : r->nmatch;

	for (uint32_t i = 0; i < nlead; i++)
		if (!match_holds(run, &r->match[i]))
			return false;
	for (uint32_t i = 0; i < r->nstmt; i++) {
		const struct bw_ir_stmt *s = &r->stmt[i];

		if (s->kind == BW_STMT_MATCH && !match_holds(run, &r->match[s->index]))
			return false;
		if (s->kind == BW_STMT_LIMIT &&
		    within_rate(run, s->index) == run->ir->limit[s->index].over)
			return false;
	}
	return true;
}

/* Does a reject answer this packet (emit_reject.c's rules)? */
static bool answers(const struct bw_view *v, const struct bw_ir_reject *r)
{
	bool l4 = v->flags & BW_VIEW_L4;

	if ((v->eth[0] & 1) || (v->l3 != 4 && v->l3 != 6))
		return false;
	if (r->kind == BW_REJECT_TCP_RST)
		return v->l4proto == IPPROTO_TCP && l4 && !(v->l4h[13] & 0x04);
	if ((r->kind == BW_REJECT_ICMP && v->l3 != 4) ||
	    (r->kind == BW_REJECT_ICMP6 && v->l3 != 6))
		return false;
	if (v->l3 == 4) {
		static const uint8_t errors[] = { 3, 4, 5, 11, 12 };

		if ((((v->l3h[6] << 8) | v->l3h[7]) & 0x1fff) || v->l3h[16] >= 224)
			return false;
		for (size_t i = 0; v->l4proto == IPPROTO_ICMP && l4 && i < sizeof(errors); i++)
			if (v->l4h[0] == errors[i])
				return false;
		return true;
	}
	if (((v->flags & BW_VIEW_FRAG) && !l4) || v->l3h[24] == 0xff)
		return false;
	return !(v->l4proto == IPPROTO_ICMPV6 && l4 && v->l4h[0] < 128);
}

/*
 * One chain, and the chains it jumps to: returns ACCEPT or DROP with
 * *handle the deciding rule, or RETURN when the chain ran out of rules or
 * returned (the caller goes on; a base chain's policy then decides).
 */
static enum bw_verdict run_chain(const struct run *run, uint32_t ci,
				 uint32_t *handle, unsigned depth)
{
	const struct bw_ir_chain *c = &run->ir->chain[ci];

	for (uint32_t i = 0; i < c->nrule; i++) {
		const struct bw_ir_rule *r = &c->rule[i];
		enum bw_verdict sub;

		enum bw_verdict v = r->verdict;
		uint32_t target = r->target;

		if (v == BW_VERDICT_CONTINUE || !rule_matches(run, r))
			continue;
		if (v == BW_VERDICT_VMAP) {
			bool there;
			const struct bw_ir_setelem *e = lookup(run, &r->vmap, &there);

			if (!e)
				continue;	/* not in the map: next rule */
			v = e->verdict;
			target = e->target;
		}
		switch (v) {
		case BW_VERDICT_CONTINUE:
			break;
		case BW_VERDICT_JUMP:
		case BW_VERDICT_GOTO:
			/* evaluate refuses loops and deeper nesting */
			if (depth >= BW_CHAIN_DEPTH_MAX)
				break;
			sub = run_chain(run, target, handle, depth + 1);
			if (sub != BW_VERDICT_RETURN || v == BW_VERDICT_GOTO)
				return sub;
			break;
		case BW_VERDICT_RETURN:
			return BW_VERDICT_RETURN;
		case BW_VERDICT_REJECT:
			*handle = r->handle;
			return answers(&run->v, &r->reject) ? BW_VERDICT_REJECT :
							      BW_VERDICT_DROP;
		default:
			*handle = r->handle;
			return v;
		}
	}
	return BW_VERDICT_RETURN;
}

/* A base chain: its rules, then its policy. */
static enum bw_verdict run_base(const struct run *run, uint32_t ci,
				uint32_t *handle)
{
	enum bw_verdict res = run_chain(run, ci, handle, 0);

	if (res != BW_VERDICT_RETURN)
		return res;
	*handle = 0;
	return run->ir->chain[ci].policy == BW_VERDICT_DROP ? BW_VERDICT_DROP :
							      BW_VERDICT_ACCEPT;
}

/* meta pkttype from the destination MAC (view.h): broadcast, multicast,
 * else this host (the interpreter knows no device address). */
static uint8_t pkttype_of(const struct bw_view *v)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (!memcmp(v->eth, bcast, 6))
		return 1;
	return v->eth[0] & 1 ? 2 : 0;
}

/* The chains idx[0, n) in order on run->v: the first drop or reject
 * decides, else the last chain's accept.  Returns true when it ended
 * the packet. */
static bool run_chains(struct run *run, const uint32_t *idx, uint32_t n,
		       enum bw_path path, bool per_hook,
		       struct bw_interp_result *res)
{
	const struct bw_interp_ctx *c = run->c;

	for (uint32_t i = 0; i < n; i++) {
		const struct bw_ir_chain *ch = &run->ir->chain[idx[i]];
		enum bw_verdict v;
		uint32_t handle;

		if (!family_sees(ch->family, &run->v))
			continue;
		/* a later fragment of a packet this chain accepted whole */
		if ((run->v.flags & BW_VIEW_FRAG_OK) &&
		    ch->family != BW_FAMILY_NETDEV) {
			res->chain = idx[i];
			continue;
		}
		if (per_hook) {
			run->iif = bw_path_has_iface(path, ch->hook, false) ? c->iif : NULL;
			run->oif = bw_path_has_iface(path, ch->hook, true) ? c->oif : NULL;
		}
		res->chain = idx[i];
		v = run_base(run, idx[i], &handle);
		res->handle = handle;
		if (v == BW_VERDICT_DROP || v == BW_VERDICT_REJECT) {
			res->verdict = v;
			return true;
		}
	}
	return false;
}

/* meta pkttype at a netfilter hook in a test run: what eth_type_trans
 * makes of the destination address against the loopback device's (all
 * zeros); the output hook's packet has no link layer: this host. */
static uint8_t nf_pkttype(const struct bw_view *v, enum bw_chain_hook h)
{
	static const uint8_t zero[6];
	uint8_t t = pkttype_of(v);

	if (h == BW_CHAIN_OUTPUT)
		return 0;
	return t || !memcmp(v->eth, zero, 6) ? t : 3;
}

/*
 * The netfilter path (bw_interp_ctx.nf): netdev ingress chains on the
 * frame, the IP chains on the packet from its network header, hook by
 * hook, netdev egress chains on the frame.
 */
static int run_nf_path(const struct bw_ir *ir, const struct bw_interp_ctx *c,
		       const uint8_t *pkt, size_t len,
		       struct bw_interp_result *res)
{
	struct run run = { .ir = ir, .c = c };
	enum bw_reason reason = BW_REASON_ETH_TRUNC;
	struct bw_view frame;
	uint32_t *idx, n, i = 0;
	bool frame_bad, ip;
	int err = 0;

	idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	n = bw_ir_chains_path(ir, c->path, c->iif, c->oif, idx);
	frame_bad = bw_view_parse(pkt, len, &frame, &reason) != 0;
	ip = len >= 14 && ((pkt[12] == 0x08 && pkt[13] == 0x00) ||
			   (pkt[12] == 0x86 && pkt[13] == 0xdd));
	for (uint32_t first = 0; first < n; first = i) {
		enum bw_chain_hook h = ir->chain[idx[first]].hook;
		bool netdev = bw_chain_hook_netdev(h);

		/* a run of chains one program runs: the netdev chains of a
		 * device, or the IP chains of one hook */
		for (i = first + 1; i < n; i++)
			if (bw_chain_hook_netdev(ir->chain[idx[i]].hook) != netdev ||
			    (!netdev && ir->chain[idx[i]].hook != h))
				break;
		if (netdev) {
			if (frame_bad)
				goto malformed;
			run.v = frame;
			run.v.mark = h == BW_CHAIN_EGRESS ? c->mark : 0;
			run.v.pkttype = pkttype_of(&run.v);
		} else {
			if (!ip)
				continue;	/* the IP hooks never see it */
			if (bw_view_parse_l3(pkt + 14, len - 14,
					     pkt[12] == 0x08 ? 0x0800 : 0x86dd,
					     &run.v, &reason))
				goto malformed;
			if (h != BW_CHAIN_OUTPUT)
				memcpy(run.v.eth, pkt, 14);
			run.v.mark = c->mark;
			run.v.pkttype = nf_pkttype(&run.v, h);
			run.v.ct_state = c->ct_force ? c->ct_force : BW_CT_INVALID;
		}
		if (run_chains(&run, idx + first, i - first, c->path, true, res))
			break;
		continue;
malformed:
		res->verdict = BW_VERDICT_DROP;
		res->malformed = true;
		res->reason = reason;
		break;
	}
	free(idx);
	return err;
}

int bw_interp_run_ctx(const struct bw_ir *ir, const struct bw_interp_ctx *c,
		      const uint8_t *pkt, size_t len, struct bw_interp_result *res)
{
	struct run run = { .ir = ir, .c = c };
	bool egress = c ? c->egress : false;
	const char *ifname = c ? c->ifname : NULL;
	enum bw_reason reason = BW_REASON_ETH_TRUNC;
	struct bw_ct_table fresh = { 0 }, *ct = NULL;
	struct bw_ct_pending pending = { 0 };
	uint32_t *idx, n;

	if (!ir || !res || !c || (!pkt && len))
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	res->verdict = BW_VERDICT_ACCEPT;
	res->chain = UINT32_MAX;
	if (c->use_path && c->nf)
		return run_nf_path(ir, c, pkt, len, res);
	if (c->use_path) {	/* the input or output chains at XDP, TC */
		if (c->path == BW_PATH_FORWARD)
			return -EOPNOTSUPP;
		egress = c->path == BW_PATH_OUT;
		ifname = egress ? c->oif : c->iif;
	}
	run.iif = egress ? NULL : ifname;
	run.oif = egress ? ifname : NULL;

	if (bw_view_parse(pkt, len, &run.v, &reason)) {
		res->verdict = BW_VERDICT_DROP;
		res->malformed = true;
		res->reason = reason;
		return 0;
	}
	run.v.mark = egress ? c->mark : 0;
	run.v.pkttype = pkttype_of(&run.v);
	if (c->ct_force) {
		run.v.ct_state = c->ct_force;
	} else if (bw_ir_uses_field(ir, BW_F_CT_STATE)) {
		ct = c->state ? &c->state->ct : &fresh;
		run.v.ct_state = bw_ct_track(ct, &run.v, pkt, (uint32_t)len,
					     c->now_ns, &pending);
		if (pending.frag_ok)
			run.v.flags |= BW_VIEW_FRAG_OK;
	}

	idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	n = bw_ir_chains_for(ir, egress, ifname, true, idx);
	run_chains(&run, idx, n, egress ? BW_PATH_OUT : BW_PATH_IN, false, res);
	if (ct && res->verdict == BW_VERDICT_ACCEPT)
		bw_ct_confirm(ct, &pending, c->now_ns);
	bw_ct_table_free(&fresh);
	free(idx);
	return 0;
}

void bw_interp_state_fini(struct bw_interp_state *s)
{
	free(s->limit);
	s->limit = NULL;
	bw_ct_table_free(&s->ct);
}

int bw_interp_run(const struct bw_ir *ir, bool egress, const char *ifname,
		  const uint8_t *pkt, size_t len, struct bw_interp_result *res)
{
	struct bw_interp_ctx c = { .egress = egress, .ifname = ifname };

	return bw_interp_run_ctx(ir, &c, pkt, len, res);
}
