/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * bpfwall's connection tracking: what `ct state` sees.  One table per
 * ruleset (BW_MAP_CT, an LRU hash pinned as "conntrack" and kept across
 * reloads), shared by the ingress (XDP) and egress (TC) programs.  The
 * definitions here are the contract between the BPF tracker
 * (emit_ct.c), the reference tracker of the interpreter (ct.c) and the
 * runtime, which creates the map.
 *
 * The model follows the kernel's nf_conntrack, simplified:
 *
 *  - A flow is keyed by its two endpoints in a canonical order (struct
 *    bw_ct_key), so both directions find the one entry with one lookup;
 *    the entry remembers which endpoint opened the flow (BW_CTF_ORIG_B).
 *    TCP and UDP endpoints are address and port; ICMP queries (echo,
 *    timestamp, information, address mask; ICMPv6 echo and node
 *    information) use the id on the asking side and the request type on
 *    the answering side, as the kernel's tuples do; other protocols the
 *    addresses alone.
 *  - A packet's state: a packet of the answering side is established; of
 *    the opening side, new until the other side has answered, then
 *    established.  ICMP and ICMPv6 errors quoting a tracked flow are
 *    related.  Invalid: not IP; TCP flags that cannot open a flow when no
 *    entry exists (only SYN, and ACK picking up a flow midstream, can) or
 *    that make no sense in the flow's TCP state (bw_ct_tcp_next); an ICMP
 *    reply with no query; an error quoting nothing tracked; a non-first
 *    fragment whose first fragment was not seen.  Untracked: neighbour
 *    discovery, MLD and multicast router discovery (ICMPv6 130-136, 143,
 *    151, 152), as in the kernel.
 *  - An entry is created only when the packet that opens the flow is
 *    accepted by every chain (the kernel confirms at the last hook); later
 *    packets update it before the rules run, as the kernel's tracker does.
 *  - Timeouts (bw_ct_timeout): TCP by state, UDP 30 s, 120 s once
 *    answered, ICMP 30 s, others 600 s.  An expired entry is as if absent;
 *    the LRU map forgets the least recently used when full.
 *  - Fragments: the kernel reassembles a packet before its IP hooks and
 *    filters it once; bpfwall sees each fragment.  The first fragment is
 *    tracked as its flow; when the program accepts it, it leaves a record
 *    (kind BW_CT_KEY_FRAG, keyed by the sender, receiver, protocol and
 *    fragment id, 30 s): the later fragments meet its state, and the
 *    inet, ip and ip6 chains, which accepted the first, accept them as
 *    they would the reassembled packet (view flag BW_VIEW_FRAG_OK; netdev
 *    chains see every fragment, as in nft).  A later fragment with no
 *    record is invalid.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "compiler/front/view.h"

/* ct state bits (nft's values). */
enum bw_ct_state {
	BW_CT_INVALID = 1,
	BW_CT_ESTABLISHED = 2,
	BW_CT_RELATED = 4,
	BW_CT_NEW = 8,
	BW_CT_UNTRACKED = 64,
};

/* Entries in the map (a host's worth of flows; LRU beyond). */
#define BW_CT_MAX_ENTRIES	65536

enum bw_ct_key_kind {
	BW_CT_KEY_FLOW,
	BW_CT_KEY_FRAG,
};

struct bw_ct_key {
	uint8_t  l3;		/* 4 or 6 */
	uint8_t  proto;		/* IPPROTO_* */
	uint8_t  kind;		/* enum bw_ct_key_kind */
	uint8_t  pad;
	/* flows: endpoint a's and b's port (network order), for ICMP the
	 * id (network order) or the request type (host order); fragments:
	 * the fragment id (network order, IPv4's in port[0]) */
	uint16_t port[2];
	/* flows: a's and b's address; fragments: source, destination
	 * (IPv4 addresses in the first 4 bytes, the rest zero) */
	uint8_t  addr[2][16];
};

struct bw_ct_value {
	uint64_t expires;	/* bpf_ktime_get_coarse_ns() (CLOCK_MONOTONIC,
				 * to a tick) after which it is gone */
	uint8_t  tcp;		/* enum bw_ct_tcp (TCP flows) */
	uint8_t  flags;		/* enum bw_ct_flags */
	uint8_t  state;		/* fragments: what the first one met */
	uint8_t  pad[5];
};

_Static_assert(sizeof(struct bw_ct_key) == 40, "conntrack key is ABI");
_Static_assert(sizeof(struct bw_ct_value) == 16, "conntrack value is ABI");

enum bw_ct_flags {
	BW_CTF_ORIG_B  = 1 << 0,	/* endpoint b opened the flow */
	BW_CTF_REPLIED = 1 << 1,	/* the other side has answered */
};

/*
 * Canonical order: endpoint a is the lower of the two by address, then
 * port, comparing the address as four host-order 32-bit words (the
 * order is arbitrary; codegen and ct.c use this one).  True when the
 * packet's source must be endpoint b.
 */
bool bw_ct_src_is_b(const uint8_t saddr[16], const uint8_t daddr[16],
		    uint16_t sport, uint16_t dport);

/* TCP states (BW_CT_TCP_NONE: no entry). */
enum bw_ct_tcp {
	BW_CT_TCP_NONE,
	BW_CT_TCP_SYN_SENT,
	BW_CT_TCP_SYN_RECV,
	BW_CT_TCP_ESTABLISHED,
	BW_CT_TCP_FIN,		/* a FIN seen: closing */
	BW_CT_TCP_CLOSE,	/* a RST seen */
	BW_CT_TCP__MAX,
	/* what bw_ct_tcp_next gives besides a state */
	BW_CT_TCP_IGNORE = 14,	/* valid, changes nothing */
	BW_CT_TCP_INVALID = 15,	/* ct state invalid, changes nothing */
};

/* A TCP segment's class, from its flags. */
enum bw_ct_tcp_class {
	BW_CT_SEG_SYN,
	BW_CT_SEG_SYNACK,
	BW_CT_SEG_FIN,		/* FIN, with or without ACK */
	BW_CT_SEG_ACK,		/* ACK (PSH, URG...) and nothing above */
	BW_CT_SEG_RST,
	BW_CT_SEG_NONE,		/* none of SYN, FIN, ACK, RST */
	BW_CT_SEG__MAX,
};

enum bw_ct_tcp_class bw_ct_tcp_class(uint8_t tcp_flags);
/* "SYN_SENT", "ESTABLISHED"...; NULL for NONE and what is no state. */
const char *bw_ct_tcp_name(uint8_t s);

/*
 * The transition table: bw_ct_tcp_next[reply][class][state].  reply: the
 * segment comes from the side that did not open the flow.  No entry is
 * state NONE from the opening side: SYN opens, ACK picks a flow up
 * midstream (as the kernel's default nf_conntrack_tcp_loose), anything
 * else is invalid.  A SYN from the opening side on a closing or closed
 * flow opens it anew (the entry forgets the answer).
 */
extern const uint8_t bw_ct_tcp_next[2][BW_CT_SEG__MAX][BW_CT_TCP__MAX];

/* Seconds an entry lives after a packet: TCP by state, the others by
 * protocol and whether answered. */
uint32_t bw_ct_tcp_timeout(enum bw_ct_tcp s);
#define BW_CT_UDP_TIMEOUT	30
#define BW_CT_UDP_REPLIED_TIMEOUT 120
#define BW_CT_ICMP_TIMEOUT	30
#define BW_CT_OTHER_TIMEOUT	600
#define BW_CT_FRAG_TIMEOUT	30

/* ICMP / ICMPv6 classification of a type. */
enum bw_ct_icmp_kind {
	BW_CT_ICMP_OTHER,	/* cannot open a flow: invalid */
	BW_CT_ICMP_REQUEST,	/* opens a query flow */
	BW_CT_ICMP_REPLY,	/* answers one */
	BW_CT_ICMP_ERROR,	/* quotes a packet: related */
	BW_CT_ICMP_UNTRACKED,	/* ICMPv6 ND, MLD: untracked */
};

/* The types that are not BW_CT_ICMP_OTHER (the BPF tracker is
 * generated from this table). */
struct bw_ct_icmp_type {
	uint8_t proto, type;
	uint8_t kind;		/* enum bw_ct_icmp_kind */
};
extern const struct bw_ct_icmp_type bw_ct_icmp_types[];
extern const unsigned bw_ct_nicmp_types;

/* The request a reply answers: echo reply 0 answers 8, the others the
 * type before them. */
uint8_t bw_ct_icmp_request_of(uint8_t reply);

/* proto: IPPROTO_ICMP or IPPROTO_ICMPV6.  *req gets the request type a
 * reply answers (or the request's own type). */
enum bw_ct_icmp_kind bw_ct_icmp_kind(uint8_t proto, uint8_t type,
				     uint8_t *req);

/* ------------------------------------------------ reference tracker */

/* The interpreter's table: a flat array (verdict tests hold few flows). */
struct bw_ct_table {
	struct bw_ct_entry {
		struct bw_ct_key key;
		struct bw_ct_value val;
	} *v;
	uint32_t n, cap;
};

/* What tracking decided for one packet, before the rules. */
struct bw_ct_pending {
	bool create;		/* insert key/val when the packet is accepted */
	struct bw_ct_key key;
	struct bw_ct_value val;
	uint32_t timeout;	/* seconds, for val.expires at insertion */
	/* a first fragment: its record, left when it is accepted */
	bool frag;
	struct bw_ct_key frag_key;
	uint8_t frag_state;
	/* a later fragment whose first was accepted: BW_VIEW_FRAG_OK */
	bool frag_ok;
};

/*
 * Track one parsed packet (pkt, len: the frame, for the quoted packet of
 * an ICMP error) at time now: updates existing entries, returns the ct
 * state bit it meets, and fills *p with the entry to create if the packet
 * is accepted.
 */
uint8_t bw_ct_track(struct bw_ct_table *t, const struct bw_view *v,
		    const uint8_t *pkt, uint32_t len, uint64_t now,
		    struct bw_ct_pending *p);
/* The packet was accepted: create its entry, and a first fragment's
 * record. */
void bw_ct_confirm(struct bw_ct_table *t, const struct bw_ct_pending *p,
		   uint64_t now);
void bw_ct_table_free(struct bw_ct_table *t);
