/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The verdict runner's `list ruleset` round trip (relist.c): a ruleset
 * printed the way `bpfwall list ruleset` prints it just after it loaded,
 * without a kernel.
 */
#pragma once

#include "compiler/front/ir.h"

/*
 * The text list ruleset prints for ir: the normalized text with each
 * rule's counter at its initial values and each named set's elements as
 * read back from its maps (each element stored as setmap.c stores it,
 * read back as runtime/sets.c reads it, printed by
 * bw_ir_set_elems_text).  Malloc'ed; NULL when out of memory or when an
 * element cannot be stored.
 */
char *bw_t_relist(const struct bw_ir *ir);
