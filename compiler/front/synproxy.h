/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The synproxy statement (synproxy.c): TCP SYNs answered with a SYN
 * cookie, the connection opened to the server once the client's ACK
 * proves the cookie.  nf_tables runs it (build.c hands the chain over),
 * in input and forward chains: it needs the kernel's conntrack and its
 * own packets.
 */
#pragma once

#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_ast_stmt;
struct bw_pbuf;

/* synproxy statement s of a rule of chain ch into ir->synproxy, its
 * index in *index.  0 or -EINVAL (errors queued) / -ENOMEM. */
int bw_eval_synproxy(struct bw_eval *ev, const struct bw_ast_stmt *s,
		     const struct bw_ir_chain *ch, uint32_t *index);

/* synproxy's values (s: a statement, or a synproxy object's body) into
 * ir->synproxy, its index in *index.  0 or -EINVAL / -ENOMEM. */
int bw_eval_synproxy_opts(struct bw_eval *ev, const struct bw_ast_stmt *s,
			  uint32_t *index);

/* May a synproxy (statement or object) run in chain ch?  0, or -EINVAL
 * with an error at s. */
int bw_synproxy_chain_ok(struct bw_eval *ev, const struct bw_ast_stmt *s,
			 const struct bw_ir_chain *ch);

/* A synproxy object's body as nft lists it: mss, wscale and the words
 * on lines of their own, each line after indent. */
void bw_print_synproxy_obj(struct bw_pbuf *b, const struct bw_ir_synproxy *p,
			   const char *indent);

/* p as written: `synproxy mss 1460 wscale 7 timestamp sack-perm`, the
 * words given only (nft 1.0.6 lists `wscale 0` after an mss alone,
 * which would load as a window scale option: not copied). */
void bw_print_synproxy(struct bw_pbuf *b, const struct bw_ir_synproxy *p);
