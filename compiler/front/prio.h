/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nft's standard chain priority names (raw, mangle, dstnat, filter,
 * security, srcnat; the bridge family's dstnat, filter, out, srcnat), one
 * table read both ways: a name in a chain's `priority` to its number, and
 * a number to the name nft lists it with ("filter", "mangle - 5").
 */
#ifndef BW_PRIO_H
#define BW_PRIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir.h"

/* The value of priority name `name` for a chain of family fam at hook h.
 * Returns 0, -ENOENT for a name nft does not know in fam, -EINVAL for one
 * it knows but not at that hook. */
int bw_prio_lookup(const char *name, enum bw_family fam, enum bw_chain_hook h,
		   int32_t *val);

/* The same with the family and hook by name ("inet", "prerouting"), as
 * the syntax tree has them. */
int bw_prio_lookup_names(const char *name, const char *family,
			 const char *hook, int32_t *val);

/* The names fam knows, for an error message ("filter or out"). */
const char *bw_prio_names(enum bw_family fam);

/* prio as nft lists it (a standard name within 10 of it, with the offset,
 * where that name is valid at fam and h; else the number) into buf. */
const char *bw_prio_format(char *buf, size_t n, enum bw_family fam,
			   enum bw_chain_hook h, int32_t prio);

#endif
