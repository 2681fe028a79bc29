// SPDX-License-Identifier: GPL-2.0-only
/*
 * A raw payload match as nft lists it: values in hex; bits that start
 * on a byte boundary but do not end on one as the bytes that hold them,
 * a mask and the value in place (`@ll,0,1 1` is `@ll,0,8 & 0x80 ==
 * 0x80`), which is how nf_tables has them and nft prints them back.
 */
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "rawpay.h"

/* A number as nft prints a raw payload's: 0x and hex digits, no
 * leading zeros; shifted left by shift bits (below 64). */
static void hex(struct bw_pbuf *b, const char *text, unsigned shift)
{
	const char *h = text + 2;
	size_t i = 0;
	char buf[40];

	if (shift || strncmp(text, "0x", 2)) {
		bw_pbuf_printf(b, "0x%llx", strtoull(text, NULL, 0) << shift);
		return;
	}
	while (*h == '0' && h[1])
		h++;
	for (; h[i] && i < sizeof(buf) - 1; i++)
		buf[i] = (char)(h[i] >= 'A' && h[i] <= 'F' ? h[i] - 'A' + 'a' : h[i]);
	buf[i] = 0;
	bw_pbuf_printf(b, "0x%s", buf);
}

/* dec: ports, in decimal */
static void value(struct bw_pbuf *b, const struct bw_ast_expr *e,
		  const struct bw_sym *scope, unsigned shift, bool dec)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);
	const char *sep = "";

	if (!r) {
		bw_print_expr(b, e, scope);
		return;
	}
	switch (r->kind) {
	case BW_AE_NUMBER:
		if (dec)
			bw_pbuf_printf(b, "%llu", strtoull(r->text, NULL, 0));
		else
			hex(b, r->text, shift);
		return;
	case BW_AE_RANGE:
		value(b, r->left, scope, shift, dec);
		bw_pbuf_put(b, "-");
		value(b, r->right, scope, shift, dec);
		return;
	case BW_AE_SET:
		bw_pbuf_put(b, "{ ");
		for (const struct bw_ast_expr *x = r->elems; x; x = x->next) {
			bw_pbuf_put(b, sep);
			sep = ", ";
			value(b, x, scope, shift, dec);
		}
		bw_pbuf_put(b, " }");
		return;
	default:
		bw_print_expr(b, r, scope);
	}
}

const char *bw_rawpay_port(const char *proto, const char *field)
{
	struct bw_rawpay r;

	if (bw_rawpay_parse(proto, field, &r) || r.base != BW_RAW_TH ||
	    r.len != 16 || (r.off != 0 && r.off != 16))
		return NULL;
	return r.off ? "dport" : "sport";
}

void bw_rawpay_print_match(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			   const struct bw_sym *scope, const char *named)
{
	struct bw_rawpay r;
	const struct bw_sym *sc = scope;
	const struct bw_ast_expr *v = bw_sym_resolve(s->rhs, &sc);
	bool eq = s->op == BW_OP_IMPLICIT || s->op == BW_OP_EQ, dec;

	if (bw_rawpay_parse(s->proto, s->field, &r)) {
		bw_pbuf_printf(b, "%s,%s", s->proto, s->field);
		return;
	}
	if (!named && s->proto[0] != '@')	/* th dport */
		named = s->field[0] == 's' ? "th sport" : "th dport";
	if (!(r.off % 8) && r.len % 8 && !s->mask && eq && v &&
	    v->kind == BW_AE_NUMBER && r.len < 64) {
		unsigned n = bw_rawpay_nbytes(&r), shift = n * 8 - r.len;

		bw_pbuf_printf(b, "%s,%u,%u & 0x%llx == ", s->proto, r.off, n * 8,
			       (unsigned long long)(((UINT64_C(1) << r.len) - 1) << shift));
		hex(b, v->text, shift);
		return;
	}
	dec = named != NULL;
	if (named)
		bw_pbuf_put(b, named);
	else
		bw_pbuf_printf(b, "%s,%s", s->proto, s->field);
	if (s->mask) {
		bw_pbuf_put(b, " & ");
		value(b, s->mask, scope, 0, dec);
	}
	if (s->op != BW_OP_IMPLICIT && !(s->op == BW_OP_EQ && !s->mask))
		bw_pbuf_printf(b, " %s", bw_ast_op_str(s->op));
	bw_pbuf_put(b, " ");
	value(b, s->rhs, scope, 0, dec);
}
