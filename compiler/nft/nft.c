// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nf_tables plan (nft.h): which chains and sets go, their names in
 * bpfwall's tables, the tables and chains, and each rule: its matches
 * (nft_match.c), statements and verdict, its handle in its userdata.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libnftnl/udata.h>

#include "compiler/front/evaluate.h"
#include "compiler/front/nat.h"
#include "compiler/front/valexpr.h"
#include "nft_int.h"

#define NSEC_PER_SEC	1000000000ull

int bw_nft_error(struct bw_nft_bld *b, const struct bw_loc *loc,
		 const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	bw_error(b->d, loc, "%s", msg ? msg : "out of memory");
	free(msg);
	b->nerrors++;
	return -EINVAL;
}

static uint32_t nfproto(enum bw_family f)
{
	switch (f) {
	case BW_FAMILY_INET:	return NFPROTO_INET;
	case BW_FAMILY_IP:	return NFPROTO_IPV4;
	case BW_FAMILY_IP6:	return NFPROTO_IPV6;
	case BW_FAMILY_NETDEV:	return NFPROTO_NETDEV;
	case BW_FAMILY_BRIDGE:	return NFPROTO_BRIDGE;
	case BW_FAMILY_ARP:	return NFPROTO_ARP;
	}
	return NFPROTO_UNSPEC;
}

/* ---- growing the plan's arrays ---- */

static void *grow(struct bw_nft_bld *b, void *v, uint32_t n, uint32_t *cap,
		  size_t size)
{
	uint32_t c;

	if (n < *cap)
		return v;
	c = *cap ? *cap * 2 : 16;
	v = reallocarray(v, c, size);
	if (!v) {
		b->oom = true;
		return NULL;
	}
	*cap = c;
	return v;
}

/* ---- expressions ---- */

struct nftnl_expr *bw_nft_expr(struct bw_nft_rctx *x, const char *name)
{
	struct nftnl_expr *e = nftnl_expr_alloc(name);

	if (!e) {
		x->b->oom = true;
		x->failed = true;
		return NULL;
	}
	nftnl_rule_add_expr(x->r, e);
	return e;
}

void bw_nft_cmp(struct bw_nft_rctx *x, uint32_t reg, uint32_t op,
		const void *data, uint32_t len)
{
	struct nftnl_expr *e = bw_nft_expr(x, "cmp");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
}

void bw_nft_bitwise(struct bw_nft_rctx *x, uint32_t reg, const uint8_t *mask,
		    uint32_t len)
{
	static const uint8_t zero[16];
	struct nftnl_expr *e = bw_nft_expr(x, "bitwise");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, zero, len);
}

void bw_nft_meta(struct bw_nft_rctx *x, uint32_t key, uint32_t reg)
{
	struct nftnl_expr *e = bw_nft_expr(x, "meta");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, reg);
}

void bw_nft_lookup(struct bw_nft_rctx *x, uint32_t reg, struct nftnl_set *s,
		   bool inv, bool vmap)
{
	struct nftnl_expr *e = bw_nft_expr(x, "lookup");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, reg);
	if (vmap)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET,
			   nftnl_set_get_str(s, NFTNL_SET_NAME));
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID,
			   nftnl_set_get_u32(s, NFTNL_SET_ID));
	if (inv)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_FLAGS, NFT_LOOKUP_F_INV);
}

void bw_nft_ifref(struct bw_nft_bld *b, struct nftnl_expr *cmp,
		  struct nftnl_set_elem *elem, uint32_t off, const char *name,
		  const struct bw_loc *loc)
{
	struct bw_nft_plan *p = b->p;
	struct bw_nft_ifref *v = grow(b, p->ifrefs, p->nifref, &p->cap_ifref,
				      sizeof(*v));

	if (!v)
		return;
	p->ifrefs = v;
	v = &p->ifrefs[p->nifref++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->cmp = cmp;
	v->elem = elem;
	v->off = off;
	if (loc)
		v->loc = *loc;
}

void bw_nft_ifref_data(struct bw_nft_bld *b, struct nftnl_set_elem *x,
		       const char *name, const struct bw_loc *loc)
{
	uint32_t n = b->p->nifref;

	bw_nft_ifref(b, NULL, x, 0, name, loc);
	if (b->p->nifref > n)
		b->p->ifrefs[n].data = true;
}

/* ---- statements and verdicts ---- */

static void counter(struct bw_nft_rctx *x, const struct bw_ir_rule *r)
{
	struct nftnl_expr *e = bw_nft_expr(x, "counter");

	if (!e)
		return;
	nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, r->counter_packets);
	nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, r->counter_bytes);
}

static void log_stmt(struct bw_nft_rctx *x, const struct bw_ir_log *l)
{
	struct nftnl_expr *e = bw_nft_expr(x, "log");

	if (!e)
		return;
	if (l->prefix)
		nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, l->prefix);
	if (l->level != 4 && l->group < 0)	/* warn: the kernel's default */
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, l->level);
	if (l->group >= 0)
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, (uint16_t)l->group);
	if (l->snaplen)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, l->snaplen);
	if (l->qthreshold)
		nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD, (uint16_t)l->qthreshold);
	if (l->flags)
		nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_FLAGS, l->flags);
}

/*
 * limit: the IR keeps nft's token bucket as cost (ns a packet) and slack;
 * nf_tables wants rate, unit and burst, of which it computes cost =
 * unit * 1 s / rate and a bucket of cost * burst.  The smallest unit for
 * which a whole rate gives the same cost exactly gives the same limit.
 */
static int limit_stmt(struct bw_nft_rctx *x, const struct bw_ir_limit *l,
		      const struct bw_loc *loc)
{
	static const uint64_t units[] = { 1, 60, 3600, 86400, 604800 };
	struct nftnl_expr *e;

	if (l->bytes) {
		e = bw_nft_expr(x, "limit");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, l->rate);
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, l->unit);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, l->burst);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKT_BYTES);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS,
				   l->over ? NFT_LIMIT_F_INV : 0);
		return 0;
	}
	if (!l->cost || l->slack % l->cost || l->slack / l->cost >= UINT32_MAX)
		return bw_nft_error(x->b, loc, "this limit has no exact nf_tables form");
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		uint64_t ns = units[i] * NSEC_PER_SEC;
		uint64_t rate = (ns + l->cost / 2) / l->cost;

		for (uint64_t r = rate ? rate - 1 : 1; r <= rate + 1; r++) {
			if (!r || ns / r != l->cost)
				continue;
			e = bw_nft_expr(x, "limit");
			if (!e)
				return -ENOMEM;
			nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, r);
			nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, units[i]);
			nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST,
					   (uint32_t)(l->slack / l->cost + 1));
			nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
			nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS,
					   l->over ? NFT_LIMIT_F_INV : 0);
			return 0;
		}
	}
	return bw_nft_error(x->b, loc, "this limit has no exact nf_tables form");
}

static int quota_stmt(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir_quota *q;
	struct nftnl_expr *e;

	if (s->index >= x->b->ir->nquota)
		return bw_nft_error(x->b, &s->loc, "unknown quota");
	q = &x->b->ir->quota[s->index];
	e = bw_nft_expr(x, "quota");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u64(e, NFTNL_EXPR_QUOTA_BYTES, q->bytes);
	nftnl_expr_set_u64(e, NFTNL_EXPR_QUOTA_CONSUMED, q->used);
	nftnl_expr_set_u32(e, NFTNL_EXPR_QUOTA_FLAGS, q->over ? NFT_QUOTA_F_INV : 0);
	return 0;
}

/* ICMPX codes: the IR keeps the ICMP and the ICMPv6 code. */
static int icmpx_code(const struct bw_ir_reject *rj)
{
	static const struct { uint8_t code, code6, x; } map[] = {
		{ 3, 4, NFT_REJECT_ICMPX_PORT_UNREACH },
		{ 13, 1, NFT_REJECT_ICMPX_ADMIN_PROHIBITED },
		{ 0, 0, NFT_REJECT_ICMPX_NO_ROUTE },
		{ 1, 3, NFT_REJECT_ICMPX_HOST_UNREACH },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].code == rj->code && map[i].code6 == rj->code6)
			return map[i].x;
	return -1;
}

static int reject(struct bw_nft_rctx *x, const struct bw_ir_rule *r)
{
	const struct bw_ir_reject *rj = &r->reject;
	struct nftnl_expr *e;
	int code = rj->code;
	uint32_t type;

	switch (rj->kind) {
	case BW_REJECT_TCP_RST:
		type = NFT_REJECT_TCP_RST;
		code = -1;
		break;
	case BW_REJECT_ICMP:
	case BW_REJECT_ICMP6:
		type = NFT_REJECT_ICMP_UNREACH;
		break;
	case BW_REJECT_ICMPX:
		type = NFT_REJECT_ICMPX_UNREACH;
		code = icmpx_code(rj);
		if (code < 0)
			return bw_nft_error(x->b, &r->verdict_loc,
					    "this reject has no icmpx code in nf_tables");
		break;
	default:
		return bw_nft_error(x->b, &r->verdict_loc, "unknown reject");
	}
	e = bw_nft_expr(x, "reject");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_REJECT_TYPE, type);
	if (code >= 0)
		nftnl_expr_set_u8(e, NFTNL_EXPR_REJECT_CODE, (uint8_t)code);
	return 0;
}

static int queue(struct bw_nft_rctx *x, const struct bw_ir_rule *r)
{
	const struct bw_ir_queue *q;
	struct nftnl_expr *e;

	if (r->nat >= x->b->ir->nqueue)
		return bw_nft_error(x->b, &r->verdict_loc, "unknown queue");
	q = &x->b->ir->queue[r->nat];
	if (q->vexpr) {		/* queue to numgen ...: the number in reg 1 */
		if (q->vx >= x->b->ir->nvexpr ||
		    bw_nft_vexpr(x, &x->b->ir->vexpr[q->vx], &r->verdict_loc))
			return -EINVAL;
		e = bw_nft_expr(x, "queue");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_QUEUE_SREG_QNUM, NFT_REG_1);
		if (q->flags)
			nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, q->flags);
		return 0;
	}
	e = bw_nft_expr(x, "queue");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_NUM, q->lo);
	nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_TOTAL, (uint16_t)(q->hi - q->lo + 1));
	if (q->flags)
		nftnl_expr_set_u16(e, NFTNL_EXPR_QUEUE_FLAGS, q->flags);
	return 0;
}

static void immediate(struct bw_nft_rctx *x, int verdict, const char *chain)
{
	struct nftnl_expr *e = bw_nft_expr(x, "immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	if (chain)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, chain);
}

/* The lookup of r->vmap, the element's verdict its result. */
static int vmap_lookup(struct bw_nft_rctx *x, const struct bw_ir_rule *r)
{
	struct nftnl_set *s = bw_nft_ir_set(x->b, r->vmap.set, x->table);
	int rc;

	if (!s)
		return -EINVAL;
	rc = bw_nft_keys(x, &r->vmap, &x->b->ir->set[r->vmap.set]);
	if (rc)
		return rc;
	bw_nft_lookup(x, NFT_REG_1, s, false, true);
	return 0;
}

static int verdict(struct bw_nft_rctx *x, const struct bw_ir_rule *r)
{
	switch (r->verdict) {
	case BW_VERDICT_CONTINUE:
		return 0;
	case BW_VERDICT_ACCEPT:
		immediate(x, NF_ACCEPT, NULL);
		return 0;
	case BW_VERDICT_DROP:
		immediate(x, NF_DROP, NULL);
		return 0;
	case BW_VERDICT_RETURN:
		immediate(x, NFT_RETURN, NULL);
		return 0;
	case BW_VERDICT_JUMP:
	case BW_VERDICT_GOTO:
		immediate(x, r->verdict == BW_VERDICT_JUMP ? NFT_JUMP : NFT_GOTO,
			  x->b->chain_name[r->target]);
		return 0;
	case BW_VERDICT_VMAP:
		return vmap_lookup(x, r);
	case BW_VERDICT_REJECT:
		return reject(x, r);
	case BW_VERDICT_NAT:
		return bw_nft_nat(x, r);
	case BW_VERDICT_QUEUE:
		return queue(x, r);
	}
	return bw_nft_error(x->b, &r->verdict_loc, "unknown verdict");
}

static int add_rule(struct bw_nft_bld *b, struct nftnl_rule *r,
		    uint32_t handle, const struct bw_loc *loc)
{
	struct bw_nft_plan *p = b->p;
	struct bw_nft_rule *v = grow(b, p->rules, p->nrule, &p->cap_rule,
				     sizeof(*v));

	if (!v) {
		nftnl_rule_free(r);
		return -ENOMEM;
	}
	p->rules = v;
	v[p->nrule].r = r;
	v[p->nrule].handle = handle;
	memset(&v[p->nrule].loc, 0, sizeof(v[p->nrule].loc));
	if (loc)
		v[p->nrule].loc = *loc;
	p->nrule++;
	return 0;
}

static struct nftnl_rule *rule_new(struct bw_nft_plan *p, enum bw_family fam,
				   const char *chain, uint32_t handle)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_udata_buf *u;

	if (!r)
		return NULL;
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, nfproto(fam));
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, p->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	if (!handle)
		return r;
	u = nftnl_udata_buf_alloc(16);
	if (!u || !nftnl_udata_put_u32(u, BW_NFT_UDATA_HANDLE, handle)) {
		nftnl_udata_buf_free(u);
		nftnl_rule_free(r);
		return NULL;
	}
	nftnl_rule_set_data(r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u),
			    nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return r;
}

static int rule(struct bw_nft_bld *b, const struct bw_ir_chain *c,
		const struct bw_ir_rule *ir_rule, const char *chain)
{
	uint32_t hooks = b->hooks[c - b->ir->chain], dep = UINT32_MAX;
	struct bw_nft_rctx x = {
		.b = b, .fam = c->family, .table = c->table,
		.l3 = c->family == BW_FAMILY_IP ? 4 :
		      c->family == BW_FAMILY_IP6 ? 6 : 0,
	};
	int rc = 0;

	/* the kernel refuses reject where no route is left to answer by */
	if (ir_rule->verdict == BW_VERDICT_REJECT &&
	    (hooks & (1u << BW_CHAIN_POSTROUTING)))
		return bw_nft_error(b, &ir_rule->verdict_loc,
				    "nf_tables cannot reject at the postrouting hook (chain %s runs there)",
				    c->name);
	/* a nat statement in a user chain: at every hook that reaches it */
	for (uint32_t h = 0; ir_rule->verdict == BW_VERDICT_NAT &&
	     ir_rule->nat < b->ir->nnat && h < 32; h++) {
		uint8_t kind = b->ir->nat[ir_rule->nat].kind;

		if ((hooks & (1u << h)) && !bw_nat_hook_ok(kind, (enum bw_chain_hook)h))
			return bw_nft_error(b, &ir_rule->verdict_loc,
					    "%s is only valid at hooks %s (chain %s runs at %s)",
					    bw_nat_kind_name(kind), bw_nat_hooks(kind),
					    c->name, bw_chain_hook_name((enum bw_chain_hook)h));
	}
	/* tproxy, synproxy in a user chain: at every hook that reaches it */
	for (uint32_t i = 0; i < ir_rule->nstmt; i++)
		if (bw_nft_proxy_hooks(b, &ir_rule->stmt[i], hooks, c->name))
			return -EINVAL;
	/* ipsec in|out: at the hooks of its direction only */
	if (bw_nft_xfrm_hooks(b, c, ir_rule, hooks))
		return -EINVAL;
	x.r = rule_new(b->p, c->family, chain, ir_rule->handle);
	if (!x.r)
		return -ENOMEM;
	/* nft tests reject's implicit dependency first: the leading
	 * matches are pure, so their order is free */
	for (uint32_t i = 0; i < ir_rule->nlead; i++)
		if (ir_rule->verdict == BW_VERDICT_REJECT &&
		    !memcmp(&ir_rule->match[i].loc, &ir_rule->verdict_loc,
			    sizeof(struct bw_loc))) {
			dep = i;
			rc = bw_nft_match(&x, &ir_rule->match[i]);
			break;
		}
	for (uint32_t i = 0; i < ir_rule->nlead && !rc; i++)
		if (i != dep)
			rc = bw_nft_match(&x, &ir_rule->match[i]);
	if (!rc && !ir_rule->nstmt && ir_rule->counter)
		counter(&x, ir_rule);
	for (uint32_t i = 0; i < ir_rule->nstmt && !rc; i++) {
		const struct bw_ir_stmt *s = &ir_rule->stmt[i];

		/* the vmap, then the statements after it (its elements'
		 * continue runs them, as nft has it) */
		if (i == ir_rule->nstmt - ir_rule->nafter && ir_rule->nafter &&
		    (rc = vmap_lookup(&x, ir_rule)))
			break;

		switch (s->kind) {
		case BW_STMT_MATCH:
			rc = bw_nft_match(&x, &ir_rule->match[s->index]);
			break;
		case BW_STMT_COUNTER:
			counter(&x, ir_rule);
			break;
		case BW_STMT_LOG:
			log_stmt(&x, &b->ir->log[s->index]);
			break;
		case BW_STMT_LIMIT:
			rc = limit_stmt(&x, &b->ir->limit[s->index], &s->loc);
			break;
		case BW_STMT_SETF:
			rc = bw_nft_setf(&x, s);
			break;
		case BW_STMT_NOTRACK:
			rc = bw_nft_expr(&x, "notrack") ? 0 : -ENOMEM;
			break;
		case BW_STMT_QUOTA:
			rc = quota_stmt(&x, s);
			break;
		case BW_STMT_OBJREF:
			rc = bw_nft_objref(&x, s);
			break;
		case BW_STMT_LAST:
			rc = bw_nft_last(&x, s);
			break;
		case BW_STMT_HDRSET:
			rc = bw_nft_hdrset(&x, s);
			break;
		case BW_STMT_TPROXY:
			rc = bw_nft_tproxy(&x, s);
			break;
		case BW_STMT_SYNPROXY:
			rc = bw_nft_synproxy(&x, s);
			break;
		case BW_STMT_DUP:
			rc = bw_nft_dup(&x, s);
			break;
		case BW_STMT_FWD:
			rc = bw_nft_fwd(&x, s);
			break;
		case BW_STMT_FLOW:
			rc = bw_nft_flow(&x, s);
			break;
		case BW_STMT_DYNSET:
			if (s->index < b->ir->ndynset &&
			    b->ir->dynset[s->index].data) {
				rc = bw_nft_dynset(&x, s);	/* a map */
				break;
			}
			rc = bw_nft_error(b, &s->loc, "this chain runs in nf_tables (a rule of it rejects, nats, sets a field or uses a named object, or its family is bridge or arp), and a rule's add, update or delete changes a set that lives in BPF: not supported there");
			break;
		}
	}
	if (!rc && ir_rule->vmap_then && !ir_rule->nafter)
		rc = vmap_lookup(&x, ir_rule);	/* right before the verdict */
	if (!rc && !(ir_rule->verdict == BW_VERDICT_VMAP && ir_rule->nafter))
		rc = verdict(&x, ir_rule);
	if (!rc && (x.failed || b->oom))
		rc = -ENOMEM;
	if (rc) {
		nftnl_rule_free(x.r);
		return rc;
	}
	return add_rule(b, x.r, ir_rule->handle, &ir_rule->loc);
}

/* A set that rules change in BPF (add, update, delete @s): its copy in
 * nf_tables would not see the changes; an error (true) when a chain
 * nf_tables runs looks it up. */
static bool changed_by_rules(struct bw_nft_bld *b, uint32_t si)
{
	const struct bw_ir_set *is = &b->ir->set[si];

	for (uint32_t i = 0; i < b->ir->ndynset; i++)
		if (b->ir->dynset[i].key.set == si && !b->ir->dynset[i].data) {
			bw_nft_error(b, &is->loc, "set %s changes from rules (add, update, delete @%s) in BPF, and a chain nf_tables runs looks it up: not supported (its copy there would not see the changes)",
				     is->name, is->name);
			return true;
		}
	return false;
}

/* ---- tables and chains ---- */

static int table_add(struct bw_nft_bld *b, enum bw_family fam)
{
	struct bw_nft_plan *p = b->p;
	struct nftnl_table *t;

	if (p->families & (1u << fam))
		return 0;
	t = nftnl_table_alloc();
	if (!t)
		return -ENOMEM;
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, nfproto(fam));
	nftnl_table_set_str(t, NFTNL_TABLE_NAME, p->table);
	nftnl_table_set_u32(t, NFTNL_TABLE_FLAGS, 0);
	p->tables[p->ntable++] = t;
	p->families |= 1u << fam;
	return 0;
}

static int chain_add(struct bw_nft_bld *b, struct nftnl_chain *c)
{
	struct bw_nft_plan *p = b->p;
	struct nftnl_chain **v = grow(b, p->chains, p->nchain, &p->cap_chain,
				      sizeof(*v));

	if (!v) {
		nftnl_chain_free(c);
		return -ENOMEM;
	}
	p->chains = v;
	v[p->nchain++] = c;
	return 0;
}

static int hooknum(enum bw_chain_hook h)
{
	switch (h) {
	case BW_CHAIN_PREROUTING:	return NF_INET_PRE_ROUTING;
	case BW_CHAIN_INPUT:		return NF_INET_LOCAL_IN;
	case BW_CHAIN_FORWARD:		return NF_INET_FORWARD;
	case BW_CHAIN_OUTPUT:		return NF_INET_LOCAL_OUT;
	case BW_CHAIN_POSTROUTING:	return NF_INET_POST_ROUTING;
	default:			return -1;
	}
}

static int chain(struct bw_nft_bld *b, uint32_t ci)
{
	const struct bw_ir_chain *ic = &b->ir->chain[ci];
	struct nftnl_chain *c = nftnl_chain_alloc();

	if (!c)
		return -ENOMEM;
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, nfproto(ic->family));
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, b->p->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, b->chain_name[ci]);
	if (ic->hook != BW_CHAIN_NONE) {
		/* the arp family's hooks: NF_ARP_IN 0, NF_ARP_OUT 1 (the
		 * bridge family's are numbered as the IP hooks) */
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM,
				    ic->family == BW_FAMILY_ARP ?
				    (ic->hook == BW_CHAIN_OUTPUT ? 1u : 0u) :
				    ic->family == BW_FAMILY_NETDEV ?
				    (ic->hook == BW_CHAIN_EGRESS ?
				     NF_NETDEV_EGRESS : NF_NETDEV_INGRESS) :
				    (uint32_t)hooknum(ic->hook));
		if (ic->family == BW_FAMILY_NETDEV && ic->device && ic->nmore_dev) {
			/* devices = { a, b, ... }: all of them, as nft sends */
			const char **devs = calloc(ic->nmore_dev + 2, sizeof(*devs));

			if (!devs) {
				nftnl_chain_free(c);
				return -ENOMEM;
			}
			devs[0] = ic->device;
			for (uint32_t i = 0; i < ic->nmore_dev; i++)
				devs[i + 1] = ic->more_dev[i];
			nftnl_chain_set_array(c, NFTNL_CHAIN_DEVICES, devs);
			free(devs);
		} else if (ic->family == BW_FAMILY_NETDEV && ic->device) {
			nftnl_chain_set_str(c, NFTNL_CHAIN_DEV, ic->device);
		}
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, ic->priority);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE,
				    ic->type == BW_CHAIN_TYPE_NAT ? "nat" : "filter");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY,
				    ic->policy == BW_VERDICT_DROP ? NF_DROP : NF_ACCEPT);
	}
	return chain_add(b, c);
}

/* A set statement's value looked up in a named map of data: the map
 * goes too. */
static void setf_map_on(struct bw_nft_bld *b, uint32_t index)
{
	const struct bw_ir_setf *sf = index < b->ir->nsetf ? &b->ir->setf[index] : NULL;
	const struct bw_ir_vexpr *v = sf && sf->vexpr && sf->vx < b->ir->nvexpr ?
				      &b->ir->vexpr[sf->vx] : NULL;

	if (v && v->named && v->named - 1 < b->ir->nset)
		b->set_on[v->named - 1] = true;
}

/* ---- what goes: chains, sets, names ---- */


static void select_chain(struct bw_nft_bld *b, uint32_t c, uint32_t hooks);

struct reach_arg {
	struct bw_nft_bld *b;
	uint32_t hooks;
};

static void reach_edge(void *arg, uint32_t chain, bool jump)
{
	const struct reach_arg *a = arg;

	(void)jump;
	select_chain(a->b, chain, a->hooks);
}

static void select_chain(struct bw_nft_bld *b, uint32_t c, uint32_t hooks)
{
	const struct bw_ir_chain *ch = &b->ir->chain[c];
	struct reach_arg a = { .b = b };

	/* again when it runs at a hook more */
	if (b->chain_on[c] && !(hooks & ~b->hooks[c]))
		return;
	b->chain_on[c] = true;
	b->hooks[c] |= hooks;
	a.hooks = b->hooks[c];
	for (uint32_t r = 0; r < ch->nrule; r++) {
		const struct bw_ir_rule *rule = &ch->rule[r];

		bw_ir_rule_targets(b->ir, rule, reach_edge, &a);
		for (uint32_t m = 0; m < rule->nmatch; m++)
			if (rule->match[m].lookup && rule->match[m].set < b->ir->nset)
				b->set_on[rule->match[m].set] = true;
		if (bw_ir_rule_vmap(rule) && rule->vmap.set < b->ir->nset)
			b->set_on[rule->vmap.set] = true;
		for (uint32_t i = 0; i < rule->nstmt; i++)	/* map @NAME */
			if (rule->stmt[i].kind == BW_STMT_SETF)
				setf_map_on(b, rule->stmt[i].index);
			else if (rule->stmt[i].kind == BW_STMT_DYNSET &&
				 rule->stmt[i].index < b->ir->ndynset &&
				 b->ir->dynset[rule->stmt[i].index].data)
				b->set_on[b->ir->dynset[rule->stmt[i].index].key.set] = true;
	}
}

/* The chains (sets) of one family sent from two tables under one name
 * become TABLE.NAME; then every name of the family must be unique. */
static int names(struct bw_nft_bld *b, bool sets)
{
	const struct bw_ir *ir = b->ir;
	uint32_t n = sets ? ir->nset : ir->nchain;

	for (uint32_t i = 0; i < n; i++) {
		const char *name = sets ? ir->set[i].name : ir->chain[i].name;
		const char *table = sets ? ir->set[i].table : ir->chain[i].table;
		enum bw_family fam = sets ? ir->set[i].family : ir->chain[i].family;
		bool on = sets ? b->set_on[i] && name : b->chain_on[i];
		bool clash = false;
		char **out = sets ? &b->set_name[i] : &b->chain_name[i];

		if (!on)
			continue;
		for (uint32_t j = 0; j < n && !clash; j++) {
			const char *jn = sets ? ir->set[j].name : ir->chain[j].name;
			bool jon = sets ? b->set_on[j] && jn : b->chain_on[j];

			clash = j != i && jon && !strcmp(jn, name) &&
				(sets ? ir->set[j].family : ir->chain[j].family) == fam &&
				strcmp(sets ? ir->set[j].table : ir->chain[j].table, table);
		}
		if (clash ? asprintf(out, "%s.%s", table, name) < 0 :
			    !(*out = strdup(name))) {
			*out = NULL;
			return -ENOMEM;
		}
	}
	for (uint32_t i = 0; i < n; i++)
		for (uint32_t j = i + 1; j < n; j++) {
			const char *a = sets ? b->set_name[i] : b->chain_name[i];
			const char *c = sets ? b->set_name[j] : b->chain_name[j];
			const struct bw_loc *loc = sets ? &ir->set[j].loc :
						   &ir->chain[j].loc;

			if (a && c && !strcmp(a, c) &&
			    (sets ? ir->set[i].family == ir->set[j].family :
				    ir->chain[i].family == ir->chain[j].family))
				return bw_nft_error(b, loc, "two %s would be named %s in nf_tables: rename one",
						    sets ? "sets" : "chains", a);
		}
	return 0;
}

/* Only filter chains at the IP hooks go, whole. */
static int check_base(struct bw_nft_bld *b, uint32_t c)
{
	const struct bw_ir_chain *ch = &b->ir->chain[c];

	if (ch->family == BW_FAMILY_NETDEV && ch->nft &&
	    bw_chain_hook_netdev(ch->hook))
		return 0;	/* compiler/front/nfnetdev.h */
	if (ch->family == BW_FAMILY_NETDEV || bw_chain_hook_netdev(ch->hook))
		return bw_nft_error(b, &ch->loc,
				    "chain %s cannot be handed to nf_tables: only inet, ip, ip6, bridge and arp chains at the prerouting, input, forward, output and postrouting hooks can",
				    ch->name);
	return 0;
}

static void bld_fini(struct bw_nft_bld *b)
{
	for (uint32_t i = 0; b->ir && i < b->ir->nchain && b->chain_name; i++)
		free(b->chain_name[i]);
	for (uint32_t i = 0; b->ir && i < b->ir->nset && b->set_name; i++)
		free(b->set_name[i]);
	free(b->chain_on);
	free(b->chain_name);
	free(b->set_on);
	free(b->set_name);
	free(b->set_obj);
	free(b->hooks);
	for (uint32_t i = 0; b->ir && b->obj_name && i < b->ir->nobj; i++)
		free(b->obj_name[i]);
	free(b->obj_name);
}

static int build(struct bw_nft_bld *b, const bool *in_nft)
{
	const struct bw_ir *ir = b->ir;
	int rc = 0;

	for (uint32_t c = 0; c < ir->nchain; c++)
		if (in_nft && in_nft[c] && !check_base(b, c))
			select_chain(b, c, 1u << b->ir->chain[c].hook);
	if (b->nerrors)
		return -EINVAL;
	if (names(b, false) || names(b, true))
		return b->oom ? -ENOMEM : -EINVAL;
	/* the tables in the order the file has them, as nft makes them */
	for (uint32_t c = 0; c < ir->nchain && !rc; c++)
		if (b->chain_on[c])
			rc = table_add(b, ir->chain[c].family);
	for (uint32_t c = 0; c < ir->nchain && !rc; c++)
		if (b->chain_on[c])
			rc = chain(b, c);
	if (!rc)
		rc = bw_nft_objs(b);
	/* named sets in source order, before the rules' anonymous ones */
	for (uint32_t s = 0; s < ir->nset && !rc; s++)
		if (b->set_on[s] && ir->set[s].name &&
		    (changed_by_rules(b, s) || !bw_nft_ir_set(b, s, ir->set[s].table)))
			rc = b->oom ? -ENOMEM : -EINVAL;
	for (uint32_t c = 0; c < ir->nchain && rc != -ENOMEM; c++) {
		if (!b->chain_on[c])
			continue;
		for (uint32_t r = 0; r < ir->chain[c].nrule && rc != -ENOMEM; r++) {
			int rr = rule(b, &ir->chain[c], &ir->chain[c].rule[r],
				      b->chain_name[c]);

			if (rr && !rc)
				rc = rr;
		}
	}
	if (b->oom)
		return -ENOMEM;
	return rc ? rc : b->nerrors ? -EINVAL : 0;
}

int bw_nft_plan_new(const char *table, struct bw_nft_plan **out)
{
	struct bw_nft_plan *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p || !(p->table = strdup(table)) ||
	    !(p->tables = calloc(6, sizeof(*p->tables)))) {
		if (p)
			free(p->table);
		free(p);
		return -ENOMEM;
	}
	*out = p;
	return 0;
}

int bw_nft_build(const struct bw_ir *ir, const bool *in_nft, const char *table,
		 struct bw_diags *d, struct bw_nft_plan **out)
{
	struct bw_nft_bld b = { .ir = ir, .d = d };
	uint32_t nc = ir->nchain ? ir->nchain : 1, ns = ir->nset ? ir->nset : 1;
	int rc;

	*out = NULL;
	if (!table || !*table || strlen(table) >= NFT_TABLE_MAXNAMELEN) {
		bw_error(d, NULL, "invalid nf_tables table name \"%s\"",
			 table ? table : "");
		return -EINVAL;
	}
	rc = bw_nft_plan_new(table, &b.p);
	if (rc)
		return rc;
	b.chain_on = calloc(nc, sizeof(*b.chain_on));
	b.chain_name = calloc(nc, sizeof(*b.chain_name));
	b.set_on = calloc(ns, sizeof(*b.set_on));
	b.set_name = calloc(ns, sizeof(*b.set_name));
	b.set_obj = calloc(ns, sizeof(*b.set_obj));
	b.hooks = calloc(nc, sizeof(*b.hooks));
	if (!b.chain_on || !b.chain_name || !b.set_on || !b.set_name || !b.set_obj ||
	    !b.hooks)
		rc = -ENOMEM;
	else
		rc = build(&b, in_nft);
	if (!rc && !(b.p->ir_set = malloc(ns * sizeof(*b.p->ir_set))))
		rc = -ENOMEM;
	for (uint32_t i = 0; !rc && i < ir->nset; i++) {
		b.p->ir_set[i] = -1;
		for (uint32_t k = 0; b.set_obj[i] && k < b.p->nset; k++)
			if (b.p->sets[k] == b.set_obj[i])
				b.p->ir_set[i] = (int32_t)k;
	}
	if (!rc)
		b.p->nir_set = ir->nset;
	if (rc == -ENOMEM)
		bw_error(d, NULL, "out of memory while building the nf_tables plan");
	bld_fini(&b);
	if (rc) {
		bw_nft_plan_free(&b.p);
		return rc;
	}
	*out = b.p;
	return 0;
}

int bw_nft_plan_ct_keeper(struct bw_nft_plan *p, enum bw_family family)
{
	struct bw_nft_bld b = { .p = p };
	struct bw_nft_rctx x = { .b = &b, .fam = family };
	struct nftnl_udata_buf *u;
	struct nftnl_chain *c;
	struct nftnl_expr *e;
	int rc;

	if (family != BW_FAMILY_INET && family != BW_FAMILY_IP &&
	    family != BW_FAMILY_IP6)
		return -EINVAL;
	for (uint32_t i = 0; i < p->nchain; i++)
		if (nftnl_chain_get_u32(p->chains[i], NFTNL_CHAIN_FAMILY) == nfproto(family) &&
		    !strcmp(nftnl_chain_get_str(p->chains[i], NFTNL_CHAIN_NAME),
			    BW_NFT_CT_KEEPER))
			return -EEXIST;
	rc = table_add(&b, family);
	if (rc)
		return rc;
	c = nftnl_chain_alloc();
	if (!c)
		return -ENOMEM;
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, nfproto(family));
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, p->table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, BW_NFT_CT_KEEPER);
	rc = chain_add(&b, c);
	if (rc)
		return rc;
	x.r = rule_new(p, family, BW_NFT_CT_KEEPER, 0);
	if (!x.r)
		return -ENOMEM;
	/* `ct state invalid comment "..."`, which reads well in nft's
	 * listing; no verdict, and no hook runs it */
	e = bw_nft_expr(&x, "ct");
	if (e) {
		uint32_t invalid = NF_CT_STATE_INVALID_BIT, zero = 0;	/* host order */

		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, NFT_CT_STATE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CT_DREG, NFT_REG_1);
		bw_nft_bitwise(&x, NFT_REG_1, (const uint8_t *)&invalid, 4);
		bw_nft_cmp(&x, NFT_REG_1, NFT_CMP_NEQ, &zero, 4);
	}
	u = nftnl_udata_buf_alloc(128);
	if (!e || x.failed || !u ||
	    !nftnl_udata_put_strz(u, NFTNL_UDATA_RULE_COMMENT,
				  "keeps connection tracking on for bpfwall")) {
		nftnl_udata_buf_free(u);
		nftnl_rule_free(x.r);
		return -ENOMEM;
	}
	nftnl_rule_set_data(x.r, NFTNL_RULE_USERDATA, nftnl_udata_buf_data(u),
			    nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return add_rule(&b, x.r, 0, NULL);
}

bool bw_nft_plan_empty(const struct bw_nft_plan *p)
{
	return !p || !p->ntable;
}

void bw_nft_plan_free(struct bw_nft_plan **pp)
{
	struct bw_nft_plan *p = *pp;

	if (!p)
		return;
	for (uint32_t i = 0; i < p->nrule; i++)
		nftnl_rule_free(p->rules[i].r);
	for (uint32_t i = 0; i < p->nset; i++)
		nftnl_set_free(p->sets[i]);
	for (uint32_t i = 0; i < p->nchain; i++)
		nftnl_chain_free(p->chains[i]);
	for (uint32_t i = 0; i < p->ntable; i++)
		nftnl_table_free(p->tables[i]);
	for (uint32_t i = 0; i < p->nobj; i++)
		nftnl_obj_free(p->objs[i]);
	free(p->objs);
	bw_nft_flow_free(p);
	free(p->rules);
	free(p->sets);
	free(p->chains);
	free(p->tables);
	free(p->ifrefs);
	free(p->ir_set);
	free(p->table);
	free(p);
	*pp = NULL;
}

static int handle_cb(const struct nftnl_udata *a, void *data)
{
	uint32_t *h = data;

	if (nftnl_udata_type(a) == BW_NFT_UDATA_HANDLE &&
	    nftnl_udata_len(a) == sizeof(uint32_t))
		*h = nftnl_udata_get_u32(a);
	return 0;
}

uint32_t bw_nft_udata_handle(const void *data, uint32_t len)
{
	uint32_t h = 0;

	if (data && len && nftnl_udata_parse(data, len, handle_cb, &h) < 0)
		return 0;
	return h;
}
