/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Optimizer: turns runs of rules of one shape into one map lookup.
 *
 * A chain written naively, one rule per blocked address (and port):
 *     ip saddr 198.51.100.1 drop
 *     ip saddr 198.51.100.2 drop          ...  10,000 times
 * costs one compare per rule per packet.  Consecutive rules whose matches
 * are all single-value equalities on the same fields (same order of
 * fields), or all a single prefix on the same address field, are replaced
 * by one lookup: a hash map keyed by the concatenated field bytes, or an
 * LPM trie keyed by (prefix length, address).  The value names the rule
 * (handle, counter, verdict), so counters and trace stay per rule.
 *
 * First-match order is kept: a run never holds two rules one packet could
 * both match (equal keys, or overlapping prefixes); such a rule ends the run.
 * The interpreter runs the unoptimized IR, so the verdict and differential
 * tests check this pass against the reference meaning.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "compiler/front/ir.h"

#define BW_OPT_MIN_RUN	16	/* shorter runs stay compare chains */
#define BW_OPT_MAX_FIELDS 4
#define BW_OPT_KEY_MAX	40

/* Value of every lookup map entry (ABI between codegen and runtime). */
struct bw_lookup_value {
	uint32_t handle;
	uint8_t verdict;		/* enum bw_verdict */
	uint8_t counter;		/* rule has a counter statement */
	uint16_t pad;
};

struct bw_lookup_map {
	bool lpm;			/* BPF_MAP_TYPE_LPM_TRIE, else HASH */
	bool flat;			/* BPF_MAP_TYPE_ARRAY of one element:
					 * key_size 4, the value raw */
	uint32_t key_size;		/* hash: padded to 4; lpm: 4 + addr bytes */
	uint32_t nentries;
	uint8_t *keys;			/* nentries * key_size */
	struct bw_lookup_value *values;	/* nentries (lookup groups) */
	/* classifier tables (classify.h): value_size bytes per entry in
	 * raw, values NULL; 0: the values above */
	uint32_t value_size;
	uint8_t *raw;
};

/* The value size and the bytes of entry i of a lookup map. */
static inline uint32_t bw_lookup_map_vsize(const struct bw_lookup_map *m)
{
	return m->value_size ? m->value_size : sizeof(struct bw_lookup_value);
}

static inline const void *bw_lookup_map_vals(const struct bw_lookup_map *m)
{
	return m->value_size ? (const void *)m->raw : (const void *)m->values;
}

/*
 * Rules [first, first + nrule) of chain `chain` become one lookup in map
 * `map`.  Hash key: the fields' bytes (network order, field->size each,
 * shift/bits fields excluded from runs) concatenated at key offsets
 * key_off[i], zero padded.  LPM key: u32 prefix length (host order), then
 * the address bytes.
 */
enum bw_opt_kind {
	BW_OPT_LOOKUP,			/* one lookup in map (this header) */
	BW_OPT_CLASSIFY,		/* tuples [tuple, +ntuple) (classify.h) */
};

struct bw_opt_group {
	enum bw_opt_kind kind;
	uint32_t chain, first, nrule;
	uint32_t nfield;
	enum bw_field_id field[BW_OPT_MAX_FIELDS];
	uint8_t key_off[BW_OPT_MAX_FIELDS];
	uint32_t map;			/* index into plan->map */
	/* BW_OPT_CLASSIFY: the fields its rules read (bit per field id;
	 * a hook that lacks one runs the rules one by one), its tuples in
	 * probe order; nfield, field, key_off and map unused */
	uint64_t fields;
	uint32_t tuple, ntuple;
};

struct bw_cls_tuple;
struct bw_cls_table;

struct bw_opt_plan {
	uint32_t ngroup;
	struct bw_opt_group *group;	/* ordered by (chain, first) */
	uint32_t nmap;
	struct bw_lookup_map *map;
	uint32_t ntuple;
	struct bw_cls_tuple *tuple;	/* classify.h */
	struct bw_cls_table *cls;	/* the classifier's table, or NULL */
};

struct bw_opt_opts {
	uint32_t min_run;		/* 0: BW_OPT_MIN_RUN */
	bool disable;			/* empty plan (linear code everywhere) */
	bool no_classify;		/* lookup groups only, no classifier */
};

int bw_optimize(const struct bw_ir *ir, const struct bw_opt_opts *opts,
		struct bw_opt_plan **out);
void bw_opt_plan_free(struct bw_opt_plan **p);

/* The group starting at rule `rule` of chain `chain`, or NULL. */
const struct bw_opt_group *bw_opt_group_at(const struct bw_opt_plan *p,
					   uint32_t chain, uint32_t rule);
