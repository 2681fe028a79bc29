// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall -f FILE trace ..., FILE in iptables-restore format (what
 * iptables-save prints): its filter and raw tables compiled as an
 * iptables-restore would load them, so that trace names the deciding
 * rule by its line in FILE (the -A line itself) and its number in its
 * chain, as iptables -L --line-numbers counts.  ip6tables when a comment
 * before the first table says so (ip6tables-save's header).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipt.h"
#include "compiler/front/evaluate.h"

/* Does the text look like restore input: its first line that is not
 * blank or a comment starts with '*'?  *v6: a comment says ip6tables. */
static bool restore_text(const char *s, bool *v6)
{
	*v6 = false;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);

		while (n && (*s == ' ' || *s == '\t')) {
			s++;
			n--;
		}
		if (n && *s == '#') {
			if (memmem(s, n, "ip6tables", 9))
				*v6 = true;
		} else if (n) {
			return *s == '*';
		}
		if (!nl)
			break;
		s = nl + 1;
	}
	return false;
}

int bw_ipt_trace_compile(const char *path, struct bw_diags *d,
			 struct bw_ir **out)
{
	struct bw_xt y = { .d = d };
	struct bw_xt_restore ro = { .only_table = -1, .prog = "iptables-restore" };
	const struct bw_src *src = bw_src_read(d, path), *empty;
	struct bw_ast *ast = NULL;
	char *pass = NULL;
	size_t pass_len = 0;
	uint32_t line = 0;
	bool v6;
	int err = -EINVAL, rc;

	if (!src)
		return -EINVAL;
	if (!restore_text(src->text, &v6))
		return 1;
	ro.v6 = v6;
	ro.pass = &pass;
	ro.pass_len = &pass_len;
	empty = bw_src_string(d, path, "");
	if (!empty || bw_ast_parse(empty, BW_PARSE_RULESET, d, &ast))
		goto out;
	y.a = ast->arena;
	rc = bw_xt_restore(&y, src, &ro, &line);
	if (rc) {
		bw_error(d, NULL, "%s: line %u failed", path, line);
		goto out;
	}
	if (pass && pass_len)
		fprintf(stderr, "bpfwall: trace: the blocks of tables bpfwall does not compile (nat, mangle, ...) are left out\n");
	for (int t = 0; t < 2; t++) {
		struct bw_ast_item *tab;

		if (!y.present[v6][t])
			continue;
		err = bw_ipt_to_ast(ast->arena, &y.tbl[v6][t], d, &tab);
		if (err)
			goto out;
		if (ast->items_last)
			ast->items_last->next = tab;
		else
			ast->items = tab;
		ast->items_last = tab;
	}
	err = bw_evaluate(ast, NULL, d, out);
out:
	free(pass);
	bw_ast_free(&ast);
	return err;
}
