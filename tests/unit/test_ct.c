// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection tracking: the reference tracker's timeouts on a virtual
 * clock, and the kernel tracker's on a real one, by reading and writing
 * its map (an entry set to expire in the past is gone; an entry a packet
 * refreshes lives the timeout of its state).  The verdict tests (ct.t)
 * and the differential fuzz hold the two trackers to the same states; this
 * holds both to the timeouts of compiler/interp/ct.h.
 *
 * Every packet of the ruleset below is accepted, by the rule of the state
 * it met: the trace build's deciding handle says which.
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
#include <cmocka.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>

#include "compiler/front/compile.h"
#include "compiler/bpf/codegen.h"
#include "compiler/interp/ct.h"
#include "compiler/interp/interp.h"
#include "compiler/interp/pktbuild.h"
#include "runtime/rt.h"
#include "tests/lib/maps.h"

#define NS	1000000000ull

static const char rules[] =
	"table inet t {\n"
	" chain in {\n"
	"  type filter hook input priority 0; policy drop;\n"
	"  ct state new accept\n"			/* handle 1 */
	"  ct state established accept\n"		/* 2 */
	"  ct state related accept\n"			/* 3 */
	"  ct state invalid accept\n"			/* 4 */
	"  ct state untracked accept\n"			/* 5 */
	" }\n"
	" chain out {\n"
	"  type filter hook output priority 0; policy drop;\n"
	"  ct state new accept\n"			/* 6 */
	"  ct state established accept\n"		/* 7 */
	"  ct state related accept\n"			/* 8 */
	"  ct state invalid accept\n"			/* 9 */
	" }\n"
	"}\n";

enum { NEW = 1, EST, REL, INV, UNTR };	/* handles of the input chain */
#define WHOLE	0	/* a later fragment: accepted with its first, no rule */

/* Packets: a is 192.0.2.1 (this host), b 198.51.100.7. */
#define OUT_SYN    "egress ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 1000 tcp dport 80 tcp flags syn"
#define IN_SYNACK  "ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 1000 tcp flags syn,ack"
#define OUT_ACK    "egress ip saddr 192.0.2.1 ip daddr 198.51.100.7 tcp sport 1000 tcp dport 80 tcp flags ack"
#define IN_ACK     "ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 tcp sport 80 tcp dport 1000 tcp flags ack"
#define OUT_UDP    "egress ip saddr 192.0.2.1 ip daddr 198.51.100.7 udp sport 1000 udp dport 53"
#define IN_UDP     "ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 udp sport 53 udp dport 1000"
#define IN_ERROR   "ingress ip saddr 203.0.113.1 ip daddr 192.0.2.1 icmp type destination-unreachable quote ip saddr 192.0.2.1 ip daddr 198.51.100.7 udp sport 1000 udp dport 53"
#define IN_FRAG1   "ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 ip id 77 ip frag-off 0x2000 udp sport 5 udp dport 6"
#define IN_FRAG2   "ingress ip saddr 198.51.100.7 ip daddr 192.0.2.1 ip id 77 ip frag-off 0x0003 udp sport 5 udp dport 6"

struct pkt {
	bool egress;
	uint8_t b[BW_PKT_MAX];
	int len;
};

static struct pkt build(const char *spec)
{
	struct bw_pkt_spec *s = NULL;
	struct bw_diags d;
	struct pkt p = { 0 };

	bw_diags_init(&d);
	if (bw_pkt_spec_parse("spec", spec, &d, &s))
		bw_diags_print(&d, stderr);
	assert_non_null(s);
	p.egress = s->egress;
	p.len = bw_pkt_build(s, p.b, sizeof(p.b), &d);
	bw_diags_print(&d, stderr);
	assert_true(p.len > 0);
	bw_pkt_spec_free(&s);
	bw_diags_fini(&d);
	return p;
}

static struct bw_ir *compile(void)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;

	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("ct.conf", rules, &d, &ir), 0);
	bw_diags_fini(&d);
	return ir;
}

/* ------------------------------------------------- reference tracker */

struct ref {
	struct bw_ir *ir;
	struct bw_interp_state st;
};

/* The handle that accepted spec at time t (seconds). */
static uint32_t ref_run(struct ref *r, const char *spec, uint64_t t)
{
	struct pkt p = build(spec);
	struct bw_interp_ctx c = { .egress = p.egress, .now_ns = t * NS,
				   .state = &r->st };
	struct bw_interp_result res;

	assert_int_equal(bw_interp_run_ctx(r->ir, &c, p.b, (size_t)p.len, &res), 0);
	assert_int_equal(res.verdict, BW_VERDICT_ACCEPT);
	return p.egress ? res.handle - 5 : res.handle;
}

static void ref_tcp_timeouts(void **state)
{
	struct ref r = { .ir = compile() };

	(void)state;
	assert_int_equal(ref_run(&r, OUT_SYN, 0), NEW);
	/* SYN_SENT lives 120 s, SYN_RECV 60, ESTABLISHED 5 days */
	assert_int_equal(ref_run(&r, IN_SYNACK, 119), EST);
	assert_int_equal(ref_run(&r, OUT_ACK, 178), EST);
	assert_int_equal(ref_run(&r, IN_ACK, 178 + 432000 - 1), EST);
	/* gone: the ACK picks a new flow up */
	assert_int_equal(ref_run(&r, IN_ACK, 178 + 2 * 432000), NEW);
	bw_interp_state_fini(&r.st);
	bw_ir_free(&r.ir);

	r = (struct ref){ .ir = compile() };
	assert_int_equal(ref_run(&r, OUT_SYN, 0), NEW);
	assert_int_equal(ref_run(&r, IN_SYNACK, 121), INV);	/* expired */
	bw_interp_state_fini(&r.st);
	bw_ir_free(&r.ir);

	r = (struct ref){ .ir = compile() };
	assert_int_equal(ref_run(&r, OUT_SYN, 0), NEW);
	assert_int_equal(ref_run(&r, IN_SYNACK, 1), EST);
	assert_int_equal(ref_run(&r, IN_ACK, 62), NEW);		/* 60 s gone */
	bw_interp_state_fini(&r.st);
	bw_ir_free(&r.ir);
}

static void ref_udp_icmp_frag_timeouts(void **state)
{
	struct ref r = { .ir = compile() };

	(void)state;
	assert_int_equal(ref_run(&r, OUT_UDP, 0), NEW);
	assert_int_equal(ref_run(&r, IN_UDP, 29), EST);	/* 30 s unanswered */
	assert_int_equal(ref_run(&r, IN_UDP, 29 + 119), EST);	/* 120 s answered */
	assert_int_equal(ref_run(&r, IN_ERROR, 29 + 119 + 119), REL);
	assert_int_equal(ref_run(&r, IN_ERROR, 29 + 119 + 121), INV);
	assert_int_equal(ref_run(&r, IN_UDP, 29 + 119 + 121), NEW);
	bw_interp_state_fini(&r.st);

	r.st = (struct bw_interp_state){ 0 };
	assert_int_equal(ref_run(&r, OUT_UDP, 0), NEW);
	assert_int_equal(ref_run(&r, IN_UDP, 31), NEW);	/* unanswered: gone */
	bw_interp_state_fini(&r.st);

	/* later fragments follow the first, for 30 s */
	r.st = (struct bw_interp_state){ 0 };
	assert_int_equal(ref_run(&r, IN_FRAG2, 0), INV);
	assert_int_equal(ref_run(&r, IN_FRAG1, 0), NEW);
	assert_int_equal(ref_run(&r, IN_FRAG2, 29), WHOLE);
	assert_int_equal(ref_run(&r, IN_FRAG2, 31), INV);
	bw_interp_state_fini(&r.st);
	bw_ir_free(&r.ir);
}

/* The table's shape: no entry is NONE from the opening side only; every
 * state a transition names has a timeout. */
static void table_shape(void **state)
{
	(void)state;
	for (int c = 0; c < BW_CT_SEG__MAX; c++)
		assert_int_equal(bw_ct_tcp_next[1][c][BW_CT_TCP_NONE],
				 BW_CT_TCP_INVALID);
	for (int d = 0; d < 2; d++)
		for (int c = 0; c < BW_CT_SEG__MAX; c++)
			for (int s = 0; s < BW_CT_TCP__MAX; s++) {
				uint8_t n = bw_ct_tcp_next[d][c][s];

				assert_true(n == BW_CT_TCP_INVALID ||
					    n == BW_CT_TCP_IGNORE ||
					    (n > BW_CT_TCP_NONE && n < BW_CT_TCP__MAX &&
					     bw_ct_tcp_timeout(n) > 0));
			}
	assert_int_equal(bw_ct_tcp_class(0x12), BW_CT_SEG_SYNACK);
	assert_int_equal(bw_ct_tcp_class(0x14), BW_CT_SEG_RST);
	assert_int_equal(bw_ct_tcp_class(0x11), BW_CT_SEG_FIN);
	assert_int_equal(bw_ct_tcp_class(0x18), BW_CT_SEG_ACK);
	assert_int_equal(bw_ct_tcp_class(0x08), BW_CT_SEG_NONE);
}

/* ---------------------------------------------------- kernel tracker */

struct kern {
	struct bw_ir *ir;
	struct bw_rt_maps maps;
	int fd[2];			/* XDP, TC: trace builds */
};

static int kern_setup(void **state)
{
	static struct kern k;
	struct bw_diags d;

	if (geteuid()) {
		fprintf(stderr, "SKIP: the kernel half needs root\n");
		return -1;
	}
	k.ir = compile();
	bw_diags_init(&d);
	bw_rt_maps_init(&k.maps);
	assert_int_equal(bwt_maps_create(&k.maps, k.ir, NULL, true), 0);
	assert_true(k.maps.fd[BW_MAP_CT] >= 0);
	for (int h = 0; h < 2; h++) {
		struct bw_codegen_opts co = { .trace = true };
		struct bw_prog *p = NULL;

		assert_int_equal(bw_codegen(k.ir, h ? BW_HOOK_TC : BW_HOOK_XDP,
					    NULL, &co, &d, &p), 0);
		k.fd[h] = bw_rt_prog_load(p, &k.maps, "ct", &d);
		bw_diags_print(&d, stderr);
		assert_true(k.fd[h] >= 0);
		bw_prog_free(&p);
	}
	bw_diags_fini(&d);
	*state = &k;
	return 0;
}

static int kern_teardown(void **state)
{
	struct kern *k = *state;

	for (int h = 0; h < 2; h++)
		close(k->fd[h]);
	bw_rt_maps_close(&k->maps);
	bw_ir_free(&k->ir);
	return 0;
}

static uint64_t mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static uint32_t kern_run(struct kern *k, const char *spec)
{
	struct pkt p = build(spec);
	uint32_t zero = 0, h = 0;
	struct __sk_buff skb = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = p.b,
		    .data_size_in = (uint32_t)p.len, .repeat = 1);

	if (p.egress) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	assert_int_equal(bpf_map_update_elem(k->maps.fd[BW_MAP_TRACE], &zero,
					     &h, BPF_ANY), 0);
	assert_int_equal(bpf_prog_test_run_opts(k->fd[p.egress], &o), 0);
	assert_int_equal(bpf_map_lookup_elem(k->maps.fd[BW_MAP_TRACE], &zero, &h), 0);
	return p.egress && h ? h - 5 : h;
}

/* The one entry of kind in the map (asserts there is exactly one). */
static void kern_entry(struct kern *k, uint8_t kind, struct bw_ct_key *key,
		       struct bw_ct_value *val)
{
	struct bw_ct_key cur, next;
	bool first = true;
	int n = 0;

	while (!bpf_map_get_next_key(k->maps.fd[BW_MAP_CT], first ? NULL : &cur,
				     &next)) {
		first = false;
		cur = next;
		if (next.kind != kind)
			continue;
		*key = next;
		n++;
	}
	assert_int_equal(n, 1);
	assert_int_equal(bpf_map_lookup_elem(k->maps.fd[BW_MAP_CT], key, val), 0);
}

static void kern_empty(struct kern *k)
{
	struct bw_ct_key next;

	while (!bpf_map_get_next_key(k->maps.fd[BW_MAP_CT], NULL, &next))
		assert_int_equal(bpf_map_delete_elem(k->maps.fd[BW_MAP_CT], &next), 0);
}

/* expires is about now + seconds */
static void expires_in(const struct bw_ct_value *v, uint64_t seconds)
{
	uint64_t t = mono();

	assert_true(v->expires > t + (seconds - 1) * NS);
	assert_true(v->expires <= t + seconds * NS);
}

static void kern_tcp(void **state)
{
	struct kern *k = *state;
	struct bw_ct_key key;
	struct bw_ct_value v;

	kern_empty(k);
	assert_int_equal(kern_run(k, OUT_SYN), NEW);
	kern_entry(k, BW_CT_KEY_FLOW, &key, &v);
	assert_int_equal(v.tcp, BW_CT_TCP_SYN_SENT);
	expires_in(&v, 120);
	assert_int_equal(kern_run(k, IN_SYNACK), EST);
	kern_entry(k, BW_CT_KEY_FLOW, &key, &v);
	assert_int_equal(v.tcp, BW_CT_TCP_SYN_RECV);
	assert_true(v.flags & BW_CTF_REPLIED);
	expires_in(&v, 60);
	/* the clock past the entry's time: it is gone; the ACK picks up a
	 * new flow, ESTABLISHED, opened by b */
	v.expires = mono() - NS;
	assert_int_equal(bpf_map_update_elem(k->maps.fd[BW_MAP_CT], &key, &v,
					     BPF_EXIST), 0);
	assert_int_equal(kern_run(k, IN_ACK), NEW);
	kern_entry(k, BW_CT_KEY_FLOW, &key, &v);
	assert_int_equal(v.tcp, BW_CT_TCP_ESTABLISHED);
	assert_false(v.flags & BW_CTF_REPLIED);
	expires_in(&v, 432000);
}

static void kern_udp_related_frag(void **state)
{
	struct kern *k = *state;
	struct bw_ct_key key;
	struct bw_ct_value v;

	kern_empty(k);
	assert_int_equal(kern_run(k, OUT_UDP), NEW);
	kern_entry(k, BW_CT_KEY_FLOW, &key, &v);
	expires_in(&v, 30);
	assert_int_equal(kern_run(k, IN_UDP), EST);
	kern_entry(k, BW_CT_KEY_FLOW, &key, &v);
	expires_in(&v, 120);
	assert_int_equal(kern_run(k, IN_ERROR), REL);
	v.expires = mono() - NS;
	assert_int_equal(bpf_map_update_elem(k->maps.fd[BW_MAP_CT], &key, &v,
					     BPF_EXIST), 0);
	assert_int_equal(kern_run(k, IN_ERROR), INV);

	kern_empty(k);
	assert_int_equal(kern_run(k, IN_FRAG2), INV);
	assert_int_equal(kern_run(k, IN_FRAG1), NEW);
	kern_entry(k, BW_CT_KEY_FRAG, &key, &v);
	assert_int_equal(v.state, BW_CT_NEW);
	expires_in(&v, 30);
	assert_int_equal(kern_run(k, IN_FRAG2), WHOLE);
	v.expires = mono() - NS;
	assert_int_equal(bpf_map_update_elem(k->maps.fd[BW_MAP_CT], &key, &v,
					     BPF_EXIST), 0);
	assert_int_equal(kern_run(k, IN_FRAG2), INV);
}

int main(void)
{
	const struct CMUnitTest ref[] = {
		cmocka_unit_test(table_shape),
		cmocka_unit_test(ref_tcp_timeouts),
		cmocka_unit_test(ref_udp_icmp_frag_timeouts),
	};
	const struct CMUnitTest kern[] = {
		cmocka_unit_test(kern_tcp),
		cmocka_unit_test(kern_udp_related_frag),
	};
	int rc = cmocka_run_group_tests_name("reference tracker", ref, NULL, NULL);

	if (geteuid())
		return rc ? rc : 77;
	return rc | cmocka_run_group_tests_name("kernel tracker", kern,
						kern_setup, kern_teardown);
}
