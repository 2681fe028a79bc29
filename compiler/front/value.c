// SPDX-License-Identifier: GPL-2.0-only
/*
 * Values: what a literal means for a field (numbers, names, addresses,
 * flags), and the IR elements (lo, hi, mask) of a match's right-hand side:
 * values, prefixes, ranges, sets, comparisons, nft's flag semantics.
 * Errors carry a caret under the offending text.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "settimeout.h"
#include "meta_value.h"
#include "sctp_chunk.h"
#include "rawpay.h"
#include "tcpopt.h"
#include "tunnel.h"
#include "xfrm.h"
#include "value_int.h"

/* ---- symbol tables: names of values, per type or per field ---- */

#define END_SYMS { NULL, 0 }

/* nft takes these from /etc/protocols; the IPv6 extension headers too */
static const struct sym inet_protos[] = {
	{ "icmp", 1 }, { "igmp", 2 }, { "tcp", 6 }, { "udp", 17 },
	{ "dccp", 33 }, { "gre", 47 }, { "esp", 50 }, { "ah", 51 },
	{ "icmpv6", 58 }, { "ipv6-icmp", 58 }, { "sctp", 132 },
	{ "udplite", 136 }, { "comp", 108 }, { "ipcomp", 108 }, { "hopopt", 0 }, { "ipv6-route", 43 },
	{ "ipv6-frag", 44 }, { "ipv6-nonxt", 59 }, { "ipv6-opts", 60 },
	{ "mobility-header", 135 },
	{ "ip", 0 },	/* /etc/protocols: 0 is also ip */
	END_SYMS
};

/* A subset of /etc/services (nft resolves names there, too). */
static const struct sym services[] = {
	{ "ftp", 21 }, { "ssh", 22 }, { "telnet", 23 }, { "smtp", 25 },
	{ "domain", 53 }, { "bootps", 67 }, { "bootpc", 68 }, { "tftp", 69 },
	{ "http", 80 }, { "kerberos", 88 }, { "pop3", 110 }, { "ntp", 123 },
	{ "imap", 143 }, { "imap2", 143 }, { "snmp", 161 }, { "ldap", 389 },
	{ "https", 443 }, { "microsoft-ds", 445 }, { "syslog", 514 },
	{ "submission", 587 }, { "ldaps", 636 }, { "rsync", 873 },
	{ "imaps", 993 }, { "pop3s", 995 }, { "openvpn", 1194 },
	{ "mysql", 3306 }, { "sip", 5060 }, { "postgresql", 5432 },
	{ "x11", 6000 }, END_SYMS
};

static const struct sym nfprotos[] = {
	{ "ipv4", NFPROTO_V4 }, { "ipv6", NFPROTO_V6 }, END_SYMS
};

static const struct sym ether_types[] = {
	{ "ip", 0x0800 }, { "arp", 0x0806 }, { "vlan", 0x8100 },
	{ "8021q", 0x8100 }, { "ip6", 0x86dd }, { "8021ad", 0x88a8 }, END_SYMS
};

static const struct sym tcp_flags[] = {
	{ "fin", 0x01 }, { "syn", 0x02 }, { "rst", 0x04 }, { "psh", 0x08 },
	{ "ack", 0x10 }, { "urg", 0x20 }, { "ecn", 0x40 }, { "cwr", 0x80 },
	END_SYMS
};

static const struct sym icmp_types[] = {
	{ "echo-reply", 0 }, { "destination-unreachable", 3 },
	{ "source-quench", 4 }, { "redirect", 5 }, { "echo-request", 8 },
	{ "router-advertisement", 9 }, { "router-solicitation", 10 },
	{ "time-exceeded", 11 }, { "parameter-problem", 12 },
	{ "timestamp-request", 13 }, { "timestamp-reply", 14 },
	{ "info-request", 15 }, { "info-reply", 16 },
	{ "address-mask-request", 17 }, { "address-mask-reply", 18 },
	END_SYMS
};

static const struct sym icmp6_types[] = {
	{ "destination-unreachable", 1 }, { "packet-too-big", 2 },
	{ "time-exceeded", 3 }, { "parameter-problem", 4 },
	{ "echo-request", 128 }, { "echo-reply", 129 },
	{ "mld-listener-query", 130 }, { "mld-listener-report", 131 },
	{ "mld-listener-done", 132 }, { "mld-listener-reduction", 132 },
	{ "nd-router-solicit", 133 }, { "nd-router-advert", 134 },
	{ "nd-neighbor-solicit", 135 }, { "nd-neighbor-advert", 136 },
	{ "nd-redirect", 137 }, { "router-renumbering", 138 },
	{ "ind-neighbor-solicit", 141 }, { "ind-neighbor-advert", 142 },
	{ "mld2-listener-report", 143 }, END_SYMS
};

static const struct sym icmp_codes[] = {
	{ "net-unreachable", 0 }, { "host-unreachable", 1 },
	{ "prot-unreachable", 2 }, { "port-unreachable", 3 },
	{ "frag-needed", 4 }, { "net-prohibited", 9 },
	{ "host-prohibited", 10 }, { "admin-prohibited", 13 }, END_SYMS
};

static const struct sym icmp6_codes[] = {
	{ "no-route", 0 }, { "admin-prohibited", 1 },
	{ "addr-unreachable", 3 }, { "port-unreachable", 4 },
	{ "policy-fail", 5 }, { "reject-route", 6 }, END_SYMS
};

static const struct sym pkttypes[] = {
	{ "host", 0 }, { "unicast", 0 }, { "broadcast", 1 }, { "multicast", 2 },
	{ "other", 3 }, END_SYMS
};

/* ARP opcodes as nft names them (RFC 826, 903, 2390) */
static const struct sym arp_ops[] = {
	{ "request", 1 }, { "reply", 2 }, { "rrequest", 3 }, { "rreply", 4 },
	{ "inrequest", 8 }, { "inreply", 9 }, { "nak", 10 }, END_SYMS
};

static const struct sym ct_states[] = {
	{ "invalid", 1 }, { "established", 2 }, { "related", 4 }, { "new", 8 },
	{ "untracked", 64 }, END_SYMS
};

static const struct sym ct_dirs[] = {
	{ "original", 0 }, { "reply", 1 }, END_SYMS
};

/* the kernel's IPS_* bits nft names */
static const struct sym ct_statuses[] = {
	{ "expected", 1 }, { "seen-reply", 2 }, { "assured", 4 },
	{ "confirmed", 8 }, { "snat", 16 }, { "dnat", 32 }, { "dying", 512 },
	END_SYMS
};

static const struct sym dscps[] = {
	{ "cs0", 0x00 }, { "cs1", 0x08 }, { "af11", 0x0a }, { "af12", 0x0c },
	{ "af13", 0x0e }, { "cs2", 0x10 }, { "af21", 0x12 }, { "af22", 0x14 },
	{ "af23", 0x16 }, { "cs3", 0x18 }, { "af31", 0x1a }, { "af32", 0x1c },
	{ "af33", 0x1e }, { "cs4", 0x20 }, { "af41", 0x22 }, { "af42", 0x24 },
	{ "af43", 0x26 }, { "cs5", 0x28 }, { "ef", 0x2e }, { "cs6", 0x30 },
	{ "cs7", 0x38 }, { "lephb", 0x01 }, END_SYMS
};

static const struct sym ecns[] = {
	{ "not-ect", 0 }, { "ect1", 1 }, { "ect0", 2 }, { "ce", 3 }, END_SYMS
};

/* nft's dccp_pkttype */
static const struct sym dccp_types[] = {
	{ "request", 0 }, { "response", 1 }, { "data", 2 }, { "ack", 3 },
	{ "dataack", 4 }, { "closereq", 5 }, { "close", 6 }, { "reset", 7 },
	{ "sync", 8 }, { "syncack", 9 }, END_SYMS
};

/* nft's fib_addrtype (RTN_*) */
static const struct sym fib_addrtypes[] = {
	{ "unspec", 0 }, { "unicast", 1 }, { "local", 2 }, { "broadcast", 3 },
	{ "anycast", 4 }, { "multicast", 5 }, { "blackhole", 6 },
	{ "unreachable", 7 }, { "prohibit", 8 }, END_SYMS
};

const struct sym bw_value_exists[] = {
	{ "exists", 1 }, { "missing", 0 }, END_SYMS
};

/* nft's igmp_type */
static const struct sym igmp_types[] = {
	{ "membership-query", 0x11 }, { "membership-report-v1", 0x12 },
	{ "membership-report-v2", 0x16 }, { "membership-report-v3", 0x22 },
	{ "leave-group", 0x17 }, END_SYMS
};

/* nft's mh_type */
static const struct sym mh_types[] = {
	{ "binding-refresh-request", 0 }, { "home-test-init", 1 },
	{ "careof-test-init", 2 }, { "home-test", 3 }, { "careof-test", 4 },
	{ "binding-update", 5 }, { "binding-acknowledgement", 6 },
	{ "binding-error", 7 }, { "fast-binding-update", 8 },
	{ "fast-binding-acknowledgement", 9 }, { "fast-binding-advertisement", 10 },
	{ "experimental-mobility-header", 11 }, { "home-agent-switch-message", 12 },
	END_SYMS
};

/* nft's mptcp option subtypes (mptcpopt_subtype) */
static const struct sym mptcp_subtypes[] = {
	{ "mp-capable", 0 }, { "mp-join", 1 }, { "dss", 2 }, { "add-addr", 3 },
	{ "remove-addr", 4 }, { "mp-prio", 5 }, { "mp-fail", 6 },
	{ "mp-fastclose", 7 }, { "mp-tcprst", 8 }, END_SYMS
};

const struct sym *bw_value_syms_for(const struct bw_field *f)
{
	if (f->opt_present)	/* tcp option K exists|missing */
		return bw_value_exists;
	switch (f->id) {
	case BW_F_TCPOPT_MPTCP_SUBTYPE:
		return mptcp_subtypes;
	case BW_F_EXTHDR_HBH:
	case BW_F_EXTHDR_RT:
	case BW_F_EXTHDR_FRAG:
	case BW_F_EXTHDR_DST:
	case BW_F_EXTHDR_MH:
	case BW_F_FIB_SADDR_OIF_PRESENT:
	case BW_F_FIB_DADDR_OIF_PRESENT:
	case BW_F_FIB_SADDR_IIF_OIF_PRESENT:
	case BW_F_FIB_DADDR_IIF_OIF_PRESENT:
	case BW_F_SCTP_CHUNK:
		return bw_value_exists;
	case BW_F_FIB_SADDR_TYPE:
	case BW_F_FIB_DADDR_TYPE:
	case BW_F_FIB_SADDR_IIF_TYPE:
	case BW_F_FIB_DADDR_IIF_TYPE:
	case BW_F_FIB_SADDR_OIF_TYPE:
	case BW_F_FIB_DADDR_OIF_TYPE:
		return fib_addrtypes;
	case BW_F_MH_TYPE:
		return mh_types;
	case BW_F_IGMP_TYPE:
		return igmp_types;
	case BW_F_DCCP_TYPE:
		return dccp_types;
	case BW_F_IP_DSCP:
	case BW_F_IP6_DSCP:
		return dscps;
	case BW_F_IP_ECN:
	case BW_F_IP6_ECN:
		return ecns;
	case BW_F_ICMP_CODE:
		return icmp_codes;
	case BW_F_ICMP6_CODE:
		return icmp6_codes;
	default:
		break;
	}
	switch (f->type) {
	case BW_T_INET_PROTO:
		return inet_protos;
	case BW_T_INET_SERVICE:
		return services;
	case BW_T_NFPROTO:
		return nfprotos;
	case BW_T_ETHER_TYPE:
		return ether_types;
	case BW_T_TCP_FLAG:
		return tcp_flags;
	case BW_T_ICMP_TYPE:
		return icmp_types;
	case BW_T_ICMP6_TYPE:
		return icmp6_types;
	case BW_T_PKTTYPE:
		return pkttypes;
	case BW_T_CT_STATE:
		return ct_states;
	case BW_T_ARP_OP:
		return arp_ops;
	case BW_T_CT_DIR:
		return ct_dirs;
	case BW_T_CT_STATUS:
		return ct_statuses;
	default:
		return NULL;
	}
}

/* Types whose values are bitmasks: `a|b`, `a,b`, nft's any-bit test. */
bool bw_value_flag_type(enum bw_type t)
{
	return t == BW_T_TCP_FLAG || t == BW_T_CT_STATE || t == BW_T_CT_STATUS ||
	       t == BW_T_CT_LABEL;
}

const struct sym *bw_value_sym_lookup(const struct sym *t, const char *name)
{
	for (; t && t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

const char *bw_value_sym_name(const struct sym *t, uint32_t val)
{
	for (; t && t->name; t++)
		if (t->val == val)
			return t->name;
	return NULL;
}

const char *bw_value_type_desc(enum bw_type t)
{
	switch (t) {
	case BW_T_INTEGER:
	case BW_T_BE_INTEGER:	return "integer";
	case BW_T_IPV4_ADDR:	return "IPv4 address";
	case BW_T_IPV6_ADDR:	return "IPv6 address";
	case BW_T_ETHER_ADDR:	return "Ethernet address";
	case BW_T_INET_PROTO:	return "protocol";
	case BW_T_INET_SERVICE:	return "service";
	case BW_T_NFPROTO:	return "nfproto";
	case BW_T_ETHER_TYPE:	return "Ethernet type";
	case BW_T_TCP_FLAG:	return "TCP flag";
	case BW_T_ICMP_TYPE:	return "ICMP type";
	case BW_T_ICMP6_TYPE:	return "ICMPv6 type";
	case BW_T_PKTTYPE:	return "packet type";
	case BW_T_IFNAME:	return "interface name";
	case BW_T_CT_STATE:	return "conntrack state";
	case BW_T_ARP_OP:	return "ARP operation";
	case BW_T_UID:		return "user";
	case BW_T_GID:		return "group";
	case BW_T_DEVGROUP:	return "device group";
	case BW_T_REALM:	return "realm";
	case BW_T_ARPHRD:	return "interface type";
	case BW_T_TCHANDLE:	return "tc handle";
	case BW_T_TIME:		return "date";
	case BW_T_HOUR:		return "hour";
	case BW_T_DAY:		return "day";
	case BW_T_BOOL:		return "boolean";
	case BW_T_CT_DIR:	return "conntrack direction";
	case BW_T_CT_STATUS:	return "conntrack status";
	case BW_T_CT_LABEL:	return "conntrack label";
	case BW_T_STRING:	return "string";
	case BW_T_DURATION:		return "time";
	}
	return "value";
}

const char *bw_eval_proto_name(uint8_t proto)
{
	return bw_value_sym_name(inet_protos, proto);
}

const char *bw_eval_ethertype_name(uint16_t type)
{
	return bw_value_sym_name(ether_types, type);
}

const char *bw_eval_value_name(const struct bw_field *f, uint32_t v)
{
	return bw_value_sym_name(bw_value_syms_for(f), v);
}

int bw_eval_value_of(const struct bw_field *f, const char *name, uint32_t *v)
{
	const struct sym *s = bw_value_sym_lookup(bw_value_syms_for(f), name);

	if (!s)
		return -ENOENT;
	*v = s->val;
	return 0;
}

/* ---- defines ---- */

const struct bw_sym *bw_sym_find(const struct bw_sym *head, const char *name)
{
	for (; head; head = head->next)
		if (!strcmp(head->name, name))
			return head;
	return NULL;
}

const struct bw_ast_expr *bw_sym_resolve(const struct bw_ast_expr *e,
					 const struct bw_sym **scope)
{
	while (e && e->kind == BW_AE_VAR) {
		const struct bw_sym *s = bw_sym_find(*scope, e->text);

		if (!s)
			return NULL;
		e = s->def->value;
		*scope = s->scope;
	}
	return e;
}

#define NELEM_SAT (UINT64_C(1) << 62)

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return a + b > NELEM_SAT ? NELEM_SAT : a + b;
}

/* Elements e flattens to (a set's, a list's; else one) and the depth of
 * the defines it names, from their measures, and whether it names an
 * unknown or broken define: linear in e's size. */
static void measure(const struct bw_ast_expr *e, const struct bw_sym *scope,
		    uint64_t *n, unsigned *depth, bool *broken)
{
	const struct bw_sym *s;
	uint64_t one = 0;

	switch (e->kind) {
	case BW_AE_VAR:
		s = bw_sym_find(scope, e->text);
		if (s) {
			*n = add_sat(*n, s->nelem);
			if (s->depth > *depth)
				*depth = s->depth;
		}
		if (!s || s->broken)
			*broken = true;
		return;
	case BW_AE_SET:
	case BW_AE_LIST:
		for (const struct bw_ast_expr *c = e->elems; c; c = c->next)
			measure(c, scope, n, depth, broken);
		return;
	default:
		/* ranges, prefixes, concatenations: one element; what
		 * they name may still nest */
		if (e->left)
			measure(e->left, scope, &one, depth, broken);
		if (e->right)
			measure(e->right, scope, &one, depth, broken);
		for (const struct bw_ast_expr *c = e->elems; c; c = c->next)
			measure(c, scope, &one, depth, broken);
		*n = add_sat(*n, 1);
		return;
	}
}

void bw_sym_measure(struct bw_sym *s)
{
	const struct bw_sym *sc = s->scope;
	const struct bw_ast_expr *v;
	unsigned depth = 0;

	s->nelem = 0;
	s->broken = false;
	measure(s->def->value, s->scope, &s->nelem, &depth, &s->broken);
	s->depth = depth > BW_DEFINE_MAX_DEPTH ? depth : depth + 1;
	/* a chain too deep is not followed: its uses are refused */
	v = s->depth > BW_DEFINE_MAX_DEPTH ? NULL :
	    bw_sym_resolve(s->def->value, &sc);
	s->set = v && v->kind == BW_AE_SET;
}

int bw_eval_expand(struct bw_eval *ev, const struct bw_ast_expr *e,
		   const struct bw_sym *scope)
{
	const struct bw_sym *s;
	int rc = 0;

	if (!e)
		return 0;
	if (e->kind == BW_AE_VAR) {
		s = bw_sym_find(scope, e->text);
		if (!s)		/* unknown: said where it is evaluated */
			return 0;
		if (s->depth > BW_DEFINE_MAX_DEPTH)
			return bw_eval_error(ev, &e->loc, "$%s nests defines more than %u deep",
					     e->text, BW_DEFINE_MAX_DEPTH);
		/* its error was said once, where it is defined */
		if (s->broken)
			return -EINVAL;
		if (!s->set)
			return 0;
		if (s->nelem > BW_DEFINE_MAX_ELEMS - ev->expanded) {
			if (s->nelem >= NELEM_SAT)
				return bw_eval_error(ev, &e->loc, "$%s expands to more than %" PRIu64 " elements: defines may expand to at most %u in one ruleset",
						     e->text, NELEM_SAT, BW_DEFINE_MAX_ELEMS);
			if (!ev->expanded)
				return bw_eval_error(ev, &e->loc, "$%s expands to %" PRIu64 " elements: defines may expand to at most %u in one ruleset",
						     e->text, s->nelem, BW_DEFINE_MAX_ELEMS);
			return bw_eval_error(ev, &e->loc, "$%s expands to %" PRIu64 " elements, after %" PRIu64 " from defines before it: defines may expand to at most %u in one ruleset",
					     e->text, s->nelem, ev->expanded,
					     BW_DEFINE_MAX_ELEMS);
		}
		ev->expanded += s->nelem;
		return 0;
	}
	if (bw_eval_expand(ev, e->left, scope) ||
	    bw_eval_expand(ev, e->right, scope))
		rc = -EINVAL;
	for (const struct bw_ast_expr *c = e->elems; c; c = c->next)
		if (bw_eval_expand(ev, c, scope))
			rc = -EINVAL;
	return rc;
}

/* ---- errors ---- */

int bw_eval_error(struct bw_eval *ev, const struct bw_loc *loc,
		  const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	bw_error(ev->d, loc, "%s", msg ? msg : "out of memory");
	free(msg);
	ev->nerrors++;
	return -EINVAL;
}

/* ---- elements of a match ---- */

struct elems {
	struct bw_ir_elem *v;
	uint32_t n, cap;
};

static struct bw_ir_elem *elem_add(struct bw_eval *ev, struct elems *es)
{
	if (es->n == es->cap) {
		uint32_t cap = es->cap ? es->cap * 2 : 1;
		struct bw_ir_elem *v = reallocarray(es->v, cap, sizeof(*v));

		if (!v)
			return NULL;
		es->v = v;
		es->cap = cap;
	}
	memset(&es->v[es->n], 0, sizeof(es->v[0]));
	return &es->v[es->n++];
}

static int value_mask(struct bw_eval *ev, const struct bw_field *f,
		      const struct bw_ast_expr *e, const struct bw_sym *scope,
		      uint8_t *val, uint8_t *mask, int *rc);

/* nft's prefix on an integer, `meta mark 0xffffff00/24`: the top LEN bits
 * of the field, `meta mark & 0xffffff00 == 0xffffff00`. */
static int int_prefix(struct bw_eval *ev, const struct bw_field *f,
		      const struct bw_ast_expr *e, const struct bw_sym *scope,
		      struct elems *es)
{
	unsigned w = bw_value_field_bits(f);
	uint8_t lo[BW_VAL_MAX];
	struct bw_ir_elem *x;
	uint64_t plen, full, m;

	if (w > 64)
		return bw_eval_error(ev, &e->loc, "a prefix is not valid for %s %s",
				     f->proto, f->name);
	if (bw_value_scalar(ev, f, e->left, scope, lo))
		return -EINVAL;
	if (e->right->kind != BW_AE_NUMBER ||
	    bw_eval_number(e->right->text, &plen) || plen > w)
		return bw_eval_error(ev, &e->loc,
			    "Prefix length %s is invalid for type of %u bits width",
			    e->right->text, w);
	full = w == 64 ? UINT64_MAX : (UINT64_C(1) << w) - 1;
	m = w - plen == 64 ? 0 : full & ~((UINT64_C(1) << (w - plen)) - 1);
	if (!(x = elem_add(ev, es)))
		return -ENOMEM;
	bw_value_put_uint(x->mask, f->size, m);
	for (unsigned i = 0; i < f->size; i++)
		x->lo[i] = x->hi[i] = lo[i] & x->mask[i];
	return 0;
}

static int elems_of(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_expr *e, const struct bw_sym *scope,
		    struct elems *es, bool in_set)
{
	const struct bw_ast_expr *orig = e;
	struct bw_ir_elem *x;
	uint8_t lo[BW_VAL_MAX], hi[BW_VAL_MAX];
	uint64_t plen;
	int rc = 0;

	e = bw_sym_resolve(e, &scope);
	if (!e)
		return bw_eval_error(ev, &orig->loc, "unknown identifier '%s'", orig->text);
	switch (e->kind) {
	case BW_AE_SET:
		for (const struct bw_ast_expr *c = e->elems; c; c = c->next)
			if (elems_of(ev, f, c, scope, es, true))
				rc = -EINVAL;
		return rc;
	case BW_AE_LIST:
		if (in_set)
			return bw_eval_error(ev, &e->loc, "a comma list is not valid in a set");
		break;
	case BW_AE_RANGE:
		if (bw_value_range_ends(ev, f, e, scope, lo, hi))
			return -EINVAL;
		if (!(x = elem_add(ev, es)))
			return -ENOMEM;
		memcpy(x->lo, lo, BW_VAL_MAX);
		memcpy(x->hi, hi, BW_VAL_MAX);
		bw_value_full_mask(f, x->mask);
		return 0;
	case BW_AE_PREFIX:
		if (bw_value_flag_type(f->type)) {
			int rc2 = 0;

			value_mask(ev, f, e, scope, lo, hi, &rc2);
			if (rc2)
				return rc2;
			if (!(x = elem_add(ev, es)))
				return -ENOMEM;
			memcpy(x->lo, lo, BW_VAL_MAX);
			memcpy(x->hi, lo, BW_VAL_MAX);
			memcpy(x->mask, hi, BW_VAL_MAX);
			return 0;
		}
		if (bw_value_integer_type(f->type))
			return int_prefix(ev, f, e, scope, es);
		if (f->type != BW_T_IPV4_ADDR && f->type != BW_T_IPV6_ADDR)
			return bw_eval_error(ev, &e->loc, "a prefix is only valid for IP addresses and integers (%s %s is neither)",
				    f->proto, f->name);
		if (bw_value_scalar(ev, f, e->left, scope, lo))
			return -EINVAL;
		if (bw_eval_number(e->right->text, &plen) || plen > bw_value_field_bits(f))
			return bw_eval_error(ev, &e->loc,
				    "Prefix length %s is invalid for type of %u bits width",
				    e->right->text, bw_value_field_bits(f));
		if (!(x = elem_add(ev, es)))
			return -ENOMEM;
		for (unsigned i = 0; i < f->size; i++) {
			unsigned bits = plen > i * 8u ? (unsigned)plen - i * 8u : 0;

			x->mask[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
			x->lo[i] = x->hi[i] = lo[i] & x->mask[i];
		}
		return 0;
	default:
		break;
	}
	if (bw_value_scalar(ev, f, e, scope, lo))
		return -EINVAL;
	if (!(x = elem_add(ev, es)))
		return -ENOMEM;
	memcpy(x->lo, lo, BW_VAL_MAX);
	memcpy(x->hi, lo, BW_VAL_MAX);
	bw_value_full_mask(f, x->mask);
	if (f->type == BW_T_IFNAME)	/* the part a pattern compares */
		bw_value_ifname(ev, f, e, x->lo, x->mask);
	if (f->type == BW_T_STRING)
		bw_value_string(ev, f, e, x->lo, x->mask);
	return 0;
}

/* `tcp flags syn,ack` (implicit operator, flag type): any of those bits
 * set, as nft does; one element per bit. */
static int flag_elems(struct bw_eval *ev, const struct bw_field *f,
		      const uint8_t *v, struct elems *es)
{
	struct bw_ir_elem *x;

	if (bw_value_is_zero(v, f->size)) {
		if (!(x = elem_add(ev, es)))
			return -ENOMEM;
		bw_value_full_mask(f, x->mask);
		return 0;
	}
	for (unsigned i = 0; i < f->size; i++)
		for (unsigned bit = 0x80; bit; bit >>= 1) {
			if (!(v[i] & bit))
				continue;
			if (!(x = elem_add(ev, es)))
				return -ENOMEM;
			x->mask[i] = x->lo[i] = x->hi[i] = (uint8_t)bit;
		}
	return 0;
}

/* nft's `tcp flags syn,fin / syn,ack,fin`: the list before the slash is
 * the value, the list after it the mask.  Returns 1 when e is that form. */
static int value_mask(struct bw_eval *ev, const struct bw_field *f,
		      const struct bw_ast_expr *e, const struct bw_sym *scope,
		      uint8_t *val, uint8_t *mask, int *rc)
{
	const struct bw_ast_expr *x = e->kind == BW_AE_LIST ? e->elems : e;
	uint8_t part[BW_VAL_MAX];
	bool after = false;
	int slashes = 0;

	for (const struct bw_ast_expr *y = x; y; y = e->kind == BW_AE_LIST ? y->next : NULL)
		slashes += y->kind == BW_AE_PREFIX;
	if (!bw_value_flag_type(f->type) || !slashes)
		return 0;
	memset(val, 0, BW_VAL_MAX);
	memset(mask, 0, BW_VAL_MAX);
	*rc = 0;
	if (slashes > 1)
		*rc = bw_eval_error(ev, &e->loc, "only one '/' in a flag list");
	/* nft's grammar wants a list after the slash: `syn / syn,ack` */
	for (const struct bw_ast_expr *y = x; y && !*rc && e->kind == BW_AE_LIST;
	     y = y->next)
		if (y->kind == BW_AE_PREFIX && !y->next)
			*rc = bw_eval_error(ev, &y->loc, "the mask after '/' must list two or more flags (as nft requires); for one flag write & FLAG == VALUE");
	if (e->kind != BW_AE_LIST && !*rc)
		*rc = bw_eval_error(ev, &e->loc, "the mask after '/' must list two or more flags (as nft requires); for one flag write & FLAG == VALUE");
	for (; x && !*rc; x = e->kind == BW_AE_LIST ? x->next : NULL) {
		const struct bw_ast_expr *v = x->kind == BW_AE_PREFIX ? x->left : x;

		if (bw_value_scalar(ev, f, v, scope, part)) {
			*rc = -EINVAL;
			break;
		}
		for (unsigned i = 0; i < f->size; i++)
			(after ? mask : val)[i] |= part[i];
		if (x->kind != BW_AE_PREFIX)
			continue;
		after = true;
		if (bw_value_scalar(ev, f, x->right, scope, part)) {
			*rc = -EINVAL;
			break;
		}
		for (unsigned i = 0; i < f->size; i++)
			mask[i] |= part[i];
	}
	return 1;
}

/* <, >, <=, >=: one range element. */
static int relational(struct bw_eval *ev, const struct bw_field *f,
		      const struct bw_ast_stmt *m, const struct bw_sym *scope,
		      struct elems *es)
{
	const struct bw_ast_expr *e = m->rhs;
	const struct bw_sym *sc = scope;
	uint8_t v[BW_VAL_MAX], max[BW_VAL_MAX];
	struct bw_ir_elem *x;

	e = bw_sym_resolve(e, &sc);
	if (e && (e->kind == BW_AE_SET || e->kind == BW_AE_RANGE ||
		  e->kind == BW_AE_PREFIX || e->kind == BW_AE_LIST))
		return bw_eval_error(ev, &m->rhs->loc, "operator %s needs a single value",
			    bw_ast_op_str(m->op));
	if (bw_value_scalar(ev, f, m->rhs, scope, v))
		return -EINVAL;
	bw_value_full_mask(f, max);
	if (!(x = elem_add(ev, es)))
		return -ENOMEM;
	bw_value_full_mask(f, x->mask);
	switch (m->op) {
	case BW_OP_LT:
		memcpy(x->hi, v, BW_VAL_MAX);
		if (!bw_value_step(x->hi, f->size, -1))
			goto never;
		break;
	case BW_OP_LE:
		memcpy(x->hi, v, BW_VAL_MAX);
		break;
	case BW_OP_GT:
		memcpy(x->lo, v, BW_VAL_MAX);
		memcpy(x->hi, max, BW_VAL_MAX);
		if (!memcmp(v, max, f->size) || !bw_value_step(x->lo, f->size, 1))
			goto never;
		break;
	default:
		memcpy(x->lo, v, BW_VAL_MAX);
		memcpy(x->hi, max, BW_VAL_MAX);
		break;
	}
	return 0;
never:
	es->n--;
	return bw_eval_error(ev, &m->loc, "this comparison can never be true");
}


/* nft's `tcp flags ! fin,rst`: none of these bits set, one element
 * (x & bits) == 0. */
static int none_of(struct bw_eval *ev, const struct bw_field *f,
		   const struct bw_ast_stmt *m, const struct bw_ast_expr *rhs,
		   const struct bw_sym *scope, struct elems *es)
{
	uint8_t v[BW_VAL_MAX];
	struct bw_ir_elem *x;

	if (!bw_value_flag_type(f->type))
		return bw_eval_error(ev, &m->op_loc, "! (none of these bits set) is for bitmask fields (tcp flags, ct state), not %s %s",
				     f->proto, f->name);
	if (m->mask)
		return bw_eval_error(ev, &m->mask->loc, "! takes the bits itself: no & mask before it");
	if (rhs->kind == BW_AE_SET || rhs->kind == BW_AE_SETREF ||
	    rhs->kind == BW_AE_RANGE || rhs->kind == BW_AE_PREFIX)
		return bw_eval_error(ev, &m->rhs->loc, "! takes flags (fin,rst or fin|rst), not a set, range or mask");
	if (bw_value_scalar(ev, f, rhs, scope, v))
		return -EINVAL;
	if (!(x = elem_add(ev, es)))
		return -ENOMEM;
	memcpy(x->mask, v, BW_VAL_MAX);	/* lo = hi = 0 */
	return 0;
}

/* nft's `meta mark or 3 == 1`, `... xor 3 == 1`: (x | c) == v is
 * (x & ~c) == v ^ c (never, when v lacks a bit of c: a value with bits
 * outside its mask), (x ^ c) == v is x == v ^ c. */
static int or_xor(struct bw_eval *ev, const struct bw_field *f,
		  const struct bw_ast_stmt *m, const struct bw_ast_expr *rhs,
		  const struct bw_sym *scope, const uint8_t *c,
		  struct elems *es)
{
	const char *sym = m->mask_op == BW_MASK_OR ? "|" : "^";
	uint8_t v[BW_VAL_MAX], full[BW_VAL_MAX];
	struct bw_ir_elem *x;

	if (!bw_value_integer_type(f->type))
		return bw_eval_error(ev, &m->mask->loc, "%s is for integer fields, not %s %s",
				     sym, f->proto, f->name);
	if (m->op != BW_OP_IMPLICIT && m->op != BW_OP_EQ && m->op != BW_OP_NE)
		return bw_eval_error(ev, &m->op_loc, "after %s only == and != are supported",
				     sym);
	if (rhs->kind == BW_AE_SET || rhs->kind == BW_AE_SETREF ||
	    rhs->kind == BW_AE_RANGE || rhs->kind == BW_AE_PREFIX ||
	    rhs->kind == BW_AE_LIST)
		return bw_eval_error(ev, &m->rhs->loc, "after %s the value must be a single one",
				     sym);
	if (bw_value_scalar(ev, f, rhs, scope, v))
		return -EINVAL;
	bw_value_full_mask(f, full);
	if (!(x = elem_add(ev, es)))
		return -ENOMEM;
	for (unsigned i = 0; i < f->size; i++) {
		x->lo[i] = x->hi[i] = v[i] ^ c[i];
		x->mask[i] = m->mask_op == BW_MASK_OR ? full[i] & ~c[i] : full[i];
	}
	return 0;
}

/* nft's cross-day range, `meta hour "21:00"-"02:00"`: its ends swapped
 * and the match inverted (!= "02:00"-"21:00", ends excluded), as nft
 * does after converting the ends to UTC.  True when m is one, or when
 * an end is in error (*rc). */
static bool cross_day(struct bw_eval *ev, const struct bw_field *f,
		      const struct bw_ast_stmt *m, const struct bw_ast_expr *rhs,
		      const struct bw_sym *scope, struct elems *es, int *rc)
{
	uint8_t lo[BW_VAL_MAX], hi[BW_VAL_MAX];
	struct bw_ir_elem *x;

	if ((f->type != BW_T_HOUR && f->type != BW_T_DAY) || m->mask ||
	    rhs->kind != BW_AE_RANGE ||
	    (m->op != BW_OP_IMPLICIT && m->op != BW_OP_EQ && m->op != BW_OP_NE))
		return false;
	if (bw_value_scalar(ev, f, rhs->left, scope, lo) | bw_value_scalar(ev, f, rhs->right, scope, hi)) {
		*rc = -EINVAL;
		return true;
	}
	if (memcmp(lo, hi, f->size) <= 0)
		return false;
	if (!(x = elem_add(ev, es))) {
		*rc = -ENOMEM;
		return true;
	}
	memcpy(x->lo, hi, BW_VAL_MAX);
	memcpy(x->hi, lo, BW_VAL_MAX);
	bw_value_full_mask(f, x->mask);
	return true;
}

/* ---- matches ---- */

/* ct count N (at most N connections: [0, N]), ct count over N (more:
 * the same, negated), as nft's connlimit has them. */
static int ct_count(struct bw_eval *ev, const struct bw_field *f,
		    const struct bw_ast_stmt *m, const struct bw_sym *scope,
		    struct bw_ir_match *out)
{
	const struct bw_sym *sc = scope;
	const struct bw_ast_expr *rhs = bw_sym_resolve(m->rhs, &sc);
	struct bw_ir_elem *x;
	struct elems es = { 0 };
	uint64_t v;

	if (m->mask || m->cat || m->vmap || (m->op != BW_OP_IMPLICIT && !m->count_over))
		return bw_eval_error(ev, &m->loc, "ct count takes a number or over and a number (nft's connlimit)");
	if (!rhs || rhs->kind != BW_AE_NUMBER || bw_eval_number(rhs->text, &v) ||
	    v > UINT32_MAX)
		return bw_eval_error(ev, &m->rhs->loc, "ct count takes a 32-bit number");
	if (!(x = elem_add(ev, &es)))
		return bw_eval_error(ev, &m->loc, "out of memory");
	bw_value_put_uint(x->hi, f->size, v);
	bw_value_full_mask(f, x->mask);
	out->field = f->id;
	out->neg = m->count_over;
	out->loc = m->loc;
	out->elem = es.v;
	out->nelem = es.n;
	return 0;
}

/* A raw payload's values hold len bits: a bit above them is nft's
 * "exceeds valid range" (1 when in error). */
static int raw_range(struct bw_eval *ev, const struct bw_ast_stmt *m,
		     unsigned len, unsigned size, const struct elems *es)
{
	for (uint32_t i = 0; i < es->n; i++)
		for (unsigned bit = len; bit < size * 8; bit++) {
			unsigned byte = size - 1 - bit / 8, b = 1u << (bit % 8);

			/* the mask: the value's bits only (the read leaves
			 * the others 0; nf_tables masks with it) */
			es->v[i].mask[byte] &= (uint8_t)~b;

			if ((es->v[i].lo[byte] | es->v[i].hi[byte]) & b) {
				if (len < 64 && m->rhs->kind == BW_AE_NUMBER)
					bw_eval_error(ev, &m->rhs->loc, "Value %s exceeds valid range 0-%llu",
						      m->rhs->text,
						      (unsigned long long)((UINT64_C(1) << len) - 1));
				else
					bw_eval_error(ev, &m->rhs->loc, "a value exceeds the %u bits of %s,%s",
						      len, m->proto, m->field);
				return 1;
			}
		}
	return 0;
}

/* The IR match of one `proto field [& mask] [op] rhs`.  *single gets the
 * value when the match is one positive equality (for dependencies). */
int bw_eval_match(struct bw_eval *ev, struct bw_proto_state *ps,
		  const struct bw_ast_stmt *m, const struct bw_sym *scope,
		  struct bw_ir_match *out)
{
	struct bw_loc lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
	const struct bw_field *f = NULL;
	const struct bw_ast_expr *rhs;
	const struct bw_sym *sc = scope;
	uint8_t mask[BW_VAL_MAX], mask2[BW_VAL_MAX], v[BW_VAL_MAX];
	struct elems es = { 0 };
	bool single = false;
	int rc;

	/* ct original saddr: by the layer known so far */
	rc = bw_eval_ct_generic(ev, m->proto, m->field, ps->l3, &lhs, &f);
	if (rc < 0)
		return rc;
	if (rc)
		f = bw_eval_field(ev, m);
	if (!f)
		return -EINVAL;
	/* nft's icmp type where the rule is IPv6's (icmpv6 type, IPv4's):
	 * a transport byte behind meta l4proto only (fields.h) */
	if (f->id == BW_F_ICMP_TYPE && ps->l3 == 6)
		f = bw_field(BW_F_ICMP_TYPE_X);
	else if (f->id == BW_F_ICMP6_TYPE && ps->l3 == 4)
		f = bw_field(BW_F_ICMP6_TYPE_X);
	if (m->count_over && f->id != BW_F_CT_COUNT)
		return bw_eval_error(ev, &m->op_loc, "over is for ct count only");
	if (f->id == BW_F_CT_COUNT)
		return ct_count(ev, f, m, scope, out);
	/* a raw payload or a tunnel field in a lookup's key: read for
	 * itself into the key (bw_eval_lookup) */
	if (f->walk && !f->raw && !f->tun_layer &&
	    (bw_eval_is_lookup(ev, m, scope) || m->cat)) {
		struct bw_loc l = bw_loc_join(&m->proto_loc, &m->field_loc);

		return bw_eval_error(ev, &l, "%s %s: an sctp chunk field in a set lookup or a concatenation is not supported (each match walks the chunks for its own)",
				     m->proto, m->field);
	}
	if (bw_eval_is_lookup(ev, m, scope)) {
		rc = bw_eval_lookup(ev, ps, m, scope, out);
		return rc ? rc : bw_xfrm_match_spnum(ev, m, out);
	}
	out->field = f->id;
	memset(&out->chunk, 0, sizeof(out->chunk));
	memset(&out->raw, 0, sizeof(out->raw));
	out->tunnel = (uint8_t)(f->tun_layer ? bw_tunnel_kind(m->proto) : BW_TUN_NONE);
	if (bw_xfrm_match_spnum(ev, m, out))
		return -EINVAL;
	if (f->raw) {
		struct bw_rawpay r;

		bw_rawpay_parse(m->proto, m->field, &r);
		out->raw.base = r.base;
		out->raw.off = r.off;
		out->raw.len = r.len;
	} else if (f->walk && !f->tun_layer) {
		bw_sctp_chunk_parse(m->field, &out->chunk.type, &out->chunk.off,
				    &out->chunk.size);
	} else if (f->id >= BW_F_TCPOPT_KIND && f->id <= BW_F_TCPOPT_RAW32) {
		/* tcp option K exists, tcp option @K,OFF,LEN: which kind,
		 * where (raw.base the kind) */
		bw_tcpopt_any(m->field, &out->raw.base, &out->raw.off, &out->raw.len);
	}
	out->neg = m->op == BW_OP_NE;
	out->loc = m->loc;
	if (bw_proto_check(ev, ps, f, m, NULL))
		return -EINVAL;
	bw_value_full_mask(f, mask);
	ev->v4_numbers = m->mask != NULL;
	rc = m->mask ? bw_value_scalar(ev, f, m->mask, scope, mask) : 0;
	if (rc) {
		ev->v4_numbers = false;
		return -EINVAL;
	}
	rhs = bw_sym_resolve(m->rhs, &sc);
	if (!rhs)
		return bw_eval_error(ev, &m->rhs->loc, "unknown identifier '%s'",
			    m->rhs->text);
	if (m->mask && m->mask_op != BW_MASK_AND) {
		rc = or_xor(ev, f, m, rhs, sc, mask, &es);
		bw_value_full_mask(f, mask);
	} else if (m->op == BW_OP_NOT) {
		rc = none_of(ev, f, m, rhs, sc, &es);
	} else if (m->op >= BW_OP_LT) {
		rc = relational(ev, f, m, scope, &es);
	} else if (value_mask(ev, f, rhs, sc, v, mask2, &rc)) {
		struct bw_ir_elem *x = rc ? NULL : elem_add(ev, &es);

		if (!rc && !x)
			rc = -ENOMEM;
		if (x) {
			memcpy(x->lo, v, BW_VAL_MAX);
			memcpy(x->hi, v, BW_VAL_MAX);
			memcpy(x->mask, mask2, BW_VAL_MAX);
		}
	} else if (cross_day(ev, f, m, rhs, sc, &es, &rc)) {
		out->neg = rc ? out->neg : !out->neg;
	} else if (bw_value_flag_type(f->type) && m->op == BW_OP_IMPLICIT &&
		   !m->mask && rhs->kind != BW_AE_SET) {
		rc = bw_value_scalar(ev, f, m->rhs, scope, v);
		if (!rc)
			rc = flag_elems(ev, f, v, &es);
	} else {
		rc = elems_of(ev, f, m->rhs, scope, &es, false);
		single = !rc && !out->neg && !m->mask && es.n == 1 &&
			 !memcmp(es.v[0].lo, es.v[0].hi, BW_VAL_MAX) &&
			 rhs->kind != BW_AE_PREFIX;
	}
	ev->v4_numbers = false;
	if (rc == -ENOMEM)
		bw_eval_error(ev, &m->loc, "out of memory");
	if (rc) {
		free(es.v);
		return -EINVAL;
	}
	for (uint32_t i = 0; i < es.n; i++)
		for (unsigned b = 0; b < f->size; b++)
			es.v[i].mask[b] &= mask[b];
	if (f->raw && raw_range(ev, m, out->raw.len, f->size, &es)) {
		free(es.v);
		return -EINVAL;
	}
	out->elem = es.v;
	out->nelem = es.n;
	if (single)
		return bw_proto_check(ev, ps, f, m, es.v[0].lo);
	if (!out->neg && !m->mask && es.n > 1 && rhs->kind == BW_AE_SET)
		bw_proto_set(ps, f, es.v[es.n - 1].lo);
	return 0;
}

const char *bw_value_reject_code(const char *kind, const char *text)
{
	const struct sym *t = !strcmp(kind, "icmp") ? icmp_codes :
			      !strcmp(kind, "icmpv6") ? icmp6_codes : NULL;
	uint64_t v;

	if (!t || bw_eval_number(text, &v) || v > UINT32_MAX)
		return NULL;
	return bw_value_sym_name(t, (uint32_t)v);
}
