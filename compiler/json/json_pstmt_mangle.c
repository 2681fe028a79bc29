// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON of a mangle (a header, meta or ct field written), with the
 * bitwise forms nft prints for `and`/`or`/`xor` values.
 * json_print.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
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
	return bw_jp_wrap(op, a);
}

/* FIELD set SRC and A xor X (or O, xor X): the one bitwise
 * (SRC & mask) ^ xor, as nft lists it: the xor's bits outside the mask
 * are an OR, the mask takes them in, and each part is left out when it
 * changes nothing: SRC & m ^ x | o. */
static json_t *setf_bits(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *v = bw_jp_field_of(s->setf_src->proto, s->setf_src->field);
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

	json_array_append_new(a, bw_jp_field_of(s->setf_src->proto, s->setf_src->field));
	if (e->kind == BW_AE_LIST) {
		v = json_array();
		for (const struct bw_ast_expr *x = e->elems; x; x = x->next)
			json_array_append_new(v, json_string(x->text ? x->text : ""));
		v = bw_jp_wrap("|", v);
	} else if (e->kind == BW_AE_NUMBER) {
		v = bw_jp_number(e->text);
	} else {
		v = json_string(e->text ? e->text : "");
	}
	json_array_append_new(a, v);
	return bw_jp_wrap(s->setf_and ? "&" : "|", a);
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

json_t *bw_jp_st_setf(struct jp *p, const struct bw_ast_stmt *s)
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
		return bw_jp_wrap("reset", bw_jp_wrap("tcp option", o));
	}
	o = json_object();

	json_object_set_new(o, "key", bw_jp_field_of(s->setf->proto, s->setf->field));
	if (s->setf_src && s->setf->proto && strcmp(s->setf->proto, "meta") &&
	    strcmp(s->setf->proto, "ct") && (s->setf_and || s->setf_or)) {
		json_object_set_new(o, "value", hdr_bits(s));
	} else if (!s->setf_src && s->setf->proto && strcmp(s->setf->proto, "meta") &&
		   strcmp(s->setf->proto, "ct") && s->setf_value->kind == BW_AE_BINOP &&
		   flag_ors(s->setf_value)) {
		/* tcp flags set syn | ack: nft's {"|": ["syn", "ack"]} */
		json_t *a = json_array();

		flag_names(s->setf_value, a);
		json_object_set_new(o, "value", bw_jp_wrap("|", a));
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
		json_object_set_new(o, "value", bw_jp_number(s->setf_value->text));
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
				    strcmp(s->setf->proto, "ct") ? bw_jp_wrap("|", a) : a);
	} else
		return bw_jp_failf(p, &s->setf_value->loc,
			    "JSON: this value has no JSON form in bpfwall%s", "");
	return bw_jp_wrap("mangle", o);
}
