// SPDX-License-Identifier: GPL-2.0-only
/* nft's JSON to the AST (grammar/json_parse.c) and the AST to nft's JSON
 * (compiler/json_print.c): the nodes, their locations in the JSON text,
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
#include "compiler/json.h"
#include "compiler/ir.h"

#define HEAD "{\"nftables\": [\n" \
	"{\"table\": {\"family\": \"inet\", \"name\": \"t\"}},\n" \
	"{\"chain\": {\"family\": \"inet\", \"table\": \"t\", \"name\": \"c\", " \
	"\"type\": \"filter\", \"hook\": \"input\", \"prio\": -5, \"policy\": \"drop\"}},\n"
#define RULE(EXPR) "{\"rule\": {\"family\": \"inet\", \"table\": \"t\", " \
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

static void test_errors(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, HEAD RULE("{\"queue\": {\"num\": 1}}") "]}");
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "t.json:4:"));
	assert_non_null(strstr(p.msgs, "the statement \"queue\" is not supported"));
	assert_non_null(strstr(p.msgs, "(at nftables[2].rule.expr[0].queue)"));
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain),
		cmocka_unit_test(test_match_location),
		cmocka_unit_test(test_flag_mask),
		cmocka_unit_test(test_verdicts_and_stmts),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
