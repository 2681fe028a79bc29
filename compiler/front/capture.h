/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `bpfwall capture EXPR`: a match expression of the rule language (the
 * matches of one rule, no verdict) as a one-rule ruleset:
 *
 *     table netdev capture {
 *         chain c {
 *             type filter hook ingress device "capture" priority 0; policy drop;
 *             EXPR accept
 *         }
 *     }
 *
 * compiled with the ordinary front end and generated for BW_HOOK_SOCKET
 * with ifname BW_CAPTURE_DEV.  Diagnostics that point into EXPR are moved
 * onto a source holding EXPR alone (named "<capture>"), so the caret sits
 * under the user's own words.
 */
#pragma once

#include "grammar/diag.h"
#include "ir.h"

#define BW_CAPTURE_DEV	"capture"

/* Returns 0 and *out, or -errno with the errors queued in d. */
int bw_capture_compile(const char *expr, struct bw_diags *d, struct bw_ir **out);
