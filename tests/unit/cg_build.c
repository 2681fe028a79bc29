// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_codegen's builders: hand-made IR (chains, rules, matches and
 * their elements) and frames (ethernet, vlan, IPv4/IPv6, TCP/UDP with
 * checksums fixed).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>

#include "compiler/bpf/codegen.h"
#include "compiler/front/compile.h"
#include "compiler/bpf/emit.h"
#include "compiler/interp/interp.h"
#include "compiler/bpf/log.h"
#include "compiler/front/ir.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/view.h"
#include "cg_build.h"

/* ------------------------------------------------------------ IR builder */

struct bw_ir *cg_ir_new(void)
{
	struct bw_ir *ir = calloc(1, sizeof(*ir));

	assert_non_null(ir);
	ir->nhandle = 1;
	return ir;
}

uint32_t cg_chain_add(struct bw_ir *ir, enum bw_family fam,
		      enum bw_chain_hook hook, int prio, enum bw_verdict policy)
{
	struct bw_ir_chain *ch;

	ir->chain = realloc(ir->chain, (ir->nchain + 1) * sizeof(*ir->chain));
	assert_non_null(ir->chain);
	ch = &ir->chain[ir->nchain];
	memset(ch, 0, sizeof(*ch));
	ch->table = strdup("t");
	ch->name = strdup("c");
	ch->family = fam;
	ch->hook = hook;
	if (hook == BW_CHAIN_INGRESS || hook == BW_CHAIN_EGRESS)
		ch->device = strdup(DEV);
	ch->priority = prio;
	ch->policy = policy;
	return ir->nchain++;
}

/* New rule in chain c; returns its handle. */
uint32_t cg_rule_add(struct bw_ir *ir, uint32_t c, enum bw_verdict v,
		     bool counter)
{
	struct bw_ir_chain *ch = &ir->chain[c];
	struct bw_ir_rule *r;

	if (!(ch->nrule & (ch->nrule - 1)) || !ch->nrule) {
		ch->rule = realloc(ch->rule, (ch->nrule ? ch->nrule * 2 : 1) *
				   sizeof(*ch->rule));
		assert_non_null(ch->rule);
	}
	r = &ch->rule[ch->nrule++];
	memset(r, 0, sizeof(*r));
	r->handle = ir->nhandle++;
	r->verdict = v;
	r->counter = counter;
	return r->handle;
}

struct bw_ir_rule *cg_last_rule(struct bw_ir *ir, uint32_t c)
{
	return &ir->chain[c].rule[ir->chain[c].nrule - 1];
}

struct bw_ir_match *cg_match_add(struct bw_ir *ir, uint32_t c,
				 enum bw_field_id f, bool neg)
{
	struct bw_ir_rule *r = cg_last_rule(ir, c);
	struct bw_ir_match *m;

	r->match = realloc(r->match, (r->nmatch + 1) * sizeof(*r->match));
	assert_non_null(r->match);
	m = &r->match[r->nmatch++];
	memset(m, 0, sizeof(*m));
	m->field = f;
	m->neg = neg;
	return m;
}

static void be(uint64_t v, unsigned size, uint8_t *out)
{
	for (int i = (int)size - 1; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

/* Element from byte arrays (NULL mask: all ones). */
void cg_elem_bytes(struct bw_ir_match *m, const uint8_t *lo,
		   const uint8_t *hi, const uint8_t *mask)
{
	unsigned sz = bw_field(m->field)->size;
	struct bw_ir_elem *e;

	m->elem = realloc(m->elem, (m->nelem + 1) * sizeof(*m->elem));
	assert_non_null(m->elem);
	e = &m->elem[m->nelem++];
	memset(e, 0, sizeof(*e));
	memcpy(e->lo, lo, sz);
	memcpy(e->hi, hi, sz);
	if (mask)
		memcpy(e->mask, mask, sz);
	else
		memset(e->mask, 0xff, sz);
}

/* Numeric element: (x & mask) in [lo, hi] for fields up to 8 bytes. */
void cg_elem(struct bw_ir_match *m, uint64_t lo, uint64_t hi, uint64_t mask)
{
	unsigned sz = bw_field(m->field)->size;
	uint8_t l[16], h[16], k[16];

	be(lo, sz, l);
	be(hi, sz, h);
	be(mask, sz, k);
	cg_elem_bytes(m, l, h, k);
}

void cg_eq(struct bw_ir_match *m, uint64_t v)
{
	cg_elem(m, v, v, UINT64_MAX);
}

uint32_t cg_ip4(const char *s)
{
	struct in_addr a;

	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

void cg_ip6(const char *s, uint8_t out[16])
{
	assert_int_equal(inet_pton(AF_INET6, s, out), 1);
}

/* ip saddr/daddr PREFIX */
void cg_prefix4(struct bw_ir_match *m, const char *addr, int len)
{
	uint32_t mask = len ? ~0u << (32 - len) : 0;

	cg_elem(m, cg_ip4(addr) & mask, cg_ip4(addr) & mask, mask);
}

/* ---------------------------------------------------------- frame builder */

void cg_put(struct fr *f, const void *p, size_t n)
{
	assert_true(f->n + n <= sizeof(f->b));
	memcpy(f->b + f->n, p, n);
	f->n += n;
}

void cg_put8(struct fr *f, uint8_t v) { cg_put(f, &v, 1); }
void cg_put16(struct fr *f, uint16_t v) { v = htons(v); cg_put(f, &v, 2); }
void cg_put32(struct fr *f, uint32_t v) { v = htonl(v); cg_put(f, &v, 4); }

void cg_eth(struct fr *f, uint16_t type)
{
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };

	f->n = 0;
	cg_put(f, mac, 12);
	cg_put16(f, type);
}

void cg_vlan(struct fr *f, uint16_t tci, uint16_t inner)
{
	cg_put16(f, tci);
	cg_put16(f, inner);
}

/* IPv4 header; tot 0: computed later by fix4(). Returns its offset. */
size_t cg_iph(struct fr *f, uint8_t proto, uint32_t s, uint32_t d,
	      uint16_t frag, int ihl)
{
	size_t at = f->n;

	cg_put8(f, (uint8_t)(0x40 | ihl));
	cg_put8(f, 0);
	cg_put16(f, 0);
	cg_put16(f, 1);
	cg_put16(f, frag);
	cg_put8(f, 64);
	cg_put8(f, proto);
	cg_put16(f, 0);
	cg_put32(f, s);
	cg_put32(f, d);
	for (int i = 5; i < ihl; i++)
		cg_put32(f, 0x01010101);	/* NOP options */
	return at;
}

void cg_fix4(struct fr *f, size_t at)
{
	uint16_t tot = htons((uint16_t)(f->n - at));

	memcpy(f->b + at + 2, &tot, 2);
}

size_t cg_ip6h(struct fr *f, uint8_t nh, const char *s, const char *d)
{
	size_t at = f->n;
	uint8_t a[16];

	cg_put32(f, 0x60000000);
	cg_put16(f, 0);
	cg_put8(f, nh);
	cg_put8(f, 64);
	cg_ip6(s, a);
	cg_put(f, a, 16);
	cg_ip6(d, a);
	cg_put(f, a, 16);
	return at;
}

void cg_fix6(struct fr *f, size_t at)
{
	uint16_t pl = htons((uint16_t)(f->n - at - 40));

	memcpy(f->b + at + 4, &pl, 2);
}

void cg_tcph(struct fr *f, uint16_t sp, uint16_t dp, uint8_t flags, int doff)
{
	cg_put16(f, sp);
	cg_put16(f, dp);
	cg_put32(f, 1);
	cg_put32(f, 0);
	cg_put8(f, (uint8_t)(doff << 4));
	cg_put8(f, flags);
	cg_put16(f, 65535);
	cg_put16(f, 0);
	cg_put16(f, 0);
}

void cg_udph(struct fr *f, uint16_t sp, uint16_t dp)
{
	cg_put16(f, sp);
	cg_put16(f, dp);
	cg_put16(f, 8);
	cg_put16(f, 0);
}

/* IPv4/TCP frame in one call. */
void cg_tcp4(struct fr *f, const char *s, const char *d, uint16_t sp,
	     uint16_t dp, uint8_t flags)
{
	size_t at;

	cg_eth(f, 0x0800);
	at = cg_iph(f, IPPROTO_TCP, cg_ip4(s), cg_ip4(d), 0, 5);
	cg_tcph(f, sp, dp, flags, 5);
	cg_fix4(f, at);
}

void cg_udp4(struct fr *f, const char *s, const char *d, uint16_t sp,
	     uint16_t dp)
{
	size_t at;

	cg_eth(f, 0x0800);
	at = cg_iph(f, IPPROTO_UDP, cg_ip4(s), cg_ip4(d), 0, 5);
	cg_udph(f, sp, dp);
	cg_fix4(f, at);
}

void cg_tcp6(struct fr *f, const char *s, const char *d, uint16_t dp)
{
	size_t at;

	cg_eth(f, 0x86dd);
	at = cg_ip6h(f, IPPROTO_TCP, s, d);
	cg_tcph(f, 40000, dp, 0x02, 5);
	cg_fix6(f, at);
}
