// SPDX-License-Identifier: GPL-2.0-only
/* Partitions of mixed rules -> tuple space search (see classify.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

/* One way a rule can match: value and mask over the packet key, ports. */
struct atom {
	uint8_t val[BW_CLS_KEY];
	uint8_t mask[BW_CLS_KEY];	/* ports: 0 (the ranges decide) */
	uint16_t sp_lo, sp_hi, dp_lo, dp_hi;
	uint32_t rule;			/* position in the chain */
	uint32_t tuple;
};

/* ------------------------------------------------------------ rules */

static bool is_addr_field(enum bw_field_id f)
{
	return f == BW_F_IP_SADDR || f == BW_F_IP_DADDR;
}

static bool is_port_field(enum bw_field_id f)
{
	return f == BW_F_TCP_SPORT || f == BW_F_TCP_DPORT ||
	       f == BW_F_UDP_SPORT || f == BW_F_UDP_DPORT;
}

static bool is_proto_field(enum bw_field_id f)
{
	return f == BW_F_META_L4PROTO || f == BW_F_IP_PROTOCOL;
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	       (uint32_t)b[2] << 8 | b[3];
}

static void put_be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* Prefix length of a contiguous 32-bit mask, or -1. */
static int plen32(uint32_t m)
{
	int n = 0;

	while (n < 32 && (m & (0x80000000u >> n)))
		n++;
	if (n < 32 && (m << n))
		return -1;
	return n;
}

static uint32_t pmask(unsigned plen)
{
	return plen ? ~0u << (32 - plen) : 0;
}

/*
 * The prefixes that cover [lo, hi] exactly, smallest first; fn(arg,
 * addr, plen) for each.  Returns their number.
 */
static uint32_t range_prefixes(uint32_t lo, uint32_t hi,
			       void (*fn)(void *, uint32_t, unsigned), void *arg)
{
	uint64_t a = lo, end = (uint64_t)hi + 1;
	uint32_t n = 0;

	while (a < end) {
		unsigned plen = 32;

		/* the largest aligned block at a that fits */
		while (plen > 0) {
			uint64_t size = UINT64_C(1) << (32 - (plen - 1));

			if ((a & (size - 1)) || a + size > end)
				break;
			plen--;
		}
		if (fn)
			fn(arg, (uint32_t)a, plen);
		n++;
		a += UINT64_C(1) << (32 - plen);
	}
	return n;
}

/* How many alternatives element e of a match on field f gives, 0 when
 * the classifier cannot take it. */
static uint32_t elem_alts(enum bw_field_id f, const struct bw_ir_elem *e)
{
	if (is_addr_field(f)) {
		uint32_t m = be32(e->mask), lo = be32(e->lo), hi = be32(e->hi);
		int pl = plen32(m);

		if (pl < 0 || (lo & ~m) || (hi & ~m))
			return 0;
		if (lo == hi)
			return 1;
		if (m != ~0u || lo > hi)
			return 0;
		return range_prefixes(lo, hi, NULL, NULL);
	}
	if (is_port_field(f))
		return e->mask[0] == 0xff && e->mask[1] == 0xff &&
		       (e->lo[0] << 8 | e->lo[1]) <= (e->hi[0] << 8 | e->hi[1]);
	if (is_proto_field(f))
		return e->mask[0] == 0xff && e->lo[0] <= e->hi[0] &&
		       e->hi[0] - e->lo[0] < 16 ? (uint32_t)(e->hi[0] - e->lo[0] + 1) : 0;
	return 0;
}

static uint32_t match_alts(const struct bw_ir_match *m)
{
	uint32_t n = 0;

	if (m->neg || m->lookup || !m->nelem)
		return 0;
	for (uint32_t i = 0; i < m->nelem; i++) {
		uint32_t k = elem_alts(m->field, &m->elem[i]);

		if (!k)
			return 0;
		n += k;
	}
	return n;
}

bool bw_cls_rule_ok(const struct bw_ir_rule *r)
{
	uint64_t seen = 0, natom = 1;

	if (r->nstmt || !r->nmatch || r->nlead != r->nmatch ||
	    (r->verdict != BW_VERDICT_ACCEPT && r->verdict != BW_VERDICT_DROP))
		return false;
	for (uint32_t i = 0; i < r->nmatch; i++) {
		const struct bw_ir_match *m = &r->match[i];
		uint32_t k = match_alts(m);

		if (!k || (seen & (UINT64_C(1) << m->field)))
			return false;
		seen |= UINT64_C(1) << m->field;
		natom *= k;
		if (natom > BW_CLS_ATOMS_MAX)
			return false;
	}
	return true;
}

/* ------------------------------------------------------------ atoms */

struct atoms {
	struct atom *a;
	uint32_t n, cap;
};

static struct atom *atom_push(struct atoms *as)
{
	if (as->n == as->cap) {
		uint32_t ncap = as->cap ? as->cap * 2 : 256;
		void *na = realloc(as->a, (size_t)ncap * sizeof(*as->a));

		if (!na)
			return NULL;
		as->a = na;
		as->cap = ncap;
	}
	return &as->a[as->n++];
}

/* Require key bytes [off, off + n) & mask == val; false on a conflict. */
static bool require(struct atom *a, unsigned off, const uint8_t *val,
		    const uint8_t *mask, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint8_t both = a->mask[off + i] & mask[i];

		if ((a->val[off + i] & both) != (val[i] & both))
			return false;
		a->mask[off + i] |= mask[i];
		a->val[off + i] = (uint8_t)((a->val[off + i] & ~mask[i]) |
					    (val[i] & mask[i]));
	}
	return true;
}

static bool require_bits(struct atom *a, unsigned off, uint8_t v, uint8_t m)
{
	return require(a, off, &v, &m, 1);
}

static bool require_byte(struct atom *a, unsigned off, uint8_t v)
{
	return require_bits(a, off, v, 0xff);
}

static bool require_l3(struct atom *a, uint8_t l3)
{
	return require_bits(a, BW_CLS_K_L3, l3, BW_CLS_L3_MASK);
}

/* Alternative k of match m applied to a; false: the atom cannot match. */
struct alt_pick {
	struct atom *a;
	uint32_t want, at;
	bool ok;
	unsigned off;
};

static void pick_prefix(void *arg, uint32_t addr, unsigned plen)
{
	struct alt_pick *p = arg;
	uint8_t v[4], m[4];

	if (p->at++ != p->want)
		return;
	put_be32(v, addr);
	put_be32(m, pmask(plen));
	p->ok = require(p->a, p->off, v, m, 4);
}

static bool apply_alt(struct atom *a, const struct bw_ir_match *m, uint32_t k)
{
	enum bw_field_id f = m->field;

	for (uint32_t i = 0; i < m->nelem; i++) {
		const struct bw_ir_elem *e = &m->elem[i];
		uint32_t n = elem_alts(f, e);

		if (k >= n) {
			k -= n;
			continue;
		}
		if (is_addr_field(f)) {
			unsigned off = f == BW_F_IP_SADDR ? BW_CLS_K_SADDR :
				       BW_CLS_K_DADDR;
			struct alt_pick p = { a, k, 0, false, off };

			if (!require_l3(a, 4))
				return false;
			if (be32(e->lo) == be32(e->hi))
				return require(a, off, e->lo, e->mask, 4);
			range_prefixes(be32(e->lo), be32(e->hi), pick_prefix, &p);
			return p.ok;
		}
		if (is_proto_field(f)) {
			if (f == BW_F_IP_PROTOCOL &&
			    !require_l3(a, 4))
				return false;
			return require_byte(a, BW_CLS_K_PROTO,
					    (uint8_t)(e->lo[0] + k));
		} else {
			bool tcp = f == BW_F_TCP_SPORT || f == BW_F_TCP_DPORT;
			bool src = f == BW_F_TCP_SPORT || f == BW_F_UDP_SPORT;
			uint16_t lo = (uint16_t)(e->lo[0] << 8 | e->lo[1]);
			uint16_t hi = (uint16_t)(e->hi[0] << 8 | e->hi[1]);
			uint16_t *plo = src ? &a->sp_lo : &a->dp_lo;
			uint16_t *phi = src ? &a->sp_hi : &a->dp_hi;

			if (!require_byte(a, BW_CLS_K_PROTO, tcp ? 6 : 17) ||
			    !require_bits(a, BW_CLS_K_L3, BW_CLS_L4_BIT, BW_CLS_L4_BIT))
				return false;
			if (lo > *plo)
				*plo = lo;
			if (hi < *phi)
				*phi = hi;
			return *plo <= *phi;
		}
	}
	return false;
}

/* Every atom of rule r (position pos), appended to as. */
static int rule_atoms(struct atoms *as, const struct bw_ir_rule *r, uint32_t pos)
{
	uint32_t nalt[r->nmatch], idx[r->nmatch], total = 1;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		nalt[i] = match_alts(&r->match[i]);
		idx[i] = 0;
		total *= nalt[i];
	}
	for (uint32_t t = 0; t < total; t++) {
		struct atom a = { .sp_hi = 0xffff, .dp_hi = 0xffff, .rule = pos };
		bool ok = true;
		uint32_t rest = t;

		for (uint32_t i = 0; i < r->nmatch; i++) {
			idx[i] = rest % nalt[i];
			rest /= nalt[i];
		}
		for (uint32_t i = 0; ok && i < r->nmatch; i++)
			ok = apply_alt(&a, &r->match[i], idx[i]);
		if (!ok)
			continue;	/* contradictory: never matches */
		struct atom *na = atom_push(as);

		if (!na)
			return -ENOMEM;
		*na = a;
	}
	return 0;
}

/* ----------------------------------------------------- tuple choice */

/* The tuple mask an atom would start: prefixes rounded down to a
 * multiple of 8 bits, exact ports kept. */
static void natural_mask(const struct atom *a, uint8_t *m)
{
	memcpy(m, a->mask, BW_CLS_KEY);
	for (unsigned off = BW_CLS_K_SADDR; off <= BW_CLS_K_DADDR; off += 4)
		for (unsigned i = 0; i < 4; i++)
			if (m[off + i] != 0xff)
				m[off + i] = 0;
	if (a->sp_lo == a->sp_hi)
		m[BW_CLS_K_SPORT] = m[BW_CLS_K_SPORT + 1] = 0xff;
	if (a->dp_lo == a->dp_hi)
		m[BW_CLS_K_DPORT] = m[BW_CLS_K_DPORT + 1] = 0xff;
}

/* The atom's key under mask m (ports: host order, exact ones only). */
static void masked_key(const struct atom *a, const uint8_t *m, uint8_t *k)
{
	memcpy(k, a->val, BW_CLS_KEY);
	memcpy(k + BW_CLS_K_SPORT, &a->sp_lo, 2);
	memcpy(k + BW_CLS_K_DPORT, &a->dp_lo, 2);
	for (unsigned i = 0; i < BW_CLS_KEY; i++)
		k[i] &= m[i];
}

static bool mask_within(const uint8_t *t, const uint8_t *m)
{
	for (unsigned i = 0; i < BW_CLS_KEY; i++)
		if (t[i] & ~m[i])
			return false;
	return true;
}

/* (tuple, masked key) -> its candidates (atom indexes). */
struct bucket {
	uint32_t tuple;
	uint8_t key[BW_CLS_KEY];
	uint32_t n;
	uint32_t atom[BW_CLS_CAND_MAX];
};

struct btab {
	struct bucket *b;
	uint32_t *slot;			/* index + 1, 0 empty */
	uint32_t n, cap;
};

static uint32_t bhash(uint32_t tuple, const uint8_t *key)
{
	uint32_t h = 2166136261u ^ tuple;

	for (unsigned i = 0; i < BW_CLS_KEY; i++)
		h = (h ^ key[i]) * 16777619u;
	return h;
}

static int btab_grow(struct btab *t)
{
	uint32_t ncap = t->cap ? t->cap * 2 : 1024;
	uint32_t *ns = calloc(ncap, sizeof(*ns));
	void *nb = realloc(t->b, (size_t)ncap / 2 * sizeof(*t->b));

	if (!ns || !nb) {
		free(ns);
		if (nb)
			t->b = nb;
		return -ENOMEM;
	}
	t->b = nb;
	for (uint32_t i = 0; i < t->n; i++) {
		uint32_t h = bhash(t->b[i].tuple, t->b[i].key);

		while (ns[h & (ncap - 1)])
			h++;
		ns[h & (ncap - 1)] = i + 1;
	}
	free(t->slot);
	t->slot = ns;
	t->cap = ncap;
	return 0;
}

/* The bucket of (tuple, key); created (empty) when create. */
static struct bucket *btab_get(struct btab *t, uint32_t tuple,
			       const uint8_t *key, bool create, int *err)
{
	if (create && (t->n + 1) * 2 > t->cap && (*err = btab_grow(t)))
		return NULL;
	if (!t->cap)
		return NULL;
	for (uint32_t h = bhash(tuple, key);; h++) {
		uint32_t *sl = &t->slot[h & (t->cap - 1)];
		struct bucket *b;

		if (!*sl) {
			if (!create)
				return NULL;
			b = &t->b[t->n];
			memset(b, 0, sizeof(*b));
			b->tuple = tuple;
			memcpy(b->key, key, BW_CLS_KEY);
			*sl = ++t->n;
			return b;
		}
		b = &t->b[*sl - 1];
		if (b->tuple == tuple && !memcmp(b->key, key, BW_CLS_KEY))
			return b;
	}
}

struct work {
	struct atoms as;
	struct btab bt;
	uint8_t (*tmask)[BW_CLS_KEY];	/* tuples in creation order */
	uint32_t ntuple, tcap;
};

static int tuple_new(struct work *w, const uint8_t *mask)
{
	if (w->ntuple == w->tcap) {
		uint32_t ncap = w->tcap ? w->tcap * 2 : 16;
		void *nm = realloc(w->tmask, ncap * sizeof(*w->tmask));

		if (!nm)
			return -ENOMEM;
		w->tmask = nm;
		w->tcap = ncap;
	}
	memcpy(w->tmask[w->ntuple], mask, BW_CLS_KEY);
	return (int)w->ntuple++;
}

/* Put atom i into the first tuple that takes it, else a new one. */
static int place(struct work *w, uint32_t i)
{
	struct atom *a = &w->as.a[i];
	uint8_t nm[BW_CLS_KEY], key[BW_CLS_KEY];
	struct bucket *b;
	int err = 0;

	natural_mask(a, nm);
	for (uint32_t t = 0; t <= w->ntuple; t++) {
		if (t == w->ntuple) {
			int nt = tuple_new(w, nm);

			if (nt < 0)
				return nt;
		}
		if (!mask_within(w->tmask[t], nm))
			continue;
		masked_key(a, w->tmask[t], key);
		b = btab_get(&w->bt, t, key, true, &err);
		if (!b)
			return err ? err : -ENOMEM;
		if (b->n == BW_CLS_CAND_MAX)
			continue;
		b->atom[b->n++] = i;
		a->tuple = t;
		return 0;
	}
	return -EFAULT;		/* a new tuple always takes it */
}

/* Atoms in the order they are placed: the biggest class of natural masks
 * first (it makes the tuple the others merge into), rule order within. */
static const struct atom *sort_atoms;

static int cmp_by_mask(const void *x, const void *y)
{
	const struct atom *a = &sort_atoms[*(const uint32_t *)x];
	const struct atom *b = &sort_atoms[*(const uint32_t *)y];
	uint8_t ma[BW_CLS_KEY], mb[BW_CLS_KEY];
	int c;

	natural_mask(a, ma);
	natural_mask(b, mb);
	c = memcmp(ma, mb, BW_CLS_KEY);
	if (c)
		return c;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

struct cls_class {
	uint32_t start, n;
};

static int cmp_class(const void *x, const void *y)
{
	const struct cls_class *a = x, *b = y;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return a->start < b->start ? -1 : a->start > b->start;
}

static int place_all(struct work *w)
{
	uint32_t n = w->as.n, ncls = 0;
	uint32_t *ord = malloc((n ? n : 1) * sizeof(*ord));
	struct cls_class *cls = malloc((n ? n : 1) * sizeof(*cls));
	int err = 0;

	if (!ord || !cls) {
		free(ord);
		free(cls);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++)
		ord[i] = i;
	sort_atoms = w->as.a;
	qsort(ord, n, sizeof(*ord), cmp_by_mask);
	for (uint32_t i = 0; i < n; i++) {
		uint8_t ma[BW_CLS_KEY], mb[BW_CLS_KEY];

		natural_mask(&w->as.a[ord[i]], ma);
		if (i)
			natural_mask(&w->as.a[ord[i - 1]], mb);
		if (!i || memcmp(ma, mb, BW_CLS_KEY))
			cls[ncls++] = (struct cls_class){ i, 0 };
		cls[ncls - 1].n++;
	}
	qsort(cls, ncls, sizeof(*cls), cmp_class);
	for (uint32_t c = 0; !err && c < ncls; c++)
		for (uint32_t k = 0; !err && k < cls[c].n; k++)
			err = place(w, ord[cls[c].start + k]);
	free(ord);
	free(cls);
	return err;
}

/* ------------------------------------------------------------- plan */

/* Append a field's name to the description (cut when full). */
static void desc_add(struct bw_cls_tuple *t, const char *what, int plen)
{
	size_t len = strlen(t->desc);

	snprintf(t->desc + len, sizeof(t->desc) - len, plen >= 0 ? "%s%s/%d" :
		 "%s%s", len ? " . " : "", what, plen);
}

static void describe(struct bw_cls_tuple *t)
{
	uint32_t sm = be32(t->mask + BW_CLS_K_SADDR);
	uint32_t dm = be32(t->mask + BW_CLS_K_DADDR);

	t->desc[0] = 0;
	if (sm)
		desc_add(t, "ip saddr", plen32(sm));
	if (dm)
		desc_add(t, "ip daddr", plen32(dm));
	if (t->mask[BW_CLS_K_PROTO])
		desc_add(t, "l4proto", -1);
	if (t->mask[BW_CLS_K_SPORT])
		desc_add(t, "sport", -1);
	if (t->mask[BW_CLS_K_DPORT])
		desc_add(t, "dport", -1);
	if (!t->desc[0])
		desc_add(t, t->mask[BW_CLS_K_L3] & BW_CLS_L3_MASK ? "ip" : "any", -1);
}

static void cand_of(struct bw_cls_cand *c, const struct atom *a,
		    const struct bw_ir_rule *r)
{
	memset(c, 0, sizeof(*c));
	memcpy(c->val, a->val, BW_CLS_KEY);
	memcpy(c->mask, a->mask, BW_CLS_KEY);
	c->rule = a->rule;
	c->handle = r->handle;
	c->sport_lo = a->sp_lo;
	c->sport_hi = a->sp_hi;
	c->dport_lo = a->dp_lo;
	c->dport_hi = a->dp_hi;
	c->verdict = (uint8_t)r->verdict;
	c->counter = r->counter;
}

static int cmp_bucket_atom(const void *x, const void *y)
{
	const struct atom *a = &sort_atoms[*(const uint32_t *)x];
	const struct atom *b = &sort_atoms[*(const uint32_t *)y];

	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static int cmp_tuple(const void *x, const void *y)
{
	const struct bw_cls_tuple *a = x, *b = y;

	if (a->min_rule != b->min_rule)
		return a->min_rule < b->min_rule ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

/* The shared map of values with ncand candidates (created empty). */
static int cls_map(struct bw_opt_plan *p, uint32_t ncand, uint32_t *out)
{
	struct bw_lookup_map *m;
	void *nm;

	if (p->cls_map[ncand]) {
		*out = p->cls_map[ncand] - 1;
		return 0;
	}
	nm = realloc(p->map, (p->nmap + 1) * sizeof(*p->map));
	if (!nm)
		return -ENOMEM;
	p->map = nm;
	m = &p->map[p->nmap];
	memset(m, 0, sizeof(*m));
	m->key_size = BW_CLS_KEY;
	m->value_size = ncand * (uint32_t)sizeof(struct bw_cls_cand);
	*out = p->nmap++;
	p->cls_map[ncand] = *out + 1;
	return 0;
}

/* Room for n more entries in map m. */
static int map_reserve(struct bw_lookup_map *m, uint32_t n)
{
	size_t want = (size_t)m->nentries + n;
	void *nk = realloc(m->keys, want * BW_CLS_KEY);
	void *nr;

	if (!nk)
		return -ENOMEM;
	m->keys = nk;
	nr = realloc(m->raw, want * m->value_size);
	if (!nr)
		return -ENOMEM;
	m->raw = nr;
	return 0;
}

/* The tuples of w as plan tuples (appended, ids from p->ntuple on) and
 * entries of the shared maps. */
static int emit_plan(struct bw_opt_plan *p, const struct bw_ir_chain *ch,
		     struct work *w, uint32_t *first_tuple)
{
	uint32_t tbase = p->ntuple, *nent = calloc(w->ntuple + 1, sizeof(*nent));
	void *nt = nent ? realloc(p->tuple, (p->ntuple + w->ntuple) *
				  sizeof(*p->tuple)) : NULL;
	int err = 0;

	if (!nt) {
		free(nent);
		return -ENOMEM;
	}
	p->tuple = nt;
	for (uint32_t t = 0; t < w->ntuple; t++) {
		struct bw_cls_tuple *tp = &p->tuple[tbase + t];

		memset(tp, 0, sizeof(*tp));
		memcpy(tp->mask, w->tmask[t], BW_CLS_KEY);
		tp->min_rule = BW_CLS_NO_RULE;
		tp->id = tbase + t;
	}
	p->ntuple += w->ntuple;
	/* sizes: keys, candidates per key, rules */
	for (uint32_t i = 0; i < w->bt.n; i++) {
		struct bw_cls_tuple *tp = &p->tuple[tbase + w->bt.b[i].tuple];

		nent[w->bt.b[i].tuple]++;
		if (w->bt.b[i].n > tp->ncand)
			tp->ncand = w->bt.b[i].n;
	}
	for (uint32_t i = 0; i < w->as.n; i++) {
		const struct atom *a = &w->as.a[i];
		struct bw_cls_tuple *tp = &p->tuple[tbase + a->tuple];

		tp->natom++;
		if (a->rule < tp->min_rule)
			tp->min_rule = a->rule;
		/* a port the tuple's key does not hold: checked by range */
		if (((a->sp_lo || a->sp_hi != 0xffff) && !tp->mask[BW_CLS_K_SPORT]) ||
		    ((a->dp_lo || a->dp_hi != 0xffff) && !tp->mask[BW_CLS_K_DPORT]))
			tp->ports = true;
	}
	uint32_t need[BW_CLS_CAND_MAX + 1] = { 0 };

	for (uint32_t t = 0; !err && t < w->ntuple; t++) {
		struct bw_cls_tuple *tp = &p->tuple[tbase + t];

		err = cls_map(p, tp->ncand, &tp->map);
		need[tp->ncand] += nent[t];
		describe(tp);
		snprintf(tp->desc + strlen(tp->desc), sizeof(tp->desc) - strlen(tp->desc),
			 ": %u keys, %u candidates, from rule %u", nent[t],
			 tp->natom, tp->min_rule + 1);
	}
	free(nent);
	for (uint32_t k = 1; !err && k <= BW_CLS_CAND_MAX; k++)
		if (need[k])
			err = map_reserve(&p->map[p->cls_map[k] - 1], need[k]);
	if (err)
		return err;
	sort_atoms = w->as.a;
	for (uint32_t i = 0; i < w->bt.n; i++) {
		struct bucket *b = &w->bt.b[i];
		struct bw_cls_tuple *tp = &p->tuple[tbase + b->tuple];
		struct bw_lookup_map *m = &p->map[tp->map];
		struct bw_cls_cand *v = (struct bw_cls_cand *)
			(m->raw + (size_t)m->nentries * m->value_size);
		uint8_t *key = m->keys + (size_t)m->nentries * BW_CLS_KEY;

		qsort(b->atom, b->n, sizeof(b->atom[0]), cmp_bucket_atom);
		memcpy(key, b->key, BW_CLS_KEY);
		key[BW_CLS_K_TUPLE] = (uint8_t)tp->id;
		key[BW_CLS_K_TUPLE + 1] = (uint8_t)(tp->id >> 8);
		for (uint32_t k = 0; k < tp->ncand; k++) {
			if (k < b->n) {
				const struct atom *a = &w->as.a[b->atom[k]];

				cand_of(&v[k], a, &ch->rule[a->rule]);
			} else {
				memset(&v[k], 0, sizeof(v[k]));
				v[k].rule = BW_CLS_NO_RULE;
			}
		}
		m->nentries++;
	}
	qsort(p->tuple + tbase, w->ntuple, sizeof(*p->tuple), cmp_tuple);
	*first_tuple = tbase;
	return 0;
}

static uint64_t group_fields(const struct bw_ir_chain *ch, uint32_t first,
			     uint32_t n)
{
	uint64_t f = 0;

	for (uint32_t r = first; r < first + n; r++)
		for (uint32_t i = 0; i < ch->rule[r].nmatch; i++)
			f |= UINT64_C(1) << ch->rule[r].match[i].field;
	return f;
}

int bw_cls_build(struct bw_opt_plan *p, const struct bw_ir_chain *ch,
		 uint32_t c, uint32_t first, uint32_t n)
{
	struct work w = { 0 };
	struct bw_opt_group *g;
	uint32_t ft = 0;
	void *ng;
	int err = 0;

	for (uint32_t r = first; !err && r < first + n; r++)
		err = rule_atoms(&w.as, &ch->rule[r], r);
	if (!err)
		err = place_all(&w);
	if (!err && p->ntuple + w.ntuple > BW_CLS_TUPLES_MAX) {
		w.ntuple = 0;	/* no ids left: these rules stay in line */
		goto out;
	}
	if (!err)
		err = emit_plan(p, ch, &w, &ft);
	if (!err) {
		ng = realloc(p->group, (p->ngroup + 1) * sizeof(*p->group));
		if (!ng)
			err = -ENOMEM;
		else
			p->group = ng;
	}
	if (!err) {
		g = &p->group[p->ngroup++];
		memset(g, 0, sizeof(*g));
		g->kind = BW_OPT_CLASSIFY;
		g->chain = c;
		g->first = first;
		g->nrule = n;
		g->fields = group_fields(ch, first, n);
		g->tuple = ft;
		g->ntuple = w.ntuple;
	}
out:
	free(w.as.a);
	free(w.bt.b);
	free(w.bt.slot);
	free(w.tmask);
	return err;
}

/* ------------------------------------------------------ the search in C */

void bw_cls_key(uint8_t key[BW_CLS_KEY], uint8_t l3, uint8_t l4proto,
		uint8_t flags, const uint8_t *l3h, const uint8_t *l4h)
{
	uint16_t sp = (uint16_t)(l4h[0] << 8 | l4h[1]);
	uint16_t dp = (uint16_t)(l4h[2] << 8 | l4h[3]);

	memset(key, 0, BW_CLS_KEY);
	key[BW_CLS_K_L3] = (uint8_t)(l3 | (flags & 1 ? BW_CLS_L4_BIT : 0));
	key[BW_CLS_K_PROTO] = l4proto;
	memcpy(key + BW_CLS_K_SADDR, l3h + 12, 8);
	memcpy(key + BW_CLS_K_SPORT, &sp, 2);
	memcpy(key + BW_CLS_K_DPORT, &dp, 2);
}

static bool cand_holds(const struct bw_cls_cand *c, const uint8_t *key)
{
	uint64_t w[2];
	uint16_t sp, dp;

	memcpy(w, key, BW_CLS_KEY);
	memcpy(&sp, key + BW_CLS_K_SPORT, 2);
	memcpy(&dp, key + BW_CLS_K_DPORT, 2);
	return (w[0] & c->mask[0]) == c->val[0] &&
	       (w[1] & c->mask[1]) == c->val[1] &&
	       sp >= c->sport_lo && sp <= c->sport_hi &&
	       dp >= c->dport_lo && dp <= c->dport_hi;
}

uint32_t bw_cls_lookup(const struct bw_opt_plan *p, const struct bw_opt_group *g,
		       const uint8_t key[BW_CLS_KEY])
{
	uint32_t best = BW_CLS_NO_RULE;

	for (uint32_t t = g->tuple; t < g->tuple + g->ntuple; t++) {
		const struct bw_cls_tuple *tp = &p->tuple[t];
		const struct bw_lookup_map *m = &p->map[tp->map];
		uint8_t mk[BW_CLS_KEY];

		if (best <= tp->min_rule)
			break;
		for (unsigned i = 0; i < BW_CLS_KEY; i++)
			mk[i] = key[i] & tp->mask[i];
		mk[BW_CLS_K_TUPLE] = (uint8_t)tp->id;
		mk[BW_CLS_K_TUPLE + 1] = (uint8_t)(tp->id >> 8);
		for (uint32_t e = 0; e < m->nentries; e++) {
			const struct bw_cls_cand *v = (const struct bw_cls_cand *)
				(m->raw + (size_t)e * m->value_size);

			if (memcmp(m->keys + (size_t)e * BW_CLS_KEY, mk, BW_CLS_KEY))
				continue;
			for (uint32_t k = 0; k < tp->ncand; k++) {
				if (v[k].rule >= best)
					break;
				if (cand_holds(&v[k], key)) {
					best = v[k].rule;
					break;
				}
			}
			break;
		}
	}
	return best;
}
