/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The rule emitters codegen.c shares with its parts (codegen_guard.c,
 * codegen_lookup.c).
 */
#pragma once

#include "codegen_int.h"

/* codegen.c */
void bw_cg_emit_verdict(struct gen *g, enum bw_verdict v, uint32_t handle,
			bw_label next, bool last);
uint32_t bw_cg_add_site(struct gen *g, uint32_t u, bw_label to, int32_t ret_of);
bw_label bw_cg_cur_ret(struct gen *g);

/* codegen_guard.c */
uint8_t bw_cg_family_l3(enum bw_family fam);
bool bw_cg_in_view(const struct gen *g, const struct bw_field *f);
uint32_t bw_cg_lead_matches(const struct bw_ir_rule *r,
			    const struct bw_ir_match **ms);
bool bw_cg_emit_guards(struct gen *g, const struct bw_ir_chain *ch,
		       const struct bw_ir_match *const *ms, uint32_t nms,
		       struct bw_acc *acc);

/* codegen_lookup.c */
void bw_cg_emit_lookups(struct gen *g, const struct bw_ir_rule *r,
			const struct bw_ir_match *const *ms, uint32_t n,
			bool settle, bw_label miss, struct bw_acc *acc);
void bw_cg_emit_vmap(struct gen *g, const struct bw_ir_rule *r, bw_label miss,
		     bw_label cont, bw_label next_chain, bool last);
