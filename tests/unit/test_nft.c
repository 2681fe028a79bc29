// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nf_tables back end without a kernel: the plans of tests/nft/NAME.conf
 * against their goldens (tests/nft/NAME.payload, nft --debug=netlink style;
 * tests/e2e/nft-oracle.sh checks the same files against nft in the
 * kernel; BW_GOLDEN_UPDATE=1 rewrites them), which chains and sets go,
 * names, handles, the keeper, interfaces, limits, and the errors with
 * their locations.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>
#include <libmnl/libmnl.h>
#include <arpa/inet.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>

#include "compiler/front/compile.h"
#include "compiler/nft/nft.h"
#include "compiler/nft/nft_bitwise.h"
#include "tests/lib/golden.h"

#ifndef BW_NFT_DIR
#define BW_NFT_DIR "tests/nft"
#endif

struct built {
	struct bw_diags d;
	struct bw_ir *ir;
	struct bw_nft_plan *p;
	int rc;
	char *msgs;		/* the diagnostics, printed */
	char *text;		/* the plan, printed */
};

/* in: NULL sends every inet/ip/ip6 base chain; else the chains named
 * there ("input,other"). */
static void build(struct built *b, const char *text, const char *in)
{
	size_t len = 0;
	bool *sel;
	FILE *m;

	memset(b, 0, sizeof(*b));
	bw_diags_init(&b->d);
	b->d.max_print = 100;
	b->rc = bw_compile_string("t.conf", text, &b->d, &b->ir);
	assert_int_equal(b->rc, 0);
	sel = calloc(b->ir->nchain + 1, sizeof(*sel));
	assert_non_null(sel);
	for (uint32_t c = 0; c < b->ir->nchain; c++) {
		const struct bw_ir_chain *ch = &b->ir->chain[c];
		char pat[80];

		snprintf(pat, sizeof(pat), ",%s,", ch->name);
		if (in) {
			char all[256];

			snprintf(all, sizeof(all), ",%s,", in);
			sel[c] = strstr(all, pat) != NULL;
		} else {
			/* netdev chains: those nf_tables' netdev family runs */
			sel[c] = ch->hook != BW_CHAIN_NONE &&
				 (ch->family != BW_FAMILY_NETDEV || ch->nft);
		}
	}
	b->rc = bw_nft_build(b->ir, sel, "bwo", &b->d, &b->p);
	free(sel);
	m = open_memstream(&b->msgs, &len);
	assert_non_null(m);
	bw_diags_print(&b->d, m);
	fclose(m);
	if (b->p)
		b->text = bw_nft_plan_print(b->p);
}

static void release(struct built *b)
{
	bw_nft_plan_free(&b->p);
	assert_null(b->p);
	bw_ir_free(&b->ir);
	bw_diags_fini(&b->d);
	free(b->msgs);
	free(b->text);
}

/* ---- the goldens ---- */

static void golden(const char *name)
{
	char conf[512], path[512], *text;
	struct built b;

	snprintf(conf, sizeof(conf), "%s/%s.conf", BW_NFT_DIR, name);
	snprintf(path, sizeof(path), "%s/%s.payload", BW_NFT_DIR, name);
	text = bw_t_read_all(conf);
	assert_non_null(text);
	build(&b, text, NULL);
	if (b.rc)
		fail_msg("%s: %s", conf, b.msgs);
	assert_non_null(b.text);
	bw_golden_check(path, b.text, "the plan's lines");
	/* every rule of the file is there, each with its handle */
	for (uint32_t c = 0, n = 0; c < b.ir->nchain; c++) {
		for (uint32_t r = 0; r < b.ir->chain[c].nrule; r++, n++) {
			const struct bw_nft_rule *pr = &b.p->rules[n];
			uint32_t len = 0;
			const void *ud = nftnl_rule_get_data(pr->r, NFTNL_RULE_USERDATA, &len);

			assert_true(n < b.p->nrule);
			assert_int_equal(pr->handle, b.ir->chain[c].rule[r].handle);
			assert_int_equal(bw_nft_udata_handle(ud, len), pr->handle);
			assert_int_equal(pr->loc.line, b.ir->chain[c].rule[r].loc.line);
		}
	}
	free(text);
	release(&b);
}

static void golden_payload(void **s) { golden("payload"); }
static void golden_meta(void **s) { golden("meta"); }
static void golden_sets(void **s) { golden("sets"); }
static void golden_stmts(void **s) { golden("stmts"); }
static void golden_families(void **s) { golden("families"); }
static void golden_bridge_arp(void **s) { golden("bridge-arp"); }
static void golden_nfnetdev(void **s) { golden("nfnetdev"); }
static void golden_nat(void **s) { golden("nat"); }
static void golden_setf(void **s) { golden("setf"); }
static void golden_bytes(void **s) { golden("bytes"); }
static void golden_headers(void **s) { golden("headers"); }
static void golden_socket(void **s) { golden("socket"); }
static void golden_fib(void **s) { golden("fib"); }
static void golden_osf(void **s) { golden("osf"); }
static void golden_ct(void **s) { golden("ct"); }
static void golden_ctset(void **s) { golden("ctset"); }
static void golden_tcpopt(void **s) { golden("tcpopt"); }
static void golden_log(void **s) { golden("log"); }
static void golden_tcpopt_set(void **s) { golden("tcpopt-set"); }
static void golden_objects(void **s) { golden("objects"); }

static void golden_hdrset(void **s) { golden("hdrset"); }
static void golden_hdrset_icmp(void **s) { golden("hdrset-icmp"); }
static void golden_hdrset_rmw(void **s) { golden("rmw/hdrset-rmw"); }
static void golden_brmeta(void **s) { golden("rmw/brmeta"); }
static void golden_rawpay(void **s) { golden("rawpay"); }
static void golden_valexpr(void **s) { golden("valexpr"); }
static void golden_tproxy(void **s) { golden("tproxy"); }
static void golden_xfrm(void **s) { golden("xfrm"); }
static void golden_dup(void **s) { golden("dup"); }
static void golden_ah6(void **s) { golden("ah6"); }
static void golden_icmpx(void **s) { golden("icmpx"); }
static void golden_concat(void **s) { golden("concat"); }
static void golden_concat_raw(void **s) { golden("concat-raw"); }
static void golden_vmapthen(void **s) { golden("vmapthen"); }
static void golden_vmapnat(void **s) { golden("vmapnat"); }
static void golden_datamap(void **s) { golden("datamap"); }
static void golden_datamap6(void **s) { golden("datamap6"); }
static void golden_mapadd(void **s) { golden("mapadd"); }
static void golden_mapcat(void **s) { golden("mapcat"); }
static void golden_mapcat6(void **s) { golden("newer/mapcat6"); }
static void golden_dscp6(void **s) { golden("dscp6"); }
static void golden_natmap_range(void **s) { golden("natmap-range"); }
static void golden_regop(void **s) { golden("newer/regop"); }
static void golden_rtmtu(void **s) { golden("rtmtu"); }
static void golden_flowtable(void **s) { golden("flowtable"); }
static void golden_nfnetdev_arp(void **s) { golden("nfnetdev-arp"); }
static void golden_regop_iif(void **s) { golden("newer/regop-iif"); }
static void golden_vlanmap(void **s) { golden("vlanmap"); }
static void golden_vlanmap_named(void **s) { golden("vlanmap-named"); }
static void golden_rawll(void **s) { golden("rawll"); }
static void golden_tunnel(void **s) { golden("newer/tunnel"); }
static void golden_broute(void **s) { golden("rmw/broute"); }
static void golden_tproxy_map(void **s) { golden("tproxy-map"); }
static void golden_ibrhwaddr(void **s) { golden("rmw/ibrhwaddr"); }

/* meta broute set: the meta expression's key is nft 1.1's
 * NFT_META_BRI_BROUTE (libnftnl 1.2 prints it as "unknown") */
static int meta_key_of(struct nftnl_expr *e, void *arg)
{
	if (!strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "meta"))
		*(uint32_t *)arg = nftnl_expr_get_u32(e, NFTNL_EXPR_META_KEY);
	return 0;
}

static void broute_key(void **s)
{
	struct built b;
	uint32_t key = 0;

	(void)s;
	build(&b, "table bridge t {\n\tchain p {\n\t\ttype filter hook prerouting priority 0;\n"
		  "\t\tmeta broute set 1\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, 0);
	assert_true(b.p->nrule >= 1);
	nftnl_expr_foreach(b.p->rules[0].r, meta_key_of, &key);
	assert_int_equal(key, 35);
	release(&b);
}

/* ether daddr set meta ibrhwaddr: NFT_META_BRI_IIFHWADDR's load */
static void ibrhwaddr_key(void **s)
{
	struct built b;
	uint32_t key = 0;

	(void)s;
	build(&b, "table bridge t {\n\tchain p {\n\t\ttype filter hook prerouting priority 0;\n"
		  "\t\tether daddr set meta ibrhwaddr\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, 0);
	assert_true(b.p->nrule >= 1);
	nftnl_expr_foreach(b.p->rules[0].r, meta_key_of, &key);
	assert_int_equal(key, 37);
	release(&b);
}

/* Two tables of a family with a flowtable of one name: the second is
 * TABLE.NAME in bpfwall's table, and its rule's flow_offload names that;
 * a flowtable no sent rule uses is not sent. */
static void flowtable_names(void **s)
{
	static const char text[] =
		"table inet a {\n\tflowtable ft {\n\t\thook ingress priority 0\n\t}\n"
		"\tflowtable unused {\n\t\thook ingress priority 0\n\t}\n"
		"\tchain f {\n\t\ttype filter hook forward priority 0;\n\t\tflow add @ft\n\t}\n}\n"
		"table inet b {\n\tflowtable ft {\n\t\thook ingress priority 1\n\t}\n"
		"\tchain g {\n\t\ttype filter hook forward priority 0;\n\t\tflow add @ft\n\t}\n}\n";
	struct built b;

	(void)s;
	build(&b, text, NULL);
	assert_int_equal(b.rc, 0);
	assert_int_equal(b.p->nflowtable, 2);
	assert_non_null(strstr(b.text, "flow table bwo ft use 0 size 0 flags 0 hook prerouting prio 0"));
	assert_non_null(strstr(b.text, "flow table bwo b.ft use 0 size 0 flags 0 hook prerouting prio 1"));
	assert_non_null(strstr(b.text, "inet bwo g handle 2\n  [ flow_offload flowtable b.ft ]"));
	assert_null(strstr(b.text, "unused"));
	assert_int_equal(b.p->flowtable_loc[1].line, 14);
	release(&b);
}
static void golden_srh(void **s) { golden("srh"); }
static void golden_settimeout(void **s) { golden("settimeout"); }

/* ---- what goes ---- */

static const char two_chains[] =
	"table inet a {\n"
	"\tset s {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.1 }\n\t}\n\n"
	"\tset unused {\n\t\ttype ipv4_addr\n\t\telements = { 192.0.2.2 }\n\t}\n\n"
	"\tchain sub {\n\t\tip saddr @s drop\n\t}\n"
	"\tchain other {\n\t\tcounter\n\t}\n"
	"\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n"
	"\t\tjump sub\n\t\ttcp dport 22 reject with tcp reset\n\t}\n"
	"\tchain output {\n\t\ttype filter hook output priority 0; policy accept;\n"
	"\t\tjump other\n\t}\n"
	"}\n";

static void closure(void **s)
{
	struct built b;

	build(&b, two_chains, "input");
	assert_int_equal(b.rc, 0);
	assert_int_equal(b.p->ntable, 1);
	assert_int_equal(b.p->families, 1u << BW_FAMILY_INET);
	/* input and what it jumps to, with its set; not output, other, unused */
	assert_int_equal(b.p->nchain, 2);
	assert_string_equal(nftnl_chain_get_str(b.p->chains[0], NFTNL_CHAIN_NAME), "sub");
	assert_string_equal(nftnl_chain_get_str(b.p->chains[1], NFTNL_CHAIN_NAME), "input");
	assert_false(nftnl_chain_is_set(b.p->chains[0], NFTNL_CHAIN_HOOKNUM));
	assert_true(nftnl_chain_is_set(b.p->chains[1], NFTNL_CHAIN_HOOKNUM));
	assert_int_equal(b.p->nset, 1);
	assert_string_equal(nftnl_set_get_str(b.p->sets[0], NFTNL_SET_NAME), "s");
	assert_int_equal(b.p->nrule, 3);
	assert_non_null(strstr(b.text, "[ reject type 1 code 0 ]"));
	assert_non_null(strstr(b.text, "[ immediate reg 0 jump -> sub ]"));
	assert_null(strstr(b.text, "other"));
	assert_false(bw_nft_plan_empty(b.p));
	release(&b);

	/* nothing handed over: an empty plan */
	memset(&b, 0, sizeof(b));
	bw_diags_init(&b.d);
	assert_int_equal(bw_compile_string("t.conf", two_chains, &b.d, &b.ir), 0);
	assert_int_equal(bw_nft_build(b.ir, NULL, "bwo", &b.d, &b.p), 0);
	assert_true(bw_nft_plan_empty(b.p));
	assert_int_equal(b.p->nchain + b.p->nset + b.p->nrule, 0);
	bw_nft_plan_free(&b.p);
	assert_int_equal(bw_nft_build(b.ir, NULL, "", &b.d, &b.p), -EINVAL);
	assert_null(b.p);
	release(&b);
}

/* Two tables of one family send a chain (a set) of one name: TABLE.NAME. */
static void names(void **s)
{
	static const char text[] =
		"table inet a {\n"
		"\tset s {\n\t\ttype inet_service\n\t\telements = { 22 }\n\t}\n\n"
		"\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\ttcp dport @s reject\n\t}\n"
		"\tchain only_a {\n\t\ttype filter hook output priority 0; policy accept;\n\t}\n"
		"}\n"
		"table inet b {\n"
		"\tset s {\n\t\ttype inet_service\n\t\telements = { 23 }\n\t}\n\n"
		"\tchain input {\n\t\ttype filter hook input priority 10; policy accept;\n"
		"\t\ttcp dport @s drop\n\t}\n"
		"}\n"
		"table ip a {\n"
		"\tchain input {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n"
		"}\n";
	struct built b;

	build(&b, text, NULL);
	assert_int_equal(b.rc, 0);
	assert_int_equal(b.p->ntable, 2);
	assert_int_equal(b.p->nchain, 4);
	assert_string_equal(nftnl_chain_get_str(b.p->chains[0], NFTNL_CHAIN_NAME), "a.input");
	assert_string_equal(nftnl_chain_get_str(b.p->chains[1], NFTNL_CHAIN_NAME), "only_a");
	assert_string_equal(nftnl_chain_get_str(b.p->chains[2], NFTNL_CHAIN_NAME), "b.input");
	/* another family: no clash */
	assert_string_equal(nftnl_chain_get_str(b.p->chains[3], NFTNL_CHAIN_NAME), "input");
	assert_int_equal(b.p->nset, 2);
	assert_string_equal(nftnl_set_get_str(b.p->sets[0], NFTNL_SET_NAME), "a.s");
	assert_string_equal(nftnl_set_get_str(b.p->sets[1], NFTNL_SET_NAME), "b.s");
	assert_non_null(strstr(b.text, "lookup reg 1 set a.s"));
	assert_non_null(strstr(b.text, "lookup reg 1 set b.s"));
	for (uint32_t i = 0; i < b.p->nrule; i++)
		assert_string_equal(nftnl_rule_get_str(b.p->rules[i].r, NFTNL_RULE_TABLE), "bwo");
	release(&b);
}

/* ---- the keeper ---- */

static void keeper(void **s)
{
	struct bw_nft_plan *p = NULL;
	char *text;

	assert_int_equal(bw_nft_plan_new("bpfwall", &p), 0);
	assert_true(bw_nft_plan_empty(p));
	assert_int_equal(bw_nft_plan_ct_keeper(p, BW_FAMILY_INET), 0);
	assert_int_equal(bw_nft_plan_ct_keeper(p, BW_FAMILY_INET), -EEXIST);
	assert_int_equal(bw_nft_plan_ct_keeper(p, BW_FAMILY_NETDEV), -EINVAL);
	assert_int_equal(bw_nft_plan_ct_keeper(p, BW_FAMILY_IP6), 0);
	assert_false(bw_nft_plan_empty(p));
	assert_int_equal(p->ntable, 2);
	assert_int_equal(p->nchain, 2);
	assert_int_equal(p->nrule, 2);
	for (uint32_t i = 0; i < p->nchain; i++) {
		assert_string_equal(nftnl_chain_get_str(p->chains[i], NFTNL_CHAIN_NAME),
				    BW_NFT_CT_KEEPER);
		/* no hook: nothing runs it */
		assert_false(nftnl_chain_is_set(p->chains[i], NFTNL_CHAIN_HOOKNUM));
	}
	assert_int_equal(p->rules[0].handle, 0);
	text = bw_nft_plan_print(p);
	assert_non_null(text);
	assert_non_null(strstr(text, "inet bpfwall bpfwall_ct_keeper\n"
				     "  [ ct load state => reg 1 ]\n"
				     "  [ bitwise reg 1 = ( reg 1 & 0x00000001 ) ^ 0x00000000 ]\n"
				     "  [ cmp neq reg 1 0x00000000 ]\n"));
	/* no verdict */
	assert_null(strstr(text, "immediate"));
	free(text);
	bw_nft_plan_free(&p);
	assert_null(p);
	bw_nft_plan_free(&p);
}

/* A keeper next to a ruleset's chains, in the same table. */
static void keeper_in_plan(void **s)
{
	struct built b;

	build(&b, two_chains, "input");
	assert_int_equal(b.rc, 0);
	assert_int_equal(bw_nft_plan_ct_keeper(b.p, BW_FAMILY_INET), 0);
	assert_int_equal(b.p->ntable, 1);
	assert_int_equal(b.p->nchain, 3);
	release(&b);
}

/* ---- values the IR keeps its own way ---- */

static const char *rule_text(const struct built *b, uint32_t handle)
{
	static char buf[4096];
	char head[64];
	const char *p, *end;

	snprintf(head, sizeof(head), " handle %u\n", handle);
	p = strstr(b->text, head);
	assert_non_null(p);
	p += strlen(head);
	end = strstr(p, "\n\n");
	if (!end)
		end = p + strlen(p) - (p[0] && p[strlen(p) - 1] == '\n');
	snprintf(buf, sizeof(buf), "%.*s", (int)(end - p), p);
	return buf;
}

static void limits(void **s)
{
	static const char text[] =
		"table ip t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\tlimit rate 60/minute\n"
		"\t\tlimit rate 7/minute burst 3 packets\n"
		"\t\tlimit rate over 3/second\n"
		"\t\tlimit rate 90/hour\n"
		"\t}\n}\n";
	struct built b;

	build(&b, text, NULL);
	assert_int_equal(b.rc, 0);
	/* the same cost a packet and bucket: what the kernel computes */
	assert_string_equal(rule_text(&b, 1),
			    "  [ limit rate 1/second burst 5 type packets flags 0x0 ]");
	assert_string_equal(rule_text(&b, 2),
			    "  [ limit rate 7/minute burst 3 type packets flags 0x0 ]");
	assert_string_equal(rule_text(&b, 3),
			    "  [ limit rate 3/second burst 5 type packets flags 0x1 ]");
	assert_string_equal(rule_text(&b, 4),
			    "  [ limit rate 90/hour burst 5 type packets flags 0x0 ]");
	release(&b);
}

/* last: never used, or used a time ago; objects of a table whose chains
 * stay in BPF are not sent, nor of another family */
static void last_and_objects(void **s)
{
	static const char text[] =
		"table ip t {\n\tcounter c1 { }\n"
		"\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\tlast\n"
		"\t\tlast used 300s\n"
		"\t\tlast used never\n"
		"\t\tcounter name \"c1\"\n"
		"\t}\n}\n"
		"table ip6 u {\n\tcounter c1 { }\n\tquota q { 1 kbytes }\n}\n";
	struct built b;

	build(&b, text, NULL);
	assert_int_equal(b.rc, 0);
	assert_string_equal(rule_text(&b, 1), "  [ last never ]");
	assert_string_equal(rule_text(&b, 2), "  [ last 300000 ]");
	assert_string_equal(rule_text(&b, 3), "  [ last never ]");
	assert_string_equal(rule_text(&b, 4), "  [ objref type 1 name c1 ]");
	assert_int_equal(b.p->nobj, 1);
	release(&b);
}

static void interfaces(void **s)
{
	static const char text[] =
		"table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\tiif \"lo\" accept\n"
		"\t\tiif { \"lo\", \"bwt0\" } accept\n"
		"\t\tiif != \"bwt1\" accept\n"
		"\t}\n}\n";
	struct built b;

	build(&b, text, NULL);
	assert_int_equal(b.rc, 0);
	assert_int_equal(b.p->nifref, 4);
	assert_string_equal(b.p->ifrefs[0].name, "lo");
	assert_non_null(b.p->ifrefs[0].cmp);
	assert_null(b.p->ifrefs[0].elem);
	assert_int_equal(b.p->ifrefs[0].loc.line, 4);
	assert_string_equal(b.p->ifrefs[1].name, "lo");
	assert_non_null(b.p->ifrefs[1].elem);
	assert_string_equal(b.p->ifrefs[2].name, "bwt0");
	assert_non_null(b.p->ifrefs[2].elem);
	assert_string_equal(b.p->ifrefs[3].name, "bwt1");
	assert_string_equal(rule_text(&b, 3),
			    "  [ meta load iif => reg 1 ]\n"
			    "  [ cmp neq reg 1 0x00000000 ]\n"
			    "  ; the index of interface \"bwt1\"\n"
			    "  [ immediate reg 0 accept ]");
	assert_non_null(strstr(b.text, "keytype 20 keylen 4 size 2\n"));
	release(&b);
}

/* The IR's `tcp flags 0` is "no flag set" (bpfwall); nft 1.0.6 sends a
 * test that never holds for it.  The plan keeps the IR's meaning. */
static void flags_zero(void **s)
{
	static const char text[] =
		"table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\ttcp flags 0 drop\n"
		"\t}\n}\n";
	struct built b;

	build(&b, text, NULL);
	assert_int_equal(b.rc, 0);
	assert_non_null(strstr(rule_text(&b, 1),
				"  [ payload load 1b @ transport header + 13 => reg 1 ]\n"
				"  [ cmp eq reg 1 0x00000000 ]\n"));
	release(&b);
}

/* After a counter, a match stays after it (what the counter counts). */
static void order(void **s)
{
	static const char text[] =
		"table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\tcounter tcp dport 22 log prefix \"x\" tcp sport 1 drop\n"
		"\t}\n}\n";
	struct built b;

	build(&b, text, NULL);
	assert_int_equal(b.rc, 0);
	assert_string_equal(rule_text(&b, 1),
			    "  [ counter pkts 0 bytes 0 ]\n"
			    "  [ meta load l4proto => reg 1 ]\n"
			    "  [ cmp eq reg 1 0x00000006 ]\n"
			    "  [ payload load 2b @ transport header + 2 => reg 1 ]\n"
			    "  [ cmp eq reg 1 0x00001600 ]\n"
			    "  [ log prefix x ]\n"
			    "  [ payload load 2b @ transport header + 0 => reg 1 ]\n"
			    "  [ cmp eq reg 1 0x00000100 ]\n"
			    "  [ immediate reg 0 drop ]");
	release(&b);
}

/* ---- errors, at their locations ---- */

static void errors(void **s)
{
	struct built b;

	/* netdev chains stay in XDP/TC */
	build(&b, "table netdev n {\n\tchain i {\n\t\ttype filter hook ingress device \"lo\" priority 0; policy accept;\n\t\tdrop\n\t}\n}\n",
	      "i");
	assert_int_equal(b.rc, -EINVAL);
	assert_null(b.p);
	if (!strstr(b.msgs, "t.conf:2:2-10: Error: chain i cannot be handed to nf_tables"))
		fail_msg("%s", b.msgs);
	release(&b);

	/* vlan fields in inet: nft's link-layer load after meta iiftype
	 * ether and ether type 8021q */
	build(&b, "table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\tvlan id 10 drop\n\t}\n}\n",
	      NULL);
	assert_int_equal(b.rc, 0);
	assert_string_equal(rule_text(&b, 1),
			    "  [ meta load iiftype => reg 1 ]\n"
			    "  [ cmp eq reg 1 0x00000001 ]\n"
			    "  [ payload load 2b @ link header + 12 => reg 1 ]\n"
			    "  [ cmp eq reg 1 0x00000081 ]\n"
			    "  [ payload load 2b @ link header + 14 => reg 1 ]\n"
			    "  [ bitwise reg 1 = ( reg 1 & 0x0000ff0f ) ^ 0x00000000 ]\n"
			    "  [ cmp eq reg 1 0x00000a00 ]\n"
			    "  [ immediate reg 0 drop ]");
	release(&b);

	/* reject where the kernel refuses it, also through a jump */
	build(&b, "table inet t {\n\tchain p {\n\t\ttype filter hook postrouting priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain i {\n\t\ttype filter hook input priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain u {\n\t\ttcp dport 1 reject\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, -EINVAL);
	assert_non_null(strstr(b.msgs, "t.conf:11:15-20: Error: nf_tables cannot reject at the postrouting hook (chain u runs there)"));
	release(&b);
	build(&b, "table inet t {\n\tchain i {\n\t\ttype filter hook input priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain u {\n\t\ttcp dport 1 reject\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, 0);
	release(&b);

	/* tproxy and synproxy (a statement, an object) in user chains
	 * reached from hooks the kernel refuses them at; from the right
	 * ones they go */
	build(&b, "table inet t {\n\tsynproxy o {\n\t\tmss 1460\n\t\twscale 7\n\t}\n"
		  "\tchain i {\n\t\ttype filter hook input priority 0;\n\t\tjump tp\n\t}\n"
		  "\tchain p {\n\t\ttype filter hook prerouting priority 0;\n\t\tjump sp\n\t\tjump so\n\t}\n"
		  "\tchain tp {\n\t\ttcp dport 1 tproxy ip to :80\n\t}\n"
		  "\tchain sp {\n\t\tsynproxy\n\t}\n"
		  "\tchain so {\n\t\tsynproxy name \"o\"\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, -EINVAL);
	if (!strstr(b.msgs, "t.conf:16:15-30: Error: tproxy is only valid at hook prerouting (chain tp runs at input)") ||
	    !strstr(b.msgs, "t.conf:19:3-10: Error: synproxy is only valid at hooks input and forward (chain sp runs at prerouting)") ||
	    !strstr(b.msgs, "t.conf:22:3-19: Error: synproxy is only valid at hooks input and forward (chain so runs at prerouting)"))
		fail_msg("%s", b.msgs);
	release(&b);
	build(&b, "table inet t {\n\tchain p {\n\t\ttype filter hook prerouting priority 0;\n\t\tjump tp\n\t}\n"
		  "\tchain f {\n\t\ttype filter hook forward priority 0;\n\t\tjump sp\n\t}\n"
		  "\tchain tp {\n\t\ttcp dport 1 tproxy ip to :80\n\t}\n"
		  "\tchain sp {\n\t\tsynproxy\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, 0);
	release(&b);

	/* a nat statement in a user chain, at a hook that nf_nat refuses
	 * it at; the same chain from the right hook goes */
	build(&b, "table ip t {\n\tchain n {\n\t\ttype nat hook postrouting priority 100;\n\t\tjump u\n\t}\n"
		  "\tchain u {\n\t\tdnat to 192.0.2.2\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, -EINVAL);
	if (!strstr(b.msgs, "t.conf:7:3-19: Error: dnat is only valid at hooks prerouting and output (chain u runs at postrouting)"))
		fail_msg("%s", b.msgs);
	release(&b);
	build(&b, "table ip t {\n\tchain n {\n\t\ttype nat hook output priority 100;\n\t\tjump u\n\t}\n"
		  "\tchain u {\n\t\tdnat to 192.0.2.2\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, 0);
	release(&b);

	/* every error of a run, not only the first */
	build(&b, "table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n"
		  "\t\tip saddr . th dport { 192.0.2.1 . 22 } drop\n"
		  "\t\tip daddr . th sport { 192.0.2.1 . 22 } drop\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, -EINVAL);
	assert_int_equal(b.d.nerrors, 2);
	release(&b);

	/* a raw payload in a concatenation: nft needs the set's userdata */
	build(&b, "table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n\t\tip saddr . th dport { 192.0.2.1 . 22 } drop\n\t}\n}\n",
	      NULL);
	assert_int_equal(b.rc, -EINVAL);
	assert_non_null(strstr(b.msgs, "t.conf:4:3-40: Error: a raw payload in a concatenation has no nf_tables form bpfwall builds"));
	release(&b);
}

/* queue, as nft sends it (nft --debug=netlink of the same rules; this
 * machine's kernel has no nft_queue, so tests/nft/ cannot hold it) */
static void queue_exprs(void **s)
{
	static const char *const want[] = {
		"  [ queue num 0 ]\n", "  [ queue num 2 ]\n", "  [ queue num 2-3 ]\n",
		"  [ queue num 4-5 bypass fanout ]\n", "  [ queue num 4-5 bypass ]\n",
		"  [ queue num 65535 ]\n", "  [ queue num 1-65535 bypass ]\n",
		"  [ counter pkts 0 bytes 0 ]\n  [ queue num 7-9 bypass fanout ]\n",
		/* queue to EXPR, as nft 1.0.6's `nft -c --debug=netlink` */
		"  [ hash reg 1 = symhash() % mod 65536 ]\n  [ queue sreg_qnum 1 ]\n",
		"  [ numgen reg 1 = inc mod 65536 ]\n  [ queue sreg_qnum 1 bypass ]\n",
		"  [ meta load oif => reg 2 ]\n  [ meta load mark => reg 13 ]\n"
		"  [ hash reg 1 = jhash(reg 2, 8, 0x0) % mod 32 ]\n  [ queue sreg_qnum 1 ]\n",
		"  [ meta load oifname => reg 1 ]\n  [ lookup reg 1 set __map%d dreg 1 ]\n"
		"  [ queue sreg_qnum 1 bypass ]\n",
	};
	struct built b;
	const char *p;

	build(&b, "table ip q {\n\tchain o {\n\t\ttype filter hook output priority 0;\n"
		  "\t\ttcp dport 1 queue\n\t\ttcp dport 2 queue num 2\n"
		  "\t\ttcp dport 3 queue num 2-3\n\t\ttcp dport 4 queue num 4-5 fanout bypass\n"
		  "\t\ttcp dport 5 queue num 4-5 bypass\n\t\ttcp dport 6 queue to 65535\n"
		  "\t\ttcp dport 7 queue flags bypass to 1-65535\n"
		  "\t\ttcp dport 8 counter queue flags bypass,fanout to 7-9\n"
		  "\t\tqueue to symhash mod 65536\n\t\tqueue flags bypass to numgen inc mod 65536\n"
		  "\t\tqueue to jhash oif . meta mark mod 32\n"
		  "\t\tqueue flags bypass to oifname map { \"eth0\" : 0, \"ppp0\" : 2 }\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, 0);
	p = b.text;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *q = strstr(p, want[i]);

		if (!q)
			fail_msg("no %s after %s", want[i], p);
		p = q + strlen(want[i]);
	}
	release(&b);
}

/* Masks that differ and are no prefixes have no set form. */
static void masks_differ(void **s)
{
	struct built b;
	struct bw_ir_match *m;
	bool sel[1] = { true };

	memset(&b, 0, sizeof(b));
	bw_diags_init(&b.d);
	assert_int_equal(bw_compile_string("t.conf",
		"table inet t {\n\tchain c {\n\t\ttype filter hook input priority 0;\n"
		"\t\ttcp flags & (syn | ack) { syn, ack } drop\n\t}\n}\n", &b.d, &b.ir), 0);
	m = &b.ir->chain[0].rule[0].match[0];
	assert_int_equal(m->nelem, 2);
	assert_int_equal(bw_nft_build(b.ir, sel, "bwo", &b.d, &b.p), 0);
	b.text = bw_nft_plan_print(b.p);
	/* the common mask, then the set */
	assert_non_null(strstr(b.text, "[ bitwise reg 1 = ( reg 1 & 0x00000012 ) ^ 0x00000000 ]\n"
				       "  [ lookup reg 1 set __set%d ]"));
	bw_nft_plan_free(&b.p);
	m->elem[1].mask[0] = 0x30;	/* (x & 0x12) == 2 or (x & 0x30) == 0x10 */
	assert_int_equal(bw_nft_build(b.ir, sel, "bwo", &b.d, &b.p), -EINVAL);
	assert_int_equal(b.d.nerrors, 1);
	assert_non_null(b.d.head);
	assert_int_equal(b.d.head->loc.line, 4);
	assert_non_null(strstr(b.d.head->msg, "no exact nf_tables form"));
	release(&b);
}

/* ipsec in in a user chain that an output chain jumps to: the kernel's
 * nft_xfrm refuses it there; from forward and input it goes, and ipsec
 * out from forward and postrouting */
static void xfrm_hooks(void **state)
{
	struct built b;

	(void)state;
	build(&b, "table inet t {\n\tchain o {\n\t\ttype filter hook output priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain u {\n\t\tipsec in reqid 1 accept\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, -EINVAL);
	if (!strstr(b.msgs, "t.conf:7:3-18: Error: ipsec in is not valid at hook output (chain u runs there"))
		fail_msg("%s", b.msgs);
	release(&b);
	build(&b, "table inet t {\n\tchain f {\n\t\ttype filter hook forward priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain i {\n\t\ttype filter hook input priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain u {\n\t\tipsec in spnum 1 reqid vmap { 1 : accept }\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, 0);
	release(&b);
	build(&b, "table ip t {\n\tchain p {\n\t\ttype filter hook postrouting priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain i {\n\t\ttype filter hook input priority 0;\n\t\tjump u\n\t}\n"
		  "\tchain u {\n\t\tipsec out spi { 1, 2 } drop\n\t}\n}\n", NULL);
	assert_int_equal(b.rc, -EINVAL);
	if (!strstr(b.msgs, "t.conf:11:3-24: Error: ipsec out is not valid at hook input (chain u runs there"))
		fail_msg("%s", b.msgs);
	release(&b);
}

/* The bitwise of two registers: the rule message libnftnl builds is
 * mended into NFTA_BITWISE_SREG2 (the register, big endian), no
 * NFTA_BITWISE_DATA left, the lengths unchanged; a shift is left alone. */
static void bitwise_sreg2(void **st)
{
	char buf[4096];
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e;
	struct nlmsghdr *nlh;
	struct nlattr *a, *el, *x, *y;
	uint32_t len, sreg2 = 0, shifts = 0, datas = 0;
	int op;

	(void)st;
	assert_non_null(r);
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "t");
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, "c");
	for (op = 0; op < 2; op++) {
		e = nftnl_expr_alloc("bitwise");
		assert_non_null(e);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, 4);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, op ? NFT_BITWISE_LSHIFT :
				   BW_NFT_BITWISE_OR);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DATA, op ? 3 : NFT_REG_2);
		nftnl_rule_add_expr(r, e);
	}
	nlh = nftnl_rule_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, NFPROTO_IPV4, 0, 1);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	len = nlh->nlmsg_len;
	assert_int_equal(bw_nft_bitwise_sreg2_fix(nlh), 1);
	assert_int_equal(nlh->nlmsg_len, len);
	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(el, a)
			mnl_attr_for_each_nested(x, el) {
				if (mnl_attr_get_type(x) != NFTA_EXPR_DATA)
					continue;
				mnl_attr_for_each_nested(y, x) {
					if (mnl_attr_get_type(y) == BW_NFTA_BITWISE_SREG2)
						sreg2 = ntohl(mnl_attr_get_u32(y));
					if (mnl_attr_get_type(y) == NFTA_BITWISE_DATA)
						datas++;
					if (mnl_attr_get_type(y) == NFTA_BITWISE_OP &&
					    ntohl(mnl_attr_get_u32(y)) == NFT_BITWISE_LSHIFT)
						shifts++;
				}
			}
	}
	assert_int_equal(sreg2, NFT_REG_2);
	assert_int_equal(shifts, 1);
	assert_int_equal(datas, 1);	/* the shift's */
	nftnl_rule_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_payload),
		cmocka_unit_test(golden_nat),
		cmocka_unit_test(golden_setf),
		cmocka_unit_test(golden_bytes),
		cmocka_unit_test(queue_exprs),
		cmocka_unit_test(golden_headers),
		cmocka_unit_test(golden_socket),
		cmocka_unit_test(golden_fib),
		cmocka_unit_test(golden_osf),
		cmocka_unit_test(golden_ct),
		cmocka_unit_test(golden_ctset),
		cmocka_unit_test(golden_tcpopt),
		cmocka_unit_test(golden_log),
		cmocka_unit_test(golden_tcpopt_set),
		cmocka_unit_test(golden_hdrset),
		cmocka_unit_test(golden_hdrset_icmp),
		cmocka_unit_test(golden_hdrset_rmw),
		cmocka_unit_test(golden_brmeta),
		cmocka_unit_test(golden_rawpay),
		cmocka_unit_test(golden_valexpr),
		cmocka_unit_test(golden_xfrm),
		cmocka_unit_test(xfrm_hooks),
		cmocka_unit_test(golden_dup),
		cmocka_unit_test(golden_natmap_range),
		cmocka_unit_test(golden_regop),
		cmocka_unit_test(golden_rtmtu),
		cmocka_unit_test(bitwise_sreg2),
		cmocka_unit_test(golden_flowtable),
		cmocka_unit_test(golden_nfnetdev_arp),
		cmocka_unit_test(golden_regop_iif),
		cmocka_unit_test(golden_vlanmap),
		cmocka_unit_test(golden_vlanmap_named),
		cmocka_unit_test(golden_rawll),
		cmocka_unit_test(golden_tunnel),
		cmocka_unit_test(golden_broute),
		cmocka_unit_test(broute_key),
		cmocka_unit_test(golden_tproxy_map),
		cmocka_unit_test(golden_ibrhwaddr),
		cmocka_unit_test(ibrhwaddr_key),
		cmocka_unit_test(flowtable_names),
		cmocka_unit_test(golden_meta),
		cmocka_unit_test(golden_sets),
		cmocka_unit_test(golden_stmts),
		cmocka_unit_test(golden_families),
		cmocka_unit_test(golden_bridge_arp),
		cmocka_unit_test(closure),
		cmocka_unit_test(names),
		cmocka_unit_test(keeper),
		cmocka_unit_test(keeper_in_plan),
		cmocka_unit_test(limits),
		cmocka_unit_test(interfaces),
		cmocka_unit_test(flags_zero),
		cmocka_unit_test(order),
		cmocka_unit_test(errors),
		cmocka_unit_test(masks_differ),
		cmocka_unit_test(golden_objects),
		cmocka_unit_test(golden_ah6),
		cmocka_unit_test(golden_icmpx),
		cmocka_unit_test(golden_srh),
		cmocka_unit_test(last_and_objects),
		cmocka_unit_test(golden_tproxy),
		cmocka_unit_test(golden_nfnetdev),
		cmocka_unit_test(golden_concat),
		cmocka_unit_test(golden_concat_raw),
		cmocka_unit_test(golden_vmapthen),
		cmocka_unit_test(golden_vmapnat),
		cmocka_unit_test(golden_datamap),
		cmocka_unit_test(golden_datamap6),
		cmocka_unit_test(golden_mapadd),
		cmocka_unit_test(golden_dscp6),
		cmocka_unit_test(golden_settimeout),
		cmocka_unit_test(golden_mapcat),
		cmocka_unit_test(golden_mapcat6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
