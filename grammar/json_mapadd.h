/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A rule's add or update of a map of data in nft's JSON (json_mapadd.c).
 */
#pragma once

#include <jansson.h>

#include "ast.h"
#include "json_vexpr.h"

typedef struct bw_ast_stmt *bw_jc_stmt_fn(struct jc *c, const json_t *v,
					  const json_t *at);

/* {"op", "elem", "data", "map": "@NAME"}: the set statement dynset reads
 * from {"op", "elem", "set"}, with dyn_data the value.  NULL after an
 * error. */
struct bw_ast_stmt *bw_jc_mapadd(struct jc *c, const json_t *v,
				 const json_t *at, bw_jc_stmt_fn *dynset);
