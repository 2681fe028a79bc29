// SPDX-License-Identifier: GPL-2.0-only
/* Partitions of mixed rules -> tuple space search (see classify.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"

/* One way a rule can match (classify.h): key bytes 0-1 under a mask,
 * and a range for each address and port (host order). */
struct atom {
	uint8_t bv[2], bm[2];
	uint32_t lo[2], hi[2];		/* saddr, daddr */
	uint16_t plo[2], phi[2];	/* sport, dport */
	uint64_t lo6[2][2], hi6[2][2];	/* ip6 saddr, daddr: host order,
					 * [0] the high 64 bits */
	uint8_t ifv[2][16], ifm[2][16];	/* input, output interface's name:
					 * name & ifm == ifv */
	uint32_t rule;			/* position in the chain */
	uint32_t tuple;			/* NO_TUPLE: dead (an earlier atom
					 * covers it) */
};

#define NO_TUPLE UINT32_MAX

/* ------------------------------------------------------------ rules */

static bool is_addr_field(enum bw_field_id f)
{
	return f == BW_F_IP_SADDR || f == BW_F_IP_DADDR;
}

static bool is_addr6_field(enum bw_field_id f)
{
	return f == BW_F_IP6_SADDR || f == BW_F_IP6_DADDR;
}

/* 0: the input interface's name, 1: the output one's, -1: neither. */
static int iface_dir(enum bw_field_id f)
{
	return f == BW_F_META_IIF || f == BW_F_META_IIFNAME ? 0 :
	       f == BW_F_META_OIF || f == BW_F_META_OIFNAME ? 1 : -1;
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

static uint64_t be64(const uint8_t *b)
{
	return (uint64_t)be32(b) << 32 | be32(b + 4);
}

static uint16_t be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
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

/* How many alternatives element e of a match on field f gives, 0 when
 * the classifier cannot take it.  An address element (value, prefix,
 * range) is one range; a protocol range one value each. */
static uint32_t elem_alts(enum bw_field_id f, const struct bw_ir_elem *e)
{
	if (is_addr_field(f)) {
		uint32_t m = be32(e->mask), lo = be32(e->lo), hi = be32(e->hi);

		return plen32(m) >= 0 && !(lo & ~m) && !(hi & ~m) && lo <= hi;
	}
	if (is_addr6_field(f)) {
		bool ok = memcmp(e->lo, e->hi, 16) <= 0;

		/* a prefix mask: whole 0xff bytes, one partial, then 0 */
		for (unsigned i = 0; ok && i < 16; i++) {
			uint8_t m = e->mask[i];

			ok = (i && e->mask[i - 1] != 0xff ? !m :
			      plen32((uint32_t)m << 24) >= 0) &&
			     !(e->lo[i] & ~m) && !(e->hi[i] & ~m);
		}
		return ok;
	}
	if (iface_dir(f) >= 0) {
		/* a name, or a pattern (the bytes before its '*' under the
		 * mask, hi the pattern's text): name & mask == lo */
		bool ok = memcmp(e->lo, e->hi, 16) <= 0;

		for (unsigned i = 0; ok && i < 16; i++)
			ok = !(e->lo[i] & ~e->mask[i]) &&
			     (e->hi[i] & e->mask[i]) == e->lo[i];
		return ok;
	}
	if (is_port_field(f))
		return e->mask[0] == 0xff && e->mask[1] == 0xff &&
		       be16(e->lo) <= be16(e->hi);
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

		/* a field once, but interface names, which intersect
		 * (iifname "e*" iifname "eth0"; iif and iifname too);
		 * not the arp header's (the view's arp guard) */
		if (!k || bw_field(m->field)->need_ethertype ||
		    ((seen & (UINT64_C(1) << m->field)) &&
		     iface_dir(m->field) < 0))
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

/* Require key byte i (0 or 1) & m == v; false on a conflict. */
static bool require_bits(struct atom *a, unsigned i, uint8_t v, uint8_t m)
{
	uint8_t both = a->bm[i] & m;

	if ((a->bv[i] & both) != (v & both))
		return false;
	a->bm[i] |= m;
	a->bv[i] = (uint8_t)((a->bv[i] & ~m) | (v & m));
	return true;
}

/* Alternative k of match m applied to a; false: the atom cannot match.
 * known: the interfaces' names where the chain decides them now (a
 * netdev chain: its device, as input at ingress, as output at egress;
 * NULL for none), else NULL. */
static bool apply_alt(struct atom *a, const struct bw_ir_match *m, uint32_t k,
		      const char *const *known)
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
			unsigned j = f == BW_F_IP_DADDR;

			/* (x & m) in [lo, hi], lo and hi under m */
			a->lo[j] = be32(e->lo);
			a->hi[j] = be32(e->hi) | ~be32(e->mask);
			return require_bits(a, BW_CLS_K_L3, 4, BW_CLS_L3_MASK);
		}
		if (iface_dir(f) >= 0 && known) {
			uint8_t x[16] = { 0 };
			unsigned j = (unsigned)iface_dir(f);

			/* decided now, as codegen decides interface compares */
			if (!known[j])
				return false;
			strncpy((char *)x, known[j], 15);
			for (unsigned b = 0; b < 16; b++)
				if ((x[b] & e->mask[b]) != e->lo[b])
					return false;
			return true;
		}
		if (iface_dir(f) >= 0) {
			unsigned j = (unsigned)iface_dir(f);

			/* iif and iifname read one name: both must hold */
			for (unsigned b = 0; b < 16; b++) {
				uint8_t both = a->ifm[j][b] & e->mask[b];

				if ((a->ifv[j][b] & both) != (e->lo[b] & both))
					return false;
				a->ifm[j][b] |= e->mask[b];
				a->ifv[j][b] |= e->lo[b];
			}
			return require_bits(a, BW_CLS_K_L3, j ? BW_CLS_OIF_BIT :
					    BW_CLS_IIF_BIT, j ? BW_CLS_OIF_BIT :
					    BW_CLS_IIF_BIT);
		}
		if (is_addr6_field(f)) {
			unsigned j = f == BW_F_IP6_DADDR;

			for (unsigned w = 0; w < 2; w++) {
				a->lo6[j][w] = be64(e->lo + 8 * w);
				a->hi6[j][w] = be64(e->hi + 8 * w) |
					       ~be64(e->mask + 8 * w);
			}
			return require_bits(a, BW_CLS_K_L3, 6, BW_CLS_L3_MASK);
		}
		if (is_proto_field(f)) {
			if (f == BW_F_IP_PROTOCOL &&
			    !require_bits(a, BW_CLS_K_L3, 4, BW_CLS_L3_MASK))
				return false;
			return require_bits(a, BW_CLS_K_PROTO,
					    (uint8_t)(e->lo[0] + k), 0xff);
		} else {
			bool tcp = f == BW_F_TCP_SPORT || f == BW_F_TCP_DPORT;
			unsigned j = f == BW_F_TCP_DPORT || f == BW_F_UDP_DPORT;

			a->plo[j] = be16(e->lo);
			a->phi[j] = be16(e->hi);
			return require_bits(a, BW_CLS_K_PROTO, tcp ? 6 : 17, 0xff) &&
			       require_bits(a, BW_CLS_K_L3, BW_CLS_L4_BIT,
					    BW_CLS_L4_BIT);
		}
	}
	return false;
}

/* Every atom of rule r (position pos), appended to as. */
static int rule_atoms(struct atoms *as, const struct bw_ir_rule *r, uint32_t pos,
		      const char *const *known)
{
	uint32_t nalt[r->nmatch], total = 1;

	for (uint32_t i = 0; i < r->nmatch; i++) {
		nalt[i] = match_alts(&r->match[i]);
		total *= nalt[i];
	}
	for (uint32_t t = 0; t < total; t++) {
		struct atom a = {
			.hi = { UINT32_MAX, UINT32_MAX },
			.phi = { 0xffff, 0xffff }, .rule = pos,
			.hi6 = { { UINT64_MAX, UINT64_MAX },
				 { UINT64_MAX, UINT64_MAX } },
		};
		bool ok = true;
		uint32_t rest = t;

		for (uint32_t i = 0; ok && i < r->nmatch; i++) {
			ok = apply_alt(&a, &r->match[i], rest % nalt[i], known);
			rest /= nalt[i];
		}
		if (!ok)
			continue;	/* contradictory: never matches */
		struct atom *na = atom_push(as);

		if (!na)
			return -ENOMEM;
		*na = a;
	}
	return 0;
}

/* 128-bit numbers as two u64, high first: x < y? */
static bool lt128(const uint64_t *x, const uint64_t *y)
{
	return x[0] < y[0] || (x[0] == y[0] && x[1] < y[1]);
}

/* Does a match every packet b matches? */
static bool covers(const struct atom *a, const struct atom *b)
{
	for (unsigned i = 0; i < 2; i++)
		if ((a->bm[i] & ~b->bm[i]) || (b->bv[i] & a->bm[i]) != a->bv[i] ||
		    a->lo[i] > b->lo[i] || a->hi[i] < b->hi[i] ||
		    a->plo[i] > b->plo[i] || a->phi[i] < b->phi[i] ||
		    lt128(b->lo6[i], a->lo6[i]) || lt128(a->hi6[i], b->hi6[i]))
			return false;
	for (unsigned i = 0; i < 2; i++)
		for (unsigned k = 0; k < 16; k++)
			if ((a->ifm[i][k] & ~b->ifm[i][k]) ||
			    (b->ifv[i][k] & a->ifm[i][k]) != a->ifv[i][k])
				return false;
	return true;
}

/* Does atom a constrain interface i's name? */
static bool has_if(const struct atom *a, unsigned i)
{
	for (unsigned k = 0; k < 16; k++)
		if (a->ifm[i][k])
			return true;
	return false;
}

/* Is atom a's IPv6 address i (0 saddr, 1 daddr) any at all? */
static bool any6(const struct atom *a, unsigned i)
{
	return !a->lo6[i][0] && !a->lo6[i][1] && !~a->hi6[i][0] && !~a->hi6[i][1];
}

/* ----------------------------------------------------- tuple choice */

/* The key of a packet, as classify.h lays it out, from its parts (a6:
 * saddr, daddr, two u64 each, high first). */
static void key_put(uint8_t *k, const uint8_t *b, const uint32_t *addr,
		    const uint16_t *port, const uint64_t *a6,
		    const uint8_t (*ifn)[16])
{
	memset(k, 0, BW_CLS_PKT);
	k[BW_CLS_K_L3] = b[0];
	k[BW_CLS_K_PROTO] = b[1];
	memcpy(k + BW_CLS_K_SADDR, &addr[0], 4);
	memcpy(k + BW_CLS_K_DADDR, &addr[1], 4);
	memcpy(k + BW_CLS_K_SPORT, &port[0], 2);
	memcpy(k + BW_CLS_K_DPORT, &port[1], 2);
	memcpy(k + BW_CLS_K_SADDR6, a6, 32);
	memcpy(k + BW_CLS_K_IIF, ifn[0], 16);
	memcpy(k + BW_CLS_K_OIF, ifn[1], 16);
}

/* Does a tuple's mask cover IPv6 address bits or interface names? */
static bool mask_wide(const uint8_t *m)
{
	for (unsigned i = BW_CLS_K_SADDR6; i < BW_CLS_PKT; i++)
		if (m[i])
			return true;
	return false;
}

/* The table key of a packet key already under a tuple's mask m: its
 * first 16 bytes, and where the mask is wide, the fingerprint of the
 * words 16..79 xored into bytes 4..11 (classify.h). */
static void table_key(const uint8_t *pk, const uint8_t *m, uint8_t *k)
{
	memcpy(k, pk, BW_CLS_KEY);
	if (mask_wide(m)) {
		uint64_t w[8], f;
		uint32_t half[2];

		memcpy(w, pk + BW_CLS_K_SADDR6, 64);
		f = bw_cls_fold(w);
		memcpy(half, k + BW_CLS_K_SADDR, 8);
		half[0] ^= (uint32_t)f;
		half[1] ^= (uint32_t)(f >> 32);
		memcpy(k + BW_CLS_K_SADDR, half, 8);
	}
}

/* Length of the prefix lo and hi share. */
static unsigned common_plen(uint32_t lo, uint32_t hi)
{
	return lo == hi ? 32 : (unsigned)__builtin_clz(lo ^ hi);
}

static unsigned common_plen128(const uint64_t *lo, const uint64_t *hi)
{
	if (lo[0] != hi[0])
		return (unsigned)__builtin_clzll(lo[0] ^ hi[0]);
	return lo[1] == hi[1] ? 128 : 64 + (unsigned)__builtin_clzll(lo[1] ^ hi[1]);
}

/* The two words of a 128-bit prefix mask of length c. */
static void pmask128(unsigned c, uint64_t *m)
{
	m[0] = c >= 64 ? UINT64_MAX : c ? ~UINT64_C(0) << (64 - c) : 0;
	m[1] = c >= 128 ? UINT64_MAX : c > 64 ? ~UINT64_C(0) << (128 - c) : 0;
}

/*
 * The tuple mask an atom would start at refinement level (0: address
 * prefixes rounded down to 8 bits, 1: to 4 bits, 2: exact), exact ports
 * kept.  Level 2 is the finest mask whose key every packet of the atom
 * shares: a tuple can hold the atom when its mask is within that one.
 */
static void natural_mask(const struct atom *a, unsigned level, uint8_t *m)
{
	uint32_t am[2];
	uint16_t pm[2];
	uint64_t m6[4];

	for (unsigned i = 0; i < 2; i++) {
		unsigned c = common_plen(a->lo[i], a->hi[i]);
		unsigned c6 = common_plen128(a->lo6[i], a->hi6[i]);

		/* only a prefix block: the rest of the range must be checked */
		c = level == 0 ? c / 8 * 8 : level == 1 ? c / 4 * 4 : c;
		c6 = level == 0 ? c6 / 8 * 8 : level == 1 ? c6 / 4 * 4 : c6;
		am[i] = pmask(c);
		pmask128(c6, m6 + 2 * i);
		pm[i] = a->plo[i] == a->phi[i] ? 0xffff : 0;
	}
	key_put(m, a->bm, am, pm, m6, a->ifm);
}

/* The atom's table key under mask m. */
static void masked_key(const struct atom *a, const uint8_t *m, uint8_t *k)
{
	uint8_t pk[BW_CLS_PKT];

	key_put(pk, a->bv, a->lo, a->plo, &a->lo6[0][0], a->ifv);
	for (unsigned i = 0; i < BW_CLS_PKT; i++)
		pk[i] &= m[i];
	table_key(pk, m, k);
}

static bool mask_within(const uint8_t *t, const uint8_t *m)
{
	for (unsigned i = 0; i < BW_CLS_PKT; i++)
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

/* The bucket of (tuple, key), created empty if missing; NULL: -ENOMEM. */
static struct bucket *btab_get(struct btab *t, uint32_t tuple,
			       const uint8_t *key)
{
	if ((t->n + 1) * 2 > t->cap && btab_grow(t))
		return NULL;
	for (uint32_t h = bhash(tuple, key);; h++) {
		uint32_t *sl = &t->slot[h & (t->cap - 1)];
		struct bucket *b;

		if (!*sl) {
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
	uint8_t (*tmask)[BW_CLS_PKT];	/* tuples in creation order */
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
	memcpy(w->tmask[w->ntuple], mask, BW_CLS_PKT);
	return (int)w->ntuple++;
}

/*
 * Atom i into bucket b, unless an earlier rule's atom there covers it
 * (it can never decide: dropped); a later rule's atom it covers is
 * dropped from b.  1: placed or dropped, 0: b is full.
 */
static int bucket_put(struct work *w, struct bucket *b, uint32_t i, uint32_t t)
{
	struct atom *a = &w->as.a[i];
	uint32_t k = 0;

	for (uint32_t j = 0; j < b->n; j++) {
		struct atom *o = &w->as.a[b->atom[j]];

		if (o->rule <= a->rule && covers(o, a)) {
			a->tuple = NO_TUPLE;
			return 1;
		}
	}
	for (uint32_t j = 0; j < b->n; j++) {
		struct atom *o = &w->as.a[b->atom[j]];

		if (o->rule > a->rule && covers(a, o))
			o->tuple = NO_TUPLE;
		else
			b->atom[k++] = b->atom[j];
	}
	b->n = k;
	if (b->n == BW_CLS_CAND_MAX)
		return 0;
	b->atom[b->n++] = i;
	a->tuple = t;
	return 1;
}

/* Put atom i into the first tuple that takes it, else a new one: the
 * coarsest refinement no tuple has yet (TupleMerge's split of a tuple
 * whose keys collide), or a second tuple of the finest mask. */
static int place(struct work *w, uint32_t i)
{
	uint8_t fine[BW_CLS_PKT], key[BW_CLS_KEY], m[BW_CLS_PKT];
	struct bucket *b;
	uint32_t t;
	int r;

	natural_mask(&w->as.a[i], 2, fine);
	for (t = 0; t < w->ntuple; t++) {
		if (!mask_within(w->tmask[t], fine))
			continue;
		masked_key(&w->as.a[i], w->tmask[t], key);
		b = btab_get(&w->bt, t, key);
		if (!b)
			return -ENOMEM;
		if (bucket_put(w, b, i, t))
			return 0;
	}
	for (unsigned level = 0; level <= 2; level++) {
		natural_mask(&w->as.a[i], level, m);
		for (t = 0; t < w->ntuple && memcmp(w->tmask[t], m, BW_CLS_PKT); t++)
			;
		if (t == w->ntuple || level == 2)
			break;
	}
	r = tuple_new(w, m);
	if (r < 0)
		return r;
	masked_key(&w->as.a[i], m, key);
	b = btab_get(&w->bt, (uint32_t)r, key);
	if (!b)
		return -ENOMEM;
	return bucket_put(w, b, i, (uint32_t)r) ? 0 : -EFAULT;
}

/* Atoms in the order they are placed: the biggest class of coarse masks
 * first (it makes the tuple the others merge into), rule order within. */
static const struct atom *sort_atoms;
static const uint8_t (*sort_masks)[BW_CLS_PKT];

static int cmp_by_mask(const void *x, const void *y)
{
	uint32_t i = *(const uint32_t *)x, j = *(const uint32_t *)y;
	int c = memcmp(sort_masks[i], sort_masks[j], BW_CLS_PKT);

	if (c)
		return c;
	return sort_atoms[i].rule < sort_atoms[j].rule ? -1 :
	       sort_atoms[i].rule > sort_atoms[j].rule;
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
	uint8_t (*masks)[BW_CLS_PKT] = malloc((n ? n : 1) * sizeof(*masks));
	int err = 0;

	if (!ord || !cls || !masks) {
		free(ord);
		free(cls);
		free(masks);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n; i++) {
		ord[i] = i;
		natural_mask(&w->as.a[i], 0, masks[i]);
	}
	sort_atoms = w->as.a;
	sort_masks = (const uint8_t (*)[BW_CLS_PKT])masks;
	qsort(ord, n, sizeof(*ord), cmp_by_mask);
	for (uint32_t i = 0; i < n; i++) {
		if (!i || memcmp(masks[ord[i]], masks[ord[i - 1]], BW_CLS_PKT))
			cls[ncls++] = (struct cls_class){ i, 0 };
		cls[ncls - 1].n++;
	}
	qsort(cls, ncls, sizeof(*cls), cmp_class);
	for (uint32_t c = 0; !err && c < ncls; c++)
		for (uint32_t k = 0; !err && k < cls[c].n; k++)
			err = place(w, ord[cls[c].start + k]);
	free(ord);
	free(cls);
	free(masks);
	return err;
}

/* ------------------------------------------------------------- plan */

/* Append a field's name to the description (cut when full). */
static void desc_add(struct bw_cls_tuple *t, const char *what, int plen)
{
	size_t len = strlen(t->desc);

	snprintf(t->desc + len, sizeof(t->desc) - len, plen >= 0 ? "%s%s/%d" :
		 "%s%s", len > 6 ? " . " : "", what, plen);
}

static void describe(struct bw_cls_tuple *t)
{
	uint32_t sm, dm;

	memcpy(&sm, t->mask + BW_CLS_K_SADDR, 4);
	memcpy(&dm, t->mask + BW_CLS_K_DADDR, 4);
	snprintf(t->desc, sizeof(t->desc), "tuple ");
	if (sm)
		desc_add(t, "ip saddr", plen32(sm));
	if (dm)
		desc_add(t, "ip daddr", plen32(dm));
	for (unsigned i = 0; i < 2; i++) {
		uint64_t m6[2];

		memcpy(m6, t->mask + BW_CLS_K_SADDR6 + 16 * i, 16);
		if (m6[0])
			desc_add(t, i ? "ip6 daddr" : "ip6 saddr",
				 m6[1] ? 64 + __builtin_popcountll(m6[1]) :
				 __builtin_popcountll(m6[0]));
	}
	for (unsigned i = 0; i < 2; i++) {
		uint64_t n[2];

		memcpy(n, t->mask + BW_CLS_K_IIF + 16 * i, 16);
		if (n[0] | n[1])
			desc_add(t, i ? "oifname" : "iifname", -1);
	}
	if (t->mask[BW_CLS_K_PROTO])
		desc_add(t, "l4proto", -1);
	if (t->mask[BW_CLS_K_SPORT])
		desc_add(t, "sport", -1);
	if (t->mask[BW_CLS_K_DPORT])
		desc_add(t, "dport", -1);
	if (!t->desc[6])
		desc_add(t, t->mask[BW_CLS_K_L3] & BW_CLS_L3_MASK ? "ip" : "any", -1);
}

/* Candidate of atom a (rule r) into c, csize bytes (classify.h). */
static void cand_of(struct bw_cls_cand *c, uint32_t csize, const struct atom *a,
		    const struct bw_ir_rule *r)
{
	memset(c, 0, csize);
	if (csize == sizeof(struct bw_cls_cand6)) {
		struct bw_cls_cand6 *w = (struct bw_cls_cand6 *)c;

		memcpy(w->s6_lo, a->lo6[0], 16);
		memcpy(w->s6_hi, a->hi6[0], 16);
		memcpy(w->d6_lo, a->lo6[1], 16);
		memcpy(w->d6_hi, a->hi6[1], 16);
		memcpy(w->iif_val, a->ifv[0], 16);
		memcpy(w->iif_mask, a->ifm[0], 16);
		memcpy(w->oif_val, a->ifv[1], 16);
		memcpy(w->oif_mask, a->ifm[1], 16);
	}
	memcpy(c->val, a->bv, 2);
	memcpy(c->mask, a->bm, 2);
	c->saddr_lo = a->lo[0];
	c->saddr_hi = a->hi[0];
	c->daddr_lo = a->lo[1];
	c->daddr_hi = a->hi[1];
	c->sport_lo = a->plo[0];
	c->sport_hi = a->phi[0];
	c->dport_lo = a->plo[1];
	c->dport_hi = a->phi[1];
	c->rule = a->rule;
	c->handle = r->handle;
	c->verdict = (uint8_t)r->verdict;
	c->counter = r->counter;
}

/* The checks atom a needs in tuple t beyond the key. */
static uint32_t checks(const struct atom *a, const uint8_t *tm)
{
	uint32_t c = 0, am[2];
	uint16_t pm[2];
	bool wide = mask_wide(tm);

	memcpy(am, tm + BW_CLS_K_SADDR, 8);
	memcpy(pm, tm + BW_CLS_K_SPORT, 4);
	if (a->bm[0] != tm[0] || a->bm[1] != tm[1])
		c |= BW_CLS_CHK_L3;
	for (unsigned i = 0; i < 2; i++) {
		/* a wide key xors the fingerprint over the IPv4 addresses */
		if ((a->lo[i] & ~am[i]) || a->hi[i] != (a->lo[i] | ~am[i]) ||
		    (wide && (a->lo[i] || ~a->hi[i])))
			c |= i ? BW_CLS_CHK_DADDR : BW_CLS_CHK_SADDR;
		if (!(a->plo[i] == a->phi[i] && pm[i] == 0xffff) &&
		    !(a->plo[i] == 0 && a->phi[i] == 0xffff))
			c |= i ? BW_CLS_CHK_DPORT : BW_CLS_CHK_SPORT;
		/* the key holds a fingerprint: always the full address */
		if (!any6(a, i))
			c |= i ? BW_CLS_CHK_DADDR6 : BW_CLS_CHK_SADDR6;
		if (has_if(a, i))
			c |= i ? BW_CLS_CHK_OIF : BW_CLS_CHK_IIF;
	}
	return c;
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

/* Room for one more staged entry of esz bytes in table t; its bytes. */
static uint8_t *stage_entry(struct bw_cls_table *t, uint32_t esz)
{
	if (t->nkey == t->kcap) {
		uint32_t ncap = t->kcap ? t->kcap * 2 : 256;
		void *n = realloc(t->eoff, ncap * sizeof(*t->eoff));

		if (!n)
			return NULL;
		t->eoff = n;
		t->kcap = ncap;
	}
	if (t->nent + esz > t->ecap) {
		uint64_t ncap = t->ecap ? t->ecap * 2 : 16384;
		void *n;

		while (ncap < t->nent + esz)
			ncap *= 2;
		n = realloc(t->ent, ncap);
		if (!n)
			return NULL;
		t->ent = n;
		t->ecap = ncap;
	}
	t->eoff[t->nkey++] = (uint32_t)t->nent;
	t->nent += esz;
	return t->ent + t->nent - esz;
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
	if (!p->cls) {
		p->cls = calloc(1, sizeof(*p->cls));
		if (!p->cls) {
			free(nent);
			return -ENOMEM;
		}
	}
	for (uint32_t t = 0; t < w->ntuple; t++) {
		struct bw_cls_tuple *tp = &p->tuple[tbase + t];

		memset(tp, 0, sizeof(*tp));
		memcpy(tp->mask, w->tmask[t], BW_CLS_PKT);
		tp->wide = mask_wide(tp->mask);
		tp->csize = sizeof(struct bw_cls_cand);
		tp->min_rule = BW_CLS_NO_RULE;
		tp->id = tbase + t;
	}
	p->ntuple += w->ntuple;
	/* sizes: keys, candidates per key, rules */
	for (uint32_t i = 0; i < w->bt.n; i++) {
		struct bw_cls_tuple *tp = &p->tuple[tbase + w->bt.b[i].tuple];

		if (!w->bt.b[i].n)
			continue;
		nent[w->bt.b[i].tuple]++;
		if (w->bt.b[i].n > tp->ncand)
			tp->ncand = w->bt.b[i].n;
	}
	for (uint32_t i = 0; i < w->as.n; i++) {
		const struct atom *a = &w->as.a[i];
		struct bw_cls_tuple *tp;

		if (a->tuple == NO_TUPLE)
			continue;
		tp = &p->tuple[tbase + a->tuple];
		tp->natom++;
		if (a->rule < tp->min_rule)
			tp->min_rule = a->rule;
		tp->check |= checks(a, tp->mask);
	}
	for (uint32_t t = 0; t < w->ntuple; t++) {
		struct bw_cls_tuple *tp = &p->tuple[tbase + t];

		/* an IPv6 range in a tuple without IPv6 bits (a /0 or a
		 * range wider than a /8 block) needs the wide candidates too */
		if (tp->wide || (tp->check & (BW_CLS_CHK_SADDR6 | BW_CLS_CHK_DADDR6 |
					      BW_CLS_CHK_IIF | BW_CLS_CHK_OIF)))
			tp->csize = sizeof(struct bw_cls_cand6);
	}
	for (uint32_t t = 0; t < w->ntuple; t++) {
		struct bw_cls_tuple *tp = &p->tuple[tbase + t];

		describe(tp);
		snprintf(tp->desc + strlen(tp->desc), sizeof(tp->desc) - strlen(tp->desc),
			 ": %u keys, %u candidates, from rule %u", nent[t],
			 tp->natom, tp->min_rule + 1);
		tp->nkey = nent[t];
	}
	free(nent);
	sort_atoms = w->as.a;
	for (uint32_t i = 0; !err && i < w->bt.n; i++) {
		struct bucket *b = &w->bt.b[i];
		struct bw_cls_tuple *tp = &p->tuple[tbase + b->tuple];
		uint8_t *key;
		uint8_t *v;

		if (!b->n)
			continue;
		key = stage_entry(p->cls, BW_CLS_KEY + tp->ncand * tp->csize);
		if (!key) {
			err = -ENOMEM;
			break;
		}
		v = key + BW_CLS_KEY;
		qsort(b->atom, b->n, sizeof(b->atom[0]), cmp_bucket_atom);
		memcpy(key, b->key, BW_CLS_KEY);
		key[BW_CLS_K_TUPLE] = (uint8_t)tp->id;
		key[BW_CLS_K_TUPLE + 1] = (uint8_t)(tp->id >> 8);
		for (uint32_t k = 0; k < tp->ncand; k++) {
			struct bw_cls_cand *c = (struct bw_cls_cand *)(v + k * tp->csize);

			if (k < b->n) {
				const struct atom *a = &w->as.a[b->atom[k]];

				cand_of(c, tp->csize, a, &ch->rule[a->rule]);
			} else {
				memset(c, 0, tp->csize);
				c->rule = BW_CLS_NO_RULE;
			}
		}
	}
	if (err)
		return err;
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

	/* a netdev chain runs on its device only: its interface matches
	 * are decided now, as codegen decides them (the device is the input
	 * interface at ingress, the output one at egress, there is no
	 * other); a user chain's or an IP hook's are the packet's */
	const char *dev[2] = { NULL, NULL };
	bool netdev = bw_chain_hook_netdev(ch->hook) && ch->device &&
		      !ch->nmore_dev;	/* several: no one device to decide by */

	if (netdev)
		dev[ch->hook == BW_CHAIN_EGRESS] = ch->device;
	for (uint32_t r = first; !err && r < first + n; r++)
		err = rule_atoms(&w.as, &ch->rule[r], r, netdev ? dev : NULL);
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

/* ------------------------------------------------------ the flat table */

static uint64_t key_hash(const uint8_t *k, uint64_t seed)
{
	uint64_t w0, w1;

	memcpy(&w0, k, 8);
	memcpy(&w1, k + 8, 8);
	return bw_cls_hash(w0, w1, seed);
}

/*
 * Robin Hood placement of t's staged keys (hashes h) into who (slot ->
 * key index + 1, 0 empty; 1 << bits slots + BW_CLS_PROBE_MAX).  False
 * when a key would land BW_CLS_PROBE_MAX or more slots from home.
 */
static bool place_keys(const struct bw_cls_table *t, const uint64_t *h,
		       uint32_t bits, uint32_t *who, uint32_t *max_probe)
{
	uint32_t nslot = UINT32_C(1) << bits, shift = 64 - bits;

	memset(who, 0, (nslot + BW_CLS_PROBE_MAX) * sizeof(*who));
	*max_probe = 1;
	for (uint32_t k = 0; k < t->nkey; k++) {
		uint32_t cur = k, pos = (uint32_t)(h[k] >> shift), dist = 0;

		for (;;) {
			uint32_t o, odist;

			if (dist >= BW_CLS_PROBE_MAX)
				return false;
			if (!who[pos]) {
				who[pos] = cur + 1;
				break;
			}
			o = who[pos] - 1;
			odist = pos - (uint32_t)(h[o] >> shift);
			if (odist < dist) {	/* the richer key moves on */
				who[pos] = cur + 1;
				cur = o;
				dist = odist;
			}
			pos++;
			dist++;
		}
	}
	/* every slot from a key's home to its own is taken (a lookup stops
	 * at an empty one) */
	for (uint32_t s = 0; s < nslot + BW_CLS_PROBE_MAX; s++) {
		uint32_t home;

		if (!who[s])
			continue;
		home = (uint32_t)(h[who[s] - 1] >> shift);
		if (s - home + 1 > *max_probe)
			*max_probe = s - home + 1;
		for (uint32_t j = home; j < s; j++)
			if (!who[j])
				return false;
	}
	return true;
}

int bw_cls_finish(struct bw_opt_plan *p)
{
	struct bw_cls_table *t = p->cls;
	uint32_t bits = BW_CLS_BITS_MIN, *who = NULL, tries = 0;
	uint64_t *h = NULL, offs, ent, nslot;
	struct bw_lookup_map *m;
	uint8_t *blob;
	void *nm;
	int err = 0;

	if (!t)
		return 0;
	while (bits < 31 && (UINT64_C(1) << bits) < (uint64_t)t->nkey * 2)
		bits++;
	h = malloc((t->nkey ? t->nkey : 1) * sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (;;) {
		for (uint32_t k = 0; k < t->nkey; k++)
			h[k] = key_hash(t->ent + t->eoff[k], t->seed);
		free(who);
		who = malloc(((UINT64_C(1) << bits) + BW_CLS_PROBE_MAX) *
			     sizeof(*who));
		if (!who) {
			err = -ENOMEM;
			goto out;
		}
		if (place_keys(t, h, bits, who, &t->max_probe))
			break;
		/* a new seed twice, then twice the slots */
		if (++tries % 3)
			t->seed = t->seed * 6364136223846793005u + 1442695040888963407u;
		else if (++bits > 28) {
			err = -E2BIG;
			goto out;
		}
	}
	t->bits = bits;
	nslot = (UINT64_C(1) << bits) + BW_CLS_PROBE_MAX;
	offs = bw_cls_offs_at(bits);
	ent = bw_cls_ent_at(bits);
	t->size = ent + t->nent;
	if (t->size >= UINT64_C(1) << 29) {	/* the verifier's BPF_MAX_VAR_OFF */
		err = -E2BIG;
		goto out;
	}
	nm = realloc(p->map, (p->nmap + 1) * sizeof(*p->map));
	if (!nm) {
		err = -ENOMEM;
		goto out;
	}
	p->map = nm;
	m = &p->map[p->nmap];
	memset(m, 0, sizeof(*m));
	m->flat = true;
	m->key_size = 4;
	m->nentries = 1;
	m->value_size = (uint32_t)t->size;
	m->keys = calloc(1, 4);
	m->raw = blob = calloc(1, t->size);
	if (!m->keys || !blob) {
		free(m->keys);
		free(m->raw);
		err = -ENOMEM;
		goto out;
	}
	t->map = p->nmap++;
	for (uint64_t s = 0; s < nslot; s++) {
		uint32_t k = who[s], off;

		if (!k--)
			continue;
		blob[s] = bw_cls_tag(h[k], bits);
		off = (uint32_t)(ent + t->eoff[k]);
		memcpy(blob + offs + s * 4, &off, 4);
	}
	memcpy(blob + ent, t->ent, t->nent);
	snprintf(t->desc, sizeof(t->desc), "table: %u slots, %u keys, %u KiB, "
		 "at most %u slots a probe", 1u << bits, t->nkey,
		 (unsigned)((t->size + 1023) / 1024), t->max_probe);
	free(t->ent);
	free(t->eoff);
	t->ent = NULL;
	t->eoff = NULL;
out:
	free(h);
	free(who);
	return err;
}

void bw_cls_table_free(struct bw_cls_table **pt)
{
	struct bw_cls_table *t = pt ? *pt : NULL;

	if (!t)
		return;
	free(t->ent);
	free(t->eoff);
	free(t);
	*pt = NULL;
}

/* ------------------------------------------------------ the search in C */

void bw_cls_key(uint8_t key[BW_CLS_PKT], uint8_t l3, uint8_t l4proto,
		uint8_t flags, const uint8_t *l3h, const uint8_t *l4h,
		const char *iif, const char *oif)
{
	uint8_t b[2] = { (uint8_t)(l3 | (flags & 1 ? BW_CLS_L4_BIT : 0) |
				   (iif ? BW_CLS_IIF_BIT : 0) |
				   (oif ? BW_CLS_OIF_BIT : 0)), l4proto };
	uint32_t addr[2] = { be32(l3h + 12), be32(l3h + 16) };
	uint16_t port[2] = { be16(l4h), be16(l4h + 2) };
	uint64_t a6[4] = { 0 };
	uint8_t ifn[2][16] = { { 0 } };

	for (unsigned i = 0; l3 == 6 && i < 4; i++)
		a6[i] = be64(l3h + 8 + 8 * i);
	if (iif)
		strncpy((char *)ifn[0], iif, 15);
	if (oif)
		strncpy((char *)ifn[1], oif, 15);
	key_put(key, b, addr, port, a6, (const uint8_t (*)[16])ifn);
}

static bool name_holds(const uint8_t *k, const uint8_t *v, const uint8_t *m)
{
	for (unsigned i = 0; i < 16; i++)
		if ((k[i] & m[i]) != v[i])
			return false;
	return true;
}

static bool in128(const uint8_t *k, const uint64_t *lo, const uint64_t *hi)
{
	uint64_t x[2];

	memcpy(x, k, 16);
	return !lt128(x, lo) && !lt128(hi, x);
}

static bool cand_holds(const struct bw_cls_cand *c, uint32_t csize,
		       const uint8_t *key)
{
	const struct bw_cls_cand6 *w = (const struct bw_cls_cand6 *)c;
	uint32_t s, d;
	uint16_t sp, dp;

	memcpy(&s, key + BW_CLS_K_SADDR, 4);
	memcpy(&d, key + BW_CLS_K_DADDR, 4);
	memcpy(&sp, key + BW_CLS_K_SPORT, 2);
	memcpy(&dp, key + BW_CLS_K_DPORT, 2);
	if (csize == sizeof(*w) &&
	    (!in128(key + BW_CLS_K_SADDR6, w->s6_lo, w->s6_hi) ||
	     !in128(key + BW_CLS_K_DADDR6, w->d6_lo, w->d6_hi) ||
	     !name_holds(key + BW_CLS_K_IIF, w->iif_val, w->iif_mask) ||
	     !name_holds(key + BW_CLS_K_OIF, w->oif_val, w->oif_mask)))
		return false;
	return (key[0] & c->mask[0]) == c->val[0] &&
	       (key[1] & c->mask[1]) == c->val[1] &&
	       s >= c->saddr_lo && s <= c->saddr_hi &&
	       d >= c->daddr_lo && d <= c->daddr_hi &&
	       sp >= c->sport_lo && sp <= c->sport_hi &&
	       dp >= c->dport_lo && dp <= c->dport_hi;
}

uint32_t bw_cls_lookup(const struct bw_opt_plan *p, const struct bw_opt_group *g,
		       const uint8_t key[BW_CLS_PKT])
{
	const struct bw_cls_table *tab = p->cls;
	const uint8_t *raw = p->map[tab->map].raw;
	uint32_t best = BW_CLS_NO_RULE;

	for (uint32_t t = g->tuple; t < g->tuple + g->ntuple; t++) {
		const struct bw_cls_tuple *tp = &p->tuple[t];
		const uint8_t *v = NULL;
		uint8_t pk[BW_CLS_PKT], mk[BW_CLS_KEY];
		uint64_t h, home;

		if (best <= tp->min_rule)
			break;
		for (unsigned i = 0; i < BW_CLS_PKT; i++)
			pk[i] = key[i] & tp->mask[i];
		table_key(pk, tp->mask, mk);
		mk[BW_CLS_K_TUPLE] = (uint8_t)tp->id;
		mk[BW_CLS_K_TUPLE + 1] = (uint8_t)(tp->id >> 8);
		h = key_hash(mk, tab->seed);
		home = h >> (64 - tab->bits);
		for (uint32_t i = 0; i < tab->max_probe; i++) {
			uint32_t off;

			if (!raw[home + i])
				break;
			if (raw[home + i] != bw_cls_tag(h, tab->bits))
				continue;
			memcpy(&off, raw + bw_cls_offs_at(tab->bits) + (home + i) * 4, 4);
			if (!memcmp(raw + off, mk, BW_CLS_KEY)) {
				v = raw + off + BW_CLS_KEY;
				break;
			}
		}
		for (uint32_t k = 0; v && k < tp->ncand; k++) {
			const struct bw_cls_cand *c =
				(const struct bw_cls_cand *)(v + k * tp->csize);

			if (c->rule >= best)
				break;
			if (cand_holds(c, tp->csize, key)) {
				best = c->rule;
				break;
			}
		}
	}
	return best;
}
