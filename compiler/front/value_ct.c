// SPDX-License-Identifier: GPL-2.0-only
/*
 * The values of the conntrack keys that have a type of their own (value.c
 * has the rest): ct label (a bit, or a name from connlabel.conf), ct
 * expiration (a time: 1h30m, 500ms, or seconds), as nft reads and lists
 * them.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

static void put_be(uint8_t *b, unsigned size, uint64_t v)
{
	for (unsigned i = size; i-- > 0; v >>= 8)
		b[i] = (uint8_t)v;
}

/* The bit of a conntrack label: a number 0-127, or a name that
 * /etc/connlabel.conf (or BW_CONNLABEL_FILE) gives one, as nft.  -1 if
 * none. */
static int label_bit(const char *name)
{
	const char *path = getenv("BW_CONNLABEL_FILE");
	char line[256], word[128];
	uint64_t v;
	int bit = -1;
	FILE *fp;

	if (!bw_eval_number(name, &v))
		return v <= 127 ? (int)v : -1;
	fp = fopen(path && *path ? path : "/etc/connlabel.conf", "r");
	if (!fp)
		return -1;
	while (bit < 0 && fgets(line, sizeof(line), fp)) {
		unsigned n;

		if (sscanf(line, "%u %127s", &n, word) == 2 && n <= 127 &&
		    word[0] != '#' && !strcmp(word, name))
			bit = (int)n;
	}
	fclose(fp);
	return bit;
}

int bw_eval_label(struct bw_eval *ev, const struct bw_field *f,
		  const struct bw_ast_expr *e, uint8_t *out)
{
	int bit = e->text ? label_bit(e->text) : -1;

	if (bit < 0) {
		if (e->kind == BW_AE_NUMBER)
			return bw_eval_error(ev, &e->loc, "Value %s exceeds valid range 0-127", e->text);
		return bw_eval_error(ev, &e->loc, "conntrack label: could not parse conntrack label \"%s\" (not a number 0-127, nor in /etc/connlabel.conf)",
				     e->text ? e->text : "");
	}
	out[f->size - 1 - bit / 8] = (uint8_t)(1u << (bit % 8));
	return 0;
}

/* A time as nft writes it (1d2h3m4s5ms, each part optional, in that
 * order) into ms; -1 if it is none or too long. */
static int64_t time_ms(const char *s)
{
	static const struct { const char *unit; uint64_t ms; } units[] = {
		{ "d", 86400000 }, { "h", 3600000 }, { "m", 60000 },
		{ "s", 1000 }, { "ms", 1 },
	};
	uint64_t total = 0;
	size_t next = 0;

	if (!*s)
		return -1;
	while (*s) {
		uint64_t v = 0;
		size_t u;

		if (!isdigit((unsigned char)*s))
			return -1;
		while (isdigit((unsigned char)*s)) {
			v = v * 10 + (uint64_t)(*s++ - '0');
			if (v > UINT32_MAX)
				return -1;
		}
		for (u = next; u < sizeof(units) / sizeof(*units); u++) {
			size_t n = strlen(units[u].unit);

			if (!strncmp(s, units[u].unit, n) && !isalpha((unsigned char)s[n]))
				break;
		}
		if (u == sizeof(units) / sizeof(*units))
			return -1;
		s += strlen(units[u].unit);
		total += v * units[u].ms;
		if (total > UINT32_MAX)
			return -1;
		next = u + 1;
	}
	return (int64_t)total;
}

int bw_eval_time(struct bw_eval *ev, const struct bw_field *f,
		  const struct bw_ast_expr *e, uint8_t *out)
{
	uint64_t v;
	int64_t ms;

	if (e->kind == BW_AE_NUMBER) {	/* seconds */
		if (bw_eval_number(e->text, &v) || v > UINT32_MAX / 1000)
			return bw_eval_error(ev, &e->loc, "Value %s exceeds valid range 0-%u",
					     e->text, UINT32_MAX / 1000);
		ms = (int64_t)v * 1000;
	} else if ((ms = time_ms(e->text)) < 0) {
		return bw_eval_error(ev, &e->loc, "invalid time \"%s\" (write 30s, 1h2m, 500ms: d, h, m, s, ms in that order)",
				     e->text);
	}
	put_be(out, f->size, (uint64_t)ms);
	return 0;
}

int bw_value_time(const struct bw_field *f, const char *text, bool seconds,
		  uint8_t *out)
{
	uint64_t v;
	int64_t ms;

	if (seconds) {
		if (bw_eval_number(text, &v) || v > UINT32_MAX / 1000)
			return -EINVAL;
		ms = (int64_t)v * 1000;
	} else if ((ms = time_ms(text)) < 0) {
		return -EINVAL;
	}
	put_be(out, f->size, (uint64_t)ms);
	return 0;
}

void bw_print_value_time(struct bw_pbuf *b, uint32_t ms, bool seconds)
{
	static const struct { const char *unit; uint32_t ms; } units[] = {
		{ "d", 86400000 }, { "h", 3600000 }, { "m", 60000 },
		{ "s", 1000 }, { "ms", 1 },
	};

	/* nft: a range's ends in seconds (60s-3600s), else 1h2m3s */
	if (seconds && ms % 1000 == 0) {
		bw_pbuf_printf(b, "%us", ms / 1000);
		return;
	}
	if (!ms) {
		bw_pbuf_put(b, "0s");
		return;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (ms >= units[i].ms) {
			bw_pbuf_printf(b, "%u%s", ms / units[i].ms, units[i].unit);
			ms %= units[i].ms;
		}
}

/* nft's ct original saddr: NFT_CT_SRC, whose width the conntrack entry's
 * family gives; bpfwall takes the row of the rule's layer (ct original
 * ip saddr, NFT_CT_SRC_IP: the same bytes after that layer's match) and
 * lists it so, as nft lists the generic key. */
int bw_eval_ct_generic(struct bw_eval *ev, const char *proto,
		       const char *field, unsigned l3, const struct bw_loc *loc,
		       const struct bw_field **f)
{
	static const struct {
		const char *name;
		enum bw_field_id v4, v6;
	} keys[] = {
		{ "original saddr", BW_F_CT_ORIG_IP_SADDR, BW_F_CT_ORIG_IP6_SADDR },
		{ "original daddr", BW_F_CT_ORIG_IP_DADDR, BW_F_CT_ORIG_IP6_DADDR },
		{ "reply saddr", BW_F_CT_REPLY_IP_SADDR, BW_F_CT_REPLY_IP6_SADDR },
		{ "reply daddr", BW_F_CT_REPLY_IP_DADDR, BW_F_CT_REPLY_IP6_DADDR },
	};

	if (!proto || !field || strcmp(proto, "ct"))
		return 1;
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		if (strcmp(field, keys[i].name))
			continue;
		if (l3 == 4 || l3 == 6) {
			*f = bw_field(l3 == 4 ? keys[i].v4 : keys[i].v6);
			return 0;
		}
		if (ev)
			bw_eval_error(ev, loc, "cannot determine ip protocol version, use \"ip %s\" or \"ip6 %s\" instead (or meta nfproto ipv4|ipv6 before it)",
				      strchr(field, ' ') + 1, strchr(field, ' ') + 1);
		return -EINVAL;
	}
	return 1;
}
