// SPDX-License-Identifier: GPL-2.0-only
/*
 * iptables command lines and iptables-restore lines into struct
 * bw_ipt_cmd: the generic options as a table, extension options looked
 * up in the matches and target the line loaded (ipt_ext.c), the
 * protocol's match loaded when one of its options is used without it, as
 * iptables does.  Every error is iptables' message at the word it is
 * about.
 */
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipt_ext.h"

#define PP BW_IPT_EXIT_PARAM

const char *const bw_ipt_table_name[BW_IPT__NTABLES] = {
	"filter", "raw", "nat", "mangle", "security",
};

int bw_ipt_table_find(const char *name)
{
	for (int i = 0; i < BW_IPT__NTABLES; i++)
		if (!strcmp(name, bw_ipt_table_name[i]))
			return i;
	return -1;
}

const char *const *bw_ipt_builtins(int table)
{
	static const char *const filter[] = { "INPUT", "FORWARD", "OUTPUT", NULL };
	static const char *const raw[] = { "PREROUTING", "OUTPUT", NULL };
	static const char *const none[] = { NULL };

	return table == BW_IPT_FILTER ? filter : table == BW_IPT_RAW ? raw : none;
}

int bw_ipt_err(struct bw_ipt_pctx *p, const struct bw_loc *loc, int status,
	       const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bw_error(p->d, loc, "%s", msg);
	return status;
}

int bw_ipt_unsupported(struct bw_ipt_pctx *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->c->unsupported, sizeof(p->c->unsupported), fmt, ap);
	va_end(ap);
	return BW_IPT_UNSUPPORTED;
}

/* ---- words ---- */

int bw_ipt_split(struct bw_arena *a, const struct bw_src *src, uint32_t line,
		 const char *s, size_t len, struct bw_ipt_words *out,
		 struct bw_diags *d)
{
	size_t cap = 8, i = 0;
	char *buf = bw_arena_alloc(a, len + 1);

	out->n = 0;
	out->w = bw_arena_alloc(a, cap * sizeof(char *));
	out->loc = bw_arena_alloc(a, cap * sizeof(struct bw_loc));
	if (!buf || !out->w || !out->loc)
		return -ENOMEM;
	while (i < len) {
		size_t start, k = 0;
		bool quote = false;
		char *w;

		while (i < len && isspace((unsigned char)s[i]))
			i++;
		if (i >= len)
			break;
		start = i;
		w = buf;
		while (i < len && (quote || !isspace((unsigned char)s[i]))) {
			if (s[i] == '"') {
				quote = !quote;
			} else if (s[i] == '\\' && quote && i + 1 < len &&
				   (s[i + 1] == '"' || s[i + 1] == '\\' ||
				    s[i + 1] == '\'')) {
				w[k++] = s[++i];
			} else {
				w[k++] = s[i];
			}
			i++;
		}
		if (quote) {
			struct bw_loc l = { src, line, (uint32_t)start + 1, line,
					    (uint32_t)i };

			bw_error(d, &l, "unterminated quoted string");
			return -EINVAL;
		}
		if ((size_t)out->n == cap) {
			char **nw = bw_arena_alloc(a, cap * 2 * sizeof(char *));
			struct bw_loc *nl = bw_arena_alloc(a, cap * 2 * sizeof(struct bw_loc));

			if (!nw || !nl)
				return -ENOMEM;
			memcpy(nw, out->w, cap * sizeof(char *));
			memcpy(nl, out->loc, cap * sizeof(struct bw_loc));
			out->w = nw;
			out->loc = nl;
			cap *= 2;
		}
		out->w[out->n] = bw_arena_strndup(a, w, k);
		if (!out->w[out->n])
			return -ENOMEM;
		out->loc[out->n] = (struct bw_loc){ src, line, (uint32_t)start + 1,
						     line, (uint32_t)i };
		out->n++;
		buf += k + 1;
	}
	return 0;
}

/* ---- generic options ---- */

enum gid {
	G_APPEND, G_INSERT, G_DELETE, G_REPLACE, G_CHECK, G_LISTRULES, G_LIST,
	G_FLUSH, G_ZERO, G_NEW, G_DELCHAIN, G_RENAME, G_POLICY,
	G_TABLE, G_SRC, G_DST, G_PROTO, G_IN, G_OUT, G_FRAG, G_JUMP, G_GOTO,
	G_MATCH, G_COUNTERS, G_NUMERIC, G_VERBOSE, G_EXACT, G_LINENUM, G_WAIT,
	G_WAITINT, G_V4, G_V6, G_HELP, G_VERSION, G_MODPROBE,
};

struct gopt {
	const char *lname;
	char sname;
	enum gid id;
	uint8_t arg;			/* 0 none, 1 one, 2 optional (one or two) */
	bool inv;
	char cmd;			/* the command letter */
};

static const struct gopt gopts[] = {
	{ "append", 'A', G_APPEND, 1, false, 'A' },
	{ "insert", 'I', G_INSERT, 1, false, 'I' },
	{ "delete", 'D', G_DELETE, 1, false, 'D' },
	{ "replace", 'R', G_REPLACE, 1, false, 'R' },
	{ "check", 'C', G_CHECK, 1, false, 'C' },
	{ "list-rules", 'S', G_LISTRULES, 2, false, 'S' },
	{ "list", 'L', G_LIST, 2, false, 'L' },
	{ "flush", 'F', G_FLUSH, 2, false, 'F' },
	{ "zero", 'Z', G_ZERO, 2, false, 'Z' },
	{ "new-chain", 'N', G_NEW, 1, false, 'N' },
	{ "delete-chain", 'X', G_DELCHAIN, 2, false, 'X' },
	{ "rename-chain", 'E', G_RENAME, 1, false, 'E' },
	{ "policy", 'P', G_POLICY, 1, false, 'P' },
	{ "table", 't', G_TABLE, 1 },
	{ "source", 's', G_SRC, 1, true }, { "src", 0, G_SRC, 1, true },
	{ "destination", 'd', G_DST, 1, true }, { "dst", 0, G_DST, 1, true },
	{ "protocol", 'p', G_PROTO, 1, true },
	{ "in-interface", 'i', G_IN, 1, true },
	{ "out-interface", 'o', G_OUT, 1, true },
	{ "fragment", 'f', G_FRAG, 0, true },
	{ "jump", 'j', G_JUMP, 1 }, { "goto", 'g', G_GOTO, 1 },
	{ "match", 'm', G_MATCH, 1 },
	{ "set-counters", 'c', G_COUNTERS, 1 },
	{ "numeric", 'n', G_NUMERIC, 0 }, { "verbose", 'v', G_VERBOSE, 0 },
	{ "exact", 'x', G_EXACT, 0 }, { "line-numbers", 0, G_LINENUM, 0 },
	{ "wait", 'w', G_WAIT, 2 }, { "wait-interval", 'W', G_WAITINT, 1 },
	{ "ipv4", '4', G_V4, 0 }, { "ipv6", '6', G_V6, 0 },
	{ "help", 'h', G_HELP, 0 }, { "version", 'V', G_VERSION, 0 },
	{ "modprobe", 'M', G_MODPROBE, 1 },
};

#define NGOPTS (sizeof(gopts) / sizeof(gopts[0]))

struct state {
	struct bw_ipt_pctx p;
	int i;				/* the word being read */
	bool inv;
	struct bw_loc inv_loc;
	const char *srcs, *dsts;	/* comma lists, expanded at the end */
	struct bw_loc src_loc, dst_loc;
	bool rule_opts;			/* a rule option was given */
	struct bw_loc first_loc;	/* the first word after the chain */
};

static const struct bw_loc *wloc(struct state *s, int i)
{
	return &s->p.w->loc[i < s->p.w->n ? i : s->p.w->n - 1];
}

static const char *next_word(struct state *s)
{
	if (s->i + 1 >= s->p.w->n)
		return NULL;
	return s->p.w->w[++s->i];
}

/* An optional argument: the next word, unless it is an option. */
static const char *opt_word(struct state *s)
{
	const char *w;

	if (s->i + 1 >= s->p.w->n)
		return NULL;
	w = s->p.w->w[s->i + 1];
	if ((w[0] == '-' && w[1]) || !strcmp(w, "!"))
		return NULL;
	s->i++;
	return w;
}

static bool is_num(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!isdigit((unsigned char)*w))
			return false;
	return true;
}

static int rulenum(struct state *s, const char *w, uint32_t *out)
{
	uint64_t v;

	if (!bw_ipt_num(w, INT32_MAX, &v) || !v)
		return bw_ipt_err(&s->p, wloc(s, s->i), PP, "Invalid rule number `%s'", w);
	*out = (uint32_t)v;
	return 0;
}

static int set_cmd(struct state *s, char cmd, char opt)
{
	struct bw_ipt_cmd *c = s->p.c;

	if (c->cmd && !((c->cmd == 'L' && cmd == 'Z') || (c->cmd == 'Z' && cmd == 'L')))
		return bw_ipt_err(&s->p, wloc(s, s->i), PP, "Can't use -%c with -%c",
				  opt, c->cmd);
	if (c->cmd) {
		c->cmd2 = 'Z';
		c->cmd = 'L';
		return 0;
	}
	c->cmd = cmd;
	return 0;
}

static const char *const protos[][2] = {
	{ "tcp", "6" }, { "sctp", "132" }, { "udp", "17" }, { "udplite", "136" },
	{ "icmp", "1" }, { "icmpv6", "58" }, { "ipv6-icmp", "58" }, { "esp", "50" },
	{ "ah", "51" }, { "mh", "135" }, { "all", "0" },
};

static int proto_parse(struct state *s, const char *w, uint8_t *out)
{
	char lower[32];
	uint64_t v;
	struct protoent *pe;

	snprintf(lower, sizeof(lower), "%s", w);
	for (char *c = lower; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
		if (!strcmp(lower, protos[i][0])) {
			*out = (uint8_t)atoi(protos[i][1]);
			return 0;
		}
	if (bw_ipt_num(w, 255, &v)) {
		*out = (uint8_t)v;
		return 0;
	}
	pe = getprotobyname(lower);
	if (pe && pe->p_proto >= 0 && pe->p_proto <= 255) {
		*out = (uint8_t)pe->p_proto;
		return 0;
	}
	return bw_ipt_err(&s->p, wloc(s, s->i), PP, "unknown protocol \"%s\" specified", w);
}

static int iface(struct state *s, const char *w, char out[17])
{
	if (strlen(w) > 15)
		return bw_ipt_err(&s->p, wloc(s, s->i), PP,
				  "interface name `%s' must be shorter than IFNAMSIZ (15)", w);
	snprintf(out, 17, "%s", w);
	return 0;
}

/* An address with its mask (one of a comma list). */
static int addr_mask(struct state *s, const char *w, const struct bw_loc *loc,
		     uint8_t *addr, uint8_t *mask)
{
	bool v6 = s->p.v6;
	const char *slash = strchr(w, '/');
	char a[64];
	int bits = v6 ? 128 : 32;

	snprintf(a, sizeof(a), "%.*s",
		 (int)(slash ? (size_t)(slash - w) : strlen(w)), w);
	if (!bw_ipt_addr_parse(a, v6, addr))
		return bw_ipt_err(&s->p, loc, PP, "host/network `%s' not found", a);
	memset(mask, 0, 16);
	if (slash) {
		uint64_t v;

		if (bw_ipt_num(slash + 1, v6 ? 128 : 32, &v) && isdigit((unsigned char)slash[1])) {
			bits = (int)v;
		} else if (!v6 && bw_ipt_addr_parse(slash + 1, false, mask)) {
			bits = -1;
		} else {
			return bw_ipt_err(&s->p, loc, PP, "invalid mask `%s' specified",
					  slash + 1);
		}
	}
	if (bits >= 0)
		for (int i = 0; i < bits; i++)
			mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
	for (int i = 0; i < 16; i++)
		addr[i] &= mask[i];
	return 0;
}

static int load_match(struct state *s, const struct bw_ipt_ext *e,
		      const struct bw_loc *loc, struct bw_ipt_match **out)
{
	struct bw_ipt_match *m = bw_arena_alloc(s->p.a, sizeof(*m));
	struct bw_ipt_rule *r = s->p.r;

	if (!m)
		return -ENOMEM;
	m->ext = e;
	m->loc = *loc;
	if (r->match_last)
		r->match_last->next = m;
	else
		r->match = m;
	r->match_last = m;
	*out = m;
	return 0;
}

static const struct bw_ipt_opt *ext_opt(const struct bw_ipt_ext *e, const char *name)
{
	for (const struct bw_ipt_opt *o = e ? e->opts : NULL; o && o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

static const struct bw_ipt_ext *target_ext(const struct bw_ipt_target *t, bool v6)
{
	switch (t->kind) {
	case BW_IPT_T_REJECT:
		return bw_ipt_ext_find("REJECT", true, v6);
	case BW_IPT_T_LOG:
		return bw_ipt_ext_find("LOG", true, v6);
	case BW_IPT_T_NFLOG:
		return bw_ipt_ext_find("NFLOG", true, v6);
	case BW_IPT_T_MARK:
		return bw_ipt_ext_find("MARK", true, v6);
	case BW_IPT_T_CONNMARK:
		return bw_ipt_ext_find("CONNMARK", true, v6);
	default:
		return NULL;
	}
}

/* "--name" of a match or the target; the protocol's match loaded when
 * the rule names a protocol whose match has the option. */
static int ext_option(struct state *s, const char *name, const char *inl)
{
	struct bw_ipt_pctx *p = &s->p;
	struct bw_ipt_rule *r = p->r;
	const struct bw_ipt_opt *o = NULL;
	const struct bw_ipt_ext *te = target_ext(&r->target, p->v6);
	struct bw_ipt_match *m = NULL;
	const struct bw_loc *oloc = wloc(s, s->i);
	struct bw_loc aloc;
	const char *arg = NULL;
	char two[256];
	int err, start = s->i;

	/* the newest match first, as getopt sees the merged options */
	for (struct bw_ipt_match *x = r->match; x; x = x->next)
		if (ext_opt(x->ext, name))
			m = x;
	if (m)
		o = ext_opt(m->ext, name);
	else if ((o = ext_opt(te, name)))
		m = NULL;
	if (!o && (!te || !ext_opt(te, name))) {
		const char *proto = bw_ipt_rule_proto(r);
		const struct bw_ipt_ext *pe = NULL;

		if (proto && !strcmp(proto, "tcp"))
			pe = &bw_ipt_ext_tcp;
		else if (proto && !strcmp(proto, "udp"))
			pe = &bw_ipt_ext_udp;
		else if (proto && !strcmp(proto, "icmp") && !p->v6)
			pe = &bw_ipt_ext_icmp;
		else if (proto && !strcmp(proto, "icmpv6") && p->v6)
			pe = &bw_ipt_ext_icmp6;
		if (pe && (o = ext_opt(pe, name))) {
			err = load_match(s, pe, oloc, &m);
			if (err)
				return err;
		}
	}
	if (!o)
		return bw_ipt_err(p, oloc, PP, "unknown option \"--%s\"", name);
	if (s->inv && !o->inv)
		return bw_ipt_err(p, &s->inv_loc, PP, "unexpected ! flag before --%s", name);
	if (o->arg) {
		arg = inl ? inl : next_word(s);
		if (!arg)
			return bw_ipt_err(p, oloc, PP, "option \"--%s\" requires an argument", name);
		if (!strcmp(o->name, "tcp-flags") || !strcmp(o->name, "match-set") ||
		    (m && !strcmp(m->ext->name, "set") && !strcmp(o->name, "set"))) {
			const char *nx = s->i + 1 < p->w->n ? p->w->w[s->i + 1] : NULL;
			/* libxt_set: the directions must not look like an option */
			bool two_ok = nx && (o->name[0] == 't' || (nx[0] != '-' && nx[0] != '!'));
			const char *cmp = two_ok ? next_word(s) : NULL;

			if (!cmp)
				return bw_ipt_err(p, oloc, PP, "--%s requires two args.",
						  o->name[0] == 't' ? "tcp-flags" : "match-set");
			snprintf(two, sizeof(two), "%s %s", arg, cmp);
			arg = two;
		}
	}
	aloc = o->arg ? bw_loc_join(wloc(s, start + (inl ? 0 : 1)), wloc(s, s->i)) : *oloc;
	if (o->unsupported)
		return bw_ipt_unsupported(p, "option --%s of %s %s", name,
					  m ? "extension" : "target",
					  m ? m->ext->name : te->name);
	err = (m ? m->ext : te)->parse(p, m, &r->target, o, arg, s->inv, &aloc);
	if (m)
		m->loc = bw_loc_join(&m->loc, wloc(s, s->i));
	else
		r->target.loc = bw_loc_join(&r->target.loc, wloc(s, s->i));
	s->inv = false;
	return err;
}

static int target(struct state *s, const char *w, bool go)
{
	struct bw_ipt_pctx *p = &s->p;
	struct bw_ipt_target *t = &p->r->target;
	const struct bw_ipt_ext *e;

	if (t->kind != BW_IPT_T_NONE)
		return bw_ipt_err(p, wloc(s, s->i), PP, "multiple -j flags not allowed");
	t->loc = bw_loc_join(wloc(s, s->i - 1), wloc(s, s->i));
	if (strlen(w) > BW_IPT_CHAIN_MAX)
		return bw_ipt_err(p, wloc(s, s->i), PP, "Invalid target name `%s' (%d chars max)",
				  w, BW_IPT_CHAIN_MAX);
	snprintf(t->chain, sizeof(t->chain), "%s", w);
	if (go) {
		t->kind = BW_IPT_T_GOTO;
		return 0;
	}
	if (!strcmp(w, "ACCEPT"))
		t->kind = BW_IPT_T_ACCEPT;
	else if (!strcmp(w, "DROP"))
		t->kind = BW_IPT_T_DROP;
	else if (!strcmp(w, "RETURN"))
		t->kind = BW_IPT_T_RETURN;
	else if ((e = bw_ipt_ext_find(w, true, p->v6))) {
		t->kind = !strcmp(w, "REJECT") ? BW_IPT_T_REJECT :
			  !strcmp(w, "LOG") ? BW_IPT_T_LOG :
			  !strcmp(w, "MARK") ? BW_IPT_T_MARK :
			  !strcmp(w, "CONNMARK") ? BW_IPT_T_CONNMARK : BW_IPT_T_NFLOG;
		t->nfmask = t->ctmask = UINT32_MAX;
		t->level = 4;
		if (t->kind == BW_IPT_T_REJECT)
			t->reject = (uint8_t)bw_ipt_reject_default(p->v6);
	} else if (!strcmp(w, "SET")) {
		/* not iptables-nft's either: the sets are bpfwall's */
		return bw_ipt_err(p, wloc(s, s->i), PP,
				  "bpfwall: target SET is not compiled: it changes a set from the packet path, and bpfwall's sets change only through bpfwall ipset");
	} else if (bw_ipt_ext_known(w, true)) {
		return bw_ipt_unsupported(p, "target %s", w);
	} else {
		t->kind = BW_IPT_T_JUMP;
	}
	return 0;
}

/* One generic option o (argument inl when written -tnat or --table=nat). */
static int generic(struct state *s, const struct gopt *o, const char *inl)
{
	struct bw_ipt_pctx *p = &s->p;
	struct bw_ipt_cmd *c = p->c;
	struct bw_ipt_rule *r = p->r;
	const char *arg = NULL;
	uint64_t v;
	int err;

	if (s->inv && !o->inv)
		return bw_ipt_err(p, &s->inv_loc, PP, "cannot have ! before -%c",
				  o->sname ? o->sname : '-');
	if (o->arg == 1) {
		arg = inl ? inl : next_word(s);
		if (!arg)
			return bw_ipt_err(p, wloc(s, s->i), PP,
					  "option \"%s%s\" requires an argument",
					  o->sname ? "-" : "--", o->sname ?
					  (char[]){ o->sname, 0 } : o->lname);
	} else if (o->arg == 2) {
		arg = inl ? inl : opt_word(s);
	}
	if (o->cmd) {
		if (p->restore && (o->cmd == 'L' || o->cmd == 'S' || o->cmd == 'F' ||
				   o->cmd == 'Z' || o->cmd == 'X' || o->cmd == 'E' ||
				   o->cmd == 'P') && 0)
			return PP;
		err = set_cmd(s, o->cmd, o->sname);
		if (err)
			return err;
		if (arg) {
			c->chain = arg;
			c->chain_loc = *wloc(s, s->i);
		}
		switch (o->cmd) {
		case 'I':
		case 'D':
		case 'L':
		case 'S':
		case 'Z':
			if (arg && s->i + 1 < p->w->n && is_num(p->w->w[s->i + 1])) {
				s->i++;
				return rulenum(s, p->w->w[s->i], &c->rulenum);
			}
			break;
		case 'R':
			arg = next_word(s);
			if (!arg)
				return bw_ipt_err(p, wloc(s, s->i), PP, "-R requires a rule number");
			return rulenum(s, arg, &c->rulenum);
		case 'E':
		case 'P':
			c->arg2 = next_word(s);
			if (!c->arg2)
				return bw_ipt_err(p, wloc(s, s->i), PP, "-%c requires %s",
						  o->cmd, o->cmd == 'E' ? "old-chain-name and new-chain-name" :
						  "a chain and a policy");
			break;
		}
		return 0;
	}
	switch (o->id) {
	case G_TABLE:
		if (p->restore)
			return bw_ipt_err(p, wloc(s, s->i), PP,
					  "The -t option cannot be used in iptables-restore.");
		c->table = bw_ipt_table_find(arg);
		c->table_given = true;
		if (c->table < 0 || !bw_ipt_table_ours(c->table)) {
			c->table = c->table < 0 ? BW_IPT_FILTER : c->table;
			return bw_ipt_unsupported(p, "table %s", arg);
		}
		return 0;
	case G_SRC:
	case G_DST:
		if (o->id == G_SRC ? s->srcs != NULL : s->dsts != NULL)
			return bw_ipt_err(p, wloc(s, s->i), PP, "multiple -%c flags not allowed",
					  o->id == G_SRC ? 's' : 'd');
		if (o->id == G_SRC) {
			s->srcs = arg;
			s->src_loc = *wloc(s, s->i);
			r->inv_src = s->inv;
		} else {
			s->dsts = arg;
			s->dst_loc = *wloc(s, s->i);
			r->inv_dst = s->inv;
		}
		break;
	case G_PROTO:
		if (r->has_proto)
			return bw_ipt_err(p, wloc(s, s->i), PP, "multiple -p flags not allowed");
		err = proto_parse(s, arg, &r->proto);
		if (err)
			return err;
		r->has_proto = true;
		r->inv_proto = s->inv;
		if (!r->proto && s->inv)
			return bw_ipt_err(p, wloc(s, s->i), PP, "rule would never match protocol");
		if (!r->proto)
			r->has_proto = false;
		break;
	case G_IN:
	case G_OUT:
		if ((o->id == G_IN ? r->in : r->out)[0])
			return bw_ipt_err(p, wloc(s, s->i), PP, "multiple -%c flags not allowed",
					  o->id == G_IN ? 'i' : 'o');
		err = iface(s, arg, o->id == G_IN ? r->in : r->out);
		if (err)
			return err;
		if (o->id == G_IN)
			r->inv_in = s->inv;
		else
			r->inv_out = s->inv;
		break;
	case G_FRAG:
		if (p->v6)
			return bw_ipt_err(p, wloc(s, s->i), PP, "unknown option \"-f\"");
		r->frag = true;
		r->inv_frag = s->inv;
		break;
	case G_JUMP:
	case G_GOTO:
		err = target(s, arg, o->id == G_GOTO);
		if (err)
			return err;
		break;
	case G_MATCH: {
		const struct bw_ipt_ext *e = bw_ipt_ext_find(arg, false, p->v6);
		struct bw_ipt_match *m;

		if (!e) {
			if (bw_ipt_ext_known(arg, false) ||
			    (!p->v6 && !strcmp(arg, "icmp6")) ||
			    (p->v6 && !strcmp(arg, "icmp")))
				return bw_ipt_unsupported(p, "extension %s", arg);
			return bw_ipt_err(p, wloc(s, s->i), PP,
					  "Couldn't load match `%s':No such file or directory", arg);
		}
		err = load_match(s, e, wloc(s, s->i - 1), &m);
		if (err)
			return err;
		m->loc = bw_loc_join(&m->loc, wloc(s, s->i));
		break;
	}
	case G_COUNTERS: {
		const char *b = next_word(s);

		if (!b || !bw_ipt_num(arg, UINT64_MAX, &v))
			return bw_ipt_err(p, wloc(s, s->i), PP,
					  "-c requires packet and byte counter");
		r->pkts = v;
		if (!bw_ipt_num(b, UINT64_MAX, &v))
			return bw_ipt_err(p, wloc(s, s->i), PP,
					  "-c requires packet and byte counter");
		r->bytes = v;
		r->has_counters = true;
		return 0;
	}
	case G_NUMERIC:
		c->numeric = true;
		return 0;
	case G_VERBOSE:
		c->verbose = true;
		return 0;
	case G_EXACT:
		c->exact = true;
		return 0;
	case G_LINENUM:
		c->line_numbers = true;
		return 0;
	case G_WAIT:
		c->wait_given = true;
		c->wait = -1;
		if (arg) {
			if (!bw_ipt_num(arg, INT32_MAX, &v))
				return bw_ipt_err(p, wloc(s, s->i), PP, "wait seconds not numeric");
			c->wait = (int)v;
		}
		return 0;
	case G_WAITINT:
		if (!bw_ipt_num(arg, INT32_MAX, &v))
			return bw_ipt_err(p, wloc(s, s->i), PP, "wait interval not numeric");
		return 0;
	case G_V4:
		c->v4_only = true;
		return 0;
	case G_V6:
		c->v6_only = true;
		return 0;
	case G_HELP:
		c->help = true;
		return 0;
	case G_VERSION:
		c->version = true;
		return 0;
	case G_MODPROBE:
		return 0;
	default:
		break;
	}
	s->inv = false;
	s->rule_opts = true;
	return 0;
}

static int word(struct state *s)
{
	const char *w = s->p.w->w[s->i];
	int err;

	if (!strcmp(w, "!")) {
		if (s->inv)
			return bw_ipt_err(&s->p, wloc(s, s->i), PP,
					  "Multiple `!' flags not allowed");
		s->inv = true;
		s->inv_loc = *wloc(s, s->i);
		return 0;
	}
	if (w[0] != '-' || !w[1])
		return bw_ipt_err(&s->p, wloc(s, s->i), PP, "Bad argument `%s'", w);
	if (w[1] == '-') {
		const char *name = w + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		char buf[64];

		for (size_t k = 0; k < NGOPTS; k++)
			if (strlen(gopts[k].lname) == len &&
			    !strncmp(gopts[k].lname, name, len))
				return generic(s, &gopts[k], eq ? eq + 1 : NULL);
		snprintf(buf, sizeof(buf), "%.*s", (int)len, name);
		return ext_option(s, buf, eq ? eq + 1 : NULL);
	}
	/* -nvL, -tnat, -AINPUT */
	for (const char *c = w + 1; *c; c++) {
		const struct gopt *o = NULL;

		for (size_t k = 0; k < NGOPTS; k++)
			if (gopts[k].sname == *c)
				o = &gopts[k];
		if (!o)
			return bw_ipt_err(&s->p, wloc(s, s->i), PP,
					  "unknown option \"%s\"", w);
		if (o->arg && c[1])
			return generic(s, o, c + 1);
		err = generic(s, o, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* -s a,b and -d c,d: one rule for each pair, as iptables makes them. */
static int expand(struct state *s)
{
	struct bw_ipt_pctx *p = &s->p;
	struct bw_ipt_rule *base = p->r, *last = NULL;
	char srcs[1024], dsts[1024], *sv1 = NULL;

	snprintf(srcs, sizeof(srcs), "%s", s->srcs ? s->srcs : "");
	snprintf(dsts, sizeof(dsts), "%s", s->dsts ? s->dsts : "");
	p->c->rule = NULL;
	for (char *a = strtok_r(srcs, ",", &sv1); a || !s->srcs;
	     a = s->srcs ? strtok_r(NULL, ",", &sv1) : NULL) {
		char dcopy[1024], *sv2 = NULL;

		snprintf(dcopy, sizeof(dcopy), "%s", dsts);
		for (char *b = strtok_r(dcopy, ",", &sv2); b || !s->dsts;
		     b = s->dsts ? strtok_r(NULL, ",", &sv2) : NULL) {
			struct bw_ipt_rule *r = bw_arena_alloc(p->a, sizeof(*r));
			int err;

			if (!r)
				return -ENOMEM;
			*r = *base;
			r->next = NULL;
			if (a) {
				err = addr_mask(s, a, &s->src_loc, r->src, r->smsk);
				if (err)
					return err;
				r->has_src = true;
			}
			if (b) {
				err = addr_mask(s, b, &s->dst_loc, r->dst, r->dmsk);
				if (err)
					return err;
				r->has_dst = true;
			}
			if (last)
				last->next = r;
			else
				p->c->rule = r;
			last = r;
			if (!s->dsts)
				break;
		}
		if (!s->srcs)
			break;
	}
	return 0;
}

int bw_ipt_parse(struct bw_arena *a, const struct bw_ipt_words *words,
		 bool v6, bool restore, struct bw_diags *d,
		 struct bw_ipt_cmd *out)
{
	struct state s = {
		.p = { .a = a, .d = d, .v6 = v6, .restore = restore, .w = words,
		       .c = out },
	};
	struct bw_ipt_rule *r = bw_arena_alloc(a, sizeof(*r));
	int err = 0;

	memset(out, 0, sizeof(*out));
	out->table = BW_IPT_FILTER;
	if (!r)
		return -ENOMEM;
	r->v6 = v6;
	s.p.r = r;
	for (s.i = 0; s.i < words->n && !err; s.i++)
		err = word(&s);
	if (err)
		return err;
	if (s.inv)
		return bw_ipt_err(&s.p, &s.inv_loc, PP, "! flag without an option after it");
	if (out->help || out->version)
		return 0;
	if (!out->cmd)
		return bw_ipt_err(&s.p, words->n ? wloc(&s, 0) : NULL, PP,
				  "no command specified");
	if (words->n)
		r->loc = bw_loc_join(&out->chain_loc, wloc(&s, words->n - 1));
	switch (out->cmd) {
	case 'A':
	case 'I':
	case 'R':
	case 'C':
	case 'D':
		break;
	default:
		if (s.rule_opts || r->match || r->target.kind != BW_IPT_T_NONE)
			return bw_ipt_err(&s.p, wloc(&s, 0), PP,
					  "Illegal option with this command");
		return 0;
	}
	if (out->cmd == 'D' && out->rulenum) {
		if (s.rule_opts || r->match || r->target.kind != BW_IPT_T_NONE)
			return bw_ipt_err(&s.p, wloc(&s, 0), PP,
					  "Illegal option with this command");
		return 0;
	}
	if (out->chain && (!strcmp(out->chain, "INPUT") || !strcmp(out->chain, "PREROUTING")) &&
	    r->out[0])
		return bw_ipt_err(&s.p, &r->loc, PP, "Can't use -o with %s", out->chain);
	if (out->chain && (!strcmp(out->chain, "OUTPUT") || !strcmp(out->chain, "POSTROUTING")) &&
	    r->in[0])
		return bw_ipt_err(&s.p, &r->loc, PP, "Can't use -i with %s", out->chain);
	for (struct bw_ipt_match *m = r->match; m && !err; m = m->next)
		if (m->ext->final)
			err = m->ext->final(&s.p, r, m, &r->target);
	if (!err) {
		const struct bw_ipt_ext *te = target_ext(&r->target, v6);

		if (te && te->final)
			err = te->final(&s.p, r, NULL, &r->target);
	}
	if (!err)
		err = expand(&s);
	return err;
}

/* ---- comparing rules (-D RULE, -C) ---- */

static bool match_eq(const struct bw_ipt_match *a, const struct bw_ipt_match *b)
{
	if (a->ext != b->ext)
		return false;
	/* the parsers fill the whole union from zeroed memory */
	return !memcmp(&a->l4, &b->l4, sizeof(*a) - offsetof(struct bw_ipt_match, l4));
}

bool bw_ipt_rule_eq(const struct bw_ipt_rule *a, const struct bw_ipt_rule *b)
{
	const struct bw_ipt_match *x, *y;
	const struct bw_ipt_target *s = &a->target, *t = &b->target;

	if (a->has_src != b->has_src || a->has_dst != b->has_dst ||
	    a->inv_src != b->inv_src || a->inv_dst != b->inv_dst ||
	    memcmp(a->src, b->src, 16) || memcmp(a->smsk, b->smsk, 16) ||
	    memcmp(a->dst, b->dst, 16) || memcmp(a->dmsk, b->dmsk, 16) ||
	    strcmp(a->in, b->in) || strcmp(a->out, b->out) ||
	    a->inv_in != b->inv_in || a->inv_out != b->inv_out ||
	    a->has_proto != b->has_proto || a->inv_proto != b->inv_proto ||
	    a->proto != b->proto || a->frag != b->frag || a->inv_frag != b->inv_frag)
		return false;
	for (x = a->match, y = b->match; x && y; x = x->next, y = y->next)
		if (!match_eq(x, y))
			return false;
	if (x || y)
		return false;
	if (s->kind != t->kind)
		return false;
	if ((s->kind == BW_IPT_T_JUMP || s->kind == BW_IPT_T_GOTO) &&
	    strcmp(s->chain, t->chain))
		return false;
	return s->reject == t->reject && !strcmp(s->prefix, t->prefix) &&
	       s->level == t->level && s->logflags == t->logflags &&
	       s->group == t->group && s->size == t->size &&
	       s->threshold == t->threshold && s->has_size == t->has_size &&
	       s->mark == t->mark && s->mark_mask == t->mark_mask;
}
