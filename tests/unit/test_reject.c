// SPDX-License-Identifier: GPL-2.0-only
/*
 * reject's answers, byte by byte: each kind of reject compiled, loaded
 * (XDP and TC), and run on packets with BPF_PROG_TEST_RUN; the frame that
 * comes out must be the answer: Ethernet addresses swapped (VLAN tags
 * kept), IP addresses swapped, valid IP/TCP/ICMP/ICMPv6 checksums, the
 * TCP reset's sequence numbers as the kernel's nf_send_reset picks them,
 * the ICMP error quoting the packet.  Packets that get no answer are
 * plain drops.  Needs root (skips otherwise).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "compiler/front/compile.h"
#include "compiler/bpf/codegen.h"
#include "compiler/interp/pktbuild.h"
#include "compiler/front/view.h"
#include "runtime/rt.h"
#include "tests/lib/maps.h"

struct loaded {
	struct bw_ir *ir;
	struct bw_rt_maps maps;
	int fd[2];			/* XDP, TC */
};

static const char rules[] =
	"table netdev t {\n"
	" chain in {\n"
	"  type filter hook ingress device \"veth0\" priority 0; policy accept;\n"
	"  tcp dport 23 reject with tcp reset\n"
	"  udp dport 9 reject\n"
	"  tcp dport 24 reject with icmp type admin-prohibited\n"
	" }\n"
	" chain out {\n"
	"  type filter hook egress device \"veth0\" priority 0; policy accept;\n"
	"  tcp dport 23 reject with tcp reset\n"
	"  udp dport 9 reject\n"
	" }\n"
	"}\n";

static int setup(void **state)
{
	static struct loaded l;
	struct bw_diags d;

	if (geteuid()) {
		fprintf(stderr, "SKIP: needs root (BPF_PROG_TEST_RUN)\n");
		exit(77);
	}
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("r.conf", rules, &d, &l.ir), 0);
	bw_rt_maps_init(&l.maps);
	assert_int_equal(bwt_maps_create(&l.maps, l.ir, NULL, false), 0);
	for (int h = 0; h < 2; h++) {
		struct bw_codegen_opts co = { 0 };
		struct bw_prog *p = NULL;

		assert_int_equal(bw_codegen(l.ir, h ? BW_HOOK_TC : BW_HOOK_XDP,
					    "veth0", &co, &d, &p), 0);
		l.fd[h] = bw_rt_prog_load(p, &l.maps, "reject", &d);
		bw_diags_print(&d, stderr);
		assert_true(l.fd[h] >= 0);
		bw_prog_free(&p);
	}
	bw_diags_fini(&d);
	*state = &l;
	return 0;
}

static int teardown(void **state)
{
	struct loaded *l = *state;

	close(l->fd[0]);
	close(l->fd[1]);
	bw_rt_maps_close(&l->maps);
	bw_ir_free(&l->ir);
	return 0;
}

struct frame {
	uint8_t b[BW_PKT_MAX + 64];
	size_t n;
};

static void build(struct frame *f, bool egress, const char *fmt, ...)
{
	struct bw_pkt_spec *s = NULL;
	struct bw_diags d;
	char text[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	bw_diags_init(&d);
	assert_int_equal(bw_pkt_spec_parse("p", text, &d, &s), 0);
	s->egress = egress;
	n = bw_pkt_build(s, f->b, sizeof(f->b), &d);
	bw_diags_print(&d, stderr);
	assert_true(n > 0);
	f->n = (size_t)n;
	bw_pkt_spec_free(&s);
	bw_diags_fini(&d);
}

/* Run f through hook h; *out gets the frame that comes out. */
static uint32_t run(struct loaded *l, int h, const struct frame *f,
		    struct frame *out)
{
	struct __sk_buff skb = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = f->b,
		    .data_size_in = (uint32_t)f->n, .data_out = out->b,
		    .data_size_out = sizeof(out->b), .repeat = 1);

	if (h) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	assert_int_equal(bpf_prog_test_run_opts(l->fd[h], &o), 0);
	out->n = o.data_size_out;
	return o.retval;
}

/* The Internet checksum of n bytes (and a pseudo header sum). */
static uint16_t csum(const uint8_t *p, size_t n, uint32_t s)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t pseudo(const uint8_t *ip, bool v6, uint8_t proto, size_t len)
{
	uint32_t s = 0;
	const uint8_t *a = v6 ? ip + 8 : ip + 12;
	size_t n = v6 ? 32 : 8;

	for (size_t i = 0; i < n; i += 2)
		s += (uint32_t)(a[i] << 8 | a[i + 1]);
	return s + proto + (uint32_t)len;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* The answer a of packet q (l2 bytes of link layer in both): link layer,
 * addresses, lengths, checksums; returns the transport header of a. */
static const uint8_t *check_ip(const struct frame *q, const struct frame *a,
			       size_t l2, bool v6, uint8_t proto)
{
	const uint8_t *qi = q->b + l2, *ai = a->b + l2;
	size_t l3len = a->n - l2;

	assert_memory_equal(a->b, q->b + 6, 6);		/* MACs swapped */
	assert_memory_equal(a->b + 6, q->b, 6);
	assert_memory_equal(a->b + 12, q->b + 12, l2 - 12);	/* tags, type */
	if (v6) {
		assert_int_equal(ai[0] >> 4, 6);
		assert_int_equal(ai[4] << 8 | ai[5], l3len - 40);
		assert_int_equal(ai[6], proto);
		assert_memory_equal(ai + 8, qi + 24, 16);
		assert_memory_equal(ai + 24, qi + 8, 16);
		assert_int_equal(csum(ai + 40, l3len - 40,
				      pseudo(ai, true, proto, l3len - 40)), 0);
		return ai + 40;
	}
	assert_int_equal(ai[0], 0x45);
	assert_int_equal(ai[2] << 8 | ai[3], l3len);
	assert_int_equal(ai[9], proto);
	assert_memory_equal(ai + 12, qi + 16, 4);
	assert_memory_equal(ai + 16, qi + 12, 4);
	assert_int_equal(csum(ai, 20, 0), 0);
	if (proto == IPPROTO_TCP)
		assert_int_equal(csum(ai + 20, l3len - 20,
				      pseudo(ai, false, proto, l3len - 20)), 0);
	else
		assert_int_equal(csum(ai + 20, l3len - 20, 0), 0);
	return ai + 20;
}

static void tcp_reset(void **state)
{
	static const struct {
		const char *pkt;
		size_t l2;
		bool v6;
	} cases[] = {
		{ "tcp dport 23 tcp flags syn", 14, false },
		{ "vlan id 7 tcp dport 23 tcp flags syn,fin meta length 60", 18, false },
		{ "tcp dport 23 tcp flags ack", 14, false },
		{ "ip6 saddr 2001:db8::5 tcp dport 23 tcp flags syn", 14, true },
	};
	struct loaded *l = *state;

	for (int h = 0; h < 2; h++)
		for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			struct frame q, a;
			const uint8_t *t, *qt;
			uint32_t rv;
			size_t payload;

			build(&q, h, "%s", cases[i].pkt);
			rv = run(l, h, &q, &a);
			assert_int_equal(rv, h ? TC_ACT_REDIRECT : XDP_TX);
			assert_int_equal(a.n, cases[i].l2 + (cases[i].v6 ? 60 : 40));
			t = check_ip(&q, &a, cases[i].l2, cases[i].v6, IPPROTO_TCP);
			qt = q.b + cases[i].l2 + (cases[i].v6 ? 40 : 20);
			payload = q.n - cases[i].l2 - (cases[i].v6 ? 40 : 20) - 20;
			assert_memory_equal(t, qt + 2, 2);	/* ports swapped */
			assert_memory_equal(t + 2, qt, 2);
			assert_int_equal(t[12], 0x50);
			if (qt[13] & 0x10) {		/* ACK: seq = its ack */
				assert_int_equal(t[13], 0x04);
				assert_int_equal(get32(t + 4), get32(qt + 8));
			} else {			/* ack = seq + len */
				assert_int_equal(t[13], 0x14);
				assert_int_equal(get32(t + 4), 0);
				assert_int_equal(get32(t + 8),
						 get32(qt + 4) + payload +
						 !!(qt[13] & 2) + (qt[13] & 1));
			}
		}
}

static void icmp_unreachable(void **state)
{
	struct loaded *l = *state;

	for (int h = 0; h < 2; h++) {
		struct frame q, a;
		const uint8_t *t;

		/* IPv4 port unreachable quotes the header and 8 bytes */
		build(&q, h, "udp dport 9 udp sport 1234 meta length 100");
		assert_int_equal(run(l, h, &q, &a), h ? TC_ACT_REDIRECT : XDP_TX);
		assert_int_equal(a.n, 14 + 56);
		t = check_ip(&q, &a, 14, false, IPPROTO_ICMP);
		assert_int_equal(t[0], 3);
		assert_int_equal(t[1], 3);
		assert_memory_equal(t + 8, q.b + 14, 20 + 8);
		/* IPv6: port unreachable (code 4), the 40-byte header quoted */
		build(&q, h, "ip6 saddr 2001:db8::7 udp dport 9");
		assert_int_equal(run(l, h, &q, &a), h ? TC_ACT_REDIRECT : XDP_TX);
		assert_int_equal(a.n, 14 + 96);
		t = check_ip(&q, &a, 14, true, IPPROTO_ICMPV6);
		assert_int_equal(t[0], 1);
		assert_int_equal(t[1], 4);
		assert_memory_equal(t + 8, q.b + 14, 40 + 8);
	}
	/* a code by name */
	{
		struct frame q, a;
		const uint8_t *t;

		build(&q, false, "tcp dport 24");
		assert_int_equal(run(l, 0, &q, &a), XDP_TX);
		t = check_ip(&q, &a, 14, false, IPPROTO_ICMP);
		assert_int_equal(t[1], 13);
	}
}

/* No answer: a plain drop. */
static void no_answer(void **state)
{
	static const char *const pkts[] = {
		"tcp dport 23 tcp flags rst",
		"meta pkttype broadcast udp dport 9",
		"ip daddr 224.0.0.9 udp dport 9",
		"ip daddr 255.255.255.255 udp dport 9",
		"ip6 daddr ff02::1 udp dport 9",
	};
	struct loaded *l = *state;

	for (int h = 0; h < 2; h++)
		for (size_t i = 0; i < sizeof(pkts) / sizeof(pkts[0]); i++) {
			struct frame q, a;

			build(&q, h, "%s", pkts[i]);
			assert_int_equal(run(l, h, &q, &a), h ? TC_ACT_SHOT : XDP_DROP);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tcp_reset),
		cmocka_unit_test(icmp_unreachable),
		cmocka_unit_test(no_answer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
