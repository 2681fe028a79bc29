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
#include "diff_view.h"

#define IFNAME		"bwf0"
#define MAX_PROGS	512
#define MAX_SHOWN	3		/* disagreements printed per program */
#define MAX_HANDLES	64

/* --- random numbers (xorshift64*, fixed seed) --------------------------- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

uint64_t dv_rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

uint32_t dv_rn(uint32_t n)
{
	return n ? (uint32_t)(dv_rnd() % n) : 0;
}

bool dv_chance(unsigned percent)
{
	return dv_rn(100) < percent;
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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static enum bw_verdict some_verdict(void)
{
	return dv_chance(50) ? BW_VERDICT_DROP : BW_VERDICT_ACCEPT;
}

/* n distinct values: the pool first, then random ones not yet taken. */
static void distinct(uint64_t *out, unsigned n, const uint64_t *pool,
		     unsigned npool, uint64_t mask)
{
	for (unsigned i = 0; i < n; i++) {
		bool dup;

		do {
			out[i] = i < npool ? pool[i] : dv_rnd() & mask;
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
		uint64_t x = pool[dv_rn(NELEM(pool))];
		bool dup = false;

		for (unsigned j = 0; j < i; j++)
			dup |= v[j] == x;
		v[i] = dup ? (dv_rnd() & 0xffffffffffff) : x;
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
				     .now_ns = dv_mono_ns(),
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
		size_t len = done % 3 == 2 ? (dv_trn(8) ? dv_tun_frame(pkt) : dv_sctp_frame(pkt)) :
			     dv_chance(30) ? dv_ct_frame(pkt) : 0;

		if (!len) {
			len = dv_gen_frame(pkt);
			memcpy(dv_recent[dv_nrecent % DV_RECENT].b, pkt, len);
			dv_recent[dv_nrecent++ % DV_RECENT].n = len;
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
