// SPDX-License-Identifier: GPL-2.0-only
/*
 * The values of nft's meta types (compiler/front/meta_value.c): each form nft
 * reads, to the number nf_tables compares and back to nft's text; hours
 * and dates in a time zone other than UTC (converted at load, as nft);
 * the listing of rules that use them (and nft's folded mark constants);
 * a cross-day hour range inverted in the IR as nft inverts it.
 */
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

#include "compiler/front/compile.h"
#include "compiler/front/ir.h"
#include "compiler/front/meta_value.h"

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static uint64_t parse(enum bw_type t, const char *text)
{
	char err[160];
	uint64_t v = 0;

	if (bw_meta_value_parse(t, text, &v, err, sizeof(err)))
		fail_msg("%s: %s", text, err);
	return v;
}

static void refused(enum bw_type t, const char *text)
{
	char err[160] = "";
	uint64_t v;

	if (!bw_meta_value_parse(t, text, &v, err, sizeof(err)))
		fail_msg("%s: taken as %llu", text, (unsigned long long)v);
	assert_true(err[0] != 0);
}

static void formats(enum bw_type t, uint64_t v, const char *want)
{
	char buf[64];

	bw_meta_value_format(t, v, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void test_tchandle(void **state)
{
	(void)state;
	assert_int_equal(parse(BW_T_TCHANDLE, "1:1234"), 0x00011234);
	assert_int_equal(parse(BW_T_TCHANDLE, "bcad:dadc"), 0xbcaddadc);
	assert_int_equal(parse(BW_T_TCHANDLE, "root"), 0xffffffffu);
	assert_int_equal(parse(BW_T_TCHANDLE, "none"), 0);
	assert_int_equal(parse(BW_T_TCHANDLE, "0x87654321"), 0x87654321u);
	assert_int_equal(parse(BW_T_TCHANDLE, "2271560481"), 0x87654321u);
	refused(BW_T_TCHANDLE, "1:12345");
	refused(BW_T_TCHANDLE, "x:1");
	formats(BW_T_TCHANDLE, 0x87654321u, "8765:4321");
	formats(BW_T_TCHANDLE, 0xaabb0000u, "aabb:0");
	formats(BW_T_TCHANDLE, 0xffffffffu, "root");
	formats(BW_T_TCHANDLE, 0, "none");
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(parse(BW_T_ARPHRD, "ether"), 1);
	assert_int_equal(parse(BW_T_ARPHRD, "loopback"), 772);
	assert_int_equal(parse(BW_T_ARPHRD, "ipgre"), 778);
	refused(BW_T_ARPHRD, "fddi");
	formats(BW_T_ARPHRD, 512, "ppp");
	formats(BW_T_ARPHRD, 65534, "65534");
	assert_int_equal(parse(BW_T_DAY, "Saturday"), 6);
	assert_int_equal(parse(BW_T_DAY, "sunday"), 0);
	assert_int_equal(parse(BW_T_DAY, "3"), 3);
	refused(BW_T_DAY, "7");
	refused(BW_T_DAY, "Satturday");
	formats(BW_T_DAY, 6, "\"Saturday\"");
	assert_int_equal(parse(BW_T_UID, "root"), 0);
	assert_int_equal(parse(BW_T_GID, "root"), 0);
	assert_int_equal(parse(BW_T_UID, "3000"), 3000);
	refused(BW_T_UID, "no-such-user-bw");
	assert_int_equal(parse(BW_T_BOOL, "exists"), 1);
	assert_int_equal(parse(BW_T_BOOL, "missing"), 0);
	refused(BW_T_BOOL, "maybe");
	formats(BW_T_BOOL, 1, "exists");
	if (access("/etc/iproute2/group", R_OK)) {
		fprintf(stderr, "skip: no /etc/iproute2/group\n");
		return;
	}
	assert_int_equal(parse(BW_T_DEVGROUP, "default"), 0);
	assert_int_equal(parse(BW_T_DEVGROUP, "11"), 11);
	refused(BW_T_DEVGROUP, "no-such-group-bw");
	formats(BW_T_DEVGROUP, 0, "\"default\"");
	formats(BW_T_DEVGROUP, 11, "11");
}

/* Hours: local time to seconds after midnight UTC, and back. */
static void test_hour(void **state)
{
	(void)state;
	set_tz("UTC");
	assert_int_equal(parse(BW_T_HOUR, "17:00"), 17 * 3600);
	assert_int_equal(parse(BW_T_HOUR, "17:00:01"), 17 * 3600 + 1);
	assert_int_equal(parse(BW_T_HOUR, "23:59:60"), 0);	/* nft: 00:00 */
	refused(BW_T_HOUR, "24:00");
	refused(BW_T_HOUR, "17:60");
	refused(BW_T_HOUR, "17:00x");
	formats(BW_T_HOUR, 17 * 3600, "\"17:00\"");
	formats(BW_T_HOUR, 17 * 3600 + 1, "\"17:00:01\"");
	/* two hours east of UTC all year */
	set_tz("XST-2");
	assert_int_equal(bw_meta_tz_offset(), 7200);
	assert_int_equal(parse(BW_T_HOUR, "17:00"), 15 * 3600);
	assert_int_equal(parse(BW_T_HOUR, "01:00"), 23 * 3600);
	formats(BW_T_HOUR, 15 * 3600, "\"17:00\"");
	formats(BW_T_HOUR, 23 * 3600, "\"01:00\"");
	set_tz("UTC");
}

/* Dates: local time to ns since the epoch; a number is seconds. */
static void test_date(void **state)
{
	(void)state;
	set_tz("UTC");
	assert_true(parse(BW_T_TIME, "12341234") == 12341234ull * 1000000000u);
	assert_true(parse(BW_T_TIME, "1970-05-23 20:07:14") == 12341234ull * 1000000000u);
	assert_true(parse(BW_T_TIME, "1970-05-23 20:07") == 12341220ull * 1000000000u);
	assert_true(parse(BW_T_TIME, "1970-01-02") == 86400ull * 1000000000u);
	refused(BW_T_TIME, "meh");
	refused(BW_T_TIME, "2019-13-01 00:00:00");
	formats(BW_T_TIME, 12341234ull * 1000000000u, "\"1970-05-23 20:07:14\"");
	/* nft's corpus lists 12341234 in a zone two hours east */
	set_tz("XST-2");
	formats(BW_T_TIME, 12341234ull * 1000000000u, "\"1970-05-23 22:07:14\"");
	assert_true(parse(BW_T_TIME, "1970-05-23 22:07:14") == 12341234ull * 1000000000u);
	set_tz("UTC");
}

static struct bw_ir *compiled(const char *family, const char *rule, char **text)
{
	char *src = NULL;
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	assert_true(asprintf(&src, "table %s t {\n\tchain c {\n"
			     "\t\ttype filter hook input priority 0; policy accept;\n"
			     "\t\t%s\n\t}\n}\n", family, rule) > 0);
	bw_diags_init(&d);
	if (bw_compile_string("t.conf", src, &d, &ir) || d.nerrors) {
		bw_diags_print(&d, stderr);
		fail_msg("does not compile: %s", rule);
	}
	*text = bw_ir_text_render(ir->text, bw_ir_counter_initial, ir);
	assert_non_null(*text);
	bw_diags_fini(&d);
	free(src);
	return ir;
}

/* The rules of nft's corpus as nft lists them. */
static void test_listed(void **state)
{
	static const struct { const char *rule, *want; } cases[] = {
		{ "meta priority 0x87654321", "meta priority 8765:4321" },
		{ "meta skuid {\"bin\", \"root\", \"daemon\"} accept", "meta skuid { 2, 0, 1 } accept" },
		{ "meta skgid != \"root\"", "meta skgid != 0" },
		{ "meta skuid eq 3000 accept", "meta skuid 3000 accept" },
		{ "meta iifgroup 0", "iifgroup \"default\"" },
		{ "meta day 6 drop", "meta day \"Saturday\" drop" },
		{ "meta hour \"17:00:00\" drop", "meta hour \"17:00\" drop" },
		{ "meta hour \"23:59:60\" drop", "meta hour \"00:00\" drop" },
		{ "meta random eq 1", "meta random 1" },
		{ "meta protocol { ip, arp, ip6, vlan }", "meta protocol { ip, arp, ip6, 8021q }" },
		{ "time < \"2022-07-01 11:00:00\" accept", "meta time < \"2022-07-01 11:00:00\" accept" },
		{ "meta secpath missing", "meta ipsec missing" },
		{ "rt classid \"cosmos\"", "rt classid \"cosmos\"" },
		{ "meta nfproto ipv4 rt nexthop 192.0.2.1", "meta nfproto ipv4 rt ip nexthop 192.0.2.1" },
		{ "rt ip6 nexthop 2001:db8::1", "rt ip6 nexthop 2001:db8::1" },
		{ "meta mark set 0x16 and 0x16", "meta mark set 0x00000016" },
		{ "meta mark set 0xfffe xor 0x16", "meta mark set 0x0000ffe8" },
		{ "meta mark set 0x32 or 0xfffff", "meta mark set 0x000fffff" },
		{ "tcp dport 22 iiftype ether ether saddr 00:0f:54:0c:11:4 accept",
		  "tcp dport 22 ether saddr 00:0f:54:0c:11:04 accept" },
	};

	(void)state;
	set_tz("UTC");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text, *line;
		struct bw_ir *ir = compiled("inet", cases[i].rule, &text);

		line = strstr(text, "policy accept;\n");
		assert_non_null(line);
		line += strlen("policy accept;\n");
		while (*line == '\t')
			line++;
		*strchr(line, '\n') = 0;
		if (strcmp(line, cases[i].want))
			fail_msg("%s\n  listed: %s\n  want:   %s", cases[i].rule,
				 line, cases[i].want);
		free(text);
		bw_ir_free(&ir);
	}
}

/* meta hour "21:00"-"02:00": != "02:00"-"21:00" in the IR, as nft. */
static void test_cross_day(void **state)
{
	static const uint8_t lo[4] = { 0, 0, 0x1c, 0x20 };	/* 7200 */
	static const uint8_t hi[4] = { 0, 1, 0x27, 0x50 };	/* 75600 */
	const struct bw_ir_match *m;
	struct bw_ir *ir;
	char *text;

	(void)state;
	set_tz("UTC");
	ir = compiled("inet", "meta hour \"21:00\"-\"02:00\" drop", &text);
	assert_true(ir->nchain >= 1 && ir->chain[0].nrule == 1);
	m = &ir->chain[0].rule[0].match[0];
	assert_true(m->neg);
	assert_int_equal(m->nelem, 1);
	assert_memory_equal(m->elem[0].lo, lo, 4);
	assert_memory_equal(m->elem[0].hi, hi, 4);
	free(text);
	bw_ir_free(&ir);
	ir = compiled("inet", "meta hour != \"21:00\"-\"02:00\" drop", &text);
	assert_false(ir->chain[0].rule[0].match[0].neg);
	free(text);
	bw_ir_free(&ir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tchandle),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_hour),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_listed),
		cmocka_unit_test(test_cross_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
