// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON of statements that report or refuse: log, limit, reject,
 * and quota with its byte units.
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

json_t *bw_jp_st_log(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	(void)p;
	if (s->log_prefix)
		json_object_set_new(o, "prefix", json_string(s->log_prefix));
	/* warn is the default: nft leaves it out */
	if (s->log_group)
		json_object_set_new(o, "group", bw_jp_number(s->log_group->text));
	if (s->log_snaplen)
		json_object_set_new(o, "snaplen", bw_jp_number(s->log_snaplen->text));
	if (s->log_qthreshold)
		json_object_set_new(o, "queue-threshold", bw_jp_number(s->log_qthreshold->text));
	if (s->log_level && strcmp(s->log_level->text, "warn") &&
	    strcmp(s->log_level->text, "warning"))
		json_object_set_new(o, "level", json_string(s->log_level->text));
	if (s->log_flags) {	/* nft's names, in its order */
		static const struct { uint32_t bit; const char *name; } fl[] = {
			{ 0x01, "tcp sequence" }, { 0x02, "tcp options" },
			{ 0x04, "ip options" }, { 0x08, "skuid" }, { 0x20, "ether" },
		};
		json_t *a = json_array();

		if ((s->log_flags & 0x2f) == 0x2f)
			json_array_append_new(a, json_string("all"));
		else
			for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
				if (s->log_flags & fl[i].bit)
					json_array_append_new(a, json_string(fl[i].name));
		json_object_set_new(o, "flags", json_array_size(a) == 1 ?
				    json_incref(json_array_get(a, 0)) : json_incref(a));
		json_decref(a);
	}
	if (!json_object_size(o)) {
		json_decref(o);
		o = json_null();
	}
	return bw_jp_wrap("log", o);
}

json_t *bw_jp_st_limit(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();
	bool bytes = s->rate_bytes || (s->burst_unit &&
				       strcmp(s->burst_unit->text, "packets"));

	(void)p;
	json_object_set_new(o, "rate", bw_jp_number(s->rate->text));
	/* nft's default burst: 5 packets, 0 bytes */
	json_object_set_new(o, "burst", s->burst ? bw_jp_number(s->burst->text) :
			    json_integer(bytes ? 0 : 5));
	json_object_set_new(o, "per", json_string(s->rate_unit->text));
	if (s->over)
		json_object_set_new(o, "inv", json_true());
	if (bytes) {
		json_object_set_new(o, "rate_unit", json_string(s->rate_bytes ?
						s->rate_bytes->text : "bytes"));
		/* nft lists the unit of a byte limit's burst always */
		json_object_set_new(o, "burst_unit", json_string(s->burst ?
						s->burst_unit->text : "bytes"));
	}
	return bw_jp_wrap("limit", o);
}

json_t *bw_jp_st_reject(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();

	if (!s->rej_kind) {
		/* nft prints the reject it made: icmp port-unreachable for
		 * the family */
		const char *ty = !strcmp(p->family, "ip") ? "icmp" :
				 !strcmp(p->family, "ip6") ? "icmpv6" : "icmpx";

		json_object_set_new(o, "type", json_string(ty));
		json_object_set_new(o, "expr", json_string("port-unreachable"));
	} else if (!strcmp(s->rej_kind->text, "tcp")) {
		json_object_set_new(o, "type", json_string("tcp reset"));
	} else {
		json_object_set_new(o, "type", json_string(s->rej_kind->text));
		json_object_set_new(o, "expr", bw_jp_scalar(p, s->rej_code, NULL, NULL));
	}
	return bw_jp_wrap("reject", o);
}

/* nft's unit for n units u: the largest that divides the byte count
 * (nft lists 1024 kbytes as 1 mbytes); *v the count in it. */
static const char *byte_unit(const struct bw_ast_expr *n,
			     const struct bw_ast_expr *u, unsigned long long *v)
{
	static const char *const units[] = { "bytes", "kbytes", "mbytes", "gbytes" };
	unsigned long long b = strtoull(n->text, NULL, 0);
	size_t i = 0;

	while (i < 3 && strcmp(u->text, units[i]))
		i++;
	if (strcmp(u->text, units[i])) {	/* not a unit nft knows */
		*v = b;
		return u->text;
	}
	for (size_t k = 0; k < i; k++)
		b *= 1024;
	for (i = 0; b && i < 3 && !(b % 1024); i++)
		b /= 1024;
	*v = b;
	return units[i];
}

json_t *bw_jp_st_quota(struct jp *p, const struct bw_ast_stmt *s)
{
	json_t *o = json_object();
	unsigned long long v;
	const char *u;

	(void)p;
	u = byte_unit(s->quota_n, s->quota_unit, &v);
	json_object_set_new(o, "val", json_integer((json_int_t)v));
	json_object_set_new(o, "val_unit", json_string(u));
	/* until is the default: nft leaves it out */
	if (s->quota_mode && !strcmp(s->quota_mode, "over"))
		json_object_set_new(o, "inv", json_true());
	if (s->quota_used && strtoull(s->quota_used->text, NULL, 0)) {
		u = byte_unit(s->quota_used, s->quota_used_unit, &v);
		json_object_set_new(o, "used", json_integer((json_int_t)v));
		json_object_set_new(o, "used_unit", json_string(u));
	}
	return bw_jp_wrap("quota", o);
}
