/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Socket filter hook (BPF_PROG_TYPE_SOCKET_FILTER), internal to the back
 * end: the program `bpfwall capture` attaches to an AF_PACKET socket.
 */
#pragma once

#include "hook.h"

/* Socket filter return codes: bytes of the packet to keep, 0 to skip it. */
#define BW_SOCK_SNAPLEN	0xffff

extern const struct bw_hook_ops bw_hook_sock_ops;
