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
	if (!d->keys)
		return NULL;
	for (uint32_t i = 0; i < s->nelem; i++)
		memcpy(d->keys + (size_t)i * s->keylen, s->elem[i].lo, s->keylen);
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

		if (!k)
			return true;
		d->keys = k;
		d->cap *= 2;
	}
	memcpy(d->keys + (size_t)d->n++ * s->keylen, key, s->keylen);
	return true;
}

void bw_interp_sets_free(struct bw_interp_sets **p)
{
	if (!*p)
		return;
	for (uint32_t i = 0; i < (*p)->nset; i++)
		free((*p)->set[i].keys);
	free((*p)->set);
	free(*p);
	*p = NULL;
}
