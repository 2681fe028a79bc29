// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reference packet parser: the steps of view.h in plain C.  This is the
 * oracle the BPF prologue is tested against, so it is written to be read,
 * not to be fast.  Every read is preceded by a bounds check against the
 * frame length (or the IP total / payload length, which never exceeds it).
 */
#include <stdbool.h>
#include <string.h>
#include <netinet/in.h>

#include "compiler/front/view.h"

#define ETH_HLEN_	14
#define ETH_P_IPV4_	0x0800
#define ETH_P_IPV6_	0x86DD
#define ETH_P_8021Q_	0x8100
#define ETH_P_8021AD_	0x88A8

static const char *const reason_names[BW_REASON__MAX] = {
	[BW_REASON_ETH_TRUNC]	= "eth-truncated",
	[BW_REASON_VLAN_DEPTH]	= "vlan-depth",
	[BW_REASON_IP4_BAD]	= "ipv4-malformed",
	[BW_REASON_IP6_BAD]	= "ipv6-malformed",
	[BW_REASON_IP6_EXT]	= "ipv6-ext-depth",
	[BW_REASON_FRAG_BAD]	= "fragment-bad",
	[BW_REASON_L4_TRUNC]	= "l4-truncated",
	[BW_REASON_TCP_BAD]	= "tcp-malformed",
	[BW_REASON_SCTP_CHUNKS]	= "sctp-chunks",
};

const char *bw_reason_name(enum bw_reason r)
{
	if ((unsigned)r >= BW_REASON__MAX)
		return "unknown";
	return reason_names[r];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static int drop(enum bw_reason *reason, enum bw_reason r)
{
	if (reason)
		*reason = r;
	return 1;
}

static bool is_vlan(uint16_t type)
{
	return type == ETH_P_8021Q_ || type == ETH_P_8021AD_;
}

/*
 * Step 4: the transport header at pkt[off, end).  Only called for
 * unfragmented packets and first fragments.
 */
static int parse_l4(const uint8_t *pkt, size_t off, size_t end,
		    struct bw_view *v, enum bw_reason *reason)
{
	size_t need;

	/* where the transport header is, whatever its protocol (raw
	 * payload @th reads there); BW_VIEW_L4 says whether it is whole */
	v->l4off = (uint16_t)off;
	switch (v->l4proto) {
	case IPPROTO_TCP:
		need = 20;
		break;
	case IPPROTO_UDP:
		need = 8;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		need = 8;
		/* ICMP in IPv6, ICMPv6 in IPv4: 8 bytes, or the type byte
		 * alone when shorter (nft's icmp type in an ip6 table reads
		 * the byte it has), never dropped */
		if (v->l3 == (v->l4proto == IPPROTO_ICMP ? 4 : 6))
			break;
		if (off >= end)
			return 0;
		if (end - off < need)
			need = 1;
		break;
	default:
		need = bw_view_l4_soft(v->l4proto);
		if (!need)
			return 0;
		break;
	}
	if (off > end || end - off < need)
		return drop(reason, BW_REASON_L4_TRUNC);
	if (v->l4proto == IPPROTO_TCP && (pkt[off + 12] >> 4) < 5)
		return drop(reason, BW_REASON_TCP_BAD);
	memcpy(v->l4h, pkt + off, need);
	v->flags |= BW_VIEW_L4;
	if (v->l4proto == 135)
		v->exthdrs |= BW_EXT_MH;
	if (bw_view_icmp_echo(v->l4proto, v->l4h[0]))
		v->flags |= BW_VIEW_ECHO;
	v->l4off = (uint16_t)off;
	return 0;
}

/* Step 2: IPv4 at pkt[off, len). */
static int parse_ip4(const uint8_t *pkt, size_t len, size_t off,
		     struct bw_view *v, enum bw_reason *reason)
{
	const uint8_t *ip = pkt + off;
	size_t rem = len - off, ihl, tot;
	uint16_t frag, foff;

	if (rem < 20)
		return drop(reason, BW_REASON_IP4_BAD);
	if ((ip[0] >> 4) != 4)
		return drop(reason, BW_REASON_IP4_BAD);
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	if (ihl < 20)
		return drop(reason, BW_REASON_IP4_BAD);
	tot = get16(ip + 2);
	if (tot < ihl || tot > rem)
		return drop(reason, BW_REASON_IP4_BAD);

	memcpy(v->l3h, ip, 20);
	v->l3 = 4;
	v->iplen = (uint32_t)tot;
	v->nfproto = 2;		/* NFPROTO_IPV4 */
	v->l4proto = ip[9];
	memcpy(&v->frag_id, ip + 4, 2);

	frag = get16(ip + 6);
	foff = frag & 0x1fff;
	if ((frag & 0x2000) || foff)
		v->flags |= BW_VIEW_FRAG;
	if (foff == 1 && v->l4proto == IPPROTO_TCP)
		return drop(reason, BW_REASON_FRAG_BAD);
	if (foff) {
		v->flags |= BW_VIEW_LATER;
		return 0;	/* non-first fragment: no transport header */
	}
	return parse_l4(pkt, off + ihl, off + tot, v, reason);
}

/* Step 3: IPv6 at pkt[off, len). */
/* The first header of each kind the walk meets: its first bytes (the
 * header holds 8 at least) and its bit in exthdrs. */
static void record_ext(struct bw_view *v, uint8_t nh, const uint8_t *h)
{
	uint8_t bit = nh == IPPROTO_HOPOPTS ? BW_EXT_HBH :
		      nh == IPPROTO_ROUTING ? BW_EXT_RT :
		      nh == IPPROTO_FRAGMENT ? BW_EXT_FRAG :
		      nh == IPPROTO_DSTOPTS ? BW_EXT_DST : 0;

	if (!bit || (v->exthdrs & bit))
		return;
	v->exthdrs |= bit;
	if (bit == BW_EXT_HBH)
		memcpy(v->hbh, h, 2);
	else if (bit == BW_EXT_DST)
		memcpy(v->dst, h, 2);
	else if (bit == BW_EXT_RT)
		memcpy(v->rt, h, 4);
	else
		memcpy(v->frag, h, 4);
}

/*
 * nf_tables' exthdr lookups (ipv6_find_hdr() for one kind, no flags)
 * walk past AH, its transport walk does not: from the AH at p, the
 * extension headers after it are recorded as the first of their kind,
 * never dropped.  The walk ends at what is no extension header, at a
 * header without 8 bytes or cut short (recorded first), after a later
 * fragment's header, or after BW_IP6_EXT_MAX headers, AH the first.
 */
static void record_past_ah(const uint8_t *pkt, size_t p, size_t end,
			   struct bw_view *v)
{
	uint8_t nh = IPPROTO_AH;
	size_t hlen;

	for (int next = 0; next < BW_IP6_EXT_MAX && bw_view_ip6_exthdr(nh); next++) {
		if (p > end || end - p < 8)
			return;
		record_ext(v, nh, pkt + p);
		hlen = nh == IPPROTO_FRAGMENT ? 8 :
		       nh == IPPROTO_AH ? ((size_t)pkt[p + 1] + 2) * 4 :
		       ((size_t)pkt[p + 1] + 1) * 8;
		if (end - p < hlen)
			return;
		if (nh == IPPROTO_FRAGMENT && (get16(pkt + p + 2) >> 3))
			return;
		nh = pkt[p];
		p += hlen;
	}
}

static int parse_ip6(const uint8_t *pkt, size_t len, size_t off,
		     struct bw_view *v, enum bw_reason *reason)
{
	const uint8_t *ip = pkt + off;
	size_t rem = len - off, end, p, hlen;
	uint8_t nh;
	int next;

	if (rem < 40 || (ip[0] >> 4) != 6)
		return drop(reason, BW_REASON_IP6_BAD);
	if ((size_t)get16(ip + 4) > rem - 40)
		return drop(reason, BW_REASON_IP6_BAD);
	end = off + 40 + get16(ip + 4);

	memcpy(v->l3h, ip, 40);
	v->l3 = 6;
	v->iplen = (uint32_t)(end - off);
	v->nfproto = 10;	/* NFPROTO_IPV6 */

	nh = ip[6];
	p = off + 40;
	for (next = 0; bw_view_ip6_ext(nh); next++) {
		uint16_t frag;

		if (next == BW_IP6_EXT_MAX)
			return drop(reason, BW_REASON_IP6_EXT);
		if (end - p < 2)
			return drop(reason, BW_REASON_IP6_BAD);
		if (nh == IPPROTO_FRAGMENT)
			hlen = 8;
		else
			hlen = ((size_t)pkt[p + 1] + 1) * 8;
		if (end - p < hlen)
			return drop(reason, BW_REASON_IP6_BAD);
		record_ext(v, nh, pkt + p);
		if (nh != IPPROTO_FRAGMENT) {
			nh = pkt[p];
			p += hlen;
			continue;
		}
		frag = get16(pkt + p + 2);
		{
			uint32_t id;

			memcpy(&id, pkt + p + 4, 4);
			v->frag_id |= id;
		}
		nh = pkt[p];
		p += hlen;
		if (frag & 0xfff9) {	/* offset or M; bits 1-2 reserved */
			v->flags |= BW_VIEW_FRAG;
			if (frag >> 3) {
				/* non-first fragment: what follows is
				 * payload, not headers */
				v->flags |= BW_VIEW_LATER;
				v->l4proto = nh;
				return 0;
			}
		}
	}
	v->l4proto = nh;
	if (nh == IPPROTO_AH)
		record_past_ah(pkt, p, end, v);
	return parse_l4(pkt, p, end, v, reason);
}

int bw_view_parse(const uint8_t *pkt, size_t len, struct bw_view *v,
		  enum bw_reason *reason)
{
	size_t off = ETH_HLEN_;
	uint16_t type;
	int tags;

	memset(v, 0, sizeof(*v));
	v->pkt_len = (uint32_t)len;
	if (len < ETH_HLEN_)
		return drop(reason, BW_REASON_ETH_TRUNC);
	memcpy(v->eth, pkt, ETH_HLEN_);
	type = get16(pkt + 12);

	for (tags = 0; tags < BW_VLAN_MAX && is_vlan(type); tags++) {
		if (len - off < 4)
			return drop(reason, BW_REASON_ETH_TRUNC);
		if (tags == 0) {
			v->vlan_tci = get16(pkt + off);
			v->vlan_type = get16(pkt + off + 2);
			v->flags |= BW_VIEW_VLAN;
		}
		type = get16(pkt + off + 2);
		off += 4;
	}
	if (is_vlan(type))
		return drop(reason, BW_REASON_VLAN_DEPTH);
	v->ethertype = type;
	v->l3off = (uint16_t)off;
	v->l3len = (uint32_t)(len - off);

	if (type == ETH_P_IPV4_)
		return parse_ip4(pkt, len, off, v, reason);
	if (type == ETH_P_IPV6_)
		return parse_ip6(pkt, len, off, v, reason);
	if (type == 0x0806 && len - off >= 28) {	/* step 5: ARP */
		memcpy(v->l3h, pkt + off, 28);
		v->arp = 1;
	}
	return 0;
}

int bw_view_parse_l3(const uint8_t *pkt, size_t len, uint16_t ethertype,
		     struct bw_view *v, enum bw_reason *reason)
{
	memset(v, 0, sizeof(*v));
	v->pkt_len = (uint32_t)len;
	v->l3len = (uint32_t)len;
	v->ethertype = ethertype;
	if (ethertype == ETH_P_IPV4_)
		return parse_ip4(pkt, len, 0, v, reason);
	if (ethertype == ETH_P_IPV6_)
		return parse_ip6(pkt, len, 0, v, reason);
	return 0;
}
