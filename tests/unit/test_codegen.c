// SPDX-License-Identifier: GPL-2.0-only
/*
 * Codegen against the real kernel: hand-built IRs are compiled, loaded with
 * libbpf (maps created and placeholders patched here), and frames are run
 * through BPF_PROG_TEST_RUN.  Every verdict is stated by the test and also
 * compared with the reference interpreter; malformed frames check the
 * reason counter.  Needs root (exit 77 otherwise).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cmocka.h>

#include "compiler/bpf/codegen.h"
#include "compiler/front/compile.h"
#include "compiler/bpf/emit.h"
#include "compiler/interp/interp.h"
#include "compiler/bpf/log.h"
#include "compiler/front/ir.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/view.h"
#include "cg_build.h"

/* -------------------------------------------------------- kernel loading */

struct lp {
	struct bw_ir *ir;
	enum bw_hook hook;
	struct bw_prog *prog;
	int fd;
	int map[BW_MAP__MAX];
	const struct bw_opt_plan *plan;	/* lookup groups, or NULL */
	int *lmap;			/* plan->nmap lookup map fds */
	uint32_t processed;	/* verifier's processed insns (stats) */
};

static int ncpu;

static int mk_maps(struct lp *l)
{
	l->map[BW_MAP_COUNTERS] = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_counters",
						 4, sizeof(struct bw_counter),
						 l->ir->nhandle ? l->ir->nhandle : 1, NULL);
	l->map[BW_MAP_REASONS] = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_reasons",
						4, 8, BW_REASONS_SLOTS, NULL);
	l->map[BW_MAP_TRACE] = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bw_trace", 4, 4, 1,
					      NULL);
	for (int i = 0; i < BW_MAP__MAX; i++)
		if (l->map[i] < 0)
			return -errno;
	return 0;
}

/* Verifier "processed N insns" from a stats log. */
static uint32_t processed(const char *log)
{
	const char *p = strstr(log, "processed ");

	return p ? (uint32_t)strtoul(p + 10, NULL, 10) : 0;
}

/* The lookup maps of a plan, filled as the runtime would. */
static int mk_lookup_maps(struct lp *l)
{
	const struct bw_opt_plan *p = l->plan;

	l->lmap = calloc(p->nmap ? p->nmap : 1, sizeof(*l->lmap));
	assert_non_null(l->lmap);
	for (uint32_t i = 0; i < p->nmap; i++) {
		const struct bw_lookup_map *m = &p->map[i];
		LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = m->lpm ? BPF_F_NO_PREALLOC : 0);

		l->lmap[i] = bpf_map_create(m->lpm ? BPF_MAP_TYPE_LPM_TRIE :
					    BPF_MAP_TYPE_HASH, "bw_lookup",
					    m->key_size, bw_lookup_map_vsize(m),
					    m->nentries, &mo);
		if (l->lmap[i] < 0)
			return -errno;
		for (uint32_t k = 0; k < m->nentries; k++)
			if (bpf_map_update_elem(l->lmap[i], m->keys + (size_t)k * m->key_size,
						(const uint8_t *)bw_lookup_map_vals(m) +
						(size_t)k * bw_lookup_map_vsize(m), BPF_NOEXIST))
				return -errno;
	}
	return 0;
}

static int lp_load_plan(struct lp *l, struct bw_ir *ir, enum bw_hook hook,
			bool trace, const struct bw_opt_plan *plan);

static int lp_load(struct lp *l, struct bw_ir *ir, enum bw_hook hook, bool trace)
{
	return lp_load_plan(l, ir, hook, trace, NULL);
}

static int lp_load_plan(struct lp *l, struct bw_ir *ir, enum bw_hook hook,
			bool trace, const struct bw_opt_plan *plan)
{
	struct bw_codegen_opts o = { .trace = trace, .plan = plan };
	const struct bw_hook_info *info = bw_hook_info(hook);
	struct bw_diags d;
	struct bpf_insn *in;
	static char log[1 << 20];
	int err;

	memset(l, 0, sizeof(*l));
	l->ir = ir;
	l->hook = hook;
	l->fd = -1;
	l->plan = plan;
	bw_diags_init(&d);
	err = bw_codegen(ir, hook, DEV, &o, &d, &l->prog);
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	if (err)
		return err;
	err = mk_maps(l);
	if (!err && plan)
		err = mk_lookup_maps(l);
	if (err)
		return err;
	in = malloc(l->prog->ninsn * sizeof(*in));
	assert_non_null(in);
	memcpy(in, l->prog->insn, l->prog->ninsn * sizeof(*in));
	for (uint32_t i = 0; i < l->prog->ninsn; i++) {
		if (in[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (in[i].src_reg == BPF_PSEUDO_MAP_FD ||
		    in[i].src_reg == BPF_PSEUDO_MAP_VALUE) {
			if (plan && in[i].imm >= BW_MAP__MAX) {
				assert_true(in[i].imm - BW_MAP__MAX < (int32_t)plan->nmap);
				in[i].imm = l->lmap[in[i].imm - BW_MAP__MAX];
				i++;
				continue;
			}
			assert_true(in[i].imm >= 0 && in[i].imm < BW_MAP__MAX);
			assert_true(l->prog->uses_map[in[i].imm]);
			in[i].imm = l->map[in[i].imm];
		}
		i++;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, po, .log_buf = log,
		    .log_size = sizeof(log), .log_level = 4,
		    .expected_attach_type = info->expected_attach_type);
	log[0] = 0;
	l->fd = bpf_prog_load(info->prog_type, l->prog->name, "GPL", in,
			      l->prog->ninsn, &po);
	if (l->fd < 0) {
		err = -errno;
		/* again with the full log, for the reader */
		po.log_level = 1;
		bpf_prog_load(info->prog_type, l->prog->name, "GPL", in,
			      l->prog->ninsn, &po);
		size_t n = strlen(log);
		fprintf(stderr, "verifier: %s\n", n > 6000 ? log + n - 6000 : log);
		free(in);
		return err;
	}
	l->processed = processed(log);
	free(in);
	return 0;
}

static void lp_free(struct lp *l)
{
	if (l->fd >= 0)
		close(l->fd);
	for (int i = 0; i < BW_MAP__MAX; i++)
		if (l->map[i] > 0)
			close(l->map[i]);
	for (uint32_t i = 0; l->plan && l->lmap && i < l->plan->nmap; i++)
		if (l->lmap[i] > 0)
			close(l->lmap[i]);
	free(l->lmap);
	l->lmap = NULL;
	bw_prog_free(&l->prog);
}

static uint64_t percpu_sum(int fd, uint32_t key, unsigned words, unsigned w)
{
	uint64_t v[256 * 2];
	uint64_t sum = 0;

	assert_true((unsigned)ncpu * words <= sizeof(v) / sizeof(v[0]));
	assert_int_equal(bpf_map_lookup_elem(fd, &key, v), 0);
	for (int c = 0; c < ncpu; c++)
		sum += v[c * words + w];
	return sum;
}

static uint64_t reason_count(struct lp *l, enum bw_reason r)
{
	return percpu_sum(l->map[BW_MAP_REASONS], r, 1, 0);
}

static uint32_t trace_handle(struct lp *l)
{
	uint32_t k = 0, v = 0;

	assert_int_equal(bpf_map_lookup_elem(l->map[BW_MAP_TRACE], &k, &v), 0);
	return v;
}

/* Run a frame; returns the raw program return code. */
static uint32_t lp_run(struct lp *l, const struct fr *f)
{
	uint8_t out[1024];
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = f->b,
		    .data_size_in = (uint32_t)f->n, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);
	int err = bpf_prog_test_run_opts(l->fd, &t);

	if (err)
		fprintf(stderr, "test_run: %s (len %zu)\n", strerror(errno), f->n);
	assert_int_equal(err, 0);
	return t.retval;
}

/* Average ns per run of a frame (BPF_PROG_TEST_RUN, repeat). */
static uint32_t lp_ns(struct lp *l, const struct fr *f)
{
	LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = f->b,
		    .data_size_in = (uint32_t)f->n, .repeat = 20000);

	assert_int_equal(bpf_prog_test_run_opts(l->fd, &t), 0);
	return t.duration;
}

/*
 * The frame must get verdict v (BW_VERDICT_ACCEPT/DROP) with deciding
 * handle h, from the kernel and from the interpreter.  reason >= 0: it is a
 * malformed frame dropped for that reason (its counter moves by one).
 */
static void expect(struct lp *l, const struct fr *f, enum bw_verdict v,
		   uint32_t h, int reason, int line)
{
	const struct bw_hook_info *info = bw_hook_info(l->hook);
	struct bw_interp_result ir;
	uint64_t before = reason >= 0 ? reason_count(l, reason) : 0;
	uint32_t ret = lp_run(l, f);
	int want = v == BW_VERDICT_DROP ? info->verdict_drop : info->verdict_accept;

	if ((int)ret != want || trace_handle(l) != h)
		fail_msg("line %d: kernel retval %u handle %u, want %d handle %u",
			 line, ret, trace_handle(l), want, h);
	if (reason >= 0 && reason_count(l, reason) != before + 1)
		fail_msg("line %d: reason %s not counted", line,
			 bw_reason_name(reason));
	assert_int_equal(bw_interp_run(l->ir, info->egress, DEV, f->b, f->n, &ir), 0);
	if (ir.verdict != v || ir.handle != h || ir.malformed != (reason >= 0) ||
	    (reason >= 0 && (int)ir.reason != reason))
		fail_msg("line %d: interpreter verdict %d handle %u malformed %d "
			 "reason %d disagrees", line, ir.verdict, ir.handle,
			 ir.malformed, ir.reason);
}

#define ACCEPT(l, f, h) expect((l), (f), BW_VERDICT_ACCEPT, (h), -1, __LINE__)
#define DROP(l, f, h) expect((l), (f), BW_VERDICT_DROP, (h), -1, __LINE__)
#define MALFORMED(l, f, r) expect((l), (f), BW_VERDICT_DROP, 0, (r), __LINE__)

static void load_ok(struct lp *l, struct bw_ir *ir, enum bw_hook hook)
{
	assert_int_equal(lp_load(l, ir, hook, true), 0);
}

static enum bw_chain_hook base_hook(enum bw_hook hook)
{
	return hook == BW_HOOK_XDP ? BW_CHAIN_INGRESS : BW_CHAIN_EGRESS;
}

/* ----------------------------------------------------------------- tests */

static void t_addr(enum bw_hook hook)
{
	struct bw_ir *ir = cg_ir_new();
	uint32_t c = cg_chain_add(ir, BW_FAMILY_NETDEV, base_hook(hook), 0,
			       BW_VERDICT_ACCEPT);
	uint32_t h1, h2, h3;
	struct lp l;
	struct fr f;

	h1 = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ip saddr 192.0.2.1 */
	cg_eq(cg_match_add(ir, c, BW_F_IP_SADDR, false), cg_ip4("192.0.2.1"));
	h2 = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ip daddr 198.51.100.0/24 */
	cg_prefix4(cg_match_add(ir, c, BW_F_IP_DADDR, false), "198.51.100.0", 24);
	h3 = cg_rule_add(ir, c, BW_VERDICT_ACCEPT, false);	/* ip saddr != 203.0.113.0/25 accept */
	cg_prefix4(cg_match_add(ir, c, BW_F_IP_SADDR, true), "203.0.113.0", 25);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* drop the rest of IPv4 */
	cg_match_add(ir, c, BW_F_META_NFPROTO, false);
	cg_eq(&cg_last_rule(ir, c)->match[0], 2);
	load_ok(&l, ir, hook);

	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1000, 80, 2);
	DROP(&l, &f, h1);
	cg_tcp4(&f, "203.0.113.1", "198.51.100.77", 1000, 80, 2);
	DROP(&l, &f, h2);
	cg_tcp4(&f, "203.0.113.1", "198.51.101.77", 1000, 80, 2);
	DROP(&l, &f, h3 + 1);
	cg_tcp4(&f, "203.0.113.200", "198.51.101.77", 1000, 80, 2);
	ACCEPT(&l, &f, h3);
	/* IPv6: every rule's guard fails, != included: policy */
	cg_tcp6(&f, "2001:db8::1", "2001:db8::2", 80);
	ACCEPT(&l, &f, 0);
	/* ARP: nothing matches */
	cg_eth(&f, 0x0806);
	cg_put(&f, "0123456789abcdefghijklmnopqrstuvwxyz", 28);
	ACCEPT(&l, &f, 0);
	lp_free(&l);
	bw_ir_free(&ir);
}

static void t_ports(enum bw_hook hook)
{
	struct bw_ir *ir = cg_ir_new();
	uint32_t c = cg_chain_add(ir, BW_FAMILY_INET,
			       hook == BW_HOOK_XDP ? BW_CHAIN_INPUT : BW_CHAIN_OUTPUT,
			       0, BW_VERDICT_DROP);
	uint32_t hr, hs, hm, hn, hf;
	struct bw_ir_match *m;
	struct lp l;
	struct fr f;

	hr = cg_rule_add(ir, c, BW_VERDICT_ACCEPT, false);	/* tcp dport 8000-8080 */
	cg_elem(cg_match_add(ir, c, BW_F_TCP_DPORT, false), 8000, 8080, 0xffff);
	hs = cg_rule_add(ir, c, BW_VERDICT_ACCEPT, false);	/* udp dport { 53, 123, 5353 } */
	m = cg_match_add(ir, c, BW_F_UDP_DPORT, false);
	cg_eq(m, 53);
	cg_eq(m, 123);
	cg_eq(m, 5353);
	hm = cg_rule_add(ir, c, BW_VERDICT_ACCEPT, false);	/* tcp dport { 22, 1000-2000 } */
	m = cg_match_add(ir, c, BW_F_TCP_DPORT, false);
	cg_eq(m, 22);
	cg_elem(m, 1000, 2000, 0xffff);
	hn = cg_rule_add(ir, c, BW_VERDICT_ACCEPT, false);	/* udp sport != { 1-1023, 4000 } */
	m = cg_match_add(ir, c, BW_F_UDP_SPORT, true);
	cg_elem(m, 1, 1023, 0xffff);
	cg_eq(m, 4000);
	hf = cg_rule_add(ir, c, BW_VERDICT_ACCEPT, false);	/* tcp flags syn tcp sport 7 */
	cg_elem(cg_match_add(ir, c, BW_F_TCP_FLAGS, false), 0x02, 0x02, 0x02);
	cg_eq(cg_match_add(ir, c, BW_F_TCP_SPORT, false), 7);
	load_ok(&l, ir, hook);

	for (unsigned p = 7990; p < 8090; p++) {
		cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, (uint16_t)p, 0x10);
		expect(&l, &f, p >= 8000 && p <= 8080 ? BW_VERDICT_ACCEPT :
		       BW_VERDICT_DROP, p >= 8000 && p <= 8080 ? hr : 0, -1, __LINE__);
	}
	cg_udp4(&f, "192.0.2.1", "192.0.2.2", 53, 123);
	ACCEPT(&l, &f, hs);
	cg_udp4(&f, "192.0.2.1", "192.0.2.2", 53, 124);
	DROP(&l, &f, 0);
	cg_udp4(&f, "192.0.2.1", "192.0.2.2", 4001, 124);
	ACCEPT(&l, &f, hn);
	cg_udp4(&f, "192.0.2.1", "192.0.2.2", 4000, 124);
	DROP(&l, &f, 0);
	cg_udp4(&f, "192.0.2.1", "192.0.2.2", 0, 124);
	ACCEPT(&l, &f, hn);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 22, 0x10);
	ACCEPT(&l, &f, hm);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 1999, 0x10);
	ACCEPT(&l, &f, hm);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 2001, 0x10);
	DROP(&l, &f, 0);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 7, 2001, 0x03);	/* syn+fin */
	ACCEPT(&l, &f, hf);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 7, 2001, 0x10);
	DROP(&l, &f, 0);
	cg_tcp6(&f, "2001:db8::1", "2001:db8::2", 8080);
	ACCEPT(&l, &f, hr);
	/* inet chains do not see ARP: accepted, policy not applied */
	cg_eth(&f, 0x0806);
	cg_put(&f, "0123456789abcdefghijklmnopqrstuvwxyz", 28);
	ACCEPT(&l, &f, 0);
	lp_free(&l);
	bw_ir_free(&ir);
}

static void t_fields(enum bw_hook hook)
{
	struct bw_ir *ir = cg_ir_new();
	uint32_t c = cg_chain_add(ir, BW_FAMILY_NETDEV, base_hook(hook), 0,
			       BW_VERDICT_ACCEPT);
	uint32_t h6a, h6p, h6r, hes, het, hds, hlen, hcnt;
	uint8_t lo[16], hi[16], mk[16];
	struct bw_ir_match *m;
	struct lp l;
	struct fr f;

	h6a = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ip6 daddr 2001:db8::dead */
	m = cg_match_add(ir, c, BW_F_IP6_DADDR, false);
	cg_ip6("2001:db8::dead", lo);
	cg_elem_bytes(m, lo, lo, NULL);
	h6p = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ip6 saddr 2001:db8:bad::/48 */
	m = cg_match_add(ir, c, BW_F_IP6_SADDR, false);
	cg_ip6("2001:db8:bad::", lo);
	cg_ip6("ffff:ffff:ffff::", mk);
	cg_elem_bytes(m, lo, lo, mk);
	h6r = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ip6 saddr 2001:db8::10-2001:db8::1:0 */
	m = cg_match_add(ir, c, BW_F_IP6_SADDR, false);
	cg_ip6("2001:db8::10", lo);
	cg_ip6("2001:db8::1:0", hi);
	cg_elem_bytes(m, lo, hi, NULL);
	hes = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ether saddr 02:00:00:00:00:99 */
	m = cg_match_add(ir, c, BW_F_ETHER_SADDR, false);
	memcpy(lo, (uint8_t[]){ 2, 0, 0, 0, 0, 0x99 }, 6);
	cg_elem_bytes(m, lo, lo, NULL);
	het = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ether type 0x88b5 */
	cg_eq(cg_match_add(ir, c, BW_F_ETHER_TYPE, false), 0x88b5);
	hds = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ip dscp 46 */
	cg_eq(cg_match_add(ir, c, BW_F_IP_DSCP, false), 46);
	hlen = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* meta length 1000-2000 */
	cg_elem(cg_match_add(ir, c, BW_F_META_PKTLEN, false), 1000, 2000, 0xffffffff);
	hcnt = cg_rule_add(ir, c, BW_VERDICT_CONTINUE, true);	/* counter */
	load_ok(&l, ir, hook);

	cg_tcp6(&f, "2001:db8::1", "2001:db8::dead", 80);
	DROP(&l, &f, h6a);
	cg_tcp6(&f, "2001:db8:bad:1::1", "2001:db8::2", 80);
	DROP(&l, &f, h6p);
	cg_tcp6(&f, "2001:db8::10", "2001:db8::2", 80);
	DROP(&l, &f, h6r);
	cg_tcp6(&f, "2001:db8::f", "2001:db8::2", 80);
	ACCEPT(&l, &f, 0);
	cg_tcp6(&f, "2001:db8::ffff", "2001:db8::2", 80);
	DROP(&l, &f, h6r);
	cg_tcp6(&f, "2001:db8::1:0", "2001:db8::2", 80);
	DROP(&l, &f, h6r);
	cg_tcp6(&f, "2001:db8::1:1", "2001:db8::2", 80);
	ACCEPT(&l, &f, 0);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 2, 2);
	f.b[11] = 0x99;
	DROP(&l, &f, hes);
	cg_eth(&f, 0x88b5);
	cg_put(&f, "payload.", 8);
	DROP(&l, &f, het);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 2, 2);
	f.b[15] = 46 << 2 | 1;
	DROP(&l, &f, hds);
	f.b[15] = 45 << 2;
	ACCEPT(&l, &f, 0);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 2, 2);
	f.n = 1014;		/* trailing bytes after the IP packet: */
	DROP(&l, &f, hlen);	/* meta length 1000 (past Ethernet) */
	f.n = 1013;
	ACCEPT(&l, &f, 0);
	/* the counter rule saw the accepted frames */
	uint64_t pk = percpu_sum(l.map[BW_MAP_COUNTERS], hcnt, 2, 0);
	uint64_t by = percpu_sum(l.map[BW_MAP_COUNTERS], hcnt, 2, 1);
	assert_int_equal(pk, 4);
	assert_int_equal(by, 74 + 74 + 54 + 1013);	/* whole frames */
	lp_free(&l);
	bw_ir_free(&ir);
}

/* Chain order, families, policies, verdicts and counters across chains. */
static void t_chains(enum bw_hook hook)
{
	struct bw_ir *ir = cg_ir_new();
	bool eg = hook == BW_HOOK_TC;
	enum bw_chain_hook ip_hook = eg ? BW_CHAIN_OUTPUT : BW_CHAIN_INPUT;
	uint32_t cn, c4, c6, ha, hd4, hd6, hc;
	struct lp l;
	struct fr f;

	/* Added out of order: priorities and groups decide. */
	c6 = cg_chain_add(ir, BW_FAMILY_IP6, ip_hook, 5, BW_VERDICT_ACCEPT);
	c4 = cg_chain_add(ir, BW_FAMILY_IP, ip_hook, -5, BW_VERDICT_DROP);
	cn = cg_chain_add(ir, BW_FAMILY_NETDEV, base_hook(hook), 0, BW_VERDICT_ACCEPT);
	hc = cg_rule_add(ir, cn, BW_VERDICT_ACCEPT, true);	/* tcp dport 22 counter accept */
	cg_eq(cg_match_add(ir, cn, BW_F_TCP_DPORT, false), 22);
	hd4 = cg_rule_add(ir, c4, BW_VERDICT_DROP, false);	/* ip saddr 192.0.2.9 drop */
	cg_eq(cg_match_add(ir, c4, BW_F_IP_SADDR, false), cg_ip4("192.0.2.9"));
	ha = cg_rule_add(ir, c4, BW_VERDICT_ACCEPT, false);	/* meta l4proto tcp accept */
	cg_eq(cg_match_add(ir, c4, BW_F_META_L4PROTO, false), IPPROTO_TCP);
	hd6 = cg_rule_add(ir, c6, BW_VERDICT_DROP, false);	/* tcp dport 22 drop */
	cg_eq(cg_match_add(ir, c6, BW_F_TCP_DPORT, false), 22);
	load_ok(&l, ir, hook);

	/*
	 * Ingress runs netdev, then ip (-5), then ip6 (5); egress runs ip,
	 * ip6, then netdev.  The deciding handle is the last chain's.
	 */
	cg_tcp4(&f, "192.0.2.9", "192.0.2.2", 1, 22, 2);
	DROP(&l, &f, hd4);
	/* ip chain accepts by rule, ip6 chain does not see it */
	cg_tcp4(&f, "192.0.2.8", "192.0.2.2", 1, 22, 2);
	ACCEPT(&l, &f, eg ? hc : ha);
	/* UDP: ip chain policy drop */
	cg_udp4(&f, "192.0.2.8", "192.0.2.2", 1, 22);
	DROP(&l, &f, 0);
	/* IPv6: ip6 chain drops */
	cg_tcp6(&f, "2001:db8::1", "2001:db8::2", 22);
	DROP(&l, &f, hd6);
	cg_tcp6(&f, "2001:db8::1", "2001:db8::2", 23);
	ACCEPT(&l, &f, 0);
	/* ARP: no family chain sees it, netdev policy accept */
	cg_eth(&f, 0x0806);
	cg_put(&f, "0123456789abcdefghijklmnopqrstuvwxyz", 28);
	ACCEPT(&l, &f, 0);
	/* the netdev counter saw what reached the netdev chain */
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hc, 2, 0), eg ? 1 : 3);
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hc, 2, 1),
			 eg ? 54 : 54 + 54 + 74);
	lp_free(&l);
	bw_ir_free(&ir);
}

/* Every malformed case of view.h, and the edge cases that are not. */
static void t_malformed(enum bw_hook hook)
{
	struct bw_ir *ir = cg_ir_new();
	uint32_t c = cg_chain_add(ir, BW_FAMILY_NETDEV, base_hook(hook), 0,
			       BW_VERDICT_ACCEPT);
	uint32_t hd, hs, hv, h6;
	struct lp l;
	struct fr f;
	size_t at;

	hd = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* tcp dport 22 drop */
	cg_eq(cg_match_add(ir, c, BW_F_TCP_DPORT, false), 22);
	hs = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* ip saddr 192.0.2.66 drop */
	cg_eq(cg_match_add(ir, c, BW_F_IP_SADDR, false), cg_ip4("192.0.2.66"));
	hv = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* meta l4proto 253 drop */
	cg_eq(cg_match_add(ir, c, BW_F_META_L4PROTO, false), 253);
	h6 = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* udp dport 53 drop */
	cg_eq(cg_match_add(ir, c, BW_F_UDP_DPORT, false), 53);
	load_ok(&l, ir, hook);

	/* VLAN tag cut short */
	cg_eth(&f, 0x8100);
	cg_put16(&f, 5);
	MALFORMED(&l, &f, BW_REASON_ETH_TRUNC);
	/* 1..4 tags walked (802.1Q and 802.1ad), 5 dropped */
	for (int n = 1; n <= BW_VLAN_MAX + 1; n++) {
		cg_eth(&f, n & 1 ? 0x88a8 : 0x8100);
		for (int i = 0; i < n; i++)
			cg_vlan(&f, (uint16_t)(i + 1), i == n - 1 ? 0x0800 : 0x8100);
		at = cg_iph(&f, IPPROTO_TCP, cg_ip4("192.0.2.66"), cg_ip4("192.0.2.2"), 0, 5);
		cg_tcph(&f, 1, 80, 2, 5);
		cg_fix4(&f, at);
		if (n <= BW_VLAN_MAX)
			DROP(&l, &f, hs);
		else
			MALFORMED(&l, &f, BW_REASON_VLAN_DEPTH);
	}
	/* IPv4: IHL < 5, version, short, total length */
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 22, 2);
	DROP(&l, &f, hd);
	f.b[14] = 0x44;
	MALFORMED(&l, &f, BW_REASON_IP4_BAD);
	f.b[14] = 0x55;
	MALFORMED(&l, &f, BW_REASON_IP4_BAD);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 22, 2);
	f.b[16] = 0;
	f.b[17] = 19;		/* total length below the header */
	MALFORMED(&l, &f, BW_REASON_IP4_BAD);
	f.b[17] = 41;		/* beyond the frame */
	MALFORMED(&l, &f, BW_REASON_IP4_BAD);
	f.n = 14 + 19;		/* fewer than 20 bytes (TC's test run refuses
				 * an IPv4 skb shorter than its header) */
	if (hook == BW_HOOK_XDP)
		MALFORMED(&l, &f, BW_REASON_IP4_BAD);
	/* options skipped by IHL */
	cg_eth(&f, 0x0800);
	at = cg_iph(&f, IPPROTO_TCP, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0, 15);
	cg_tcph(&f, 1, 22, 2, 5);
	cg_fix4(&f, at);
	DROP(&l, &f, hd);
	/* transport only inside the total length: garbage after it */
	cg_eth(&f, 0x0800);
	at = cg_iph(&f, IPPROTO_TCP, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0, 5);
	cg_fix4(&f, at);
	cg_tcph(&f, 1, 22, 2, 5);
	MALFORMED(&l, &f, BW_REASON_L4_TRUNC);
	/* truncated UDP */
	cg_udp4(&f, "192.0.2.1", "192.0.2.2", 1, 53);
	DROP(&l, &f, h6);
	f.n -= 1;
	f.b[17] -= 1;
	MALFORMED(&l, &f, BW_REASON_L4_TRUNC);
	/* TCP data offset < 5 */
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 22, 2);
	f.b[14 + 20 + 12] = 4 << 4;
	MALFORMED(&l, &f, BW_REASON_TCP_BAD);
	/* fragments: non-first (no transport match, l4proto still), tiny
	 * first, TCP offset 1 */
	cg_eth(&f, 0x0800);
	at = cg_iph(&f, IPPROTO_TCP, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0x0005, 5);
	cg_tcph(&f, 1, 22, 2, 5);
	cg_fix4(&f, at);
	ACCEPT(&l, &f, 0);
	cg_eth(&f, 0x0800);
	at = cg_iph(&f, 253, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0x0005, 5);
	cg_put32(&f, 0);
	cg_fix4(&f, at);
	DROP(&l, &f, hv);
	cg_eth(&f, 0x0800);
	at = cg_iph(&f, IPPROTO_TCP, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0x2000, 5);
	cg_put(&f, "0123456789", 10);
	cg_fix4(&f, at);
	MALFORMED(&l, &f, BW_REASON_L4_TRUNC);
	cg_eth(&f, 0x0800);
	at = cg_iph(&f, IPPROTO_TCP, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0x2001, 5);
	cg_tcph(&f, 1, 22, 2, 5);
	cg_fix4(&f, at);
	MALFORMED(&l, &f, BW_REASON_FRAG_BAD);
	/* reserved bit alone is not a fragment; DF neither */
	cg_eth(&f, 0x0800);
	at = cg_iph(&f, IPPROTO_TCP, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0xc000, 5);
	cg_tcph(&f, 1, 22, 2, 5);
	cg_fix4(&f, at);
	DROP(&l, &f, hd);

	/* IPv6: bad version, short, payload beyond the frame */
	cg_tcp6(&f, "2001:db8::1", "2001:db8::2", 22);
	DROP(&l, &f, hd);
	f.b[14] = 0x50;
	MALFORMED(&l, &f, BW_REASON_IP6_BAD);
	cg_tcp6(&f, "2001:db8::1", "2001:db8::2", 22);
	f.b[19] += 1;
	MALFORMED(&l, &f, BW_REASON_IP6_BAD);
	f.n = 14 + 39;
	if (hook == BW_HOOK_XDP)
		MALFORMED(&l, &f, BW_REASON_IP6_BAD);
	/* extension headers: 8 walked, 9 dropped; each kind; AH (51)
	 * ends the walk: UDP after it is AH's payload (nf_tables' view) */
	for (int n = 1; n <= BW_IP6_EXT_MAX + 1; n++) {
		static const uint8_t kinds[] = { 0, 43, 60, 44 };

		cg_eth(&f, 0x86dd);
		at = cg_ip6h(&f, kinds[0], "2001:db8::1", "2001:db8::2");
		for (int i = 0; i < n; i++) {
			uint8_t k = kinds[i % 4], nx = i == n - 1 ? IPPROTO_UDP :
							kinds[(i + 1) % 4];

			cg_put8(&f, nx);
			if (k == 44) {		/* atomic fragment */
				cg_put8(&f, 0);
				cg_put16(&f, 0);
				cg_put32(&f, 7);
			} else if (k == 51) {	/* AH: (1 + 2) * 4 = 12 bytes */
				cg_put8(&f, 1);
				cg_put(&f, "\0\0\0\0\0\0\0\0\0\0", 10);
			} else {		/* (1 + 1) * 8 = 16 bytes */
				cg_put8(&f, 1);
				cg_put(&f, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 14);
			}
		}
		cg_udph(&f, 1, 53);
		cg_fix6(&f, at);
		if (n <= BW_IP6_EXT_MAX)
			DROP(&l, &f, h6);
		else
			MALFORMED(&l, &f, BW_REASON_IP6_EXT);
	}
	for (int n = 0; n <= BW_IP6_EXT_MAX; n += BW_IP6_EXT_MAX) {
		cg_eth(&f, 0x86dd);
		at = cg_ip6h(&f, n ? 60 : 51, "2001:db8::1", "2001:db8::2");
		for (int i = 0; i < n; i++) {
			cg_put8(&f, i == n - 1 ? 51 : 60);
			cg_put8(&f, 0);
			cg_put(&f, "\0\0\0\0\0\0", 6);
		}
		cg_put8(&f, IPPROTO_UDP);	/* AH: (1 + 2) * 4 = 12 bytes */
		cg_put8(&f, 1);
		cg_put(&f, "\0\0\0\0\0\0\0\0\0\0", 10);
		cg_udph(&f, 1, 53);
		cg_fix6(&f, at);
		ACCEPT(&l, &f, 0);	/* udp dport 53 is not seen */
	}
	/* extension header cut short by the payload length */
	cg_eth(&f, 0x86dd);
	at = cg_ip6h(&f, 0, "2001:db8::1", "2001:db8::2");
	cg_put8(&f, IPPROTO_UDP);
	cg_put8(&f, 1);		/* claims 16 bytes */
	cg_put(&f, "\0\0\0\0\0\0", 6);
	cg_fix6(&f, at);
	cg_put(&f, "\0\0\0\0\0\0\0\0", 8);	/* in the frame, not the payload */
	MALFORMED(&l, &f, BW_REASON_IP6_BAD);
	/* non-first fragment: l4proto from the fragment header, no ports */
	cg_eth(&f, 0x86dd);
	at = cg_ip6h(&f, 44, "2001:db8::1", "2001:db8::2");
	cg_put8(&f, IPPROTO_UDP);
	cg_put8(&f, 0);
	cg_put16(&f, 8 << 3);
	cg_put32(&f, 9);
	cg_udph(&f, 1, 53);
	cg_fix6(&f, at);
	ACCEPT(&l, &f, 0);
	f.b[14 + 40] = 253;
	DROP(&l, &f, hv);
	/* first fragment too short for UDP */
	cg_eth(&f, 0x86dd);
	at = cg_ip6h(&f, 44, "2001:db8::1", "2001:db8::2");
	cg_put8(&f, IPPROTO_UDP);
	cg_put8(&f, 0);
	cg_put16(&f, 1);
	cg_put32(&f, 9);
	cg_put(&f, "1234", 4);
	cg_fix6(&f, at);
	MALFORMED(&l, &f, BW_REASON_L4_TRUNC);
	/* No Next Header: an upper layer, nothing to parse */
	cg_eth(&f, 0x86dd);
	at = cg_ip6h(&f, 59, "2001:db8::1", "2001:db8::2");
	cg_fix6(&f, at);
	ACCEPT(&l, &f, 0);
	lp_free(&l);
	bw_ir_free(&ir);
}

static void xdp_addr(void **s) { t_addr(BW_HOOK_XDP); }
static void tc_addr(void **s) { t_addr(BW_HOOK_TC); }
static void xdp_ports(void **s) { t_ports(BW_HOOK_XDP); }
static void tc_ports(void **s) { t_ports(BW_HOOK_TC); }
static void xdp_fields(void **s) { t_fields(BW_HOOK_XDP); }
static void tc_fields(void **s) { t_fields(BW_HOOK_TC); }
static void xdp_chains(void **s) { t_chains(BW_HOOK_XDP); }
static void tc_chains(void **s) { t_chains(BW_HOOK_TC); }
static void xdp_malformed(void **s) { t_malformed(BW_HOOK_XDP); }
static void tc_malformed(void **s) { t_malformed(BW_HOOK_TC); }

/* No chains at all: parse, drop the malformed, accept the rest. */
static void xdp_empty(void **s)
{
	struct bw_ir *ir = cg_ir_new();
	struct lp l;
	struct fr f;

	load_ok(&l, ir, BW_HOOK_XDP);
	cg_tcp4(&f, "192.0.2.1", "192.0.2.2", 1, 22, 2);
	ACCEPT(&l, &f, 0);
	{
		/* the same frame through `return XDP_PASS`, for scale */
		struct bpf_insn pass[] = { bw_mov64_imm(BW_R0, XDP_PASS), bw_exit() };
		struct lp empty = { .fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "bw_empty",
							"GPL", pass, 2, NULL) };

		assert_true(empty.fd >= 0);
		fprintf(stderr, "xdp prologue only (IPv4/TCP): %u ns per packet, "
			"empty program %u ns\n", lp_ns(&l, &f), lp_ns(&empty, &f));
		close(empty.fd);
	}
	f.b[14] = 0x45 - 1;
	MALFORMED(&l, &f, BW_REASON_IP4_BAD);
	lp_free(&l);
	bw_ir_free(&ir);
}

/* ------------------------------------------------- random differential */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (uint32_t)(rng % n) : 0;
}

static double now(void);

/* A plausible frame: VLAN tags, IPv4 (options, fragments) or IPv6 (extension
 * headers), TCP/UDP/ICMP or other; then maybe damaged. */
static void random_frame(struct fr *f)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
					  IPPROTO_ICMPV6, 253 };
	static const uint8_t exts[] = { 0, 43, 44, 60, 51 };
	uint8_t proto = protos[rnd(5)];
	int ntag = rnd(8) == 0 ? (int)rnd(6) : 0;
	bool v6 = rnd(2);
	size_t at;

	cg_eth(f, ntag ? (rnd(2) ? 0x8100 : 0x88a8) : v6 ? 0x86dd : 0x0800);
	if (rnd(20) == 0)
		f->b[13] = 0x06;	/* ARP-ish */
	for (int i = 0; i < ntag; i++)
		cg_vlan(f, (uint16_t)rnd(4096), i < ntag - 1 ? 0x8100 :
		     v6 ? 0x86dd : 0x0800);
	if (!v6) {
		uint16_t frag = rnd(4) ? 0 : (uint16_t)(rnd(2) << 13 | rnd(3));

		at = cg_iph(f, proto, rnd(2) ? cg_ip4("192.0.2.1") : 0xc0000200 | rnd(256),
			 cg_ip4("198.51.100.1"), frag, rnd(6) ? 5 : 5 + (int)rnd(11));
		f->b[at + 1] = (uint8_t)(rnd(64) << 2);
	} else {
		int next = rnd(3) ? 0 : (int)rnd(10);
		uint8_t first = next ? exts[rnd(5)] : proto;

		at = cg_ip6h(f, first, "2001:db8::1", rnd(2) ? "2001:db8::2" :
			  "2001:db8::3");
		for (int i = 0; i < next; i++) {
			uint8_t nx = i == next - 1 ? proto : exts[rnd(5)];

			cg_put8(f, nx);
			cg_put8(f, 0);	/* 8 bytes (AH: (0 + 2) * 4 = 8 too;
					 * the walk stops there) */
			cg_put16(f, (uint16_t)(rnd(4) ? 0 : rnd(65536)));
			cg_put32(f, rnd(1000));
		}
	}
	switch (proto) {
	case IPPROTO_TCP:
		cg_tcph(f, (uint16_t)rnd(2048), rnd(2) ? 22 : (uint16_t)rnd(65536),
		     (uint8_t)rnd(256), rnd(10) ? 5 : (int)rnd(16));
		break;
	case IPPROTO_UDP:
		cg_udph(f, (uint16_t)rnd(2048), (uint16_t)rnd(65536));
		break;
	default:
		cg_put8(f, rnd(2) ? 8 : 128);
		cg_put8(f, 0);
		cg_put16(f, 0);
		cg_put32(f, 0);
	}
	if (rnd(3))
		cg_put(f, "payload-payload-", rnd(17));
	if (!v6)
		cg_fix4(f, at);
	else
		cg_fix6(f, at);
	/* damage */
	if (rnd(4) == 0)
		f->n = 14 + rnd((uint32_t)(f->n - 13));
	for (int i = rnd(3) ? 0 : (int)rnd(4); i > 0 && f->n > 14; i--)
		f->b[14 + rnd((uint32_t)(f->n - 14))] ^= (uint8_t)(1 << rnd(8));
	if (rnd(16) == 0)
		f->n += rnd(40);	/* trailing bytes */
}

static int moved_reason(struct lp *l, const uint64_t *before)
{
	for (int r = 0; r < BW_REASON__MAX; r++)
		if (reason_count(l, r) != before[r])
			return r;
	return -1;
}

/*
 * Frames from random_frame() through the kernel and the interpreter: same
 * verdict, same deciding rule, same drop reason.  Fixed seed, bounded in
 * count and time.
 */
static void t_random(enum bw_hook hook)
{
	struct bw_ir *ir = cg_ir_new();
	uint32_t c = cg_chain_add(ir, BW_FAMILY_NETDEV, base_hook(hook), 0,
			       BW_VERDICT_ACCEPT);
	const struct bw_hook_info *info = bw_hook_info(hook);
	struct bw_ir_match *m;
	uint8_t lo[16];
	unsigned runs = 0, seen[16 + BW_REASON__MAX] = { 0 };
	double t0 = now();
	struct lp l;

	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_eq(cg_match_add(ir, c, BW_F_ICMP6_TYPE, false), 128);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_eq(cg_match_add(ir, c, BW_F_META_L4PROTO, false), 253);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_elem(cg_match_add(ir, c, BW_F_IP_DSCP, false), 10, 20, 0x3f);
	cg_rule_add(ir, c, BW_VERDICT_DROP, true);
	m = cg_match_add(ir, c, BW_F_IP6_DADDR, false);
	cg_ip6("2001:db8::3", lo);
	cg_elem_bytes(m, lo, lo, NULL);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_elem(cg_match_add(ir, c, BW_F_TCP_FLAGS, false), 0x02, 0x02, 0x12);
	cg_eq(cg_match_add(ir, c, BW_F_TCP_DPORT, false), 22);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_eq(cg_match_add(ir, c, BW_F_ICMP_TYPE, false), 8);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	m = cg_match_add(ir, c, BW_F_UDP_SPORT, false);
	cg_elem(m, 1, 1023, 0xffff);
	cg_eq(m, 1500);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_prefix4(cg_match_add(ir, c, BW_F_IP_SADDR, true), "192.0.2.0", 26);
	cg_match_add(ir, c, BW_F_META_NFPROTO, false);
	cg_eq(&cg_last_rule(ir, c)->match[1], 2);
	cg_rule_add(ir, c, BW_VERDICT_CONTINUE, true);	/* counter */
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_elem(cg_match_add(ir, c, BW_F_META_PKTLEN, false), 100, 120, 0xffffffff);
	cg_rule_add(ir, c, BW_VERDICT_DROP, false);
	cg_eq(cg_match_add(ir, c, BW_F_ETHER_TYPE, false), 0x0806);
	load_ok(&l, ir, hook);

	for (unsigned i = 0; i < 4000 && now() - t0 < 30; i++) {
		struct bw_interp_result want;
		uint64_t before[BW_REASON__MAX];
		uint8_t out[1024];
		struct fr f;
		int err, moved;
		uint32_t retval;

		random_frame(&f);
		for (int r = 0; r < BW_REASON__MAX; r++)
			before[r] = reason_count(&l, r);
		LIBBPF_OPTS(bpf_test_run_opts, t, .data_in = f.b,
			    .data_size_in = (uint32_t)f.n, .data_out = out,
			    .data_size_out = sizeof(out), .repeat = 1);
		err = bpf_prog_test_run_opts(l.fd, &t);
		if (err && hook == BW_HOOK_TC)
			continue;	/* the skb test run refuses some frames */
		assert_int_equal(err, 0);
		retval = t.retval;
		runs++;
		moved = moved_reason(&l, before);
		seen[moved >= 0 ? 16 + (unsigned)moved : trace_handle(&l) & 15]++;
		assert_int_equal(bw_interp_run(ir, info->egress, DEV, f.b, f.n, &want), 0);
		if ((int)retval != (want.verdict == BW_VERDICT_DROP ?
				    info->verdict_drop : info->verdict_accept) ||
		    trace_handle(&l) != want.handle ||
		    moved != (want.malformed ? (int)want.reason : -1)) {
			fprintf(stderr, "frame %u (%zu bytes):", i, f.n);
			for (size_t k = 0; k < f.n; k++)
				fprintf(stderr, "%s%02x", k % 16 ? " " : "\n  ", f.b[k]);
			fail_msg("\nkernel retval %u handle %u reason %d; interpreter "
				 "%s handle %u reason %d", retval, trace_handle(&l),
				 moved, want.verdict == BW_VERDICT_DROP ? "drop" :
				 "accept", want.handle,
				 want.malformed ? (int)want.reason : -1);
		}
	}
	fprintf(stderr, "%s: %u random frames agree with the interpreter;"
		" by rule 0..11:", info->name, runs);
	for (int i = 0; i < 12; i++)
		fprintf(stderr, " %u", seen[i]);
	for (int r = 0; r < BW_REASON__MAX; r++)
		fprintf(stderr, ", %s %u", bw_reason_name(r), seen[16 + r]);
	fprintf(stderr, "\n");
	assert_true(runs > 1000);
	lp_free(&l);
	bw_ir_free(&ir);
}

/*
 * Lookup groups (optimize.h): runs of same-shape rules as one hash or LPM
 * lookup.  The interpreter runs the IR as written, so every frame checks
 * the group code against the rules' meaning.
 */
static void t_plan(enum bw_hook hook)
{
	struct bw_ir *ir = cg_ir_new();
	uint32_t c = cg_chain_add(ir, BW_FAMILY_NETDEV, base_hook(hook), 0,
			       BW_VERDICT_ACCEPT);
	uint32_t c2 = cg_chain_add(ir, BW_FAMILY_INET, hook == BW_HOOK_XDP ?
				BW_CHAIN_INPUT : BW_CHAIN_OUTPUT, 0, BW_VERDICT_ACCEPT);
	const struct bw_hook_info *info = bw_hook_info(hook);
	struct bw_opt_plan *plan = NULL;
	uint32_t hx[40], hp[20], hc[20], hl[20], hguard;
	struct lp l;
	struct fr f;
	char a[64];

	/* 40 x `ip saddr 198.51.100.N [counter] drop|accept|counter` */
	for (uint32_t i = 0; i < 40; i++) {
		enum bw_verdict v = i % 3 == 0 ? BW_VERDICT_ACCEPT :
				    i % 3 == 1 ? BW_VERDICT_DROP : BW_VERDICT_CONTINUE;

		hx[i] = cg_rule_add(ir, c, v, i % 2 || v == BW_VERDICT_CONTINUE);
		snprintf(a, sizeof(a), "198.51.100.%u", i + 1);
		cg_eq(cg_match_add(ir, c, BW_F_IP_SADDR, false), cg_ip4(a));
	}
	hguard = cg_rule_add(ir, c, BW_VERDICT_DROP, false);	/* breaks the run */
	cg_eq(cg_match_add(ir, c, BW_F_UDP_DPORT, false), 9);
	/* 20 x `ip daddr 203.0.113.(8N)/29 drop` (LPM) */
	for (uint32_t i = 0; i < 20; i++) {
		hp[i] = cg_rule_add(ir, c, BW_VERDICT_DROP, i == 3);
		snprintf(a, sizeof(a), "203.0.%u.%u", 113 + i / 32, (i % 32) * 8);
		cg_prefix4(cg_match_add(ir, c, BW_F_IP_DADDR, false), a, 29);
	}
	/* 20 x `ip6 saddr 2001:db8::N tcp dport 1000+N accept` (two fields) in
	 * an inet chain, after 20 x `meta l4proto N drop` (host-order field) */
	for (uint32_t i = 0; i < 20; i++) {
		hl[i] = cg_rule_add(ir, c2, BW_VERDICT_DROP, false);
		cg_eq(cg_match_add(ir, c2, BW_F_META_L4PROTO, false), 200 + i);
	}
	for (uint32_t i = 0; i < 20; i++) {
		uint8_t lo[16];

		hc[i] = cg_rule_add(ir, c2, BW_VERDICT_DROP, true);
		snprintf(a, sizeof(a), "2001:db8::%u", i + 1);
		cg_ip6(a, lo);
		cg_elem_bytes(cg_match_add(ir, c2, BW_F_IP6_SADDR, false), lo, lo, NULL);
		cg_eq(cg_match_add(ir, c2, BW_F_TCP_DPORT, false), 1000 + i);
	}
	assert_int_equal(bw_optimize(ir, NULL, &plan), 0);
	assert_int_equal(plan->ngroup, 4);
	assert_int_equal(lp_load_plan(&l, ir, hook, true, plan), 0);

	for (uint32_t i = 0; i < 40; i++) {
		snprintf(a, sizeof(a), "198.51.100.%u", i + 1);
		cg_tcp4(&f, a, "192.0.2.2", 1, 9, 2);
		/* accept: the inet chain's policy decides after it at ingress;
		 * at egress the netdev chain runs last */
		expect(&l, &f, i % 3 == 1 ? BW_VERDICT_DROP : BW_VERDICT_ACCEPT,
		       i % 3 == 1 || (i % 3 == 0 && hook == BW_HOOK_TC) ? hx[i] : 0,
		       -1, __LINE__);
	}
	cg_udp4(&f, "198.51.100.3", "192.0.2.2", 1, 9);	/* counts, then hguard */
	DROP(&l, &f, hguard);
	cg_udp4(&f, "198.51.100.41", "203.0.113.7", 1, 10);
	DROP(&l, &f, hp[0]);
	cg_udp4(&f, "198.51.100.41", "203.0.113.25", 1, 10);
	DROP(&l, &f, hp[3]);
	cg_udp4(&f, "198.51.100.41", "203.0.114.0", 1, 10);
	ACCEPT(&l, &f, 0);
	cg_tcp6(&f, "2001:db8::5", "2001:db8::2", 1004);
	DROP(&l, &f, hc[4]);
	cg_tcp6(&f, "2001:db8::5", "2001:db8::2", 1005);
	ACCEPT(&l, &f, 0);
	cg_eth(&f, 0x0800);
	size_t at = cg_iph(&f, 207, cg_ip4("192.0.2.1"), cg_ip4("192.0.2.2"), 0, 5);
	cg_fix4(&f, at);
	DROP(&l, &f, hl[7]);
	/* counters of grouped rules */
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hx[1], 2, 0), 1);
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hx[2], 2, 0), 2);
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hx[2], 2, 1), 54 + 42);
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hx[0], 2, 0), 0);
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hp[3], 2, 0), 1);
	assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hc[4], 2, 0), 1);
	/* and random frames agree too */
	for (unsigned i = 0; i < 500; i++) {
		struct bw_interp_result want;
		LIBBPF_OPTS(bpf_test_run_opts, t, .repeat = 1);

		random_frame(&f);
		t.data_in = f.b;
		t.data_size_in = (uint32_t)f.n;
		if (bpf_prog_test_run_opts(l.fd, &t))
			continue;
		assert_int_equal(bw_interp_run(ir, info->egress, DEV, f.b, f.n, &want), 0);
		assert_int_equal(t.retval, want.verdict == BW_VERDICT_DROP ?
				 info->verdict_drop : info->verdict_accept);
		assert_int_equal(trace_handle(&l), want.handle);
	}
	lp_free(&l);
	bw_opt_plan_free(&plan);
	bw_ir_free(&ir);
}

static void xdp_plan(void **s) { t_plan(BW_HOOK_XDP); }
static void tc_plan(void **s) { t_plan(BW_HOOK_TC); }

static void xdp_random(void **s) { t_random(BW_HOOK_XDP); }
static void tc_random(void **s) { t_random(BW_HOOK_TC); }

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Rule i's address: 198.51.0.1, ... 250 per /24 (only ever test data). */
static uint32_t big_addr(uint32_t i)
{
	return 0xc6330000u + i / 250 * 256 + i % 250 + 1;
}

/*
 * 10,000 distinct `ip saddr 198.51.x.y VERDICT` rules in the first chain at
 * the hook, after an accept that must jump over all of them (a gotol) into
 * a second chain that drops 203.0.113.9.  kind: the rules' verdict (drop,
 * accept: each a long jump to the next chain, continue: counter only).
 */
static void big(enum bw_hook hook, enum bw_verdict kind, bool counter,
		uint32_t nrule, bool optimize)
{
	struct bw_opt_plan *plan = NULL;
	struct bw_ir *ir = cg_ir_new();
	bool eg = hook == BW_HOOK_TC;
	uint32_t cn = cg_chain_add(ir, BW_FAMILY_NETDEV, base_hook(hook), 0,
				BW_VERDICT_ACCEPT);
	uint32_t ci = cg_chain_add(ir, BW_FAMILY_IP, eg ? BW_CHAIN_OUTPUT :
				BW_CHAIN_INPUT, 0, BW_VERDICT_ACCEPT);
	/* the first chain at this hook gets the 10k rules */
	uint32_t c = eg ? ci : cn, c2 = eg ? cn : ci;
	uint32_t hfirst = 0, hlast = 0, hsecond;
	bool gotol = false;
	double t0, t1, t2;
	char last[32];
	struct lp l;
	struct fr f;

	cg_rule_add(ir, c, BW_VERDICT_ACCEPT, false);
	cg_eq(cg_match_add(ir, c, BW_F_IP_SADDR, false), cg_ip4("203.0.113.9"));
	for (uint32_t i = 0; i < nrule; i++) {
		uint32_t h = cg_rule_add(ir, c, kind, counter);

		cg_eq(cg_match_add(ir, c, BW_F_IP_SADDR, false), big_addr(i));
		if (!hfirst)
			hfirst = h;
		hlast = h;
	}
	hsecond = cg_rule_add(ir, c2, BW_VERDICT_DROP, false);
	cg_eq(cg_match_add(ir, c2, BW_F_IP_SADDR, false), cg_ip4("203.0.113.9"));

	t0 = now();
	if (optimize)
		assert_int_equal(bw_optimize(ir, NULL, &plan), 0);
	assert_int_equal(lp_load_plan(&l, ir, hook, false, plan), 0);
	t1 = now();
	lp_free(&l);
	assert_int_equal(lp_load_plan(&l, ir, hook, true, plan), 0);
	t2 = now();
	for (uint32_t i = 0; i < l.prog->ninsn; i++)
		gotol |= l.prog->insn[i].code == (BPF_JMP32 | BPF_JA);
	assert_true(gotol == !optimize);
	fprintf(stderr, "%s%s %u `ip saddr X %s%s` rules: %u insns, verifier "
		"processed %u insns (trace build), load %.1f ms (production) "
		"%.1f ms (trace)\n", bw_hook_info(hook)->name,
		optimize ? " (optimized)" : "", nrule,
		counter && kind != BW_VERDICT_CONTINUE ? "counter " : "", kind == BW_VERDICT_DROP ? "drop" : kind == BW_VERDICT_ACCEPT ?
		"accept" : "counter", l.prog->ninsn, l.processed,
		(t1 - t0) * 1e3, (t2 - t1) * 1e3);
	cg_tcp4(&f, "198.51.0.1", "192.0.2.2", 1, 22, 2);
	/* accepted: the second chain's policy decides */
	expect(&l, &f, kind == BW_VERDICT_DROP ? BW_VERDICT_DROP :
	       BW_VERDICT_ACCEPT, kind == BW_VERDICT_DROP ? hfirst : 0, -1,
	       __LINE__);
	snprintf(last, sizeof(last), "%u.%u.%u.%u", big_addr(nrule - 1) >> 24,
		 big_addr(nrule - 1) >> 16 & 255, big_addr(nrule - 1) >> 8 & 255,
		 big_addr(nrule - 1) & 255);
	cg_tcp4(&f, last, "192.0.2.2", 1, 22, 2);
	expect(&l, &f, kind == BW_VERDICT_DROP ? BW_VERDICT_DROP :
	       BW_VERDICT_ACCEPT, kind == BW_VERDICT_DROP ? hlast : 0, -1,
	       __LINE__);
	cg_tcp4(&f, "203.0.113.77", "192.0.2.2", 1, 22, 2);
	ACCEPT(&l, &f, 0);
	if (!counter || optimize) {
		struct bpf_prog_info pi = { 0 };
		uint32_t pl = sizeof(pi);

		assert_int_equal(bpf_obj_get_info_by_fd(l.fd, &pi, &pl), 0);
		fprintf(stderr, "  a packet through all %u rules: %u ns (trace "
			"build, %s)\n", nrule, lp_ns(&l, &f),
			pi.jited_prog_len ? "JIT" : "interpreter");
	}
	cg_tcp4(&f, "203.0.113.9", "192.0.2.2", 1, 22, 2);
	DROP(&l, &f, hsecond);
	if (counter && kind != BW_VERDICT_DROP) {
		assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hfirst, 2, 0), 1);
		assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hlast, 2, 1), 54);
		assert_int_equal(percpu_sum(l.map[BW_MAP_COUNTERS], hlast - 1, 2, 0), 0);
	}
	lp_free(&l);
	bw_opt_plan_free(&plan);
	bw_ir_free(&ir);
}

static void xdp_big(void **s) { big(BW_HOOK_XDP, BW_VERDICT_DROP, false, 10000, false); }
static void tc_big(void **s) { big(BW_HOOK_TC, BW_VERDICT_DROP, false, 10000, false); }
static void xdp_big_accept(void **s) { big(BW_HOOK_XDP, BW_VERDICT_ACCEPT, false, 10000, false); }
static void xdp_big_counter_drop(void **s) { big(BW_HOOK_XDP, BW_VERDICT_DROP, true, 10000, false); }
static void xdp_big_plan(void **s) { big(BW_HOOK_XDP, BW_VERDICT_DROP, true, 100000, true); }
static void tc_big_plan(void **s) { big(BW_HOOK_TC, BW_VERDICT_DROP, false, 10000, true); }
/* Counter-only rules each write their key to the stack, and 6.18's stack
 * liveness pass costs O(program) per such rule: kept smaller here. */
static void xdp_big_counter(void **s) { big(BW_HOOK_XDP, BW_VERDICT_CONTINUE, true, 3000, false); }

/* More maps than the kernel takes in one program: an error at the rule
 * that needs the one too many, not the verifier's at instruction 0. */
static void too_many_maps(void **s)
{
	char *text = malloc(70 * 160 + 256);
	struct bw_prog *p = NULL;
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	size_t n = 0;

	(void)s;
	assert_non_null(text);
	n += (size_t)sprintf(text + n, "table inet t {\n");
	for (int i = 0; i < 70; i++)
		n += (size_t)sprintf(text + n, " set s%d { type ipv4_addr; elements = { 198.51.100.%d }; }\n",
				     i, i + 1);
	n += (size_t)sprintf(text + n, " chain input {\n  type filter hook input priority 0; policy accept;\n");
	for (int i = 0; i < 70; i++)
		n += (size_t)sprintf(text + n, "  ip saddr @s%d tcp dport %d drop\n", i, 1000 + i);
	sprintf(text + n, " }\n}\n");
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("maps.conf", text, &d, &ir), 0);
	assert_int_equal(bw_codegen(ir, BW_HOOK_XDP, NULL, NULL, &d, &p), -E2BIG);
	assert_null(p);
	assert_int_equal(d.nerrors, 1);
	assert_non_null(d.head->loc.src);
	assert_true(d.head->loc.line > 70);	/* a rule, not a set */
	assert_non_null(strstr(d.head->msg, "more than 64 maps"));
	bw_diags_fini(&d);
	bw_ir_free(&ir);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(too_many_maps),
		cmocka_unit_test(xdp_empty),
		cmocka_unit_test(xdp_addr),
		cmocka_unit_test(tc_addr),
		cmocka_unit_test(xdp_ports),
		cmocka_unit_test(tc_ports),
		cmocka_unit_test(xdp_fields),
		cmocka_unit_test(tc_fields),
		cmocka_unit_test(xdp_chains),
		cmocka_unit_test(tc_chains),
		cmocka_unit_test(xdp_malformed),
		cmocka_unit_test(tc_malformed),
		cmocka_unit_test(xdp_plan),
		cmocka_unit_test(tc_plan),
		cmocka_unit_test(xdp_random),
		cmocka_unit_test(tc_random),
		cmocka_unit_test(xdp_big),
		cmocka_unit_test(tc_big),
		cmocka_unit_test(xdp_big_accept),
		cmocka_unit_test(xdp_big_counter),
		cmocka_unit_test(xdp_big_counter_drop),
		cmocka_unit_test(xdp_big_plan),
		cmocka_unit_test(tc_big_plan),
	};

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: test_codegen loads BPF programs and needs root\n");
		return 77;
	}
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0 || ncpu > 256) {
		fprintf(stderr, "SKIP: cannot count possible CPUs\n");
		return 77;
	}
	if (getenv("BW_TEST_FILTER"))	/* e.g. BW_TEST_FILTER='xdp_*' */
		cmocka_set_test_filter(getenv("BW_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
