/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The dup statement (dup.c): `dup to ADDR [device "DEV"]` in ip and ip6
 * tables, the address also a map on the packet's fields (or numgen, a
 * hash: valexpr.h).  The kernel's nft_dup_ipv4/ipv6 sends a copy of the
 * packet to ADDR as the next hop (through DEV); the packet itself goes
 * on.  It runs in nf_tables (build.c hands its chain over): a BPF
 * netfilter program cannot send a copy through the routing code.  netdev's
 * `dup to "DEV"` is refused (bpfwall runs netdev chains at XDP and TC).
 */
#pragma once

#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_ast_stmt;
struct bw_ir_chain;
struct bw_sym;
struct bw_pbuf;

/* dup statement s of a rule of chain ch into ir->dup, its index in
 * *index.  0 or -EINVAL (errors queued) / -ENOMEM. */
int bw_eval_dup(struct bw_eval *ev, const struct bw_ast_stmt *s,
		const struct bw_ir_chain *ch, const struct bw_sym *scope,
		uint32_t *index);

/* d as nft lists it: `dup to 192.0.2.1 device "eth0"`. */
void bw_print_dup(struct bw_pbuf *b, const struct bw_ir_dup *d,
		  const struct bw_ir *ir);
