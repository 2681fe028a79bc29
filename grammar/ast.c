// SPDX-License-Identifier: GPL-2.0-only
/* The syntax tree's arena and the parse driver (see ast.h). */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ast.h"
#include "grammar/parser.h"

#define YYSTYPE BW_YYSTYPE
#define YYLTYPE BW_YYLTYPE
#include "grammar/scanner.h"

/* ---- arena: a list of chunks, freed at once ---- */

/* Large enough to come from mmap: fresh chunks are zero, no memset. */
#define ARENA_CHUNK (1024 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct bw_arena {
	struct chunk *head;
};

int bw_arena_new(struct bw_arena **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void bw_arena_free(struct bw_arena **p)
{
	struct chunk *c, *next;

	if (!p || !*p)
		return;
	for (c = (*p)->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(*p);
	*p = NULL;
}

void *bw_arena_alloc(struct bw_arena *a, size_t n)
{
	const size_t align = _Alignof(max_align_t);
	struct chunk *c = a->head;
	void *p;

	n = (n + align - 1) / align * align;
	if (!n)
		n = align;
	if (!c || c->size - c->used < n) {
		size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

		c = calloc(1, sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *bw_arena_strndup(struct bw_arena *a, const char *s, size_t n)
{
	char *p = bw_arena_alloc(a, n + 1);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* ---- parse driver ---- */

void bw_ast_free(struct bw_ast **p)
{
	if (!p || !*p)
		return;
	bw_arena_free(&(*p)->arena);
	free(*p);
	*p = NULL;
}

int bw_ast_parse(const struct bw_src *src, enum bw_parse_mode mode,
		 struct bw_diags *d, struct bw_ast **out)
{
	struct bw_parse_state st = {
		.src = src,
		.d = d,
		.mode = mode,
		.start_token = mode == BW_PARSE_PKTSPEC ? START_PKTSPEC :
			       mode == BW_PARSE_ELEMENTS ? START_ELEMENTS :
						       START_RULESET,
		.line = 1,
		.col = 1,
	};
	YY_BUFFER_STATE buf;
	yyscan_t scanner;
	struct bw_ast *ast;
	int rc;

	*out = NULL;
	ast = calloc(1, sizeof(*ast));
	if (!ast || bw_arena_new(&ast->arena)) {
		free(ast);
		return -ENOMEM;
	}
	ast->src = src;
	ast->mode = mode;
	st.ast = ast;
	st.arena = ast->arena;
	if (bw_yylex_init_extra(&st, &scanner)) {
		bw_ast_free(&ast);
		return -ENOMEM;
	}
	buf = bw_yy_scan_bytes(src->text, (int)src->len, scanner);
	if (!buf) {
		bw_yylex_destroy(scanner);
		bw_ast_free(&ast);
		return -ENOMEM;
	}
	rc = bw_yyparse(scanner, &st);
	/* frees buf and any included file's buffer still stacked */
	bw_yylex_destroy(scanner);
	if (st.oom) {
		bw_error(d, NULL, "out of memory while parsing %s", src->name);
		bw_ast_free(&ast);
		return -ENOMEM;
	}
	if (rc || st.nerrors) {
		bw_ast_free(&ast);
		return -EINVAL;
	}
	*out = ast;
	return 0;
}

void bw_ast_expr_append(struct bw_ast_expr *list, struct bw_ast_expr *e)
{
	if (!list || !e)
		return;
	if (list->elems_last)
		list->elems_last->next = e;
	else
		list->elems = e;
	list->elems_last = e;
}

const char *bw_ast_op_str(enum bw_ast_op op)
{
	static const char *const names[] = {
		[BW_OP_IMPLICIT] = "",
		[BW_OP_EQ] = "==",
		[BW_OP_NE] = "!=",
		[BW_OP_LT] = "<",
		[BW_OP_GT] = ">",
		[BW_OP_LE] = "<=",
		[BW_OP_GE] = ">=",
		[BW_OP_NOT] = "!",
	};

	return (unsigned)op < sizeof(names) / sizeof(names[0]) ? names[op] : "?";
}

const char *bw_ast_verdict_str(enum bw_ast_verdict v)
{
	static const char *const names[] = {
		[BW_AV_ACCEPT] = "accept",
		[BW_AV_DROP] = "drop",
		[BW_AV_JUMP] = "jump",
		[BW_AV_GOTO] = "goto",
		[BW_AV_RETURN] = "return",
		[BW_AV_CONTINUE] = "continue",
	};

	return (unsigned)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}
