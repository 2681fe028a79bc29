// SPDX-License-Identifier: GPL-2.0-only
/*
 * Named stateful objects and their uses (objects.h): evaluation into the
 * IR, and the listing nft prints for them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <netinet/in.h>

/* nf_tables' family numbers (linux/netfilter.h) */
enum { NFPROTO_INET = 1, NFPROTO_IPV4 = 2, NFPROTO_IPV6 = 10 };

#include "objects.h"
#include "nfnetdev.h"
#include "fields.h"
#include "synproxy.h"
#include "settimeout.h"

static const struct {
	const char *name;
	uint8_t kind;
} kinds[] = {
	{ "counter", BW_OBJ_COUNTER }, { "quota", BW_OBJ_QUOTA },
	{ "limit", BW_OBJ_LIMIT }, { "ct helper", BW_OBJ_CT_HELPER },
	{ "ct timeout", BW_OBJ_CT_TIMEOUT }, { "ct expectation", BW_OBJ_CT_EXPECT },
	{ "synproxy", BW_OBJ_SYNPROXY },
};

const char *bw_obj_kind_name(uint8_t kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return NULL;
}

static uint8_t kind_of(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, name))
			return kinds[i].kind;
	return 0;
}

/* the kernel's state order (nf_conntrack's TCP_CONNTRACK_*, UDP_CT_*) */
static const char *const tcp_states[] = {
	"syn_sent", "syn_recv", "established", "fin_wait", "close_wait",
	"last_ack", "time_wait", "close", "syn_sent2", "retrans",
	"unacknowledged",
};
static const char *const udp_states[] = { "unreplied", "replied" };
/* the kernel's defaults, which nft sends for the states not given (and
 * does not list) */
static const uint32_t tcp_dflt[] = {
	120, 60, 432000, 120, 60, 30, 120, 10, 120, 300, 300,
};
static const uint32_t udp_dflt[] = { 30, 120 };

const char *const *bw_obj_timeout_states(uint8_t l4, uint32_t *n)
{
	if (l4 == IPPROTO_TCP) {
		*n = sizeof(tcp_states) / sizeof(tcp_states[0]);
		return tcp_states;
	}
	if (l4 == IPPROTO_UDP) {
		*n = sizeof(udp_states) / sizeof(udp_states[0]);
		return udp_states;
	}
	*n = 0;
	return NULL;
}

static void *grow(struct bw_eval *ev, void *p, uint32_t n, size_t size)
{
	void *v = reallocarray(p, n + 1, size);

	if (!v)
		ev->oom = true;
	return v;
}

/* ---- definitions ---- */

static int l4proto(struct bw_eval *ev, const struct bw_ast_expr *v, uint8_t *out)
{
	if (!strcmp(v->text, "tcp"))
		*out = IPPROTO_TCP;
	else if (!strcmp(v->text, "udp"))
		*out = IPPROTO_UDP;
	else if (!strcmp(v->text, "dccp"))
		*out = IPPROTO_DCCP;
	else if (!strcmp(v->text, "sctp"))
		*out = IPPROTO_SCTP;
	else if (!strcmp(v->text, "udplite"))
		*out = IPPROTO_UDPLITE;
	else
		return bw_eval_error(ev, &v->loc, "unknown protocol \"%s\" (tcp, udp, dccp, sctp, udplite)",
				     v->text);
	return 0;
}

/* l3proto ip|ip6|inet, which must fit the table's family (as nft). */
static int l3proto(struct bw_eval *ev, const struct bw_ast_expr *v, uint8_t *out)
{
	uint8_t p;

	if (!strcmp(v->text, "ip"))
		p = NFPROTO_IPV4;
	else if (!strcmp(v->text, "ip6"))
		p = NFPROTO_IPV6;
	else if (!strcmp(v->text, "inet"))
		p = NFPROTO_INET;
	else
		return bw_eval_error(ev, &v->loc, "unknown l3proto \"%s\" (ip, ip6, inet)", v->text);
	if ((ev->family == BW_FAMILY_IP && p != NFPROTO_IPV4) ||
	    (ev->family == BW_FAMILY_IP6 && p != NFPROTO_IPV6))
		return bw_eval_error(ev, &v->loc, "l3proto %s does not fit table family %s",
				     v->text, bw_family_name(ev->family));
	*out = p;
	return 0;
}

/* A time: 2m, 10s, 1h30m, 500ms, or plain seconds; in ms. */
static int time_ms(struct bw_eval *ev, const struct bw_ast_expr *v, uint64_t *out)
{
	const char *p = v->text;
	uint64_t ms = 0;
	uint32_t ms32;

	if (v->kind == BW_AE_NUMBER) {
		if (bw_eval_number(p, &ms) || ms > UINT32_MAX / 1000)
			return bw_eval_error(ev, &v->loc, "invalid time %s", p);
		*out = ms * 1000;
		return 0;
	}
	/* nft's time form, as a set's timeout (settimeout.c) */
	switch (bw_settimeout_parse(p, &ms32)) {
	case 0:
		break;
	case -ERANGE:
		return bw_eval_error(ev, &v->loc, "time \"%s\" too large", v->text);
	default:
		return bw_eval_error(ev, &v->loc, "invalid time \"%s\"", v->text);
	}
	*out = ms32;
	return 0;
}

static int timeout_policy(struct bw_eval *ev, struct bw_ir_obj *o,
			  const struct bw_ast_expr *set)
{
	const char *const *names;
	uint32_t n;

	if (!o->l4proto)
		return bw_eval_error(ev, &set->loc, "the protocol comes before the policy");
	names = bw_obj_timeout_states(o->l4proto, &n);
	if (!names)
		return bw_eval_error(ev, &set->loc, "no timeout policy for this protocol (tcp, udp)");
	for (uint32_t i = 0; i < n; i++)
		o->policy[i] = o->l4proto == IPPROTO_TCP ? tcp_dflt[i] : udp_dflt[i];
	if (set->kind != BW_AE_SET)
		return bw_eval_error(ev, &set->loc, "a policy is { STATE : SECONDS, ... }");
	for (const struct bw_ast_expr *e = set->elems; e; e = e->next) {
		uint64_t v;
		uint32_t i;

		if (e->kind != BW_AE_MAPELEM || e->left->kind != BW_AE_SYMBOL ||
		    e->right->kind != BW_AE_NUMBER)
			return bw_eval_error(ev, &e->loc, "a policy is { STATE : SECONDS, ... }");
		for (i = 0; i < n && strcmp(names[i], e->left->text); i++)
			;
		if (i == n)
			return bw_eval_error(ev, &e->left->loc, "unknown %s timeout state \"%s\"",
					     o->l4proto == IPPROTO_TCP ? "tcp" : "udp",
					     e->left->text);
		if (bw_eval_number(e->right->text, &v) || v > UINT32_MAX)
			return bw_eval_error(ev, &e->right->loc, "invalid timeout %s",
					     e->right->text);
		o->policy[i] = (uint32_t)v;
		o->policy_set |= 1u << i;
	}
	return 0;
}

static int ct_attrs(struct bw_eval *ev, struct bw_ir_obj *o,
		    const struct bw_ast_item *it)
{
	bool type = false, proto = false, dport = false, timeout = false, size = false;

	for (const struct bw_ast_expr *a = it->obj_attrs ? it->obj_attrs->elems : NULL;
	     a; a = a->next) {
		const char *k = a->left->text;
		const struct bw_ast_expr *v = a->right;
		uint64_t n;

		if (!strcmp(k, "type") && o->kind == BW_OBJ_CT_HELPER) {
			if (strlen(v->text) >= sizeof(o->helper) || !*v->text)
				return bw_eval_error(ev, &v->loc, "invalid helper type \"%s\"", v->text);
			strcpy(o->helper, v->text);
			type = true;
		} else if (!strcmp(k, "protocol")) {
			if (v->kind != BW_AE_SYMBOL || l4proto(ev, v, &o->l4proto))
				return v->kind != BW_AE_SYMBOL ?
				       bw_eval_error(ev, &v->loc, "unknown protocol \"%s\"", v->text) :
				       -EINVAL;
			proto = true;
		} else if (!strcmp(k, "l3proto")) {
			if (l3proto(ev, v, &o->l3proto))
				return -EINVAL;
		} else if (!strcmp(k, "policy") && o->kind == BW_OBJ_CT_TIMEOUT) {
			if (timeout_policy(ev, o, v))
				return -EINVAL;
		} else if (!strcmp(k, "dport") && o->kind == BW_OBJ_CT_EXPECT) {
			if (v->kind != BW_AE_NUMBER || bw_eval_number(v->text, &n) || n > 65535)
				return bw_eval_error(ev, &v->loc, "invalid port %s", v->text);
			o->dport = (uint16_t)n;
			dport = true;
		} else if (!strcmp(k, "timeout") && o->kind == BW_OBJ_CT_EXPECT) {
			if (time_ms(ev, v, &n))
				return -EINVAL;
			o->timeout_ms = (uint32_t)n;
			timeout = true;
		} else if (!strcmp(k, "size") && o->kind == BW_OBJ_CT_EXPECT) {
			if (bw_eval_number(v->text, &n) || n > 255)
				return bw_eval_error(ev, &v->loc, "invalid size %s (at most 255)", v->text);
			o->size = (uint8_t)n;
			size = true;
		} else {
			return bw_eval_error(ev, &a->left->loc, "%s takes no \"%s\"",
					     it->obj_type, k);
		}
	}
	if (!proto)
		return bw_eval_error(ev, &it->obj_ident_loc, "%s %s needs a protocol",
				     it->obj_type, it->obj_ident);
	if (o->kind == BW_OBJ_CT_HELPER && !type)
		return bw_eval_error(ev, &it->obj_ident_loc, "ct helper %s needs a type (type \"ftp\" protocol tcp)",
				     it->obj_ident);
	if (o->kind == BW_OBJ_CT_EXPECT && (!dport || !timeout || !size))
		return bw_eval_error(ev, &it->obj_ident_loc, "ct expectation %s needs %s",
				     it->obj_ident, !dport ? "a dport" : !timeout ?
				     "a timeout" : "a size");
	if (o->kind == BW_OBJ_CT_TIMEOUT && !bw_obj_timeout_states(o->l4proto, &(uint32_t){ 0 }))
		return bw_eval_error(ev, &it->obj_ident_loc, "ct timeout %s: bpfwall knows the timeout states of tcp and udp only",
				     it->obj_ident);
	if (o->kind == BW_OBJ_CT_TIMEOUT && !o->policy_set) {
		/* no policy: the kernel's defaults, all of them */
		uint32_t n;

		bw_obj_timeout_states(o->l4proto, &n);
		for (uint32_t i = 0; i < n; i++)
			o->policy[i] = o->l4proto == IPPROTO_TCP ? tcp_dflt[i] : udp_dflt[i];
	}
	if (!o->l3proto)
		o->l3proto = ev->family == BW_FAMILY_IP6 ? NFPROTO_IPV6 :
			     ev->family == BW_FAMILY_INET ? NFPROTO_INET : NFPROTO_IPV4;
	return 0;
}

/* ---- listing ---- */

static void print_bytes(struct bw_pbuf *b, uint64_t n)
{
	static const char *const units[] = { "bytes", "kbytes", "mbytes" };
	size_t u = 0;

	while (u + 1 < sizeof(units) / sizeof(units[0]) && n >= 1024 && !(n % 1024)) {
		n /= 1024;
		u++;
	}
	bw_pbuf_printf(b, "%llu %s", (unsigned long long)n, units[u]);
}

void bw_print_obj_state(struct bw_pbuf *b, uint8_t kind, uint64_t v1,
			uint64_t v2, bool over)
{
	if (kind == BW_OBJ_COUNTER) {
		bw_pbuf_printf(b, "packets %llu bytes %llu", (unsigned long long)v1,
			       (unsigned long long)v2);
		return;
	}
	if (over)
		bw_pbuf_put(b, "over ");
	print_bytes(b, v1);
	if (v2) {
		bw_pbuf_put(b, " used ");
		print_bytes(b, v2);
	}
}

static const char *l3_name(uint8_t p)
{
	return p == NFPROTO_IPV6 ? "ip6" : p == NFPROTO_INET ? "inet" : "ip";
}

static const char *l4_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_DCCP: return "dccp";
	case IPPROTO_SCTP: return "sctp";
	default: return "udplite";
	}
}

static void print_obj(struct bw_pbuf *b, const struct bw_ir *ir,
		      const struct bw_ir_obj *o, const struct bw_ast_item *it)
{
	bw_pbuf_printf(b, "\t%s %s {\n\t\t", bw_obj_kind_name(o->kind), o->name);
	switch (o->kind) {
	case BW_OBJ_COUNTER:
		/* the state, which list ruleset reads from nf_tables */
		bw_pbuf_printf(b, "\x1d%s %s counter %s\x1d",
			       bw_family_name((enum bw_family)o->family), o->table, o->name);
		bw_print_obj_state(b, o->kind, o->packets, o->bytes, false);
		bw_pbuf_put(b, "\x1d");
		break;
	case BW_OBJ_QUOTA: {
		const struct bw_ir_quota *q = &ir->quota[o->index];

		bw_pbuf_printf(b, "\x1d%s %s quota %s\x1d",
			       bw_family_name((enum bw_family)o->family), o->table, o->name);
		bw_print_obj_state(b, o->kind, q->bytes, q->used, q->over);
		bw_pbuf_put(b, "\x1d");
		break;
	}
	case BW_OBJ_LIMIT: {
		const struct bw_ir_limit *l = &ir->limit[o->index];
		const struct bw_ast_stmt *s = it->obj_stmt;

		bw_pbuf_printf(b, "rate %s", l->over ? "over " : "");
		if (l->bytes) {
			print_bytes(b, l->rate);
			bw_pbuf_printf(b, "/%s", s->rate_unit->text);
			if (l->burst) {
				bw_pbuf_put(b, " burst ");
				print_bytes(b, l->burst);
			}
		} else {
			uint64_t burst = l->cost ? l->slack / l->cost + 1 : 5;

			bw_pbuf_printf(b, "%s/%s", s->rate->text, s->rate_unit->text);
			if (burst != 5)
				bw_pbuf_printf(b, " burst %llu packets",
					       (unsigned long long)burst);
		}
		break;
	}
	case BW_OBJ_CT_HELPER:
		bw_pbuf_printf(b, "type \"%s\" protocol %s\n\t\tl3proto %s", o->helper,
			       l4_name(o->l4proto), l3_name(o->l3proto));
		break;
	case BW_OBJ_CT_TIMEOUT: {
		const char *const *names;
		const char *sep = "";
		uint32_t n;

		bw_pbuf_printf(b, "protocol %s\n\t\tl3proto %s",
			       l4_name(o->l4proto), l3_name(o->l3proto));
		/* the states not at the kernel's default (nft lists an empty
		 * policy = { } when there are none, which it cannot read
		 * again: none is left out) */
		names = bw_obj_timeout_states(o->l4proto, &n);
		for (uint32_t i = 0; names && i < n; i++)
			if (o->policy[i] != (o->l4proto == IPPROTO_TCP ? tcp_dflt[i] :
					     udp_dflt[i])) {
				bw_pbuf_printf(b, "%s%s : %u", *sep ? sep : "\n\t\tpolicy = { ",
					       names[i], o->policy[i]);
				sep = ", ";
			}
		if (*sep)
			bw_pbuf_put(b, " }");
		break;
	}
	case BW_OBJ_CT_EXPECT:
		bw_pbuf_printf(b, "protocol %s\n\t\tdport %u\n\t\ttimeout ",
			       l4_name(o->l4proto), o->dport);
		bw_settimeout_print(b, o->timeout_ms);	/* nft's time form */
		bw_pbuf_printf(b, "\n\t\tsize %u\n\t\tl3proto %s", o->size,
			       l3_name(o->l3proto));
		break;
	case BW_OBJ_SYNPROXY:
		bw_print_synproxy_obj(b, &ir->synproxy[o->index], "\t\t");
		break;
	}
	bw_pbuf_put(b, "\n\t}\n\n");
}

int bw_eval_obj_def(struct bw_eval *ev, const struct bw_ast_item *it,
		    const struct bw_sym *scope, struct bw_pbuf *b)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_obj o = { .kind = kind_of(it->obj_type), .family = ev->family,
			       .loc = it->loc }, *v;
	uint64_t n;

	(void)scope;
	if (!o.kind)
		return bw_eval_error(ev, &it->obj_type_loc, "unknown object type \"%s\"",
				     it->obj_type);
	for (uint32_t i = 0; i < ir->nobj; i++)
		if (ir->obj[i].kind == o.kind && ir->obj[i].family == ev->family &&
		    !strcmp(ir->obj[i].table, ev->table) &&
		    !strcmp(ir->obj[i].name, it->obj_ident))
			return bw_eval_error(ev, &it->obj_ident_loc, "%s %s is defined twice in table %s %s",
					     it->obj_type, it->obj_ident,
					     bw_family_name(ev->family), ev->table);
	switch (o.kind) {
	case BW_OBJ_COUNTER:
		if (it->obj_stmt &&
		    (bw_eval_number(it->obj_stmt->packets->text, &o.packets) ||
		     bw_eval_number(it->obj_stmt->bytes->text, &o.bytes)))
			return bw_eval_error(ev, &it->obj_stmt->loc, "invalid counter values");
		break;
	case BW_OBJ_QUOTA:
		if (bw_eval_quota(ev, it->obj_stmt, &o.index))
			return -EINVAL;
		break;
	case BW_OBJ_LIMIT:
		if (bw_eval_limit(ev, it->obj_stmt, &o.index))
			return -EINVAL;
		break;
	case BW_OBJ_SYNPROXY:
		if (bw_eval_synproxy_opts(ev, it->obj_stmt, &o.index))
			return -EINVAL;
		break;
	default:
		if (ct_attrs(ev, &o, it))
			return -EINVAL;
		break;
	}
	(void)n;
	v = grow(ev, ir->obj, ir->nobj, sizeof(*v));
	if (!v)
		return -ENOMEM;
	ir->obj = v;
	o.table = strdup(ev->table);
	o.name = strdup(it->obj_ident);
	if (!o.table || !o.name) {
		free(o.table);
		free(o.name);
		ev->oom = true;
		return -ENOMEM;
	}
	ir->obj[ir->nobj++] = o;
	print_obj(b, ir, &ir->obj[ir->nobj - 1], it);
	return 0;
}

/* ---- uses ---- */

/* The object of kind named name in the table being read, or an error
 * at loc (UINT32_MAX). */
static uint32_t find(struct bw_eval *ev, uint8_t kind, const char *name,
		     const struct bw_loc *loc)
{
	struct bw_ir *ir = ev->ir;

	for (uint32_t i = 0; i < ir->nobj; i++)
		if (ir->obj[i].kind == kind && ir->obj[i].family == ev->family &&
		    !strcmp(ir->obj[i].table, ev->table) && !strcmp(ir->obj[i].name, name))
			return i;
	for (uint32_t i = 0; i < ir->nobj; i++)
		if (ir->obj[i].family == ev->family &&
		    !strcmp(ir->obj[i].table, ev->table) && !strcmp(ir->obj[i].name, name)) {
			bw_eval_error(ev, loc, "\"%s\" is a %s, not a %s", name,
				      bw_obj_kind_name(ir->obj[i].kind),
				      bw_obj_kind_name(kind));
			return UINT32_MAX;
		}
	bw_eval_error(ev, loc, "unknown %s \"%s\" in table %s %s", bw_obj_kind_name(kind),
		      name, bw_family_name(ev->family), ev->table);
	return UINT32_MAX;
}

static int nft_chain(struct bw_eval *ev, const struct bw_ast_stmt *s,
		     const struct bw_ir_chain *ch, const char *what)
{
	if (ch->family != BW_FAMILY_NETDEV || bw_nfnetdev_mark(ev, &s->loc))
		return 0;	/* netdev: nf_tables' netdev family runs it */
	return bw_eval_error(ev, &s->loc, "%s runs in nf_tables, for inet, ip and ip6 chains only (in netdev chains, at XDP and TC, it is not supported)",
			     what);
}

/* An object map: the lookup of s->obj_key in the map s->obj_map, whose
 * values name objects of kind. */
static int objmap(struct bw_eval *ev, struct bw_proto_state *ps,
		  const struct bw_ast_stmt *s, const struct bw_sym *scope,
		  uint8_t kind, struct bw_ir_match *out)
{
	const struct bw_ast_expr *m = s->obj_map;
	struct bw_ast_stmt t = { .kind = BW_AS_MATCH };
	struct bw_ast_expr accept = { .kind = BW_AE_VERDICT, .text = "accept" };
	struct bw_ast_expr set, *el;
	uint32_t n = 0, i = 0;
	struct bw_ir_set *is;
	int rc;

	if (m->kind != BW_AE_SET)
		return bw_eval_error(ev, &m->loc, "an object map is { KEY : \"NAME\", ... }");
	for (const struct bw_ast_expr *e = m->elems; e; e = e->next) {
		if (e->kind != BW_AE_MAPELEM || (e->right->kind != BW_AE_STRING &&
						 e->right->kind != BW_AE_SYMBOL))
			return bw_eval_error(ev, &e->loc, "an object map's element is KEY : \"NAME\"");
		n++;
	}
	/* the set of keys, each with a placeholder verdict (the lookup
	 * evaluates a vmap); the objects are put in below */
	el = calloc(n ? n : 1, sizeof(*el));
	if (!el) {
		ev->oom = true;
		return -ENOMEM;
	}
	set = *m;
	set.elems = set.elems_last = NULL;
	for (const struct bw_ast_expr *e = m->elems; e; e = e->next, i++) {
		el[i] = *e;
		el[i].right = &accept;
		el[i].next = NULL;
		if (i)
			el[i - 1].next = &el[i];
	}
	set.elems = n ? el : NULL;
	set.elems_last = n ? &el[n - 1] : NULL;
	t.loc = s->loc;
	t.proto = s->obj_key->proto;
	t.field = s->obj_key->field;
	t.proto_loc = s->obj_key->proto_loc;
	t.field_loc = s->obj_key->field_loc;
	t.proto_implicit = s->obj_key->implicit;
	t.cat = s->obj_key->next;
	t.rhs = &set;
	t.vmap = true;
	rc = bw_eval_lookup(ev, ps, &t, scope, out);
	free(el);
	if (rc)
		return rc;
	is = &ev->ir->set[out->set];
	is->map = false;
	is->objtype = kind;
	for (uint32_t k = 0; k < is->nelem; k++) {
		const struct bw_ast_expr *e;
		uint32_t o;

		for (e = m->elems; e && memcmp(&e->loc, &is->elem[k].loc, sizeof(e->loc));
		     e = e->next)
			;
		if (!e)
			return bw_eval_error(ev, &m->loc, "internal error: an object map's element got lost");
		o = find(ev, kind, e->right->text, &e->right->loc);
		if (o == UINT32_MAX)
			return -EINVAL;
		is->elem[k].verdict = BW_VERDICT_CONTINUE;
		is->elem[k].target = o;
	}
	return 0;
}

int bw_eval_objref(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_objref r = { .kind = kind_of(s->obj_kind), .obj = UINT32_MAX },
			    *v;

	if (!r.kind)
		return bw_eval_error(ev, &s->loc, "unknown object type \"%s\"", s->obj_kind);
	if (nft_chain(ev, s, ch, "a named object"))
		return -EINVAL;
	if (r.kind == BW_OBJ_SYNPROXY && bw_synproxy_chain_ok(ev, s, ch))
		return -EINVAL;
	if (s->obj_name) {
		r.obj = find(ev, r.kind, s->obj_name->text, &s->obj_name->loc);
		if (r.obj == UINT32_MAX)
			return -EINVAL;
	} else if (objmap(ev, ps, s, scope, r.kind, &r.map)) {
		return -EINVAL;
	}
	v = grow(ev, ir->objref, ir->nobjref, sizeof(*v));
	if (!v) {
		free(r.map.elem);
		return -ENOMEM;
	}
	ir->objref = v;
	ir->objref[ir->nobjref] = r;
	*index = ir->nobjref++;
	return 0;
}

int bw_eval_last(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_ir_chain *ch, uint32_t *index)
{
	uint64_t ms;

	if (nft_chain(ev, s, ch, "last"))
		return -EINVAL;
	*index = 0;
	if (!s->last_used || !strcmp(s->last_used->text, "never"))
		return 0;
	if (time_ms(ev, s->last_used, &ms))
		return -EINVAL;
	if (ms >= UINT32_MAX)
		return bw_eval_error(ev, &s->last_used->loc, "time too large");
	*index = (uint32_t)ms + 1;
	return 0;
}

void bw_print_objref(struct bw_pbuf *b, const struct bw_ast_stmt *s,
		     const struct bw_sym *scope)
{
	const char *sep = "";

	if (s->kind == BW_AS_LAST) {
		/* as nft lists it without its state (nft -s) */
		bw_pbuf_put(b, "last");
		return;
	}
	if (!strncmp(s->obj_kind, "ct ", 3))
		bw_pbuf_printf(b, "%s set ", s->obj_kind);
	else
		bw_pbuf_printf(b, "%s name ", s->obj_kind);
	if (s->obj_name) {
		bw_pbuf_printf(b, "\"%s\"", s->obj_name->text);
		return;
	}
	for (const struct bw_ast_fref *f = s->obj_key; f; f = f->next) {
		if (f->implicit)
			bw_pbuf_printf(b, "%s%s", sep, f->field);
		else
			bw_pbuf_printf(b, "%s%s %s", sep, f->proto, f->field);
		sep = " . ";
	}
	bw_pbuf_put(b, " map { ");
	sep = "";
	for (const struct bw_ast_expr *e = s->obj_map->elems; e; e = e->next) {
		bw_pbuf_put(b, sep);
		bw_print_expr(b, e->left, scope);
		bw_pbuf_printf(b, " : \"%s\"", e->right->text);
		sep = ", ";
	}
	bw_pbuf_put(b, " }");
}
