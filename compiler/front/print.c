// SPDX-License-Identifier: GPL-2.0-only
/*
 * The normalized ruleset text (ir->text), nft `list ruleset` style: tabs,
 * one rule per line, defines expanded (sets flattened), each rule in the
 * form nft lists it (values by the name or number nft prints, prefixes as
 * networks, the dependencies nft does not list left out: the tables and
 * helpers below), the chain line always complete.  `counter` is
 * printed as "counter \x1f<handle>\x1f" for bw_ir_text_render().  Loading
 * the text again gives the same IR, and nft -c accepts it.
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
#include "mapadd.h"
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
#include "settimeout.h"
#include "print_order.h"
#include "vlan.h"
#include "print_int.h"
#include "mapcat.h"

void bw_pbuf_printf(struct bw_pbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->oom)
		return;
	for (;;) {
		size_t room = b->cap - b->len;

		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			b->oom = true;
			return;
		}
		if ((size_t)n < room) {
			b->len += (size_t)n;
			return;
		}
		size_t cap = b->cap ? b->cap * 2 : 4096;

		while (cap - b->len <= (size_t)n)
			cap *= 2;
		char *s = realloc(b->s, cap);

		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
}

void bw_pbuf_put(struct bw_pbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->oom)
		return;
	if (b->cap - b->len <= n) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		char *p;

		while (cap - b->len <= n)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p) {
			b->oom = true;
			return;
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

char *bw_pbuf_take(struct bw_pbuf *b)
{
	char *s;

	if (!b->s && !b->oom)
		bw_pbuf_put(b, "");
	s = b->oom ? NULL : b->s;
	if (!s)
		free(b->s);
	memset(b, 0, sizeof(*b));
	return s;
}

void bw_pbuf_fini(struct bw_pbuf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

const char *bw_family_name(enum bw_family f)
{
	switch (f) {
	case BW_FAMILY_NETDEV:	return "netdev";
	case BW_FAMILY_INET:	return "inet";
	case BW_FAMILY_IP:	return "ip";
	case BW_FAMILY_IP6:	return "ip6";
	case BW_FAMILY_BRIDGE:	return "bridge";
	case BW_FAMILY_ARP:	return "arp";
	}
	return "?";
}

const char *bw_chain_hook_name(enum bw_chain_hook h)
{
	switch (h) {
	case BW_CHAIN_NONE:	return "";
	case BW_CHAIN_INGRESS:	return "ingress";
	case BW_CHAIN_PREROUTING: return "prerouting";
	case BW_CHAIN_INPUT:	return "input";
	case BW_CHAIN_FORWARD:	return "forward";
	case BW_CHAIN_OUTPUT:	return "output";
	case BW_CHAIN_POSTROUTING: return "postrouting";
	case BW_CHAIN_EGRESS:	return "egress";
	}
	return "?";
}

const char *bw_verdict_name(enum bw_verdict v)
{
	switch (v) {
	case BW_VERDICT_CONTINUE:	return "continue";
	case BW_VERDICT_ACCEPT:		return "accept";
	case BW_VERDICT_DROP:		return "drop";
	case BW_VERDICT_JUMP:		return "jump";
	case BW_VERDICT_GOTO:		return "goto";
	case BW_VERDICT_RETURN:		return "return";
	case BW_VERDICT_VMAP:		return "vmap";
	case BW_VERDICT_REJECT:		return "reject";
	case BW_VERDICT_NAT:		return "nat";
	case BW_VERDICT_QUEUE:		return "queue";
	}
	return "?";
}

void bw_print_table_open(struct bw_pbuf *b, enum bw_family family,
			 const char *name)
{
	bw_pbuf_printf(b, "table %s %s {\n", bw_family_name(family), name);
}

void bw_print_table_close(struct bw_pbuf *b)
{
	bw_pbuf_put(b, "}\n");
}

void bw_print_chain_open(struct bw_pbuf *b, const struct bw_ir_chain *c,
			 const char *comment, bool first)
{
	char prio[32];

	bw_pbuf_printf(b, "%s\tchain %s {\n", first ? "" : "\n", c->name);
	if (comment)	/* first, as nft lists it */
		bw_pbuf_printf(b, "\t\tcomment \"%s\"\n", comment);
	if (c->hook == BW_CHAIN_NONE)
		return;
	bw_pbuf_printf(b, "\t\ttype %s hook %s ",
		       c->type == BW_CHAIN_TYPE_NAT ? "nat" : "filter",
		       bw_chain_hook_name(c->hook));
	if (c->device && c->nmore_dev) {
		/* nft's listing of a chain on several devices */
		bw_pbuf_printf(b, "devices = { %s", c->device);
		for (uint32_t i = 0; i < c->nmore_dev; i++)
			bw_pbuf_printf(b, ", %s", c->more_dev[i]);
		bw_pbuf_put(b, " } ");
	} else if (c->device) {
		bw_pbuf_printf(b, "device \"%s\" ", c->device);
	}
	bw_pbuf_printf(b, "priority %s; policy %s;\n",
		       bw_prio_format(prio, sizeof(prio), c->family, c->hook,
				      c->priority),
		       bw_verdict_name(c->policy));
}

void bw_print_chain_close(struct bw_pbuf *b)
{
	bw_pbuf_put(b, "\t}\n");
}

/* The elements of a set, nested sets and $sets flattened into it. */
static void set_elems(struct bw_pbuf *b, const struct bw_ast_expr *set,
		      const struct bw_sym *scope, bool *first)
{
	for (const struct bw_ast_expr *e = set->elems; e; e = e->next) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *r = bw_sym_resolve(e, &sc);

		if (r && r->kind == BW_AE_SET) {
			set_elems(b, r, sc, first);
			continue;
		}
		bw_pbuf_put(b, *first ? "" : ", ");
		*first = false;
		bw_print_expr(b, e, scope);
		bw_settimeout_print_elem(b, e);
	}
}

void bw_print_expr(struct bw_pbuf *b, const struct bw_ast_expr *e,
		   const struct bw_sym *scope)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);
	bool first = true;

	if (!r) {
		bw_pbuf_printf(b, "$%s", e->text);
		return;
	}
	e = r;
	switch (e->kind) {
	case BW_AE_NUMBER:
	case BW_AE_SYMBOL:
	case BW_AE_ADDR:
		bw_pbuf_put(b, e->text);
		break;
	case BW_AE_STRING:
		bw_pbuf_printf(b, "\"%s\"", e->text);
		break;
	case BW_AE_VAR:
		break;
	case BW_AE_SETREF:
		bw_pbuf_printf(b, "@%s", e->text);
		break;
	case BW_AE_PREFIX:
		bw_print_expr(b, e->left, scope);
		/* nft prints a flag mask as "syn / syn,ack" */
		bw_pbuf_put(b, e->right->kind == BW_AE_SYMBOL ? " / " : "/");
		bw_print_expr(b, e->right, scope);
		break;
	case BW_AE_RANGE:
		bw_print_expr(b, e->left, scope);
		bw_pbuf_put(b, "-");
		bw_print_expr(b, e->right, scope);
		break;
	case BW_AE_OR:
		bw_pbuf_put(b, e->paren ? "(" : "");
		bw_print_expr(b, e->left, scope);
		bw_pbuf_put(b, " | ");
		bw_print_expr(b, e->right, scope);
		bw_pbuf_put(b, e->paren ? ")" : "");
		break;
	case BW_AE_BINOP:	/* a set statement's value (valexpr.h) */
		bw_pbuf_put(b, e->paren ? "(" : "");
		bw_print_expr(b, e->left, scope);
		bw_pbuf_printf(b, " %s ", e->text);
		bw_print_expr(b, e->right, scope);
		bw_pbuf_put(b, e->paren ? ")" : "");
		break;
	case BW_AE_FIELD:
		bw_print_fref_name(b, e->fref->proto, e->fref->field);
		break;
	case BW_AE_MAP:
		bw_print_expr(b, e->left, scope);
		bw_pbuf_put(b, " map ");
		bw_print_expr(b, e->right, scope);
		break;
	case BW_AE_GEN:
		bw_pbuf_put(b, e->text);
		if (e->left) {
			bw_pbuf_put(b, " ");
			bw_print_expr(b, e->left, scope);
		}
		bw_pbuf_printf(b, " mod %s", e->right->text);
		for (const struct bw_ast_expr *o = e->elems; o; o = o->next)
			bw_pbuf_printf(b, " %s %s", o->left->text, o->right->text);
		break;
	case BW_AE_LIST:
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next) {
			bw_pbuf_put(b, first ? "" : ",");
			first = false;
			bw_print_expr(b, x, scope);
		}
		break;
	case BW_AE_SET:
		bw_pbuf_put(b, "{ ");
		set_elems(b, e, scope, &first);
		bw_pbuf_put(b, " }");
		break;
	case BW_AE_CONCAT:
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next) {
			bw_pbuf_put(b, first ? "" : " . ");
			first = false;
			bw_print_expr(b, x, scope);
		}
		break;
	case BW_AE_MAPELEM:
		bw_print_expr(b, e->left, scope);
		bw_pbuf_put(b, " : ");
		bw_print_expr(b, e->right, scope);
		break;
	case BW_AE_VERDICT:
		bw_pbuf_put(b, e->text);
		if (e->right)
			bw_pbuf_printf(b, " %s", e->right->text);
		break;
	}
}

/* The meta keys nft lists without "meta", however they were written. */
static const char *const unqualified_meta[] = {
	"iif", "oif", "iifname", "oifname", "iifgroup", "oifgroup",
};

static bool bare_field(const char *proto, const char *field)
{
	if (strcmp(proto, "meta"))
		return false;
	for (size_t i = 0; i < sizeof(unqualified_meta) / sizeof(*unqualified_meta); i++)
		if (!strcmp(field, unqualified_meta[i]))
			return true;
	return false;
}

/* A field by the name nft lists (vlan cfi: vlan dei). */
static const char *field_name(const char *proto, const char *field)
{
	const struct bw_field *f = bw_field_find(proto, field);

	/* (ipsec in spnum 2 reqid: the policy index is in the name) */
	return f && !f->walk && !strcmp(f->proto, proto) && !bw_xfrm_is(f->id) ?
	       f->name : field;
}

/* The fields of a match or a typeof: "ip saddr . tcp dport". */
static void print_fields(struct bw_pbuf *b, const char *proto,
			 const char *field, const struct bw_ast_fref *more)
{
	if (proto[0] == '@')	/* raw payload: @th,16,16 */
		bw_pbuf_printf(b, "%s,%s", proto, field);
	else if (!bare_field(proto, field))
		bw_pbuf_printf(b, "%s ", proto);
	if (proto[0] != '@')
		bw_pbuf_put(b, field_name(proto, field));
	for (; more; more = more->next) {
		bw_pbuf_put(b, " . ");
		if (more->proto[0] == '@') {
			bw_pbuf_printf(b, "%s,%s", more->proto, more->field);
			continue;
		}
		if (!bare_field(more->proto, more->field))
			bw_pbuf_printf(b, "%s ", more->proto);
		bw_pbuf_put(b, field_name(more->proto, more->field));
	}
}

void bw_print_fref_name(struct bw_pbuf *b, const char *proto, const char *field)
{
	print_fields(b, proto, field, NULL);
}

/* A map of data's elements: the keys as written, the values as nft
 * lists them (0x00000001 for a mark written 1).  False (nothing
 * printed) when the elements are not each KEY : VALUE in one list. */
static bool data_elems(struct bw_pbuf *b, const struct bw_ast_expr *els,
		       const struct bw_sym *scope, const struct bw_ir_set *set)
{
	uint32_t n = 0;

	els = bw_sym_resolve(els, &scope);
	if (!els || els->kind != BW_AE_SET)
		return false;
	for (const struct bw_ast_expr *e = els->elems; e; e = e->next, n++)
		if (e->kind != BW_AE_MAPELEM)
			return false;
	if (n != set->nelem)
		return false;
	bw_pbuf_put(b, "\t\telements = { ");
	n = 0;
	for (const struct bw_ast_expr *e = els->elems; e; e = e->next, n++) {
		bw_pbuf_put(b, n ? ", " : "");
		bw_print_expr(b, e->left, scope);
		bw_pbuf_put(b, " : ");
		if (set->ndata > 1)
			bw_mapcat_print(b, set, set->elem[n].data);
		else
			bw_print_value(b, bw_field(set->data), set->elem[n].data);
	}
	bw_pbuf_put(b, " }\n");
	return true;
}

void bw_print_set(struct bw_pbuf *b, const struct bw_ast_item *it,
		  const struct bw_sym *scope, uint32_t index,
		  const char *family, const char *table,
		  const struct bw_ir_set *set)
{
	const struct bw_ast_setdef *sd = it->set;
	bool dyn = set && set->dynamic, dyn_flag = false;

	bw_pbuf_printf(b, "\t%s %s {\n\t\t", sd->map ? "map" : "set",
		       it->set_name);
	if (sd->typeof_) {
		bw_pbuf_put(b, "typeof ");
		print_fields(b, sd->typeof_->proto, sd->typeof_->field,
			     sd->typeof_->next);
	} else {
		bw_pbuf_put(b, "type ");
		bw_print_expr(b, sd->types, scope);
	}
	if (sd->value_type)
		bw_pbuf_printf(b, " : %s", sd->value_type->text);
	bw_pbuf_put(b, "\n");
	/* a set rules change: nft lists its size first, then its flags
	 * with dynamic among them */
	if (dyn && set->size)
		bw_pbuf_printf(b, "\t\tsize %u\n", set->size);
	if (set && set->mapadd && !dyn && !sd->size)	/* as nft lists it */
		bw_pbuf_printf(b, "\t\tsize %u\n", 65535u);
	if (set && set->timeout) {
		bw_settimeout_print_decl(b, sd, set);
	} else if (sd->flags || dyn) {
		bw_pbuf_put(b, "\t\tflags ");
		for (const struct bw_ast_expr *f = sd->flags ? sd->flags->elems : NULL;
		     f; f = f->next) {
			bw_pbuf_printf(b, "%s%s", f == sd->flags->elems ? "" : ",",
				       f->text);
			dyn_flag |= !strcmp(f->text, "dynamic");
		}
		if (dyn && !dyn_flag)
			bw_pbuf_printf(b, "%sdynamic", sd->flags ? "," : "");
		bw_pbuf_put(b, "\n");
	}
	if (sd->size && !dyn)
		bw_pbuf_printf(b, "\t\tsize %s\n", sd->size->text);
	if (sd->comment)
		bw_pbuf_printf(b, "\t\tcomment \"%s\"\n", sd->comment);
	/* the elements as loaded, between markers: `list ruleset` shows
	 * what the maps hold instead (bw_ir_text_render) */
	bw_pbuf_printf(b, "\x1e%u %s %s %s\x1e", index, family, table,
		       it->set_name);
	if (sd->elements && set && set->ndata && data_elems(b, sd->elements, scope, set)) {
		/* a map of data: its values as nft lists them */
	} else if (sd->elements) {
		bw_pbuf_put(b, "\t\telements = ");
		bw_print_expr(b, sd->elements, scope);
		bw_pbuf_put(b, "\n");
	}
	bw_pbuf_put(b, "\x1e\t}\n\n");
}

/* fib daddr oif exists|missing (nft 1.0.6's form): listed as newer nft
 * lists it, fib daddr check exists|missing. */
static bool fib_check(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		      const struct bw_ast_expr *r)
{
	size_t n = s->field ? strlen(s->field) : 0;

	if (strcmp(s->proto, "fib") || s->cat || s->vmap || n < 4 ||
	    strcmp(s->field + n - 4, " oif") || !r || r->kind != BW_AE_SYMBOL ||
	    (strcmp(r->text, "exists") && strcmp(r->text, "missing")))
		return false;
	bw_pbuf_printf(b, "fib %.*s check", (int)(n - 4), s->field);
	return true;
}

void bw_print_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		    const struct bw_sym *scope)
{
	const struct bw_field *f = s->cat || s->vmap ? NULL :
				   bw_field_find(s->proto, s->field);
	const struct bw_sym *rs = scope;
	const struct bw_ast_expr *r = bw_sym_resolve(s->rhs, &rs);

	if (bw_rawpay_is(s->proto, s->field) && !s->cat && !s->vmap) {
		bw_rawpay_print_match(b, s, scope, NULL);
		return;
	}
	if (!fib_check(b, s, r))
		print_fields(b, s->proto, s->field, s->cat);
	if (!s->mask && s->op == BW_OP_IMPLICIT && bw_print_int_prefix(b, f, r))
		return;
	if (s->vmap) {
		bw_pbuf_put(b, " vmap ");
		if (s->cat)
			bw_print_expr(b, s->rhs, scope);
		else
			bw_print_field_value(b, s->proto, s->field, s->rhs, scope, false);
		return;
	}
	if (s->mask && s->mask_op == BW_MASK_XOR && bw_print_xor_folded(b, s, f, scope))
		return;
	if (s->mask && bw_print_addr_mask_prefix(b, s, f, scope))
		return;
	if ((!s->mask || s->mask_op == BW_MASK_AND) &&
	    bw_print_flag_match(b, s, scope))
		return;
	if (s->mask) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *m = bw_sym_resolve(s->mask, &sc);
		/* `& a | b` would read as `(& a) | b`: keep it grouped */
		bool group = m && m->kind == BW_AE_OR && !m->paren;

		bw_pbuf_printf(b, " %s %s", s->mask_op == BW_MASK_OR ? "|" :
			       s->mask_op == BW_MASK_XOR ? "^" : "&",
			       group ? "(" : "");
		if (!bw_print_v4_number(b, f, m))
			bw_print_field_value(b, s->proto, s->field, s->mask, scope, false);
		bw_pbuf_put(b, group ? ")" : "");
	}
	/* nft lists `eq` on a plain value as no operator */
	if (s->count_over)
		bw_pbuf_put(b, " over");	/* ct count over 3 */
	else if (s->op != BW_OP_IMPLICIT &&
		 !(s->op == BW_OP_EQ && !s->mask && !s->cat && f &&
		   f->type != BW_T_TCP_FLAG && f->type != BW_T_CT_STATE)) {
		bw_pbuf_put(b, " ");
		bw_pbuf_put(b, bw_ast_op_str(s->op));
	}
	bw_pbuf_put(b, " ");
	if (s->mask && bw_print_v4_number(b, f, r))
		;
	else if (s->cat)
		bw_print_expr(b, s->rhs, scope);
	else if (s->mask || !f || !r || r->kind != BW_AE_SET ||
		 !bw_print_interval_set(b, f, r, rs))
		bw_print_field_value(b, s->proto, s->field, s->rhs, scope, false);
}

/* rt nexthop in an ip6 table is IPv6's: nft lists rt ip6 nexthop */
static void print_rt6_nexthop(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			      const struct bw_sym *scope)
{
	struct bw_ast_stmt t;

	/* a match's part only: statements are allocated that large */
	memset(&t, 0, sizeof(t));
	memcpy(&t, s, offsetof(struct bw_ast_stmt, count_over) + sizeof(s->count_over));
	t.field = "ip6 nexthop";
	bw_print_match(b, &t, scope);
}

/* ---- dependencies nft does not list ---- */

void bw_print_rule(struct bw_pbuf *b, const struct bw_ast_item *rule,
		   const struct bw_sym *scope, uint32_t handle,
		   enum bw_family fam)
{
	bw_print_rule_ir(b, rule, scope, handle, NULL, NULL, fam);
}

/* The ir->setf entry of the n-th set statement of rule r, or NULL. */
static const struct bw_ir_setf *nth_setf(const struct bw_ir *ir,
					 const struct bw_ir_rule *r, uint32_t n)
{
	for (uint32_t i = 0; ir && r && i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_SETF && !n--)
			return r->stmt[i].index < ir->nsetf ?
			       &ir->setf[r->stmt[i].index] : NULL;
	return NULL;
}

/* The n-th header field set of rule r (hdrset.c), or as written. */
static void print_hdrset(struct bw_pbuf *b, const struct bw_ir *ir,
			 const struct bw_ir_rule *r, uint32_t n,
			 const struct bw_ast_stmt *s)
{
	for (uint32_t i = 0; ir && r && i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_HDRSET && !n--) {
			if (r->stmt[i].index < ir->nhdrset)
				bw_print_hdrset(b, &ir->hdrset[r->stmt[i].index]);
			return;
		}
	bw_pbuf_printf(b, "%s %s set", s->setf->proto, s->setf->field);
}

/* The index of the n-th statement of kind k of rule r, or -1. */
static int nth_stmt(const struct bw_ir_rule *r, enum bw_stmt_kind k,
		    uint32_t n)
{
	for (uint32_t i = 0; r && i < r->nstmt; i++)
		if (r->stmt[i].kind == k && !n--)
			return (int)r->stmt[i].index;
	return -1;
}

/* The ir->quota index of the n-th quota of rule r, or -1. */
static int nth_quota(const struct bw_ir *ir, const struct bw_ir_rule *r,
		     uint32_t n)
{
	for (uint32_t i = 0; ir && r && i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_QUOTA && !n--)
			return r->stmt[i].index < ir->nquota ?
			       (int)r->stmt[i].index : -1;
	return -1;
}

/* The n-th dup statement of rule r (dup.c), or NULL. */
static const struct bw_ir_dup *nth_dup(const struct bw_ir *ir,
				       const struct bw_ir_rule *r, uint32_t n)
{
	for (uint32_t i = 0; ir && r && i < r->nstmt; i++)
		if (r->stmt[i].kind == BW_STMT_DUP && !n--)
			return r->stmt[i].index < ir->ndup ?
			       &ir->dup[r->stmt[i].index] : NULL;
	return NULL;
}

void bw_print_rule_ir(struct bw_pbuf *b, const struct bw_ast_item *rule,
		      const struct bw_sym *scope, uint32_t handle,
		      const struct bw_ir *ir, const struct bw_ir_rule *r,
		      enum bw_family fam)
{
	const struct bw_ir_nat *nat = ir && r && r->verdict == BW_VERDICT_NAT &&
				      r->nat < ir->nnat ? &ir->nat[r->nat] : NULL;
	const struct bw_ir_setf *sf;
	uint32_t nsetf = 0, nhdrset = 0, nquota = 0, ntproxy = 0, nsynproxy = 0;
	int k;
	uint32_t ndup = 0, nfwd = 0, ndynset = 0;
	unsigned l3 = 0;
	char rawname[32];
	const char *sep = "";
	/* nft's order of merged payload matches (print_order.h) */
	const struct bw_ast_stmt **ord = bw_print_order(rule, scope, fam);
	size_t oi = 0;

	bw_pbuf_put(b, "\t\t");
	for (const struct bw_ast_stmt *s = ord ? ord[0] : rule->stmts; s;
	     s = ord ? ord[++oi] : s->next) {
		if (!l3)
			l3 = bw_print_l3_of(s, scope, fam);
		bw_print_implicit(b, rule, s, fam, scope, &sep);
		if (bw_print_implied_dep(s, scope, fam))
			continue;
		bw_pbuf_put(b, sep);
		sep = " ";
		switch (s->kind) {
		case BW_AS_MATCH:
			if (bw_print_raw_port_name(rule, s, scope, fam, rawname, sizeof(rawname)))
				bw_rawpay_print_match(b, s, scope, rawname);
			else if ((fam == BW_FAMILY_ARP || (fam == BW_FAMILY_NETDEV &&
				  bw_hdrset_arp_said(rule, s))) &&
				 bw_hdrset_print_raw(b, s, scope))
				;	/* @nh,192,32: arp daddr ip */
			else if (fam == BW_FAMILY_IP6 && !strcmp(s->proto, "rt") &&
				 !strcmp(s->field, "nexthop") && !s->cat)
				print_rt6_nexthop(b, s, scope);
			else if (bw_print_ct_generic(b, s, scope, fam, l3))
				;
			else
				bw_print_match(b, s, scope);
			break;
		case BW_AS_COUNTER:
			bw_pbuf_printf(b, "counter \x1f%u\x1f", handle);
			break;
		case BW_AS_VERDICT:
			bw_pbuf_put(b, bw_ast_verdict_str(s->verdict));
			if (s->target)
				bw_pbuf_printf(b, " %s", s->target);
			break;
		case BW_AS_LOG:
			bw_pbuf_put(b, "log");
			if (s->log_prefix)
				bw_pbuf_printf(b, " prefix \"%s\"", s->log_prefix);
			/* nft's order: group, snaplen, queue-threshold, level,
			 * flags (numbers as it lists them: decimal) */
			if (s->log_group)
				bw_pbuf_printf(b, " group %llu", strtoull(s->log_group->text, NULL, 0));
			if (s->log_snaplen)
				bw_pbuf_printf(b, " snaplen %llu", strtoull(s->log_snaplen->text, NULL, 0));
			if (s->log_qthreshold)
				bw_pbuf_printf(b, " queue-threshold %llu",
					       strtoull(s->log_qthreshold->text, NULL, 0));
			/* warn is the default: nft lists no level then */
			if (s->log_level && strcmp(s->log_level->text, "warn"))
				bw_pbuf_printf(b, " level %s", s->log_level->text);
			bw_print_log_flags(b, s->log_flags);
			break;
		case BW_AS_LIMIT:
			bw_pbuf_printf(b, "limit rate %s%s", s->over ? "over " : "",
				       s->rate->text);
			if (s->rate_bytes)
				bw_pbuf_printf(b, " %s", s->rate_bytes->text);
			bw_pbuf_printf(b, "/%s", s->rate_unit->text);
			/* nft lists a packet rate's burst always, 5 by
			 * default (compiler/front/stmts.c takes 0 as 5 too) */
			if (s->burst && (s->rate_bytes ||
					 strtoull(s->burst->text, NULL, 0)))
				bw_pbuf_printf(b, " burst %s %s", s->burst->text,
					       s->burst_unit->text);
			else if (!s->rate_bytes)
				bw_pbuf_put(b, " burst 5 packets");
			break;
		case BW_AS_REJECT:
			bw_print_reject(b, s, scope, fam, l3);
			break;
		case BW_AS_UNSUPPORTED:
			bw_pbuf_put(b, s->what);
			break;
		case BW_AS_NAT:
			if (nat)
				bw_print_nat(b, nat, fam, ir);
			else
				bw_pbuf_put(b, s->nat_kind);
			break;
		case BW_AS_SETF:
			if (bw_hdrset_claims(s->setf)) {
				print_hdrset(b, ir, r, nhdrset++, s);
				break;
			}
			sf = nth_setf(ir, r, nsetf++);
			if (sf)
				bw_print_setf(b, sf, ir);
			else
				bw_pbuf_printf(b, "%s %s set", s->setf->proto,
					       s->setf->field);
			break;
		case BW_AS_NOTRACK:
			bw_pbuf_put(b, "notrack");
			break;
		case BW_AS_QUEUE:
			if (ir && r && r->verdict == BW_VERDICT_QUEUE &&
			    r->nat < ir->nqueue)
				bw_print_queue(b, &ir->queue[r->nat], ir);
			else
				bw_pbuf_put(b, "queue");
			break;
		case BW_AS_QUOTA:
			bw_pbuf_printf(b, "quota %s%s %s",
				       s->quota_mode && !strcmp(s->quota_mode, "over") ?
				       "over " : "", s->quota_n->text,
				       s->quota_unit->text);
			/* a netdev chain's count is in BW_MAP_LIMITS: a
			 * marker for bw_ir_text_render, the used bytes as
			 * written when nothing counts */
			if (fam == BW_FAMILY_NETDEV && nth_quota(ir, r, nquota) >= 0)
				bw_pbuf_printf(b, "\x1d%d %llu\x1d", nth_quota(ir, r, nquota),
					       (unsigned long long)ir->quota[nth_quota(ir, r, nquota)].bytes);
			nquota++;
			if (s->quota_used)
				bw_pbuf_printf(b, " used %s %s", s->quota_used->text,
					       s->quota_used_unit->text);
			if (fam == BW_FAMILY_NETDEV && nth_quota(ir, r, nquota - 1) >= 0)
				bw_pbuf_put(b, "\x1d");
			break;
		case BW_AS_OBJREF:
		case BW_AS_LAST:
			bw_print_objref(b, s, scope);
			break;
		case BW_AS_DYNSET:
			bw_pbuf_printf(b, "%s @%s { ", s->dyn_op, s->dyn_set);
			print_fields(b, s->dyn_key->proto, s->dyn_key->field,
				     s->dyn_key->next);
			bw_settimeout_print_dyn(b, s);
			bw_mapadd_print_value(b, ir, nth_stmt(r, BW_STMT_DYNSET,
							      ndynset++));
			bw_pbuf_put(b, " }");
			break;
		case BW_AS_TPROXY:
			k = nth_stmt(r, BW_STMT_TPROXY, ntproxy++);
			if (ir && k >= 0 && (uint32_t)k < ir->ntproxy)
				bw_print_tproxy_ir(b, ir, &ir->tproxy[k], fam);
			else
				bw_pbuf_put(b, "tproxy");
			break;
		case BW_AS_SYNPROXY:
			k = nth_stmt(r, BW_STMT_SYNPROXY, nsynproxy++);
			if (ir && k >= 0 && (uint32_t)k < ir->nsynproxy)
				bw_print_synproxy(b, &ir->synproxy[k]);
			else
				bw_pbuf_put(b, "synproxy");
			break;
		case BW_AS_DUP: {
			const struct bw_ir_dup *d = nth_dup(ir, r, ndup++);

			if (d)
				bw_print_dup(b, d, ir);
			else	/* netdev's: fwd.h */
				bw_print_fwd(b, ir, r, nfwd++);
			break;
		}
		case BW_AS_FWD:
			bw_print_fwd(b, ir, r, nfwd++);
			break;
		case BW_AS_FLOW:
			/* nft 1.0.6 lists flow offload @F as flow add @F */
			bw_pbuf_printf(b, "flow add @%s", s->flow_table);
			break;
		}
	}
	free(ord);
	if (rule->comment)
		bw_pbuf_printf(b, "%scomment \"%s\"", sep, rule->comment);
	bw_pbuf_put(b, "\n");
}

/* ---- the elements a set's maps hold (list ruleset) ---- */

static const struct bw_ir_set *cmp_set;
static uint32_t cmp_last;	/* compared last: the component merged */

static int cmp_elem(const void *x, const void *y)
{
	const struct bw_ir_setelem *a = x, *b = y;
	int c;

	for (uint32_t k = 0; k <= cmp_set->nkey; k++) {
		uint32_t i = k < cmp_set->nkey ? (k == cmp_last ? UINT32_MAX : k) :
			     cmp_last;
		uint32_t off, n;

		if (i == UINT32_MAX)
			continue;
		off = bw_ir_set_keyoff(cmp_set, i);
		n = bw_field(cmp_set->key[i])->size;
		c = memcmp(a->lo + off, b->lo + off, n);
		if (c)
			return c;
	}
	return 0;
}

/* b directly follows a in component k, and they agree in the others? */
static bool adjacent(const struct bw_ir_set *s, const struct bw_ir_setelem *a,
		     const struct bw_ir_setelem *b, uint32_t k)
{
	uint8_t next[BW_VAL_MAX];
	uint32_t off = bw_ir_set_keyoff(s, k), n = bw_field(s->key[k])->size;
	int i;

	if (a->verdict != b->verdict || a->target != b->target)
		return false;
	for (uint32_t j = 0; j < s->nkey; j++) {
		uint32_t o = bw_ir_set_keyoff(s, j), m = bw_field(s->key[j])->size;

		if (j != k && (memcmp(a->lo + o, b->lo + o, m) ||
			       memcmp(a->hi + o, b->hi + o, m)))
			return false;
	}
	memcpy(next, a->hi + off, n);
	for (i = (int)n - 1; i >= 0 && ++next[i] == 0; i--)
		;
	return i >= 0 && !memcmp(next, b->lo + off, n);
}

char *bw_ir_set_elems_text(const struct bw_ir *ir, uint32_t si,
			   struct bw_ir_setelem *e, uint32_t n)
{
	const struct bw_ir_set *s = &ir->set[si];
	struct bw_pbuf b = { 0 };

	if (s->ndata)	/* a map of data: its maps hold no values, and its
			 * elements change with the ruleset only */
		return NULL;
	/* a range was stored as prefixes: join those of one element again,
	 * nothing else (as nft lists a set without auto-merge: elements
	 * as they were added, adjacent or not) */
	for (uint32_t k = 0; k < s->nkey && n > 1; k++) {
		uint32_t out = 0;

		cmp_set = s;
		cmp_last = k;
		qsort(e, n, sizeof(*e), cmp_elem);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t off = bw_ir_set_keyoff(s, k);

			if (out && e[i].cont && adjacent(s, &e[out - 1], &e[i], k))
				memcpy(e[out - 1].hi + off, e[i].hi + off,
				       bw_field(s->key[k])->size);
			else
				e[out++] = e[i];
		}
		n = out;
	}
	if (!n)
		return strdup("");
	cmp_set = s;
	cmp_last = UINT32_MAX;
	qsort(e, n, sizeof(*e), cmp_elem);
	bw_pbuf_put(&b, "\t\telements = { ");
	for (uint32_t i = 0; i < n; i++) {
		bw_pbuf_put(&b, i ? ", " : "");
		bw_print_setelem(&b, ir, s, &e[i]);
	}
	bw_pbuf_put(&b, " }\n");
	return bw_pbuf_take(&b);
}
