// SPDX-License-Identifier: GPL-2.0-only
/*
 * From a ruleset to the programs it needs (one per hook and interface),
 * and the entry points that load them: apply (-f), verify (-c as root) and
 * the dry run (-d).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "rt.h"
#include "audit.h"
#include "../compiler/log.h"

static enum bw_chain_hook netdev_hook(enum bw_hook h)
{
	return h == BW_HOOK_TC ? BW_CHAIN_EGRESS : BW_CHAIN_INGRESS;
}

static enum bw_chain_hook every_hook(enum bw_hook h)
{
	return h == BW_HOOK_TC ? BW_CHAIN_OUTPUT : BW_CHAIN_INPUT;
}

static bool has_every(const struct bw_ir *ir, enum bw_hook h)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (ir->chain[c].hook == every_hook(h))
			return true;
	return false;
}

/* Chain index of the first netdev chain of hook h on dev, or -1. */
static int first_on_device(const struct bw_ir *ir, enum bw_hook h,
			   const char *dev)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (ir->chain[c].hook == netdev_hook(h) && ir->chain[c].device &&
		    !strcmp(ir->chain[c].device, dev))
			return (int)c;
	return -1;
}

static int add_one(struct bw_rt_plan *pl, const struct bw_ir *ir,
		   enum bw_hook h, const struct bw_rt_iface *f, const char *ifname,
		   bool trace, struct bw_diags *d, uint32_t *idx)
{
	struct bw_codegen_opts co = { .trace = trace, .plan = pl->opt };
	uint32_t ifindex = f ? f->ifindex : 0;

	if (f && f->has_addr)
		co.mac = f->addr;
	struct bw_prog *p = NULL;
	int err;

	/* no chain here: no program, unless it has flows to track */
	if (!bw_ir_chains_for(ir, h == BW_HOOK_TC, ifname, idx) &&
	    !bw_ir_uses_field(ir, BW_F_CT_STATE))
		return 0;
	err = bw_codegen(ir, h, ifname, &co, d, &p);
	if (err) {
		if (!d->nerrors)
			bw_error(d, NULL, "code generation failed for %s on %s: %s",
				 h == BW_HOOK_TC ? "egress" : "ingress",
				 ifname ? ifname : "every interface",
				 strerror(-err));
		return err;
	}
	err = bw_rt_plan_add(pl, h, ifindex, ifname, p);
	if (!err && f)
		pl->ap[pl->nap - 1].veth = f->veth;
	return err;
}

/* iif and oif name existing interfaces (as in nft, which resolves them
 * to an index when it loads); iifname and oifname may name any. */
static int check_ifaces(const struct bw_ir *ir, const struct bw_rt_ifaces *ifs,
			struct bw_diags *d)
{
	int err = 0;

	for (uint32_t c = 0; c < ir->nchain; c++)
		for (uint32_t r = 0; r < ir->chain[c].nrule; r++) {
			const struct bw_ir_rule *ru = &ir->chain[c].rule[r];

			for (uint32_t m = 0; m < ru->nmatch; m++) {
				const struct bw_ir_match *mt = &ru->match[m];

				if (mt->field != BW_F_META_IIF &&
				    mt->field != BW_F_META_OIF)
					continue;
				for (uint32_t i = 0; i < mt->nelem; i++) {
					char name[17] = { 0 };

					memcpy(name, mt->elem[i].lo, 16);
					if (bw_rt_iface_find(ifs, name))
						continue;
					bw_error(d, &mt->loc, "interface \"%s\" does not exist (%s names an existing interface; %sname matches any name)",
						 name, bw_field(mt->field)->name,
						 bw_field(mt->field)->name);
					err = -ENODEV;
				}
			}
		}
	return err;
}

int bw_rt_plan_build(struct bw_rt_plan *pl, const struct bw_ir *ir,
		     const struct bw_rt_ifaces *ifaces, bool trace,
		     struct bw_diags *d)
{
	uint32_t *idx;
	int err = 0;

	if (ifaces) {
		err = check_ifaces(ir, ifaces, d);
		if (err)
			return err;
	}

	if (!pl->opt) {
		err = bw_optimize(ir, NULL, &pl->opt);
		if (err) {
			bw_error(d, NULL, "optimizer failed: %s", strerror(-err));
			return err;
		}
	}
	idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*idx));
	if (!idx)
		return -ENOMEM;
	for (int h = 0; h < BW_HOOK__MAX && !err; h++) {
		if (h != BW_HOOK_XDP && h != BW_HOOK_TC)
			continue;	/* connect hooks: runtime/audit.c */
		/* conntrack sees both directions: where either hook has a
		 * chain, both get a program */
		enum bw_hook o = h == BW_HOOK_XDP ? BW_HOOK_TC : BW_HOOK_XDP;
		bool ct = bw_ir_uses_field(ir, BW_F_CT_STATE);
		bool every = has_every(ir, h) || (ct && has_every(ir, o));

		/* devices named by netdev chains must exist */
		for (uint32_t c = 0; ifaces && c < ir->nchain; c++) {
			const struct bw_ir_chain *ch = &ir->chain[c];

			if (ch->hook != netdev_hook(h) || !ch->device ||
			    first_on_device(ir, h, ch->device) != (int)c)
				continue;
			if (!bw_rt_iface_find(ifaces, ch->device)) {
				bw_error(d, &ch->loc,
					 "device \"%s\" does not exist (chain %s %s)",
					 ch->device, ch->table, ch->name);
				err = -ENODEV;
			}
		}
		if (err)
			break;
		if (ifaces) {
			for (uint32_t i = 0; i < ifaces->n && !err; i++) {
				const struct bw_rt_iface *f = &ifaces->v[i];

				if (first_on_device(ir, h, f->name) < 0 &&
				    !(ct && first_on_device(ir, o, f->name) >= 0) &&
				    !(every && bw_rt_iface_attachable(f)))
					continue;
				err = add_one(pl, ir, h, f, f->name, trace, d,
					      idx);
			}
			continue;
		}
		/* no interfaces: one program per device, one for the rest */
		for (uint32_t c = 0; c < ir->nchain && !err; c++) {
			const struct bw_ir_chain *ch = &ir->chain[c];

			if (ch->hook == netdev_hook(h) && ch->device &&
			    first_on_device(ir, h, ch->device) == (int)c)
				err = add_one(pl, ir, h, NULL, ch->device,
					      trace, d, idx);
			else if (ct && ch->hook == netdev_hook(o) && ch->device &&
				 first_on_device(ir, o, ch->device) == (int)c &&
				 first_on_device(ir, h, ch->device) < 0)
				err = add_one(pl, ir, h, NULL, ch->device,
					      trace, d, idx);
		}
		if (!err && every)
			err = add_one(pl, ir, h, NULL, NULL, trace, d, idx);
	}
	free(idx);
	return err;
}

int bw_rt_apply(const struct bw_ir *ir, const struct bw_rt_opts *o,
		struct bw_diags *d)
{
	struct bw_rt_ifaces ifs = { 0 };
	struct bw_rt_audit audit;
	struct bw_rt_plan pl;
	struct bw_rt_pin pin;
	int err;

	bw_rt_set_verbose(o && o->verbose);
	bw_compat_memlock();
	bw_rt_plan_init(&pl);
	bw_rt_audit_init(&audit);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), true, true, o->pin_outlive, &pin);
	if (err) {
		bw_error(d, NULL, "cannot use the pin dir %s: %s",
			 bw_rt_pin_dir(o), strerror(-err));
		return err;
	}
	err = bw_rt_ifaces_dump(&ifs);
	if (err) {
		bw_error(d, NULL, "cannot list the network interfaces: %s",
			 strerror(-err));
		goto out;
	}
	err = bw_rt_plan_build(&pl, ir, &ifs, false, d);
	if (!err && ir->nlog) {
		/* the pinned ringbuf: a running monitor reads on */
		pl.maps.fd[BW_MAP_LOG] = bw_rt_ringbuf_get(&pin, "log_events",
							   BW_LOG_RINGBUF_SIZE);
		if (pl.maps.fd[BW_MAP_LOG] < 0) {
			err = pl.maps.fd[BW_MAP_LOG];
			bw_error(d, NULL, "cannot make the log ringbuf: %s", strerror(-err));
		}
	}
	if (!err && bw_ir_uses_field(ir, BW_F_CT_STATE)) {
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
		err = bw_rt_audit_prepare(ir, o, &pin, &pl.maps, &audit, d);
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
	if (!err)
		for (uint32_t i = 0; i < pl.nap; i++)
			bw_rt_debug("%s attached to %s (ifindex %u), %u instructions",
				    pl.ap[i].hook == BW_HOOK_XDP ? "ingress" : "egress",
				    pl.ap[i].ifname, pl.ap[i].ifindex,
				    pl.ap[i].prog->ninsn);
out:
	bw_rt_audit_fini(&audit);
	bw_rt_plan_fini(&pl);
	bw_rt_ifaces_fini(&ifs);
	if (err)	/* a failed first load leaves nothing behind */
		bw_rt_pin_discard(&pin);
	bw_rt_pin_close(&pin);
	return err;
}

int bw_rt_verify(const struct bw_ir *ir, const struct bw_rt_opts *o,
		 struct bw_diags *d)
{
	struct bw_rt_plan pl;
	int err;

	bw_rt_set_verbose(o && o->verbose);
	bw_compat_memlock();
	bw_rt_plan_init(&pl);
	err = bw_rt_plan_build(&pl, ir, NULL, false, d);
	if (!err)
		err = bw_rt_plan_load(&pl, ir, d);
	bw_rt_plan_fini(&pl);
	if (!err)	/* the connect hooks a load would attach too */
		err = bw_rt_audit_verify(ir, o, d);
	return err;
}

int bw_rt_dump(const struct bw_ir *ir, FILE *out, struct bw_diags *d)
{
	struct bw_rt_plan pl;
	int err;

	bw_rt_plan_init(&pl);
	err = bw_rt_plan_build(&pl, ir, NULL, false, d);
	for (uint32_t i = 0; !err && out && i < pl.nap; i++) {
		const struct bw_rt_ap *a = &pl.ap[i];
		bool others = false;

		/* the ifname-less program runs where no netdev chain is */
		for (uint32_t j = 0; j < pl.nap; j++)
			if (pl.ap[j].hook == a->hook && pl.ap[j].ifname[0])
				others = true;
		if (i)
			fputc('\n', out);
		if (a->ifname[0])
			fprintf(out, "# hook %s, device %s: %u instructions\n",
				a->hook == BW_HOOK_XDP ? "ingress (xdp)" : "egress (tc)",
				a->ifname, a->prog->ninsn);
		else
			fprintf(out, "# hook %s, every %sinterface: %u instructions\n",
				a->hook == BW_HOOK_XDP ? "ingress (xdp)" : "egress (tc)",
				others ? "other " : "", a->prog->ninsn);
		bw_disasm(a->prog, out);
	}
	bw_rt_plan_fini(&pl);
	return err;
}
