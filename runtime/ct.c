// SPDX-License-Identifier: GPL-2.0-only
/*
 * The conntrack map (compiler/ct.h): one LRU hash per ruleset, shared by
 * every program that tracks, pinned as "conntrack" and kept across
 * reloads so established flows stay established.  A pinned map of another
 * shape (another bpfwall's) is replaced.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "rt.h"
#include "../compiler/ct.h"

int bw_rt_ct_create(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "bw_conntrack",
				sizeof(struct bw_ct_key),
				sizeof(struct bw_ct_value), BW_CT_MAX_ENTRIES,
				NULL);

	if (fd < 0) {
		fd = -errno;
		bw_rt_log("cannot create the conntrack map: %s", strerror(errno));
	}
	return fd;
}

static bool ct_shaped(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return false;
	return info.type == BPF_MAP_TYPE_LRU_HASH &&
	       info.key_size == sizeof(struct bw_ct_key) &&
	       info.value_size == sizeof(struct bw_ct_value) &&
	       info.max_entries == BW_CT_MAX_ENTRIES;
}

int bw_rt_ct_get(const struct bw_rt_pin *pin)
{
	int fd = bw_rt_pin_get(pin, "conntrack"), err;

	if (fd >= 0 && ct_shaped(fd))
		return fd;
	if (fd >= 0) {
		bw_rt_debug("the pinned conntrack map has another shape: replaced");
		close(fd);
	}
	fd = bw_rt_ct_create();
	if (fd < 0)
		return fd;
	err = bw_rt_pin_replace(pin, fd, "conntrack");
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}
