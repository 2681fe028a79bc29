// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's JSON for a rule that adds to a map of data (json_mapadd.h):
 * {"map": {"op": "add"|"update", "elem": KEY, "data": VALUE, "map":
 * "@NAME"}}, read as the set statement {"set": {...}} is, with the value.
 */
#include "json_mapadd.h"

/* {"concat": [CONST, ...]}: a value of a map whose values are
 * concatenations (compiler/front/mapcat.h), read as an element's. */
static bool const_concat(const json_t *data)
{
	const json_t *v = json_object_get(data, "concat"), *x;
	size_t i;

	if (!json_is_object(data) || json_object_size(data) != 1 || !json_is_array(v))
		return false;
	json_array_foreach(v, i, x)
		if (!json_is_string(x) && !json_is_integer(x))
			return false;
	return true;
}

struct bw_ast_stmt *bw_jc_mapadd(struct jc *c, const json_t *v,
				 const json_t *at, bw_jc_stmt_fn *dynset)
{
	const json_t *data, *map;
	struct bw_ast_stmt *s;
	json_t *o;

	if (!json_is_object(v))
		return bw_jc_error(c, at, "a map statement is an object");
	map = json_object_get(v, "map");
	data = json_object_get(v, "data");
	if (!map)
		return bw_jc_error(c, v, "\"map\" is missing: \"@NAME\"");
	if (!data)
		return bw_jc_error(c, v, "\"data\" is missing: the value added with the key");
	/* the children stay the same (their places in the text too) */
	o = json_copy((json_t *)v);
	if (!o || json_object_del(o, "data") || json_object_del(o, "map") ||
	    json_object_set(o, "set", (json_t *)map)) {
		json_decref(o);
		return bw_jc_error(c, v, "out of memory");
	}
	s = dynset(c, o, at);
	json_decref(o);
	if (!s)
		return NULL;
	s->dyn_data = const_concat(data) ? bw_jc_value(c, data) :
		      json_is_object(data) || bw_jc_is_vexpr(data) ?
		      bw_jc_vexpr(c, data) : bw_jc_value(c, data);
	return s->dyn_data ? s : NULL;
}
