// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP hoisting (hoist.h): which input-chain drops an XDP program can
 * apply ahead of the netfilter hooks, and the check that the packet is
 * one the input hook would see.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hoist.h"
#include "hook.h"
#include "compiler/front/view.h"

#define V(m)	((int16_t)BW_VIEW_OFF(m))

const char *const bw_hoist_why_text[] = {
	[BW_HOIST_YES] = "hoisted",
	[BW_HOIST_CHAIN] = "not an input chain bpfwall runs",
	[BW_HOIST_VERDICT] = "its verdict is not drop",
	[BW_HOIST_STMT] = "a log, limit or match after a statement",
	[BW_HOIST_FIELD] = "a field XDP does not see as the input hook does",
	[BW_HOIST_EARLIER] = "a rule before it may see the same packets",
};

/* ----------------------------------------------------------- the fields */

/* What XDP sees of an unfragmented packet exactly as the input hook
 * does.  Not lengths, TCP flags, IDs, TTL: GRO may have merged the
 * packet the hook sees from several frames. */
static bool field_ok(enum bw_field_id f)
{
	switch (f) {
	case BW_F_META_NFPROTO:
	case BW_F_META_L4PROTO:
	case BW_F_IP_PROTOCOL:
	case BW_F_IP_SADDR:
	case BW_F_IP_DADDR:
	case BW_F_IP6_NEXTHDR:
	case BW_F_IP6_SADDR:
	case BW_F_IP6_DADDR:
	case BW_F_TCP_SPORT:
	case BW_F_TCP_DPORT:
	case BW_F_UDP_SPORT:
	case BW_F_UDP_DPORT:
	case BW_F_ICMP_TYPE:
	case BW_F_ICMP_CODE:
	case BW_F_ICMP6_TYPE:
	case BW_F_ICMP6_CODE:
		return true;
	default:
		return false;
	}
}

static bool match_ok(const struct bw_ir *ir, const struct bw_ir_match *m)
{
	if (!m->lookup)
		return field_ok(m->field);
	if (m->set >= ir->nset || ir->set[m->set].map)
		return false;
	for (uint32_t k = 0; k < m->nfield; k++)
		if (!field_ok(m->fields[k]))
			return false;
	return true;
}

/* Candidate by itself: a drop, at most a counter, fields XDP sees. */
/* A set that rules change (add, update, delete @s): a drop looking it up
 * stays at the input hook, where the packets before it in the stream have
 * changed it already (at XDP a packet may come before the earlier ones
 * of its batch reach the hook). */
static bool changed_set(const struct bw_ir *ir, uint32_t si)
{
	for (uint32_t i = 0; i < ir->ndynset; i++)
		if (ir->dynset[i].key.set == si)
			return true;
	return false;
}

static enum bw_hoist_why candidate(const struct bw_ir *ir,
				   const struct bw_ir_rule *r)
{
	if (r->verdict != BW_VERDICT_DROP)
		return BW_HOIST_VERDICT;
	if (r->nstmt)
		return BW_HOIST_STMT;
	for (uint32_t m = 0; m < r->nmatch; m++)
		if (!match_ok(ir, &r->match[m]))
			return BW_HOIST_FIELD;
	for (uint32_t m = 0; m < r->nmatch; m++)
		if (r->match[m].lookup && changed_set(ir, r->match[m].set))
			return BW_HOIST_EARLIER;
	return BW_HOIST_YES;
}

/* ------------------------------------------------------------- overlap */

/* An element as an interval of big-endian values of size bytes, when
 * its mask is a prefix (ones, then zeros): false otherwise. */
static bool elem_interval(const struct bw_ir_elem *el, unsigned size,
			  uint8_t *lo, uint8_t *hi)
{
	bool zeros = false, full = true;

	for (unsigned i = 0; i < size; i++) {
		uint8_t m = el->mask[i], inv = (uint8_t)~m;

		if (zeros) {
			if (m)
				return false;
			continue;
		}
		if (inv & (uint8_t)(inv + 1))	/* not ones then zeros */
			return false;
		if (m != 0xff) {
			zeros = true;
			full = false;
		}
	}
	if (!full && memcmp(el->lo, el->hi, size))
		return false;	/* a range under a mask: not an interval */
	for (unsigned i = 0; i < size; i++) {
		lo[i] = el->lo[i] & el->mask[i];
		hi[i] = full ? el->hi[i] : (uint8_t)(el->lo[i] | ~el->mask[i]);
	}
	return true;
}

struct ivs {
	uint32_t n;
	unsigned size;
	uint8_t (*lo)[BW_SET_KEY_MAX];
	uint8_t (*hi)[BW_SET_KEY_MAX];
};

static void ivs_free(struct ivs *v)
{
	free(v->lo);
	free(v->hi);
	memset(v, 0, sizeof(*v));
}

/* The values match m compares its field against, as intervals: false
 * when unknown (a named set, a concatenation, a mask that is no
 * prefix). */
static bool match_ivs(const struct bw_ir *ir, const struct bw_ir_match *m,
		      struct ivs *v)
{
	const struct bw_ir_set *s = m->lookup && m->set < ir->nset ?
				    &ir->set[m->set] : NULL;
	uint32_t n = s ? s->nelem : m->nelem;

	memset(v, 0, sizeof(*v));
	if (m->lookup && (!s || s->name || m->nfield != 1 || s->map))
		return false;
	v->size = bw_field(m->field)->size;
	if (v->size > BW_VAL_MAX || (s && s->keylen != v->size))
		return false;
	v->lo = calloc(n ? n : 1, sizeof(*v->lo));
	v->hi = calloc(n ? n : 1, sizeof(*v->hi));
	if (!v->lo || !v->hi) {
		ivs_free(v);
		return false;
	}
	for (uint32_t i = 0; i < n; i++) {
		if (s) {
			memcpy(v->lo[i], s->elem[i].lo, v->size);
			memcpy(v->hi[i], s->elem[i].hi, v->size);
		} else if (!elem_interval(&m->elem[i], v->size, v->lo[i],
					  v->hi[i])) {
			ivs_free(v);
			return false;
		}
	}
	v->n = n;
	return true;
}

static bool iv_meet(const struct ivs *a, uint32_t i, const struct ivs *b,
		    uint32_t k)
{
	return memcmp(a->lo[i], b->hi[k], a->size) <= 0 &&
	       memcmp(b->lo[k], a->hi[i], a->size) <= 0;
}

static bool iv_inside(const struct ivs *a, uint32_t i, const struct ivs *b)
{
	for (uint32_t k = 0; k < b->n; k++)
		if (memcmp(b->lo[k], a->lo[i], a->size) <= 0 &&
		    memcmp(a->hi[i], b->hi[k], a->size) <= 0)
			return true;
	return false;
}

/* No value of the field satisfies both matches (same field). */
static bool matches_disjoint(const struct bw_ir *ir, const struct bw_ir_match *a,
			     const struct bw_ir_match *b)
{
	struct ivs va, vb;
	bool disjoint = false;

	if (a->neg && b->neg)
		return false;
	if (!match_ivs(ir, a, &va))
		return false;
	if (!match_ivs(ir, b, &vb)) {
		ivs_free(&va);
		return false;
	}
	if (!a->neg && !b->neg) {
		disjoint = true;
		for (uint32_t i = 0; i < va.n && disjoint; i++)
			for (uint32_t k = 0; k < vb.n && disjoint; k++)
				disjoint = !iv_meet(&va, i, &vb, k);
	} else {
		/* the positive one's values all among the negated one's */
		const struct ivs *pos = a->neg ? &vb : &va, *neg = a->neg ? &va : &vb;

		disjoint = true;
		for (uint32_t i = 0; i < pos->n && disjoint; i++)
			disjoint = iv_inside(pos, i, neg);
	}
	ivs_free(&va);
	ivs_free(&vb);
	return disjoint;
}

/* The IP version a rule of chain ch needs (4, 6), 0 if either. */
static int rule_l3(const struct bw_ir_chain *ch, const struct bw_ir_rule *r,
		   uint32_t nmatch)
{
	if (ch->family == BW_FAMILY_IP)
		return 4;
	if (ch->family == BW_FAMILY_IP6)
		return 6;
	for (uint32_t m = 0; m < nmatch; m++) {
		const struct bw_ir_match *mt = &r->match[m];

		for (uint32_t k = 0; k < (mt->lookup ? mt->nfield : 1); k++) {
			uint8_t l3 = bw_field(mt->lookup ? mt->fields[k] : mt->field)->need_l3;

			if (l3)
				return l3;
		}
	}
	return 0;
}

/* The transport protocols a rule can match (bit p: IPPROTO p). */
static void rule_l4(const struct bw_ir_rule *r, uint32_t nmatch, uint64_t p[4])
{
	for (int i = 0; i < 4; i++)
		p[i] = UINT64_MAX;
	for (uint32_t m = 0; m < nmatch; m++) {
		const struct bw_ir_match *mt = &r->match[m];
		uint64_t q[4] = { 0 };
		bool known = true;

		for (uint32_t k = 0; k < (mt->lookup ? mt->nfield : 1); k++) {
			uint8_t l4 = bw_field(mt->lookup ? mt->fields[k] : mt->field)->need_l4proto;

			if (l4) {
				uint64_t one[4] = { 0 };

				one[l4 / 64] = UINT64_C(1) << (l4 % 64);
				for (int i = 0; i < 4; i++)
					p[i] &= one[i];
			}
		}
		/* meta l4proto { tcp, udp }: a compare of whole values */
		if (mt->lookup || mt->field != BW_F_META_L4PROTO)
			continue;
		for (uint32_t e = 0; e < mt->nelem && known; e++) {
			const struct bw_ir_elem *el = &mt->elem[e];

			known = el->mask[0] == 0xff;
			for (unsigned v = el->lo[0]; known && v <= el->hi[0]; v++)
				q[v / 64] |= UINT64_C(1) << (v % 64);
		}
		if (!known)
			continue;
		for (int i = 0; i < 4; i++)
			p[i] &= mt->neg ? ~q[i] : q[i];
	}
}

/* Can a packet meet both rule q (its leading matches: what its
 * statements run on) of chain qc and rule r of chain rc? */
static bool overlap(const struct bw_ir *ir, const struct bw_ir_chain *qc,
		    const struct bw_ir_rule *q, const struct bw_ir_chain *rc,
		    const struct bw_ir_rule *r)
{
	uint32_t nq = q->nstmt ? q->nlead : q->nmatch;
	int lq = rule_l3(qc, q, nq), lr = rule_l3(rc, r, r->nmatch);
	uint64_t pq[4], pr[4], any = 0;

	if (lq && lr && lq != lr)
		return false;
	rule_l4(q, nq, pq);
	rule_l4(r, r->nmatch, pr);
	for (int i = 0; i < 4; i++)
		any |= pq[i] & pr[i];
	if (!any)
		return false;
	for (uint32_t a = 0; a < nq; a++)
		for (uint32_t b = 0; b < r->nmatch; b++)
			if (q->match[a].field == r->match[b].field &&
			    matches_disjoint(ir, &q->match[a], &r->match[b]))
				return false;
	return true;
}

/* ----------------------------------------------------------- selection */

struct sel {
	const struct bw_ir *ir;
	const bool *in_nft;
	uint32_t *order;	/* prerouting and input chains, as they run */
	uint32_t norder;
	uint8_t **why;		/* per chain, per rule: enum bw_hoist_why */
};

static void sel_free(struct sel *s)
{
	for (uint32_t c = 0; s->why && c < s->ir->nchain; c++)
		free(s->why[c]);
	free(s->why);
	free(s->order);
}

static bool pure(const struct bw_ir_rule *q)
{
	return !q->counter && !q->nstmt;
}

/* May rule q, met before hoisted candidate r, see r's packets?  same:
 * q is in r's chain (an accept there ends it before r). */
static bool blocks(const struct sel *s, uint32_t qc, uint32_t qi,
		   uint32_t rc, uint32_t ri, bool same)
{
	const struct bw_ir_chain *qch = &s->ir->chain[qc];
	const struct bw_ir_rule *q = &qch->rule[qi];

	if (s->why[qc][qi] == BW_HOIST_YES)
		return false;	/* at XDP before r too */
	if (!overlap(s->ir, qch, q, &s->ir->chain[rc], &s->ir->chain[rc].rule[ri]))
		return false;
	if (!pure(q))
		return true;	/* counts, logs, limits, tests after a statement */
	switch (q->verdict) {
	case BW_VERDICT_CONTINUE:
	case BW_VERDICT_DROP:
		return false;
	case BW_VERDICT_ACCEPT:
	case BW_VERDICT_RETURN:
		return same;	/* another chain's accept: r still runs */
	default:
		return true;	/* jump, goto, vmap, reject */
	}
}

static int sel_run(struct sel *s)
{
	const struct bw_ir *ir = s->ir;
	uint32_t n;

	s->why = calloc(ir->nchain ? ir->nchain : 1, sizeof(*s->why));
	s->order = calloc(ir->nchain ? ir->nchain : 1, sizeof(*s->order));
	if (!s->why || !s->order)
		return -ENOMEM;
	for (uint32_t c = 0; c < ir->nchain; c++) {
		s->why[c] = malloc(ir->chain[c].nrule ? ir->chain[c].nrule : 1);
		if (!s->why[c])
			return -ENOMEM;
		memset(s->why[c], BW_HOIST_CHAIN, ir->chain[c].nrule);
	}
	n = bw_ir_chains_path(ir, BW_PATH_IN, NULL, NULL, s->order);
	for (uint32_t i = 0; i < n; i++) {
		const struct bw_ir_chain *ch = &ir->chain[s->order[i]];

		if (ch->hook == BW_CHAIN_PREROUTING || ch->hook == BW_CHAIN_INPUT)
			s->order[s->norder++] = s->order[i];
	}
	for (uint32_t oi = 0; oi < s->norder; oi++) {
		uint32_t c = s->order[oi];
		const struct bw_ir_chain *ch = &ir->chain[c];

		if (ch->hook != BW_CHAIN_INPUT || ch->family == BW_FAMILY_NETDEV ||
		    (s->in_nft && s->in_nft[c]))
			continue;
		for (uint32_t ri = 0; ri < ch->nrule; ri++) {
			enum bw_hoist_why w = candidate(ir, &ch->rule[ri]);

			/* the chains that run first, then this one's rules */
			for (uint32_t oe = 0; oe < oi && w == BW_HOIST_YES; oe++) {
				uint32_t e = s->order[oe];

				for (uint32_t qi = 0; qi < ir->chain[e].nrule &&
				     w == BW_HOIST_YES; qi++)
					if (blocks(s, e, qi, c, ri, false))
						w = BW_HOIST_EARLIER;
			}
			for (uint32_t qi = 0; qi < ri && w == BW_HOIST_YES; qi++)
				if (blocks(s, c, qi, c, ri, true))
					w = BW_HOIST_EARLIER;
			s->why[c][ri] = (uint8_t)w;
		}
	}
	return 0;
}

enum bw_hoist_why bw_hoist_why(const struct bw_ir *ir, const bool *in_nft,
			       uint32_t ci, uint32_t ri)
{
	struct sel s = { .ir = ir, .in_nft = in_nft };
	enum bw_hoist_why w = BW_HOIST_CHAIN;

	if (!sel_run(&s) && ci < ir->nchain && ri < ir->chain[ci].nrule)
		w = s.why[ci][ri];
	sel_free(&s);
	return w;
}

/* ------------------------------------------------------------- the IR */

int bw_hoist_build(const struct bw_ir *ir, const bool *in_nft,
		   struct bw_hoist **out)
{
	struct sel s = { .ir = ir, .in_nft = in_nft };
	struct bw_hoist *h = NULL;
	uint32_t nchain = 0;
	int err;

	*out = NULL;
	err = sel_run(&s);
	for (uint32_t oi = 0; !err && oi < s.norder; oi++)
		for (uint32_t ri = 0; ri < ir->chain[s.order[oi]].nrule; ri++)
			if (s.why[s.order[oi]][ri] == BW_HOIST_YES) {
				nchain++;
				break;
			}
	if (err || !nchain)
		goto out;
	err = -ENOMEM;
	h = calloc(1, sizeof(*h));
	if (!h)
		goto out;
	h->ir = *ir;
	h->first = ir->nchain;
	h->ir.chain = calloc(ir->nchain + nchain, sizeof(*h->ir.chain));
	if (!h->ir.chain)
		goto out;
	memcpy(h->ir.chain, ir->chain, ir->nchain * sizeof(*ir->chain));
	h->ir.nchain = ir->nchain;
	for (uint32_t oi = 0; oi < s.norder; oi++) {
		const struct bw_ir_chain *ch = &ir->chain[s.order[oi]];
		const uint8_t *why = s.why[s.order[oi]];
		struct bw_ir_chain *hc = &h->ir.chain[h->ir.nchain];

		for (uint32_t ri = 0; ri < ch->nrule; ri++) {
			if (why[ri] != BW_HOIST_YES)
				continue;
			if (!hc->rule) {
				*hc = *ch;
				hc->hook = BW_CHAIN_NONE;
				hc->device = NULL;
				hc->nmore_dev = 0;
				hc->more_dev = NULL;
				hc->policy = BW_VERDICT_ACCEPT;
				hc->depth = 0;
				hc->nrule = 0;
				hc->rule = calloc(ch->nrule, sizeof(*hc->rule));
				if (!hc->rule)
					goto out;
				h->ir.nchain++;
				h->nchain++;
			}
			hc->rule[hc->nrule++] = ch->rule[ri];
			h->nrule++;
		}
	}
	*out = h;
	h = NULL;
	err = 0;
out:
	bw_hoist_free(&h);
	sel_free(&s);
	return err;
}

void bw_hoist_free(struct bw_hoist **ph)
{
	struct bw_hoist *h = ph ? *ph : NULL;

	if (!h)
		return;
	for (uint32_t c = h->first; h->ir.chain && c < h->ir.nchain; c++)
		free(h->ir.chain[c].rule);
	free(h->ir.chain);
	free(h);
	*ph = NULL;
}

/* ------------------------------------------------------------- the code */

/* struct bpf_fib_lookup (uapi/linux/bpf.h), the members used here */
#define FIB_FAMILY	0
#define FIB_L4PROTO	1
#define FIB_SPORT	2
#define FIB_IFINDEX	8
#define FIB_TOS		12
#define FIB_SRC		16
#define FIB_DST		32
#define FIB_SIZE	64
#define FIB_NOT_FWDED	4	/* BPF_FIB_LKUP_RET_NOT_FWDED: local, broadcast, ... */
#define FIB_FWD_DISABLED 5	/* BPF_FIB_LKUP_RET_FWD_DISABLED */
#define HELPER_FIB_LOOKUP 69
#define XDP_MD_INGRESS_IFINDEX 12

/* n bytes (a multiple of 4) from the view at from to the stack at to */
static void copy_words(struct bw_emit *e, int16_t from, int16_t to, int n)
{
	for (int i = 0; i < n; i += 4) {
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, (int16_t)(from + i)));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, (int16_t)(to + i)));
	}
}

void bw_hoist_emit_local(struct bw_emit *e, int16_t scratch, int pass_code)
{
	bw_label v4 = bw_emit_label(e), common = bw_emit_label(e);
	bw_label ports = bw_emit_label(e), call = bw_emit_label(e);
	bw_label pass = bw_emit_label(e), local = bw_emit_label(e);

	for (int i = 0; i < FIB_SIZE; i += 8)
		bw_emit(e, bw_st(BPF_DW, BW_R10, (int16_t)(scratch + i), 0));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 4, 0), v4);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, 6, 0), pass);
	bw_emit(e, bw_st(BPF_B, BW_R10, (int16_t)(scratch + FIB_FAMILY), 10));
	copy_words(e, (int16_t)(V(l3h) + 8), (int16_t)(scratch + FIB_SRC), 16);
	copy_words(e, (int16_t)(V(l3h) + 24), (int16_t)(scratch + FIB_DST), 16);
	bw_emit_ja(e, common);
	bw_emit_place(e, v4);
	bw_emit(e, bw_st(BPF_B, BW_R10, (int16_t)(scratch + FIB_FAMILY), 2));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, (int16_t)(V(l3h) + 1)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, (int16_t)(scratch + FIB_TOS)));
	copy_words(e, (int16_t)(V(l3h) + 12), (int16_t)(scratch + FIB_SRC), 4);
	copy_words(e, (int16_t)(V(l3h) + 16), (int16_t)(scratch + FIB_DST), 4);
	bw_emit_place(e, common);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l4proto)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, (int16_t)(scratch + FIB_L4PROTO)));
	/* ports, for policy routing rules on them: TCP and UDP only */
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 6, 0), ports);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, 17, 0), call);
	bw_emit_place(e, ports);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, BW_VIEW_L4));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), call);
	for (int i = 0; i < 4; i += 2) {	/* sport, dport: 2-byte aligned */
		bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, (int16_t)(V(l4h) + i)));
		bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, (int16_t)(scratch + FIB_SPORT + i)));
	}
	bw_emit_place(e, call);
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R6, XDP_MD_INGRESS_IFINDEX));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, (int16_t)(scratch + FIB_IFINDEX)));
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, scratch));
	bw_emit(e, bw_mov64_imm(BW_R3, FIB_SIZE));
	bw_emit(e, bw_mov64_imm(BW_R4, 0));
	bw_emit(e, bw_call(HELPER_FIB_LOOKUP));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, FIB_NOT_FWDED, 0), local);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, FIB_FWD_DISABLED, 0), local);
	bw_emit_place(e, pass);
	bw_emit(e, bw_mov64_imm(BW_R0, pass_code));
	bw_emit(e, bw_exit());
	bw_emit_place(e, local);
}
