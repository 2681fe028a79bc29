// SPDX-License-Identifier: GPL-2.0-only
/* The emitter: builders' encodings, labels, fixups, sticky error, gotol. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "compiler/bpf/emit.h"

static void builders(void **s)
{
	struct bpf_insn i;

	i = bw_mov64_imm(BW_R0, -7);
	assert_int_equal(i.code, BPF_ALU64 | BPF_MOV | BPF_K);
	assert_int_equal(i.dst_reg, 0);
	assert_int_equal(i.imm, -7);
	i = bw_alu32_reg(BPF_XOR, BW_R3, BW_R4);
	assert_int_equal(i.code, BPF_ALU | BPF_XOR | BPF_X);
	assert_int_equal(i.dst_reg, 3);
	assert_int_equal(i.src_reg, 4);
	i = bw_be(BW_R2, 16);
	assert_int_equal(i.code, 0xdc);
	assert_int_equal(i.imm, 16);
	i = bw_ldx(BPF_H, BW_R1, BW_R10, -22);
	assert_int_equal(i.code, 0x69);
	assert_int_equal(i.src_reg, 10);
	assert_int_equal(i.off, -22);
	i = bw_stx(BPF_DW, BW_R10, BW_R3, -8);
	assert_int_equal(i.code, 0x7b);
	assert_int_equal(i.dst_reg, 10);
	assert_int_equal(i.src_reg, 3);
	i = bw_st(BPF_W, BW_R10, -4, 9);
	assert_int_equal(i.code, 0x62);
	i = bw_jmp32_imm(BPF_JNE, BW_R1, 0x1600, 3);
	assert_int_equal(i.code, 0x56);
	assert_int_equal(i.off, 3);
	i = bw_jmp_reg(BPF_JGT, BW_R2, BW_R9, -1);
	assert_int_equal(i.code, 0x2d);
	i = bw_gotol(70000);
	assert_int_equal(i.code, 0x06);
	assert_int_equal(i.imm, 70000);
	assert_int_equal(bw_call(1).code, 0x85);
	assert_int_equal(bw_exit().code, 0x95);
}

static void ld_imm64(void **s)
{
	struct bw_emit e;

	bw_emit_init(&e);
	bw_emit_ld_imm64(&e, BW_R5, 0x1122334455667788ull);
	bw_emit_ld_map(&e, BW_R1, 2);
	bw_emit_ld_map_value(&e, BW_R1, 1, 8);
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), 0);
	assert_int_equal(e.ninsn, 7);
	assert_true(bw_insn_is_ld_imm64(&e.insn[0]));
	assert_int_equal((uint32_t)e.insn[0].imm, 0x55667788);
	assert_int_equal((uint32_t)e.insn[1].imm, 0x11223344);
	assert_int_equal(e.insn[1].code, 0);
	assert_int_equal(e.insn[2].src_reg, BPF_PSEUDO_MAP_FD);
	assert_int_equal(e.insn[2].imm, 2);
	assert_int_equal(e.insn[4].src_reg, BPF_PSEUDO_MAP_VALUE);
	assert_int_equal(e.insn[4].imm, 1);
	assert_int_equal(e.insn[5].imm, 8);
	bw_emit_fini(&e);
}

static void labels(void **s)
{
	struct bw_emit e;
	bw_label fwd, back, sub;

	bw_emit_init(&e);
	fwd = bw_emit_label(&e);
	back = bw_emit_label(&e);
	sub = bw_emit_label(&e);
	bw_emit_place(&e, back);				/* 0 */
	bw_emit(&e, bw_mov64_imm(BW_R0, 0));			/* 0 */
	bw_emit_jcc(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 5, 99), fwd);	/* 1 */
	bw_emit_call_label(&e, sub);				/* 2 */
	bw_emit_jcc(&e, bw_jmp32_reg(BPF_JLT, BW_R1, BW_R2, 0), back);	/* 3 */
	bw_emit_ja(&e, fwd);					/* 4 */
	bw_emit_place(&e, fwd);
	bw_emit(&e, bw_exit());					/* 5 */
	bw_emit_place(&e, sub);
	bw_emit(&e, bw_exit());					/* 6 */
	assert_true(bw_emit_placed(&e, fwd));
	assert_int_equal(bw_emit_finish(&e), 0);
	assert_int_equal(e.insn[1].off, 3);
	assert_int_equal(e.insn[1].imm, 5);
	assert_int_equal(e.insn[2].imm, 3);
	assert_int_equal(e.insn[2].src_reg, BPF_PSEUDO_CALL);
	assert_int_equal(e.insn[3].off, -4);
	assert_int_equal(e.insn[4].off, 0);
	assert_int_equal(e.insn[4].code, BPF_JMP | BPF_JA);
	bw_emit_fini(&e);
}

static void sticky(void **s)
{
	struct bw_emit e;
	bw_label l;

	bw_emit_init(&e);
	l = bw_emit_label(&e);
	bw_emit_place(&e, l);
	bw_emit(&e, bw_exit());
	bw_emit_place(&e, l);		/* placed twice: error */
	assert_int_equal(e.err, -EINVAL);
	bw_emit(&e, bw_exit());		/* ignored from now on */
	bw_emit_ld_imm64(&e, BW_R1, 1);
	bw_emit_ja(&e, l);
	assert_int_equal(e.ninsn, 1);
	assert_int_equal(bw_emit_finish(&e), -EINVAL);
	bw_emit_fini(&e);

	/* the first error wins */
	bw_emit_init(&e);
	bw_emit_jcc(&e, bw_call(1), bw_emit_label(&e));	/* not a jump */
	assert_int_equal(e.err, -EINVAL);
	bw_emit_fail(&e, -ENOMEM);
	assert_int_equal(e.err, -EINVAL);
	bw_emit_fini(&e);

	/* an unplaced label fails at finish */
	bw_emit_init(&e);
	bw_emit_ja(&e, bw_emit_label(&e));
	bw_emit(&e, bw_exit());
	assert_int_equal(e.err, 0);
	assert_int_equal(bw_emit_finish(&e), -EINVAL);
	assert_int_equal(e.err_insn, 0);
	bw_emit_fini(&e);

	/* instruction limit */
	bw_emit_init(&e);
	e.max_insn = 3;
	bw_emit(&e, bw_exit());
	bw_emit(&e, bw_exit());
	bw_emit_ld_imm64(&e, BW_R1, 1);	/* would need 2 */
	assert_int_equal(e.err, -E2BIG);
	assert_int_equal(e.ninsn, 2);
	bw_emit_fini(&e);
}

static void long_jumps(void **s)
{
	struct bw_emit e;
	bw_label far;

	/* unconditional: becomes gotol (past code the first jump runs) */
	bw_emit_init(&e);
	far = bw_emit_label(&e);
	bw_emit(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 1));
	bw_emit_ja(&e, far);
	for (int i = 0; i < 40000; i++)
		bw_emit(&e, bw_mov64_imm(BW_R0, i));
	bw_emit_place(&e, far);
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), 0);
	assert_int_equal(e.insn[1].code, BW_GOTOL);
	assert_int_equal(e.insn[1].imm, 40000);
	assert_int_equal(e.insn[1].off, 0);
	bw_emit_fini(&e);

	/* backwards too; exactly INT16_MAX still fits */
	bw_emit_init(&e);
	far = bw_emit_label(&e);
	bw_emit_place(&e, far);
	for (int i = 0; i < 40000; i++)
		bw_emit(&e, bw_mov64_imm(BW_R0, i));
	bw_emit_ja(&e, far);
	assert_int_equal(bw_emit_finish(&e), 0);
	assert_int_equal(e.insn[40000].code, BW_GOTOL);
	assert_int_equal(e.insn[40000].imm, -40001);
	bw_emit_fini(&e);

	bw_emit_init(&e);
	far = bw_emit_label(&e);
	bw_emit_jcc(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), far);
	for (int i = 0; i < INT16_MAX; i++)
		bw_emit(&e, bw_mov64_imm(BW_R0, i));
	bw_emit_place(&e, far);
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), 0);
	assert_int_equal(e.insn[0].off, INT16_MAX);
	bw_emit_fini(&e);

	/* conditional: one more is a hard error, at that instruction */
	bw_emit_init(&e);
	bw_emit(&e, bw_mov64_imm(BW_R1, 0));
	far = bw_emit_label(&e);
	bw_emit_jcc(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), far);
	for (int i = 0; i < INT16_MAX + 1; i++)
		bw_emit(&e, bw_mov64_imm(BW_R0, i));
	bw_emit_place(&e, far);
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), -E2BIG);
	assert_int_equal(e.err_insn, 1);
	bw_emit_fini(&e);
}

/* bw_emit_finish refuses what the verifier's control-flow pass would:
 * code nothing reaches, a path off the end, a jump outside or into an
 * ld_imm64.  The message names the instruction. */
static void flow(void **s)
{
	struct bw_emit e;
	bw_label l, sub;

	/* both edges of a branch, a loop back, a call's subprogram */
	bw_emit_init(&e);
	l = bw_emit_label(&e);
	sub = bw_emit_label(&e);
	bw_emit_place(&e, l);
	bw_emit(&e, bw_mov64_imm(BW_R0, 0));			/* 0 */
	bw_emit_call_label(&e, sub);				/* 1 */
	bw_emit_jcc(&e, bw_jmp_imm(BPF_JEQ, BW_R0, 1, 0), l);	/* 2 */
	bw_emit_ld_imm64(&e, BW_R1, 5);				/* 3, 4 */
	bw_emit(&e, bw_exit());					/* 5 */
	bw_emit_place(&e, sub);
	bw_emit(&e, bw_exit());					/* 6 */
	assert_int_equal(bw_emit_finish(&e), 0);
	bw_emit_fini(&e);

	/* `log drop`'s old shape: the verdict, then the policy */
	bw_emit_init(&e);
	bw_emit(&e, bw_mov64_imm(BW_R0, 1));
	bw_emit(&e, bw_exit());
	bw_emit(&e, bw_mov64_imm(BW_R0, 2));	/* 2: nothing leads here */
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	assert_int_equal(e.err, -EFAULT);
	assert_int_equal(e.err_insn, 2);
	assert_non_null(strstr(e.err_why, "never run"));
	bw_emit_fini(&e);

	/* a subprogram no call names */
	bw_emit_init(&e);
	bw_emit(&e, bw_exit());
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	assert_int_equal(e.err_insn, 1);
	bw_emit_fini(&e);

	/* a path that runs off the end, plain and through an ld_imm64 */
	bw_emit_init(&e);
	bw_emit(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 1));
	bw_emit(&e, bw_exit());
	bw_emit(&e, bw_mov64_imm(BW_R0, 2));	/* 2: the last, no exit */
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	assert_int_equal(e.err_insn, 2);
	assert_non_null(strstr(e.err_why, "past the last"));
	bw_emit_fini(&e);
	bw_emit_init(&e);
	bw_emit_ld_imm64(&e, BW_R1, 5);
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	assert_int_equal(e.err_insn, 0);
	bw_emit_fini(&e);

	/* jumps outside, and into the second half of an ld_imm64 */
	bw_emit_init(&e);
	bw_emit(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 5));
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	assert_int_equal(e.err_insn, 0);
	assert_non_null(strstr(e.err_why, "outside"));
	bw_emit_fini(&e);
	bw_emit_init(&e);
	bw_emit(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, -2));
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	bw_emit_fini(&e);
	bw_emit_init(&e);
	bw_emit(&e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 1));
	bw_emit_ld_imm64(&e, BW_R1, 5);		/* 1, 2: 0 jumps to 2 */
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	assert_int_equal(e.err_insn, 0);
	assert_non_null(strstr(e.err_why, "ld_imm64"));
	bw_emit_fini(&e);

	/* a gotol's target is its imm */
	bw_emit_init(&e);
	bw_emit(&e, bw_gotol(1));
	bw_emit(&e, bw_exit());			/* 1: jumped over */
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), -EFAULT);
	assert_int_equal(e.err_insn, 1);
	bw_emit_fini(&e);

	/* an earlier error stays the one reported */
	bw_emit_init(&e);
	bw_emit_ja(&e, bw_emit_label(&e));
	assert_int_equal(bw_emit_finish(&e), -EINVAL);
	bw_emit_fini(&e);
}

static void srcmap(void **s)
{
	struct bw_src src = { .name = "r.conf", .text = "x\n" };
	struct bw_loc a = { .src = &src, .line = 1, .col = 1 };
	struct bw_loc b = { .src = &src, .line = 2, .col = 1 };
	struct bw_emit e;
	struct bw_prog p = { 0 };

	bw_emit_init(&e);
	bw_emit_mark(&e, NULL, 0, "prologue");
	bw_emit(&e, bw_mov64_imm(BW_R0, 0));
	bw_emit(&e, bw_mov64_imm(BW_R0, 0));
	bw_emit_mark(&e, &a, 7, NULL);
	bw_emit_mark(&e, &b, 8, NULL);	/* empty block before it: replaced */
	bw_emit(&e, bw_mov64_imm(BW_R0, 0));
	bw_emit_mark(&e, NULL, 0, "policy accept");
	bw_emit(&e, bw_exit());
	assert_int_equal(bw_emit_finish(&e), 0);
	assert_int_equal(e.nsrcmap, 3);
	p.srcmap = e.srcmap;
	p.nsrcmap = e.nsrcmap;
	assert_string_equal(bw_prog_srcmap(&p, 1)->what, "prologue");
	assert_int_equal(bw_prog_srcmap(&p, 2)->handle, 8);
	assert_int_equal(bw_prog_srcmap(&p, 2)->loc.line, 2);
	assert_string_equal(bw_prog_srcmap(&p, 3)->what, "policy accept");
	assert_string_equal(bw_prog_srcmap(&p, 100)->what, "policy accept");
	bw_emit_fini(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builders),
		cmocka_unit_test(ld_imm64),
		cmocka_unit_test(labels),
		cmocka_unit_test(flow),
		cmocka_unit_test(sticky),
		cmocka_unit_test(long_jumps),
		cmocka_unit_test(srcmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
