/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fwd and dup, the netdev family's statements (fwd.c): a packet sent out
 * of another device (fwd: instead of going on, nf_tables' nft_fwd_netdev;
 * with `ip|ip6 to ADDR`, to that next hop through the neighbour table)
 * or a copy of it (dup: nft_dup_netdev).  Only nf_tables runs them: the
 * chain goes to nf_tables' netdev family (nfnetdev.h).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_ast_stmt;
struct bw_pbuf;

struct bw_ir_fwd {
	bool dup;			/* dup; else fwd */
	uint8_t l3;			/* fwd ip (4) / ip6 (6) to addr; 0 */
	uint8_t addr[16];		/* network order */
	char dev[16];			/* the device's name (its index is
					 * written when the plan is committed) */
	bool map;			/* the device from a map: */
	uint32_t vexpr;			/* ir->vexpr[vexpr] (valexpr.h,
					 * target BW_VX_T_DEV) */
	struct bw_loc loc, dev_loc;
};

/* fwd or dup statement s of a rule of chain ch into ir->fwd, its index
 * in *index.  0 or -EINVAL (errors queued) / -ENOMEM. */
struct bw_sym;
int bw_eval_fwd(struct bw_eval *ev, const struct bw_ast_stmt *s,
		const struct bw_ir_chain *ch, const struct bw_sym *scope,
		uint32_t *index);

/* netdev's dup written as the dup statement of ip and ip6 (dup.h: the
 * grammar cannot tell them apart): f becomes the fwd/dup statement it
 * is, its device in dev when it is a name; an address with a device
 * (ip's form) leaves f without one, which bw_eval_fwd refuses. */
struct bw_ast_expr;
void bw_fwd_from_dup(const struct bw_ast_stmt *d, struct bw_ast_stmt *f,
		     struct bw_ast_expr *dev);

/* The n-th fwd/dup statement of rule r as nft lists it: fwd to "eth1",
 * fwd ip to 192.0.2.1 device "eth1", dup to "eth1". */
void bw_print_fwd(struct bw_pbuf *b, const struct bw_ir *ir,
		  const struct bw_ir_rule *r, uint32_t n);
