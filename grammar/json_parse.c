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
#include "json_vexpr.h"

struct span {
	const json_t *j;
	uint32_t start, end;		/* offsets into the text */
};

struct jc {
	struct bw_ast *ast;
	struct bw_diags *d;
	const struct bw_src *src;
	struct span *spans;		/* sorted by pointer after the walk */
	size_t nspan, cap;
	char path[512];
	size_t plen;
	const char *family;		/* of the rule being read */
	int err;
	unsigned qcat;			/* the right side of a concatenation
					 * being read: bit i, part i takes
					 * names (quoted strings) */
};

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
static struct bw_loc loc_of(struct jc *c, const json_t *j)
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

static size_t push(struct jc *c, const char *fmt, ...)
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

static void pop(struct jc *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = 0;
}

__attribute__((format(printf, 3, 4)))
static void *jerr(struct jc *c, const json_t *at, const char *fmt, ...)
{
	struct bw_loc l = loc_of(c, at);
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

static void *node(struct jc *c, size_t n)
{
	void *p = bw_arena_alloc(c->ast->arena, n);

	if (!p && !c->err)
		c->err = -ENOMEM;
	return p;
}

static const char *dup(struct jc *c, const char *s)
{
	char *p = bw_arena_strndup(c->ast->arena, s, strlen(s));

	if (!p)
		c->err = -ENOMEM;
	return p;
}

static struct bw_ast_expr *expr_new(struct jc *c, enum bw_ast_expr_kind k,
				    const json_t *at, const char *text)
{
	struct bw_ast_expr *e = node(c, sizeof(*e));

	if (e) {
		e->kind = k;
		e->loc = loc_of(c, at);
		e->text = text;
	}
	return e;
}

static struct bw_ast_item *item_new(struct jc *c, enum bw_ast_item_kind k,
				    const json_t *at)
{
	struct bw_ast_item *it = node(c, sizeof(*it));

	if (it) {
		it->kind = k;
		it->loc = loc_of(c, at);
	}
	return it;
}

static void item_add(struct bw_ast_item **head, struct bw_ast_item **last,
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
static json_t *member(struct jc *c, const json_t *o, const char *key,
		      json_type type, const char *what)
{
	json_t *v = json_object_get(o, key);

	if (!v)
		return jerr(c, o, "\"%s\" is missing: %s", key, what);
	if (json_typeof(v) != type &&
	    !(type == JSON_TRUE && json_is_boolean(v)))
		return jerr(c, v, "\"%s\" must be %s", key, what);
	return v;
}

static const char *str_member(struct jc *c, const json_t *o, const char *key)
{
	json_t *v = member(c, o, key, JSON_STRING, "a string");

	return v ? dup(c, json_string_value(v)) : NULL;
}

/* The single key of {"key": value}, or NULL (said). */
static const char *only_key(struct jc *c, const json_t *o, json_t **v,
			    const char *what)
{
	const char *k;

	if (!json_is_object(o) || json_object_size(o) != 1)
		return jerr(c, o, "%s must be an object of one member", what);
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
static struct bw_ast_expr *word(struct jc *c, const json_t *j, bool quoted)
{
	const char *s = json_string_value(j);
	char *end;

	if (s[0] == '@' && s[1])
		return expr_new(c, BW_AE_SETREF, j, dup(c, s + 1));
	if (quoted)
		return expr_new(c, BW_AE_STRING, j, dup(c, s));
	if (strchr(s, ':') && all_of(s, "0123456789abcdefABCDEF:."))
		return expr_new(c, BW_AE_ADDR, j, dup(c, s));
	strtoull(s, &end, 0);
	if (s[0] && !*end && s[0] != '-')
		return expr_new(c, BW_AE_NUMBER, j, dup(c, s));
	if (all_of(s, "0123456789.") && strchr(s, '.'))
		return expr_new(c, BW_AE_ADDR, j, dup(c, s));
	if (all_of(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"))
		return expr_new(c, BW_AE_SYMBOL, j, dup(c, s));
	return expr_new(c, BW_AE_STRING, j, dup(c, s));
}

static struct bw_ast_expr *expr(struct jc *c, const json_t *j, bool quoted);
static struct bw_ast_expr *concat_of(struct jc *c, const json_t *a,
				     const json_t *at);

static const char *const verdicts[] = {
	"accept", "drop", "continue", "return", "jump", "goto",
};

static struct bw_ast_expr *verdict_expr(struct jc *c, const char *k,
					const json_t *v, const json_t *at)
{
	struct bw_ast_expr *e = expr_new(c, BW_AE_VERDICT, at, dup(c, k));
	bool target = !strcmp(k, "jump") || !strcmp(k, "goto");

	if (!e)
		return NULL;
	if (!target && !json_is_null(v))
		return jerr(c, v, "verdict \"%s\" takes null", k);
	if (target) {
		const char *t = json_is_object(v) ? str_member(c, v, "target") : NULL;

		if (!t)
			return c->err ? NULL :
			       jerr(c, v, "verdict \"%s\" takes {\"target\": CHAIN}", k);
		e->right = expr_new(c, BW_AE_SYMBOL, json_object_get(v, "target"), t);
	}
	return e;
}

/* A concatenated value whose parts c->qcat says are names or not. */
static struct bw_ast_expr *concat_of(struct jc *c, const json_t *a,
				     const json_t *at)
{
	struct bw_ast_expr *l = expr_new(c, BW_AE_CONCAT, at, NULL);
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v) {
		size_t m = push(c, "[%zu]", i);
		struct bw_ast_expr *e = expr(c, v, i < 32 && (c->qcat >> i & 1));

		if (!e || !l)
			return NULL;
		bw_ast_expr_append(l, e);
		pop(c, m);
	}
	return l;
}

static struct bw_ast_expr *list_of(struct jc *c, const json_t *a,
				   enum bw_ast_expr_kind kind, bool quoted,
				   const json_t *at)
{
	struct bw_ast_expr *l = expr_new(c, kind, at, NULL);
	json_t *v;
	size_t i;

	json_array_foreach(a, i, v) {
		size_t m = push(c, "[%zu]", i);
		struct bw_ast_expr *e;

		if (kind == BW_AE_SET && json_is_array(v)) {
			/* a map's element: [key, data] */
			if (json_array_size(v) != 2) {
				jerr(c, v, "a map element is [key, value]");
				return NULL;
			}
			const json_t *k0 = json_array_get(v, 0);

			e = expr_new(c, BW_AE_MAPELEM, v, NULL);
			if (e && json_is_string(k0) && !strcmp(json_string_value(k0), "*")) {
				/* the catch-all element, as the parser reads it */
				e->left = expr_new(c, BW_AE_SYMBOL, k0, dup(c, "*"));
				e->right = expr(c, json_array_get(v, 1), false);
			} else if (e) {
				e->left = expr(c, json_array_get(v, 0), quoted);
				e->right = expr(c, json_array_get(v, 1), false);
			}
		} else {
			e = expr(c, v, quoted);
		}
		pop(c, m);
		if (!e)
			return NULL;
		bw_ast_expr_append(l, e);
	}
	return l;
}

static struct bw_ast_expr *expr(struct jc *c, const json_t *j, bool quoted)
{
	struct bw_ast_expr *e;
	const char *k;
	json_t *v;
	char buf[32];
	size_t m;

	switch (json_typeof(j)) {
	case JSON_INTEGER:
		if (json_integer_value(j) < 0)
			return jerr(c, j, "a negative number");
		snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
		return expr_new(c, BW_AE_NUMBER, j, dup(c, buf));
	case JSON_STRING:
		return word(c, j, quoted);
	case JSON_TRUE:		/* nft's booleans: meta ipsec, rt ipsec */
	case JSON_FALSE:
		return expr_new(c, BW_AE_SYMBOL, j,
				dup(c, json_is_true(j) ? "exists" : "missing"));
	case JSON_ARRAY:	/* flags: a,b */
		if (!json_array_size(j))
			return jerr(c, j, "an empty list");
		return list_of(c, j, BW_AE_LIST, quoted, j);
	case JSON_OBJECT:
		break;
	default:
		return jerr(c, j, "a value must be a number, a string, a list or an object");
	}
	if (!(k = only_key(c, j, &v, "an expression")))
		return NULL;
	m = push(c, ".%s", k);
	e = NULL;
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (!strcmp(k, verdicts[i]))
			e = verdict_expr(c, k, v, j);
	if (e || c->err) {
		pop(c, m);
		return e;
	}
	if (!strcmp(k, "set") && json_is_array(v)) {
		e = list_of(c, v, BW_AE_SET, quoted, j);
	} else if (!strcmp(k, "set") && !json_is_object(v)) {
		/* one element */
		e = expr_new(c, BW_AE_SET, j, NULL);
		bw_ast_expr_append(e, expr(c, v, quoted));
	} else if (!strcmp(k, "concat") && json_is_array(v) && c->qcat) {
		e = concat_of(c, v, j);
	} else if (!strcmp(k, "concat") && json_is_array(v)) {
		e = list_of(c, v, BW_AE_CONCAT, quoted, j);
	} else if ((!strcmp(k, "range") || !strcmp(k, "|")) && json_is_array(v) &&
		   json_array_size(v) == 2) {
		e = expr_new(c, k[0] == 'r' ? BW_AE_RANGE : BW_AE_OR, j, NULL);
		if (e) {
			e->left = expr(c, json_array_get(v, 0), quoted);
			e->right = expr(c, json_array_get(v, 1), quoted);
			if (!e->left || !e->right)
				e = NULL;
		}
	} else if (!strcmp(k, "prefix") && json_is_object(v)) {
		/* an address, or a number (meta mark 0xffffff00/24) */
		json_t *a = json_is_integer(json_object_get(v, "addr")) ?
			    json_object_get(v, "addr") :
			    member(c, v, "addr", JSON_STRING, "an address or a number");
		json_t *l = a ? member(c, v, "len", JSON_INTEGER, "a number") : NULL;

		e = l ? expr_new(c, BW_AE_PREFIX, j, NULL) : NULL;
		if (e) {
			e->left = json_is_integer(a) ? expr(c, a, false) : word(c, a, false);
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(l));
			e->right = expr_new(c, BW_AE_NUMBER, l, dup(c, buf));
		}
	} else if (!c->err) {
		e = jerr(c, j, "the expression \"%s\" (or this form of it) is not supported by bpfwall", k);
	}
	pop(c, m);
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

/* {"fib": {"result": R, "flags": [F, ...]}}: the field named as the
 * language names it ("daddr . iif type"). */
static bool fib_field(struct jc *c, const json_t *j, const json_t *v,
		      const char **proto, const char **name,
		      struct bw_loc *ploc, struct bw_loc *nloc)
{
	const char *res = json_is_object(v) ?
			  json_string_value(json_object_get(v, "result")) : NULL;
	const json_t *fl = json_is_object(v) ? json_object_get(v, "flags") : NULL;
	char buf[128] = "", *s;
	size_t i, n = 0;
	json_t *x;

	if (!res || !(json_is_array(fl) || json_is_string(fl))) {
		jerr(c, j, "fib needs a \"result\" and \"flags\"");
		return false;
	}
	if (json_is_string(fl)) {
		n = (size_t)snprintf(buf, sizeof(buf), "%s", json_string_value(fl));
	} else {
		json_array_foreach(fl, i, x) {
			if (!json_is_string(x)) {
				jerr(c, x, "a fib flag is a string");
				return false;
			}
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      i ? " . " : "", json_string_value(x));
			if (n >= sizeof(buf))
				break;
		}
	}
	if (n >= sizeof(buf) - 1 - strlen(res) || !(s = node(c, n + strlen(res) + 2)))
		return false;
	sprintf(s, "%s %s", buf, res);
	*proto = "fib";
	*name = s;
	*ploc = *nloc = loc_of(c, j);
	return true;
}

/* {"ipsec": {"key": K[, "family": F], "dir": D[, "spnum": N]}}: the
 * field "D [spnum N ][F ]K" (N 0: none, as the text form lists it). */
static bool xfrm_field(struct jc *c, const json_t *j, const json_t *v,
		       const char **proto, const char **name,
		       struct bw_loc *ploc, struct bw_loc *nloc)
{
	const char *key = json_is_object(v) ?
			  json_string_value(json_object_get(v, "key")) : NULL;
	const char *fam = json_is_object(v) ?
			  json_string_value(json_object_get(v, "family")) : NULL;
	const char *dir = json_is_object(v) ?
			  json_string_value(json_object_get(v, "dir")) : NULL;
	const json_t *sn = json_is_object(v) ? json_object_get(v, "spnum") : NULL;
	json_int_t n = sn ? json_integer_value(sn) : 0;
	size_t len;
	char *s;

	if (!key || !dir) {
		jerr(c, j, "ipsec needs a \"key\" and a \"dir\"");
		return false;
	}
	if ((sn && !json_is_integer(sn)) || n < 0 || n > 255) {
		jerr(c, sn, "ipsec \"spnum\" is a number 0 to 255");
		return false;
	}
	len = strlen(dir) + strlen(key) + (fam ? strlen(fam) : 0) + 16;
	if (!(s = node(c, len)))
		return false;
	if (n)
		snprintf(s, len, "%s spnum %d %s%s%s", dir, (int)n, fam ? fam : "",
			 fam ? " " : "", key);
	else
		snprintf(s, len, "%s %s%s%s", dir, fam ? fam : "", fam ? " " : "", key);
	*proto = "ipsec";
	*name = s;
	*ploc = *nloc = loc_of(c, j);
	return true;
}

/* {"osf": {"key": K[, "ttl": T]}}: the field "[ttl T ]K". */
static bool osf_field(struct jc *c, const json_t *j, const json_t *v,
		      const char **proto, const char **name,
		      struct bw_loc *ploc, struct bw_loc *nloc)
{
	const char *key = json_is_object(v) ?
			  json_string_value(json_object_get(v, "key")) : NULL;
	const char *ttl = json_is_object(v) ?
			  json_string_value(json_object_get(v, "ttl")) : NULL;
	size_t n;
	char *s;

	if (!key) {
		jerr(c, j, "osf needs a \"key\"");
		return false;
	}
	n = strlen(key) + (ttl ? strlen(ttl) + 5 : 0) + 1;
	if (!(s = node(c, n)))
		return false;
	if (ttl)
		snprintf(s, n, "ttl %s %s", ttl, key);
	else
		snprintf(s, n, "%s", key);
	*proto = "osf";
	*name = s;
	*ploc = *nloc = loc_of(c, j);
	return true;
}

/* {"tcp option": {"name": K[, "field": F]}}: tcp option K [F] (a
 * number K as the text form takes it). */
static bool tcpopt_field(struct jc *c, const json_t *j, const json_t *v,
			 const char **proto, const char **name,
			 struct bw_loc *ploc, struct bw_loc *nloc)
{
	const json_t *kj = json_is_object(v) ? json_object_get(v, "name") : NULL;
	const json_t *fj = json_is_object(v) ? json_object_get(v, "field") : NULL;
	char buf[64], num[16];
	const char *kind;
	size_t m = push(c, ".tcp option");

	if (kj && json_is_integer(kj)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(kj));
		kind = num;
	} else {
		kind = kj ? json_string_value(kj) : NULL;
	}
	if (!kind || (fj && !json_is_string(fj)) ||
	    (json_is_object(v) && json_object_get(v, "base"))) {
		jerr(c, j, "a tcp option is {\"name\": KIND, \"field\": FIELD} (raw @kind,offset,length forms are not supported by bpfwall)");
		pop(c, m);
		return false;
	}
	snprintf(buf, sizeof(buf), "option %s%s%s", kind, fj ? " " : "",
		 fj ? json_string_value(fj) : "");
	*proto = "tcp";
	*name = dup(c, buf);
	*ploc = loc_of(c, j);
	*nloc = loc_of(c, kj);
	pop(c, m);
	return *name != NULL;
}

/* {"sctp chunk": {"name": T, "field": F}}: the field "chunk T F" of
 * sctp (without a field: chunk T, exists or missing). */
static bool chunk_field(struct jc *c, const json_t *j, const json_t *v,
			const char **proto, const char **name,
			struct bw_loc *ploc, struct bw_loc *nloc)
{
	size_t m = push(c, ".sctp chunk");
	const char *t = json_is_object(v) ? str_member(c, v, "name") : NULL;
	const json_t *fj = json_is_object(v) ? json_object_get(v, "field") : NULL;
	const char *f = fj ? str_member(c, v, "field") : NULL;
	char buf[96];

	if (!t || (fj && !f)) {
		if (!c->err)
			jerr(c, j, "\"sctp chunk\" takes {\"name\": TYPE} and a \"field\"");
		pop(c, m);
		return false;
	}
	snprintf(buf, sizeof(buf), "chunk %s%s%s", t, f ? " " : "", f ? f : "");
	*proto = "sctp";
	*name = dup(c, buf);
	*ploc = loc_of(c, j);
	*nloc = loc_of(c, json_object_get(v, "name"));
	pop(c, m);
	return *name != NULL;
}

/* {"payload": {"protocol": P, "field": F}} and the like. */
static bool field(struct jc *c, const json_t *j, const char **proto,
		  const char **name, struct bw_loc *ploc, struct bw_loc *nloc)
{
	const struct lhs_kind *lk = NULL;
	const char *k;
	json_t *v;
	size_t m;

	if (!(k = only_key(c, j, &v, "a field")))
		return false;
	if (!strcmp(k, "fib"))
		return fib_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "osf"))
		return osf_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "ipsec"))
		return xfrm_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "tcp option"))
		return tcpopt_field(c, j, v, proto, name, ploc, nloc);
	if (!strcmp(k, "sctp chunk"))	/* {"name": T[, "field": F]} */
		return chunk_field(c, j, v, proto, name, ploc, nloc);
	for (size_t i = 0; i < sizeof(lhs_kinds) / sizeof(lhs_kinds[0]); i++)
		if (!strcmp(k, lhs_kinds[i].json))
			lk = &lhs_kinds[i];
	m = push(c, ".%s", k);
	if (!lk || !json_is_object(v)) {
		jerr(c, j, "the expression \"%s\" is not supported by bpfwall on the left of a match", k);
		pop(c, m);
		return false;
	}
	if (!lk->proto && json_object_get(v, "base")) {
		/* raw payload: proto "@th", name "16,16" (as the parser) */
		const char *base = str_member(c, v, "base");
		json_t *off = json_object_get(v, "offset"), *len = json_object_get(v, "len");
		char *pr, *nm;

		if (!base || !json_is_integer(off) || !json_is_integer(len) ||
		    json_integer_value(off) < 0 || json_integer_value(len) < 0) {
			jerr(c, j, "a raw payload takes a base, an offset and a len (numbers)");
			pop(c, m);
			return false;
		}
		pr = bw_arena_alloc(c->ast->arena, strlen(base) + 2);
		nm = bw_arena_alloc(c->ast->arena, 48);
		if (!pr || !nm) {
			pop(c, m);
			return false;
		}
		sprintf(pr, "@%s", base);
		snprintf(nm, 48, "%lld,%lld", (long long)json_integer_value(off),
			 (long long)json_integer_value(len));
		*proto = pr;
		*name = nm;
		*ploc = *nloc = loc_of(c, j);
		pop(c, m);
		return true;
	}
	*proto = lk->proto ? lk->proto : str_member(c, v, lk->proto_key);
	*ploc = loc_of(c, lk->proto ? j : json_object_get(v, lk->proto_key));
	if (*proto && lk->whole && !json_object_get(v, lk->name_key)) {
		*name = *proto;
		*nloc = *ploc;
		*proto = lk->whole;
		*ploc = loc_of(c, j);
		pop(c, m);
		return true;
	}
	*name = *proto ? str_member(c, v, lk->name_key) : NULL;
	*nloc = loc_of(c, json_object_get(v, lk->name_key));
	/* nft 1.1's inner payload: {"protocol": "ip", "field": "saddr",
	 * "tunnel": "vxlan"} is vxlan ip saddr; protocol vxlan: vxlan vni */
	if (*proto && !strcmp(k, "payload") && json_object_get(v, "tunnel")) {
		const char *tun = str_member(c, v, "tunnel");
		char *both;

		if (!tun) {
			pop(c, m);
			return false;
		}
		if (strcmp(tun, *proto)) {
			both = bw_arena_alloc(c->ast->arena, strlen(tun) + strlen(*proto) + 2);
			if (!both) {
				pop(c, m);
				return false;
			}
			sprintf(both, "%s %s", tun, *proto);
			*proto = both;
		}
	}
	/* {"rt": {"family": "ip6", "key": "nexthop"}}: rt ip6 nexthop */
	if (*name && !strcmp(k, "rt") && !strcmp(*name, "nexthop") &&
	    json_object_get(v, "family")) {
		const char *fam = str_member(c, v, "family");

		*name = fam && !strcmp(fam, "ip6") ? "ip6 nexthop" :
			fam && !strcmp(fam, "ip") ? "ip nexthop" : NULL;
		if (fam && !*name)
			jerr(c, j, "rt nexthop: family ip or ip6");
	}
	if (*name && !strcmp(*proto, "ct") && json_object_get(v, "dir")) {
		/* {"key": "ip saddr", "dir": "original"}: ct original ip saddr */
		const char *dir = str_member(c, v, "dir");
		char *both;

		if (!dir) {
			pop(c, m);
			return false;
		}
		both = bw_arena_alloc(c->ast->arena, strlen(dir) + strlen(*name) + 2);
		if (!both) {
			pop(c, m);
			return false;
		}
		sprintf(both, "%s %s", dir, *name);
		*name = both;
	}
	pop(c, m);
	return *proto && *name;
}

/* The left of a match or a vmap's key into s; the mask out (or NULL). */
static bool lhs(struct jc *c, const json_t *j, struct bw_ast_stmt *s,
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
		size_t i, m = push(c, ".concat");
		json_t *x;

		json_array_foreach(v, i, x) {
			size_t m2 = push(c, "[%zu]", i);
			struct bw_ast_fref *f;

			if (!i) {
				if (!field(c, x, &s->proto, &s->field, &s->proto_loc,
					   &s->field_loc))
					return false;
				pop(c, m2);
				continue;
			}
			f = node(c, sizeof(*f));
			if (!f || !field(c, x, &f->proto, &f->field, &f->proto_loc,
					 &f->field_loc))
				return false;
			*tail = f;
			tail = &f->next;
			pop(c, m2);
		}
		pop(c, m);
		return true;
	}
	(void)k;
	return field(c, j, &s->proto, &s->field, &s->proto_loc, &s->field_loc);
}

/* ---- statements ---- */

static struct bw_ast_stmt *stmt_new(struct jc *c, enum bw_ast_stmt_kind k,
				    const json_t *at)
{
	struct bw_ast_stmt *s = node(c, sizeof(*s));

	if (s) {
		s->kind = k;
		s->loc = loc_of(c, at);
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
	struct bw_ast_expr *v = expr(c, value, false), *m = expr(c, mask, false);
	struct bw_ast_expr *l, *vlast, *mfirst, *p;

	if (!v || !m)
		return NULL;
	l = expr_new(c, BW_AE_LIST, at, NULL);
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
	p = expr_new(c, BW_AE_PREFIX, at, NULL);
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
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_MATCH, at);
	json_t *op, *left, *right;
	const json_t *mask;
	bool found = false;
	size_t m;

	if (!s || !json_is_object(v) ||
	    !(op = member(c, v, "op", JSON_STRING, "a string")) ||
	    !(left = member(c, v, "left", JSON_OBJECT, "an object")) ||
	    !(right = json_object_get(v, "right")))
		return c->err ? NULL : jerr(c, at, "a match is {\"op\", \"left\", \"right\"}");
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(json_string_value(op), ops[i].json)) {
			s->op = ops[i].op;
			found = true;
		}
	}
	if (!found)
		return jerr(c, op, "the operator \"%s\" is not supported by bpfwall",
			    json_string_value(op));
	s->op_loc = loc_of(c, op);
	m = push(c, ".left");
	if (!lhs(c, left, s, &mask))
		return NULL;
	pop(c, m);
	m = push(c, ".right");
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
		s->rhs = expr_new(c, BW_AE_SYMBOL, right,
				  dup(c, json_is_true(right) ? "exists" : "missing"));
	} else {
		c->qcat = cat_names(s);
		s->rhs = expr(c, right, ifname(s));
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
				s->rhs->text = dup(c, buf);
			}
		}
		if (mask) {
			size_t m2 = push(c, " (the mask)");

			s->mask = expr(c, mask, false);
			pop(c, m2);
			if (s->op == BW_OP_IMPLICIT)
				s->op = BW_OP_EQ;
		}
	}
	pop(c, m);
	return s->rhs && (!mask || s->mask || s->rhs->kind != BW_AE_NUMBER) ? s : NULL;
}

static struct bw_ast_stmt *st_vmap(struct jc *c, const json_t *v,
				   const json_t *at)
{
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_MATCH, at);
	json_t *key, *data;
	const json_t *mask;
	size_t m;

	if (!s || !(key = member(c, v, "key", JSON_OBJECT, "an object")) ||
	    !(data = json_object_get(v, "data")))
		return c->err ? NULL : jerr(c, at, "a vmap is {\"key\", \"data\"}");
	s->vmap = true;
	m = push(c, ".key");
	if (!lhs(c, key, s, &mask))
		return NULL;
	if (mask)
		return jerr(c, key, "a vmap's key with a mask is not supported by bpfwall");
	pop(c, m);
	m = push(c, ".data");
	c->qcat = cat_names(s);
	s->rhs = expr(c, data, false);
	c->qcat = 0;
	pop(c, m);
	return s->rhs ? s : NULL;
}

/* A named object's use: {"counter": "NAME"}, {"ct helper": "NAME"}, or
 * an object map {"counter": {"map": {"key": KEY, "data": {"set": ...}}}}. */
static struct bw_ast_stmt *st_objref(struct jc *c, const json_t *v,
				     const json_t *at, const char *kind)
{
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_OBJREF, at);
	struct bw_ast_stmt key = { .kind = BW_AS_MATCH };
	json_t *map, *k, *data;
	const json_t *mask;
	size_t m;

	if (!s)
		return NULL;
	s->obj_kind = kind;
	if (json_is_string(v)) {
		s->obj_name = expr_new(c, BW_AE_STRING, v, dup(c, json_string_value(v)));
		return s->obj_name ? s : NULL;
	}
	if (!json_is_object(v) || !(map = json_object_get(v, "map")) ||
	    !json_is_object(map) || !(k = json_object_get(map, "key")) ||
	    !(data = json_object_get(map, "data")))
		return jerr(c, at, "a named %s is \"NAME\" or {\"map\": {\"key\", \"data\"}}", kind);
	m = push(c, ".map.key");
	if (!lhs(c, k, &key, &mask))
		return NULL;
	pop(c, m);
	if (mask)
		return jerr(c, k, "an object map's key with a mask is not supported by bpfwall");
	s->obj_key = node(c, sizeof(*s->obj_key));
	if (!s->obj_key)
		return NULL;
	s->obj_key->proto = key.proto;
	s->obj_key->field = key.field;
	s->obj_key->proto_loc = key.proto_loc;
	s->obj_key->field_loc = key.field_loc;
	s->obj_key->implicit = key.proto_implicit;
	s->obj_key->next = key.cat;
	m = push(c, ".map.data");
	s->obj_map = expr(c, data, false);
	pop(c, m);
	return s->obj_map ? s : NULL;
}

static struct bw_ast_stmt *st_ct_helper(struct jc *c, const json_t *v, const json_t *at)
{
	return st_objref(c, v, at, "ct helper");
}

static struct bw_ast_stmt *st_ct_timeout(struct jc *c, const json_t *v, const json_t *at)
{
	return st_objref(c, v, at, "ct timeout");
}

static struct bw_ast_stmt *st_ct_expect(struct jc *c, const json_t *v, const json_t *at)
{
	return st_objref(c, v, at, "ct expectation");
}

/* fwd: {"dev": D[, "family": "ip"|"ip6", "addr": A]}; dup: {"addr": D}
 * (netdev: the device; nft's form) or {"dev": D}.  Which statement:
 * the key the caller found, "dup" when v has no "dev" but an "addr"
 * alone, or the at's own key. */
static struct bw_ast_stmt *st_fwd(struct jc *c, const json_t *v, const json_t *at)
{
	bool is_dup = json_is_object(at) && json_object_get(at, "dup");
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_FWD, at);
	const json_t *dev, *fam, *addr;

	if (!s)
		return NULL;
	if (!json_is_object(v))
		return jerr(c, v, "%s takes an object", is_dup ? "dup" : "fwd");
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
		return jerr(c, v, "%s needs the device as a string (\"dev\")",
			    is_dup ? "dup" : "fwd");
	if (!(s->fwd_dev = expr_new(c, BW_AE_STRING, dev, dup(c, json_string_value(dev)))))
		return NULL;
	if (!fam && !addr)
		return s;
	if (!fam || !json_is_string(fam) || !addr || !json_is_string(addr))
		return jerr(c, v, "fwd to an address needs \"family\" and \"addr\" as strings");
	s->fwd_family = dup(c, json_string_value(fam));
	s->fwd_addr = expr_new(c, BW_AE_ADDR, addr, dup(c, json_string_value(addr)));
	return s->fwd_family && s->fwd_addr ? s : NULL;
}

/* last: null, or {"used": MS} */
static struct bw_ast_stmt *st_last(struct jc *c, const json_t *v, const json_t *at)
{
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_LAST, at);
	json_t *u;
	char buf[40];

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v) || !(u = json_object_get(v, "used")) || !json_is_integer(u) ||
	    json_integer_value(u) < 0)
		return jerr(c, at, "last is null or {\"used\": MILLISECONDS}");
	snprintf(buf, sizeof(buf), "%lldms", (long long)json_integer_value(u));
	s->last_used = expr_new(c, BW_AE_SYMBOL, u, dup(c, buf));
	return s->last_used ? s : NULL;
}

static struct bw_ast_stmt *st_counter(struct jc *c, const json_t *v,
				      const json_t *at)
{
	struct bw_ast_stmt *s;
	json_t *p, *b;

	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return st_objref(c, v, at, "counter");
	s = stmt_new(c, BW_AS_COUNTER, at);
	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return jerr(c, v, "a counter is null or {\"packets\", \"bytes\"}");
	p = json_object_get(v, "packets");
	b = json_object_get(v, "bytes");
	if (p || b) {
		if (!p || !b || !json_is_integer(p) || !json_is_integer(b))
			return jerr(c, v, "a counter's \"packets\" and \"bytes\" are numbers, both given");
		s->packets = expr(c, p, false);
		s->bytes = expr(c, b, false);
	}
	return s;
}

static struct bw_ast_stmt *st_verdict(struct jc *c, const json_t *v,
				      const json_t *at)
{
	const char *k;
	json_t *x;
	struct bw_ast_expr *e;
	struct bw_ast_stmt *s;

	k = only_key(c, at, &x, "a verdict");
	e = k ? verdict_expr(c, k, v, at) : NULL;
	s = e ? stmt_new(c, BW_AS_VERDICT, at) : NULL;
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

/* A log option's number (non-negative) as a NUMBER. */
static struct bw_ast_expr *log_number(struct jc *c, const json_t *j)
{
	char buf[32];

	if (json_integer_value(j) < 0)
		return jerr(c, j, "a negative number");
	snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
	return expr_new(c, BW_AE_NUMBER, j, dup(c, buf));
}

static struct bw_ast_stmt *st_log(struct jc *c, const json_t *v,
				  const json_t *at)
{
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_LOG, at);
	const char *k;
	json_t *x;

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return jerr(c, v, "a log is null or an object");
	json_object_foreach((json_t *)v, k, x) {
		if (!strcmp(k, "prefix") && json_is_string(x)) {
			s->log_prefix = dup(c, json_string_value(x));
			s->log_prefix_loc = loc_of(c, x);
		} else if (!strcmp(k, "level") && json_is_string(x)) {
			s->log_level = word(c, x, false);
		} else if (!strcmp(k, "group") && json_is_integer(x)) {
			s->log_group = log_number(c, x);
		} else if (!strcmp(k, "snaplen") && json_is_integer(x)) {
			s->log_snaplen = log_number(c, x);
		} else if (!strcmp(k, "queue-threshold") && json_is_integer(x)) {
			s->log_qthreshold = log_number(c, x);
		} else if (!strcmp(k, "flags") && (json_is_string(x) || json_is_array(x))) {
			size_t i, n = json_is_array(x) ? json_array_size(x) : 1;

			for (i = 0; i < n; i++) {
				const json_t *f = json_is_array(x) ? json_array_get(x, i) : x;
				const char *fs = json_is_string(f) ? json_string_value(f) : "";

				if (!strcmp(fs, "all"))
					s->log_flags |= 0x2f;
				else if (!strcmp(fs, "tcp sequence"))
					s->log_flags |= 0x01;
				else if (!strcmp(fs, "tcp options"))
					s->log_flags |= 0x02;
				else if (!strcmp(fs, "ip options"))
					s->log_flags |= 0x04;
				else if (!strcmp(fs, "skuid"))
					s->log_flags |= 0x08;
				else if (!strcmp(fs, "ether"))
					s->log_flags |= 0x20;
				else
					return jerr(c, f, "unknown log flag (all, tcp sequence, tcp options, ip options, skuid, ether)");
			}
		} else {
			return jerr(c, x, "log's \"%s\" is not supported by bpfwall", k);
		}
	}
	return s;
}

static struct bw_ast_stmt *st_limit(struct jc *c, const json_t *v,
				    const json_t *at)
{
	struct bw_ast_stmt *s;
	json_t *rate, *per, *burst, *x;
	const char *k;

	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return st_objref(c, v, at, "limit");
	s = stmt_new(c, BW_AS_LIMIT, at);
	if (!s || !json_is_object(v) ||
	    !(rate = member(c, v, "rate", JSON_INTEGER, "a number")))
		return c->err ? NULL : jerr(c, at, "a limit is an object");
	per = json_object_get(v, "per");
	burst = json_object_get(v, "burst");
	json_object_foreach((json_t *)v, k, x)
		if (strcmp(k, "rate") && strcmp(k, "per") && strcmp(k, "burst") &&
		    strcmp(k, "inv") && strcmp(k, "rate_unit") && strcmp(k, "burst_unit"))
			return jerr(c, x, "limit's \"%s\" is not supported by bpfwall", k);
	s->rate = expr(c, rate, false);
	if (per && !json_is_string(per))
		return jerr(c, per, "\"per\" must be a string");
	s->rate_unit = per ? word(c, per, false) :
		       expr_new(c, BW_AE_SYMBOL, at, "second");
	s->over = json_is_true(json_object_get(v, "inv"));
	if ((x = json_object_get(v, "rate_unit")) && json_is_string(x) &&
	    strcmp(json_string_value(x), "packets"))
		s->rate_bytes = word(c, x, false);
	if (burst && !json_is_integer(burst))
		return jerr(c, burst, "\"burst\" must be a number");
	x = json_object_get(v, "burst_unit");
	/* nft's default burst (5 packets, 0 bytes) is not written */
	if (burst && json_integer_value(burst) &&
	    (s->rate_bytes || json_integer_value(burst) != 5)) {
		s->burst = expr(c, burst, false);
		s->burst_unit = x && json_is_string(x) ? word(c, x, false) :
				expr_new(c, BW_AE_SYMBOL, burst,
					 s->rate_bytes ? "bytes" : "packets");
	}
	return s->rate && s->rate_unit ? s : NULL;
}

static struct bw_ast_stmt *st_reject(struct jc *c, const json_t *v,
				     const json_t *at)
{
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_REJECT, at);
	json_t *type, *code;
	const char *t;

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v) || !(type = member(c, v, "type", JSON_STRING, "a string")))
		return c->err ? NULL : jerr(c, at, "a reject is null or an object");
	t = json_string_value(type);
	code = json_object_get(v, "expr");
	if (!strcmp(t, "tcp reset")) {
		s->rej_kind = expr_new(c, BW_AE_SYMBOL, type, "tcp");
		s->rej_code = expr_new(c, BW_AE_SYMBOL, type, "reset");
		return s;
	}
	if (!code)
		return jerr(c, at, "reject of type \"%s\" needs \"expr\"", t);
	/* what nft lists for a plain reject: port unreachable of the
	 * family's ICMP (icmpx where the family has both) */
	if (json_is_string(code) && !strcmp(json_string_value(code), "port-unreachable") &&
	    !strcmp(t, !strcmp(c->family, "ip") ? "icmp" :
		       !strcmp(c->family, "ip6") ? "icmpv6" : "icmpx"))
		return s;
	s->rej_kind = word(c, type, false);
	s->rej_code = expr(c, code, false);
	return s->rej_kind && s->rej_code ? s : NULL;
}

/* Refuses a member of o other than those of keys (NULL-ended), by name. */
static bool only_keys(struct jc *c, const json_t *o, const char *what,
		      const char *const *keys)
{
	const char *k;
	json_t *x;

	json_object_foreach((json_t *)o, k, x) {
		size_t i = 0;

		while (keys[i] && strcmp(keys[i], k))
			i++;
		if (!keys[i]) {
			jerr(c, x, "%s's \"%s\" is not supported by bpfwall", what, k);
			return false;
		}
	}
	return true;
}

/* Flags: a name, or a list of names; the LIST of SYMBOLs the text
 * parser makes. */
static struct bw_ast_expr *flag_list(struct jc *c, const json_t *j,
				     const char *what)
{
	struct bw_ast_expr *l;
	const json_t *x;
	size_t i;

	if (json_is_string(j)) {
		l = expr_new(c, BW_AE_LIST, j, NULL);
		bw_ast_expr_append(l, expr_new(c, BW_AE_SYMBOL, j, dup(c, json_string_value(j))));
		return l && l->elems ? l : NULL;
	}
	if (!json_is_array(j) || !json_array_size(j))
		return jerr(c, j, "%s's \"flags\" is a name or a list of names", what);
	json_array_foreach(j, i, x)
		if (!json_is_string(x))
			return jerr(c, x, "%s's \"flags\" is a name or a list of names", what);
	l = expr_new(c, BW_AE_LIST, j, NULL);
	json_array_foreach(j, i, x)
		bw_ast_expr_append(l, expr_new(c, BW_AE_SYMBOL, x, dup(c, json_string_value(x))));
	return l;
}

/* snat, dnat, masquerade, redirect: null or {family, addr, port, flags} */
static struct bw_ast_stmt *st_nat(struct jc *c, const json_t *v,
				  const json_t *at)
{
	static const char *const keys[] = { "family", "addr", "port", "flags",
					    "type_flags", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_NAT, at);
	const char *kind;
	json_t *x, *y;
	size_t m;

	if (!s || !(kind = only_key(c, at, &y, "a statement")))
		return NULL;
	s->nat_kind = dup(c, kind);
	if (json_is_null(v))
		return s;
	if (!json_is_object(v))
		return jerr(c, v, "a %s is null or an object", kind);
	if (!only_keys(c, v, kind, keys))
		return NULL;
	if ((x = json_object_get(v, "family"))) {
		if (!json_is_string(x))
			return jerr(c, x, "\"family\" must be a string");
		s->nat_family = dup(c, json_string_value(x));
		s->nat_family_loc = loc_of(c, x);
	}
	if ((x = json_object_get(v, "addr"))) {
		m = push(c, ".addr");
		s->nat_addr = bw_jc_is_vexpr(x) ? bw_jc_vexpr(c, x) : expr(c, x, false);
		pop(c, m);
		if (!s->nat_addr)
			return NULL;
	}
	if ((x = json_object_get(v, "port"))) {
		m = push(c, ".port");
		s->nat_port = bw_jc_is_vexpr(x) ? bw_jc_vexpr(c, x) : expr(c, x, false);
		pop(c, m);
		if (!s->nat_port)
			return NULL;
	}
	if ((x = json_object_get(v, "flags")) &&
	    !(s->nat_flags = flag_list(c, x, kind)))
		return NULL;
	/* "type_flags": what nft read the map as (interval, prefix), read
	 * only beside the netmap flag that says it (snat ip prefix to) */
	if ((x = json_object_get(v, "type_flags"))) {
		bool netmap = false;

		for (const struct bw_ast_expr *f = s->nat_flags ? s->nat_flags->elems : NULL;
		     f; f = f->next)
			netmap |= f->text && !strcmp(f->text, "netmap");
		if (!netmap)
			return jerr(c, x, "%s's \"type_flags\" is not supported by bpfwall", kind);
		if (!flag_list(c, x, kind))
			return NULL;
	}
	return s;
}

/* tproxy: {family, addr, port}, as a nat statement's without flags */
static struct bw_ast_stmt *st_tproxy(struct jc *c, const json_t *v,
				     const json_t *at)
{
	struct bw_ast_stmt *s;

	if (json_is_object(v) && json_object_get(v, "flags"))
		return jerr(c, json_object_get(v, "flags"), "tproxy takes no \"flags\"");
	s = st_nat(c, v, at);
	if (s)
		s->kind = BW_AS_TPROXY;
	return s;
}

/* synproxy: null or {mss, wscale, flags: timestamp, sack-perm} */
static struct bw_ast_stmt *st_synproxy(struct jc *c, const json_t *v,
				       const json_t *at)
{
	static const char *const keys[] = { "mss", "wscale", "flags", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_SYNPROXY, at);
	struct bw_ast_expr *l;
	json_t *x;

	/* a synproxy object's use: "NAME", {"map": ...} */
	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return st_objref(c, v, at, "synproxy");
	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return jerr(c, v, "a synproxy is null, an object or an object's name");
	if (!only_keys(c, v, "synproxy", keys))
		return NULL;
	if ((x = json_object_get(v, "mss")) && !(s->syn_mss = expr(c, x, false)))
		return NULL;
	if ((x = json_object_get(v, "wscale")) && !(s->syn_wscale = expr(c, x, false)))
		return NULL;
	if (!(x = json_object_get(v, "flags")))
		return s;
	if (!(l = flag_list(c, x, "synproxy")))
		return NULL;
	for (const struct bw_ast_expr *e = l->elems; e; e = e->next) {
		if (!strcmp(e->text, "timestamp"))
			s->syn_words |= BW_AST_SYN_TIMESTAMP;
		else if (!strcmp(e->text, "sack-perm"))
			s->syn_words |= BW_AST_SYN_SACK_PERM;
		else
			return jerr(c, x, "unknown synproxy flag (timestamp, sack-perm)");
	}
	return s;
}

/* dup: {"addr": ADDR|EXPR[, "dev": DEV]} (netdev's {"dev": DEV} alone:
 * the evaluator refuses it with its reason) */
static struct bw_ast_stmt *st_dup(struct jc *c, const json_t *v,
				  const json_t *at)
{
	static const char *const keys[] = { "addr", "dev", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_DUP, at);
	json_t *x;
	size_t m;

	if (!s)
		return NULL;
	if (!json_is_object(v))
		return jerr(c, v, "a dup is an object (\"addr\", \"dev\")");
	if (!only_keys(c, v, "dup", keys))
		return NULL;
	if ((x = json_object_get(v, "addr"))) {
		m = push(c, ".addr");
		s->dup_addr = bw_jc_is_vexpr(x) ? bw_jc_vexpr(c, x) : expr(c, x, false);
		pop(c, m);
		if (!s->dup_addr)
			return NULL;
	}
	if ((x = json_object_get(v, "dev"))) {
		if (!json_is_string(x))
			return jerr(c, x, "\"dev\" must be a string");
		s->dup_dev = dup(c, json_string_value(x));
		s->dup_dev_loc = loc_of(c, x);
	}
	if (!s->dup_addr && !s->dup_dev)
		return jerr(c, v, "a dup needs an \"addr\"");
	return s;
}

/* flow: {"op": "add", "flowtable": "@NAME"} */
static struct bw_ast_stmt *st_flow(struct jc *c, const json_t *v,
				   const json_t *at)
{
	static const char *const keys[] = { "op", "flowtable", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_FLOW, at);
	const json_t *op, *ft;

	if (!s)
		return NULL;
	if (!json_is_object(v))
		return jerr(c, v, "a flow is an object (\"op\", \"flowtable\")");
	if (!only_keys(c, v, "flow", keys))
		return NULL;
	op = json_object_get(v, "op");
	ft = json_object_get(v, "flowtable");
	if (!op || !json_is_string(op) || strcmp(json_string_value(op), "add"))
		return jerr(c, op ? op : v, "Unknown flow offload statement op (it is \"add\")");
	if (!ft || !json_is_string(ft) || json_string_value(ft)[0] != '@' ||
	    !json_string_value(ft)[1])
		return jerr(c, ft ? ft : v, "Illegal flowtable reference in flow offload statement (\"@NAME\")");
	s->flow_table = dup(c, json_string_value(ft) + 1);
	s->flow_table_loc = loc_of(c, ft);
	return s;
}

/* A mangle's value {"&" / "|" / "^": [E, N]} around a field, any
 * depth: folded into the one (field & mask) ^ xor the text's
 * `meta mark and A xor X` is.  Returns the field's object (NULL: error
 * reported). */
static const json_t *setf_bits(struct jc *c, const json_t *v, uint32_t *mask,
			       uint32_t *xor)
{
	static const char *const ops[] = { "&", "|", "^" };
	const json_t *a, *n;
	const char *k;
	json_int_t x;

	if (json_object_size(v) != 1)
		return v;
	k = json_object_iter_key(json_object_iter((json_t *)v));
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(k, ops[i]))
			continue;
		a = json_object_get(v, k);
		if (!json_is_array(a) || json_array_size(a) != 2 ||
		    !json_is_object(json_array_get(a, 0)) ||
		    !json_is_integer(n = json_array_get(a, 1)) ||
		    (x = json_integer_value(n)) < 0 || x > UINT32_MAX)
			return jerr(c, v, "a mangle's \"%s\" is [a field or bitwise, a 32-bit number]", k);
		if (!(v = setf_bits(c, json_array_get(a, 0), mask, xor)))
			return NULL;
		if (i == 0) {
			*mask &= (uint32_t)x;
			*xor &= (uint32_t)x;
		} else if (i == 1) {
			*mask &= ~(uint32_t)x;
			*xor |= (uint32_t)x;
		} else {
			*xor ^= (uint32_t)x;
		}
		return v;
	}
	return v;
}

/* A header field's own bits in a mangle's value (compiler/front/hdrset.c):
 * {"&" or "|": [FIELD, V]}, V a number, a name or flags {"|": [names]}:
 * into s's setf_src and setf_and or setf_or.  Returns 1 when val is not
 * of that shape (left to the mark forms), 0 when done, -1 after an
 * error. */
static int mangle_hdr(struct jc *c, struct bw_ast_stmt *s, const json_t *val)
{
	static const char *const ops[] = { "&", "|" };
	const json_t *a = NULL, *x, *f;
	struct bw_ast_fref *src;
	struct bw_ast_expr *e;
	const char *op = NULL;

	if (!s->setf->proto || !strcmp(s->setf->proto, "meta") ||
	    !strcmp(s->setf->proto, "ct") || !json_is_object(val) ||
	    json_object_size(val) != 1)
		return 1;
	for (size_t i = 0; i < 2 && !a; i++)
		if ((a = json_object_get(val, ops[i])))
			op = ops[i];
	if (!a || !json_is_array(a) || json_array_size(a) != 2 ||
	    !json_is_object(f = json_array_get(a, 0)))
		return 1;
	x = json_array_get(a, 1);
	if (json_is_object(x) && json_object_size(x) == 1 &&
	    json_is_array(json_object_get(x, "|")))
		x = json_object_get(x, "|");		/* flags */
	if (!(src = node(c, sizeof(*src))) ||
	    !field(c, f, &src->proto, &src->field, &src->proto_loc, &src->field_loc))
		return -1;
	if (json_is_array(x)) {
		size_t i;
		json_t *w;

		if (!(e = expr_new(c, BW_AE_LIST, x, NULL)))
			return -1;
		json_array_foreach(x, i, w) {
			struct bw_ast_expr *y;

			if (!json_is_string(w))
				return jerr(c, w, "flags are strings"), -1;
			if (!(y = expr_new(c, BW_AE_SYMBOL, w, dup(c, json_string_value(w)))))
				return -1;
			bw_ast_expr_append(e, y);
		}
	} else if (json_is_integer(x) || json_is_string(x)) {
		if (!(e = expr(c, x, false)))
			return -1;
	} else {
		return jerr(c, x, "a header field's \"%s\" takes a number, a name or flags", op), -1;
	}
	s->setf_src = src;
	if (*op == '&')
		s->setf_and = e;
	else
		s->setf_or = e;
	return 0;
}

/* reset tcp option K: {"tcp option": {"name": K}} (a setf statement
 * with no value, as the parser makes it) */
static struct bw_ast_stmt *st_reset(struct jc *c, const json_t *v,
				    const json_t *at)
{
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_SETF, at);
	struct bw_ast_fref *f = node(c, sizeof(*f));

	json_t *o = json_is_object(v) ? json_object_get(v, "tcp option") : NULL;
	json_t *base = json_is_object(o) ? json_object_get(o, "base") : NULL;

	if (!s || !f || !o)
		return c->err ? NULL : jerr(c, at, "reset takes a tcp option: {\"tcp option\": {\"name\": K}}");
	if (json_is_integer(base)) {	/* nft's kind by number */
		char *n = bw_arena_alloc(c->ast->arena, 32);

		if (!n)
			return NULL;
		snprintf(n, 32, "option %lld", (long long)json_integer_value(base));
		f->proto = "tcp";
		f->field = n;
		f->proto_loc = f->field_loc = loc_of(c, base);
	} else if (!field(c, v, &f->proto, &f->field, &f->proto_loc, &f->field_loc)) {
		return NULL;
	}
	s->setf = f;
	return s;
}

/* nft's "mangle": {key: a meta or ct field, value: a number, a string
 * (a priority's "1:2"), another field, or a field in "&" / "|" / "^"} */
static struct bw_ast_stmt *st_mangle(struct jc *c, const json_t *v,
				     const json_t *at)
{
	static const char *const keys[] = { "key", "value", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_SETF, at);
	struct bw_ast_fref *f, *src;
	json_t *key;
	const json_t *val;
	size_t m;

	if (!s || !json_is_object(v))
		return c->err ? NULL : jerr(c, at, "a mangle is {\"key\", \"value\"}");
	if (!(key = member(c, v, "key", JSON_OBJECT, "an object")) ||
	    !(val = json_object_get(v, "value")))
		return c->err ? NULL : jerr(c, v, "\"value\" is missing: a number or a field");
	if (!only_keys(c, v, "mangle", keys))
		return NULL;
	f = node(c, sizeof(*f));
	m = push(c, ".key");
	if (!f || !field(c, key, &f->proto, &f->field, &f->proto_loc, &f->field_loc))
		return NULL;
	pop(c, m);
	s->setf = f;
	m = push(c, ".value");
	/* ip dscp set ip dscp & 0x1f: {"&": [FIELD, 31]} */
	switch (mangle_hdr(c, s, val)) {
	case -1:
		return NULL;
	case 0:
		pop(c, m);
		return s;
	}
	/* tcp flags set syn | ack: {"|": ["syn", "ack"]}, a list of flags */
	if (json_is_object(val) && json_object_size(val) == 1 &&
	    json_is_array(json_object_get(val, "|")) &&
	    json_is_string(json_array_get(json_object_get(val, "|"), 0)))
		val = json_object_get(val, "|");
	if (bw_jc_is_vexpr(val) ||	/* json_vexpr.c */
	    (json_is_object(val) && json_object_get(val, "rt"))) {	/* set rt mtu */
		if (!(s->setf_value = bw_jc_vexpr(c, val)))
			return NULL;
	} else if (json_is_object(val)) {
		uint32_t mask = UINT32_MAX, xor = 0;
		char buf[16];

		src = node(c, sizeof(*src));
		if (!src || !(val = setf_bits(c, val, &mask, &xor)) ||
		    !field(c, val, &src->proto, &src->field, &src->proto_loc,
			   &src->field_loc))
			return NULL;
		s->setf_src = src;
		if (mask != UINT32_MAX) {
			snprintf(buf, sizeof(buf), "0x%08x", mask);
			if (!(s->setf_and = expr_new(c, BW_AE_NUMBER, val, dup(c, buf))))
				return NULL;
		}
		if (xor) {
			snprintf(buf, sizeof(buf), "0x%08x", xor);
			if (!(s->setf_xor = expr_new(c, BW_AE_NUMBER, val, dup(c, buf))))
				return NULL;
		}
	} else if (json_is_integer(val) || json_is_string(val)) {
		s->setf_value = expr(c, val, false);
		if (!s->setf_value)
			return NULL;
	} else if (json_is_array(val) && json_array_size(val)) {
		/* ct event set new,related: ["new", "related"] */
		size_t i;
		json_t *w;

		if (!(s->setf_value = expr_new(c, BW_AE_LIST, val, NULL)))
			return NULL;
		json_array_foreach(val, i, w) {
			struct bw_ast_expr *x;

			if (!json_is_string(w))
				return jerr(c, w, "a list of values takes strings");
			if (!(x = expr_new(c, BW_AE_SYMBOL, w, dup(c, json_string_value(w)))))
				return NULL;
			bw_ast_expr_append(s->setf_value, x);
		}
	} else {
		return jerr(c, val, "\"value\" must be a number, a string or a field");
	}
	pop(c, m);
	return s;
}

static struct bw_ast_stmt *st_notrack(struct jc *c, const json_t *v,
				      const json_t *at)
{
	if (!json_is_null(v))
		return jerr(c, v, "notrack takes null");
	return stmt_new(c, BW_AS_NOTRACK, at);
}

/* {"val": N, "val_unit": U, "inv": B, "used": N, "used_unit": U} */
static struct bw_ast_stmt *st_quota(struct jc *c, const json_t *v,
				    const json_t *at)
{
	static const char *const keys[] = {
		"val", "val_unit", "inv", "used", "used_unit", NULL,
	};
	struct bw_ast_stmt *s;
	json_t *val, *x;

	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return st_objref(c, v, at, "quota");
	s = stmt_new(c, BW_AS_QUOTA, at);

	if (!s || !json_is_object(v))
		return c->err ? NULL : jerr(c, at, "a quota is an object");
	if (!(val = member(c, v, "val", JSON_INTEGER, "a number")) ||
	    !only_keys(c, v, "quota", keys))
		return NULL;
	s->quota_n = expr(c, val, false);
	x = json_object_get(v, "val_unit");
	if (x && !json_is_string(x))
		return jerr(c, x, "\"val_unit\" must be a string");
	s->quota_unit = x ? word(c, x, false) : expr_new(c, BW_AE_SYMBOL, val, "bytes");
	if ((x = json_object_get(v, "inv")) && !json_is_boolean(x))
		return jerr(c, x, "\"inv\" must be true or false");
	if (json_is_true(x))
		s->quota_mode = "over";
	if ((x = json_object_get(v, "used"))) {
		json_t *u = json_object_get(v, "used_unit");

		if (!json_is_integer(x))
			return jerr(c, x, "\"used\" must be a number");
		if (u && !json_is_string(u))
			return jerr(c, u, "\"used_unit\" must be a string");
		s->quota_used = expr(c, x, false);
		s->quota_used_unit = u ? word(c, u, false) :
				     expr_new(c, BW_AE_SYMBOL, x, "bytes");
		if (!s->quota_used || !s->quota_used_unit)
			return NULL;
	}
	return s->quota_n && s->quota_unit ? s : NULL;
}

/* {"val": N, "inv": true}: ct count [over] N */
static struct bw_ast_stmt *st_ct_count(struct jc *c, const json_t *v,
				       const json_t *at)
{
	static const char *const keys[] = { "val", "inv", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_MATCH, at);
	json_t *val, *x;

	if (!s || !json_is_object(v))
		return c->err ? NULL : jerr(c, at, "a ct count is an object");
	if (!(val = member(c, v, "val", JSON_INTEGER, "a number")) ||
	    !only_keys(c, v, "ct count", keys))
		return NULL;
	if ((x = json_object_get(v, "inv")) && !json_is_boolean(x))
		return jerr(c, x, "\"inv\" must be true or false");
	s->proto = "ct";
	s->field = "count";
	s->proto_loc = s->field_loc = s->op_loc = loc_of(c, at);
	s->count_over = json_is_true(x);
	s->op = s->count_over ? BW_OP_GT : BW_OP_IMPLICIT;
	s->rhs = expr(c, val, false);
	return s->rhs ? s : NULL;
}

/* null or {"num": N or {"range": [N, M]}, "flags": F or [F, ...]} */
static struct bw_ast_stmt *st_queue(struct jc *c, const json_t *v,
				    const json_t *at)
{
	static const char *const keys[] = { "num", "flags", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_QUEUE, at);
	json_t *num, *x;

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return jerr(c, v, "a queue is null or an object");
	if (!only_keys(c, v, "queue", keys))
		return NULL;
	if ((num = json_object_get(v, "num"))) {
		json_t *r = json_is_object(num) ? json_object_get(num, "range") : NULL;

		if (json_is_integer(num)) {
			s->queue_lo = expr(c, num, false);
		} else if (bw_jc_is_vexpr(num)) {	/* json_vexpr.c */
			s->queue_lo = bw_jc_vexpr(c, num);
		} else if (r && json_object_size(num) == 1 && json_is_array(r) &&
			   json_array_size(r) == 2 &&
			   json_is_integer(json_array_get(r, 0)) &&
			   json_is_integer(json_array_get(r, 1))) {
			s->queue_lo = expr(c, json_array_get(r, 0), false);
			s->queue_hi = expr(c, json_array_get(r, 1), false);
		} else {
			return jerr(c, num, "queue's \"num\" is a number or {\"range\": [N, M]}");
		}
		if (!s->queue_lo)
			return NULL;
	}
	if ((x = json_object_get(v, "flags")) &&
	    !(s->queue_flags = flag_list(c, x, "queue")))
		return NULL;
	return s;
}

/* {"op": "add"|"update"|"delete", "elem": FIELD or {"concat": [...]},
 * "set": "@NAME"}: a set statement (evaluate checks the op) */
static struct bw_ast_stmt *st_dynset(struct jc *c, const json_t *v,
				     const json_t *at)
{
	static const char *const keys[] = { "op", "elem", "set", NULL };
	struct bw_ast_stmt *s = stmt_new(c, BW_AS_DYNSET, at);
	struct bw_ast_stmt *m = stmt_new(c, BW_AS_MATCH, at);
	struct bw_ast_fref *k;
	const json_t *op, *elem, *set, *mask;
	const char *name;

	if (!s || !m || !json_is_object(v))
		return c->err ? NULL : jerr(c, at, "a set statement is an object");
	if (!only_keys(c, v, "set", keys) ||
	    !(op = member(c, v, "op", JSON_STRING, "add, update or delete")) ||
	    !(set = member(c, v, "set", JSON_STRING, "\"@NAME\"")) ||
	    !(elem = member(c, v, "elem", JSON_OBJECT, "a field or a concatenation")))
		return NULL;
	name = json_string_value(set);
	if (name[0] != '@' || !name[1])
		return jerr(c, set, "\"set\" must be \"@NAME\"");
	if (!lhs(c, elem, m, &mask))
		return NULL;
	if (mask)
		return jerr(c, elem, "a set statement's key takes no mask");
	if (!(k = node(c, sizeof(*k))))
		return NULL;
	k->proto = m->proto;
	k->field = m->field;
	k->proto_loc = m->proto_loc;
	k->field_loc = m->field_loc;
	k->next = m->cat;
	s->dyn_op = dup(c, json_string_value(op));
	s->dyn_op_loc = loc_of(c, op);
	s->dyn_set = dup(c, name + 1);
	s->dyn_set_loc = loc_of(c, set);
	s->dyn_key = k;
	return s->dyn_op && s->dyn_set ? s : NULL;
}


/* "dup": netdev's (a device, or a map to devices: st_fwd) or ip's and
 * ip6's (an address: st_dup), by the rule's family */
static struct bw_ast_stmt *st_dup_any(struct jc *c, const json_t *v,
				      const json_t *at)
{
	if (c->family && !strcmp(c->family, "netdev"))
		return st_fwd(c, v, at);
	return st_dup(c, v, at);
}

static const struct stmt_row {
	const char *key;
	struct bw_ast_stmt *(*conv)(struct jc *c, const json_t *v,
				    const json_t *at);
} stmts[] = {
	{ "match", st_match },
	{ "vmap", st_vmap },
	{ "counter", st_counter },
	{ "accept", st_verdict }, { "drop", st_verdict },
	{ "continue", st_verdict }, { "return", st_verdict },
	{ "jump", st_verdict }, { "goto", st_verdict },
	{ "log", st_log },
	{ "limit", st_limit },
	{ "reject", st_reject },
	{ "snat", st_nat }, { "dnat", st_nat },
	{ "masquerade", st_nat }, { "redirect", st_nat },
	{ "mangle", st_mangle },
	{ "ct count", st_ct_count },
	{ "notrack", st_notrack },
	{ "quota", st_quota },
	{ "queue", st_queue },
	{ "ct helper", st_ct_helper },
	{ "ct timeout", st_ct_timeout },
	{ "ct expectation", st_ct_expect },
	{ "last", st_last },
	{ "reset", st_reset },
	{ "set", st_dynset },
	{ "tproxy", st_tproxy },
	{ "synproxy", st_synproxy },
	{ "dup", st_dup_any },
	{ "fwd", st_fwd },
	{ "flow", st_flow },
};

/* ---- objects ---- */

static struct bw_ast_item *find(struct bw_ast_item *list,
				enum bw_ast_item_kind k, const char *family,
				const char *name)
{
	for (struct bw_ast_item *it = list; it; it = it->next) {
		if (it->kind != k)
			continue;
		if (k == BW_AI_SET ? !strcmp(it->set_name, name) :
		    !strcmp(it->name, name) &&
		    (!family || !strcmp(it->family ? it->family : "ip", family)))
			return it;
	}
	return NULL;
}

static struct bw_ast_item *table_of(struct jc *c, const json_t *o)
{
	const char *fam = str_member(c, o, "family");
	const char *tab = fam ? str_member(c, o, "table") : NULL;
	struct bw_ast_item *t;

	if (!tab)
		return NULL;
	t = find(c->ast->items, BW_AI_TABLE, fam, tab);
	if (!t)
		return jerr(c, json_object_get(o, "table"),
			    "table %s %s is not declared before", fam, tab);
	return t;
}

static void obj_table(struct jc *c, const json_t *o)
{
	const char *fam = str_member(c, o, "family");
	const char *name = fam ? str_member(c, o, "name") : NULL;
	struct bw_ast_item *t;

	if (!name)
		return;
	if (find(c->ast->items, BW_AI_TABLE, fam, name))
		return;		/* nft: add table of one that exists */
	t = item_new(c, BW_AI_TABLE, o);
	if (!t)
		return;
	t->family = fam;
	t->family_loc = loc_of(c, json_object_get(o, "family"));
	t->name = name;
	t->name_loc = loc_of(c, json_object_get(o, "name"));
	item_add(&c->ast->items, &c->ast->items_last, t);
}

static void obj_chain(struct jc *c, const json_t *o)
{
	struct bw_ast_item *t = table_of(c, o), *ch, *it;
	const char *name = t ? str_member(c, o, "name") : NULL;
	json_t *type, *hook, *prio, *pol, *dev, *cm;

	if (!name)
		return;
	if (find(t->items, BW_AI_CHAIN, NULL, name)) {
		jerr(c, json_object_get(o, "name"), "chain %s is declared twice", name);
		return;
	}
	ch = item_new(c, BW_AI_CHAIN, o);
	if (!ch)
		return;
	ch->name = name;
	ch->name_loc = loc_of(c, json_object_get(o, "name"));
	item_add(&t->items, &t->items_last, ch);
	if ((cm = json_object_get(o, "comment")) && json_is_string(cm) &&
	    (it = item_new(c, BW_AI_COMMENT, cm))) {
		it->name = dup(c, json_string_value(cm));
		it->name_loc = it->loc;
		item_add(&ch->items, &ch->items_last, it);
	}
	hook = json_object_get(o, "hook");
	if (!hook)
		return;
	if (!(type = member(c, o, "type", JSON_STRING, "a string")) ||
	    !(hook = member(c, o, "hook", JSON_STRING, "a string")) ||
	    !(prio = member(c, o, "prio", JSON_INTEGER, "a number")))
		return;
	it = item_new(c, BW_AI_HOOK, o);
	if (!it)
		return;
	it->type = dup(c, json_string_value(type));
	it->type_loc = loc_of(c, type);
	it->hook = dup(c, json_string_value(hook));
	it->hook_loc = loc_of(c, hook);
	dev = json_object_get(o, "dev");
	if (dev && json_is_string(dev)) {
		it->device = dup(c, json_string_value(dev));
		it->device_loc = loc_of(c, dev);
	} else if (dev && json_is_array(dev) && json_array_size(dev)) {
		/* several devices: devices = { ... } */
		json_t *x;
		size_t i;

		it->devices = expr_new(c, BW_AE_LIST, dev, NULL);
		json_array_foreach(dev, i, x) {
			if (!json_is_string(x)) {
				jerr(c, x, "\"dev\" must be a string or a list of strings");
				return;
			}
			bw_ast_expr_append(it->devices, expr_new(c, BW_AE_STRING, x,
								dup(c, json_string_value(x))));
		}
		it->device = it->devices->elems->text;
		it->device_loc = it->devices->elems->loc;
	} else if (dev) {
		jerr(c, dev, "\"dev\" must be a string or a list of strings");
		return;
	}
	{
		char buf[32];
		json_int_t p = json_integer_value(prio);

		snprintf(buf, sizeof(buf), "%lld", (long long)(p < 0 ? -p : p));
		it->prio.num = dup(c, buf);
		it->prio.neg = p < 0;
		it->prio.loc = loc_of(c, prio);
	}
	item_add(&ch->items, &ch->items_last, it);
	pol = json_object_get(o, "policy");
	if (pol && json_is_string(pol) && (it = item_new(c, BW_AI_POLICY, pol))) {
		it->policy = dup(c, json_string_value(pol));
		it->policy_loc = it->loc;
		item_add(&ch->items, &ch->items_last, it);
	}
}

/* "a" or ["a", "b"]: a LIST (or CONCAT) of SYMBOLs. */
static struct bw_ast_expr *words(struct jc *c, const json_t *j,
				 enum bw_ast_expr_kind kind)
{
	struct bw_ast_expr *l = expr_new(c, kind, j, NULL);
	json_t *x;
	size_t i;

	if (json_is_string(j)) {
		bw_ast_expr_append(l, expr_new(c, BW_AE_SYMBOL, j, dup(c, json_string_value(j))));
		return l;
	}
	if (!json_is_array(j) || !json_array_size(j))
		return jerr(c, j, "a name or a list of names");
	json_array_foreach(j, i, x) {
		if (!json_is_string(x))
			return jerr(c, x, "a name");
		bw_ast_expr_append(l, expr_new(c, BW_AE_SYMBOL, x, dup(c, json_string_value(x))));
	}
	return l;
}

static void obj_set(struct jc *c, const json_t *o, bool map)
{
	struct bw_ast_item *t = table_of(c, o), *it;
	const char *name = t ? str_member(c, o, "name") : NULL;
	struct bw_ast_setdef *sd;
	const char *k;
	json_t *type, *x;
	size_t m;

	if (!name)
		return;
	if (!(type = json_object_get(o, "type"))) {
		jerr(c, o, "\"type\" is missing (bpfwall takes a set's type, not typeof, in JSON)");
		return;
	}
	if (!(it = item_new(c, BW_AI_SET, o)) || !(sd = node(c, sizeof(*sd))))
		return;
	it->set_name = name;
	it->set_name_loc = loc_of(c, json_object_get(o, "name"));
	it->set = sd;
	sd->map = map;
	sd->ntype = 1;
	sd->type_loc = loc_of(c, type);
	m = push(c, ".type");
	sd->types = words(c, type, BW_AE_CONCAT);
	pop(c, m);
	json_object_foreach((json_t *)o, k, x) {
		m = push(c, ".%s", k);
		if (!strcmp(k, "map")) {
			if (!json_is_string(x))
				jerr(c, x, "\"map\" must be a type name");
			else
				sd->value_type = expr_new(c, BW_AE_SYMBOL, x,
							  dup(c, json_string_value(x)));
		} else if (!strcmp(k, "flags")) {
			sd->flags = words(c, x, BW_AE_LIST);
		} else if (!strcmp(k, "size")) {
			sd->size = json_is_integer(x) ? expr(c, x, false) :
				   jerr(c, x, "\"size\" must be a number");
		} else if (!strcmp(k, "comment")) {
			if (json_is_string(x)) {
				sd->comment = dup(c, json_string_value(x));
				sd->comment_loc = loc_of(c, x);
			}
		} else if (!strcmp(k, "elem")) {
			sd->elements = json_is_array(x) ?
				       list_of(c, x, BW_AE_SET, false, x) :
				       jerr(c, x, "\"elem\" must be a list");
		} else if (strcmp(k, "family") && strcmp(k, "table") &&
			   strcmp(k, "name") && strcmp(k, "type") &&
			   strcmp(k, "handle")) {
			jerr(c, x, "the set property \"%s\" is not supported by bpfwall", k);
		}
		pop(c, m);
		if (c->err)
			return;
	}
	if (map && !sd->value_type) {
		jerr(c, o, "a map needs \"map\" (its value type)");
		return;
	}
	item_add(&t->items, &t->items_last, it);
}

/* A number of a named object's JSON as an expression, or NULL (said). */
static struct bw_ast_expr *obj_num(struct jc *c, const json_t *o, const char *key,
				   bool need)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		return need ? jerr(c, o, "\"%s\" is missing", key) : NULL;
	if (!json_is_integer(x))
		return jerr(c, x, "\"%s\" must be a number", key);
	return expr(c, x, false);
}

/* A ct object's attribute KEY : VALUE (the text parser's form). */
static void obj_attr(struct jc *c, struct bw_ast_item *it, const json_t *x,
		     const char *key, struct bw_ast_expr *v)
{
	struct bw_ast_expr *a = expr_new(c, BW_AE_MAPELEM, x, NULL);

	if (!a || !v)
		return;
	a->left = expr_new(c, BW_AE_SYMBOL, x, key);
	a->right = v;
	bw_ast_expr_append(it->obj_attrs, a);
}

/* counter, quota, limit, ct helper, ct timeout, ct expectation objects,
 * as nft lists them */
/* {"flowtable": {"family", "table", "name", "hook", "prio", "dev"[,
 * "flags": ["offload", "counter"] (bpfwall's)]}} */
static void obj_flowtable(struct jc *c, const json_t *o)
{
	struct bw_ast_item *t = table_of(c, o), *it;
	const char *name = t ? str_member(c, o, "name") : NULL;
	json_t *hook, *prio, *dev, *fl, *x;
	char buf[32];
	size_t i;

	if (!name || !(it = item_new(c, BW_AI_FLOWTABLE, o)))
		return;
	it->ft_name = name;
	it->ft_name_loc = loc_of(c, json_object_get(o, "name"));
	if (!(hook = member(c, o, "hook", JSON_STRING, "a string")) ||
	    !(prio = member(c, o, "prio", JSON_INTEGER, "a number")))
		return;
	it->ft_hook = dup(c, json_string_value(hook));
	it->ft_hook_loc = loc_of(c, hook);
	snprintf(buf, sizeof(buf), "%lld", (long long)llabs(json_integer_value(prio)));
	it->ft_prio.num = dup(c, buf);
	it->ft_prio.neg = json_integer_value(prio) < 0;
	it->ft_prio.loc = loc_of(c, prio);
	if ((dev = json_object_get(o, "dev"))) {
		it->ft_devs = expr_new(c, BW_AE_LIST, dev, NULL);
		if (json_is_string(dev)) {
			bw_ast_expr_append(it->ft_devs, expr_new(c, BW_AE_STRING, dev,
							       dup(c, json_string_value(dev))));
		} else if (json_is_array(dev)) {
			json_array_foreach(dev, i, x) {
				if (!json_is_string(x)) {
					jerr(c, x, "Invalid flowtable dev (a string)");
					return;
				}
				bw_ast_expr_append(it->ft_devs, expr_new(c, BW_AE_STRING, x,
								       dup(c, json_string_value(x))));
			}
		} else {
			jerr(c, dev, "Invalid flowtable dev (a string or an array of strings)");
			return;
		}
	}
	if ((fl = json_object_get(o, "flags"))) {
		if (!json_is_array(fl)) {
			jerr(c, fl, "\"flags\" must be an array (\"offload\", \"counter\")");
			return;
		}
		json_array_foreach(fl, i, x) {
			if (json_is_string(x) && !strcmp(json_string_value(x), "offload")) {
				it->ft_offload = true;
				it->ft_offload_loc = loc_of(c, x);
			} else if (json_is_string(x) && !strcmp(json_string_value(x), "counter")) {
				it->ft_counter = true;
			} else {
				jerr(c, x, "unknown flowtable flag (offload, counter)");
				return;
			}
		}
	}
	item_add(&t->items, &t->items_last, it);
}

static void obj_named(struct jc *c, const json_t *o, const char *kind)
{
	struct bw_ast_item *t = table_of(c, o), *it;
	const char *name = t ? str_member(c, o, "name") : NULL;
	struct bw_ast_stmt *s = NULL;
	const char *k;
	json_t *x;

	if (!name || !(it = item_new(c, BW_AI_OBJECT, o)))
		return;
	it->obj_type = kind;
	it->obj_type_loc = it->loc;
	it->obj_ident = name;
	it->obj_ident_loc = loc_of(c, json_object_get(o, "name"));
	if (!strcmp(kind, "counter")) {
		if (json_object_get(o, "packets") || json_object_get(o, "bytes")) {
			s = stmt_new(c, BW_AS_COUNTER, o);
			if (!s || !(s->packets = obj_num(c, o, "packets", true)) ||
			    !(s->bytes = obj_num(c, o, "bytes", true)))
				return;
		}
	} else if (!strcmp(kind, "quota")) {
		s = stmt_new(c, BW_AS_QUOTA, o);
		if (!s || !(s->quota_n = obj_num(c, o, "bytes", true)))
			return;
		s->quota_unit = expr_new(c, BW_AE_SYMBOL, o, "bytes");
		if ((s->quota_used = obj_num(c, o, "used", false)))
			s->quota_used_unit = expr_new(c, BW_AE_SYMBOL, o, "bytes");
		if (json_is_true(json_object_get(o, "inv")))
			s->quota_mode = "over";
	} else if (!strcmp(kind, "synproxy")) {
		s = stmt_new(c, BW_AS_SYNPROXY, o);
		if (!s || !(s->syn_mss = obj_num(c, o, "mss", true)) ||
		    !(s->syn_wscale = obj_num(c, o, "wscale", true)))
			return;
		if ((x = json_object_get(o, "flags"))) {
			struct bw_ast_expr *l = flag_list(c, x, "synproxy");

			for (const struct bw_ast_expr *e = l ? l->elems : NULL; e; e = e->next)
				if (!strcmp(e->text, "timestamp"))
					s->syn_words |= BW_AST_SYN_TIMESTAMP;
				else if (!strcmp(e->text, "sack-perm"))
					s->syn_words |= BW_AST_SYN_SACK_PERM;
				else
					jerr(c, x, "unknown synproxy flag (timestamp, sack-perm)");
			if (!l || c->err)
				return;
		}
	} else if (!strcmp(kind, "limit")) {
		const char *per = str_member(c, o, "per");

		s = stmt_new(c, BW_AS_LIMIT, o);
		if (!s || !per || !(s->rate = obj_num(c, o, "rate", true)))
			return;
		s->rate_unit = expr_new(c, BW_AE_SYMBOL, json_object_get(o, "per"), per);
		if ((x = json_object_get(o, "rate_unit")) && json_is_string(x) &&
		    strcmp(json_string_value(x), "packets"))
			s->rate_bytes = expr_new(c, BW_AE_SYMBOL, x, dup(c, json_string_value(x)));
		if ((s->burst = obj_num(c, o, "burst", false))) {
			x = json_object_get(o, "burst_unit");
			s->burst_unit = expr_new(c, BW_AE_SYMBOL, x ? x : o,
						 x && json_is_string(x) ?
						 dup(c, json_string_value(x)) :
						 s->rate_bytes ? "bytes" : "packets");
		}
		s->over = json_is_true(json_object_get(o, "inv"));
	} else {
		if (!(it->obj_attrs = expr_new(c, BW_AE_LIST, o, NULL)))
			return;
		json_object_foreach((json_t *)o, k, x) {
			char buf[40];

			if (!strcmp(k, "family") || !strcmp(k, "table") ||
			    !strcmp(k, "name") || !strcmp(k, "handle") ||
			    (!strcmp(k, "policy") && json_is_null(x)))	/* the defaults */
				continue;
			if (!strcmp(k, "type") && json_is_string(x)) {
				obj_attr(c, it, x, "type", expr_new(c, BW_AE_STRING, x,
								    dup(c, json_string_value(x))));
			} else if ((!strcmp(k, "protocol") || !strcmp(k, "l3proto")) &&
				   json_is_string(x)) {
				obj_attr(c, it, x, !strcmp(k, "protocol") ? "protocol" : "l3proto",
					 expr_new(c, BW_AE_SYMBOL, x, dup(c, json_string_value(x))));
			} else if ((!strcmp(k, "dport") || !strcmp(k, "size")) &&
				   json_is_integer(x)) {
				obj_attr(c, it, x, !strcmp(k, "dport") ? "dport" : "size",
					 expr(c, x, false));
			} else if (!strcmp(k, "timeout") && json_is_integer(x) &&
				   json_integer_value(x) >= 0) {
				/* milliseconds */
				snprintf(buf, sizeof(buf), "%lldms", (long long)json_integer_value(x));
				obj_attr(c, it, x, "timeout", expr_new(c, BW_AE_SYMBOL, x, dup(c, buf)));
			} else if (!strcmp(k, "policy") && json_is_object(x)) {
				struct bw_ast_expr *set = expr_new(c, BW_AE_SET, x, NULL);
				const char *st;
				json_t *n;

				json_object_foreach(x, st, n) {
					struct bw_ast_expr *e = expr_new(c, BW_AE_MAPELEM, n, NULL);

					if (!set || !e || !json_is_integer(n)) {
						jerr(c, n, "a policy's state takes a number of seconds");
						return;
					}
					e->left = expr_new(c, BW_AE_SYMBOL, n, dup(c, st));
					e->right = expr(c, n, false);
					bw_ast_expr_append(set, e);
				}
				obj_attr(c, it, x, "policy", set);
			} else {
				jerr(c, x, "the %s property \"%s\" is not supported by bpfwall", kind, k);
				return;
			}
		}
	}
	if (c->err)
		return;
	it->obj_stmt = s;
	item_add(&t->items, &t->items_last, it);
}

static void obj_rule(struct jc *c, const json_t *o)
{
	struct bw_ast_item *t = table_of(c, o), *ch, *r;
	const char *chain = t ? str_member(c, o, "chain") : NULL;
	json_t *exprs, *x, *cm;
	size_t i;

	if (!chain)
		return;
	c->family = t->family;
	ch = find(t->items, BW_AI_CHAIN, NULL, chain);
	if (!ch) {
		jerr(c, json_object_get(o, "chain"), "chain %s is not declared before", chain);
		return;
	}
	if (!(exprs = member(c, o, "expr", JSON_ARRAY, "a list of statements")) ||
	    !(r = item_new(c, BW_AI_RULE, o)))
		return;
	if (!json_array_size(exprs)) {
		jerr(c, exprs, "a rule without statements");
		return;
	}
	json_array_foreach(exprs, i, x) {
		size_t m0 = push(c, ".expr[%zu]", i), m;
		const struct stmt_row *row = NULL;
		struct bw_ast_stmt *s;
		const char *k;
		json_t *v;

		if (!(k = only_key(c, x, &v, "a statement")))
			return;
		for (size_t n = 0; n < sizeof(stmts) / sizeof(stmts[0]); n++)
			if (!strcmp(stmts[n].key, k))
				row = &stmts[n];
		m = push(c, ".%s", k);
		if (!row) {
			jerr(c, x, "the statement \"%s\" is not supported by bpfwall", k);
			return;
		}
		s = row->conv(c, v, x);
		if (!s) {
			/* never drop a rule without saying so */
			if (!c->err)
				jerr(c, x, "internal error: this \"%s\" statement could not be read", k);
			return;
		}
		if (r->stmts_last)
			r->stmts_last->next = s;
		else
			r->stmts = s;
		r->stmts_last = s;
		pop(c, m);
		pop(c, m0);
	}
	if ((cm = json_object_get(o, "comment")) && json_is_string(cm)) {
		r->comment = dup(c, json_string_value(cm));
		r->comment_loc = loc_of(c, cm);
	}
	item_add(&ch->items, &ch->items_last, r);
}

static void object(struct jc *c, const json_t *x, bool in_add)
{
	const char *k;
	json_t *v;
	size_t m;

	if (!(k = only_key(c, x, &v, "an element of \"nftables\"")))
		return;
	m = push(c, ".%s", k);
	if (!strcmp(k, "metainfo")) {
		/* informational */
	} else if (!strcmp(k, "add") && !in_add) {
		object(c, v, true);
	} else if (!strcmp(k, "flush") && !in_add && json_is_object(v) &&
		   json_object_size(v) == 1 && json_object_get(v, "ruleset")) {
		item_add(&c->ast->items, &c->ast->items_last,
			 item_new(c, BW_AI_FLUSH, x));
	} else if (!json_is_object(v)) {
		jerr(c, v, "\"%s\" must be an object", k);
	} else if (!strcmp(k, "table")) {
		obj_table(c, v);
	} else if (!strcmp(k, "chain")) {
		obj_chain(c, v);
	} else if (!strcmp(k, "set") || !strcmp(k, "map")) {
		obj_set(c, v, k[0] == 'm');
	} else if (!strcmp(k, "rule")) {
		obj_rule(c, v);
	} else if (!strcmp(k, "counter") || !strcmp(k, "quota") || !strcmp(k, "limit") ||
		   !strcmp(k, "ct helper") || !strcmp(k, "ct timeout") ||
		   !strcmp(k, "ct expectation")) {
		obj_named(c, v, k[0] == 'c' && k[1] == 't' ? (k[3] == 'h' ? "ct helper" :
			  k[3] == 't' ? "ct timeout" : "ct expectation") :
			  k[0] == 'c' ? "counter" : k[0] == 'q' ? "quota" : "limit");
	} else if (!strcmp(k, "synproxy")) {
		obj_named(c, v, "synproxy");
	} else if (!strcmp(k, "flowtable")) {
		obj_flowtable(c, v);
	} else {
		jerr(c, x, "\"%s\" is not supported by bpfwall in JSON (it takes metainfo, table, chain, set, map, rule, the named objects counter, quota, limit, ct helper, ct timeout, ct expectation and synproxy, add and flush ruleset)", k);
	}
	pop(c, m);
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
	push(&c, "nftables");
	list = json_is_object(root) ? json_object_get(root, "nftables") : NULL;
	if (!list || !json_is_array(list) || json_object_size(root) != 1) {
		jerr(&c, root, "the file must be {\"nftables\": [...]}");
		goto out;
	}
	json_array_foreach(list, i, x) {
		size_t m = push(&c, "[%zu]", i);

		object(&c, x, false);
		pop(&c, m);
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
	return jerr(c, j, "%s", msg);
}

struct bw_ast_expr *bw_jc_value(struct jc *c, const json_t *j)
{
	return expr(c, j, false);
}

bool bw_jc_field(struct jc *c, const json_t *j, struct bw_ast_fref *f)
{
	return field(c, j, &f->proto, &f->field, &f->proto_loc, &f->field_loc);
}

struct bw_ast_expr *bw_jc_expr_new(struct jc *c, enum bw_ast_expr_kind k,
				   const json_t *at, const char *text)
{
	return expr_new(c, k, at, text);
}

struct bw_ast_fref *bw_jc_fref_new(struct jc *c)
{
	return node(c, sizeof(struct bw_ast_fref));
}
