/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The tproxy statement (tproxy.c): a packet handed to a local socket
 * (a transparent proxy), in prerouting chains nf_tables runs (build.c
 * hands the chain over): a BPF program cannot give a packet a socket at
 * a netfilter hook.
 */
#pragma once

#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_proto_state;
struct bw_ast_stmt;
struct bw_sym;
struct bw_pbuf;

/* tproxy statement s of a rule of chain ch (its matches so far in ps)
 * into ir->tproxy, its index in *index.  0 or -EINVAL (errors queued) /
 * -ENOMEM. */
int bw_eval_tproxy(struct bw_eval *ev, const struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index);

/* t as nft lists it in a table of family fam: `tproxy ip to 192.0.2.1:80`
 * (the family only in inet), `tproxy to [2001:db8::1]:80`, `tproxy to :80`. */
void bw_print_tproxy(struct bw_pbuf *b, const struct bw_ir_tproxy *t,
		     enum bw_family fam);
/* The same, a computed port (port_vx) printed from ir's value
 * expressions: tproxy ip to 127.0.0.1:symhash mod 2 map { 0 : 23 } */
void bw_print_tproxy_ir(struct bw_pbuf *b, const struct bw_ir *ir,
			const struct bw_ir_tproxy *t, enum bw_family fam);
