// SPDX-License-Identifier: GPL-2.0-only
/*
 * The checks of a chain: its priority, type, hook and devices against
 * its family, its nat hooks; and, after the tables, that jumps and gotos
 * make no loop and go at most BW_CHAIN_DEPTH_MAX chains deep.
 * evaluate.c keeps the rule, chain and table walk that calls these.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "evaluate.h"
#include "dynset.h"
#include "prio.h"
#include "tcpopt.h"
#include "sctp_chunk.h"
#include "rawpay.h"
#include "tunnel.h"
#include "nat.h"
#include "queue.h"
#include "synproxy.h"
#include "tproxy.h"
#include "setf.h"
#include "objects.h"
#include "hdrset.h"
#include "vlan.h"
#include "view.h"
#include "xfrm.h"
#include "dup.h"
#include "nfnetdev.h"
#include "fwd.h"
#include "flowtable.h"
#include "evaluate_int.h"

static int priority(struct bw_eval *ev, const struct bw_ast_prio *p,
		    const struct bw_ir_chain *ch, int32_t *out)
{
	enum bw_family fam = ch->family;
	int64_t base = 0;
	uint64_t n = 0;

	if (p->name) {
		int32_t v = 0;
		int rc = bw_prio_lookup(p->name, fam, ch->hook, &v);

		if (rc == -EINVAL)
			return bw_eval_error(ev, &p->name_loc,
					    "priority %s is not valid at hook %s",
					    p->name, bw_chain_hook_name(ch->hook));
		if (rc && fam != BW_FAMILY_IP && fam != BW_FAMILY_IP6 &&
		    fam != BW_FAMILY_INET &&
		    bw_prio_lookup(p->name, BW_FAMILY_INET, ch->hook, &v) != -ENOENT)
			return bw_eval_error(ev, &p->name_loc,
					    "priority %s is not valid in the %s family (%s)",
					    p->name, bw_family_name(fam),
					    bw_prio_names(fam));
		if (rc)
			return bw_eval_error(ev, &p->name_loc, "unknown priority name \"%s\"",
				    p->name);
		base = v;
	}
	if (p->num && (bw_eval_number(p->num, &n) || n > INT32_MAX))
		return bw_eval_error(ev, &p->loc, "priority %s%s is out of range",
			    p->neg ? "-" : "", p->num);
	base += p->neg ? -(int64_t)n : (int64_t)n;
	if (base < INT32_MIN || base > INT32_MAX)
		return bw_eval_error(ev, &p->loc, "priority is out of range");
	*out = (int32_t)base;
	return 0;
}

/* What the kernel's nf_nat allows of a chain of type nat. */
static void nat_chain(struct bw_eval *ev, const struct bw_ir_chain *ch,
		      const struct bw_ast_item *h)
{
	if (ch->hook == BW_CHAIN_FORWARD)
		bw_eval_error(ev, &h->hook_loc, "a chain of type nat cannot run at hook forward (prerouting, input, output, postrouting)");
	else if (ch->priority <= -200)
		bw_eval_error(ev, &h->prio.loc, "a chain of type nat needs a priority above -200 (conntrack's), not %d",
			      ch->priority);
}

void bw_eval_hook_spec(struct ctx *cx, struct bw_ir_chain *ch,
		       const struct bw_ast_item *h)
{
	struct bw_eval *ev = &cx->ev;
	bool netdev = ch->family == BW_FAMILY_NETDEV;
	static const char *const nft_hooks[] = {
		"prerouting", "input", "forward", "output", "postrouting",
		"ingress", "egress",
	};
	bool known = false;

	if (!strcmp(h->type, "nat") && !netdev) {
		ch->type = BW_CHAIN_TYPE_NAT;
	} else if (strcmp(h->type, "filter")) {
		if (!strcmp(h->type, "nat"))
			bw_eval_error(ev, &h->type_loc, "the netdev family has no chains of type nat (ip, ip6 or inet)");
		else if (!strcmp(h->type, "route"))
			bw_eval_error(ev, &h->type_loc, "bpfwall supports only chains of type filter, not %s",
			     h->type);
		else
			bw_eval_error(ev, &h->type_loc, "unknown chain type \"%s\"", h->type);
	}
	static const enum bw_chain_hook ip_hooks[] = {
		BW_CHAIN_PREROUTING, BW_CHAIN_INPUT, BW_CHAIN_FORWARD,
		BW_CHAIN_OUTPUT, BW_CHAIN_POSTROUTING,
	};
	bool with_device;

	for (size_t i = 0; i < sizeof(nft_hooks) / sizeof(nft_hooks[0]); i++)
		if (!strcmp(h->hook, nft_hooks[i])) {
			known = true;
			if (i < 5 && !netdev)
				ch->hook = ip_hooks[i];
		}
	/* nft's arp family has the input and output hooks only */
	if (ch->family == BW_FAMILY_ARP && ch->hook != BW_CHAIN_INPUT &&
	    ch->hook != BW_CHAIN_OUTPUT)
		ch->hook = BW_CHAIN_NONE;
	if (!strcmp(h->hook, "ingress") &&
	    (netdev || ch->family == BW_FAMILY_INET))
		ch->hook = BW_CHAIN_INGRESS;
	else if (netdev && !strcmp(h->hook, "egress"))
		ch->hook = BW_CHAIN_EGRESS;
	if (ch->hook == BW_CHAIN_NONE) {
		/* Still a base chain: later items must not see a user chain. */
		ch->hook = netdev ? BW_CHAIN_INGRESS : BW_CHAIN_INPUT;
		if (!known)
			bw_eval_error(ev, &h->hook_loc, "unknown chain hook \"%s\"", h->hook);
		else
			bw_eval_error(ev, &h->hook_loc, "The %s family does not support this hook%s",
			     bw_family_name(ch->family),
			     netdev ? " (ingress or egress)" : "");
		return;		/* nothing more to say of this chain */
	}
	/* a device: netdev chains and inet's ingress hook */
	with_device = ch->hook == BW_CHAIN_INGRESS || ch->hook == BW_CHAIN_EGRESS;
	if (with_device && !h->device)
		bw_eval_error(ev, &h->loc, "Missing `device' in this chain definition");
	if (!with_device && h->device)
		bw_eval_error(ev, &h->device_loc, "device is only valid in netdev chains and inet's ingress hook");
	if (h->device && (!*h->device || strlen(h->device) >= 16 ||
			  strchr(h->device, '/')))
		bw_eval_error(ev, &h->device_loc, "invalid interface name \"%s\"", h->device);
	if (with_device && h->devices)
		bw_eval_chain_devices(cx, ch, h);
	else if (with_device && h->device && !(ch->device = strdup(h->device)))
		cx->oom = true;
	if (!priority(ev, &h->prio, ch, &ch->priority) &&
	    ch->type == BW_CHAIN_TYPE_NAT)
		nat_chain(ev, ch, h);
}


/*
 * The chains a jump or goto leads to: no loops (nft refuses them too) and
 * at most BW_CHAIN_DEPTH_MAX chains deep; sets chain->depth.  Colors:
 * 0 unseen, 1 on the current path, 2 done.
 */
struct walk {
	struct ctx *cx;
	const struct bw_ir_rule *rule;
	uint8_t *color;
	bool bad;
	uint32_t depth;
	const char *base;
};

static bool chain_loops(struct ctx *cx, uint32_t c, uint8_t *color);

static void loop_edge(void *arg, uint32_t t, bool jump)
{
	struct walk *w = arg;

	if (w->bad)
		return;
	if (w->color[t] == 1) {
		bw_eval_error(&w->cx->ev, &w->rule->verdict_loc,
			      "this %s makes a loop: chain %s leads back to itself",
			      w->rule->verdict == BW_VERDICT_VMAP ? "vmap" :
			      jump ? "jump" : "goto", w->cx->ir->chain[t].name);
		w->bad = true;
	} else if (!w->color[t]) {
		w->bad = chain_loops(w->cx, t, w->color);
	}
}

static bool chain_loops(struct ctx *cx, uint32_t c, uint8_t *color)
{
	const struct bw_ir_chain *ch = &cx->ir->chain[c];
	struct walk w = { .cx = cx, .color = color };

	color[c] = 1;
	for (uint32_t r = 0; r < ch->nrule && !w.bad; r++) {
		w.rule = &ch->rule[r];
		bw_ir_rule_targets(cx->ir, w.rule, loop_edge, &w);
	}
	color[c] = 2;
	return w.bad;
}

static void chain_depth(struct ctx *cx, uint32_t c, uint32_t depth,
			const char *base, bool *deep);

static void depth_edge(void *arg, uint32_t t, bool jump)
{
	struct walk *w = arg;
	struct bw_ir_chain *ch = &w->cx->ir->chain[t];

	(void)jump;
	if (w->bad)
		return;
	if (w->depth + 1 > BW_CHAIN_DEPTH_MAX) {
		bw_eval_error(&w->cx->ev, &w->rule->verdict_loc,
			      "too many nested jumps: chain %s would run %u chains below base chain %s (at most %d)",
			      ch->name, w->depth + 1, w->base, BW_CHAIN_DEPTH_MAX);
		w->bad = true;
		return;
	}
	if (ch->depth >= w->depth + 1)
		return;		/* seen this deep already */
	ch->depth = w->depth + 1;
	chain_depth(w->cx, t, w->depth + 1, w->base, &w->bad);
}

static void chain_depth(struct ctx *cx, uint32_t c, uint32_t depth,
			const char *base, bool *deep)
{
	const struct bw_ir_chain *ch = &cx->ir->chain[c];
	struct walk w = { .cx = cx, .depth = depth, .base = base };

	for (uint32_t r = 0; r < ch->nrule && !w.bad; r++) {
		w.rule = &ch->rule[r];
		bw_ir_rule_targets(cx->ir, w.rule, depth_edge, &w);
	}
	*deep |= w.bad;
}

void bw_eval_check_jumps(struct ctx *cx)
{
	struct bw_ir *ir = cx->ir;
	uint8_t *color = calloc(ir->nchain ? ir->nchain : 1, 1);
	bool bad = false, deep = false;

	if (!color) {
		cx->oom = true;
		return;
	}
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (!color[c])
			bad |= chain_loops(cx, c, color);
	for (uint32_t c = 0; c < ir->nchain && !bad && !deep; c++)
		if (ir->chain[c].hook != BW_CHAIN_NONE)
			chain_depth(cx, c, 0, ir->chain[c].name, &deep);
	free(color);
}
