// SPDX-License-Identifier: GPL-2.0-only
/*
 * Socket filter on an AF_PACKET SOCK_RAW socket (`bpfwall capture`): the
 * skb's data starts at the MAC header, as at TC, and the headers are copied
 * the same way (hook_skb.c; socket filters may call bpf_skb_load_bytes).  A
 * match keeps the packet (returns the snap length), anything else, including
 * a packet the parser finds malformed, returns 0: not captured.
 */
#include <stddef.h>
#include <linux/bpf.h>

#include "hook_sock.h"

const struct bw_hook_ops bw_hook_sock_ops = {
	.info = {
		.name = "socket",
		.prog_type = BPF_PROG_TYPE_SOCKET_FILTER,
		.expected_attach_type = 0,
		.egress = false,	/* runs the INGRESS chain it is given */
		.verdict_accept = BW_SOCK_SNAPLEN,
		.verdict_drop = 0,
	},
	.fields = BW_FIELDS_ALL,
	.start = bw_skb_start,
	.read = bw_skb_read,
	.packet = true,
	.ifindex_off = offsetof(struct __sk_buff, ifindex),
	.load_bytes = BW_HELPER_SKB_LOAD,
};
