// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall as iptables and ip6tables: one command line, parsed
 * (grammar/ipt_parse.c), run on the tables read from the pin dir under
 * its lock, and the result loaded in one atomic replace; tables and
 * extensions bpfwall does not compile go to iptables-nft.  -L and -S
 * print what iptables 1.8.11 prints.
 */
#include <errno.h>
#include <stdarg.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "ipt.h"
#include "grammar/ipt_ext.h"

static const char *const names[] = {
	"iptables", "ip6tables", "iptables-save", "ip6tables-save",
	"iptables-restore", "ip6tables-restore", "ipset",
};

bool bw_ipt_is_name(const char *name)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	return false;
}

/* ---- the tables in memory ---- */

static int tix(int table)
{
	return table == BW_IPT_RAW ? 1 : 0;
}

struct bw_ipt_chain *bw_xt_chain(struct bw_xt *x, bool v6, int table,
				 const char *name)
{
	if (!x->present[v6][tix(table)])
		return NULL;
	for (struct bw_ipt_chain *c = x->tbl[v6][tix(table)].chains; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

static struct bw_ipt_chain *chain_alloc(struct bw_xt *x, const char *name,
					const struct bw_loc *loc)
{
	struct bw_ipt_chain *c = bw_arena_alloc(x->a, sizeof(*c));

	if (!c)
		return NULL;
	snprintf(c->name, sizeof(c->name), "%s", name);
	if (loc)
		c->loc = *loc;
	c->policy = BW_IPT_T_ACCEPT;
	return c;
}

void bw_xt_table_reset(struct bw_xt *x, bool v6, int table)
{
	struct bw_ipt_tbl *t = &x->tbl[v6][tix(table)];
	struct bw_ipt_chain **tail = &t->chains;

	t->table = table;
	t->v6 = v6;
	t->chains = NULL;
	for (const char *const *b = bw_ipt_builtins(table); *b; b++) {
		struct bw_ipt_chain *c = chain_alloc(x, *b, NULL);

		if (!c)
			return;
		c->builtin = true;
		*tail = c;
		tail = &c->next;
	}
	x->present[v6][tix(table)] = true;
}

struct bw_ipt_tbl *bw_xt_table(struct bw_xt *x, bool v6, int table)
{
	if (!x->present[v6][tix(table)])
		bw_xt_table_reset(x, v6, table);
	return &x->tbl[v6][tix(table)];
}

/* User chains are kept sorted by name after the builtins (as iptables
 * lists them). */
struct bw_ipt_chain *bw_xt_chain_new(struct bw_xt *x, bool v6, int table,
				     const char *name, const struct bw_loc *loc)
{
	struct bw_ipt_tbl *t = bw_xt_table(x, v6, table);
	struct bw_ipt_chain **p = &t->chains, *c = chain_alloc(x, name, loc);

	if (!c)
		return NULL;
	while (*p && ((*p)->builtin || strcmp((*p)->name, name) < 0))
		p = &(*p)->next;
	c->next = *p;
	*p = c;
	return c;
}

/* ---- messages ---- */

static int fail(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

static int perr(const char *prog, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int perr(const char *prog, int status, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s v%s (nf_tables): ", prog, BW_IPT_VERSION);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (status == BW_IPT_EXIT_PARAM)
		fprintf(stderr, "Try `%s -h' or '%s --help' for more information.\n",
			prog, prog);
	return status;
}

/* ---- commands ---- */

static uint32_t refs(struct bw_xt *x, bool v6, int table, const char *name)
{
	uint32_t n = 0;

	for (struct bw_ipt_chain *c = x->tbl[v6][tix(table)].chains; c; c = c->next)
		for (struct bw_ipt_rule *r = c->rules; r; r = r->next)
			if ((r->target.kind == BW_IPT_T_JUMP ||
			     r->target.kind == BW_IPT_T_GOTO) &&
			    !strcmp(r->target.chain, name))
				n++;
	return n;
}

static void rule_insert(struct bw_ipt_chain *c, struct bw_ipt_rule *r, uint32_t pos)
{
	struct bw_ipt_rule **p = &c->rules;

	if (pos > c->nrules && c->rules_last)	/* append: no walk */
		p = &c->rules_last->next;
	for (uint32_t i = 1; i < pos && *p; i++)
		p = &(*p)->next;
	r->next = *p;
	*p = r;
	if (!r->next)
		c->rules_last = r;
	c->nrules++;
}

static struct bw_ipt_rule *rule_remove(struct bw_ipt_chain *c, uint32_t pos)
{
	struct bw_ipt_rule **p = &c->rules, *r, *prev = NULL;

	for (uint32_t i = 1; i < pos && *p; i++) {
		prev = *p;
		p = &(*p)->next;
	}
	r = *p;
	if (!r)
		return NULL;
	*p = r->next;
	if (c->rules_last == r)
		c->rules_last = prev;
	c->nrules--;
	r->next = NULL;
	return r;
}

static uint32_t rule_find(struct bw_ipt_chain *c, const struct bw_ipt_rule *r)
{
	uint32_t i = 1;

	for (struct bw_ipt_rule *x = c->rules; x; x = x->next, i++)
		if (bw_ipt_rule_eq(x, r))
			return i;
	return 0;
}

/* A jump's target exists, and is not a builtin chain. */
static int check_target(struct bw_xt *x, bool v6, int table,
			const struct bw_ipt_rule *r, const char *prog)
{
	struct bw_ipt_chain *t;

	if (r->target.kind != BW_IPT_T_JUMP && r->target.kind != BW_IPT_T_GOTO)
		return 0;
	t = bw_xt_chain(x, v6, table, r->target.chain);
	if (!t)
		return perr(prog, BW_IPT_EXIT_PARAM, "Chain '%s' does not exist",
			    r->target.chain);
	if (t->builtin)
		return perr(prog, BW_IPT_EXIT_PARAM, "Cannot jump to a built-in chain `%s'",
			    r->target.chain);
	return 0;
}

static int chain_name_ok(const char *name, const char *prog)
{
	if (strlen(name) > BW_IPT_CHAIN_MAX - 1)
		return perr(prog, BW_IPT_EXIT_PARAM,
			    "chain name `%s' too long (must be under %u chars)",
			    name, BW_IPT_CHAIN_MAX);
	if (name[0] == '-' || name[0] == '!' || !name[0])
		return perr(prog, BW_IPT_EXIT_PARAM,
			    "chain name not allowed to start with `%c'", name[0]);
	if (!strcmp(name, "ACCEPT") || !strcmp(name, "DROP") ||
	    !strcmp(name, "RETURN") || !strcmp(name, "REJECT") ||
	    !strcmp(name, "LOG") || !strcmp(name, "NFLOG") ||
	    bw_ipt_ext_known(name, true))
		return perr(prog, BW_IPT_EXIT_PARAM,
			    "chain name may not clash with target name");
	for (const char *p = name; *p; p++)
		if (*p == ' ' || *p == '\t')
			return perr(prog, BW_IPT_EXIT_PARAM, "Invalid chain name `%s'", name);
	return 0;
}

static void zero_chain(struct bw_ipt_chain *c, uint32_t only)
{
	uint32_t i = 1;

	if (!only)
		c->pkts = c->bytes = 0;
	for (struct bw_ipt_rule *r = c->rules; r; r = r->next, i++)
		if (!only || only == i)
			r->pkts = r->bytes = 0;
}

int bw_xt_exec(struct bw_xt *x, bool v6, const struct bw_ipt_cmd *c, FILE *out,
	       bool *changed, const char *prog)
{
	int table = c->table;
	struct bw_ipt_chain *ch = c->chain ? bw_xt_chain(x, v6, table, c->chain) : NULL;
	const char *nochain = "iptables: No chain/target/match by that name.";
	int err;

	if (!strncmp(prog, "ip6", 3))
		nochain = "ip6tables: No chain/target/match by that name.";
	/* -m set: iptables asks for the set while it parses */
	for (const struct bw_ipt_rule *r = c->rule; r; r = r->next) {
		char msg[320];

		err = bw_ipt_set_check(&x->sets, r, v6, msg, sizeof(msg));
		if (err) {
			size_t l = strlen(msg);

			if (l && msg[l - 1] == '\n')
				msg[l - 1] = 0;
			return perr(v6 ? "ip6tables" : "iptables", err, "%s", msg);
		}
	}
	switch (c->cmd) {
	case 'L':
	case 'S':
		if (c->chain && !ch)
			return fail(BW_IPT_EXIT_OTHER, "%s", nochain);
		if (c->rulenum && ch && c->rulenum > ch->nrules)
			return fail(BW_IPT_EXIT_OTHER, "%s", nochain);
		err = c->cmd == 'L' ? bw_xt_list(x, v6, c, out) :
		      bw_xt_list_rules(x, v6, c, out);
		if (err || !c->cmd2)
			return err;
		/* -L -Z: then zero */
		for (struct bw_ipt_chain *z = x->present[v6][tix(table)] ?
		     x->tbl[v6][tix(table)].chains : NULL; z; z = z->next)
			if (!ch || z == ch)
				zero_chain(z, 0);
		*changed = true;
		return 0;
	case 'N':
		err = chain_name_ok(c->chain, prog);
		if (err)
			return err;
		if (bw_xt_chain(x, v6, table, c->chain))
			return fail(BW_IPT_EXIT_OTHER, "%s: Chain already exists.",
				    v6 ? "ip6tables" : "iptables");
		if (!bw_xt_chain_new(x, v6, table, c->chain, &c->chain_loc))
			return fail(BW_IPT_EXIT_OTHER, "out of memory");
		*changed = true;
		return 0;
	case 'P':
		if (!ch || !ch->builtin)
			return fail(BW_IPT_EXIT_OTHER, "%s: Bad built-in chain name.",
				    v6 ? "ip6tables" : "iptables");
		if (strcmp(c->arg2, "ACCEPT") && strcmp(c->arg2, "DROP"))
			return fail(BW_IPT_EXIT_OTHER, "%s: Bad policy name. Run `dmesg' for more information.",
				    v6 ? "ip6tables" : "iptables");
		ch->policy = strcmp(c->arg2, "DROP") ? BW_IPT_T_ACCEPT : BW_IPT_T_DROP;
		*changed = true;
		return 0;
	case 'F':
	case 'Z':
	case 'X':
		if (c->chain && !ch)
			return fail(BW_IPT_EXIT_OTHER, "%s", nochain);
		break;
	case 'E':
		if (!ch || ch->builtin)
			return fail(BW_IPT_EXIT_OTHER, "%s", nochain);
		err = chain_name_ok(c->arg2, prog);
		if (err)
			return err;
		if (bw_xt_chain(x, v6, table, c->arg2))
			return fail(BW_IPT_EXIT_OTHER, "%s: File exists.",
				    v6 ? "ip6tables" : "iptables");
		{
			struct bw_ipt_tbl *t = &x->tbl[v6][tix(table)];
			struct bw_ipt_chain **p = &t->chains, *moved;
			char old[BW_IPT_CHAIN_MAX + 1];

			snprintf(old, sizeof(old), "%s", ch->name);
			while (*p != ch)
				p = &(*p)->next;
			*p = ch->next;
			moved = bw_xt_chain_new(x, v6, table, c->arg2, &ch->loc);
			if (!moved)
				return fail(BW_IPT_EXIT_OTHER, "out of memory");
			moved->rules = ch->rules;
			moved->rules_last = ch->rules_last;
			moved->nrules = ch->nrules;
			for (struct bw_ipt_chain *k = t->chains; k; k = k->next)
				for (struct bw_ipt_rule *r = k->rules; r; r = r->next)
					if ((r->target.kind == BW_IPT_T_JUMP ||
					     r->target.kind == BW_IPT_T_GOTO) &&
					    !strcmp(r->target.chain, old))
						snprintf(r->target.chain, sizeof(r->target.chain),
							 "%s", c->arg2);
		}
		*changed = true;
		return 0;
	default:
		if (!ch)
			return fail(BW_IPT_EXIT_OTHER, "%s", nochain);
		break;
	}
	switch (c->cmd) {
	case 'A':
	case 'I':
	case 'R':
		for (const struct bw_ipt_rule *r = c->rule; r; r = r->next) {
			err = check_target(x, v6, table, r, prog);
			if (err)
				return err;
		}
		break;
	}
	switch (c->cmd) {
	case 'A':
		for (struct bw_ipt_rule *r = c->rule, *n; r; r = n) {
			n = r->next;
			rule_insert(ch, r, ch->nrules + 1);
		}
		*changed = true;
		return 0;
	case 'I': {
		uint32_t pos = c->rulenum ? c->rulenum : 1;

		if (pos > ch->nrules + 1)
			return fail(BW_IPT_EXIT_OTHER, "%s: Index of insertion too big.",
				    v6 ? "ip6tables" : "iptables");
		for (struct bw_ipt_rule *r = c->rule, *n; r; r = n, pos++) {
			n = r->next;
			rule_insert(ch, r, pos);
		}
		*changed = true;
		return 0;
	}
	case 'R':
		if (c->rulenum > ch->nrules)
			return fail(BW_IPT_EXIT_OTHER, "%s: Index of replacement too big.",
				    v6 ? "ip6tables" : "iptables");
		if (c->rule && c->rule->next)
			return perr(prog, BW_IPT_EXIT_PARAM,
				    "-R requires a single source and destination");
		rule_remove(ch, c->rulenum);
		rule_insert(ch, c->rule, c->rulenum);
		*changed = true;
		return 0;
	case 'D':
		if (!c->rule) {
			if (c->rulenum > ch->nrules)
				return fail(BW_IPT_EXIT_OTHER, "%s: Index of deletion too big.",
					    v6 ? "ip6tables" : "iptables");
			rule_remove(ch, c->rulenum);
			*changed = true;
			return 0;
		}
		for (const struct bw_ipt_rule *r = c->rule; r; r = r->next) {
			uint32_t pos = rule_find(ch, r);

			if (!pos)
				return fail(BW_IPT_EXIT_OTHER,
					    "%s: Bad rule (does a matching rule exist in that chain?).",
					    v6 ? "ip6tables" : "iptables");
			rule_remove(ch, pos);
		}
		*changed = true;
		return 0;
	case 'C':
		for (const struct bw_ipt_rule *r = c->rule; r; r = r->next)
			if (!rule_find(ch, r))
				return fail(BW_IPT_EXIT_OTHER,
					    "%s: Bad rule (does a matching rule exist in that chain?).",
					    v6 ? "ip6tables" : "iptables");
		return 0;
	case 'F':
		for (struct bw_ipt_chain *k = x->present[v6][tix(table)] ?
		     x->tbl[v6][tix(table)].chains : NULL; k; k = k->next)
			if (!ch || k == ch) {
				k->rules = k->rules_last = NULL;
				k->nrules = 0;
			}
		*changed = x->present[v6][tix(table)];
		return 0;
	case 'Z':
		for (struct bw_ipt_chain *k = x->present[v6][tix(table)] ?
		     x->tbl[v6][tix(table)].chains : NULL; k; k = k->next)
			if (!ch || k == ch)
				zero_chain(k, c->rulenum);
		*changed = x->present[v6][tix(table)];
		return 0;
	case 'X': {
		struct bw_ipt_tbl *t = &x->tbl[v6][tix(table)];

		if (!x->present[v6][tix(table)])
			return 0;
		if (ch && ch->builtin)
			return fail(BW_IPT_EXIT_OTHER, "%s: Invalid argument.",
				    v6 ? "ip6tables" : "iptables");
		for (struct bw_ipt_chain **p = &t->chains; *p; ) {
			struct bw_ipt_chain *k = *p;

			if (k->builtin || (ch && k != ch)) {
				p = &k->next;
				continue;
			}
			/* iptables-nft: the kernel refuses the delete (4) */
			if (refs(x, v6, table, k->name))
				return perr(prog, BW_IPT_EXIT_RESOURCE,
					    " CHAIN_DEL failed (Device or resource busy): chain %s",
					    k->name);
			if (k->nrules && ch)
				return perr(prog, BW_IPT_EXIT_RESOURCE,
					    " CHAIN_DEL failed (Directory not empty): chain %s",
					    k->name);
			*p = k->next;
		}
		*changed = true;
		return 0;
	}
	}
	return perr(prog, BW_IPT_EXIT_PARAM, "unknown command");
}

/* ---- -L ---- */

static void print_num(FILE *f, uint64_t n, bool exact, bool notable)
{
	static const char units[] = "KMGT";

	if (exact) {
		fprintf(f, notable ? "%llu " : "%8llu ", (unsigned long long)n);
		return;
	}
	if (n <= 99999) {
		fprintf(f, notable ? "%llu " : "%5llu ", (unsigned long long)n);
		return;
	}
	for (int i = 0; i < 4; i++) {
		n = (n + 500) / 1000;
		if (n <= 9999 || i == 3) {
			fprintf(f, notable ? "%llu%c " : "%4llu%c ",
				(unsigned long long)n, units[i]);
			return;
		}
	}
}

static void list_header(FILE *f, struct bw_xt *x, bool v6, int table,
			const struct bw_ipt_chain *ch, const struct bw_ipt_cmd *c)
{
	fprintf(f, "Chain %s", ch->name);
	if (ch->builtin) {
		fprintf(f, " (policy %s", ch->policy == BW_IPT_T_DROP ? "DROP" : "ACCEPT");
		if (c->verbose) {
			fputc(' ', f);
			print_num(f, ch->pkts, c->exact, true);
			fputs("packets, ", f);
			print_num(f, ch->bytes, c->exact, true);
			fputs("bytes", f);
		}
		fputs(")\n", f);
	} else {
		fprintf(f, " (%u references)\n", refs(x, v6, table, ch->name));
	}
	if (c->line_numbers)
		fprintf(f, "%-4s ", "num");
	if (c->verbose) {
		if (c->exact)
			fprintf(f, "%8s %10s ", "pkts", "bytes");
		else
			fprintf(f, "%5s %5s ", "pkts", "bytes");
	}
	fprintf(f, "%-9s ", "target");
	fputs(" prot opt", f);
	if (c->verbose)
		fprintf(f, " %-6s %-6s ", "in", "out");
	fprintf(f, " %-19s  %-19s \n", "source", "destination");
}

static void list_rule(FILE *f, const struct bw_ipt_rule *r, uint32_t n,
		      const struct bw_ipt_cmd *c)
{
	const char *tn = bw_ipt_target_name(&r->target);
	char pbuf[8], ifb[20];
	static const uint8_t none[16];

	if (c->line_numbers)
		fprintf(f, "%-4u ", n);
	if (c->verbose) {
		print_num(f, r->pkts, c->exact, false);
		print_num(f, r->bytes, c->exact, false);
	}
	fprintf(f, "%-9s ", tn ? tn : "");
	fputc(r->inv_proto ? '!' : ' ', f);
	if (c->numeric || (r->has_proto && !r->proto))
		fprintf(f, "%-4u ", r->has_proto ? r->proto : 0);
	else
		fprintf(f, "%-4s ", r->has_proto ? bw_ipt_proto_name(r->proto, pbuf) : "all");
	fputc(r->inv_frag ? '!' : '-', f);
	fputc(r->frag ? 'f' : '-', f);
	fputc(' ', f);
	if (c->verbose) {
		const char *any = c->numeric ? "*" : "any";

		snprintf(ifb, sizeof(ifb), "%s%s", r->inv_in ? "!" : "", r->in[0] ? r->in : any);
		fprintf(f, " %-6s ", ifb);
		snprintf(ifb, sizeof(ifb), "%s%s", r->inv_out ? "!" : "", r->out[0] ? r->out : any);
		fprintf(f, "%-6s ", ifb);
	}
	for (int k = 0; k < 2; k++) {
		const uint8_t *a = k ? r->dst : r->src, *m = k ? r->dmsk : r->smsk;
		bool has = k ? r->has_dst : r->has_src, inv = k ? r->inv_dst : r->inv_src;
		char buf[128];
		FILE *mf = fmemopen(buf, sizeof(buf), "w");

		if (!mf)
			continue;
		bw_ipt_print_addr(mf, r->v6, has ? a : none, has ? m : none, false,
				  c->numeric);
		fclose(mf);
		buf[sizeof(buf) - 1] = 0;
		fputc(inv ? '!' : ' ', f);
		fprintf(f, "%-19s ", buf);
	}
	bw_ipt_print_list(f, r, c->numeric);
	fputc('\n', f);
}

int bw_xt_list(struct bw_xt *x, bool v6, const struct bw_ipt_cmd *c, FILE *out)
{
	int table = c->table;
	bool first = true;
	struct bw_ipt_tbl tmp = { .table = table, .v6 = v6 };
	const struct bw_ipt_tbl *t = x->present[v6][tix(table)] ?
				     &x->tbl[v6][tix(table)] : NULL;

	if (!t) {		/* an empty table lists its builtin chains */
		struct bw_xt y = { .a = x->a };

		bw_xt_table_reset(&y, v6, table);
		tmp = y.tbl[v6][tix(table)];
		t = &tmp;
	}
	for (const struct bw_ipt_chain *ch = t->chains; ch; ch = ch->next) {
		uint32_t n = 1;

		if (c->chain && strcmp(ch->name, c->chain))
			continue;
		if (!c->rulenum) {
			if (!first)
				fputc('\n', out);
			first = false;
			list_header(out, x, v6, table, ch, c);
		}
		for (const struct bw_ipt_rule *r = ch->rules; r; r = r->next, n++)
			if (!c->rulenum || c->rulenum == n)
				list_rule(out, r, n, c);
	}
	return 0;
}

int bw_xt_list_rules(struct bw_xt *x, bool v6, const struct bw_ipt_cmd *c,
		     FILE *out)
{
	int table = c->table;
	struct bw_ipt_tbl tmp;
	const struct bw_ipt_tbl *t = x->present[v6][tix(table)] ?
				     &x->tbl[v6][tix(table)] : NULL;

	if (!t) {
		struct bw_xt y = { .a = x->a };

		bw_xt_table_reset(&y, v6, table);
		tmp = y.tbl[v6][tix(table)];
		t = &tmp;
	}
	for (int pass = 0; pass < 2; pass++)
		for (const struct bw_ipt_chain *ch = t->chains; ch; ch = ch->next) {
			uint32_t n = 1;

			if (c->chain && strcmp(ch->name, c->chain))
				continue;
			if (pass == 0) {
				if (c->rulenum)
					continue;
				if (ch->builtin) {
					fprintf(out, "-P %s %s", ch->name,
						ch->policy == BW_IPT_T_DROP ? "DROP" : "ACCEPT");
					if (c->verbose)
						fprintf(out, " -c %llu %llu",
							(unsigned long long)ch->pkts,
							(unsigned long long)ch->bytes);
					fputc('\n', out);
				} else {
					fprintf(out, "-N %s\n", ch->name);
				}
				continue;
			}
			for (const struct bw_ipt_rule *r = ch->rules; r; r = r->next, n++) {
				if (c->rulenum && c->rulenum != n)
					continue;
				bw_ipt_print_rule(out, ch->name, r);
				if (c->verbose)
					fprintf(out, " -c %llu %llu",
						(unsigned long long)r->pkts,
						(unsigned long long)r->bytes);
				fputc('\n', out);
			}
		}
	return 0;
}

/* ---- the iptables command ---- */

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "%s v%s (bpfwall)\n\n"
		"Usage: %s -[ACD] chain rule-specification [options]\n"
		"       %s -I chain [rulenum] rule-specification [options]\n"
		"       %s -R chain rulenum rule-specification [options]\n"
		"       %s -D chain rulenum [options]\n"
		"       %s -[LS] [chain [rulenum]] [options]\n"
		"       %s -[FZ] [chain] [options]\n"
		"       %s -[NX] chain\n"
		"       %s -E old-chain-name new-chain-name\n"
		"       %s -P chain target [options]\n"
		"       %s -h (print this help information)\n\n"
		"The filter and raw tables are compiled by bpfwall; nat, mangle,\n"
		"security and extensions bpfwall does not compile are passed to\n"
		"iptables-nft (--strict: refused).  See bpfwall-iptables(8).\n",
		prog, BW_IPT_VERSION, prog, prog, prog, prog, prog, prog, prog,
		prog, prog, prog);
}

/* Words of argv[1..] with locations in a "<command line>" source. */
static int argv_words(struct bw_arena *a, struct bw_diags *d, int argc,
		      char **argv, struct bw_ipt_words *w)
{
	size_t len = 1;
	char *text, *p;
	const struct bw_src *src;
	uint32_t col = 1;

	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	text = calloc(1, len);
	if (!text)
		return -ENOMEM;
	p = text;
	for (int i = 1; i < argc; i++)
		p += sprintf(p, "%s%s", i > 1 ? " " : "", argv[i]);
	src = bw_src_string(d, "<command line>", text);
	free(text);
	if (!src)
		return -ENOMEM;
	w->n = argc - 1;
	w->w = bw_arena_alloc(a, (size_t)(argc + 1) * sizeof(char *));
	w->loc = bw_arena_alloc(a, (size_t)(argc + 1) * sizeof(struct bw_loc));
	if (!w->w || !w->loc)
		return -ENOMEM;
	for (int i = 1; i < argc; i++) {
		uint32_t l = (uint32_t)strlen(argv[i]);

		w->w[i - 1] = argv[i];
		w->loc[i - 1] = (struct bw_loc){ src, 1, col, 1, l ? col + l - 1 : col };
		col += l + 1;
	}
	return 0;
}

/* Print the parser's iptables message and its caret diagnostic. */
static int parse_failed(struct bw_diags *d, int status, const char *prog)
{
	const struct bw_diag *first = d->head;

	if (status == -ENOMEM)
		return fail(BW_IPT_EXIT_OTHER, "%s: out of memory", prog);
	if (first && first->msg)
		perr(prog, status, "%s", first->msg);
	bw_diags_print(d, stderr);
	return status;
}

static int iptables(int argc, char **argv, bool v6, const struct bw_ipt_opts *o)
{
	const char *prog = v6 ? "ip6tables" : "iptables";
	struct bw_xt x = { 0 };
	struct bw_rt_xt rt;
	struct bw_ipt_words w;
	struct bw_ipt_cmd c;
	struct bw_diags d;
	bool changed = false, write;
	int rc;

	bw_diags_init(&d);
	if (bw_arena_new(&x.a)) {
		bw_diags_fini(&d);
		return BW_IPT_EXIT_OTHER;
	}
	x.d = &d;
	rc = argv_words(x.a, &d, argc, argv, &w);
	if (!rc)
		rc = bw_ipt_parse(x.a, &w, v6, false, &d, &c);
	if (rc == BW_IPT_UNSUPPORTED) {
		bw_diags_fini(&d);
		bw_ipset_list_free(&x.sets);
	bw_arena_free(&x.a);
		return bw_ipt_pass(v6 ? "ip6tables-nft" : "iptables-nft", argc, argv,
				   c.unsupported, o, NULL, 0);
	}
	if (rc) {
		rc = parse_failed(&d, rc, prog);
		goto out;
	}
	if (c.help) {
		usage(stdout, prog);
		goto out;
	}
	if (c.version) {
		printf("%s v%s (bpfwall)\n", prog, BW_IPT_VERSION);
		goto out;
	}
	if ((c.v4_only && v6) || (c.v6_only && !v6))
		goto out;	/* iptables-restore -4/-6 lines: not ours */
	bw_rt_set_lock_wait(c.wait_given ? c.wait : 0);
	write = !strchr("LSC", c.cmd) || c.cmd2;
	rc = bw_rt_xt_open(&o->rt, write, &rt, &d);
	if (rc == -EBUSY) {
		bw_diags_fini(&d);
		bw_diags_init(&d);
		rc = fail(BW_IPT_EXIT_RESOURCE,
			  "Another app is currently holding the xtables lock. %s",
			  c.wait_given ? "Stopped waiting after the given time." :
			  "Perhaps you want to use the -w option?");
		goto out_nort;
	}
	if (rc) {
		bw_diags_print(&d, stderr);
		rc = BW_IPT_EXIT_OTHER;
		goto out_rt;
	}
	rc = bw_xt_load(&x, &rt);
	if (rc)
		goto out_rt;
	if (write && c.cmd != 'L')	/* a write makes the table */
		bw_xt_table(&x, v6, c.table);
	rc = bw_xt_exec(&x, v6, &c, stdout, &changed, prog);
	if (!rc && changed)
		rc = bw_xt_commit(&x, &rt, o, false, prog);
out_rt:
	bw_rt_xt_close(&rt);
out_nort:
out:
	bw_diags_fini(&d);
	bw_ipset_list_free(&x.sets);
	bw_arena_free(&x.a);
	return rc;
}

int bw_ipt_main(int argc, char **argv, const struct bw_ipt_opts *o)
{
	char *base = strrchr(argv[0], '/');
	const char *name = base ? base + 1 : argv[0];
	bool v6 = !strncmp(name, "ip6", 3);
	int rc;

	if (fflush(stdout) == EOF)
		return BW_IPT_EXIT_OTHER;
	if (!strcmp(name, "ipset"))
		rc = bw_ipset_main(argc, argv, o);
	else if (strstr(name, "-save"))
		rc = bw_ipt_save_main(argc, argv, v6, o);
	else if (strstr(name, "-restore"))
		rc = bw_ipt_restore_main(argc, argv, v6, o);
	else
		rc = iptables(argc, argv, v6, o);
	if (fflush(stdout) && !rc)
		rc = BW_IPT_EXIT_OTHER;
	return rc;
}
