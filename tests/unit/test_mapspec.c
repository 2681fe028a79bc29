// SPDX-License-Identifier: GPL-2.0-only
/*
 * The build describes every map (compiler/bpf/mapspec.h): counters preset
 * from the rules, the drop reasons, the trace slot only for trace
 * builds, the limits, the shared log ring and conntrack table, the
 * optimizer's and the classifier's tables, and every set's tables with
 * their entries, placeholders in the ranges codegen uses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <linux/bpf.h>

#include "compiler/bpf/build.h"
#include "compiler/bpf/codegen.h"
#include "compiler/bpf/mapspec.h"
#include "compiler/front/compile.h"
#include "compiler/front/setmap.h"

static const char ruleset[] =
	"table inet t {\n"
	"\tset blk {\n"
	"\t\ttype ipv4_addr; elements = { 198.51.100.1, 198.51.100.2 }\n"
	"\t}\n"
	"\tset rng {\n"
	"\t\ttype ipv4_addr; flags interval;\n"
	"\t\telements = { 192.0.2.10-192.0.2.20 }\n"
	"\t}\n"
	"\tchain in {\n"
	"\t\ttype filter hook input priority 0; policy accept;\n"
	"\t\tip saddr @blk counter packets 7 bytes 700 drop\n"
	"\t\tip daddr @rng counter drop\n"
	"\t\tct state established accept\n"
	"\t\tlimit rate 10/second log prefix \"x\" accept\n"
	"%s"				/* a run of address+port rules */
	"\t}\n"
	"}\n";

static struct bw_ir *compile(const char *text)
{
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("m.conf", text, &d, &ir), 0);
	bw_diags_fini(&d);
	return ir;
}

static const struct bw_map_spec *find(const struct bw_map_specs *s, int32_t id)
{
	for (uint32_t i = 0; i < s->n; i++)
		if (s->spec[i].id == id)
			return &s->spec[i];
	return NULL;
}

static void t_specs(void **state)
{
	char run[64 * 48], text[sizeof(run) + sizeof(ruleset)];
	size_t n = 0;
	struct bw_ir *ir;
	struct bw_opt_plan *plan = NULL;
	struct bw_map_specs *s = NULL, *t = NULL;
	const struct bw_map_spec *m;
	uint32_t nset = 0, nlk = 0;

	(void)state;
	for (int i = 1; i <= 64; i++)
		n += (size_t)snprintf(run + n, sizeof(run) - n,
				      "\t\tip saddr 203.0.113.%d tcp dport %d drop\n",
				      i, 1000 + i);
	snprintf(text, sizeof(text), ruleset, run);
	ir = compile(text);
	assert_int_equal(bw_optimize(ir, NULL, &plan), 0);
	assert_int_equal(bw_map_specs_build(ir, plan, false, &s), 0);
	assert_int_equal(bw_map_specs_build(ir, plan, true, &t), 0);

	/* counters: one entry preset, CPU 0's value */
	m = find(s, BW_MAP_COUNTERS);
	assert_non_null(m);
	assert_int_equal(m->type, BPF_MAP_TYPE_PERCPU_ARRAY);
	assert_int_equal(m->max_entries, ir->nhandle);
	assert_int_equal(m->nfill, 1);
	assert_int_equal(((struct bw_counter *)m->vals)->packets, 7);
	assert_int_equal(((struct bw_counter *)m->vals)->bytes, 700);
	assert_non_null(find(s, BW_MAP_REASONS));
	/* the trace slot only in the trace build's */
	assert_null(find(s, BW_MAP_TRACE));
	assert_non_null(find(t, BW_MAP_TRACE));
	assert_non_null(m = find(s, BW_MAP_LIMITS));
	assert_int_equal(m->max_entries, 1);
	/* kept across loads: the caller's when it has them */
	assert_non_null(m = find(s, BW_MAP_LOG));
	assert_true(m->shared);
	assert_int_equal(m->type, BPF_MAP_TYPE_RINGBUF);
	assert_non_null(m = find(s, BW_MAP_CT));
	assert_true(m->shared);
	/* every set's tables, filled: blk a hash of two, rng a trie */
	for (uint32_t i = 0; i < s->n; i++) {
		m = &s->spec[i];
		if (m->id >= BW_MAP_SET_BASE) {
			assert_int_equal(m->id, BW_MAP_SET_BASE + nset);
			assert_int_equal(m->value_size, sizeof(struct bw_set_value));
			nset++;
		} else if (m->id >= BW_MAP__MAX) {
			assert_int_equal(m->id, BW_MAP__MAX + nlk);
			assert_int_equal(m->nfill, plan->map[nlk].nentries);
			nlk++;
		}
	}
	assert_int_equal(nset, s->nset);
	assert_int_equal(nset, bw_set_table_base(ir, ir->nset));
	assert_int_equal(nlk, plan->nmap);
	assert_int_equal(nlk, s->nlookup);
	assert_true(nlk >= 1);		/* the run of address+port rules */
	m = find(s, BW_MAP_SET_BASE);
	assert_int_equal(m->type, BPF_MAP_TYPE_HASH);
	assert_int_equal(m->nfill, 2);
	assert_int_equal(m->flags, BPF_F_NO_PREALLOC);	/* named: grows */
	m = find(s, BW_MAP_SET_BASE + 1);
	assert_int_equal(m->type, BPF_MAP_TYPE_LPM_TRIE);
	assert_true(m->nfill >= 2);	/* a range as the prefixes that cover it */
	bw_map_specs_free(&s);
	bw_map_specs_free(&t);
	assert_null(s);
	bw_opt_plan_free(&plan);
	bw_ir_free(&ir);
}

/* No set, no log, no ct: just the counters and the reasons. */
static void t_minimal(void **state)
{
	struct bw_ir *ir = compile("table netdev t {\n"
		"\tchain in {\n"
		"\t\ttype filter hook ingress device \"lo\" priority 0;\n"
		"\t\ttcp dport 22 drop\n"
		"\t}\n"
		"}\n");
	struct bw_map_specs *s = NULL;

	(void)state;
	assert_int_equal(bw_map_specs_build(ir, NULL, false, &s), 0);
	assert_int_equal(s->n, 2);
	assert_int_equal(s->nset, 0);
	assert_int_equal(s->nlookup, 0);
	assert_non_null(find(s, BW_MAP_COUNTERS));
	assert_non_null(find(s, BW_MAP_REASONS));
	bw_map_specs_free(&s);
	bw_ir_free(&ir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_specs),
		cmocka_unit_test(t_minimal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
