// SPDX-License-Identifier: GPL-2.0-only
/*
 * The build step (build.h): which programs a ruleset needs, where each
 * attaches, and their code.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "compiler/front/capture.h"
#include "compiler/front/evaluate.h"
#include "hoist.h"
#include "compiler/front/nat.h"
#include "compiler/front/mapadd.h"
#include "compiler/front/nfnetdev.h"
#include "compiler/nft/nft.h"
#include "uapi.h"

uint8_t bw_build_nf_hook(enum bw_chain_hook h)
{
	switch (h) {
	case BW_CHAIN_PREROUTING:	return BW_NF_PRE_ROUTING;
	case BW_CHAIN_INPUT:		return BW_NF_LOCAL_IN;
	case BW_CHAIN_FORWARD:		return BW_NF_FORWARD;
	case BW_CHAIN_OUTPUT:		return BW_NF_LOCAL_OUT;
	default:			return BW_NF_POST_ROUTING;
	}
}

const char *bw_nf_hook_name(uint8_t hook)
{
	static const char *const name[] = {
		[BW_NF_PRE_ROUTING] = "prerouting", [BW_NF_LOCAL_IN] = "input",
		[BW_NF_FORWARD] = "forward", [BW_NF_LOCAL_OUT] = "output",
		[BW_NF_POST_ROUTING] = "postrouting",
	};

	return hook <= BW_NF_POST_ROUTING ? name[hook] : "?";
}

void bw_build_what(const struct bw_build_prog *p, char *buf, size_t len)
{
	switch (p->at) {
	case BW_AT_AUDIT:
		snprintf(buf, len, "audit %s", bw_hook_info(p->hook)->name);
		break;
	case BW_AT_NF:
		snprintf(buf, len, "netfilter %s priority %d (%s)",
			 bw_nf_hook_name(p->nf_hook), p->priority,
			 p->v4 && p->v6 ? "ipv4, ipv6" : p->v4 ? "ipv4" : "ipv6");
		break;
	default:
		snprintf(buf, len, "%s on %s%s", p->at == BW_AT_XDP ?
			 "xdp ingress" : "tc egress",
			 p->ifname[0] ? p->ifname : "every interface",
			 p->hoisted_only ? " (input drops hoisted)" :
			 p->hoisted ? " (and input drops hoisted)" : "");
	}
}

void bw_build_free(struct bw_build **pb)
{
	struct bw_build *b = pb ? *pb : NULL;

	if (!b)
		return;
	for (uint32_t i = 0; i < b->nprog; i++) {
		bw_prog_free(&b->prog[i].prog);
		bw_prog_free(&b->prog[i].dispatch);
		free(b->prog[i].chains);
	}
	bw_nft_plan_free(&b->nft);
	free(b->prog);
	bw_opt_plan_free(&b->opt);
	bw_map_specs_free(&b->maps);
	free(b->list);
	free(b);
	*pb = NULL;
}

struct bctx {
	const struct bw_ir *ir;		/* with the hoisted chains, if any */
	const struct bw_ir *orig;	/* as evaluated */
	const struct bw_hoist *hoist;	/* or NULL */
	const struct bw_build_env *env;
	struct bw_diags *d;
	struct bw_build *b;
	uint32_t *idx;		/* ir->nchain, scratch for chain lists */
	bool *in_nft;		/* ir->nchain: the chain goes to nf_tables */
};

static struct bw_build_prog *add(struct bctx *c, enum bw_attach at)
{
	struct bw_build_prog *v;

	v = reallocarray(c->b->prog, c->b->nprog + 1, sizeof(*v));
	if (!v)
		return NULL;
	c->b->prog = v;
	v = &v[c->b->nprog++];
	memset(v, 0, sizeof(*v));
	v->at = at;
	return v;
}

/* The code of p at hook, from ir (c->ir, or the ruleset as evaluated). */
static int gen_ir(struct bctx *c, const struct bw_ir *ir, enum bw_hook hook,
		  const char *ifname, struct bw_codegen_opts *co,
		  struct bw_build_prog *p)
{
	int err;

	p->hook = hook;
	co->trace = c->env->trace;
	co->plan = c->b->opt;
	err = bw_codegen(ir, hook, ifname, co, c->d, &p->prog);
	if (err && !c->d->nerrors) {
		char what[96];

		bw_build_what(p, what, sizeof(what));
		bw_error(c->d, NULL, "code generation failed for %s: %s", what,
			 strerror(-err));
	}
	return err;
}

static int gen(struct bctx *c, enum bw_hook hook, const char *ifname,
	       struct bw_codegen_opts *co, struct bw_build_prog *p)
{
	return gen_ir(c, c->ir, hook, ifname, co, p);
}

/* ------------------------------------------------------ netfilter hooks */

static void reach_reject(void *arg, uint32_t t, bool jump);

struct reject_walk {
	const struct bw_ir *ir;
	bool *seen;
	const struct bw_ir_rule *found;
	enum bw_verdict want;		/* REJECT, or NAT; or */
	bool stack_stmt;		/* a statement only nf_tables runs */
};

/* Does rule r set a field, stop tracking, or count bytes (a quota, a
 * byte rate): statements only nf_tables runs? */
static bool stack_stmts(const struct bw_ir *ir, const struct bw_ir_rule *r)
{
	if (r->verdict == BW_VERDICT_QUEUE)
		return true;
	for (uint32_t i = 0; i < r->nstmt; i++) {
		const struct bw_ir_stmt *s = &r->stmt[i];

		if (s->kind == BW_STMT_SETF || s->kind == BW_STMT_NOTRACK ||
		    s->kind == BW_STMT_QUOTA || s->kind == BW_STMT_HDRSET ||
		    s->kind == BW_STMT_OBJREF || s->kind == BW_STMT_LAST ||
		    s->kind == BW_STMT_TPROXY || s->kind == BW_STMT_SYNPROXY ||
		    s->kind == BW_STMT_DUP || s->kind == BW_STMT_FLOW ||
		    (s->kind == BW_STMT_LOG && s->index < ir->nlog &&
		     bw_ir_log_nft(&ir->log[s->index])) ||
		    (s->kind == BW_STMT_LIMIT && s->index < ir->nlimit &&
		     ir->limit[s->index].bytes))
			return true;
	}
	return bw_mapadd_rule(ir, r);	/* add @m { KEY : VALUE } */
}

/* The first rule that rejects in chain ci or a chain it reaches. */
static void walk_reject(struct reject_walk *w, uint32_t ci)
{
	const struct bw_ir_chain *ch = &w->ir->chain[ci];

	if (w->seen[ci] || w->found)
		return;
	w->seen[ci] = true;
	for (uint32_t r = 0; r < ch->nrule && !w->found; r++) {
		if (w->stack_stmt ? stack_stmts(w->ir, &ch->rule[r]) :
		    ch->rule[r].verdict == w->want ||
		    (w->want == BW_VERDICT_REJECT &&
		     bw_ir_rule_kernel_field(&ch->rule[r]) >= 0))
			w->found = &ch->rule[r];
		else
			bw_ir_rule_targets(w->ir, &ch->rule[r], reach_reject, w);
	}
}

static void reach_reject(void *arg, uint32_t t, bool jump)
{
	(void)jump;
	walk_reject(arg, t);
}

/* The first rule that rejects in IP base chain c or a chain it
 * reaches, or NULL. */
static const struct bw_ir_rule *chain_reaches(const struct bw_ir *ir,
					      uint32_t c, enum bw_verdict want)
{
	struct reject_walk w = { .ir = ir, .want = want,
				 .stack_stmt = want == BW_VERDICT_CONTINUE };

	if (ir->chain[c].hook == BW_CHAIN_NONE ||
	    bw_chain_hook_netdev(ir->chain[c].hook) ||
	    bw_family_nft_only(ir->chain[c].family))
		return NULL;
	w.seen = calloc(ir->nchain ? ir->nchain : 1, sizeof(*w.seen));
	if (!w.seen)
		return NULL;
	walk_reject(&w, c);
	free(w.seen);
	return w.found;
}

static const struct bw_ir_rule *chain_rejects(const struct bw_ir *ir,
					      uint32_t c)
{
	return chain_reaches(ir, c, BW_VERDICT_REJECT);
}

/* A rule that sets a field or stops tracking in IP base chain c or a
 * chain it reaches, or NULL. */
static const struct bw_ir_rule *chain_sets(const struct bw_ir *ir, uint32_t c)
{
	return chain_reaches(ir, c, BW_VERDICT_CONTINUE);
}

static bool has_nat_chain(const struct bw_ir *ir)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (ir->chain[c].type == BW_CHAIN_TYPE_NAT)
			return true;
	return false;
}

/* A chain of type nat, or one with a statement only nf_tables runs:
 * the inet/ip/ip6 chains must run at the netfilter hooks. */
static bool needs_nft(const struct bw_ir *ir)
{
	if (has_nat_chain(ir))
		return true;
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (chain_sets(ir, c))
			return true;
	/* a field only nf_tables reads (ct status, tcp option, ...): no
	 * BPF program can run its chain */
	for (uint32_t c = 0; c < ir->nchain; c++)
		for (uint32_t r = 0; r < ir->chain[c].nrule &&
		     !bw_family_nft_only(ir->chain[c].family) &&
		     ir->chain[c].family != BW_FAMILY_NETDEV; r++)
			if (bw_ir_rule_kernel_field(&ir->chain[c].rule[r]) >= 0)
				return true;
	return false;
}

/* A nat statement that a base chain of type filter reaches (through
 * jumps: evaluate checked the base chains' own rules): an error there. */
static int nat_placed(const struct bw_ir *ir, struct bw_diags *d)
{
	int err = 0;

	for (uint32_t c = 0; c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];
		const struct bw_ir_rule *r;

		if (ch->hook == BW_CHAIN_NONE || ch->type == BW_CHAIN_TYPE_NAT)
			continue;
		r = chain_reaches(ir, c, BW_VERDICT_NAT);
		if (!r || r->nat >= ir->nnat)
			continue;
		bw_error(d, &r->verdict_loc, "%s is only valid in chains of type nat (base chain %s, of type filter, reaches it)",
			 bw_nat_kind_name(ir->nat[r->nat].kind), ch->name);
		err = -EINVAL;
	}
	return err;
}

/* A rule of an inet/ip/ip6 chain that rejects. */
static const struct bw_ir_rule *ip_reject(const struct bw_ir *ir)
{
	const struct bw_ir_rule *r = NULL;

	for (uint32_t c = 0; c < ir->nchain && !r; c++)
		r = chain_rejects(ir, c);
	return r;
}

/* A netdev base chain nf_tables' netdev family runs (evaluate decided:
 * compiler/front/nfnetdev.h). */
static bool netdev_nft(const struct bw_ir_chain *ch)
{
	return ch->nft && ch->family == BW_FAMILY_NETDEV &&
	       bw_chain_hook_netdev(ch->hook);
}

uint32_t bw_build_in_nft(const struct bw_ir *ir, bool *in_nft)
{
	uint32_t n = 0;

	for (uint32_t c = 0; c < ir->nchain; c++) {
		in_nft[c] = bw_family_nft_only(ir->chain[c].family) ||
			    ir->chain[c].type == BW_CHAIN_TYPE_NAT ||
			    chain_rejects(ir, c) != NULL ||
			    chain_sets(ir, c) != NULL ||
			    netdev_nft(&ir->chain[c]);
		n += in_nft[c];
	}
	return n;
}

/* The netdev chains nf_tables' netdev family runs, whatever runs the IP
 * chains; an error at each when the kernel has no nf_tables. */
static uint32_t netdev_nft_chains(struct bctx *c)
{
	uint32_t n = 0;

	for (uint32_t ci = 0; ci < c->ir->nchain; ci++) {
		const struct bw_ir_chain *ch = &c->ir->chain[ci];
		const struct bw_loc *why = &ch->nft_why;

		if (!netdev_nft(ch))
			continue;
		c->in_nft[ci] = true;
		n++;
		if (c->env->kernel_ct)
			continue;
		bw_error(c->d, &ch->loc, "netdev chain %s runs in the kernel's nf_tables (for the statement at %s:%u), which this host lacks",
			 ch->name, why->src ? why->src->name : "?", why->line);
	}
	return n;
}

/* ------------------------------------------------------ bridge and arp */

/*
 * The bridge and arp chains go to nf_tables whole, whatever runs the IP
 * chains: the kernel's BPF netfilter links take NFPROTO_IPV4 and
 * NFPROTO_IPV6 only (bpf_nf_link refuses NFPROTO_BRIDGE and NFPROTO_ARP
 * with EAFNOSUPPORT, measured on 6.18), and a TC or XDP program on a
 * bridge port runs before the bridge decides whether a frame is for this
 * host or forwarded, so it cannot tell input from forward.  in_nft
 * marks them; an error at each when the kernel has no nf_tables.
 */
static uint32_t nft_only_chains(struct bctx *c)
{
	uint32_t n = 0;

	for (uint32_t ci = 0; ci < c->ir->nchain; ci++) {
		const struct bw_ir_chain *ch = &c->ir->chain[ci];

		if (!bw_family_nft_only(ch->family))
			continue;
		c->in_nft[ci] = true;
		n++;
		if (!c->env->kernel_ct)
			bw_error(c->d, &ch->loc, "chain %s of the %s family runs in the kernel's nf_tables, which this host lacks",
				 ch->name, bw_family_name(ch->family));
	}
	return n + netdev_nft_chains(c);
}

/* Does an inet/ip/ip6 chain (or a chain it reaches) use ct state?  The
 * IR knows ruleset-wide only; netdev chains refuse ct state anyway. */
static bool ip_uses_ct(const struct bw_ir *ir)
{
	return bw_ir_uses_field(ir, BW_F_CT_STATE);
}

/* The chains of group [first, n) of order (IP base chains by hook,
 * priority, source) that family l3 (4, 6) sees, into out. */
static uint32_t group_for(const struct bw_ir *ir, const uint32_t *order,
			  uint32_t first, uint32_t n, int l3, uint32_t *out)
{
	uint32_t k = 0;

	for (uint32_t i = first; i < n; i++) {
		enum bw_family f = ir->chain[order[i]].family;

		if (f == BW_FAMILY_INET || f == (l3 == 4 ? BW_FAMILY_IP : BW_FAMILY_IP6))
			out[k++] = order[i];
	}
	return k;
}

/* One program of a group: chains[0, n) for the families v4, v6. */
static int add_nf(struct bctx *c, const uint32_t *chains, uint32_t n,
		  bool v4, bool v6)
{
	const struct bw_ir_chain *ch = &c->ir->chain[chains[0]];
	struct bw_codegen_opts co = { .chains = chains, .nchain = n };
	struct bw_build_prog *p;
	int err;

	if (!n)
		return 0;
	p = add(c, BW_AT_NF);
	if (!p)
		return -ENOMEM;
	p->chains = malloc(n * sizeof(*p->chains));
	if (!p->chains)
		return -ENOMEM;
	memcpy(p->chains, chains, n * sizeof(*p->chains));
	p->nchain = n;
	p->nf_hook = bw_build_nf_hook(ch->hook);
	p->priority = ch->priority;
	p->v4 = v4;
	p->v6 = v6;
	err = gen(c, BW_HOOK_NF, NULL, &co, p);
	return err ? err : bw_nf_dispatcher(&p->dispatch);
}

static int build_nf(struct bctx *c)
{
	const struct bw_ir *ir = c->ir;
	uint32_t n, *v4 = NULL, *v6 = NULL;
	int err = 0;

	/* the IP base chains, then in the order the kernel runs them */
	n = 0;
	for (uint32_t ci = 0; ci < ir->nchain; ci++)
		if (ir->chain[ci].hook != BW_CHAIN_NONE &&
		    !bw_chain_hook_netdev(ir->chain[ci].hook) && !c->in_nft[ci])
			c->idx[n++] = ci;
	v4 = calloc(n ? n : 1, sizeof(*v4));
	v6 = calloc(n ? n : 1, sizeof(*v6));
	if (!v4 || !v6)
		err = -ENOMEM;
	/* sorted by hook, then priority: each run of equal ones is a group
	 * (insertion sort, as bw_ir_chains_path orders within a path) */
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = i; j > 0; j--) {
			const struct bw_ir_chain *a = &ir->chain[c->idx[j - 1]];
			const struct bw_ir_chain *b = &ir->chain[c->idx[j]];
			uint32_t t;

			if (a->hook < b->hook || (a->hook == b->hook &&
			    (a->priority < b->priority ||
			     (a->priority == b->priority && c->idx[j - 1] < c->idx[j]))))
				break;
			t = c->idx[j];
			c->idx[j] = c->idx[j - 1];
			c->idx[j - 1] = t;
		}
	for (uint32_t first = 0, last; first < n && !err; first = last) {
		const struct bw_ir_chain *f = &ir->chain[c->idx[first]];
		uint32_t n4, n6;

		for (last = first + 1; last < n; last++)
			if (ir->chain[c->idx[last]].hook != f->hook ||
			    ir->chain[c->idx[last]].priority != f->priority)
				break;
		n4 = group_for(ir, c->idx, first, last, 4, v4);
		n6 = group_for(ir, c->idx, first, last, 6, v6);
		if (n4 == n6 && !memcmp(v4, v6, n4 * sizeof(*v4))) {
			err = add_nf(c, v4, n4, true, true);
		} else {
			err = add_nf(c, v4, n4, true, false);
			if (!err)
				err = add_nf(c, v6, n6, false, true);
		}
	}
	free(v4);
	free(v6);
	return err;
}

/* ------------------------------------------------------ XDP and TC */

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
		if (ir->chain[c].hook == netdev_hook(h) &&
		    bw_ir_chain_on_device(&ir->chain[c], dev))
			return (int)c;
	return -1;
}

static const struct bw_build_iface *iface_find(const struct bw_build_env *env,
					       const char *name)
{
	for (uint32_t i = 0; env->iface && i < env->niface; i++)
		if (!strcmp(env->iface[i].name, name))
			return &env->iface[i];
	return NULL;
}

/* The program of hook h on device f (or, f NULL, on ifname: the device
 * or every other interface): none when it would run no chain and track
 * nothing.  hoist: the hoisted input drops after its chains. */
static int add_dev(struct bctx *c, enum bw_hook h, const struct bw_build_iface *f,
		   const char *ifname, bool ip_hooks, bool hoist)
{
	struct bw_codegen_opts co = { 0 };
	struct bw_build_prog *p;
	uint32_t n;

	n = bw_ir_chains_for(c->ir, h == BW_HOOK_TC, ifname, ip_hooks, c->idx);
	n = bw_nfnetdev_bpf_only(c->ir, c->idx, n);
	hoist = hoist && c->hoist && h == BW_HOOK_XDP;
	if (!n && !hoist && !(ip_hooks && bw_ir_uses_field(c->ir, BW_F_CT_STATE)))
		return 0;
	p = add(c, h == BW_HOOK_TC ? BW_AT_TC : BW_AT_XDP);
	if (!p)
		return -ENOMEM;
	if (ifname)
		snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	if (f) {
		p->ifindex = f->ifindex;
		p->veth = f->veth;
		if (f->has_mac)
			co.mac = f->mac;
	}
	co.chains = c->idx;
	co.nchain = n;
	co.track_ct = ip_hooks && bw_ir_uses_field(c->ir, BW_F_CT_STATE);
	if (hoist) {
		co.hoist = true;
		co.hoist_from = n;
		for (uint32_t i = 0; i < c->hoist->nchain; i++)
			c->idx[co.nchain++] = c->hoist->first + i;
		p->hoisted = true;
		p->hoisted_only = !n;
	}
	return gen(c, h, ifname, &co, p);
}

/* An interface the hoisted input drops go on: its frames reach this
 * host's IP stack (not a port of a bridge or bond), and it is not the
 * loopback (whose packets this host sent). */
static bool hoist_on(const struct bw_build_iface *f)
{
	return f->xdp && !f->loopback && !f->enslaved && !f->xdp_foreign;
}

/*
 * The XDP and TC programs: per device its netdev chains; with ip_hooks
 * (no netfilter programs) also the input and output chains on every
 * Ethernet-like or loopback interface, and with conntrack both hooks
 * wherever either has a chain (the tracker sees both directions).
 */
static int build_dev(struct bctx *c, bool ip_hooks)
{
	const struct bw_ir *ir = c->ir;
	const struct bw_build_env *env = c->env;
	int err = 0;

	for (int hi = 0; hi < 2 && !err; hi++) {
		enum bw_hook h = hi ? BW_HOOK_TC : BW_HOOK_XDP;
		enum bw_hook o = hi ? BW_HOOK_XDP : BW_HOOK_TC;
		bool ct = ip_hooks && bw_ir_uses_field(ir, BW_F_CT_STATE);
		bool every = ip_hooks && (has_every(ir, h) || (ct && has_every(ir, o)));

		/* devices named by netdev chains must exist (each of a
		 * chain's devices = { ... }) */
		for (uint32_t ci = 0; env->iface && ci < ir->nchain; ci++) {
			const struct bw_ir_chain *ch = &ir->chain[ci];

			for (uint32_t k = 0; ch->device && k <= ch->nmore_dev; k++) {
				const char *dv = k ? ch->more_dev[k - 1] : ch->device;

				if (ch->hook != netdev_hook(h) ||
				    first_on_device(ir, h, dv) != (int)ci)
					continue;
				if (iface_find(env, dv))
					continue;
				if (env->devices_later) {
					bw_diag(c->d, BW_DIAG_WARNING, &ch->loc,
						"device \"%s\" does not exist yet: chain %s %s is attached when it appears",
						dv, ch->table, ch->name);
					continue;
				}
				bw_error(c->d, &ch->loc,
					 "device \"%s\" does not exist (chain %s %s)",
					 dv, ch->table, ch->name);
				err = -ENODEV;
			}
		}
		if (err)
			break;
		if (env->iface) {
			for (uint32_t i = 0; i < env->niface && !err; i++) {
				const struct bw_build_iface *f = &env->iface[i];

				if (first_on_device(ir, h, f->name) < 0 &&
				    !(ct && first_on_device(ir, o, f->name) >= 0) &&
				    !(every && f->xdp) &&
				    !(c->hoist && h == BW_HOOK_XDP && hoist_on(f)))
					continue;
				err = add_dev(c, h, f, f->name, ip_hooks, hoist_on(f));
			}
			continue;
		}
		/* no interfaces: one program per device, one for the rest */
		for (uint32_t ci = 0; ci < ir->nchain && !err; ci++) {
			const struct bw_ir_chain *ch = &ir->chain[ci];

			for (uint32_t k = 0; ch->device && k <= ch->nmore_dev && !err; k++) {
				const char *dv = k ? ch->more_dev[k - 1] : ch->device;

				if (ch->hook == netdev_hook(h) &&
				    first_on_device(ir, h, dv) == (int)ci)
					err = add_dev(c, h, NULL, dv, ip_hooks, true);
				else if (ct && ch->hook == netdev_hook(o) &&
					 first_on_device(ir, o, dv) == (int)ci &&
					 first_on_device(ir, h, dv) < 0)
					err = add_dev(c, h, NULL, dv, ip_hooks, true);
			}
		}
		if (!err && (every || (c->hoist && h == BW_HOOK_XDP)))
			err = add_dev(c, h, NULL, NULL, ip_hooks, true);
	}
	return err;
}

bool bw_build_nf_only(const struct bw_ir *ir)
{
	if (needs_nft(ir))
		return true;
	for (uint32_t ci = 0; ci < ir->nchain; ci++) {
		enum bw_chain_hook h = ir->chain[ci].hook;

		if ((h == BW_CHAIN_PREROUTING || h == BW_CHAIN_FORWARD ||
		     h == BW_CHAIN_POSTROUTING) &&
		    !bw_family_nft_only(ir->chain[ci].family))
			return true;
	}
	return false;
}

enum bw_ip_hooks bw_build_ip_hooks(const struct bw_ir *ir,
				   const struct bw_build_env *env,
				   const struct bw_ir_rule **why)
{
	*why = NULL;
	if (env->ip_hooks == BW_IP_HOOKS_XDP)
		return BW_IP_HOOKS_XDP;
	if (env->kernel_ct || needs_nft(ir))	/* nf_tables does the rest */
		return BW_IP_HOOKS_NETFILTER;
	if ((*why = ip_reject(ir)))
		return BW_IP_HOOKS_XDP;
	if (ip_uses_ct(ir))
		return BW_IP_HOOKS_XDP;
	return BW_IP_HOOKS_NETFILTER;
}

/* Does a netfilter program of the build read ct state? */
static bool bpf_uses_ct(const struct bw_build *b)
{
	for (uint32_t i = 0; i < b->nprog; i++)
		if (b->prog[i].at == BW_AT_NF &&
		    b->prog[i].prog->uses_ct)
			return true;
	return false;
}

/* The nf_tables plan: the chains that need the IP stack, and the
 * conntrack keeper when a netfilter program reads ct state. */
static int build_nft(struct bctx *c)
{
	int err;

	err = bw_nft_build(c->orig, c->in_nft, BW_BUILD_NFT_TABLE, c->d, &c->b->nft);
	if (!err && bpf_uses_ct(c->b))
		err = bw_nft_plan_ct_keeper(c->b->nft, BW_FAMILY_INET);
	return err;
}

/* ------------------------------------------------------ the audit hook */

/* The audit hook's programs: the egress rules of the ruleset as
 * evaluated (no hoisted chains), with the build's lookup plan (the
 * hoisted chains' groups come after the evaluated chains' and are not
 * used).  Only the cgroup hooks can refuse a connect. */
static int build_audit(struct bctx *c)
{
	const struct bw_build_audit *a = &c->env->audit;
	int err = 0;

	if (c->env->trace)
		return 0;
	for (uint32_t i = 0; i < a->nhook && i < 2 && !err; i++) {
		enum bw_hook h = a->hook[i];
		struct bw_codegen_opts co = {
			.enforce = a->enforce && (h == BW_HOOK_CONNECT4 ||
						  h == BW_HOOK_CONNECT6),
		};
		struct bw_build_prog *p = add(c, BW_AT_AUDIT);

		if (!p)
			return -ENOMEM;
		err = gen_ir(c, c->orig, h, NULL, &co, p);
	}
	return err;
}

/* The first field only nf_tables reads of rule ru: proto (part 0) or
 * name (1). */
static const char *kernel_field_name(const struct bw_ir_rule *ru, int part)
{
	int f = bw_ir_rule_kernel_field(ru);

	if (f < 0)
		return "?";
	return part ? bw_field(f)->name : bw_field(f)->proto;
}

/* Fields only nf_tables reads (fields.h, BW_FS_KERNEL): an error at each
 * rule that reads one when the IP chains run at XDP and TC. */
static int kernel_only_at_xdp(struct bctx *c)
{
	int err = 0;

	for (uint32_t ci = 0; ci < c->ir->nchain; ci++)
		for (uint32_t r = 0; r < c->ir->chain[ci].nrule &&
		     !bw_family_nft_only(c->ir->chain[ci].family) &&
		     c->ir->chain[ci].family != BW_FAMILY_NETDEV; r++) {
			const struct bw_ir_rule *ru = &c->ir->chain[ci].rule[r];

			if (bw_ir_rule_kernel_field(ru) < 0)
				continue;
			bw_error(c->d, &ru->loc, "%s %s is read by the kernel's nf_tables, which does not run these chains here (--ip-hooks xdp, or no netfilter hooks): they would run at XDP and TC",
				 kernel_field_name(ru, 0), kernel_field_name(ru, 1));
			err = -EOPNOTSUPP;
		}
	return err;
}

/* Hooks only the netfilter programs have: an error at each such chain
 * when the IP chains run at XDP and TC. */
static int xdp_only_hooks(struct bctx *c, const struct bw_ir_rule *why)
{
	int err = 0;

	for (uint32_t ci = 0; ci < c->ir->nchain; ci++) {
		const struct bw_ir_chain *ch = &c->ir->chain[ci];

		if (bw_family_nft_only(ch->family))
			continue;
		if (ch->type == BW_CHAIN_TYPE_NAT || chain_sets(c->ir, ci)) {
			bw_error(c->d, &ch->loc, "chain %s %s runs in nf_tables, at the netfilter hooks, which the inet/ip/ip6 chains do not use here (--ip-hooks xdp, or a kernel before Linux 6.4)",
				 ch->name, ch->type == BW_CHAIN_TYPE_NAT ?
				 "of type nat" : "(it sets a field, stops tracking or counts bytes)");
			err = -EOPNOTSUPP;
			continue;
		}
		if (ch->hook != BW_CHAIN_PREROUTING && ch->hook != BW_CHAIN_FORWARD &&
		    ch->hook != BW_CHAIN_POSTROUTING)
			continue;
		if (why)
			bw_error(c->d, &ch->loc, "hook %s needs the netfilter hooks, which cannot answer a reject: the reject in an inet/ip/ip6 chain (%s:%u) runs the input and output chains at XDP and TC, where there is no %s",
				 bw_chain_hook_name(ch->hook),
				 why->loc.src ? why->loc.src->name : "?",
				 why->loc.line, bw_chain_hook_name(ch->hook));
		else
			bw_error(c->d, &ch->loc, "hook %s needs BPF programs at the netfilter hooks, where the inet/ip/ip6 chains do not run here (--ip-hooks xdp, or a kernel before Linux 6.4)",
				 bw_chain_hook_name(ch->hook));
		err = -EOPNOTSUPP;
	}
	return err;
}

/* The hoisted chains (hoist.h), when the env asks: c->ir becomes the
 * ruleset with them, and the scratch arrays grow to its chains. */
static int hoist(struct bctx *c, struct bw_hoist **h)
{
	uint32_t n;
	void *v;
	int err;

	err = bw_hoist_build(c->orig, c->in_nft, h);
	if (err || !*h)
		return err;
	n = (*h)->ir.nchain;
	v = reallocarray(c->idx, n, sizeof(*c->idx));
	if (!v)
		return -ENOMEM;
	c->idx = v;
	v = reallocarray(c->in_nft, n, sizeof(*c->in_nft));
	if (!v)
		return -ENOMEM;
	c->in_nft = v;
	memset(c->in_nft + c->orig->nchain, 0,
	       (n - c->orig->nchain) * sizeof(*c->in_nft));
	c->ir = &(*h)->ir;
	c->hoist = *h;
	c->b->nhoisted = (*h)->nrule;
	return 0;
}

int bw_build_set_nft(const struct bw_ir *ir, uint32_t si,
		     const struct bw_ir_setelem *e, uint32_t n,
		     struct bw_diags *d, struct bw_nft_plan **out)
{
	struct bw_ir_set *sets;
	struct bw_ir only = *ir;
	bool *in_nft;
	int err = 0;

	*out = NULL;
	if (si >= ir->nset)
		return -EINVAL;
	in_nft = calloc(ir->nchain ? ir->nchain : 1, sizeof(*in_nft));
	sets = calloc(ir->nset, sizeof(*sets));
	if (!in_nft || !sets) {
		free(in_nft);
		free(sets);
		return -ENOMEM;
	}
	if (bw_build_in_nft(ir, in_nft)) {
		memcpy(sets, ir->set, ir->nset * sizeof(*sets));
		sets[si].elem = (struct bw_ir_setelem *)e;
		sets[si].nelem = n;
		only.set = sets;
		err = bw_nft_build(&only, in_nft, BW_BUILD_NFT_TABLE, d, out);
	}
	free(sets);
	free(in_nft);
	return err;
}

int bw_build_capture(const struct bw_ir *ir, struct bw_diags *d,
		     struct bw_prog **out, struct bw_map_specs **maps)
{
	int err = bw_codegen(ir, BW_HOOK_SOCKET, BW_CAPTURE_DEV, NULL, d, out);

	if (!err) {
		err = bw_map_specs_build(ir, NULL, false, maps);
		if (err)
			bw_prog_free(out);
	}
	if (err && !d->nerrors)
		bw_error(d, NULL, "code generation failed: %s", strerror(-err));
	return err;
}

/* iif and oif name existing interfaces (as in nft, which resolves them
 * to an index when it loads); iifname and oifname may name any.  Only
 * for a build with the host's interfaces (a load). */
static int check_ifaces(const struct bw_ir *ir, const struct bw_build_env *env,
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
					bool found = false;

					memcpy(name, mt->elem[i].lo, 16);
					for (uint32_t k = 0; k < env->niface && !found; k++)
						found = !strcmp(env->iface[k].name, name);
					if (found)
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

int bw_build(const struct bw_ir *ir, const struct bw_build_env *env,
	     struct bw_diags *d, struct bw_build **out)
{
	struct bctx c = { .ir = ir, .orig = ir, .env = env, .d = d };
	const struct bw_ir_rule *rej = NULL;
	struct bw_hoist *h = NULL;
	uint32_t nft_only, nerr;
	bool ip_hooks;
	int err = 0;

	*out = NULL;
	if (env->iface && (err = check_ifaces(ir, env, d)))
		return err;
	c.b = calloc(1, sizeof(*c.b));
	c.idx = calloc(ir->nchain ? ir->nchain : 1, sizeof(*c.idx));
	c.in_nft = calloc(ir->nchain ? ir->nchain : 1, sizeof(*c.in_nft));
	if (!c.b || !c.idx || !c.in_nft) {
		free(c.idx);
		free(c.in_nft);
		free(c.b);
		return -ENOMEM;
	}
	ip_hooks = bw_build_ip_hooks(ir, env, &rej) == BW_IP_HOOKS_XDP;
	if (ip_hooks)
		err = kernel_only_at_xdp(&c);
	if (!ip_hooks)
		bw_build_in_nft(ir, c.in_nft);
	nerr = d->nerrors;
	nft_only = nft_only_chains(&c);
	if (d->nerrors != nerr)
		err = -EOPNOTSUPP;
	if (!err)
		err = nat_placed(ir, d);
	/* nat rewrites what the input chains see (DNAT before them, the
	 * replies of translated connections un-NATed): no XDP copy of them
	 * can see the same */
	if (!err && !ip_hooks && env->hoist && !env->trace && !has_nat_chain(ir))
		err = hoist(&c, &h);
	if (!err) {
		err = bw_optimize(c.ir, NULL, &c.b->opt);
		if (err)
			bw_error(d, NULL, "optimizer failed: %s", strerror(-err));
	}
	if (!err && ip_hooks && env->ip_hooks != BW_IP_HOOKS_XDP)
		bw_diag(d, BW_DIAG_NOTE, rej ? &rej->loc : NULL, rej ?
			"a netfilter hook cannot answer a reject: the input and output chains run at XDP and TC, on the interfaces there are now" :
			"ct state: the input and output chains run at XDP and TC, on bpfwall's own connection tracking");
	if (!err && ip_hooks)
		err = xdp_only_hooks(&c, env->ip_hooks == BW_IP_HOOKS_XDP ? NULL : rej);
	if (!err)	/* a map rules add to in nf_tables: not in BPF */
		err = bw_mapadd_check_bpf(c.orig, c.in_nft, d);
	if (!err && !ip_hooks) {
		err = build_nf(&c);
		if (!err)
			err = build_nft(&c);
	} else if (!err && nft_only) {	/* the bridge and arp chains only */
		err = bw_nft_build(c.orig, c.in_nft, BW_BUILD_NFT_TABLE, d,
				   &c.b->nft);
	}
	if (!err)
		err = build_dev(&c, ip_hooks);
	if (!err)
		err = build_audit(&c);
	if (!err) {
		err = bw_map_specs_build(c.ir, c.b->opt, env->trace, &c.b->maps);
		if (err)
			bw_error(d, NULL, "cannot describe the maps: %s",
				 strerror(-err));
	}
	if (!err)
		err = bw_build_list_encode(c.orig, &c.b->list, &c.b->list_len);
	free(c.idx);
	free(c.in_nft);
	bw_hoist_free(&h);
	if (err) {
		bw_build_free(&c.b);
		return err;
	}
	*out = c.b;
	return 0;
}
