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
	if (sd->flags || dyn) {
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

/* A number written for an IPv4 address (`ip saddr & 0xff == 1`): nft
 * lists it dotted. */
static bool v4_number(struct bw_pbuf *b, const struct bw_field *f,
		      const struct bw_ast_expr *e)
{
	uint64_t v;

	if (!f || f->type != BW_T_IPV4_ADDR || !e || e->kind != BW_AE_NUMBER ||
	    bw_eval_number(e->text, &v) || v > UINT32_MAX)
		return false;
	bw_pbuf_printf(b, "%u.%u.%u.%u", (unsigned)(v >> 24) & 255,
		       (unsigned)(v >> 16) & 255, (unsigned)(v >> 8) & 255,
		       (unsigned)v & 255);
	return true;
}

/* An address operand as 16 bytes (IPv4: 4), from an address or, for
 * IPv4, a number. */
static bool addr_bytes(const struct bw_field *f, const struct bw_ast_expr *e,
		       uint8_t *out)
{
	uint64_t v;

	if (!e)
		return false;
	if (f->type == BW_T_IPV4_ADDR && e->kind == BW_AE_NUMBER) {
		if (bw_eval_number(e->text, &v) || v > UINT32_MAX)
			return false;
		for (int i = 0; i < 4; i++)
			out[i] = (uint8_t)(v >> (24 - 8 * i));
		return true;
	}
	return e->kind == BW_AE_ADDR &&
	       inet_pton(f->type == BW_T_IPV4_ADDR ? AF_INET : AF_INET6,
			 e->text, out) == 1;
}

/* nft lists `ip saddr & 255.255.0.0 == 255.255.0.0` as the prefix
 * `ip saddr 255.255.0.0/16` (an address under a mask that is one). */
static bool addr_mask_prefix(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			     const struct bw_field *f, const struct bw_sym *scope)
{
	const struct bw_sym *s1 = scope, *s2 = scope;
	const struct bw_ast_expr *m = bw_sym_resolve(s->mask, &s1);
	const struct bw_ast_expr *v = bw_sym_resolve(s->rhs, &s2);
	uint8_t mb[16], vb[16];
	char text[INET6_ADDRSTRLEN];
	unsigned n, plen = 0;
	bool ended = false;

	if (!f || (f->type != BW_T_IPV4_ADDR && f->type != BW_T_IPV6_ADDR) ||
	    s->mask_op != BW_MASK_AND || (s->op != BW_OP_IMPLICIT &&
	    s->op != BW_OP_EQ && s->op != BW_OP_NE) ||
	    !addr_bytes(f, m, mb) || !addr_bytes(f, v, vb))
		return false;
	n = f->type == BW_T_IPV4_ADDR ? 4 : 16;
	for (unsigned i = 0; i < n * 8; i++) {
		bool bit = mb[i / 8] & (0x80 >> (i % 8));

		if (bit && ended)
			return false;	/* not a prefix */
		if (!bit)
			ended = true;
		else
			plen++;
		if (!bit && (vb[i / 8] & (0x80 >> (i % 8))))
			return false;	/* a value bit outside the mask */
	}
	if (!inet_ntop(f->type == BW_T_IPV4_ADDR ? AF_INET : AF_INET6, vb,
		       text, sizeof(text)))
		return false;
	bw_pbuf_printf(b, " %s%s/%u", s->op == BW_OP_NE ? "!= " : "", text, plen);
	return true;
}

/* nft's prefix on an integer, `meta mark 0xffffff00/24`, lists as
 * `& 0xffffff00 == 0xffffff00`.  Returns false for anything else. */
static bool int_prefix(struct bw_pbuf *b, const struct bw_field *f,
		       const struct bw_ast_expr *e)
{
	unsigned w = f ? (f->bits ? f->bits : f->size * 8u) : 0;
	uint64_t v, plen, m;

	if (!f || !e || e->kind != BW_AE_PREFIX || w == 0 || w > 64 ||
	    f->type == BW_T_IPV4_ADDR || f->type == BW_T_IPV6_ADDR ||
	    f->type == BW_T_TCP_FLAG || f->type == BW_T_CT_STATE ||
	    e->left->kind != BW_AE_NUMBER || e->right->kind != BW_AE_NUMBER ||
	    bw_eval_number(e->left->text, &v) ||
	    bw_eval_number(e->right->text, &plen) || plen > w)
		return false;
	m = w - plen == 64 ? 0 : ~((UINT64_C(1) << (w - plen)) - 1);
	if (w < 64)
		m &= (UINT64_C(1) << w) - 1;
	if (f->type == BW_T_INET_SERVICE)	/* ports: numbers, as canon_leaf */
		bw_pbuf_printf(b, " & %" PRIu64 " == %" PRIu64, m, v & m);
	else if ((f->id == BW_F_IP_DSCP || f->id == BW_F_IP6_DSCP) &&
		 bw_eval_value_name(f, (uint32_t)(v & m)))	/* ip dscp 1/6 */
		bw_pbuf_printf(b, " & 0x%0*" PRIx64 " == %s", (int)(w + 3) / 4, m,
			       bw_eval_value_name(f, (uint32_t)(v & m)));
	else
		bw_pbuf_printf(b, " & 0x%0*" PRIx64 " == 0x%0*" PRIx64,
			       (int)(w + 3) / 4, m, (int)(w + 3) / 4, v & m);
	return true;
}

/* nft folds `meta mark xor 3 == 1` into `meta mark 0x00000002`: the
 * same for two numbers. */
static bool xor_folded(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		       const struct bw_field *f, const struct bw_sym *scope)
{
	const struct bw_sym *s1 = scope, *s2 = scope;
	const struct bw_ast_expr *c = bw_sym_resolve(s->mask, &s1);
	const struct bw_ast_expr *v = bw_sym_resolve(s->rhs, &s2);
	uint64_t cn, vn;

	if (!f || !c || !v || c->kind != BW_AE_NUMBER || v->kind != BW_AE_NUMBER ||
	    bw_eval_number(c->text, &cn) || bw_eval_number(v->text, &vn) ||
	    f->size > 8 || (s->op != BW_OP_IMPLICIT && s->op != BW_OP_EQ &&
			    s->op != BW_OP_NE))
		return false;
	bw_pbuf_printf(b, " %s0x%0*" PRIx64, s->op == BW_OP_NE ? "!= " : "",
		       (int)f->size * 2, cn ^ vn);
	return true;
}

/* ---- values as nft lists them, by field ---- */

static void set_values(struct bw_pbuf *b, const char *proto,
		       const char *field, const struct bw_ast_expr *set,
		       const struct bw_sym *scope, bool *first);

/* The fields nft lists as 32-bit hex marks (0x00000010). */
static const struct { const char *proto, *field; } mark_fields[] = {
	{ "meta", "mark" }, { "ct", "mark" }, { "socket", "mark" },
};

static bool mark_field(const char *proto, const char *field)
{
	for (size_t i = 0; i < sizeof(mark_fields) / sizeof(*mark_fields); i++)
		if (!strcmp(proto, mark_fields[i].proto) &&
		    !strcmp(field, mark_fields[i].field))
			return true;
	return false;
}

/* log flags as nft lists them: all, or tcp ..., ip options, skuid,
 * ether */
static void print_log_flags(struct bw_pbuf *b, uint32_t f)
{
	if ((f & 0x2f) == 0x2f) {
		bw_pbuf_put(b, " flags all");
		return;
	}
	if (f & 0x03)
		bw_pbuf_printf(b, " flags tcp%s%s%s", f & 0x01 ? " sequence" : "",
			       (f & 0x03) == 0x03 ? "," : f & 0x02 ? " " : "",
			       f & 0x02 ? "options" : "");
	if (f & 0x04)
		bw_pbuf_put(b, " flags ip options");
	if (f & 0x08)
		bw_pbuf_put(b, " flags skuid");
	if (f & 0x20)
		bw_pbuf_put(b, " flags ether");
}

/* One value of field proto/field: true when printed in nft's form. */
static bool canon_leaf(struct bw_pbuf *b, const char *proto,
		       const char *field, const struct bw_ast_expr *e,
		       bool range_end)
{
	const struct bw_field *f = bw_field_find(proto, field);
	char buf[INET6_ADDRSTRLEN];
	uint8_t a6[16];

	if (e->kind == BW_AE_NUMBER && mark_field(proto, field)) {
		char *end;
		unsigned long long v = strtoull(e->text, &end, 0);

		if (*end || v > UINT32_MAX)
			return false;
		bw_pbuf_printf(b, "0x%08llx", v);
		return true;
	}
	if (e->kind == BW_AE_NUMBER && f && bw_xfrm_is(f->id) &&
	    (f->type == BW_T_INTEGER || f->type == BW_T_BE_INTEGER)) {
		uint64_t v;	/* ipsec reqid, spi: nft lists decimal */

		if (bw_eval_number(e->text, &v) || v > UINT32_MAX)
			return false;
		bw_pbuf_printf(b, "%" PRIu64, v);
		return true;
	}
	if ((e->kind == BW_AE_NUMBER || e->kind == BW_AE_SYMBOL) && f &&
	    f->type == BW_T_DURATION) {
		uint8_t v[BW_VAL_MAX];

		if (bw_value_time(f, e->text, e->kind == BW_AE_NUMBER, v))
			return false;
		bw_print_value_time(b, (uint32_t)(v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]),
				    range_end);
		return true;
	}
	if (e->kind == BW_AE_SYMBOL && f && (f->type == BW_T_STRING ||
					     f->type == BW_T_CT_LABEL)) {
		bw_pbuf_printf(b, "\"%s\"", e->text);	/* ct helper "ftp" */
		return true;
	}
	if ((e->kind == BW_AE_NUMBER || e->kind == BW_AE_SYMBOL ||
	     ((e->kind == BW_AE_STRING || e->kind == BW_AE_ADDR) &&
	      bw_meta_type(f ? f->type : BW_T_INTEGER))) && f) {
		const char *c = bw_value_canon(f, e->text, buf, sizeof(buf));

		/* a name at a range's end would read as part of the range
		 * (dccp-45, ipv6-frag): ends stay numbers */
		if (c && range_end && c != buf)
			return false;
		if (c)
			bw_pbuf_put(b, c);
		return c != NULL;
	}
	if (e->kind == BW_AE_ADDR && f && f->type == BW_T_ETHER_ADDR) {
		unsigned m[6];
		char tail;

		if (sscanf(e->text, "%x:%x:%x:%x:%x:%x%c", &m[0], &m[1], &m[2],
			   &m[3], &m[4], &m[5], &tail) != 6)
			return false;
		for (int i = 0; i < 6; i++)
			if (m[i] > 0xff)
				return false;
		bw_pbuf_printf(b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
			       m[2], m[3], m[4], m[5]);
		return true;
	}
	if (e->kind == BW_AE_ADDR && f && f->type == BW_T_IPV6_ADDR &&
	    inet_pton(AF_INET6, e->text, a6) == 1 &&
	    inet_ntop(AF_INET6, a6, buf, sizeof(buf))) {
		bw_pbuf_put(b, buf);
		return true;
	}
	return false;
}

static int cmp_u32(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return a < b ? -1 : a > b;
}

/* A list of flags (ct state new,established), as nft lists it: by bit,
 * each by its name.  False when some element is not a single flag. */
static bool print_flags(struct bw_pbuf *b, const char *proto,
			const char *field, const struct bw_ast_expr *list,
			const struct bw_sym *scope)
{
	const struct bw_field *f = bw_field_find(proto, field);
	uint32_t v[32];
	size_t n = 0;

	if (!f)
		return false;
	for (const struct bw_ast_expr *e = list->elems; e; e = e->next) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *r = bw_sym_resolve(e, &sc);

		if (!r || (r->kind != BW_AE_SYMBOL && r->kind != BW_AE_NUMBER) ||
		    n == 32 || bw_value_flag(f, r->text, &v[n]) ||
		    __builtin_popcount(v[n]) != 1)
			return false;
		n++;
	}
	qsort(v, n, sizeof(*v), cmp_u32);
	for (size_t i = 0; i < n; i++) {
		char num[16], buf[16];
		const char *c;

		snprintf(num, sizeof(num), "%u", v[i]);
		c = bw_value_canon(f, num, buf, sizeof(buf));
		bw_pbuf_printf(b, "%s%s", i ? "," : "", c ? c : num);
	}
	return true;
}

/* An address prefix as nft lists it: the network (host bits cleared),
 * no length when it is the whole address.  False when r is none. */
static bool print_addr_prefix(struct bw_pbuf *b, const char *proto,
			      const char *field, const struct bw_ast_expr *r)
{
	const struct bw_field *f = bw_field_find(proto, field);
	char buf[INET6_ADDRSTRLEN], *end;
	uint8_t a[16];
	unsigned long len;
	int af;
	unsigned bits;

	if (!f || r->left->kind != BW_AE_ADDR || r->right->kind != BW_AE_NUMBER)
		return false;
	if (f->type == BW_T_IPV4_ADDR) {
		af = AF_INET;
		bits = 32;
	} else if (f->type == BW_T_IPV6_ADDR) {
		af = AF_INET6;
		bits = 128;
	} else {
		return false;
	}
	len = strtoul(r->right->text, &end, 10);
	if (*end || len > bits || inet_pton(af, r->left->text, a) != 1)
		return false;
	for (unsigned i = 0; i < bits / 8; i++) {
		unsigned keep = len > i * 8 ? len - i * 8 : 0;

		if (keep < 8)
			a[i] &= (uint8_t)(0xff00 >> keep);
	}
	if (!inet_ntop(af, a, buf, sizeof(buf)))
		return false;
	bw_pbuf_put(b, buf);
	if (len < bits)
		bw_pbuf_printf(b, "/%lu", len);
	return true;
}

/* The right side of a match on proto/field: values in nft's form, the
 * rest as bw_print_expr prints it. */
static void print_value(struct bw_pbuf *b, const char *proto,
			const char *field, const struct bw_ast_expr *e,
			const struct bw_sym *scope, bool range_end)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);
	bool first = true;

	if (!r) {
		bw_print_expr(b, e, scope);
		return;
	}
	switch (r->kind) {
	case BW_AE_NUMBER:
	case BW_AE_SYMBOL:
	case BW_AE_ADDR:
	case BW_AE_STRING:
		if (!canon_leaf(b, proto, field, r, range_end))
			bw_print_expr(b, r, scope);
		return;
	case BW_AE_RANGE:
		print_value(b, proto, field, r->left, scope, true);
		bw_pbuf_put(b, "-");
		print_value(b, proto, field, r->right, scope, true);
		return;
	case BW_AE_PREFIX:
		if (r->right->kind == BW_AE_SYMBOL)
			break;
		if (print_addr_prefix(b, proto, field, r))
			return;
		print_value(b, proto, field, r->left, scope, false);
		bw_pbuf_put(b, "/");
		bw_print_expr(b, r->right, scope);
		return;
	case BW_AE_SET:
		bw_pbuf_put(b, "{ ");
		set_values(b, proto, field, r, scope, &first);
		bw_pbuf_put(b, " }");
		return;
	case BW_AE_LIST:
		if (print_flags(b, proto, field, r, scope))
			return;
		break;
	case BW_AE_MAPELEM:
		print_value(b, proto, field, r->left, scope, false);
		bw_pbuf_put(b, " : ");
		bw_print_expr(b, r->right, scope);
		return;
	default:
		break;
	}
	bw_print_expr(b, r, scope);
}

static void set_values(struct bw_pbuf *b, const char *proto,
		       const char *field, const struct bw_ast_expr *set,
		       const struct bw_sym *scope, bool *first)
{
	for (const struct bw_ast_expr *e = set->elems; e; e = e->next) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *r = bw_sym_resolve(e, &sc);

		if (r && r->kind == BW_AE_SET) {
			set_values(b, proto, field, r, sc, first);
			continue;
		}
		bw_pbuf_put(b, *first ? "" : ", ");
		*first = false;
		print_value(b, proto, field, e, scope, false);
	}
}

/* The bits of a flag expression (syn, fin,syn, fin | syn, 0x12) of
 * field f into *v; false when it is something else. */
static bool flag_bits(const struct bw_field *f, const struct bw_ast_expr *e,
		      const struct bw_sym *scope, uint32_t *v)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);
	uint32_t x, y;

	if (!r)
		return false;
	switch (r->kind) {
	case BW_AE_SYMBOL:
	case BW_AE_NUMBER:
		if (bw_value_flag(f, r->text, &x))
			return false;
		*v |= x;
		return true;
	case BW_AE_OR:
		x = y = 0;
		if (!flag_bits(f, r->left, scope, &x) ||
		    !flag_bits(f, r->right, scope, &y))
			return false;
		*v |= x | y;
		return true;
	case BW_AE_LIST:
		for (const struct bw_ast_expr *l = r->elems; l; l = l->next)
			if (!flag_bits(f, l, scope, v))
				return false;
		return true;
	default:
		return false;
	}
}

/* Bits v of flag field f by name, lowest first, sep between them. */
static void put_bits(struct bw_pbuf *b, const struct bw_field *f, uint32_t v,
		     const char *sep)
{
	bool first = true;

	for (unsigned i = 0; i < 32; i++) {
		char num[16], buf[16];
		const char *c;

		if (!(v & 1u << i))
			continue;
		snprintf(num, sizeof(num), "%u", 1u << i);
		c = bw_value_canon(f, num, buf, sizeof(buf));
		bw_pbuf_printf(b, "%s%s", first ? "" : sep, c ? c : num);
		first = false;
	}
}

/* `v / m` (a PREFIX) or `a, b / c, d` (a LIST around one: the
 * elements before it and its left are the value, its right and those
 * after it the mask): their bits. */
static bool value_mask(const struct bw_field *f, const struct bw_ast_expr *r,
		       const struct bw_sym *scope, uint32_t *v, uint32_t *m)
{
	const struct bw_ast_expr *l;
	bool after = false;

	if (r->kind == BW_AE_PREFIX)
		return r->right->kind != BW_AE_NUMBER &&
		       flag_bits(f, r->left, scope, v) &&
		       flag_bits(f, r->right, scope, m);
	if (r->kind != BW_AE_LIST)
		return false;
	for (l = r->elems; l; l = l->next) {
		if (l->kind == BW_AE_PREFIX) {
			if (after || !flag_bits(f, l->left, scope, v) ||
			    !flag_bits(f, l->right, scope, m))
				return false;
			after = true;
		} else if (!flag_bits(f, l, scope, after ? m : v)) {
			return false;
		}
	}
	return after;
}

/* The masked forms of a flag field as nft lists them: `& m == v` for
 * `v / m` and `& m v`, `m` for `& m != 0`, `! m` for `& m == 0`.  False
 * when s is none of them. */
static bool print_flag_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			     const struct bw_sym *scope)
{
	const struct bw_field *f = bw_field_find(s->proto, s->field);
	const struct bw_sym *sc = scope;
	const struct bw_ast_expr *r = bw_sym_resolve(s->rhs, &sc);
	const struct bw_ast_expr *mexpr = s->mask, *vexpr = r;
	uint32_t m = 0, v = 0;
	enum bw_ast_op op = s->op;

	if (!f || s->cat || s->vmap || !r || bw_value_flag(f, "0", &v))
		return false;
	v = 0;
	if (op != BW_OP_IMPLICIT && op != BW_OP_EQ && op != BW_OP_NE)
		return false;
	if (!mexpr && !value_mask(f, r, sc, &v, &m))
		return false;
	if (mexpr && (!flag_bits(f, mexpr, scope, &m) || !flag_bits(f, vexpr, sc, &v)))
		return false;
	if (!m)
		return false;
	bw_pbuf_put(b, " ");
	if (f->type == BW_T_TCP_FLAG && m == 0xff) {	/* every bit: no mask */
		bw_pbuf_printf(b, "%s ", op == BW_OP_NE ? "!=" : "==");
		if (v == 0xff)
			bw_pbuf_put(b, "0xff");
		else if (v)
			put_bits(b, f, v, " | ");
		else
			bw_pbuf_put(b, "0");
		return true;
	}
	if (!v && s->mask) {
		bw_pbuf_put(b, op == BW_OP_NE ? "" : "! ");
		put_bits(b, f, m, ",");
		return true;
	}
	bw_pbuf_put(b, __builtin_popcount(m) > 1 ? "& (" : "& ");
	put_bits(b, f, m, " | ");
	bw_pbuf_printf(b, "%s %s ", __builtin_popcount(m) > 1 ? ")" : "",
		       op == BW_OP_NE ? "!=" : "==");
	if (v)
		put_bits(b, f, v, " | ");
	else
		bw_pbuf_put(b, "0");
	return true;
}

/* ---- anonymous interval sets ---- */

struct ival {
	uint8_t lo[BW_VAL_MAX], hi[BW_VAL_MAX];
};

struct ivals {
	struct ival *v;
	size_t n, cap;
	bool interval;		/* a range or a prefix among them */
};

static unsigned ival_size;	/* the field's bytes, for by_ival_lo */

static int by_ival_lo(const void *x, const void *y)
{
	return memcmp(((const struct ival *)x)->lo, ((const struct ival *)y)->lo,
		      ival_size);
}

/* The elements of set (nested sets and $sets flattened) as intervals of
 * f; false for anything else (a map element, a concatenation). */
static bool ivals_of(struct bw_eval *ev, const struct bw_field *f,
		     const struct bw_ast_expr *set, const struct bw_sym *scope,
		     struct ivals *out)
{
	for (const struct bw_ast_expr *e = set->elems; e; e = e->next) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *r = bw_sym_resolve(e, &sc);

		if (!r)
			return false;
		if (r->kind == BW_AE_SET) {
			if (!ivals_of(ev, f, r, sc, out))
				return false;
			continue;
		}
		if (r->kind != BW_AE_NUMBER && r->kind != BW_AE_SYMBOL &&
		    r->kind != BW_AE_ADDR && r->kind != BW_AE_RANGE &&
		    r->kind != BW_AE_PREFIX)
			return false;
		out->interval |= r->kind == BW_AE_RANGE || r->kind == BW_AE_PREFIX;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 16;
			struct ival *v = realloc(out->v, cap * sizeof(*v));

			if (!v)
				return false;
			out->v = v;
			out->cap = cap;
		}
		if (bw_eval_range(ev, f, r, sc, out->v[out->n].lo, out->v[out->n].hi))
			return false;
		out->n++;
	}
	return true;
}

/* Does the interval ending at hi reach lo (overlap or touch)? */
static bool reaches(const uint8_t *hi, const uint8_t *lo, unsigned n)
{
	uint8_t next[BW_VAL_MAX];
	int i;

	if (memcmp(lo, hi, n) <= 0)
		return true;
	memcpy(next, hi, n);
	for (i = (int)n - 1; i >= 0 && ++next[i] == 0; i--)
		;
	return i >= 0 && !memcmp(next, lo, n);
}

/* An anonymous set with a range or a prefix in it is an interval set in
 * nf_tables, which nft lists sorted, overlapping and adjacent elements
 * joined: { 33-55, 56-88 } as { 33-88 }; a set of one element is a plain
 * compare.  false (nothing printed) for other sets, and for fields whose
 * values are not numbers or addresses. */
static bool interval_set(struct bw_pbuf *b, const struct bw_field *f,
			 const struct bw_ast_expr *set, const struct bw_sym *scope)
{
	struct ivals iv = { 0 };
	struct bw_diags d;
	struct bw_eval ev = { .d = &d };
	size_t out = 0;
	bool ok;

	if (f->type != BW_T_INTEGER && f->type != BW_T_BE_INTEGER &&
	    f->type != BW_T_IPV4_ADDR && f->type != BW_T_IPV6_ADDR &&
	    f->type != BW_T_INET_SERVICE && f->type != BW_T_ETHER_ADDR)
		return false;
	bw_diags_init(&d);
	ok = ivals_of(&ev, f, set, scope, &iv) && iv.n;
	bw_diags_fini(&d);
	if (ok && iv.n == 1) {
		/* nft makes a set of one element a plain compare */
		bw_print_interval(b, f, iv.v[0].lo, iv.v[0].hi);
		free(iv.v);
		return true;
	}
	if (!ok || !iv.interval) {
		free(iv.v);
		return false;
	}
	ival_size = f->size;
	qsort(iv.v, iv.n, sizeof(*iv.v), by_ival_lo);
	for (size_t i = 1; i < iv.n; i++) {
		struct ival *c = &iv.v[out];

		if (reaches(c->hi, iv.v[i].lo, f->size)) {
			if (memcmp(iv.v[i].hi, c->hi, f->size) > 0)
				memcpy(c->hi, iv.v[i].hi, f->size);
		} else {
			iv.v[++out] = iv.v[i];
		}
	}
	bw_pbuf_put(b, "{ ");
	for (size_t i = 0; i <= out; i++) {
		bw_pbuf_put(b, i ? ", " : "");
		bw_print_interval(b, f, iv.v[i].lo, iv.v[i].hi);
	}
	bw_pbuf_put(b, " }");
	free(iv.v);
	return true;
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

static void print_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
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
	if (!s->mask && s->op == BW_OP_IMPLICIT && int_prefix(b, f, r))
		return;
	if (s->vmap) {
		bw_pbuf_put(b, " vmap ");
		if (s->cat)
			bw_print_expr(b, s->rhs, scope);
		else
			print_value(b, s->proto, s->field, s->rhs, scope, false);
		return;
	}
	if (s->mask && s->mask_op == BW_MASK_XOR && xor_folded(b, s, f, scope))
		return;
	if (s->mask && addr_mask_prefix(b, s, f, scope))
		return;
	if ((!s->mask || s->mask_op == BW_MASK_AND) &&
	    print_flag_match(b, s, scope))
		return;
	if (s->mask) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *m = bw_sym_resolve(s->mask, &sc);
		/* `& a | b` would read as `(& a) | b`: keep it grouped */
		bool group = m && m->kind == BW_AE_OR && !m->paren;

		bw_pbuf_printf(b, " %s %s", s->mask_op == BW_MASK_OR ? "|" :
			       s->mask_op == BW_MASK_XOR ? "^" : "&",
			       group ? "(" : "");
		if (!v4_number(b, f, m))
			print_value(b, s->proto, s->field, s->mask, scope, false);
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
	if (s->mask && v4_number(b, f, r))
		;
	else if (s->cat)
		bw_print_expr(b, s->rhs, scope);
	else if (s->mask || !f || !r || r->kind != BW_AE_SET ||
		 !interval_set(b, f, r, rs))
		print_value(b, s->proto, s->field, s->rhs, scope, false);
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
	print_match(b, &t, scope);
}

/* ---- dependencies nft does not list ---- */

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
static const char *raw_port_name(const struct bw_ast_item *rule,
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
static bool implied_dep(const struct bw_ast_stmt *s, const struct bw_sym *scope,
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
static unsigned l3_of(const struct bw_ast_stmt *s, const struct bw_sym *scope,
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
static void print_reject(struct bw_pbuf *b, const struct bw_ast_stmt *s,
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
static bool print_ct_generic(struct bw_pbuf *b, const struct bw_ast_stmt *s,
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
	print_match(b, &t, scope);
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
static void print_implicit(struct bw_pbuf *b, const struct bw_ast_item *rule,
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
	uint32_t ndup = 0, nfwd = 0;
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
			l3 = l3_of(s, scope, fam);
		print_implicit(b, rule, s, fam, scope, &sep);
		if (implied_dep(s, scope, fam))
			continue;
		bw_pbuf_put(b, sep);
		sep = " ";
		switch (s->kind) {
		case BW_AS_MATCH:
			if (raw_port_name(rule, s, scope, fam, rawname, sizeof(rawname)))
				bw_rawpay_print_match(b, s, scope, rawname);
			else if ((fam == BW_FAMILY_ARP || (fam == BW_FAMILY_NETDEV &&
				  bw_hdrset_arp_said(rule, s))) &&
				 bw_hdrset_print_raw(b, s, scope))
				;	/* @nh,192,32: arp daddr ip */
			else if (fam == BW_FAMILY_IP6 && !strcmp(s->proto, "rt") &&
				 !strcmp(s->field, "nexthop") && !s->cat)
				print_rt6_nexthop(b, s, scope);
			else if (print_ct_generic(b, s, scope, fam, l3))
				;
			else
				print_match(b, s, scope);
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
			print_log_flags(b, s->log_flags);
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
			print_reject(b, s, scope, fam, l3);
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
