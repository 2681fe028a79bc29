// SPDX-License-Identifier: GPL-2.0-only
/*
 * A rule's set lookups (after its compares) and its verdict map.
 * codegen.c keeps the rule emitter that calls these.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "compiler/front/compile.h"
#include "compiler/interp/ct.h"
#include "hook.h"
#include "hook_connect.h"
#include "hook_sock.h"
#include "emit_hdrset.h"
#include "hoist.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/setmap.h"
#include "compiler/front/nfnetdev.h"
#include "compiler/opt/classify.h"
#include "codegen_int.h"
#include "emit_hdrset.h"
#include "codegen_rule.h"

/*
 * The set lookups among ms (not the vmap's), after the compares: those
 * are settled into one branch first (also when settle: the caller
 * branches next), then each lookup branches to miss on its own.
 */
void bw_cg_emit_lookups(struct gen *g, const struct bw_ir_rule *r,
			const struct bw_ir_match *const *ms, uint32_t n,
			bool settle, bw_label miss, struct bw_acc *acc)
{
	struct bw_emit *e = &g->e;

	for (uint32_t i = 0; i < n; i++)
		settle |= ms[i]->lookup && ms[i] != &r->vmap;
	if (!settle)
		return;
	if (acc->any)
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, acc->reg, 0, 0), miss);
	acc->any = false;
	acc->branchy = true;
	for (uint32_t i = 0; i < n; i++) {
		const struct bw_ir_match *m = ms[i];
		bw_label absent;

		if (!m->lookup || m == &r->vmap)
			continue;
		if (!m->neg) {
			bw_lookup_emit(e, g->ir, m, g->ops, g->ifname, miss, miss);
			continue;
		}
		absent = bw_emit_label(e);
		bw_lookup_emit(e, g->ir, m, g->ops, g->ifname, absent, miss);
		bw_emit_ja(e, miss);
		bw_emit_place(e, absent);
	}
}

/*
 * vmap: the element's verdict (r1) and target chain (r2), or the next
 * rule when the key is not in the map.  Jumps and gotos go to the chains
 * the map's elements name (evaluate made those the only ones).
 */
void bw_cg_emit_vmap(struct gen *g, const struct bw_ir_rule *r, bw_label miss,
		     bw_label cont, bw_label next_chain, bool last)
{
	const struct bw_ir_set *s = &g->ir->set[r->vmap.set];
	struct bw_emit *e = &g->e;
	bw_label drop = bw_emit_label(e), accept = bw_emit_label(e);

	bw_vmap_lookup_emit(e, g->ir, &r->vmap, g->ops, g->ifname, miss);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, BW_VERDICT_DROP, 0), drop);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, BW_VERDICT_ACCEPT, 0), accept);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, BW_VERDICT_RETURN, 0), bw_cg_cur_ret(g));
	for (uint32_t i = 0; i < s->nelem + s->has_catchall; i++) {
		const struct bw_ir_setelem *x = i < s->nelem ? &s->elem[i] :
						&s->catchall;
		bw_label other;
		bool seen = false;
		uint32_t site;

		if (x->verdict != BW_VERDICT_JUMP && x->verdict != BW_VERDICT_GOTO)
			continue;
		for (uint32_t j = 0; j < i && j < s->nelem; j++)
			seen |= s->elem[j].verdict == x->verdict &&
				s->elem[j].target == x->target;
		if (seen)
			continue;
		other = bw_emit_label(e);
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, x->verdict, 0), other);
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, (int32_t)x->target, 0), other);
		if (x->verdict == BW_VERDICT_JUMP)
			site = bw_cg_add_site(g, x->target, miss, BW_RET_NONE);
		else
			site = bw_cg_add_site(g, x->target, g->cur == BW_RET_POLICY ?
					g->policy : g->ub[g->cur].ret, g->cur);
		bw_emit(e, bw_mov64_imm(BW_R1, (int32_t)site));
		bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R1,
				  BW_STK_RET(g->ir->chain[x->target].depth)));
		bw_emit_ja(e, g->ub[x->target].start);
		bw_emit_place(e, other);
	}
	bw_emit_ja(e, cont);		/* continue, or a target added later */
	bw_emit_place(e, drop);
	bw_cg_emit_verdict(g, BW_VERDICT_DROP, r->handle, next_chain, last);
	bw_emit_place(e, accept);
	bw_cg_emit_verdict(g, BW_VERDICT_ACCEPT, r->handle, next_chain, last);
}
