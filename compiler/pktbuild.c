// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet builder for `trace` and the verdict tests: a bw_pkt_spec (fields
 * given as equalities) becomes Ethernet + IPv4/IPv6 + TCP/UDP/ICMP/ICMPv6
 * bytes with the defaults of pktbuild.h, correct lengths and checksums.
 *
 * First a plan is made from the fields (which L3, which transport, how long),
 * reporting contradictions at the field that caused them; then the frame is
 * written in one pass, and the checksums last.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "pktbuild.h"
#include "view.h"

#define ETH_HLEN_	14

struct plan {
	const struct bw_pkt_field *f[BW_F__MAX];	/* given fields by id */
	int l3;				/* 4, 6, or -1: not IP */
	const struct bw_pkt_field *l3_by;	/* field that decided l3 */
	const struct bw_pkt_field *ip_by;	/* first field that needs IP */
	uint8_t proto;			/* IP protocol / final next header */
	const struct bw_pkt_field *proto_by;
	uint8_t l4group;		/* IPPROTO_* of the transport fields */
	const struct bw_pkt_field *l4_by;
	size_t l2len, l3len, l4len, payload, trailer;
	uint16_t ethertype;
	bool vlan;			/* one 802.1Q tag (vlan id/pcp/dei) */
};

static void err(struct bw_diags *d, const struct bw_pkt_field *f,
		const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void err(struct bw_diags *d, const struct bw_pkt_field *f,
		const char *fmt, ...)
{
	static const struct bw_loc noloc;
	char msg[256];
	va_list ap;

	if (!d)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bw_error(d, f ? &f->loc : &noloc, "%s", msg);
}

static const char *fname(const struct bw_pkt_field *f, char *buf, size_t len)
{
	const struct bw_field *row = bw_field(f->field);

	snprintf(buf, len, "%s %s", row->proto, row->name);
	return buf;
}

/* The given value as a number (val holds field->size bytes, network order). */
static uint64_t fval(const struct bw_pkt_field *f)
{
	const struct bw_field *row = bw_field(f->field);
	uint64_t x = 0;

	for (unsigned i = 0; i < row->size && i < 8; i++)
		x = x << 8 | f->val[i];
	return x;
}

static int contradiction(struct bw_diags *d, const struct bw_pkt_field *f,
			 const struct bw_pkt_field *by, const char *what)
{
	char a[32], b[32];

	if (by)
		err(d, f, "%s contradicts %s: %s", fname(f, a, sizeof(a)),
		    fname(by, b, sizeof(b)), what);
	else
		err(d, f, "%s: %s", fname(f, a, sizeof(a)), what);
	return -EINVAL;
}

/* Record that field f implies network layer l3 (4, 6, -1 not IP, 0 any IP). */
static int want_l3(struct plan *p, const struct bw_pkt_field *f, int l3,
		   struct bw_diags *d)
{
	if (l3 == 0) {
		if (p->l3 == -1)
			return contradiction(d, f, p->l3_by,
					     "the packet is not IP");
		if (!p->ip_by)
			p->ip_by = f;
		return 0;
	}
	if (l3 == -1 && p->ip_by)
		return contradiction(d, f, p->ip_by, "the packet is IP");
	if (p->l3 == 0) {
		p->l3 = l3;
		p->l3_by = f;
		return 0;
	}
	if (p->l3 != l3)
		return contradiction(d, f, p->l3_by,
				     l3 == 4 ? "the packet is not IPv4" :
				     l3 == 6 ? "the packet is not IPv6" :
				     "the packet is IP");
	return 0;
}

static int want_proto(struct plan *p, const struct bw_pkt_field *f,
		      uint8_t proto, struct bw_diags *d)
{
	if (p->l4_by && p->l4group != proto)
		return contradiction(d, f, p->l4_by,
				     "different transport protocols");
	if (p->proto_by && p->proto != proto)
		return contradiction(d, f, p->proto_by,
				     "different transport protocols");
	p->proto = proto;
	if (!p->proto_by)
		p->proto_by = f;
	return 0;
}

static int plan_field(struct plan *p, const struct bw_pkt_field *f,
		      struct bw_diags *d)
{
	const struct bw_field *row = bw_field(f->field);
	uint64_t x = fval(f);
	int ret;

	switch (f->field) {
	case BW_F_META_NFPROTO:
		if (x != 2 && x != 10) {
			err(d, f, "meta nfproto: only ipv4 and ipv6 packets can be built");
			return -EINVAL;
		}
		return want_l3(p, f, x == 2 ? 4 : 6, d);
	case BW_F_ETHER_TYPE:
		p->ethertype = (uint16_t)x;
		if (x == 0x0800)
			return want_l3(p, f, 4, d);
		if (x == 0x86dd)
			return want_l3(p, f, 6, d);
		if (x == 0x8100 || x == 0x88a8) {
			err(d, f, "ether type: the inner protocol of a VLAN tag cannot be a tag");
			return -EINVAL;
		}
		return want_l3(p, f, -1, d);
	case BW_F_META_L4PROTO:
	case BW_F_IP_PROTOCOL:
	case BW_F_IP6_NEXTHDR:
		ret = want_l3(p, f, row->need_l3, d);
		return ret ? ret : want_proto(p, f, (uint8_t)x, d);
	case BW_F_META_PKTLEN:
		return 0;
	case BW_F_VLAN_ID:
	case BW_F_VLAN_PCP:
	case BW_F_VLAN_DEI:
		p->vlan = true;
		return 0;
	case BW_F_META_PKTTYPE:
		if (p->f[BW_F_ETHER_DADDR] || x == 3) {
			err(d, f, x == 3 ? "meta pkttype other cannot be built (the test program does not know the device's address): give an ether daddr" :
			    "give one of meta pkttype and ether daddr");
			return -EINVAL;
		}
		return 0;
	case BW_F_ETHER_DADDR:
		if (p->f[BW_F_META_PKTTYPE]) {
			err(d, f, "give one of meta pkttype and ether daddr");
			return -EINVAL;
		}
		return 0;
	case BW_F_META_MARK:
		return 0;
	case BW_F_META_IIF:
	case BW_F_META_IIFNAME:
	case BW_F_META_OIF:
	case BW_F_META_OIFNAME:
		err(d, f, "the interface of a packet is given as device NAME");
		return -EINVAL;
	default:
		break;
	}
	if (!strcmp(row->proto, "ether"))
		return 0;
	ret = want_l3(p, f, row->need_l3, d);
	if (ret || !row->need_l4proto)
		return ret;
	if (p->l4_by && p->l4group != row->need_l4proto)
		return contradiction(d, f, p->l4_by,
				     "different transport protocols");
	if (p->proto_by && p->proto != row->need_l4proto)
		return contradiction(d, f, p->proto_by,
				     "different transport protocols");
	p->l4group = row->need_l4proto;
	if (!p->l4_by)
		p->l4_by = f;
	p->proto = row->need_l4proto;
	return 0;
}

static size_t l4_hdr_len(int l3, uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return 20;
	case IPPROTO_UDP:
		return 8;
	case IPPROTO_ICMP:
		return l3 == 4 ? 8 : 0;
	case IPPROTO_ICMPV6:
		return l3 == 6 ? 8 : 0;
	}
	return 0;
}

static int plan_lengths(struct plan *p, size_t cap, struct bw_diags *d)
{
	const struct bw_pkt_field *ipl = p->f[BW_F_IP_LENGTH];
	const struct bw_pkt_field *ml = p->f[BW_F_META_PKTLEN];
	size_t hdrs, frame;

	p->l2len = ETH_HLEN_ + (p->vlan ? 4 : 0);
	p->l3len = p->l3 == 4 ? 20 : p->l3 == 6 ? 40 : 0;
	p->l4len = p->l3 > 0 ? l4_hdr_len(p->l3, p->proto) : 0;
	hdrs = p->l2len + p->l3len + p->l4len;
	p->payload = 0;
	p->trailer = 0;
	if (ipl) {
		uint64_t tot = fval(ipl);

		if (tot < p->l3len + p->l4len) {
			err(d, ipl, "ip length %llu is shorter than the headers (%zu bytes)",
			    (unsigned long long)tot, p->l3len + p->l4len);
			return -EINVAL;
		}
		p->payload = tot - p->l3len - p->l4len;
	}
	frame = hdrs + p->payload;
	if (ml) {
		/* meta length counts from the network header (view.h) */
		uint64_t want = fval(ml) + p->l2len;

		if (want < frame) {
			err(d, ml, "meta length %llu is shorter than the packet's headers%s (%zu bytes after the link layer)",
			    (unsigned long long)fval(ml), ipl ? " and ip length" : "",
			    frame - p->l2len);
			return -EINVAL;
		}
		if (want > cap) {
			err(d, ml, "meta length %llu exceeds the packet buffer (%zu bytes)",
			    (unsigned long long)fval(ml), cap - p->l2len);
			return -EINVAL;
		}
		/* Without ip length the extra bytes are IP payload; with
		 * it they trail the IP packet (Ethernet padding). */
		if (ipl || p->l3 <= 0)
			p->trailer = want - frame;
		else
			p->payload += want - frame;
		frame = want;
	}
	if (frame > cap) {
		err(d, ipl, "the packet (%zu bytes) exceeds the packet buffer (%zu bytes)",
		    frame, cap);
		return -EINVAL;
	}
	if ((p->l3 == 4 && p->l3len + p->l4len + p->payload > 0xffff) ||
	    (p->l3 == 6 && p->l4len + p->payload > 0xffff)) {
		err(d, ml, "meta length %zu does not fit in an IP length field", frame);
		return -EINVAL;
	}
	return 0;
}

/* Internet checksum helpers (RFC 1071). */
static uint32_t sum16(uint32_t s, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		s += (uint32_t)(b[n - 1] << 8);
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void put16(uint8_t *b, uint16_t x)
{
	b[0] = (uint8_t)(x >> 8);
	b[1] = (uint8_t)x;
}

/* Copy a given field's value, or the default, to dst. */
static void put_field(const struct plan *p, enum bw_field_id id, uint8_t *dst,
		      const void *def, size_t n)
{
	if (p->f[id])
		memcpy(dst, p->f[id]->val, n);
	else
		memcpy(dst, def, n);
}

static void write_ip4(const struct plan *p, uint8_t *ip)
{
	static const uint8_t saddr[4] = { 192, 0, 2, 1 }, daddr[4] = { 192, 0, 2, 2 };
	uint8_t ver = p->f[BW_F_IP_VERSION] ? p->f[BW_F_IP_VERSION]->val[0] & 0xf : 4;
	uint8_t dscp = p->f[BW_F_IP_DSCP] ? p->f[BW_F_IP_DSCP]->val[0] & 0x3f : 0;

	ip[0] = (uint8_t)(ver << 4 | 5);
	ip[1] = (uint8_t)(dscp << 2);
	put16(ip + 2, (uint16_t)(p->l3len + p->l4len + p->payload));
	ip[8] = p->f[BW_F_IP_TTL] ? p->f[BW_F_IP_TTL]->val[0] : 64;
	ip[9] = p->proto;
	put_field(p, BW_F_IP_SADDR, ip + 12, saddr, 4);
	put_field(p, BW_F_IP_DADDR, ip + 16, daddr, 4);
	put16(ip + 10, fold(sum16(0, ip, 20)));
}

static void write_ip6(const struct plan *p, uint8_t *ip)
{
	static const uint8_t saddr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t daddr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	ip[0] = 0x60;
	put16(ip + 4, (uint16_t)(p->l4len + p->payload));
	ip[6] = p->proto;
	ip[7] = p->f[BW_F_IP6_HOPLIMIT] ? p->f[BW_F_IP6_HOPLIMIT]->val[0] : 64;
	put_field(p, BW_F_IP6_SADDR, ip + 8, saddr, 16);
	put_field(p, BW_F_IP6_DADDR, ip + 24, daddr, 16);
}

static void write_l4(const struct plan *p, uint8_t *l4)
{
	static const uint8_t sport[2] = { 0x9c, 0x40 };		/* 40000 */
	static const uint8_t http[2] = { 0, 80 }, dns[2] = { 0, 53 };
	size_t seg = p->l4len + p->payload;

	switch (p->proto) {
	case IPPROTO_TCP:
		put_field(p, BW_F_TCP_SPORT, l4, sport, 2);
		put_field(p, BW_F_TCP_DPORT, l4 + 2, http, 2);
		l4[7] = 1;			/* seq 1 */
		l4[12] = 5 << 4;		/* data offset 5 */
		l4[13] = p->f[BW_F_TCP_FLAGS] ? p->f[BW_F_TCP_FLAGS]->val[0] : 0x02;
		put16(l4 + 14, 64240);		/* window */
		break;
	case IPPROTO_UDP:
		put_field(p, BW_F_UDP_SPORT, l4, sport, 2);
		put_field(p, BW_F_UDP_DPORT, l4 + 2, dns, 2);
		put16(l4 + 4, (uint16_t)seg);
		break;
	case IPPROTO_ICMP:
		l4[0] = p->f[BW_F_ICMP_TYPE] ? p->f[BW_F_ICMP_TYPE]->val[0] : 8;
		l4[1] = p->f[BW_F_ICMP_CODE] ? p->f[BW_F_ICMP_CODE]->val[0] : 0;
		put16(l4 + 4, 1);		/* id */
		put16(l4 + 6, 1);		/* sequence */
		break;
	case IPPROTO_ICMPV6:
		l4[0] = p->f[BW_F_ICMP6_TYPE] ? p->f[BW_F_ICMP6_TYPE]->val[0] : 128;
		l4[1] = p->f[BW_F_ICMP6_CODE] ? p->f[BW_F_ICMP6_CODE]->val[0] : 0;
		put16(l4 + 4, 1);
		put16(l4 + 6, 1);
		break;
	}
}

/* Transport checksum over the segment, with the pseudo header where the
 * protocol has one (all but ICMPv4). */
static void l4_csum(const struct plan *p, const uint8_t *ip, uint8_t *l4)
{
	size_t seg = p->l4len + p->payload;
	uint8_t *cs;
	uint32_t s = 0;
	uint16_t c;

	if (!p->l4len)
		return;
	switch (p->proto) {
	case IPPROTO_TCP:
		cs = l4 + 16;
		break;
	case IPPROTO_UDP:
		cs = l4 + 6;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		cs = l4 + 2;
		break;
	default:
		return;
	}
	if (p->proto != IPPROTO_ICMP) {
		if (p->l3 == 4)
			s = sum16(s, ip + 12, 8);
		else
			s = sum16(s, ip + 8, 32);
		s += p->proto;
		s += (uint32_t)seg;	/* < 64k: the upper 16 bits are zero */
	}
	s = sum16(s, l4, seg);
	c = fold(s);
	if (c == 0 && p->proto == IPPROTO_UDP)
		c = 0xffff;
	put16(cs, c);
}

int bw_pkt_build(const struct bw_pkt_spec *s, uint8_t *buf, size_t cap,
		 struct bw_diags *d)
{
	static const uint8_t esrc[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t edst[6] = { 2, 0, 0, 0, 0, 2 };
	struct plan p = { 0 };
	uint8_t *ip, *l4;
	size_t len;
	char a[32];
	int ret;

	if (!s || !buf) {
		err(d, NULL, "no packet to build");
		return -EINVAL;
	}
	for (uint32_t i = 0; i < s->nfield; i++) {
		const struct bw_pkt_field *f = &s->field[i];

		if ((unsigned)f->field >= BW_F__MAX) {
			err(d, f, "unknown field %u", (unsigned)f->field);
			return -EINVAL;
		}
		if (p.f[f->field]) {
			err(d, f, "%s is given twice", fname(f, a, sizeof(a)));
			return -EINVAL;
		}
		p.f[f->field] = f;
		ret = plan_field(&p, f, d);
		if (ret)
			return ret;
	}
	if (p.l3 == 0)
		p.l3 = 4;
	if (p.l3 > 0 && !p.proto_by && !p.l4_by)
		p.proto = IPPROTO_TCP;
	if (!p.f[BW_F_ETHER_TYPE])
		p.ethertype = p.l3 == 6 ? 0x86dd : 0x0800;
	ret = plan_lengths(&p, cap, d);
	if (ret)
		return ret;

	if (p.f[BW_F_META_MARK] && !s->egress) {
		err(d, p.f[BW_F_META_MARK], "meta mark is 0 at ingress (XDP sees no skb): give egress");
		return -EINVAL;
	}
	len = p.l2len + p.l3len + p.l4len + p.payload + p.trailer;
	if (len > cap) {
		err(d, NULL, "the packet (%zu bytes) exceeds the packet buffer (%zu bytes)",
		    len, cap);
		return -EINVAL;
	}
	memset(buf, 0, len);
	put_field(&p, BW_F_ETHER_DADDR, buf, edst, 6);
	if (p.f[BW_F_META_PKTTYPE]) {
		static const uint8_t mcast[6] = { 1, 0, 0x5e, 0, 0, 1 };
		uint64_t t = fval(p.f[BW_F_META_PKTTYPE]);

		if (t == 1)
			memset(buf, 0xff, 6);
		else if (t == 2)
			memcpy(buf, mcast, 6);
	}
	put_field(&p, BW_F_ETHER_SADDR, buf + 6, esrc, 6);
	if (p.vlan) {
		uint16_t tci = 0;

		if (p.f[BW_F_VLAN_ID])
			tci |= (uint16_t)(fval(p.f[BW_F_VLAN_ID]) & 0xfff);
		if (p.f[BW_F_VLAN_DEI])
			tci |= (uint16_t)((fval(p.f[BW_F_VLAN_DEI]) & 1) << 12);
		if (p.f[BW_F_VLAN_PCP])
			tci |= (uint16_t)((fval(p.f[BW_F_VLAN_PCP]) & 7) << 13);
		put16(buf + 12, 0x8100);
		put16(buf + 14, tci);
	}
	put16(buf + p.l2len - 2, p.ethertype);
	if (p.l3 <= 0)
		return (int)len;

	ip = buf + p.l2len;
	l4 = ip + p.l3len;
	write_l4(&p, l4);
	if (p.l3 == 4)
		write_ip4(&p, ip);
	else
		write_ip6(&p, ip);
	l4_csum(&p, ip, l4);
	return (int)len;
}
