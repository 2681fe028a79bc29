/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The order `list ruleset` prints a rule's statements in, as nft lists
 * them: nft merges adjacent payload matches (equality with one value) of
 * one header into a single load, its implicit dependencies included, and
 * its listing splits each merged load again in header offset order at
 * the place of the statement that kept it.  So `icmp code 1 icmp type 2`
 * lists as `icmp type 2 icmp code 1`, and `vlan id 2 ether saddr X` as
 * `ether saddr X vlan id 2` (ether saddr merged with the implicit ether
 * type 8021q in front of vlan id).  Only the listing: the IR keeps the
 * order the rule was written in.
 */
#pragma once

#include "evaluate.h"

/*
 * The rule's statements in listing order, NULL-terminated; each of
 * rule->stmts once.  NULL when out of memory (then print them in
 * their own order).  The caller frees the array.
 */
const struct bw_ast_stmt **bw_print_order(const struct bw_ast_item *rule,
					  const struct bw_sym *scope,
					  enum bw_family fam);
