/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The packet view: what every hook's prologue builds on the BPF stack before
 * the first rule runs, and what the reference parser (view.c) builds in C for
 * the interpreter.  Rules never touch packet memory: each field is a load at
 * a fixed offset of this struct (see fields.c), so one matcher codegen serves
 * XDP, TC, and later the connect hook (whose context loader fills the view
 * from the socket address instead of packet bytes).
 *
 * Layout rules: the struct sits at r10 - BW_VIEW_SIZE (8-byte aligned); every
 * header copy starts 8-byte aligned so each field load is naturally aligned
 * (the verifier demands aligned stack access).  The prologue zeroes the view
 * first.  Header bytes are copied raw (network byte order).
 *
 * Parsing (identical in the BPF prologue and in bw_view_parse(); where they
 * disagree, it is a bug the differential tests must catch):
 *
 *  1. Ethernet: frame < 14 bytes: drop (BW_REASON_ETH_TRUNC).  eth[] gets the
 *     first 14 bytes.  Then VLAN tags (0x8100, 0x88a8) are walked up to
 *     BW_VLAN_MAX tags: vlan_tci gets the first tag's TCI and vlan_type
 *     the EtherType after it (host order), flags |= BW_VIEW_VLAN; more
 *     tags than that: drop (BW_REASON_VLAN_DEPTH); a tag cut short: drop
 *     (BW_REASON_ETH_TRUNC).  ethertype = the inner protocol, host order
 *     (nft's `ether type` is the outer one: eth[12..13]).
 *  2. IPv4 (ethertype 0x0800): fewer than 20 bytes left, version != 4,
 *     IHL < 5, total length < IHL*4 or beyond the frame: drop
 *     (BW_REASON_IP4_BAD).  l3h[0..19] = the fixed header (options skipped by
 *     IHL).  l3 = 4, iplen = total length.  l4proto = protocol.
 *     frag_id = identification.
 *     Fragment: MF or offset != 0 (reserved bit ignored): flags |=
 *     BW_VIEW_FRAG; offset != 0 is a non-first
 *     fragment: BW_VIEW_LATER, no transport header.  TCP fragment at
 *     offset 1 (8 bytes): drop (BW_REASON_FRAG_BAD).
 *  3. IPv6 (ethertype 0x86DD): fewer than 40 bytes, version != 6: drop
 *     (BW_REASON_IP6_BAD); payload length beyond the frame: drop.
 *     l3h[0..39] = fixed header, l3 = 6, iplen = 40 + payload length.
 *     Extension headers hop-by-hop (0), routing (43), fragment (44),
 *     destination options (60) (bw_view_ip6_ext()) are
 *     walked up to BW_IP6_EXT_MAX headers; longer: drop
 *     (BW_REASON_IP6_EXT); an extension header cut short: drop
 *     (BW_REASON_IP6_BAD).  The first hop-by-hop, routing, fragment and
 *     destination options header each leave their first bytes in
 *     hbh, rt, frag, dst and a bit in exthdrs (BW_EXT_*).  l4proto = first next-header that is none of
 *     those (59 and 135 are upper layers).  The walk stops at AH (51),
 *     as nf_tables' does (ipv6_find_hdr() with IP6_FH_F_AUTH): AH is the
 *     upper layer, step 4 reads its first 12 bytes.  nft's exthdr
 *     lookups do walk past AH: the headers after it are still recorded
 *     (hbh, rt, frag, dst, exthdrs), BW_IP6_EXT_MAX headers at most, AH
 *     the first, never dropped, ending at anything amiss and after a
 *     later fragment's header (BPF: only where rules read them).  Fragment header with offset or M
 *     set: BW_VIEW_FRAG; a fragment header's id ORed into frag_id; offset != 0: BW_VIEW_LATER, no
 *     transport header.  Atomic fragment (offset 0, M 0): unfragmented.
 *  4. Transport, only for unfragmented packets and first fragments, only
 *     inside the IP total/payload length: TCP needs 20 bytes and data
 *     offset >= 5, UDP 8, ICMP/ICMPv6 8.  Shorter (a tiny first fragment, a
 *     cut header): drop (BW_REASON_L4_TRUNC; TCP data offset < 5:
 *     BW_REASON_TCP_BAD).  l4h[] gets those bytes (TCP 20, others 8), and
 *     flags |= BW_VIEW_L4.  SCTP, DCCP, UDP-Lite, ESP, IPComp, AH, IGMP,
 *     GRE alike, the bytes bw_view_l4_soft() says.  Other protocols: l4h
 *     stays zero, no BW_VIEW_L4.
 *     An ICMP echo request or reply (type 8 or 0), an ICMPv6 one (128 or
 *     129): flags |= BW_VIEW_ECHO (their id and sequence fields exist).
 *  5. ARP (ethertype 0x0806) with 28 bytes or more: l3h[0..27] = the
 *     ARP header, arp = 1 (BPF programs copy it only when a rule reads
 *     an arp field).  Other ethertypes: l3 = 0, nothing more parsed, no
 *     drop.
 *
 * Drops of step 1-4 happen before any rule, for every table family, and are
 * counted per reason in the BW_MAP_REASONS map.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BW_VLAN_MAX	4
#define BW_IP6_EXT_MAX	8

enum bw_view_flags {
	BW_VIEW_L4   = 1 << 0,	/* l4h holds a complete transport header */
	BW_VIEW_FRAG = 1 << 1,	/* packet is a fragment (first or not) */
	BW_VIEW_VLAN = 1 << 2,	/* at least one VLAN tag was present */
	BW_VIEW_ECHO = 1 << 3,	/* an ICMP/ICMPv6 echo request or reply */
	BW_VIEW_LATER = 1 << 4,	/* a fragment after the first (offset != 0):
				 * no transport header */
	BW_VIEW_FRAG_OK = 1 << 5, /* conntrack (ct.h): a later fragment whose
				 * first fragment the program accepted */
	BW_VIEW_IIF = 1 << 6,	/* netfilter hooks: iif, iifname are set */
	BW_VIEW_OIF = 1 << 7,	/* oif, oifname are set */
};

struct bw_view {
	uint32_t pkt_len;	/*  0: bytes at the hook (xdp: frame; tc: skb->len) */
	uint8_t  l3;		/*  4: 0 none, 4 IPv4, 6 IPv6 */
	uint8_t  l4proto;	/*  5: IPPROTO_* after extension headers; 0 if l3 == 0 */
	uint8_t  flags;		/*  6: enum bw_view_flags */
	uint8_t  nfproto;	/*  7: NFPROTO_IPV4 (2), NFPROTO_IPV6 (10), 0 */
	uint16_t ethertype;	/*  8: inner protocol, host order */
	uint16_t vlan_tci;	/* 10: first tag's TCI, host order */
	uint32_t mark;		/* 12: skb->mark at tc, 0 at xdp */
	uint8_t  eth[14];	/* 16: dst[6] src[6] type[2] as on the wire */
	uint8_t  exthdrs;	/* 30: BW_EXT_* of the IPv6 extension headers
				 *     the walk met (only when a rule asks) */
	uint8_t  arp;		/* 31: 1 when l3h holds a whole ARP header
				 *     (ethertype 0x0806, 28 bytes at l3off;
				 *     BPF: only when a rule asks) */
	uint8_t  l3h[40];	/* 32: IPv4 fixed header or IPv6 fixed header */
	uint8_t  l4h[24];	/* 72: TCP 20 / UDP 8 / ICMP 8 bytes; bytes
				 *     20..23: meta cpu (netdev programs
				 *     whose rules read it; the interpreter:
				 *     bw_interp_ctx.cpu) */
	uint8_t  pkttype;	/* 96: PACKET_HOST 0, _BROADCAST 1, _MULTICAST 2,
				 *     _OTHERHOST 3: from the destination MAC
				 *     (only when a rule asks) */
	uint8_t  ct_state;	/* 97: conntrack state bit (BW_CT_*), when
				 *     a rule asks */
	uint16_t l3off;		/* 98: frame offset past Ethernet and VLAN tags:
				 *     the network header */
	uint16_t l4off;		/* 100: of the transport header of an
				 *      unfragmented packet or first
				 *      fragment, whatever its protocol (0:
				 *      none; BW_VIEW_L4: a whole one) */
	uint16_t vlan_type;	/* 102: the EtherType after the first VLAN
				 *     tag (nft's vlan type), host order */
	uint32_t l3len;		/* 104: pkt_len - l3off: what the kernel's
				 *     skb->len is at netdev ingress (nft's
				 *     meta length there) */
	uint32_t iplen;		/* 108: the IP packet's own length (IPv4
				 *     total length, IPv6 40 + payload
				 *     length), 0 if not IP: skb->len at the IP
				 *     hooks, where the kernel has cut off what
				 *     trails the packet (nft's meta length) */
	uint32_t frag_id;	/* 112: the fragment id as on the wire: IPv4's
				 *     identification (2 bytes, then zeros);
				 *     IPv6, the fragment header's (4 bytes; OR
				 *     of them if several), else 0 */
	uint8_t  hbh[2];	/* 116: the first hop-by-hop header's next
				 *      header and length (BW_EXT_HBH) */
	uint8_t  dst[2];	/* 118: the first destination options
				 *      header's (BW_EXT_DST) */
	/*
	 * 120: 48 bytes that each kind of program uses its own way (the
	 * stack has no room for both):
	 *   the netfilter hooks, one program for every interface: the
	 *   interfaces, filled by start() when a rule asks (XDP and TC
	 *   programs serve one device and decide interface matches when
	 *   they are generated; these stay zero there);
	 *   XDP and TC programs that track connections (compiler/interp/ct.h):
	 *   the conntrack key and the pending entry (BW_STK_CT).
	 */
	union {
		struct {
			uint32_t iif;		/* 120: input interface index, 0: none */
			uint32_t oif;		/* 124: output interface index, 0: none */
			char iifname[16];	/* 128: its name, NUL padded */
			char oifname[16];	/* 144 */
			uint64_t pad3;		/* 160 */
		};
		uint8_t ct[48];
	};
	uint8_t  rt[4];		/* 168: the first routing header's next
				 *      header, length, type, segments left
				 *      (BW_EXT_RT) */
	uint8_t  frag[4];	/* 172: the first fragment header's next
				 *      header, reserved byte, offset/flags
				 *      word (BW_EXT_FRAG; its id: frag_id) */
};				/* 176 */

#define BW_VIEW_SIZE	((int)sizeof(struct bw_view))
/* Stack offset (from r10) of a view member. */
#define BW_VIEW_OFF(member) (-BW_VIEW_SIZE + (int)offsetof(struct bw_view, member))

_Static_assert(sizeof(struct bw_view) == 176, "view layout is ABI of codegen");
_Static_assert(offsetof(struct bw_view, ct) % 8 == 0, "ct aligned");
_Static_assert(offsetof(struct bw_view, l3h) % 8 == 0, "l3h aligned");
_Static_assert(offsetof(struct bw_view, l4h) % 8 == 0, "l4h aligned");

/* view.exthdrs: the IPv6 extension headers the walk of step 3 met
 * (hbh, rt, frag, dst: their first bytes in the view), and a mobility
 * header as the upper layer (step 4).  Filled only in programs whose
 * rules read them (the reference parser always fills them). */
enum bw_view_ext {
	BW_EXT_HBH  = 1 << 0,
	BW_EXT_RT   = 1 << 1,
	BW_EXT_FRAG = 1 << 2,
	BW_EXT_DST  = 1 << 3,
	BW_EXT_MH   = 1 << 4,
};

enum bw_reason {
	BW_REASON_ETH_TRUNC,
	BW_REASON_VLAN_DEPTH,
	BW_REASON_IP4_BAD,
	BW_REASON_IP6_BAD,
	BW_REASON_IP6_EXT,
	BW_REASON_FRAG_BAD,
	BW_REASON_L4_TRUNC,
	BW_REASON_TCP_BAD,
	BW_REASON_SCTP_CHUNKS,	/* an sctp chunk match's answer lies past
				 * BW_SCTP_CHUNK_MAX chunks (sctp_chunk.h) */
	BW_REASON__MAX
};

/* An IPv6 extension header as the kernel's ipv6_ext_hdr() knows them
 * (No Next Header aside): hop-by-hop, routing, fragment, destination
 * options, AH.  Conntrack's walk (ipv6_skip_exthdr(), the quoted packet
 * of an ICMPv6 error) steps over all of them; packet specs build them. */
static inline bool bw_view_ip6_exthdr(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 44 || nh == 60 || nh == 51;
}

/* An IPv6 extension header the walk of step 3 steps over: the same but
 * AH.  nf_tables finds the transport header with ipv6_find_hdr(...,
 * IP6_FH_F_AUTH) (nf_tables_ipv6.h), which stops at AH: for nft the
 * upper layer of such a packet is AH (meta l4proto 51, `ah spi` reads
 * it), and a TCP header after it is not a transport header. */
static inline bool bw_view_ip6_ext(uint8_t nh)
{
	return bw_view_ip6_exthdr(nh) && nh != 51;
}

/* Step 4's other transport headers: SCTP's common header, DCCP's generic
 * header (12 bytes, X = 0), UDP-Lite, ESP's SPI and sequence, IPComp and
 * AH (IPv4's and, where step 3 stops at it, IPv6's), IGMP
 * (igmp_rcv drops fewer than 8 bytes), GRE's first 4 bytes (gre_rcv
 * drops fewer).  The
 * bytes to copy, 0 for none.  Cut short, such a packet is dropped as a
 * TCP or UDP one is (BW_REASON_L4_TRUNC): the kernel's receive paths of
 * these protocols drop it too. */
static inline unsigned bw_view_l4_soft(uint8_t proto)
{
	switch (proto) {
	case 132: return 12;	/* sctp */
	case 33: return 12;	/* dccp */
	case 136: return 8;	/* udplite */
	case 50: return 8;	/* esp */
	case 108: return 4;	/* comp */
	case 51: return 12;	/* ah */
	case 135: return 6;	/* mh (IPv6's) */
	case 2: return 8;	/* igmp */
	case 47: return 4;	/* gre: flags, version, protocol */
	}
	return 0;
}

/* An ICMP (1) or ICMPv6 (58) type with an id and a sequence: an echo
 * request or reply (step 4's BW_VIEW_ECHO). */
static inline bool bw_view_icmp_echo(uint8_t proto, uint8_t type)
{
	if (proto == 1)
		return type == 8 || type == 0;
	return proto == 58 && (type == 128 || type == 129);
}

/* Short names for `list ruleset`, the manual and JSON ("eth-truncated"...). */
const char *bw_reason_name(enum bw_reason r);

/*
 * Reference parser.  Returns 0 and fills *v, or returns 1 and sets *reason
 * when the packet must be dropped before any rule.  pkt_len is set to len.
 */
int bw_view_parse(const uint8_t *pkt, size_t len, struct bw_view *v,
		  enum bw_reason *reason);
/* The same for a packet that starts at its network header (what the
 * netfilter hooks see): ethertype says IPv4 (0x0800) or IPv6 (0x86DD);
 * steps 2-4 only, view.eth left zero. */
int bw_view_parse_l3(const uint8_t *pkt, size_t len, uint16_t ethertype,
		     struct bw_view *v, enum bw_reason *reason);
