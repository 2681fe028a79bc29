// SPDX-License-Identifier: GPL-2.0-only
/*
 * The iptables matches and targets bpfwall compiles, as rows: options,
 * parsers, checks, and the save (-S, iptables-save) and list (-L)
 * printers in iptables' own canonical forms.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipt_ext.h"

#define PP BW_IPT_EXIT_PARAM

bool bw_ipt_num(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

bool bw_ipt_addr_parse(const char *s, bool v6, uint8_t *out)
{
	memset(out, 0, 16);
	return inet_pton(v6 ? AF_INET6 : AF_INET, s, out) == 1;
}

void bw_ipt_save_string(FILE *f, const char *s)
{
	static const char plain[] = "_-0123456789abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t n = strspn(s, plain);

	if (n && !s[n]) {
		fprintf(f, " %s", s);
		return;
	}
	fputs(" \"", f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '\'')
			fputc('\\', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void bw_ipt_print_port(FILE *f, uint16_t port, const char *proto, bool numeric)
{
	struct servent *s = numeric || !proto ? NULL :
			    getservbyport(htons(port), proto);

	if (s)
		fputs(s->s_name, f);
	else
		fprintf(f, "%u", port);
}

const char *bw_ipt_rule_proto(const struct bw_ipt_rule *r)
{
	if (!r->has_proto || r->inv_proto)
		return NULL;
	switch (r->proto) {
	case 6: return "tcp";
	case 17: return "udp";
	case 1: return "icmp";
	case 58: return "icmpv6";
	case 132: return "sctp";
	case 33: return "dccp";
	case 136: return "udplite";
	}
	return NULL;
}

/* ---- ports ---- */

static int port(struct bw_ipt_pctx *p, const char *s, const char *proto,
		const struct bw_loc *loc, uint16_t *out)
{
	uint64_t v;
	struct servent *se;

	if (bw_ipt_num(s, 65535, &v)) {
		*out = (uint16_t)v;
		return 0;
	}
	se = *s && !isdigit((unsigned char)*s) && *s != '-' ?
	     getservbyname(s, proto) : NULL;
	if (se) {
		*out = ntohs((uint16_t)se->s_port);
		return 0;
	}
	return bw_ipt_err(p, loc, PP, "invalid port/service `%s' specified", s);
}

/* "a", "a:b", "a:", ":b" */
static int port_range(struct bw_ipt_pctx *p, const char *s, const char *proto,
		      const struct bw_loc *loc, struct bw_ipt_range16 *r)
{
	const char *colon = strchr(s, ':');
	char lo[64];
	int err;

	r->lo = 0;
	r->hi = 0xffff;
	if (!colon) {
		err = port(p, s, proto, loc, &r->lo);
		r->hi = r->lo;
		return err;
	}
	if ((size_t)(colon - s) >= sizeof(lo))
		return bw_ipt_err(p, loc, PP, "invalid port/service `%s' specified", s);
	memcpy(lo, s, (size_t)(colon - s));
	lo[colon - s] = 0;
	if (lo[0] && (err = port(p, lo, proto, loc, &r->lo)))
		return err;
	if (colon[1] && (err = port(p, colon + 1, proto, loc, &r->hi)))
		return err;
	if (r->lo > r->hi)
		return bw_ipt_err(p, loc, PP, "invalid portrange (min > max)");
	return 0;
}

static void save_ports(FILE *f, const char *opt, const struct bw_ipt_range16 *r)
{
	if (!r->set || (r->lo == 0 && r->hi == 0xffff && !r->inv))
		return;
	fprintf(f, "%s --%s %u", r->inv ? " !" : "", opt, r->lo);
	if (r->lo != r->hi)
		fprintf(f, ":%u", r->hi);
}

static void list_ports(FILE *f, const char *name, const struct bw_ipt_range16 *r,
		       const char *proto, bool numeric)
{
	if (!r->set || (r->lo == 0 && r->hi == 0xffff && !r->inv))
		return;
	fprintf(f, " %s%s:%s", name, r->lo == r->hi ? "" : "s", r->inv ? "!" : "");
	bw_ipt_print_port(f, r->lo, proto, numeric);
	if (r->lo != r->hi) {
		fputc(':', f);
		bw_ipt_print_port(f, r->hi, proto, numeric);
	}
}

/* ---- tcp, udp ---- */

enum { O_SPORT, O_DPORT, O_FLAGS, O_SYN, O_OPTION };

static const struct bw_ipt_opt tcp_opts[] = {
	{ "sport", O_SPORT, true, true }, { "source-port", O_SPORT, true, true },
	{ "dport", O_DPORT, true, true }, { "destination-port", O_DPORT, true, true },
	{ "tcp-flags", O_FLAGS, true, true }, { "syn", O_SYN, false, true },
	{ "tcp-option", O_OPTION, true, true },
	{ NULL },
};

static const struct { const char *name; uint8_t bit; } tcp_flags[] = {
	{ "FIN", 0x01 }, { "SYN", 0x02 }, { "RST", 0x04 }, { "PSH", 0x08 },
	{ "ACK", 0x10 }, { "URG", 0x20 }, { "ALL", 0x3f }, { "NONE", 0 },
};

static int tcp_flag_list(struct bw_ipt_pctx *p, const char *s,
			 const struct bw_loc *loc, uint8_t *out)
{
	char buf[128], *save = NULL, *tok;

	*out = 0;
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(tcp_flags) / sizeof(tcp_flags[0]); i++)
			if (!strcasecmp(tok, tcp_flags[i].name))
				break;
		if (i == sizeof(tcp_flags) / sizeof(tcp_flags[0]))
			return bw_ipt_err(p, loc, PP, "Unknown TCP flag `%s'", tok);
		*out |= tcp_flags[i].bit;
	}
	return 0;
}

static void print_tcpf(FILE *f, uint8_t flags)
{
	bool any = false;

	while (flags) {
		size_t i = 0;

		while (!(flags & tcp_flags[i].bit))
			i++;
		fprintf(f, "%s%s", any ? "," : "", tcp_flags[i].name);
		any = true;
		flags &= (uint8_t)~tcp_flags[i].bit;
	}
	if (!any)
		fputs("NONE", f);
}

static int l4_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		    struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		    const char *arg, bool inv, const struct bw_loc *loc)
{
	const char *proto = m->ext->name;
	struct bw_ipt_range16 *r = o->id == O_SPORT ? &m->l4.sport : &m->l4.dport;
	int err;

	(void)t;
	switch (o->id) {
	case O_SPORT:
	case O_DPORT:
		if (r->set)
			return bw_ipt_err(p, loc, PP, "multiple --%s flags not allowed",
					  o->id == O_SPORT ? "sport" : "dport");
		err = port_range(p, arg, proto, loc, r);
		r->set = true;
		r->inv = inv;
		return err;
	case O_SYN:
	case O_FLAGS:
		if (m->l4.flg_set)
			return bw_ipt_err(p, loc, PP, "Only one of `--syn' or `--tcp-flags'  allowed");
		m->l4.flg_set = true;
		m->l4.flg_inv = inv;
		if (o->id == O_SYN) {
			m->l4.flg_mask = 0x17;
			m->l4.flg_cmp = 0x02;
			return 0;
		}
		{
			char mask[128];
			const char *sp;

			/* --tcp-flags MASK COMP: the parser joins the two
			 * words with a space */
			sp = strchr(arg, ' ');
			if (!sp)
				return bw_ipt_err(p, loc, PP, "--tcp-flags requires two args.");
			snprintf(mask, sizeof(mask), "%.*s", (int)(sp - arg), arg);
			err = tcp_flag_list(p, mask, loc, &m->l4.flg_mask);
			if (!err)
				err = tcp_flag_list(p, sp + 1, loc, &m->l4.flg_cmp);
			return err;
		}
	case O_OPTION: {
		char *end;
		unsigned long v = strtoul(arg, &end, 0);

		/* libxt_tcp: 1 to 255 */
		if (!*arg || *end || arg[0] == '-' || v < 1 || v > 255)
			return bw_ipt_err(p, loc, PP, "Bad TCP option \"%s\"", arg);
		m->l4.option = (uint8_t)v;
		m->l4.opt_inv = inv;
		return 0;
	}
	}
	return -EINVAL;
}

static int l4_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		    struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	const char *want = m->ext->name;
	const char *have = bw_ipt_rule_proto(r);

	(void)t;
	if (!have || strcmp(have, want))
		return bw_ipt_err(p, &m->loc, PP,
				  "%s match requires -p %s (and no ! -p)", want, want);
	return 0;
}

static void l4_save(FILE *f, const struct bw_ipt_rule *r,
		    const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	save_ports(f, "sport", &m->l4.sport);
	save_ports(f, "dport", &m->l4.dport);
	if (m->l4.option)
		fprintf(f, "%s --tcp-option %u", m->l4.opt_inv ? " !" : "", m->l4.option);
	if (m->l4.flg_set && (m->l4.flg_mask || m->l4.flg_inv)) {
		fprintf(f, "%s --tcp-flags ", m->l4.flg_inv ? " !" : "");
		print_tcpf(f, m->l4.flg_mask);
		fputc(' ', f);
		print_tcpf(f, m->l4.flg_cmp);
	}
}

static void l4_list(FILE *f, const struct bw_ipt_rule *r,
		    const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		    bool numeric)
{
	(void)r;
	(void)t;
	fprintf(f, " %s", m->ext->name);
	list_ports(f, "spt", &m->l4.sport, m->ext->name, numeric);
	list_ports(f, "dpt", &m->l4.dport, m->ext->name, numeric);
	if (m->l4.option)
		fprintf(f, " option=%s%u", m->l4.opt_inv ? "!" : "", m->l4.option);
	if (m->l4.flg_set && (m->l4.flg_mask || m->l4.flg_inv)) {
		fprintf(f, " flags:%s", m->l4.flg_inv ? "!" : "");
		if (numeric) {
			fprintf(f, "0x%02X/0x%02X", m->l4.flg_mask, m->l4.flg_cmp);
		} else {
			print_tcpf(f, m->l4.flg_mask);
			fputc('/', f);
			print_tcpf(f, m->l4.flg_cmp);
		}
	}
}

const struct bw_ipt_ext bw_ipt_ext_tcp = {
	.name = "tcp", .opts = tcp_opts, .parse = l4_parse, .final = l4_final,
	.save = l4_save, .list = l4_list,
};

static const struct bw_ipt_opt udp_opts[] = {
	{ "sport", O_SPORT, true, true }, { "source-port", O_SPORT, true, true },
	{ "dport", O_DPORT, true, true }, { "destination-port", O_DPORT, true, true },
	{ NULL },
};

const struct bw_ipt_ext bw_ipt_ext_udp = {
	.name = "udp", .opts = udp_opts, .parse = l4_parse, .final = l4_final,
	.save = l4_save, .list = l4_list,
};

/* ---- multiport ---- */

static const struct bw_ipt_opt mp_opts[] = {
	{ "source-ports", 1, true, true }, { "sports", 1, true, true },
	{ "destination-ports", 2, true, true }, { "dports", 2, true, true },
	{ "ports", 3, true, true },
	{ NULL },
};

static int mp_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		    struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		    const char *arg, bool inv, const struct bw_loc *loc)
{
	const char *proto = bw_ipt_rule_proto(p->r);
	char buf[512], *save = NULL, *tok;

	(void)t;
	if (m->mp.dir)
		return bw_ipt_err(p, loc, PP, "multiport can only have one option");
	if (!proto || (strcmp(proto, "tcp") && strcmp(proto, "udp") &&
		       strcmp(proto, "sctp") && strcmp(proto, "dccp") &&
		       strcmp(proto, "udplite")))
		return bw_ipt_err(p, loc, PP, "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
	m->mp.dir = o->id;
	m->mp.inv = inv;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct bw_ipt_range16 r;
		int err;

		if (m->mp.n >= 15 || (strchr(tok, ':') && m->mp.n >= 14))
			return bw_ipt_err(p, loc, PP, "too many ports specified");
		err = port_range(p, tok, proto, loc, &r);
		if (err)
			return err;
		m->mp.lo[m->mp.n] = r.lo;
		m->mp.hi[m->mp.n] = r.hi;
		if (strchr(tok, ':')) {
			m->mp.ranges = true;
			m->mp.n++;	/* a range takes two of the 15 */
			m->mp.lo[m->mp.n] = m->mp.hi[m->mp.n] = 0xffff;
		}
		m->mp.n++;
	}
	/* --ports is `sport . dport` in a set of elements with one range
	 * each (ipt_ast.c); with a port range in it, the kernel's
	 * xt_multiport through nf_tables (tcp xt-ports, fields.h) */
	return 0;
}

static int mp_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		    struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	if (!m->mp.dir)
		return bw_ipt_err(p, &m->loc, PP, "multiport expects an option");
	return 0;
}

static void mp_ports(FILE *f, const struct bw_ipt_match *m, const char *proto,
		     bool numeric)
{
	bool first = true;

	for (unsigned i = 0; i < m->mp.n; i++) {
		bool range = m->mp.lo[i] != m->mp.hi[i];

		fputs(first ? "" : ",", f);
		first = false;
		bw_ipt_print_port(f, m->mp.lo[i], proto, numeric);
		if (range) {
			fputc(':', f);
			bw_ipt_print_port(f, m->mp.hi[i], proto, numeric);
			i++;
		}
	}
}

static const char *const mp_dir[] = { "", "sports", "dports", "ports" };

static void mp_save(FILE *f, const struct bw_ipt_rule *r,
		    const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)t;
	fprintf(f, "%s --%s ", m->mp.inv ? " !" : "", mp_dir[m->mp.dir]);
	mp_ports(f, m, bw_ipt_rule_proto(r), true);
}

static void mp_list(FILE *f, const struct bw_ipt_rule *r,
		    const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		    bool numeric)
{
	(void)t;
	fprintf(f, " multiport %s %s", mp_dir[m->mp.dir], m->mp.inv ? " !" : "");
	mp_ports(f, m, bw_ipt_rule_proto(r), numeric);
}

static const struct bw_ipt_ext ext_multiport = {
	.name = "multiport", .opts = mp_opts, .parse = mp_parse,
	.final = mp_final, .save = mp_save, .list = mp_list,
};

/* ---- icmp, icmp6 ---- */

struct icmp_name {
	const char *name;
	uint8_t type, lo, hi;
};

static const struct icmp_name icmp4_names[] = {
	{ "any", 0xff, 0, 0xff }, { "echo-reply", 0, 0, 0xff },
	{ "pong", 0, 0, 0xff }, { "destination-unreachable", 3, 0, 0xff },
	{ "network-unreachable", 3, 0, 0 }, { "host-unreachable", 3, 1, 1 },
	{ "protocol-unreachable", 3, 2, 2 }, { "port-unreachable", 3, 3, 3 },
	{ "fragmentation-needed", 3, 4, 4 }, { "source-route-failed", 3, 5, 5 },
	{ "network-unknown", 3, 6, 6 }, { "host-unknown", 3, 7, 7 },
	{ "network-prohibited", 3, 9, 9 }, { "host-prohibited", 3, 10, 10 },
	{ "TOS-network-unreachable", 3, 11, 11 },
	{ "TOS-host-unreachable", 3, 12, 12 },
	{ "communication-prohibited", 3, 13, 13 },
	{ "host-precedence-violation", 3, 14, 14 },
	{ "precedence-cutoff", 3, 15, 15 }, { "source-quench", 4, 0, 0xff },
	{ "redirect", 5, 0, 0xff }, { "network-redirect", 5, 0, 0 },
	{ "host-redirect", 5, 1, 1 }, { "TOS-network-redirect", 5, 2, 2 },
	{ "TOS-host-redirect", 5, 3, 3 }, { "echo-request", 8, 0, 0xff },
	{ "ping", 8, 0, 0xff }, { "router-advertisement", 9, 0, 0xff },
	{ "router-solicitation", 10, 0, 0xff }, { "time-exceeded", 11, 0, 0xff },
	{ "ttl-exceeded", 11, 0, 0xff }, { "ttl-zero-during-transit", 11, 0, 0 },
	{ "ttl-zero-during-reassembly", 11, 1, 1 },
	{ "parameter-problem", 12, 0, 0xff }, { "ip-header-bad", 12, 0, 0 },
	{ "required-option-missing", 12, 1, 1 },
	{ "timestamp-request", 13, 0, 0xff }, { "timestamp-reply", 14, 0, 0xff },
	{ "address-mask-request", 17, 0, 0xff },
	{ "address-mask-reply", 18, 0, 0xff },
	{ NULL },
};

static const struct icmp_name icmp6_names[] = {
	{ "destination-unreachable", 1, 0, 0xff }, { "no-route", 1, 0, 0 },
	{ "communication-prohibited", 1, 1, 1 }, { "beyond-scope", 1, 2, 2 },
	{ "address-unreachable", 1, 3, 3 }, { "port-unreachable", 1, 4, 4 },
	{ "failed-policy", 1, 5, 5 }, { "reject-route", 1, 6, 6 },
	{ "packet-too-big", 2, 0, 0xff }, { "time-exceeded", 3, 0, 0xff },
	{ "ttl-exceeded", 3, 0, 0xff }, { "ttl-zero-during-transit", 3, 0, 0 },
	{ "ttl-zero-during-reassembly", 3, 1, 1 },
	{ "parameter-problem", 4, 0, 0xff }, { "bad-header", 4, 0, 0 },
	{ "unknown-header-type", 4, 1, 1 }, { "unknown-option", 4, 2, 2 },
	{ "echo-request", 128, 0, 0xff }, { "ping", 128, 0, 0xff },
	{ "echo-reply", 129, 0, 0xff }, { "pong", 129, 0, 0xff },
	{ "router-solicitation", 133, 0, 0xff },
	{ "router-advertisement", 134, 0, 0xff },
	{ "neighbour-solicitation", 135, 0, 0xff },
	{ "neighbor-solicitation", 135, 0, 0xff },
	{ "neighbour-advertisement", 136, 0, 0xff },
	{ "neighbor-advertisement", 136, 0, 0xff },
	{ "redirect", 137, 0, 0xff },
	{ NULL },
};

static const struct bw_ipt_opt icmp_opts[] = {
	{ "icmp-type", 0, true, true }, { NULL },
};
static const struct bw_ipt_opt icmp6_opts[] = {
	{ "icmpv6-type", 0, true, true }, { NULL },
};

static int icmp_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		      struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		      const char *arg, bool inv, const struct bw_loc *loc)
{
	const struct icmp_name *names = p->v6 ? icmp6_names : icmp4_names;
	const char *slash = strchr(arg, '/');
	char type[64];
	uint64_t v;

	(void)t;
	(void)o;
	if (m->seen)
		return bw_ipt_err(p, loc, PP, "multiple --%s options not allowed",
				  p->v6 ? "icmpv6-type" : "icmp-type");
	m->seen = 1;
	m->icmp.inv = inv;
	for (const struct icmp_name *n = names; n->name; n++)
		if (!strcasecmp(arg, n->name)) {
			m->icmp.type = n->type;
			m->icmp.code_lo = n->lo;
			m->icmp.code_hi = n->hi;
			m->icmp.any = n->type == 0xff;
			return 0;
		}
	snprintf(type, sizeof(type), "%.*s",
		 (int)(slash ? (size_t)(slash - arg) : strlen(arg)), arg);
	if (!bw_ipt_num(type, 255, &v))
		return bw_ipt_err(p, loc, PP, "Invalid ICMP%s type `%s'",
				  p->v6 ? "v6" : "", arg);
	m->icmp.type = (uint8_t)v;
	m->icmp.code_lo = 0;
	m->icmp.code_hi = 0xff;
	if (slash) {
		if (!bw_ipt_num(slash + 1, 255, &v))
			return bw_ipt_err(p, loc, PP, "Invalid ICMP%s code `%s'",
					  p->v6 ? "v6" : "", slash + 1);
		m->icmp.code_lo = m->icmp.code_hi = (uint8_t)v;
	}
	return 0;
}

static int icmp_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		      struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	const char *want = p->v6 ? "icmpv6" : "icmp";
	const char *have = bw_ipt_rule_proto(r);

	(void)t;
	if (!have || strcmp(have, want))
		return bw_ipt_err(p, &m->loc, PP, "%s match requires -p %s",
				  m->ext->name, p->v6 ? "ipv6-icmp" : "icmp");
	if (m->seen && m->icmp.inv && (m->icmp.code_lo != 0 || m->icmp.code_hi != 0xff))
		return bw_ipt_unsupported(p, "! --%s with a code", p->v6 ? "icmpv6-type" : "icmp-type");
	if (!m->seen) {
		if (p->v6)
			return bw_ipt_err(p, &m->loc, PP, "icmp6 match: you must specify `--icmpv6-type'");
		m->icmp.type = 0xff;
		m->icmp.code_hi = 0xff;
		m->icmp.any = true;
	}
	return 0;
}

static void icmp_save(FILE *f, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)t;
	fputs(m->icmp.inv ? " !" : "", f);
	if (!r->v6 && m->icmp.type == 0xff) {
		fputs(" --icmp-type any", f);
		return;
	}
	fprintf(f, " --%s %u", r->v6 ? "icmpv6-type" : "icmp-type", m->icmp.type);
	if (m->icmp.code_lo != 0 || m->icmp.code_hi != 0xff)
		fprintf(f, "/%u", m->icmp.code_lo);
}

static void icmp_list(FILE *f, const struct bw_ipt_rule *r,
		      const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		      bool numeric)
{
	const struct icmp_name *names = r->v6 ? icmp6_names : icmp4_names;

	(void)t;
	fputs(r->v6 ? " ipv6-icmp" : " icmp", f);
	if (!numeric)
		for (const struct icmp_name *n = names; n->name; n++)
			if (n->type == m->icmp.type && n->lo == m->icmp.code_lo &&
			    n->hi == m->icmp.code_hi) {
				fprintf(f, " %s%s", m->icmp.inv ? "!" : "", n->name);
				return;
			}
	if (m->icmp.inv)
		fputs(" !", f);
	fprintf(f, "type %u", m->icmp.type);
	if (m->icmp.code_lo == m->icmp.code_hi)
		fprintf(f, " code %u", m->icmp.code_lo);
	else if (m->icmp.code_lo != 0 || m->icmp.code_hi != 0xff)
		fprintf(f, " codes %u-%u", m->icmp.code_lo, m->icmp.code_hi);
}

const struct bw_ipt_ext bw_ipt_ext_icmp = {
	.name = "icmp", .family = 4, .opts = icmp_opts, .parse = icmp_parse,
	.final = icmp_final, .save = icmp_save, .list = icmp_list,
};

const struct bw_ipt_ext bw_ipt_ext_icmp6 = {
	.name = "icmp6", .family = 6, .opts = icmp6_opts, .parse = icmp_parse,
	.final = icmp_final, .save = icmp_save, .list = icmp_list,
};

/* ---- conntrack, state ---- */

/*
 * conntrack: --ctstate (ct state; SNAT and DNAT alone: ct status snat,
 * dnat), --ctstatus (ct status, read by nf_tables: a chain with it runs
 * there), --ctdir (ct direction, the same).  The others read the
 * entry's tuples and timeout, which bpfwall has no field for: passed
 * through.
 */
enum {
	CT_STATE, CT_STATUS, CT_DIR, CT_PROTO, CT_EXPIRE,
	CT_ADDR0,			/* + 0 origsrc, 1 origdst, 2 replsrc, 3 repldst */
	CT_PORT0 = CT_ADDR0 + 4,	/* the same order */
};

static const struct bw_ipt_opt ct_opts[] = {
	{ "ctstate", CT_STATE, true, true },
	{ "ctproto", CT_PROTO, true, true }, { "ctorigsrc", CT_ADDR0, true, true },
	{ "ctorigdst", CT_ADDR0 + 1, true, true }, { "ctreplsrc", CT_ADDR0 + 2, true, true },
	{ "ctrepldst", CT_ADDR0 + 3, true, true }, { "ctorigsrcport", CT_PORT0, true, true },
	{ "ctorigdstport", CT_PORT0 + 1, true, true }, { "ctreplsrcport", CT_PORT0 + 2, true, true },
	{ "ctrepldstport", CT_PORT0 + 3, true, true }, { "ctstatus", CT_STATUS, true, true },
	{ "ctexpire", CT_EXPIRE, true, true }, { "ctdir", CT_DIR, true, false },
	{ NULL },
};
static const char *const ct_addr_opt[4] = {
	"ctorigsrc", "ctorigdst", "ctreplsrc", "ctrepldst",
};
static const struct bw_ipt_opt state_opts[] = {
	{ "state", 0, true, true }, { NULL },
};

static const struct { const char *name; uint8_t bit; } ct_states[] = {
	{ "INVALID", BW_IPT_CT_INVALID }, { "NEW", BW_IPT_CT_NEW },
	{ "RELATED", BW_IPT_CT_RELATED }, { "ESTABLISHED", BW_IPT_CT_ESTABLISHED },
	{ "UNTRACKED", BW_IPT_CT_UNTRACKED }, { "SNAT", BW_IPT_CT_SNAT },
	{ "DNAT", BW_IPT_CT_DNAT },
};

/* IPS_EXPECTED, IPS_SEEN_REPLY, IPS_ASSURED, IPS_CONFIRMED */
static const char *const ct_status_names[4] = {
	"EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED",
};

static int ct_status_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			   const char *arg, const struct bw_loc *loc)
{
	char buf[256], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		if (!strcasecmp(tok, "NONE"))
			continue;
		for (i = 0; i < 4; i++)
			if (!strcasecmp(tok, ct_status_names[i]))
				break;
		if (i == 4)
			return bw_ipt_err(p, loc, PP, "Bad ctstatus \"%s\"", tok);
		m->ct.status |= (uint8_t)(1u << i);
	}
	return 0;
}

/* ADDR[/MASK] of --ctorigsrc and the others (MASK: a length, or for
 * IPv4 an address) */
static bool zero_mask(const uint8_t *m, int len)
{
	for (int i = 0; i < len; i++)
		if (m[i])
			return false;
	return true;
}

static int ct_addr_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m, int i,
			 const char *arg, const struct bw_loc *loc)
{
	const char *slash = strchr(arg, '/');
	uint8_t *a = m->ct.addr[i], *mk = m->ct.amask[i];
	int bits = p->v6 ? 128 : 32;
	char host[64];
	uint64_t v;

	snprintf(host, sizeof(host), "%.*s",
		 (int)(slash ? (size_t)(slash - arg) : strlen(arg)), arg);
	if (!bw_ipt_addr_parse(host, p->v6, a))
		return bw_ipt_err(p, loc, PP, "host/network `%s' not found", host);
	memset(mk, 0, 16);
	if (slash && bw_ipt_num(slash + 1, (uint64_t)bits, &v) &&
	    isdigit((unsigned char)slash[1]))
		bits = (int)v;
	else if (slash && !p->v6 && bw_ipt_addr_parse(slash + 1, false, mk))
		bits = -1;
	else if (slash)
		return bw_ipt_err(p, loc, PP, "invalid mask `%s' specified", slash + 1);
	for (int b = 0; b < bits; b++)
		mk[b / 8] |= (uint8_t)(0x80 >> (b % 8));
	for (int b = 0; b < 16; b++)
		a[b] &= mk[b];
	return 0;
}

/* PORT[:PORT] (numbers or service names) */
static int ct_port_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m, int i,
			 const char *arg, const struct bw_loc *loc)
{
	char buf[64], *colon;
	uint16_t v[2];

	snprintf(buf, sizeof(buf), "%s", arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon = 0;
	for (int k = 0; k < 2; k++) {
		const char *w = k ? (colon ? colon + 1 : buf) : buf;
		struct servent *se;
		uint64_t n;

		if (bw_ipt_num(w, 65535, &n))
			v[k] = (uint16_t)n;
		else if ((se = getservbyname(w, NULL)))
			v[k] = ntohs((uint16_t)se->s_port);
		else
			return bw_ipt_err(p, loc, PP, "Port \"%s\" does not resolve to anything.", w);
	}
	if (v[0] > v[1])
		return bw_ipt_err(p, loc, PP, "invalid portrange (min > max)");
	m->ct.port_lo[i] = v[0];
	m->ct.port_hi[i] = v[1];
	return 0;
}

/* MIN[:MAX] seconds of --ctexpire */
static int ct_expire_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			   const char *arg, const struct bw_loc *loc)
{
	char buf[64], *colon;
	uint64_t lo, hi;

	snprintf(buf, sizeof(buf), "%s", arg);
	colon = strchr(buf, ':');
	if (colon)
		*colon = 0;
	if (!bw_ipt_num(buf, UINT32_MAX, &lo) ||
	    !bw_ipt_num(colon ? colon + 1 : buf, UINT32_MAX, &hi))
		return bw_ipt_err(p, loc, PP, "conntrack: bad value for option \"--ctexpire\", or out of range (0-4294967295).");
	if (lo > hi)
		return bw_ipt_err(p, loc, PP, "conntrack: bad value for option \"--ctexpire\" (min > max)");
	m->ct.exp_lo = (uint32_t)lo;
	m->ct.exp_hi = (uint32_t)hi;
	return 0;
}

static int ct_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		    struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		    const char *arg, bool inv, const struct bw_loc *loc)
{
	char buf[256], *save = NULL, *tok;
	bool state = !strcmp(m->ext->name, "state");

	(void)t;
	m->seen = 1;
	if (!state && o->id == CT_PROTO) {
		struct protoent *pe;
		uint64_t v;

		if (bw_ipt_num(arg, 255, &v))
			m->ct.proto = (uint8_t)v;
		else if ((pe = getprotobyname(arg)) && pe->p_proto >= 0 && pe->p_proto <= 255)
			m->ct.proto = (uint8_t)pe->p_proto;
		else
			return bw_ipt_err(p, loc, PP, "unknown protocol \"%s\" specified", arg);
		if (!m->ct.proto)
			return bw_ipt_err(p, loc, PP, "conntrack: rule would never match protocol");
		m->ct.proto_set = true;
		m->ct.proto_inv = inv;
		return 0;
	}
	if (!state && o->id >= CT_ADDR0 && o->id < CT_ADDR0 + 4) {
		m->ct.addr_set |= (uint8_t)(1u << (o->id - CT_ADDR0));
		if (inv)
			m->ct.addr_inv |= (uint8_t)(1u << (o->id - CT_ADDR0));
		return ct_addr_parse(p, m, o->id - CT_ADDR0, arg, loc);
	}
	if (!state && o->id >= CT_PORT0 && o->id < CT_PORT0 + 4) {
		m->ct.port_set |= (uint8_t)(1u << (o->id - CT_PORT0));
		if (inv)
			m->ct.port_inv |= (uint8_t)(1u << (o->id - CT_PORT0));
		return ct_port_parse(p, m, o->id - CT_PORT0, arg, loc);
	}
	if (!state && o->id == CT_EXPIRE) {
		m->ct.exp_set = true;
		m->ct.exp_inv = inv;
		return ct_expire_parse(p, m, arg, loc);
	}
	if (!state && o->id == CT_STATUS) {
		m->ct.status_set = true;
		m->ct.status_inv = inv;
		return ct_status_parse(p, m, arg, loc);
	}
	if (!state && o->id == CT_DIR) {
		if (!strcasecmp(arg, "ORIGINAL"))
			m->ct.dir = 1;
		else if (!strcasecmp(arg, "REPLY"))
			m->ct.dir = 2;
		else
			return bw_ipt_err(p, loc, PP, "Bad ctdir \"%s\"", arg);
		return 0;
	}
	m->ct.inv = inv;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(ct_states) / sizeof(ct_states[0]); i++)
			if (!strcasecmp(tok, ct_states[i].name))
				break;
		if (i < sizeof(ct_states) / sizeof(ct_states[0]) &&
		    (!state || !(ct_states[i].bit & (BW_IPT_CT_SNAT | BW_IPT_CT_DNAT)))) {
			m->ct.state |= ct_states[i].bit;
			continue;
		}
		return bw_ipt_err(p, loc, PP, state ? "Bad state \"%s\"" :
				  "Bad ctstate \"%s\"", tok);
	}
	/* SNAT and DNAT are the entry's status, the others its state: a
	 * list of both is an `or` of two fields; and no entry (INVALID,
	 * UNTRACKED) passes `! --ctstate SNAT`, which ct status cannot say */
	if ((m->ct.state & (BW_IPT_CT_SNAT | BW_IPT_CT_DNAT)) &&
	    ((m->ct.state & ~(BW_IPT_CT_SNAT | BW_IPT_CT_DNAT)) || inv))
		return bw_ipt_unsupported(p, "ctstate SNAT/DNAT mixed or negated (conntrack)");
	return 0;
}

static int ct_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		    struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)t;
	/* nf_tables types a tuple's port by a protocol known before it */
	if (m->seen && m->ct.port_set && (!m->ct.proto_set || m->ct.proto_inv) && !r->proto)
		return bw_ipt_unsupported(p, "conntrack ports without --ctproto or -p (conntrack)");
	/* ct expiration holds milliseconds in 32 bits (49 days) */
	if (m->seen && m->ct.exp_set && (uint64_t)m->ct.exp_lo * 1000 > UINT32_MAX)
		return bw_ipt_unsupported(p, "ctexpire beyond 4294967 seconds (conntrack)");
	if (m->seen && (m->ct.addr_set & m->ct.addr_inv)) {
		int len = p->v6 ? 16 : 4;

		for (int i = 0; i < 4; i++)
			if ((m->ct.addr_inv & (1u << i)) && zero_mask(m->ct.amask[i], len))
				return bw_ipt_unsupported(p, "! %s of a /0 (conntrack)", ct_addr_opt[i]);
	}
	if (!m->seen)
		return bw_ipt_err(p, &m->loc, PP, !strcmp(m->ext->name, "state") ?
				  "state match: You must specify \"--state\"" :
				  "conntrack: At least one option is required");
	return 0;
}

static void ct_states_print(FILE *f, uint8_t mask)
{
	const char *sep = "";

	for (size_t i = 0; i < sizeof(ct_states) / sizeof(ct_states[0]); i++)
		if (mask & ct_states[i].bit) {
			fprintf(f, "%s%s", sep, ct_states[i].name);
			sep = ",";
		}
}

static void ct_status_print(FILE *f, uint8_t mask)
{
	const char *sep = "";

	if (!mask)
		fputs("NONE", f);
	for (int i = 0; i < 4; i++)
		if (mask & (1u << i)) {
			fprintf(f, "%s%s", sep, ct_status_names[i]);
			sep = ",";
		}
}

/* save: "--" before each option; list: "" */
static void ct_print(FILE *f, const struct bw_ipt_match *m, const char *dd,
		     bool v6)
{
	bool state = !strcmp(m->ext->name, "state");

	if (state || m->ct.state || m->ct.inv) {
		fprintf(f, "%s %s%s ", m->ct.inv ? " !" : "", dd,
			state ? "state" : "ctstate");
		ct_states_print(f, m->ct.state);
	}
	if (m->ct.proto_set)
		fprintf(f, "%s %sctproto %u", m->ct.proto_inv ? " !" : "", dd, m->ct.proto);
	for (int i = 0; i < 4; i++) {
		char a[INET6_ADDRSTRLEN];
		int bits = 0, len = v6 ? 16 : 4;
		bool cidr = true, zero = false;

		if (!(m->ct.addr_set & (1u << i)))
			continue;
		fprintf(f, "%s %s%s ", m->ct.addr_inv & (1u << i) ? " !" : "", dd, ct_addr_opt[i]);
		for (int b = 0; b < len * 8; b++) {
			bool one = m->ct.amask[i][b / 8] & (0x80 >> (b % 8));

			if (one && zero)
				cidr = false;
			zero |= !one;
			bits += one;
		}
		inet_ntop(v6 ? AF_INET6 : AF_INET, m->ct.addr[i], a, sizeof(a));
		fputs(a, f);
		if (!cidr) {	/* iptables' xtables_ipmask_to_numeric */
			inet_ntop(v6 ? AF_INET6 : AF_INET, m->ct.amask[i], a, sizeof(a));
			fprintf(f, "/%s", a);
		} else if (bits != len * 8) {
			fprintf(f, "/%d", bits);
		}
	}
	for (int i = 0; i < 4; i++) {
		static const char *const opt[4] = {
			"ctorigsrcport", "ctorigdstport", "ctreplsrcport", "ctrepldstport",
		};

		if (!(m->ct.port_set & (1u << i)))
			continue;
		fprintf(f, "%s %s%s %u", m->ct.port_inv & (1u << i) ? " !" : "", dd, opt[i],
			m->ct.port_lo[i]);
		if (m->ct.port_hi[i] != m->ct.port_lo[i])
			fprintf(f, ":%u", m->ct.port_hi[i]);
	}
	if (m->ct.status_set) {
		fprintf(f, "%s %sctstatus ", m->ct.status_inv ? " !" : "", dd);
		ct_status_print(f, m->ct.status);
	}
	if (m->ct.exp_set) {
		fprintf(f, "%s %sctexpire %u", m->ct.exp_inv ? " !" : "", dd, m->ct.exp_lo);
		if (m->ct.exp_hi != m->ct.exp_lo)
			fprintf(f, ":%u", m->ct.exp_hi);
	}
	if (m->ct.dir)
		fprintf(f, " %sctdir %s", dd, m->ct.dir == 1 ? "ORIGINAL" : "REPLY");
}

static void ct_save(FILE *f, const struct bw_ipt_rule *r,
		    const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)t;
	ct_print(f, m, "--", r->v6);
}

static void ct_list(FILE *f, const struct bw_ipt_rule *r,
		    const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		    bool numeric)
{
	(void)t;
	(void)numeric;
	ct_print(f, m, "", r->v6);
}

static const struct bw_ipt_ext ext_conntrack = {
	.name = "conntrack", .opts = ct_opts, .parse = ct_parse,
	.final = ct_final, .save = ct_save, .list = ct_list,
};
static const struct bw_ipt_ext ext_state = {
	.name = "state", .opts = state_opts, .parse = ct_parse,
	.final = ct_final, .save = ct_save, .list = ct_list,
};

/* ---- comment ---- */

static const struct bw_ipt_opt comment_opts[] = {
	{ "comment", 0, true, false }, { NULL },
};

static int comment_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			 struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			 const char *arg, bool inv, const struct bw_loc *loc)
{
	(void)t;
	(void)o;
	(void)inv;
	if (strlen(arg) > 255)
		return bw_ipt_err(p, loc, PP, "comment must be at most 255 characters");
	if (strchr(arg, '\n'))
		return bw_ipt_err(p, loc, PP, "comment must not contain a newline");
	snprintf(m->comment, sizeof(m->comment), "%s", arg);
	m->seen = 1;
	return 0;
}

static int comment_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
			 struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	if (!m->seen)
		return bw_ipt_err(p, &m->loc, PP, "comment: option \"--comment\" must be specified");
	return 0;
}

static void comment_save(FILE *f, const struct bw_ipt_rule *r,
			 const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)t;
	fputs(" --comment", f);
	bw_ipt_save_string(f, m->comment);
}

static void comment_list(FILE *f, const struct bw_ipt_rule *r,
			 const struct bw_ipt_match *m,
			 const struct bw_ipt_target *t, bool numeric)
{
	(void)r;
	(void)t;
	(void)numeric;
	fprintf(f, " /* %s */", m->comment);
}

static const struct bw_ipt_ext ext_comment = {
	.name = "comment", .opts = comment_opts, .parse = comment_parse,
	.final = comment_final, .save = comment_save, .list = comment_list,
};

/* ---- limit ---- */

#define LIMIT_SCALE 10000u

static const struct bw_ipt_opt limit_opts[] = {
	{ "limit", 0, true, false }, { "limit-burst", 1, true, false }, { NULL },
};

static const struct { const char *name; uint32_t mult; } limit_rates[] = {
	{ "day", LIMIT_SCALE * 24 * 60 * 60 }, { "hour", LIMIT_SCALE * 60 * 60 },
	{ "min", LIMIT_SCALE * 60 }, { "sec", LIMIT_SCALE },
};

static int limit_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		       struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		       const char *arg, bool inv, const struct bw_loc *loc)
{
	uint64_t v;

	(void)t;
	(void)inv;
	if (o->id == 1) {
		if (!bw_ipt_num(arg, 10000, &v))
			return bw_ipt_err(p, loc, PP, "bad --limit-burst `%s'", arg);
		m->limit.burst = (uint32_t)v;
		return 0;
	}
	{
		const char *slash = strchr(arg, '/');
		char num[32];
		uint64_t mult = LIMIT_SCALE, r;

		snprintf(num, sizeof(num), "%.*s",
			 (int)(slash ? (size_t)(slash - arg) : strlen(arg)), arg);
		if (!bw_ipt_num(num, UINT32_MAX, &r) || !r)
			return bw_ipt_err(p, loc, PP, "bad rate \"%s\"'", arg);
		if (slash) {
			size_t len = strlen(slash + 1);

			if (len && !strncasecmp(slash + 1, "second", len))
				mult = LIMIT_SCALE;
			else if (len && !strncasecmp(slash + 1, "minute", len))
				mult = LIMIT_SCALE * 60;
			else if (len && !strncasecmp(slash + 1, "hour", len))
				mult = (uint64_t)LIMIT_SCALE * 3600;
			else if (len && !strncasecmp(slash + 1, "day", len))
				mult = (uint64_t)LIMIT_SCALE * 86400;
			else
				return bw_ipt_err(p, loc, PP, "bad rate \"%s\"'", arg);
		}
		if (r > mult)
			return bw_ipt_err(p, loc, PP, "Rate too fast \"%s\"", arg);
		m->limit.avg = (uint32_t)(mult / r);
	}
	return 0;
}

static int limit_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		       struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)p;
	(void)r;
	(void)t;
	if (!m->limit.avg)
		m->limit.avg = LIMIT_SCALE * 3600 / 3;
	if (!m->limit.burst)
		m->limit.burst = 5;
	return 0;
}

/* iptables' print_rate: the count per unit it lists */
static void limit_rate(uint32_t period, uint32_t *n, const char **unit)
{
	size_t i;

	for (i = 1; i < sizeof(limit_rates) / sizeof(limit_rates[0]); i++)
		if (period > limit_rates[i].mult ||
		    limit_rates[i].mult / period < limit_rates[i].mult % period)
			break;
	*n = limit_rates[i - 1].mult / period;
	*unit = limit_rates[i - 1].name;
}

static void limit_save(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	const char *unit;
	uint32_t n;

	(void)r;
	(void)t;
	limit_rate(m->limit.avg, &n, &unit);
	fprintf(f, " --limit %u/%s", n, unit);
	if (m->limit.burst != 5)
		fprintf(f, " --limit-burst %u", m->limit.burst);
}

static void limit_list(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m,
		       const struct bw_ipt_target *t, bool numeric)
{
	const char *unit;
	uint32_t n;

	(void)r;
	(void)t;
	(void)numeric;
	limit_rate(m->limit.avg, &n, &unit);
	fprintf(f, " limit: avg %u/%s burst %u", n, unit, m->limit.burst);
}

static const struct bw_ipt_ext ext_limit = {
	.name = "limit", .opts = limit_opts, .parse = limit_parse,
	.final = limit_final, .save = limit_save, .list = limit_list,
};

/* ---- the tables ---- */

static const struct bw_ipt_ext *const exts[] = {
	&bw_ipt_ext_tcp, &bw_ipt_ext_udp, &bw_ipt_ext_icmp, &bw_ipt_ext_icmp6,
	&ext_multiport, &ext_conntrack, &ext_state, &ext_comment, &ext_limit,
	&bw_ipt_ext_iprange, &bw_ipt_ext_mac, &bw_ipt_ext_mark, &bw_ipt_ext_connmark,
	&bw_ipt_ext_length, &bw_ipt_ext_ttl, &bw_ipt_ext_hl, &bw_ipt_ext_pkttype,
	&bw_ipt_ext_addrtype, &bw_ipt_ext_owner,
	&bw_ipt_ext_dscp, &bw_ipt_ext_reject, &bw_ipt_ext_log, &bw_ipt_ext_nflog,
	&bw_ipt_ext_markt, &bw_ipt_ext_set,
	&bw_ipt_ext_markt, &bw_ipt_ext_connmarkt,
};

const struct bw_ipt_ext *bw_ipt_ext_find(const char *name, bool target, bool v6)
{
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		const struct bw_ipt_ext *e = exts[i];

		if (e->target != target || strcmp(e->name, name))
			continue;
		if (e->family && e->family != (v6 ? 6 : 4))
			continue;
		return e;
	}
	/* icmpv6 is icmp6's other name */
	if (!target && v6 && !strcmp(name, "icmpv6"))
		return &bw_ipt_ext_icmp6;
	return NULL;
}

/* iptables' other extensions: passed through, never guessed at. */
static const char *const other_matches[] = {
	"addrtype", "ah", "bpf", "cgroup", "cluster", "connbytes", "connlabel",
	"connlimit", "connmark", "cpu", "dccp", "devgroup", "dst", "ecn", "esp",
	"eui64", "frag", "hashlimit", "hbh", "helper", "ipcomp", "ipv6header",
	"ipvs", "mh", "nfacct", "osf", "owner", "physdev", "policy", "quota",
	"rateest", "realm", "recent", "rpfilter", "rt", "sctp", "socket",
	"srh", "statistic", "string", "tcpmss", "time", "tos", "u32", "udplite",
	NULL,
};
static const char *const other_targets[] = {
	"AUDIT", "CHECKSUM", "CLASSIFY", "CLUSTERIP", "CONNMARK", "CONNSECMARK",
	"CT", "DNAT", "DNPT", "DSCP", "ECN", "HL", "HMARK", "IDLETIMER", "LED",
	"MASQUERADE", "NETMAP", "NFQUEUE", "NOTRACK", "QUEUE", "RATEEST",
	"REDIRECT", "SECMARK", "SET", "SNAT", "SNPT", "SYNPROXY", "TCPMSS",
	"TCPOPTSTRIP", "TEE", "TOS", "TPROXY", "TRACE", "TTL", "ULOG",
	NULL,
};

bool bw_ipt_ext_known(const char *name, bool target)
{
	for (const char *const *n = target ? other_targets : other_matches; *n; n++)
		if (!strcmp(*n, name))
			return true;
	return false;
}
