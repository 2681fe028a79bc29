/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IR -> struct bpf_insn.  No syscalls: maps are referenced by placeholder
 * (BPF_LD_IMM64 with src_reg BPF_PSEUDO_MAP_FD or BPF_PSEUDO_MAP_VALUE and
 * imm = enum bw_map_id); runtime/ patches in real fds at load time, so the
 * output is deterministic and golden-testable.
 *
 * Register roles (all hooks; the prologue of each hook's ops sets them up):
 *   r6  ctx (saved across helper calls)
 *   r7  scratch that survives calls (prologue: header offset; rules: set
 *       accumulator, counter hit, handle for the counter tails)
 *   r8, r9  prologue: packet start / end (XDP); rules: constant temp (r8)
 *       and the rule accumulator (r9) -- see compiler/bpf/match.c
 *   r10 frame: struct bw_view at r10 - BW_VIEW_SIZE, scratch slots below it
 *   r0..r5  scratch, clobbered by calls
 * Rules read only the view (BW_VIEW_OFF), never packet memory.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "grammar/diag.h"
#include "compiler/front/ir.h"

/* One per kind of program; each has an ops table in its own file
 * (hook_xdp.c, hook_tc.c). */
enum bw_hook {
	BW_HOOK_XDP,			/* ingress: INGRESS/INPUT chains */
	BW_HOOK_TC,			/* egress: EGRESS/OUTPUT chains */
	BW_HOOK_CONNECT4,		/* audit: cgroup connect4 (hook_connect.c) */
	BW_HOOK_CONNECT6,		/* audit: cgroup connect6 */
	BW_HOOK_SOCKET,			/* capture: socket filter (hook_sock.c) */
	BW_HOOK_KPROBE,			/* audit: kprobe on tcp_v{4,6}_connect (hook_connect.c) */
	BW_HOOK_TRACEPOINT,		/* audit: tracepoint sys_enter_connect (hook_connect.c) */
	BW_HOOK_NF,			/* inet/ip/ip6 chains: a netfilter hook (hook_nf.c) */
	BW_HOOK__MAX
};

/* What runtime/ needs to know about a hook's programs. */
struct bw_hook_info {
	const char *name;		/* "xdp", "tc" */
	enum bpf_prog_type prog_type;
	enum bpf_attach_type expected_attach_type;
	bool egress;
	int verdict_accept, verdict_drop;	/* XDP_PASS/XDP_DROP, TC_ACT_OK/TC_ACT_SHOT */
	int verdict_reject;	/* a reject that answered: XDP_TX, TC_ACT_REDIRECT
				 * (0: the hook cannot answer) */
};
const struct bw_hook_info *bw_hook_info(enum bw_hook hook);

/* Maps a program may reference (placeholders in imm). */
enum bw_map_id {
	BW_MAP_COUNTERS,	/* PERCPU_ARRAY u32 handle -> struct bw_counter, nhandle entries */
	BW_MAP_REASONS,		/* PERCPU_ARRAY u32 reason -> u64 drops, BW_REASON__MAX
				 * entries, then the events lost (log.h):
				 * BW_REASONS_SLOTS entries */
	BW_MAP_TRACE,		/* ARRAY, 1 entry, u32 deciding handle (trace builds only) */
	BW_MAP_AUDIT,		/* RINGBUF of struct bw_audit_event (audit.h), connect hooks */
	BW_MAP_LOG,		/* RINGBUF of struct bw_log_event (log.h) */
	BW_MAP_LIMITS,		/* ARRAY u32 -> u64: each limit's arrival time (ir.h) */
	BW_MAP_CT,		/* LRU_HASH struct bw_ct_key -> struct bw_ct_value
				 * (ct.h): conntrack, when a rule uses ct state */
	BW_MAP_DISPATCH,	/* PROG_ARRAY, 1 slot: a netfilter dispatcher's
				 * program (bw_nf_dispatcher) */
	BW_MAP__MAX
};

struct bw_counter {
	uint64_t packets;
	uint64_t bytes;
};

struct bw_srcmap_ent {
	uint32_t insn;			/* first instruction of ... */
	struct bw_loc loc;		/* ... this rule (or chain policy / prologue: src NULL) */
	uint32_t handle;		/* rule handle, 0 if not a rule */
	const char *what;		/* static block name when not a rule:
					 * "prologue", "malformed", "chain",
					 * "policy accept", ...; NULL for rules */
};

/*
 * Values only the running kernel knows, patched in by runtime/ when it
 * loads the program (runtime/load.c), as map fds are: names in vmlinux's
 * BTF, and the network namespace the program is loaded for.  The compiler
 * stays deterministic; -d prints the names.
 */
enum bw_reloc_kind {
	BW_RELOC_KFUNC,		/* call: imm = BTF id of kernel function name */
	BW_RELOC_FIELD,		/* load/store: off += byte offset of member
				 * name, "struct.member[.member...]" (members of
				 * embedded structs and unions, named or not);
				 * alu: imm += it */
	BW_RELOC_FIELD_BIT,	/* alu: imm += that member's first bit within
				 * its byte (a bit field: shift right by it) */
	BW_RELOC_NETNS_COOKIE,	/* ld_imm64: the cookie of the loading netns */
};

struct bw_reloc {
	uint32_t insn;
	uint8_t kind;		/* enum bw_reloc_kind */
	const char *name;	/* static string; NULL for NETNS_COOKIE */
};

struct bw_prog {
	enum bw_hook hook;
	char name[16];			/* BPF object name, e.g. "bw_xdp" */
	struct bpf_insn *insn;
	uint32_t ninsn;
	struct bw_srcmap_ent *srcmap;	/* ascending by insn */
	uint32_t nsrcmap;
	struct bw_reloc *reloc;		/* ascending by insn */
	uint32_t nreloc;
	bool uses_map[BW_MAP__MAX];
	bool answers;			/* has a reject's answer (XDP_TX, redirect) */
	bool uses_ct;			/* reads the kernel's ct state */
};

struct bw_opt_plan;

struct bw_codegen_opts {
	/* Store the deciding rule's handle (0: policy, no chain, or a
	 * malformed packet, which BW_MAP_REASONS counts) into BW_MAP_TRACE
	 * before each verdict, for trace and the verdict tests. */
	bool trace;
	/* Lookup groups from bw_optimize() (optimize.h); NULL: every rule
	 * as compares.  Group g's map is the placeholder
	 * imm = BW_MAP__MAX + g->map; the runtime creates and fills it. */
	const struct bw_opt_plan *plan;
	/* Connect hooks: a deny returns 0 (connect() fails with EPERM)
	 * instead of 1 after the audit event. */
	bool enforce;
	/* The attach point's device address (meta pkttype: a unicast frame
	 * to another address is `other`); NULL: unknown, every unicast
	 * frame is `host`. */
	const uint8_t *mac;
	/* Not 0: every packet meets this ct state (trace's `ct state X`);
	 * no tracking, no conntrack map. */
	uint8_t ct_force;
	/* The base chains the program runs, in order (indexes into
	 * ir->chain); NULL: bw_ir_chains_for(ir, hook is TC, ifname, true)
	 * (the program of a device, with the input or output chains). */
	const uint32_t *chains;
	uint32_t nchain;
	/* Netfilter hooks: not NULL, the interfaces every packet meets
	 * (trace and the tests: BPF_PROG_TEST_RUN sets none), "" for none;
	 * NULL: the hook's own, read from the context. */
	const char *iif, *oif;
	/* Netfilter hooks, force_mark: every packet has this mark (a test
	 * run cannot set skb->mark there). */
	bool force_mark;
	uint32_t mark;
	/* XDP and TC with chains given: track connections (compiler/interp/ct.h)
	 * even when these chains read no ct state, as the other direction's
	 * do (a build that runs the input and output chains there). */
	bool track_ct;
	/* XDP: the chains from position hoist_from on are input-chain
	 * drops hoisted in front of the netfilter hooks (compiler/bpf/hoist.h):
	 * they skip fragments, and their drops hold only for packets the
	 * kernel would deliver to this host or discard (else the packet
	 * passes); with hoist_from 0, a packet the parser finds malformed
	 * passes too. */
	bool hoist;
	uint32_t hoist_from;
};

/*
 * Compile the chains of one attach point (opts->chains, or
 * bw_ir_chains_for(ir, hook is TC, ifname, true)).  Chains run in order;
 * accept in one chain goes on to the next, drop ends; the last accept
 * returns the hook's accept code.
 * Table families ip/ip6/inet only see IPv4 / IPv6 / IP packets, as in nft.
 * Returns 0 or -errno (with an error queued in d when the ruleset is the
 * cause, e.g. too large).
 */
int bw_codegen(const struct bw_ir *ir, enum bw_hook hook, const char *ifname,
	       const struct bw_codegen_opts *opts, struct bw_diags *d,
	       struct bw_prog **out);
void bw_prog_free(struct bw_prog **p);

/* The dispatcher of a netfilter hook (hook_nf.c): a tail call to the
 * program in slot 0 of BW_MAP_DISPATCH; none there: drop. */
int bw_nf_dispatcher(struct bw_prog **out);

/* The source location of instruction i (NULL src: prologue/epilogue). */
const struct bw_srcmap_ent *bw_prog_srcmap(const struct bw_prog *p, uint32_t i);

/*
 * Disassemble: each rule's source line (file:line and the text) printed
 * above its instructions, then one instruction per line:
 *     0012: r1 = *(u16 *)(r10 - 22)
 * Table driven over the opcode classes.
 */
void bw_disasm(const struct bw_prog *p, FILE *out);
/* One instruction into buf (for verifier messages and tests); returns the
 * number of insns consumed (2 for ld_imm64). */
int bw_disasm_insn(const struct bpf_insn *insn, uint32_t n, char *buf, size_t len);
