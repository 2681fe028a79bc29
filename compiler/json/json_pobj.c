// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON of a table's objects other than its rules: sets and maps,
 * the named stateful objects, chains and flowtables.
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

void bw_jp_set_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
		   uint32_t handle)
{
	const struct bw_ast_setdef *sd = it->set;
	const struct type_row *t[MAXCAT];
	json_t *o = bw_jp_head(p, "name", it->set_name), *ty, *f;
	unsigned nt = 0;

	if (sd->typeof_) {
		for (const struct bw_ast_fref *r = sd->typeof_; r && nt < MAXCAT; r = r->next) {
			const struct bw_field *f = bw_field_find(r->proto, r->field);

			t[nt++] = f ? bw_jp_type_row(f->type) : NULL;
		}
	} else if (sd->types) {
		for (const struct bw_ast_expr *x = sd->types->elems; x && nt < MAXCAT; x = x->next)
			t[nt++] = bw_jp_type_by_nft_name(x->text);
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
	if (sd->flags && (f = bw_jp_set_flags_json(sd->flags)))
		json_object_set_new(o, "flags", f);
	if (sd->size)
		json_object_set_new(o, "size", bw_jp_number(sd->size->text));
	bw_jp_set_timeouts(o, sd);
	if (sd->elements) {
		json_t *a = json_array();

		bool interval = false;

		for (const struct bw_ast_expr *f = sd->flags ? sd->flags->elems : NULL;
		     f; f = f->next)
			interval |= !strcmp(f->text, "interval");
		if (sd->elements->kind == BW_AE_SET)
			bw_jp_set_elems(p, a, sd->elements, t, nt, interval, false);
		else
			json_array_append_new(a, bw_jp_value_of(p, sd->elements, t, nt));
		json_object_set_new(o, "elem", a);
	}
	bw_jp_add(list, sd->map ? "map" : "set", o);
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
void bw_jp_obj_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
		   uint32_t handle)
{
	const struct bw_ast_stmt *s = it->obj_stmt;
	const struct bw_ast_expr *v;
	json_t *o = bw_jp_head(p, "name", it->obj_ident);

	json_object_set_new(o, "handle", json_integer(handle));
	if (!strcmp(it->obj_type, "counter")) {
		json_object_set_new(o, "packets", s ? bw_jp_number(s->packets->text) : json_integer(0));
		json_object_set_new(o, "bytes", s ? bw_jp_number(s->bytes->text) : json_integer(0));
	} else if (!strcmp(it->obj_type, "quota") && s) {
		json_object_set_new(o, "bytes", json_integer(bytes_of(s->quota_n, s->quota_unit)));
		json_object_set_new(o, "used", s->quota_used ?
				    json_integer(bytes_of(s->quota_used, s->quota_used_unit)) :
				    json_integer(0));
		json_object_set_new(o, "inv", json_boolean(s->quota_mode &&
							   !strcmp(s->quota_mode, "over")));
	} else if (!strcmp(it->obj_type, "synproxy") && s) {
		bw_jp_synproxy_fields(o, s);
	} else if (!strcmp(it->obj_type, "limit") && s) {
		bool bytes = s->rate_bytes != NULL;

		json_object_set_new(o, "rate", bw_jp_number(s->rate->text));
		json_object_set_new(o, "per", json_string(s->rate_unit->text));
		if (s->over)
			json_object_set_new(o, "inv", json_true());
		if (bytes)
			json_object_set_new(o, "rate_unit", json_string(s->rate_bytes->text));
		json_object_set_new(o, "burst", s->burst ? bw_jp_number(s->burst->text) :
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
			json_object_set_new(o, "dport", bw_jp_number(v->text));
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
			json_object_set_new(o, "size", bw_jp_number(v->text));
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
							    bw_jp_number(e->right->text));
			if (!json_object_size(pol)) {
				json_decref(pol);
				pol = json_null();
			}
			json_object_set_new(o, "policy", pol);
		}
	}
	bw_jp_add(list, it->obj_type, o);
}

void bw_jp_chain_obj(struct jp *p, json_t *list, const struct bw_ast_item *c,
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
	bw_jp_add(list, "chain", o);
}

/* A flowtable as nft 1.0.6 lists it: {"flowtable": {"family", "name",
 * "table", "handle", "hook", "prio", "dev"}}, "dev" a string for one
 * device, else an array (nft lists neither flags nor counter). */
void bw_jp_flowtable_obj(struct jp *p, json_t *list, const struct bw_ast_item *it,
			 uint32_t handle)
{
	json_t *o = bw_jp_head(p, "name", it->ft_name), *devs = NULL;
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
	bw_jp_add(list, "flowtable", o);
}
