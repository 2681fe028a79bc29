/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Named stateful objects (nft's counter, quota, limit, ct helper, ct
 * timeout and ct expectation objects of a table), the statements that
 * use them (counter name "c", ct helper set "h", the object maps
 * `counter name tcp dport map { 443 : "c" }`) and `last`.  Only
 * nf_tables runs them: a rule that uses one goes there with its chain
 * (compiler/bpf/build.c), and the objects are created in bpfwall's own
 * table in the same transaction (compiler/nft/nft_obj.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "evaluate.h"

/* The object definition it (BW_AI_OBJECT) of the table being read into
 * ev->ir->obj, its listing appended to b.  0, -EINVAL (queued) or
 * -ENOMEM. */
int bw_eval_obj_def(struct bw_eval *ev, const struct bw_ast_item *it,
		    const struct bw_sym *scope, struct bw_pbuf *b);

/* A rule's use of objects s (BW_AS_OBJREF) in chain ch: *index into
 * ev->ir->objref.  0, -EINVAL (queued) or -ENOMEM. */
int bw_eval_objref(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index);

/* last [used never|used TIME] in chain ch: *index as BW_STMT_LAST
 * keeps it. */
int bw_eval_last(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_ir_chain *ch, uint32_t *index);

/* The statement (OBJREF or LAST) as nft lists it. */
void bw_print_objref(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		     const struct bw_sym *scope);

/* A counter's state (v1 packets, v2 bytes) or a quota's (v1 its bytes,
 * v2 used, over), as nft lists it in the object. */
void bw_print_obj_state(struct bw_pbuf *b, uint8_t kind, uint64_t v1,
			uint64_t v2, bool over);

/* "counter", "quota", "limit", "ct helper", "ct timeout",
 * "ct expectation"; NULL for another number. */
const char *bw_obj_kind_name(uint8_t kind);

/* The names of the ct timeout states of protocol l4 (IPPROTO_*), in the
 * kernel's order (its array index); *n of them; NULL: none known. */
const char *const *bw_obj_timeout_states(uint8_t l4, uint32_t *n);
