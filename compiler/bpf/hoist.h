/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XDP hoisting: the drops of input chains that an XDP program on each
 * interface can apply with the verdict the netfilter programs would give,
 * so that a flood from blocked sources dies before the stack allocates
 * anything.  The netfilter programs still run every rule: a packet the
 * XDP program lets through, on an interface without it (a new one, a
 * tunnel), is filtered exactly, only later.
 *
 * A rule of an inet/ip/ip6 input chain is hoisted when
 *   - its verdict is drop, with at most a counter (no log, no limit);
 *   - it matches only what XDP sees as the input hook does for an
 *     unfragmented packet: addresses, the transport protocol, ports,
 *     ICMP and ICMPv6 type and code (lookups in sets of those included,
 *     not maps);
 *   - no rule a packet meets before it, in its chain or in a chain of
 *     the prerouting and input hooks that runs first, may see the same
 *     packet and do anything but drop (or accept, in another chain) with
 *     no side effect: an accept in its own chain, a counter, a log, a
 *     jump, ct state, a rule on a field XDP cannot see...  Two rules
 *     cannot see the same packet when they need different families or
 *     transport protocols, or compare a field against values that do not
 *     overlap (a named set may change: it overlaps everything).
 * At XDP such a drop holds only for an unfragmented IP packet that the
 * kernel would deliver to this host or discard: bpf_fib_lookup says the
 * destination is local (or broadcast, multicast), or that the interface
 * does not forward; otherwise (a routed packet, or one the parser finds
 * malformed) the packet passes and the netfilter programs decide.
 * The build hoists only when the host has no DNAT (the runtime looks:
 * a nat chain at prerouting would make an input packet a forwarded one).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "emit.h"
#include "compiler/front/ir.h"

/* Why a rule is hoisted or not. */
enum bw_hoist_why {
	BW_HOIST_YES,
	BW_HOIST_CHAIN,		/* not an input chain (or in nf_tables) */
	BW_HOIST_VERDICT,	/* its verdict is not drop */
	BW_HOIST_STMT,		/* a log, a limit, a match after a statement */
	BW_HOIST_FIELD,		/* a field XDP does not see as input does */
	BW_HOIST_EARLIER,	/* a rule before it may see the same packets */
};

/*
 * The ruleset with the hoisted rules as chains of their own: ir's chains
 * (ir.chain[0, first)), then per input chain with a hoisted rule a chain
 * of those rules (same table, name, family, priority; hook NONE, policy
 * accept: no hook runs them but the XDP programs), in the order the
 * input hook runs their chains.  Everything but the chain array and the
 * new chains' rule arrays is ir's (shallow copies: the rules keep their
 * handles, so their counters count the XDP drops too).
 */
struct bw_hoist {
	struct bw_ir ir;
	uint32_t first;		/* the first hoisted chain */
	uint32_t nchain;	/* hoisted chains: ir.chain[first, +nchain) */
	uint32_t nrule;		/* rules hoisted */
};

/* in_nft: per chain of ir, the chains that run in nf_tables (build.h),
 * or NULL.  *out stays NULL when no rule is hoisted.  0 or -ENOMEM. */
int bw_hoist_build(const struct bw_ir *ir, const bool *in_nft,
		   struct bw_hoist **out);
void bw_hoist_free(struct bw_hoist **h);

/* Why rule ri of chain ci is (not) hoisted. */
enum bw_hoist_why bw_hoist_why(const struct bw_ir *ir, const bool *in_nft,
			       uint32_t ci, uint32_t ri);
extern const char *const bw_hoist_why_text[];

/*
 * In an XDP program (ctx in r6, the view parsed): fall through when the
 * kernel would deliver the packet to this host or discard it (see
 * above), else return pass_code.  Uses the 64 bytes of the stack at
 * scratch; clobbers r0-r5.
 */
void bw_hoist_emit_local(struct bw_emit *e, int16_t scratch, int pass_code);
