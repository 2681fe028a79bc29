/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Tunnel headers and the headers inside them, as nft's inner matches
 * (nft 1.1): `vxlan vni 10`, `vxlan ip saddr 192.0.2.1`, `geneve udp
 * dport 53`, `gre ip saddr ...`, `gretap ether saddr ...`.  The field
 * rows (fields.h, tun_layer) are shared by the four tunnels; the IR
 * match says which tunnel (bw_ir_match.tunnel).  Each match finds its
 * own inner header (tunnel.c for the interpreter, emit_tunnel.c the same
 * in BPF) and leaves the value at the row's view_off, in the bytes of
 * view.l4h that the outer UDP or GRE header leaves free.
 *
 * The walk, over the outer IP packet's bytes (its total or payload
 * length, never past the frame):
 *  1. The outer transport: UDP (vxlan, geneve) or GRE (gre, gretap), its
 *     header whole (view BW_VIEW_L4, so no later fragment).  Which UDP
 *     port is the rule's business (nft asks for `udp dport 4789` before
 *     vxlan, 6081 before geneve: any UDP match does).
 *  2. The tunnel header, whole inside the packet:
 *     vxlan (RFC 7348): 8 bytes after UDP, the I flag (0x08) set (the
 *       kernel's vxlan driver drops a header without it); an Ethernet
 *       frame follows.
 *     geneve (RFC 8926): 8 bytes after UDP, version 0, then Opt Len * 4
 *       bytes of options; protocol 0x6558 (Ethernet) for the inner
 *       headers; the VNI is read whatever the protocol.
 *     gre (RFC 2784, 2890): version 0, the routing bit clear (what the
 *       kernel's gre_parse_header takes); 4 bytes plus 4 for each of
 *       the checksum (C), key (K) and sequence (S) flags; the protocol
 *       field is the inner network protocol (0x0800, 0x86dd).
 *     gretap: GRE as above with protocol 0x6558, an Ethernet frame
 *       follows.
 *  3. The inner Ethernet header (14 bytes; vxlan, geneve, gretap): its
 *     EtherType is the inner network protocol (no VLAN tag is walked:
 *     `vxlan vlan id` reads the first tag, an inner `ip` field needs
 *     EtherType 0x0800 right there, as nf_tables' inner expression).
 *  4. The inner IPv4 header: version 4, IHL >= 5, the header and the
 *     total length inside the outer packet; its transport header (IHL
 *     bytes on) only in an unfragmented packet or a first fragment.
 *     The inner IPv6 header: version 6, 40 bytes plus the payload
 *     length inside the outer packet; next header is the transport
 *     protocol (extension headers are not walked: an inner transport
 *     field behind one does not match).
 *  5. The inner transport header: the field's protocol, TCP 20 bytes,
 *     UDP, ICMP, ICMPv6 8, inside the inner IP packet.
 * Anything missing, short or malformed: the field is not there and the
 * rule does not match, whatever its operator (nf_tables breaks the
 * rule).  The inner packet itself is not filtered by this: the kernel
 * decapsulates it into the tunnel device, whose hooks see it again.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "view.h"

enum bw_tunnel {
	BW_TUN_NONE,
	BW_TUN_VXLAN,
	BW_TUN_GENEVE,
	BW_TUN_GRE,
	BW_TUN_GRETAP,
};

/* Where a tunnel field's row (fields.h tun_layer) is. */
enum bw_tun_layer {
	BW_TL_NONE,
	BW_TL_TUN,		/* the tunnel header (vni) */
	BW_TL_LINK,		/* the inner Ethernet header; tun_need: the
				 * EtherType it must have (vlan id) */
	BW_TL_IP4,		/* the inner IPv4 header */
	BW_TL_IP6,		/* the inner IPv6 header */
	BW_TL_L4,		/* the inner transport header; tun_need: the
				 * protocol, | 4 << 8 or 6 << 8 for a network
				 * protocol it needs (icmp, icmpv6) */
};

#define BW_TUN_VXLAN_LEN	8
#define BW_TUN_GENEVE_LEN	8
#define BW_TUN_ETH_P_TEB	0x6558	/* transparent Ethernet bridging */

/* The tunnel a field's protocol names ("vxlan", "vxlan ip"), or NONE. */
enum bw_tunnel bw_tunnel_kind(const char *proto);
/* "vxlan", "geneve", "gre", "gretap". */
const char *bw_tunnel_name(enum bw_tunnel t);
/* The outer transport protocol the tunnel is carried in (17 or 47). */
uint8_t bw_tunnel_l4proto(enum bw_tunnel t);
/* The row of tunnel field "ip saddr", "vni" (inner proto, name), or
 * NULL. */
const struct bw_field *bw_tunnel_field(enum bw_tunnel t, const char *inner,
				       const char *name);

/*
 * The reference walk: the value of row f inside tunnel t of the packet
 * pkt (the bytes the view v is of: from the frame's start, or from the
 * network header at the netfilter hooks).  Copies f->size bytes to out
 * and returns true, or returns false when the field is not there.
 */
bool bw_tunnel_read(const uint8_t *pkt, const struct bw_view *v,
		    enum bw_tunnel t, const struct bw_field *f, uint8_t *out);
