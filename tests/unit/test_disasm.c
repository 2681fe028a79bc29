// SPDX-License-Identifier: GPL-2.0-only
/*
 * Disassembler: one line per instruction kind, then golden files of whole
 * programs (the .dis files in tests/golden).  BW_GOLDEN_UPDATE=1 rewrites the goldens
 * (review the diff before committing it).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "compiler/bpf/codegen.h"
#include "compiler/bpf/emit.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/compile.h"
#include "grammar/diag.h"
#include "tests/lib/golden.h"

#ifndef BW_GOLDEN_DIR
#define BW_GOLDEN_DIR "tests/golden"
#endif

static void one(struct bpf_insn i, const char *want)
{
	char buf[128];

	assert_int_equal(bw_disasm_insn(&i, 1, buf, sizeof(buf)), 1);
	assert_string_equal(buf, want);
}

static void insns(void **s)
{
	struct bpf_insn ld[2];
	char buf[128];

	one(bw_ldx(BPF_H, BW_R1, BW_R10, -22), "r1 = *(u16 *)(r10 -22)");
	one(bw_ldx(BPF_DW, BW_R3, BW_R1, 8), "r3 = *(u64 *)(r1 +8)");
	one(bw_stx(BPF_B, BW_R10, BW_R5, -90), "*(u8 *)(r10 -90) = r5");
	one(bw_st(BPF_W, BW_R10, -112, 7), "*(u32 *)(r10 -112) = 7");
	one(bw_insn(BPF_STX | BPF_ATOMIC | BPF_DW, 0, 1, 0, BPF_ADD),
	    "lock *(u64 *)(r0 +0) += r1");
	one(bw_mov64_imm(BW_R0, 2), "r0 = 2");
	one(bw_mov64_reg(BW_R6, BW_R1), "r6 = r1");
	one(bw_mov32_imm(BW_R5, -1), "w5 = -1");
	one(bw_alu64_imm(BPF_ADD, BW_R2, -112), "r2 += -112");
	one(bw_alu32_imm(BPF_AND, BW_R1, 0x1fff), "w1 &= 0x1fff");
	one(bw_alu64_imm(BPF_RSH, BW_R0, 63), "r0 >>= 63");
	one(bw_alu64_reg(BPF_SUB, BW_R0, BW_R8), "r0 -= r8");
	one(bw_alu32_reg(BPF_XOR, BW_R1, BW_R2), "w1 ^= w2");
	one(bw_alu64_imm(BPF_NEG, BW_R5, 0), "r5 = -r5");
	one(bw_alu64_imm(BPF_ARSH, BW_R5, 3), "r5 s>>= 3");
	one(bw_be(BW_R1, 16), "r1 = be16 r1");
	one(bw_insn(BPF_ALU64 | BPF_END, 2, 0, 0, 32), "r2 = bswap32 r2");
	one(bw_jmp32_imm(BPF_JNE, BW_R1, 0x1600, 3), "if w1 != 0x1600 goto +3");
	one(bw_jmp_imm(BPF_JEQ, BW_R0, 0, -4), "if r0 == 0x0 goto -4");
	one(bw_jmp_reg(BPF_JGT, BW_R2, BW_R9, 7), "if r2 > r9 goto +7");
	one(bw_jmp32_imm(BPF_JSET, BW_R2, 0x3fff, 1), "if w2 & 0x3fff goto +1");
	one(bw_jmp_imm(BPF_JSLT, BW_R2, -1, 1), "if r2 s< 0xffffffff goto +1");
	one(bw_ja(5), "goto +5");
	one(bw_gotol(70000), "gotol +70000");
	one(bw_call(1), "call bpf_map_lookup_elem#1");
	one(bw_call(26), "call bpf_skb_load_bytes#26");
	one(bw_call(9999), "call #9999");
	one(bw_insn(BPF_JMP | BPF_CALL, 0, BPF_PSEUDO_CALL, 0, 12), "call pc+12");
	one(bw_exit(), "exit");

	ld[0] = bw_ld_imm64_lo(BW_R1, BPF_PSEUDO_MAP_FD, BW_MAP_COUNTERS);
	ld[1] = bw_ld_imm64_hi(0);
	assert_int_equal(bw_disasm_insn(ld, 2, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "r1 = map[id:counters]");
	ld[0] = bw_ld_imm64_lo(BW_R1, BPF_PSEUDO_MAP_VALUE, BW_MAP_TRACE);
	assert_int_equal(bw_disasm_insn(ld, 2, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "r1 = map[id:trace][0]+0");
	ld[0] = bw_ld_imm64_lo(BW_R5, 0, 0x55667788);
	ld[1] = bw_ld_imm64_hi(0x11223344);
	assert_int_equal(bw_disasm_insn(ld, 2, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "r5 = 0x1122334455667788 ll");
	/* a cut ld_imm64 is reported, not read past */
	assert_int_equal(bw_disasm_insn(ld, 1, buf, sizeof(buf)), 1);
	assert_non_null(strstr(buf, "truncated"));
	/* nonsense opcodes do not crash */
	one(bw_insn(BPF_ALU64 | 0xe0, 1, 0, 0, 0), "(e7) invalid alu op");
}

/* ------------------------------------------------------------ goldens */

static const char rules_text[] =
	"table netdev edge {\n"
	"\tchain ingress {\n"
	"\t\ttype filter hook ingress device \"bwcg0\" priority 0; policy accept;\n"
	"\t\tip saddr 192.0.2.0/24 drop\n"
	"\t\ttcp dport { 22, 8000-8080 } counter accept\n"
	"\t}\n"
	"}\n"
	"table ip out {\n"
	"\tchain output {\n"
	"\t\ttype filter hook output priority 0; policy drop;\n"
	"\t\tip daddr != 203.0.113.7 udp dport 53 accept\n"
	"\t}\n"
	"}\n";

static struct bw_src src = { .name = "rules.conf", .text = (char *)rules_text };

static struct bw_loc at(uint32_t line)
{
	struct bw_loc l = { .src = &src, .line = line, .col = 3,
			    .end_line = line, .end_col = 40 };
	return l;
}

static struct bw_ir_elem *elems(unsigned n)
{
	struct bw_ir_elem *e = calloc(n, sizeof(*e));

	assert_non_null(e);
	return e;
}

static struct bw_ir *golden_ir(void)
{
	struct bw_ir *ir = calloc(1, sizeof(*ir));
	struct bw_ir_chain *c;
	struct bw_ir_match *m;

	assert_non_null(ir);
	ir->nchain = 2;
	ir->chain = calloc(2, sizeof(*ir->chain));
	ir->nhandle = 4;

	c = &ir->chain[0];
	c->table = strdup("edge");
	c->name = strdup("ingress");
	c->family = BW_FAMILY_NETDEV;
	c->hook = BW_CHAIN_INGRESS;
	c->device = strdup("bwcg0");
	c->policy = BW_VERDICT_ACCEPT;
	c->loc = at(2);
	c->nrule = 2;
	c->rule = calloc(2, sizeof(*c->rule));
	/* ip saddr 192.0.2.0/24 drop */
	c->rule[0].handle = 1;
	c->rule[0].loc = at(4);
	c->rule[0].verdict = BW_VERDICT_DROP;
	c->rule[0].nmatch = 1;
	c->rule[0].match = m = calloc(1, sizeof(*m));
	m->field = BW_F_IP_SADDR;
	m->nelem = 1;
	m->elem = elems(1);
	memcpy(m->elem[0].lo, "\xc0\x00\x02\x00", 4);
	memcpy(m->elem[0].hi, "\xc0\x00\x02\x00", 4);
	memcpy(m->elem[0].mask, "\xff\xff\xff\x00", 4);
	/* tcp dport { 22, 8000-8080 } counter accept */
	c->rule[1].handle = 2;
	c->rule[1].loc = at(5);
	c->rule[1].verdict = BW_VERDICT_ACCEPT;
	c->rule[1].counter = true;
	c->rule[1].nmatch = 1;
	c->rule[1].match = m = calloc(1, sizeof(*m));
	m->field = BW_F_TCP_DPORT;
	m->nelem = 2;
	m->elem = elems(2);
	memcpy(m->elem[0].lo, "\x00\x16", 2);
	memcpy(m->elem[0].hi, "\x00\x16", 2);
	memcpy(m->elem[0].mask, "\xff\xff", 2);
	memcpy(m->elem[1].lo, "\x1f\x40", 2);
	memcpy(m->elem[1].hi, "\x1f\x90", 2);
	memcpy(m->elem[1].mask, "\xff\xff", 2);

	c = &ir->chain[1];
	c->table = strdup("out");
	c->name = strdup("output");
	c->family = BW_FAMILY_IP;
	c->hook = BW_CHAIN_OUTPUT;
	c->policy = BW_VERDICT_DROP;
	c->loc = at(9);
	c->nrule = 1;
	c->rule = calloc(1, sizeof(*c->rule));
	/* ip daddr != 203.0.113.7 udp dport 53 accept */
	c->rule[0].handle = 3;
	c->rule[0].loc = at(11);
	c->rule[0].verdict = BW_VERDICT_ACCEPT;
	c->rule[0].nmatch = 2;
	c->rule[0].match = m = calloc(2, sizeof(*m));
	m[0].field = BW_F_IP_DADDR;
	m[0].neg = true;
	m[0].nelem = 1;
	m[0].elem = elems(1);
	memcpy(m[0].elem[0].lo, "\xcb\x00\x71\x07", 4);
	memcpy(m[0].elem[0].hi, "\xcb\x00\x71\x07", 4);
	memcpy(m[0].elem[0].mask, "\xff\xff\xff\xff", 4);
	m[1].field = BW_F_UDP_DPORT;
	m[1].nelem = 1;
	m[1].elem = elems(1);
	memcpy(m[1].elem[0].lo, "\x00\x35", 2);
	memcpy(m[1].elem[0].hi, "\x00\x35", 2);
	memcpy(m[1].elem[0].mask, "\xff\xff", 2);
	return ir;
}

/* The golden ruleset plus a run of 16 `ip saddr 198.51.100.N drop` rules
 * appended to the netdev chain (a lookup group when optimized). */
static void add_run(struct bw_ir *ir)
{
	struct bw_ir_chain *c = &ir->chain[0];

	c->rule = realloc(c->rule, (c->nrule + 16) * sizeof(*c->rule));
	assert_non_null(c->rule);
	for (int i = 0; i < 16; i++) {
		struct bw_ir_rule *r = &c->rule[c->nrule++];
		struct bw_ir_match *m = calloc(1, sizeof(*m));

		memset(r, 0, sizeof(*r));
		r->handle = ir->nhandle++;
		r->loc = at(5);
		r->verdict = BW_VERDICT_DROP;
		r->counter = i == 0;
		r->nmatch = 1;
		r->match = m;
		m->field = BW_F_IP_SADDR;
		m->nelem = 1;
		m->elem = elems(1);
		memcpy(m->elem[0].lo, "\xc6\x33\x64", 3);
		m->elem[0].lo[3] = (uint8_t)(i + 1);
		memcpy(m->elem[0].hi, m->elem[0].lo, 4);
		memset(m->elem[0].mask, 0xff, 4);
	}
}

static void golden(enum bw_hook hook, bool trace, const char *name)
{
	struct bw_codegen_opts o = { .trace = trace };
	struct bw_ir *ir = golden_ir();
	struct bw_opt_plan *plan = NULL;

	if (strstr(name, "lookup")) {
		add_run(ir);
		assert_int_equal(bw_optimize(ir, NULL, &plan), 0);
		assert_int_equal(plan->ngroup, 1);
		o.plan = plan;
	}
	struct bw_prog *p = NULL;
	char path[512], *got = NULL;
	size_t len = 0;
	FILE *mem;

	assert_int_equal(bw_codegen(ir, hook, "bwcg0", &o, NULL, &p), 0);
	mem = open_memstream(&got, &len);
	assert_non_null(mem);
	bw_disasm(p, mem);
	fclose(mem);
	snprintf(path, sizeof(path), "%s/%s", BW_GOLDEN_DIR, name);
	bw_golden_check(path, got, "the disassembly lines");
	/* every rule's source line is shown above its code */
	assert_non_null(strstr(got, hook == BW_HOOK_XDP ?
			       "# rules.conf:4: ip saddr 192.0.2.0/24 drop\n" :
			       "# rules.conf:11: ip daddr != 203.0.113.7 udp dport 53 accept\n"));
	assert_non_null(strstr(got, "# prologue\n"));
	if (plan)
		assert_non_null(strstr(got, "call bpf_map_lookup_elem#1"));
	free(got);
	bw_prog_free(&p);
	assert_null(p);
	bw_opt_plan_free(&plan);
	bw_ir_free(&ir);
}

/*
 * The classifier's code on IPv6 addresses and interfaces
 * (classify-nf.dis: an inet input chain at the netfilter hook, the
 * interfaces read from the view; classify-xdp.dis: the same chain at
 * XDP on bwcg0, the interfaces constants of the program), from text.
 */
static void golden_classify(bool xdp, const char *name)
{
	static const char text[] =
		"table inet c6 {\n\tchain in {\n"
		"\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\tip6 saddr 2001:db8:1::1 drop\n"
		"\t\tip6 saddr 2001:db8:2::/48 tcp dport 22 accept\n"
		"\t\tip6 daddr 2001:db8:9::10-2001:db8:9::20 drop\n"
		"\t\tiifname \"veth*\" tcp dport 8080 drop\n"
		"\t\tiifname \"bwcg0\" ip saddr 192.0.2.0/24 drop\n"
		"\t\toifname \"veth1\" udp dport 53 drop\n"
		"\t\tip saddr 198.51.100.7 drop\n"
		"\t\ttcp dport 22 accept\n"
		"\t\tip6 saddr 2001:db8:3::/64 udp dport 100-200 drop\n"
		"\t\tip6 saddr 2001:db8:4::1 drop\n"
		"\t\tip6 saddr 2001:db8:4::2 drop\n"
		"\t\tip6 saddr 2001:db8:4::3 drop\n"
		"\t\tip6 saddr 2001:db8:4::4 drop\n"
		"\t\tip6 saddr 2001:db8:4::5 drop\n"
		"\t\tip6 saddr 2001:db8:4::6 drop\n"
		"\t\tip6 saddr 2001:db8:4::7 drop\n"
		"\t}\n}\n";
	struct bw_codegen_opts o = { 0 };
	struct bw_opt_plan *plan = NULL;
	struct bw_prog *p = NULL;
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	char path[512], *got = NULL;
	size_t len = 0;
	FILE *mem;

	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("c6.conf", text, &d, &ir), 0);
	assert_int_equal(bw_optimize(ir, NULL, &plan), 0);
	assert_int_equal(plan->ngroup, 1);
	assert_int_equal(plan->group[0].kind, BW_OPT_CLASSIFY);
	o.plan = plan;
	assert_int_equal(bw_codegen(ir, xdp ? BW_HOOK_XDP : BW_HOOK_NF,
				    xdp ? "bwcg0" : NULL, &o, NULL, &p), 0);
	mem = open_memstream(&got, &len);
	assert_non_null(mem);
	bw_disasm(p, mem);
	fclose(mem);
	snprintf(path, sizeof(path), "%s/%s", BW_GOLDEN_DIR, name);
	bw_golden_check(path, got, "the disassembly lines");
	assert_non_null(strstr(got, "# classifier: c6.conf:4:"));
	assert_non_null(strstr(got, "ip6 saddr/128"));
	assert_non_null(strstr(got, "iifname"));
	free(got);
	bw_prog_free(&p);
	bw_opt_plan_free(&plan);
	bw_ir_free(&ir);
	bw_diags_fini(&d);	/* holds the source text the lines quote */
}

static void golden_classify_nf(void **s) { golden_classify(false, "classify-nf.dis"); }
static void golden_classify_xdp(void **s) { golden_classify(true, "classify-xdp.dis"); }

static void golden_xdp(void **s) { golden(BW_HOOK_XDP, false, "xdp.dis"); }
static void golden_xdp_trace(void **s) { golden(BW_HOOK_XDP, true, "xdp-trace.dis"); }
static void golden_tc(void **s) { golden(BW_HOOK_TC, false, "tc.dis"); }
static void golden_lookup(void **s) { golden(BW_HOOK_XDP, true, "xdp-lookup.dis"); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(insns),
		cmocka_unit_test(golden_xdp),
		cmocka_unit_test(golden_xdp_trace),
		cmocka_unit_test(golden_tc),
		cmocka_unit_test(golden_lookup),
		cmocka_unit_test(golden_classify_nf),
		cmocka_unit_test(golden_classify_xdp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
