// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet builder tests: defaults, every field of the fields table, lengths,
 * checksums (verified here with an independent one's-complement sum) and
 * a round trip through the reference parser; contradictions are errors at
 * the field that contradicts.
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

#include "compiler/interp/pktbuild.h"
#include "compiler/front/view.h"
#include "compiler/front/srh.h"

struct pkt {
	struct bw_pkt_spec spec;
	struct bw_pkt_field f[BW_F__MAX + 2];
	uint8_t buf[BW_PKT_MAX];
	int len;
	struct bw_diags d;
	struct bw_view v;
};

static void be(uint8_t *out, unsigned n, uint64_t x)
{
	for (int i = (int)n - 1; i >= 0; i--) {
		out[i] = (uint8_t)x;
		x >>= 8;
	}
}

static struct pkt *pkt_new(void)
{
	struct pkt *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	p->spec.field = p->f;
	bw_diags_init(&p->d);
	return p;
}

static void pkt_free(struct pkt *p)
{
	bw_diags_fini(&p->d);
	free(p);
}

/* Field i of the spec is on column 10 * i + 1 of line 1. */
static struct bw_pkt_field *add(struct pkt *p, enum bw_field_id id)
{
	struct bw_pkt_field *f = &p->f[p->spec.nfield];

	f->field = id;
	f->loc.line = f->loc.end_line = 1;
	f->loc.col = 10 * p->spec.nfield + 1;
	f->loc.end_col = f->loc.col + 5;
	p->spec.nfield++;
	return f;
}

static void num(struct pkt *p, enum bw_field_id id, uint64_t x)
{
	be(add(p, id)->val, bw_field(id)->size, x);
}

static void addr(struct pkt *p, enum bw_field_id id, const char *a)
{
	assert_int_equal(inet_pton(bw_field(id)->size == 4 ? AF_INET : AF_INET6,
				   a, add(p, id)->val), 1);
}

/* Build, expect success, parse it back. */
static void build_ok(struct pkt *p)
{
	enum bw_reason r;

	p->len = bw_pkt_build(&p->spec, p->buf, sizeof(p->buf), &p->d);
	if (p->len < 0)
		bw_diags_print(&p->d, stderr);
	assert_true(p->len > 0);
	assert_int_equal(p->d.nerrors, 0);
	assert_int_equal(bw_view_parse(p->buf, (size_t)p->len, &p->v, &r), 0);
}

/* Build, expect an error at spec field `at`. */
static void build_err(struct pkt *p, uint32_t at)
{
	p->len = bw_pkt_build(&p->spec, p->buf, sizeof(p->buf), &p->d);
	assert_int_equal(p->len, -EINVAL);
	assert_int_equal(p->d.nerrors, 1);
	assert_non_null(p->d.head);
	assert_non_null(p->d.head->msg);
	assert_int_equal(p->d.head->loc.col, 10 * at + 1);
}

/* --- independent checksum verification -------------------------------- */

/* One's-complement sum of n bytes plus extra, folded: 0xffff when the
 * checksum inside the bytes is right. */
static unsigned ocsum(const uint8_t *b, size_t n, uint64_t extra)
{
	uint64_t s = extra;

	for (size_t i = 0; i < n; i++)
		s += (i & 1) ? b[i] : (uint64_t)b[i] << 8;
	while (s > 0xffff)
		s = (s >> 16) + (s & 0xffff);
	return (unsigned)s;
}

static uint16_t rd16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* Check the IP and transport checksums and lengths of a built frame,
 * where the parser found them (options and extension headers skipped). */
static void check_sums(const struct pkt *p)
{
	const uint8_t *ip = p->buf + p->v.l3off;
	size_t end, seg;
	uint64_t pseudo = 0;

	if (p->v.l3 == 4) {
		end = p->v.l3off + rd16(ip + 2);
		assert_int_equal(ocsum(ip, (ip[0] & 0xfu) * 4, 0), 0xffff);
		for (int i = 12; i < 20; i += 2)
			pseudo += rd16(ip + i);
	} else if (p->v.l3 == 6) {
		end = p->v.l3off + 40 + rd16(ip + 4);
		for (int i = 8; i < 40; i += 2)
			pseudo += rd16(ip + i);
	} else {
		return;
	}
	assert_true(end <= (size_t)p->len);
	if (!(p->v.flags & BW_VIEW_L4))
		return;
	seg = end - p->v.l4off;
	pseudo += p->v.l4proto + seg;
	switch (p->v.l4proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_ICMPV6:
		assert_int_equal(ocsum(p->buf + p->v.l4off, seg, pseudo), 0xffff);
		break;
	case IPPROTO_ICMP:
		assert_int_equal(ocsum(p->buf + p->v.l4off, seg, 0), 0xffff);
		break;
	}
	if (p->v.l4proto == IPPROTO_UDP)
		assert_int_equal(rd16(p->buf + p->v.l4off + 4), seg);
}

/* A packet word, on column 10 * (its index in bw_pkt_word) + 501. */
static void word(struct pkt *p, enum bw_pkt_word w, uint32_t val)
{
	p->spec.word[w].given = true;
	p->spec.word[w].val = val;
	p->spec.word[w].loc.line = p->spec.word[w].loc.end_line = 1;
	p->spec.word[w].loc.col = 10 * (unsigned)w + 501;
	p->spec.word[w].loc.end_col = p->spec.word[w].loc.col + 5;
}

static void exthdrs(struct pkt *p, const uint8_t *types, unsigned n)
{
	memcpy(p->spec.exthdr, types, n);
	word(p, BW_PW_EXTHDR, n);
}

/* Build, expect an error at packet word w. */
static void build_err_word(struct pkt *p, enum bw_pkt_word w)
{
	p->len = bw_pkt_build(&p->spec, p->buf, sizeof(p->buf), &p->d);
	assert_int_equal(p->len, -EINVAL);
	assert_int_equal(p->d.nerrors, 1);
	assert_int_equal(p->d.head->loc.col, 10 * (unsigned)w + 501);
}

/* Build, expect the parser to drop the frame for reason want. */
static void build_malformed(struct pkt *p, enum bw_reason want)
{
	enum bw_reason r;

	p->len = bw_pkt_build(&p->spec, p->buf, sizeof(p->buf), &p->d);
	if (p->len < 0)
		bw_diags_print(&p->d, stderr);
	assert_true(p->len > 0);
	assert_int_equal(bw_view_parse(p->buf, (size_t)p->len, &p->v, &r), 1);
	assert_int_equal(r, want);
}

/* --- tests -------------------------------------------------------------- */

static void test_defaults(void **state)
{
	static const uint8_t frame[54] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
		0x45, 0, 0, 40, 0, 0, 0, 0, 64, 6, 0, 0,
		192, 0, 2, 1, 192, 0, 2, 2,
		0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0,
		0x50, 0x02, 0xfa, 0xf0, 0, 0, 0, 0,
	};
	struct pkt *p = pkt_new();
	uint8_t copy[54];

	build_ok(p);
	assert_int_equal(p->len, 54);
	check_sums(p);
	/* all but the two checksums as written out above */
	memcpy(copy, p->buf, 54);
	memset(copy + 24, 0, 2);
	memset(copy + 50, 0, 2);
	assert_memory_equal(copy, frame, 54);
	assert_int_equal(p->v.l3, 4);
	assert_int_equal(p->v.l4proto, IPPROTO_TCP);
	assert_int_equal(p->v.flags, BW_VIEW_L4);
	pkt_free(p);
}

static void test_transports(void **state)
{
	struct pkt *p;

	/* udp: only sport given, dport defaults to 53 */
	p = pkt_new();
	num(p, BW_F_UDP_SPORT, 5353);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 14 + 20 + 8);
	assert_int_equal(p->v.l4proto, IPPROTO_UDP);
	assert_int_equal(rd16(p->v.l4h), 5353);
	assert_int_equal(rd16(p->v.l4h + 2), 53);
	pkt_free(p);

	/* icmp: echo-request by default */
	p = pkt_new();
	num(p, BW_F_ICMP_CODE, 0);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->v.l4proto, IPPROTO_ICMP);
	assert_int_equal(p->v.l4h[0], 8);
	pkt_free(p);

	/* icmpv6 makes an IPv6 packet; echo-request 128 by default */
	p = pkt_new();
	num(p, BW_F_ICMP6_CODE, 3);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->v.l3, 6);
	assert_int_equal(p->v.l4proto, IPPROTO_ICMPV6);
	assert_int_equal(p->v.l4h[0], 128);
	assert_int_equal(p->v.l4h[1], 3);
	assert_int_equal(p->len, 14 + 40 + 8);
	pkt_free(p);

	/* meta l4proto udp alone: a default UDP header */
	p = pkt_new();
	num(p, BW_F_META_L4PROTO, IPPROTO_UDP);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->v.l4proto, IPPROTO_UDP);
	assert_int_equal(p->v.flags, BW_VIEW_L4);
	pkt_free(p);

	/* ip protocol 253 (RFC 3692's): an IP packet with an empty payload */
	p = pkt_new();
	num(p, BW_F_IP_PROTOCOL, 253);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 34);
	assert_int_equal(p->v.l4proto, 253);
	assert_int_equal(p->v.flags, 0);
	pkt_free(p);

	/* ip protocol gre: GRE's first 4 bytes (zeros: version 0) */
	p = pkt_new();
	num(p, BW_F_IP_PROTOCOL, 47);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 38);
	assert_int_equal(p->v.l4proto, 47);
	assert_int_equal(p->v.flags, BW_VIEW_L4);
	pkt_free(p);

	/* ip6 nexthdr udp and udp dport agree */
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, IPPROTO_UDP);
	num(p, BW_F_UDP_DPORT, 123);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->v.l3, 6);
	assert_int_equal(rd16(p->v.l4h + 2), 123);
	pkt_free(p);

	/* meta l4proto icmp in IPv6: protocol 1, no ICMPv4 header */
	p = pkt_new();
	addr(p, BW_F_IP6_DADDR, "2001:db8::9");
	num(p, BW_F_META_L4PROTO, IPPROTO_ICMP);
	build_ok(p);
	assert_int_equal(p->len, 54);
	assert_int_equal(p->v.l4proto, IPPROTO_ICMP);
	assert_int_equal(p->v.flags, 0);
	pkt_free(p);
}

/* Every field set to a non-default value comes back through the parser. */
static void test_every_field_v4(void **state)
{
	struct pkt *p = pkt_new();

	num(p, BW_F_META_NFPROTO, 2);
	num(p, BW_F_META_L4PROTO, IPPROTO_TCP);
	num(p, BW_F_META_PKTLEN, 120 - 14);	/* from the IP header */
	num(p, BW_F_ETHER_DADDR, 0x0a0b0c0d0e0f);
	num(p, BW_F_ETHER_SADDR, 0x021122334455);
	num(p, BW_F_ETHER_TYPE, 0x0800);
	num(p, BW_F_IP_VERSION, 4);
	num(p, BW_F_IP_DSCP, 46);
	num(p, BW_F_IP_TTL, 3);
	num(p, BW_F_IP_PROTOCOL, IPPROTO_TCP);
	addr(p, BW_F_IP_SADDR, "198.51.100.7");
	addr(p, BW_F_IP_DADDR, "203.0.113.9");
	num(p, BW_F_TCP_SPORT, 1);
	num(p, BW_F_TCP_DPORT, 65535);
	num(p, BW_F_TCP_FLAGS, 0x12);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 120);
	assert_int_equal(p->v.pkt_len, 120);
	assert_int_equal(p->v.nfproto, 2);
	assert_int_equal(p->v.l4proto, IPPROTO_TCP);
	assert_memory_equal(p->v.eth, "\x0a\x0b\x0c\x0d\x0e\x0f\x02\x11\x22\x33\x44\x55\x08\x00", 14);
	assert_int_equal(p->v.ethertype, 0x0800);
	assert_int_equal(p->v.l3h[0] >> 4, 4);
	assert_int_equal(p->v.l3h[1] >> 2, 46);
	assert_int_equal(rd16(p->v.l3h + 2), 120 - 14);
	assert_int_equal(p->v.l3h[8], 3);
	assert_memory_equal(p->v.l3h + 12, "\xc6\x33\x64\x07\xcb\x00\x71\x09", 8);
	assert_int_equal(rd16(p->v.l4h), 1);
	assert_int_equal(rd16(p->v.l4h + 2), 65535);
	assert_int_equal(p->v.l4h[13], 0x12);
	pkt_free(p);
}

static void test_every_field_v6(void **state)
{
	struct pkt *p = pkt_new();

	num(p, BW_F_META_NFPROTO, 10);
	num(p, BW_F_ETHER_TYPE, 0x86dd);
	num(p, BW_F_IP6_NEXTHDR, IPPROTO_ICMPV6);
	num(p, BW_F_IP6_HOPLIMIT, 255);
	addr(p, BW_F_IP6_SADDR, "2001:db8::a");
	addr(p, BW_F_IP6_DADDR, "2001:db8:ffff::b");
	num(p, BW_F_ICMP6_TYPE, 135);
	num(p, BW_F_ICMP6_CODE, 0);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->v.l3, 6);
	assert_int_equal(p->v.nfproto, 10);
	assert_int_equal(p->v.l3h[6], IPPROTO_ICMPV6);
	assert_int_equal(p->v.l3h[7], 255);
	assert_int_equal(p->v.l3h[8 + 15], 0xa);
	assert_int_equal(p->v.l3h[24 + 5], 0xff);
	assert_int_equal(p->v.l4h[0], 135);
	pkt_free(p);

	/* TCP and UDP over IPv6 */
	p = pkt_new();
	addr(p, BW_F_IP6_SADDR, "2001:db8::1:2");
	num(p, BW_F_TCP_FLAGS, 0x01);
	num(p, BW_F_META_PKTLEN, 101 - 14);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 101);
	assert_int_equal(p->v.l4h[13], 0x01);
	pkt_free(p);
	p = pkt_new();
	addr(p, BW_F_IP6_SADDR, "2001:db8::1:2");
	num(p, BW_F_UDP_DPORT, 0);
	num(p, BW_F_META_PKTLEN, 77 - 14);
	build_ok(p);
	check_sums(p);
	pkt_free(p);
}

static void test_non_ip(void **state)
{
	struct pkt *p = pkt_new();

	num(p, BW_F_ETHER_TYPE, 0x0806);
	num(p, BW_F_ETHER_SADDR, 0x02000000aaaa);
	num(p, BW_F_META_PKTLEN, 60 - 14);
	build_ok(p);
	assert_int_equal(p->len, 60);
	assert_int_equal(p->v.l3, 0);
	assert_int_equal(p->v.ethertype, 0x0806);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_ETHER_TYPE, 0x88cc);
	build_ok(p);
	assert_int_equal(p->len, 14);
	pkt_free(p);
}

static void test_lengths(void **state)
{
	enum bw_reason r;
	struct pkt *p;

	/* ip length: the payload grows */
	p = pkt_new();
	num(p, BW_F_IP_LENGTH, 60);
	num(p, BW_F_UDP_DPORT, 9);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 74);
	assert_int_equal(rd16(p->v.l3h + 2), 60);
	pkt_free(p);
	/* ip length and a longer meta length: bytes trail the IP packet */
	p = pkt_new();
	num(p, BW_F_IP_LENGTH, 40);
	num(p, BW_F_META_PKTLEN, 64 - 14);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 64);
	assert_int_equal(rd16(p->v.l3h + 2), 40);
	pkt_free(p);
	/* exactly the headers */
	p = pkt_new();
	num(p, BW_F_META_PKTLEN, 54 - 14);
	num(p, BW_F_IP_LENGTH, 40);
	build_ok(p);
	pkt_free(p);
	/* shorter than the headers: written as given, the headers are
	 * still whole (the transport header is cut short by the length) */
	p = pkt_new();
	num(p, BW_F_IP_TTL, 1);
	num(p, BW_F_IP_LENGTH, 39);
	p->len = bw_pkt_build(&p->spec, p->buf, sizeof(p->buf), &p->d);
	assert_int_equal(p->len, 54);
	assert_int_equal(rd16(p->buf + 14 + 2), 39);
	assert_int_equal(bw_view_parse(p->buf, (size_t)p->len, &p->v, &r), 1);
	assert_int_equal(r, BW_REASON_L4_TRUNC);
	pkt_free(p);
	/* too short / too long */
	p = pkt_new();
	num(p, BW_F_META_PKTLEN, 53 - 14);
	build_err(p, 0);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_IP_LENGTH, 40);
	num(p, BW_F_META_PKTLEN, 53 - 14);
	build_err(p, 1);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_META_PKTLEN, BW_PKT_MAX + 1 - 14);
	build_err(p, 0);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_IP_LENGTH, 65535);
	build_err(p, 0);
	pkt_free(p);
	/* a large buffer, but more than an IP length can say */
	p = pkt_new();
	{
		static uint8_t big[70000];

		num(p, BW_F_META_PKTLEN, 20 + 65536);
		assert_int_equal(bw_pkt_build(&p->spec, big, sizeof(big), &p->d), -EINVAL);
		assert_int_equal(p->d.nerrors, 1);
		pkt_free(p);
		p = pkt_new();
		num(p, BW_F_META_PKTLEN, 65535);
		assert_int_equal(bw_pkt_build(&p->spec, big, sizeof(big), &p->d), 14 + 65535);
		assert_int_equal(rd16(big + 14 + 2), 65535);
	}
	pkt_free(p);
	/* the buffer given is too small */
	p = pkt_new();
	assert_int_equal(bw_pkt_build(&p->spec, p->buf, 53, &p->d), -EINVAL);
	assert_int_equal(p->d.nerrors, 1);
	assert_int_equal(bw_pkt_build(&p->spec, p->buf, 54, &p->d), 54);
	pkt_free(p);
}

static void test_contradictions(void **state)
{
	static const struct {
		enum bw_field_id a, b;
		uint64_t va, vb;
	} cases[] = {
		{ BW_F_IP_TTL, BW_F_IP6_HOPLIMIT, 1, 1 },
		{ BW_F_IP6_HOPLIMIT, BW_F_IP_DSCP, 1, 1 },
		{ BW_F_TCP_DPORT, BW_F_UDP_DPORT, 1, 1 },
		{ BW_F_UDP_SPORT, BW_F_TCP_FLAGS, 1, 2 },
		{ BW_F_ICMP_TYPE, BW_F_TCP_SPORT, 8, 1 },
		{ BW_F_ICMP_TYPE, BW_F_ICMP6_TYPE, 8, 128 },
		{ BW_F_IP6_NEXTHDR, BW_F_ICMP_CODE, 58, 0 },
		{ BW_F_IP_PROTOCOL, BW_F_TCP_DPORT, IPPROTO_UDP, 22 },
		{ BW_F_TCP_DPORT, BW_F_META_L4PROTO, 22, IPPROTO_UDP },
		{ BW_F_META_L4PROTO, BW_F_IP_PROTOCOL, IPPROTO_UDP, IPPROTO_TCP },
		{ BW_F_META_NFPROTO, BW_F_IP_TTL, 10, 1 },
		{ BW_F_IP_SADDR, BW_F_META_NFPROTO, 1, 10 },
		{ BW_F_ETHER_TYPE, BW_F_IP_TTL, 0x0806, 1 },
		{ BW_F_ETHER_TYPE, BW_F_TCP_DPORT, 0x0806, 1 },
		{ BW_F_ETHER_TYPE, BW_F_META_L4PROTO, 0x0806, 6 },
		{ BW_F_ETHER_TYPE, BW_F_IP6_SADDR, 0x0800, 1 },
		{ BW_F_UDP_DPORT, BW_F_ETHER_TYPE, 1, 0x0806 },
		{ BW_F_IP_DADDR, BW_F_ETHER_TYPE, 1, 0x86dd },
		{ BW_F_TCP_DPORT, BW_F_TCP_DPORT, 1, 2 },
		/* ether type is the frame's own: not IP under a tag */
		{ BW_F_VLAN_ID, BW_F_ETHER_TYPE, 1, 0x0800 },
		{ BW_F_VLAN_TYPE, BW_F_IP6_SADDR, 0x0800, 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pkt *p = pkt_new();

		num(p, BW_F_ETHER_SADDR, 0x020000000001);	/* harmless */
		num(p, cases[i].a, cases[i].va);
		num(p, cases[i].b, cases[i].vb);
		build_err(p, 2);
		pkt_free(p);
	}
	/* values the builder cannot make */
	struct pkt *p = pkt_new();

	num(p, BW_F_META_NFPROTO, 7);
	build_err(p, 0);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_VLAN_TYPE, 0x8100);	/* a second tag: packet vlans */
	build_err(p, 0);
	pkt_free(p);
	/* no diags: the error is still returned */
	p = pkt_new();
	num(p, BW_F_TCP_DPORT, 1);
	num(p, BW_F_UDP_DPORT, 1);
	assert_int_equal(bw_pkt_build(&p->spec, p->buf, sizeof(p->buf), NULL), -EINVAL);
	pkt_free(p);
}

/* The fields added for malformed packets: IPv4 and TCP with options. */
static void test_header_fields_v4(void **state)
{
	static const uint8_t ip_opts[8] = { 1, 1, 1, 1, 1, 1, 1, 0 };
	struct pkt *p = pkt_new();

	num(p, BW_F_IP_ID, 0x1234);
	num(p, BW_F_IP_FRAGOFF, 0x2000);	/* MF: a first fragment */
	num(p, BW_F_IP_HDRLENGTH, 7);
	num(p, BW_F_IP_ECN, 3);
	num(p, BW_F_IP_DSCP, 46);
	num(p, BW_F_TCP_SEQUENCE, 0xdeadbeef);
	num(p, BW_F_TCP_ACKSEQ, 7);
	num(p, BW_F_TCP_WINDOW, 1000);
	num(p, BW_F_TCP_DOFF, 8);
	num(p, BW_F_TCP_URGPTR, 9);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 14 + 28 + 32);
	assert_int_equal(p->v.l3h[0], 0x47);
	assert_int_equal(p->v.l3h[1], 46 << 2 | 3);
	assert_int_equal(rd16(p->v.l3h + 4), 0x1234);
	assert_int_equal(rd16(p->v.l3h + 6), 0x2000);
	assert_memory_equal(p->buf + 14 + 20, ip_opts, 8);
	assert_int_equal(p->v.flags, BW_VIEW_L4 | BW_VIEW_FRAG);
	assert_int_equal(p->v.l4off, 14 + 28);
	assert_int_equal((uint32_t)rd16(p->v.l4h + 4) << 16 | rd16(p->v.l4h + 6), 0xdeadbeef);
	assert_int_equal(rd16(p->v.l4h + 10), 7);
	assert_int_equal(p->v.l4h[12], 0x80);
	assert_int_equal(rd16(p->v.l4h + 14), 1000);
	assert_int_equal(rd16(p->v.l4h + 18), 9);
	for (int i = 20; i < 32; i++)
		assert_int_equal(p->buf[14 + 28 + i], i == 31 ? 0 : 1);
	pkt_free(p);

	/* a non-first fragment: the transport bytes are still written */
	p = pkt_new();
	num(p, BW_F_IP_FRAGOFF, 0x0003);
	num(p, BW_F_TCP_DPORT, 22);
	build_ok(p);
	assert_int_equal(p->v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
	assert_int_equal(p->v.l4proto, IPPROTO_TCP);
	assert_int_equal(rd16(p->buf + 14 + 20 + 2), 22);
	pkt_free(p);

	/* below 5: the field as given, the header 20 bytes all the same */
	p = pkt_new();
	num(p, BW_F_IP_HDRLENGTH, 4);
	build_malformed(p, BW_REASON_IP4_BAD);
	assert_int_equal(p->len, 54);
	assert_int_equal(p->buf[14], 0x44);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_TCP_DOFF, 4);
	build_malformed(p, BW_REASON_TCP_BAD);
	assert_int_equal(p->len, 54);
	pkt_free(p);
}

static void test_header_fields_other(void **state)
{
	struct pkt *p = pkt_new();

	num(p, BW_F_IP6_FLOWLABEL, 0xabcde);
	num(p, BW_F_IP6_LENGTH, 30);
	num(p, BW_F_UDP_LENGTH, 99);
	build_ok(p);
	assert_int_equal(p->len, 14 + 40 + 30);
	assert_memory_equal(p->v.l3h, "\x60\x0a\xbc\xde", 4);
	assert_int_equal(rd16(p->v.l3h + 4), 30);
	assert_int_equal(rd16(p->v.l4h + 4), 99);
	pkt_free(p);

	p = pkt_new();
	num(p, BW_F_ICMP_ID, 7);
	num(p, BW_F_ICMP_SEQUENCE, 9);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->v.l4h[0], 8);
	assert_int_equal(rd16(p->v.l4h + 4), 7);
	assert_int_equal(rd16(p->v.l4h + 6), 9);
	assert_int_equal(p->v.flags, BW_VIEW_L4 | BW_VIEW_ECHO);
	pkt_free(p);

	p = pkt_new();
	num(p, BW_F_ICMP6_TYPE, 129);
	num(p, BW_F_ICMP6_SEQUENCE, 0xffff);
	build_ok(p);
	check_sums(p);
	assert_int_equal(rd16(p->v.l4h + 4), 1);
	assert_int_equal(rd16(p->v.l4h + 6), 0xffff);
	pkt_free(p);

	/* id and sequence exist in echo requests and replies only */
	p = pkt_new();
	num(p, BW_F_ICMP_ID, 7);
	num(p, BW_F_ICMP_TYPE, 3);
	build_err(p, 0);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_ICMP6_TYPE, 1);
	num(p, BW_F_ICMP6_SEQUENCE, 7);
	build_err(p, 1);
	pkt_free(p);
}

static void test_ip6_exthdrs(void **state)
{
	static const uint8_t all[5] = { 0, 43, 44, 60, 51 };
	static const uint8_t nine[9] = { 60, 60, 60, 60, 60, 60, 60, 60, 60 };
	struct pkt *p = pkt_new();

	/* ip6 nexthdr hopopt: that header, then the transport */
	num(p, BW_F_IP6_NEXTHDR, 0);
	num(p, BW_F_UDP_DPORT, 53);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 14 + 40 + 8 + 8);
	assert_int_equal(p->v.l3h[6], 0);
	assert_int_equal(p->buf[54], IPPROTO_UDP);
	assert_int_equal(p->v.l4proto, IPPROTO_UDP);
	assert_int_equal(p->v.l4off, 14 + 48);
	pkt_free(p);

	/* every kind in a chain; an atomic fragment is no fragment; the
	 * TCP header is built after AH, where the view's walk stops (AH
	 * is its upper layer, as nf_tables' is) */
	p = pkt_new();
	exthdrs(p, all, 5);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 14 + 40 + 56 + 20);
	assert_int_equal(p->v.l3h[6], 0);
	assert_int_equal(p->buf[14 + 40 + 32], IPPROTO_TCP);
	assert_int_equal(p->v.l4proto, IPPROTO_AH);
	assert_int_equal(p->v.l4off, 14 + 40 + 32);
	assert_int_equal(p->v.flags, BW_VIEW_L4);
	assert_int_equal(rd16(p->v.l3h + 4), 56 + 20);
	pkt_free(p);

	/* with ip6 nexthdr naming the first */
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, 0);
	num(p, BW_F_META_L4PROTO, 59);
	exthdrs(p, all, 2);
	build_ok(p);
	assert_int_equal(p->len, 14 + 40 + 16);
	assert_int_equal(p->v.l4proto, 59);
	pkt_free(p);

	/* eight are walked, the ninth is too many */
	p = pkt_new();
	exthdrs(p, nine, 8);
	build_ok(p);
	check_sums(p);
	pkt_free(p);
	p = pkt_new();
	exthdrs(p, nine, 9);
	build_malformed(p, BW_REASON_IP6_EXT);
	pkt_free(p);

	/* fragments: a first one, a later one */
	p = pkt_new();
	exthdrs(p, all + 2, 1);
	word(p, BW_PW_MF, 1);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->v.flags, BW_VIEW_L4 | BW_VIEW_FRAG);
	assert_int_equal(rd16(p->buf + 54 + 2), 1);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, 44);
	num(p, BW_F_TCP_DPORT, 22);
	word(p, BW_PW_FRAGOFF, 8191);
	build_ok(p);
	assert_int_equal(p->v.flags, BW_VIEW_FRAG | BW_VIEW_LATER);
	assert_int_equal(p->v.l4proto, IPPROTO_TCP);
	assert_int_equal(rd16(p->buf + 54 + 2), 8191 << 3);
	pkt_free(p);

	/* an extension header cut short by the payload length */
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, 60);
	num(p, BW_F_IP6_LENGTH, 7);
	build_malformed(p, BW_REASON_IP6_BAD);
	pkt_free(p);
	/* ip6 nexthdr ah: AH is the upper layer (12 bytes), its fields
	 * given; cut short of 12 bytes it is l4-truncated */
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, 51);
	num(p, BW_F_AH_SPI, 0x1234);
	build_ok(p);
	assert_int_equal(p->len, 14 + 40 + 12);
	assert_int_equal(p->v.l4proto, IPPROTO_AH);
	assert_int_equal(p->v.flags, BW_VIEW_L4);
	assert_int_equal(rd16(p->buf + 54 + 6), 0x1234);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, 51);
	num(p, BW_F_IP6_LENGTH, 11);
	build_malformed(p, BW_REASON_L4_TRUNC);
	pkt_free(p);

	/* contradictions, each at the word */
	p = pkt_new();
	num(p, BW_F_IP_TTL, 3);
	exthdrs(p, all, 1);
	build_err_word(p, BW_PW_EXTHDR);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, IPPROTO_TCP);
	exthdrs(p, all, 1);
	build_err_word(p, BW_PW_EXTHDR);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_IP6_NEXTHDR, 43);
	exthdrs(p, all, 1);
	build_err_word(p, BW_PW_EXTHDR);
	pkt_free(p);
	p = pkt_new();
	exthdrs(p, all, 2);
	word(p, BW_PW_FRAGOFF, 1);
	build_err_word(p, BW_PW_FRAGOFF);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_UDP_DPORT, 1);
	word(p, BW_PW_MF, 1);
	build_err_word(p, BW_PW_MF);
	pkt_free(p);
}

static void test_frame_words(void **state)
{
	static const uint8_t tags[14] = { 0x88, 0xa8, 0, 5, 0x88, 0xa8, 0, 1,
					  0x81, 0x00, 0, 2, 0x08, 0x00 };
	struct pkt *p = pkt_new();

	/* truncate: the whole packet's lengths, then cut */
	word(p, BW_PW_TRUNCATE, 40);
	build_malformed(p, BW_REASON_IP4_BAD);
	assert_int_equal(p->len, 40);
	assert_int_equal(rd16(p->buf + 14 + 2), 40);
	pkt_free(p);
	p = pkt_new();
	word(p, BW_PW_TRUNCATE, 54);
	build_err_word(p, BW_PW_TRUNCATE);
	pkt_free(p);

	/* trailer: garbage no IP length counts */
	p = pkt_new();
	num(p, BW_F_UDP_DPORT, 9);
	word(p, BW_PW_TRAILER, 6);
	build_ok(p);
	check_sums(p);
	assert_int_equal(p->len, 14 + 28 + 6);
	assert_int_equal(rd16(p->v.l3h + 2), 28);
	assert_memory_equal(p->buf + 42, "\xde\xad\xbe\xef\xde\xad", 6);
	assert_int_equal(p->v.l3len, 28 + 6);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_META_PKTLEN, 60);
	word(p, BW_PW_TRAILER, 6);
	build_err_word(p, BW_PW_TRAILER);
	pkt_free(p);

	/* vlans: a stack, the first tag from the fields */
	p = pkt_new();
	num(p, BW_F_VLAN_ID, 5);
	word(p, BW_PW_VLANS, 3);
	build_ok(p);
	check_sums(p);
	assert_memory_equal(p->buf + 12, tags, sizeof(tags));
	assert_int_equal(p->v.vlan_tci, 5);
	assert_int_equal(p->v.vlan_type, 0x88a8);	/* the second tag */
	assert_int_equal(p->v.l3off, 26);
	pkt_free(p);
	/* ether type is the frame's own: a tag's TPID, or no tag at all;
	 * vlan type the EtherType inside one tag; packet inner-type the one
	 * after the last of several */
	p = pkt_new();
	num(p, BW_F_ETHER_TYPE, 0x88a8);
	num(p, BW_F_VLAN_ID, 9);
	build_ok(p);
	assert_memory_equal(p->buf + 12, "\x88\xa8\x00\x09\x08\x00", 6);
	assert_int_equal(p->v.vlan_type, 0x0800);
	assert_int_equal(p->v.ethertype, 0x0800);
	assert_int_equal(p->v.l3, 4);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_VLAN_TYPE, 0x0806);
	build_ok(p);
	assert_memory_equal(p->buf + 12, "\x81\x00\x00\x00\x08\x06", 6);
	assert_int_equal(p->v.vlan_type, 0x0806);
	assert_int_equal(p->v.l3, 0);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_ETHER_TYPE, 0x0806);
	num(p, BW_F_VLAN_ID, 9);
	build_err(p, 0);
	pkt_free(p);
	p = pkt_new();
	num(p, BW_F_VLAN_TYPE, 0x0806);
	word(p, BW_PW_VLANS, 2);
	build_err(p, 0);
	pkt_free(p);
	p = pkt_new();
	word(p, BW_PW_VLANS, 2);
	word(p, BW_PW_INNER_TYPE, 0x88b5);
	build_ok(p);
	assert_int_equal(p->v.ethertype, 0x88b5);
	assert_int_equal(p->v.vlan_type, 0x8100);
	pkt_free(p);
	p = pkt_new();
	word(p, BW_PW_INNER_TYPE, 0x88b5);	/* no tag */
	build_err_word(p, BW_PW_INNER_TYPE);
	pkt_free(p);
	p = pkt_new();
	word(p, BW_PW_VLANS, BW_VLAN_MAX + 1);
	build_malformed(p, BW_REASON_VLAN_DEPTH);
	pkt_free(p);
	/* a tag cut short */
	p = pkt_new();
	num(p, BW_F_VLAN_ID, 5);
	word(p, BW_PW_TRUNCATE, 17);
	build_malformed(p, BW_REASON_ETH_TRUNC);
	pkt_free(p);
}

/* The UDP checksum of a segment summing to zero is sent as 0xffff. */
static void test_udp_zero_csum(void **state)
{
	int seen = 0;

	for (uint32_t port = 0; port < 65536 && !seen; port++) {
		struct pkt *p = pkt_new();

		num(p, BW_F_UDP_SPORT, port);
		build_ok(p);
		check_sums(p);
		assert_int_not_equal(rd16(p->buf + 14 + 20 + 6), 0);
		seen = rd16(p->buf + 14 + 20 + 6) == 0xffff;
		pkt_free(p);
	}
	assert_true(seen);
}

/* nft's srh fields: the first routing header grows to hold the segments
 * given (24, 40 bytes; rt hdrlength's when given), the fields at their
 * offsets; bw_srh_find() walks to it as ipv6_find_hdr() does. */
static void test_srh(void **state)
{
	static const uint8_t rt[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_ROUTING };
	static const uint8_t frag_rt[] = { IPPROTO_FRAGMENT, IPPROTO_ROUTING };
	uint8_t sid[16];
	struct pkt *p = pkt_new();
	size_t at = 0, ip;

	(void)state;
	exthdrs(p, rt, 3);
	num(p, BW_F_RT_TYPE, 4);
	num(p, BW_F_SRH_LASTENT, 1);
	num(p, BW_F_SRH_FLAGS, 2);
	num(p, BW_F_SRH_TAG, 0x1234);
	addr(p, BW_F_SRH_SID2, "2001:db8::b");
	num(p, BW_F_UDP_DPORT, 53);
	build_ok(p);
	ip = p->v.l3off;
	/* hop-by-hop 8, the SRH 40 (length 4), the second routing header 8 */
	assert_int_equal(p->v.l4off, ip + 40 + 8 + 40 + 8);
	assert_true(bw_srh_find(p->buf, (size_t)p->len, ip + 40, p->buf[ip + 6], &at));
	assert_int_equal(at, ip + 48);
	assert_int_equal(p->buf[at + 1], 4);
	assert_int_equal(p->buf[at + 2], 4);
	assert_int_equal(p->buf[at + 4], 1);
	assert_int_equal(p->buf[at + 5], 2);
	assert_int_equal(p->buf[at + 6] << 8 | p->buf[at + 7], 0x1234);
	assert_int_equal(inet_pton(AF_INET6, "2001:db8::b", sid), 1);
	assert_memory_equal(p->buf + at + 24, sid, 16);
	/* the packet ends inside the hop-by-hop header: none */
	assert_false(bw_srh_find(p->buf, ip + 40 + 3, ip + 40, p->buf[ip + 6], &at));
	/* an upper layer first: none */
	assert_false(bw_srh_find(p->buf, (size_t)p->len, ip + 40, IPPROTO_UDP, &at));
	pkt_free(p);

	/* rt hdrlength sets the size; a segment past it is an error */
	p = pkt_new();
	exthdrs(p, rt + 1, 1);
	num(p, BW_F_RT_HDRLENGTH, 2);
	addr(p, BW_F_SRH_SID1, "2001:db8::a");
	build_ok(p);
	assert_int_equal(p->v.l4off, p->v.l3off + 40 + 24);
	pkt_free(p);
	p = pkt_new();
	exthdrs(p, rt + 1, 1);
	num(p, BW_F_RT_HDRLENGTH, 1);
	addr(p, BW_F_SRH_SID2, "2001:db8::a");
	build_err(p, 1);
	pkt_free(p);

	/* behind a later fragment's header: payload, none; the first
	 * fragment's: found */
	p = pkt_new();
	exthdrs(p, frag_rt, 2);
	word(p, BW_PW_FRAGOFF, 5);
	num(p, BW_F_SRH_TAG, 7);
	build_ok(p);
	ip = p->v.l3off;
	assert_false(bw_srh_find(p->buf, (size_t)p->len, ip + 40, p->buf[ip + 6], &at));
	p->buf[ip + 42] = p->buf[ip + 43] = 0;
	assert_true(bw_srh_find(p->buf, (size_t)p->len, ip + 40, p->buf[ip + 6], &at));
	assert_int_equal(at, ip + 48);
	pkt_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_transports),
		cmocka_unit_test(test_every_field_v4),
		cmocka_unit_test(test_every_field_v6),
		cmocka_unit_test(test_non_ip),
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_contradictions),
		cmocka_unit_test(test_udp_zero_csum),
		cmocka_unit_test(test_header_fields_v4),
		cmocka_unit_test(test_header_fields_other),
		cmocka_unit_test(test_ip6_exthdrs),
		cmocka_unit_test(test_frame_words),
		cmocka_unit_test(test_srh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
