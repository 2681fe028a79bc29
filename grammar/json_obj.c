// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's JSON objects other than the rule: table, chain, set and map,
 * flowtable and the named stateful objects (counter, quota, limit, ct
 * helper, ct timeout, ct expectation, synproxy).
 * json_parse.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse_int.h"
#include "json_vexpr.h"

struct bw_ast_item *bw_jc_find(struct bw_ast_item *list,
			       enum bw_ast_item_kind k, const char *family,
			       const char *name)
{
	for (struct bw_ast_item *it = list; it; it = it->next) {
		if (it->kind != k)
			continue;
		if (k == BW_AI_SET ? !strcmp(it->set_name, name) :
		    !strcmp(it->name, name) &&
		    (!family || !strcmp(it->family ? it->family : "ip", family)))
			return it;
	}
	return NULL;
}

struct bw_ast_item *bw_jc_table_of(struct jc *c, const json_t *o)
{
	const char *fam = bw_jc_str_member(c, o, "family");
	const char *tab = fam ? bw_jc_str_member(c, o, "table") : NULL;
	struct bw_ast_item *t;

	if (!tab)
		return NULL;
	t = bw_jc_find(c->ast->items, BW_AI_TABLE, fam, tab);
	if (!t)
		return bw_jc_err(c, json_object_get(o, "table"),
			    "table %s %s is not declared before", fam, tab);
	return t;
}

void bw_jc_obj_table(struct jc *c, const json_t *o)
{
	const char *fam = bw_jc_str_member(c, o, "family");
	const char *name = fam ? bw_jc_str_member(c, o, "name") : NULL;
	struct bw_ast_item *t;

	if (!name)
		return;
	if (bw_jc_find(c->ast->items, BW_AI_TABLE, fam, name))
		return;		/* nft: add table of one that exists */
	t = bw_jc_item_new(c, BW_AI_TABLE, o);
	if (!t)
		return;
	t->family = fam;
	t->family_loc = bw_jc_loc_of(c, json_object_get(o, "family"));
	t->name = name;
	t->name_loc = bw_jc_loc_of(c, json_object_get(o, "name"));
	bw_jc_item_add(&c->ast->items, &c->ast->items_last, t);
}

void bw_jc_obj_chain(struct jc *c, const json_t *o)
{
	struct bw_ast_item *t = bw_jc_table_of(c, o), *ch, *it;
	const char *name = t ? bw_jc_str_member(c, o, "name") : NULL;
	json_t *type, *hook, *prio, *pol, *dev, *cm;

	if (!name)
		return;
	if (bw_jc_find(t->items, BW_AI_CHAIN, NULL, name)) {
		bw_jc_err(c, json_object_get(o, "name"), "chain %s is declared twice", name);
		return;
	}
	ch = bw_jc_item_new(c, BW_AI_CHAIN, o);
	if (!ch)
		return;
	ch->name = name;
	ch->name_loc = bw_jc_loc_of(c, json_object_get(o, "name"));
	bw_jc_item_add(&t->items, &t->items_last, ch);
	if ((cm = json_object_get(o, "comment")) && json_is_string(cm) &&
	    (it = bw_jc_item_new(c, BW_AI_COMMENT, cm))) {
		it->name = bw_jc_dup(c, json_string_value(cm));
		it->name_loc = it->loc;
		bw_jc_item_add(&ch->items, &ch->items_last, it);
	}
	hook = json_object_get(o, "hook");
	if (!hook)
		return;
	if (!(type = bw_jc_member(c, o, "type", JSON_STRING, "a string")) ||
	    !(hook = bw_jc_member(c, o, "hook", JSON_STRING, "a string")) ||
	    !(prio = bw_jc_member(c, o, "prio", JSON_INTEGER, "a number")))
		return;
	it = bw_jc_item_new(c, BW_AI_HOOK, o);
	if (!it)
		return;
	it->type = bw_jc_dup(c, json_string_value(type));
	it->type_loc = bw_jc_loc_of(c, type);
	it->hook = bw_jc_dup(c, json_string_value(hook));
	it->hook_loc = bw_jc_loc_of(c, hook);
	dev = json_object_get(o, "dev");
	if (dev && json_is_string(dev)) {
		it->device = bw_jc_dup(c, json_string_value(dev));
		it->device_loc = bw_jc_loc_of(c, dev);
	} else if (dev && json_is_array(dev) && json_array_size(dev)) {
		/* several devices: devices = { ... } */
		json_t *x;
		size_t i;

		it->devices = bw_jc_expr_at(c, BW_AE_LIST, dev, NULL);
		json_array_foreach(dev, i, x) {
			if (!json_is_string(x)) {
				bw_jc_err(c, x, "\"dev\" must be a string or a list of strings");
				return;
			}
			bw_ast_expr_append(it->devices, bw_jc_expr_at(c, BW_AE_STRING, x,
								bw_jc_dup(c, json_string_value(x))));
		}
		it->device = it->devices->elems->text;
		it->device_loc = it->devices->elems->loc;
	} else if (dev) {
		bw_jc_err(c, dev, "\"dev\" must be a string or a list of strings");
		return;
	}
	{
		char buf[32];
		json_int_t p = json_integer_value(prio);

		snprintf(buf, sizeof(buf), "%lld", (long long)(p < 0 ? -p : p));
		it->prio.num = bw_jc_dup(c, buf);
		it->prio.neg = p < 0;
		it->prio.loc = bw_jc_loc_of(c, prio);
	}
	bw_jc_item_add(&ch->items, &ch->items_last, it);
	pol = json_object_get(o, "policy");
	if (pol && json_is_string(pol) && (it = bw_jc_item_new(c, BW_AI_POLICY, pol))) {
		it->policy = bw_jc_dup(c, json_string_value(pol));
		it->policy_loc = it->loc;
		bw_jc_item_add(&ch->items, &ch->items_last, it);
	}
}

/* "a" or ["a", "b"]: a LIST (or CONCAT) of SYMBOLs. */
static struct bw_ast_expr *words(struct jc *c, const json_t *j,
				 enum bw_ast_expr_kind kind)
{
	struct bw_ast_expr *l = bw_jc_expr_at(c, kind, j, NULL);
	json_t *x;
	size_t i;

	if (json_is_string(j)) {
		bw_ast_expr_append(l, bw_jc_expr_at(c, BW_AE_SYMBOL, j, bw_jc_dup(c, json_string_value(j))));
		return l;
	}
	if (!json_is_array(j) || !json_array_size(j))
		return bw_jc_err(c, j, "a name or a list of names");
	json_array_foreach(j, i, x) {
		if (!json_is_string(x))
			return bw_jc_err(c, x, "a name");
		bw_ast_expr_append(l, bw_jc_expr_at(c, BW_AE_SYMBOL, x, bw_jc_dup(c, json_string_value(x))));
	}
	return l;
}

void bw_jc_obj_set(struct jc *c, const json_t *o, bool map)
{
	struct bw_ast_item *t = bw_jc_table_of(c, o), *it;
	const char *name = t ? bw_jc_str_member(c, o, "name") : NULL;
	struct bw_ast_setdef *sd;
	const char *k;
	json_t *type, *x;
	size_t m;

	if (!name)
		return;
	if (!(type = json_object_get(o, "type"))) {
		bw_jc_err(c, o, "\"type\" is missing (bpfwall takes a set's type, not typeof, in JSON)");
		return;
	}
	if (!(it = bw_jc_item_new(c, BW_AI_SET, o)) || !(sd = bw_jc_node(c, sizeof(*sd))))
		return;
	it->set_name = name;
	it->set_name_loc = bw_jc_loc_of(c, json_object_get(o, "name"));
	it->set = sd;
	sd->map = map;
	sd->ntype = 1;
	sd->type_loc = bw_jc_loc_of(c, type);
	m = bw_jc_push(c, ".type");
	sd->types = words(c, type, BW_AE_CONCAT);
	bw_jc_pop(c, m);
	json_object_foreach((json_t *)o, k, x) {
		m = bw_jc_push(c, ".%s", k);
		if (!strcmp(k, "map")) {
			if (!json_is_string(x))
				bw_jc_err(c, x, "\"map\" must be a type name");
			else
				sd->value_type = bw_jc_expr_at(c, BW_AE_SYMBOL, x,
							  bw_jc_dup(c, json_string_value(x)));
		} else if (!strcmp(k, "flags")) {
			sd->flags = words(c, x, BW_AE_LIST);
		} else if (!strcmp(k, "size")) {
			sd->size = json_is_integer(x) ? bw_jc_expr(c, x, false) :
				   bw_jc_err(c, x, "\"size\" must be a number");
		} else if (!strcmp(k, "timeout") || !strcmp(k, "gc-interval")) {
			*(k[0] == 't' ? &sd->timeout : &sd->gc_interval) =
				json_is_integer(x) ? bw_jc_expr(c, x, false) :
				bw_jc_err(c, x, "\"%s\" must be a number (seconds)", k);
		} else if (!strcmp(k, "comment")) {
			if (json_is_string(x)) {
				sd->comment = bw_jc_dup(c, json_string_value(x));
				sd->comment_loc = bw_jc_loc_of(c, x);
			}
		} else if (!strcmp(k, "elem")) {
			sd->elements = json_is_array(x) ?
				       bw_jc_list_of(c, x, BW_AE_SET, false, x) :
				       bw_jc_err(c, x, "\"elem\" must be a list");
		} else if (strcmp(k, "family") && strcmp(k, "table") &&
			   strcmp(k, "name") && strcmp(k, "type") &&
			   strcmp(k, "handle")) {
			bw_jc_err(c, x, "the set property \"%s\" is not supported by bpfwall", k);
		}
		bw_jc_pop(c, m);
		if (c->err)
			return;
	}
	if (map && !sd->value_type) {
		bw_jc_err(c, o, "a map needs \"map\" (its value type)");
		return;
	}
	bw_jc_item_add(&t->items, &t->items_last, it);
}

/* A number of a named object's JSON as an expression, or NULL (said). */
static struct bw_ast_expr *obj_num(struct jc *c, const json_t *o, const char *key,
				   bool need)
{
	json_t *x = json_object_get(o, key);

	if (!x)
		return need ? bw_jc_err(c, o, "\"%s\" is missing", key) : NULL;
	if (!json_is_integer(x))
		return bw_jc_err(c, x, "\"%s\" must be a number", key);
	return bw_jc_expr(c, x, false);
}

/* A ct object's attribute KEY : VALUE (the text parser's form). */
static void obj_attr(struct jc *c, struct bw_ast_item *it, const json_t *x,
		     const char *key, struct bw_ast_expr *v)
{
	struct bw_ast_expr *a = bw_jc_expr_at(c, BW_AE_MAPELEM, x, NULL);

	if (!a || !v)
		return;
	a->left = bw_jc_expr_at(c, BW_AE_SYMBOL, x, key);
	a->right = v;
	bw_ast_expr_append(it->obj_attrs, a);
}

/* counter, quota, limit, ct helper, ct timeout, ct expectation objects,
 * as nft lists them */
/* {"flowtable": {"family", "table", "name", "hook", "prio", "dev"[,
 * "flags": ["offload", "counter"] (bpfwall's)]}} */
void bw_jc_obj_flowtable(struct jc *c, const json_t *o)
{
	struct bw_ast_item *t = bw_jc_table_of(c, o), *it;
	const char *name = t ? bw_jc_str_member(c, o, "name") : NULL;
	json_t *hook, *prio, *dev, *fl, *x;
	char buf[32];
	size_t i;

	if (!name || !(it = bw_jc_item_new(c, BW_AI_FLOWTABLE, o)))
		return;
	it->ft_name = name;
	it->ft_name_loc = bw_jc_loc_of(c, json_object_get(o, "name"));
	if (!(hook = bw_jc_member(c, o, "hook", JSON_STRING, "a string")) ||
	    !(prio = bw_jc_member(c, o, "prio", JSON_INTEGER, "a number")))
		return;
	it->ft_hook = bw_jc_dup(c, json_string_value(hook));
	it->ft_hook_loc = bw_jc_loc_of(c, hook);
	snprintf(buf, sizeof(buf), "%lld", (long long)llabs(json_integer_value(prio)));
	it->ft_prio.num = bw_jc_dup(c, buf);
	it->ft_prio.neg = json_integer_value(prio) < 0;
	it->ft_prio.loc = bw_jc_loc_of(c, prio);
	if ((dev = json_object_get(o, "dev"))) {
		it->ft_devs = bw_jc_expr_at(c, BW_AE_LIST, dev, NULL);
		if (json_is_string(dev)) {
			bw_ast_expr_append(it->ft_devs, bw_jc_expr_at(c, BW_AE_STRING, dev,
							       bw_jc_dup(c, json_string_value(dev))));
		} else if (json_is_array(dev)) {
			json_array_foreach(dev, i, x) {
				if (!json_is_string(x)) {
					bw_jc_err(c, x, "Invalid flowtable dev (a string)");
					return;
				}
				bw_ast_expr_append(it->ft_devs, bw_jc_expr_at(c, BW_AE_STRING, x,
								       bw_jc_dup(c, json_string_value(x))));
			}
		} else {
			bw_jc_err(c, dev, "Invalid flowtable dev (a string or an array of strings)");
			return;
		}
	}
	if ((fl = json_object_get(o, "flags"))) {
		if (!json_is_array(fl)) {
			bw_jc_err(c, fl, "\"flags\" must be an array (\"offload\", \"counter\")");
			return;
		}
		json_array_foreach(fl, i, x) {
			if (json_is_string(x) && !strcmp(json_string_value(x), "offload")) {
				it->ft_offload = true;
				it->ft_offload_loc = bw_jc_loc_of(c, x);
			} else if (json_is_string(x) && !strcmp(json_string_value(x), "counter")) {
				it->ft_counter = true;
			} else {
				bw_jc_err(c, x, "unknown flowtable flag (offload, counter)");
				return;
			}
		}
	}
	bw_jc_item_add(&t->items, &t->items_last, it);
}

void bw_jc_obj_named(struct jc *c, const json_t *o, const char *kind)
{
	struct bw_ast_item *t = bw_jc_table_of(c, o), *it;
	const char *name = t ? bw_jc_str_member(c, o, "name") : NULL;
	struct bw_ast_stmt *s = NULL;
	const char *k;
	json_t *x;

	if (!name || !(it = bw_jc_item_new(c, BW_AI_OBJECT, o)))
		return;
	it->obj_type = kind;
	it->obj_type_loc = it->loc;
	it->obj_ident = name;
	it->obj_ident_loc = bw_jc_loc_of(c, json_object_get(o, "name"));
	if (!strcmp(kind, "counter")) {
		if (json_object_get(o, "packets") || json_object_get(o, "bytes")) {
			s = bw_jc_stmt_new(c, BW_AS_COUNTER, o);
			if (!s || !(s->packets = obj_num(c, o, "packets", true)) ||
			    !(s->bytes = obj_num(c, o, "bytes", true)))
				return;
		}
	} else if (!strcmp(kind, "quota")) {
		s = bw_jc_stmt_new(c, BW_AS_QUOTA, o);
		if (!s || !(s->quota_n = obj_num(c, o, "bytes", true)))
			return;
		s->quota_unit = bw_jc_expr_at(c, BW_AE_SYMBOL, o, "bytes");
		if ((s->quota_used = obj_num(c, o, "used", false)))
			s->quota_used_unit = bw_jc_expr_at(c, BW_AE_SYMBOL, o, "bytes");
		if (json_is_true(json_object_get(o, "inv")))
			s->quota_mode = "over";
	} else if (!strcmp(kind, "synproxy")) {
		s = bw_jc_stmt_new(c, BW_AS_SYNPROXY, o);
		if (!s || !(s->syn_mss = obj_num(c, o, "mss", true)) ||
		    !(s->syn_wscale = obj_num(c, o, "wscale", true)))
			return;
		if ((x = json_object_get(o, "flags"))) {
			struct bw_ast_expr *l = bw_jc_flag_list(c, x, "synproxy");

			for (const struct bw_ast_expr *e = l ? l->elems : NULL; e; e = e->next)
				if (!strcmp(e->text, "timestamp"))
					s->syn_words |= BW_AST_SYN_TIMESTAMP;
				else if (!strcmp(e->text, "sack-perm"))
					s->syn_words |= BW_AST_SYN_SACK_PERM;
				else
					bw_jc_err(c, x, "unknown synproxy flag (timestamp, sack-perm)");
			if (!l || c->err)
				return;
		}
	} else if (!strcmp(kind, "limit")) {
		const char *per = bw_jc_str_member(c, o, "per");

		s = bw_jc_stmt_new(c, BW_AS_LIMIT, o);
		if (!s || !per || !(s->rate = obj_num(c, o, "rate", true)))
			return;
		s->rate_unit = bw_jc_expr_at(c, BW_AE_SYMBOL, json_object_get(o, "per"), per);
		if ((x = json_object_get(o, "rate_unit")) && json_is_string(x) &&
		    strcmp(json_string_value(x), "packets"))
			s->rate_bytes = bw_jc_expr_at(c, BW_AE_SYMBOL, x, bw_jc_dup(c, json_string_value(x)));
		if ((s->burst = obj_num(c, o, "burst", false))) {
			x = json_object_get(o, "burst_unit");
			s->burst_unit = bw_jc_expr_at(c, BW_AE_SYMBOL, x ? x : o,
						 x && json_is_string(x) ?
						 bw_jc_dup(c, json_string_value(x)) :
						 s->rate_bytes ? "bytes" : "packets");
		}
		s->over = json_is_true(json_object_get(o, "inv"));
	} else {
		if (!(it->obj_attrs = bw_jc_expr_at(c, BW_AE_LIST, o, NULL)))
			return;
		json_object_foreach((json_t *)o, k, x) {
			char buf[40];

			if (!strcmp(k, "family") || !strcmp(k, "table") ||
			    !strcmp(k, "name") || !strcmp(k, "handle") ||
			    (!strcmp(k, "policy") && json_is_null(x)))	/* the defaults */
				continue;
			if (!strcmp(k, "type") && json_is_string(x)) {
				obj_attr(c, it, x, "type", bw_jc_expr_at(c, BW_AE_STRING, x,
								    bw_jc_dup(c, json_string_value(x))));
			} else if ((!strcmp(k, "protocol") || !strcmp(k, "l3proto")) &&
				   json_is_string(x)) {
				obj_attr(c, it, x, !strcmp(k, "protocol") ? "protocol" : "l3proto",
					 bw_jc_expr_at(c, BW_AE_SYMBOL, x, bw_jc_dup(c, json_string_value(x))));
			} else if ((!strcmp(k, "dport") || !strcmp(k, "size")) &&
				   json_is_integer(x)) {
				obj_attr(c, it, x, !strcmp(k, "dport") ? "dport" : "size",
					 bw_jc_expr(c, x, false));
			} else if (!strcmp(k, "timeout") && json_is_integer(x) &&
				   json_integer_value(x) >= 0) {
				/* milliseconds */
				snprintf(buf, sizeof(buf), "%lldms", (long long)json_integer_value(x));
				obj_attr(c, it, x, "timeout", bw_jc_expr_at(c, BW_AE_SYMBOL, x, bw_jc_dup(c, buf)));
			} else if (!strcmp(k, "policy") && json_is_object(x)) {
				struct bw_ast_expr *set = bw_jc_expr_at(c, BW_AE_SET, x, NULL);
				const char *st;
				json_t *n;

				json_object_foreach(x, st, n) {
					struct bw_ast_expr *e = bw_jc_expr_at(c, BW_AE_MAPELEM, n, NULL);

					if (!set || !e || !json_is_integer(n)) {
						bw_jc_err(c, n, "a policy's state takes a number of seconds");
						return;
					}
					e->left = bw_jc_expr_at(c, BW_AE_SYMBOL, n, bw_jc_dup(c, st));
					e->right = bw_jc_expr(c, n, false);
					bw_ast_expr_append(set, e);
				}
				obj_attr(c, it, x, "policy", set);
			} else {
				bw_jc_err(c, x, "the %s property \"%s\" is not supported by bpfwall", kind, k);
				return;
			}
		}
	}
	if (c->err)
		return;
	it->obj_stmt = s;
	bw_jc_item_add(&t->items, &t->items_last, it);
}
