// SPDX-License-Identifier: GPL-2.0-only
/* Scanner and parser: exact locations, keywords, separators, recovery. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "grammar/ast.h"
#include "grammar/diag.h"

struct parsed {
	struct bw_diags d;
	struct bw_ast *ast;
	const struct bw_src *src;
	int rc;
	char *msgs;		/* printed diagnostics */
};

static void parse(struct parsed *p, const char *text, enum bw_parse_mode mode)
{
	size_t len = 0;
	FILE *m;

	memset(p, 0, sizeof(*p));
	bw_diags_init(&p->d);
	p->d.max_print = 100;
	p->src = bw_src_string(&p->d, "t.conf", text);
	assert_non_null(p->src);
	p->rc = bw_ast_parse(p->src, mode, &p->d, &p->ast);
	m = open_memstream(&p->msgs, &len);
	assert_non_null(m);
	bw_diags_print(&p->d, m);
	fclose(m);
}

static void done(struct parsed *p)
{
	bw_ast_free(&p->ast);
	assert_null(p->ast);
	bw_diags_fini(&p->d);
	free(p->msgs);
}

/* Where `needle` (the n-th occurrence on that line, from 1) starts on line
 * `line` of text: 1-based column. */
static uint32_t col_of(const char *text, uint32_t line, const char *needle,
		       int nth)
{
	const char *p = text;

	for (uint32_t l = 1; l < line; l++) {
		p = strchr(p, '\n');
		assert_non_null(p);
		p++;
	}
	const char *eol = strchr(p, '\n');
	const char *hit = p;

	for (int i = 0; i < nth; i++) {
		hit = strstr(i ? hit + 1 : hit, needle);
		assert_non_null(hit);
	}
	assert_true(!eol || hit < eol);
	return (uint32_t)(hit - p) + 1;
}

/* The span of loc must be exactly `needle` on `line`. */
static void check_loc(const char *text, const struct bw_loc *loc,
		      uint32_t line, const char *needle, int nth)
{
	uint32_t col = col_of(text, line, needle, nth);

	if (loc->line != line || loc->col != col ||
	    loc->end_col != col + strlen(needle) - 1)
		print_error("loc %u:%u-%u:%u, want \"%s\" at %u:%u\n", loc->line,
			    loc->col, loc->end_line, loc->end_col, needle, line, col);
	assert_non_null(loc->src);
	assert_int_equal(loc->line, line);
	assert_int_equal(loc->end_line, line);
	assert_int_equal(loc->col, col);
	assert_int_equal(loc->end_col, col + strlen(needle) - 1);
}

static const char ruleset[] =
	"define p = 22\n"
	"table netdev edge {\n"
	"\tchain in {\n"
	"\t\ttype filter hook ingress device \"veth0\" priority -5; policy drop;\n"
	"\t\tip saddr { 192.0.2.1, 198.51.100.0/24 } tcp dport != 8000-8080 counter accept comment \"x y\"\n"
	"\t\ttcp flags & (syn | ack) == syn meta l4proto $p counter packets 1 bytes 2 drop\n"
	"\t}\n"
	"}\n";

static void test_locations(void **state)
{
	struct parsed p;
	const struct bw_ast_item *def, *tab, *ch, *hook, *pol, *r1, *r2;
	const struct bw_ast_stmt *s;
	const struct bw_ast_expr *e;

	parse(&p, ruleset, BW_PARSE_RULESET);
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.msgs, "");

	def = p.ast->items;
	assert_int_equal(def->kind, BW_AI_DEFINE);
	assert_string_equal(def->name, "p");
	check_loc(ruleset, &def->name_loc, 1, "p", 1);
	check_loc(ruleset, &def->value->loc, 1, "22", 1);
	check_loc(ruleset, &def->loc, 1, "define p = 22", 1);

	tab = def->next;
	assert_int_equal(tab->kind, BW_AI_TABLE);
	assert_string_equal(tab->family, "netdev");
	assert_string_equal(tab->name, "edge");
	check_loc(ruleset, &tab->family_loc, 2, "netdev", 1);
	check_loc(ruleset, &tab->name_loc, 2, "edge", 1);
	assert_int_equal(tab->loc.line, 2);
	assert_int_equal(tab->loc.col, 1);
	assert_int_equal(tab->loc.end_line, 8);
	assert_int_equal(tab->loc.end_col, 1);
	assert_null(tab->next);

	ch = tab->items;
	assert_int_equal(ch->kind, BW_AI_CHAIN);
	assert_string_equal(ch->name, "in");
	check_loc(ruleset, &ch->name_loc, 3, "in", 2);

	hook = ch->items;
	assert_int_equal(hook->kind, BW_AI_HOOK);
	assert_string_equal(hook->type, "filter");
	assert_string_equal(hook->hook, "ingress");
	assert_string_equal(hook->device, "veth0");
	check_loc(ruleset, &hook->type_loc, 4, "filter", 1);
	check_loc(ruleset, &hook->hook_loc, 4, "ingress", 1);
	check_loc(ruleset, &hook->device_loc, 4, "\"veth0\"", 1);
	check_loc(ruleset, &hook->prio.loc, 4, "-5", 1);
	assert_true(hook->prio.neg);
	assert_string_equal(hook->prio.num, "5");
	assert_null(hook->prio.name);
	check_loc(ruleset, &hook->loc, 4,
		  "type filter hook ingress device \"veth0\" priority -5", 1);

	pol = hook->next;
	assert_int_equal(pol->kind, BW_AI_POLICY);
	assert_string_equal(pol->policy, "drop");
	check_loc(ruleset, &pol->policy_loc, 4, "drop", 1);

	r1 = pol->next;
	assert_int_equal(r1->kind, BW_AI_RULE);
	assert_string_equal(r1->comment, "x y");
	check_loc(ruleset, &r1->comment_loc, 5, "\"x y\"", 1);
	check_loc(ruleset, &r1->loc, 5,
		  "ip saddr { 192.0.2.1, 198.51.100.0/24 } tcp dport != 8000-8080 counter accept comment \"x y\"", 1);
	s = r1->stmts;
	assert_int_equal(s->kind, BW_AS_MATCH);
	assert_string_equal(s->proto, "ip");
	assert_string_equal(s->field, "saddr");
	assert_int_equal(s->op, BW_OP_IMPLICIT);
	assert_null(s->op_loc.src);
	check_loc(ruleset, &s->proto_loc, 5, "ip", 1);
	check_loc(ruleset, &s->field_loc, 5, "saddr", 1);
	check_loc(ruleset, &s->loc, 5, "ip saddr { 192.0.2.1, 198.51.100.0/24 }", 1);
	e = s->rhs;
	assert_int_equal(e->kind, BW_AE_SET);
	check_loc(ruleset, &e->loc, 5, "{ 192.0.2.1, 198.51.100.0/24 }", 1);
	assert_int_equal(e->elems->kind, BW_AE_ADDR);
	check_loc(ruleset, &e->elems->loc, 5, "192.0.2.1", 1);
	assert_int_equal(e->elems->next->kind, BW_AE_PREFIX);
	check_loc(ruleset, &e->elems->next->loc, 5, "198.51.100.0/24", 1);
	check_loc(ruleset, &e->elems->next->right->loc, 5, "24", 1);
	assert_null(e->elems->next->next);

	s = s->next;
	assert_string_equal(s->proto, "tcp");
	assert_int_equal(s->op, BW_OP_NE);
	check_loc(ruleset, &s->op_loc, 5, "!=", 1);
	assert_int_equal(s->rhs->kind, BW_AE_RANGE);
	check_loc(ruleset, &s->rhs->loc, 5, "8000-8080", 1);
	check_loc(ruleset, &s->rhs->left->loc, 5, "8000", 1);
	check_loc(ruleset, &s->rhs->right->loc, 5, "8080", 1);

	s = s->next;
	assert_int_equal(s->kind, BW_AS_COUNTER);
	assert_null(s->packets);
	check_loc(ruleset, &s->loc, 5, "counter", 1);
	s = s->next;
	assert_int_equal(s->kind, BW_AS_VERDICT);
	assert_int_equal(s->verdict, BW_AV_ACCEPT);
	check_loc(ruleset, &s->loc, 5, "accept", 1);
	assert_null(s->next);

	r2 = r1->next;
	s = r2->stmts;
	assert_string_equal(s->field, "flags");
	assert_non_null(s->mask);
	assert_int_equal(s->mask->kind, BW_AE_OR);
	assert_true(s->mask->paren);
	check_loc(ruleset, &s->mask->loc, 6, "(syn | ack)", 1);
	assert_int_equal(s->op, BW_OP_EQ);
	assert_int_equal(s->rhs->kind, BW_AE_SYMBOL);
	check_loc(ruleset, &s->rhs->loc, 6, "syn", 2);
	s = s->next;
	assert_int_equal(s->rhs->kind, BW_AE_VAR);
	assert_string_equal(s->rhs->text, "p");
	check_loc(ruleset, &s->rhs->loc, 6, "$p", 1);
	s = s->next;
	assert_int_equal(s->kind, BW_AS_COUNTER);
	assert_string_equal(s->packets->text, "1");
	assert_string_equal(s->bytes->text, "2");
	check_loc(ruleset, &s->loc, 6, "counter packets 1 bytes 2", 1);
	check_loc(ruleset, &s->bytes->loc, 6, "2", 1);
	assert_int_equal(s->next->verdict, BW_AV_DROP);
	assert_null(r2->next);
	done(&p);
}

static void test_multiline_set(void **state)
{
	static const char text[] =
		"table ip t {\n"
		"\tchain c {\n"
		"\t\ttcp dport {\n"
		"\t\t\t22,\n"
		"\t\t\t80,\n"
		"\t\t} drop\n"
		"\t}\n"
		"}";
	struct parsed p;
	const struct bw_ast_expr *set;

	parse(&p, text, BW_PARSE_RULESET);
	assert_int_equal(p.rc, 0);
	set = p.ast->items->items->items->stmts->rhs;
	assert_int_equal(set->kind, BW_AE_SET);
	assert_int_equal(set->loc.line, 3);
	assert_int_equal(set->loc.end_line, 6);
	assert_int_equal(set->loc.end_col, 3);
	check_loc(text, &set->elems->loc, 4, "22", 1);
	check_loc(text, &set->elems->next->loc, 5, "80", 1);
	assert_null(set->elems->next->next);
	done(&p);
}

static void test_keywords_as_names(void **state)
{
	static const char text[] =
		"table inet filter {\n"
		"\tchain ingress {\n\t}\n"
		"\tchain log {\n\t}\n"
		"\tchain fwd {\n\t}\n"
		"\tchain mark {\n\t}\n"
		"}\n"
		"table ip packets {\n}\n"
		"table t {\n}\n";
	const char *names[] = { "ingress", "log", "fwd", "mark" };
	struct parsed p;
	const struct bw_ast_item *it;
	int i = 0;

	parse(&p, text, BW_PARSE_RULESET);
	assert_string_equal(p.msgs, "");
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.ast->items->name, "filter");
	for (it = p.ast->items->items; it; it = it->next)
		assert_string_equal(it->name, names[i++]);
	assert_int_equal(i, 4);
	assert_string_equal(p.ast->items->next->name, "packets");
	assert_null(p.ast->items->next->next->family);
	done(&p);
}

static void test_separators(void **state)
{
	struct parsed p;

	/* ';' and newlines are interchangeable; no newline at the end */
	parse(&p, "table ip t { chain c { type filter hook input priority 0; "
		  "policy drop; tcp dport 22 accept; drop; }\n}", BW_PARSE_RULESET);
	assert_string_equal(p.msgs, "");
	assert_int_equal(p.rc, 0);
	done(&p);

	/* nft wants a separator before '}', and after a chain's '}' */
	parse(&p, "table ip t {\n\tchain c {\n\t\taccept }\n}\n", BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs,
		"t.conf:3:10: Error: syntax error, unexpected '}', expecting newline or semicolon\n"
		"\t\taccept }\n"
		"\t\t       ^\n"));
	done(&p);

	/* ... but not after a set's elements: `elements = { 1 } }` */
	parse(&p, "table ip t {\n\tset s { type ipv4_addr; elements = { 192.0.2.1 } }\n}\n",
	      BW_PARSE_RULESET);
	assert_string_equal(p.msgs, "");
	assert_int_equal(p.rc, 0);
	done(&p);
	/* and a type still needs one */
	parse(&p, "table ip t {\n\tset s { type ipv4_addr }\n}\n", BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	done(&p);

	/* a comment ends a rule */
	parse(&p, "table ip t {\n\tchain c {\n\t\ttcp dport 1 comment \"a\" drop\n\t}\n}\n",
	      BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "t.conf:3:27-30: Error: syntax error, unexpected drop"));
	done(&p);
}

int bw_scan_tables_sorted(void);

static void test_empty_and_comments(void **state)
{
	assert_true(bw_scan_tables_sorted());	/* bsearch over keywords */
	struct parsed p;

	parse(&p, "", BW_PARSE_RULESET);
	assert_int_equal(p.rc, 0);
	assert_null(p.ast->items);
	done(&p);

	parse(&p, "# nothing\n\n   # more\n;\n", BW_PARSE_RULESET);
	assert_int_equal(p.rc, 0);
	assert_null(p.ast->items);
	done(&p);

	parse(&p, "flush ruleset # comment\ntable ip t { # open\n}", BW_PARSE_RULESET);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.ast->items->kind, BW_AI_FLUSH);
	assert_int_equal(p.ast->items->next->kind, BW_AI_TABLE);
	done(&p);

	/* a backslash joins lines */
	parse(&p, "table ip t {\n\tchain c {\n\t\ttcp dport 22 \\\n\t\t\taccept\n\t}\n}\n",
	      BW_PARSE_RULESET);
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.ast->items->items->items->stmts->next->loc.line, 4);
	done(&p);
}

static void test_recovery(void **state)
{
	static const char text[] =
		"table ip t {\n"
		"\tchain c {\n"
		"\t\ttcp dport == == 1\n"
		"\t\tudp dport 2 accept\n"
		"\t\tip saddr { 1, } } drop\n"
		"\t\tip daddr ) drop\n"
		"\t}\n"
		"}\n";
	struct parsed p;

	parse(&p, text, BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	assert_null(p.ast);
	assert_non_null(strstr(p.msgs, "t.conf:3:16-17: Error: syntax error, unexpected ==\n"));
	assert_non_null(strstr(p.msgs, "t.conf:5:19: Error: syntax error, unexpected '}', expecting newline or semicolon\n"));
	assert_non_null(strstr(p.msgs, "t.conf:6:12: Error: syntax error, unexpected ')'\n"));
	done(&p);
}

static void test_unclosed(void **state)
{
	struct parsed p;

	parse(&p, "table ip t {\n\tchain c {\n\t\tdrop\n\t}\n", BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	assert_string_equal(p.msgs,
		"t.conf:4:3: Error: syntax error, unexpected end of file\n"
		"\t}\n"
		"\t ^\n"
		"t.conf:1:12: Note: this '{' is never closed\n"
		"table ip t {\n"
		"           ^\n");
	done(&p);

	parse(&p, "table ip t {\n\tchain c {\n\t\taccept comment \"abc\n\t}\n}\n",
	      BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "t.conf:3:18-21: Error: unterminated string\n"));
	done(&p);
}

static void test_unsupported(void **state)
{
	struct parsed p;

	parse(&p, "table ip t {\n\tchain c {\n\t\tip saddr 192.0.2.1 meter m { ip saddr counter }\n"
		  "\t\tmeter m2 { ip daddr counter }\n\t}\n}\n", BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	assert_string_equal(p.msgs,
		"t.conf:3:22-26: Error: the meter statement is not supported yet\n"
		"\t\tip saddr 192.0.2.1 meter m { ip saddr counter }\n"
		"\t\t                   ^^^^^\n"
		"t.conf:4:3-7: Error: the meter statement is not supported yet\n"
		"\t\tmeter m2 { ip daddr counter }\n"
		"\t\t^^^^^\n");
	done(&p);
}

/* ipsec, spnum and dup are words of their own (the ipsec expression,
 * the dup statement) and still names: of a table, a chain, a set, a
 * define, as before they were keywords */
static void test_xfrm_dup_words(void **state)
{
	struct parsed p;

	(void)state;
	parse(&p, "define spnum = 22\ntable ip ipsec {\n\tchain dup {\n"
		  "\t\tipsec in spnum 0x2 ip saddr 192.0.2.1 dup to 192.0.2.9 device \"lo\"\n"
		  "\t\tmeta ipsec exists rt ipsec missing tcp dport $spnum jump spnum\n\t}\n"
		  "\tchain spnum {\n\t}\n}\n", BW_PARSE_RULESET);
	assert_int_equal(p.rc, 0);
	done(&p);
	parse(&p, "table ip t {\n\tchain c {\n\t\tipsec in spnum 256 reqid 1\n\t}\n}\n",
	      BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	assert_non_null(strstr(p.msgs, "t.conf:3:12-20: Error: value too large: ipsec spnum is 0 to 255"));
	done(&p);
}

static void test_tokens(void **state)
{
	static const char text[] =
		"table ip t {\n"
		"\tchain c {\n"
		"\t\tether saddr 02:00:00:00:00:0a ip6 saddr ::ffff:192.0.2.1 ip6 daddr fe80::1/64 drop\n"
		"\t\ttcp dport 0x16 icmp type echo-request meta length <= 100 drop\n"
		"\t\tjump other\n"
		"\t\tgoto other\n"
		"\t\treturn\n"
		"\t}\n"
		"}\n";
	struct parsed p;
	const struct bw_ast_item *r;
	const struct bw_ast_stmt *s;

	parse(&p, text, BW_PARSE_RULESET);
	assert_string_equal(p.msgs, "");
	r = p.ast->items->items->items;
	s = r->stmts;
	assert_int_equal(s->rhs->kind, BW_AE_ADDR);
	assert_string_equal(s->rhs->text, "02:00:00:00:00:0a");
	assert_string_equal(s->next->rhs->text, "::ffff:192.0.2.1");
	assert_int_equal(s->next->next->rhs->kind, BW_AE_PREFIX);
	assert_string_equal(s->next->next->rhs->left->text, "fe80::1");
	s = r->next->stmts;
	assert_int_equal(s->rhs->kind, BW_AE_NUMBER);
	assert_string_equal(s->rhs->text, "0x16");
	assert_int_equal(s->next->rhs->kind, BW_AE_SYMBOL);
	assert_string_equal(s->next->rhs->text, "echo-request");
	assert_int_equal(s->next->next->op, BW_OP_LE);
	s = r->next->next->stmts;
	assert_int_equal(s->verdict, BW_AV_JUMP);
	assert_string_equal(s->target, "other");
	assert_int_equal(r->next->next->next->stmts->verdict, BW_AV_GOTO);
	assert_int_equal(r->next->next->next->next->stmts->verdict, BW_AV_RETURN);
	done(&p);
}

static void test_pktspec(void **state)
{
	static const char text[] =
		"egress device \"veth0\" ip saddr 192.0.2.1 tcp flags syn|ack tcp dport ssh";
	struct parsed p;
	const struct bw_ast_stmt *s;

	parse(&p, text, BW_PARSE_PKTSPEC);
	assert_string_equal(p.msgs, "");
	assert_int_equal(p.rc, 0);
	assert_string_equal(p.ast->pkt_dir, "egress");
	check_loc(text, &p.ast->pkt_dir_loc, 1, "egress", 1);
	assert_string_equal(p.ast->pkt_device, "veth0");
	check_loc(text, &p.ast->pkt_device_loc, 1, "\"veth0\"", 1);
	s = p.ast->terms;
	check_loc(text, &s->loc, 1, "ip saddr 192.0.2.1", 1);
	assert_int_equal(s->next->rhs->kind, BW_AE_OR);
	check_loc(text, &s->next->rhs->loc, 1, "syn|ack", 1);
	assert_string_equal(s->next->next->rhs->text, "ssh");
	assert_null(s->next->next->next);
	assert_null(p.ast->items);
	done(&p);

	parse(&p, "ip saddr 192.0.2.1", BW_PARSE_PKTSPEC);
	assert_int_equal(p.rc, 0);
	assert_null(p.ast->pkt_dir);
	assert_null(p.ast->pkt_device);
	done(&p);

	parse(&p, "table ip t {}", BW_PARSE_PKTSPEC);
	assert_int_equal(p.rc, -EINVAL);
	done(&p);

	/* a rule file is not a packet, and the other way round */
	parse(&p, "ip saddr 192.0.2.1", BW_PARSE_RULESET);
	assert_int_equal(p.rc, -EINVAL);
	done(&p);
}

static void test_arena(void **state)
{
	struct bw_arena *a = NULL;
	char *s;

	assert_int_equal(bw_arena_new(&a), 0);
	for (int i = 0; i < 10000; i++) {
		size_t n = (size_t)(i % 97) + 1;
		unsigned char *p = bw_arena_alloc(a, n);

		assert_non_null(p);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (size_t j = 0; j < n; j++)
			assert_int_equal(p[j], 0);
		memset(p, 0xa5, n);
	}
	assert_non_null(bw_arena_alloc(a, 3 * 1024 * 1024));	/* > one chunk */
	s = bw_arena_strndup(a, "abcdef", 3);
	assert_string_equal(s, "abc");
	bw_arena_free(&a);
	assert_null(a);
	bw_arena_free(&a);
}

static void test_op_names(void **state)
{
	assert_string_equal(bw_ast_op_str(BW_OP_IMPLICIT), "");
	assert_string_equal(bw_ast_op_str(BW_OP_NE), "!=");
	assert_string_equal(bw_ast_op_str(BW_OP_GE), ">=");
	assert_string_equal(bw_ast_verdict_str(BW_AV_DROP), "drop");
	assert_string_equal(bw_ast_verdict_str(BW_AV_GOTO), "goto");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_multiline_set),
		cmocka_unit_test(test_keywords_as_names),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_empty_and_comments),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_unclosed),
		cmocka_unit_test(test_unsupported),
		cmocka_unit_test(test_xfrm_dup_words),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_pktspec),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_op_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
