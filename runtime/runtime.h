/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runtime: everything that talks to the kernel.  Loads the programs codegen
 * produced (verifier log mapped back to rule locations on failure), creates
 * the maps, attaches (XDP link, TCX egress link or clsact), pins the state
 * under the pin dir, replaces a running ruleset atomically, reads counters,
 * and runs packets through programs with BPF_PROG_TEST_RUN.
 *
 * Kernel/libbpf version workarounds live in compat.h, nowhere else.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "grammar/diag.h"
#include "compiler/front/ir.h"
#include "compiler/bpf/build.h"
#include "compiler/bpf/codegen.h"
#include "compiler/front/view.h"

enum bw_xdp_mode { BW_XDP_AUTO, BW_XDP_NATIVE, BW_XDP_GENERIC };

/* --audit: which hook audits denied connects (runtime/audit.c). */
enum bw_audit_mode {
	BW_AUDIT_OFF,		/* 0: library callers attach no audit hook */
	BW_AUDIT_AUTO,		/* kprobe where the kernel has kprobes, else cgroup;
				 * the CLI's default */
	BW_AUDIT_CGROUP,
	BW_AUDIT_TRACEPOINT,
	BW_AUDIT_KPROBE,
};

/* --ip-hooks: where inet/ip/ip6 chains run (compiler/bpf/build.h). */
enum bw_ip_hooks_mode {
	BW_IP_HOOKS_AUTO,	/* netfilter where the kernel has it, else xdp */
	BW_IP_HOOKS_NF,		/* the netfilter hooks: every interface */
	BW_IP_HOOKS_XDPTC,	/* input at XDP, output at TC on each interface */
};

struct bw_rt_opts {
	const char *pin_dir;		/* default BW_PIN_DIR_DEFAULT or $BPFWALL_PIN_DIR */
	enum bw_xdp_mode xdp_mode;
	enum bw_ip_hooks_mode ip_hooks;
	enum bw_audit_mode audit;
	bool audit_enforce;		/* --audit enforce: deny with EPERM */
	const char *audit_cgroup;	/* NULL: the cgroup v2 root */
	bool verbose;			/* libbpf's log and the verifier's, too */
	/*
	 * The state must outlive this process (the CLI sets this): where
	 * the pin dir's bpffs has to be mounted and this process is alone in
	 * its mount namespace (as under `ip netns exec`), the mount is made
	 * in the outermost ancestor mount namespace bpfwall can enter, or it
	 * would vanish, and detach the ruleset, when the process exits.
	 */
	bool pin_outlive;
	/* bpfwall watch: a netdev chain's device that does not exist is a
	 * warning, the chain attached when the device appears. */
	bool devices_later;
	/* --hoist off: no input-chain drops at XDP (compiler/bpf/hoist.h) */
	bool no_hoist;
};

#define BW_PIN_DIR_DEFAULT "/sys/fs/bpf/bpfwall"

/*
 * The runtime takes a finished build (compiler/bpf/build.h) of ir: the
 * caller compiles and builds (cli/drive.h), the runtime creates the
 * maps, loads, attaches and pins.  Each takes over b's programs (b is
 * freed by the caller).
 *
 * bpfwall -f, in three steps so that the build sees the host under the
 * lock the load holds: bw_rt_apply_begin opens and locks the pin dir
 * (making it); the caller builds ir with this host's environment
 * (bw_rt_host_open with ifaces); bw_rt_apply_pin loads and verifies
 * every program, then swaps them in; bw_rt_apply_end unlocks, and after
 * a failure (err) removes what a first load made.  Any failure before
 * the swap leaves the running ruleset as it was and frees every new
 * object.
 */
struct bw_build;
struct bw_rt_pin;
int bw_rt_apply_begin(const struct bw_rt_opts *o, struct bw_rt_pin **pin,
		      struct bw_diags *d);
int bw_rt_apply_pin(const struct bw_ir *ir, struct bw_build *b,
		    const struct bw_rt_opts *o, struct bw_rt_pin *pin,
		    struct bw_diags *d);
void bw_rt_apply_end(struct bw_rt_pin **pin, int err);

/* bpfwall -c as root: load every program of b through the verifier,
 * attach nothing, pin nothing. */
int bw_rt_verify(const struct bw_ir *ir, struct bw_build *b,
		 const struct bw_rt_opts *o, struct bw_diags *d);

/* bpfwall list ruleset [-j]: the running ruleset with counters, and the
 * parser's drop counts per reason. */
/* bpfwall list conntrack: the live flows of the conntrack table, one a
 * line from the side that opened it (as conntrack -L), or JSON objects;
 * nothing when no ruleset tracks. */
int bw_rt_ct_list(const struct bw_rt_opts *o, bool json, FILE *out,
		  struct bw_diags *d);
int bw_rt_list(const struct bw_rt_opts *o, bool json, FILE *out,
	       struct bw_diags *d);

/* What the build step (compiler/bpf/build.h) is to know of this host for -d
 * and -c (no interfaces): where the IP chains run, nf_tables, hoisting,
 * the audit hook o->audit would choose.  Probes, changes nothing. */
void bw_rt_build_env(const struct bw_rt_opts *o, bool trace,
		     struct bw_build_env *env);
/* The same for a load (ifaces): also the host's interfaces, as the
 * build takes them (env.iface points into h), and whether input drops
 * may be hoisted to XDP (no DNAT here).  Errors in d. */
struct bw_rt_host {
	struct bw_build_env env;
	struct bw_build_iface *iface;	/* owned */
};
int bw_rt_host_open(struct bw_rt_host *h, const struct bw_rt_opts *o,
		    bool trace, bool ifaces, struct bw_diags *d);
void bw_rt_host_close(struct bw_rt_host *h);

/* The verbose switch (-v): bpfwall's debug lines and libbpf's log; off,
 * libbpf prints nothing.  The entry points above set it from their opts. */
void bw_rt_set_verbose(bool on);

/* -w SECONDS: how long a command waits for the lock of the pin dir that
 * another bpfwall holds (0: not at all, it fails; -1, the default: as long
 * as it takes).  After a second of waiting it says so on stderr. */
void bw_rt_set_lock_wait(int seconds);
/* Take the pin dir's lock (exclusive, waiting as above) and keep it until
 * bw_rt_release_lock(): the commands of this process in between (list,
 * apply) run under it, so that no other bpfwall loads between them.
 * -ENOENT: no pin dir, nothing loaded (nothing held). */
int bw_rt_hold_lock(const struct bw_rt_opts *o);
void bw_rt_release_lock(void);

/* Print s as a JSON string (quoted, escaped). */
void bw_rt_json_string(FILE *f, const char *s);

/*
 * bpfwall add|delete element FAMILY TABLE SET { ELEMENTS }: change a named
 * set of the running ruleset, no reload (runtime/sets.c), in three steps
 * around the compiler (cli/commands.c): open the running ruleset (its pin
 * dir locked until close) and take its text; the caller compiles it and
 * the elements (compiler/front/compile.h) and builds their copy in nf_tables
 * (bw_build_set_nft, compiler/bpf/build.h); apply changes the set's maps and
 * that copy (nft NULL: none), or neither.
 */
struct bw_rt_running;
struct bw_nft_plan;
int bw_rt_running_open(const struct bw_rt_opts *o, struct bw_rt_running **out,
		       struct bw_diags *d);
const char *bw_rt_running_text(const struct bw_rt_running *r);
int bw_rt_element_apply(struct bw_rt_running *r, bool add,
			const struct bw_ir *ir, uint32_t si,
			const struct bw_ir_setelem *e, uint32_t n,
			struct bw_nft_plan *nft, struct bw_diags *d);
void bw_rt_running_close(struct bw_rt_running **r);

/*
 * The iptables front end's read, change and load under one exclusive
 * lock of the pin dir (runtime/xtables.c).  open: the running state
 * (has_state), and the
 * iptables text pinned beside it (blob, NULL: none; stale: it belongs to
 * another state than the running one).  write false: a shared lock, and
 * nothing is made.  commit: load ir (bw_rt_apply) and pin blob with it
 * (NULL or "": none).
 */
struct bw_rt_xt {
	void *pin;			/* struct bw_rt_pin, NULL: no pin dir */
	void *st;			/* struct bw_rt_state, NULL: none */
	bool has_state;			/* a ruleset is loaded */
	char *text;			/* bw_rt_xt_text()'s */
	char *blob;
	bool stale;
	int counters_fd;
	uint32_t nhandle;
	uint64_t (*nft)[2];		/* counts of rules in nf_tables, or NULL */
	uint64_t state_hash;		/* of the running state it is bound to */
};
int bw_rt_xt_open(const struct bw_rt_opts *o, bool write, struct bw_rt_xt *x,
		  struct bw_diags *d);
/* The running ruleset's text with its counts and set elements, made on
 * first use (reading every set's maps: the commands that only read the
 * iptables text need not); NULL with *err 0: nothing loaded. */
const char *bw_rt_xt_text(struct bw_rt_xt *x, int *err);
/* The counts of the rule with that handle in the running ruleset. */
void bw_rt_xt_counter(const struct bw_rt_xt *x, uint32_t handle,
		      uint64_t *packets, uint64_t *bytes);
int bw_rt_xt_commit(struct bw_rt_xt *x, const struct bw_ir *ir,
		    struct bw_build *b, const struct bw_rt_opts *o,
		    const char *blob, struct bw_diags *d);
void bw_rt_xt_close(struct bw_rt_xt *x);
/* Pin blob as the iptables text of the running ruleset, which stays as
 * it is (ipset's live element changes: the sets' maps changed in place). */
int bw_rt_xt_pin_text(struct bw_rt_xt *x, const char *blob);

/* bpfwall flush ruleset: detach and remove everything under the pin dir. */
int bw_rt_flush(const struct bw_rt_opts *o, struct bw_diags *d);

/* A loaded, unattached program pair for trace and the verdict tests: the
 * production build gives the verdict, the trace build the deciding rule. */
struct bw_rt_testprog;

struct bw_rt_run_result {
	enum bw_verdict verdict;
	uint32_t handle;		/* 0: chain policy (or no chain) */
	uint32_t retval;		/* the program's raw return code */
	bool malformed;			/* dropped by the parser, before any rule */
	enum bw_reason reason;		/* if malformed */
};

/* Load test build b of ir (compiler/bpf/build.h bw_build_test; the caller
 * builds, cli/drive.h), unattached, each build with its own maps;
 * share_ct: the test program whose conntrack table this one uses (both
 * builds'), so packets through one are known to the other (NULL: its
 * own). */
struct bw_build_test;
int bw_rt_testprog_load(const struct bw_ir *ir, const struct bw_build_test *b,
			const struct bw_rt_testprog *share_ct,
			struct bw_diags *d, struct bw_rt_testprog **out);
int bw_rt_testprog_run(struct bw_rt_testprog *t, const uint8_t *pkt,
		       size_t len, struct bw_rt_run_result *res);
/* The same with skb->mark set (TC; XDP has none). */
int bw_rt_testprog_run_mark(struct bw_rt_testprog *t, const uint8_t *pkt,
			    size_t len, uint32_t mark,
			    struct bw_rt_run_result *res);
/* A netfilter program: the packet (from the Ethernet header; from the
 * network header at the output hook) at hook (enum bw_nf_hooknum) for
 * protocol family pf. */
int bw_rt_testprog_run_nf(struct bw_rt_testprog *t, const uint8_t *pkt,
			  size_t len, uint8_t hook, uint8_t pf,
			  struct bw_rt_run_result *res);
void bw_rt_testprog_free(struct bw_rt_testprog **t);

/*
 * A packet's way through every program of a ruleset that it meets
 * (trace and the verdict tests), each loaded unattached and run with
 * BPF_PROG_TEST_RUN in the order the kernel runs them; the first drop
 * or reject decides, else the last program's accept.  With nf, the
 * build of compiler/bpf/build.h: the XDP program of the input device, a
 * netfilter program per hook and priority (for the packet's family;
 * not for a frame that is neither IPv4 nor IPv6, which never gets
 * there), the TC program of the output device.  Without, the input
 * chains at XDP with the ingress ones, the output ones at TC with the
 * egress ones; no forward path.
 *
 * The netfilter programs of a test run meet no interface, mark or
 * connection tracking of the kernel's: they get the path's interfaces
 * where each hook has them (bw_path_has_iface), mark and ct_force as
 * the packet's (ct_force 0: invalid, as a packet conntrack never saw).
 * A test run's device is the loopback one, whose address is all zeros:
 * a frame to another unicast address would be PACKET_OTHERHOST there,
 * which the IP hooks never see; unless the ruleset reads ether daddr,
 * a unicast destination is made all zeros for every program (trace and
 * the interpreter do the same).
 *
 * A chain that goes to nf_tables (compiler/bpf/build.h) has no program to
 * run: a path that meets one cannot be loaded (-ENOTSUP, said in d).
 */
struct bw_rt_testpath;
/* The programs of path build bp (compiler/bpf/build.h bw_build_path; the
 * caller builds, cli/drive.h), mark: the one the path's TC programs give
 * packets; share_ct (without nf): the path whose programs' conntrack
 * table these use. */
struct bw_build_path;
int bw_rt_testpath_load(const struct bw_ir *ir, const struct bw_build_path *bp,
			uint32_t mark, const struct bw_rt_testpath *share_ct,
			struct bw_diags *d, struct bw_rt_testpath **out);
int bw_rt_testpath_run(struct bw_rt_testpath *tp, const uint8_t *pkt,
		       size_t len, struct bw_rt_run_result *res);
void bw_rt_testpath_free(struct bw_rt_testpath **tp);
/* Does the test harness make a unicast destination all zeros (above)? */
bool bw_rt_testpath_zero_dmac(const struct bw_ir *ir, bool nf);
/* The mark the TC programs of the path give packets (skb->mark). */
void bw_rt_testpath_set_mark(struct bw_rt_testpath *tp, uint32_t mark);

/* Do the inet/ip/ip6 chains run at the netfilter hooks under o (auto:
 * where the kernel has them, probed)? */
bool bw_rt_use_nf(const struct bw_rt_opts *o);

/* Can the netfilter programs read the kernel's connection tracking (a
 * rule in nf_tables keeps it on)?  compiler/bpf/build.h's kernel_ct. */
bool bw_rt_kernel_ct(void);

/* Are input-chain drops hoisted to XDP under o (compiler/bpf/hoist.h)?  Only
 * at the netfilter hooks, and not when the host may DNAT (a nat chain at
 * prerouting in nf_tables, or the legacy iptables nat table): then
 * *why (when not NULL) says what was found. */
bool bw_rt_hoist(const struct bw_rt_opts *o, char *why, size_t len);

/* The kernel's link events (RTNLGRP_LINK) of this network namespace, for
 * the watcher (bpfwall watch): a non-blocking netlink socket to poll;
 * _read() drains it and says whether an interface came, went or
 * changed (1), or not (0), or -errno. */
struct bw_rt_linkwatch;
int bw_rt_linkwatch_open(struct bw_rt_linkwatch **out);
int bw_rt_linkwatch_fd(const struct bw_rt_linkwatch *w);
int bw_rt_linkwatch_read(struct bw_rt_linkwatch *w);
void bw_rt_linkwatch_close(struct bw_rt_linkwatch **w);
/* The interfaces this namespace has now, as one string ("1:lo 2:eth0 "),
 * to tell whether they changed; malloc'ed, NULL on failure. */
char *bw_rt_ifaces_signature(void);

/* bpfwall monitor [-j] [-c COUNT]: print audit events from the pinned
 * ringbuf until SIGINT/SIGTERM or count events (0: no limit). */
int bw_rt_monitor(const struct bw_rt_opts *o, bool json, unsigned long count,
		  FILE *out, struct bw_diags *d);
