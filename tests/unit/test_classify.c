// SPDX-License-Identifier: GPL-2.0-only
/* The classifier: which rules it takes, the tuples it builds, and its
 * search in C (compiler/opt/classify.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include "compiler/bpf/codegen.h"
#include "compiler/opt/classify.h"
#include "compiler/front/compile.h"
#include "compiler/opt/optimize.h"
#include "tests/lib/stackinit.h"

/* The chain "in" of a netdev table with these rules, compiled. */
static struct bw_ir *compile(const char *rules)
{
	char text[65536];
	struct bw_diags d;
	struct bw_ir *ir = NULL;

	snprintf(text, sizeof(text),
		 "table netdev t {\n\tchain in {\n"
		 "\t\ttype filter hook ingress device \"eth0\" priority 0; policy accept;\n"
		 "%s\t}\n}\n", rules);
	bw_diags_init(&d);
	if (bw_compile_string("t.conf", text, &d, &ir))
		bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	assert_non_null(ir);
	return ir;
}

/* n copies of fmt (with %u the copy's number), one per line. */
static void repeat(char *buf, size_t cap, unsigned n, const char *fmt)
{
	size_t len = strlen(buf);

	for (unsigned i = 0; i < n; i++) {
		len += (size_t)snprintf(buf + len, cap - len, fmt, i, i);
		assert_true(len < cap);
	}
}

static const struct bw_opt_group *only_group(const struct bw_opt_plan *p)
{
	assert_int_equal(p->ngroup, 1);
	assert_int_equal(p->group[0].kind, BW_OPT_CLASSIFY);
	return &p->group[0];
}

/* A key: IPv4, protocol, saddr, daddr, ports (host order). */
static void key4(uint8_t *k, uint8_t proto, uint32_t s, uint32_t d,
		 uint16_t sp, uint16_t dp)
{
	uint8_t l3h[20] = { 0 }, l4h[4];

	for (int i = 0; i < 4; i++) {
		l3h[12 + i] = (uint8_t)(s >> (24 - 8 * i));
		l3h[16 + i] = (uint8_t)(d >> (24 - 8 * i));
	}
	l4h[0] = (uint8_t)(sp >> 8);
	l4h[1] = (uint8_t)sp;
	l4h[2] = (uint8_t)(dp >> 8);
	l4h[3] = (uint8_t)dp;
	bw_cls_key(k, 4, proto, proto == 6 || proto == 17 ? 1 : 0, l3h, l4h, NULL, NULL);
}

/* A key: IPv6, protocol, saddr and daddr (16 bytes each, network
 * order), ports. */
static void key6(uint8_t *k, uint8_t proto, const char *s, const char *d,
		 uint16_t sp, uint16_t dp)
{
	uint8_t l3h[40] = { 0 }, l4h[4];

	assert_int_equal(inet_pton(AF_INET6, s, l3h + 8), 1);
	assert_int_equal(inet_pton(AF_INET6, d, l3h + 24), 1);
	l4h[0] = (uint8_t)(sp >> 8);
	l4h[1] = (uint8_t)sp;
	l4h[2] = (uint8_t)(dp >> 8);
	l4h[3] = (uint8_t)dp;
	bw_cls_key(k, 6, proto, proto == 6 || proto == 17 ? 1 : 0, l3h, l4h, NULL, NULL);
}

/* Address drops and address + port rules share one /32 tuple; port
 * accepts get their own; the tuples go in order of their first rule. */
static void shapes_merge_into_few_tuples(void **state)
{
	char rules[16384] = "\t\ttcp dport 22 accept\n";
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_ir *ir;

	repeat(rules, sizeof(rules), 20, "\t\tip saddr 192.0.2.%u tcp dport %u drop\n");
	repeat(rules, sizeof(rules), 20, "\t\tip saddr 198.51.100.%u drop\n");
	strcat(rules, "\t\tudp dport 53 accept\n");
	ir = compile(rules);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	assert_int_equal(g->first, 0);
	assert_int_equal(g->nrule, 42);
	assert_int_equal(g->ntuple, 2);
	/* the port tuple first (rule 0), then the address one (rule 1) */
	assert_int_equal(p->tuple[g->tuple].min_rule, 0);
	assert_string_equal(p->tuple[g->tuple].desc,
			    "tuple l4proto . dport: 2 keys, 2 candidates, from rule 1");
	assert_int_equal(p->tuple[g->tuple + 1].min_rule, 1);
	assert_string_equal(p->tuple[g->tuple + 1].desc,
			    "tuple ip saddr/32: 40 keys, 40 candidates, from rule 2");
	/* the address + port rules' port is checked, the address drops'
	 * key says it all */
	assert_int_equal(p->tuple[g->tuple + 1].check,
			 BW_CLS_CHK_L3 | BW_CLS_CHK_DPORT);
	assert_int_equal(p->tuple[g->tuple + 1].ncand, 1);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* First match across tuples: an earlier rule in a later-probed tuple
 * wins over a later rule found first, and the reverse. */
static void lowest_rule_wins(void **state)
{
	char rules[16384] = "\t\tip saddr 192.0.2.0/24 tcp dport 22 accept\n";
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_ir *ir;
	uint8_t k[BW_CLS_PKT];

	repeat(rules, sizeof(rules), 20, "\t\tip saddr 192.0.2.%u drop\n");
	strcat(rules, "\t\ttcp dport 1000-2000 drop\n");
	ir = compile(rules);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	key4(k, 6, 0xc0000205, 0xcb007101, 40000, 22);
	assert_int_equal(bw_cls_lookup(p, g, k), 0);	/* not rule 6 */
	key4(k, 6, 0xc0000205, 0xcb007101, 40000, 23);
	assert_int_equal(bw_cls_lookup(p, g, k), 6);
	key4(k, 6, 0xc0000264, 0xcb007101, 40000, 1500);
	assert_int_equal(bw_cls_lookup(p, g, k), 21);
	key4(k, 17, 0xc0000264, 0xcb007101, 40000, 1500);	/* udp */
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	key4(k, 6, 0xc0000264, 0xcb007101, 40000, 2001);
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* IPv6 addresses, prefixes and ranges: wide tuples (the fingerprint
 * in the key, the full address in the candidates), mixed with IPv4
 * rules and port rules, first match across them. */
static void ipv6_addresses(void **state)
{
	char rules[16384] = "\t\tip6 saddr 2001:db8:1::/48 tcp dport 22 accept\n";
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_ir *ir;
	uint8_t k[BW_CLS_PKT];
	uint32_t nwide = 0;

	repeat(rules, sizeof(rules), 20, "\t\tip6 saddr 2001:db8:1::%x drop\n");
	strcat(rules, "\t\tip6 daddr 2001:db8::10-2001:db8::20 udp dport 53 drop\n");
	strcat(rules, "\t\tip saddr 192.0.2.1 drop\n");
	strcat(rules, "\t\ttcp dport 80 accept\n");
	strcat(rules, "\t\tip6 saddr 2001:db8:2::/64 ip6 daddr 2001:db8:3::/64 drop\n");
	ir = compile(rules);
	for (uint32_t r = 0; r < 25; r++)
		assert_true(bw_cls_rule_ok(&ir->chain[0].rule[r]));
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	assert_int_equal(g->nrule, 25);
	for (uint32_t t = g->tuple; t < g->tuple + g->ntuple; t++) {
		if (!p->tuple[t].wide)
			continue;
		nwide++;
		assert_int_equal(p->tuple[t].csize, sizeof(struct bw_cls_cand6));
		assert_non_null(strstr(p->tuple[t].desc, "ip6 "));
	}
	assert_true(nwide >= 2);
	/* the /48 with port 22 (rule 0) before the /128 drops */
	key6(k, 6, "2001:db8:1::5", "2001:db8::1", 40000, 22);
	assert_int_equal(bw_cls_lookup(p, g, k), 0);
	key6(k, 6, "2001:db8:1::5", "2001:db8::1", 40000, 23);
	assert_int_equal(bw_cls_lookup(p, g, k), 6);
	key6(k, 17, "2001:db8:1::13", "2001:db8::1", 40000, 23);
	assert_int_equal(bw_cls_lookup(p, g, k), 20);
	key6(k, 17, "2001:db8:1::14", "2001:db8::1", 40000, 23);
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	/* the daddr range, its ends and just outside */
	key6(k, 17, "2001:db8:9::1", "2001:db8::10", 1, 53);
	assert_int_equal(bw_cls_lookup(p, g, k), 21);
	key6(k, 17, "2001:db8:9::1", "2001:db8::20", 1, 53);
	assert_int_equal(bw_cls_lookup(p, g, k), 21);
	key6(k, 17, "2001:db8:9::1", "2001:db8::21", 1, 53);
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	key6(k, 17, "2001:db8:9::1", "2001:db8::f", 1, 53);
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	/* an IPv4 rule never holds for IPv6, a port rule does */
	key6(k, 6, "2001:db8:9::1", "2001:db8::f", 1, 80);
	assert_int_equal(bw_cls_lookup(p, g, k), 23);
	key6(k, 17, "2001:db8:2::7", "2001:db8:3::9", 1, 2);
	assert_int_equal(bw_cls_lookup(p, g, k), 24);
	key6(k, 17, "2001:db8:2::7", "2001:db8:4::9", 1, 2);
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	key4(k, 17, 0xc0000201, 0xcb007101, 1, 2);
	assert_int_equal(bw_cls_lookup(p, g, k), 22);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* Interfaces: in an inet input chain the packet's (keyed, checked in
 * the wide candidates); in a netdev chain decided when the plan is made
 * (the device is the input interface at ingress, no output one). */
static void interfaces(void **state)
{
	char rules[16384] = "", text[20000];
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_diags d;
	struct bw_ir *ir = NULL;
	uint8_t k[BW_CLS_PKT];
	uint32_t nchk = 0;

	repeat(rules, sizeof(rules), 16, "\t\tiifname \"veth%u\" ip saddr 192.0.2.%u drop\n");
	strcat(rules, "\t\tiifname \"eth*\" tcp dport 22 drop\n");
	strcat(rules, "\t\toifname \"eth0\" drop\n");
	strcat(rules, "\t\tip saddr 192.0.2.1 accept\n");
	snprintf(text, sizeof(text), "table inet t {\n\tchain in {\n"
		 "\t\ttype filter hook input priority 0; policy accept;\n%s\t}\n}\n",
		 rules);
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("t.conf", text, &d, &ir), 0);
	bw_diags_fini(&d);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	assert_int_equal(g->nrule, 19);
	for (uint32_t t = g->tuple; t < g->tuple + g->ntuple; t++)
		nchk += !!(p->tuple[t].check & BW_CLS_CHK_IIF);
	assert_true(nchk >= 2);
	key4(k, 6, 0xc0000201, 0xcb007101, 40000, 22);	/* no interface */
	assert_int_equal(bw_cls_lookup(p, g, k), 18);
	k[BW_CLS_K_L3] |= BW_CLS_IIF_BIT;
	memcpy(k + BW_CLS_K_IIF, "veth1", 5);
	assert_int_equal(bw_cls_lookup(p, g, k), 1);
	memcpy(k + BW_CLS_K_IIF, "veth2", 5);
	assert_int_equal(bw_cls_lookup(p, g, k), 18);
	memcpy(k + BW_CLS_K_IIF, "eth12", 5);
	assert_int_equal(bw_cls_lookup(p, g, k), 16);
	k[BW_CLS_K_L3] |= BW_CLS_OIF_BIT;
	memcpy(k + BW_CLS_K_OIF, "eth0", 4);
	key4(k, 17, 0xc0000201, 0xcb007101, 40000, 22);
	k[BW_CLS_K_L3] |= BW_CLS_OIF_BIT;
	memcpy(k + BW_CLS_K_OIF, "eth0", 4);
	assert_int_equal(bw_cls_lookup(p, g, k), 17);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);

	/* the same rules in a netdev chain on eth0: decided now */
	ir = compile(rules);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	for (uint32_t t = g->tuple; t < g->tuple + g->ntuple; t++)
		assert_false(p->tuple[t].check & (BW_CLS_CHK_IIF | BW_CLS_CHK_OIF));
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* A rule an earlier one covers never decides: it takes no candidate
 * (20 copies of one port rule would otherwise spill into 5 tuples). */
static void covered_rules_are_dropped(void **state)
{
	char rules[16384] = "";
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_ir *ir;
	uint8_t k[BW_CLS_PKT];

	repeat(rules, sizeof(rules), 20, "\t\ttcp dport 22 accept\n");
	strcat(rules, "\t\ttcp dport 22 ip saddr 192.0.2.1 drop\n");
	ir = compile(rules);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	assert_int_equal(g->ntuple, 1);
	assert_int_equal(p->tuple[g->tuple].natom, 1);
	key4(k, 6, 0xc0000201, 0xcb007101, 40000, 22);
	assert_int_equal(bw_cls_lookup(p, g, k), 0);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* More than BW_CLS_CAND_MAX (16) /29s in one /24: the /24 tuple's entry
 * is full, the rest go to a /28 tuple (TupleMerge's split), not a second
 * /24. */
static void collisions_refine_the_mask(void **state)
{
	char rules[16384] = "";
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_ir *ir;
	uint8_t k[BW_CLS_PKT];

	_Static_assert(BW_CLS_CAND_MAX == 16, "32 /29s fill a /24 twice");
	for (unsigned i = 0; i < 32; i++)
		snprintf(rules + strlen(rules), sizeof(rules) - strlen(rules),
			 "\t\tip saddr 192.0.2.%u/29 drop\n", 8 * i);
	strcat(rules, "\t\ttcp dport 80 drop\n");	/* not one LPM run */
	ir = compile(rules);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	assert_int_equal(g->ntuple, 3);
	assert_int_equal(p->tuple[g->tuple].ncand, BW_CLS_CAND_MAX);
	assert_int_equal(p->tuple[g->tuple].natom, BW_CLS_CAND_MAX);
	assert_non_null(strstr(p->tuple[g->tuple + 1].desc, "tuple ip saddr/28: 8 keys"));
	for (unsigned i = 0; i < 32; i++) {
		key4(k, 1, 0xc0000200 + 8 * i + 3, 0xcb007101, 0, 0);
		assert_int_equal(bw_cls_lookup(p, g, k), i);
	}
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* Sets and ranges: one candidate per element, ranges checked. */
static void sets_and_ranges(void **state)
{
	char rules[16384] = "";
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_ir *ir;
	uint8_t k[BW_CLS_PKT];

	repeat(rules, sizeof(rules), 16, "\t\tip daddr 203.0.113.%u drop\n");
	strcat(rules, "\t\tip saddr { 192.0.2.1, 198.51.100.10-198.51.100.20 } "
		      "udp sport { 53, 1000-1100 } accept\n");
	ir = compile(rules);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	key4(k, 17, 0xc633640f, 0xcb0071fe, 1050, 9);
	assert_int_equal(bw_cls_lookup(p, g, k), 16);
	key4(k, 17, 0xc6336415, 0xcb0071fe, 1050, 9);	/* .21 */
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	key4(k, 17, 0xc0000201, 0xcb0071fe, 53, 9);
	assert_int_equal(bw_cls_lookup(p, g, k), 16);
	key4(k, 6, 0xc0000201, 0xcb0071fe, 53, 9);	/* tcp */
	assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	key4(k, 17, 0xc0000201, 0xcb007103, 53, 9);
	assert_int_equal(bw_cls_lookup(p, g, k), 3);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* Rules with statements, negations, named sets, other fields and
 * continue end a partition; each side of them is its own group. */
static void statements_split_partitions(void **state)
{
	static const char *const enders[] = {
		"\t\tip saddr 192.0.2.1 log prefix \"x \" drop\n",
		"\t\tip daddr 192.0.2.1 counter\n",
		"\t\tip saddr != 192.0.2.1 drop\n",
		"\t\tip ttl 1 drop\n",
		"\t\ttcp dport 22 limit rate 10/second accept\n",
		"\t\tip6 hoplimit 1 drop\n",
	};

	for (unsigned e = 0; e < sizeof(enders) / sizeof(enders[0]); e++) {
		char rules[16384] = "";
		struct bw_opt_plan *p = NULL;
		struct bw_ir *ir;

		repeat(rules, sizeof(rules), 17, "\t\tudp dport %u accept\n");
		strcat(rules, enders[e]);
		repeat(rules, sizeof(rules), 17, "\t\tip saddr 198.51.100.%u drop\n");
		strcat(rules, "\t\ttcp dport 80 drop\n");
		ir = compile(rules);
		assert_false(bw_cls_rule_ok(&ir->chain[0].rule[17]));
		assert_int_equal(bw_optimize(ir, NULL, &p), 0);
		/* the first 17 are one run: the classifier takes it too (its
		 * flat table beats a hash map's lookup); then another */
		assert_int_equal(p->ngroup, 2);
		assert_int_equal(p->group[0].kind, BW_OPT_CLASSIFY);
		assert_int_equal(p->group[0].nrule, 17);
		assert_int_equal(p->group[1].kind, BW_OPT_CLASSIFY);
		assert_int_equal(p->group[1].first, 18);
		assert_int_equal(p->group[1].nrule, 18);
		bw_opt_plan_free(&p);
		assert_int_equal(bw_optimize(ir, &(struct bw_opt_opts){ .no_classify = true },
					     &p), 0);
		assert_int_equal(p->ngroup, 2);
		assert_int_equal(p->group[1].kind, BW_OPT_LOOKUP);
		assert_int_equal(p->group[1].nrule, 17);
		bw_opt_plan_free(&p);
		bw_ir_free(&ir);
	}
}

/* The flat table: one array map of one element, its slots name entries
 * whose keys carry the tuple id and whose candidates hold the rule's
 * handle and verdict. */
static void maps_hold_candidates(void **state)
{
	char rules[16384] = "";
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	const struct bw_lookup_map *m;
	const struct bw_cls_cand *c = NULL;
	const uint8_t *key = NULL;
	uint32_t nslot, used = 0;
	struct bw_ir *ir;

	(void)state;
	/* ip ttl: a field a lookup takes and the classifier does not */
	repeat(rules, sizeof(rules), 16, "\t\tip ttl %u counter drop\n");
	strcat(rules, "\t\tip saddr 192.0.2.100 log drop\n");
	repeat(rules, sizeof(rules), 16, "\t\tip daddr 192.0.2.%u tcp sport 7 accept\n");
	strcat(rules, "\t\tudp dport 9 drop\n");
	ir = compile(rules);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	assert_int_equal(p->ngroup, 2);	/* a lookup, then a classifier */
	g = &p->group[1];
	assert_int_equal(g->kind, BW_OPT_CLASSIFY);
	assert_int_equal(g->ntuple, 2);
	assert_int_equal(p->nmap, 2);	/* the lookup's hash, the table */
	assert_non_null(p->cls);
	m = &p->map[p->cls->map];
	assert_true(m->flat);
	assert_int_equal(m->key_size, 4);
	assert_int_equal(m->nentries, 1);
	assert_int_equal(m->value_size, p->cls->size);
	assert_int_equal(p->cls->nkey, 17);	/* both tuples */
	assert_true(p->cls->max_probe >= 1 && p->cls->max_probe <= BW_CLS_PROBE_MAX);
	nslot = UINT32_C(1) << p->cls->bits;
	assert_true(nslot >= 2 * 17);
	for (uint32_t s = 0; s < nslot + BW_CLS_PROBE_MAX; s++) {
		uint32_t off;
		const struct bw_cls_cand *vc;

		if (!m->raw[s])
			continue;
		used++;
		memcpy(&off, m->raw + bw_cls_offs_at(p->cls->bits) + s * 4, 4);
		assert_true(off >= bw_cls_ent_at(p->cls->bits));
		assert_true(off + BW_CLS_KEY + sizeof(*vc) <= m->value_size);
		/* the tag is the key's */
		assert_int_equal(m->raw[s], bw_cls_tag(bw_cls_hash(
			*(const uint64_t *)(m->raw + off),
			*(const uint64_t *)(m->raw + off + 8), p->cls->seed),
			p->cls->bits));
		vc = (const struct bw_cls_cand *)(m->raw + off + BW_CLS_KEY);
		if (vc->rule == 17) {
			key = m->raw + off;
			c = vc;
		}
	}
	assert_int_equal(used, 17);
	assert_non_null(c);
	assert_int_equal(c->handle, ir->chain[0].rule[17].handle);
	assert_int_equal(c->verdict, BW_VERDICT_ACCEPT);
	assert_int_equal(c->sport_lo, 7);
	assert_int_equal(c->daddr_lo, 0xc0000200);
	assert_true(key[BW_CLS_K_TUPLE] == (uint8_t)p->tuple[g->tuple].id ||
		    key[BW_CLS_K_TUPLE] == (uint8_t)p->tuple[g->tuple + 1].id);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* A big table: 16,000 rules of two shapes; every rule's own packet finds
 * that rule through the flat table (Robin Hood placement, probes within
 * BW_CLS_PROBE_MAX, at most half the slots used), others find none. */
static void big_table_finds_every_key(void **state)
{
	enum { N = 8000 };
	const char *head = "table netdev t {\n\tchain in {\n"
		"\t\ttype filter hook ingress device \"eth0\" priority 0; "
		"policy accept;\n";
	size_t cap = N * 100 + 256, len;
	char *text = malloc(cap);
	struct bw_opt_plan *p = NULL;
	const struct bw_opt_group *g;
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	uint8_t k[BW_CLS_PKT];

	(void)state;
	assert_non_null(text);
	len = (size_t)snprintf(text, cap, "%s", head);
	for (uint32_t i = 0; i < N; i++) {
		uint32_t a = 0x0a000000 + i * 7;

		len += (size_t)snprintf(text + len, cap - len,
			"\t\tip saddr %u.%u.%u.%u udp dport %u drop\n"
			"\t\ttcp sport %u accept\n", a >> 24, a >> 16 & 0xff,
			a >> 8 & 0xff, a & 0xff, 1024 + i, 1 + i);
		assert_true(len < cap);
	}
	snprintf(text + len, cap - len, "\t}\n}\n");
	bw_diags_init(&d);
	if (bw_compile_string("t.conf", text, &d, &ir))
		bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	free(text);
	assert_non_null(ir);
	assert_int_equal(bw_optimize(ir, NULL, &p), 0);
	g = only_group(p);
	assert_non_null(p->cls);
	assert_true(p->cls->max_probe <= BW_CLS_PROBE_MAX);
	assert_true((uint64_t)p->cls->nkey * 2 <= (UINT64_C(1) << p->cls->bits));
	for (uint32_t i = 0; i < N; i++) {
		key4(k, 17, 0x0a000000 + i * 7, 0xc0000201, 40000, (uint16_t)(1024 + i));
		assert_int_equal(bw_cls_lookup(p, g, k), 2 * i);
		key4(k, 6, 0xc0000201, 0xc0000202, (uint16_t)(1 + i), 80);
		assert_int_equal(bw_cls_lookup(p, g, k), 2 * i + 1);
		key4(k, 17, 0x0a000000 + i * 7 + 1, 0xc0000201, 40000,
		     (uint16_t)(1024 + i));
		assert_int_equal(bw_cls_lookup(p, g, k), BW_CLS_NO_RULE);
	}
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
}

/* The XDP program of text for device eth0, with the optimizer's plan
 * (opt) or every rule in line. */
static struct bw_prog *xdp_prog(const char *text, bool opt)
{
	struct bw_codegen_opts o = { .trace = true };
	struct bw_opt_opts oo = { .min_run = 4 };	/* a short ruleset's group */
	struct bw_opt_plan *p = NULL;
	struct bw_prog *prog = NULL;
	struct bw_ir *ir = NULL;
	struct bw_diags d;

	bw_diags_init(&d);
	if (bw_compile_string("t.conf", text, &d, &ir))
		bw_diags_print(&d, stderr);
	assert_non_null(ir);
	if (opt)
		assert_int_equal(bw_optimize(ir, &oo, &p), 0);
	o.plan = p;
	if (bw_codegen(ir, BW_HOOK_XDP, "eth0", &o, &d, &prog))
		bw_diags_print(&d, stderr);
	assert_non_null(prog);
	bw_diags_fini(&d);
	bw_opt_plan_free(&p);
	bw_ir_free(&ir);
	return prog;
}

/*
 * A rule that counts in a user chain reads the CPU a counter is kept
 * for (per CPU), as every rule that counts does.  When every counting
 * rule of the base chain is in a classifier group (interface matches
 * are classified too), the group reads the CPU only when one of its
 * rules wins: a packet it misses that jumps to the user chain must
 * still find the CPU written (clsequiv seed 15: a counter looked up
 * for a CPU that was stack garbage, the lookup failed, the packet was
 * dropped, or not, from run to run).  So must a ruleset whose only
 * counter is in a user chain, with or without the optimizer.
 */
static void user_chain_counter_reads_a_written_cpu(void **state)
{
	static const char text[] =
		"table netdev t {\n"
		"\tchain sub {\n"
		"\t\tip saddr 198.51.100.0/24 counter\n"
		"\t}\n"
		"\tchain in {\n"
		"\t\ttype filter hook ingress device \"eth0\" priority 0; policy accept;\n"
		"\t\tiifname \"eth0\" ip saddr 192.0.2.1 counter drop\n"
		"\t\tip saddr 192.0.2.2 tcp dport 22 counter drop\n"
		"\t\tip saddr 192.0.2.3 counter accept\n"
		"\t\tip daddr 192.0.2.4 udp dport 53 drop\n"
		"\t\tip saddr 198.51.100.0/24 jump sub\n"
		"\t\tip saddr 198.51.100.0/26 drop\n"
		"\t}\n"
		"}\n";
	/* no group at all: the user chain's counter is the only one */
	static const char only_sub[] =
		"table netdev t {\n"
		"\tchain sub {\n"
		"\t\tip saddr 198.51.100.0/24 counter\n"
		"\t}\n"
		"\tchain in {\n"
		"\t\ttype filter hook ingress device \"eth0\" priority 0; policy accept;\n"
		"\t\tip saddr 198.51.100.0/24 jump sub\n"
		"\t\tip saddr 198.51.100.0/26 drop\n"
		"\t}\n"
		"}\n";

	int nbad = 0;

	(void)state;
	for (int opt = 0; opt < 3; opt++) {
		struct bw_prog *prog = xdp_prog(opt < 2 ? text : only_sub, opt == 1);
		int64_t bad = bw_t_uninit_stack_read(prog);

		if (bad >= 0) {
			char buf[128];

			bw_disasm_insn(&prog->insn[bad], prog->ninsn - (uint32_t)bad,
				       buf, sizeof(buf));
			fprintf(stderr, "ruleset %d: insn %lld reads stack not written on every path: %s\n",
				opt, (long long)bad, buf);
		}
		nbad += bad != -1;
		bw_prog_free(&prog);
	}
	assert_int_equal(nbad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shapes_merge_into_few_tuples),
		cmocka_unit_test(lowest_rule_wins),
		cmocka_unit_test(covered_rules_are_dropped),
		cmocka_unit_test(ipv6_addresses),
		cmocka_unit_test(interfaces),
		cmocka_unit_test(collisions_refine_the_mask),
		cmocka_unit_test(sets_and_ranges),
		cmocka_unit_test(statements_split_partitions),
		cmocka_unit_test(maps_hold_candidates),
		cmocka_unit_test(big_table_finds_every_key),
		cmocka_unit_test(user_chain_counter_reads_a_written_cpu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
