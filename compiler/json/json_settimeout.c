// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set timeouts in nft's JSON (compiler/front/settimeout.h), as nft 1.0.6
 * prints them: a set's "timeout" and "gc-interval" in seconds, with
 * "timeout" among its "flags" whenever it has timeouts; a set statement's
 * {"elem": {"val": KEY, "timeout": SECONDS}}.
 */
#include <string.h>

#include "json_int.h"
#include "compiler/front/settimeout.h"

static uint32_t ms_of(const struct bw_ast_expr *e)
{
	uint32_t ms = 0;

	if (e && bw_settimeout_parse(e->text, &ms))
		ms = 0;
	return ms;
}

static bool flagged(const json_t *f)
{
	size_t i;
	json_t *x;

	if (json_is_string(f))
		return !strcmp(json_string_value(f), "timeout");
	json_array_foreach(f, i, x)
		if (json_is_string(x) && !strcmp(json_string_value(x), "timeout"))
			return true;
	return false;
}

void bw_jp_set_timeouts(json_t *o, const struct bw_ast_setdef *sd)
{
	uint32_t t = ms_of(sd->timeout), gc = ms_of(sd->gc_interval);
	json_t *f = json_object_get(o, "flags");

	if (f && (t || flagged(f))) {	/* nft: the flags after the size */
		json_incref(f);
		json_object_del(o, "flags");
		json_object_set_new(o, "flags", f);
	}

	if (t && !(f && flagged(f))) {	/* nft: implied by the timeout */
		if (!f) {
			json_object_set_new(o, "flags", json_pack("[s]", "timeout"));
		} else if (json_is_string(f)) {
			json_t *a = json_array();

			json_array_append(a, f);
			json_array_append_new(a, json_string("timeout"));
			json_object_set_new(o, "flags", a);
		} else {
			json_array_append_new(f, json_string("timeout"));
		}
	}
	if (t)
		json_object_set_new(o, "timeout", json_integer(t / 1000));
	if (gc)
		json_object_set_new(o, "gc-interval", json_integer(gc / 1000));
}

json_t *bw_jp_dynset_elem(json_t *key, const struct bw_ast_stmt *s)
{
	uint32_t t;
	json_t *e;

	if (!s->dyn_extra || strcmp(s->dyn_extra, "timeout") ||
	    !(t = ms_of(s->dyn_extra_val)))
		return key;
	e = json_object();
	json_object_set_new(e, "val", key);
	json_object_set_new(e, "timeout", json_integer(t / 1000));
	return json_pack("{s:o}", "elem", e);
}

json_t *bw_jp_elem_timeout(json_t *v, const struct bw_ast_expr *e)
{
	uint32_t t = ms_of(e->elem_timeout);
	json_t *o;

	if (!t || !v)
		return v;
	o = json_object();
	json_object_set_new(o, "val", v);
	json_object_set_new(o, "timeout", json_integer(t / 1000));
	return json_pack("{s:o}", "elem", o);
}
