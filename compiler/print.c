// SPDX-License-Identifier: GPL-2.0-only
/*
 * The normalized ruleset text (ir->text), nft `list ruleset` style: tabs,
 * one rule per line, defines expanded (sets flattened), values, prefixes
 * and ranges as written, the chain line always complete.  `counter` is
 * printed as "counter \x1f<handle>\x1f" for bw_ir_text_render().  Loading
 * the text again gives the same IR, and nft -c accepts it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

void bw_pbuf_printf(struct bw_pbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;

		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

void bw_pbuf_put(struct bw_pbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->oom)
		return;
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *p;

		while (cap - b->len <= n)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

char *bw_pbuf_take(struct bw_pbuf *b)
{
	char *s;

	if (!b->s && !b->oom)
		bw_pbuf_put(b, "");
	s = b->oom ? NULL : b->s;
	if (!s)
		free(b->s);
	memset(b, 0, sizeof(*b));
	return s;
}

void bw_pbuf_fini(struct bw_pbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

const char *bw_family_name(enum bw_family f)
{
	switch (f) {
	case BW_FAMILY_NETDEV:	return "netdev";
	case BW_FAMILY_INET:	return "inet";
	case BW_FAMILY_IP:	return "ip";
	case BW_FAMILY_IP6:	return "ip6";
	}
	return "?";
}

const char *bw_chain_hook_name(enum bw_chain_hook h)
{
	switch (h) {
	case BW_CHAIN_NONE:	return "";
	case BW_CHAIN_INGRESS:	return "ingress";
	case BW_CHAIN_EGRESS:	return "egress";
	case BW_CHAIN_INPUT:	return "input";
	case BW_CHAIN_OUTPUT:	return "output";
	}
	return "?";
}

const char *bw_verdict_name(enum bw_verdict v)
{
	switch (v) {
	case BW_VERDICT_CONTINUE:	return "continue";
	case BW_VERDICT_ACCEPT:		return "accept";
	case BW_VERDICT_DROP:		return "drop";
	case BW_VERDICT_JUMP:		return "jump";
	case BW_VERDICT_GOTO:		return "goto";
	case BW_VERDICT_RETURN:		return "return";
	}
	return "?";
}

void bw_print_table_open(struct bw_pbuf *b, enum bw_family family,
			 const char *name)
{
	bw_pbuf_printf(b, "table %s %s {\n", bw_family_name(family), name);
}

void bw_print_table_close(struct bw_pbuf *b)
{
	bw_pbuf_put(b, "}\n");
}

void bw_print_chain_open(struct bw_pbuf *b, const struct bw_ir_chain *c,
			 bool first)
{
	bw_pbuf_printf(b, "%s\tchain %s {\n", first ? "" : "\n", c->name);
	if (c->hook == BW_CHAIN_NONE)
		return;
	bw_pbuf_printf(b, "\t\ttype filter hook %s ", bw_chain_hook_name(c->hook));
	if (c->device)
		bw_pbuf_printf(b, "device \"%s\" ", c->device);
	bw_pbuf_printf(b, "priority %d; policy %s;\n", c->priority,
		       bw_verdict_name(c->policy));
}

void bw_print_chain_close(struct bw_pbuf *b)
{
	bw_pbuf_put(b, "\t}\n");
}

/* The elements of a set, nested sets and $sets flattened into it. */
static void set_elems(struct bw_pbuf *b, const struct bw_ast_expr *set,
		      const struct bw_sym *scope, bool *first)
{
	for (const struct bw_ast_expr *e = set->elems; e; e = e->next) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *r = bw_sym_resolve(e, &sc);

		if (r && r->kind == BW_AE_SET) {
			set_elems(b, r, sc, first);
			continue;
		}
		bw_pbuf_put(b, *first ? "" : ", ");
		*first = false;
		bw_print_expr(b, e, scope);
	}
}

void bw_print_expr(struct bw_pbuf *b, const struct bw_ast_expr *e,
		   const struct bw_sym *scope)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);
	bool first = true;

	if (!r) {
		bw_pbuf_printf(b, "$%s", e->text);
		return;
	}
	e = r;
	switch (e->kind) {
	case BW_AE_NUMBER:
	case BW_AE_SYMBOL:
	case BW_AE_ADDR:
		bw_pbuf_put(b, e->text);
		break;
	case BW_AE_STRING:
		bw_pbuf_printf(b, "\"%s\"", e->text);
		break;
	case BW_AE_VAR:
		break;
	case BW_AE_SETREF:
		bw_pbuf_printf(b, "@%s", e->text);
		break;
	case BW_AE_PREFIX:
		bw_print_expr(b, e->left, scope);
		/* nft prints a flag mask as "syn / syn,ack" */
		bw_pbuf_put(b, e->right->kind == BW_AE_SYMBOL ? " / " : "/");
		bw_print_expr(b, e->right, scope);
		break;
	case BW_AE_RANGE:
		bw_print_expr(b, e->left, scope);
		bw_pbuf_put(b, "-");
		bw_print_expr(b, e->right, scope);
		break;
	case BW_AE_OR:
		bw_pbuf_put(b, e->paren ? "(" : "");
		bw_print_expr(b, e->left, scope);
		bw_pbuf_put(b, " | ");
		bw_print_expr(b, e->right, scope);
		bw_pbuf_put(b, e->paren ? ")" : "");
		break;
	case BW_AE_LIST:
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next) {
			bw_pbuf_put(b, first ? "" : ",");
			first = false;
			bw_print_expr(b, x, scope);
		}
		break;
	case BW_AE_SET:
		bw_pbuf_put(b, "{ ");
		set_elems(b, e, scope, &first);
		bw_pbuf_put(b, " }");
		break;
	}
}

static void print_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			const struct bw_sym *scope)
{
	bw_pbuf_put(b, s->proto);
	bw_pbuf_put(b, " ");
	bw_pbuf_put(b, s->field);
	if (s->mask) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *m = bw_sym_resolve(s->mask, &sc);
		/* `& a | b` would read as `(& a) | b`: keep it grouped */
		bool group = m && m->kind == BW_AE_OR && !m->paren;

		bw_pbuf_printf(b, " & %s", group ? "(" : "");
		bw_print_expr(b, s->mask, scope);
		bw_pbuf_put(b, group ? ")" : "");
	}
	if (s->op != BW_OP_IMPLICIT) {
		bw_pbuf_put(b, " ");
		bw_pbuf_put(b, bw_ast_op_str(s->op));
	}
	bw_pbuf_put(b, " ");
	bw_print_expr(b, s->rhs, scope);
}

void bw_print_rule(struct bw_pbuf *b, const struct bw_ast_item *rule,
		   const struct bw_sym *scope, uint32_t handle)
{
	const char *sep = "";

	bw_pbuf_put(b, "\t\t");
	for (const struct bw_ast_stmt *s = rule->stmts; s; s = s->next) {
		bw_pbuf_put(b, sep);
		sep = " ";
		switch (s->kind) {
		case BW_AS_MATCH:
			print_match(b, s, scope);
			break;
		case BW_AS_COUNTER:
			bw_pbuf_printf(b, "counter \x1f%u\x1f", handle);
			break;
		case BW_AS_VERDICT:
			bw_pbuf_put(b, bw_ast_verdict_str(s->verdict));
			if (s->target)
				bw_pbuf_printf(b, " %s", s->target);
			break;
		case BW_AS_UNSUPPORTED:
			bw_pbuf_put(b, s->what);
			break;
		}
	}
	if (rule->comment)
		bw_pbuf_printf(b, "%scomment \"%s\"", sep, rule->comment);
	bw_pbuf_put(b, "\n");
}
