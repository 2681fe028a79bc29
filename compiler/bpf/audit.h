/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The audit hook's event (connect hooks, hook_connect.c): what the program
 * writes into the BW_MAP_AUDIT ringbuf for each connect() the egress rules
 * deny, and what `bpfwall monitor` reads.  Every byte is written by the
 * program (ringbuf memory is not zeroed).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct bw_audit_event {
	uint64_t time_ns;	/*  0: bpf_ktime_get_ns */
	uint64_t pid_tgid;	/*  8: tgid << 32 | pid */
	uint64_t uid_gid;	/* 16: gid << 32 | uid */
	uint64_t cgroup_id;	/* 24 */
	char comm[16];		/* 32 */
	uint32_t handle;	/* 48: deciding rule, 0: chain policy */
	uint8_t l3;		/* 52: 4 or 6 */
	uint8_t proto;		/* 53: IPPROTO_TCP, IPPROTO_UDP, ... */
	uint16_t dport;		/* 54: network order */
	uint8_t daddr[16];	/* 56: IPv4 in the first 4 bytes */
};				/* 72 */

_Static_assert(sizeof(struct bw_audit_event) == 72, "audit event is ABI");

#define BW_AUDIT_RINGBUF_SIZE	(256 * 1024)
