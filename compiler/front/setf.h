/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Statements that change the packet's or the connection's metadata
 * (setf.c): meta mark set, ct mark set, meta priority set, and notrack.
 * They run in nf_tables (build.c hands their chains over): a BPF program
 * at a netfilter hook reads the socket buffer through a read-only
 * pointer, and XDP has none.
 */
#pragma once

#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_ast_stmt;
struct bw_sym;
struct bw_pbuf;

/* "meta mark", "ct mark", "meta priority". */
const char *bw_setf_name(uint8_t key);

/* FIELD set VALUE statement s of a rule of chain ch into ir->setf, its
 * index in *index; notrack (s->kind BW_AS_NOTRACK) only checked.  0 or
 * -EINVAL (errors queued) / -ENOMEM. */
int bw_eval_setf(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_ir_chain *ch, const struct bw_sym *scope,
		 uint32_t *index);

/* s as nft lists it: `meta mark set 0x00000010`, `ct mark set meta mark`. */
void bw_print_setf(struct bw_pbuf *b, const struct bw_ir_setf *s,
		   const struct bw_ir *ir);

/* The bytes a raw payload write of len bits at bit off covers: whole
 * 16-bit words (nft's, so that the checksum is fixed word by word):
 * the first byte and the count. */
void bw_setf_raw_span(unsigned off, unsigned len, unsigned *first,
		      unsigned *n);
