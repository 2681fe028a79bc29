// SPDX-License-Identifier: GPL-2.0-only
/*
 * Differential test: the kernel's programs (codegen output, loaded here with
 * libbpf directly, run with BPF_PROG_TEST_RUN, trace build for the deciding
 * handle) against the reference interpreter, on mutated frames.
 *
 * Programs: a parser program (no rules; the per-reason drop counters are
 * compared frame by frame), one ruleset per field of the fields table at
 * XDP and at TC (three rules: a masked value, a range, a negated set; policy
 * drop, so each outcome names its rule), and a multi-chain ruleset mixing
 * netdev/inet/ip/ip6 chains at both hooks.  These are built without the
 * optimizer.  A last ruleset of long same-shape runs (hash and LPM lookups)
 * goes through the runtime's test programs, i.e. with the optimizer, as
 * `trace` and the verdict tests load it.
 *
 * Frames: built from random recipes (VLAN stacks, IPv4 options, IPv6
 * extension chains, fragments, TCP data offsets, field values from small
 * pools so rules match often), then often mutated raw (truncation, bit
 * flips, interesting bytes, wrong lengths, trailing garbage).  Every third
 * frame carries a tunnel (VXLAN, Geneve, GRE, GRETAP, with the packet inside
 * now and then cut, malformed or behind options) or, one in eight of those,
 * SCTP chunks, from streams of their own, so the other frames stay the
 * same whatever these become.
 *
 * Bounded: fixed seed, BW_DIFF_FRAMES frames (default 4000; half as many
 * tunnel and SCTP frames besides), at most
 * BW_DIFF_SECONDS seconds (default 60).  BW_DIFF_SEED changes the seed.
 * Exit 0 all agree, 1 a disagreement (the first per program printed with
 * the frame in hex), 77 not root / no bpf().
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compiler/bpf/codegen.h"
#include "compiler/interp/ct.h"
#include "compiler/front/rawpay.h"
#include "compiler/interp/interp.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/tunnel.h"
#include "runtime/runtime.h"
#include "cli/drive.h"

#define IFNAME		"bwf0"
#define MAX_PROGS	512
#define MAX_SHOWN	3		/* disagreements printed per program */
#define MAX_HANDLES	64

/* --- random numbers (xorshift64*, fixed seed) --------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static uint32_t rn(uint32_t n)
{
	return n ? (uint32_t)(rnd() % n) : 0;
}

static bool chance(unsigned percent)
{
	return rn(100) < percent;
}

/* --- IR building --------------------------------------------------------- */

static void be(uint8_t *out, unsigned n, uint64_t x)
{
	for (int i = (int)n - 1; i >= 0; i--) {
		out[i] = (uint8_t)x;
		x >>= 8;
	}
}

static uint64_t field_max(enum bw_field_id id)
{
	unsigned n = bw_field(id)->size;

	return n >= 8 ? UINT64_MAX : (UINT64_C(1) << (n * 8)) - 1;
}

/* An element over a field of <= 8 bytes. */
static struct bw_ir_elem el(enum bw_field_id id, uint64_t lo, uint64_t hi,
			    uint64_t mask)
{
	struct bw_ir_elem e = { 0 };
	unsigned n = bw_field(id)->size;

	be(e.lo, n, lo & mask);
	be(e.hi, n, hi & mask);
	be(e.mask, n, mask);
	return e;
}

static struct bw_ir_elem el_eq(enum bw_field_id id, uint64_t x)
{
	return el(id, x, x, field_max(id));
}

/* An IPv6 prefix element. */
static struct bw_ir_elem el6(const char *addr, int plen)
{
	struct bw_ir_elem e = { 0 };

	if (inet_pton(AF_INET6, addr, e.lo) != 1)
		abort();
	for (int i = 0; i < 16; i++) {
		int bits = plen - i * 8;

		e.mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
		e.lo[i] &= e.mask[i];
	}
	memcpy(e.hi, e.lo, 16);
	return e;
}

static void raw(struct bw_ir_match *m, enum bw_field_id id)
{
	static const struct { enum bw_field_id id; uint8_t base; uint16_t off; uint8_t len; } r[] = {
		{ BW_F_RAW8, BW_RAW_NH, 72, 8 },
		{ BW_F_RAW16, BW_RAW_TH, 16, 16 },
		{ BW_F_RAW32, BW_RAW_NH, 100, 28 },
		{ BW_F_RAW64, BW_RAW_IH, 0, 64 },
		{ BW_F_RAW128, BW_RAW_NH, 64, 128 },
		{ BW_F_ICMP6_TADDR, BW_RAW_TH, 64, 128 },
		{ BW_F_ICMP6_DADDR, BW_RAW_TH, 192, 128 },
		{ BW_F_SRH_LASTENT, BW_RAW_RT, 32, 8 },
		{ BW_F_SRH_FLAGS, BW_RAW_RT, 40, 8 },
		{ BW_F_SRH_TAG, BW_RAW_RT, 48, 16 },
		{ BW_F_SRH_SID1, BW_RAW_RT, 64, 128 },
		{ BW_F_SRH_SID2, BW_RAW_RT, 192, 128 },
	};

	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++)
		if (r[i].id == id) {
			m->raw.base = r[i].base;
			m->raw.off = r[i].off;
			m->raw.len = r[i].len;
		}
}

/* The tunnel the matches on a field inside one go through (tun_for()). */
static uint8_t cur_tunnel;

/* The tunnel of a field's chain k (0 ingress, 1 egress): the four in
 * turn, gretap for the link layer where gre would come. */
static uint8_t tun_for(enum bw_field_id id, unsigned k)
{
	static const uint8_t cyc[] = { BW_TUN_GRE, BW_TUN_VXLAN, BW_TUN_GRETAP,
				       BW_TUN_GENEVE };
	const struct bw_field *f = bw_field(id);
	uint8_t t = cyc[((unsigned)id + k) % 4];

	if (f->tun_layer == BW_TL_TUN)
		return k ? BW_TUN_GENEVE : BW_TUN_VXLAN;
	if (t == BW_TUN_GRE && f->tun_layer == BW_TL_LINK)
		return BW_TUN_GRETAP;
	return f->tun_layer ? t : BW_TUN_NONE;
}

static struct bw_ir_match mt(enum bw_field_id id, bool neg, uint32_t n,
			     const struct bw_ir_elem *elems)
{
	struct bw_ir_match m = { .field = id, .neg = neg, .nelem = n };

	if (bw_field(id)->tun_layer)
		m.tunnel = cur_tunnel;

	/* sctp chunks: data exists, init flags, data stream, sack
	 * cum-tsn-ack (as gen_chunks() writes them) */
	if (id == BW_F_SCTP_CHUNK8)
		m.chunk.type = 1, m.chunk.off = 1, m.chunk.size = 1;
	else if (id == BW_F_SCTP_CHUNK16)
		m.chunk.off = 8, m.chunk.size = 2;
	else if (id == BW_F_SCTP_CHUNK32)
		m.chunk.type = 3, m.chunk.off = 4, m.chunk.size = 4;
	/* raw payloads (rawpay.h): the IPv4 protocol byte, the ports'
	 * second word, 28 bits of the IPv4 source off a byte boundary, the
	 * first 8 bytes after a TCP/UDP header, the IPv6 source; icmpv6
	 * taddr, daddr */
	raw(&m, id);

	m.elem = calloc(n, sizeof(*m.elem));
	if (!m.elem)
		abort();
	memcpy(m.elem, elems, n * sizeof(*elems));
	return m;
}

static struct bw_ir_match mt1(enum bw_field_id id, bool neg, struct bw_ir_elem e)
{
	return mt(id, neg, 1, &e);
}

static uint32_t add_chain(struct bw_ir *ir, enum bw_family fam,
			  enum bw_chain_hook hook, const char *dev, int prio,
			  enum bw_verdict policy)
{
	struct bw_ir_chain *c;

	ir->chain = realloc(ir->chain, (ir->nchain + 1) * sizeof(*ir->chain));
	if (!ir->chain)
		abort();
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

static uint32_t add_rule(struct bw_ir *ir, uint32_t ci, enum bw_verdict v,
			 uint32_t nm, ...)
{
	struct bw_ir_chain *c = &ir->chain[ci];
	struct bw_ir_rule *r;
	va_list ap;

	c->rule = realloc(c->rule, (c->nrule + 1) * sizeof(*c->rule));
	if (!c->rule)
		abort();
	r = &c->rule[c->nrule++];
	memset(r, 0, sizeof(*r));
	r->handle = ir->nhandle++;
	r->verdict = v;
	r->counter = true;
	r->nmatch = nm;
	r->match = calloc(nm ? nm : 1, sizeof(*r->match));
	if (!r->match)
		abort();
	va_start(ap, nm);
	for (uint32_t i = 0; i < nm; i++)
		r->match[i] = va_arg(ap, struct bw_ir_match);
	va_end(ap);
	return r->handle;
}

static struct bw_ir *ir_new(void)
{
	struct bw_ir *ir = calloc(1, sizeof(*ir));

	if (!ir)
		abort();
	ir->nhandle = 1;
	return ir;
}

/*
 * Per-field rules: A masked value (drop), B a range (accept), C a negated
 * set (drop), policy drop.  Values come from the frame generator's pools.
 */
struct field_rules {
	enum bw_field_id id;
	uint64_t a, amask;		/* A: (x & amask) == a */
	uint64_t blo, bhi;		/* B: blo <= x <= bhi */
	uint64_t c1, c2;		/* C: x != { c1, c2 } */
	unsigned nocover;		/* outcomes that cannot occur: NC_* */
};

/* Outcomes a ruleset cannot produce (not required by the coverage check). */
#define NC_A		1u
#define NC_B		2u
#define NC_C		4u
#define NC_POLICY	8u

static const struct field_rules field_rules[] = {
	/* nfproto is 0, 2 or 10: the policy never decides */
	{ BW_F_META_NFPROTO, 2, 0xff, 10, 10, 2, 10, NC_POLICY },
	{ BW_F_META_L4PROTO, 6, 0xff, 17, 58, 1, 47 },
	{ BW_F_META_PKTLEN, 64, 0xffffffc0, 0, 36, 40, 60 },
	{ BW_F_ETHER_DADDR, 0x020000000002, 0xffffffffff0f, 0xffffffffffff, 0xffffffffffff, 0x333300000001, 1 },
	{ BW_F_ETHER_SADDR, 0x020000000001, 0xffffffffffff, 0x020000000003, 0x0200000000ff,
	  0xffffffffffff, 0x333300000001 },
	{ BW_F_ETHER_TYPE, 0x0800, 0xffff, 0x86dd, 0x86dd, 0x0806, 0x88cc },
	/* a parsed IPv4 header has version 4: only A and the policy */
	{ BW_F_IP_VERSION, 4, 0xf, 0, 3, 5, 6, NC_B | NC_C },
	{ BW_F_IP_DSCP, 46, 0x3f, 0, 7, 8, 10 },
	{ BW_F_IP_LENGTH, 40, 0xfff8, 0, 39, 60, 61 },
	{ BW_F_IP_TTL, 64, 0xff, 0, 1, 255, 128 },
	{ BW_F_IP_PROTOCOL, 6, 0xff, 17, 17, 1, 47 },
	{ BW_F_IP_SADDR, 0xc0000200, 0xffffff00, 0xc6336407, 0xc6336407, 0xcb007109, 0 },
	{ BW_F_IP_DADDR, 0xc0000202, 0xffffffff, 0xcb007100, 0xcb0071ff, 0xc6336407, 1 },
	{ BW_F_IP6_NEXTHDR, 6, 0xff, 0, 60, 58, 17 },
	{ BW_F_IP6_HOPLIMIT, 64, 0xff, 250, 255, 1, 0 },
	{ BW_F_IP6_SADDR, 0, 0, 0, 0, 0, 0 },		/* see field_chain() */
	{ BW_F_IP6_DADDR, 0, 0, 0, 0, 0, 0 },
	{ BW_F_TCP_SPORT, 40000, 0xffff, 0, 1023, 8080, 53 },
	{ BW_F_TCP_DPORT, 80, 0xff00 | 80, 8000, 8080, 22, 443 },
	{ BW_F_TCP_FLAGS, 0x02, 0x17, 0x10, 0x1f, 0x12, 0x11 },
	{ BW_F_UDP_SPORT, 53, 0xffff, 40000, 65535, 123, 0 },
	{ BW_F_UDP_DPORT, 53, 0xffff, 100, 200, 123, 40000 },
	{ BW_F_ICMP_TYPE, 8, 0xff, 0, 3, 11, 5 },
	{ BW_F_ICMP_CODE, 0, 0xff, 1, 3, 4, 13 },
	{ BW_F_ICMP6_TYPE, 128, 0xff, 129, 135, 1, 2 },
	{ BW_F_ICMP6_CODE, 0, 0xfe, 3, 4, 1, 255 },
	/* XDP has no mark, the test runs give none: always 0 */
	{ BW_F_META_MARK, 0, 0xffffffff, 1, 2, 0, 1, NC_B | NC_C | NC_POLICY },
	/* from the MAC: broadcast, multicast, host (the device's address is
	 * not known here: never other) */
	{ BW_F_META_PKTTYPE, 1, 0xff, 2, 2, 0, 1, NC_C },
	/* the generator's tags: TCI 0, 5, 100, 0x2064, 0xffff */
	{ BW_F_VLAN_ID, 100, 0xfff, 0, 0, 5, 7 },
	{ BW_F_VLAN_PCP, 1, 0x7, 7, 7, 1, 2 },
	{ BW_F_VLAN_DEI, 1, 0x1, 0, 0, 0, 1, NC_C },
	/* interface names: see field_chain(); decided per program */
	{ BW_F_META_IIF, 0, 0, 0, 0, 0, 0, NC_A | NC_B | NC_C | NC_POLICY },
	{ BW_F_META_IIFNAME, 0, 0, 0, 0, 0, 0, NC_A | NC_B | NC_C | NC_POLICY },
	{ BW_F_META_OIF, 0, 0, 0, 0, 0, 0, NC_A | NC_B | NC_C | NC_POLICY },
	{ BW_F_META_OIFNAME, 0, 0, 0, 0, 0, 0, NC_A | NC_B | NC_C | NC_POLICY },
	{ BW_F_META_FRAMELEN, 64, 0xffffffc0, 0, 50, 54, 74 },
	/* the generator's pools: ids, flags/offsets, data offsets, ... */
	{ BW_F_IP_ID, 0x1230, 0xfff0, 0, 1, 0xffff, 0xbeef },
	{ BW_F_IP_FRAGOFF, 0, 0x1fff, 1, 0xff, 0x2001, 0x1234 },
	{ BW_F_IP_HDRLENGTH, 5, 0xf, 6, 8, 9, 10 },
	{ BW_F_IP_ECN, 3, 0x3, 2, 2, 0, 3 },
	/* a parsed IPv6 header has version 6: only A and the policy */
	{ BW_F_IP6_VERSION, 6, 0xf, 0, 3, 4, 5, NC_B | NC_C },
	{ BW_F_IP6_FLOWLABEL, 0x12340, 0xffff0, 0, 1, 0xfffff, 0xabcde },
	{ BW_F_IP6_LENGTH, 8, 0xfff8, 20, 20, 0, 1 },
	{ BW_F_TCP_SEQUENCE, 0x12345600, 0xffffff00, 0, 1, 0xffffffff, 1000 },
	{ BW_F_TCP_ACKSEQ, 1000, 0xffffffff, 0x10000000, 0x7fffffff, 0, 1 },
	{ BW_F_TCP_WINDOW, 0xfa00, 0xff00, 0, 0, 65535, 512 },
	{ BW_F_TCP_DOFF, 5, 0xf, 6, 10, 11, 12 },
	{ BW_F_TCP_URGPTR, 0x50, 0xfff0, 0, 0, 1, 0xffff },
	{ BW_F_UDP_LENGTH, 8, 0xffff, 0, 7, 9, 100 },
	/* echo requests and replies only; other frames meet the policy */
	{ BW_F_ICMP_ID, 0x8000, 0x8000, 0, 0x1fff, 0x4000, 0x5000 },
	{ BW_F_ICMP_SEQUENCE, 0, 0xe000, 0x8000, 0xffff, 0x4000, 0x5000 },
	{ BW_F_ICMP6_ID, 0x8000, 0x8000, 0, 0x1fff, 0x4000, 0x5000 },
	{ BW_F_ICMP6_SEQUENCE, 0, 0xe000, 0x8000, 0xffff, 0x4000, 0x5000 },
	{ BW_F_META_IPLEN, 40, 0xfffffff8, 0, 39, 60, 61 },
	/* conntrack, the table kept from frame to frame (ct_frames()):
	 * established, related or new, not invalid or untracked (never:
	 * A and B took the others) */
	{ BW_F_CT_STATE, 2, 0x02, 4, 8, 1, 64, NC_C },
	/* after the first tag: the protocol, or the next tag's TPID */
	{ BW_F_VLAN_TYPE, 0x0800, 0xffff, 0x8100, 0x88a8, 0x0800, 0x86dd },
	/* other transport headers (gen_soft()): ports from the pool, then
	 * 32-bit words from soft32[] */
	{ BW_F_SCTP_SPORT, 53, 0xffff, 100, 200, 0, 65535 },
	{ BW_F_SCTP_DPORT, 80, 0xffff, 8000, 8081, 22, 443 },
	{ BW_F_SCTP_VTAG, 7, 0xffffffff, 1000, 0x01020304, 0, 0xffffffff },
	{ BW_F_SCTP_CHECKSUM, 0x100, 0xffffff00, 1, 7, 0, 1000 },
	{ BW_F_DCCP_SPORT, 22, 0xffff, 8000, 8080, 25, 53 },
	{ BW_F_DCCP_DPORT, 443, 0xffff, 0, 100, 123, 40000 },
	/* the type is bits 1-4 of the first byte of a word */
	{ BW_F_DCCP_TYPE, 0, 0xf, 1, 7, 15, 8 },
	{ BW_F_UDPLITE_SPORT, 40000, 0xffff, 1, 1023, 0, 443, NC_C },
	{ BW_F_UDPLITE_DPORT, 8080, 0xffff, 0, 80, 123, 65535 },
	{ BW_F_UDPLITE_CSUMCOV, 0x0102, 0xffff, 0x0200, 0x7fff, 0, 0xffff },
	{ BW_F_UDPLITE_CHECKSUM, 7, 0xffff, 0x100, 0x3e8, 0, 1 },
	/* two ports: the policy's two values are rare */
	{ BW_F_ESP_SPI, 0x00350000, 0xffff0000, 0, 0x0000ffff, 0x00160016, 0x00500050, NC_POLICY },
	{ BW_F_ESP_SEQUENCE, 7, 0xffffffff, 1000, 0x01020304, 0, 0xffffffff },
	/* a port's high byte, its low byte, a port */
	{ BW_F_COMP_NEXTHDR, 0, 0xff, 1, 3, 0x1f, 0x9c },
	{ BW_F_COMP_FLAGS, 0x16, 0xff, 0x19, 0x50, 0x40, 0 },
	{ BW_F_COMP_CPI, 80, 0xffff, 8000, 8081, 22, 443 },
	{ BW_F_AH_NEXTHDR, 0, 0xff, 1, 3, 0x1f, 0x9c },
	{ BW_F_AH_HDRLENGTH, 0x16, 0xff, 0x19, 0x50, 0x40, 0 },
	{ BW_F_AH_RESERVED, 53, 0xffff, 100, 200, 0, 65535 },
	{ BW_F_AH_SPI, 7, 0xffffffff, 1000, 0x01020304, 0, 0xffffffff },
	{ BW_F_AH_SEQUENCE, 0x100, 0xffffff00, 1, 7, 0, 1000 },
	/* IPv6 extension headers (gen_ip6()): presence bits (one bit: no C;
	 * IPv4 frames meet the policy), next headers from exts[] and
	 * protos[], lengths 0 to 2, random routing bytes and fragment ids,
	 * fragment words from a pool, reserved bytes 0 */
	{ BW_F_EXTHDR_HBH, 1, 1, 0, 0, 0, 1, NC_C },
	{ BW_F_EXTHDR_RT, 1, 1, 0, 0, 0, 1, NC_C },
	{ BW_F_EXTHDR_FRAG, 1, 1, 0, 0, 0, 1, NC_C },
	{ BW_F_EXTHDR_DST, 1, 1, 0, 0, 0, 1, NC_C },
	{ BW_F_EXTHDR_MH, 1, 1, 0, 0, 0, 1, NC_C },
	{ BW_F_HBH_NEXTHDR, 6, 0xff, 0, 43, 17, 58 },
	{ BW_F_HBH_HDRLENGTH, 0, 0xff, 1, 1, 2, 3, NC_C },
	{ BW_F_DST_NEXTHDR, 6, 0xff, 0, 43, 17, 58 },
	{ BW_F_DST_HDRLENGTH, 0, 0xff, 1, 1, 2, 3, NC_C },
	{ BW_F_RT_NEXTHDR, 6, 0xff, 0, 43, 17, 58 },
	{ BW_F_RT_HDRLENGTH, 0, 0xff, 1, 1, 2, 3, NC_C },
	{ BW_F_RT_TYPE, 0, 0xf0, 16, 100, 200, 255 },
	{ BW_F_RT_SEGLEFT, 0, 0xf0, 16, 100, 200, 255 },
	{ BW_F_FRAG_NEXTHDR, 0, 0xf0, 43, 60, 17, 135 },
	{ BW_F_FRAG_RESERVED, 0, 0xff, 1, 1, 0, 2, NC_B | NC_C },
	{ BW_F_FRAG_FRAGOFF, 0, 0x1fff, 1, 1, 2, 0x1fff },
	{ BW_F_FRAG_RESERVED2, 0, 3, 1, 2, 3, 3, NC_C },
	{ BW_F_FRAG_MORE, 1, 1, 0, 0, 0, 1, NC_C },
	{ BW_F_FRAG_ID, 0x80000001, 0x80000001, 0, 0x7fffffff, 0, 1, NC_POLICY },
	/* the mobility header as gen_soft() writes it */
	{ BW_F_MH_NEXTHDR, 0, 0xff, 1, 3, 0x1f, 0x9c },
	{ BW_F_MH_HDRLENGTH, 0x16, 0xff, 0x19, 0x50, 0x40, 0 },
	{ BW_F_MH_TYPE, 0, 0xff, 1, 3, 0x1f, 0x9c },
	{ BW_F_MH_RESERVED, 0x16, 0xff, 0x19, 0x50, 0x40, 0 },
	{ BW_F_MH_CHECKSUM, 0x0102, 0xffff, 0x0200, 0x7fff, 0, 0xffff },
	/* the protocol after the tags */
	{ BW_F_META_PROTOCOL, 0x0800, 0xffff, 0x86dd, 0x86dd, 0x0806, 0x88cc },
	/* sctp chunks (gen_chunks()): data exists (missing in every frame
	 * that is not SCTP: the policy never decides), init flags, data
	 * stream, sack cum-tsn-ack */
	{ BW_F_SCTP_CHUNK, 1, 1, 0, 0, 0, 1, NC_C | NC_POLICY },
	{ BW_F_SCTP_CHUNK8, 0, 0xff, 1, 3, 0x1f, 0x9c },
	{ BW_F_SCTP_CHUNK16, 0x0102, 0xffff, 0x0200, 0x7fff, 0, 0xffff },
	{ BW_F_SCTP_CHUNK32, 0x100, 0xffffff00, 1, 7, 0, 1000 },
	/* checksums: the frames' own, any 16-bit value */
	{ BW_F_IP_CHECKSUM, 0, 0x8000, 0x8000, 0xbfff, 0xc000, 0xffff },
	{ BW_F_TCP_CHECKSUM, 0, 0x8000, 0x8000, 0xbfff, 0xc000, 0xffff },
	{ BW_F_UDP_CHECKSUM, 0, 0x8000, 0x8000, 0xbfff, 0xc000, 0xffff },
	{ BW_F_ICMP_CHECKSUM, 0, 0x8000, 0x8000, 0xbfff, 0xc000, 0xffff },
	{ BW_F_ICMP6_CHECKSUM, 0, 0x8000, 0x8000, 0xbfff, 0xc000, 0xffff },
	/* fields of one ICMP type (the rules here have no implicit type:
	 * they read the bytes of every ICMP frame), from the id/sequence
	 * pools */
	{ BW_F_ICMP_MTU, 1, 0xffff, 2, 0x1234, 0, 0xffff },
	{ BW_F_ICMP_GATEWAY, 1, 0xffff0000, 0x10000, 0x12340000, 0, 0xffffffff },
	{ BW_F_ICMP6_MTU, 1, 0xffff0000, 0x10000, 0x12340000, 0, 0xffffffff },
	{ BW_F_ICMP6_MAXDELAY, 1, 0xffff, 2, 0x1234, 0, 0xffff },
	/* IGMP as gen_l4() writes it (the soft headers' bytes) */
	{ BW_F_IGMP_TYPE, 0, 0xff, 1, 3, 0x1f, 0x9c },
	{ BW_F_IGMP_MRT, 0x16, 0xff, 0x19, 0x50, 0x40, 0 },
	{ BW_F_IGMP_CHECKSUM, 53, 0xffff, 100, 200, 0, 65535 },
	{ BW_F_IGMP_GROUP, 0, 0xffffff00, 0x100, 0x01020304, 0xfffffffe, 0xffffffff },
	/* IPv6's traffic class as gen_ip6() writes it */
	{ BW_F_IP6_DSCP, 0, 0x3f, 1, 10, 46, 63, NC_C },
	{ BW_F_IP6_ECN, 0, 3, 1, 1, 2, 3, NC_C },
	/* raw payloads (raw()): ip protocol, the destination port, the
	 * IPv4 source's low 28 bits, data (any: A whenever it is there) */
	{ BW_F_RAW8, 6, 0xff, 17, 17, 1, 47 },
	{ BW_F_RAW16, 80, 0xff00 | 80, 8000, 8080, 22, 443 },
	{ BW_F_RAW32, 0x0000200, 0x0ffff00, 0x6336407, 0x6336407, 0xb007109, 0 },
	{ BW_F_RAW64, 0, 0, 0, 0, 0, 0, NC_B | NC_C },
	{ BW_F_RAW128, 0, 0, 0, 0, 0, 0 },	/* see field_chain() */
	{ BW_F_ICMP6_TADDR, 0, 0, 0, 0, 0, 0, NC_B | NC_C },
	{ BW_F_ICMP6_DADDR, 0, 0, 0, 0, 0, 0, NC_B | NC_C },
	/* GRE's header as gen_gre() writes it: flags >> 3, version,
	 * protocol */
	{ BW_F_GRE_FLAGS, 0, 0x1f, 1, 4, 16, 22 },
	{ BW_F_GRE_VERSION, 0, 7, 1, 1, 2, 3 },
	{ BW_F_GRE_PROTOCOL, 0x0800, 0xffff, 0x6558, 0x86dd, 1, 2 },
	/* inside tunnels (gen_udp_tunnel(), gen_gre()), each chain of a
	 * ruleset through another tunnel (tun_for()) */
	{ BW_F_TUN_VNI, 10, 0xffffff, 0, 1, 0x123456, 5 },
	{ BW_F_TUN_ETHER_DADDR, 0x62874dd61905, 0xffffffffffff, 0x020000000000, 0x0200000000ff, 1, 2 },
	{ BW_F_TUN_ETHER_SADDR, 0x62874dd61905, 0xffffffffffff, 0x020000000000, 0x0200000000ff, 1, 2 },
	{ BW_F_TUN_ETHER_TYPE, 0x0800, 0xffff, 0x8000, 0x8fff, 1, 2 },
	{ BW_F_TUN_VLAN_ID, 10, 0xfff, 0, 5, 1, 2 },
	{ BW_F_TUN_IP_DSCP, 0, 0x3f, 1, 10, 63, 62 },
	{ BW_F_TUN_IP_LENGTH, 0, 4, 0, 0xffff, 1, 2, NC_C },
	{ BW_F_TUN_IP_TTL, 64, 0xff, 0, 1, 2, 3 },
	{ BW_F_TUN_IP_PROTOCOL, 6, 0xff, 17, 17, 2, 3 },
	{ BW_F_TUN_IP_SADDR, 0xc0000201, 0xffffffff, 0xc0000200, 0xc00002ff, 0xc6336407, 1 },
	{ BW_F_TUN_IP_DADDR, 0xc0000201, 0xffffffff, 0xc0000200, 0xc00002ff, 0xc6336407, 1 },
	{ BW_F_TUN_IP6_NEXTHDR, 6, 0xff, 17, 17, 58, 1 },
	{ BW_F_TUN_IP6_HOPLIMIT, 64, 0xff, 0, 1, 2, 3 },
	{ BW_F_TUN_IP6_SADDR },		/* field_chain()'s IPv6 prefixes */
	{ BW_F_TUN_IP6_DADDR },
	{ BW_F_TUN_TCP_SPORT, 80, 0xffff, 22, 53, 443, 1 },
	{ BW_F_TUN_TCP_DPORT, 80, 0xffff, 22, 53, 443, 1 },
	{ BW_F_TUN_TCP_FLAGS, 0x02, 0x02, 0x10, 0x11, 0x05, 0 },
	{ BW_F_TUN_UDP_SPORT, 80, 0xffff, 22, 53, 443, 1 },
	{ BW_F_TUN_UDP_DPORT, 80, 0xffff, 22, 53, 443, 1 },
	{ BW_F_TUN_ICMP_TYPE, 8, 0xff, 0, 0, 3, 2 },
	{ BW_F_TUN_ICMP_CODE, 0, 0xff, 1, 3, 4, 5 },
	{ BW_F_TUN_ICMP6_TYPE, 8, 0xff, 0, 0, 3, 2 },
	{ BW_F_TUN_ICMP6_CODE, 0, 0xff, 1, 3, 4, 5 },
};

/* every field a BPF program reads (the bridge and arp families' go to
 * nf_tables only) */
_Static_assert(sizeof(field_rules) / sizeof(field_rules[0]) == BW_F_BPF_MAX,
	       "a rule set for every field");

/* BPF fields appended after the nf_tables-only ones (fields.h): nft's
 * srh, the first routing header's random bytes (gen_ip6()); a segment
 * is there or not (see field_chain()) */
static const struct field_rules extra_rules[] = {
	{ BW_F_SRH_LASTENT, 0, 0xf0, 16, 100, 200, 255 },
	{ BW_F_SRH_FLAGS, 0, 0xf0, 16, 100, 200, 255 },
	{ BW_F_SRH_TAG, 0, 0xf000, 0x1000, 0x8000, 0, 0xffff },
	{ BW_F_SRH_SID1, 0, 0, 0, 0, 0, 0, NC_B | NC_C },
	{ BW_F_SRH_SID2, 0, 0, 0, 0, 0, 0, NC_B | NC_C },
};
#define NEXTRA	(sizeof(extra_rules) / sizeof(extra_rules[0]))
#define NFIELDS	(BW_F_BPF_MAX + (int)NEXTRA)

/* The rules of field program i (field_rules, then extra_rules) */
static const struct field_rules *rules_of(int i)
{
	return i < BW_F_BPF_MAX ? &field_rules[i] : &extra_rules[i - BW_F_BPF_MAX];
}

/* An interface name element: the name and its NUL, or a prefix. */
static struct bw_ir_elem elname(const char *name, bool prefix)
{
	struct bw_ir_elem e = { 0 };
	size_t n = strlen(name);

	memcpy(e.lo, name, n);
	memcpy(e.hi, name, n);
	memset(e.mask, 0xff, prefix ? n : n + 1);
	return e;
}

/* Rules of one field into chain ci. */
static void field_chain(struct bw_ir *ir, uint32_t ci, const struct field_rules *fr)
{
	enum bw_field_id id = fr->id;

	if (bw_field(id)->src != BW_FS_VIEW) {
		struct bw_ir_elem c[2] = { elname("lo", false), elname("x", false) };

		add_rule(ir, ci, BW_VERDICT_DROP, 1, mt1(id, false, elname(IFNAME, false)));
		add_rule(ir, ci, BW_VERDICT_ACCEPT, 1, mt1(id, false, elname("bw", true)));
		add_rule(ir, ci, BW_VERDICT_DROP, 1, mt(id, true, 2, c));
		return;
	}

	if (id == BW_F_ICMP6_TADDR || id == BW_F_ICMP6_DADDR ||
	    id == BW_F_SRH_SID1 || id == BW_F_SRH_SID2) {
		/* whatever the address, where it is there (the frames carry
		 * no chosen ones) */
		struct bw_ir_elem c[2] = { el6("2001:db8::2", 128), el6("fe80::", 10) };

		add_rule(ir, ci, BW_VERDICT_DROP, 1, mt1(id, false, el6("::", 0)));
		add_rule(ir, ci, BW_VERDICT_ACCEPT, 1, mt1(id, false, el6("2001:db8:1::", 48)));
		add_rule(ir, ci, BW_VERDICT_DROP, 1, mt(id, true, 2, c));
		return;
	}
	if (id == BW_F_IP6_SADDR || id == BW_F_IP6_DADDR || id == BW_F_RAW128 ||
	    id == BW_F_TUN_IP6_SADDR || id == BW_F_TUN_IP6_DADDR) {
		struct bw_ir_elem c[2] = { el6("2001:db8::2", 128), el6("fe80::", 10) };

		add_rule(ir, ci, BW_VERDICT_DROP, 1,
			 mt1(id, false, el6(id != BW_F_IP6_DADDR && id != BW_F_TUN_IP6_DADDR ?
					     "2001:db8::" :
					     "2001:db8:0:0:ffff::", 80)));
		add_rule(ir, ci, BW_VERDICT_ACCEPT, 1,
			 mt1(id, false, el6("2001:db8:1::", 48)));
		add_rule(ir, ci, BW_VERDICT_DROP, 1, mt(id, true, 2, c));
		return;
	}
	struct bw_ir_elem c[2] = { el_eq(id, fr->c1), el_eq(id, fr->c2) };

	add_rule(ir, ci, BW_VERDICT_DROP, 1,
		 mt1(id, false, el(id, fr->a, fr->a, fr->amask)));
	add_rule(ir, ci, BW_VERDICT_ACCEPT, 1,
		 mt1(id, false, el(id, fr->blo, fr->bhi, field_max(id))));
	add_rule(ir, ci, BW_VERDICT_DROP, 1, mt(id, true, 2, c));
}

/* Handles (bit h; bit 0: policy) the coverage check does not require. */
static uint64_t nocover_mask(const struct bw_ir *ir, unsigned nc)
{
	uint64_t m = nc & NC_POLICY ? 1 : 0;

	for (uint32_t c = 0; c < ir->nchain; c++)
		for (uint32_t r = 0; r < ir->chain[c].nrule && r < 3; r++)
			if (nc & (1u << r))
				m |= UINT64_C(1) << ir->chain[c].rule[r].handle;
	return m;
}

static struct bw_ir *field_ir(const struct field_rules *fr, uint64_t *nocover)
{
	struct bw_ir *ir = ir_new();

	cur_tunnel = tun_for(fr->id, 0);
	field_chain(ir, add_chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, IFNAME, 0,
				  BW_VERDICT_DROP), fr);
	cur_tunnel = tun_for(fr->id, 1);
	field_chain(ir, add_chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_EGRESS, IFNAME, 0,
				  BW_VERDICT_DROP), fr);
	*nocover = nocover_mask(ir, fr->nocover);
	return ir;
}

/*
 * Chains of every family at both hooks, in a mixed source order.  Ingress
 * runs netdev, then ip6 (-10), inet (0), ip (10); egress runs ip (-5), inet
 * (0), then netdev.  The last chain a packet meets always decides, so an
 * accept in an earlier chain is never the final handle: such rules are
 * listed in *nocover.
 */
static struct bw_ir *chains_ir(uint64_t *nocover)
{
	struct bw_ir *ir = ir_new();
	struct bw_ir_elem ports[] = {
		el_eq(BW_F_TCP_DPORT, 22), el_eq(BW_F_TCP_DPORT, 80),
		el(BW_F_TCP_DPORT, 8000, 8080, 0xffff),
	};
	uint32_t c, h;

	*nocover = 0;
	c = add_chain(ir, BW_FAMILY_IP, BW_CHAIN_INPUT, NULL, 10, BW_VERDICT_DROP);
	add_rule(ir, c, BW_VERDICT_DROP, 1, mt1(BW_F_IP_TTL, false, el(BW_F_IP_TTL, 0, 1, 0xff)));
	add_rule(ir, c, BW_VERDICT_CONTINUE, 1, mt1(BW_F_IP_TTL, false, el_eq(BW_F_IP_TTL, 64)));
	add_rule(ir, c, BW_VERDICT_ACCEPT, 1,
		 mt1(BW_F_IP_SADDR, true, el(BW_F_IP_SADDR, 0xcb007100, 0xcb007100, 0xffffff00)));
	c = add_chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, IFNAME, 0, BW_VERDICT_ACCEPT);
	h = add_rule(ir, c, BW_VERDICT_ACCEPT, 2,
		     mt1(BW_F_IP_SADDR, false, el(BW_F_IP_SADDR, 0xc0000200, 0xc0000200, 0xffffff00)),
		     mt(BW_F_TCP_DPORT, false, 3, ports));
	*nocover |= UINT64_C(1) << h;
	add_rule(ir, c, BW_VERDICT_DROP, 1, mt1(BW_F_UDP_DPORT, false, el_eq(BW_F_UDP_DPORT, 53)));
	add_rule(ir, c, BW_VERDICT_DROP, 1, mt1(BW_F_ETHER_TYPE, false, el_eq(BW_F_ETHER_TYPE, 0x0806)));
	add_rule(ir, c, BW_VERDICT_ACCEPT, 1, mt1(BW_F_ETHER_TYPE, false, el_eq(BW_F_ETHER_TYPE, 0x88cc)));
	add_rule(ir, c, BW_VERDICT_DROP, 1,
		 mt1(BW_F_META_L4PROTO, false, el_eq(BW_F_META_L4PROTO, IPPROTO_ICMP)));
	c = add_chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, "other0", -100, BW_VERDICT_DROP);
	h = add_rule(ir, c, BW_VERDICT_DROP, 0);
	*nocover |= UINT64_C(1) << h;
	c = add_chain(ir, BW_FAMILY_INET, BW_CHAIN_INPUT, NULL, 0, BW_VERDICT_ACCEPT);
	add_rule(ir, c, BW_VERDICT_DROP, 2,
		 mt1(BW_F_IP6_SADDR, false, el6("2001:db8::", 32)),
		 mt1(BW_F_ICMP6_TYPE, false, el_eq(BW_F_ICMP6_TYPE, 128)));
	h = add_rule(ir, c, BW_VERDICT_ACCEPT, 1,
		     mt1(BW_F_META_L4PROTO, false, el_eq(BW_F_META_L4PROTO, IPPROTO_UDP)));
	*nocover |= UINT64_C(1) << h;
	add_rule(ir, c, BW_VERDICT_DROP, 1,
		 mt1(BW_F_TCP_FLAGS, false, el(BW_F_TCP_FLAGS, 0x02, 0x02, 0x17)));
	c = add_chain(ir, BW_FAMILY_IP6, BW_CHAIN_INPUT, NULL, -10, BW_VERDICT_ACCEPT);
	add_rule(ir, c, BW_VERDICT_DROP, 1, mt1(BW_F_IP6_HOPLIMIT, false, el_eq(BW_F_IP6_HOPLIMIT, 255)));
	h = add_rule(ir, c, BW_VERDICT_ACCEPT, 1,
		     mt1(BW_F_META_NFPROTO, false, el_eq(BW_F_META_NFPROTO, 10)));
	*nocover |= UINT64_C(1) << h;

	/* egress */
	c = add_chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_EGRESS, IFNAME, 0, BW_VERDICT_ACCEPT);
	add_rule(ir, c, BW_VERDICT_DROP, 1, mt1(BW_F_TCP_DPORT, false, el_eq(BW_F_TCP_DPORT, 25)));
	add_rule(ir, c, BW_VERDICT_ACCEPT, 1, mt1(BW_F_IP6_NEXTHDR, true, el_eq(BW_F_IP6_NEXTHDR, 6)));
	c = add_chain(ir, BW_FAMILY_INET, BW_CHAIN_OUTPUT, NULL, 0, BW_VERDICT_ACCEPT);
	add_rule(ir, c, BW_VERDICT_DROP, 1, mt(BW_F_TCP_DPORT, false, 3, ports));
	h = add_rule(ir, c, BW_VERDICT_ACCEPT, 1, mt1(BW_F_UDP_SPORT, true, el_eq(BW_F_UDP_SPORT, 53)));
	*nocover |= UINT64_C(1) << h;
	c = add_chain(ir, BW_FAMILY_IP, BW_CHAIN_OUTPUT, NULL, -5, BW_VERDICT_ACCEPT);
	add_rule(ir, c, BW_VERDICT_DROP, 1, mt1(BW_F_IP_DSCP, false, el_eq(BW_F_IP_DSCP, 46)));
	return ir;
}

/* Pools shared by the frame generator and the optimizer ruleset. */
static const uint32_t ip4_pool[] = { 0xc0000201, 0xc0000202, 0xc0000263,
				     0xc6336407, 0xcb007109, 0xcb007100 };
static const char *const ip6_pool[] = {
	"2001:db8::1", "2001:db8::2", "2001:db8:1::7", "2001:db8::ffff:0:0:1",
	"fe80::1", "::1",
};
static const uint16_t ports[] = { 22, 25, 53, 80, 123, 443, 8000, 8080, 8081,
				  40000, 0, 65535, 1023 };
static const uint8_t tflags[] = { 0x02, 0x12, 0x10, 0x11, 0x04, 0x03, 0x18, 0x00, 0xff, 0x06 };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static enum bw_verdict some_verdict(void)
{
	return chance(50) ? BW_VERDICT_DROP : BW_VERDICT_ACCEPT;
}

/* n distinct values: the pool first, then random ones not yet taken. */
static void distinct(uint64_t *out, unsigned n, const uint64_t *pool,
		     unsigned npool, uint64_t mask)
{
	for (unsigned i = 0; i < n; i++) {
		bool dup;

		do {
			out[i] = i < npool ? pool[i] : rnd() & mask;
			dup = false;
			for (unsigned j = 0; j < i; j++)
				dup |= out[j] == out[i];
		} while (dup);
	}
}

/* Same-shape runs the optimizer turns into lookups, in one chain. */
static void opt_chain(struct bw_ir *ir, uint32_t c)
{
	uint64_t v[32], pool[NELEM(ports) * NELEM(ip4_pool)];
	char a[64];

	/* ip saddr X: a hash map */
	for (unsigned i = 0; i < NELEM(ip4_pool); i++)
		pool[i] = ip4_pool[i];
	distinct(v, 24, pool, NELEM(ip4_pool), 0xffffffff);
	for (unsigned i = 0; i < 24; i++)
		add_rule(ir, c, some_verdict(), 1, mt1(BW_F_IP_SADDR, false, el_eq(BW_F_IP_SADDR, v[i])));
	/* ip6 saddr prefixes: an LPM trie; the /32 overlaps and ends a run */
	for (unsigned i = 0; i < 20; i++) {
		if (i == 10) {
			add_rule(ir, c, some_verdict(), 1,
				 mt1(BW_F_IP6_SADDR, false, el6("2001:db8::", 32)));
			continue;
		}
		if (i < NELEM(ip6_pool))
			snprintf(a, sizeof(a), "%s", ip6_pool[i]);
		else
			snprintf(a, sizeof(a), "2001:db8:%x::", 0x100 + i);
		add_rule(ir, c, some_verdict(), 1,
			 mt1(BW_F_IP6_SADDR, false, el6(a, i < NELEM(ip6_pool) ? 128 - (int)i : 48)));
	}
	/* ip daddr X tcp dport P: a concatenated key */
	for (unsigned i = 0; i < NELEM(ports) * NELEM(ip4_pool); i++)
		pool[i] = (uint64_t)ip4_pool[i % NELEM(ip4_pool)] << 16 |
			  ports[(i / NELEM(ip4_pool) + i) % NELEM(ports)];
	for (unsigned i = 0; i < 24; i++) {
		uint64_t x = pool[rn(NELEM(pool))];
		bool dup = false;

		for (unsigned j = 0; j < i; j++)
			dup |= v[j] == x;
		v[i] = dup ? (rnd() & 0xffffffffffff) : x;
	}
	for (unsigned i = 0; i < 24; i++)
		add_rule(ir, c, some_verdict(), 2,
			 mt1(BW_F_IP_DADDR, false, el_eq(BW_F_IP_DADDR, v[i] >> 16)),
			 mt1(BW_F_TCP_DPORT, false, el_eq(BW_F_TCP_DPORT, v[i] & 0xffff)));
	/* udp dport P */
	for (unsigned i = 0; i < NELEM(ports); i++)
		pool[i] = ports[i];
	distinct(v, 20, pool, NELEM(ports), 0xffff);
	for (unsigned i = 0; i < 20; i++)
		add_rule(ir, c, some_verdict(), 1, mt1(BW_F_UDP_DPORT, false, el_eq(BW_F_UDP_DPORT, v[i])));
	/* tcp flags exactly F */
	for (unsigned i = 0; i < NELEM(tflags); i++)
		pool[i] = tflags[i];
	distinct(v, 18, pool, NELEM(tflags), 0xff);
	for (unsigned i = 0; i < 18; i++)
		add_rule(ir, c, some_verdict(), 1, mt1(BW_F_TCP_FLAGS, false, el_eq(BW_F_TCP_FLAGS, v[i])));
}

static struct bw_ir *opt_ir(void)
{
	struct bw_ir *ir = ir_new();

	opt_chain(ir, add_chain(ir, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, IFNAME, 0,
				BW_VERDICT_DROP));
	opt_chain(ir, add_chain(ir, BW_FAMILY_INET, BW_CHAIN_OUTPUT, NULL, 0,
				BW_VERDICT_ACCEPT));
	return ir;
}

/* --- kernel side --------------------------------------------------------- */

struct kprog {
	char name[48];
	const struct bw_ir *ir;
	bool egress;
	bool reasons;			/* compare the per-reason counters */
	int fd, map[BW_MAP__MAX];
	const struct bw_hook_info *info;
	uint64_t reason_seen[BW_REASON__MAX];
	unsigned long frames, bad, untestable;
	/* coverage, from the interpreter's side */
	unsigned long decided[MAX_HANDLES];	/* by deciding handle, 0: policy */
	unsigned long dropped[BW_REASON__MAX];	/* parser drops by reason */
	uint64_t nocover;			/* handles not required, bit 0 policy */
	/* conntrack: the interpreter's table beside the kernel's map */
	bool ct;
	struct bw_interp_state state;
};

static int ncpu;

static int map_create(enum bpf_map_type t, const char *name, uint32_t vsize,
		      uint32_t n)
{
	int fd = bpf_map_create(t, name, 4, vsize, n ? n : 1, NULL);

	if (fd < 0)
		fprintf(stderr, "diff_view: map %s: %s\n", name, strerror(errno));
	return fd;
}

static int kprog_load(struct kprog *k)
{
	static char log[1 << 20];
	struct bw_codegen_opts co = { .trace = true };
	struct bw_prog *prog = NULL;
	struct bw_diags d;
	int ret;

	bw_diags_init(&d);
	ret = bw_codegen(k->ir, k->egress ? BW_HOOK_TC : BW_HOOK_XDP, IFNAME,
			 &co, &d, &prog);
	if (ret) {
		fprintf(stderr, "diff_view: %s: codegen failed: %s\n", k->name,
			strerror(-ret));
		bw_diags_print(&d, stderr);
		bw_diags_fini(&d);
		return ret;
	}
	bw_diags_fini(&d);
	k->info = bw_hook_info(prog->hook);
	k->map[BW_MAP_COUNTERS] = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_counters",
					     sizeof(struct bw_counter), k->ir->nhandle);
	k->map[BW_MAP_REASONS] = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_reasons",
					    sizeof(uint64_t), BW_REASON__MAX);
	k->map[BW_MAP_TRACE] = map_create(BPF_MAP_TYPE_ARRAY, "bw_trace",
					  sizeof(uint32_t), 1);
	k->ct = bw_ir_uses_field(k->ir, BW_F_CT_STATE);
	if (k->ct) {
		k->map[BW_MAP_CT] = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "bw_ct",
						   sizeof(struct bw_ct_key),
						   sizeof(struct bw_ct_value),
						   BW_CT_MAX_ENTRIES, NULL);
		if (k->map[BW_MAP_CT] < 0)
			fprintf(stderr, "diff_view: map bw_ct: %s\n", strerror(errno));
	}
	for (int m = 0; m < BW_MAP__MAX; m++)
		if (k->map[m] < 0) {
			bw_prog_free(&prog);
			return -errno;
		}
	for (uint32_t i = 0; i < prog->ninsn; i++) {
		struct bpf_insn *in = &prog->insn[i];

		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (in->src_reg == BPF_PSEUDO_MAP_FD ||
		    in->src_reg == BPF_PSEUDO_MAP_VALUE) {
			if (in->imm < 0 || in->imm >= BW_MAP__MAX) {
				fprintf(stderr, "diff_view: %s: insn %u: map %d\n",
					k->name, i, in->imm);
				bw_prog_free(&prog);
				return -EINVAL;
			}
			in->imm = k->map[in->imm];
		}
		i++;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, lo,
		    .log_buf = log, .log_size = sizeof(log), .log_level = 0,
		    .expected_attach_type = k->info->expected_attach_type);
	k->fd = bpf_prog_load(k->info->prog_type, prog->name, "GPL", prog->insn,
			      prog->ninsn, &lo);
	if (k->fd < 0) {
		ret = -errno;
		/* again with the log, for the reader */
		lo.log_level = 1;
		log[0] = '\0';
		bpf_prog_load(k->info->prog_type, prog->name, "GPL", prog->insn,
			      prog->ninsn, &lo);
		fprintf(stderr, "diff_view: %s: load failed: %s\n%s\n", k->name,
			strerror(-ret), log + (strlen(log) > 4000 ? strlen(log) - 4000 : 0));
	}
	bw_prog_free(&prog);
	return k->fd < 0 ? ret : 0;
}

static void kprog_close(struct kprog *k)
{
	if (k->fd > 0)
		close(k->fd);
	for (int m = 0; m < BW_MAP__MAX; m++)
		if (k->map[m] > 0)
			close(k->map[m]);
	bw_interp_state_fini(&k->state);
}

/*
 * Both conntrack tables emptied: done every CT_EPOCH frames, so that no
 * entry lives long enough to expire (10 s at least) and the kernel's
 * clock and the interpreter's, read a moment apart, never disagree on
 * one.
 */
#define CT_EPOCH	400

static int ct_flush(struct kprog *k)
{
	struct bw_ct_key key, next;
	bool first = true;

	if (!k->ct)
		return 0;
	bw_ct_table_free(&k->state.ct);
	while (!bpf_map_get_next_key(k->map[BW_MAP_CT], first ? NULL : &key,
				     &next)) {
		if (bpf_map_delete_elem(k->map[BW_MAP_CT], &next))
			return -errno;
		first = true;	/* deleted: start over */
	}
	return 0;
}

static int read_reasons(struct kprog *k, uint64_t out[BW_REASON__MAX])
{
	uint64_t v[512];

	for (uint32_t r = 0; r < BW_REASON__MAX; r++) {
		out[r] = 0;
		if (bpf_map_lookup_elem(k->map[BW_MAP_REASONS], &r, v))
			return -errno;
		for (int c = 0; c < ncpu; c++)
			out[r] += v[c];
	}
	return 0;
}

#define NO_HANDLE 0xfffffffeu

struct kres {
	enum bw_verdict verdict;	/* CONTINUE: neither accept nor drop */
	uint32_t retval, handle;
	int reason;			/* -1 none, -2 several */
};

static int kprog_run(struct kprog *k, const uint8_t *pkt, size_t len,
		     struct kres *r)
{
	uint32_t zero = 0, h = NO_HANDLE;
	uint64_t after[BW_REASON__MAX];
	uint8_t out[2048];
	int ret;

	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);
	if (bpf_map_update_elem(k->map[BW_MAP_TRACE], &zero, &h, BPF_ANY))
		return -errno;
	ret = bpf_prog_test_run_opts(k->fd, &o);
	if (ret)
		return -errno;
	r->retval = o.retval;
	r->verdict = o.retval == (uint32_t)k->info->verdict_accept ? BW_VERDICT_ACCEPT :
		     o.retval == (uint32_t)k->info->verdict_drop ? BW_VERDICT_DROP :
		     BW_VERDICT_CONTINUE;
	if (bpf_map_lookup_elem(k->map[BW_MAP_TRACE], &zero, &r->handle))
		return -errno;
	r->reason = -1;
	if (!k->reasons)
		return 0;
	ret = read_reasons(k, after);
	if (ret)
		return ret;
	for (int i = 0; i < BW_REASON__MAX; i++) {
		if (after[i] == k->reason_seen[i])
			continue;
		r->reason = (r->reason == -1 && after[i] == k->reason_seen[i] + 1) ? i : -2;
	}
	memcpy(k->reason_seen, after, sizeof(after));
	return 0;
}

/* --- frames -------------------------------------------------------------- */

struct fb {
	uint8_t b[1024];
	size_t n;
};

static void p8(struct fb *f, uint64_t x)
{
	f->b[f->n++] = (uint8_t)x;
}

static void p16(struct fb *f, uint64_t x)
{
	p8(f, x >> 8);
	p8(f, x);
}

static void pbytes(struct fb *f, const void *src, size_t n)
{
	memcpy(f->b + f->n, src, n);
	f->n += n;
}

static void prand(struct fb *f, size_t n)
{
	while (n--)
		p8(f, rnd());
}

static void p32(struct fb *f, uint64_t x)
{
	p16(f, x >> 16);
	p16(f, x & 0xffff);
}

#define PICK(arr) ((arr)[rn(sizeof(arr) / sizeof((arr)[0]))])

static const uint8_t protos[] = { 6, 6, 6, 17, 17, 1, 1, 58, 58, 47, 59, 135, 135, 0, 255,
				  132, 33, 136, 50, 108, 51, 51 };
static const uint32_t soft32[] = { 0, 1, 7, 0x100, 1000, 0x01020304, 0xffffffff };
static const uint32_t seqs[] = { 0, 1, 1000, 0x12345678, 0xffffffff };
static const uint16_t windows[] = { 0, 512, 64240, 65535 };
static const uint16_t urgs[] = { 0, 1, 80, 0xffff };
static const uint16_t ulens[] = { 0, 7, 9, 100, 65535 };
static const uint16_t echo_ids[] = { 0, 1, 7, 0x1234, 0xffff };

/* SCTP chunks after the common header: types the field rules read and
 * others, lengths that fit, are short (the field beyond the chunk), 0
 * (the walk's end), not a multiple of 4, or beyond the packet; now and
 * then more chunks than the walk's bound (sctp-chunks).  From a random
 * stream of their own: the other frames stay what they were. */
static uint64_t crng = 0x2545f4914f6cdd1dULL;	/* also IPv4 checksums */

static uint32_t crn(uint32_t n)
{
	crng ^= crng >> 12;
	crng ^= crng << 25;
	crng ^= crng >> 27;
	return (uint32_t)((crng * 0x2545f4914f6cdd1dULL) % n);
}

#define CPICK(arr) ((arr)[crn(sizeof(arr) / sizeof((arr)[0]))])

static void gen_chunks(struct fb *f)
{
	static const uint8_t types[] = { 0, 0, 1, 1, 3, 3, 4, 0xc1, 11 };
	static const uint16_t lens[] = { 4, 8, 16, 16, 20, 20, 0, 1, 6, 13, 40 };
	static const uint16_t streams[] = { 0x0102, 0x0200, 0x7fff, 0, 0xffff, 0x8000, 0x8000 };
	static const uint8_t flags[] = { 0, 1, 2, 3, 0x1f, 0x9c, 0xff, 0xff };
	unsigned n = crn(100) < 5 ? 30 + crn(8) : crn(100) < 30 ? 0 : 1 + crn(4);

	for (unsigned i = 0; i < n; i++) {
		bool fill = n > 8 && i < n - 1;
		uint8_t type = fill ? 4 : CPICK(types);
		uint16_t len = fill ? 4 : CPICK(lens);

		p8(f, type);
		p8(f, CPICK(flags));
		p16(f, len);
		if (len <= 4)
			continue;
		p32(f, CPICK(soft32));		/* data tsn, sack cum-tsn-ack */
		p16(f, CPICK(streams));		/* data stream */
		p16(f, CPICK(streams));
		p32(f, CPICK(soft32));
		if (crn(100) < 80)
			p32(f, CPICK(soft32));
	}
}

/* --- tunnels (compiler/front/tunnel.h): frames of their own, from a
 * stream of their own (the other frames stay as they were) ------------- */

static uint64_t trng = 0x6a09e667f3bcc909ULL;

static uint32_t trn(uint32_t n)
{
	trng ^= trng >> 12;
	trng ^= trng << 25;
	trng ^= trng >> 27;
	return (uint32_t)((trng * 0x2545f4914f6cdd1dULL) % n);
}

#define TPICK(arr) ((arr)[trn(sizeof(arr) / sizeof((arr)[0]))])

static const uint32_t tun_vnis[] = { 10, 10, 1, 0x123456, 0xffffff, 0 };
static const uint8_t tun_macs[][6] = {
	{ 0x62, 0x87, 0x4d, 0xd6, 0x19, 0x05 }, { 0x02, 0, 0, 0, 0, 0x0a },
	{ 0x02, 0, 0, 0, 0, 0x0b }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
};

/* The transport header inside: TCP 20, UDP or ICMP 8 bytes (or cut). */
static void gen_inner_l4(struct fb *f, uint8_t proto)
{
	static const uint16_t tports[] = { 53, 80, 8888, 443, 22, 0xffff };
	static const uint8_t itypes[] = { 0, 8, 3, 128, 129, 1 };

	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		p8(f, TPICK(itypes));
		p8(f, TPICK(((uint8_t[]){ 0, 0, 0, 1, 2, 3, 4, 5, 9, 15 })));
		p16(f, 0);
		p32(f, trn(65536));
	} else {
		p16(f, TPICK(tports));
		p16(f, TPICK(tports));
		if (proto == IPPROTO_TCP) {
			p32(f, 1);
			p32(f, 0);
			p8(f, 0x50);
			p8(f, TPICK(((uint8_t[]){ 0x02, 0x12, 0x10, 0x04, 0x11 })));
			p16(f, 512);
		}
		p32(f, 0);
	}
	if (trn(100) < 10)		/* cut short */
		f->n -= 1 + trn(6);
}

static void gen_inner_ip(struct fb *f, uint16_t et)
{
	static const uint8_t iprotos[] = { 6, 6, 17, 17, 1, 1, 58, 47 };
	static const uint8_t dscps[] = { 0, 0, 2, 46, 10, 63 };
	size_t ip = f->n;
	uint8_t proto = TPICK(iprotos);
	uint8_t a[16];

	if (et == 0x86dd) {
		p32(f, (trn(100) < 95 ? 0x60000000u : 0x40000000u) |
		    (uint32_t)TPICK(dscps) << 22);
		p16(f, 0);
		p8(f, proto == 1 ? 58 : proto);
		p8(f, TPICK(((uint8_t[]){ 64, 1, 255 })));
		for (int i = 0; i < 2; i++) {
			if (inet_pton(AF_INET6, TPICK(ip6_pool), a) != 1)
				abort();
			pbytes(f, a, 16);
		}
		gen_inner_l4(f, proto == 1 ? 58 : proto);
		f->b[ip + 4] = (uint8_t)((f->n - ip - 40) >> 8);
		f->b[ip + 5] = (uint8_t)(f->n - ip - 40);
	} else {
		size_t ihl = trn(100) < 10 ? 6 : 5;

		p8(f, trn(100) < 95 ? 0x40 | ihl : 0x44);
		p8(f, TPICK(dscps) << 2);
		p16(f, 0);
		p16(f, 1);
		p16(f, trn(100) < 90 ? 0 : TPICK(((uint16_t[]){ 0x2000, 0x0001, 0x4000 })));
		p8(f, TPICK(((uint8_t[]){ 64, 1, 255 })));
		p8(f, proto == 58 ? 1 : proto);
		p16(f, 0);
		for (int i = 0; i < 2; i++)
			p32(f, TPICK(ip4_pool));
		if (ihl == 6)
			p32(f, 0x01010101);
		gen_inner_l4(f, proto == 58 ? 1 : proto);
		f->b[ip + 2] = (uint8_t)((f->n - ip) >> 8);
		f->b[ip + 3] = (uint8_t)(f->n - ip);
		if (trn(100) < 5)	/* a total length past the packet */
			f->b[ip + 3] += 9;
	}
}

/* An inner Ethernet frame, sometimes with a VLAN tag. */
static void gen_inner_eth(struct fb *f)
{
	uint16_t et = TPICK(((uint16_t[]){ 0x0800, 0x0800, 0x86dd, 0x86dd, 0x8100, 0x0806 }));

	pbytes(f, TPICK(tun_macs), 6);
	pbytes(f, TPICK(tun_macs), 6);
	p16(f, et);
	if (et == 0x8100) {
		p16(f, TPICK(((uint16_t[]){ 10, 10, 0x200a, 5, 0xfff })));
		et = trn(2) ? 0x0800 : 0x86dd;
		p16(f, et);
	}
	if (et == 0x0800 || et == 0x86dd)
		gen_inner_ip(f, et);
	else
		p32(f, trn(65536));
}

/* After a UDP header: a VXLAN or Geneve header and what it carries. */
static void gen_udp_tunnel(struct fb *f, bool vxlan)
{
	if (vxlan) {
		p8(f, trn(100) < 90 ? 0x08 : TPICK(((uint8_t[]){ 0, 0x88, 0xff })));
		p8(f, 0);
		p16(f, 0);
		p32(f, TPICK(tun_vnis) << 8);
	} else {
		unsigned opt = trn(100) < 60 ? 0 : 1 + trn(2);

		p8(f, (trn(100) < 95 ? 0 : 0x40) | opt);
		p8(f, 0);
		p16(f, trn(100) < 90 ? 0x6558 : 0x0800);
		p32(f, TPICK(tun_vnis) << 8);
		for (unsigned i = 0; i < opt; i++)
			p32(f, trn(65536));
	}
	gen_inner_eth(f);
}

/* A GRE header (flags, version, protocol, the words its flags add)
 * and what it carries. */
static void gen_gre(struct fb *f, bool tap)
{
	static const uint8_t flags[] = { 0, 0, 0, 0x80, 0x20, 0x10, 0xb0, 0x40, 0x08 };
	uint8_t fl = TPICK(flags);
	uint16_t proto = tap ? (trn(10) ? 0x6558 : 0x88be) :
			 TPICK(((uint16_t[]){ 0x0800, 0x0800, 0x86dd, 0x86dd, 0x6558 }));

	p8(f, fl);
	p8(f, trn(100) < 90 ? 0 : TPICK(((uint8_t[]){ 1, 0x81, 7 })));
	p16(f, proto);
	for (int i = 0; i < (fl >> 7) + (fl >> 5 & 1) + (fl >> 4 & 1); i++)
		p32(f, trn(65536));
	if (proto == 0x6558)
		gen_inner_eth(f);
	else if (proto == 0x0800 || proto == 0x86dd)
		gen_inner_ip(f, proto);
	else
		p32(f, trn(65536));
}

static void gen_l4(struct fb *f, uint8_t proto)
{
	size_t start = f->n;

	switch (proto) {
	case IPPROTO_TCP:
		p16(f, chance(20) ? rn(65536) : PICK(ports));
		p16(f, chance(20) ? rn(65536) : PICK(ports));
		p32(f, chance(40) ? PICK(seqs) : (uint32_t)rnd());
		p32(f, chance(40) ? PICK(seqs) : (uint32_t)rnd());
		p8(f, (chance(85) ? 5 : rn(16)) << 4);
		p8(f, chance(20) ? rn(256) : PICK(tflags));
		p16(f, chance(50) ? PICK(windows) : rn(65536));
		p16(f, rn(65536));
		p16(f, chance(50) ? PICK(urgs) : rn(65536));
		break;
	case IPPROTO_UDP:
		p16(f, PICK(ports));
		p16(f, PICK(ports));
		p16(f, chance(70) ? 8 : PICK(ulens));
		/* the checksum: 0 or any, from the tunnel stream (trn()) */
		p16(f, trn(100) < 50 ? 0 : trn(65536));
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		/* echo types twice: their id and sequence fields exist */
		static const uint8_t types[] = { 8, 0, 8, 0, 3, 11, 128, 129,
						 128, 129, 135, 136, 1, 2 };

		p8(f, PICK(types));
		p8(f, chance(60) ? 0 : rn(8));
		p16(f, rn(65536));
		p16(f, chance(40) ? PICK(echo_ids) : rn(65536));
		p16(f, chance(40) ? PICK(echo_ids) : rn(65536));
		break;
	}
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_UDPLITE:
	case IPPROTO_ESP:
	case IPPROTO_COMP:
	case IPPROTO_AH:
	case IPPROTO_MH:
	case IPPROTO_IGMP:
		/* whole (12 bytes) or cut short (dropped: l4-truncated) */
		p16(f, PICK(ports));
		p16(f, PICK(ports));
		p32(f, chance(70) ? PICK(soft32) : (uint32_t)rnd());
		if (chance(95))
			p32(f, chance(70) ? PICK(soft32) : (uint32_t)rnd());
		if (proto == IPPROTO_SCTP)
			gen_chunks(f);
		break;
	default:
		prand(f, rn(12));
	}
	/* GRE's first 4 bytes whole (view.h step 4), from the tunnel
	 * stream: the frames after it stay as they were */
	while (proto == IPPROTO_GRE && f->n - start < 4)
		p8(f, trn(256));
	if (chance(30))
		prand(f, rn(48));
}

static void gen_ip4(struct fb *f)
{
	static const uint8_t ttls[] = { 64, 64, 1, 0, 255, 128 };
	static const uint16_t frags[] = { 0x2000, 0x0001, 0x2001, 0x0002,
					  0x4000, 0x8000, 0x00ff, 0x3fff };
	size_t ip = f->n, ihl = chance(15) ? 5 + rn(11) : 5;
	uint8_t proto = PICK(protos);

	/* IGMP instead of half the AH frames: the same generator,
	 * the choice from the chunks' stream (the other frames stay) */
	if (proto == IPPROTO_AH && crn(4) < 2)
		proto = IPPROTO_IGMP;
	p8(f, 0x40 | ihl);
	p8(f, (chance(70) ? 0 : PICK(((uint8_t[]){ 46, 10, 8, 63 }))) << 2 | rn(4));
	p16(f, 0);
	p16(f, chance(40) ? PICK(((uint16_t[]){ 0, 1, 0x1234, 0xbeef, 0xffff })) :
	    rn(65536));
	p16(f, chance(80) ? 0 : PICK(frags));
	p8(f, PICK(ttls));
	p8(f, proto);
	/* the checksum: 0 or any (from the chunks' stream, crn()) */
	p16(f, crn(100) < 50 ? 0 : (uint16_t)crn(65536));
	for (int i = 0; i < 2; i++) {
		uint32_t a = chance(10) ? (uint32_t)rnd() : PICK(ip4_pool);

		p16(f, a >> 16);
		p16(f, a & 0xffff);
	}
	for (size_t i = 20; i < ihl * 4; i++)
		p8(f, chance(50) ? 1 : rnd());
	gen_l4(f, proto);
	f->b[ip + 2] = (uint8_t)((f->n - ip) >> 8);
	f->b[ip + 3] = (uint8_t)(f->n - ip);
}

static void gen_ip6(struct fb *f)
{
	static const uint8_t exts[] = { 0, 43, 44, 60, 51 };
	size_t ip = f->n;
	uint8_t a[16], nh[16];
	int next = chance(60) ? 0 : 1 + (int)rn(BW_IP6_EXT_MAX + 2);

	/* AH ends the view's walk (nft's): at most one, mostly last, so
	 * that the upper layers after the others stay as common */
	for (int i = 0; i < next; i++)
		nh[i] = exts[rn(4)];
	if (next && chance(40))
		nh[chance(75) ? next - 1 : rn((uint32_t)next)] = IPPROTO_AH;
	nh[next] = PICK(protos);
	/* version 6, a traffic class, a flow label from the pool or not */
	p32(f, 0x60000000u | rn(32) << 20 |
	    (chance(40) ? PICK(((uint32_t[]){ 0, 1, 0x12345, 0xabcde, 0xfffff })) :
	     rn(1 << 20)));
	p16(f, 0);
	p8(f, nh[0]);
	p8(f, PICK(((uint8_t[]){ 64, 64, 255, 1, 0 })));
	for (int i = 0; i < 2; i++) {
		if (inet_pton(AF_INET6, chance(80) ? PICK(ip6_pool) : "2001:db8:10b::9", a) != 1)
			abort();
		pbytes(f, a, 16);
	}
	for (int i = 0; i < next; i++) {
		p8(f, nh[i + 1]);
		if (nh[i] == IPPROTO_FRAGMENT) {
			p8(f, 0);
			p16(f, chance(30) ? 0 : chance(70) ?
			    PICK(((uint16_t[]){ 1, 8, 9, 6, 0x10, 0xfff9 })) :
			    rnd() & 0xffff);
			prand(f, 4);
		} else if (nh[i] == IPPROTO_AH) {
			uint8_t l = (uint8_t)rn(4);

			p8(f, l);
			prand(f, ((size_t)l + 2) * 4 - 2);
		} else {
			uint8_t l = (uint8_t)rn(3);

			p8(f, l);
			prand(f, 6 + (size_t)l * 8);
		}
	}
	gen_l4(f, nh[next]);
	f->b[ip + 4] = (uint8_t)((f->n - ip - 40) >> 8);
	f->b[ip + 5] = (uint8_t)(f->n - ip - 40);
}

static void mutate(struct fb *f)
{
	static const uint8_t hot[] = { 0, 1, 4, 5, 6, 0x45, 0x4f, 0x60, 0x81, 0x88,
				       0xa8, 0x86, 0xdd, 0x08, 0x20, 0x3f, 0xff,
				       17, 43, 44, 51, 58, 59, 60, 135, 0x50, 0x10 };
	size_t hdr = f->n < 100 ? f->n : 100;

	switch (rn(6)) {
	case 0:
		f->n = rn((uint32_t)f->n + 1);
		break;
	case 1:
		if (hdr)
			f->b[rn((uint32_t)hdr)] ^= (uint8_t)(1 << rn(8));
		break;
	case 2:
		if (hdr)
			f->b[rn((uint32_t)hdr)] = PICK(hot);
		break;
	case 3:			/* a length field +-: IPv4 total / IPv6 payload */
		if (f->n > 20) {
			size_t at = 14 + 4 * rn(3) + (chance(50) ? 2 : 4);

			if (at + 1 < f->n) {
				int d = (int)rn(9) - 4;
				unsigned v = (unsigned)(f->b[at] << 8 | f->b[at + 1]) + (unsigned)d;

				f->b[at] = (uint8_t)(v >> 8);
				f->b[at + 1] = (uint8_t)v;
			}
		}
		break;
	case 4:
		if (f->n + 40 < sizeof(f->b))
			prand(f, 1 + rn(40));
		break;
	case 5:
		if (f->n > 14)
			f->n -= 1 + rn((uint32_t)(f->n - 14 < 8 ? f->n - 14 : 8));
		break;
	}
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The last frames generated, for the answers ct_frame() makes. */
#define RECENT	16
static struct { uint8_t b[1024]; size_t n; } recent[RECENT];
static unsigned nrecent;

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

/*
 * For conntrack: a recent frame answered (addresses and ports swapped,
 * an answer's TCP flags, an echo reply for a request), or quoted by an
 * ICMP error; 0 if none fits (frames the parser drops are not answered).
 */
static size_t ct_frame(uint8_t *out)
{
	const size_t l3n[] = { [4] = 20, [6] = 40 };
	unsigned i = rn(nrecent < RECENT ? nrecent : RECENT);
	size_t n = recent[i].n, q;
	enum bw_reason why;
	struct bw_view v;
	uint8_t *ip;

	if (!nrecent || bw_view_parse(recent[i].b, n, &v, &why) || !v.l3)
		return 0;
	if (chance(75)) {
		memcpy(out, recent[i].b, n);
		ip = out + v.l3off;
		swap_bytes(out, out + 6, 6);
		if (v.l3 == 4)
			swap_bytes(ip + 12, ip + 16, 4);
		else
			swap_bytes(ip + 8, ip + 24, 16);
		if (v.l4off && (v.l4proto == 6 || v.l4proto == 17))
			swap_bytes(out + v.l4off, out + v.l4off + 2, 2);
		if (v.l4off && v.l4proto == 6)
			out[v.l4off + 13] = PICK(((uint8_t[]){ 0x12, 0x10, 0x11, 0x04, 0x18, 0x02 }));
		if (v.l4off && (out[v.l4off] == 8 || out[v.l4off] == 128))
			out[v.l4off] = out[v.l4off] == 8 ? 0 : 129;
		return n;
	}
	/* an error from a router, quoting the frame's IP packet */
	q = n - v.l3off;
	if (q > 200)
		q = 200;
	memcpy(out, recent[i].b + 6, 6);
	memcpy(out + 6, recent[i].b, 6);
	out[12] = v.l3 == 4 ? 0x08 : 0x86;
	out[13] = v.l3 == 4 ? 0x00 : 0xdd;
	ip = out + 14;
	memset(ip, 0, l3n[v.l3] + 8);
	if (v.l3 == 4) {
		ip[0] = 0x45;
		ip[2] = (uint8_t)((20 + 8 + q) >> 8);
		ip[3] = (uint8_t)(20 + 8 + q);
		ip[8] = 64;
		ip[9] = 1;
		memcpy(ip + 12, "\xcb\x00\x71\x01", 4);	/* 203.0.113.1 */
		memcpy(ip + 16, v.l3h + 12, 4);
		ip[20] = PICK(((uint8_t[]){ 3, 11, 12, 5 }));
	} else {
		ip[0] = 0x60;
		ip[4] = (uint8_t)((8 + q) >> 8);
		ip[5] = (uint8_t)(8 + q);
		ip[6] = 58;
		ip[7] = 64;
		memcpy(ip + 8, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x99", 16);
		memcpy(ip + 24, v.l3h + 8, 16);
		ip[40] = PICK(((uint8_t[]){ 1, 2, 3, 4 }));
	}
	memcpy(ip + l3n[v.l3] + 8, recent[i].b + v.l3off, q);
	return 14 + l3n[v.l3] + 8 + q;
}

static size_t gen_frame(uint8_t *out)
{
	static const uint64_t macs[] = { 0x020000000002, 0x020000000001, 0x020000000003,
					 0xffffffffffff, 0x333300000001, 0x0200000000aa };
	struct fb f = { .n = 0 };
	int tags = chance(75) ? 0 : 1 + (int)rn(BW_VLAN_MAX + 1);
	uint16_t type;
	unsigned what = rn(100);

	for (int i = 0; i < 2; i++) {
		uint64_t m = PICK(macs);

		p16(&f, m >> 32);
		p16(&f, (m >> 16) & 0xffff);
		p16(&f, m & 0xffff);
	}
	type = what < 45 ? 0x0800 : what < 88 ? 0x86dd :
	       PICK(((uint16_t[]){ 0x0806, 0x88cc, 0x8847, 0x0000, 0x0600 }));
	for (int i = 0; i < tags; i++) {
		p16(&f, chance(50) ? 0x8100 : 0x88a8);
		p16(&f, PICK(((uint16_t[]){ 0, 5, 100, 0x2064, 0xffff })));
	}
	p16(&f, type);
	if (type == 0x0800)
		gen_ip4(&f);
	else if (type == 0x86dd)
		gen_ip6(&f);
	else
		prand(&f, rn(60));
	for (int m = chance(50) ? 1 + (int)rn(3) : 0; m > 0; m--)
		mutate(&f);
	memcpy(out, f.b, f.n);
	return f.n;
}

/* A frame that carries a tunnel: Ethernet, IPv4 or IPv6, UDP (to 4789
 * or 6081) or GRE, then gen_udp_tunnel() or gen_gre(); sometimes cut
 * short or with a byte changed. */
static size_t tun_frame(uint8_t *out)
{
	struct fb f = { .n = 0 };
	unsigned kind = trn(4);		/* vxlan, geneve, gre, gretap */
	bool v6 = trn(3) == 0, udp = kind < 2;
	size_t ip, l4;
	uint8_t a[16];

	pbytes(&f, ((uint8_t[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }), 12);
	p16(&f, v6 ? 0x86dd : 0x0800);
	ip = f.n;
	if (v6) {
		p32(&f, 0x60000000);
		p16(&f, 0);
		p8(&f, udp ? IPPROTO_UDP : IPPROTO_GRE);
		p8(&f, 64);
		for (int i = 0; i < 2; i++) {
			if (inet_pton(AF_INET6, TPICK(ip6_pool), a) != 1)
				abort();
			pbytes(&f, a, 16);
		}
	} else {
		p8(&f, 0x45);
		p8(&f, 0);
		p16(&f, 0);
		p32(&f, trn(100) < 95 ? 0 : 0x2000);
		p8(&f, 64);
		p8(&f, udp ? IPPROTO_UDP : IPPROTO_GRE);
		p16(&f, 0);
		p32(&f, TPICK(ip4_pool));
		p32(&f, TPICK(ip4_pool));
	}
	l4 = f.n;
	if (udp) {
		p16(&f, 40000);
		p16(&f, 4789);		/* the port does not matter here */
		p32(&f, 0);
		gen_udp_tunnel(&f, kind == 0);
		f.b[l4 + 4] = (uint8_t)((f.n - l4) >> 8);
		f.b[l4 + 5] = (uint8_t)(f.n - l4);
	} else {
		gen_gre(&f, kind == 3);
	}
	if (v6) {
		f.b[ip + 4] = (uint8_t)((f.n - ip - 40) >> 8);
		f.b[ip + 5] = (uint8_t)(f.n - ip - 40);
	} else {
		f.b[ip + 2] = (uint8_t)((f.n - ip) >> 8);
		f.b[ip + 3] = (uint8_t)(f.n - ip);
	}
	if (trn(100) < 5)		/* trailing bytes past the IP packet */
		p32(&f, 0x08000000);
	if (trn(100) < 10)		/* cut anywhere */
		f.n = 14 + trn((uint32_t)f.n - 14);
	if (trn(100) < 10 && f.n > l4)	/* a byte of the tunnel changed */
		f.b[l4 + trn((uint32_t)(f.n - l4))] ^= (uint8_t)(1 + trn(255));
	memcpy(out, f.b, f.n);
	return f.n;
}

/* An IPv4 SCTP frame with chunks (gen_chunks()), in the tunnel frames'
 * turn: the rare chunk fields reached whatever the other frames are. */
static size_t sctp_frame(uint8_t *out)
{
	struct fb f = { .n = 0 };
	size_t ip;

	pbytes(&f, ((uint8_t[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }), 12);
	p16(&f, 0x0800);
	ip = f.n;
	p32(&f, 0x45000000);
	p32(&f, 0);
	p32(&f, 0x40840000);		/* ttl 64, protocol 132 */
	p32(&f, TPICK(ip4_pool));
	p32(&f, TPICK(ip4_pool));
	p32(&f, 0x0400 << 16 | 0x0050);	/* ports 1024, 80 */
	p32(&f, trn(65536));		/* verification tag */
	p32(&f, 0);
	{
		/* the chunks from a stream of their own: the chunks'
		 * stream (crn()) of the other frames stays as it was */
		static uint64_t own = 0x3c6ef372fe94f82bULL;
		uint64_t keep = crng;

		crng = own;
		gen_chunks(&f);
		own = crng;
		crng = keep;
	}
	f.b[ip + 2] = (uint8_t)((f.n - ip) >> 8);
	f.b[ip + 3] = (uint8_t)(f.n - ip);
	memcpy(out, f.b, f.n);
	return f.n;
}

/* --- comparison ---------------------------------------------------------- */

static const char *vname(enum bw_verdict v)
{
	return v == BW_VERDICT_ACCEPT ? "accept" : v == BW_VERDICT_DROP ? "drop" : "other";
}

static void hexdump(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%02x%s", p[i], (i % 32 == 31 || i + 1 == n) ? "\n" : "");
}

/*
 * BPF_PROG_TEST_RUN for skb programs refuses (EINVAL) an IPv4 / IPv6
 * ethertype frame shorter than the fixed IP header; the kernel never hands
 * such an skb to TC egress either, so those frames are not compared there.
 */
static bool tc_refuses(const uint8_t *pkt, size_t len)
{
	uint16_t type = (uint16_t)(pkt[12] << 8 | pkt[13]);

	return (type == 0x0800 && len < 14 + 20) ||
	       (type == 0x86dd && len < 14 + 40);
}

/* Compare one frame on one program; returns true when both agree. */
static bool check(struct kprog *k, const uint8_t *pkt, size_t len, int *err)
{
	struct bw_interp_result ir;
	struct kres kr;
	bool ok;

	*err = kprog_run(k, pkt, len, &kr);
	if (*err == -EINVAL && k->egress && tc_refuses(pkt, len)) {
		k->untestable++;
		*err = 0;
		return true;
	}
	if (*err)
		return true;
	struct bw_interp_ctx ctx = { .egress = k->egress, .ifname = IFNAME,
				     .now_ns = mono_ns(),
				     .state = k->ct ? &k->state : NULL };

	if (bw_interp_run_ctx(k->ir, &ctx, pkt, len, &ir)) {
		*err = -ENOMEM;
		return true;
	}
	k->frames++;
	if (ir.malformed)
		k->dropped[ir.reason]++;
	else if (ir.handle < MAX_HANDLES)
		k->decided[ir.handle]++;
	ok = kr.verdict == ir.verdict;
	if (ok && !ir.malformed)
		ok = kr.handle == ir.handle;
	if (ok && ir.malformed)
		ok = kr.handle == 0 || kr.handle == NO_HANDLE;
	if (ok && k->reasons)
		ok = ir.malformed ? kr.reason == (int)ir.reason : kr.reason == -1;
	if (ok)
		return true;
	if (k->bad++ < MAX_SHOWN) {
		fprintf(stderr, "DISAGREE %s: kernel %s (ret %u) handle %d reason %s | "
			"interp %s handle %u%s%s\n  frame (%zu bytes):\n", k->name,
			vname(kr.verdict), kr.retval,
			kr.handle == NO_HANDLE ? -1 : (int)kr.handle,
			kr.reason >= 0 ? bw_reason_name(kr.reason) :
			kr.reason == -1 ? "-" : "several",
			vname(ir.verdict), ir.handle, ir.malformed ? " malformed " : "",
			ir.malformed ? bw_reason_name(ir.reason) : "", len);
		hexdump(pkt, len);
	}
	return false;
}

/*
 * A run that compared all its frames must have seen every parser drop
 * reason and every rule (and the policy) decide at least once; else the
 * frames no longer exercise what this test is for.  Returns the gaps.
 */
static unsigned long coverage(const struct kprog *progs, int nprog)
{
	unsigned long gaps = 0;

	for (int p = 0; p < nprog; p++) {
		const struct kprog *k = &progs[p];

		if (k->reasons)
			for (int r = 0; r < BW_REASON__MAX; r++)
				/* sctp-chunks: a rule's walk, not the parser's */
				if (!k->dropped[r] && r != BW_REASON_SCTP_CHUNKS) {
					printf("COVERAGE %s: no frame dropped as %s\n",
					       k->name, bw_reason_name(r));
					gaps++;
				}
		for (uint32_t c = 0; c < k->ir->nchain; c++) {
			const struct bw_ir_chain *ch = &k->ir->chain[c];
			bool here = (ch->hook == BW_CHAIN_EGRESS ||
				     ch->hook == BW_CHAIN_OUTPUT) == k->egress &&
				    (!ch->device || !strcmp(ch->device, IFNAME));

			for (uint32_t r = 0; here && r < ch->nrule; r++) {
				uint32_t h = ch->rule[r].handle;

				if (ch->rule[r].verdict == BW_VERDICT_CONTINUE ||
				    h >= MAX_HANDLES || k->decided[h] ||
				    (k->nocover >> h & 1))
					continue;
				printf("COVERAGE %s: rule %u never decided\n", k->name, h);
				gaps++;
			}
		}
		if (!k->decided[0] && !k->reasons && !(k->nocover & 1)) {
			printf("COVERAGE %s: no policy decision\n", k->name);
			gaps++;
		}
	}
	return gaps;
}

/* The optimizer ruleset through the runtime's test programs. */
struct optprog {
	const char *name;
	bool egress;
	struct bw_rt_testprog *t;
	unsigned long frames, bad, untestable, rule_decided;
};

static bool check_opt(struct optprog *o, const struct bw_ir *ir,
		      const uint8_t *pkt, size_t len, int *err)
{
	struct bw_rt_run_result kr;
	struct bw_interp_result res;
	bool ok;

	*err = 0;
	if (o->egress && tc_refuses(pkt, len)) {
		o->untestable++;
		return true;
	}
	*err = bw_rt_testprog_run(o->t, pkt, len, &kr);
	if (*err)
		return true;
	if (bw_interp_run(ir, o->egress, IFNAME, pkt, len, &res)) {
		*err = -ENOMEM;
		return true;
	}
	o->frames++;
	if (!res.malformed && res.handle)
		o->rule_decided++;
	ok = kr.verdict == res.verdict &&
	     (res.malformed || kr.handle == res.handle);
	if (ok)
		return true;
	if (o->bad++ < MAX_SHOWN) {
		fprintf(stderr, "DISAGREE %s: kernel %s handle %u | interp %s handle %u%s%s\n"
			"  frame (%zu bytes):\n", o->name, vname(kr.verdict),
			kr.handle, vname(res.verdict), res.handle,
			res.malformed ? " malformed " : "",
			res.malformed ? bw_reason_name(res.reason) : "", len);
		hexdump(pkt, len);
	}
	return false;
}

/* The optimizer must have made lookups of the runs, else this part of the
 * test would only repeat the compare chains. */
static int opt_groups(const struct bw_ir *ir)
{
	struct bw_opt_plan *plan = NULL;
	int n;

	if (bw_optimize(ir, NULL, &plan))
		return -1;
	n = (int)plan->ngroup;
	bw_opt_plan_free(&plan);
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long env_num(const char *name, unsigned long def)
{
	const char *s = getenv(name);

	return s && *s ? strtoul(s, NULL, 0) : def;
}

int main(void)
{
	static struct kprog progs[MAX_PROGS];
	struct optprog opt[2] = { { .name = "xdp optimized" },
				  { .name = "tc optimized", .egress = true } };
	struct bw_ir *oir = NULL;
	struct bw_ir *irs[NFIELDS + 2] = { 0 };
	uint64_t nocover[NFIELDS + 2] = { 0 };
	unsigned long nframes = env_num("BW_DIFF_FRAMES", 4000);
	double limit = (double)env_num("BW_DIFF_SECONDS", 60), t0 = now();
	unsigned long done = 0, skipped = 0, bad = 0, gaps = 0;
	uint8_t pkt[1024];
	int nprog = 0, nfail = 0, ret = 0, err;
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("SKIP: diff_view needs root (BPF_PROG_TEST_RUN)\n");
		return 77;
	}
	rng ^= env_num("BW_DIFF_SEED", 0);
	setrlimit(RLIMIT_MEMLOCK, &rl);
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0 || ncpu > 512) {
		printf("SKIP: cannot count CPUs\n");
		return 77;
	}
	{
		int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "probe", 4, 4, 1, NULL);

		if (fd < 0) {
			printf("SKIP: bpf() not permitted: %s\n", strerror(errno));
			return 77;
		}
		close(fd);
	}

	/* the programs */
	irs[0] = ir_new();
	add_chain(irs[0], BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, IFNAME, 0, BW_VERDICT_ACCEPT);
	add_chain(irs[0], BW_FAMILY_NETDEV, BW_CHAIN_EGRESS, IFNAME, 0, BW_VERDICT_ACCEPT);
	irs[1] = chains_ir(&nocover[1]);
	for (int i = 0; i < NFIELDS; i++)
		irs[2 + i] = field_ir(rules_of(i), &nocover[2 + i]);
	for (int i = 0; i < NFIELDS + 2; i++) {
		for (int eg = 0; eg < 2; eg++) {
			struct kprog *k = &progs[nprog++];
			const struct bw_field *f = i >= 2 ? bw_field(rules_of(i - 2)->id) : NULL;

			k->ir = irs[i];
			k->egress = eg;
			k->reasons = i == 0;
			k->nocover = nocover[i];
			snprintf(k->name, sizeof(k->name), "%s %s%s%s%s%s", eg ? "tc" : "xdp",
				 i == 0 ? "parser" : i == 1 ? "chains" : f->proto,
				 f ? " " : "", f ? f->name : "", f && f->walk ? " " : "",
				 !f || !f->walk ? "" : f->tun_layer ?
				 bw_tunnel_name(tun_for(f->id, (unsigned)eg)) : f->raw ?
				 (f->proto[0] != '@' ? "" : f->size == 1 ? "8" :
				  f->size == 2 ? "16" : f->size == 4 ? "32" :
				  f->size == 8 ? "64" : "128") :
				 f->size == 1 && f->id != BW_F_SCTP_CHUNK ?
				 " init flags" : f->size == 1 ? " data" :
				 f->size == 2 ? " data stream" : " sack cum-tsn-ack");
			if (kprog_load(k)) {
				/* reported; the others still run */
				nfail++;
				nprog--;
				kprog_close(k);
				memset(k, 0, sizeof(*k));
				continue;
			}
			if (k->reasons && read_reasons(k, k->reason_seen)) {
				ret = 1;
				goto out;
			}
		}
	}
	oir = opt_ir();
	err = opt_groups(oir);
	if (err < 8) {
		printf("FAIL: the optimizer made %d lookups of the 10 runs\n", err);
		ret = 1;
		goto out;
	}
	for (int i = 0; i < 2; i++) {
		struct bw_diags d;

		bw_diags_init(&d);
		err = bw_drive_testprog_load(oir, opt[i].egress ? BW_HOOK_TC :
					     BW_HOOK_XDP, IFNAME, NULL, NULL, &d,
					     &opt[i].t);
		if (err) {
			fprintf(stderr, "diff_view: %s: load failed: %s\n",
				opt[i].name, strerror(-err));
			bw_diags_print(&d, stderr);
			nfail++;
		}
		bw_diags_fini(&d);
	}
	printf("diff_view: %d programs loaded (%d failed to load), seed %#llx, "
	       "up to %lu frames, %.0f s\n", nprog, nfail,
	       (unsigned long long)rng, nframes, limit);

	/* a tunnel frame (tun_frame()), now and then an SCTP one
	 * (sctp_frame()), after each two others */
	for (done = 0; done < nframes + nframes / 2 && now() - t0 < limit; done++) {
		size_t len = done % 3 == 2 ? (trn(8) ? tun_frame(pkt) : sctp_frame(pkt)) :
			     chance(30) ? ct_frame(pkt) : 0;

		if (!len) {
			len = gen_frame(pkt);
			memcpy(recent[nrecent % RECENT].b, pkt, len);
			recent[nrecent++ % RECENT].n = len;
		}
		if (done % CT_EPOCH == 0)
			for (int p = 0; p < nprog; p++)
				if (ct_flush(&progs[p])) {
					fprintf(stderr, "diff_view: %s: cannot empty the conntrack map: %s\n",
						progs[p].name, strerror(errno));
					ret = 1;
					goto out;
				}

		if (len < 14) {
			/* BPF_PROG_TEST_RUN refuses frames shorter than an
			 * Ethernet header; the parser's answer is fixed. */
			struct bw_view v;
			enum bw_reason r;

			if (bw_view_parse(pkt, len, &v, &r) != 1 ||
			    r != BW_REASON_ETH_TRUNC) {
				fprintf(stderr, "interp: %zu-byte frame not eth-truncated\n", len);
				bad++;
			}
			skipped++;
			continue;
		}
		for (int p = 0; p < nprog; p++) {
			if (!check(&progs[p], pkt, len, &err))
				bad++;
			if (err) {
				fprintf(stderr, "diff_view: %s: test run: %s\n",
					progs[p].name, strerror(-err));
				hexdump(pkt, len);
				ret = 1;
				goto out;
			}
		}
		for (int i = 0; i < 2; i++) {
			if (opt[i].t && !check_opt(&opt[i], oir, pkt, len, &err))
				bad++;
			if (err) {
				fprintf(stderr, "diff_view: %s: test run: %s\n",
					opt[i].name, strerror(-err));
				hexdump(pkt, len);
				ret = 1;
				goto out;
			}
		}
	}
	printf("diff_view: %lu frames (%lu shorter than 14 bytes) in %.1f s%s\n",
	       done, skipped, now() - t0,
	       done < nframes ? " (time limit reached)" : "");
	for (int p = 0; p < nprog; p++)
		if (progs[p].egress && progs[p].reasons)
			printf("  tc: %lu frames with a short IP header not run "
			       "(test run refuses them)\n", progs[p].untestable);
	for (int p = 0; p < nprog; p++)
		if (progs[p].bad)
			printf("  %-22s %lu of %lu frames disagree\n", progs[p].name,
			       progs[p].bad, progs[p].frames);
	for (int i = 0; i < 2; i++) {
		if (opt[i].bad)
			printf("  %-22s %lu of %lu frames disagree\n", opt[i].name,
			       opt[i].bad, opt[i].frames);
		if (opt[i].t && done == nframes && nframes >= 4000 &&
		    opt[i].rule_decided < 50) {
			printf("COVERAGE %s: only %lu frames decided by a rule\n",
			       opt[i].name, opt[i].rule_decided);
			gaps++;
		}
	}
	if (done == nframes + nframes / 2 && nframes >= 4000)
		gaps = coverage(progs, nprog);
	else
		printf("  (coverage not checked: fewer than 4000 frames)\n");
	if (bad || nfail || gaps) {
		printf("FAIL: %lu disagreements, %d programs did not load, "
		       "%lu coverage gaps\n", bad, nfail, gaps);
		ret = 1;
	} else {
		printf("PASS: kernel and interpreter agree on every frame\n");
	}
out:
	for (int i = 0; i < 2; i++)
		bw_rt_testprog_free(&opt[i].t);
	bw_ir_free(&oir);
	for (int p = 0; p < nprog; p++)
		kprog_close(&progs[p]);
	for (int i = 0; i < NFIELDS + 2; i++)
		bw_ir_free(&irs[i]);
	return ret;
}
