/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What json_print.c lends the printers of its own parts (json_vexpr.c):
 * fields and typed values as nft's JSON, errors.
 */
#pragma once

#include <jansson.h>

#include "compiler/front/fields.h"
#include "grammar/ast.h"

struct jp;

/* A field: {"meta": {"key": "mark"}}, {"payload": {...}}. */
json_t *bw_jp_field(const char *proto, const char *name);
/* Value e of the fields f[0..n) (a concatenation's parts), as a match's
 * right side prints it. */
json_t *bw_jp_value(struct jp *p, const struct bw_ast_expr *e,
		    const struct bw_field *const *f, unsigned n);
/* An error at loc (msg has no format); NULL. */
json_t *bw_jp_fail(struct jp *p, const struct bw_loc *loc, const char *msg);

/* A set statement's value expression (json_vexpr.c); NULL after an
 * error. */
json_t *bw_jp_vexpr(struct jp *p, const struct bw_ast_expr *e);

/* A set statement's object o ({"op", "elem", "set"}) of s, an add to a
 * map of data (s->dyn_data), as {"map": {..., "data", "map"}}
 * (json_mapadd.c); o is taken.  NULL after an error. */
json_t *bw_jp_mapadd(struct jp *p, const struct bw_ast_stmt *s, json_t *o);
/* Set timeouts (json_settimeout.c): a set object's "flags", "timeout"
 * and "gc-interval" as nft prints them; a set statement's "elem", key
 * wrapped with its timeout (key itself when it gives none). */
void bw_jp_set_timeouts(json_t *o, const struct bw_ast_setdef *sd);
json_t *bw_jp_dynset_elem(json_t *key, const struct bw_ast_stmt *s);
/* A set element's value v, wrapped with the element's own timeout
 * ({"elem": {"val": v, "timeout": N}}) when e has one. */
json_t *bw_jp_elem_timeout(json_t *v, const struct bw_ast_expr *e);
