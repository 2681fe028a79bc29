/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Statements that write a packet header field (hdrset.c): ip ttl set 23,
 * ip dscp set af23, ip6 flowlabel set 12345, tcp dport set 80, ...  They
 * run in nf_tables (build.c hands their chains over) as nft 1.0.6's
 * payload write, with its checksum updates; in a netdev chain the XDP or
 * TC program writes the same bytes itself (compiler/bpf/emit_hdrset.c).
 * Also ip dscp set ip dscp & 0x1f and the like (nft after 1.0.6).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ir.h"

struct bw_eval;
struct bw_proto_state;
struct bw_ast_fref;
struct bw_ast_stmt;
struct bw_sym;
struct bw_pbuf;

/* Is f a header field of ip, ip6, tcp, udp, icmp or icmpv6 (a set of it
 * is a hdrset statement, not setf.c's)? */
bool bw_hdrset_claims(const struct bw_ast_fref *f);

/* PROTO FIELD set VALUE statement s of a rule of chain ch (its matches
 * so far in ps) into ir->hdrset, its index in *index.  0 or -EINVAL
 * (errors queued) / -ENOMEM. */
int bw_eval_hdrset(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, const struct bw_ir_chain *ch,
		   const struct bw_sym *scope, uint32_t *index);

/* h as nft lists it: `ip ttl set 23`, `ip ecn set ect1`. */
void bw_print_hdrset(struct bw_pbuf *b, const struct bw_ir_hdrset *h);

/* A raw @nh,OFF,LEN match (== or != one number) whose bits are an arp
 * field, as nft lists it in an arp table (`arp daddr ip 192.0.2.1`):
 * printed, true; else false, nothing printed. */
bool bw_hdrset_print_raw(struct bw_pbuf *b, const struct bw_ast_stmt *s,
			 const struct bw_sym *scope);

/* ether daddr set meta ibrhwaddr (bridge): s's value is meta ibrhwaddr, h
 * takes it (nf_tables' meta load of the bridge's address): 1; -EINVAL
 * (error queued) where it cannot be; 0: e is something else. */
int bw_hdrset_ibrhwaddr(struct bw_eval *ev, const struct bw_ir_chain *ch,
			const struct bw_field *f, const struct bw_ast_stmt *s,
			struct bw_ir_hdrset *h);

/* In a netdev rule: an arp field matched before s (nft's meta protocol
 * arp), so nft lists s's raw @nh bits by the arp field's name too. */
bool bw_hdrset_arp_said(const struct bw_ast_item *rule,
			const struct bw_ast_stmt *s);
