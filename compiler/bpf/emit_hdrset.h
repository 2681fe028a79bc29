/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A packet header field write in a TC program (emit_hdrset.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "emit.h"
#include "compiler/front/ir.h"

/* Write h (at most 4 bytes; an even number under a checksum) in a TC
 * or (xdp) an XDP program: r6 the context, the view filled.  need_l3 (4, 6) and need_l4
 * (IPPROTO_*): the packet must have that header, else goto miss.  0, or
 * -EOPNOTSUPP for a write it cannot do (evaluation refuses those). */
int bw_hdrset_emit(struct bw_emit *e, const struct bw_ir_hdrset *h,
		   uint8_t need_l3, uint8_t need_l4, bool xdp, bw_label miss);
