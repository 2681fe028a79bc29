// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statements of the IP stack in nf_tables (nft_int.h): nat, and the
 * field sets (meta mark set, ct mark set, meta priority set).  Nat: the
 * addresses and ports loaded with immediates into registers from 1 on,
 * then a nat, masq or
 * redir expression that reads them, with nf_nat's range flags.  The
 * kernel's expression ends the rule with accept (the connection is
 * translated once, at its first packet; conntrack does the rest).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_tuple_common.h>
#include <linux/netfilter/nf_nat.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "compiler/front/valexpr.h"
#include "nft_int.h"
#include "compiler/front/setf.h"

static void load(struct bw_nft_rctx *x, uint32_t reg, const void *data,
		 uint32_t len)
{
	struct nftnl_expr *e = bw_nft_expr(x, "immediate");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, reg);
	nftnl_expr_set(e, NFTNL_EXPR_IMM_DATA, data, len);
}

/* A map of ranges (valexpr.h nat_range): the lookup's value is the
 * lowest address [and port], then the highest [and port], each port in
 * a 32-bit word: the max registers follow the min ones, as nft's. */
static void nat_maxregs(struct nftnl_expr *e, const struct bw_ir_nat *n,
			uint32_t alen)
{
	uint32_t words = alen / 4 + (n->port ? 1 : 0);	/* one end's */
	uint32_t amax = NFT_REG32_00 + words;

	nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, amax);
	if (n->port) {
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, NFT_REG32_00 + alen / 4);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, amax + alen / 4);
	}
}

/* nat with a value expression (valexpr.h): the address (and port, in
 * the 32-bit word after it: register 9 after an IPv4 address, 2 after an
 * IPv6 one) or the port into register 1, as nft 1.0.6; its flags only
 * for a port alone */
static int nat_vexpr(struct bw_nft_rctx *x, const struct bw_ir_rule *r,
		     const struct bw_ir_nat *n, uint32_t alen)
{
	uint32_t preg = !n->addr ? NFT_REG_1 : alen == 16 ? NFT_REG_2 : NFT_REG32_01;
	uint32_t flags = n->flags | (!n->addr && n->port ? NF_NAT_RANGE_PROTO_SPECIFIED : 0);
	struct nftnl_expr *e;

	if (n->vx >= x->b->ir->nvexpr)
		return bw_nft_error(x->b, &r->verdict_loc, "unknown nat statement");
	if (bw_nft_vexpr(x, &x->b->ir->vexpr[n->vx], &r->verdict_loc))
		return -EINVAL;
	if (n->kind == BW_NAT_SNAT || n->kind == BW_NAT_DNAT) {
		e = bw_nft_expr(x, "nat");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, n->kind == BW_NAT_SNAT ?
				   NFT_NAT_SNAT : NFT_NAT_DNAT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY,
				   n->l3 == 6 ? NFPROTO_IPV6 : NFPROTO_IPV4);
		if (n->addr)
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, NFT_REG_1);
		if (n->port)
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, preg);
		if (n->addr && x->b->ir->vexpr[n->vx].nat_range)
			nat_maxregs(e, n, alen);
		if (flags)
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, flags);
		return 0;
	}
	e = bw_nft_expr(x, n->kind == BW_NAT_REDIR ? "redir" : "masq");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, n->kind == BW_NAT_REDIR ? NFTNL_EXPR_REDIR_REG_PROTO_MIN :
			   NFTNL_EXPR_MASQ_REG_PROTO_MIN, NFT_REG_1);
	if (flags)
		nftnl_expr_set_u32(e, n->kind == BW_NAT_REDIR ? NFTNL_EXPR_REDIR_FLAGS :
				   NFTNL_EXPR_MASQ_FLAGS, flags);
	return 0;
}

int bw_nft_nat(struct bw_nft_rctx *x, const struct bw_ir_rule *r)
{
	uint32_t alen, flags, reg = NFT_REG_1, amin = 0, amax = 0, pmin = 0, pmax = 0;
	const struct bw_ir_nat *n;
	struct nftnl_expr *e;
	bool range_a, range_p;
	uint16_t plo, phi;

	if (r->nat >= x->b->ir->nnat)
		return bw_nft_error(x->b, &r->verdict_loc, "unknown nat statement");
	n = &x->b->ir->nat[r->nat];
	alen = n->l3 == 6 ? 16 : 4;
	if (n->vexpr)
		return nat_vexpr(x, r, n, alen);
	range_a = n->addr && memcmp(n->addr_lo, n->addr_hi, alen);
	range_p = n->port && n->port_lo != n->port_hi;
	plo = htons(n->port_lo);
	phi = htons(n->port_hi);
	/* registers in turn from 1, as nft allocates them */
	if (n->addr) {
		load(x, amin = reg++, n->addr_lo, alen);
		if (range_a)
			load(x, amax = reg++, n->addr_hi, alen);
	}
	if (n->port) {
		load(x, pmin = reg++, &plo, sizeof(plo));
		if (range_p)
			load(x, pmax = reg++, &phi, sizeof(phi));
	}
	/* as nft sends them: the kernel adds MAP_IPS for an address */
	flags = n->flags | (n->port ? NF_NAT_RANGE_PROTO_SPECIFIED : 0);
	switch (n->kind) {
	case BW_NAT_SNAT:
	case BW_NAT_DNAT:
		e = bw_nft_expr(x, "nat");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_TYPE, n->kind == BW_NAT_SNAT ?
				   NFT_NAT_SNAT : NFT_NAT_DNAT);
		nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FAMILY,
				   n->l3 == 4 ? NFPROTO_IPV4 :
				   n->l3 == 6 ? NFPROTO_IPV6 : NFPROTO_INET);
		if (n->addr) {
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MIN, amin);
			if (range_a)
				nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_ADDR_MAX, amax);
		}
		if (n->port) {
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MIN, pmin);
			if (range_p)
				nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_REG_PROTO_MAX, pmax);
		}
		if (flags)
			nftnl_expr_set_u32(e, NFTNL_EXPR_NAT_FLAGS, flags);
		return 0;
	case BW_NAT_MASQ:
	case BW_NAT_REDIR: {
		/* the same three attributes, each expression its own ids */
		static const struct {
			const char *name;
			uint16_t pmin, pmax, flags;
		} port_nat[] = {
			[BW_NAT_MASQ] = { "masq", NFTNL_EXPR_MASQ_REG_PROTO_MIN,
					  NFTNL_EXPR_MASQ_REG_PROTO_MAX,
					  NFTNL_EXPR_MASQ_FLAGS },
			[BW_NAT_REDIR] = { "redir", NFTNL_EXPR_REDIR_REG_PROTO_MIN,
					   NFTNL_EXPR_REDIR_REG_PROTO_MAX,
					   NFTNL_EXPR_REDIR_FLAGS },
		};

		e = bw_nft_expr(x, port_nat[n->kind].name);
		if (!e)
			return -ENOMEM;
		if (n->port) {
			nftnl_expr_set_u32(e, port_nat[n->kind].pmin, pmin);
			if (range_p)
				nftnl_expr_set_u32(e, port_nat[n->kind].pmax, pmax);
		}
		if (flags)
			nftnl_expr_set_u32(e, port_nat[n->kind].flags, flags);
		return 0;
	}
	}
	return bw_nft_error(x->b, &r->verdict_loc, "unknown nat statement");
}

/* ---- meta mark set, ct mark set, meta priority set ---- */

static void ct_expr(struct bw_nft_rctx *x, uint32_t key, uint32_t attr,
		    uint32_t reg)
{
	struct nftnl_expr *e = bw_nft_expr(x, "ct");

	if (!e)
		return;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, attr, reg);
}

/* ct zone set, ct label set, ct event set: the value (zone: 16 bits;
 * label: the 128 bits with the one set, in host order as the kernel's
 * bitmap; events: 32 bits) into register 1, then a ct set */
static int ct_setf(struct bw_nft_rctx *x, const struct bw_ir_setf *f)
{
	uint8_t label[16] = { 0 };
	uint16_t zone = (uint16_t)f->value;
	struct nftnl_expr *e;
	uint32_t key;

	switch (f->key) {
	case BW_SETF_CT_LABEL:
		/* the kernel's bitmap of longs: bit n of the n / 64th word */
		{
			uint64_t w[2] = { 0, 0 };

			w[f->value / 64] = UINT64_C(1) << (f->value % 64);
			memcpy(label, w, sizeof(label));
		}
		load(x, NFT_REG_1, label, sizeof(label));
		key = NFT_CT_LABELS;
		break;
	case BW_SETF_CT_EVENT:
		load(x, NFT_REG_1, &f->value, sizeof(f->value));
		key = NFT_CT_EVENTMASK;
		break;
	default:
		load(x, NFT_REG_1, &zone, sizeof(zone));
		key = NFT_CT_ZONE;
		break;
	}
	e = bw_nft_expr(x, "ct");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_SREG, NFT_REG_1);
	if (f->key == BW_SETF_CT_ZONE_ORIG || f->key == BW_SETF_CT_ZONE_REPLY)
		nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR,
				  f->key == BW_SETF_CT_ZONE_ORIG ? IP_CT_DIR_ORIGINAL : IP_CT_DIR_REPLY);
	return 0;
}

/* @ih,OFF,LEN set N, as nft: load the 16-bit words that hold the bits,
 * (words & ~bits) ^ N in place, write them back with the transport
 * checksum fixed (NFT_PAYLOAD_L4CSUM_PSEUDOHDR). */
static int raw_setf(struct bw_nft_rctx *x, const struct bw_ir_setf *f)
{
	unsigned first, n, shift;
	uint8_t mask[4], xor[4];
	uint64_t bits, v;
	struct nftnl_expr *e;

	bw_setf_raw_span(f->raw.off, f->raw.len, &first, &n);
	shift = n * 8 - (f->raw.off - first * 8) - f->raw.len;
	bits = ((UINT64_C(1) << f->raw.len) - 1) << shift;
	v = (uint64_t)f->value << shift;
	for (unsigned i = 0; i < n; i++) {
		mask[i] = (uint8_t)~(bits >> (8 * (n - 1 - i)));
		xor[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	}
	if (bits == (UINT64_C(1) << (8 * n)) - 1) {
		/* whole words: the value alone (nft's immediate) */
		load(x, NFT_REG_1, xor, n);
		goto write;
	}
	e = bw_nft_expr(x, "payload");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, f->raw.base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, first);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, n);
	e = bw_nft_expr(x, "bitwise");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, n);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, mask, n);
	nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, xor, n);
write:
	e = bw_nft_expr(x, "payload");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, f->raw.base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, first);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, n);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_TYPE, NFT_PAYLOAD_CSUM_NONE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_CSUM_OFFSET, 0);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_FLAGS, NFT_PAYLOAD_L4CSUM_PSEUDOHDR);
	return 0;
}

/* meta or ct FIELD set with register 1 */
static int set_from_reg1(struct bw_nft_rctx *x, uint8_t key)
{
	struct nftnl_expr *e;

	if (key == BW_SETF_META_MARK || key == BW_SETF_META_PRIORITY) {
		e = bw_nft_expr(x, "meta");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key == BW_SETF_META_MARK ?
				   NFT_META_MARK : NFT_META_PRIORITY);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG_1);
		return 0;
	}
	e = bw_nft_expr(x, "ct");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_KEY, key == BW_SETF_CT_MARK ?
			   NFT_CT_MARK : NFT_CT_ZONE);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CT_SREG, NFT_REG_1);
	if (key == BW_SETF_CT_ZONE_ORIG || key == BW_SETF_CT_ZONE_REPLY)
		nftnl_expr_set_u8(e, NFTNL_EXPR_CT_DIR, key == BW_SETF_CT_ZONE_ORIG ?
				  IP_CT_DIR_ORIGINAL : IP_CT_DIR_REPLY);
	return 0;
}

int bw_nft_setf(struct bw_nft_rctx *x, const struct bw_ir_stmt *s)
{
	const struct bw_ir_setf *f;
	struct nftnl_expr *e;

	if (s->index >= x->b->ir->nsetf)
		return bw_nft_error(x->b, &s->loc, "unknown set statement");
	f = &x->b->ir->setf[s->index];
	if (f->key == BW_SETF_RAW)
		return raw_setf(x, f);
	if (f->key == BW_SETF_TCPOPT_RESET) {
		/* as nft: an exthdr of op tcpopt with no register, the
		 * kernel's strip (the option's bytes become NOPs) */
		e = bw_nft_expr(x, "exthdr");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, (uint8_t)f->value);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
		return 0;
	}
	if (f->key == BW_SETF_TCP_MAXSEG) {
		/* as nft: the size, big endian, written into the first MSS
		 * option (nf_tables fixes the checksum; no MSS option, no
		 * change) */
		uint16_t v = htons((uint16_t)f->value);

		if (f->vexpr && f->vx < x->b->ir->nvexpr) {
			/* rt mtu: the route's MSS, host order, turned */
			if (bw_nft_vexpr(x, &x->b->ir->vexpr[f->vx], &s->loc))
				return -EINVAL;
			e = bw_nft_expr(x, "byteorder");
			if (!e)
				return -ENOMEM;
			nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SREG, NFT_REG_1);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_DREG, NFT_REG_1);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_OP, NFT_BYTEORDER_HTON);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_LEN, 2);
			nftnl_expr_set_u32(e, NFTNL_EXPR_BYTEORDER_SIZE, 2);
		} else {
			load(x, NFT_REG_1, &v, sizeof(v));
		}
		e = bw_nft_expr(x, "exthdr");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_SREG, NFT_REG_1);
		nftnl_expr_set_u8(e, NFTNL_EXPR_EXTHDR_TYPE, 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OFFSET, 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_LEN, 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_EXTHDR_OP, NFT_EXTHDR_OP_TCPOPT);
		return 0;
	}
	if (f->vexpr && !f->from_field && f->vx < x->b->ir->nvexpr &&
	    x->b->ir->vexpr[f->vx].base != BW_VX_CONST) {
		/* a value expression (valexpr.h) into register 1 */
		if (bw_nft_vexpr(x, &x->b->ir->vexpr[f->vx], &s->loc))
			return -EINVAL;
		return set_from_reg1(x, f->key);
	}
	if (f->key == BW_SETF_META_BROUTE) {
		/* as nft: one byte, meta set broute (nft_meta_bridge) */
		uint8_t v = (uint8_t)f->value;

		load(x, NFT_REG_1, &v, sizeof(v));
		e = bw_nft_expr(x, "meta");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, BW_NFT_META_BRI_BROUTE);
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG_1);
		return 0;
	}
	if (f->key > BW_SETF_META_PRIORITY)
		return ct_setf(x, f);
	if (!f->from_field)
		load(x, NFT_REG_1, &f->value, sizeof(f->value));
	else if (f->src == BW_SETF_CT_MARK)
		ct_expr(x, NFT_CT_MARK, NFTNL_EXPR_CT_DREG, NFT_REG_1);
	else
		bw_nft_meta(x, NFT_META_MARK, NFT_REG_1);
	if (f->from_field && f->bits) {
		/* as nft: one bitwise, (mark & mask) ^ xor, in host order */
		e = bw_nft_expr(x, "bitwise");
		if (!e)
			return -ENOMEM;
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, sizeof(uint32_t));
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_MASK, &f->mask, sizeof(f->mask));
		nftnl_expr_set(e, NFTNL_EXPR_BITWISE_XOR, &f->xor, sizeof(f->xor));
	}
	if (f->key == BW_SETF_CT_MARK) {
		ct_expr(x, NFT_CT_MARK, NFTNL_EXPR_CT_SREG, NFT_REG_1);
		return 0;
	}
	e = bw_nft_expr(x, "meta");
	if (!e)
		return -ENOMEM;
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, f->key == BW_SETF_META_MARK ?
			   NFT_META_MARK : NFT_META_PRIORITY);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_SREG, NFT_REG_1);
	return 0;
}
