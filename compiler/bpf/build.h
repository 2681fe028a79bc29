/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The build step: from a checked ruleset and what bpfwall knows of the
 * host (plain data the runtime gathers: its interfaces, whether the kernel
 * attaches BPF at the netfilter hooks), decide every packet program the
 * ruleset needs, where each attaches, and generate it.  No syscalls:
 * runtime/ only loads, attaches and pins what this returns, and -d prints
 * it.
 *
 *   netdev chains (and inet's ingress hook)  an XDP program on the device
 *                                            (ingress), a TC one (egress)
 *   inet/ip/ip6 chains, where the kernel     one netfilter program per
 *   attaches at the netfilter hooks          chain, at its hook and
 *   (BW_IP_HOOKS_NETFILTER)                  priority, for IPv4 and/or
 *                                            IPv6 (inet: both): every
 *                                            interface, present and future
 *   where it does not (BW_IP_HOOKS_XDP)      input chains at XDP and output
 *                                            chains at TC on every
 *                                            Ethernet-like or loopback
 *                                            interface there is; the other
 *                                            hooks are an error
 *   the audit hook (env->audit)              the egress rules' matcher on
 *                                            a connect: cgroup connect4
 *                                            and connect6, a kprobe or a
 *                                            tracepoint program
 *
 * The optimizer runs once; every program of the build uses its plan.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "codegen.h"
#include "compiler/front/ir.h"
#include "compiler/opt/optimize.h"
#include "mapspec.h"
#include "compiler/front/setmap.h"

/* An interface of the host, as the runtime saw it. */
struct bw_build_iface {
	char name[16];
	uint32_t ifindex;
	uint8_t mac[6];
	bool has_mac;
	bool veth;		/* a veth pair's end (runtime/swap.c's XDP mode) */
	bool xdp;		/* Ethernet-like or loopback: XDP and TC attach */
	bool loopback;
	bool enslaved;		/* a bridge, bond or VRF port (IFLA_MASTER) */
	bool xdp_foreign;	/* another tool's XDP program is on it */
};

enum bw_ip_hooks {
	BW_IP_HOOKS_NETFILTER,	/* BPF_PROG_TYPE_NETFILTER links (6.4+) */
	BW_IP_HOOKS_XDP,	/* input at XDP, output at TC, per interface */
};

/* The audit hook's programs, as the runtime chose them from the host
 * (runtime/audit_dump.c): BW_HOOK_CONNECT4 and BW_HOOK_CONNECT6,
 * BW_HOOK_KPROBE or BW_HOOK_TRACEPOINT; none: no audit hook. */
struct bw_build_audit {
	enum bw_hook hook[2];
	uint32_t nhook;
	bool enforce;		/* the cgroup programs refuse a denied connect */
	/* for bw_build_print: which hook and why ("cgroup connect4/connect6
	 * (this kernel has no kprobes)"), and the cgroup (NULL: the cgroup
	 * v2 root) */
	const char *what;
	const char *cgroup;
};

struct bw_build_env {
	/* The host's interfaces; NULL: not known (-d, -c): one program per
	 * device a chain names and, at XDP/TC, one for every other
	 * interface (ifindex 0). */
	const struct bw_build_iface *iface;
	uint32_t niface;
	enum bw_ip_hooks ip_hooks;
	/* The kernel's nf_tables is there: for the chains that need the
	 * IP stack, and to keep connection tracking on for the netfilter
	 * programs' ct state (runtime/nft.c); false: IP chains that reject
	 * or use ct state run at XDP and TC (bpfwall's own tracker). */
	bool kernel_ct;
	bool trace;		/* trace builds (codegen opts.trace) */
	/* A device a netdev chain names that is not among iface is a
	 * warning, its chain left out (bpfwall watch loads again when it
	 * appears), not an error. */
	bool devices_later;
	/* Hoist input-chain drops to an XDP program on every interface
	 * that is Ethernet-like, not loopback and no port of another
	 * (compiler/bpf/hoist.h): the runtime found no DNAT on the host.  Only
	 * with the chains at the netfilter hooks, not in trace builds. */
	bool hoist;
	struct bw_build_audit audit;	/* none in trace builds */
};

enum bw_attach {
	BW_AT_XDP,		/* on device ifname / ifindex */
	BW_AT_TC,		/* TC egress on the device */
	BW_AT_NF,		/* a netfilter hook, every interface */
	BW_AT_AUDIT,		/* the audit hook (hook says which) */
};

struct bw_build_prog {
	enum bw_attach at;
	enum bw_hook hook;		/* the program's hook */
	struct bw_prog *prog;		/* owned */
	/* XDP, TC: the device ("" and ifindex 0: every other interface,
	 * when env->iface is NULL) */
	char ifname[16];
	uint32_t ifindex;
	bool veth;
	/* XDP: runs drops hoisted from the input chains (hoist.h), after
	 * the device's netdev chains; nothing else when hoisted_only */
	bool hoisted, hoisted_only;
	/*
	 * NF: the chains (indexes into ir->chain, in the order they run) at
	 * nf_hook (enum bw_nf_hooknum) and priority, for IPv4 and/or IPv6.
	 * The kernel takes one BPF program per hook, family and priority,
	 * so chains that share them share a program.  It is reached through
	 * dispatch, attached once and kept: a tail call through a
	 * one-slot program array (BW_MAP_DISPATCH), whose slot a reload
	 * replaces atomically (a netfilter link cannot change its
	 * program).  The link asks for no defragmentation of its own: the
	 * chains see fragments where nft's do (prerouting, forward,
	 * postrouting, IPv6 input), unless the namespace tracks
	 * connections (ct state: the keeper), which reassembles first.
	 */
	uint32_t *chains;		/* owned */
	uint32_t nchain;
	struct bw_prog *dispatch;	/* owned */
	uint8_t nf_hook;
	bool v4, v6;
	int32_t priority;
};

struct bw_nft_plan;

struct bw_build {
	struct bw_build_prog *prog;
	uint32_t nprog;
	struct bw_opt_plan *opt;	/* the lookup groups every program uses */
	struct bw_map_specs *maps;	/* every map they use (mapspec.h) */
	/* What goes to the kernel's nf_tables (compiler/nft/nft.h), in tables
	 * named BW_BUILD_NFT_TABLE: the inet/ip/ip6 chains that need the IP
	 * stack (a reject: a netfilter program cannot answer) and the
	 * conntrack keeper the netfilter programs' ct state needs.  Empty
	 * when nothing is (committing it removes what a load before left);
	 * NULL at XDP and TC. */
	struct bw_nft_plan *nft;
	uint32_t nhoisted;		/* input-chain rules hoisted to XDP */
	/* What list ruleset needs besides the text (bw_build_list_encode),
	 * for the runtime to pin with the state */
	uint8_t *list;
	size_t list_len;
};

#define BW_BUILD_NFT_TABLE "bpfwall"

/*
 * Where the inet/ip/ip6 chains of ir run under env: at the netfilter
 * hooks, or at XDP and TC when env says so or when a chain needs what a
 * netfilter program cannot do (answer a reject; read ct state while no
 * rule keeps the kernel's connection tracking on).  *why: the rule
 * that decided it, or NULL.
 */
enum bw_ip_hooks bw_build_ip_hooks(const struct bw_ir *ir,
				   const struct bw_build_env *env,
				   const struct bw_ir_rule **why);
/* Chains at hooks only the netfilter programs have (prerouting,
 * forward, postrouting), or that only nf_tables runs (type nat, field
 * sets, notrack, queue, quota, byte limits)? */
bool bw_build_nf_only(const struct bw_ir *ir);

/* Which base chains go to nf_tables at the netfilter hooks (in_nft: one
 * per chain of ir): those that reach a reject.  Returns how many. */
uint32_t bw_build_in_nft(const struct bw_ir *ir, bool *in_nft);

/* Returns 0 or -errno with errors in d (a device a chain names that the
 * host lacks, a hook the kernel cannot attach at, a program too large). */
int bw_build(const struct bw_ir *ir, const struct bw_build_env *env,
	     struct bw_diags *d, struct bw_build **out);
void bw_build_free(struct bw_build **b);

/*
 * What `list ruleset` needs of a ruleset besides its text (build_list.c),
 * encoded for the pinned state: each named set's types, flags and map
 * layout, and the chain names (a verdict map's jump targets).  Decoded,
 * ir holds the chains (names only) and the sets at their indexes (named
 * ones filled, no elements; anonymous ones empty); layout[si] is named
 * set si's, as its maps were made (ntable 0: not a named set).
 * -EBADMSG: damaged; -EPROTO: another version's, or a key field this
 * bpfwall lacks.
 */
struct bw_build_list {
	struct bw_ir *ir;
	struct bw_set_layout *layout;	/* ir->nset */
};
int bw_build_list_encode(const struct bw_ir *ir, uint8_t **out, size_t *len);
int bw_build_list_decode(const uint8_t *p, size_t len,
			 struct bw_build_list **out);
void bw_build_list_free(struct bw_build_list **li);

/* add/delete element: the copy in nf_tables of named set si of ir (the
 * running ruleset) holding just elements e, in the form nf_tables holds
 * them (intervals as start and end elements), for runtime/sets.c to add
 * or delete; *out NULL when no chain of ir goes to nf_tables. */
int bw_build_set_nft(const struct bw_ir *ir, uint32_t si,
		     const struct bw_ir_setelem *e, uint32_t n,
		     struct bw_diags *d, struct bw_nft_plan **out);

/* The socket filter of a capture ruleset (compiler/front/capture.h): the
 * BW_HOOK_SOCKET program `bpfwall capture` puts on its packet socket, and
 * its maps. */
int bw_build_capture(const struct bw_ir *ir, struct bw_diags *d,
		     struct bw_prog **out, struct bw_map_specs **maps);

/* bpfwall -d (build_print.c): every program of b, each block of code
 * under the source line it came from, then what goes to nf_tables, then
 * the audit hook's programs (env->audit); bw_build_print_audit: only the
 * last. */
void bw_build_print(const struct bw_ir *ir, const struct bw_build *b,
		    const struct bw_build_env *env, FILE *out);
void bw_build_print_audit(const struct bw_build *b,
			  const struct bw_build_env *env, FILE *out);

/* The netfilter hook number of an IP chain hook (enum bw_nf_hooknum),
 * and a hook number's name ("input"). */
uint8_t bw_build_nf_hook(enum bw_chain_hook h);
const char *bw_nf_hook_name(uint8_t hook);
/* "xdp on eth0", "tc egress on every interface", "netfilter input
 * priority 0 (ipv4, ipv6)": what a program is, for messages. */
void bw_build_what(const struct bw_build_prog *p, char *buf, size_t len);

/* ------------------------------------------------------------------
 * Test builds (build_test.c): what `bpfwall trace` and the verdict tests
 * run packets through with BPF_PROG_TEST_RUN (runtime/testprog.c loads
 * them, attached nowhere).
 */

struct bw_build_test_opts {
	/* not 0: every packet meets this ct state, nothing is tracked */
	uint8_t ct_force;
	/* the chains it runs (codegen opts.chains), NULL: the device's */
	const uint32_t *chains;
	uint32_t nchain;
	/* netfilter: the interfaces and mark every packet meets (a test
	 * run sets none of them) */
	const char *iif, *oif;
	uint32_t mark;
	/* the optimizer's options (NULL: its defaults); the equivalence
	 * test builds one ruleset with and without the classifier */
	const struct bw_opt_opts *opt;
};

/* One attach point at hook on ifname (or NULL): its production build,
 * which gives the verdict, and its trace build, which gives the deciding
 * rule, with one lookup plan. */
struct bw_build_test {
	enum bw_hook hook;
	char ifname[64];		/* "" : none */
	struct bw_opt_plan *opt;	/* owned */
	struct bw_prog *prod, *trace;	/* owned */
	/* owned: the maps of each (mapspec.h; trace's has the trace slot) */
	struct bw_map_specs *maps, *tmaps;
};

int bw_build_test(const struct bw_ir *ir, enum bw_hook hook, const char *ifname,
		  const struct bw_build_test_opts *o, struct bw_diags *d,
		  struct bw_build_test **out);
void bw_build_test_free(struct bw_build_test **t);

struct bw_build_path_opts {
	enum bw_path path;		/* in, out, forward */
	const char *iif, *oif;
	/* the inet/ip/ip6 chains at the netfilter hooks (else input at
	 * XDP on iif, output at TC on oif) */
	bool nf;
	uint8_t ct_force;
	uint32_t mark;
};

/* The programs a packet meets on its path, in order: a device's (t[0]),
 * or a netfilter hook's (t[0] IPv4, t[1] IPv6; NULL where no chain of
 * that family is). */
struct bw_build_stage {
	struct bw_build_test *t[2];
	bool nf;
	uint8_t nf_hook;		/* enum bw_nf_hooknum */
};

struct bw_build_path {
	struct bw_build_stage *st;
	uint32_t n;
};

/* Errors in d: a forward path without the netfilter hooks, a chain on the
 * path that goes to nf_tables (BPF_PROG_TEST_RUN cannot run it). */
int bw_build_path(const struct bw_ir *ir, const struct bw_build_path_opts *o,
		  struct bw_diags *d, struct bw_build_path **out);
void bw_build_path_free(struct bw_build_path **p);
