/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nft's JSON (libnftables-json(5)) to the AST the rule-file parser builds
 * (ast.h), so that JSON and text meet one evaluator.  Every node's
 * location is the span of the JSON value it came from in src, so the
 * evaluator's errors point into the JSON file with a caret.
 */
#pragma once

#include "ast.h"

/*
 * Parse src (nft's {"nftables": [...]}).  Returns 0 and *out, or -EINVAL
 * with errors queued in d: file:line:col, the JSON path of the value
 * ("nftables[3].rule.expr[0]"), and what bpfwall does not take.
 */
int bw_json_parse(const struct bw_src *src, struct bw_diags *d,
		  struct bw_ast **out);
