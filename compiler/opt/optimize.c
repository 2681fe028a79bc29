// SPDX-License-Identifier: GPL-2.0-only
/* Runs of same-shape rules -> one map lookup (see optimize.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "optimize.h"

/* Where a rule can go. */
struct shape {
	uint32_t nfield;
	enum bw_field_id field[BW_OPT_MAX_FIELDS];	/* ascending */
	const struct bw_ir_match *match[BW_OPT_MAX_FIELDS];
	bool exact;			/* every match a full-mask single value */
	bool lpm;			/* one prefix match on an address */
	uint32_t plen;			/* lpm: prefix length */
};

static bool full_mask(const struct bw_ir_elem *e, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		if (e->mask[i] != 0xff)
			return false;
	return true;
}

/* Prefix length of a contiguous mask, or -1. */
static int mask_plen(const struct bw_ir_elem *e, unsigned size)
{
	int plen = 0;
	bool ones = true;

	for (unsigned i = 0; i < size * 8; i++) {
		bool bit = e->mask[i / 8] & (0x80 >> (i % 8));

		if (bit && !ones)
			return -1;
		if (!bit)
			ones = false;
		else
			plen++;
	}
	return plen;
}

static bool is_addr(const struct bw_field *f)
{
	return f->type == BW_T_IPV4_ADDR || f->type == BW_T_IPV6_ADDR;
}

/* The rule's statements besides matches are all a lookup value can carry. */
static bool rule_is_plain(const struct bw_ir_rule *r)
{
	return !r->nstmt && (r->verdict == BW_VERDICT_ACCEPT ||
			     r->verdict == BW_VERDICT_DROP ||
			     r->verdict == BW_VERDICT_CONTINUE);
}

static bool classify(const struct bw_ir_rule *r, struct shape *s)
{
	memset(s, 0, sizeof(*s));
	if (!rule_is_plain(r) || r->nmatch == 0 || r->nmatch > BW_OPT_MAX_FIELDS)
		return false;
	s->exact = true;
	for (uint32_t m = 0; m < r->nmatch; m++) {
		const struct bw_ir_match *mt = &r->match[m];
		const struct bw_field *f = bw_field(mt->field);
		uint32_t i;

		if (mt->neg || mt->nelem != 1 || f->shift || f->bits || f->walk ||
		    f->need_ethertype ||
		    memcmp(mt->elem[0].lo, mt->elem[0].hi, f->size))
			return false;
		if (!full_mask(&mt->elem[0], f->size))
			s->exact = false;
		/* insert sorted by field id; a field twice is not a shape */
		for (i = s->nfield; i > 0 && s->field[i - 1] > mt->field; i--) {
			s->field[i] = s->field[i - 1];
			s->match[i] = s->match[i - 1];
		}
		if (i > 0 && s->field[i - 1] == mt->field)
			return false;
		s->field[i] = mt->field;
		s->match[i] = mt;
		s->nfield++;
	}
	if (s->nfield == 1 && is_addr(bw_field(s->field[0]))) {
		int plen = mask_plen(&s->match[0]->elem[0],
				     bw_field(s->field[0])->size);

		if (plen >= 0) {
			s->lpm = true;
			s->plen = (uint32_t)plen;
		}
	}
	return s->exact || s->lpm;
}

static bool same_fields(const struct shape *a, const struct shape *b)
{
	return a->nfield == b->nfield &&
	       !memcmp(a->field, b->field, a->nfield * sizeof(a->field[0]));
}

/* Copy unit of a field in the key: its bytes must sit aligned on the stack. */
static unsigned field_align(unsigned size)
{
	switch (size) {
	case 1: return 1;
	case 2: case 6: return 2;
	case 16: return 8;
	default: return 4;
	}
}

static uint32_t hash_key_layout(const struct shape *s, uint8_t *off)
{
	uint32_t o = 0;

	for (uint32_t i = 0; i < s->nfield; i++) {
		unsigned a = field_align(bw_field(s->field[i])->size);

		o = (o + a - 1) / a * a;
		off[i] = (uint8_t)o;
		o += bw_field(s->field[i])->size;
	}
	return (o + 3) / 4 * 4;
}

/* --- a set of byte strings (exact keys of a run) --- */
struct keyset {
	uint8_t *keys;
	uint32_t *slot;			/* index + 1, 0 empty */
	uint32_t cap, n, ksize;
};

static uint32_t key_hash(const uint8_t *k, uint32_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *k++) * 16777619u;
	return h;
}

/* Adds key; returns 1 if added, 0 if already there, -ENOMEM. */
static int keyset_add(struct keyset *ks, const uint8_t *key)
{
	if ((ks->n + 1) * 2 > ks->cap) {
		uint32_t ncap = ks->cap ? ks->cap * 2 : 64;
		uint32_t *nslot = calloc(ncap, sizeof(*nslot));
		uint8_t *nkeys = realloc(ks->keys, (size_t)ncap / 2 * ks->ksize);

		if (!nslot || !nkeys) {
			free(nslot);
			if (nkeys)
				ks->keys = nkeys;
			return -ENOMEM;
		}
		ks->keys = nkeys;
		for (uint32_t i = 0; i < ks->n; i++) {
			uint32_t h = key_hash(ks->keys + (size_t)i * ks->ksize, ks->ksize);

			while (nslot[h & (ncap - 1)])
				h++;
			nslot[h & (ncap - 1)] = i + 1;
		}
		free(ks->slot);
		ks->slot = nslot;
		ks->cap = ncap;
	}
	for (uint32_t h = key_hash(key, ks->ksize);; h++) {
		uint32_t *sl = &ks->slot[h & (ks->cap - 1)];

		if (!*sl) {
			memcpy(ks->keys + (size_t)ks->n * ks->ksize, key, ks->ksize);
			*sl = ++ks->n;
			return 1;
		}
		if (!memcmp(ks->keys + (size_t)(*sl - 1) * ks->ksize, key, ks->ksize))
			return 0;
	}
}

static void keyset_free(struct keyset *ks)
{
	free(ks->keys);
	free(ks->slot);
	memset(ks, 0, sizeof(*ks));
}

/* --- a binary trie of prefixes, to find overlaps in an LPM run --- */
struct trie {
	uint32_t (*node)[2];		/* children, 0 = none */
	uint8_t *term;
	uint32_t n, cap;
};

static uint32_t trie_node(struct trie *t)
{
	if (t->n == t->cap) {
		uint32_t ncap = t->cap ? t->cap * 2 : 1024;
		void *nn = realloc(t->node, ncap * sizeof(*t->node));
		uint8_t *nt = nn ? realloc(t->term, ncap) : NULL;

		if (nn)
			t->node = nn;
		if (!nt)
			return UINT32_MAX;
		t->term = nt;
		t->cap = ncap;
	}
	t->node[t->n][0] = t->node[t->n][1] = 0;
	t->term[t->n] = 0;
	return t->n++;
}

/* Adds a prefix; 1 if it overlaps none already there, 0 if it does,
 * -ENOMEM. */
static int trie_add(struct trie *t, const uint8_t *addr, uint32_t plen)
{
	uint32_t cur;

	if (!t->n && trie_node(t) == UINT32_MAX)
		return -ENOMEM;
	cur = 0;
	for (uint32_t i = 0; i < plen; i++) {
		unsigned bit = !!(addr[i / 8] & (0x80 >> (i % 8)));

		if (t->term[cur])
			return 0;	/* a shorter prefix contains this one */
		if (!t->node[cur][bit]) {
			uint32_t nn = trie_node(t);

			if (nn == UINT32_MAX)
				return -ENOMEM;
			t->node[cur][bit] = nn;
		}
		cur = t->node[cur][bit];
	}
	if (t->term[cur] || t->node[cur][0] || t->node[cur][1])
		return 0;		/* equal, or contains a longer one */
	t->term[cur] = 1;
	return 1;
}

static void trie_free(struct trie *t)
{
	free(t->node);
	free(t->term);
	memset(t, 0, sizeof(*t));
}

static void exact_key(const struct shape *s, const uint8_t *off, uint8_t *key,
		      uint32_t ksize)
{
	memset(key, 0, ksize);
	for (uint32_t i = 0; i < s->nfield; i++)
		memcpy(key + off[i], s->match[i]->elem[0].lo,
		       bw_field(s->field[i])->size);
}

static void lpm_key(const struct shape *s, uint8_t *key)
{
	memcpy(key, &s->plen, 4);
	memcpy(key + 4, s->match[0]->elem[0].lo, bw_field(s->field[0])->size);
}

/* Length of the exact run of chain ch starting at rule i. */
static int exact_run(const struct bw_ir_chain *ch, uint32_t i,
		     const struct shape *first, uint32_t *len)
{
	uint8_t off[BW_OPT_MAX_FIELDS], key[BW_OPT_KEY_MAX];
	struct keyset ks = { 0 };
	uint32_t n = 0;
	int err = 0;

	ks.ksize = hash_key_layout(first, off);
	for (uint32_t r = i; r < ch->nrule; r++, n++) {
		struct shape s;

		if (!classify(&ch->rule[r], &s) || !s.exact || !same_fields(&s, first))
			break;
		exact_key(&s, off, key, ks.ksize);
		err = keyset_add(&ks, key);
		if (err <= 0)
			break;
	}
	keyset_free(&ks);
	*len = n;
	return err < 0 ? err : 0;
}

static int lpm_run(const struct bw_ir_chain *ch, uint32_t i,
		   const struct shape *first, uint32_t *len)
{
	struct trie t = { 0 };
	uint32_t n = 0;
	int err = 0;

	for (uint32_t r = i; r < ch->nrule; r++, n++) {
		struct shape s;

		if (!classify(&ch->rule[r], &s) || !s.lpm || !same_fields(&s, first))
			break;
		err = trie_add(&t, s.match[0]->elem[0].lo, s.plen);
		if (err <= 0)
			break;
	}
	trie_free(&t);
	*len = n;
	return err < 0 ? err : 0;
}

static int plan_add(struct bw_opt_plan *p, const struct bw_ir_chain *ch,
		    uint32_t c, uint32_t first, uint32_t n,
		    const struct shape *s, bool lpm)
{
	struct bw_opt_group *g;
	struct bw_lookup_map *m;
	void *ng = realloc(p->group, (p->ngroup + 1) * sizeof(*p->group));
	void *nm;

	if (!ng)
		return -ENOMEM;
	p->group = ng;
	nm = realloc(p->map, (p->nmap + 1) * sizeof(*p->map));
	if (!nm)
		return -ENOMEM;
	p->map = nm;
	g = &p->group[p->ngroup];
	m = &p->map[p->nmap];
	memset(g, 0, sizeof(*g));
	memset(m, 0, sizeof(*m));
	g->chain = c;
	g->first = first;
	g->nrule = n;
	g->nfield = s->nfield;
	memcpy(g->field, s->field, sizeof(g->field));
	g->map = p->nmap;
	m->lpm = lpm;
	m->key_size = lpm ? 4u + bw_field(s->field[0])->size :
			    hash_key_layout(s, g->key_off);
	if (lpm)
		g->key_off[0] = 4;
	m->keys = calloc(n, m->key_size);
	m->values = calloc(n, sizeof(*m->values));
	p->ngroup++;
	p->nmap++;
	if (!m->keys || !m->values)
		return -ENOMEM;
	for (uint32_t r = 0; r < n; r++) {
		const struct bw_ir_rule *rule = &ch->rule[first + r];
		struct shape rs;

		classify(rule, &rs);
		if (lpm)
			lpm_key(&rs, m->keys + (size_t)r * m->key_size);
		else
			exact_key(&rs, g->key_off, m->keys + (size_t)r * m->key_size,
				  m->key_size);
		m->values[r].handle = rule->handle;
		m->values[r].verdict = (uint8_t)rule->verdict;
		m->values[r].counter = rule->counter;
	}
	m->nentries = n;
	return 0;
}

int bw_optimize(const struct bw_ir *ir, const struct bw_opt_opts *opts,
		struct bw_opt_plan **out)
{
	uint32_t min_run = opts && opts->min_run ? opts->min_run : BW_OPT_MIN_RUN;
	struct bw_opt_plan *p = calloc(1, sizeof(*p));
	int err = 0;

	if (!p)
		return -ENOMEM;
	for (uint32_t c = 0; !err && !(opts && opts->disable) && c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];
		uint32_t i = 0;

		while (!err && i < ch->nrule) {
			struct shape s;
			uint32_t n = 0, part = 0;
			bool lpm = false;

			/* a partition the classifier takes, unless it is one
			 * run a single lookup serves */
			while (!(opts && opts->no_classify) && i + part < ch->nrule &&
			       bw_cls_rule_ok(&ch->rule[i + part]))
				part++;
			if (!classify(&ch->rule[i], &s)) {
				if (part >= min_run) {
					err = bw_cls_build(p, ch, c, i, part);
					i += part;
				} else {
					i++;
				}
				continue;
			}
			if (s.exact)
				err = exact_run(ch, i, &s, &n);
			if (!err && n < min_run && s.lpm) {
				lpm = true;
				err = lpm_run(ch, i, &s, &n);
			}
			if (err)
				break;
			/* the classifier's flat table also where the run is
			 * one lookup group's: no helper call, one 8-byte read
			 * a miss (bench/results.md: uniform 0.83-0.92 of the
			 * empty program against 0.45-0.83 with the hash map) */
			if (part >= min_run && part >= n) {
				err = bw_cls_build(p, ch, c, i, part);
				i += part;
			} else if (n >= min_run) {
				err = plan_add(p, ch, c, i, n, &s, lpm);
				i += n;
			} else {
				i++;
			}
		}
	}
	if (!err)
		err = bw_cls_finish(p);
	if (err) {
		bw_opt_plan_free(&p);
		return err;
	}
	*out = p;
	return 0;
}

void bw_opt_plan_free(struct bw_opt_plan **pp)
{
	struct bw_opt_plan *p = pp ? *pp : NULL;

	if (!p)
		return;
	for (uint32_t i = 0; i < p->nmap; i++) {
		free(p->map[i].keys);
		free(p->map[i].values);
		free(p->map[i].raw);
	}
	free(p->map);
	free(p->tuple);
	bw_cls_table_free(&p->cls);
	free(p->group);
	free(p);
	*pp = NULL;
}

const struct bw_opt_group *bw_opt_group_at(const struct bw_opt_plan *p,
					   uint32_t chain, uint32_t rule)
{
	uint32_t lo = 0, hi = p->ngroup;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		const struct bw_opt_group *g = &p->group[mid];

		if (g->chain == chain && g->first == rule)
			return g;
		if (g->chain < chain || (g->chain == chain && g->first < rule))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
