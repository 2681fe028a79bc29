// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the build step needs to know of the host (its interfaces, the
 * kernel's hooks, DNAT that forbids hoisting), and the entry points that
 * take a finished build (compiler/bpf/build.h) to the kernel: apply (-f) and
 * verify (-c as root).  The build itself is the caller's (cli/drive.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if_arp.h>

#include <bpf/bpf.h>

#include "compat.h"
#include "rt.h"
#include "audit.h"
#include "compiler/bpf/build.h"
#include "compiler/nft/nft.h"
#include "compiler/bpf/log.h"

bool bw_rt_kernel_ct(void)
{
	static int known;	/* 0: not asked, 1 yes, 2 no */
	int r;

	if (known)
		return known == 1;
	r = bw_rt_nft_present(BW_BUILD_NFT_TABLE);
	/* not allowed to ask (-d, -c without root): a load asks again */
	if (r == -EPERM || r == -EACCES)
		return true;
	known = r >= 0 ? 1 : 2;
	if (known == 2)
		bw_rt_debug("no nf_tables here (%s): chains that reject or read ct state run at XDP and TC",
			    strerror(-r));
	return known == 1;
}

/* The legacy iptables nat table, per family: /proc/net/ip_tables_names
 * lists the tables of this network namespace. */
static bool legacy_nat(const char *proc)
{
	char line[64];
	bool found = false;
	FILE *f = fopen(proc, "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = !strcmp(line, "nat\n");
	if (f)
		fclose(f);
	return found;
}

bool bw_rt_hoist(const struct bw_rt_opts *o, char *why, size_t len)
{
	char buf[160];

	if (!why) {
		why = buf;
		len = sizeof(buf);
	}
	why[0] = 0;
	if ((o && o->no_hoist) || !bw_rt_use_nf(o))
		return false;
	if (bw_rt_nft_nat_prerouting(why, len) == 1)
		return false;
	if (legacy_nat("/proc/net/ip_tables_names") ||
	    legacy_nat("/proc/net/ip6_tables_names")) {
		snprintf(why, len, "the iptables nat table");
		return false;
	}
	return true;
}

bool bw_rt_use_nf(const struct bw_rt_opts *o)
{
	enum bw_ip_hooks_mode m = o ? o->ip_hooks : BW_IP_HOOKS_AUTO;

	if (m == BW_IP_HOOKS_AUTO)
		return bw_rt_nf_supported();
	return m == BW_IP_HOOKS_NF;
}

/* Is XDP program id another tool's (not one of bpfwall's, named as
 * codegen names them)?  Not knowable: no. */
static bool xdp_foreign(uint32_t id)
{
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);
	bool foreign = false;
	int fd;

	if (!id || (fd = bpf_prog_get_fd_by_id(id)) < 0)
		return false;
	if (!bpf_obj_get_info_by_fd(fd, &info, &len))
		foreign = strncmp(info.name, "bw_", 3) != 0;
	close(fd);
	return foreign;
}

/* The host's interfaces as the build step takes them. */
static struct bw_build_iface *build_ifaces(const struct bw_rt_ifaces *ifs)
{
	struct bw_build_iface *v = calloc(ifs->n ? ifs->n : 1, sizeof(*v));

	for (uint32_t i = 0; v && i < ifs->n; i++) {
		const struct bw_rt_iface *f = &ifs->v[i];

		snprintf(v[i].name, sizeof(v[i].name), "%s", f->name);
		v[i].ifindex = f->ifindex;
		memcpy(v[i].mac, f->addr, 6);
		v[i].has_mac = f->has_addr;
		v[i].veth = f->veth;
		v[i].xdp = bw_rt_iface_attachable(f);
		v[i].loopback = f->type == ARPHRD_LOOPBACK;
		v[i].enslaved = f->master != 0;
		v[i].xdp_foreign = xdp_foreign(f->xdp_prog);
	}
	return v;
}

int bw_rt_plan_take(struct bw_rt_plan *pl, struct bw_build *b)
{
	int err = 0;

	pl->specs = b->maps;
	b->maps = NULL;
	pl->nft = b->nft;
	b->nft = NULL;
	pl->list = b->list;
	pl->list_len = b->list_len;
	b->list = NULL;
	for (uint32_t i = 0; i < b->nprog && !err; i++) {
		struct bw_build_prog *p = &b->prog[i];
		const uint8_t pfs[2] = { BW_NFPROTO_IPV4, BW_NFPROTO_IPV6 };
		int32_t first = -1;

		if (p->at == BW_AT_AUDIT) {
			if (pl->naudit < 2)
				pl->audit[pl->naudit++] = p->prog;
			else
				bw_prog_free(&p->prog);
			p->prog = NULL;
			continue;
		}
		if (p->at != BW_AT_NF) {
			err = bw_rt_plan_add(pl, p->at == BW_AT_TC ? BW_HOOK_TC :
					     BW_HOOK_XDP, p->ifindex, p->ifname,
					     p->prog);
			p->prog = NULL;
			if (!err) {
				pl->ap[pl->nap - 1].veth = p->veth;
				pl->ap[pl->nap - 1].hoisted = p->hoisted;
				pl->ap[pl->nap - 1].hoisted_only = p->hoisted_only;
			}
			continue;
		}
		/* one dispatcher link per protocol family, one program */
		for (int k = 0; k < 2 && !err; k++) {
			struct bw_rt_ap *a;

			if (!(k ? p->v6 : p->v4))
				continue;
			err = bw_rt_plan_add(pl, BW_HOOK_NF, 0, NULL,
					     first < 0 ? p->prog : NULL);
			if (err)
				break;
			a = &pl->ap[pl->nap - 1];
			a->same = first;
			a->chain = p->chains[0];
			a->dispatch = first < 0 ? p->dispatch :
				      pl->ap[first].dispatch;
			a->nf = (struct bw_rt_nf){
				.hook = p->nf_hook, .pf = pfs[k],
				.priority = p->priority,
			};
			if (first < 0) {
				first = (int32_t)pl->nap - 1;
				p->prog = NULL;
				a->own_dispatch = true;
				p->dispatch = NULL;
			}
		}
	}
	/* nothing for nf_tables: what a load before left there goes */
	if (!err && !pl->nft && bw_rt_kernel_ct())
		err = bw_nft_plan_new(BW_BUILD_NFT_TABLE, &pl->nft);
	return err;
}

void bw_rt_build_env(const struct bw_rt_opts *o, bool trace,
		     struct bw_build_env *env)
{
	*env = (struct bw_build_env){
		.ip_hooks = bw_rt_use_nf(o) ? BW_IP_HOOKS_NETFILTER :
			    BW_IP_HOOKS_XDP,
		.kernel_ct = bw_rt_kernel_ct(),
		.trace = trace,
		.devices_later = o && o->devices_later,
		/* -c and -d (no interfaces) show what a load on a host
		 * without DNAT would hoist; a load looks */
		.hoist = !(o && o->no_hoist) && bw_rt_use_nf(o),
	};
	if (!trace)	/* the connect hooks a load would attach */
		bw_rt_audit_env(o, &env->audit);
}

int bw_rt_host_open(struct bw_rt_host *h, const struct bw_rt_opts *o,
		    bool trace, bool ifaces, struct bw_diags *d)
{
	struct bw_rt_ifaces ifs = { 0 };
	char why[160];
	int err;

	memset(h, 0, sizeof(*h));
	bw_rt_build_env(o, trace, &h->env);
	if (!ifaces)
		return 0;
	h->env.hoist = bw_rt_hoist(o, why, sizeof(why));
	if (!h->env.hoist && why[0])
		bw_rt_debug("no input drops hoisted to XDP: %s may DNAT", why);
	err = bw_rt_ifaces_dump(&ifs);
	if (err) {
		bw_error(d, NULL, "cannot list the network interfaces: %s",
			 strerror(-err));
		return err;
	}
	h->iface = build_ifaces(&ifs);
	h->env.iface = h->iface;
	h->env.niface = ifs.n;
	bw_rt_ifaces_fini(&ifs);
	return h->iface ? 0 : -ENOMEM;
}

void bw_rt_host_close(struct bw_rt_host *h)
{
	free(h->iface);
	memset(h, 0, sizeof(*h));
}

int bw_rt_apply_begin(const struct bw_rt_opts *o, struct bw_rt_pin **out,
		      struct bw_diags *d)
{
	struct bw_rt_pin *pin = calloc(1, sizeof(*pin));
	int err;

	*out = NULL;
	if (!pin)
		return -ENOMEM;
	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), true, true, o->pin_outlive, pin);
	if (err) {
		bw_error(d, NULL, "cannot use the pin dir %s: %s",
			 bw_rt_pin_dir(o), strerror(-err));
		free(pin);
		return err;
	}
	*out = pin;
	return 0;
}

void bw_rt_apply_end(struct bw_rt_pin **ppin, int err)
{
	struct bw_rt_pin *pin = *ppin;

	if (!pin)
		return;
	if (err)	/* a failed first load leaves nothing behind */
		bw_rt_pin_discard(pin);
	bw_rt_pin_close(pin);
	free(pin);
	*ppin = NULL;
}

int bw_rt_apply_pin(const struct bw_ir *ir, struct bw_build *b,
		    const struct bw_rt_opts *o, struct bw_rt_pin *pinp,
		    struct bw_diags *d)
{
	struct bw_rt_audit audit;
	struct bw_rt_plan pl;
	struct bw_rt_pin pin = *pinp;
	int err;

	bw_compat_memlock();
	bw_rt_plan_init(&pl);
	bw_rt_audit_init(&audit);
	err = bw_rt_plan_take(&pl, b);
	if (!err && ir->nlog) {
		/* the pinned ringbuf: a running monitor reads on */
		pl.maps.fd[BW_MAP_LOG] = bw_rt_ringbuf_get(&pin, "log_events",
							   BW_LOG_RINGBUF_SIZE);
		if (pl.maps.fd[BW_MAP_LOG] < 0) {
			err = pl.maps.fd[BW_MAP_LOG];
			bw_error(d, NULL, "cannot make the log ringbuf: %s", strerror(-err));
		}
	}
	if (!err && bw_rt_plan_uses_map(&pl, BW_MAP_CT)) {
		/* the pinned table: flows outlive the reload */
		pl.maps.fd[BW_MAP_CT] = bw_rt_ct_get(&pin);
		if (pl.maps.fd[BW_MAP_CT] < 0) {
			err = pl.maps.fd[BW_MAP_CT];
			bw_error(d, NULL, "cannot make the conntrack map: %s",
				 strerror(-err));
		}
	}
	if (!err)
		err = bw_rt_plan_load(&pl, ir, d);
	if (!err)	/* the connect hooks (--audit): loaded before any swap */
		err = bw_rt_audit_prepare(ir, o, &pin, &pl, &audit, d);
	if (!err)
		err = bw_rt_plan_swap(&pl, ir, &pin, o ? o->xdp_mode : BW_XDP_AUTO, d);
	if (!err)
		err = bw_rt_audit_commit(&audit, &pin, d);
	if (!err) {
		err = bw_rt_log_rules_pin(ir, &pin);
		if (err)
			bw_error(d, NULL, "the new ruleset runs, but its log statements could not be recorded: %s",
				 strerror(-err));
	}
	for (uint32_t i = 0; !err && i < pl.nap; i++) {
		char what[96];

		bw_rt_ap_what(&pl.ap[i], what, sizeof(what));
		bw_rt_debug("%s attached", what);
	}
	bw_rt_audit_fini(&audit);
	bw_rt_plan_fini(&pl);
	*pinp = pin;
	return err;
}

int bw_rt_verify(const struct bw_ir *ir, struct bw_build *b,
		 const struct bw_rt_opts *o, struct bw_diags *d)
{
	struct bw_rt_plan pl;
	int err;

	bw_rt_set_verbose(o && o->verbose);
	bw_compat_memlock();
	bw_rt_plan_init(&pl);
	err = bw_rt_plan_take(&pl, b);
	if (!err)
		err = bw_rt_plan_load(&pl, ir, d);
	if (!err)	/* the connect hooks a load would attach too */
		err = bw_rt_audit_verify_plan(ir, &pl, d);
	bw_rt_plan_fini(&pl);
	return err;
}
