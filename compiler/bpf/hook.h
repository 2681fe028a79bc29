/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Per-hook code generation ops (internal to the back end).  One const table
 * per kind of program, each in its own file (hook_xdp.c, hook_tc.c), indexed
 * by enum bw_hook.
 *
 * Stack layout (r10 = frame pointer, everything 8-byte aligned; with the
 * 168-byte view, the offsets in brackets):
 *   view                     struct bw_view (BW_VIEW_OFF(member)) [-168..-1]
 *   BW_STK_CT    48 bytes    in the view's last 48 bytes (view.h): the
 *                            conntrack key and what to create when the
 *                            packet is accepted (emit_ct.c), in XDP and
 *                            TC programs; netfilter programs keep the
 *                            interfaces there [-48]
 *   BW_STK_TMP   8 bytes     a VLAN tag or the first 8 bytes of an IPv6
 *                            extension header (prologue) [-176]
 *   BW_STK_END   u32         end of the IP payload, a frame offset
 *                            (prologue) [-180]
 *   BW_STK_KEY   u32         map key (reasons, counters, limits) [-184]
 *   BW_STK_CPU   u32         this CPU (programs with counters) [-188]
 *   BW_STK_LKEY  48 bytes    a lookup key (sets, lookup groups) [-240]
 *   BW_STK_SCRATCH 144 bytes a reject's answer, built before it is
 *                            written to the packet [-384]; the netfilter
 *                            hooks, which cannot answer, keep the skb's
 *                            dynptr there (BW_STK_DYNPTR, 16 bytes)
 *   BW_STK_RET(level)        return site of the user chain at that jump
 *                            depth (1..BW_CHAIN_DEPTH_MAX), 8 bytes each, as
 *                            deep as the ruleset jumps [-392..-504]: a
 *                            register spill, which the verifier tracks as a
 *                            constant (a narrower store of an immediate it
 *                            does not, and every return would then look
 *                            like it could go to every site)
 *
 * Registers in the prologue (see also codegen.h):
 *   r6 ctx, r7 current header offset from the frame start (a scalar),
 *   r8/r9 the hook's own (XDP: data / data_end), r0-r5 scratch; read()
 *   may clobber r0-r5 (TC calls a helper), so the shared parser keeps
 *   what it needs across a read in r7 or in the stack.
 * After the prologue only the view and r10 are live: rules use r0-r5.
 */
#pragma once

#include <stdint.h>

#include "codegen.h"
#include "emit.h"
#include "compiler/front/fields.h"
#include "compiler/front/view.h"

#define BW_STK_TMP	(-BW_VIEW_SIZE - 8)
#define BW_STK_END	(-BW_VIEW_SIZE - 12)
#define BW_STK_KEY	(-BW_VIEW_SIZE - 16)
#define BW_STK_CPU	(-BW_VIEW_SIZE - 20)
#define BW_STK_CT	BW_VIEW_OFF(ct)
#define BW_STK_LKEY	(-BW_VIEW_SIZE - 72)
#define BW_STK_SCRATCH	(BW_STK_LKEY - 144)
#define BW_STK_SCRATCH_SIZE 144
#define BW_STK_DYNPTR	BW_STK_SCRATCH
/* a raw payload match's value (emit_raw.c), 16 bytes, and its read's 8,
 * past the netfilter hooks' dynptr: written and read within one match */
#define BW_STK_RAW	((int16_t)(BW_STK_SCRATCH + 16))
#define BW_STK_RET(level) ((int16_t)(BW_STK_SCRATCH - 8 * (int)(level)))
_Static_assert(BW_STK_SCRATCH - 8 * 15 >= -512, "the stack holds 512 bytes");

/* bpf helper ids used here (uapi numbers, stable). */
#define BW_HELPER_MAP_LOOKUP	1
#define BW_HELPER_MAP_UPDATE	2
#define BW_HELPER_MAP_DELETE	3
#define BW_HELPER_XDP_LOAD	189
#define BW_HELPER_SMP_PROCESSOR_ID 8
#define BW_HELPER_SKB_LOAD	26
#define BW_HELPER_MAP_LOOKUP_PERCPU 195
#define BW_HELPER_KTIME_GET_NS	5
#define BW_HELPER_KTIME_COARSE_NS 160
#define BW_HELPER_RINGBUF_RESERVE 131
#define BW_HELPER_RINGBUF_SUBMIT 132

struct bw_hook_ops {
	struct bw_hook_info info;
	/* Fields this hook can see (bit i: enum bw_field_id i < 64; the
	 * fields past 63 only a hook that sees all, BW_FIELDS_ALL, sees:
	 * bw_hook_sees()). */
	uint64_t fields;
	/*
	 * Start of the prologue: ctx (r1) -> r6, zero the view, set pkt_len
	 * (and mark), set up the hook's private registers.
	 */
	void (*start)(struct bw_emit *e);
	/*
	 * Copy len (<= 40) bytes of the frame at offset r7 + at to the stack
	 * at r10 + dst (8-byte aligned); jump to fail when the frame is
	 * shorter.  at is a small constant (the VLAN walk reads the tag it
	 * has already stepped over: at = -4); r7 + at >= 0.  May clobber
	 * r0-r5.
	 */
	void (*read)(struct bw_emit *e, int16_t at, uint32_t len, int16_t dst,
		     bw_label fail);
	/* Offset of the device's ifindex in the context (log events);
	 * 0: the hook has none (connect hooks: no packet, no log). */
	int16_t ifindex_off;
	/* A helper (ctx, u32 offset, void *to, u32 len) -> 0 or -errno
	 * copying frame bytes at any offset (bpf_xdp_load_bytes,
	 * bpf_skb_load_bytes): the packet an ICMP error quotes. */
	int32_t load_bytes;
	/*
	 * The netfilter hooks: the packet starts at the network header
	 * (start() sets view.ethertype from the hook's protocol family),
	 * one program serves every interface (the interfaces are in the
	 * view: iface_view), and what the kernel knows comes from the
	 * context, each loader emitted after the parser when a rule asks:
	 * view.pkttype, view.iif/oif and their names (with BW_VIEW_IIF,
	 * BW_VIEW_OIF), view.ct_state from the kernel's connection
	 * tracking, view.eth from the link-layer header.  r0-r5 clobbered.
	 */
	bool l3;
	bool iface_view;
	/*
	 * What the hook sees and how it denies, so that the generator
	 * knows no hook by name:
	 *   packet      a packet, parsed by the prologue over read(): rules
	 *               count it, limit it, answer a reject; false: a
	 *               connect (start() fills the view from the socket
	 *               address), nothing to count, limit or answer
	 *   deny_event  a drop or reject sends an audit event (the connect
	 *               hooks, hook_connect.h) and returns what it says
	 *   all_egress  it also runs the netdev egress chains of every
	 *               device, after its own (a connect may leave through
	 *               any)
	 */
	bool packet;
	bool deny_event;
	bool all_egress;
	void (*load_pkttype)(struct bw_emit *e);
	void (*load_ifaces)(struct bw_emit *e);
	void (*load_ct)(struct bw_emit *e);
	void (*load_ether)(struct bw_emit *e);
};

extern const struct bw_hook_ops bw_hook_xdp_ops;
extern const struct bw_hook_ops bw_hook_tc_ops;
extern const struct bw_hook_ops bw_hook_nf_ops;

const struct bw_hook_ops *bw_hook_ops(enum bw_hook hook);

/* Zero the view (shared by the start() functions). */
void bw_prologue_zero_view(struct bw_emit *e);

/* Context loaders of the hooks whose context is a struct __sk_buff (tc,
 * socket filter): start keeps ctx in r6, zeroes the view and takes
 * skb->len and skb->mark; read copies headers with bpf_skb_load_bytes,
 * which works whether or not they sit in the skb's linear part. */
void bw_skb_start(struct bw_emit *e);
void bw_skb_read(struct bw_emit *e, int16_t at, uint32_t len, int16_t dst,
		 bw_label fail);

/*
 * The packet parser of view.h, over ops->read: after ops->start().
 * Malformed packets jump to reason[BW_REASON_*]; parsed packets fall
 * through at the end with the view filled in (view.exthdrs and the
 * extension headers' bytes only with exthdrs: a rule reads them).
 */
void bw_prologue_parse(struct bw_emit *e, const struct bw_hook_ops *ops,
		       const bw_label reason[BW_REASON__MAX], bool exthdrs);

/*
 * Rule accumulator (match.c): r9 collects the rule's "bad" values, 0 when
 * every condition holds.  any: r9 was written; branchy: some match jumped
 * to the miss label directly (wide ranges).
 */
struct bw_acc {
	bool any;
	bool branchy;
	uint8_t reg;	/* where the value is: r9, or the first result */
};

/* Fold reg in: the first value stays where it is, later ones OR into r9. */
void bw_acc_add(struct bw_emit *e, struct bw_acc *acc, uint8_t reg);
/* Move the value into r9 (before emitting code that reuses registers). */
void bw_acc_settle(struct bw_emit *e, struct bw_acc *acc);

/* match.c: fall through when view field f is in [lo, hi] (network
 * order), else jump to fail; clobbers r0-r4, r8.  -ENOTSUP for a field
 * a walk or a raw read fills. */
int bw_match_range_emit(struct bw_emit *e, const struct bw_field *f,
			const uint8_t *lo, const uint8_t *hi, bw_label fail);

/* lookup.c: a view field into a lookup key at koff (network order; a
 * host-order field after its shift and mask), clobbering r1, r2. */
void bw_key_copy(struct bw_emit *e, const struct bw_field *f, int voff, int koff);

/*
 * Look the key of lookup match m up in its set's tables (setmap.h): falls
 * through with r0 = the element's value (struct bw_set_value) when the
 * key is an element, else jumps to absent.  Clobbers r0-r5 (and r8 where
 * the set has elements no table holds, tested in the code: r0 then
 * points at the stack; r7, r8 where the key has a raw payload or a
 * tunnel field, whose read jumps to broken when the packet has none).
 * ifname: the program's device, for interface-name components.
 */
void bw_lookup_emit(struct bw_emit *e, const struct bw_ir *ir,
		    const struct bw_ir_match *m, const struct bw_hook_ops *ops,
		    const char *ifname, bw_label absent, bw_label broken);

/* lookup.c: the vmap m's element for the key: r1 = its verdict, r2 = its
 * target (struct bw_set_value), the catch-all's for a key in no element
 * (`* : VERDICT`), else a jump to absent.  Clobbers r0-r5. */
void bw_vmap_lookup_emit(struct bw_emit *e, const struct bw_ir *ir,
			 const struct bw_ir_match *m, const struct bw_hook_ops *ops,
			 const char *ifname, bw_label absent);

/* lookup.c: set statement d (add, update, delete @s { KEY }); a full
 * set jumps to full (the rule stops).  Clobbers r0-r5. */
void bw_dynset_emit(struct bw_emit *e, const struct bw_ir *ir,
		    const struct bw_ir_dynset *d, const struct bw_hook_ops *ops,
		    const char *ifname, bw_label full);

struct bw_ir_match;
/* emit_sctp.c: the chunk walk of an sctp chunk match (m's field has
 * walk): the value at its view_off, r8 = 1 where the rule breaks, else
 * 0; r7, r0-r5 clobbered; a packet past the walk's bound is dropped. */
void bw_sctp_walk_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		       const struct bw_ir_match *m);
/* emit_tunnel.c: the walk of a match on a field inside a tunnel (m's
 * field has tun_layer, compiler/front/tunnel.h): the value at its
 * view_off, r8 = 1 where the field is not there (the rule breaks), else
 * 0.  r7, r0-r5 clobbered. */
void bw_tunnel_walk_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
			 const struct bw_ir_match *m);

/* emit_raw.c: the read of a raw payload match (m's field has raw): the
 * value at BW_STK_RAW, r8 = 1 where the rule breaks, else 0; r7, r0-r5
 * clobbered. */
void bw_raw_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		 const struct bw_ir_match *m);
/* emit_srh.c: r7 = the first IPv6 routing header's offset (the base
 * of the srh fields, srh.h), or jump to none; r8 = 1, r0-r5
 * clobbered. */
void bw_srh_emit_base(struct bw_emit *e, const struct bw_hook_ops *ops,
		      bw_label none);

/* emit_stmt.c: count one event lost (its ringbuf full) in slot of
 * BW_MAP_REASONS (log.h; the caller marks the map used); r0-r2 clobbered */
void bw_lost_emit(struct bw_emit *e, uint32_t slot);
/* BW_MAP_REASONS[the u32 at BW_STK_KEY] += 1 (a malformed packet's
 * reason, an event lost); r0-r2 clobbered */
void bw_reason_inc_emit(struct bw_emit *e);
/* a log event of a rule of a chain at hook (enum bw_chain_hook); r7,
 * r0-r5 clobbered; r6 is the context */
void bw_log_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		 struct bw_prog *p, uint32_t log, uint32_t handle,
		 uint8_t hook);
/* limit rate: jumps to miss when the rule stops here (above the rate, or
 * within it for `over`), else falls through.  r7, r8, r0-r5 clobbered. */
void bw_limit_emit(struct bw_emit *e, struct bw_prog *p,
		   const struct bw_ir_limit *l, uint32_t index, bw_label miss);
/* quota: jumps to miss when the rule stops here (past the quota, or
 * within it for `over`); slot: its count's key in BW_MAP_LIMITS. */
void bw_quota_emit(struct bw_emit *e, struct bw_prog *p,
		   const struct bw_ir_quota *q, uint32_t slot, bw_label miss);

/* emit_ct.c: connection tracking (ct.h) after the parser: view.ct_state
 * set, the entry to create pending; clobbers r0-r5, r7-r9. */
void bw_ct_emit_track(struct bw_emit *e, const struct bw_hook_ops *ops,
		      struct bw_prog *p);
/* The accept exit of a tracking program: creates the pending entry,
 * returns accept. */
void bw_ct_emit_confirm(struct bw_emit *e, struct bw_prog *p, int accept);

/* emit_reject.c: the answer of a reject, sent (returns verdict_reject);
 * falls through when there is none to send (the caller drops). */
void bw_reject_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		    struct bw_prog *p, const struct bw_ir_reject *r);

/* One IR match into the accumulator (see match.c for the registers). */
int bw_match_emit(struct bw_emit *e, const struct bw_hook_ops *ops,
		  struct bw_diags *d, const struct bw_ir_match *m,
		  bw_label miss, struct bw_acc *acc);

/* Every field: the packet hooks. */
#define BW_FIELDS_ALL UINT64_MAX

/* Does a hook with this field mask see field id? */
static inline bool bw_hook_sees(uint64_t fields, unsigned id)
{
	/* nft_only: no BPF hook; but the arp fields and meta cpu, which
	 * the packet hooks (all fields) read in netdev chains
	 * (codegen_setup.c), and the icmp types of the other family */
	if (id >= BW_F_BPF_MAX && (id < BW_F_ARP_HTYPE || id > BW_F_ARP_TPA) &&
	    id != BW_F_META_CPU_BPF && id != BW_F_ICMP_TYPE_X &&
	    id != BW_F_ICMP6_TYPE_X &&
	    (id < BW_F_SRH_LASTENT || id > BW_F_SRH_SID2))
		return false;
	return id < BW_F_MASK_BITS ? (fields >> id & 1) != 0 :
				     fields == BW_FIELDS_ALL;
}

/* Copy len bytes of the frame at offset r7 + at to r10 + dst through
 * the hook's load_bytes helper where it has one (any offset: the walks
 * of SCTP chunks, tunnels and raw payloads), else its read(); jump to
 * fail when the frame is shorter.  Clobbers r0-r5 (prologue.c). */
void bw_hook_read_any(struct bw_emit *e, const struct bw_hook_ops *ops,
		      int16_t at, uint32_t len, int16_t dst, bw_label fail);
