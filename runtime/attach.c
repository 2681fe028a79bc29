// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attachments: XDP through a bpf_link (native, then generic), TC egress
 * through a TCX link (kernel 6.6+) or, where the kernel refuses TCX, a
 * clsact egress filter with a fixed handle and priority.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compat.h"
#include "rt.h"

const char *bw_rt_kind_name(enum bw_rt_kind k, uint32_t xdp_flags)
{
	switch (k) {
	case BW_RT_KIND_XDP:
		return xdp_flags & XDP_FLAGS_SKB_MODE ? "xdp generic" :
		       "xdp native";
	case BW_RT_KIND_TCX:
		return "tcx";
	case BW_RT_KIND_CLSACT:
		return "clsact";
	case BW_RT_KIND_NF:
		return "netfilter";
	default:
		return "none";
	}
}

static int xdp_link(int prog_fd, uint32_t ifindex, uint32_t flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = flags);
	int fd;

	fd = bpf_link_create(prog_fd, (int)ifindex, BPF_XDP, &o);
	return fd < 0 ? -errno : fd;
}

static int attach_xdp(int prog_fd, uint32_t ifindex, enum bw_xdp_mode mode,
		      struct bw_rt_att *a)
{
	int fd = -EINVAL;

	if (mode != BW_XDP_GENERIC) {
		fd = xdp_link(prog_fd, ifindex, XDP_FLAGS_DRV_MODE);
		if (fd >= 0) {
			a->xdp_flags = XDP_FLAGS_DRV_MODE;
			goto ok;
		}
		bw_rt_debug("ifindex %u: native XDP refused: %s", ifindex,
			    strerror(-fd));
		if (mode == BW_XDP_NATIVE || fd == -EBUSY || fd == -EEXIST ||
		    fd == -EPERM)
			goto fail;
	}
	fd = xdp_link(prog_fd, ifindex, XDP_FLAGS_SKB_MODE);
	if (fd < 0)
		goto fail;
	a->xdp_flags = XDP_FLAGS_SKB_MODE;
ok:
	a->kind = BW_RT_KIND_XDP;
	a->fd = fd;
	return 0;
fail:
	if (fd == -EBUSY || fd == -EEXIST)
		bw_rt_log("ifindex %u: another XDP program is attached (%s)",
			  ifindex, strerror(-fd));
	else
		bw_rt_log("ifindex %u: cannot attach XDP (%s mode): %s", ifindex,
			  mode == BW_XDP_NATIVE ? "native" : "generic",
			  strerror(-fd));
	return fd;
}

static int attach_clsact(int prog_fd, uint32_t ifindex, struct bw_rt_att *a)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex,
		    .attach_point = BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = prog_fd,
		    .handle = BW_RT_TC_HANDLE, .priority = BW_RT_TC_PRIO,
		    .flags = BPF_TC_F_REPLACE);
	int err, fd;

	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST) {
		bw_rt_log("ifindex %u: cannot create the clsact qdisc: %s",
			  ifindex, strerror(-err));
		return err;
	}
	fd = dup(prog_fd);
	if (fd < 0)
		return -errno;
	err = bpf_tc_attach(&hook, &o);
	if (err) {
		bw_rt_log("ifindex %u: cannot attach the clsact egress filter: %s",
			  ifindex, strerror(-err));
		close(fd);
		return err;
	}
	a->kind = BW_RT_KIND_CLSACT;
	a->tc_handle = BW_RT_TC_HANDLE;
	a->tc_prio = BW_RT_TC_PRIO;
	a->fd = fd;
	return 0;
}

static int attach_tc(int prog_fd, uint32_t ifindex, bool allow_tcx,
		     struct bw_rt_att *a)
{
	int fd;

	if (allow_tcx) {
		fd = bpf_link_create(prog_fd, (int)ifindex, BW_TCX_EGRESS, NULL);
		if (fd >= 0) {
			a->kind = BW_RT_KIND_TCX;
			a->fd = fd;
			return 0;
		}
		fd = -errno;
		if (fd != -EINVAL && fd != -EOPNOTSUPP) {
			bw_rt_log("ifindex %u: cannot attach a TCX egress link: %s",
				  ifindex, strerror(-fd));
			return fd;
		}
		bw_rt_debug("ifindex %u: TCX refused (%s), using clsact",
			    ifindex, strerror(-fd));
	}
	return attach_clsact(prog_fd, ifindex, a);
}

int bw_rt_attach(int prog_fd, enum bw_hook hook, uint32_t ifindex,
		 enum bw_xdp_mode mode, bool allow_tcx, struct bw_rt_att *out)
{
	memset(out, 0, sizeof(*out));
	out->hook = hook;
	out->ifindex = ifindex;
	out->fd = -1;
	out->map_fd = -1;
	if (hook == BW_HOOK_XDP)
		return attach_xdp(prog_fd, ifindex, mode, out);
	if (hook == BW_HOOK_TC)
		return attach_tc(prog_fd, ifindex, allow_tcx, out);
	return -EINVAL;
}

void bw_rt_nf_name(const struct bw_rt_nf *nf, bool link, char *buf,
		   size_t len)
{
	snprintf(buf, len, "%s_%u_%u_%d", link ? "link_nf" : "nfprog", nf->pf,
		 nf->hook, nf->priority);
}

int bw_rt_attach_nf(int prog_fd, const struct bw_prog *dispatch,
		    const struct bw_rt_nf *nf, struct bw_rt_att *out)
{
	struct bw_rt_maps m;
	struct bw_diags d;
	uint32_t slot = 0;
	int fd, map, err;

	memset(out, 0, sizeof(*out));
	out->hook = BW_HOOK_NF;
	out->nf = *nf;
	out->fd = out->map_fd = -1;
	map = bpf_map_create(BPF_MAP_TYPE_PROG_ARRAY, "bw_nf_prog", 4, 4, 1, NULL);
	if (map < 0)
		return -errno;
	if (bpf_map_update_elem(map, &slot, &prog_fd, BPF_ANY)) {
		err = -errno;
		close(map);
		return err;
	}
	bw_rt_maps_init(&m);
	m.fd[BW_MAP_DISPATCH] = map;
	bw_diags_init(&d);
	fd = bw_rt_prog_load(dispatch, &m, "netfilter dispatcher", &d);
	if (fd < 0)
		bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	if (fd < 0) {
		close(map);
		return fd;
	}
	/* a priority another hook has is refused: the next free one runs
	 * after every hook at the chain's, as a chain nft registered after
	 * them would */
	for (int k = 0; k <= BW_RT_NF_PRIO_SPREAD; k++) {
		out->nf_actual = nf->priority + k;
		err = bw_compat_nf_link_create(fd, nf->pf, nf->hook,
					       out->nf_actual, nf->flags);
		if (err != -EBUSY)
			break;
	}
	close(fd);	/* the link holds the dispatcher, which holds the map */
	if (err < 0) {
		bw_rt_log("cannot attach at netfilter hook %u (family %u, priority %d): %s%s",
			  nf->hook, nf->pf, nf->priority, strerror(-err),
			  err == -EBUSY ? " (other hooks are at that priority and the next ones)" : "");
		close(map);
		return err;
	}
	if (out->nf_actual != nf->priority)
		bw_rt_debug("netfilter hook %u family %u: priority %d taken, attached at %d",
			    nf->hook, nf->pf, nf->priority, out->nf_actual);
	out->kind = BW_RT_KIND_NF;
	out->fd = err;
	out->map_fd = map;
	return 0;
}

bool bw_rt_nf_supported(void)
{
	static int known;	/* 0: not probed, 1 yes, 2 no */
	const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, o,
		    .expected_attach_type = BW_ATTACH_NETFILTER);
	int fd;

	if (known)
		return known == 1;
	fd = bpf_prog_load(BW_PROG_TYPE_NETFILTER, "bw_probe", "GPL", prog, 2, &o);
	/* not allowed to ask (-d, -c without root): a load as root asks
	 * again; until then take the kernel for a recent one */
	if (fd < 0 && (errno == EPERM || errno == EACCES))
		return true;
	known = fd >= 0 ? 1 : 2;
	if (fd >= 0)
		close(fd);
	else
		bw_rt_debug("this kernel has no BPF programs at the netfilter hooks (%s): inet/ip/ip6 chains run at XDP and TC",
			    strerror(errno));
	return known == 1;
}

int bw_rt_att_replace(const struct bw_rt_att *a, int prog_fd)
{
	if (a->kind == BW_RT_KIND_NF) {
		uint32_t slot = 0;

		/* the dispatcher calls the new program from its next packet */
		if (bpf_map_update_elem(a->map_fd, &slot, &prog_fd, BPF_ANY)) {
			int err = -errno;

			bw_rt_debug("netfilter hook %u: program swap failed: %s",
				    a->nf.hook, strerror(errno));
			return err;
		}
		return 0;
	}
	if (a->kind == BW_RT_KIND_XDP || a->kind == BW_RT_KIND_TCX) {
		if (bpf_link_update(a->fd, prog_fd, NULL)) {
			int err = -errno;

			bw_rt_debug("ifindex %u: link update failed: %s",
				    a->ifindex, strerror(errno));
			return err;
		}
		return 0;
	}
	if (a->kind == BW_RT_KIND_CLSACT) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex,
			    .attach_point = BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = prog_fd,
			    .handle = a->tc_handle, .priority = a->tc_prio,
			    .flags = BPF_TC_F_REPLACE);
		int err = bpf_tc_attach(&hook, &o);

		if (err)
			bw_rt_debug("ifindex %u: clsact replace failed: %s",
				    a->ifindex, strerror(-err));
		return err;
	}
	return -EINVAL;
}

int bw_rt_att_detach(struct bw_rt_att *a)
{
	int err = 0;

	if (a->kind == BW_RT_KIND_XDP || a->kind == BW_RT_KIND_TCX ||
	    a->kind == BW_RT_KIND_NF) {
		if (a->fd >= 0 && bpf_link_detach(a->fd)) {
			err = -errno;
			/* already detached (device gone): not an error */
			if (err == -ENOLINK || err == -ENODEV)
				err = 0;
		}
	} else if (a->kind == BW_RT_KIND_CLSACT) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex,
			    .attach_point = BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, o, .handle = a->tc_handle,
			    .priority = a->tc_prio);

		err = bpf_tc_detach(&hook, &o);
		if (err == -ENOENT || err == -ENODEV || err == -EINVAL)
			err = 0;
	}
	if (err)
		bw_rt_log("ifindex %u: cannot detach (%s): %s", a->ifindex,
			  bw_rt_kind_name(a->kind, a->xdp_flags), strerror(-err));
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->map_fd >= 0)
		close(a->map_fd);
	a->map_fd = -1;
	a->kind = BW_RT_KIND_NONE;
	return err;
}

uint32_t bw_rt_att_prog_id(const struct bw_rt_att *a)
{
	if (a->kind == BW_RT_KIND_NF) {
		uint32_t slot = 0, id = 0;

		/* a program array reads back as the program's id */
		if (a->map_fd < 0 || bpf_map_lookup_elem(a->map_fd, &slot, &id))
			return 0;
		return id;
	}
	if (a->kind == BW_RT_KIND_XDP || a->kind == BW_RT_KIND_TCX) {
		struct bpf_link_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(a->fd, &info, &len))
			return 0;
		return info.prog_id;
	}
	if (a->kind == BW_RT_KIND_CLSACT) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex,
			    .attach_point = BPF_TC_EGRESS);
		LIBBPF_OPTS(bpf_tc_opts, o, .handle = a->tc_handle,
			    .priority = a->tc_prio);

		if (bpf_tc_query(&hook, &o))
			return 0;
		return o.prog_id;
	}
	return 0;
}
