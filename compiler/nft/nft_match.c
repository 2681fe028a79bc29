// SPDX-License-Identifier: GPL-2.0-only
/*
 * IR matches as nf_tables expressions, as nft generates them for the same
 * text: where each field is (payload base and offset, meta or ct key), the
 * dependencies nft adds in front of it, and the compare of a match's
 * elements (lo, hi, mask in ir.h) as cmp, range, bitwise, or a lookup in
 * an anonymous set.  An element that has no exact form is an error at the
 * match.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/if_arp.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_owner.h>
#include <linux/netfilter/xt_multiport.h>

#include "nft_int.h"
#include "compiler/front/view.h"
#include "compiler/front/tunnel.h"
#include "compiler/front/rawpay.h"
#include "nft_match_int.h"

#define PL(B, O, L, T) { .src = KF_PAYLOAD, .base = NFT_PAYLOAD_##B##_HEADER, \
			  .off = O, .len = L, .dtype = BW_NT_##T }
/* nft's exthdr: the first IPv6 extension header of that kind */
#define EXT(P, O, L, T) { .src = KF_EXTHDR, .base = P, .off = O, .len = L, \
			  .dtype = BW_NT_##T }
/* ct keys; D: 0 none, 1 original, 2 reply */
#define CTK(K, L, H, T, D) { .src = KF_CT, .key = NFT_CT_##K, .len = L, \
			     .host = H, .dtype = BW_NT_##T, .dir = D }
#define META(K, L, H, T) { .src = KF_META, .key = NFT_META_##K, .len = L, \
			   .host = H, .dtype = BW_NT_##T }

static const struct bw_kfield kfields[BW_F__MAX] = {
	[BW_F_META_NFPROTO]	= META(NFPROTO, 1, false, NFPROTO),
	[BW_F_META_L4PROTO]	= META(L4PROTO, 1, false, INET_PROTOCOL),
	[BW_F_META_PKTLEN]	= META(LEN, 4, true, INTEGER),
	[BW_F_META_FRAMELEN]	= META(LEN, 4, true, INTEGER),
	[BW_F_META_IPLEN]	= META(LEN, 4, true, INTEGER),
	[BW_F_ETHER_DADDR]	= PL(LL, 0, 6, ETHERADDR),
	[BW_F_ETHER_SADDR]	= PL(LL, 6, 6, ETHERADDR),
	[BW_F_ETHER_TYPE]	= PL(LL, 12, 2, ETHERTYPE),
	[BW_F_IP_VERSION]	= PL(NETWORK, 0, 1, INTEGER),
	[BW_F_IP_HDRLENGTH]	= PL(NETWORK, 0, 1, INTEGER),
	[BW_F_IP_DSCP]		= PL(NETWORK, 1, 1, DSCP),
	[BW_F_IP_ECN]		= PL(NETWORK, 1, 1, ECN),
	[BW_F_IP_LENGTH]	= PL(NETWORK, 2, 2, INTEGER),
	[BW_F_IP_ID]		= PL(NETWORK, 4, 2, INTEGER),
	[BW_F_IP_FRAGOFF]	= PL(NETWORK, 6, 2, INTEGER),
	[BW_F_IP_TTL]		= PL(NETWORK, 8, 1, INTEGER),
	[BW_F_IP_PROTOCOL]	= PL(NETWORK, 9, 1, INET_PROTOCOL),
	[BW_F_IP_SADDR]		= PL(NETWORK, 12, 4, IPADDR),
	[BW_F_IP_DADDR]		= PL(NETWORK, 16, 4, IPADDR),
	[BW_F_IP6_VERSION]	= PL(NETWORK, 0, 1, INTEGER),
	[BW_F_IP6_FLOWLABEL]	= PL(NETWORK, 1, 3, INTEGER),
	[BW_F_IP6_LENGTH]	= PL(NETWORK, 4, 2, INTEGER),
	[BW_F_IP6_NEXTHDR]	= PL(NETWORK, 6, 1, INET_PROTOCOL),
	[BW_F_IP6_HOPLIMIT]	= PL(NETWORK, 7, 1, INTEGER),
	[BW_F_IP6_SADDR]	= PL(NETWORK, 8, 16, IP6ADDR),
	[BW_F_IP6_DADDR]	= PL(NETWORK, 24, 16, IP6ADDR),
	[BW_F_TCP_SPORT]	= PL(TRANSPORT, 0, 2, INET_SERVICE),
	[BW_F_TCP_DPORT]	= PL(TRANSPORT, 2, 2, INET_SERVICE),
	[BW_F_TCP_SEQUENCE]	= PL(TRANSPORT, 4, 4, INTEGER),
	[BW_F_TCP_ACKSEQ]	= PL(TRANSPORT, 8, 4, INTEGER),
	[BW_F_TCP_DOFF]		= PL(TRANSPORT, 12, 1, INTEGER),
	[BW_F_TCP_FLAGS]	= PL(TRANSPORT, 13, 1, TCP_FLAG),
	[BW_F_TCP_WINDOW]	= PL(TRANSPORT, 14, 2, INTEGER),
	[BW_F_TCP_URGPTR]	= PL(TRANSPORT, 18, 2, INTEGER),
	[BW_F_UDP_SPORT]	= PL(TRANSPORT, 0, 2, INET_SERVICE),
	[BW_F_UDP_DPORT]	= PL(TRANSPORT, 2, 2, INET_SERVICE),
	[BW_F_UDP_LENGTH]	= PL(TRANSPORT, 4, 2, INTEGER),
	[BW_F_ICMP_TYPE]	= PL(TRANSPORT, 0, 1, ICMP_TYPE),
	[BW_F_ICMP_CODE]	= PL(TRANSPORT, 1, 1, ICMP_CODE),
	[BW_F_ICMP_ID]		= PL(TRANSPORT, 4, 2, INTEGER),
	[BW_F_ICMP_SEQUENCE]	= PL(TRANSPORT, 6, 2, INTEGER),
	[BW_F_ICMP6_TYPE]	= PL(TRANSPORT, 0, 1, ICMP6_TYPE),
	[BW_F_ICMP6_CODE]	= PL(TRANSPORT, 1, 1, ICMPV6_CODE),
	[BW_F_ICMP6_ID]		= PL(TRANSPORT, 4, 2, INTEGER),
	[BW_F_ICMP6_SEQUENCE]	= PL(TRANSPORT, 6, 2, INTEGER),
	[BW_F_META_MARK]	= META(MARK, 4, true, MARK),
	[BW_F_META_PKTTYPE]	= META(PKTTYPE, 1, false, PKTTYPE),
	[BW_F_META_IIF]		= { .src = KF_META, .key = NFT_META_IIF, .len = 4,
				    .host = true, .dtype = BW_NT_IFINDEX, .ifindex = true },
	[BW_F_META_OIF]		= { .src = KF_META, .key = NFT_META_OIF, .len = 4,
				    .host = true, .dtype = BW_NT_IFINDEX, .ifindex = true },
	[BW_F_META_IIFNAME]	= META(IIFNAME, 16, false, IFNAME),
	[BW_F_META_OIFNAME]	= META(OIFNAME, 16, false, IFNAME),
	[BW_F_CT_STATE]		= { .src = KF_CT, .key = NFT_CT_STATE, .len = 4,
				    .host = true, .dtype = BW_NT_CT_STATE },
	[BW_F_CT_STATUS]	= { .src = KF_CT, .key = NFT_CT_STATUS, .len = 4,
				    .host = true, .dtype = BW_NT_CT_STATUS },
	[BW_F_CT_DIRECTION]	= { .src = KF_CT, .key = NFT_CT_DIRECTION, .len = 1,
				    .host = false, .dtype = BW_NT_CT_DIR },
	[BW_F_FIB_SADDR_TYPE]	= { .src = KF_FIB, .base = NFTA_FIB_F_SADDR,
				    .key = NFT_FIB_RESULT_ADDRTYPE, .len = 4,
				    .host = true, .dtype = BW_NT_FIB_ADDR },
	[BW_F_FIB_DADDR_TYPE]	= { .src = KF_FIB, .base = NFTA_FIB_F_DADDR,
				    .key = NFT_FIB_RESULT_ADDRTYPE, .len = 4,
				    .host = true, .dtype = BW_NT_FIB_ADDR },
#define FIB(F, R, L, T, ...) { .src = KF_FIB, .base = F, .key = NFT_FIB_RESULT_##R, \
			      .len = L, .dtype = BW_NT_##T, __VA_ARGS__ }
#define S NFTA_FIB_F_SADDR
#define D NFTA_FIB_F_DADDR
#define I NFTA_FIB_F_IIF
	[BW_F_FIB_SADDR_IIF_TYPE] = FIB(S | I, ADDRTYPE, 4, FIB_ADDR, .host = true),
	[BW_F_FIB_DADDR_IIF_TYPE] = FIB(D | I, ADDRTYPE, 4, FIB_ADDR, .host = true),
	[BW_F_FIB_SADDR_OIF_TYPE] = FIB(S | NFTA_FIB_F_OIF, ADDRTYPE, 4, FIB_ADDR, .host = true),
	[BW_F_FIB_DADDR_OIF_TYPE] = FIB(D | NFTA_FIB_F_OIF, ADDRTYPE, 4, FIB_ADDR, .host = true),
	[BW_F_FIB_SADDR_OIF]	= FIB(S, OIF, 4, IFINDEX, .host = true),
	[BW_F_FIB_DADDR_OIF]	= FIB(D, OIF, 4, IFINDEX, .host = true),
	[BW_F_FIB_SADDR_IIF_OIF] = FIB(S | I, OIF, 4, IFINDEX, .host = true),
	[BW_F_FIB_DADDR_IIF_OIF] = FIB(D | I, OIF, 4, IFINDEX, .host = true),
	[BW_F_FIB_SADDR_OIFNAME] = FIB(S, OIFNAME, 16, IFNAME),
	[BW_F_FIB_DADDR_OIFNAME] = FIB(D, OIFNAME, 16, IFNAME),
	[BW_F_FIB_SADDR_IIF_OIFNAME] = FIB(S | I, OIFNAME, 16, IFNAME),
	[BW_F_FIB_DADDR_IIF_OIFNAME] = FIB(D | I, OIFNAME, 16, IFNAME),
	[BW_F_FIB_SADDR_OIF_PRESENT] = FIB(S, OIF, 4, BOOLEAN, .present = true, .host = true),
	[BW_F_FIB_DADDR_OIF_PRESENT] = FIB(D, OIF, 4, BOOLEAN, .present = true, .host = true),
	[BW_F_FIB_SADDR_IIF_OIF_PRESENT] = FIB(S | I, OIF, 4, BOOLEAN, .present = true, .host = true),
	[BW_F_FIB_DADDR_IIF_OIF_PRESENT] = FIB(D | I, OIF, 4, BOOLEAN, .present = true, .host = true),
#undef S
#undef D
#undef I
#undef FIB
#define OSF(TTL, FL) { .src = KF_OSF, .key = TTL, .base = FL, .len = 16, \
			.dtype = BW_NT_STRING }
	[BW_F_OSF_NAME]		= OSF(0, 0),
	[BW_F_OSF_LOOSE_NAME]	= OSF(1, 0),
	[BW_F_OSF_SKIP_NAME]	= OSF(2, 0),
	[BW_F_OSF_VERSION]	= OSF(0, NFT_OSF_F_VERSION),
	[BW_F_OSF_LOOSE_VERSION] = OSF(1, NFT_OSF_F_VERSION),
	[BW_F_OSF_SKIP_VERSION]	= OSF(2, NFT_OSF_F_VERSION),
#undef OSF
	[BW_F_META_SKUID]	= META(SKUID, 4, true, UID),
	[BW_F_META_SKGID]	= META(SKGID, 4, true, GID),
	[BW_F_SOCKET_TRANSPARENT] = { .src = KF_SOCKET, .key = NFT_SOCKET_TRANSPARENT,
				      .len = 1, .host = true, .dtype = BW_NT_INTEGER,
				      .present = true },
	[BW_F_SOCKET_MARK]	= { .src = KF_SOCKET, .key = NFT_SOCKET_MARK, .len = 4,
				    .host = true, .dtype = BW_NT_MARK },
	[BW_F_SOCKET_WILDCARD]	= { .src = KF_SOCKET, .key = NFT_SOCKET_WILDCARD,
				    .len = 1, .host = true, .dtype = BW_NT_INTEGER,
				    .present = true },
	[BW_F_META_PROTOCOL]	= META(PROTOCOL, 2, false, ETHERTYPE),
	[BW_F_META_PRIORITY]	= META(PRIORITY, 4, true, CLASSID),
	[BW_F_META_IIFTYPE]	= META(IIFTYPE, 2, true, ARPHRD),
	[BW_F_META_OIFTYPE]	= META(OIFTYPE, 2, true, ARPHRD),
	[BW_F_META_IIFGROUP]	= META(IIFGROUP, 4, true, DEVGROUP),
	[BW_F_META_OIFGROUP]	= META(OIFGROUP, 4, true, DEVGROUP),
	[BW_F_META_CPU]		= META(CPU, 4, true, INTEGER),
	[BW_F_META_CGROUP]	= META(CGROUP, 4, true, INTEGER),
	/* nft: big endian, so that nothing converts it */
	[BW_F_META_RANDOM]	= META(PRANDOM, 4, false, INTEGER),
	[BW_F_META_TIME]	= META(TIME_NS, 8, true, TIME_DATE),
	[BW_F_META_HOUR]	= META(TIME_HOUR, 4, true, TIME_HOUR),
	[BW_F_META_DAY]		= META(TIME_DAY, 1, true, TIME_DAY),
	[BW_F_META_RTCLASSID]	= META(RTCLASSID, 4, true, REALM),
	[BW_F_RT_CLASSID]	= { .src = KF_RT, .key = NFT_RT_CLASSID, .len = 4,
				    .host = true, .dtype = BW_NT_REALM },
	[BW_F_RT_IPSEC]		= { .src = KF_RT, .key = NFT_RT_XFRM, .len = 1,
				    .host = true, .dtype = BW_NT_BOOLEAN },
	[BW_F_RT_NEXTHOP4]	= { .src = KF_RT, .key = NFT_RT_NEXTHOP4, .len = 4,
				    .dtype = BW_NT_IPADDR },
	[BW_F_RT_NEXTHOP6]	= { .src = KF_RT, .key = NFT_RT_NEXTHOP6, .len = 16,
				    .dtype = BW_NT_IP6ADDR },
	[BW_F_META_IPSEC]	= META(SECPATH, 1, true, BOOLEAN),
	[BW_F_META_SDIF]	= { .src = KF_META, .key = NFT_META_SDIF, .len = 4,
				    .host = true, .dtype = BW_NT_IFINDEX, .ifindex = true },
	[BW_F_META_SDIFNAME]	= META(SDIFNAME, 16, false, IFNAME),
	[BW_F_CT_MARK]		= CTK(MARK, 4, true, MARK, 0),
	[BW_F_CT_ZONE]		= CTK(ZONE, 2, true, INTEGER, 0),
	[BW_F_CT_ZONE_ORIG]	= CTK(ZONE, 2, true, INTEGER, 1),
	[BW_F_CT_ZONE_REPLY]	= CTK(ZONE, 2, true, INTEGER, 2),
	[BW_F_CT_L3PROTO]	= CTK(L3PROTOCOL, 1, false, NFPROTO, 0),
	[BW_F_CT_PROTOCOL]	= CTK(PROTOCOL, 1, false, INET_PROTOCOL, 0),
	[BW_F_CT_ORIG_IP_SADDR]	= CTK(SRC_IP, 4, false, IPADDR, 1),
	[BW_F_CT_ORIG_IP_DADDR]	= CTK(DST_IP, 4, false, IPADDR, 1),
	[BW_F_CT_REPLY_IP_SADDR] = CTK(SRC_IP, 4, false, IPADDR, 2),
	[BW_F_CT_REPLY_IP_DADDR] = CTK(DST_IP, 4, false, IPADDR, 2),
	[BW_F_CT_ORIG_IP6_SADDR] = CTK(SRC_IP6, 16, false, IP6ADDR, 1),
	[BW_F_CT_ORIG_IP6_DADDR] = CTK(DST_IP6, 16, false, IP6ADDR, 1),
	[BW_F_CT_REPLY_IP6_SADDR] = CTK(SRC_IP6, 16, false, IP6ADDR, 2),
	[BW_F_CT_REPLY_IP6_DADDR] = CTK(DST_IP6, 16, false, IP6ADDR, 2),
	[BW_F_CT_ORIG_PROTO_SRC] = CTK(PROTO_SRC, 2, false, INET_SERVICE, 1),
	[BW_F_CT_ORIG_PROTO_DST] = CTK(PROTO_DST, 2, false, INET_SERVICE, 1),
	[BW_F_CT_REPLY_PROTO_SRC] = CTK(PROTO_SRC, 2, false, INET_SERVICE, 2),
	[BW_F_CT_REPLY_PROTO_DST] = CTK(PROTO_DST, 2, false, INET_SERVICE, 2),
	[BW_F_CT_BYTES]		= CTK(BYTES, 8, true, INTEGER, 0),
	[BW_F_CT_ORIG_BYTES]	= CTK(BYTES, 8, true, INTEGER, 1),
	[BW_F_CT_REPLY_BYTES]	= CTK(BYTES, 8, true, INTEGER, 2),
	[BW_F_CT_PACKETS]	= CTK(PKTS, 8, true, INTEGER, 0),
	[BW_F_CT_ORIG_PACKETS]	= CTK(PKTS, 8, true, INTEGER, 1),
	[BW_F_CT_REPLY_PACKETS]	= CTK(PKTS, 8, true, INTEGER, 2),
	[BW_F_CT_AVGPKT]	= CTK(AVGPKT, 8, true, INTEGER, 0),
	[BW_F_CT_ORIG_AVGPKT]	= CTK(AVGPKT, 8, true, INTEGER, 1),
	[BW_F_CT_REPLY_AVGPKT]	= CTK(AVGPKT, 8, true, INTEGER, 2),
	[BW_F_CT_ID]		= CTK(ID, 4, false, INTEGER, 0),
	[BW_F_CT_HELPER]	= CTK(HELPER, 16, false, STRING, 0),
	[BW_F_CT_LABEL]		= CTK(LABELS, 16, true, CT_LABEL, 0),
	[BW_F_CT_EXPIRATION]	= CTK(EXPIRATION, 4, true, TIME, 0),
	[BW_F_CT_COUNT]		= { .src = KF_CONNLIMIT, .len = 4, .host = true,
				    .dtype = BW_NT_INTEGER },
	[BW_F_SCTP_SPORT]	= PL(TRANSPORT, 0, 2, INET_SERVICE),
	[BW_F_SCTP_DPORT]	= PL(TRANSPORT, 2, 2, INET_SERVICE),
	[BW_F_SCTP_VTAG]	= PL(TRANSPORT, 4, 4, INTEGER),
	[BW_F_SCTP_CHECKSUM]	= PL(TRANSPORT, 8, 4, INTEGER),
	[BW_F_DCCP_SPORT]	= PL(TRANSPORT, 0, 2, INET_SERVICE),
	[BW_F_DCCP_DPORT]	= PL(TRANSPORT, 2, 2, INET_SERVICE),
	[BW_F_DCCP_TYPE]	= PL(TRANSPORT, 8, 1, INTEGER),
	[BW_F_UDPLITE_SPORT]	= PL(TRANSPORT, 0, 2, INET_SERVICE),
	[BW_F_UDPLITE_DPORT]	= PL(TRANSPORT, 2, 2, INET_SERVICE),
	[BW_F_UDPLITE_CSUMCOV]	= PL(TRANSPORT, 4, 2, INTEGER),
	[BW_F_UDPLITE_CHECKSUM]	= PL(TRANSPORT, 6, 2, INTEGER),
	[BW_F_ESP_SPI]		= PL(TRANSPORT, 0, 4, INTEGER),
	[BW_F_ESP_SEQUENCE]	= PL(TRANSPORT, 4, 4, INTEGER),
	[BW_F_COMP_NEXTHDR]	= PL(TRANSPORT, 0, 1, INET_PROTOCOL),
	[BW_F_COMP_FLAGS]	= PL(TRANSPORT, 1, 1, INTEGER),
	[BW_F_COMP_CPI]		= PL(TRANSPORT, 2, 2, INTEGER),
	[BW_F_IP_CHECKSUM]	= PL(NETWORK, 10, 2, INTEGER),
	[BW_F_TCP_CHECKSUM]	= PL(TRANSPORT, 16, 2, INTEGER),
	[BW_F_UDP_CHECKSUM]	= PL(TRANSPORT, 6, 2, INTEGER),
	[BW_F_ICMP_CHECKSUM]	= PL(TRANSPORT, 2, 2, INTEGER),
	[BW_F_ICMP6_CHECKSUM]	= PL(TRANSPORT, 2, 2, INTEGER),
	[BW_F_ICMP_MTU]		= PL(TRANSPORT, 6, 2, INTEGER),
	[BW_F_ICMP_GATEWAY]	= PL(TRANSPORT, 4, 4, INTEGER),
	[BW_F_ICMP6_MTU]	= PL(TRANSPORT, 4, 4, INTEGER),
	[BW_F_ICMP6_MAXDELAY]	= PL(TRANSPORT, 4, 2, INTEGER),
	[BW_F_IGMP_TYPE]	= PL(TRANSPORT, 0, 1, INTEGER),
	[BW_F_IGMP_MRT]		= PL(TRANSPORT, 1, 1, INTEGER),
	[BW_F_IGMP_CHECKSUM]	= PL(TRANSPORT, 2, 2, INTEGER),
	[BW_F_IGMP_GROUP]	= PL(TRANSPORT, 4, 4, INTEGER),
	[BW_F_IP6_DSCP]		= PL(NETWORK, 0, 2, DSCP),
	[BW_F_IP6_ECN]		= PL(NETWORK, 1, 1, ECN),	/* nft: the byte it is in */
	[BW_F_HBH_NEXTHDR]	= EXT(IPPROTO_HOPOPTS, 0, 1, INET_PROTOCOL),
	[BW_F_HBH_HDRLENGTH]	= EXT(IPPROTO_HOPOPTS, 1, 1, INTEGER),
	[BW_F_DST_NEXTHDR]	= EXT(IPPROTO_DSTOPTS, 0, 1, INET_PROTOCOL),
	[BW_F_DST_HDRLENGTH]	= EXT(IPPROTO_DSTOPTS, 1, 1, INTEGER),
	[BW_F_RT_NEXTHDR]	= EXT(IPPROTO_ROUTING, 0, 1, INET_PROTOCOL),
	[BW_F_RT_HDRLENGTH]	= EXT(IPPROTO_ROUTING, 1, 1, INTEGER),
	[BW_F_RT_TYPE]		= EXT(IPPROTO_ROUTING, 2, 1, INTEGER),
	[BW_F_RT_SEGLEFT]	= EXT(IPPROTO_ROUTING, 3, 1, INTEGER),
	[BW_F_FRAG_NEXTHDR]	= EXT(IPPROTO_FRAGMENT, 0, 1, INET_PROTOCOL),
	[BW_F_FRAG_RESERVED]	= EXT(IPPROTO_FRAGMENT, 1, 1, INTEGER),
	[BW_F_FRAG_FRAGOFF]	= EXT(IPPROTO_FRAGMENT, 2, 2, INTEGER),
	/* nft loads the byte these bits are in */
	[BW_F_FRAG_RESERVED2]	= EXT(IPPROTO_FRAGMENT, 3, 1, INTEGER),
	[BW_F_FRAG_MORE]	= EXT(IPPROTO_FRAGMENT, 3, 1, INTEGER),
	[BW_F_FRAG_ID]		= EXT(IPPROTO_FRAGMENT, 4, 4, INTEGER),
	[BW_F_MH_NEXTHDR]	= EXT(IPPROTO_MH, 0, 1, INET_PROTOCOL),
	[BW_F_MH_HDRLENGTH]	= EXT(IPPROTO_MH, 1, 1, INTEGER),
	[BW_F_MH_TYPE]		= EXT(IPPROTO_MH, 2, 1, INTEGER),
	[BW_F_MH_RESERVED]	= EXT(IPPROTO_MH, 3, 1, INTEGER),
	[BW_F_MH_CHECKSUM]	= EXT(IPPROTO_MH, 4, 2, INTEGER),
	/* exthdr X exists/missing: nft's F_PRESENT loads 0 or 1 (1 byte) */
	[BW_F_EXTHDR_HBH]	= { .src = KF_EXTHDR, .base = IPPROTO_HOPOPTS, .len = 1,
				    .dtype = BW_NT_INTEGER, .present = true },
	[BW_F_EXTHDR_RT]	= { .src = KF_EXTHDR, .base = IPPROTO_ROUTING, .len = 1,
				    .dtype = BW_NT_INTEGER, .present = true },
	[BW_F_EXTHDR_FRAG]	= { .src = KF_EXTHDR, .base = IPPROTO_FRAGMENT, .len = 1,
				    .dtype = BW_NT_INTEGER, .present = true },
	[BW_F_EXTHDR_DST]	= { .src = KF_EXTHDR, .base = IPPROTO_DSTOPTS, .len = 1,
				    .dtype = BW_NT_INTEGER, .present = true },
	[BW_F_EXTHDR_MH]	= { .src = KF_EXTHDR, .base = IPPROTO_MH, .len = 1,
				    .dtype = BW_NT_INTEGER, .present = true },
	/* tcp option K [FIELD]: nft's exthdr of op tcpopt (base: the kind) */
#define TOPT(F, K, O, L) [F] = { .src = KF_EXTHDR, .base = K, .off = O, .len = L, \
				 .dtype = BW_NT_INTEGER, .tcpopt = true }
#define TOPTX(F, K) [F] = { .src = KF_EXTHDR, .base = K, .len = 1, \
			    .dtype = BW_NT_INTEGER, .tcpopt = true, .present = true }
	TOPTX(BW_F_TCPOPT_EOL, 0),
	TOPTX(BW_F_TCPOPT_NOP, 1),
	TOPTX(BW_F_TCPOPT_MAXSEG, 2),
	TOPTX(BW_F_TCPOPT_WINDOW, 3),
	TOPTX(BW_F_TCPOPT_SACK_PERM, 4),
	TOPTX(BW_F_TCPOPT_SACK, 5),
	TOPTX(BW_F_TCPOPT_TIMESTAMP, 8),
	TOPTX(BW_F_TCPOPT_MD5SIG, 19),
	TOPTX(BW_F_TCPOPT_MPTCP, 30),
	TOPTX(BW_F_TCPOPT_FASTOPEN, 34),
	TOPT(BW_F_TCPOPT_MAXSEG_LENGTH, 2, 1, 1),
	TOPT(BW_F_TCPOPT_MAXSEG_SIZE, 2, 2, 2),
	TOPT(BW_F_TCPOPT_WINDOW_LENGTH, 3, 1, 1),
	TOPT(BW_F_TCPOPT_WINDOW_COUNT, 3, 2, 1),
	TOPT(BW_F_TCPOPT_SACK_PERM_LENGTH, 4, 1, 1),
	TOPT(BW_F_TCPOPT_SACK_LENGTH, 5, 1, 1),
	TOPT(BW_F_TCPOPT_SACK_LEFT, 5, 2, 4),
	TOPT(BW_F_TCPOPT_SACK_RIGHT, 5, 6, 4),
	TOPT(BW_F_TCPOPT_SACK1_LEFT, 5, 10, 4),
	TOPT(BW_F_TCPOPT_SACK1_RIGHT, 5, 14, 4),
	TOPT(BW_F_TCPOPT_SACK2_LEFT, 5, 18, 4),
	TOPT(BW_F_TCPOPT_SACK2_RIGHT, 5, 22, 4),
	TOPT(BW_F_TCPOPT_SACK3_LEFT, 5, 26, 4),
	TOPT(BW_F_TCPOPT_SACK3_RIGHT, 5, 30, 4),
	TOPT(BW_F_TCPOPT_TIMESTAMP_LENGTH, 8, 1, 1),
	TOPT(BW_F_TCPOPT_TSVAL, 8, 2, 4),
	TOPT(BW_F_TCPOPT_TSECR, 8, 6, 4),
	TOPT(BW_F_TCPOPT_MD5SIG_LENGTH, 19, 1, 1),
	TOPT(BW_F_TCPOPT_MPTCP_LENGTH, 30, 1, 1),
	TOPT(BW_F_TCPOPT_MPTCP_SUBTYPE, 30, 2, 1),
	TOPT(BW_F_TCPOPT_FASTOPEN_LENGTH, 34, 1, 1),
#undef TOPT
#undef TOPTX
	/* ah: IPv4's and IPv6's, where both walks stop (view.h) */
	[BW_F_AH_NEXTHDR]	= PL(TRANSPORT, 0, 1, INET_PROTOCOL),
	[BW_F_AH_HDRLENGTH]	= PL(TRANSPORT, 1, 1, INTEGER),
	[BW_F_AH_RESERVED]	= PL(TRANSPORT, 2, 2, INTEGER),
	[BW_F_AH_SPI]		= PL(TRANSPORT, 4, 4, INTEGER),
	[BW_F_AH_SEQUENCE]	= PL(TRANSPORT, 8, 4, INTEGER),
	/* vlan: in the bridge family only (bridge_kfields) */
	/* arp: the Ethernet/IPv4 ARP header at the network header */
	[BW_F_ARP_HTYPE]	= PL(NETWORK, 0, 2, ARPHRD),
	[BW_F_ARP_PTYPE]	= PL(NETWORK, 2, 2, ETHERTYPE),
	[BW_F_ARP_HLEN]		= PL(NETWORK, 4, 1, INTEGER),
	[BW_F_ARP_PLEN]		= PL(NETWORK, 5, 1, INTEGER),
	[BW_F_ARP_OP]		= PL(NETWORK, 6, 2, ARPOP),
	[BW_F_ARP_SHA]		= PL(NETWORK, 8, 6, ETHERADDR),
	[BW_F_ARP_SPA]		= PL(NETWORK, 14, 4, IPADDR),
	[BW_F_ARP_THA]		= PL(NETWORK, 18, 6, ETHERADDR),
	[BW_F_ARP_TPA]		= PL(NETWORK, 24, 4, IPADDR),
	[BW_F_META_IBRNAME]	= META(BRI_IIFNAME, 16, false, IFNAME),
	[BW_F_META_OBRNAME]	= META(BRI_OIFNAME, 16, false, IFNAME),
	[BW_F_ICMP_TYPE_X]	= PL(TRANSPORT, 0, 1, ICMP_TYPE),
	[BW_F_ICMP6_TYPE_X]	= PL(TRANSPORT, 0, 1, ICMP6_TYPE),
	[BW_F_META_IBRPVID]	= META(BRI_IIFPVID, 2, true, INTEGER),
	[BW_F_META_IBRVPROTO]	= META(BRI_IIFVPROTO, 2, false, ETHERTYPE),
	[BW_F_RT_MTU]		= { .src = KF_RT, .key = NFT_RT_TCPMSS, .len = 2,
				    .host = true, .dtype = BW_NT_INTEGER },
	[BW_F_TH_SPORT_VX]	= PL(TRANSPORT, 0, 2, INET_SERVICE),
	[BW_F_TH_DPORT_VX]	= PL(TRANSPORT, 2, 2, INET_SERVICE),
};

/*
 * The bridge family: the frame's first tag as it is at the link header
 * (nf_tables puts an offloaded tag back there), after a test of the
 * frame's EtherType (ether type 8021q, evaluate's implicit one, or
 * 8021ad): the view's first tag, exactly.
 */
static const struct bw_kfield bridge_kfields[] = {
	[BW_F_VLAN_ID - BW_F_VLAN_ID]	= PL(LL, 14, 2, INTEGER),
	[BW_F_VLAN_PCP - BW_F_VLAN_ID]	= PL(LL, 14, 2, INTEGER),
	[BW_F_VLAN_DEI - BW_F_VLAN_ID]	= PL(LL, 14, 2, INTEGER),
};
_Static_assert(BW_F_VLAN_PCP == BW_F_VLAN_ID + 1 && BW_F_VLAN_DEI == BW_F_VLAN_ID + 2,
	       "the vlan rows follow each other");
static const struct bw_kfield bridge_vlan_type = PL(LL, 16, 2, ETHERTYPE);

const struct bw_kfield *bw_kfield_in(enum bw_family fam, enum bw_field_id f)
{
	bool l2 = fam == BW_FAMILY_BRIDGE || fam == BW_FAMILY_NETDEV;

	/* ip, ip6, inet: nft's link-layer load after meta iiftype ether
	 * and ether type 8021q (deps) */
	if ((l2 || fam == BW_FAMILY_IP || fam == BW_FAMILY_IP6 ||
	     fam == BW_FAMILY_INET || fam == BW_FAMILY_ARP) &&
	    f >= BW_F_VLAN_ID && f <= BW_F_VLAN_DEI)
		return &bridge_kfields[f - BW_F_VLAN_ID];
	if (l2 && f == BW_F_VLAN_TYPE)
		return &bridge_vlan_type;
	return bw_kfield(f);
}

/* Where field f is for a rule of x's family. */
const struct bw_kfield *bw_nft_rkf(const struct bw_nft_rctx *x,
				   enum bw_field_id f)
{
	if (f < BW_F__MAX && (bw_field(f)->walk ||
			      (f >= BW_F_TCPOPT_KIND && f <= BW_F_TCPOPT_RAW32)))
		return x->chunk.src != KF_NONE ? &x->chunk : NULL;
	return bw_kfield_in(x->fam, f);
}

const struct bw_kfield *bw_kfield(enum bw_field_id f)
{
	if (f < BW_F__MAX && kfields[f].src != KF_NONE)
		return &kfields[f];
	return bw_nft_xfrm_kfield(f) ?: bw_nft_tunnel_kfield(f);
}

/* ---- byte strings ---- */

bool bw_nft_be_inc(uint8_t *v, uint32_t n)
{
	for (uint32_t i = n; i-- > 0;)
		if (++v[i])
			return true;
	return false;
}

bool bw_nft_is_zero(const uint8_t *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i])
			return false;
	return true;
}

static bool little_endian(void)
{
	return htonl(1) != 1;
}

void bw_nft_to_host(uint8_t *v, uint32_t n)
{
	if (!little_endian())
		return;
	for (uint32_t i = 0; i < n / 2; i++) {
		uint8_t t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
}

void bw_nft_kval(const struct bw_field *f, const struct bw_kfield *kf,
		 const uint8_t *v, bool host, uint8_t *out)
{
	uint8_t t[24] = { 0 };

	/* right-aligned in t, shifted back to where the header has it
	 * (a presence bit: nft's 0 or 1, unshifted) */
	memcpy(t + sizeof(t) - f->size, v, f->size);
	for (unsigned s = 0; !kf->present && s < f->shift; s++) {
		for (size_t i = 0; i + 1 < sizeof(t); i++)
			t[i] = (uint8_t)(t[i] << 1 | t[i + 1] >> 7);
		t[sizeof(t) - 1] <<= 1;
	}
	memcpy(out, t + sizeof(t) - kf->len, kf->len);
	if (host)
		bw_nft_to_host(out, kf->len);
}

/* The bits nf_tables must mask off a loaded sub-byte field (network
 * order); false when it needs none. */
bool bw_nft_field_mask(const struct bw_field *f, const struct bw_kfield *kf,
		       uint8_t *m)
{
	uint8_t full[BW_VAL_MAX] = { 0 };

	if (!f->bits || kf->present)
		return false;
	for (unsigned b = 0; b < f->bits; b++)
		full[f->size - 1 - b / 8] |= (uint8_t)(1u << (b % 8));
	bw_nft_kval(f, kf, full, false, m);
	return true;
}

/* ---- loads and dependencies ---- */

static void payload(struct bw_nft_rctx *x, const struct bw_kfield *kf,
		    uint32_t off, uint32_t len, uint32_t reg)
{
	struct nftnl_expr *e = bw_nft_expr(x, "payload");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, kf->base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
}

/* Load field f (len bytes of it, for a prefix) into reg; with its
 * sub-byte mask applied (mask: false when a mask follows anyway). */
/* The nf_tables expressions that load one key of theirs into a register
 * (libnftnl's attributes for the key and the register), by KF_* source. */
static const struct {
	const char *name;
	uint16_t key, dreg;
} keyed[] = {
	[KF_CT] = { "ct", NFTNL_EXPR_CT_KEY, NFTNL_EXPR_CT_DREG },
	[KF_SOCKET] = { "socket", NFTNL_EXPR_SOCKET_KEY, NFTNL_EXPR_SOCKET_DREG },
	[KF_RT] = { "rt", NFTNL_EXPR_RT_KEY, NFTNL_EXPR_RT_DREG },
};

void bw_nft_load(struct bw_nft_rctx *x, const struct bw_field *f,
		 const struct bw_kfield *kf, uint32_t len, uint32_t reg,
		 bool mask)
{
	uint8_t m[16];
	struct nftnl_expr *e;

	switch (kf->src) {
	case KF_PAYLOAD:
		payload(x, kf, kf->off, len, reg);
		break;
	case KF_META:
		bw_nft_meta(x, kf->key, reg);
		break;
	case KF_CT:
	case KF_SOCKET:
	case KF_RT:
		e = bw_nft_expr(x, keyed[kf->src].name);
		if (!e)
			return;
		nftnl_expr_set_u32(e, keyed[kf->src].key, kf->key);
		nftnl_expr_set_u32(e, keyed[kf->src].dreg, reg);
		if (kf->src == KF_CT && kf->dir)
			nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR, (uint8_t)(kf->dir - 1));
		break;
	case KF_FIB:
		e = bw_nft_expr(x, "fib");
		if (!e)
			return;
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_FLAGS, kf->base |
				   (kf->present ? NFTA_FIB_F_PRESENT : 0));
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_RESULT, kf->key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_FIB_DREG, reg);
		break;
	case KF_OSF:
		e = bw_nft_expr(x, "osf");
		if (!e)
			return;
		nftnl_expr_set_u32(e, NFTNL_EXPR_OSF_DREG, reg);
		nftnl_expr_set_u8(e, NFTNL_EXPR_OSF_TTL, kf->key);
		if (kf->base)
			nftnl_expr_set_u32(e, NFTNL_EXPR_OSF_FLAGS, kf->base);
		break;
	case KF_EXTHDR:
		e = bw_nft_expr(x, "exthdr");
		if (!e)
			return;
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_DREG, reg);
		nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, kf->base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, kf->off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, kf->tcpopt ?
				   NFT_EXTHDR_OP_TCPOPT : NFT_EXTHDR_OP_IPV6);
		if (kf->present)
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_FLAGS,
					   NFT_EXTHDR_F_PRESENT);
		break;	case KF_SCTP:
		/* the chunk walk of sctp_chunk.h, nf_tables' own */
		e = bw_nft_expr(x, "exthdr");
		if (!e)
			return;
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_DREG, reg);
		nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, kf->base);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, kf->off);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_SCTP);
		if (kf->present)
			nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_FLAGS,
					   NFT_EXTHDR_F_PRESENT);
		break;
	case KF_XFRM:	/* ipsec in|out (nft_xfrm.c) */
		bw_nft_xfrm_load(x, kf, reg);
		break;
	case KF_TUNNEL:	/* tunnel path|id (nft_tunnel.c) */
		bw_nft_tunnel_load(x, kf, reg);
		break;
	}
	if (mask && bw_nft_field_mask(f, kf, m))
		bw_nft_bitwise(x, reg, m, kf->len);
}

void bw_nft_byteorder(struct bw_nft_rctx *x, uint32_t reg, uint32_t len)
{
	struct nftnl_expr *e;

	if (len < 2)		/* one byte has no order (meta day) */
		return;
	e = bw_nft_expr(x, "byteorder");
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, len);
}

static void meta_eq(struct bw_nft_rctx *x, uint32_t key, const void *v,
		    uint32_t len)
{
	bw_nft_meta(x, key, NFT_REG_1);
	bw_nft_cmp(x, NFT_REG_1, NFT_CMP_EQ, v, len);
}

/* icmp id and sequence exist in echo requests and replies only: nft
 * tests `icmp type { echo-request, echo-reply }` first. */
static int echo_dep(struct bw_nft_rctx *x, uint8_t l4, const struct bw_loc *loc)
{
	struct bw_nft_setdef def = {
		.fam = x->fam, .nkey = 1, .klen = { 1 },
		.dtype = { l4 == IPPROTO_ICMP ? BW_NT_ICMP_TYPE : BW_NT_ICMP6_TYPE },
		.byteorder = BW_NBO_BIG, .loc = loc,
	};
	struct bw_nft_elem el[2];
	struct nftnl_set *s;
	const struct bw_kfield *kf = &kfields[l4 == IPPROTO_ICMP ?
					      BW_F_ICMP_TYPE : BW_F_ICMP6_TYPE];

	memset(el, 0, sizeof(el));
	el[0].lo[0] = el[0].hi[0] = l4 == IPPROTO_ICMP ? 8 : 128;
	el[1].lo[0] = el[1].hi[0] = l4 == IPPROTO_ICMP ? 0 : 129;
	s = bw_nft_set_add(x->b, &def, el, 2);
	if (!s)
		return x->b->oom ? -ENOMEM : -EINVAL;
	payload(x, kf, kf->off, 1, NFT_REG_1);
	bw_nft_lookup(x, NFT_REG_1, s, false, false);
	x->echo = true;
	return 0;
}

/* A bridge rule's test that the frame has an 802.1Q tag, nft's own
 * dependency of a bare vlan field (evaluate writes it into the IR as
 * an ether type match, learn() takes it: this is for IR built
 * otherwise). */
static int vlan_dep(struct bw_nft_rctx *x, const struct bw_loc *loc)
{
	const struct bw_kfield et = PL(LL, 12, 2, ETHERTYPE);
	uint16_t v = htons(0x8100);

	(void)loc;
	payload(x, &et, 12, 2, NFT_REG_1);
	bw_nft_cmp(x, NFT_REG_1, NFT_CMP_EQ, &v, 2);
	x->vlan = true;
	return 0;
}

/*
 * The dependencies of the bridge and arp families, as nft writes them:
 * in a bridge rule an IP field wants `meta protocol ip` (ip6), a
 * transport field `meta l4proto`, an arp field `ether type arp` (an
 * untagged ARP frame: the view's need_ethertype), a vlan field a tag;
 * an arp rule sees ARP packets only, and has no link-layer header in
 * nf_tables' sense of the other families (no `meta iiftype` test).
 */
static int bridge_arp_deps(struct bw_nft_rctx *x, const struct bw_field *f,
			   const struct bw_loc *loc)
{
	if (x->fam == BW_FAMILY_ARP && (f->need_l3 || f->need_l4proto))
		return bw_nft_error(x->b, loc, "%s %s cannot match in an arp table", f->proto, f->name);
	/* arp: a VLAN tag (its ether type 8021q first) as in inet: meta
	 * iiftype ether before the link-layer load */
	if (x->fam == BW_FAMILY_ARP && !x->ether &&
	    (f->id == BW_F_ETHER_TYPE || (f->need_flags & BW_VIEW_VLAN))) {
		uint16_t ether = ARPHRD_ETHER;

		meta_eq(x, NFT_META_IIFTYPE, &ether, sizeof(ether));
		x->ether = true;
	}
	if (f->need_l3 && x->l3 != f->need_l3) {
		uint16_t v = htons(f->need_l3 == 4 ? 0x0800 : 0x86dd);

		/* nft: an IP header field tests the skb's protocol, a
		 * transport one's (icmp type) the frame's EtherType */
		if (f->need_l4proto) {
			const struct bw_kfield et = PL(LL, 12, 2, ETHERTYPE);

			payload(x, &et, 12, 2, NFT_REG_1);
			bw_nft_cmp(x, NFT_REG_1, NFT_CMP_EQ, &v, 2);
		} else {
			meta_eq(x, NFT_META_PROTOCOL, &v, 2);
		}
		x->l3 = f->need_l3;
	}
	if (f->need_l4proto && x->l4 != f->need_l4proto) {
		meta_eq(x, NFT_META_L4PROTO, &f->need_l4proto, 1);
		x->l4 = f->need_l4proto;
	}
	if ((f->need_flags & BW_VIEW_ECHO) && !x->echo &&
	    echo_dep(x, f->need_l4proto, loc))
		return -EINVAL;
	if ((f->need_flags & BW_VIEW_VLAN) && !x->vlan && vlan_dep(x, loc))
		return -EINVAL;
	if (f->need_ethertype && x->fam == BW_FAMILY_BRIDGE && !x->arp) {
		const struct bw_kfield et = PL(LL, 12, 2, ETHERTYPE);
		uint16_t v = htons(f->need_ethertype);

		payload(x, &et, 12, 2, NFT_REG_1);
		bw_nft_cmp(x, NFT_REG_1, NFT_CMP_EQ, &v, 2);
		x->arp = true;
	}
	return 0;
}

/*
 * A netdev chain nf_tables runs (compiler/front/nfnetdev.h): as nft
 * writes it, an IP field wants `meta protocol ip` (ip6), a vlan field a
 * tag (the bridge family's test, 802.1Q or 802.1ad: the first tag, as
 * bpfwall's own vlan fields); the rest as in inet (meta l4proto, meta
 * iiftype before a link-layer field), below.
 */
static int netdev_deps(struct bw_nft_rctx *x, const struct bw_field *f,
		       const struct bw_loc *loc)
{
	if (f->need_l3 && x->l3 != f->need_l3) {
		uint16_t v = htons(f->need_l3 == 4 ? 0x0800 : 0x86dd);

		meta_eq(x, NFT_META_PROTOCOL, &v, 2);
		x->l3 = f->need_l3;
	}
	if ((f->need_flags & BW_VIEW_VLAN) && !x->vlan && vlan_dep(x, loc))
		return -EINVAL;
	if (f->need_ethertype && !x->arp) {	/* nft: meta protocol arp */
		uint16_t v = htons(f->need_ethertype);

		meta_eq(x, NFT_META_PROTOCOL, &v, 2);
		x->arp = true;
	}
	return 0;
}

/* What nft puts before a load of f: the family (inet), the transport
 * protocol, the link type, the echo type; each once a rule. */
static int deps(struct bw_nft_rctx *x, const struct bw_field *f,
		const struct bw_loc *loc)
{
	if (x->fam == BW_FAMILY_BRIDGE || x->fam == BW_FAMILY_ARP)
		return bridge_arp_deps(x, f, loc);
	if (x->fam == BW_FAMILY_NETDEV && netdev_deps(x, f, loc))
		return -EINVAL;
	/* rt ip(6) nexthop: nf_tables' rt breaks the rule itself on the
	 * other family; the ct expression's addresses: the kernel's ct
	 * itself tests the entry's family (nft adds no dependency) */
	if (f->need_l3 && x->l3 != f->need_l3 && kfields[f->id].src != KF_RT &&
	    kfields[f->id].src != KF_CT) {
		uint8_t v = f->need_l3 == 4 ? NFPROTO_IPV4 : NFPROTO_IPV6;

		if (x->fam != BW_FAMILY_INET)
			return bw_nft_error(x->b, loc, "%s %s cannot match in an %s table",
					    f->proto, f->name,
					    x->fam == BW_FAMILY_IP ? "ip" : "ip6");
		meta_eq(x, NFT_META_NFPROTO, &v, 1);
		x->l3 = f->need_l3;
	}
	/* nft's exthdr finds the mobility header, and TCP options (only
	 * in TCP), itself; its sctp chunk walk tests the transport
	 * protocol itself */
	if (f->need_l4proto && x->l4 != f->need_l4proto &&
	    kfields[f->id].src != KF_EXTHDR && !f->walk) {
		meta_eq(x, NFT_META_L4PROTO, &f->need_l4proto, 1);
		x->l4 = f->need_l4proto;
	}
	if ((f->need_flags & BW_VIEW_ECHO) && !x->echo &&
	    echo_dep(x, f->need_l4proto, loc))
		return -EINVAL;
	if (kfields[f->id].base == NFT_PAYLOAD_LL_HEADER &&
	    kfields[f->id].src == KF_PAYLOAD && !x->ether) {
		uint16_t ether = ARPHRD_ETHER;

		meta_eq(x, NFT_META_IIFTYPE, &ether, sizeof(ether));
		x->ether = true;
	}
	if ((f->need_flags & BW_VIEW_VLAN) && x->fam != BW_FAMILY_NETDEV &&
	    !x->vlan) {
		uint16_t ether = ARPHRD_ETHER;

		if (!x->ether)
			meta_eq(x, NFT_META_IIFTYPE, &ether, sizeof(ether));
		x->ether = true;
		if (vlan_dep(x, loc))
			return -EINVAL;
	}
	/* an interface that is not there: nf_tables' meta load breaks the
	 * rule itself, as the view's BW_VIEW_IIF/OIF guard does */
	if (f->need_flags & ~(BW_VIEW_ECHO | BW_VIEW_IIF | BW_VIEW_OIF | BW_VIEW_VLAN))
		return bw_nft_error(x->b, loc, "%s %s has no exact nf_tables form", f->proto,
				    f->name);
	return 0;
}

/* What a match that held tells the rule's later dependencies. */
static void learn(struct bw_nft_rctx *x, const struct bw_ir_match *m)
{
	const struct bw_ir_elem *e = m->elem;
	uint8_t v;

	if (m->lookup || m->neg || !m->nelem)
		return;
	if (m->field == BW_F_ICMP_TYPE || m->field == BW_F_ICMP6_TYPE) {
		bool echo = true;

		for (uint32_t i = 0; i < m->nelem; i++)
			echo &= !memcmp(m->elem[i].lo, m->elem[i].hi, 1) &&
				m->elem[i].mask[0] == 0xff &&
				bw_view_icmp_echo(m->field == BW_F_ICMP_TYPE ?
						  IPPROTO_ICMP : IPPROTO_ICMPV6,
						  m->elem[i].lo[0]);
		x->echo |= echo;
		return;
	}
	/* meta iiftype ether: the ether fields' dependency, as nft */
	if (m->field == BW_F_META_IIFTYPE && m->nelem == 1 &&
	    !memcmp(e->lo, e->hi, 2) && e->lo[0] == 0 && e->lo[1] == 1 &&
	    e->mask[0] == 0xff && e->mask[1] == 0xff)
		x->ether = true;
	if (m->nelem != 1 || e->lo[0] != e->hi[0] || e->mask[0] != 0xff)
		return;
	/* ether type 8021q (8021ad): the vlan fields read that tag */
	if (m->field == BW_F_ETHER_TYPE && !memcmp(e->lo, e->hi, 2) &&
	    e->mask[1] == 0xff && ((e->lo[0] == 0x81 && e->lo[1] == 0x00) ||
				   (e->lo[0] == 0x88 && e->lo[1] == 0xa8)))
		x->vlan = true;
	/* vlan type ip (ip6), of the first tag or (raw) the inner one: the
	 * network layer, nft's dependency of an IP field after a tag */
	if ((m->field == BW_F_VLAN_TYPE ||
	     (bw_field(m->field)->raw && m->raw.base == NFT_PAYLOAD_LL_HEADER &&
	      (m->raw.off == 128 || m->raw.off == 160) && m->raw.len == 16)) &&
	    !memcmp(e->lo, e->hi, 2) && e->mask[1] == 0xff) {
		if (e->lo[0] == 0x08 && e->lo[1] == 0x00)
			x->l3 = 4;
		else if (e->lo[0] == 0x86 && e->lo[1] == 0xdd)
			x->l3 = 6;
	}
	v = e->lo[0];
	switch (m->field) {
	case BW_F_META_NFPROTO:
		x->l3 = v == NFPROTO_IPV4 ? 4 : v == NFPROTO_IPV6 ? 6 : x->l3;
		break;
	case BW_F_META_L4PROTO:
	case BW_F_IP_PROTOCOL:
		x->l4 = v;
		break;
	case BW_F_IP6_NEXTHDR:
		/* no extension header: the upper layer is v */
		if (!bw_view_ip6_ext(v))
			x->l4 = v;
		break;
	default:
		break;
	}
}
/* ---- lookups ---- */

/* byteorder ntoh of len bytes in reg (one len-byte word). */
static int ntoh(struct bw_nft_rctx *x, uint32_t reg, uint32_t len)
{
	struct nftnl_expr *e = bw_nft_expr(x, "byteorder");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_NTOH);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, len);
	return 0;
}

int bw_nft_keys(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		const struct bw_ir_set *set)
{
	return bw_nft_keys_at(x, m, set, NFT_REG_1);
}

/* Key part i of m a raw payload: nf_tables' payload load of its bytes
 * (x->chunk, which rkf() gives for it); whole bytes that fill the row
 * only (no shift, no mask in a key).  Anything else: x->chunk none. */
static void key_chunk(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		      uint32_t i)
{
	const struct bw_field *f = bw_field(m->fields[i]);

	x->chunk.src = KF_NONE;
	if (f->raw && m->kraw[i].len && !(m->kraw[i].off % 8) &&
	    m->kraw[i].len == f->size * 8)
		x->chunk = (struct bw_kfield){
			.src = KF_PAYLOAD, .base = m->kraw[i].base,
			.off = (uint8_t)(m->kraw[i].off / 8),
			.len = (uint8_t)(m->kraw[i].len / 8),
			.dtype = BW_NT_INTEGER,
		};
}

int bw_nft_keys_at(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		   const struct bw_ir_set *set, uint32_t first)
{
	bool interval = set->interval;
	uint32_t reg32 = 0;

	x->spnum = m->spnum;
	/* a named set's declared types describe it (th dport . ...) */
	for (uint32_t i = 0; i < m->nfield && m->nfield > 1 && !set->name; i++)
		if (m->kraw[i].len)
			return bw_nft_error(x->b, &m->loc, "a raw payload in a concatenation has no nf_tables form bpfwall builds (nft describes such a set's parts in its userdata)");
	for (uint32_t i = 0; i < m->nfield; i++) {
		const struct bw_field *f = bw_field(m->fields[i]);
		const struct bw_kfield *kf;

		key_chunk(x, m, i);
		kf = bw_nft_rkf(x, m->fields[i]);

		if (!kf || (kf->ifindex && (set->name || set->interval)) ||
		    kf->src == KF_CONNLIMIT)
			return bw_nft_error(x->b, &m->loc, "%s %s has no exact nf_tables form in a set lookup",
					    f->proto, f->name);
		if (deps(x, f, &m->loc))
			return -EINVAL;
	}
	for (uint32_t i = 0; i < m->nfield; i++) {
		const struct bw_field *f = bw_field(m->fields[i]);
		const struct bw_kfield *kf;
		uint32_t reg = i ? NFT_REG32_00 + (first - NFT_REG_1) * 4 + reg32 : first;

		key_chunk(x, m, i);
		kf = bw_nft_rkf(x, m->fields[i]);

		bw_nft_load(x, f, kf, kf->len, reg, true);
		if (set->name && f->shift) {
			/* a named set holds the field's values: as nft,
			 * shift the loaded bits down to them */
			struct nftnl_expr *e;

			/* network order over bytes: to host order first, as
			 * nft 1.1 does (1.0.6 shifts the bytes as they are,
			 * and ip6 dscp @s never matches) */
			if (f->big_endian && !kf->host && kf->len > 1 &&
			    ntoh(x, reg, kf->len))
				return -ENOMEM;
			e = bw_nft_expr(x, "bitwise");
			if (!e)
				return -ENOMEM;
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, kf->len);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_RSHIFT);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DATA, f->shift);
		}
		if (kf->host && interval)
			bw_nft_byteorder(x, reg, kf->len);
		reg32 += (kf->len + 3) / 4;
	}
	return 0;
}

int bw_nft_match(struct bw_nft_rctx *x, const struct bw_ir_match *m)
{
	const struct bw_field *f = bw_field(m->field);
	struct nftnl_set *s;
	int rc;

	x->spnum = m->spnum;
	if (m->lookup) {
		s = bw_nft_ir_set(x->b, m->set, x->table);
		if (!s)
			return -EINVAL;
		rc = bw_nft_keys(x, m, &x->b->ir->set[m->set]);
		if (rc)
			return rc;
		bw_nft_lookup(x, NFT_REG_1, s, m->neg, false);
		return 0;
	}
	if (x->fam == BW_FAMILY_BRIDGE && m->field == BW_F_META_NFPROTO &&
	    !m->neg && m->nelem == 1 && m->elem[0].lo[0] == m->elem[0].hi[0]) {
		/* a reject's dependency: nf_tables' nfproto is the bridge
		 * family's own there; the protocol says IPv4 or IPv6 */
		uint16_t v = htons(m->elem[0].lo[0] == NFPROTO_IPV6 ? 0x86dd : 0x0800);

		meta_eq(x, NFT_META_PROTOCOL, &v, 2);
		x->l3 = m->elem[0].lo[0] == NFPROTO_IPV6 ? 6 : 4;
		return 0;
	}
	if (m->field == BW_F_XT_TCPOPT && !m->lookup)
		return deps(x, f, &m->loc) ? -EINVAL : bw_nft_xt_tcp_option(x, m);
	if ((m->field == BW_F_XT_SKUID || m->field == BW_F_XT_SKGID ||
	     m->field == BW_F_XT_SKGID_SUPPL || m->field == BW_F_XT_SOCKET) && !m->lookup)
		return bw_nft_xt_owner(x, m);
	if (bw_field_xt_ports(m->field) && !m->lookup)
		return deps(x, f, &m->loc) ? -EINVAL : bw_nft_xt_multiport(x, m);
	/* nf_tables' inner expression (kernel 6.2) would read these; this
	 * back end does not build it */
	if (f->tun_layer)
		return bw_nft_error(x->b, &m->loc, "%s %s%s%s: a field inside a tunnel is matched by bpfwall's BPF programs only, not in a chain nf_tables runs (bridge, arp, nat, or with a field only the kernel reads)",
				    bw_tunnel_name((enum bw_tunnel)m->tunnel),
				    f->tun_layer == BW_TL_TUN ? "" : f->proto,
				    f->tun_layer == BW_TL_TUN ? "" : " ", f->name);
	x->chunk.src = KF_NONE;
	/* a raw payload: nf_tables' payload load of the bytes that hold
	 * its bits (masked and compared in place: raw_shape()) */
	if (f->raw && m->raw.base != BW_RAW_RT && !m->lookup)
		x->chunk = (struct bw_kfield){
			.src = KF_PAYLOAD, .base = m->raw.base, .off = (uint8_t)(m->raw.off / 8),
			.len = (uint8_t)((m->raw.off % 8 + m->raw.len + 7) / 8),
			.dtype = BW_NT_INTEGER,
		};
	else if (f->id >= BW_F_TCPOPT_KIND && f->id <= BW_F_TCPOPT_RAW32 && !m->lookup)
		/* tcp option K exists, @K,OFF,LEN: nf_tables' exthdr of op
		 * tcpopt of that kind */
		x->chunk = (struct bw_kfield){
			.src = KF_EXTHDR, .base = m->raw.base, .off = (uint8_t)(m->raw.off / 8),
			.len = m->raw.len ? (uint8_t)(m->raw.len / 8) : 1,
			.dtype = BW_NT_INTEGER, .tcpopt = true, .present = !m->raw.len,
		};
	else if (f->walk && !f->raw && !m->lookup)
		x->chunk = (struct bw_kfield){
			.src = KF_SCTP, .base = m->chunk.type, .off = m->chunk.off,
			.len = m->chunk.size ? m->chunk.size : 1,
			.dtype = BW_NT_INTEGER, .present = !m->chunk.size,
		};
	else if (f->raw && m->raw.base == BW_RAW_RT && !m->lookup)
		/* srh: nf_tables' exthdr of the routing header (srh.h) */
		x->chunk = (struct bw_kfield){
			.src = KF_EXTHDR, .base = IPPROTO_ROUTING, .off = (uint8_t)(m->raw.off / 8),
			.len = (uint8_t)(m->raw.len / 8),
			.dtype = f->type == BW_T_IPV6_ADDR ? BW_NT_IP6ADDR : BW_NT_INTEGER,
		};
	if (!bw_nft_rkf(x, m->field))
		return bw_nft_error(x->b, &m->loc, "%s %s has no exact nf_tables form%s",
				    f->proto, f->name, f->need_flags & BW_VIEW_VLAN ?
				    " (this back end reads a VLAN tag's fields in bridge chains only)" : "");
	if (deps(x, f, &m->loc))
		return -EINVAL;
	if (bw_nft_rkf(x, m->field)->src == KF_CONNLIMIT)
		return bw_nft_connlimit(x, m);
	rc = bw_nft_compare_match(x, m);
	if (!rc)
		learn(x, m);
	return rc;
}

int bw_nft_field_deps(struct bw_nft_rctx *x, enum bw_field_id id,
		      const struct bw_loc *loc)
{
	return deps(x, bw_field(id), loc);
}
