// SPDX-License-Identifier: GPL-2.0-only
/*
 * A mangle's value expression from nft's JSON (json_vexpr.h): the same
 * AST the rule-file parser builds for `meta mark set EXPR`.
 */
#include <stdio.h>
#include <string.h>

#include "json_vexpr.h"

static const char *const binops[] = { "&", "|", "^", "<<", ">>" };

static const char *only(const json_t *v, json_t **inner)
{
	const char *k;

	if (!json_is_object(v) || json_object_size(v) != 1)
		return NULL;
	k = json_object_iter_key(json_object_iter((json_t *)v));
	*inner = json_object_get(v, k);
	return k;
}

static bool is_binop(const char *k)
{
	for (size_t i = 0; k && i < sizeof(binops) / sizeof(*binops); i++)
		if (!strcmp(k, binops[i]))
			return true;
	return false;
}

bool bw_jc_is_vexpr(const json_t *v)
{
	json_t *in;
	const char *k = only(v, &in);

	if (!k)
		return false;
	if (!strcmp(k, "map") || !strcmp(k, "numgen") || !strcmp(k, "jhash") ||
	    !strcmp(k, "symhash") || !strcmp(k, "<<") || !strcmp(k, ">>"))
		return true;
	if (is_binop(k) && json_is_array(in) && json_array_size(in) > 2)
		return true;	/* {"|": [a, b, c]}: nft's run of one operator */
	if (is_binop(k) && json_is_array(in) && json_array_size(in) == 2)
		return bw_jc_is_vexpr(json_array_get(in, 0)) ||
		       json_is_object(json_array_get(in, 1));
	return false;
}

static struct bw_ast_expr *field_expr(struct jc *c, const json_t *j)
{
	struct bw_ast_expr *e = bw_jc_expr_new(c, BW_AE_FIELD, j, NULL);

	if (!e || !(e->fref = bw_jc_fref_new(c)) || !bw_jc_field(c, j, e->fref))
		return NULL;
	return e;
}

/* a field or {"concat": [fields]} */
static struct bw_ast_expr *key(struct jc *c, const json_t *j)
{
	struct bw_ast_expr *e, *x;
	json_t *in, *w;
	const char *k = only(j, &in);
	size_t i;

	if (k && (!strcmp(k, "numgen") || !strcmp(k, "jhash") || !strcmp(k, "symhash")))
		return bw_jc_vexpr(c, j);	/* numgen inc mod 2 map { ... } */
	if (k && !strcmp(k, "&") && json_is_array(in) && json_array_size(in) == 2) {
		/* ip6 saddr & ::ffff map { ... } */
		if (!(e = bw_jc_expr_new(c, BW_AE_BINOP, j, "&")) ||
		    !(e->left = field_expr(c, json_array_get(in, 0))) ||
		    !(e->right = bw_jc_value(c, json_array_get(in, 1))))
			return NULL;
		return e;
	}
	if (!k || strcmp(k, "concat"))
		return field_expr(c, j);
	if (!json_is_array(in) || !json_array_size(in))
		return bw_jc_error(c, j, "a concatenation is a list of fields");
	if (!(e = bw_jc_expr_new(c, BW_AE_CONCAT, j, NULL)))
		return NULL;
	json_array_foreach(in, i, w) {
		if (!(x = field_expr(c, w)))
			return NULL;
		bw_ast_expr_append(e, x);
	}
	return e;
}

static struct bw_ast_expr *number(struct jc *c, const json_t *j,
				  const char *what)
{
	char buf[32];

	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    json_integer_value(j) > UINT32_MAX) {
		snprintf(buf, sizeof(buf), "%s is a 32-bit number", what);
		return bw_jc_error(c, j, buf);
	}
	return bw_jc_value(c, j);
}

static struct bw_ast_expr *map(struct jc *c, const json_t *j, const json_t *in)
{
	struct bw_ast_expr *e = bw_jc_expr_new(c, BW_AE_MAP, j, NULL), *set;
	json_t *data = json_object_get(in, "data"), *elems, *w;
	size_t i;

	if (!e || !json_is_object(in) || !json_object_get(in, "key"))
		return e ? bw_jc_error(c, j, "a map is {\"key\", \"data\"}") : NULL;
	if (!(e->left = key(c, json_object_get(in, "key"))))
		return NULL;
	if (json_is_string(data) && json_string_value(data)[0] == '@') {
		/* a named map: "@NAME" */
		e->right = bw_jc_value(c, data);
		return e->right ? e : NULL;
	}
	if (!json_is_object(data) || !json_is_array(elems = json_object_get(data, "set")))
		return bw_jc_error(c, j, "a map's \"data\" is {\"set\": [[KEY, VALUE], ...]} or \"@NAME\"");
	if (!(set = e->right = bw_jc_expr_new(c, BW_AE_SET, data, NULL)))
		return NULL;
	json_array_foreach(elems, i, w) {
		struct bw_ast_expr *p = bw_jc_expr_new(c, BW_AE_MAPELEM, w, NULL);

		if (!p)
			return NULL;
		if (!json_is_array(w) || json_array_size(w) != 2)
			return bw_jc_error(c, w, "a map element is [KEY, VALUE]");
		if (json_is_string(json_array_get(w, 0)) &&
		    !strcmp(json_string_value(json_array_get(w, 0)), "*"))
			p->left = bw_jc_expr_new(c, BW_AE_SYMBOL, w, "*");
		else
			p->left = bw_jc_value(c, json_array_get(w, 0));
		p->right = bw_jc_value(c, json_array_get(w, 1));
		if (!p->left || !p->right)
			return NULL;
		bw_ast_expr_append(set, p);
	}
	return e;
}

static struct bw_ast_expr *gen(struct jc *c, const json_t *j, const char *k,
			       const json_t *in)
{
	static const char *const opts[] = { "seed", "offset" };
	struct bw_ast_expr *e = bw_jc_expr_new(c, BW_AE_GEN, j,
					       !strcmp(k, "jhash") ? "jhash" : "symhash"), *mod;
	const json_t *mode = json_object_get(in, "mode");

	if (!e)
		return NULL;
	if (!json_is_object(in))
		return bw_jc_error(c, j, "numgen, jhash and symhash are objects");
	if (!strcmp(k, "numgen")) {
		if (!json_is_string(mode) || (strcmp(json_string_value(mode), "inc") &&
					      strcmp(json_string_value(mode), "random")))
			return bw_jc_error(c, j, "numgen's \"mode\" is \"inc\" or \"random\"");
		e->text = !strcmp(json_string_value(mode), "inc") ? "numgen inc" :
			  "numgen random";
	}
	if (!(mod = e->right = number(c, json_object_get(in, "mod"), "\"mod\"")) ||
	    !(mod->left = bw_jc_expr_new(c, BW_AE_SYMBOL, j, "mod")))
		return NULL;
	for (size_t i = 0; i < 2; i++) {
		const json_t *o = json_object_get(in, opts[i]);
		struct bw_ast_expr *p;

		if (!o)
			continue;
		if (i == 0 && strcmp(k, "jhash"))
			return bw_jc_error(c, j, "only jhash takes a \"seed\"");
		if (!(p = bw_jc_expr_new(c, BW_AE_MAPELEM, o, NULL)) ||
		    !(p->left = bw_jc_expr_new(c, BW_AE_SYMBOL, o, opts[i])) ||
		    !(p->right = number(c, o, opts[i])))
			return NULL;
		bw_ast_expr_append(e, p);
	}
	if (!strcmp(k, "jhash")) {
		if (!json_object_get(in, "expr"))
			return bw_jc_error(c, j, "jhash's \"expr\" is missing");
		if (!(e->left = key(c, json_object_get(in, "expr"))))
			return NULL;
	}
	return e;
}

struct bw_ast_expr *bw_jc_vexpr(struct jc *c, const json_t *v)
{
	struct bw_ast_expr *e;
	json_t *in;
	const char *k = only(v, &in);

	if (!k || json_is_integer(v) || json_is_string(v))
		return bw_jc_value(c, v);
	if (is_binop(k)) {
		struct bw_ast_expr *l;
		size_t n = json_is_array(in) ? json_array_size(in) : 0;

		/* nft writes a run of one operator as one list: {"|": [a,
		 * b, c]} is (a | b) | c */
		if (n < 2 || (n > 2 && (k[0] == '<' || k[0] == '>')))
			return bw_jc_error(c, v, "an operation is [LEFT, RIGHT]");
		if (!(l = bw_jc_vexpr(c, json_array_get(in, 0))))
			return NULL;
		for (size_t i = 1; i < n; i++, l = e) {
			if (!(e = bw_jc_expr_new(c, BW_AE_BINOP, v, k)) ||
			    !(e->right = bw_jc_vexpr(c, json_array_get(in, i))))
				return NULL;
			e->left = l;
			e->text = k[0] == '&' ? "&" : k[0] == '|' ? "|" : k[0] == '^' ? "^" :
				  k[0] == '<' ? "<<" : ">>";
		}
		return l;
	}
	if (!strcmp(k, "map"))
		return map(c, v, in);
	if (!strcmp(k, "numgen") || !strcmp(k, "jhash") || !strcmp(k, "symhash"))
		return gen(c, v, k, in);
	return field_expr(c, v);
}
