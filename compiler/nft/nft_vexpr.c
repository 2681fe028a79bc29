// SPDX-License-Identifier: GPL-2.0-only
/*
 * A set statement's value expression (compiler/front/valexpr.h) as nft
 * 1.0.6 linearizes it, into register 1: the base (a field's load with
 * its mask and, for a sub-byte field, the shift down to its value; a
 * lookup of the key in an anonymous data map; numgen; jhash of a key
 * loaded from register 2; symhash), then one bitwise per operation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/set.h>

#include "compiler/front/valexpr.h"
#include "nft_bitwise.h"
#include "nft_int.h"

/* the result register (bw_nft_vexpr_to), register 1 unless said */
#define VREG(x) ((x)->vreg ? (x)->vreg : NFT_REG_1)

/* the keys of v as a lookup's fields (bw_nft_keys) */
static void as_match(const struct bw_ir_vexpr *v, const struct bw_loc *loc,
		     struct bw_ir_match *m)
{
	memset(m, 0, sizeof(*m));
	m->nfield = v->nkey;
	for (uint32_t k = 0; k < v->nkey; k++)
		m->fields[k] = v->key[k];
	m->loc = *loc;
}

/* nft's type and byte order of a target's values */
static uint32_t data_type(const struct bw_ir_vexpr *v)
{
	uint32_t a = v->l3 == 6 ? BW_NT_IP6ADDR : BW_NT_IPADDR;

	switch (v->target) {
	case BW_VX_T_NAT_ADDR:		return a;
	case BW_VX_T_NAT_ADDRPORT:	return a << BW_NT_BITS | BW_NT_INET_SERVICE;
	case BW_VX_T_NAT_PORT:		return BW_NT_INET_SERVICE;
	case BW_SETF_META_MARK:
	case BW_SETF_CT_MARK:		return BW_NT_MARK;
	case BW_SETF_META_PRIORITY:	return BW_NT_CLASSID;
	case BW_VX_T_DEV:		return BW_NT_IFINDEX;
	default:			return BW_NT_INTEGER;
	}
}

static void host_value(uint32_t v, uint32_t len, uint8_t *out)
{
	uint16_t h = (uint16_t)v;

	if (len == 2)
		memcpy(out, &h, 2);
	else
		memcpy(out, &v, 4);
}

static int base(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		const struct bw_loc *loc);

static int byteorder_hton(struct bw_nft_rctx *x)
{
	struct nftnl_expr *e = bw_nft_expr(x, "byteorder");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, VREG(x));
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, VREG(x));
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, 4);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, 4);
	return 0;
}

/* The lookup of its key in a named map of data, the value to reg 1. */
static int lookup_to_reg1(struct bw_nft_rctx *x, struct nftnl_set *s)
{
	struct nftnl_expr *e = bw_nft_expr(x, "lookup");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, VREG(x));
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, VREG(x));
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, nftnl_set_get_str(s, NFTNL_SET_NAME));
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, nftnl_set_get_u32(s, NFTNL_SET_ID));
	return 0;
}

/* KEY map @NAME: the key loaded as for a lookup in that set. */
static int named_map(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		     const struct bw_loc *loc)
{
	uint32_t si = v->named - 1;
	struct nftnl_set *s = bw_nft_ir_set(x->b, si, x->table);
	struct bw_ir_match m;

	if (!s)
		return -EINVAL;
	as_match(v, loc, &m);
	m.lookup = true;
	m.set = si;
	if (bw_nft_keys_at(x, &m, &x->b->ir->set[si], VREG(x)))
		return -EINVAL;
	return lookup_to_reg1(x, s);
}

static int map(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
	       const struct bw_loc *loc)
{
	struct bw_nft_setdef def = {
		.fam = x->fam, .nkey = v->nkey, .interval = v->interval,
		.map = true, .loc = loc, .dlen = v->len,
		.dtype_data = data_type(v),
		.data_byteorder = v->target == BW_VX_T_NAT_ADDRPORT ? BW_NBO_INVALID :
				  bw_vx_nat(v->target) ? BW_NBO_BIG : BW_NBO_HOST,
		.data_interval = v->nat_range,
	};
	struct bw_ir_set is = { .family = x->fam, .nkey = v->nkey,
				.interval = v->interval };
	uint8_t order = BW_NBO_BIG;
	struct bw_nft_elem *el;
	struct nftnl_set *s;
	struct nftnl_expr *e;
	struct bw_ir_match m;

	if (v->keygen) {
		/* a generator's number, host order (an interval map's keys
		 * in network order, as nft) */
		struct bw_ir_vexpr g = *v;

		g.base = v->keygen;
		g.nop = 0;
		def.nkey = 1;
		def.klen[0] = 4;
		def.dtype[0] = BW_NT_INTEGER;
		def.byteorder = BW_NBO_HOST;
		if (base(x, &g, loc))
			return -EINVAL;
		if (v->interval && byteorder_hton(x))
			return -ENOMEM;
	}
	for (uint32_t k = 0; !v->keygen && k < v->nkey; k++) {
		const struct bw_field *f = bw_field(v->key[k]);
		const struct bw_kfield *kf = bw_kfield_in(x->fam, v->key[k]);

		if (!kf || kf->ifindex)
			return bw_nft_error(x->b, loc, "a map on %s %s has no exact nf_tables form",
					    f->proto, f->name);
		def.klen[k] = kf->len;
		def.dtype[k] = kf->dtype;
		order = bw_kfield_byteorder(kf);
		is.key[k] = v->key[k];
	}
	if (v->named)			/* a named map of data */
		return named_map(x, v, loc);
	if (!v->keygen) {
		def.byteorder = v->nkey > 1 ? BW_NBO_INVALID : order;
		as_match(v, loc, &m);
		if (bw_nft_keys_at(x, &m, &is, VREG(x)))
			return -EINVAL;
	}
	if (v->has_kmask) {	/* KEY & MASK map: one bitwise after the load */
		const struct bw_kfield *kf = bw_kfield_in(x->fam, v->key[0]);
		uint8_t mk[64] = { 0 };

		bw_nft_kval(bw_field(v->key[0]), kf, v->kmask, kf->host, mk);
		bw_nft_bitwise(x, VREG(x), mk, kf->len);
	}
	el = calloc(v->nelem ? v->nelem : 1, sizeof(*el));
	if (!el) {
		x->b->oom = true;
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < v->nelem; i++) {
		const struct bw_ir_vmap_elem *ve = &v->elem[i];
		uint32_t off = 0, ioff = 0;

		el[i].dlen = v->len;
		el[i].catchall = ve->catchall;
		if (v->target == BW_VX_T_DEV)	/* written at commit */
			el[i].dataif = (const char *)ve->ndata;
		else if (bw_vx_nat(v->target))
			memcpy(el[i].data, v->nat_range ? ve->nrange : ve->ndata, v->len);
		else
			host_value(ve->data, v->len, el[i].data);
		if (v->keygen && !ve->catchall) {
			memcpy(el[i].lo, ve->lo, 4);
			memcpy(el[i].hi, ve->hi, 4);
			if (!v->interval) {
				uint32_t h = ntohl(*(const uint32_t *)(const void *)ve->lo);

				memcpy(el[i].lo, &h, 4);
				memcpy(el[i].hi, &h, 4);
			}
		}
		for (uint32_t k = 0; !ve->catchall && !v->keygen && k < v->nkey; k++) {
			const struct bw_field *f = bw_field(v->key[k]);
			const struct bw_kfield *kf = bw_kfield_in(x->fam, v->key[k]);
			bool h = kf->host && !v->interval;

			bw_nft_kval(f, kf, ve->lo + ioff, h, el[i].lo + off);
			bw_nft_kval(f, kf, ve->hi + ioff, h, el[i].hi + off);
			ioff += f->size;
			off += v->nkey > 1 ? (kf->len + 3u) & ~3u : kf->len;
		}
	}
	s = bw_nft_set_add(x->b, &def, el, v->nelem);
	free(el);
	if (!s)
		return -EINVAL;
	e = bw_nft_expr(x, "lookup");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SREG, VREG(x));
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_DREG, VREG(x));
	nftnl_expr_set_str(e, NFTNL_EXPR_LOOKUP_SET, nftnl_set_get_str(s, NFTNL_SET_NAME));
	nftnl_expr_set_u32(e, NFTNL_EXPR_LOOKUP_SET_ID, nftnl_set_get_u32(s, NFTNL_SET_ID));
	return 0;
}

static int hash(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		const struct bw_loc *loc)
{
	struct bw_ir_set is = { .family = x->fam, .nkey = v->nkey };
	struct nftnl_expr *e;
	struct bw_ir_match m;
	uint32_t len = 0;

	if (v->base == BW_VX_JHASH) {
		/* the key from register 2, as nft (a named set's
		 * layout: sub-byte parts shifted down to their values) */
		for (uint32_t k = 0; k < v->nkey; k++) {
			const struct bw_kfield *kf = bw_kfield_in(x->fam, v->key[k]);

			if (!kf)
				return bw_nft_error(x->b, loc, "jhash of %s %s has no nf_tables form",
						    bw_field(v->key[k])->proto,
						    bw_field(v->key[k])->name);
			is.key[k] = v->key[k];
			len += kf->len;
		}
		as_match(v, loc, &m);
		if (bw_nft_keys_at(x, &m, &is, NFT_REG_2))
			return -EINVAL;
	}
	e = bw_nft_expr(x, "hash");
	if (!e)
		return -ENOMEM;
	if (v->base == BW_VX_JHASH) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_SREG, NFT_REG_2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_LEN, len);
	}
	nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_DREG, VREG(x));
	nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_MODULUS, v->mod);
	if (v->has_seed)
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_SEED, v->seed);
	if (v->has_offset)
		nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_OFFSET, v->offset);
	nftnl_expr_set_u32(e, NFTNL_EXPR_HASH_TYPE, v->base == BW_VX_JHASH ?
			   NFT_HASH_JENKINS : NFT_HASH_SYM);
	return 0;
}

/* A field's value as a number: loaded and masked (an anonymous set's
 * key), a big-endian one turned to host order, a sub-byte one shifted
 * down (nft: ip6 dscp is load, and, ntoh, >> 6) */
static int field(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		 const struct bw_loc *loc, uint32_t reg)
{
	/* netdev's meta cpu (BPF's read of it): nf_tables' meta cpu */
	struct bw_ir_vexpr cpu = *v;
	const struct bw_field *f;
	const struct bw_kfield *kf;
	struct bw_ir_set anon = { .family = x->fam, .nkey = 1 };
	struct nftnl_expr *e;
	struct bw_ir_match m;

	if (v->key[0] == BW_F_META_CPU_BPF) {
		cpu.key[0] = BW_F_META_CPU;
		v = &cpu;
	}
	f = bw_field(v->key[0]);
	kf = bw_kfield_in(x->fam, v->key[0]);
	if (kf && kf->ifindex) {	/* meta iif/oif: the index itself */
		e = bw_nft_expr(x, "meta");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, kf->key);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, reg);
		return 0;
	}
	if (!kf)
		return bw_nft_error(x->b, loc, "%s %s has no exact nf_tables form as a value",
				    f->proto, f->name);
	anon.key[0] = v->key[0];
	as_match(v, loc, &m);
	if (bw_nft_keys_at(x, &m, &anon, reg))
		return -EINVAL;
	if (kf->len > 1 && !kf->host && !kf->present) {
		e = bw_nft_expr(x, "byteorder");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_NTOH);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, kf->len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, kf->len);
	}
	if (f->shift && !kf->present) {
		e = bw_nft_expr(x, "bitwise");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, kf->len);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_RSHIFT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DATA, f->shift);
	}
	return 0;
}

static int base(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		const struct bw_loc *loc)
{
	struct nftnl_expr *e;
	uint8_t d[4];

	switch (v->base) {
	case BW_VX_CONST:
		host_value(v->value, v->len, d);
		e = bw_nft_expr(x, "immediate");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, VREG(x));
		nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, d, v->len);
		return 0;
	case BW_VX_FIELD:
		return field(x, v, loc, VREG(x));
	case BW_VX_MAP:
		return map(x, v, loc);
	case BW_VX_NUMGEN:
		e = bw_nft_expr(x, "numgen");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_DREG, VREG(x));
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_MODULUS, v->mod);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NG_TYPE, v->random ?
				   NFT_NG_RANDOM : NFT_NG_INCREMENTAL);
		if (v->has_offset)
			nftnl_expr_set_u32(e, NFTNL_EXPR_NG_OFFSET, v->offset);
		return 0;
	default:
		return hash(x, v, loc);
	}
}

/* The other field of x & | ^ FIELD (valexpr.h *_REG) into register
 * reg, masked there: before the base, so that its dependency's load
 * (meta nfproto in an inet rule, into register 1) comes first. */
static int reg_operand(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		       const struct bw_ir_vop *o, const struct bw_loc *loc,
		       uint32_t reg)
{
	struct bw_ir_vexpr y = {
		.base = BW_VX_FIELD, .target = v->target, .len = v->len,
		.nkey = 1, .key = { o->rkey },
	};
	struct nftnl_expr *e;
	uint8_t mk[4], xr[4];

	if (field(x, &y, loc, reg))
		return -EINVAL;
	if (!o->rbool)
		return 0;
	e = bw_nft_expr(x, "bitwise");
	if (!e)
		return -ENOMEM;
	host_value(o->rmask, v->len, mk);
	host_value(o->rxor, v->len, xr);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, reg);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, v->len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_BOOL);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mk, v->len);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xr, v->len);
	return 0;
}

/* Then the kernel's bitwise of registers 1 and reg, as newer nft emits
 * it.  libnftnl 1.2 knows no NFTA_BITWISE_SREG2: the expression carries
 * it as its shift's data, which the runtime's message turns into the
 * attribute (bw_nft_bitwise_sreg2_fix). */
static int reg_op(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		  const struct bw_ir_vop *o, uint32_t reg)
{
	struct nftnl_expr *e = bw_nft_expr(x, "bitwise");

	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, VREG(x));
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, VREG(x));
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, v->len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP,
			   o->kind == BW_VX_AND_REG ? BW_NFT_BITWISE_AND :
			   o->kind == BW_VX_OR_REG ? BW_NFT_BITWISE_OR : BW_NFT_BITWISE_XOR);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DATA, reg);
	return 0;
}

int bw_nft_vexpr(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		 const struct bw_loc *loc)
{
	uint32_t nreg = 0;
	int rc = 0;

	/* each other field in a register of its own, from register 2 */
	for (uint32_t i = 0; !rc && i < v->nop; i++) {
		if (!bw_vx_regop(v->op[i].kind))
			continue;
		if (NFT_REG_2 + nreg > NFT_REG_4)
			return bw_nft_error(x->b, loc, "at most three fields on the right of & | ^ in one value");
		rc = reg_operand(x, v, &v->op[i], loc, NFT_REG_2 + nreg++);
	}
	if (!rc)
		rc = base(x, v, loc);
	nreg = 0;
	for (uint32_t i = 0; !rc && i < v->nop; i++) {
		const struct bw_ir_vop *o = &v->op[i];
		struct nftnl_expr *e;
		uint8_t mk[4], xr[4];

		if (bw_vx_regop(o->kind)) {
			rc = reg_op(x, v, o, NFT_REG_2 + nreg++);
			continue;
		}
		e = bw_nft_expr(x, "bitwise");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, VREG(x));
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, VREG(x));
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, v->len);
		if (o->kind == BW_VX_BOOL) {
			host_value(o->mask, v->len, mk);
			host_value(o->xor, v->len, xr);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP, NFT_BITWISE_BOOL);
			nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mk, v->len);
			nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xr, v->len);
		} else {
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_OP,
					   o->kind == BW_VX_LSHIFT ? NFT_BITWISE_LSHIFT :
					   NFT_BITWISE_RSHIFT);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DATA, o->shift);
		}
	}
	return x->b->oom ? -ENOMEM : rc;
}

int bw_nft_vexpr_to(struct bw_nft_rctx *x, const struct bw_ir_vexpr *v,
		    const struct bw_loc *loc, uint32_t reg)
{
	int rc;

	for (uint32_t i = 0; reg != NFT_REG_1 && i < v->nop; i++)
		if (bw_vx_regop(v->op[i].kind))
			return bw_nft_error(x->b, loc, "a field on the right of & | ^ has no nf_tables form here");
	if (reg != NFT_REG_1 && v->base == BW_VX_JHASH)
		return bw_nft_error(x->b, loc, "jhash has no nf_tables form here (its key takes register 2)");
	x->vreg = reg;
	rc = bw_nft_vexpr(x, v, loc);
	x->vreg = 0;
	return rc;
}
