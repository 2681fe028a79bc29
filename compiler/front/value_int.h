/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What value.c and its parts (value_scalar.c, value_print.c) share: the
 * symbol tables' lookups, the byte-string helpers of a field's width
 * and the scalar readers a match's elements use.
 */
#pragma once

#include "evaluate.h"

struct sym {
	const char *name;
	uint32_t val;
};

/* value.c: the symbol tables (bw_value_exists: exists / missing) */
extern const struct sym bw_value_exists[];
const struct sym *bw_value_syms_for(const struct bw_field *f);
bool bw_value_flag_type(enum bw_type t);
const struct sym *bw_value_sym_lookup(const struct sym *t, const char *name);
const char *bw_value_sym_name(const struct sym *t, uint32_t val);
const char *bw_value_type_desc(enum bw_type t);

/* value_scalar.c */
unsigned bw_value_field_bits(const struct bw_field *f);
void bw_value_put_uint(uint8_t *b, unsigned size, uint64_t v);
void bw_value_full_mask(const struct bw_field *f, uint8_t *m);
bool bw_value_is_zero(const uint8_t *b, unsigned size);
bool bw_value_step(uint8_t *b, unsigned size, int delta);
bool bw_value_integer_type(enum bw_type t);
int bw_value_string(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, uint8_t *out, uint8_t *mask);
int bw_value_ifname(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, uint8_t *out, uint8_t *mask);
int bw_value_scalar(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, const struct bw_sym *scope,
		    uint8_t *out);
int bw_value_range_ends(struct bw_eval *ev, const struct bw_field *f,
			const struct bw_ast_expr *e, const struct bw_sym *scope,
			uint8_t *lo, uint8_t *hi);
/* value_print.c */
