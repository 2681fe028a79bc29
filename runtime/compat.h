/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel and libbpf version workarounds: the only place for them (with
 * compiler/bpf/uapi.h for kernel ABI values the installed headers lack).
 *
 * Debian 12 ships libbpf 1.1 with uapi headers older than the kernels we
 * run on (6.6+ has TCX links).  The values below are kernel ABI, stable by
 * definition, so defining them here is safe; a kernel that lacks the
 * feature refuses the request with -EINVAL and the caller falls back.
 */
#pragma once

#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/magic.h>
#include <stdint.h>

/* Kernel ABI values the headers lack: compiler/bpf/uapi.h. */
#include "compiler/bpf/uapi.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC 0xcafe4a11
#endif

#ifndef XDP_FLAGS_SKB_MODE
#define XDP_FLAGS_SKB_MODE (1U << 1)
#endif
#ifndef XDP_FLAGS_DRV_MODE
#define XDP_FLAGS_DRV_MODE (1U << 2)
#endif

/* Kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK; later ones to
 * the memory cgroup.  Raising the limit is harmless on both. */
void bw_compat_memlock(void);

/* bpf_link_create for a netfilter hook (kernel 6.4): libbpf 1.1 has no
 * netfilter fields in its options, so the attr is filled here.  Returns
 * the link fd or -errno. */
int bw_compat_nf_link_create(int prog_fd, uint32_t pf, uint32_t hooknum,
			     int32_t priority, uint32_t flags);
