/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iptables extensions as data (internal to the iptables front end): each
 * match and target is a row with its options, a parser per option, a check
 * when the command line is complete, and its save and list printers.
 * Extensions iptables has that bpfwall does not compile are rows without
 * a parser: a command that names one is passed through (or refused with
 * --strict).
 */
#pragma once

#include "ipt.h"

struct bw_ipt_pctx;

struct bw_ipt_opt {
	const char *name;		/* "dport" (after --) */
	uint8_t id;			/* the extension's option number */
	bool arg;			/* takes an argument */
	bool inv;			/* may follow ! */
	bool unsupported;		/* iptables has it, bpfwall does not */
};

struct bw_ipt_ext {
	const char *name;
	bool target;
	uint8_t family;			/* 4, 6, or 0: both */
	const struct bw_ipt_opt *opts;	/* NULL-terminated by name */
	/* one option (m: a match, t: the target); 0 or an exit status */
	int (*parse)(struct bw_ipt_pctx *p, struct bw_ipt_match *m,
		     struct bw_ipt_target *t, const struct bw_ipt_opt *o,
		     const char *arg, bool inv, const struct bw_loc *loc);
	/* the command line is complete: mandatory options, defaults */
	int (*final)(struct bw_ipt_pctx *p, struct bw_ipt_rule *r,
		     struct bw_ipt_match *m, struct bw_ipt_target *t);
	void (*save)(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t);
	void (*list)(FILE *f, const struct bw_ipt_rule *r,
		     const struct bw_ipt_match *m, const struct bw_ipt_target *t,
		     bool numeric);
};

/* REJECT without --reject-with: the port unreachable of the family. */
int bw_ipt_reject_default(bool v6);

/* The parse context ipt_parse.c keeps; extensions report through it. */
struct bw_ipt_pctx {
	struct bw_arena *a;
	struct bw_diags *d;
	bool v6, restore;
	const struct bw_ipt_words *w;
	struct bw_ipt_cmd *c;
	struct bw_ipt_rule *r;
};

/* Queue iptables' message at loc; returns status. */
int bw_ipt_err(struct bw_ipt_pctx *p, const struct bw_loc *loc, int status,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The command names something bpfwall does not compile (what: "extension
 * owner", "option --ctstatus"); returns BW_IPT_UNSUPPORTED. */
#define BW_IPT_UNSUPPORTED 100
int bw_ipt_unsupported(struct bw_ipt_pctx *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The extension of that name for the family (NULL: none), a match or a
 * target. */
const struct bw_ipt_ext *bw_ipt_ext_find(const char *name, bool target,
					 bool v6);
/* Names of iptables extensions bpfwall passes through. */
bool bw_ipt_ext_known(const char *name, bool target);

/* Numbers as iptables reads them (strtoul base 0, bounds). */
bool bw_ipt_num(const char *s, uint64_t max, uint64_t *out);
/* An address of the family, into 16 bytes. */
bool bw_ipt_addr_parse(const char *s, bool v6, uint8_t *out);
/* The save form of a string (quoted when it has to be). */
void bw_ipt_save_string(FILE *f, const char *s);
/* A port (a service name from /etc/services unless numeric). */
void bw_ipt_print_port(FILE *f, uint16_t port, const char *proto, bool numeric);
/* The protocol a rule names, as a name the extensions know ("tcp"). */
const char *bw_ipt_rule_proto(const struct bw_ipt_rule *r);

extern const struct bw_ipt_ext bw_ipt_ext_tcp, bw_ipt_ext_udp,
	bw_ipt_ext_icmp, bw_ipt_ext_icmp6;
/* ipt_field.c */
extern const struct bw_ipt_ext bw_ipt_ext_iprange, bw_ipt_ext_mac,
	bw_ipt_ext_mark, bw_ipt_ext_connmark, bw_ipt_ext_connmarkt, bw_ipt_ext_length, bw_ipt_ext_ttl, bw_ipt_ext_hl,
	bw_ipt_ext_pkttype, bw_ipt_ext_dscp, bw_ipt_ext_addrtype, bw_ipt_ext_owner,
	bw_ipt_ext_markt;
/* ipt_set.c */
extern const struct bw_ipt_ext bw_ipt_ext_set;
/* ipt_target.c */
extern const struct bw_ipt_ext bw_ipt_ext_reject, bw_ipt_ext_log,
	bw_ipt_ext_nflog;
