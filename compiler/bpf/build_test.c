// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test builds (build.h): the programs `bpfwall trace` and the verdict tests
 * run a packet through with BPF_PROG_TEST_RUN, each in a production and a
 * trace build, and which of them a packet meets on its path.  No syscalls:
 * runtime/testprog.c creates the maps, loads and runs what this returns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "uapi.h"

void bw_build_test_free(struct bw_build_test **pt)
{
	struct bw_build_test *t = pt ? *pt : NULL;

	if (!t)
		return;
	bw_prog_free(&t->prod);
	bw_prog_free(&t->trace);
	bw_opt_plan_free(&t->opt);
	bw_map_specs_free(&t->maps);
	bw_map_specs_free(&t->tmaps);
	free(t);
	*pt = NULL;
}

int bw_build_test(const struct bw_ir *ir, enum bw_hook hook, const char *ifname,
		  const struct bw_build_test_opts *o, struct bw_diags *d,
		  struct bw_build_test **out)
{
	struct bw_codegen_opts co = { 0 };
	struct bw_build_test *t;
	int err;

	*out = NULL;
	if (!bw_hook_info(hook))
		return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->hook = hook;
	if (ifname)
		snprintf(t->ifname, sizeof(t->ifname), "%s", ifname);
	err = bw_optimize(ir, o ? o->opt : NULL, &t->opt);
	if (err) {
		bw_error(d, NULL, "optimizer failed: %s", strerror(-err));
		goto fail;
	}
	co.plan = t->opt;
	co.ct_force = o ? o->ct_force : 0;
	if (o) {
		co.chains = o->chains;
		co.nchain = o->nchain;
		co.iif = o->iif;
		co.oif = o->oif;
		co.mark = o->mark;
		co.force_mark = hook == BW_HOOK_NF;
	}
	err = bw_codegen(ir, hook, ifname, &co, d, &t->prod);
	if (!err) {
		co.trace = true;
		err = bw_codegen(ir, hook, ifname, &co, d, &t->trace);
	}
	if (err) {
		if (!d->nerrors)
			bw_error(d, NULL, "code generation failed: %s",
				 strerror(-err));
		goto fail;
	}
	err = bw_map_specs_build(ir, t->opt, false, &t->maps);
	if (!err)
		err = bw_map_specs_build(ir, t->opt, true, &t->tmaps);
	if (err) {
		bw_error(d, NULL, "cannot describe the maps: %s", strerror(-err));
		goto fail;
	}
	*out = t;
	return 0;
fail:
	bw_build_test_free(&t);
	return err;
}

/* ------------------------------------------------------------ the path */

void bw_build_path_free(struct bw_build_path **pp)
{
	struct bw_build_path *p = pp ? *pp : NULL;

	if (!p)
		return;
	for (uint32_t i = 0; i < p->n; i++) {
		bw_build_test_free(&p->st[i].t[0]);
		bw_build_test_free(&p->st[i].t[1]);
	}
	free(p->st);
	free(p);
	*pp = NULL;
}

static struct bw_build_stage *add_stage(struct bw_build_path *p)
{
	struct bw_build_stage *v = reallocarray(p->st, p->n + 1, sizeof(*v));

	if (!v)
		return NULL;
	p->st = v;
	memset(&v[p->n], 0, sizeof(v[p->n]));
	return &v[p->n++];
}

/* A device's XDP (ingress) or TC (egress) program, when it has chains. */
static int path_dev(struct bw_build_path *p, const struct bw_ir *ir,
		    bool egress, const char *dev, bool ip_hooks,
		    const struct bw_build_path_opts *o, uint32_t *idx,
		    struct bw_diags *d)
{
	struct bw_build_test_opts to = { .ct_force = o->ct_force };
	struct bw_build_stage *s;
	uint32_t n = bw_ir_chains_for(ir, egress, dev, ip_hooks, idx);

	/* a netdev chain nf_tables runs (nfnetdev.h): not in a program */
	for (uint32_t i = 0; i < n; i++) {
		const struct bw_ir_chain *ch = &ir->chain[idx[i]];

		if (!ch->nft)
			continue;
		bw_error(d, &ch->loc, "chain %s %s goes to the kernel's nf_tables (netdev family): BPF_PROG_TEST_RUN cannot run it",
			 ch->table, ch->name);
		return -ENOTSUP;
	}
	if (!n && !(ip_hooks && bw_ir_uses_field(ir, BW_F_CT_STATE)))
		return 0;
	to.chains = idx;
	to.nchain = n;
	s = add_stage(p);
	if (!s)
		return -ENOMEM;
	return bw_build_test(ir, egress ? BW_HOOK_TC : BW_HOOK_XDP, dev, &to, d,
			     &s->t[0]);
}

/* The chains of idx[first, last) that family l3 sees, into out. */
static uint32_t of_family(const struct bw_ir *ir, const uint32_t *idx,
			  uint32_t first, uint32_t last, int l3, uint32_t *out)
{
	uint32_t k = 0;

	for (uint32_t i = first; i < last; i++) {
		enum bw_family f = ir->chain[idx[i]].family;

		if (f == BW_FAMILY_INET ||
		    f == (l3 == 4 ? BW_FAMILY_IP : BW_FAMILY_IP6))
			out[k++] = idx[i];
	}
	return k;
}

/* The netfilter programs of the path: one per hook and priority, each
 * for IPv4 and IPv6. */
static int path_nf(struct bw_build_path *p, const struct bw_ir *ir,
		   const struct bw_build_path_opts *o, uint32_t *idx,
		   uint32_t *fam, struct bw_diags *d)
{
	uint32_t n = bw_ir_chains_path(ir, o->path, o->iif, o->oif, idx), m = 0;
	bool *in_nft = calloc(ir->nchain + 1, sizeof(*in_nft));
	int err = 0;

	if (!in_nft)
		return -ENOMEM;
	bw_build_in_nft(ir, in_nft);
	for (uint32_t i = 0; i < n && !err; i++) {	/* the IP hooks' */
		const struct bw_ir_chain *ch = &ir->chain[idx[i]];

		if (in_nft[idx[i]]) {
			bw_error(d, &ch->loc, "chain %s %s goes to the kernel's nf_tables (it rejects, or its family runs only there): BPF_PROG_TEST_RUN cannot run it",
				 ch->table, ch->name);
			err = -ENOTSUP;
		} else if (!bw_chain_hook_netdev(ch->hook)) {
			idx[m++] = idx[i];
		}
	}
	free(in_nft);
	if (err)
		return err;
	for (uint32_t first = 0, last; first < m && !err; first = last) {
		const struct bw_ir_chain *ch = &ir->chain[idx[first]];
		struct bw_build_stage *s;

		for (last = first + 1; last < m; last++)
			if (ir->chain[idx[last]].hook != ch->hook ||
			    ir->chain[idx[last]].priority != ch->priority)
				break;
		s = add_stage(p);
		if (!s)
			return -ENOMEM;
		s->nf = true;
		s->nf_hook = bw_build_nf_hook(ch->hook);
		for (int k = 0; k < 2 && !err; k++) {
			struct bw_build_test_opts to = {
				.ct_force = o->ct_force,
				.chains = fam,
				.nchain = of_family(ir, idx, first, last, k ? 6 : 4, fam),
				.iif = bw_path_has_iface(o->path, ch->hook, false) &&
				       o->iif ? o->iif : "",
				.oif = bw_path_has_iface(o->path, ch->hook, true) &&
				       o->oif ? o->oif : "",
				.mark = o->mark,
			};

			if (to.nchain)
				err = bw_build_test(ir, BW_HOOK_NF, NULL, &to, d,
						    &s->t[k]);
		}
	}
	return err;
}

int bw_build_path(const struct bw_ir *ir, const struct bw_build_path_opts *o,
		  struct bw_diags *d, struct bw_build_path **out)
{
	struct bw_build_path *p = calloc(1, sizeof(*p));
	uint32_t *idx = calloc(ir->nchain + 1, sizeof(*idx));
	uint32_t *fam = calloc(ir->nchain + 1, sizeof(*fam));
	int err = 0;

	*out = NULL;
	if (!p || !idx || !fam) {
		err = -ENOMEM;
		goto out;
	}
	if (!o->nf) {
		if (o->path == BW_PATH_FORWARD) {
			bw_error(d, NULL, "a forwarded packet meets the forward chains at the netfilter hooks, which the inet/ip/ip6 chains do not run at here (--ip-hooks xdp)");
			err = -EOPNOTSUPP;
		} else {
			bool egress = o->path == BW_PATH_OUT;

			err = path_dev(p, ir, egress, egress ? o->oif : o->iif,
				       true, o, idx, d);
		}
		goto out;
	}
	if (o->path != BW_PATH_OUT)
		err = path_dev(p, ir, false, o->iif, false, o, idx, d);
	if (!err)
		err = path_nf(p, ir, o, idx, fam, d);
	if (!err && o->path != BW_PATH_IN)
		err = path_dev(p, ir, true, o->oif, false, o, idx, d);
out:
	free(idx);
	free(fam);
	if (err)
		bw_build_path_free(&p);
	*out = p;
	return err;
}
