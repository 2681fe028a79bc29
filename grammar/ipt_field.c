// SPDX-License-Identifier: GPL-2.0-only
/*
 * iptables matches on header and packet fields: iprange, mac, mark, length,
 * ttl, hl, pkttype, dscp (rows of ipt_ext.h).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <strings.h>

#include "ipt_ext.h"

#define PP BW_IPT_EXIT_PARAM

/* ---- iprange ---- */

static const struct bw_ipt_opt iprange_opts[] = {
	{ "src-range", 0, true, true }, { "dst-range", 1, true, true }, { NULL },
};

static int iprange_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			 struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			 const char *arg, bool inv, const struct bw_loc *loc)
{
	const char *dash = strchr(arg, '-');
	char lo[64];
	int k = o->id;

	(void)t;
	snprintf(lo, sizeof(lo), "%.*s",
		 (int)(dash ? (size_t)(dash - arg) : strlen(arg)), arg);
	if (!bw_ipt_addr_parse(lo, p->v6, m->ipr.lo[k]) ||
	    !bw_ipt_addr_parse(dash ? dash + 1 : lo, p->v6, m->ipr.hi[k]))
		return bw_ipt_err(p, loc, PP, "iprange match: Bad IP address \"%s\"",
				  arg);
	if (memcmp(m->ipr.lo[k], m->ipr.hi[k], 16) > 0)
		return bw_ipt_err(p, loc, PP, "iprange match: range %s is backwards",
				  arg);
	m->ipr.set[k] = true;
	m->ipr.inv[k] = inv;
	return 0;
}

static int iprange_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
			 struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	if (!m->ipr.set[0] && !m->ipr.set[1])
		return bw_ipt_err(p, &m->loc, PP, "iprange match: You must specify `--src-range' or `--dst-range'");
	return 0;
}

static void iprange_print(FILE *f, const struct bw_ipt_rule *r,
			  const struct bw_ipt_match *m, bool save)
{
	static const char *const opt[2] = { "--src-range", "--dst-range" };
	static const char *const lst[2] = { "source IP range", "destination IP range" };
	char a[64], b[64];

	for (int k = 0; k < 2; k++) {
		if (!m->ipr.set[k])
			continue;
		inet_ntop(r->v6 ? AF_INET6 : AF_INET, m->ipr.lo[k], a, sizeof(a));
		inet_ntop(r->v6 ? AF_INET6 : AF_INET, m->ipr.hi[k], b, sizeof(b));
		if (save)
			fprintf(f, "%s %s %s-%s", m->ipr.inv[k] ? " !" : "", opt[k], a, b);
		else
			fprintf(f, " %s%s %s-%s", lst[k], m->ipr.inv[k] ? " !" : "", a, b);
	}
}

static void iprange_save(FILE *f, const struct bw_ipt_rule *r,
			 const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)t;
	iprange_print(f, r, m, true);
}

static void iprange_list(FILE *f, const struct bw_ipt_rule *r,
			 const struct bw_ipt_match *m,
			 const struct bw_ipt_target *t, bool numeric)
{
	(void)t;
	(void)numeric;
	iprange_print(f, r, m, false);
}

const struct bw_ipt_ext bw_ipt_ext_iprange = {
	.name = "iprange", .opts = iprange_opts, .parse = iprange_parse,
	.final = iprange_final, .save = iprange_save, .list = iprange_list,
};

/* ---- mac ---- */

static const struct bw_ipt_opt mac_opts[] = {
	{ "mac-source", 0, true, true }, { NULL },
};

static int mac_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		     struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		     const char *arg, bool inv, const struct bw_loc *loc)
{
	unsigned v[6];
	char end;

	(void)t;
	(void)o;
	if (strlen(arg) != 17 ||
	    sscanf(arg, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &end) != 6)
		return bw_ipt_err(p, loc, PP, "Bad mac address \"%s\"", arg);
	for (int i = 0; i < 6; i++)
		m->mac.addr[i] = (uint8_t)v[i];
	m->mac.inv = inv;
	m->seen = 1;
	return 0;
}

static int need_seen(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		     struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	if (!m->seen)
		return bw_ipt_err(p, &m->loc, PP, "%s: an option is required",
				  m->ext->name);
	return 0;
}

static void mac_print(FILE *f, const struct bw_ipt_match *m, bool save)
{
	const uint8_t *a = m->mac.addr;

	if (save)
		fprintf(f, "%s --mac-source ", m->mac.inv ? " !" : "");
	else
		fprintf(f, " MAC %s", m->mac.inv ? "! " : "");
	fprintf(f, save ? "%02x:%02x:%02x:%02x:%02x:%02x" :
		"%02X:%02X:%02X:%02X:%02X:%02X", a[0], a[1], a[2], a[3], a[4], a[5]);
}

static void mac_save(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	mac_print(f, m, true);
}

static void mac_list(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		     bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	mac_print(f, m, false);
}

const struct bw_ipt_ext bw_ipt_ext_mac = {
	.name = "mac", .opts = mac_opts, .parse = mac_parse,
	.final = need_seen, .save = mac_save, .list = mac_list,
};

/* ---- mark ---- */

static const struct bw_ipt_opt mark_opts[] = {
	{ "mark", 0, true, true }, { NULL },
};

static int mark_value(struct bw_ipt_pctx *p, const char *arg,
		      const struct bw_loc *loc, uint32_t *v, uint32_t *mask,
		      const char *what)
{
	const char *slash = strchr(arg, '/');
	char a[32];
	uint64_t x;

	snprintf(a, sizeof(a), "%.*s",
		 (int)(slash ? (size_t)(slash - arg) : strlen(arg)), arg);
	*mask = UINT32_MAX;
	if (!bw_ipt_num(a, UINT32_MAX, &x))
		return bw_ipt_err(p, loc, PP, "Bad %s value \"%s\"", what, arg);
	*v = (uint32_t)x;
	if (slash) {
		if (!bw_ipt_num(slash + 1, UINT32_MAX, &x))
			return bw_ipt_err(p, loc, PP, "Bad %s value \"%s\"", what, arg);
		*mask = (uint32_t)x;
	}
	return 0;
}

/* -m mark / -m connmark: [!] --mark VALUE[/MASK] */
static int mark_match(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		      const char *arg, bool inv, const struct bw_loc *loc,
		      const char *what)
{
	m->seen = 1;
	m->mark.inv = inv;
	return mark_value(p, arg, loc, &m->mark.value, &m->mark.mask, what);
}

static int mark_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		      struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		      const char *arg, bool inv, const struct bw_loc *loc)
{
	(void)t;
	(void)o;
	return mark_match(p, m, arg, inv, loc, "mark");
}

static void mark_print(FILE *f, const struct bw_ipt_match *m)
{
	if (m->mark.mask != UINT32_MAX)
		fprintf(f, " 0x%x/0x%x", m->mark.value, m->mark.mask);
	else
		fprintf(f, " 0x%x", m->mark.value);
}

static void mark_save(FILE *f, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	fprintf(f, "%s --mark", m->mark.inv ? " !" : "");
	mark_print(f, m);
}

/* iptables -L: its words differ by a blank between the two matches
 * (" mark match !", " connmark match !"; " mark match", " connmark
 * match "), as iptables prints them. */
static void mark_list_as(FILE *f, const struct bw_ipt_match *m,
			 const char *plain, const char *inverted)
{
	fputs(m->mark.inv ? inverted : plain, f);
	mark_print(f, m);
}

static void mark_list(FILE *f, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		      bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	mark_list_as(f, m, " mark match", " mark match !");
}

const struct bw_ipt_ext bw_ipt_ext_mark = {
	.name = "mark", .opts = mark_opts, .parse = mark_parse,
	.final = need_seen, .save = mark_save, .list = mark_list,
};

/* ---- connmark: the connection's mark (ct mark, read by nf_tables) ---- */

static int connmark_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			  struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			  const char *arg, bool inv, const struct bw_loc *loc)
{
	(void)t;
	(void)o;
	return mark_match(p, m, arg, inv, loc, "connmark");
}

static void connmark_list(FILE *f, const struct bw_ipt_rule *r,
			  const struct bw_ipt_match *m, const struct bw_ipt_target *t,
			  bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	mark_list_as(f, m, " connmark match ", " connmark match !");
}

const struct bw_ipt_ext bw_ipt_ext_connmark = {
	.name = "connmark", .opts = mark_opts, .parse = connmark_parse,
	.final = need_seen, .save = mark_save, .list = connmark_list,
};

/* ---- MARK (the target, revision 2: mark = (mark & ~mask) ^ value) ---- */

enum { K_SETX, K_SET, K_AND, K_OR, K_XOR };

static const struct bw_ipt_opt markt_opts[] = {
	{ "set-xmark", K_SETX, true, false }, { "set-mark", K_SET, true, false },
	{ "and-mark", K_AND, true, false }, { "or-mark", K_OR, true, false },
	{ "xor-mark", K_XOR, true, false }, { NULL },
};

static int markt_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		       struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		       const char *arg, bool inv, const struct bw_loc *loc)
{
	uint32_t v, mask;
	uint64_t x;

	(void)m;
	(void)inv;
	if (t->mark_set)
		return bw_ipt_err(p, loc, PP, "MARK target: Can't specify --set-xmark, --set-mark, --and-mark, --or-mark or --xor-mark twice");
	t->mark_set = true;
	if (o->id == K_SETX || o->id == K_SET) {
		if (mark_value(p, arg, loc, &v, &mask, "MARK"))
			return PP;
		t->mark = v;
		/* --set-mark V/M is V | (mark & ~M): as xset, M | V */
		t->mark_mask = o->id == K_SET ? mask | v : mask;
		return 0;
	}
	if (!bw_ipt_num(arg, UINT32_MAX, &x))
		return bw_ipt_err(p, loc, PP, "Bad MARK value \"%s\"", arg);
	v = (uint32_t)x;
	t->mark = o->id == K_AND ? 0 : v;
	t->mark_mask = o->id == K_AND ? ~v : o->id == K_OR ? v : 0;
	return 0;
}

static int markt_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		       struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)r;
	(void)m;
	if (!t->mark_set)
		return bw_ipt_err(p, &t->loc, PP, "MARK: One of the --set-xmark, --{and,or,xor,set}-mark options is required");
	return 0;
}

static void markt_save(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)m;
	fprintf(f, " --set-xmark 0x%x/0x%x", t->mark, t->mark_mask);
}

static void markt_list(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		       bool numeric)
{
	(void)r;
	(void)m;
	(void)numeric;
	if (!t->mark)
		fprintf(f, " MARK and 0x%x", ~t->mark_mask);
	else if (t->mark == t->mark_mask)
		fprintf(f, " MARK or 0x%x", t->mark);
	else if (!t->mark_mask)
		fprintf(f, " MARK xor 0x%x", t->mark);
	else if (t->mark_mask == UINT32_MAX)
		fprintf(f, " MARK set 0x%x", t->mark);
	else
		fprintf(f, " MARK xset 0x%x/0x%x", t->mark, t->mark_mask);
}

const struct bw_ipt_ext bw_ipt_ext_markt = {
	.name = "MARK", .target = true, .opts = markt_opts,
	.parse = markt_parse, .final = markt_final, .save = markt_save,
	.list = markt_list,
};

/* ---- CONNMARK (the target, revision 2) ---- */

enum { C_SETX, C_SET, C_AND, C_OR, C_XOR, C_SAVE, C_RESTORE, C_MASK, C_NFMASK,
       C_CTMASK, C_SHIFT };

static const struct bw_ipt_opt connmarkt_opts[] = {
	{ "set-xmark", C_SETX, true, false }, { "set-mark", C_SET, true, false },
	{ "and-mark", C_AND, true, false }, { "or-mark", C_OR, true, false },
	{ "xor-mark", C_XOR, true, false }, { "save-mark", C_SAVE, false, false },
	{ "restore-mark", C_RESTORE, false, false }, { "mask", C_MASK, true, false },
	{ "nfmask", C_NFMASK, true, false }, { "ctmask", C_CTMASK, true, false },
	{ "left-shift-mark", C_SHIFT, true, false, true },
	{ "right-shift-mark", C_SHIFT, true, false, true },
	{ NULL },
};

static int connmarkt_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			   struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			   const char *arg, bool inv, const struct bw_loc *loc)
{
	uint32_t v, mask;
	uint64_t x;

	(void)m;
	(void)inv;
	if (o->id <= C_RESTORE && t->cmode)
		return bw_ipt_err(p, loc, PP, "CONNMARK target: Can't specify more than one operation");
	switch (o->id) {
	case C_SETX:
	case C_SET:
		if (mark_value(p, arg, loc, &v, &mask, "CONNMARK"))
			return PP;
		t->cmode = 1;
		t->mark = v;
		t->mark_mask = o->id == C_SET ? mask | v : mask;
		return 0;
	case C_SAVE:
	case C_RESTORE:
		t->cmode = o->id == C_SAVE ? 2 : 3;
		return 0;
	default:
		break;
	}
	if (!bw_ipt_num(arg, UINT32_MAX, &x))
		return bw_ipt_err(p, loc, PP, "Bad CONNMARK value \"%s\"", arg);
	v = (uint32_t)x;
	switch (o->id) {
	case C_AND:
	case C_OR:
	case C_XOR:
		t->cmode = 1;
		t->mark = o->id == C_AND ? 0 : v;
		t->mark_mask = o->id == C_AND ? ~v : o->id == C_OR ? v : 0;
		break;
	case C_MASK:
		t->nfmask = t->ctmask = v;
		break;
	case C_NFMASK:
		t->nfmask = v;
		break;
	default:
		t->ctmask = v;
		break;
	}
	return 0;
}

static int connmarkt_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
			   struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)r;
	(void)m;
	if (!t->cmode)
		return bw_ipt_err(p, &t->loc, PP, "CONNMARK target: No operation specified");
	/* nf_tables' ct mark set and meta mark set take one field's bits:
	 * save and restore with both masks would need two */
	if ((t->cmode == 2 && t->ctmask != UINT32_MAX) ||
	    (t->cmode == 3 && t->nfmask != UINT32_MAX))
		return bw_ipt_unsupported(p, "CONNMARK --%s-mark with a mask on the mark it changes",
					  t->cmode == 2 ? "save" : "restore");
	return 0;
}

static void connmarkt_save(FILE *f, const struct bw_ipt_rule *r,
			   const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)m;
	if (t->cmode == 1)
		fprintf(f, " --set-xmark 0x%x/0x%x", t->mark, t->mark_mask);
	else
		fprintf(f, " --%s-mark --nfmask 0x%x --ctmask 0x%x",
			t->cmode == 2 ? "save" : "restore", t->nfmask, t->ctmask);
}

static void connmarkt_list(FILE *f, const struct bw_ipt_rule *r,
			   const struct bw_ipt_match *m, const struct bw_ipt_target *t,
			   bool numeric)
{
	const char *op = t->cmode == 2 ? "save" : "restore";
	uint32_t mine = t->cmode == 2 ? t->nfmask : t->ctmask,
		 theirs = t->cmode == 2 ? t->ctmask : t->nfmask;

	(void)r;
	(void)m;
	(void)numeric;
	if (t->cmode == 1) {
		if (!t->mark)
			fprintf(f, " CONNMARK and 0x%x", ~t->mark_mask);
		else if (t->mark == t->mark_mask)
			fprintf(f, " CONNMARK or 0x%x", t->mark);
		else if (!t->mark_mask)
			fprintf(f, " CONNMARK xor 0x%x", t->mark);
		else if (t->mark_mask == UINT32_MAX)
			fprintf(f, " CONNMARK set 0x%x", t->mark);
		else
			fprintf(f, " CONNMARK xset 0x%x/0x%x", t->mark, t->mark_mask);
	} else if (t->nfmask == UINT32_MAX && t->ctmask == UINT32_MAX) {
		fprintf(f, " CONNMARK %s", op);
	} else if (t->nfmask == t->ctmask) {
		fprintf(f, " CONNMARK %s mask 0x%x", op, t->nfmask);
	} else {
		fprintf(f, " CONNMARK %s %s 0x%x %s ~0x%x", op,
			t->cmode == 2 ? "nfmask" : "ctmask", mine,
			t->cmode == 2 ? "ctmask" : "nfmask", theirs);
	}
}

const struct bw_ipt_ext bw_ipt_ext_connmarkt = {
	.name = "CONNMARK", .target = true, .opts = connmarkt_opts,
	.parse = connmarkt_parse, .final = connmarkt_final,
	.save = connmarkt_save, .list = connmarkt_list,
};

/* ---- length ---- */

static const struct bw_ipt_opt length_opts[] = {
	{ "length", 0, true, true }, { NULL },
};

static int length_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			const char *arg, bool inv, const struct bw_loc *loc)
{
	const char *colon = strchr(arg, ':');
	char lo[32];
	uint64_t a = 0, b = 0xffff;

	(void)t;
	(void)o;
	snprintf(lo, sizeof(lo), "%.*s",
		 (int)(colon ? (size_t)(colon - arg) : strlen(arg)), arg);
	if ((lo[0] || !colon) && !bw_ipt_num(lo, 0xffff, &a))
		return bw_ipt_err(p, loc, PP, "length invalid: \"%s\"", arg);
	if (!colon)
		b = a;
	else if (colon[1] && !bw_ipt_num(colon + 1, 0xffff, &b))
		return bw_ipt_err(p, loc, PP, "length invalid: \"%s\"", arg);
	if (a > b)
		return bw_ipt_err(p, loc, PP, "length invalid: \"%s\"", arg);
	m->len.lo = (uint16_t)a;
	m->len.hi = (uint16_t)b;
	m->len.inv = inv;
	m->seen = 1;
	return 0;
}

static void length_save(FILE *f, const struct bw_ipt_rule *r,
			const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	fprintf(f, "%s --length ", m->len.inv ? " !" : "");
	if (m->len.lo == m->len.hi)
		fprintf(f, "%u", m->len.lo);
	else
		fprintf(f, "%u:%u", m->len.lo, m->len.hi);
}

static void length_list(FILE *f, const struct bw_ipt_rule *r,
			const struct bw_ipt_match *m,
			const struct bw_ipt_target *t, bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	fprintf(f, " length %s", m->len.inv ? "!" : "");
	if (m->len.lo == m->len.hi)
		fprintf(f, "%u", m->len.lo);
	else
		fprintf(f, "%u:%u", m->len.lo, m->len.hi);
}

const struct bw_ipt_ext bw_ipt_ext_length = {
	.name = "length", .opts = length_opts, .parse = length_parse,
	.final = need_seen, .save = length_save, .list = length_list,
};

/* ---- ttl, hl ---- */

static const struct bw_ipt_opt ttl_opts[] = {
	{ "ttl-eq", 0, true, true }, { "ttl-lt", 2, true, false },
	{ "ttl-gt", 3, true, false }, { NULL },
};
static const struct bw_ipt_opt hl_opts[] = {
	{ "hl-eq", 0, true, true }, { "hl-lt", 2, true, false },
	{ "hl-gt", 3, true, false }, { NULL },
};

static int ttl_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		     struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		     const char *arg, bool inv, const struct bw_loc *loc)
{
	uint64_t v;

	(void)t;
	if (m->seen)
		return bw_ipt_err(p, loc, PP, "Can't specify %s option twice",
				  p->v6 ? "HL" : "TTL");
	if (!bw_ipt_num(arg, 255, &v))
		return bw_ipt_err(p, loc, PP, "%s: Expected value between 0 and 255",
				  p->v6 ? "hl" : "ttl");
	m->seen = 1;
	m->ttl.mode = inv ? 1 : o->id;
	m->ttl.value = (uint8_t)v;
	return 0;
}

static void ttl_save(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	static const char *const op[4] = { "--%s-eq", "! --%s-eq", "--%s-lt", "--%s-gt" };
	const char *k = r->v6 ? "hl" : "ttl";

	(void)t;
	fputc(' ', f);
	fprintf(f, op[m->ttl.mode], k);
	fprintf(f, " %u", m->ttl.value);
}

static void ttl_list(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		     bool numeric)
{
	static const char *const op[4] = { "==", "!=", "<", ">" };

	(void)t;
	(void)numeric;
	fprintf(f, r->v6 ? " HL match HL %s %u" : " TTL match TTL %s %u",
		op[m->ttl.mode], m->ttl.value);
}

const struct bw_ipt_ext bw_ipt_ext_ttl = {
	.name = "ttl", .family = 4, .opts = ttl_opts, .parse = ttl_parse,
	.final = need_seen, .save = ttl_save, .list = ttl_list,
};
const struct bw_ipt_ext bw_ipt_ext_hl = {
	.name = "hl", .family = 6, .opts = hl_opts, .parse = ttl_parse,
	.final = need_seen, .save = ttl_save, .list = ttl_list,
};

/* ---- pkttype ---- */

static const struct bw_ipt_opt pkttype_opts[] = {
	{ "pkt-type", 0, true, true }, { NULL },
};

static const struct { const char *name; uint8_t type; } pkttypes[] = {
	{ "unicast", 0 }, { "broadcast", 1 }, { "multicast", 2 },
	{ "host", 0 }, { "otherhost", 3 },
};

static int pkttype_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			 struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			 const char *arg, bool inv, const struct bw_loc *loc)
{
	(void)t;
	(void)o;
	for (size_t i = 0; i < sizeof(pkttypes) / sizeof(pkttypes[0]); i++)
		if (!strcasecmp(arg, pkttypes[i].name)) {
			m->pkt.type = pkttypes[i].type;
			m->pkt.inv = inv;
			m->seen = 1;
			return 0;
		}
	return bw_ipt_err(p, loc, PP, "Bad packet type '%s'", arg);
}

static const char *pkttype_name(uint8_t t)
{
	for (size_t i = 0; i < sizeof(pkttypes) / sizeof(pkttypes[0]); i++)
		if (pkttypes[i].type == t)
			return pkttypes[i].name;
	return "?";
}

static void pkttype_save(FILE *f, const struct bw_ipt_rule *r,
			 const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	fprintf(f, "%s --pkt-type %s", m->pkt.inv ? " !" : "", pkttype_name(m->pkt.type));
}

static void pkttype_list(FILE *f, const struct bw_ipt_rule *r,
			 const struct bw_ipt_match *m,
			 const struct bw_ipt_target *t, bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	fprintf(f, " PKTTYPE %s= %s", m->pkt.inv ? "!" : "", pkttype_name(m->pkt.type));
}

const struct bw_ipt_ext bw_ipt_ext_pkttype = {
	.name = "pkttype", .opts = pkttype_opts, .parse = pkttype_parse,
	.final = need_seen, .save = pkttype_save, .list = pkttype_list,
};

/* ---- dscp ---- */

static const struct bw_ipt_opt dscp_opts[] = {
	{ "dscp", 0, true, true }, { "dscp-class", 1, true, true }, { NULL },
};

static const struct { const char *name; uint8_t v; } dscp_classes[] = {
	{ "CS0", 0x00 }, { "CS1", 0x08 }, { "CS2", 0x10 }, { "CS3", 0x18 },
	{ "CS4", 0x20 }, { "CS5", 0x28 }, { "CS6", 0x30 }, { "CS7", 0x38 },
	{ "BE", 0x00 }, { "AF11", 0x0a }, { "AF12", 0x0c }, { "AF13", 0x0e },
	{ "AF21", 0x12 }, { "AF22", 0x14 }, { "AF23", 0x16 }, { "AF31", 0x1a },
	{ "AF32", 0x1c }, { "AF33", 0x1e }, { "AF41", 0x22 }, { "AF42", 0x24 },
	{ "AF43", 0x26 }, { "EF", 0x2e },
};

static int dscp_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		      struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		      const char *arg, bool inv, const struct bw_loc *loc)
{
	uint64_t v;

	(void)t;
	if (m->seen)
		return bw_ipt_err(p, loc, PP, "DSCP match: Only use --dscp ONCE!");
	if (p->v6)
		return bw_ipt_unsupported(p, "extension dscp in ip6tables");
	m->seen = 1;
	m->dscp.inv = inv;
	if (o->id == 1) {
		for (size_t i = 0; i < sizeof(dscp_classes) / sizeof(dscp_classes[0]); i++)
			if (!strcasecmp(arg, dscp_classes[i].name)) {
				m->dscp.value = dscp_classes[i].v;
				return 0;
			}
		return bw_ipt_err(p, loc, PP, "Invalid DSCP value `%s'", arg);
	}
	if (!bw_ipt_num(arg, 63, &v))
		return bw_ipt_err(p, loc, PP, "Invalid dscp `%s'", arg);
	m->dscp.value = (uint8_t)v;
	return 0;
}

static void dscp_save(FILE *f, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	fprintf(f, "%s --dscp 0x%02x", m->dscp.inv ? " !" : "", m->dscp.value);
}

static void dscp_list(FILE *f, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		      bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	fprintf(f, " DSCP match %s0x%02x", m->dscp.inv ? "!" : "", m->dscp.value);
}

const struct bw_ipt_ext bw_ipt_ext_dscp = {
	.name = "dscp", .opts = dscp_opts, .parse = dscp_parse,
	.final = need_seen, .save = dscp_save, .list = dscp_list,
};

/* ---- addrtype ---- */

/*
 * --src-type, --dst-type: fib saddr|daddr type (nf_tables, which calls
 * inet_dev_addr_type() as xt_addrtype does); with --limit-iface-in/out
 * on the packet's input/output interface: fib saddr . iif type, the
 * same call with that device.  ip6tables' (xt_addrtype's own route
 * lookup for IPv6) is passed through.
 */
static const struct bw_ipt_opt addrtype_opts[] = {
	{ "src-type", 0, true, true }, { "dst-type", 1, true, true },
	{ "limit-iface-in", 2, false, false },
	{ "limit-iface-out", 3, false, false },
	{ NULL },
};

static const char *const rtn_names[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
};
#define NRTN (sizeof(rtn_names) / sizeof(rtn_names[0]))

static int addrtype_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			  struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			  const char *arg, bool inv, const struct bw_loc *loc)
{
	char buf[256], *save = NULL, *tok;
	int k = o->id;

	(void)t;
	if (k >= 2) {
		if (m->at.limit && m->at.limit != k - 1)
			return bw_ipt_err(p, loc, PP, "addrtype: option \"--limit-iface-in\" cannot be used together with \"--limit-iface-out\".");
		m->at.limit = (uint8_t)(k - 1);
		return 0;
	}
	if (m->at.type[k])
		return bw_ipt_err(p, loc, PP, "addrtype: can't specify --%s twice", o->name);
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < NRTN; i++)
			if (!strcasecmp(tok, rtn_names[i]))
				break;
		if (i == NRTN)
			return bw_ipt_err(p, loc, PP, "addrtype: bad type \"%s\"", tok);
		m->at.type[k] |= (uint16_t)(1u << i);
	}
	m->at.inv[k] = inv;
	m->seen = 1;
	return 0;
}

static int addrtype_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
			  struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	const char *c = p->c->chain;

	(void)t;
	if (!m->seen)
		return bw_ipt_err(p, &m->loc, PP, "addrtype: you must specify --src-type or --dst-type");
	if (r->v6)
		return bw_ipt_unsupported(p, "extension addrtype in ip6tables");
	/* xt_addrtype's check: no input interface at OUTPUT and
	 * POSTROUTING, no output interface at PREROUTING and INPUT;
	 * iptables-nft leaves it to the kernel (status 4) */
	if (m->at.limit && c &&
	    (m->at.limit == 1 ? !strcmp(c, "OUTPUT") || !strcmp(c, "POSTROUTING") :
	     !strcmp(c, "INPUT") || !strcmp(c, "PREROUTING")))
		return bw_ipt_err(p, &m->loc, p->restore ? PP : BW_IPT_EXIT_RESOURCE,
				  "addrtype: --limit-iface-%s is not valid in chain %s",
				  m->at.limit == 1 ? "in" : "out", c);
	return 0;
}

static void rtn_print(FILE *f, uint16_t mask)
{
	const char *sep = "";

	for (size_t i = 0; i < NRTN; i++)
		if (mask & (1u << i)) {
			fprintf(f, "%s%s", sep, rtn_names[i]);
			sep = ",";
		}
}

static void addrtype_save(FILE *f, const struct bw_ipt_rule *r,
			  const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	for (int k = 0; k < 2; k++) {
		if (!m->at.type[k])
			continue;
		fprintf(f, "%s --%s ", m->at.inv[k] ? " !" : "", k ? "dst-type" : "src-type");
		rtn_print(f, m->at.type[k]);
	}
	if (m->at.limit)
		fprintf(f, " --limit-iface-%s", m->at.limit == 1 ? "in" : "out");
}

static void addrtype_list(FILE *f, const struct bw_ipt_rule *r,
			  const struct bw_ipt_match *m, const struct bw_ipt_target *t,
			  bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	fputs(" ADDRTYPE match", f);
	for (int k = 0; k < 2; k++) {
		if (!m->at.type[k])
			continue;
		fprintf(f, " %s %s", k ? "dst-type" : "src-type", m->at.inv[k] ? "!" : "");
		rtn_print(f, m->at.type[k]);
	}
	if (m->at.limit)
		fprintf(f, " limit-%s", m->at.limit == 1 ? "in" : "out");
}

const struct bw_ipt_ext bw_ipt_ext_addrtype = {
	.name = "addrtype", .opts = addrtype_opts, .parse = addrtype_parse,
	.final = addrtype_final, .save = addrtype_save, .list = addrtype_list,
};

/* ---- owner ---- */

/*
 * --uid-owner, --gid-owner (names or numbers, ranges): meta skuid,
 * skgid (nf_tables reads the fsuid and fsgid of the socket's file, as
 * xt_owner does).  A packet without a socket or file matches neither,
 * as with xt_owner, but it does match xt_owner's `! --uid-owner` and not
 * nft's `!=`: with a `!`, --socket-exists or --suppl-groups, each test is
 * the kernel's xt_owner itself (meta xt-skuid, xt-skgid, xt-skgid-suppl,
 * xt-socket: nf_tables' compat match), whose AND is xt_owner's.
 */
static const struct bw_ipt_opt owner_opts[] = {
	{ "uid-owner", 0, true, true }, { "gid-owner", 1, true, true },
	{ "socket-exists", 2, false, true },
	{ "suppl-groups", 3, false, false },
	{ NULL },
};

static int owner_id(const char *s, bool gid, uint32_t *out)
{
	uint64_t v;

	if (bw_ipt_num(s, UINT32_MAX - 1, &v)) {
		*out = (uint32_t)v;
		return 0;
	}
	if (gid) {
		struct group *g = getgrnam(s);

		if (!g)
			return -1;
		*out = g->gr_gid;
	} else {
		struct passwd *pw = getpwnam(s);

		if (!pw)
			return -1;
		*out = pw->pw_uid;
	}
	return 0;
}

static int owner_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		       struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		       const char *arg, bool inv, const struct bw_loc *loc)
{
	int k = o->id;
	const char *dash;
	char lo[64];

	(void)t;
	if (k == 2) {
		m->own.sock = true;
		m->own.sock_inv = inv;
		m->seen = 1;
		return 0;
	}
	if (k == 3) {
		if (!m->own.set[1])
			return bw_ipt_err(p, loc, PP, "owner: Bad value for \"--suppl-groups\" option: \"you need to use --gid-owner first\"");
		m->own.suppl = true;
		return 0;
	}
	if (m->own.set[k])
		return bw_ipt_err(p, loc, PP, "owner: can't specify --%s twice", o->name);
	dash = strchr(arg, '-');
	snprintf(lo, sizeof(lo), "%.*s", dash ? (int)(dash - arg) : (int)strlen(arg), arg);
	if (owner_id(lo, k, &m->own.lo[k]) ||
	    (dash ? owner_id(dash + 1, k, &m->own.hi[k]) :
	     ((m->own.hi[k] = m->own.lo[k]), 0)) ||
	    m->own.lo[k] > m->own.hi[k])
		return bw_ipt_err(p, loc, PP, "Bad owner %s \"%s\"", k ? "GID" : "UID", arg);
	m->own.set[k] = true;
	m->own.inv[k] = inv;
	m->seen = 1;
	return 0;
}

static int owner_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		       struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	const char *c = p->c->chain;

	(void)r;
	(void)t;
	if (!m->seen)
		return bw_ipt_err(p, &m->loc, PP, "owner: At least one of --uid-owner, --gid-owner or --socket-exists is required");
	/* xt_owner's hooks: LOCAL_OUT, POST_ROUTING; iptables-nft leaves
	 * the check to the kernel (status 4) */
	if (c && (!strcmp(c, "INPUT") || !strcmp(c, "FORWARD") ||
		  !strcmp(c, "PREROUTING")))
		return bw_ipt_err(p, &m->loc, p->restore ? PP : BW_IPT_EXIT_RESOURCE,
				  "owner match is only valid in the OUTPUT and POSTROUTING chains");
	return 0;
}

static void owner_save(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	/* libxt_owner's order: socket, uid, gid, supplementary groups */
	if (m->own.sock)
		fprintf(f, "%s --socket-exists", m->own.sock_inv ? " !" : "");
	for (int k = 0; k < 2; k++) {
		if (!m->own.set[k])
			continue;
		fprintf(f, "%s --%s %u", m->own.inv[k] ? " !" : "",
			k ? "gid-owner" : "uid-owner", m->own.lo[k]);
		if (m->own.hi[k] != m->own.lo[k])
			fprintf(f, "-%u", m->own.hi[k]);
	}
	if (m->own.suppl)
		fputs(" --suppl-groups", f);
}

static void owner_list(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		       bool numeric)
{
	(void)r;
	(void)t;
	if (m->own.sock)
		fprintf(f, "%s owner socket exists", m->own.sock_inv ? " !" : "");
	for (int k = 0; k < 2; k++) {
		const char *name = NULL;

		if (!m->own.set[k])
			continue;
		fprintf(f, "%s owner %s match", m->own.inv[k] ? " !" : "", k ? "GID" : "UID");
		if (m->own.hi[k] != m->own.lo[k]) {
			fprintf(f, " %u-%u", m->own.lo[k], m->own.hi[k]);
			continue;
		}
		if (!numeric && !k) {
			struct passwd *pw = getpwuid(m->own.lo[k]);

			name = pw ? pw->pw_name : NULL;
		} else if (!numeric) {
			struct group *g = getgrgid(m->own.lo[k]);

			name = g ? g->gr_name : NULL;
		}
		if (name)
			fprintf(f, " %s", name);
		else
			fprintf(f, " %u", m->own.lo[k]);
	}
	if (m->own.suppl)
		fputs(" incl. suppl. groups", f);
}

const struct bw_ipt_ext bw_ipt_ext_owner = {
	.name = "owner", .opts = owner_opts, .parse = owner_parse,
	.final = owner_final, .save = owner_save, .list = owner_list,
};
