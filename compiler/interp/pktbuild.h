/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Build packet bytes from a bw_pkt_spec, for `trace` and the verdict tests.
 *
 * Defaults (the manual lists them; keep both in step):
 *   ether saddr 02:00:00:00:00:01  ether daddr 02:00:00:00:00:02
 *   IPv4 unless an ip6/icmpv6 field is given: ip saddr 192.0.2.1,
 *   ip daddr 192.0.2.2, ttl 64, id 0, frag-off 0, hdrlength 5 (no
 *   options), protocol from the transport fields given (tcp if none),
 *   ip6 saddr 2001:db8::1, ip6 daddr 2001:db8::2, hoplimit 64, flowlabel
 *   0, no extension headers; tcp sport 40000 dport 80 flags syn (when tcp
 *   flags are not given) sequence 1 ackseq 0 doff 5 window 64240 urgptr 0,
 *   udp sport 40000 dport 53, icmp type echo-request id 1 sequence 1
 *   (icmpv6 alike); sctp, dccp, udplite, esp, comp and ah (IPv4), by
 *   a field or by meta l4proto / ip protocol, get the header bpfwall
 *   reads (12, 12, 8, 8, 4, 12 bytes), zeros but the fields given (dccp's
 *   data offset 3); no payload.  Lengths and the
 *   checksums of tcp, udp, icmp and icmpv6 are computed.
 * `meta l4proto X` or `ip protocol X` with no transport fields builds an
 * IP packet of that protocol with an empty payload (but for the
 * protocols above).
 *
 * Fields that shape the packet:
 *   ether type is the frame's own EtherType (nft's): vlan (8021q) or
 *   8021ad builds a tag of that kind, another value an untagged frame;
 *   vlan id, pcp, dei build a tag (802.1Q) and vlan type is the
 *   EtherType inside it.
 *   ip hdrlength N > 5 builds N * 4 - 20 bytes of IPv4 options (NOPs,
 *   then an end of list); tcp doff N > 5 alike for TCP options.  Below 5
 *   the field is written and the header is still built 20 bytes long.
 *   ip frag-off F is written as given (flags and offset): with an offset,
 *   the transport fields given still fill the bytes after the IP header,
 *   where a non-first fragment's payload is.
 *   ip length / ip6 length N are written as given: longer than the
 *   headers, the payload fills them; shorter, the headers are still
 *   built whole and trail the IP packet.  udp length is written as
 *   given.  meta length N: the frame has N bytes after the link layer
 *   (payload, or zeros after the IP packet when an IP length is given).
 *   ip6 nexthdr H, H an extension header (hopopt, ipv6-route, ipv6-frag,
 *   ipv6-opts, ah), builds that header; meta l4proto then names what
 *   follows it.  The fields of an extension header (hbh, rt, frag, dst)
 *   go into the first header of that kind as given (the packet must
 *   have one; frag more-fragments and frag frag-off after packet
 *   more-fragments / frag-off).
 *
 * Packet words: `packet WORD VALUE` is no field of any header (rules
 * cannot name them, nft has none of them); they build what fields cannot:
 *   packet truncate N    the frame ends after N bytes (14 or more, fewer
 *                        than built), counted from the Ethernet header;
 *                        lengths and checksums are the whole packet's
 *   packet trailer N     N bytes of garbage (de ad be ef ...) after the
 *                        IP packet, counted by no IP length
 *   packet vlans N       N VLAN tags (1 to 7): 802.1ad outside, 802.1Q
 *                        innermost (the first as ether type says when it
 *                        names a tag); the first takes vlan id/pcp/dei,
 *                        the inner ones VLAN id 1, 2, ...
 *   packet exthdr H,...  IPv6 extension headers in this order (up to
 *                        12): hop-by-hop and destination options hold
 *                        one PadN option (8 bytes), routing is type 0
 *                        with no segments left (8), fragment 8, AH 24
 *   packet frag-off N    every IPv6 fragment header's offset, in 8-byte
 *                        units (0 to 8191)
 *   packet more-fragments 0|1   its M flag
 *   packet inner-type T  the EtherType after the last VLAN tag, not IP
 *                        (with two tags or more no field names it; with
 *                        one it is vlan type)
 *   packet tcp-options B, B, ...  the bytes after the fixed TCP header
 *                        (up to 40), then EOLs to a multiple of 4; the
 *                        data offset counts them unless tcp doff is
 *                        given (which must leave room for them)
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "compiler/front/compile.h"

#define BW_PKT_MAX 256

/* Returns the frame length (> 0) written to buf, or -EINVAL with an error
 * queued in d (e.g. contradicting fields). */
int bw_pkt_build(const struct bw_pkt_spec *s, uint8_t *buf, size_t cap,
		 struct bw_diags *d);
