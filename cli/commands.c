// SPDX-License-Identifier: GPL-2.0-only
/* bpfwall -f, -c, -d, list ruleset, flush ruleset: compile here, build
 * and hand the build to the runtime in drive.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "drive.h"
#include "ipt.h"
#include "compiler/bpf/build.h"
#include "compiler/front/compile.h"
#include "compiler/json/json.h"
#include "compiler/nft/nft.h"

/* Print the queued diagnostics; if an operation failed without one, say
 * what failed. */
static int finish(struct bw_diags *d, int err, const char *what)
{
	if (err && !d->nerrors)
		fprintf(stderr, "Error: %s failed: %s\n", what, strerror(-err));
	bw_diags_print(d, stderr);
	if (err == -EPERM && geteuid() != 0)
		fprintf(stderr, "Note: %s needs root (CAP_BPF, CAP_NET_ADMIN, CAP_SYS_ADMIN)\n",
			what);
	bw_diags_fini(d);
	return err ? BW_EXIT_ERROR : BW_EXIT_OK;
}

/* What a command does with the compiled file. */
typedef int (*ruleset_fn)(const struct bw_cli *c, const struct bw_ir *ir,
			  struct bw_diags *d);

/* Compile c->file, hand the IR to fn, print what went wrong. */
static int with_ruleset(const struct bw_cli *c, ruleset_fn fn, const char *what)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	int err;

	bw_diags_init(&d);
	/* -j: the file is nft's JSON; the same evaluator after the parser */
	err = c->json ? bw_json_compile_file(c->file, &d, &ir) :
	      bw_compile_file(c->file, &d, &ir);
	if (!err && d.nerrors)
		err = -EINVAL;
	if (!err)
		err = fn(c, ir, &d);
	bw_ir_free(&ir);
	return finish(&d, err, what);
}

static int load(const struct bw_cli *c, const struct bw_ir *ir,
		struct bw_diags *d)
{
	return bw_drive_apply(ir, &c->rt, d);
}


/* Code generation runs without root; the verifier needs it. */
static int check(const struct bw_cli *c, const struct bw_ir *ir,
		 struct bw_diags *d)
{
	if (geteuid() == 0)
		return bw_drive_verify(ir, &c->rt, d);
	return bw_drive_dump(ir, &c->rt, NULL, d);
}

/* The packet programs, then the audit hook's (one build). */
static int dump(const struct bw_cli *c, const struct bw_ir *ir,
		struct bw_diags *d)
{
	return bw_drive_dump(ir, &c->rt, stdout, d);
}

int bw_cli_load(const struct bw_cli *c)
{
	int rc;

	/* the tables iptables commands made stay, composed with FILE */
	if (!c->json && bw_ipt_load_file(c->file, &c->rt, &rc))
		return rc;
	return with_ruleset(c, load, "loading the ruleset");
}

int bw_cli_check(const struct bw_cli *c)
{
	return with_ruleset(c, check, "checking the ruleset");
}

/* -c -f FILE list ruleset: check, then print what `list ruleset` would
 * print once FILE is loaded (counters and set elements as written). */
static int check_list(const struct bw_cli *c, const struct bw_ir *ir,
		      struct bw_diags *d)
{
	int err = check(c, ir, d);
	char *text;

	if (err)
		return err;
	text = bw_ir_text_render(ir->text, bw_ir_counter_initial, (void *)ir);
	if (!text)
		return -ENOMEM;
	fputs(text, stdout);
	free(text);
	return 0;
}

int bw_cli_check_list(const struct bw_cli *c)
{
	return with_ruleset(c, check_list, "checking the ruleset");
}

int bw_cli_dump(const struct bw_cli *c)
{
	return with_ruleset(c, dump, "generating the programs");
}

/*
 * list ruleset -j: nft's JSON.  The runtime's JSON listing (its ruleset
 * text with counters and set elements, and its own state) is read back:
 * the text becomes nft's objects, the rest metainfo's "bpfwall".
 */
static int list_json(const struct bw_cli *c, struct bw_diags *d)
{
	char *buf = NULL, *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	int err;

	if (!mem)
		return -ENOMEM;
	err = bw_rt_list(&c->rt, true, mem, d);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err)
		err = bw_json_ruleset_text(buf, &text);
	if (!err)
		err = bw_json_print_ruleset(text, buf, stdout, d);
	free(text);
	free(buf);
	return err;
}

int bw_cli_list(const struct bw_cli *c)
{
	struct bw_diags d;

	bw_diags_init(&d);
	return finish(&d, c->json ? list_json(c, &d) :
		      bw_rt_list(&c->rt, false, stdout, &d),
		      "listing the ruleset");
}

int bw_cli_list_ct(const struct bw_cli *c)
{
	struct bw_diags d;

	bw_diags_init(&d);
	return finish(&d, bw_rt_ct_list(&c->rt, c->json, stdout, &d),
		      "listing the conntrack table");
}

int bw_cli_flush(const struct bw_cli *c)
{
	struct bw_diags d;

	bw_diags_init(&d);
	return finish(&d, bw_rt_flush(&c->rt, &d), "flushing the ruleset");
}

/* add|delete element: the running ruleset's text compiled again for the
 * set's types, the elements evaluated with them, their copy in nf_tables
 * built; the runtime changes the maps (and that copy). */
int bw_cli_element(const struct bw_cli *c, bool add)
{
	struct bw_rt_running *r = NULL;
	struct bw_ir_setelem *e = NULL;
	struct bw_nft_plan *nft = NULL;
	struct bw_ir *ir = NULL;
	uint32_t si = 0, n = 0;
	struct bw_diags d;
	int err;

	bw_diags_init(&d);
	err = bw_rt_running_open(&c->rt, &r, &d);
	if (!err) {
		err = bw_compile_string("<running ruleset>", bw_rt_running_text(r),
					&d, &ir);
		if (err)
			bw_error(&d, NULL, "cannot read the running ruleset back");
	}
	if (!err)
		err = bw_compile_elements(ir, "<elements>", c->words, &d, &si,
					  &e, &n);
	if (!err)
		err = bw_build_set_nft(ir, si, e, n, &d, &nft);
	if (!err)
		err = bw_rt_element_apply(r, add, ir, si, e, n, nft, &d);
	bw_nft_plan_free(&nft);
	free(e);
	bw_ir_free(&ir);
	bw_rt_running_close(&r);
	return finish(&d, err, add ? "adding elements" : "deleting elements");
}

/* monitor [-c COUNT]: -c is also the check flag, so COUNT is the word
 * after it; "count N" says the same. */
int bw_cli_monitor(const struct bw_cli *c)
{
	const char *w = c->words;
	unsigned long count = 0;
	struct bw_diags d;
	char *end;

	if (!strncmp(w, "count ", 6))
		w += 6;
	if (w[0]) {
		count = strtoul(w, &end, 10);
		if (*end || !count)
			return bw_cli_usage("monitor: expected [-c COUNT], not \"%s\"",
					    c->words);
	} else if (c->check) {
		return bw_cli_usage("monitor: -c needs a COUNT");
	}
	bw_diags_init(&d);
	return finish(&d, bw_rt_monitor(&c->rt, c->json, count, stdout, &d),
		      "monitor");
}
