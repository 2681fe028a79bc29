/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nft's JSON (libnftables-json(5)), both ways, on top of the text front
 * end: one compiler.
 *
 *   out: bw_json_print_ruleset() parses the normalized ruleset text
 *        (ir->text rendered, what `list ruleset` prints) into the AST and
 *        prints it as nft's {"nftables": [...]} objects (json_print.c);
 *   in:  bw_json_compile_file() reads nft's JSON into the same AST the
 *        rule-file parser builds (grammar/json_parse.c) and evaluates it
 *        as a rule file is evaluated: the same errors, the same IR.
 *
 * The library (compiler/json/libbwjson.a) is the only part of bpfwall that
 * links libjansson; cli/ and the tests call it.
 */
#pragma once

#include <stdio.h>

#include "grammar/diag.h"
#include "compiler/front/ir.h"

/*
 * Print text (a normalized ruleset, counters as "packets N bytes M") as
 * nft's JSON to out, one line.  extra: a JSON object (text) whose members
 * go into the metainfo object under "bpfwall" (NULL: none).  Returns 0,
 * or -EINVAL / -ENOMEM with an error queued in d.
 */
int bw_json_print_ruleset(const char *text, const char *extra, FILE *out,
			  struct bw_diags *d);

/* The "ruleset" text of the runtime's own JSON listing (runtime/list.c)
 * into *text (malloc'ed; "" when nothing is loaded). */
int bw_json_ruleset_text(const char *listing, char **text);

/* Read path as nft's JSON and evaluate it; as bw_compile_file(). */
int bw_json_compile_file(const char *path, struct bw_diags *d,
			 struct bw_ir **out);
int bw_json_compile_string(const char *name, const char *text,
			   struct bw_diags *d, struct bw_ir **out);
