// SPDX-License-Identifier: GPL-2.0-only
/*
 * TC (sched_cls, egress): an skb context (hook_skb.c).
 */
#include <stddef.h>
#include <linux/bpf.h>
#include <linux/pkt_cls.h>

#include "hook.h"

const struct bw_hook_ops bw_hook_tc_ops = {
	.info = {
		.name = "tc",
		.prog_type = BPF_PROG_TYPE_SCHED_CLS,
		.expected_attach_type = 0,	/* the runtime picks TCX or clsact */
		.egress = true,
		.verdict_accept = TC_ACT_OK,
		.verdict_drop = TC_ACT_SHOT,
		.verdict_reject = TC_ACT_REDIRECT,
	},
	.fields = BW_FIELDS_ALL,
	.start = bw_skb_start,
	.read = bw_skb_read,
	.packet = true,
	.ifindex_off = offsetof(struct __sk_buff, ifindex),
	.load_bytes = BW_HELPER_SKB_LOAD,
};
