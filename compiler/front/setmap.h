/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How a set or map of the IR is stored in BPF maps ("tables"), shared by
 * codegen (which builds lookup keys from the view) and the runtime (which
 * creates and fills the maps, adds and deletes elements, and lists them).
 * No syscalls.
 *
 *   no `flags interval`       one HASH table, key = the components
 *   interval, one component   one LPM trie, key = u32 prefix length, then
 *                             the component (a range is split into the
 *                             prefixes that cover it)
 *   interval, concatenation   a HASH table for elements that are one
 *                             value in every component, and per component
 *                             k an LPM trie for elements whose component
 *                             k alone is a prefix or range: key = prefix
 *                             length, the other components, component k
 *                             last
 *   an anonymous set's element with a prefix or range in two or more
 *   components (nft's pipapo) goes to no table: codegen tests it in the
 *   rule's code (lookup.c, at most BW_SET_SCAN_MAX of them), the
 *   interpreter as any element; a named set refuses it (add element
 *   could not change the program)
 *
 * A lookup tries the tables in order; an element is in at most one.  Key
 * components keep the IR's encoding (network order, field->size bytes),
 * each at an offset aligned for the stack copies codegen emits.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

#define BW_SET_TABLES_MAX	(1 + BW_SET_MAX_KEYS)
#define BW_SET_DEFAULT_SIZE	65536	/* named sets without `size` */

/* Map fd placeholders of set tables: imm = BW_MAP_SET_BASE + table index
 * (bw_set_table_base() + t). */
#define BW_MAP_SET_BASE		0x100000

/* Every table's value: a set's is { 0, 0, flags, 0, expires }. */
struct bw_set_value {
	uint32_t verdict;		/* maps: enum bw_verdict */
	uint32_t target;		/* JUMP, GOTO: chain index */
	uint32_t flags;			/* BW_SET_F_* */
	uint32_t timeout_ms;		/* the element's own timeout (listed);
					 * 0: the set's */
	/* a set with timeouts (settimeout.h): in the kernel's map, the
	 * bpf_ktime_get_boot_ns() at which the element expires, 0 never;
	 * in what the compiler builds (bw_set_elem_entries, map specs), the
	 * element's timeout in ns, to which the runtime adds the time it
	 * fills the map (bw_rt_set_expiry) */
	uint64_t expires;
};

/* The entry is a prefix of a range after its first: it and the entry
 * below it are one element (list ruleset joins exactly those again). */
#define BW_SET_F_CONT	1u

struct bw_set_table {
	bool lpm;			/* BPF_MAP_TYPE_LPM_TRIE, else HASH */
	int32_t range_key;		/* lpm: the component that is a range */
	uint32_t key_size;
	uint32_t off[BW_SET_MAX_KEYS];	/* component k's offset in the key */
	uint32_t max_entries;
	uint32_t nentries;		/* of the IR's elements */
};

struct bw_set_layout {
	uint32_t ntable;
	struct bw_set_table table[BW_SET_TABLES_MAX];
};

/* The tables of set s (an anonymous set gets only those its elements
 * use, a named one every table `add element` may need). */
int bw_set_layout(const struct bw_ir_set *s, struct bw_set_layout *out);

/* Index of set si's first table among all tables of the ruleset (the
 * tables of sets 0..si-1 come first). */
uint32_t bw_set_table_base(const struct bw_ir *ir, uint32_t si);

/* The table element e goes to: -1 the hash table, k >= 0 the LPM trie of
 * component k (0 in an interval set of one component), BW_SET_ELEM_SCAN
 * none (the rule's code tests it); -EINVAL (with *why) if it cannot be
 * stored. */
#define BW_SET_ELEM_SCAN	BW_SET_MAX_KEYS
#define BW_SET_SCAN_MAX		64	/* such elements in one set */
int bw_set_elem_table(const struct bw_ir_set *s, const struct bw_ir_setelem *e,
		      const char **why);

/* Does element e go to no table (BW_SET_ELEM_SCAN)? */
bool bw_set_elem_scan(const struct bw_ir_set *s, const struct bw_ir_setelem *e);

/* Call fn for every map entry of element e (a range: several prefixes;
 * none for a BW_SET_ELEM_SCAN element).
 * key has the table's key_size bytes.  Stops at the first error fn
 * returns (and returns it); -EINVAL when e cannot be stored. */
typedef int (*bw_set_entry_fn)(void *arg, uint32_t table, const uint8_t *key,
			       const struct bw_set_value *v);
int bw_set_elem_entries(const struct bw_ir_set *s, const struct bw_set_layout *l,
			const struct bw_ir_setelem *e, bw_set_entry_fn fn,
			void *arg);

/* The element a map entry came from: the key's components back in the
 * IR's encoding, as [lo, hi] (a prefix), the value's verdict, and
 * e->cont when the entry continues a range (BW_SET_F_CONT). */
void bw_set_entry_elem(const struct bw_ir_set *s, const struct bw_set_layout *l,
		       uint32_t table, const uint8_t *key,
		       const struct bw_set_value *v, struct bw_ir_setelem *e);
