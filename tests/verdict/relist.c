// SPDX-License-Identifier: GPL-2.0-only
/* What `list ruleset` prints for a ruleset just loaded (relist.h). */
#include <stdlib.h>
#include <string.h>

#include "compiler/front/compile.h"
#include "compiler/front/setmap.h"
#include "relist.h"

struct entries {
	const struct bw_ir_set *s;
	const struct bw_set_layout *l;
	struct bw_ir_setelem *v;
	uint32_t n, cap;
	bool oom;
};

/* One map entry, read back as runtime/sets.c dump() reads it. */
static int add_entry(void *arg, uint32_t table, const uint8_t *key,
		     const struct bw_set_value *val)
{
	struct entries *es = arg;

	if (es->n == es->cap) {
		uint32_t cap = es->cap ? es->cap * 2 : 64;
		struct bw_ir_setelem *v = reallocarray(es->v, cap, sizeof(*v));

		if (!v) {
			es->oom = true;
			return -1;
		}
		es->v = v;
		es->cap = cap;
	}
	bw_set_entry_elem(es->s, es->l, table, key, val, &es->v[es->n++]);
	return 0;
}

static char *set_elems(void *arg, uint32_t index, const char *family,
		       const char *table, const char *name)
{
	const struct bw_ir *ir = arg;
	struct bw_set_layout l;
	struct entries es = { .l = &l };
	char *text;

	(void)family;
	(void)table;
	(void)name;
	if (index >= ir->nset || bw_set_layout(&ir->set[index], &l))
		return NULL;
	es.s = &ir->set[index];
	for (uint32_t i = 0; i < es.s->nelem; i++)
		if (bw_set_elem_entries(es.s, &l, &es.s->elem[i], add_entry, &es)) {
			free(es.v);
			return NULL;
		}
	text = bw_ir_set_elems_text(ir, index, es.v, es.n);
	free(es.v);
	return text;
}

char *bw_t_relist(const struct bw_ir *ir)
{
	/* as runtime/list.c: counters from the maps (here: as loaded),
	 * elements from the maps */
	return bw_ir_text_render_sets(ir->text, bw_ir_counter_initial, set_elems,
				      (void *)ir);
}
