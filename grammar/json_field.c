// SPDX-License-Identifier: GPL-2.0-only
/*
 * The left-hand sides of nft's JSON that are not a plain protocol field
 * (fib, ipsec, osf, tcp option, sctp chunk), read for json_parse.c's
 * field reading.
 * json_parse.c keeps the tables that dispatch to these.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_parse_int.h"
#include "json_vexpr.h"

/* {"fib": {"result": R, "flags": [F, ...]}}: the field named as the
 * language names it ("daddr . iif type"). */
bool bw_jc_fib_field(struct jc *c, const json_t *j, const json_t *v,
		     const char **proto, const char **name,
		     struct bw_loc *ploc, struct bw_loc *nloc)
{
	const char *res = json_is_object(v) ?
			  json_string_value(json_object_get(v, "result")) : NULL;
	const json_t *fl = json_is_object(v) ? json_object_get(v, "flags") : NULL;
	char buf[128] = "", *s;
	size_t i, n = 0;
	json_t *x;

	if (!res || !(json_is_array(fl) || json_is_string(fl))) {
		bw_jc_err(c, j, "fib needs a \"result\" and \"flags\"");
		return false;
	}
	if (json_is_string(fl)) {
		n = (size_t)snprintf(buf, sizeof(buf), "%s", json_string_value(fl));
	} else {
		json_array_foreach(fl, i, x) {
			if (!json_is_string(x)) {
				bw_jc_err(c, x, "a fib flag is a string");
				return false;
			}
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
					      i ? " . " : "", json_string_value(x));
			if (n >= sizeof(buf))
				break;
		}
	}
	if (n >= sizeof(buf) - 1 - strlen(res) || !(s = bw_jc_node(c, n + strlen(res) + 2)))
		return false;
	sprintf(s, "%s %s", buf, res);
	*proto = "fib";
	*name = s;
	*ploc = *nloc = bw_jc_loc_of(c, j);
	return true;
}

/* {"ipsec": {"key": K[, "family": F], "dir": D[, "spnum": N]}}: the
 * field "D [spnum N ][F ]K" (N 0: none, as the text form lists it). */
bool bw_jc_xfrm_field(struct jc *c, const json_t *j, const json_t *v,
		      const char **proto, const char **name,
		      struct bw_loc *ploc, struct bw_loc *nloc)
{
	const char *key = json_is_object(v) ?
			  json_string_value(json_object_get(v, "key")) : NULL;
	const char *fam = json_is_object(v) ?
			  json_string_value(json_object_get(v, "family")) : NULL;
	const char *dir = json_is_object(v) ?
			  json_string_value(json_object_get(v, "dir")) : NULL;
	const json_t *sn = json_is_object(v) ? json_object_get(v, "spnum") : NULL;
	json_int_t n = sn ? json_integer_value(sn) : 0;
	size_t len;
	char *s;

	if (!key || !dir) {
		bw_jc_err(c, j, "ipsec needs a \"key\" and a \"dir\"");
		return false;
	}
	if ((sn && !json_is_integer(sn)) || n < 0 || n > 255) {
		bw_jc_err(c, sn, "ipsec \"spnum\" is a number 0 to 255");
		return false;
	}
	len = strlen(dir) + strlen(key) + (fam ? strlen(fam) : 0) + 16;
	if (!(s = bw_jc_node(c, len)))
		return false;
	if (n)
		snprintf(s, len, "%s spnum %d %s%s%s", dir, (int)n, fam ? fam : "",
			 fam ? " " : "", key);
	else
		snprintf(s, len, "%s %s%s%s", dir, fam ? fam : "", fam ? " " : "", key);
	*proto = "ipsec";
	*name = s;
	*ploc = *nloc = bw_jc_loc_of(c, j);
	return true;
}

/* {"osf": {"key": K[, "ttl": T]}}: the field "[ttl T ]K". */
bool bw_jc_osf_field(struct jc *c, const json_t *j, const json_t *v,
		     const char **proto, const char **name,
		     struct bw_loc *ploc, struct bw_loc *nloc)
{
	const char *key = json_is_object(v) ?
			  json_string_value(json_object_get(v, "key")) : NULL;
	const char *ttl = json_is_object(v) ?
			  json_string_value(json_object_get(v, "ttl")) : NULL;
	size_t n;
	char *s;

	if (!key) {
		bw_jc_err(c, j, "osf needs a \"key\"");
		return false;
	}
	n = strlen(key) + (ttl ? strlen(ttl) + 5 : 0) + 1;
	if (!(s = bw_jc_node(c, n)))
		return false;
	if (ttl)
		snprintf(s, n, "ttl %s %s", ttl, key);
	else
		snprintf(s, n, "%s", key);
	*proto = "osf";
	*name = s;
	*ploc = *nloc = bw_jc_loc_of(c, j);
	return true;
}

/* {"tcp option": {"name": K[, "field": F]}}: tcp option K [F] (a
 * number K as the text form takes it). */
bool bw_jc_tcpopt_field(struct jc *c, const json_t *j, const json_t *v,
			const char **proto, const char **name,
			struct bw_loc *ploc, struct bw_loc *nloc)
{
	const json_t *kj = json_is_object(v) ? json_object_get(v, "name") : NULL;
	const json_t *fj = json_is_object(v) ? json_object_get(v, "field") : NULL;
	char buf[64], num[16];
	const char *kind;
	size_t m = bw_jc_push(c, ".tcp option");

	if (kj && json_is_integer(kj)) {
		snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(kj));
		kind = num;
	} else {
		kind = kj ? json_string_value(kj) : NULL;
	}
	if (!kind || (fj && !json_is_string(fj)) ||
	    (json_is_object(v) && json_object_get(v, "base"))) {
		bw_jc_err(c, j, "a tcp option is {\"name\": KIND, \"field\": FIELD} (raw @kind,offset,length forms are not supported by bpfwall)");
		bw_jc_pop(c, m);
		return false;
	}
	snprintf(buf, sizeof(buf), "option %s%s%s", kind, fj ? " " : "",
		 fj ? json_string_value(fj) : "");
	*proto = "tcp";
	*name = bw_jc_dup(c, buf);
	*ploc = bw_jc_loc_of(c, j);
	*nloc = bw_jc_loc_of(c, kj);
	bw_jc_pop(c, m);
	return *name != NULL;
}

/* {"sctp chunk": {"name": T, "field": F}}: the field "chunk T F" of
 * sctp (without a field: chunk T, exists or missing). */
bool bw_jc_chunk_field(struct jc *c, const json_t *j, const json_t *v,
		       const char **proto, const char **name,
		       struct bw_loc *ploc, struct bw_loc *nloc)
{
	size_t m = bw_jc_push(c, ".sctp chunk");
	const char *t = json_is_object(v) ? bw_jc_str_member(c, v, "name") : NULL;
	const json_t *fj = json_is_object(v) ? json_object_get(v, "field") : NULL;
	const char *f = fj ? bw_jc_str_member(c, v, "field") : NULL;
	char buf[96];

	if (!t || (fj && !f)) {
		if (!c->err)
			bw_jc_err(c, j, "\"sctp chunk\" takes {\"name\": TYPE} and a \"field\"");
		bw_jc_pop(c, m);
		return false;
	}
	snprintf(buf, sizeof(buf), "chunk %s%s%s", t, f ? " " : "", f ? f : "");
	*proto = "sctp";
	*name = bw_jc_dup(c, buf);
	*ploc = bw_jc_loc_of(c, j);
	*nloc = bw_jc_loc_of(c, json_object_get(v, "name"));
	bw_jc_pop(c, m);
	return *name != NULL;
}
