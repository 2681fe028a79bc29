// SPDX-License-Identifier: GPL-2.0-only
/*
 * `make bench`: what connection tracking costs per packet.  A host
 * firewall's input chain (policy drop) with `ct state established,related
 * accept`, its XDP and TC programs sharing one conntrack table as the
 * runtime loads them, against the same chain with a stateless rule in
 * that place: the ns an answer of an established TCP connection (a hit:
 * lookup, TCP state, refresh) and a UDP packet from nowhere (a miss,
 * dropped, nothing created) add over the empty program.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "compiler/bpf/codegen.h"
#include "compiler/front/compile.h"
#include "bench.h"
#include "tests/lib/maps.h"

#define CHAIN_HEAD \
	"table inet bench {\n" \
	" chain input {\n" \
	"  type filter hook input priority 0; policy drop;\n"
#define CHAIN_TAIL \
	"  tcp dport 22 accept\n" \
	" }\n" \
	" chain output {\n" \
	"  type filter hook output priority 0; policy accept;\n" \
	" }\n" \
	"}\n"

static const char *const first_rule[2] = {
	"  tcp sport 80 tcp dport 40001 accept\n",	/* stateless */
	"  ct state established,related accept\n",	/* tracked */
};

/* the host's connection out, its answer in, and a stray datagram */
#define SYN	"ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 40001 tcp dport 80 tcp flags syn"
#define SYNACK	"ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 40001 tcp flags syn,ack"
#define ACKOUT	"ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 40001 tcp dport 80 tcp flags ack"
#define ACKIN	"ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 40001 tcp flags ack"
#define STRAY	"ip saddr 203.0.113.9 ip daddr 192.0.2.1 udp sport 5000 udp dport 9"

struct ct_progs {
	struct bw_ir *ir;
	struct bw_rt_maps maps;
	int fd[2];			/* XDP, TC */
	uint32_t ninsn;
};

static void progs_close(struct ct_progs *c)
{
	for (int h = 0; h < 2; h++)
		if (c->fd[h] >= 0)
			close(c->fd[h]);
	bw_rt_maps_close(&c->maps);
	bw_ir_free(&c->ir);
}

static int progs_load(bool tracked, struct ct_progs *c)
{
	char text[1024];
	struct bw_diags d;
	int err = 0;

	c->fd[0] = c->fd[1] = -1;
	bw_rt_maps_init(&c->maps);
	snprintf(text, sizeof(text), CHAIN_HEAD "%s" CHAIN_TAIL, first_rule[tracked]);
	bw_diags_init(&d);
	if (bw_compile_string("ct-bench.conf", text, &d, &c->ir) ||
	    bwt_maps_create(&c->maps, c->ir, NULL, false))
		err = -1;
	for (int h = 0; h < 2 && !err; h++) {
		struct bw_codegen_opts co = { 0 };
		struct bw_prog *p = NULL;

		if (bw_codegen(c->ir, h ? BW_HOOK_TC : BW_HOOK_XDP, BENCH_DEV,
			       &co, &d, &p)) {
			err = -1;
			break;
		}
		if (!h)
			c->ninsn = p->ninsn;
		c->fd[h] = bw_rt_prog_load(p, &c->maps, "ct bench", &d);
		bw_prog_free(&p);
		if (c->fd[h] < 0)
			err = -1;
	}
	if (err) {
		bw_diags_print(&d, stderr);
		fprintf(stderr, "bench: ct: cannot build the %s programs\n",
			tracked ? "tracking" : "stateless");
	}
	bw_diags_fini(&d);
	return err;
}

/* One packet through program h (0 XDP, 1 TC): its return code, or -1. */
static long run_one(const struct ct_progs *c, int h, const char *spec)
{
	struct bw_bench_pkt p;
	struct __sk_buff skb = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .repeat = 1);

	if (bw_bench_pkt(spec, &p))
		return -1;
	o.data_in = p.buf;
	o.data_size_in = (uint32_t)p.len;
	if (h) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	if (bpf_prog_test_run_opts(c->fd[h], &o))
		return -1;
	return o.retval;
}

/*
 * The connection's handshake through both programs (tracked: the flow is
 * in the table after it), then what is measured must be what the rules
 * say: the answer accepted, the stray datagram dropped.
 */
static bool check(const struct ct_progs *c, bool tracked)
{
	static const struct {
		int h;
		const char *spec;
		long want;
		bool tracked;	/* only then: no stateless rule lets it in */
	} steps[] = {
		{ 1, SYN, 0 /* TC_ACT_OK */, false },
		{ 0, SYNACK, XDP_PASS, true },
		{ 1, ACKOUT, 0, false },
		{ 0, ACKIN, XDP_PASS, false },
		{ 0, STRAY, XDP_DROP, false },
	};

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		long got;

		if (steps[i].tracked && !tracked)
			continue;
		got = run_one(c, steps[i].h, steps[i].spec);
		if (got != steps[i].want) {
			fprintf(stderr, "bench: ct: %s: %s gave %ld, want %ld\n",
				tracked ? "tracked" : "stateless", steps[i].spec,
				got, steps[i].want);
			return false;
		}
	}
	return true;
}

int bw_bench_ct(int empty_fd, FILE *out)
{
	static const char *const what[2] = { "stateless rule", "ct state" };
	double ns[2][2], empty[2][2];
	uint32_t ninsn[2] = { 0 };

	for (int tracked = 0; tracked < 2; tracked++) {
		struct ct_progs c = { 0 };
		struct bw_bench_pkt pkt[2];
		int err = progs_load(tracked, &c);

		if (!err && !check(&c, tracked))
			err = -1;
		if (!err)
			err = bw_bench_pkt(ACKIN, &pkt[0]) || bw_bench_pkt(STRAY, &pkt[1]);
		for (int k = 0; k < 2 && !err; k++)
			err = bw_bench_measure(c.fd[0], empty_fd, &pkt[k],
					       &ns[tracked][k], &empty[tracked][k]);
		ninsn[tracked] = c.ninsn;
		progs_close(&c);
		if (err) {
			fprintf(stderr, "bench: ct: %s: measurement failed\n",
				what[tracked]);
			return 1;
		}
	}
	fprintf(out, "\n## Connection tracking: ns per packet (XDP, BPF_PROG_TEST_RUN)\n\n"
		"An inet input chain, policy drop: `ct state established,related accept`\n"
		"(the XDP and TC programs sharing one table, the flow opened through\n"
		"both first) against a stateless `tcp sport 80 tcp dport 40001 accept`\n"
		"in its place.  \"answer\": an ACK of the established connection (a\n"
		"hit: lookup, TCP state, refresh); \"stray\": a UDP datagram from\n"
		"nowhere (a miss: dropped, nothing created).  Median of %d runs,\n"
		"interleaved with the empty program.\n\n"
		"| first rule | insns | answer | added | stray | added |\n"
		"|---|---:|---:|---:|---:|---:|\n", BW_BENCH_NRUNS);
	for (int t = 0; t < 2; t++)
		fprintf(out, "| %s | %u | %.0f | +%.0f | %.0f | +%.0f |\n",
			what[t], ninsn[t], ns[t][0], ns[t][0] - empty[t][0],
			ns[t][1], ns[t][1] - empty[t][1]);
	return 0;
}
