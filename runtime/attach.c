// SPDX-License-Identifier: GPL-2.0-only
/*
 * Attachments: XDP through a bpf_link (native, then generic), TC egress
 * through a TCX link (kernel 6.6+) or, where the kernel refuses TCX, a
 * clsact egress filter with a fixed handle and priority; netfilter links;
 * the drop-all bridge that holds a device while its XDP mode changes.
 * Whether an attachment is attached now, asked of the kernel.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compat.h"
#include "rt.h"
#include "compiler/bpf/build.h"

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
			    .attach_point = a->bridge ? BPF_TC_INGRESS :
			    BPF_TC_EGRESS);
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

void bw_rt_att_what(const struct bw_rt_att *a, char *buf, size_t len)
{
	if (a->bridge)
		snprintf(buf, len, "drop-all bridge at tc ingress (%s) on ifindex %u",
			 bw_rt_kind_name(a->kind, 0), a->ifindex);
	else if (a->kind == BW_RT_KIND_NF || a->hook == BW_HOOK_NF)
		snprintf(buf, len, "netfilter %s %s priority %d",
			 bw_nf_hook_name(a->nf.hook),
			 a->nf.pf == BW_NFPROTO_IPV6 ? "ipv6" : "ipv4",
			 a->nf.priority);
	else if (a->hook == BW_HOOK_XDP)
		snprintf(buf, len, "ingress %s on ifindex %u",
			 bw_rt_kind_name(a->kind, a->xdp_flags), a->ifindex);
	else
		snprintf(buf, len, "egress %s on ifindex %u",
			 bw_rt_kind_name(a->kind, a->xdp_flags), a->ifindex);
}

int bw_rt_nf_link_array(int link_fd)
{
	struct bpf_link_info li;
	struct bpf_prog_info pi;
	uint32_t len = sizeof(li), ids[8];
	int prog, err = -ENOENT;

	memset(&li, 0, sizeof(li));
	if (bpf_obj_get_info_by_fd(link_fd, &li, &len))
		return -errno;
	if (li.type != BW_LINK_TYPE_NETFILTER)
		return -EINVAL;
	prog = bpf_prog_get_fd_by_id(li.prog_id);
	if (prog < 0)
		return -errno;
	memset(&pi, 0, sizeof(pi));
	pi.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	pi.map_ids = (uint64_t)(uintptr_t)ids;
	len = sizeof(pi);
	if (bpf_obj_get_info_by_fd(prog, &pi, &len)) {
		err = -errno;
		close(prog);
		return err;
	}
	close(prog);
	if (pi.nr_map_ids > sizeof(ids) / sizeof(ids[0]))
		pi.nr_map_ids = sizeof(ids) / sizeof(ids[0]);
	/* the dispatcher's one map: a program array of one slot */
	for (uint32_t i = 0; i < pi.nr_map_ids; i++) {
		struct bpf_map_info mi;
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		memset(&mi, 0, sizeof(mi));
		len = sizeof(mi);
		if (!bpf_obj_get_info_by_fd(fd, &mi, &len) &&
		    mi.type == BPF_MAP_TYPE_PROG_ARRAY && mi.max_entries == 1)
			return fd;
		close(fd);
	}
	return err;
}

/* The program of the filter at a's clsact handle and priority, 0: none. */
static uint32_t clsact_prog(const struct bw_rt_att *a)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)a->ifindex,
		    .attach_point = a->bridge ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = a->tc_handle,
		    .priority = a->tc_prio);

	if (!a->ifindex || bpf_tc_query(&hook, &o))
		return 0;
	return o.prog_id;
}

static bool prog_named_ours(uint32_t id)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);
	bool ours;

	if (fd < 0)
		return false;
	memset(&info, 0, sizeof(info));
	ours = !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	       !strncmp(info.name, "bw_", 3);
	close(fd);
	return ours;
}

bool bw_rt_att_live(struct bw_rt_att *a, const char **why)
{
	struct bpf_link_info li;
	uint32_t len = sizeof(li);

	*why = NULL;
	if (a->kind == BW_RT_KIND_CLSACT) {
		uint32_t id = clsact_prog(a);
		struct bpf_prog_info pi;

		if (!id) {
			*why = "no filter (its device is gone)";
			return false;
		}
		memset(&pi, 0, sizeof(pi));
		len = sizeof(pi);
		if (a->fd >= 0 && !bpf_obj_get_info_by_fd(a->fd, &pi, &len) &&
		    pi.id != id) {
			*why = "another program is in its place";
			return false;
		}
		if (a->fd < 0 && !prog_named_ours(id)) {
			*why = "its pin is gone";
			return false;
		}
		return true;
	}
	if (a->kind == BW_RT_KIND_NONE || a->fd < 0) {
		*why = "its pin is gone";
		return false;
	}
	memset(&li, 0, sizeof(li));
	if (bpf_obj_get_info_by_fd(a->fd, &li, &len)) {
		*why = "its link cannot be read";
		return false;
	}
	if (a->kind == BW_RT_KIND_NF) {
		if (li.type != BW_LINK_TYPE_NETFILTER || a->map_fd < 0) {
			*why = "its program array is gone";
			return false;
		}
		/* attached, and taken over by the next load, but with no
		 * program to call (its array lost its last pin) */
		if (!bw_rt_att_prog_id(a))
			*why = "its program is gone: the hook drops every packet until the next load";
		return true;
	}
	/* XDP and TCX: the device's index, 0 once the link is detached
	 * (a TCX link's info has it where an XDP link's has, the headers
	 * here predate TCX) */
	if (!li.xdp.ifindex) {
		*why = "detached (its device is gone)";
		return false;
	}
	a->ifindex = li.xdp.ifindex;
	if (a->kind == BW_RT_KIND_XDP) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);

		if (bpf_xdp_query((int)a->ifindex, 0, &q)) {
			*why = "its device is gone";
			return false;
		}
		if (q.drv_prog_id == li.prog_id) {
			a->xdp_flags = XDP_FLAGS_DRV_MODE;
		} else if (q.skb_prog_id == li.prog_id) {
			a->xdp_flags = XDP_FLAGS_SKB_MODE;
		} else {
			*why = "another program runs on its device";
			return false;
		}
	}
	return true;
}

int bw_rt_bridge_attach(uint32_t ifindex, const struct bw_rt_pin *pin,
			const char *name, struct bw_rt_att *out)
{
	const struct bpf_insn drop[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0,
		  .imm = 2 /* TC_ACT_SHOT */ },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	char path[320];
	int prog, fd, err;

	memset(out, 0, sizeof(*out));
	out->hook = BW_HOOK_XDP;
	out->bridge = true;
	out->ifindex = ifindex;
	out->fd = out->map_fd = -1;
	prog = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "bw_bridge", "GPL", drop,
			     2, NULL);
	if (prog < 0)
		return -errno;
	fd = bpf_link_create(prog, (int)ifindex, BW_TCX_INGRESS, NULL);
	if (fd >= 0) {
		close(prog);
		out->kind = BW_RT_KIND_TCX;
		out->fd = fd;
		/* a run killed before this pin closes the link: gone */
		err = bw_rt_pin_replace(pin, fd, name);
		if (err)
			bw_rt_att_detach(out);
		return err;
	}
	err = -errno;
	if (err != -EINVAL && err != -EOPNOTSUPP) {
		close(prog);
		return err;
	}
	/* no TCX: a clsact filter, which outlives this process, so its
	 * program is pinned before it is attached */
	out->kind = BW_RT_KIND_CLSACT;
	out->tc_handle = BW_RT_TC_HANDLE;
	out->tc_prio = BW_RT_TC_PRIO;
	out->fd = prog;
	err = bw_rt_pin_replace(pin, prog, name);
	if (!err) {
		LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)ifindex,
			    .attach_point = BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, o, .prog_fd = prog,
			    .handle = BW_RT_TC_HANDLE, .priority = BW_RT_TC_PRIO,
			    .flags = BPF_TC_F_REPLACE);

		err = bpf_tc_hook_create(&hook);
		if (err == -EEXIST)
			err = 0;
		if (!err)
			err = bpf_tc_attach(&hook, &o);
		if (err && !bw_rt_pin_path(pin, name, path, sizeof(path)))
			unlink(path);
	}
	if (err) {
		close(prog);
		out->fd = -1;
		out->kind = BW_RT_KIND_NONE;
	}
	return err;
}

/* Remove an attachment pinned as name (and a netfilter link's program
 * array).  A link goes with its last reference: unpinned first, it is
 * gone even when this run is killed before the detach.  A clsact filter
 * outlives its program's pin: detached first, it is never attached with
 * no pin to find it by. */
void bw_rt_att_remove(const struct bw_rt_pin *pin, const char *name,
		      struct bw_rt_att *a)
{
	char what[96], arr[64];

	bw_rt_att_what(a, what, sizeof(what));
	bw_rt_debug("removing %s (%s)", what, name);
	if (a->kind == BW_RT_KIND_NF) {
		/* the link first: a program array whose last pin goes is
		 * emptied by the kernel, and a dispatcher that finds it
		 * empty drops every packet */
		int map = a->map_fd >= 0 ? dup(a->map_fd) : -1;

		bw_rt_unpin_same(pin, name, a->fd);
		bw_rt_att_detach(a);
		bw_rt_nf_name(&a->nf, false, arr, sizeof(arr));
		bw_rt_unpin_same(pin, arr, map);
		if (map >= 0)
			close(map);
		return;
	}
	if (a->kind == BW_RT_KIND_CLSACT) {
		int fd = a->fd >= 0 ? dup(a->fd) : -1;

		bw_rt_att_detach(a);
		bw_rt_unpin_same(pin, name, fd);
		if (fd >= 0)
			close(fd);
		return;
	}
	bw_rt_unpin_same(pin, name, a->fd);
	bw_rt_att_detach(a);
}
