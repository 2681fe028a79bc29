// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "fields.h"
#include "tcpopt.h"
#include "sctp_chunk.h"
#include "tunnel.h"
#include "view.h"
#include "xfrm.h"

#define V(m, off) ((uint16_t)(offsetof(struct bw_view, m) + (off)))

#define ROW(ID, P, N, T, OFF, SZ, BE, L3, L4, ...) \
	[ID] = { .id = ID, .proto = P, .name = N, .type = T, .view_off = OFF, \
		 .size = SZ, .big_endian = BE, .need_l3 = L3, .need_l4proto = L4, \
		 __VA_ARGS__ }

const struct bw_field bw_fields[BW_F__MAX] = {
	ROW(BW_F_META_NFPROTO, "meta", "nfproto", BW_T_NFPROTO, V(nfproto, 0), 1, false, 0, 0),
	ROW(BW_F_META_L4PROTO, "meta", "l4proto", BW_T_INET_PROTO, V(l4proto, 0), 1, false, 0, 0),
	/* skb->len at the hook: the link layer is gone at netdev ingress,
	 * there at netdev egress (evaluate picks FRAMELEN); in the IP hooks
	 * the kernel has also cut what trails the IP packet (IPLEN) */
	ROW(BW_F_META_PKTLEN, "meta", "length", BW_T_INTEGER, V(l3len, 0), 4, false, 0, 0),
	ROW(BW_F_ETHER_DADDR, "ether", "daddr", BW_T_ETHER_ADDR, V(eth, 0), 6, true, 0, 0),
	ROW(BW_F_ETHER_SADDR, "ether", "saddr", BW_T_ETHER_ADDR, V(eth, 6), 6, true, 0, 0),
	/* nft's: the frame's own EtherType, a VLAN tag's TPID on a tagged
	 * frame (the protocol inside is vlan type, or l3 for ip saddr...) */
	ROW(BW_F_ETHER_TYPE, "ether", "type", BW_T_ETHER_TYPE, V(eth, 12), 2, true, 0, 0),
	ROW(BW_F_IP_VERSION, "ip", "version", BW_T_INTEGER, V(l3h, 0), 1, false, 4, 0, .shift = 4, .bits = 4),
	ROW(BW_F_IP_DSCP, "ip", "dscp", BW_T_INTEGER, V(l3h, 1), 1, false, 4, 0, .shift = 2, .bits = 6),
	ROW(BW_F_IP_LENGTH, "ip", "length", BW_T_BE_INTEGER, V(l3h, 2), 2, true, 4, 0),
	ROW(BW_F_IP_TTL, "ip", "ttl", BW_T_INTEGER, V(l3h, 8), 1, false, 4, 0),
	ROW(BW_F_IP_PROTOCOL, "ip", "protocol", BW_T_INET_PROTO, V(l3h, 9), 1, false, 4, 0),
	ROW(BW_F_IP_SADDR, "ip", "saddr", BW_T_IPV4_ADDR, V(l3h, 12), 4, true, 4, 0),
	ROW(BW_F_IP_DADDR, "ip", "daddr", BW_T_IPV4_ADDR, V(l3h, 16), 4, true, 4, 0),
	ROW(BW_F_IP6_NEXTHDR, "ip6", "nexthdr", BW_T_INET_PROTO, V(l3h, 6), 1, false, 6, 0),
	ROW(BW_F_IP6_HOPLIMIT, "ip6", "hoplimit", BW_T_INTEGER, V(l3h, 7), 1, false, 6, 0),
	ROW(BW_F_IP6_SADDR, "ip6", "saddr", BW_T_IPV6_ADDR, V(l3h, 8), 16, true, 6, 0),
	ROW(BW_F_IP6_DADDR, "ip6", "daddr", BW_T_IPV6_ADDR, V(l3h, 24), 16, true, 6, 0),
	ROW(BW_F_TCP_SPORT, "tcp", "sport", BW_T_INET_SERVICE, V(l4h, 0), 2, true, 0, IPPROTO_TCP),
	ROW(BW_F_TCP_DPORT, "tcp", "dport", BW_T_INET_SERVICE, V(l4h, 2), 2, true, 0, IPPROTO_TCP),
	ROW(BW_F_TCP_FLAGS, "tcp", "flags", BW_T_TCP_FLAG, V(l4h, 13), 1, false, 0, IPPROTO_TCP),
	ROW(BW_F_UDP_SPORT, "udp", "sport", BW_T_INET_SERVICE, V(l4h, 0), 2, true, 0, IPPROTO_UDP),
	ROW(BW_F_UDP_DPORT, "udp", "dport", BW_T_INET_SERVICE, V(l4h, 2), 2, true, 0, IPPROTO_UDP),
	ROW(BW_F_ICMP_TYPE, "icmp", "type", BW_T_ICMP_TYPE, V(l4h, 0), 1, false, 4, IPPROTO_ICMP),
	ROW(BW_F_ICMP_CODE, "icmp", "code", BW_T_INTEGER, V(l4h, 1), 1, false, 4, IPPROTO_ICMP),
	ROW(BW_F_ICMP6_TYPE, "icmpv6", "type", BW_T_ICMP6_TYPE, V(l4h, 0), 1, false, 6, IPPROTO_ICMPV6),
	ROW(BW_F_ICMP6_CODE, "icmpv6", "code", BW_T_INTEGER, V(l4h, 1), 1, false, 6, IPPROTO_ICMPV6),
	ROW(BW_F_META_MARK, "meta", "mark", BW_T_INTEGER, V(mark, 0), 4, false, 0, 0),
	ROW(BW_F_META_PKTTYPE, "meta", "pkttype", BW_T_PKTTYPE, V(pkttype, 0), 1, false, 0, 0),
	ROW(BW_F_VLAN_ID, "vlan", "id", BW_T_INTEGER, V(vlan_tci, 0), 2, false, 0, 0,
	    .bits = 12, .need_flags = BW_VIEW_VLAN),
	ROW(BW_F_VLAN_PCP, "vlan", "pcp", BW_T_INTEGER, V(vlan_tci, 0), 2, false, 0, 0,
	    .shift = 13, .bits = 3, .need_flags = BW_VIEW_VLAN),
	ROW(BW_F_VLAN_DEI, "vlan", "dei", BW_T_INTEGER, V(vlan_tci, 0), 2, false, 0, 0,
	    .shift = 12, .bits = 1, .need_flags = BW_VIEW_VLAN),
	ROW(BW_F_META_IIF, "meta", "iif", BW_T_IFNAME, V(iifname, 0), 16, true, 0, 0,
	    .src = BW_FS_IIF, .need_flags = BW_VIEW_IIF),
	ROW(BW_F_META_IIFNAME, "meta", "iifname", BW_T_IFNAME, V(iifname, 0), 16, true, 0, 0,
	    .src = BW_FS_IIF, .need_flags = BW_VIEW_IIF),
	ROW(BW_F_META_OIF, "meta", "oif", BW_T_IFNAME, V(oifname, 0), 16, true, 0, 0,
	    .src = BW_FS_OIF, .need_flags = BW_VIEW_OIF),
	ROW(BW_F_META_OIFNAME, "meta", "oifname", BW_T_IFNAME, V(oifname, 0), 16, true, 0, 0,
	    .src = BW_FS_OIF, .need_flags = BW_VIEW_OIF),
	ROW(BW_F_META_FRAMELEN, "meta", "length", BW_T_INTEGER, V(pkt_len, 0), 4, false, 0, 0),
	ROW(BW_F_IP_ID, "ip", "id", BW_T_BE_INTEGER, V(l3h, 4), 2, true, 4, 0),
	ROW(BW_F_IP_FRAGOFF, "ip", "frag-off", BW_T_BE_INTEGER, V(l3h, 6), 2, true, 4, 0),
	ROW(BW_F_IP_HDRLENGTH, "ip", "hdrlength", BW_T_INTEGER, V(l3h, 0), 1, false, 4, 0, .bits = 4),
	ROW(BW_F_IP_ECN, "ip", "ecn", BW_T_INTEGER, V(l3h, 1), 1, false, 4, 0, .bits = 2),
	ROW(BW_F_IP6_VERSION, "ip6", "version", BW_T_INTEGER, V(l3h, 0), 1, false, 6, 0, .shift = 4, .bits = 4),
	ROW(BW_F_IP6_FLOWLABEL, "ip6", "flowlabel", BW_T_BE_INTEGER, V(l3h, 0), 4, true, 6, 0, .bits = 20),
	ROW(BW_F_IP6_LENGTH, "ip6", "length", BW_T_BE_INTEGER, V(l3h, 4), 2, true, 6, 0),
	ROW(BW_F_TCP_SEQUENCE, "tcp", "sequence", BW_T_BE_INTEGER, V(l4h, 4), 4, true, 0, IPPROTO_TCP),
	ROW(BW_F_TCP_ACKSEQ, "tcp", "ackseq", BW_T_BE_INTEGER, V(l4h, 8), 4, true, 0, IPPROTO_TCP),
	ROW(BW_F_TCP_WINDOW, "tcp", "window", BW_T_BE_INTEGER, V(l4h, 14), 2, true, 0, IPPROTO_TCP),
	ROW(BW_F_TCP_DOFF, "tcp", "doff", BW_T_INTEGER, V(l4h, 12), 1, false, 0, IPPROTO_TCP,
	    .shift = 4, .bits = 4),
	ROW(BW_F_TCP_URGPTR, "tcp", "urgptr", BW_T_BE_INTEGER, V(l4h, 18), 2, true, 0, IPPROTO_TCP),
	ROW(BW_F_UDP_LENGTH, "udp", "length", BW_T_BE_INTEGER, V(l4h, 4), 2, true, 0, IPPROTO_UDP),
	/* nft: these exist in echo requests and replies only */
	ROW(BW_F_ICMP_ID, "icmp", "id", BW_T_BE_INTEGER, V(l4h, 4), 2, true, 4, IPPROTO_ICMP,
	    .need_flags = BW_VIEW_ECHO),
	ROW(BW_F_ICMP_SEQUENCE, "icmp", "sequence", BW_T_BE_INTEGER, V(l4h, 6), 2, true, 4, IPPROTO_ICMP,
	    .need_flags = BW_VIEW_ECHO),
	ROW(BW_F_ICMP6_ID, "icmpv6", "id", BW_T_BE_INTEGER, V(l4h, 4), 2, true, 6, IPPROTO_ICMPV6,
	    .need_flags = BW_VIEW_ECHO),
	ROW(BW_F_ICMP6_SEQUENCE, "icmpv6", "sequence", BW_T_BE_INTEGER, V(l4h, 6), 2, true, 6, IPPROTO_ICMPV6,
	    .need_flags = BW_VIEW_ECHO),
	ROW(BW_F_META_IPLEN, "meta", "length", BW_T_INTEGER, V(iplen, 0), 4, false, 0, 0),
	ROW(BW_F_CT_STATE, "ct", "state", BW_T_CT_STATE, V(ct_state, 0), 1, false, 0, 0),
	ROW(BW_F_VLAN_TYPE, "vlan", "type", BW_T_ETHER_TYPE, V(vlan_type, 0), 2, false, 0, 0,
	    .need_flags = BW_VIEW_VLAN),
	/* the transport headers of bw_view_l4_soft() */
	ROW(BW_F_SCTP_SPORT, "sctp", "sport", BW_T_INET_SERVICE, V(l4h, 0), 2, true, 0, IPPROTO_SCTP),
	ROW(BW_F_SCTP_DPORT, "sctp", "dport", BW_T_INET_SERVICE, V(l4h, 2), 2, true, 0, IPPROTO_SCTP),
	ROW(BW_F_SCTP_VTAG, "sctp", "vtag", BW_T_BE_INTEGER, V(l4h, 4), 4, true, 0, IPPROTO_SCTP),
	ROW(BW_F_SCTP_CHECKSUM, "sctp", "checksum", BW_T_BE_INTEGER, V(l4h, 8), 4, true, 0, IPPROTO_SCTP),
	ROW(BW_F_DCCP_SPORT, "dccp", "sport", BW_T_INET_SERVICE, V(l4h, 0), 2, true, 0, IPPROTO_DCCP),
	ROW(BW_F_DCCP_DPORT, "dccp", "dport", BW_T_INET_SERVICE, V(l4h, 2), 2, true, 0, IPPROTO_DCCP),
	ROW(BW_F_DCCP_TYPE, "dccp", "type", BW_T_INTEGER, V(l4h, 8), 1, false, 0, IPPROTO_DCCP,
	    .shift = 1, .bits = 4),
	ROW(BW_F_UDPLITE_SPORT, "udplite", "sport", BW_T_INET_SERVICE, V(l4h, 0), 2, true, 0, IPPROTO_UDPLITE),
	ROW(BW_F_UDPLITE_DPORT, "udplite", "dport", BW_T_INET_SERVICE, V(l4h, 2), 2, true, 0, IPPROTO_UDPLITE),
	ROW(BW_F_UDPLITE_CSUMCOV, "udplite", "csumcov", BW_T_BE_INTEGER, V(l4h, 4), 2, true, 0, IPPROTO_UDPLITE),
	ROW(BW_F_UDPLITE_CHECKSUM, "udplite", "checksum", BW_T_BE_INTEGER, V(l4h, 6), 2, true, 0, IPPROTO_UDPLITE),
	ROW(BW_F_ESP_SPI, "esp", "spi", BW_T_BE_INTEGER, V(l4h, 0), 4, true, 0, IPPROTO_ESP),
	ROW(BW_F_ESP_SEQUENCE, "esp", "sequence", BW_T_BE_INTEGER, V(l4h, 4), 4, true, 0, IPPROTO_ESP),
	ROW(BW_F_COMP_NEXTHDR, "comp", "nexthdr", BW_T_INET_PROTO, V(l4h, 0), 1, false, 0, IPPROTO_COMP),
	ROW(BW_F_COMP_FLAGS, "comp", "flags", BW_T_INTEGER, V(l4h, 1), 1, false, 0, IPPROTO_COMP),
	ROW(BW_F_COMP_CPI, "comp", "cpi", BW_T_BE_INTEGER, V(l4h, 2), 2, true, 0, IPPROTO_COMP),
	ROW(BW_F_AH_NEXTHDR, "ah", "nexthdr", BW_T_INET_PROTO, V(l4h, 0), 1, false, 0, IPPROTO_AH),
	ROW(BW_F_AH_HDRLENGTH, "ah", "hdrlength", BW_T_INTEGER, V(l4h, 1), 1, false, 0, IPPROTO_AH),
	ROW(BW_F_AH_RESERVED, "ah", "reserved", BW_T_BE_INTEGER, V(l4h, 2), 2, true, 0, IPPROTO_AH),
	ROW(BW_F_AH_SPI, "ah", "spi", BW_T_BE_INTEGER, V(l4h, 4), 4, true, 0, IPPROTO_AH),
	ROW(BW_F_AH_SEQUENCE, "ah", "sequence", BW_T_BE_INTEGER, V(l4h, 8), 4, true, 0, IPPROTO_AH),
	/* IPv6 extension headers: the first of each kind (view.h) */
	ROW(BW_F_EXTHDR_HBH, "exthdr", "hbh", BW_T_INTEGER, V(exthdrs, 0), 1, false, 6, 0,
	    .shift = 0, .bits = 1, .exthdrs = true),
	ROW(BW_F_EXTHDR_RT, "exthdr", "rt", BW_T_INTEGER, V(exthdrs, 0), 1, false, 6, 0,
	    .shift = 1, .bits = 1, .exthdrs = true),
	ROW(BW_F_EXTHDR_FRAG, "exthdr", "frag", BW_T_INTEGER, V(exthdrs, 0), 1, false, 6, 0,
	    .shift = 2, .bits = 1, .exthdrs = true),
	ROW(BW_F_EXTHDR_DST, "exthdr", "dst", BW_T_INTEGER, V(exthdrs, 0), 1, false, 6, 0,
	    .shift = 3, .bits = 1, .exthdrs = true),
	ROW(BW_F_EXTHDR_MH, "exthdr", "mh", BW_T_INTEGER, V(exthdrs, 0), 1, false, 6, 0,
	    .shift = 4, .bits = 1, .exthdrs = true),
	ROW(BW_F_HBH_NEXTHDR, "hbh", "nexthdr", BW_T_INET_PROTO, V(hbh, 0), 1, false, 6, 0,
	    .need_ext = BW_EXT_HBH, .exthdrs = true),
	ROW(BW_F_HBH_HDRLENGTH, "hbh", "hdrlength", BW_T_INTEGER, V(hbh, 1), 1, false, 6, 0,
	    .need_ext = BW_EXT_HBH, .exthdrs = true),
	ROW(BW_F_DST_NEXTHDR, "dst", "nexthdr", BW_T_INET_PROTO, V(dst, 0), 1, false, 6, 0,
	    .need_ext = BW_EXT_DST, .exthdrs = true),
	ROW(BW_F_DST_HDRLENGTH, "dst", "hdrlength", BW_T_INTEGER, V(dst, 1), 1, false, 6, 0,
	    .need_ext = BW_EXT_DST, .exthdrs = true),
	ROW(BW_F_RT_NEXTHDR, "rt", "nexthdr", BW_T_INET_PROTO, V(rt, 0), 1, false, 6, 0,
	    .need_ext = BW_EXT_RT, .exthdrs = true),
	ROW(BW_F_RT_HDRLENGTH, "rt", "hdrlength", BW_T_INTEGER, V(rt, 1), 1, false, 6, 0,
	    .need_ext = BW_EXT_RT, .exthdrs = true),
	ROW(BW_F_RT_TYPE, "rt", "type", BW_T_INTEGER, V(rt, 2), 1, false, 6, 0,
	    .need_ext = BW_EXT_RT, .exthdrs = true),
	ROW(BW_F_RT_SEGLEFT, "rt", "seg-left", BW_T_INTEGER, V(rt, 3), 1, false, 6, 0,
	    .need_ext = BW_EXT_RT, .exthdrs = true),
	ROW(BW_F_FRAG_NEXTHDR, "frag", "nexthdr", BW_T_INET_PROTO, V(frag, 0), 1, false, 6, 0,
	    .need_ext = BW_EXT_FRAG, .exthdrs = true),
	ROW(BW_F_FRAG_RESERVED, "frag", "reserved", BW_T_INTEGER, V(frag, 1), 1, false, 6, 0,
	    .need_ext = BW_EXT_FRAG, .exthdrs = true),
	ROW(BW_F_FRAG_FRAGOFF, "frag", "frag-off", BW_T_INTEGER, V(frag, 2), 2, true, 6, 0,
	    .shift = 3, .bits = 13, .need_ext = BW_EXT_FRAG, .exthdrs = true),
	ROW(BW_F_FRAG_RESERVED2, "frag", "reserved2", BW_T_INTEGER, V(frag, 2), 2, true, 6, 0,
	    .shift = 1, .bits = 2, .need_ext = BW_EXT_FRAG, .exthdrs = true),
	ROW(BW_F_FRAG_MORE, "frag", "more-fragments", BW_T_INTEGER, V(frag, 2), 2, true, 6, 0,
	    .shift = 0, .bits = 1, .need_ext = BW_EXT_FRAG, .exthdrs = true),
	/* the fragment header's id: view.frag_id (the OR of them, should
	 * a packet have several) */
	ROW(BW_F_FRAG_ID, "frag", "id", BW_T_BE_INTEGER, V(frag_id, 0), 4, true, 6, 0,
	    .need_ext = BW_EXT_FRAG, .exthdrs = true),
	ROW(BW_F_MH_NEXTHDR, "mh", "nexthdr", BW_T_INET_PROTO, V(l4h, 0), 1, false, 6, IPPROTO_MH),
	ROW(BW_F_MH_HDRLENGTH, "mh", "hdrlength", BW_T_INTEGER, V(l4h, 1), 1, false, 6, IPPROTO_MH),
	ROW(BW_F_MH_TYPE, "mh", "type", BW_T_INTEGER, V(l4h, 2), 1, false, 6, IPPROTO_MH),
	ROW(BW_F_MH_RESERVED, "mh", "reserved", BW_T_INTEGER, V(l4h, 3), 1, false, 6, IPPROTO_MH),
	ROW(BW_F_MH_CHECKSUM, "mh", "checksum", BW_T_BE_INTEGER, V(l4h, 4), 2, true, 6, IPPROTO_MH),
	/* skb->protocol as the hooks see it: the EtherType the kernel has
	 * once it has taken VLAN tags off (at the IP hooks, IPv4 or IPv6) */
	ROW(BW_F_META_PROTOCOL, "meta", "protocol", BW_T_ETHER_TYPE, V(ethertype, 0), 2, false, 0, 0),
	/* SCTP chunks: the value a match's walk found, in the bytes of
	 * l4h that SCTP's 12-byte common header leaves free */
	/* no guard, no dependency, as in nf_tables: its walk finds no chunk
	 * in a packet that is not SCTP (missing holds there, a field breaks
	 * the rule) */
	ROW(BW_F_SCTP_CHUNK, "sctp", "chunk", BW_T_INTEGER, V(l4h, 16), 1, false, 0, 0,
	    .walk = true),
	ROW(BW_F_SCTP_CHUNK8, "sctp", "chunk", BW_T_INTEGER, V(l4h, 16), 1, false, 0, 0,
	    .walk = true),
	ROW(BW_F_SCTP_CHUNK16, "sctp", "chunk", BW_T_BE_INTEGER, V(l4h, 16), 2, true, 0, 0,
	    .walk = true),
	ROW(BW_F_SCTP_CHUNK32, "sctp", "chunk", BW_T_BE_INTEGER, V(l4h, 16), 4, true, 0, 0,
	    .walk = true),
	/* checksums as the packet carries them (none is verified here) */
	ROW(BW_F_IP_CHECKSUM, "ip", "checksum", BW_T_BE_INTEGER, V(l3h, 10), 2, true, 4, 0),
	ROW(BW_F_TCP_CHECKSUM, "tcp", "checksum", BW_T_BE_INTEGER, V(l4h, 16), 2, true, 0, IPPROTO_TCP),
	ROW(BW_F_UDP_CHECKSUM, "udp", "checksum", BW_T_BE_INTEGER, V(l4h, 6), 2, true, 0, IPPROTO_UDP),
	ROW(BW_F_ICMP_CHECKSUM, "icmp", "checksum", BW_T_BE_INTEGER, V(l4h, 2), 2, true, 4, IPPROTO_ICMP),
	ROW(BW_F_ICMP6_CHECKSUM, "icmpv6", "checksum", BW_T_BE_INTEGER, V(l4h, 2), 2, true, 6, IPPROTO_ICMPV6),
	/* fields of one ICMP type: destination unreachable's next-hop MTU,
	 * redirect's gateway, ICMPv6 packet too big's MTU, an MLD query's
	 * maximum response delay */
	ROW(BW_F_ICMP_MTU, "icmp", "mtu", BW_T_BE_INTEGER, V(l4h, 6), 2, true, 4, IPPROTO_ICMP,
	    .icmp_type = 3),
	ROW(BW_F_ICMP_GATEWAY, "icmp", "gateway", BW_T_BE_INTEGER, V(l4h, 4), 4, true, 4, IPPROTO_ICMP,
	    .icmp_type = 5),
	ROW(BW_F_ICMP6_MTU, "icmpv6", "mtu", BW_T_BE_INTEGER, V(l4h, 4), 4, true, 6, IPPROTO_ICMPV6,
	    .icmp_type = 2),
	ROW(BW_F_ICMP6_MAXDELAY, "icmpv6", "max-delay", BW_T_BE_INTEGER, V(l4h, 4), 2, true, 6, IPPROTO_ICMPV6,
	    .icmp_type = 130),
	/* IGMP's header: type (names in value.c), max response time,
	 * checksum, group (a number, as nft's) */
	ROW(BW_F_IGMP_TYPE, "igmp", "type", BW_T_INTEGER, V(l4h, 0), 1, false, 4, IPPROTO_IGMP),
	ROW(BW_F_IGMP_MRT, "igmp", "mrt", BW_T_INTEGER, V(l4h, 1), 1, false, 4, IPPROTO_IGMP),
	ROW(BW_F_IGMP_CHECKSUM, "igmp", "checksum", BW_T_BE_INTEGER, V(l4h, 2), 2, true, 4, IPPROTO_IGMP),
	ROW(BW_F_IGMP_GROUP, "igmp", "group", BW_T_BE_INTEGER, V(l4h, 4), 4, true, 4, IPPROTO_IGMP),
	/* IPv6's traffic class, bits 4-11 of the first 16: DSCP and ECN */
	ROW(BW_F_IP6_DSCP, "ip6", "dscp", BW_T_INTEGER, V(l3h, 0), 2, true, 6, 0, .shift = 6, .bits = 6),
	ROW(BW_F_IP6_ECN, "ip6", "ecn", BW_T_INTEGER, V(l3h, 0), 2, true, 6, 0, .shift = 4, .bits = 2),
	/* raw payload: the bits a match names, right-aligned in the row's
	 * bytes; no guard (the read itself decides, as in nf_tables) */
	ROW(BW_F_RAW8, "@raw", "", BW_T_BE_INTEGER, 0, 1, true, 0, 0, .walk = true, .raw = true),
	ROW(BW_F_RAW16, "@raw", "", BW_T_BE_INTEGER, 0, 2, true, 0, 0, .walk = true, .raw = true),
	ROW(BW_F_RAW32, "@raw", "", BW_T_BE_INTEGER, 0, 4, true, 0, 0, .walk = true, .raw = true),
	ROW(BW_F_RAW64, "@raw", "", BW_T_BE_INTEGER, 0, 8, true, 0, 0, .walk = true, .raw = true),
	ROW(BW_F_RAW128, "@raw", "", BW_T_BE_INTEGER, 0, 16, true, 0, 0, .walk = true, .raw = true),
	/* icmpv6 taddr: @th,64,128 of the ND, MLD and redirect types
	 * (evaluate adds nft's type set); icmpv6 daddr: @th,192,128 of a
	 * redirect */
	ROW(BW_F_ICMP6_TADDR, "icmpv6", "taddr", BW_T_IPV6_ADDR, 0, 16, true, 6, IPPROTO_ICMPV6,
	    .walk = true, .raw = true),
	ROW(BW_F_ICMP6_DADDR, "icmpv6", "daddr", BW_T_IPV6_ADDR, 0, 16, true, 6, IPPROTO_ICMPV6,
	    .walk = true, .raw = true, .icmp_type = 137),
	/* GRE's first 4 bytes: flags C R K S s (nft: 5 bits), version,
	 * protocol (an EtherType) */
	ROW(BW_F_GRE_FLAGS, "gre", "flags", BW_T_INTEGER, V(l4h, 0), 1, false, 0, IPPROTO_GRE,
	    .shift = 3, .bits = 5),
	ROW(BW_F_GRE_VERSION, "gre", "version", BW_T_INTEGER, V(l4h, 1), 1, false, 0, IPPROTO_GRE,
	    .bits = 3),
	ROW(BW_F_GRE_PROTOCOL, "gre", "protocol", BW_T_ETHER_TYPE, V(l4h, 2), 2, true, 0, IPPROTO_GRE),
	/* inside a tunnel (tunnel.h): the walk leaves the value in the
	 * bytes of l4h the outer UDP or GRE header leaves free; no guard
	 * of the outer packet's (the walk checks it) */
#define TUN(ID, P, N, T, SZ, BE, LAYER, OFF, ...) \
	ROW(ID, P, N, T, V(l4h, 8), SZ, BE, 0, 0, .walk = true, \
	    .tun_layer = LAYER, .tun_off = OFF, __VA_ARGS__)
	TUN(BW_F_TUN_VNI, "vxlan", "vni", BW_T_INTEGER, 4, true, BW_TL_TUN, 4,
	    .shift = 8, .bits = 24),
	TUN(BW_F_TUN_ETHER_DADDR, "ether", "daddr", BW_T_ETHER_ADDR, 6, true, BW_TL_LINK, 0),
	TUN(BW_F_TUN_ETHER_SADDR, "ether", "saddr", BW_T_ETHER_ADDR, 6, true, BW_TL_LINK, 6),
	TUN(BW_F_TUN_ETHER_TYPE, "ether", "type", BW_T_ETHER_TYPE, 2, true, BW_TL_LINK, 12),
	TUN(BW_F_TUN_VLAN_ID, "vlan", "id", BW_T_INTEGER, 2, true, BW_TL_LINK, 14,
	    .bits = 12, .tun_need = 0x8100),
	TUN(BW_F_TUN_IP_DSCP, "ip", "dscp", BW_T_INTEGER, 1, false, BW_TL_IP4, 1,
	    .shift = 2, .bits = 6),
	TUN(BW_F_TUN_IP_LENGTH, "ip", "length", BW_T_BE_INTEGER, 2, true, BW_TL_IP4, 2),
	TUN(BW_F_TUN_IP_TTL, "ip", "ttl", BW_T_INTEGER, 1, false, BW_TL_IP4, 8),
	TUN(BW_F_TUN_IP_PROTOCOL, "ip", "protocol", BW_T_INET_PROTO, 1, false, BW_TL_IP4, 9),
	TUN(BW_F_TUN_IP_SADDR, "ip", "saddr", BW_T_IPV4_ADDR, 4, true, BW_TL_IP4, 12),
	TUN(BW_F_TUN_IP_DADDR, "ip", "daddr", BW_T_IPV4_ADDR, 4, true, BW_TL_IP4, 16),
	TUN(BW_F_TUN_IP6_NEXTHDR, "ip6", "nexthdr", BW_T_INET_PROTO, 1, false, BW_TL_IP6, 6),
	TUN(BW_F_TUN_IP6_HOPLIMIT, "ip6", "hoplimit", BW_T_INTEGER, 1, false, BW_TL_IP6, 7),
	TUN(BW_F_TUN_IP6_SADDR, "ip6", "saddr", BW_T_IPV6_ADDR, 16, true, BW_TL_IP6, 8),
	TUN(BW_F_TUN_IP6_DADDR, "ip6", "daddr", BW_T_IPV6_ADDR, 16, true, BW_TL_IP6, 24),
	TUN(BW_F_TUN_TCP_SPORT, "tcp", "sport", BW_T_INET_SERVICE, 2, true, BW_TL_L4, 0,
	    .tun_need = IPPROTO_TCP),
	TUN(BW_F_TUN_TCP_DPORT, "tcp", "dport", BW_T_INET_SERVICE, 2, true, BW_TL_L4, 2,
	    .tun_need = IPPROTO_TCP),
	TUN(BW_F_TUN_TCP_FLAGS, "tcp", "flags", BW_T_TCP_FLAG, 1, false, BW_TL_L4, 13,
	    .tun_need = IPPROTO_TCP),
	TUN(BW_F_TUN_UDP_SPORT, "udp", "sport", BW_T_INET_SERVICE, 2, true, BW_TL_L4, 0,
	    .tun_need = IPPROTO_UDP),
	TUN(BW_F_TUN_UDP_DPORT, "udp", "dport", BW_T_INET_SERVICE, 2, true, BW_TL_L4, 2,
	    .tun_need = IPPROTO_UDP),
	TUN(BW_F_TUN_ICMP_TYPE, "icmp", "type", BW_T_ICMP_TYPE, 1, false, BW_TL_L4, 0,
	    .tun_need = IPPROTO_ICMP | 4 << 8),
	TUN(BW_F_TUN_ICMP_CODE, "icmp", "code", BW_T_INTEGER, 1, false, BW_TL_L4, 1,
	    .tun_need = IPPROTO_ICMP | 4 << 8),
	TUN(BW_F_TUN_ICMP6_TYPE, "icmpv6", "type", BW_T_ICMP6_TYPE, 1, false, BW_TL_L4, 0,
	    .tun_need = IPPROTO_ICMPV6 | 6 << 8),
	TUN(BW_F_TUN_ICMP6_CODE, "icmpv6", "code", BW_T_INTEGER, 1, false, BW_TL_L4, 1,
	    .tun_need = IPPROTO_ICMPV6 | 6 << 8),
#undef TUN
	/* the ARP header of an Ethernet/IPv4 ARP frame (RFC 826); the
	 * kernel's arp hooks see only those (arp_rcv drops the rest) */
#define ARP(ID, N, T, OFF, SZ, BE) \
	ROW(ID, "arp", N, T, V(l3h, OFF), SZ, BE, 0, 0, .nft_only = true, \
	    .need_ethertype = 0x0806)
	ARP(BW_F_ARP_HTYPE, "htype", BW_T_BE_INTEGER, 0, 2, true),
	ARP(BW_F_ARP_PTYPE, "ptype", BW_T_ETHER_TYPE, 2, 2, true),
	ARP(BW_F_ARP_HLEN, "hlen", BW_T_INTEGER, 4, 1, false),
	ARP(BW_F_ARP_PLEN, "plen", BW_T_INTEGER, 5, 1, false),
	ARP(BW_F_ARP_OP, "operation", BW_T_ARP_OP, 6, 2, true),
	ARP(BW_F_ARP_SHA, "saddr ether", BW_T_ETHER_ADDR, 8, 6, true),
	ARP(BW_F_ARP_SPA, "saddr ip", BW_T_IPV4_ADDR, 14, 4, true),
	ARP(BW_F_ARP_THA, "daddr ether", BW_T_ETHER_ADDR, 18, 6, true),
	ARP(BW_F_ARP_TPA, "daddr ip", BW_T_IPV4_ADDR, 24, 4, true),
#undef ARP
	/* nf_tables' bridge meta keys: the name of the bridge whose port
	 * the frame came in on (goes out on); the interpreter takes them
	 * from its context (bw_interp_ctx.ibr, obr) */
	ROW(BW_F_META_IBRNAME, "meta", "ibrname", BW_T_IFNAME, V(iifname, 0), 16, true, 0, 0,
	    .nft_only = true, .src = BW_FS_IBR),
	ROW(BW_F_META_OBRNAME, "meta", "obrname", BW_T_IFNAME, V(oifname, 0), 16, true, 0, 0,
	    .nft_only = true, .src = BW_FS_OBR),
	ROW(BW_F_CT_STATUS, "ct", "status", BW_T_CT_STATUS, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_CT_DIRECTION, "ct", "direction", BW_T_CT_DIR, 0, 1, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_FIB_SADDR_TYPE, "fib", "saddr type", BW_T_INTEGER, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_FIB_DADDR_TYPE, "fib", "daddr type", BW_T_INTEGER, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_META_SKUID, "meta", "skuid", BW_T_UID, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_META_SKGID, "meta", "skgid", BW_T_GID, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
#define KMETA(ID, N, T, SZ) \
	ROW(ID, "meta", N, T, 0, SZ, false, 0, 0, .nft_only = true, \
	    .src = BW_FS_KERNEL)
	KMETA(BW_F_META_PRIORITY, "priority", BW_T_TCHANDLE, 4),
	KMETA(BW_F_META_IIFTYPE, "iiftype", BW_T_ARPHRD, 2),
	KMETA(BW_F_META_OIFTYPE, "oiftype", BW_T_ARPHRD, 2),
	KMETA(BW_F_META_IIFGROUP, "iifgroup", BW_T_DEVGROUP, 4),
	KMETA(BW_F_META_OIFGROUP, "oifgroup", BW_T_DEVGROUP, 4),
	KMETA(BW_F_META_CPU, "cpu", BW_T_INTEGER, 4),
	KMETA(BW_F_META_CGROUP, "cgroup", BW_T_INTEGER, 4),
	KMETA(BW_F_META_RANDOM, "random", BW_T_INTEGER, 4),
	KMETA(BW_F_META_TIME, "time", BW_T_TIME, 8),
	KMETA(BW_F_META_HOUR, "hour", BW_T_HOUR, 4),
	KMETA(BW_F_META_DAY, "day", BW_T_DAY, 1),
	KMETA(BW_F_META_RTCLASSID, "rtclassid", BW_T_REALM, 4),
#undef KMETA
	ROW(BW_F_RT_CLASSID, "rt", "classid", BW_T_REALM, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_RT_IPSEC, "rt", "ipsec", BW_T_BOOL, 0, 1, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_META_IPSEC, "meta", "ipsec", BW_T_BOOL, 0, 1, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_META_SDIF, "meta", "sdif", BW_T_IFNAME, 0, 16, true, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_META_SDIFNAME, "meta", "sdifname", BW_T_IFNAME, 0, 16, true, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_RT_NEXTHOP4, "rt", "ip nexthop", BW_T_IPV4_ADDR, 0, 4, true, 4, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_RT_NEXTHOP6, "rt", "ip6 nexthop", BW_T_IPV6_ADDR, 0, 16, true, 6, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	/* nft 1.0.6 takes transparent and wildcard as one bit */
	ROW(BW_F_SOCKET_TRANSPARENT, "socket", "transparent", BW_T_INTEGER, 0, 1, false, 0, 0,
	    .bits = 1, .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_SOCKET_MARK, "socket", "mark", BW_T_INTEGER, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_SOCKET_WILDCARD, "socket", "wildcard", BW_T_INTEGER, 0, 1, false, 0, 0,
	    .bits = 1, .nft_only = true, .src = BW_FS_KERNEL),
#define FIB(ID, N, T, SZ, BE, ...) ROW(ID, "fib", N, T, 0, SZ, BE, 0, 0, \
					  .nft_only = true, .src = BW_FS_KERNEL, __VA_ARGS__)
	FIB(BW_F_FIB_SADDR_IIF_TYPE, "saddr . iif type", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_DADDR_IIF_TYPE, "daddr . iif type", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_SADDR_OIF_TYPE, "saddr . oif type", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_DADDR_OIF_TYPE, "daddr . oif type", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_SADDR_OIF, "saddr oif", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_DADDR_OIF, "daddr oif", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_SADDR_IIF_OIF, "saddr . iif oif", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_DADDR_IIF_OIF, "daddr . iif oif", BW_T_INTEGER, 4, false, .bits = 0),
	FIB(BW_F_FIB_SADDR_OIFNAME, "saddr oifname", BW_T_IFNAME, 16, true, .bits = 0),
	FIB(BW_F_FIB_DADDR_OIFNAME, "daddr oifname", BW_T_IFNAME, 16, true, .bits = 0),
	FIB(BW_F_FIB_SADDR_IIF_OIFNAME, "saddr . iif oifname", BW_T_IFNAME, 16, true, .bits = 0),
	FIB(BW_F_FIB_DADDR_IIF_OIFNAME, "daddr . iif oifname", BW_T_IFNAME, 16, true, .bits = 0),
	/* nft's `fib daddr check` (newer nft; the evaluator also takes the
	 * oif rows with exists|missing for these, the form nft 1.0.6 writes) */
	FIB(BW_F_FIB_SADDR_OIF_PRESENT, "saddr check", BW_T_INTEGER, 1, false, .bits = 1),
	FIB(BW_F_FIB_DADDR_OIF_PRESENT, "daddr check", BW_T_INTEGER, 1, false, .bits = 1),
	FIB(BW_F_FIB_SADDR_IIF_OIF_PRESENT, "saddr . iif check", BW_T_INTEGER, 1, false, .bits = 1),
	FIB(BW_F_FIB_DADDR_IIF_OIF_PRESENT, "daddr . iif check", BW_T_INTEGER, 1, false, .bits = 1),
#undef FIB
#define OSF(ID, N) ROW(ID, "osf", N, BW_T_IFNAME, 0, 16, true, 0, 0, \
		       .nft_only = true, .src = BW_FS_KERNEL)
	OSF(BW_F_OSF_NAME, "name"),
	OSF(BW_F_OSF_LOOSE_NAME, "ttl loose name"),
	OSF(BW_F_OSF_SKIP_NAME, "ttl skip name"),
	OSF(BW_F_OSF_VERSION, "version"),
	OSF(BW_F_OSF_LOOSE_VERSION, "ttl loose version"),
	OSF(BW_F_OSF_SKIP_VERSION, "ttl skip version"),
#undef OSF
	/* the conntrack entry's keys: the kernel's nf_tables reads them (a
	 * BPF netfilter program has no trusted pointer to the entry) */
#define CT(ID, N, T, SZ, BE, L3) \
	ROW(ID, "ct", N, T, 0, SZ, BE, L3, 0, .nft_only = true, .src = BW_FS_KERNEL)
	CT(BW_F_CT_MARK, "mark", BW_T_INTEGER, 4, false, 0),
	CT(BW_F_CT_ZONE, "zone", BW_T_INTEGER, 2, false, 0),
	CT(BW_F_CT_ZONE_ORIG, "original zone", BW_T_INTEGER, 2, false, 0),
	CT(BW_F_CT_ZONE_REPLY, "reply zone", BW_T_INTEGER, 2, false, 0),
	CT(BW_F_CT_L3PROTO, "l3proto", BW_T_NFPROTO, 1, false, 0),
	CT(BW_F_CT_PROTOCOL, "protocol", BW_T_INET_PROTO, 1, false, 0),
	CT(BW_F_CT_ORIG_IP_SADDR, "original ip saddr", BW_T_IPV4_ADDR, 4, true, 4),
	CT(BW_F_CT_ORIG_IP_DADDR, "original ip daddr", BW_T_IPV4_ADDR, 4, true, 4),
	CT(BW_F_CT_REPLY_IP_SADDR, "reply ip saddr", BW_T_IPV4_ADDR, 4, true, 4),
	CT(BW_F_CT_REPLY_IP_DADDR, "reply ip daddr", BW_T_IPV4_ADDR, 4, true, 4),
	CT(BW_F_CT_ORIG_IP6_SADDR, "original ip6 saddr", BW_T_IPV6_ADDR, 16, true, 6),
	CT(BW_F_CT_ORIG_IP6_DADDR, "original ip6 daddr", BW_T_IPV6_ADDR, 16, true, 6),
	CT(BW_F_CT_REPLY_IP6_SADDR, "reply ip6 saddr", BW_T_IPV6_ADDR, 16, true, 6),
	CT(BW_F_CT_REPLY_IP6_DADDR, "reply ip6 daddr", BW_T_IPV6_ADDR, 16, true, 6),
	CT(BW_F_CT_ORIG_PROTO_SRC, "original proto-src", BW_T_INET_SERVICE, 2, true, 0),
	CT(BW_F_CT_ORIG_PROTO_DST, "original proto-dst", BW_T_INET_SERVICE, 2, true, 0),
	CT(BW_F_CT_REPLY_PROTO_SRC, "reply proto-src", BW_T_INET_SERVICE, 2, true, 0),
	CT(BW_F_CT_REPLY_PROTO_DST, "reply proto-dst", BW_T_INET_SERVICE, 2, true, 0),
	CT(BW_F_CT_BYTES, "bytes", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_ORIG_BYTES, "original bytes", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_REPLY_BYTES, "reply bytes", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_PACKETS, "packets", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_ORIG_PACKETS, "original packets", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_REPLY_PACKETS, "reply packets", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_AVGPKT, "avgpkt", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_ORIG_AVGPKT, "original avgpkt", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_REPLY_AVGPKT, "reply avgpkt", BW_T_INTEGER, 8, false, 0),
	CT(BW_F_CT_ID, "id", BW_T_BE_INTEGER, 4, true, 0),
	CT(BW_F_CT_HELPER, "helper", BW_T_STRING, 16, true, 0),
	CT(BW_F_CT_LABEL, "label", BW_T_CT_LABEL, 16, true, 0),
	CT(BW_F_CT_EXPIRATION, "expiration", BW_T_DURATION, 4, false, 0),
	CT(BW_F_CT_COUNT, "count", BW_T_INTEGER, 4, false, 0),
#undef CT
	/* TCP options: nft's tcpopt templates (kind, byte offset, size);
	 * no protocol dependency, as in nft: nf_tables' exthdr tests TCP
	 * itself (the interpreter too, interp.c) */
#define OPT(ID, N, T, K, OFF, SZ, ...) \
	ROW(ID, "tcp", N, T, 0, SZ, SZ > 1, 0, 0, .nft_only = true, \
	    .src = BW_FS_KERNEL, .tcpopt = true, .opt_kind = K, .opt_off = OFF, \
	    __VA_ARGS__)
#define OPTX(ID, N, K) OPT(ID, N, BW_T_INTEGER, K, 0, 1, .opt_present = true)
	OPTX(BW_F_TCPOPT_EOL, "option eol", 0),
	OPTX(BW_F_TCPOPT_NOP, "option nop", 1),
	OPTX(BW_F_TCPOPT_MAXSEG, "option maxseg", 2),
	OPTX(BW_F_TCPOPT_WINDOW, "option window", 3),
	OPTX(BW_F_TCPOPT_SACK_PERM, "option sack-perm", 4),
	OPTX(BW_F_TCPOPT_SACK, "option sack", 5),
	OPTX(BW_F_TCPOPT_TIMESTAMP, "option timestamp", 8),
	OPTX(BW_F_TCPOPT_MD5SIG, "option md5sig", 19),
	OPTX(BW_F_TCPOPT_MPTCP, "option mptcp", 30),
	OPTX(BW_F_TCPOPT_FASTOPEN, "option fastopen", 34),
	/* any kind, a raw field of it (the match's raw: tcpopt.h) */
	OPTX(BW_F_TCPOPT_KIND, "option *", 0),
	OPT(BW_F_TCPOPT_RAW8, "option @", BW_T_INTEGER, 0, 0, 1),
	OPT(BW_F_TCPOPT_RAW16, "option @", BW_T_BE_INTEGER, 0, 0, 2),
	OPT(BW_F_TCPOPT_RAW32, "option @", BW_T_BE_INTEGER, 0, 0, 4),
	OPT(BW_F_TCPOPT_MAXSEG_LENGTH, "option maxseg length", BW_T_INTEGER, 2, 1, 1),
	OPT(BW_F_TCPOPT_MAXSEG_SIZE, "option maxseg size", BW_T_BE_INTEGER, 2, 2, 2),
	OPT(BW_F_TCPOPT_WINDOW_LENGTH, "option window length", BW_T_INTEGER, 3, 1, 1),
	OPT(BW_F_TCPOPT_WINDOW_COUNT, "option window count", BW_T_INTEGER, 3, 2, 1),
	OPT(BW_F_TCPOPT_SACK_PERM_LENGTH, "option sack-perm length", BW_T_INTEGER, 4, 1, 1),
	OPT(BW_F_TCPOPT_SACK_LENGTH, "option sack length", BW_T_INTEGER, 5, 1, 1),
	OPT(BW_F_TCPOPT_SACK_LEFT, "option sack left", BW_T_BE_INTEGER, 5, 2, 4),
	OPT(BW_F_TCPOPT_SACK_RIGHT, "option sack right", BW_T_BE_INTEGER, 5, 6, 4),
	OPT(BW_F_TCPOPT_SACK1_LEFT, "option sack1 left", BW_T_BE_INTEGER, 5, 10, 4),
	OPT(BW_F_TCPOPT_SACK1_RIGHT, "option sack1 right", BW_T_BE_INTEGER, 5, 14, 4),
	OPT(BW_F_TCPOPT_SACK2_LEFT, "option sack2 left", BW_T_BE_INTEGER, 5, 18, 4),
	OPT(BW_F_TCPOPT_SACK2_RIGHT, "option sack2 right", BW_T_BE_INTEGER, 5, 22, 4),
	OPT(BW_F_TCPOPT_SACK3_LEFT, "option sack3 left", BW_T_BE_INTEGER, 5, 26, 4),
	OPT(BW_F_TCPOPT_SACK3_RIGHT, "option sack3 right", BW_T_BE_INTEGER, 5, 30, 4),
	OPT(BW_F_TCPOPT_TIMESTAMP_LENGTH, "option timestamp length", BW_T_INTEGER, 8, 1, 1),
	OPT(BW_F_TCPOPT_TSVAL, "option timestamp tsval", BW_T_BE_INTEGER, 8, 2, 4),
	OPT(BW_F_TCPOPT_TSECR, "option timestamp tsecr", BW_T_BE_INTEGER, 8, 6, 4),
	OPT(BW_F_TCPOPT_MD5SIG_LENGTH, "option md5sig length", BW_T_INTEGER, 19, 1, 1),
	OPT(BW_F_TCPOPT_MPTCP_LENGTH, "option mptcp length", BW_T_INTEGER, 30, 1, 1),
	/* the high 4 bits of the option's third byte */
	OPT(BW_F_TCPOPT_MPTCP_SUBTYPE, "option mptcp subtype", BW_T_INTEGER, 30, 2, 1,
	    .shift = 4, .bits = 4),
	OPT(BW_F_TCPOPT_FASTOPEN_LENGTH, "option fastopen length", BW_T_INTEGER, 34, 1, 1),
#undef OPTX
#undef OPT
	ROW(BW_F_XT_TCPOPT, "tcp", "xt-option", BW_T_INTEGER, 0, 1, false, 0, IPPROTO_TCP,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_SKUID, "meta", "xt-skuid", BW_T_INTEGER, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_SKGID, "meta", "xt-skgid", BW_T_INTEGER, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_SKGID_SUPPL, "meta", "xt-skgid-suppl", BW_T_INTEGER, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_SOCKET, "meta", "xt-socket", BW_T_INTEGER, 0, 1, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_TCP_PORTS, "tcp", "xt-ports", BW_T_INET_SERVICE, 0, 2, true, 0, IPPROTO_TCP,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_UDP_PORTS, "udp", "xt-ports", BW_T_INET_SERVICE, 0, 2, true, 0, IPPROTO_UDP,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_SCTP_PORTS, "sctp", "xt-ports", BW_T_INET_SERVICE, 0, 2, true, 0, IPPROTO_SCTP,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_DCCP_PORTS, "dccp", "xt-ports", BW_T_INET_SERVICE, 0, 2, true, 0, IPPROTO_DCCP,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_XT_UDPLITE_PORTS, "udplite", "xt-ports", BW_T_INET_SERVICE, 0, 2, true, 0, IPPROTO_UDPLITE,
	    .nft_only = true, .src = BW_FS_KERNEL),
	/* after BW_F_META_CPU: bw_field_find gives that one, evaluate
	 * this one in netdev chains */
	ROW(BW_F_META_CPU_BPF, "meta", "cpu", BW_T_INTEGER, V(l4h, 20), 4, false, 0, 0),
	/* ipsec in|out KEY (xfrm.h): the kernel's nft_xfrm reads them; the
	 * reqid in host order, the spi and the addresses as on the wire */
#define XFRM(ID, N, T, SZ, BE) \
	ROW(ID, "ipsec", N, T, 0, SZ, BE, 0, 0, .nft_only = true, .src = BW_FS_KERNEL)
	XFRM(BW_F_XFRM_IN_REQID, "in reqid", BW_T_INTEGER, 4, false),
	XFRM(BW_F_XFRM_IN_SPI, "in spi", BW_T_BE_INTEGER, 4, true),
	XFRM(BW_F_XFRM_IN_IP_SADDR, "in ip saddr", BW_T_IPV4_ADDR, 4, true),
	XFRM(BW_F_XFRM_IN_IP_DADDR, "in ip daddr", BW_T_IPV4_ADDR, 4, true),
	XFRM(BW_F_XFRM_IN_IP6_SADDR, "in ip6 saddr", BW_T_IPV6_ADDR, 16, true),
	XFRM(BW_F_XFRM_IN_IP6_DADDR, "in ip6 daddr", BW_T_IPV6_ADDR, 16, true),
	XFRM(BW_F_XFRM_OUT_REQID, "out reqid", BW_T_INTEGER, 4, false),
	XFRM(BW_F_XFRM_OUT_SPI, "out spi", BW_T_BE_INTEGER, 4, true),
	XFRM(BW_F_XFRM_OUT_IP_SADDR, "out ip saddr", BW_T_IPV4_ADDR, 4, true),
	XFRM(BW_F_XFRM_OUT_IP_DADDR, "out ip daddr", BW_T_IPV4_ADDR, 4, true),
	XFRM(BW_F_XFRM_OUT_IP6_SADDR, "out ip6 saddr", BW_T_IPV6_ADDR, 16, true),
	XFRM(BW_F_XFRM_OUT_IP6_DADDR, "out ip6 daddr", BW_T_IPV6_ADDR, 16, true),
#undef XFRM
	/* after BW_F_ICMP_TYPE, BW_F_ICMP6_TYPE (fields.h) */
	ROW(BW_F_ICMP_TYPE_X, "icmp", "type", BW_T_ICMP_TYPE, V(l4h, 0), 1, false, 0, IPPROTO_ICMP),
	ROW(BW_F_ICMP6_TYPE_X, "icmpv6", "type", BW_T_ICMP6_TYPE, V(l4h, 0), 1, false, 0, IPPROTO_ICMPV6),
	ROW(BW_F_META_IBRPVID, "meta", "ibrpvid", BW_T_INTEGER, 0, 2, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_META_IBRVPROTO, "meta", "ibrvproto", BW_T_ETHER_TYPE, 0, 2, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	/* the MSS of the route's MTU (forward, output, postrouting) */
	ROW(BW_F_RT_MTU, "rt", "mtu", BW_T_INTEGER, 0, 2, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	/* the first two words of any transport header, as a map's key in
	 * nf_tables (nat ... to ip saddr . th dport map); a match on them
	 * is a raw payload's (rawpay.c) */
	ROW(BW_F_TH_SPORT_VX, "th", "sport", BW_T_INET_SERVICE, 0, 2, true, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_TH_DPORT_VX, "th", "dport", BW_T_INET_SERVICE, 0, 2, true, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	/* srh (srh.h): the first routing header's bytes 4, 5, 6-7 and the
	 * segments 8 + 16 * (N - 1); only where the walk met one */
#define SRH(ID, N, T, SZ) \
	ROW(ID, "srh", N, T, 0, SZ, true, 6, 0, .need_ext = BW_EXT_RT, .exthdrs = true, \
	    .walk = true, .raw = true)
	SRH(BW_F_SRH_LASTENT, "last-entry", BW_T_INTEGER, 1),
	SRH(BW_F_SRH_FLAGS, "flags", BW_T_INTEGER, 1),
	SRH(BW_F_SRH_TAG, "tag", BW_T_BE_INTEGER, 2),
	SRH(BW_F_SRH_SID1, "sid[1]", BW_T_IPV6_ADDR, 16),
	SRH(BW_F_SRH_SID2, "sid[2]", BW_T_IPV6_ADDR, 16),
#undef SRH
#define RAWK(ID, SZ) \
	ROW(ID, "@raw", "", BW_T_BE_INTEGER, 0, SZ, true, 0, 0, .walk = true, .raw = true, \
	    .nft_only = true, .src = BW_FS_KERNEL)
	RAWK(BW_F_RAWK8, 1),
	RAWK(BW_F_RAWK16, 2),
	RAWK(BW_F_RAWK32, 4),
	RAWK(BW_F_RAWK64, 8),
	RAWK(BW_F_RAWK128, 16),
#undef RAWK
	ROW(BW_F_TUNNEL_PATH, "tunnel", "path", BW_T_BOOL, 0, 1, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
	ROW(BW_F_TUNNEL_ID, "tunnel", "id", BW_T_INTEGER, 0, 4, false, 0, 0,
	    .nft_only = true, .src = BW_FS_KERNEL),
};

/* nft's other names of fields: looked up as the rows' own names are */
static const struct { const char *proto, *name; enum bw_field_id id; } aliases[] = {
	/* nft's older name of the drop-eligible bit (it lists vlan dei) */
	{ "vlan", "cfi", BW_F_VLAN_DEI },
	/* the bridge meta keys */
	{ "meta", "ibriport", BW_F_META_IBRNAME },
	{ "meta", "obriport", BW_F_META_OBRNAME },
	{ "meta", "secpath", BW_F_META_IPSEC },
	/* nft's rt nexthop: IPv4's (an inet rule must know the layer) */
	{ "rt", "nexthop", BW_F_RT_NEXTHOP4 },
	/* nft lists the protocols of the original tuple without it */
	{ "ct", "original protocol", BW_F_CT_PROTOCOL },
	{ "ct", "original l3proto", BW_F_CT_L3PROTO },
};

/*
 * (proto, name) -> field: the aliases, then every row a name finds (not
 * the walked ones but raw payloads; of rows with the same name the
 * lowest id), in an
 * open-addressing hash made on first use.  The printer and the
 * evaluator look a field up several times for every match of every
 * rule: a linear search was a fifth of a 100k-rule load.
 */
#define NAME_SLOTS	2048u
_Static_assert(NAME_SLOTS >= 2 * (BW_F__MAX + 16), "a sparse name table");
static int16_t name_slot[NAME_SLOTS];
static bool names_ready;

static uint32_t name_hash(const char *proto, const char *name)
{
	uint32_t h = 2166136261u;

	for (const char *p = proto; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	h = (h ^ 0x1f) * 16777619u;
	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

/* A slot holds 0 (empty), a row's id + 1, or -(an alias's index + 1). */
static enum bw_field_id slot_id(int16_t v)
{
	return v < 0 ? aliases[-v - 1].id : (enum bw_field_id)(v - 1);
}

static void name_key(int16_t v, const char **proto, const char **name)
{
	*proto = v < 0 ? aliases[-v - 1].proto : bw_fields[v - 1].proto;
	*name = v < 0 ? aliases[-v - 1].name : bw_fields[v - 1].name;
}

/* The slot of (proto, name): its own, or the empty one it would take. */
static uint32_t name_probe(const char *proto, const char *name)
{
	uint32_t i = name_hash(proto, name) & (NAME_SLOTS - 1);

	for (;; i = (i + 1) & (NAME_SLOTS - 1)) {
		const char *p, *n;

		if (!name_slot[i])
			return i;
		name_key(name_slot[i], &p, &n);
		if (!strcmp(p, proto) && !strcmp(n, name))
			return i;
	}
}

static void names_init(void)
{
	for (size_t a = 0; a < sizeof(aliases) / sizeof(aliases[0]); a++) {
		uint32_t i = name_probe(aliases[a].proto, aliases[a].name);

		if (!name_slot[i])
			name_slot[i] = (int16_t)-(int)(a + 1);
	}
	for (int f = 0; f < BW_F__MAX; f++) {
		uint32_t i;

		if ((bw_fields[f].walk && !bw_fields[f].raw) ||
		    !bw_fields[f].proto || !bw_fields[f].name)
			continue;
		i = name_probe(bw_fields[f].proto, bw_fields[f].name);
		if (!name_slot[i])
			name_slot[i] = (int16_t)(f + 1);
	}
	names_ready = true;
}

static const struct bw_field *by_name(const char *proto, const char *name)
{
	int16_t v;

	if (!names_ready)
		names_init();
	v = name_slot[name_probe(proto, name)];
	return v ? &bw_fields[slot_id(v)] : NULL;
}

const struct bw_field *bw_field_find(const char *proto, const char *name)
{
	const struct bw_field *f;
	char opt[64];

	/* ipsec in spnum N KEY: the row of ipsec in KEY (xfrm.h) */
	if (!strcmp(proto, "ipsec") && (f = bw_xfrm_field(name, NULL)))
		return f;
	/* sctp chunk TYPE [FIELD]: a row per width (sctp_chunk.h) */
	if (!strcmp(proto, "sctp") && !strncmp(name, "chunk ", 6)) {
		uint8_t type, off, size;

		if (bw_sctp_chunk_parse(name, &type, &off, &size))
			return NULL;
		return &bw_fields[size == 0 ? BW_F_SCTP_CHUNK :
				  size == 1 ? BW_F_SCTP_CHUNK8 :
				  size == 2 ? BW_F_SCTP_CHUNK16 : BW_F_SCTP_CHUNK32];
	}
	/* tcp option @2,16,16: a named field's bits are that field (nft
	 * lists tcp option maxseg size) */
	if (!strcmp(proto, "tcp") && !strncmp(name, "option @", 8)) {
		uint16_t off;
		uint8_t kind, len;

		if (bw_tcpopt_any(name, &kind, &off, &len))
			return NULL;
		for (int i = 0; i < BW_F_TCPOPT_KIND; i++)
			if (bw_fields[i].tcpopt && !bw_fields[i].opt_present &&
			    !bw_fields[i].bits && bw_fields[i].opt_kind == kind &&
			    bw_fields[i].opt_off * 8 == off && bw_fields[i].size * 8 == len)
				return &bw_fields[i];
		return NULL;
	}
	if ((f = by_name(proto, name)))
		return f;
	/* tcp option 2 size, tcp option sack0 left: the names of the rows */
	if (!strcmp(proto, "tcp") && !strncmp(name, "option ", 7)) {
		name = bw_tcpopt_canon(name, opt, sizeof(opt));
		return name ? by_name(proto, name) : NULL;
	}
	/* vxlan vni, vxlan ip saddr: inside a tunnel (tunnel.h) */
	if (bw_tunnel_kind(proto) != BW_TUN_NONE && strchr(proto, ' '))
		return bw_tunnel_field(bw_tunnel_kind(proto), strchr(proto, ' ') + 1, name);
	if (bw_tunnel_kind(proto) != BW_TUN_NONE && !strcmp(name, "vni"))
		return bw_tunnel_field(bw_tunnel_kind(proto), NULL, name);
	return NULL;
}
