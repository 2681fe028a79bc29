// SPDX-License-Identifier: GPL-2.0-only
/*
 * Golden instructions per rule form, generated from rule text (as
 * nftables' tests/py *.t.payload files are).  Each tests/golden/forms/
 * NAME.rules holds rule forms, one a line, under a hook line:
 *
 *     :ingress                     the hook the rules below run at
 *     +set blk { type ipv4_addr; elements = { 192.0.2.1 } }
 *                                  put into the table of every rule below
 *     ip saddr @blk drop           one rule form: a ruleset of its own
 *
 * Hooks: ingress (netdev, XDP), egress (netdev, TC), input, forward,
 * output (inet, netfilter programs or nf_tables), connect (inet output,
 * the audit hook's cgroup connect4/connect6 programs).  Every rule is
 * compiled alone into that chain and built by bw_build() (compiler/
 * build.h) with a fixed environment (no interfaces known, netfilter
 * hooks, the kernel's nf_tables there, nothing hoisted), so the result
 * depends on the compiler only.  NAME.dis holds, per rule, each
 * program's code from its rules on (instruction numbers counted from
 * there), and what goes to nf_tables; the prologue of every hook is in
 * prologue.dis once, and a rule whose program's prologue differs from
 * its hook's shows it whole.  Any instruction change fails the test.
 *
 * Regenerate after a deliberate change (then review the diff):
 *     make golden-update      (or BW_GOLDEN_UPDATE=1 tests/unit/test_forms)
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

#include "compiler/bpf/build.h"
#include "compiler/bpf/codegen.h"
#include "compiler/front/compile.h"
#include "compiler/nft/nft.h"
#include "compiler/opt/optimize.h"
#include "tests/lib/golden.h"

#ifndef BW_FORMS_DIR
#define BW_FORMS_DIR "tests/golden/forms"
#endif

struct hook {
	const char *name;
	const char *family;
	const char *chain;	/* the base chain's type line */
	bool audit;		/* show the connect programs only */
};

static const struct hook hooks[] = {
	{ "ingress", "netdev",
	  "type filter hook ingress device \"bwg0\" priority 0; policy accept;" },
	{ "egress", "netdev",
	  "type filter hook egress device \"bwg0\" priority 0; policy accept;" },
	{ "input", "inet", "type filter hook input priority 0; policy accept;" },
	{ "forward", "inet", "type filter hook forward priority 0; policy accept;" },
	{ "output", "inet", "type filter hook output priority 0; policy accept;" },
	{ "connect", "inet", "type filter hook output priority 0; policy accept;",
	  true },
};

static const struct hook *hook_find(const char *name)
{
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++)
		if (!strcmp(hooks[i].name, name))
			return &hooks[i];
	return NULL;
}

/* Is line (of a disassembly) where a program's own code ends and its
 * rules begin: a block comment other than the prologue's? */
static bool rules_start(const char *line)
{
	return line[0] == '#' && strcmp(line, "# prologue") &&
	       strcmp(line, "# malformed");
}

/*
 * Split the disassembly of one program into its head (prologue,
 * malformed-packet exits) and the rest (the "# program" line, which
 * counts every instruction, then the rules on), whose instruction
 * numbers are rewritten counting from the first instruction after the
 * head.  Both malloc'ed.
 */
static void split(const char *dis, char **head, char **rest)
{
	size_t hl = 0, rl = 0;
	FILE *h = open_memstream(head, &hl), *r = open_memstream(rest, &rl);
	const char *p = dis;
	bool in_rest = false;
	long base = -1;

	assert_non_null(h);
	assert_non_null(r);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[512];
		long idx;
		int used;

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		p += n + (nl ? 1 : 0);
		if (!strncmp(line, "# program ", 10)) {	/* counts them all */
			fprintf(r, "%s\n", line);
			continue;
		}
		if (!in_rest && rules_start(line))
			in_rest = true;
		if (!in_rest) {
			fprintf(h, "%s\n", line);
			continue;
		}
		if (sscanf(line, "%ld: %n", &idx, &used) == 1 && used > 0) {
			if (base < 0)
				base = idx;
			fprintf(r, "%04ld: %s\n", idx - base, line + used);
		} else {
			fprintf(r, "%s\n", line);
		}
	}
	fclose(h);
	fclose(r);
}

/* The ruleset text of one rule form at hook k, with the table's extra
 * lines (sets, chains) before its chain. */
static char *ruleset(const struct hook *k, const char *extra, const char *rule)
{
	char *t = NULL;

	assert_true(asprintf(&t, "table %s forms {\n%s\tchain c {\n\t\t%s\n\t\t%s\n\t}\n}\n",
			     k->family, extra, k->chain, rule) > 0);
	return t;
}

static struct bw_build_env env_for(const struct hook *k)
{
	struct bw_build_env env = {
		.ip_hooks = BW_IP_HOOKS_NETFILTER,
		.kernel_ct = true,
	};

	if (k->audit) {
		env.audit.hook[env.audit.nhook++] = BW_HOOK_CONNECT4;
		env.audit.hook[env.audit.nhook++] = BW_HOOK_CONNECT6;
	}
	return env;
}

/* Is head one of the whole heads of the prologue golden (after a "-- "
 * line, up to the next "-- " or "== " line or the end)? */
static bool head_known(const char *prologue, const char *head)
{
	size_t n = strlen(head);

	for (const char *p = strstr(prologue, head); p; p = strstr(p + 1, head)) {
		const char *prev = p;

		if (p == prologue || p[-1] != '\n')
			continue;
		for (prev = p - 1; prev > prologue && prev[-1] != '\n'; prev--)
			;
		if (strncmp(prev, "-- ", 3))
			continue;
		if (!p[n] || !strncmp(p + n, "-- ", 3) || !strncmp(p + n, "== ", 3))
			return true;
	}
	return false;
}

/* The build of one rule form, printed to out; its programs' heads that
 * are not in the prologue golden are printed whole (heads: where every
 * program's head goes instead).  Fails the test with the compiler's
 * messages when it cannot build. */
static void form(FILE *out, const struct hook *k, const char *extra,
		 const char *rule, const char *prologue, FILE *heads)
{
	struct bw_build_env env = env_for(k);
	struct bw_build *b = NULL;
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	char *text = ruleset(k, extra, rule);
	int err;

	bw_diags_init(&d);
	err = bw_compile_string("form", text, &d, &ir);
	if (!err)
		err = bw_build(ir, &env, &d, &b);
	if (err) {
		bw_diags_print(&d, stderr);
		fail_msg("%s: %s: cannot build: %s", k->name, rule, strerror(-err));
	}
	for (uint32_t i = 0; i < b->nprog; i++) {
		const struct bw_build_prog *p = &b->prog[i];
		char what[128], *dis = NULL, *head, *rest;
		size_t len = 0;
		FILE *m;

		if (k->audit != (p->at == BW_AT_AUDIT))
			continue;
		bw_build_what(p, what, sizeof(what));
		m = open_memstream(&dis, &len);
		assert_non_null(m);
		bw_disasm(p->prog, m);
		fclose(m);
		split(dis, &head, &rest);
		fprintf(out, "-- %s\n", what);
		if (heads)
			fprintf(heads, "-- %s\n%s", what, head);
		else if (!prologue || !head_known(prologue, head))
			fputs(head, out);
		fputs(rest, out);
		free(head);
		free(rest);
		free(dis);
	}
	if (!k->audit && b->nft && !bw_nft_plan_empty(b->nft)) {
		char *t = bw_nft_plan_print(b->nft);

		fprintf(out, "-- nf_tables\n%s", t ? t : "");
		free(t);
	}
	bw_build_free(&b);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	free(text);
}

/* prologue.dis: each hook's program head, of an empty chain. */
static char *prologues(void)
{
	char *got = NULL, path[512];
	size_t len = 0;
	FILE *out = open_memstream(&got, &len);

	assert_non_null(out);
	for (size_t i = 0; i < sizeof(hooks) / sizeof(hooks[0]); i++) {
		FILE *null = fopen("/dev/null", "w");

		assert_non_null(null);
		fprintf(out, "== %s\n", hooks[i].name);
		form(null, &hooks[i], "", "counter", NULL, out);
		fclose(null);
	}
	fclose(out);
	snprintf(path, sizeof(path), "%s/prologue.dis", BW_FORMS_DIR);
	bw_golden_check(path, got, "instructions");
	return got;
}

static void golden_prologue(void **s)
{
	free(prologues());
}

static void forms_file(const char *name)
{
	char path[512], *text, *got = NULL, *extra, *prologue = prologues();
	const struct hook *k = NULL;
	size_t len = 0, xlen = 0;
	FILE *out, *x;
	unsigned nform = 0;

	snprintf(path, sizeof(path), "%s/%s.rules", BW_FORMS_DIR, name);
	text = bw_t_read_all(path);
	if (!text)
		fail_msg("cannot read %s", path);
	out = open_memstream(&got, &len);
	x = open_memstream(&extra, &xlen);
	assert_non_null(out);
	assert_non_null(x);
	for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save)) {
		if (!l[0] || l[0] == '#')
			continue;
		if (l[0] == ':') {
			k = hook_find(l + 1);
			if (!k)
				fail_msg("%s: unknown hook %s", path, l + 1);
			/* a hook line starts the table's extra lines anew */
			fclose(x);
			free(extra);
			extra = NULL;
			xlen = 0;
			x = open_memstream(&extra, &xlen);
			assert_non_null(x);
			continue;
		}
		if (l[0] == '+') {
			fprintf(x, "\t%s\n", l + 1);
			continue;
		}
		if (!k)
			fail_msg("%s: rule before a :hook line", path);
		fflush(x);
		fprintf(out, "== %s: %s\n", k->name, l);
		form(out, k, extra ? extra : "", l, prologue, NULL);
		nform++;
	}
	fclose(x);
	free(extra);
	fclose(out);
	assert_true(nform > 0);
	snprintf(path, sizeof(path), "%s/%s.dis", BW_FORMS_DIR, name);
	bw_golden_check(path, got, "instructions");
	free(got);
	free(text);
	free(prologue);
}

/*
 * One build, one optimizer run: a run of 16 same-shape rules in an
 * output chain becomes one lookup group, and the audit hook's programs
 * use the packet programs' plan (the same lookup map), not one of their
 * own.
 */
static void build_once(void **s)
{
	struct bw_build_env env = env_for(hook_find("connect"));
	struct bw_build *b = NULL;
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	char *text = NULL;
	size_t len = 0;
	FILE *t = open_memstream(&text, &len);
	uint32_t naudit = 0, nnf = 0;

	assert_non_null(t);
	fputs("table inet forms {\n\tchain c {\n\t\ttype filter hook output priority 0; policy accept;\n", t);
	for (int i = 1; i <= 16; i++)
		fprintf(t, "\t\tip daddr 198.51.100.%d drop\n", i);
	fputs("\t}\n}\n", t);
	fclose(t);
	bw_diags_init(&d);
	assert_int_equal(bw_compile_string("once", text, &d, &ir), 0);
	assert_int_equal(bw_build(ir, &env, &d, &b), 0);
	assert_non_null(b->opt);
	assert_int_equal(b->opt->ngroup, 1);
	for (uint32_t i = 0; i < b->nprog; i++) {
		char *dis = NULL;
		size_t dl = 0;
		FILE *m = open_memstream(&dis, &dl);

		assert_non_null(m);
		bw_disasm(b->prog[i].prog, m);
		fclose(m);
		/* every program looks the run up in the plan's one map */
		assert_non_null(strstr(dis, "map[id:lookup0]"));
		naudit += b->prog[i].at == BW_AT_AUDIT;
		nnf += b->prog[i].at == BW_AT_NF;
		free(dis);
	}
	assert_int_equal(naudit, 2);
	assert_int_equal(nnf, 1);
	bw_build_free(&b);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	free(text);
}

/* One ruleset built for the input hook: 0 or the error, its messages
 * in *msg (freed by the caller). */
static int build_text(const char *text, struct bw_build **b, char **msg)
{
	struct bw_build_env env = env_for(hook_find("input"));
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	size_t len = 0;
	FILE *m = open_memstream(msg, &len);
	int err;

	assert_non_null(m);
	bw_diags_init(&d);
	err = bw_compile_string("mapadd", text, &d, &ir);
	if (!err)
		err = bw_build(ir, &env, &d, b);
	bw_diags_print(&d, m);
	fclose(m);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	return err;
}

/*
 * add @m { KEY : VALUE } (compiler/front/mapadd.h): the chain goes to
 * nf_tables with the map, and a chain nf_tables runs may look it up; a
 * chain BPF runs (here a user chain the output chain jumps to) may not.
 */
static void build_mapadd(void **s)
{
	static const char head[] =
		"table inet t {\n\tmap marks { type ipv4_addr : mark; }\n"
		"\tchain in {\n\t\ttype filter hook input priority 0; policy accept;\n"
		"\t\tadd @marks { ip saddr : meta mark }\n"
		"\t\tip daddr @marks accept\n\t}\n";
	struct bw_build *b = NULL;
	char text[1024], *msg = NULL;

	(void)s;
	snprintf(text, sizeof(text), "%s}\n", head);
	assert_int_equal(build_text(text, &b, &msg), 0);
	assert_non_null(b->nft);
	assert_false(bw_nft_plan_empty(b->nft));
	for (uint32_t i = 0; i < b->nprog; i++)	/* no BPF input chain */
		assert_int_not_equal(b->prog[i].at, BW_AT_NF);
	bw_build_free(&b);
	free(msg);
	msg = NULL;
	snprintf(text, sizeof(text), "%s\tchain out {\n\t\ttype filter hook output priority 0; policy accept;\n"
		 "\t\tjump u\n\t}\n\tchain u {\n\t\tip daddr @marks accept\n\t}\n}\n",
		 head);
	assert_int_not_equal(build_text(text, &b, &msg), 0);
	assert_non_null(strstr(msg, "mapadd:13:3-17: Error: map marks gets elements from rules"));
	bw_build_free(&b);
	free(msg);
}

#define FORMS(n) static void forms_##n(void **s) { forms_file(#n); }
FORMS(addr)
FORMS(ports)
FORMS(meta)
FORMS(ct)
FORMS(stmts)
FORMS(sets)
FORMS(chains)
FORMS(connect)
FORMS(netdev)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build_once),
		cmocka_unit_test(build_mapadd),
		cmocka_unit_test(golden_prologue),
		cmocka_unit_test(forms_addr),
		cmocka_unit_test(forms_ports),
		cmocka_unit_test(forms_meta),
		cmocka_unit_test(forms_ct),
		cmocka_unit_test(forms_stmts),
		cmocka_unit_test(forms_sets),
		cmocka_unit_test(forms_chains),
		cmocka_unit_test(forms_connect),
		cmocka_unit_test(forms_netdev),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
