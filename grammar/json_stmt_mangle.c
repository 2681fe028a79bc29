// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON statements that write to a packet or its metadata: mangle
 * (header and meta/ct fields, with the bitwise forms folded into a
 * mask and xor) and reset.
 * json_parse.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse_int.h"
#include "json_vexpr.h"

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
			return bw_jc_err(c, v, "a mangle's \"%s\" is [a field or bitwise, a 32-bit number]", k);
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
	if (!(src = bw_jc_node(c, sizeof(*src))) ||
	    !bw_jc_field_of(c, f, &src->proto, &src->field, &src->proto_loc, &src->field_loc))
		return -1;
	if (json_is_array(x)) {
		size_t i;
		json_t *w;

		if (!(e = bw_jc_expr_at(c, BW_AE_LIST, x, NULL)))
			return -1;
		json_array_foreach(x, i, w) {
			struct bw_ast_expr *y;

			if (!json_is_string(w))
				return bw_jc_err(c, w, "flags are strings"), -1;
			if (!(y = bw_jc_expr_at(c, BW_AE_SYMBOL, w, bw_jc_dup(c, json_string_value(w)))))
				return -1;
			bw_ast_expr_append(e, y);
		}
	} else if (json_is_integer(x) || json_is_string(x)) {
		if (!(e = bw_jc_expr(c, x, false)))
			return -1;
	} else {
		return bw_jc_err(c, x, "a header field's \"%s\" takes a number, a name or flags", op), -1;
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
struct bw_ast_stmt *bw_jc_st_reset(struct jc *c, const json_t *v,
				   const json_t *at)
{
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_SETF, at);
	struct bw_ast_fref *f = bw_jc_node(c, sizeof(*f));

	json_t *o = json_is_object(v) ? json_object_get(v, "tcp option") : NULL;
	json_t *base = json_is_object(o) ? json_object_get(o, "base") : NULL;

	if (!s || !f || !o)
		return c->err ? NULL : bw_jc_err(c, at, "reset takes a tcp option: {\"tcp option\": {\"name\": K}}");
	if (json_is_integer(base)) {	/* nft's kind by number */
		char *n = bw_arena_alloc(c->ast->arena, 32);

		if (!n)
			return NULL;
		snprintf(n, 32, "option %lld", (long long)json_integer_value(base));
		f->proto = "tcp";
		f->field = n;
		f->proto_loc = f->field_loc = bw_jc_loc_of(c, base);
	} else if (!bw_jc_field_of(c, v, &f->proto, &f->field, &f->proto_loc, &f->field_loc)) {
		return NULL;
	}
	s->setf = f;
	return s;
}

/* nft's "mangle": {key: a meta or ct field, value: a number, a string
 * (a priority's "1:2"), another field, or a field in "&" / "|" / "^"} */
struct bw_ast_stmt *bw_jc_st_mangle(struct jc *c, const json_t *v,
				    const json_t *at)
{
	static const char *const keys[] = { "key", "value", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_SETF, at);
	struct bw_ast_fref *f, *src;
	json_t *key;
	const json_t *val;
	size_t m;

	if (!s || !json_is_object(v))
		return c->err ? NULL : bw_jc_err(c, at, "a mangle is {\"key\", \"value\"}");
	if (!(key = bw_jc_member(c, v, "key", JSON_OBJECT, "an object")) ||
	    !(val = json_object_get(v, "value")))
		return c->err ? NULL : bw_jc_err(c, v, "\"value\" is missing: a number or a field");
	if (!bw_jc_only_keys(c, v, "mangle", keys))
		return NULL;
	f = bw_jc_node(c, sizeof(*f));
	m = bw_jc_push(c, ".key");
	if (!f || !bw_jc_field_of(c, key, &f->proto, &f->field, &f->proto_loc, &f->field_loc))
		return NULL;
	bw_jc_pop(c, m);
	s->setf = f;
	m = bw_jc_push(c, ".value");
	/* ip dscp set ip dscp & 0x1f: {"&": [FIELD, 31]} */
	switch (mangle_hdr(c, s, val)) {
	case -1:
		return NULL;
	case 0:
		bw_jc_pop(c, m);
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

		src = bw_jc_node(c, sizeof(*src));
		if (!src || !(val = setf_bits(c, val, &mask, &xor)) ||
		    !bw_jc_field_of(c, val, &src->proto, &src->field, &src->proto_loc,
			   &src->field_loc))
			return NULL;
		s->setf_src = src;
		if (mask != UINT32_MAX) {
			snprintf(buf, sizeof(buf), "0x%08x", mask);
			if (!(s->setf_and = bw_jc_expr_at(c, BW_AE_NUMBER, val, bw_jc_dup(c, buf))))
				return NULL;
		}
		if (xor) {
			snprintf(buf, sizeof(buf), "0x%08x", xor);
			if (!(s->setf_xor = bw_jc_expr_at(c, BW_AE_NUMBER, val, bw_jc_dup(c, buf))))
				return NULL;
		}
	} else if (json_is_integer(val) || json_is_string(val)) {
		s->setf_value = bw_jc_expr(c, val, false);
		if (!s->setf_value)
			return NULL;
	} else if (json_is_array(val) && json_array_size(val)) {
		/* ct event set new,related: ["new", "related"] */
		size_t i;
		json_t *w;

		if (!(s->setf_value = bw_jc_expr_at(c, BW_AE_LIST, val, NULL)))
			return NULL;
		json_array_foreach(val, i, w) {
			struct bw_ast_expr *x;

			if (!json_is_string(w))
				return bw_jc_err(c, w, "a list of values takes strings");
			if (!(x = bw_jc_expr_at(c, BW_AE_SYMBOL, w, bw_jc_dup(c, json_string_value(w)))))
				return NULL;
			bw_ast_expr_append(s->setf_value, x);
		}
	} else {
		return bw_jc_err(c, val, "\"value\" must be a number, a string or a field");
	}
	bw_jc_pop(c, m);
	return s;
}
