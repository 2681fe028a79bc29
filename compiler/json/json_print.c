// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ruleset as nft's JSON (libnftables-json(5)), the shape and key order
 * nft 1.0.6 prints for `nft -j list ruleset`: metainfo, then per table the
 * table, its sets and maps, its chains, then the rules chain by chain.
 * Input: the normalized ruleset text (what `list ruleset` prints), parsed
 * into the AST again; nothing here knows the IR.
 *
 * Contract for new forms (other branches add statements and fields):
 *   - a field needs nothing here when its proto is "meta" or "ct" (printed
 *     {"meta"/"ct": {"key": F}}) or a header ({"payload": {"protocol": P,
 *     "field": F}}); another kind of left-hand side is one row in lhs_kinds[];
 *   - a value type prints by enum bw_type: one row in types[] (its nft
 *     type name and whether values are numbers, names or flag lists);
 *   - a statement kind is one row in stmts[] (its printer); a kind with no
 *     row is refused with its name (bw_json_print_ruleset fails), never
 *     dropped.
 * grammar/json_parse.c holds the same tables for the other direction.
 *
 * bpfwall's text keeps no difference between `tcp dport 0x1600/8` and
 * `tcp dport & 0xff00 == 0x1600`; nft lists the first as a prefix (it
 * loads the one byte) and the second with "&": both print as the prefix.
 *
 * Differences from nft 1.0.6, on purpose: netdev base chains carry "dev"
 * (nft 1.0.6 leaves it out, so its output cannot be loaded again), and a
 * chain's comment is printed ("comment" after "handle", as later nft does).
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "json.h"
#include "compiler/front/fwd.h"
#include "compiler/front/tunnel.h"
#include "compiler/front/prio.h"
#include "compiler/front/evaluate.h"
#include "compiler/front/valexpr.h"
#include "json_int.h"
#include "json_print_int.h"
#include "compiler/front/xfrm.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* ---- value types ---- */

static const struct type_row types[] = {
	{ BW_T_INTEGER, "integer", V_NUMBER },
	{ BW_T_BE_INTEGER, "integer", V_NUMBER },
	{ BW_T_IPV4_ADDR, "ipv4_addr", V_STRING },
	{ BW_T_IPV6_ADDR, "ipv6_addr", V_STRING },
	{ BW_T_ETHER_ADDR, "ether_addr", V_STRING },
	{ BW_T_INET_PROTO, "inet_proto", V_NAME },
	{ BW_T_INET_SERVICE, "inet_service", V_NUMBER },
	{ BW_T_NFPROTO, "nf_proto", V_NAME },
	{ BW_T_ETHER_TYPE, "ether_type", V_NAME },
	{ BW_T_TCP_FLAG, "tcp_flag", V_FLAGS },
	{ BW_T_ICMP_TYPE, "icmp_type", V_NAME },
	{ BW_T_ICMP6_TYPE, "icmpv6_type", V_NAME },
	{ BW_T_PKTTYPE, "pkt_type", V_NAME },
	{ BW_T_IFNAME, "ifname", V_STRING },
	{ BW_T_CT_STATE, "ct_state", V_FLAGS },
	{ BW_T_CT_DIR, "ct_dir", V_NAME },
	{ BW_T_CT_STATUS, "ct_status", V_FLAGS },
	{ BW_T_CT_LABEL, "ct_label", V_FLAGS },
	{ BW_T_STRING, "string", V_STRING },
	{ BW_T_DURATION, "time", V_NUMBER },
};

const struct type_row *bw_jp_type_row(enum bw_type t)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == t)
			return &types[i];
	return &types[0];
}

/* The type of a set's `type` word (NULL: unknown, printed as written). */
const struct type_row *bw_jp_type_by_nft_name(const char *name)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].nft, name))
			return &types[i];
	return NULL;
}

json_t *bw_jp_failf(struct jp *p, const struct bw_loc *loc, const char *fmt,
		    const char *what)
{
	if (!p->err) {
		bw_error(p->d, loc, fmt, what);
		p->err = -EINVAL;
	}
	return NULL;
}

/* ---- values ---- */

json_t *bw_jp_number(const char *s)
{
	unsigned long long v;
	char *end;

	v = strtoull(s, &end, 0);
	return *end ? json_string(s) : json_integer((json_int_t)v);
}

/* The name /etc/protocols gives protocol n (nft prints that one) when
 * bpfwall's language takes it too (else its own: hopopt for 0, which
 * /etc/protocols calls ip), so that the output loads again. */
static json_t *proto_name(unsigned long n)
{
	struct protoent *pe = getprotobynumber((int)n);
	const struct bw_field *f = bw_field(BW_F_META_L4PROTO);
	uint32_t v;

	if (pe && !bw_eval_value_of(f, pe->p_name, &v) && v == n)
		return json_string(pe->p_name);
	return bw_eval_proto_name((uint8_t)n) ? json_string(bw_eval_proto_name((uint8_t)n)) :
	       json_integer((json_int_t)n);
}

/* A field of type t, for the names of its values (NULL: none). */
const struct bw_field *bw_jp_type_field(const struct type_row *t)
{
	for (int i = 0; t && i < BW_F__MAX; i++)
		if (bw_field((enum bw_field_id)i)->type == t->type)
			return bw_field((enum bw_field_id)i);
	return NULL;
}

/* One value of type t (NULL: unknown, as written) of field f (NULL: the
 * first of that type): numbers that have a name print as the name. */
json_t *bw_jp_scalar(struct jp *p, const struct bw_ast_expr *e,
		     const struct type_row *t, const struct bw_field *f)
{
	if (!f)
		f = bw_jp_type_field(t);
	switch (e->kind) {
	case BW_AE_NUMBER: {
		char *end;
		unsigned long long v = strtoull(e->text, &end, 0);
		const char *n;

		/* past 64 bits (a raw payload of 128): the hex text */
		if (*end || v > INT64_MAX)
			return json_string(e->text);
		if (t && t->type == BW_T_INET_PROTO && v < 256)
			return proto_name((unsigned long)v);
		if (t && t->type == BW_T_ETHER_TYPE && v < 65536 &&
		    (n = bw_eval_ethertype_name((uint16_t)v)))
			return json_string(n);
		/* mptcp subtypes: numbers, which nft 1.0.6 (no names for
		 * them) and later load alike */
		if (f && f->id == BW_F_TCPOPT_MPTCP_SUBTYPE)
			return json_integer((json_int_t)v);
		if (f && t && t->type != BW_T_INET_SERVICE && v <= UINT32_MAX &&
		    (n = bw_eval_value_name(f, (uint32_t)v)))
			return json_string(n);
		return json_integer((json_int_t)v);
	}
	case BW_AE_SYMBOL:
		if (t && t->type == BW_T_DURATION && f) {	/* nft: seconds */
			uint8_t v[BW_VAL_MAX];

			if (!bw_value_time(f, e->text, false, v))
				return json_integer((json_int_t)((uint32_t)(v[0] << 24 | v[1] << 16 |
									   v[2] << 8 | v[3]) / 1000));
		}
		if (f && f->id == BW_F_TCPOPT_MPTCP_SUBTYPE)
			for (uint32_t n = 0; n < 16; n++)
				if (bw_eval_value_name(f, n) &&
				    !strcmp(bw_eval_value_name(f, n), e->text))
					return json_integer(n);
		if (t && t->type == BW_T_INET_SERVICE) {
			struct servent *se = getservbyname(e->text, NULL);

			if (se)
				return json_integer(ntohs((uint16_t)se->s_port));
		}
		if (t && t->type == BW_T_INET_PROTO) {
			struct protoent *pe = getprotobyname(e->text);

			if (pe)
				return proto_name((unsigned long)pe->p_proto);
			for (unsigned n = 0; n < 256; n++)	/* bpfwall's names */
				if (bw_eval_proto_name((uint8_t)n) &&
				    !strcmp(bw_eval_proto_name((uint8_t)n), e->text))
					return proto_name(n);
		}
		return json_string(e->text);
	case BW_AE_STRING:
	case BW_AE_ADDR:
		return json_string(e->text);
	case BW_AE_SETREF: {
		char buf[256];

		snprintf(buf, sizeof(buf), "@%s", e->text);
		return json_string(buf);
	}
	default:
		return bw_jp_failf(p, &e->loc, "JSON: this value has no JSON form in bpfwall%s", "");
	}
}


static void flags_into(json_t *a, const struct bw_ast_expr *e)
{
	if (e->kind == BW_AE_OR) {
		flags_into(a, e->left);
		flags_into(a, e->right);
	} else if (e->kind == BW_AE_LIST) {
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			flags_into(a, x);
	} else {
		json_array_append_new(a, json_string(e->text));
	}
}

/* a|b, a,b: a list of names; one name: a string. */
static json_t *flags(const struct bw_ast_expr *e)
{
	json_t *a;

	if (e->kind != BW_AE_OR && e->kind != BW_AE_LIST)
		return e->kind == BW_AE_NUMBER ? bw_jp_number(e->text) : json_string(e->text);
	a = json_array();
	flags_into(a, e);
	return a;
}

/* A set's flags as nft 1.0.6 prints them: without dynamic (a set that
 * rules change); NULL when none is left. */
json_t *bw_jp_set_flags_json(const struct bw_ast_expr *e)
{
	json_t *a = json_array(), *x;

	for (const struct bw_ast_expr *f = e->kind == BW_AE_LIST ? e->elems : e;
	     f; f = e->kind == BW_AE_LIST ? f->next : NULL)
		if (f->text && strcmp(f->text, "dynamic"))
			json_array_append_new(a, json_string(f->text));
	if (!json_array_size(a)) {
		json_decref(a);
		return NULL;
	}
	if (json_array_size(a) == 1 && e->kind != BW_AE_LIST) {
		x = json_incref(json_array_get(a, 0));
		json_decref(a);
		return x;
	}
	return a;
}

static json_t *verdict(const struct bw_ast_expr *e)
{
	json_t *o = json_object(), *t = json_null();

	if (e->right) {
		t = json_object();
		json_object_set_new(t, "target", json_string(e->right->text));
	}
	json_object_set_new(o, e->text, t);
	return o;
}

json_t *bw_jp_wrap(const char *key, json_t *v)
{
	json_t *o = json_object();

	json_object_set_new(o, key, v);
	return o;
}

json_t *bw_jp_value_of(struct jp *p, const struct bw_ast_expr *e,
		       const struct type_row *const *t, unsigned nt)
{
	const struct type_row *t0 = nt ? t[0] : NULL;
	json_t *a, *o;

	switch (e->kind) {
	case BW_AE_PREFIX:
		if (t0 && e->right->kind == BW_AE_NUMBER &&
		    strtoul(e->right->text, NULL, 0) ==
		    (t0->type == BW_T_IPV4_ADDR ? 32 : t0->type == BW_T_IPV6_ADDR ? 128 :
		     t0->type == BW_T_ETHER_ADDR ? 48 : 0))
			return bw_jp_value_of(p, e->left, t, nt);	/* nft: no /32 */
		o = json_object();
		json_object_set_new(o, "addr", bw_jp_value_of(p, e->left, t, nt));
		json_object_set_new(o, "len", bw_jp_number(e->right->text));
		return bw_jp_wrap("prefix", o);
	case BW_AE_RANGE:
		a = json_array();
		json_array_append_new(a, bw_jp_value_of(p, e->left, t, nt));
		json_array_append_new(a, bw_jp_value_of(p, e->right, t, nt));
		return bw_jp_wrap("range", a);
	case BW_AE_OR:
	case BW_AE_LIST:
		return flags(e);
	case BW_AE_SET:
		a = json_array();
		bw_jp_set_elems(p, a, e, t, nt, false, true);
		return bw_jp_wrap("set", a);
	case BW_AE_CONCAT: {
		unsigned i = 0;

		a = json_array();
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next, i++)
			json_array_append_new(a, bw_jp_value_of(p, x, i < nt ? t + i : NULL,
						       i < nt ? 1 : 0));
		return bw_jp_wrap("concat", a);
	}
	case BW_AE_MAPELEM:
		a = json_array();
		if (e->left->kind == BW_AE_SYMBOL && !strcmp(e->left->text, "*"))
			json_array_append_new(a, json_string("*"));	/* catch-all */
		else
			json_array_append_new(a, bw_jp_value_of(p, e->left, t, nt));
		json_array_append_new(a, bw_jp_value_of(p, e->right, NULL, 0));
		return a;
	case BW_AE_VERDICT:
		return verdict(e);
	case BW_AE_VAR:
		return bw_jp_failf(p, &e->loc, "JSON: $%s is not expanded", e->text);
	default:
		if (t0 && t0->shape == V_FLAGS && e->kind == BW_AE_SYMBOL)
			return json_string(e->text);
		if (e->kind == BW_AE_SYMBOL && (!strcmp(e->text, "exists") ||
						!strcmp(e->text, "missing")))
			return json_boolean(!strcmp(e->text, "exists"));
		/* nft's boolean (fib daddr check, exthdr X exists) */
		return bw_jp_scalar(p, e, t0, nt == 1 && t == p->field_t ? p->field : NULL);
	}
}

/* ---- left-hand sides: fields ---- */

enum lhs_shape {
	LK_KEY,			/* {"meta": {"key": F}} */
	LK_PAYLOAD,		/* {"payload": {"protocol": P, "field": F}} */
	LK_EXTHDR,		/* {"exthdr": {"name": P, "field": F}} */
	LK_EXISTS,		/* exthdr F exists: {"exthdr": {"name": F}} */
};

static const struct lhs_kind {
	const char *proto;		/* NULL: any other (a header) */
	const char *json;		/* "meta": {"meta": {"key": F}} */
	enum lhs_shape shape;
} lhs_kinds[] = {
	{ "meta", "meta", LK_KEY },
	{ "ct", "ct", LK_KEY },
	{ "socket", "socket", LK_KEY },
	{ "tunnel", "tunnel", LK_KEY },	/* tunnel path, tunnel id */
	/* IPv6 extension headers (and mh): nft's exthdr expression */
	{ "exthdr", "exthdr", LK_EXISTS },
	{ "hbh", "exthdr", LK_EXTHDR },
	{ "rt", "exthdr", LK_EXTHDR },
	{ "frag", "exthdr", LK_EXTHDR },
	{ "dst", "exthdr", LK_EXTHDR },
	{ "mh", "exthdr", LK_EXTHDR },
	{ "srh", "exthdr", LK_EXTHDR },
	{ NULL, "payload", LK_PAYLOAD },
};

/* rt classid, rt ipsec: nft's rt expression (rt's other fields are the
 * IPv6 routing header's) */
static const struct lhs_kind rt_key = { "rt", "rt", LK_KEY };

static bool rt_route(const char *proto, const char *name)
{
	return !strcmp(proto, "rt") && name &&
	       (!strcmp(name, "classid") || !strcmp(name, "ipsec") ||
		!strcmp(name, "nexthop") || !strcmp(name, "ip nexthop") ||
		!strcmp(name, "mtu") ||
		!strcmp(name, "ip6 nexthop"));
}

static const struct lhs_kind *lhs_kind(const char *proto)
{
	const struct lhs_kind *k = lhs_kinds;

	while (k->proto && strcmp(k->proto, proto))
		k++;
	return k;
}

/* fib F [. F ...] R: {"fib": {"result": R, "flags": [F, ...]}} */
static json_t *fib_field(const char *name)
{
	const char *res = strrchr(name, ' ');
	json_t *o = json_object(), *fl = json_array();
	char buf[64];
	char *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%.*s", res ? (int)(res - name) : 0, name);
	json_object_set_new(o, "result", json_string(res ? res + 1 : name));
	for (tok = strtok_r(buf, " .", &save); tok; tok = strtok_r(NULL, " .", &save))
		json_array_append_new(fl, json_string(tok));
	json_object_set_new(o, "flags", fl);
	return bw_jp_wrap("fib", o);
}

/* ipsec DIR [spnum N] [ip|ip6] KEY: {"ipsec": {"key": K[, "family": F],
 * "dir": D, "spnum": N}} (compiler/front/xfrm.h) */
static json_t *xfrm_field(const char *name)
{
	uint8_t spnum = 0;
	const struct bw_field *f = bw_xfrm_field(name, &spnum);
	const char *key, *sp;
	json_t *o = json_object();

	if (!f)
		f = bw_field_find("ipsec", name);
	key = f ? f->name : name;
	sp = strchr(key, ' ');
	key = sp ? sp + 1 : key;
	sp = strchr(key, ' ');	/* ip saddr */
	json_object_set_new(o, "key", json_string(sp ? sp + 1 : key));
	if (sp)
		json_object_set_new(o, "family", json_stringn(key, (size_t)(sp - key)));
	json_object_set_new(o, "dir", json_string(f && bw_xfrm_in(f->id) ? "in" : "out"));
	json_object_set_new(o, "spnum", json_integer(spnum));
	return bw_jp_wrap("ipsec", o);
}

/* tcp option K [F]: {"tcp option": {"name": K[, "field": F]}} (the
 * names fields.c gives: sack0 is sack, a number the kind's name). */
static json_t *tcpopt_field(const struct bw_field *f)
{
	const char *k = f->name + 7, *sp = strchr(k, ' ');
	json_t *o = json_object();

	json_object_set_new(o, "name", sp ? json_stringn(k, (size_t)(sp - k)) :
					    json_string(k));
	if (sp)
		json_object_set_new(o, "field", json_string(sp + 1));
	return bw_jp_wrap("tcp option", o);
}

/* sctp chunk T [F]: {"sctp chunk": {"name": T[, "field": F]}} (NULL:
 * another field); *exists when there is no F. */
static json_t *chunk_field(const char *proto, const char *name, bool *exists)
{
	const char *sp;
	json_t *o;

	if (strcmp(proto, "sctp") || strncmp(name, "chunk ", 6))
		return NULL;
	name += 6;
	sp = strchr(name, ' ');
	o = json_object();
	json_object_set_new(o, "name", sp ? json_stringn(name, (size_t)(sp - name)) :
			    json_string(name));
	if (sp)
		json_object_set_new(o, "field", json_string(sp + 1));
	if (exists)
		*exists = !sp;
	return bw_jp_wrap("sctp chunk", o);
}

json_t *bw_jp_field_of(const char *proto, const char *name)
{
	const struct lhs_kind *k = rt_route(proto, name) ? &rt_key : lhs_kind(proto);
	const struct bw_field *f = bw_field_find(proto, name);
	json_t *o;

	if (f && f->tcpopt)
		return tcpopt_field(f);
	if (proto[0] == '@') {	/* @th,16,16: {"base": "th", "offset": 16, "len": 16} */
		unsigned long off = strtoul(name, NULL, 10);
		const char *c = strchr(name, ',');

		o = json_object();
		json_object_set_new(o, "base", json_string(proto + 1));
		json_object_set_new(o, "offset", json_integer((json_int_t)off));
		json_object_set_new(o, "len", json_integer(c ? (json_int_t)strtoul(c + 1, NULL, 10) : 0));
		return bw_jp_wrap("payload", o);
	}
	if ((o = chunk_field(proto, name, NULL)))
		return o;
	if (f && f->tun_layer) {
		/* vxlan ip saddr: {"payload": {"protocol": "ip", "field":
		 * "saddr", "tunnel": "vxlan"}}; vxlan vni: protocol vxlan */
		const char *sp = strchr(proto, ' ');
		enum bw_tunnel t = bw_tunnel_kind(proto);

		o = json_object();
		json_object_set_new(o, "protocol", json_string(sp ? sp + 1 : bw_tunnel_name(t)));
		json_object_set_new(o, "field", json_string(name));
		json_object_set_new(o, "tunnel", json_string(bw_tunnel_name(t)));
		return bw_jp_wrap("payload", o);
	}
	if (!strcmp(proto, "ipsec"))
		return xfrm_field(name);
	if (!strcmp(proto, "fib"))
		return fib_field(name);
	if (!strcmp(proto, "osf")) {	/* [ttl T] name|version */
		const char *key = strrchr(name, ' ');

		o = json_object();
		json_object_set_new(o, "key", json_string(key ? key + 1 : name));
		if (key)	/* "ttl loose name": the word after ttl */
			json_object_set_new(o, "ttl", json_stringn(name + 4,
					    (size_t)(key - name - 4)));
		return bw_jp_wrap("osf", o);
	}
	o = json_object();

	switch (k->shape) {
	case LK_KEY:
		if (k == &rt_key && strstr(name, "nexthop")) {
			/* rt ip6 nexthop: {"key": "nexthop", "family": "ip6"} */
			json_object_set_new(o, "key", json_string("nexthop"));
			if (!strncmp(name, "ip", 2))
				json_object_set_new(o, "family", json_string(name[2] == '6' ? "ip6" : "ip"));
			break;
		}
		/* ct original ip saddr: {"key": "ip saddr", "dir": "original"} */
		if (!strcmp(proto, "ct") && (!strncmp(name, "original ", 9) ||
					     !strncmp(name, "reply ", 6))) {
			size_t n = strcspn(name, " ");

			json_object_set_new(o, "key", json_string(name + n + 1));
			json_object_set_new(o, "dir", json_stringn(name, n));
			break;
		}
		json_object_set_new(o, "key", json_string(name));
		break;
	case LK_PAYLOAD:
		json_object_set_new(o, "protocol", json_string(proto));
		json_object_set_new(o, "field", json_string(name));
		break;
	case LK_EXTHDR:
		json_object_set_new(o, "name", json_string(proto));
		json_object_set_new(o, "field", json_string(name));
		break;
	case LK_EXISTS:
		json_object_set_new(o, "name", json_string(name));
		break;
	}
	return bw_jp_wrap(k->json, o);
}

/* tcp option K exists|missing */
static bool tcpopt_exists(const struct bw_ast_stmt *s)
{
	const struct bw_field *f = bw_field_find(s->proto, s->field);

	return f && f->opt_present;
}

/* The left side of a match (a concatenation when cat), and the types. */
static json_t *lhs(const struct bw_ast_stmt *s, const struct type_row **t,
		   unsigned *nt)
{
	const struct bw_field *f = bw_field_find(s->proto, s->field);
	json_t *a;

	*nt = 1;
	t[0] = f ? bw_jp_type_row(f->type) : NULL;
	if (!s->cat)
		return bw_jp_field_of(s->proto, s->field);
	a = json_array();
	json_array_append_new(a, bw_jp_field_of(s->proto, s->field));
	for (const struct bw_ast_fref *r = s->cat; r; r = r->next) {
		f = bw_field_find(r->proto, r->field);
		if (*nt < MAXCAT)
			t[(*nt)++] = f ? bw_jp_type_row(f->type) : NULL;
		json_array_append_new(a, bw_jp_field_of(r->proto, r->field));
	}
	return bw_jp_wrap("concat", a);
}

/* ---- statements ---- */

/* `syn / syn,ack` (a PREFIX, alone or in a LIST) of a flag field? */
static bool flag_prefix(const struct bw_ast_expr *e)
{
	if (e->kind == BW_AE_PREFIX)
		return true;
	if (e->kind != BW_AE_LIST)
		return false;
	for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
		if (x->kind == BW_AE_PREFIX)
			return true;
	return false;
}

/* One name: a string; more: the list. */
json_t *bw_jp_one_or_list(json_t *a)
{
	json_t *x;

	if (json_array_size(a) != 1)
		return a;
	x = json_incref(json_array_get(a, 0));
	json_decref(a);
	return x;
}

/* The number a NUMBER expression is (false: another form). */
static bool num_of(const struct bw_ast_expr *e, unsigned long long *v)
{
	char *end;

	if (!e || e->kind != BW_AE_NUMBER)
		return false;
	*v = strtoull(e->text, &end, 0);
	return !*end;
}

/* `f & M == V` where M is a prefix mask, as nft lists it: {"prefix":
 * {"addr": V, "len": L}} (NULL: another form).  nft does so for a mark
 * (its type prefers prefixes) and for a header field whose mask keeps
 * whole bytes (it loads just those bytes). */
static json_t *mask_prefix(struct jp *p, const struct bw_ast_stmt *s,
			   const struct type_row *const *t)
{
	const struct bw_field *f = s->cat ? NULL : bw_field_find(s->proto, s->field);
	unsigned long long m, v;
	unsigned w, len = 0;
	bool mark;
	json_t *o;

	if (!f || s->mask_op != BW_MASK_AND || (s->op != BW_OP_IMPLICIT &&
	    s->op != BW_OP_EQ && s->op != BW_OP_NE) ||
	    !num_of(s->mask, &m) || !num_of(s->rhs, &v))
		return NULL;
	w = f->bits ? f->bits : f->size * 8u;
	mark = !strcmp(s->field, "mark") && (!strcmp(s->proto, "meta") ||
					     !strcmp(s->proto, "ct"));
	if (w > 64 || !m || (v & ~m))
		return NULL;
	while (len < w && (m >> (w - 1 - len)) & 1)
		len++;
	if (len == w || (m & ((1ULL << (w - len)) - 1)))
		return NULL;	/* all ones, or not a prefix */
	if (!mark && (lhs_kind(s->proto)->shape != LK_PAYLOAD || f->bits ||
		      len % 8))
		return NULL;
	o = json_object();
	json_object_set_new(o, "addr", bw_jp_value_of(p, s->rhs, t, 1));
	json_object_set_new(o, "len", json_integer(len));
	return bw_jp_wrap("prefix", o);
}

/* sctp chunk T exists|missing */
static bool chunk_exists(const struct bw_ast_stmt *s)
{
	bool exists = false;
	json_t *o = chunk_field(s->proto, s->field, &exists);

	json_decref(o);
	return o && exists;
}

static json_t *match(struct jp *p, const struct bw_ast_stmt *s)
{
	static const char *const ops[] = {
		[BW_OP_IMPLICIT] = "==", [BW_OP_EQ] = "==", [BW_OP_NE] = "!=",
		[BW_OP_LT] = "<", [BW_OP_GT] = ">", [BW_OP_LE] = "<=",
		[BW_OP_GE] = ">=", [BW_OP_NOT] = "!",
	};
	const struct type_row *t[MAXCAT];
	const struct bw_ast_expr *rhs = s->rhs;
	json_t *o = json_object(), *left, *right;
	const char *op = ops[s->op];
	unsigned nt;

	/* nft lists an anonymous set of one value, range or prefix as it */
	if (!s->vmap && rhs->kind == BW_AE_SET && rhs->elems && !rhs->elems->next &&
	    rhs->elems->kind != BW_AE_SET && rhs->elems->kind != BW_AE_CONCAT &&
	    rhs->elems->kind != BW_AE_MAPELEM)
		rhs = rhs->elems;
	left = lhs(s, t, &nt);
	p->field = s->cat ? NULL : bw_field_find(s->proto, s->field);
	p->field_t = t;
	if (s->vmap) {
		json_object_set_new(o, "key", left);
		json_object_set_new(o, "data", bw_jp_value_of(p, rhs, t, nt));
		return bw_jp_wrap("vmap", o);
	}
	if (s->mask && (right = mask_prefix(p, s, t))) {
		/* nft lists (x & prefix mask) == v as v/len */
		json_object_set_new(o, "op", json_string(op));
		json_object_set_new(o, "left", left);
		json_object_set_new(o, "right", right);
		return bw_jp_wrap("match", o);
	} else if (s->mask) {
		json_t *a = json_array();

		json_array_append_new(a, left);
		json_array_append_new(a, bw_jp_value_of(p, s->mask, t, nt));
		left = bw_jp_wrap(s->mask_op == BW_MASK_OR ? "|" :
			    s->mask_op == BW_MASK_XOR ? "^" : "&", a);
	} else if (!s->cat && !strcmp(s->proto, "fib") &&
		   rhs->kind == BW_AE_NUMBER) {
		/* fib ... oif N: nft's iface_index, a string */
		json_object_set_new(o, "op", json_string(op));
		json_object_set_new(o, "left", left);
		json_object_set_new(o, "right", json_string(rhs->text));
		return bw_jp_wrap("match", o);
	} else if (!s->cat && rhs->kind == BW_AE_SYMBOL &&
		   (lhs_kind(s->proto)->shape == LK_EXISTS || tcpopt_exists(s) ||
		    chunk_exists(s) ||
		    (bw_field_find(s->proto, s->field) &&
		     bw_field_find(s->proto, s->field)->type == BW_T_BOOL) ||
		    (!strcmp(s->proto, "fib") && (!strcmp(rhs->text, "exists") ||
						  !strcmp(rhs->text, "missing"))))) {
		/* exthdr H exists|missing, tcp option K exists, sctp chunk
		 * T exists, a boolean, fib ... oif exists: == true|false */
		json_t *fib = json_object_get(left, "fib");

		if (fib && !strcmp(json_string_value(json_object_get(fib, "result")) ?: "",
				   "check"))	/* nft lists check's match so */
			json_object_set_new(fib, "result", json_string("oif"));
		json_object_set_new(o, "op", json_string(op));
		json_object_set_new(o, "left", left);
		json_object_set_new(o, "right",
				    json_boolean(!strcmp(rhs->text, "exists")));
		return bw_jp_wrap("match", o);
	} else if (t[0] && t[0]->shape == V_FLAGS && flag_prefix(rhs)) {
		/* nft's `syn / syn,ack`: (flags & mask) == value; the parser
		 * makes it a list whose one PREFIX splits values and mask */
		json_t *a = json_array(), *v = json_array(), *m = json_array();
		bool after = false;

		for (const struct bw_ast_expr *x = rhs->kind == BW_AE_LIST ?
		     rhs->elems : rhs; x; x = rhs->kind == BW_AE_LIST ? x->next : NULL) {
			if (x->kind == BW_AE_PREFIX) {
				flags_into(v, x->left);
				flags_into(m, x->right);
				after = true;
			} else {
				flags_into(after ? m : v, x);
			}
		}
		json_array_append_new(a, left);
		json_array_append_new(a, bw_jp_one_or_list(m));
		left = bw_jp_wrap("&", a);
		json_object_set_new(o, "op", json_string(s->op == BW_OP_NE ? "!=" : "=="));
		json_object_set_new(o, "left", left);
		json_object_set_new(o, "right", bw_jp_one_or_list(v));
		return bw_jp_wrap("match", o);
	} else if (s->op == BW_OP_IMPLICIT && t[0] && t[0]->shape == V_FLAGS &&
		   rhs->kind != BW_AE_SET && rhs->kind != BW_AE_SETREF) {
		op = "in";	/* nft's any-bit test */
	}
	right = bw_jp_value_of(p, rhs, t, nt);
	json_object_set_new(o, "op", json_string(op));
	json_object_set_new(o, "left", left);
	json_object_set_new(o, "right", right);
	return bw_jp_wrap("match", o);
}

static json_t *st_match(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o;

	if (strcmp(s->proto, "ct") || strcmp(s->field, "count") || s->cat)
		return match(p, s);
	/* nft's connlimit statement: {"ct count": {"val": N, "inv": true}} */
	o = json_object();
	json_object_set_new(o, "val", bw_jp_number(s->rhs->text));
	if (s->count_over)
		json_object_set_new(o, "inv", json_true());
	return bw_jp_wrap("ct count", o);
}

static json_t *st_counter(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	(void)p;
	json_object_set_new(o, "packets", s->packets ? bw_jp_number(s->packets->text) :
			    json_integer(0));
	json_object_set_new(o, "bytes", s->bytes ? bw_jp_number(s->bytes->text) :
			    json_integer(0));
	return bw_jp_wrap("counter", o);
}

static json_t *st_verdict(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *t = json_null();

	(void)p;
	if (s->target) {
		t = json_object();
		json_object_set_new(t, "target", json_string(s->target));
	}
	return bw_jp_wrap(bw_ast_verdict_str(s->verdict), t);
}

/* add|update|delete @s { KEY }: {"set": {"op": OP, "elem": KEY, "set":
 * "@s"}} (KEY a field, or {"concat": [...]}) */
static json_t *st_dynset(struct jp *p, const struct bw_ast_stmt *s)
{
	struct bw_ast_stmt m = { .kind = BW_AS_MATCH };
	const struct type_row *t[MAXCAT];
	json_t *o = json_object();
	unsigned nt;
	char *ref;

	m.proto = s->dyn_key->proto;
	m.field = s->dyn_key->field;
	m.cat = s->dyn_key->next;
	json_object_set_new(o, "op", json_string(s->dyn_op));
	json_object_set_new(o, "elem", bw_jp_dynset_elem(lhs(&m, t, &nt), s));
	if (asprintf(&ref, "@%s", s->dyn_set) < 0)
		ref = NULL;
	json_object_set_new(o, "set", json_string(ref ? ref : s->dyn_set));
	free(ref);
	if (s->dyn_data)	/* add @m { KEY : VALUE } (json_mapadd.c) */
		return bw_jp_mapadd(p, s, o);
	return bw_jp_wrap("set", o);
}

static json_t *st_notrack(struct jp *p, const struct bw_ast_stmt *s)
{
	(void)p;
	(void)s;
	return bw_jp_wrap("notrack", json_null());
}

static json_t *st_queue(struct jp *p, const struct bw_ast_stmt *s)
{
	static const char *const order[] = { "bypass", "fanout" };
	json_t *o = json_object(), *f;

	(void)p;
	/* nft lists the queue number always (0 when none was given) */
	if (bw_vexpr_is(s->queue_lo)) {	/* queue to numgen ... */
		json_t *v = bw_jp_vexpr(p, s->queue_lo);

		if (!v) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "num", v);
	} else if (s->queue_hi) {
		json_t *a = json_array();

		json_array_append_new(a, bw_jp_number(s->queue_lo->text));
		json_array_append_new(a, bw_jp_number(s->queue_hi->text));
		json_object_set_new(o, "num", bw_jp_wrap("range", a));
	} else {
		json_object_set_new(o, "num", s->queue_lo ? bw_jp_number(s->queue_lo->text) :
				    json_integer(0));
	}
	f = bw_jp_ordered_flags(s->queue_flags, order, sizeof(order) / sizeof(order[0]));
	if (f)
		json_object_set_new(o, "flags", f);
	return bw_jp_wrap("queue", o);
}

/* flow add @F: {"flow": {"op": "add", "flowtable": "@F"}} */
static json_t *st_flow(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();
	char *ref = NULL;

	(void)p;
	if (asprintf(&ref, "@%s", s->flow_table) < 0)
		ref = NULL;
	json_object_set_new(o, "op", json_string("add"));
	json_object_set_new(o, "flowtable", json_string(ref ? ref : s->flow_table));
	free(ref);
	return bw_jp_wrap("flow", o);
}

/* A statement's own text (its first line, at most 60 characters), to
 * name a kind that has no row in stmts[] */
static const char *stmt_text(const struct bw_ast_stmt *s, char *buf, size_t n)
{
	const char *t = s->loc.src ? s->loc.src->text : NULL;
	size_t len;

	for (uint32_t line = 1; t && line < s->loc.line; line++) {
		t = strchr(t, '\n');
		if (t)
			t++;
	}
	if (!t || s->loc.col < 1 || strnlen(t, s->loc.col) < s->loc.col)
		return "?";
	t += s->loc.col - 1;
	len = strcspn(t, "\n");
	if (s->loc.end_line == s->loc.line && s->loc.end_col >= s->loc.col &&
	    s->loc.end_col - s->loc.col + 1 < len)
		len = s->loc.end_col - s->loc.col + 1;
	if (len > 60)
		len = 60;
	if (len >= n)
		len = n - 1;
	memcpy(buf, t, len);
	buf[len] = '\0';
	return len ? buf : "?";
}

/* counter name "c": {"counter": "c"}; an object map: {"counter": {"map":
 * {"key": KEY, "data": {"set": [[K, "c"], ...]}}}}; ct helper set "h":
 * {"ct helper": "h"} */
static json_t *st_objref(struct jp *p, const struct bw_ast_stmt *s)
{
	struct bw_ast_stmt m = { .kind = BW_AS_MATCH };
	const struct type_row *t[MAXCAT];
	json_t *o, *map;
	unsigned nt;

	if (s->obj_name)
		return bw_jp_wrap(s->obj_kind, json_string(s->obj_name->text));
	m.proto = s->obj_key->proto;
	m.field = s->obj_key->field;
	m.cat = s->obj_key->next;
	o = json_object();
	json_object_set_new(o, "key", lhs(&m, t, &nt));
	p->field = m.cat ? NULL : bw_field_find(m.proto, m.field);
	p->field_t = t;
	json_object_set_new(o, "data", bw_jp_value_of(p, s->obj_map, t, nt));
	map = bw_jp_wrap("map", o);
	return bw_jp_wrap(s->obj_kind, map);
}

/* last: {"last": null} (never used; nft's form without a time) */
static json_t *st_last(struct jp *p, const struct bw_ast_stmt *s)
{
	(void)p;
	(void)s;
	return bw_jp_wrap("last", json_null());
}

static const struct stmt_row {
	enum bw_ast_stmt_kind kind;
	json_t *(*print)(struct jp *p, const struct bw_ast_stmt *s);
} stmts[] = {
	{ BW_AS_MATCH, st_match },
	{ BW_AS_COUNTER, st_counter },
	{ BW_AS_VERDICT, st_verdict },
	{ BW_AS_LOG, bw_jp_st_log },
	{ BW_AS_LIMIT, bw_jp_st_limit },
	{ BW_AS_REJECT, bw_jp_st_reject },
	{ BW_AS_NAT, bw_jp_st_nat },
	{ BW_AS_SETF, bw_jp_st_setf },
	{ BW_AS_NOTRACK, st_notrack },
	{ BW_AS_QUOTA, bw_jp_st_quota },
	{ BW_AS_QUEUE, st_queue },
	{ BW_AS_OBJREF, st_objref },
	{ BW_AS_LAST, st_last },
	{ BW_AS_DYNSET, st_dynset },
	{ BW_AS_TPROXY, bw_jp_st_tproxy },
	{ BW_AS_SYNPROXY, bw_jp_st_synproxy },
	{ BW_AS_DUP, bw_jp_st_dup },
	{ BW_AS_FWD, bw_jp_st_fwd },
	{ BW_AS_FLOW, st_flow },
};

static json_t *stmt(struct jp *p, const struct bw_ast_stmt *s)
{
	char buf[64];

	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (stmts[i].kind == s->kind)
			return stmts[i].print(p, s);
	return bw_jp_failf(p, &s->loc, "JSON: statement \"%s\" has no JSON form in bpfwall",
		    s->kind == BW_AS_UNSUPPORTED ? s->what : stmt_text(s, buf, sizeof(buf)));
}

/* ---- objects ---- */

void bw_jp_add(json_t *list, const char *kind, json_t *o)
{
	json_array_append_new(list, bw_jp_wrap(kind, o));
}

json_t *bw_jp_head(struct jp *p, const char *name_key, const char *name)
{
	json_t *o = json_object();

	json_object_set_new(o, "family", json_string(p->family));
	if (!strcmp(name_key, "table")) {
		json_object_set_new(o, "table", json_string(p->table));
		return o;
	}
	json_object_set_new(o, name_key, json_string(name));
	json_object_set_new(o, "table", json_string(p->table));
	return o;
}

/* A match `f >= a` followed by `f <= b` (one field, plain values)? */
static bool range_pair(const struct bw_ast_stmt *s)
{
	const struct bw_ast_stmt *n = s->next;

	return s->kind == BW_AS_MATCH && n && n->kind == BW_AS_MATCH &&
	       s->op == BW_OP_GE && n->op == BW_OP_LE && !s->mask && !n->mask &&
	       !s->cat && !n->cat && !s->vmap && !n->vmap &&
	       !strcmp(s->proto, n->proto) && !strcmp(s->field, n->field) &&
	       (s->rhs->kind == BW_AE_NUMBER || s->rhs->kind == BW_AE_SYMBOL ||
		s->rhs->kind == BW_AE_ADDR) && n->rhs->kind == s->rhs->kind;
}

static void rule_obj(struct jp *p, json_t *list, const char *chain,
		     const struct bw_ast_item *r, uint32_t handle)
{
	json_t *o = json_object(), *e = json_array();

	json_object_set_new(o, "family", json_string(p->family));
	json_object_set_new(o, "table", json_string(p->table));
	json_object_set_new(o, "chain", json_string(chain));
	json_object_set_new(o, "handle", json_integer(handle));
	if (r->comment)
		json_object_set_new(o, "comment", json_string(r->comment));
	for (const struct bw_ast_stmt *s = r->stmts; s; s = s->next) {
		struct bw_ast_stmt one;
		struct bw_ast_expr range;
		json_t *x;

		/* f >= a then f <= b: nft lists the range a-b (its own form of
		 * a range), so the two are one match */
		if (range_pair(s)) {
			one = *s;
			memset(&range, 0, sizeof(range));
			range.kind = BW_AE_RANGE;
			range.loc = s->rhs->loc;
			range.left = s->rhs;
			range.right = s->next->rhs;
			one.op = BW_OP_IMPLICIT;
			one.rhs = &range;
			one.next = s->next->next;
			x = stmt(p, &one);
			s = s->next;
		} else {
			x = stmt(p, s);
		}

		if (x)
			json_array_append_new(e, x);
	}
	json_object_set_new(o, "expr", e);
	bw_jp_add(list, "rule", o);
}

/* Rule handles are the evaluator's: 1, 2, ... in source order; tables,
 * chains and sets take theirs after the last rule's. */
static void ruleset(struct jp *p, json_t *list, const struct bw_ast *ast)
{
	uint32_t rule_handle = 0, nrules = 0, other;

	for (const struct bw_ast_item *t = ast->items; t; t = t->next)
		for (const struct bw_ast_item *c = t->kind == BW_AI_TABLE ?
						   t->items : NULL; c; c = c->next)
			for (const struct bw_ast_item *r = c->kind == BW_AI_CHAIN ?
							   c->items : NULL; r; r = r->next)
				nrules += r->kind == BW_AI_RULE;
	other = nrules;
	for (const struct bw_ast_item *t = ast->items; t; t = t->next) {
		json_t *o;

		if (t->kind != BW_AI_TABLE)
			continue;
		p->family = t->family ? t->family : "ip";
		p->table = t->name;
		o = json_object();
		json_object_set_new(o, "family", json_string(p->family));
		json_object_set_new(o, "name", json_string(p->table));
		json_object_set_new(o, "handle", json_integer(++other));
		bw_jp_add(list, "table", o);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_OBJECT)
				bw_jp_obj_obj(p, list, it, ++other);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_SET)
				bw_jp_set_obj(p, list, it, ++other);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_FLOWTABLE)
				bw_jp_flowtable_obj(p, list, it, ++other);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_CHAIN)
				bw_jp_chain_obj(p, list, it, ++other);
		for (const struct bw_ast_item *c = t->items; c; c = c->next) {
			if (c->kind != BW_AI_CHAIN)
				continue;
			for (const struct bw_ast_item *r = c->items; r; r = r->next)
				if (r->kind == BW_AI_RULE)
					rule_obj(p, list, c->name, r, ++rule_handle);
		}
	}
}

static json_t *metainfo(struct jp *p, const char *extra)
{
	json_t *m = json_object();

	json_object_set_new(m, "version", json_string(PACKAGE_VERSION));
	json_object_set_new(m, "release_name", json_string("bpfwall"));
	json_object_set_new(m, "json_schema_version", json_integer(1));
	if (extra) {
		json_error_t je;
		json_t *x = json_loads(extra, 0, &je);

		if (!x || !json_is_object(x)) {
			json_decref(x);
			json_decref(m);
			return bw_jp_failf(p, NULL, "JSON: the runtime's state is not an object: %s",
				    je.text);
		}
		json_object_del(x, "ruleset");
		json_object_del(x, "counters");	/* in the rules */
		json_object_set_new(m, "bpfwall", x);
	}
	return bw_jp_wrap("metainfo", m);
}

int bw_json_print_ruleset(const char *text, const char *extra, FILE *out,
			  struct bw_diags *d)
{
	struct jp p = { .d = d };
	struct bw_ast *ast = NULL;
	const struct bw_src *src;
	json_t *root, *list, *mi;
	int err;

	src = bw_src_string(d, "<running ruleset>", text ? text : "");
	if (!src)
		return -ENOMEM;
	err = bw_ast_parse(src, BW_PARSE_RULESET, d, &ast);
	if (err)
		return err;
	list = json_array();
	mi = metainfo(&p, extra);
	if (mi)
		json_array_append_new(list, mi);
	ruleset(&p, list, ast);
	bw_ast_free(&ast);
	root = bw_jp_wrap("nftables", list);
	if (!p.err) {
		if (json_dumpf(root, out, 0) < 0)
			p.err = -EIO;
		else
			fputc('\n', out);
	}
	json_decref(root);
	return p.err;
}

int bw_json_ruleset_text(const char *listing, char **text)
{
	json_t *x = json_loads(listing, 0, NULL), *r;

	*text = NULL;
	if (!x)
		return -EINVAL;
	r = json_object_get(x, "ruleset");
	*text = strdup(json_is_string(r) ? json_string_value(r) : "");
	json_decref(x);
	return *text ? 0 : -ENOMEM;
}

/* ---- lent to json_vexpr.c (json_int.h) ---- */

json_t *bw_jp_field(const char *proto, const char *name)
{
	return bw_jp_field_of(proto, name);
}

json_t *bw_jp_value(struct jp *p, const struct bw_ast_expr *e,
		    const struct bw_field *const *f, unsigned n)
{
	const struct type_row *t[MAXCAT];

	for (unsigned i = 0; i < n && i < MAXCAT; i++)
		t[i] = f[i] ? bw_jp_type_row(f[i]->type) : NULL;
	return bw_jp_value_of(p, e, t, n < MAXCAT ? n : MAXCAT);
}

json_t *bw_jp_fail(struct jp *p, const struct bw_loc *loc, const char *msg)
{
	return bw_jp_failf(p, loc, "%s", msg);
}
