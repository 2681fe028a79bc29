// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iptables tables as text: the restore format read into the tables
 * (iptables-restore, and the pinned form beside the running ruleset),
 * the tables written out (iptables-save, the pinned form), and composing
 * them with the nft-language ruleset into one IR that is loaded in one
 * atomic replace.
 *
 * The pinned form is the restore format with "%4"/"%6" family lines and
 * each rule's and policy's counter handle ("@H") instead of its counts:
 * the counts live in the running ruleset's counters map.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ipt.h"
#include "drive.h"
#include "grammar/ipt_ext.h"
#include "compiler/front/evaluate.h"

static int tix(int table)
{
	return table == BW_IPT_RAW ? 1 : 0;
}

/* "[p:b]" at s: 1 and the counts, 0 when s is not one. */
static int counts(const char *s, uint64_t *p, uint64_t *b, size_t *len)
{
	unsigned long long x, y;
	char buf[64];
	int n = 0;

	if (s[0] != '[')
		return 0;
	/* sscanf measures its whole input: a copy, not the rest of the text */
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(s, "\n"), s);
	if (sscanf(buf, "[%llu:%llu]%n", &x, &y, &n) != 2 || !n)
		return 0;
	*p = x;
	*b = y;
	*len = (size_t)n;
	return 1;
}

static int rerr(const struct bw_xt_restore *o, uint32_t line, int status,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int rerr(const struct bw_xt_restore *o, uint32_t line, int status,
		const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s v%s (nf_tables): ", o->prog, BW_IPT_VERSION);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nError occurred at line: %u\n", line);
	return status;
}

int bw_xt_restore(struct bw_xt *x, const struct bw_src *src,
		  const struct bw_xt_restore *o, uint32_t *bad_line)
{
	const char *p = src->text, *end = src->text + src->len;
	bool v6 = o->v6, in_table = false, ours = false, in_sets = false;
	int table = -1;
	uint32_t line = 0, block_start = 0;
	size_t block_off = 0;
	int rc = 0;

	for (; p < end && !rc; ) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *s = p, *e = p + len, *line_start = p;
		uint64_t pk = 0, by = 0;
		size_t n;

		line++;
		p = nl ? nl + 1 : end;
		while (s < e && isspace((unsigned char)*s))
			s++;
		while (e > s && isspace((unsigned char)e[-1]))
			e--;
		*bad_line = line;
		if (s == e || *s == '#')
			continue;
		if (o->pinned && *s == '%') {
			in_sets = !strncmp(s, "%ipset", 6);
			v6 = s[1] == '6';
			continue;
		}
		if (in_sets) {		/* ipset's sets, in `ipset save` form */
			char *l = strndup(s, (size_t)(e - s));

			rc = l ? bw_ipset_pinned_line(x, l) : -ENOMEM;
			free(l);
			if (rc)
				return BW_IPT_EXIT_OTHER;
			continue;
		}
		if (in_table && !ours) {
			/* another table's block: iptables-nft's */
			if (e - s == 6 && !memcmp(s, "COMMIT", 6)) {
				size_t blen = (size_t)(p - (src->text + block_off));
				char *np;

				in_table = false;
				if (!o->pass)
					return rerr(o, line, BW_IPT_EXIT_OTHER,
						    "table `%s' is not compiled by bpfwall",
						    bw_ipt_table_name[table]);
				np = realloc(*o->pass, *o->pass_len + blen + 1);
				if (!np)
					return BW_IPT_EXIT_OTHER;
				memcpy(np + *o->pass_len, src->text + block_off, blen);
				*o->pass_len += blen;
				np[*o->pass_len] = 0;
				*o->pass = np;
			}
			continue;
		}
		if (*s == '*') {
			char name[32];

			if (in_table)
				return rerr(o, line, BW_IPT_EXIT_PARAM,
					    "no COMMIT line before the table line");
			snprintf(name, sizeof(name), "%.*s", (int)(e - s - 1), s + 1);
			table = bw_ipt_table_find(name);
			if (table < 0)
				return rerr(o, line, BW_IPT_EXIT_OTHER,
					    "table '%s' does not exist", name);
			in_table = true;
			block_start = line;
			block_off = (size_t)(s - src->text);
			ours = bw_ipt_table_ours(table) &&
			       (o->only_table < 0 || o->only_table == table);
			if (!ours && o->only_table >= 0 && o->only_table != table)
				ours = true, table = -2;	/* -T: skipped */
			if (table >= 0 && ours && !o->noflush)
				bw_xt_table_reset(x, v6, table);
			else if (table >= 0 && ours)
				bw_xt_table(x, v6, table);
			continue;
		}
		if (!in_table)
			return rerr(o, line, BW_IPT_EXIT_PARAM, "no table specified");
		if (e - s == 6 && !memcmp(s, "COMMIT", 6)) {
			in_table = false;
			continue;
		}
		if (table == -2)
			continue;
		if (*s == ':') {
			char name[64], pol[16];
			struct bw_ipt_chain *c;
			const char *q = s + 1;
			int k = 0;
			struct bw_loc loc = { src, line, 1, line, (uint32_t)(e - line_start) };

			char lbuf[256];

			snprintf(lbuf, sizeof(lbuf), "%.*s", (int)(e - q), q);
			if (sscanf(lbuf, "%63s %15s%n", name, pol, &k) != 2)
				return rerr(o, line, BW_IPT_EXIT_PARAM, "Bad chain line");
			q += k;
			while (q < e && isspace((unsigned char)*q))
				q++;
			if (o->pinned && *q == '@') {
				bw_rt_xt_counter(o->rt, (uint32_t)strtoul(q + 1, NULL, 10),
						 &pk, &by);
			} else if (q < e && counts(q, &pk, &by, &n)) {
				if (!o->counters)
					pk = by = 0;
			}
			c = bw_xt_chain(x, v6, table, name);
			if (!c) {
				for (const char *const *b = bw_ipt_builtins(table); *b; b++)
					if (!strcmp(*b, name))
						return rerr(o, line, BW_IPT_EXIT_OTHER,
							    "Bad built-in chain name `%s'", name);
				if (strlen(name) > BW_IPT_CHAIN_MAX - 1)
					return rerr(o, line, BW_IPT_EXIT_PARAM,
						    "Invalid chain name `%s' (%u chars max)",
						    name, BW_IPT_CHAIN_MAX - 1);
				c = bw_xt_chain_new(x, v6, table, name, &loc);
				if (!c)
					return BW_IPT_EXIT_OTHER;
			} else if (!c->builtin) {
				c->rules = c->rules_last = NULL;	/* flushed */
				c->nrules = 0;
			}
			c->loc = loc;
			if (c->builtin) {
				if (strcmp(pol, "ACCEPT") && strcmp(pol, "DROP"))
					return rerr(o, line, BW_IPT_EXIT_PARAM,
						    "Can't set policy `%s' on `%s'", pol, name);
				c->policy = strcmp(pol, "DROP") ? BW_IPT_T_ACCEPT : BW_IPT_T_DROP;
			}
			c->pkts = pk;
			c->bytes = by;
			continue;
		}
		{
			struct bw_ipt_words w;
			struct bw_ipt_cmd c;
			bool changed = false;
			const char *rs = s;

			if (o->pinned && *rs == '@') {
				char *after;

				bw_rt_xt_counter(o->rt, (uint32_t)strtoul(rs + 1, &after, 10),
						 &pk, &by);
				rs = after;
			} else if (counts(rs, &pk, &by, &n)) {
				rs += n;
				if (!o->counters)
					pk = by = 0;
			}
			rc = bw_ipt_split(x->a, src, line, rs, (size_t)(e - rs), &w, x->d);
			if (rc)
				return BW_IPT_EXIT_PARAM;
			/* columns from the line's start */
			for (int i = 0; i < w.n; i++) {
				uint32_t off = (uint32_t)(rs - line_start);

				w.loc[i].col += off;
				w.loc[i].end_col += off;
			}
			rc = bw_ipt_parse(x->a, &w, v6, true, x->d, &c);
			if (rc == BW_IPT_UNSUPPORTED)
				return rerr(o, line, BW_IPT_EXIT_OTHER,
					    "%s is not compiled by bpfwall (table %s)",
					    c.unsupported, bw_ipt_table_name[table]);
			if (rc) {
				const struct bw_diag *dg = x->d->head;

				return rerr(o, line, rc, "%s", dg && dg->msg ? dg->msg : "parse error");
			}
			c.table = table;
			for (struct bw_ipt_rule *r = c.rule; r; r = r->next) {
				r->pkts = pk;
				r->bytes = by;
			}
			rc = bw_xt_exec(x, v6, &c, stdout, &changed, o->prog);
			if (rc)
				fprintf(stderr, "Error occurred at line: %u\n", line);
		}
	}
	if (!rc && in_table) {
		*bad_line = line + 1;
		return rerr(o, block_start, BW_IPT_EXIT_OTHER,
			    "COMMIT expected at line %u", line + 1);
	}
	return rc;
}

char *bw_xt_text(struct bw_xt *x, bool pinned, bool v6only, int only_table,
		 uint32_t (*handle)(void *arg, const struct bw_loc *loc),
		 void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	if (pinned && x->sets.head) {
		fputs("%ipset\n", f);
		for (const struct bw_ipset *s = x->sets.head; s; s = s->next) {
			fprintf(f, "create %s %s ", s->name, bw_ipset_type_name(s->type));
			bw_ipset_print_header(f, s);
			fputc('\n', f);
			for (uint32_t i = 0; i < s->n; i++) {
				fprintf(f, "add %s ", s->name);
				bw_ipset_print_elem(f, s, &s->e[i]);
				fputc('\n', f);
			}
		}
	}
	for (int v6 = 0; v6 < 2; v6++) {
		if (!pinned && v6 != v6only)
			continue;
		if (pinned && (x->present[v6][0] || x->present[v6][1]))
			fprintf(f, "%%%d\n", v6 ? 6 : 4);
		for (int t = 0; t < 2; t++) {
			int table = t ? BW_IPT_RAW : BW_IPT_FILTER;
			const struct bw_ipt_tbl *tb = &x->tbl[v6][t];

			if (!x->present[v6][t] || (only_table >= 0 && only_table != table))
				continue;
			fprintf(f, "*%s\n", bw_ipt_table_name[table]);
			for (const struct bw_ipt_chain *c = tb->chains; c; c = c->next) {
				fprintf(f, ":%s %s", c->name, !c->builtin ? "-" :
					c->policy == BW_IPT_T_DROP ? "DROP" : "ACCEPT");
				if (pinned)
					fprintf(f, " @%u\n", handle ? handle(arg, &c->loc) : 0);
				else
					fprintf(f, " [%llu:%llu]\n", (unsigned long long)c->pkts,
						(unsigned long long)c->bytes);
			}
			for (const struct bw_ipt_chain *c = tb->chains; c; c = c->next)
				for (const struct bw_ipt_rule *r = c->rules; r; r = r->next) {
					if (pinned)
						fprintf(f, "@%u ", handle ? handle(arg, &r->loc) : 0);
					else
						fprintf(f, "[%llu:%llu] ", (unsigned long long)r->pkts,
							(unsigned long long)r->bytes);
					bw_ipt_print_rule(f, c->name, r);
					fputc('\n', f);
				}
			fputs("COMMIT\n", f);
		}
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int bw_xt_load(struct bw_xt *x, const struct bw_rt_xt *rt)
{
	struct bw_xt_restore o = {
		.pinned = true, .counters = true, .rt = rt, .only_table = -1,
		.prog = "bpfwall",
	};
	const struct bw_src *src;
	uint32_t line = 0;
	int rc;

	if (!rt->blob || !rt->blob[0])
		return 0;
	if (rt->stale) {
		fprintf(stderr, "bpfwall: the iptables tables pinned in the pin dir belong to another ruleset than the running one\n"
			"(a load was cut short, or another version loaded it): restore them with iptables-restore, or run `bpfwall flush ruleset'\n");
		return BW_IPT_EXIT_OTHER;
	}
	src = bw_src_string(x->d, "<pinned iptables tables>", rt->blob);
	if (!src)
		return BW_IPT_EXIT_OTHER;
	rc = bw_xt_restore(x, src, &o, &line);
	memcpy(x->loaded, x->present, sizeof(x->loaded));
	if (rc) {
		bw_diags_print(x->d, stderr);
		fprintf(stderr, "bpfwall: the pinned iptables tables cannot be read (line %u)\n", line);
	}
	return rc;
}

/* ---- composing and loading ---- */

/*
 * The nft-language part of the running text: the tables the pinned
 * iptables text held are generated from it and left out.  A table that
 * the nft ruleset defines and x now holds too (made by this command) is
 * iptables-nft's "incompatible" table: *clash names it.
 */
static char *nft_part(const struct bw_xt *x, const char *text, char *clash,
		      size_t clen)
{
	char *out = calloc(1, text ? strlen(text) + 1 : 1);
	const char *p = text;
	size_t o = 0;
	bool skip = false;

	if (!out)
		return NULL;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (!strncmp(p, "table ", 6)) {
			char fam[16], name[64];

			skip = false;
			if (sscanf(p, "table %15s %63s", fam, name) == 2) {
				bool v6 = !strcmp(fam, "ip6");
				int t = bw_ipt_table_find(name);

				if ((v6 || !strcmp(fam, "ip")) && t >= 0 &&
				    bw_ipt_table_ours(t) && x->present[v6][tix(t)]) {
					skip = x->loaded[v6][tix(t)];
					if (!skip && !clash[0])
						snprintf(clash, clen, "%s", name);
				}
			}
		}
		if (!skip) {
			memcpy(out + o, p, len);
			o += len;
		}
		if (skip && p[0] == '}')
			skip = false;
		p += len;
	}
	return out;
}

/* A rule file's tables replace those of the iptables tables of the same
 * family and name (it is loaded as the nft-language ruleset). */
static void file_wins(struct bw_xt *x, const struct bw_ast *ast)
{
	for (const struct bw_ast_item *it = ast->items; it; it = it->next) {
		int t;
		bool v6;

		if (it->kind != BW_AI_TABLE || !it->family)
			continue;
		v6 = !strcmp(it->family, "ip6");
		t = bw_ipt_table_find(it->name);
		if ((!v6 && strcmp(it->family, "ip")) || t < 0 || !bw_ipt_table_ours(t) ||
		    !x->present[v6][tix(t)])
			continue;
		fprintf(stderr, "bpfwall: table %s %s of %s replaces the table iptables commands made\n",
			it->family, it->name, ast->src->name);
		x->present[v6][tix(t)] = false;
	}
}

struct hmap {
	const struct bw_src *src;
	uint32_t *handle;		/* by line of src */
	uint32_t nline;
};

static uint32_t handle_of(void *arg, const struct bw_loc *loc)
{
	const struct hmap *h = arg;

	if (loc->src != h->src || loc->line >= h->nline)
		return 0;
	return h->handle[loc->line];
}

int bw_xt_commit(struct bw_xt *x, struct bw_rt_xt *rt,
		 const struct bw_ipt_opts *o, bool test, const char *prog)
{
	return bw_xt_commit_file(x, rt, o, test, prog, NULL);
}

int bw_xt_commit_file(struct bw_xt *x, struct bw_rt_xt *rt,
		      const struct bw_ipt_opts *o, bool test, const char *prog,
		      const struct bw_src *file)
{
	char clash[64] = "";
	struct bw_xt y = { .a = NULL, .d = x->d };
	struct bw_xt_restore ro = { .counters = true, .pinned = true, .only_table = -1,
				    .prog = prog };
	struct hmap hm = { 0 };
	const struct bw_src *xsrc, *nsrc;
	struct bw_ast *ast = NULL;
	struct bw_ir *ir = NULL;
	char *text = NULL, *nft = NULL, *blob = NULL;
	uint32_t line;
	int rc = BW_IPT_EXIT_OTHER, err;

	if (file) {
		err = bw_ast_parse(file, BW_PARSE_RULESET, x->d, &ast);
		if (err) {
			bw_diags_print(x->d, stderr);
			goto out;
		}
		file_wins(x, ast);
	} else {
		const char *running = bw_rt_xt_text(rt, &err);

		if (err) {
			fprintf(stderr, "%s: cannot read the running ruleset: %s\n", prog,
				strerror(-err));
			goto out;
		}
		nft = nft_part(x, running, clash, sizeof(clash));
		if (!nft)
			goto out;
		if (clash[0]) {
			fprintf(stderr, "%s v%s (nf_tables): table `%s' is incompatible, use 'nft' tool.\n",
				prog, BW_IPT_VERSION, clash);
			goto out;
		}
		nsrc = bw_src_string(x->d, "<running ruleset>", nft);
		if (!nsrc)
			goto out;
		err = bw_ast_parse(nsrc, BW_PARSE_RULESET, x->d, &ast);
		if (err) {
			bw_diags_print(x->d, stderr);
			fprintf(stderr, "%s: the running nft ruleset cannot be read again\n", prog);
			goto out;
		}
	}
	/* the tables as text, read again: every node located in it */
	text = bw_xt_text(x, false, false, -1, NULL, NULL);
	{
		char *t6 = bw_xt_text(x, false, true, -1, NULL, NULL);
		char *all = NULL;

		if (text && t6 && asprintf(&all, "%%4\n%s%%6\n%s", text, t6) < 0)
			all = NULL;
		free(text);
		free(t6);
		text = all;
	}
	if (!text)
		goto out;
	xsrc = bw_src_string(x->d, "iptables", text);
	if (!xsrc)
		goto out;
	y.a = ast->arena;
	y.sets = x->sets;		/* shared, not owned */
	/* "%4"/"%6" family lines and "[p:b]" counts */
	rc = bw_xt_restore(&y, xsrc, &ro, &line);
	if (rc) {
		bw_diags_print(x->d, stderr);
		goto out;
	}
	for (int v6 = 0; v6 < 2; v6++)
		for (int t = 0; t < 2; t++) {
			struct bw_ast_item *tab;

			if (!y.present[v6][t])
				continue;
			y.tbl[v6][t].sets = &y.sets;
			err = bw_ipt_to_ast(ast->arena, &y.tbl[v6][t], x->d, &tab);
			if (err)
				goto out;
			if (ast->items_last)
				ast->items_last->next = tab;
			else
				ast->items = tab;
			ast->items_last = tab;
		}
	err = bw_evaluate(ast, NULL, x->d, &ir);
	if (err) {
		bw_diags_print(x->d, stderr);
		fprintf(stderr, "%s: the rules cannot be compiled (said above)\n", prog);
		rc = BW_IPT_EXIT_OTHER;
		goto out;
	}
	/* each iptables line's counter handle, for the pinned form */
	hm.src = xsrc;
	hm.nline = 2;
	for (const char *c = text; *c; c++)
		hm.nline += *c == '\n';
	hm.handle = calloc(hm.nline, sizeof(*hm.handle));
	if (!hm.handle)
		goto out;
	for (uint32_t c = 0; c < ir->nchain; c++)
		for (uint32_t r = 0; r < ir->chain[c].nrule; r++) {
			const struct bw_ir_rule *ru = &ir->chain[c].rule[r];

			if (ru->loc.src == xsrc && ru->loc.line < hm.nline && ru->counter)
				hm.handle[ru->loc.line] = ru->handle;
		}
	blob = bw_xt_text(&y, true, false, -1, handle_of, &hm);
	if (!blob)
		goto out;
	rc = 0;
	if (!test) {
		struct bw_build *b = NULL;

		err = bw_drive_build(ir, &o->rt, true, false, x->d, &b);
		if (!err)
			err = bw_rt_xt_commit(rt, ir, b, &o->rt, blob, x->d);
		bw_build_free(&b);
		if (err) {
			bw_diags_print(x->d, stderr);
			fprintf(stderr, "%s: loading the rules failed%s%s\n", prog,
				x->d->nerrors ? "" : ": ", x->d->nerrors ? "" : strerror(-err));
			rc = BW_IPT_EXIT_OTHER;
		}
	}
out:
	bw_ir_free(&ir);
	bw_ast_free(&ast);
	free(hm.handle);
	free(blob);
	free(nft);
	free(text);
	return rc;
}

/* ---- iptables-save ---- */

int bw_ipt_save_main(int argc, char **argv, bool v6, const struct bw_ipt_opts *o)
{
	const char *prog = v6 ? "ip6tables-save" : "iptables-save";
	bool counters = false;
	int only = -1, rc;
	struct bw_xt x = { 0 };
	struct bw_rt_xt rt;
	struct bw_diags d;
	char *text;
	time_t now = time(NULL);
	char date[64];

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-c") || !strcmp(a, "--counters")) {
			counters = true;
		} else if ((!strcmp(a, "-t") || !strcmp(a, "--table")) && i + 1 < argc) {
			only = bw_ipt_table_find(argv[++i]);
			if (only < 0 || !bw_ipt_table_ours(only))
				return bw_ipt_pass(v6 ? "ip6tables-nft-save" : "iptables-nft-save",
						   argc, argv, "a table bpfwall does not compile",
						   o, NULL, 0);
		} else if (!strncmp(a, "--table=", 8)) {
			only = bw_ipt_table_find(a + 8);
			if (only < 0 || !bw_ipt_table_ours(only))
				return bw_ipt_pass(v6 ? "ip6tables-nft-save" : "iptables-nft-save",
						   argc, argv, "a table bpfwall does not compile",
						   o, NULL, 0);
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("%s v%s (bpfwall)\n", prog, BW_IPT_VERSION);
			return 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("Usage: %s [-c] [-t table] [-M modprobe]\n", prog);
			return 0;
		} else if (!strcmp(a, "-M") || !strcmp(a, "--modprobe")) {
			i++;
		} else if (strcmp(a, "-4") && strcmp(a, "-6")) {
			fprintf(stderr, "Unknown arguments found on commandline\n");
			return BW_IPT_EXIT_PARAM;
		}
	}
	bw_diags_init(&d);
	if (bw_arena_new(&x.a))
		return BW_IPT_EXIT_OTHER;
	x.d = &d;
	rc = bw_rt_xt_open(&o->rt, false, &rt, &d) ? BW_IPT_EXIT_OTHER : 0;
	if (rc)
		bw_diags_print(&d, stderr);
	if (!rc)
		rc = bw_xt_load(&x, &rt);
	if (!rc) {
		struct tm tm;

		localtime_r(&now, &tm);
		strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm);
		text = bw_xt_text(&x, false, v6, only, NULL, NULL);
		/* each table headed and ended as iptables-save does */
		for (char *p = text; p && *p; ) {
			char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

			if (*p == '*')
				printf("# Generated by %s v%s (nf_tables) on %s\n", prog,
				       BW_IPT_VERSION, date);
			if (*p == '[' && !counters) {
				char *sp = memchr(p, ' ', len);

				if (sp)
					fwrite(sp + 1, 1, len - (size_t)(sp + 1 - p), stdout);
			} else if (*p == ':' && !counters) {
				char *br = memrchr(p, '[', len);

				fwrite(p, 1, br ? (size_t)(br - p) : len, stdout);
				fputs(br ? "[0:0]\n" : "", stdout);
			} else {
				fwrite(p, 1, len, stdout);
			}
			if (!strncmp(p, "COMMIT", 6))
				printf("# Completed on %s\n", date);
			p += len;
		}
		free(text);
	}
	bw_rt_xt_close(&rt);
	bw_diags_fini(&d);
	bw_ipset_list_free(&x.sets);
	bw_arena_free(&x.a);
	return rc;
}

/* ---- iptables-restore ---- */

int bw_ipt_restore_main(int argc, char **argv, bool v6, const struct bw_ipt_opts *o)
{
	const char *prog = v6 ? "ip6tables-restore" : "iptables-restore";
	struct bw_xt_restore ro = { .v6 = v6, .only_table = -1, .prog = prog };
	bool test = false, wait_given = false;
	int wait = 0, rc;
	const char *file = NULL;
	char *pass = NULL;
	size_t pass_len = 0;
	struct bw_xt x = { 0 };
	struct bw_rt_xt rt;
	struct bw_diags d;
	const struct bw_src *src;
	uint32_t line = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-c") || !strcmp(a, "--counters"))
			ro.counters = true;
		else if (!strcmp(a, "-n") || !strcmp(a, "--noflush"))
			ro.noflush = true;
		else if (!strcmp(a, "-t") || !strcmp(a, "--test"))
			test = true;
		else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			;
		else if ((!strcmp(a, "-T") || !strcmp(a, "--table")) && i + 1 < argc)
			ro.only_table = bw_ipt_table_find(argv[++i]);
		else if (!strcmp(a, "-w") || !strcmp(a, "--wait")) {
			wait_given = true;
			wait = -1;
			if (i + 1 < argc && argv[i + 1][0] != '-' && isdigit((unsigned char)argv[i + 1][0]))
				wait = atoi(argv[++i]);
		} else if (!strncmp(a, "--wait=", 7)) {
			wait_given = true;
			wait = atoi(a + 7);
		} else if ((!strcmp(a, "-W") || !strcmp(a, "--wait-interval")) && i + 1 < argc)
			i++;
		else if ((!strcmp(a, "-M") || !strcmp(a, "--modprobe")) && i + 1 < argc)
			i++;
		else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf("%s v%s (bpfwall)\n", prog, BW_IPT_VERSION);
			return 0;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf("Usage: %s [-c] [-v] [-V] [-t] [-h] [-n] [-w secs] [-W usecs] [-T table] [-M command] [file]\n",
			       prog);
			return 0;
		} else if (a[0] != '-' && !file)
			file = a;
		else {
			fprintf(stderr, "Unknown arguments found on commandline\n");
			return BW_IPT_EXIT_PARAM;
		}
	}
	bw_diags_init(&d);
	if (bw_arena_new(&x.a))
		return BW_IPT_EXIT_OTHER;
	x.d = &d;
	src = bw_src_read(&d, file ? file : "/dev/stdin");
	if (!src) {
		bw_diags_print(&d, stderr);
		rc = BW_IPT_EXIT_OTHER;
		goto out_nort;
	}
	bw_rt_set_lock_wait(wait_given ? wait : -1);
	rc = bw_rt_xt_open(&o->rt, !test, &rt, &d);
	if (rc == -EBUSY) {
		rc = BW_IPT_EXIT_RESOURCE;
		fprintf(stderr, "Another app is currently holding the xtables lock.\n");
		goto out_nort;
	}
	if (rc) {
		bw_diags_print(&d, stderr);
		rc = BW_IPT_EXIT_OTHER;
		goto out;
	}
	rc = bw_xt_load(&x, &rt);
	if (rc)
		goto out;
	ro.pass = &pass;
	ro.pass_len = &pass_len;
	rc = bw_xt_restore(&x, src, &ro, &line);
	if (rc) {
		fprintf(stderr, "%s: line %u failed\n", prog, line);
		bw_diags_print(&d, stderr);
		goto out;
	}
	rc = bw_xt_commit(&x, &rt, o, test, prog);
	if (!rc && pass && !test) {
		char *args[4] = { (char *)prog, NULL, NULL, NULL };
		int n = 1;

		if (ro.noflush)
			args[n++] = (char *)"--noflush";
		if (ro.counters)
			args[n++] = (char *)"--counters";
		rc = bw_ipt_pass(v6 ? "ip6tables-nft-restore" : "iptables-nft-restore",
				 n, args, "tables bpfwall does not compile", o, pass, pass_len);
	}
out:
	bw_rt_xt_close(&rt);
out_nort:
	free(pass);
	bw_diags_fini(&d);
	bw_ipset_list_free(&x.sets);
	bw_arena_free(&x.a);
	return rc;
}

/* ---- bpfwall -f with iptables tables pinned ---- */

int bw_ipt_load_file(const char *path, const struct bw_rt_opts *rto, int *rc)
{
	struct bw_ipt_opts o = { .rt = *rto };
	struct bw_xt x = { 0 };
	struct bw_rt_xt rt;
	struct bw_diags d;
	const struct bw_src *src;
	int handled = 0;

	bw_diags_init(&d);
	x.d = &d;
	if (bw_arena_new(&x.a))
		return 0;
	*rc = BW_EXIT_ERROR;
	/* a look first, making nothing: no tables (or a state that cannot
	 * be read, or not this ruleset's): the load goes as usual */
	if (bw_rt_xt_open(rto, false, &rt, &d) || !rt.blob || !rt.blob[0] ||
	    rt.stale) {
		bw_rt_xt_close(&rt);
		bw_diags_fini(&d);
		bw_ipset_list_free(&x.sets);
	bw_arena_free(&x.a);
		return 0;
	}
	bw_rt_xt_close(&rt);
	handled = 1;
	if (bw_rt_xt_open(rto, true, &rt, &d)) {
		bw_diags_print(&d, stderr);
		goto out;
	}
	if (bw_xt_load(&x, &rt))
		goto out;
	src = bw_src_read(&d, path);
	if (!src) {
		bw_diags_print(&d, stderr);
		goto out;
	}
	*rc = bw_xt_commit_file(&x, &rt, &o, false, "bpfwall", src) ? BW_EXIT_ERROR :
	      BW_EXIT_OK;
out:
	bw_rt_xt_close(&rt);
	bw_diags_fini(&d);
	bw_ipset_list_free(&x.sets);
	bw_arena_free(&x.a);
	return handled;
}
