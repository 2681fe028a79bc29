/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A check of generated programs for the tests: no path reads a stack
 * byte it has not written.  The walk is not path sensitive: a read that
 * only an impossible path reaches unwritten is reported too (e.g. the
 * return dispatch of a user chain another user chain goes to: the slot
 * a goto leaves unwritten is read only after a jump wrote it), so it
 * checks programs of rulesets that do not have such paths (those of
 * the classifier's tests: no report on 3,300 mixgen rulesets).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "compiler/bpf/codegen.h"

/* What the walk knows of a register: nothing, a constant, or the frame
 * pointer plus a constant (a pointer into the stack). */
struct bw_t_reg {
	uint8_t kind;			/* 0 unknown, 1 constant, 2 r10 + v */
	int64_t v;
};

struct bw_t_stk {
	uint64_t w[8];			/* stack byte -512 + i written */
	struct bw_t_reg r[11];
};

static inline void bw_t_stk_mark(struct bw_t_stk *st, int64_t off, int64_t len)
{
	for (int64_t b = off; b < off + len; b++)
		if (b >= -512 && b < 0)
			st->w[(b + 512) / 64] |= UINT64_C(1) << ((b + 512) % 64);
}

/* The helpers that write through a pointer argument (to the stack, in
 * our programs): which argument, and which one holds the length. */
static inline void bw_t_helper_writes(struct bw_t_stk *st, int32_t id)
{
	static const struct { int32_t id; uint8_t ptr, len; } h[] = {
		{ BPF_FUNC_get_current_comm, 1, 2 },
		{ BPF_FUNC_skb_load_bytes, 3, 4 },
		{ BPF_FUNC_skb_load_bytes_relative, 3, 4 },
		{ BPF_FUNC_fib_lookup, 2, 3 },		/* the params, in and out */
		{ BPF_FUNC_probe_read_user, 1, 2 },
		{ BPF_FUNC_probe_read_kernel, 1, 2 },
		{ BPF_FUNC_xdp_load_bytes, 3, 4 },
		{ BPF_FUNC_dynptr_from_mem, 4, 0 },	/* the dynptr: 16 bytes */
		{ BPF_FUNC_ringbuf_reserve_dynptr, 4, 0 },
		{ BPF_FUNC_dynptr_read, 1, 2 },
	};

	for (unsigned i = 0; i < sizeof(h) / sizeof(h[0]); i++) {
		const struct bw_t_reg *p, *l;

		if (h[i].id != id)
			continue;
		p = &st->r[h[i].ptr];
		l = h[i].len ? &st->r[h[i].len] : NULL;
		if (p->kind == 2 && (!l || l->kind == 1))
			bw_t_stk_mark(st, p->v, l ? l->v : 16);
	}
}

/*
 * Stack bytes a program reads (ldx from r10, or from a register that
 * holds r10 plus a constant) that some path from its start has not
 * written (a store, or a helper that writes through a pointer to the
 * stack): a must-written set of the 512 stack bytes per instruction,
 * met by intersection over the jumps.  Privileged loads let a program
 * read uninitialised stack (the kernel does not refuse it), and what it
 * then reads is whatever an earlier program left there.  Returns the
 * first such instruction, -1 if none, -2 if the program is not one this
 * walk knows (a bpf-to-bpf call, a jump out of it) or memory ran out.
 */
static inline int64_t bw_t_uninit_stack_read(const struct bw_prog *prog)
{
	uint32_t n = prog->ninsn, *work = malloc((n + 1) * sizeof(*work));
	struct bw_t_stk *in = malloc((n + 1) * sizeof(*in));
	bool *queued = calloc(n + 1, sizeof(*queued));
	bool *seen = calloc(n + 1, sizeof(*seen));
	uint32_t nwork = 0;
	int64_t bad = -1;

	if (!work || !in || !queued || !seen)
		bad = -2;
	if (bad == -1 && n) {
		memset(&in[0], 0, sizeof(in[0]));
		in[0].r[10].kind = 2;
		work[nwork++] = 0;
		queued[0] = seen[0] = true;
	}
	while (nwork && bad == -1) {
		uint32_t i = work[--nwork], succ[2], nsucc = 0;
		const struct bpf_insn *x = &prog->insn[i];
		uint8_t cls = BPF_CLASS(x->code), op = BPF_OP(x->code);
		struct bw_t_stk st = in[i];
		struct bw_t_reg *d = &st.r[x->dst_reg % 11];
		const struct bw_t_reg *sr = &st.r[x->src_reg % 11];
		int size = BPF_SIZE(x->code) == BPF_DW ? 8 :
			   BPF_SIZE(x->code) == BPF_W ? 4 :
			   BPF_SIZE(x->code) == BPF_H ? 2 : 1;

		queued[i] = false;
		if (cls == BPF_LDX && BPF_MODE(x->code) == BPF_MEM &&
		    sr->kind == 2) {
			for (int64_t b = sr->v + x->off; b < sr->v + x->off + size; b++)
				if (b < -512 || b >= 0 ||
				    !(st.w[(b + 512) / 64] >> ((b + 512) % 64) & 1))
					bad = i;
		}
		if ((cls == BPF_STX || cls == BPF_ST) &&
		    BPF_MODE(x->code) == BPF_MEM && d->kind == 2)
			bw_t_stk_mark(&st, d->v + x->off, size);
		/* the registers */
		if (cls == BPF_ALU64 && op == BPF_MOV && BPF_SRC(x->code) == BPF_K) {
			d->kind = 1;
			d->v = x->imm;
		} else if (cls == BPF_ALU64 && op == BPF_MOV && x->off == 0) {
			*d = *sr;
		} else if (cls == BPF_ALU64 && (op == BPF_ADD || op == BPF_SUB) &&
			   BPF_SRC(x->code) == BPF_K && d->kind) {
			d->v += op == BPF_ADD ? x->imm : -(int64_t)x->imm;
		} else if (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_LDX ||
			   (cls == BPF_LD && x->dst_reg < 11)) {
			d->kind = 0;
		} else if ((cls == BPF_STX && BPF_MODE(x->code) == BPF_ATOMIC &&
			    (x->imm & BPF_FETCH))) {
			st.r[x->imm == BPF_CMPXCHG ? 0 : x->src_reg % 11].kind = 0;
		}
		if (cls == BPF_LD && BPF_MODE(x->code) == BPF_IMM) {
			succ[nsucc++] = i + 2;
		} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_EXIT) {
			/* no successor */
		} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_CALL) {
			if (x->src_reg == BPF_PSEUDO_CALL)
				bad = -2;
			else
				bw_t_helper_writes(&st, x->imm);
			for (int r = 0; r <= 5; r++)
				st.r[r].kind = 0;
			succ[nsucc++] = i + 1;
		} else if (cls == BPF_JMP && op == BPF_JA) {
			succ[nsucc++] = (uint32_t)((int64_t)i + 1 + x->off);
		} else if (cls == BPF_JMP32 && op == BPF_JA) {
			succ[nsucc++] = (uint32_t)((int64_t)i + 1 + x->imm);
		} else if (cls == BPF_JMP || cls == BPF_JMP32) {
			succ[nsucc++] = i + 1;
			succ[nsucc++] = (uint32_t)((int64_t)i + 1 + x->off);
		} else {
			succ[nsucc++] = i + 1;
		}
		for (uint32_t k = 0; k < nsucc; k++) {
			uint32_t s = succ[k];
			bool changed;

			if (s >= n) {
				bad = -2;
				break;
			}
			changed = !seen[s];
			if (!seen[s]) {
				in[s] = st;
			} else {
				for (int w = 0; w < 8; w++) {
					uint64_t m = in[s].w[w] & st.w[w];

					changed |= m != in[s].w[w];
					in[s].w[w] = m;
				}
				for (int r = 0; r < 11; r++)
					if (in[s].r[r].kind &&
					    (in[s].r[r].kind != st.r[r].kind ||
					     in[s].r[r].v != st.r[r].v)) {
						in[s].r[r].kind = 0;
						changed = true;
					}
			}
			seen[s] = true;
			if (changed && !queued[s]) {
				queued[s] = true;
				work[nwork++] = s;
			}
		}
	}
	free(work);
	free(in);
	free(queued);
	free(seen);
	return bad;
}
