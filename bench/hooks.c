// SPDX-License-Identifier: GPL-2.0-only
/*
 * `make bench` (and `bwbench hooks` alone): what each attach point costs
 * per packet, bpfwall next to nft at the same hook, over hooknet.c's
 * namespace pair (hooks.h says how the traffic goes and is counted).
 *
 * The ruleset, in one chain at the hook measured: N rules
 * `ip saddr 203.0.113.x tcp dport P drop` (N = 1, 10, 100) that the UDP
 * traffic matches none of, then `accept`; the same text loaded by bpfwall
 * (bw_drive_apply, netfilter mode: what `bpfwall -f` does) and by `nft -f`.
 * The hooks:
 *   in:  netdev ingress on the DUT (bpfwall: XDP; nft: its ingress hook),
 *        inet input (bpfwall: its netfilter program; nft: its chain);
 *   out: netdev egress on the DUT (bpfwall: TC; nft: its egress hook),
 *        inet output (both at the netfilter hook).
 * And no ruleset at all, the baseline of each direction.  Every load is a
 * fresh namespace state (flushed after), the configurations interleaved
 * (their order rotated each round), ROUNDS rounds, medians.
 *
 * A figure counts only if the traffic went where it claims.  Each load
 * first proves it: the same rules with `counter accept` last, a burst
 * that the chain's counter must count whole (within 2 %), as the path's
 * own counters must (in: the frames reached the device and were delivered
 * to the socket, Ip InDelivers; out: the peer received them).  Then the
 * ruleset without the counter (bpfwall's costs ~45 ns, a helper call, and
 * nft's less: not what is measured here) replaces it, a warm-up burst
 * runs (for bpfwall with BPF run statistics on: each of its programs
 * that runs must run once a packet; their ns per packet, summed, is the
 * last table, whose zero is an XDP program that only drops, timed the
 * same way each round), and the timed burst, whose path counters must
 * count it whole.  Else the cell says FAILED and the bench exits
 * non-zero.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "runtime/runtime.h"
#include "bench.h"
#include "hooks.h"

#define ROUNDS		7
#define NSIZES		3
#define TARGET_SECS	0.25	/* one burst */
#define CAL_PACKETS	20000u
#define MAX_PACKETS	2000000u

enum dir { DIR_IN, DIR_OUT };
enum who { WHO_NONE, WHO_BW, WHO_NFT };

struct cfg {
	enum dir dir;
	enum who who;
	const char *family, *hook, *label;
};

#define DEV "device \"" BW_HK_DUT "\""
static const struct cfg cfgs[] = {
	{ DIR_IN, WHO_NONE, NULL, NULL, "none" },
	{ DIR_IN, WHO_BW, "netdev", "ingress " DEV, "bpfwall XDP" },
	{ DIR_IN, WHO_NFT, "netdev", "ingress " DEV, "nft netdev ingress" },
	{ DIR_IN, WHO_BW, "inet", "input", "bpfwall nf input" },
	{ DIR_IN, WHO_NFT, "inet", "input", "nft inet input" },
	{ DIR_OUT, WHO_NONE, NULL, NULL, "none" },
	{ DIR_OUT, WHO_BW, "netdev", "egress " DEV, "bpfwall TC egress" },
	{ DIR_OUT, WHO_NFT, "netdev", "egress " DEV, "nft netdev egress" },
	{ DIR_OUT, WHO_BW, "inet", "output", "bpfwall nf output" },
	{ DIR_OUT, WHO_NFT, "inet", "output", "nft inet output" },
};
#define NCFG	(sizeof(cfgs) / sizeof(cfgs[0]))
#define PER_DIR	(NCFG / 2)

static const unsigned sizes[NSIZES] = { 1, 10, 100 };

/* One configuration at one size: a figure per round (by round: "added"
 * pairs each round's figure with that round's baseline). */
struct cell {
	double ns[ROUNDS], mpps[ROUNDS];
	double prog_ns[ROUNDS];		/* bpfwall: in its programs, -1: unknown */
	bool failed, xdp_extra;		/* xdp_extra: an XDP program came too */
};

/* The ruleset of c with n rules; the last one `counter accept` with
 * counter, else `accept`; for nft (replace) after `flush ruleset`. */
static char *ruleset(const struct cfg *c, unsigned n, bool counter, bool replace)
{
	struct bw_pbuf b = { 0 };

	if (replace)
		bw_pbuf_put(&b, "flush ruleset\n");
	bw_pbuf_printf(&b, "table %s bwhooks {\n\tchain c {\n"
		       "\t\ttype filter hook %s priority 0; policy accept;\n",
		       c->family, c->hook);
	for (unsigned i = 0; i < n; i++)
		bw_pbuf_printf(&b, "\t\tip saddr 203.0.113.%u tcp dport %u drop\n",
			       i + 1, 1024 + i);
	bw_pbuf_printf(&b, "\t\t%saccept\n\t}\n}\n", counter ? "counter " : "");
	return bw_pbuf_take(&b);
}

static bool near(int64_t got, uint64_t want)
{
	return got >= 0 && (double)got >= 0.98 * (double)want &&
	       (double)got <= 1.02 * (double)want + 64;
}

/* Did the burst r go the path c claims, the chain counting got packets
 * (-1: not counted)?  A message if not. */
static bool check(const struct cfg *c, const struct bw_hk_run *r, int64_t got)
{
	const char *why = NULL;

	if (c->dir == DIR_IN && !near((int64_t)r->d.dut_xdp, r->n))
		why = "frames that reached the DUT";
	else if (c->dir == DIR_IN && !near((int64_t)r->d.ip_deliver, r->n))
		why = "frames delivered to the socket (Ip InDelivers)";
	else if (c->dir == DIR_OUT && !near((int64_t)r->d.peer_xdp, r->n))
		why = "packets the peer received";
	else if (c->who != WHO_NONE && got != -1 && !near(got, r->n))
		why = "packets the chain's counter saw";
	if (why)
		fprintf(stderr, "bench: hooks: %s: %llu packets sent, %s: "
			"counter %lld, device %llu, delivered %llu, peer %llu\n",
			c->label, (unsigned long long)r->n, why, (long long)got,
			(unsigned long long)r->d.dut_xdp,
			(unsigned long long)r->d.ip_deliver,
			(unsigned long long)r->d.peer_xdp);
	return !why;
}

static int64_t counter(const struct cfg *c, const char *pin_dir)
{
	if (c->who == WHO_BW)
		return bw_hk_bw_counter(pin_dir);
	return c->who == WHO_NFT ? bw_hk_nft_counter() : 0;
}

/* What the bench's CPU did for others: wall and wait time of all bursts. */
static double total_wall, total_wait;

static int burst(struct bw_hk_net *net, int gen, enum dir dir, uint32_t n,
		 struct bw_hk_run *r)
{
	return dir == DIR_IN ? bw_hk_push(net, gen, n, r) : bw_hk_send(net, n, r);
}

static int load(const struct cfg *c, unsigned n, bool counter,
		const char *pin_dir)
{
	char *text;
	int err;

	if (c->who == WHO_NONE)
		return 0;
	/* bpfwall replaces a running ruleset as it is; nft after a flush */
	text = ruleset(c, n, counter, c->who == WHO_NFT);
	if (!text)
		return -ENOMEM;
	/* bpfwall: each hook alone, no drops hoisted to XDP (the flood
	 * measures hoisting) */
	err = c->who == WHO_BW ? bw_hk_bw_load(pin_dir, "<bench-hooks>", text, false) :
				 bw_hk_nft_load(text);
	free(text);
	if (err)
		fprintf(stderr, "bench: hooks: %s, %u rules: cannot load\n",
			c->label, n);
	return err;
}

/*
 * The proof, before the figure: the ruleset with `counter accept` last, a
 * burst of n, which the chain's counter and the path's must count.
 * 0, or -1 with a message.
 */
static int prove(struct bw_hk_net *net, int gen, const char *pin_dir,
		 const struct cfg *c, unsigned nrules, uint32_t n)
{
	struct bw_hk_run r;
	int64_t before, after;
	int err;

	if (load(c, nrules, true, pin_dir))
		return -1;
	before = counter(c, pin_dir);
	err = burst(net, gen, c->dir, n, &r);
	after = counter(c, pin_dir);
	if (err)
		fprintf(stderr, "bench: hooks: %s: %s\n", c->label, strerror(-err));
	if (c->who == WHO_NONE)
		before = after = 0;
	return !err && check(c, &r, before < 0 || after < 0 ? -2 : after - before) ?
	       0 : -1;
}

/*
 * For bpfwall, the programs that ran during a burst of n, from the
 * statistics before (a, na) and after (b, nb): each must have run once
 * a packet (with hoisting, an XDP copy of the input drops runs in front
 * of the netfilter program: two programs, each once).  Their ns per run,
 * summed: the packet's time in bpfwall's programs; -1 with a message if
 * none or one ran otherwise.
 */
static double prog_ns(const struct cfg *c, const struct bw_hk_progstat *a, int na,
		      const struct bw_hk_progstat *b, int nb, uint64_t n)
{
	double sum = 0;
	int ran = 0;

	for (int i = 0; i < nb; i++) {
		uint64_t cnt = b[i].cnt, ns = b[i].ns;

		for (int j = 0; j < na; j++)
			if (a[j].id == b[i].id) {
				cnt -= a[j].cnt;
				ns -= a[j].ns;
			}
		if (!cnt)
			continue;	/* the IPv6 program of an inet chain */
		if (!near((int64_t)cnt, n)) {
			fprintf(stderr, "bench: hooks: %s: program %u ran %llu times "
				"for %llu packets\n", c->label, b[i].id,
				(unsigned long long)cnt, (unsigned long long)n);
			return -1;
		}
		sum += (double)ns / (double)cnt;
		ran++;
	}
	if (!ran)
		fprintf(stderr, "bench: hooks: %s: no program of bpfwall's ran\n",
			c->label);
	return ran ? sum : -1;
}

/*
 * A warm-up burst of n (caches, the page pool of a device whose XDP
 * program changed).  For bpfwall, with BPF run statistics on for this
 * burst only: the ns per packet in its programs (prog_ns()).  0, or -1
 * with a message.
 */
static int warm_up(struct bw_hk_net *net, int gen, const char *pin_dir,
		   const struct cfg *c, uint32_t n, double *ns)
{
	struct bw_hk_progstat a[BW_HK_MAXPROG], b[BW_HK_MAXPROG];
	struct bw_hk_run r;
	int stats = -1, na = 0, nb, err;

	*ns = -1;
	if (c->who == WHO_BW)
		stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats >= 0 && (na = bw_hk_bw_progstats(pin_dir, a)) < 0) {
		close(stats);
		stats = -1;
	}
	err = burst(net, gen, c->dir, n, &r);
	if (stats >= 0) {
		nb = err ? -1 : bw_hk_bw_progstats(pin_dir, b);
		if (nb >= 0 && (*ns = prog_ns(c, a, na, b, nb, r.n)) < 0)
			err = -EIO;
		close(stats);
	}
	if (err)
		fprintf(stderr, "bench: hooks: %s: warm-up: %s\n", c->label,
			strerror(-err));
	return err ? -1 : 0;
}

/*
 * Configuration c with n rules in round rnd: the proof with a counter,
 * then the ruleset as the brief has it (N drops, then accept; no counter,
 * whose cost differs between bpfwall and nft) in its place, a warm-up and
 * the timed burst, whose path counters must show the packets passed.
 * CPU ns per packet and Mpps into cell, or cell->failed.
 */
static void measure(struct bw_hk_net *net, int gen, const char *pin_dir,
		    const struct cfg *c, unsigned n, uint32_t packets,
		    int rnd, struct cell *cell)
{
	struct bw_hk_run r;
	bool ok = false;
	int err;

	if (prove(net, gen, pin_dir, c, n, packets / 10) || load(c, n, false, pin_dir))
		goto out;
	if (c->dir == DIR_IN && c->who == WHO_BW && !strcmp(c->family, "inet") &&
	    bw_hk_dut_has_xdp())
		cell->xdp_extra = true;
	if (warm_up(net, gen, pin_dir, c, packets / 10, &cell->prog_ns[rnd]))
		goto out;
	err = burst(net, gen, c->dir, packets, &r);
	if (err)
		fprintf(stderr, "bench: hooks: %s: %s\n", c->label, strerror(-err));
	else if (check(c, &r, -1))
		ok = true;
	if (ok) {
		cell->ns[rnd] = r.cpu_ns / (double)r.n;
		cell->mpps[rnd] = (double)r.n / r.secs / 1e6;
		total_wall += r.secs * 1e9;
		total_wait += r.wait_ns;
	}
out:
	if (!ok)
		cell->failed = true;
	if (c->who == WHO_BW)
		bw_hk_bw_flush(pin_dir);
	else if (c->who == WHO_NFT)
		bw_hk_nft_flush();
}

/*
 * The zero of the in-program figures: an XDP program that only drops, on
 * the DUT, timed by the same statistics over a burst of n (the clock
 * reads around each run fall partly inside it).  ns per run, or -1.
 */
static double stats_zero(struct bw_hk_net *net, int gen, uint32_t n)
{
	struct bpf_prog_info a = { 0 }, b = { 0 };
	uint32_t len = sizeof(a);
	int ifindex = (int)if_nametoindex(BW_HK_DUT);
	int drop = bw_bench_drop_prog(), stats = -1;
	struct bw_hk_run r;
	double ns = -1;

	if (drop < 0 || bpf_xdp_attach(ifindex, drop, XDP_FLAGS_DRV_MODE, NULL))
		goto out;
	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (stats >= 0 && !bpf_obj_get_info_by_fd(drop, &a, &len) &&
	    !bw_hk_push(net, gen, n, &r)) {
		len = sizeof(b);
		if (!bpf_obj_get_info_by_fd(drop, &b, &len) &&
		    near((int64_t)(b.run_cnt - a.run_cnt), n))
			ns = (double)(b.run_time_ns - a.run_time_ns) /
			     (double)(b.run_cnt - a.run_cnt);
	}
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
out:
	if (stats >= 0)
		close(stats);
	if (drop >= 0)
		close(drop);
	return ns;
}

/* Packets for a burst of about TARGET_SECS in direction dir (the second
 * of two bursts: the first warms up). */
static uint32_t calibrate(struct bw_hk_net *net, int gen, enum dir dir)
{
	struct bw_hk_run r;
	double per, want;
	int err = burst(net, gen, dir, CAL_PACKETS, &r);

	if (!err)
		err = burst(net, gen, dir, CAL_PACKETS, &r);
	if (err || !r.n || r.secs <= 0)
		return 0;
	per = r.secs / (double)r.n;
	want = TARGET_SECS / per;
	if (want < CAL_PACKETS)
		want = CAL_PACKETS;
	return want > MAX_PACKETS ? MAX_PACKETS : (uint32_t)want;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The median of v[ROUNDS] (sorted in a copy); -1 if any is < 0 and
 * negative values matter (all). */
static double median(const double *v, bool all)
{
	double t[ROUNDS];
	int n = 0;

	for (int i = 0; i < ROUNDS; i++) {
		if (v[i] < 0 && all)
			return -1;
		if (v[i] >= 0 || !all)
			t[n++] = v[i];
	}
	qsort(t, (size_t)n, sizeof(double), cmp_double);
	return t[n / 2];
}

/* The median over rounds of c's figure minus the baseline's. */
static double added(const struct cell *c, const struct cell *base)
{
	double d[ROUNDS];

	for (int i = 0; i < ROUNDS; i++)
		d[i] = c->ns[i] - base->ns[i];
	return median(d, false);
}

static void print_table(FILE *out, enum dir dir, struct cell cells[NSIZES][NCFG],
			const uint32_t packets[2])
{
	unsigned first = dir == DIR_IN ? 0 : PER_DIR;

	fprintf(out, "\n### %s (%u packets a burst)\n\n",
		dir == DIR_IN ? "Input: frames from the peer, delivered to a UDP socket" :
		"Output: UDP packets sent from the DUT to the peer",
		packets[dir]);
	fprintf(out, "| rules |");
	for (unsigned k = first; k < first + PER_DIR; k++)
		fprintf(out, k == first ? " %s |" : " %s | added |", cfgs[k].label);
	fprintf(out, "\n|------:|");
	for (unsigned k = first; k < first + PER_DIR; k++)
		fprintf(out, k == first ? "------:|" : "------:|------:|");
	fprintf(out, "\n");
	for (unsigned s = 0; s < NSIZES; s++) {
		const struct cell *base = &cells[s][first];

		fprintf(out, "| %u |", sizes[s]);
		for (unsigned k = first; k < first + PER_DIR; k++) {
			const struct cell *c = &cells[s][k];

			if (c->failed) {
				fprintf(out, k == first ? " FAILED |" : " FAILED | |");
				continue;
			}
			fprintf(out, " %.0f (%.3f)%s |", median(c->ns, true),
				median(c->mpps, true), c->xdp_extra ? " +XDP" : "");
			if (k != first)
				fprintf(out, base->failed ? " |" : " %+.0f |",
					added(c, base));
		}
		fprintf(out, "\n");
	}
}

/* bpfwall's programs alone: ns per run by the kernel's run statistics. */
static void print_progs(FILE *out, struct cell cells[NSIZES][NCFG],
			const double zero[ROUNDS])
{
	double z = median(zero, true);

	fprintf(out, "\n### In bpfwall's programs (BPF run statistics, warm-up bursts)\n\n"
		"ns per packet in bpfwall's programs as the kernel's statistics\n"
		"time them (each program that ran, once a packet, summed: with\n"
		"hoisting, input drops run at XDP too); an XDP program that\n"
		"only drops measures ");
	fprintf(out, z < 0 ? "FAILED" : "%.0f", z);
	fprintf(out, " ns the same way (the statistics' clock reads,\n"
		"which fall partly inside the run): the zero of this table.\n\n"
		"| rules |");
	for (unsigned k = 0; k < NCFG; k++)
		if (cfgs[k].who == WHO_BW)
			fprintf(out, " %s |", cfgs[k].label);
	fprintf(out, "\n|------:|------:|------:|------:|------:|\n");
	for (unsigned s = 0; s < NSIZES; s++) {
		fprintf(out, "| %u |", sizes[s]);
		for (unsigned k = 0; k < NCFG; k++) {
			double v;

			if (cfgs[k].who != WHO_BW)
				continue;
			v = cells[s][k].failed ? -1 : median(cells[s][k].prog_ns, true);
			fprintf(out, v < 0 ? " |" : " %.0f |", v);
		}
		fprintf(out, "\n");
	}
}

int bw_bench_hooks(const char *pin_dir, FILE *out)
{
	static struct cell cells[NSIZES][NCFG];
	double zero[ROUNDS];
	struct bw_hk_net net;
	uint32_t packets[2];
	int gen, failed = 0;
	bool nf, nft;

	memset(cells, 0, sizeof(cells));
	total_wall = total_wait = 0;
	if (bw_hk_net_up(&net))
		return 1;
	/* sources 192.0.2.128/25: random address and port, matching no rule */
	gen = bw_bench_gen_load(0xc0000280u, 0x7f);
	nf = bw_rt_nf_supported();
	nft = !system("nft --version >/dev/null 2>&1");
	packets[DIR_IN] = gen >= 0 ? calibrate(&net, gen, DIR_IN) : 0;
	packets[DIR_OUT] = calibrate(&net, gen, DIR_OUT);
	if (!nf || !nft) {
		/* nothing to compare: said in the output, not a failure */
		fprintf(out, "\n## What each attach point costs per packet\n\n"
			"skipped: %s\n", !nf ? "this kernel has no BPF netfilter programs" :
			"no nft to compare with");
		goto out;
	}
	if (!packets[DIR_IN] || !packets[DIR_OUT]) {
		fprintf(stderr, "bench: hooks: the traffic does not pass\n");
		failed = 1;
		goto out;
	}
	for (int r = 0; r < ROUNDS; r++) {
		fprintf(stderr, "bench: hooks, round %d of %d ...\n", r + 1, ROUNDS);
		zero[r] = stats_zero(&net, gen, packets[DIR_IN] / 10);
		failed += zero[r] < 0;
		for (unsigned s = 0; s < NSIZES; s++)
			for (unsigned i = 0; i < NCFG; i++) {
				unsigned k = (i + (unsigned)r) % NCFG;

				measure(&net, gen, pin_dir, &cfgs[k], sizes[s],
					packets[cfgs[k].dir], r, &cells[s][k]);
			}
	}
	fprintf(out, "\n## What each attach point costs per packet\n\n"
		"CPU ns per packet (in parentheses: Mpps, from the wall time) of one\n"
		"CPU doing all the work (sender and receiver inline); added = over\n"
		"\"none\", no ruleset, the median of each round's difference.\n"
		"N rules `ip saddr 203.0.113.x tcp dport P drop` that the UDP traffic\n"
		"matches none of, then `accept`; bpfwall as `bpfwall -f` loads it\n"
		"(netfilter mode), nft the same file at the same hook.  Median of %d\n"
		"interleaved rounds; each load proven first (the chain's counter\n"
		"counted a burst whole), every burst's path counters checked.\n", ROUNDS);
	print_table(out, DIR_IN, cells, packets);
	print_table(out, DIR_OUT, cells, packets);
	print_progs(out, cells, zero);
	if (total_wall > 0)
		fprintf(out, "\nOther tasks held the bench's CPU %.0f %% of the bursts' wall "
			"time\n(in the Mpps, not in the ns).\n",
			100.0 * total_wait / total_wall);
	for (unsigned s = 0; s < NSIZES; s++)
		for (unsigned k = 0; k < NCFG; k++)
			failed += cells[s][k].failed;
out:
	if (gen >= 0)
		close(gen);
	bw_hk_bw_flush(pin_dir);
	bw_hk_nft_flush();
	bw_hk_net_down(&net);
	return failed;
}
