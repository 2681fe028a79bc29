// SPDX-License-Identifier: GPL-2.0-only
/*
 * A rule's add or update of a map of data as nft's JSON (json_int.h):
 * the set statement's object o ({"op", "elem", "set"}) becomes {"map":
 * {"op", "elem", "data", "map": "@NAME"}}.
 */
#include <stdlib.h>
#include <string.h>

#include "json_int.h"

/* A constant value: a number as nft writes one, else its text (an
 * address, a name). */
static json_t *constant(const struct bw_ast_expr *e)
{
	char *end;
	unsigned long long n;

	if (e->kind == BW_AE_NUMBER && e->text) {
		n = strtoull(e->text, &end, 0);
		if (!*end)
			return json_integer((json_int_t)n);
	}
	return json_string(e->text ? e->text : "");
}

json_t *bw_jp_mapadd(struct jp *p, const struct bw_ast_stmt *s, json_t *o)
{
	const struct bw_ast_expr *e = s->dyn_data;
	json_t *set = json_object_get(o, "set"), *data, *w;

	data = e->kind == BW_AE_FIELD && e->fref ?
	       bw_jp_field(e->fref->proto, e->fref->field) :
	       e->kind == BW_AE_NUMBER || e->kind == BW_AE_SYMBOL ||
	       e->kind == BW_AE_STRING || !e->kind ? constant(e) :
	       bw_jp_vexpr(p, e);
	if (!data || !set) {
		json_decref(data);
		json_decref(o);
		return NULL;
	}
	json_object_set_new(o, "data", data);
	json_object_set(o, "map", set);
	json_object_del(o, "set");
	w = json_object();
	json_object_set_new(w, "map", o);
	return w;
}
