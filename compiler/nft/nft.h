/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The nf_tables back end: the chains of a ruleset that need the IP stack's
 * help (reject in an inet/ip/ip6 chain; later NAT, queue, notrack), handed
 * whole to the kernel's own nf_tables in a table bpfwall owns.  From the IR
 * it builds what to send: one table per family, its sets, chains and
 * rules, as libnftnl objects in memory.  Pure: no syscall; runtime/nft.c
 * sends a plan in one transaction (bw_rt_nft_commit).
 *
 * Each IR construct becomes the expressions nft itself generates for the
 * same text (tests/nft/ compares both in the kernel): payload and meta
 * loads, the implicit dependencies (meta nfproto in inet, meta l4proto
 * before a transport field, meta iiftype before a link-layer field, icmp
 * type echo before icmp id), bitwise masks, cmp/range, anonymous sets for
 * several elements (interval sets for ranges and prefixes), lookups with
 * the inverted flag for !=, named sets and maps, counter, log, limit,
 * reject and the verdicts.  What it cannot translate exactly is an error
 * at its location.
 *
 * Where the kernel ends up holding something else than after `nft -f` of
 * the same text, the difference is nft's, not a meaning's: nft merges
 * adjacent payload compares into one load (`tcp sport 1 tcp dport 2`),
 * takes `ether type` as the dependency of an IP field after a link-layer
 * one, and keeps `typeof` in a set's userdata (the IR does not: such a
 * set lists as `type ...`, a set of plain integers as `type 0`).  Where
 * the IR itself means something else than nft, the plan keeps the IR's
 * meaning: `tcp flags 0` is "no flag set" (nft 1.0.6 sends a test that
 * never holds); a match the IR puts after a counter stays after it
 * (evaluate puts reject's implicit `meta nfproto` there; nft puts it
 * first, so there the counter counts only that family).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "grammar/diag.h"
#include "compiler/front/ir.h"

struct nftnl_table;
struct nftnl_chain;
struct nftnl_set;
struct nftnl_set_elem;
struct nftnl_rule;
struct nftnl_expr;
struct nftnl_obj;
struct nftnl_flowtable;

/* The type of the TLV in a rule's userdata (NFTNL_RULE_USERDATA) that
 * holds its bpfwall handle (u32, host order).  nft ignores types it does
 * not know, so `nft list ruleset` shows the rule as usual. */
#define BW_NFT_UDATA_HANDLE	0xb7

/* The regular chain of bw_nft_plan_ct_keeper(). */
#define BW_NFT_CT_KEEPER	"bpfwall_ct_keeper"

/* An interface that nf_tables knows by index (meta iif, meta oif) and the
 * IR by name: the index is written at commit, in the namespace the plan is
 * committed in (as nft resolves it when it loads a file). */
struct bw_nft_ifref {
	char name[16];
	struct nftnl_expr *cmp;		/* the cmp (or the immediate: fwd,
					 * dup) whose data holds it, or */
	struct nftnl_set_elem *elem;	/* the set element whose key does */
	bool data;			/* elem: its data (a map of devices:
					 * fwd, dup), not its key */
	uint32_t off;			/* byte offset of the u32 (host order) */
	struct bw_loc loc;		/* the match that names it */
};

/* A rule of the plan: where it came from. */
struct bw_nft_rule {
	struct nftnl_rule *r;
	uint32_t handle;		/* bpfwall's; 0 for the keeper's rule */
	struct bw_loc loc;
};

/*
 * What to send, in this order: the tables, then the chains, the sets with
 * their elements, the rules.  Read-only for runtime/nft.c; built and freed
 * here.
 */
struct bw_nft_plan {
	char *table;			/* the tables' name */
	uint32_t families;		/* bit 1u << enum bw_family per table */
	uint32_t ntable;
	struct nftnl_table **tables;
	uint32_t nchain;
	struct nftnl_chain **chains;
	uint32_t nset;
	struct nftnl_set **sets;
	uint32_t nrule;
	struct bw_nft_rule *rules;
	uint32_t nifref;
	struct bw_nft_ifref *ifrefs;
	uint32_t set_id;		/* the last NFTNL_SET_ID given */
	/* per named set of the IR (nir_set of them): its index in sets[],
	 * or -1 when it is not sent (add element finds its copy here) */
	int32_t *ir_set;
	uint32_t nir_set;
	uint32_t cap_chain, cap_set, cap_rule, cap_ifref;
	/* the named objects the rules use (sent after the tables) */
	uint32_t nobj, cap_obj;
	struct nftnl_obj **objs;
	/* the flowtables the rules name (sent after the objects), each
	 * with its IR index and definition's location (nft_flow.c) */
	uint32_t nflowtable;
	struct nftnl_flowtable **flowtables;
	uint32_t *flowtable_ir;
	struct bw_loc *flowtable_loc;
};

/*
 * The plan for the base chains c of ir with in_nft[c] (in_nft: ir->nchain
 * entries; NULL: none; a user chain with in_nft[c] goes too, though no
 * hook then runs it), with every user chain and named set they reach and
 * the anonymous sets they need, in tables named table, one per family
 * (inet, ip, ip6).  A chain keeps its name, or, where two tables of one
 * family both send a chain of that name, becomes "TABLE.NAME" (sets
 * alike).  Rules keep their order, each with its handle in its userdata.
 * Only filter chains at the IP hooks (prerouting, input, forward, output,
 * postrouting) of inet, ip and ip6 tables can be sent.  Returns 0 and
 * *out (an empty plan when nothing is sent), or -EINVAL with the errors
 * queued in d at their locations, or -ENOMEM.
 */
int bw_nft_build(const struct bw_ir *ir, const bool *in_nft, const char *table,
		 struct bw_diags *d, struct bw_nft_plan **out);

/* An empty plan: committing it removes bpfwall's tables.  0 or -errno. */
int bw_nft_plan_new(const char *table, struct bw_nft_plan **out);

/*
 * Add the conntrack keeper for family (inet, ip or ip6) to p: a regular
 * chain BW_NFT_CT_KEEPER holding one rule that loads `ct state` and has
 * no verdict.  No hook runs it, so it touches no packet; but while it
 * exists nf_tables holds connection tracking on in the namespace
 * (nft_ct_get_init takes nf_ct_netns_get for the family: inet means IPv4
 * and IPv6), which the BPF netfilter programs read (skb->_nfct).  Adds the
 * family's table if the plan has none.  0, -EEXIST (a chain of that name
 * is in the plan) or -ENOMEM.
 */
int bw_nft_plan_ct_keeper(struct bw_nft_plan *p, enum bw_family family);

void bw_nft_plan_free(struct bw_nft_plan **p);

/* Is there nothing to send (then a commit only deletes)? */
bool bw_nft_plan_empty(const struct bw_nft_plan *p);

/*
 * The plan as text, in `nft --debug=netlink` style: each table and chain,
 * each set with its elements, each rule as "family table chain [handle N]"
 * and one "[ expr ]" line per expression; interfaces named by meta iif/oif
 * as "<ifindex NAME>".  malloc'ed, NULL when out of memory.
 */
char *bw_nft_plan_print(const struct bw_nft_plan *p);

/* The bpfwall handle in rule userdata (data, len), or 0 if none. */
uint32_t bw_nft_udata_handle(const void *data, uint32_t len);
