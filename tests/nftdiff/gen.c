// SPDX-License-Identifier: GPL-2.0-only
/*
 * nftdiff gen: random netdev ingress rulesets and packets, written as .t
 * files whose verdicts come from the reference interpreter (bw_interp_run).
 * nft-diff.sh sends their packets through real nft and through bpfwall
 * over veth, and run-verdict through the kernel: all must agree with the
 * interpreter.
 *
 * The matches: ip saddr/daddr (values, prefixes, ranges, anonymous sets,
 * !=, masks with a number for the address), ip protocol, meta l4proto,
 * tcp/udp sport/dport (values, ranges, sets, !=), tcp flags, icmp type,
 * ip ttl (also masked), meta protocol, concatenations of an address and
 * a port (also th sport/dport) whose elements have prefixes and ranges in
 * both parts, raw payloads (@nh, @th, @ih, @ll in
 * netdev tables; packets with data after TCP/UDP now and then), nft's
 * word operators (eq ne lt gt le ge and) and
 * <, >, <=, >= on single values; sctp, dccp, udplite sport/dport, sctp
 * vtag, sctp chunks (exists, missing, a field of data, init, sack,
 * heartbeat, asconf; packets with up to 4 chunks), dccp type, esp
 * spi/sequence, comp cpi, ah spi/sequence (IPv4 and IPv6 packets; AH
 * ends nft's IPv6 walk); IPv6 extension headers
 * (exthdr X exists/missing, frag more-fragments/id, hbh/dst hdrlength)
 * in rules without IPv4 fields, and chains of them in IPv6 packets, some
 * ending in AH with TCP, UDP or ICMPv6 behind it (AH's payload to nft);
 * nft's srh fields (last-entry, flags, tag, sid[1], sid[2]) in such
 * rules, and routing headers of type 4 or 0 with zero to two segments;
 * in netdev rulesets, ARP rules (arp operation, arp saddr/daddr ip with
 * the address forms above, arp htype) and ARP packets, and vlan fields
 * (vlan id, pcp: bare, nft's 802.1Q tag, or after ether type 8021ad)
 * with packets of one tag of either kind;
 * verdicts accept and drop, and verdict maps on ip saddr or the rule's
 * tcp/udp dport (disjoint values, prefixes, ranges to accept, drop or
 * continue, now and then a catch-all `*`, and a counter after a map
 * with a continue, which runs on it);
 * policies accept and drop.  Each rule
 * first picks its transport protocol, so its matches never contradict
 * each other; set elements never overlap (nft refuses that).  Packets
 * take their addresses, ports and ttls mostly from the rules' values and
 * their edges, so that the rules are hit, missed by one, and not hit.
 * Every third ruleset is an inet table with input chains (nf_tables
 * runs those that read TCP options; the verdicts are the interpreter's
 * on the netfilter path): its rules also match TCP options (tcp option
 * K exists/missing (any kind), maxseg size, window count (also as nft's
 * raw @K,OFFSET,LENGTH), sack-perm length,
 * timestamp tsval, sack left), and its TCP packets carry options, well
 * formed or not: NOPs and EOLs anywhere, zero and short lengths, an
 * option that runs past the header, a kind twice.
 * One seed always writes the same files.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "compiler/interp/interp.h"
#include "compiler/interp/pktbuild.h"
#include "tests/nftdiff/nftdiff.h"

#define POOL 64
#define MAX_SETS 4

struct gen {
	uint64_t s;
	/* values the rules use, and their neighbours */
	uint32_t addr[POOL];
	unsigned naddr;
	uint32_t port[POOL];
	unsigned nport;
	uint32_t ttl[POOL];
	unsigned nttl;
	unsigned other;		/* the rule's L4_OTHER protocol (others[]) */
	bool inet;		/* an inet input ruleset (TCP options) */
};

/* [lo, hi]: a value (lo == hi), a prefix (plen > 0) or a range */
struct elem {
	uint32_t lo, hi;
	unsigned plen;
};

enum l4 { L4_NONE, L4_TCP, L4_UDP, L4_ICMP, L4_OTHER };

enum kind {
	K_SADDR, K_DADDR, K_TTL, K_PROTO, K_SPORT, K_DPORT, K_FLAGS,
	K_ICMP, K_OTHER, K_EXT, K_RAW, K_VLAN, K__MAX
};

/* IPv6 extension headers: the packets' chains, the rules' kinds */
static const char *const ext_names[] = { "hbh", "rt", "frag", "dst" };
static const char *const ext_chains[] = {
	"hopopt", "ipv6-frag", "ipv6-route", "ipv6-opts", "hopopt, ipv6-route",
	"hopopt, ipv6-frag, ipv6-opts", "ipv6-opts, ipv6-opts",
	"ah", "hopopt, ah", "ipv6-frag, ah", "ipv6-opts, ah, ipv6-opts",
	"ah, ipv6-route", "hopopt, ipv6-opts, ipv6-route",
};

/* L4_OTHER's protocols, and 32-bit values for their words */
static const char *const others[] = { "sctp", "dccp", "udplite", "esp", "comp", "ah" };
#define NOTHER (sizeof(others) / sizeof(others[0]))
static const uint32_t words[] = { 1, 7, 1000, 0x01020304, 0xfffffffe };
static const char *const dccp_types[] = { "request", "response", "data", "ack", "reset" };
/* nft's operators on a single value, words and symbols */
static const char *const relops[] = { "eq ", "ne ", "lt ", "gt ", "le ", "ge ",
				      "< ", "> ", "<= ", ">= " };

/* The three documentation networks (RFC 5737). */
static const uint32_t nets[] = { 0xc0000200, 0xc6336400, 0xcb007100 };
static const uint32_t ports[] = { 22, 53, 80, 443, 1024, 8080, 40000 };
static const char *const flags[] = { "fin", "syn", "rst", "psh", "ack", "urg" };
static const char *const pkt_flags[] = {
	"syn", "syn|ack", "ack", "fin|ack", "rst", "syn|fin", "psh|ack",
	"fin", "rst|ack", "urg|ack", "fin|syn|rst|psh|ack|urg",
};
static const char *const icmp_types[] = {
	"echo-reply", "destination-unreachable", "echo-request", "time-exceeded",
};
static const char *const protos[] = { "tcp", "udp", "icmp", "47" };

/* xorshift64*, seeded through splitmix64 so that any seed works */
static uint64_t rnd(struct gen *g)
{
	g->s ^= g->s >> 12;
	g->s ^= g->s << 25;
	g->s ^= g->s >> 27;
	return g->s * 2685821657736338717ULL;
}

static void seed(struct gen *g, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	memset(g, 0, sizeof(*g));
	g->s = (z ^ (z >> 31)) | 1;
}

static uint32_t below(struct gen *g, uint32_t n)
{
	return (uint32_t)(rnd(g) % n);
}

static bool chance(struct gen *g, unsigned percent)
{
	return below(g, 100) < percent;
}

static void remember(uint32_t *pool, unsigned *n, uint32_t x)
{
	if (*n < POOL)
		pool[(*n)++] = x;
}

/* x and its neighbours, kept inside x's /24 (the networks tests may use) */
static void remember_addr(struct gen *g, uint32_t x)
{
	remember(g->addr, &g->naddr, x);
	if ((x & 0xff) != 0)
		remember(g->addr, &g->naddr, x - 1);
	if ((x & 0xff) != 0xff)
		remember(g->addr, &g->naddr, x + 1);
}

static void remember_num(uint32_t *pool, unsigned *n, uint32_t x, uint32_t max)
{
	remember(pool, n, x);
	if (x > 1)
		remember(pool, n, x - 1);
	if (x < max)
		remember(pool, n, x + 1);
}

static void put_addr(FILE *o, uint32_t a)
{
	fprintf(o, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
		a & 0xff);
}

static uint32_t rand_addr(struct gen *g)
{
	return nets[below(g, 3)] | below(g, 256);
}

static uint32_t rand_port(struct gen *g)
{
	return chance(g, 50) ? ports[below(g, 7)] : 1 + below(g, 65535);
}

static void addr_elem(struct gen *g, struct elem *e)
{
	uint32_t a = rand_addr(g), b, mask;

	e->plen = 0;
	switch (below(g, 3)) {
	case 0:
		e->lo = e->hi = a;
		break;
	case 1:
		e->plen = 24 + below(g, 9);
		mask = e->plen == 32 ? ~0u : ~(~0u >> e->plen);
		e->lo = a & mask;
		e->hi = e->lo | ~mask;
		break;
	default:
		b = (a & ~0xffu) | below(g, 256);
		if (b == a)
			b ^= 1;
		e->lo = a < b ? a : b;
		e->hi = a < b ? b : a;
		break;
	}
	remember_addr(g, e->lo);
	remember_addr(g, e->hi);
}

/* A value or a range (lo < hi) of 1..max. */
static void num_elem(struct gen *g, struct elem *e, uint32_t x, uint32_t max,
		     uint32_t *pool, unsigned *n)
{
	e->plen = 0;
	e->lo = e->hi = x;
	if (chance(g, 35)) {
		if (e->lo == max)
			e->lo--;
		e->hi = e->lo + 1 + below(g, max / 32);
		if (e->hi > max)
			e->hi = max;
	}
	remember_num(pool, n, e->lo, max);
	remember_num(pool, n, e->hi, max);
}

static void put_elem(FILE *o, const struct elem *e, bool addr)
{
	if (!addr) {
		fprintf(o, e->lo == e->hi ? "%u" : "%u-%u", e->lo, e->hi);
		return;
	}
	put_addr(o, e->lo);
	if (e->plen) {
		fprintf(o, "/%u", e->plen);
	} else if (e->hi != e->lo) {
		fputc('-', o);
		put_addr(o, e->hi);
	}
}

/* "FIELD [!=] VALUE" or "FIELD [!=] { A, B }" with disjoint elements. */
static void put_match(struct gen *g, FILE *o, const char *field, int kind)
{
	struct elem e[MAX_SETS];
	unsigned n = chance(g, 30) ? 2 + below(g, MAX_SETS - 1) : 1, k = 0;
	bool addr = kind == K_SADDR || kind == K_DADDR;

	for (unsigned tries = 0; k < n && tries < 20; tries++) {
		struct elem *x = &e[k];
		bool overlap = false;

		if (addr)
			addr_elem(g, x);
		else if (kind == K_TTL)
			num_elem(g, x, 1 + below(g, 255), 255, g->ttl, &g->nttl);
		else
			num_elem(g, x, rand_port(g), 65535, g->port, &g->nport);
		for (unsigned j = 0; j < k; j++)
			overlap |= x->lo <= e[j].hi && e[j].lo <= x->hi;
		if (!overlap)
			k++;
	}
	/* a single value: sometimes an operator, nft's word or symbol (one
	 * that can hold: no > at the maximum) */
	if (k == 1 && e[0].lo == e[0].hi && chance(g, 30)) {
		const char *op = relops[below(g, sizeof(relops) / sizeof(*relops))];
		uint32_t max = addr ? 0xffffffffu : kind == K_TTL ? 255 : 65535;

		if ((op[0] == 'g' || op[0] == '>') && e[0].lo == max)
			op = "le ";
		if ((op[0] == 'l' || op[0] == '<') && e[0].lo == 0)
			op = "ge ";
		fprintf(o, "%s %s", field, op);
		e[0].plen = 0;	/* a /32 is one address: no prefix after an operator */
		put_elem(o, &e[0], addr);
		return;
	}
	fprintf(o, "%s %s", field, chance(g, 25) ? "!= " : "");
	if (n > 1)
		fputs("{ ", o);
	for (unsigned j = 0; j < k; j++) {
		if (j)
			fputs(", ", o);
		put_elem(o, &e[j], addr);
	}
	if (n > 1)
		fputs(" }", o);
}

static void put_flags(struct gen *g, FILE *o)
{
	unsigned a = below(g, 6), b = (a + 1 + below(g, 5)) % 6;

	switch (below(g, 6)) {
	case 0:
		fprintf(o, "tcp flags %s", flags[a]);
		break;
	case 1:
		fprintf(o, "tcp flags %s,%s", flags[a], flags[b]);
		break;
	case 2:
		fprintf(o, "tcp flags & (%s|%s) == %s", flags[a], flags[b], flags[a]);
		break;
	case 3:
		fprintf(o, "tcp flags & (%s|%s) != %s", flags[a], flags[b], flags[a]);
		break;
	case 4:
		fprintf(o, "tcp flags != %s", flags[a]);
		break;
	default:
		fprintf(o, "tcp flags { %s, %s }", flags[a], flags[b]);
		break;
	}
}

static void put_icmp(struct gen *g, FILE *o)
{
	unsigned a = below(g, 4), b = (a + 1 + below(g, 3)) % 4;

	switch (below(g, 3)) {
	case 0:
		fprintf(o, "icmp type %s", icmp_types[a]);
		break;
	case 1:
		fprintf(o, "icmp type != %s", icmp_types[a]);
		break;
	default:
		fprintf(o, "icmp type { %s, %s }", icmp_types[a], icmp_types[b]);
		break;
	}
}

/* ip protocol / meta l4proto: any form when the rule has no transport
 * match, else exactly the rule's protocol. */
static void put_proto(struct gen *g, FILE *o, enum l4 l4)
{
	/* meta protocol: forms nft takes before any IPv4 field (an
	 * equality to ip6, or a set, would conflict with them in nft) */
	static const char *const mprotos[] = {
		"ip", "!= ip", "!= ip6", "!= arp", "0x0800",
	};
	const char *field = chance(g, 50) ? "ip protocol" : "meta l4proto";
	unsigned a = below(g, 4), b = (a + 1 + below(g, 3)) % 4;

	if (chance(g, 20)) {
		fprintf(o, "meta protocol %s", mprotos[below(g, 5)]);
		if (l4 == L4_NONE && chance(g, 50))
			return;
		fputc(' ', o);
	}

	if (l4 != L4_NONE) {
		fprintf(o, "%s %s", field, l4 == L4_OTHER ? others[g->other] :
			protos[l4 - 1]);
		return;
	}
	switch (below(g, 3)) {
	case 0:
		fprintf(o, "%s %s", field, protos[a]);
		break;
	case 1:
		fprintf(o, "%s != %s", field, protos[a]);
		break;
	default:
		fprintf(o, "%s { %s, %s }", field, protos[a], protos[b]);
		break;
	}
}

/* nft's srh: a field of the first routing header, whatever its type;
 * the packets' values are 0-3 and segments 2001:db8::a0-a3 */
static void put_srh(struct gen *g, FILE *o)
{
	static const char *const f[] = { "last-entry", "flags", "tag" };
	unsigned k = below(g, 5), v = below(g, 4);

	if (k >= 3) {
		fprintf(o, "srh sid[%u] %s2001:db8::a%u", k - 2,
			chance(g, 30) ? "!= " : "", v);
		return;
	}
	switch (below(g, 3)) {
	case 0:
		fprintf(o, "srh %s %u", f[k], v);
		break;
	case 1:
		fprintf(o, "srh %s != %u", f[k], v);
		break;
	default:
		fprintf(o, "srh %s { %u, %u }", f[k], v, (v + 2) % 4);
		break;
	}
}

/* An IPv6 extension header match (the rule has no IPv4 field). */
static void put_ext(struct gen *g, FILE *o)
{
	switch (below(g, 6)) {
	case 5:
		put_srh(g, o);
		break;
	case 0:
	case 1:
		fprintf(o, "exthdr %s %s", ext_names[below(g, 4)],
			chance(g, 50) ? "exists" : "missing");
		break;
	case 2:
		fprintf(o, "frag more-fragments %u", below(g, 2));
		break;
	case 3:
		fprintf(o, "frag id %s%u", chance(g, 30) ? "!= " : "", 1 + below(g, 3));
		break;
	default:
		fprintf(o, "%s hdrlength %s0", chance(g, 50) ? "hbh" : "dst",
			chance(g, 30) ? "!= " : "");
		break;
	}
}

/* AH as IPv6's upper layer too (nft's walk stops there): the packets'
 * exthdr AH has SPI 256 and length 4 (pktbuild), their ah spi words. */
static void put_ah(struct gen *g, FILE *o)
{
	const char *ne = chance(g, 30) ? "!= " : "";

	switch (below(g, 3)) {
	case 0:
		fprintf(o, "meta l4proto %sah", ne);
		break;
	case 1:
		fprintf(o, "ah spi %s%u", ne, chance(g, 50) ? 256 :
			words[below(g, sizeof(words) / sizeof(*words))]);
		break;
	default:
		fprintf(o, "ah hdrlength %s%s", ne, chance(g, 50) ? "4" : "0-1");
		break;
	}
}

/* SCTP chunks: the rules' and the packets' (put_chunks()) */
static const char *const chunk_types[] = { "data", "init", "sack", "heartbeat", "asconf" };
static const char *const chunk_fields[] = { "tsn", "initial-tsn", "a-rwnd", "length", "seqno" };

/* sctp chunk T exists|missing, or a field of T with a word. */
static void put_chunk(struct gen *g, FILE *o, uint32_t w)
{
	unsigned t = below(g, 5);

	if (chance(g, 40)) {
		fprintf(o, "sctp chunk %s %s", chunk_types[t],
			chance(g, 50) ? "exists" : "missing");
		return;
	}
	if (t == 3)	/* heartbeat: its length (8 in the packets) */
		w = chance(g, 50) ? 8 : 4;
	fprintf(o, "sctp chunk %s %s %s%u", chunk_types[t], chunk_fields[t],
		chance(g, 30) ? "!= " : "", w);
}

/* A packet's chunks, 0 to 4 of them, with the words the rules use; now
 * and then one too short for its fields or of length 0 (the walk's end). */
static void put_chunks(struct gen *g, FILE *o)
{
	unsigned n = below(g, 5);

	if (!n)
		return;
	fputs(" packet payload \"", o);
	for (unsigned i = 0; i < n; i++) {
		uint32_t w = words[below(g, sizeof(words) / sizeof(*words))];

		if (chance(g, 20))
			w += below(g, 3) - 1;
		if (i)
			fputc(' ', o);
		switch (chance(g, 8) ? 5 : below(g, 5)) {
		case 0:
			fprintf(o, "0003 0014 %08x 0001 0000 00000000 61626364", w);
			break;
		case 1:
			fprintf(o, "0100 %s 00000001 00010000 0003 0003 %08x",
				chance(g, 15) ? "0010" : "0014", w);
			break;
		case 2:
			fprintf(o, "0300 0010 00000001 %08x 0000 0000", w);
			break;
		case 3:
			fputs("0400 0008 00000000", o);
			break;
		case 4:
			fprintf(o, "c100 0008 %08x", w);
			break;
		default:
			fputs("0000 0000", o);
			break;
		}
	}
	fputc('"', o);
}

/* A match on g->other's header: ports from the pool, words, types. */
static void put_other(struct gen *g, FILE *o)
{
	const char *p = others[g->other];
	char field[24];
	uint32_t w = words[below(g, sizeof(words) / sizeof(*words))];

	if (!strcmp(p, "sctp") && chance(g, 50)) {
		put_chunk(g, o, w);
		return;
	}
	switch (below(g, 3)) {
	case 0:
	case 1:
		if (!strcmp(p, "esp") || !strcmp(p, "comp") || !strcmp(p, "ah"))
			break;
		snprintf(field, sizeof(field), "%s %s", p, chance(g, 50) ? "sport" : "dport");
		put_match(g, o, field, K_DPORT);
		return;
	default:
		break;
	}
	if (!strcmp(p, "dccp")) {
		unsigned a = below(g, 5), b = (a + 1 + below(g, 4)) % 5;

		if (chance(g, 50))
			fprintf(o, "dccp type %s%s", chance(g, 25) ? "!= " : "", dccp_types[a]);
		else
			fprintf(o, "dccp type { %s, %s }", dccp_types[a], dccp_types[b]);
		return;
	}
	if (!strcmp(p, "comp")) {
		uint32_t c = rand_port(g);

		remember_num(g->port, &g->nport, c, 65535);
		fprintf(o, "comp cpi %s%u", chance(g, 25) ? "!= " : "", c);
		return;
	}
	fprintf(o, "%s %s %s%u", p, !strcmp(p, "sctp") ? "vtag" :
		!strcmp(p, "udplite") ? "csumcov" : chance(g, 50) ? "spi" : "sequence",
		chance(g, 40) ? relops[below(g, sizeof(relops) / sizeof(*relops))] : "",
		!strcmp(p, "udplite") ? w & 0xffff : w);
}

/* TCP options: the values the rules and packets share */
static const uint32_t mss[] = { 536, 1360, 1460 };
static const char *const opt_kinds[] = {
	"eol", "nop", "maxseg", "window", "sack-perm", "sack", "timestamp",
	"md5sig", "fastopen", "2", "3", "6", "255",
};

/* A TCP option match (an inet input ruleset). */
static void put_tcpopt(struct gen *g, FILE *o)
{
	const char *ne = chance(g, 25) ? "!= " : "";

	switch (below(g, 8)) {
	case 7:	/* nft's raw option fields: maxseg's size, window's count */
		if (chance(g, 50))
			fprintf(o, "tcp option @2,16,16 %s%u", ne, mss[below(g, 3)]);
		else
			fprintf(o, "tcp option @3,16,8 %s%u", ne, below(g, 15));
		break;
	case 0:
	case 1:
		fprintf(o, "tcp option %s %s",
			opt_kinds[below(g, sizeof(opt_kinds) / sizeof(*opt_kinds))],
			chance(g, 50) ? "exists" : "missing");
		break;
	case 2:
		if (chance(g, 30))
			fprintf(o, "tcp option maxseg size { %u, %u }", mss[0], mss[2]);
		else
			fprintf(o, "tcp option maxseg size %s%u", ne, mss[below(g, 3)]);
		break;
	case 3:
		fprintf(o, "tcp option window count %s%u", ne, below(g, 15));
		break;
	case 4:
		fprintf(o, "tcp option %s length %s%u", chance(g, 50) ? "sack-perm" : "maxseg",
			ne, 2 + 2 * below(g, 2));
		break;
	case 5:
		fprintf(o, "tcp option timestamp tsval %s%u", ne, 1 + below(g, 3));
		break;
	default:
		fprintf(o, "tcp option sack left %s%u", ne, 1 + below(g, 3));
		break;
	}
}

/* A TCP packet's options: " packet tcp-options B, ..." (or none). */
static void put_tcpopt_bytes(struct gen *g, FILE *o)
{
	uint8_t b[40];
	unsigned n = 0, nopt = 1 + below(g, 5);

	if (chance(g, 20))
		return;
	for (unsigned i = 0; i < nopt && n < 30; i++) {
		uint32_t v = 1 + below(g, 3);

		switch (below(g, 10)) {
		case 0:
			b[n++] = 1;
			break;
		case 1:
			b[n++] = chance(g, 50) ? 0 : 1;
			break;
		case 2:
			v = mss[below(g, 3)];
			b[n++] = 2, b[n++] = 4, b[n++] = (uint8_t)(v >> 8), b[n++] = (uint8_t)v;
			break;
		case 3:
			b[n++] = 3, b[n++] = 3, b[n++] = (uint8_t)below(g, 15);
			break;
		case 4:
			b[n++] = 4, b[n++] = 2;
			break;
		case 5:
			b[n++] = 8, b[n++] = 10;
			for (int k = 0; k < 8; k++)
				b[n++] = k == 3 ? (uint8_t)v : 0;
			break;
		case 6:
			b[n++] = 5, b[n++] = 10;
			for (int k = 0; k < 8; k++)
				b[n++] = k == 3 ? (uint8_t)v : 0;
			break;
		case 7:	/* a zero or a too short length */
			b[n++] = (uint8_t)(2 + below(g, 4)), b[n++] = (uint8_t)below(g, 2);
			break;
		case 8:	/* a length past everything */
			b[n++] = (uint8_t)(2 + below(g, 4)), b[n++] = (uint8_t)(20 + below(g, 30));
			break;
		default:
			b[n++] = (uint8_t)below(g, 256);
			break;
		}
	}
	fputs(" packet tcp-options ", o);
	for (unsigned i = 0; i < n; i++)
		fprintf(o, "%s%u", i ? ", " : "", b[i]);
	/* sometimes a data offset that leaves EOLs after them */
	if (chance(g, 15) && (n + 3) / 4 + 5 < 15)
		fprintf(o, " tcp doff %u", 5 + (n + 3) / 4 + 1);
}

/* A raw payload match (@nh, @th, @ih; @ll in netdev rulesets): the
 * IPv4 protocol byte, the ports, the IPv4 source as a number, the
 * version or header length nibble (off a byte boundary), the first
 * byte of the data after a TCP or UDP header (packets carry 0x41 or
 * 0x00 there, or nothing), the frame's EtherType. */
static void put_raw(struct gen *g, FILE *o)
{
	static const unsigned rprotos[] = { 6, 17, 1, 47 };
	const char *ne = chance(g, 25) ? "!= " : "";
	uint32_t a;

	switch (below(g, g->inet ? 6 : 7)) {
	case 0:
		fprintf(o, "@nh,72,8 %s%u", ne, rprotos[below(g, 4)]);
		break;
	case 1:
		put_match(g, o, "@th,16,16", K_DPORT);
		break;
	case 2:
		put_match(g, o, "@th,0,16", K_SPORT);
		break;
	case 3:
		a = rand_addr(g);
		remember_addr(g, a);
		fprintf(o, "@nh,96,32 %s0x%08x", ne, a);
		break;
	case 4:
		if (chance(g, 50))
			fprintf(o, "@nh,4,4 %s%u", ne, chance(g, 80) ? 5 : 0);
		else
			fprintf(o, "@nh,0,4 %s%u", ne, chance(g, 70) ? 4 : 6);
		break;
	case 5:
		fprintf(o, "@ih,0,8 %s0x%02x", ne, chance(g, 60) ? 0x41 : 0);
		break;
	default:
		fprintf(o, "@ll,96,16 %s0x%04x", ne, chance(g, 70) ? 0x0800 : 0x86dd);
		break;
	}
}

/* VLAN ids the rules and the packets share */
static const uint32_t vlan_ids[] = { 1, 2, 5, 100, 4094 };
#define NVLAN (sizeof(vlan_ids) / sizeof(vlan_ids[0]))

/* A vlan match (netdev rulesets): a bare one is an 802.1Q tag's, as in
 * nft; after ether type 8021ad, that tag's. */
static void put_vlan(struct gen *g, FILE *o)
{
	uint32_t id = vlan_ids[below(g, NVLAN)], id2 = vlan_ids[below(g, NVLAN)];

	if (chance(g, 30))
		fputs("ether type 8021ad ", o);
	switch (below(g, 5)) {
	case 0:
		fprintf(o, "vlan id != %u", id);
		break;
	case 1:
		if (id2 == id)
			fprintf(o, "vlan id %u", id);
		else
			fprintf(o, "vlan id { %u, %u }", id, id2);
		break;
	case 2:
		fprintf(o, "vlan id %u vlan pcp %u", id, below(g, 3));
		break;
	default:
		fprintf(o, "vlan id %u", id);
		break;
	}
}

/* A packet's VLAN tag now and then: 802.1Q or 802.1ad (one tag: nft's
 * netdev chain reads no transport header under two) */
static void put_vlan_tag(struct gen *g, FILE *o)
{
	if (g->inet || !chance(g, 25))
		return;
	fprintf(o, "%s vlan id %u", chance(g, 35) ? " ether type 8021ad" : "",
		vlan_ids[below(g, NVLAN)]);
	if (chance(g, 40))
		fprintf(o, " vlan pcp %u", below(g, 3));
}

/* Data after a TCP or UDP header now and then (for @ih). */
static void put_data(struct gen *g, FILE *o)
{
	static const char *const data[] = { "41", "00", "4142", "0041" };

	if (chance(g, 40))
		fprintf(o, " packet payload \"%s\"", data[below(g, 4)]);
}

static void put_kind(struct gen *g, FILE *o, enum kind k, enum l4 l4)
{
	const char *tp = l4 == L4_UDP ? "udp" : "tcp";
	char field[16];

	switch (k) {
	case K_SADDR:
		if (chance(g, 15)) {
			/* nft's number for an address under a mask */
			uint32_t a = rand_addr(g);

			remember_addr(g, a);
			fprintf(o, "ip saddr & 0xff %s %u", chance(g, 50) ? "==" : "eq",
				a & 0xff);
			break;
		}
		put_match(g, o, "ip saddr", k);
		break;
	case K_DADDR:
		put_match(g, o, "ip daddr", k);
		break;
	case K_TTL:
		if (chance(g, 20)) {
			uint32_t t = 1 + below(g, 255), m = chance(g, 50) ? 0xf0 : 0x0f;

			remember_num(g->ttl, &g->nttl, t, 255);
			fprintf(o, "ip ttl %s 0x%02x %s 0x%02x", chance(g, 50) ? "&" : "and",
				m, chance(g, 30) ? "ne" : "==", t & m);
			break;
		}
		put_match(g, o, "ip ttl", k);
		break;
	case K_OTHER:
		put_other(g, o);
		break;
	case K_EXT:
		put_ext(g, o);
		break;
	case K_RAW:
		put_raw(g, o);
		break;
	case K_VLAN:
		put_vlan(g, o);
		break;
	case K_PROTO:
		put_proto(g, o, l4);
		break;
	case K_SPORT:
	case K_DPORT:
		snprintf(field, sizeof(field), "%s %s", tp,
			 k == K_SPORT ? "sport" : "dport");
		put_match(g, o, field, k);
		break;
	case K_FLAGS:
		put_flags(g, o);
		break;
	default:
		put_icmp(g, o);
		break;
	}
}

/* An arp field (netdev rulesets: nft's meta protocol arp dependency). */
static void put_arp(struct gen *g, FILE *o)
{
	static const char *const arp_ops[] = {
		"request", "reply", "!= request", "{ request, reply }",
		"!= { reply, nak }", "1-2",
	};

	switch (below(g, 4)) {
	case 0:
		fprintf(o, "arp operation %s", arp_ops[below(g, 6)]);
		break;
	case 1:
		put_match(g, o, "arp saddr ip", K_SADDR);
		break;
	case 2:
		put_match(g, o, "arp daddr ip", K_DADDR);
		break;
	default:
		fprintf(o, "arp htype %s1", chance(g, 30) ? "!= " : "");
		break;
	}
}

/* A rule of one or two arp fields. */
static bool put_arp_rule(struct gen *g, FILE *o)
{
	if (g->inet || !chance(g, 10))
		return false;
	fputs("\t\t", o);
	put_arp(g, o);
	if (chance(g, 40)) {
		fputc(' ', o);
		put_arp(g, o);
	}
	fprintf(o, " %s\n", chance(g, 50) ? "accept" : "drop");
	return true;
}

/*
 * "ip saddr . tcp dport [!=] { A . P, ... }": a literal concatenation whose
 * elements have a value, prefix or range in each part (two ranges: nft's
 * pipapo, bpfwall's compares in the rule's code); no two elements
 * overlap in both parts (nft refuses that).
 */
static void put_concat(struct gen *g, FILE *o, enum l4 l4)
{
	struct elem a[MAX_SETS], p[MAX_SETS];
	unsigned n = 1 + below(g, MAX_SETS), k = 0;
	/* th: the port as a raw payload, read into the key for itself (an
	 * element then has one range at most: the address is one value;
	 * not in inet rulesets, whose TCP options send chains to nf_tables,
	 * where a raw payload in a concatenation has no form) */
	bool th = !g->inet && chance(g, 25);

	for (unsigned tries = 0; k < n && tries < 20; tries++) {
		bool overlap = false;

		addr_elem(g, &a[k]);
		if (th) {
			a[k].hi = a[k].lo;
			a[k].plen = 0;
		}
		num_elem(g, &p[k], rand_port(g), 65535, g->port, &g->nport);
		if (chance(g, 50) && p[k].lo == p[k].hi && p[k].lo < 65535)
			p[k].hi = p[k].lo + 1 + below(g, 2048);
		if (p[k].hi > 65535)
			p[k].hi = 65535;
		remember_num(g->port, &g->nport, p[k].hi, 65535);
		for (unsigned j = 0; j < k; j++)
			overlap |= a[k].lo <= a[j].hi && a[j].lo <= a[k].hi &&
				   p[k].lo <= p[j].hi && p[j].lo <= p[k].hi;
		if (!overlap)
			k++;
	}
	fprintf(o, "ip %s . %s %s %s{ ", chance(g, 50) ? "saddr" : "daddr",
		th ? "th" : l4 == L4_UDP ? "udp" : "tcp",
		chance(g, 50) ? "sport" : "dport", chance(g, 25) ? "!= " : "");
	for (unsigned j = 0; j < k; j++) {
		fputs(j ? ", " : "", o);
		put_elem(o, &a[j], true);
		fputs(" . ", o);
		put_elem(o, &p[j], false);
	}
	fputs(" }", o);
}

/* A verdict map ending a rule: " FIELD vmap { ... }[ counter]". */
static void put_vmap(struct gen *g, FILE *o, enum l4 l4)
{
	static const char *const verdicts[] = { "accept", "drop", "continue" };
	bool port = (l4 == L4_TCP || l4 == L4_UDP) && chance(g, 60);
	struct elem el[4];
	unsigned want = 1 + below(g, 4), n = 0;
	bool cont = false;

	fprintf(o, " %s vmap { ", !port ? "ip saddr" :
		l4 == L4_TCP ? "tcp dport" : "udp dport");
	for (unsigned tries = 0; n < want && tries < 12; tries++) {
		struct elem e;
		bool clash = false;
		unsigned v = below(g, 3);

		if (port)
			num_elem(g, &e, rand_port(g), 65535, g->port, &g->nport);
		else
			addr_elem(g, &e);
		for (unsigned i = 0; i < n && !clash; i++)
			clash = !(e.hi < el[i].lo || e.lo > el[i].hi);
		if (clash)
			continue;
		el[n++] = e;
		fputs(n > 1 ? ", " : "", o);
		put_elem(o, &e, !port);
		fprintf(o, " : %s", verdicts[v]);
		cont |= v == 2;
	}
	if (chance(g, 40)) {
		unsigned v = below(g, 3);

		fprintf(o, ", * : %s", verdicts[v]);
		cont |= v == 2;
	}
	fputs(" }", o);
	if (cont && chance(g, 50))
		fputs(" counter", o);
}

static void put_rule(struct gen *g, FILE *o)
{
	static const enum kind l4kinds[][3] = {
		[L4_TCP] = { K_SPORT, K_DPORT, K_FLAGS },
		[L4_UDP] = { K_SPORT, K_DPORT, K_DPORT },
		[L4_ICMP] = { K_ICMP, K_ICMP, K_ICMP },
		[L4_OTHER] = { K_OTHER, K_OTHER, K_OTHER },
	};
	static const enum kind common[] = { K_SADDR, K_DADDR, K_TTL, K_PROTO, K_RAW };
	unsigned r = below(g, 100), want, n = 0;
	enum l4 l4 = r < 40 ? L4_NONE : r < 65 ? L4_TCP : r < 82 ? L4_UDP :
		     r < 90 ? L4_ICMP : L4_OTHER;
	bool used[K__MAX] = { 0 };

	if (put_arp_rule(g, o))
		return;
	want = chance(g, 4) ? 0 : 1 + below(g, 3);
	g->other = chance(g, 30) ? 0 : below(g, NOTHER);	/* sctp: more */
	/* an IPv6 extension header rule: no IPv4 field, no icmp */
	if (l4 != L4_ICMP && chance(g, 12)) {
		used[K_SADDR] = used[K_DADDR] = used[K_TTL] = used[K_PROTO] = true;
		fputs("\t\t", o);
		if (l4 == L4_NONE && chance(g, 35))
			put_ah(g, o);
		else
			put_ext(g, o);
		used[K_EXT] = true;
		n = 1;
		want = want ? want : 1;
		if (l4 != L4_NONE && want > 1) {
			fputc(' ', o);
			put_kind(g, o, l4kinds[l4][0], l4);
			used[l4kinds[l4][0]] = true;
			n++;
		}
		fprintf(o, " %s\n", chance(g, 50) ? "accept" : "drop");
		return;
	}
	fputs("\t\t", o);
	/* a vlan match first: after the network layer nft refuses one */
	if (want && !g->inet && chance(g, 15)) {
		put_kind(g, o, K_VLAN, l4);
		used[K_VLAN] = true;
		n++;
	}
	if (want && l4 != L4_NONE) {
		enum kind k = l4kinds[l4][below(g, 3)];

		if (n)
			fputc(' ', o);
		put_kind(g, o, k, l4);
		used[k] = true;
		n++;
	}
	for (unsigned tries = 0; n < want && tries < 20; tries++) {
		enum kind k;

		if (l4 != L4_NONE && chance(g, 40))
			k = l4kinds[l4][below(g, 3)];
		else
			k = common[below(g, 5)];
		if (used[k])
			continue;
		if (n)
			fputc(' ', o);
		put_kind(g, o, k, l4);
		used[k] = true;
		n++;
	}
	if ((l4 == L4_TCP || l4 == L4_UDP) && chance(g, 15)) {
		fputs(n ? " " : "", o);
		put_concat(g, o, l4);
		n++;
	}
	if (g->inet && chance(g, 50)) {
		fputs(n ? " " : "", o);
		put_tcpopt(g, o);
		n++;
	}
	if (chance(g, 15)) {
		put_vmap(g, o, l4);
		fputc('\n', o);
		return;
	}
	fprintf(o, "%s%s\n", n ? " " : "", chance(g, 50) ? "accept" : "drop");
}

static void put_ruleset(struct gen *g, FILE *o, unsigned index, uint64_t s)
{
	unsigned nchain = chance(g, 30) ? 2 : 1;

	fprintf(o, "# random ruleset %u of seed %llu (nftdiff gen): the verdicts\n"
		"# are the reference interpreter's\n"
		"table %s r {\n", index, (unsigned long long)s,
		g->inet ? "inet" : "netdev");
	for (unsigned c = 0; c < nchain; c++) {
		unsigned nrule = 1 + below(g, 6);

		if (g->inet)
			fprintf(o, "\tchain c%u {\n"
				"\t\ttype filter hook input priority %d; policy %s;\n",
				c, c ? 10 : 0, chance(g, 50) ? "accept" : "drop");
		else
			fprintf(o, "\tchain c%u {\n"
				"\t\ttype filter hook ingress device \"veth0\" priority %d; policy %s;\n",
				c, c ? 10 : 0, chance(g, 50) ? "accept" : "drop");
		for (unsigned i = 0; i < nrule; i++)
			put_rule(g, o);
		fputs("\t}\n", o);
	}
	fputs("}\n", o);
}

static uint32_t pick(struct gen *g, const uint32_t *pool, unsigned n,
		     uint32_t other)
{
	return n && chance(g, 65) ? pool[below(g, n)] : other;
}

/* A packet of one of others[]: ports, words and types as the rules use. */
static void put_other_packet(struct gen *g, FILE *o)
{
	/* sctp more often: its chunks have the most to walk */
	const char *p = chance(g, 30) ? "sctp" : others[below(g, NOTHER)];
	uint32_t w = words[below(g, sizeof(words) / sizeof(*words))];

	if (chance(g, 20))
		w += below(g, 3) - 1;
	if (!strcmp(p, "esp") || !strcmp(p, "ah")) {
		fprintf(o, " %s spi %u %s sequence %u", p, w, p,
			words[below(g, sizeof(words) / sizeof(*words))]);
		return;
	}
	if (!strcmp(p, "comp")) {
		fprintf(o, " comp cpi %u", pick(g, g->port, g->nport, rand_port(g)));
		return;
	}
	fprintf(o, " %s sport %u %s dport %u", p,
		pick(g, g->port, g->nport, rand_port(g)), p,
		pick(g, g->port, g->nport, rand_port(g)));
	if (!strcmp(p, "sctp")) {
		fprintf(o, " sctp vtag %u", w);
		put_chunks(g, o);
	}
	else if (!strcmp(p, "dccp"))
		fprintf(o, " dccp type %s", dccp_types[below(g, 5)]);
	else
		fprintf(o, " udplite csumcov %u", w & 0xffff);
}

/* A routing header's type and srh fields (pktbuild: one segment, two,
 * or none, then 8 bytes) */
static void put_srh_bytes(struct gen *g, FILE *o)
{
	unsigned seg = below(g, 3);

	fprintf(o, " rt type %u srh last-entry %u srh flags %u srh tag %u",
		chance(g, 75) ? 4 : 0, below(g, 4), below(g, 4), below(g, 4));
	if (seg > 0)
		fprintf(o, " srh sid[1] 2001:db8::a%u", below(g, 4));
	if (seg > 1)
		fprintf(o, " srh sid[2] 2001:db8::a%u", below(g, 4));
}

static void put_packet(struct gen *g, FILE *o)
{
	bool v6 = chance(g, 15);
	unsigned l4 = below(g, 100);

	fputs("device veth0", o);
	if (!g->inet && chance(g, 10)) {	/* an ARP packet */
		fprintf(o, " arp operation %s arp saddr ip ",
			chance(g, 50) ? "request" : "reply");
		put_addr(o, pick(g, g->addr, g->naddr, rand_addr(g)));
		fputs(" arp daddr ip ", o);
		put_addr(o, pick(g, g->addr, g->naddr, rand_addr(g)));
		return;
	}
	put_vlan_tag(g, o);
	if (v6) {
		fprintf(o, " ip6 saddr 2001:db8::%x ip6 daddr 2001:db8::%x",
			1 + below(g, 0xfffe), 1 + below(g, 0xfffe));
		if (chance(g, 50)) {
			const char *c = ext_chains[below(g, sizeof(ext_chains) / sizeof(*ext_chains))];

			fprintf(o, " packet exthdr %s", c);
			if (strstr(c, "frag") && chance(g, 60))
				fprintf(o, " frag id %u", 1 + below(g, 3));
			if (strstr(c, "frag") && chance(g, 40))
				fputs(" packet more-fragments 1", o);
			if (strstr(c, "route") && chance(g, 70))
				put_srh_bytes(g, o);
		}
	} else {
		if (chance(g, 85)) {
			fputs(" ip saddr ", o);
			put_addr(o, pick(g, g->addr, g->naddr, rand_addr(g)));
		}
		if (chance(g, 85)) {
			fputs(" ip daddr ", o);
			put_addr(o, pick(g, g->addr, g->naddr, rand_addr(g)));
		}
		if (chance(g, 50))
			fprintf(o, " ip ttl %u",
				pick(g, g->ttl, g->nttl, 1 + below(g, 255)));
	}
	if (l4 < 40)
		fprintf(o, " tcp sport %u tcp dport %u tcp flags %s",
			pick(g, g->port, g->nport, rand_port(g)),
			pick(g, g->port, g->nport, rand_port(g)),
			pkt_flags[below(g, sizeof(pkt_flags) / sizeof(*pkt_flags))]);
	if (l4 < 40 && g->inet)
		put_tcpopt_bytes(g, o);
	else if (l4 < 40)
		put_data(g, o);
	else if (l4 < 70) {
		fprintf(o, " udp sport %u udp dport %u",
			pick(g, g->port, g->nport, rand_port(g)),
			pick(g, g->port, g->nport, rand_port(g)));
		put_data(g, o);
	}
	else if (l4 < 80 && v6)
		fputs(" icmpv6 type echo-request", o);
	else if (l4 < 80)
		fprintf(o, " icmp type %s", icmp_types[below(g, 4)]);
	else if (l4 < 92)
		put_other_packet(g, o);
	else
		fputs(v6 ? " meta l4proto 47" : " ip protocol 47", o);
}

/* The interpreter's verdict on one packet line, appended as "; V ; LINE". */
static int put_verdict(FILE *o, const struct bw_ir *ir, const char *spec_txt,
		       struct bw_diags *d, bool inet)
{
	struct bw_interp_ctx ctx = { .use_path = true, .path = BW_PATH_IN,
				     .iif = "veth0", .nf = true };
	struct bw_pkt_spec *spec = NULL;
	struct bw_interp_result res;
	uint8_t pkt[BW_PKT_MAX];
	int len, err;

	err = bw_pkt_spec_parse("random packet", spec_txt, d, &spec);
	if (err)
		return err;
	len = bw_pkt_build(spec, pkt, sizeof(pkt), d);
	if (len <= 0)
		err = len ? len : -EINVAL;
	else if (inet)	/* the input chains at the netfilter hook */
		err = bw_interp_run_ctx(ir, &ctx, pkt, (size_t)len, &res);
	else
		err = bw_interp_run(ir, false, "veth0", pkt, (size_t)len, &res);
	bw_pkt_spec_free(&spec);
	if (err)
		return err;
	fprintf(o, "%s ; %s ; ", spec_txt,
		res.verdict == BW_VERDICT_ACCEPT ? "accept" : "drop");
	if (res.handle) {
		const struct bw_ir_rule *r = bw_ir_rule_by_handle(ir, res.handle, NULL);

		if (!r)
			return -EINVAL;
		fprintf(o, "%u\n", r->loc.line);
	} else {
		fputs("policy\n", o);
	}
	return 0;
}

/* One ruleset and its packets into path. */
static int write_one(struct gen *g, const char *path, unsigned index,
		     uint64_t s, unsigned npkt)
{
	char *rules = NULL, *pkts = NULL;
	size_t rlen = 0, plen = 0;
	struct bw_diags d;
	struct bw_ir *ir = NULL;
	FILE *o, *out = NULL;
	int err;

	g->naddr = g->nport = g->nttl = 0;
	g->inet = index % 3 == 0;
	o = open_memstream(&rules, &rlen);
	if (!o)
		return -ENOMEM;
	put_ruleset(g, o, index, s);
	fclose(o);

	bw_diags_init(&d);
	err = bw_compile_string(path, rules, &d, &ir);
	if (err) {
		fprintf(stderr, "%s: bpfwall refuses the random ruleset:\n%s", path, rules);
		bw_diags_print(&d, stderr);
		goto out;
	}
	o = open_memstream(&pkts, &plen);
	if (!o) {
		err = -ENOMEM;
		goto out;
	}
	for (unsigned i = 0; i < npkt && !err; i++) {
		char *spec = NULL;
		size_t slen = 0;
		FILE *so = open_memstream(&spec, &slen);

		if (!so) {
			err = -ENOMEM;
			break;
		}
		put_packet(g, so);
		fclose(so);
		err = put_verdict(o, ir, spec, &d, g->inet);
		if (err) {
			fprintf(stderr, "%s: cannot run the random packet \"%s\":\n", path, spec);
			bw_diags_print(&d, stderr);
		}
		free(spec);
	}
	fclose(o);
	if (err)
		goto out;
	out = fopen(path, "w");
	/* the verdicts are the netfilter path's (input chains see what is
	 * for this host) */
	if (!out || fprintf(out, "%s%%%%\n%s%s", rules,
			    g->inet ? "mode netfilter\n" : "", pkts) < 0) {
		err = -errno;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
	}
	if (out && fclose(out) && !err) {
		err = -errno;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
	}
out:
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	free(rules);
	free(pkts);
	return err;
}

int nftdiff_gen(int argc, char **argv)
{
	unsigned long long s = 0;
	unsigned long nrules = 5, npkt = 20;
	const char *dir = NULL;
	bool have_seed = false;
	struct gen g;
	char path[4096];
	int i;

	for (i = 0; i + 1 < argc; i += 2) {
		char *end;

		if (!strcmp(argv[i], "--seed")) {
			s = strtoull(argv[i + 1], &end, 10);
			have_seed = !*end && *argv[i + 1];
		} else if (!strcmp(argv[i], "--dir")) {
			dir = argv[i + 1];
		} else if (!strcmp(argv[i], "--rulesets")) {
			nrules = strtoul(argv[i + 1], &end, 10);
		} else if (!strcmp(argv[i], "--packets")) {
			npkt = strtoul(argv[i + 1], &end, 10);
		} else {
			break;
		}
	}
	if (i != argc || !have_seed || !dir || nrules < 1 || nrules > 10000 ||
	    npkt < 1 || npkt > 1000) {
		fprintf(stderr, "usage: nftdiff gen --seed N --dir DIR [--rulesets 1..10000] [--packets 1..1000]\n");
		return 2;
	}
	printf("seed %llu: %lu random rulesets of %lu packets in %s\n", s,
	       nrules, npkt, dir);
	seed(&g, s);
	for (unsigned long k = 1; k <= nrules; k++) {
		snprintf(path, sizeof(path), "%s/random-%lu.t", dir, k);
		if (write_one(&g, path, (unsigned)k, s, (unsigned)npkt))
			return 1;
	}
	return 0;
}
