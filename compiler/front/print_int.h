/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What print.c and its parts (print_value.c, print_dep.c) share: the
 * value printers a match uses and the dependency checks of a rule.
 */
#pragma once

#include "evaluate.h"

/* print.c */
void bw_print_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		    const struct bw_sym *scope);

/* print_value.c */
bool bw_print_v4_number(struct bw_pbuf *b, const struct bw_field *f,
			const struct bw_ast_expr *e);
bool bw_print_addr_mask_prefix(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			       const struct bw_field *f, const struct bw_sym *scope);
bool bw_print_int_prefix(struct bw_pbuf *b, const struct bw_field *f,
			 const struct bw_ast_expr *e);
bool bw_print_xor_folded(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			 const struct bw_field *f, const struct bw_sym *scope);
void bw_print_log_flags(struct bw_pbuf *b, uint32_t f);
void bw_print_field_value(struct bw_pbuf *b, const char *proto,
			  const char *field, const struct bw_ast_expr *e,
			  const struct bw_sym *scope, bool range_end);
bool bw_print_flag_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			 const struct bw_sym *scope);
bool bw_print_interval_set(struct bw_pbuf *b, const struct bw_field *f,
			   const struct bw_ast_expr *set, const struct bw_sym *scope);

/* print_dep.c */
const char *bw_print_raw_port_name(const struct bw_ast_item *rule,
				   const struct bw_ast_stmt *s,
				   const struct bw_sym *scope, enum bw_family fam,
				   char *buf, size_t len);
bool bw_print_implied_dep(const struct bw_ast_stmt *s, const struct bw_sym *scope,
			  enum bw_family fam);
unsigned bw_print_l3_of(const struct bw_ast_stmt *s, const struct bw_sym *scope,
			enum bw_family fam);
void bw_print_reject(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		     const struct bw_sym *scope, enum bw_family fam,
		     unsigned l3);
bool bw_print_ct_generic(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			 const struct bw_sym *scope, enum bw_family fam,
			 unsigned l3);
void bw_print_implicit(struct bw_pbuf *b, const struct bw_ast_item *rule,
		       const struct bw_ast_stmt *s, enum bw_family fam,
		       const struct bw_sym *scope, const char **sep);
