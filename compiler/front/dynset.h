/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Set statements: `add @s { KEY }`, `update @s { KEY }`, `delete @s { KEY }`
 * change a named set from a rule, packet by packet (nft's dynset).  The
 * set is one hash table (setmap.h): no `flags interval`, no map.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "evaluate.h"

/* The name of op (enum bw_dynset_op): "add", "update", "delete". */
const char *bw_dynset_op_name(uint8_t op);
/* The op of name, or -EINVAL. */
int bw_dynset_op_of(const char *name);

/* Statement s (BW_AS_DYNSET) of a rule of chain ch into ev->ir->dynset:
 * *index.  Errors as nft gives them: unknown set, a map, an interval
 * set, a key not of the set's type.  0 or -EINVAL. */
int bw_eval_dynset(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index);

/* Rule r reads the key of ir->dynset[index] (r->dkey).  0 or -ENOMEM. */
int bw_dynset_rule_key(struct bw_eval *ev, struct bw_ir_rule *r,
		       uint32_t index);

/* Does a rule of table (a BW_AI_TABLE item) add to, update or delete
 * from its set name?  Such a set is dynamic, as nft lists it. */
bool bw_dynset_names(const struct bw_ast_item *table, const char *name);

/* As nft: a set that rules change lists `flags dynamic`, and `size
 * 65535` when it was given none. */
#define BW_DYNSET_DEFAULT_SIZE 65535
void bw_dynset_mark(struct bw_ir_set *s);
