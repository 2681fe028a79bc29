/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Fields as data: one row per matchable field.  Evaluation looks fields up
 * by (proto, name) here, codegen and the interpreter load them from the
 * packet view (view.h) at row.view_off, and the packet builder of `trace`
 * writes them.  Adding a field is adding a row (plus, for a new header, the
 * parser step in view.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

enum bw_field_id {
	BW_F_META_NFPROTO,
	BW_F_META_L4PROTO,
	BW_F_META_PKTLEN,	/* meta length: from the network header */
	BW_F_ETHER_DADDR,
	BW_F_ETHER_SADDR,
	BW_F_ETHER_TYPE,
	BW_F_IP_VERSION,
	BW_F_IP_DSCP,
	BW_F_IP_LENGTH,
	BW_F_IP_TTL,
	BW_F_IP_PROTOCOL,
	BW_F_IP_SADDR,
	BW_F_IP_DADDR,
	BW_F_IP6_NEXTHDR,
	BW_F_IP6_HOPLIMIT,
	BW_F_IP6_SADDR,
	BW_F_IP6_DADDR,
	BW_F_TCP_SPORT,
	BW_F_TCP_DPORT,
	BW_F_TCP_FLAGS,
	BW_F_UDP_SPORT,
	BW_F_UDP_DPORT,
	BW_F_ICMP_TYPE,
	BW_F_ICMP_CODE,
	BW_F_ICMP6_TYPE,
	BW_F_ICMP6_CODE,
	BW_F_META_MARK,
	BW_F_META_PKTTYPE,
	BW_F_VLAN_ID,
	BW_F_VLAN_PCP,
	BW_F_VLAN_DEI,
	BW_F_META_IIF,		/* interface names: an XDP or TC program */
	BW_F_META_IIFNAME,	/* serves one device, so there they are */
	BW_F_META_OIF,		/* decided when it is generated (see src); */
	BW_F_META_OIFNAME,	/* netfilter programs read the view's */
	BW_F_META_FRAMELEN,	/* meta length in netdev egress chains */
	BW_F_IP_ID,
	BW_F_IP_FRAGOFF,	/* flags and offset: the 16-bit word */
	BW_F_IP_HDRLENGTH,
	BW_F_IP_ECN,
	BW_F_IP6_VERSION,
	BW_F_IP6_FLOWLABEL,
	BW_F_IP6_LENGTH,	/* payload length */
	BW_F_TCP_SEQUENCE,
	BW_F_TCP_ACKSEQ,
	BW_F_TCP_WINDOW,
	BW_F_TCP_DOFF,
	BW_F_TCP_URGPTR,
	BW_F_UDP_LENGTH,
	BW_F_ICMP_ID,		/* these four exist in echo requests */
	BW_F_ICMP_SEQUENCE,	/* and replies only, as in nft */
	BW_F_ICMP6_ID,
	BW_F_ICMP6_SEQUENCE,
	BW_F_META_IPLEN,	/* meta length in inet/ip/ip6 chains */
	BW_F_CT_STATE,		/* conntrack (ct.h): the programs track when
				 * a rule of the ruleset uses it */
	BW_F_VLAN_TYPE,		/* the EtherType after the first tag */
	/* transport headers of other protocols (view.h step 4: copied
	 * when whole, bw_view_l4_soft(), never dropped when cut short) */
	BW_F_SCTP_SPORT,
	BW_F_SCTP_DPORT,
	BW_F_SCTP_VTAG,
	BW_F_SCTP_CHECKSUM,
	BW_F_DCCP_SPORT,
	BW_F_DCCP_DPORT,
	BW_F_DCCP_TYPE,
	BW_F_UDPLITE_SPORT,
	BW_F_UDPLITE_DPORT,
	BW_F_UDPLITE_CSUMCOV,
	BW_F_UDPLITE_CHECKSUM,
	BW_F_ESP_SPI,
	BW_F_ESP_SEQUENCE,
	BW_F_COMP_NEXTHDR,
	BW_F_COMP_FLAGS,
	BW_F_COMP_CPI,
	BW_F_AH_NEXTHDR,	/* IPv4 and IPv6: nf_tables' IPv6 walk stops at AH */
	BW_F_AH_HDRLENGTH,
	BW_F_AH_RESERVED,
	BW_F_AH_SPI,
	BW_F_AH_SEQUENCE,
	/* IPv6 extension headers (view.exthdrs, hbh, rt, frag, dst) and the
	 * mobility header (an upper layer: l4h) */
	BW_F_EXTHDR_HBH,	/* exthdr hbh exists|missing */
	BW_F_EXTHDR_RT,
	BW_F_EXTHDR_FRAG,
	BW_F_EXTHDR_DST,
	BW_F_EXTHDR_MH,
	BW_F_HBH_NEXTHDR,
	BW_F_HBH_HDRLENGTH,
	BW_F_DST_NEXTHDR,
	BW_F_DST_HDRLENGTH,
	BW_F_RT_NEXTHDR,
	BW_F_RT_HDRLENGTH,
	BW_F_RT_TYPE,
	BW_F_RT_SEGLEFT,
	BW_F_FRAG_NEXTHDR,
	BW_F_FRAG_RESERVED,
	BW_F_FRAG_FRAGOFF,
	BW_F_FRAG_RESERVED2,
	BW_F_FRAG_MORE,
	BW_F_FRAG_ID,
	BW_F_MH_NEXTHDR,
	BW_F_MH_HDRLENGTH,
	BW_F_MH_TYPE,
	BW_F_MH_RESERVED,
	BW_F_MH_CHECKSUM,
	BW_F_META_PROTOCOL,	/* skb->protocol: the EtherType after the
				 * VLAN tags (view.ethertype) */
	/* sctp chunk TYPE exists, sctp chunk TYPE FIELD (sctp_chunk.h):
	 * one row per width; the match says which chunk and where in it
	 * (bw_ir_match.chunk), each match walks the chunks (walk) */
	BW_F_SCTP_CHUNK,
	BW_F_SCTP_CHUNK8,
	BW_F_SCTP_CHUNK16,
	BW_F_SCTP_CHUNK32,
	BW_F_IP_CHECKSUM,	/* header checksums, as on the wire */
	BW_F_TCP_CHECKSUM,
	BW_F_UDP_CHECKSUM,
	BW_F_ICMP_CHECKSUM,
	BW_F_ICMP6_CHECKSUM,
	BW_F_ICMP_MTU,		/* fields of one ICMP type (icmp_type) */
	BW_F_ICMP_GATEWAY,
	BW_F_ICMP6_MTU,
	BW_F_ICMP6_MAXDELAY,
	BW_F_IGMP_TYPE,		/* IGMP (view.h step 4) */
	BW_F_IGMP_MRT,
	BW_F_IGMP_CHECKSUM,
	BW_F_IGMP_GROUP,
	BW_F_IP6_DSCP,		/* the traffic class's bits, as ip dscp, ecn */
	BW_F_IP6_ECN,
	/* raw payload @ll|@nh|@th|@ih,OFF,LEN (rawpay.h): one row per width
	 * of the value (1, 2, 4, 8, 16 bytes); the match says which bits
	 * (bw_ir_match.raw), each match reads them for its own (walk, raw) */
	BW_F_RAW8,
	BW_F_RAW16,
	BW_F_RAW32,
	BW_F_RAW64,
	BW_F_RAW128,
	/* ICMPv6's target address (neighbor discovery, MLD, redirect) and
	 * a redirect's destination: read per match as the raw payload's */
	BW_F_ICMP6_TADDR,
	BW_F_ICMP6_DADDR,
	/* GRE's header (RFC 2784, 2890; view.h step 4: its first 4 bytes) */
	BW_F_GRE_FLAGS,
	BW_F_GRE_VERSION,
	BW_F_GRE_PROTOCOL,
	/* the headers inside a tunnel (tunnel.h): one row per field, shared
	 * by vxlan, geneve, gre and gretap (bw_ir_match.tunnel says which);
	 * each match walks to its own (walk, tun_layer) */
	BW_F_TUN_VNI,
	BW_F_TUN_ETHER_DADDR,
	BW_F_TUN_ETHER_SADDR,
	BW_F_TUN_ETHER_TYPE,
	BW_F_TUN_VLAN_ID,
	BW_F_TUN_IP_DSCP,
	BW_F_TUN_IP_LENGTH,
	BW_F_TUN_IP_TTL,
	BW_F_TUN_IP_PROTOCOL,
	BW_F_TUN_IP_SADDR,
	BW_F_TUN_IP_DADDR,
	BW_F_TUN_IP6_NEXTHDR,
	BW_F_TUN_IP6_HOPLIMIT,
	BW_F_TUN_IP6_SADDR,
	BW_F_TUN_IP6_DADDR,
	BW_F_TUN_TCP_SPORT,
	BW_F_TUN_TCP_DPORT,
	BW_F_TUN_TCP_FLAGS,
	BW_F_TUN_UDP_SPORT,
	BW_F_TUN_UDP_DPORT,
	BW_F_TUN_ICMP_TYPE,
	BW_F_TUN_ICMP_CODE,
	BW_F_TUN_ICMP6_TYPE,
	BW_F_TUN_ICMP6_CODE,
	/* The fields of chains only nf_tables runs (bridge, arp families:
	 * bw_field.nft_only): no BPF hook reads them, so they need no bit
	 * in a hook's field mask (bw_hook_sees()). */
	BW_F_ARP_HTYPE,
	BW_F_ARP_PTYPE,
	BW_F_ARP_HLEN,
	BW_F_ARP_PLEN,
	BW_F_ARP_OP,
	BW_F_ARP_SHA,		/* arp saddr ether */
	BW_F_ARP_SPA,		/* arp saddr ip */
	BW_F_ARP_THA,		/* arp daddr ether */
	BW_F_ARP_TPA,		/* arp daddr ip */
	BW_F_META_IBRNAME,	/* the bridge of the input port (bridge family) */
	BW_F_META_OBRNAME,	/* the bridge of the output port */
	/* Fields only the kernel's nf_tables reads (BW_FS_KERNEL; nft_only):
	 * an IP chain that uses one goes there (build.c). */
	BW_F_CT_STATUS,		/* the conntrack entry's status bits (IPS_*) */
	BW_F_CT_DIRECTION,	/* the packet's direction */
	BW_F_FIB_SADDR_TYPE,	/* the route type of an address (RTN_*), */
	BW_F_FIB_DADDR_TYPE,	/* as inet_dev_addr_type() says */
	BW_F_META_SKUID,	/* the fsuid and fsgid of the file of the */
	BW_F_META_SKGID,	/* packet's socket */
	BW_F_SOCKET_TRANSPARENT, /* of the socket the packet belongs to (the */
	BW_F_SOCKET_MARK,	/* kernel's lookup, as nft_socket: established */
	BW_F_SOCKET_WILDCARD,	/* or listening, at prerouting, input, output) */
	/* nft's fib: the route the kernel finds for the packet's source or
	 * destination (with the input or output interface): its address
	 * type (RTN_*), output interface (index, 0: none; or name), or
	 * whether it has one (present) */
	BW_F_FIB_SADDR_IIF_TYPE,
	BW_F_FIB_DADDR_IIF_TYPE,
	BW_F_FIB_SADDR_OIF_TYPE,
	BW_F_FIB_DADDR_OIF_TYPE,
	BW_F_FIB_SADDR_OIF,
	BW_F_FIB_DADDR_OIF,
	BW_F_FIB_SADDR_IIF_OIF,
	BW_F_FIB_DADDR_IIF_OIF,
	BW_F_FIB_SADDR_OIFNAME,
	BW_F_FIB_DADDR_OIFNAME,
	BW_F_FIB_SADDR_IIF_OIFNAME,
	BW_F_FIB_DADDR_IIF_OIFNAME,
	BW_F_FIB_SADDR_OIF_PRESENT,	/* the twins of the four oif */
	BW_F_FIB_DADDR_OIF_PRESENT,	/* fields, for exists|missing */
	BW_F_FIB_SADDR_IIF_OIF_PRESENT,
	BW_F_FIB_DADDR_IIF_OIF_PRESENT,
	/* nft's osf: the operating system (or its version) the kernel's
	 * passive fingerprints (nfnl_osf) name for a SYN, TTL compared,
	 * within reach (loose) or not at all (skip) */
	BW_F_OSF_NAME,
	BW_F_OSF_LOOSE_NAME,
	BW_F_OSF_SKIP_NAME,
	BW_F_OSF_VERSION,
	BW_F_OSF_LOOSE_VERSION,
	BW_F_OSF_SKIP_VERSION,
	/* the other meta keys nf_tables reads (meta.c in the kernel) */
	BW_F_META_PRIORITY,	/* skb->priority, a tc handle */
	BW_F_META_IIFTYPE,	/* the input device's type (ARPHRD_*) */
	BW_F_META_OIFTYPE,
	BW_F_META_IIFGROUP,	/* the input device's group */
	BW_F_META_OIFGROUP,
	BW_F_META_CPU,		/* the CPU the hook runs on */
	BW_F_META_CGROUP,	/* the socket's net_cls classid */
	BW_F_META_RANDOM,	/* a pseudo-random number per packet */
	BW_F_META_TIME,		/* the wall clock, ns since the epoch */
	BW_F_META_HOUR,		/* seconds since midnight */
	BW_F_META_DAY,		/* the day of the week, 0 Sunday */
	BW_F_META_RTCLASSID,	/* the route's realm */
	BW_F_RT_CLASSID,	/* rt classid: the same from the route */
	BW_F_RT_IPSEC,		/* rt ipsec exists|missing (an xfrm route) */
	BW_F_META_IPSEC,	/* meta ipsec (secpath): IPsec-decoded */
	BW_F_META_SDIF,		/* the slave device (VRF) of the input */
	BW_F_META_SDIFNAME,
	BW_F_RT_NEXTHOP4,	/* rt ip nexthop: the route's next hop */
	BW_F_RT_NEXTHOP6,	/* rt ip6 nexthop */
	/* conntrack keys (nf_tables' ct expression): the entry's, read by
	 * the kernel; a direction in the name: that tuple's (or counter's) */
	BW_F_CT_MARK,
	BW_F_CT_ZONE,
	BW_F_CT_ZONE_ORIG,
	BW_F_CT_ZONE_REPLY,
	BW_F_CT_L3PROTO,
	BW_F_CT_PROTOCOL,
	BW_F_CT_ORIG_IP_SADDR,
	BW_F_CT_ORIG_IP_DADDR,
	BW_F_CT_REPLY_IP_SADDR,
	BW_F_CT_REPLY_IP_DADDR,
	BW_F_CT_ORIG_IP6_SADDR,
	BW_F_CT_ORIG_IP6_DADDR,
	BW_F_CT_REPLY_IP6_SADDR,
	BW_F_CT_REPLY_IP6_DADDR,
	BW_F_CT_ORIG_PROTO_SRC,
	BW_F_CT_ORIG_PROTO_DST,
	BW_F_CT_REPLY_PROTO_SRC,
	BW_F_CT_REPLY_PROTO_DST,
	BW_F_CT_BYTES,		/* both directions */
	BW_F_CT_ORIG_BYTES,
	BW_F_CT_REPLY_BYTES,
	BW_F_CT_PACKETS,
	BW_F_CT_ORIG_PACKETS,
	BW_F_CT_REPLY_PACKETS,
	BW_F_CT_AVGPKT,
	BW_F_CT_ORIG_AVGPKT,
	BW_F_CT_REPLY_AVGPKT,
	BW_F_CT_ID,
	BW_F_CT_HELPER,		/* the helper's name (16 bytes, NUL padded) */
	BW_F_CT_LABEL,		/* the 128 label bits */
	BW_F_CT_EXPIRATION,	/* the time left, in milliseconds */
	BW_F_CT_COUNT,		/* ct count [over] N: nf_tables' connlimit, the
				 * connections of the packet's kind (a match of
				 * [0, N], negated for over) */
	/* TCP options (compiler/front/tcpopt.h): only the kernel's nf_tables
	 * reads them (BW_FS_KERNEL); the interpreter walks the options as
	 * nft_exthdr does.  `tcp option K exists|missing`, then the fields. */
	BW_F_TCPOPT_EOL,
	BW_F_TCPOPT_NOP,
	BW_F_TCPOPT_MAXSEG,
	BW_F_TCPOPT_WINDOW,
	BW_F_TCPOPT_SACK_PERM,
	BW_F_TCPOPT_SACK,
	BW_F_TCPOPT_TIMESTAMP,
	BW_F_TCPOPT_MD5SIG,
	BW_F_TCPOPT_MPTCP,
	BW_F_TCPOPT_FASTOPEN,
	BW_F_TCPOPT_MAXSEG_LENGTH,
	BW_F_TCPOPT_MAXSEG_SIZE,
	BW_F_TCPOPT_WINDOW_LENGTH,
	BW_F_TCPOPT_WINDOW_COUNT,
	BW_F_TCPOPT_SACK_PERM_LENGTH,
	BW_F_TCPOPT_SACK_LENGTH,
	BW_F_TCPOPT_SACK_LEFT,
	BW_F_TCPOPT_SACK_RIGHT,
	BW_F_TCPOPT_SACK1_LEFT,
	BW_F_TCPOPT_SACK1_RIGHT,
	BW_F_TCPOPT_SACK2_LEFT,
	BW_F_TCPOPT_SACK2_RIGHT,
	BW_F_TCPOPT_SACK3_LEFT,
	BW_F_TCPOPT_SACK3_RIGHT,
	BW_F_TCPOPT_TIMESTAMP_LENGTH,
	BW_F_TCPOPT_TSVAL,
	BW_F_TCPOPT_TSECR,
	BW_F_TCPOPT_MD5SIG_LENGTH,
	BW_F_TCPOPT_MPTCP_LENGTH,
	BW_F_TCPOPT_MPTCP_SUBTYPE,
	BW_F_TCPOPT_FASTOPEN_LENGTH,
	/* iptables' -m tcp --tcp-option K: the kernel's xt_tcpudp walk, run
	 * by nf_tables' compat match (ip and ip6 tables); the value is the
	 * kind, != is `! --tcp-option` */
	BW_F_XT_TCPOPT,
	/* iptables' -m owner with ! or --socket-exists (each test of it
	 * alone; their AND is xt_owner's): the kernel's xt_owner through
	 * the compat match; a range of ids (!=: inverted), the socket test
	 * 1 */
	BW_F_XT_SKUID,
	BW_F_XT_SKGID,
	BW_F_XT_SKGID_SUPPL,	/* --gid-owner with --suppl-groups */
	BW_F_XT_SOCKET,
	/* iptables' -m multiport --ports P: the source or the destination
	 * port in P (!=: neither), the kernel's xt_multiport through the
	 * compat match (a range in P has no exact set form here) */
	BW_F_XT_TCP_PORTS,
	BW_F_XT_UDP_PORTS,
	BW_F_XT_SCTP_PORTS,
	BW_F_XT_DCCP_PORTS,
	BW_F_XT_UDPLITE_PORTS,
	/* meta cpu in netdev chains: the CPU the BPF program runs on
	 * (bpf_get_smp_processor_id), in the view's l4h[20..23], which no
	 * transport header reaches; elsewhere BW_F_META_CPU (nf_tables) */
	BW_F_META_CPU_BPF,
	/* tcp option K exists|missing of any kind K, and nft's raw option
	 * field tcp option @K,OFFSET,LENGTH (whole bytes: 1, 2 or 4 of
	 * them): the match says which (bw_ir_match.raw: base the kind,
	 * off and len in bits, len 0 for exists) */
	BW_F_TCPOPT_KIND,
	BW_F_TCPOPT_RAW8,
	BW_F_TCPOPT_RAW16,
	BW_F_TCPOPT_RAW32,
	/* nft's ipsec expression (xfrm.h): a value of the IPsec state of
	 * the packet's secpath (in) or of its route (out), the kernel's
	 * nft_xfrm; the policy index is the match's (bw_ir_match.spnum) */
	BW_F_XFRM_IN_REQID,
	BW_F_XFRM_IN_SPI,
	BW_F_XFRM_IN_IP_SADDR,
	BW_F_XFRM_IN_IP_DADDR,
	BW_F_XFRM_IN_IP6_SADDR,
	BW_F_XFRM_IN_IP6_DADDR,
	BW_F_XFRM_OUT_REQID,
	BW_F_XFRM_OUT_SPI,
	BW_F_XFRM_OUT_IP_SADDR,
	BW_F_XFRM_OUT_IP_DADDR,
	BW_F_XFRM_OUT_IP6_SADDR,
	BW_F_XFRM_OUT_IP6_DADDR,
	/* nft's icmp type in an IPv6 context and icmpv6 type in an IPv4
	 * one (an ip6 table, meta nfproto ipv6 ...): the byte at the
	 * transport header behind meta l4proto 1 or 58 only (view.h step
	 * 4 reads such a header when whole); bw_field_find gives the
	 * ordinary ones, evaluate these */
	BW_F_ICMP_TYPE_X,
	BW_F_ICMP6_TYPE_X,
	/* the bridge port's VLAN settings (bridge family, nf_tables only:
	 * nft_meta_bridge): the input port's PVID and VLAN protocol */
	BW_F_META_IBRPVID,
	BW_F_META_IBRVPROTO,
	BW_F_RT_MTU,		/* rt mtu: the route's TCP MSS (NFT_RT_TCPMSS) */
	BW_F_TH_SPORT_VX,	/* th sport, th dport as a value expression's */
	BW_F_TH_DPORT_VX,	/* key (valexpr.c; matches read them raw) */
	/* nft's srh (RFC 8754's segment routing header, srh.h): bytes of
	 * the first routing header, whatever its type (nft's exthdr reads
	 * them so), read per match as a raw payload's (walk, raw) */
	BW_F_SRH_LASTENT,
	BW_F_SRH_FLAGS,
	BW_F_SRH_TAG,
	BW_F_SRH_SID1,
	BW_F_SRH_SID2,
	/* @ll in ip, ip6 and inet tables (rawpay.h): the raw rows, read by
	 * nf_tables (the skb's link-layer header), so the chain goes there */
	BW_F_RAWK8,
	BW_F_RAWK16,
	BW_F_RAWK32,
	BW_F_RAWK64,
	BW_F_RAWK128,
	/* nft's tunnel expression (the kernel's nft_tunnel, netdev only):
	 * the skb's tunnel metadata, read by nf_tables (nft_tunnel.c) */
	BW_F_TUNNEL_PATH,
	BW_F_TUNNEL_ID,
	BW_F__MAX
};
/* Bit i of a hook's 64-bit field mask: field i < 64; the BPF fields past
 * 63 only a hook that sees all (BW_FIELDS_ALL) sees, and no hook the
 * nft_only ones (bw_hook_sees(), hook.h). */
#define BW_F_MASK_BITS 64
/* Fields a BPF program can read: ids [0, BW_F_BPF_MAX). */
#define BW_F_BPF_MAX BW_F_ARP_HTYPE
_Static_assert(BW_F__MAX <= 1024, "field ids: a bounded table");

/* Value types: how a literal is parsed and printed. */
enum bw_type {
	BW_T_INTEGER,		/* plain number, host order in the view */
	BW_T_BE_INTEGER,	/* number stored big endian */
	BW_T_IPV4_ADDR,
	BW_T_IPV6_ADDR,
	BW_T_ETHER_ADDR,
	BW_T_INET_PROTO,	/* tcp, udp, icmp, icmpv6 or a number */
	BW_T_INET_SERVICE,	/* port number (or a name from /etc/services) */
	BW_T_NFPROTO,		/* ipv4, ipv6 */
	BW_T_ETHER_TYPE,	/* ip, ip6, arp, vlan or a number */
	BW_T_TCP_FLAG,		/* fin syn rst psh ack urg ecn cwr, a bitmask */
	BW_T_ICMP_TYPE,
	BW_T_ICMP6_TYPE,
	BW_T_PKTTYPE,		/* host, broadcast, multicast, other */
	BW_T_IFNAME,		/* an interface name, 16 bytes NUL padded;
				 * iifname/oifname: "eth*" matches a prefix */
	BW_T_CT_STATE,		/* new, established, related, invalid,
				 * untracked: a bitmask */
	BW_T_ARP_OP,		/* request, reply, ...: 16 bits big endian */
	/* nft's types of the meta keys (meta_value.c) */
	BW_T_UID,		/* a number or a user name (passwd) */
	BW_T_GID,		/* a number or a group name */
	BW_T_DEVGROUP,		/* a number or a name of /etc/iproute2/group */
	BW_T_REALM,		/* a number or a name of /etc/iproute2/rt_realms */
	BW_T_ARPHRD,		/* ether, ppp, loopback, ...: ARPHRD_* */
	BW_T_TCHANDLE,		/* major:minor (hex), root, none */
	BW_T_TIME,		/* "YYYY-MM-DD HH:MM[:SS]" local time, or
				 * seconds since the epoch: ns (8 bytes) */
	BW_T_HOUR,		/* "HH:MM[:SS]" local time: seconds since
				 * midnight UTC */
	BW_T_DAY,		/* Sunday .. Saturday or 0-6 */
	BW_T_BOOL,		/* exists (1), missing (0) */
	BW_T_CT_DIR,		/* original, reply */
	BW_T_CT_STATUS,		/* expected, seen-reply, ...: a bitmask */
	BW_T_CT_LABEL,		/* a bit number 0-127 (or a connlabel.conf
				 * name): a bitmask of 128 bits */
	BW_T_STRING,		/* a name, NUL padded (ct helper) */
	BW_T_DURATION,		/* milliseconds; written 30s, 1h2m, 500ms, or a
				 * number of seconds */
};

/* Where a field's value is. */
enum bw_field_src {
	BW_FS_VIEW,		/* in the view at view_off */
	BW_FS_IIF,		/* the input interface's name: known to an XDP
				 * program; in the view at the netfilter hooks
				 * (guard BW_VIEW_IIF) */
	BW_FS_OIF,		/* the output interface's: TC; the view */
	BW_FS_IBR,		/* the bridge of the input port (nf_tables only) */
	BW_FS_OBR,		/* the bridge of the output port */
	BW_FS_KERNEL,		/* only the kernel's nf_tables reads it (no
				 * BPF hook has it: bw_ir_rule_kernel_field()): a chain
				 * that uses it goes there (build.c), the
				 * interpreter takes it as not there */
};

/* What a field needs the packet to be: the guards codegen and interp apply
 * before the first load of a rule that uses the field.  A rule whose guard
 * fails does not match, whatever its operator (!= included), as in nft. */
struct bw_field {
	enum bw_field_id id;
	const char *proto;	/* "ip", "tcp", "meta", "ether" */
	const char *name;	/* "saddr", "dport", "l4proto" */
	enum bw_type type;
	uint16_t view_off;	/* offsetof(struct bw_view, ...) + offset */
	uint8_t size;		/* bytes: 1, 2, 4, 6, 16 */
	uint8_t shift;		/* right shift after load (sub-byte fields) */
	uint8_t bits;		/* width in bits after shift (0: size * 8) */
	bool big_endian;	/* stored in network order in the view (with
				 * bits: the number is taken in host order
				 * first, then shifted and masked) */
	uint8_t need_l3;	/* 0 any, 4, 6 */
	uint8_t need_l4proto;	/* 0 any, else IPPROTO_* and BW_VIEW_L4 set */
	uint8_t need_flags;	/* view.flags bits that must be set */
	uint8_t src;		/* enum bw_field_src */
	/* nft_only: a field of the bridge and arp families, whose chains
	 * nf_tables runs (never a BPF program; also the fields only the
	 * kernel reads, BW_FS_KERNEL).  need_ethertype: the
	 * frame's protocol must be this one (arp fields: 0x0806, an
	 * Ethernet/IPv4 ARP header of 28 bytes, in view.l3h in the
	 * reference parser only). */
	bool nft_only;
	uint16_t need_ethertype;
	uint8_t need_ext;	/* view.exthdrs bits (BW_EXT_*) that must be
				 * set: the IPv6 extension header it is in */
	bool exthdrs;		/* read from the IPv6 extension headers'
				 * part of the view (the prologue fills it
				 * only when a rule asks) */
	/* tcpopt: a TCP option field (BW_F_TCPOPT_*): size bytes at byte
	 * opt_off of the first option of kind opt_kind; opt_present: the
	 * option is there and whole (1) or not (0), nft's `exists` */
	bool tcpopt, opt_present;
	uint8_t opt_kind, opt_off;
	uint8_t icmp_type;	/* the ICMP/ICMPv6 type whose field it is
				 * (icmp mtu: 3): evaluate adds nft's
				 * implicit `icmp type T` match; 0: any */
	bool walk;		/* an SCTP chunk's: each match walks the
				 * chunks for its own (bw_ir_match.chunk)
				 * and leaves the value at view_off; never
				 * in a lookup, a classifier or a hoist
				 * (also a field inside a tunnel: tun_layer) */
	bool raw;		/* with walk: a raw payload's (rawpay.h): the
				 * match's read leaves the value in a stack
				 * slot, not in the view (view_off 0) */
	/* a field inside a tunnel (tunnel.h, with walk): the layer
	 * (enum bw_tun_layer), the offset in it, and what that layer must
	 * be (an EtherType, or a transport protocol) */
	uint8_t tun_layer, tun_off;
	uint16_t tun_need;
};

extern const struct bw_field bw_fields[BW_F__MAX];

/* NULL if no such field. */
const struct bw_field *bw_field_find(const char *proto, const char *name);
static inline const struct bw_field *bw_field(enum bw_field_id id)
{
	return &bw_fields[id];
}

/* iptables' multiport --ports, the kernel's xt_multiport (one field per
 * transport protocol) */
static inline bool bw_field_xt_ports(enum bw_field_id id)
{
	return id >= BW_F_XT_TCP_PORTS && id <= BW_F_XT_UDPLITE_PORTS;
}
