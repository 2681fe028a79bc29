// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bwbench mixed`: frames that reach the rules, over veth.  For each shape
 * (uniform, mixed: mixrules.c) and size, over hooknet.c's namespace pair,
 * the live-frames generator sends UDP frames from random addresses of
 * 198.19.0.0/16 with random source ports 32768-65535 to 192.0.2.2:9, a new
 * key in every frame, which no rule matches (mixed.h): every frame goes
 * through every rule's checks and ends at the chain's policy drop.  In
 * turn, on the DUT's veth:
 *
 *  1. an empty XDP drop program (the ceiling);
 *  2. the file loaded by `bpfwall -f` (the CLI: fresh loads, then loads
 *     over the running ruleset: the swap), then bursts through it;
 *  3. the empty program again (its figure is the median of both sets);
 *  4. the same file in nft (`nft -f`, netdev ingress on the same veth,
 *     GRO on; the swap: `flush ruleset` and the file in one transaction).
 *
 * Checked, and printed: the generator's frames (a test run: the address
 * plan holds, sources vary); the reference interpreter sends sample
 * frames of the same plan to the policy (no rule matched); per burst,
 * the frames reached the DUT (rx_queue_0_xdp_packets: at least 90 % of
 * them, the figures count those), the XDP programs dropped them all
 * (rx_queue_0_xdp_drops), nft let none reach IP (Ip InReceives; a burst
 * without a ruleset shows they would).  A load is
 * stopped after --max-load seconds and reported so; nothing else is
 * timed against a limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "compiler/interp/interp.h"
#include "runtime/runtime.h"
#include "bench.h"
#include "hooks.h"
#include "mixed.h"

#define MAX_ROUNDS	9
#define MAX_LOADS	9
#define NSAMPLE		64	/* frames through the interpreter */
#define SLOW_LOAD_MS	5000.0	/* after a load this long, no repeats */

enum who { W_NONE, W_EMPTY, W_BW, W_NFT };

static const char *const who_name[] = {
	"no ruleset", "empty XDP drop", "bpfwall", "nft netdev ingress",
};

/* The bursts of one program: figures and where the frames went. */
struct fig {
	double mpps[2 * MAX_ROUNDS], ns[2 * MAX_ROUNDS];
	int n;
	uint64_t frames, reached, xdp_drop, ip_in;
	double secs, wait_ns;
	const char *why;		/* the failed check, NULL */
	bool ran;
};

struct cfg {
	enum bw_mx_shape shape;
	unsigned n;
	struct fig empty, bw, nft;
	double bw_load[MAX_LOADS], bw_swap[MAX_LOADS];
	double nft_load[MAX_LOADS], nft_swap[MAX_LOADS];
	int nbl, nbs, nnl, nns;
	char bw_note[160], nft_note[160];
	long map_kib;			/* bpfwall's program's maps, -1: unknown */
	int sample_ok;			/* frames the interpreter sent to the policy */
	bool sample_ran;
};

void bw_mx_opts_default(struct bw_mx_opts *o)
{
	static const unsigned sizes[] = { 1000, 10000, 100000 };

	memset(o, 0, sizeof(*o));
	memcpy(o->sizes, sizes, sizeof(sizes));
	o->nsizes = 3;
	o->shape[BW_MX_UNIFORM] = o->shape[BW_MX_MIXED] = true;
	o->seed = 1;
	o->rounds = 3;
	o->burst_secs = 0.3;
	o->load_runs = 3;
	o->max_load_secs = 60;
}

void bw_mx_usage(FILE *f)
{
	fprintf(f, "       bwbench mixed [OPTION...]  uniform and mixed rulesets over veth,\n"
		"                              bpfwall against nft, load and swap times\n"
		"         --sizes N,N,...     rule counts (default 1000,10000,100000; 1-%u)\n"
		"         --shapes S,S        uniform, mixed (default both)\n"
		"         --seed N            ruleset generator seed (default 1)\n"
		"         --rounds N          bursts per figure, median (default 3; 1-%d)\n"
		"         --burst-ms MS       a burst's length (default 300)\n"
		"         --load-runs N       timed loads, median (default 3; 1-%d)\n"
		"         --max-load S        stop a load after S seconds (default 60)\n"
		"         --no-nft            bpfwall only\n"
		"         --plot FILE.png     plot Mpps against rules (needs gnuplot)\n"
		"         --keep DIR          keep the ruleset files in DIR\n"
		"         --bpfwall PATH      the bpfwall binary (default: the build's)\n"
		"         --smoke             tiny: 20 rules, 1 round, 20 ms bursts, 1 load\n"
		"       bwbench mixed --print SHAPE N [--seed N]   print a ruleset\n",
		BW_MX_MAX_RULES, MAX_ROUNDS, MAX_LOADS);
}

static bool number(const char *s, unsigned long lo, unsigned long hi,
		   unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 10);
	return s[0] >= '0' && s[0] <= '9' && !*end && !errno && *v >= lo && *v <= hi;
}

static int parse_sizes(struct bw_mx_opts *o, const char *arg)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	unsigned long v;
	int err = 0;

	o->nsizes = 0;
	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		if (o->nsizes == BW_MX_MAX_SIZES || !number(tok, 1, BW_MX_MAX_RULES, &v))
			err = -1;
		else
			o->sizes[o->nsizes++] = (unsigned)v;
	}
	free(copy);
	return err || !o->nsizes ? -1 : 0;
}

static int parse_shapes(struct bw_mx_opts *o, const char *arg)
{
	char *copy = strdup(arg), *save = NULL, *tok;
	int err = 0, s, any = 0;

	o->shape[BW_MX_UNIFORM] = o->shape[BW_MX_MIXED] = false;
	for (tok = copy ? strtok_r(copy, ",", &save) : NULL; tok && !err;
	     tok = strtok_r(NULL, ",", &save)) {
		s = bw_mx_shape_parse(tok);
		if (s < 0)
			err = -1;
		else
			o->shape[s] = true;
		any |= s >= 0;
	}
	free(copy);
	return err || !any ? -1 : 0;
}

int bw_mx_opts_parse(struct bw_mx_opts *o, int argc, char **argv,
		     int *print_shape, unsigned *print_n)
{
	unsigned long v;

	*print_n = 0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true, takes = true;

		if (!strcmp(a, "--no-nft")) {
			o->no_nft = true;
			takes = false;
		} else if (!strcmp(a, "--smoke")) {
			o->sizes[0] = 20;
			o->nsizes = 1;
			o->rounds = 1;
			o->burst_secs = 0.02;
			o->load_runs = 1;
			takes = false;
		} else if (!val) {
			ok = false;
		} else if (!strcmp(a, "--sizes")) {
			ok = !parse_sizes(o, val);
		} else if (!strcmp(a, "--shapes")) {
			ok = !parse_shapes(o, val);
		} else if (!strcmp(a, "--seed")) {
			ok = number(val, 0, ~0ul, &v);
			o->seed = v;
		} else if (!strcmp(a, "--rounds")) {
			ok = number(val, 1, MAX_ROUNDS, &v);
			o->rounds = (int)v;
		} else if (!strcmp(a, "--burst-ms")) {
			ok = number(val, 1, 10000, &v);
			o->burst_secs = (double)v / 1e3;
		} else if (!strcmp(a, "--load-runs")) {
			ok = number(val, 1, MAX_LOADS, &v);
			o->load_runs = (int)v;
		} else if (!strcmp(a, "--max-load")) {
			ok = number(val, 1, 3600, &v);
			o->max_load_secs = (double)v;
		} else if (!strcmp(a, "--plot")) {
			o->plot = val;
		} else if (!strcmp(a, "--keep")) {
			o->keep_dir = val;
		} else if (!strcmp(a, "--bpfwall")) {
			o->bpfwall = val;
		} else if (!strcmp(a, "--print") && i + 2 < argc) {
			*print_shape = bw_mx_shape_parse(val);
			ok = *print_shape >= 0 && number(argv[i + 2], 1, BW_MX_MAX_RULES, &v);
			*print_n = (unsigned)v;
			i++;
		} else {
			ok = false;
		}
		if (!ok) {
			fprintf(stderr, "bwbench mixed: bad option %s%s%s\n", a,
				val && takes ? " " : "", val && takes ? val : "");
			return -1;
		}
		i += takes;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double c[2 * MAX_ROUNDS + MAX_LOADS];

	if (n <= 0)
		return -1;
	memcpy(c, v, (size_t)n * sizeof(double));
	qsort(c, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? c[n / 2] : (c[n / 2 - 1] + c[n / 2]) / 2;
}

/*
 * Run argv, its output to a log; wait at most limit seconds (then kill
 * it).  0 with *ms the wall time (fork and exec included, as for nft),
 * -ETIMEDOUT, or -1 with the log's first line in err.
 */
static int timed(char *const argv[], double limit, double *ms, char *err,
		 size_t errlen)
{
	char log[] = "/tmp/bwbench-mixed-XXXXXX";
	int lfd = mkstemp(log), pfd, st = 0, rc = 0;
	struct pollfd p;
	double t0 = now_s();
	pid_t pid;

	if (lfd < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(lfd, 1);
		dup2(lfd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	pfd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1;
	if (pid > 0 && pfd >= 0) {
		p = (struct pollfd){ .fd = pfd, .events = POLLIN };
		if (poll(&p, 1, (int)(limit * 1e3)) == 0) {
			kill(pid, SIGKILL);
			rc = -ETIMEDOUT;
		}
		close(pfd);
	}
	if (pid > 0)
		waitpid(pid, &st, 0);
	*ms = (now_s() - t0) * 1e3;
	if (!rc && (pid <= 0 || !WIFEXITED(st) || WEXITSTATUS(st))) {
		FILE *f = fdopen(dup(lfd), "r");

		rc = -1;
		snprintf(err, errlen, "exit %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		if (f) {
			rewind(f);
			if (fgets(err, (int)errlen, f))
				err[strcspn(err, "\n")] = '\0';
			fclose(f);
		}
	}
	close(lfd);
	unlink(log);
	return rc;
}

/* frame with a key as the generator writes it (an IPv4 checksum anew) */
static void frame_key(uint8_t *f, uint32_t saddr, uint16_t sport)
{
	uint32_t sum = 0;

	f[26] = (uint8_t)(saddr >> 24);
	f[27] = (uint8_t)(saddr >> 16);
	f[28] = (uint8_t)(saddr >> 8);
	f[29] = (uint8_t)saddr;
	f[34] = (uint8_t)(sport >> 8);
	f[35] = (uint8_t)sport;
	f[24] = f[25] = 0;
	for (int i = 14; i < 34; i += 2)
		sum += (uint32_t)(f[i] << 8 | f[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f[24] = (uint8_t)(~sum >> 8);
	f[25] = (uint8_t)~sum;
}

/* The generator's frames, by test runs: sources and ports where mixed.h
 * says, a valid checksum, and different from frame to frame. */
static int gen_check(int gen, const uint8_t *frame, FILE *out)
{
	uint8_t in[BW_HK_FRAME_LEN], got[BW_HK_FRAME_LEN], want[BW_HK_FRAME_LEN];
	uint32_t first = 0;
	int distinct = 0, bad = 0;

	for (int i = 0; i < 32; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in,
			    .data_size_in = sizeof(in), .data_out = got,
			    .data_size_out = sizeof(got), .repeat = 1);
		uint32_t saddr;
		uint16_t sport;

		memcpy(in, frame, sizeof(in));
		if (bpf_prog_test_run_opts(gen, &o) || o.retval != XDP_TX) {
			bad++;
			continue;
		}
		saddr = (uint32_t)got[26] << 24 | (uint32_t)got[27] << 16 |
			(uint32_t)got[28] << 8 | got[29];
		sport = (uint16_t)(got[34] << 8 | got[35]);
		memcpy(want, got, sizeof(want));
		frame_key(want, saddr, sport);
		if ((saddr & ~BW_MX_FRAME_SRC_MASK) != BW_MX_FRAME_SRC ||
		    sport < BW_MX_FRAME_SPORT || memcmp(want, got, sizeof(got)))
			bad++;
		if (i == 0)
			first = saddr;
		else if (saddr != first)
			distinct++;
	}
	fprintf(out, "Generator check (32 test runs): %d frames outside the plan "
		"or with a bad checksum, %d of 31 from another source than the "
		"first: %s.\n\n", bad, distinct, !bad && distinct >= 24 ? "ok" : "FAILED");
	return !bad && distinct >= 24 ? 0 : -1;
}

/* The interpreter on NSAMPLE frames of the plan: all to the policy? */
static void sample(const char *text, const uint8_t *frame, uint64_t seed,
		   struct cfg *c)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
	uint8_t f[BW_HK_FRAME_LEN];

	bw_diags_init(&d);
	c->sample_ran = true;
	if (bw_compile_string("<bench-mixed>", text, &d, &ir)) {
		bw_diags_print(&d, stderr);
		goto out;
	}
	for (int i = 0; i < NSAMPLE; i++) {
		struct bw_interp_result res;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(f, frame, sizeof(f));
		frame_key(f, BW_MX_FRAME_SRC | ((uint32_t)x & BW_MX_FRAME_SRC_MASK),
			  (uint16_t)(BW_MX_FRAME_SPORT | ((x >> 32) & 0x7fff)));
		if (!bw_interp_run(ir, false, BW_HK_DUT, f, sizeof(f), &res) &&
		    res.verdict == BW_VERDICT_DROP && res.handle == 0 && !res.malformed)
			c->sample_ok++;
	}
out:
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

static bool most(uint64_t got, uint64_t n)
{
	return (double)got >= 0.98 * (double)n;
}

/*
 * Did the burst's frames end where w says?  NULL, or why not.  Frames
 * the veth lost on the way (its ring full while the receiving softirq was
 * held off) are no fault of the program: up to 10 % may be lost, and the
 * figures count the frames that arrived.
 */
static const char *check(enum who w, const struct bw_hk_run *r)
{
	uint64_t got = r->d.dut_xdp;

	if ((double)got < 0.9 * (double)r->n)
		return "fewer than 90 % of the frames reached the DUT";
	if ((w == W_EMPTY || w == W_BW) && !most(r->d.dut_xdp_drop, got))
		return "the XDP program did not drop every frame";
	if ((w == W_BW || w == W_NFT) && (double)r->d.ip_in > 0.02 * (double)got)
		return "frames passed the ruleset to IP";
	if (w == W_NONE && !most(r->d.ip_in, got))
		return "without a ruleset, frames did not reach IP";
	if (w == W_NFT && r->d.dut_xdp_drop)
		return "an XDP program dropped frames in nft's run";
	return NULL;
}

/* Frames for a burst of secs: grow a burst until it lasts 50 ms and
 * holds 4096 frames (the first bursts after an XDP program changes are
 * slow: they warm the device up), or until it lasts a second. */
static uint32_t calibrate(struct bw_hk_net *net, int gen, double secs)
{
	struct bw_hk_run r;
	uint32_t n = 64;
	double per;

	for (;;) {
		if (bw_hk_push(net, gen, n, &r) || !r.secs)
			return 0;
		if ((r.secs >= 0.05 && n >= 4096) || r.secs >= 1.0 ||
		    n >= 5000000u / 4)
			break;
		n *= 4;
	}
	per = secs / (r.secs / (double)n);
	return per < 64 ? 64 : per > 5000000 ? 5000000u : (uint32_t)per;
}

/* rounds bursts through what the DUT runs now, into f */
static void bursts(struct bw_hk_net *net, int gen, int rounds, double secs,
		   enum who w, struct fig *f)
{
	uint32_t n = calibrate(net, gen, secs);

	f->ran = true;
	if (!n) {
		f->why = "the generator does not run";
		return;
	}
	for (int i = 0; i < rounds && !f->why; i++) {
		struct bw_hk_run r;

		if (bw_hk_push(net, gen, n, &r)) {
			f->why = "a burst failed";
			break;
		}
		f->why = check(w, &r);
		/* what arrived, in the time it took to push it */
		f->mpps[f->n] = (double)r.d.dut_xdp / r.secs / 1e6;
		f->ns[f->n++] = r.cpu_ns / (double)(r.d.dut_xdp ? r.d.dut_xdp : 1);
		f->frames += r.n;
		f->reached += r.d.dut_xdp;
		f->xdp_drop += r.d.dut_xdp_drop;
		f->ip_in += r.d.ip_in;
		f->secs += r.secs;
		f->wait_ns += r.wait_ns;
	}
	if (f->why)
		fprintf(stderr, "bench: mixed: %s: %s\n", who_name[w], f->why);
}

static void empty_bursts(struct bw_hk_net *net, int gen, int drop,
			 const struct bw_mx_opts *o, struct fig *f)
{
	int ifindex = (int)if_nametoindex(BW_HK_DUT);

	if (bpf_xdp_attach(ifindex, drop, XDP_FLAGS_DRV_MODE, NULL)) {
		f->ran = true;
		f->why = "cannot attach the empty program";
		return;
	}
	bursts(net, gen, o->rounds, o->burst_secs, W_EMPTY, f);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
}

/* Timed loads of argv: runs fresh ones (undo between them, untimed),
 * then runs swaps (swap, or argv again) over the loaded ruleset.  True
 * when the ruleset is loaded at the end. */
static bool loads(const struct bw_mx_opts *o, char *const argv[],
		  char *const undo[], char *const swap[], double *load,
		  int *nl, double *sw, int *ns, char *note, size_t notelen)
{
	char err[160];
	double ms, dummy;
	int rc;

	for (int i = 0; i < o->load_runs; i++) {
		if (i)
			timed(undo, o->max_load_secs, &dummy, err, sizeof(err));
		rc = timed(argv, o->max_load_secs, &ms, err, sizeof(err));
		if (rc == -ETIMEDOUT)
			snprintf(note, notelen, "load stopped after %.0f s",
				 o->max_load_secs);
		else if (rc)	/* the diagnostic without its file:line:col */
			snprintf(note, notelen, "load failed: %.120s",
				 strstr(err, "Error: ") ? strstr(err, "Error: ") + 7 : err);
		if (rc) {
			fprintf(stderr, "bench: mixed: %s: %s\n", argv[0], note);
			timed(undo, o->max_load_secs, &dummy, err, sizeof(err));
			return false;
		}
		load[(*nl)++] = ms;
		if (ms > SLOW_LOAD_MS)
			break;
	}
	for (int i = 0; i < o->load_runs; i++) {
		rc = timed(swap, o->max_load_secs, &ms, err, sizeof(err));
		if (rc) {
			snprintf(note, notelen, rc == -ETIMEDOUT ?
				 "swap stopped after the limit" : "swap failed: %.120s", err);
			fprintf(stderr, "bench: mixed: %s: %s\n", swap[0], note);
			timed(argv, o->max_load_secs, &dummy, err, sizeof(err));
			break;
		}
		sw[(*ns)++] = ms;
		if (ms > SLOW_LOAD_MS)
			break;
	}
	return true;
}

/* The memory of the maps (fdinfo's memlock) that the DUT's XDP program
 * uses, KiB; -1 if it cannot be read. */
static long dut_map_kib(void)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info = { 0 };
	uint32_t ids[64], len = sizeof(info);
	int ifindex = (int)if_nametoindex(BW_HK_DUT), pfd;
	long kib = 0;

	if (!ifindex || bpf_xdp_query(ifindex, 0, &q) || !q.prog_id)
		return -1;
	pfd = bpf_prog_get_fd_by_id(q.prog_id);
	info.nr_map_ids = 64;
	info.map_ids = (uint64_t)(uintptr_t)ids;
	if (pfd < 0 || bpf_obj_get_info_by_fd(pfd, &info, &len)) {
		if (pfd >= 0)
			close(pfd);
		return -1;
	}
	close(pfd);
	for (uint32_t i = 0; i < info.nr_map_ids && i < 64; i++) {
		int mfd = bpf_map_get_fd_by_id(ids[i]);
		char path[64], line[128];
		FILE *f;

		if (mfd < 0)
			return -1;
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", mfd);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "memlock:", 8))
				kib += (strtol(line + 8, NULL, 10) + 1023) / 1024;
		if (f)
			fclose(f);
		close(mfd);
	}
	return kib;
}

static void run_bpfwall(struct bw_hk_net *net, int gen, const char *pin_dir,
			const struct bw_mx_opts *o, const char *path, struct cfg *c)
{
	char *load[] = { (char *)o->bpfwall, "--pin-dir", (char *)pin_dir, "-f",
			 (char *)path, NULL };
	char *flush[] = { (char *)o->bpfwall, "--pin-dir", (char *)pin_dir,
			  "flush", "ruleset", NULL };

	fprintf(stderr, "bench: mixed, %s %u: bpfwall -f ...\n",
		bw_mx_shape_name(c->shape), c->n);
	if (!loads(o, load, flush, load, c->bw_load, &c->nbl, c->bw_swap, &c->nbs,
		   c->bw_note, sizeof(c->bw_note)))
		return;
	c->map_kib = dut_map_kib();
	if (!bw_hk_dut_has_xdp()) {
		c->bw.ran = true;
		c->bw.why = "bpfwall attached no XDP program to the DUT";
	} else {
		bursts(net, gen, o->rounds, o->burst_secs, W_BW, &c->bw);
	}
	bw_hk_bw_flush(pin_dir);
}

static void run_nft(struct bw_hk_net *net, int gen, const struct bw_mx_opts *o,
		    const char *path, struct cfg *c)
{
	char swap_path[320], err[160];
	char *load[] = { "nft", "-f", (char *)path, NULL };
	char *flush[] = { "nft", "flush", "ruleset", NULL };
	char *swap[] = { "nft", "-f", swap_path, NULL };
	double dummy;
	FILE *f;

	snprintf(swap_path, sizeof(swap_path), "%s.swap", path);
	f = fopen(swap_path, "w");
	if (!f) {
		snprintf(c->nft_note, sizeof(c->nft_note), "cannot write %.120s", swap_path);
		return;
	}
	/* nft's atomic replace: one transaction that empties and loads */
	fprintf(f, "flush ruleset\ninclude \"%s\"\n", path);
	fclose(f);
	fprintf(stderr, "bench: mixed, %s %u: nft -f ...\n",
		bw_mx_shape_name(c->shape), c->n);
	if (bw_bench_set_gro(BW_HK_DUT))
		snprintf(c->nft_note, sizeof(c->nft_note), "cannot turn GRO on");
	else if (loads(o, load, flush, swap, c->nft_load, &c->nnl, c->nft_swap,
		       &c->nns, c->nft_note, sizeof(c->nft_note)))
		bursts(net, gen, o->rounds, o->burst_secs, W_NFT, &c->nft);
	timed(flush, o->max_load_secs, &dummy, err, sizeof(err));
	unlink(swap_path);
}

static int write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f || fputs(text, f) < 0)
		err = -1;
	if (f && fclose(f))
		err = -1;
	if (err)
		fprintf(stderr, "bench: mixed: cannot write %s\n", path);
	return err;
}

static void run_cfg(struct bw_hk_net *net, int gen, int drop, const char *pin_dir,
		    const struct bw_mx_opts *o, bool nft, struct cfg *c)
{
	char *text = bw_mx_ruleset(c->shape, c->n, o->seed, BW_HK_DUT);
	char path[300];

	if (o->keep_dir)
		snprintf(path, sizeof(path), "%s/%s-%u.nft", o->keep_dir,
			 bw_mx_shape_name(c->shape), c->n);
	else
		snprintf(path, sizeof(path), "/tmp/bwbench-mixed-%d-%s-%u.nft",
			 (int)getpid(), bw_mx_shape_name(c->shape), c->n);
	if (!text || write_file(path, text)) {
		snprintf(c->bw_note, sizeof(c->bw_note), "no ruleset file");
		free(text);
		return;
	}
	fprintf(stderr, "bench: mixed, %s %u: interpreter sample, empty XDP drop ...\n",
		bw_mx_shape_name(c->shape), c->n);
	sample(text, net->frame, o->seed, c);
	empty_bursts(net, gen, drop, o, &c->empty);
	run_bpfwall(net, gen, pin_dir, o, path, c);
	empty_bursts(net, gen, drop, o, &c->empty);
	if (nft)
		run_nft(net, gen, o, path, c);
	if (!o->keep_dir)
		unlink(path);
	free(text);
}

static void put_mpps(FILE *out, double v)
{
	fprintf(out, v >= 1 ? " %.2f |" : v >= 0.01 ? " %.3f |" : " %.5f |", v);
}

/* two significant digits, never an exponent */
static void put_ratio(FILE *out, double v)
{
	int dec = 2;

	for (double t = 0.1; v < t && dec < 9; t /= 10)
		dec++;
	fprintf(out, " %.*f |", dec, v);
}

static void put_ms(FILE *out, const double *v, int n, const char *note)
{
	if (n)
		fprintf(out, " %.0f |", median(v, n));
	else
		fprintf(out, " %s |", note[0] ? note : "-");
}

static bool fig_ok(const struct fig *f)
{
	return f->ran && !f->why && f->n;
}

static void print_main(FILE *out, const struct cfg *cs, int nc)
{
	fprintf(out, "| ruleset | rules | empty XDP drop | bpfwall | of empty | nft netdev "
		"| of empty | `bpfwall -f` ms | swap ms | `nft -f` ms | nft swap ms "
		"| bpfwall maps KiB |\n"
		"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
	for (int i = 0; i < nc; i++) {
		const struct cfg *c = &cs[i];
		double e = fig_ok(&c->empty) ? median(c->empty.mpps, c->empty.n) : -1;

		fprintf(out, "| %s | %u |", bw_mx_shape_name(c->shape), c->n);
		if (e > 0)
			put_mpps(out, e);
		else
			fprintf(out, " FAILED |");
		if (fig_ok(&c->bw) && e > 0) {
			double b = median(c->bw.mpps, c->bw.n);

			put_mpps(out, b);
			put_ratio(out, b / e);
		} else {
			fprintf(out, " %s | |", c->bw.why ? "FAILED" :
				c->bw_note[0] ? c->bw_note : "-");
		}
		if (fig_ok(&c->nft) && e > 0) {
			double f = median(c->nft.mpps, c->nft.n);

			put_mpps(out, f);
			put_ratio(out, f / e);
		} else {
			fprintf(out, " %s | |", c->nft.why ? "FAILED" :
				c->nft_note[0] ? c->nft_note : "-");
		}
		put_ms(out, c->bw_load, c->nbl, "");
		put_ms(out, c->bw_swap, c->nbs, "");
		put_ms(out, c->nft_load, c->nnl, "");
		put_ms(out, c->nft_swap, c->nns, "");
		if (c->map_kib > 0)
			fprintf(out, " %ld |\n", c->map_kib);
		else
			fprintf(out, " |\n");
	}
}

static void print_fig(FILE *out, const struct cfg *c, const char *who,
		      const struct fig *f)
{
	double e = f->frames ? (double)f->frames : 1;
	double empty_ns = fig_ok(&c->empty) ? median(c->empty.ns, c->empty.n) : 0;

	if (!f->ran)
		return;
	fprintf(out, "| %s %u | %s | %d | %llu | %.1f %% | %.1f %% | %.1f %% |",
		bw_mx_shape_name(c->shape), c->n, who, f->n,
		(unsigned long long)f->frames, 100.0 * (double)f->reached / e,
		100.0 * (double)f->xdp_drop / e, 100.0 * (double)f->ip_in / e);
	if (f->n && empty_ns > 0) {
		fprintf(out, " %.0f |", median(f->ns, f->n));
		put_ratio(out, empty_ns / median(f->ns, f->n));
		fprintf(out, " %.0f %% |",
			f->secs > 0 ? 100.0 * f->wait_ns / (f->secs * 1e9) : 0);
	} else {
		fprintf(out, " | | |");
	}
	fprintf(out, " %s |\n", f->why ? f->why : "ok");
}

static void print_checks(FILE *out, const struct cfg *cs, int nc)
{
	fprintf(out, "\nWhere the frames went (all bursts of each figure), CPU ns per "
		"frame (generator and receiver, one CPU; median), the empty program's "
		"CPU ns over it (the ratio by CPU time, less sensitive to others' load "
		"than Mpps) and the share of the bursts' wall time others' tasks held "
		"that CPU:\n\n"
		"| ruleset | program | bursts | frames | reached bwdut0 | dropped by XDP "
		"| reached IP | CPU ns/frame | of empty (CPU) | CPU lost | check |\n"
		"|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
	for (int i = 0; i < nc; i++) {
		const struct cfg *c = &cs[i];

		print_fig(out, c, "empty XDP drop", &c->empty);
		print_fig(out, c, "bpfwall", &c->bw);
		print_fig(out, c, "nft", &c->nft);
		if (c->sample_ran)
			fprintf(out, "| %s %u | interpreter | | %d sample frames | | | | | "
				"| | %d at the policy: %s |\n", bw_mx_shape_name(c->shape),
				c->n, NSAMPLE, c->sample_ok,
				c->sample_ok == NSAMPLE ? "ok" : "FAILED");
	}
}

/* One data block of the plot: col 0 empty, 1 bpfwall, 2 nft; ratio:
 * over the empty program's Mpps instead of Mpps. */
static void plot_data(FILE *g, const struct cfg *cs, int nc, int col, int shape,
		      bool ratio)
{
	fprintf(g, "$%c%d%d << EOD\n", ratio ? 'r' : 'm', col, shape);
	for (int i = 0; i < nc; i++) {
		const struct cfg *c = &cs[i];
		const struct fig *f = col == 0 ? &c->empty : col == 1 ? &c->bw : &c->nft;
		double v;

		if (c->shape != (enum bw_mx_shape)shape || !fig_ok(f) || !fig_ok(&c->empty))
			continue;
		v = median(f->mpps, f->n);
		if (ratio)
			v /= median(c->empty.mpps, c->empty.n);
		fprintf(g, "%u %g\n", c->n, v);
	}
	fprintf(g, "EOD\n");
}

/* gnuplot, two panels against rules (log-log): Mpps, and the ratio to
 * the empty program with the 0.85 target; one line per program and
 * shape.  pngcairo where gnuplot has it, else png. */
static void plot(const char *png, const struct cfg *cs, int nc, const char *title)
{
	static const char *const lines =
		"$%c10 w lp lw 2 pt 7 lc rgb '#1f77b4' t 'bpfwall, uniform', "
		"$%c11 w lp lw 2 pt 5 lc rgb '#d62728' t 'bpfwall, mixed', "
		"$%c20 w lp lw 1 dt 2 pt 6 lc rgb '#1f77b4' t 'nft, uniform', "
		"$%c21 w lp lw 1 dt 2 pt 4 lc rgb '#d62728' t 'nft, mixed'";
	bool cairo = !system("gnuplot -e 'set terminal' 2>&1 | grep -q pngcairo");
	FILE *g;

	if (system("command -v gnuplot >/dev/null 2>&1")) {
		fprintf(stderr, "bench: mixed: no gnuplot, no plot (apt-get install "
			"gnuplot-nox for %s)\n", png);
		return;
	}
	g = popen("gnuplot", "w");
	if (!g)
		return;
	fprintf(g, "set terminal %s size 1200,520 font ',10'\nset output '%s'\n",
		cairo ? "pngcairo" : "png", png);
	for (int col = 0; col < 3; col++)
		for (int s = 0; s < BW_MX__N; s++) {
			plot_data(g, cs, nc, col, s, false);
			plot_data(g, cs, nc, col, s, true);
		}
	fprintf(g, "set multiplot layout 1,2 title \"%s\"\n"
		"set logscale xy\nset grid\nset xlabel 'rules'\nset key bottom left\n"
		"set ylabel 'Mpps over veth'\nset title 'Mpps'\nplot ", title);
	fprintf(g, lines, 'm', 'm', 'm', 'm');
	fprintf(g, ", $m00 w l lc rgb 'gray' t 'empty XDP drop (uniform runs)', "
		"$m01 w l dt 3 lc rgb 'gray' t 'empty XDP drop (mixed runs)'\n");
	fprintf(g, "set ylabel 'Mpps / empty XDP drop'\nset title 'ratio to the "
		"empty XDP drop program (goal 0.85)'\nplot ");
	fprintf(g, lines, 'r', 'r', 'r', 'r');
	fprintf(g, ", 0.85 w l lc rgb 'dark-green' t 'goal 0.85'\nunset multiplot\n");
	if (pclose(g))
		fprintf(stderr, "bench: mixed: gnuplot failed\n");
	else
		fprintf(stderr, "bench: mixed: plot written to %s\n", png);
}

static void loadavg(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	buf[0] = '\0';
	if (!f || !fgets(buf, (int)len, f))
		snprintf(buf, len, "unknown");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	/* the three averages only */
	for (int sp = 0, i = 0; buf[i]; i++)
		if (buf[i] == ' ' && ++sp == 3)
			buf[i] = '\0';
}

int bw_bench_mixed(const char *pin_dir, const struct bw_mx_opts *o, FILE *out)
{
	static struct cfg cs[BW_MX__N * BW_MX_MAX_SIZES];
	struct bw_hk_net net;
	struct bw_hk_run r = { 0 };
	char load0[64], load1[64], title[160];
	bool nft = !o->no_nft && !system("nft --version >/dev/null 2>&1");
	int gen = -1, drop = -1, nc = 0, failed = 0;
	const char *none;

	memset(cs, 0, sizeof(cs));
	setenv("BPFWALL_AUDIT", "off", 1);	/* no audit hook on any cgroup */
	loadavg(load0, sizeof(load0));
	if (access(o->bpfwall, X_OK)) {
		fprintf(stderr, "bench: mixed: no bpfwall binary at %s (--bpfwall)\n",
			o->bpfwall);
		return 1;
	}
	if (bw_hk_net_up(&net))
		return 1;
	gen = bw_bench_gen_load_sport(BW_MX_FRAME_SRC, BW_MX_FRAME_SRC_MASK,
				      BW_MX_FRAME_SPORT);
	drop = bw_bench_drop_prog();
	fprintf(out, "\n## Uniform and mixed rulesets over veth (`bwbench mixed`)\n\n"
		"Seed %llu; %d bursts of ~%.0f ms per figure (Mpps: medians; the "
		"empty program's: of the bursts before and after bpfwall's); loads: "
		"median of up to %d, each stopped after %.0f s.  Load average at the "
		"start: %s.\n\n", (unsigned long long)o->seed, o->rounds,
		o->burst_secs * 1e3, o->load_runs, o->max_load_secs, load0);
	if (gen < 0 || drop < 0 || gen_check(gen, net.frame, out)) {
		fprintf(stderr, "bench: mixed: the generator does not work\n");
		failed = 1;
		goto out;
	}
	/* without a ruleset the frames reach IP: nft's check means something */
	none = bw_bench_set_gro(BW_HK_DUT) || bw_hk_push(&net, gen, 2000, &r) ?
	       "the burst failed" : check(W_NONE, &r);
	fprintf(out, "Control burst without a ruleset: %llu frames, %llu reached IP: "
		"%s.\n\n", (unsigned long long)r.n, (unsigned long long)r.d.ip_in,
		none ? none : "ok");
	failed += none != NULL;
	for (int s = 0; s < BW_MX__N; s++)
		for (unsigned k = 0; o->shape[s] && k < o->nsizes; k++) {
			struct cfg *c = &cs[nc++];

			c->shape = (enum bw_mx_shape)s;
			c->n = o->sizes[k];
			run_cfg(&net, gen, drop, pin_dir, o, nft, c);
			failed += !fig_ok(&c->empty) || (c->bw.ran && !fig_ok(&c->bw)) ||
				  (c->nft.ran && !fig_ok(&c->nft)) ||
				  c->sample_ok != NSAMPLE ||
				  !strncmp(c->nft_note, "load failed", 11);
			/* bpfwall's own limits (too large, a load stopped
			 * after --max-load) are results, printed in the
			 * table; nft must take the file */
		}
	print_main(out, cs, nc);
	print_checks(out, cs, nc);
	loadavg(load1, sizeof(load1));
	fprintf(out, "\nLoad average at the end: %s.%s\n", load1,
		nft ? "" : "  nft not run (--no-nft, or no nft).");
	if (o->plot) {
		time_t now = time(NULL);
		char date[32];

		strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", gmtime(&now));
		snprintf(title, sizeof(title), "bwbench mixed, %s: UDP frames that reach "
			 "every rule, a random source and port each (seed %llu)", date,
			 (unsigned long long)o->seed);
		plot(o->plot, cs, nc, title);
	}
out:
	if (gen >= 0)
		close(gen);
	if (drop >= 0)
		close(drop);
	bw_hk_net_down(&net);
	return failed;
}
