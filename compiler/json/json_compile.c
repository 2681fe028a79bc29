// SPDX-License-Identifier: GPL-2.0-only
/* nft's JSON -> the AST (grammar/json_parse.c) -> the evaluator: the IR a
 * rule file would give (json.h). */
#include <errno.h>

#include "json.h"
#include "compiler/front/evaluate.h"
#include "grammar/json_parse.h"

static int compile_src(const struct bw_src *src, struct bw_diags *d,
		       struct bw_ir **out)
{
	struct bw_ast *ast = NULL;
	int rc;

	rc = bw_json_parse(src, d, &ast);
	if (rc)
		return rc;
	rc = bw_evaluate(ast, NULL, d, out);
	bw_ast_free(&ast);
	return rc;
}

int bw_json_compile_file(const char *path, struct bw_diags *d,
			 struct bw_ir **out)
{
	const struct bw_src *src;

	*out = NULL;
	errno = 0;
	src = bw_src_read(d, path);
	if (!src)
		return errno ? -errno : -EIO;
	return compile_src(src, d, out);
}

int bw_json_compile_string(const char *name, const char *text,
			   struct bw_diags *d, struct bw_ir **out)
{
	const struct bw_src *src;

	*out = NULL;
	src = bw_src_string(d, name, text);
	if (!src)
		return -ENOMEM;
	return compile_src(src, d, out);
}
