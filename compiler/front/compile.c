// SPDX-License-Identifier: GPL-2.0-only
/* Front end entry points: text -> AST -> evaluated IR (see compile.h). */
#include <errno.h>
#include <stdlib.h>

#include "evaluate.h"

static int compile_src(const struct bw_src *src,
		       const struct bw_compile_opts *opts, struct bw_diags *d,
		       struct bw_ir **out)
{
	struct bw_ast *ast = NULL;
	int rc;

	rc = bw_ast_parse(src, BW_PARSE_RULESET, d, &ast);
	if (rc)
		return rc;
	rc = bw_evaluate(ast, opts, d, out);
	bw_ast_free(&ast);
	return rc;
}

int bw_compile_file(const char *path, struct bw_diags *d, struct bw_ir **out)
{
	const struct bw_src *src;

	*out = NULL;
	errno = 0;
	src = bw_src_read(d, path);
	if (!src)
		return errno ? -errno : -EIO;
	return compile_src(src, NULL, d, out);
}

int bw_compile_string(const char *name, const char *text, struct bw_diags *d,
		      struct bw_ir **out)
{
	return bw_compile_string_opts(name, text, NULL, d, out);
}

int bw_compile_string_opts(const char *name, const char *text,
			   const struct bw_compile_opts *opts,
			   struct bw_diags *d, struct bw_ir **out)
{
	const struct bw_src *src;

	*out = NULL;
	src = bw_src_string(d, name, text);
	if (!src) {
		bw_error(d, NULL, "out of memory");
		return -ENOMEM;
	}
	return compile_src(src, opts, d, out);
}
