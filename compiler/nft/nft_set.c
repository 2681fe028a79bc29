// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sets and maps of the nf_tables plan: named sets of the IR, anonymous
 * ones for a rule's literal set or for a match of several values, and
 * their elements as the kernel's set types want them: hash sets take keys,
 * interval sets (rbtree) a start and an end (one past the last value) per
 * interval, concatenated intervals (pipapo) a key and a key end; a
 * concatenation's parts each in whole 32-bit registers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>

#include "compiler/front/mapadd.h"
#include "nft_int.h"

static uint32_t keylen(const struct bw_nft_setdef *def)
{
	uint32_t n = 0;

	if (def->nkey == 1)
		return def->klen[0];
	for (uint32_t i = 0; i < def->nkey; i++)
		n += (def->klen[i] + 3u) & ~3u;
	return n;
}

static uint32_t nfproto(enum bw_family f)
{
	return f == BW_FAMILY_INET ? NFPROTO_INET : f == BW_FAMILY_IP ?
	       NFPROTO_IPV4 : f == BW_FAMILY_IP6 ? NFPROTO_IPV6 :
	       f == BW_FAMILY_BRIDGE ? NFPROTO_BRIDGE :
	       f == BW_FAMILY_ARP ? NFPROTO_ARP : NFPROTO_NETDEV;
}

static int udata(struct nftnl_set *s, const struct bw_nft_setdef *def)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(64);
	bool ok;

	if (!u)
		return -ENOMEM;
	ok = nftnl_udata_put_u32(u, NFTNL_UDATA_SET_KEYBYTEORDER, def->byteorder);
	if (def->map)
		ok &= nftnl_udata_put_u32(u, NFTNL_UDATA_SET_DATABYTEORDER,
					  def->dlen ? def->data_byteorder : BW_NBO_INVALID);
	if (!def->name && def->interval)	/* nft merges a literal's ranges */
		ok &= nftnl_udata_put_u32(u, NFTNL_UDATA_SET_MERGE_ELEMENTS, 1);
	if (def->data_interval)
		ok &= nftnl_udata_put_u32(u, NFTNL_UDATA_SET_DATA_INTERVAL, 1);
	if (ok)
		nftnl_set_set_data(s, NFTNL_SET_USERDATA, nftnl_udata_buf_data(u),
				   nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return ok ? 0 : -ENOMEM;
}

static struct nftnl_set *set_new(struct bw_nft_bld *b,
				 const struct bw_nft_setdef *def)
{
	struct bw_nft_plan *p = b->p;
	struct nftnl_set *s = nftnl_set_alloc();
	uint32_t flags = 0, type = 0;

	if (!s) {
		b->oom = true;
		return NULL;
	}
	if (!def->name)
		flags |= NFT_SET_ANONYMOUS | NFT_SET_CONSTANT;
	if (def->interval)
		flags |= NFT_SET_INTERVAL;
	if (def->map)
		flags |= NFT_SET_MAP;
	if (def->objtype)
		flags |= NFT_SET_OBJECT;
	if (def->interval && def->nkey > 1)
		flags |= NFT_SET_CONCAT;
	if (def->eval)
		flags |= NFT_SET_EVAL;
	for (uint32_t i = 0; i < def->nkey; i++)
		type = type << BW_NT_BITS | def->dtype[i];
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, nfproto(def->fam));
	nftnl_set_set_str(s, NFTNL_SET_TABLE, p->table);
	nftnl_set_set_str(s, NFTNL_SET_NAME, def->name ? def->name :
			  def->objtype ? "__objmap%d" :
			  def->map ? "__map%d" : "__set%d");
	nftnl_set_set_u32(s, NFTNL_SET_ID, ++p->set_id);
	nftnl_set_set_u32(s, NFTNL_SET_FLAGS, flags);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_TYPE, type);
	nftnl_set_set_u32(s, NFTNL_SET_KEY_LEN, keylen(def));
	if (def->map && def->dlen) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, def->dtype_data);
		nftnl_set_set_u32(s, NFTNL_SET_DATA_LEN, def->dlen);
	} else if (def->map) {
		nftnl_set_set_u32(s, NFTNL_SET_DATA_TYPE, NFT_DATA_VERDICT);
	}
	if (def->objtype)
		nftnl_set_set_u32(s, NFTNL_SET_OBJ_TYPE, def->objtype);
	if (def->name && def->size)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, def->size);
	if (def->timeout)
		bw_nft_set_timeout(s, def);
	if (def->interval && def->nkey > 1) {
		uint8_t fl[BW_SET_MAX_KEYS];	/* libnftnl: bytes, 0 ends */

		for (uint32_t i = 0; i < def->nkey; i++)
			fl[i] = def->klen[i];
		nftnl_set_set_data(s, NFTNL_SET_DESC_CONCAT, fl, def->nkey);
	}
	if (udata(s, def)) {
		nftnl_set_free(s);
		b->oom = true;
		return NULL;
	}
	return s;
}

/* One element into s: key (and key end), a map's verdict, flags. */
static struct nftnl_set_elem *elem(struct bw_nft_bld *b, struct nftnl_set *s,
				   const uint8_t *key, const uint8_t *key_end,
				   uint32_t len, const struct bw_nft_elem *e,
				   bool map, uint32_t flags)
{
	struct nftnl_set_elem *x = nftnl_set_elem_alloc();

	if (!x) {
		b->oom = true;
		return NULL;
	}
	if (!(flags & NFT_SET_ELEM_CATCHALL))
		nftnl_set_elem_set(x, NFTNL_SET_ELEM_KEY, key, len);
	if (key_end)
		nftnl_set_elem_set(x, NFTNL_SET_ELEM_KEY_END, key_end, len);
	if (flags)
		nftnl_set_elem_set_u32(x, NFTNL_SET_ELEM_FLAGS, flags);
	if (e && e->objref)
		nftnl_set_elem_set_str(x, NFTNL_SET_ELEM_OBJREF, e->objref);
	if (e && e->timeout_ms)
		nftnl_set_elem_set_u64(x, NFTNL_SET_ELEM_TIMEOUT, e->timeout_ms);
	if (map && e && e->dlen) {
		nftnl_set_elem_set(x, NFTNL_SET_ELEM_DATA, e->data, e->dlen);
	} else if (map && e) {
		nftnl_set_elem_set_u32(x, NFTNL_SET_ELEM_VERDICT, e->verdict);
		if (e->chain)
			nftnl_set_elem_set_str(x, NFTNL_SET_ELEM_CHAIN, e->chain);
	}
	nftnl_set_elem_add(s, x);
	return x;
}

/* nft's mark of an interval up to the largest key, which has no end
 * element (its userdata, NFTNL_SET_ELEM_F_INTERVAL_OPEN) */
static int open_elem(struct nftnl_set_elem *x)
{
	struct nftnl_udata_buf *u = nftnl_udata_buf_alloc(16);
	bool ok;

	if (!u)
		return -ENOMEM;
	ok = nftnl_udata_put_u32(u, NFTNL_UDATA_SET_ELEM_FLAGS,
				 NFTNL_SET_ELEM_F_INTERVAL_OPEN);
	if (ok)
		nftnl_set_elem_set(x, NFTNL_SET_ELEM_USERDATA, nftnl_udata_buf_data(u),
				   nftnl_udata_buf_len(u));
	nftnl_udata_buf_free(u);
	return ok ? 0 : -ENOMEM;
}

static uint32_t sort_len;

static int by_lo(const void *a, const void *b)
{
	return memcmp(((const struct bw_nft_elem *)a)->lo,
		      ((const struct bw_nft_elem *)b)->lo, sort_len);
}

/* An rbtree interval set: ranges sorted, a literal's overlapping and
 * touching ones merged (as nft), each a start and an end one past it
 * (none past the largest key), and a leading end at zero, as nft. */
static int intervals(struct bw_nft_bld *b, struct nftnl_set *s,
		     const struct bw_nft_setdef *def, struct bw_nft_elem *el,
		     uint32_t n, uint32_t *count)
{
	uint32_t len = def->klen[0], out = 0;
	uint8_t zero[64] = { 0 }, end[64];

	sort_len = len;
	qsort(el, n, sizeof(*el), by_lo);
	for (uint32_t i = 0; i < n; i++) {
		if (el[i].catchall)	/* bw_nft_set_add adds it */
			continue;
		if (out && !def->map) {
			struct bw_nft_elem *last = &el[out - 1];

			memcpy(end, last->hi, len);
			bool wrap = !bw_nft_be_inc(end, len);

			if (wrap || memcmp(el[i].lo, end, len) < 0 ||
			    (!def->name && !memcmp(el[i].lo, end, len))) {
				if (!wrap && memcmp(el[i].hi, last->hi, len) > 0)
					memcpy(last->hi, el[i].hi, len);
				continue;
			}
		}
		el[out++] = el[i];
	}
	if (out && !bw_nft_is_zero(el[0].lo, len) &&
	    !elem(b, s, zero, NULL, len, NULL, false, NFT_SET_ELEM_INTERVAL_END))
		return -ENOMEM;
	*count += out && !bw_nft_is_zero(el[0].lo, len);
	for (uint32_t i = 0; i < out; i++) {
		struct nftnl_set_elem *x = elem(b, s, el[i].lo, NULL, len, &el[i], def->map, 0);

		if (!x)
			return -ENOMEM;
		memcpy(end, el[i].hi, len);
		(*count)++;
		if (!bw_nft_be_inc(end, len)) {
			/* up to the largest key: nft marks it open */
			if (open_elem(x))
				return -ENOMEM;
			continue;
		}
		/* a data map's next interval starting there: no end (nft) */
		if (def->dlen && i + 1 < out && !memcmp(el[i + 1].lo, end, len))
			continue;
		if (!elem(b, s, end, NULL, len, NULL, false, NFT_SET_ELEM_INTERVAL_END))
			return -ENOMEM;
		(*count)++;
	}
	return 0;
}

static int add_set(struct bw_nft_bld *b, struct nftnl_set *s)
{
	struct bw_nft_plan *p = b->p;

	if (p->nset == p->cap_set) {
		uint32_t c = p->cap_set ? p->cap_set * 2 : 16;
		struct nftnl_set **v = reallocarray(p->sets, c, sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->sets = v;
		p->cap_set = c;
	}
	p->sets[p->nset++] = s;
	return 0;
}

struct nftnl_set *bw_nft_set_add(struct bw_nft_bld *b,
				 const struct bw_nft_setdef *def,
				 struct bw_nft_elem *el, uint32_t n)
{
	struct nftnl_set *s = set_new(b, def);
	uint32_t len = keylen(def), count = 0;
	struct bw_nft_elem all = { 0 };	/* the catch-all: intervals()
					 * sorts and packs el */
	bool has_all = false;
	int rc = 0;

	if (!s)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		if (el[i].catchall) {
			all = el[i];
			has_all = true;
		}
	if (def->interval && def->nkey == 1) {
		rc = intervals(b, s, def, el, n, &count);
	} else {
		for (uint32_t i = 0; i < n && !rc; i++) {
			struct nftnl_set_elem *x;
			bool dup = false;

			if (el[i].catchall)
				continue;
			for (uint32_t j = 0; j < i && !dup && !def->interval &&
			     !el[i].nifn; j++)
				dup = !memcmp(el[j].lo, el[i].lo, len) &&
				      (!el[i].ifname || !strncmp(el[i].ifname, el[j].ifname, 16));
			if (dup)
				continue;
			x = elem(b, s, el[i].lo, def->interval ? el[i].hi : NULL, len,
				 &el[i], def->map, 0);
			if (!x)
				rc = -ENOMEM;
			else if (el[i].ifname)
				bw_nft_ifref(b, NULL, x, 0, el[i].ifname, def->loc);
			if (x && el[i].dataif)
				bw_nft_ifref_data(b, x, el[i].dataif, def->loc);
			for (uint32_t j = 0; x && j < el[i].nifn; j++)
				bw_nft_ifref(b, NULL, x, el[i].ifoffs[j], el[i].ifnames[j],
					     def->loc);
			count++;
		}
	}
	if (!rc && has_all) {		/* the catch-all, last */
		if (!elem(b, s, all.lo, NULL, len, &all, def->map,
			  NFT_SET_ELEM_CATCHALL))
			rc = -ENOMEM;
		count++;
	}
	if (!rc && !def->name)
		nftnl_set_set_u32(s, NFTNL_SET_DESC_SIZE, count);
	if (!rc && (b->oom || add_set(b, s)))
		rc = -ENOMEM;
	if (rc) {
		nftnl_set_free(s);
		b->oom = true;
		return NULL;
	}
	return s;
}

static uint32_t verdict(enum bw_verdict v)
{
	switch (v) {
	case BW_VERDICT_ACCEPT:	return NF_ACCEPT;
	case BW_VERDICT_DROP:	return NF_DROP;
	case BW_VERDICT_JUMP:	return (uint32_t)NFT_JUMP;
	case BW_VERDICT_GOTO:	return (uint32_t)NFT_GOTO;
	case BW_VERDICT_RETURN:	return (uint32_t)NFT_RETURN;
	default:		return (uint32_t)NFT_CONTINUE;
	}
}

/* The kernel form of set is's key part k: a raw payload's is its
 * bytes, an integer (bw_nft_keys loads them whole). */
static const struct bw_kfield *set_kfield(const struct bw_ir_set *is,
					  uint32_t k)
{
	static struct bw_kfield raw[17];
	const struct bw_field *f = bw_field(is->key[k]);

	if (!f->raw || f->size > 16)
		return bw_kfield_in(is->family, is->key[k]);
	raw[f->size] = (struct bw_kfield){ .src = KF_PAYLOAD,
					   .len = (uint8_t)f->size,
					   .dtype = BW_NT_INTEGER };
	return &raw[f->size];
}

struct nftnl_set *bw_nft_ir_set(struct bw_nft_bld *b, uint32_t si,
				const char *table)
{
	const struct bw_ir_set *is = &b->ir->set[si];
	struct bw_nft_setdef def = {
		.name = is->name ? b->set_name[si] : NULL, .fam = is->family,
		.nkey = is->nkey, .interval = is->interval, .map = is->map,
		.size = is->size, .loc = &is->loc, .objtype = is->objtype,
		.timeout = is->timeout, .timeout_ms = is->timeout_ms,
		.gc_ms = is->gc_ms,
	};
	const struct bw_kfield *dk;
	struct bw_nft_elem *el;
	struct nftnl_set *s;
	uint8_t order = BW_NBO_BIG;

	(void)table;
	if (is->name && b->set_obj[si])
		return b->set_obj[si];
	for (uint32_t k = 0; k < is->nkey; k++) {
		const struct bw_field *f = bw_field(is->key[k]);
		const struct bw_kfield *kf = set_kfield(is, k);

		/* interfaces by index: the anonymous sets of a rule, whose
		 * names are resolved at commit (a named set's elements
		 * change later, by name) */
		if (!kf || (kf->ifindex && (is->name || is->interval))) {
			bw_nft_error(b, &is->loc, "a set of %s %s has no exact nf_tables form",
				     f->proto, f->name);
			return NULL;
		}
		def.klen[k] = kf->len;
		def.dtype[k] = kf->dtype;
		order = bw_kfield_byteorder(kf);
	}
	def.byteorder = is->nkey > 1 ? BW_NBO_INVALID : order;
	if (is->ndata > 1 && bw_nft_mapcat_def(b, is, &def))
		return NULL;
	dk = is->ndata == 1 ? bw_kfield_in(is->family, is->data) : NULL;
	if (is->ndata == 1 && (!dk || dk->ifindex)) {
		bw_nft_error(b, &is->loc, "a map to %s has no exact nf_tables form",
			     bw_field(is->data)->name);
		return NULL;
	}
	if (dk) {			/* a map of data */
		def.map = true;
		def.eval = is->size && bw_mapadd_changed(b->ir, si);
		def.dlen = dk->len;
		def.dtype_data = dk->dtype;
		def.data_byteorder = bw_kfield_byteorder(dk);
	}
	el = calloc(is->nelem + 1, sizeof(*el));
	if (!el) {
		b->oom = true;
		return NULL;
	}
	for (uint32_t i = 0; i < is->nelem; i++) {
		const struct bw_ir_setelem *e = &is->elem[i];
		uint32_t off = 0;

		for (uint32_t k = 0; k < is->nkey; k++) {
			const struct bw_field *f = bw_field(is->key[k]);
			const struct bw_kfield *kf = set_kfield(is, k);
			uint32_t ioff = bw_ir_set_keyoff(is, k);
			bool h = kf->host && !is->interval;

			struct bw_field g = *f;

			if (is->name)	/* the field's values (bw_nft_keys) */
				g.shift = 0;
			if (kf->ifindex) {	/* the index, written at commit */
				if (is->nkey == 1)
					el[i].ifname = (const char *)e->lo + ioff;
				else {
					el[i].ifnames[el[i].nifn] = (const char *)e->lo + ioff;
					el[i].ifoffs[el[i].nifn++] = (uint8_t)off;
				}
			} else {
				bw_nft_kval(&g, kf, e->lo + ioff, h, el[i].lo + off);
				bw_nft_kval(&g, kf, e->hi + ioff, h, el[i].hi + off);
			}
			off += is->nkey > 1 ? (kf->len + 3u) & ~3u : kf->len;
		}
		el[i].verdict = verdict(e->verdict);
		el[i].timeout_ms = e->timeout_ms;
		if (dk) {	/* the value, as the field's value (named) */
			struct bw_field g = *bw_field(is->data);

			g.shift = 0;
			el[i].dlen = dk->len;
			bw_nft_kval(&g, dk, e->data, dk->host, el[i].data);
		}
		if (is->ndata > 1)	/* a concatenation (nft_mapcat.c) */
			bw_nft_mapcat_elem(is, e, &el[i]);
		if (is->objtype)	/* the objects are in the plan already */
			el[i].objref = bw_nft_obj_elem_name(b, e->target);
		if (e->verdict == BW_VERDICT_JUMP || e->verdict == BW_VERDICT_GOTO)
			el[i].chain = b->chain_name[e->target];
	}
	if (is->has_catchall) {		/* `* : VERDICT`, added last */
		struct bw_nft_elem *c = &el[is->nelem];

		c->catchall = true;
		c->verdict = verdict(is->catchall.verdict);
		if (is->catchall.verdict == BW_VERDICT_JUMP ||
		    is->catchall.verdict == BW_VERDICT_GOTO)
			c->chain = b->chain_name[is->catchall.target];
	}
	s = bw_nft_set_add(b, &def, el, is->nelem + is->has_catchall);
	free(el);
	if (s && is->name)
		b->set_obj[si] = s;
	return s;
}
