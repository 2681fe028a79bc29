// SPDX-License-Identifier: GPL-2.0-only
/*
 * Atomic replace.  A plan (one program per attach point) is loaded in full
 * before anything attached changes; then each attachment is swapped in
 * place (bpf_link_update, clsact replace, a netfilter dispatcher's program
 * array), new attach points get new links, stale ones are removed, and
 * last the pinned maps and state are replaced.  A failure during the swap
 * puts back what was already changed.
 *
 * What runs now is found by its pins, not only by the state: a run killed
 * mid-swap leaves attachments pinned that its state never named, and a
 * state of another version (or a damaged one) names nothing this version
 * can read.  Each such attachment is taken over when the plan has its
 * attach point, else removed once the new ones are in place; so is every
 * other pin of a swap's that the plan does not name.
 *
 * A running XDP program keeps its mode: the kernel runs native and
 * generic XDP on one device never at once, so a change detaches one
 * program before the other attaches.  Without --xdp-mode the mode stays
 * as it runs (said on stderr when the plan would have chosen another);
 * with it, the device is held by a drop-all program at TC ingress while
 * the mode changes: packets are dropped, none passes unfiltered.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "compat.h"
#include "rt.h"
#include "compiler/bpf/build.h"
#include "compiler/nft/nft.h"

void bw_rt_plan_init(struct bw_rt_plan *pl)
{
	memset(pl, 0, sizeof(*pl));
	bw_rt_maps_init(&pl->maps);
	pl->allow_tcx = true;
}

void bw_rt_plan_fini(struct bw_rt_plan *pl)
{
	for (uint32_t i = 0; i < pl->nap; i++) {
		if (pl->ap[i].prog_fd >= 0)
			close(pl->ap[i].prog_fd);
		bw_prog_free(&pl->ap[i].prog);
		if (pl->ap[i].own_dispatch)
			bw_prog_free(&pl->ap[i].dispatch);
	}
	free(pl->ap);
	pl->ap = NULL;
	pl->nap = 0;
	bw_map_specs_free(&pl->specs);
	bw_nft_plan_free(&pl->nft);
	bw_rt_maps_close(&pl->maps);
	for (uint32_t i = 0; i < pl->naudit; i++)
		bw_prog_free(&pl->audit[i]);
	pl->naudit = 0;
	free(pl->list);
	pl->list = NULL;
	pl->list_len = 0;
}

int bw_rt_plan_add(struct bw_rt_plan *pl, enum bw_hook hook, uint32_t ifindex,
		   const char *ifname, struct bw_prog *prog)
{
	struct bw_rt_ap *v, *a;

	v = realloc(pl->ap, (pl->nap + 1) * sizeof(*v));
	if (!v) {
		bw_prog_free(&prog);
		return -ENOMEM;
	}
	pl->ap = v;
	a = &v[pl->nap++];
	memset(a, 0, sizeof(*a));
	a->hook = hook;
	a->ifindex = ifindex;
	if (ifname)
		snprintf(a->ifname, sizeof(a->ifname), "%s", ifname);
	a->prog = prog;
	a->prog_fd = -1;
	a->same = -1;
	return 0;
}

void bw_rt_ap_what(const struct bw_rt_ap *a, char *buf, size_t len)
{
	if (a->hook == BW_HOOK_NF)
		snprintf(buf, len, "netfilter %s priority %d %s",
			 bw_nf_hook_name(a->nf.hook), a->nf.priority,
			 a->nf.pf == BW_NFPROTO_IPV6 ? "ipv6" : "ipv4");
	else if (a->ifname[0])
		snprintf(buf, len, "%s on %s", a->hook == BW_HOOK_XDP ?
			 "xdp ingress" : "tc egress", a->ifname);
	else
		snprintf(buf, len, "%s on every interface",
			 a->hook == BW_HOOK_XDP ? "xdp ingress" : "tc egress");
}

bool bw_rt_plan_uses_map(const struct bw_rt_plan *pl, enum bw_map_id id)
{
	for (uint32_t i = 0; i < pl->nap; i++)
		if (pl->ap[i].prog && pl->ap[i].prog->uses_map[id])
			return true;
	return false;
}

int bw_rt_plan_load(struct bw_rt_plan *pl, const struct bw_ir *ir,
		    struct bw_diags *d)
{
	int err = 0;

	if (!pl->specs) {
		bw_error(d, NULL, "internal error: the build described no maps");
		return -EINVAL;
	}
	err = bw_rt_maps_create(&pl->maps, pl->specs);
	if (err) {
		bw_error(d, NULL, "cannot create the ruleset's maps: %s",
			 strerror(-err));
		return err;
	}
	for (uint32_t i = 0; i < pl->nap; i++) {
		struct bw_rt_ap *a = &pl->ap[i];
		char what[96];
		int fd;

		if (a->same >= 0) {	/* another link of a loaded program */
			fd = dup(pl->ap[a->same].prog_fd);
			if (fd < 0) {
				err = -errno;
				break;
			}
			a->prog_fd = fd;
			continue;
		}
		bw_rt_ap_what(a, what, sizeof(what));
		fd = bw_rt_prog_load(a->prog, &pl->maps, what, d);
		if (fd < 0) {
			err = fd;
			break;
		}
		a->prog_fd = fd;
	}
	if (err) {
		/* nothing of this plan may survive a failed load */
		for (uint32_t i = 0; i < pl->nap; i++) {
			if (pl->ap[i].prog_fd >= 0)
				close(pl->ap[i].prog_fd);
			pl->ap[i].prog_fd = -1;
		}
		bw_rt_maps_close(&pl->maps);
	}
	return err;
}

/* What one attach point was before the swap and what it is after. */
struct slot {
	struct bw_rt_att old;		/* kind NONE: none (a copy of olds[oj]) */
	int32_t oj;			/* the old attachment taken over, -1 */
	struct bw_rt_att cur;		/* new attachment (created here) */
	struct bw_rt_att bridge;	/* kind NONE: none (XDP mode change) */
	int old_prog_fd;		/* for rollback of an update */
	bool updated, created, keep_old;
	bool replaced_pin;		/* cur's pin took old's name */
	bool old_detached;		/* XDP mode change: old link gone */
	char path[320];
};

/* Pin fd as dir/name atomically: pin to name_new, then rename (bpffs
 * refuses names with a dot).  While batching, the rename waits for
 * bw_rt_pin_commit(). */
int bw_rt_pin_replace(const struct bw_rt_pin *pin, int fd, const char *name)
{
	char path[320], tmp[336];
	int err;

	err = bw_rt_pin_path(pin, name, path, sizeof(path));
	if (err)
		return err;
	snprintf(tmp, sizeof(tmp), "%s_new", path);
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp)) {
		err = -errno;
		bw_rt_log("cannot pin %s: %s", tmp, strerror(errno));
		return err;
	}
	if (pin->batch) {
		/* (the batch is the one thing a pin open for a load keeps
		 * changing; every caller's pin is its own) */
		struct bw_rt_pin *p = (struct bw_rt_pin *)pin;
		char (*v)[64] = realloc(p->batched, (p->nbatch + 1) * sizeof(*v));

		if (!v || strlen(name) >= sizeof(*v)) {
			unlink(tmp);
			if (v)
				p->batched = v;
			return v ? -ENAMETOOLONG : -ENOMEM;
		}
		p->batched = v;
		memcpy(v[p->nbatch++], name, strlen(name) + 1);
		return 0;
	}
	if (rename(tmp, path)) {
		err = -errno;
		bw_rt_log("cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return err;
	}
	return 0;
}

void bw_rt_pin_batch(struct bw_rt_pin *pin)
{
	pin->batch = true;
	pin->nbatch = 0;
}

static void batch_end(struct bw_rt_pin *pin)
{
	free(pin->batched);
	pin->batched = NULL;
	pin->nbatch = 0;
	pin->batch = false;
}

int bw_rt_pin_commit(struct bw_rt_pin *pin)
{
	char tmp[80];
	int err = 0;

	for (uint32_t i = 0; i < pin->nbatch; i++) {
		snprintf(tmp, sizeof(tmp), "%s_new", pin->batched[i]);
		if (renameat(pin->dirfd, tmp, pin->dirfd, pin->batched[i]) && !err) {
			err = -errno;
			bw_rt_log("cannot rename %s/%s to %s: %s", pin->dir, tmp,
				  pin->batched[i], strerror(errno));
		}
	}
	batch_end(pin);
	return err;
}

void bw_rt_pin_uncommit(struct bw_rt_pin *pin)
{
	char tmp[80];

	for (uint32_t i = 0; i < pin->nbatch; i++) {
		snprintf(tmp, sizeof(tmp), "%s_new", pin->batched[i]);
		unlinkat(pin->dirfd, tmp, 0);
	}
	batch_end(pin);
}

static void reattach_old(struct slot *s)
{
	struct bw_rt_att att;
	enum bw_xdp_mode m = s->old.xdp_flags & XDP_FLAGS_SKB_MODE ?
			     BW_XDP_GENERIC : BW_XDP_NATIVE;

	if (s->old_prog_fd < 0 ||
	    bw_rt_attach(s->old_prog_fd, s->old.hook, s->old.ifindex, m, true,
			 &att)) {
		bw_rt_log("rollback: ifindex %u has no XDP program now",
			  s->old.ifindex);
		return;
	}
	unlink(s->path);
	if (bpf_obj_pin(att.fd, s->path))
		bw_rt_log("rollback: cannot pin %s: %s", s->path, strerror(errno));
	close(att.fd);
}

static void clsact_repin(const struct bw_rt_pin *pin, const struct bw_rt_att *a,
			 int prog_fd)
{
	char name[64];

	bw_rt_att_name(a->kind, a->hook, a->ifindex, name, sizeof(name));
	if (bw_rt_pin_replace(pin, prog_fd, name))
		bw_rt_log("rollback: %s/%s holds the new program", pin->dir, name);
}

static void rollback(const struct bw_rt_pin *pin, struct slot *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (s[i].created) {
			char name[64];
			const char *base = strrchr(s[i].path, '/');

			snprintf(name, sizeof(name), "%s", base ? base + 1 : s[i].path);
			bw_rt_att_remove(pin, name, &s[i].cur);
			/* give the old attachment its pin back */
			if (s[i].replaced_pin && s[i].old.fd >= 0 &&
			    bpf_obj_pin(s[i].old.fd, s[i].path))
				bw_rt_log("rollback: cannot pin %s again: %s",
					  s[i].path, strerror(errno));
			s[i].created = false;
		}
		if (s[i].old_detached) {
			reattach_old(&s[i]);
			s[i].old_detached = false;
		}
		if (s[i].updated && s[i].old_prog_fd >= 0) {
			if (bw_rt_att_replace(&s[i].old, s[i].old_prog_fd))
				bw_rt_log("rollback: ifindex %u keeps the new program",
					  s[i].old.ifindex);
			else if (s[i].old.kind == BW_RT_KIND_CLSACT)
				clsact_repin(pin, &s[i].old, s[i].old_prog_fd);
			s[i].updated = false;
		}
	}
}

static int state_build(const struct bw_rt_plan *pl, const struct bw_ir *ir,
		       const struct slot *slots, struct bw_rt_state *st)
{
	int err = bw_rt_netns_id(&st->netns_dev, &st->netns_ino);

	if (err)
		return err;
	st->nhandle = ir->nhandle;
	st->nlookup = pl->maps.nlookup;
	st->nap = pl->nap;
	st->text = ir->text;
	st->list = pl->list;
	st->list_len = (uint32_t)pl->list_len;
	st->ap = calloc(pl->nap ? pl->nap : 1, sizeof(*st->ap));
	if (!st->ap)
		return -ENOMEM;
	for (uint32_t i = 0; i < pl->nap; i++) {
		const struct bw_rt_att *a = slots[i].created ? &slots[i].cur :
					    &slots[i].old;

		st->ap[i].hook = pl->ap[i].hook;
		st->ap[i].kind = a->kind;
		st->ap[i].ifindex = pl->ap[i].ifindex;
		st->ap[i].nf = pl->ap[i].nf;
		st->ap[i].chain = pl->ap[i].chain;
		st->ap[i].nf_actual = a->nf_actual;
		st->ap[i].xdp_flags = a->xdp_flags;
		st->ap[i].tc_handle = a->tc_handle;
		st->ap[i].tc_prio = a->tc_prio;
		snprintf(st->ap[i].ifname, sizeof(st->ap[i].ifname), "%s",
			 pl->ap[i].ifname);
	}
	return 0;
}

/*
 * A reject's answer leaves a veth with XDP_TX: in native mode the kernel
 * hands it to the other end's NAPI, which runs only when that end has an
 * XDP program of its own (or GRO on), else the answer is lost; in generic
 * mode it is transmitted as an skb and always arrives.  So auto mode
 * picks generic for a veth whose program answers, where it attaches
 * anew; a running program keeps its mode (swap_xdp_mode).
 */
static enum bw_xdp_mode ap_mode(const struct bw_rt_ap *a, enum bw_xdp_mode mode)
{
	if (mode != BW_XDP_AUTO || a->hook != BW_HOOK_XDP || !a->veth ||
	    !a->prog->answers)
		return mode;
	bw_rt_debug("%s: generic XDP (reject answers over a veth need it)",
		    a->ifname);
	return BW_XDP_GENERIC;
}

/* A netfilter program: a new link, pinned under its id.  During the
 * swap the old link, removed after the state is recorded, runs too: a
 * packet meets both, and any drop holds (never a moment without). */
static int attach_nf(const struct bw_rt_ap *a, struct slot *s,
		     const struct bw_rt_pin *pin, struct bw_diags *d)
{
	char name[64], what[96];
	int err;

	err = bw_rt_attach_nf(a->prog_fd, a->dispatch, &a->nf, &s->cur);
	if (err) {
		bw_rt_ap_what(a, what, sizeof(what));
		bw_error(d, NULL, "cannot attach %s: %s", what, strerror(-err));
		return err;
	}
	s->created = true;
	bw_rt_nf_name(&a->nf, true, name, sizeof(name));
	bw_rt_pin_path(pin, name, s->path, sizeof(s->path));
	/* the program array first: a link pinned without it could not be
	 * given the next ruleset's program */
	bw_rt_nf_name(&a->nf, false, name, sizeof(name));
	err = bw_rt_pin_replace(pin, s->cur.map_fd, name);
	if (!err) {
		bw_rt_nf_name(&a->nf, true, name, sizeof(name));
		unlink(s->path);
		if (bpf_obj_pin(s->cur.fd, s->path))
			err = -errno;
	}
	if (err)
		bw_error(d, NULL, "cannot pin the netfilter link %s: %s", name,
			 strerror(-err));
	return err;
}

/* A taken-over attachment found under another name than its own (a
 * "_new" pin of a run killed mid-replace) is pinned under its own; a
 * clsact filter's program pin follows the program it runs. */
static int pin_own_name(const struct bw_rt_ap *a, struct slot *s,
			const struct bw_rt_pin *pin, struct bw_diags *d)
{
	char name[64];
	int err = 0, fd;

	if (a->hook == BW_HOOK_NF) {
		bw_rt_nf_name(&a->nf, false, name, sizeof(name));
		if (!bw_rt_pin_holds(pin, name, s->old.map_fd))
			err = bw_rt_pin_replace(pin, s->old.map_fd, name);
		bw_rt_nf_name(&a->nf, true, name, sizeof(name));
	} else {
		bw_rt_att_name(s->old.kind, a->hook, a->ifindex, name,
			       sizeof(name));
	}
	/* a clsact filter's pin holds the program it runs now */
	fd = s->old.kind == BW_RT_KIND_CLSACT ? a->prog_fd : s->old.fd;
	if (!err && fd >= 0 && !bw_rt_pin_holds(pin, name, fd))
		err = bw_rt_pin_replace(pin, fd, name);
	if (err)
		bw_error(d, NULL, "cannot pin %s/%s: %s", pin->dir, name,
			 strerror(-err));
	return err;
}

static int update_in_place(const struct bw_rt_ap *a, struct slot *s,
			   const struct bw_rt_pin *pin, struct bw_diags *d)
{
	uint32_t id = bw_rt_att_prog_id(&s->old);
	char what[96];
	int err;

	s->old_prog_fd = id ? bpf_prog_get_fd_by_id(id) : -1;
	err = bw_rt_att_replace(&s->old, a->prog_fd);
	if (err == -ENOLINK && a->hook != BW_HOOK_NF)
		return err;	/* the link outlived its device: attach anew */
	if (err) {
		bw_rt_ap_what(a, what, sizeof(what));
		bw_error(d, NULL, "cannot replace the program of %s: %s", what,
			 strerror(-err));
		return err;
	}
	s->updated = true;
	return pin_own_name(a, s, pin, d);
}

/*
 * The mode a running XDP program keeps, or changes to: 1 when it changes
 * (held by a bridge, pinned), 0 when it stays.  Without --xdp-mode it
 * stays: the plan's choice for a new attachment (generic for a veth that
 * answers rejects) is said, not done.
 */
static int swap_xdp_mode(const struct bw_rt_ap *a, struct slot *s,
			 const struct bw_rt_pin *pin, enum bw_xdp_mode mode,
			 struct bw_diags *d)
{
	bool native = s->old.xdp_flags & XDP_FLAGS_DRV_MODE;
	char name[64];
	int err;

	if (mode == BW_XDP_AUTO) {
		if (native && ap_mode(a, mode) == BW_XDP_GENERIC)
			bw_rt_log("note: %s keeps native XDP: changing the mode of a running program would open an unfiltered window.  The answers of its reject rules are lost on this veth (the packet is still dropped) unless the other end runs an XDP program or has GRO on; `--xdp-mode generic` changes the mode, dropping every packet (none passes) for that moment",
				  a->ifname);
		return 0;
	}
	if (native == (mode == BW_XDP_NATIVE))
		return 0;
	snprintf(name, sizeof(name), "bridge_%u", a->ifindex);
	err = bw_rt_bridge_attach(a->ifindex, pin, name, &s->bridge);
	if (err) {
		bw_error(d, NULL, "cannot hold %s while its XDP mode changes (a drop-all program at TC ingress): %s; its program and mode stay",
			 a->ifname, strerror(-err));
		return err;
	}
	bw_rt_log("note: %s: XDP mode %s -> %s; every packet is dropped (none passes) until the new program runs",
		  a->ifname, native ? "native" : "generic",
		  native ? "generic" : "native");
	return 1;
}

static int swap_one(struct bw_rt_plan *pl, uint32_t i, struct slot *s,
		    const struct bw_rt_pin *pin, enum bw_xdp_mode mode,
		    struct bw_diags *d)
{
	const struct bw_rt_ap *a = &pl->ap[i];
	char name[64], cname[64];
	bool prepinned = false;
	int err;

	if (a->hook == BW_HOOK_NF && s->old.kind == BW_RT_KIND_NF)
		return update_in_place(a, s, pin, d);	/* the dispatcher stays */
	if (a->hook == BW_HOOK_NF)
		return attach_nf(a, s, pin, d);

	if (s->old.kind != BW_RT_KIND_NONE) {
		int change = 0;

		if (a->hook == BW_HOOK_XDP) {
			change = swap_xdp_mode(a, s, pin, mode, d);
			if (change < 0)
				return change;
		}
		if (!change) {
			err = update_in_place(a, s, pin, d);
			if (err != -ENOLINK)
				return err;
			bw_rt_debug("ifindex %u: old link is defunct", a->ifindex);
		} else {
			/* the bridge holds the device: the old program goes
			 * (rollback attaches it again) */
			uint32_t id = bw_rt_att_prog_id(&s->old);

			s->old_prog_fd = id ? bpf_prog_get_fd_by_id(id) : -1;
			bw_rt_att_name(s->old.kind, a->hook, a->ifindex, name,
				       sizeof(name));
			bw_rt_pin_path(pin, name, s->path, sizeof(s->path));
			if (bpf_link_detach(s->old.fd)) {
				err = -errno;
				bw_error(d, NULL, "cannot detach the XDP program of %s: %s",
					 a->ifname, strerror(errno));
				return err;
			}
			s->old_detached = true;
		}
		/* the old attachment goes with the stale ones */
		s->keep_old = true;
	}
	if (a->hook == BW_HOOK_TC) {
		/* a clsact filter outlives this process: its program is
		 * pinned before it can be attached */
		bw_rt_att_name(BW_RT_KIND_CLSACT, a->hook, a->ifindex, cname,
			       sizeof(cname));
		err = bw_rt_pin_replace(pin, a->prog_fd, cname);
		if (err) {
			bw_error(d, NULL, "cannot pin %s/%s: %s", pin->dir, cname,
				 strerror(-err));
			return err;
		}
		prepinned = true;
	}
	err = bw_rt_attach(a->prog_fd, a->hook, a->ifindex, ap_mode(a, mode),
			   pl->allow_tcx, &s->cur);
	if (prepinned && (err || s->cur.kind != BW_RT_KIND_CLSACT))
		bw_rt_unpin_same(pin, cname, a->prog_fd);
	if (err) {
		bw_error(d, NULL, "cannot attach %s to %s: %s",
			 a->hook == BW_HOOK_XDP ? "XDP" : "TC egress",
			 a->ifname, strerror(-err));
		return err;
	}
	s->created = true;
	bw_rt_att_name(s->cur.kind, a->hook, a->ifindex, name, sizeof(name));
	bw_rt_pin_path(pin, name, s->path, sizeof(s->path));
	if (s->cur.kind == BW_RT_KIND_CLSACT)
		return 0;	/* pinned above */
	if (s->keep_old && s->old.kind == s->cur.kind) {
		err = bw_rt_pin_replace(pin, s->cur.fd, name);
		if (err)
			bw_error(d, NULL, "cannot pin %s: %s", s->path,
				 strerror(-err));
		else
			s->replaced_pin = true;
		return err;
	}
	unlink(s->path);
	if (bpf_obj_pin(s->cur.fd, s->path)) {
		err = -errno;
		bw_error(d, NULL, "cannot pin %s: %s", s->path, strerror(errno));
		return err;
	}
	return 0;
}

/* The maps the new state describes, and the state, pinned as one commit:
 * a run killed before it leaves the old maps with the old state, one
 * killed after it the new with the new (only a kill between its renames
 * could part them, and the next load puts them together again). */
static int pin_maps(struct bw_rt_plan *pl, const struct bw_ir *ir,
		    struct bw_rt_pin *pin, int state_fd)
{
	char name[32];
	int err;

	bw_rt_pin_batch(pin);
	err = bw_rt_pin_replace(pin, pl->maps.fd[BW_MAP_COUNTERS], "counters");
	if (!err)
		err = bw_rt_pin_replace(pin, pl->maps.fd[BW_MAP_REASONS], "reasons");
	for (uint32_t i = 0; !err && i < pl->maps.nlookup; i++) {
		snprintf(name, sizeof(name), "lookup_%u", i);
		err = bw_rt_pin_replace(pin, pl->maps.lookup[i], name);
	}
	if (!err)
		err = bw_rt_sets_pin(&pl->maps, ir, pin);
	/* limits and quotas: list ruleset reads the quotas' counts */
	if (!err && pl->maps.fd[BW_MAP_LIMITS] >= 0)
		err = bw_rt_pin_replace(pin, pl->maps.fd[BW_MAP_LIMITS], "limits");
	if (!err)
		err = bw_rt_pin_replace(pin, state_fd, "state");
	if (err) {
		bw_rt_pin_uncommit(pin);
		return err;
	}
	return bw_rt_pin_commit(pin);
}

/* After the new state is pinned: the pins of a swap's the plan does not
 * name, left by an older ruleset or a run killed mid-swap (the
 * attachments among them are gone already): lookup maps beyond the
 * plan's, program arrays of netfilter hooks it does not use, and every
 * "_new" pin of a replace that never finished. */
static void sweep(const struct bw_rt_plan *pl, const struct bw_rt_pin *pin)
{
	struct dirent *e;
	int dfd = dup(pin->dirfd);
	DIR *dir = dfd >= 0 ? fdopendir(dfd) : NULL;

	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return;
	}
	rewinddir(dir);
	while ((e = readdir(dir))) {
		const char *n = e->d_name;
		size_t len = strlen(n);
		bool stale = false;
		unsigned u, h;
		int prio;

		if (!bw_rt_pin_name_ours(n))
			continue;
		if (len > 4 && !strcmp(n + len - 4, "_new")) {
			stale = true;
		} else if (sscanf(n, "lookup_%u", &u) == 1) {
			stale = u >= pl->maps.nlookup;
		} else if (!strcmp(n, "limits")) {
			stale = pl->maps.fd[BW_MAP_LIMITS] < 0;
		} else if (sscanf(n, "nfprog_%u_%u_%d", &u, &h, &prio) == 3) {
			stale = true;
			for (uint32_t i = 0; i < pl->nap && stale; i++)
				stale = !(pl->ap[i].hook == BW_HOOK_NF &&
					  pl->ap[i].nf.pf == u &&
					  pl->ap[i].nf.hook == h &&
					  pl->ap[i].nf.priority == prio);
		}
		if (!stale || !bw_rt_pin_is_ours(pin, n))
			continue;
		bw_rt_debug("removing %s/%s: the new ruleset does not name it",
			    pin->dir, n);
		if (unlinkat(pin->dirfd, n, 0) && errno != ENOENT)
			bw_rt_log("cannot remove %s/%s: %s", pin->dir, n,
				  strerror(errno));
	}
	rewinddir(dir);	/* the offset is the pin dir fd's too */
	closedir(dir);
}

/* Does old attachment j run for the plan (taken over, or the same object
 * under another name)? */
static bool kept(const struct bw_rt_old *olds, uint32_t nold,
		 const int32_t *claimed, const struct slot *slots, uint32_t j)
{
	for (uint32_t k = 0; k < nold; k++) {
		const struct slot *s = claimed[k] ? &slots[claimed[k] - 1] : NULL;

		if (!s || s->keep_old)
			continue;
		if (k == j || (olds[j].id && olds[k].id == olds[j].id &&
			       olds[k].att.kind == olds[j].att.kind))
			return true;
	}
	return false;
}

/* The old attachment plan ap a takes over: a live one at its attach
 * point, the state's before one found by its pin alone. */
static int32_t claim(const struct bw_rt_ap *a, const struct bw_rt_old *olds,
		     uint32_t nold, const int32_t *claimed)
{
	for (uint32_t j = 0; j < nold; j++) {
		const struct bw_rt_att *o = &olds[j].att;

		if (claimed[j] || !olds[j].live || o->bridge)
			continue;
		if (a->hook == BW_HOOK_NF ?
		    o->kind == BW_RT_KIND_NF && o->nf.pf == a->nf.pf &&
		    o->nf.hook == a->nf.hook && o->nf.priority == a->nf.priority :
		    o->hook == a->hook && o->ifindex == a->ifindex &&
		    o->kind != BW_RT_KIND_NF)
			return (int32_t)j;
	}
	return -1;
}

/* Read the running state; one of another version, or damaged, is
 * replaced: its attachments are found by their pins. */
static int old_state(const struct bw_rt_pin *pin, struct bw_rt_state *old,
		     struct bw_diags *d)
{
	uint64_t dev, ino;
	int err = bw_rt_state_load(pin, old);

	if (err == -BW_RT_EVERSION || err == -EBADMSG || err == -BW_RT_ESHAPE) {
		bw_rt_log("note: the state in %s is %s: replacing it (the attachments it had are found by their pins)",
			  pin->dir, err == -BW_RT_EVERSION ?
			  "of another version of bpfwall" : "damaged");
		memset(old, 0, sizeof(*old));
		return 0;
	}
	if (err == -ENOENT)
		return 0;
	if (err) {
		bw_error(d, NULL, "cannot read the running ruleset's state in %s: %s",
			 pin->dir, bw_rt_state_strerror(err));
		return err;
	}
	err = bw_rt_netns_id(&dev, &ino);
	if (!err && old->nap && (old->netns_dev != dev || old->netns_ino != ino)) {
		bw_error(d, NULL, "the ruleset in %s runs in another network namespace; use another --pin-dir",
			 pin->dir);
		err = -EXDEV;
	}
	return err;
}

int bw_rt_plan_swap(struct bw_rt_plan *pl, const struct bw_ir *ir,
		    struct bw_rt_pin *pin, enum bw_xdp_mode mode,
		    struct bw_diags *d)
{
	struct bw_rt_state old = { 0 }, st = { 0 };
	struct bw_rt_old *olds = NULL;
	struct slot *slots = NULL;
	int32_t *claimed = NULL;	/* old j -> slot + 1, 0: unclaimed */
	uint32_t nold = 0;
	int err, state_fd = -1;

	err = old_state(pin, &old, d);
	if (!err)
		err = bw_rt_olds_open(pin, &old, &olds, &nold);
	if (err)
		goto out_old;
	slots = calloc(pl->nap ? pl->nap : 1, sizeof(*slots));
	claimed = calloc(nold ? nold : 1, sizeof(*claimed));
	if (!slots || !claimed) {
		err = -ENOMEM;
		goto out_old;
	}
	for (uint32_t i = 0; i < pl->nap; i++) {
		struct slot *s = &slots[i];

		s->old_prog_fd = -1;
		s->old.fd = s->old.map_fd = -1;
		s->cur.fd = s->cur.map_fd = -1;
		s->bridge.fd = s->bridge.map_fd = -1;
		s->oj = claim(&pl->ap[i], olds, nold, claimed);
		if (s->oj >= 0) {
			claimed[s->oj] = (int32_t)i + 1;
			s->old = olds[s->oj].att;
			if (olds[s->oj].entry < 0)
				bw_rt_debug("taking over %s, pinned but not in the state",
					    olds[s->oj].path);
		}
	}

	/* 1. swap every attach point in place, or attach anew */
	for (uint32_t i = 0; i < pl->nap; i++) {
		err = swap_one(pl, i, &slots[i], pin, mode, d);
		if (err) {
			rollback(pin, slots, i + 1);
			goto out;
		}
	}
	/* the new state must exist before we remove anything old */
	err = state_build(pl, ir, slots, &st);
	if (!err) {
		state_fd = bw_rt_state_create(&st);
		if (state_fd < 0)
			err = state_fd;
	}
	if (err) {
		bw_error(d, NULL, "cannot record the new ruleset's state: %s",
			 strerror(-err));
		rollback(pin, slots, pl->nap);
		goto out;
	}
	/* the ruleset's part in nf_tables, in one transaction of its own:
	 * refused, the new programs go again and nothing changed */
	if (pl->nft) {
		err = bw_rt_nft_commit(pl->nft, d);
		if (err) {
			rollback(pin, slots, pl->nap);
			goto out;
		}
	}

	/* 2. remove what the new ruleset does not run: attach points it no
	 * longer has, old attachments replaced by one in another mode,
	 * and what a run killed mid-swap left pinned */
	for (uint32_t j = 0; j < nold; j++) {
		/* (the same link under a "_new" name: the sweep takes
		 * the name) */
		if (kept(olds, nold, claimed, slots, j))
			continue;
		if (olds[j].att.kind == BW_RT_KIND_NONE && olds[j].att.fd < 0)
			continue;	/* already gone */
		bw_rt_att_remove(pin, olds[j].name, &olds[j].att);
	}

	/* 3. the pinned maps and state, then what no one names */
	err = pin_maps(pl, ir, pin, state_fd);
	if (err)
		bw_error(d, NULL, "the new ruleset runs, but its state could not be pinned in %s: %s",
			 pin->dir, strerror(-err));
	else
		sweep(pl, pin);
out:
	for (uint32_t i = 0; i < pl->nap; i++) {
		char name[32];

		if (slots[i].bridge.kind != BW_RT_KIND_NONE) {
			snprintf(name, sizeof(name), "bridge_%u", slots[i].bridge.ifindex);
			bw_rt_att_remove(pin, name, &slots[i].bridge);
		}
		if (slots[i].old_prog_fd >= 0)
			close(slots[i].old_prog_fd);
		if (slots[i].cur.fd >= 0)
			close(slots[i].cur.fd);
		if (slots[i].cur.map_fd >= 0)
			close(slots[i].cur.map_fd);
	}
	if (state_fd >= 0)
		close(state_fd);
	st.text = NULL;		/* borrowed from ir */
	st.list = NULL;		/* and from pl */
	bw_rt_state_fini(&st);
out_old:
	free(slots);
	free(claimed);
	bw_rt_olds_close(&olds, nold);
	bw_rt_state_fini(&old);
	return err;
}
