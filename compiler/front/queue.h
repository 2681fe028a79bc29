/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The queue statement (queue.c): packets to a program in user space over
 * nfnetlink_queue.  It runs in nf_tables (build.c hands its chain over):
 * a BPF program cannot queue a packet.
 */
#pragma once

#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_ast_stmt;
struct bw_pbuf;

/* queue statement s of a rule of chain ch into ir->queue, its index in
 * *index.  0 or -EINVAL (errors queued) / -ENOMEM. */
struct bw_sym;
int bw_eval_queue(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  const struct bw_ir_chain *ch, const struct bw_sym *scope,
		  uint32_t *index);

/* q as nft lists it: `queue flags bypass,fanout to 4-5`. */
void bw_print_queue(struct bw_pbuf *b, const struct bw_ir_queue *q,
		    const struct bw_ir *ir);
