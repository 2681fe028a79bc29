// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall benchmark (`make bench`; never part of make check).
 *
 * For N rules `ip saddr A drop` (N distinct addresses from the
 * benchmarking range 198.18.0.0/15) in one netdev ingress chain:
 *
 *  - ns per packet through BPF_PROG_TEST_RUN of the XDP program, for a
 *    packet that matches no rule (the worst case: every rule is tried),
 *    next to an empty XDP program (r0 = XDP_PASS; exit) measured in the
 *    same run, interleaved; each figure is the median of several runs of a
 *    large repeat count.  Twice: as bpfwall builds it (optimizer on) and
 *    with every rule as compares (optimizer off).
 *  - compile (text -> IR), code generation, load (maps + verifier) time,
 *    and `bpfwall -f` time (bw_drive_apply: build every attach point, load,
 *    attach to a veth) next to `nft -f` of the same ruleset, both in a
 *    throwaway network namespace.
 *  - ns per packet of set lookups: named sets (hash, interval, a
 *    concatenation) of 1 to 100k elements, and literal sets of 2 to 128
 *    elements as compares and as a lookup (sets.c).
 *  - ns per packet of connection tracking: an established flow's answer
 *    and a stray packet, against a stateless rule (ct.c).
 *  - packets per second over the veth pair: an empty XDP drop, bpfwall,
 *    nft (pps.c).
 *  - ns added per connect() by the audit hook (cgroup connect4, log
 *    mode) of 1 and 1000 egress rules (connect.c).
 *  - ns per packet of each attach point (XDP, TC egress, the netfilter
 *    input and output hooks) next to nft at the same hook, real traffic
 *    between two throwaway namespaces (hooks.c; `bwbench hooks` alone).
 *
 *  - packets per second over veth of uniform and mixed rulesets whose
 *    every rule the frames go through, bpfwall against nft, and their
 *    load and swap times (mixed.c; `bwbench mixed` alone, with options).
 *
 * `bwbench flood [FILE]` runs only the flood of blocked sources at the
 * input path (flood.c), with FILE's ruleset or a default one.
 *
 * Before timing, each program is checked: the packet that matches nothing
 * must return XDP_PASS, a packet from the last rule's address XDP_DROP, and
 * the reference interpreter must agree.  A benchmark of the wrong program
 * is worse than none.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "compiler/bpf/codegen.h"
#include "compiler/interp/interp.h"
#include "runtime/runtime.h"
#include "cli/drive.h"
#include "bench.h"
#include "connect.h"
#include "hooks.h"
#include "mixed.h"

#define NRUNS		BW_BENCH_NRUNS
#define TARGET_NS	40000000ull	/* ~40 ms per measurement */
#define MAX_SIZES	8

struct result {
	unsigned nrules;
	double empty_ns, prog_ns, lin_empty_ns, lin_ns;
	uint32_t ninsn, lin_ninsn;
	double compile_ms, codegen_ms, load_ms, lin_load_ms;
	double apply_ms, reapply_ms, nft_ms;
	bool ok, lin_ok;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void bw_bench_addr(unsigned off, char *buf, size_t len)
{
	snprintf(buf, len, "198.%u.%u.%u", 18 + (off >> 16), (off >> 8) & 0xff,
		 off & 0xff);
}

static void rule_addr(unsigned i, char *buf, size_t len)
{
	/* 198.18.0.1 ... : distinct for i < 131071 */
	bw_bench_addr(i + 1, buf, len);
}

void bw_bench_ruleset_open(struct bw_pbuf *b, const char *before)
{
	bw_pbuf_printf(b, "table netdev bench {\n%s\tchain in {\n"
		       "\t\ttype filter hook ingress device \"%s\" priority 0; policy accept;\n",
		       before, BENCH_DEV);
}

char *bw_bench_ruleset_close(struct bw_pbuf *b)
{
	bw_pbuf_put(b, "\t}\n}\n");
	return bw_pbuf_take(b);
}

static char *ruleset_text(unsigned n)
{
	struct bw_pbuf b = { 0 };
	char addr[32];

	bw_bench_ruleset_open(&b, "");
	for (unsigned i = 0; i < n; i++) {
		rule_addr(i, addr, sizeof(addr));
		bw_pbuf_printf(&b, "\t\tip saddr %s drop\n", addr);
	}
	return bw_bench_ruleset_close(&b);
}

int bw_bench_pkt(const char *spec_text, struct bw_bench_pkt *p)
{
	struct bw_pkt_spec *s = NULL;
	struct bw_diags d;
	int err;

	bw_diags_init(&d);
	err = bw_pkt_spec_parse("<bench packet>", spec_text, &d, &s);
	if (!err) {
		p->len = bw_pkt_build(s, p->buf, sizeof(p->buf), &d);
		err = p->len > 0 ? 0 : -EINVAL;
	}
	if (err)
		bw_diags_print(&d, stderr);
	bw_pkt_spec_free(&s);
	bw_diags_fini(&d);
	return err;
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

static int run(int fd, const struct bw_bench_pkt *p, uint32_t repeat,
	       uint32_t *ret, uint32_t *ns)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p->buf,
		    .data_size_in = (uint32_t)p->len, .repeat = repeat);
	int err = bpf_prog_test_run_opts(fd, &o);

	if (err)
		return err;
	*ret = o.retval;
	*ns = o.duration;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int bw_bench_measure(int fd, int empty_fd, const struct bw_bench_pkt *p,
		     double *prog_ns, double *empty_ns)
{
	double a[NRUNS], b[NRUNS];
	uint32_t ret, ns, repeat;

	/* calibrate: one run of 1000 */
	if (run(fd, p, 1000, &ret, &ns))
		return -errno;
	repeat = (uint32_t)(TARGET_NS / (ns ? ns : 1));
	if (repeat < 1000)
		repeat = 1000;
	if (repeat > 20000000)
		repeat = 20000000;
	for (int i = 0; i < NRUNS; i++) {
		if (run(empty_fd, p, repeat, &ret, &ns))
			return -errno;
		b[i] = ns;
		if (run(fd, p, repeat, &ret, &ns))
			return -errno;
		a[i] = ns;
	}
	qsort(a, NRUNS, sizeof(double), cmp_double);
	qsort(b, NRUNS, sizeof(double), cmp_double);
	*prog_ns = a[NRUNS / 2];
	*empty_ns = b[NRUNS / 2];
	return 0;
}

bool bw_bench_verify(int fd, const struct bw_ir *ir,
		     const struct bw_bench_pkt *p, uint32_t want,
		     const char *what)
{
	struct bw_interp_result ir_res;
	uint32_t ret, ns;

	if (run(fd, p, 1, &ret, &ns)) {
		fprintf(stderr, "bench: test run failed (%s): %s\n", what,
			strerror(errno));
		return false;
	}
	if (ret != want) {
		fprintf(stderr, "bench: WRONG PROGRAM: %s returned %u, want %u\n",
			what, ret, want);
		return false;
	}
	if (bw_interp_run(ir, false, BENCH_DEV, p->buf, (size_t)p->len, &ir_res) ||
	    ir_res.verdict != (want == XDP_PASS ? BW_VERDICT_ACCEPT : BW_VERDICT_DROP)) {
		fprintf(stderr, "bench: the interpreter disagrees on %s\n", what);
		return false;
	}
	return true;
}

void bw_bench_prog_close(struct bw_bench_prog *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
	bw_rt_maps_close(&p->maps);
	bw_opt_plan_free(&p->plan);
}

int bw_bench_build(const struct bw_ir *ir, bool optimize,
		   const struct bw_bench_pkt *miss, const struct bw_bench_pkt *hit,
		   struct bw_bench_prog *p)
{
	struct bw_opt_opts oo = { .disable = !optimize };
	struct bw_codegen_opts co = { 0 };
	struct bw_map_specs *specs = NULL;
	struct bw_prog *prog = NULL;
	struct bw_diags d;
	double t0, t1, t2;

	memset(p, 0, sizeof(*p));
	p->fd = -1;
	bw_diags_init(&d);
	bw_rt_maps_init(&p->maps);
	t0 = now_ms();
	if (bw_optimize(ir, &oo, &p->plan)) {
		fprintf(stderr, "bench: optimizer failed\n");
		goto out;
	}
	co.plan = p->plan;
	if (bw_codegen(ir, BW_HOOK_XDP, BENCH_DEV, &co, &d, &prog)) {
		bw_diags_print(&d, stderr);
		goto out;
	}
	if (bw_map_specs_build(ir, p->plan, false, &specs)) {
		fprintf(stderr, "bench: cannot describe the maps\n");
		goto out;
	}
	t1 = now_ms();
	if (bw_rt_maps_create(&p->maps, specs)) {
		fprintf(stderr, "bench: cannot create maps\n");
		goto out;
	}
	p->fd = bw_rt_prog_load(prog, &p->maps, "bench", &d);
	t2 = now_ms();
	if (p->fd < 0) {
		bw_diags_print(&d, stderr);
		p->fd = -1;
		goto out;
	}
	p->ninsn = prog->ninsn;
	p->codegen_ms = t1 - t0;
	p->load_ms = t2 - t1;
	if (!bw_bench_verify(p->fd, ir, miss, XDP_PASS, "the packet that matches nothing") ||
	    !bw_bench_verify(p->fd, ir, hit, XDP_DROP, "the packet to drop")) {
		close(p->fd);
		p->fd = -1;
	}
out:
	bw_prog_free(&prog);
	bw_map_specs_free(&specs);
	bw_diags_fini(&d);
	if (p->fd < 0)
		bw_bench_prog_close(p);
	return p->fd < 0 ? -1 : 0;
}

/* A private netns and mount ns with a veth named BENCH_DEV and a bpffs. */
static char pin_dir[64];

static int sandbox(void)
{
	if (unshare(CLONE_NEWNET | CLONE_NEWNS)) {
		perror("bench: unshare");
		return -1;
	}
	if (mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		perror("bench: mount --make-rprivate /");
		return -1;
	}
	if (system("ip link add " BENCH_DEV " type veth peer name bwbench1 && "
		   "ip link set " BENCH_DEV " up && ip link set bwbench1 up")) {
		fprintf(stderr, "bench: cannot create the veth pair\n");
		return -1;
	}
	snprintf(pin_dir, sizeof(pin_dir), "/tmp/bwbench-%d", (int)getpid());
	if (mkdir(pin_dir, 0700) || mount("bpf", pin_dir, "bpf", 0, "mode=0700")) {
		perror("bench: bpffs");
		return -1;
	}
	return 0;
}

static void apply_times(const struct bw_ir *ir, struct result *r)
{
	struct bw_rt_opts o = { .pin_dir = pin_dir };
	struct bw_diags d;
	double t0;

	bw_diags_init(&d);
	t0 = now_ms();
	if (bw_drive_apply(ir, &o, &d) == 0) {
		r->apply_ms = now_ms() - t0;
		t0 = now_ms();
		if (bw_drive_apply(ir, &o, &d) == 0)
			r->reapply_ms = now_ms() - t0;
	}
	bw_diags_print(&d, stderr);
	bw_rt_flush(&o, &d);
	bw_diags_fini(&d);
}

static double nft_time(const char *text)
{
	char path[64], cmd[160];
	double t0, t;
	FILE *f;

	if (system("command -v nft >/dev/null 2>&1"))
		return -1;
	snprintf(path, sizeof(path), "/tmp/bwbench-%d.nft", (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "nft -f %s", path);
	t0 = now_ms();
	t = system(cmd) == 0 ? now_ms() - t0 : -1;
	(void)!system("nft flush ruleset");
	unlink(path);
	return t;
}

static void machine(FILE *out)
{
	struct utsname u;
	char line[256], model[200] = "unknown";
	FILE *f = fopen("/proc/cpuinfo", "r");
	time_t now = time(NULL);
	char date[64];

	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "model name", 10)) {
			char *c = strchr(line, ':');

			if (c) {
				snprintf(model, sizeof(model), "%s", c + 2);
				model[strcspn(model, "\n")] = '\0';
			}
			break;
		}
	}
	if (f)
		fclose(f);
	uname(&u);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
	fprintf(out, "Date: %s  \nKernel: %s %s  \nCPU: %s, nproc %ld\n\n",
		date, u.release, u.machine, model, sysconf(_SC_NPROCESSORS_ONLN));
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bwbench [SIZE...]    every section (sizes of the first tables)\n"
		"       bwbench hooks          only the cost of each attach point\n"
		"       bwbench flood [FILE]   only the flood of blocked sources at input\n"
		"       bwbench concat         only literal concatenations, one range per\n"
		"                              element or two\n");
	bw_mx_usage(f);
	fprintf(f, "(root: BPF_PROG_TEST_RUN, network and mount namespaces it makes;\n"
		" BWBENCH_PLOT=FILE.png: the full run plots the mixed section too)\n");
}

static void teardown(void)
{
	umount(pin_dir);
	rmdir(pin_dir);
}

/* The bpfwall binary of this build (bench/bwbench's ../bpfwall), else
 * the installed one. */
static const char *bpfwall_path(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 16);
	char *slash;

	if (n > 0) {
		path[n] = '\0';
		slash = strrchr(path, '/');
		if (slash) {
			*slash = '\0';
			slash = strrchr(path, '/');
		}
		if (slash) {
			strcpy(slash, "/bpfwall");
			if (!access(path, X_OK))
				return path;
		}
	}
	return access("/usr/local/sbin/bpfwall", X_OK) ? "/usr/sbin/bpfwall" :
	       "/usr/local/sbin/bpfwall";
}

/* bwbench mixed [OPTION...] */
static int mixed(int argc, char **argv)
{
	struct bw_mx_opts o;
	unsigned print_n;
	int print_shape = 0, failed;

	bw_mx_opts_default(&o);
	if (bw_mx_opts_parse(&o, argc - 2, argv + 2, &print_shape, &print_n)) {
		usage(stderr);
		return 1;
	}
	if (print_n) {
		char *text = bw_mx_ruleset((enum bw_mx_shape)print_shape, print_n,
					   o.seed, BW_HK_DUT);

		if (text)
			fputs(text, stdout);
		free(text);
		return text ? 0 : 1;
	}
	if (!o.bpfwall)
		o.bpfwall = bpfwall_path();
	if (geteuid() != 0) {
		fprintf(stderr, "bench: needs root (BPF_PROG_TEST_RUN, namespaces)\n");
		return 1;
	}
	if (sandbox())
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# bpfwall benchmark: mixed\n\n");
	machine(stdout);
	printf("Command: bwbench");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	failed = bw_bench_mixed(pin_dir, &o, stdout);
	teardown();
	if (failed)
		fprintf(stderr, "bench: %d measurements FAILED\n", failed);
	return failed ? 1 : 0;
}

/* bwbench hooks, bwbench flood [FILE]: one section alone. */
static int section(int argc, char **argv)
{
	int failed;

	if (sandbox())
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# bpfwall benchmark: %s\n\n", argv[1]);
	machine(stdout);
	if (!strcmp(argv[1], "hooks")) {
		failed = bw_bench_hooks(pin_dir, stdout);
	} else if (!strcmp(argv[1], "concat")) {
		int empty_fd = empty_prog();

		failed = empty_fd < 0 ? 1 : bw_bench_concat(empty_fd, stdout);
		if (empty_fd >= 0)
			close(empty_fd);
	} else {
		failed = bw_bench_flood(pin_dir, argc > 2 ? argv[2] : NULL, stdout);
	}
	teardown();
	if (failed)
		fprintf(stderr, "bench: %d measurements FAILED\n", failed);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned sizes[MAX_SIZES] = { 1, 100, 1000, 10000, 100000 };
	unsigned nsizes = 5;
	struct result res[MAX_SIZES] = { 0 };
	struct bw_bench_pkt miss;
	int empty_fd, failed = 0;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "mixed"))
		return mixed(argc, argv);
	if (argc > 1 && (!strcmp(argv[1], "hooks") || !strcmp(argv[1], "flood") ||
			 !strcmp(argv[1], "concat"))) {
		if (argc > (strcmp(argv[1], "flood") ? 2 : 3)) {
			usage(stderr);
			return 1;
		}
		if (geteuid() != 0) {
			fprintf(stderr, "bench: needs root (BPF_PROG_TEST_RUN, namespaces)\n");
			return 1;
		}
		return section(argc, argv);
	}
	if (argc > 1) {
		nsizes = 0;
		for (int i = 1; i < argc && nsizes < MAX_SIZES; i++) {
			char *end;

			sizes[nsizes++] = (unsigned)strtoul(argv[i], &end, 10);
			if (*end || !sizes[nsizes - 1] || sizes[nsizes - 1] > 131071) {
				usage(stderr);
				return 1;
			}
		}
	}
	if (geteuid() != 0) {
		fprintf(stderr, "bench: needs root (BPF_PROG_TEST_RUN, namespaces)\n");
		return 1;
	}
	if (sandbox())
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (bw_bench_pkt("ip saddr 192.0.2.1 ip daddr 192.0.2.2 udp sport 40000 udp dport 9", &miss))
		return 1;
	empty_fd = empty_prog();
	if (empty_fd < 0) {
		perror("bench: empty XDP program");
		return 1;
	}
	printf("# bpfwall benchmark\n\n");
	machine(stdout);

	for (unsigned k = 0; k < nsizes; k++) {
		struct result *r = &res[k];
		unsigned n = sizes[k];
		char *text = ruleset_text(n), hit_spec[96], addr[32];
		struct bw_ir *ir = NULL;
		struct bw_bench_prog prog = { .fd = -1 }, lin = { .fd = -1 };
		struct bw_diags d;
		struct bw_bench_pkt hit;
		double t0;

		bw_rt_maps_init(&prog.maps);
		bw_rt_maps_init(&lin.maps);
		r->nrules = n;
		fprintf(stderr, "bench: %u rules ...\n", n);
		rule_addr(n - 1, addr, sizeof(addr));
		snprintf(hit_spec, sizeof(hit_spec),
			 "ip saddr %s ip daddr 192.0.2.2 udp sport 40000 udp dport 9", addr);
		bw_diags_init(&d);
		t0 = now_ms();
		if (!text || bw_compile_string("<bench>", text, &d, &ir)) {
			bw_diags_print(&d, stderr);
			bw_diags_fini(&d);
			free(text);
			failed++;
			continue;
		}
		r->compile_ms = now_ms() - t0;
		/* d owns the source the IR's locations point into: it lives
		 * as long as the IR. */
		if (bw_bench_pkt(hit_spec, &hit)) {
			failed++;
			goto next;
		}
		bw_bench_build(ir, false, &miss, &hit, &lin);
		if (bw_bench_build(ir, true, &miss, &hit, &prog)) {
			failed++;
			goto next;
		}
		r->ninsn = prog.ninsn;
		r->codegen_ms = prog.codegen_ms;
		r->load_ms = prog.load_ms;
		r->lin_ninsn = lin.ninsn;
		r->lin_load_ms = lin.load_ms;
		/* Compare chains of 100k rules exceed the verifier's limits:
		 * that column is then left empty, not a failure. */
		if (lin.fd < 0)
			fprintf(stderr, "bench: %u rules as compares: not loadable\n", n);
		if (bw_bench_measure(prog.fd, empty_fd, &miss, &r->prog_ns, &r->empty_ns) ||
		    (lin.fd >= 0 &&
		     bw_bench_measure(lin.fd, empty_fd, &miss, &r->lin_ns,
				      &r->lin_empty_ns))) {
			perror("bench: test run");
			failed++;
			goto next;
		}
		r->lin_ok = lin.fd >= 0;
		apply_times(ir, r);
		r->nft_ms = nft_time(text);
		r->ok = true;
next:
		bw_bench_prog_close(&prog);
		bw_bench_prog_close(&lin);
		bw_ir_free(&ir);
		bw_diags_fini(&d);
		free(text);
	}

	printf("## ns per packet (BPF_PROG_TEST_RUN, XDP, packet matching no rule)\n\n");
	printf("Median of %d runs; the empty program (r0 = XDP_PASS; exit) runs\n"
	       "interleaved with the program under test.  \"as loaded\" is what\n"
	       "`bpfwall -f` loads (optimizer on); \"compares\" has every rule as\n"
	       "compare instructions (optimizer off).\n\n", NRUNS);
	printf("| rules | empty | as loaded | added | insns | compares | added | insns |\n");
	printf("|------:|------:|----------:|------:|------:|---------:|------:|------:|\n");
	for (unsigned k = 0; k < nsizes; k++) {
		struct result *r = &res[k];

		if (!r->ok) {
			printf("| %u | FAILED | | | | | | |\n", r->nrules);
			continue;
		}
		printf("| %u | %.0f | %.0f | %+.0f | %u |", r->nrules, r->empty_ns,
		       r->prog_ns, r->prog_ns - r->empty_ns, r->ninsn);
		if (r->lin_ok)
			printf(" %.0f | %+.0f | %u |\n", r->lin_ns,
			       r->lin_ns - r->lin_empty_ns, r->lin_ninsn);
		else
			printf(" not loadable | | |\n");
	}
	printf("\n## Load time (ms)\n\n");
	printf("compile: text to IR; codegen: optimizer and bytecode; load: maps and\n"
	       "verifier (optimizer on; in parentheses: off); `bpfwall -f`: bw_drive_apply\n"
	       "onto a veth in a throwaway netns (first load, then a replace);\n"
	       "`nft -f`: the same ruleset in the same netns (includes fork+exec).\n\n");
	printf("| rules | compile | codegen | load | `bpfwall -f` | replace | `nft -f` |\n");
	printf("|------:|--------:|--------:|-----:|-------------:|--------:|---------:|\n");
	for (unsigned k = 0; k < nsizes; k++) {
		struct result *r = &res[k];

		if (!r->ok) {
			printf("| %u | FAILED | | | | | |\n", r->nrules);
			continue;
		}
		printf("| %u | %.2f | %.2f | %.2f", r->nrules, r->compile_ms,
		       r->codegen_ms, r->load_ms);
		if (r->lin_ok)
			printf(" (%.2f)", r->lin_load_ms);
		printf(" | %.2f | %.2f | %.2f |\n", r->apply_ms, r->reapply_ms,
		       r->nft_ms);
	}
	failed += bw_bench_sets(empty_fd, stdout);
	failed += bw_bench_concat(empty_fd, stdout);
	failed += bw_bench_ct(empty_fd, stdout);
	failed += bw_bench_pps(pin_dir, sizes, nsizes, stdout);
	if (bw_bench_connect(pin_dir, stdout))
		failed++;
	failed += bw_bench_hooks(pin_dir, stdout);
	{
		struct bw_mx_opts mo;

		bw_mx_opts_default(&mo);
		mo.bpfwall = bpfwall_path();
		mo.plot = getenv("BWBENCH_PLOT");
		failed += bw_bench_mixed(pin_dir, &mo, stdout);
	}
	close(empty_fd);
	teardown();
	if (failed)
		fprintf(stderr, "bench: %d sizes FAILED\n", failed);
	return failed ? 1 : 0;
}
