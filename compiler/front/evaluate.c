// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evaluate: the AST of a rule file -> the IR of ir.h.  Looks fields up,
 * rejects what a rule contradicts (`tcp dport 22 udp sport 53`) and what
 * bpfwall cannot attach, checks tables, chains, hooks, priorities and
 * defines, each error with a caret under the offending text (values:
 * value.c).  Keeps going after an error so one run reports several, and
 * drives the printer (ir->text).
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

/* ---- fields and protocol dependencies ---- */

/* nft fields bpfwall does not have yet: a clear error, not "unknown". */
static const char *const nft_known[] = {
	"meta nftrace", "meta secmark", "socket cgroupv2",
};

static const char *const nft_protos[] = {
	"ct", "vlan", "arp", "sctp", "dccp", "th", "ah", "esp", "comp",
	"udplite", "rt", "fib", "socket", "osf", "ipsec", "dst", "frag",
	"hbh", "mh", "srh", "exthdr", "numgen", "jhash", "symhash", "ether",
};

/* Fields a table family cannot read, as nft refuses them: the arp
 * header outside the arp and bridge families, the bridge keys outside
 * the bridge family, anything but the ARP header and the meta keys in
 * the arp family, conntrack in either (this kernel's nf_tables tracks
 * no bridged frames; ARP has no connections). */
static const struct bw_field *family_field(struct bw_eval *ev,
					   const struct bw_ast_stmt *m,
					   const struct bw_field *f)
{
	struct bw_loc lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
	const char *fam = bw_family_name(ev->family);
	bool arp_fam = ev->family == BW_FAMILY_ARP;
	bool ethertype = f->id == BW_F_ETHER_TYPE || f->id == BW_F_VLAN_TYPE;

	if (ev->any_family)
		return f;

	if (f->need_ethertype && !arp_fam && ev->family != BW_FAMILY_BRIDGE &&
	    ev->family != BW_FAMILY_NETDEV) {
		bw_eval_error(ev, &lhs, "%s %s is only available in the arp, bridge and netdev families (here: %s)",
			      f->proto, f->name, fam);
		return NULL;
	}
	if ((f->id == BW_F_META_IBRNAME || f->id == BW_F_META_OBRNAME ||
	     f->id == BW_F_META_IBRPVID || f->id == BW_F_META_IBRVPROTO) &&
	    ev->family != BW_FAMILY_BRIDGE) {
		bw_eval_error(ev, &lhs, "meta %s is only available in the bridge family (here: %s)",
			      f->name, fam);
		return NULL;
	}
	if ((f->id == BW_F_TUNNEL_PATH || f->id == BW_F_TUNNEL_ID) &&
	    ev->family != BW_FAMILY_NETDEV) {	/* the kernel's nft_tunnel */
		bw_eval_error(ev, &lhs, "tunnel %s is only available in the netdev family (here: %s)",
			      f->name, fam);
		return NULL;
	}
	if (f->id == BW_F_CT_STATE && (arp_fam || ev->family == BW_FAMILY_BRIDGE)) {
		bw_eval_error(ev, &lhs, "ct state is not available in the %s family (no connection tracking there)",
			      fam);
		return NULL;
	}
	/* (a VLAN tag's fields: nft reads the link-layer header there too) */
	if (arp_fam && !f->need_ethertype && strcmp(f->proto, "meta") &&
	    !((f->need_flags & BW_VIEW_VLAN) && !f->tun_layer)) {
		bw_eval_error(ev, &lhs, "conflicting protocols specified: arp vs. %s (an arp table sees ARP packets only)",
			      ethertype ? "ether" : f->proto);
		return NULL;
	}
	/* (meta l4proto is nft's, 0 there: an ARP packet has no transport) */
	if (arp_fam && f->id == BW_F_META_NFPROTO) {
		bw_eval_error(ev, &lhs, "meta %s is not available in the arp family", f->name);
		return NULL;
	}
	return f;
}

/* Can a base chain at hook h read fib or osf field f?  As the kernel's
 * nft_fib_validate: a route by the input interface, an output
 * interface, only where there is one to come in on; by the output
 * interface, only where one is chosen; osf where packets come in. */
static bool fib_hook_ok(const struct bw_field *f, enum bw_chain_hook h)
{
	bool in = h == BW_CHAIN_PREROUTING || h == BW_CHAIN_INPUT ||
		  h == BW_CHAIN_FORWARD;
	bool out = h == BW_CHAIN_OUTPUT || h == BW_CHAIN_POSTROUTING ||
		   h == BW_CHAIN_FORWARD;

	if (h == BW_CHAIN_NONE || f->id == BW_F_FIB_SADDR_TYPE ||
	    f->id == BW_F_FIB_DADDR_TYPE)
		return true;	/* a user chain: where it is reached decides */
	if (!strcmp(f->proto, "osf"))	/* nft_osf: a SYN coming in */
		return in;
	if (f->id == BW_F_FIB_SADDR_OIF_TYPE || f->id == BW_F_FIB_DADDR_OIF_TYPE ||
	    f->id == BW_F_RT_MTU)	/* nft_rt_validate: a route out */
		return out;
	return in;
}

/* fib ... oif exists|missing: the oif field's twin that nf_tables fills
 * with whether there is a route (NFTA_FIB_F_PRESENT). */
static const struct bw_field *fib_present(const struct bw_field *f,
					  const struct bw_ast_stmt *m)
{
	const struct bw_ast_expr *r = m->rhs;

	if (f->id < BW_F_FIB_SADDR_OIF || f->id > BW_F_FIB_DADDR_IIF_OIF ||
	    !r || r->kind != BW_AE_SYMBOL ||
	    (strcmp(r->text, "exists") && strcmp(r->text, "missing")))
		return f;
	return bw_field(f->id - BW_F_FIB_SADDR_OIF + BW_F_FIB_SADDR_OIF_PRESENT);
}

/* sctp chunk TYPE [FIELD] that names no chunk field: which word. */
static const struct bw_field *chunk_error(struct bw_eval *ev,
					  const struct bw_ast_stmt *m)
{
	const char *type = m->field + 6, *sp = strchr(type, ' ');
	size_t tlen = sp ? (size_t)(sp - type) : strlen(type);
	struct bw_loc l = m->field_loc;
	char name[32], list[256];
	int t;

	snprintf(name, sizeof(name), "%.*s", (int)(tlen < 31 ? tlen : 31), type);
	t = bw_sctp_chunk_type(name);
	if (l.line == l.end_line) {
		l.col += 6;
		if (t >= 0 && sp)
			l.col += (uint32_t)tlen + 1;
		l.end_col = t >= 0 && sp ? l.col + (uint32_t)strlen(sp + 1) - 1 :
			    l.col + (uint32_t)tlen - 1;
	}
	if (t < 0) {
		bw_eval_error(ev, &l, "unknown sctp chunk type \"%s\" (data, init, init-ack, sack, heartbeat, heartbeat-ack, abort, shutdown, shutdown-ack, error, cookie-echo, cookie-ack, ecne, cwr, shutdown-complete, asconf-ack, forward-tsn, asconf)",
			      name);
		return NULL;
	}
	bw_sctp_chunk_fields((uint8_t)t, list, sizeof(list));
	bw_eval_error(ev, &l, "sctp chunk %s has no field \"%s\" (%s)", name,
		      sp ? sp + 1 : "", list);
	return NULL;
}

/* @BASE,OFFSET,LENGTH (rawpay.h): the row of its width. */
static const struct bw_field *raw_field(struct bw_eval *ev,
					const struct bw_ast_stmt *m)
{
	struct bw_rawpay r;
	enum bw_raw_err e = bw_rawpay_parse(m->proto, m->field, &r);

	if (e) {
		bw_eval_error(ev, &m->proto_loc, "%s", bw_rawpay_strerror(e));
		return NULL;
	}
	if (r.base == BW_RAW_LL && (ev->family == BW_FAMILY_IP || ev->family == BW_FAMILY_IP6 ||
				    ev->family == BW_FAMILY_INET))
		return bw_field(bw_rawpay_field_kernel(r.len));	/* nf_tables */
	if (r.base == BW_RAW_LL && !ev->netdev && ev->family != BW_FAMILY_BRIDGE) {
		bw_eval_error(ev, &m->proto_loc, "@ll is not supported in %s tables: bpfwall runs their chains at the netfilter hooks, where the packet starts at the network header (use a netdev table)",
			      bw_family_name(ev->family));
		return NULL;
	}
	return bw_field(bw_rawpay_field(r.len));
}

const struct bw_field *bw_eval_field(struct bw_eval *ev,
				     const struct bw_ast_stmt *m)
{
	unsigned slot = (unsigned)(((uintptr_t)m->proto >> 4) ^
				   ((uintptr_t)m->field >> 3)) % 16;
	const struct bw_field *f;
	struct bw_loc lhs;
	char both[128];
	bool ours = false;

	if (bw_rawpay_is(m->proto, m->field))
		return raw_field(ev, m);
	if (ev->cache[slot].proto == m->proto && ev->cache[slot].name == m->field)
		f = ev->cache[slot].f;
	else if ((f = bw_field_find(m->proto, m->field))) {
		ev->cache[slot].proto = m->proto;
		ev->cache[slot].name = m->field;
		ev->cache[slot].f = f;
	}
	/* nft's rt nexthop in an ip6 table: IPv6's (rt ip6 nexthop) */
	if (f && f->id == BW_F_RT_NEXTHOP4 && !strcmp(m->field, "nexthop") &&
	    ev->family == BW_FAMILY_IP6)
		f = bw_field(BW_F_RT_NEXTHOP6);
	if (f && f->id == BW_F_META_PKTLEN && ev->frame_len)
		return bw_field(BW_F_META_FRAMELEN);
	if (f && f->id == BW_F_META_PKTLEN && ev->ip_len)
		return bw_field(BW_F_META_IPLEN);
	if (f && f->id == BW_F_META_CPU && ev->netdev)	/* BPF reads it */
		return bw_field(BW_F_META_CPU_BPF);
	/* a netdev chain that reads one of these goes to nf_tables'
	 * netdev family (nfnetdev.h); the others nft has no netdev form of */
	if (f && f->src == BW_FS_KERNEL && ev->netdev) {
		lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
		if (!bw_nfnetdev_field(f->id) || !bw_nfnetdev_mark(ev, &lhs)) {
			bw_eval_error(ev, &lhs, "%s %s is read by the kernel's nf_tables, and bpfwall does not hand a netdev chain that reads it to nf_tables' netdev family: use an inet, ip or ip6 table",
				      f->proto, f->name);
			return NULL;
		}
	}
	if (f && f->id == BW_F_CT_STATE && ev->netdev) {
		/* the kernel tracks after the ingress hook: nft refuses it */
		lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
		bw_eval_error(ev, &lhs, "ct state is not available in netdev tables (as in nft): use an inet, ip or ip6 table, whose input and output chains bpfwall also runs at XDP and TC");
		return NULL;
	}
	if (f && (!strcmp(f->proto, "fib") || !strcmp(f->proto, "osf") ||
		  f->id == BW_F_RT_MTU) && !fib_hook_ok(f, ev->hook)) {
		lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
		bw_eval_error(ev, &lhs, "%s %s is not valid at hook %s (the kernel refuses it there)",
			      f->proto, f->name, bw_chain_hook_name(ev->hook));
		return NULL;
	}
	if (f && bw_xfrm_is(f->id) && !bw_xfrm_check(ev, m, f))
		return NULL;
	if (f)
		return family_field(ev, m, fib_present(f, m));
	if (!strcmp(m->proto, "sctp") && !strncmp(m->field, "chunk ", 6))
		return chunk_error(ev, m);
	if (bw_tunnel_kind(m->proto) != BW_TUN_NONE && !strchr(m->proto, ' ')) {
		enum bw_tunnel t = bw_tunnel_kind(m->proto);

		bw_eval_error(ev, &m->field_loc, "unknown %s field \"%s\" (%s, or a header inside it: %s)",
			      m->proto, m->field,
			      t == BW_TUN_GRE ? "flags, version, protocol" :
			      t == BW_TUN_GRETAP ? "gretap has no field of its own" : "vni",
			      t == BW_TUN_GRE ? "ip, ip6, tcp, udp, icmp, icmpv6" :
			      "ether, vlan, ip, ip6, tcp, udp, icmp, icmpv6");
		return NULL;
	}
	if (bw_tunnel_kind(m->proto) != BW_TUN_NONE && strchr(m->proto, ' ')) {
		bw_eval_error(ev, &m->field_loc, "unknown field \"%s\" inside %s (tunnel fields: ether daddr, saddr, type; vlan id; ip dscp, length, ttl, protocol, saddr, daddr; ip6 nexthdr, hoplimit, saddr, daddr; tcp sport, dport, flags; udp sport, dport; icmp type, code; icmpv6 type, code)",
			      m->field, m->proto);
		return NULL;
	}
	if (!strcmp(m->proto, "ipsec"))
		return bw_xfrm_field_error(ev, m);
	lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
	if (!strcmp(m->proto, "fib")) {
		if (strstr(m->field, "saddr") && strstr(m->field, "daddr"))
			bw_eval_error(ev, &lhs, "fib: saddr and daddr are mutually exclusive");
		else if (strstr(m->field, "iif .") && strstr(m->field, "oif ."))
			bw_eval_error(ev, &lhs, "fib: iif and oif are mutually exclusive");
		else if (strstr(m->field, ". mark"))
			bw_eval_error(ev, &lhs, "fib with mark is not supported yet");
		else
			bw_eval_error(ev, &lhs, "unknown fib expression \"fib %s\" (saddr or daddr, then . iif or . oif, then type, oif, oifname or check)",
				      m->field);
		return NULL;
	}
	if (!strcmp(m->proto, "tcp") && !strncmp(m->field, "option ", 7)) {
		const char *kind = m->field + 7, *sp = strchr(kind, ' ');
		uint16_t ooff;
		uint8_t okind, olen;
		int rc = bw_tcpopt_any(m->field, &okind, &ooff, &olen);

		/* any kind: exists|missing, or nft's raw @K,OFFSET,LENGTH */
		if (!rc)
			return family_field(ev, m, bw_field(!olen ? BW_F_TCPOPT_KIND :
					    olen == 8 ? BW_F_TCPOPT_RAW8 :
					    olen == 16 ? BW_F_TCPOPT_RAW16 : BW_F_TCPOPT_RAW32));
		if (rc == -ERANGE && kind[0] == '@') {
			bw_eval_error(ev, &lhs, "tcp option %s: bpfwall reads a raw option field of whole bytes (an offset of whole bytes, a length of 8, 16 or 32 bits) of a kind 0 to 255",
				      kind);
			return NULL;
		}
		unsigned long k = strtoul(kind, NULL, 10);
		unsigned kn;
		int n = sp ? (int)(sp - kind) : (int)strlen(kind);
		bool num = kind[0] >= '0' && kind[0] <= '9';

		if (num && k > 255)
			bw_eval_error(ev, &lhs, "tcp option %.*s: a kind is 0 to 255", n, kind);
		else if ((num && !bw_tcpopt_kind_name((unsigned)k)) ||
			 (!num && snprintf(both, sizeof(both), "%.*s", n, kind) > 0 &&
			  bw_tcpopt_kind(both, &kn)))
			bw_eval_error(ev, &lhs, "unknown tcp option \"%.*s\": a kind is a number 0 to 255 or one nft names (eol, nop, maxseg, window, sack-perm, sack, timestamp, md5sig, mptcp, fastopen)", n, kind);
		else
			bw_eval_error(ev, &lhs, "tcp option %.*s has no field \"%s\"",
				      n, kind, sp ? sp + 1 : "");
		return NULL;
	}
	snprintf(both, sizeof(both), "%s %s", m->proto, m->field);
	for (size_t i = 0; i < sizeof(nft_known) / sizeof(nft_known[0]); i++)
		if (!strcmp(both, nft_known[i])) {
			bw_eval_error(ev, &lhs, "%s is not supported yet", both);
			return NULL;
		}
	for (int i = 0; i < BW_F__MAX; i++)
		if (!strcmp(bw_fields[i].proto, m->proto))
			ours = true;
	if (ours) {
		bw_eval_error(ev, &m->field_loc, "unknown %s field \"%s\"", m->proto,
		     m->field);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(nft_protos) / sizeof(nft_protos[0]); i++)
		if (!strcmp(m->proto, nft_protos[i])) {
			bw_eval_error(ev, &lhs, "%s is not supported yet", both);
			return NULL;
		}
	bw_eval_error(ev, &m->proto_loc, "unknown protocol or statement \"%s\"",
	     m->proto);
	return NULL;
}

/* ---- rules, chains, tables ---- */

static int parse_u64(struct bw_eval *ev, const struct bw_ast_expr *e,
		     uint64_t *v)
{
	if (bw_eval_number(e->text, v))
		return bw_eval_error(ev, &e->loc, "Value %s exceeds valid range 0-%" PRIu64,
			    e->text, UINT64_MAX);
	return 0;
}

static void *grow(void *p, uint32_t n, uint32_t *cap, size_t size)
{
	uint32_t c;

	if (n < *cap)
		return p;
	c = *cap ? *cap * 2 : 8;
	p = reallocarray(p, c, size);
	if (p)
		*cap = c;
	return p;
}

/* Resolved at the end of the table (chains may be defined later). */
static void add_jump(struct ctx *cx, const struct bw_ir_chain *ch,
		     const struct bw_ast_stmt *s)
{
	struct bw_ast_expr *name = bw_arena_alloc(cx->arena, sizeof(*name));
	struct bw_pending_target t = {
		.chain = (uint32_t)(ch - cx->ir->chain),
		.rule = ch->nrule - 1,
		.set = UINT32_MAX,
		.name = name,
		.what = bw_ast_verdict_str(s->verdict),
	};

	if (!name) {
		cx->oom = true;
		return;
	}
	name->kind = BW_AE_SYMBOL;
	name->text = s->target;
	name->loc = s->target_loc;
	bw_eval_pending(&cx->ev, &t);
}

/* Append a statement to r (after its leading matches). */
static void add_stmt(struct ctx *cx, struct bw_ir_rule *r, enum bw_stmt_kind k,
		     uint32_t index, const struct bw_loc *loc)
{
	struct bw_ir_stmt *v = reallocarray(r->stmt, r->nstmt + 1, sizeof(*v));

	if (!v) {
		cx->oom = true;
		return;
	}
	r->stmt = v;
	v[r->nstmt++] = (struct bw_ir_stmt){ .kind = k, .index = index,
					      .loc = *loc };
}

/* A match of r: a leading one, or, after a statement, one in order. */
static void place_match(struct ctx *cx, struct bw_ir_rule *r, bool stmts,
			const struct bw_loc *loc)
{
	if (stmts)
		add_stmt(cx, r, BW_STMT_MATCH, r->nmatch - 1, loc);
	else
		r->nlead++;
}

/* nft's implicit `icmp type T` of a field of one ICMP type (icmp mtu):
 * into *out (room the caller made for an icmp or icmpv6 match); 1 when
 * written, 0 when none is needed (the rule has said so already). */
/* icmpv6 taddr without a type: nft's dependency, the types that have
 * a target address (MLD query, report, done; neighbor solicitation,
 * advertisement; redirect) */
static int taddr_dep(struct bw_eval *ev, struct bw_proto_state *ps,
		     const struct bw_ir_match *m, struct bw_ir_match *out)
{
	static const uint8_t types[] = { 130, 131, 132, 135, 136, 137 };

	memset(out, 0, sizeof(*out));
	out->field = BW_F_ICMP6_TYPE;
	out->loc = m->loc;
	out->elem = calloc(sizeof(types), sizeof(*out->elem));
	if (!out->elem) {
		ev->oom = true;
		return -ENOMEM;
	}
	out->nelem = sizeof(types);
	for (size_t i = 0; i < sizeof(types); i++) {
		out->elem[i].lo[0] = out->elem[i].hi[0] = types[i];
		out->elem[i].mask[0] = 0xff;
	}
	ps->icmp_type = 0x100 | 137;
	return 1;
}

static int icmp_dep(struct bw_eval *ev, struct bw_proto_state *ps,
		    const struct bw_ir_match *m, struct bw_ir_match *out)
{
	const struct bw_field *f = bw_field(m->field);

	if (!m->lookup && f->id == BW_F_ICMP6_TADDR && !ps->icmp_type)
		return taddr_dep(ev, ps, m, out);
	if (m->lookup || !f->icmp_type ||
	    ps->icmp_type == (uint16_t)(0x100 | f->icmp_type))
		return 0;
	memset(out, 0, sizeof(*out));
	out->field = f->need_l3 == 6 ? BW_F_ICMP6_TYPE : BW_F_ICMP_TYPE;
	out->loc = m->loc;
	out->elem = calloc(1, sizeof(*out->elem));
	if (!out->elem) {
		ev->oom = true;
		return -ENOMEM;
	}
	out->nelem = 1;
	out->elem->lo[0] = out->elem->hi[0] = f->icmp_type;
	out->elem->mask[0] = 0xff;
	ps->icmp_type = (uint16_t)(0x100 | f->icmp_type);
	return 1;
}

/* The dependency just written after the last match goes in front of
 * it (nft's order), one match more. */
static void dep_first(struct ctx *cx, struct bw_ir_rule *r, bool stmts,
		      const struct bw_loc *loc)
{
	struct bw_ir_match t = r->match[r->nmatch];

	r->match[r->nmatch] = r->match[r->nmatch - 1];
	r->match[r->nmatch - 1] = t;
	r->nmatch++;
	place_match(cx, r, stmts, loc);
}

/* The defines statement s names expand within bounds (bw_eval_expand)? */
static int stmt_expand(struct bw_eval *ev, const struct bw_ast_stmt *s,
		       const struct bw_sym *scope)
{
	switch (s->kind) {
	case BW_AS_MATCH:
		if (bw_eval_expand(ev, s->mask, scope))
			return -EINVAL;
		return bw_eval_expand(ev, s->rhs, scope);
	case BW_AS_REJECT:
		return bw_eval_expand(ev, s->rej_code, scope);
	case BW_AS_SETF:
		return bw_eval_expand(ev, s->setf_value, scope);
	default:
		return 0;
	}
}

/*
 * Statement s follows a vmap (after is "vmap"): nft runs it when the
 * element's verdict is continue.  Statements that do something and
 * matches may come there, one after another; a verdict may not (the
 * rule has one, the vmap's).  True when s may come.
 */
static bool vmap_then(const struct bw_ast_stmt *s, const char *after)
{
	if (strcmp(after, "vmap"))
		return false;
	switch (s->kind) {
	case BW_AS_MATCH:
		return !s->vmap;
	case BW_AS_COUNTER:
	case BW_AS_LOG:
	case BW_AS_LIMIT:
	case BW_AS_QUOTA:
	case BW_AS_SETF:
	case BW_AS_NOTRACK:
	case BW_AS_OBJREF:
	case BW_AS_LAST:
	case BW_AS_DYNSET:
		return true;
	default:
		return false;
	}
}

static void rule(struct ctx *cx, struct bw_ir_chain *ch, uint32_t *cap_rule,
		 const struct bw_ast_item *it, const struct bw_sym *scope)
{
	struct bw_eval *ev = &cx->ev;
	const char *after = NULL;	/* the verdict seen */
	struct bw_proto_state ps;
	struct bw_ir_rule *r, *rules;
	uint32_t nmatch = 0, idx, vpos = UINT32_MAX;
	uint8_t l3;			/* the network layer before a match */
	bool stmts = false, dep;	/* a statement other than a match seen */

	rules = grow(ch->rule, ch->nrule, cap_rule, sizeof(*rules));
	if (!rules) {
		cx->oom = true;
		return;
	}
	ch->rule = rules;
	r = &ch->rule[ch->nrule++];
	memset(r, 0, sizeof(*r));
	r->handle = ++cx->handle;
	r->loc = it->loc;
	for (const struct bw_ast_stmt *s = it->stmts; s; s = s->next)
		nmatch += ((s->kind == BW_AS_MATCH && !s->vmap) || s->kind == BW_AS_REJECT) +
			  /* room for an implicit icmp type (icmp_dep) */
			  (s->kind == BW_AS_MATCH && !s->vmap && s->proto &&
			   !strncmp(s->proto, "icmp", 4)) +
			  /* and for an implicit ether type and vlan type
			   * (vlan_dep, vlan_l3_dep) */
			  2 * (s->kind == BW_AS_MATCH && !s->vmap) +
			  (s->kind == BW_AS_SETF);
	if (nmatch && !(r->match = calloc(nmatch, sizeof(*r->match)))) {
		cx->oom = true;
		return;
	}
	bw_proto_init(&ps, ch->family, false);
	for (const struct bw_ast_stmt *s = it->stmts; s; s = s->next) {
		if (after && vmap_then(s, after)) {
			/* run on an element's continue (rule->nafter) */
			after = NULL;
			vpos = r->nstmt;
			stmts = true;
		} else if ((vpos != UINT32_MAX || (after && !strcmp(after, "vmap"))) &&
			   (s->kind == BW_AS_NAT || s->kind == BW_AS_QUEUE)) {
			/* nf_tables runs it after an element's continue */
			if (vpos == UINT32_MAX)
				vpos = r->nstmt;
			r->vmap_then = true;
			after = NULL;
		} else if ((vpos != UINT32_MAX || (after && !strcmp(after, "vmap"))) &&
			   !vmap_then(s, "vmap")) {
			bw_eval_error(ev, &s->loc, "a verdict after a vmap is not supported (the rule's verdict is its element's)");
			after = NULL;
			continue;
		}
		if (after) {
			bw_eval_error(ev, &s->loc, "statement after %s has no effect",
				      after);
			after = NULL;
		}
		if (stmt_expand(ev, s, scope))
			continue;	/* not expanded, nor evaluated */
		switch (s->kind) {
		case BW_AS_MATCH:
			if (s->vmap) {
				after = "vmap";
				r->verdict = BW_VERDICT_VMAP;
				r->verdict_loc = s->loc;
				r->vmap.set = UINT32_MAX;
				if (!bw_eval_lookup(ev, &ps, s, scope, &r->vmap))
					bw_xfrm_match_spnum(ev, s, &r->vmap);
				break;
			}
			l3 = ps.l3;
			if (!bw_vlan_inner(ev, &ps, s, scope, &r->match[r->nmatch]))
				bw_eval_match(ev, &ps, s, scope, &r->match[r->nmatch]);
			r->nmatch++;
			place_match(cx, r, stmts, &s->loc);
			if (icmp_dep(ev, &ps, &r->match[r->nmatch - 1],
				     &r->match[r->nmatch]) > 0) {
				/* the type test first, as nft has it */
				struct bw_ir_match t = r->match[r->nmatch];

				r->match[r->nmatch] = r->match[r->nmatch - 1];
				r->match[r->nmatch - 1] = t;
				r->nmatch++;
				place_match(cx, r, stmts, &s->loc);
			}
			/* nft's ether type 8021q, vlan type ip: in front */
			if (bw_vlan_dep(ev, &ps, &r->match[r->nmatch - 1],
					&r->match[r->nmatch]) > 0)
				dep_first(cx, r, stmts, &s->loc);
			if (bw_vlan_l3_dep(ev, &ps, l3, &r->match[r->nmatch - 1],
					   &r->match[r->nmatch]) > 0)
				dep_first(cx, r, stmts, &s->loc);
			break;
		case BW_AS_COUNTER:
			if (r->counter) {
				bw_eval_error(ev, &s->loc, "only one counter per rule");
				break;
			}
			r->counter = true;
			if (s->packets && !parse_u64(ev, s->packets, &r->counter_packets))
				parse_u64(ev, s->bytes, &r->counter_bytes);
			add_stmt(cx, r, BW_STMT_COUNTER, 0, &s->loc);
			stmts = true;
			break;
		case BW_AS_LOG:
			if (!bw_eval_log(ev, s, r->handle, &idx))
				add_stmt(cx, r, BW_STMT_LOG, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_LIMIT:
			if (!bw_eval_limit(ev, s, &idx))
				add_stmt(cx, r, BW_STMT_LIMIT, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_QUOTA:
			if (!bw_eval_quota(ev, s, &idx))
				add_stmt(cx, r, BW_STMT_QUOTA, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_REJECT:
			after = "reject";
			r->verdict = BW_VERDICT_REJECT;
			r->verdict_loc = s->loc;
			if (bw_eval_reject(ev, &ps, s, ch->family, &r->reject,
					   &r->match[r->nmatch], &dep) || !dep)
				break;
			r->nmatch++;
			place_match(cx, r, stmts, &s->loc);
			break;
		case BW_AS_VERDICT:
			after = bw_ast_verdict_str(s->verdict);
			r->verdict_loc = s->loc;
			switch (s->verdict) {
			case BW_AV_ACCEPT:
				r->verdict = BW_VERDICT_ACCEPT;
				break;
			case BW_AV_DROP:
				r->verdict = BW_VERDICT_DROP;
				break;
			case BW_AV_RETURN:
				r->verdict = BW_VERDICT_RETURN;
				break;
			case BW_AV_CONTINUE:
				r->verdict = BW_VERDICT_CONTINUE;
				break;
			case BW_AV_JUMP:
			case BW_AV_GOTO:
				r->verdict = s->verdict == BW_AV_JUMP ?
					     BW_VERDICT_JUMP : BW_VERDICT_GOTO;
				add_jump(cx, ch, s);
				break;
			}
			break;
		case BW_AS_UNSUPPORTED:
			bw_eval_error(ev, &s->loc, "the %s statement is not supported yet",
			     s->what);
			break;
		case BW_AS_SETF:
		case BW_AS_NOTRACK:
			/* a packet header field: hdrset.c */
			if (s->kind == BW_AS_SETF && bw_hdrset_claims(s->setf)) {
				/* vlan id set 2: nft's ether type 8021q first */
				if (bw_vlan_setf_dep(ev, &ps, s, &r->match[r->nmatch]) > 0) {
					r->nmatch++;
					place_match(cx, r, stmts, &s->loc);
				}
				if (!bw_eval_hdrset(ev, &ps, s, ch, scope, &idx))
					add_stmt(cx, r, BW_STMT_HDRSET, idx, &s->loc);
				stmts = true;
				break;
			}
			if (!bw_eval_setf(ev, s, ch, scope, &idx))
				add_stmt(cx, r, s->kind == BW_AS_SETF ? BW_STMT_SETF :
					 BW_STMT_NOTRACK, s->kind == BW_AS_SETF ? idx : 0,
					 &s->loc);
			stmts = true;
			break;
		case BW_AS_QUEUE:
			after = "queue";
			r->verdict = BW_VERDICT_QUEUE;
			r->verdict_loc = s->loc;
			r->nat = UINT32_MAX;
			if (!bw_eval_queue(ev, s, ch, scope, &idx))
				r->nat = idx;
			break;
		case BW_AS_NAT:
			after = s->nat_kind;
			r->verdict = BW_VERDICT_NAT;
			r->verdict_loc = s->loc;
			r->nat = UINT32_MAX;
			if (!bw_eval_nat(ev, &ps, s, ch, scope, &idx))
				r->nat = idx;
			break;
		case BW_AS_OBJREF:
			if (!bw_eval_objref(ev, &ps, s, ch, scope, &idx))
				add_stmt(cx, r, BW_STMT_OBJREF, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_LAST:
			if (!bw_eval_last(ev, s, ch, &idx))
				add_stmt(cx, r, BW_STMT_LAST, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_DYNSET:
			if (!bw_eval_dynset(ev, &ps, s, ch, scope, &idx) &&
			    !bw_dynset_rule_key(ev, r, idx))
				add_stmt(cx, r, BW_STMT_DYNSET, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_TPROXY:
			if (!bw_eval_tproxy(ev, &ps, s, ch, scope, &idx))
				add_stmt(cx, r, BW_STMT_TPROXY, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_SYNPROXY:
			if (!bw_eval_synproxy(ev, s, ch, &idx))
				add_stmt(cx, r, BW_STMT_SYNPROXY, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_DUP:
			if (ch->family == BW_FAMILY_NETDEV) {
				/* netdev's dup to "DEV" / KEY map: fwd.h's */
				struct bw_ast_stmt f;
				struct bw_ast_expr dev;

				bw_fwd_from_dup(s, &f, &dev);
				if (!bw_eval_fwd(ev, &f, ch, scope, &idx))
					add_stmt(cx, r, BW_STMT_FWD, idx, &s->loc);
			} else if (!bw_eval_dup(ev, s, ch, scope, &idx)) {
				add_stmt(cx, r, BW_STMT_DUP, idx, &s->loc);
			}
			stmts = true;
			break;
		case BW_AS_FWD:
			if (!bw_eval_fwd(ev, s, ch, scope, &idx))
				add_stmt(cx, r, BW_STMT_FWD, idx, &s->loc);
			stmts = true;
			break;
		case BW_AS_FLOW:
			if (!bw_eval_flow(ev, s, ch, &idx))
				add_stmt(cx, r, BW_STMT_FLOW, idx, &s->loc);
			stmts = true;
			break;
		}
	}
	if (vpos != UINT32_MAX)
		r->nafter = r->nstmt - vpos;
	/* Only a counter after the matches: the common shape, which needs
	 * no statement list (codegen's fast path, the optimizer's groups). */
	if (r->nstmt == 1 && r->stmt[0].kind == BW_STMT_COUNTER && !r->nafter) {
		free(r->stmt);
		r->stmt = NULL;
		r->nstmt = 0;
	}
	if (it->comment && strlen(it->comment) > 128)
		bw_eval_error(ev, &it->comment_loc, "comment too long (%zu bytes, at most 128)",
		     strlen(it->comment));
	if (!ev->nerrors)	/* else no text; nor a refused expansion */
		bw_print_rule_ir(&cx->text, it, scope, r->handle, cx->ir, r,
				 ch->family);
}

/* Adds a define to *scope (the caller restores it at its block's end). */
static void define(struct ctx *cx, const struct bw_sym **scope,
		   const struct bw_ast_item *it, struct bw_arena *arena);

static int devname_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* devices = { a, b, ... } of a netdev chain: checked, sorted (nft's
 * order), the first into ch->device, the rest into ch->more_dev. */
void bw_eval_chain_devices(struct ctx *cx, struct bw_ir_chain *ch,
			   const struct bw_ast_item *h)
{
	struct bw_eval *ev = &cx->ev;
	uint32_t n = 0;
	char (*v)[16];

	for (const struct bw_ast_expr *e = h->devices->elems; e; e = e->next)
		n++;
	v = calloc(n, sizeof(*v));
	if (!v) {
		cx->oom = true;
		return;
	}
	n = 0;
	for (const struct bw_ast_expr *e = h->devices->elems; e; e = e->next) {
		bool twice = false;

		if (!*e->text || strlen(e->text) >= sizeof(v[0]) || strchr(e->text, '/')) {
			bw_eval_error(ev, &e->loc, "invalid interface name \"%s\"", e->text);
			continue;
		}
		for (uint32_t i = 0; i < n; i++)
			twice |= !strcmp(v[i], e->text);
		if (twice) {
			bw_eval_error(ev, &e->loc, "device \"%s\" is given twice", e->text);
			continue;
		}
		strcpy(v[n++], e->text);
	}
	qsort(v, n, sizeof(*v), devname_cmp);
	if (n && !(ch->device = strdup(v[0])))
		cx->oom = true;
	if (n > 1) {
		memmove(v, v + 1, (n - 1) * sizeof(*v));
		ch->more_dev = v;
		ch->nmore_dev = n - 1;
	} else {
		free(v);
	}
}

static int check_vars(struct ctx *cx, const struct bw_ast_expr *e,
		      const struct bw_sym *scope)
{
	int rc = 0;

	for (; e; e = NULL) {
		if (e->kind == BW_AE_VAR && !bw_sym_find(scope, e->text))
			rc = bw_eval_error(&cx->ev, &e->loc, "unknown identifier '%s'",
				  e->text);
		if (e->left && check_vars(cx, e->left, scope))
			rc = -EINVAL;
		if (e->right && check_vars(cx, e->right, scope))
			rc = -EINVAL;
		for (const struct bw_ast_expr *c = e->elems; c; c = c->next)
			if (check_vars(cx, c, scope))
				rc = -EINVAL;
	}
	return rc;
}

static void define(struct ctx *cx, const struct bw_sym **scope,
		   const struct bw_ast_item *it, struct bw_arena *arena)
{
	struct bw_sym *s;

	/* as nft: also a name visible from an enclosing block */
	if (bw_sym_find(*scope, it->name)) {
		bw_eval_error(&cx->ev, &it->name_loc, "redefinition of symbol '%s'",
			      it->name);
		return;
	}
	check_vars(cx, it->value, *scope);
	s = bw_arena_alloc(arena, sizeof(*s));
	if (!s) {
		cx->oom = true;
		return;
	}
	s->name = it->name;
	s->def = it;
	s->scope = *scope;
	s->next = *scope;
	bw_sym_measure(s);
	*scope = s;
}

static void chain(struct ctx *cx, enum bw_family fam, const char *table,
		  const struct bw_ast_item *it, const struct bw_sym *scope,
		  struct bw_arena *arena, bool first)
{
	struct bw_eval *ev = &cx->ev;
	const struct bw_ast_item *hook = NULL, *policy = NULL, *comment = NULL;
	struct bw_ir_chain *ch, *chains;
	uint32_t cap_rule = 0, idx;

	chains = grow(cx->ir->chain, cx->ir->nchain, &cx->cap_chain,
		      sizeof(*chains));
	if (!chains) {
		cx->oom = true;
		return;
	}
	cx->ir->chain = chains;
	idx = cx->ir->nchain++;
	ch = &chains[idx];
	memset(ch, 0, sizeof(*ch));
	ch->family = fam;
	ch->loc = it->loc;
	ch->policy = BW_VERDICT_ACCEPT;
	if (!(ch->table = strdup(table)) || !(ch->name = strdup(it->name))) {
		cx->oom = true;
		return;
	}
	for (const struct bw_ast_item *x = it->items; x; x = x->next) {
		if (x->kind == BW_AI_HOOK) {
			if (hook)
				bw_eval_error(ev, &x->loc, "chain \"%s\" already has a hook", it->name);
			else
				bw_eval_hook_spec(cx, ch, hook = x);
		} else if (x->kind == BW_AI_POLICY) {
			if (policy)
				bw_eval_error(ev, &x->loc, "chain \"%s\" already has a policy", it->name);
			policy = x;
		} else if (x->kind == BW_AI_COMMENT) {
			/* kept in the text only, as a rule's: no effect */
			if (comment)
				bw_eval_error(ev, &x->loc, "chain \"%s\" already has a comment", it->name);
			else if (strlen(x->name) > 128)
				bw_eval_error(ev, &x->name_loc, "comment too long (%zu bytes, at most 128)",
					      strlen(x->name));
			comment = x;
		}
	}
	if (policy) {
		if (!hook)
			bw_eval_error(ev, &policy->loc, "policy is only valid in base chains (with a type ... hook ... line)");
		else if (!strcmp(policy->policy, "drop"))
			ch->policy = BW_VERDICT_DROP;
		else if (strcmp(policy->policy, "accept"))
			bw_eval_error(ev, &policy->policy_loc, "unknown policy \"%s\" (accept or drop)",
			     policy->policy);
	}
	bw_print_chain_open(&cx->text, ch, comment ? comment->name : NULL, first);
	ev->frame_len = ch->hook == BW_CHAIN_EGRESS;
	/* bridge, arp: skb->len from the network header, as netdev's */
	ev->ip_len = fam != BW_FAMILY_NETDEV && !bw_family_nft_only(fam);
	ev->netdev = fam == BW_FAMILY_NETDEV;
	ev->hook = ch->hook;
	ev->chain1 = idx + 1;
	for (const struct bw_ast_item *x = it->items; x; x = x->next) {
		if (x->kind == BW_AI_DEFINE) {
			define(cx, &scope, x, arena);
		} else if (x->kind == BW_AI_RULE) {
			/* the array may move: index again after each rule */
			rule(cx, &cx->ir->chain[idx], &cap_rule, x, scope);
			if (cx->oom)
				break;
		}
	}
	ev->chain1 = 0;
	if (cx->oom)
		return;
	bw_print_chain_close(&cx->text);
}

static int family(struct bw_eval *ev, const struct bw_ast_item *t,
		  enum bw_family *out)
{
	static const struct { const char *name; enum bw_family f; } fams[] = {
		{ "netdev", BW_FAMILY_NETDEV }, { "inet", BW_FAMILY_INET },
		{ "ip", BW_FAMILY_IP }, { "ip6", BW_FAMILY_IP6 },
		{ "bridge", BW_FAMILY_BRIDGE }, { "arp", BW_FAMILY_ARP },
	};

	*out = BW_FAMILY_IP;
	if (!t->family)
		return 0;
	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		if (!strcmp(t->family, fams[i].name)) {
			*out = fams[i].f;
			return 0;
		}
	return bw_eval_error(ev, &t->family_loc, "unknown table family \"%s\"", t->family);
}

/* The targets of the table's jumps and gotos (rules and map elements):
 * chains of the same table (chains first_chain.. of the IR), never a
 * base chain. */
static void resolve_jumps(struct ctx *cx, uint32_t first_chain)
{
	struct bw_eval *ev = &cx->ev;

	for (uint32_t i = 0; i < ev->npend && !cx->oom; i++) {
		const struct bw_pending_target *p = &ev->pend[i];
		const char *name = p->name->text;
		uint32_t t;

		for (t = first_chain; t < cx->ir->nchain; t++)
			if (!strcmp(cx->ir->chain[t].name, name))
				break;
		if (t == cx->ir->nchain) {
			bw_eval_error(ev, &p->name->loc, "unknown chain \"%s\" in table %s %s",
				      name, bw_family_name(ev->family), ev->table);
			continue;
		}
		if (cx->ir->chain[t].hook != BW_CHAIN_NONE) {
			bw_eval_error(ev, &p->name->loc,
				      "\"%s\" is a base chain: %s leads only to a chain without a hook",
				      name, p->what);
			continue;
		}
		if (p->set == UINT32_MAX)
			cx->ir->chain[p->chain].rule[p->rule].target = t;
		else if (p->elem == UINT32_MAX)	/* a map's catch-all */
			cx->ir->set[p->set].catchall.target = t;
		else
			cx->ir->set[p->set].elem[p->elem].target = t;
	}
	ev->npend = 0;
}

static void table(struct ctx *cx, const struct bw_ast_item *it,
		  const struct bw_sym *scope, struct bw_arena *arena)
{
	struct seen *tables;
	enum bw_family fam;
	bool first = true;
	uint32_t first_chain, nchains = 0;
	struct {
		const struct bw_ast_item *item;
		const struct bw_sym *scope;
	} *chains;

	if (family(&cx->ev, it, &fam))
		return;
	for (uint32_t i = 0; i < cx->ntables; i++)
		if (cx->tables[i].fam == fam &&
		    !strcmp(cx->tables[i].item->name, it->name)) {
			bw_eval_error(&cx->ev, &it->name_loc, "table %s %s is defined twice",
			     bw_family_name(fam), it->name);
			bw_diag(cx->ev.d, BW_DIAG_NOTE, &cx->tables[i].item->name_loc,
				"first defined here");
			return;
		}
	tables = grow(cx->tables, cx->ntables, &cx->cap_tables, sizeof(*tables));
	if (!tables) {
		cx->oom = true;
		return;
	}
	cx->tables = tables;
	tables[cx->ntables++] = (struct seen){ .item = it, .fam = fam };

	bw_print_table_open(&cx->text, fam, it->name);
	first_chain = cx->ir->nchain;
	cx->ev.table = it->name;
	cx->ev.family = fam;
	/* Defines and sets in order; chains after them all, each with the
	 * defines seen before it: a rule may name a set defined further
	 * down (as in nft), and sets are listed before chains. */
	for (const struct bw_ast_item *x = it->items; x && !cx->oom; x = x->next)
		nchains += x->kind == BW_AI_CHAIN;
	chains = calloc(nchains ? nchains : 1, sizeof(*chains));
	if (!chains) {
		cx->oom = true;
		return;
	}
	nchains = 0;
	/* named objects first: nft lists them before the sets */
	for (const struct bw_ast_item *x = it->items; x && !cx->oom; x = x->next)
		if (x->kind == BW_AI_OBJECT)
			bw_eval_obj_def(&cx->ev, x, scope, &cx->text);
	for (const struct bw_ast_item *x = it->items; x && !cx->oom; x = x->next) {
		if (x->kind == BW_AI_DEFINE) {
			define(cx, &scope, x, arena);
		} else if (x->kind == BW_AI_SET) {
			uint32_t si = cx->ir->nset;

			if (!bw_eval_set_def(&cx->ev, x, scope) && si < cx->ir->nset) {
				if (bw_dynset_names(it, x->set_name))
					bw_dynset_mark(&cx->ir->set[si]);
				bw_print_set(&cx->text, x, scope, si, bw_family_name(fam),
					     it->name, &cx->ir->set[si]);
			}
		} else if (x->kind == BW_AI_CHAIN) {
			chains[nchains].item = x;
			chains[nchains++].scope = scope;
		}
	}
	/* flowtables after the sets, before the chains (nft's order) */
	for (const struct bw_ast_item *x = it->items; x && !cx->oom; x = x->next)
		if (x->kind == BW_AI_FLOWTABLE &&
		    bw_eval_flowtable_def(&cx->ev, x, &cx->text) == -ENOMEM)
			cx->oom = true;
	for (uint32_t i = 0; i < nchains && !cx->oom; i++) {
		const struct bw_ast_item *x = chains[i].item;
		uint32_t j;

		for (j = 0; j < i; j++)
			if (!strcmp(chains[j].item->name, x->name))
				break;
		if (j < i) {
			bw_eval_error(&cx->ev, &x->name_loc, "chain \"%s\" is defined twice in table %s %s",
				      x->name, bw_family_name(fam), it->name);
			bw_diag(cx->ev.d, BW_DIAG_NOTE, &chains[j].item->name_loc,
				"first defined here");
			continue;
		}
		chain(cx, fam, it->name, x, chains[i].scope, arena, first);
		first = false;
	}
	free(chains);
	resolve_jumps(cx, first_chain);
	bw_print_table_close(&cx->text);
}

/* `flush ruleset` in the middle of a file drops what came before it. */
static void flush(struct ctx *cx)
{
	struct bw_ir *ir = cx->ir;

	cx->ir = calloc(1, sizeof(*cx->ir));
	if (!cx->ir) {
		cx->ir = ir;
		cx->oom = true;
		return;
	}
	bw_ir_free(&ir);
	cx->cap_chain = 0;
	cx->handle = 0;
	cx->ntables = 0;
	bw_pbuf_fini(&cx->text);
	cx->ev.npend = 0;
	cx->ev.ir = cx->ir;
	cx->ev.cap_set = 0;
}

int bw_evaluate(const struct bw_ast *ast, const struct bw_compile_opts *opts,
		struct bw_diags *d, struct bw_ir **out)
{
	struct ctx cx = { .ev = { .d = d }, .arena = ast->arena };
	const struct bw_sym *scope = NULL;
	int rc = 0;

	*out = NULL;
	cx.ir = calloc(1, sizeof(*cx.ir));
	if (!cx.ir)
		return -ENOMEM;
	cx.ev.ir = cx.ir;
	if (opts)
		cx.ev.anon_lookup_min = opts->anon_lookup_min;
	for (const struct bw_ast_item *it = ast->items; it && !cx.oom; it = it->next) {
		switch (it->kind) {
		case BW_AI_DEFINE:
			define(&cx, &scope, it, ast->arena);
			break;
		case BW_AI_FLUSH:
			flush(&cx);
			break;
		case BW_AI_TABLE:
			table(&cx, it, scope, ast->arena);
			break;
		default:
			break;
		}
	}
	if (!cx.oom && !cx.ev.nerrors)
		bw_eval_check_jumps(&cx);
	if (!cx.oom && !cx.ev.nerrors && bw_nfnetdev_spread(cx.ir))
		cx.oom = true;
	cx.ir->nhandle = cx.handle + 1;
	cx.ir->text = bw_pbuf_take(&cx.text);
	if (cx.oom || !cx.ir->text) {
		bw_error(d, NULL, "out of memory while compiling %s",
			 ast->src ? ast->src->name : "rules");
		rc = -ENOMEM;
	} else if (cx.ev.nerrors) {
		rc = -EINVAL;
	}
	free(cx.tables);
	free(cx.ev.pend);
	if (rc) {
		bw_ir_free(&cx.ir);
		return rc;
	}
	*out = cx.ir;
	return 0;
}
