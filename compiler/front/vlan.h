/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * nft's VLAN dependencies and tags, for evaluate.c (vlan.c):
 *
 *  - a bare vlan field (or write) is an 802.1Q tag's, right after the
 *    Ethernet header: the rule gets nft's implicit `ether type 8021q` in
 *    front of it, unless an ether type match came first (`ether type
 *    8021ad vlan id 1` reads an 802.1ad tag);
 *  - after the network layer was said (an IP field, meta protocol ip;
 *    not the ip and ip6 families' own), that implicit ether type
 *    conflicts, as in nft: `ip saddr 192.0.2.1 vlan id 1` is an error;
 *  - an IP header field after a tag was tested for gets nft's implicit
 *    `vlan type ip` (ip6): the protocol right after that tag;
 *  - vlan fields after `vlan type 8021q` (8021ad) are the next tag's, as
 *    nft reads them: raw link-layer bits 4 bytes further on (so BPF, the
 *    interpreter and nf_tables read them alike).
 * The listing leaves the implicit matches out, as nft does (print.c).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "evaluate.h"

/* Has the rule said the network layer (not the ip and ip6 families,
 * whose own it is)? */
bool bw_vlan_l3_said(const struct bw_eval *ev, const struct bw_proto_state *ps);

/* The implicit ether type 8021q of match m (a vlan field, also in a
 * concatenation) into *out, room the caller made: 1 when written, 0
 * when none is needed, -ENOMEM. */
int bw_vlan_dep(struct bw_eval *ev, struct bw_proto_state *ps,
		const struct bw_ir_match *m, struct bw_ir_match *out);

/* The implicit vlan type ip (ip6) of match m (an IP header field after a
 * tag; l3: the network layer the rule knew before m) into *out, as
 * bw_vlan_dep(). */
int bw_vlan_l3_dep(struct bw_eval *ev, const struct bw_proto_state *ps,
		   uint8_t l3, const struct bw_ir_match *m,
		   struct bw_ir_match *out);

/* A vlan field after vlan type 8021q (8021ad), compared with values:
 * the next tag's, evaluated into *out; 1 when s was one, else 0 (the
 * caller evaluates s itself). */
int bw_vlan_inner(struct bw_eval *ev, struct bw_proto_state *ps,
		  const struct bw_ast_stmt *s, const struct bw_sym *scope,
		  struct bw_ir_match *out);

/* The implicit ether type 8021q of a vlan write (vlan id set 2) s into
 * *out, as bw_vlan_dep() (none after the network layer was said: the
 * write's own check is nft's conflict then). */
int bw_vlan_setf_dep(struct bw_eval *ev, struct bw_proto_state *ps,
		     const struct bw_ast_stmt *s, struct bw_ir_match *out);

/* For the listing (print.c): is t `vlan type 8021q` (8021ad), after
 * which the vlan fields are the next tag's? */
bool bw_vlan_type_tag(const struct bw_ast_stmt *t, const struct bw_sym *scope);

/* Is s a vlan type match with no ether type or vlan field before it and
 * no vlan id, pcp or dei of the same tag after it among the matches that
 * follow?  nft 1.0.6 lists the implicit ether type 8021q in front of it
 * then (a vlan id after takes it, as it takes a written one). */
bool bw_vlan_bare_type(const struct bw_ast_item *rule,
		       const struct bw_ast_stmt *s, const struct bw_sym *scope);
