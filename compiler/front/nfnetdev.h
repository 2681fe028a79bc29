/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Netdev chains that nf_tables' netdev family runs (nfnetdev.c).
 *
 * A netdev chain runs at XDP (ingress) or TC egress, in BPF, unless one
 * of its rules, or a rule of a chain it jumps or goes to, needs what only
 * the kernel has there: a meta key only nf_tables reads (skuid, skgid,
 * priority, iifgroup, oifgroup, iiftype, oiftype, cgroup, random, time,
 * hour, day, rtclassid), `meta mark set` / `meta priority set` where the
 * program cannot write them (at XDP; at TC to anything but a number), a
 * raw payload write, `last`, a named object (counter, quota, limit
 * "NAME"), `fwd to`, `dup to`.  Then the whole chain goes to nf_tables'
 * netdev family, with the same hook, device and priority (build.c,
 * compiler/nft/).  Evaluate decides: the chain's nft flag in the IR.
 */
#pragma once

#include <stdbool.h>

#include "ir.h"

struct bw_eval;

/* Is f a key nf_tables' netdev family reads and BPF at XDP/TC cannot? */
bool bw_nfnetdev_field(enum bw_field_id f);

/*
 * The rule being evaluated needs the kernel (the statement at loc): when
 * it is a rule of a netdev chain, mark that chain (its nft flag, why at
 * loc if none yet) and return true: the caller evaluates the statement
 * as in an inet chain.  False elsewhere: the caller's error stands.
 */
bool bw_nfnetdev_mark(struct bw_eval *ev, const struct bw_loc *loc);

/* After evaluation: each netdev base chain that reaches (jump, goto,
 * vmap) a chain with the nft flag gets it too.  0 or -ENOMEM. */
int bw_nfnetdev_spread(struct bw_ir *ir);

/* Why chain c of ir goes to nf_tables, or NULL: the first statement
 * that sent it or the chain it reaches (for a note). */
const struct bw_loc *bw_nfnetdev_why(const struct bw_ir *ir, uint32_t c);

/* Chains idx[0, n) (bw_ir_chains_for's) without the netdev chains
 * nf_tables runs, in place: what an XDP or TC program runs.  The count
 * left. */
uint32_t bw_nfnetdev_bpf_only(const struct bw_ir *ir, uint32_t *idx, uint32_t n);
