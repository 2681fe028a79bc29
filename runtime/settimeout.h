/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Set timeouts in the runtime (compiler/front/settimeout.h): the one
 * place that knows the clock.  The compiler describes an element's
 * timeout relative (struct bw_set_value.expires, in ns); when the
 * runtime writes the element into a set's map it adds the time now
 * (CLOCK_BOOTTIME, bpf_ktime_get_boot_ns()'s clock), and listing skips
 * an element whose time has passed (a lookup no longer finds it).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "compiler/bpf/mapspec.h"
#include "compiler/front/setmap.h"

/* The clock of the programs' expiry compares, in ns. */
uint64_t bw_rt_set_now(void);

/* v as it goes into the map at now: a timeout becomes an expiry. */
void bw_rt_set_expiry(struct bw_set_value *v, uint64_t now);

/* Has the element of value v (read from a map) expired at now? */
bool bw_rt_set_expired(const struct bw_set_value *v, uint64_t now);

/* The ms element of value v has left at now (0: never expires). */
uint32_t bw_rt_set_left_ms(const struct bw_set_value *v, uint64_t now);

/* Spec m's values as they go into its map now: NULL in *out when m is
 * not a set's table or has no timeouts (write m->vals as they are),
 * else a copy the caller frees.  0 or -ENOMEM. */
int bw_rt_set_fill_vals(const struct bw_map_spec *m, uint8_t **out);
