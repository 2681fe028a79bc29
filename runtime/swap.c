// SPDX-License-Identifier: GPL-2.0-only
/*
 * Atomic replace.  A plan (one program per attach point) is loaded in full
 * before anything attached changes; then each attachment is swapped in
 * place (bpf_link_update, clsact replace), new attach points get new
 * links, stale ones are removed, and last the pinned maps and state are
 * replaced.  A failure during the swap puts back what was already changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "compat.h"
#include "rt.h"
#include "../compiler/build.h"
#include "../compiler/nft.h"

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
	bw_opt_plan_free(&pl->opt);
	bw_nft_plan_free(&pl->nft);
	bw_rt_maps_close(&pl->maps);
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
	bool trace = false;
	int err = 0;

	trace = bw_rt_plan_uses_map(pl, BW_MAP_TRACE);
	err = bw_rt_maps_create(&pl->maps, ir, pl->opt, trace);
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
	struct bw_rt_att old;		/* kind NONE: none */
	struct bw_rt_att cur;		/* new attachment (created here) */
	int old_prog_fd;		/* for rollback of an update */
	bool updated, created, keep_old;
	bool replaced_pin;		/* cur's pin took old's name */
	int orphan_fd;			/* old.fd when adopted (owned) */
	bool old_detached;		/* XDP mode change: old link gone */
	char path[320];
};

/* Pin fd as dir/name atomically: pin to name_new, then rename (bpffs
 * refuses names with a dot). */
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
	if (rename(tmp, path)) {
		err = -errno;
		bw_rt_log("cannot rename %s to %s: %s", tmp, path, strerror(errno));
		unlink(tmp);
		return err;
	}
	return 0;
}

/* A link pinned under our name but missing from the state (a run that
 * died between attaching and recording): take it over, do not trip on it. */
static void adopt_orphan(const struct bw_rt_pin *pin, const struct bw_rt_ap *a,
			 struct bw_rt_att *old)
{
	struct bw_rt_state_ap sa = { .hook = a->hook, .ifindex = a->ifindex,
				     .kind = a->hook == BW_HOOK_XDP ?
				     BW_RT_KIND_XDP : a->hook == BW_HOOK_NF ?
				     BW_RT_KIND_NF : BW_RT_KIND_TCX,
				     .nf = a->nf };
	char path[320];

	bw_rt_att_open(pin, &sa, old, path, sizeof(path));
	if (old->kind != BW_RT_KIND_NONE)
		bw_rt_debug("taking over %s, pinned but not in the state", path);
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

static void unpin_nf_array(const struct bw_rt_pin *pin, const struct bw_rt_nf *nf)
{
	char name[64], path[320];

	bw_rt_nf_name(nf, false, name, sizeof(name));
	if (!bw_rt_pin_path(pin, name, path, sizeof(path)))
		unlink(path);
}

static void rollback(const struct bw_rt_pin *pin, struct slot *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (s[i].created) {
			if (s[i].cur.kind == BW_RT_KIND_NF)
				unpin_nf_array(pin, &s[i].cur.nf);
			bw_rt_att_detach(&s[i].cur);
			unlink(s[i].path);
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
 * XDP program of its own, else the answer is lost; in generic mode it is
 * transmitted as an skb and always arrives.  So auto mode picks generic
 * for a veth whose program answers.
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
	/* the program array first: a link pinned without it could not be
	 * given the next ruleset's program */
	bw_rt_nf_name(&a->nf, false, name, sizeof(name));
	err = bw_rt_pin_replace(pin, s->cur.map_fd, name);
	if (!err) {
		bw_rt_nf_name(&a->nf, true, name, sizeof(name));
		bw_rt_pin_path(pin, name, s->path, sizeof(s->path));
		unlink(s->path);
		if (bpf_obj_pin(s->cur.fd, s->path))
			err = -errno;
	}
	if (err)
		bw_error(d, NULL, "cannot pin the netfilter link %s: %s", name,
			 strerror(-err));
	return err;
}

static int swap_one(struct bw_rt_plan *pl, uint32_t i, struct slot *s,
		    const struct bw_rt_pin *pin, enum bw_xdp_mode mode,
		    struct bw_diags *d)
{
	const struct bw_rt_ap *a = &pl->ap[i];
	char name[64];
	int err;

	if (a->hook == BW_HOOK_NF && s->old.kind == BW_RT_KIND_NF) {
		/* the dispatcher stays; its program changes */
		uint32_t id = bw_rt_att_prog_id(&s->old);

		s->old_prog_fd = id ? bpf_prog_get_fd_by_id(id) : -1;
		err = bw_rt_att_replace(&s->old, a->prog_fd);
		if (err)
			bw_error(d, NULL, "cannot replace the netfilter program (hook %u, priority %d): %s",
				 a->nf.hook, a->nf.priority, strerror(-err));
		else
			s->updated = true;
		return err;
	}
	if (a->hook == BW_HOOK_NF)
		return attach_nf(a, s, pin, d);

	mode = ap_mode(a, mode);
	if (s->old.kind != BW_RT_KIND_NONE) {
		bool mode_change = a->hook == BW_HOOK_XDP && mode != BW_XDP_AUTO &&
			!(s->old.xdp_flags & (mode == BW_XDP_NATIVE ?
					      XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE));

		if (!mode_change) {
			uint32_t id = bw_rt_att_prog_id(&s->old);

			s->old_prog_fd = id ? bpf_prog_get_fd_by_id(id) : -1;
			err = bw_rt_att_replace(&s->old, a->prog_fd);
			if (!err) {
				s->updated = true;
				return 0;
			}
			if (err != -ENOLINK) {
				bw_error(d, NULL, "cannot replace the program on %s (ifindex %u): %s",
					 a->ifname, a->ifindex, strerror(-err));
				return err;
			}
			/* the link outlived its device: attach anew */
			bw_rt_debug("ifindex %u: old link is defunct", a->ifindex);
		}
		if (mode_change) {
			/* The kernel runs native and generic XDP on one device
			 * never at once: the old program goes first (rollback
			 * attaches it again). */
			uint32_t id = bw_rt_att_prog_id(&s->old);

			s->old_prog_fd = id ? bpf_prog_get_fd_by_id(id) : -1;
			bw_rt_att_name(s->old.kind, a->hook, a->ifindex, name,
				       sizeof(name));
			bw_rt_pin_path(pin, name, s->path, sizeof(s->path));
			bw_rt_debug("ifindex %u: XDP mode change, not atomic",
				    a->ifindex);
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
	err = bw_rt_attach(a->prog_fd, a->hook, a->ifindex, ap_mode(a, mode),
			   pl->allow_tcx, &s->cur);
	if (err) {
		bw_error(d, NULL, "cannot attach %s to %s: %s",
			 a->hook == BW_HOOK_XDP ? "XDP" : "TC egress",
			 a->ifname, strerror(-err));
		return err;
	}
	s->created = true;
	bw_rt_att_name(s->cur.kind, a->hook, a->ifindex, name, sizeof(name));
	bw_rt_pin_path(pin, name, s->path, sizeof(s->path));
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

static int pin_maps(struct bw_rt_plan *pl, const struct bw_ir *ir,
		    const struct bw_rt_pin *pin, int state_fd, uint32_t old_nlookup)
{
	char name[32], path[320];
	int err;

	err = bw_rt_pin_replace(pin, pl->maps.fd[BW_MAP_COUNTERS], "counters");
	if (!err)
		err = bw_rt_pin_replace(pin, pl->maps.fd[BW_MAP_REASONS], "reasons");
	for (uint32_t i = 0; !err && i < pl->maps.nlookup; i++) {
		snprintf(name, sizeof(name), "lookup_%u", i);
		err = bw_rt_pin_replace(pin, pl->maps.lookup[i], name);
	}
	for (uint32_t i = pl->maps.nlookup; i < old_nlookup; i++) {
		snprintf(name, sizeof(name), "lookup_%u", i);
		if (!bw_rt_pin_path(pin, name, path, sizeof(path)))
			unlink(path);
	}
	if (!err)
		err = bw_rt_sets_pin(&pl->maps, ir, pin);
	if (!err)
		err = bw_rt_pin_replace(pin, state_fd, "state");
	return err;
}

int bw_rt_plan_swap(struct bw_rt_plan *pl, const struct bw_ir *ir,
		    struct bw_rt_pin *pin, enum bw_xdp_mode mode,
		    struct bw_diags *d)
{
	struct bw_rt_state old = { 0 }, st = { 0 };
	struct bw_rt_att *olds = NULL;
	char (*opath)[320] = NULL;
	struct slot *slots;
	uint32_t *claimed = NULL;	/* old j -> slot + 1, 0: unclaimed */
	uint64_t dev, ino;
	int err, state_fd = -1;

	err = bw_rt_state_load(pin, &old);
	if (err && err != -ENOENT) {
		bw_error(d, NULL, "cannot read the running ruleset's state in %s: %s (flush ruleset first)",
			 pin->dir, strerror(-err));
		return err;
	}
	err = bw_rt_netns_id(&dev, &ino);
	if (err)
		goto out_old;
	if (old.nap && (old.netns_dev != dev || old.netns_ino != ino)) {
		bw_error(d, NULL, "the ruleset in %s runs in another network namespace; use another --pin-dir",
			 pin->dir);
		err = -EXDEV;
		goto out_old;
	}
	slots = calloc(pl->nap ? pl->nap : 1, sizeof(*slots));
	olds = calloc(old.nap ? old.nap : 1, sizeof(*olds));
	opath = calloc(old.nap ? old.nap : 1, sizeof(*opath));
	claimed = calloc(old.nap ? old.nap : 1, sizeof(*claimed));
	if (!slots || !olds || !opath || !claimed) {
		free(slots);
		err = -ENOMEM;
		goto out_old;
	}
	for (uint32_t j = 0; j < old.nap; j++)
		bw_rt_att_open(pin, &old.ap[j], &olds[j], opath[j], sizeof(opath[j]));
	for (uint32_t i = 0; i < pl->nap; i++) {
		slots[i].old_prog_fd = -1;
		slots[i].old.fd = slots[i].old.map_fd = -1;
		slots[i].cur.fd = slots[i].cur.map_fd = -1;
		slots[i].orphan_fd = -1;
		for (uint32_t j = 0; j < old.nap; j++) {
			/* netfilter: the dispatcher of the same hook, family
			 * and priority */
			if (pl->ap[i].hook == BW_HOOK_NF) {
				if (!claimed[j] && olds[j].hook == BW_HOOK_NF &&
				    olds[j].kind == BW_RT_KIND_NF &&
				    olds[j].nf.pf == pl->ap[i].nf.pf &&
				    olds[j].nf.hook == pl->ap[i].nf.hook &&
				    olds[j].nf.priority == pl->ap[i].nf.priority) {
					claimed[j] = i + 1;
					slots[i].old = olds[j];
					break;
				}
				continue;
			}
			if (!claimed[j] && olds[j].hook == pl->ap[i].hook &&
			    olds[j].ifindex == pl->ap[i].ifindex &&
			    olds[j].kind != BW_RT_KIND_NONE) {
				claimed[j] = i + 1;
				slots[i].old = olds[j];
				break;
			}
		}
	}

	for (uint32_t i = 0; i < pl->nap; i++) {
		if (slots[i].old.kind != BW_RT_KIND_NONE)
			continue;
		adopt_orphan(pin, &pl->ap[i], &slots[i].old);
		slots[i].orphan_fd = slots[i].old.fd;
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

	/* 2. remove attach points the new ruleset no longer has, and old
	 * attachments replaced by one in another mode */
	for (uint32_t j = 0; j < old.nap; j++) {
		const struct slot *s = claimed[j] ? &slots[claimed[j] - 1] : NULL;

		if (s && !s->keep_old)
			continue;	/* updated in place */
		if (olds[j].kind == BW_RT_KIND_NONE && olds[j].fd < 0)
			continue;	/* already gone */
		bw_rt_debug("removing %s on ifindex %u",
			    bw_rt_kind_name(olds[j].kind, olds[j].xdp_flags),
			    olds[j].ifindex);
		/* a pin the new attachment took over stays */
		if (!s || !s->replaced_pin)
			unlink(opath[j]);
		if (olds[j].kind == BW_RT_KIND_NF)
			unpin_nf_array(pin, &olds[j].nf);
		bw_rt_att_detach(&olds[j]);
	}

	/* 3. the pinned maps and state */
	err = pin_maps(pl, ir, pin, state_fd, old.nlookup);
	if (err)
		bw_error(d, NULL, "the new ruleset runs, but its state could not be pinned in %s: %s",
			 pin->dir, strerror(-err));
out:
	for (uint32_t i = 0; i < pl->nap; i++) {
		if (slots[i].old_prog_fd >= 0)
			close(slots[i].old_prog_fd);
		if (slots[i].cur.fd >= 0)
			close(slots[i].cur.fd);
	}
	for (uint32_t j = 0; j < old.nap; j++) {
		if (olds[j].fd >= 0)
			close(olds[j].fd);
		if (olds[j].map_fd >= 0)
			close(olds[j].map_fd);
	}
	for (uint32_t i = 0; i < pl->nap; i++)
		if (slots[i].orphan_fd >= 0) {
			close(slots[i].orphan_fd);
			if (slots[i].old.map_fd >= 0)
				close(slots[i].old.map_fd);
		}
	free(slots);
	if (state_fd >= 0)
		close(state_fd);
	st.text = NULL;		/* borrowed from ir */
	bw_rt_state_fini(&st);
out_old:
	free(olds);
	free(opath);
	free(claimed);
	bw_rt_state_fini(&old);
	return err;
}
