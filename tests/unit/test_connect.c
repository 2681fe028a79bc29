// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connect (audit) hooks: the programs codegen makes for connect4/connect6
 * load through the verifier, and, where the kernel runs cgroup sock_addr
 * programs with BPF_PROG_TEST_RUN, deny exactly the connects the egress
 * rules drop (fields a connect lacks never match), write one ringbuf event
 * per deny with the destination and the deciding handle, and return 0
 * only with enforce.  The kprobe and tracepoint programs load too.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compiler/bpf/audit.h"
#include "compiler/bpf/codegen.h"
#include "compiler/front/compile.h"
#include "compiler/bpf/log.h"

static const char rules[] =
	"table inet t {\n"
	"  chain out {\n"
	"    type filter hook output priority 0; policy accept;\n"
	"    tcp flags syn drop\n"			/* line 4: no flags at connect */
	"    ip saddr 192.0.2.1 drop\n"			/* line 5: no saddr */
	"    ip daddr 203.0.113.7 tcp dport 25 drop\n"	/* line 6 */
	"    ip6 daddr 2001:db8::7 udp dport 53 drop\n"	/* line 7 */
	"    tcp dport 22 accept\n"			/* line 8 */
	"    tcp dport 20-30 drop\n"			/* line 9 */
	"  }\n"
	"}\n";

struct ld {
	struct bw_ir *ir;
	int rb;
	int reasons;			/* BW_MAP_REASONS: the events lost */
	int fd;
	struct bw_audit_event ev[8];
	int nev, total;
};

static bool root(void)
{
	return geteuid() == 0;
}

static int load(struct ld *l, enum bw_hook hook, bool enforce)
{
	struct bw_codegen_opts o = { .enforce = enforce };
	const struct bw_hook_info *hi = bw_hook_info(hook);
	struct bw_prog *p = NULL;
	struct bw_diags d;
	static char log[1 << 20];
	int err;

	bw_diags_init(&d);
	err = bw_codegen(l->ir, hook, NULL, &o, &d, &p);
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	assert_int_equal(err, 0);
	assert_true(p->uses_map[BW_MAP_AUDIT]);
	assert_true(p->uses_map[BW_MAP_REASONS]);
	for (uint32_t i = 0; i < p->ninsn; i++) {
		if (p->insn[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (p->insn[i].src_reg != BPF_PSEUDO_MAP_FD) {
			i++;
			continue;
		}
		assert_true(p->insn[i].imm == BW_MAP_AUDIT ||
			    p->insn[i].imm == BW_MAP_REASONS);
		p->insn[i].imm = p->insn[i].imm == BW_MAP_AUDIT ? l->rb : l->reasons;
		i++;
	}
	LIBBPF_OPTS(bpf_prog_load_opts, po, .log_buf = log, .log_size = sizeof(log),
		    .expected_attach_type = hi->expected_attach_type);
	log[0] = 0;
	l->fd = bpf_prog_load(hi->prog_type, p->name, "GPL", p->insn, p->ninsn, &po);
	if (l->fd < 0)
		fprintf(stderr, "verifier: %s\n", log);
	bw_prog_free(&p);
	return l->fd < 0 ? -errno : 0;
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct ld *l = ctx;

	assert_int_equal(size, sizeof(struct bw_audit_event));
	if (l->nev < 8)
		memcpy(&l->ev[l->nev++], data, size);
	l->total++;
	return 0;
}

/* Run one connect; returns the program's return code, or -errno. */
static int run(struct ld *l, int family, const char *addr, uint16_t port,
	       int proto)
{
	struct bpf_sock_addr ctx = {
		.user_family = family, .family = family,
		.type = proto == IPPROTO_TCP ? SOCK_STREAM : SOCK_DGRAM,
		.protocol = proto, .user_port = htons(port),
	};
	LIBBPF_OPTS(bpf_test_run_opts, to, .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));

	if (family == AF_INET)
		assert_int_equal(inet_pton(AF_INET, addr, &ctx.user_ip4), 1);
	else
		assert_int_equal(inet_pton(AF_INET6, addr, ctx.user_ip6), 1);
	if (bpf_prog_test_run_opts(l->fd, &to))
		return -errno;
	return (int)to.retval;
}

static void setup_rb(struct ld *l, uint32_t rb_size)
{
	struct bw_diags d;

	memset(l, 0, sizeof(*l));
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("rules.conf", rules, &d, &l->ir), 0);
	bw_diags_fini(&d);
	l->rb = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bw_audit", 0, 0, rb_size,
			       NULL);
	assert_true(l->rb >= 0);
	l->reasons = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_reasons", 4, 8,
				    BW_REASONS_SLOTS, NULL);
	assert_true(l->reasons >= 0);
}

static void setup(struct ld *l)
{
	setup_rb(l, BW_AUDIT_RINGBUF_SIZE);
}

static void teardown(struct ld *l)
{
	close(l->rb);
	close(l->reasons);
	if (l->fd >= 0)
		close(l->fd);
	bw_ir_free(&l->ir);
}

/* Handle of the rule on a line of `rules`. */
static uint32_t handle_at(const struct bw_ir *ir, int line)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		for (uint32_t r = 0; r < ir->chain[c].nrule; r++)
			if (ir->chain[c].rule[r].loc.line == (uint32_t)line)
				return ir->chain[c].rule[r].handle;
	fail_msg("no rule on line %d", line);
	return 0;
}

static void t_hook(enum bw_hook hook, bool enforce)
{
	struct ring_buffer *rbuf;
	struct ld l;
	int rv;

	if (!root())
		skip();
	setup(&l);
	assert_int_equal(load(&l, hook, enforce), 0);
	if (hook == BW_HOOK_CONNECT4)
		rv = run(&l, AF_INET, "203.0.113.7", 25, IPPROTO_TCP);
	else
		rv = run(&l, AF_INET6, "2001:db8::7", 53, IPPROTO_UDP);
	if (rv == -524 /* ENOTSUPP */ || rv == -EOPNOTSUPP || rv == -EINVAL) {
		/* this kernel cannot test-run sock_addr programs: the load
		 * above is what can be checked here (e2e: tests/e2e/audit.sh) */
		fprintf(stderr, "test_run on %s: %s; loaded only\n",
			bw_hook_info(hook)->name, strerror(-rv));
		teardown(&l);
		return;
	}
	assert_int_equal(rv, enforce ? 0 : 1);
	rbuf = ring_buffer__new(l.rb, on_event, &l, NULL);
	assert_non_null(rbuf);
	assert_int_equal(ring_buffer__consume(rbuf), 1);
	assert_int_equal(l.nev, 1);
	assert_int_equal(l.ev[0].handle,
			 handle_at(l.ir, hook == BW_HOOK_CONNECT4 ? 6 : 7));
	if (hook == BW_HOOK_CONNECT4) {
		uint8_t a[4] = { 203, 0, 113, 7 };

		assert_int_equal(l.ev[0].l3, 4);
		assert_int_equal(l.ev[0].proto, IPPROTO_TCP);
		assert_int_equal(ntohs(l.ev[0].dport), 25);
		assert_memory_equal(l.ev[0].daddr, a, 4);
		/* allowed: other port, accept before the range, other addr */
		assert_int_equal(run(&l, AF_INET, "203.0.113.7", 26, IPPROTO_TCP), 1);
		assert_int_equal(run(&l, AF_INET, "203.0.113.7", 22, IPPROTO_TCP), 1);
		assert_int_equal(run(&l, AF_INET, "203.0.113.8", 25, IPPROTO_UDP), 1);
		assert_int_equal(ring_buffer__consume(rbuf), 0);
		/* the range rule, line 9 */
		assert_int_equal(run(&l, AF_INET, "198.51.100.1", 23, IPPROTO_TCP),
				 enforce ? 0 : 1);
		assert_int_equal(ring_buffer__consume(rbuf), 1);
		assert_int_equal(l.ev[1].handle, handle_at(l.ir, 9));
	} else {
		uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };

		assert_int_equal(l.ev[0].l3, 6);
		assert_int_equal(l.ev[0].proto, IPPROTO_UDP);
		assert_memory_equal(l.ev[0].daddr, a, 16);
		assert_int_equal(run(&l, AF_INET6, "2001:db8::8", 53, IPPROTO_UDP), 1);
		assert_int_equal(ring_buffer__consume(rbuf), 0);
	}
	assert_true(l.ev[0].pid_tgid != 0 || l.ev[0].time_ns != 0);
	ring_buffer__free(rbuf);
	teardown(&l);
}

/* A full ringbuf loses events, and counts each one it loses in the
 * reasons map's BW_LOST_AUDIT slot: events read + lost = denies. */
static void lost_counted(void **s)
{
	const int sent = 300;
	struct ring_buffer *rbuf;
	uint64_t lost = 0, *v;
	int ncpu = libbpf_num_possible_cpus(), rv;
	uint32_t key = BW_LOST_AUDIT;
	struct ld l;

	(void)s;
	if (!root())
		skip();
	setup_rb(&l, 4096);	/* room for a few dozen events */
	assert_int_equal(load(&l, BW_HOOK_CONNECT4, false), 0);
	for (int i = 0; i < sent; i++) {
		rv = run(&l, AF_INET, "203.0.113.7", 25, IPPROTO_TCP);
		if (rv == -524 || rv == -EOPNOTSUPP || rv == -EINVAL) {
			/* tests/e2e/log-lost.sh counts the log's, through
			 * XDP, where this kernel cannot run connect4 */
			fprintf(stderr, "test_run on connect4: %s: skipped\n",
				strerror(-rv));
			teardown(&l);
			skip();
		}
		assert_int_equal(rv, 1);
	}
	rbuf = ring_buffer__new(l.rb, on_event, &l, NULL);
	assert_non_null(rbuf);
	assert_true(ring_buffer__consume(rbuf) > 0);
	ring_buffer__free(rbuf);
	v = calloc((size_t)ncpu, sizeof(*v));
	assert_non_null(v);
	assert_int_equal(bpf_map_lookup_elem(l.reasons, &key, v), 0);
	for (int c = 0; c < ncpu; c++)
		lost += v[c];
	free(v);
	fprintf(stderr, "%d denies: %d events read, %llu lost\n", sent, l.total,
		(unsigned long long)lost);
	assert_true(lost > 0);
	assert_int_equal((uint64_t)l.total + lost, (uint64_t)sent);
	teardown(&l);
}

/* The kprobe program (tcp_v4_connect/tcp_v6_connect) is generated by the
 * same code and passes the verifier; attaching needs kprobes, which the
 * e2e test cannot count on. */
static void kprobe_loads(void **s)
{
	struct ld l;

	(void)s;
	if (!root())
		skip();
	setup(&l);
	assert_int_equal(load(&l, BW_HOOK_KPROBE, false), 0);
	teardown(&l);
}

/*
 * The tracepoint program (sys_enter_connect) passes the verifier; the
 * protocol is unknown there, so a rule that names tcp or udp never
 * matches: with only such drops there is no deny tail at all.
 */
static struct bw_prog *tp_prog(const char *text, bool *audit)
{
	struct bw_codegen_opts o = { 0 };
	struct bw_prog *p = NULL;
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("tp.conf", text, &d, &ir), 0);
	assert_int_equal(bw_codegen(ir, BW_HOOK_TRACEPOINT, NULL, &o, &d, &p), 0);
	bw_diags_print(&d, stderr);
	*audit = p->uses_map[BW_MAP_AUDIT];
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	return p;
}

static void tracepoint_loads(void **s)
{
	struct bw_prog *p;
	bool audit;

	(void)s;
	p = tp_prog("table inet t {\n chain o {\n"
		    "  type filter hook output priority 0; policy accept;\n"
		    "  tcp dport 25 drop\n  ip daddr 203.0.113.7 udp dport 53 drop\n"
		    "  meta l4proto tcp drop\n }\n}\n", &audit);
	assert_false(audit);
	assert_int_equal(p->insn[p->ninsn - 2].imm, 0);	/* r0 = 0; exit */
	bw_prog_free(&p);
	p = tp_prog("table inet t {\n chain o {\n"
		    "  type filter hook output priority 0; policy accept;\n"
		    "  tcp dport 25 drop\n  ip daddr 203.0.113.7 drop\n"
		    "  ip6 daddr 2001:db8::7 drop\n }\n}\n", &audit);
	assert_true(audit);
	if (root()) {
		int rb = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bw_audit", 0, 0,
					BW_AUDIT_RINGBUF_SIZE, NULL);
		int reasons = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_reasons",
					     4, 8, BW_REASONS_SLOTS, NULL);
		static char log[1 << 20];
		LIBBPF_OPTS(bpf_prog_load_opts, po, .log_buf = log,
			    .log_size = sizeof(log));
		int fd;

		assert_true(rb >= 0 && reasons >= 0);
		for (uint32_t i = 0; i < p->ninsn; i++) {
			if (p->insn[i].code != (BPF_LD | BPF_IMM | BPF_DW))
				continue;
			if (p->insn[i].src_reg == BPF_PSEUDO_MAP_FD) {
				assert_true(p->insn[i].imm == BW_MAP_AUDIT ||
					    p->insn[i].imm == BW_MAP_REASONS);
				p->insn[i].imm = p->insn[i].imm == BW_MAP_AUDIT ?
						 rb : reasons;
			}
			i++;
		}
		log[0] = 0;
		fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "bw_tp", "GPL",
				   p->insn, p->ninsn, &po);
		if (fd < 0)
			fprintf(stderr, "verifier: %s\n", log);
		assert_true(fd >= 0);
		close(fd);
		close(rb);
		close(reasons);
	}
	bw_prog_free(&p);
}

/* No egress chain: the program accepts every connect and has no deny
 * tail (unreachable code would fail the load). */
static void no_egress_chain(void **s)
{
	struct bw_codegen_opts o = { 0 };
	struct bw_prog *p = NULL;
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	(void)s;
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("in.conf",
		"table inet t {\n chain i {\n"
		"  type filter hook input priority 0; policy accept;\n"
		"  tcp dport 22 drop\n }\n}\n", &d, &ir), 0);
	assert_int_equal(bw_codegen(ir, BW_HOOK_CONNECT4, NULL, &o, &d, &p), 0);
	assert_false(p->uses_map[BW_MAP_AUDIT]);
	assert_int_equal(p->insn[p->ninsn - 2].imm, 1);	/* r0 = 1; exit */
	if (root()) {
		LIBBPF_OPTS(bpf_prog_load_opts, po,
			    .expected_attach_type = BPF_CGROUP_INET4_CONNECT);
		int fd = bpf_prog_load(BPF_PROG_TYPE_CGROUP_SOCK_ADDR, "t", "GPL",
				       p->insn, p->ninsn, &po);

		assert_true(fd >= 0);
		close(fd);
	}
	bw_prog_free(&p);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

/*
 * A limit at connect: whether it would stop its rule cannot be known.  A
 * rule that drops or rejects is then taken as not matching, and one that
 * jumps, goes to or returns lets the connect through: neither can deny,
 * so these programs have no deny tail.  With a drop after an accepting
 * limit rule, the drop can still deny.  All pass the verifier.
 */
static void unsure_at_connect(void **s)
{
	static const struct {
		const char *rules;
		bool deny;
	} cases[] = {
		{ "tcp dport 25 limit rate over 10/second drop\n"
		  "limit rate over 10/second reject\n", false },
		{ "ip daddr 203.0.113.7 limit rate 10/second jump x\n", false },
		{ "limit rate 10/second goto x\n", false },
		{ "limit rate 10/second tcp dport vmap { 25 : drop }\n", false },
		{ "limit rate 3/minute log prefix \"x \"\n"
		  "ip daddr 203.0.113.9 drop\n", true },
		{ "tcp dport 26 limit rate 10/second accept\n"
		  "ip daddr 203.0.113.9 drop\n", true },
		/* fields the hook cannot see: the same treatment */
		{ "ip saddr 192.0.2.1 accept\n"
		  "ip daddr 203.0.113.9 drop\n", false },
		{ "tcp dport 80 ip saddr 192.0.2.1 accept\n"
		  "ip daddr 203.0.113.9 drop\n", true },
		{ "tcp flags syn drop\n", false },
		/* a vmap on an unseen key after a statement: unreported */
		{ "log prefix \"x \" ip saddr vmap { 192.0.2.1 : drop }\n"
		  "ip daddr 203.0.113.9 drop\n", false },
		{ "ip saddr 192.0.2.1 jump x\n"
		  "ip daddr 203.0.113.9 drop\n", false },
		/* a connect is new */
		{ "ct state new tcp dport 25 drop\n", true },
	};
	char text[512];

	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (enum bw_hook h = BW_HOOK_CONNECT4; h <= BW_HOOK_CONNECT6; h++) {
			struct bw_codegen_opts o = { 0 };
			struct bw_prog *p = NULL;
			struct bw_diags d;
			struct bw_ir *ir = NULL;

			snprintf(text, sizeof(text),
				 "table inet t {\n chain x {\n  tcp dport 25 drop\n }\n"
				 " chain o {\n  type filter hook output priority 0; policy accept;\n"
				 "  %s }\n}\n", cases[i].rules);
			bw_diags_init(&d);
			assert_int_equal(bw_compile_string("limit.conf", text, &d, &ir), 0);
			assert_int_equal(bw_codegen(ir, h, NULL, &o, &d, &p), 0);
			bw_diags_print(&d, stderr);
			if (p->uses_map[BW_MAP_AUDIT] != cases[i].deny)
				fail_msg("case %zu: %s a deny tail", i,
					 cases[i].deny ? "no" : "has");
			if (root()) {
				LIBBPF_OPTS(bpf_prog_load_opts, po,
					    .expected_attach_type = bw_hook_info(h)->expected_attach_type);
				int rb = -1, reasons = -1, fd;

				if (cases[i].deny) {
					rb = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bw_audit", 0, 0,
							    BW_AUDIT_RINGBUF_SIZE, NULL);
					assert_true(rb >= 0);
					reasons = bpf_map_create(BPF_MAP_TYPE_PERCPU_ARRAY,
								 "bw_reasons", 4, 8,
								 BW_REASONS_SLOTS, NULL);
					assert_true(reasons >= 0);
				}
				for (uint32_t k = 0; k < p->ninsn; k++) {
					if (p->insn[k].code != (BPF_LD | BPF_IMM | BPF_DW))
						continue;
					if (p->insn[k].src_reg == BPF_PSEUDO_MAP_FD)
						p->insn[k].imm = p->insn[k].imm == BW_MAP_REASONS ?
								 reasons : rb;
					k++;
				}
				fd = bpf_prog_load(bw_hook_info(h)->prog_type, "t", "GPL",
						   p->insn, p->ninsn, &po);
				if (fd < 0)
					fail_msg("case %zu: the verifier refuses it: %s", i,
						 strerror(errno));
				close(fd);
				if (rb >= 0)
					close(rb);
				if (reasons >= 0)
					close(reasons);
			}
			bw_prog_free(&p);
			bw_ir_free(&ir);
			bw_diags_fini(&d);
		}
	}
}

static void connect4_log(void **s) { (void)s; t_hook(BW_HOOK_CONNECT4, false); }
static void connect4_enforce(void **s) { (void)s; t_hook(BW_HOOK_CONNECT4, true); }
static void connect6_log(void **s) { (void)s; t_hook(BW_HOOK_CONNECT6, false); }
static void connect6_enforce(void **s) { (void)s; t_hook(BW_HOOK_CONNECT6, true); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(connect4_log),
		cmocka_unit_test(connect4_enforce),
		cmocka_unit_test(connect6_log),
		cmocka_unit_test(connect6_enforce),
		cmocka_unit_test(lost_counted),
		cmocka_unit_test(kprobe_loads),
		cmocka_unit_test(tracepoint_loads),
		cmocka_unit_test(no_egress_chain),
		cmocka_unit_test(unsure_at_connect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
