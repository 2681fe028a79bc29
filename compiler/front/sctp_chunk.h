/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SCTP chunks (RFC 9260 section 3.2), as nft's `sctp chunk TYPE exists`
 * and `sctp chunk TYPE FIELD`: the chunk types and the fields nft names
 * in each, and the walk nf_tables' sctp exthdr does over a packet's
 * chunks (shared by the interpreter; codegen emits the same walk).
 *
 * The walk: from the end of the 12-byte common header, read each chunk's
 * 4-byte header; stop (not found) when fewer than 4 bytes are left or its
 * length is 0; the first chunk of the type asked is the answer; else step
 * over its length rounded up to 4 while the offset stays below the end.
 * A field is there when it lies inside that chunk's length and the chunk
 * inside the packet; otherwise the rule does not match, whatever its
 * operator (nf_tables breaks the rule).  bpfwall walks at most
 * BW_SCTP_CHUNK_MAX chunks: a packet whose answer lies further is dropped
 * (counted as sctp-chunks), never passed on a guess.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BW_SCTP_CHUNK_MAX	32

struct bw_sctp_chunk_field {
	const char *name;
	uint8_t off, size;		/* bytes from the chunk's start */
};

/* The chunk type named name (nft's), or -1. */
int bw_sctp_chunk_type(const char *name);
/* nft's name of a chunk type, or NULL. */
const char *bw_sctp_chunk_name(uint8_t type);
/* The field name of chunk type, or NULL. */
const struct bw_sctp_chunk_field *bw_sctp_chunk_field(uint8_t type,
						      const char *name);
/* The names of the fields of chunk type, comma separated, into buf. */
void bw_sctp_chunk_fields(uint8_t type, char *buf, size_t len);

enum bw_sctp_walk {
	BW_SCTP_FOUND,		/* *at: the chunk's offset */
	BW_SCTP_ABSENT,		/* no such chunk */
	BW_SCTP_TOO_MANY,	/* more chunks than BW_SCTP_CHUNK_MAX */
};

/* The walk over pkt[0, end) from offset `from` (the end of the common
 * header) for the first chunk of type. */
enum bw_sctp_walk bw_sctp_chunk_walk(const uint8_t *pkt, size_t end,
				     size_t from, uint8_t type, size_t *at);

/* A chunk spec as a field's name holds it ("chunk data", "chunk data
 * tsn"): the type, and the field (off, size; size 0: exists).  0 or -1. */
int bw_sctp_chunk_parse(const char *name, uint8_t *type, uint8_t *off,
			uint8_t *size);
