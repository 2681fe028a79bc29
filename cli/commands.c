// SPDX-License-Identifier: GPL-2.0-only
/* bpfwall -f, -c, -d, list ruleset, flush ruleset. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "../compiler/compile.h"

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

static int compile(const struct bw_cli *c, struct bw_diags *d,
		   struct bw_ir **ir)
{
	int err = bw_compile_file(c->file, d, ir);

	if (!err && d->nerrors)
		err = -EINVAL;
	return err;
}

int bw_cli_load(const struct bw_cli *c)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	int err;

	bw_diags_init(&d);
	err = compile(c, &d, &ir);
	if (!err)
		err = bw_rt_apply(ir, &c->rt, &d);
	bw_ir_free(&ir);
	return finish(&d, err, "loading the ruleset");
}

int bw_cli_check(const struct bw_cli *c)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	int err;

	bw_diags_init(&d);
	err = compile(c, &d, &ir);
	/* code generation runs without root; the verifier needs it */
	if (!err)
		err = geteuid() == 0 ? bw_rt_verify(ir, &c->rt, &d) :
		      bw_rt_dump(ir, NULL, &d);
	bw_ir_free(&ir);
	return finish(&d, err, "checking the ruleset");
}

int bw_cli_dump(const struct bw_cli *c)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	int err;

	bw_diags_init(&d);
	err = compile(c, &d, &ir);
	if (!err)
		err = bw_rt_dump(ir, stdout, &d);
	bw_ir_free(&ir);
	return finish(&d, err, "generating the programs");
}

int bw_cli_list(const struct bw_cli *c)
{
	struct bw_diags d;

	bw_diags_init(&d);
	return finish(&d, bw_rt_list(&c->rt, c->json, stdout, &d),
		      "listing the ruleset");
}

int bw_cli_flush(const struct bw_cli *c)
{
	struct bw_diags d;

	bw_diags_init(&d);
	return finish(&d, bw_rt_flush(&c->rt, &d), "flushing the ruleset");
}
