/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reference interpreter of the IR: the meaning of a ruleset, in plain C,
 * written from the IR and the view parser, never from the bytecode.  The
 * verdict and differential tests compare it with the kernel.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ct.h"
#include "compiler/front/ir.h"
#include "compiler/front/view.h"

struct bw_interp_result {
	enum bw_verdict verdict;	/* ACCEPT, DROP, or REJECT (dropped and
					 * answered; a reject that cannot
					 * answer is a DROP) */
	uint32_t handle;		/* deciding rule, 0: a chain policy or no chain */
	bool malformed;			/* dropped by the parser */
	enum bw_reason reason;		/* if malformed */
	/* the base chain (index into ir->chain) that decided: the one that
	 * dropped, or the last one when all accepted; UINT32_MAX if none */
	uint32_t chain;
	/* the first nat statement that translated the packet (its rule's
	 * handle and base chain; 0 and UINT32_MAX if none): the chains
	 * after it see the new addresses and ports (masquerade and
	 * redirect: the ports only; a range: its first address and port) */
	uint32_t nat_handle, nat_chain;
};

/* What frames change, kept by the caller from one frame to the next
 * (zeroed to start): the limits' arrival times (ir->nlimit of them), the
 * conntrack table (bw_interp_state_fini frees it). */
struct bw_interp_sets;
struct bw_interp_state {
	uint64_t *limit;
	struct bw_ct_table ct;
	/* the bytes each quota counted beyond its used ones (ir->nquota;
	 * NULL: none kept, each packet meets the quota as loaded) */
	uint64_t *quota;
	struct bw_interp_sets *sets;	/* the sets rules change (dynset.h) */
};
void bw_interp_state_fini(struct bw_interp_state *s);

/* What a frame meets besides its bytes. */
struct bw_interp_ctx {
	bool egress;			/* TC egress, else XDP ingress */
	const char *ifname;		/* the attach point's device, or NULL */
	uint32_t mark;			/* skb->mark (egress only; 0 at XDP) */
	uint64_t now_ns;		/* the clock, for limits and conntrack */
	struct bw_interp_state *state;	/* NULL: every limit is within its
					 * rate, conntrack starts empty,
					 * nothing is kept */
	uint8_t ct_force;		/* not 0: the ct state every frame
					 * meets (no tracking) */
	/*
	 * use_path: the frame goes its way through every hook it meets
	 * (bw_ir_chains_path: path, devices iif and oif; egress and ifname
	 * are not used).  nf: the inet/ip/ip6 chains run at the netfilter
	 * hooks, where the packet starts at the network header (a frame
	 * whose EtherType is not IPv4 or IPv6 never gets there), the mark
	 * is skb->mark, the packet type what eth_type_trans makes of the
	 * destination address against the test device's, all zeros (the
	 * output hook: this host), and ct state is ct_force or, with no
	 * connection tracking entry, invalid; netdev chains run before
	 * (ingress, on iif) and after (egress, on oif) as XDP and TC
	 * programs.  Without nf, input chains run with the ingress ones on
	 * iif, output chains with the egress ones on oif (XDP and TC
	 * programs); forward has no such programs.
	 */
	bool use_path;
	enum bw_path path;
	const char *iif, *oif;
	bool nf;
	/*
	 * The bridges iif and oif are ports of (meta ibrname, obrname in
	 * bridge chains), or NULL: not ports.  On the paths, the bridge
	 * chains run on the frame: before the IP chains going in and
	 * through (a path through a bridge chain is bridged, not routed:
	 * no IP forward chains), after them going out; the arp chains on
	 * ARP frames only (the IP chains never see those).
	 */
	const char *ibr, *obr;
	uint32_t cpu;			/* meta cpu in netdev chains */
};

int bw_interp_run_ctx(const struct bw_ir *ir, const struct bw_interp_ctx *c,
		      const uint8_t *pkt, size_t len, struct bw_interp_result *res);

/* Run one frame through the chains of one attach point
 * (bw_ir_chains_for(ir, egress, ifname)). */
int bw_interp_run(const struct bw_ir *ir, bool egress, const char *ifname,
		  const uint8_t *pkt, size_t len, struct bw_interp_result *res);
