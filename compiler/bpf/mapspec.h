/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Every map a ruleset's programs use, described once (issue 10: one map
 * model): the counters, the drop reasons, the trace slot, the limits, the
 * log ring, the conntrack table, the optimizer's lookup maps, the
 * classifier's flat table and every table of every set.  The build makes
 * the list (no syscalls, golden-testable through bpfwall -d); runtime/
 * creates each map as described, fills it with the entries given, and
 * patches the programs' placeholders (spec->id) with the fds.
 *
 * What the runtime keeps across reloads (the pinned log ring and
 * conntrack table: spec->shared) it passes in instead of a new map; the
 * runtime's own infrastructure (the audit hook's rings, a netfilter
 * dispatcher's program array, the state) is not a ruleset's and is not
 * here.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "compiler/front/ir.h"

struct bw_opt_plan;

struct bw_map_spec {
	int32_t id;			/* placeholder: enum bw_map_id,
					 * BW_MAP__MAX + lookup map,
					 * BW_MAP_SET_BASE + set table */
	uint32_t type;			/* enum bpf_map_type */
	char name[16];			/* the kernel keeps 15 characters */
	uint32_t key_size, value_size, max_entries, flags;
	/* the caller's map when it has one (pinned, kept across reloads) */
	bool shared;
	/* initial entries: nfill keys (key_size bytes each) and values
	 * (value_size each; a per-CPU map's value is CPU 0's, the others
	 * start at zero) */
	uint32_t nfill;
	uint8_t *keys, *vals;
	/* for messages: "set blocked", "lookup map 3", "the counters" */
	char what[48];
};

struct bw_map_specs {
	uint32_t n;
	struct bw_map_spec *spec;
	uint32_t nlookup;		/* ids BW_MAP__MAX .. + nlookup - 1 */
	uint32_t nset;			/* ids BW_MAP_SET_BASE .. + nset - 1 */
};

/* The maps ir's programs use, with plan's lookup maps (may be NULL) and,
 * with trace, the trace slot.  0, -ENOMEM, or -EINVAL when a set
 * element cannot be stored. */
int bw_map_specs_build(const struct bw_ir *ir, const struct bw_opt_plan *plan,
		       bool trace, struct bw_map_specs **out);
void bw_map_specs_free(struct bw_map_specs **s);
