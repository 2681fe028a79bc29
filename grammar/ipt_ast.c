// SPDX-License-Identifier: GPL-2.0-only
/*
 * An iptables table as nft syntax: `table ip|ip6 NAME { chain ... }`,
 * the same tree the nft-language parser builds, so that one evaluator
 * and one compiler serve both.  Each iptables match becomes the nft
 * match iptables-nft would make of it (`-p tcp --dport 22` is `tcp dport
 * 22`, `-m conntrack --ctstate` is `ct state`, `-m multiport` an
 * anonymous set, ...), every rule gets a counter (iptables counts every
 * rule), and every base chain ends with a rule of a counter only: the
 * policy's count.  Nodes are located at the iptables words they come
 * from.  An empty builtin chain whose policy is ACCEPT is left out: it
 * would change nothing, and no program need run at its hook.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ipt_ext.h"
#include "ipset.h"

struct actx {
	struct bw_arena *a;
	bool oom;
	const struct bw_ipt_match *untranslated;	/* an extension with
							 * no case below */
	bool v6;
	struct bw_ast_stmt *head, *tail;
	const struct bw_ipset_list *sets;
	const struct bw_ipset *used[64];	/* the sets -m set names */
	unsigned nused;
	const struct bw_ipt_match *badset;	/* a set not in sets */
};

static void *alloc(struct actx *x, size_t n)
{
	void *p = bw_arena_alloc(x->a, n);

	if (!p)
		x->oom = true;
	return p;
}

static char *str(struct actx *x, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *str(struct actx *x, const char *fmt, ...)
{
	char buf[320];
	va_list ap;
	char *s;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s = bw_arena_strndup(x->a, buf, strlen(buf));
	if (!s)
		x->oom = true;
	return s ? s : (char *)"";
}

static struct bw_ast_expr *ex(struct actx *x, enum bw_ast_expr_kind k,
			      const char *text, const struct bw_loc *loc)
{
	struct bw_ast_expr *e = alloc(x, sizeof(*e));

	if (!e)
		return NULL;
	e->kind = k;
	e->text = text;
	e->loc = *loc;
	return e;
}

static struct bw_ast_expr *bin(struct actx *x, enum bw_ast_expr_kind k,
			       struct bw_ast_expr *l, struct bw_ast_expr *r,
			       const struct bw_loc *loc)
{
	struct bw_ast_expr *e = ex(x, k, NULL, loc);

	if (e) {
		e->left = l;
		e->right = r;
	}
	return e;
}

static struct bw_ast_stmt *stmt(struct actx *x, enum bw_ast_stmt_kind k,
				const struct bw_loc *loc)
{
	struct bw_ast_stmt *s = alloc(x, sizeof(*s));

	if (!s)
		return NULL;
	s->kind = k;
	s->loc = *loc;
	if (x->tail)
		x->tail->next = s;
	else
		x->head = s;
	x->tail = s;
	return s;
}

/* proto field [& mask] op rhs */
static void match(struct actx *x, const char *proto, const char *field,
		  enum bw_ast_op op, struct bw_ast_expr *mask,
		  struct bw_ast_expr *rhs, const struct bw_loc *loc)
{
	struct bw_ast_stmt *s = stmt(x, BW_AS_MATCH, loc);

	if (!s)
		return;
	s->proto = proto;
	s->field = field;
	s->proto_loc = s->field_loc = s->op_loc = *loc;
	s->proto_implicit = !strcmp(proto, "meta") &&
			    (!strcmp(field, "iifname") || !strcmp(field, "oifname"));
	s->op = op;
	s->mask = mask;
	s->rhs = rhs;
}

static struct bw_ast_fref *fref(struct actx *x, const char *proto,
				 const char *field, const struct bw_loc *loc)
{
	struct bw_ast_fref *f = alloc(x, sizeof(*f));

	if (f) {
		f->proto = proto;
		f->field = field;
		f->proto_loc = f->field_loc = *loc;
	}
	return f;
}

static enum bw_ast_op eq(bool inv)
{
	return inv ? BW_OP_NE : BW_OP_IMPLICIT;
}

static const char *addr_text(struct actx *x, const uint8_t *a)
{
	char buf[64];

	inet_ntop(x->v6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	return str(x, "%s", buf);
}

static int prefix_len(const uint8_t *m, int len)
{
	int bits = 0, i;

	for (i = 0; i < len * 8 && (m[i / 8] & (0x80 >> (i % 8))); i++)
		bits++;
	for (; i < len * 8; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return bits;
}

static void addr(struct actx *x, const char *field, const uint8_t *a,
		 const uint8_t *m, bool inv, const struct bw_loc *loc)
{
	const char *l3 = x->v6 ? "ip6" : "ip";
	int len = x->v6 ? 16 : 4, bits = prefix_len(m, len);
	struct bw_ast_expr *v = ex(x, BW_AE_ADDR, addr_text(x, a), loc);

	if (bits == 0 && !inv)
		return;		/* every address */
	if (bits < 0) {
		match(x, l3, field, inv ? BW_OP_NE : BW_OP_EQ,
		      ex(x, BW_AE_ADDR, addr_text(x, m), loc), v, loc);
		return;
	}
	if (bits < len * 8)
		v = bin(x, BW_AE_PREFIX, v, ex(x, BW_AE_NUMBER, str(x, "%d", bits), loc), loc);
	match(x, l3, field, eq(inv), NULL, v, loc);
}

static const char *ifname(struct actx *x, const char *n)
{
	size_t len = strlen(n);

	if (len && n[len - 1] == '+')
		return str(x, "%.*s*", (int)(len - 1), n);
	return str(x, "%s", n);
}

static struct bw_ast_expr *range(struct actx *x, uint32_t lo, uint32_t hi,
				 const struct bw_loc *loc)
{
	struct bw_ast_expr *l = ex(x, BW_AE_NUMBER, str(x, "%u", lo), loc);

	if (lo == hi)
		return l;
	return bin(x, BW_AE_RANGE, l, ex(x, BW_AE_NUMBER, str(x, "%u", hi), loc), loc);
}

static struct bw_ast_expr *tcp_flags(struct actx *x, uint8_t flags, bool paren,
				     const struct bw_loc *loc)
{
	static const char *const names[] = { "fin", "syn", "rst", "psh", "ack", "urg" };
	struct bw_ast_expr *e = NULL;

	for (int i = 0; i < 6; i++) {
		struct bw_ast_expr *f;

		if (!(flags & (1u << i)))
			continue;
		f = ex(x, BW_AE_SYMBOL, names[i], loc);
		e = e ? bin(x, BW_AE_OR, e, f, loc) : f;
	}
	if (!e)
		return ex(x, BW_AE_NUMBER, "0x0", loc);
	if (e->kind == BW_AE_OR)
		e->paren = paren;
	return e;
}

static void l4(struct actx *x, const struct bw_ipt_match *m)
{
	const char *p = m->ext->name;

	if (m->l4.sport.set)
		match(x, p, "sport", eq(m->l4.sport.inv), NULL,
		      range(x, m->l4.sport.lo, m->l4.sport.hi, &m->loc), &m->loc);
	if (m->l4.dport.set)
		match(x, p, "dport", eq(m->l4.dport.inv), NULL,
		      range(x, m->l4.dport.lo, m->l4.dport.hi, &m->loc), &m->loc);
	if (m->l4.flg_set && (m->l4.flg_mask || m->l4.flg_inv))
		match(x, "tcp", "flags", m->l4.flg_inv ? BW_OP_NE : BW_OP_EQ,
		      tcp_flags(x, m->l4.flg_mask, true, &m->loc),
		      tcp_flags(x, m->l4.flg_cmp & m->l4.flg_mask, false, &m->loc),
		      &m->loc);
	/* the kernel's xt_tcpudp through nf_tables (fields.h) */
	if (m->l4.option)
		match(x, "tcp", "xt-option", eq(m->l4.opt_inv), NULL,
		      range(x, m->l4.option, m->l4.option, &m->loc), &m->loc);
}

static struct bw_ast_expr *pair(struct actx *x, struct bw_ast_expr *l,
				struct bw_ast_expr *r, const struct bw_loc *loc)
{
	struct bw_ast_expr *c = ex(x, BW_AE_CONCAT, NULL, loc);

	bw_ast_expr_append(c, l);
	bw_ast_expr_append(c, r);
	return c;
}

/*
 * --ports P (no ranges: ipt_ext.c): the source port or the destination
 * port is one of P, as `sport . dport` in a set of disjoint elements,
 * each with one range: `p . 0-65535` for every p of P, and `q . p` for
 * every p of P and every range q of the ports not in P.
 */
static void multiport_either(struct actx *x, const struct bw_ipt_rule *r,
			     const struct bw_ipt_match *m)
{
	const char *l4 = r->proto == 6 ? "tcp" : "udp";
	struct bw_ast_expr *set = ex(x, BW_AE_SET, NULL, &m->loc);
	struct bw_ast_fref *dport = alloc(x, sizeof(*dport));
	uint8_t in[65536 / 8] = { 0 };
	struct bw_ast_stmt *s;
#define IN(port) (in[(port) / 8] & (1u << ((port) % 8)))

	for (unsigned i = 0; i < m->mp.n; i++)
		in[m->mp.lo[i] / 8] |= (uint8_t)(1u << (m->mp.lo[i] % 8));
	for (uint32_t p = 0; p <= 0xffff; p++)
		if (IN(p))
			bw_ast_expr_append(set, pair(x, range(x, p, p, &m->loc),
					   range(x, 0, 0xffff, &m->loc), &m->loc));
	for (uint32_t q = 0; q <= 0xffff;) {
		uint32_t end = q;

		if (IN(q)) {
			q++;
			continue;
		}
		while (end < 0xffff && !IN(end + 1))
			end++;
		for (uint32_t p = 0; p <= 0xffff; p++)
			if (IN(p))
				bw_ast_expr_append(set, pair(x, range(x, q, end, &m->loc),
						   range(x, p, p, &m->loc), &m->loc));
		q = end + 1;
	}
#undef IN
	match(x, l4, "sport", eq(m->mp.inv), NULL, set, &m->loc);
	s = x->tail;
	if (!dport || !s)
		return;
	dport->proto = l4;
	dport->field = "dport";
	dport->proto_loc = dport->field_loc = m->loc;
	s->cat = dport;
}

static void multiport(struct actx *x, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m)
{
	struct bw_ast_expr *set = ex(x, BW_AE_SET, NULL, &m->loc);

	if (m->mp.dir == 3 && !m->mp.ranges) {
		multiport_either(x, r, m);
		return;
	}
	for (unsigned i = 0; i < m->mp.n; i++) {
		bw_ast_expr_append(set, range(x, m->mp.lo[i], m->mp.hi[i], &m->loc));
		if (m->mp.lo[i] != m->mp.hi[i])
			i++;
	}
	/* -p tcp, udp, sctp (132), dccp (33), udplite (136): their ports;
	 * --ports with a range: xt_multiport's own test (xt-ports) */
	match(x, r->proto == 6 ? "tcp" : r->proto == 132 ? "sctp" :
	      r->proto == 33 ? "dccp" : r->proto == 136 ? "udplite" : "udp",
	      m->mp.dir == 1 ? "sport" : m->mp.dir == 2 ? "dport" : "xt-ports",
	      eq(m->mp.inv), NULL, set, &m->loc);
}

static void icmp(struct actx *x, const struct bw_ipt_match *m)
{
	const char *p = x->v6 ? "icmpv6" : "icmp";

	if (m->icmp.any)
		return;		/* the protocol says it all */
	match(x, p, "type", eq(m->icmp.inv), NULL,
	      ex(x, BW_AE_NUMBER, str(x, "%u", m->icmp.type), &m->loc), &m->loc);
	if (m->icmp.code_lo != 0 || m->icmp.code_hi != 0xff)
		match(x, p, "code", BW_OP_IMPLICIT, NULL,
		      range(x, m->icmp.code_lo, m->icmp.code_hi, &m->loc), &m->loc);
}

/* xt_conntrack's status test: any of mask set (inv: none) */
static void ct_status(struct actx *x, const struct bw_ipt_match *m,
		      uint32_t mask, bool inv)
{
	match(x, "ct", "status", inv ? BW_OP_EQ : BW_OP_NE,
	      ex(x, BW_AE_NUMBER, str(x, "0x%x", mask), &m->loc),
	      ex(x, BW_AE_NUMBER, "0", &m->loc), &m->loc);
}

/* --ctproto, the tuples' addresses and ports: ct protocol, ct original
 * ip saddr, ... (nf_tables reads them) */
static void ct_tuple(struct actx *x, const struct bw_ipt_match *m)
{
	static const char *const a4[4] = {
		"original ip saddr", "original ip daddr", "reply ip saddr", "reply ip daddr",
	};
	static const char *const a6[4] = {
		"original ip6 saddr", "original ip6 daddr", "reply ip6 saddr", "reply ip6 daddr",
	};
	static const char *const port[4] = {
		"original proto-src", "original proto-dst", "reply proto-src", "reply proto-dst",
	};
	int len = x->v6 ? 16 : 4;

	if (m->ct.proto_set)
		match(x, "ct", "protocol", eq(m->ct.proto_inv), NULL,
		      ex(x, BW_AE_NUMBER, str(x, "%u", m->ct.proto), &m->loc), &m->loc);
	for (int i = 0; i < 4; i++) {
		const char *field = x->v6 ? a6[i] : a4[i];
		bool inv = m->ct.addr_inv & (1u << i);
		int bits = prefix_len(m->ct.amask[i], len);
		struct bw_ast_expr *v;

		if (!(m->ct.addr_set & (1u << i)))
			continue;
		v = ex(x, BW_AE_ADDR, addr_text(x, m->ct.addr[i]), &m->loc);
		if (bits == 0) {	/* any address: an entry of this family */
			match(x, "ct", "l3proto", BW_OP_IMPLICIT, NULL,
			      ex(x, BW_AE_SYMBOL, x->v6 ? "ipv6" : "ipv4", &m->loc), &m->loc);
			continue;
		}
		if (bits < 0) {
			match(x, "ct", field, inv ? BW_OP_NE : BW_OP_EQ,
			      ex(x, BW_AE_ADDR, addr_text(x, m->ct.amask[i]), &m->loc), v, &m->loc);
			continue;
		}
		if (bits < len * 8)
			v = bin(x, BW_AE_PREFIX, v, ex(x, BW_AE_NUMBER, str(x, "%d", bits), &m->loc),
				&m->loc);
		match(x, "ct", field, eq(inv), NULL, v, &m->loc);
	}
	for (int i = 0; i < 4; i++)
		if (m->ct.port_set & (1u << i))
			match(x, "ct", port[i], eq(m->ct.port_inv & (1u << i)), NULL,
			      range(x, m->ct.port_lo[i], m->ct.port_hi[i], &m->loc), &m->loc);
}

static void ct(struct actx *x, const struct bw_ipt_match *m)
{
	static const struct { uint8_t bit; const char *name; } st[] = {
		{ BW_IPT_CT_INVALID, "invalid" }, { BW_IPT_CT_NEW, "new" },
		{ BW_IPT_CT_RELATED, "related" },
		{ BW_IPT_CT_ESTABLISHED, "established" },
		{ BW_IPT_CT_UNTRACKED, "untracked" },
	};
	struct bw_ast_expr *list = ex(x, BW_AE_LIST, NULL, &m->loc);
	uint8_t nat = m->ct.state & (BW_IPT_CT_SNAT | BW_IPT_CT_DNAT);

	if (nat) {		/* alone and not negated (ipt_ext.c) */
		ct_status(x, m, (nat & BW_IPT_CT_SNAT ? 0x10 : 0) |
			  (nat & BW_IPT_CT_DNAT ? 0x20 : 0), false);
	} else if (m->ct.state || m->ct.inv || !strcmp(m->ext->name, "state")) {
		for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
			if (m->ct.state & st[i].bit)
				bw_ast_expr_append(list, ex(x, BW_AE_SYMBOL, st[i].name, &m->loc));
		if (list && list->elems == list->elems_last)
			list = list->elems;
		match(x, "ct", "state", eq(m->ct.inv), NULL, list, &m->loc);
	}
	ct_tuple(x, m);
	/* IPS_EXPECTED 1, SEEN_REPLY 2, ASSURED 4, CONFIRMED 8: the bits
	 * of m->ct.status as they are */
	if (m->ct.status_set)
		ct_status(x, m, m->ct.status, m->ct.status_inv);
	if (m->ct.exp_set) {
		/* xt_conntrack: whole seconds left; ct expiration: ms */
		uint64_t lo = (uint64_t)m->ct.exp_lo * 1000,
			 hi = (uint64_t)m->ct.exp_hi * 1000 + 999;

		if (hi > UINT32_MAX)
			hi = UINT32_MAX;
		match(x, "ct", "expiration", eq(m->ct.exp_inv), NULL,
		      lo == hi ? ex(x, BW_AE_SYMBOL, str(x, "%llums", (unsigned long long)lo), &m->loc) :
		      bin(x, BW_AE_RANGE, ex(x, BW_AE_SYMBOL, str(x, "%llums", (unsigned long long)lo), &m->loc),
			  ex(x, BW_AE_SYMBOL, str(x, "%llums", (unsigned long long)hi), &m->loc), &m->loc),
		      &m->loc);
	}
	if (m->ct.dir)
		match(x, "ct", "direction", BW_OP_IMPLICIT, NULL,
		      ex(x, BW_AE_NUMBER, m->ct.dir == 1 ? "0" : "1", &m->loc),
		      &m->loc);
}

static void limit(struct actx *x, const struct bw_ipt_match *m)
{
	static const struct { uint32_t mult; const char *unit; } u[] = {
		{ 10000u * 86400, "day" }, { 10000u * 3600, "hour" },
		{ 10000u * 60, "minute" }, { 10000u, "second" },
	};
	struct bw_ast_stmt *s = stmt(x, BW_AS_LIMIT, &m->loc);
	uint32_t period = m->limit.avg;
	size_t i;

	if (!s)
		return;
	for (i = 1; i < sizeof(u) / sizeof(u[0]); i++)
		if (period > u[i].mult || u[i].mult / period < u[i].mult % period)
			break;
	s->rate = ex(x, BW_AE_NUMBER, str(x, "%u", u[i - 1].mult / period), &m->loc);
	s->rate_unit = ex(x, BW_AE_SYMBOL, u[i - 1].unit, &m->loc);
	s->burst = ex(x, BW_AE_NUMBER, str(x, "%u", m->limit.burst), &m->loc);
	s->burst_unit = ex(x, BW_AE_SYMBOL, "packets", &m->loc);
}

/*
 * -m set: the set's key from the packet, dimension by dimension as xt_set
 * reads it (address, then the port of the set's protocol, then address),
 * looked up in the named set the table declares (set_items below).
 */
static void set_match(struct actx *x, const struct bw_ipt_match *m)
{
	const struct bw_ipset *s = x->sets ? bw_ipset_find(x->sets, m->set.name) : NULL;
	const char *l3 = x->v6 ? "ip6" : "ip";
	struct bw_ast_fref *cat = NULL, **tail = &cat;
	struct bw_ast_stmt *st;
	unsigned i;

	if (!s || s->v6 != x->v6 || m->set.dim < bw_ipset_dim(s->type)) {
		if (!x->badset)
			x->badset = m;
		return;
	}
	for (i = 0; i < x->nused && x->used[i] != s; i++)
		;
	if (i == x->nused && x->nused < sizeof(x->used) / sizeof(x->used[0]))
		x->used[x->nused++] = s;
	for (int d = 1; d < bw_ipset_dim(s->type); d++) {
		bool src = m->set.src & (1u << d);
		const char *proto = l3;

		if (d == 1)
			proto = bw_ipset_proto(s) == IPPROTO_UDP ? "udp" : "tcp";
		*tail = fref(x, proto, d == 1 ? (src ? "sport" : "dport") :
			     (src ? "saddr" : "daddr"), &m->loc);
		if (!*tail)
			return;
		tail = &(*tail)->next;
	}
	match(x, l3, m->set.src & 1 ? "saddr" : "daddr", eq(m->set.inv), NULL,
	      ex(x, BW_AE_SETREF, str(x, "%s", s->name), &m->loc), &m->loc);
	st = x->tail;
	if (st && st->kind == BW_AS_MATCH)
		st->cat = cat;
}

struct elems {
	struct actx *x;
	const struct bw_ipset *s;
	struct bw_ast_expr *set;
	const struct bw_loc *loc;
};

static const char *addr_of(struct actx *x, bool v6, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(v6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	return str(x, "%s", buf);
}

static void one_elem(void *arg, const uint8_t *lo, const uint8_t *hi,
		     const struct bw_ipset_elem *e)
{
	struct elems *el = arg;
	struct actx *x = el->x;
	const struct bw_ipset *s = el->s;
	struct bw_ast_expr *k = ex(x, BW_AE_ADDR, addr_of(x, s->v6, lo), el->loc);

	if (memcmp(lo, hi, s->v6 ? 16 : 4))
		k = bin(x, BW_AE_RANGE, k, ex(x, BW_AE_ADDR, addr_of(x, s->v6, hi), el->loc),
			el->loc);
	if (bw_ipset_dim(s->type) > 1) {
		struct bw_ast_expr *c = ex(x, BW_AE_CONCAT, NULL, el->loc);

		bw_ast_expr_append(c, k);
		bw_ast_expr_append(c, ex(x, BW_AE_NUMBER, str(x, "%u", e->port), el->loc));
		if (bw_ipset_dim(s->type) > 2)
			bw_ast_expr_append(c, ex(x, BW_AE_ADDR, addr_of(x, s->v6, e->ip2),
						 el->loc));
		k = c;
	}
	bw_ast_expr_append(el->set, k);
}

static struct bw_ast_expr *sym_list(struct actx *x, enum bw_ast_expr_kind k,
				    const char *const *w, const struct bw_loc *loc)
{
	struct bw_ast_expr *l = ex(x, k, NULL, loc);

	for (; *w; w++)
		bw_ast_expr_append(l, ex(x, BW_AE_SYMBOL, *w, loc));
	return l;
}

/* `set NAME { type ...; [flags interval;] size MAXELEM; elements = { ... } }` */
static struct bw_ast_item *set_item(struct actx *x, const struct bw_ipset *s,
				    const struct bw_loc *loc)
{
	static const char *const interval[] = { "interval", NULL };
	const char *a = s->v6 ? "ipv6_addr" : "ipv4_addr";
	const char *types[4] = { a, NULL, NULL, NULL };
	struct bw_ast_item *it = alloc(x, sizeof(*it));
	struct bw_ast_setdef *def = alloc(x, sizeof(*def));
	struct elems el = { x, s, NULL, loc };

	if (!it || !def)
		return NULL;
	if (bw_ipset_dim(s->type) > 1)
		types[1] = "inet_service";
	if (bw_ipset_dim(s->type) > 2)
		types[2] = a;
	it->kind = BW_AI_SET;
	it->loc = *loc;
	it->set_name = str(x, "%s", s->name);
	it->set_name_loc = *loc;
	it->set = def;
	def->types = sym_list(x, BW_AE_CONCAT, types, loc);
	def->type_loc = *loc;
	def->ntype = 1;
	if (bw_ipset_is_net(s->type))
		def->flags = sym_list(x, BW_AE_LIST, interval, loc);
	/* room for what ipset's maxelem allows: add in place up to it */
	def->size = ex(x, BW_AE_NUMBER, str(x, "%u", s->maxelem), loc);
	if (s->n) {
		el.set = def->elements = ex(x, BW_AE_SET, NULL, loc);
		if (bw_ipset_nft_elems(s, one_elem, &el))
			x->oom = true;
	}
	return it;
}

static void one_match(struct actx *x, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m)
{
	const char *n = m->ext->name;
	const char *l3 = x->v6 ? "ip6" : "ip";

	if (!strcmp(n, "tcp") || !strcmp(n, "udp")) {
		l4(x, m);
	} else if (!strcmp(n, "multiport")) {
		multiport(x, r, m);
	} else if (!strcmp(n, "icmp") || !strcmp(n, "icmp6")) {
		icmp(x, m);
	} else if (!strcmp(n, "conntrack") || !strcmp(n, "state")) {
		ct(x, m);
	} else if (!strcmp(n, "limit")) {
		limit(x, m);
	} else if (!strcmp(n, "iprange")) {
		for (int k = 0; k < 2; k++)
			if (m->ipr.set[k])
				match(x, l3, k ? "daddr" : "saddr", eq(m->ipr.inv[k]), NULL,
				      bin(x, BW_AE_RANGE,
					  ex(x, BW_AE_ADDR, addr_text(x, m->ipr.lo[k]), &m->loc),
					  ex(x, BW_AE_ADDR, addr_text(x, m->ipr.hi[k]), &m->loc),
					  &m->loc), &m->loc);
	} else if (!strcmp(n, "mac")) {
		const uint8_t *a = m->mac.addr;

		match(x, "ether", "saddr", eq(m->mac.inv), NULL,
		      ex(x, BW_AE_ADDR, str(x, "%02x:%02x:%02x:%02x:%02x:%02x",
					    a[0], a[1], a[2], a[3], a[4], a[5]), &m->loc),
		      &m->loc);
	} else if (!strcmp(n, "mark") || !strcmp(n, "connmark")) {
		struct bw_ast_expr *mask = NULL;

		if (m->mark.mask != UINT32_MAX)
			mask = ex(x, BW_AE_NUMBER, str(x, "0x%x", m->mark.mask), &m->loc);
		/* connmark: the connection's (none: no match, either way) */
		match(x, n[0] == 'c' ? "ct" : "meta", "mark", m->mark.inv ? BW_OP_NE : mask ? BW_OP_EQ : BW_OP_IMPLICIT,
		      mask, ex(x, BW_AE_NUMBER, str(x, "0x%x", m->mark.value), &m->loc),
		      &m->loc);
	} else if (!strcmp(n, "length")) {
		match(x, "meta", "length", eq(m->len.inv), NULL,
		      range(x, m->len.lo, m->len.hi, &m->loc), &m->loc);
	} else if (!strcmp(n, "ttl") || !strcmp(n, "hl")) {
		static const enum bw_ast_op ops[4] = { BW_OP_IMPLICIT, BW_OP_NE,
						       BW_OP_LT, BW_OP_GT };

		match(x, l3, x->v6 ? "hoplimit" : "ttl", ops[m->ttl.mode], NULL,
		      ex(x, BW_AE_NUMBER, str(x, "%u", m->ttl.value), &m->loc), &m->loc);
	} else if (!strcmp(n, "pkttype")) {
		static const char *const t[4] = { "host", "broadcast", "multicast", "other" };

		match(x, "meta", "pkttype", eq(m->pkt.inv), NULL,
		      ex(x, BW_AE_SYMBOL, t[m->pkt.type & 3], &m->loc), &m->loc);
	} else if (!strcmp(n, "dscp")) {
		match(x, l3, "dscp", eq(m->dscp.inv), NULL,
		      ex(x, BW_AE_NUMBER, str(x, "0x%02x", m->dscp.value), &m->loc), &m->loc);
	} else if (!strcmp(n, "addrtype")) {
		/* xt_addrtype: the type's bit is in the mask; fib: the
		 * type is in the set */
		for (int k = 0; k < 2; k++) {
			struct bw_ast_expr *set = ex(x, BW_AE_SET, NULL, &m->loc);

			if (!m->at.type[k])
				continue;
			for (uint32_t t = 0; t < 16; t++)
				if (m->at.type[k] & (1u << t))
					bw_ast_expr_append(set, range(x, t, t, &m->loc));
			if (set && set->elems == set->elems_last)
				set = set->elems;
			static const char *const names[2][3] = {
				{ "saddr type", "saddr . iif type", "saddr . oif type" },
				{ "daddr type", "daddr . iif type", "daddr . oif type" },
			};

			match(x, "fib", names[k][m->at.limit % 3], eq(m->at.inv[k]),
			      NULL, set, &m->loc);
		}
	} else if (!strcmp(n, "owner")) {
		/* with a !, --socket-exists or --suppl-groups: xt_owner's
		 * own tests (fields.h), nft's != not being its ! */
		bool xt = m->own.inv[0] || m->own.inv[1] || m->own.sock || m->own.suppl;

		if (m->own.sock)
			match(x, "meta", "xt-socket", eq(m->own.sock_inv), NULL,
			      range(x, 1, 1, &m->loc), &m->loc);
		for (int k = 0; k < 2; k++)
			if (m->own.set[k])
				match(x, "meta", !xt ? (k ? "skgid" : "skuid") :
				      !k ? "xt-skuid" : m->own.suppl ? "xt-skgid-suppl" : "xt-skgid",
				      xt ? eq(m->own.inv[k]) : BW_OP_IMPLICIT, NULL,
				      range(x, m->own.lo[k], m->own.hi[k], &m->loc), &m->loc);
	} else if (!strcmp(n, "set")) {
		set_match(x, m);
	} else if (strcmp(n, "comment")) {
		/* never a rule without the match it was given */
		if (!x->untranslated)
			x->untranslated = m;
	}
	/* comment: the rule's comment (rule()) */
}

static void verdict(struct actx *x, enum bw_ast_verdict v, const char *chain,
		    const struct bw_loc *loc)
{
	struct bw_ast_stmt *s = stmt(x, BW_AS_VERDICT, loc);

	if (!s)
		return;
	s->verdict = v;
	s->target = chain;
	s->target_loc = *loc;
}

static void target(struct actx *x, const struct bw_ipt_rule *r)
{
	const struct bw_ipt_target *t = &r->target;
	static const char *const levels[8] = {
		"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
	};
	struct bw_ast_stmt *s;

	switch (t->kind) {
	case BW_IPT_T_NONE:
		break;
	case BW_IPT_T_ACCEPT:
		verdict(x, BW_AV_ACCEPT, NULL, &t->loc);
		break;
	case BW_IPT_T_DROP:
		verdict(x, BW_AV_DROP, NULL, &t->loc);
		break;
	case BW_IPT_T_RETURN:
		verdict(x, BW_AV_RETURN, NULL, &t->loc);
		break;
	case BW_IPT_T_JUMP:
		verdict(x, BW_AV_JUMP, str(x, "%s", t->chain), &t->loc);
		break;
	case BW_IPT_T_GOTO:
		verdict(x, BW_AV_GOTO, str(x, "%s", t->chain), &t->loc);
		break;
	case BW_IPT_T_REJECT: {
		const struct bw_ipt_reject *j = &bw_ipt_rejects[t->reject];

		s = stmt(x, BW_AS_REJECT, &t->loc);
		if (!s)
			break;
		s->rej_kind = ex(x, BW_AE_SYMBOL, j->nft_kind, &t->loc);
		s->rej_code = ex(x, BW_AE_SYMBOL, j->nft_code, &t->loc);
		break;
	}
	case BW_IPT_T_MARK:
		/* mark = (mark & ~mask) ^ value: nft's meta mark set meta
		 * mark and ~mask xor value, or a plain value */
		s = stmt(x, BW_AS_SETF, &t->loc);
		if (!s)
			break;
		s->setf = fref(x, "meta", "mark", &t->loc);
		if (t->mark_mask == UINT32_MAX) {
			s->setf_value = ex(x, BW_AE_NUMBER, str(x, "0x%x", t->mark), &t->loc);
			break;
		}
		s->setf_src = fref(x, "meta", "mark", &t->loc);
		s->setf_and = ex(x, BW_AE_NUMBER, str(x, "0x%x", ~t->mark_mask), &t->loc);
		s->setf_xor = ex(x, BW_AE_NUMBER, str(x, "0x%x", t->mark), &t->loc);
		break;
	case BW_IPT_T_CONNMARK:
		/* set: ct mark = (ct mark & ~mask) ^ value; save: ct mark =
		 * meta mark & nfmask; restore: meta mark = ct mark & ctmask
		 * (the other mask all ones: ipt_field.c) */
		s = stmt(x, BW_AS_SETF, &t->loc);
		if (!s)
			break;
		s->setf = fref(x, t->cmode == 3 ? "meta" : "ct", "mark", &t->loc);
		if (t->cmode == 1 && t->mark_mask == UINT32_MAX) {
			s->setf_value = ex(x, BW_AE_NUMBER, str(x, "0x%x", t->mark), &t->loc);
			break;
		}
		if (t->cmode == 1) {
			s->setf_src = fref(x, "ct", "mark", &t->loc);
			s->setf_and = ex(x, BW_AE_NUMBER, str(x, "0x%x", ~t->mark_mask), &t->loc);
			s->setf_xor = ex(x, BW_AE_NUMBER, str(x, "0x%x", t->mark), &t->loc);
			break;
		}
		s->setf_src = fref(x, t->cmode == 3 ? "ct" : "meta", "mark", &t->loc);
		if ((t->cmode == 2 ? t->nfmask : t->ctmask) != UINT32_MAX)
			s->setf_and = ex(x, BW_AE_NUMBER, str(x, "0x%x",
							     t->cmode == 2 ? t->nfmask : t->ctmask),
					 &t->loc);
		break;
	case BW_IPT_T_LOG:
	case BW_IPT_T_NFLOG:
		s = stmt(x, BW_AS_LOG, &t->loc);
		if (!s)
			break;
		if (t->prefix[0]) {
			char *p = str(x, "%s", t->prefix);

			for (char *c = p; *c; c++)
				if (*c == '"' || (unsigned char)*c < 0x20)
					*c = '\'';
			s->log_prefix = p;
			s->log_prefix_loc = t->loc;
		}
		if (t->kind == BW_IPT_T_LOG)
			s->log_level = ex(x, BW_AE_SYMBOL, levels[t->level & 7], &t->loc);
		break;
	}
}

static struct bw_ast_stmt *counter(struct actx *x, uint64_t p, uint64_t b,
				   const struct bw_loc *loc)
{
	struct bw_ast_stmt *s = stmt(x, BW_AS_COUNTER, loc);

	if (s) {
		s->packets = ex(x, BW_AE_NUMBER, str(x, "%llu", (unsigned long long)p), loc);
		s->bytes = ex(x, BW_AE_NUMBER, str(x, "%llu", (unsigned long long)b), loc);
	}
	return s;
}

static struct bw_ast_item *item(struct actx *x, enum bw_ast_item_kind k,
				const struct bw_loc *loc)
{
	struct bw_ast_item *it = alloc(x, sizeof(*it));

	if (it) {
		it->kind = k;
		it->loc = *loc;
	}
	return it;
}

static void item_add(struct bw_ast_item *parent, struct bw_ast_item *it)
{
	if (!parent || !it)
		return;
	if (parent->items_last)
		parent->items_last->next = it;
	else
		parent->items = it;
	parent->items_last = it;
}

static struct bw_ast_item *rule(struct actx *x, const struct bw_ipt_rule *r)
{
	struct bw_ast_item *it = item(x, BW_AI_RULE, &r->loc);
	const char *comment = NULL;
	char buf[8];

	x->head = x->tail = NULL;
	if (r->has_src)
		addr(x, "saddr", r->src, r->smsk, r->inv_src, &r->loc);
	if (r->has_dst)
		addr(x, "daddr", r->dst, r->dmsk, r->inv_dst, &r->loc);
	if (r->in[0])
		match(x, "meta", "iifname", eq(r->inv_in), NULL,
		      ex(x, BW_AE_STRING, ifname(x, r->in), &r->loc), &r->loc);
	if (r->out[0])
		match(x, "meta", "oifname", eq(r->inv_out), NULL,
		      ex(x, BW_AE_STRING, ifname(x, r->out), &r->loc), &r->loc);
	if (r->has_proto) {
		const char *pn = bw_ipt_proto_name(r->proto, buf);

		(void)pn;
		match(x, "meta", "l4proto", eq(r->inv_proto), NULL,
		      ex(x, BW_AE_NUMBER, str(x, "%u", r->proto), &r->loc), &r->loc);
	}
	if (r->frag)
		match(x, "ip", "frag-off", r->inv_frag ? BW_OP_EQ : BW_OP_NE,
		      ex(x, BW_AE_NUMBER, "0x1fff", &r->loc),
		      ex(x, BW_AE_NUMBER, "0", &r->loc), &r->loc);
	for (const struct bw_ipt_match *m = r->match; m; m = m->next) {
		if (!strcmp(m->ext->name, "comment") && !comment) {
			char *c = str(x, "%.128s", m->comment);

			for (char *p = c; *p; p++)
				if (*p == '"' || (unsigned char)*p < 0x20)
					*p = '\'';
			comment = c;
		}
		one_match(x, r, m);
	}
	counter(x, r->pkts, r->bytes, &r->loc);
	target(x, r);
	if (it) {
		it->stmts = x->head;
		it->stmts_last = x->tail;
		it->comment = comment;
		it->comment_loc = r->loc;
	}
	return it;
}

static const char *hook_of(const char *chain)
{
	static const char *const map[][2] = {
		{ "INPUT", "input" }, { "FORWARD", "forward" }, { "OUTPUT", "output" },
		{ "PREROUTING", "prerouting" }, { "POSTROUTING", "postrouting" },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(chain, map[i][0]))
			return map[i][1];
	return NULL;
}

static struct bw_ast_item *chain(struct actx *x, const struct bw_ipt_tbl *t,
				 const struct bw_ipt_chain *c)
{
	struct bw_ast_item *it = item(x, BW_AI_CHAIN, &c->loc);

	if (!it)
		return NULL;
	it->name = str(x, "%s", c->name);
	it->name_loc = c->loc;
	if (c->builtin) {
		struct bw_ast_item *h = item(x, BW_AI_HOOK, &c->loc);
		struct bw_ast_item *p = item(x, BW_AI_POLICY, &c->loc);

		if (h) {
			h->type = "filter";
			h->hook = hook_of(c->name);
			h->type_loc = h->hook_loc = c->loc;
			h->prio.num = t->table == BW_IPT_RAW ? "300" : "0";
			h->prio.neg = t->table == BW_IPT_RAW;
			h->prio.loc = c->loc;
		}
		if (p) {
			p->policy = c->policy == BW_IPT_T_DROP ? "drop" : "accept";
			p->policy_loc = c->loc;
		}
		item_add(it, h);
		item_add(it, p);
	}
	for (const struct bw_ipt_rule *r = c->rules; r; r = r->next)
		item_add(it, rule(x, r));
	if (c->builtin) {
		struct bw_ast_item *pc = item(x, BW_AI_RULE, &c->loc);

		x->head = x->tail = NULL;
		counter(x, c->pkts, c->bytes, &c->loc);
		if (pc) {
			pc->stmts = x->head;
			pc->stmts_last = x->tail;
		}
		item_add(it, pc);
	}
	return it;
}

int bw_ipt_to_ast(struct bw_arena *a, const struct bw_ipt_tbl *t,
		  struct bw_diags *d, struct bw_ast_item **out)
{
	struct actx x = { .a = a, .v6 = t->v6, .sets = t->sets };
	struct bw_loc loc = { 0 };
	struct bw_ast_item *tab;

	if (t->chains)
		loc = t->chains->loc;
	tab = item(&x, BW_AI_TABLE, &loc);
	if (tab) {
		tab->name = bw_ipt_table_name[t->table];
		tab->name_loc = loc;
		tab->family = t->v6 ? "ip6" : "ip";
		tab->family_loc = loc;
	}
	for (const struct bw_ipt_chain *c = t->chains; c; c = c->next) {
		/* an empty builtin chain that accepts changes nothing: no
		 * program at its hook (its policy is not counted then) */
		if (c->builtin && !c->rules && c->policy != BW_IPT_T_DROP)
			continue;
		item_add(tab, chain(&x, t, c));
	}
	/* the sets the rules name, declared first in the table */
	for (unsigned i = x.nused; tab && i-- > 0; ) {
		struct bw_ast_item *si = set_item(&x, x.used[i], &loc);

		if (si) {
			si->next = tab->items;
			tab->items = si;
			if (!tab->items_last)
				tab->items_last = si;
		}
	}
	if (x.badset) {
		bw_error(d, &x.badset->loc, "set %s does not exist or does not fit the rule",
			 x.badset->set.name);
		return -EINVAL;
	}
	if (x.oom) {
		bw_error(d, NULL, "out of memory");
		return -ENOMEM;
	}
	if (x.untranslated) {
		bw_error(d, &x.untranslated->loc, "iptables extension %s has no translation",
			 x.untranslated->ext->name);
		return -EINVAL;
	}
	*out = tab;
	return 0;
}
