// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall capture: the pcap writer (bytes as libpcap defines them), the
 * capture expression front end (one rule, errors on the user's words), and
 * the generated socket filter run through BPF_PROG_TEST_RUN (root only:
 * those tests skip otherwise).
 *
 * BPF_PROG_TEST_RUN hands a socket filter an skb whose data starts after
 * the Ethernet header it was given (eth_type_trans pulls it; only tc
 * programs get it pushed back), while on a packet socket the data starts
 * at the MAC header.  The frames below are therefore wrapped in one more
 * Ethernet header, which the kernel pulls, so the program sees exactly
 * the frame as a packet socket would.
 */
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

#include "compiler/front/capture.h"
#include "compiler/front/compile.h"
#include "compiler/interp/pktbuild.h"
#include "runtime/capture.h"
#include "runtime/runtime.h"
#include "cli/drive.h"

/* ---------------------------------------------------------------- pcap */

static uint32_t u32_at(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint16_t u16_at(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

static void test_pcap_writer(void **state)
{
	const uint8_t a[] = { 1, 2, 3, 4, 5 }, b[] = { 9, 8, 7 };
	struct timespec t1 = { .tv_sec = 1700000000, .tv_nsec = 123456789 };
	struct timespec t2 = { .tv_sec = 1700000001, .tv_nsec = 999 };
	uint8_t buf[256];
	size_t n;
	FILE *f;

	(void)state;
	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(bw_pcap_write_header(f), 0);
	assert_int_equal(bw_pcap_write_packet(f, &t1, a, sizeof(a), 60), 0);
	assert_int_equal(bw_pcap_write_packet(f, &t2, b, sizeof(b), 3), 0);
	rewind(f);
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	assert_int_equal(n, 24 + 16 + 5 + 16 + 3);
	/* global header */
	assert_int_equal(u32_at(buf), 0xa1b2c3d4);
	assert_int_equal(u16_at(buf + 4), 2);		/* version 2.4 */
	assert_int_equal(u16_at(buf + 6), 4);
	assert_int_equal(u32_at(buf + 8), 0);		/* thiszone */
	assert_int_equal(u32_at(buf + 12), 0);		/* sigfigs */
	assert_int_equal(u32_at(buf + 16), 65535);	/* snaplen */
	assert_int_equal(u32_at(buf + 20), 1);		/* LINKTYPE_ETHERNET */
	/* first record */
	assert_int_equal(u32_at(buf + 24), 1700000000);
	assert_int_equal(u32_at(buf + 28), 123456);	/* microseconds */
	assert_int_equal(u32_at(buf + 32), 5);		/* incl_len */
	assert_int_equal(u32_at(buf + 36), 60);		/* orig_len */
	assert_memory_equal(buf + 40, a, sizeof(a));
	/* second record */
	assert_int_equal(u32_at(buf + 45), 1700000001);
	assert_int_equal(u32_at(buf + 49), 0);
	assert_int_equal(u32_at(buf + 53), 3);
	assert_int_equal(u32_at(buf + 57), 3);
	assert_memory_equal(buf + 61, b, sizeof(b));
}

/* ------------------------------------------------------- front end */

static void test_expr_errors_on_user_words(void **state)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;

	(void)state;
	bw_diags_init(&d);
	assert_int_not_equal(bw_capture_compile("ip saddr 192.0.2.1 tcp dprt 22",
						&d, &ir), 0);
	assert_null(ir);
	assert_non_null(d.head);
	assert_non_null(d.head->loc.src);
	assert_string_equal(d.head->loc.src->name, "<capture>");
	assert_string_equal(d.head->loc.src->text, "ip saddr 192.0.2.1 tcp dprt 22");
	assert_int_equal(d.head->loc.line, 1);
	assert_int_equal(d.head->loc.col, 24);
	assert_int_equal(d.head->loc.end_col, 27);
	bw_diags_fini(&d);

	/* more than the matches of one rule */
	bw_diags_init(&d);
	assert_int_equal(bw_capture_compile("tcp dport 22; udp dport 53", &d, &ir),
			 -EINVAL);
	assert_null(ir);
	bw_diags_fini(&d);
	bw_diags_init(&d);
	assert_int_not_equal(bw_capture_compile("tcp dport 22 accept\n}\n}\ntable netdev x {",
						&d, &ir), 0);
	assert_null(ir);
	bw_diags_fini(&d);

	/* keys only nf_tables reads: no packet carries them */
	bw_diags_init(&d);
	assert_int_equal(bw_capture_compile("tcp dport 22 meta skuid 0", &d, &ir),
			 -EINVAL);
	assert_null(ir);
	assert_non_null(d.head);
	assert_non_null(d.head->loc.src);
	assert_string_equal(d.head->loc.src->name, "<capture>");
	assert_int_equal(d.head->loc.col, 14);
	assert_non_null(strstr(d.head->msg, "a capture cannot match it"));
	bw_diags_fini(&d);
	bw_diags_init(&d);
	assert_int_equal(bw_capture_compile("meta priority 1:2", &d, &ir), -EINVAL);
	assert_null(ir);
	bw_diags_fini(&d);
}

static void test_expr_one_rule(void **state)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;

	(void)state;
	bw_diags_init(&d);
	assert_int_equal(bw_capture_compile("ip saddr 192.0.2.0/24 tcp dport { 22, 80 }",
					    &d, &ir), 0);
	assert_non_null(ir);
	assert_int_equal(ir->nchain, 1);
	assert_int_equal(ir->chain[0].nrule, 1);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
}

/* -------------------------------------------- socket filter (kernel) */

struct filter {
	struct bw_rt_testprog *t;
};

static int filter_setup(void **state)
{
	static struct filter f;
	struct bw_ir *ir = NULL;
	struct bw_diags d;

	if (geteuid() != 0)
		return 0;
	bw_diags_init(&d);
	if (bw_capture_compile("ip saddr 192.0.2.0/24 tcp dport 22", &d, &ir) ||
	    bw_drive_testprog_load(ir, BW_HOOK_SOCKET, BW_CAPTURE_DEV, NULL,
				   NULL, &d, &f.t)) {
		bw_diags_print(&d, stderr);
		bw_ir_free(&ir);
		bw_diags_fini(&d);
		return -1;
	}
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	*state = &f;
	return 0;
}

static int filter_teardown(void **state)
{
	struct filter *f = *state;

	if (f)
		bw_rt_testprog_free(&f->t);
	return 0;
}

/* Build the frame of spec, wrapped for BPF_PROG_TEST_RUN; returns its length. */
static size_t wrapped(const char *spec, uint8_t *out, size_t cap)
{
	static const uint8_t outer[14] = {
		2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00,
	};
	struct bw_pkt_spec *s = NULL;
	struct bw_diags d;
	int n;

	bw_diags_init(&d);
	assert_int_equal(bw_pkt_spec_parse("pkt", spec, &d, &s), 0);
	n = bw_pkt_build(s, out + sizeof(outer), cap - sizeof(outer), &d);
	assert_true(n > 0);
	memcpy(out, outer, sizeof(outer));
	bw_pkt_spec_free(&s);
	bw_diags_fini(&d);
	return sizeof(outer) + (size_t)n;
}

static uint32_t run(struct filter *f, const uint8_t *pkt, size_t len,
		    struct bw_rt_run_result *r)
{
	assert_int_equal(bw_rt_testprog_run(f->t, pkt, len, r), 0);
	return r->retval;
}

static void test_filter_verdicts(void **state)
{
	struct filter *f = *state;
	struct bw_rt_run_result r;
	uint8_t pkt[BW_PKT_MAX + 14];
	size_t n;

	if (!f)
		skip();
	n = wrapped("ip saddr 192.0.2.7 tcp dport 22", pkt, sizeof(pkt));
	assert_int_equal(run(f, pkt, n, &r), 0xffff);	/* kept: snap length */
	assert_int_equal(r.verdict, BW_VERDICT_ACCEPT);
	assert_false(r.malformed);
	n = wrapped("ip saddr 198.51.100.7 tcp dport 22", pkt, sizeof(pkt));
	assert_int_equal(run(f, pkt, n, &r), 0);
	n = wrapped("ip saddr 192.0.2.7 tcp dport 23", pkt, sizeof(pkt));
	assert_int_equal(run(f, pkt, n, &r), 0);
	n = wrapped("ip saddr 192.0.2.7 udp dport 22", pkt, sizeof(pkt));
	assert_int_equal(run(f, pkt, n, &r), 0);
	n = wrapped("ip6 saddr 2001:db8::1 tcp dport 22", pkt, sizeof(pkt));
	assert_int_equal(run(f, pkt, n, &r), 0);
}

/* A matching packet cut inside its TCP header is malformed: not captured. */
static void test_filter_malformed(void **state)
{
	struct filter *f = *state;
	struct bw_rt_run_result r;
	uint8_t pkt[BW_PKT_MAX + 14];
	size_t n;

	if (!f)
		skip();
	n = wrapped("ip saddr 192.0.2.7 tcp dport 22", pkt, sizeof(pkt));
	assert_int_equal(run(f, pkt, n - 4, &r), 0);
	assert_true(r.malformed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_writer),
		cmocka_unit_test(test_expr_errors_on_user_words),
		cmocka_unit_test(test_expr_one_rule),
		cmocka_unit_test_setup_teardown(test_filter_verdicts,
						filter_setup, filter_teardown),
		cmocka_unit_test_setup_teardown(test_filter_malformed,
						filter_setup, filter_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
