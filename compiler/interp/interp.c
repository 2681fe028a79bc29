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

#include "compiler/front/valexpr.h"
#include "interp.h"
#include "compiler/front/fwd.h"
#include "dynset.h"
#include "compiler/front/tcpopt.h"
#include "compiler/front/sctp_chunk.h"
#include "compiler/front/rawpay.h"
#include "compiler/front/srh.h"
#include "compiler/front/tunnel.h"

/* An untagged ARP frame with a whole Ethernet/IPv4 ARP header, which
 * run_view() copied into l3h (the arp fields' need_ethertype). */
static bool arp_frame(const struct bw_view *v)
{
	return v->eth[12] == 0x08 && v->eth[13] == 0x06 && v->l3off == 14 &&
	       v->l3len >= 28;
}

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
	case BW_FAMILY_BRIDGE:	/* every frame the bridge passes */
		return true;
	case BW_FAMILY_ARP:
		/* what arp_rcv hands to the NF_ARP hooks of an Ethernet
		 * device: a whole ARP header with 6-byte hardware and
		 * 4-byte protocol addresses (it frees the rest first) */
		return arp_frame(v) && v->l3h[4] == 6 && v->l3h[5] == 4;
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
	if (f->need_ethertype == 0x0806 && !v->arp)
		return false;
	return true;
}

/* What the run knows besides the frame (bw_interp_run_ctx). */
/* The translations nat statements made of the packet (nf_tables does
 * them; the interpreter rewrites its view for the chains after). */
struct xlate {
	const struct bw_ir_nat *src, *dst;	/* snat/masquerade, dnat/redirect */
	uint32_t handle;			/* of the last rule that translated */
	bool pending;				/* since run_chains looked */
	bool mark_set;				/* meta mark set: mark */
	uint32_t mark;
};

struct run {
	const struct bw_ir *ir;
	const struct bw_interp_ctx *c;
	enum bw_family fam;		/* of the base chain being run */
	struct bw_view v;
	/* the interfaces the chain being run has (NULL: none) */
	const char *iif, *oif;
	struct xlate *x;		/* NULL: not on the netfilter path */
	/* the bytes the view was parsed from (TCP options are read there) */
	const uint8_t *pkt;
	size_t len;
	/* set by a match that drops the packet itself (xt_tcpudp's hotdrop:
	 * options cut short); the rule then decides, drop */
	bool *hotdrop;
	bool chunk_drop;		/* a chunk walk went past its bound:
					 * the program drops (sctp-chunks) */
	bool stolen;			/* synproxy took the packet (a SYN
					 * answered, an ACK checked): no verdict
					 * after it, it goes no further */
};

/* iptables' --tcp-option (BW_F_XT_TCPOPT): 1 when the xt walk finds the
 * kind (x[0] = the kind, so that == and != compare), else 0 (x[0] = the
 * kind + 1, which no single-value match holds); not TCP: not there. */
static bool xt_tcpopt_value(const struct run *run, const struct bw_ir_match *m,
			    uint8_t *x)
{
	const struct bw_view *v = &run->v;
	size_t end = run->len;
	int r;

	if (!run->pkt || !v->l4off || v->l4proto != 6 || !(v->flags & BW_VIEW_L4) ||
	    m->nelem != 1)
		return false;
	if (v->iplen && (size_t)v->l3off + v->iplen < end)
		end = (size_t)v->l3off + v->iplen;
	if (end <= v->l4off)
		return false;
	r = bw_tcpopt_xt(run->pkt + v->l4off, end - v->l4off, m->elem[0].lo[0]);
	if (r < 0) {
		if (run->hotdrop)
			*run->hotdrop = true;
		return false;
	}
	x[0] = r ? m->elem[0].lo[0] : (uint8_t)(m->elem[0].lo[0] + 1);
	return true;
}

/* A TCP option field (fields.h tcpopt): nft_exthdr's walk over the TCP
 * header as the hook has it (up to the end of the IP packet). */
static bool tcpopt_value(const struct run *run, const struct bw_field *f,
			 uint8_t *x)
{
	const struct bw_view *v = &run->v;
	size_t end = run->len;
	bool tcp;
	uint8_t b;

	/* no TCP header (another protocol, a later fragment): no option;
	 * exists is then 0 (nft adds no test of the protocol before it) */
	tcp = run->pkt && v->l4off && v->l4proto == 6 && (v->flags & BW_VIEW_L4);
	if (tcp && v->iplen && (size_t)v->l3off + v->iplen < end)
		end = (size_t)v->l3off + v->iplen;
	tcp = tcp && end > v->l4off;
	if (f->opt_present) {
		x[0] = tcp && bw_tcpopt_read(run->pkt + v->l4off, end - v->l4off,
					     f->opt_kind, 0, 1, &b);
		return true;
	}
	if (!tcp || !bw_tcpopt_read(run->pkt + v->l4off, end - v->l4off,
				    f->opt_kind, f->opt_off, f->size, x))
		return false;
	if (f->bits) {	/* mptcp subtype: the high nibble */
		x[0] = (uint8_t)(x[0] >> f->shift) & (uint8_t)((1u << f->bits) - 1);
	}
	return true;
}

/* tcp option K exists, tcp option @K,OFF,LEN (the match's raw: kind,
 * bits): as tcpopt_value() for a row of that kind. */
static bool tcpopt_any(const struct run *run, const struct bw_ir_match *m,
		       uint8_t *x)
{
	struct bw_field f = *bw_field(m->field);

	f.opt_kind = m->raw.base;
	f.opt_off = (uint8_t)(m->raw.off / 8);
	return tcpopt_value(run, &f, x);
}

/* nf_tables in a bridge rule: a transport field's IP dependency tests
 * the frame's own EtherType (nft_match.c, as nft), so a tagged frame has
 * no icmp type there; an IP field's tests the skb's protocol, which the
 * stack has taken from inside the first tag. */
static bool bridge_guard(const struct run *run, const struct bw_field *f)
{
	uint16_t outer = (uint16_t)(run->v.eth[12] << 8 | run->v.eth[13]);

	/* arp fields: netdev chains read the header past the VLAN tags
	 * (nft's meta protocol arp), the bridge and arp families an
	 * untagged ARP frame's */
	if (f->need_ethertype == 0x0806 && run->fam != BW_FAMILY_NETDEV)
		return arp_frame(&run->v);
	if (run->fam != BW_FAMILY_BRIDGE || !f->need_l3 || !f->need_l4proto)
		return true;
	return outer == (f->need_l3 == 4 ? 0x0800 : 0x86dd);
}

/* Write what x translated into view v. */
static void xlate_apply(const struct xlate *x, struct bw_view *v)
{
	bool ports = (v->flags & BW_VIEW_L4) &&
		     (v->l4proto == IPPROTO_TCP || v->l4proto == IPPROTO_UDP);

	if (x->mark_set)
		v->mark = x->mark;

	for (int d = 0; d < 2; d++) {
		const struct bw_ir_nat *n = d ? x->dst : x->src;

		if (!n || n->vexpr)	/* a computed one: not modelled */
			continue;
		if (n->addr && n->l3 == v->l3)
			memcpy(v->l3h + (v->l3 == 4 ? 12 : 8) + (d ? (v->l3 == 4 ? 4 : 16) : 0),
			       n->addr_lo, v->l3 == 4 ? 4 : 16);
		if (n->port && ports) {
			v->l4h[d ? 2 : 0] = (uint8_t)(n->port_lo >> 8);
			v->l4h[d ? 3 : 1] = (uint8_t)n->port_lo;
		}
	}
}

/* An interface field: the name, or NULL where the hook has none. */
static const char *iface_of(const struct bw_field *f, const struct run *run)
{
	switch (f->src) {
	case BW_FS_IIF:
		return run->iif;
	case BW_FS_IBR:
		return run->iif && run->c ? run->c->ibr : NULL;
	case BW_FS_OBR:
		return run->oif && run->c ? run->c->obr : NULL;
	default:
		return run->oif;
	}
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
	if (f->tcpopt)
		return tcpopt_value(run, f, x);
	if (f->src == BW_FS_KERNEL)
		return false;	/* no kernel conntrack entry here */
	if (f->src != BW_FS_VIEW) {
		const char *name = iface_of(f, run);

		if (!name)
			return false;
		strncpy((char *)x, name, 15);
		return true;
	}
	if (!guard_holds(f, &run->v) || !bridge_guard(run, f))
		return false;
	field_value(f, &run->v, x);
	return true;
}

static bool raw_value(const struct run *run, const struct bw_field *f,
		      const struct bw_rawpay r, uint8_t *x);

/* Key component k of lookup m (f->size bytes), false where it is not
 * there: a raw payload and a field inside a tunnel read for themselves. */
static bool key_value(const struct run *run, const struct bw_ir_match *m,
		      uint32_t k, uint8_t *x)
{
	const struct bw_field *f = bw_field(m->fields[k]);

	if ((m->kraw[k].len || m->ktunnel[k]) &&
	    (!guard_holds(f, &run->v) || !bridge_guard(run, f)))
		return false;
	if (m->kraw[k].len && f->raw) {
		struct bw_rawpay r = { .base = m->kraw[k].base,
				       .off = m->kraw[k].off,
				       .len = m->kraw[k].len };

		memset(x, 0, f->size);
		return raw_value(run, f, r, x);
	}
	if (m->ktunnel[k] && f->tun_layer) {
		struct bw_view in = run->v;
		uint8_t y[BW_VAL_MAX];

		if (!run->pkt ||
		    !bw_tunnel_read(run->pkt, &run->v, (enum bw_tunnel)m->ktunnel[k],
				    f, (uint8_t *)&in + f->view_off))
			return false;
		field_value(f, &in, y);
		memcpy(x, y, f->size);
		return true;
	}
	return value_of(run, f, x);
}

/* A lookup's element: NULL when the key is not in the set, or a field of
 * the key is not there (*there false: the match fails either way). */
/* Field f's value x as component k of a key of set s: its low bytes
 * where the set's type is narrower (ip6 dscp in a set of type dscp). */
static void key_part(const struct bw_ir_set *s, uint32_t k,
		     const struct bw_field *f, const uint8_t *x, uint8_t *key)
{
	unsigned ks = bw_field(s->key[k])->size;

	if (ks < f->size)
		memcpy(key + bw_ir_set_keyoff(s, k), x + f->size - ks, ks);
	else
		memcpy(key + bw_ir_set_keyoff(s, k), x, f->size);
}

static const struct bw_ir_setelem *lookup(const struct run *run,
					  const struct bw_ir_match *m,
					  bool *there)
{
	const struct bw_ir_set *s = &run->ir->set[m->set];
	uint8_t key[BW_SET_KEY_MAX] = { 0 }, x[BW_VAL_MAX];

	*there = true;
	for (uint32_t k = 0; k < m->nfield; k++) {
		const struct bw_field *f = bw_field(m->fields[k]);

		if (!key_value(run, m, k, x)) {
			*there = false;
			return NULL;
		}
		key_part(s, k, f, x, key);
	}
	if ((s->dynamic || s->mapadd) && run->c->state) {	/* rules change it */
		static const struct bw_ir_setelem in_set;

		return bw_interp_dset_has(&run->c->state->sets, run->ir, m->set,
					  key, run->c->now_ns) ? &in_set : NULL;
	}
	if (s->timeout && run->c->state) {	/* settimeout.h */
		const struct bw_ir_setelem *x = bw_ir_set_find(s, key);

		return x && bw_interp_dset_loaded_expired(&run->c->state->sets,
				run->ir, m->set, x, run->c->now_ns) ? NULL : x;
	}
	return bw_ir_set_find(s, key);
}

static bool vx_field(const struct run *run, enum bw_field_id id, uint32_t *out);

/* add @m { KEY : VALUE }: the value a constant or a field's (the mark,
 * a packet field; another, as the connection's mark, the interpreter
 * does not read: the key is added with a zero value). */
static bool mapadd(const struct run *run, const struct bw_ir_dynset *d,
		   const uint8_t *key)
{
	const struct bw_field *f = bw_field(run->ir->set[d->key.set].data);
	uint8_t val[BW_DMAP_VAL] = { 0 };
	uint32_t x;

	if (d->data == BW_DYNSET_DATA_CONST)
		memcpy(val, d->dval, sizeof(val));
	else if (vx_field(run, d->dfield, &x))
		for (unsigned i = 0; i < f->size && i < 4; i++)
			val[f->size - 1 - i] = (uint8_t)(x >> (8 * i));
	return bw_interp_dmap_apply(&run->c->state->sets, run->ir, d, key, val,
				    run->c->now_ns);
}

/* A set statement: false when the rule stops there (a field of the key
 * not there, a full set).  Without a state nothing is kept. */
static bool dynset(const struct run *run, uint32_t i)
{
	const struct bw_ir_dynset *d = &run->ir->dynset[i];
	const struct bw_ir_set *s = &run->ir->set[d->key.set];
	uint8_t key[BW_SET_KEY_MAX] = { 0 }, x[BW_VAL_MAX];

	for (uint32_t k = 0; k < d->key.nfield; k++) {
		const struct bw_field *f = bw_field(d->key.fields[k]);

		if (!key_value(run, &d->key, k, x))
			return false;
		key_part(s, k, f, x, key);
	}
	if (!run->c->state)
		return true;
	if (d->data)	/* a map of data (compiler/front/mapadd.h) */
		return mapadd(run, d, key);
	return bw_interp_dset_apply(&run->c->state->sets, run->ir, d, key,
				    run->c->now_ns);
}

/* sctp chunk TYPE exists | FIELD (sctp_chunk.h): nf_tables' walk over
 * the bytes the hook has (view.pkt_len of them).  A walk past the bound
 * is the program's drop, which match_holds cannot say: chunk_drop() says it first. */
static bool chunk_holds(const struct run *run, const struct bw_ir_match *m)
{
	uint8_t x[BW_VAL_MAX] = { 0 };
	size_t at = 0, end = run->v.pkt_len, clen;
	enum bw_sctp_walk w;

	w = BW_SCTP_ABSENT;	/* not SCTP: no chunk (missing holds) */
	if (run->pkt && run->v.l4proto == IPPROTO_SCTP &&
	    (run->v.flags & BW_VIEW_L4))
		w = bw_sctp_chunk_walk(run->pkt, end, (size_t)run->v.l4off + 12,
				       m->chunk.type, &at);
	if (w == BW_SCTP_TOO_MANY)
		return false;	/* never reached: chunk_drop() said drop */
	if (!m->chunk.size) {
		x[0] = w == BW_SCTP_FOUND;
		return bw_ir_match_holds(m, x);
	}
	if (w != BW_SCTP_FOUND)
		return false;
	clen = (size_t)(run->pkt[at + 2] << 8 | run->pkt[at + 3]);
	if ((size_t)m->chunk.off + m->chunk.size > clen || at + clen > end)
		return false;
	memcpy(x, run->pkt + at + m->chunk.off, m->chunk.size);
	return bw_ir_match_holds(m, x);
}

/* @BASE,OFFSET,LENGTH (rawpay.h): the bits read from the bytes the
 * hook has (view.pkt_len of them); no base, or bytes past the end:
 * the rule does not match, whatever its operator. */
static bool raw_value(const struct run *run, const struct bw_field *f,
		      const struct bw_rawpay r, uint8_t *x)
{
	const struct bw_view *v = &run->v;
	size_t at = 0;

	if (!run->pkt)
		return false;
	switch (r.base) {
	case BW_RAW_LL:
		at = 0;
		break;
	case BW_RAW_NH:
		at = v->l3off;
		break;
	case BW_RAW_TH:
		if (!v->l4off)
			return false;
		at = v->l4off;
		break;
	case BW_RAW_RT:
		/* srh: the first routing header, walked to again (srh.h) */
		if (v->l3 != 6 || !bw_srh_find(run->pkt, v->pkt_len, (size_t)v->l3off + 40,
					      v->l3h[6], &at))
			return false;
		break;
	default:
		if (!(v->flags & BW_VIEW_L4))
			return false;
		if (v->l4proto == IPPROTO_UDP)
			at = (size_t)v->l4off + 8;
		else if (v->l4proto == IPPROTO_TCP)
			at = (size_t)v->l4off + (size_t)(v->l4h[12] >> 4) * 4;
		else
			return false;
		break;
	}
	return bw_rawpay_read(run->pkt, v->pkt_len, at, &r, x, f->size);
}

static bool raw_holds(const struct run *run, const struct bw_ir_match *m)
{
	struct bw_rawpay r = { .base = m->raw.base, .off = m->raw.off,
			       .len = m->raw.len };
	uint8_t x[BW_VAL_MAX] = { 0 };

	return raw_value(run, bw_field(m->field), r, x) &&
	       bw_ir_match_holds(m, x);
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

	if (f->id == BW_F_XT_TCPOPT)
		return xt_tcpopt_value(run, m, x) && bw_ir_match_holds(m, x);
	/* xt_multiport's --ports: the source or the destination port */
	if (bw_field_xt_ports(f->id)) {
		struct bw_ir_match pos = *m;
		bool in;

		if (!guard_holds(f, &run->v) || run->v.l4off == 0)
			return false;
		pos.neg = false;
		in = bw_ir_match_holds(&pos, run->v.l4h) ||
		     bw_ir_match_holds(&pos, run->v.l4h + 2);
		return in != m->neg;
	}
	/* xt_owner on a packet without a socket (none has one here): a
	 * test holds when it is inverted */
	if (f->id == BW_F_XT_SKUID || f->id == BW_F_XT_SKGID ||
	    f->id == BW_F_XT_SKGID_SUPPL || f->id == BW_F_XT_SOCKET)
		return m->neg;
	if (f->id >= BW_F_TCPOPT_KIND && f->id <= BW_F_TCPOPT_RAW32)
		return tcpopt_any(run, m, x) && bw_ir_match_holds(m, x);
	if (f->src != BW_FS_VIEW)	/* interfaces, TCP options */
		return value_of(run, f, x) && bw_ir_match_holds(m, x);
	if (!guard_holds(f, &run->v) || !bridge_guard(run, f))
		return false;
	if (f->raw)
		return raw_holds(run, m);
	if (f->tun_layer) {
		/* inside a tunnel (tunnel.h): the walk, then the row's load */
		struct bw_view in = run->v;

		if (!bw_tunnel_read(run->pkt, &run->v, (enum bw_tunnel)m->tunnel,
				    f, (uint8_t *)&in + f->view_off))
			return false;
		field_value(f, &in, x);
		return bw_ir_match_holds(m, x);
	}
	if (f->walk)
		return chunk_holds(run, m);
	field_value(f, &run->v, x);
	return bw_ir_match_holds(m, x);
}

/* skb->len at the hook: the view's field len_field (a meta length). */
static uint32_t field_len(const struct bw_view *v, uint16_t len_field)
{
	uint32_t n;

	memcpy(&n, (const uint8_t *)v + bw_field(len_field)->view_off, sizeof(n));
	return n;
}

/* limit rate (ir.h): within the rate, and the arrival time moves on. */
static bool within_rate(const struct run *run, uint32_t i)
{
	const struct bw_ir_limit *l = &run->ir->limit[i];
	uint64_t now = run->c->now_ns, *tat, base;

	uint64_t cost = l->cost, slack = l->slack;

	if (!run->c->state || !run->c->state->limit)
		return true;
	if (l->bytes) {
		/* the kernel's bucket of bytes (nft_limit.c, its u64
		 * arithmetic): a unit's worth and the burst; a packet
		 * costs its length, skb->len at the hook */
		cost = l->ns * field_len(&run->v, l->len_field) / l->rate;
		if (cost > l->max)
			return false;
		slack = l->max - cost;
	}
	tat = &run->c->state->limit[i];
	base = *tat > now ? *tat : now;
	if (base - now > slack)
		return false;
	*tat = base + cost;
	return true;
}

/* quota (nft_quota.c): the packet's bytes counted, past it when the
 * count is more than the quota.  Without a state, the count is the
 * bytes given as used. */
static bool past_quota(const struct run *run, uint32_t i)
{
	const struct bw_ir_quota *q = &run->ir->quota[i];
	uint64_t len = field_len(&run->v, q->len_field), n = len;

	if (run->c->state && run->c->state->quota)
		n = run->c->state->quota[i] += len;
	return q->used + n > q->bytes;
}

/* Field id's value as a number (its f->size bytes, big endian as
 * value_of writes them), the mark as the view has it. */
static bool vx_field(const struct run *run, enum bw_field_id id, uint32_t *out)
{
	const struct bw_field *f = bw_field(id);
	uint8_t x[BW_VAL_MAX];

	if (id == BW_F_META_MARK) {
		*out = run->v.mark;
		return true;
	}
	if (f->size > 4 || !value_of(run, f, x))
		return false;
	*out = 0;
	for (unsigned i = 0; i < f->size; i++)
		*out = *out << 8 | x[i];
	return true;
}

/* KEY map @NAME, a named map of data (what rules added too), on a key
 * of packet fields: its value (a number of up to 4 bytes); false when
 * the key is in no element or a field is not there (nf_tables' rule
 * stops), or the value is wider. */
static bool named_value(const struct run *run, const struct bw_ir_vexpr *v,
			uint32_t *out)
{
	const struct bw_ir_set *s = &run->ir->set[v->named - 1];
	const struct bw_field *df = bw_field(s->data);
	uint8_t key[BW_SET_KEY_MAX] = { 0 }, x[BW_VAL_MAX], val[BW_DMAP_VAL];
	const struct bw_ir_setelem *e;

	if (v->named > run->ir->nset || v->has_kmask || df->size > 4 ||
	    v->nkey != s->nkey || v->nop)
		return false;
	for (uint32_t k = 0; k < v->nkey; k++) {
		const struct bw_field *f = bw_field(v->key[k]);

		if (!value_of(run, f, x))
			return false;
		key_part(s, k, f, x, key);
	}
	if (run->c->state) {
		if (!bw_interp_dmap_get(&run->c->state->sets, run->ir,
					v->named - 1, key, val, run->c->now_ns))
			return false;
	} else {
		e = bw_ir_set_find(s, key);
		if (!e)
			return false;
		memcpy(val, e->data, sizeof(val));
	}
	*out = 0;
	for (unsigned i = 0; i < df->size; i++)
		*out = *out << 8 | val[i];
	return true;
}

/* A value expression on fields the interpreter reads (the mark, packet
 * fields; & | ^ of two of them): false where it reads another (the
 * connection's mark) or a field is not there (nf_tables' rule stops). */
static bool vx_value(const struct run *run, const struct bw_ir_vexpr *v,
		     uint32_t *out)
{
	uint32_t x, y;

	if (v->base == BW_VX_CONST)
		x = v->value;
	else if (v->base == BW_VX_MAP && v->named)
		return named_value(run, v, out);
	else if (v->base != BW_VX_FIELD || !vx_field(run, v->key[0], &x))
		return false;
	for (uint32_t i = 0; i < v->nop; i++) {
		const struct bw_ir_vop *o = &v->op[i];

		if (!bw_vx_regop(o->kind)) {
			x = o->kind == BW_VX_BOOL ? (x & o->mask) ^ o->xor :
			    o->kind == BW_VX_LSHIFT ? x << o->shift : x >> o->shift;
			continue;
		}
		if (!vx_field(run, o->rkey, &y))
			return false;
		if (o->rbool)
			y = (y & o->rmask) ^ o->rxor;
		x = o->kind == BW_VX_AND_REG ? x & y : o->kind == BW_VX_OR_REG ?
		    x | y : x ^ y;
	}
	*out = x;
	return true;
}

/* meta mark set N: the rules after it (and the hooks after, on the
 * netfilter path) see the new mark.  The others change what the
 * interpreter does not model (the connection's mark, the priority). */
static void set_field(struct run *run, uint32_t i)
{
	const struct bw_ir_setf *f = i < run->ir->nsetf ? &run->ir->setf[i] : NULL;
	uint32_t v;

	if (!f || f->key != BW_SETF_META_MARK ||
	    (f->from_field && f->src != BW_SETF_META_MARK))
		return;
	if (f->vexpr && !f->from_field && f->vx < run->ir->nvexpr) {
		/* a computed value: known when it is the mark's own */
		if (!bw_vexpr_of_mark(&run->ir->vexpr[f->vx], run->v.mark, &v) &&
		    !vx_value(run, &run->ir->vexpr[f->vx], &v))
			return;
	} else {
		v = f->from_field ? (run->v.mark & f->mask) ^ f->xor : f->value;
	}
	run->v.mark = v;
	if (run->x) {
		run->x->mark = v;
		run->x->mark_set = true;
	}
}

/* Does match m walk past BW_SCTP_CHUNK_MAX chunks (then run->chunk_drop)? */
static bool chunk_past_bound(struct run *run, const struct bw_ir_match *m)
{
	size_t at;

	if (m->lookup || !bw_field(m->field)->walk || bw_field(m->field)->raw ||
	    !run->pkt ||
	    run->v.l4proto != IPPROTO_SCTP || !(run->v.flags & BW_VIEW_L4))
		return false;
	if (bw_sctp_chunk_walk(run->pkt, run->v.pkt_len,
			       (size_t)run->v.l4off + 12, m->chunk.type,
			       &at) != BW_SCTP_TOO_MANY)
		return false;
	run->chunk_drop = true;
	return true;
}

/* A rule with an sctp chunk match: its walk may drop the packet. */
static bool walks(const struct bw_ir_rule *r)
{
	for (uint32_t i = 0; i < r->nmatch; i++)
		if (!r->match[i].lookup && bw_field(r->match[i].field)->walk)
			return true;
	return false;
}

static bool sets_field(const struct bw_ir_rule *r)
{
	for (uint32_t i = 0; i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_SETF ||
		    r->stmt[i].kind == BW_STMT_HDRSET ||
		    r->stmt[i].kind == BW_STMT_DYNSET)
			return true;
	return false;
}

/* A rule with a synproxy (a statement, or a use of synproxy objects):
 * run for its effect even without a verdict. */
static bool synproxies(const struct bw_ir *ir, const struct bw_ir_rule *r)
{
	for (uint32_t i = 0; i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_SYNPROXY ||
		    (r->stmt[i].kind == BW_STMT_OBJREF && r->stmt[i].index < ir->nobjref &&
		     ir->objref[r->stmt[i].index].kind == BW_OBJ_SYNPROXY))
			return true;
	return false;
}

/* synproxy (nft_synproxy.c): not TCP, the rule stops (NFT_BREAK); a SYN
 * is answered with a cookie SYN-ACK and taken (NF_STOLEN); an ACK's
 * cookie is checked: one the interpreter sent no SYN-ACK for fails
 * (NF_DROP), so both take the packet (run->stolen); other segments go
 * on. */
static bool synproxy_goes_on(struct run *run)
{
	const struct bw_view *v = &run->v;

	if (v->l4proto != IPPROTO_TCP || !(v->flags & BW_VIEW_L4))
		return false;
	if (v->l4h[13] & 0x12) {	/* SYN or ACK */
		run->stolen = true;
		return false;
	}
	return true;
}

/* A use of named objects (BW_STMT_OBJREF): does the rule go on?  A quota
 * object as a quota statement, a limit object as a limit; a counter and
 * the ct objects decide nothing; an object map whose key is not there
 * stops the rule (nft_objref_map_eval breaks). */
static bool objref_holds(struct run *run, uint32_t i)
{
	const struct bw_ir_objref *r = &run->ir->objref[i];
	const struct bw_ir_obj *o;
	uint32_t oi = r->obj;

	if (oi == UINT32_MAX) {
		const struct bw_ir_setelem *e;
		bool there;

		e = lookup(run, &r->map, &there);
		if (!e)
			return false;
		oi = e->target;
	}
	if (oi >= run->ir->nobj)
		return true;
	o = &run->ir->obj[oi];
	/* a quota object as a quota statement (past_quota: the kernel's
	 * "more than", its count kept across a run's packets) */
	if (o->kind == BW_OBJ_SYNPROXY)		/* as the statement */
		return synproxy_goes_on(run);
	if (o->kind == BW_OBJ_QUOTA && o->index < run->ir->nquota)
		return past_quota(run, o->index) == run->ir->quota[o->index].over;
	if (o->kind == BW_OBJ_LIMIT && o->index < run->ir->nlimit)
		return within_rate(run, o->index) != run->ir->limit[o->index].over;
	return true;
}

/* A write at the link layer: eth[] as on the wire; the first tag's TCI
 * and the EtherType after it (offsets 14, 16) kept as host-order numbers
 * in the view, the frame must have a tag (emit_hdrset.c's vlan_emit). */
static bool write_link(struct run *run, const struct bw_ir_hdrset *h)
{
	unsigned word = h->off < 16 ? 14 : 16;
	uint16_t *num;
	uint8_t b[2];

	if (h->off + h->len <= sizeof(run->v.eth)) {
		for (unsigned k = 0; k < h->len; k++)
			run->v.eth[h->off + k] = h->rmw ?
				(uint8_t)((run->v.eth[h->off + k] & h->mask[k]) ^ h->value[k]) :
				h->value[k];
		return true;
	}
	if (h->off + h->len > word + 2 || !(run->v.flags & BW_VIEW_VLAN))
		return false;
	num = word == 14 ? &run->v.vlan_tci : &run->v.vlan_type;
	b[0] = (uint8_t)(*num >> 8);
	b[1] = (uint8_t)*num;
	for (unsigned k = 0; k < h->len; k++) {
		uint8_t *x = &b[h->off - word + k];

		*x = h->rmw ? (uint8_t)((*x & h->mask[k]) ^ h->value[k]) : h->value[k];
	}
	*num = (uint16_t)(b[0] << 8 | b[1]);
	return true;
}

/* A header field write (compiler/front/hdrset.c): the view's copy of
 * the header changes, so the rules after see the new value, as in
 * nf_tables and in the TC program.  No such header: the rule stops
 * there (nft's dependency; the program's test). */
static bool write_header(struct run *run, uint32_t i)
{
	const struct bw_ir_hdrset *h = i < run->ir->nhdrset ? &run->ir->hdrset[i] : NULL;
	const struct bw_field *f;
	uint8_t *at;

	if (!h)
		return false;
	if (h->ibrhwaddr)	/* the bridge's address: not modeled */
		return true;
	f = bw_field((enum bw_field_id)h->field);
	if (h->base == 0)	/* the Ethernet header, a VLAN tag */
		return write_link(run, h);
	if (f->need_l3 && run->v.l3 != f->need_l3)
		return false;
	if (h->base == 2 && (!(run->v.flags & BW_VIEW_L4) ||
			     (!h->th && f->need_l4proto &&
			      run->v.l4proto != f->need_l4proto)))
		return false;
	if (h->off + h->len > (h->base == 2 ? sizeof(run->v.l4h) : sizeof(run->v.l3h)))
		return false;
	at = (h->base == 2 ? run->v.l4h : run->v.l3h) + h->off;
	for (unsigned k = 0; k < h->len; k++)
		at[k] = h->rmw ? (uint8_t)((at[k] & h->mask[k]) ^ h->value[k]) : h->value[k];
	return true;
}

static bool stmts_hold(struct run *run, const struct bw_ir_rule *r,
		       uint32_t from, uint32_t to);

/* The leading matches, then the statements in order (those before a
 * vmap's): does the rule get to its verdict? */
static bool rule_matches(struct run *run, const struct bw_ir_rule *r)
{
	uint32_t nlead = r->nstmt ? r->nlead : r->nmatch;

	/* the program walks the chunks of every leading match (they are
	 * evaluated without branches), whatever the others say */
	for (uint32_t i = 0; i < nlead; i++)
		if (chunk_past_bound(run, &r->match[i]))
			return true;
	for (uint32_t i = 0; i < nlead; i++)
		if (!match_holds(run, &r->match[i]))
			return false;
	return stmts_hold(run, r, 0, r->nstmt - r->nafter);
}

/* Statements [from, to) of r in order: does the rule get past them? */
static bool stmts_hold(struct run *run, const struct bw_ir_rule *r,
		       uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		const struct bw_ir_stmt *s = &r->stmt[i];

		if (s->kind == BW_STMT_MATCH &&
		    chunk_past_bound(run, &r->match[s->index]))
			return true;
		if (s->kind == BW_STMT_MATCH && !match_holds(run, &r->match[s->index]))
			return false;
		if (s->kind == BW_STMT_LIMIT &&
		    within_rate(run, s->index) == run->ir->limit[s->index].over)
			return false;
		if (s->kind == BW_STMT_SETF)
			set_field(run, s->index);
		if (s->kind == BW_STMT_HDRSET && !write_header(run, s->index))
			return false;
		if (s->kind == BW_STMT_QUOTA && s->index < run->ir->nquota &&
		    past_quota(run, s->index) != run->ir->quota[s->index].over)
			return false;
		if (s->kind == BW_STMT_OBJREF && s->index < run->ir->nobjref &&
		    !objref_holds(run, s->index))
			return false;
		if (s->kind == BW_STMT_DYNSET && s->index < run->ir->ndynset &&
		    !dynset(run, s->index))
			return false;
		/* tproxy: no socket here (the interpreter has none), so
		 * nft_tproxy finds none and the rule stops */
		if (s->kind == BW_STMT_TPROXY)
			return false;
		if (s->kind == BW_STMT_SYNPROXY && !synproxy_goes_on(run))
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

/* Does rule r forward the packet (fwd, not dup)? */
static bool forwards(const struct bw_ir *ir, const struct bw_ir_rule *r)
{
	for (uint32_t i = 0; i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_FWD && r->stmt[i].index < ir->nfwd &&
		    !ir->fwd[r->stmt[i].index].dup)
			return true;
	return false;
}

/*
 * One chain, and the chains it jumps to: returns ACCEPT or DROP with
 * *handle the deciding rule, or RETURN when the chain ran out of rules or
 * returned (the caller goes on; a base chain's policy then decides).
 */
static enum bw_verdict run_chain(struct run *run, uint32_t ci,
				 uint32_t *handle, unsigned depth)
{
	const struct bw_ir_chain *c = &run->ir->chain[ci];

	for (uint32_t i = 0; i < c->nrule; i++) {
		const struct bw_ir_rule *r = &c->rule[i];
		enum bw_verdict sub;

		enum bw_verdict v = r->verdict;
		uint32_t target = r->target;

		/* fwd (fwd.h): the packet leaves by another device, nf_tables
		 * takes it (NF_STOLEN): its way here ends, as dropped */
		if (v == BW_VERDICT_CONTINUE && forwards(run->ir, r)) {
			if (!rule_matches(run, r))
				continue;
			*handle = r->handle;
			return BW_VERDICT_DROP;
		}
		if (v == BW_VERDICT_CONTINUE && !synproxies(run->ir, r)) {
			if (sets_field(r) ||	/* for its effect */
			    (walks(r) && (r->counter || r->nstmt)))
				rule_matches(run, r);
			if (!run->chunk_drop)
				continue;
		}
		if (!rule_matches(run, r)) {
			if ((run->hotdrop && *run->hotdrop) || run->stolen) {
				*handle = r->handle;
				return BW_VERDICT_DROP;
			}
			continue;
		}
		if (run->chunk_drop) {
			*handle = 0;
			return BW_VERDICT_DROP;
		}
		if (bw_ir_rule_vmap(r)) {
			bool there, held = true;
			const struct bw_ir_setelem *e = lookup(run, &r->vmap, &there);
			const struct bw_ir_set *vs = &run->ir->set[r->vmap.set];

			if (!e && there && vs->has_catchall)
				e = &vs->catchall;	/* `* : VERDICT` */
			if (!e)
				continue;	/* not in the map: next rule */
			if (v == BW_VERDICT_VMAP || e->verdict != BW_VERDICT_CONTINUE) {
				v = e->verdict;
				target = e->target;
			}
			/* continue: the statements after the vmap, then a
			 * nat or queue verdict (vmap_then) */
			if (e->verdict == BW_VERDICT_CONTINUE && r->nafter)
				held = stmts_hold(run, r, r->nstmt - r->nafter,
						  r->nstmt);
			if (run->chunk_drop) {
				*handle = 0;
				return BW_VERDICT_DROP;
			}
			if (!held)
				continue;
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
		case BW_VERDICT_QUEUE:
			/* as if no program listened: dropped, or accepted
			 * with bypass */
			*handle = r->handle;
			return r->nat < run->ir->nqueue &&
			       (run->ir->queue[r->nat].flags & BW_QUEUE_F_BYPASS) ?
			       BW_VERDICT_ACCEPT : BW_VERDICT_DROP;
		case BW_VERDICT_NAT:
			/* nf_tables translates the connection, and the
			 * chain accepts */
			*handle = r->handle;
			if (run->x && r->nat < run->ir->nnat) {
				const struct bw_ir_nat *n = &run->ir->nat[r->nat];

				if (n->kind == BW_NAT_DNAT || n->kind == BW_NAT_REDIR)
					run->x->dst = n;
				else
					run->x->src = n;
				run->x->handle = r->handle;
				run->x->pending = true;
			}
			return BW_VERDICT_ACCEPT;
		default:
			*handle = r->handle;
			return v;
		}
	}
	return BW_VERDICT_RETURN;
}

/* A base chain: its rules, then its policy. */
static enum bw_verdict run_base(struct run *run, uint32_t ci,
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
		run->fam = ch->family;
		v = run_base(run, idx[i], &handle);
		res->handle = handle;
		if (run->x && run->x->pending) {
			run->x->pending = false;
			xlate_apply(run->x, &run->v);
			if (!res->nat_handle) {
				res->nat_handle = run->x->handle;
				res->nat_chain = idx[i];
			}
		}
		if (run->chunk_drop) {
			res->verdict = BW_VERDICT_DROP;
			res->malformed = true;
			res->reason = BW_REASON_SCTP_CHUNKS;
			return true;
		}
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

/* Frame chains: netdev, bridge and arp chains see the frame (the bridge
 * and arp ones with the ARP header in l3h, as arp fields read it). */
static bool frame_chain(const struct bw_ir_chain *ch)
{
	return bw_chain_hook_netdev(ch->hook) || bw_family_nft_only(ch->family);
}

static void frame_view(struct bw_view *v, const uint8_t *pkt, size_t len)
{
	if (len >= 14 + 28 && pkt[12] == 0x08 && pkt[13] == 0x06)
		memcpy(v->l3h, pkt + 14, 28);
}

/* The chains of path idx[0, n) in the order the kernel's families run
 * them (bw_interp_ctx.ibr); returns the new count. */
static uint32_t order_families(const struct bw_ir *ir, enum bw_path path,
			       uint32_t *idx, uint32_t n)
{
	uint32_t *t = malloc((n ? n : 1) * sizeof(*t)), k = 0;
	bool bridged = false;

	if (!t)
		return n;
	for (uint32_t i = 0; i < n; i++)
		bridged |= ir->chain[idx[i]].family == BW_FAMILY_BRIDGE;
	bridged &= path == BW_PATH_FORWARD;
	/* netdev ingress; bridge and arp going in; IP; bridge and arp
	 * going out; netdev egress */
	for (int pass = 0; pass < 5; pass++)
		for (uint32_t i = 0; i < n; i++) {
			const struct bw_ir_chain *ch = &ir->chain[idx[i]];
			int want;

			if (ch->hook == BW_CHAIN_INGRESS)
				want = 0;
			else if (ch->hook == BW_CHAIN_EGRESS)
				want = 4;
			else if (bw_family_nft_only(ch->family))
				want = path == BW_PATH_OUT ? 3 : 1;
			else
				want = bridged ? -1 : 2;
			if (want == pass)
				t[k++] = idx[i];
		}
	memcpy(idx, t, k * sizeof(*t));
	free(t);
	return k;
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
	struct xlate x = { 0 };
	bool hotdrop = false;
	struct run run = { .ir = ir, .c = c, .x = &x, .hotdrop = &hotdrop };
	enum bw_reason reason = BW_REASON_ETH_TRUNC;
	struct bw_view frame;
	uint32_t *idx, n, i = 0;
	bool frame_bad, ip;
	int err = 0;

	idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	n = bw_ir_chains_path(ir, c->path, c->iif, c->oif, idx);
	n = order_families(ir, c->path, idx, n);
	frame_bad = bw_view_parse(pkt, len, &frame, &reason) != 0;
	ip = len >= 14 && ((pkt[12] == 0x08 && pkt[13] == 0x00) ||
			   (pkt[12] == 0x86 && pkt[13] == 0xdd));
	for (uint32_t first = 0; first < n; first = i) {
		enum bw_chain_hook h = ir->chain[idx[first]].hook;
		enum bw_family fam = ir->chain[idx[first]].family;
		bool netdev = frame_chain(&ir->chain[idx[first]]);

		/* a run of chains one program runs: the netdev chains of a
		 * device, or the IP chains of one hook; the bridge and
		 * arp chains of one family and hook */
		for (i = first + 1; i < n; i++)
			if (frame_chain(&ir->chain[idx[i]]) != netdev ||
			    ir->chain[idx[i]].family != fam ||
			    (!bw_chain_hook_netdev(h) && ir->chain[idx[i]].hook != h))
				break;
		if (netdev) {
			if (frame_bad)
				goto malformed;
			run.v = frame;
			run.pkt = pkt;
			run.len = len;
			frame_view(&run.v, pkt, len);
			memcpy(run.v.l4h + 20, &c->cpu, sizeof(c->cpu));
			run.v.mark = h == BW_CHAIN_EGRESS || bw_family_nft_only(fam) ?
				     c->mark : 0;
			run.v.pkttype = pkttype_of(&run.v);
		} else {
			if (!ip)
				continue;	/* the IP hooks never see it */
			if (bw_view_parse_l3(pkt + 14, len - 14,
					     pkt[12] == 0x08 ? 0x0800 : 0x86dd,
					     &run.v, &reason))
				goto malformed;
			run.pkt = pkt + 14;
			run.len = len - 14;
			if (h != BW_CHAIN_OUTPUT)
				memcpy(run.v.eth, pkt, 14);
			run.v.mark = c->mark;
			run.v.pkttype = nf_pkttype(&run.v, h);
			xlate_apply(&x, &run.v);	/* by the hooks before */
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
	bool hotdrop = false;
	struct run run = { .ir = ir, .c = c, .hotdrop = &hotdrop };
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
	res->nat_chain = UINT32_MAX;
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

	run.pkt = pkt;
	run.len = len;
	if (bw_view_parse(pkt, len, &run.v, &reason)) {
		res->verdict = BW_VERDICT_DROP;
		res->malformed = true;
		res->reason = reason;
		return 0;
	}
	run.pkt = pkt;
	memcpy(run.v.l4h + 20, &c->cpu, sizeof(c->cpu));	/* meta cpu */
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
	free(s->quota);
	s->quota = NULL;
	bw_ct_table_free(&s->ct);
	bw_interp_sets_free(&s->sets);
}

int bw_interp_run(const struct bw_ir *ir, bool egress, const char *ifname,
		  const uint8_t *pkt, size_t len, struct bw_interp_result *res)
{
	struct bw_interp_ctx c = { .egress = egress, .ifname = ifname };

	return bw_interp_run_ctx(ir, &c, pkt, len, res);
}
