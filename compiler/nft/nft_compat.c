// SPDX-License-Identifier: GPL-2.0-only
/*
 * Matches nf_tables has no native expression for, run as the kernel's
 * xtables matches through nft_compat as iptables-nft does: tcp option,
 * owner, multiport.
 * nft_match.c keeps the field table and the match dispatch that calls these.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <linux/if_arp.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter/x_tables.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <linux/netfilter/xt_owner.h>
#include <linux/netfilter/xt_multiport.h>

#include "nft_int.h"
#include "compiler/front/view.h"
#include "compiler/front/tunnel.h"
#include "compiler/front/rawpay.h"
#include "nft_match_int.h"

/* nf_tables' compat match running the kernel's xtables match name at
 * revision rev on info (size bytes, copied: libnftnl keeps and frees its
 * buffer); proto, when not 0, is the transport protocol the rule says
 * to the compat layer, as iptables-nft says it. */
static int compat_match(struct bw_nft_rctx *x, const char *name, uint32_t rev,
			const void *info, size_t size, uint32_t proto)
{
	struct nftnl_expr *e = bw_nft_expr(x, "match");
	uint8_t *buf = calloc(1, XT_ALIGN(size));

	if (!e || !buf) {
		free(buf);
		return -ENOMEM;
	}
	memcpy(buf, info, size);
	nftnl_expr_set_str(e, NFTNL_EXPR_MT_NAME, name);
	nftnl_expr_set_u32(e, NFTNL_EXPR_MT_REV, rev);
	nftnl_expr_set(e, NFTNL_EXPR_MT_INFO, buf, XT_ALIGN(size));
	if (proto) {
		nftnl_rule_set_u32(x->r, NFTNL_RULE_COMPAT_PROTO, proto);
		nftnl_rule_set_u32(x->r, NFTNL_RULE_COMPAT_FLAGS, 0);
	}
	return 0;
}

/*
 * iptables' --tcp-option K (BW_F_XT_TCPOPT): nf_tables' compat match,
 * which runs the kernel's own xt_tcpudp (iptables-nft makes the same):
 * struct xt_tcp with every port, the option, its inversion; the rule
 * says TCP to the compat layer.  Only ip and ip6 tables have xtables
 * matches.
 */
int bw_nft_xt_tcp_option(struct bw_nft_rctx *x, const struct bw_ir_match *m)
{
	struct xt_tcp t = { .spts = { 0, 0xffff }, .dpts = { 0, 0xffff } };

	if (x->fam != BW_FAMILY_IP && x->fam != BW_FAMILY_IP6)
		return bw_nft_error(x->b, &m->loc, "tcp xt-option (iptables' --tcp-option) is an xtables match: only in ip and ip6 tables");
	if (m->nelem != 1 || m->elem[0].lo[0] != m->elem[0].hi[0] ||
	    m->elem[0].mask[0] != 0xff || !m->elem[0].lo[0])
		return bw_nft_error(x->b, &m->loc, "tcp xt-option takes one kind, 1 to 255");
	t.option = m->elem[0].lo[0];
	t.invflags = m->neg ? XT_TCP_INV_OPTION : 0;
	return compat_match(x, "tcp", 0, &t, sizeof(t), IPPROTO_TCP);
}

/*
 * iptables' -m owner tests (BW_F_XT_SKUID, ...): each the kernel's
 * xt_owner (revision 1) through the compat match, alone; an id range
 * or the socket test, != the test's inversion.
 */
int bw_nft_xt_owner(struct bw_nft_rctx *x, const struct bw_ir_match *m)
{
	struct xt_owner_match_info o = { 0 };
	uint32_t lo = 0, hi = 0;
	uint8_t flag;

	if (x->fam != BW_FAMILY_IP && x->fam != BW_FAMILY_IP6)
		return bw_nft_error(x->b, &m->loc, "meta %s (iptables' -m owner) is an xtables match: only in ip and ip6 tables",
				    bw_field(m->field)->name);
	if (m->nelem != 1)
		return bw_nft_error(x->b, &m->loc, "meta %s takes one value or range",
				    bw_field(m->field)->name);
	if (m->field != BW_F_XT_SOCKET) {	/* the IR's bytes: big endian */
		memcpy(&lo, m->elem[0].lo, 4);
		memcpy(&hi, m->elem[0].hi, 4);
		lo = ntohl(lo);
		hi = ntohl(hi);
	} else if (m->elem[0].lo[0] != 1 || m->elem[0].hi[0] != 1) {
		return bw_nft_error(x->b, &m->loc, "meta xt-socket is 1 (!= 1: no socket)");
	}
	switch (m->field) {
	case BW_F_XT_SKUID:
		flag = XT_OWNER_UID;
		o.uid_min = lo;
		o.uid_max = hi;
		break;
	case BW_F_XT_SKGID_SUPPL:
		o.match = XT_OWNER_SUPPL_GROUPS;
		/* fall through */
	case BW_F_XT_SKGID:
		flag = XT_OWNER_GID;
		o.gid_min = lo;
		o.gid_max = hi;
		break;
	default:
		flag = XT_OWNER_SOCKET;
		break;
	}
	o.match |= flag;
	o.invert = m->neg ? flag : 0;
	return compat_match(x, "owner", 1, &o, sizeof(o), 0);
}

/*
 * iptables' -m multiport --ports P (BW_F_XT_TCP_PORTS, ...): the
 * kernel's xt_multiport (revision 1) through the compat match, the
 * source or the destination port in P; a range takes two of the 15.
 */
int bw_nft_xt_multiport(struct bw_nft_rctx *x, const struct bw_ir_match *m)
{
	struct xt_multiport_v1 mp = { .flags = XT_MULTIPORT_EITHER, .invert = m->neg };

	if (x->fam != BW_FAMILY_IP && x->fam != BW_FAMILY_IP6)
		return bw_nft_error(x->b, &m->loc, "xt-ports (iptables' multiport --ports) is an xtables match: only in ip and ip6 tables");
	for (uint32_t i = 0; i < m->nelem; i++) {
		uint16_t lo = (uint16_t)(m->elem[i].lo[0] << 8 | m->elem[i].lo[1]);
		uint16_t hi = (uint16_t)(m->elem[i].hi[0] << 8 | m->elem[i].hi[1]);

		if (mp.count + (lo != hi) >= XT_MULTI_PORTS)
			return bw_nft_error(x->b, &m->loc, "xt-ports takes at most 15 ports (a range counts two)");
		mp.ports[mp.count] = lo;
		if (lo != hi) {
			mp.pflags[mp.count++] = 1;
			mp.ports[mp.count] = hi;
		}
		mp.count++;
	}
	return compat_match(x, "multiport", 1, &mp, sizeof(mp),
			    bw_field(m->field)->need_l4proto);
}
