/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Raw payload, nft's `@BASE,OFFSET,LENGTH`: LENGTH bits (1 to 128) at
 * bit OFFSET from a base the packet gives:
 *   @ll   the link-layer header (the frame's first byte: XDP and TC
 *         programs; the netfilter hooks have none to read here)
 *   @nh   the network header (view.l3off)
 *   @th   the transport header of an unfragmented packet or a first
 *         fragment, whatever its protocol (view.l4off)
 *   @ih   the data after a TCP header (its data offset) or a UDP one
 *         (nf_tables' inner offset); other protocols have none
 * As in nf_tables, the bits are read from the packet for each match:
 * where there is no such base, or the bytes that hold the bits reach
 * past the packet's end (view.pkt_len), the rule does not match,
 * whatever its operator.  The value is the bits as a number, held
 * big endian in the row's bytes (BW_F_RAW8 .. BW_F_RAW128).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fields.h"

/* in nf_tables' order (NFT_PAYLOAD_LL_HEADER ... _INNER_HEADER); then
 * the first IPv6 routing header, the base of nft's srh fields (srh.h:
 * nf_tables' exthdr, not a payload base; never written @rt) */
enum bw_raw_base { BW_RAW_LL, BW_RAW_NH, BW_RAW_TH, BW_RAW_IH, BW_RAW_RT };

#define BW_RAW_LEN_MAX	128	/* bits: nft's NFT_MAX_EXPR_LEN_BITS */
#define BW_RAW_BYTE_MAX	255	/* the last byte a read may start at
				 * (nf_tables' payload offset is a u8) */

struct bw_rawpay {
	uint8_t base;		/* enum bw_raw_base */
	uint16_t off;		/* bits */
	uint8_t len;		/* bits, 1..128 */
};

enum bw_raw_err {
	BW_RAW_OK,
	BW_RAW_EBASE,		/* not ll, nh, th or ih */
	BW_RAW_ELEN0,		/* length 0 */
	BW_RAW_ELEN,		/* length above 128 */
	BW_RAW_EOFF,		/* offset past what nf_tables reaches */
	BW_RAW_EWIDE,		/* more than 57 bits off a byte boundary */
	BW_RAW_ESYNTAX,
};

/* The parts of a raw field as the parser keeps them: proto "@th",
 * field "16,16". */
enum bw_raw_err bw_rawpay_parse(const char *proto, const char *field,
				struct bw_rawpay *out);
/* The message of an error (nft's words where it has one). */
const char *bw_rawpay_strerror(enum bw_raw_err e);
/* The row of a raw field of len bits. */
/* The same row read by nf_tables (BW_F_RAWK8 ..): @ll in ip, ip6 and
 * inet tables, whose chains run at the netfilter hooks, where BPF sees
 * the packet from the network header (the skb's link-layer header only
 * nf_tables' payload reads, with a VLAN tag the driver took off). */
enum bw_field_id bw_rawpay_field_kernel(unsigned len);
enum bw_field_id bw_rawpay_field(unsigned len);
/* "ll", "nh", "th", "ih" */
const char *bw_rawpay_base_name(unsigned base);
/* The bytes that hold the bits: first byte (from the base), count. */
static inline unsigned bw_rawpay_first(const struct bw_rawpay *r)
{
	return r->off / 8u;
}
static inline unsigned bw_rawpay_nbytes(const struct bw_rawpay *r)
{
	return (r->off % 8u + r->len + 7u) / 8u;
}
/* Read the bits out of the bytes at pkt[at, end): false when they
 * reach past end; else out (size bytes, big endian) holds them. */
bool bw_rawpay_read(const uint8_t *pkt, size_t end, size_t at,
		    const struct bw_rawpay *r, uint8_t *out, unsigned size);

struct bw_pbuf;
struct bw_ast_stmt;
struct bw_sym;
/* A raw field written proto field ("@th" "16,16", "th" "dport")? */
static inline bool bw_rawpay_is(const char *proto, const char *field)
{
	return proto[0] == '@' || (proto[0] == 't' && proto[1] == 'h' && !proto[2] &&
				   (!strcmp(field, "sport") || !strcmp(field, "dport")));
}
/* rawpay_print.c: match s (a raw payload's) as nft lists it; named: the
 * name nft gives its bits ("tcp dport", "th dport": ports in decimal),
 * or NULL. */
void bw_rawpay_print_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			   const struct bw_sym *scope, const char *named);
/* The port a raw @th match names (0,16: "sport", 16,16: "dport"), or
 * NULL. */
const char *bw_rawpay_port(const char *proto, const char *field);
