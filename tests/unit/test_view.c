// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reference parser tests: one hand-built frame per malformed case and per
 * accepted edge case of view.h, asserting the view's fields and the reason.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <cmocka.h>

#include "compiler/front/view.h"

/* A tiny frame writer: every helper appends at f->n. */
struct fb {
	uint8_t b[1024];
	size_t n;
};

static void put8(struct fb *f, uint8_t x)
{
	f->b[f->n++] = x;
}

static void put16(struct fb *f, uint16_t x)
{
	put8(f, (uint8_t)(x >> 8));
	put8(f, (uint8_t)x);
}

static void fill(struct fb *f, size_t n, uint8_t x)
{
	memset(f->b + f->n, x, n);
	f->n += n;
}

static void set16(struct fb *f, size_t off, uint16_t x)
{
	f->b[off] = (uint8_t)(x >> 8);
	f->b[off + 1] = (uint8_t)x;
}

static void eth(struct fb *f, uint16_t type)
{
	static const uint8_t dst[6] = { 2, 0, 0, 0, 0, 2 };
	static const uint8_t src[6] = { 2, 0, 0, 0, 0, 1 };

	f->n = 0;
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	f->n = 12;
	put16(f, type);
}

static void tag(struct fb *f, uint16_t tci, uint16_t next)
{
	put16(f, tci);
	put16(f, next);
}

/* IPv4 header with ihl words (options are NOPs); returns its offset.
 * The total length is set by ip4_done(). */
static size_t ip4(struct fb *f, uint8_t proto, unsigned ihl, uint16_t frag)
{
	size_t off = f->n;

	put8(f, (uint8_t)(0x40 | ihl));
	put8(f, 0x28);			/* dscp 10 */
	put16(f, 0);			/* total length: ip4_done */
	put16(f, 0x1234);		/* id */
	put16(f, frag);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);			/* checksum: the parser ignores it */
	put8(f, 192); put8(f, 0); put8(f, 2); put8(f, 1);
	put8(f, 192); put8(f, 0); put8(f, 2); put8(f, 2);
	if (ihl > 5)
		fill(f, (ihl - 5) * 4, 1);	/* NOP options */
	return off;
}

static void ip4_done(struct fb *f, size_t off)
{
	set16(f, off + 2, (uint16_t)(f->n - off));
}

static size_t ip6(struct fb *f, uint8_t nh)
{
	size_t off = f->n;

	put8(f, 0x60); put8(f, 0); put16(f, 0);
	put16(f, 0);			/* payload length: ip6_done */
	put8(f, nh);
	put8(f, 64);
	put16(f, 0x2001); put16(f, 0x0db8); fill(f, 11, 0); put8(f, 1);
	put16(f, 0x2001); put16(f, 0x0db8); fill(f, 11, 0); put8(f, 2);
	return off;
}

static void ip6_done(struct fb *f, size_t off)
{
	set16(f, off + 4, (uint16_t)(f->n - off - 40));
}

/* Hop-by-hop, routing, destination options: 8 * (units + 1) bytes. */
static void ext(struct fb *f, uint8_t nh, uint8_t units)
{
	put8(f, nh);
	put8(f, units);
	fill(f, 6 + (size_t)units * 8, 0);
}

static void frag6(struct fb *f, uint8_t nh, uint16_t offset, int more)
{
	put8(f, nh);
	put8(f, 0);
	put16(f, (uint16_t)(offset << 3 | (more ? 1 : 0)));
	put16(f, 0xabcd); put16(f, 0x0001);
}

static void ah(struct fb *f, uint8_t nh, uint8_t len)
{
	put8(f, nh);
	put8(f, len);			/* (len + 2) * 4 bytes */
	fill(f, ((size_t)len + 2) * 4 - 2, 0);
}

static void tcp(struct fb *f, uint16_t sport, uint16_t dport, unsigned doff,
		uint8_t flags)
{
	put16(f, sport); put16(f, dport);
	put16(f, 0); put16(f, 1);	/* seq */
	put16(f, 0); put16(f, 0);	/* ack */
	put8(f, (uint8_t)(doff << 4));
	put8(f, flags);
	put16(f, 512); put16(f, 0); put16(f, 0);
}

static void udp(struct fb *f, uint16_t sport, uint16_t dport)
{
	put16(f, sport); put16(f, dport); put16(f, 8); put16(f, 0);
}

static void icmp(struct fb *f, uint8_t type, uint8_t code)
{
	put8(f, type); put8(f, code); put16(f, 0); put16(f, 1); put16(f, 1);
}

/*
 * Parse a copy of the frame in a buffer of exactly its length (so that a
 * read past len is a heap overflow under ASan), and also every prefix of
 * it: a prefix must never crash, and must never be accepted with more
 * transport bytes than it holds.
 */
static int parse(const struct fb *f, struct bw_view *v, enum bw_reason *r)
{
	uint8_t *copy;
	int ret;

	for (size_t n = 0; n < f->n; n++) {
		struct bw_view pv;
		enum bw_reason pr;

		copy = malloc(n ? n : 1);
		assert_non_null(copy);
		memcpy(copy, f->b, n);
		if (bw_view_parse(copy, n, &pv, &pr) == 0)
			assert_int_equal(pv.pkt_len, n);
		free(copy);
	}
	copy = malloc(f->n);
	assert_non_null(copy);
	memcpy(copy, f->b, f->n);
	*r = BW_REASON__MAX;
	ret = bw_view_parse(copy, f->n, v, r);
	free(copy);
	assert_int_equal(v->pkt_len, f->n);
	return ret;
}

static void expect_drop(const struct fb *f, enum bw_reason want)
{
	struct bw_view v;
	enum bw_reason r;

	assert_int_equal(parse(f, &v, &r), 1);
	assert_string_equal(bw_reason_name(r), bw_reason_name(want));
}

static void expect_ok(const struct fb *f, struct bw_view *v)
{
	enum bw_reason r;

	assert_int_equal(parse(f, v, &r), 0);
}

static uint16_t l4port(const struct bw_view *v, int off)
{
	return (uint16_t)(v->l4h[off] << 8 | v->l4h[off + 1]);
}

/* --- reasons ------------------------------------------------------------ */

static void test_reason_names(void **state)
{
	static const char *const want[BW_REASON__MAX] = {
		"eth-truncated", "vlan-depth", "ipv4-malformed",
		"ipv6-malformed", "ipv6-ext-depth", "fragment-bad",
		"l4-truncated", "tcp-malformed", "sctp-chunks",
	};

	for (int i = 0; i < BW_REASON__MAX; i++)
		assert_string_equal(bw_reason_name(i), want[i]);
	assert_string_equal(bw_reason_name(BW_REASON__MAX), "unknown");
}

/* --- Ethernet and VLAN -------------------------------------------------- */

static void test_eth_trunc(void **state)
{
	struct fb f;
	struct bw_view v;

	eth(&f, 0x0800);
	f.n = 13;
	expect_drop(&f, BW_REASON_ETH_TRUNC);
	f.n = 0;
	expect_drop(&f, BW_REASON_ETH_TRUNC);
	/* 14 bytes of IPv4 ethertype: an IPv4 header too short */
	f.n = 14;
	expect_drop(&f, BW_REASON_IP4_BAD);
	/* ARP: nothing parsed, no drop */
	eth(&f, 0x0806);
	fill(&f, 28, 0);
	expect_ok(&f, &v);
	assert_int_equal(v.l3, 0);
	assert_int_equal(v.l4proto, 0);
	assert_int_equal(v.nfproto, 0);
	assert_int_equal(v.ethertype, 0x0806);
	assert_int_equal(v.flags, 0);
	assert_memory_equal(v.eth, f.b, 14);
}

static void test_eth_ipv4_udp(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_UDP, 5, 0);
	udp(&f, 1234, 53);
	fill(&f, 10, 0xee);
	ip4_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.pkt_len, f.n);
	assert_int_equal(v.l3, 4);
	assert_int_equal(v.nfproto, 2);
	assert_int_equal(v.l4proto, IPPROTO_UDP);
	assert_int_equal(v.flags, BW_VIEW_L4);
	assert_int_equal(v.ethertype, 0x0800);
	assert_int_equal(v.vlan_tci, 0);
	assert_int_equal(v.mark, 0);
	assert_memory_equal(v.eth, f.b, 14);
	assert_memory_equal(v.l3h, f.b + ip, 20);
	assert_memory_equal(v.l4h, f.b + ip + 20, 8);
	for (int i = 8; i < 24; i++)
		assert_int_equal(v.l4h[i], 0);
	assert_int_equal(l4port(&v, 2), 53);
}

/* n tags, TPIDs alternating 802.1ad outside, 802.1Q inside. */
static void vlan_frame(struct fb *f, int n, uint16_t first_tci)
{
	size_t ip;

	eth(f, n ? 0x88a8 : 0x0800);
	for (int i = 0; i < n; i++)
		tag(f, i ? (uint16_t)(100 + i) : first_tci,
		    i + 1 < n ? 0x8100 : 0x0800);
	ip = ip4(f, IPPROTO_TCP, 5, 0);
	tcp(f, 40000, 22, 5, 0x02);
	ip4_done(f, ip);
}

static void test_vlan_stacks(void **state)
{
	struct fb f;
	struct bw_view v;

	for (int n = 1; n <= BW_VLAN_MAX; n++) {
		vlan_frame(&f, n, 0x2000 | 42);	/* pcp 1, vid 42 */
		expect_ok(&f, &v);
		assert_int_equal(v.flags, BW_VIEW_VLAN | BW_VIEW_L4);
		assert_int_equal(v.vlan_tci, 0x2000 | 42);
		assert_int_equal(v.ethertype, 0x0800);
		assert_int_equal(v.l3, 4);
		assert_int_equal(l4port(&v, 2), 22);
		/* eth[] is the outer header as on the wire */
		assert_int_equal(v.eth[12], 0x88);
		assert_int_equal(v.eth[13], 0xa8);
	}
	vlan_frame(&f, BW_VLAN_MAX + 1, 42);
	expect_drop(&f, BW_REASON_VLAN_DEPTH);
}

static void test_vlan_qinq_and_priority(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	/* QinQ 802.1ad / 802.1Q */
	eth(&f, 0x88a8);
	tag(&f, 7, 0x8100);
	tag(&f, 8, 0x86dd);
	ip = ip6(&f, IPPROTO_UDP);
	udp(&f, 1, 2);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.vlan_tci, 7);
	assert_int_equal(v.ethertype, 0x86dd);
	assert_int_equal(v.l3, 6);
	assert_int_equal(v.flags, BW_VIEW_VLAN | BW_VIEW_L4);

	/* priority tag (vid 0) is walked like any tag */
	eth(&f, 0x8100);
	tag(&f, 0xa000, 0x0800);
	ip = ip4(&f, IPPROTO_ICMP, 5, 0);
	icmp(&f, 8, 0);
	ip4_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.vlan_tci, 0xa000);
	assert_int_equal(v.flags, BW_VIEW_VLAN | BW_VIEW_L4 | BW_VIEW_ECHO);
	assert_int_equal(v.l4h[0], 8);

	/* 802.1Q tag then a non-IP protocol */
	eth(&f, 0x8100);
	tag(&f, 5, 0x0806);
	fill(&f, 28, 0);
	expect_ok(&f, &v);
	assert_int_equal(v.l3, 0);
	assert_int_equal(v.ethertype, 0x0806);
	assert_int_equal(v.flags, BW_VIEW_VLAN);
}

static void test_vlan_cut(void **state)
{
	struct fb f;

	eth(&f, 0x8100);
	put16(&f, 42);			/* TCI but no inner type */
	expect_drop(&f, BW_REASON_ETH_TRUNC);
	eth(&f, 0x8100);
	expect_drop(&f, BW_REASON_ETH_TRUNC);
	eth(&f, 0x8100);
	tag(&f, 1, 0x8100);
	put8(&f, 0);
	expect_drop(&f, BW_REASON_ETH_TRUNC);
	/* a fifth tag is too deep even when cut short */
	vlan_frame(&f, BW_VLAN_MAX, 1);
	set16(&f, 14 + 4 * (BW_VLAN_MAX - 1) + 2, 0x8100);
	f.n = 14 + 4 * BW_VLAN_MAX;
	expect_drop(&f, BW_REASON_VLAN_DEPTH);
}

/* --- IPv4 --------------------------------------------------------------- */

static void test_ip4_malformed(void **state)
{
	struct fb f;
	size_t ip;

	/* fewer than 20 bytes */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_TCP, 5, 0);
	ip4_done(&f, ip);
	f.n -= 1;
	expect_drop(&f, BW_REASON_IP4_BAD);
	/* version 6 in an IPv4 ethertype */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_UDP, 5, 0);
	udp(&f, 1, 2);
	ip4_done(&f, ip);
	f.b[ip] = 0x65;
	expect_drop(&f, BW_REASON_IP4_BAD);
	/* IHL 4 and 0 */
	for (unsigned ihl = 0; ihl < 5; ihl++) {
		f.b[ip] = (uint8_t)(0x40 | ihl);
		expect_drop(&f, BW_REASON_IP4_BAD);
	}
	f.b[ip] = 0x45;
	/* total length below the header length */
	set16(&f, ip + 2, 19);
	expect_drop(&f, BW_REASON_IP4_BAD);
	/* total length below IHL * 4 with options */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_UDP, 8, 0);
	udp(&f, 1, 2);
	ip4_done(&f, ip);
	set16(&f, ip + 2, 28);
	expect_drop(&f, BW_REASON_IP4_BAD);
	/* total length beyond the frame */
	ip4_done(&f, ip);
	set16(&f, ip + 2, (uint16_t)(f.n - ip + 1));
	expect_drop(&f, BW_REASON_IP4_BAD);
	/* IHL beyond the frame (and the total length) */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_UDP, 5, 0);
	f.b[ip] = 0x4f;
	ip4_done(&f, ip);
	expect_drop(&f, BW_REASON_IP4_BAD);
}

static void test_ip4_options(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	for (unsigned ihl = 5; ihl <= 15; ihl++) {
		eth(&f, 0x0800);
		ip = ip4(&f, IPPROTO_TCP, ihl, 0);
		tcp(&f, 1000, 443, 5, 0x12);
		ip4_done(&f, ip);
		expect_ok(&f, &v);
		assert_int_equal(v.l3, 4);
		assert_int_equal(v.flags, BW_VIEW_L4);
		assert_int_equal(v.l3h[0], 0x40 | ihl);
		/* options skipped: l3h is the fixed header, l4h the TCP one */
		assert_int_equal(v.l3h[12], 192);
		assert_int_equal(l4port(&v, 0), 1000);
		assert_int_equal(l4port(&v, 2), 443);
		assert_int_equal(v.l4h[13], 0x12);
		assert_memory_equal(v.l4h, f.b + ip + ihl * 4, 20);
	}
	/* options but the header alone fills the total length: no TCP */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_TCP, 15, 0);
	ip4_done(&f, ip);
	expect_drop(&f, BW_REASON_L4_TRUNC);
	/* unknown protocol with an empty payload is fine */
	f.b[ip + 9] = 253;	/* RFC 3692's (GRE has a header now) */
	expect_ok(&f, &v);
	assert_int_equal(v.l4proto, 253);
	assert_int_equal(v.flags, 0);
}

static void test_ip4_trailer(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	/* garbage after the total length is ignored */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_UDP, 5, 0);
	udp(&f, 7, 8);
	ip4_done(&f, ip);
	fill(&f, 30, 0xff);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_L4);
	assert_int_equal(l4port(&v, 2), 8);
	assert_int_equal(v.pkt_len, f.n);

	/* a transport header that ends beyond the total length is cut,
	 * even when the frame holds its bytes */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_TCP, 5, 0);
	tcp(&f, 1, 2, 5, 2);
	set16(&f, ip + 2, 20 + 19);
	expect_drop(&f, BW_REASON_L4_TRUNC);
	set16(&f, ip + 2, 20 + 20);
	expect_ok(&f, &v);
	/* UDP: 7 bytes inside the total length */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_UDP, 5, 0);
	udp(&f, 1, 2);
	fill(&f, 4, 0);
	set16(&f, ip + 2, 27);
	expect_drop(&f, BW_REASON_L4_TRUNC);
}

static void test_ip4_fragments(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	/* first fragment (MF, offset 0) with a whole TCP header */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_TCP, 5, 0x2000);
	tcp(&f, 5, 22, 5, 2);
	fill(&f, 8, 0);
	ip4_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_L4);
	assert_int_equal(l4port(&v, 2), 22);

	/* non-first fragment: no transport header, l4proto kept; the id
	 * for conntrack's fragment records */
	set16(&f, ip + 6, 0x2000 | 100);
	set16(&f, ip + 4, 0xbeef);
	expect_ok(&f, &v);
	assert_memory_equal(&v.frag_id, "\xbe\xef\0\0", 4);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
	assert_int_equal(v.l4proto, IPPROTO_TCP);
	for (int i = 0; i < 24; i++)
		assert_int_equal(v.l4h[i], 0);
	/* last fragment (no MF) */
	set16(&f, ip + 6, 100);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
	/* DF and the reserved bit do not make a fragment */
	set16(&f, ip + 6, 0x4000 | 0x8000);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_L4);

	/* TCP fragment at offset 1: dropped (RFC 1858) */
	set16(&f, ip + 6, 1);
	expect_drop(&f, BW_REASON_FRAG_BAD);
	set16(&f, ip + 6, 0x2001);
	expect_drop(&f, BW_REASON_FRAG_BAD);
	/* offset 1 of another protocol is an ordinary non-first fragment */
	f.b[ip + 9] = IPPROTO_UDP;
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
	/* offset 2 of TCP too */
	f.b[ip + 9] = IPPROTO_TCP;
	set16(&f, ip + 6, 2);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);

	/* tiny first fragments: TCP header cut at 16, UDP at 4 bytes */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_TCP, 5, 0x2000);
	fill(&f, 16, 0);
	ip4_done(&f, ip);
	expect_drop(&f, BW_REASON_L4_TRUNC);
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_UDP, 5, 0x2000);
	fill(&f, 4, 0);
	ip4_done(&f, ip);
	expect_drop(&f, BW_REASON_L4_TRUNC);
	/* the same bytes as a non-first fragment are fine */
	set16(&f, ip + 6, 0x2000 | 3);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
}

/* --- transport ---------------------------------------------------------- */

static void test_tcp_offsets(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	for (unsigned doff = 0; doff < 5; doff++) {
		eth(&f, 0x0800);
		ip = ip4(&f, IPPROTO_TCP, 5, 0);
		tcp(&f, 1, 2, doff, 2);
		ip4_done(&f, ip);
		expect_drop(&f, BW_REASON_TCP_BAD);
	}
	/* data offset 6 with a 4-byte option */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_TCP, 5, 0);
	tcp(&f, 1, 2, 6, 0x10);
	fill(&f, 4, 1);
	ip4_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_L4);
	assert_int_equal(v.l4h[12], 0x60);
	assert_int_equal(v.l4h[13], 0x10);
	/* TCP over IPv6 with data offset 1 */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_TCP);
	tcp(&f, 1, 2, 1, 2);
	ip6_done(&f, ip);
	expect_drop(&f, BW_REASON_TCP_BAD);
}

static void test_l4_truncated(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP };
	static const size_t need[] = { 20, 8, 8 };

	for (int i = 0; i < 3; i++) {
		for (size_t n = 0; n < need[i]; n++) {
			eth(&f, 0x0800);
			ip = ip4(&f, protos[i], 5, 0);
			fill(&f, n, 0x50);
			ip4_done(&f, ip);
			expect_drop(&f, BW_REASON_L4_TRUNC);
		}
		eth(&f, 0x0800);
		ip = ip4(&f, protos[i], 5, 0);
		fill(&f, need[i], 0x50);
		ip4_done(&f, ip);
		expect_ok(&f, &v);
		assert_int_equal(v.flags, BW_VIEW_L4);
	}
	/* ICMPv6 in IPv4 (nft's icmpv6 type in an ip table): cut short,
	 * its type byte alone, never dropped; nothing, no header */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_ICMPV6, 5, 0);
	fill(&f, 2, 0x86);
	ip4_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_L4);
	assert_int_equal(v.l4proto, IPPROTO_ICMPV6);
	assert_int_equal(v.l4h[0], 0x86);
	assert_int_equal(v.l4h[1], 0);
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_ICMPV6, 5, 0);
	ip4_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, 0);
	/* ICMPv6 cut short in IPv6 */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_ICMPV6);
	fill(&f, 7, 0);
	ip6_done(&f, ip);
	expect_drop(&f, BW_REASON_L4_TRUNC);
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_ICMPV6);
	icmp(&f, 128, 0);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_L4 | BW_VIEW_ECHO);
	assert_int_equal(v.l4proto, IPPROTO_ICMPV6);
	assert_int_equal(v.l4h[0], 128);
}

/* Echo requests and replies, and only they, have an id and a sequence. */
static void test_icmp_echo(void **state)
{
	static const struct {
		bool v6;
		uint8_t proto, type;
		bool echo;
	} cases[] = {
		{ false, IPPROTO_ICMP, 8, true },
		{ false, IPPROTO_ICMP, 0, true },
		{ false, IPPROTO_ICMP, 3, false },
		{ false, IPPROTO_ICMP, 128, false },
		{ false, IPPROTO_ICMP, 9, false },
		{ true, IPPROTO_ICMPV6, 128, true },
		{ true, IPPROTO_ICMPV6, 129, true },
		{ true, IPPROTO_ICMPV6, 8, false },
		{ true, IPPROTO_ICMPV6, 130, false },
		{ true, IPPROTO_ICMPV6, 1, false },
		/* ICMP in IPv6, ICMPv6 in IPv4: read as the other's */
		{ true, IPPROTO_ICMP, 8, true },
		{ true, IPPROTO_ICMP, 3, false },
		{ false, IPPROTO_ICMPV6, 128, true },
	};
	struct bw_view v;
	struct fb f;
	size_t ip;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		eth(&f, cases[i].v6 ? 0x86dd : 0x0800);
		ip = cases[i].v6 ? ip6(&f, cases[i].proto) :
		     ip4(&f, cases[i].proto, 5, 0);
		icmp(&f, cases[i].type, 0);
		if (cases[i].v6)
			ip6_done(&f, ip);
		else
			ip4_done(&f, ip);
		expect_ok(&f, &v);
		assert_int_equal(!!(v.flags & BW_VIEW_ECHO), cases[i].echo);
	}
	/* a non-first fragment's bytes are no header */
	eth(&f, 0x0800);
	ip = ip4(&f, IPPROTO_ICMP, 5, 0x0001);
	icmp(&f, 8, 0);
	ip4_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
}

/* --- IPv6 --------------------------------------------------------------- */

static void test_ip6_malformed(void **state)
{
	struct fb f;
	size_t ip;

	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_UDP);
	f.n = ip + 39;
	expect_drop(&f, BW_REASON_IP6_BAD);
	/* version 4 */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_UDP);
	udp(&f, 1, 2);
	ip6_done(&f, ip);
	f.b[ip] = 0x40;
	expect_drop(&f, BW_REASON_IP6_BAD);
	/* payload length beyond the frame */
	f.b[ip] = 0x60;
	set16(&f, ip + 4, 9);
	expect_drop(&f, BW_REASON_IP6_BAD);
	/* payload length shorter than the UDP header */
	set16(&f, ip + 4, 7);
	expect_drop(&f, BW_REASON_L4_TRUNC);
}

static void test_ip6_each_ext(void **state)
{
	static const uint8_t exts[] = {
		IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_FRAGMENT,
		IPPROTO_DSTOPTS,
	};
	struct fb f;
	struct bw_view v;
	size_t ip;

	for (size_t i = 0; i < sizeof(exts); i++) {
		eth(&f, 0x86dd);
		ip = ip6(&f, exts[i]);
		switch (exts[i]) {
		case IPPROTO_FRAGMENT:
			frag6(&f, IPPROTO_TCP, 0, 0);	/* atomic */
			break;
		default:
			ext(&f, IPPROTO_TCP, (uint8_t)i);
		}
		tcp(&f, 4000, 8080, 5, 0x18);
		ip6_done(&f, ip);
		expect_ok(&f, &v);
		assert_int_equal(v.l3, 6);
		assert_int_equal(v.nfproto, 10);
		assert_int_equal(v.l4proto, IPPROTO_TCP);
		/* the atomic fragment is an unfragmented packet */
		assert_int_equal(v.flags, BW_VIEW_L4);
		assert_int_equal(l4port(&v, 2), 8080);
		assert_int_equal(v.l3h[6], exts[i]);
		assert_memory_equal(v.l3h, f.b + ip, 40);

		/* each one cut short: inside the frame but beyond the
		 * payload length, and beyond the frame */
		f.n = ip + 40 + 4;
		ip6_done(&f, ip);
		expect_drop(&f, BW_REASON_IP6_BAD);
		f.n = ip + 40 + 1;
		ip6_done(&f, ip);
		expect_drop(&f, BW_REASON_IP6_BAD);
		f.n = ip + 40;
		ip6_done(&f, ip);
		expect_drop(&f, BW_REASON_IP6_BAD);
	}
	/* an extension header inside the frame, beyond the payload length */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_DSTOPTS);
	ext(&f, IPPROTO_UDP, 1);
	udp(&f, 1, 2);
	set16(&f, ip + 4, 15);
	expect_drop(&f, BW_REASON_IP6_BAD);
}

static void test_ip6_ext_depth(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	for (int n = 1; n <= BW_IP6_EXT_MAX + 1; n++) {
		eth(&f, 0x86dd);
		ip = ip6(&f, IPPROTO_DSTOPTS);
		for (int i = 0; i < n; i++)
			ext(&f, i + 1 < n ? IPPROTO_DSTOPTS : IPPROTO_UDP, 0);
		udp(&f, 9, 10);
		ip6_done(&f, ip);
		if (n <= BW_IP6_EXT_MAX) {
			expect_ok(&f, &v);
			assert_int_equal(v.l4proto, IPPROTO_UDP);
			assert_int_equal(l4port(&v, 2), 10);
		} else {
			expect_drop(&f, BW_REASON_IP6_EXT);
		}
	}
}

static void test_ip6_fragments(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	/* first fragment */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_FRAGMENT);
	frag6(&f, IPPROTO_UDP, 0, 1);
	udp(&f, 1, 53);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_L4);
	assert_int_equal(l4port(&v, 2), 53);
	/* tiny first fragment */
	f.n -= 4;
	ip6_done(&f, ip);
	expect_drop(&f, BW_REASON_L4_TRUNC);

	/* non-first fragments, with and without M */
	for (int more = 0; more < 2; more++) {
		eth(&f, 0x86dd);
		ip = ip6(&f, IPPROTO_HOPOPTS);
		ext(&f, IPPROTO_FRAGMENT, 0);
		frag6(&f, IPPROTO_TCP, 1, more);
		fill(&f, 3, 0);		/* not a header: no drop */
		ip6_done(&f, ip);
		expect_ok(&f, &v);
		assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
		assert_int_equal(v.l4proto, IPPROTO_TCP);
		assert_memory_equal(&v.frag_id, "\xab\xcd\0\1", 4);
	}
	/* a non-first fragment's payload is not walked as headers */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_FRAGMENT);
	frag6(&f, IPPROTO_DSTOPTS, 100, 1);
	fill(&f, 1, 0xff);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
	assert_int_equal(v.l4proto, IPPROTO_DSTOPTS);
	/* reserved bits alone: unfragmented */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_FRAGMENT);
	frag6(&f, IPPROTO_UDP, 0, 0);
	set16(&f, ip + 40 + 2, 0x0006);
	udp(&f, 1, 2);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.flags, BW_VIEW_L4);
}

static void test_ip6_upper_layers(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	/* no next header after a hop-by-hop header */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_HOPOPTS);
	ext(&f, 59, 0);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.l4proto, 59);
	assert_int_equal(v.flags, 0);
	assert_int_equal(v.exthdrs, BW_EXT_HBH);
	/* mobility is an upper layer, not walked: its first 6 bytes are
	 * read (mh fields), fewer are a header cut short */
	eth(&f, 0x86dd);
	ip = ip6(&f, 135);
	fill(&f, 6, 0);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.l4proto, 135);
	assert_int_equal(v.flags, BW_VIEW_L4);
	assert_int_equal(v.exthdrs, BW_EXT_MH);
	eth(&f, 0x86dd);
	ip = ip6(&f, 135);
	fill(&f, 2, 0);
	ip6_done(&f, ip);
	expect_drop(&f, BW_REASON_L4_TRUNC);
	/* every extension header in one packet, then ICMPv6 */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_HOPOPTS);
	ext(&f, IPPROTO_ROUTING, 2);
	ext(&f, IPPROTO_FRAGMENT, 0);
	frag6(&f, IPPROTO_DSTOPTS, 0, 0);
	ext(&f, IPPROTO_ICMPV6, 1);
	icmp(&f, 135, 0);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.l4proto, IPPROTO_ICMPV6);
	assert_int_equal(v.flags, BW_VIEW_L4);
	assert_int_equal(v.l4h[0], 135);
}

/* The walk stops at AH, as nf_tables' ipv6_find_hdr(IP6_FH_F_AUTH)
 * does: AH is the upper layer, what follows it is its payload. */
static void test_ip6_stops_at_ah(void **state)
{
	struct fb f;
	struct bw_view v;
	size_t ip;

	(void)state;
	/* TCP behind AH (after a hop-by-hop header): l4proto is AH, l4h
	 * holds AH's first 12 bytes, its offset is AH's */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_HOPOPTS);
	ext(&f, IPPROTO_AH, 0);
	ah(&f, IPPROTO_TCP, 4);
	tcp(&f, 4000, 8080, 5, 0x18);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.l4proto, IPPROTO_AH);
	assert_int_equal(v.flags, BW_VIEW_L4);
	assert_int_equal(v.l4off, ip + 40 + 8);
	assert_int_equal(v.l4h[0], IPPROTO_TCP);
	assert_int_equal(v.l4h[1], 4);
	assert_int_equal(v.exthdrs, BW_EXT_HBH);
	/* a first fragment, then AH: a fragment whose upper layer is AH */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_FRAGMENT);
	frag6(&f, IPPROTO_AH, 0, 1);
	ah(&f, IPPROTO_UDP, 1);
	udp(&f, 1, 2);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.l4proto, IPPROTO_AH);
	assert_int_equal(v.flags, BW_VIEW_L4 | BW_VIEW_FRAG);
	/* AH of 8 bytes (len 0) with nothing after it: cut short of the
	 * 12 bytes step 4 reads, as an IPv4 one is */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_AH);
	ah(&f, IPPROTO_NONE, 0);
	ip6_done(&f, ip);
	expect_drop(&f, BW_REASON_L4_TRUNC);
	/* AH after the eighth extension header is the upper layer, not a
	 * ninth one */
	eth(&f, 0x86dd);
	ip = ip6(&f, IPPROTO_DSTOPTS);
	for (int i = 0; i < BW_IP6_EXT_MAX - 1; i++)
		ext(&f, IPPROTO_DSTOPTS, 0);
	ext(&f, IPPROTO_AH, 0);
	ah(&f, IPPROTO_DSTOPTS, 1);
	for (int i = 0; i < BW_IP6_EXT_MAX + 1; i++)
		ext(&f, IPPROTO_DSTOPTS, 0);
	ip6_done(&f, ip);
	expect_ok(&f, &v);
	assert_int_equal(v.l4proto, IPPROTO_AH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reason_names),
		cmocka_unit_test(test_eth_trunc),
		cmocka_unit_test(test_eth_ipv4_udp),
		cmocka_unit_test(test_vlan_stacks),
		cmocka_unit_test(test_vlan_qinq_and_priority),
		cmocka_unit_test(test_vlan_cut),
		cmocka_unit_test(test_ip4_malformed),
		cmocka_unit_test(test_ip4_options),
		cmocka_unit_test(test_ip4_trailer),
		cmocka_unit_test(test_ip4_fragments),
		cmocka_unit_test(test_ip6_stops_at_ah),
		cmocka_unit_test(test_tcp_offsets),
		cmocka_unit_test(test_l4_truncated),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_ip6_malformed),
		cmocka_unit_test(test_ip6_each_ext),
		cmocka_unit_test(test_ip6_ext_depth),
		cmocka_unit_test(test_ip6_fragments),
		cmocka_unit_test(test_ip6_upper_layers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
