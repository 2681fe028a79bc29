// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipset's entries as grammar/ipset.c reads, prints, finds and turns them
 * into nft elements: ranges expanded (hash:ip) or split into nets
 * (hash:net), host bits cleared, ipset's messages, the hash index kept
 * right across add and del, overlapping nets merged per port.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "grammar/ipset.h"

static struct bw_ipset_list L;

static struct bw_ipset *mk(const char *name, int type, bool v6)
{
	struct bw_ipset *s = bw_ipset_new(&L, name, type, v6);

	assert_non_null(s);
	return s;
}

/* text's entries printed, one line each */
static char *entries(struct bw_ipset *s, const char *text, int *rc, char *err)
{
	struct bw_ipset_elem *e = NULL;
	uint32_t n = 0;
	bool cidr;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = bw_ipset_parse_entry(s, text, 1000, &e, &n, &cidr, err, 256);
	for (uint32_t i = 0; i < n; i++) {
		bw_ipset_print_elem(f, s, &e[i]);
		fputc('\n', f);
	}
	fclose(f);
	free(e);
	return buf;
}

static void check(struct bw_ipset *s, const char *text, const char *want)
{
	char err[256] = "";
	int rc;
	char *got = entries(s, text, &rc, err);

	if (rc)
		fprintf(stderr, "%s: %s\n", text, err);
	assert_int_equal(rc, 0);
	assert_string_equal(got, want);
	free(got);
}

static void check_err(struct bw_ipset *s, const char *text, const char *want)
{
	char err[256] = "";
	int rc;
	char *got = entries(s, text, &rc, err);

	assert_int_not_equal(rc, 0);
	assert_string_equal(err, want);
	free(got);
}

static void test_parse(void **state)
{
	struct bw_ipset *ip = mk("a", BW_IPSET_HASH_IP, false);
	struct bw_ipset *net = mk("b", BW_IPSET_HASH_NET, false);
	struct bw_ipset *ipp = mk("c", BW_IPSET_HASH_IP_PORT, false);
	struct bw_ipset *ipi = mk("d", BW_IPSET_HASH_IP_PORT_IP, false);
	struct bw_ipset *six = mk("e", BW_IPSET_HASH_NET, true);

	(void)state;
	check(ip, "192.0.2.1", "192.0.2.1\n");
	check(ip, "1.2.3", "1.2.0.3\n");		/* inet_aton, as ipset */
	check(ip, "192.0.2.4/31", "192.0.2.4\n192.0.2.5\n");
	check(ip, "192.0.2.9-192.0.2.7", "192.0.2.7\n192.0.2.8\n192.0.2.9\n");
	check(net, "192.0.2.77/24", "192.0.2.0/24\n");
	check(net, "192.0.2.7", "192.0.2.7\n");
	check(net, "192.0.2.1-192.0.2.6", "192.0.2.1\n192.0.2.2/31\n192.0.2.4/31\n192.0.2.6\n");
	check(ipp, "192.0.2.1,80", "192.0.2.1,tcp:80\n");
	check(ipp, "192.0.2.1,udp:53-54", "192.0.2.1,udp:53\n192.0.2.1,udp:54\n");
	check(ipi, "192.0.2.1,80,198.51.100.1", "192.0.2.1,tcp:80,198.51.100.1\n");
	check(six, "2001:db8::1/32", "2001:db8::/32\n");
	check_err(ip, "1.2.3.x", "Syntax error: cannot parse 1.2.3.x: resolving to IPv4 address failed");
	check_err(net, "192.0.2.0/33", "Syntax error: '33' is out of range 0-32");
	check_err(net, "192.0.2.0/0", "The value of the CIDR parameter of the IP address is invalid");
	check_err(ipp, "192.0.2.1", "Syntax error: Second element is missing from 192.0.2.1.");
	check_err(ipp, "192.0.2.1,99999", "Syntax error: '99999' is out of range 0-65535");
	check_err(ipp, "192.0.2.1,foo:80", "Syntax error: cannot parse 'foo' as a protocol");
	check_err(ipi, "192.0.2.1,80", "Syntax error: Third element is missing from 192.0.2.1,80.");
	bw_ipset_list_free(&L);
}

static void add(struct bw_ipset *s, const char *text)
{
	struct bw_ipset_elem *e = NULL;
	uint32_t n = 0;
	bool cidr;
	char err[256];

	assert_int_equal(bw_ipset_parse_entry(s, text, 100000, &e, &n, &cidr, err, sizeof(err)), 0);
	for (uint32_t i = 0; i < n; i++)
		if (bw_ipset_elem_index(s, &e[i]) < 0)
			assert_int_equal(bw_ipset_add(s, &e[i]), 0);
	free(e);
}

static int find(struct bw_ipset *s, const char *text, bool *cidr)
{
	struct bw_ipset_elem *e = NULL;
	uint32_t n = 0;
	char err[256];
	int at;

	assert_int_equal(bw_ipset_parse_entry(s, text, 1, &e, &n, cidr, err, sizeof(err)), 0);
	at = bw_ipset_elem_index(s, &e[0]);
	free(e);
	return at;
}

static void test_index(void **state)
{
	struct bw_ipset *s = mk("a", BW_IPSET_HASH_IP, false);
	bool cidr;
	char buf[32];

	(void)state;
	add(s, "10.0.0.0/18");			/* 16384 addresses */
	assert_int_equal(s->n, 16384);
	assert_int_equal(find(s, "10.0.63.255", &cidr), 16383);
	assert_int_equal(find(s, "10.0.64.0", &cidr), -1);
	for (int i = 0; i < 60; i++) {
		snprintf(buf, sizeof(buf), "10.0.%d.%d", i, i);
		bw_ipset_del(s, find(s, buf, &cidr));
	}
	assert_int_equal(s->n, 16324);
	assert_int_equal(find(s, "10.0.5.5", &cidr), -1);
	assert_true(find(s, "10.0.5.6", &cidr) >= 0);
	add(s, "10.0.5.5");
	assert_int_equal(find(s, "10.0.5.5", &cidr), (int)s->n - 1);
	bw_ipset_list_free(&L);
}

static void test_net_test(void **state)
{
	struct bw_ipset *s = mk("n", BW_IPSET_HASH_NET, false);
	struct bw_ipset_elem *e = NULL;
	uint32_t n;
	bool cidr;
	char err[256];

	(void)state;
	add(s, "192.0.2.0/24");
	assert_int_equal(bw_ipset_parse_entry(s, "192.0.2.9", 1, &e, &n, &cidr, err, sizeof(err)), 0);
	assert_false(cidr);
	assert_true(bw_ipset_test(s, e, cidr));	/* a net holds it */
	free(e);
	assert_int_equal(bw_ipset_parse_entry(s, "192.0.2.0/25", 1, &e, &n, &cidr, err, sizeof(err)), 0);
	assert_false(bw_ipset_test(s, e, cidr));	/* not that entry */
	free(e);
	bw_ipset_list_free(&L);
}

static char out[1024];
static size_t outn;

static void collect(void *arg, const uint8_t *lo, const uint8_t *hi,
		    const struct bw_ipset_elem *e)
{
	char a[32], b[32];

	(void)arg;
	inet_ntop(AF_INET, lo, a, sizeof(a));
	inet_ntop(AF_INET, hi, b, sizeof(b));
	outn += (size_t)snprintf(out + outn, sizeof(out) - outn, "%s-%s.%u ", a, b, e->port);
}

static void test_merge(void **state)
{
	struct bw_ipset *s = mk("np", BW_IPSET_HASH_NET_PORT, false);

	(void)state;
	add(s, "192.0.2.0/25,80");
	add(s, "198.51.100.0/24,80");
	add(s, "192.0.2.0/24,80");
	add(s, "192.0.2.64/26,443");
	add(s, "192.0.2.200,80");
	outn = 0;
	assert_int_equal(bw_ipset_nft_elems(s, collect, NULL), 0);
	assert_string_equal(out, "192.0.2.0-192.0.2.255.80 198.51.100.0-198.51.100.255.80 "
			    "192.0.2.64-192.0.2.127.443 ");
	bw_ipset_list_free(&L);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_net_test),
		cmocka_unit_test(test_merge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
