/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A mangle's value expression read from nft's JSON (json_vexpr.c), with
 * what json_parse.c lends it.
 */
#pragma once

#include <jansson.h>

#include "ast.h"

struct jc;

/* json_parse.c's: an error at j (NULL), a value (the match right side's
 * reading), a field into an fref (false after an error), a node. */
void *bw_jc_error(struct jc *c, const json_t *j, const char *msg);
struct bw_ast_expr *bw_jc_value(struct jc *c, const json_t *j);
bool bw_jc_field(struct jc *c, const json_t *j, struct bw_ast_fref *f);
struct bw_ast_expr *bw_jc_expr_new(struct jc *c, enum bw_ast_expr_kind k,
				   const json_t *at, const char *text);
struct bw_ast_fref *bw_jc_fref_new(struct jc *c);

/* Is v one of the forms only a value expression has (<<, >>, map,
 * numgen, jhash, symhash, an operation on one of them or with a
 * non-constant side)? */
bool bw_jc_is_vexpr(const json_t *v);
/* v as the AST of a set statement's value; NULL after an error. */
struct bw_ast_expr *bw_jc_vexpr(struct jc *c, const json_t *v);
