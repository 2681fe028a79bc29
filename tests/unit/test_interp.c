// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interpreter tests over hand-built IRs: chains and their order, table
 * families, guards, !=, prefixes, ranges, sets, flag masks, host-order and
 * sub-byte fields, policies, and parser drops.  Frames come from the
 * packet builder (tested on its own in test_pktbuild.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "compiler/interp/interp.h"
#include "compiler/interp/pktbuild.h"
#include "compiler/front/compile.h"

/* --- IR building -------------------------------------------------------- */

/* Number x as n big-endian bytes. */
static void be(uint8_t *out, unsigned n, uint64_t x)
{
	for (int i = (int)n - 1; i >= 0; i--) {
		out[i] = (uint8_t)x;
		x >>= 8;
	}
}

static struct bw_ir_elem range(enum bw_field_id id, uint64_t lo, uint64_t hi,
			       uint64_t mask)
{
	struct bw_ir_elem e = { 0 };
	unsigned n = bw_field(id)->size;

	be(e.lo, n, lo);
	be(e.hi, n, hi);
	be(e.mask, n, mask);
	return e;
}

static struct bw_ir_elem val(enum bw_field_id id, uint64_t x)
{
	unsigned n = bw_field(id)->size;

	return range(id, x, x, n >= 8 ? UINT64_MAX : (UINT64_C(1) << (n * 8)) - 1);
}

static struct bw_ir_elem prefix4(enum bw_field_id id, const char *addr, int plen)
{
	struct in_addr a;
	uint32_t m = plen ? ~UINT32_C(0) << (32 - plen) : 0;

	assert_int_equal(inet_pton(AF_INET, addr, &a), 1);
	return range(id, ntohl(a.s_addr) & m, ntohl(a.s_addr) & m, m);
}

static struct bw_ir_elem prefix6(enum bw_field_id id, const char *addr, int plen)
{
	struct bw_ir_elem e = { 0 };

	assert_int_equal(inet_pton(AF_INET6, addr, e.lo), 1);
	for (int i = 0; i < 16; i++) {
		int bits = plen - i * 8;

		e.mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
		e.lo[i] &= e.mask[i];
	}
	memcpy(e.hi, e.lo, 16);
	return e;
}

/* A match owning a malloc'ed copy of its elements (freed by bw_ir_free). */
static struct bw_ir_match match(enum bw_field_id id, bool neg, uint32_t n,
				const struct bw_ir_elem *elems)
{
	struct bw_ir_match m = { .field = id, .neg = neg, .nelem = n };

	m.elem = calloc(n ? n : 1, sizeof(*m.elem));
	assert_non_null(m.elem);
	memcpy(m.elem, elems, n * sizeof(*elems));
	return m;
}

static struct bw_ir_match match1(enum bw_field_id id, bool neg,
				 struct bw_ir_elem e)
{
	return match(id, neg, 1, &e);
}

static struct bw_ir *ir_new(void)
{
	struct bw_ir *ir = calloc(1, sizeof(*ir));

	assert_non_null(ir);
	ir->nhandle = 1;
	return ir;
}

/* Add a chain; returns its index. */
static uint32_t chain(struct bw_ir *ir, enum bw_family fam,
		      enum bw_chain_hook hook, const char *dev, int prio,
		      enum bw_verdict policy)
{
	struct bw_ir_chain *c;

	ir->chain = realloc(ir->chain, (ir->nchain + 1) * sizeof(*ir->chain));
	assert_non_null(ir->chain);
	c = &ir->chain[ir->nchain];
	memset(c, 0, sizeof(*c));
	c->table = strdup("t");
	c->name = strdup("c");
	c->family = fam;
	c->hook = hook;
	c->device = dev ? strdup(dev) : NULL;
	c->priority = prio;
	c->policy = policy;
	return ir->nchain++;
}

/* Add a rule of nm matches to chain ci; returns its handle. */
static uint32_t rule(struct bw_ir *ir, uint32_t ci, enum bw_verdict v,
		     uint32_t nm, ...)
{
	struct bw_ir_chain *c = &ir->chain[ci];
	struct bw_ir_rule *r;
	va_list ap;

	c->rule = realloc(c->rule, (c->nrule + 1) * sizeof(*c->rule));
	assert_non_null(c->rule);
	r = &c->rule[c->nrule++];
	memset(r, 0, sizeof(*r));
	r->handle = ir->nhandle++;
	r->verdict = v;
	r->counter = true;
	r->nmatch = nm;
	r->match = calloc(nm ? nm : 1, sizeof(*r->match));
	assert_non_null(r->match);
	va_start(ap, nm);
	for (uint32_t i = 0; i < nm; i++)
		r->match[i] = va_arg(ap, struct bw_ir_match);
	va_end(ap);
	return r->handle;
}

/* --- packets ------------------------------------------------------------ */

struct pkt {
	struct bw_pkt_spec spec;
	struct bw_pkt_field f[16];
	uint8_t buf[BW_PKT_MAX];
	size_t len;
};

static void pkt_init(struct pkt *p)
{
	memset(p, 0, sizeof(*p));
	p->spec.field = p->f;
}

static void set_num(struct pkt *p, enum bw_field_id id, uint64_t x)
{
	struct bw_pkt_field *f = &p->f[p->spec.nfield++];

	f->field = id;
	be(f->val, bw_field(id)->size, x);
}

static void set_addr(struct pkt *p, enum bw_field_id id, const char *a)
{
	struct bw_pkt_field *f = &p->f[p->spec.nfield++];

	f->field = id;
	assert_int_equal(inet_pton(bw_field(id)->size == 4 ? AF_INET : AF_INET6,
				   a, f->val), 1);
}

static void build(struct pkt *p)
{
	struct bw_diags d;
	int n;

	bw_diags_init(&d);
	n = bw_pkt_build(&p->spec, p->buf, sizeof(p->buf), &d);
	if (n < 0)
		bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	assert_true(n > 0);
	p->len = (size_t)n;
}

static struct bw_interp_result run(const struct bw_ir *ir, bool egress,
				   const char *ifname, struct pkt *p)
{
	struct bw_interp_result res;

	if (!p->len)
		build(p);
	assert_int_equal(bw_interp_run(ir, egress, ifname, p->buf, p->len, &res), 0);
	return res;
}

#define expect(res, v, h) do {						\
		struct bw_interp_result r_ = (res);			\
		assert_int_equal(r_.verdict, (v));			\
		assert_int_equal(r_.handle, (h));			\
		assert_false(r_.malformed);				\
	} while (0)

/* Default packets. */
static struct pkt tcp4(uint16_t dport, uint8_t flags)
{
	struct pkt p;

	pkt_init(&p);
	set_num(&p, BW_F_TCP_DPORT, dport);
	set_num(&p, BW_F_TCP_FLAGS, flags);
	return p;
}

static struct pkt udp6(uint16_t dport)
{
	struct pkt p;

	pkt_init(&p);
	set_addr(&p, BW_F_IP6_SADDR, "2001:db8::1");
	set_num(&p, BW_F_UDP_DPORT, dport);
	return p;
}

static struct pkt arp(void)
{
	struct pkt p;

	pkt_init(&p);
	set_num(&p, BW_F_ETHER_TYPE, 0x0806);
	set_num(&p, BW_F_META_PKTLEN, 42);
	return p;
}

/* Fix up spec pointers after a struct copy. */
static struct pkt *fix(struct pkt *p)
{
	p->spec.field = p->f;
	return p;
}

/* --- tests -------------------------------------------------------------- */

static void test_no_chain(void **state)
{
	struct bw_ir *ir = ir_new();
	struct pkt p = tcp4(22, 2);

	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_ACCEPT, 0);
	expect(run(ir, true, NULL, fix(&p)), BW_VERDICT_ACCEPT, 0);
	bw_ir_free(&ir);
	assert_null(ir);
}

static void test_netdev_device(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t c = chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, "eth0", 0,
			   BW_VERDICT_ACCEPT);
	uint32_t h = rule(ir, c, BW_VERDICT_DROP, 1,
			  match1(BW_F_IP_SADDR, false, prefix4(BW_F_IP_SADDR, "192.0.2.1", 32)));
	struct pkt p;

	pkt_init(&p);
	set_addr(&p, BW_F_IP_SADDR, "192.0.2.1");
	expect(run(ir, false, "eth0", &p), BW_VERDICT_DROP, h);
	/* other device, no device, egress: the chain is not there */
	expect(run(ir, false, "eth1", &p), BW_VERDICT_ACCEPT, 0);
	expect(run(ir, false, NULL, &p), BW_VERDICT_ACCEPT, 0);
	expect(run(ir, true, "eth0", &p), BW_VERDICT_ACCEPT, 0);
	pkt_init(&p);
	set_addr(&p, BW_F_IP_SADDR, "192.0.2.9");
	expect(run(ir, false, "eth0", &p), BW_VERDICT_ACCEPT, 0);
	bw_ir_free(&ir);
}

/* A netdev chain nf_tables runs (fwd, dup: compiler/front/fwd.h): the
 * interpreter, trace's reference for it, ends the packet's way at a fwd
 * (nf_tables takes it) and lets it go on after a dup. */
static void test_fwd_dup(void **state)
{
	static const char text[] =
		"table netdev t {\n\tchain c {\n"
		"\t\ttype filter hook ingress device \"eth0\" priority 0; policy drop;\n"
		"\t\tip saddr 192.0.2.1 dup to \"eth1\"\n"
		"\t\tip saddr 192.0.2.1 fwd to \"eth1\"\n"
		"\t\tip saddr 192.0.2.2 dup to \"eth1\"\n"
		"\t\tip saddr 192.0.2.2 accept\n"
		"\t}\n}\n";
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	struct pkt p;

	(void)state;
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("t.conf", text, &d, &ir), 0);
	bw_diags_fini(&d);
	assert_true(ir->chain[0].nft);
	assert_int_equal(ir->nfwd, 3);
	pkt_init(&p);
	set_addr(&p, BW_F_IP_SADDR, "192.0.2.1");
	expect(run(ir, false, "eth0", &p), BW_VERDICT_DROP, ir->chain[0].rule[1].handle);
	pkt_init(&p);
	set_addr(&p, BW_F_IP_SADDR, "192.0.2.2");
	expect(run(ir, false, "eth0", &p), BW_VERDICT_ACCEPT, ir->chain[0].rule[3].handle);
	bw_ir_free(&ir);
}

static void test_families(void **state)
{
	static const struct {
		enum bw_family fam;
		bool v4, v6, other;
	} cases[] = {
		{ BW_FAMILY_NETDEV, true, true, true },
		{ BW_FAMILY_INET, true, true, false },
		{ BW_FAMILY_IP, true, false, false },
		{ BW_FAMILY_IP6, false, true, false },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct bw_ir *ir = ir_new();
		bool netdev = cases[i].fam == BW_FAMILY_NETDEV;
		struct pkt a = tcp4(80, 2), b = udp6(53), c = arp();

		chain(ir, cases[i].fam, netdev ? BW_CHAIN_INGRESS : BW_CHAIN_INPUT,
		      netdev ? "eth0" : NULL, 0, BW_VERDICT_DROP);
		expect(run(ir, false, "eth0", fix(&a)),
		       cases[i].v4 ? BW_VERDICT_DROP : BW_VERDICT_ACCEPT, 0);
		expect(run(ir, false, "eth0", fix(&b)),
		       cases[i].v6 ? BW_VERDICT_DROP : BW_VERDICT_ACCEPT, 0);
		expect(run(ir, false, "eth0", fix(&c)),
		       cases[i].other ? BW_VERDICT_DROP : BW_VERDICT_ACCEPT, 0);
		bw_ir_free(&ir);
	}
}

static void test_guards_and_neg(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t c = chain(ir, BW_FAMILY_INET, BW_CHAIN_INPUT, NULL, 0,
			   BW_VERDICT_ACCEPT);
	uint32_t h1 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_TCP_DPORT, true, val(BW_F_TCP_DPORT, 22)));
	uint32_t h2 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_IP_SADDR, true, prefix4(BW_F_IP_SADDR, "192.0.2.1", 32)));
	struct pkt p;

	/* != 22 holds for 80 */
	p = tcp4(80, 2);
	expect(run(ir, false, NULL, fix(&p)), BW_VERDICT_DROP, h1);
	/* and not for 22; the ip saddr != fails too (it is 192.0.2.1) */
	p = tcp4(22, 2);
	expect(run(ir, false, NULL, fix(&p)), BW_VERDICT_ACCEPT, 0);
	/* UDP: the tcp guard fails, so != does not match either */
	pkt_init(&p);
	set_num(&p, BW_F_UDP_DPORT, 80);
	expect(run(ir, false, NULL, &p), BW_VERDICT_ACCEPT, 0);
	/* IPv6: neither the tcp guard (udp) nor the ip guard hold */
	p = udp6(80);
	expect(run(ir, false, NULL, fix(&p)), BW_VERDICT_ACCEPT, 0);
	/* ip saddr != on another IPv4 source holds */
	pkt_init(&p);
	set_addr(&p, BW_F_IP_SADDR, "203.0.113.5");
	set_num(&p, BW_F_TCP_DPORT, 22);
	expect(run(ir, false, NULL, &p), BW_VERDICT_DROP, h2);
	bw_ir_free(&ir);
}

static void test_fragment_guard(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t c = chain(ir, BW_FAMILY_IP, BW_CHAIN_INPUT, NULL, 0,
			   BW_VERDICT_ACCEPT);
	uint32_t h1 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_TCP_DPORT, false, range(BW_F_TCP_DPORT, 0, 0xffff, 0)));
	uint32_t h2 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_META_L4PROTO, false, val(BW_F_META_L4PROTO, IPPROTO_TCP)));
	struct pkt p = tcp4(80, 2);

	/* any tcp dport (mask 0): matches every TCP packet with a header */
	expect(run(ir, false, NULL, fix(&p)), BW_VERDICT_DROP, h1);
	/* a non-first fragment: tcp dport cannot match, meta l4proto can */
	p.buf[14 + 6] = 0x00;
	p.buf[14 + 7] = 0x10;		/* offset 16 (checksum now stale) */
	expect(run(ir, false, NULL, &p), BW_VERDICT_DROP, h2);
	bw_ir_free(&ir);
}

static void test_prefixes_ranges_sets(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t c = chain(ir, BW_FAMILY_INET, BW_CHAIN_INPUT, NULL, 0,
			   BW_VERDICT_ACCEPT);
	struct bw_ir_elem set[] = {
		val(BW_F_UDP_DPORT, 53), val(BW_F_UDP_DPORT, 123),
		range(BW_F_UDP_DPORT, 1000, 2000, 0xffff),
	};
	uint32_t h1 = rule(ir, c, BW_VERDICT_DROP, 2,
			   match1(BW_F_IP_SADDR, false, prefix4(BW_F_IP_SADDR, "198.51.100.0", 24)),
			   match1(BW_F_TCP_DPORT, false, range(BW_F_TCP_DPORT, 8000, 8080, 0xffff)));
	uint32_t h2 = rule(ir, c, BW_VERDICT_DROP, 2,
			   match1(BW_F_IP6_DADDR, false, prefix6(BW_F_IP6_DADDR, "2001:db8:1::", 48)),
			   match(BW_F_UDP_DPORT, false, 3, set));
	uint32_t h3 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match(BW_F_UDP_DPORT, true, 3, set));
	static const struct { const char *src; uint16_t port; bool drop; } t4[] = {
		{ "198.51.100.0", 8000, true }, { "198.51.100.255", 8080, true },
		{ "198.51.100.7", 7999, false }, { "198.51.100.7", 8081, false },
		{ "198.51.101.7", 8040, false }, { "198.51.99.255", 8040, false },
	};
	struct pkt p;

	for (size_t i = 0; i < sizeof(t4) / sizeof(t4[0]); i++) {
		pkt_init(&p);
		set_addr(&p, BW_F_IP_SADDR, t4[i].src);
		set_num(&p, BW_F_TCP_DPORT, t4[i].port);
		if (t4[i].drop)
			expect(run(ir, false, NULL, &p), BW_VERDICT_DROP, h1);
		else
			expect(run(ir, false, NULL, &p), BW_VERDICT_ACCEPT, 0);
	}
	static const struct { const char *dst; uint16_t port; uint32_t h; } t6[] = {
		{ "2001:db8:1::5", 53, 2 }, { "2001:db8:1:ffff::5", 123, 2 },
		{ "2001:db8:1::5", 1000, 2 }, { "2001:db8:1::5", 2000, 2 },
		{ "2001:db8:1::5", 1500, 2 }, { "2001:db8:1::5", 999, 3 },
		{ "2001:db8:2::5", 53, 0 }, { "2001:db8:2::5", 2001, 3 },
	};
	for (size_t i = 0; i < sizeof(t6) / sizeof(t6[0]); i++) {
		pkt_init(&p);
		set_addr(&p, BW_F_IP6_DADDR, t6[i].dst);
		set_num(&p, BW_F_UDP_DPORT, t6[i].port);
		expect(run(ir, false, NULL, &p),
		       t6[i].h ? BW_VERDICT_DROP : BW_VERDICT_ACCEPT,
		       t6[i].h == 2 ? h2 : t6[i].h == 3 ? h3 : 0);
	}
	bw_ir_free(&ir);
}

static void test_tcp_flags(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t c = chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, "eth0", 0,
			   BW_VERDICT_ACCEPT);
	/* tcp flags & (fin|syn|rst|ack) == syn  (pure SYN) */
	uint32_t h1 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_TCP_FLAGS, false, range(BW_F_TCP_FLAGS, 0x02, 0x02, 0x17)));
	/* tcp flags fin  (the bit is set) */
	uint32_t h2 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_TCP_FLAGS, false, range(BW_F_TCP_FLAGS, 0x01, 0x01, 0x01)));
	struct pkt p;

	p = tcp4(1, 0x02);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, h1);
	p = tcp4(1, 0x02 | 0x08);	/* syn psh: still pure SYN by the mask */
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, h1);
	p = tcp4(1, 0x12);		/* syn ack */
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_ACCEPT, 0);
	p = tcp4(1, 0x03);		/* syn fin: not pure, but fin */
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, h2);
	p = tcp4(1, 0x11);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, h2);
	bw_ir_free(&ir);
}

static void test_host_order_fields(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t c = chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, "eth0", 0,
			   BW_VERDICT_ACCEPT);
	uint32_t h1 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_ETHER_TYPE, false, val(BW_F_ETHER_TYPE, 0x0806)));
	uint32_t h2 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_META_PKTLEN, false, range(BW_F_META_PKTLEN, 100, 200, 0xffffffff)));
	uint32_t h3 = rule(ir, c, BW_VERDICT_DROP, 2,
			   match1(BW_F_IP_DSCP, false, val(BW_F_IP_DSCP, 46)),
			   match1(BW_F_IP_VERSION, false, val(BW_F_IP_VERSION, 4)));
	uint32_t h4 = rule(ir, c, BW_VERDICT_DROP, 2,
			   match1(BW_F_META_NFPROTO, false, val(BW_F_META_NFPROTO, 10)),
			   match1(BW_F_IP6_HOPLIMIT, false, range(BW_F_IP6_HOPLIMIT, 0, 1, 0xff)));
	uint32_t h5 = rule(ir, c, BW_VERDICT_DROP, 1,
			   match1(BW_F_ETHER_SADDR, false, range(BW_F_ETHER_SADDR,
				  0x02aabbccdd00, 0x02aabbccddff, 0xffffffffffff)));
	struct pkt p = arp();

	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, h1);
	pkt_init(&p);
	set_num(&p, BW_F_META_PKTLEN, 150);
	expect(run(ir, false, "eth0", &p), BW_VERDICT_DROP, h2);
	pkt_init(&p);
	set_num(&p, BW_F_META_PKTLEN, 201);
	expect(run(ir, false, "eth0", &p), BW_VERDICT_ACCEPT, 0);
	pkt_init(&p);
	set_num(&p, BW_F_IP_DSCP, 46);
	expect(run(ir, false, "eth0", &p), BW_VERDICT_DROP, h3);
	pkt_init(&p);
	set_num(&p, BW_F_IP_DSCP, 47);
	expect(run(ir, false, "eth0", &p), BW_VERDICT_ACCEPT, 0);
	pkt_init(&p);
	set_num(&p, BW_F_IP6_HOPLIMIT, 1);
	expect(run(ir, false, "eth0", &p), BW_VERDICT_DROP, h4);
	pkt_init(&p);
	set_num(&p, BW_F_IP6_HOPLIMIT, 2);
	expect(run(ir, false, "eth0", &p), BW_VERDICT_ACCEPT, 0);
	pkt_init(&p);
	set_num(&p, BW_F_ETHER_SADDR, 0x02aabbccdd42);
	expect(run(ir, false, "eth0", &p), BW_VERDICT_DROP, h5);
	bw_ir_free(&ir);
}

static void test_policy_and_continue(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t c = chain(ir, BW_FAMILY_IP, BW_CHAIN_INPUT, NULL, 0,
			   BW_VERDICT_DROP);
	/* counter-only rule: matches everything, decides nothing */
	rule(ir, c, BW_VERDICT_CONTINUE, 0);
	uint32_t h = rule(ir, c, BW_VERDICT_ACCEPT, 1,
			  match1(BW_F_TCP_DPORT, false, val(BW_F_TCP_DPORT, 22)));
	struct pkt p;

	p = tcp4(22, 2);
	expect(run(ir, false, NULL, fix(&p)), BW_VERDICT_ACCEPT, h);
	p = tcp4(23, 2);
	expect(run(ir, false, NULL, fix(&p)), BW_VERDICT_DROP, 0);
	bw_ir_free(&ir);
}

static void test_chain_order(void **state)
{
	struct bw_ir *ir = ir_new();
	/* source order: inet input prio 10, inet input prio -5, netdev */
	uint32_t a = chain(ir, BW_FAMILY_INET, BW_CHAIN_INPUT, NULL, 10,
			   BW_VERDICT_ACCEPT);
	uint32_t b = chain(ir, BW_FAMILY_INET, BW_CHAIN_INPUT, NULL, -5,
			   BW_VERDICT_ACCEPT);
	uint32_t n = chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, "eth0", 100,
			   BW_VERDICT_ACCEPT);
	uint32_t o = chain(ir, BW_FAMILY_IP6, BW_CHAIN_OUTPUT, NULL, 0,
			   BW_VERDICT_DROP);
	struct bw_ir_elem any = range(BW_F_META_L4PROTO, 0, 255, 0xff);
	uint32_t ha = rule(ir, a, BW_VERDICT_DROP, 1, match1(BW_F_META_L4PROTO, false, any));
	uint32_t hb = rule(ir, b, BW_VERDICT_ACCEPT, 1,
			   match1(BW_F_TCP_DPORT, false, val(BW_F_TCP_DPORT, 22)));
	uint32_t hb2 = rule(ir, b, BW_VERDICT_DROP, 1,
			    match1(BW_F_TCP_DPORT, false, val(BW_F_TCP_DPORT, 23)));
	uint32_t hn = rule(ir, n, BW_VERDICT_DROP, 1,
			   match1(BW_F_TCP_DPORT, false, val(BW_F_TCP_DPORT, 25)));
	uint32_t hn2 = rule(ir, n, BW_VERDICT_ACCEPT, 1,
			    match1(BW_F_TCP_DPORT, false, val(BW_F_TCP_DPORT, 26)));
	struct pkt p;

	/* accept in b goes on to a, whose rule drops everything */
	p = tcp4(22, 2);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, ha);
	/* b runs before a (priority), so 23 is b's drop */
	p = tcp4(23, 2);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, hb2);
	/* netdev runs first */
	p = tcp4(25, 2);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, hn);
	p = tcp4(26, 2);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_DROP, ha);
	/* on another device the netdev chain is absent */
	p = tcp4(25, 2);
	expect(run(ir, false, "eth1", fix(&p)), BW_VERDICT_DROP, ha);
	/* non-IP: only the netdev chain sees it; its policy decides */
	p = arp();
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_ACCEPT, 0);
	/* egress: only the ip6 output chain */
	p = tcp4(26, 2);
	expect(run(ir, true, "eth0", fix(&p)), BW_VERDICT_ACCEPT, 0);
	p = udp6(1);
	expect(run(ir, true, "eth0", fix(&p)), BW_VERDICT_DROP, 0);
	(void)hb;
	(void)hn2;
	(void)o;
	bw_ir_free(&ir);
}

static void test_accept_handle(void **state)
{
	struct bw_ir *ir = ir_new();
	uint32_t a = chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, "eth0", 0,
			   BW_VERDICT_ACCEPT);
	uint32_t b = chain(ir, BW_FAMILY_IP6, BW_CHAIN_INPUT, NULL, 0,
			   BW_VERDICT_ACCEPT);
	uint32_t ha = rule(ir, a, BW_VERDICT_ACCEPT, 0);
	struct pkt p;

	/* IPv4: only the netdev chain sees it: its rule decided */
	p = tcp4(1, 2);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_ACCEPT, ha);
	/* IPv6: the ip6 chain's policy decided last */
	p = udp6(1);
	expect(run(ir, false, "eth0", fix(&p)), BW_VERDICT_ACCEPT, 0);
	(void)b;
	bw_ir_free(&ir);
}

static void test_malformed(void **state)
{
	struct bw_ir *ir = ir_new();
	struct bw_interp_result res;
	struct pkt p = tcp4(80, 2);
	uint32_t c = chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, "eth0", 0,
			   BW_VERDICT_ACCEPT);

	rule(ir, c, BW_VERDICT_ACCEPT, 0);
	build(fix(&p));
	/* cut the TCP header: dropped before any rule, with no chain too */
	p.buf[14 + 3] -= 1;
	assert_int_equal(bw_interp_run(ir, false, "eth0", p.buf, p.len - 1, &res), 0);
	assert_int_equal(res.verdict, BW_VERDICT_DROP);
	assert_true(res.malformed);
	assert_int_equal(res.reason, BW_REASON_L4_TRUNC);
	assert_int_equal(res.handle, 0);
	assert_int_equal(bw_interp_run(ir, false, "eth9", p.buf, 10, &res), 0);
	assert_int_equal(res.verdict, BW_VERDICT_DROP);
	assert_int_equal(res.reason, BW_REASON_ETH_TRUNC);
	assert_int_equal(bw_interp_run(ir, false, "eth0", NULL, 0, &res), 0);
	assert_int_equal(res.reason, BW_REASON_ETH_TRUNC);
	assert_int_equal(bw_interp_run(NULL, false, "eth0", p.buf, p.len, &res), -EINVAL);
	bw_ir_free(&ir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_chain),
		cmocka_unit_test(test_netdev_device),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_guards_and_neg),
		cmocka_unit_test(test_fragment_guard),
		cmocka_unit_test(test_prefixes_ranges_sets),
		cmocka_unit_test(test_tcp_flags),
		cmocka_unit_test(test_host_order_fields),
		cmocka_unit_test(test_policy_and_continue),
		cmocka_unit_test(test_chain_order),
		cmocka_unit_test(test_accept_handle),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_fwd_dup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
