/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A check of generated programs for the tests: no path reads a stack
 * byte it has not written.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "compiler/bpf/codegen.h"

/*
 * Stack bytes a program reads (ldx from r10) that some path from its
 * start has not written: a must-written set of the 512 stack bytes per
 * instruction, met by intersection over the jumps.  Privileged loads
 * let a program read uninitialised stack (the kernel does not refuse
 * it), and what it then reads is whatever an earlier program left
 * there.  Returns the first such instruction, -1 if none, -2 if the
 * program is not one this walk knows (a bpf-to-bpf call, a jump out of
 * it) or memory ran out.
 */
#define BW_T_STK_WORDS 8
static inline int64_t bw_t_uninit_stack_read(const struct bw_prog *prog)
{
	uint32_t n = prog->ninsn, *work = malloc((n + 1) * sizeof(*work));
	uint64_t (*in)[BW_T_STK_WORDS] = malloc((n + 1) * sizeof(*in));
	bool *queued = calloc(n + 1, sizeof(*queued));
	bool *seen = calloc(n + 1, sizeof(*seen));
	uint32_t nwork = 0;
	int64_t bad = -1;

	if (!work || !in || !queued || !seen)
		bad = -2;
	if (bad == -1 && n) {
		memset(in, 0xff, (n + 1) * sizeof(*in));	/* not reached: all */
		memset(in[0], 0, sizeof(in[0]));
		work[nwork++] = 0;
		queued[0] = seen[0] = true;
	}
	while (nwork && bad == -1) {
		uint32_t i = work[--nwork], succ[2], nsucc = 0;
		const struct bpf_insn *x = &prog->insn[i];
		uint8_t cls = BPF_CLASS(x->code), op = BPF_OP(x->code);
		uint64_t st[BW_T_STK_WORDS];
		int size = BPF_SIZE(x->code) == BPF_DW ? 8 :
			   BPF_SIZE(x->code) == BPF_W ? 4 :
			   BPF_SIZE(x->code) == BPF_H ? 2 : 1;

		queued[i] = false;
		memcpy(st, in[i], sizeof(st));
		if (cls == BPF_LDX && BPF_MODE(x->code) == BPF_MEM &&
		    x->src_reg == BPF_REG_10) {
			for (int b = x->off; b < x->off + size; b++)
				if (b < -512 || b >= 0 ||
				    !(st[(b + 512) / 64] >> ((b + 512) % 64) & 1))
					bad = i;
		}
		if ((cls == BPF_STX || cls == BPF_ST) &&
		    BPF_MODE(x->code) == BPF_MEM && x->dst_reg == BPF_REG_10)
			for (int b = x->off; b < x->off + size; b++)
				if (b >= -512 && b < 0)
					st[(b + 512) / 64] |= UINT64_C(1) << ((b + 512) % 64);
		if (cls == BPF_LD && BPF_MODE(x->code) == BPF_IMM) {
			succ[nsucc++] = i + 2;
		} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_EXIT) {
			/* no successor */
		} else if ((cls == BPF_JMP || cls == BPF_JMP32) && op == BPF_CALL) {
			if (x->src_reg == BPF_PSEUDO_CALL)
				bad = -2;
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
			seen[s] = true;
			for (int w = 0; w < BW_T_STK_WORDS; w++) {
				uint64_t m = in[s][w] & st[w];

				changed |= m != in[s][w];
				in[s][w] = m;
			}
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
