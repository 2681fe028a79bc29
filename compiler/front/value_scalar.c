// SPDX-License-Identifier: GPL-2.0-only
/*
 * One value of a field from its text: numbers, names, addresses, ether
 * addresses, interface names and strings, flag lists, wide hex, ranges;
 * and the big-endian byte strings of the field's width they become.
 * value.c keeps the symbol tables and the match evaluation that use these.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "meta_value.h"
#include "sctp_chunk.h"
#include "rawpay.h"
#include "tcpopt.h"
#include "tunnel.h"
#include "xfrm.h"
#include "value_int.h"

/* ---- big-endian byte strings of one field's width ---- */

unsigned bw_value_field_bits(const struct bw_field *f)
{
	return f->bits ? f->bits : f->size * 8u;
}

void bw_value_put_uint(uint8_t *b, unsigned size, uint64_t v)
{
	for (unsigned i = size; i-- > 0; v >>= 8)
		b[i] = (uint8_t)v;
}

/* The all-ones value of f (its full mask). */
void bw_value_full_mask(const struct bw_field *f, uint8_t *m)
{
	memset(m, 0, BW_VAL_MAX);
	if (f->bits)
		bw_value_put_uint(m, f->size, (1ull << f->bits) - 1);
	else
		memset(m, 0xff, f->size);
}

bool bw_value_is_zero(const uint8_t *b, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		if (b[i])
			return false;
	return true;
}

/* b += delta (+1 or -1), big endian; returns false on wrap. */
bool bw_value_step(uint8_t *b, unsigned size, int delta)
{
	for (unsigned i = size; i-- > 0;) {
		if (delta > 0) {
			if (++b[i] != 0)
				return true;
		} else {
			if (b[i]-- != 0)
				return true;
		}
	}
	return false;
}

/* ---- scalars ---- */

int bw_eval_number(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		*v = strtoull(s + 2, &end, 16);
	else
		*v = strtoull(s, &end, 10);
	return errno || *end || end == s ? -ERANGE : 0;
}

static int parse_ether(const char *s, uint8_t *out)
{
	unsigned n = 0;

	while (n < 6) {
		unsigned v = 0, digits = 0;

		while (isxdigit((unsigned char)*s) && digits < 3) {
			v = v * 16 + (unsigned)(isdigit((unsigned char)*s) ?
				*s - '0' : tolower((unsigned char)*s) - 'a' + 10);
			s++;
			digits++;
		}
		if (!digits || digits > 2)
			return -EINVAL;
		out[n++] = (uint8_t)v;
		if (n < 6 && *s++ != ':')
			return -EINVAL;
	}
	return *s ? -EINVAL : 0;
}

static int range_error(struct bw_eval *ev, const struct bw_field *f,
		       const struct bw_ast_expr *e, uint64_t max)
{
	if (f->type == BW_T_INET_PROTO)
		return bw_eval_error(ev, &e->loc, "Protocol out of range");
	if (f->type == BW_T_INET_SERVICE)
		return bw_eval_error(ev, &e->loc, "Service out of range");
	return bw_eval_error(ev, &e->loc, "Value %s exceeds valid range 0-%" PRIu64,
		    e->text, max);
}

bool bw_value_integer_type(enum bw_type t)
{
	return t != BW_T_IPV4_ADDR && t != BW_T_IPV6_ADDR &&
	       t != BW_T_ETHER_ADDR && t != BW_T_IFNAME && t != BW_T_STRING &&
	       t != BW_T_CT_LABEL;
}

/* A string of field f (ct helper "ftp"): NUL padded, a name shorter
 * than the field. */
int bw_value_string(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, uint8_t *out, uint8_t *mask)
{
	size_t n = strlen(e->text);

	memset(out, 0, BW_VAL_MAX);
	if (!n || n >= f->size)
		return bw_eval_error(ev, &e->loc, "%s %s takes a name of 1 to %u characters",
				     f->proto, f->name, f->size - 1u);
	memcpy(out, e->text, n);
	if (mask) {	/* the kernel pads the name with zeros: all of it */
		memset(mask, 0, BW_VAL_MAX);
		memset(mask, 0xff, f->size);
	}
	return 0;
}

/*
 * An interface name (16 bytes, NUL padded) and how much of it a match
 * compares: the name and its NUL, or for iifname/oifname "eth*" only the
 * prefix before the star, as nft.  Returns 0 or -EINVAL.
 */
int bw_value_ifname(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, uint8_t *out, uint8_t *mask)
{
	size_t n = strlen(e->text), cmp;
	bool wild = n && e->text[n - 1] == '*';

	memset(out, 0, BW_VAL_MAX);
	if (wild && (f->id == BW_F_META_IIF || f->id == BW_F_META_OIF ||
		     f->id == BW_F_META_SDIF))
		return bw_eval_error(ev, &e->loc, "%s %s takes an existing interface, not a pattern (use %sname)",
				     f->proto, f->name, f->name);
	if (!strcmp(f->proto, "osf") && (!n || n - wild >= 16))
		return bw_eval_error(ev, &e->loc, "\"%s\" is not an osf %s (1 to 15 characters)",
				     e->text, strstr(f->name, "version") ? "version" : "name");
	if (!n || n - wild >= 16 || (strchr(e->text, '/') && strcmp(f->proto, "osf")) ||
	    memchr(e->text, '*', n - wild))
		return bw_eval_error(ev, &e->loc, "invalid interface name \"%s\"",
				     e->text);
	memcpy(out, e->text, n - wild);
	cmp = wild ? n - 1 : n + 1;
	if (mask) {
		memset(mask, 0, BW_VAL_MAX);
		memset(mask, 0xff, cmp);
	}
	return 0;
}

int bw_value_scalar(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, const struct bw_sym *scope,
		    uint8_t *out);

/* a|b, a,b: the bits of every part (flag types only). */
static int bits_or(struct bw_eval *ev, const struct bw_field *f,
		   const struct bw_ast_expr *e, const struct bw_sym *scope,
		   uint8_t *out)
{
	uint8_t part[BW_VAL_MAX];
	int rc = 0;

	if (!bw_value_flag_type(f->type))
		return bw_eval_error(ev, &e->loc, e->kind == BW_AE_OR ?
			    "'|' is only valid for flags (%s is not a bitmask)" :
			    "a comma list is only valid for flags (%s is not a bitmask); use a set { ... }",
			    bw_value_type_desc(f->type));
	memset(out, 0, BW_VAL_MAX);
	if (e->kind == BW_AE_OR) {
		if (bw_value_scalar(ev, f, e->left, scope, out) ||
		    bw_value_scalar(ev, f, e->right, scope, part))
			return -EINVAL;
		for (unsigned i = 0; i < f->size; i++)
			out[i] |= part[i];
		return 0;
	}
	for (const struct bw_ast_expr *x = e->elems; x; x = x->next) {
		if (bw_value_scalar(ev, f, x, scope, part)) {
			rc = -EINVAL;
			continue;
		}
		for (unsigned i = 0; i < f->size; i++)
			out[i] |= part[i];
	}
	return rc;
}

/* A hex number of up to f->size bytes (a raw payload of 128 bits). */
static int wide_hex(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, uint8_t *out)
{
	const char *h = e->text + 2;
	size_t n = strlen(h);

	while (n > 1 && *h == '0') {
		h++;
		n--;
	}
	if (!n || n > 2u * f->size || strspn(h, "0123456789abcdefABCDEF") != n)
		return bw_eval_error(ev, &e->loc, "Value %s exceeds valid range of %u bits",
				     e->text, f->size * 8);
	memset(out, 0, BW_VAL_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = h[n - 1 - i];
		unsigned d = c <= '9' ? (unsigned)(c - '0') :
			     (unsigned)((c | 0x20) - 'a' + 10);

		out[f->size - 1 - i / 2] |= (uint8_t)(d << (4 * (i % 2)));
	}
	return 0;
}

int bw_value_scalar(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, const struct bw_sym *scope,
		    uint8_t *out)
{
	const struct bw_ast_expr *orig = e;
	const struct sym *s;
	uint64_t v, max = bw_value_field_bits(f) >= 64 ? UINT64_MAX :
			  (1ull << bw_value_field_bits(f)) - 1;

	memset(out, 0, BW_VAL_MAX);
	e = bw_sym_resolve(e, &scope);
	if (!e)
		return bw_eval_error(ev, &orig->loc, "unknown identifier '%s'", orig->text);
	if (f->type == BW_T_IFNAME && (e->kind == BW_AE_STRING ||
				       e->kind == BW_AE_SYMBOL))
		return bw_value_ifname(ev, f, e, out, NULL);
	if (bw_meta_type(f->type) && (e->kind == BW_AE_NUMBER ||
				      e->kind == BW_AE_SYMBOL ||
				      e->kind == BW_AE_STRING ||
				      e->kind == BW_AE_ADDR)) {
		char err[160];

		if (bw_meta_value_parse(f->type, e->text, &v, err, sizeof(err)))
			return bw_eval_error(ev, &e->loc, "%s", err);
		bw_value_put_uint(out, f->size, v);
		return 0;
	}
	if (f->type == BW_T_STRING && (e->kind == BW_AE_STRING ||
				       e->kind == BW_AE_SYMBOL))
		return bw_value_string(ev, f, e, out, NULL);
	if (f->type == BW_T_DURATION && (e->kind == BW_AE_NUMBER ||
				     e->kind == BW_AE_SYMBOL))
		return bw_eval_time(ev, f, e, out);
	if (f->type == BW_T_CT_LABEL && (e->kind == BW_AE_NUMBER ||
					 e->kind == BW_AE_SYMBOL ||
					 e->kind == BW_AE_STRING))
		return bw_eval_label(ev, f, e, out);
	switch (e->kind) {
	case BW_AE_OR:
	case BW_AE_LIST:
		return bits_or(ev, f, e, scope, out);
	case BW_AE_NUMBER:
		/* nft: `ip saddr & 0xff == 1` is 0.0.0.255, 0.0.0.1 */
		if (f->type == BW_T_IPV4_ADDR && ev->v4_numbers &&
		    !bw_eval_number(e->text, &v) && v <= UINT32_MAX) {
			bw_value_put_uint(out, 4, v);
			return 0;
		}
		if (!bw_value_integer_type(f->type))
			break;
		if (f->raw && f->size > 8 && (!strncmp(e->text, "0x", 2) ||
					      !strncmp(e->text, "0X", 2)))
			return wide_hex(ev, f, e, out);
		if (bw_eval_number(e->text, &v) || v > max)
			return range_error(ev, f, e, max);
		bw_value_put_uint(out, f->size, v);
		return 0;
	case BW_AE_SYMBOL:
		if (bw_value_integer_type(f->type)) {
			s = bw_value_sym_lookup(bw_value_syms_for(f), e->text);
			if (!s && bw_value_syms_for(f) == bw_value_exists)	/* fib daddr check */
				return bw_eval_error(ev, &e->loc, "\"%s\": exists or missing",
						     e->text);
			if (!s)
				return bw_eval_error(ev, &e->loc, "unknown %s \"%s\"",
					    f->id == BW_F_IP_DSCP ? "DSCP value" :
					    f->id == BW_F_IP_ECN ? "ECN value" :
					    bw_value_type_desc(f->type), e->text);
			bw_value_put_uint(out, f->size, s->val);
			return 0;
		}
		if (f->type == BW_T_ETHER_ADDR)
			break;
		return bw_eval_error(ev, &e->loc,
			    "\"%s\" is not an %s (host names are not resolved)",
			    e->text, bw_value_type_desc(f->type));
	case BW_AE_ADDR:
		if (f->type == BW_T_IPV4_ADDR && inet_pton(AF_INET, e->text, out) == 1)
			return 0;
		if (f->type == BW_T_IPV6_ADDR && inet_pton(AF_INET6, e->text, out) == 1)
			return 0;
		if (f->type == BW_T_ETHER_ADDR && !parse_ether(e->text, out))
			return 0;
		memset(out, 0, BW_VAL_MAX);
		break;
	case BW_AE_SET:
		return bw_eval_error(ev, &e->loc, "a set is not valid here");
	case BW_AE_RANGE:
		return bw_eval_error(ev, &e->loc, "a range is not valid here");
	case BW_AE_PREFIX:
		return bw_eval_error(ev, &e->loc, "a prefix is not valid here");
	case BW_AE_SETREF:
		return bw_eval_error(ev, &e->loc, "a set is not valid here");
	case BW_AE_CONCAT:
		return bw_eval_error(ev, &e->loc, "a concatenation is not valid here");
	case BW_AE_MAPELEM:
	case BW_AE_VERDICT:
		return bw_eval_error(ev, &e->loc, "a map element is not valid here");
	default:
		break;
	}
	return bw_eval_error(ev, &e->loc, "invalid %s \"%s\"", bw_value_type_desc(f->type),
		    e->text ? e->text : "");
}

int bw_eval_scalar(struct bw_eval *ev, const struct bw_field *f,
		   const struct bw_ast_expr *e, const struct bw_sym *scope,
		   uint8_t out[BW_VAL_MAX])
{
	return bw_value_scalar(ev, f, e, scope, out);
}

/* ---- one component of a set element ---- */

/* A range's two ends, low <= high. */
int bw_value_range_ends(struct bw_eval *ev, const struct bw_field *f,
			const struct bw_ast_expr *e, const struct bw_sym *scope,
			uint8_t *lo, uint8_t *hi)
{
	if (bw_value_scalar(ev, f, e->left, scope, lo) |
	    bw_value_scalar(ev, f, e->right, scope, hi))
		return -EINVAL;
	if (memcmp(lo, hi, f->size) > 0)
		return bw_eval_error(ev, &e->loc, "Range has zero or negative size");
	return 0;
}

int bw_eval_range(struct bw_eval *ev, const struct bw_field *f,
		  const struct bw_ast_expr *e, const struct bw_sym *scope,
		  uint8_t *lo, uint8_t *hi)
{
	const struct bw_ast_expr *orig = e;
	uint64_t plen;

	e = bw_sym_resolve(e, &scope);
	if (!e)
		return bw_eval_error(ev, &orig->loc, "unknown identifier '%s'", orig->text);
	switch (e->kind) {
	case BW_AE_RANGE:
		return bw_value_range_ends(ev, f, e, scope, lo, hi);
	case BW_AE_PREFIX:
		if (f->type != BW_T_IPV4_ADDR && f->type != BW_T_IPV6_ADDR)
			return bw_eval_error(ev, &e->loc, "a prefix is only valid for IP addresses (%s is not one)",
					     bw_value_type_desc(f->type));
		if (bw_value_scalar(ev, f, e->left, scope, lo))
			return -EINVAL;
		if (bw_eval_number(e->right->text, &plen) || plen > bw_value_field_bits(f))
			return bw_eval_error(ev, &e->loc,
					     "Prefix length %s is invalid for type of %u bits width",
					     e->right->text, bw_value_field_bits(f));
		for (unsigned i = 0; i < f->size; i++) {
			unsigned bits = plen > i * 8u ? (unsigned)plen - i * 8u : 0;
			uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

			lo[i] &= m;
			hi[i] = lo[i] | (uint8_t)~m;
		}
		return 0;
	case BW_AE_SET:
	case BW_AE_CONCAT:
	case BW_AE_MAPELEM:
	case BW_AE_LIST:
		return bw_eval_error(ev, &e->loc, "not a value of %s",
				     bw_value_type_desc(f->type));
	case BW_AE_STRING:
	case BW_AE_SYMBOL:
		if (f->type == BW_T_IFNAME && strchr(e->text, '*'))
			return bw_eval_error(ev, &e->loc, "a set cannot hold an interface name pattern; compare with iifname { ... } instead");
		break;
	default:
		break;
	}
	if (bw_value_scalar(ev, f, e, scope, lo))
		return -EINVAL;
	memcpy(hi, lo, f->size);
	return 0;
}
