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
	/* a set with timeouts: each key's expiry on the caller's clock (0
	 * never), and when the IR's elements were loaded (its first use) */
	uint64_t *exp;
	uint64_t load_ns;
};

struct bw_interp_sets {
	uint32_t nset;
	struct dset *set;
};

static struct dset *dset_of(struct bw_interp_sets **sets, const struct bw_ir *ir,
			    uint32_t si, uint64_t now)
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
	d->exp = calloc(s->nelem ? s->nelem : 1, sizeof(*d->exp));
	if (!d->keys || !d->vals || !d->exp) {
		free(d->keys);
		free(d->vals);
		free(d->exp);
		d->keys = d->vals = NULL;
		d->exp = NULL;
		return NULL;
	}
	d->load_ns = now;
	for (uint32_t i = 0; i < s->nelem; i++) {
		uint32_t t = s->elem[i].timeout_ms ? s->elem[i].timeout_ms :
			     s->timeout_ms;

		memcpy(d->keys + (size_t)i * s->keylen, s->elem[i].lo, s->keylen);
		memcpy(d->vals + (size_t)i * BW_DMAP_VAL, s->elem[i].data,
		       BW_DMAP_VAL);
		d->exp[i] = t ? now + (uint64_t)t * 1000000 : 0;
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

/* Has key i expired at now (a set with timeouts)? */
static bool expired(const struct dset *d, int64_t i, uint64_t now)
{
	return i >= 0 && d->exp[i] && now >= d->exp[i];
}

static void drop(struct dset *d, uint32_t keylen, int64_t at)
{
	memmove(d->keys + (size_t)at * keylen, d->keys + (size_t)(at + 1) * keylen,
		(size_t)(d->n - (uint32_t)at - 1) * keylen);
	memmove(d->vals + (size_t)at * BW_DMAP_VAL,
		d->vals + (size_t)(at + 1) * BW_DMAP_VAL,
		(size_t)(d->n - (uint32_t)at - 1) * BW_DMAP_VAL);
	memmove(d->exp + at, d->exp + at + 1,
		(size_t)(d->n - (uint32_t)at - 1) * sizeof(*d->exp));
	d->n--;
}

bool bw_interp_dset_has(struct bw_interp_sets **sets, const struct bw_ir *ir,
			uint32_t si, const uint8_t *key, uint64_t now)
{
	struct dset *d = dset_of(sets, ir, si, now);
	int64_t at;

	if (!d)	/* out of memory: the elements as loaded */
		return bw_ir_set_find(&ir->set[si], key) != NULL;
	at = find(d, ir->set[si].keylen, key);
	return at >= 0 && !expired(d, at, now);
}

bool bw_interp_dset_loaded_expired(struct bw_interp_sets **sets,
				   const struct bw_ir *ir, uint32_t si,
				   const struct bw_ir_setelem *x, uint64_t now)
{
	struct dset *d = dset_of(sets, ir, si, now);
	const struct bw_ir_set *s = &ir->set[si];
	uint32_t t = x->timeout_ms ? x->timeout_ms : s->timeout_ms;

	return d && t && now >= d->load_ns + (uint64_t)t * 1000000;
}

bool bw_interp_dset_apply(struct bw_interp_sets **sets, const struct bw_ir *ir,
			  const struct bw_ir_dynset *dy, const uint8_t *key,
			  uint64_t now)
{
	return bw_interp_dmap_apply(sets, ir, dy, key, NULL, now);
}

bool bw_interp_dmap_get(struct bw_interp_sets **sets, const struct bw_ir *ir,
			uint32_t si, const uint8_t *key, uint8_t *val, uint64_t now)
{
	struct dset *d = dset_of(sets, ir, si, now);
	const struct bw_ir_setelem *e;
	int64_t at;

	if (!d) {	/* out of memory: the elements as loaded */
		e = bw_ir_set_find(&ir->set[si], key);
		if (e)
			memcpy(val, e->data, BW_DMAP_VAL);
		return e != NULL;
	}
	at = find(d, ir->set[si].keylen, key);
	if (at < 0 || expired(d, at, now))
		return false;
	memcpy(val, d->vals + (size_t)at * BW_DMAP_VAL, BW_DMAP_VAL);
	return true;
}

bool bw_interp_dmap_apply(struct bw_interp_sets **sets, const struct bw_ir *ir,
			  const struct bw_ir_dynset *dy, const uint8_t *key,
			  const uint8_t *val, uint64_t now)
{
	const struct bw_ir_set *s = &ir->set[dy->key.set];
	uint32_t size = s->size ? s->size : BW_SET_DEFAULT_SIZE;
	struct dset *d = dset_of(sets, ir, dy->key.set, now);
	uint64_t exp = dy->timeout_ms ? now + (uint64_t)dy->timeout_ms * 1000000 : 0;
	int64_t at;

	if (!d)
		return true;
	at = find(d, s->keylen, key);
	if (dy->op == BW_DYNSET_DELETE) {
		if (at >= 0)
			drop(d, s->keylen, at);
		return true;
	}
	if (at >= 0 && (dy->op == BW_DYNSET_UPDATE || expired(d, at, now))) {
		d->exp[at] = exp;	/* update refreshes; an expired one is
					 * added again */
		return true;
	}
	if (at >= 0)
		return true;	/* there: add holds */
	if (d->n >= size)
		return false;	/* full: the rule stops */
	if (d->n == d->cap) {
		uint8_t *k = reallocarray(d->keys, 2 * (size_t)d->cap, s->keylen);
		uint8_t *v;
		uint64_t *x;

		if (!k)
			return true;
		d->keys = k;
		v = reallocarray(d->vals, 2 * (size_t)d->cap, BW_DMAP_VAL);
		if (!v)
			return true;
		d->vals = v;
		x = reallocarray(d->exp, 2 * (size_t)d->cap, sizeof(*x));
		if (!x)
			return true;
		d->exp = x;
		d->cap *= 2;
	}
	/* a new element only: the kernel's add and update keep the value
	 * of one that is there */
	memset(d->vals + (size_t)d->n * BW_DMAP_VAL, 0, BW_DMAP_VAL);
	if (val)
		memcpy(d->vals + (size_t)d->n * BW_DMAP_VAL, val, BW_DMAP_VAL);
	d->exp[d->n] = exp;
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
		free((*p)->set[i].exp);
	}
	free((*p)->set);
	free(*p);
	*p = NULL;
}
