/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Instruction builders and the emitter.
 *
 * Builders are small typed functions over the uapi opcodes of <linux/bpf.h>;
 * each returns one struct bpf_insn (ld_imm64, two instructions wide, has its
 * own emit functions).  The emitter appends instructions with a STICKY error:
 * after the first failure (out of memory, bad label) every later call does
 * nothing, so generators emit in straight lines and check bw_emit_finish()
 * once at the end.  No macro here hides a return.
 *
 * Labels: bw_emit_label() makes one, bw_emit_place() binds it to the next
 * instruction, bw_emit_jmp*() emit a jump to it; offsets are filled in by
 * bw_emit_finish().  A conditional jump whose offset does not fit 16 bits is
 * a hard error (-E2BIG); an unconditional one becomes the 32-bit `gotol`
 * (BPF_JMP32 | BPF_JA, offset in imm).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "codegen.h"

/* BPF_JMP32 | BPF_JA: imm holds the offset (kernel >= 6.6). */
#define BW_GOTOL	(BPF_JMP32 | BPF_JA)

enum bw_reg { BW_R0, BW_R1, BW_R2, BW_R3, BW_R4, BW_R5, BW_R6, BW_R7, BW_R8,
	      BW_R9, BW_R10 };

static inline struct bpf_insn bw_insn(uint8_t code, uint8_t dst, uint8_t src,
				      int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src,
			      .off = off, .imm = imm };
	return i;
}

/* ALU: op is BPF_ADD, BPF_AND, BPF_MOV, ... */
static inline struct bpf_insn bw_alu64_imm(uint8_t op, uint8_t dst, int32_t imm)
{
	return bw_insn(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}

static inline struct bpf_insn bw_alu64_reg(uint8_t op, uint8_t dst, uint8_t src)
{
	return bw_insn(BPF_ALU64 | op | BPF_X, dst, src, 0, 0);
}

static inline struct bpf_insn bw_alu32_imm(uint8_t op, uint8_t dst, int32_t imm)
{
	return bw_insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm);
}

static inline struct bpf_insn bw_alu32_reg(uint8_t op, uint8_t dst, uint8_t src)
{
	return bw_insn(BPF_ALU | op | BPF_X, dst, src, 0, 0);
}

static inline struct bpf_insn bw_mov64_imm(uint8_t dst, int32_t imm)
{
	return bw_alu64_imm(BPF_MOV, dst, imm);
}

static inline struct bpf_insn bw_mov64_reg(uint8_t dst, uint8_t src)
{
	return bw_alu64_reg(BPF_MOV, dst, src);
}

static inline struct bpf_insn bw_mov32_imm(uint8_t dst, int32_t imm)
{
	return bw_alu32_imm(BPF_MOV, dst, imm);
}

static inline struct bpf_insn bw_mov32_reg(uint8_t dst, uint8_t src)
{
	return bw_alu32_reg(BPF_MOV, dst, src);
}

/* Network (big-endian) bytes loaded as a host number -> numeric value:
 * BPF_END | BPF_TO_BE, width 16, 32 or 64 (upper bits cleared). */
static inline struct bpf_insn bw_be(uint8_t dst, int32_t bits)
{
	return bw_insn(BPF_ALU | BPF_END | BPF_TO_BE, dst, 0, 0, bits);
}

/* Memory: size is BPF_B, BPF_H, BPF_W, BPF_DW. */
static inline struct bpf_insn bw_ldx(uint8_t size, uint8_t dst, uint8_t src,
				     int16_t off)
{
	return bw_insn(BPF_LDX | BPF_MEM | size, dst, src, off, 0);
}

static inline struct bpf_insn bw_stx(uint8_t size, uint8_t dst, uint8_t src,
				     int16_t off)
{
	return bw_insn(BPF_STX | BPF_MEM | size, dst, src, off, 0);
}

static inline struct bpf_insn bw_st(uint8_t size, uint8_t dst, int16_t off,
				    int32_t imm)
{
	return bw_insn(BPF_ST | BPF_MEM | size, dst, 0, off, imm);
}

/* r0 = *(dst + off); if it was r0 (before), *(dst + off) = src. */
static inline struct bpf_insn bw_cmpxchg64(uint8_t dst, uint8_t src, int16_t off)
{
	return bw_insn(BPF_STX | BPF_ATOMIC | BPF_DW, dst, src, off, BPF_CMPXCHG);
}

/* Jumps with a known offset (use the label forms in generators). */
static inline struct bpf_insn bw_jmp_imm(uint8_t op, uint8_t dst, int32_t imm,
					 int16_t off)
{
	return bw_insn(BPF_JMP | op | BPF_K, dst, 0, off, imm);
}

static inline struct bpf_insn bw_jmp_reg(uint8_t op, uint8_t dst, uint8_t src,
					 int16_t off)
{
	return bw_insn(BPF_JMP | op | BPF_X, dst, src, off, 0);
}

static inline struct bpf_insn bw_jmp32_imm(uint8_t op, uint8_t dst, int32_t imm,
					   int16_t off)
{
	return bw_insn(BPF_JMP32 | op | BPF_K, dst, 0, off, imm);
}

static inline struct bpf_insn bw_jmp32_reg(uint8_t op, uint8_t dst, uint8_t src,
					   int16_t off)
{
	return bw_insn(BPF_JMP32 | op | BPF_X, dst, src, off, 0);
}

static inline struct bpf_insn bw_ja(int16_t off)
{
	return bw_insn(BPF_JMP | BPF_JA, 0, 0, off, 0);
}

static inline struct bpf_insn bw_gotol(int32_t off)
{
	return bw_insn(BW_GOTOL, 0, 0, 0, off);
}

static inline struct bpf_insn bw_call(int32_t helper)
{
	return bw_insn(BPF_JMP | BPF_CALL, 0, 0, 0, helper);
}

static inline struct bpf_insn bw_exit(void)
{
	return bw_insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

/* The two halves of ld_imm64 (src: 0, BPF_PSEUDO_MAP_FD, _VALUE). */
static inline struct bpf_insn bw_ld_imm64_lo(uint8_t dst, uint8_t src,
					     int32_t imm)
{
	return bw_insn(BPF_LD | BPF_IMM | BPF_DW, dst, src, 0, imm);
}

static inline struct bpf_insn bw_ld_imm64_hi(int32_t imm)
{
	return bw_insn(0, 0, 0, 0, imm);
}

static inline bool bw_insn_is_ld_imm64(const struct bpf_insn *i)
{
	return i->code == (BPF_LD | BPF_IMM | BPF_DW);
}

/* ---------------------------------------------------------------- emitter */

typedef uint32_t bw_label;

struct bw_fixup {
	uint32_t insn;
	bw_label label;
};

struct bw_emit {
	struct bpf_insn *insn;
	uint32_t ninsn, cap;
	int err;			/* sticky: first -errno, 0 if none */
	uint32_t err_insn;		/* where it happened */
	const char *err_why;		/* -EFAULT: what is wrong there */
	int64_t *label;			/* label -> insn index, -1 unplaced */
	uint32_t nlabel, labcap;
	struct bw_fixup *fix;
	uint32_t nfix, fixcap;
	struct bw_srcmap_ent *srcmap;
	uint32_t nsrcmap, srccap;
	struct bw_reloc *reloc;
	uint32_t nreloc, reloccap;
	uint32_t max_insn;		/* 0: BW_EMIT_MAX_INSN */
};

#define BW_EMIT_MAX_INSN	(1u << 20)

void bw_emit_init(struct bw_emit *e);
void bw_emit_fini(struct bw_emit *e);

/* Record the first error; later calls do nothing.  Returns e->err. */
int bw_emit_fail(struct bw_emit *e, int err);

void bw_emit(struct bw_emit *e, struct bpf_insn insn);
void bw_emit_ld_imm64(struct bw_emit *e, uint8_t dst, uint64_t v);
/* r = &map (BPF_PSEUDO_MAP_FD, imm = map id placeholder). */
void bw_emit_ld_map(struct bw_emit *e, uint8_t dst, uint32_t map_id);
/* r = &map value + off (BPF_PSEUDO_MAP_VALUE, key 0). */
void bw_emit_ld_map_value(struct bw_emit *e, uint8_t dst, uint32_t map_id,
			  uint32_t off);

/* insn, whose field the runtime patches (struct bw_reloc); name is a
 * static string. */
void bw_emit_reloc(struct bw_emit *e, enum bw_reloc_kind kind,
		   const char *name, struct bpf_insn insn);
/* dst = *(size *)(src + offset of member name) (BW_RELOC_FIELD). */
void bw_emit_ldx_field(struct bw_emit *e, uint8_t size, uint8_t dst,
		       uint8_t src, const char *name);
/* Call kernel function name (BW_RELOC_KFUNC). */
void bw_emit_kfunc(struct bw_emit *e, const char *name);
/* dst = the cookie of the network namespace the program is loaded for. */
void bw_emit_ld_netns_cookie(struct bw_emit *e, uint8_t dst);

bw_label bw_emit_label(struct bw_emit *e);
void bw_emit_place(struct bw_emit *e, bw_label l);
/* Is l placed; its instruction index (valid once placed). */
bool bw_emit_placed(const struct bw_emit *e, bw_label l);
/* Has a jump to l been emitted yet? */
bool bw_emit_referenced(const struct bw_emit *e, bw_label l);

/* Conditional jump: a jmp/jmp32 template (bw_jmp_imm(...) etc.) whose
 * offset is filled in from the label. */
void bw_emit_jcc(struct bw_emit *e, struct bpf_insn tmpl, bw_label l);
/* Unconditional jump; becomes gotol when the offset needs it. */
void bw_emit_ja(struct bw_emit *e, bw_label l);
/* BPF-to-BPF call of the subprogram starting at l (offset in imm). */
void bw_emit_call_label(struct bw_emit *e, bw_label l);

/* Source map: the instructions from here on belong to loc/handle/what. */
void bw_emit_mark(struct bw_emit *e, const struct bw_loc *loc,
		  uint32_t handle, const char *what);

/*
 * Resolve every fixup, then check the control flow as the verifier's
 * first pass does: every instruction is reached from the first (jumps,
 * fall-through, BPF-to-BPF calls), no jump leaves the program or lands
 * inside an ld_imm64, and no path runs past the last instruction.  A
 * program that fails this is a bug of the code generator, never of the
 * rules: -EFAULT, with err_insn the first such instruction and err_why
 * saying what is wrong ("can never run", ...).  Returns 0 or the sticky
 * error.
 */
int bw_emit_finish(struct bw_emit *e);

/* The same check alone, on any instruction array (0 or -EFAULT with
 * *at and *why set). */
int bw_emit_check_flow(const struct bpf_insn *insn, uint32_t n, uint32_t *at,
		       const char **why);
