// SPDX-License-Identifier: GPL-2.0-only
/*
 * iptables' set match (libxt_set, revision 4): `-m set [!] --match-set
 * NAME src|dst[,src|dst...]` with --return-nomatch and ! --update-counters
 * / ! --update-subcounters, which change nothing in what matches for the
 * sets bpfwall keeps (no nomatch entries, no counters: grammar/ipset.h).
 * --packets-* and --bytes-* match on the counters of the set's entries,
 * which bpfwall's sets do not keep: refused (status 2), not handed to
 * iptables-nft, whose kernel sets are not these.  Whether the set exists
 * and fits the rule is checked where the sets are (cli/ipt.c).
 */
#include <string.h>

#include "ipt_ext.h"
#include "ipset.h"

#define PP BW_IPT_EXIT_PARAM

enum { O_MATCH, O_NOMATCH, O_COUNTERS, O_SUBCOUNTERS, O_OTHER };

static const struct bw_ipt_opt set_opts[] = {
	{ "match-set", O_MATCH, true, true },
	{ "set", O_MATCH, true, true },		/* deprecated spelling */
	{ "return-nomatch", O_NOMATCH, false, false },
	{ "update-counters", O_COUNTERS, false, true },
	{ "update-subcounters", O_SUBCOUNTERS, false, true },
	/* refused, not handed to iptables-nft: the sets are bpfwall's */
	{ "packets-eq", O_OTHER, true, true },
	{ "packets-lt", O_OTHER, true, false },
	{ "packets-gt", O_OTHER, true, false },
	{ "bytes-eq", O_OTHER, true, true },
	{ "bytes-lt", O_OTHER, true, false },
	{ "bytes-gt", O_OTHER, true, false },
	{ NULL },
};

static int set_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		     struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		     const char *arg, bool inv, const struct bw_loc *loc)
{
	const char *sp, *d;

	(void)t;
	switch (o->id) {
	case O_MATCH:
		if (m->set.dim)
			return bw_ipt_err(p, loc, PP, "--match-set can be specified only once");
		if (!strcmp(o->name, "set"))
			fprintf(stderr, "--set option deprecated, please use --match-set\n");
		sp = strchr(arg, ' ');
		if (!sp || (size_t)(sp - arg) > 31)
			return bw_ipt_err(p, loc, PP, "setname `%.*s' too long, max %d characters.",
					  (int)(sp ? sp - arg : (long)strlen(arg)), arg, 31);
		memcpy(m->set.name, arg, (size_t)(sp - arg));
		m->set.inv = inv;
		for (d = sp + 1; d; ) {
			const char *c = strchr(d, ',');

			if (m->set.dim == 6)
				return bw_ipt_err(p, loc, PP, "Can't be more src/dst options than %i.", 6);
			m->set.dim++;
			if (!strncmp(d, "src", 3))
				m->set.src |= (uint8_t)(1u << (m->set.dim - 1));
			else if (strncmp(d, "dst", 3))
				return bw_ipt_err(p, loc, PP,
						  "You must spefify (the comma separated list of) 'src' or 'dst'.");
			d = c ? c + 1 : NULL;
		}
		break;
	case O_NOMATCH:
		m->set.nomatch = true;
		break;
	case O_COUNTERS:
		m->set.skip_counters |= inv;
		break;
	case O_SUBCOUNTERS:
		m->set.skip_subcounters |= inv;
		break;
	default:
		return bw_ipt_err(p, loc, PP,
				  "bpfwall: --%s matches on the counters of the set's entries, which bpfwall's sets do not keep; not compiled",
				  o->name);
	}
	m->seen = 1;
	return 0;
}

static int set_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		     struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	if (!m->set.dim)
		return bw_ipt_err(p, &m->loc, PP,
				  "You must specify `--match-set' with proper arguments");
	return 0;
}

static void set_print(FILE *f, const struct bw_ipt_match *m, const char *opt,
		      const char *sep)
{
	fprintf(f, "%s %s %s", m->set.inv ? " !" : "", opt, m->set.name);
	for (int d = 0; d < m->set.dim; d++)
		fprintf(f, "%s%s", d ? "," : " ", m->set.src & (1u << d) ? "src" : "dst");
	if (m->set.nomatch)
		fprintf(f, " %sreturn-nomatch", sep);
	if (m->set.skip_counters)
		fprintf(f, " ! %supdate-counters", sep);
	if (m->set.skip_subcounters)
		fprintf(f, " ! %supdate-subcounters", sep);
}

static void set_save(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	set_print(f, m, "--match-set", "--");
}

static void set_list(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		     bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	set_print(f, m, "match-set", "");
}

const struct bw_ipt_ext bw_ipt_ext_set = {
	.name = "set", .opts = set_opts, .parse = set_parse,
	.final = set_final, .save = set_save, .list = set_list,
};

/* ---- the rule against the sets ---- */

int bw_ipt_set_check(const struct bw_ipset_list *l, const struct bw_ipt_rule *r,
		     bool v6, char *msg, size_t len)
{
	for (const struct bw_ipt_match *m = r->match; m; m = m->next) {
		const struct bw_ipset *s;

		if (m->ext != &bw_ipt_ext_set)
			continue;
		s = l ? bw_ipset_find(l, m->set.name) : NULL;
		if (!s) {
			snprintf(msg, len, "Set %s doesn't exist.\n", m->set.name);
			return PP;
		}
		if (s->v6 != v6) {
			snprintf(msg, len, "The protocol family of set %s is %s, which is not applicable.\n",
				 s->name, s->v6 ? "IPv6" : "IPv4");
			return PP;
		}
		if (m->set.dim < bw_ipset_dim(s->type)) {
			/* xt_set: such a match never matches */
			snprintf(msg, len, "bpfwall: --match-set %s gives %u direction%s, set %s of type %s has %d dimensions: xt_set never matches then; not compiled",
				 s->name, m->set.dim, m->set.dim > 1 ? "s" : "", s->name,
				 bw_ipset_type_name(s->type), bw_ipset_dim(s->type));
			return PP;
		}
		if (m->set.inv && bw_ipset_has_port(s->type)) {
			snprintf(msg, len, "bpfwall: ! --match-set %s of type %s is not compiled: xt_set's negation also matches packets without ports of the set's protocol, which bpfwall's port fields do not see",
				 s->name, bw_ipset_type_name(s->type));
			return PP;
		}
	}
	return 0;
}

bool bw_ipt_set_uses(const struct bw_ipt_rule *r, const char *name)
{
	for (const struct bw_ipt_match *m = r->match; m; m = m->next)
		if (m->ext == &bw_ipt_ext_set && !strcmp(m->set.name, name))
			return true;
	return false;
}
