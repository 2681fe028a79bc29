// SPDX-License-Identifier: GPL-2.0-only
/* Sets and maps as BPF map tables (see setmap.h). */
#include <errno.h>
#include <string.h>

#include "setmap.h"

#define LPM_HDR	4		/* struct bpf_lpm_trie_key: u32 prefixlen */
#define KEY_MAX	48		/* the stack area codegen builds keys in */

typedef unsigned __int128 u128;

/* Where a component of this size may sit: aligned for the widest copy
 * of it (the view keeps addresses 8-aligned). */
static uint32_t align_of(uint32_t size)
{
	switch (size) {
	case 1: return 1;
	case 2: case 6: return 2;
	case 16: return 8;
	default: return 4;
	}
}

static uint32_t align_up(uint32_t x, uint32_t a)
{
	return (x + a - 1) / a * a;
}

static uint32_t csize(const struct bw_ir_set *s, uint32_t k)
{
	return bw_field(s->key[k])->size;
}

/* Is component k of e one value? */
static bool comp_exact(const struct bw_ir_set *s, const struct bw_ir_setelem *e,
		       uint32_t k)
{
	uint32_t off = bw_ir_set_keyoff(s, k);

	return !memcmp(e->lo + off, e->hi + off, csize(s, k));
}

/* Lay out one table: components in order, range_key (if >= 0) last. */
static int table_init(const struct bw_ir_set *s, struct bw_set_table *t,
		      bool lpm, int32_t range_key)
{
	uint32_t o = lpm ? LPM_HDR : 0;

	memset(t, 0, sizeof(*t));
	t->lpm = lpm;
	t->range_key = range_key;
	for (uint32_t k = 0; k < s->nkey; k++) {
		if ((int32_t)k == range_key)
			continue;
		o = align_up(o, align_of(csize(s, k)));
		t->off[k] = o;
		o += csize(s, k);
	}
	if (range_key >= 0) {
		o = align_up(o, align_of(csize(s, (uint32_t)range_key)));
		t->off[range_key] = o;
		o += csize(s, (uint32_t)range_key);
	}
	t->key_size = lpm ? o : align_up(o, 4);
	return t->key_size <= KEY_MAX ? 0 : -E2BIG;
}

int bw_set_elem_table(const struct bw_ir_set *s, const struct bw_ir_setelem *e,
		      const char **why)
{
	int32_t range = -1;
	uint32_t nrange = 0;

	for (uint32_t k = 0; k < s->nkey; k++) {
		if (comp_exact(s, e, k))
			continue;
		nrange++;
		if (range < 0)
			range = (int32_t)k;
	}
	if (range >= 0 && !s->interval) {
		*why = "a prefix or range needs flags interval";
		return -EINVAL;
	}
	if (nrange > 1 && s->name) {
		*why = "a named set or map stores at most one prefix or range per element of a concatenation (bpfwall tests elements with more in the rule's code: literal sets only)";
		return -EINVAL;
	}
	if (nrange > 1)
		return BW_SET_ELEM_SCAN;
	/* one component: every element goes to the one LPM trie */
	if (s->interval && s->nkey == 1)
		return 0;
	return range;	/* -1: the hash table; else its LPM trie */
}

bool bw_set_elem_scan(const struct bw_ir_set *s, const struct bw_ir_setelem *e)
{
	const char *why;

	return bw_set_elem_table(s, e, &why) == BW_SET_ELEM_SCAN;
}

/* Index of the table for range component k (-1: the hash table). */
static int32_t table_of(const struct bw_set_layout *l, int32_t k)
{
	for (uint32_t t = 0; t < l->ntable; t++)
		if (l->table[t].range_key == k)
			return (int32_t)t;
	return -1;
}

int bw_set_layout(const struct bw_ir_set *s, struct bw_set_layout *out)
{
	bool used[BW_SET_MAX_KEYS + 1] = { false };
	const char *why;
	int err;

	memset(out, 0, sizeof(*out));
	if (!s->interval) {
		out->ntable = 1;
		err = table_init(s, &out->table[0], false, -1);
	} else if (s->nkey == 1) {
		out->ntable = 1;
		err = table_init(s, &out->table[0], true, 0);
	} else {
		/* named sets: every table (add element); anonymous ones:
		 * the tables their elements need */
		bool scan = false;

		for (uint32_t i = 0; i < s->nelem; i++) {
			int t = bw_set_elem_table(s, &s->elem[i], &why);

			if (t == BW_SET_ELEM_SCAN)
				scan = true;
			else if (t >= -1)
				used[t + 1] = true;
		}
		err = 0;
		for (int32_t k = -1; k < (int32_t)s->nkey && !err; k++) {
			if (!s->name && !used[k + 1])
				continue;
			err = table_init(s, &out->table[out->ntable++], k >= 0, k);
		}
		/* an empty anonymous set; one whose elements are all tested
		 * in the rule's code has no table */
		if (!out->ntable && !scan)
			err = table_init(s, &out->table[out->ntable++], false, -1);
	}
	if (err)
		return err;
	for (uint32_t i = 0; i < s->nelem; i++) {
		int t = bw_set_elem_table(s, &s->elem[i], &why);
		int32_t ti = s->interval && s->nkey == 1 ? 0 : table_of(out, t);

		if (t < -1 || t == BW_SET_ELEM_SCAN || ti < 0)
			continue;
		if (out->table[ti].lpm) {
			/* count the prefixes of the range */
			uint32_t n = 0;

			bw_set_elem_entries(s, out, &s->elem[i], NULL, &n);
			out->table[ti].nentries += n;
		} else {
			out->table[ti].nentries++;
		}
	}
	for (uint32_t t = 0; t < out->ntable; t++) {
		uint32_t n = out->table[t].nentries, max;

		max = s->name ? (s->size ? s->size : BW_SET_DEFAULT_SIZE) : 1;
		out->table[t].max_entries = n > max ? n : max;
	}
	return 0;
}

uint32_t bw_set_table_base(const struct bw_ir *ir, uint32_t si)
{
	struct bw_set_layout l;
	uint32_t base = 0;

	for (uint32_t i = 0; i < si && i < ir->nset; i++)
		if (!bw_set_layout(&ir->set[i], &l))
			base += l.ntable;
	return base;
}

static u128 get_be(const uint8_t *b, uint32_t n)
{
	u128 x = 0;

	for (uint32_t i = 0; i < n; i++)
		x = x << 8 | b[i];
	return x;
}

static void put_be(uint8_t *b, uint32_t n, u128 x)
{
	for (uint32_t i = n; i-- > 0; x >>= 8)
		b[i] = (uint8_t)x;
}

int bw_set_elem_entries(const struct bw_ir_set *s, const struct bw_set_layout *l,
			const struct bw_ir_setelem *e, bw_set_entry_fn fn,
			void *arg)
{
	struct bw_set_value v = { .verdict = s->map ? (uint32_t)e->verdict : 0,
				  .target = e->target,
				  .timeout_ms = e->timeout_ms,
				  .expires = (uint64_t)(e->timeout_ms ? e->timeout_ms :
							s->timeout_ms) * 1000000 };
	const struct bw_set_table *t;
	uint8_t key[KEY_MAX];
	const char *why;
	int tk = bw_set_elem_table(s, e, &why), ti;
	uint32_t rk, w, bits, base, *count = fn ? NULL : arg;
	u128 lo, hi;

	if (tk < -1)
		return -EINVAL;
	if (tk == BW_SET_ELEM_SCAN)
		return 0;	/* no entry: the rule's code tests it */
	ti = s->interval && s->nkey == 1 ? 0 : table_of(l, tk);
	if (ti < 0)
		return -EINVAL;
	t = &l->table[ti];
	memset(key, 0, sizeof(key));
	for (uint32_t k = 0; k < s->nkey; k++)
		memcpy(key + t->off[k], e->lo + bw_ir_set_keyoff(s, k), csize(s, k));
	if (!t->lpm) {
		if (count)
			(*count)++;
		return fn ? fn(arg, (uint32_t)ti, key, &v) : 0;
	}
	/* a range of the last component: the prefixes that cover it */
	rk = (uint32_t)t->range_key;
	w = csize(s, rk);
	bits = 8 * w;
	base = 8 * (t->off[rk] - LPM_HDR);
	lo = get_be(e->lo + bw_ir_set_keyoff(s, rk), w);
	hi = get_be(e->hi + bw_ir_set_keyoff(s, rk), w);
	for (;;) {
		u128 span = hi - lo, m;
		uint32_t k = 0, plen;	/* a block of 2^k values from lo */
		int err;

		for (; k < bits; k++) {
			m = k + 1 >= 128 ? ~(u128)0 : (((u128)1 << (k + 1)) - 1);
			if ((lo & m) || m > span)
				break;
		}
		put_be(key + t->off[rk], w, lo);
		plen = base + bits - k;
		memcpy(key, &plen, LPM_HDR);
		if (count) {
			(*count)++;
		} else {
			err = fn(arg, (uint32_t)ti, key, &v);
			if (err)
				return err;
		}
		v.flags |= BW_SET_F_CONT;	/* the prefixes after the first */
		m = k >= 128 ? ~(u128)0 : (((u128)1 << k) - 1);
		if (k >= bits || m == span)
			break;
		lo += m + 1;
	}
	return 0;
}

void bw_set_entry_elem(const struct bw_ir_set *s, const struct bw_set_layout *l,
		       uint32_t table, const uint8_t *key,
		       const struct bw_set_value *v, struct bw_ir_setelem *e)
{
	const struct bw_set_table *t = &l->table[table];

	memset(e, 0, sizeof(*e));
	for (uint32_t k = 0; k < s->nkey; k++) {
		uint32_t off = bw_ir_set_keyoff(s, k);

		memcpy(e->lo + off, key + t->off[k], csize(s, k));
		memcpy(e->hi + off, key + t->off[k], csize(s, k));
	}
	if (t->lpm && t->range_key >= 0) {
		uint32_t rk = (uint32_t)t->range_key, w = csize(s, rk), plen;
		uint32_t base = 8 * (t->off[rk] - LPM_HDR), host;

		memcpy(&plen, key, LPM_HDR);
		host = plen >= base + 8 * w ? 0 : base + 8 * w - plen;
		if (host) {
			u128 lo = get_be(key + t->off[rk], w);
			u128 m = host >= 128 ? ~(u128)0 : (((u128)1 << host) - 1);

			put_be(e->lo + bw_ir_set_keyoff(s, rk), w, lo & ~m);
			put_be(e->hi + bw_ir_set_keyoff(s, rk), w, lo | m);
		}
	}
	if (s->map) {
		e->verdict = (enum bw_verdict)v->verdict;
		e->target = v->target;
	}
	e->cont = v->flags & BW_SET_F_CONT;
	e->timeout_ms = v->timeout_ms;
}
