// SPDX-License-Identifier: GPL-2.0-only
/* The optimizer: which rule runs become lookups, and what the maps hold. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "compiler/opt/optimize.h"

/* A match "field == value/plen" (plen < 0: full mask). */
static void set_match(struct bw_ir_match *m, enum bw_field_id f,
		      const uint8_t *val, int plen)
{
	unsigned size = bw_field(f)->size;

	memset(m, 0, sizeof(*m));
	m->field = f;
	m->nelem = 1;
	m->elem = calloc(1, sizeof(*m->elem));
	for (unsigned i = 0; i < size; i++) {
		int bits = plen < 0 ? 8 : plen - (int)i * 8;

		m->elem->mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 :
				   (uint8_t)(0xff << (8 - bits));
		m->elem->lo[i] = m->elem->hi[i] = val[i] & m->elem->mask[i];
	}
}

static struct bw_ir *ir_new(uint32_t nrule)
{
	struct bw_ir *ir = calloc(1, sizeof(*ir));

	ir->nchain = 1;
	ir->chain = calloc(1, sizeof(*ir->chain));
	ir->chain->hook = BW_CHAIN_INGRESS;
	ir->chain->policy = BW_VERDICT_ACCEPT;
	ir->chain->nrule = nrule;
	ir->chain->rule = calloc(nrule, sizeof(struct bw_ir_rule));
	ir->nhandle = nrule + 1;
	for (uint32_t r = 0; r < nrule; r++) {
		ir->chain->rule[r].handle = r + 1;
		ir->chain->rule[r].verdict = BW_VERDICT_DROP;
	}
	return ir;
}

/* rule r: ip saddr 198.51.x.y[/plen] [tcp dport port] */
static void rule_saddr(struct bw_ir *ir, uint32_t r, uint32_t host, int plen,
		       int port)
{
	struct bw_ir_rule *rule = &ir->chain->rule[r];
	uint8_t a[4] = { 198, 51, (uint8_t)(host >> 8), (uint8_t)host };
	uint8_t p[2] = { (uint8_t)(port >> 8), (uint8_t)port };

	rule->nmatch = port >= 0 ? 2 : 1;
	rule->match = calloc(rule->nmatch, sizeof(*rule->match));
	/* port first: the shape must not depend on the order written */
	if (port >= 0)
		set_match(&rule->match[0], BW_F_TCP_DPORT, p, -1);
	set_match(&rule->match[rule->nmatch - 1], BW_F_IP_SADDR, a, plen);
}

static void exact_run_becomes_hash(void **state)
{
	struct bw_ir *ir = ir_new(100);
	struct bw_opt_plan *p = NULL;

	for (uint32_t r = 0; r < 100; r++)
		rule_saddr(ir, r, r, -1, -1);
	ir->chain->rule[7].counter = true;
	ir->chain->rule[9].verdict = BW_VERDICT_ACCEPT;
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	assert_int_equal(p->ngroup, 1);
	assert_int_equal(p->group[0].first, 0);
	assert_int_equal(p->group[0].nrule, 100);
	assert_false(p->map[0].lpm);
	assert_int_equal(p->map[0].key_size, 4);
	assert_int_equal(p->map[0].nentries, 100);
	assert_memory_equal(p->map[0].keys + 7 * 4, "\xc6\x33\x00\x07", 4);
	assert_int_equal(p->map[0].values[7].handle, 8);
	assert_int_equal(p->map[0].values[7].counter, 1);
	assert_int_equal(p->map[0].values[9].verdict, BW_VERDICT_ACCEPT);
	assert_ptr_equal(bw_opt_group_at(p, 0, 0), &p->group[0]);
	assert_null(bw_opt_group_at(p, 0, 1));
	bw_opt_plan_free(&p);
	assert_null(p);
	bw_ir_free(&ir);
}

static void concatenation_key_layout(void **state)
{
	struct bw_ir *ir = ir_new(20);
	struct bw_opt_plan *p = NULL;

	for (uint32_t r = 0; r < 20; r++)
		rule_saddr(ir, r, r, -1, 1000 + (int)r);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	assert_int_equal(p->ngroup, 1);
	/* fields sorted by id: ip saddr (4 bytes at 0), tcp dport (2 at 4) */
	assert_int_equal(p->group[0].field[0], BW_F_IP_SADDR);
	assert_int_equal(p->group[0].field[1], BW_F_TCP_DPORT);
	assert_int_equal(p->group[0].key_off[1], 4);
	assert_int_equal(p->map[0].key_size, 8);
	assert_memory_equal(p->map[0].keys + 8, "\xc6\x33\x00\x01\x03\xe9\x00\x00", 8);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

static void short_runs_and_duplicates_stay_linear(void **state)
{
	struct bw_ir *ir = ir_new(40);
	struct bw_opt_plan *p = NULL;

	/* 0..9 distinct, 10 repeats 3 (first match must stay rule 4),
	 * 11..39 distinct again */
	for (uint32_t r = 0; r < 40; r++)
		rule_saddr(ir, r, r == 10 ? 3 : r, -1, -1);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	/* 0..9 ends at the duplicate and is too short; from rule 4 on no key
	 * repeats (rule 10's key 3 belongs to rule 3, before the run), so
	 * 4..39 is one run: a packet from .3 meets rule 3 first, as written */
	assert_int_equal(p->ngroup, 1);
	assert_int_equal(p->group[0].first, 4);
	assert_int_equal(p->group[0].nrule, 36);
	bw_opt_plan_free(&p);

	struct bw_opt_opts off = { .disable = true };
	assert_int_equal(bw_optimize(ir, &off, &p), 0);
	assert_int_equal(p->ngroup, 0);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

static void prefixes_become_lpm_without_overlaps(void **state)
{
	struct bw_ir *ir = ir_new(40);
	struct bw_opt_plan *p = NULL;

	/* /24s 198.51.0.0 .. 198.51.29.0, then a /16 that contains them */
	for (uint32_t r = 0; r < 30; r++)
		rule_saddr(ir, r, r << 8, 24, -1);
	rule_saddr(ir, 30, 0, 16, -1);
	for (uint32_t r = 31; r < 40; r++)
		rule_saddr(ir, r, r << 8, 24, -1);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	assert_int_equal(p->ngroup, 1);
	assert_int_equal(p->group[0].nrule, 30);
	assert_true(p->map[0].lpm);
	assert_int_equal(p->map[0].key_size, 8);
	uint32_t plen;
	memcpy(&plen, p->map[0].keys + 8 * 5, 4);
	assert_int_equal(plen, 24);
	assert_memory_equal(p->map[0].keys + 8 * 5 + 4, "\xc6\x33\x05\x00", 4);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

static void negations_and_sets_are_not_runs(void **state)
{
	struct bw_ir *ir = ir_new(30);
	struct bw_opt_plan *p = NULL;

	for (uint32_t r = 0; r < 30; r++) {
		rule_saddr(ir, r, r, -1, -1);
		if (r % 2)
			ir->chain->rule[r].match[0].neg = true;
	}
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	assert_int_equal(p->ngroup, 0);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_run_becomes_hash),
		cmocka_unit_test(concatenation_key_layout),
		cmocka_unit_test(short_runs_and_duplicates_stay_linear),
		cmocka_unit_test(prefixes_become_lpm_without_overlaps),
		cmocka_unit_test(negations_and_sets_are_not_runs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
