/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What json_print.c and the printers it dispatches to share (json_pset.c,
 * json_pstmt_*.c, json_pobj.c): the printer's state, the value types
 * and the helpers for values, fields, objects and errors.
 */
#pragma once

#include <jansson.h>

#include "compiler/front/fields.h"
#include "grammar/ast.h"

#define MAXCAT 8		/* parts of a concatenation printed */

enum vshape { V_NUMBER, V_NAME, V_FLAGS, V_STRING };

struct type_row {
	enum bw_type type;
	const char *nft;		/* nft's type name (sets' "type") */
	enum vshape shape;
};

struct jp {
	struct bw_diags *d;
	const char *family;	/* of the table being printed */
	const char *table;
	/* the field of the match being printed (its values' names: ip dscp
	 * and icmp code have their own), and its type slot */
	const struct bw_field *field;
	const struct type_row *const *field_t;
	int err;
};

/* json_print.c */
const struct type_row *bw_jp_type_row(enum bw_type t);
const struct type_row *bw_jp_type_by_nft_name(const char *name);
json_t *bw_jp_failf(struct jp *p, const struct bw_loc *loc, const char *fmt,
		    const char *what);
json_t *bw_jp_number(const char *s);
const struct bw_field *bw_jp_type_field(const struct type_row *t);
json_t *bw_jp_scalar(struct jp *p, const struct bw_ast_expr *e,
		     const struct type_row *t, const struct bw_field *f);
json_t *bw_jp_set_flags_json(const struct bw_ast_expr *e);
json_t *bw_jp_wrap(const char *key, json_t *v);
json_t *bw_jp_value_of(struct jp *p, const struct bw_ast_expr *e,
		       const struct type_row *const *t, unsigned nt);
json_t *bw_jp_field_of(const char *proto, const char *name);
json_t *bw_jp_one_or_list(json_t *a);
void bw_jp_add(json_t *list, const char *kind, json_t *o);
json_t *bw_jp_head(struct jp *p, const char *name_key, const char *name);

/* json_pset.c */
void bw_jp_set_elems(struct jp *p, json_t *a, const struct bw_ast_expr *set,
		     const struct type_row *const *t, unsigned nt, bool interval,
		     bool merge);

/* json_pstmt_log.c */
json_t *bw_jp_st_log(struct jp *p, const struct bw_ast_stmt *s);
json_t *bw_jp_st_limit(struct jp *p, const struct bw_ast_stmt *s);
json_t *bw_jp_st_reject(struct jp *p, const struct bw_ast_stmt *s);
json_t *bw_jp_st_quota(struct jp *p, const struct bw_ast_stmt *s);

/* json_pstmt_nat.c */
json_t *bw_jp_ordered_flags(const struct bw_ast_expr *l,
			    const char *const *order, size_t n);
json_t *bw_jp_st_nat(struct jp *p, const struct bw_ast_stmt *s);
json_t *bw_jp_st_tproxy(struct jp *p, const struct bw_ast_stmt *s);
/* A synproxy's "mss", "wscale" and "flags" (those it has) into o: the
 * statement's and the object's (json_pstmt_nat.c). */
void bw_jp_synproxy_fields(json_t *o, const struct bw_ast_stmt *s);
json_t *bw_jp_st_synproxy(struct jp *p, const struct bw_ast_stmt *s);
json_t *bw_jp_st_dup(struct jp *p, const struct bw_ast_stmt *s);
json_t *bw_jp_st_fwd(struct jp *p, const struct bw_ast_stmt *s);

/* json_pstmt_mangle.c */
json_t *bw_jp_st_setf(struct jp *p, const struct bw_ast_stmt *s);

/* json_pobj.c */
void bw_jp_set_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
		   uint32_t handle);
void bw_jp_obj_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
		   uint32_t handle);
void bw_jp_chain_obj(struct jp *p, json_t *list, const struct bw_ast_item *c,
		     uint32_t handle);
void bw_jp_flowtable_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
			 uint32_t handle);
