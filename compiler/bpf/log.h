/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The `log` statement's event: what a program writes into the BW_MAP_LOG
 * ringbuf for each logged packet, and what `bpfwall monitor` reads.  The
 * packet is the program's view of it (view.h): its headers, decoded in
 * user space with the fields table.
 */
#pragma once

#include <stdint.h>

#include "compiler/front/view.h"

struct bw_log_event {
	uint64_t time_ns;	/*  0: bpf_ktime_get_ns */
	uint32_t log;		/*  8: index into ir->log (prefix, level) */
	uint32_t handle;	/* 12: its rule */
	uint32_t ifindex;	/* 16: the device (XDP: input, TC: output;
				 * netfilter hooks: 0, the view has both) */
	uint8_t hook;		/* 20: the logging chain's enum bw_chain_hook */
	uint8_t pad[3];
	struct bw_view view;	/* 24 */
};

_Static_assert(sizeof(struct bw_log_event) == 24 + sizeof(struct bw_view),
	       "log event is ABI");
_Static_assert(sizeof(struct bw_view) % 8 == 0, "view copied in 8s");

#define BW_LOG_RINGBUF_SIZE	(512 * 1024)

/*
 * Events lost because their ringbuf was full (the reader fell behind) are
 * counted, per CPU, in slots of the BW_MAP_REASONS map after the reasons
 * (view.h): `list ruleset` shows them beside the drops, `monitor` reports
 * their growth.
 */
#define BW_LOST_LOG		BW_REASON__MAX		/* log statements' events */
#define BW_LOST_AUDIT		(BW_REASON__MAX + 1)	/* the audit hook's */
#define BW_REASONS_SLOTS	(BW_REASON__MAX + 2)	/* the map's entries */
