/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The IR: a checked ruleset as flat rules per chain.  Produced by evaluate
 * (from the AST), consumed by codegen, the interpreter and the runtime.
 * Values are already typed and converted: no names, no $vars, no strings.
 *
 * A match is "field OP set-of-elements".  Every element, whatever the source
 * syntax (value, prefix, range, flag test), is
 *
 *      (x & mask) >= lo  &&  (x & mask) <= hi
 *
 * over the field's bytes in network order (compared as big-endian unsigned
 * numbers of field->size bytes):
 *   ip saddr 192.0.2.1         mask ff.ff.ff.ff lo = hi = c0.00.02.01
 *   ip saddr 192.0.2.0/24      mask ff.ff.ff.00 lo = hi = c0.00.02.00
 *   tcp dport 8000-8080        mask ffff        lo = 1f40 hi = 1f90
 *   tcp flags syn              mask 02          lo = hi = 02
 *   tcp flags & (syn|ack) == syn   mask 12      lo = hi = 02
 * For fields with shift/bits (ip dscp, ip version) x is the field value
 * after shift and bit mask, stored in field->size bytes.
 * The match holds when any element holds (neg: when none holds).  Guards
 * from the field row (need_l3, need_l4proto) are applied by consumers, not
 * written here as matches.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "grammar/diag.h"
#include "fields.h"

#define BW_VAL_MAX 16

struct bw_ir_elem {
	uint8_t lo[BW_VAL_MAX];
	uint8_t hi[BW_VAL_MAX];
	uint8_t mask[BW_VAL_MAX];
};

#define BW_SET_MAX_KEYS	4	/* fields of a concatenation */

struct bw_ir_match {
	enum bw_field_id field;		/* the (first) field */
	bool neg;			/* != */
	uint32_t nelem;
	struct bw_ir_elem *elem;	/* compare matches */
	struct bw_loc loc;		/* the whole "tcp dport { 22, 80 }" */
	/*
	 * A lookup (else a compare of elem[]): set is an index into
	 * ir->set, fields the key, concatenated (fields[0] == field).  The
	 * match holds when the key is an element (neg: is not).
	 */
	bool lookup;
	uint32_t set;
	uint32_t nfield;
	enum bw_field_id fields[BW_SET_MAX_KEYS];
	/* a field with walk (sctp chunks, sctp_chunk.h): the chunk type,
	 * and where the field is in the chunk (size 0: exists) */
	struct { uint8_t type, off, size; } chunk;
	/* a raw payload field (rawpay.h): base, bit offset, bit length */
	struct { uint8_t base; uint16_t off; uint8_t len; } raw;
	/* a field inside a tunnel (tunnel.h, the row's tun_layer): which
	 * tunnel (enum bw_tunnel) */
	uint8_t tunnel;
	/* an ipsec field's (xfrm.h): the index of the policy in the
	 * packet's secpath (or its route's bundle), nft's spnum */
	uint8_t spnum;
	/* a lookup's key: component k a raw payload (kraw[k].len != 0:
	 * base, bit offset, bit length) or a field inside tunnel
	 * ktunnel[k] (!= BW_TUN_NONE), each read into the key for its own */
	struct { uint8_t base; uint16_t off; uint8_t len; } kraw[BW_SET_MAX_KEYS];
	uint8_t ktunnel[BW_SET_MAX_KEYS];
};

enum bw_verdict {
	BW_VERDICT_CONTINUE,		/* no verdict statement: next rule */
	BW_VERDICT_ACCEPT,
	BW_VERDICT_DROP,
	BW_VERDICT_JUMP,		/* rule->target; back at the next rule */
	BW_VERDICT_GOTO,		/* rule->target; back where this chain returns */
	BW_VERDICT_RETURN,		/* to the jump's next rule; base chain: policy */
	BW_VERDICT_VMAP,		/* rule->vmap: the element's verdict; no
					 * element: the next rule */
	BW_VERDICT_REJECT,		/* rule->reject: drop, and answer */
	BW_VERDICT_NAT,			/* ir->nat[rule->nat]: translate the
					 * connection, then accept (nf_tables
					 * only: chains of type nat) */
	BW_VERDICT_QUEUE,		/* ir->queue[rule->nat]: to a program in
					 * user space (nf_tables only) */
};

/* What follows a rule's leading matches, in order (rule->stmt). */
enum bw_stmt_kind {
	BW_STMT_MATCH,			/* rule->match[index]: holds or the rule
					 * stops here */
	BW_STMT_COUNTER,
	BW_STMT_LOG,			/* ir->log[index] */
	BW_STMT_LIMIT,			/* ir->limit[index]: within the rate (over:
					 * above it) or the rule stops here */
	BW_STMT_SETF,			/* ir->setf[index]: a field set (nf_tables
					 * only) */
	BW_STMT_NOTRACK,		/* no connection tracking (nf_tables only) */
	BW_STMT_QUOTA,			/* ir->quota[index]: within it (over: past
					 * it) or the rule stops here (nf_tables
					 * in inet chains, BPF in netdev ones) */
	BW_STMT_OBJREF,			/* ir->objref[index]: a named object's
					 * use (nf_tables only) */
	BW_STMT_LAST,			/* last: when the rule last got here
					 * (nf_tables only); index 0: never,
					 * else 1 + the milliseconds since */
	BW_STMT_HDRSET,			/* ir->hdrset[index]: a packet header
					 * field written (nf_tables only) */
	BW_STMT_DYNSET,			/* ir->dynset[index]: add the key to a
					 * set, update it or delete it; a full
					 * set stops the rule here */
	BW_STMT_TPROXY,			/* ir->tproxy[index]: the packet to a
					 * local transparent socket (nf_tables
					 * only); none found: the rule stops */
	BW_STMT_SYNPROXY,		/* ir->synproxy[index]: a TCP SYN
					 * answered with a cookie SYN-ACK
					 * (nf_tables only) */
	BW_STMT_DUP,			/* ir->dup[index]: a copy of the packet
					 * sent to an address (nf_tables only) */
	BW_STMT_FWD,			/* ir->fwd[index]: fwd or dup (fwd.h;
					 * nf_tables only) */
	BW_STMT_FLOW,			/* ir->flowtable[index]: flow add @NAME,
					 * the connection into a flowtable
					 * (nf_tables only) */
};

/* Named stateful objects (objects.c), as nf_tables numbers them
 * (NFT_OBJECT_*). */
enum bw_obj_kind {
	BW_OBJ_COUNTER = 1,
	BW_OBJ_QUOTA = 2,
	BW_OBJ_CT_HELPER = 3,
	BW_OBJ_LIMIT = 4,
	BW_OBJ_CT_TIMEOUT = 7,
	BW_OBJ_CT_EXPECT = 9,
	BW_OBJ_SYNPROXY = 10,		/* index: ir->synproxy[] */
};

#define BW_OBJ_TIMEOUT_MAX 16		/* a ct timeout's states */

/* An object of a table: counter, quota, limit, ct helper, ct timeout,
 * ct expectation.  Only nf_tables runs them (a rule that uses one is
 * handed over with its chain). */
struct bw_ir_obj {
	uint8_t kind;			/* enum bw_obj_kind */
	uint8_t family;			/* enum bw_family */
	char *table, *name;
	struct bw_loc loc;
	uint64_t packets, bytes;	/* counter: its start */
	uint32_t index;			/* quota, limit: ir->quota[], ir->limit[] */
	char helper[16];		/* ct helper: its type ("ftp") */
	uint8_t l3proto;		/* ct: NFPROTO_* (0: the table's) */
	uint8_t l4proto;		/* ct: IPPROTO_* */
	uint16_t dport;			/* ct expectation */
	uint32_t timeout_ms;		/* ct expectation */
	uint8_t size;			/* ct expectation */
	/* ct timeout: seconds a state (the kernel's default where not
	 * given), in the kernel's order (bw_obj_timeout_states) */
	uint32_t policy[BW_OBJ_TIMEOUT_MAX];
	uint32_t policy_set;		/* ct timeout: the states given */
};

/* A rule's use of objects: one (obj) or, for an object map, the one
 * its key picks: map a lookup in ir->set[map.set] (an object map: its
 * elements' target is the object's index in ir->obj). */
struct bw_ir_objref {
	uint8_t kind;			/* enum bw_obj_kind */
	uint32_t obj;			/* ir->obj[]; UINT32_MAX: a map */
	struct bw_ir_match map;
};

/* add @s { KEY }, update @s { KEY }, delete @s { KEY } (dynset.c) */
enum bw_dynset_op { BW_DYNSET_ADD, BW_DYNSET_UPDATE, BW_DYNSET_DELETE };

struct bw_ir_dynset {
	uint8_t op;			/* enum bw_dynset_op */
	struct bw_ir_match key;		/* a lookup match: key.set the set
					 * (a hash table: no interval), key's
					 * fields what is added */
	/* a map of data's { KEY : VALUE } (mapadd.c): the value is field
	 * dfield's (BW_DYNSET_DATA_FIELD) or dval (_CONST, as a map
	 * element's data); the map lives in nf_tables then */
	uint8_t data;			/* enum bw_dynset_data */
	enum bw_field_id dfield;
	uint8_t dval[20];
	struct bw_loc dloc;
	uint32_t timeout_ms;		/* `timeout T` after the key, else the
					 * set's (0: for ever) */
};
enum bw_dynset_data { BW_DYNSET_DATA_NONE, BW_DYNSET_DATA_FIELD,
		      BW_DYNSET_DATA_CONST };

/* meta mark set, ct mark set, meta priority set (setf.c). */
enum bw_setf_key {
	BW_SETF_META_MARK, BW_SETF_CT_MARK, BW_SETF_META_PRIORITY,
	BW_SETF_CT_ZONE, BW_SETF_CT_ZONE_ORIG, BW_SETF_CT_ZONE_REPLY,
	BW_SETF_CT_LABEL,		/* value: the bit (0-127) */
	BW_SETF_CT_EVENT,		/* value: the IPCT_* event bits */
	BW_SETF_TCP_MAXSEG,		/* tcp option maxseg size: nf_tables'
					 * exthdr write (the first MSS option) */
	BW_SETF_RAW,			/* @BASE,OFFSET,LENGTH set N (raw): a
					 * payload write, nf_tables' (raw) */
	BW_SETF_TCPOPT_RESET,		/* reset tcp option K (value K):
					 * nf_tables' exthdr strip, the option
					 * turned into NOPs */
	BW_SETF_META_BROUTE,		/* meta broute set N (bridge prerouting:
					 * nft_meta_bridge's br_netfilter_broute
					 * bit; value the number) */
	BW_SETF__MAX
};

struct bw_ir_setf {
	uint8_t key;			/* enum bw_setf_key: the field set */
	bool from_field;		/* the value is field src's, else value */
	uint8_t src;			/* enum bw_setf_key: META_MARK, CT_MARK */
	uint32_t value;			/* host order */
	bool bits;			/* from_field: (src & mask) ^ xor */
	uint32_t mask, xor;
	/* BW_SETF_RAW: which bits (rawpay.h), value the number */
	struct { uint8_t base; uint16_t off; uint8_t len; } raw;
	bool vexpr;			/* the value is ir->vexpr[vx] (valexpr.h) */
	uint32_t vx;
};

/* ip ttl set 23, tcp dport set 80 (hdrset.c): nf_tables' payload write
 * as nft 1.0.6 builds it, len bytes at off of the network or transport
 * header: value, or with rmw the bytes loaded, & mask, ^ value (sub-byte
 * fields, and odd-length fields under a checksum). */
struct bw_ir_hdrset {
	uint16_t field;			/* enum bw_field_id: what the rule set */
	uint8_t base;			/* NFT_PAYLOAD_NETWORK_HEADER or
					 * NFT_PAYLOAD_TRANSPORT_HEADER */
	uint8_t off, len;		/* the bytes written */
	bool rmw;
	uint8_t value[16], mask[16];	/* len bytes, network order */
	uint8_t csum_type, csum_off;	/* NFT_PAYLOAD_CSUM_*; 0: none */
	bool pseudo;			/* the field is in the transport
					 * checksum's pseudo-header */
	bool th;			/* th sport/dport (field: tcp's) */
	char op;			/* 0: set to shown; '&', '|': the field's
					 * own bits & or | shown (always rmw) */
	uint8_t shown[16];		/* the field's value as written (its
					 * bw_field size, network order) */
	bool ibrhwaddr;			/* ether daddr|saddr set meta ibrhwaddr
					 * (bridge): the bridge's address,
					 * nf_tables' meta load, not value */
};

struct bw_ir_vexpr;

struct bw_ir_stmt {
	enum bw_stmt_kind kind;
	uint32_t index;
	struct bw_loc loc;
};

/* log: an event to `bpfwall monitor` (runtime/events.c). */
struct bw_ir_log {
	uint32_t handle;		/* its rule */
	char *prefix;			/* NULL: none */
	uint8_t level;			/* syslog level, 4 (warn) by default;
					 * 8: audit (nf_tables only) */
	/* what only nf_tables' log does (the chain goes there): nflog's
	 * group (-1: none), snaplen, queue-threshold (0: not given); the
	 * kernel log's flags (NF_LOG_*) */
	int32_t group;
	uint32_t snaplen, qthreshold, flags;
};

/* A log statement only nf_tables runs (group, flags, level audit). */
static inline bool bw_ir_log_nft(const struct bw_ir_log *l)
{
	return l->group >= 0 || l->flags || l->level == 8;
}

/*
 * limit rate: nft's token bucket, as one theoretical arrival time (GCRA):
 * a packet is within the rate when it comes no more than slack ns before
 * its time, which then moves cost ns on (from now, if it was past).
 * cost = 1 s * unit / rate; slack = cost * (burst - 1).
 */
struct bw_ir_limit {
	uint64_t cost, slack;
	bool over;			/* `over`: the rule goes on above the rate */
	/* a byte rate (cost and slack 0): rate bytes per unit seconds,
	 * burst bytes more; nf_tables runs it in inet, ip and ip6 chains
	 * (their chain is handed over), BPF in netdev ones */
	bool bytes;
	uint64_t rate, unit;
	uint32_t burst;
	/* a byte rate run in BPF (netdev chains) and by the interpreter:
	 * nft_limit.c's bucket in ns, as one arrival time too.  A packet
	 * costs ns * len / rate (the kernel's u64 arithmetic, len: the
	 * field len_field, skb->len at the hook); the bucket holds max =
	 * ns * (rate + burst) / rate; within when cost <= max and
	 * max(tat, now) - now <= max - cost. */
	uint64_t ns, max;
	uint16_t len_field;		/* enum bw_field_id: meta length at
					 * the chain's hook */
};

/* queue (nf_tables only): to the nfnetlink queues lo..hi. */
#define BW_QUEUE_F_BYPASS	0x1	/* no program listens: accept */
#define BW_QUEUE_F_FANOUT	0x2	/* the queue of the CPU */

struct bw_ir_queue {
	uint16_t lo, hi;
	uint16_t flags;			/* BW_QUEUE_F_*, as NFT_QUEUE_FLAG_* */
	bool vexpr;			/* the queue is ir->vexpr[vx]'s value */
	uint32_t vx;
};

/* quota: holds while the bytes passed it, this packet's included, are
 * no more than bytes (nft_quota.c; over: once they are more), used of
 * them already.  nf_tables runs it in inet, ip and ip6 chains; BPF in
 * netdev chains, each packet adding len_field's value (skb->len at the
 * hook) to its count, slot bw_ir_quota_slot() of BW_MAP_LIMITS.  Its
 * listing shows the count as the kernel dumps it: no more than bytes. */
struct bw_ir_quota {
	uint64_t bytes, used;
	bool over;
	uint16_t len_field;		/* enum bw_field_id */
};

/* BW_MAP_LIMITS holds the limits' arrival times (slot = index), then
 * the quotas' counts, the last quota first: quota q's slot counted from
 * the map's end, as list ruleset finds it knowing only the map. */
#define bw_ir_quota_slot(ir, q) ((ir)->nlimit + (ir)->nquota - 1 - (q))

enum bw_reject_kind {
	BW_REJECT_TCP_RST,		/* a TCP reset */
	BW_REJECT_ICMP,			/* ICMP destination unreachable, code */
	BW_REJECT_ICMP6,		/* ICMPv6 destination unreachable, code */
	BW_REJECT_ICMPX,		/* ICMP or ICMPv6 by family: code is the
					 * ICMP one, BW_ICMPX_* picks the v6 one */
};

struct bw_ir_reject {
	uint8_t kind;			/* enum bw_reject_kind */
	uint8_t code;			/* ICMP/ICMPv6 code */
	uint8_t code6;			/* ICMPX: the ICMPv6 code */
};

/* The nat statements (chains of type nat, run by nf_tables). */
enum bw_nat_kind { BW_NAT_SNAT, BW_NAT_DNAT, BW_NAT_MASQ, BW_NAT_REDIR };

/* Flags, as nf_nat's NF_NAT_RANGE_* (uapi/linux/netfilter/nf_nat.h). */
#define BW_NAT_F_RANDOM		0x04	/* random */
#define BW_NAT_F_PERSISTENT	0x08	/* persistent */
#define BW_NAT_F_FULLY_RANDOM	0x10	/* fully-random */
#define BW_NAT_F_NETMAP		0x40	/* snat ip prefix to: NETMAP */

struct bw_ir_nat {
	uint8_t kind;			/* enum bw_nat_kind */
	uint8_t l3;			/* snat, dnat: 4 or 6 (the address
					 * family); 0 for masquerade, redirect
					 * and a ports-only dnat/snat in inet */
	bool addr, port;		/* an address (range), a port (range) */
	uint8_t addr_lo[16], addr_hi[16];	/* network order, l3's size */
	uint16_t port_lo, port_hi;	/* host order */
	uint32_t flags;			/* BW_NAT_F_* */
	bool vexpr;			/* the address and/or port are
					 * ir->vexpr[vx] (valexpr.h) */
	uint32_t vx;
};

/* tproxy (nf_tables only, prerouting): the packet goes to the local
 * transparent socket of addr:port (the packet's own address or port
 * where not given), or to an established socket of its connection. */
struct bw_ir_tproxy {
	uint8_t l3;			/* 4, 6, or 0: inet, no family written
					 * (a port alone, for either) */
	bool addr, port;
	uint8_t a[16];			/* network order, l3's size */
	uint16_t p;			/* host order */
	bool port_vx;			/* the port a value expression's
					 * (ir->vexpr[vx]: a map, a hash) */
	uint32_t vx;
};

/* synproxy (nf_tables only, input and forward): the options the cookie
 * SYN-ACK offers, as NF_SYNPROXY_OPT_* (mss and wscale: given). */
#define BW_SYNPROXY_F_MSS	0x01
#define BW_SYNPROXY_F_WSCALE	0x02
#define BW_SYNPROXY_F_SACK_PERM	0x04
#define BW_SYNPROXY_F_TIMESTAMP	0x08

struct bw_ir_synproxy {
	uint16_t mss;
	uint8_t wscale;
	uint32_t flags;			/* BW_SYNPROXY_F_* */
};

/* nft's jump stack: at most this many chains deep below a base chain
 * (the kernel refuses a chain at level NFT_JUMP_STACK_SIZE, 16). */
#define BW_CHAIN_DEPTH_MAX 15

struct bw_ir_rule {
	uint32_t handle;		/* 1..ir->nhandle-1, unique in the ruleset */
	struct bw_loc loc;		/* the whole rule */
	uint32_t nmatch;
	struct bw_ir_match *match;	/* all must hold, in this order */
	bool counter;
	uint64_t counter_packets;	/* initial values (`counter packets N bytes M`) */
	uint64_t counter_bytes;
	enum bw_verdict verdict;
	struct bw_loc verdict_loc;
	uint32_t target;		/* JUMP, GOTO: index into ir->chain */
	struct bw_ir_match vmap;	/* VMAP: a lookup in a map */
	struct bw_ir_reject reject;	/* REJECT */
	uint32_t nat;			/* NAT: index into ir->nat; QUEUE:
					 * into ir->queue */
	/* match[0, nlead) come first, then stmt[] in order (trailing
	 * matches among them); a rule with only a counter after its matches
	 * has nlead == nmatch and no stmt */
	uint32_t nlead;
	uint32_t nstmt;
	struct bw_ir_stmt *stmt;
	/* the keys its set statements read (copies of ir->dynset[].key,
	 * lookups with no elements): fields the rule reads without a test,
	 * which the program must parse all the same */
	uint32_t ndkey;
	struct bw_ir_match *dkey;
	/* VMAP: the last nafter of stmt[] come after the vmap in the rule:
	 * they run when the element's verdict is continue (a key in no
	 * element, or another verdict, ends the rule before them) */
	uint32_t nafter;
	/* NAT, QUEUE: a vmap comes first (rule->vmap, looked up before the
	 * last nafter statements): its element's continue leads to those
	 * and the verdict, as nft runs `vmap { ... } masquerade` */
	bool vmap_then;
};

/* Does rule r look r->vmap up (its verdict, or before a nat or queue)? */
static inline bool bw_ir_rule_vmap(const struct bw_ir_rule *r)
{
	return r->verdict == BW_VERDICT_VMAP || r->vmap_then;
}

enum bw_family { BW_FAMILY_NETDEV, BW_FAMILY_INET, BW_FAMILY_IP, BW_FAMILY_IP6,
		 /* chains the kernel's nf_tables runs, whole: no BPF
		  * netfilter link takes NFPROTO_BRIDGE or NFPROTO_ARP */
		 BW_FAMILY_BRIDGE, BW_FAMILY_ARP };

/* A family whose chains only nf_tables runs (bridge, arp). */
static inline bool bw_family_nft_only(enum bw_family f)
{
	return f == BW_FAMILY_BRIDGE || f == BW_FAMILY_ARP;
}

/* A base chain's type: filter runs in BPF (or in nf_tables where it
 * rejects), nat in nf_tables always. */
enum bw_chain_type { BW_CHAIN_TYPE_FILTER, BW_CHAIN_TYPE_NAT };

/* The nft hook a base chain names, in the order a packet meets them. */
enum bw_chain_hook {
	BW_CHAIN_NONE,			/* user chain (not a base chain) */
	BW_CHAIN_INGRESS,		/* netdev, inet with a device: XDP on it */
	BW_CHAIN_PREROUTING,		/* inet/ip/ip6: the netfilter hooks, */
	BW_CHAIN_INPUT,			/* one program per chain at the chain's */
	BW_CHAIN_FORWARD,		/* priority, for every interface (where */
	BW_CHAIN_OUTPUT,		/* the kernel has none: input at XDP, */
	BW_CHAIN_POSTROUTING,		/* output at TC, on each interface) */
	BW_CHAIN_EGRESS,		/* netdev: TC egress on device */
};

/* The netdev hooks (a device's XDP and TC programs); else an IP hook. */
static inline bool bw_chain_hook_netdev(enum bw_chain_hook h)
{
	return h == BW_CHAIN_INGRESS || h == BW_CHAIN_EGRESS;
}

struct bw_ir_chain {
	char *table;
	char *name;
	enum bw_family family;
	enum bw_chain_hook hook;
	char *device;			/* netdev chains; NULL otherwise */
	int32_t priority;
	enum bw_verdict policy;		/* ACCEPT or DROP */
	struct bw_loc loc;
	uint32_t nrule;
	struct bw_ir_rule *rule;
	/* user chains: the most jumps/gotos on a path from a base chain to
	 * this one (1..BW_CHAIN_DEPTH_MAX); 0 for base chains and for user
	 * chains no base chain reaches */
	uint32_t depth;
	uint8_t type;			/* enum bw_chain_type */
	/* netdev chains: nf_tables' netdev family runs this one, not XDP or
	 * TC (a base chain: it or a chain it reaches needs the kernel; a
	 * user chain: its own rules do), because of the statement at
	 * nft_why (compiler/front/nfnetdev.h) */
	bool nft;
	struct bw_loc nft_why;
	/* devices = { a, b, ... }: the devices after device (all sorted,
	 * as nft lists them); the chain runs on each */
	uint32_t nmore_dev;
	char (*more_dev)[16];
};

/* Does chain ch run on device dev (its device or one of more_dev)? */
bool bw_ir_chain_on_device(const struct bw_ir_chain *ch, const char *dev);

/*
 * Sets and maps.  Keys are the components' bytes concatenated, each as
 * its field (key[i]) is compared: field->size bytes in network order
 * (sub-byte fields after shift and mask).  An element covers [lo, hi]
 * in every component (lo == hi but for prefixes and ranges).
 */
#define BW_SET_KEY_MAX	44	/* bytes of a key */

struct bw_ir_setelem {
	uint8_t lo[BW_SET_KEY_MAX];
	uint8_t hi[BW_SET_KEY_MAX];
	enum bw_verdict verdict;	/* maps: ACCEPT DROP JUMP GOTO RETURN
					 * CONTINUE */
	uint32_t target;		/* JUMP, GOTO: index into ir->chain */
	struct bw_loc loc;
	bool cont;			/* read back from a map: a prefix that
					 * continues the range of the one below
					 * it (setmap.h BW_SET_F_CONT) */
	uint8_t data[20];		/* a map of data's value: its field's
					 * bytes, as a key component's; a
					 * concatenation's parts each at
					 * bw_ir_set_dataoff (4-byte aligned) */
	uint32_t timeout_ms;		/* its own `timeout T` (settimeout.h);
					 * 0: the set's */
	uint32_t expires_ms;		/* read back from a map: the time it
					 * has left (listed); 0: not known */
};

struct bw_ir_set {
	char *name;			/* NULL: an anonymous set (a literal) */
	char *table;
	enum bw_family family;
	struct bw_loc loc;
	uint32_t nkey;
	enum bw_field_id key[BW_SET_MAX_KEYS];	/* each component's type */
	uint32_t keylen;		/* sum of the components' sizes */
	bool interval;			/* prefixes and ranges */
	bool map;			/* verdict values */
	uint32_t size;			/* `size N`; 0: not given */
	uint32_t nelem;
	struct bw_ir_setelem *elem;
	uint8_t objtype;		/* an object map's (enum bw_obj_kind):
					 * each element's target is an object
					 * (ir->obj); 0: none */
	bool dynamic;			/* `flags dynamic`, or a rule's add,
					 * update or delete changes it */
	bool literal;			/* written in a rule: { ... } */
	/* a literal map's catch-all element `* : VERDICT`: the verdict of
	 * a key in no element (its lo, hi unused) */
	bool has_catchall;
	struct bw_ir_setelem catchall;
	/* a named map of data (type KEY : mark): the value's type (a field
	 * standing for it), 0 fields for a set or a verdict map; map is
	 * false (BPF keeps its keys, as a set's, for lookups) */
	uint32_t ndata;
	enum bw_field_id data;
	enum bw_field_id datacat[BW_SET_MAX_KEYS]; /* ndata > 1: a
					 * concatenated value's parts (mapcat.h);
					 * datacat[0] is data */
	bool mapadd;			/* a map of data rules add to: it
					 * lives in nf_tables (mapadd.h) */
	/* timeouts (settimeout.h): `flags timeout` or a timeout given;
	 * each element's lifetime when none is given (0: for ever), and
	 * `gc-interval` (printed only) */
	bool timeout;
	uint32_t timeout_ms, gc_ms;
};

/* Byte offset of component i in a key. */
uint32_t bw_ir_set_keyoff(const struct bw_ir_set *s, uint32_t i);

/* dup to ADDR [device "DEV"] (dup.h): the kernel's nft_dup_ipv4/ipv6
 * sends a copy of the packet to ADDR (through DEV). */
struct bw_ir_dup {
	uint8_t l3;			/* 4 or 6: the table's family */
	uint8_t addr[16];		/* network order, l3's size */
	bool vexpr;			/* the address is ir->vexpr[vx] (a map,
					 * numgen, a hash: valexpr.h) */
	uint32_t vx;
	char dev[16];			/* "" when none */
	struct bw_loc dev_loc;
};
struct bw_ir_fwd;

/* flowtable NAME { ... } of a table (flowtable.h): nf_tables' flowtable,
 * which the kernel's nf_flow_table runs at ingress of its devices. */
struct bw_ir_flowtable {
	uint8_t family;			/* enum bw_family: inet, ip, ip6 */
	char *table, *name;
	struct bw_loc loc;
	int32_t prio;
	uint32_t ndev;
	char (*dev)[16];		/* in the order given */
	bool offload, counter;		/* flags offload; counter */
};

struct bw_ir {
	uint32_t nchain;
	struct bw_ir_chain *chain;	/* in source order */
	uint32_t nset;
	struct bw_ir_set *set;		/* named in source order, and anonymous */
	uint32_t nlog;
	struct bw_ir_log *log;
	uint32_t nlimit;
	struct bw_ir_limit *limit;
	uint32_t nnat;
	struct bw_ir_nat *nat;
	uint32_t nsetf;
	struct bw_ir_setf *setf;
	uint32_t nquota;
	struct bw_ir_quota *quota;
	uint32_t nobj;
	struct bw_ir_obj *obj;
	uint32_t nobjref;
	struct bw_ir_objref *objref;
	uint32_t nqueue;
	struct bw_ir_queue *queue;
	uint32_t nhdrset;
	struct bw_ir_hdrset *hdrset;
	uint32_t nvexpr;
	struct bw_ir_vexpr *vexpr;	/* set statements' values (valexpr.h) */
	uint32_t nhandle;		/* max handle + 1 (counter map size) */
	/*
	 * Normalized ruleset text, nft `list ruleset` style: defines expanded,
	 * one rule per line, tabs for indent.  Loading it with -f gives the
	 * same ruleset.  Each `counter` statement is printed as
	 *     counter \x1f<handle>\x1f
	 * which `list ruleset` replaces with "packets N bytes M"; use
	 * bw_ir_text_render() for a text with counters.
	 */
	char *text;
	uint32_t ndynset;
	struct bw_ir_dynset *dynset;	/* set statements (dynset.c) */
	uint32_t ntproxy;
	struct bw_ir_tproxy *tproxy;	/* tproxy.c */
	uint32_t nsynproxy;
	struct bw_ir_synproxy *synproxy;	/* tproxy.c */
	uint32_t ndup;
	struct bw_ir_dup *dup;		/* dup statements (dup.h) */
	uint32_t nfwd;
	struct bw_ir_fwd *fwd;		/* fwd and dup (fwd.h) */
	uint32_t nflowtable;
	struct bw_ir_flowtable *flowtable;	/* flowtables (flowtable.h) */
};

void bw_ir_free(struct bw_ir **ir);

/* Does compare match m hold for the field value x (field->size bytes,
 * network order), guards aside?  What the interpreter does for every
 * match and codegen for the matches it can decide when it generates a
 * program (interface names). */
bool bw_ir_match_holds(const struct bw_ir_match *m, const uint8_t *x);

/* The element of set s that holds key (keylen bytes), or NULL; a map's
 * elements never overlap (evaluate checks), a set's may. */
const struct bw_ir_setelem *bw_ir_set_find(const struct bw_ir_set *s,
					   const uint8_t *key);

/* Call fn for every chain a rule may continue in: its jump/goto target,
 * or the jump/goto targets of its vmap's elements. */
void bw_ir_rule_targets(const struct bw_ir *ir, const struct bw_ir_rule *r,
			void (*fn)(void *arg, uint32_t chain, bool jump),
			void *arg);

/* Does any rule of the ruleset read field f (in a compare, a lookup's
 * key or a vmap's key)? */
bool bw_ir_uses_field(const struct bw_ir *ir, enum bw_field_id f);
/* Does rule ru read one of fields (a mask of 1 << field id)? */
bool bw_ir_rule_reads(const struct bw_ir_rule *ru, uint64_t fields);
int bw_ir_rule_kernel_field(const struct bw_ir_rule *ru);
/* Does a rule read an IPv6 extension header field (bw_field.exthdrs)? */
bool bw_ir_uses_exthdrs(const struct bw_ir *ir);
/* The same, for the chains idx[0, n) and the chains they jump or go to. */
bool bw_ir_chains_use_field(const struct bw_ir *ir, const uint32_t *idx,
			    uint32_t n, enum bw_field_id f);
/* seen[c] (ir->nchain flags): chain c is one of idx[0, n) or a chain
 * they jump or go to, directly or not. */
void bw_ir_chains_reach(const struct bw_ir *ir, const uint32_t *idx,
			uint32_t n, bool *seen);

/* Look up the chain/rule a handle belongs to (NULL if none). */
const struct bw_ir_rule *bw_ir_rule_by_handle(const struct bw_ir *ir,
					      uint32_t handle,
					      const struct bw_ir_chain **chain);

/*
 * Replace the counter markers in text by "packets N bytes M".  get(handle)
 * returns the counts; get == NULL prints zeros.  Returns a malloc'ed string.
 */
typedef void (*bw_counter_get_fn)(void *arg, uint32_t handle,
				  uint64_t *packets, uint64_t *bytes);
/* A netdev chain's quota is marked too: get(BW_IR_QUOTA_KEY | q) gives
 * quota q's count in *packets with *bytes 1 (slot max_entries - 1 - q of
 * BW_MAP_LIMITS: bw_ir_quota_slot), and the text shows "used N UNIT" as
 * nft does (no more than the quota; nothing while 0); a getter that
 * leaves *bytes 0 keeps the used bytes as written. */
#define BW_IR_QUOTA_KEY	0x80000000u
char *bw_ir_text_render(const char *text, bw_counter_get_fn get, void *arg);
/* The same, and each set's elements line replaced by what elems(arg,
 * index, family, table, name) returns (malloc'ed, the whole
 * "\t\telements = { ... }\n" line or ""; NULL: keep the text's). */
typedef char *(*bw_set_elems_fn)(void *arg, uint32_t index, const char *family,
				 const char *table, const char *name);
char *bw_ir_text_render_sets(const char *text, bw_counter_get_fn get,
			     bw_set_elems_fn elems, void *arg);
/* The same, and each named counter's or quota's state, marked
 * "\x1d<family> <table> <kind> <name>\x1d" STATE "\x1d", replaced by what
 * objs returns (malloc'ed; NULL: keep the text's, the declared state). */
typedef char *(*bw_obj_state_fn)(void *arg, const char *family,
				 const char *table, const char *kind,
				 const char *name);
char *bw_ir_text_render_objs(const char *text, bw_counter_get_fn get,
			     bw_set_elems_fn elems, bw_obj_state_fn objs,
			     void *arg);
/* A bw_counter_get_fn (arg: the struct bw_ir *) giving each rule's initial
 * counts, as written in the file. */
void bw_ir_counter_initial(void *arg, uint32_t handle, uint64_t *packets,
			   uint64_t *bytes);

/*
 * The base chains one XDP or TC program runs, in the order the kernel
 * would run them: hook_egress selects EGRESS chains, else INGRESS ones, on
 * device ifname (NULL: none); with ip_hooks (where the kernel cannot
 * attach at the netfilter hooks) also the INPUT (OUTPUT) chains, after
 * (before) the netdev ones; each hook by priority, then source order.
 * Fills idx[] (capacity ir->nchain) and returns the count.
 */
uint32_t bw_ir_chains_for(const struct bw_ir *ir, bool hook_egress,
			  const char *ifname, bool ip_hooks, uint32_t *idx);

/* Where a packet goes through the hooks. */
enum bw_path {
	BW_PATH_IN,		/* to this host: ingress, prerouting, input */
	BW_PATH_OUT,		/* from this host: output, postrouting, egress */
	BW_PATH_FORWARD,	/* routed by this host: ingress, prerouting,
				 * forward, postrouting, egress */
};
extern const char *const bw_path_name[];	/* "ingress", "egress", "forward" */

/*
 * The base chains a packet on path meets, in order: hook by hook, each
 * by priority, then source order; netdev chains of device iif (ingress)
 * and oif (egress) only (NULL: none).  Fills idx[] (capacity ir->nchain)
 * and returns the count.
 */
uint32_t bw_ir_chains_path(const struct bw_ir *ir, enum bw_path path,
			   const char *iif, const char *oif, uint32_t *idx);

/* Does a packet on path have an input interface (out: an output one) at
 * a chain of hook h?  As the kernel hands them to nft: prerouting and
 * input have the input, output the output, forward both, postrouting
 * the output and, for a forwarded packet, the input. */
bool bw_path_has_iface(enum bw_path path, enum bw_chain_hook h, bool out);
