// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interpreter's sets that rules change (dynset.h): a plain array of
 * keys per set, searched in order; verdict tests hold a few elements.
 */
#include <stdlib.h>
#include <string.h>

#include "dynset.h"
#include "compiler/front/setmap.h"

struct dset {
	bool init;			/* the IR's elements copied in */
	uint32_t n, cap;
	uint8_t *keys;			/* n keys of the set's keylen bytes */
	uint8_t *vals;			/* a map of data: n values, each
					 * BW_DMAP_VAL bytes (setelem data) */
};

struct bw_interp_sets {
	uint32_t nset;
	struct dset *set;
};

static struct dset *dset_of(struct bw_interp_sets **sets, const struct bw_ir *ir,
			    uint32_t si)
{
	const struct bw_ir_set *s = &ir->set[si];
	struct dset *d;

	if (!*sets) {
		*sets = calloc(1, sizeof(**sets));
		if (!*sets)
			return NULL;
		(*sets)->set = calloc(ir->nset ? ir->nset : 1, sizeof(struct dset));
		if (!(*sets)->set) {
			free(*sets);
			*sets = NULL;
			return NULL;
		}
		(*sets)->nset = ir->nset;
	}
	if (si >= (*sets)->nset)
		return NULL;
	d = &(*sets)->set[si];
	if (d->init)
		return d;
	d->keys = malloc((size_t)(s->nelem ? s->nelem : 1) * s->keylen);
	d->vals = malloc((size_t)(s->nelem ? s->nelem : 1) * BW_DMAP_VAL);
	if (!d->keys || !d->vals) {
		free(d->keys);
		free(d->vals);
		d->keys = d->vals = NULL;
		return NULL;
	}
	for (uint32_t i = 0; i < s->nelem; i++) {
		memcpy(d->keys + (size_t)i * s->keylen, s->elem[i].lo, s->keylen);
		memcpy(d->vals + (size_t)i * BW_DMAP_VAL, s->elem[i].data,
		       BW_DMAP_VAL);
	}
	d->n = s->nelem;
	d->cap = s->nelem ? s->nelem : 1;
	d->init = true;
	return d;
}

static int64_t find(const struct dset *d, uint32_t keylen, const uint8_t *key)
{
	for (uint32_t i = 0; i < d->n; i++)
		if (!memcmp(d->keys + (size_t)i * keylen, key, keylen))
			return i;
	return -1;
}

bool bw_interp_dset_has(struct bw_interp_sets **sets, const struct bw_ir *ir,
			uint32_t si, const uint8_t *key)
{
	struct dset *d = dset_of(sets, ir, si);

	if (!d)	/* out of memory: the elements as loaded */
		return bw_ir_set_find(&ir->set[si], key) != NULL;
	return find(d, ir->set[si].keylen, key) >= 0;
}

bool bw_interp_dset_apply(struct bw_interp_sets **sets, const struct bw_ir *ir,
			  const struct bw_ir_dynset *dy, const uint8_t *key)
{
	return bw_interp_dmap_apply(sets, ir, dy, key, NULL);
}

bool bw_interp_dmap_get(struct bw_interp_sets **sets, const struct bw_ir *ir,
			uint32_t si, const uint8_t *key, uint8_t *val)
{
	struct dset *d = dset_of(sets, ir, si);
	const struct bw_ir_setelem *e;
	int64_t at;

	if (!d) {	/* out of memory: the elements as loaded */
		e = bw_ir_set_find(&ir->set[si], key);
		if (e)
			memcpy(val, e->data, BW_DMAP_VAL);
		return e != NULL;
	}
	at = find(d, ir->set[si].keylen, key);
	if (at < 0)
		return false;
	memcpy(val, d->vals + (size_t)at * BW_DMAP_VAL, BW_DMAP_VAL);
	return true;
}

bool bw_interp_dmap_apply(struct bw_interp_sets **sets, const struct bw_ir *ir,
			  const struct bw_ir_dynset *dy, const uint8_t *key,
			  const uint8_t *val)
{
	const struct bw_ir_set *s = &ir->set[dy->key.set];
	uint32_t size = s->size ? s->size : BW_SET_DEFAULT_SIZE;
	struct dset *d = dset_of(sets, ir, dy->key.set);
	int64_t at;

	if (!d)
		return true;
	at = find(d, s->keylen, key);
	if (dy->op == BW_DYNSET_DELETE) {
		if (at >= 0) {
			memmove(d->keys + (size_t)at * s->keylen,
				d->keys + (size_t)(at + 1) * s->keylen,
				(size_t)(d->n - (uint32_t)at - 1) * s->keylen);
			d->n--;
		}
		return true;
	}
	if (at >= 0)
		return true;	/* there: add and update both hold */
	if (d->n >= size)
		return false;	/* full: the rule stops */
	if (d->n == d->cap) {
		uint8_t *k = reallocarray(d->keys, 2 * (size_t)d->cap, s->keylen);
		uint8_t *v;

		if (!k)
			return true;
		d->keys = k;
		v = reallocarray(d->vals, 2 * (size_t)d->cap, BW_DMAP_VAL);
		if (!v)
			return true;
		d->vals = v;
		d->cap *= 2;
	}
	/* a new element only: the kernel's add and update keep the value
	 * of one that is there */
	memset(d->vals + (size_t)d->n * BW_DMAP_VAL, 0, BW_DMAP_VAL);
	if (val)
		memcpy(d->vals + (size_t)d->n * BW_DMAP_VAL, val, BW_DMAP_VAL);
	memcpy(d->keys + (size_t)d->n++ * s->keylen, key, s->keylen);
	return true;
}

void bw_interp_sets_free(struct bw_interp_sets **p)
{
	if (!*p)
		return;
	for (uint32_t i = 0; i < (*p)->nset; i++) {
		free((*p)->set[i].keys);
		free((*p)->set[i].vals);
	}
	free((*p)->set);
	free(*p);
	*p = NULL;
}
