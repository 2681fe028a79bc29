// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's JSON to the AST (json_parse.h).  libjansson parses; this file only
 * maps its values to AST nodes, and finds where each value is in the file
 * (jansson keeps no positions): after a successful parse, one pass over the
 * text records the span of every value in document order, which is the
 * pre-order of jansson's tree (objects keep their keys in file order;
 * duplicate keys are refused), so the two are matched by pointer.
 *
 * What is taken: the objects `nft -j list ruleset` prints (metainfo,
 * table, chain, set, map, rule), also inside {"add": ...}, and {"flush":
 * {"ruleset": null}}.  Statements and expressions by table below.
 *
 * Contract for new forms (other branches add statements and fields):
 *   - a field of a "meta", "ct" or header ("payload") expression needs
 *     nothing here: the evaluator decides whether it exists;
 *   - another kind of left-hand side is one row in lhs_kinds[];
 *   - a statement is one row in stmts[] (its key and a converter to the
 *     AST statement the text parser makes); a key with no row is refused
 *     with its name and location, never skipped.
 * compiler/json/json_print.c holds the same tables for the other direction.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json_parse.h"
#include "json_mapadd.h"
#include "json_parse_int.h"
#include "json_vexpr.h"

/* ---- where each value is ---- */

static uint32_t ws(const char *s, uint32_t i)
{
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	return i;
}

static uint32_t str_end(const char *s, uint32_t i)
{
	for (i++; s[i] && s[i] != '"'; i++)
		if (s[i] == '\\' && s[i + 1])
			i++;
	return s[i] ? i + 1 : i;
}

static int span_add(struct jc *c, uint32_t start, size_t *at)
{
	if (c->nspan == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		struct span *n = realloc(c->spans, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		c->spans = n;
		c->cap = cap;
	}
	*at = c->nspan++;
	c->spans[*at].start = start;
	c->spans[*at].j = NULL;
	return 0;
}

/* The spans of the value at i and of all inside it, in document order
 * (the text is valid JSON: jansson said so). */
static uint32_t scan(struct jc *c, const char *s, uint32_t i)
{
	size_t me;

	i = ws(s, i);
	if (span_add(c, i, &me))
		return (uint32_t)-1;
	if (s[i] == '{' || s[i] == '[') {
		char close = s[i] == '{' ? '}' : ']';

		i = ws(s, i + 1);
		while (s[i] && s[i] != close) {
			if (close == '}') {
				i = ws(s, str_end(s, i));	/* the key */
				i = ws(s, i + 1);		/* ':' */
			}
			i = scan(c, s, i);
			if (i == (uint32_t)-1)
				return i;
			i = ws(s, i);
			if (s[i] == ',')
				i = ws(s, i + 1);
		}
		i++;
	} else if (s[i] == '"') {
		i = str_end(s, i);
	} else {
		while (s[i] && !strchr(",]} \t\r\n", s[i]))
			i++;
	}
	c->spans[me].end = i;
	return i;
}

/* Give the spans their values: jansson's tree in pre-order. */
static void walk(struct jc *c, const json_t *j, size_t *k)
{
	const char *key;
	json_t *v;
	size_t i;

	if (*k < c->nspan)
		c->spans[(*k)++].j = j;
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v)
			walk(c, v, k);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			walk(c, v, k);
	}
}

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->j != y->j)
		return x->j < y->j ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static void pos(const struct bw_src *src, uint32_t off, uint32_t *line,
		uint32_t *col)
{
	*line = 1;
	*col = 1;
	for (uint32_t i = 0; i < off && i < src->len; i++) {
		if (src->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* The location of j's text (the whole file's first byte if unknown). */
struct bw_loc bw_jc_loc_of(struct jc *c, const json_t *j)
{
	struct span key = { .j = j, .start = 0 }, *lo = c->spans, *hi;
	struct bw_loc l = { .src = c->src, .line = 1, .col = 1, .end_line = 1,
			    .end_col = 1 };
	size_t n = c->nspan;

	/* the first span of j (singletons, null/true/false, share one) */
	while (n) {
		size_t h = n / 2;

		if (span_cmp(&lo[h], &key) < 0) {
			lo += h + 1;
			n -= h + 1;
		} else {
			n = h;
		}
	}
	hi = c->spans + c->nspan;
	if (lo == hi || lo->j != j)
		return l;
	pos(c->src, lo->start, &l.line, &l.col);
	pos(c->src, lo->end ? lo->end - 1 : 0, &l.end_line, &l.end_col);
	/* a value over several lines: the caret under its first line */
	if (l.end_line != l.line) {
		l.end_line = l.line;
		l.end_col = l.col;
	}
	return l;
}

/* ---- errors, with the JSON path ---- */

size_t bw_jc_push(struct jc *c, const char *fmt, ...)
{
	size_t mark = c->plen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(c->path + c->plen, sizeof(c->path) - c->plen, fmt, ap);
	va_end(ap);
	if (n > 0)
		c->plen = c->plen + (size_t)n < sizeof(c->path) ?
			  c->plen + (size_t)n : sizeof(c->path) - 1;
	return mark;
}

void bw_jc_pop(struct jc *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = 0;
}

__attribute__((format(printf, 3, 4)))
void *bw_jc_err(struct jc *c, const json_t *at, const char *fmt, ...)
{
	struct bw_loc l = bw_jc_loc_of(c, at);
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bw_error(c->d, &l, "%s (at %s)", msg, c->path);
	c->err = -EINVAL;
	return NULL;
}

/* ---- nodes ---- */

void *bw_jc_node(struct jc *c, size_t n)
{
	void *p = bw_arena_alloc(c->ast->arena, n);

	if (!p && !c->err)
		c->err = -ENOMEM;
	return p;
}

const char *bw_jc_dup(struct jc *c, const char *s)
{
	char *p = bw_arena_strndup(c->ast->arena, s, strlen(s));

	if (!p)
		c->err = -ENOMEM;
	return p;
}

struct bw_ast_expr *bw_jc_expr_at(struct jc *c, enum bw_ast_expr_kind k,
				  const json_t *at, const char *text)
{
	struct bw_ast_expr *e = bw_jc_node(c, sizeof(*e));

	if (e) {
		e->kind = k;
		e->loc = bw_jc_loc_of(c, at);
		e->text = text;
	}
	return e;
}

struct bw_ast_item *bw_jc_item_new(struct jc *c, enum bw_ast_item_kind k,
				   const json_t *at)
{
	struct bw_ast_item *it = bw_jc_node(c, sizeof(*it));

	if (it) {
		it->kind = k;
		it->loc = bw_jc_loc_of(c, at);
	}
	return it;
}

void bw_jc_item_add(struct bw_ast_item **head, struct bw_ast_item **last,
		    struct bw_ast_item *it)
{
	if (!it)
		return;
	if (*last)
		(*last)->next = it;
	else
		*head = it;
	*last = it;
}

/* A member that must be there, of a type; NULL (said) if not. */
json_t *bw_jc_member(struct jc *c, const json_t *o, const char *key,
		     json_type type, const char *what)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return bw_jc_err(c, o, "\"%s\" is missing: %s", key, what);
	if (json_typeof(v) != type &&
	    !(type == JSON_TRUE && json_is_boolean(v)))
		return bw_jc_err(c, v, "\"%s\" must be %s", key, what);
	return v;
}

const char *bw_jc_str_member(struct jc *c, const json_t *o, const char *key)
{
	json_t *v = bw_jc_member(c, o, key, JSON_STRING, "a string");

	return v ? bw_jc_dup(c, json_string_value(v)) : NULL;
}

/* The single key of {"key": value}, or NULL (said). */
const char *bw_jc_only_key(struct jc *c, const json_t *o, json_t **v,
			   const char *what)
{
	const char *k;

	if (!json_is_object(o) || json_object_size(o) != 1)
		return bw_jc_err(c, o, "%s must be an object of one member", what);
	json_object_foreach((json_t *)o, k, *v)
		return k;
	return NULL;
}

/* ---- expressions ---- */

static bool all_of(const char *s, const char *set)
{
	return s[0] && strspn(s, set) == strlen(s);
}

/* A JSON string as the scanner would have read it unquoted. */
struct bw_ast_expr *bw_jc_word(struct jc *c, const json_t *j, bool quoted)
{
	const char *s = json_string_value(j);
	char *end;

	if (s[0] == '@' && s[1])
		return bw_jc_expr_at(c, BW_AE_SETREF, j, bw_jc_dup(c, s + 1));
	if (quoted)
		return bw_jc_expr_at(c, BW_AE_STRING, j, bw_jc_dup(c, s));
	if (strchr(s, ':') && all_of(s, "0123456789abcdefABCDEF:."))
		return bw_jc_expr_at(c, BW_AE_ADDR, j, bw_jc_dup(c, s));
	strtoull(s, &end, 0);
	if (s[0] && !*end && s[0] != '-')
		return bw_jc_expr_at(c, BW_AE_NUMBER, j, bw_jc_dup(c, s));
	if (all_of(s, "0123456789.") && strchr(s, '.'))
		return bw_jc_expr_at(c, BW_AE_ADDR, j, bw_jc_dup(c, s));
	if (all_of(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"))
		return bw_jc_expr_at(c, BW_AE_SYMBOL, j, bw_jc_dup(c, s));
	return bw_jc_expr_at(c, BW_AE_STRING, j, bw_jc_dup(c, s));
}

static struct bw_ast_expr *concat_of(struct jc *c, const json_t *a,
				     const json_t *at);

static const char *const verdicts[] = {
	"accept", "drop", "continue", "return", "jump", "goto",
};

static struct bw_ast_expr *verdict_expr(struct jc *c, const char *k,
					const json_t *v, const json_t *at)
{
	struct bw_ast_expr *e = bw_jc_expr_at(c, BW_AE_VERDICT, at, bw_jc_dup(c, k));
	bool target = !strcmp(k, "jump") || !strcmp(k, "goto");

	if (!e)
		return NULL;
	if (!target && !json_is_null(v))
		return bw_jc_err(c, v, "verdict \"%s\" takes null", k);
	if (target) {
		const char *t = json_is_object(v) ? bw_jc_str_member(c, v, "target") : NULL;

		if (!t)
			return c->err ? NULL :
			       bw_jc_err(c, v, "verdict \"%s\" takes {\"target\": CHAIN}", k);
		e->right = bw_jc_expr_at(c, BW_AE_SYMBOL, json_object_get(v, "target"), t);
	}
	return e;
}

/* A concatenated value whose parts c->qcat says are names or not. */
static struct bw_ast_expr *concat_of(struct jc *c, const json_t *a,
				     const json_t *at)
{
	struct bw_ast_expr *l = bw_jc_expr_at(c, BW_AE_CONCAT, at, NULL);
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v) {
		size_t m = bw_jc_push(c, "[%zu]", i);
		struct bw_ast_expr *e = bw_jc_expr(c, v, i < 32 && (c->qcat >> i & 1));

		if (!e || !l)
			return NULL;
		bw_ast_expr_append(l, e);
		bw_jc_pop(c, m);
	}
	return l;
}

struct bw_ast_expr *bw_jc_list_of(struct jc *c, const json_t *a,
				  enum bw_ast_expr_kind kind, bool quoted,
				  const json_t *at)
{
	struct bw_ast_expr *l = bw_jc_expr_at(c, kind, at, NULL);
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v) {
		size_t m = bw_jc_push(c, "[%zu]", i);
		struct bw_ast_expr *e;

		if (kind == BW_AE_SET && json_is_array(v)) {
			/* a map's element: [key, data] */
			if (json_array_size(v) != 2) {
				bw_jc_err(c, v, "a map element is [key, value]");
				return NULL;
			}
			const json_t *k0 = json_array_get(v, 0);

			e = bw_jc_expr_at(c, BW_AE_MAPELEM, v, NULL);
			if (e && json_is_string(k0) && !strcmp(json_string_value(k0), "*")) {
				/* the catch-all element, as the parser reads it */
				e->left = bw_jc_expr_at(c, BW_AE_SYMBOL, k0, bw_jc_dup(c, "*"));
				e->right = bw_jc_expr(c, json_array_get(v, 1), false);
			} else if (e) {
				e->left = bw_jc_expr(c, json_array_get(v, 0), quoted);
				e->right = bw_jc_expr(c, json_array_get(v, 1), false);
			}
		} else {
			e = bw_jc_expr(c, v, quoted);
		}
		bw_jc_pop(c, m);
		if (!e)
			return NULL;
		bw_ast_expr_append(l, e);
	}
	return l;
}

struct bw_ast_expr *bw_jc_expr(struct jc *c, const json_t *j, bool quoted)
{
	struct bw_ast_expr *e;
	const char *k;
	json_t *v;
	char buf[32];
	size_t m;

	switch (json_typeof(j)) {
	case JSON_INTEGER:
		if (json_integer_value(j) < 0)
			return bw_jc_err(c, j, "a negative number");
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
		return bw_jc_expr_at(c, BW_AE_NUMBER, j, bw_jc_dup(c, buf));
	case JSON_STRING:
		return bw_jc_word(c, j, quoted);
	case JSON_TRUE:		/* nft's booleans: meta ipsec, rt ipsec */
	case JSON_FALSE:
		return bw_jc_expr_at(c, BW_AE_SYMBOL, j,
				bw_jc_dup(c, json_is_true(j) ? "exists" : "missing"));
	case JSON_ARRAY:	/* flags: a,b */
		if (!json_array_size(j))
			return bw_jc_err(c, j, "an empty list");
		return bw_jc_list_of(c, j, BW_AE_LIST, quoted, j);
	case JSON_OBJECT:
		break;
	default:
		return bw_jc_err(c, j, "a value must be a number, a string, a list or an object");
	}
	if (!(k = bw_jc_only_key(c, j, &v, "an expression")))
		return NULL;
	m = bw_jc_push(c, ".%s", k);
	e = NULL;
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (!strcmp(k, verdicts[i]))
			e = verdict_expr(c, k, v, j);
	if (e || c->err) {
		bw_jc_pop(c, m);
		return e;
	}
	if (!strcmp(k, "set") && json_is_array(v)) {
		e = bw_jc_list_of(c, v, BW_AE_SET, quoted, j);
	} else if (!strcmp(k, "set") && !json_is_object(v)) {
		/* one element */
		e = bw_jc_expr_at(c, BW_AE_SET, j, NULL);
		bw_ast_expr_append(e, bw_jc_expr(c, v, quoted));
	} else if (!strcmp(k, "concat") && json_is_array(v) && c->qcat) {
		e = concat_of(c, v, j);
	} else if (!strcmp(k, "concat") && json_is_array(v)) {
		e = bw_jc_list_of(c, v, BW_AE_CONCAT, quoted, j);
	} else if ((!strcmp(k, "range") || !strcmp(k, "|")) && json_is_array(v) &&
		   json_array_size(v) == 2) {
		e = bw_jc_expr_at(c, k[0] == 'r' ? BW_AE_RANGE : BW_AE_OR, j, NULL);
		if (e) {
			e->left = bw_jc_expr(c, json_array_get(v, 0), quoted);
			e->right = bw_jc_expr(c, json_array_get(v, 1), quoted);
			if (!e->left || !e->right)
				e = NULL;
		}
	} else if (!strcmp(k, "prefix") && json_is_object(v)) {
		/* an address, or a number (meta mark 0xffffff00/24) */
		json_t *a = json_is_integer(json_object_get(v, "addr")) ?
			    json_object_get(v, "addr") :
			    bw_jc_member(c, v, "addr", JSON_STRING, "an address or a number");
		json_t *l = a ? bw_jc_member(c, v, "len", JSON_INTEGER, "a number") : NULL;

		e = l ? bw_jc_expr_at(c, BW_AE_PREFIX, j, NULL) : NULL;
		if (e) {
			e->left = json_is_integer(a) ? bw_jc_expr(c, a, false) : bw_jc_word(c, a, false);
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(l));
			e->right = bw_jc_expr_at(c, BW_AE_NUMBER, l, bw_jc_dup(c, buf));
		}
	} else if (!strcmp(k, "elem") && json_is_object(v)) {
		/* a set element of a set with timeouts, as nft lists it: its
		 * own timeout (settimeout.h); its expires is the listing's
		 * (the load starts it anew) */
		static const char *const keys[] = { "val", "expires", "timeout", NULL };
		json_t *val = bw_jc_only_keys(c, v, "elem", keys) ?
			      json_object_get(v, "val") : NULL;

		json_t *t = json_object_get(v, "timeout");

		if (!val)
			e = c->err ? NULL : bw_jc_err(c, v, "\"val\" is missing");
		else if (t && !json_is_integer(t))
			e = bw_jc_err(c, t, "\"timeout\" must be a number (seconds)");
		else if ((e = bw_jc_expr(c, val, quoted)) && t &&
			 !(e->elem_timeout = bw_jc_expr(c, t, false)))
			e = NULL;
	} else if (!c->err) {
		e = bw_jc_err(c, j, "the expression \"%s\" (or this form of it) is not supported by bpfwall", k);
	}
	bw_jc_pop(c, m);
	return e;
}

/* ---- left-hand sides ---- */

static const struct lhs_kind {
	const char *json;		/* the expression's key */
	const char *proto;		/* the AST's proto; NULL: proto_key's */
	const char *proto_key;		/* the member naming the proto */
	const char *name_key;		/* the member naming the field */
	const char *whole;		/* no name_key: proto whole, the
					 * field is proto_key's (exthdr H) */
} lhs_kinds[] = {
	{ "payload", NULL, "protocol", "field", NULL },
	{ "meta", "meta", NULL, "key", NULL },
	{ "ct", "ct", NULL, "key", NULL },
	{ "socket", "socket", NULL, "key", NULL },
	{ "tunnel", "tunnel", NULL, "key", NULL },	/* tunnel path, id */
	{ "rt", "rt", NULL, "key", NULL },	/* rt classid, rt ipsec */
	/* IPv6 extension headers: hbh nexthdr; exthdr frag exists */
	{ "exthdr", NULL, "name", "field", "exthdr" },
};

/* {"payload": {"protocol": P, "field": F}} and the like. */
bool bw_jc_field_of(struct jc *c, const json_t *j, const char **proto,
		    const char **name, struct bw_loc *ploc, struct bw_loc *nloc)
{
	const struct lhs_kind *lk = NULL;
	const char *k;
	json_t *v;
	size_t m;

	if (!(k = bw_jc_only_key(c, j, &v, "a field")))
		return false;
	if (!strcmp(k, "fib"))
		return bw_jc_fib_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "osf"))
		return bw_jc_osf_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "ipsec"))
		return bw_jc_xfrm_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "tcp option"))
		return bw_jc_tcpopt_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "sctp chunk"))	/* {"name": T[, "field": F]} */
		return bw_jc_chunk_field(c, j, v, proto, name, ploc, nloc);
	for (size_t i = 0; i < sizeof(lhs_kinds) / sizeof(lhs_kinds[0]); i++)
		if (!strcmp(k, lhs_kinds[i].json))
			lk = &lhs_kinds[i];
	m = bw_jc_push(c, ".%s", k);
	if (!lk || !json_is_object(v)) {
		bw_jc_err(c, j, "the expression \"%s\" is not supported by bpfwall on the left of a match", k);
		bw_jc_pop(c, m);
		return false;
	}
	if (!lk->proto && json_object_get(v, "base")) {
		/* raw payload: proto "@th", name "16,16" (as the parser) */
		const char *base = bw_jc_str_member(c, v, "base");
		json_t *off = json_object_get(v, "offset"), *len = json_object_get(v, "len");
		char *pr, *nm;

		if (!base || !json_is_integer(off) || !json_is_integer(len) ||
		    json_integer_value(off) < 0 || json_integer_value(len) < 0) {
			bw_jc_err(c, j, "a raw payload takes a base, an offset and a len (numbers)");
			bw_jc_pop(c, m);
			return false;
		}
		pr = bw_arena_alloc(c->ast->arena, strlen(base) + 2);
		nm = bw_arena_alloc(c->ast->arena, 48);
		if (!pr || !nm) {
			bw_jc_pop(c, m);
			return false;
		}
		sprintf(pr, "@%s", base);
		snprintf(nm, 48, "%lld,%lld", (long long)json_integer_value(off),
			 (long long)json_integer_value(len));
		*proto = pr;
		*name = nm;
		*ploc = *nloc = bw_jc_loc_of(c, j);
		bw_jc_pop(c, m);
		return true;
	}
	*proto = lk->proto ? lk->proto : bw_jc_str_member(c, v, lk->proto_key);
	*ploc = bw_jc_loc_of(c, lk->proto ? j : json_object_get(v, lk->proto_key));
	if (*proto && lk->whole && !json_object_get(v, lk->name_key)) {
		*name = *proto;
		*nloc = *ploc;
		*proto = lk->whole;
		*ploc = bw_jc_loc_of(c, j);
		bw_jc_pop(c, m);
		return true;
	}
	*name = *proto ? bw_jc_str_member(c, v, lk->name_key) : NULL;
	*nloc = bw_jc_loc_of(c, json_object_get(v, lk->name_key));
	/* nft 1.1's inner payload: {"protocol": "ip", "field": "saddr",
	 * "tunnel": "vxlan"} is vxlan ip saddr; protocol vxlan: vxlan vni */
	if (*proto && !strcmp(k, "payload") && json_object_get(v, "tunnel")) {
		const char *tun = bw_jc_str_member(c, v, "tunnel");
		char *both;

		if (!tun) {
			bw_jc_pop(c, m);
			return false;
		}
		if (strcmp(tun, *proto)) {
			both = bw_arena_alloc(c->ast->arena, strlen(tun) + strlen(*proto) + 2);
			if (!both) {
				bw_jc_pop(c, m);
				return false;
			}
			sprintf(both, "%s %s", tun, *proto);
			*proto = both;
		}
	}
	/* {"rt": {"family": "ip6", "key": "nexthop"}}: rt ip6 nexthop */
	if (*name && !strcmp(k, "rt") && !strcmp(*name, "nexthop") &&
	    json_object_get(v, "family")) {
		const char *fam = bw_jc_str_member(c, v, "family");

		*name = fam && !strcmp(fam, "ip6") ? "ip6 nexthop" :
			fam && !strcmp(fam, "ip") ? "ip nexthop" : NULL;
		if (fam && !*name)
			bw_jc_err(c, j, "rt nexthop: family ip or ip6");
	}
	if (*name && !strcmp(*proto, "ct") && json_object_get(v, "dir")) {
		/* {"key": "ip saddr", "dir": "original"}: ct original ip saddr */
		const char *dir = bw_jc_str_member(c, v, "dir");
		char *both;

		if (!dir) {
			bw_jc_pop(c, m);
			return false;
		}
		both = bw_arena_alloc(c->ast->arena, strlen(dir) + strlen(*name) + 2);
		if (!both) {
			bw_jc_pop(c, m);
			return false;
		}
		sprintf(both, "%s %s", dir, *name);
		*name = both;
	}
	bw_jc_pop(c, m);
	return *proto && *name;
}

/* The left of a match or a vmap's key into s; the mask out (or NULL). */
bool bw_jc_lhs(struct jc *c, const json_t *j, struct bw_ast_stmt *s,
	       const json_t **mask)
{
	const char *k;
	json_t *v;

	*mask = NULL;
	for (int i = 0; i < 3; i++) {	/* & | ^: the mask's operator */
		static const char *const ops[] = { "&", "|", "^" };
		static const enum bw_ast_maskop mops[] = {
			BW_MASK_AND, BW_MASK_OR, BW_MASK_XOR,
		};

		if (json_is_object(j) && json_object_size(j) == 1 &&
		    (v = json_object_get(j, ops[i])) && json_is_array(v) &&
		    json_array_size(v) == 2) {
			*mask = json_array_get(v, 1);
			s->mask_op = mops[i];
			j = json_array_get(v, 0);
			break;
		}
	}
	if (json_is_object(j) && (v = json_object_get(j, "concat")) &&
	    json_is_array(v) && json_array_size(v) > 1) {
		struct bw_ast_fref **tail = &s->cat;
		size_t i, m = bw_jc_push(c, ".concat");
		json_t *x;

		json_array_foreach(v, i, x) {
			size_t m2 = bw_jc_push(c, "[%zu]", i);
			struct bw_ast_fref *f;

			if (!i) {
				if (!bw_jc_field_of(c, x, &s->proto, &s->field, &s->proto_loc,
					   &s->field_loc))
					return false;
				bw_jc_pop(c, m2);
				continue;
			}
			f = bw_jc_node(c, sizeof(*f));
			if (!f || !bw_jc_field_of(c, x, &f->proto, &f->field, &f->proto_loc,
					 &f->field_loc))
				return false;
			*tail = f;
			tail = &f->next;
			bw_jc_pop(c, m2);
		}
		bw_jc_pop(c, m);
		return true;
	}
	(void)k;
	return bw_jc_field_of(c, j, &s->proto, &s->field, &s->proto_loc, &s->field_loc);
}

/* ---- statements ---- */

struct bw_ast_stmt *bw_jc_stmt_new(struct jc *c, enum bw_ast_stmt_kind k,
				   const json_t *at)
{
	struct bw_ast_stmt *s = bw_jc_node(c, sizeof(*s));

	if (s) {
		s->kind = k;
		s->loc = bw_jc_loc_of(c, at);
	}
	return s;
}

static bool ifname(const struct bw_ast_stmt *s);

/* Which parts of s's concatenation take names (bit i: part i), as
 * ifname() says of one field; 0 when s is no concatenation. */
static unsigned cat_names(const struct bw_ast_stmt *s)
{
	struct bw_ast_stmt one = { .kind = BW_AS_MATCH };
	unsigned q, i = 1;

	if (!s->cat)
		return 0;
	q = ifname(s);
	for (const struct bw_ast_fref *fr = s->cat; fr && i < 32; fr = fr->next, i++) {
		one.proto = fr->proto;
		one.field = fr->field;
		q |= (unsigned)ifname(&one) << i;
	}
	return q;
}

static bool ifname(const struct bw_ast_stmt *s)
{
	size_t n = s->field ? strlen(s->field) : 0;

	if (!strcmp(s->proto, "fib"))	/* fib daddr . iif oifname */
		return n > 8 && !strcmp(s->field + n - 8, " oifname");
	if (!strcmp(s->proto, "osf"))	/* strings, as names are */
		return true;
	return !strcmp(s->proto, "meta") && s->field &&
	       (!strcmp(s->field, "iifname") || !strcmp(s->field, "oifname") ||
		!strcmp(s->field, "iif") || !strcmp(s->field, "oif") ||
		!strcmp(s->field, "sdif") || !strcmp(s->field, "sdifname"));
}

/* The fields whose values are flag lists (nft's tcp_flag, ct_state). */
static bool flag_field(const struct bw_ast_stmt *s)
{
	return s->proto && s->field && !s->cat &&
	       ((!strcmp(s->proto, "tcp") && !strcmp(s->field, "flags")) ||
		(!strcmp(s->proto, "ct") && (!strcmp(s->field, "state") ||
					      !strcmp(s->field, "status") ||
					      !strcmp(s->field, "label"))));
}

/* nft's (flags & mask) == value as the text parser reads `v / m`: the
 * list of values whose last carries the mask's first, then the mask's
 * others (a LIST around a PREFIX belongs to both sides). */
static struct bw_ast_expr *flag_prefix(struct jc *c, const json_t *value,
				       const json_t *mask, const json_t *at)
{
	struct bw_ast_expr *v = bw_jc_expr(c, value, false), *m = bw_jc_expr(c, mask, false);
	struct bw_ast_expr *l, *vlast, *mfirst, *p;

	if (!v || !m)
		return NULL;
	l = bw_jc_expr_at(c, BW_AE_LIST, at, NULL);
	if (!l)
		return NULL;
	if (v->kind == BW_AE_LIST) {
		for (struct bw_ast_expr *x = v->elems, *n; x != v->elems_last; x = n) {
			n = x->next;
			x->next = NULL;
			bw_ast_expr_append(l, x);
		}
		vlast = v->elems_last;
	} else {
		vlast = v;
	}
	mfirst = m->kind == BW_AE_LIST ? m->elems : m;
	p = bw_jc_expr_at(c, BW_AE_PREFIX, at, NULL);
	if (!p)
		return NULL;
	p->left = vlast;
	p->right = mfirst;
	vlast->next = NULL;
	if (m->kind == BW_AE_LIST) {
		struct bw_ast_expr *rest = mfirst->next;

		mfirst->next = NULL;
		bw_ast_expr_append(l, p);
		while (rest) {
			struct bw_ast_expr *n = rest->next;

			rest->next = NULL;
			bw_ast_expr_append(l, rest);
			rest = n;
		}
	} else {
		bw_ast_expr_append(l, p);
	}
	return l->elems == l->elems_last ? p : l;
}

static struct bw_ast_stmt *st_match(struct jc *c, const json_t *v,
				    const json_t *at)
{
	static const struct { const char *json; enum bw_ast_op op; } ops[] = {
		{ "==", BW_OP_IMPLICIT }, { "in", BW_OP_IMPLICIT },
		{ "!=", BW_OP_NE }, { "<", BW_OP_LT }, { ">", BW_OP_GT },
		{ "<=", BW_OP_LE }, { ">=", BW_OP_GE }, { "!", BW_OP_NOT },
	};
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_MATCH, at);
	json_t *op, *left, *right;
	const json_t *mask;
	bool found = false;
	size_t m;

	if (!s || !json_is_object(v) ||
	    !(op = bw_jc_member(c, v, "op", JSON_STRING, "a string")) ||
	    !(left = bw_jc_member(c, v, "left", JSON_OBJECT, "an object")) ||
	    !(right = json_object_get(v, "right")))
		return c->err ? NULL : bw_jc_err(c, at, "a match is {\"op\", \"left\", \"right\"}");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(json_string_value(op), ops[i].json)) {
			s->op = ops[i].op;
			found = true;
		}
	}
	if (!found)
		return bw_jc_err(c, op, "the operator \"%s\" is not supported by bpfwall",
			    json_string_value(op));
	s->op_loc = bw_jc_loc_of(c, op);
	m = bw_jc_push(c, ".left");
	if (!bw_jc_lhs(c, left, s, &mask))
		return NULL;
	bw_jc_pop(c, m);
	m = bw_jc_push(c, ".right");
	if (mask && !strcmp(s->proto, "tcp") && !strcmp(s->field, "flags") &&
	    (s->op == BW_OP_IMPLICIT || s->op == BW_OP_NE)) {
		/* the form nft lists: tcp flags syn / syn,ack */
		s->rhs = flag_prefix(c, right, mask, right);
	} else if ((!strcmp(s->proto, "exthdr") || !strcmp(s->proto, "fib") ||
		    (!strcmp(s->proto, "tcp") && !strncmp(s->field, "option ", 7)) ||
		    (!strcmp(s->proto, "sctp") && !strncmp(s->field, "chunk ", 6) &&
		     !strchr(s->field + 6, ' '))) && json_is_boolean(right)) {
		/* exthdr H exists, tcp option K exists, sctp chunk T exists,
		 * fib ... oif exists: == true; missing: == false */
		s->rhs = bw_jc_expr_at(c, BW_AE_SYMBOL, right,
				  bw_jc_dup(c, json_is_true(right) ? "exists" : "missing"));
	} else {
		c->qcat = cat_names(s);
		s->rhs = bw_jc_expr(c, right, ifname(s));
		c->qcat = 0;
		if (!mask && flag_field(s) && !strcmp(json_string_value(op), "==") &&
		    s->rhs && s->rhs->kind != BW_AE_SET &&
		    s->rhs->kind != BW_AE_SETREF) {
			/* on a flag field nft's "in" is the any-bit test
			 * (no operator), "==" the exact compare (but a set's
			 * lookup, written without one); a number there is
			 * listed in hex (tcp flags == 0xff) */
			s->op = BW_OP_EQ;
			if (s->rhs && s->rhs->kind == BW_AE_NUMBER &&
			    json_is_integer(right)) {
				char buf[32];

				snprintf(buf, sizeof(buf), "0x%llx",
					 (unsigned long long)json_integer_value(right));
				s->rhs->text = bw_jc_dup(c, buf);
			}
		}
		if (mask) {
			size_t m2 = bw_jc_push(c, " (the mask)");

			s->mask = bw_jc_expr(c, mask, false);
			bw_jc_pop(c, m2);
			if (s->op == BW_OP_IMPLICIT)
				s->op = BW_OP_EQ;
		}
	}
	bw_jc_pop(c, m);
	return s->rhs && (!mask || s->mask || s->rhs->kind != BW_AE_NUMBER) ? s : NULL;
}

static struct bw_ast_stmt *st_vmap(struct jc *c, const json_t *v,
				   const json_t *at)
{
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_MATCH, at);
	json_t *key, *data;
	const json_t *mask;
	size_t m;

	if (!s || !(key = bw_jc_member(c, v, "key", JSON_OBJECT, "an object")) ||
	    !(data = json_object_get(v, "data")))
		return c->err ? NULL : bw_jc_err(c, at, "a vmap is {\"key\", \"data\"}");
	s->vmap = true;
	m = bw_jc_push(c, ".key");
	if (!bw_jc_lhs(c, key, s, &mask))
		return NULL;
	if (mask)
		return bw_jc_err(c, key, "a vmap's key with a mask is not supported by bpfwall");
	bw_jc_pop(c, m);
	m = bw_jc_push(c, ".data");
	c->qcat = cat_names(s);
	s->rhs = bw_jc_expr(c, data, false);
	c->qcat = 0;
	bw_jc_pop(c, m);
	return s->rhs ? s : NULL;
}

/* fwd: {"dev": D[, "family": "ip"|"ip6", "addr": A]}; dup: {"addr": D}
 * (netdev: the device; nft's form) or {"dev": D}.  Which statement:
 * the key the caller found, "dup" when v has no "dev" but an "addr"
 * alone, or the at's own key. */
static struct bw_ast_stmt *st_fwd(struct jc *c, const json_t *v, const json_t *at)
{
	bool is_dup = json_is_object(at) && json_object_get(at, "dup");
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_FWD, at);
	const json_t *dev, *fam, *addr;

	if (!s)
		return NULL;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "%s takes an object", is_dup ? "dup" : "fwd");
	s->fwd_dup = is_dup;
	dev = json_object_get(v, "dev");
	fam = json_object_get(v, "family");
	addr = json_object_get(v, "addr");
	if (is_dup && !dev && addr) {	/* netdev: the device in "addr" */
		dev = addr;
		addr = NULL;
	}
	if (dev && json_is_object(dev) && bw_jc_is_vexpr(dev)) {	/* a map */
		s->fwd_dev = bw_jc_vexpr(c, dev);
		return s->fwd_dev ? s : NULL;
	}
	if (!dev || !json_is_string(dev))
		return bw_jc_err(c, v, "%s needs the device as a string (\"dev\")",
			    is_dup ? "dup" : "fwd");
	if (!(s->fwd_dev = bw_jc_expr_at(c, BW_AE_STRING, dev, bw_jc_dup(c, json_string_value(dev)))))
		return NULL;
	if (!fam && !addr)
		return s;
	if (!fam || !json_is_string(fam) || !addr || !json_is_string(addr))
		return bw_jc_err(c, v, "fwd to an address needs \"family\" and \"addr\" as strings");
	s->fwd_family = bw_jc_dup(c, json_string_value(fam));
	s->fwd_addr = bw_jc_expr_at(c, BW_AE_ADDR, addr, bw_jc_dup(c, json_string_value(addr)));
	return s->fwd_family && s->fwd_addr ? s : NULL;
}

static struct bw_ast_stmt *st_verdict(struct jc *c, const json_t *v,
				      const json_t *at)
{
	const char *k;
	json_t *x;
	struct bw_ast_expr *e;
	struct bw_ast_stmt *s;

	k = bw_jc_only_key(c, at, &x, "a verdict");
	e = k ? verdict_expr(c, k, v, at) : NULL;
	s = e ? bw_jc_stmt_new(c, BW_AS_VERDICT, at) : NULL;
	if (!s)
		return NULL;
	for (int i = BW_AV_ACCEPT; i <= BW_AV_CONTINUE; i++)
		if (!strcmp(k, bw_ast_verdict_str((enum bw_ast_verdict)i)))
			s->verdict = (enum bw_ast_verdict)i;
	if (e->right) {
		s->target = e->right->text;
		s->target_loc = e->right->loc;
	}
	return s;
}

static struct bw_ast_stmt *st_flow(struct jc *c, const json_t *v,
				   const json_t *at)
{
	static const char *const keys[] = { "op", "flowtable", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_FLOW, at);
	const json_t *op, *ft;

	if (!s)
		return NULL;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "a flow is an object (\"op\", \"flowtable\")");
	if (!bw_jc_only_keys(c, v, "flow", keys))
		return NULL;
	op = json_object_get(v, "op");
	ft = json_object_get(v, "flowtable");
	if (!op || !json_is_string(op) || strcmp(json_string_value(op), "add"))
		return bw_jc_err(c, op ? op : v, "Unknown flow offload statement op (it is \"add\")");
	if (!ft || !json_is_string(ft) || json_string_value(ft)[0] != '@' ||
	    !json_string_value(ft)[1])
		return bw_jc_err(c, ft ? ft : v, "Illegal flowtable reference in flow offload statement (\"@NAME\")");
	s->flow_table = bw_jc_dup(c, json_string_value(ft) + 1);
	s->flow_table_loc = bw_jc_loc_of(c, ft);
	return s;
}

static struct bw_ast_stmt *st_notrack(struct jc *c, const json_t *v,
				      const json_t *at)
{
	if (!json_is_null(v))
		return bw_jc_err(c, v, "notrack takes null");
	return bw_jc_stmt_new(c, BW_AS_NOTRACK, at);
}

/* null or {"num": N or {"range": [N, M]}, "flags": F or [F, ...]} */
static struct bw_ast_stmt *st_queue(struct jc *c, const json_t *v,
				    const json_t *at)
{
	static const char *const keys[] = { "num", "flags", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_QUEUE, at);
	json_t *num, *x;

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "a queue is null or an object");
	if (!bw_jc_only_keys(c, v, "queue", keys))
		return NULL;
	if ((num = json_object_get(v, "num"))) {
		json_t *r = json_is_object(num) ? json_object_get(num, "range") : NULL;

		if (json_is_integer(num)) {
			s->queue_lo = bw_jc_expr(c, num, false);
		} else if (bw_jc_is_vexpr(num)) {	/* json_vexpr.c */
			s->queue_lo = bw_jc_vexpr(c, num);
		} else if (r && json_object_size(num) == 1 && json_is_array(r) &&
			   json_array_size(r) == 2 &&
			   json_is_integer(json_array_get(r, 0)) &&
			   json_is_integer(json_array_get(r, 1))) {
			s->queue_lo = bw_jc_expr(c, json_array_get(r, 0), false);
			s->queue_hi = bw_jc_expr(c, json_array_get(r, 1), false);
		} else {
			return bw_jc_err(c, num, "queue's \"num\" is a number or {\"range\": [N, M]}");
		}
		if (!s->queue_lo)
			return NULL;
	}
	if ((x = json_object_get(v, "flags")) &&
	    !(s->queue_flags = bw_jc_flag_list(c, x, "queue")))
		return NULL;
	return s;
}

/* A set statement's {"elem": {"val": KEY, "timeout": SECONDS}}: KEY,
 * with the timeout in s (settimeout.h); another elem as it is; NULL
 * after an error. */
static const json_t *dynset_timeout(struct jc *c, const json_t *elem,
				    struct bw_ast_stmt *s)
{
	static const char *const keys[] = { "val", "timeout", NULL };
	const json_t *e = json_object_get(elem, "elem"), *val, *t;

	if (!e || json_object_size(elem) != 1)
		return elem;
	if (!bw_jc_only_keys(c, e, "elem", keys) ||
	    !(val = bw_jc_member(c, e, "val", JSON_OBJECT, "a field or a concatenation")))
		return NULL;
	if ((t = json_object_get(e, "timeout"))) {
		if (!json_is_integer(t))
			return bw_jc_err(c, t, "\"timeout\" must be a number (seconds)");
		s->dyn_extra = "timeout";
		s->dyn_extra_loc = bw_jc_loc_of(c, t);
		if (!(s->dyn_extra_val = bw_jc_expr(c, t, false)))
			return NULL;
	}
	return val;
}

/* {"op": "add"|"update"|"delete", "elem": FIELD or {"concat": [...]},
 * "set": "@NAME"}: a set statement (evaluate checks the op) */
static struct bw_ast_stmt *st_dynset(struct jc *c, const json_t *v,
				     const json_t *at)
{
	static const char *const keys[] = { "op", "elem", "set", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_DYNSET, at);
	struct bw_ast_stmt *m = bw_jc_stmt_new(c, BW_AS_MATCH, at);
	struct bw_ast_fref *k;
	const json_t *op, *elem, *set, *mask;
	const char *name;

	if (!s || !m || !json_is_object(v))
		return c->err ? NULL : bw_jc_err(c, at, "a set statement is an object");
	if (!bw_jc_only_keys(c, v, "set", keys) ||
	    !(op = bw_jc_member(c, v, "op", JSON_STRING, "add, update or delete")) ||
	    !(set = bw_jc_member(c, v, "set", JSON_STRING, "\"@NAME\"")) ||
	    !(elem = bw_jc_member(c, v, "elem", JSON_OBJECT, "a field or a concatenation")))
		return NULL;
	name = json_string_value(set);
	if (name[0] != '@' || !name[1])
		return bw_jc_err(c, set, "\"set\" must be \"@NAME\"");
	if (!(elem = dynset_timeout(c, elem, s)))	/* {"elem": {"val", "timeout"}} */
		return NULL;
	if (!bw_jc_lhs(c, elem, m, &mask))
		return NULL;
	if (mask)
		return bw_jc_err(c, elem, "a set statement's key takes no mask");
	if (!(k = bw_jc_node(c, sizeof(*k))))
		return NULL;
	k->proto = m->proto;
	k->field = m->field;
	k->proto_loc = m->proto_loc;
	k->field_loc = m->field_loc;
	k->next = m->cat;
	s->dyn_op = bw_jc_dup(c, json_string_value(op));
	s->dyn_op_loc = bw_jc_loc_of(c, op);
	s->dyn_set = bw_jc_dup(c, name + 1);
	s->dyn_set_loc = bw_jc_loc_of(c, set);
	s->dyn_key = k;
	return s->dyn_op && s->dyn_set ? s : NULL;
}

/* {"op", "elem", "data", "map": "@NAME"}: add @m { KEY : VALUE } */
static struct bw_ast_stmt *st_mapadd(struct jc *c, const json_t *v,
				     const json_t *at)
{
	return bw_jc_mapadd(c, v, at, st_dynset);	/* json_mapadd.c */
}

/* "dup": netdev's (a device, or a map to devices: st_fwd) or ip's and
 * ip6's (an address: st_dup), by the rule's family */
static struct bw_ast_stmt *st_dup_any(struct jc *c, const json_t *v,
				      const json_t *at)
{
	if (c->family && !strcmp(c->family, "netdev"))
		return st_fwd(c, v, at);
	return bw_jc_st_dup(c, v, at);
}

static const struct stmt_row {
	const char *key;
	struct bw_ast_stmt *(*conv)(struct jc *c, const json_t *v,
				    const json_t *at);
} stmts[] = {
	{ "match", st_match },
	{ "vmap", st_vmap },
	{ "counter", bw_jc_st_counter },
	{ "accept", st_verdict }, { "drop", st_verdict },
	{ "continue", st_verdict }, { "return", st_verdict },
	{ "jump", st_verdict }, { "goto", st_verdict },
	{ "log", bw_jc_st_log },
	{ "limit", bw_jc_st_limit },
	{ "reject", bw_jc_st_reject },
	{ "snat", bw_jc_st_nat }, { "dnat", bw_jc_st_nat },
	{ "masquerade", bw_jc_st_nat }, { "redirect", bw_jc_st_nat },
	{ "mangle", bw_jc_st_mangle },
	{ "ct count", bw_jc_st_ct_count },
	{ "notrack", st_notrack },
	{ "quota", bw_jc_st_quota },
	{ "queue", st_queue },
	{ "ct helper", bw_jc_st_ct_helper },
	{ "ct timeout", bw_jc_st_ct_timeout },
	{ "ct expectation", bw_jc_st_ct_expect },
	{ "last", bw_jc_st_last },
	{ "reset", bw_jc_st_reset },
	{ "set", st_dynset },
	{ "tproxy", bw_jc_st_tproxy },
	{ "synproxy", bw_jc_st_synproxy },
	{ "dup", st_dup_any },
	{ "fwd", st_fwd },
	{ "flow", st_flow },
	{ "map", st_mapadd },
};

/* ---- objects ---- */

static void obj_rule(struct jc *c, const json_t *o)
{
	struct bw_ast_item *t = bw_jc_table_of(c, o), *ch, *r;
	const char *chain = t ? bw_jc_str_member(c, o, "chain") : NULL;
	json_t *exprs, *x, *cm;
	size_t i;

	if (!chain)
		return;
	c->family = t->family;
	ch = bw_jc_find(t->items, BW_AI_CHAIN, NULL, chain);
	if (!ch) {
		bw_jc_err(c, json_object_get(o, "chain"), "chain %s is not declared before", chain);
		return;
	}
	if (!(exprs = bw_jc_member(c, o, "expr", JSON_ARRAY, "a list of statements")) ||
	    !(r = bw_jc_item_new(c, BW_AI_RULE, o)))
		return;
	if (!json_array_size(exprs)) {
		bw_jc_err(c, exprs, "a rule without statements");
		return;
	}
	json_array_foreach(exprs, i, x) {
		size_t m0 = bw_jc_push(c, ".expr[%zu]", i), m;
		const struct stmt_row *row = NULL;
		struct bw_ast_stmt *s;
		const char *k;
		json_t *v;

		if (!(k = bw_jc_only_key(c, x, &v, "a statement")))
			return;
		for (size_t n = 0; n < sizeof(stmts) / sizeof(stmts[0]); n++)
			if (!strcmp(stmts[n].key, k))
				row = &stmts[n];
		m = bw_jc_push(c, ".%s", k);
		if (!row) {
			bw_jc_err(c, x, "the statement \"%s\" is not supported by bpfwall", k);
			return;
		}
		s = row->conv(c, v, x);
		if (!s) {
			/* never drop a rule without saying so */
			if (!c->err)
				bw_jc_err(c, x, "internal error: this \"%s\" statement could not be read", k);
			return;
		}
		if (r->stmts_last)
			r->stmts_last->next = s;
		else
			r->stmts = s;
		r->stmts_last = s;
		bw_jc_pop(c, m);
		bw_jc_pop(c, m0);
	}
	if ((cm = json_object_get(o, "comment")) && json_is_string(cm)) {
		r->comment = bw_jc_dup(c, json_string_value(cm));
		r->comment_loc = bw_jc_loc_of(c, cm);
	}
	bw_jc_item_add(&ch->items, &ch->items_last, r);
}

static void object(struct jc *c, const json_t *x, bool in_add)
{
	const char *k;
	json_t *v;
	size_t m;

	if (!(k = bw_jc_only_key(c, x, &v, "an element of \"nftables\"")))
		return;
	m = bw_jc_push(c, ".%s", k);
	if (!strcmp(k, "metainfo")) {
		/* informational */
	} else if (!strcmp(k, "add") && !in_add) {
		object(c, v, true);
	} else if (!strcmp(k, "flush") && !in_add && json_is_object(v) &&
		   json_object_size(v) == 1 && json_object_get(v, "ruleset")) {
		bw_jc_item_add(&c->ast->items, &c->ast->items_last,
			 bw_jc_item_new(c, BW_AI_FLUSH, x));
	} else if (!json_is_object(v)) {
		bw_jc_err(c, v, "\"%s\" must be an object", k);
	} else if (!strcmp(k, "table")) {
		bw_jc_obj_table(c, v);
	} else if (!strcmp(k, "chain")) {
		bw_jc_obj_chain(c, v);
	} else if (!strcmp(k, "set") || !strcmp(k, "map")) {
		bw_jc_obj_set(c, v, k[0] == 'm');
	} else if (!strcmp(k, "rule")) {
		obj_rule(c, v);
	} else if (!strcmp(k, "counter") || !strcmp(k, "quota") || !strcmp(k, "limit") ||
		   !strcmp(k, "ct helper") || !strcmp(k, "ct timeout") ||
		   !strcmp(k, "ct expectation")) {
		bw_jc_obj_named(c, v, k[0] == 'c' && k[1] == 't' ? (k[3] == 'h' ? "ct helper" :
			  k[3] == 't' ? "ct timeout" : "ct expectation") :
			  k[0] == 'c' ? "counter" : k[0] == 'q' ? "quota" : "limit");
	} else if (!strcmp(k, "synproxy")) {
		bw_jc_obj_named(c, v, "synproxy");
	} else if (!strcmp(k, "flowtable")) {
		bw_jc_obj_flowtable(c, v);
	} else {
		bw_jc_err(c, x, "\"%s\" is not supported by bpfwall in JSON (it takes metainfo, table, chain, set, map, rule, the named objects counter, quota, limit, ct helper, ct timeout, ct expectation and synproxy, add and flush ruleset)", k);
	}
	bw_jc_pop(c, m);
}

int bw_json_parse(const struct bw_src *src, struct bw_diags *d,
		  struct bw_ast **out)
{
	struct jc c = { .d = d, .src = src };
	json_error_t je;
	json_t *root, *list, *x;
	size_t k = 0, i;

	*out = NULL;
	root = json_loadb(src->text, src->len, JSON_REJECT_DUPLICATES, &je);
	if (!root) {
		struct bw_loc l = { .src = src, .line = (uint32_t)(je.line > 0 ? je.line : 1),
				    .col = (uint32_t)(je.column > 0 ? je.column : 1) };

		l.end_line = l.line;
		l.end_col = l.col;
		bw_error(d, &l, "JSON: %s", je.text);
		return -EINVAL;
	}
	c.ast = calloc(1, sizeof(*c.ast));
	if (!c.ast || bw_arena_new(&c.ast->arena)) {
		free(c.ast);
		json_decref(root);
		return -ENOMEM;
	}
	c.ast->src = src;
	c.ast->mode = BW_PARSE_RULESET;
	if (scan(&c, src->text, 0) == (uint32_t)-1) {
		c.err = -ENOMEM;
		goto out;
	}
	walk(&c, root, &k);
	qsort(c.spans, c.nspan, sizeof(*c.spans), span_cmp);
	bw_jc_push(&c, "nftables");
	list = json_is_object(root) ? json_object_get(root, "nftables") : NULL;
	if (!list || !json_is_array(list) || json_object_size(root) != 1) {
		bw_jc_err(&c, root, "the file must be {\"nftables\": [...]}");
		goto out;
	}
	json_array_foreach(list, i, x) {
		size_t m = bw_jc_push(&c, "[%zu]", i);

		object(&c, x, false);
		bw_jc_pop(&c, m);
		if (c.err == -ENOMEM)
			break;
	}
out:
	free(c.spans);
	json_decref(root);
	if (c.err) {
		bw_ast_free(&c.ast);
		return c.err;
	}
	*out = c.ast;
	return 0;
}

/* ---- lent to json_vexpr.c (json_vexpr.h) ---- */

void *bw_jc_error(struct jc *c, const json_t *j, const char *msg)
{
	return bw_jc_err(c, j, "%s", msg);
}

struct bw_ast_expr *bw_jc_value(struct jc *c, const json_t *j)
{
	return bw_jc_expr(c, j, false);
}

bool bw_jc_field(struct jc *c, const json_t *j, struct bw_ast_fref *f)
{
	return bw_jc_field_of(c, j, &f->proto, &f->field, &f->proto_loc, &f->field_loc);
}

struct bw_ast_expr *bw_jc_expr_new(struct jc *c, enum bw_ast_expr_kind k,
				   const json_t *at, const char *text)
{
	return bw_jc_expr_at(c, k, at, text);
}

struct bw_ast_fref *bw_jc_fref_new(struct jc *c)
{
	return bw_jc_node(c, sizeof(struct bw_ast_fref));
}
