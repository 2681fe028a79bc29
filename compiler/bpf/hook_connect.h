/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Connect (audit) hooks, internal to the back end: the cgroup sock_addr
 * programs fill the view from struct bpf_sock_addr instead of parsing a
 * packet (their ops have no read()), run the EGRESS/OUTPUT chains, and
 * send a struct bw_audit_event (audit.h) for every deny.
 */
#pragma once

#include <stdbool.h>

#include "hook.h"

extern const struct bw_hook_ops bw_hook_connect4_ops;
extern const struct bw_hook_ops bw_hook_connect6_ops;
/* kprobe on tcp_v4_connect and tcp_v6_connect (one program for both): the
 * view comes from the struct sockaddr of the second argument. */
extern const struct bw_hook_ops bw_hook_kprobe_ops;
/* tracepoint syscalls/sys_enter_connect: the view comes from the user's
 * struct sockaddr; the protocol is unknown (rules naming one never match). */
extern const struct bw_hook_ops bw_hook_tracepoint_ops;

/*
 * The deny tail: r7 holds the deciding handle.  Writes one event to the
 * BW_MAP_AUDIT ringbuf (if it is full, counts the event lost in
 * BW_MAP_REASONS, log.h; the caller marks both maps used) and returns 1 (log only)
 * or 0 (enforce: connect() fails with EPERM).  Uses r0-r5 and r8.
 */
void bw_connect_emit_deny(struct bw_emit *e, bool enforce);
