/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Set timeouts in BPF (compiler/front/settimeout.h): an element's value
 * (struct bw_set_value) holds the bpf_ktime_get_boot_ns() at which it
 * expires, 0 for never.  Lookups treat an expired element as absent;
 * add and update from rules write now + the timeout.
 */
#pragma once

#include <stdint.h>

#include "emit.h"

#define BW_HELPER_KTIME_GET_BOOT_NS	125

/* r0 = an element's value (map memory): jump to expired when its time
 * has passed, else fall through with r0 as it was.  Clobbers r1-r5 and
 * 16 bytes of the scratch area past a dynset's value. */
void bw_set_expiry_emit(struct bw_emit *e, bw_label expired);

/* The u64 at r10 + off: now + ms (in ns), or 0 when ms is 0.  Clobbers
 * r0-r5. */
void bw_set_expires_emit(struct bw_emit *e, int16_t off, uint32_t ms);
