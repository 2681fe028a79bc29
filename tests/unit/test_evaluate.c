// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evaluation: IR values (lo/hi/mask bytes), chains and handles, caret
 * errors, the printer's round trip (and nft's opinion of it), packet specs.
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

#include "compiler/front/compile.h"
#include "compiler/front/ir.h"

struct result {
	struct bw_diags d;
	struct bw_ir *ir;
	int rc;
	char *msgs;
};

static void compile(struct result *r, const char *text)
{
	size_t len = 0;
	FILE *m;

	memset(r, 0, sizeof(*r));
	bw_diags_init(&r->d);
	r->d.max_print = 100;
	r->rc = bw_compile_string("t.conf", text, &r->d, &r->ir);
	m = open_memstream(&r->msgs, &len);
	assert_non_null(m);
	bw_diags_print(&r->d, m);
	fclose(m);
}

static void release(struct result *r)
{
	bw_ir_free(&r->ir);
	assert_null(r->ir);
	bw_diags_fini(&r->d);
	free(r->msgs);
}

/* "lo-hi/mask lo-hi/mask", hex over the field's size; "!= " when negated. */
static char *elems_str(const struct bw_ir_match *m)
{
	const struct bw_field *f = bw_field(m->field);
	char *out = NULL;
	size_t len = 0;
	FILE *s = open_memstream(&out, &len);

	assert_non_null(s);
	if (m->neg)
		fputs("!= ", s);
	for (uint32_t i = 0; i < m->nelem; i++) {
		fputs(i ? " " : "", s);
		for (unsigned b = 0; b < f->size; b++)
			fprintf(s, "%02x", m->elem[i].lo[b]);
		fputc('-', s);
		for (unsigned b = 0; b < f->size; b++)
			fprintf(s, "%02x", m->elem[i].hi[b]);
		fputc('/', s);
		for (unsigned b = 0; b < f->size; b++)
			fprintf(s, "%02x", m->elem[i].mask[b]);
	}
	fclose(s);
	return out;
}

/* Compile one rule in a chain of `family`; check its first match. */
static void check_value(const char *family, const char *rule,
			enum bw_field_id field, const char *want)
{
	char text[1024];
	struct result r;
	char *got;

	snprintf(text, sizeof(text),
		 "table %s t {\n\tchain c {\n\t\ttype filter hook %s %s priority 0;\n\t\t%s\n\t}\n}\n",
		 family, strcmp(family, "netdev") ? "input" : "ingress",
		 strcmp(family, "netdev") ? "" : "device \"veth0\"", rule);
	compile(&r, text);
	if (r.rc)
		print_error("%s: %s", rule, r.msgs);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->nchain, 1);
	assert_int_equal(r.ir->chain[0].nrule, 1);
	assert_true(r.ir->chain[0].rule[0].nmatch >= 1);
	assert_int_equal(r.ir->chain[0].rule[0].match[0].field, field);
	got = elems_str(&r.ir->chain[0].rule[0].match[0]);
	if (strcmp(got, want))
		print_error("%s:\n  got  %s\n  want %s\n", rule, got, want);
	assert_string_equal(got, want);
	free(got);
	release(&r);
}

static void test_values(void **state)
{
	check_value("ip", "ip saddr 192.0.2.1", BW_F_IP_SADDR, "c0000201-c0000201/ffffffff");
	check_value("ip", "ip saddr 192.0.2.0/24", BW_F_IP_SADDR, "c0000200-c0000200/ffffff00");
	check_value("ip", "ip saddr 192.0.2.77/24", BW_F_IP_SADDR, "c0000200-c0000200/ffffff00");
	check_value("ip", "ip daddr 192.0.2.0/0", BW_F_IP_DADDR, "00000000-00000000/00000000");
	check_value("ip", "ip daddr 192.0.2.1-192.0.2.9", BW_F_IP_DADDR, "c0000201-c0000209/ffffffff");
	check_value("ip", "ip daddr != { 192.0.2.1, 198.51.100.0/25 }", BW_F_IP_DADDR,
		    "!= c0000201-c0000201/ffffffff c6336400-c6336400/ffffff80");
	check_value("inet", "tcp dport 22", BW_F_TCP_DPORT, "0016-0016/ffff");
	check_value("inet", "tcp dport ssh", BW_F_TCP_DPORT, "0016-0016/ffff");
	check_value("inet", "tcp dport 0x16", BW_F_TCP_DPORT, "0016-0016/ffff");
	check_value("inet", "tcp dport 8000-8080", BW_F_TCP_DPORT, "1f40-1f90/ffff");
	check_value("inet", "udp sport { domain, 123, 1000-2000 }", BW_F_UDP_SPORT,
		    "0035-0035/ffff 007b-007b/ffff 03e8-07d0/ffff");
	check_value("inet", "tcp dport != https", BW_F_TCP_DPORT, "!= 01bb-01bb/ffff");
	check_value("inet", "tcp dport < 1024", BW_F_TCP_DPORT, "0000-03ff/ffff");
	check_value("inet", "tcp dport <= 1024", BW_F_TCP_DPORT, "0000-0400/ffff");
	check_value("inet", "tcp dport > 1023", BW_F_TCP_DPORT, "0400-ffff/ffff");
	check_value("inet", "tcp dport >= 1023", BW_F_TCP_DPORT, "03ff-ffff/ffff");
	check_value("inet", "meta l4proto { tcp, udp, icmpv6, 132 }", BW_F_META_L4PROTO,
		    "06-06/ff 11-11/ff 3a-3a/ff 84-84/ff");
	check_value("inet", "meta nfproto ipv6", BW_F_META_NFPROTO, "0a-0a/ff");
	check_value("ip", "ip protocol icmp", BW_F_IP_PROTOCOL, "01-01/ff");
	check_value("ip", "ip ttl 64", BW_F_IP_TTL, "40-40/ff");
	check_value("ip", "ip length 1500", BW_F_IP_LENGTH, "05dc-05dc/ffff");
	check_value("ip", "ip version 4", BW_F_IP_VERSION, "04-04/0f");
	check_value("ip", "ip dscp ef", BW_F_IP_DSCP, "2e-2e/3f");
	check_value("ip", "ip dscp { cs1, 63 }", BW_F_IP_DSCP, "08-08/3f 3f-3f/3f");
	/* meta length: the IP packet's length in the IP families, skb->len
	 * from the network header at netdev ingress */
	check_value("ip", "meta length 70000", BW_F_META_IPLEN, "00011170-00011170/ffffffff");
	check_value("netdev", "meta length 70000", BW_F_META_PKTLEN, "00011170-00011170/ffffffff");
	check_value("ip", "ip id 0x1234", BW_F_IP_ID, "1234-1234/ffff");
	check_value("ip", "ip frag-off & 0x1fff != 0", BW_F_IP_FRAGOFF, "!= 0000-0000/1fff");
	check_value("ip", "ip hdrlength 15", BW_F_IP_HDRLENGTH, "0f-0f/0f");
	check_value("ip", "ip ecn { ce, ect1 }", BW_F_IP_ECN, "03-03/03 01-01/03");
	check_value("ip6", "ip6 version 6", BW_F_IP6_VERSION, "06-06/0f");
	check_value("ip6", "ip6 flowlabel 0xfffff", BW_F_IP6_FLOWLABEL, "000fffff-000fffff/000fffff");
	check_value("ip6", "ip6 flowlabel 10-20", BW_F_IP6_FLOWLABEL, "0000000a-00000014/000fffff");
	check_value("ip6", "ip6 length 1280", BW_F_IP6_LENGTH, "0500-0500/ffff");
	check_value("inet", "tcp sequence 0xdeadbeef", BW_F_TCP_SEQUENCE, "deadbeef-deadbeef/ffffffff");
	check_value("inet", "tcp ackseq < 2", BW_F_TCP_ACKSEQ, "00000000-00000001/ffffffff");
	check_value("inet", "tcp window 0", BW_F_TCP_WINDOW, "0000-0000/ffff");
	check_value("inet", "tcp doff != 5", BW_F_TCP_DOFF, "!= 05-05/0f");
	check_value("inet", "tcp urgptr 1", BW_F_TCP_URGPTR, "0001-0001/ffff");
	check_value("inet", "udp length 8", BW_F_UDP_LENGTH, "0008-0008/ffff");
	check_value("ip", "icmp id 7", BW_F_ICMP_ID, "0007-0007/ffff");
	check_value("ip", "icmp sequence 0-9", BW_F_ICMP_SEQUENCE, "0000-0009/ffff");
	check_value("ip6", "icmpv6 id 7", BW_F_ICMP6_ID, "0007-0007/ffff");
	check_value("ip6", "icmpv6 sequence 7", BW_F_ICMP6_SEQUENCE, "0007-0007/ffff");
	/* after an echo type: no error (the field is there) */
	check_value("ip", "icmp type echo-reply icmp id 7", BW_F_ICMP_TYPE, "00-00/ff");
	check_value("ip6", "ip6 nexthdr ipv6-frag", BW_F_IP6_NEXTHDR, "2c-2c/ff");
	check_value("ip", "icmp type echo-request", BW_F_ICMP_TYPE, "08-08/ff");
	check_value("ip", "icmp code port-unreachable", BW_F_ICMP_CODE, "03-03/ff");
	check_value("ip6", "icmpv6 type { echo-request, nd-neighbor-solicit }", BW_F_ICMP6_TYPE,
		    "80-80/ff 87-87/ff");
	check_value("ip6", "ip6 nexthdr tcp", BW_F_IP6_NEXTHDR, "06-06/ff");
	/* a hop-by-hop header may precede TCP: no conflict */
	check_value("ip6", "ip6 nexthdr 0 tcp dport 22", BW_F_IP6_NEXTHDR, "00-00/ff");
	check_value("ip6", "ip6 hoplimit 255", BW_F_IP6_HOPLIMIT, "ff-ff/ff");
	check_value("ip6", "ip6 saddr 2001:db8::/33", BW_F_IP6_SADDR,
		    "20010db8000000000000000000000000-20010db8000000000000000000000000/ffffffff800000000000000000000000");
	check_value("ip6", "ip6 daddr ::ffff:192.0.2.1", BW_F_IP6_DADDR,
		    "00000000000000000000ffffc0000201-00000000000000000000ffffc0000201/ffffffffffffffffffffffffffffffff");
	check_value("netdev", "ether saddr 02:00:00:00:00:0A", BW_F_ETHER_SADDR,
		    "02000000000a-02000000000a/ffffffffffff");
	check_value("netdev", "ether daddr 2:0:0:0:0:1-2:0:0:0:0:9", BW_F_ETHER_DADDR,
		    "020000000001-020000000009/ffffffffffff");
	check_value("netdev", "ether type { ip, ip6, arp, 0x8100 }", BW_F_ETHER_TYPE,
		    "0800-0800/ffff 86dd-86dd/ffff 0806-0806/ffff 8100-8100/ffff");
	/* nft's names of the VLAN TPIDs start with digits: words all the same */
	check_value("netdev", "ether type { vlan, 8021q, 8021ad }", BW_F_ETHER_TYPE,
		    "8100-8100/ffff 8100-8100/ffff 88a8-88a8/ffff");
	check_value("netdev", "ether type 8021ad vlan type 8021ad", BW_F_ETHER_TYPE,
		    "88a8-88a8/ffff");
	/* a bare vlan field: nft's implicit ether type 8021q goes first */
	check_value("netdev", "vlan type 8021ad", BW_F_ETHER_TYPE, "8100-8100/ffff");
	/* & mask */
	check_value("ip", "ip saddr & 255.255.0.0 == 10.1.0.0", BW_F_IP_SADDR,
		    "0a010000-0a010000/ffff0000");
}

static void test_flags(void **state)
{
	/* nft: implicit on a bitmask is "any of these bits set" */
	check_value("inet", "tcp flags syn", BW_F_TCP_FLAGS, "02-02/02");
	check_value("inet", "tcp flags syn,ack", BW_F_TCP_FLAGS, "10-10/10 02-02/02");
	check_value("inet", "tcp flags syn | ack", BW_F_TCP_FLAGS, "10-10/10 02-02/02");
	/* explicit operators and sets compare the whole byte */
	check_value("inet", "tcp flags == syn", BW_F_TCP_FLAGS, "02-02/ff");
	check_value("inet", "tcp flags != syn", BW_F_TCP_FLAGS, "!= 02-02/ff");
	check_value("inet", "tcp flags { syn, ack }", BW_F_TCP_FLAGS, "02-02/ff 10-10/ff");
	check_value("inet", "tcp flags == syn|ack", BW_F_TCP_FLAGS, "12-12/ff");
	/* with a mask */
	check_value("inet", "tcp flags & (syn|ack) == syn", BW_F_TCP_FLAGS, "02-02/12");
	check_value("inet", "tcp flags & (syn | ack) != syn", BW_F_TCP_FLAGS, "!= 02-02/12");
	check_value("inet", "tcp flags & (fin|syn|rst|ack) == syn", BW_F_TCP_FLAGS, "02-02/17");
	check_value("inet", "tcp flags & (syn|ack) == { syn, ack }", BW_F_TCP_FLAGS,
		    "02-02/12 10-10/12");
	check_value("inet", "tcp flags cwr", BW_F_TCP_FLAGS, "80-80/80");
	/* nft's list form of a masked compare: value / mask */
	check_value("inet", "tcp flags syn / syn,ack", BW_F_TCP_FLAGS, "02-02/12");
	check_value("inet", "tcp flags syn,fin / syn,ack,fin", BW_F_TCP_FLAGS, "03-03/13");
	check_value("inet", "tcp flags != syn / fin,syn,rst,ack", BW_F_TCP_FLAGS, "!= 02-02/17");
}

static void test_defines(void **state)
{
	static const char text[] =
		"define web = { http, https }\n"
		"define ports = { ssh, $web, 8000-8080 }\n"
		"define net = 192.0.2.0/24\n"
		"define hi = 9\n"
		"table inet t {\n"
		"\tdefine inner = 53\n"
		"\tchain c {\n"
		"\t\tdefine local = { $inner, 5353 }\n"
		"\t\ttype filter hook input priority 0;\n"
		"\t\tip saddr $net tcp dport $ports accept\n"
		"\t\tudp dport { $local, 1-$hi } drop\n"
		"\t}\n"
		"}\n";
	struct result r;
	const struct bw_ir_rule *rule;
	char *got;

	compile(&r, text);
	assert_string_equal(r.msgs, "");
	assert_int_equal(r.rc, 0);
	rule = &r.ir->chain[0].rule[0];
	got = elems_str(&rule->match[0]);
	assert_string_equal(got, "c0000200-c0000200/ffffff00");
	free(got);
	got = elems_str(&rule->match[1]);
	assert_string_equal(got, "0016-0016/ffff 0050-0050/ffff 01bb-01bb/ffff 1f40-1f90/ffff");
	free(got);
	got = elems_str(&r.ir->chain[0].rule[1].match[0]);
	assert_string_equal(got, "0035-0035/ffff 14e9-14e9/ffff 0001-0009/ffff");
	free(got);
	/* defines are expanded in the text, sets flattened, ports as
	 * numbers; a set with a range in it sorted, as nft lists it */
	assert_non_null(strstr(r.ir->text,
		"\t\tip saddr 192.0.2.0/24 tcp dport { 22, 80, 443, 8000-8080 } accept\n"
		"\t\tudp dport { 1-9, 53, 5353 } drop\n"));
	release(&r);

	/* a define is visible in its block only */
	compile(&r, "table ip a {\n\tdefine x = 1\n}\n"
		    "table ip b {\n\tchain c {\n\t\ttcp dport $x\n\t}\n}\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_string_equal(r.msgs,
		"t.conf:6:13-14: Error: unknown identifier 'x'\n"
		"\t\ttcp dport $x\n"
		"\t\t          ^^\n");
	release(&r);

	/* sibling blocks may use the same name; an inner block may not
	 * redefine an outer name (nft: "redefinition of symbol") */
	compile(&r, "table ip a {\n\tdefine x = 1\n}\n"
		    "table ip b {\n\tdefine x = 2\n\tchain c {\n\t\ttcp dport $x\n\t}\n}\n");
	assert_string_equal(r.msgs, "");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->chain[0].rule[0].match[0].elem[0].lo[1], 2);
	release(&r);
	compile(&r, "define x = 1\ntable ip b {\n\tchain c {\n\t\tdefine x = 2\n\t}\n}\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_non_null(strstr(r.msgs, "t.conf:4:10: Error: redefinition of symbol 'x'\n"));
	release(&r);

	/* a define sees only what was defined before it */
	compile(&r, "define a = $b\ndefine b = 1\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_non_null(strstr(r.msgs, "t.conf:1:12-13: Error: unknown identifier 'b'\n"));
	release(&r);
}

static void test_chains(void **state)
{
	static const char text[] =
		"flush ruleset\n"
		"table netdev edge {\n"
		"\tchain in {\n"
		"\t\ttype filter hook ingress device veth0 priority filter + 10; policy drop;\n"
		"\t\tip saddr 192.0.2.1 counter accept\n"
		"\t\tdrop\n"
		"\t}\n"
		"\tchain out {\n"
		"\t\ttype filter hook egress device \"veth1\" priority -5;\n"
		"\t\tcounter packets 7 bytes 700\n"
		"\t}\n"
		"}\n"
		"table t {\n"
		"\tchain i {\n"
		"\t\ttype filter hook input priority raw - 1\n"
		"\t\ttcp dport 22 accept comment \"ssh\"\n"
		"\t}\n"
		"\tchain o {\n"
		"\t\ttype filter hook output priority security\n"
		"\t}\n"
		"\tchain user {\n"
		"\t}\n"
		"}\n"
		"table ip6 t {\n\tchain m {\n\t\ttype filter hook input priority mangle; policy accept\n\t}\n}\n";
	struct result r;
	const struct bw_ir_chain *c;

	compile(&r, text);
	assert_string_equal(r.msgs, "");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->nchain, 6);
	assert_int_equal(r.ir->nhandle, 5);

	c = &r.ir->chain[0];
	assert_string_equal(c->table, "edge");
	assert_string_equal(c->name, "in");
	assert_int_equal(c->family, BW_FAMILY_NETDEV);
	assert_int_equal(c->hook, BW_CHAIN_INGRESS);
	assert_string_equal(c->device, "veth0");
	assert_int_equal(c->priority, 10);
	assert_int_equal(c->policy, BW_VERDICT_DROP);
	assert_int_equal(c->loc.line, 3);
	assert_int_equal(c->nrule, 2);
	assert_int_equal(c->rule[0].handle, 1);
	assert_true(c->rule[0].counter);
	assert_int_equal(c->rule[0].verdict, BW_VERDICT_ACCEPT);
	assert_int_equal(c->rule[0].verdict_loc.line, 5);
	assert_int_equal(c->rule[0].verdict_loc.col, 30);
	assert_int_equal(c->rule[0].loc.line, 5);
	assert_int_equal(c->rule[0].loc.col, 3);
	assert_int_equal(c->rule[1].handle, 2);
	assert_int_equal(c->rule[1].nmatch, 0);
	assert_int_equal(c->rule[1].verdict, BW_VERDICT_DROP);

	c = &r.ir->chain[1];
	assert_int_equal(c->hook, BW_CHAIN_EGRESS);
	assert_string_equal(c->device, "veth1");
	assert_int_equal(c->priority, -5);
	assert_int_equal(c->policy, BW_VERDICT_ACCEPT);
	assert_int_equal(c->rule[0].handle, 3);
	assert_int_equal(c->rule[0].verdict, BW_VERDICT_CONTINUE);
	assert_int_equal(c->rule[0].counter_packets, 7);
	assert_int_equal(c->rule[0].counter_bytes, 700);

	c = &r.ir->chain[2];
	assert_string_equal(c->table, "t");
	assert_int_equal(c->family, BW_FAMILY_IP);
	assert_int_equal(c->hook, BW_CHAIN_INPUT);
	assert_null(c->device);
	assert_int_equal(c->priority, -301);
	assert_int_equal(c->rule[0].handle, 4);
	assert_int_equal(r.ir->chain[3].hook, BW_CHAIN_OUTPUT);
	assert_int_equal(r.ir->chain[3].priority, 50);
	assert_int_equal(r.ir->chain[4].hook, BW_CHAIN_NONE);
	assert_int_equal(r.ir->chain[5].family, BW_FAMILY_IP6);
	assert_int_equal(r.ir->chain[5].priority, -150);

	assert_string_equal(r.ir->text,
		"table netdev edge {\n"
		"\tchain in {\n"
		"\t\ttype filter hook ingress device \"veth0\" priority filter + 10; policy drop;\n"
		"\t\tip saddr 192.0.2.1 counter \x1f" "1\x1f accept\n"
		"\t\tdrop\n"
		"\t}\n"
		"\n"
		"\tchain out {\n"
		"\t\ttype filter hook egress device \"veth1\" priority filter - 5; policy accept;\n"
		"\t\tcounter \x1f" "3\x1f\n"
		"\t}\n"
		"}\n"
		"table ip t {\n"
		"\tchain i {\n"
		"\t\ttype filter hook input priority raw - 1; policy accept;\n"
		"\t\ttcp dport 22 accept comment \"ssh\"\n"
		"\t}\n"
		"\n"
		"\tchain o {\n"
		"\t\ttype filter hook output priority security; policy accept;\n"
		"\t}\n"
		"\n"
		"\tchain user {\n"
		"\t}\n"
		"}\n"
		"table ip6 t {\n"
		"\tchain m {\n"
		"\t\ttype filter hook input priority mangle; policy accept;\n"
		"\t}\n"
		"}\n");
	release(&r);
}

static void test_flush(void **state)
{
	struct result r;

	compile(&r, "table ip a {\n\tchain c {\n\t\tdrop\n\t}\n}\n"
		    "flush ruleset\n"
		    "table ip a {\n\tchain d {\n\t\taccept\n\t}\n}\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->nchain, 1);
	assert_string_equal(r.ir->chain[0].name, "d");
	assert_int_equal(r.ir->chain[0].rule[0].handle, 1);
	assert_int_equal(r.ir->nhandle, 2);
	assert_null(strstr(r.ir->text, "chain c"));
	release(&r);

	compile(&r, "");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->nchain, 0);
	assert_int_equal(r.ir->nhandle, 1);
	assert_string_equal(r.ir->text, "");
	release(&r);
}

struct err_case {
	const char *rule;	/* inside an inet input chain, on line 4 */
	const char *msg;	/* "col-col: Error: ..." */
};

static void test_errors(void **state)
{
	static const struct err_case cases[] = {
		{ "tcp dport 70000", "13-17: Error: Service out of range" },
		{ "ip saddr 192.0.2.0/33", "12-23: Error: Prefix length 33 is invalid for type of 32 bits width" },
		{ "tcp dport 90-80", "13-17: Error: Range has zero or negative size" },
		{ "tcp dport $nope", "13-17: Error: unknown identifier 'nope'" },
		{ "tcp dport 22 udp sport 53", "16-24: Error: conflicting protocols specified: tcp vs. udp" },
		{ "ip saddr 192.0.2.1 ip6 daddr ::1", "22-30: Error: conflicting protocols specified: ip vs. ip6" },
		{ "meta l4proto udp tcp dport 22", "20-28: Error: conflicting protocols specified: udp vs. tcp" },
		{ "tcp dport 22 meta l4proto udp", "16-27: Error: conflicting protocols specified: tcp vs. udp" },
		{ "ether type arp ip saddr 192.0.2.1", "18-25: Error: conflicting protocols specified: arp vs. ip" },
		{ "ip protocol 256", "15-17: Error: Protocol out of range" },
		{ "ip6 nexthdr udp tcp dport 1", "19-27: Error: conflicting protocols specified: udp vs. tcp" },
		{ "ip ttl 300", "10-12: Error: Value 300 exceeds valid range 0-255" },
		{ "tcp dport foo", "13-15: Error: unknown service \"foo\"" },
		{ "tcp flags syn|foo", "17-19: Error: unknown TCP flag \"foo\"" },
		{ "ip saddr 1.2.3.4.5", "12-20: Error: a concatenation is not valid here" },
		{ "ip bogus 1", "6-10: Error: unknown ip field \"bogus\"" },
		{ "meta secmark 1", "3-14: Error: meta secmark is not supported yet" },
		{ "tcp dport 22 jump x", "21: Error: unknown chain \"x\" in table inet t" },
		{ "ip6 saddr 2001:db8::/129", "13-26: Error: Prefix length 129 is invalid for type of 128 bits width" },
		{ "tcp dport 1 counter counter", "23-29: Error: only one counter per rule" },
		{ "ether saddr 1:2:3:4:5:6:7", "15-27: Error: invalid Ethernet address \"1:2:3:4:5:6:7\"" },
		/* the new fields' ranges and names, and nft's icmp check */
		{ "ip6 flowlabel 1048576", "17-23: Error: Value 1048576 exceeds valid range 0-1048575" },
		{ "tcp doff 16", "12-13: Error: Value 16 exceeds valid range 0-15" },
		{ "ip ecn foo", "10-12: Error: unknown ECN value \"foo\"" },
		{ "icmp type 3 icmp id 5", "15-21: Error: incompatible icmp match: rule has 3, need 8" },
		{ "icmp type { 8, 3 } icmp id 5", "22-28: Error: incompatible icmp match: rule has 3, need 8" },
		{ "icmpv6 type 1 icmpv6 sequence 5", "17-31: Error: incompatible icmp match: rule has 1, need 128" },
		{ "meta nftrace 1", "3-14: Error: meta nftrace is not supported yet" },
	};
	char text[512], want[512];
	struct result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\t%s\n\t}\n}\n",
			 cases[i].rule);
		snprintf(want, sizeof(want), "t.conf:4:%s\n\t\t%s\n", cases[i].msg,
			 cases[i].rule);
		compile(&r, text);
		assert_int_equal(r.rc, -EINVAL);
		assert_null(r.ir);
		if (strncmp(r.msgs, want, strlen(want)))
			print_error("%s:\n  got  %s  want %s", cases[i].rule, r.msgs, want);
		assert_memory_equal(r.msgs, want, strlen(want));
		release(&r);
	}
}

static void test_keep_going(void **state)
{
	struct result r;

	compile(&r, "table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n"
		    "\t\ttcp dport 70000\n\t\tudp dport 70001\n\t\ttcp dport 1-0\n\t}\n"
		    "\tchain c {\n\t}\n}\n");
	assert_int_equal(r.rc, -EINVAL);
	assert_non_null(strstr(r.msgs, "t.conf:4:13-17: Error: Service out of range"));
	assert_non_null(strstr(r.msgs, "t.conf:5:13-17: Error: Service out of range"));
	assert_non_null(strstr(r.msgs, "t.conf:6:13-15: Error: Range has zero or negative size"));
	assert_non_null(strstr(r.msgs, "t.conf:8:8: Error: chain \"c\" is defined twice in table inet t\n"));
	assert_non_null(strstr(r.msgs, "t.conf:2:8: Note: first defined here\n"));
	release(&r);
}

/* ---- round trip ---- */

static void initial(void *arg, uint32_t handle, uint64_t *packets,
		    uint64_t *bytes)
{
	const struct bw_ir *ir = arg;
	const struct bw_ir_rule *r = bw_ir_rule_by_handle(ir, handle, NULL);

	assert_non_null(r);
	*packets = r->counter_packets;
	*bytes = r->counter_bytes;
}

static void same_ir(const struct bw_ir *a, const struct bw_ir *b)
{
	assert_int_equal(a->nchain, b->nchain);
	assert_int_equal(a->nhandle, b->nhandle);
	for (uint32_t c = 0; c < a->nchain; c++) {
		const struct bw_ir_chain *x = &a->chain[c], *y = &b->chain[c];

		assert_string_equal(x->table, y->table);
		assert_string_equal(x->name, y->name);
		assert_int_equal(x->family, y->family);
		assert_int_equal(x->hook, y->hook);
		assert_true((!x->device && !y->device) ||
			    (x->device && y->device && !strcmp(x->device, y->device)));
		assert_int_equal(x->priority, y->priority);
		assert_int_equal(x->policy, y->policy);
		assert_int_equal(x->nrule, y->nrule);
		for (uint32_t r = 0; r < x->nrule; r++) {
			const struct bw_ir_rule *p = &x->rule[r], *q = &y->rule[r];

			assert_int_equal(p->handle, q->handle);
			assert_int_equal(p->counter, q->counter);
			assert_int_equal(p->counter_packets, q->counter_packets);
			assert_int_equal(p->counter_bytes, q->counter_bytes);
			assert_int_equal(p->verdict, q->verdict);
			assert_int_equal(p->nmatch, q->nmatch);
			for (uint32_t m = 0; m < p->nmatch; m++) {
				assert_int_equal(p->match[m].field, q->match[m].field);
				assert_int_equal(p->match[m].neg, q->match[m].neg);
				assert_int_equal(p->match[m].nelem, q->match[m].nelem);
				assert_memory_equal(p->match[m].elem, q->match[m].elem,
						    p->match[m].nelem * sizeof(struct bw_ir_elem));
			}
		}
	}
}

static const char roundtrip_src[] =
	"define ssh_port = 22\n"
	"define ports = { $ssh_port, 8000-8080 }\n"
	"define mask = syn | ack\n"
	"table netdev edge {\n"
	"\tchain ingress {\n"
	"\t\ttype filter hook ingress device \"veth0\" priority filter + 1; policy accept;\n"
	/* an interval set lists sorted (nft's order): written sorted here,
	 * so the listing gives the same IR, element for element */
	"\t\tip saddr 192.0.2.0/24 tcp dport { $ssh_port, 443, 8000-8080 } counter packets 3 bytes 180 accept\n"
	"\t\tip6 saddr != { ::1, 2001:db8::/32 } meta l4proto { tcp, udp } counter drop\n"
	"\t\ttcp flags & $mask == syn tcp flags != fin counter drop comment \"new\"\n"
	"\t\ttcp flags syn,ack tcp sport < 1024 tcp dport >= 0x10 drop\n"
	"\t\tether type ip6 ether saddr 02:00:00:00:00:01-02:00:00:00:00:ff icmpv6 type echo-request accept\n"
	"\t\tip dscp ef ip ttl != 64 ip length 100-200 ip version 4 icmp code 3 drop\n"
	"\t\tip protocol udp udp dport domain meta length > 1000 counter\n"
	"\t}\n"
	"\tchain egress {\n"
	"\t\ttype filter hook egress device \"veth0\" priority 0; policy drop;\n"
	"\t\tip daddr 203.0.113.7 tcp dport 25 drop\n"
	"\t}\n"
	"}\n"
	"table inet host {\n"
	"\tchain input {\n"
	"\t\ttype filter hook input priority 0; policy drop;\n"
	"\t\tip saddr & 255.255.0.0 == 10.1.0.0 accept\n"
	"\t\ttcp flags & (fin | syn | rst | ack) == syn counter accept\n"
	"\t\ttcp flags syn / fin,syn,rst,ack tcp flags syn,ack / syn,ack accept\n"
	"\t\tcomment \"only a comment\"\n"
	"\t}\n"
	"\tchain output {\n"
	"\t\ttype filter hook output priority security;\n"
	"\t}\n"
	"}\n"
	"table ip6 six {\n"
	"\tchain in {\n"
	"\t\ttype filter hook input priority raw;\n"
	"\t\tip6 nexthdr icmpv6 ip6 hoplimit 255 accept\n"
	"\t}\n"
	"}\n";

static char *render(const struct bw_ir *ir)
{
	char *t = bw_ir_text_render(ir->text, initial, (void *)ir);

	assert_non_null(t);
	return t;
}

static void test_roundtrip(void **state)
{
	struct result a, b, c;
	char *ta, *tb, *tc;

	compile(&a, roundtrip_src);
	assert_string_equal(a.msgs, "");
	assert_int_equal(a.rc, 0);
	ta = render(a.ir);
	assert_non_null(strstr(ta, "counter packets 3 bytes 180 accept"));
	assert_non_null(strstr(ta, "tcp flags & (syn | ack) == syn tcp flags != fin counter packets 0 bytes 0 drop comment \"new\""));
	/* a chain's comment is kept, first in the chain as nft lists it */
	assert_non_null(strstr(ta, "\tchain input {\n\t\tcomment \"only a comment\"\n"
			       "\t\ttype filter hook input"));

	compile(&b, ta);
	if (b.rc)
		print_error("%s\n%s", ta, b.msgs);
	assert_int_equal(b.rc, 0);
	same_ir(a.ir, b.ir);
	tb = render(b.ir);
	assert_string_equal(ta, tb);	/* the text is a fixed point */

	/* and once more, through the unrendered marker form's rendering */
	compile(&c, tb);
	assert_int_equal(c.rc, 0);
	same_ir(b.ir, c.ir);
	tc = render(c.ir);
	assert_string_equal(tb, tc);
	free(ta);
	free(tb);
	free(tc);
	release(&a);
	release(&b);
	release(&c);
}

/* nft itself must accept the normalized text (as root, in a network
 * namespace of its own: `nft -c` changes nothing, but stays off the host). */
static void test_nft_accepts(void **state)
{
	char path[] = "/tmp/bw-front-nft-XXXXXX", cmd[256];
	struct result a;
	char *t;
	FILE *f;
	int fd, rc;

	if (geteuid() != 0 || access("/usr/sbin/nft", X_OK) ||
	    system("unshare -n true 2>/dev/null")) {
		fprintf(stderr, "skip: nft check needs root, nft and unshare -n\n");
		skip();
	}
	compile(&a, roundtrip_src);
	assert_int_equal(a.rc, 0);
	t = render(a.ir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(t, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "unshare -n /usr/sbin/nft -c -f %s", path);
	rc = system(cmd);
	unlink(path);
	if (rc)
		print_error("nft rejected:\n%s", t);
	assert_int_equal(rc, 0);
	free(t);
	release(&a);
}

/* ---- packet specs ---- */

static void test_pkt_spec(void **state)
{
	struct bw_pkt_spec *s = NULL;
	struct bw_diags d;
	size_t len = 0;
	char *msgs = NULL;
	FILE *m;

	bw_diags_init(&d);
	assert_int_equal(bw_pkt_spec_parse("pkt",
		"egress device veth0 ip saddr 192.0.2.1 tcp dport ssh tcp flags syn|ack "
		"ip dscp 46 meta length 100 ether saddr 02:00:00:00:00:09", &d, &s), 0);
	assert_true(s->egress);
	assert_string_equal(s->device, "veth0");
	assert_int_equal(s->nfield, 6);
	assert_int_equal(s->field[0].field, BW_F_IP_SADDR);
	assert_memory_equal(s->field[0].val, "\xc0\x00\x02\x01", 4);
	assert_int_equal(s->field[0].loc.col, 21);
	assert_int_equal(s->field[1].field, BW_F_TCP_DPORT);
	assert_memory_equal(s->field[1].val, "\x00\x16", 2);
	assert_int_equal(s->field[2].field, BW_F_TCP_FLAGS);
	assert_int_equal(s->field[2].val[0], 0x12);
	assert_int_equal(s->field[3].val[0], 46);
	assert_memory_equal(s->field[4].val, "\x00\x00\x00\x64", 4);
	assert_memory_equal(s->field[5].val, "\x02\x00\x00\x00\x00\x09", 6);
	bw_pkt_spec_free(&s);
	assert_null(s);

	assert_int_equal(bw_pkt_spec_parse("pkt", "tcp flags syn,ack,fin", &d, &s), 0);
	assert_false(s->egress);
	assert_null(s->device);
	assert_int_equal(s->field[0].val[0], 0x13);
	bw_pkt_spec_free(&s);

	assert_int_equal(bw_pkt_spec_parse("pkt", "", &d, &s), 0);
	assert_int_equal(s->nfield, 0);
	bw_pkt_spec_free(&s);

	assert_int_equal(bw_pkt_spec_parse("pkt", "ingress ip6 saddr 2001:db8::1 tcp dport 1-2",
					   &d, &s), -EINVAL);
	assert_null(s);
	assert_int_equal(bw_pkt_spec_parse("pkt", "tcp dport 22 udp dport 53", &d, &s), -EINVAL);
	assert_int_equal(bw_pkt_spec_parse("pkt", "tcp dport 70000", &d, &s), -EINVAL);
	m = open_memstream(&msgs, &len);
	bw_diags_print(&d, m);
	fclose(m);
	assert_string_equal(msgs,
		"pkt:1:41-43: Error: a packet field takes a single value\n"
		"ingress ip6 saddr 2001:db8::1 tcp dport 1-2\n"
		"                                        ^^^\n"
		"pkt:1:14-22: Error: conflicting protocols specified: tcp vs. udp\n"
		"tcp dport 22 udp dport 53\n"
		"             ^^^^^^^^^\n"
		"pkt:1:11-15: Error: Service out of range\n"
		"tcp dport 70000\n"
		"          ^^^^^\n");
	free(msgs);
	bw_pkt_spec_free(&s);
	bw_diags_fini(&d);
}

/* ---- scale: many rules compile, quickly, with handles in order ---- */

static void test_many_rules(void **state)
{
	const unsigned n = 20000;
	size_t cap = (size_t)n * 64 + 256, len = 0;
	char *text = malloc(cap);
	struct timespec t0, t1;
	struct result r;
	double ms;

	assert_non_null(text);
	len += (size_t)snprintf(text + len, cap - len,
		"table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device \"veth0\" priority 0;\n");
	for (unsigned i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len,
			"\t\tip saddr 10.%u.%u.%u tcp dport %u counter drop\n",
			i >> 16 & 255, i >> 8 & 255, i & 255, i % 65536);
	snprintf(text + len, cap - len, "\t}\n}\n");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	compile(&r, text);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	fprintf(stderr, "%u rules: %.1f ms\n", n, ms);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->nhandle, n + 1);
	assert_int_equal(r.ir->chain[0].nrule, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(r.ir->chain[0].rule[i].handle, i + 1);
	assert_int_equal(r.ir->chain[0].rule[n - 1].loc.line, n + 3);
	free(text);
	release(&r);
}

/* add element: the new elements are checked as a file's would be */
static void test_add_elements(void **state)
{
	static const struct {
		const char *words, *msg;
	} cases[] = {
		{ "inet t iv { 198.51.100.0/24, 198.51.100.128/25 }",
		  "<elements>:1:30-46: Error: conflicting intervals specified\n" },
		{ "inet t cc { 192.0.2.0/24 . 1000-2000 }",
		  "<elements>:1:13-36: Error: a named set or map stores at most one prefix or range per element of a concatenation (bpfwall tests elements with more in the rule's code: literal sets only)\n" },
		{ "inet t m { 192.0.2.0/24 . 22-23 : accept }",
		  "<elements>:1:12-31: Error: a named set or map stores at most one prefix or range per element of a concatenation (bpfwall tests elements with more in the rule's code: literal sets only)\n" },
		{ "inet t iv { 198.51.100.0/25, 198.51.100.128/25 }", NULL },
		{ "inet t cc { 192.0.2.0/24 . 1000, 198.51.100.7 . 1000-2000 }", NULL },
	};
	struct bw_ir_setelem *e;
	struct result r;
	uint32_t si, n;
	size_t len;
	FILE *m;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		compile(&r, "table inet t {\n"
			    "\tset iv { type ipv4_addr; flags interval; }\n"
			    "\tset cc { type ipv4_addr . inet_service; flags interval; }\n"
			    "\tmap m { type ipv4_addr . inet_service : verdict; flags interval; }\n"
			    "}\n");
		assert_int_equal(r.rc, 0);
		free(r.msgs);
		r.msgs = NULL;
		e = NULL;
		n = 0;
		assert_int_equal(bw_compile_elements(r.ir, "<elements>", cases[i].words,
						     &r.d, &si, &e, &n),
				 cases[i].msg ? -EINVAL : 0);
		m = open_memstream(&r.msgs, &len);
		assert_non_null(m);
		bw_diags_print(&r.d, m);
		fclose(m);
		if (cases[i].msg) {
			assert_null(e);
			if (strncmp(r.msgs, cases[i].msg, strlen(cases[i].msg)))
				print_error("%s:\n  got  %s  want %s", cases[i].words,
					    r.msgs, cases[i].msg);
			assert_memory_equal(r.msgs, cases[i].msg, strlen(cases[i].msg));
		} else {
			assert_string_equal(r.msgs, "");
			assert_int_equal(n, 2);
		}
		free(e);
		release(&r);
	}
}

/* ---- literal sets: compares below BW_ANON_LOOKUP_MIN elements, a lookup
 * from it on; bw_compile_opts.anon_lookup_min moves the line ---- */

/* Is `tcp dport { 1, ..., n }` a lookup when compiled with min? */
static bool anon_is_lookup(unsigned n, uint32_t min)
{
	struct bw_compile_opts o = { .anon_lookup_min = min };
	const struct bw_ir_rule *rule;
	char text[1024];
	struct bw_diags d;
	struct bw_ir *ir = NULL;
	size_t len = 0;
	bool lookup = false;

	len += (size_t)snprintf(text + len, sizeof(text) - len,
		"table netdev t {\n\tchain c {\n\t\ttype filter hook ingress device \"veth0\" priority 0;\n\t\ttcp dport {");
	for (unsigned i = 1; i <= n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, " %u,", i);
	snprintf(text + len - 1, sizeof(text) - len + 1, " } drop\n\t}\n}\n");
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string_opts("t.conf", text, &o, &d, &ir), 0);
	rule = &ir->chain[0].rule[0];
	for (uint32_t i = 0; i < rule->nmatch; i++)
		lookup |= rule->match[i].lookup;
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	return lookup;
}

static void test_anon_threshold(void **state)
{
	assert_false(anon_is_lookup(BW_ANON_LOOKUP_MIN - 1, 0));
	assert_true(anon_is_lookup(BW_ANON_LOOKUP_MIN, 0));
	assert_true(anon_is_lookup(2, 1));
	assert_false(anon_is_lookup(128, UINT32_MAX));
}

/* nft's forms bpfwall once misread (issue 12): each means what nft
 * means, and the normalized text says it as nft lists it. */
static void test_nft_forms(void **state)
{
	struct result r;
	const struct bw_ir_rule *ru;

	compile(&r, "table netdev t {\n chain c {\n"
		"  udp dport 1 counter bytes 10 packets 2 drop\n"
		"  tcp flags ! fin,rst log prefix foo accept\n"
		"  vlan cfi 1 drop\n"
		"  icmp type redirect drop\n"
		"  tcp dport vmap { 25:accept, 26:drop }\n"
		" }\n}\n");
	assert_int_equal(r.rc, 0);
	ru = r.ir->chain[0].rule;
	assert_int_equal(ru[0].counter_packets, 2);
	assert_int_equal(ru[0].counter_bytes, 10);
	assert_int_equal(ru[1].match[0].field, BW_F_TCP_FLAGS);
	assert_false(ru[1].match[0].neg);
	assert_int_equal(ru[1].match[0].nelem, 1);
	assert_int_equal(ru[1].match[0].elem[0].lo[0], 0);
	assert_int_equal(ru[1].match[0].elem[0].mask[0], 0x05);
	assert_int_equal(ru[2].nmatch, 2);
	assert_int_equal(ru[2].match[0].field, BW_F_ETHER_TYPE);
	assert_int_equal(ru[2].match[0].elem[0].lo[0], 0x81);
	assert_int_equal(ru[2].match[1].field, BW_F_VLAN_DEI);
	assert_int_equal(ru[3].match[0].elem[0].lo[0], 5);
	assert_int_equal(r.ir->set[ru[4].vmap.set].nelem, 2);
	assert_non_null(strstr(r.ir->text, "tcp flags ! fin,rst log prefix \"foo\" accept"));
	assert_non_null(strstr(r.ir->text, "counter \x1f" "1\x1f drop"));
	release(&r);
}

/* Masks and prefixes as nft writes them, listed in nft's form. */
static void test_nft_masks(void **state)
{
	struct result r;
	const struct bw_ir_rule *ru;

	compile(&r, "table inet t {\n chain c {\n"
		"  type filter hook input priority 0; policy accept;\n"
		"  ip saddr & 0xff == 1 drop\n"
		"  meta mark 0xffffff00/24 drop\n"
		"  reject with icmpx 3\n"
		" }\n}\n");
	assert_int_equal(r.rc, 0);
	ru = r.ir->chain[0].rule;
	assert_int_equal(ru[0].match[0].elem[0].mask[3], 0xff);
	assert_int_equal(ru[0].match[0].elem[0].mask[2], 0);
	assert_int_equal(ru[0].match[0].elem[0].lo[3], 1);
	assert_int_equal(ru[1].match[0].elem[0].mask[0], 0xff);
	assert_int_equal(ru[1].match[0].elem[0].mask[3], 0);
	assert_int_equal(ru[2].reject.code, 13);	/* admin-prohibited */
	assert_int_equal(ru[2].reject.code6, 1);
	assert_non_null(strstr(r.ir->text, "ip saddr & 0.0.0.255 == 0.0.0.1 drop"));
	assert_non_null(strstr(r.ir->text, "meta mark & 0xffffff00 == 0xffffff00 drop"));
	assert_non_null(strstr(r.ir->text, "reject with icmpx admin-prohibited"));
	release(&r);
	/* a number is an address only under a mask; a prefix fits the width */
	compile(&r, "table netdev t {\n chain c {\n  ip saddr 1 drop\n"
		"  meta mark 1/33 drop\n }\n}\n");
	assert_int_equal(r.rc, -EINVAL);
	release(&r);
}

static void test_compile_file(void **state)
{
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	bw_diags_init(&d);
	assert_int_equal(bw_compile_file("/nonexistent/bpfwall.conf", &d, &ir), -ENOENT);
	assert_null(ir);
	assert_int_equal(d.nerrors, 1);
	bw_diags_fini(&d);
}

/* add, update, delete @s { KEY }: the IR statement, the set marked as
 * nft marks it (size 65535 when none given, flags dynamic) */
static void test_dynset(void **state)
{
	struct result r;
	const struct bw_ir_rule *ru;
	const struct bw_ir_dynset *d;

	(void)state;
	compile(&r, "table inet t {\n"
		" set s { type ipv4_addr . inet_service; }\n"
		" set k { type ipv6_addr; size 3; }\n"
		" set u { type ipv4_addr; }\n"
		" chain c {\n"
		"  type filter hook input priority 0; policy accept;\n"
		"  add @s { ip saddr . tcp dport } accept\n"
		"  delete @k { ip6 daddr }\n"
		"  update @s { ip daddr . tcp sport }\n"
		" }\n}\n");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->ndynset, 3);
	ru = r.ir->chain[0].rule;
	assert_int_equal(ru[0].nstmt, 1);
	assert_int_equal(ru[0].stmt[0].kind, BW_STMT_DYNSET);
	d = &r.ir->dynset[ru[0].stmt[0].index];
	assert_int_equal(d->op, BW_DYNSET_ADD);
	assert_int_equal(d->key.set, 0);
	assert_int_equal(d->key.nfield, 2);
	assert_int_equal(d->key.fields[0], BW_F_IP_SADDR);
	assert_int_equal(d->key.fields[1], BW_F_TCP_DPORT);
	assert_int_equal(r.ir->dynset[ru[1].stmt[0].index].op, BW_DYNSET_DELETE);
	assert_int_equal(r.ir->dynset[ru[2].stmt[0].index].op, BW_DYNSET_UPDATE);
	assert_true(r.ir->set[0].dynamic);
	assert_int_equal(r.ir->set[0].size, 65535);
	assert_true(r.ir->set[1].dynamic);
	assert_int_equal(r.ir->set[1].size, 3);	/* given: kept */
	assert_false(r.ir->set[2].dynamic);
	assert_int_equal(r.ir->set[2].size, 0);
	assert_non_null(strstr(r.ir->text, "\t\tsize 65535\n\t\tflags dynamic\n"));
	assert_non_null(strstr(r.ir->text, "\t\tsize 3\n\t\tflags dynamic\n"));
	assert_non_null(strstr(r.ir->text, "add @s { ip saddr . tcp dport } accept"));
	assert_non_null(strstr(r.ir->text, "delete @k { ip6 daddr }"));
	release(&r);
	/* an interval set: refused, as nft refuses it */
	compile(&r, "table ip t {\n set i { type ipv4_addr; flags interval; }\n"
		" chain c {\n  add @i { ip saddr }\n }\n}\n");
	assert_int_not_equal(r.rc, 0);
	assert_non_null(strstr(r.msgs, "@i has flags interval"));
	release(&r);
}

/* Which netdev chains go to nf_tables' netdev family
 * (compiler/front/nfnetdev.c): those that need the kernel, and the base
 * chains that reach one through a jump, a goto or a verdict map; the
 * others, and the inet chains, stay as they were. */
static void test_netdev_nft(void **state)
{
	static const char text[] =
		"table netdev t {\n"
		"\tchain bpf {\n\t\ttype filter hook ingress device \"lo\" priority 0;\n"
		"\t\tip saddr 192.0.2.1 drop\n\t\tjump plain\n\t}\n"
		"\tchain viajump {\n\t\ttype filter hook ingress device \"lo\" priority 1;\n"
		"\t\tip saddr 192.0.2.2 jump deep\n\t}\n"
		"\tchain viavmap {\n\t\ttype filter hook egress device \"lo\" priority 0;\n"
		"\t\ttcp dport vmap { 22 : goto kernel }\n\t}\n"
		"\tchain egmark {\n\t\ttype filter hook egress device \"lo\" priority 1;\n"
		"\t\tmeta mark set 0x2a\n\t}\n"
		"\tchain inmark {\n\t\ttype filter hook ingress device \"lo\" priority 2;\n"
		"\t\tmeta mark set 0x2a\n\t}\n"
		"\tchain plain {\n\t\tcounter\n\t}\n"
		"\tchain deep {\n\t\tjump kernel\n\t}\n"
		"\tchain kernel {\n\t\tmeta skuid 0 accept\n\t}\n"
		"}\n"
		"table inet i {\n\tchain in {\n\t\ttype filter hook input priority 0;\n"
		"\t\tmeta skuid 0 accept\n\t}\n}\n";
	static const struct { const char *name; bool nft; unsigned line; } want[] = {
		{ "bpf", false, 0 }, { "viajump", true, 30 }, { "viavmap", true, 30 },
		{ "egmark", false, 0 }, { "inmark", true, 21 }, { "plain", false, 0 },
		{ "deep", false, 0 }, { "kernel", true, 30 }, { "in", false, 0 },
	};
	struct result r;

	(void)state;
	compile(&r, text);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.ir->nchain, sizeof(want) / sizeof(want[0]));
	for (uint32_t c = 0; c < r.ir->nchain; c++) {
		assert_string_equal(r.ir->chain[c].name, want[c].name);
		assert_int_equal(r.ir->chain[c].nft, want[c].nft);
		if (want[c].nft)
			assert_int_equal(r.ir->chain[c].nft_why.line, want[c].line);
	}
	release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_defines),
		cmocka_unit_test(test_chains),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_keep_going),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_nft_accepts),
		cmocka_unit_test(test_pkt_spec),
		cmocka_unit_test(test_many_rules),
		cmocka_unit_test(test_add_elements),
		cmocka_unit_test(test_anon_threshold),
		cmocka_unit_test(test_compile_file),
		cmocka_unit_test(test_nft_forms),
		cmocka_unit_test(test_nft_masks),
		cmocka_unit_test(test_dynset),
		cmocka_unit_test(test_netdev_nft),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
