// SPDX-License-Identifier: GPL-2.0-only
/*
 * iptables targets bpfwall compiles beside the standard ones: REJECT, LOG,
 * NFLOG (rows of ipt_ext.h).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ipt_ext.h"

#define PP BW_IPT_EXIT_PARAM

/* ---- REJECT ---- */

const struct bw_ipt_reject bw_ipt_rejects[] = {
	{ "icmp-net-unreachable", "net-unreach", false, "icmp", "net-unreachable" },
	{ "icmp-host-unreachable", "host-unreach", false, "icmp", "host-unreachable" },
	{ "icmp-port-unreachable", "port-unreach", false, "icmp", "port-unreachable" },
	{ "icmp-proto-unreachable", "proto-unreach", false, "icmp", "prot-unreachable" },
	{ "icmp-net-prohibited", "net-prohib", false, "icmp", "net-prohibited" },
	{ "icmp-host-prohibited", "host-prohib", false, "icmp", "host-prohibited" },
	{ "icmp-admin-prohibited", "admin-prohib", false, "icmp", "admin-prohibited" },
	{ "tcp-reset", "tcp-rst", false, "tcp", "reset" },
	{ "icmp6-no-route", "no-route", true, "icmpv6", "no-route" },
	{ "icmp6-adm-prohibited", "adm-prohibited", true, "icmpv6", "admin-prohibited" },
	{ "icmp6-addr-unreachable", "addr-unreach", true, "icmpv6", "addr-unreachable" },
	{ "icmp6-port-unreachable", "port-unreach", true, "icmpv6", "port-unreachable" },
	{ "icmp6-policy-fail", "policy-fail", true, "icmpv6", "policy-fail" },
	{ "icmp6-reject-route", "reject-route", true, "icmpv6", "reject-route" },
	{ "tcp-reset", "tcp-rst", true, "tcp", "reset" },
};
const unsigned bw_ipt_nrejects = sizeof(bw_ipt_rejects) / sizeof(bw_ipt_rejects[0]);

static const struct bw_ipt_opt reject_opts[] = {
	{ "reject-with", 0, true, false }, { NULL },
};

int bw_ipt_reject_default(bool v6)
{
	for (unsigned i = 0; i < bw_ipt_nrejects; i++)
		if (bw_ipt_rejects[i].v6 == v6 &&
		    strstr(bw_ipt_rejects[i].name, "port-unreachable"))
			return (int)i;
	return 0;
}

static int reject_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
			struct bw_ipt_target *t, const struct bw_ipt_opt *o,
			const char *arg, bool inv, const struct bw_loc *loc)
{
	(void)m;
	(void)o;
	(void)inv;
	for (unsigned i = 0; i < bw_ipt_nrejects; i++) {
		const struct bw_ipt_reject *j = &bw_ipt_rejects[i];

		if (j->v6 != p->v6)
			continue;
		if (!strcasecmp(arg, j->name) || (j->alias && !strcasecmp(arg, j->alias))) {
			t->reject = (uint8_t)i;
			return 0;
		}
	}
	return bw_ipt_err(p, loc, PP, "unknown reject type \"%s\"", arg);
}

static int reject_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
			struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	const char *proto = bw_ipt_rule_proto(r);

	(void)m;
	/* iptables-nft leaves this check to the kernel (xt_REJECT's
	 * checkentry): its status is then 4, "RULE_APPEND failed" */
	if (!strcmp(bw_ipt_rejects[t->reject].name, "tcp-reset") &&
	    (!proto || strcmp(proto, "tcp")))
		return bw_ipt_err(p, &t->loc, p->restore ? PP : BW_IPT_EXIT_RESOURCE,
				  "TCP RST can only be used with -p tcp");
	return 0;
}

static void reject_save(FILE *f, const struct bw_ipt_rule *r,
			const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)m;
	fprintf(f, " --reject-with %s", bw_ipt_rejects[t->reject].name);
}

static void reject_list(FILE *f, const struct bw_ipt_rule *r,
			const struct bw_ipt_match *m,
			const struct bw_ipt_target *t, bool numeric)
{
	(void)r;
	(void)m;
	(void)numeric;
	fprintf(f, " reject-with %s", bw_ipt_rejects[t->reject].name);
}

const struct bw_ipt_ext bw_ipt_ext_reject = {
	.name = "REJECT", .target = true, .opts = reject_opts,
	.parse = reject_parse, .final = reject_final, .save = reject_save,
	.list = reject_list,
};

/* ---- LOG ---- */

enum { L_LEVEL, L_PREFIX, L_SEQ, L_TCPOPT, L_IPOPT, L_UID, L_MAC };

static const struct bw_ipt_opt log_opts[] = {
	{ "log-level", L_LEVEL, true, false }, { "log-prefix", L_PREFIX, true, false },
	{ "log-tcp-sequence", L_SEQ, false, false },
	{ "log-tcp-options", L_TCPOPT, false, false },
	{ "log-ip-options", L_IPOPT, false, false }, { "log-uid", L_UID, false, false },
	{ "log-macdecode", L_MAC, false, false },
	{ NULL },
};

static const struct { const char *name; uint8_t level; } log_levels[] = {
	{ "alert", 1 }, { "crit", 2 }, { "debug", 7 }, { "emerg", 0 },
	{ "error", 3 }, { "info", 6 }, { "notice", 5 }, { "panic", 0 },
	{ "warning", 4 }, { "warn", 4 },
};
static const char *const log_level_names[8] = {
	"emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
};

static int log_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		     struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		     const char *arg, bool inv, const struct bw_loc *loc)
{
	uint64_t v;

	(void)m;
	(void)inv;
	switch (o->id) {
	case L_LEVEL:
		if (bw_ipt_num(arg, 7, &v)) {
			t->level = (uint8_t)v;
			return 0;
		}
		for (size_t i = 0; i < sizeof(log_levels) / sizeof(log_levels[0]); i++)
			if (!strcasecmp(arg, log_levels[i].name)) {
				t->level = log_levels[i].level;
				return 0;
			}
		return bw_ipt_err(p, loc, PP, "log-level `%s' unknown", arg);
	case L_PREFIX:
		if (strlen(arg) > 29)
			return bw_ipt_err(p, loc, PP, "Maximum prefix length 29 for --log-prefix");
		if (strchr(arg, '\n'))
			return bw_ipt_err(p, loc, PP, "Newlines not allowed in --log-prefix");
		snprintf(t->prefix, sizeof(t->prefix), "%s", arg);
		t->has_prefix = true;
		return 0;
	default:
		t->logflags |= (uint8_t)(1u << (o->id - L_SEQ));
		return 0;
	}
}

static int log_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		     struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)p;
	(void)r;
	(void)m;
	(void)t;
	return 0;
}

static const char *const log_flag_opt[] = {
	"--log-tcp-sequence", "--log-tcp-options", "--log-ip-options",
	"--log-uid", "--log-macdecode",
};
static const char *const log_flag_list[] = {
	" tcp-sequence", " tcp-options", " ip-options", " uid", " macdecode",
};

static void log_save(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)m;
	if (t->prefix[0]) {
		fputs(" --log-prefix", f);
		bw_ipt_save_string(f, t->prefix);
	}
	if (t->level != 4)
		fprintf(f, " --log-level %u", t->level);
	for (int i = 0; i < 5; i++)
		if (t->logflags & (1u << i))
			fprintf(f, " %s", log_flag_opt[i]);
}

static void log_list(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		     bool numeric)
{
	(void)r;
	(void)m;
	fputs(" LOG", f);
	if (numeric) {
		fprintf(f, " flags %u level %u", t->logflags, t->level);
	} else {
		fprintf(f, " level %s", log_level_names[t->level & 7]);
		for (int i = 0; i < 5; i++)
			if (t->logflags & (1u << i))
				fputs(log_flag_list[i], f);
	}
	if (t->prefix[0])
		fprintf(f, " prefix \"%s\"", t->prefix);
}

const struct bw_ipt_ext bw_ipt_ext_log = {
	.name = "LOG", .target = true, .opts = log_opts, .parse = log_parse,
	.final = log_final, .save = log_save, .list = log_list,
};

/* ---- NFLOG ---- */

enum { N_GROUP, N_PREFIX, N_RANGE, N_SIZE, N_THRESHOLD };

static const struct bw_ipt_opt nflog_opts[] = {
	{ "nflog-group", N_GROUP, true, false }, { "nflog-prefix", N_PREFIX, true, false },
	{ "nflog-range", N_RANGE, true, false, true },
	{ "nflog-size", N_SIZE, true, false },
	{ "nflog-threshold", N_THRESHOLD, true, false },
	{ NULL },
};

static int nflog_parse(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		       struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		       const char *arg, bool inv, const struct bw_loc *loc)
{
	uint64_t v;

	(void)m;
	(void)inv;
	switch (o->id) {
	case N_GROUP:
		if (!bw_ipt_num(arg, 65535, &v))
			return bw_ipt_err(p, loc, PP, "NFLOG: Invalid --nflog-group: \"%s\"", arg);
		t->group = (uint16_t)v;
		return 0;
	case N_PREFIX:
		if (strchr(arg, '\n'))
			return bw_ipt_err(p, loc, PP, "Newlines not allowed in --nflog-prefix");
		/* as iptables: kept to 63 bytes */
		snprintf(t->prefix, sizeof(t->prefix), "%.63s", arg);
		t->has_prefix = true;
		return 0;
	case N_SIZE:
		if (!bw_ipt_num(arg, UINT32_MAX, &v))
			return bw_ipt_err(p, loc, PP, "NFLOG: Invalid --nflog-size: \"%s\"", arg);
		t->size = (uint32_t)v;
		t->has_size = true;
		return 0;
	case N_THRESHOLD:
		if (!bw_ipt_num(arg, 65535, &v))
			return bw_ipt_err(p, loc, PP, "NFLOG: Invalid --nflog-threshold: \"%s\"", arg);
		t->threshold = (uint16_t)v;
		return 0;
	}
	return bw_ipt_unsupported(p, "option --nflog-range of target NFLOG");
}

static int nflog_final(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		       struct bw_ipt_match *m, struct bw_ipt_target *t)
{
	(void)p;
	(void)r;
	(void)m;
	(void)t;
	return 0;
}

static void nflog_print(FILE *f, const struct bw_ipt_target *t, const char *pfx)
{
	if (t->prefix[0]) {
		fprintf(f, " %snflog-prefix", pfx);
		bw_ipt_save_string(f, t->prefix);
	}
	if (t->group)
		fprintf(f, " %snflog-group %u", pfx, t->group);
	if (t->has_size)
		fprintf(f, " %snflog-size %u", pfx, t->size);
	if (t->threshold)
		fprintf(f, " %snflog-threshold %u", pfx, t->threshold);
}

static void nflog_save(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m, const struct bw_ipt_target *t)
{
	(void)r;
	(void)m;
	nflog_print(f, t, "--");
}

static void nflog_list(FILE *f, const struct bw_ipt_rule *r,
		       const struct bw_ipt_match *m,
		       const struct bw_ipt_target *t, bool numeric)
{
	(void)r;
	(void)m;
	(void)numeric;
	nflog_print(f, t, "");
}

const struct bw_ipt_ext bw_ipt_ext_nflog = {
	.name = "NFLOG", .target = true, .opts = nflog_opts,
	.parse = nflog_parse, .final = nflog_final, .save = nflog_save,
	.list = nflog_list,
};
