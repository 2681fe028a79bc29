/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The nat statements (nat.c): snat, dnat, masquerade and redirect, in
 * chains of type nat, which nf_tables runs (build.c hands them over).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_proto_state;
struct bw_ast_stmt;
struct bw_sym;
struct bw_pbuf;

/* "snat", "dnat", "masquerade", "redirect". */
const char *bw_nat_kind_name(uint8_t kind);

/* May a nat statement of kind run at hook (nf_nat's rule)? */
bool bw_nat_hook_ok(uint8_t kind, enum bw_chain_hook hook);
/* Those hooks, for messages: "postrouting and input". */
const char *bw_nat_hooks(uint8_t kind);

/* Nat statement s of a rule of chain ch (whose matches so far are in
 * ps) into ir->nat, its index in *index.  0 or -EINVAL (errors queued)
 * / -ENOMEM. */
int bw_eval_nat(struct bw_eval *ev, const struct bw_proto_state *ps,
		const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		const struct bw_sym *scope, uint32_t *index);

/* n as nft lists it in a table of family fam: `snat ip to 192.0.2.1:80`,
 * `masquerade to :1024-2048 random,persistent`. */
struct bw_ir;
void bw_print_nat(struct bw_pbuf *b, const struct bw_ir_nat *n,
		  enum bw_family fam, const struct bw_ir *ir);
