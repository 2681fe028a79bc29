/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nft's srh: the segment routing header (RFC 8754, routing type 4) as
 * nf_tables' exthdr expression reads it (NFT_EXTHDR_OP_IPV6 of type
 * routing): bytes at fixed offsets of the packet's first routing
 * header, found by the kernel's ipv6_find_hdr() walk.  As in nf_tables,
 * the routing type is not checked (a type 0 or 2 header's bytes at the
 * same offsets are read alike), nor the segment index against the
 * header's length: where the bytes reach past the packet's end the rule
 * does not match, whatever its operator.
 *
 *   srh last-entry   byte 4       srh tag      bytes 6-7
 *   srh flags        byte 5       srh sid[N]   bytes 8 + 16 (N - 1), N 1 or 2
 *
 * The match is a raw payload's (rawpay.h) of base BW_RAW_RT: each match
 * walks the extension headers again to the routing header (the view
 * records its first bytes, not where it is).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct bw_rawpay;

/* The bits of srh FIELD ("last-entry", "sid[2]"): false for none. */
bool bw_srh_parse(const char *field, struct bw_rawpay *out);

/* The walk of ipv6_find_hdr(..., NEXTHDR_ROUTING, NULL, NULL) over
 * pkt[at, end): at is the first byte after the IPv6 fixed header, nh
 * its next header.  True with *out the first routing header's offset;
 * false where there is none (another upper layer, No Next Header, a
 * later fragment's header first, a header cut short) or it lies past
 * BW_SRH_STEPS extension headers. */
bool bw_srh_find(const uint8_t *pkt, size_t end, size_t at, uint8_t nh,
		 size_t *out);

/* Extension headers walked at most: the view's walk records a routing
 * header among the first BW_IP6_EXT_MAX before AH, or AH and
 * BW_IP6_EXT_MAX after it (view.h step 3). */
#define BW_SRH_STEPS	(2 * 8 + 1)
