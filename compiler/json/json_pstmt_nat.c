// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON of statements that redirect a packet: snat, dnat,
 * masquerade, redirect, tproxy, synproxy, dup and fwd.
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

/* The names of a LIST in the order of order[] (nft's), one alone as a
 * string (NULL: none). */
json_t *bw_jp_ordered_flags(const struct bw_ast_expr *l,
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
	return bw_jp_one_or_list(a);
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

json_t *bw_jp_st_nat(struct jp *p, const struct bw_ast_stmt *s)
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
				    bw_jp_value_of(p, s->nat_addr, NULL, 0));
	if (s->nat_port)
		json_object_set_new(o, "port", bw_vexpr_is(s->nat_port) ?
				    bw_jp_vexpr(p, s->nat_port) :
				    bw_jp_value_of(p, s->nat_port, NULL, 0));
	f = bw_jp_ordered_flags(s->nat_flags, order, sizeof(order) / sizeof(order[0]));
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
	return bw_jp_wrap(s->nat_kind, o);
}

/* tproxy: {family (inet only, when written), addr, port} */
json_t *bw_jp_st_tproxy(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	if (s->nat_family && p->family && !strcmp(p->family, "inet"))
		json_object_set_new(o, "family", json_string(s->nat_family));
	if (s->nat_addr)
		json_object_set_new(o, "addr", bw_jp_value_of(p, s->nat_addr, NULL, 0));
	if (s->nat_port)
		json_object_set_new(o, "port", bw_vexpr_is(s->nat_port) ?
				    bw_jp_vexpr(p, s->nat_port) :	/* json_vexpr.c */
				    bw_jp_value_of(p, s->nat_port, NULL, 0));
	return bw_jp_wrap("tproxy", o);
}

/* synproxy: null, or {mss, wscale, flags: [timestamp, sack-perm]} (a
 * list even of one, as nft 1.0.6 lists it) */
void bw_jp_synproxy_fields(json_t *o, const struct bw_ast_stmt *s)
{
	json_t *f = json_array();

	if (s->syn_mss)
		json_object_set_new(o, "mss", bw_jp_number(s->syn_mss->text));
	if (s->syn_wscale)
		json_object_set_new(o, "wscale", bw_jp_number(s->syn_wscale->text));
	if (s->syn_words & BW_AST_SYN_TIMESTAMP)
		json_array_append_new(f, json_string("timestamp"));
	if (s->syn_words & BW_AST_SYN_SACK_PERM)
		json_array_append_new(f, json_string("sack-perm"));
	if (json_array_size(f))
		json_object_set_new(o, "flags", f);
	else
		json_decref(f);
}

json_t *bw_jp_st_synproxy(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	(void)p;
	bw_jp_synproxy_fields(o, s);
	if (!json_object_size(o)) {
		json_decref(o);
		o = json_null();
	}
	return bw_jp_wrap("synproxy", o);
}

/* dup to ADDR [device "DEV"]: {"dup": {"addr": A[, "dev": D]}} */
json_t *bw_jp_st_fwd(struct jp *p, const struct bw_ast_stmt *s);

json_t *bw_jp_st_dup(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o, *a = NULL;

	if (p->family && !strcmp(p->family, "netdev")) {	/* fwd.h's */
		struct bw_ast_stmt f;
		struct bw_ast_expr dev;

		bw_fwd_from_dup(s, &f, &dev);
		return bw_jp_st_fwd(p, &f);
	}
	o = json_object();

	if (s->dup_addr) {
		a = bw_vexpr_is(s->dup_addr) ? bw_jp_vexpr(p, s->dup_addr) :
		    bw_jp_value_of(p, s->dup_addr, NULL, 0);
		if (!a) {
			json_decref(o);
			return NULL;
		}
		json_object_set_new(o, "addr", a);
	}
	if (s->dup_dev)
		json_object_set_new(o, "dev", json_string(s->dup_dev));
	return bw_jp_wrap("dup", o);
}

/* fwd: {"dev": D[, "family": F, "addr": A]}; dup in a netdev chain:
 * {"addr": D} (nft's form: the device in "addr") */
json_t *bw_jp_st_fwd(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o, *dev;

	if (!s->fwd_dev || (s->fwd_dev->kind != BW_AE_STRING &&
			    s->fwd_dev->kind != BW_AE_MAP))
		return bw_jp_failf(p, &s->loc, "JSON: %s has no JSON form in bpfwall here",
			    s->fwd_dup ? "dup" : "fwd");
	dev = s->fwd_dev->kind == BW_AE_MAP ? bw_jp_vexpr(p, s->fwd_dev) :
	      json_string(s->fwd_dev->text);
	if (!dev)
		return NULL;
	o = json_object();
	if (s->fwd_dup) {
		json_object_set_new(o, "addr", dev);
		return bw_jp_wrap("dup", o);
	}
	json_object_set_new(o, "dev", dev);
	if (s->fwd_family && s->fwd_addr) {
		json_object_set_new(o, "family", json_string(s->fwd_family));
		json_object_set_new(o, "addr", json_string(s->fwd_addr->text));
	}
	return bw_jp_wrap("fwd", o);
}
