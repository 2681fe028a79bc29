/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Flowtables (flowtable.c): `flowtable NAME { hook ingress priority P;
 * devices = { "a", "b" }; [flags offload;] [counter;] }` in inet, ip and
 * ip6 tables, and the statement `flow add @NAME` (nft 1.0.6 also reads
 * `flow offload @NAME`) in a forward chain.  The kernel's nf_flow_table
 * runs them: a connection added to a flowtable has its packets forwarded
 * at the ingress hook of the flowtable's devices, past the forward hook.
 * Only nf_tables holds flowtables: a rule with `flow add` goes there with
 * its chain (compiler/bpf/build.c), and the flowtable is created in
 * bpfwall's own table in the same transaction (compiler/nft/nft_flow.c).
 */
#pragma once

#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_ast_item;
struct bw_ast_stmt;
struct bw_ir_chain;
struct bw_pbuf;

/* The flowtable definition it (BW_AI_FLOWTABLE) of the table being read
 * into ev->ir->flowtable, its listing appended to b.  0, -EINVAL (queued)
 * or -ENOMEM. */
int bw_eval_flowtable_def(struct bw_eval *ev, const struct bw_ast_item *it,
			  struct bw_pbuf *b);

/* flow add @NAME (s, BW_AS_FLOW) in a rule of chain ch: *index into
 * ev->ir->flowtable.  0 or -EINVAL (queued). */
int bw_eval_flow(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_ir_chain *ch, uint32_t *index);

/* ft as nft lists it in its table, one tab deep, ending in a blank
 * line. */
void bw_print_flowtable(struct bw_pbuf *b, const struct bw_ir_flowtable *ft);
