// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nat statements (snat, dnat, masquerade, redirect): checked the way
 * nft checks them, each error with a caret, into ir->nat; and printed in
 * nft's canonical form.  They run in nf_tables only (build.c hands every
 * chain of type nat to the kernel): translating a connection needs the
 * kernel's conntrack and nf_nat, which a BPF program cannot drive.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "evaluate.h"
#include "nat.h"
#include "valexpr.h"

static const char *const kinds[] = {
	[BW_NAT_SNAT] = "snat", [BW_NAT_DNAT] = "dnat",
	[BW_NAT_MASQ] = "masquerade", [BW_NAT_REDIR] = "redirect",
};

const char *bw_nat_kind_name(uint8_t kind)
{
	return kind <= BW_NAT_REDIR ? kinds[kind] : "?";
}

/* The hooks nf_nat lets each kind run at (the kernel's nft_*_validate). */
static const uint32_t hooks_of[] = {
	[BW_NAT_SNAT] = 1u << BW_CHAIN_POSTROUTING | 1u << BW_CHAIN_INPUT,
	[BW_NAT_DNAT] = 1u << BW_CHAIN_PREROUTING | 1u << BW_CHAIN_OUTPUT,
	[BW_NAT_MASQ] = 1u << BW_CHAIN_POSTROUTING,
	[BW_NAT_REDIR] = 1u << BW_CHAIN_PREROUTING | 1u << BW_CHAIN_OUTPUT,
};

bool bw_nat_hook_ok(uint8_t kind, enum bw_chain_hook hook)
{
	return kind <= BW_NAT_REDIR && (hooks_of[kind] & (1u << hook));
}

const char *bw_nat_hooks(uint8_t kind)
{
	switch (kind) {
	case BW_NAT_SNAT:	return "postrouting and input";
	case BW_NAT_MASQ:	return "postrouting";
	default:		return "prerouting and output";
	}
}

static int kind_of(const char *s)
{
	for (int i = 0; i <= BW_NAT_REDIR; i++)
		if (!strcmp(s, kinds[i]))
			return i;
	return -1;
}

static int nat_flags(struct bw_eval *ev, const struct bw_ast_expr *list,
		     uint32_t *out)
{
	static const struct { const char *name; uint32_t f; } names[] = {
		{ "random", BW_NAT_F_RANDOM },
		{ "fully-random", BW_NAT_F_FULLY_RANDOM },
		{ "persistent", BW_NAT_F_PERSISTENT },
		/* snat ip prefix to KEY map { PREFIX : PREFIX } (the parser
		 * puts it here) */
		{ "prefix", BW_NAT_F_NETMAP },
		{ "netmap", BW_NAT_F_NETMAP },	/* nft's JSON names it so */
	};
	int rc = 0;

	for (const struct bw_ast_expr *e = list ? list->elems : NULL; e; e = e->next) {
		size_t i, n = sizeof(names) / sizeof(names[0]);

		for (i = 0; i < n; i++)
			if (!strcmp(e->text, names[i].name))
				break;
		if (i == n)
			rc = bw_eval_error(ev, &e->loc, "unknown nat flag \"%s\" (random, fully-random, persistent)",
					   e->text);
		else
			*out |= names[i].f;
	}
	return rc;
}

static int port(struct bw_eval *ev, const struct bw_ast_expr *e,
		const struct bw_sym *scope, uint16_t *out)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);
	uint64_t v;

	if (!r || r->kind != BW_AE_NUMBER || bw_eval_number(r->text, &v) ||
	    v > 65535)
		return bw_eval_error(ev, &e->loc, "invalid port \"%s\" (0 to 65535)",
				     e->text ? e->text : "");
	*out = (uint16_t)v;
	return 0;
}

static int ports(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_sym *scope, struct bw_ir_nat *n)
{
	const struct bw_ast_expr *p = s->nat_port;

	if (p->kind == BW_AE_RANGE) {
		if (port(ev, p->left, scope, &n->port_lo) ||
		    port(ev, p->right, scope, &n->port_hi))
			return -EINVAL;
		if (n->port_lo > n->port_hi)
			return bw_eval_error(ev, &p->loc, "invalid port range: %u is above %u",
					     n->port_lo, n->port_hi);
	} else {
		if (port(ev, p, scope, &n->port_lo))
			return -EINVAL;
		n->port_hi = n->port_lo;
	}
	n->port = true;
	return 0;
}

/* The address family of snat/dnat: written, the table's, or the one the
 * rule's matches imply; 0 with an error where none is known. */
static int family(struct bw_eval *ev, const struct bw_proto_state *ps,
		  const struct bw_ast_stmt *s, enum bw_family fam, uint8_t *l3)
{
	uint8_t table = fam == BW_FAMILY_IP ? 4 : fam == BW_FAMILY_IP6 ? 6 : 0;
	uint8_t known = table ? table : ps->l3 == 4 || ps->l3 == 6 ? ps->l3 : 0;

	*l3 = known;
	if (s->nat_family) {
		uint8_t w = !strcmp(s->nat_family, "ip") ? 4 :
			    !strcmp(s->nat_family, "ip6") ? 6 : 0;

		if (!w)
			return bw_eval_error(ev, &s->nat_family_loc, "unknown family \"%s\" (ip or ip6)",
					     s->nat_family);
		if (known && known != w)
			return bw_eval_error(ev, &s->nat_family_loc, "conflicting protocols specified: %s vs. %s",
					     known == 4 ? "ip" : "ip6", s->nat_family);
		*l3 = w;
	}
	if (!*l3 && s->nat_addr)
		return bw_eval_error(ev, &s->loc, "specify `%s ip' or '%s ip6' in inet table to disambiguate",
				     s->nat_kind, s->nat_kind);
	return 0;
}

int bw_eval_nat(struct bw_eval *ev, const struct bw_proto_state *ps,
		const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		const struct bw_sym *scope, uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_nat n = { 0 }, *v;
	int kind = kind_of(s->nat_kind);
	int rc = 0;

	if (kind < 0)
		return bw_eval_error(ev, &s->loc, "unknown statement %s", s->nat_kind);
	n.kind = (uint8_t)kind;
	if (ch->family == BW_FAMILY_NETDEV)
		return bw_eval_error(ev, &s->loc, "%s is not valid in the netdev family (chains of type nat are ip, ip6 or inet)",
				     s->nat_kind);
	if (ch->hook != BW_CHAIN_NONE && ch->type != BW_CHAIN_TYPE_NAT)
		return bw_eval_error(ev, &s->loc, "%s is only valid in a chain of type nat (chain %s is of type filter)",
				     s->nat_kind, ch->name);
	if (ch->hook != BW_CHAIN_NONE && !bw_nat_hook_ok(n.kind, ch->hook))
		return bw_eval_error(ev, &s->loc, "%s is only valid at hooks %s (chain %s runs at %s)",
				     s->nat_kind, bw_nat_hooks(n.kind), ch->name,
				     bw_chain_hook_name(ch->hook));
	if (kind == BW_NAT_MASQ || kind == BW_NAT_REDIR) {
		if (s->nat_family)
			rc = bw_eval_error(ev, &s->nat_family_loc, "%s takes no family", s->nat_kind);
		if (s->nat_addr)
			rc = bw_eval_error(ev, &s->nat_addr->loc, "%s takes no address, only ports (to :PORT)",
					   s->nat_kind);
	} else {
		if (!s->nat_addr && !s->nat_port)
			rc = bw_eval_error(ev, &s->loc, "%s needs an address or a port (%s to ADDR[:PORT])",
					   s->nat_kind, s->nat_kind);
		if (!rc)
			rc = family(ev, ps, s, ch->family, &n.l3);
	}
	if (!rc && (bw_vexpr_is(s->nat_addr) || bw_vexpr_is(s->nat_port))) {
		/* a map, numgen or a hash (valexpr.h) */
		bool has_port = false;

		rc = bw_eval_vexpr_nat(ev, s->nat_addr ? s->nat_addr : s->nat_port,
				       scope, n.l3, !s->nat_addr, ps->l4 || ps->l4_set,
				       &has_port, &n.vx);
		n.vexpr = true;
		n.addr = s->nat_addr != NULL;
		n.port = has_port;
	} else if (!rc && s->nat_addr) {
		const struct bw_field *f = bw_field(n.l3 == 6 ? BW_F_IP6_SADDR :
						    BW_F_IP_SADDR);

		rc = bw_eval_range(ev, f, s->nat_addr, scope, n.addr_lo, n.addr_hi);
		if (!rc && memcmp(n.addr_lo, n.addr_hi, f->size) > 0)
			rc = bw_eval_error(ev, &s->nat_addr->loc, "invalid address range: its start is above its end");
		n.addr = true;
	}
	if (!rc && s->nat_port && !n.vexpr) {
		/* nft: ports only where the rule names the transport */
		if (!ps->l4 && !ps->l4_set)
			rc = bw_eval_error(ev, &s->nat_port->loc, "transport protocol mapping is only valid after transport protocol match");
		else
			rc = ports(ev, s, scope, &n);
	}
	if (nat_flags(ev, s->nat_flags, &n.flags) || rc)
		return -EINVAL;
	if ((n.flags & BW_NAT_F_NETMAP) && (!n.vexpr || !n.addr || n.port ||
					    !ir->vexpr[n.vx].nat_range))
		return bw_eval_error(ev, &s->loc, "%s ip prefix to: the value is a map of prefixes (%s ip prefix to ip saddr map { 192.0.2.0/24 : 198.51.100.0/24 })",
				     s->nat_kind, s->nat_kind);
	v = reallocarray(ir->nat, ir->nnat + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->nat = v;
	v[ir->nnat] = n;
	*index = ir->nnat++;
	return 0;
}

/* The prefix length that [lo, hi] is exactly, or -1. */
static int prefix_len(const uint8_t *lo, const uint8_t *hi, unsigned size)
{
	unsigned bits = 0;
	bool host = false;

	for (unsigned i = 0; i < size * 8; i++) {
		unsigned a = (lo[i / 8] >> (7 - i % 8)) & 1;
		unsigned b = (hi[i / 8] >> (7 - i % 8)) & 1;

		if (!host && a == b) {
			bits++;
			continue;
		}
		host = true;
		if (a != 0 || b != 1)
			return -1;
	}
	return (int)bits;
}

static void addr(struct bw_pbuf *b, const struct bw_field *f,
		 const uint8_t *v, bool brackets)
{
	bw_pbuf_put(b, brackets ? "[" : "");
	bw_print_value(b, f, v);
	bw_pbuf_put(b, brackets ? "]" : "");
}

void bw_print_nat(struct bw_pbuf *b, const struct bw_ir_nat *n,
		  enum bw_family fam, const struct bw_ir *ir)
{
	const struct bw_field *f = bw_field(n->l3 == 6 ? BW_F_IP6_SADDR :
					    BW_F_IP_SADDR);
	bool br = n->l3 == 6 && n->port;
	const char *sep = " ";

	bw_pbuf_put(b, bw_nat_kind_name(n->kind));
	if ((fam == BW_FAMILY_INET && n->addr) ||
	    (n->vexpr && n->addr && n->port) ||	/* nft: dnat ip to K map { A . P } */
	    (n->vexpr && n->addr && ir && n->vx < ir->nvexpr &&
	     ir->vexpr[n->vx].nat_range))	/* and { A : A1-A2 } */
		bw_pbuf_put(b, n->l3 == 6 ? " ip6" : " ip");
	if (n->flags & BW_NAT_F_NETMAP)
		bw_pbuf_put(b, " prefix");
	if (n->addr || n->port)
		bw_pbuf_put(b, n->vexpr && !n->addr ? " to :" : " to ");
	if (n->vexpr && ir && n->vx < ir->nvexpr) {
		bw_print_vexpr(b, &ir->vexpr[n->vx]);
	} else if (n->addr) {
		int plen = prefix_len(n->addr_lo, n->addr_hi, f->size);

		addr(b, f, n->addr_lo, br);
		if (plen >= 0 && plen < (int)f->size * 8 && !n->port) {
			bw_pbuf_printf(b, "/%d", plen);
		} else if (memcmp(n->addr_lo, n->addr_hi, f->size)) {
			bw_pbuf_put(b, "-");
			addr(b, f, n->addr_hi, br);
		}
	}
	if (n->port && !n->vexpr) {
		bw_pbuf_printf(b, ":%u", n->port_lo);
		if (n->port_hi != n->port_lo)
			bw_pbuf_printf(b, "-%u", n->port_hi);
	}
	if (n->flags & BW_NAT_F_RANDOM) {
		bw_pbuf_printf(b, "%srandom", sep);
		sep = ",";
	}
	if (n->flags & BW_NAT_F_FULLY_RANDOM) {
		bw_pbuf_printf(b, "%sfully-random", sep);
		sep = ",";
	}
	if (n->flags & BW_NAT_F_PERSISTENT)
		bw_pbuf_printf(b, "%spersistent", sep);
}
