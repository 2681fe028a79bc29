// SPDX-License-Identifier: GPL-2.0-only
/*
 * A set statement's value expression (compiler/front/valexpr.h) as nft's
 * JSON (libnftables-json(5)): {"|": [A, B]}, {"<<": [A, N]}, {"map":
 * {"key": K, "data": {"set": [[k, v], ...]}}}, {"numgen": {...}},
 * {"jhash": {...}}, {"symhash": {...}}.  As nft lists it: constants
 * folded, runs of & | ^ on a value one mask and xor, split back as nft
 * splits a bitwise (A & m ^ x | o).
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compiler/front/evaluate.h"
#include "json_int.h"

struct jop {
	char kind;			/* 'b' bitwise, '<', '>' */
	uint32_t mask, xor, shift;
};

struct jv {
	bool isconst;
	uint32_t c;
	json_t *base;			/* a constant written otherwise ("1:2") */
	unsigned nop;
	struct jop op[16];
	bool flat;			/* base is x op FIELD: operands add up */
};

static json_t *jbin(const char *op, json_t *l, json_t *r)
{
	json_t *a = json_array(), *o = json_object();

	json_array_append_new(a, l);
	json_array_append_new(a, r);
	json_object_set_new(o, op, a);
	return o;
}

static json_t *wrap1(const char *key, json_t *v)
{
	json_t *o = json_object();

	json_object_set_new(o, key, v);
	return o;
}

static json_t *jpair(json_t *l, json_t *r)
{
	json_t *a = json_array();

	json_array_append_new(a, l);
	json_array_append_new(a, r);
	return a;
}

static json_t *concat(const struct bw_ast_expr *e)
{
	json_t *a;

	if (e->kind == BW_AE_FIELD)
		return bw_jp_field(e->fref->proto, e->fref->field);
	if (e->kind != BW_AE_CONCAT)
		return NULL;
	a = json_array();
	for (const struct bw_ast_expr *x = e->elems; x; x = x->next) {
		if (x->kind != BW_AE_FIELD) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, bw_jp_field(x->fref->proto, x->fref->field));
	}
	return wrap1("concat", a);
}

/* a map's value or an operand written as is (a nat map's address .
 * port a concatenation) */
static json_t *plain(const struct bw_ast_expr *e)
{
	uint64_t n;

	if (e->kind == BW_AE_NUMBER && !bw_eval_number(e->text, &n))
		return json_integer((json_int_t)n);
	if (e->kind == BW_AE_CONCAT) {
		json_t *a = json_array();

		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			json_array_append_new(a, plain(x));
		return wrap1("concat", a);
	}
	if (e->kind == BW_AE_RANGE)	/* a nat map's range of values */
		return wrap1("range", jpair(plain(e->left), plain(e->right)));
	if (e->kind == BW_AE_PREFIX) {
		json_t *o = json_object();

		json_object_set_new(o, "addr", plain(e->left));
		json_object_set_new(o, "len", plain(e->right));
		return wrap1("prefix", o);
	}
	return json_string(e->text ? e->text : "");
}

static json_t *gen(struct jp *p, const struct bw_ast_expr *e);

/* KEY & MASK: {"&": [KEY, MASK]} */
static json_t *masked(struct jp *p, const struct bw_ast_expr *e)
{
	const struct bw_field *f;

	if (e->kind != BW_AE_BINOP || strcmp(e->text, "&") || e->left->kind != BW_AE_FIELD)
		return NULL;
	f = bw_field_find(e->left->fref->proto, e->left->fref->field);
	return jbin("&", bw_jp_field(e->left->fref->proto, e->left->fref->field),
		    bw_jp_value(p, e->right, &f, 1));
}

static json_t *map(struct jp *p, const struct bw_ast_expr *e)
{
	const struct bw_field *kf[BW_SET_MAX_KEYS];
	json_t *key = e->left->kind == BW_AE_GEN ? gen(p, e->left) :
		      e->left->kind == BW_AE_BINOP ? masked(p, e->left) : concat(e->left);
	json_t *set, *o, *d;
	unsigned nk = 0;

	if (!key)
		return bw_jp_fail(p, &e->left->loc, "JSON: a map's key here is fields joined by '.'");
	if (e->right->kind == BW_AE_SETREF) {	/* a named map: "@NAME" */
		char *n = malloc(strlen(e->right->text) + 2);

		if (!n) {
			json_decref(key);
			return NULL;
		}
		sprintf(n, "@%s", e->right->text);
		o = json_object();
		json_object_set_new(o, "key", key);
		json_object_set_new(o, "data", json_string(n));
		free(n);
		return wrap1("map", o);
	}
	if (e->right->kind != BW_AE_SET) {
		json_decref(key);
		return bw_jp_fail(p, &e->right->loc, "JSON: a named map in a set statement has no JSON form in bpfwall");
	}
	if (e->left->kind == BW_AE_FIELD)
		kf[nk++] = bw_field_find(e->left->fref->proto, e->left->fref->field);
	else if (e->left->kind == BW_AE_BINOP)
		kf[nk++] = bw_field_find(e->left->left->fref->proto, e->left->left->fref->field);
	else if (e->left->kind == BW_AE_CONCAT)
		for (const struct bw_ast_expr *x = e->left->elems; x && nk < BW_SET_MAX_KEYS; x = x->next)
			kf[nk++] = bw_field_find(x->fref->proto, x->fref->field);
	set = json_array();
	for (const struct bw_ast_expr *x = e->right->elems; x; x = x->next) {
		json_t *pair = json_array();

		if (x->kind != BW_AE_MAPELEM) {
			json_decref(pair);
			json_decref(set);
			json_decref(key);
			return bw_jp_fail(p, &x->loc, "JSON: a map element is KEY : VALUE");
		}
		if (x->left->kind == BW_AE_SYMBOL && !strcmp(x->left->text, "*"))
			json_array_append_new(pair, json_string("*"));
		else
			json_array_append_new(pair, bw_jp_value(p, x->left, kf, nk));
		json_array_append_new(pair, plain(x->right));
		json_array_append_new(set, pair);
	}
	d = json_object();
	json_object_set_new(d, "set", set);
	o = json_object();
	json_object_set_new(o, "key", key);
	json_object_set_new(o, "data", d);
	return wrap1("map", o);
}

static json_t *gen(struct jp *p, const struct bw_ast_expr *e)
{
	json_t *o = json_object(), *w = json_object();
	uint64_t n = 0;
	const char *name = e->text;

	if (!strncmp(name, "numgen ", 7)) {
		json_object_set_new(o, "mode", json_string(name + 7));
		name = "numgen";
	}
	bw_eval_number(e->right->text, &n);
	json_object_set_new(o, "mod", json_integer((json_int_t)n));
	/* as nft: numgen's offset always, a hash's when not 0 */
	for (const char *opt = "seed"; opt; opt = !strcmp(opt, "seed") ? "offset" : NULL) {
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			if (!strcmp(x->left->text, opt) &&
			    (!bw_eval_number(x->right->text, &n) ? n || opt[1] == 'e' : true))
				json_object_set_new(o, opt, plain(x->right));
		if (!strcmp(opt, "offset") && !strcmp(name, "numgen") &&
		    !json_object_get(o, "offset"))
			json_object_set_new(o, "offset", json_integer(0));
	}
	if (e->left) {
		json_t *k = concat(e->left);

		if (!k) {
			json_decref(o);
			json_decref(w);
			return bw_jp_fail(p, &e->left->loc, "JSON: jhash's key here is fields joined by '.'");
		}
		json_object_set_new(o, "expr", k);
	}
	json_object_set_new(w, name, o);
	return w;
}

static void add_op(struct jv *v, char kind, uint32_t m, uint32_t x, uint32_t s)
{
	struct jop *o = v->nop ? &v->op[v->nop - 1] : NULL;

	if (kind == 'b' && o && o->kind == 'b') {
		o->mask &= m;
		o->xor = (o->xor & m) ^ x;
		return;
	}
	if (v->nop < sizeof(v->op) / sizeof(v->op[0]))
		v->op[v->nop++] = (struct jop){ kind, m, x, s };
}

static json_t *render(struct jv *v);

/* {op: [l, r]}, or l's list of operands with r added when l is {op: [...]} */
static json_t *jflat(const char *op, json_t *l, json_t *r)
{
	json_t *a = json_is_object(l) && json_object_size(l) == 1 ?
		    json_object_get(l, op) : NULL;

	if (json_is_array(a)) {
		json_array_append_new(a, r);
		return l;
	}
	return jbin(op, l, r);
}

static int eval(struct jp *p, const struct bw_ast_expr *e, struct jv *v)
{
	uint64_t n;

	memset(v, 0, sizeof(*v));
	switch (e->kind) {
	case BW_AE_NUMBER:
		if (bw_eval_number(e->text, &n) || n > UINT32_MAX)
			break;
		v->isconst = true;
		v->c = (uint32_t)n;
		return 0;
	case BW_AE_FIELD:
		v->base = bw_jp_field(e->fref->proto, e->fref->field);
		return 0;
	case BW_AE_MAP:
		v->base = map(p, e);
		return v->base ? 0 : -1;
	case BW_AE_GEN:
		v->base = gen(p, e);
		return v->base ? 0 : -1;
	case BW_AE_BINOP: {
		struct jv r;
		const char *op = e->text;

		if (eval(p, e->left, v) || eval(p, e->right, &r))
			return -1;
		if (v->isconst && r.isconst) {
			v->c = op[0] == '&' ? v->c & r.c : op[0] == '|' ? v->c | r.c :
			       op[0] == '^' ? v->c ^ r.c : r.c >= 32 ? 0 :
			       op[0] == '<' ? v->c << r.c : v->c >> r.c;
			return 0;
		}
		if (v->isconst && op[0] != '<' && op[0] != '>') {
			uint32_t c = v->c;

			*v = r;
			r = (struct jv){ .isconst = true, .c = c };
		}
		if (!r.isconst && op[0] != '<' && op[0] != '>') {
			/* x | FIELD (a bitwise of two registers): nft's
			 * {"|": [x, FIELD, ...]}, later operands added */
			json_t *l = render(v), *rj = render(&r);

			memset(v, 0, sizeof(*v));
			v->base = jflat(op, l, rj);
			v->flat = true;
			return 0;
		}
		if (!r.isconst) {
			json_decref(render(&r));
			json_decref(render(v));
			v->base = NULL;
			bw_jp_fail(p, &e->right->loc, "JSON: the right side of an operation is not a constant");
			return -1;
		}
		if (op[0] == '&')
			add_op(v, 'b', r.c, 0, 0);
		else if (op[0] == '|')
			add_op(v, 'b', ~r.c, r.c, 0);
		else if (op[0] == '^')
			add_op(v, 'b', UINT32_MAX, r.c, 0);
		else
			add_op(v, op[0], 0, 0, r.c);
		return 0;
	}
	default:
		break;
	}
	v->base = plain(e);
	return 0;
}

static json_t *render(struct jv *v)
{
	json_t *x = v->base ? v->base : json_integer(v->c);

	if (v->isconst && !v->base)
		return x;
	for (unsigned i = 0; i < v->nop; i++) {
		const struct jop *o = &v->op[i];
		uint32_t m = o->mask, xr = o->xor, or = 0;

		if (o->kind != 'b') {
			x = jbin(o->kind == '<' ? "<<" : ">>", x, json_integer(o->shift));
			continue;
		}
		if (m != UINT32_MAX || xr) {
			or = (m & xr) ^ xr;
			xr &= m;
			m |= or;
		}
		if (m != UINT32_MAX)
			x = (v->flat ? jflat : jbin)("&", x, json_integer(m));
		if (xr)
			x = (v->flat ? jflat : jbin)("^", x, json_integer(xr));
		if (or)
			x = (v->flat ? jflat : jbin)("|", x, json_integer(or));
	}
	return x;
}

json_t *bw_jp_vexpr(struct jp *p, const struct bw_ast_expr *e)
{
	struct jv v;

	if (eval(p, e, &v))
		return NULL;
	return render(&v);
}
