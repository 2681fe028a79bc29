/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Maps whose values are concatenations (mapcat.c): `map m { type K :
 * ipv4_addr . inet_service; elements = { K : 192.0.2.1 . 80 } }`.  The
 * value's parts are set->datacat[0 .. ndata - 1]; an element's data holds
 * each part at bw_mapcat_off, 4-byte aligned as nf_tables' registers
 * hold them.  Rules add constants to it (`add @m { KEY : C1 . C2 }`,
 * mapadd.h: the map then lives in nf_tables).
 */
#pragma once

#include <stdint.h>

#include "evaluate.h"

/* The offset of part k of s's value in an element's data. */
uint32_t bw_mapcat_off(const struct bw_ir_set *s, uint32_t k);

/* The value type t (`T1 . T2 ...`, its text) of s: each part found by
 * part (0 and the field, or -ENOENT), into s->datacat.  0 or -EINVAL
 * (error queued). */
int bw_mapcat_type(struct bw_eval *ev, struct bw_ir_set *s,
		   const struct bw_ast_expr *t,
		   int (*part)(const char *name, enum bw_field_id *f));

/* The bytes of a concatenated value (an element's data, a dynset's dval). */
#define BW_MAPCAT_MAX	20

/* The value val (`V1 . V2 ...`, constants) of map s into out.  0 or
 * -EINVAL (error queued). */
int bw_mapcat_value(struct bw_eval *ev, const struct bw_ir_set *s,
		    const struct bw_ast_expr *val, const struct bw_sym *scope,
		    uint8_t out[BW_MAPCAT_MAX]);

/* The value val (`V1 . V2 ...`) of element x of s.  0 or -EINVAL. */
int bw_mapcat_elem(struct bw_eval *ev, const struct bw_ir_set *s,
		   struct bw_ir_setelem *x, const struct bw_ast_expr *val,
		   const struct bw_sym *scope);

/* The value data of s as nft lists it (192.0.2.1 . 80). */
void bw_mapcat_print(struct bw_pbuf *b, const struct bw_ir_set *s,
		     const uint8_t *data);
