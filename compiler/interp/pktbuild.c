// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet builder for `trace` and the verdict tests: a bw_pkt_spec (fields
 * given as equalities, packet words) becomes Ethernet (VLAN tags) + IPv4
 * (options) / IPv6 (extension headers) + TCP/UDP/ICMP/ICMPv6 bytes with the
 * defaults of pktbuild.h, correct lengths and checksums unless the spec
 * says otherwise.
 *
 * First a plan is made from the fields and words (which L3, which
 * transport, how long), reporting contradictions at the field or word
 * that caused them; then the frame is written in one pass, the checksums
 * last, and cut short if the spec says so.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "pktbuild.h"
#include "compiler/front/view.h"
#include "compiler/front/rawpay.h"

#define ETH_HLEN_	14
#define ARP_HLEN	28	/* Ethernet/IPv4 ARP header */

struct plan {
	const struct bw_pkt_field *f[BW_F__MAX];	/* given fields by id */
	const struct bw_pkt_spec *s;
	int l3;				/* 4, 6, or -1: not IP */
	const struct bw_pkt_field *l3_by;	/* field that decided l3 */
	const struct bw_pkt_field *ip_by;	/* first field that needs IP */
	uint8_t proto;			/* IP protocol / final next header */
	const struct bw_pkt_field *proto_by;
	uint8_t l4group;		/* IPPROTO_* of the transport fields */
	const struct bw_pkt_field *l4_by;
	uint8_t ext[BW_PKT_EXT_MAX];	/* IPv6 extension headers, in order */
	unsigned next;
	const struct bw_pkt_field *ext_by;	/* ip6 nexthdr naming one */
	/* bytes: link layer (with VLAN tags), IP header (IPv4 with options,
	 * IPv6 with extension headers), transport header, payload, zeros
	 * after the IP packet (meta length), garbage after it (packet
	 * trailer) */
	size_t l2len, l3len, l4len, payload, trailer, garbage;
	unsigned vlans;			/* VLAN tags */
	uint16_t outer;			/* the first tag's TPID (ether type
					 * vlan, 8021ad), 0: the default */
	uint16_t ethertype;		/* after the tags */
	const struct bw_pkt_field *type_by;	/* the field that set it */
	bool inner_set;			/* or packet inner-type did */
	/* an ICMP error's payload: the quoted packet's IP bytes */
	uint8_t quote[BW_PKT_MAX];
	size_t nquote;
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
	case BW_F_ETHER_TYPE:	/* the frame's own: a tag's, or what follows */
		if (x == 0x8100 || x == 0x88a8) {
			p->outer = (uint16_t)x;
			p->vlans = p->vlans ? p->vlans : 1;
			return 0;
		}
		/* fall through */
	case BW_F_VLAN_TYPE:	/* the EtherType after the first tag */
	case BW_F_META_PROTOCOL:	/* the one after the tags */
		if (f->field != BW_F_ETHER_TYPE && (x == 0x8100 || x == 0x88a8)) {
			err(d, f, f->field == BW_F_VLAN_TYPE ?
			    "vlan type: a second tag is built with packet vlans N" :
			    "meta protocol: the EtherType after the tags; tags are built with packet vlans N");
			return -EINVAL;
		}
		if (f->field == BW_F_VLAN_TYPE)
			p->vlans = p->vlans ? p->vlans : 1;
		p->ethertype = (uint16_t)x;
		p->type_by = f;
		if (x == 0x0800)
			return want_l3(p, f, 4, d);
		if (x == 0x86dd)
			return want_l3(p, f, 6, d);
		return want_l3(p, f, -1, d);
	case BW_F_IP6_NEXTHDR:
		/* an extension header: the first of the chain built */
		if (bw_view_ip6_ext((uint8_t)x)) {
			p->ext_by = f;
			return want_l3(p, f, 6, d);
		}
		/* fall through */
	case BW_F_META_L4PROTO:
	case BW_F_IP_PROTOCOL:
		ret = want_l3(p, f, row->need_l3, d);
		return ret ? ret : want_proto(p, f, (uint8_t)x, d);
	case BW_F_META_PKTLEN:
		return 0;
	case BW_F_VLAN_ID:
	case BW_F_VLAN_PCP:
	case BW_F_VLAN_DEI:
		p->vlans = p->vlans ? p->vlans : 1;
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
	case BW_F_EXTHDR_HBH:
	case BW_F_EXTHDR_RT:
	case BW_F_EXTHDR_FRAG:
	case BW_F_EXTHDR_DST:
	case BW_F_EXTHDR_MH:
		err(d, f, "the extension headers of a packet are given with ip6 nexthdr and packet exthdr");
		return -EINVAL;
	case BW_F_META_IIF:
	case BW_F_META_IIFNAME:
	case BW_F_META_OIF:
	case BW_F_META_OIFNAME:
		err(d, f, "the interface of a packet is given as device NAME");
		return -EINVAL;
	default:
		break;
	}
	if (row->need_ethertype) {	/* an ARP header (fields.c) */
		if (p->type_by && p->ethertype != row->need_ethertype)
			return contradiction(d, f, p->type_by, "an ARP field needs ether type arp");
		if (!p->type_by) {
			p->ethertype = row->need_ethertype;
			p->type_by = f;
		}
		return want_l3(p, f, -1, d);
	}
	if (row->nft_only) {
		err(d, f, "%s %s: give the bridges as the test's context, not in the packet",
		    row->proto, row->name);
		return -EINVAL;
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

/* An error at a packet word (`packet WORD ...`). */
static int word_err(struct bw_diags *d, const struct bw_pkt_word_val *w,
		    const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int word_err(struct bw_diags *d, const struct bw_pkt_word_val *w,
		    const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (d) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		bw_error(d, &w->loc, "%s", msg);
	}
	return -EINVAL;
}

/* The packet words that change what is built (truncate: plan_lengths). */
static int plan_words(struct plan *p, const struct bw_pkt_spec *s,
		      struct bw_diags *d)
{
	const struct bw_pkt_word_val *w = s->word;
	const struct bw_pkt_field *nh = p->f[BW_F_IP6_NEXTHDR];
	bool frag = false;

	if (w[BW_PW_VLANS].given)
		p->vlans = w[BW_PW_VLANS].val;
	if (w[BW_PW_TCPOPTS].given) {
		const struct bw_pkt_field *by = p->proto_by ? p->proto_by : p->l4_by;
		const struct bw_pkt_field *doff = p->f[BW_F_TCP_DOFF];

		if (by && p->proto != IPPROTO_TCP)
			return word_err(d, &w[BW_PW_TCPOPTS], "packet tcp-options: %s %s makes the packet not TCP",
					bw_field(by->field)->proto, bw_field(by->field)->name);
		if (doff && (doff->val[0] < 5 || doff->val[0] * 4u - 20 < w[BW_PW_TCPOPTS].val))
			return word_err(d, &w[BW_PW_TCPOPTS], "packet tcp-options: %u bytes do not fit tcp doff %u",
					w[BW_PW_TCPOPTS].val, doff->val[0]);
		if (p->l3 < 0)
			return word_err(d, &w[BW_PW_TCPOPTS], "packet tcp-options: the packet is not IP");
	}
	if (w[BW_PW_EXTHDR].given) {
		if (p->l3 == 4 || p->l3 == -1)
			return word_err(d, &w[BW_PW_EXTHDR], "packet exthdr: IPv6 extension headers need an IPv6 packet (%s %s makes it %s)",
					bw_field(p->l3_by->field)->proto,
					bw_field(p->l3_by->field)->name,
					p->l3 == 4 ? "IPv4" : "not IP");
		if (nh && !p->ext_by)
			return word_err(d, &w[BW_PW_EXTHDR], "packet exthdr: ip6 nexthdr names the first extension header here, not the upper layer (give that as meta l4proto)");
		if (nh && nh->val[0] != s->exthdr[0])
			return word_err(d, &w[BW_PW_EXTHDR], "packet exthdr: the first extension header must be the one ip6 nexthdr names (%u)",
					nh->val[0]);
		p->l3 = 6;
		p->next = w[BW_PW_EXTHDR].val;
		memcpy(p->ext, s->exthdr, p->next);
	} else if (p->ext_by) {
		p->next = 1;
		p->ext[0] = p->ext_by->val[0];
	}
	for (unsigned i = 0; i < p->next; i++)
		frag |= p->ext[i] == IPPROTO_FRAGMENT;
	for (int k = BW_PW_FRAGOFF; k <= BW_PW_MF; k++)
		if (w[k].given && !frag)
			return word_err(d, &w[k], "packet %s: the packet has no IPv6 fragment header (give ip6 nexthdr ipv6-frag or packet exthdr ... ipv6-frag ...)",
					k == BW_PW_FRAGOFF ? "frag-off" : "more-fragments");
	if (w[BW_PW_TRAILER].given && p->f[BW_F_META_PKTLEN])
		return word_err(d, &w[BW_PW_TRAILER], "give one of meta length and packet trailer (meta length pads with zeros, packet trailer with garbage)");
	if (w[BW_PW_INNER_TYPE].given) {
		uint32_t t = w[BW_PW_INNER_TYPE].val;

		if (!p->vlans)
			return word_err(d, &w[BW_PW_INNER_TYPE], "packet inner-type: the frame has no VLAN tag (its EtherType is ether type)");
		if (p->type_by)
			return word_err(d, &w[BW_PW_INNER_TYPE], "packet inner-type: give one of it and %s",
					bw_field(p->type_by->field)->proto[0] == 'v' ?
					"vlan type" : "ether type");
		if (t == 0x0800 || t == 0x86dd || t == 0x8100 || t == 0x88a8)
			return word_err(d, &w[BW_PW_INNER_TYPE], "packet inner-type: IP inside the tags is built from the ip or ip6 fields, tags with packet vlans");
		if (p->ip_by || p->l3 > 0)
			return word_err(d, &w[BW_PW_INNER_TYPE], "packet inner-type: %s %s makes the packet IP",
					bw_field((p->ip_by ? p->ip_by : p->l3_by)->field)->proto,
					bw_field((p->ip_by ? p->ip_by : p->l3_by)->field)->name);
		p->l3 = -1;
		p->ethertype = (uint16_t)t;
		p->inner_set = true;
	}
	return 0;
}

/* A field of echo requests and replies only (icmp id, ...) in a packet
 * of another ICMP type. */
static int check_echo(const struct plan *p, struct bw_diags *d)
{
	char a[32];

	for (int i = 0; i < BW_F__MAX; i++) {
		const struct bw_pkt_field *f = p->f[i], *t;
		const struct bw_field *row = bw_field((enum bw_field_id)i);

		if (!f || !(row->need_flags & BW_VIEW_ECHO))
			continue;
		t = p->f[row->need_l4proto == IPPROTO_ICMP ? BW_F_ICMP_TYPE :
			 BW_F_ICMP6_TYPE];
		if (!t || bw_view_icmp_echo(row->need_l4proto, t->val[0]))
			continue;
		err(d, f, "%s: only an echo-request or echo-reply has one (as in nft)",
		    fname(f, a, sizeof(a)));
		return -EINVAL;
	}
	return 0;
}

static size_t l4_hdr_len(const struct plan *p)
{
	const struct bw_pkt_field *doff = p->f[BW_F_TCP_DOFF];

	switch (p->proto) {
	case IPPROTO_TCP:
		/* with options when the data offset says so, or room for
		 * packet tcp-options (padded with EOL to 4 bytes) */
		if (doff)
			return doff->val[0] > 5 ? doff->val[0] * 4u : 20;
		return 20 + (p->s->word[BW_PW_TCPOPTS].val + 3) / 4 * 4;
	case IPPROTO_UDP:
		return 8;
	case IPPROTO_ICMP:
		return p->l3 == 4 ? 8 : 0;
	case IPPROTO_ICMPV6:
		return p->l3 == 6 ? 8 : 0;
	case IPPROTO_AH:
		return 12;	/* IPv6 too: the view's walk stops at AH */
	}
	/* sctp, dccp, ...: their header (zeros but the fields given) */
	return bw_view_l4_soft((uint8_t)p->proto);
}

/* Bytes of an IPv6 extension header as built (write_ext). */
static size_t ext_len(uint8_t type)
{
	return type == IPPROTO_AH ? 24 : 8;
}

/* Bytes of the first routing header as built: rt hdrlength's, else
 * room for the srh fields given (an SRH of one or two segments, srh.h),
 * else 8. */
static size_t rt_len(const struct plan *p)
{
	if (p->f[BW_F_RT_HDRLENGTH])
		return ((size_t)p->f[BW_F_RT_HDRLENGTH]->val[0] + 1) * 8;
	return p->f[BW_F_SRH_SID2] ? 40 : p->f[BW_F_SRH_SID1] ? 24 : 8;
}

/* Bytes of extension header i (the first routing header's rt_len) */
static size_t ext_size(const struct plan *p, unsigned i)
{
	for (unsigned k = 0; k < i; k++)
		if (p->ext[k] == IPPROTO_ROUTING)
			return ext_len(p->ext[i]);
	return p->ext[i] == IPPROTO_ROUTING ? rt_len(p) : ext_len(p->ext[i]);
}

static size_t l3_hdr_len(const struct plan *p)
{
	const struct bw_pkt_field *ihl = p->f[BW_F_IP_HDRLENGTH];
	size_t n;

	if (p->l3 == 4)		/* with options when IHL says so */
		return ihl && ihl->val[0] > 5 ? ihl->val[0] * 4u : 20;
	if (p->l3 != 6)
		return 0;
	n = 40;
	for (unsigned i = 0; i < p->next; i++)
		n += ext_size(p, i);
	return n;
}

/*
 * `quote PACKET`: an ICMP or ICMPv6 error carries the IP packet of the
 * quoted spec (built on its own, its link layer dropped), of its family.
 */
static int plan_quote(struct plan *p, const struct bw_pkt_spec *q,
		      struct bw_diags *d)
{
	uint8_t frame[BW_PKT_MAX];
	enum bw_reason why;
	struct bw_view v;
	int n;

	if (p->proto != (p->l3 == 6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP)) {
		err(d, NULL, "quote: only an %s error quotes a packet",
		    p->l3 == 6 ? "icmpv6" : "icmp");
		return -EINVAL;
	}
	n = bw_pkt_build(q, frame, sizeof(frame), d);
	if (n < 0)
		return n;
	if (bw_view_parse(frame, (size_t)n, &v, &why) || v.l3 != p->l3) {
		err(d, NULL, "quote: the quoted packet must be an %s packet",
		    p->l3 == 6 ? "IPv6" : "IPv4");
		return -EINVAL;
	}
	p->nquote = (size_t)n - v.l3off;
	memcpy(p->quote, frame + v.l3off, p->nquote);
	return 0;
}

/*
 * The lengths of the parts.  An IP length given (ip length, ip6 length)
 * is written as given: longer than the headers, the payload fills it;
 * shorter, the headers are still built whole and trail the IP packet.
 */
static int plan_lengths(struct plan *p, size_t cap, struct bw_diags *d)
{
	const struct bw_pkt_field *ipl = p->f[p->l3 == 6 ? BW_F_IP6_LENGTH :
					      BW_F_IP_LENGTH];
	const struct bw_pkt_field *ml = p->f[BW_F_META_PKTLEN];
	const struct bw_pkt_word_val *trunc = &p->s->word[BW_PW_TRUNCATE];
	size_t hdrs, frame;

	if (p->l3 <= 0)
		ipl = NULL;
	p->l2len = ETH_HLEN_ + 4 * p->vlans;
	p->l3len = l3_hdr_len(p);
	if (p->l3 < 0 && p->ethertype == 0x0806)
		p->l3len = ARP_HLEN;
	p->l4len = p->l3 > 0 ? l4_hdr_len(p) : 0;
	hdrs = p->l2len + p->l3len + p->l4len;
	p->payload = p->nquote;
	p->trailer = 0;
	p->garbage = p->s->word[BW_PW_TRAILER].given ?
		     p->s->word[BW_PW_TRAILER].val : 0;
	if (ipl) {
		/* the IP packet's length: IPv6's counts after the fixed
		 * header */
		size_t tot = fval(ipl) + (p->l3 == 6 ? 40 : 0);

		if (tot > p->l3len + p->l4len)
			p->payload = tot - p->l3len - p->l4len;
	}
	frame = hdrs + p->payload;
	if (ml) {
		/* meta length counts from the network header (view.h) */
		uint64_t want = fval(ml) + p->l2len;

		if (want < frame) {
			err(d, ml, "meta length %llu is shorter than the packet's headers%s (%zu bytes after the link layer)",
			    (unsigned long long)fval(ml),
			    ipl ? " and IP length" : "", frame - p->l2len);
			return -EINVAL;
		}
		if (want > cap) {
			err(d, ml, "meta length %llu exceeds the packet buffer (%zu bytes)",
			    (unsigned long long)fval(ml), cap - p->l2len);
			return -EINVAL;
		}
		/* Without an IP length the extra bytes are IP payload;
		 * with it they trail the IP packet (Ethernet padding). */
		if (ipl || p->l3 <= 0)
			p->trailer = want - frame;
		else
			p->payload += want - frame;
		frame = want;
	}
	if (frame + p->garbage > cap) {
		err(d, ipl, "the packet (%zu bytes) exceeds the packet buffer (%zu bytes)",
		    frame + p->garbage, cap);
		return -EINVAL;
	}
	if (p->l3 > 0 && p->l3len + p->l4len + p->payload -
	    (p->l3 == 6 ? 40 : 0) > 0xffff) {
		err(d, ml, "meta length %zu does not fit in an IP length field", frame);
		return -EINVAL;
	}
	if (trunc->given && trunc->val >= frame + p->garbage)
		return word_err(d, trunc, "packet truncate %u: the packet is only %zu bytes long",
				trunc->val, frame + p->garbage);
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

static void put32(uint8_t *b, uint32_t x)
{
	put16(b, (uint16_t)(x >> 16));
	put16(b + 2, (uint16_t)x);
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

/* A given field's value as a number, or def. */
static uint64_t num(const struct plan *p, enum bw_field_id id, uint64_t def)
{
	return p->f[id] ? fval(p->f[id]) : def;
}

/* Options from byte `from` to `to` of a header: NOPs, then an end of
 * options list (IPv4 and TCP alike: 1 and 0). */
static void options(uint8_t *h, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		h[i] = i + 1 == to ? 0 : 1;
}

static void write_ip4(const struct plan *p, uint8_t *ip)
{
	static const uint8_t saddr[4] = { 192, 0, 2, 1 }, daddr[4] = { 192, 0, 2, 2 };
	static const uint8_t zero[2];
	uint64_t tot = num(p, BW_F_IP_LENGTH, p->l3len + p->l4len + p->payload);

	ip[0] = (uint8_t)(num(p, BW_F_IP_VERSION, 4) << 4 |
			  num(p, BW_F_IP_HDRLENGTH, 5));
	ip[1] = (uint8_t)(num(p, BW_F_IP_DSCP, 0) << 2 | num(p, BW_F_IP_ECN, 0));
	put16(ip + 2, (uint16_t)tot);
	put_field(p, BW_F_IP_ID, ip + 4, zero, 2);
	put_field(p, BW_F_IP_FRAGOFF, ip + 6, zero, 2);
	ip[8] = (uint8_t)num(p, BW_F_IP_TTL, 64);
	ip[9] = p->proto;
	put_field(p, BW_F_IP_SADDR, ip + 12, saddr, 4);
	put_field(p, BW_F_IP_DADDR, ip + 16, daddr, 4);
	options(ip, 20, p->l3len);
	put16(ip + 10, fold(sum16(0, ip, p->l3len)));
	if (p->f[BW_F_IP_CHECKSUM])	/* as given, right or wrong */
		put16(ip + 10, (uint16_t)fval(p->f[BW_F_IP_CHECKSUM]));
}

/* Field row's value v into the header bytes at h (big endian, its bits
 * only for a sub-byte field). */
static void put_row(uint8_t *h, const struct bw_field *row, uint64_t v)
{
	uint64_t cur = 0, m;

	for (unsigned k = 0; k < row->size; k++)
		cur = cur << 8 | h[k];
	m = row->bits ? ((UINT64_C(1) << row->bits) - 1) << row->shift :
	    UINT64_MAX;
	cur = (cur & ~m) | ((v << row->shift) & m);
	for (unsigned k = row->size; k-- > 0; cur >>= 8)
		h[k] = (uint8_t)cur;
}

/* The view member an extension header's first bytes go to. */
static size_t ext_base(uint8_t bit)
{
	switch (bit) {
	case BW_EXT_HBH: return offsetof(struct bw_view, hbh);
	case BW_EXT_DST: return offsetof(struct bw_view, dst);
	case BW_EXT_RT: return offsetof(struct bw_view, rt);
	default: return offsetof(struct bw_view, frag);
	}
}

static uint8_t ext_bit(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS ? BW_EXT_HBH : nh == IPPROTO_ROUTING ? BW_EXT_RT :
	       nh == IPPROTO_FRAGMENT ? BW_EXT_FRAG : nh == IPPROTO_DSTOPTS ? BW_EXT_DST : 0;
}

/* The fields given of the first header of its kind, at h. */
static void write_ext_fields(const struct plan *p, uint8_t *h, uint8_t bit)
{
	for (int i = 0; i < BW_F__MAX; i++) {
		const struct bw_field *row = bw_field((enum bw_field_id)i);

		if (!p->f[i] || !bit || row->need_ext != bit || row->raw)
			continue;
		put_row(h + (row->id == BW_F_FRAG_ID ? 4 :
			     row->view_off - ext_base(bit)), row, fval(p->f[i]));
	}
}

/* A field of an extension header the packet does not have. */
static int check_ext(const struct plan *p, struct bw_diags *d)
{
	char a[32];

	for (int i = 0; i < BW_F__MAX; i++) {
		const struct bw_field *row = bw_field((enum bw_field_id)i);
		bool have = false;

		if (!p->f[i] || !row->need_ext)
			continue;
		for (unsigned k = 0; k < p->next; k++)
			have |= ext_bit(p->ext[k]) == row->need_ext;
		if (have)
			continue;
		err(d, p->f[i], "%s: the packet has no such extension header (give it with ip6 nexthdr or packet exthdr)",
		    fname(p->f[i], a, sizeof(a)));
		return -EINVAL;
	}
	for (int i = BW_F_SRH_LASTENT; i <= BW_F_SRH_SID2; i++) {
		struct bw_rawpay r;

		if (!p->f[i] || bw_rawpay_parse("srh", bw_field((enum bw_field_id)i)->name, &r) != BW_RAW_OK ||
		    (size_t)(r.off + r.len) / 8 <= rt_len(p))
			continue;
		err(d, p->f[i], "%s: past the routing header's %zu bytes (rt hdrlength)",
		    fname(p->f[i], a, sizeof(a)), rt_len(p));
		return -EINVAL;
	}
	return 0;
}

/* The srh fields given (srh.h) into the first routing header at h. */
static void write_srh(const struct plan *p, uint8_t *h)
{
	for (int i = BW_F_SRH_LASTENT; i <= BW_F_SRH_SID2; i++) {
		const struct bw_field *row = bw_field((enum bw_field_id)i);
		struct bw_rawpay r;

		if (p->f[i] && !bw_rawpay_parse("srh", row->name, &r))
			memcpy(h + r.off / 8, p->f[i]->val, row->size);
	}
}

/*
 * The extension headers after the fixed IPv6 header: hop-by-hop and
 * destination options hold one PadN option, routing is type 0 with no
 * segments left (so it routes nowhere), fragment takes packet frag-off
 * and more-fragments, AH carries a 12-byte zero ICV.
 */
static void write_ext(const struct plan *p, uint8_t *b)
{
	const struct bw_pkt_word_val *w = p->s->word;
	uint16_t frag = (uint16_t)((w[BW_PW_FRAGOFF].val << 3) | w[BW_PW_MF].val);

	uint8_t seen = 0;

	for (unsigned i = 0; i < p->next; i++) {
		uint8_t bit = ext_bit(p->ext[i]);

		b[0] = i + 1 < p->next ? p->ext[i + 1] : p->proto;
		switch (p->ext[i]) {
		case IPPROTO_HOPOPTS:
		case IPPROTO_DSTOPTS:
			b[2] = 1;		/* PadN, 4 bytes of padding */
			b[3] = 4;
			break;
		case IPPROTO_FRAGMENT:
			put16(b + 2, frag);
			put32(b + 4, 1);	/* identification */
			break;
		case IPPROTO_AH:
			b[1] = (uint8_t)(ext_len(IPPROTO_AH) / 4 - 2);
			put32(b + 4, 0x100);	/* SPI */
			put32(b + 8, 1);	/* sequence number */
			break;
		case IPPROTO_ROUTING:
			b[1] = (uint8_t)(ext_size(p, i) / 8 - 1);
			if (!(seen & bit))
				write_srh(p, b);
			break;
		}
		if (!(seen & bit))
			write_ext_fields(p, b, bit);
		seen |= bit;
		b += ext_size(p, i);
	}
}

static void write_ip6(const struct plan *p, uint8_t *ip)
{
	static const uint8_t saddr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t daddr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

	put32(ip, (uint32_t)(num(p, BW_F_IP6_VERSION, 6) << 28 |
			     num(p, BW_F_IP6_DSCP, 0) << 22 |
			     num(p, BW_F_IP6_ECN, 0) << 20 |
			     num(p, BW_F_IP6_FLOWLABEL, 0)));
	put16(ip + 4, (uint16_t)num(p, BW_F_IP6_LENGTH,
				    p->l3len - 40 + p->l4len + p->payload));
	ip[6] = p->next ? p->ext[0] : p->proto;
	ip[7] = (uint8_t)num(p, BW_F_IP6_HOPLIMIT, 64);
	put_field(p, BW_F_IP6_SADDR, ip + 8, saddr, 16);
	put_field(p, BW_F_IP6_DADDR, ip + 24, daddr, 16);
	write_ext(p, ip + 40);
}

/* The headers of bw_view_l4_soft(): zeros but the fields given (DCCP's
 * data offset says 12 bytes), each where the view has it. */
static void write_soft(const struct plan *p, uint8_t *l4)
{
	if (p->proto == IPPROTO_DCCP)
		l4[4] = 3;
	for (int i = 0; i < BW_F__MAX; i++) {
		const struct bw_field *row = bw_field((enum bw_field_id)i);

		if (!p->f[i] || row->need_l4proto != p->proto ||
		    row->view_off < offsetof(struct bw_view, l4h))
			continue;
		put_row(l4 + row->view_off - offsetof(struct bw_view, l4h), row,
			fval(p->f[i]));
	}
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
		put32(l4 + 4, (uint32_t)num(p, BW_F_TCP_SEQUENCE, 1));
		put32(l4 + 8, (uint32_t)num(p, BW_F_TCP_ACKSEQ, 0));
		l4[12] = (uint8_t)(num(p, BW_F_TCP_DOFF, p->l4len / 4) << 4);
		l4[13] = (uint8_t)num(p, BW_F_TCP_FLAGS, 0x02);
		put16(l4 + 14, (uint16_t)num(p, BW_F_TCP_WINDOW, 64240));
		put16(l4 + 18, (uint16_t)num(p, BW_F_TCP_URGPTR, 0));
		if (p->s->word[BW_PW_TCPOPTS].given)	/* EOLs after them */
			memcpy(l4 + 20, p->s->tcpopts, p->s->word[BW_PW_TCPOPTS].val);
		else
			options(l4, 20, p->l4len);
		break;
	case IPPROTO_UDP:
		put_field(p, BW_F_UDP_SPORT, l4, sport, 2);
		put_field(p, BW_F_UDP_DPORT, l4 + 2, dns, 2);
		put16(l4 + 4, (uint16_t)num(p, BW_F_UDP_LENGTH, seg));
		break;
	case IPPROTO_ICMP:
		/* the type whose field is given (icmp mtu: 3), else echo */
		l4[0] = (uint8_t)num(p, BW_F_ICMP_TYPE, p->f[BW_F_ICMP_MTU] ? 3 :
				     p->f[BW_F_ICMP_GATEWAY] ? 5 : 8);
		l4[1] = (uint8_t)num(p, BW_F_ICMP_CODE, 0);
		put16(l4 + 4, (uint16_t)num(p, BW_F_ICMP_ID, 1));
		put16(l4 + 6, (uint16_t)num(p, BW_F_ICMP_SEQUENCE, 1));
		if (p->f[BW_F_ICMP_MTU])
			put16(l4 + 6, (uint16_t)fval(p->f[BW_F_ICMP_MTU]));
		if (p->f[BW_F_ICMP_GATEWAY])
			put32(l4 + 4, (uint32_t)fval(p->f[BW_F_ICMP_GATEWAY]));
		break;
	case IPPROTO_ICMPV6:
		l4[0] = (uint8_t)num(p, BW_F_ICMP6_TYPE, p->f[BW_F_ICMP6_MTU] ? 2 :
				     p->f[BW_F_ICMP6_MAXDELAY] ? 130 : 128);
		l4[1] = (uint8_t)num(p, BW_F_ICMP6_CODE, 0);
		put16(l4 + 4, (uint16_t)num(p, BW_F_ICMP6_ID, 1));
		put16(l4 + 6, (uint16_t)num(p, BW_F_ICMP6_SEQUENCE, 1));
		if (p->f[BW_F_ICMP6_MTU])
			put32(l4 + 4, (uint32_t)fval(p->f[BW_F_ICMP6_MTU]));
		if (p->f[BW_F_ICMP6_MAXDELAY])
			put16(l4 + 4, (uint16_t)fval(p->f[BW_F_ICMP6_MAXDELAY]));
		break;
	default:
		write_soft(p, l4);
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
	/* a checksum given: as given, right or wrong */
	for (int i = BW_F_TCP_CHECKSUM; i <= BW_F_ICMP6_CHECKSUM; i++)
		if (p->f[i] && bw_field((enum bw_field_id)i)->need_l4proto == p->proto)
			put16(cs, (uint16_t)fval(p->f[i]));
}

/* VLAN tags: 802.1ad outside, 802.1Q innermost (the first as ether type
 * says, if it does); the first takes the vlan fields given, the inner
 * ones VLAN id 1, 2, ... */
/* An Ethernet/IPv4 ARP header (RFC 826): a request from the frame's
 * source unless the fields say otherwise. */
static void write_arp(const struct plan *p, uint8_t *b, const uint8_t *esrc)
{
	static const uint8_t zero[6];

	put16(b, (uint16_t)num(p, BW_F_ARP_HTYPE, 1));
	put16(b + 2, (uint16_t)num(p, BW_F_ARP_PTYPE, 0x0800));
	b[4] = (uint8_t)num(p, BW_F_ARP_HLEN, 6);
	b[5] = (uint8_t)num(p, BW_F_ARP_PLEN, 4);
	put16(b + 6, (uint16_t)num(p, BW_F_ARP_OP, 1));
	put_field(p, BW_F_ARP_SHA, b + 8, esrc, 6);
	put_field(p, BW_F_ARP_SPA, b + 14, zero, 4);
	put_field(p, BW_F_ARP_THA, b + 18, zero, 6);
	put_field(p, BW_F_ARP_TPA, b + 24, zero, 4);
}

static void write_vlans(const struct plan *p, uint8_t *b)
{
	for (unsigned i = 0; i < p->vlans; i++, b += 4) {
		uint16_t tci = (uint16_t)i;

		if (i == 0)
			tci = (uint16_t)(num(p, BW_F_VLAN_ID, 0) |
					 num(p, BW_F_VLAN_DEI, 0) << 12 |
					 num(p, BW_F_VLAN_PCP, 0) << 13);
		put16(b, i == 0 && p->outer ? p->outer :
		      i + 1 == p->vlans ? 0x8100 : 0x88a8);
		put16(b + 2, tci);
	}
}

/* Garbage after the IP packet (packet trailer): a pattern that is
 * neither zeros nor a header. */
static void write_garbage(uint8_t *b, size_t n)
{
	static const uint8_t pat[4] = { 0xde, 0xad, 0xbe, 0xef };

	for (size_t i = 0; i < n; i++)
		b[i] = pat[i % 4];
}

/* ether type is the frame's own EtherType (nft's): on a tagged frame the
 * tag's; vlan type is the one after the first tag. */
static int check_tags(const struct plan *p, struct bw_diags *d)
{
	const struct bw_pkt_field *et = p->f[BW_F_ETHER_TYPE];
	const struct bw_pkt_field *vt = p->f[BW_F_VLAN_TYPE];

	if (et && !p->outer && p->vlans) {
		err(d, et, "ether type: a frame with a VLAN tag has the tag's (vlan or 8021ad); the protocol inside the tag is vlan type");
		return -EINVAL;
	}
	if (vt && p->vlans > 1) {
		err(d, vt, "vlan type: with %u tags the EtherType after the first is a tag's", p->vlans);
		return -EINVAL;
	}
	return 0;
}

int bw_pkt_build(const struct bw_pkt_spec *s, uint8_t *buf, size_t cap,
		 struct bw_diags *d)
{
	static const uint8_t esrc[6] = { 2, 0, 0, 0, 0, 1 };
	static const uint8_t edst[6] = { 2, 0, 0, 0, 0, 2 };
	struct plan p = { .s = s };
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
	ret = plan_words(&p, s, d);
	if (!ret)
		ret = check_echo(&p, d);
	if (!ret)
		ret = check_ext(&p, d);
	if (!ret)
		ret = check_tags(&p, d);
	if (ret)
		return ret;
	if (p.l3 == 0)
		p.l3 = 4;
	if (p.l3 > 0 && !p.proto_by && !p.l4_by)
		p.proto = IPPROTO_TCP;
	if (s->quote) {
		ret = plan_quote(&p, s->quote, d);
		if (ret)
			return ret;
	}
	if (s->word[BW_PW_PAYLOAD].given) {
		if (s->quote || p.l3 <= 0)
			return word_err(d, &s->word[BW_PW_PAYLOAD], s->quote ?
					"packet payload: give one of it and quote" :
					"packet payload: the bytes after an IP packet's transport header; this frame is not IP");
		memcpy(p.quote, s->payload, s->npayload);
		p.nquote = s->npayload;
	}
	if (!p.type_by && !p.inner_set)
		p.ethertype = p.l3 == 6 ? 0x86dd : 0x0800;
	ret = plan_lengths(&p, cap, d);
	if (ret)
		return ret;

	len = p.l2len + p.l3len + p.l4len + p.payload + p.trailer + p.garbage;
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
	write_vlans(&p, buf + 12);
	put16(buf + p.l2len - 2, p.ethertype);
	write_garbage(buf + len - p.garbage, p.garbage);
	if (p.l3 < 0 && p.ethertype == 0x0806)
		write_arp(&p, buf + p.l2len, buf + 6);
	if (p.l3 > 0) {
		ip = buf + p.l2len;
		l4 = ip + p.l3len;
		write_l4(&p, l4);
		memcpy(l4 + p.l4len, p.quote, p.nquote);
		if (p.l3 == 4)
			write_ip4(&p, ip);
		else
			write_ip6(&p, ip);
		l4_csum(&p, ip, l4);
	}
	/* last: the lengths and checksums above are the whole packet's */
	if (s->word[BW_PW_TRUNCATE].given)
		return (int)s->word[BW_PW_TRUNCATE].val;
	return (int)len;
}
