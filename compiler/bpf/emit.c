// SPDX-License-Identifier: GPL-2.0-only
/* The instruction emitter: growing buffer, labels, fixups, source map. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

void bw_emit_init(struct bw_emit *e)
{
	memset(e, 0, sizeof(*e));
}

void bw_emit_fini(struct bw_emit *e)
{
	free(e->insn);
	free(e->label);
	free(e->fix);
	free(e->srcmap);
	free(e->reloc);
	memset(e, 0, sizeof(*e));
}

int bw_emit_fail(struct bw_emit *e, int err)
{
	if (!e->err) {
		e->err = err;
		e->err_insn = e->ninsn;
	}
	return e->err;
}

/* Make room for n more elements of size sz in *buf (capacity *cap). */
static int grow(struct bw_emit *e, void **buf, uint32_t *cap, uint32_t used,
		uint32_t n, size_t sz)
{
	uint32_t ncap;
	void *p;

	if (used + n <= *cap)
		return 0;
	ncap = *cap ? *cap : 64;
	while (ncap < used + n)
		ncap *= 2;
	p = realloc(*buf, (size_t)ncap * sz);
	if (!p)
		return bw_emit_fail(e, -ENOMEM);
	*buf = p;
	*cap = ncap;
	return 0;
}

static uint32_t max_insn(const struct bw_emit *e)
{
	return e->max_insn ? e->max_insn : BW_EMIT_MAX_INSN;
}

void bw_emit(struct bw_emit *e, struct bpf_insn insn)
{
	if (e->err)
		return;
	if (e->ninsn >= max_insn(e)) {
		bw_emit_fail(e, -E2BIG);
		return;
	}
	if (grow(e, (void **)&e->insn, &e->cap, e->ninsn, 1, sizeof(insn)))
		return;
	e->insn[e->ninsn++] = insn;
}

static void emit_pair(struct bw_emit *e, uint8_t dst, uint8_t src,
		      int32_t lo, int32_t hi)
{
	if (e->err)
		return;
	if (e->ninsn + 2 > max_insn(e)) {
		bw_emit_fail(e, -E2BIG);
		return;
	}
	bw_emit(e, bw_ld_imm64_lo(dst, src, lo));
	bw_emit(e, bw_ld_imm64_hi(hi));
}

void bw_emit_ld_imm64(struct bw_emit *e, uint8_t dst, uint64_t v)
{
	emit_pair(e, dst, 0, (int32_t)(uint32_t)v, (int32_t)(uint32_t)(v >> 32));
}

void bw_emit_ld_map(struct bw_emit *e, uint8_t dst, uint32_t map_id)
{
	emit_pair(e, dst, BPF_PSEUDO_MAP_FD, (int32_t)map_id, 0);
}

void bw_emit_ld_map_value(struct bw_emit *e, uint8_t dst, uint32_t map_id,
			  uint32_t off)
{
	emit_pair(e, dst, BPF_PSEUDO_MAP_VALUE, (int32_t)map_id, (int32_t)off);
}

void bw_emit_reloc(struct bw_emit *e, enum bw_reloc_kind kind,
		   const char *name, struct bpf_insn insn)
{
	if (e->err)
		return;
	if (grow(e, (void **)&e->reloc, &e->reloccap, e->nreloc, 1,
		 sizeof(*e->reloc)))
		return;
	e->reloc[e->nreloc++] = (struct bw_reloc){
		.insn = e->ninsn, .kind = (uint8_t)kind, .name = name,
	};
	bw_emit(e, insn);
}

void bw_emit_ldx_field(struct bw_emit *e, uint8_t size, uint8_t dst,
		       uint8_t src, const char *name)
{
	bw_emit_reloc(e, BW_RELOC_FIELD, name, bw_ldx(size, dst, src, 0));
}

void bw_emit_kfunc(struct bw_emit *e, const char *name)
{
	bw_emit_reloc(e, BW_RELOC_KFUNC, name,
		      bw_insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_KFUNC_CALL, 0, 0));
}

void bw_emit_ld_netns_cookie(struct bw_emit *e, uint8_t dst)
{
	if (e->err)
		return;
	if (e->ninsn + 2 > max_insn(e)) {
		bw_emit_fail(e, -E2BIG);
		return;
	}
	bw_emit_reloc(e, BW_RELOC_NETNS_COOKIE, NULL, bw_ld_imm64_lo(dst, 0, 0));
	bw_emit(e, bw_ld_imm64_hi(0));
}

bw_label bw_emit_label(struct bw_emit *e)
{
	if (e->err)
		return 0;
	if (grow(e, (void **)&e->label, &e->labcap, e->nlabel, 1,
		 sizeof(*e->label)))
		return 0;
	e->label[e->nlabel] = -1;
	return e->nlabel++;
}

void bw_emit_place(struct bw_emit *e, bw_label l)
{
	if (e->err)
		return;
	if (l >= e->nlabel || e->label[l] >= 0) {
		bw_emit_fail(e, -EINVAL);
		return;
	}
	e->label[l] = e->ninsn;
}

bool bw_emit_placed(const struct bw_emit *e, bw_label l)
{
	return l < e->nlabel && e->label[l] >= 0;
}

bool bw_emit_referenced(const struct bw_emit *e, bw_label l)
{
	for (uint32_t i = 0; i < e->nfix; i++)
		if (e->fix[i].label == l)
			return true;
	return false;
}

static void add_fixup(struct bw_emit *e, bw_label l)
{
	if (e->err)
		return;
	if (l >= e->nlabel) {
		bw_emit_fail(e, -EINVAL);
		return;
	}
	if (grow(e, (void **)&e->fix, &e->fixcap, e->nfix, 1, sizeof(*e->fix)))
		return;
	e->fix[e->nfix].insn = e->ninsn;
	e->fix[e->nfix].label = l;
	e->nfix++;
}

void bw_emit_jcc(struct bw_emit *e, struct bpf_insn tmpl, bw_label l)
{
	uint8_t cls = BPF_CLASS(tmpl.code), op = BPF_OP(tmpl.code);

	if (e->err)
		return;
	if ((cls != BPF_JMP && cls != BPF_JMP32) || op == BPF_CALL ||
	    op == BPF_EXIT) {
		bw_emit_fail(e, -EINVAL);
		return;
	}
	add_fixup(e, l);
	tmpl.off = 0;
	bw_emit(e, tmpl);
}

void bw_emit_ja(struct bw_emit *e, bw_label l)
{
	add_fixup(e, l);
	bw_emit(e, bw_ja(0));
}

void bw_emit_call_label(struct bw_emit *e, bw_label l)
{
	add_fixup(e, l);
	bw_emit(e, bw_insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 0));
}

void bw_emit_mark(struct bw_emit *e, const struct bw_loc *loc,
		  uint32_t handle, const char *what)
{
	struct bw_srcmap_ent *s;

	if (e->err)
		return;
	if (e->nsrcmap && e->srcmap[e->nsrcmap - 1].insn == e->ninsn) {
		s = &e->srcmap[e->nsrcmap - 1];	/* empty block: replace */
	} else {
		if (grow(e, (void **)&e->srcmap, &e->srccap, e->nsrcmap, 1,
			 sizeof(*e->srcmap)))
			return;
		s = &e->srcmap[e->nsrcmap++];
	}
	memset(s, 0, sizeof(*s));
	s->insn = e->ninsn;
	if (loc)
		s->loc = *loc;
	s->handle = handle;
	s->what = what;
}

int bw_emit_finish(struct bw_emit *e)
{
	if (e->err)
		return e->err;
	for (uint32_t i = 0; i < e->nfix; i++) {
		const struct bw_fixup *f = &e->fix[i];
		struct bpf_insn *in = &e->insn[f->insn];
		int64_t off;

		if (e->label[f->label] < 0) {
			bw_emit_fail(e, -EINVAL);
			e->err_insn = f->insn;
			return e->err;
		}
		off = e->label[f->label] - ((int64_t)f->insn + 1);
		if (in->code == (BPF_JMP | BPF_CALL)) {
			in->imm = (int32_t)off;
			continue;
		}
		if (off >= INT16_MIN && off <= INT16_MAX) {
			in->off = (int16_t)off;
			continue;
		}
		if (in->code == (BPF_JMP | BPF_JA)) {
			*in = bw_gotol((int32_t)off);
			continue;
		}
		bw_emit_fail(e, -E2BIG);
		e->err_insn = f->insn;
		return e->err;
	}
	e->err = bw_emit_check_flow(e->insn, e->ninsn, &e->err_insn,
				    &e->err_why);
	return e->err;
}

/* Where instruction i goes besides the next one: *target (a jump's or a
 * BPF-to-BPF call's), returns whether it has one; *falls: whether it
 * may go on with the next instruction. */
static bool flow_target(const struct bpf_insn *in, uint32_t i, int64_t *target,
			bool *falls)
{
	uint8_t cls = BPF_CLASS(in->code), op = BPF_OP(in->code);

	*falls = true;
	if (cls != BPF_JMP && cls != BPF_JMP32)
		return false;
	switch (op) {
	case BPF_EXIT:
		*falls = false;
		return false;
	case BPF_CALL:
		*target = (int64_t)i + 1 + in->imm;
		return in->src_reg == BPF_PSEUDO_CALL;
	case BPF_JA:
		*falls = false;
		*target = (int64_t)i + 1 + (cls == BPF_JMP32 ? in->imm : in->off);
		return true;
	default:
		*target = (int64_t)i + 1 + in->off;
		return true;
	}
}

enum { REACHED = 1, IMM64_TAIL = 2, QUEUED = 4 };

int bw_emit_check_flow(const struct bpf_insn *insn, uint32_t n, uint32_t *at,
		       const char **why)
{
	uint8_t *seen = calloc(n ? n : 1, 1);
	uint32_t *todo = malloc((n ? n : 1) * sizeof(*todo)), ntodo = 0;
	int err = 0;

	if (!seen || !todo) {
		free(seen);
		free(todo);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i + 1 < n; i++)
		if (bw_insn_is_ld_imm64(&insn[i]))
			seen[++i] = IMM64_TAIL;
	if (n) {
		todo[ntodo++] = 0;
		seen[0] |= QUEUED;
	}
	/* each instruction is queued at most once: todo never overflows */
	while (ntodo && !err) {
		uint32_t i = todo[--ntodo];

		for (;;) {
			bool falls, wide = bw_insn_is_ld_imm64(&insn[i]);
			int64_t t;

			seen[i] |= REACHED | QUEUED;
			*at = i;
			if (flow_target(&insn[i], i, &t, &falls)) {
				if (t < 0 || t >= n || (seen[t] & IMM64_TAIL)) {
					*why = "jumps outside the program or into an ld_imm64";
					err = -EFAULT;
					break;
				}
				if (!(seen[t] & QUEUED)) {
					seen[t] |= QUEUED;
					todo[ntodo++] = (uint32_t)t;
				}
			}
			if (!falls)
				break;
			if (i + (wide ? 2u : 1u) >= n) {
				*why = "runs past the last instruction";
				err = -EFAULT;
				break;
			}
			i += wide ? 2 : 1;
			if (seen[i] & QUEUED)	/* reached, or will be */
				break;
		}
	}
	for (uint32_t i = 0; i < n && !err; i++)
		if (!seen[i]) {
			*at = i;
			*why = "can never run (no jump or fall-through leads to it)";
			err = -EFAULT;
		}
	free(seen);
	free(todo);
	return err;
}
