// SPDX-License-Identifier: GPL-2.0-only
/*
 * The classifier's cost under BPF_PROG_TEST_RUN: mixed rulesets
 * (mixgen.h, wide addresses) of each size given, with the classifier and
 * with every rule a compare chain; frames that miss every rule (checked
 * with the interpreter), a different one in each measurement.  Prints,
 * per size and build: instructions, build time (optimizer + bytecode),
 * load time (maps + verifier), tuples, and ns per packet over the empty
 * XDP program:
 *   fixed: BPF_PROG_TEST_RUN's own time per run of one frame repeated
 *          (caches warm), the median over 64 different frames;
 *   varying: the kernel's time of a single run (repeat 1), averaged over
 *          NFRAMES different frames, each run once (the syscalls between
 *          runs leave the caches as cold as a flood of different sources
 *          would, or colder).
 * Not part of make check (root, and minutes at 100k rules).
 *
 * clsbench [SIZE...]   (default 1000 10000 100000); CLSBENCH_NO_CHAIN=1
 * skips the compare chains (at 100k rules it is more than a program can
 * hold), CLSBENCH_TUPLES=1 lists each classifier's tuples,
 * CLSBENCH_V6=PCT makes PCT % of the rules IPv6 ones (mixgen.h: IPv6
 * addresses, prefixes, ranges, sets) and times IPv6 frames too (about
 * half of them), CLSBENCH_IFS=PCT puts an interface match in front of
 * PCT % of the rules.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "grammar/diag.h"
#include "compiler/opt/classify.h"
#include "compiler/bpf/codegen.h"
#include "compiler/front/compile.h"
#include "compiler/interp/interp.h"
#include "compiler/opt/optimize.h"
#include "runtime/rt.h"
#include "tests/lib/maps.h"
#include "tests/classify/mixgen.h"

#define DEV	"eth0"
#define NFIXED	64
#define NFRAMES	20000

struct frame {
	uint8_t b[128];
	uint32_t len;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int test_run(int fd, const struct frame *f, uint32_t repeat,
		    uint32_t *ret, uint32_t *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = f->len, .repeat = repeat);

	if (bpf_prog_test_run_opts(fd, &o))
		return -errno;
	*ret = o.retval;
	*ns = o.duration;
	return 0;
}

static int empty_prog(void)
{
	struct bpf_insn insn[2] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0,
		  .imm = XDP_PASS },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "bw_empty", "GPL", insn, 2, NULL);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Median of the fixed-frame ns/run over NFIXED frames. */
static double fixed_ns(int fd, const struct frame *f)
{
	uint32_t v[NFIXED], ret, ns;

	for (int i = 0; i < NFIXED; i++) {
		if (test_run(fd, &f[i], 2000, &ret, &ns))
			return -1;
		v[i] = ns;
	}
	qsort(v, NFIXED, sizeof(v[0]), cmp_u32);
	return v[NFIXED / 2];
}

/* Mean of the kernel's own time of one run (repeat 1: no syscall in
 * it) over n different frames, each once: the maps' lines are not warm
 * from the same key. */
static double varying_ns(int fd, const struct frame *f, uint32_t n)
{
	uint32_t ret, ns;
	double sum = 0;

	for (uint32_t i = 0; i < n; i++) {
		if (test_run(fd, &f[i], 1, &ret, &ns))
			return -1;
		sum += ns;
	}
	return sum / n;
}

struct built {
	int fd;
	struct bw_rt_maps maps;
	struct bw_opt_plan *plan;
	uint32_t ninsn;
	double build_ms, load_ms;
};

static int build(const struct bw_ir *ir, bool classify, struct built *b)
{
	struct bw_opt_opts oo = { .no_classify = !classify };
	struct bw_codegen_opts co = { 0 };
	struct bw_prog *prog = NULL;
	struct bw_diags d;
	double t0, t1;

	memset(b, 0, sizeof(*b));
	b->fd = -1;
	bw_diags_init(&d);
	bw_rt_maps_init(&b->maps);
	t0 = now_ms();
	if (bw_optimize(ir, &oo, &b->plan))
		goto out;
	co.plan = b->plan;
	if (bw_codegen(ir, BW_HOOK_XDP, DEV, &co, &d, &prog))
		goto out;
	t1 = now_ms();
	b->build_ms = t1 - t0;
	if (bwt_maps_create(&b->maps, ir, b->plan, false))
		goto out;
	b->fd = bw_rt_prog_load(prog, &b->maps, "clsbench", &d);
	b->load_ms = now_ms() - t1;
	b->ninsn = prog->ninsn;
out:
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	bw_prog_free(&prog);
	return b->fd < 0 ? -1 : 0;
}

static void built_free(struct built *b)
{
	if (b->fd >= 0)
		close(b->fd);
	bw_rt_maps_close(&b->maps);
	bw_opt_plan_free(&b->plan);
}

static uint32_t tuples(const struct bw_opt_plan *p, uint32_t *groups)
{
	uint32_t n = 0;

	*groups = 0;
	for (uint32_t i = 0; i < p->ngroup; i++)
		if (p->group[i].kind == BW_OPT_CLASSIFY) {
			n += p->group[i].ntuple;
			(*groups)++;
		}
	return n;
}

static int one_size(uint32_t n, int empty_fd, struct frame *fr, double empty_fixed,
		    double empty_var)
{
	struct bw_diags d;
	struct bw_ir *ir = NULL;
	struct mixgen g;
	char *text;
	uint32_t nf = 0, tries = 0;
	int err = 0;

	bw_diags_init(&d);
	mix_init(&g, n);
	g.wide = true;
	g.v6 = getenv("CLSBENCH_V6") ? (unsigned)atoi(getenv("CLSBENCH_V6")) : 0;
	g.ifs = getenv("CLSBENCH_IFS") ? (unsigned)atoi(getenv("CLSBENCH_IFS")) : 0;
	text = mix_ruleset(&g, n, false, DEV);
	if (!text || bw_compile_string("mixed.conf", text, &d, &ir)) {
		bw_diags_print(&d, stderr);
		free(text);
		bw_diags_fini(&d);
		return -1;
	}
	/* frames that miss every rule: the chain's policy decides (fewer
	 * for big rulesets: the interpreter walks every rule) */
	uint32_t want = n > 20000 ? 256 : NFRAMES;

	while (nf < want && tries++ < 50 * want) {
		struct bw_interp_result r;

		fr[nf].len = (uint32_t)mix_packet(&g, fr[nf].b, 0);
		if (!(fr[nf].b[12] == 0x86 && fr[nf].b[13] == 0xdd) &&
		    (fr[nf].b[12] != 0x08 || fr[nf].b[13] != 0x00 ||
		     (fr[nf].b[20] & 0x3f) || fr[nf].b[21]))
			continue;	/* IPv4, not a fragment, or IPv6: reaches
					 * the lookups */
		if (!bw_interp_run(ir, false, DEV, fr[nf].b, fr[nf].len, &r) &&
		    !r.handle && !r.malformed)
			nf++;
	}
	for (int c = getenv("CLSBENCH_NO_CHAIN") ? 1 : 0; c < 2 && !err; c++) {
		struct built b;
		uint32_t ng, nt;
		double fx, vr;

		if (build(ir, c == 1, &b)) {
			fprintf(stderr, "%u rules: build failed\n", n);
			err = -1;
			break;
		}
		nt = tuples(b.plan, &ng);
		for (uint32_t t = 0; getenv("CLSBENCH_TUPLES") && t < b.plan->ntuple; t++)
			fprintf(stderr, "  %s\n", b.plan->tuple[t].desc);
		fx = fixed_ns(b.fd, fr);
		vr = varying_ns(b.fd, fr, nf);
		printf("| %6u | %-13s | %7u | %8.1f | %8.1f | %5u / %5u | %8.1f | %8.1f |\n",
		       n, c ? "classifier" : "compare chain", b.ninsn, b.build_ms,
		       b.load_ms, ng, nt, fx - empty_fixed, vr - empty_var);
		fflush(stdout);
		built_free(&b);
	}
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	free(text);
	return err;
}

int main(int argc, char **argv)
{
	static const uint32_t def[] = { 1000, 10000, 100000 };
	struct frame *fr = calloc(NFRAMES, sizeof(*fr));
	int empty_fd = empty_prog(), fail = 0;
	double ef, ev;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!fr || empty_fd < 0) {
		fprintf(stderr, "clsbench: needs root (cannot load a program)\n");
		return 77;
	}
	/* the empty program's times, on frames of the same shape */
	{
		struct mixgen g;

		mix_init(&g, 1);
		g.wide = true;
		for (int i = 0; i < NFRAMES; i++)
			fr[i].len = (uint32_t)mix_packet(&g, fr[i].b, 0);
		ef = fixed_ns(empty_fd, fr);
		ev = varying_ns(empty_fd, fr, NFRAMES);
	}
	printf("empty XDP program: fixed %.1f ns, varying %.1f ns per run (subtracted below)\n\n",
	       ef, ev);
	printf("| rules  | build         | insns   | build ms | load ms  | groups/tuples | fixed ns | vary ns  |\n");
	printf("|--------|---------------|---------|----------|----------|---------------|----------|----------|\n");
	for (int i = 1; i < argc || (argc == 1 && i <= 3); i++) {
		uint32_t n = argc > 1 ? (uint32_t)atoi(argv[i]) : def[i - 1];

		fail |= one_size(n, empty_fd, fr, ef, ev);
	}
	close(empty_fd);
	free(fr);
	return fail ? 1 : 0;
}
