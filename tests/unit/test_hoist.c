// SPDX-License-Identifier: GPL-2.0-only
/*
 * XDP hoisting (compiler/bpf/hoist.h): which input-chain drops go to XDP.
 * Each case is a ruleset and, for one rule (the last of the chain named
 * "input" unless said), the answer bw_hoist_why must give.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "compiler/front/compile.h"
#include "compiler/bpf/hoist.h"

/* "table inet t {" + chains + "}" with the usual input chain head. */
#define IN(rules) \
	"\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n" \
	rules "\t}\n"

static struct bw_ir *compile(const char *text)
{
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	bw_diags_init(&d);
	if (bw_compile_string("hoist.conf", text, &d, &ir) || d.nerrors) {
		bw_diags_print(&d, stderr);
		fail_msg("does not compile: %s", text);
	}
	bw_diags_fini(&d);
	return ir;
}

static uint32_t chain_named(const struct bw_ir *ir, const char *name)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (!strcmp(ir->chain[c].name, name))
			return c;
	fail_msg("no chain %s", name);
	return 0;
}

/* The answer for the last rule of chain `chain` of table inet t. */
static enum bw_hoist_why why_last(const char *chains, const char *chain)
{
	char text[4096];
	struct bw_ir *ir;
	enum bw_hoist_why w;
	uint32_t c;

	snprintf(text, sizeof(text), "table inet t {\n%s}\n", chains);
	ir = compile(text);
	c = chain_named(ir, chain);
	assert_true(ir->chain[c].nrule > 0);
	w = bw_hoist_why(ir, NULL, c, ir->chain[c].nrule - 1);
	bw_ir_free(&ir);
	return w;
}

#define EXPECT(why, chains) \
	assert_int_equal(why_last(chains, "input"), why)

static void t_first_drops(void **state)
{
	(void)state;
	EXPECT(BW_HOIST_YES, IN("\t\tip saddr 198.51.100.0/24 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tip saddr 198.51.100.7 counter drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\ttcp dport { 23, 2323 } drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tip6 saddr 2001:db8:bad::/48 udp dport 53 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\ticmp type echo-request drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tmeta l4proto udp drop\n"));
}

static void t_not_candidates(void **state)
{
	(void)state;
	EXPECT(BW_HOIST_VERDICT, IN("\t\tip saddr 198.51.100.7 accept\n"));
	EXPECT(BW_HOIST_VERDICT, IN("\t\tip saddr 198.51.100.7 counter\n"));
	EXPECT(BW_HOIST_STMT, IN("\t\tip saddr 198.51.100.7 log drop\n"));
	EXPECT(BW_HOIST_STMT, IN("\t\tip saddr 198.51.100.7 limit rate 10/second drop\n"));
	EXPECT(BW_HOIST_STMT, IN("\t\tip saddr 198.51.100.7 counter tcp dport 22 drop\n"));
	/* GRO merges frames into the packet the hook sees: not lengths,
	 * flags, TTL; ct and marks are not the packet's */
	EXPECT(BW_HOIST_FIELD, IN("\t\ttcp flags syn drop\n"));
	EXPECT(BW_HOIST_FIELD, IN("\t\tip ttl 1 drop\n"));
	EXPECT(BW_HOIST_FIELD, IN("\t\tmeta length > 1000 drop\n"));
	EXPECT(BW_HOIST_FIELD, IN("\t\tmeta mark 1 drop\n"));
	EXPECT(BW_HOIST_FIELD, IN("\t\tct state invalid drop\n"));
	EXPECT(BW_HOIST_FIELD, IN("\t\tiifname \"eth0\" drop\n"));
}

static void t_other_hooks(void **state)
{
	(void)state;
	assert_int_equal(why_last(
		"\tchain pre {\n\t\ttype filter hook prerouting priority 0;\n"
		"\t\tip saddr 198.51.100.7 drop\n\t}\n", "pre"), BW_HOIST_CHAIN);
	assert_int_equal(why_last(
		"\tchain out {\n\t\ttype filter hook output priority 0;\n"
		"\t\tip daddr 198.51.100.7 drop\n\t}\n", "out"), BW_HOIST_CHAIN);
	assert_int_equal(why_last(
		"\tchain fwd {\n\t\ttype filter hook forward priority 0;\n"
		"\t\tip saddr 198.51.100.7 drop\n\t}\n", "fwd"), BW_HOIST_CHAIN);
}

/* Rules before the drop in its chain. */
static void t_same_chain(void **state)
{
	(void)state;
	/* an accept that may see the packet: nft would accept it */
	EXPECT(BW_HOIST_EARLIER, IN("\t\ttcp dport 22 accept\n"
				    "\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_EARLIER, IN("\t\tct state established,related accept\n"
				    "\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_EARLIER, IN("\t\tiif \"lo\" accept\n"
				    "\t\tip saddr 198.51.100.7 drop\n"));
	/* ... or counts it */
	EXPECT(BW_HOIST_EARLIER, IN("\t\tip saddr 198.51.100.0/24 counter\n"
				    "\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_EARLIER, IN("\t\tip saddr 198.51.100.7 log\n"
				    "\t\tip saddr 198.51.100.7 drop\n"));
	/* ... or goes elsewhere */
	EXPECT(BW_HOIST_EARLIER, "\tchain u {\n\t}\n"
		 IN("\t\ttcp dport 22 jump u\n\t\ttcp dport 22 drop\n"));
	EXPECT(BW_HOIST_EARLIER, IN("\t\ttcp dport vmap { 22 : accept }\n"
				    "\t\ttcp dport 22 drop\n"));
	/* a named set may hold anything */
	EXPECT(BW_HOIST_EARLIER,
	       "\tset allow {\n\t\ttype ipv4_addr\n\t}\n"
	       IN("\t\tip saddr @allow accept\n\t\tip saddr 198.51.100.7 drop\n"));
	/* a pure drop or a rule that does nothing before: the same verdict */
	EXPECT(BW_HOIST_YES, IN("\t\ttcp flags syn drop\n"
				"\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tip saddr 198.51.100.0/24 counter drop\n"
				"\t\ttcp dport 23 counter drop\n"));
}

/* Rules that cannot see the same packet do not matter. */
static void t_disjoint(void **state)
{
	(void)state;
	EXPECT(BW_HOIST_YES, IN("\t\tip saddr 10.0.0.0/8 accept\n"
				"\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tip saddr 198.51.100.128/25 counter accept\n"
				"\t\tip saddr 198.51.100.0/25 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tudp dport 53 accept\n"
				"\t\ttcp dport 23 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tmeta l4proto udp accept\n"
				"\t\ttcp dport 23 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\tip6 saddr 2001:db8::/32 accept\n"
				"\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\ttcp dport { 22, 80, 443 } accept\n"
				"\t\ttcp dport 23 drop\n"));
	EXPECT(BW_HOIST_YES, IN("\t\ttcp dport 1-1023 accept\n"
				"\t\ttcp dport 8080 drop\n"));
	/* the drop's values all among those a != excludes */
	EXPECT(BW_HOIST_YES, IN("\t\tip saddr != 198.51.100.0/24 accept\n"
				"\t\tip saddr 198.51.100.7 drop\n"));
	/* overlapping values */
	EXPECT(BW_HOIST_EARLIER, IN("\t\ttcp dport 20-30 accept\n"
				    "\t\ttcp dport 23 drop\n"));
	EXPECT(BW_HOIST_EARLIER, IN("\t\tip saddr != 198.51.100.0/25 accept\n"
				    "\t\tip saddr 198.51.100.0/24 drop\n"));
	EXPECT(BW_HOIST_EARLIER, IN("\t\tip saddr 198.51.100.0/24 accept\n"
				    "\t\tip saddr 198.51.100.7 drop\n"));
}

/* Chains of the prerouting and input hooks that run first. */
static void t_earlier_chains(void **state)
{
	(void)state;
	/* another chain's accept does not end this one */
	EXPECT(BW_HOIST_YES,
	       "\tchain pre {\n\t\ttype filter hook prerouting priority 0;\n"
	       "\t\tip saddr 198.51.100.7 accept\n\t}\n"
	       IN("\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_YES,
	       "\tchain first {\n\t\ttype filter hook input priority -10;\n"
	       "\t\ttcp dport 22 accept\n\t}\n"
	       IN("\t\tip saddr 198.51.100.7 drop\n"));
	/* but its counter, log or jump would miss the packet */
	EXPECT(BW_HOIST_EARLIER,
	       "\tchain pre {\n\t\ttype filter hook prerouting priority 0;\n"
	       "\t\tip saddr 198.51.100.0/24 counter\n\t}\n"
	       IN("\t\tip saddr 198.51.100.7 drop\n"));
	EXPECT(BW_HOIST_EARLIER,
	       "\tchain first {\n\t\ttype filter hook input priority -10;\n"
	       "\t\tlog prefix \"in \"\n\t}\n"
	       IN("\t\tip saddr 198.51.100.7 drop\n"));
	/* a chain that runs after it does not matter */
	EXPECT(BW_HOIST_YES,
	       "\tchain later {\n\t\ttype filter hook input priority 10;\n"
	       "\t\tcounter\n\t}\n"
	       IN("\t\tip saddr 198.51.100.7 drop\n"));
	/* nor does a chain for the other family */
	EXPECT(BW_HOIST_YES,
	       "\tchain first {\n\t\ttype filter hook input priority -10;\n"
	       "\t\tip6 saddr 2001:db8::1 counter\n\t}\n"
	       IN("\t\tip saddr 198.51.100.7 drop\n"));
}

/* The IR with the hoisted chains. */
/* A drop that looks a set up which rules change stays at the hook (at
 * XDP a packet may pass before the earlier ones of its batch changed
 * the set), even when the rule that changes it comes after. */
static void t_changed_set(void **state)
{
	(void)state;
	EXPECT(BW_HOIST_YES,
	       "\tset s {\n\t\ttype ipv4_addr\n\t}\n"
	       IN("\t\tip saddr @s udp dport 10 drop\n"));
	EXPECT(BW_HOIST_EARLIER,
	       "\tset s {\n\t\ttype ipv4_addr\n\t}\n"
	       "\tchain later {\n\t\ttype filter hook input priority 10;\n"
	       "\t\tudp dport 9 delete @s { ip saddr }\n\t}\n"
	       IN("\t\tip saddr @s udp dport 10 drop\n"));
}

static void t_build(void **state)
{
	struct bw_hoist *h = NULL;
	struct bw_ir *ir;

	(void)state;
	ir = compile("table inet t {\n"
		     "\tchain first {\n\t\ttype filter hook input priority -10;\n"
		     "\t\ttcp dport 23 drop\n\t}\n"
		     IN("\t\tip saddr 198.51.100.7 counter drop\n"
			"\t\ttcp dport 22 accept\n"
			"\t\tip saddr 198.51.100.8 drop\n")
		     "}\n");
	assert_int_equal(bw_hoist_build(ir, NULL, &h), 0);
	assert_non_null(h);
	assert_int_equal(h->first, ir->nchain);
	assert_int_equal(h->nchain, 2);
	assert_int_equal(h->nrule, 2);
	assert_int_equal(h->ir.nchain, ir->nchain + 2);
	/* in the order the hook runs them, hook-less, policy accept */
	assert_string_equal(h->ir.chain[h->first].name, "first");
	assert_string_equal(h->ir.chain[h->first + 1].name, "input");
	for (uint32_t c = h->first; c < h->ir.nchain; c++) {
		assert_int_equal(h->ir.chain[c].hook, BW_CHAIN_NONE);
		assert_int_equal(h->ir.chain[c].policy, BW_VERDICT_ACCEPT);
		assert_int_equal(h->ir.chain[c].nrule, 1);
	}
	/* the rules keep their handles (their counters count at XDP) */
	assert_int_equal(h->ir.chain[h->first + 1].rule[0].handle,
			 ir->chain[chain_named(ir, "input")].rule[0].handle);
	bw_hoist_free(&h);
	assert_null(h);
	/* nothing to hoist: no IR */
	bw_ir_free(&ir);
	ir = compile("table inet t {\n" IN("\t\ttcp dport 22 accept\n") "}\n");
	assert_int_equal(bw_hoist_build(ir, NULL, &h), 0);
	assert_null(h);
	bw_ir_free(&ir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_first_drops),
		cmocka_unit_test(t_not_candidates),
		cmocka_unit_test(t_other_hooks),
		cmocka_unit_test(t_same_chain),
		cmocka_unit_test(t_disjoint),
		cmocka_unit_test(t_earlier_chains),
		cmocka_unit_test(t_build),
		cmocka_unit_test(t_changed_set),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
