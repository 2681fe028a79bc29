/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Build packet bytes from a bw_pkt_spec, for `trace` and the verdict tests.
 *
 * Defaults (the manual lists them; keep both in step):
 *   ether saddr 02:00:00:00:00:01  ether daddr 02:00:00:00:00:02
 *   IPv4 unless an ip6/icmpv6 field is given: ip saddr 192.0.2.1,
 *   ip daddr 192.0.2.2, ttl 64, protocol from the transport fields given
 *   (tcp if none), ip6 saddr 2001:db8::1, ip6 daddr 2001:db8::2,
 *   hoplimit 64; tcp sport 40000 dport 80 flags syn (when tcp flags are
 *   not given), udp sport 40000 dport 53, icmp type echo-request;
 *   no payload.  Lengths and checksums are computed.
 * `meta l4proto X` or `ip protocol X` with no transport fields builds an
 * IP packet of that protocol with an empty payload.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "compile.h"

#define BW_PKT_MAX 256

/* Returns the frame length (> 0) written to buf, or -EINVAL with an error
 * queued in d (e.g. contradicting fields). */
int bw_pkt_build(const struct bw_pkt_spec *s, uint8_t *buf, size_t cap,
		 struct bw_diags *d);
