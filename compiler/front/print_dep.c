// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which matches of a rule are dependencies nft does not list (the
 * protocol a field implies, the family a reject or raw payload needs)
 * and which implicit matches it prints instead; reject and ct's generic
 * keys, whose forms depend on the rule's layer 3.
 * print.c keeps the rule printers that call these.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "prio.h"
#include "objects.h"
#include "meta_value.h"
#include "nat.h"
#include "queue.h"
#include "synproxy.h"
#include "tproxy.h"
#include "setf.h"
#include "hdrset.h"
#include "view.h"
#include "rawpay.h"
#include "xfrm.h"
#include "dup.h"
#include "fwd.h"
#include "print_order.h"
#include "vlan.h"
#include "print_int.h"

/* `meta nfproto V` / `meta l4proto V` alone (no mask, == or no
 * operator, one value), or in an ip chain `ip protocol V` (IPv4 has no
 * extension headers: it is the transport's protocol): which kind ('f'
 * or 'p'), and V; `icmp type V` ('t': a field of that type, icmp mtu,
 * implies it); else 0. */
static int dep_of(const struct bw_ast_stmt *s, const struct bw_sym *scope,
		  enum bw_family fam, uint32_t *v)
{
	const struct bw_ast_expr *r;
	const struct bw_field *f;

	if (s->kind != BW_AS_MATCH || s->cat || s->vmap || s->mask ||
	    (s->op != BW_OP_IMPLICIT && s->op != BW_OP_EQ))
		return 0;
	if ((!strcmp(s->proto, "icmp") || !strcmp(s->proto, "icmpv6")) &&
	    !strcmp(s->field, "type")) {
		/* icmp type T before a field of type T (icmp mtu): 't',
		 * v = l3 << 8 | T */
		r = bw_sym_resolve(s->rhs, &scope);
		f = bw_field_find(s->proto, s->field);
		if (!r || !f || (r->kind != BW_AE_NUMBER && r->kind != BW_AE_SYMBOL) ||
		    bw_value_num(f, r->text, v) || *v > 0xff)
			return 0;
		*v |= (uint32_t)f->need_l3 << 8;
		return 't';
	}
	/* ether type ip before an IPv4 field in a bridge chain: 'f';
	 * ether type 8021q before a vlan field: 'v' (a bare vlan field's
	 * own dependency, evaluate's vlan_dep, as nft's) */
	if (!strcmp(s->proto, "ether") && !strcmp(s->field, "type")) {
		r = bw_sym_resolve(s->rhs, &scope);
		f = bw_field_find(s->proto, s->field);
		if (!r || !f || (r->kind != BW_AE_NUMBER && r->kind != BW_AE_SYMBOL) ||
		    bw_value_num(f, r->text, v))
			return 0;
		/* bridge: the network layer nft's own dependency names (in
		 * netdev it is meta protocol, which sees inside a VLAN tag:
		 * an explicit ether type ip is not implied there) */
		if ((*v == 0x0800 || *v == 0x86dd) && fam == BW_FAMILY_BRIDGE) {
			*v = *v == 0x0800 ? NFPROTO_V4 : NFPROTO_V6;
			return 'f';
		}
		return *v == 0x8100 ? 'v' : 0;
	}
	/* vlan type ip before an IPv4 header field: 'l' (v 4 or 6), the
	 * dependency nft makes for it after a vlan match, not listed */
	if (!strcmp(s->proto, "vlan") && !strcmp(s->field, "type")) {
		r = bw_sym_resolve(s->rhs, &scope);
		f = bw_field_find(s->proto, s->field);
		if (!r || !f || (r->kind != BW_AE_NUMBER && r->kind != BW_AE_SYMBOL) ||
		    bw_value_num(f, r->text, v) || (*v != 0x0800 && *v != 0x86dd))
			return 0;
		*v = *v == 0x0800 ? 4 : 6;
		return 'l';
	}
	if (strcmp(s->proto, "meta") && (fam != BW_FAMILY_IP ||
	    strcmp(s->proto, "ip") || strcmp(s->field, "protocol")))
		return 0;
	r = bw_sym_resolve(s->rhs, &scope);
	if (!r || (r->kind != BW_AE_NUMBER && r->kind != BW_AE_SYMBOL))
		return 0;
	f = bw_field_find(s->proto, s->field);
	if (!f || bw_value_num(f, r->text, v))
		return 0;
	if (f->id == BW_F_META_L4PROTO || f->id == BW_F_IP_PROTOCOL)
		return 'p';
	if (f->type == BW_T_NFPROTO && (*v == NFPROTO_V4 || *v == NFPROTO_V6))
		return 'f';
	/* nft's dependency of ether fields in the IP families */
	if (f->id == BW_F_META_IIFTYPE && *v == 1)
		return 'i';
	/* the family's own protocol (ip in ip, ip6 in ip6) */
	if (f->id == BW_F_META_PROTOCOL &&
	    ((fam == BW_FAMILY_IP && *v == 0x0800) ||
	     (fam == BW_FAMILY_IP6 && *v == 0x86dd)))
		return 'E';
	/* netdev and bridge: the network layer, as meta nfproto in inet */
	if (f->id == BW_F_META_PROTOCOL && (*v == 0x0800 || *v == 0x86dd) &&
	    (fam == BW_FAMILY_NETDEV || fam == BW_FAMILY_BRIDGE)) {
		*v = *v == 0x0800 ? NFPROTO_V4 : NFPROTO_V6;
		return 'f';
	}
	return 0;
}

/* A transport protocol whose header starts with the two ports: nft
 * names a raw @th,0,16 / @th,16,16 after it. */
static const char *raw_port_proto(uint32_t p)
{
	switch (p) {
	case 6: return "tcp";
	case 17: return "udp";
	case 33: return "dccp";
	case 132: return "sctp";
	case 136: return "udplite";
	}
	return NULL;
}

/* The name nft lists a raw @th port match s by: "P sport" after a
 * `meta l4proto P` of the rule, the raw form (NULL) after another P,
 * else "th sport" (after a set of protocols, or none: nft 1.0.6). */
const char *bw_print_raw_port_name(const struct bw_ast_item *rule,
				   const struct bw_ast_stmt *s,
				   const struct bw_sym *scope, enum bw_family fam,
				   char *buf, size_t len)
{
	const char *port = bw_rawpay_port(s->proto, s->field), *name = "th";

	if (!port || s->proto[0] != '@' || s->cat || s->vmap)
		return NULL;
	for (const struct bw_ast_stmt *t = rule->stmts; t && t != s; t = t->next) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *r;
		uint32_t v;

		if (dep_of(t, scope, fam, &v) == 'p') {
			name = raw_port_proto(v);
			continue;
		}
		if (t->kind != BW_AS_MATCH || t->cat || t->vmap || t->mask ||
		    strcmp(t->proto, "meta") || strcmp(t->field, "l4proto") ||
		    t->op == BW_OP_NE)
			continue;
		r = bw_sym_resolve(t->rhs, &sc);
		if (r && r->kind == BW_AE_SET)
			name = "th";
	}
	if (!name)
		return NULL;
	snprintf(buf, len, "%s %s", name, port);
	return buf;
}

/* Does t need what dependency kind/v says (so that it goes without
 * saying, as in nft's listing)? */
static bool implies(const struct bw_ast_stmt *t, int kind, uint32_t v)
{
	const struct bw_field *f;
	unsigned l3 = v == NFPROTO_V4 ? 4 : 6;

	/* reject with icmp(v6) gets the family dep itself; a plain one
	 * after the dep is listed so (print_reject) */
	if (t->kind == BW_AS_REJECT)
		return kind == 'f' && (!t->rej_kind ||
		       !strcmp(t->rej_kind->text, l3 == 4 ? "icmp" : "icmpv6"));
	if (t->kind != BW_AS_MATCH)
		return false;
	/* @th,16,16 after meta l4proto tcp: nft lists tcp dport */
	if (kind == 'p' && t->proto[0] == '@' && !t->cat && !t->vmap)
		return raw_port_proto(v) && bw_rawpay_port(t->proto, t->field);
	/* ct original saddr after meta nfproto: nft's dependency */
	if (kind == 'f' && !t->cat && !t->vmap &&
	    !bw_eval_ct_generic(NULL, t->proto, t->field, l3, NULL, &f))
		return true;
	f = bw_field_find(t->proto, t->field);
	if (!f)
		return false;
	if (kind == 'i')
		return !strcmp(f->proto, "ether");
	/* (nft 1.0.6 lists the ether type before a vlan type) */
	if (kind == 'v')
		return (f->need_flags & BW_VIEW_VLAN) && !f->tun_layer &&
		       f->id != BW_F_VLAN_TYPE;
	if (kind == 'l')
		return f->need_l3 == v && !f->need_l4proto && !f->tun_layer;
	/* rt ip nexthop needs no dependency: nft keeps meta nfproto */
	if (f->src == BW_FS_KERNEL)
		return false;
	if (kind == 'E')
		return f->need_l3 || f->need_l4proto;
	if (kind == 't')
		return f->icmp_type && f->icmp_type == (v & 0xff) &&
		       f->need_l3 == v >> 8;
	return kind == 'p' ? f->need_l4proto && f->need_l4proto == v :
			     f->need_l3 == l3;
}

/* s is a dependency a later match of the rule implies, with only
 * matches between them (a counter or a log between would count
 * other packets)? */
bool bw_print_implied_dep(const struct bw_ast_stmt *s, const struct bw_sym *scope,
			  enum bw_family fam)
{
	uint32_t v;
	int kind = dep_of(s, scope, fam, &v);

	if (!kind)
		return false;
	for (const struct bw_ast_stmt *t = s->next; t; t = t->next) {
		if (kind == 'v' && bw_vlan_type_tag(t, scope))
			return false;	/* the vlan fields after: the next tag's */
		if (implies(t, kind, v))
			return true;
		if (t->kind != BW_AS_MATCH)
			return false;
	}
	return false;
}

/* The network layer a statement makes known (4, 6; else 0). */
unsigned bw_print_l3_of(const struct bw_ast_stmt *s, const struct bw_sym *scope,
			enum bw_family fam)
{
	const struct bw_field *f;
	uint32_t v;

	/* bridge: ether type ip is the network layer too (dep_of 'f') */
	if (dep_of(s, scope, BW_FAMILY_INET, &v) == 'f' ||
	    dep_of(s, scope, BW_FAMILY_NETDEV, &v) == 'f' ||
	    (fam == BW_FAMILY_BRIDGE &&
	     dep_of(s, scope, BW_FAMILY_BRIDGE, &v) == 'f'))
		return v == NFPROTO_V4 ? 4 : 6;
	if (s->kind != BW_AS_MATCH || !(f = bw_field_find(s->proto, s->field)))
		return 0;
	return f->need_l3;
}

/* reject as nft lists it: the family's default (icmp port-unreachable
 * in ip, icmpv6 in ip6, icmpx elsewhere) not written; where the rule
 * knows the network layer, the type for it. */
void bw_print_reject(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		     const struct bw_sym *scope, enum bw_family fam,
		     unsigned l3)
{
	const char *kind = s->rej_kind ? s->rej_kind->text : NULL;
	const char *deft = fam == BW_FAMILY_IP ? "icmp" :
			   fam == BW_FAMILY_IP6 ? "icmpv6" :
			   l3 == 4 ? "icmp" : l3 == 6 ? "icmpv6" : "icmpx";
	const char *c = NULL;
	bool plain_default = fam == BW_FAMILY_IP || fam == BW_FAMILY_IP6 || !l3;

	if (kind && s->rej_code)
		c = s->rej_code->kind == BW_AE_NUMBER ?
		    bw_value_reject_code(kind, s->rej_code->text) :
		    s->rej_code->kind == BW_AE_SYMBOL ? s->rej_code->text : NULL;
	if (kind && s->rej_code && !c && !strcmp(kind, "icmpx") &&
	    s->rej_code->kind == BW_AE_NUMBER)	/* nft lists icmpx codes by name */
		c = bw_reject_icmpx_name(s->rej_code->text);
	if (!kind || (c && !strcmp(kind, deft) && !strcmp(c, "port-unreachable"))) {
		bw_pbuf_put(b, "reject");
		if (!plain_default)
			bw_pbuf_printf(b, " with %s port-unreachable", deft);
		return;
	}
	bw_pbuf_printf(b, "reject with %s ", kind);
	if (c)
		bw_pbuf_put(b, c);
	else
		bw_print_expr(b, s->rej_code, scope);
}

/* ct original saddr (value_ct.c): as nft lists it, ct original ip saddr
 * (the layer the table's or a meta nfproto's). */
bool bw_print_ct_generic(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			 const struct bw_sym *scope, enum bw_family fam,
			 unsigned l3)
{
	const struct bw_field *f;
	struct bw_ast_stmt t;

	if (fam == BW_FAMILY_IP || fam == BW_FAMILY_IP6)
		l3 = fam == BW_FAMILY_IP ? 4 : 6;
	if (s->cat || s->vmap ||
	    bw_eval_ct_generic(NULL, s->proto, s->field, l3, NULL, &f))
		return false;
	t = *s;
	t.field = f->name;
	bw_print_match(b, &t, scope);
	return true;
}

/* Does the rule have a match on proto/field (field NULL: any of proto's
 * fields with a transport protocol, or meta l4proto, ip protocol)? */
static bool has_match(const struct bw_ast_item *rule, const char *proto,
		      const char *field)
{
	for (const struct bw_ast_stmt *t = rule->stmts; t; t = t->next) {
		const struct bw_field *f;

		if (t->kind != BW_AS_MATCH)
			continue;
		if (field) {
			if (!strcmp(t->proto, proto) && !strcmp(t->field, field))
				return true;
			continue;
		}
		f = bw_field_find(t->proto, t->field);
		if (f && (f->need_l4proto || f->id == BW_F_META_L4PROTO ||
			  f->id == BW_F_IP_PROTOCOL))
			return true;
	}
	return false;
}

/* The dependency nft lists in front of s where the rule has none: the
 * echo types before icmp id/sequence (fields.c: echo only), meta l4proto
 * tcp before a tcp reset outside ip and ip6 (evaluate adds it). */
void bw_print_implicit(struct bw_pbuf *b, const struct bw_ast_item *rule,
		       const struct bw_ast_stmt *s, enum bw_family fam,
		       const struct bw_sym *scope, const char **sep)
{
	const struct bw_field *f;

	if (s == rule->stmts && fam != BW_FAMILY_IP && fam != BW_FAMILY_IP6 &&
	    !has_match(rule, NULL, NULL)) {	/* first, as nft lists it */
		for (const struct bw_ast_stmt *t = s; t; t = t->next)
			if (t->kind == BW_AS_REJECT && t->rej_kind &&
			    !strcmp(t->rej_kind->text, "tcp")) {
				bw_pbuf_printf(b, "%smeta l4proto tcp", *sep);
				*sep = " ";
				break;
			}
	}
	if (bw_vlan_bare_type(rule, s, scope)) {	/* nft 1.0.6 lists its dependency */
		bw_pbuf_printf(b, "%sether type 8021q", *sep);
		*sep = " ";
		return;
	}
	if (s->kind == BW_AS_MATCH && !strcmp(s->proto, "icmpv6") &&
	    !strcmp(s->field, "taddr") && !has_match(rule, s->proto, "type")) {
		/* nft's dependency of icmpv6 taddr, listed */
		bw_pbuf_printf(b, "%sicmpv6 type { mld-listener-query, mld-listener-report, mld-listener-done, nd-neighbor-solicit, nd-neighbor-advert, nd-redirect }",
			       *sep);
		*sep = " ";
		return;
	}
	if (s->kind != BW_AS_MATCH || !(f = bw_field_find(s->proto, s->field)) ||
	    !(f->need_flags & BW_VIEW_ECHO) || has_match(rule, s->proto, "type"))
		return;
	/* once: the first such field (a later one sees this one's type
	 * only in the listing; has_match looks at the rule as written) */
	for (const struct bw_ast_stmt *t = rule->stmts; t != s; t = t->next) {
		const struct bw_field *g = t->kind == BW_AS_MATCH ?
			bw_field_find(t->proto, t->field) : NULL;

		if (g && (g->need_flags & BW_VIEW_ECHO) && !strcmp(t->proto, s->proto))
			return;
	}
	bw_pbuf_printf(b, "%s%s type { %s }", *sep, s->proto,
		       strcmp(s->proto, "icmp") ? "echo-request, echo-reply" :
						  "echo-reply, echo-request");
	*sep = " ";
}
