// SPDX-License-Identifier: GPL-2.0-only
/*
 * The protocol state of a rule as its matches go: the layer 3 and 4
 * protocols (and the tunnel, vlan tags and ether type) each match sets,
 * and the checks that a match agrees with what the rule said before
 * (`tcp dport 22 udp sport 53` is refused).
 * evaluate.c keeps the rule, chain and table walk that calls these.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "evaluate.h"
#include "dynset.h"
#include "prio.h"
#include "tcpopt.h"
#include "sctp_chunk.h"
#include "rawpay.h"
#include "tunnel.h"
#include "nat.h"
#include "queue.h"
#include "synproxy.h"
#include "tproxy.h"
#include "setf.h"
#include "objects.h"
#include "hdrset.h"
#include "vlan.h"
#include "view.h"
#include "xfrm.h"
#include "dup.h"
#include "nfnetdev.h"
#include "fwd.h"
#include "flowtable.h"
#include "evaluate_int.h"

void bw_proto_init(struct bw_proto_state *ps, enum bw_family family, bool pkt)
{
	memset(ps, 0, sizeof(*ps));
	ps->pkt = pkt;
	ps->inet = family == BW_FAMILY_INET;
	if (family == BW_FAMILY_IP) {
		ps->l3 = 4;
		ps->l3_name = "ip";
	} else if (family == BW_FAMILY_IP6) {
		ps->l3 = 6;
		ps->l3_name = "ip6";
	}
}


static int conflict(struct bw_eval *ev, const struct bw_ast_stmt *m,
		    const char *a, const char *b)
{
	struct bw_loc lhs = bw_loc_join(&m->proto_loc, &m->field_loc);

	return bw_eval_error(ev, &lhs, "conflicting protocols specified: %s vs. %s", a, b);
}

/* The EtherType of a VLAN tag (802.1Q, 802.1ad)? */
static bool is_tpid(uint16_t et)
{
	return et == 0x8100 || et == 0x88a8;
}

void bw_proto_set(struct bw_proto_state *ps, const struct bw_field *f,
		  const uint8_t *last)
{
	switch (f->id) {
	case BW_F_ICMP_TYPE:
	case BW_F_ICMP6_TYPE:
		/* nft takes a set's last element as the rule's type */
		ps->icmp_type = (uint16_t)(0x100 | last[0]);
		break;
	case BW_F_META_L4PROTO:
	case BW_F_IP_PROTOCOL:
	case BW_F_IP6_NEXTHDR:
		ps->l4_set = !ps->l4;
		break;
	case BW_F_ETHER_TYPE:
		/* as nft, by the last: { vlan, 8021ad } leaves l3 open */
		if (is_tpid((uint16_t)(last[0] << 8 | last[1])))
			break;
		/* fall through */
	case BW_F_META_PROTOCOL:	/* netdev and bridge: as ether type */
		if (ps->inet)
			break;
		/* fall through */
	case BW_F_META_NFPROTO:
	case BW_F_VLAN_TYPE:
		ps->l3_set = !ps->l3;
		break;
	default:
		break;
	}
}

static int set_l3(struct bw_eval *ev, struct bw_proto_state *ps,
		  const struct bw_ast_stmt *m, uint8_t l3, const char *name)
{
	if (ps->l3 && ps->l3 != l3)
		return conflict(ev, m, ps->l3_name, name);
	if (!ps->l3) {
		ps->l3 = l3;
		ps->l3_name = name;
	}
	return 0;
}

static int set_l4(struct bw_eval *ev, struct bw_proto_state *ps,
		  const struct bw_ast_stmt *m, uint8_t l4, const char *name)
{
	if (ps->l4 && ps->l4 != l4)
		return conflict(ev, m, ps->l4_name, name);
	if (!ps->l4) {
		ps->l4 = l4;
		snprintf(ps->l4_buf, sizeof(ps->l4_buf), "%s", name);
		ps->l4_name = ps->l4_buf;
	}
	return 0;
}

/* A field inside a tunnel (tunnel.h): nft's inner dependencies.  vxlan
 * and geneve need the rule to have said UDP (nft: `udp dport 4789`
 * first), gre and gretap imply `meta l4proto gre`. */
static int tunnel_check(struct bw_eval *ev, struct bw_proto_state *ps,
			const struct bw_field *f, const struct bw_ast_stmt *m)
{
	struct bw_loc lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
	enum bw_tunnel t = bw_tunnel_kind(m->proto);

	if (t == BW_TUN_GRE && f->tun_layer == BW_TL_LINK)
		return bw_eval_error(ev, &lhs, "%s %s: gre carries no link layer header (gretap does)",
				     m->proto, m->field);
	if (t == BW_TUN_GRE || t == BW_TUN_GRETAP)
		return set_l4(ev, ps, m, IPPROTO_GRE, "gre");
	if (!ps->l4)
		return bw_eval_error(ev, &lhs, "no transport protocol specified");
	if (ps->l4 != IPPROTO_UDP)
		return bw_eval_error(ev, &lhs, "unexpected transport protocol %s",
				     ps->l4_name ? ps->l4_name : "");
	return 0;
}

static const char *proto_name(uint8_t proto, char num[4])
{
	const char *n = bw_eval_proto_name(proto);

	if (n)
		return n;
	snprintf(num, 4, "%u", proto);
	return num;
}

int bw_proto_check(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_field *f, const struct bw_ast_stmt *m,
		   const uint8_t *val)
{
	char num[4];
	struct bw_loc lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
	uint16_t et;

	if (f->tun_layer && tunnel_check(ev, ps, f, m))
		return -EINVAL;
	if (f->id == BW_F_META_NFPROTO && !ps->inet && !ps->pkt)
		return bw_eval_error(ev, &lhs, "meta nfproto is only useful in the inet family");
	/* a header after `meta l4proto { tcp, udp }`: nft says no */
	if ((f->need_l3 && ps->l3_set) || (f->need_l4proto && ps->l4_set))
		return conflict(ev, m, "a set of protocols", f->proto);
	/* plain rt nexthop in an inet rule: nft wants the layer known */
	if (f->id == BW_F_RT_NEXTHOP4 && !strcmp(m->field, "nexthop") &&
	    ps->inet && !ps->l3)
		return bw_eval_error(ev, &lhs, "rt nexthop needs the network layer in an inet table: meta nfproto ipv4 before it, or rt ip nexthop, rt ip6 nexthop");
	if (f->id == BW_F_RT_NEXTHOP4 && !strcmp(m->field, "nexthop") && ps->l3 == 6)
		return bw_eval_error(ev, &lhs, "rt nexthop is IPv4's next hop: write rt ip6 nexthop");
	if (f->need_l3 && set_l3(ev, ps, m, f->need_l3,
				 f->id == BW_F_RT_NEXTHOP4 || f->id == BW_F_RT_NEXTHOP6 ?
				 "rt" : f->proto))
		return -EINVAL;
	if (f->need_l4proto && set_l4(ev, ps, m, f->need_l4proto, f->proto))
		return -EINVAL;
	/* vlan fields need a tag: not after an ether type that is none, nor
	 * (their implicit ether type 8021q) after the network layer was
	 * said, as nft refuses `ip saddr 192.0.2.1 vlan id 1` */
	if ((f->need_flags & BW_VIEW_VLAN) && !f->tun_layer &&
	    (ps->l2 == BW_L2_OTHER || (!ps->l2 && bw_vlan_l3_said(ev, ps))))
		return conflict(ev, m, "ether", "vlan");
	/* nft reads them from the next tag there: inner_vlan() does for the
	 * second tag's fields compared with values */
	if ((f->need_flags & BW_VIEW_VLAN) && ps->vlan_inner && !f->tun_layer)
		return bw_eval_error(ev, &lhs, (ps->vlan_inner & 0x10) ?
				     "%s %s after two vlan type %s would be a third tag's (as in nft): bpfwall reads the fields of the first two VLAN tags" :
				     "%s %s after vlan type %s is the inner tag's (as in nft): bpfwall reads it compared with values, not in a set lookup, a map or a concatenation",
				     f->proto, f->name, (ps->vlan_inner & 3) == 1 ? "8021q" : "8021ad");
	/* icmp id after an icmp type that has none: nft's error */
	/* icmp mtu after an icmp type that has none: nft's error */
	if (f->icmp_type && ps->icmp_type &&
	    (uint8_t)ps->icmp_type != f->icmp_type)
		return bw_eval_error(ev, &lhs, "incompatible icmp match: rule has %u, need %u",
				     ps->icmp_type & 0xff, f->icmp_type);
	if ((f->need_flags & BW_VIEW_ECHO) && ps->icmp_type &&
	    !bw_view_icmp_echo(f->need_l4proto, (uint8_t)ps->icmp_type))
		return bw_eval_error(ev, &lhs, "incompatible icmp match: rule has %u, need %u",
				     ps->icmp_type & 0xff,
				     f->need_l4proto == IPPROTO_ICMP ? 8 : 128);
	/* nft: a tuple's port has the type of a known transport protocol */
	if ((f->id == BW_F_CT_ORIG_PROTO_SRC || f->id == BW_F_CT_ORIG_PROTO_DST ||
	     f->id == BW_F_CT_REPLY_PROTO_SRC || f->id == BW_F_CT_REPLY_PROTO_DST) &&
	    !ps->l4)
		return bw_eval_error(ev, &lhs, "ct %s needs a transport protocol before it (meta l4proto tcp; in ip and ip6 tables also ct protocol tcp), as in nft",
				     f->name);
	if (!val)
		return 0;
	switch (f->id) {
	case BW_F_CT_PROTOCOL:
		/* nft: the protocol of the tuple's ports, where the table's
		 * family says the network protocol */
		if (ps->inet)
			return 0;
		return set_l4(ev, ps, m, val[0], proto_name(val[0], num));
	case BW_F_ICMP_TYPE:
	case BW_F_ICMP6_TYPE:
		ps->icmp_type = (uint16_t)(0x100 | val[0]);
		return 0;
	case BW_F_IP6_NEXTHDR:
		/* an extension header (view.h walks these) hides the upper
		 * layer: it says nothing about l4proto */
		if (bw_view_ip6_ext(val[0]))
			return 0;
		return set_l4(ev, ps, m, val[0], proto_name(val[0], num));
	case BW_F_META_L4PROTO:
	case BW_F_IP_PROTOCOL:
		return set_l4(ev, ps, m, val[0], proto_name(val[0], num));
	case BW_F_META_NFPROTO:
		if (val[0] == NFPROTO_V4)
			return set_l3(ev, ps, m, 4, "ip");
		if (val[0] == NFPROTO_V6)
			return set_l3(ev, ps, m, 6, "ip6");
		return set_l3(ev, ps, m, 1, "nfproto");
	case BW_F_ETHER_TYPE:
	case BW_F_VLAN_TYPE:
		et = (uint16_t)(val[0] << 8 | val[1]);
		if (f->id == BW_F_ETHER_TYPE)	/* the outer EtherType */
			ps->l2 = is_tpid(et) ? BW_L2_VLAN : BW_L2_OTHER;
		if (is_tpid(et)) {	/* a tag: l3 is still open */
			if (f->id == BW_F_VLAN_TYPE)
				ps->vlan_inner = et == 0x8100 ? 1 : 2;
			return 0;
		}
		if (et == 0x0800)
			return set_l3(ev, ps, m, 4, "ip");
		if (et == 0x86dd)
			return set_l3(ev, ps, m, 6, "ip6");
		return set_l3(ev, ps, m, 1, bw_eval_ethertype_name(et) ?: "ether");
	case BW_F_META_PROTOCOL:	/* nft's network layer, as ether type,
					 * in netdev and bridge tables */
		et = (uint16_t)(val[0] << 8 | val[1]);
		if (is_tpid(et) || (ev->family != BW_FAMILY_NETDEV &&
				    ev->family != BW_FAMILY_BRIDGE))
			return 0;
		if (et == 0x0800)
			return set_l3(ev, ps, m, 4, "ip");
		if (et == 0x86dd)
			return set_l3(ev, ps, m, 6, "ip6");
		return set_l3(ev, ps, m, 1, bw_eval_ethertype_name(et) ?: "meta protocol");
	default:
		return 0;
	}
}
