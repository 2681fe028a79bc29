// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bwbench flood [FILE]`: a flood from blocked sources at the input path,
 * over hooknet.c's namespace pair.  The live-frames generator sends UDP
 * frames from random addresses of 198.51.100.0/24 (random ports) to the
 * DUT's 192.0.2.2:9; FILE's ruleset (default: an inet input chain
 * `ip saddr 198.51.100.0/24 counter drop`) should drop them at input.
 *
 * In turn, interleaved, ROUNDS rounds: an empty XDP drop program on the
 * DUT (the floor: the generator and the veth alone); no ruleset (the
 * frames reach the socket); FILE with --hoist off (the input chain at
 * the netfilter hook only); FILE as bpfwall loads it (the drops it can
 * hoist also at XDP, compiler/bpf/hoist.h: the "XDP on the device" column
 * says whether it did); FILE plus a netdev ingress chain on the DUT
 * dropping 198.51.100.0/24 (an XDP program in front, written by hand);
 * FILE in nft, when nft takes it.
 *
 * For each: frames per second the one CPU handled, ns of that CPU per
 * frame (the generator's share included, as the floor shows), softirq ns
 * per frame (the receiving side only: /proc/stat of the pinned CPU, in
 * ticks of 10 ms, so +-5 % at these burst lengths), and where the frames
 * ended: dropped by XDP, reached IP (Ip InReceives), delivered (Ip
 * InDelivers).  Checked: every frame reached the device, the rulesets
 * delivered none (2 % slack), the XDP in front dropped them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "runtime/runtime.h"
#include "bench.h"
#include "hooks.h"

#define ROUNDS		5
#define TARGET_SECS	0.5
#define CAL_FRAMES	50000u
#define MAX_FRAMES	5000000u
#define FLOOD_SRC	"198.51.100.0/24"

static const char default_text[] =
	"table inet bwflood {\n\tchain input {\n"
	"\t\ttype filter hook input priority 0; policy accept;\n"
	"\t\tip saddr " FLOOD_SRC " counter drop\n\t}\n}\n";
static const char front_text[] =
	"\ntable netdev bwflood_xdp {\n\tchain in {\n"
	"\t\ttype filter hook ingress device \"" BW_HK_DUT "\" priority 0; policy accept;\n"
	"\t\tip saddr " FLOOD_SRC " drop\n\t}\n}\n";

enum mode { M_FLOOR, M_NONE, M_NF_ONLY, M_NF, M_NF_XDP, M_NFT, M__N };

static const char *const labels[M__N] = {
	"empty XDP drop (floor)", "no ruleset",
	"bpfwall --hoist off: the netfilter hook only",
	"bpfwall: the file as loaded (drops hoisted to XDP)",
	"bpfwall: the file + XDP in front", "nft: the same file",
};

struct row {
	double ns[ROUNDS], soft_ns[ROUNDS], mpps[ROUNDS];
	int nok;
	uint64_t frames, xdp_drop, ip_in, delivered;
	bool failed, skipped, xdp_seen;
};

static int load(enum mode m, const char *pin_dir, const char *name,
		const char *text, const char *front, int drop)
{
	switch (m) {
	case M_FLOOR:
		return bpf_xdp_attach((int)if_nametoindex(BW_HK_DUT), drop,
				      XDP_FLAGS_DRV_MODE, NULL);
	case M_NONE:
		return 0;
	case M_NF_ONLY:
		return bw_hk_bw_load(pin_dir, name, text, false);
	case M_NF:
		return bw_hk_bw_load(pin_dir, name, text, true);
	case M_NF_XDP:
		return bw_hk_bw_load(pin_dir, name, front, false);
	default:
		return bw_hk_nft_load(text);
	}
}

static void unload(enum mode m, const char *pin_dir)
{
	if (m == M_FLOOR)
		bpf_xdp_detach((int)if_nametoindex(BW_HK_DUT), XDP_FLAGS_DRV_MODE, NULL);
	else if (m == M_NF_ONLY || m == M_NF || m == M_NF_XDP)
		bw_hk_bw_flush(pin_dir);
	else if (m == M_NFT)
		bw_hk_nft_flush();
}

static bool most(uint64_t got, uint64_t n)
{
	return (double)got >= 0.98 * (double)n;
}

/* Did the frames end where mode m says?  A message if not. */
static bool check(enum mode m, const struct bw_hk_run *r)
{
	const char *why = NULL;

	if (!most(r->d.dut_xdp, r->n))
		why = "not every frame reached the DUT";
	else if (m == M_FLOOR && !most(r->d.dut_xdp_drop, r->n))
		why = "the empty XDP program did not drop them";
	else if (m == M_NONE && !most(r->d.ip_deliver, r->n))
		why = "without a ruleset, not every frame was delivered";
	else if (m >= M_NF_ONLY && (double)r->d.ip_deliver > 0.02 * (double)r->n)
		why = "the ruleset delivered the flood (does it drop " FLOOD_SRC
		      " at input?)";
	else if (m == M_NF_XDP && !most(r->d.dut_xdp_drop, r->n))
		why = "the XDP program in front did not drop the flood";
	if (why)
		fprintf(stderr, "bench: flood: %s: %s (%llu frames: XDP drops %llu, "
			"IP %llu, delivered %llu)\n", labels[m], why,
			(unsigned long long)r->n, (unsigned long long)r->d.dut_xdp_drop,
			(unsigned long long)r->d.ip_in,
			(unsigned long long)r->d.ip_deliver);
	return !why;
}

/* The default ruleset counts what it drops: at the netfilter hook (alone)
 * and in nft, its counter must count the burst whole. */
static bool counted(enum mode m, const char *pin_dir, int64_t before,
		    uint64_t n)
{
	int64_t after = m != M_NFT ? bw_hk_bw_counter(pin_dir) : bw_hk_nft_counter();

	if (before >= 0 && after >= 0 && (double)(after - before) >= 0.98 * (double)n &&
	    after - before <= (int64_t)n + 64)
		return true;
	fprintf(stderr, "bench: flood: %s: the drop rule's counter counted %lld of "
		"%llu frames\n", labels[m], (long long)(after - before),
		(unsigned long long)n);
	return false;
}

static void one(struct bw_hk_net *net, int gen, int drop, const char *pin_dir,
		const char *name, const char *text, const char *front,
		uint32_t frames, enum mode m, struct row *row)
{
	bool count = !strcmp(text, default_text) &&
		     (m == M_NF_ONLY || m == M_NF || m == M_NFT);
	int64_t before = 0;
	struct bw_hk_run r;

	if (load(m, pin_dir, name, text, front, drop)) {
		if (m == M_NFT) {	/* nft may not take bpfwall's language */
			row->skipped = true;
		} else {
			fprintf(stderr, "bench: flood: %s: cannot load\n", labels[m]);
			row->failed = true;
		}
		unload(m, pin_dir);
		return;
	}
	if (bw_hk_dut_has_xdp())
		row->xdp_seen = true;
	/* a warm-up burst first (caches, the page pool of a device whose
	 * XDP program changed) */
	if (!bw_hk_push(net, gen, frames / 10, &r) && count)
		before = m != M_NFT ? bw_hk_bw_counter(pin_dir) : bw_hk_nft_counter();
	if (bw_hk_push(net, gen, frames, &r) || !check(m, &r) ||
	    (count && !counted(m, pin_dir, before, r.n))) {
		row->failed = true;
	} else {
		row->mpps[row->nok] = (double)r.n / r.secs / 1e6;
		row->ns[row->nok] = r.cpu_ns / (double)r.n;
		row->soft_ns[row->nok++] = (double)r.d.softirq * bw_hk_tick_ns() /
					   (double)r.n;
		row->frames += r.n;
		row->xdp_drop += r.d.dut_xdp_drop;
		row->ip_in += r.d.ip_in;
		row->delivered += r.d.ip_deliver;
	}
	unload(m, pin_dir);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double med(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return v[n / 2];
}

static void print(FILE *out, const char *name, uint32_t frames,
		  struct row rows[M__N])
{
	fprintf(out, "\n## Flood of blocked sources at input (`bwbench flood`)\n\n"
		"Ruleset: %s.\n\n"
		"Frames from random addresses of %s (random ports) to\n"
		"192.0.2.2:9, %u a burst, one CPU doing all the work;\n"
		"median of %d interleaved rounds.  Mpps: from the wall time; ns/frame:\n"
		"the CPU time of the bench (and of that CPU's ksoftirqd), the\n"
		"generator's share included (see the floor); softirq: the receiving\n"
		"side only (/proc/stat ticks).  Where the frames ended: of all the\n"
		"rounds' frames.\n\n", name, FLOOD_SRC, frames, ROUNDS);
	fprintf(out, "| ruleset at | XDP on the device | Mpps handled | ns/frame | softirq ns/frame "
		"| dropped by XDP | reached IP | delivered |\n"
		"|---|---|---:|---:|---:|---:|---:|---:|\n");
	for (int m = 0; m < M__N; m++) {
		struct row *r = &rows[m];
		double ns, f = (double)r->frames;

		if (r->skipped || r->failed || !r->nok) {
			fprintf(out, "| %s | | %s | | | | | |\n", labels[m],
				r->skipped ? "nft does not take the file" : "FAILED");
			continue;
		}
		ns = med(r->ns, r->nok);
		fprintf(out, "| %s | %s | %.3f | %.0f | %.0f | %.0f %% | %.0f %% | %.0f %% |\n",
			labels[m], r->xdp_seen ? "yes" : "no", med(r->mpps, r->nok), ns,
			med(r->soft_ns, r->nok), 100.0 * (double)r->xdp_drop / f,
			100.0 * (double)r->ip_in / f, 100.0 * (double)r->delivered / f);
	}
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	while (m && (c = fgetc(f)) != EOF)
		fputc(c, m);
	if (m)
		fclose(m);
	fclose(f);
	return buf;
}

int bw_bench_flood(const char *pin_dir, const char *file, FILE *out)
{
	static struct row rows[M__N];
	char *text = file ? read_file(file) : strdup(default_text), *front = NULL;
	const char *name = file ? file : "default (inet input, `ip saddr " FLOOD_SRC
					 " counter drop`)";
	struct bw_hk_net net;
	struct bw_hk_run cal;
	uint32_t frames = 0;
	int gen = -1, drop = -1, failed = 0;

	memset(rows, 0, sizeof(rows));
	if (!text || asprintf(&front, "%s%s", text, front_text) < 0) {
		fprintf(stderr, "bench: flood: cannot read %s\n", file ? file : "");
		free(text);
		return 1;
	}
	if (bw_hk_net_up(&net)) {
		free(text);
		free(front);
		return 1;
	}
	gen = bw_bench_gen_load(0xc6336400u, 0xff);	/* 198.51.100.0/24 */
	drop = bw_bench_drop_prog();
	/* calibrated without a ruleset (the slowest of the modes, mostly),
	 * the second of two bursts */
	if (gen >= 0 && drop >= 0 && !bw_hk_push(&net, gen, CAL_FRAMES, &cal) &&
	    !bw_hk_push(&net, gen, CAL_FRAMES, &cal) && cal.secs > 0)
		frames = (uint32_t)(TARGET_SECS / (cal.secs / (double)cal.n));
	if (!frames) {
		fprintf(stderr, "bench: flood: the generator does not run\n");
		failed = 1;
		goto out;
	}
	frames = frames < CAL_FRAMES ? CAL_FRAMES :
		 frames > MAX_FRAMES ? MAX_FRAMES : frames;
	for (int r = 0; r < ROUNDS; r++) {
		fprintf(stderr, "bench: flood, round %d of %d ...\n", r + 1, ROUNDS);
		for (int i = 0; i < M__N; i++) {
			enum mode m = (enum mode)((i + r) % M__N);

			one(&net, gen, drop, pin_dir, file ? file : "<bench-flood>",
			    text, front, frames, m, &rows[m]);
		}
	}
	print(out, name, frames, rows);
	for (int m = 0; m < M__N; m++)
		failed += rows[m].failed;
out:
	if (gen >= 0)
		close(gen);
	if (drop >= 0)
		close(drop);
	bw_hk_net_down(&net);
	free(text);
	free(front);
	return failed;
}
