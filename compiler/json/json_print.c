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
#include "compiler/front/xfrm.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

/* ---- value types ---- */

enum vshape { V_NUMBER, V_NAME, V_FLAGS, V_STRING };

static const struct type_row {
	enum bw_type type;
	const char *nft;		/* nft's type name (sets' "type") */
	enum vshape shape;
} types[] = {
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

static const struct type_row *type_row(enum bw_type t)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].type == t)
			return &types[i];
	return &types[0];
}

/* The type of a set's `type` word (NULL: unknown, printed as written). */
static const struct type_row *type_by_nft_name(const char *name)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].nft, name))
			return &types[i];
	return NULL;
}

struct jp {
	struct bw_diags *d;
	const char *family;	/* of the table being printed */
	const char *table;
	/* the field of the match being printed (its values' names: ip dscp
	 * and icmp code have their own), and its type slot */
	const struct bw_field *field;
	const struct type_row *const *field_t;
	int err;
};

static json_t *fail(struct jp *p, const struct bw_loc *loc, const char *fmt,
		    const char *what)
{
	if (!p->err) {
		bw_error(p->d, loc, fmt, what);
		p->err = -EINVAL;
	}
	return NULL;
}

/* ---- values ---- */

static json_t *number(const char *s)
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
static const struct bw_field *field_of(const struct type_row *t)
{
	for (int i = 0; t && i < BW_F__MAX; i++)
		if (bw_field((enum bw_field_id)i)->type == t->type)
			return bw_field((enum bw_field_id)i);
	return NULL;
}

/* One value of type t (NULL: unknown, as written) of field f (NULL: the
 * first of that type): numbers that have a name print as the name. */
static json_t *scalar(struct jp *p, const struct bw_ast_expr *e,
		      const struct type_row *t, const struct bw_field *f)
{
	if (!f)
		f = field_of(t);
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
		return fail(p, &e->loc, "JSON: this value has no JSON form in bpfwall%s", "");
	}
}

static json_t *value(struct jp *p, const struct bw_ast_expr *e,
		     const struct type_row *const *t, unsigned nt);

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
		return e->kind == BW_AE_NUMBER ? number(e->text) : json_string(e->text);
	a = json_array();
	flags_into(a, e);
	return a;
}

/* A set's flags as nft 1.0.6 prints them: without dynamic (a set that
 * rules change); NULL when none is left. */
static json_t *set_flags_json(const struct bw_ast_expr *e)
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

static json_t *wrap(const char *key, json_t *v)
{
	json_t *o = json_object();

	json_object_set_new(o, key, v);
	return o;
}

static json_t *range_prefix(const struct bw_ast_expr *e, const struct type_row *t);

/* ---- set elements in nft's order: by value ---- */

#define KEYW 16			/* bytes per component of a sort key */
#define MAXCAT 8

struct selem {
	const struct bw_ast_expr *e;
	uint8_t key[MAXCAT * KEYW];
};

/* The number a scalar stands for, big endian in k[KEYW]; false: unknown. */
static bool scalar_key(const struct bw_ast_expr *e, const struct type_row *t,
		       const struct bw_field *f, uint8_t *k)
{
	unsigned long long v;
	uint32_t u;
	char *end;

	memset(k, 0, KEYW);
	if (!f)
		f = field_of(t);
	switch (e->kind) {
	case BW_AE_NUMBER:
		v = strtoull(e->text, &end, 0);
		if (*end)
			return false;
		break;
	case BW_AE_ADDR:
		if (inet_pton(AF_INET, e->text, k + KEYW - 4) == 1 ||
		    inet_pton(AF_INET6, e->text, k) == 1)
			return true;
		return false;
	case BW_AE_SYMBOL:
		if (t && t->type == BW_T_INET_SERVICE) {
			struct servent *se = getservbyname(e->text, NULL);

			if (!se)
				return false;
			v = ntohs((uint16_t)se->s_port);
		} else if (t && t->type == BW_T_INET_PROTO) {
			struct protoent *pe = getprotobyname(e->text);

			v = 256;
			if (pe)
				v = (unsigned)pe->p_proto;
			for (unsigned n = 0; n < 256 && v == 256; n++)
				if (bw_eval_proto_name((uint8_t)n) &&
				    !strcmp(bw_eval_proto_name((uint8_t)n), e->text))
					v = n;
			if (v == 256)
				return false;
		} else if (f && !bw_eval_value_of(f, e->text, &u)) {
			v = u;
		} else {
			return false;
		}
		break;
	case BW_AE_PREFIX:
	case BW_AE_RANGE:
		return scalar_key(e->left, t, f, k);
	default:
		return false;
	}
	for (int i = KEYW - 1; i >= KEYW - 8; i--, v >>= 8)
		k[i] = (uint8_t)v;
	return true;
}

static bool elem_key(struct jp *p, const struct bw_ast_expr *e,
		     const struct type_row *const *t, unsigned nt, bool interval,
		     uint8_t *k)
{
	unsigned i = 0;

	if (e->kind == BW_AE_MAPELEM)
		e = e->left;
	if (e->kind != BW_AE_CONCAT)
		return nt && scalar_key(e, t[0], nt == 1 && t == p->field_t ?
					p->field : NULL, k);
	if (interval) {	/* part by part */
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next, i++)
			if (i >= nt || i >= MAXCAT ||
			    !scalar_key(x, t[i], NULL, k + i * KEYW))
				return false;
		return true;
	}
	/* a hash set: nft orders concatenations by their data registers
	 * (each part in network order, padded to 4 bytes) read as one
	 * little-endian number: the key is those bytes reversed */
	{
		uint8_t raw[MAXCAT * KEYW], one[KEYW];
		size_t len = 0;

		for (const struct bw_ast_expr *x = e->elems; x; x = x->next, i++) {
			const struct bw_field *f = i < nt ? field_of(t[i]) : NULL;
			size_t sz = f ? f->size : 0;

			if (!f || sz > KEYW || !scalar_key(x, t[i], NULL, one))
				return false;
			memcpy(raw + len, one + KEYW - sz, sz);
			len += sz;
			while (len % 4)
				raw[len++] = 0;
		}
		memset(k, 0, MAXCAT * KEYW);
		for (size_t j = 0; j < len; j++)
			k[j] = raw[len - 1 - j];
	}
	return true;
}

static int selem_cmp(const void *a, const void *b)
{
	return memcmp(((const struct selem *)a)->key, ((const struct selem *)b)->key,
		      MAXCAT * KEYW);
}

static void collect(const struct bw_ast_expr *set, struct selem **v, size_t *n,
		    size_t *cap)
{
	for (const struct bw_ast_expr *e = set->elems; e; e = e->next) {
		if (e->kind == BW_AE_SET) {
			collect(e, v, n, cap);
			continue;
		}
		if (*n == *cap) {
			struct selem *m = realloc(*v, (*cap ? *cap * 2 : 16) * sizeof(**v));

			if (!m)
				return;
			*v = m;
			*cap = *cap ? *cap * 2 : 16;
		}
		memset(&(*v)[*n], 0, sizeof(**v));
		(*v)[(*n)++].e = e;
	}
}

/* A range or a prefix in element e (an interval set's)? */
static bool has_interval(const struct bw_ast_expr *e)
{
	if (e->kind == BW_AE_MAPELEM)
		e = e->left;
	if (e->kind == BW_AE_RANGE || e->kind == BW_AE_PREFIX)
		return true;
	if (e->kind == BW_AE_CONCAT)
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			if (x->kind == BW_AE_RANGE || x->kind == BW_AE_PREFIX)
				return true;
	return false;
}

/* The elements of a set (nested sets flattened), sorted by value as nft
 * lists them; in the order written when a value is not known here.
 * interval: the set has the flag (or an element is a range). */
/* The last element of the run of adjacent values and ranges that starts at
 * v[i] (sorted): each begins at most one above the end so far. */
static size_t run_end(struct jp *p, const struct selem *v, size_t n, size_t i,
		      const struct type_row *const *t, size_t *top)
{
	uint8_t hi[KEYW], lo[KEYW];
	size_t j = i;

	*top = i;		/* the element whose end is the run's */
	if (v[i].e->kind == BW_AE_PREFIX ||
	    !scalar_key(v[i].e->kind == BW_AE_RANGE ? v[i].e->right : v[i].e,
			t[0], t == p->field_t ? p->field : NULL, hi))
		return i;
	while (j + 1 < n && v[j + 1].e->kind != BW_AE_PREFIX) {
		const struct bw_ast_expr *x = v[j + 1].e;
		uint8_t end[KEYW];
		int k;

		memcpy(lo, v[j + 1].key, KEYW);
		/* hi + 1, saturating */
		memcpy(end, hi, KEYW);
		for (k = KEYW - 1; k >= 0 && ++end[k] == 0; k--)
			;
		if (k < 0 || memcmp(lo, end, KEYW) > 0)
			break;
		if (!scalar_key(x->kind == BW_AE_RANGE ? x->right : x, t[0],
				t == p->field_t ? p->field : NULL, end))
			break;
		if (memcmp(end, hi, KEYW) > 0) {
			memcpy(hi, end, KEYW);
			*top = j + 1;
		}
		j++;
	}
	return j;
}

/* A map's catch-all element (`* : VALUE`) moved past the n others. */
static void catch_last(struct selem *v, size_t *n, size_t *ncatch)
{
	*ncatch = 0;
	for (size_t i = 0; i < *n; i++) {
		const struct bw_ast_expr *e = v[i].e;

		if (e->kind == BW_AE_MAPELEM && e->left->kind == BW_AE_SYMBOL &&
		    !strcmp(e->left->text, "*") && i + 1 < *n) {
			struct selem c = v[i];

			memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
			v[*n - 1] = c;
			(*n)--;
			(*ncatch)++;
			i--;
		} else if (e->kind == BW_AE_MAPELEM && e->left->kind == BW_AE_SYMBOL &&
			   !strcmp(e->left->text, "*")) {
			(*n)--;
			(*ncatch)++;
		}
	}
}

static void set_elems(struct jp *p, json_t *a, const struct bw_ast_expr *set,
		      const struct type_row *const *t, unsigned nt, bool interval,
		      bool merge)
{
	struct selem *v = NULL;
	size_t n = 0, cap = 0, ncatch;
	bool sort = true;

	collect(set, &v, &n, &cap);
	catch_last(v, &n, &ncatch);
	for (size_t i = 0; i < n && !interval; i++)
		interval = has_interval(v[i].e);
	for (size_t i = 0; i < n && sort; i++)
		sort = elem_key(p, v[i].e, t, nt, interval, v[i].key);
	if (sort)
		qsort(v, n, sizeof(*v), selem_cmp);
	for (size_t i = 0; i < n + ncatch; i++) {
		if (i >= n) {		/* the catch-all, as nft lists it: last */
			json_array_append_new(a, value(p, v[i].e, t, nt));
			continue;
		}
		struct bw_ast_expr merged;
		const struct bw_ast_expr *e = v[i].e;
		json_t *x;
		size_t j, top = i;

		/* an anonymous interval set: nft merges adjacent elements
		 * into one range (values and ranges; a prefix stays) */
		j = merge && sort && interval && nt == 1 ? run_end(p, v, n, i, t, &top) : i;
		if (j > i) {
			memset(&merged, 0, sizeof(merged));
			merged.kind = BW_AE_RANGE;
			merged.loc = e->loc;
			merged.left = e->kind == BW_AE_RANGE ? e->left : (struct bw_ast_expr *)e;
			merged.right = v[top].e->kind == BW_AE_RANGE ? v[top].e->right :
				       (struct bw_ast_expr *)v[top].e;
			e = &merged;
			i = j;
		}
		/* an element that is an address range of one prefix: nft lists
		 * the prefix (a match's range stays a range) */
		x = e->kind == BW_AE_RANGE && nt == 1 && t[0] ? range_prefix(e, t[0]) : NULL;
		json_array_append_new(a, x ? x : value(p, e, t, nt));
	}
	free(v);
}

/* An address range that is one prefix, as nft lists it: {"prefix": ...}
 * (NULL: it is none). */
static json_t *range_prefix(const struct bw_ast_expr *e, const struct type_row *t)
{
	int af = t->type == BW_T_IPV4_ADDR ? AF_INET :
		 t->type == BW_T_IPV6_ADDR ? AF_INET6 : 0;
	size_t n = af == AF_INET ? 4 : 16;
	uint8_t lo[16], hi[16];
	unsigned len = 0;
	json_t *o;

	if (!af || e->left->kind != BW_AE_ADDR || e->right->kind != BW_AE_ADDR ||
	    inet_pton(af, e->left->text, lo) != 1 ||
	    inet_pton(af, e->right->text, hi) != 1)
		return NULL;
	/* lo and hi agree on the first len bits; then lo is all 0, hi all 1 */
	while (len < n * 8 && !((lo[len / 8] ^ hi[len / 8]) & (0x80 >> (len % 8))))
		len++;
	for (unsigned b = len; b < n * 8; b++)
		if ((lo[b / 8] & (0x80 >> (b % 8))) || !(hi[b / 8] & (0x80 >> (b % 8))))
			return NULL;
	if (len == n * 8)
		return NULL;	/* one address: a range of one stays */
	o = json_object();
	json_object_set_new(o, "addr", json_string(e->left->text));
	json_object_set_new(o, "len", json_integer(len));
	return wrap("prefix", o);
}

static json_t *value(struct jp *p, const struct bw_ast_expr *e,
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
			return value(p, e->left, t, nt);	/* nft: no /32 */
		o = json_object();
		json_object_set_new(o, "addr", value(p, e->left, t, nt));
		json_object_set_new(o, "len", number(e->right->text));
		return wrap("prefix", o);
	case BW_AE_RANGE:
		a = json_array();
		json_array_append_new(a, value(p, e->left, t, nt));
		json_array_append_new(a, value(p, e->right, t, nt));
		return wrap("range", a);
	case BW_AE_OR:
	case BW_AE_LIST:
		return flags(e);
	case BW_AE_SET:
		a = json_array();
		set_elems(p, a, e, t, nt, false, true);
		return wrap("set", a);
	case BW_AE_CONCAT: {
		unsigned i = 0;

		a = json_array();
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next, i++)
			json_array_append_new(a, value(p, x, i < nt ? t + i : NULL,
						       i < nt ? 1 : 0));
		return wrap("concat", a);
	}
	case BW_AE_MAPELEM:
		a = json_array();
		if (e->left->kind == BW_AE_SYMBOL && !strcmp(e->left->text, "*"))
			json_array_append_new(a, json_string("*"));	/* catch-all */
		else
			json_array_append_new(a, value(p, e->left, t, nt));
		json_array_append_new(a, value(p, e->right, NULL, 0));
		return a;
	case BW_AE_VERDICT:
		return verdict(e);
	case BW_AE_VAR:
		return fail(p, &e->loc, "JSON: $%s is not expanded", e->text);
	default:
		if (t0 && t0->shape == V_FLAGS && e->kind == BW_AE_SYMBOL)
			return json_string(e->text);
		if (e->kind == BW_AE_SYMBOL && (!strcmp(e->text, "exists") ||
						!strcmp(e->text, "missing")))
			return json_boolean(!strcmp(e->text, "exists"));
		/* nft's boolean (fib daddr check, exthdr X exists) */
		return scalar(p, e, t0, nt == 1 && t == p->field_t ? p->field : NULL);
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
	return wrap("fib", o);
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
	return wrap("ipsec", o);
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
	return wrap("tcp option", o);
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
	return wrap("sctp chunk", o);
}

static json_t *field(const char *proto, const char *name)
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
		return wrap("payload", o);
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
		return wrap("payload", o);
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
		return wrap("osf", o);
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
	return wrap(k->json, o);
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
	t[0] = f ? type_row(f->type) : NULL;
	if (!s->cat)
		return field(s->proto, s->field);
	a = json_array();
	json_array_append_new(a, field(s->proto, s->field));
	for (const struct bw_ast_fref *r = s->cat; r; r = r->next) {
		f = bw_field_find(r->proto, r->field);
		if (*nt < MAXCAT)
			t[(*nt)++] = f ? type_row(f->type) : NULL;
		json_array_append_new(a, field(r->proto, r->field));
	}
	return wrap("concat", a);
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
static json_t *one_or_list(json_t *a)
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
	json_object_set_new(o, "addr", value(p, s->rhs, t, 1));
	json_object_set_new(o, "len", json_integer(len));
	return wrap("prefix", o);
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
		json_object_set_new(o, "data", value(p, rhs, t, nt));
		return wrap("vmap", o);
	}
	if (s->mask && (right = mask_prefix(p, s, t))) {
		/* nft lists (x & prefix mask) == v as v/len */
		json_object_set_new(o, "op", json_string(op));
		json_object_set_new(o, "left", left);
		json_object_set_new(o, "right", right);
		return wrap("match", o);
	} else if (s->mask) {
		json_t *a = json_array();

		json_array_append_new(a, left);
		json_array_append_new(a, value(p, s->mask, t, nt));
		left = wrap(s->mask_op == BW_MASK_OR ? "|" :
			    s->mask_op == BW_MASK_XOR ? "^" : "&", a);
	} else if (!s->cat && !strcmp(s->proto, "fib") &&
		   rhs->kind == BW_AE_NUMBER) {
		/* fib ... oif N: nft's iface_index, a string */
		json_object_set_new(o, "op", json_string(op));
		json_object_set_new(o, "left", left);
		json_object_set_new(o, "right", json_string(rhs->text));
		return wrap("match", o);
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
		return wrap("match", o);
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
		json_array_append_new(a, one_or_list(m));
		left = wrap("&", a);
		json_object_set_new(o, "op", json_string(s->op == BW_OP_NE ? "!=" : "=="));
		json_object_set_new(o, "left", left);
		json_object_set_new(o, "right", one_or_list(v));
		return wrap("match", o);
	} else if (s->op == BW_OP_IMPLICIT && t[0] && t[0]->shape == V_FLAGS &&
		   rhs->kind != BW_AE_SET && rhs->kind != BW_AE_SETREF) {
		op = "in";	/* nft's any-bit test */
	}
	right = value(p, rhs, t, nt);
	json_object_set_new(o, "op", json_string(op));
	json_object_set_new(o, "left", left);
	json_object_set_new(o, "right", right);
	return wrap("match", o);
}

static json_t *st_match(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o;

	if (strcmp(s->proto, "ct") || strcmp(s->field, "count") || s->cat)
		return match(p, s);
	/* nft's connlimit statement: {"ct count": {"val": N, "inv": true}} */
	o = json_object();
	json_object_set_new(o, "val", number(s->rhs->text));
	if (s->count_over)
		json_object_set_new(o, "inv", json_true());
	return wrap("ct count", o);
}

static json_t *st_counter(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	(void)p;
	json_object_set_new(o, "packets", s->packets ? number(s->packets->text) :
			    json_integer(0));
	json_object_set_new(o, "bytes", s->bytes ? number(s->bytes->text) :
			    json_integer(0));
	return wrap("counter", o);
}

static json_t *st_verdict(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *t = json_null();

	(void)p;
	if (s->target) {
		t = json_object();
		json_object_set_new(t, "target", json_string(s->target));
	}
	return wrap(bw_ast_verdict_str(s->verdict), t);
}

static json_t *st_log(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	(void)p;
	if (s->log_prefix)
		json_object_set_new(o, "prefix", json_string(s->log_prefix));
	/* warn is the default: nft leaves it out */
	if (s->log_group)
		json_object_set_new(o, "group", number(s->log_group->text));
	if (s->log_snaplen)
		json_object_set_new(o, "snaplen", number(s->log_snaplen->text));
	if (s->log_qthreshold)
		json_object_set_new(o, "queue-threshold", number(s->log_qthreshold->text));
	if (s->log_level && strcmp(s->log_level->text, "warn") &&
	    strcmp(s->log_level->text, "warning"))
		json_object_set_new(o, "level", json_string(s->log_level->text));
	if (s->log_flags) {	/* nft's names, in its order */
		static const struct { uint32_t bit; const char *name; } fl[] = {
			{ 0x01, "tcp sequence" }, { 0x02, "tcp options" },
			{ 0x04, "ip options" }, { 0x08, "skuid" }, { 0x20, "ether" },
		};
		json_t *a = json_array();

		if ((s->log_flags & 0x2f) == 0x2f)
			json_array_append_new(a, json_string("all"));
		else
			for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
				if (s->log_flags & fl[i].bit)
					json_array_append_new(a, json_string(fl[i].name));
		json_object_set_new(o, "flags", json_array_size(a) == 1 ?
				    json_incref(json_array_get(a, 0)) : json_incref(a));
		json_decref(a);
	}
	if (!json_object_size(o)) {
		json_decref(o);
		o = json_null();
	}
	return wrap("log", o);
}

static json_t *st_limit(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();
	bool bytes = s->rate_bytes || (s->burst_unit &&
				       strcmp(s->burst_unit->text, "packets"));

	(void)p;
	json_object_set_new(o, "rate", number(s->rate->text));
	/* nft's default burst: 5 packets, 0 bytes */
	json_object_set_new(o, "burst", s->burst ? number(s->burst->text) :
			    json_integer(bytes ? 0 : 5));
	json_object_set_new(o, "per", json_string(s->rate_unit->text));
	if (s->over)
		json_object_set_new(o, "inv", json_true());
	if (bytes) {
		json_object_set_new(o, "rate_unit", json_string(s->rate_bytes ?
						s->rate_bytes->text : "bytes"));
		/* nft lists the unit of a byte limit's burst always */
		json_object_set_new(o, "burst_unit", json_string(s->burst ?
						s->burst_unit->text : "bytes"));
	}
	return wrap("limit", o);
}

static json_t *st_reject(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	if (!s->rej_kind) {
		/* nft prints the reject it made: icmp port-unreachable for
		 * the family */
		const char *ty = !strcmp(p->family, "ip") ? "icmp" :
				 !strcmp(p->family, "ip6") ? "icmpv6" : "icmpx";

		json_object_set_new(o, "type", json_string(ty));
		json_object_set_new(o, "expr", json_string("port-unreachable"));
	} else if (!strcmp(s->rej_kind->text, "tcp")) {
		json_object_set_new(o, "type", json_string("tcp reset"));
	} else {
		json_object_set_new(o, "type", json_string(s->rej_kind->text));
		json_object_set_new(o, "expr", scalar(p, s->rej_code, NULL, NULL));
	}
	return wrap("reject", o);
}

/* nft's unit for n units u: the largest that divides the byte count
 * (nft lists 1024 kbytes as 1 mbytes); *v the count in it. */
static const char *byte_unit(const struct bw_ast_expr *n,
			     const struct bw_ast_expr *u, unsigned long long *v)
{
	static const char *const units[] = { "bytes", "kbytes", "mbytes", "gbytes" };
	unsigned long long b = strtoull(n->text, NULL, 0);
	size_t i = 0;

	while (i < 3 && strcmp(u->text, units[i]))
		i++;
	if (strcmp(u->text, units[i])) {	/* not a unit nft knows */
		*v = b;
		return u->text;
	}
	for (size_t k = 0; k < i; k++)
		b *= 1024;
	for (i = 0; b && i < 3 && !(b % 1024); i++)
		b /= 1024;
	*v = b;
	return units[i];
}

static json_t *st_quota(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();
	unsigned long long v;
	const char *u;

	(void)p;
	u = byte_unit(s->quota_n, s->quota_unit, &v);
	json_object_set_new(o, "val", json_integer((json_int_t)v));
	json_object_set_new(o, "val_unit", json_string(u));
	/* until is the default: nft leaves it out */
	if (s->quota_mode && !strcmp(s->quota_mode, "over"))
		json_object_set_new(o, "inv", json_true());
	if (s->quota_used && strtoull(s->quota_used->text, NULL, 0)) {
		u = byte_unit(s->quota_used, s->quota_used_unit, &v);
		json_object_set_new(o, "used", json_integer((json_int_t)v));
		json_object_set_new(o, "used_unit", json_string(u));
	}
	return wrap("quota", o);
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

	(void)p;
	m.proto = s->dyn_key->proto;
	m.field = s->dyn_key->field;
	m.cat = s->dyn_key->next;
	json_object_set_new(o, "op", json_string(s->dyn_op));
	json_object_set_new(o, "elem", lhs(&m, t, &nt));
	if (asprintf(&ref, "@%s", s->dyn_set) < 0)
		ref = NULL;
	json_object_set_new(o, "set", json_string(ref ? ref : s->dyn_set));
	free(ref);
	return wrap("set", o);
}

/* The names of a LIST in the order of order[] (nft's), one alone as a
 * string (NULL: none). */
static json_t *ordered_flags(const struct bw_ast_expr *l,
			     const char *const *order, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; l && i < n; i++) {
		const struct bw_ast_expr *x = l->kind == BW_AE_LIST ? l->elems : l;

		for (; x; x = l->kind == BW_AE_LIST ? x->next : NULL)
			if (x->text && !strcmp(x->text, order[i])) {
				json_array_append_new(a, json_string(order[i]));
				break;
			}
	}
	if (!json_array_size(a)) {
		json_decref(a);
		return NULL;
	}
	return one_or_list(a);
}

static bool has_netmap(const json_t *f)
{
	const json_t *x;
	size_t i;

	if (json_is_string(f))
		return !strcmp(json_string_value(f), "netmap");
	json_array_foreach(f, i, x)
		if (!strcmp(json_string_value(x) ?: "", "netmap"))
			return true;
	return false;
}

static json_t *st_nat(struct jp *p, const struct bw_ast_stmt *s)
{
	static const char *const order[] = {
		"random", "fully-random", "persistent", "netmap", "prefix",
	};
	json_t *o = json_object(), *f, *x;
	size_t i;

	if (s->nat_family)
		json_object_set_new(o, "family", json_string(s->nat_family));
	if (s->nat_addr)
		json_object_set_new(o, "addr", bw_vexpr_is(s->nat_addr) ?
				    bw_jp_vexpr(p, s->nat_addr) :	/* json_vexpr.c */
				    value(p, s->nat_addr, NULL, 0));
	if (s->nat_port)
		json_object_set_new(o, "port", bw_vexpr_is(s->nat_port) ?
				    bw_jp_vexpr(p, s->nat_port) :
				    value(p, s->nat_port, NULL, 0));
	f = ordered_flags(s->nat_flags, order, sizeof(order) / sizeof(order[0]));
	/* snat ip prefix to: nft's flag netmap, type_flags prefix */
	if (f && json_is_string(f) && !strcmp(json_string_value(f), "prefix"))
		json_string_set(f, "netmap");
	json_array_foreach(f, i, x)
		if (!strcmp(json_string_value(x) ?: "", "prefix"))
			json_string_set(x, "netmap");
	if (f)
		json_object_set_new(o, "flags", f);
	if (f && has_netmap(f))	/* as nft 1.0.6 (later: [interval, prefix]) */
		json_object_set_new(o, "type_flags", json_string("prefix"));
	if (!json_object_size(o)) {
		json_decref(o);
		o = json_null();
	}
	return wrap(s->nat_kind, o);
}

/* One of SRC and A / or O / xor X as a 32-bit number (0 and false if
 * absent or not one: the evaluator refuses those). */
static bool setf_num(const struct bw_ast_expr *e, uint32_t *v)
{
	uint64_t n;

	if (!e || e->kind != BW_AE_NUMBER || bw_eval_number(e->text, &n) ||
	    n > UINT32_MAX)
		return false;
	*v = (uint32_t)n;
	return true;
}

static json_t *binop(const char *op, json_t *l, uint32_t r)
{
	json_t *a = json_array();

	json_array_append_new(a, l);
	json_array_append_new(a, json_integer(r));
	return wrap(op, a);
}

/* FIELD set SRC and A xor X (or O, xor X): the one bitwise
 * (SRC & mask) ^ xor, as nft lists it: the xor's bits outside the mask
 * are an OR, the mask takes them in, and each part is left out when it
 * changes nothing: SRC & m ^ x | o. */
static json_t *setf_bits(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *v = field(s->setf_src->proto, s->setf_src->field);
	uint32_t mask = UINT32_MAX, xor = 0, o, n;

	(void)p;
	if (setf_num(s->setf_and, &n))
		mask = n;
	if (setf_num(s->setf_xor, &n))
		xor = n;
	if (setf_num(s->setf_or, &n)) {
		mask = ~n;
		xor = n;
	}
	o = xor & ~mask;
	xor &= mask;
	mask |= o;
	if (mask != UINT32_MAX)
		v = binop("&", v, mask);
	if (xor)
		v = binop("^", v, xor);
	if (o)
		v = binop("|", v, o);
	return v;
}

/* A header field's own bits & or | a value (ip dscp set ip dscp & 0x1f):
 * {"&": [FIELD, V]}, flags as {"|": [names]} */
static json_t *hdr_bits(const struct bw_ast_stmt *s)
{
	const struct bw_ast_expr *e = s->setf_and ? s->setf_and : s->setf_or;
	json_t *a = json_array(), *v;

	json_array_append_new(a, field(s->setf_src->proto, s->setf_src->field));
	if (e->kind == BW_AE_LIST) {
		v = json_array();
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			json_array_append_new(v, json_string(x->text ? x->text : ""));
		v = wrap("|", v);
	} else if (e->kind == BW_AE_NUMBER) {
		v = number(e->text);
	} else {
		v = json_string(e->text ? e->text : "");
	}
	json_array_append_new(a, v);
	return wrap(s->setf_and ? "&" : "|", a);
}

/* FIELD set VALUE: nft's "mangle" */
/* A | of names (the value grammar's tcp flags set syn | ack)? */
static bool flag_ors(const struct bw_ast_expr *e)
{
	if (!e)
		return false;
	if (e->kind == BW_AE_SYMBOL)
		return true;
	return e->kind == BW_AE_BINOP && e->text && !strcmp(e->text, "|") &&
	       flag_ors(e->left) && flag_ors(e->right);
}

static void flag_names(const struct bw_ast_expr *e, json_t *a)
{
	if (e->kind == BW_AE_SYMBOL) {
		json_array_append_new(a, json_string(e->text));
		return;
	}
	flag_names(e->left, a);
	flag_names(e->right, a);
}

static json_t *st_setf(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o;

	if (!s->setf_src && !s->setf_value) {
		/* reset tcp option K: {"reset": {"tcp option": {"name": K}}} */
		const char *k = s->setf->field + 7;

		o = json_object();
		if (k[0] >= '0' && k[0] <= '9') {	/* nft: a kind by number */
			json_object_set_new(o, "base", json_integer(strtol(k, NULL, 10)));
			json_object_set_new(o, "offset", json_integer(0));
			json_object_set_new(o, "len", json_integer(0));
		} else {
			json_object_set_new(o, "name", json_string(k));
		}
		return wrap("reset", wrap("tcp option", o));
	}
	o = json_object();

	json_object_set_new(o, "key", field(s->setf->proto, s->setf->field));
	if (s->setf_src && s->setf->proto && strcmp(s->setf->proto, "meta") &&
	    strcmp(s->setf->proto, "ct") && (s->setf_and || s->setf_or)) {
		json_object_set_new(o, "value", hdr_bits(s));
	} else if (!s->setf_src && s->setf->proto && strcmp(s->setf->proto, "meta") &&
		   strcmp(s->setf->proto, "ct") && s->setf_value->kind == BW_AE_BINOP &&
		   flag_ors(s->setf_value)) {
		/* tcp flags set syn | ack: nft's {"|": ["syn", "ack"]} */
		json_t *a = json_array();

		flag_names(s->setf_value, a);
		json_object_set_new(o, "value", wrap("|", a));
	} else if (!s->setf_src && bw_vexpr_is(s->setf_value)) {	/* json_vexpr.c */
		json_t *v = bw_jp_vexpr(p, s->setf_value);

		if (!v) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "value", v);
	} else if (s->setf_src)
		json_object_set_new(o, "value", setf_bits(p, s));
	else if (s->setf_value->kind == BW_AE_NUMBER &&
		 (s->setf_and || s->setf_or || s->setf_xor)) {
		/* 0x12 or 0x11: nft folds it */
		uint32_t v = 0, n;

		setf_num(s->setf_value, &v);
		if (setf_num(s->setf_and, &n))
			v &= n;
		if (setf_num(s->setf_or, &n))
			v |= n;
		if (setf_num(s->setf_xor, &n))
			v ^= n;
		json_object_set_new(o, "value", json_integer(v));
	} else if (s->setf_value->kind == BW_AE_NUMBER)
		json_object_set_new(o, "value", number(s->setf_value->text));
	else if (s->setf_value->kind == BW_AE_ADDR)	/* a priority's 1:2 */
		json_object_set_new(o, "value", json_string(s->setf_value->text));
	else if (s->setf_value->kind == BW_AE_SYMBOL)	/* ct event set new */
		json_object_set_new(o, "value", json_string(s->setf_value->text));
	else if (s->setf_value->kind == BW_AE_LIST) {	/* new,related */
		json_t *a = json_array();

		for (const struct bw_ast_expr *x = s->setf_value->elems; x; x = x->next)
			json_array_append_new(a, json_string(x->text ? x->text : ""));
		/* tcp flags set syn | ack: nft's {"|": ["syn", "ack"]} */
		json_object_set_new(o, "value", s->setf->proto &&
				    strcmp(s->setf->proto, "ct") ? wrap("|", a) : a);
	} else
		return fail(p, &s->setf_value->loc,
			    "JSON: this value has no JSON form in bpfwall%s", "");
	return wrap("mangle", o);
}

static json_t *st_notrack(struct jp *p, const struct bw_ast_stmt *s)
{
	(void)p;
	(void)s;
	return wrap("notrack", json_null());
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

		json_array_append_new(a, number(s->queue_lo->text));
		json_array_append_new(a, number(s->queue_hi->text));
		json_object_set_new(o, "num", wrap("range", a));
	} else {
		json_object_set_new(o, "num", s->queue_lo ? number(s->queue_lo->text) :
				    json_integer(0));
	}
	f = ordered_flags(s->queue_flags, order, sizeof(order) / sizeof(order[0]));
	if (f)
		json_object_set_new(o, "flags", f);
	return wrap("queue", o);
}

/* tproxy: {family (inet only, when written), addr, port} */
static json_t *st_tproxy(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	if (s->nat_family && p->family && !strcmp(p->family, "inet"))
		json_object_set_new(o, "family", json_string(s->nat_family));
	if (s->nat_addr)
		json_object_set_new(o, "addr", value(p, s->nat_addr, NULL, 0));
	if (s->nat_port)
		json_object_set_new(o, "port", bw_vexpr_is(s->nat_port) ?
				    bw_jp_vexpr(p, s->nat_port) :	/* json_vexpr.c */
				    value(p, s->nat_port, NULL, 0));
	return wrap("tproxy", o);
}

/* synproxy: null, or {mss, wscale, flags: [timestamp, sack-perm]} (a
 * list even of one, as nft 1.0.6 lists it) */
static json_t *st_synproxy(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object(), *f = json_array();

	(void)p;
	if (s->syn_mss)
		json_object_set_new(o, "mss", number(s->syn_mss->text));
	if (s->syn_wscale)
		json_object_set_new(o, "wscale", number(s->syn_wscale->text));
	if (s->syn_words & BW_AST_SYN_TIMESTAMP)
		json_array_append_new(f, json_string("timestamp"));
	if (s->syn_words & BW_AST_SYN_SACK_PERM)
		json_array_append_new(f, json_string("sack-perm"));
	if (json_array_size(f))
		json_object_set_new(o, "flags", f);
	else
		json_decref(f);
	if (!json_object_size(o)) {
		json_decref(o);
		o = json_null();
	}
	return wrap("synproxy", o);
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
	return wrap("flow", o);
}

/* dup to ADDR [device "DEV"]: {"dup": {"addr": A[, "dev": D]}} */
static json_t *st_fwd(struct jp *p, const struct bw_ast_stmt *s);

static json_t *st_dup(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o, *a = NULL;

	if (p->family && !strcmp(p->family, "netdev")) {	/* fwd.h's */
		struct bw_ast_stmt f;
		struct bw_ast_expr dev;

		bw_fwd_from_dup(s, &f, &dev);
		return st_fwd(p, &f);
	}
	o = json_object();

	if (s->dup_addr) {
		a = bw_vexpr_is(s->dup_addr) ? bw_jp_vexpr(p, s->dup_addr) :
		    value(p, s->dup_addr, NULL, 0);
		if (!a) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "addr", a);
	}
	if (s->dup_dev)
		json_object_set_new(o, "dev", json_string(s->dup_dev));
	return wrap("dup", o);
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
		return wrap(s->obj_kind, json_string(s->obj_name->text));
	m.proto = s->obj_key->proto;
	m.field = s->obj_key->field;
	m.cat = s->obj_key->next;
	o = json_object();
	json_object_set_new(o, "key", lhs(&m, t, &nt));
	p->field = m.cat ? NULL : bw_field_find(m.proto, m.field);
	p->field_t = t;
	json_object_set_new(o, "data", value(p, s->obj_map, t, nt));
	map = wrap("map", o);
	return wrap(s->obj_kind, map);
}

/* last: {"last": null} (never used; nft's form without a time) */
static json_t *st_last(struct jp *p, const struct bw_ast_stmt *s)
{
	(void)p;
	(void)s;
	return wrap("last", json_null());
}

/* fwd: {"dev": D[, "family": F, "addr": A]}; dup in a netdev chain:
 * {"addr": D} (nft's form: the device in "addr") */
static json_t *st_fwd(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o, *dev;

	if (!s->fwd_dev || (s->fwd_dev->kind != BW_AE_STRING &&
			    s->fwd_dev->kind != BW_AE_MAP))
		return fail(p, &s->loc, "JSON: %s has no JSON form in bpfwall here",
			    s->fwd_dup ? "dup" : "fwd");
	dev = s->fwd_dev->kind == BW_AE_MAP ? bw_jp_vexpr(p, s->fwd_dev) :
	      json_string(s->fwd_dev->text);
	if (!dev)
		return NULL;
	o = json_object();
	if (s->fwd_dup) {
		json_object_set_new(o, "addr", dev);
		return wrap("dup", o);
	}
	json_object_set_new(o, "dev", dev);
	if (s->fwd_family && s->fwd_addr) {
		json_object_set_new(o, "family", json_string(s->fwd_family));
		json_object_set_new(o, "addr", json_string(s->fwd_addr->text));
	}
	return wrap("fwd", o);
}

static const struct stmt_row {
	enum bw_ast_stmt_kind kind;
	json_t *(*print)(struct jp *p, const struct bw_ast_stmt *s);
} stmts[] = {
	{ BW_AS_MATCH, st_match },
	{ BW_AS_COUNTER, st_counter },
	{ BW_AS_VERDICT, st_verdict },
	{ BW_AS_LOG, st_log },
	{ BW_AS_LIMIT, st_limit },
	{ BW_AS_REJECT, st_reject },
	{ BW_AS_NAT, st_nat },
	{ BW_AS_SETF, st_setf },
	{ BW_AS_NOTRACK, st_notrack },
	{ BW_AS_QUOTA, st_quota },
	{ BW_AS_QUEUE, st_queue },
	{ BW_AS_OBJREF, st_objref },
	{ BW_AS_LAST, st_last },
	{ BW_AS_DYNSET, st_dynset },
	{ BW_AS_TPROXY, st_tproxy },
	{ BW_AS_SYNPROXY, st_synproxy },
	{ BW_AS_DUP, st_dup },
	{ BW_AS_FWD, st_fwd },
	{ BW_AS_FLOW, st_flow },
};

static json_t *stmt(struct jp *p, const struct bw_ast_stmt *s)
{
	char buf[64];

	for (size_t i = 0; i < sizeof(stmts) / sizeof(stmts[0]); i++)
		if (stmts[i].kind == s->kind)
			return stmts[i].print(p, s);
	return fail(p, &s->loc, "JSON: statement \"%s\" has no JSON form in bpfwall",
		    s->kind == BW_AS_UNSUPPORTED ? s->what : stmt_text(s, buf, sizeof(buf)));
}

/* ---- objects ---- */

static void add(json_t *list, const char *kind, json_t *o)
{
	json_array_append_new(list, wrap(kind, o));
}

static json_t *head(struct jp *p, const char *name_key, const char *name)
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

static void set_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
		    uint32_t handle)
{
	const struct bw_ast_setdef *sd = it->set;
	const struct type_row *t[MAXCAT];
	json_t *o = head(p, "name", it->set_name), *ty, *f;
	unsigned nt = 0;

	if (sd->typeof_) {
		for (const struct bw_ast_fref *r = sd->typeof_; r && nt < MAXCAT; r = r->next) {
			const struct bw_field *f = bw_field_find(r->proto, r->field);

			t[nt++] = f ? type_row(f->type) : NULL;
		}
	} else if (sd->types) {
		for (const struct bw_ast_expr *x = sd->types->elems; x && nt < MAXCAT; x = x->next)
			t[nt++] = type_by_nft_name(x->text);
	}
	ty = nt > 1 ? json_array() : NULL;
	for (unsigned i = 0; i < nt; i++) {
		const char *n = t[i] ? t[i]->nft : "integer";

		if (!t[i] && sd->types) {	/* a type word bpfwall has no row for */
			const struct bw_ast_expr *x = sd->types->elems;

			for (unsigned k = 0; k < i; k++)
				x = x->next;
			n = x->text;
		}
		if (ty)
			json_array_append_new(ty, json_string(n));
		else
			ty = json_string(n);
	}
	json_object_set_new(o, "type", ty ? ty : json_string("integer"));
	json_object_set_new(o, "handle", json_integer(handle));
	if (sd->map)
		json_object_set_new(o, "map", json_string(bw_set_typeof_data(sd)));
	if (sd->comment)
		json_object_set_new(o, "comment", json_string(sd->comment));
	if (sd->flags && (f = set_flags_json(sd->flags)))
		json_object_set_new(o, "flags", f);
	if (sd->size)
		json_object_set_new(o, "size", number(sd->size->text));
	if (sd->elements) {
		json_t *a = json_array();

		bool interval = false;

		for (const struct bw_ast_expr *f = sd->flags ? sd->flags->elems : NULL;
		     f; f = f->next)
			interval |= !strcmp(f->text, "interval");
		if (sd->elements->kind == BW_AE_SET)
			set_elems(p, a, sd->elements, t, nt, interval, false);
		else
			json_array_append_new(a, value(p, sd->elements, t, nt));
		json_object_set_new(o, "elem", a);
	}
	add(list, sd->map ? "map" : "set", o);
}

/* The bytes of N UNIT (a listing's: bytes, kbytes, mbytes). */
static json_int_t bytes_of(const struct bw_ast_expr *n, const struct bw_ast_expr *u)
{
	unsigned long long v = strtoull(n->text, NULL, 0);

	if (!strcmp(u->text, "kbytes"))
		v *= 1024;
	else if (!strcmp(u->text, "mbytes"))
		v *= 1024 * 1024;
	return (json_int_t)v;
}

/* The value of a ct object's attribute key, or NULL. */
static const struct bw_ast_expr *attr(const struct bw_ast_item *it, const char *key)
{
	for (const struct bw_ast_expr *a = it->obj_attrs ? it->obj_attrs->elems : NULL;
	     a; a = a->next)
		if (!strcmp(a->left->text, key))
			return a->right;
	return NULL;
}

/* A named object as nft lists it: {"counter": {"family", "name", "table",
 * "handle", "packets", "bytes"}}, quota, limit, ct helper, ct timeout,
 * ct expectation. */
static void obj_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
		    uint32_t handle)
{
	const struct bw_ast_stmt *s = it->obj_stmt;
	const struct bw_ast_expr *v;
	json_t *o = head(p, "name", it->obj_ident);

	json_object_set_new(o, "handle", json_integer(handle));
	if (!strcmp(it->obj_type, "counter")) {
		json_object_set_new(o, "packets", s ? number(s->packets->text) : json_integer(0));
		json_object_set_new(o, "bytes", s ? number(s->bytes->text) : json_integer(0));
	} else if (!strcmp(it->obj_type, "quota") && s) {
		json_object_set_new(o, "bytes", json_integer(bytes_of(s->quota_n, s->quota_unit)));
		json_object_set_new(o, "used", s->quota_used ?
				    json_integer(bytes_of(s->quota_used, s->quota_used_unit)) :
				    json_integer(0));
		json_object_set_new(o, "inv", json_boolean(s->quota_mode &&
							   !strcmp(s->quota_mode, "over")));
	} else if (!strcmp(it->obj_type, "synproxy") && s) {
		json_t *f = json_array();

		json_object_set_new(o, "mss", number(s->syn_mss->text));
		json_object_set_new(o, "wscale", number(s->syn_wscale->text));
		if (s->syn_words & BW_AST_SYN_TIMESTAMP)
			json_array_append_new(f, json_string("timestamp"));
		if (s->syn_words & BW_AST_SYN_SACK_PERM)
			json_array_append_new(f, json_string("sack-perm"));
		if (json_array_size(f))
			json_object_set_new(o, "flags", f);
		else
			json_decref(f);
	} else if (!strcmp(it->obj_type, "limit") && s) {
		bool bytes = s->rate_bytes != NULL;

		json_object_set_new(o, "rate", number(s->rate->text));
		json_object_set_new(o, "per", json_string(s->rate_unit->text));
		if (s->over)
			json_object_set_new(o, "inv", json_true());
		if (bytes)
			json_object_set_new(o, "rate_unit", json_string(s->rate_bytes->text));
		json_object_set_new(o, "burst", s->burst ? number(s->burst->text) :
				    json_integer(bytes ? 0 : 5));
		if (bytes)
			json_object_set_new(o, "burst_unit", json_string(s->burst ?
							s->burst_unit->text : "bytes"));
	} else {
		if ((v = attr(it, "type")))
			json_object_set_new(o, "type", json_string(v->text));
		if ((v = attr(it, "protocol")))
			json_object_set_new(o, "protocol", json_string(v->text));
		if ((v = attr(it, "dport")))
			json_object_set_new(o, "dport", number(v->text));
		if ((v = attr(it, "timeout"))) {
			/* a listing's time: 2m, 1h30m, 500ms: in ms */
			unsigned long long ms = 0, n;
			const char *q = v->text;
			char *end;

			while (*q) {
				n = strtoull(q, &end, 10);
				if (end == q)
					break;
				ms += !strncmp(end, "ms", 2) ? n : *end == 'd' ? n * 86400000 :
				      *end == 'h' ? n * 3600000 : *end == 'm' ? n * 60000 :
				      *end == 's' ? n * 1000 : n * 1000;
				q = end + (!strncmp(end, "ms", 2) ? 2 : *end ? 1 : 0);
			}
			json_object_set_new(o, "timeout", json_integer((json_int_t)ms));
		}
		if ((v = attr(it, "size")))
			json_object_set_new(o, "size", number(v->text));
		if ((v = attr(it, "l3proto")))
			json_object_set_new(o, "l3proto", json_string(v->text));
		if (!strcmp(it->obj_type, "ct timeout")) {
			/* nft lists a policy always, null when every state
			 * has the kernel's default */
			json_t *pol = json_object();

			v = attr(it, "policy");
			for (const struct bw_ast_expr *e = v && v->kind == BW_AE_SET ?
							   v->elems : NULL; e; e = e->next)
				if (e->kind == BW_AE_MAPELEM)
					json_object_set_new(pol, e->left->text,
							    number(e->right->text));
			if (!json_object_size(pol)) {
				json_decref(pol);
				pol = json_null();
			}
			json_object_set_new(o, "policy", pol);
		}
	}
	add(list, it->obj_type, o);
}

static void chain_obj(struct jp *p, json_t *list, const struct bw_ast_item *c,
		      uint32_t handle)
{
	json_t *o = json_object();
	const struct bw_ast_item *hook = NULL, *policy = NULL, *comment = NULL;

	for (const struct bw_ast_item *it = c->items; it; it = it->next) {
		if (it->kind == BW_AI_HOOK)
			hook = it;
		else if (it->kind == BW_AI_POLICY)
			policy = it;
		else if (it->kind == BW_AI_COMMENT)
			comment = it;
	}
	json_object_set_new(o, "family", json_string(p->family));
	json_object_set_new(o, "table", json_string(p->table));
	json_object_set_new(o, "name", json_string(c->name));
	json_object_set_new(o, "handle", json_integer(handle));
	if (comment)
		json_object_set_new(o, "comment", json_string(comment->name));
	if (hook) {
		long prio = hook->prio.num ? strtol(hook->prio.num, NULL, 0) : 0;
		int32_t base = 0;

		if (hook->prio.neg)
			prio = -prio;
		/* a name, with an offset: "mangle - 5" (checked already) */
		if (hook->prio.name &&
		    !bw_prio_lookup_names(hook->prio.name, p->family, hook->hook, &base))
			prio += base;
		json_object_set_new(o, "type", json_string(hook->type));
		json_object_set_new(o, "hook", json_string(hook->hook));
		json_object_set_new(o, "prio", json_integer(prio));
		json_object_set_new(o, "policy", json_string(policy ? policy->policy :
							     "accept"));
		if (hook->devices && hook->devices->elems &&
		    hook->devices->elems->next) {
			/* devices = { a, b }: a list, as newer nft prints */
			json_t *a = json_array();

			for (const struct bw_ast_expr *e = hook->devices->elems; e; e = e->next)
				json_array_append_new(a, json_string(e->text));
			json_object_set_new(o, "dev", a);
		} else if (hook->device) {
			json_object_set_new(o, "dev", json_string(hook->device));
		}
	}
	add(list, "chain", o);
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
	add(list, "rule", o);
}

/* A flowtable as nft 1.0.6 lists it: {"flowtable": {"family", "name",
 * "table", "handle", "hook", "prio", "dev"}}, "dev" a string for one
 * device, else an array (nft lists neither flags nor counter). */
static void flowtable_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
			  uint32_t handle)
{
	json_t *o = head(p, "name", it->ft_name), *devs = NULL;
	int32_t prio = 0;

	if (it->ft_prio.name)
		bw_prio_lookup(it->ft_prio.name, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, &prio);
	if (it->ft_prio.num)
		prio += (it->ft_prio.neg ? -1 : 1) * (int32_t)strtol(it->ft_prio.num, NULL, 0);
	json_object_set_new(o, "handle", json_integer(handle));
	json_object_set_new(o, "hook", json_string(it->ft_hook ? it->ft_hook : "ingress"));
	json_object_set_new(o, "prio", json_integer(prio));
	for (const struct bw_ast_expr *e = it->ft_devs ? it->ft_devs->elems : NULL;
	     e; e = e->next) {
		if (!devs) {
			devs = json_string(e->text);
		} else if (json_is_string(devs)) {
			json_t *a = json_array();

			json_array_append_new(a, devs);
			devs = a;
			json_array_append_new(devs, json_string(e->text));
		} else {
			json_array_append_new(devs, json_string(e->text));
		}
	}
	if (devs)
		json_object_set_new(o, "dev", devs);
	/* bpfwall's: nft's JSON has no flags (nft ignores the member) */
	if (it->ft_offload || it->ft_counter) {
		json_t *f = json_array();

		if (it->ft_offload)
			json_array_append_new(f, json_string("offload"));
		if (it->ft_counter)
			json_array_append_new(f, json_string("counter"));
		json_object_set_new(o, "flags", f);
	}
	add(list, "flowtable", o);
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
		add(list, "table", o);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_OBJECT)
				obj_obj(p, list, it, ++other);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_SET)
				set_obj(p, list, it, ++other);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_FLOWTABLE)
				flowtable_obj(p, list, it, ++other);
		for (const struct bw_ast_item *it = t->items; it; it = it->next)
			if (it->kind == BW_AI_CHAIN)
				chain_obj(p, list, it, ++other);
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
			return fail(p, NULL, "JSON: the runtime's state is not an object: %s",
				    je.text);
		}
		json_object_del(x, "ruleset");
		json_object_del(x, "counters");	/* in the rules */
		json_object_set_new(m, "bpfwall", x);
	}
	return wrap("metainfo", m);
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
	root = wrap("nftables", list);
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
	return field(proto, name);
}

json_t *bw_jp_value(struct jp *p, const struct bw_ast_expr *e,
		    const struct bw_field *const *f, unsigned n)
{
	const struct type_row *t[MAXCAT];

	for (unsigned i = 0; i < n && i < MAXCAT; i++)
		t[i] = f[i] ? type_row(f[i]->type) : NULL;
	return value(p, e, t, n < MAXCAT ? n : MAXCAT);
}

json_t *bw_jp_fail(struct jp *p, const struct bw_loc *loc, const char *msg)
{
	return fail(p, loc, "%s", msg);
}
