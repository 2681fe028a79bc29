// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON statements that redirect a packet: snat, dnat, masquerade,
 * redirect, tproxy, synproxy and dup; with the key and flag checks they share.
 * json_parse.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse_int.h"
#include "json_vexpr.h"

/* Refuses a member of o other than those of keys (NULL-ended), by name. */
bool bw_jc_only_keys(struct jc *c, const json_t *o, const char *what,
		     const char *const *keys)
{
	const char *k;
	json_t *x;

	json_object_foreach((json_t *)o, k, x) {
		size_t i = 0;

		while (keys[i] && strcmp(keys[i], k))
			i++;
		if (!keys[i]) {
			bw_jc_err(c, x, "%s's \"%s\" is not supported by bpfwall", what, k);
			return false;
		}
	}
	return true;
}

/* Flags: a name, or a list of names; the LIST of SYMBOLs the text
 * parser makes. */
struct bw_ast_expr *bw_jc_flag_list(struct jc *c, const json_t *j,
				    const char *what)
{
	struct bw_ast_expr *l;
	const json_t *x;
	size_t i;

	if (json_is_string(j)) {
		l = bw_jc_expr_at(c, BW_AE_LIST, j, NULL);
		bw_ast_expr_append(l, bw_jc_expr_at(c, BW_AE_SYMBOL, j, bw_jc_dup(c, json_string_value(j))));
		return l && l->elems ? l : NULL;
	}
	if (!json_is_array(j) || !json_array_size(j))
		return bw_jc_err(c, j, "%s's \"flags\" is a name or a list of names", what);
	json_array_foreach(j, i, x)
		if (!json_is_string(x))
			return bw_jc_err(c, x, "%s's \"flags\" is a name or a list of names", what);
	l = bw_jc_expr_at(c, BW_AE_LIST, j, NULL);
	json_array_foreach(j, i, x)
		bw_ast_expr_append(l, bw_jc_expr_at(c, BW_AE_SYMBOL, x, bw_jc_dup(c, json_string_value(x))));
	return l;
}

/* snat, dnat, masquerade, redirect: null or {family, addr, port, flags} */
struct bw_ast_stmt *bw_jc_st_nat(struct jc *c, const json_t *v,
				 const json_t *at)
{
	static const char *const keys[] = { "family", "addr", "port", "flags",
					    "type_flags", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_NAT, at);
	const char *kind;
	json_t *x, *y;
	size_t m;

	if (!s || !(kind = bw_jc_only_key(c, at, &y, "a statement")))
		return NULL;
	s->nat_kind = bw_jc_dup(c, kind);
	if (json_is_null(v))
		return s;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "a %s is null or an object", kind);
	if (!bw_jc_only_keys(c, v, kind, keys))
		return NULL;
	if ((x = json_object_get(v, "family"))) {
		if (!json_is_string(x))
			return bw_jc_err(c, x, "\"family\" must be a string");
		s->nat_family = bw_jc_dup(c, json_string_value(x));
		s->nat_family_loc = bw_jc_loc_of(c, x);
	}
	if ((x = json_object_get(v, "addr"))) {
		m = bw_jc_push(c, ".addr");
		s->nat_addr = bw_jc_is_vexpr(x) ? bw_jc_vexpr(c, x) : bw_jc_expr(c, x, false);
		bw_jc_pop(c, m);
		if (!s->nat_addr)
			return NULL;
	}
	if ((x = json_object_get(v, "port"))) {
		m = bw_jc_push(c, ".port");
		s->nat_port = bw_jc_is_vexpr(x) ? bw_jc_vexpr(c, x) : bw_jc_expr(c, x, false);
		bw_jc_pop(c, m);
		if (!s->nat_port)
			return NULL;
	}
	if ((x = json_object_get(v, "flags")) &&
	    !(s->nat_flags = bw_jc_flag_list(c, x, kind)))
		return NULL;
	/* "type_flags": what nft read the map as (interval, prefix), read
	 * only beside the netmap flag that says it (snat ip prefix to) */
	if ((x = json_object_get(v, "type_flags"))) {
		bool netmap = false;

		for (const struct bw_ast_expr *f = s->nat_flags ? s->nat_flags->elems : NULL;
		     f; f = f->next)
			netmap |= f->text && !strcmp(f->text, "netmap");
		if (!netmap)
			return bw_jc_err(c, x, "%s's \"type_flags\" is not supported by bpfwall", kind);
		if (!bw_jc_flag_list(c, x, kind))
			return NULL;
	}
	return s;
}

/* tproxy: {family, addr, port}, as a nat statement's without flags */
struct bw_ast_stmt *bw_jc_st_tproxy(struct jc *c, const json_t *v,
				    const json_t *at)
{
	struct bw_ast_stmt *s;

	if (json_is_object(v) && json_object_get(v, "flags"))
		return bw_jc_err(c, json_object_get(v, "flags"), "tproxy takes no \"flags\"");
	s = bw_jc_st_nat(c, v, at);
	if (s)
		s->kind = BW_AS_TPROXY;
	return s;
}

/* synproxy: null or {mss, wscale, flags: timestamp, sack-perm} */
struct bw_ast_stmt *bw_jc_st_synproxy(struct jc *c, const json_t *v,
				      const json_t *at)
{
	static const char *const keys[] = { "mss", "wscale", "flags", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_SYNPROXY, at);
	struct bw_ast_expr *l;
	json_t *x;

	/* a synproxy object's use: "NAME", {"map": ...} */
	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return bw_jc_st_objref(c, v, at, "synproxy");
	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "a synproxy is null, an object or an object's name");
	if (!bw_jc_only_keys(c, v, "synproxy", keys))
		return NULL;
	if ((x = json_object_get(v, "mss")) && !(s->syn_mss = bw_jc_expr(c, x, false)))
		return NULL;
	if ((x = json_object_get(v, "wscale")) && !(s->syn_wscale = bw_jc_expr(c, x, false)))
		return NULL;
	if (!(x = json_object_get(v, "flags")))
		return s;
	if (!(l = bw_jc_flag_list(c, x, "synproxy")))
		return NULL;
	for (const struct bw_ast_expr *e = l->elems; e; e = e->next) {
		if (!strcmp(e->text, "timestamp"))
			s->syn_words |= BW_AST_SYN_TIMESTAMP;
		else if (!strcmp(e->text, "sack-perm"))
			s->syn_words |= BW_AST_SYN_SACK_PERM;
		else
			return bw_jc_err(c, x, "unknown synproxy flag (timestamp, sack-perm)");
	}
	return s;
}

/* dup: {"addr": ADDR|EXPR[, "dev": DEV]} (netdev's {"dev": DEV} alone:
 * the evaluator refuses it with its reason) */
struct bw_ast_stmt *bw_jc_st_dup(struct jc *c, const json_t *v,
				 const json_t *at)
{
	static const char *const keys[] = { "addr", "dev", NULL };
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_DUP, at);
	json_t *x;
	size_t m;

	if (!s)
		return NULL;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "a dup is an object (\"addr\", \"dev\")");
	if (!bw_jc_only_keys(c, v, "dup", keys))
		return NULL;
	if ((x = json_object_get(v, "addr"))) {
		m = bw_jc_push(c, ".addr");
		s->dup_addr = bw_jc_is_vexpr(x) ? bw_jc_vexpr(c, x) : bw_jc_expr(c, x, false);
		bw_jc_pop(c, m);
		if (!s->dup_addr)
			return NULL;
	}
	if ((x = json_object_get(v, "dev"))) {
		if (!json_is_string(x))
			return bw_jc_err(c, x, "\"dev\" must be a string");
		s->dup_dev = bw_jc_dup(c, json_string_value(x));
		s->dup_dev_loc = bw_jc_loc_of(c, x);
	}
	if (!s->dup_addr && !s->dup_dev)
		return bw_jc_err(c, v, "a dup needs an \"addr\"");
	return s;
}

/* flow: {"op": "add", "flowtable": "@NAME"} */
