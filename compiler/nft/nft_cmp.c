// SPDX-License-Identifier: GPL-2.0-only
/*
 * The compare of a match's elements (lo, hi, mask of ir.h) in nf_tables'
 * terms: cmp, range, bitwise and prefix forms, interface names, ct count,
 * and a lookup in an anonymous set when there are several.
 * nft_match.c keeps the field table and the match dispatch that calls these.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/if_arp.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_owner.h>
#include <linux/netfilter/xt_multiport.h>

#include "nft_int.h"
#include "compiler/front/view.h"
#include "compiler/front/tunnel.h"
#include "compiler/front/rawpay.h"
#include "nft_match_int.h"

/* ---- compares ---- */

/* A match's elements in nf_tables' terms (network order). */
struct kelem {
	uint8_t lo[16], hi[16], m[16];
	bool full;			/* m is the whole field */
};

static unsigned popcount(const uint8_t *v, uint32_t n)
{
	unsigned c = 0;

	for (uint32_t i = 0; i < n; i++)
		c += (unsigned)__builtin_popcount(v[i]);
	return c;
}

/* k such that m is k bytes of ff then zeros; -1 otherwise. */
static int byte_prefix(const uint8_t *m, uint32_t n)
{
	uint32_t k = 0;

	while (k < n && m[k] == 0xff)
		k++;
	return bw_nft_is_zero(m + k, n - k) ? (int)k : -1;
}

/* Is m some leading bits set, then none? */
static bool bit_prefix(const uint8_t *m, uint32_t n)
{
	bool zero = false;

	for (uint32_t i = 0; i < n * 8; i++) {
		bool b = m[i / 8] & (0x80 >> (i % 8));

		if (b && zero)
			return false;
		zero |= !b;
	}
	return true;
}

static void kelems(const struct bw_field *f, const struct bw_kfield *kf,
		   const struct bw_ir_match *m, struct kelem *out)
{
	uint8_t fm[16], ones[BW_VAL_MAX];

	/* the whole field: its bits, or all its bytes as the IR has them */
	memset(ones, 0, sizeof(ones));
	memset(ones, 0xff, f->size);
	if (kf->present) {		/* the whole value: 0 or 1 */
		memset(fm, 0, sizeof(fm));
		fm[kf->len - 1] = 1;
	} else if (!bw_nft_field_mask(f, kf, fm)) {
		bw_nft_kval(f, kf, ones, false, fm);
	}
	for (uint32_t i = 0; i < m->nelem; i++) {
		struct kelem *k = &out[i];

		memset(k, 0, sizeof(*k));
		bw_nft_kval(f, kf, m->elem[i].lo, false, k->lo);
		bw_nft_kval(f, kf, m->elem[i].hi, false, k->hi);
		bw_nft_kval(f, kf, m->elem[i].mask, false, k->m);
		k->full = !memcmp(k->m, fm, kf->len);
		/* "lo" compares the name and its NUL: the whole name, as
		 * the kernel pads names with zeros */
		if (f->type == BW_T_IFNAME && !k->full) {
			int n = byte_prefix(k->m, kf->len);

			if (n > 0 && !k->lo[n - 1] && !memcmp(k->lo, k->hi, kf->len)) {
				memcpy(k->m, fm, kf->len);
				k->full = true;
			}
		}
	}
}

static bool single_bit(const struct kelem *k, uint32_t len)
{
	return !k->full && popcount(k->m, len) == 1 &&
	       !memcmp(k->lo, k->m, len) && !memcmp(k->hi, k->m, len);
}

static bool all_ones(const uint8_t *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (v[i] != 0xff)
			return false;
	return true;
}

static void be_dec(uint8_t *v, uint32_t n)
{
	for (uint32_t i = n; i-- > 0;)
		if (v[i]--)
			return;
}

/* lo..hi of a loaded (masked) register, positive or negated. */
static void compare(struct bw_nft_rctx *x, const struct bw_kfield *kf,
		    const uint8_t *lo, const uint8_t *hi, bool neg)
{
	uint8_t a[16], b[16];
	struct nftnl_expr *e;

	memcpy(a, lo, kf->len);
	memcpy(b, hi, kf->len);
	if (!memcmp(a, b, kf->len)) {
		if (kf->host)
			bw_nft_to_host(a, kf->len);
		bw_nft_cmp(x, NFT_REG_1, neg ? NFT_CMP_NEQ : NFT_CMP_EQ, a, kf->len);
		return;
	}
	if (kf->host)
		bw_nft_byteorder(x, NFT_REG_1, kf->len);
	if (!neg && kf->src == KF_CT && (bw_nft_is_zero(a, kf->len) || all_ones(b, kf->len))) {
		/* nft's < N and > N on a ct key (ct bytes < 1000): one
		 * compare, which nft lists so */
		bool lt = bw_nft_is_zero(a, kf->len);
		uint8_t *v = lt ? b : a;

		if (lt)
			bw_nft_be_inc(v, kf->len);
		else
			be_dec(v, kf->len);
		bw_nft_cmp(x, NFT_REG_1, lt ? NFT_CMP_LT : NFT_CMP_GT, v, kf->len);
		return;
	}
	if (!neg) {
		bw_nft_cmp(x, NFT_REG_1, NFT_CMP_GTE, a, kf->len);
		bw_nft_cmp(x, NFT_REG_1, NFT_CMP_LTE, b, kf->len);
		return;
	}
	e = bw_nft_expr(x, "range");
	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, NFT_RANGE_NEQ);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_FROM_DATA, a, kf->len);
	nftnl_expr_set(e, NFTNL_EXPR_RANGE_TO_DATA, b, kf->len);
}

static void mask_reg(struct bw_nft_rctx *x, const struct bw_kfield *kf,
		     const uint8_t *m)
{
	uint8_t h[16];

	memcpy(h, m, kf->len);
	if (kf->host)
		bw_nft_to_host(h, kf->len);
	bw_nft_bitwise(x, NFT_REG_1, h, kf->len);
}

/* meta iif/oif "NAME": the index, written at commit. */
static int iface(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		 const struct kelem *k)
{
	static const uint8_t zero[4];
	struct nftnl_expr_iter *it;
	struct nftnl_expr *e, *last = NULL;
	char name[17] = { 0 };

	if (m->nelem != 1 || !k->full || memcmp(k->lo, k->hi, 16))
		return 1;
	memcpy(name, m->elem[0].lo, 16);
	bw_nft_cmp(x, NFT_REG_1, m->neg ? NFT_CMP_NEQ : NFT_CMP_EQ, zero, 4);
	it = nftnl_expr_iter_create(x->r);
	if (!it) {
		x->b->oom = true;
		return -ENOMEM;
	}
	while ((e = nftnl_expr_iter_next(it)))
		last = e;
	nftnl_expr_iter_destroy(it);
	bw_nft_ifref(x->b, last, NULL, 0, name, &m->loc);
	return 0;
}

static int compare_set(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		       const struct bw_field *f, const struct bw_kfield *kf,
		       const struct kelem *k, bool prefixes);

/* ct count [over] N: nft's connlimit (count <= N; over: count > N) */
int bw_nft_connlimit(struct bw_nft_rctx *x, const struct bw_ir_match *m)
{
	const struct bw_ir_elem *e = m->elem;
	struct nftnl_expr *c;

	if (m->nelem != 1 || !bw_nft_is_zero(e->lo, 4))
		return bw_nft_error(x->b, &m->loc, "ct count has no such nf_tables form");
	c = bw_nft_expr(x, "connlimit");
	if (!c)
		return -ENOMEM;
	nftnl_expr_set_u32(c, NFTNL_EXPR_CONNLIMIT_COUNT,
			   (uint32_t)e->hi[0] << 24 | (uint32_t)e->hi[1] << 16 |
			   (uint32_t)e->hi[2] << 8 | e->hi[3]);
	nftnl_expr_set_u32(c, NFTNL_EXPR_CONNLIMIT_FLAGS, m->neg ? NFT_CONNLIMIT_F_INV : 0);
	return 0;
}

/* A raw payload's bits as a sub-byte field of the bytes that hold them
 * (its value right-aligned in the row's bytes: shifted back into place
 * and masked, as ip dscp is); the row itself when they are whole. */
static const struct bw_field *raw_shape(const struct bw_ir_match *m,
					struct bw_field *buf)
{
	const struct bw_field *f = bw_field(m->field);
	unsigned n = (m->raw.off % 8u + m->raw.len + 7u) / 8u;

	if (!f->raw || (!(m->raw.off % 8) && m->raw.len == f->size * 8))
		return f;
	*buf = *f;
	buf->bits = m->raw.len;
	buf->shift = (uint8_t)(n * 8 - m->raw.off % 8 - m->raw.len);
	return buf;
}

int bw_nft_compare_match(struct bw_nft_rctx *x, const struct bw_ir_match *m)
{
	struct bw_field rawf;
	const struct bw_field *f = raw_shape(m, &rawf);
	const struct bw_kfield *kf = bw_nft_rkf(x, m->field);
	struct kelem k[64], *kp = k;
	bool same = true, bits = true, prefixes = true;
	uint8_t any[16] = { 0 };
	int rc = 0;

	if (!m->nelem)
		return bw_nft_error(x->b, &m->loc, "a match without values has no nf_tables form");
	if (m->nelem > 64 && !(kp = calloc(m->nelem, sizeof(*kp)))) {
		x->b->oom = true;
		return -ENOMEM;
	}
	if (kf->ifindex) {
		/* compared as names here, sent as indexes */
		struct bw_kfield names = *kf;

		names.len = 16;
		names.host = false;
		kelems(f, &names, m, kp);
	} else {
		kelems(f, kf, m, kp);
	}
	for (uint32_t i = 0; i < m->nelem; i++) {
		same &= !memcmp(kp[i].m, kp[0].m, kf->len) && kp[i].full == kp[0].full;
		bits &= single_bit(&kp[i], kf->len);
		prefixes &= !kf->host && !f->bits && bit_prefix(kp[i].m, kf->len);
		for (uint32_t b = 0; b < kf->len; b++)
			any[b] |= kp[i].m[b];
	}
	if (kf->ifindex) {
		bw_nft_load(x, f, kf, kf->len, NFT_REG_1, false);
		rc = iface(x, m, kp);
		if (rc > 0)
			rc = compare_set(x, m, f, kf, kp, false);
		goto out;
	}
	if (bits) {
		/* flags: any of the bits set (nft's `tcp flags syn,ack`) */
		static const uint8_t zero[16];

		bw_nft_load(x, f, kf, kf->len, NFT_REG_1, false);
		mask_reg(x, kf, any);
		bw_nft_cmp(x, NFT_REG_1, m->neg ? NFT_CMP_EQ : NFT_CMP_NEQ, zero,
			   kf->len);
		goto out;
	}
	if (m->nelem == 1) {
		int n = byte_prefix(kp->m, kf->len);

		if (!kp->full && n > 0 && !f->bits && !kf->host &&
		    !memcmp(kp->lo, kp->hi, kf->len)) {
			/* a prefix on whole bytes: load (compare) only those */
			bw_nft_load(x, f, kf, kf->src == KF_PAYLOAD ? (uint32_t)n : kf->len,
			     NFT_REG_1, false);
			bw_nft_cmp(x, NFT_REG_1, m->neg ? NFT_CMP_NEQ : NFT_CMP_EQ,
				   kp->lo, (uint32_t)n);
			goto out;
		}
		bw_nft_load(x, f, kf, kf->len, NFT_REG_1, kp->full);
		if (!kp->full)
			mask_reg(x, kf, kp->m);
		compare(x, kf, kp->lo, kp->hi, m->neg);
		goto out;
	}
	if (!same && !prefixes) {
		rc = bw_nft_error(x->b, &m->loc, "these values have no exact nf_tables form (masks differ)");
		goto out;
	}
	rc = compare_set(x, m, f, kf, kp, !same);
out:
	if (kp != k)
		free(kp);
	return rc;
}

/* Several elements: a lookup in an anonymous set. */
static int compare_set(struct bw_nft_rctx *x, const struct bw_ir_match *m,
		       const struct bw_field *f, const struct bw_kfield *kf,
		       const struct kelem *k, bool prefixes)
{
	struct bw_nft_setdef def = {
		.fam = x->fam, .nkey = 1, .klen = { kf->len },
		.dtype = { kf->dtype },
		.byteorder = bw_kfield_byteorder(kf), .loc = &m->loc,
	};
	struct bw_nft_elem *el = calloc(m->nelem, sizeof(*el));
	uint32_t n = 0;
	uint8_t fm[16];
	struct nftnl_set *s;

	if (!el) {
		x->b->oom = true;
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < m->nelem; i++) {
		memcpy(el[n].lo, k[i].lo, kf->len);
		memcpy(el[n].hi, k[i].hi, kf->len);
		if (prefixes) {
			/* (x & m) in [lo, hi]: x in [lo rounded up to m,
			 * (hi & m) | ~m] */
			uint8_t lo[16], hi[16];
			bool up = false;

			for (uint32_t b = 0; b < kf->len; b++) {
				lo[b] = k[i].lo[b] & k[i].m[b];
				up |= (k[i].lo[b] & (uint8_t)~k[i].m[b]) != 0;
				hi[b] = (k[i].hi[b] & k[i].m[b]) | (uint8_t)~k[i].m[b];
			}
			if (up) {
				/* the next value of the masked part */
				for (uint32_t b = kf->len; b-- > 0;) {
					if (!k[i].m[b])
						continue;
					uint8_t low = k[i].m[b] & (uint8_t)-k[i].m[b];

					lo[b] = (uint8_t)(lo[b] + low);
					if (lo[b] >= low)
						break;
				}
			}
			if (memcmp(lo, hi, kf->len) > 0 || (up && bw_nft_is_zero(lo, kf->len)))
				continue;	/* holds for no x */
			memcpy(el[n].lo, lo, kf->len);
			memcpy(el[n].hi, hi, kf->len);
		}
		def.interval |= !!memcmp(el[n].lo, el[n].hi, kf->len);
		if (kf->ifindex) {
			if (memcmp(k[i].lo, k[i].hi, 16) || !k[i].full) {
				free(el);
				return bw_nft_error(x->b, &m->loc, "%s %s takes interface names, not ranges",
						    f->proto, f->name);
			}
			el[n].ifname = (const char *)m->elem[i].lo;
			memset(el[n].lo, 0, sizeof(el[n].lo));
			memset(el[n].hi, 0, sizeof(el[n].hi));
			def.interval = false;
		}
		n++;
	}
	if (!n) {
		free(el);
		return bw_nft_error(x->b, &m->loc, "this match holds for no value");
	}
	if (kf->host && !def.interval)
		for (uint32_t i = 0; i < n; i++) {
			bw_nft_to_host(el[i].lo, kf->len);
			bw_nft_to_host(el[i].hi, kf->len);
		}
	s = bw_nft_set_add(x->b, &def, el, n);
	free(el);
	if (!s)
		return x->b->oom ? -ENOMEM : -EINVAL;
	if (!kf->ifindex) {
		/* the kernel field's own mask is in every element's */
		bool fmask = bw_nft_field_mask(f, kf, fm);

		bw_nft_load(x, f, kf, kf->len, NFT_REG_1, false);
		if (!prefixes && !k[0].full)
			mask_reg(x, kf, k[0].m);
		else if (!prefixes && fmask)
			bw_nft_bitwise(x, NFT_REG_1, fm, kf->len);
		if (kf->host && def.interval)
			bw_nft_byteorder(x, NFT_REG_1, kf->len);
	}
	bw_nft_lookup(x, NFT_REG_1, s, m->neg, false);
	return 0;
}
