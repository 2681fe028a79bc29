// SPDX-License-Identifier: GPL-2.0-only
/* nft's JSON to the AST (grammar/json_parse.c) and the AST to nft's JSON
 * (compiler/json/json_print.c): the nodes, their locations in the JSON text,
 * and the forms that change shape on the way (flag masks, plain reject). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "grammar/json_parse.h"
#include "compiler/json/json.h"
#include "compiler/front/ir.h"

#define HEAD "{\"nftables\": [\n" \
	"{\"table\": {\"family\": \"inet\", \"name\": \"t\"}},\n" \
	"{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", " \
	"\"type\": \"filter\", \"hook\": \"input\", \"prio\": -5, \"policy\": \"drop\"}},\n"
#define RULE(EXPR) "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", " \
	"\"chain\": \"c\", \"expr\": [" EXPR "]}}"
/* the same in a netdev table (dup's JSON is read by the rule's family) */
#define NHEAD "{\"nftables\": [\n" \
	"{\"table\": {\"family\": \"netdev\", \"name\": \"t\"}},\n" \
	"{\"chain\": {\"family\": \"netdev\", \"table\": \"t\", \"name\": \"c\", " \
	"\"type\": \"filter\", \"hook\": \"ingress\", \"dev\": \"lo\", \"prio\": 0, \"policy\": \"accept\"}},\n"
#define NRULE(EXPR) "{\"rule\": {\"family\": \"netdev\", \"table\": \"t\", " \
	"\"chain\": \"c\", \"expr\": [" EXPR "]}}"

struct parsed {
	struct bw_diags d;
	struct bw_ast *ast;
	int rc;
	char *msgs;
};

static void parse(struct parsed *p, const char *text)
{
	const struct bw_src *src;
	size_t len = 0;
	FILE *m;

	memset(p, 0, sizeof(*p));
	bw_diags_init(&p->d);
	src = bw_src_string(&p->d, "t.json", text);
	assert_non_null(src);
	p->rc = bw_json_parse(src, &p->d, &p->ast);
	m = open_memstream(&p->msgs, &len);
	assert_non_null(m);
	bw_diags_print(&p->d, m);
	fclose(m);
}

static void done(struct parsed *p)
{
	bw_ast_free(&p->ast);
	bw_diags_fini(&p->d);
	free(p->msgs);
}

/* The first rule's first statement. */
static const struct bw_ast_stmt *stmt1(const struct parsed *p)
{
	const struct bw_ast_item *chain = p->ast->items->items;

	for (const struct bw_ast_item *it = chain->items; it; it = it->next)
		if (it->kind == BW_AI_RULE)
			return it->stmts;
	fail();
	return NULL;
}

/* The parts of a concatenated value: names (quoted) where the field of
 * that part takes names, else words (an address, a protocol). */
static void test_concat_names(void **state)
{
	static const char *const rules[] = {
		RULE("{\"match\": {\"op\": \"==\", \"left\": {\"concat\": ["
		     "{\"meta\": {\"key\": \"iifname\"}}, {\"payload\": "
		     "{\"protocol\": \"ip\", \"field\": \"saddr\"}}]}, "
		     "\"right\": {\"set\": [{\"concat\": [\"eth0\", \"192.0.2.1\"]}]}}}"),
		RULE("{\"vmap\": {\"key\": {\"concat\": [{\"payload\": "
		     "{\"protocol\": \"ip\", \"field\": \"protocol\"}}, "
		     "{\"meta\": {\"key\": \"iifname\"}}]}, \"data\": {\"set\": "
		     "[[{\"concat\": [\"tcp\", \"eth0\"]}, {\"accept\": null}]]}}}"),
	};
	static const int name_at[] = { 0, 1 };

	(void)state;
	for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
		char text[1024];
		const struct bw_ast_expr *el, *part;
		struct parsed p;
		int i = 0;

		snprintf(text, sizeof(text), "%s%s]}", HEAD, rules[r]);
		parse(&p, text);
		assert_int_equal(p.rc, 0);
		el = stmt1(&p)->rhs->elems;
		if (el->kind == BW_AE_MAPELEM)
			el = el->left;
		assert_int_equal(el->kind, BW_AE_CONCAT);
		for (part = el->elems; part; part = part->next, i++)
			assert_int_equal(part->kind == BW_AE_STRING, i == name_at[r]);
		assert_int_equal(i, 2);
		done(&p);
	}
}

static void test_chain(void **state)
{
	struct parsed p;
	const struct bw_ast_item *t, *c, *hook, *pol;

	(void)state;
	parse(&p, HEAD "{\"metainfo\": {\"json_schema_version\": 1}}]}");
	assert_int_equal(p.rc, 0);
	t = p.ast->items;
	assert_int_equal(t->kind, BW_AI_TABLE);
	assert_string_equal(t->family, "inet");
	assert_string_equal(t->name, "t");
	c = t->items;
	assert_int_equal(c->kind, BW_AI_CHAIN);
	hook = c->items;
	assert_int_equal(hook->kind, BW_AI_HOOK);
	assert_string_equal(hook->hook, "input");
	assert_true(hook->prio.neg);
	assert_string_equal(hook->prio.num, "5");
	pol = hook->next;
	assert_int_equal(pol->kind, BW_AI_POLICY);
	assert_string_equal(pol->policy, "drop");
	/* the chain's name where the JSON has it: line 3 */
	assert_int_equal(c->name_loc.line, 3);
	done(&p);
}

static void test_match_location(void **state)
{
	static const char text[] = HEAD RULE(
		"{\"match\": {\"op\": \"!=\", \"left\": {\"payload\": "
		"{\"protocol\": \"tcp\", \"field\": \"dport\"}}, \"right\": "
		"{\"set\": [22, {\"range\": [80, 90]}]}}}") "]}";
	const struct bw_ast_stmt *s;
	struct parsed p;
	const char *at;

	(void)state;
	parse(&p, text);
	assert_int_equal(p.rc, 0);
	s = stmt1(&p);
	assert_int_equal(s->kind, BW_AS_MATCH);
	assert_string_equal(s->proto, "tcp");
	assert_string_equal(s->field, "dport");
	assert_int_equal(s->op, BW_OP_NE);
	assert_int_equal(s->rhs->kind, BW_AE_SET);
	assert_int_equal(s->rhs->elems->kind, BW_AE_NUMBER);
	assert_string_equal(s->rhs->elems->text, "22");
	assert_int_equal(s->rhs->elems->next->kind, BW_AE_RANGE);
	/* "22" is on line 4, at its column; the field name too */
	at = strstr(text, "22, ");
	assert_int_equal(s->rhs->elems->loc.line, 4);
	/* line 4 starts with the rule object */
	assert_int_equal(s->rhs->elems->loc.col,
			 (uint32_t)(at - strstr(text, "{\"rule\"")) + 1);
	assert_int_equal(s->rhs->elems->loc.end_col, s->rhs->elems->loc.col + 1);
	assert_int_equal(s->field_loc.line, 4);
	done(&p);
}

static void test_flag_mask(void **state)
{
	struct parsed p;
	const struct bw_ast_stmt *s;
	const struct bw_ast_expr *l;

	(void)state;
	/* nft's (flags & syn,ack) == syn is the text's `syn / syn,ack`:
	 * a list whose prefix carries the mask's first flag */
	parse(&p, HEAD RULE(
		"{\"match\": {\"op\": \"==\", \"left\": {\"&\": [{\"payload\": "
		"{\"protocol\": \"tcp\", \"field\": \"flags\"}}, [\"syn\", \"ack\"]]}, "
		"\"right\": \"syn\"}}") "]}");
	assert_int_equal(p.rc, 0);
	s = stmt1(&p);
	assert_null(s->mask);
	assert_int_equal(s->op, BW_OP_IMPLICIT);
	l = s->rhs;
	assert_int_equal(l->kind, BW_AE_LIST);
	assert_int_equal(l->elems->kind, BW_AE_PREFIX);
	assert_string_equal(l->elems->left->text, "syn");
	assert_string_equal(l->elems->right->text, "syn");
	assert_string_equal(l->elems->next->text, "ack");
	done(&p);
}

static void test_verdicts_and_stmts(void **state)
{
	struct parsed p;
	const struct bw_ast_stmt *s;

	(void)state;
	parse(&p, HEAD "{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"x\"}},\n"
	      RULE("{\"counter\": {\"packets\": 3, \"bytes\": 4}}, "
		   "{\"log\": {\"prefix\": \"p \", \"level\": \"info\"}}, "
		   "{\"limit\": {\"rate\": 10, \"burst\": 5, \"per\": \"second\"}}, "
		   "{\"reject\": {\"type\": \"icmpx\", \"expr\": \"port-unreachable\"}}, "
		   "{\"jump\": {\"target\": \"x\"}}") "]}");
	assert_int_equal(p.rc, 0);
	s = stmt1(&p);
	assert_int_equal(s->kind, BW_AS_COUNTER);
	assert_string_equal(s->packets->text, "3");
	s = s->next;
	assert_int_equal(s->kind, BW_AS_LOG);
	assert_string_equal(s->log_prefix, "p ");
	assert_string_equal(s->log_level->text, "info");
	s = s->next;
	assert_int_equal(s->kind, BW_AS_LIMIT);
	assert_null(s->burst);		/* 5 packets: nft's default */
	s = s->next;
	assert_int_equal(s->kind, BW_AS_REJECT);
	assert_null(s->rej_kind);	/* a plain reject in inet */
	s = s->next;
	assert_int_equal(s->kind, BW_AS_VERDICT);
	assert_int_equal(s->verdict, BW_AV_JUMP);
	assert_string_equal(s->target, "x");
	done(&p);
}

/* nat, mangle, notrack, quota, queue: nft 1.0.6's JSON to the AST the
 * text parser makes */
static void test_new_stmts(void **state)
{
	struct parsed p;
	const struct bw_ast_stmt *s;
	const struct bw_ast_expr *e;

	(void)state;
	parse(&p, HEAD RULE("{\"dnat\": {\"family\": \"ip6\", \"addr\": {\"range\": [\"2001:db8::1\", \"2001:db8::9\"]}, "
			    "\"port\": {\"range\": [8000, 8100]}, \"flags\": [\"random\", \"persistent\"]}}, "
			    "{\"snat\": {\"addr\": {\"prefix\": {\"addr\": \"192.0.2.0\", \"len\": 28}}, \"flags\": \"fully-random\"}}, "
			    "{\"masquerade\": null}, "
			    "{\"redirect\": {\"port\": 5353}}, "
			    "{\"mangle\": {\"key\": {\"meta\": {\"key\": \"mark\"}}, \"value\": 16}}, "
			    "{\"mangle\": {\"key\": {\"ct\": {\"key\": \"mark\"}}, \"value\": {\"meta\": {\"key\": \"mark\"}}}}, "
			    "{\"mangle\": {\"key\": {\"meta\": {\"key\": \"priority\"}}, \"value\": \"1:2\"}}, "
			    "{\"notrack\": null}, "
			    "{\"quota\": {\"val\": 1, \"val_unit\": \"kbytes\", \"inv\": true, \"used\": 1000, \"used_unit\": \"bytes\"}}, "
			    "{\"quota\": {\"val\": 25, \"val_unit\": \"mbytes\"}}, "
			    "{\"queue\": {\"num\": {\"range\": [1, 2]}, \"flags\": [\"bypass\", \"fanout\"]}}, "
			    "{\"queue\": {\"num\": 3}}") "]}");
	assert_int_equal(p.rc, 0);
	s = stmt1(&p);
	assert_int_equal(s->kind, BW_AS_NAT);
	assert_string_equal(s->nat_kind, "dnat");
	assert_string_equal(s->nat_family, "ip6");
	assert_int_equal(s->nat_addr->kind, BW_AE_RANGE);
	assert_int_equal(s->nat_addr->left->kind, BW_AE_ADDR);
	assert_string_equal(s->nat_addr->right->text, "2001:db8::9");
	assert_int_equal(s->nat_port->kind, BW_AE_RANGE);
	assert_string_equal(s->nat_port->left->text, "8000");
	assert_int_equal(s->nat_flags->kind, BW_AE_LIST);
	assert_string_equal(s->nat_flags->elems->text, "random");
	assert_string_equal(s->nat_flags->elems->next->text, "persistent");
	assert_null(s->nat_flags->elems->next->next);
	s = s->next;
	assert_string_equal(s->nat_kind, "snat");
	assert_null(s->nat_family);
	assert_int_equal(s->nat_addr->kind, BW_AE_PREFIX);
	assert_string_equal(s->nat_addr->right->text, "28");
	assert_null(s->nat_port);
	assert_string_equal(s->nat_flags->elems->text, "fully-random");
	assert_null(s->nat_flags->elems->next);
	s = s->next;
	assert_int_equal(s->kind, BW_AS_NAT);
	assert_string_equal(s->nat_kind, "masquerade");
	assert_null(s->nat_addr);
	assert_null(s->nat_port);
	assert_null(s->nat_flags);
	s = s->next;
	assert_string_equal(s->nat_kind, "redirect");
	assert_int_equal(s->nat_port->kind, BW_AE_NUMBER);
	assert_string_equal(s->nat_port->text, "5353");
	s = s->next;
	assert_int_equal(s->kind, BW_AS_SETF);
	assert_string_equal(s->setf->proto, "meta");
	assert_string_equal(s->setf->field, "mark");
	assert_int_equal(s->setf_value->kind, BW_AE_NUMBER);
	assert_string_equal(s->setf_value->text, "16");
	assert_null(s->setf_src);
	s = s->next;
	assert_string_equal(s->setf->proto, "ct");
	assert_null(s->setf_value);
	assert_string_equal(s->setf_src->proto, "meta");
	assert_string_equal(s->setf_src->field, "mark");
	s = s->next;
	assert_string_equal(s->setf->field, "priority");
	assert_string_equal(s->setf_value->text, "1:2");
	s = s->next;
	assert_int_equal(s->kind, BW_AS_NOTRACK);
	s = s->next;
	assert_int_equal(s->kind, BW_AS_QUOTA);
	assert_string_equal(s->quota_mode, "over");
	assert_string_equal(s->quota_n->text, "1");
	assert_string_equal(s->quota_unit->text, "kbytes");
	assert_string_equal(s->quota_used->text, "1000");
	assert_string_equal(s->quota_used_unit->text, "bytes");
	s = s->next;
	assert_null(s->quota_mode);
	assert_null(s->quota_used);
	assert_string_equal(s->quota_unit->text, "mbytes");
	s = s->next;
	assert_int_equal(s->kind, BW_AS_QUEUE);
	assert_string_equal(s->queue_lo->text, "1");
	assert_string_equal(s->queue_hi->text, "2");
	e = s->queue_flags->elems;
	assert_string_equal(e->text, "bypass");
	assert_string_equal(e->next->text, "fanout");
	s = s->next;
	assert_string_equal(s->queue_lo->text, "3");
	assert_null(s->queue_hi);
	assert_null(s->queue_flags);
	assert_null(s->next);
	done(&p);
}

/* The same statements printed (from the canonical text) in nft 1.0.6's
 * shapes: flags in nft's order, one flag a string, units as nft lists
 * them, the queue number always. */
static void test_print_new_stmts(void **state)
{
	static const char text[] =
		"table inet n {\n\tchain pre {\n"
		"\t\ttype nat hook prerouting priority -100; policy accept;\n"
		"\t\ttcp dport 444 dnat ip6 to [2001:db8::2]-[2001:db8::9]:4443\n"
		"\t\ttcp dport 445 dnat ip to 192.0.2.0/28\n"
		"\t\ttcp dport 3128 redirect to :3000-3010 random\n"
		"\t\tredirect\n"
		"\t}\n\tchain post {\n"
		"\t\ttype nat hook postrouting priority 100; policy accept;\n"
		"\t\tip saddr 192.0.2.0/24 masquerade persistent,random\n"
		"\t\tip saddr 192.0.2.1 snat ip to 203.0.113.9:4000 fully-random\n"
		"\t}\n}\n"
		"table inet m {\n\tchain c {\n"
		"\t\ttype filter hook prerouting priority -150; policy accept;\n"
		"\t\tmeta mark set 0x00000010 ct mark set meta mark meta priority set 1:2 notrack\n"
		"\t\tquota over 1024 kbytes used 1000 bytes quota 5 mbytes used 0 bytes\n"
		"\t\tlimit rate 10 kbytes/minute\n"
		"\t\tqueue flags bypass,fanout to 1-2\n"
		"\t\tqueue to 3\n"
		"\t}\n}\n";
	struct bw_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	(void)state;
	assert_non_null(m);
	bw_diags_init(&d);
	assert_int_equal(bw_json_print_ruleset(text, NULL, m, &d), 0);
	fclose(m);
	assert_non_null(strstr(out, "{\"dnat\": {\"family\": \"ip6\", \"addr\": {\"range\": [\"2001:db8::2\", \"2001:db8::9\"]}, \"port\": 4443}}"));
	assert_non_null(strstr(out, "{\"dnat\": {\"family\": \"ip\", \"addr\": {\"prefix\": {\"addr\": \"192.0.2.0\", \"len\": 28}}}}"));
	assert_non_null(strstr(out, "{\"redirect\": {\"port\": {\"range\": [3000, 3010]}, \"flags\": \"random\"}}"));
	assert_non_null(strstr(out, "\"expr\": [{\"redirect\": null}]"));
	assert_non_null(strstr(out, "{\"masquerade\": {\"flags\": [\"random\", \"persistent\"]}}"));
	assert_non_null(strstr(out, "{\"snat\": {\"family\": \"ip\", \"addr\": \"203.0.113.9\", \"port\": 4000, \"flags\": \"fully-random\"}}"));
	assert_non_null(strstr(out, "[{\"mangle\": {\"key\": {\"meta\": {\"key\": \"mark\"}}, \"value\": 16}}, "
			       "{\"mangle\": {\"key\": {\"ct\": {\"key\": \"mark\"}}, \"value\": {\"meta\": {\"key\": \"mark\"}}}}, "
			       "{\"mangle\": {\"key\": {\"meta\": {\"key\": \"priority\"}}, \"value\": \"1:2\"}}, "
			       "{\"notrack\": null}]"));
	assert_non_null(strstr(out, "[{\"quota\": {\"val\": 1, \"val_unit\": \"mbytes\", \"inv\": true, \"used\": 1000, \"used_unit\": \"bytes\"}}, "
			       "{\"quota\": {\"val\": 5, \"val_unit\": \"mbytes\"}}]"));
	assert_non_null(strstr(out, "{\"limit\": {\"rate\": 10, \"burst\": 0, \"per\": \"minute\", \"rate_unit\": \"kbytes\", \"burst_unit\": \"bytes\"}}"));
	assert_non_null(strstr(out, "{\"queue\": {\"num\": {\"range\": [1, 2]}, \"flags\": [\"bypass\", \"fanout\"]}}"));
	assert_non_null(strstr(out, "{\"queue\": {\"num\": 3}}"));
	bw_diags_fini(&d);
	free(out);
}

/* A mangle's value as nft's bitwise on a field: nft's JSON folded into
 * the text's `and A xor X`, and printed back in nft's split
 * (& m ^ x | o); "==" on tcp flags is the exact compare. */
#define MARK "{\"meta\": {\"key\": \"mark\"}}"
/* fwd and dup (netdev chains nf_tables runs): printed as nft prints
 * them (dup's device in "addr"), read back, and nft's own forms read. */
static void test_fwd_dup(void **state)
{
	static const char text[] =
		"table netdev n {\n\tchain in {\n"
		"\t\ttype filter hook ingress device \"lo\" priority 0; policy accept;\n"
		"\t\tip saddr 192.0.2.1 fwd to \"lo\"\n"
		"\t\tdup to \"lo\"\n"
		"\t\tfwd ip6 to 2001:db8::9 device \"lo\"\n"
		"\t\tfwd to meta mark map { 0x00000001 : \"lo\" }\n"
		"\t}\n}\n";
	struct parsed p;
	const struct bw_ast_stmt *s;
	struct bw_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	(void)state;
	assert_non_null(m);
	bw_diags_init(&d);
	assert_int_equal(bw_json_print_ruleset(text, NULL, m, &d), 0);
	fclose(m);
	assert_non_null(strstr(out, "{\"fwd\": {\"dev\": \"lo\"}}"));
	assert_non_null(strstr(out, "{\"dup\": {\"addr\": \"lo\"}}"));
	assert_non_null(strstr(out, "{\"fwd\": {\"dev\": \"lo\", \"family\": \"ip6\", \"addr\": \"2001:db8::9\"}}"));
	assert_non_null(strstr(out, "{\"fwd\": {\"dev\": {\"map\": {\"key\": {\"meta\": {\"key\": \"mark\"}}, "
			       "\"data\": {\"set\": [[1, \"lo\"]]}}}}}"));
	bw_diags_fini(&d);
	free(out);
	parse(&p, NHEAD NRULE("{\"fwd\": {\"dev\": \"lo\"}}, {\"dup\": {\"addr\": \"eth1\"}}, "
			    "{\"dup\": {\"dev\": \"eth2\"}}, "
			    "{\"fwd\": {\"addr\": \"192.0.2.9\", \"dev\": \"lo\", \"family\": \"ip\"}}, "
			    "{\"dup\": {\"addr\": {\"map\": {\"key\": {\"meta\": {\"key\": \"mark\"}}, "
			    "\"data\": {\"set\": [[1, \"lo\"], [2, \"eth1\"]]}}}}}") "]}");
	assert_int_equal(p.rc, 0);
	s = stmt1(&p);
	assert_int_equal(s->kind, BW_AS_FWD);
	assert_false(s->fwd_dup);
	assert_string_equal(s->fwd_dev->text, "lo");
	assert_null(s->fwd_addr);
	s = s->next;
	assert_true(s->fwd_dup);
	assert_string_equal(s->fwd_dev->text, "eth1");
	s = s->next;
	assert_true(s->fwd_dup);
	assert_string_equal(s->fwd_dev->text, "eth2");
	s = s->next;
	assert_false(s->fwd_dup);
	assert_string_equal(s->fwd_family, "ip");
	assert_string_equal(s->fwd_addr->text, "192.0.2.9");
	assert_string_equal(s->fwd_dev->text, "lo");
	s = s->next;
	assert_true(s->fwd_dup);
	assert_int_equal(s->fwd_dev->kind, BW_AE_MAP);
	done(&p);
	parse(&p, HEAD RULE("{\"fwd\": {\"family\": \"ip\"}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "fwd needs the device as a string"));
	done(&p);
}

static void test_mangle_bits(void **state)
{
	static const char text[] =
		"table inet m {\n\tchain c {\n"
		"\t\ttype filter hook prerouting priority -150; policy accept;\n"
		"\t\tmeta mark set meta mark and 0xffff0000 xor 0x1\n"
		"\t\tmeta mark set meta mark or 0x10\n"
		"\t\tmeta mark set meta mark xor 0x3\n"
		"\t\tmeta mark set meta mark and 0xff\n"
		"\t\tmeta mark set meta mark and 0xff00 xor 0x0f0f\n"
		"\t\tmeta mark set meta mark\n"
		"\t}\n}\n";
	struct parsed p;
	const struct bw_ast_stmt *s;
	struct bw_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *m;

	(void)state;
	parse(&p, HEAD RULE("{\"mangle\": {\"key\": " MARK ", \"value\": "
			    "{\"|\": [{\"&\": [" MARK ", 4294901761]}, 1]}}}, "
			    "{\"mangle\": {\"key\": " MARK ", \"value\": {\"|\": [" MARK ", 16]}}}, "
			    "{\"mangle\": {\"key\": " MARK ", \"value\": {\"^\": [" MARK ", 3]}}}, "
			    "{\"mangle\": {\"key\": " MARK ", \"value\": {\"&\": [" MARK ", 255]}}}, "
			    "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
			    "{\"protocol\": \"tcp\", \"field\": \"flags\"}}, \"right\": 255}}, "
			    "{\"match\": {\"op\": \"in\", \"left\": {\"payload\": "
			    "{\"protocol\": \"tcp\", \"field\": \"flags\"}}, \"right\": \"syn\"}}, "
			    "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": "
			    "{\"protocol\": \"tcp\", \"field\": \"flags\"}}, \"right\": {\"set\": [\"syn\", \"ack\"]}}}") "]}");
	assert_int_equal(p.rc, 0);
	s = stmt1(&p);
	assert_int_equal(s->kind, BW_AS_SETF);
	assert_string_equal(s->setf_src->field, "mark");
	assert_string_equal(s->setf_and->text, "0xffff0000");	/* & 0xffff0001 | 1 */
	assert_string_equal(s->setf_xor->text, "0x00000001");
	assert_null(s->setf_or);
	s = s->next;
	assert_string_equal(s->setf_and->text, "0xffffffef");	/* | 0x10 */
	assert_string_equal(s->setf_xor->text, "0x00000010");
	s = s->next;
	assert_null(s->setf_and);
	assert_string_equal(s->setf_xor->text, "0x00000003");
	s = s->next;
	assert_string_equal(s->setf_and->text, "0x000000ff");
	assert_null(s->setf_xor);
	s = s->next;
	assert_int_equal(s->op, BW_OP_EQ);
	assert_string_equal(s->rhs->text, "0xff");
	s = s->next;
	assert_int_equal(s->op, BW_OP_IMPLICIT);
	s = s->next;			/* a set: the lookup, no operator */
	assert_int_equal(s->op, BW_OP_IMPLICIT);
	assert_int_equal(s->rhs->kind, BW_AE_SET);
	done(&p);
	/* not a number on the right: refused, named */
	parse(&p, HEAD RULE("{\"mangle\": {\"key\": " MARK ", \"value\": {\"^\": [" MARK ", \"x\"]}}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "a mangle's \"^\" is [a field or bitwise, a 32-bit number]"));
	done(&p);

	m = open_memstream(&out, &len);
	assert_non_null(m);
	bw_diags_init(&d);
	assert_int_equal(bw_json_print_ruleset(text, NULL, m, &d), 0);
	fclose(m);
	assert_non_null(strstr(out, "[{\"mangle\": {\"key\": " MARK ", \"value\": "
			       "{\"|\": [{\"&\": [" MARK ", 4294901761]}, 1]}}}]"));
	assert_non_null(strstr(out, "[{\"mangle\": {\"key\": " MARK ", \"value\": {\"|\": [" MARK ", 16]}}}]"));
	assert_non_null(strstr(out, "[{\"mangle\": {\"key\": " MARK ", \"value\": {\"^\": [" MARK ", 3]}}}]"));
	assert_non_null(strstr(out, "[{\"mangle\": {\"key\": " MARK ", \"value\": {\"&\": [" MARK ", 255]}}}]"));
	/* (m & 0xff00) ^ 0x0f0f: 0x0f00 is an xor, 0x000f an or */
	assert_non_null(strstr(out, "[{\"mangle\": {\"key\": " MARK ", \"value\": "
			       "{\"|\": [{\"^\": [{\"&\": [" MARK ", 65295]}, 3840]}, 15]}}}]"));
	assert_non_null(strstr(out, "[{\"mangle\": {\"key\": " MARK ", \"value\": " MARK "}}]"));
	bw_diags_fini(&d);
	free(out);
}
#undef MARK

static void test_errors(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, HEAD RULE("{\"meter\": {\"name\": \"m\"}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "t.json:4:"));
	assert_non_null(strstr(p.msgs, "the statement \"meter\" is not supported"));
	assert_non_null(strstr(p.msgs, "(at nftables[2].rule.expr[0].meter)"));
	done(&p);
	/* a member of a known statement that bpfwall does not take: named */
	parse(&p, HEAD RULE("{\"queue\": {\"num\": 1, \"cpu\": 2}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "queue's \"cpu\" is not supported"));
	done(&p);
	parse(&p, HEAD RULE("{\"mangle\": {\"key\": {\"meta\": {\"key\": \"mark\"}}}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "\"value\" is missing"));
	done(&p);
	parse(&p, HEAD RULE("{\"snat\": {\"addr\": \"192.0.2.1\", \"flags\": [1]}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "snat's \"flags\" is a name or a list of names"));
	done(&p);
	parse(&p, "{\"nftables\": [\n  {\"table\": {\"family\": 1}}]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "t.json:2:24: Error: \"family\" must be a string"));
	done(&p);
	parse(&p, "{\"nftables\": [}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "t.json:1:15: Error: JSON: "));
	done(&p);
	/* duplicate keys would put the locations out of step: refused */
	parse(&p, "{\"nftables\": [], \"nftables\": []}");
	assert_int_equal(p.rc, -EINVAL);
	done(&p);
}

/* Text -> JSON: the shape nft prints. */
static void test_print(void **state)
{
	static const char text[] =
		"table inet t {\n\tchain c {\n"
		"\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\ttcp flags syn / syn,ack meta l4proto icmpv6 tcp dport ssh ct state established,related counter packets 1 bytes 2 accept\n"
		"\t\ttcp dport { 9, 7, 1-5, 6 } ip saddr { 192.0.2.9, 192.0.2.1 } drop\n"
		"\t}\n}\n";
	struct bw_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	(void)state;
	assert_non_null(m);
	bw_diags_init(&d);
	assert_int_equal(bw_json_print_ruleset(text, NULL, m, &d), 0);
	fclose(m);
	assert_non_null(strstr(out, "{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", \"handle\": 4, \"type\": \"filter\", \"hook\": \"input\", \"prio\": 0, \"policy\": \"accept\"}}"));
	assert_non_null(strstr(out, "{\"match\": {\"op\": \"==\", \"left\": {\"&\": [{\"payload\": {\"protocol\": \"tcp\", \"field\": \"flags\"}}, [\"syn\", \"ack\"]]}, \"right\": \"syn\"}}"));
	assert_non_null(strstr(out, "\"right\": \"ipv6-icmp\""));
	assert_non_null(strstr(out, "\"right\": 22}"));
	assert_non_null(strstr(out, "{\"match\": {\"op\": \"in\", \"left\": {\"ct\": {\"key\": \"state\"}}, \"right\": [\"established\", \"related\"]}}"));
	assert_non_null(strstr(out, "{\"counter\": {\"packets\": 1, \"bytes\": 2}}, {\"accept\": null}"));
	assert_non_null(strstr(out, "\"handle\": 1, \"expr\""));
	/* sorted by value; an interval set's adjacent elements merged */
	assert_non_null(strstr(out, "\"right\": {\"set\": [{\"range\": [1, 7]}, 9]}"));
	assert_non_null(strstr(out, "\"right\": {\"set\": [\"192.0.2.1\", \"192.0.2.9\"]}"));
	bw_diags_fini(&d);
	free(out);
}

/* A netdev chain on several devices and a flowtable, both ways: "dev"
 * a list, the flowtable object and the flow statement. */
static void test_devices_flowtable(void **state)
{
	static const char text[] =
		"table netdev n {\n\tchain c {\n"
		"\t\ttype filter hook ingress devices = { bwt0, bwt1 } priority filter; policy accept;\n"
		"\t}\n}\n"
		"table inet t {\n\tflowtable ft {\n\t\thook ingress priority filter + 5\n"
		"\t\tdevices = { bwt0, bwt1 }\n\t\tflags offload\n\t\tcounter\n\t}\n\n"
		"\tchain f {\n\t\ttype filter hook forward priority filter; policy accept;\n"
		"\t\tflow add @ft\n\t}\n}\n";
	const struct bw_ast_item *n, *t, *hook, *ft, *rule;
	struct parsed p;
	struct bw_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	(void)state;
	assert_non_null(m);
	bw_diags_init(&d);
	assert_int_equal(bw_json_print_ruleset(text, NULL, m, &d), 0);
	fclose(m);
	bw_diags_fini(&d);
	assert_non_null(strstr(out, "\"hook\": \"ingress\", \"prio\": 0, \"policy\": \"accept\", \"dev\": [\"bwt0\", \"bwt1\"]"));
	assert_non_null(strstr(out, "{\"flowtable\": {\"family\": \"inet\", \"name\": \"ft\", \"table\": \"t\", \"handle\": 5, \"hook\": \"ingress\", \"prio\": 5, \"dev\": [\"bwt0\", \"bwt1\"], \"flags\": [\"offload\", \"counter\"]}}"));
	assert_non_null(strstr(out, "{\"flow\": {\"op\": \"add\", \"flowtable\": \"@ft\"}}"));
	parse(&p, out);
	assert_int_equal(p.rc, 0);
	n = p.ast->items;
	hook = n->items->items;
	assert_int_equal(hook->kind, BW_AI_HOOK);
	assert_non_null(hook->devices);
	assert_string_equal(hook->device, "bwt0");
	assert_string_equal(hook->devices->elems->next->text, "bwt1");
	t = n->next;
	ft = t->items;
	assert_int_equal(ft->kind, BW_AI_FLOWTABLE);
	assert_string_equal(ft->ft_name, "ft");
	assert_string_equal(ft->ft_hook, "ingress");
	assert_string_equal(ft->ft_prio.num, "5");
	assert_true(ft->ft_offload && ft->ft_counter);
	assert_string_equal(ft->ft_devs->elems->text, "bwt0");
	for (rule = ft->next->items; rule && rule->kind != BW_AI_RULE; rule = rule->next)
		;
	assert_non_null(rule);
	assert_int_equal(rule->stmts->kind, BW_AS_FLOW);
	assert_string_equal(rule->stmts->flow_table, "ft");
	done(&p);
	free(out);
}

/* JSON -> AST: nft's exthdr objects, | and ^ masks, a numeric prefix. */
static void test_parse_exthdr_masks(void **state)
{
	struct parsed p;
	const struct bw_ast_stmt *s;

	(void)state;
	parse(&p, HEAD RULE(
		"{\"match\": {\"op\": \"==\", \"left\": {\"exthdr\": {\"name\": \"frag\"}}, \"right\": false}}, "
		"{\"match\": {\"op\": \"!=\", \"left\": {\"exthdr\": {\"name\": \"rt\", \"field\": \"seg-left\"}}, \"right\": 0}}, "
		"{\"match\": {\"op\": \"==\", \"left\": {\"|\": [{\"meta\": {\"key\": \"mark\"}}, 3]}, \"right\": 7}}, "
		"{\"match\": {\"op\": \"!=\", \"left\": {\"^\": [{\"meta\": {\"key\": \"mark\"}}, 3]}, \"right\": 1}}, "
		"{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"mark\"}}, "
		"\"right\": {\"prefix\": {\"addr\": 4294967040, \"len\": 24}}}}") "]}");
	assert_int_equal(p.rc, 0);
	s = stmt1(&p);
	/* exthdr frag missing */
	assert_string_equal(s->proto, "exthdr");
	assert_string_equal(s->field, "frag");
	assert_int_equal(s->op, BW_OP_IMPLICIT);
	assert_int_equal(s->rhs->kind, BW_AE_SYMBOL);
	assert_string_equal(s->rhs->text, "missing");
	/* rt seg-left != 0 */
	s = s->next;
	assert_string_equal(s->proto, "rt");
	assert_string_equal(s->field, "seg-left");
	assert_int_equal(s->op, BW_OP_NE);
	/* meta mark | 3 == 7 */
	s = s->next;
	assert_non_null(s->mask);
	assert_int_equal(s->mask_op, BW_MASK_OR);
	assert_string_equal(s->mask->text, "3");
	assert_string_equal(s->rhs->text, "7");
	s = s->next;
	assert_int_equal(s->mask_op, BW_MASK_XOR);
	assert_int_equal(s->op, BW_OP_NE);
	/* meta mark 4294967040/24 */
	s = s->next;
	assert_null(s->mask);
	assert_int_equal(s->rhs->kind, BW_AE_PREFIX);
	assert_int_equal(s->rhs->left->kind, BW_AE_NUMBER);
	assert_string_equal(s->rhs->left->text, "4294967040");
	assert_string_equal(s->rhs->right->text, "24");
	done(&p);
	/* a prefix's addr of another type: named */
	parse(&p, HEAD RULE("{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"mark\"}}, "
			    "\"right\": {\"prefix\": {\"addr\": [1], \"len\": 24}}}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "\"addr\" must be an address or a number"));
	done(&p);
}

/* AST -> JSON: the same forms as nft lists them. */
static void test_print_exthdr_masks(void **state)
{
	static const char text[] =
		"table inet t {\n\tchain c {\n"
		"\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\texthdr frag exists exthdr rt missing hbh nexthdr ipv6-route mh type binding-update drop\n"
		"\t\tmeta mark | 0x03 == 0x07 meta mark ^ 0x03 != 0x01 ip ttl & 0xf0 == 0x40 drop\n"
		"\t\tmeta mark & 0xffffff00 == 0x00000100 tcp dport & 0xff00 == 0x1600 drop\n"
		"\t\tudp dport >= 10 udp dport <= 20 tcp dport { 5-9 } tcp flags { syn } drop\n"
		"\t}\n}\n";
	struct bw_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	(void)state;
	assert_non_null(m);
	bw_diags_init(&d);
	assert_int_equal(bw_json_print_ruleset(text, NULL, m, &d), 0);
	fclose(m);
	assert_non_null(strstr(out, "[{\"match\": {\"op\": \"==\", \"left\": {\"exthdr\": {\"name\": \"frag\"}}, \"right\": true}}, "
			       "{\"match\": {\"op\": \"==\", \"left\": {\"exthdr\": {\"name\": \"rt\"}}, \"right\": false}}, "
			       "{\"match\": {\"op\": \"==\", \"left\": {\"exthdr\": {\"name\": \"hbh\", \"field\": \"nexthdr\"}}, \"right\": \"ipv6-route\"}}, "
			       "{\"match\": {\"op\": \"==\", \"left\": {\"exthdr\": {\"name\": \"mh\", \"field\": \"type\"}}, \"right\": \"binding-update\"}}"));
	assert_non_null(strstr(out, "{\"match\": {\"op\": \"==\", \"left\": {\"|\": [{\"meta\": {\"key\": \"mark\"}}, 3]}, \"right\": 7}}, "
			       "{\"match\": {\"op\": \"!=\", \"left\": {\"^\": [{\"meta\": {\"key\": \"mark\"}}, 3]}, \"right\": 1}}, "
			       "{\"match\": {\"op\": \"==\", \"left\": {\"&\": [{\"payload\": {\"protocol\": \"ip\", \"field\": \"ttl\"}}, 240]}, \"right\": 64}}"));
	/* prefix masks: a mark's, a header field's of whole bytes */
	assert_non_null(strstr(out, "{\"match\": {\"op\": \"==\", \"left\": {\"meta\": {\"key\": \"mark\"}}, "
			       "\"right\": {\"prefix\": {\"addr\": 256, \"len\": 24}}}}"));
	assert_non_null(strstr(out, "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, "
			       "\"right\": {\"prefix\": {\"addr\": 5632, \"len\": 8}}}}"));
	/* >= then <= is one range; a set of one is its element */
	assert_non_null(strstr(out, "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"udp\", \"field\": \"dport\"}}, "
			       "\"right\": {\"range\": [10, 20]}}}, "
			       "{\"match\": {\"op\": \"==\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"dport\"}}, "
			       "\"right\": {\"range\": [5, 9]}}}, "
			       "{\"match\": {\"op\": \"in\", \"left\": {\"payload\": {\"protocol\": \"tcp\", \"field\": \"flags\"}}, \"right\": \"syn\"}}"));
	bw_diags_fini(&d);
	free(out);
}

/* A map whose values are concatenations (compiler/front/mapcat.h), both
 * ways: its "map" type and elements' {"concat": [...]} values as nft
 * prints them, and add @m { KEY : C1 . C2 } as nft's map statement. */
static void test_mapcat(void **state)
{
	static const char text[] =
		"table ip t {\n\tmap gw {\n"
		"\t\ttype ipv4_addr : ipv4_addr . inet_service\n"
		"\t\telements = { 192.0.2.1 : 198.51.100.2 . 80 }\n\t}\n\n"
		"\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\tadd @gw { ip saddr : 203.0.113.5 . 443 }\n\t}\n}\n";
	static const char json[] = HEAD
		"{\"map\": {\"family\": \"inet\", \"name\": \"gw\", \"table\": \"t\", "
		"\"type\": \"ipv4_addr\", \"map\": \"ipv4_addr . inet_service\"}},\n"
		RULE("{\"map\": {\"op\": \"add\", \"elem\": {\"payload\": "
		     "{\"protocol\": \"ip\", \"field\": \"saddr\"}}, \"data\": "
		     "{\"concat\": [\"203.0.113.5\", 443]}, \"map\": \"@gw\"}}") "]}";
	struct bw_diags d;
	struct parsed p;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	(void)state;
	assert_non_null(m);
	bw_diags_init(&d);
	assert_int_equal(bw_json_print_ruleset(text, NULL, m, &d), 0);
	fclose(m);
	assert_non_null(strstr(out, "\"map\": \"ipv4_addr . inet_service\", \"elem\": [[\"192.0.2.1\", {\"concat\": [\"198.51.100.2\", 80]}]]"));
	assert_non_null(strstr(out, "\"data\": {\"concat\": [\"203.0.113.5\", 443]}, \"map\": \"@gw\""));
	bw_diags_fini(&d);
	free(out);
	parse(&p, json);
	if (p.rc)
		fail_msg("%s", p.msgs);
	assert_non_null(stmt1(&p)->dyn_data);
	assert_int_equal(stmt1(&p)->dyn_data->kind, BW_AE_CONCAT);
	done(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_concat_names),
		cmocka_unit_test(test_match_location),
		cmocka_unit_test(test_flag_mask),
		cmocka_unit_test(test_verdicts_and_stmts),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_new_stmts),
		cmocka_unit_test(test_print_new_stmts),
		cmocka_unit_test(test_mangle_bits),
		cmocka_unit_test(test_parse_exthdr_masks),
		cmocka_unit_test(test_print_exthdr_masks),
		cmocka_unit_test(test_fwd_dup),
		cmocka_unit_test(test_devices_flowtable),
		cmocka_unit_test(test_mapcat),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
