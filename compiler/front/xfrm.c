// SPDX-License-Identifier: GPL-2.0-only
/*
 * nft's ipsec expression (xfrm.h): its field names, the hooks the kernel
 * lets each direction be read at, its errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "xfrm.h"

/* "in spnum 2 ip saddr": the direction, the number, the key.  false when
 * NAME has not that shape (the number is 0 to 255). */
static bool split(const char *name, char *dir, size_t dlen, unsigned *spnum,
		  const char **key)
{
	const char *sp = strchr(name, ' ');
	char *end;

	*spnum = 0;
	if (!sp || (size_t)(sp - name) >= dlen)
		return false;
	snprintf(dir, dlen, "%.*s", (int)(sp - name), name);
	*key = sp + 1;
	if (strncmp(*key, "spnum ", 6))
		return true;
	unsigned long n = strtoul(*key + 6, &end, 0);

	if (end == *key + 6 || *end != ' ' || n > 255)
		return false;
	*spnum = (unsigned)n;
	*key = end + 1;
	return true;
}

const struct bw_field *bw_xfrm_field(const char *name, uint8_t *spnum)
{
	char dir[8], plain[32];
	const char *key;
	unsigned n;

	if (!strstr(name, "spnum"))
		return NULL;	/* the rows' own names: bw_field_find's */
	if (!split(name, dir, sizeof(dir), &n, &key) ||
	    (size_t)snprintf(plain, sizeof(plain), "%s %s", dir, key) >= sizeof(plain))
		return NULL;
	const struct bw_field *f = bw_field_find("ipsec", plain);

	if (f && spnum)
		*spnum = (uint8_t)n;
	return f;
}

bool bw_xfrm_is(enum bw_field_id f)
{
	return f >= BW_F_XFRM_IN_REQID && f <= BW_F_XFRM_OUT_IP6_DADDR;
}

bool bw_xfrm_in(enum bw_field_id f)
{
	return f >= BW_F_XFRM_IN_REQID && f <= BW_F_XFRM_IN_IP6_DADDR;
}

bool bw_xfrm_hook_ok(enum bw_field_id f, enum bw_chain_hook h)
{
	if (h == BW_CHAIN_NONE || h == BW_CHAIN_FORWARD)
		return true;
	if (bw_xfrm_in(f))
		return h == BW_CHAIN_PREROUTING || h == BW_CHAIN_INPUT;
	return h == BW_CHAIN_OUTPUT || h == BW_CHAIN_POSTROUTING;
}

/* (the parser points at the direction's and the number's own words;
 * the key, and a JSON ipsec object, at the whole expression) */
const struct bw_field *bw_xfrm_field_error(struct bw_eval *ev,
					   const struct bw_ast_stmt *m)
{
	struct bw_loc l = bw_loc_join(&m->proto_loc, &m->field_loc);
	char dir[8] = "";
	const char *key = "";
	unsigned n;
	bool shape = split(m->field, dir, sizeof(dir), &n, &key);

	if (!shape && !strchr(m->field, ' '))
		bw_eval_error(ev, &l, "ipsec needs a direction and a key: ipsec in|out [spnum N] reqid|spi|ip saddr|ip daddr|ip6 saddr|ip6 daddr");
	else if (strcmp(dir, "in") && strcmp(dir, "out"))
		bw_eval_error(ev, &l, "unknown ipsec direction \"%s\" (in or out)",
			      shape ? dir : m->field);
	else if (!shape)
		bw_eval_error(ev, &l, "ipsec spnum: value too large (0 to 255)");
	else
		bw_eval_error(ev, &l, "unknown ipsec key \"%s\" (reqid, spi, ip saddr, ip daddr, ip6 saddr, ip6 daddr)",
			      key);
	return NULL;
}

int bw_xfrm_match_spnum(struct bw_eval *ev, const struct bw_ast_stmt *m,
			struct bw_ir_match *out)
{
	const struct bw_ast_fref *fr = m->cat;
	const char *proto = m->proto, *name = m->field;
	struct bw_loc loc = bw_loc_join(&m->proto_loc, &m->field_loc);
	bool seen = false;
	uint8_t sp;

	out->spnum = 0;
	for (;;) {
		const struct bw_field *f;

		sp = 0;
		if (!strcmp(proto, "ipsec") &&
		    ((f = bw_xfrm_field(name, &sp)) || (f = bw_field_find(proto, name)))) {
			/* nft 1.0.6 lists such a set only with its typeof
			 * data, which bpfwall does not write: nft aborts */
			if (m->cat && (f->type == BW_T_INTEGER || f->type == BW_T_BE_INTEGER))
				return bw_eval_error(ev, &loc, "ipsec %s in a concatenation is not supported: nft could not list the set bpfwall gives the kernel (an integer key needs nft's typeof data); the addresses can be concatenated",
						     strrchr(f->name, ' ') + 1);
			if (seen && sp != out->spnum)
				return bw_eval_error(ev, &loc, "the ipsec fields of one concatenation read one policy: spnum %u here, %u before",
						     sp, out->spnum);
			out->spnum = sp;
			seen = true;
		}
		if (!fr)
			return 0;
		proto = fr->proto;
		name = fr->field;
		loc = bw_loc_join(&fr->proto_loc, &fr->field_loc);
		fr = fr->next;
	}
}

bool bw_xfrm_check(struct bw_eval *ev, const struct bw_ast_stmt *m,
		   const struct bw_field *f)
{
	struct bw_loc l = bw_loc_join(&m->proto_loc, &m->field_loc);

	if (ev->any_family)
		return true;
	if (ev->family != BW_FAMILY_INET && ev->family != BW_FAMILY_IP &&
	    ev->family != BW_FAMILY_IP6) {
		bw_eval_error(ev, &l, "the ipsec expression is only valid in ip, ip6 and inet tables (here: %s)",
			      bw_family_name(ev->family));
		return false;
	}
	if (!bw_xfrm_hook_ok(f->id, ev->hook)) {
		bw_eval_error(ev, &l, "ipsec %s is not valid at hook %s (the kernel refuses it there: ipsec in at prerouting, input and forward; ipsec out at forward, output and postrouting)",
			      bw_xfrm_in(f->id) ? "in" : "out", bw_chain_hook_name(ev->hook));
		return false;
	}
	return true;
}
