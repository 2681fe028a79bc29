// SPDX-License-Identifier: GPL-2.0-only
/*
 * A set's elements as nft's JSON, in nft's order (by value, intervals
 * and prefixes merged as nft lists them).
 * json_print.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json.h"
#include "compiler/front/fwd.h"
#include "compiler/front/tunnel.h"
#include "compiler/front/prio.h"
#include "compiler/front/evaluate.h"
#include "compiler/front/valexpr.h"
#include "json_int.h"
#include "json_print_int.h"
#include "compiler/front/xfrm.h"

static json_t *range_prefix(const struct bw_ast_expr *e, const struct type_row *t);

/* ---- set elements in nft's order: by value ---- */

#define KEYW 16			/* bytes per component of a sort key */

struct selem {
	const struct bw_ast_expr *e;
	uint8_t key[MAXCAT * KEYW];
};

/* The number a scalar stands for, big endian in k[KEYW]; false: unknown. */
static bool scalar_key(const struct bw_ast_expr *e, const struct type_row *t,
		       const struct bw_field *f, uint8_t *k)
{
	unsigned long long v;
	uint32_t u;
	char *end;

	memset(k, 0, KEYW);
	if (!f)
		f = bw_jp_type_field(t);
	switch (e->kind) {
	case BW_AE_NUMBER:
		v = strtoull(e->text, &end, 0);
		if (*end)
			return false;
		break;
	case BW_AE_ADDR:
		if (inet_pton(AF_INET, e->text, k + KEYW - 4) == 1 ||
		    inet_pton(AF_INET6, e->text, k) == 1)
			return true;
		return false;
	case BW_AE_SYMBOL:
		if (t && t->type == BW_T_INET_SERVICE) {
			struct servent *se = getservbyname(e->text, NULL);

			if (!se)
				return false;
			v = ntohs((uint16_t)se->s_port);
		} else if (t && t->type == BW_T_INET_PROTO) {
			struct protoent *pe = getprotobyname(e->text);

			v = 256;
			if (pe)
				v = (unsigned)pe->p_proto;
			for (unsigned n = 0; n < 256 && v == 256; n++)
				if (bw_eval_proto_name((uint8_t)n) &&
				    !strcmp(bw_eval_proto_name((uint8_t)n), e->text))
					v = n;
			if (v == 256)
				return false;
		} else if (f && !bw_eval_value_of(f, e->text, &u)) {
			v = u;
		} else {
			return false;
		}
		break;
	case BW_AE_PREFIX:
	case BW_AE_RANGE:
		return scalar_key(e->left, t, f, k);
	default:
		return false;
	}
	for (int i = KEYW - 1; i >= KEYW - 8; i--, v >>= 8)
		k[i] = (uint8_t)v;
	return true;
}

static bool elem_key(struct jp *p, const struct bw_ast_expr *e,
		     const struct type_row *const *t, unsigned nt, bool interval,
		     uint8_t *k)
{
	unsigned i = 0;

	if (e->kind == BW_AE_MAPELEM)
		e = e->left;
	if (e->kind != BW_AE_CONCAT)
		return nt && scalar_key(e, t[0], nt == 1 && t == p->field_t ?
					p->field : NULL, k);
	if (interval) {	/* part by part */
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next, i++)
			if (i >= nt || i >= MAXCAT ||
			    !scalar_key(x, t[i], NULL, k + i * KEYW))
				return false;
		return true;
	}
	/* a hash set: nft orders concatenations by their data registers
	 * (each part in network order, padded to 4 bytes) read as one
	 * little-endian number: the key is those bytes reversed */
	{
		uint8_t raw[MAXCAT * KEYW], one[KEYW];
		size_t len = 0;

		for (const struct bw_ast_expr *x = e->elems; x; x = x->next, i++) {
			const struct bw_field *f = i < nt ? bw_jp_type_field(t[i]) : NULL;
			size_t sz = f ? f->size : 0;

			if (!f || sz > KEYW || !scalar_key(x, t[i], NULL, one))
				return false;
			memcpy(raw + len, one + KEYW - sz, sz);
			len += sz;
			while (len % 4)
				raw[len++] = 0;
		}
		memset(k, 0, MAXCAT * KEYW);
		for (size_t j = 0; j < len; j++)
			k[j] = raw[len - 1 - j];
	}
	return true;
}

static int selem_cmp(const void *a, const void *b)
{
	return memcmp(((const struct selem *)a)->key, ((const struct selem *)b)->key,
		      MAXCAT * KEYW);
}

static void collect(const struct bw_ast_expr *set, struct selem **v, size_t *n,
		    size_t *cap)
{
	for (const struct bw_ast_expr *e = set->elems; e; e = e->next) {
		if (e->kind == BW_AE_SET) {
			collect(e, v, n, cap);
			continue;
		}
		if (*n == *cap) {
			struct selem *m = realloc(*v, (*cap ? *cap * 2 : 16) * sizeof(**v));

			if (!m)
				return;
			*v = m;
			*cap = *cap ? *cap * 2 : 16;
		}
		memset(&(*v)[*n], 0, sizeof(**v));
		(*v)[(*n)++].e = e;
	}
}

/* A range or a prefix in element e (an interval set's)? */
static bool has_interval(const struct bw_ast_expr *e)
{
	if (e->kind == BW_AE_MAPELEM)
		e = e->left;
	if (e->kind == BW_AE_RANGE || e->kind == BW_AE_PREFIX)
		return true;
	if (e->kind == BW_AE_CONCAT)
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			if (x->kind == BW_AE_RANGE || x->kind == BW_AE_PREFIX)
				return true;
	return false;
}

/* The elements of a set (nested sets flattened), sorted by value as nft
 * lists them; in the order written when a value is not known here.
 * interval: the set has the flag (or an element is a range). */
/* The last element of the run of adjacent values and ranges that starts at
 * v[i] (sorted): each begins at most one above the end so far. */
static size_t run_end(struct jp *p, const struct selem *v, size_t n, size_t i,
		      const struct type_row *const *t, size_t *top)
{
	uint8_t hi[KEYW], lo[KEYW];
	size_t j = i;

	*top = i;		/* the element whose end is the run's */
	if (v[i].e->kind == BW_AE_PREFIX ||
	    !scalar_key(v[i].e->kind == BW_AE_RANGE ? v[i].e->right : v[i].e,
			t[0], t == p->field_t ? p->field : NULL, hi))
		return i;
	while (j + 1 < n && v[j + 1].e->kind != BW_AE_PREFIX) {
		const struct bw_ast_expr *x = v[j + 1].e;
		uint8_t end[KEYW];
		int k;

		memcpy(lo, v[j + 1].key, KEYW);
		/* hi + 1, saturating */
		memcpy(end, hi, KEYW);
		for (k = KEYW - 1; k >= 0 && ++end[k] == 0; k--)
			;
		if (k < 0 || memcmp(lo, end, KEYW) > 0)
			break;
		if (!scalar_key(x->kind == BW_AE_RANGE ? x->right : x, t[0],
				t == p->field_t ? p->field : NULL, end))
			break;
		if (memcmp(end, hi, KEYW) > 0) {
			memcpy(hi, end, KEYW);
			*top = j + 1;
		}
		j++;
	}
	return j;
}

/* A map's catch-all element (`* : VALUE`) moved past the n others. */
static void catch_last(struct selem *v, size_t *n, size_t *ncatch)
{
	*ncatch = 0;
	for (size_t i = 0; i < *n; i++) {
		const struct bw_ast_expr *e = v[i].e;

		if (e->kind == BW_AE_MAPELEM && e->left->kind == BW_AE_SYMBOL &&
		    !strcmp(e->left->text, "*") && i + 1 < *n) {
			struct selem c = v[i];

			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			v[*n - 1] = c;
			(*n)--;
			(*ncatch)++;
			i--;
		} else if (e->kind == BW_AE_MAPELEM && e->left->kind == BW_AE_SYMBOL &&
			   !strcmp(e->left->text, "*")) {
			(*n)--;
			(*ncatch)++;
		}
	}
}

void bw_jp_set_elems(struct jp *p, json_t *a, const struct bw_ast_expr *set,
		     const struct type_row *const *t, unsigned nt, bool interval,
		     bool merge)
{
	struct selem *v = NULL;
	size_t n = 0, cap = 0, ncatch;
	bool sort = true;

	collect(set, &v, &n, &cap);
	catch_last(v, &n, &ncatch);
	for (size_t i = 0; i < n && !interval; i++)
		interval = has_interval(v[i].e);
	for (size_t i = 0; i < n && sort; i++)
		sort = elem_key(p, v[i].e, t, nt, interval, v[i].key);
	if (sort)
		qsort(v, n, sizeof(*v), selem_cmp);
	for (size_t i = 0; i < n + ncatch; i++) {
		if (i >= n) {		/* the catch-all, as nft lists it: last */
			json_array_append_new(a, bw_jp_value_of(p, v[i].e, t, nt));
			continue;
		}
		struct bw_ast_expr merged;
		const struct bw_ast_expr *e = v[i].e;
		json_t *x;
		size_t j, top = i;

		/* an anonymous interval set: nft merges adjacent elements
		 * into one range (values and ranges; a prefix stays) */
		j = merge && sort && interval && nt == 1 ? run_end(p, v, n, i, t, &top) : i;
		if (j > i) {
			memset(&merged, 0, sizeof(merged));
			merged.kind = BW_AE_RANGE;
			merged.loc = e->loc;
			merged.left = e->kind == BW_AE_RANGE ? e->left : (struct bw_ast_expr *)e;
			merged.right = v[top].e->kind == BW_AE_RANGE ? v[top].e->right :
				       (struct bw_ast_expr *)v[top].e;
			e = &merged;
			i = j;
		}
		/* an element that is an address range of one prefix: nft lists
		 * the prefix (a match's range stays a range) */
		x = e->kind == BW_AE_RANGE && nt == 1 && t[0] ? range_prefix(e, t[0]) : NULL;
		json_array_append_new(a, bw_jp_elem_timeout(x ? x : bw_jp_value_of(p, e, t, nt),
							    v[i].e));
	}
	free(v);
}

/* An address range that is one prefix, as nft lists it: {"prefix": ...}
 * (NULL: it is none). */
static json_t *range_prefix(const struct bw_ast_expr *e, const struct type_row *t)
{
	int af = t->type == BW_T_IPV4_ADDR ? AF_INET :
		 t->type == BW_T_IPV6_ADDR ? AF_INET6 : 0;
	size_t n = af == AF_INET ? 4 : 16;
	uint8_t lo[16], hi[16];
	unsigned len = 0;
	json_t *o;

	if (!af || e->left->kind != BW_AE_ADDR || e->right->kind != BW_AE_ADDR ||
	    inet_pton(af, e->left->text, lo) != 1 ||
	    inet_pton(af, e->right->text, hi) != 1)
		return NULL;
	/* lo and hi agree on the first len bits; then lo is all 0, hi all 1 */
	while (len < n * 8 && !((lo[len / 8] ^ hi[len / 8]) & (0x80 >> (len % 8))))
		len++;
	for (unsigned b = len; b < n * 8; b++)
		if ((lo[b / 8] & (0x80 >> (b % 8))) || !(hi[b / 8] & (0x80 >> (b % 8))))
			return NULL;
	if (len == n * 8)
		return NULL;	/* one address: a range of one stays */
	o = json_object();
	json_object_set_new(o, "addr", json_string(e->left->text));
	json_object_set_new(o, "len", json_integer(len));
	return bw_jp_wrap("prefix", o);
}
