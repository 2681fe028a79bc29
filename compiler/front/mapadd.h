/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Rules that change a named map of data (mapadd.c): `add @m { KEY :
 * VALUE }`, `update @m { KEY : VALUE }` where m is `map m { type K : V
 * }` (delete from a map: the kernel refuses it in a rule).  Such a map lives in nf_tables: the chain of
 * the rule goes there (nf_tables' dynset with a data register; a netdev
 * chain to nf_tables' netdev family), and a chain bpfwall runs in BPF
 * cannot look the map up (its BPF copy would not see what rules add).
 * The value is a field of the map's value type read without a protocol
 * dependency (meta mark, ct mark, ...) or a constant of that type.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "evaluate.h"

/* The value of s (BW_AS_DYNSET on a map of data set) into d's data
 * fields, and the chain of the rule marked for nf_tables where that is
 * a netdev chain.  0 or -EINVAL (error queued). */
int bw_mapadd_eval(struct bw_eval *ev, const struct bw_ast_stmt *s,
		   const struct bw_ir_set *set, struct bw_ir_dynset *d,
		   const struct bw_sym *scope);

/* Do rules change ir->set[si] in nf_tables (a map of data)? */
bool bw_mapadd_changed(const struct bw_ir *ir, uint32_t si);

/* Does rule r change a map of data (a statement only nf_tables runs)? */
bool bw_mapadd_rule(const struct bw_ir *ir, const struct bw_ir_rule *r);

/* The chains BPF runs (base chains without in_nft[c] or the nft flag,
 * and the chains they reach) must not look up a map rules change in
 * nf_tables: an error at each such lookup.  0 or -EINVAL / -ENOMEM. */
int bw_mapadd_check_bpf(const struct bw_ir *ir, const bool *in_nft,
			struct bw_diags *d);

/* ` : VALUE` of ir->dynset[k] when it has one (as nft lists it); k < 0
 * or no ir: nothing. */
struct bw_pbuf;
void bw_mapadd_print_value(struct bw_pbuf *b, const struct bw_ir *ir, int k);
