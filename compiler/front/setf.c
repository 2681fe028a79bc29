// SPDX-License-Identifier: GPL-2.0-only
/*
 * meta mark set, ct mark set, meta priority set and notrack (setf.h):
 * checked as nft checks them, each error with a caret, into ir->setf;
 * printed in nft's canonical form.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "setf.h"
#include "nfnetdev.h"
#include "rawpay.h"
#include "tcpopt.h"
#include "valexpr.h"

static const struct {
	const char *proto, *field;
} names[BW_SETF__MAX] = {
	[BW_SETF_META_MARK] = { "meta", "mark" },
	[BW_SETF_CT_MARK] = { "ct", "mark" },
	[BW_SETF_META_PRIORITY] = { "meta", "priority" },
	[BW_SETF_CT_ZONE] = { "ct", "zone" },
	[BW_SETF_CT_ZONE_ORIG] = { "ct", "original zone" },
	[BW_SETF_CT_ZONE_REPLY] = { "ct", "reply zone" },
	[BW_SETF_CT_LABEL] = { "ct", "label" },
	[BW_SETF_CT_EVENT] = { "ct", "event" },
	[BW_SETF_TCP_MAXSEG] = { "tcp", "option maxseg size" },
	[BW_SETF_META_BROUTE] = { "meta", "broute" },
};

/* nft's ct_event names: the kernel's IPCT_* bits */
static const char *const ct_events[] = {
	"new", "related", "destroy", "reply", "assured", "protoinfo",
	"helper", "mark", "seqadj", "secmark", "label",
};
#define NEVENTS (sizeof(ct_events) / sizeof(ct_events[0]))

const char *bw_setf_name(uint8_t key)
{
	switch (key) {
	case BW_SETF_META_MARK:		return "meta mark";
	case BW_SETF_CT_MARK:		return "ct mark";
	case BW_SETF_META_PRIORITY:	return "meta priority";
	case BW_SETF_CT_ZONE:		return "ct zone";
	case BW_SETF_CT_ZONE_ORIG:	return "ct original zone";
	case BW_SETF_CT_ZONE_REPLY:	return "ct reply zone";
	case BW_SETF_CT_LABEL:		return "ct label";
	case BW_SETF_CT_EVENT:		return "ct event";
	case BW_SETF_TCP_MAXSEG:	return "tcp option maxseg size";
	case BW_SETF_RAW:		return "raw payload";
	case BW_SETF_TCPOPT_RESET:	return "reset tcp option";
	case BW_SETF_META_BROUTE:	return "meta broute";
	}
	return "?";
}

static int key_of(const struct bw_ast_fref *f)
{
	const struct bw_field *tf;

	if (f->proto[0] == '@')		/* @ih,58,6: a raw payload */
		return BW_SETF_RAW;
	/* tcp option maxseg size, tcp option 2 size */
	if (!strcmp(f->proto, "tcp") && !strncmp(f->field, "option ", 7))
		return (tf = bw_field_find(f->proto, f->field)) &&
		       tf->id == BW_F_TCPOPT_MAXSEG_SIZE ? BW_SETF_TCP_MAXSEG : -1;
	for (int i = 0; i < BW_SETF__MAX; i++)
		if (names[i].proto && !strcmp(f->proto, names[i].proto) &&
		    !strcmp(f->field, names[i].field))
			return i;
	return -1;
}

/* MAJOR:MINOR (hex, each at most ffff), as nft writes a priority. */
static int major_minor(const char *s, uint32_t *out)
{
	char *end;
	unsigned long maj, min;

	maj = strtoul(s, &end, 16);
	if (end == s || *end != ':' || maj > 0xffff)
		return -EINVAL;
	s = end + 1;
	min = strtoul(s, &end, 16);
	if (end == s || *end || min > 0xffff)
		return -EINVAL;
	*out = (uint32_t)(maj << 16 | min);
	return 0;
}

/* ct event set new,related: the events' bits */
static int events(struct bw_eval *ev, const struct bw_ast_expr *e,
		  const struct bw_sym *scope, uint32_t *out)
{
	uint64_t v;

	e = bw_sym_resolve(e, &scope);
	if (!e)
		return -EINVAL;
	if (e->kind == BW_AE_LIST) {
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			if (events(ev, x, scope, out))
				return -EINVAL;
		return 0;
	}
	if (e->kind == BW_AE_BINOP && !strcmp(e->text, "|"))	/* new | related */
		return events(ev, e->left, scope, out) || events(ev, e->right, scope, out) ?
		       -EINVAL : 0;
	if (e->kind == BW_AE_NUMBER && !bw_eval_number(e->text, &v) && v <= UINT32_MAX) {
		*out |= (uint32_t)v;
		return 0;
	}
	for (size_t i = 0; e->kind == BW_AE_SYMBOL && i < NEVENTS; i++)
		if (!strcmp(e->text, ct_events[i])) {
			*out |= 1u << i;
			return 0;
		}
	return bw_eval_error(ev, &e->loc, "unknown ct event \"%s\" (new, related, destroy, reply, assured, protoinfo, helper, mark, seqadj, secmark, label)",
			     e->text ? e->text : "");
}

static int value(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_sym *scope, uint8_t key, uint32_t *out)
{
	const struct bw_ast_expr *e = bw_sym_resolve(s->setf_value, &scope);
	uint64_t v;

	if (!e)
		return bw_eval_error(ev, &s->setf_value->loc, "unknown identifier '%s'",
				     s->setf_value->text);
	if (key == BW_SETF_CT_EVENT) {
		*out = 0;
		return events(ev, e, scope, out);
	}
	if (e->kind == BW_AE_LIST)
		return bw_eval_error(ev, &e->loc, "%s set takes one value", bw_setf_name(key));
	if (key == BW_SETF_CT_LABEL) {
		if (e->kind == BW_AE_NUMBER && !bw_eval_number(e->text, &v) && v <= 127) {
			*out = (uint32_t)v;
			return 0;
		}
		return bw_eval_error(ev, &e->loc, "invalid conntrack label \"%s\" (a bit, 0-127)",
				     e->text ? e->text : "");
	}
	if (key >= BW_SETF_CT_ZONE && key <= BW_SETF_CT_ZONE_REPLY) {
		if (e->kind == BW_AE_NUMBER && !bw_eval_number(e->text, &v) && v <= UINT16_MAX) {
			*out = (uint32_t)v;
			return 0;
		}
		return bw_eval_error(ev, &e->loc, "invalid zone \"%s\" (a number, 0-65535)",
				     e->text ? e->text : "");
	}
	if (e->kind == BW_AE_NUMBER && !bw_eval_number(e->text, &v) &&
	    v <= UINT32_MAX) {
		*out = (uint32_t)v;
		return 0;
	}
	if (key == BW_SETF_META_PRIORITY && e->kind == BW_AE_ADDR &&
	    !major_minor(e->text, out))
		return 0;
	return bw_eval_error(ev, &s->setf_value->loc, key == BW_SETF_META_PRIORITY ?
			     "invalid priority \"%s\" (MAJOR:MINOR in hex, or a 32-bit number)" :
			     "invalid value \"%s\" for %s (a 32-bit number)",
			     e->text ? e->text : "", bw_setf_name(key));
}

static int bits_num(struct bw_eval *ev, const struct bw_ast_expr *e, uint32_t *out)
{
	uint64_t v;

	if (!bw_eval_number(e->text, &v) && v <= UINT32_MAX) {
		*out = (uint32_t)v;
		return 0;
	}
	return bw_eval_error(ev, &e->loc, "invalid value \"%s\" (a 32-bit number)",
			     e->text ? e->text : "");
}

/* FIELD set SRC and A xor X / or O / xor X: as nft keeps it, one mask and
 * one xor: (SRC & mask) ^ xor. */
static int bits(struct bw_eval *ev, const struct bw_ast_stmt *s,
		struct bw_ir_setf *n)
{
	uint32_t v = 0;

	n->mask = UINT32_MAX;
	n->xor = 0;
	if (s->setf_and && bits_num(ev, s->setf_and, &n->mask))
		return -EINVAL;
	if (s->setf_xor && bits_num(ev, s->setf_xor, &n->xor))
		return -EINVAL;
	if (s->setf_or) {
		if (bits_num(ev, s->setf_or, &v))
			return -EINVAL;
		n->mask = ~v;
		n->xor = v;
	}
	n->bits = n->mask != UINT32_MAX || n->xor;
	return 0;
}

/* @BASE,OFFSET,LENGTH set N: nf_tables writes whole 16-bit words
 * (bw_setf_raw_span()), at most 4 bytes of them, of the inner header
 * (@ih: as nft, the transport checksum then fixed); N in LENGTH bits. */
static int raw_setf(struct bw_eval *ev, const struct bw_ast_stmt *s,
		    struct bw_ir_setf *n)
{
	struct bw_rawpay r;
	enum bw_raw_err e = bw_rawpay_parse(s->setf->proto, s->setf->field, &r);
	unsigned first, len;

	if (e)
		return bw_eval_error(ev, &s->setf->proto_loc, "%s", bw_rawpay_strerror(e));
	if (r.base != BW_RAW_IH)
		return bw_eval_error(ev, &s->setf->proto_loc, "%s,%s set: bpfwall writes the inner header (@ih) only (nf_tables fixes the transport checksum there; a header's own checksum it does not)",
				     s->setf->proto, s->setf->field);
	bw_setf_raw_span(r.off, r.len, &first, &len);
	if (len > 4)
		return bw_eval_error(ev, &s->setf->proto_loc, "%s,%s set: the 16-bit words that hold the bits are more than 4 bytes",
				     s->setf->proto, s->setf->field);
	if (r.len < 32 && n->value >> r.len)
		return bw_eval_error(ev, &s->setf_value->loc, "Value %s exceeds valid range 0-%u",
				     s->setf_value->text, (1u << r.len) - 1);
	n->raw.base = r.base;
	n->raw.off = r.off;
	n->raw.len = r.len;
	return 0;
}

void bw_setf_raw_span(unsigned off, unsigned len, unsigned *first,
		      unsigned *n)
{
	unsigned start = off / 8 & ~1u, end = (off + len + 7) / 8;

	end = (end + 1) & ~1u;
	*first = start;
	*n = end - start;
}

/* reset tcp option K (a name nft has, or 0 to 255): nf_tables only. */
static int tcpopt_reset(struct bw_eval *ev, const struct bw_ast_stmt *s,
			const struct bw_ir_chain *ch, uint32_t *index)
{
	const char *name = s->setf->field + 7;	/* after "option " */
	struct bw_ir_setf n = { .key = BW_SETF_TCPOPT_RESET }, *v;
	unsigned kind;
	char *end;

	if (name[0] >= '0' && name[0] <= '9') {
		unsigned long k = strtoul(name, &end, 10);

		if (*end || k > 255)
			return bw_eval_error(ev, &s->setf->field_loc, "reset tcp option %s: a kind is 0 to 255",
					     name);
		kind = (unsigned)k;
	} else if (bw_tcpopt_kind(name, &kind)) {
		return bw_eval_error(ev, &s->setf->field_loc, "unknown tcp option \"%s\": a kind is a number 0 to 255 or one nft names (eol, nop, maxseg, window, sack-perm, sack, timestamp, md5sig, mptcp, fastopen)",
				     name);
	}
	if (ch->family == BW_FAMILY_NETDEV)
		return bw_eval_error(ev, &s->loc, "reset tcp option runs in nf_tables, for inet, ip and ip6 chains only: this netdev chain runs at %s",
				     ch->hook == BW_CHAIN_EGRESS ? "TC egress" : "XDP");
	n.value = kind;
	v = reallocarray(ev->ir->setf, ev->ir->nsetf + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ev->ir->setf = v;
	v[ev->ir->nsetf] = n;
	*index = ev->ir->nsetf++;
	return 0;
}

/* A value expression (valexpr.h) into ir->vexpr; the forms bpfwall had
 * before (a constant, a mark and one mask and xor) also as they were. */
static int vexpr_setf(struct bw_eval *ev, const struct bw_ast_stmt *s,
		      const struct bw_sym *scope, struct bw_ir_setf *n)
{
	const struct bw_ir_vexpr *x;
	enum bw_field_id f;

	if (bw_eval_vexpr(ev, s->setf_value, scope, n->key, &n->vx))
		return -EINVAL;
	n->vexpr = true;
	x = &ev->ir->vexpr[n->vx];
	if (x->base == BW_VX_CONST && !x->nop) {
		n->value = x->value;
		return 0;
	}
	f = x->base == BW_VX_FIELD ? x->key[0] : BW_F__MAX;
	if ((f == BW_F_META_MARK || f == BW_F_CT_MARK) &&
	    (n->key == BW_SETF_META_MARK || n->key == BW_SETF_CT_MARK) &&
	    (!x->nop || (x->nop == 1 && x->op[0].kind == BW_VX_BOOL))) {
		n->from_field = true;
		n->src = f == BW_F_META_MARK ? BW_SETF_META_MARK : BW_SETF_CT_MARK;
		n->bits = x->nop == 1;
		n->mask = x->nop ? x->op[0].mask : UINT32_MAX;
		n->xor = x->nop ? x->op[0].xor : 0;
	}
	return 0;
}

static int add_setf(struct bw_eval *ev, const struct bw_ir_setf *n,
		    uint32_t *index)
{
	struct bw_ir_setf *v = reallocarray(ev->ir->setf, ev->ir->nsetf + 1, sizeof(*v));

	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ev->ir->setf = v;
	v[ev->ir->nsetf] = *n;
	*index = ev->ir->nsetf++;
	return 0;
}

/* meta broute set N: nft_meta_bridge's, in bridge prerouting only (the
 * kernel refuses it at the other hooks) */
static int broute_check(struct bw_eval *ev, const struct bw_ast_stmt *s,
			const struct bw_ir_chain *ch)
{
	if (ch->family != BW_FAMILY_BRIDGE)
		return bw_eval_error(ev, &s->loc, "meta broute is only available in the bridge family (here: %s)",
				     bw_family_name(ch->family));
	if (ch->hook != BW_CHAIN_NONE && ch->hook != BW_CHAIN_PREROUTING)
		return bw_eval_error(ev, &s->loc, "meta broute set is only valid at hook prerouting (chain %s runs at %s)",
				     ch->name, bw_chain_hook_name(ch->hook));
	return 0;
}

/* tcp option maxseg size set rt mtu: the route's MSS (nft's clamp to the
 * path MTU), a 16-bit value expression of that one field. */
static int maxseg_rt_mtu(struct bw_eval *ev, const struct bw_ast_stmt *s,
			 const struct bw_sym *scope, struct bw_ir_setf *n,
			 uint32_t *index)
{
	const struct bw_ir_vexpr *x;

	if (vexpr_setf(ev, s, scope, n))
		return -EINVAL;
	x = &ev->ir->vexpr[n->vx];
	if (x->base != BW_VX_FIELD || x->key[0] != BW_F_RT_MTU || x->nop)
		return bw_eval_error(ev, &s->setf_value->loc, "tcp option maxseg size set takes a number or rt mtu");
	ev->ir->vexpr[n->vx].len = 2;
	n->from_field = false;
	return add_setf(ev, n, index);
}

int bw_eval_setf(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_ir_chain *ch, const struct bw_sym *scope,
		 uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_setf n = { 0 }, *v;
	const char *what = s->kind == BW_AS_NOTRACK ? "notrack" : NULL;
	const struct bw_sym *vs = scope;
	const struct bw_ast_expr *ve = s->kind == BW_AS_SETF && !s->setf_src &&
				       s->setf_value ? bw_sym_resolve(s->setf_value, &vs) : NULL;
	bool vexpr = bw_vexpr_is(ve);
	int key = -1, src;

	if (!what && !s->setf_value && !s->setf_src)
		return tcpopt_reset(ev, s, ch, index);
	if (!what) {
		key = key_of(s->setf);
		if (key < 0)
			return bw_eval_error(ev, &s->setf->field_loc, "%s %s set is not supported yet (bpfwall sets meta mark, meta priority, ct mark, ct zone, ct label, ct event, tcp option maxseg size, @ih and the packet's own ether, vlan, arp, ip, ip6, tcp, udp, icmp, icmpv6 and th fields)",
					     s->setf->proto, s->setf->field);
		what = bw_setf_name((uint8_t)key);
	}
	/* TC egress writes skb->mark and skb->priority itself (codegen) */
	/* elsewhere in a netdev chain: the chain goes to nf_tables'
	 * netdev family (nfnetdev.h), which has no conntrack */
	if (ch->family == BW_FAMILY_NETDEV &&
	    !(ch->hook == BW_CHAIN_EGRESS &&
	      (key == BW_SETF_META_MARK || key == BW_SETF_META_PRIORITY) &&
	      !s->setf_src && (!vexpr || bw_vexpr_const(ve))) &&
	    !((key == BW_SETF_META_MARK || key == BW_SETF_META_PRIORITY ||
	       key == BW_SETF_RAW) && bw_nfnetdev_mark(ev, &s->loc)))
		return bw_eval_error(ev, &s->loc, "%s%s runs in nf_tables, for inet, ip and ip6 chains only: this netdev chain runs at %s%s",
				     what, s->kind == BW_AS_NOTRACK ? "" : " set",
				     ch->hook == BW_CHAIN_EGRESS ? "TC egress" : "XDP",
				     key == BW_SETF_CT_MARK || key > BW_SETF_META_PRIORITY ||
				     s->kind == BW_AS_NOTRACK ?
				     ", where netdev chains have no connection tracking (nor in nft)" :
				     ch->hook == BW_CHAIN_EGRESS ? " (there only to a number)" :
				     ", before any socket buffer exists");
	if (s->kind == BW_AS_NOTRACK)
		return 0;
	if (key == BW_SETF_META_BROUTE && broute_check(ev, s, ch))
		return -EINVAL;
	n.key = (uint8_t)key;
	if (vexpr && key == BW_SETF_TCP_MAXSEG)	/* tcp option maxseg size set rt mtu */
		return maxseg_rt_mtu(ev, s, scope, &n, index);
	if (vexpr && key != BW_SETF_CT_EVENT) {
		if (key > BW_SETF_CT_ZONE_REPLY)
			return bw_eval_error(ev, &s->setf_value->loc, "%s set takes a number", what);
		if (vexpr_setf(ev, s, scope, &n))
			return -EINVAL;
		goto add;
	}
	if (s->setf_src && key > BW_SETF_META_PRIORITY)
		return bw_eval_error(ev, &s->setf_src->field_loc, "%s set takes a number", what);
	if (s->setf_src) {
		src = key_of(s->setf_src);
		if (src != BW_SETF_META_MARK && src != BW_SETF_CT_MARK)
			return bw_eval_error(ev, &s->setf_src->field_loc, "%s set takes a number, meta mark or ct mark",
					     what);
		if (key == BW_SETF_META_PRIORITY || key == BW_SETF_TCP_MAXSEG ||
		    key == BW_SETF_RAW)
			return bw_eval_error(ev, &s->setf_src->field_loc, "%s set takes a number",
					     what);
		n.from_field = true;
		n.src = (uint8_t)src;
		if (bits(ev, s, &n))
			return -EINVAL;
	} else if (value(ev, s, scope, n.key, &n.value)) {
		return -EINVAL;
	} else if (s->setf_and || s->setf_or || s->setf_xor) {
		/* a number and a number: nft folds them (0x12 or 0x11 is
		 * 0x13) */
		if (key != BW_SETF_META_MARK && key != BW_SETF_CT_MARK)
			return bw_eval_error(ev, &s->loc, "%s set takes one number", what);
		if (bits(ev, s, &n))
			return -EINVAL;
		n.value = (n.value & n.mask) ^ n.xor;
		n.bits = false;
		n.mask = n.xor = 0;
	} else if (key == BW_SETF_TCP_MAXSEG && n.value > 0xffff) {
		return bw_eval_error(ev, &s->setf_value->loc, "tcp option maxseg size is 16 bits: %u is too large",
				     n.value);
	} else if (key == BW_SETF_RAW && raw_setf(ev, s, &n)) {
		return -EINVAL;
	} else if (key == BW_SETF_META_BROUTE && n.value > 0xff) {
		return bw_eval_error(ev, &s->setf_value->loc, "meta broute is 8 bits: %u is too large",
				     n.value);
	}
add:
	v = reallocarray(ir->setf, ir->nsetf + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->setf = v;
	v[ir->nsetf] = n;
	*index = ir->nsetf++;
	return 0;
}

void bw_print_setf(struct bw_pbuf *b, const struct bw_ir_setf *s,
		   const struct bw_ir *ir)
{
	if (s->key == BW_SETF_TCPOPT_RESET) {
		const char *name = bw_tcpopt_kind_name(s->value);

		if (name)
			bw_pbuf_printf(b, "reset tcp option %s", name);
		else
			bw_pbuf_printf(b, "reset tcp option %u", s->value);
		return;
	}
	if (s->key == BW_SETF_RAW) {
		bw_pbuf_printf(b, "@%s,%u,%u set 0x%x", bw_rawpay_base_name(s->raw.base),
			       s->raw.off, s->raw.len, s->value);
		return;
	}
	bw_pbuf_printf(b, "%s set ", bw_setf_name(s->key));
	if (s->vexpr && ir && s->vx < ir->nvexpr) {
		bw_print_vexpr(b, &ir->vexpr[s->vx]);
	} else if (s->from_field) {
		/* as nft lists it: ct mark | 0x00000001 */
		struct bw_ir_vexpr x = {
			.base = BW_VX_FIELD, .target = s->key, .nkey = 1,
			.key = { s->src == BW_SETF_CT_MARK ? BW_F_CT_MARK : BW_F_META_MARK },
			.nop = s->bits,
			.op = { { .kind = BW_VX_BOOL, .mask = s->mask, .xor = s->xor } },
		};

		bw_print_vexpr(b, &x);
	} else if (s->key == BW_SETF_META_PRIORITY) {
		bw_pbuf_printf(b, "%x:%x", s->value >> 16, s->value & 0xffff);
	} else if (s->key == BW_SETF_TCP_MAXSEG) {
		bw_pbuf_printf(b, "%u", s->value);
	} else if (s->key == BW_SETF_CT_EVENT) {
		const char *sep = "";
		uint32_t v = s->value;

		for (size_t i = 0; i < NEVENTS; i++)
			if (v & (1u << i)) {
				bw_pbuf_printf(b, "%s%s", sep, ct_events[i]);
				sep = ",";
				v &= ~(1u << i);
			}
		if (v || !*sep)
			bw_pbuf_printf(b, "%s0x%x", sep, v);
	} else if (s->key > BW_SETF_META_PRIORITY) {
		bw_pbuf_printf(b, "%u", s->value);	/* zone, label */
	} else
		bw_pbuf_printf(b, "0x%08x", s->value);
}
