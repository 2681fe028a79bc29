// SPDX-License-Identifier: GPL-2.0-only
/*
 * What `list ruleset` needs of a ruleset besides its text, as data the
 * build writes and the runtime pins with the state (runtime/pin.c,
 * state version 3): each named set's types, flags and map layout, and
 * the chain names a verdict map's elements jump to.  With it the
 * runtime reads the sets' maps back and prints their elements without
 * compiling the text again.
 *
 * Encoding (integers 32 bits little endian, a string its length then
 * its bytes):
 *   "BWLI" version
 *   nchain, each chain's name
 *   nset, per named set: index family interval map size name table
 *     nkey, per component: field proto, field name, field size
 *     ntable (0: its maps could not be made), per table: lpm range_key
 *     key_size max_entries off[nkey]
 *   then, where some set has timeouts (compiler/front/settimeout.h; a
 *   state written without them ends before): their number, per such
 *   set: index timeout_ms
 * A field is named, not numbered: field ids change between versions of
 * bpfwall, names do not.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "compiler/front/fields.h"

#define LIST_MAGIC	"BWLI"
#define LIST_VERSION	1u
#define LIST_MAX	(1u << 20)	/* chains, sets: a sanity bound */

struct wbuf {
	uint8_t *p;
	size_t len, cap;
	int err;
};

static void put(struct wbuf *w, const void *src, size_t n)
{
	if (w->err)
		return;
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		uint8_t *p;

		while (cap < w->len + n)
			cap *= 2;
		p = realloc(w->p, cap);
		if (!p) {
			w->err = -ENOMEM;
			return;
		}
		w->p = p;
		w->cap = cap;
	}
	memcpy(w->p + w->len, src, n);
	w->len += n;
}

static void put32(struct wbuf *w, uint32_t v)
{
	const uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8),
			       (uint8_t)(v >> 16), (uint8_t)(v >> 24) };

	put(w, b, sizeof(b));
}

static void putstr(struct wbuf *w, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put32(w, (uint32_t)n);
	put(w, s, n);
}

/* The sets' timeouts, after everything else (see the top). */
static void timeouts_put(struct wbuf *w, const struct bw_ir *ir)
{
	uint32_t n = 0;

	for (uint32_t si = 0; si < ir->nset; si++)
		n += ir->set[si].name && ir->set[si].timeout;
	if (!n)
		return;
	put32(w, n);
	for (uint32_t si = 0; si < ir->nset; si++)
		if (ir->set[si].name && ir->set[si].timeout) {
			put32(w, si);
			put32(w, ir->set[si].timeout_ms);
		}
}

int bw_build_list_encode(const struct bw_ir *ir, uint8_t **out, size_t *len)
{
	struct wbuf w = { 0 };
	uint32_t nnamed = 0;

	*out = NULL;
	*len = 0;
	put(&w, LIST_MAGIC, 4);
	put32(&w, LIST_VERSION);
	put32(&w, ir->nchain);
	for (uint32_t c = 0; c < ir->nchain; c++)
		putstr(&w, ir->chain[c].name);
	for (uint32_t si = 0; si < ir->nset; si++)
		nnamed += ir->set[si].name != NULL;
	put32(&w, nnamed);
	for (uint32_t si = 0; si < ir->nset && !w.err; si++) {
		const struct bw_ir_set *s = &ir->set[si];
		struct bw_set_layout l;

		if (!s->name)
			continue;
		/* a set whose maps cannot be made (the load says why): no
		 * tables, its elements listed as written */
		if (bw_set_layout(s, &l))
			l.ntable = 0;
		/* a map of data: its BPF maps hold the keys only, and the
		 * elements, which change with the ruleset only, are listed
		 * as written */
		if (s->ndata)
			l.ntable = 0;
		put32(&w, si);
		put32(&w, (uint32_t)s->family);
		put32(&w, s->interval);
		put32(&w, s->map);
		put32(&w, s->size);
		putstr(&w, s->name);
		putstr(&w, s->table);
		put32(&w, s->nkey);
		for (uint32_t k = 0; k < s->nkey; k++) {
			const struct bw_field *f = bw_field(s->key[k]);

			putstr(&w, f->proto);
			putstr(&w, f->name);
			put32(&w, f->size);
		}
		put32(&w, l.ntable);
		for (uint32_t t = 0; t < l.ntable; t++) {
			const struct bw_set_table *tb = &l.table[t];

			put32(&w, tb->lpm);
			put32(&w, (uint32_t)tb->range_key);
			put32(&w, tb->key_size);
			put32(&w, tb->max_entries);
			for (uint32_t k = 0; k < s->nkey; k++)
				put32(&w, tb->off[k]);
		}
	}
	timeouts_put(&w, ir);
	if (w.err) {
		free(w.p);
		return w.err;
	}
	*out = w.p;
	*len = w.len;
	return 0;
}

/* ---- reading it back ---- */

struct rbuf {
	const uint8_t *p;
	size_t len, off;
	bool bad;
};

static uint32_t get32(struct rbuf *r)
{
	const uint8_t *b = r->p + r->off;

	if (r->bad || r->len - r->off < 4) {
		r->bad = true;
		return 0;
	}
	r->off += 4;
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

/* A string (malloc'ed; NULL when damaged or out of memory: r->bad). */
static char *getstr(struct rbuf *r)
{
	uint32_t n = get32(r);
	char *s;

	if (r->bad || n > 4096 || r->len - r->off < n) {
		r->bad = true;
		return NULL;
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		r->bad = true;
		return NULL;
	}
	memcpy(s, r->p + r->off, n);
	s[n] = 0;
	r->off += n;
	return s;
}

/* The field named proto name of this size, by name (its id may differ
 * from the writer's); -1: this bpfwall has none. */
static int field_by_name(const char *proto, const char *name, uint32_t size)
{
	for (int i = 0; i < BW_F__MAX; i++)
		if (!strcmp(bw_fields[i].proto, proto) &&
		    !strcmp(bw_fields[i].name, name) && bw_fields[i].size == size)
			return i;
	return -1;
}

static int read_set(struct rbuf *r, struct bw_build_list *li, uint32_t *next)
{
	uint32_t si = get32(r);
	struct bw_ir_set *s;
	struct bw_set_layout *l;
	int err = 0;

	if (r->bad || si < *next || si >= li->ir->nset)
		return -EBADMSG;
	*next = si + 1;
	s = &li->ir->set[si];
	l = &li->layout[si];
	s->family = (enum bw_family)get32(r);
	s->interval = get32(r) != 0;
	s->map = get32(r) != 0;
	s->size = get32(r);
	s->name = getstr(r);
	s->table = getstr(r);
	s->nkey = get32(r);
	if (r->bad || !s->nkey || s->nkey > BW_SET_MAX_KEYS)
		return -EBADMSG;
	for (uint32_t k = 0; k < s->nkey; k++) {
		char *proto = getstr(r), *name = getstr(r);
		uint32_t size = get32(r);
		int f = r->bad ? -1 : field_by_name(proto, name, size);

		if (!r->bad && f < 0)
			err = -EPROTO;	/* a field this bpfwall lacks */
		else if (f >= 0)
			s->key[k] = (enum bw_field_id)f;
		s->keylen += size;
		free(proto);
		free(name);
	}
	l->ntable = get32(r);
	if (r->bad || l->ntable > BW_SET_TABLES_MAX ||
	    s->keylen > BW_SET_KEY_MAX)
		return -EBADMSG;
	for (uint32_t t = 0; t < l->ntable; t++) {
		struct bw_set_table *tb = &l->table[t];

		tb->lpm = get32(r) != 0;
		tb->range_key = (int32_t)get32(r);
		tb->key_size = get32(r);
		tb->max_entries = get32(r);
		for (uint32_t k = 0; k < s->nkey; k++)
			tb->off[k] = get32(r);
		if (tb->key_size > 64 || tb->range_key >= (int32_t)s->nkey)
			r->bad = true;
	}
	return r->bad ? -EBADMSG : err;
}

/* The sets' timeouts (see the top): 0 or -EBADMSG. */
static int timeouts_get(struct rbuf *r, struct bw_build_list *li)
{
	uint32_t n = get32(r);

	for (uint32_t i = 0; i < n && !r->bad; i++) {
		uint32_t si = get32(r), ms = get32(r);

		if (r->bad || si >= li->ir->nset)
			return -EBADMSG;
		li->ir->set[si].timeout = true;
		li->ir->set[si].timeout_ms = ms;
	}
	return r->bad ? -EBADMSG : 0;
}

int bw_build_list_decode(const uint8_t *p, size_t len,
			 struct bw_build_list **out)
{
	struct rbuf r = { .p = p, .len = len };
	struct bw_build_list *li;
	uint32_t nchain, nset, next = 0;
	int err = 0;

	*out = NULL;
	if (len < 8 || memcmp(p, LIST_MAGIC, 4))
		return -EBADMSG;
	r.off = 4;
	if (get32(&r) != LIST_VERSION)
		return -EPROTO;
	li = calloc(1, sizeof(*li));
	if (!li || !(li->ir = calloc(1, sizeof(*li->ir)))) {
		free(li);
		return -ENOMEM;
	}
	nchain = get32(&r);
	if (nchain > LIST_MAX || nchain > len)
		err = -EBADMSG;
	if (!err && nchain &&
	    !(li->ir->chain = calloc(nchain, sizeof(*li->ir->chain))))
		err = -ENOMEM;
	for (uint32_t c = 0; !err && c < nchain; c++) {
		li->ir->chain[li->ir->nchain++].name = getstr(&r);
		if (r.bad)
			err = -EBADMSG;
	}
	nset = err ? 0 : get32(&r);
	if (!err && (r.bad || nset > LIST_MAX || nset > len))
		err = -EBADMSG;
	/* the sets keep their indexes (their maps' pins, the text's
	 * markers): the array grows to the highest; the anonymous sets
	 * between stay empty */
	for (uint32_t i = 0; !err && i < nset; i++) {
		size_t at = r.off;
		uint32_t si = get32(&r);

		if (r.bad || si >= LIST_MAX) {
			err = -EBADMSG;
			break;
		}
		if (si >= li->ir->nset) {
			struct bw_ir_set *v = reallocarray(li->ir->set, si + 1,
							   sizeof(*v));
			struct bw_set_layout *lv = v ? reallocarray(li->layout,
				si + 1, sizeof(*lv)) : NULL;

			if (v)
				li->ir->set = v;
			if (!lv) {
				err = -ENOMEM;
				break;
			}
			li->layout = lv;
			memset(&v[li->ir->nset], 0,
			       (si + 1 - li->ir->nset) * sizeof(*v));
			memset(&lv[li->ir->nset], 0,
			       (si + 1 - li->ir->nset) * sizeof(*lv));
			li->ir->nset = si + 1;
		}
		r.off = at;
		err = read_set(&r, li, &next);
	}
	if (!err && r.off != len)
		err = timeouts_get(&r, li);
	if (!err && r.off != len)
		err = -EBADMSG;
	if (err) {
		bw_build_list_free(&li);
		return err;
	}
	*out = li;
	return 0;
}

void bw_build_list_free(struct bw_build_list **pli)
{
	struct bw_build_list *li = pli ? *pli : NULL;

	if (!li)
		return;
	bw_ir_free(&li->ir);
	free(li->layout);
	free(li);
	*pli = NULL;
}
