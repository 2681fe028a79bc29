// SPDX-License-Identifier: GPL-2.0-only
/*
 * A match's values as nft lists them: addresses and prefixes from masks,
 * integer prefixes, flags by name (and flag matches `f & m == v` in
 * nft's short forms), numbers and names by the field's type, and a
 * field's set of values merged into intervals.
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

/* A number written for an IPv4 address (`ip saddr & 0xff == 1`): nft
 * lists it dotted. */
bool bw_print_v4_number(struct bw_pbuf *b, const struct bw_field *f,
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
bool bw_print_addr_mask_prefix(struct bw_pbuf *b, const struct bw_ast_stmt *s,
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
bool bw_print_int_prefix(struct bw_pbuf *b, const struct bw_field *f,
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
bool bw_print_xor_folded(struct bw_pbuf *b, const struct bw_ast_stmt *s,
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
void bw_print_log_flags(struct bw_pbuf *b, uint32_t f)
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
void bw_print_field_value(struct bw_pbuf *b, const char *proto,
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
		bw_print_field_value(b, proto, field, r->left, scope, true);
		bw_pbuf_put(b, "-");
		bw_print_field_value(b, proto, field, r->right, scope, true);
		return;
	case BW_AE_PREFIX:
		if (r->right->kind == BW_AE_SYMBOL)
			break;
		if (print_addr_prefix(b, proto, field, r))
			return;
		bw_print_field_value(b, proto, field, r->left, scope, false);
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
		bw_print_field_value(b, proto, field, r->left, scope, false);
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
		bw_print_field_value(b, proto, field, e, scope, false);
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
bool bw_print_flag_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
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
bool bw_print_interval_set(struct bw_pbuf *b, const struct bw_field *f,
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
