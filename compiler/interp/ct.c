// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection tracking (ct.h): the tables both trackers share, and the
 * reference tracker the interpreter runs.  The BPF tracker (emit_ct.c)
 * is generated from the same tables and must meet the same states; the
 * verdict tests run every packet through both.
 */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "ct.h"

#define NO	BW_CT_TCP_NONE
#define SS	BW_CT_TCP_SYN_SENT
#define SR	BW_CT_TCP_SYN_RECV
#define ES	BW_CT_TCP_ESTABLISHED
#define FI	BW_CT_TCP_FIN
#define CL	BW_CT_TCP_CLOSE
#define IG	BW_CT_TCP_IGNORE
#define IV	BW_CT_TCP_INVALID

/*
 * Columns: the flow's state NONE, SYN_SENT, SYN_RECV, ESTABLISHED, FIN,
 * CLOSE.  The shape of the kernel's table, with its closing states
 * (FIN_WAIT, CLOSE_WAIT, LAST_ACK, TIME_WAIT) folded into one.
 */
const uint8_t bw_ct_tcp_next[2][BW_CT_SEG__MAX][BW_CT_TCP__MAX] = {
	{	/* from the side that opened the flow */
		/*              NO  SS  SR  ES  FI  CL */
		[BW_CT_SEG_SYN]    = { SS, SS, IG, IG, SS, SS },
		[BW_CT_SEG_SYNACK] = { IV, IG, IG, IG, IG, IG },
		[BW_CT_SEG_FIN]    = { IV, IV, FI, FI, FI, CL },
		[BW_CT_SEG_ACK]    = { ES, IV, ES, ES, FI, CL },
		[BW_CT_SEG_RST]    = { IV, CL, CL, CL, CL, CL },
		[BW_CT_SEG_NONE]   = { IV, IV, IV, IV, IV, IV },
	},
	{	/* from the other side (a flow exists: never NONE) */
		/*              NO  SS  SR  ES  FI  CL */
		[BW_CT_SEG_SYN]    = { IV, IG, IV, IV, IV, IV },
		[BW_CT_SEG_SYNACK] = { IV, SR, IG, IG, IG, IG },
		[BW_CT_SEG_FIN]    = { IV, IV, FI, FI, FI, CL },
		[BW_CT_SEG_ACK]    = { IV, IG, SR, ES, FI, CL },
		[BW_CT_SEG_RST]    = { IV, CL, CL, CL, CL, CL },
		[BW_CT_SEG_NONE]   = { IV, IV, IV, IV, IV, IV },
	},
};

uint32_t bw_ct_tcp_timeout(enum bw_ct_tcp s)
{
	switch (s) {
	case BW_CT_TCP_SYN_SENT:	return 120;
	case BW_CT_TCP_SYN_RECV:	return 60;
	case BW_CT_TCP_ESTABLISHED:	return 5 * 24 * 3600;
	case BW_CT_TCP_FIN:		return 120;
	case BW_CT_TCP_CLOSE:		return 10;
	default:			return 0;
	}
}

const char *bw_ct_tcp_name(uint8_t s)
{
	static const char *const names[BW_CT_TCP__MAX] = {
		[BW_CT_TCP_SYN_SENT] = "SYN_SENT",
		[BW_CT_TCP_SYN_RECV] = "SYN_RECV",
		[BW_CT_TCP_ESTABLISHED] = "ESTABLISHED",
		[BW_CT_TCP_FIN] = "CLOSING",
		[BW_CT_TCP_CLOSE] = "CLOSE",
	};

	return s < BW_CT_TCP__MAX ? names[s] : NULL;
}

enum bw_ct_tcp_class bw_ct_tcp_class(uint8_t f)
{
	if (f & 0x04)
		return BW_CT_SEG_RST;
	if (f & 0x02)
		return f & 0x10 ? BW_CT_SEG_SYNACK : BW_CT_SEG_SYN;
	if (f & 0x01)
		return BW_CT_SEG_FIN;
	if (f & 0x10)
		return BW_CT_SEG_ACK;
	return BW_CT_SEG_NONE;
}

const struct bw_ct_icmp_type bw_ct_icmp_types[] = {
	{ IPPROTO_ICMP, 8, BW_CT_ICMP_REQUEST },	/* echo */
	{ IPPROTO_ICMP, 13, BW_CT_ICMP_REQUEST },	/* timestamp */
	{ IPPROTO_ICMP, 15, BW_CT_ICMP_REQUEST },	/* information */
	{ IPPROTO_ICMP, 17, BW_CT_ICMP_REQUEST },	/* address mask */
	{ IPPROTO_ICMP, 0, BW_CT_ICMP_REPLY },
	{ IPPROTO_ICMP, 14, BW_CT_ICMP_REPLY },
	{ IPPROTO_ICMP, 16, BW_CT_ICMP_REPLY },
	{ IPPROTO_ICMP, 18, BW_CT_ICMP_REPLY },
	{ IPPROTO_ICMP, 3, BW_CT_ICMP_ERROR },		/* unreachable */
	{ IPPROTO_ICMP, 4, BW_CT_ICMP_ERROR },		/* source quench */
	{ IPPROTO_ICMP, 5, BW_CT_ICMP_ERROR },		/* redirect */
	{ IPPROTO_ICMP, 11, BW_CT_ICMP_ERROR },		/* time exceeded */
	{ IPPROTO_ICMP, 12, BW_CT_ICMP_ERROR },		/* parameter problem */
	{ IPPROTO_ICMPV6, 128, BW_CT_ICMP_REQUEST },	/* echo */
	{ IPPROTO_ICMPV6, 139, BW_CT_ICMP_REQUEST },	/* node information */
	{ IPPROTO_ICMPV6, 129, BW_CT_ICMP_REPLY },
	{ IPPROTO_ICMPV6, 140, BW_CT_ICMP_REPLY },
	{ IPPROTO_ICMPV6, 1, BW_CT_ICMP_ERROR },	/* unreachable */
	{ IPPROTO_ICMPV6, 2, BW_CT_ICMP_ERROR },	/* packet too big */
	{ IPPROTO_ICMPV6, 3, BW_CT_ICMP_ERROR },	/* time exceeded */
	{ IPPROTO_ICMPV6, 4, BW_CT_ICMP_ERROR },	/* parameter problem */
	{ IPPROTO_ICMPV6, 130, BW_CT_ICMP_UNTRACKED },	/* MLD query */
	{ IPPROTO_ICMPV6, 131, BW_CT_ICMP_UNTRACKED },	/* MLD report */
	{ IPPROTO_ICMPV6, 132, BW_CT_ICMP_UNTRACKED },	/* MLD done */
	{ IPPROTO_ICMPV6, 133, BW_CT_ICMP_UNTRACKED },	/* router solicitation */
	{ IPPROTO_ICMPV6, 134, BW_CT_ICMP_UNTRACKED },	/* router advertisement */
	{ IPPROTO_ICMPV6, 135, BW_CT_ICMP_UNTRACKED },	/* neighbour solicitation */
	{ IPPROTO_ICMPV6, 136, BW_CT_ICMP_UNTRACKED },	/* neighbour advertisement */
	{ IPPROTO_ICMPV6, 143, BW_CT_ICMP_UNTRACKED },	/* MLDv2 report */
	{ IPPROTO_ICMPV6, 151, BW_CT_ICMP_UNTRACKED },	/* multicast router adv. */
	{ IPPROTO_ICMPV6, 152, BW_CT_ICMP_UNTRACKED },	/* multicast router sol. */
};
const unsigned bw_ct_nicmp_types = sizeof(bw_ct_icmp_types) /
				   sizeof(bw_ct_icmp_types[0]);

uint8_t bw_ct_icmp_request_of(uint8_t reply)
{
	return reply == 0 ? 8 : (uint8_t)(reply - 1);
}

enum bw_ct_icmp_kind bw_ct_icmp_kind(uint8_t proto, uint8_t type,
				     uint8_t *req)
{
	for (unsigned i = 0; i < bw_ct_nicmp_types; i++) {
		const struct bw_ct_icmp_type *t = &bw_ct_icmp_types[i];

		if (t->proto != proto || t->type != type)
			continue;
		*req = t->kind == BW_CT_ICMP_REPLY ? bw_ct_icmp_request_of(type) :
						     type;
		return t->kind;
	}
	*req = type;
	return BW_CT_ICMP_OTHER;
}

bool bw_ct_src_is_b(const uint8_t saddr[16], const uint8_t daddr[16],
		    uint16_t sport, uint16_t dport)
{
	for (int w = 0; w < 4; w++) {
		uint32_t s, d;

		memcpy(&s, saddr + 4 * w, 4);
		memcpy(&d, daddr + 4 * w, 4);
		if (s != d)
			return s > d;
	}
	return sport > dport;
}

/* ------------------------------------------------ reference tracker */

static struct bw_ct_entry *find(struct bw_ct_table *t,
				const struct bw_ct_key *k, uint64_t now)
{
	for (uint32_t i = 0; i < t->n; i++)
		if (!memcmp(&t->v[i].key, k, sizeof(*k)))
			return t->v[i].val.expires > now ? &t->v[i] : NULL;
	return NULL;
}

static void put(struct bw_ct_table *t, const struct bw_ct_key *k,
		const struct bw_ct_value *val)
{
	struct bw_ct_entry *e = NULL;

	for (uint32_t i = 0; i < t->n && !e; i++)
		if (!memcmp(&t->v[i].key, k, sizeof(*k)))
			e = &t->v[i];
	if (!e) {
		if (t->n == t->cap) {
			uint32_t cap = t->cap ? 2 * t->cap : 16;
			struct bw_ct_entry *v = realloc(t->v, cap * sizeof(*v));

			if (!v)
				return;	/* as a full LRU: the entry is lost */
			t->v = v;
			t->cap = cap;
		}
		e = &t->v[t->n++];
		e->key = *k;
	}
	e->val = *val;
}

static uint64_t after(uint64_t now, uint32_t seconds)
{
	return now + (uint64_t)seconds * 1000000000u;
}

/* One side's tuple, before the canonical order. */
struct tuple {
	uint8_t l3, proto;
	uint8_t saddr[16], daddr[16];
	uint16_t sport, dport;
	enum bw_ct_icmp_kind icmp;	/* ICMP: REQUEST or REPLY */
};

static void tuple_addrs(struct tuple *tp, uint8_t l3, const uint8_t *ip)
{
	memset(tp, 0, sizeof(*tp));
	tp->l3 = l3;
	if (l3 == 4) {
		memcpy(tp->saddr, ip + 12, 4);
		memcpy(tp->daddr, ip + 16, 4);
	} else {
		memcpy(tp->saddr, ip + 8, 16);
		memcpy(tp->daddr, ip + 24, 16);
	}
}

/* The ports of a tuple from the transport header l4 (8 bytes); false
 * when the packet cannot be tracked (an ICMP type that opens nothing). */
static bool tuple_ports(struct tuple *tp, const uint8_t *l4)
{
	uint8_t req;

	switch (tp->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		memcpy(&tp->sport, l4, 2);
		memcpy(&tp->dport, l4 + 2, 2);
		return true;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if ((tp->proto == IPPROTO_ICMP) != (tp->l3 == 4))
			return true;	/* the other family's: no ports */
		tp->icmp = bw_ct_icmp_kind(tp->proto, l4[0], &req);
		if (tp->icmp == BW_CT_ICMP_REQUEST) {
			memcpy(&tp->sport, l4 + 4, 2);
			tp->dport = req;
		} else if (tp->icmp == BW_CT_ICMP_REPLY) {
			tp->sport = req;
			memcpy(&tp->dport, l4 + 4, 2);
		} else {
			return false;
		}
		return true;
	default:
		return true;
	}
}

static bool tuple_icmp(const struct tuple *tp)
{
	return tp->icmp == BW_CT_ICMP_REQUEST || tp->icmp == BW_CT_ICMP_REPLY;
}

/* The canonical key; returns whether the source is endpoint b. */
static bool tuple_key(const struct tuple *tp, struct bw_ct_key *k)
{
	bool b = bw_ct_src_is_b(tp->saddr, tp->daddr, tp->sport, tp->dport);

	memset(k, 0, sizeof(*k));
	k->l3 = tp->l3;
	k->proto = tp->proto;
	k->kind = BW_CT_KEY_FLOW;
	k->port[0] = b ? tp->dport : tp->sport;
	k->port[1] = b ? tp->sport : tp->dport;
	memcpy(k->addr[0], b ? tp->daddr : tp->saddr, 16);
	memcpy(k->addr[1], b ? tp->saddr : tp->daddr, 16);
	return b;
}

/* A flow's packet: the state it meets. */
static uint8_t track_flow(struct bw_ct_table *t, const struct tuple *tp,
			  uint8_t tcp_flags, uint64_t now,
			  struct bw_ct_pending *p)
{
	bool b = tuple_key(tp, &p->key);
	struct bw_ct_entry *e = find(t, &p->key, now);
	bool reply = e && (!!(e->val.flags & BW_CTF_ORIG_B) != b);
	uint32_t timeout;

	if (tp->proto == IPPROTO_TCP) {
		enum bw_ct_tcp_class c = bw_ct_tcp_class(tcp_flags);
		uint8_t cur = e ? e->val.tcp : BW_CT_TCP_NONE;
		uint8_t next = bw_ct_tcp_next[reply][c][cur];

		if (next == BW_CT_TCP_INVALID)
			return BW_CT_INVALID;
		if (!e) {
			p->val.tcp = next;
			timeout = bw_ct_tcp_timeout(next);
		} else if (next != BW_CT_TCP_IGNORE) {
			if (next == BW_CT_TCP_SYN_SENT && cur != next)
				e->val.flags &= (uint8_t)~BW_CTF_REPLIED;
			e->val.tcp = next;
			e->val.expires = after(now, bw_ct_tcp_timeout(next));
		}
	} else if (tp->proto == IPPROTO_UDP) {
		timeout = BW_CT_UDP_TIMEOUT;
		if (e && (reply || (e->val.flags & BW_CTF_REPLIED)))
			e->val.expires = after(now, BW_CT_UDP_REPLIED_TIMEOUT);
		else if (e)
			e->val.expires = after(now, BW_CT_UDP_TIMEOUT);
	} else if (tuple_icmp(tp)) {
		/* a request comes from the asking side, a reply from the
		 * other; a reply with no query is invalid */
		if ((tp->icmp == BW_CT_ICMP_REPLY) != reply)
			return BW_CT_INVALID;
		timeout = BW_CT_ICMP_TIMEOUT;
		if (e)
			e->val.expires = after(now, BW_CT_ICMP_TIMEOUT);
	} else {
		timeout = BW_CT_OTHER_TIMEOUT;
		if (e)
			e->val.expires = after(now, BW_CT_OTHER_TIMEOUT);
	}
	if (!e) {
		p->create = true;
		p->val.flags = b ? BW_CTF_ORIG_B : 0;
		p->timeout = timeout;
		return BW_CT_NEW;
	}
	if (reply) {
		e->val.flags |= BW_CTF_REPLIED;
		return BW_CT_ESTABLISHED;
	}
	return e->val.flags & BW_CTF_REPLIED ? BW_CT_ESTABLISHED : BW_CT_NEW;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* End of the IP packet in the frame (what trails it is not read). */
static uint32_t ip_end(const struct bw_view *v)
{
	if (v->l3 == 4)
		return v->l3off + get16(v->l3h + 2);
	return v->l3off + 40u + get16(v->l3h + 4);
}

/* An ICMP error: related when the packet it quotes belongs to a flow. */
static uint8_t track_error(struct bw_ct_table *t, const struct bw_view *v,
			   const uint8_t *pkt, uint32_t len, uint64_t now)
{
	uint32_t end = ip_end(v), off = v->l4off + 8u, hl;
	struct bw_ct_key k;
	struct tuple tp;
	const uint8_t *ip = pkt + off;

	if (end > len)
		end = len;
	hl = v->l3 == 4 ? 20 : 40;
	if (off + hl > end || ip[0] >> 4 != v->l3)
		return BW_CT_INVALID;
	tuple_addrs(&tp, v->l3, ip);
	if (v->l3 == 4) {
		hl = (ip[0] & 15) * 4u;
		if (hl < 20)
			return BW_CT_INVALID;
		tp.proto = ip[9];
	} else {
		/* the quoted packet's extension headers, walked as
		 * conntrack's ipv6_skip_exthdr() does (past AH, unlike the
		 * view's step 3); a later fragment has no ports */
		tp.proto = ip[6];
		for (int i = 0; bw_view_ip6_exthdr(tp.proto); i++) {
			const uint8_t *x = pkt + off + hl;

			if (i == BW_IP6_EXT_MAX || off + hl + 8 > end)
				return BW_CT_INVALID;
			if (tp.proto == IPPROTO_FRAGMENT && (get16(x + 2) & 0xfff8))
				return BW_CT_INVALID;
			hl += tp.proto == IPPROTO_FRAGMENT ? 8u :
			      tp.proto == IPPROTO_AH ? (x[1] + 2u) * 4 :
			      (x[1] + 1u) * 8;
			tp.proto = x[0];
		}
	}
	if (off + hl + 8 > end || !tuple_ports(&tp, pkt + off + hl))
		return BW_CT_INVALID;
	tuple_key(&tp, &k);
	return find(t, &k, now) ? BW_CT_RELATED : BW_CT_INVALID;
}

/* The key of a fragment record: sender, receiver, protocol, id. */
static void frag_key(const struct bw_view *v, struct bw_ct_key *k)
{
	struct tuple tp;

	tuple_addrs(&tp, v->l3, v->l3h);
	memset(k, 0, sizeof(*k));
	k->l3 = v->l3;
	k->proto = v->l4proto;
	k->kind = BW_CT_KEY_FRAG;
	memcpy(k->port, &v->frag_id, 4);
	memcpy(k->addr[0], tp.saddr, 16);
	memcpy(k->addr[1], tp.daddr, 16);
}

uint8_t bw_ct_track(struct bw_ct_table *t, const struct bw_view *v,
		    const uint8_t *pkt, uint32_t len, uint64_t now,
		    struct bw_ct_pending *p)
{
	struct bw_ct_key fk;
	struct tuple tp;
	uint8_t state;

	memset(p, 0, sizeof(*p));
	if (v->l3 != 4 && v->l3 != 6)
		return BW_CT_INVALID;
	if (v->flags & BW_VIEW_LATER) {
		struct bw_ct_entry *e;

		frag_key(v, &fk);
		e = find(t, &fk, now);
		p->frag_ok = e != NULL;
		return e ? e->val.state : BW_CT_INVALID;
	}
	tuple_addrs(&tp, v->l3, v->l3h);
	tp.proto = v->l4proto;
	if ((v->flags & BW_VIEW_L4) && !tuple_ports(&tp, v->l4h)) {
		uint8_t req;

		switch (bw_ct_icmp_kind(tp.proto, v->l4h[0], &req)) {
		case BW_CT_ICMP_UNTRACKED:
			state = BW_CT_UNTRACKED;
			break;
		case BW_CT_ICMP_ERROR:
			state = track_error(t, v, pkt, len, now);
			break;
		default:
			state = BW_CT_INVALID;
		}
	} else {
		state = track_flow(t, &tp, v->l4h[13], now, p);
	}
	if (v->flags & BW_VIEW_FRAG) {	/* a first fragment */
		p->frag = true;
		frag_key(v, &p->frag_key);
		p->frag_state = state;
	}
	return state;
}

void bw_ct_confirm(struct bw_ct_table *t, const struct bw_ct_pending *p,
		   uint64_t now)
{
	struct bw_ct_value val = p->val;

	if (p->frag) {
		struct bw_ct_value fv = { .expires = after(now, BW_CT_FRAG_TIMEOUT),
					  .state = p->frag_state };

		put(t, &p->frag_key, &fv);
	}
	if (!p->create)
		return;
	val.expires = after(now, p->timeout);
	put(t, &p->key, &val);
}

void bw_ct_table_free(struct bw_ct_table *t)
{
	free(t->v);
	memset(t, 0, sizeof(*t));
}
