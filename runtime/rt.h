/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Runtime internals shared by the files of runtime/ (not by other stages).
 *
 *   log.c       verbose switch (also routes libbpf's log), one-line errors
 *   netlink.c   interfaces of the current netns through libmnl
 *   load.c      maps, placeholder patching, bpf_prog_load, verifier log
 *   attach.c    XDP links, TCX links, clsact fallback
 *   pin.c       pin dir (bpffs mount, lock), pinned state blob
 *   swap.c      load a plan of attach points, swap it in atomically
 *   apply.c     ruleset -> plan (codegen per attach point); apply, verify
 *   list.c      list ruleset, flush ruleset
 *   testprog.c  unattached production + trace builds, BPF_PROG_TEST_RUN
 *   ct.c        the conntrack map
 *   kernel.c    vmlinux BTF and netns cookie: program relocations
 *   nft.c       bpfwall's tables in nf_tables (compiler/nft.h plans)
 *
 * Pin dir layout (all on one bpffs):
 *   state            ARRAY map: struct bw_rt_state_hdr, attach points, text
 *   counters         PERCPU_ARRAY of struct bw_counter, one per handle
 *   reasons          PERCPU_ARRAY of u64, one per enum bw_reason
 *   lookup_<n>       lookup maps of the optimizer's plan
 *   conntrack        LRU_HASH (compiler/ct.h), kept across reloads
 *   link_<hook>_<ifindex>   XDP or TCX link
 *   prog_<hook>_<ifindex>   program attached through clsact (no link)
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "runtime.h"
#include "../compiler/optimize.h"

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
/* Counters (preset from the IR), reasons, and with trace the trace map;
 * plus one map per lookup map of plan (may be NULL). */
int bw_rt_maps_create(struct bw_rt_maps *m, const struct bw_ir *ir,
		      const struct bw_opt_plan *plan, bool trace);
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

/* sets.c: the tables of every set of ir (compiler/setmap.h), filled */
int bw_rt_sets_create(struct bw_rt_maps *m, const struct bw_ir *ir);
/* Replace m's set tables by (dups of) from's: the audit hook looks up
 * the same maps as the packet programs, which add element changes. */
int bw_rt_maps_use_sets(struct bw_rt_maps *m, const struct bw_rt_maps *from);
/* Pin the named sets' tables as set_<set>_<table>; unpin stale ones. */
int bw_rt_sets_pin(const struct bw_rt_maps *m, const struct bw_ir *ir,
		   const struct bw_rt_pin *pin);
/* The elements line of named set si as its pinned maps hold them
 * (malloc'ed; NULL: not pinned). */
char *bw_rt_set_elems(const struct bw_rt_pin *pin, const struct bw_ir *ir,
		      uint32_t si);

/* attach.c */
enum bw_rt_kind {
	BW_RT_KIND_NONE,
	BW_RT_KIND_XDP,			/* XDP bpf_link */
	BW_RT_KIND_TCX,			/* TCX egress bpf_link */
	BW_RT_KIND_CLSACT,		/* clsact egress filter (no link) */
};

struct bw_rt_att {
	enum bw_hook hook;
	enum bw_rt_kind kind;
	uint32_t ifindex;
	uint32_t xdp_flags;		/* XDP_FLAGS_DRV_MODE or _SKB_MODE */
	uint32_t tc_handle, tc_prio;	/* clsact */
	int fd;				/* link fd (clsact: program fd), -1 */
};

#define BW_RT_TC_HANDLE	0xb3f1
#define BW_RT_TC_PRIO	0xb3f1

/* Attach prog_fd.  XDP: native, then generic (per mode).  TC: a TCX link,
 * else (when allow_tcx is false or the kernel refuses TCX) clsact. */
int bw_rt_attach(int prog_fd, enum bw_hook hook, uint32_t ifindex,
		 enum bw_xdp_mode mode, bool allow_tcx, struct bw_rt_att *out);
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
};

const char *bw_rt_pin_dir(const struct bw_rt_opts *o);
/* Open and lock the pin dir.  create: mkdir it and mount a bpffs where
 * none is (as bpftool does); else -ENOENT when there is no state.
 * exclusive: LOCK_EX, else LOCK_SH.  outlive: see bw_rt_opts.pin_outlive. */
int bw_rt_pin_open(const char *dir, bool create, bool exclusive, bool outlive,
		   struct bw_rt_pin *out);
void bw_rt_pin_close(struct bw_rt_pin *p);
/* dir/name into buf; -ENAMETOOLONG if it does not fit. */
int bw_rt_pin_path(const struct bw_rt_pin *p, const char *name, char *buf,
		   size_t len);
int bw_rt_is_bpffs(const char *path);	/* 1 yes, 0 no, -errno */
/* Pin fd as name, replacing an older pin atomically (swap.c). */
int bw_rt_pin_replace(const struct bw_rt_pin *pin, int fd, const char *name);

/* events.c: the object pinned as name (its fd, or -errno); a ringbuf
 * pinned as name, made and pinned when there is none; log_rules for the
 * log statements of ir (unpinned when it has none). */
int bw_rt_pin_get(const struct bw_rt_pin *pin, const char *name);
int bw_rt_ringbuf_get(const struct bw_rt_pin *pin, const char *name,
		      uint32_t size);
int bw_rt_log_rules_pin(const struct bw_ir *ir, const struct bw_rt_pin *pin);

/* audit_dump.c: the connect hooks a load would choose (o->audit), and
 * whether they enforce; returns how many (0: no audit).  audit.c: load
 * them, unattached, through the verifier (-c as root). */
int bw_rt_audit_hooks(const struct bw_rt_opts *o, enum bw_hook hook[2],
		      bool *enforce);
int bw_rt_audit_verify(const struct bw_ir *ir, const struct bw_rt_opts *o,
		       struct bw_diags *d);

/* ct.c: a new, unpinned conntrack map; the pinned one (made and pinned
 * when there is none, or when it has another shape).  fd or -errno. */
int bw_rt_ct_create(void);
int bw_rt_ct_get(const struct bw_rt_pin *pin);

/* A JSON rule object {"file","line","handle"}, null when line is 0
 * (list.c; events and the audit's). */
void bw_rt_json_rule(FILE *f, const char *file, uint32_t line,
		     uint32_t handle);

/* What monitor prints to (events.c, audit.c). */
struct bw_rt_mon {
	const struct bw_rt_pin *pin;
	FILE *out;
	bool json;
	unsigned long count, seen;
	/* the cgroup v2 hierarchy, for events' cgroup paths (audit.c):
	 * its mount point ("" not looked up yet, "-" none) and an open fd
	 * of it (-1) */
	char cg_root[256];
	int cgfd;
};
/* One audit event (struct bw_audit_event), a line (audit.c). */
int bw_rt_audit_print(struct bw_rt_mon *m, const void *data, size_t size);

#define BW_RT_STATE_MAGIC	0x42575354u	/* "BWST" */
#define BW_RT_STATE_VERSION	1
#define BW_RT_STATE_CHUNK	4096

struct bw_rt_state_ap {
	uint32_t hook;			/* enum bw_hook */
	uint32_t kind;			/* enum bw_rt_kind */
	uint32_t ifindex;
	uint32_t xdp_flags;
	uint32_t tc_handle, tc_prio;
	char ifname[16];
};

struct bw_rt_state {
	uint64_t netns_dev, netns_ino;	/* where the attach points are */
	uint32_t nhandle;
	uint32_t nlookup;
	uint32_t nap;
	struct bw_rt_state_ap *ap;
	char *text;			/* ir->text, with counter markers */
};

/* A new (unpinned) state map holding s; returns its fd or -errno. */
int bw_rt_state_create(const struct bw_rt_state *s);
int bw_rt_state_read(int map_fd, struct bw_rt_state *out);
void bw_rt_state_fini(struct bw_rt_state *s);
int bw_rt_netns_id(uint64_t *dev, uint64_t *ino);
/* The pinned state of pin (-ENOENT: none). */
int bw_rt_state_load(const struct bw_rt_pin *pin, struct bw_rt_state *st);
/* Pin name of an attachment: link_xdp_3, link_tc_3, prog_tc_3. */
void bw_rt_att_name(enum bw_rt_kind kind, enum bw_hook hook, uint32_t ifindex,
		    char *buf, size_t len);
/* The attachment a state entry describes, its pin opened (kind NONE when
 * a link's pin is gone); path gets the pin's path. */
void bw_rt_att_open(const struct bw_rt_pin *pin, const struct bw_rt_state_ap *sa,
		    struct bw_rt_att *a, char *path, size_t plen);

/* swap.c */
struct bw_rt_ap {
	enum bw_hook hook;
	uint32_t ifindex;
	bool veth;
	char ifname[BW_IFNAMSIZ];
	struct bw_prog *prog;		/* owned */
	int prog_fd;			/* -1 until loaded */
};

struct bw_rt_plan {
	uint32_t nap;
	struct bw_rt_ap *ap;
	struct bw_opt_plan *opt;	/* owned, may be NULL */
	struct bw_rt_maps maps;
	bool allow_tcx;			/* false: clsact (tests) */
};

void bw_rt_plan_init(struct bw_rt_plan *pl);
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
/* The programs a ruleset needs: for each hook, one per netdev device and,
 * with ifaces NULL, one for "every other interface" (ifname NULL, ifindex
 * 0); with ifaces, one per attachable interface when INPUT/OUTPUT chains
 * exist.  Unknown devices are errors at the chain's location. */
int bw_rt_plan_build(struct bw_rt_plan *pl, const struct bw_ir *ir,
		     const struct bw_rt_ifaces *ifaces, bool trace,
		     struct bw_diags *d);

/*
 * nft.c: bpfwall's tables in the kernel's nf_tables, in the caller's
 * network namespace (compiler/nft.h builds the plans).
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
