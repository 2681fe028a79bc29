// SPDX-License-Identifier: GPL-2.0-only
/*
 * IR -> struct bpf_insn for one attach point.
 *
 * Layout of a program:
 *   prologue     hook start() + the shared parser (prologue.c), then a jump
 *                over the drop stubs
 *   malformed    one 2-insn stub per reason (key, jump) and one common
 *                tail: reasons[key] += 1, return drop
 *   chains       per chain: family filter, rules, policy
 *   end          the last chain's accept
 *
 * Each rule is a straight block whose every conditional jump lands inside
 * it or on the next rule ("miss"): no long conditional jumps however many
 * rules there are.  Only unconditional jumps (accept -> next chain, family
 * filter -> chain end) may be long; the emitter turns those into gotol.
 * Rules use r0-r5 only and load everything from the view, so at each rule
 * boundary no register is live and the verifier's state pruning applies.
 * What comes around the rules (the loaders the chains need, the
 * malformed stubs, the map count) is in codegen_setup.c.
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

#define V(m)	((int16_t)BW_VIEW_OFF(m))

static const struct bw_hook_ops *const hook_ops[] = {
	[BW_HOOK_XDP] = &bw_hook_xdp_ops,
	[BW_HOOK_TC] = &bw_hook_tc_ops,
	[BW_HOOK_CONNECT4] = &bw_hook_connect4_ops,
	[BW_HOOK_CONNECT6] = &bw_hook_connect6_ops,
	[BW_HOOK_KPROBE] = &bw_hook_kprobe_ops,
	[BW_HOOK_TRACEPOINT] = &bw_hook_tracepoint_ops,
	[BW_HOOK_SOCKET] = &bw_hook_sock_ops,
	[BW_HOOK_NF] = &bw_hook_nf_ops,
};
_Static_assert(sizeof(hook_ops) / sizeof(hook_ops[0]) == BW_HOOK__MAX,
	       "every hook has an ops table");

const struct bw_hook_ops *bw_hook_ops(enum bw_hook hook)
{
	if ((unsigned)hook >= BW_HOOK__MAX)
		return NULL;
	return hook_ops[hook];
}

const struct bw_hook_info *bw_hook_info(enum bw_hook hook)
{
	const struct bw_hook_ops *ops = bw_hook_ops(hook);

	return ops ? &ops->info : NULL;
}

/* ------------------------------------------------------------- returns */

/* The same with the handle in r7. */
static void store_trace_r7(struct gen *g)
{
	if (!g->trace)
		return;
	g->prog->uses_map[BW_MAP_TRACE] = true;
	bw_emit_ld_map_value(&g->e, BW_R1, BW_MAP_TRACE, 0);
	bw_emit(&g->e, bw_stx(BPF_W, BW_R1, BW_R7, 0));
}

/* The program accepts: with conntrack through its confirm exit. */
static void emit_accept(struct gen *g)
{
	if (g->ct)
		bw_emit_ja(&g->e, g->confirm);
	else
		emit_return(g, g->ops->info.verdict_accept);
}

/* Connect hooks: a drop (handle in r7) goes to the audit deny tail. */
static void emit_deny_jump(struct gen *g)
{
	g->deny_used = true;
	bw_emit_ja(&g->e, g->deny);
}

/*
 * A chain's decision: drop returns; accept goes to the next chain (next
 * is the label of its start) or, in the last chain, returns.
 */
void bw_cg_emit_verdict(struct gen *g, enum bw_verdict v, uint32_t handle,
			bw_label next, bool last)
{
	store_trace(g, handle);
	if (v == BW_VERDICT_DROP && g->hoisting) {
		g->hoist_drop_used = true;
		bw_emit_ja(&g->e, g->hoist_drop);
	} else if (v == BW_VERDICT_DROP && g->ops->deny_event) {
		bw_emit(&g->e, bw_mov64_imm(BW_R7, (int32_t)handle));
		emit_deny_jump(g);
	} else if (v == BW_VERDICT_DROP)
		emit_return(g, g->ops->info.verdict_drop);
	else if (last)
		emit_accept(g);
	else
		bw_emit_ja(&g->e, next);
}

/* -------------------------------------------------------------- counter */

/*
 * counters[key] += packets, bytes.  key_r7: the key is in r7, else it is
 * the constant handle.  hit_r7: count r7 (0 or 1) packets, else one.
 *
 * The lookup is bpf_map_lookup_percpu_elem with the CPU read once after the
 * prologue: the kernel inlines every bpf_map_lookup_elem of an array map,
 * and patching one inlined lookup per rule is quadratic in the program
 * size (seconds at 10k rules); this helper is called, not patched.
 */
static void emit_count(struct gen *g, bool key_r7, uint32_t handle, bool hit_r7)
{
	struct bw_emit *e = &g->e;
	bw_label skip = bw_emit_label(e);

	g->prog->uses_map[BW_MAP_COUNTERS] = true;
	if (key_r7)
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R7, BW_STK_KEY));
	else
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_KEY, (int32_t)handle));
	bw_emit_ld_map(e, BW_R1, BW_MAP_COUNTERS);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_KEY));
	bw_emit(e, bw_ldx(BPF_W, BW_R3, BW_R10, BW_STK_CPU));
	bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP_PERCPU));
	if (hit_r7) {
		/*
		 * No verdict follows: both sides of a null check would go on
		 * to the next rule, and the verifier would keep one pending
		 * branch per such rule (8192 fail the load).  The null side
		 * ends instead; it cannot happen with the maps the runtime
		 * makes (nhandle slots), and if it did it fails closed.
		 */
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), skip);
		emit_return(g, g->ops->info.verdict_drop);
		bw_emit_place(e, skip);
		skip = bw_emit_label(e);
	} else {
		bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), skip);
	}
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R0, offsetof(struct bw_counter, packets)));
	if (hit_r7)
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R1, BW_R7));
	else
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, 1));
	bw_emit(e, bw_stx(BPF_DW, BW_R0, BW_R1, offsetof(struct bw_counter, packets)));
	/* a hoisted rule counts what its netfilter program would: the IP
	 * packet's length, not the frame's */
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, g->hoisting ? V(iplen) : V(pkt_len)));
	if (hit_r7)
		bw_emit(e, bw_alu64_reg(BPF_MUL, BW_R1, BW_R7));
	bw_emit(e, bw_ldx(BPF_DW, BW_R2, BW_R0, offsetof(struct bw_counter, bytes)));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R2, BW_R1));
	bw_emit(e, bw_stx(BPF_DW, BW_R0, BW_R2, offsetof(struct bw_counter, bytes)));
	bw_emit_place(e, skip);
}

/*
 * Rules with a counter and a verdict share one tail per verdict target:
 * r7 = handle; goto tail.  Writing the counter key to the stack in every
 * rule would cost the kernel's stack-liveness pass over the whole program
 * once per rule (quadratic: seconds at 10k rules on 6.18); in a tail the
 * write is one instruction.  tail[pos] serves accepts of the chain at
 * position pos (going on to the next chain, or returning in the last),
 * tail[n] the drops, tail[n + 1] the drops of hoisted chains (counted
 * only when the packet is for this host, compiler/bpf/hoist.h).
 */
static void emit_tails(struct gen *g, const bw_label *start, uint32_t n)
{
	for (uint32_t i = 0; i <= n + 1; i++) {
		if (!g->tail_used[i])
			continue;
		bw_emit_place(&g->e, g->tail[i]);
		g->hoisting = i == n + 1;
		bw_emit_mark(&g->e, NULL, 0, i == n + 1 ? "counter, drop (hoisted)" :
			     i == n ? "counter, drop" : "counter, accept");
		if (i == n + 1)
			bw_hoist_emit_local(&g->e, BW_STK_SCRATCH,
					    g->ops->info.verdict_accept);
		emit_count(g, true, 0, false);
		store_trace_r7(g);
		if (i == n && g->ops->deny_event)
			emit_deny_jump(g);
		else if (i >= n)
			emit_return(g, g->ops->info.verdict_drop);
		else if (i == n - 1)
			emit_accept(g);
		else
			bw_emit_ja(&g->e, start[i + 1]);
	}
}

/*
 * Does any rule of these chains, or of the user chains they reach, count
 * outside lookup groups?  Then the prologue reads the CPU (BW_STK_CPU);
 * else only a group that counts does, when one of its rules wins: a user
 * chain's counter after a group's miss would read the slot unwritten.
 */
static bool any_counter(const struct bw_ir *ir, const uint32_t *idx, uint32_t n,
			const struct bw_opt_plan *plan)
{
	bool found = false, *seen = calloc(ir->nchain ? ir->nchain : 1,
					   sizeof(*seen));

	if (!seen)
		return true;	/* read the CPU: always right */
	bw_ir_chains_reach(ir, idx, n, seen);
	for (uint32_t c = 0; c < ir->nchain && !found; c++)
		for (uint32_t r = 0; seen[c] && r < ir->chain[c].nrule; r++) {
			bool grouped = false;

			for (uint32_t k = 0; plan && k < plan->ngroup; k++)
				grouped |= plan->group[k].chain == c &&
					   r >= plan->group[k].first &&
					   r < plan->group[k].first + plan->group[k].nrule;
			found |= ir->chain[c].rule[r].counter && !grouped;
		}
	free(seen);
	return found;
}

/* ----------------------------------------------------------------- rules */

/* Does this hook see every field of match m? */
/*
 * meta mark set N, meta priority set N at TC (netdev egress chains; the
 * other hooks' chains with them go to nf_tables, evaluate refuses them
 * at XDP): skb->mark or skb->priority, and the view's mark for the
 * matches after.  A connect hook has no packet: nothing.
 */
static void emit_setf(struct gen *g, uint32_t i)
{
	const struct bw_ir_setf *f = i < g->ir->nsetf ? &g->ir->setf[i] : NULL;
	struct bw_emit *e = &g->e;

	if (!f || f->from_field || f->key == BW_SETF_CT_MARK || f->key == BW_SETF_RAW ||
	    f->key == BW_SETF_TCPOPT_RESET ||
	    g->ops->info.prog_type != BPF_PROG_TYPE_SCHED_CLS)
		return;
	bw_emit(e, bw_mov32_imm(BW_R0, (int32_t)f->value));
	bw_emit(e, bw_stx(BPF_W, BW_R6, BW_R0, f->key == BW_SETF_META_MARK ?
			  offsetof(struct __sk_buff, mark) :
			  offsetof(struct __sk_buff, priority)));
	if (f->key == BW_SETF_META_MARK)
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, BW_VIEW_OFF(mark)));
}

/* A header field write (emit_hdrset.c) at TC and XDP; nothing at a
 * connect hook, which has no packet to write. */
static int emit_hdrset(struct gen *g, const struct bw_ir_stmt *st, bw_label miss)
{
	const struct bw_ir_hdrset *h = st->index < g->ir->nhdrset ?
				       &g->ir->hdrset[st->index] : NULL;
	const struct bw_field *f;

	if (!g->ops->packet)
		return 0;
	if (!h || (g->ops->info.prog_type != BPF_PROG_TYPE_SCHED_CLS &&
		   g->ops->info.prog_type != BPF_PROG_TYPE_XDP)) {
		if (g->d)
			bw_error(g->d, &st->loc, "the %s hook cannot write a packet header",
				 g->ops->info.name);
		return -EOPNOTSUPP;
	}
	f = bw_field((enum bw_field_id)h->field);
	if (bw_hdrset_emit(&g->e, h, f->need_l3, h->th ? 0 : f->need_l4proto,
			   g->ops->info.prog_type == BPF_PROG_TYPE_XDP, miss)) {
		if (g->d)
			bw_error(g->d, &st->loc, "this header field write has no TC form");
		return -EOPNOTSUPP;
	}
	return 0;
}

static bool hook_sees(const struct gen *g, const struct bw_ir_match *m)
{
	uint32_t nf = m->lookup ? m->nfield : 1;

	for (uint32_t k = 0; k < nf; k++)
		if (!bw_hook_sees(g->ops->fields,
				  m->lookup ? m->fields[k] : m->field))
			return false;
	return true;
}

/* Leave out of ms[0, n) the matches the hook cannot decide (fields the
 * connect hooks do not see); *unsure when there were any.  Returns the
 * count left. */
static uint32_t drop_unseen(const struct gen *g, const struct bw_ir_match **ms,
			    uint32_t n, bool *unsure)
{
	uint32_t k = 0;

	*unsure = false;
	for (uint32_t i = 0; i < n; i++) {
		if (hook_sees(g, ms[i]))
			ms[k++] = ms[i];
		else
			*unsure = true;
	}
	return k;
}

/* A new return site of user chain u, back to label `to`; its number. */
uint32_t bw_cg_add_site(struct gen *g, uint32_t u, bw_label to, int32_t ret_of)
{
	struct ublock *b = &g->ub[u];
	struct usite *v = reallocarray(b->site, b->nsite + 1, sizeof(*v));

	if (!v) {
		bw_emit_fail(&g->e, -ENOMEM);
		return 0;
	}
	b->site = v;
	b->site[b->nsite++] = (struct usite){ .to = to, .ret_of = ret_of };
	return b->nsite;
}

/* Where the current chain returns to (and note that it is used). */
bw_label bw_cg_cur_ret(struct gen *g)
{
	if (g->cur == BW_RET_POLICY) {
		g->policy_used = true;
		return g->policy;
	}
	g->ub[g->cur].ret_used = true;
	return g->ub[g->cur].ret;
}

/*
 * Can a jump to chain u come back: a return, its end reached, or a goto
 * to a chain that can?  No, only when a rule with no match and no
 * statement ends it (accept, drop, reject) before any of those; every
 * other rule is taken as passable, so "yes" is the safe answer.  Chains
 * form no loops (evaluate.c), and the depth is bounded.
 */
static bool chain_returns(const struct bw_ir *ir, uint32_t u)
{
	const struct bw_ir_chain *ch = &ir->chain[u];

	for (uint32_t i = 0; i < ch->nrule; i++) {
		const struct bw_ir_rule *r = &ch->rule[i];
		bool plain = !r->nmatch && !r->nstmt;

		if (r->verdict == BW_VERDICT_RETURN || r->verdict == BW_VERDICT_VMAP)
			return true;
		if (r->verdict == BW_VERDICT_GOTO && chain_returns(ir, r->target))
			return true;
		if (plain && (r->verdict == BW_VERDICT_ACCEPT ||
			      r->verdict == BW_VERDICT_DROP ||
			      r->verdict == BW_VERDICT_REJECT))
			return false;
		if (plain && r->verdict == BW_VERDICT_GOTO)
			return false;	/* the goto's target cannot return */
	}
	return true;
}

/* jump, goto, return (after the rule's matches held). */
static void emit_flow(struct gen *g, const struct bw_ir_rule *r, bw_label next)
{
	struct bw_emit *e = &g->e;
	uint32_t u = r->target, site;

	if (r->verdict == BW_VERDICT_RETURN) {
		bw_emit_ja(e, bw_cg_cur_ret(g));
		return;
	}
	if (r->verdict == BW_VERDICT_JUMP)
		site = bw_cg_add_site(g, u, next, BW_RET_NONE);
	else	/* used only if u's dispatch is emitted (emit_dispatch) */
		site = bw_cg_add_site(g, u, g->cur == BW_RET_POLICY ? g->policy :
				g->ub[g->cur].ret, g->cur);
	bw_emit(e, bw_mov64_imm(BW_R1, (int32_t)site));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R1, BW_STK_RET(g->ir->chain[u].depth)));
	bw_emit_ja(e, g->ub[u].start);
}

/* The compares among ms into the accumulator. */
static int emit_compares(struct gen *g, const struct bw_ir_match *const *ms,
			 uint32_t n, bw_label miss, struct bw_acc *acc)
{
	for (uint32_t i = 0; i < n; i++) {
		int err;

		if (ms[i]->lookup || !bw_cg_in_view(g, bw_field(ms[i]->field)))
			continue;	/* below; decided by emit_guards */
		err = bw_match_emit(&g->e, g->ops, g->d, ms[i], miss, acc);
		if (err)
			return err;
	}
	return 0;
}

/*
 * One rule: the guards and matches fold into r9 (match.c), then a single
 * `if r9 != 0 goto miss` before the counter and the verdict.  A rule with
 * a counter and no verdict counts by r7 = !r9 and has no branch at all.
 */
/* reject: the answer (emit_reject.c), then drop. */
static void emit_reject(struct gen *g, const struct bw_ir_rule *r)
{
	if (g->ops->packet && !g->ops->info.verdict_reject) {
		/* never silently a drop: the build keeps such rules away */
		if (g->d)
			bw_error(g->d, &r->verdict_loc, "the %s hook cannot answer a reject",
				 g->ops->info.name);
		bw_emit_fail(&g->e, -EOPNOTSUPP);
		return;
	}
	store_trace(g, r->handle);
	if (g->ops->packet && g->ops->ifindex_off)
		bw_reject_emit(&g->e, g->ops, g->prog, &r->reject);
	if (g->ops->deny_event) {
		bw_emit(&g->e, bw_mov64_imm(BW_R7, (int32_t)r->handle));
		emit_deny_jump(g);
	} else {
		emit_return(g, g->ops->info.verdict_drop);
	}
}

/*
 * What the connect hooks cannot decide: a limit (no packet to count) or
 * a match on a field they cannot see (the source address, tcp flags...).
 * The audit reports only denies it is sure of.  In a rule that drops or
 * rejects, the condition stops it (the rule is taken as not matching: if
 * it went on, the connect would be denied all the same); in one that
 * accepts or has no verdict it goes on (the rule denies nothing either
 * way); in one that jumps, goes to, returns or looks up a vmap, where the
 * connect goes next is unknown: it is let through, unreported.  Returns
 * true when the rule ends here; *ends when nothing after it can run.
 */
static bool unsure_at_connect(struct gen *g, const struct bw_ir_rule *r,
			      bw_label miss, bool *ends)
{
	switch (r->verdict) {
	case BW_VERDICT_ACCEPT:
	case BW_VERDICT_CONTINUE:
		return false;
	case BW_VERDICT_DROP:
	case BW_VERDICT_REJECT:
		bw_emit_ja(&g->e, miss);
		return true;
	default:
		*ends = !bw_emit_referenced(&g->e, miss);
		emit_accept(g);
		return true;
	}
}

/* A set statement: its key's guards (a packet without the key's
 * fields stops the rule, as nft's implicit dependencies do), then the
 * map changed; a full set stops the rule.  The connect hooks, which
 * see no packet, change no set (unsure_at_connect).  True when the rule
 * ends here. */
static bool emit_dynset(struct gen *g, const struct bw_ir_chain *ch,
			const struct bw_ir_rule *r, uint32_t index,
			bw_label miss, bool *ends)
{
	const struct bw_ir_dynset *d = &g->ir->dynset[index];
	const struct bw_ir_match *m = &d->key;
	struct bw_acc acc = { 0 };

	if (!g->ops->packet || !hook_sees(g, m))
		return unsure_at_connect(g, r, miss, ends);
	if (!bw_cg_emit_guards(g, ch, &m, 1, &acc)) {
		bw_emit_ja(&g->e, miss);
		return true;
	}
	if (acc.any)
		bw_emit_jcc(&g->e, bw_jmp_imm(BPF_JNE, acc.reg, 0, 0), miss);
	bw_dynset_emit(&g->e, g->ir, d, g->ops, g->ifname, miss);
	return false;
}

/*
 * Statements [from, to) of rule r, in order, a trailing match or a limit
 * stopping the rule there (at miss).  1 when the rule stops for good
 * here (nothing after can run), 0 to go on, or -errno.
 */
static int emit_stmt_range(struct gen *g, const struct bw_ir_chain *ch,
			   const struct bw_ir_rule *r, uint32_t from,
			   uint32_t to, bw_label miss, bool *ends)
{
	struct bw_emit *e = &g->e;

	for (uint32_t i = from; i < to; i++) {
		const struct bw_ir_stmt *st = &r->stmt[i];
		/* stmt index: a match of r->match, or the log or limit */
		const struct bw_ir_match *m = st->kind == BW_STMT_MATCH ?
					      &r->match[st->index] : NULL;
		struct bw_acc acc = { 0 };
		int err;

		switch (st->kind) {
		case BW_STMT_MATCH:
			if (!hook_sees(g, m)) {		/* a connect hook */
				if (unsure_at_connect(g, r, miss, ends))
					return 1;
				break;
			}
			if (!bw_cg_emit_guards(g, ch, &m, 1, &acc)) {
				bw_emit_ja(e, miss);	/* never holds: stop */
				return 1;
			}
			err = emit_compares(g, &m, 1, miss, &acc);
			if (err)
				return err;
			bw_cg_emit_lookups(g, r, &m, 1, true, miss, &acc);
			break;
		case BW_STMT_COUNTER:
			if (g->ops->packet)
				emit_count(g, false, r->handle, false);
			break;
		case BW_STMT_LOG:
			bw_log_emit(e, g->ops, g->prog, st->index, r->handle,
				    (uint8_t)g->base_hook);
			break;
		case BW_STMT_LIMIT:
			if (!g->ops->packet) {
				if (unsure_at_connect(g, r, miss, ends))
					return 1;
				break;
			}
			bw_limit_emit(e, g->prog, &g->ir->limit[st->index],
				      st->index, miss);
			break;
		case BW_STMT_SETF:
			emit_setf(g, st->index);
			break;
		case BW_STMT_QUOTA:
			/* netdev chains; inet ones go to nf_tables
			 * (build.c) but for a connect hook's copy */
			if (!g->ops->packet) {
				if (unsure_at_connect(g, r, miss, ends))
					return 1;
				break;
			}
			bw_quota_emit(e, g->prog, &g->ir->quota[st->index],
				      bw_ir_quota_slot(g->ir, st->index), miss);
			break;
		case BW_STMT_NOTRACK:
		case BW_STMT_OBJREF:
		case BW_STMT_LAST:
		case BW_STMT_TPROXY:
		case BW_STMT_SYNPROXY:
		case BW_STMT_DUP:
		case BW_STMT_FWD:
		case BW_STMT_FLOW:
			/* nf_tables runs these (build.c): no program has
			 * them but a connect hook's, which writes nothing */
			break;
		case BW_STMT_HDRSET:
			/* TC and XDP write the packet (netdev chains; the
			 * other chains with one go to nf_tables) */
			err = emit_hdrset(g, st, miss);
			if (err)
				return err;
			break;
		case BW_STMT_DYNSET:
			if (emit_dynset(g, ch, r, st->index, miss, ends))
				return 1;
			break;
		}
	}
	return 0;
}

/*
 * A rule with statements after its leading matches (which are settled
 * into a branch by now): each in order, a trailing match or a limit
 * stopping the rule there, then the verdict; a vmap's element whose
 * verdict is continue runs the statements after the vmap (r->nafter).
 * Branchy, but such rules are few.  *ends: the rule ends the chain
 * (nothing after it can run).
 */
static int emit_rule_stmts(struct gen *g, const struct bw_ir_chain *ch,
			   const struct bw_ir_rule *r, bw_label miss,
			   bw_label next_chain, bool last, bool *ends)
{
	struct bw_emit *e = &g->e;
	uint32_t nbefore = r->nstmt - r->nafter;
	int rc = emit_stmt_range(g, ch, r, 0, nbefore, miss, ends);

	if (rc)
		return rc < 0 ? rc : 0;
	if (r->verdict == BW_VERDICT_VMAP) {
		const struct bw_ir_match *m = &r->vmap;
		struct bw_acc acc = { 0 };
		bw_label cont;

		if (!hook_sees(g, m)) {		/* a connect hook */
			unsure_at_connect(g, r, miss, ends);
			return 0;
		}
		if (!bw_cg_emit_guards(g, ch, &m, 1, &acc)) {
			bw_emit_ja(e, miss);
			return 0;
		}
		if (acc.any)
			bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, acc.reg, 0, 0), miss);
		cont = r->nafter ? bw_emit_label(e) : miss;
		bw_cg_emit_vmap(g, r, miss, cont, next_chain, last);
		if (!r->nafter)
			return 0;
		bw_emit_place(e, cont);
		/* then the next rule: miss comes next */
		rc = emit_stmt_range(g, ch, r, nbefore, r->nstmt, miss, ends);
		return rc < 0 ? rc : 0;
	}
	switch (r->verdict) {
	case BW_VERDICT_JUMP:
	case BW_VERDICT_GOTO:
	case BW_VERDICT_RETURN:
		emit_flow(g, r, miss);
		break;
	case BW_VERDICT_REJECT:
		emit_reject(g, r);
		break;
	case BW_VERDICT_ACCEPT:
	case BW_VERDICT_DROP:
		bw_cg_emit_verdict(g, r->verdict, r->handle, next_chain, last);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * After the code of rule r, which a final verdict ends with a jump or an
 * exit: does no jump lead past it (to its miss)?  Then nothing after it
 * in the chain can run (a rule whose statements cannot fail: `log drop`,
 * `counter log accept`, a lone `reject`), and the verifier refuses code
 * that cannot run.
 */
static bool rule_ends(const struct gen *g, const struct bw_ir_rule *r,
		      bw_label miss)
{
	switch (r->verdict) {
	case BW_VERDICT_ACCEPT:
	case BW_VERDICT_DROP:
	case BW_VERDICT_REJECT:
	case BW_VERDICT_GOTO:
	case BW_VERDICT_RETURN:
		return !bw_emit_referenced(&g->e, miss);
	default:	/* jump and vmap come back; continue goes on */
		return false;
	}
}

static int emit_rule(struct gen *g, const struct bw_ir_chain *ch,
		     const struct bw_ir_rule *r, uint32_t pos, bw_label next_chain,
		     bool last, bool *ends_chain)
{
	const struct bw_ir_match *ms[r->nmatch + 1];
	struct bw_emit *e = &g->e;
	struct bw_acc acc = { 0 };
	bool unsure;
	bw_label miss;
	uint32_t n;
	int err;

	bw_emit_mark(e, &r->loc, r->handle, NULL);
	if (r->verdict == BW_VERDICT_CONTINUE && !r->counter && !r->nstmt)
		return 0;		/* no effect at all */
	miss = bw_emit_label(e);
	n = drop_unseen(g, ms, bw_cg_lead_matches(r, ms), &unsure);
	unsure |= r->vmap_then && !g->ops->packet;	/* a connect hook */
	if (!bw_cg_emit_guards(g, ch, ms, n, &acc)) {
		bw_emit_place(e, miss);	/* can never match */
		return 0;
	}
	err = emit_compares(g, ms, n, miss, &acc);
	if (err)
		return err;
	bw_cg_emit_lookups(g, r, ms, n, r->nstmt || r->verdict == BW_VERDICT_VMAP ||
		     r->verdict == BW_VERDICT_REJECT || unsure, miss, &acc);
	if (unsure) {
		/* what the connect hook sees holds: the rest is unknown */
		bool end = false;

		bw_acc_settle(e, &acc);
		if (acc.any)
			bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, acc.reg, 0, 0), miss);
		if (unsure_at_connect(g, r, miss, &end)) {
			*ends_chain = end;
			bw_emit_place(e, miss);
			return 0;
		}
		acc.any = false;
		acc.branchy = bw_emit_referenced(e, miss);
	}
	if (r->nstmt) {
		err = emit_rule_stmts(g, ch, r, miss, next_chain, last, ends_chain);
		*ends_chain = *ends_chain || (!err && rule_ends(g, r, miss));
		bw_emit_place(e, miss);
		return err;
	}
	if (r->verdict == BW_VERDICT_VMAP || r->verdict == BW_VERDICT_REJECT) {
		if (r->counter)		/* before the vmap: every packet */
			emit_count(g, false, r->handle, false);
		if (r->verdict == BW_VERDICT_VMAP)
			bw_cg_emit_vmap(g, r, miss, miss, next_chain, last);
		else
			emit_reject(g, r);
		*ends_chain = rule_ends(g, r, miss);
		bw_emit_place(e, miss);
		return 0;
	}
	if (r->verdict == BW_VERDICT_CONTINUE && !acc.branchy) {
		bw_acc_settle(e, &acc);
		if (acc.any) {
			bw_emit(e, bw_mov64_reg(BW_R7, BW_R9));
			bw_emit(e, bw_mov64_reg(BW_R0, BW_R9));
			bw_emit(e, bw_alu64_imm(BPF_NEG, BW_R0, 0));
			bw_emit(e, bw_alu64_reg(BPF_OR, BW_R7, BW_R0));
			bw_emit(e, bw_alu64_imm(BPF_RSH, BW_R7, 63));
			bw_emit(e, bw_alu64_imm(BPF_XOR, BW_R7, 1));
		} else {
			bw_emit(e, bw_mov64_imm(BW_R7, 1));
		}
		emit_count(g, false, r->handle, true);
		bw_emit_place(e, miss);
		return 0;
	}
	if (acc.any)
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, acc.reg, 0, 0), miss);
	/* Nothing tested (no match, or only always-true ones) and a final
	 * verdict: whatever follows in the chain, policy included, can never
	 * run, and the verifier refuses code that cannot run. */
	*ends_chain = !acc.any && !acc.branchy &&
		      r->verdict != BW_VERDICT_CONTINUE;
	if (r->verdict == BW_VERDICT_JUMP || r->verdict == BW_VERDICT_GOTO ||
	    r->verdict == BW_VERDICT_RETURN) {
		if (r->counter)
			emit_count(g, false, r->handle, false);
		emit_flow(g, r, miss);
		/* after a jump the chain goes on only if the target returns */
		*ends_chain = *ends_chain && (r->verdict != BW_VERDICT_JUMP ||
					      !chain_returns(g->ir, r->target));
	} else if (r->counter && r->verdict != BW_VERDICT_CONTINUE) {
		uint32_t t = r->verdict != BW_VERDICT_DROP ? pos :
			     g->hoisting ? g->nchain + 1 : g->nchain;

		bw_emit(e, bw_mov64_imm(BW_R7, (int32_t)r->handle));
		bw_emit_ja(e, g->tail[t]);
		g->tail_used[t] = true;
	} else if (r->counter) {
		emit_count(g, false, r->handle, false);
	} else if (r->verdict != BW_VERDICT_CONTINUE) {
		bw_cg_emit_verdict(g, r->verdict, r->handle, next_chain, last);
	}
	bw_emit_place(e, miss);
	return 0;
}

/* ------------------------------------------------------- lookup groups */

/*
 * Rules [grp->first, +nrule) as one lookup: the key is built from the view
 * (optimize.h's layout), the value names the rule (handle, verdict,
 * counter).  Their guards are the first rule's: every rule of a group
 * uses the same fields.
 */
static void emit_group(struct gen *g, const struct bw_ir_chain *ch,
		       const struct bw_opt_group *grp, bw_label next, bool last)
{
	const struct bw_lookup_map *map = &g->plan->map[grp->map];
	const struct bw_ir_rule *r0 = &ch->rule[grp->first];
	struct bw_emit *e = &g->e;
	struct bw_acc acc = { 0 };
	bw_label miss = bw_emit_label(e);

	bw_emit_mark(e, &r0->loc, r0->handle, "map lookup");
	const struct bw_ir_match *ms[r0->nmatch + 1];

	if (!bw_cg_emit_guards(g, ch, ms, bw_cg_lead_matches(r0, ms), &acc)) {
		bw_emit_place(e, miss);
		return;
	}
	if (acc.any)
		bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, acc.reg, 0, 0), miss);
	for (uint32_t k = 0; k < (map->key_size + 7) / 8; k++)
		bw_emit(e, bw_st(BPF_DW, BW_R10, (int16_t)(BW_STK_LKEY + 8 * (int)k), 0));
	if (map->lpm)
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_LKEY,
				 8 * bw_field(grp->field[0])->size));
	for (uint32_t i = 0; i < grp->nfield; i++) {
		const struct bw_field *f = bw_field(grp->field[i]);
		int voff = -BW_VIEW_SIZE + f->view_off;
		int koff = BW_STK_LKEY + grp->key_off[i];

		bw_key_copy(e, f, voff, koff);
	}
	bw_emit_ld_map(e, BW_R1, BW_MAP__MAX + grp->map);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, BW_STK_LKEY));
	bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), miss);
	/* the rule whose key matched: r7 handle, r9 verdict */
	bw_emit(e, bw_ldx(BPF_W, BW_R7, BW_R0, offsetof(struct bw_lookup_value, handle)));
	bw_emit(e, bw_ldx(BPF_B, BW_R9, BW_R0, offsetof(struct bw_lookup_value, verdict)));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R0, offsetof(struct bw_lookup_value, counter)));
	bw_cg_emit_hit(g, next, last, miss);
	bw_emit_place(e, miss);
}

void bw_cg_emit_hit(struct gen *g, bw_label next, bool last, bw_label miss)
{
	struct bw_emit *e = &g->e;
	bw_label nocount = bw_emit_label(e);
	bw_label drop = bw_emit_label(e), accept = bw_emit_label(e);

	if (g->hoisting) {
		/* only drops here: for this host, or the packet passes
		 * (uncounted) */
		bw_emit(e, bw_mov64_reg(BW_R8, BW_R1));
		bw_hoist_emit_local(e, BW_STK_SCRATCH, g->ops->info.verdict_accept);
		bw_emit(e, bw_mov64_reg(BW_R1, BW_R8));
	}
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), nocount);
	if (!g->cpu_read) {
		/* no rule counts outside groups: the CPU is not read yet */
		bw_emit(e, bw_call(BW_HELPER_SMP_PROCESSOR_ID));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, BW_STK_CPU));
	}
	emit_count(g, true, 0, false);
	bw_emit_place(e, nocount);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R9, BW_VERDICT_DROP, 0), drop);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R9, BW_VERDICT_ACCEPT, 0), accept);
	bw_emit_ja(e, miss);		/* a counter without verdict: go on */
	bw_emit_place(e, drop);
	store_trace_r7(g);
	if (g->ops->deny_event)
		emit_deny_jump(g);
	else
		emit_return(g, g->ops->info.verdict_drop);
	bw_emit_place(e, accept);
	store_trace_r7(g);
	if (last)
		emit_accept(g);
	else
		bw_emit_ja(e, next);
}

/* The plan's group starting at rule `rule` of chain `chain`, or NULL. */
static const struct bw_opt_group *group_at(const struct gen *g, uint32_t chain,
					   uint32_t rule)
{
	const struct bw_opt_group *grp =
		g->plan ? bw_opt_group_at(g->plan, chain, rule) : NULL;

	/* a group keyed on a field this hook cannot see (the connect
	 * hooks): its rules one by one, each decided as unseen fields are */
	for (uint32_t i = 0; grp && i < grp->nfield; i++)
		if (!bw_hook_sees(g->ops->fields, grp->field[i]))
			return NULL;
	if (grp && grp->kind == BW_OPT_CLASSIFY && (grp->fields & ~g->ops->fields))
		return NULL;
	return grp;
}

/* The rules of chain ci; false when a rule ended the chain (nothing after
 * it can run). */
static int emit_rules(struct gen *g, const struct bw_ir *ir, uint32_t ci,
		      uint32_t pos, bw_label next, bool last, bool *ended)
{
	const struct bw_ir_chain *ch = &ir->chain[ci];

	*ended = false;
	for (uint32_t i = 0; i < ch->nrule; i++) {
		const struct bw_opt_group *grp = group_at(g, ci, i);
		bool ends = false;
		int err;

		if (grp && grp->kind == BW_OPT_CLASSIFY && grp->nrule &&
		    i + grp->nrule <= ch->nrule) {
			bw_cls_emit(g, ch, grp, next, last);
			i += grp->nrule - 1;
			continue;
		}
		if (grp && grp->nrule && i + grp->nrule <= ch->nrule &&
		    grp->map < g->plan->nmap) {
			emit_group(g, ch, grp, next, last);
			i += grp->nrule - 1;
			continue;
		}
		err = emit_rule(g, ch, &ch->rule[i], pos, next, last, &ends);
		if (err)
			return err;
		if (ends) {
			*ended = true;
			return 0;
		}
	}
	return 0;
}

static void reach(struct gen *g, const struct bw_ir *ir, uint32_t ci);

static void reach_edge(void *arg, uint32_t t, bool jump)
{
	struct gen *g = arg;

	(void)jump;
	if (g->ub[t].reached)
		return;
	g->ub[t].reached = true;
	g->ub[t].start = bw_emit_label(&g->e);
	g->ub[t].ret = bw_emit_label(&g->e);
	reach(g, g->ir, t);
}

/* Mark the user chains base chain ci reaches (jump, goto and vmap
 * targets). */
static void reach(struct gen *g, const struct bw_ir *ir, uint32_t ci)
{
	const struct bw_ir_chain *ch = &ir->chain[ci];

	for (uint32_t r = 0; r < ch->nrule; r++)
		bw_ir_rule_targets(ir, &ch->rule[r], reach_edge, g);
}

/* Mark what returning to site s jumps to as used. */
static void site_used(struct gen *g, const struct usite *s)
{
	if (s->ret_of == BW_RET_POLICY)
		g->policy_used = true;
	else if (s->ret_of >= 0)
		g->ub[s->ret_of].ret_used = true;
}

/*
 * The return dispatch of user chain u: back to the site its slot names.
 * Emitted only when something jumps to it: the verifier refuses code no
 * jump leads to.
 */
static void emit_dispatch(struct gen *g, uint32_t u)
{
	struct bw_emit *e = &g->e;
	const struct ublock *b = &g->ub[u];

	if (!b->ret_used || !b->nsite)
		return;
	bw_emit_place(e, b->ret);
	bw_emit_mark(e, &g->ir->chain[u].loc, 0, "return");
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R10, BW_STK_RET(g->ir->chain[u].depth)));
	for (uint32_t i = 0; i < b->nsite; i++) {
		site_used(g, &b->site[i]);
		if (i + 1 < b->nsite)
			bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, (int32_t)(i + 1), 0),
				    b->site[i].to);
		else
			bw_emit_ja(e, b->site[i].to);
	}
}

/*
 * A base chain at position pos: family filter, rules, policy; then the
 * user chains it reaches, each once, and their return dispatches.
 */
static void emit_policy(struct gen *g, const struct bw_ir_chain *ch,
			bw_label next, bool last)
{
	bw_emit_place(&g->e, g->policy);
	bw_emit_mark(&g->e, &ch->loc, 0, ch->policy == BW_VERDICT_DROP ?
		     "policy drop" : "policy accept");
	bw_cg_emit_verdict(g, ch->policy == BW_VERDICT_DROP ? BW_VERDICT_DROP :
		     BW_VERDICT_ACCEPT, 0, next, last);
}

static int emit_chain(struct gen *g, const struct bw_ir *ir, uint32_t ci,
		      uint32_t pos, bw_label start, bw_label next, bool last)
{
	const struct bw_ir_chain *ch = &ir->chain[ci];
	struct bw_emit *e = &g->e;
	bool ended, uended;
	int err;

	for (uint32_t u = 0; u < ir->nchain; u++) {
		free(g->ub[u].site);
		memset(&g->ub[u], 0, sizeof(g->ub[u]));
	}
	g->policy = bw_emit_label(e);
	g->policy_used = false;
	g->base_hook = ch->hook;
	reach(g, ir, ci);
	bw_emit_place(e, start);
	bw_emit_mark(e, &ch->loc, 0, "chain");
	switch (ch->family) {
	case BW_FAMILY_IP:
	case BW_FAMILY_IP6:
		/* a chain of this family does not see the packet: skip it */
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
		bw_emit(e, bw_jmp32_imm(BPF_JEQ, BW_R1, bw_cg_family_l3(ch->family), 1));
		bw_emit_ja(e, next);
		break;
	case BW_FAMILY_INET:
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
		bw_emit(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 1));
		bw_emit_ja(e, next);
		break;
	case BW_FAMILY_NETDEV:
	case BW_FAMILY_BRIDGE:	/* never here: nf_tables runs them */
	case BW_FAMILY_ARP:
		break;
	}
	g->hoisting = g->opts && g->opts->hoist && pos >= g->opts->hoist_from;
	if (g->hoisting) {
		/* fragments pass: the input hook sees IPv4 ones (and,
		 * with conntrack, IPv6 ones) reassembled */
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, BW_VIEW_FRAG));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 0), next);
	}
	if (g->ct && ch->family != BW_FAMILY_NETDEV) {
		/* a later fragment of a packet this chain accepted whole,
		 * at its first fragment (ct.h) */
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, BW_VIEW_FRAG_OK));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 0), next);
	}
	g->cur = BW_RET_POLICY;
	err = emit_rules(g, ir, ci, pos, next, last, &ended);
	if (err)
		return err;
	if (!ended)		/* the policy follows the rules */
		emit_policy(g, ch, next, last);
	/* the user chains something jumps to: a rule that can never match
	 * at this hook, or never reaches its verdict there, leaves its
	 * target unreached, and the verifier refuses code no jump leads to */
	for (bool more = true; more;) {
		more = false;
		for (uint32_t u = 0; u < ir->nchain; u++) {
			if (!g->ub[u].reached || g->ub[u].emitted ||
			    !g->ub[u].nsite)	/* no jump to it yet */
				continue;
			g->ub[u].emitted = true;
			more = true;
			bw_emit_place(e, g->ub[u].start);
			bw_emit_mark(e, &ir->chain[u].loc, 0, "chain");
			g->cur = (int32_t)u;
			err = emit_rules(g, ir, u, pos, next, last, &uended);
			if (err)
				return err;
			if (!uended)
				bw_emit_ja(e, bw_cg_cur_ret(g));
		}
	}
	/* deepest first: a dispatch may lead to a shallower chain's return */
	for (uint32_t d = BW_CHAIN_DEPTH_MAX; d > 0; d--)
		for (uint32_t u = 0; u < ir->nchain; u++)
			if (g->ub[u].reached && ir->chain[u].depth == d)
				emit_dispatch(g, u);
	if (ended && g->policy_used)	/* only a return or goto leads there */
		emit_policy(g, ch, next, last);
	return 0;
}

static int generate(struct gen *g, const struct bw_ir *ir, const char *ifname)
{
	struct bw_emit *e = &g->e;
	bw_label reason[BW_REASON__MAX], rules = bw_emit_label(e), *start;
	uint32_t *idx, n;
	int err = 0;

	idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*idx));
	start = calloc(ir->nchain + 1, sizeof(*start));
	g->tail = calloc(ir->nchain + 2, sizeof(*g->tail));
	g->tail_used = calloc(ir->nchain + 2, sizeof(*g->tail_used));
	g->ub = calloc(ir->nchain + 1, sizeof(*g->ub));
	if (!idx || !start || !g->tail || !g->tail_used || !g->ub) {
		err = -ENOMEM;
		goto out;
	}
	if (g->opts && g->opts->chains) {
		n = g->opts->nchain <= ir->nchain ? g->opts->nchain : ir->nchain;
		memcpy(idx, g->opts->chains, n * sizeof(*idx));
	} else {
		n = bw_ir_chains_for(ir, g->ops->info.egress, ifname, true, idx);
		n = bw_nfnetdev_bpf_only(ir, idx, n);	/* nf_tables runs those */
	}
	if (g->ops->all_egress)
		for (uint32_t c = 0; c < ir->nchain; c++)
			if (ir->chain[c].hook == BW_CHAIN_EGRESS)
				idx[n++] = c;
	g->nchain = n;
	g->idx = idx;
	for (uint32_t i = 0; i <= n + 1; i++)
		g->tail[i] = bw_emit_label(e);

	for (int r = 0; r < BW_REASON__MAX; r++)
		reason[r] = bw_emit_label(e);
	bw_emit_mark(e, NULL, 0, "prologue");
	g->ops->start(e);
	if (g->ops->packet) {
		bw_prologue_parse(e, g->ops, reason, bw_ir_uses_exthdrs(g->ir));
		bw_emit_ja(e, rules);
		bw_cg_malformed(g, reason);
	}

	bw_emit_place(e, rules);
	bw_cg_loaders(g);
	bw_emit_mark(e, NULL, 0, "rules");
	store_trace(g, 0);
	if (any_counter(ir, idx, n, g->plan)) {
		bw_emit(e, bw_call(BW_HELPER_SMP_PROCESSOR_ID));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, BW_STK_CPU));
		g->cpu_read = true;
	}
	for (uint32_t i = 0; i <= n; i++)
		start[i] = bw_emit_label(e);
	for (uint32_t i = 0; i < n && !err; i++) {
		/* A chain no earlier one lets packets through to (it only
		 * drops) never runs: the verifier refuses code no jump leads
		 * to, so neither it nor the chains after it are emitted.
		 * Accepts jump forward, to the next chain or its counter
		 * tail, so this is known here. */
		if (i && !bw_emit_referenced(e, start[i]) && !g->tail_used[i - 1])
			break;
		err = emit_chain(g, ir, idx[i], i, start[i], start[i + 1],
				 i == n - 1);
	}
	if (!err && (!n || bw_emit_referenced(e, start[n]))) {
		/* reached without a verdict: no chain, or the last chain
		 * accepted (or its family filter skipped the packet) */
		bw_emit_place(e, start[n]);
		bw_emit_mark(e, NULL, 0, "end");
		emit_accept(g);
	}
	if (!err)
		emit_tails(g, start, n);
	if (!err && g->hoist_drop_used) {
		bw_emit_place(e, g->hoist_drop);
		bw_emit_mark(e, NULL, 0, "drop (hoisted)");
		bw_hoist_emit_local(e, BW_STK_SCRATCH, g->ops->info.verdict_accept);
		emit_return(g, g->ops->info.verdict_drop);
	}
	if (!err && g->ct && bw_emit_referenced(e, g->confirm)) {
		bw_emit_place(e, g->confirm);
		bw_emit_mark(e, NULL, 0, "conntrack confirm");
		bw_ct_emit_confirm(e, g->prog, g->ops->info.verdict_accept);
	}
	if (!err && g->deny_used) {
		bw_emit_place(e, g->deny);
		bw_emit_mark(e, NULL, 0, "audit deny");
		g->prog->uses_map[BW_MAP_AUDIT] = true;
		g->prog->uses_map[BW_MAP_REASONS] = true;	/* events lost */
		bw_connect_emit_deny(e, g->enforce);
	}
out:
	for (uint32_t u = 0; g->ub && u < ir->nchain; u++)
		free(g->ub[u].site);
	free(g->ub);
	free(idx);
	free(start);
	free(g->tail);
	free(g->tail_used);
	return err;
}

int bw_codegen(const struct bw_ir *ir, enum bw_hook hook, const char *ifname,
	       const struct bw_codegen_opts *opts, struct bw_diags *d,
	       struct bw_prog **out)
{
	struct gen g = { .ops = bw_hook_ops(hook), .d = d, .ir = ir };
	int err;

	if (!ir || !out || !g.ops)
		return -EINVAL;
	*out = NULL;
	g.opts = opts;
	g.trace = opts && opts->trace;
	g.plan = opts ? opts->plan : NULL;
	g.enforce = opts && opts->enforce;
	g.ifname = ifname;
	g.mac = opts ? opts->mac : NULL;
	g.prog = calloc(1, sizeof(*g.prog));
	if (!g.prog)
		return -ENOMEM;
	g.prog->hook = hook;
	snprintf(g.prog->name, sizeof(g.prog->name), "bw_%s", g.ops->info.name);
	bw_emit_init(&g.e);
	g.deny = bw_emit_label(&g.e);
	g.hoist_drop = bw_emit_label(&g.e);
	g.confirm = bw_emit_label(&g.e);
	g.ct_force = opts ? opts->ct_force : 0;

	err = generate(&g, ir, ifname);
	if (!err)
		err = bw_emit_finish(&g.e);
	if (!err)
		err = bw_cg_check_maps(&g);
	if (err == -E2BIG && d && g.e.err_insn == UINT32_MAX) {
		err = -E2BIG;		/* check_maps() said why */
	} else if ((err == -E2BIG || err == -EFAULT) && d) {
		const struct bw_srcmap_ent *s = NULL;

		for (uint32_t i = 0; i < g.e.nsrcmap; i++)
			if (g.e.srcmap[i].insn <= g.e.err_insn)
				s = &g.e.srcmap[i];
		if (err == -E2BIG)
			bw_error(d, s && s->loc.src ? &s->loc : NULL,
				 "ruleset too large for one %s program (%u instructions)",
				 g.ops->info.name, g.e.ninsn);
		else	/* bw_emit_finish's flow check */
			bw_error(d, s && s->loc.src ? &s->loc : NULL,
				 "internal error: instruction %u of the %s%s program (%s) %s; the kernel would refuse it. This is a bug of bpfwall's code generator: please report it with this rule file",
				 g.e.err_insn, g.ops->info.name,
				 g.trace ? " trace" : "",
				 s && s->what ? s->what : "the code of this rule",
				 g.e.err_why);
	}
	if (err) {
		bw_emit_fini(&g.e);
		bw_prog_free(&g.prog);
		return err;
	}
	g.prog->insn = g.e.insn;
	g.prog->ninsn = g.e.ninsn;
	g.prog->srcmap = g.e.srcmap;
	g.prog->nsrcmap = g.e.nsrcmap;
	g.prog->reloc = g.e.reloc;
	g.prog->nreloc = g.e.nreloc;
	g.e.insn = NULL;
	g.e.srcmap = NULL;
	g.e.reloc = NULL;
	bw_emit_fini(&g.e);
	*out = g.prog;
	return 0;
}

void bw_prog_free(struct bw_prog **p)
{
	if (!p || !*p)
		return;
	free((*p)->insn);
	free((*p)->srcmap);
	free((*p)->reloc);
	free(*p);
	*p = NULL;
}

const struct bw_srcmap_ent *bw_prog_srcmap(const struct bw_prog *p, uint32_t i)
{
	uint32_t lo = 0, hi = p ? p->nsrcmap : 0;

	/* last entry with insn <= i */
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->srcmap[mid].insn <= i)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? &p->srcmap[lo - 1] : NULL;
}
