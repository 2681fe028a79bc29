/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * TCP options (nft's `tcp option KIND [FIELD]`): the kinds nft names, and
 * the walk nf_tables' exthdr expression does (net/netfilter/nft_exthdr.c),
 * which the interpreter and the packet builder share.
 *
 * The walk, over the TCP header of doff * 4 bytes (20..60, all of it in
 * the packet, else nothing is found): from byte 20, while the position i
 * is before the header's last byte, the option at i is opt[i] long, or 1
 * byte for EOL (0), NOP (1) and a length byte of 0; EOL does not end the
 * walk.  The first option of the kind wanted is the one: when it runs past
 * the header, or is shorter than the field read from it, the field is not
 * there (the rule does not match; `exists` is false); later options of
 * the same kind are never looked at.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The kind named name ("maxseg", "sack0", ...): 0 and *kind, or -1. */
int bw_tcpopt_kind(const char *name, unsigned *kind);
/* nft's name of kind, NULL for one it does not name. */
const char *bw_tcpopt_kind_name(unsigned kind);

/*
 * Read len bytes at byte off of the first option of kind from the TCP
 * header at tcp (avail bytes of packet from there).  Returns true and
 * fills out, or false when the field is not there (see above).
 */
bool bw_tcpopt_read(const uint8_t *tcp, size_t avail, uint8_t kind,
		    unsigned off, unsigned len, uint8_t *out);

/*
 * iptables' --tcp-option kind (xt_tcpudp's tcp_find_option): over the
 * doff * 4 - 20 option bytes, from the first, the kind byte of every
 * option is compared, the last byte's too, and no length is checked
 * (EOL and NOP step by 1, a length byte of 0 by 1).  Returns 1 when an
 * option of that kind is there, 0 when not, -1 when the options are not
 * all in the packet (avail bytes from the TCP header): xt_tcpudp then
 * drops the packet (hotdrop).
 */
int bw_tcpopt_xt(const uint8_t *tcp, size_t avail, uint8_t kind);

/*
 * A field name as the parser joins it ("option 2 size", "option sack0
 * left") in the form of fields.c ("option maxseg size", "option sack
 * left"), into buf; returns buf, or NULL when it names no known kind.
 */
const char *bw_tcpopt_canon(const char *name, char *buf, size_t size);

/*
 * nft's forms of any kind: "option K" (K a number, exists|missing) and
 * the raw "option @K,OFFSET,LENGTH" (bits; bpfwall reads whole bytes:
 * OFFSET a multiple of 8, LENGTH 8, 16 or 32).  0 and the kind, the
 * offset and length in bits (0, 0 for the first form); -EINVAL when the
 * name is of neither form, -ERANGE when its numbers are out of range.
 */
int bw_tcpopt_any(const char *name, uint8_t *kind, uint16_t *off, uint8_t *len);
