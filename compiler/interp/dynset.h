/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interpreter's sets that rules change (add, update, delete @s): each
 * a copy of the IR's elements made at first use, kept in the run state
 * from one frame to the next as the kernel keeps its maps.  Sets that
 * change hold exact keys only (no interval), compared whole.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "compiler/front/ir.h"

struct bw_interp_sets;

/* Is key (s's keylen bytes) in set si now?  sets: *sets of the state
 * (allocated here at first use). */
bool bw_interp_dset_has(struct bw_interp_sets **sets, const struct bw_ir *ir,
			uint32_t si, const uint8_t *key, uint64_t now);

/* Set timeouts (compiler/front/settimeout.h): now is the caller's clock
 * (bw_interp_ctx.now_ns); a set's elements count as loaded at its first
 * use.  Has element x, which set si was loaded with, expired at now (its
 * timeout, else the set's, passed since)?  For sets rules do not change,
 * looked up in the IR (intervals, maps). */
bool bw_interp_dset_loaded_expired(struct bw_interp_sets **sets,
				   const struct bw_ir *ir, uint32_t si,
				   const struct bw_ir_setelem *x, uint64_t now);

/* Statement d with key: add (an element there already and not expired:
 * nothing), update (refreshes its timeout), delete.  False when the set
 * is full (the rule stops); true also when memory ran out (nothing
 * kept). */
bool bw_interp_dset_apply(struct bw_interp_sets **sets, const struct bw_ir *ir,
			  const struct bw_ir_dynset *d, const uint8_t *key,
			  uint64_t now);

/* A map of data's value: the bytes of bw_ir_setelem.data. */
#define BW_DMAP_VAL 20	/* bw_ir_setelem.data: an IPv6 address . port */

/* The same for a map of data (compiler/front/mapadd.h): a new element
 * gets value val (BW_DMAP_VAL bytes; NULL: zeros). */
bool bw_interp_dmap_apply(struct bw_interp_sets **sets, const struct bw_ir *ir,
			  const struct bw_ir_dynset *d, const uint8_t *key,
			  const uint8_t *val, uint64_t now);

/* The value of key in map of data si now (its elements and what rules
 * added) into val (BW_DMAP_VAL bytes): false when key is in none. */
bool bw_interp_dmap_get(struct bw_interp_sets **sets, const struct bw_ir *ir,
			uint32_t si, const uint8_t *key, uint8_t *val, uint64_t now);

void bw_interp_sets_free(struct bw_interp_sets **p);
