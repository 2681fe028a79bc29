// SPDX-License-Identifier: GPL-2.0-only
/*
 * Values back to text (list ruleset's set elements, intervals as
 * prefixes), and a value's canonical spelling by the field's type.
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
#include "settimeout.h"
#include "value_int.h"

/* ---- values back to text (list ruleset: set elements) ---- */

static uint64_t get_uint(const uint8_t *b, unsigned size)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < size && i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

void bw_print_value(struct bw_pbuf *b, const struct bw_field *f,
		    const uint8_t *v)
{
	char buf[INET6_ADDRSTRLEN];
	uint64_t x = get_uint(v, f->size);
	const struct sym *t = bw_value_syms_for(f);
	const char *name;

	switch (f->type) {
	case BW_T_IPV4_ADDR:
		bw_pbuf_put(b, inet_ntop(AF_INET, v, buf, sizeof(buf)) ?: "?");
		return;
	case BW_T_IPV6_ADDR:
		bw_pbuf_put(b, inet_ntop(AF_INET6, v, buf, sizeof(buf)) ?: "?");
		return;
	case BW_T_ETHER_ADDR:
		bw_pbuf_printf(b, "%02x:%02x:%02x:%02x:%02x:%02x", v[0], v[1],
			       v[2], v[3], v[4], v[5]);
		return;
	case BW_T_IFNAME:
	case BW_T_STRING:
		bw_pbuf_printf(b, "\"%.16s\"", (const char *)v);
		return;
	case BW_T_DURATION:
		bw_print_value_time(b, (uint32_t)x, false);
		return;
	case BW_T_CT_LABEL:
		for (unsigned bit = 0; bit < 128; bit++)
			if (v[f->size - 1 - bit / 8] & (1u << (bit % 8))) {
				bw_pbuf_printf(b, "%u", bit);
				return;
			}
		bw_pbuf_put(b, "0");
		return;
	case BW_T_TCP_FLAG:
	case BW_T_CT_STATUS:
	case BW_T_CT_STATE: {
		const char *sep = "";

		for (; t && t->name; t++)
			if (x & t->val) {
				bw_pbuf_printf(b, "%s%s", sep, t->name);
				sep = "|";
				x &= ~(uint64_t)t->val;
			}
		if (x || !*sep)
			bw_pbuf_printf(b, "%s0x%llx", sep, (unsigned long long)x);
		return;
	}
	case BW_T_INET_SERVICE:
		bw_pbuf_printf(b, "%llu", (unsigned long long)x);
		return;
	default:
		break;
	}
	if (f->id == BW_F_META_MARK || f->id == BW_F_CT_MARK) {
		bw_pbuf_printf(b, "0x%08llx", (unsigned long long)x);
		return;
	}
	if (bw_meta_type(f->type)) {
		char buf[64];

		bw_meta_value_format(f->type, x, buf, sizeof(buf));
		bw_pbuf_put(b, buf);
		return;
	}
	name = (bw_value_integer_type(f->type) && f->type != BW_T_INTEGER &&
		f->type != BW_T_BE_INTEGER) || t == bw_value_exists ?
	       bw_value_sym_name(t, (uint32_t)x) : NULL;	/* exists: nft's boolean */
	if (name)
		bw_pbuf_put(b, name);
	else
		bw_pbuf_printf(b, "%llu", (unsigned long long)x);
}

/* The types and fields nft lists by number, whatever their names. */
static bool listed_numeric(const struct bw_field *f)
{
	return f->type == BW_T_INET_SERVICE || f->id == BW_F_ICMP_CODE ||
	       f->id == BW_F_ICMP6_CODE || f->id == BW_F_CT_PROTOCOL;
}

/* text as a number, else as one of f's names. */
static int num_or_name(const struct bw_field *f, const char *text, uint32_t *v)
{
	const struct sym *s;
	uint64_t x;

	if (!bw_eval_number(text, &x) && x <= UINT32_MAX) {
		*v = (uint32_t)x;
		return 0;
	}
	s = bw_value_sym_lookup(bw_value_syms_for(f), text);
	if (!s)
		return -ENOENT;
	*v = s->val;
	return 0;
}

int bw_value_flag(const struct bw_field *f, const char *text, uint32_t *v)
{
	if (!bw_value_flag_type(f->type))
		return -EINVAL;
	return num_or_name(f, text, v);
}

int bw_value_num(const struct bw_field *f, const char *text, uint32_t *v)
{
	uint64_t x;
	char err[160];

	if (bw_meta_type(f->type)) {
		if (bw_meta_value_parse(f->type, text, &x, err, sizeof(err)) ||
		    x > UINT32_MAX)
			return -ENOENT;
		*v = (uint32_t)x;
		return 0;
	}
	return num_or_name(f, text, v);
}

/* Where nft lists another name than the first of the table above. */
static const struct { enum bw_type type; uint32_t val; const char *name; }
canon_names[] = {
	{ BW_T_ETHER_TYPE, 0x8100, "8021q" },
};

const char *bw_value_canon(const struct bw_field *f, const char *text,
			   char *buf, size_t len)
{
	const struct sym *t = bw_value_syms_for(f), *s;
	uint64_t v;

	if (bw_meta_type(f->type)) {
		char err[160];

		if (bw_meta_value_parse(f->type, text, &v, err, sizeof(err)))
			return NULL;
		bw_meta_value_format(f->type, v, buf, len);
		return buf;
	}
	if (!t)
		return NULL;
	if (bw_value_flag_type(f->type)) {	/* one flag, by number */
		if (bw_eval_number(text, &v) || v > UINT32_MAX)
			return NULL;
		return bw_value_sym_name(t, (uint32_t)v);
	}
	if (bw_eval_number(text, &v)) {
		s = bw_value_sym_lookup(t, text);
		if (!s)
			return NULL;
		v = s->val;
	}
	if (v > UINT32_MAX)
		return NULL;
	if (listed_numeric(f)) {
		snprintf(buf, len, "%u", (unsigned)v);
		return buf;
	}
	for (size_t i = 0; i < sizeof(canon_names) / sizeof(*canon_names); i++)
		if (canon_names[i].type == f->type && canon_names[i].val == v)
			return canon_names[i].name;
	return bw_value_sym_name(t, (uint32_t)v);
}

/* The length of [lo, hi] as a prefix of an address, or -1. */
static int prefix_len(const uint8_t *lo, const uint8_t *hi, unsigned size)
{
	int len = 0;
	bool host = false;

	for (unsigned i = 0; i < size * 8; i++) {
		bool l = lo[i / 8] & (0x80 >> (i % 8));
		bool h = hi[i / 8] & (0x80 >> (i % 8));

		if (!host && l == h) {
			len++;
			continue;
		}
		host = true;
		if (l || !h)
			return -1;
	}
	return len;
}

void bw_print_interval(struct bw_pbuf *b, const struct bw_field *f,
		       const uint8_t *lo, const uint8_t *hi)
{
	int plen;

	bw_print_value(b, f, lo);
	if (!memcmp(lo, hi, f->size))
		return;
	plen = f->type == BW_T_IPV4_ADDR || f->type == BW_T_IPV6_ADDR ?
	       prefix_len(lo, hi, f->size) : -1;
	if (plen >= 0) {
		bw_pbuf_printf(b, "/%d", plen);
	} else {
		bw_pbuf_put(b, "-");
		bw_print_value(b, f, hi);
	}
}

void bw_print_setelem(struct bw_pbuf *b, const struct bw_ir *ir,
		      const struct bw_ir_set *s, const struct bw_ir_setelem *e)
{
	for (uint32_t k = 0; k < s->nkey; k++) {
		uint32_t off = bw_ir_set_keyoff(s, k);

		bw_pbuf_put(b, k ? " . " : "");
		bw_print_interval(b, bw_field(s->key[k]), e->lo + off, e->hi + off);
	}
	bw_settimeout_print_irelem(b, s, e);
	if (!s->map)
		return;
	bw_pbuf_printf(b, " : %s", bw_verdict_name(e->verdict));
	if ((e->verdict == BW_VERDICT_JUMP || e->verdict == BW_VERDICT_GOTO) &&
	    e->target < ir->nchain)
		bw_pbuf_printf(b, " %s", ir->chain[e->target].name);
}
