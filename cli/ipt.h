/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bpfwall as iptables, ip6tables, iptables-save, iptables-restore (and the
 * ip6 pair): the tables bpfwall compiles (filter, raw) kept as iptables
 * text beside the running ruleset, composed with the nft-language ruleset
 * into one IR and loaded in one atomic replace per command; other tables
 * and extensions handed to iptables-nft (or refused with --strict).
 *
 *   ipt.c          entry points, the tables in memory, the commands
 *   ipt_store.c    the tables as text: restore format in and out, the
 *                  pinned form, composing and loading, -L/-S/save output
 *   ipt_pass.c     passing a command through to iptables-nft
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "grammar/ipt.h"
#include "grammar/ipset.h"
#include "runtime/runtime.h"

/* The six names bpfwall answers to (argv[0] or the command word). */
bool bw_ipt_is_name(const char *name);

struct bw_ipt_opts {
	struct bw_rt_opts rt;
	bool strict;			/* --strict: refuse what would be passed on */
};

/* argv[0] is the name (iptables, ip6tables-restore, ...); returns the
 * exit status iptables would give. */
int bw_ipt_main(int argc, char **argv, const struct bw_ipt_opts *o);

/* ---- internal ---- */

int bw_ipt_save_main(int argc, char **argv, bool v6, const struct bw_ipt_opts *o);
int bw_ipt_restore_main(int argc, char **argv, bool v6, const struct bw_ipt_opts *o);

struct bw_xt {
	struct bw_arena *a;
	struct bw_diags *d;
	struct bw_ipt_tbl tbl[2][2];		/* [v6][BW_IPT_FILTER, _RAW] */
	bool present[2][2];
	bool loaded[2][2];			/* present in the pinned text */
	struct bw_ipset_list sets;		/* ipset's sets (cli/ipset.c) */
};

struct bw_ipt_chain *bw_xt_chain(struct bw_xt *x, bool v6, int table,
				 const char *name);
/* The table, made with its builtin chains (policy ACCEPT) if absent. */
struct bw_ipt_tbl *bw_xt_table(struct bw_xt *x, bool v6, int table);
/* Reset a table to its builtin chains, empty, policies ACCEPT. */
void bw_xt_table_reset(struct bw_xt *x, bool v6, int table);
struct bw_ipt_chain *bw_xt_chain_new(struct bw_xt *x, bool v6, int table,
				     const char *name, const struct bw_loc *loc);

/* Run one parsed write or read command on the tables (out: -L, -S).
 * Returns an exit status; messages on stderr as iptables prints them.
 * *changed: the tables changed (a load is due). */
int bw_xt_exec(struct bw_xt *x, bool v6, const struct bw_ipt_cmd *c, FILE *out,
	       bool *changed, const char *prog);

/*
 * A restore-format text into the tables: "*table" blocks, ":CHAIN POLICY
 * [p:b]" lines, command lines, COMMIT.  counters: take "[p:b]" (else
 * zero); noflush: keep what a table has.  Blocks of other tables are
 * appended to *pass (malloc'ed text; NULL when pass is NULL: an error).
 * handles: the pinned form's "@H" instead of "[p:b]" (counts from xt).
 * Returns an exit status; *bad_line the line of the first error.
 */
struct bw_xt_restore {
	bool v6;			/* -4 -6 blocks of the pinned form override */
	bool counters, noflush;
	bool pinned;			/* "%4"/"%6" lines, "@H" counters */
	const struct bw_rt_xt *rt;
	int only_table;			/* -T: -1 all */
	char **pass;
	size_t *pass_len;
	const char *prog;		/* "iptables-restore" for messages */
};
int bw_xt_restore(struct bw_xt *x, const struct bw_src *src,
		  const struct bw_xt_restore *o, uint32_t *bad_line);

/* The tables as restore text: "%4"/"%6" family lines and "@H" handles
 * (handle(arg, line) of the source line each rule and chain came from)
 * for the pinned form, else iptables-save -c text of one family. */
char *bw_xt_text(struct bw_xt *x, bool pinned, bool v6, int only_table,
		 uint32_t (*handle)(void *arg, const struct bw_loc *loc),
		 void *arg);

/* Compose the running nft-language ruleset (rt->text without the tables
 * x holds) with x's tables, compile, and (unless test) load with the
 * tables pinned beside it.  0 or an exit status (errors printed). */
int bw_xt_commit(struct bw_xt *x, struct bw_rt_xt *rt,
		 const struct bw_ipt_opts *o, bool test, const char *prog);

/* The same with a rule file as the nft-language ruleset (bpfwall -f):
 * its tables replace iptables tables of the same name. */
int bw_xt_commit_file(struct bw_xt *x, struct bw_rt_xt *rt,
		      const struct bw_ipt_opts *o, bool test, const char *prog,
		      const struct bw_src *file);
/* bpfwall -f FILE where iptables tables are pinned: FILE composed with
 * them.  Returns 0 when there are none (the caller loads as usual), else
 * 1 with *rc the exit status. */
int bw_ipt_load_file(const char *path, const struct bw_rt_opts *rt, int *rc);

/* Load the pinned tables of rt into x (counts from the counters map). */
int bw_xt_load(struct bw_xt *x, const struct bw_rt_xt *rt);

/* -L and -S of one chain or all (c->chain NULL). */
int bw_xt_list(struct bw_xt *x, bool v6, const struct bw_ipt_cmd *c, FILE *out);
int bw_xt_list_rules(struct bw_xt *x, bool v6, const struct bw_ipt_cmd *c,
		     FILE *out);

/* bpfwall -f FILE trace: FILE in iptables-restore format compiled as its
 * filter and raw tables (ip6tables when a comment before the first table
 * names ip6tables).  0, 1 when FILE is not restore input (nothing read
 * into *out), or -errno (said in d). */
int bw_ipt_trace_compile(const char *path, struct bw_diags *d,
			 struct bw_ir **out);

/* bpfwall as ipset (cli/ipset.c): argv[0] is "ipset"; returns ipset's
 * exit status. */
int bw_ipset_main(int argc, char **argv, const struct bw_ipt_opts *o);
/* A "create" or "add" line of the pinned form's "%ipset" block (the
 * line is split in place).  0 or -EINVAL (said on stderr). */
int bw_ipset_pinned_line(struct bw_xt *x, char *line);

/* Hand argv to the real tool (name: iptables-nft, ...), saying so on
 * stderr; --strict refuses with what names it.  Returns its status. */
int bw_ipt_pass(const char *tool, int argc, char **argv, const char *what,
		const struct bw_ipt_opts *o, const char *input, size_t ilen);
/* The path of iptables-nft's sibling tool (NULL: not found). */
char *bw_ipt_tool_path(const char *tool);
