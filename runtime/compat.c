// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include <stddef.h>

#include "compat.h"

void bw_compat_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_MEMLOCK, &r);	/* best effort; harmless on 5.11+ */
}

int bw_compat_nf_link_create(int prog_fd, uint32_t pf, uint32_t hooknum,
			     int32_t priority, uint32_t flags)
{
	/* link_create.netfilter: pf, hooknum, priority, flags, where
	 * target_btf_id is (after prog_fd, target_fd, attach_type, flags) */
	struct nf_fields { uint32_t pf, hooknum; int32_t priority; uint32_t flags; };
	union bpf_attr attr;
	struct nf_fields nf = { pf, hooknum, priority, flags };
	long fd;

	_Static_assert(offsetof(union bpf_attr, link_create.target_btf_id) -
		       offsetof(union bpf_attr, link_create) == 16,
		       "link_create's netfilter fields follow its flags");
	memset(&attr, 0, sizeof(attr));
	attr.link_create.prog_fd = (uint32_t)prog_fd;
	attr.link_create.attach_type = BW_ATTACH_NETFILTER;
	memcpy(&attr.link_create.target_btf_id, &nf, sizeof(nf));
	fd = syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
	return fd < 0 ? -errno : (int)fd;
}
