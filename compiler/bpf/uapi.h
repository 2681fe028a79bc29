/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel ABI values newer than the installed uapi headers (Debian 12's are
 * older than the kernels bpfwall runs on): the only place for them.  They
 * are kernel ABI, stable by definition; a kernel that lacks the feature
 * refuses the request (-EINVAL) and the caller says so or falls back.
 * Library workarounds (libbpf 1.1) live in runtime/compat.h.
 */
#pragma once

#include <linux/bpf.h>

/* enum bpf_attach_type, kernel 6.6 (TCX). */
#define BW_TCX_INGRESS ((enum bpf_attach_type)46)
#define BW_TCX_EGRESS  ((enum bpf_attach_type)47)

/* enum bpf_link_type, kernel 6.6. */
#define BW_LINK_TYPE_TCX 11

/* BPF programs at netfilter hooks, kernel 6.4: program type, attach type,
 * link type; link_create's netfilter fields sit where target_btf_id does
 * (runtime/attach.c fills them).  Its flag BPF_F_NETFILTER_IP_DEFRAG
 * (6.6) is not used: nft's chains see fragments where the namespace does
 * not reassemble (compiler/bpf/build.h). */
#define BW_PROG_TYPE_NETFILTER ((enum bpf_prog_type)32)
#define BW_ATTACH_NETFILTER ((enum bpf_attach_type)45)
#define BW_LINK_TYPE_NETFILTER 10

/* <linux/netfilter.h>: verdicts, protocol families and hook numbers. */
#define BW_NF_DROP	0
#define BW_NF_ACCEPT	1
#define BW_NFPROTO_IPV4	2
#define BW_NFPROTO_IPV6	10
enum bw_nf_hooknum {
	BW_NF_PRE_ROUTING, BW_NF_LOCAL_IN, BW_NF_FORWARD, BW_NF_LOCAL_OUT,
	BW_NF_POST_ROUTING,
};

/* bpf helper: bpf_dynptr_read (kernel 5.19), bpf_get_netns_cookie (5.7),
 * bpf_get_current_task_btf (5.11). */
#define BW_HELPER_DYNPTR_READ		201
#define BW_HELPER_GET_NETNS_COOKIE	122
#define BW_HELPER_GET_CURRENT_TASK_BTF	158

/* SO_NETNS_COOKIE (5.14): the cookie of a socket's network namespace. */
#define BW_SO_NETNS_COOKIE 71
