// SPDX-License-Identifier: GPL-2.0-only
/*
 * Maps whose values are concatenations (mapcat.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mapcat.h"

uint32_t bw_mapcat_off(const struct bw_ir_set *s, uint32_t k)
{
	uint32_t off = 0;

	for (uint32_t i = 0; i < k && i < s->ndata; i++)
		off += (bw_field(s->datacat[i])->size + 3u) & ~3u;
	return off;
}

int bw_mapcat_type(struct bw_eval *ev, struct bw_ir_set *s,
		   const struct bw_ast_expr *t,
		   int (*part)(const char *name, enum bw_field_id *f))
{
	enum bw_field_id f[BW_SET_MAX_KEYS];
	const char *p = t->text;
	uint32_t n = 0, len = 0;

	while (*p) {
		const char *end = strstr(p, " . ");
		size_t l = end ? (size_t)(end - p) : strlen(p);
		char name[64];

		if (!l || l >= sizeof(name) || n == BW_SET_MAX_KEYS)
			return bw_eval_error(ev, &t->loc, "a map's value joins at most %u types",
					     BW_SET_MAX_KEYS);
		memcpy(name, p, l);
		name[l] = '\0';
		if (part(name, &f[n]))
			return bw_eval_error(ev, &t->loc, "unknown or unsupported data type \"%s\" in a map's value",
					     name);
		len += (bw_field(f[n])->size + 3u) & ~3u;
		n++;
		p += l + (end ? 3 : 0);
	}
	if (len > sizeof(s->elem->data))
		return bw_eval_error(ev, &t->loc, "a map's value (%s) is longer than %zu bytes",
				     t->text, sizeof(s->elem->data));
	s->map = false;
	s->ndata = n;
	s->data = f[0];
	memcpy(s->datacat, f, n * sizeof(f[0]));
	return 0;
}

int bw_mapcat_value(struct bw_eval *ev, const struct bw_ir_set *s,
		    const struct bw_ast_expr *val, const struct bw_sym *scope,
		    uint8_t out[BW_MAPCAT_MAX])
{
	const struct bw_ast_expr *c, *v = bw_sym_resolve(val, &scope);
	uint32_t k = 0;

	if (!v || v->kind != BW_AE_CONCAT)
		return bw_eval_error(ev, &val->loc, "a value of map %s joins %u values with '.'",
				     s->name, s->ndata);
	for (c = v->elems; c; c = c->next, k++) {
		const struct bw_field *f;
		uint8_t lo[BW_VAL_MAX] = { 0 }, hi[BW_VAL_MAX] = { 0 };

		if (k == s->ndata)
			break;
		if (c->kind == BW_AE_FIELD)
			return bw_eval_error(ev, &c->loc, "a field in a concatenated value is not supported yet (constants are)");
		f = bw_field(s->datacat[k]);
		if (bw_eval_range(ev, f, c, scope, lo, hi))
			return -EINVAL;
		if (memcmp(lo, hi, f->size))
			return bw_eval_error(ev, &c->loc, "a range or a prefix as a map's value is not supported");
		memcpy(out + bw_mapcat_off(s, k), lo, f->size);
	}
	if (c || k != s->ndata)
		return bw_eval_error(ev, &val->loc, "a value of map %s joins %u values with '.'",
				     s->name, s->ndata);
	return 0;
}

int bw_mapcat_elem(struct bw_eval *ev, const struct bw_ir_set *s,
		   struct bw_ir_setelem *x, const struct bw_ast_expr *val,
		   const struct bw_sym *scope)
{
	return bw_mapcat_value(ev, s, val, scope, x->data);
}

void bw_mapcat_print(struct bw_pbuf *b, const struct bw_ir_set *s,
		     const uint8_t *data)
{
	for (uint32_t k = 0; k < s->ndata; k++) {
		bw_pbuf_put(b, k ? " . " : "");
		bw_print_value(b, bw_field(s->datacat[k]), data + bw_mapcat_off(s, k));
	}
}
