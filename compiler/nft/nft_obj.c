// SPDX-License-Identifier: GPL-2.0-only
/*
 * Named objects in the nf_tables plan: the objects a sent rule uses
 * (NFT_MSG_NEWOBJ, in the table of the rule's family, before the sets
 * and rules that name them), the objref expression (one object, or an
 * object map looked up by a key) and the last expression.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>

#include "nft_int.h"
#include "compiler/front/objects.h"

#ifndef NSEC_PER_SEC
#define NSEC_PER_SEC 1000000000ull
#endif

static int obj_add(struct bw_nft_bld *b, struct nftnl_obj *o)
{
	struct bw_nft_plan *p = b->p;

	if (p->nobj == p->cap_obj) {
		uint32_t c = p->cap_obj ? p->cap_obj * 2 : 8;
		struct nftnl_obj **v = reallocarray(p->objs, c, sizeof(*v));

		if (!v)
			return -ENOMEM;
		p->objs = v;
		p->cap_obj = c;
	}
	p->objs[p->nobj++] = o;
	return 0;
}

/* nf_tables' limit of a packet rate: as limit statements (nft.c), the
 * smallest unit for which a whole rate gives the IR's cost exactly. */
static int limit_attrs(struct bw_nft_bld *b, struct nftnl_obj *o,
		       const struct bw_ir_limit *l, const struct bw_loc *loc)
{
	static const uint64_t units[] = { 1, 60, 3600, 86400, 604800 };

	nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_FLAGS, l->over ? NFT_LIMIT_F_INV : 0);
	if (l->bytes) {
		nftnl_obj_set_u64(o, NFTNL_OBJ_LIMIT_RATE, l->rate);
		nftnl_obj_set_u64(o, NFTNL_OBJ_LIMIT_UNIT, l->unit);
		nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_BURST, l->burst);
		nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_TYPE, NFT_LIMIT_PKT_BYTES);
		return 0;
	}
	if (l->cost && !(l->slack % l->cost) && l->slack / l->cost < UINT32_MAX)
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			uint64_t ns = units[i] * NSEC_PER_SEC;
			uint64_t rate = (ns + l->cost / 2) / l->cost;

			for (uint64_t r = rate ? rate - 1 : 1; r <= rate + 1; r++) {
				if (!r || ns / r != l->cost)
					continue;
				nftnl_obj_set_u64(o, NFTNL_OBJ_LIMIT_RATE, r);
				nftnl_obj_set_u64(o, NFTNL_OBJ_LIMIT_UNIT, units[i]);
				nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_BURST,
						  (uint32_t)(l->slack / l->cost + 1));
				nftnl_obj_set_u32(o, NFTNL_OBJ_LIMIT_TYPE, NFT_LIMIT_PKTS);
				return 0;
			}
		}
	return bw_nft_error(b, loc, "this limit has no exact nf_tables form");
}

static int attrs(struct bw_nft_bld *b, struct nftnl_obj *o, const struct bw_ir_obj *io)
{
	const struct bw_ir *ir = b->ir;

	switch (io->kind) {
	case BW_OBJ_COUNTER:
		nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_PKTS, io->packets);
		nftnl_obj_set_u64(o, NFTNL_OBJ_CTR_BYTES, io->bytes);
		return 0;
	case BW_OBJ_QUOTA:
		nftnl_obj_set_u64(o, NFTNL_OBJ_QUOTA_BYTES, ir->quota[io->index].bytes);
		nftnl_obj_set_u64(o, NFTNL_OBJ_QUOTA_CONSUMED, ir->quota[io->index].used);
		nftnl_obj_set_u32(o, NFTNL_OBJ_QUOTA_FLAGS,
				  ir->quota[io->index].over ? NFT_QUOTA_F_INV : 0);
		return 0;
	case BW_OBJ_LIMIT:
		return limit_attrs(b, o, &ir->limit[io->index], &io->loc);
	case BW_OBJ_CT_HELPER:
		nftnl_obj_set_str(o, NFTNL_OBJ_CT_HELPER_NAME, io->helper);
		nftnl_obj_set_u16(o, NFTNL_OBJ_CT_HELPER_L3PROTO, io->l3proto);
		nftnl_obj_set_u8(o, NFTNL_OBJ_CT_HELPER_L4PROTO, io->l4proto);
		return 0;
	case BW_OBJ_CT_TIMEOUT: {
		uint32_t n;

		bw_obj_timeout_states(io->l4proto, &n);
		nftnl_obj_set_u16(o, NFTNL_OBJ_CT_TIMEOUT_L3PROTO, io->l3proto);
		nftnl_obj_set_u8(o, NFTNL_OBJ_CT_TIMEOUT_L4PROTO, io->l4proto);
		if (n)
			nftnl_obj_set_data(o, NFTNL_OBJ_CT_TIMEOUT_ARRAY, io->policy,
					   n * sizeof(uint32_t));
		return 0;
	}
	case BW_OBJ_CT_EXPECT:
		nftnl_obj_set_u16(o, NFTNL_OBJ_CT_EXPECT_L3PROTO, io->l3proto);
		nftnl_obj_set_u8(o, NFTNL_OBJ_CT_EXPECT_L4PROTO, io->l4proto);
		nftnl_obj_set_u16(o, NFTNL_OBJ_CT_EXPECT_DPORT, io->dport);
		nftnl_obj_set_u32(o, NFTNL_OBJ_CT_EXPECT_TIMEOUT, io->timeout_ms);
		nftnl_obj_set_u8(o, NFTNL_OBJ_CT_EXPECT_SIZE, io->size);
		return 0;
	case BW_OBJ_SYNPROXY:
		nftnl_obj_set_u16(o, NFTNL_OBJ_SYNPROXY_MSS, ir->synproxy[io->index].mss);
		nftnl_obj_set_u8(o, NFTNL_OBJ_SYNPROXY_WSCALE, ir->synproxy[io->index].wscale);
		nftnl_obj_set_u32(o, NFTNL_OBJ_SYNPROXY_FLAGS, ir->synproxy[io->index].flags);
		return 0;
	}
	return bw_nft_error(b, &io->loc, "unknown object type");
}

static uint32_t nfproto(uint8_t f)
{
	return f == BW_FAMILY_INET ? NFPROTO_INET : f == BW_FAMILY_IP ?
	       NFPROTO_IPV4 : f == BW_FAMILY_IP6 ? NFPROTO_IPV6 :
	       f == BW_FAMILY_BRIDGE ? NFPROTO_BRIDGE :
	       f == BW_FAMILY_ARP ? NFPROTO_ARP : NFPROTO_NETDEV;
}

const char *bw_nft_obj(struct bw_nft_bld *b, uint32_t oi)
{
	const struct bw_ir *ir = b->ir;
	const struct bw_ir_obj *io;
	struct nftnl_obj *o;
	char *name;

	if (oi >= ir->nobj) {
		b->oom = true;
		return NULL;
	}
	if (!b->obj_name && !(b->obj_name = calloc(ir->nobj, sizeof(*b->obj_name)))) {
		b->oom = true;
		return NULL;
	}
	if (b->obj_name[oi])
		return b->obj_name[oi];
	io = &ir->obj[oi];
	/* one of that name and type from another table of the family is
	 * there already: TABLE.NAME, as chains */
	name = strdup(io->name);
	for (uint32_t i = 0; name && i < ir->nobj; i++)
		if (i != oi && b->obj_name[i] && ir->obj[i].kind == io->kind &&
		    ir->obj[i].family == io->family && !strcmp(b->obj_name[i], name)) {
			free(name);
			if (asprintf(&name, "%s.%s", io->table, io->name) < 0)
				name = NULL;
			break;
		}
	o = nftnl_obj_alloc();
	if (!name || !o) {
		free(name);
		nftnl_obj_free(o);
		b->oom = true;
		return NULL;
	}
	nftnl_obj_set_u32(o, NFTNL_OBJ_FAMILY, nfproto(io->family));
	nftnl_obj_set_str(o, NFTNL_OBJ_TABLE, b->p->table);
	nftnl_obj_set_str(o, NFTNL_OBJ_NAME, name);
	nftnl_obj_set_u32(o, NFTNL_OBJ_TYPE, io->kind);
	if (attrs(b, o, io) || obj_add(b, o)) {
		free(name);
		nftnl_obj_free(o);
		if (!b->nerrors)
			b->oom = true;
		return NULL;
	}
	b->obj_name[oi] = name;
	return name;
}

int bw_nft_objref(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir *ir = x->b->ir;
	const struct bw_ir_objref *r;
	struct nftnl_expr *e;
	struct nftnl_set *set;
	const char *name;
	int rc;

	if (s->index >= ir->nobjref)
		return bw_nft_error(x->b, &s->loc, "unknown object use");
	r = &ir->objref[s->index];
	if (r->obj != UINT32_MAX) {
		name = bw_nft_obj(x->b, r->obj);
		if (!name)
			return x->b->nerrors ? -EINVAL : -ENOMEM;
		e = bw_nft_expr(x, "objref");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_IMM_TYPE, r->kind);
		nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_IMM_NAME, name);
		return 0;
	}
	/* an object map: its objects first (the elements name them) */
	if (r->map.set >= ir->nset)
		return bw_nft_error(x->b, &s->loc, "unknown object map");
	for (uint32_t i = 0; i < ir->set[r->map.set].nelem; i++)
		if (!bw_nft_obj(x->b, ir->set[r->map.set].elem[i].target))
			return x->b->nerrors ? -EINVAL : -ENOMEM;
	set = bw_nft_ir_set(x->b, r->map.set, x->table);
	if (!set)
		return -EINVAL;
	rc = bw_nft_keys(x, &r->map, &ir->set[r->map.set]);
	if (rc)
		return rc;
	e = bw_nft_expr(x, "objref");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_SET_SREG, NFT_REG_1);
	nftnl_expr_set_str(e, NFTNL_EXPR_OBJREF_SET_NAME,
			   nftnl_set_get_str(set, NFTNL_SET_NAME));
	nftnl_expr_set_u32(e, NFTNL_EXPR_OBJREF_SET_ID,
			   nftnl_set_get_u32(set, NFTNL_SET_ID));
	return 0;
}

int bw_nft_last(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	struct nftnl_expr *e = bw_nft_expr(x, "last");

	if (!e)
		return -ENOMEM;
	if (s->index) {
		nftnl_expr_set_u64(e, NFTNL_EXPR_LAST_MSECS, s->index - 1u);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LAST_SET, 1);
	}
	return 0;
}

const char *bw_nft_obj_elem_name(struct bw_nft_bld *b, uint32_t oi)
{
	return b->obj_name && oi < b->ir->nobj ? b->obj_name[oi] : NULL;
}

int bw_nft_objs(struct bw_nft_bld *b)
{
	const struct bw_ir *ir = b->ir;

	for (uint32_t i = 0; i < ir->nobj; i++) {
		bool on = false;

		for (uint32_t c = 0; c < ir->nchain && !on; c++)
			on = b->chain_on[c] && ir->chain[c].family == ir->obj[i].family &&
			     !strcmp(ir->chain[c].table, ir->obj[i].table);
		if (on && !bw_nft_obj(b, i))
			return b->oom ? -ENOMEM : -EINVAL;
	}
	return 0;
}
