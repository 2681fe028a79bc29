/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What evaluate.c and its parts (evaluate_proto.c, evaluate_chain.c)
 * share: the evaluation's state and the chain checks the table walk
 * calls.
 */
#pragma once

#include "evaluate.h"

struct ctx {
	struct bw_eval ev;
	struct bw_arena *arena;
	struct bw_ir *ir;
	uint32_t cap_chain;
	uint32_t handle;
	struct bw_pbuf text;
	bool oom;
	/* tables seen (for duplicates), reset by `flush ruleset` */
	struct seen {
		const struct bw_ast_item *item;
		enum bw_family fam;
	} *tables;
	uint32_t ntables, cap_tables;
};

/* evaluate.c */
void bw_eval_chain_devices(struct ctx *cx, struct bw_ir_chain *ch,
			   const struct bw_ast_item *h);
/* evaluate_proto.c */

/* evaluate_chain.c */
void bw_eval_hook_spec(struct ctx *cx, struct bw_ir_chain *ch,
		       const struct bw_ast_item *h);
void bw_eval_check_jumps(struct ctx *cx);
