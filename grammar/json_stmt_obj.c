// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON statements of stateful objects: a named object's use (and an
 * object map), ct helper / timeout / expectation, counter, last, quota
 * and ct count.
 * json_parse.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse_int.h"
#include "json_vexpr.h"

/* A named object's use: {"counter": "NAME"}, {"ct helper": "NAME"}, or
 * an object map {"counter": {"map": {"key": KEY, "data": {"set": ...}}}}. */
struct bw_ast_stmt *bw_jc_st_objref(struct jc *c, const json_t *v,
				    const json_t *at, const char *kind)
{
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_OBJREF, at);
	struct bw_ast_stmt key = { .kind = BW_AS_MATCH };
	json_t *map, *k, *data;
	const json_t *mask;
	size_t m;

	if (!s)
		return NULL;
	s->obj_kind = kind;
	if (json_is_string(v)) {
		s->obj_name = bw_jc_expr_at(c, BW_AE_STRING, v, bw_jc_dup(c, json_string_value(v)));
		return s->obj_name ? s : NULL;
	}
	if (!json_is_object(v) || !(map = json_object_get(v, "map")) ||
	    !json_is_object(map) || !(k = json_object_get(map, "key")) ||
	    !(data = json_object_get(map, "data")))
		return bw_jc_err(c, at, "a named %s is \"NAME\" or {\"map\": {\"key\", \"data\"}}", kind);
	m = bw_jc_push(c, ".map.key");
	if (!bw_jc_lhs(c, k, &key, &mask))
		return NULL;
	bw_jc_pop(c, m);
	if (mask)
		return bw_jc_err(c, k, "an object map's key with a mask is not supported by bpfwall");
	s->obj_key = bw_jc_node(c, sizeof(*s->obj_key));
	if (!s->obj_key)
		return NULL;
	s->obj_key->proto = key.proto;
	s->obj_key->field = key.field;
	s->obj_key->proto_loc = key.proto_loc;
	s->obj_key->field_loc = key.field_loc;
	s->obj_key->implicit = key.proto_implicit;
	s->obj_key->next = key.cat;
	m = bw_jc_push(c, ".map.data");
	s->obj_map = bw_jc_expr(c, data, false);
	bw_jc_pop(c, m);
	return s->obj_map ? s : NULL;
}

struct bw_ast_stmt *bw_jc_st_ct_helper(struct jc *c, const json_t *v, const json_t *at)
{
	return bw_jc_st_objref(c, v, at, "ct helper");
}

struct bw_ast_stmt *bw_jc_st_ct_timeout(struct jc *c, const json_t *v, const json_t *at)
{
	return bw_jc_st_objref(c, v, at, "ct timeout");
}

struct bw_ast_stmt *bw_jc_st_ct_expect(struct jc *c, const json_t *v, const json_t *at)
{
	return bw_jc_st_objref(c, v, at, "ct expectation");
}

/* last: null, or {"used": MS} */
struct bw_ast_stmt *bw_jc_st_last(struct jc *c, const json_t *v, const json_t *at)
{
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_LAST, at);
	json_t *u;
	char buf[40];

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v) || !(u = json_object_get(v, "used")) || !json_is_integer(u) ||
	    json_integer_value(u) < 0)
		return bw_jc_err(c, at, "last is null or {\"used\": MILLISECONDS}");
	snprintf(buf, sizeof(buf), "%lldms", (long long)json_integer_value(u));
	s->last_used = bw_jc_expr_at(c, BW_AE_SYMBOL, u, bw_jc_dup(c, buf));
	return s->last_used ? s : NULL;
}

struct bw_ast_stmt *bw_jc_st_counter(struct jc *c, const json_t *v,
				     const json_t *at)
{
	struct bw_ast_stmt *s;
	json_t *p, *b;

	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return bw_jc_st_objref(c, v, at, "counter");
	s = bw_jc_stmt_new(c, BW_AS_COUNTER, at);
	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "a counter is null or {\"packets\", \"bytes\"}");
	p = json_object_get(v, "packets");
	b = json_object_get(v, "bytes");
	if (p || b) {
		if (!p || !b || !json_is_integer(p) || !json_is_integer(b))
			return bw_jc_err(c, v, "a counter's \"packets\" and \"bytes\" are numbers, both given");
		s->packets = bw_jc_expr(c, p, false);
		s->bytes = bw_jc_expr(c, b, false);
	}
	return s;
}

/* {"val": N, "val_unit": U, "inv": B, "used": N, "used_unit": U} */
struct bw_ast_stmt *bw_jc_st_quota(struct jc *c, const json_t *v,
				   const json_t *at)
{
	static const char *const keys[] = {
		"val", "val_unit", "inv", "used", "used_unit", NULL,
	};
	struct bw_ast_stmt *s;
	json_t *val, *x;

	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return bw_jc_st_objref(c, v, at, "quota");
	s = bw_jc_stmt_new(c, BW_AS_QUOTA, at);

	if (!s || !json_is_object(v))
		return c->err ? NULL : bw_jc_err(c, at, "a quota is an object");
	if (!(val = bw_jc_member(c, v, "val", JSON_INTEGER, "a number")) ||
	    !bw_jc_only_keys(c, v, "quota", keys))
		return NULL;
	s->quota_n = bw_jc_expr(c, val, false);
	x = json_object_get(v, "val_unit");
	if (x && !json_is_string(x))
		return bw_jc_err(c, x, "\"val_unit\" must be a string");
	s->quota_unit = x ? bw_jc_word(c, x, false) : bw_jc_expr_at(c, BW_AE_SYMBOL, val, "bytes");
	if ((x = json_object_get(v, "inv")) && !json_is_boolean(x))
		return bw_jc_err(c, x, "\"inv\" must be true or false");
	if (json_is_true(x))
		s->quota_mode = "over";
	if ((x = json_object_get(v, "used"))) {
		json_t *u = json_object_get(v, "used_unit");

		if (!json_is_integer(x))
			return bw_jc_err(c, x, "\"used\" must be a number");
		if (u && !json_is_string(u))
			return bw_jc_err(c, u, "\"used_unit\" must be a string");
		s->quota_used = bw_jc_expr(c, x, false);
		s->quota_used_unit = u ? bw_jc_word(c, u, false) :
				     bw_jc_expr_at(c, BW_AE_SYMBOL, x, "bytes");
		if (!s->quota_used || !s->quota_used_unit)
			return NULL;
	}
	return s->quota_n && s->quota_unit ? s : NULL;
}

/* {"val": N, "inv": true}: ct count [over] N */
struct bw_ast_stmt *bw_jc_st_ct_count(struct jc *c, const json_t *v,
				      const json_t *at)
{
	static const char *const keys[] = { "val", "inv", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_MATCH, at);
	json_t *val, *x;

	if (!s || !json_is_object(v))
		return c->err ? NULL : bw_jc_err(c, at, "a ct count is an object");
	if (!(val = bw_jc_member(c, v, "val", JSON_INTEGER, "a number")) ||
	    !bw_jc_only_keys(c, v, "ct count", keys))
		return NULL;
	if ((x = json_object_get(v, "inv")) && !json_is_boolean(x))
		return bw_jc_err(c, x, "\"inv\" must be true or false");
	s->proto = "ct";
	s->field = "count";
	s->proto_loc = s->field_loc = s->op_loc = bw_jc_loc_of(c, at);
	s->count_over = json_is_true(x);
	s->op = s->count_over ? BW_OP_GT : BW_OP_IMPLICIT;
	s->rhs = bw_jc_expr(c, val, false);
	return s->rhs ? s : NULL;
}
