// SPDX-License-Identifier: GPL-2.0-only
/*
 * PROTO FIELD set VALUE for packet header fields (hdrset.h): checked as
 * nft checks them, each error with a caret, and laid out as nft 1.0.6
 * lays out its payload write (src/evaluate.c stmt_evaluate_payload,
 * src/netlink_linearize.c netlink_gen_payload_stmt):
 *
 *  - a field of whole bytes is written as it is, unless its header has a
 *    checksum and it is an odd number of bytes long (the kernel's
 *    checksum update works on 16-bit words): then, as for a field that
 *    is not whole bytes, the bytes around it are loaded, masked, xored
 *    with the value shifted into place, and written back;
 *  - such a read-modify-write covers the field's bytes, one more when the
 *    checksum wants an even length (the byte before the field when it
 *    starts at an odd offset, else the byte after);
 *  - the header's checksum (IPv4, TCP, UDP, ICMP, ICMPv6: the Internet
 *    checksum at its offset) is updated; for the fields of the transport
 *    checksum's pseudo-header (addresses, protocol, length) the transport
 *    checksum too.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "hdrset.h"
#include "nfnetdev.h"
#include "rawpay.h"

enum { LL = 0, NET = 1, TRANSPORT = 2 };	/* NFT_PAYLOAD_*_HEADER */
#define CSUM_INET 1			/* NFT_PAYLOAD_CSUM_INET */

/* nft's header templates: where each field is, in bits */
static const struct tmpl {
	enum bw_field_id id;
	uint8_t base;
	uint16_t bit_off, bits;
	bool pseudo;			/* in the pseudo-header */
	bool th;			/* nft's th: the transport header's
					 * ports whatever the protocol, no
					 * dependency, no checksum update */
} tmpls[] = {
	{ BW_F_IP_VERSION,	NET, 0, 4, false },
	{ BW_F_IP_HDRLENGTH,	NET, 4, 4, false },
	{ BW_F_IP_DSCP,		NET, 8, 6, false },
	{ BW_F_IP_ECN,		NET, 14, 2, false },
	{ BW_F_IP_LENGTH,	NET, 16, 16, true },
	{ BW_F_IP_ID,		NET, 32, 16, false },
	{ BW_F_IP_FRAGOFF,	NET, 48, 16, false },
	{ BW_F_IP_TTL,		NET, 64, 8, false },
	{ BW_F_IP_PROTOCOL,	NET, 72, 8, true },
	{ BW_F_IP_CHECKSUM,	NET, 80, 16, false },
	{ BW_F_IP_SADDR,	NET, 96, 32, true },
	{ BW_F_IP_DADDR,	NET, 128, 32, true },
	{ BW_F_IP6_VERSION,	NET, 0, 4, false },
	{ BW_F_IP6_DSCP,	NET, 4, 6, false },
	{ BW_F_IP6_ECN,		NET, 10, 2, false },
	{ BW_F_IP6_FLOWLABEL,	NET, 12, 20, false },
	{ BW_F_IP6_LENGTH,	NET, 32, 16, true },
	{ BW_F_IP6_NEXTHDR,	NET, 48, 8, true },
	{ BW_F_IP6_HOPLIMIT,	NET, 56, 8, false },
	{ BW_F_IP6_SADDR,	NET, 64, 128, true },
	{ BW_F_IP6_DADDR,	NET, 192, 128, true },
	{ BW_F_TCP_SPORT,	TRANSPORT, 0, 16, false },
	{ BW_F_TCP_DPORT,	TRANSPORT, 16, 16, false },
	{ BW_F_TCP_SEQUENCE,	TRANSPORT, 32, 32, false },
	{ BW_F_TCP_ACKSEQ,	TRANSPORT, 64, 32, false },
	{ BW_F_TCP_DOFF,	TRANSPORT, 96, 4, false },
	{ BW_F_TCP_FLAGS,	TRANSPORT, 104, 8, false },
	{ BW_F_TCP_WINDOW,	TRANSPORT, 112, 16, false },
	{ BW_F_TCP_CHECKSUM,	TRANSPORT, 128, 16, false },
	{ BW_F_TCP_URGPTR,	TRANSPORT, 144, 16, false },
	{ BW_F_UDP_SPORT,	TRANSPORT, 0, 16, false },
	{ BW_F_UDP_DPORT,	TRANSPORT, 16, 16, false },
	{ BW_F_UDP_LENGTH,	TRANSPORT, 32, 16, false },
	{ BW_F_UDP_CHECKSUM,	TRANSPORT, 48, 16, false },
	{ BW_F_ICMP_TYPE,	TRANSPORT, 0, 8, false },
	{ BW_F_ICMP_CODE,	TRANSPORT, 8, 8, false },
	{ BW_F_ICMP_CHECKSUM,	TRANSPORT, 16, 16, false },
	{ BW_F_ICMP6_TYPE,	TRANSPORT, 0, 8, false },
	{ BW_F_ICMP6_CODE,	TRANSPORT, 8, 8, false },
	{ BW_F_ICMP6_CHECKSUM,	TRANSPORT, 16, 16, false },
	{ BW_F_TCP_SPORT,	TRANSPORT, 0, 16, false, true },
	{ BW_F_TCP_DPORT,	TRANSPORT, 16, 16, false, true },
	/* the Ethernet header, and the 802.1Q tag right after it (or the
	 * 802.1ad one the rule tested for) */
	{ BW_F_ETHER_DADDR,	LL, 0, 48, false },
	{ BW_F_ETHER_SADDR,	LL, 48, 48, false },
	{ BW_F_ETHER_TYPE,	LL, 96, 16, false },
	{ BW_F_VLAN_PCP,	LL, 112, 3, false },
	{ BW_F_VLAN_DEI,	LL, 115, 1, false },
	{ BW_F_VLAN_ID,		LL, 116, 12, false },
	{ BW_F_VLAN_TYPE,	LL, 128, 16, false },
	/* the Ethernet/IPv4 ARP header (arp and bridge tables): no checksum */
	{ BW_F_ARP_HTYPE,	NET, 0, 16, false },
	{ BW_F_ARP_PTYPE,	NET, 16, 16, false },
	{ BW_F_ARP_HLEN,	NET, 32, 8, false },
	{ BW_F_ARP_PLEN,	NET, 40, 8, false },
	{ BW_F_ARP_OP,		NET, 48, 16, false },
	{ BW_F_ARP_SHA,		NET, 64, 48, false },
	{ BW_F_ARP_SPA,		NET, 112, 32, false },
	{ BW_F_ARP_THA,		NET, 144, 48, false },
	{ BW_F_ARP_TPA,		NET, 192, 32, false },
};
#define NTMPL (sizeof(tmpls) / sizeof(tmpls[0]))

/* The checksum of the header a field is in (nft's checksum_key): its
 * byte offset, 0 for none (IPv6 has none). */
static uint8_t csum_off(const struct bw_field *f)
{
	if (!strcmp(f->proto, "ip"))
		return 10;
	if (!strcmp(f->proto, "tcp"))
		return 16;
	if (!strcmp(f->proto, "udp"))
		return 6;
	if (!strcmp(f->proto, "icmp") || !strcmp(f->proto, "icmpv6"))
		return 2;
	return 0;
}

/* @nh,OFF,LEN set N where those bits are an arp field: nft writes (and
 * lists) that field */
static const struct tmpl *raw_tmpl(const struct bw_ast_fref *r)
{
	struct bw_rawpay rp;

	if (bw_rawpay_parse(r->proto, r->field, &rp) || rp.base != BW_RAW_NH)
		return NULL;
	for (size_t i = 0; i < NTMPL; i++)
		if (tmpls[i].base == NET && bw_field(tmpls[i].id)->need_ethertype &&
		    tmpls[i].bit_off == rp.off && tmpls[i].bits == rp.len)
			return &tmpls[i];
	return NULL;
}

static const struct tmpl *tmpl_of(const struct bw_ast_fref *r)
{
	const struct bw_field *f;

	if (!r || r->next || !r->proto || !r->field)
		return NULL;
	if (r->proto[0] == '@')
		return raw_tmpl(r);
	/* th sport, th dport: read as tcp's, written as nft's th */
	if (!strcmp(r->proto, "th")) {
		for (size_t i = 0; i < NTMPL; i++)
			if (tmpls[i].th && !strcmp(bw_field(tmpls[i].id)->name, r->field))
				return &tmpls[i];
		return NULL;
	}
	f = bw_field_find(r->proto, r->field);
	if (!f)
		return NULL;
	for (size_t i = 0; i < NTMPL; i++)
		if (tmpls[i].id == f->id && !tmpls[i].th)
			return &tmpls[i];
	return NULL;
}

bool bw_hdrset_claims(const struct bw_ast_fref *f)
{
	static const char *const protos[] = {
		"ip", "ip6", "tcp", "udp", "icmp", "icmpv6", "th", "ether", "vlan",
		"arp",
	};

	/* tcp option maxseg size set: setf.c's (an exthdr write) */
	if (!f || !f->field || !strncmp(f->field, "option ", 7))
		return false;
	if (f->proto && f->proto[0] == '@')	/* an arp field's bits */
		return !f->next && raw_tmpl(f);
	for (size_t i = 0; f->proto && i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(f->proto, protos[i]))
			return true;
	return false;
}

/* The value of field f (a number, a name, an address; tcp flags: a list
 * of flags) into out, f->size bytes in network order. */
static int value_of(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, const struct bw_sym *scope,
		    uint8_t out[BW_VAL_MAX])
{
	const struct bw_ast_expr *orig = e;
	uint8_t one[BW_VAL_MAX];

	e = bw_sym_resolve(e, &scope);
	if (!e)
		return bw_eval_error(ev, &orig->loc, "unknown identifier '%s'",
				     orig->text ? orig->text : "");
	if (e->kind == BW_AE_SET)
		return bw_eval_error(ev, &e->loc, "%s %s set takes one value, not a set",
				     f->proto, f->name);
	/* tcp flags set syn | ack: the value grammar's | of flags */
	if (e->kind == BW_AE_BINOP && e->text && !strcmp(e->text, "|") &&
	    f->type == BW_T_TCP_FLAG) {
		if (value_of(ev, f, e->left, scope, out) ||
		    value_of(ev, f, e->right, scope, one))
			return -EINVAL;
		out[0] |= one[0];
		return 0;
	}
	if (e->kind != BW_AE_LIST)
		return bw_eval_scalar(ev, f, e, scope, out);
	if (f->type != BW_T_TCP_FLAG)
		return bw_eval_error(ev, &e->loc, "%s %s set takes one value",
				     f->proto, f->name);
	memset(out, 0, BW_VAL_MAX);
	for (const struct bw_ast_expr *x = e->elems; x; x = x->next) {
		if (value_of(ev, f, x, scope, one))
			return -EINVAL;
		out[0] |= one[0];
	}
	return 0;
}

/* @nh,OFF,LEN set N: N, a number of LEN bits, as field f's bytes. */
static int raw_value(struct bw_eval *ev, const struct bw_ast_stmt *s,
		     const struct tmpl *t, const struct bw_field *f,
		     const struct bw_sym *scope, uint8_t out[BW_VAL_MAX])
{
	const struct bw_ast_expr *e = bw_sym_resolve(s->setf_value, &scope);
	uint64_t v;

	if (s->setf_src || s->setf_and || s->setf_or || s->setf_xor || !e ||
	    e->kind != BW_AE_NUMBER || bw_eval_number(e->text, &v) ||
	    (t->bits < 64 && v >> t->bits))
		return bw_eval_error(ev, &s->setf_value->loc, "%s,%s set takes a number of %u bits",
				     s->setf->proto, s->setf->field, t->bits);
	memset(out, 0, BW_VAL_MAX);
	for (unsigned i = 0; i < f->size; i++)
		out[f->size - 1 - i] = (uint8_t)(v >> (8 * i));
	return 0;
}

/* The field's value as a number (fields of at most 32 bits). */
static uint32_t number_of(const struct bw_field *f, const uint8_t *v)
{
	uint32_t n = 0;

	for (unsigned i = 0; i < f->size && i < 4; i++)
		n = n << 8 | v[i];
	return n;
}

/* Lay out the write of value v of field f (template t) into h: with
 * h->op '&' the field keeps its bits of v, with '|' it gets v's bits
 * set too; else it becomes v. */
static void layout(const struct tmpl *t, const struct bw_field *f,
		   const uint8_t *v, struct bw_ir_hdrset *h)
{
	unsigned off = t->bit_off / 8, first = t->bit_off % 8;
	unsigned size = (first + t->bits + 7) / 8;
	unsigned shift = size * 8 - first - t->bits;
	bool csum = !t->th && csum_off(f) != 0;
	uint32_t n, m;

	h->base = t->base;
	h->csum_type = csum ? CSUM_INET : 0;
	h->csum_off = csum ? csum_off(f) : 0;
	h->th = t->th;
	h->pseudo = t->pseudo;
	if (!h->op && first == 0 && t->bits % 8 == 0 && (!csum || size % 2 == 0)) {
		/* whole bytes, written as they are */
		h->off = (uint8_t)off;
		h->len = (uint8_t)size;
		memcpy(h->value, v + f->size - size, size);
		return;
	}
	if (csum && size % 2) {
		/* the checksum's 16-bit words: the byte before the field
		 * when it starts at an odd offset, else the byte after */
		size++;
		if (off % 2)
			off--;
		else
			shift += 8;
	}
	n = number_of(f, v);
	m = t->bits >= 32 ? UINT32_MAX : (1u << t->bits) - 1;
	/* the field's bits to clear (m) and to set (n) */
	if (h->op == '&') {
		m &= ~n;
		n = 0;
	} else if (h->op == '|') {
		m = n;
	}
	h->rmw = true;
	h->off = (uint8_t)off;
	h->len = (uint8_t)size;
	for (unsigned i = 0; i < size; i++) {
		unsigned at = (size - 1 - i) * 8;	/* bit of byte i */
		uint64_t vm = (uint64_t)m << shift, vv = (uint64_t)n << shift;

		h->mask[i] = (uint8_t)~(vm >> at);
		h->value[i] = (uint8_t)(vv >> at);
	}
}

/* The value of s, and with the field's own bits (ip dscp set ip dscp &
 * 0x1f: the same field, & or |, a value; nft folds it to one mask and
 * xor) the operator.  0 or -EINVAL (error queued). */
static int rmw_of(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  const struct bw_field *f, char *op,
		  const struct bw_ast_expr **e)
{
	const struct bw_ast_fref *src = s->setf_src;

	*op = 0;
	*e = s->setf_value;
	if (!src)
		return 0;
	if (!src->proto || !src->field || strcmp(src->proto, s->setf->proto) ||
	    strcmp(src->field, f->name) || s->setf_xor || (!s->setf_and && !s->setf_or))
		return bw_eval_error(ev, &s->loc, "%s %s set takes a value, or %s %s & VALUE, or %s %s | VALUE",
				     f->proto, f->name, f->proto, f->name, f->proto, f->name);
	if (f->size > 4)
		return bw_eval_error(ev, &s->loc, "%s %s set %s %s & or | a value: only fields of at most 32 bits",
				     f->proto, f->name, f->proto, f->name);
	*op = s->setf_and ? '&' : '|';
	*e = s->setf_and ? s->setf_and : s->setf_or;
	return 0;
}

int bw_eval_hdrset(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index)
{
	const struct tmpl *t = tmpl_of(s->setf);
	struct bw_ir_hdrset h = { 0 }, *v;
	struct bw_ast_stmt m = { 0 };
	const struct bw_field *f;
	struct bw_loc lhs = bw_loc_join(&s->setf->proto_loc, &s->setf->field_loc);
	uint8_t val[BW_VAL_MAX] = { 0 };
	const struct bw_ast_expr *e = NULL;
	int rc;

	if (!t)
		return bw_eval_error(ev, &lhs, "%s %s set is not supported (bpfwall writes the header fields of ether, vlan, arp, ip, ip6, tcp, udp, icmp and icmpv6 that nft's templates name, and th sport and dport)",
				     s->setf->proto, s->setf->field);
	f = bw_field(t->id);
	if (ch->family == BW_FAMILY_ARP && !f->need_ethertype)
		return bw_eval_error(ev, &lhs, "%s %s set: an arp table's packets have no %s header",
				     s->setf->proto, f->name, f->proto);
	/* netdev: nf_tables' netdev family writes it (nfnetdev.h) */
	if (f->need_ethertype && ch->family != BW_FAMILY_ARP &&
	    ch->family != BW_FAMILY_BRIDGE &&
	    !(ch->family == BW_FAMILY_NETDEV && bw_nfnetdev_mark(ev, &s->loc)))
		return bw_eval_error(ev, &lhs, "%s%s%s set: bpfwall writes the ARP header in arp and bridge tables only (nf_tables)",
				     s->setf->proto, s->setf->proto[0] == '@' ? "," : " ",
				     s->setf->field);
	rc = bw_hdrset_ibrhwaddr(ev, ch, f, s, &h);
	if (rc < 0 || (!rc && rmw_of(ev, s, f, &h.op, &e)))
		return -EINVAL;
	if ((ch->family == BW_FAMILY_IP && f->need_l3 == 6) ||
	    (ch->family == BW_FAMILY_IP6 && f->need_l3 == 4))
		return bw_eval_error(ev, &lhs, "%s %s set cannot be used in an %s table",
				     s->setf->proto, f->name,
				     ch->family == BW_FAMILY_IP ? "ip" : "ip6");
	/* the rule's protocols so far must allow the header, as for a
	 * match of the field */
	m.kind = BW_AS_MATCH;
	m.loc = s->loc;
	m.proto = s->setf->proto;
	m.field = s->setf->field;
	m.proto_loc = s->setf->proto_loc;
	m.field_loc = s->setf->field_loc;
	if (!t->th && bw_proto_check(ev, ps, f, &m, NULL))
		return -EINVAL;
	if (s->setf->proto[0] == '@') {
		if (raw_value(ev, s, t, f, scope, val))
			return -EINVAL;
	} else if (h.ibrhwaddr) {
		;	/* nf_tables loads the value (nft_hdrset.c) */
	} else if (value_of(ev, f, e, scope, val)) {
		return -EINVAL;
	}
	h.field = (uint16_t)f->id;
	memcpy(h.shown, val, f->size);
	layout(t, f, val, &h);
	/* netdev: the XDP or TC program writes the packet itself
	 * (compiler/bpf/emit_hdrset.c), up to 4 bytes; the checksum
	 * updates take 16-bit words */
	if (ch->family == BW_FAMILY_NETDEV && !ch->nft &&
	    (h.len > 4 || ((h.csum_type || h.pseudo) && h.len % 2)))
		return bw_eval_error(ev, &s->loc, "%s %s set in a netdev chain: bpfwall's programs write fields of at most 4 bytes, an even number when a checksum covers them (here %u bytes)",
				     s->setf->proto, f->name, h.len);
	v = reallocarray(ev->ir->hdrset, ev->ir->nhdrset + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ev->ir->hdrset = v;
	v[ev->ir->nhdrset] = h;
	*index = ev->ir->nhdrset++;
	return 0;
}

/* tcp flags set syn | ack: nft lists the flags as an OR of names */
static void print_flags(struct bw_pbuf *b, const struct bw_field *f, uint32_t n)
{
	const char *sep = "", *name;

	for (unsigned bit = 0; bit < 8; bit++) {
		if (!(n & (1u << bit)))
			continue;
		name = bw_eval_value_name(f, 1u << bit);
		if (name)
			bw_pbuf_printf(b, "%s%s", sep, name);
		else
			bw_pbuf_printf(b, "%s0x%02x", sep, 1u << bit);
		sep = " | ";
	}
}

void bw_print_hdrset(struct bw_pbuf *b, const struct bw_ir_hdrset *h)
{
	const struct bw_field *f = bw_field((enum bw_field_id)h->field);
	const char *proto = h->th ? "th" : f->proto, *name = NULL;
	uint32_t n = number_of(f, h->shown);
	bool dscp = f->id == BW_F_IP_DSCP || f->id == BW_F_IP6_DSCP;

	bw_pbuf_printf(b, "%s %s set ", proto, f->name);
	if (h->ibrhwaddr) {
		bw_pbuf_put(b, "meta ibrhwaddr");
		return;
	}
	if (h->op)
		bw_pbuf_printf(b, "%s %s %c ", proto, f->name, h->op);
	/* tcp flags & (fin | syn): nft's parentheses */
	if (h->op == '&' && f->type == BW_T_TCP_FLAG && (n & (n - 1))) {
		bw_pbuf_put(b, "(");
		print_flags(b, f, n);
		bw_pbuf_put(b, ")");
		return;
	}
	/* nft's dscp and ecn types: a name, else (dscp) hex */
	if (dscp || f->id == BW_F_IP_ECN || f->id == BW_F_IP6_ECN)
		name = bw_eval_value_name(f, n);
	if (name)
		bw_pbuf_put(b, name);
	else if (dscp)
		bw_pbuf_printf(b, "0x%x", n);
	else if (f->type == BW_T_TCP_FLAG && n)
		print_flags(b, f, n);
	else
		bw_print_value(b, f, h->shown);
}

int bw_hdrset_ibrhwaddr(struct bw_eval *ev, const struct bw_ir_chain *ch,
			const struct bw_field *f, const struct bw_ast_stmt *s,
			struct bw_ir_hdrset *h)
{
	const struct bw_ast_expr *e = s->setf_value;
	/* the text's value, or JSON's (a field: setf_src) */
	const struct bw_ast_fref *r = e && e->kind == BW_AE_FIELD ? e->fref :
				      s->setf_and || s->setf_or || s->setf_xor ? NULL :
				      s->setf_src;
	struct bw_loc loc = e ? e->loc : s->loc;

	if (!r || !r->proto || !r->field || r->next || strcmp(r->proto, "meta") ||
	    strcmp(r->field, "ibrhwaddr"))
		return 0;
	if (ch->family != BW_FAMILY_BRIDGE || f->type != BW_T_ETHER_ADDR)
		return bw_eval_error(ev, &loc, "meta ibrhwaddr (the bridge's address) can only be written into ether saddr or daddr, in bridge tables");
	h->ibrhwaddr = true;
	return 1;
}

bool bw_hdrset_print_raw(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			 const struct bw_sym *scope)
{
	struct bw_ast_fref r = { .proto = s->proto, .field = s->field };
	const struct bw_ast_expr *e;
	const struct tmpl *t;
	const struct bw_field *f;
	uint8_t v[BW_VAL_MAX] = { 0 };
	uint64_t n;

	if (s->kind != BW_AS_MATCH || s->proto[0] != '@' || s->cat || s->vmap ||
	    s->mask || (s->op != BW_OP_IMPLICIT && s->op != BW_OP_EQ &&
			s->op != BW_OP_NE) || !(t = raw_tmpl(&r)))
		return false;
	e = bw_sym_resolve(s->rhs, &scope);
	if (!e || e->kind != BW_AE_NUMBER || bw_eval_number(e->text, &n) ||
	    (t->bits < 64 && n >> t->bits))
		return false;
	f = bw_field(t->id);
	for (unsigned i = 0; i < f->size; i++)
		v[f->size - 1 - i] = (uint8_t)(n >> (8 * i));
	bw_pbuf_printf(b, "%s %s %s", f->proto, f->name, s->op == BW_OP_NE ? "!= " : "");
	bw_print_value(b, f, v);
	return true;
}

bool bw_hdrset_arp_said(const struct bw_ast_item *rule,
			const struct bw_ast_stmt *s)
{
	const struct bw_field *f;

	for (const struct bw_ast_stmt *t = rule->stmts; t && t != s; t = t->next)
		if (t->kind == BW_AS_MATCH && t->proto && t->field &&
		    (f = bw_field_find(t->proto, t->field)) && f->need_ethertype)
			return true;
	return false;
}
