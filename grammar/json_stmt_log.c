// SPDX-License-Identifier: GPL-2.0-only
/*
 * JSON statements that report or refuse: log, limit and reject.
 * json_parse.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse_int.h"
#include "json_vexpr.h"

/* A log option's number (non-negative) as a NUMBER. */
static struct bw_ast_expr *log_number(struct jc *c, const json_t *j)
{
	char buf[32];

	if (json_integer_value(j) < 0)
		return bw_jc_err(c, j, "a negative number");
	snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(j));
	return bw_jc_expr_at(c, BW_AE_NUMBER, j, bw_jc_dup(c, buf));
}

struct bw_ast_stmt *bw_jc_st_log(struct jc *c, const json_t *v,
				 const json_t *at)
{
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_LOG, at);
	const char *k;
	json_t *x;

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v))
		return bw_jc_err(c, v, "a log is null or an object");
	json_object_foreach((json_t *)v, k, x) {
		if (!strcmp(k, "prefix") && json_is_string(x)) {
			s->log_prefix = bw_jc_dup(c, json_string_value(x));
			s->log_prefix_loc = bw_jc_loc_of(c, x);
		} else if (!strcmp(k, "level") && json_is_string(x)) {
			s->log_level = bw_jc_word(c, x, false);
		} else if (!strcmp(k, "group") && json_is_integer(x)) {
			s->log_group = log_number(c, x);
		} else if (!strcmp(k, "snaplen") && json_is_integer(x)) {
			s->log_snaplen = log_number(c, x);
		} else if (!strcmp(k, "queue-threshold") && json_is_integer(x)) {
			s->log_qthreshold = log_number(c, x);
		} else if (!strcmp(k, "flags") && (json_is_string(x) || json_is_array(x))) {
			size_t i, n = json_is_array(x) ? json_array_size(x) : 1;

			for (i = 0; i < n; i++) {
				const json_t *f = json_is_array(x) ? json_array_get(x, i) : x;
				const char *fs = json_is_string(f) ? json_string_value(f) : "";

				if (!strcmp(fs, "all"))
					s->log_flags |= 0x2f;
				else if (!strcmp(fs, "tcp sequence"))
					s->log_flags |= 0x01;
				else if (!strcmp(fs, "tcp options"))
					s->log_flags |= 0x02;
				else if (!strcmp(fs, "ip options"))
					s->log_flags |= 0x04;
				else if (!strcmp(fs, "skuid"))
					s->log_flags |= 0x08;
				else if (!strcmp(fs, "ether"))
					s->log_flags |= 0x20;
				else
					return bw_jc_err(c, f, "unknown log flag (all, tcp sequence, tcp options, ip options, skuid, ether)");
			}
		} else {
			return bw_jc_err(c, x, "log's \"%s\" is not supported by bpfwall", k);
		}
	}
	return s;
}

struct bw_ast_stmt *bw_jc_st_limit(struct jc *c, const json_t *v,
				   const json_t *at)
{
	struct bw_ast_stmt *s;
	json_t *rate, *per, *burst, *x;
	const char *k;

	if (json_is_string(v) || (json_is_object(v) && json_object_get(v, "map")))
		return bw_jc_st_objref(c, v, at, "limit");
	s = bw_jc_stmt_new(c, BW_AS_LIMIT, at);
	if (!s || !json_is_object(v) ||
	    !(rate = bw_jc_member(c, v, "rate", JSON_INTEGER, "a number")))
		return c->err ? NULL : bw_jc_err(c, at, "a limit is an object");
	per = json_object_get(v, "per");
	burst = json_object_get(v, "burst");
	json_object_foreach((json_t *)v, k, x)
		if (strcmp(k, "rate") && strcmp(k, "per") && strcmp(k, "burst") &&
		    strcmp(k, "inv") && strcmp(k, "rate_unit") && strcmp(k, "burst_unit"))
			return bw_jc_err(c, x, "limit's \"%s\" is not supported by bpfwall", k);
	s->rate = bw_jc_expr(c, rate, false);
	if (per && !json_is_string(per))
		return bw_jc_err(c, per, "\"per\" must be a string");
	s->rate_unit = per ? bw_jc_word(c, per, false) :
		       bw_jc_expr_at(c, BW_AE_SYMBOL, at, "second");
	s->over = json_is_true(json_object_get(v, "inv"));
	if ((x = json_object_get(v, "rate_unit")) && json_is_string(x) &&
	    strcmp(json_string_value(x), "packets"))
		s->rate_bytes = bw_jc_word(c, x, false);
	if (burst && !json_is_integer(burst))
		return bw_jc_err(c, burst, "\"burst\" must be a number");
	x = json_object_get(v, "burst_unit");
	/* nft's default burst (5 packets, 0 bytes) is not written */
	if (burst && json_integer_value(burst) &&
	    (s->rate_bytes || json_integer_value(burst) != 5)) {
		s->burst = bw_jc_expr(c, burst, false);
		s->burst_unit = x && json_is_string(x) ? bw_jc_word(c, x, false) :
				bw_jc_expr_at(c, BW_AE_SYMBOL, burst,
					 s->rate_bytes ? "bytes" : "packets");
	}
	return s->rate && s->rate_unit ? s : NULL;
}

struct bw_ast_stmt *bw_jc_st_reject(struct jc *c, const json_t *v,
				    const json_t *at)
{
	struct bw_ast_stmt *s = bw_jc_stmt_new(c, BW_AS_REJECT, at);
	json_t *type, *code;
	const char *t;

	if (!s || json_is_null(v))
		return s;
	if (!json_is_object(v) || !(type = bw_jc_member(c, v, "type", JSON_STRING, "a string")))
		return c->err ? NULL : bw_jc_err(c, at, "a reject is null or an object");
	t = json_string_value(type);
	code = json_object_get(v, "expr");
	if (!strcmp(t, "tcp reset")) {
		s->rej_kind = bw_jc_expr_at(c, BW_AE_SYMBOL, type, "tcp");
		s->rej_code = bw_jc_expr_at(c, BW_AE_SYMBOL, type, "reset");
		return s;
	}
	if (!code)
		return bw_jc_err(c, at, "reject of type \"%s\" needs \"expr\"", t);
	/* what nft lists for a plain reject: port unreachable of the
	 * family's ICMP (icmpx where the family has both) */
	if (json_is_string(code) && !strcmp(json_string_value(code), "port-unreachable") &&
	    !strcmp(t, !strcmp(c->family, "ip") ? "icmp" :
		       !strcmp(c->family, "ip6") ? "icmpv6" : "icmpx"))
		return s;
	s->rej_kind = bw_jc_word(c, type, false);
	s->rej_code = bw_jc_expr(c, code, false);
	return s->rej_kind && s->rej_code ? s : NULL;
}
