/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runtime internals shared by the files of runtime/ (not by other stages).
 *
 *   log.c       verbose switch (also routes libbpf's log), one-line errors
 *   netlink.c   interfaces of the current netns through libmnl
 *   load.c      maps, placeholder patching, bpf_prog_load, verifier log
 *   attach.c    XDP links, TCX links, clsact fallback
 *   pin.c       pin dir (bpffs mount, undo), pinned state blob
 *   trust.c     who owns the pin dir and the pins; shapes of pinned maps
 *   lock.c      the pin dir's lock, waiting as -w says
 *   swap.c      load a plan of attach points, swap it in atomically
 *   apply.c     ruleset -> plan (codegen per attach point); apply, verify
 *   list.c      list ruleset, flush ruleset
 *   testprog.c  unattached production + trace builds, BPF_PROG_TEST_RUN
 *   ct.c        the conntrack map
 *   kernel.c    vmlinux BTF and netns cookie: program relocations
 *   nft.c       bpfwall's tables in nf_tables (compiler/nft/nft.h plans)
 *
 * Pin dir layout (all on one bpffs):
 *   state            ARRAY map: struct bw_rt_state_hdr, attach points, text
 *   counters         PERCPU_ARRAY of struct bw_counter, one per handle
 *   reasons          PERCPU_ARRAY of u64, one per enum bw_reason
 *   lookup_<n>       lookup maps of the optimizer's plan
 *   conntrack        LRU_HASH (compiler/interp/ct.h), kept across reloads
 *   link_<hook>_<ifindex>   XDP or TCX link
 *   prog_<hook>_<ifindex>   program attached through clsact (no link)
 *   link_nf_<pf>_<hook>_<prio>, nfprog_<pf>_<hook>_<prio>
 *                           netfilter link, its dispatcher's program array
 *   bridge_<ifindex>        drop-all TC ingress program that holds the
 *                           device while its XDP mode changes (swap.c):
 *                           a TCX link, or the program of a clsact filter
 *   <name>_new              a pin being replaced (bw_rt_pin_replace)
 *
 * The pins are the truth: a load finds every attachment by its pin, named
 * by the state or not (a run killed mid-swap), and keeps, updates or
 * removes each; `list ruleset` says which are attached.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime.h"
#include "compiler/opt/optimize.h"

#define BW_IFNAMSIZ 16		/* IFNAMSIZ, without <net/if.h> (clashes with linux/if.h) */

/* log.c */
extern bool bw_rt_verbose;
void bw_rt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void bw_rt_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* netlink.c */
struct bw_rt_iface {
	uint32_t ifindex;
	uint16_t type;			/* ARPHRD_* */
	char name[BW_IFNAMSIZ];
	uint8_t addr[6];		/* Ethernet address, if has_addr */
	bool has_addr;
	bool veth;			/* a veth pair's end */
	uint32_t master;		/* IFLA_MASTER: the bridge, bond or VRF
					 * it is a port of, 0: none */
	uint32_t xdp_prog;		/* the id of its XDP program, 0: none */
};

struct bw_rt_ifaces {
	uint32_t n;
	struct bw_rt_iface *v;
};

int bw_rt_ifaces_dump(struct bw_rt_ifaces *out);
void bw_rt_ifaces_fini(struct bw_rt_ifaces *l);
const struct bw_rt_iface *bw_rt_iface_find(const struct bw_rt_ifaces *l,
					   const char *name);
/* Ethernet-like or loopback: what INPUT/OUTPUT chains attach to. */
bool bw_rt_iface_attachable(const struct bw_rt_iface *i);

/* load.c */
struct bw_rt_maps {
	int fd[BW_MAP__MAX];		/* -1: not created */
	uint32_t nlookup;
	int *lookup;			/* placeholder BW_MAP__MAX + i */
	uint32_t nset;
	int *set;			/* placeholder BW_MAP_SET_BASE + i */
};

void bw_rt_maps_init(struct bw_rt_maps *m);
/* Every map of s (compiler/bpf/mapspec.h: the build describes them),
 * created and filled; a shared one (log ring, conntrack) that m already
 * holds is kept.  On failure m is closed. */
struct bw_map_specs;
int bw_rt_maps_create(struct bw_rt_maps *m, const struct bw_map_specs *s);
void bw_rt_maps_close(struct bw_rt_maps *m);

/* Patch the map placeholders of p with m's fds and load it.  Returns the
 * program fd, or -errno; a verifier rejection is queued in d, mapped back
 * to the rule through p's source map.  what names the attach point in
 * messages ("xdp on eth0"). */
int bw_rt_prog_load(const struct bw_prog *p, const struct bw_rt_maps *m,
		    const char *what, struct bw_diags *d);

/* Parse a verifier log: the failing instruction (-1 if none is named) and
 * the message line.  Exposed for the unit tests. */
int bw_rt_vlog_parse(const char *log, char *msg, size_t msglen);

/* kernel.c: vmlinux BTF and the netns cookie.  The bit offset of member
 * "struct.member[.member]" (through anonymous members); the BTF id of
 * kernel function name; the cookie of this process's network namespace.
 * Each returns 0 (func: the id) or -errno (-ENOENT: no such name). */
int bw_rt_btf_member(const char *path, uint32_t *bit_off);
int bw_rt_btf_func(const char *name);
int bw_rt_netns_cookie(uint64_t *cookie);
/* Patch p's relocations into insn (a copy of p->insn); an error names
 * what is missing, for what ("xdp on eth0"). */
int bw_rt_relocate(struct bpf_insn *insn, const struct bw_prog *p,
		   const char *what, struct bw_diags *d);

int bw_rt_ncpus(void);
/* Sum over CPUs of the nwords u64 words of a per-CPU map's entry key. */
int bw_rt_percpu_sum(int map_fd, uint32_t key, uint32_t nwords, uint64_t *sum);

struct bw_rt_pin;

/* Replace m's set tables by (dups of) from's: the audit hook looks up
 * the same maps as the packet programs, which add element changes. */
int bw_rt_maps_use_sets(struct bw_rt_maps *m, const struct bw_rt_maps *from);
/* Pin the named sets' tables as set_<set>_<table>; unpin stale ones. */
int bw_rt_sets_pin(const struct bw_rt_maps *m, const struct bw_ir *ir,
		   const struct bw_rt_pin *pin);
/* The elements line of named set si of ir as its pinned maps, made
 * with layout l, hold them (malloc'ed; NULL: not pinned, or *err: they
 * cannot be read, said).  ir and l: the state's list data
 * (compiler/bpf/build.h bw_build_list), no text compiled. */
struct bw_set_layout;
char *bw_rt_set_elems(const struct bw_rt_pin *pin, const struct bw_ir *ir,
		      const struct bw_set_layout *l, uint32_t si, int *err);

/* attach.c */
enum bw_rt_kind {
	BW_RT_KIND_NONE,
	BW_RT_KIND_XDP,			/* XDP bpf_link */
	BW_RT_KIND_TCX,			/* TCX egress bpf_link */
	BW_RT_KIND_CLSACT,		/* clsact egress filter (no link) */
	BW_RT_KIND_NF,			/* netfilter bpf_link */
};

/* Where a netfilter program attaches: hook number, protocol family
 * (NFPROTO_IPV4/6), priority, link flags (none: compiler/bpf/build.h says
 * why there is no defragmentation flag). */
struct bw_rt_nf {
	uint8_t hook, pf;
	uint16_t flags;
	int32_t priority;
};

/* The kernel refuses a BPF program at a priority where any hook already
 * is (nft's, iptables', conntrack's): bpfwall then attaches at the next
 * free one above, at most this far. */
#define BW_RT_NF_PRIO_SPREAD 8

struct bw_rt_att {
	enum bw_hook hook;
	enum bw_rt_kind kind;
	bool bridge;			/* a drop-all at TC ingress (kind TCX or
					 * CLSACT), while an XDP mode changes */
	uint32_t ifindex;		/* NF: the link's id (names its pin) */
	uint32_t xdp_flags;		/* XDP_FLAGS_DRV_MODE or _SKB_MODE */
	uint32_t tc_handle, tc_prio;	/* clsact */
	struct bw_rt_nf nf;		/* NF */
	int32_t nf_actual;		/* NF: the priority it got */
	int fd;				/* link fd (clsact: program fd), -1 */
	int map_fd;			/* NF: the dispatcher's program array */
};

#define BW_RT_TC_HANDLE	0xb3f1
#define BW_RT_TC_PRIO	0xb3f1

/* Attach prog_fd.  XDP: native, then generic (per mode).  TC: a TCX link,
 * else (when allow_tcx is false or the kernel refuses TCX) clsact. */
int bw_rt_attach(int prog_fd, enum bw_hook hook, uint32_t ifindex,
		 enum bw_xdp_mode mode, bool allow_tcx, struct bw_rt_att *out);
/* A netfilter attachment of prog_fd at nf: a program array holding it,
 * the dispatcher program (loaded here) that calls it, a link of the
 * dispatcher.  bw_rt_att_replace() puts another program in the array. */
int bw_rt_attach_nf(int prog_fd, const struct bw_prog *dispatch,
		    const struct bw_rt_nf *nf, struct bw_rt_att *out);
/* Pin names of a netfilter attachment: the link (link_nf_2_1_0: family,
 * hook, priority) or its program array (nfprog_2_1_0). */
void bw_rt_nf_name(const struct bw_rt_nf *nf, bool link, char *buf,
		   size_t len);
/* Does this kernel load programs for the netfilter hooks?  (Probed
 * once: a two-instruction program.) */
bool bw_rt_nf_supported(void);
/* Hold ifindex while its XDP program changes mode (the kernel runs
 * native and generic XDP never at once): a program that drops every
 * packet, at TC ingress (a TCX link, else a clsact filter), which every
 * packet meets after generic XDP, and, with no native XDP program, all
 * do.  out->fd is the link (clsact: the program), pinned as name (a
 * clsact program before its filter exists: a run killed at any point
 * leaves nothing unpinned).  Unpin, then bw_rt_att_detach(). */
struct bw_rt_pin;
int bw_rt_bridge_attach(uint32_t ifindex, const struct bw_rt_pin *pin,
			const char *name, struct bw_rt_att *out);
/* The program array a netfilter link's dispatcher calls through: fd or
 * -errno. */
int bw_rt_nf_link_array(int link_fd);
/* Is a (opened from its pin: bw_rt_att_open) attached now?  An XDP
 * attachment's xdp_flags become the mode it runs in.  When not, *why
 * says why ("its pin is gone", ...); when it is, *why may say what is
 * wrong with it all the same (a netfilter link with no program). */
bool bw_rt_att_live(struct bw_rt_att *a, const char **why);
/* Swap the program of an existing attachment in place. */
int bw_rt_att_replace(const struct bw_rt_att *a, int prog_fd);
/* Detach now (also when pinned elsewhere) and close a->fd. */
int bw_rt_att_detach(struct bw_rt_att *a);
/* The id of the program an attachment runs now (0 if unknown). */
uint32_t bw_rt_att_prog_id(const struct bw_rt_att *a);
const char *bw_rt_kind_name(enum bw_rt_kind k, uint32_t xdp_flags);

/* pin.c */
struct bw_rt_pin {
	char dir[256];
	int dirfd;			/* open and flock'ed */
	/* What an open for a load (create) found and made, for
	 * bw_rt_pin_discard(): */
	bool create;
	int mntns;			/* the outer mount namespace it made them in, or -1 */
	char made[512];			/* the first directory it created, or "" */
	char mounted[512];		/* where it mounted a bpffs, or "" */
	char path[512];			/* the pin dir as walked (trust.c) */
	uint32_t state_id;		/* the state map's id then (0: none) */
	unsigned kept;			/* bit i: bw_rt_kept_pins[i] was there */
	/* bw_rt_pin_batch(): names pinned as name_new, renamed over name
	 * by bw_rt_pin_commit() */
	bool batch;
	uint32_t nbatch;
	char (*batched)[64];
};

const char *bw_rt_pin_dir(const struct bw_rt_opts *o);
/* Open and lock the pin dir, every step checked (trust.c).  create: make
 * it, and mount a bpffs where none is (as bpftool does); else -ENOENT
 * when there is no state, and nothing is made.  exclusive: LOCK_EX, else
 * LOCK_SH (waiting as bw_rt_set_lock_wait() says, lock.c).  outlive: see
 * bw_rt_opts.pin_outlive. */
int bw_rt_pin_open(const char *dir, bool create, bool exclusive, bool outlive,
		   struct bw_rt_pin *out);
void bw_rt_pin_close(struct bw_rt_pin *p);
/* A load opened p with create and failed: unless it pinned a new state,
 * remove the pins kept across reloads (bw_rt_kept_pins) that it made, and
 * the directories and the bpffs mount it made, when nothing else is in
 * them.  A failed first load leaves nothing behind. */
void bw_rt_pin_discard(struct bw_rt_pin *p);
/* Pins kept across reloads (made when first needed, not by the plan). */
extern const char *const bw_rt_kept_pins[];
/* dir/name into buf; -ENAMETOOLONG if it does not fit. */
int bw_rt_pin_path(const struct bw_rt_pin *p, const char *name, char *buf,
		   size_t len);
int bw_rt_is_bpffs(const char *path);	/* 1 yes, 0 no, -errno */
/* Pin fd as name, replacing an older pin atomically (swap.c); while
 * batching, as name_new only. */
int bw_rt_pin_replace(const struct bw_rt_pin *pin, int fd, const char *name);
/* Batch the pins of one commit: every bw_rt_pin_replace() from here on
 * pins name_new; bw_rt_pin_commit() renames them all over their names,
 * in order, with no bpf() call between (a run killed before the commit
 * leaves the old pins whole, the _new ones for the next load to sweep);
 * bw_rt_pin_uncommit() removes them instead. */
void bw_rt_pin_batch(struct bw_rt_pin *pin);
int bw_rt_pin_commit(struct bw_rt_pin *pin);
void bw_rt_pin_uncommit(struct bw_rt_pin *pin);

/* lock.c: flock fd (the pin dir dir) as bw_rt_set_lock_wait() says:
 * after a second of waiting say so on stderr, naming the holder's pid and
 * command line where /proc/locks tells; -EBUSY when the wait is up
 * (said on stderr). */
int bw_rt_lock(int fd, bool exclusive, const char *dir);
/* The holder of the flock on fd: its pid (0: unknown) and command line. */
int bw_rt_lock_holder(int fd, char *cmd, size_t len);

/* trust.c */
bool bw_rt_trusted_uid(uid_t uid);	/* root, or the user running bpfwall */

struct bw_rt_walk {
	int fd;				/* O_PATH: the last directory reached */
	char shown[512];		/* its path, for messages */
	char missing[256];		/* the components not found, or "" */
};
/* Walk path without trusting what is not root's (or the user's): 0 and
 * w->fd the pin dir; -ENOENT and w->fd the deepest existing directory,
 * w->missing the rest; -EPERM (said on stderr: what, and what to do)
 * when a directory or symlink on the way belongs to someone else, or
 * others can write it. */
int bw_rt_dir_walk(const char *path, struct bw_rt_walk *w);
/* mkdir w->missing under w->fd (mode 0700), each checked; w->fd becomes
 * the pin dir.  made (len) gets the first directory created. */
int bw_rt_dir_make(struct bw_rt_walk *w, const char *dir, char *made,
		   size_t len);

/* What a pinned map must be: type (enum bpf_map_type), key and value
 * size, entries (0: any). */
struct bw_rt_shape {
	uint32_t type, key_size, value_size, max_entries;
};
/* A pinned object of another shape than the state says. */
#define BW_RT_ESHAPE	EUCLEAN
/* The state was written by another version of bpfwall. */
#define BW_RT_EVERSION	EPROTONOSUPPORT

/* Is the pin name (in pin's dir) root's (or the user's), writable by no
 * one else, and not a symlink?  0, -ENOENT, or -EPERM (said on stderr). */
int bw_rt_pin_trust(const struct bw_rt_pin *pin, const char *name);
/* The one opener of pinned objects: the object pinned as name, trusted
 * (above) and, with want, a map of that shape (else -BW_RT_ESHAPE, said
 * on stderr with the fix).  Its fd, or -errno (-ENOENT: not pinned). */
int bw_rt_pin_get(const struct bw_rt_pin *pin, const char *name,
		  const struct bw_rt_shape *want);
int bw_rt_shape_check(int fd, const char *shown, const struct bw_rt_shape *want);
/* The same, quiet: for a load, which replaces a map of another shape. */
bool bw_rt_shape_is(int fd, const struct bw_rt_shape *want);
/* Did bpfwall make the object pinned as name?  Its maps and programs are
 * named bw_..., and its links run one of its programs: a pin of another
 * tool's in a shared pin dir is never removed, whatever its name. */
bool bw_rt_pin_is_ours(const struct bw_rt_pin *pin, const char *name);
/* Is fd a "bpf-map", "bpf-prog" or "bpf-link"? */
bool bw_rt_obj_is(int fd, const char *kind);

/* events.c: a ringbuf pinned as name, made and pinned when there is
 * none (or it has another shape); log_rules for the log statements of ir
 * (unpinned when it has none). */
int bw_rt_ringbuf_get(const struct bw_rt_pin *pin, const char *name,
		      uint32_t size);
int bw_rt_log_rules_pin(const struct bw_ir *ir, const struct bw_rt_pin *pin);

struct bw_rt_plan;

/* audit_dump.c: the connect hooks a load would choose (o->audit), for
 * the build env (compiler/bpf/build.h).  audit.c: load the plan's audit
 * programs, unattached, through the verifier (-c as root);
 * bw_rt_audit_verify: those of build b (the caller's). */
struct bw_build_audit;
void bw_rt_audit_env(const struct bw_rt_opts *o, struct bw_build_audit *a);
int bw_rt_audit_verify_plan(const struct bw_ir *ir, const struct bw_rt_plan *pl,
			    struct bw_diags *d);
int bw_rt_audit_verify(const struct bw_ir *ir, struct bw_build *b,
		       struct bw_diags *d);

/* ct.c: a new, unpinned conntrack map; the pinned one (made and pinned
 * when there is none, or when it has another shape).  fd or -errno. */
int bw_rt_ct_create(void);
int bw_rt_ct_get(const struct bw_rt_pin *pin);

/* A JSON rule object {"file","line","handle"}, null when line is 0
 * (list.c; events and the audit's). */
void bw_rt_json_rule(FILE *f, const char *file, uint32_t line,
		     uint32_t handle);

/* What monitor prints to, and what its events refer to, read again now
 * and then, never per event (monitor.c, events.c, audit.c). */
#define BW_RT_MON_IFS	16
struct bw_rt_mon_if {
	uint32_t ifindex;
	char name[16];
};

struct bw_rt_mon {
	const struct bw_rt_pin *pin;
	FILE *out;
	bool json;
	unsigned long count, seen;
	int log_rules_fd, audit_rules_fd, reasons_fd;	/* -1: none */
	uint32_t log_rules_id, audit_rules_id, reasons_id;
	void *log_rules;		/* events.c: log_rules, read */
	uint32_t nlog_rules;
	struct bw_rt_mon_if ifs[BW_RT_MON_IFS];	/* by ifindex % BW_RT_MON_IFS */
	uint64_t lost[2];		/* log, audit: the count reported */
	/* the cgroup v2 hierarchy, for events' cgroup paths (audit.c):
	 * its mount point ("" not looked up yet, "-" none) and an open fd
	 * of it (-1) */
	char cg_root[256];
	int cgfd;
};
/* One audit event (struct bw_audit_event), a line (audit.c); one log
 * event (struct bw_log_event, events.c). */
int bw_rt_audit_print(struct bw_rt_mon *m, const void *data, size_t size);
int bw_rt_log_print(struct bw_rt_mon *m, const void *data, size_t size);
/* The pinned log_rules (events.c) and audit_rules (audit.c), checked;
 * fd or -errno. */
int bw_rt_log_rules_open(const struct bw_rt_pin *pin);
int bw_rt_audit_rules_open(const struct bw_rt_pin *pin);
/* Read m->log_rules_fd into m->log_rules. */
void bw_rt_log_rules_read(struct bw_rt_mon *m);

#define BW_RT_STATE_MAGIC	0x42575354u	/* "BWST" */
/* 1: no netfilter fields; 2: no list data (both read too) */
#define BW_RT_STATE_VERSION	3
#define BW_RT_STATE_CHUNK	4096

struct bw_rt_state_ap {
	uint32_t hook;			/* enum bw_hook */
	uint32_t kind;			/* enum bw_rt_kind */
	uint32_t ifindex;		/* NF: the link's id */
	uint32_t xdp_flags;
	uint32_t tc_handle, tc_prio;
	char ifname[16];		/* NF: "" */
	/* version 2 */
	struct bw_rt_nf nf;		/* NF */
	uint32_t chain;			/* NF: the chain (index into the
					 * ruleset's chains) */
	int32_t nf_actual;		/* NF: the priority it got (above
					 * nf.priority where that was taken) */
};

struct bw_rt_state {
	uint64_t netns_dev, netns_ino;	/* where the attach points are */
	uint32_t nhandle;
	uint32_t nlookup;
	uint32_t nap;
	struct bw_rt_state_ap *ap;
	char *text;			/* ir->text, with counter markers */
	/* what list ruleset needs besides the text (compiler/bpf/build.h
	 * bw_build_list); none in a state of version 1 or 2 */
	uint8_t *list;
	uint32_t list_len;
	uint32_t version;		/* as read */
};

/* A new (unpinned) state map holding s; returns its fd or -errno. */
int bw_rt_state_create(const struct bw_rt_state *s);
int bw_rt_state_read(int map_fd, struct bw_rt_state *out);
void bw_rt_state_fini(struct bw_rt_state *s);
int bw_rt_netns_id(uint64_t *dev, uint64_t *ino);
/* The pinned state of pin (-ENOENT: none; -BW_RT_EVERSION: another
 * version's; -EBADMSG: damaged). */
int bw_rt_state_load(const struct bw_rt_pin *pin, struct bw_rt_state *st);
/* What a state error means and what to do (strerror for the others). */
const char *bw_rt_state_strerror(int err);
/* Pin name of an attachment: link_xdp_3, link_tc_3, prog_tc_3. */
void bw_rt_att_name(enum bw_rt_kind kind, enum bw_hook hook, uint32_t ifindex,
		    char *buf, size_t len);
/* The attachment a state entry describes, its pin opened (kind NONE when
 * a link's pin is gone); path gets the pin's path. */
void bw_rt_att_open(const struct bw_rt_pin *pin, const struct bw_rt_state_ap *sa,
		    struct bw_rt_att *a, char *path, size_t plen);
/* Is n a name bpfwall gives its pins (any of them, also with "_new")? */
bool bw_rt_pin_name_ours(const char *n);
/* An attachment's pin name (link_xdp_3, bridge_3, link_nf_2_1_0, also
 * with "_new"): what it names, into a (hook, kind as far as the name
 * tells, ifindex, nf, bridge); *tmp: the name ends in "_new". */
bool bw_rt_att_name_parse(const char *n, struct bw_rt_att *a, bool *tmp);

/* An attachment as the pin dir holds it: named by the state, or found by
 * its pin alone (a run killed mid-swap left it, or a bridge). */
struct bw_rt_old {
	struct bw_rt_att att;		/* opened; kind NONE: no pin */
	char name[64];			/* its pin */
	char path[320];
	int32_t entry;			/* index into the state, -1: none */
	bool live;			/* bw_rt_att_live() */
	const char *why;		/* if not live */
	uint32_t id;			/* the pinned object's id (0: none) */
};
/* Every attachment of the state st (may be NULL) and every attachment
 * pin of bpfwall's in pin's dir that st does not name, opened and
 * checked (bw_rt_att_live). */
int bw_rt_olds_open(const struct bw_rt_pin *pin, const struct bw_rt_state *st,
		    struct bw_rt_old **out, uint32_t *n);
void bw_rt_olds_close(struct bw_rt_old **o, uint32_t n);
/* Does dir/name hold the object fd holds?  Unlink it when it does (a pin
 * another attachment took over stays). */
bool bw_rt_pin_holds(const struct bw_rt_pin *pin, const char *name, int fd);
void bw_rt_unpin_same(const struct bw_rt_pin *pin, const char *name, int fd);
/* The kernel's id of a map, program or link fd (0: none). */
uint32_t bw_rt_obj_id(int fd);
/* Remove an attachment pinned as name (with a netfilter link's program
 * array), in the order that a run killed halfway leaves nothing attached
 * without a pin (attach.c). */
void bw_rt_att_remove(const struct bw_rt_pin *pin, const char *name,
		      struct bw_rt_att *a);
/* "xdp generic on ifindex 3", "netfilter input priority 0 ipv4", ...
 * for messages about an attachment. */
void bw_rt_att_what(const struct bw_rt_att *a, char *buf, size_t len);

/* swap.c */
struct bw_rt_ap {
	enum bw_hook hook;
	uint32_t ifindex;
	bool veth;
	char ifname[BW_IFNAMSIZ];
	struct bw_prog *prog;		/* owned; NULL: ap[same]'s program */
	int prog_fd;			/* -1 until loaded */
	int32_t same;			/* -1, or the ap whose program this one
					 * attaches too (an inet chain's IPv6
					 * link) */
	struct bw_rt_nf nf;		/* hook BW_HOOK_NF */
	uint32_t chain;			/* NF: the first chain it runs */
	/* NF: the dispatcher program a new attachment loads and links
	 * (compiler/bpf/build.h); owned by the ap that owns its program */
	struct bw_prog *dispatch;
	bool own_dispatch;
	/* XDP: also runs input-chain drops hoisted in front of the
	 * netfilter hooks (compiler/bpf/hoist.h); nothing else: hoisted_only
	 * (an accelerator: where it cannot attach, the load goes on) */
	bool hoisted, hoisted_only;
};

struct bw_rt_plan {
	uint32_t nap;
	struct bw_rt_ap *ap;
	struct bw_map_specs *specs;	/* owned: the maps the build describes */
	/* owned, may be NULL: bpfwall's nf_tables tables, committed in the
	 * swap once every program is in place (compiler/bpf/build.h) */
	struct bw_nft_plan *nft;
	struct bw_rt_maps maps;
	bool allow_tcx;			/* false: clsact (tests) */
	/* the audit hook's programs of the build (owned; audit.c loads
	 * them with their own counters and the plan's sets) */
	struct bw_prog *audit[2];
	uint32_t naudit;
	/* owned: what list ruleset needs besides the text (the build's
	 * bw_build_list), pinned with the state */
	uint8_t *list;
	size_t list_len;
};

void bw_rt_plan_init(struct bw_rt_plan *pl);
/* "xdp ingress on eth0", "netfilter input priority 0 ipv6": for messages */
void bw_rt_ap_what(const struct bw_rt_ap *a, char *buf, size_t len);
/* Does a program of the plan use map id? */
bool bw_rt_plan_uses_map(const struct bw_rt_plan *pl, enum bw_map_id id);
void bw_rt_plan_fini(struct bw_rt_plan *pl);
/* Append an attach point (takes ownership of prog). */
int bw_rt_plan_add(struct bw_rt_plan *pl, enum bw_hook hook, uint32_t ifindex,
		   const char *ifname, struct bw_prog *prog);
/* Create the maps and load every program; nothing attached. */
int bw_rt_plan_load(struct bw_rt_plan *pl, const struct bw_ir *ir,
		    struct bw_diags *d);
/* Swap a loaded plan in under a locked pin dir: update links in place,
 * add new ones, remove stale ones, then replace the pinned maps and
 * state.  On failure before the first change nothing changes; a failure
 * during the swap is rolled back as far as the kernel allows. */
int bw_rt_plan_swap(struct bw_rt_plan *pl, const struct bw_ir *ir,
		    struct bw_rt_pin *pin, enum bw_xdp_mode mode,
		    struct bw_diags *d);

/* apply.c */
/* The programs of build b (compiler/bpf/build.h) as attach points, the
 * audit hook's, the nf_tables plan and the list data: pl takes them
 * over from b. */
int bw_rt_plan_take(struct bw_rt_plan *pl, struct bw_build *b);

/*
 * nft.c: bpfwall's tables in the kernel's nf_tables, in the caller's
 * network namespace (compiler/nft/nft.h builds the plans).
 *
 * bw_rt_nft_commit: one transaction that deletes every table named
 * p->table (any family) and adds the plan's; the kernel applies it whole
 * or not at all, so a failure changes nothing.  The indexes of the
 * interfaces the plan names (meta iif/oif) are written into p first (an
 * unknown one: -ENODEV, reported).  A refusal is reported to d (NULL:
 * stderr) with what it concerns: a rule at its location, with its handle;
 * returns the kernel's -errno.  An empty plan only deletes.
 * bw_rt_nft_delete: delete every table named table (none: 0).
 * bw_rt_nft_present: which families have a table named table, as a mask
 * of 1 << enum bw_family (0: none), or -errno.
 * bw_rt_nft_counters: fn(arg, handle, packets, bytes) for every rule of
 * those tables that has a counter and a bpfwall handle.  0 or -errno.
 */
struct bw_nft_plan;
typedef void (*bw_rt_nft_counter_fn)(void *arg, uint32_t handle,
				     uint64_t packets, uint64_t bytes);
int bw_rt_nft_commit(struct bw_nft_plan *p, struct bw_diags *d);
int bw_rt_nft_delete(const char *table);
int bw_rt_nft_present(const char *table);
int bw_rt_nft_counters(const char *table, bw_rt_nft_counter_fn fn, void *arg);
/* bw_rt_nft_objs: fn(arg, family, name, type, v1, v2, flags) for every
 * counter (v1 packets, v2 bytes) and quota (v1 bytes, v2 consumed, flags
 * NFT_QUOTA_F_*) object of the tables named table.  0 or -errno. */
typedef void (*bw_rt_nft_obj_fn)(void *arg, const char *family,
				 const char *name, uint32_t type, uint64_t v1,
				 uint64_t v2, uint32_t flags);
int bw_rt_nft_objs(const char *table, bw_rt_nft_obj_fn fn, void *arg);
/* Is there a chain of type nat at the prerouting hook (a DNAT may make
 * a packet for this host a forwarded one)?  1 (what names it), 0, or
 * -errno. */
int bw_rt_nft_nat_prerouting(char *what, size_t len);
/* add/delete element for the copy in nf_tables of named set ir_set of
 * the IR p was built from (a plan holding just those elements): one
 * transaction; 0 when the set has no copy there. */
int bw_rt_nft_elems(struct bw_nft_plan *p, uint32_t ir_set, bool add,
		    struct bw_diags *d);
/* bw_rt_apply_pin (runtime.h) also under a pin dir the caller opened
 * (create, exclusive) and closes: a read, change and load under one lock
 * (the iptables front end).  On failure the caller discards what a first
 * load made. */
/* list.c: the text of a loaded state with the counts of counters_fd and
 * the elements its named sets hold now (what list ruleset prints). */
char *bw_rt_state_render(const struct bw_rt_pin *pin,
			 const struct bw_rt_state *st, int counters_fd,
			 int *err);
/* list.c: the counts of bpfwall's rules in nf_tables (the chains handed
 * there), nhandle pairs of packets and bytes by handle; NULL: none
 * (free() it). */
uint64_t (*bw_rt_nft_counts(uint32_t nhandle))[2];
