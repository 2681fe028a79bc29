// SPDX-License-Identifier: GPL-2.0-only
/* Every map of a ruleset, described for the runtime (mapspec.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "mapspec.h"
#include "build.h"
#include "codegen.h"
#include "log.h"
#include "compiler/front/setmap.h"
#include "compiler/interp/ct.h"
#include "compiler/opt/optimize.h"

static struct bw_map_spec *spec_add(struct bw_map_specs *s, int32_t id,
				    uint32_t type, const char *name,
				    uint32_t key_size, uint32_t value_size,
				    uint32_t max_entries, uint32_t flags)
{
	struct bw_map_spec *n = realloc(s->spec, (s->n + 1) * sizeof(*n));

	if (!n)
		return NULL;
	s->spec = n;
	n += s->n++;
	memset(n, 0, sizeof(*n));
	n->id = id;
	n->type = type;
	snprintf(n->name, sizeof(n->name), "%s", name);
	snprintf(n->what, sizeof(n->what), "map %s", name);
	n->key_size = key_size;
	n->value_size = value_size;
	n->max_entries = max_entries ? max_entries : 1;
	n->flags = flags;
	return n;
}

/* Room for one more entry of m (grown by doubling). */
static int fill_add(struct bw_map_spec *m, uint32_t *cap, const void *key,
		    const void *val)
{
	if (m->nfill == *cap) {
		uint32_t c = *cap ? 2 * *cap : 16;
		uint8_t *k = realloc(m->keys, (size_t)c * m->key_size);

		if (!k)
			return -ENOMEM;
		m->keys = k;
		k = realloc(m->vals, (size_t)c * m->value_size);
		if (!k)
			return -ENOMEM;
		m->vals = k;
		*cap = c;
	}
	memcpy(m->keys + (size_t)m->nfill * m->key_size, key, m->key_size);
	memcpy(m->vals + (size_t)m->nfill * m->value_size, val, m->value_size);
	m->nfill++;
	return 0;
}

/* The counters start at what the rules say (`counter packets N bytes
 * M`); a chain nf_tables runs keeps its counts in its own counter
 * expressions, so not here as well. */
static int counters(struct bw_map_specs *s, const struct bw_ir *ir)
{
	struct bw_map_spec *m;
	uint32_t cap = 0;
	bool *in_nft;
	int err = 0;

	m = spec_add(s, BW_MAP_COUNTERS, BPF_MAP_TYPE_PERCPU_ARRAY,
		     "bw_counters", sizeof(uint32_t), sizeof(struct bw_counter),
		     ir->nhandle, 0);
	in_nft = calloc(ir->nchain ? ir->nchain : 1, sizeof(*in_nft));
	if (!m || !in_nft) {
		free(in_nft);
		return -ENOMEM;
	}
	snprintf(m->what, sizeof(m->what), "the counters");
	bw_build_in_nft(ir, in_nft);
	for (uint32_t c = 0; c < ir->nchain && !err; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];

		for (uint32_t r = 0; !in_nft[c] && r < ch->nrule && !err; r++) {
			const struct bw_ir_rule *ru = &ch->rule[r];
			struct bw_counter v = {
				.packets = ru->counter_packets,
				.bytes = ru->counter_bytes,
			};

			if (!ru->counter || (!v.packets && !v.bytes) ||
			    ru->handle >= ir->nhandle)
				continue;
			err = fill_add(m, &cap, &ru->handle, &v);
		}
	}
	free(in_nft);
	return err;
}

static int lookups(struct bw_map_specs *s, const struct bw_opt_plan *plan)
{
	for (uint32_t i = 0; plan && i < plan->nmap; i++) {
		const struct bw_lookup_map *lm = &plan->map[i];
		uint32_t vsize = bw_lookup_map_vsize(lm);
		struct bw_map_spec *m;
		char name[16];

		snprintf(name, sizeof(name), "bw_lk_%u", i % 100000000u);
		m = spec_add(s, (int32_t)(BW_MAP__MAX + i),
			     lm->flat ? BPF_MAP_TYPE_ARRAY :
			     lm->lpm ? BPF_MAP_TYPE_LPM_TRIE : BPF_MAP_TYPE_HASH,
			     name, lm->key_size, vsize, lm->nentries,
			     lm->lpm ? BPF_F_NO_PREALLOC : 0);
		if (!m)
			return -ENOMEM;
		snprintf(m->what, sizeof(m->what), "%s %u",
			 lm->flat ? "the classifier's table" : "lookup map", i);
		s->nlookup++;
		if (!lm->nentries)
			continue;
		m->keys = malloc((size_t)lm->nentries * lm->key_size);
		m->vals = malloc((size_t)lm->nentries * vsize);
		if (!m->keys || !m->vals)
			return -ENOMEM;
		memcpy(m->keys, lm->keys, (size_t)lm->nentries * lm->key_size);
		memcpy(m->vals, bw_lookup_map_vals(lm), (size_t)lm->nentries * vsize);
		m->nfill = lm->nentries;
	}
	return 0;
}

struct set_fill {
	struct bw_map_specs *s;
	uint32_t base;			/* ...at s->spec[base] */
	uint32_t *cap;			/* per table */
};

static int set_entry(void *arg, uint32_t table, const uint8_t *key,
		     const struct bw_set_value *v)
{
	struct set_fill *f = arg;

	return fill_add(&f->s->spec[f->base + table], &f->cap[table], key, v);
}

/* Every table of every set (setmap.h), filled with the IR's elements;
 * named sets grow with add element: allocated as they do. */
static int sets(struct bw_map_specs *s, const struct bw_ir *ir)
{
	for (uint32_t si = 0; si < ir->nset; si++) {
		const struct bw_ir_set *set = &ir->set[si];
		uint32_t cap[BW_SET_TABLES_MAX] = { 0 };
		struct set_fill f = { .s = s, .cap = cap };
		struct bw_set_layout l;
		int err = bw_set_layout(set, &l);

		if (err)
			return err;
		f.base = s->n;
		for (uint32_t t = 0; t < l.ntable; t++) {
			const struct bw_set_table *tb = &l.table[t];
			struct bw_map_spec *m;
			char name[16];

			snprintf(name, sizeof(name), "bw_set_%u",
				 s->nset % 10000000u);
			m = spec_add(s, (int32_t)(BW_MAP_SET_BASE + s->nset),
				     tb->lpm ? BPF_MAP_TYPE_LPM_TRIE :
				     BPF_MAP_TYPE_HASH, name, tb->key_size,
				     sizeof(struct bw_set_value),
				     tb->max_entries,
				     tb->lpm || set->name ? BPF_F_NO_PREALLOC : 0);
			if (!m)
				return -ENOMEM;
			if (set->name)
				snprintf(m->what, sizeof(m->what), "the map of set %s",
					 set->name);
			else
				snprintf(m->what, sizeof(m->what),
					 "the map of an anonymous set");
			s->nset++;
		}
		for (uint32_t i = 0; i < set->nelem; i++) {
			err = bw_set_elem_entries(set, &l, &set->elem[i],
						  set_entry, &f);
			if (err)
				return err;
		}
	}
	return 0;
}

int bw_map_specs_build(const struct bw_ir *ir, const struct bw_opt_plan *plan,
		       bool trace, struct bw_map_specs **out)
{
	struct bw_map_specs *s = calloc(1, sizeof(*s));
	struct bw_map_spec *m;
	int err = -ENOMEM;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	if (counters(s, ir))
		goto fail;
	m = spec_add(s, BW_MAP_REASONS, BPF_MAP_TYPE_PERCPU_ARRAY, "bw_reasons",
		     sizeof(uint32_t), sizeof(uint64_t), BW_REASONS_SLOTS, 0);
	if (!m)
		goto fail;
	snprintf(m->what, sizeof(m->what), "the drop reasons");
	if (trace) {
		m = spec_add(s, BW_MAP_TRACE, BPF_MAP_TYPE_ARRAY, "bw_trace",
			     sizeof(uint32_t), sizeof(uint32_t), 1, 0);
		if (!m)
			goto fail;
		snprintf(m->what, sizeof(m->what), "the trace slot");
	}
	/* limits start within their rate: arrival time 0; the quotas (in
	 * the slots after them) with the bytes given as used */
	if (ir->nlimit || ir->nquota) {
		uint32_t cap = 0;

		m = spec_add(s, BW_MAP_LIMITS, BPF_MAP_TYPE_ARRAY, "bw_limits",
			     sizeof(uint32_t), sizeof(uint64_t),
			     ir->nlimit + ir->nquota, 0);
		if (!m)
			goto fail;
		snprintf(m->what, sizeof(m->what), "the limits and quotas");
		for (uint32_t i = 0; i < ir->nquota; i++) {
			uint32_t key = bw_ir_quota_slot(ir, i);

			if (ir->quota[i].used &&
			    fill_add(m, &cap, &key, &ir->quota[i].used))
				goto fail;
		}
	}
	if (ir->nlog) {
		m = spec_add(s, BW_MAP_LOG, BPF_MAP_TYPE_RINGBUF, "bw_log", 0, 0,
			     BW_LOG_RINGBUF_SIZE, 0);
		if (!m)
			goto fail;
		m->shared = true;
		snprintf(m->what, sizeof(m->what), "the log ring");
	}
	if (bw_ir_uses_field(ir, BW_F_CT_STATE)) {
		m = spec_add(s, BW_MAP_CT, BPF_MAP_TYPE_LRU_HASH, "bw_conntrack",
			     sizeof(struct bw_ct_key), sizeof(struct bw_ct_value),
			     BW_CT_MAX_ENTRIES, 0);
		if (!m)
			goto fail;
		m->shared = true;
		snprintf(m->what, sizeof(m->what), "the conntrack map");
	}
	if (lookups(s, plan))
		goto fail;
	err = sets(s, ir);
	if (err)
		goto fail;
	*out = s;
	return 0;
fail:
	bw_map_specs_free(&s);
	return err;
}

void bw_map_specs_free(struct bw_map_specs **p)
{
	struct bw_map_specs *s = *p;

	if (!s)
		return;
	for (uint32_t i = 0; i < s->n; i++) {
		free(s->spec[i].keys);
		free(s->spec[i].vals);
	}
	free(s->spec);
	free(s);
	*p = NULL;
}
