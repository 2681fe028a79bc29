/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The iptables front end: iptables/ip6tables command lines and
 * iptables-restore lines, parsed into iptables rules with locations
 * (ipt_parse.c, the extensions as data in ipt_ext.c); a rule printed in
 * the canonical form iptables-save prints (ipt_print.c); a table of rules
 * turned into the same syntax tree as the nft language (ipt_ast.c), so
 * that one evaluator and one compiler serve both.
 *
 * Errors are iptables' messages (what callers that parse them expect),
 * each queued as a diagnostic at the word it is about, and an exit status
 * as iptables gives it: 2 for a bad parameter, 1 for the rest.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ast.h"
#include "diag.h"

#define BW_IPT_VERSION	"1.8.11"
#define BW_IPT_CHAIN_MAX 29		/* XT_EXTENSION_MAXNAMELEN - 1 */

/* iptables' exit statuses */
enum {
	BW_IPT_EXIT_OK = 0,
	BW_IPT_EXIT_OTHER = 1,		/* OTHER_PROBLEM */
	BW_IPT_EXIT_PARAM = 2,		/* PARAMETER_PROBLEM */
	BW_IPT_EXIT_VERSION = 3,	/* VERSION_PROBLEM */
	BW_IPT_EXIT_RESOURCE = 4,	/* RESOURCE_PROBLEM (the lock) */
};

/* A table bpfwall compiles, or one it hands to iptables-nft. */
enum bw_ipt_table {
	BW_IPT_FILTER,
	BW_IPT_RAW,
	BW_IPT_NAT,			/* passed through */
	BW_IPT_MANGLE,			/* passed through */
	BW_IPT_SECURITY,		/* passed through */
	BW_IPT__NTABLES,
};
extern const char *const bw_ipt_table_name[BW_IPT__NTABLES];
int bw_ipt_table_find(const char *name);	/* -1: none */
static inline bool bw_ipt_table_ours(int t)
{
	return t == BW_IPT_FILTER || t == BW_IPT_RAW;
}

/* ---- matches ---- */

struct bw_ipt_ext;

struct bw_ipt_range16 {
	uint16_t lo, hi;
	bool set, inv;
};

struct bw_ipt_match {
	const struct bw_ipt_ext *ext;
	struct bw_loc loc;		/* "-m NAME" and its options */
	struct bw_ipt_match *next;
	uint32_t seen;			/* options given (bit per option) */
	union {
		struct {		/* tcp, udp */
			struct bw_ipt_range16 sport, dport;
			uint8_t flg_mask, flg_cmp;
			bool flg_set, flg_inv;
			uint8_t option;	/* --tcp-option (0: none) */
			bool opt_inv;
		} l4;
		struct {		/* multiport */
			uint8_t dir;	/* 1 source, 2 destination, 3 either */
			uint8_t n;
			uint16_t lo[15], hi[15];
			bool inv, ranges;
		} mp;
		struct {		/* icmp, icmp6 */
			uint8_t type, code_lo, code_hi;
			bool any, inv;
			const char *name;	/* the name, for -L */
		} icmp;
		struct {		/* conntrack, state --state */
			uint8_t state;	/* --ctstate: BW_IPT_CT_* bits */
			bool inv;
			bool status_set, status_inv;
			uint8_t status;	/* --ctstatus: IPS_* bits 0-3 */
			uint8_t dir;	/* --ctdir: 0 none, 1 ORIGINAL,
					 * 2 REPLY */
			/* --ctproto */
			bool proto_set, proto_inv;
			uint8_t proto;
			/* --ctorigsrc, --ctorigdst, --ctreplsrc,
			 * --ctrepldst: bit i of addr_set / addr_inv */
			uint8_t addr_set, addr_inv;
			uint8_t addr[4][16], amask[4][16];
			/* --ct{orig,repl}{src,dst}port, in that order */
			uint8_t port_set, port_inv;
			uint16_t port_lo[4], port_hi[4];
			/* --ctexpire MIN[:MAX], seconds */
			bool exp_set, exp_inv;
			uint32_t exp_lo, exp_hi;
		} ct;
		char comment[256];
		struct {		/* limit */
			uint32_t avg;	/* XT_LIMIT_SCALE (10000) per second */
			uint32_t burst;
		} limit;
		struct {		/* iprange */
			uint8_t lo[2][16], hi[2][16];
			bool set[2], inv[2];	/* [0] source, [1] destination */
		} ipr;
		struct {		/* mac */
			uint8_t addr[6];
			bool inv;
		} mac;
		struct {		/* mark */
			uint32_t value, mask;
			bool inv;
		} mark;
		struct {		/* length */
			uint16_t lo, hi;
			bool inv;
		} len;
		struct {		/* ttl, hl */
			uint8_t mode;	/* 0 eq, 1 ne, 2 lt, 3 gt */
			uint8_t value;
		} ttl;
		struct {		/* pkttype */
			uint8_t type;	/* PACKET_HOST 0, BROADCAST 1, MULTICAST 2 */
			bool inv;
		} pkt;
		struct {		/* dscp */
			uint8_t value;
			bool inv;
		} dscp;
		struct {		/* addrtype: 1 << RTN_* */
			uint16_t type[2];	/* [0] source, [1] destination */
			bool inv[2];
			uint8_t limit;		/* 1: --limit-iface-in, 2: -out */
		} at;
		struct {		/* owner */
			uint32_t lo[2], hi[2];	/* [0] uid, [1] gid */
			bool set[2], inv[2];
			bool sock, sock_inv;	/* --socket-exists */
			bool suppl;		/* --suppl-groups */
		} own;
		struct {		/* set --match-set NAME DIRS */
			char name[32];
			uint8_t dim;	/* directions given (1-6) */
			uint8_t src;	/* bit d-1: dimension d from the source */
			bool inv, nomatch, skip_counters, skip_subcounters;
		} set;
	};
};

enum {
	BW_IPT_CT_INVALID = 1 << 0,
	BW_IPT_CT_ESTABLISHED = 1 << 1,
	BW_IPT_CT_RELATED = 1 << 2,
	BW_IPT_CT_NEW = 1 << 3,
	BW_IPT_CT_UNTRACKED = 1 << 4,
	BW_IPT_CT_SNAT = 1 << 5,	/* the entry's status: IPS_SRC_NAT */
	BW_IPT_CT_DNAT = 1 << 6,	/* IPS_DST_NAT */
};

/* ---- targets ---- */

enum bw_ipt_target_kind {
	BW_IPT_T_NONE,			/* no -j: counts only */
	BW_IPT_T_ACCEPT,
	BW_IPT_T_DROP,
	BW_IPT_T_RETURN,
	BW_IPT_T_JUMP,			/* -j CHAIN */
	BW_IPT_T_GOTO,			/* -g CHAIN */
	BW_IPT_T_REJECT,
	BW_IPT_T_LOG,
	BW_IPT_T_NFLOG,
	BW_IPT_T_MARK,			/* not a verdict: the rule goes on */
	BW_IPT_T_CONNMARK,		/* the same */
};

struct bw_ipt_target {
	enum bw_ipt_target_kind kind;
	char chain[BW_IPT_CHAIN_MAX + 1];	/* JUMP, GOTO */
	struct bw_loc loc;			/* "-j NAME" and its options */
	uint8_t reject;			/* REJECT: index in bw_ipt_rejects */
	char prefix[65];		/* LOG (29), NFLOG (64) */
	bool has_prefix;
	uint8_t level;			/* LOG, default 4 */
	uint8_t logflags;		/* LOG: XT_LOG_* as iptables keeps them */
	uint16_t group;			/* NFLOG */
	uint32_t size;			/* NFLOG --nflog-size */
	uint16_t threshold;		/* NFLOG, default 1 */
	bool has_size;
	bool mark_set;			/* MARK: one option given */
	uint32_t mark, mark_mask;	/* MARK: (mark & ~mask) ^ mark;
					 * CONNMARK set: the ct mark's */
	uint8_t cmode;			/* CONNMARK: 1 set, 2 save, 3 restore */
	uint32_t nfmask, ctmask;	/* CONNMARK save, restore */
};

struct bw_ipt_reject {
	const char *name;		/* --reject-with NAME (canonical) */
	const char *alias;		/* another accepted spelling, or NULL */
	bool v6;
	const char *nft_kind;		/* "icmp", "icmpv6", "tcp" */
	const char *nft_code;		/* "port-unreachable", "reset" */
};
extern const struct bw_ipt_reject bw_ipt_rejects[];
extern const unsigned bw_ipt_nrejects;

/* ---- a rule ---- */

struct bw_ipt_rule {
	struct bw_loc loc;		/* the whole rule (from the chain name) */
	bool v6;
	bool has_src, has_dst, inv_src, inv_dst;
	uint8_t src[16], smsk[16], dst[16], dmsk[16];	/* network order */
	char in[17], out[17];		/* "" when not given; "eth+" as given */
	bool inv_in, inv_out;
	bool has_proto, inv_proto;
	uint8_t proto;
	bool frag, inv_frag;
	struct bw_ipt_match *match, *match_last;
	struct bw_ipt_target target;
	bool has_counters;		/* -c / [p:b] */
	uint64_t pkts, bytes;
	struct bw_ipt_rule *next;	/* in its chain */
};

/* ---- a command line ---- */

struct bw_ipt_cmd {
	char cmd;			/* A I D R C S L F Z N X E P, 0 none */
	char cmd2;			/* -L -Z together: 'Z' */
	int table;			/* enum bw_ipt_table */
	bool table_given;
	const char *chain;		/* NULL: all (-L, -S, -F, -Z, -X) */
	struct bw_loc chain_loc;
	const char *arg2;		/* -E new name, -P policy */
	uint32_t rulenum;		/* -I (default 1), -D/-R/-S/-L/-Z N; 0 none */
	struct bw_ipt_rule *rule;	/* -A -I -D -R -C (-D N: NULL) */
	bool numeric, verbose, exact, line_numbers;
	bool wait_given;
	int wait;			/* -w SECONDS; -1 without a number */
	bool v4_only, v6_only;		/* -4, -6 */
	bool version, help;
	/* an unsupported table or extension: what, for the pass-through
	 * log and --strict's refusal ("table nat", "extension owner") */
	char unsupported[64];
};

/*
 * The words of one command (argv without argv[0], or a restore line's
 * words after the table line), each with its location in src (the words
 * as they stand in a line).  v6: ip6tables.  restore: a line of
 * iptables-restore (no table, -t refused; no -L/-S/...).  Allocates from
 * arena.  Returns 0, or an exit status with iptables' message queued at
 * the offending word.
 */
struct bw_ipt_words {
	int n;
	char **w;			/* NUL-terminated copies */
	struct bw_loc *loc;
};
int bw_ipt_parse(struct bw_arena *a, const struct bw_ipt_words *words,
		 bool v6, bool restore, struct bw_diags *d,
		 struct bw_ipt_cmd *out);

/* Split a restore line (src line `line`, text s) into words as
 * iptables-restore does (double quotes group, \" escapes). */
int bw_ipt_split(struct bw_arena *a, const struct bw_src *src, uint32_t line,
		 const char *s, size_t len, struct bw_ipt_words *out,
		 struct bw_diags *d);

/* Are two rules the same (-D RULE, -C)?  Counters aside. */
bool bw_ipt_rule_eq(const struct bw_ipt_rule *a, const struct bw_ipt_rule *b);

/* -m set against the sets (grammar/ipset.h): 0, or an exit status with
 * iptables' message (or bpfwall's refusal) in msg. */
struct bw_ipset_list;
int bw_ipt_set_check(const struct bw_ipset_list *l, const struct bw_ipt_rule *r,
		     bool v6, char *msg, size_t len);
/* Does the rule name that set? */
bool bw_ipt_set_uses(const struct bw_ipt_rule *r, const char *name);

/* ---- printing ---- */

/* "-A CHAIN ...": the rule as iptables-save prints it (no newline, no
 * counters). */
void bw_ipt_print_rule(FILE *f, const char *chain, const struct bw_ipt_rule *r);
/* The match and target part of `iptables -L` (after the columns). */
void bw_ipt_print_list(FILE *f, const struct bw_ipt_rule *r, bool numeric);
/* An address with its mask: "1.2.3.4/32", "10.0.0.0/8", "0.0.0.0/0"
 * (numeric) or "anywhere". */
void bw_ipt_print_addr(FILE *f, bool v6, const uint8_t *a, const uint8_t *m,
		       bool save, bool numeric);
/* The name -L shows in the target column ("ACCEPT", a chain, NULL). */
const char *bw_ipt_target_name(const struct bw_ipt_target *t);
/* Protocol name as iptables prints it ("tcp", "all", or the number). */
const char *bw_ipt_proto_name(uint8_t proto, char buf[8]);

/* ---- to the syntax tree ---- */

/*
 * The rules of one iptables table as nft items: `table ip|ip6 NAME {
 * chain ... }`, base chains at iptables' hooks and priorities (filter 0,
 * raw -300), each rule with a counter (its counts preset), every node
 * located at the rule's words.  Each base chain ends with a rule of a
 * counter only, the policy's counter (located at the chain's line).
 */
struct bw_ipt_chain {
	char name[BW_IPT_CHAIN_MAX + 1];
	bool builtin;
	int policy;			/* builtin: BW_IPT_T_ACCEPT or _DROP */
	uint64_t pkts, bytes;		/* the policy's counts */
	struct bw_loc loc;		/* its ":NAME POLICY" line */
	struct bw_ipt_rule *rules, *rules_last;
	uint32_t nrules;
	struct bw_ipt_chain *next;
};

struct bw_ipset_list;

struct bw_ipt_tbl {
	int table;
	bool v6;
	/* the sets `-m set` names (grammar/ipset.h), for bw_ipt_to_ast */
	const struct bw_ipset_list *sets;
	struct bw_ipt_chain *chains;	/* builtins first, then by name */
};

/* The builtin chains of a table ("INPUT", ...), NULL-terminated. */
const char *const *bw_ipt_builtins(int table);

int bw_ipt_to_ast(struct bw_arena *a, const struct bw_ipt_tbl *t,
		  struct bw_diags *d, struct bw_ast_item **out);
