// SPDX-License-Identifier: GPL-2.0-only
/* Random mixed rulesets and packets (see mixgen.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/classify/mixgen.h"

/* The three documentation networks (RFC 5737). */
static const uint32_t nets[] = { 0xc0000200, 0xc6336400, 0xcb007100 };

uint64_t mix_rand(struct mixgen *g)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return g->s;
}

static uint32_t below(struct mixgen *g, uint32_t n)
{
	return (uint32_t)(mix_rand(g) % n);
}

void mix_init(struct mixgen *g, uint64_t seed)
{
	memset(g, 0, sizeof(*g));
	g->s = seed * 0x9e3779b97f4a7c15ull + 1;
	for (int i = 0; i < 8; i++)
		mix_rand(g);
}

/* Any address the rules and packets may use. */
static uint32_t any_addr(struct mixgen *g)
{
	if (g->wide)
		return 0xc6120000u + below(g, 131072);
	return nets[below(g, 3)] | below(g, 256);
}

static uint32_t rand_addr(struct mixgen *g)
{
	uint32_t a = any_addr(g);

	if (g->naddr < MIX_POOL)
		g->addr[g->naddr++] = a;
	else
		g->addr[below(g, MIX_POOL)] = a;
	return a;
}

static uint16_t rand_port(struct mixgen *g)
{
	/* a few well-known ports often, any port sometimes */
	static const uint16_t common[] = { 22, 25, 53, 80, 123, 443, 8080, 3306 };
	uint16_t p = below(g, 3) ? (uint16_t)(1 + below(g, 65535)) :
				   common[below(g, 8)];

	if (g->nport < MIX_POOL)
		g->port[g->nport++] = p;
	else
		g->port[below(g, MIX_POOL)] = p;
	return p;
}

static void put_addr(FILE *o, uint32_t a)
{
	fprintf(o, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
		a & 255);
}

/* A random address of documentation network i (in the pool). */
static uint32_t net_addr(struct mixgen *g, unsigned i)
{
	uint32_t a = g->wide ? 0xc6120000u + (i << 15) + below(g, 32768) :
		     nets[i] | below(g, 256);

	if (g->naddr < MIX_POOL)
		g->addr[g->naddr++] = a;
	return a;
}

/* "A-B" with A < B in A's /24 (B in the pool), or "A" at its end. */
static void put_arange(struct mixgen *g, FILE *o, uint32_t a)
{
	uint32_t b;

	put_addr(o, a);
	if ((a & 255) == 255)
		return;
	b = a + 1 + below(g, 255 - (a & 255));
	if (g->naddr < MIX_POOL)
		g->addr[g->naddr++] = b;
	fputs("-", o);
	put_addr(o, b);
}

static const char *l4name(struct mixgen *g)
{
	return below(g, 2) ? "tcp" : "udp";
}

static const char *verdict(struct mixgen *g, bool drop_mostly)
{
	return below(g, 4) ? (drop_mostly ? "drop" : "accept") :
			     (drop_mostly ? "accept" : "drop");
}

/* ------------------------------------------------------------- IPv6 */

/* An address of 2001:db8:N::/48 (N 0-3), its /64 one of 256, its
 * interface id small mostly; into the pool. */
static void rand_addr6(struct mixgen *g, uint64_t *a)
{
	a[0] = UINT64_C(0x20010db800000000) | (uint64_t)below(g, 4) << 16 |
	       below(g, 256);
	a[1] = below(g, 3) ? below(g, 512) : mix_rand(g);
	if (g->naddr6 < MIX_POOL) {
		g->addr6[g->naddr6][0] = a[0];
		g->addr6[g->naddr6++][1] = a[1];
	} else {
		uint32_t i = below(g, MIX_POOL);

		g->addr6[i][0] = a[0];
		g->addr6[i][1] = a[1];
	}
}

static void put_addr6(FILE *o, const uint64_t *a)
{
	for (int i = 0; i < 8; i++)
		fprintf(o, "%s%x", i ? ":" : "",
			(unsigned)(a[i / 4] >> (48 - 16 * (i % 4)) & 0xffff));
}

/* a under a /plen mask. */
static void mask6(uint64_t *a, unsigned plen)
{
	a[0] &= plen >= 64 ? UINT64_MAX : plen ? ~UINT64_C(0) << (64 - plen) : 0;
	a[1] &= plen >= 128 ? UINT64_MAX : plen > 64 ? ~UINT64_C(0) << (128 - plen) : 0;
}

static void put_prefix6(struct mixgen *g, FILE *o)
{
	static const unsigned lens[] = { 48, 56, 64, 96, 120, 124, 127, 128 };
	unsigned plen = lens[below(g, 8)];
	uint64_t a[2];

	rand_addr6(g, a);
	mask6(a, plen);
	put_addr6(o, a);
	fprintf(o, "/%u", plen);
}

/* "A-B", B a little above A in its /64 (B in the pool too). */
static void put_range6(struct mixgen *g, FILE *o)
{
	uint64_t a[2], b[2];

	rand_addr6(g, a);
	a[1] &= 0xffff;
	b[0] = a[0];
	b[1] = a[1] + 1 + below(g, 300);
	if (g->naddr6 < MIX_POOL) {
		g->addr6[g->naddr6][0] = b[0];
		g->addr6[g->naddr6++][1] = b[1];
	}
	put_addr6(o, a);
	fputs("-", o);
	put_addr6(o, b);
}

/* One IPv6 rule the classifier takes. */
static void classifiable6(struct mixgen *g, FILE *o, const char *cnt)
{
	uint64_t a[2];
	uint16_t lo;

	switch (below(g, 8)) {
	case 0:		/* address drop */
		fputs("ip6 saddr ", o);
		rand_addr6(g, a);
		put_addr6(o, a);
		fprintf(o, " %s%s\n", cnt, verdict(g, true));
		break;
	case 1:		/* prefix drop */
		fputs("ip6 saddr ", o);
		put_prefix6(g, o);
		fprintf(o, " %s%s\n", cnt, verdict(g, true));
		break;
	case 2:		/* address + port */
		fputs("ip6 saddr ", o);
		rand_addr6(g, a);
		put_addr6(o, a);
		fprintf(o, " %s dport %u %s%s\n", l4name(g), rand_port(g), cnt,
			verdict(g, true));
		break;
	case 3:		/* daddr prefix + port accept */
		fputs("ip6 daddr ", o);
		put_prefix6(g, o);
		fprintf(o, " %s dport %u %s%s\n", l4name(g), rand_port(g), cnt,
			verdict(g, false));
		break;
	case 4:		/* prefix + port range */
		fputs("ip6 saddr ", o);
		put_prefix6(g, o);
		lo = rand_port(g);
		lo = lo < 65000 ? lo : 1000;
		fprintf(o, " %s dport %u-%u %s%s\n", l4name(g), lo,
			lo + 1 + below(g, 65535 - lo), cnt, verdict(g, true));
		break;
	case 5:		/* an address range */
		fputs("ip6 saddr ", o);
		put_range6(g, o);
		fprintf(o, " %s%s\n", cnt, verdict(g, true));
		break;
	case 6:		/* a set: an address and a prefix, with a protocol */
		fputs("ip6 saddr { ", o);
		rand_addr6(g, a);
		a[0] = (a[0] & ~UINT64_C(0xffff0000)) | 0x40000;	/* :4:, own /48 */
		put_addr6(o, a);
		fputs(", ", o);
		rand_addr6(g, a);
		a[0] = (a[0] & ~UINT64_C(0xffff0000)) | 0x50000;	/* :5: */
		mask6(a, 64);
		put_addr6(o, a);
		fprintf(o, "/64 } meta l4proto %s %s%s\n", l4name(g), cnt,
			verdict(g, true));
		break;
	default:	/* saddr prefix, daddr address, source port range */
		fputs("ip6 saddr ", o);
		put_prefix6(g, o);
		fputs(" ip6 daddr ", o);
		rand_addr6(g, a);
		put_addr6(o, a);
		lo = rand_port(g);
		lo = lo < 65000 ? lo : 1000;
		fprintf(o, " %s sport %u-%u %s%s\n", l4name(g), lo,
			lo + 1 + below(g, 65535 - lo), cnt, verdict(g, true));
		break;
	}
}

/* An IPv6 address for a frame: from the pool (or a neighbour) when hit,
 * else anywhere in the rules' space. */
static void pick_addr6(struct mixgen *g, unsigned hit, uint64_t *a)
{
	if (!g->naddr6 || below(g, 100) >= hit) {
		a[0] = UINT64_C(0x20010db800000000) | (uint64_t)below(g, 6) << 16 |
		       below(g, 256);
		a[1] = below(g, 2) ? below(g, 1024) : mix_rand(g);
		return;
	}
	a[0] = g->addr6[below(g, g->naddr6)][0];
	a[1] = g->addr6[below(g, g->naddr6)][1];
	switch (below(g, 5)) {
	case 0: a[1]++; break;
	case 1: a[1]--; break;
	case 2: a[1] ^= (uint64_t)1 << below(g, 64); break;
	default: break;
	}
}

/* One rule the classifier takes. */
static void classifiable(struct mixgen *g, FILE *o)
{
	const char *cnt = below(g, 8) ? "" : "counter ";
	uint32_t a, plen;
	uint16_t lo, hi;

	if (g->ifs && below(g, 100) < g->ifs) {
		static const char *const names[] = {
			"eth0", "eth1", "eth*", "veth0", "e*", "eth0",
		};

		switch (below(g, 5)) {
		case 0: case 1:
			fprintf(o, "iifname \"%s\" ", names[below(g, 6)]);
			break;
		case 2:
			fprintf(o, "iifname { \"%s\", \"%s\" } ",
				names[below(g, 6)], names[below(g, 6)]);
			break;
		case 3:
			fprintf(o, "oifname \"%s\" ", names[below(g, 6)]);
			break;
		default:
			fprintf(o, "iifname \"e*\" iifname \"%s\" ",
				names[below(g, 6)]);
			break;
		}
	}
	if (g->v6 && below(g, 100) < g->v6) {
		classifiable6(g, o, cnt);
		return;
	}
	switch (below(g, 11)) {
	case 0:		/* address drop */
		fputs("ip saddr ", o);
		put_addr(o, rand_addr(g));
		fprintf(o, " %s%s\n", cnt, verdict(g, true));
		break;
	case 1:		/* prefix drop /24-/32 */
		plen = 24 + below(g, 9);
		a = rand_addr(g) & (plen ? ~0u << (32 - plen) : 0);
		fputs("ip saddr ", o);
		put_addr(o, a);
		fprintf(o, "/%u %s%s\n", plen, cnt, verdict(g, true));
		break;
	case 2:		/* address + port */
		fputs("ip saddr ", o);
		put_addr(o, rand_addr(g));
		fprintf(o, " %s dport %u %s%s\n", l4name(g), rand_port(g), cnt,
			verdict(g, true));
		break;
	case 3:		/* port accept */
		fprintf(o, "%s dport %u %s%s\n", l4name(g), rand_port(g), cnt,
			verdict(g, false));
		break;
	case 4:		/* daddr + port accept */
		fputs("ip daddr ", o);
		put_addr(o, rand_addr(g));
		fprintf(o, " %s dport %u %s%s\n", l4name(g), rand_port(g), cnt,
			verdict(g, false));
		break;
	case 5:		/* prefix + port range drop */
		plen = 24 + below(g, 9);
		a = rand_addr(g) & (~0u << (32 - plen));
		lo = rand_port(g);
		lo = lo < 65000 ? lo : 1000;
		hi = (uint16_t)(lo + 1 + below(g, 65535 - lo));
		if (g->nport < MIX_POOL)
			g->port[g->nport++] = hi;
		fputs("ip saddr ", o);
		put_addr(o, a);
		fprintf(o, "/%u %s dport %u-%u %s%s\n", plen, l4name(g), lo, hi,
			cnt, verdict(g, true));
		break;
	case 6:		/* source-port drop */
		fprintf(o, "%s sport %u %s%s\n", l4name(g), rand_port(g), cnt,
			verdict(g, true));
		break;
	case 7:		/* address + protocol */
		fputs("ip saddr ", o);
		put_addr(o, rand_addr(g));
		fprintf(o, " %s %s %s%s\n", below(g, 2) ? "ip protocol" : "meta l4proto",
			(const char *[]){ "icmp", "tcp", "udp" }[below(g, 3)], cnt,
			verdict(g, true));
		break;
	case 8:		/* an address set with a prefix and a range, each
			 * in its own network: elements never overlap */
		fputs("ip saddr { ", o);
		put_addr(o, net_addr(g, 0));
		fputs(", ", o);
		put_addr(o, net_addr(g, 1) & ~15u);
		fputs("/28, ", o);
		put_arange(g, o, net_addr(g, 2));
		fprintf(o, " } %s%s\n", cnt, verdict(g, true));
		break;
	case 9:		/* a port set with a range, on a daddr range */
		fputs("ip daddr ", o);
		put_arange(g, o, rand_addr(g));
		lo = rand_port(g);
		lo = lo < 65000 ? lo : 1000;
		hi = (uint16_t)(lo + 1 + below(g, 65535 - lo));
		fprintf(o, " %s dport { %u, %u-%u } %s%s\n", l4name(g),
			(unsigned)below(g, lo), lo, hi, cnt, verdict(g, false));
		break;
	default:	/* saddr and daddr prefixes with a source port range */
		plen = 24 + below(g, 9);
		fputs("ip saddr ", o);
		put_addr(o, rand_addr(g) & (~0u << (32 - plen)));
		fprintf(o, "/%u ip daddr ", plen);
		put_addr(o, rand_addr(g));
		lo = rand_port(g);
		lo = lo < 65000 ? lo : 1000;
		fprintf(o, " %s sport %u-%u %s%s\n", l4name(g), lo,
			lo + 1 + below(g, 65535 - lo), cnt, verdict(g, true));
		break;
	}
}

/* One rule the classifier leaves in line (it ends a partition). */
static void inline_rule(struct mixgen *g, FILE *o, bool sub)
{
	switch (below(g, sub ? 6 : 7)) {
	case 0:
		fputs("ip saddr ", o);
		put_addr(o, rand_addr(g));
		fputs(" log prefix \"mix \" drop\n", o);
		break;
	case 1:
		fprintf(o, "%s dport %u limit rate 1000000/second burst 1000000 packets accept\n",
			l4name(g), rand_port(g));
		break;
	case 2:
		fputs("ip saddr ", o);
		put_addr(o, rand_addr(g) & ~255u);
		fputs("/24 counter\n", o);
		break;
	case 3:
		fprintf(o, "ip ttl %u drop\n", 1 + below(g, 3));
		break;
	case 4:
		fputs("ip saddr != ", o);
		put_addr(o, rand_addr(g) & ~255u);
		fprintf(o, "/24 %s dport %u drop\n", l4name(g), rand_port(g));
		break;
	case 5:		/* IPv6 rules the classifier leaves in line */
		if (g->v6)
			fprintf(o, "ip6 hoplimit %u drop\n", 1 + below(g, 3));
		else
			fprintf(o, "ip6 saddr 2001:db8::%x drop\n", below(g, 65536));
		break;
	default:
		fputs("ip saddr ", o);
		put_addr(o, rand_addr(g) & ~255u);
		fputs(below(g, 2) ? "/24 jump sub\n" : "/24 goto sub\n", o);
		break;
	}
}

char *mix_ruleset(struct mixgen *g, uint32_t nrules, bool stmts,
		  const char *dev)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *o = open_memstream(&buf, &len);
	uint32_t nsub = stmts ? 20 + nrules / 20 : 0;

	if (!o)
		return NULL;
	fputs("table netdev mix {\n", o);
	if (stmts) {
		fputs("\tchain sub {\n", o);
		for (uint32_t i = 0; i < nsub; i++) {
			fputs("\t\t", o);
			if (!below(g, 10))
				inline_rule(g, o, true);
			else if (!below(g, 30))
				fputs("return\n", o);
			else
				classifiable(g, o);
		}
		fputs("\t}\n", o);
	}
	fprintf(o, "\tchain in {\n\t\ttype filter hook ingress device \"%s\" priority 0; policy %s;\n",
		dev, below(g, 2) ? "accept" : "drop");
	for (uint32_t i = 0; i < nrules; i++) {
		fputs("\t\t", o);
		/* partitions of about 40 rules on average */
		if (stmts && !below(g, 40))
			inline_rule(g, o, false);
		else
			classifiable(g, o);
	}
	fputs("\t}\n}\n", o);
	if (fclose(o)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* --------------------------------------------------------------- packets */

static uint32_t pick_addr(struct mixgen *g, unsigned hit)
{
	uint32_t a;

	if (!g->naddr || below(g, 100) >= hit)
		return any_addr(g);
	a = g->addr[below(g, g->naddr)];
	switch (below(g, 4)) {
	case 0: return a + 1;
	case 1: return a - 1;
	default: return a;
	}
}

static uint16_t pick_port(struct mixgen *g, unsigned hit)
{
	uint16_t p;

	if (!g->nport || below(g, 100) >= hit)
		return (uint16_t)below(g, 65536);
	p = g->port[below(g, g->nport)];
	switch (below(g, 5)) {
	case 0: return (uint16_t)(p + 1);
	case 1: return (uint16_t)(p - 1);
	default: return p;
	}
}

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

size_t mix_packet(struct mixgen *g, uint8_t *buf, unsigned hit)
{
	static const uint8_t protos[] = { 6, 17, 6, 17, 1 };
	uint32_t kind = below(g, 100);
	uint8_t proto = protos[below(g, 5)];
	size_t l4len = proto == 6 ? 20 : 8, l3len;
	uint8_t *ip = buf + 14, *l4;

	memset(buf, 0, 128);
	buf[0] = 0x02;
	buf[5] = 0x01;		/* destination 02:00:00:00:00:01 */
	buf[6] = 0x02;
	buf[11] = 0x02;
	if (kind < 3) {		/* ARP: no IP at all */
		put16(buf + 12, 0x0806);
		put16(buf + 14, 1);
		put16(buf + 16, 0x0800);
		buf[18] = 6;
		buf[19] = 4;
		put16(buf + 20, 1);
		return 60;
	}
	if (kind < 10 + g->v6 / 2) {	/* IPv6 */
		put16(buf + 12, 0x86dd);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = proto == 1 ? 58 : proto;
		ip[7] = 64;
		if (g->v6) {
			uint64_t a[2];

			ip[7] = (uint8_t)(below(g, 20) ? 64 : 1 + below(g, 3));
			for (int i = 0; i < 2; i++) {
				pick_addr6(g, hit, a);
				put32(ip + 8 + 16 * i, (uint32_t)(a[0] >> 32));
				put32(ip + 12 + 16 * i, (uint32_t)a[0]);
				put32(ip + 16 + 16 * i, (uint32_t)(a[1] >> 32));
				put32(ip + 20 + 16 * i, (uint32_t)a[1]);
			}
		} else {
			put32(ip + 8, 0x20010db8);
			put32(ip + 20, pick_addr(g, hit));
			put32(ip + 24, 0x20010db8);
			put32(ip + 36, pick_addr(g, hit));
		}
		l4 = ip + 40;
		l3len = 40;
	} else {
		put16(buf + 12, 0x0800);
		ip[0] = 0x45;
		ip[8] = (uint8_t)(below(g, 20) ? 64 : 1 + below(g, 3));
		ip[9] = proto;
		put32(ip + 12, pick_addr(g, hit));
		put32(ip + 16, pick_addr(g, hit));
		l3len = 20;
		l4 = ip + 20;
		if (kind < 14) {	/* a later fragment: no transport header */
			put16(ip + 6, (uint16_t)(100 + below(g, 100)));
			put16(ip + 2, (uint16_t)(20 + 8));
			memset(l4, 0xab, 8);
			return 14 + 28 < 60 ? 60 : 14 + 28;
		}
		put16(ip + 2, (uint16_t)(20 + l4len));
	}
	if (proto == 1) {
		l4[0] = 8;	/* echo request */
	} else {
		put16(l4, pick_port(g, hit));
		put16(l4 + 2, pick_port(g, hit));
		if (proto == 6) {
			l4[12] = 0x50;
			l4[13] = 0x02;	/* SYN */
		} else {
			put16(l4 + 4, 8);
		}
	}
	return 14 + l3len + l4len < 60 ? 60 : 14 + l3len + l4len;
}
