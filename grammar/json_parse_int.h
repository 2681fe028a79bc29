/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What json_parse.c and the files it dispatches to share: the reader's
 * state and its helpers (the location of a value, the path in error
 * messages, nodes in the AST's arena, members of an object).
 */
#pragma once

#include <jansson.h>

#include "ast.h"
#include "diag.h"

struct span {
	const json_t *j;
	uint32_t start, end;		/* offsets into the text */
};

struct jc {
	struct bw_ast *ast;
	struct bw_diags *d;
	const struct bw_src *src;
	struct span *spans;		/* sorted by pointer after the walk */
	size_t nspan, cap;
	char path[512];
	size_t plen;
	const char *family;		/* of the rule being read */
	int err;
	unsigned qcat;			/* the right side of a concatenation
					 * being read: bit i, part i takes
					 * names (quoted strings) */
};

/* json_parse.c */
struct bw_loc bw_jc_loc_of(struct jc *c, const json_t *j);
size_t bw_jc_push(struct jc *c, const char *fmt, ...);
void bw_jc_pop(struct jc *c, size_t mark);
__attribute__((format(printf, 3, 4)))
void *bw_jc_err(struct jc *c, const json_t *at, const char *fmt, ...);
void *bw_jc_node(struct jc *c, size_t n);
const char *bw_jc_dup(struct jc *c, const char *s);
struct bw_ast_expr *bw_jc_expr_at(struct jc *c, enum bw_ast_expr_kind k,
				  const json_t *at, const char *text);
struct bw_ast_item *bw_jc_item_new(struct jc *c, enum bw_ast_item_kind k,
				   const json_t *at);
void bw_jc_item_add(struct bw_ast_item **head, struct bw_ast_item **last,
		    struct bw_ast_item *it);
json_t *bw_jc_member(struct jc *c, const json_t *o, const char *key,
		     json_type type, const char *what);
const char *bw_jc_str_member(struct jc *c, const json_t *o, const char *key);
const char *bw_jc_only_key(struct jc *c, const json_t *o, json_t **v,
			   const char *what);
struct bw_ast_expr *bw_jc_word(struct jc *c, const json_t *j, bool quoted);
struct bw_ast_expr *bw_jc_list_of(struct jc *c, const json_t *a,
				  enum bw_ast_expr_kind kind, bool quoted,
				  const json_t *at);
struct bw_ast_expr *bw_jc_expr(struct jc *c, const json_t *j, bool quoted);
bool bw_jc_field_of(struct jc *c, const json_t *j, const char **proto,
		    const char **name, struct bw_loc *ploc, struct bw_loc *nloc);
bool bw_jc_lhs(struct jc *c, const json_t *j, struct bw_ast_stmt *s,
	       const json_t **mask);
struct bw_ast_stmt *bw_jc_stmt_new(struct jc *c, enum bw_ast_stmt_kind k,
				   const json_t *at);

/* json_field.c */
bool bw_jc_fib_field(struct jc *c, const json_t *j, const json_t *v,
		     const char **proto, const char **name,
		     struct bw_loc *ploc, struct bw_loc *nloc);
bool bw_jc_xfrm_field(struct jc *c, const json_t *j, const json_t *v,
		      const char **proto, const char **name,
		      struct bw_loc *ploc, struct bw_loc *nloc);
bool bw_jc_osf_field(struct jc *c, const json_t *j, const json_t *v,
		     const char **proto, const char **name,
		     struct bw_loc *ploc, struct bw_loc *nloc);
bool bw_jc_tcpopt_field(struct jc *c, const json_t *j, const json_t *v,
			const char **proto, const char **name,
			struct bw_loc *ploc, struct bw_loc *nloc);
bool bw_jc_chunk_field(struct jc *c, const json_t *j, const json_t *v,
		       const char **proto, const char **name,
		       struct bw_loc *ploc, struct bw_loc *nloc);

/* json_obj.c */
struct bw_ast_item *bw_jc_find(struct bw_ast_item *list,
			       enum bw_ast_item_kind k, const char *family,
			       const char *name);
struct bw_ast_item *bw_jc_table_of(struct jc *c, const json_t *o);
void bw_jc_obj_table(struct jc *c, const json_t *o);
void bw_jc_obj_chain(struct jc *c, const json_t *o);
void bw_jc_obj_set(struct jc *c, const json_t *o, bool map);
void bw_jc_obj_flowtable(struct jc *c, const json_t *o);
void bw_jc_obj_named(struct jc *c, const json_t *o, const char *kind);

/* json_stmt_log.c */
struct bw_ast_stmt *bw_jc_st_log(struct jc *c, const json_t *v,
				 const json_t *at);
struct bw_ast_stmt *bw_jc_st_limit(struct jc *c, const json_t *v,
				   const json_t *at);
struct bw_ast_stmt *bw_jc_st_reject(struct jc *c, const json_t *v,
				    const json_t *at);

/* json_stmt_nat.c */
bool bw_jc_only_keys(struct jc *c, const json_t *o, const char *what,
		     const char *const *keys);
struct bw_ast_expr *bw_jc_flag_list(struct jc *c, const json_t *j,
				    const char *what);
struct bw_ast_stmt *bw_jc_st_nat(struct jc *c, const json_t *v,
				 const json_t *at);
struct bw_ast_stmt *bw_jc_st_tproxy(struct jc *c, const json_t *v,
				    const json_t *at);
struct bw_ast_stmt *bw_jc_st_synproxy(struct jc *c, const json_t *v,
				      const json_t *at);
struct bw_ast_stmt *bw_jc_st_dup(struct jc *c, const json_t *v,
				 const json_t *at);

/* json_stmt_mangle.c */
struct bw_ast_stmt *bw_jc_st_reset(struct jc *c, const json_t *v,
				   const json_t *at);
struct bw_ast_stmt *bw_jc_st_mangle(struct jc *c, const json_t *v,
				    const json_t *at);

/* json_stmt_obj.c */
struct bw_ast_stmt *bw_jc_st_objref(struct jc *c, const json_t *v,
				    const json_t *at, const char *kind);
struct bw_ast_stmt *bw_jc_st_ct_helper(struct jc *c, const json_t *v, const json_t *at);
struct bw_ast_stmt *bw_jc_st_ct_timeout(struct jc *c, const json_t *v, const json_t *at);
struct bw_ast_stmt *bw_jc_st_ct_expect(struct jc *c, const json_t *v, const json_t *at);
struct bw_ast_stmt *bw_jc_st_last(struct jc *c, const json_t *v, const json_t *at);
struct bw_ast_stmt *bw_jc_st_counter(struct jc *c, const json_t *v,
				     const json_t *at);
struct bw_ast_stmt *bw_jc_st_quota(struct jc *c, const json_t *v,
				   const json_t *at);
struct bw_ast_stmt *bw_jc_st_ct_count(struct jc *c, const json_t *v,
				      const json_t *at);
