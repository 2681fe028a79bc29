// SPDX-License-Identifier: GPL-2.0-only
/*
 * The classifier's equivalence test: random mixed rulesets (mixgen.h,
 * hundreds of rules, with log, limit, counter, jump, goto, return, ttl,
 * != and ip6 rules mixed in so partitions split; every other one with
 * a third of its classifiable rules IPv6 ones, addresses, prefixes,
 * ranges and sets, and about half its frames IPv6; every third with a
 * quarter of them matching interface names too: in the netdev chain
 * decided when the plan is made, in the user chain keyed by the XDP
 * program's constants) and many random frames
 * biased to hit the rules, each run through
 *   1. the program with the classifier (BPF_PROG_TEST_RUN),
 *   2. the program with the optimizer off: every rule a compare chain,
 *   3. the reference interpreter (compiler/interp/interp.c),
 * which must agree on the verdict and on the deciding rule (handle).
 * Both programs must read no stack byte a path leaves unwritten (a
 * walk of their code: what such a read finds changes from run to run).
 * Also the classifier's search done in C (bw_cls_lookup) must name the
 * same rule as the interpreter wherever a classifier group decides; and
 * with the first ruleset's table broken (every tag cleared, or every
 * entry's candidates reversed) it must not, on some of the same frames:
 * the checks can see a broken table or candidate order.
 *
 * clsequiv [SEEDS [RULES [FRAMES]]]; not root: the interpreter and the C
 * search only, exit 77 (skipped) after them.  Bounded: at most 30 s of
 * kernel runs, whatever the machine's load.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "grammar/diag.h"
#include "compiler/bpf/build.h"
#include "compiler/opt/classify.h"
#include "compiler/front/compile.h"
#include "compiler/interp/interp.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/view.h"
#include "runtime/runtime.h"
#include "cli/drive.h"
#include "tests/classify/mixgen.h"
#include "tests/lib/stackinit.h"

#define DEV "eth0"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *vname(enum bw_verdict v)
{
	return v == BW_VERDICT_ACCEPT ? "accept" : v == BW_VERDICT_DROP ? "drop" :
	       v == BW_VERDICT_REJECT ? "reject" : "?";
}

static void hexdump(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%02x%s", p[i], i + 1 < n ? "" : "\n");
}

/* The C search of every classifier group of the base chain against the
 * interpreter, where the interpreter's deciding rule is in a group. */
static uint64_t in_cls;		/* frames a classifier group decided */
static uint64_t in_cls6;	/* of them IPv6 frames */

static bool quiet;		/* the broken-classifier checks: no report */

static int check_c_search(const struct bw_ir *ir, const struct bw_opt_plan *p,
			  const uint8_t *pkt, size_t len,
			  const struct bw_interp_result *ir_res)
{
	const struct bw_ir_chain *ch = NULL;
	const struct bw_ir_rule *r;
	struct bw_view v;
	enum bw_reason why;
	uint8_t key[BW_CLS_PKT];

	if (!ir_res->handle || bw_view_parse(pkt, len, &v, &why))
		return 0;
	r = bw_ir_rule_by_handle(ir, ir_res->handle, &ch);
	if (!r)
		return 0;
	bw_cls_key(key, v.l3, v.l4proto, v.flags, v.l3h, v.l4h, DEV, NULL);
	for (uint32_t i = 0; i < p->ngroup; i++) {
		const struct bw_opt_group *g = &p->group[i];
		uint32_t pos = (uint32_t)(r - ch->rule), got;

		if (g->kind != BW_OPT_CLASSIFY || &ir->chain[g->chain] != ch ||
		    pos < g->first || pos >= g->first + g->nrule)
			continue;
		got = bw_cls_lookup(p, g, key);
		in_cls++;
		in_cls6 += v.l3 == 6;
		if (got != pos && quiet)
			return 1;
		if (got != pos) {
			fprintf(stderr, "C search: rule position %d, interpreter %u (handle %u)\n",
				got == BW_CLS_NO_RULE ? -1 : (int)got, pos,
				ir_res->handle);
			return 1;
		}
	}
	return 0;
}

static uint32_t nwide;		/* tuples with IPv6 address bits */
static uint32_t nif;		/* tuples whose candidates check interfaces */
static uint32_t nifrule;	/* rules with interface matches a classifier
				 * group took */

static bool iface_field(enum bw_field_id f)
{
	return f == BW_F_META_IIF || f == BW_F_META_IIFNAME ||
	       f == BW_F_META_OIF || f == BW_F_META_OIFNAME;
}

/*
 * Both XDP programs (the classifier's, the compare chains') read no stack
 * byte that a path to the read leaves unwritten: what such a read finds
 * changes from run to run, whatever the kernel's budget lets run (a
 * counter's CPU once was one: seed 15).  0 if so.
 */
static int stack_check(const struct bw_ir *ir, const struct bw_opt_plan *plan,
		       uint64_t seed, struct bw_diags *d)
{
	for (int on = 0; on < 2; on++) {
		struct bw_codegen_opts o = { .trace = true, .plan = on ? plan : NULL };
		struct bw_prog *prog = NULL;
		int64_t bad;
		char buf[128] = "";

		if (bw_codegen(ir, BW_HOOK_XDP, DEV, &o, d, &prog)) {
			bw_diags_print(d, stderr);
			fprintf(stderr, "seed %llu: no program\n",
				(unsigned long long)seed);
			return 1;
		}
		bad = bw_t_uninit_stack_read(prog);
		if (bad >= 0)
			bw_disasm_insn(&prog->insn[bad], prog->ninsn - (uint32_t)bad,
				       buf, sizeof(buf));
		bw_prog_free(&prog);
		if (bad != -1) {
			fprintf(stderr, "seed %llu: the %s program %s%lld: %s\n",
				(unsigned long long)seed,
				on ? "classifier's" : "compare chains'",
				bad >= 0 ? "reads stack a path leaves unwritten at insn " :
				"cannot be walked: ", (long long)bad, buf);
			return 1;
		}
	}
	return 0;
}

static int one_seed(uint64_t seed, uint32_t nrules, uint32_t nframes,
		    bool kernel, double deadline, uint32_t *ngroups,
		    uint64_t *nruns)
{
	struct bw_opt_opts off = { .disable = true };
	struct bw_build_test_opts on_o = { 0 }, off_o = { .opt = &off };
	struct bw_rt_testprog *tp_on = NULL, *tp_off = NULL;
	struct bw_opt_plan *plan = NULL;
	struct bw_diags d;
	struct bw_ir *ir = NULL;
	struct mixgen g;
	char *text, name[64];
	int fail = 0, err;

	bw_diags_init(&d);
	mix_init(&g, seed);
	g.v6 = seed % 2 ? 0 : 35;	/* every other ruleset a third IPv6 */
	g.ifs = seed % 3 ? 0 : 25;	/* every third a quarter on interfaces */
	text = mix_ruleset(&g, nrules, true, DEV);
	if (!text) {
		bw_diags_fini(&d);
		return 1;
	}
	snprintf(name, sizeof(name), "mix-%llu.conf", (unsigned long long)seed);
	err = bw_compile_string(name, text, &d, &ir);
	if (err) {
		bw_diags_print(&d, stderr);
		fprintf(stderr, "seed %llu: the generated ruleset does not compile\n",
			(unsigned long long)seed);
		fail = 1;
		goto out;
	}
	err = bw_optimize(ir, NULL, &plan);
	if (err)
		goto out;
	for (uint32_t i = 0; i < plan->ngroup; i++) {
		const struct bw_opt_group *gr = &plan->group[i];

		if (gr->kind != BW_OPT_CLASSIFY)
			continue;
		(*ngroups)++;
		for (uint32_t r = gr->first; r < gr->first + gr->nrule; r++) {
			const struct bw_ir_rule *ru = &ir->chain[gr->chain].rule[r];
			bool has = false;

			for (uint32_t m = 0; m < ru->nmatch; m++)
				has |= iface_field(ru->match[m].field);
			nifrule += has;
		}
	}
	for (uint32_t i = 0; i < plan->ntuple; i++) {
		nwide += plan->tuple[i].wide;
		nif += !!(plan->tuple[i].check & (BW_CLS_CHK_IIF | BW_CLS_CHK_OIF));
	}
	fail = stack_check(ir, plan, seed, &d);
	if (fail)
		goto out;
	if (kernel) {
		err = bw_drive_testprog_load(ir, BW_HOOK_XDP, DEV, &on_o, NULL, &d,
					       &tp_on);
		if (!err)
			err = bw_drive_testprog_load(ir, BW_HOOK_XDP, DEV, &off_o,
						       NULL, &d, &tp_off);
		if (err) {
			bw_diags_print(&d, stderr);
			fprintf(stderr, "seed %llu: load failed: %s\n",
				(unsigned long long)seed, strerror(-err));
			fail = 1;
			goto out;
		}
	}
	for (uint32_t f = 0; f < nframes && !fail; f++) {
		struct bw_rt_run_result ron = { 0 }, roff = { 0 };
		struct bw_interp_result ri = { 0 };
		uint8_t pkt[128];
		size_t len = mix_packet(&g, pkt, 85);

		err = bw_interp_run(ir, false, DEV, pkt, len, &ri);
		if (err)
			goto out;
		if (!kernel || now_s() > deadline)
			goto c_search;
		err = bw_rt_testprog_run(tp_on, pkt, len, &ron);
		if (!err)
			err = bw_rt_testprog_run(tp_off, pkt, len, &roff);
		if (err)
			goto out;
		(*nruns)++;
		if (ron.verdict != ri.verdict || ron.handle != ri.handle ||
		    roff.verdict != ri.verdict || roff.handle != ri.handle) {
			const struct bw_ir_chain *ch;
			const struct bw_ir_rule *r;

			fprintf(stderr, "seed %llu frame %u: classifier %s (handle %u), compare chain %s (handle %u), interpreter %s (handle %u)\n",
				(unsigned long long)seed, f, vname(ron.verdict),
				ron.handle, vname(roff.verdict), roff.handle,
				vname(ri.verdict), ri.handle);
			hexdump(pkt, len);
			for (int k = 0; k < 2; k++) {
				uint32_t h = k ? ron.handle : ri.handle;

				r = h ? bw_ir_rule_by_handle(ir, h, &ch) : NULL;
				if (r)
					fprintf(stderr, "  handle %u: %s line %u\n", h,
						ch->name, r->loc.line);
			}
			fail = 1;
		}
c_search:
		if (!fail)
			fail = check_c_search(ir, plan, pkt, len, &ri);
	}
out:
	if (fail && getenv("CLSEQUIV_KEEP")) {
		FILE *o = fopen(name, "w");

		if (o) {
			fputs(text, o);
			fclose(o);
			fprintf(stderr, "ruleset written to %s\n", name);
		}
	}
	bw_rt_testprog_free(&tp_on);
	bw_rt_testprog_free(&tp_off);
	bw_opt_plan_free(&plan);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	free(text);
	if (err && !fail) {
		fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed,
			strerror(-err));
		return 1;
	}
	return fail;
}

/* Break the classifier's table of plan p one way: 0 clears every tag
 * (no key is found), 1 reverses the candidates of every entry (a later
 * rule is checked first). */
static void break_table(struct bw_opt_plan *p, int how)
{
	struct bw_lookup_map *m = &p->map[p->cls->map];
	uint64_t nslot = (UINT64_C(1) << p->cls->bits) + BW_CLS_PROBE_MAX;

	for (uint64_t s = 0; s < nslot; s++) {
		uint8_t *c, x[sizeof(struct bw_cls_cand6)];
		uint32_t off, id, n = 0, csize = 0;

		if (!m->raw[s])
			continue;
		if (!how) {
			m->raw[s] = 0;
			continue;
		}
		memcpy(&off, m->raw + bw_cls_offs_at(p->cls->bits) + s * 4, 4);
		id = m->raw[off + BW_CLS_K_TUPLE] | m->raw[off + BW_CLS_K_TUPLE + 1] << 8;
		c = m->raw + off + BW_CLS_KEY;
		for (uint32_t t = 0; t < p->ntuple; t++)
			if (p->tuple[t].id == id) {
				n = p->tuple[t].ncand;
				csize = p->tuple[t].csize;
			}
		while (n && ((struct bw_cls_cand *)(c + (n - 1) * csize))->rule ==
			    BW_CLS_NO_RULE)
			n--;
		for (uint32_t i = 0; i < n / 2; i++) {
			memcpy(x, c + i * csize, csize);
			memcpy(c + i * csize, c + (n - 1 - i) * csize, csize);
			memcpy(c + (n - 1 - i) * csize, x, csize);
		}
	}
}

/*
 * The checks must see a broken classifier: the first ruleset's table
 * broken each way (break_table) must make the C search, which reads the
 * very table the kernel's program is given, disagree with the
 * interpreter on some of the same frames.  0 if both are seen.
 */
static int broken_checks(uint32_t nrules, uint32_t nframes)
{
	uint32_t seen[2] = { 0, 0 };
	int fail = 0;

	for (int how = 0; how < 2; how++) {
		struct bw_opt_plan *plan = NULL;
		struct bw_diags d;
		struct bw_ir *ir = NULL;
		struct mixgen g;
		char *text;

		bw_diags_init(&d);
		mix_init(&g, 1);
		text = mix_ruleset(&g, nrules, true, DEV);
		if (!text || bw_compile_string("mix-1.conf", text, &d, &ir) ||
		    bw_optimize(ir, NULL, &plan) || !plan->cls) {
			fail = 1;
		} else {
			break_table(plan, how);
			quiet = true;
			for (uint32_t f = 0; f < nframes; f++) {
				struct bw_interp_result ri = { 0 };
				uint8_t pkt[128];
				size_t len = mix_packet(&g, pkt, 85);

				if (!bw_interp_run(ir, false, DEV, pkt, len, &ri))
					seen[how] += check_c_search(ir, plan, pkt, len, &ri);
			}
			quiet = false;
		}
		bw_opt_plan_free(&plan);
		bw_ir_free(&ir);
		bw_diags_fini(&d);
		free(text);
	}
	printf("broken-classifier checks: tags cleared: %u frames disagree, candidates reversed: %u frames disagree: %s\n",
	       seen[0], seen[1], fail || !seen[0] || !seen[1] ? "NOT SEEN" : "seen");
	return fail || !seen[0] || !seen[1];
}

int main(int argc, char **argv)
{
	uint32_t nseed = argc > 1 ? (uint32_t)atoi(argv[1]) : 24;
	uint32_t nrules = argc > 2 ? (uint32_t)atoi(argv[2]) : 400;
	uint32_t nframes = argc > 3 ? (uint32_t)atoi(argv[3]) : 3000;
	bool kernel = geteuid() == 0;
	double t0 = now_s(), deadline = t0 + 30;
	uint32_t ngroups = 0;
	uint64_t nruns = 0;
	int fail = 0;

	for (uint32_t s = 1; s <= nseed && !fail; s++)
		fail = one_seed(s, nrules, nframes, kernel, deadline, &ngroups,
				&nruns);
	printf("clsequiv: %u rulesets of %u rules, %u classifier groups (%u wide tuples, %u checking interfaces; %u rules with interface matches classified), %llu frames decided by a classifier's rule (%llu IPv6), %llu frames through the kernel, %.1f s: %s\n",
	       nseed, nrules, ngroups, nwide, nif, nifrule, (unsigned long long)in_cls,
	       (unsigned long long)in_cls6,
	       (unsigned long long)nruns, now_s() - t0,
	       fail ? "FAILED" : "same verdicts and deciding rules");
	if (fail)
		return 1;
	if (broken_checks(nrules, nframes))
		return 1;
	if (!ngroups || in_cls < (uint64_t)nseed * nframes / 10 ||
	    (nseed >= 2 && (!nwide || in_cls6 < in_cls / 20)) ||
	    (nseed >= 3 && !nifrule)) {
		fprintf(stderr, "too few classifier groups or frames they decide: the test proves little\n");
		return 1;
	}
	if (!kernel) {
		fprintf(stderr, "SKIP: not root, the kernel half did not run\n");
		return 77;
	}
	if (nruns < 5000 && nruns < (uint64_t)nseed * nframes) {
		fprintf(stderr, "only %llu frames through the kernel in 30 s: too few\n",
			(unsigned long long)nruns);
		return 1;
	}
	return 0;
}
