/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * codegen.c's state, shared with the files that emit parts of a program
 * around its rules (codegen_setup.c).  Private to the code generator.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "codegen.h"
#include "hook.h"

struct gen {
	struct bw_emit e;
	const struct bw_hook_ops *ops;
	bool trace;
	struct bw_prog *prog;
	struct bw_diags *d;
	const struct bw_opt_plan *plan;	/* lookup groups, or NULL */
	bool cpu_read;		/* BW_STK_CPU written after the prologue */
	uint32_t nchain;	/* chains at this attach point */
	const uint32_t *idx;	/* their indexes into ir->chain */
	bw_label *tail;		/* counter tails (emit_tails), nchain + 1 */
	bool *tail_used;
	bool enforce;
	bw_label deny;		/* ops->deny_event: r7 = handle; goto deny */
	bool deny_used;		/* the tail is emitted only when jumped to */
	const struct bw_ir *ir;
	const char *ifname;	/* the attach point's device, or NULL */
	const uint8_t *mac;	/* its address, or NULL */
	/* user chains of the base chain being emitted (ir->nchain each) */
	struct ublock *ub;
	int32_t cur;		/* chain being emitted: user chain index, or
				 * BW_RET_POLICY for the base chain */
	bw_label policy;	/* the base chain's policy */
	enum bw_chain_hook base_hook;	/* the base chain's hook */
	bool policy_used;
	/* conntrack: the accept exit creates the pending entry */
	bool ct;
	bw_label confirm;
	uint8_t ct_force;	/* opts->ct_force */
	const struct bw_codegen_opts *opts;
	/* XDP hoisting (compiler/bpf/hoist.h): the chain being emitted is a
	 * hoisted one; its drops go through hoist_drop (or the last
	 * counter tail), which checks the packet is for this host */
	bool hoisting;
	bw_label hoist_drop;
	bool hoist_drop_used;
};

/*
 * A user chain, emitted once per base chain that reaches it: start,
 * its rules, then `goto ret`.  Each jump to it stores a site number in
 * BW_STK_RET(depth) first; ret dispatches on it, back to the site's
 * label (a jump: its next rule; a goto: where the chain that went there
 * returns).  Ancestors in the jump graph have smaller depths, so the
 * slots of the chains active at once never collide.
 */
struct usite {
	bw_label to;
	int32_t ret_of;		/* a goto: the chain whose return `to` is
				 * (BW_RET_POLICY: the base chain's); a jump:
				 * BW_RET_NONE */
};

#define BW_RET_NONE	(-1)
#define BW_RET_POLICY	(-2)

struct ublock {
	bool reached;
	bool emitted;
	bool ret_used;		/* something jumps to ret: emit the dispatch */
	bw_label start, ret;
	uint32_t nsite;
	struct usite *site;	/* site i + 1 returns to site[i].to */
};

/* Store the deciding rule's handle for trace builds (codegen.h). */
static inline void store_trace(struct gen *g, uint32_t handle)
{
	if (!g->trace)
		return;
	g->prog->uses_map[BW_MAP_TRACE] = true;
	bw_emit_ld_map_value(&g->e, BW_R1, BW_MAP_TRACE, 0);
	bw_emit(&g->e, bw_st(BPF_W, BW_R1, 0, (int32_t)handle));
}

static inline void emit_return(struct gen *g, int code)
{
	bw_emit(&g->e, bw_mov64_imm(BW_R0, code));
	bw_emit(&g->e, bw_exit());
}

/* codegen_setup.c: after the prologue, what the program's chains read
 * (pkttype, interfaces, link layer, conntrack) into the view. */
void bw_cg_loaders(struct gen *g);
/* The parser's drop stubs (or, with only hoisted chains, passes). */
void bw_cg_malformed(struct gen *g, const bw_label *reason);
/* -E2BIG, with an error at the rule, when the program uses more maps
 * than the kernel takes. */
int bw_cg_check_maps(struct gen *g);

/* codegen.c: a lookup's hit, with r7 = the rule's handle, r9 its verdict
 * (accept, drop or continue) and r1 its counter flag: count, trace, then
 * drop, accept (to next, or the program's accept when last) or go on at
 * miss. */
void bw_cg_emit_hit(struct gen *g, bw_label next, bool last, bw_label miss);
struct bw_opt_group;
/* classify_emit.c: the classifier group grp of chain ch (classify.h). */
void bw_cls_emit(struct gen *g, const struct bw_ir_chain *ch,
		 const struct bw_opt_group *grp, bw_label next, bool last);
