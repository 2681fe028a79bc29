/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nft's ipsec expression (xfrm.c): `ipsec in|out [spnum N] KEY`, a value of
 * the IPsec state that decoded the packet (in) or will encode it (out):
 * reqid, spi, ip saddr|daddr, ip6 saddr|daddr.  The kernel's nft_xfrm
 * reads it, so a chain that uses one goes to nf_tables (fields.h,
 * BW_FS_KERNEL).  The language keeps the expression in its field name
 * ("in spnum 2 ip saddr", "in reqid" when spnum is 0): one row per
 * direction and key (BW_F_XFRM_*), the policy index in the match
 * (bw_ir_match.spnum).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "ir.h"

struct bw_eval;
struct bw_ast_stmt;

/* The row of field name NAME of proto "ipsec" ("out spnum 3 spi"), its
 * policy index in *spnum (may be NULL); NULL when NAME names none. */
const struct bw_field *bw_xfrm_field(const char *name, uint8_t *spnum);

/* Is f an ipsec field; is it of direction in. */
bool bw_xfrm_is(enum bw_field_id f);
bool bw_xfrm_in(enum bw_field_id f);

/* Can a chain at hook h read f, as nft_xfrm_validate says: in at
 * prerouting, input, forward; out at forward, output, postrouting
 * (BW_CHAIN_NONE: where the chain is reached decides, nft_xfrm.c). */
bool bw_xfrm_hook_ok(enum bw_field_id f, enum bw_chain_hook h);

/* The error for an ipsec expression m that names no field: its
 * direction or its key, with a caret.  Returns NULL. */
const struct bw_field *bw_xfrm_field_error(struct bw_eval *ev,
					   const struct bw_ast_stmt *m);

/* out->spnum from m's ipsec fields (its own and its concatenation's,
 * which must read one policy; reqid and spi are refused in a
 * concatenation).  0 or -EINVAL (error queued). */
int bw_xfrm_match_spnum(struct bw_eval *ev, const struct bw_ast_stmt *m,
			struct bw_ir_match *out);

/* Whether the chain being evaluated may read ipsec field f (m the
 * match): an ip, ip6 or inet table, a hook of f's direction; else an
 * error at m (false). */
bool bw_xfrm_check(struct bw_eval *ev, const struct bw_ast_stmt *m,
		   const struct bw_field *f);
