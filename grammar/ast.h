/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The syntax tree of a rule file (or of a packet spec), as the parser
 * builds it: no meaning attached yet, every node with its exact location.
 * Names and values are kept as written (strings); evaluate (compiler/)
 * gives them types.  All nodes live in one arena, freed at once.
 *
 * Lists are singly linked through `next`, in source order.  Statements
 * and items are allocated only as large as their kind's part of the union
 * (large rulesets make large trees): never read another kind's members.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* ---- arena ---- */

struct bw_arena;

int bw_arena_new(struct bw_arena **out);
void bw_arena_free(struct bw_arena **p);
/* Zeroed memory; NULL when out of memory. */
void *bw_arena_alloc(struct bw_arena *a, size_t n);
char *bw_arena_strndup(struct bw_arena *a, const char *s, size_t n);

/* ---- expressions (values) ---- */

enum bw_ast_expr_kind {
	BW_AE_NUMBER,		/* text: "22", "0x10" */
	BW_AE_SYMBOL,		/* text: a bare word: "ssh", "tcp", "echo-request" */
	BW_AE_STRING,		/* text: a quoted string, without the quotes */
	BW_AE_ADDR,		/* text: "192.0.2.1", "2001:db8::1", "02:00:00:00:00:01" */
	BW_AE_VAR,		/* text: NAME of $NAME */
	BW_AE_SETREF,		/* text: NAME of @NAME */
	BW_AE_PREFIX,		/* left / right (a NUMBER; for flags, nft's
				 * `value / mask` form: `syn / syn,ack`, the
				 * list around it belongs to both sides) */
	BW_AE_RANGE,		/* left - right */
	BW_AE_OR,		/* left | right */
	BW_AE_LIST,		/* a, b, c (flags): elems */
	BW_AE_SET,		/* { a, b, c }: elems */
	BW_AE_CONCAT,		/* a . b . c: elems */
	BW_AE_MAPELEM,		/* left : right (right a VERDICT) */
	BW_AE_VERDICT,		/* text: accept, drop, continue, return, jump,
				 * goto; right: the chain (a SYMBOL) */
	/* value expressions of a set statement (valexpr.h) */
	BW_AE_BINOP,		/* left OP right, text: "&" "|" "^" "<<" ">>" */
	BW_AE_FIELD,		/* fref: a field's value (meta mark, ip dscp) */
	BW_AE_MAP,		/* left map right (a SET of MAPELEMs, a SETREF) */
	BW_AE_GEN,		/* text: "numgen inc", "numgen random", "jhash",
				 * "symhash"; left: jhash's key; right: mod
				 * (a NUMBER); elems: MAPELEMs of a SYMBOL
				 * (seed, offset) and a NUMBER */
};

struct bw_ast_expr {
	enum bw_ast_expr_kind kind;
	struct bw_loc loc;
	const char *text;
	struct bw_ast_expr *left, *right;
	struct bw_ast_expr *elems, *elems_last;	/* LIST, SET */
	struct bw_ast_expr *next;		/* sibling in a LIST or SET */
	bool paren;				/* written in parentheses */
	struct bw_ast_fref *fref;		/* FIELD */
	struct bw_ast_expr *elem_timeout;	/* a set element's `timeout T`
						 * (settimeout.h): a SYMBOL or
						 * NUMBER; NULL */
};

/* A field named in a rule or a set's typeof: "ip saddr", "iifname". */
struct bw_ast_fref {
	const char *proto, *field;	/* "meta" for a bare meta key */
	struct bw_loc proto_loc, field_loc;
	bool implicit;			/* meta key without "meta" */
	struct bw_ast_fref *next;	/* the next of a concatenation */
};

/* ---- statements of a rule ---- */

enum bw_ast_op {
	BW_OP_IMPLICIT,		/* "tcp dport 22" */
	BW_OP_EQ,		/* == */
	BW_OP_NE,		/* != */
	BW_OP_LT,
	BW_OP_GT,
	BW_OP_LE,
	BW_OP_GE,
	BW_OP_NOT,		/* "tcp flags ! fin,rst": none of these bits */
};

/* The operator of a match's mask, `field OP mask == value`. */
enum bw_ast_maskop {
	BW_MASK_AND,		/* & (and) */
	BW_MASK_OR,		/* | (or) */
	BW_MASK_XOR,		/* ^ (xor) */
};

enum bw_ast_stmt_kind {
	BW_AS_MATCH,		/* proto field [& mask] [op] rhs */
	BW_AS_COUNTER,		/* counter [packets N bytes M] */
	BW_AS_VERDICT,		/* accept, drop, jump X, goto X, return */
	BW_AS_LOG,		/* log [prefix "..."] [level L] */
	BW_AS_LIMIT,		/* limit rate [over] N/UNIT [burst N packets] */
	BW_AS_REJECT,		/* reject [with KIND [type] CODE] */
	BW_AS_UNSUPPORTED,	/* queue, ...: what (the keyword) */
	BW_AS_NAT,		/* snat, dnat, masquerade, redirect [to ...] */
	BW_AS_SETF,		/* meta mark set 0x10, ct mark set meta mark */
	BW_AS_NOTRACK,		/* notrack */
	BW_AS_QUOTA,		/* quota [over|until] N UNIT [used N UNIT] */
	BW_AS_QUEUE,		/* queue [num N[-M] FLAGS | [flags F] to N[-M]] */
	BW_AS_OBJREF,		/* counter name "c", ct helper set "h", or
				 * counter name FIELD map { KEY : "c", ... } */
	BW_AS_LAST,		/* last [used never | used TIME] */
	BW_AS_DYNSET,		/* add|update|delete @SET { KEY } */
	BW_AS_TPROXY,		/* tproxy [ip|ip6] to ADDR[:PORT] | :PORT (the
				 * NAT fields: nat_kind "tproxy") */
	BW_AS_SYNPROXY,		/* synproxy [mss N] [wscale N] [timestamp]
				 * [sack-perm] */
	BW_AS_DUP,		/* dup to ADDR [device "DEV"] */
	BW_AS_FWD,		/* fwd|dup [ip|ip6] to DEV | ADDR device DEV
				 * | KEY map { ... } (netdev) */
	BW_AS_FLOW,		/* flow add @FLOWTABLE (flow offload @F) */
};

/* synproxy's words without a value (syn_words) */
#define BW_AST_SYN_TIMESTAMP	0x1
#define BW_AST_SYN_SACK_PERM	0x2

enum bw_ast_verdict {
	BW_AV_ACCEPT,
	BW_AV_DROP,
	BW_AV_JUMP,
	BW_AV_GOTO,
	BW_AV_RETURN,
	BW_AV_CONTINUE,
};

struct bw_ast_stmt {
	enum bw_ast_stmt_kind kind;
	struct bw_loc loc;		/* the whole statement */
	struct bw_ast_stmt *next;

	union {
		struct {		/* MATCH */
			const char *proto, *field;	/* "tcp", "dport" */
			struct bw_loc proto_loc, field_loc;
			bool proto_implicit;	/* meta key without "meta" */
			enum bw_ast_op op;
			struct bw_loc op_loc;	/* src NULL when implicit */
			struct bw_ast_expr *mask;	/* `& expr` or NULL */
			enum bw_ast_maskop mask_op;	/* its operator */
			struct bw_ast_expr *rhs;
			/* `ip saddr . tcp dport ...`: the fields after the
			 * first (which is proto/field above), or NULL */
			struct bw_ast_fref *cat;
			bool vmap;		/* `... vmap rhs`: rhs maps
						 * to verdicts */
			bool count_over;	/* `ct count over N` (op GT) */
		};
		struct {		/* COUNTER: NUMBERs, NULL when not given */
			struct bw_ast_expr *packets, *bytes;
		};
		struct {		/* VERDICT */
			enum bw_ast_verdict verdict;
			const char *target;	/* jump/goto chain */
			struct bw_loc target_loc;
		};
		const char *what;	/* UNSUPPORTED: the keyword */
		struct {		/* LOG */
			const char *log_prefix;	/* NULL if none */
			struct bw_loc log_prefix_loc;
			struct bw_ast_expr *log_level;	/* a SYMBOL, or NULL */
			/* nflog's group, snaplen, queue-threshold: NUMBERs
			 * or NULL; flags: NF_LOG_* bits (all: 0x2f) */
			struct bw_ast_expr *log_group, *log_snaplen, *log_qthreshold;
			uint32_t log_flags;
		};
		struct {		/* LIMIT */
			struct bw_ast_expr *rate;	/* NUMBER */
			struct bw_ast_expr *rate_unit;	/* SYMBOL: second, ... */
			struct bw_ast_expr *rate_bytes;	/* SYMBOL: `N mbytes/second` */
			struct bw_ast_expr *burst;	/* NUMBER, or NULL */
			struct bw_ast_expr *burst_unit;	/* SYMBOL: packets, ... */
			bool over;
		};
		struct {		/* REJECT */
			struct bw_ast_expr *rej_kind;	/* SYMBOL: tcp, icmp, ...;
							 * NULL: plain reject */
			struct bw_ast_expr *rej_code;	/* SYMBOL or NUMBER */
		};
		struct {		/* QUEUE */
			struct bw_ast_expr *queue_lo, *queue_hi;	/* NUMBERs or NULL */
			struct bw_ast_expr *queue_flags;	/* LIST of SYMBOLs or NULL */
		};
		struct {		/* QUOTA: NUMBERs and SYMBOLs */
			struct bw_ast_expr *quota_n, *quota_unit;
			struct bw_ast_expr *quota_used, *quota_used_unit;
			const char *quota_mode;	/* "over", "until" or NULL */
		};
		struct {		/* SETF: FIELD set VALUE */
			struct bw_ast_fref *setf;	/* meta mark, ct mark, ... */
			struct bw_ast_expr *setf_value;	/* NUMBER, ADDR, VAR; or */
			struct bw_ast_fref *setf_src;	/* a field: ct mark set meta mark */
			struct bw_ast_expr *setf_and;	/* NUMBERs or NULL: the field */
			struct bw_ast_expr *setf_or;	/* src and A, or O, xor X */
			struct bw_ast_expr *setf_xor;
		};
		struct {		/* NAT: KIND [FAMILY] [to ADDR[:PORT]] [FLAGS] */
			const char *nat_kind;	/* "snat", "dnat", ... */
			const char *nat_family;	/* "ip", "ip6" or NULL */
			struct bw_loc nat_family_loc;
			/* ADDR/VAR, a RANGE of two, a PREFIX; NULL: none */
			struct bw_ast_expr *nat_addr;
			/* NUMBER, a RANGE of two NUMBERs; NULL: none */
			struct bw_ast_expr *nat_port;
			struct bw_ast_expr *nat_flags;	/* LIST of SYMBOLs */
		};
		struct {		/* OBJREF: a named object's use */
			/* "counter", "quota", "limit", "ct helper",
			 * "ct timeout", "ct expectation" */
			const char *obj_kind;
			struct bw_ast_expr *obj_name;	/* a STRING; NULL: a map */
			struct bw_ast_fref *obj_key;	/* map: the key field(s) */
			struct bw_ast_expr *obj_map;	/* map: a SET of KEY : STRING */
		};
		struct bw_ast_expr *last_used;	/* LAST: a SYMBOL (never, a
						 * time) or NULL */
		struct {		/* DYNSET: OP @SET { KEY [EXTRA ...] } */
			const char *dyn_op;	/* "add", "update", "delete" (or
						 * another word: an error) */
			const char *dyn_set;	/* NAME of @NAME */
			struct bw_loc dyn_op_loc, dyn_set_loc;
			struct bw_ast_fref *dyn_key;	/* a concatenation */
			const char *dyn_extra;	/* timeout, counter...: NULL */
			struct bw_loc dyn_extra_loc;
			/* a map's: the VALUE of { KEY : VALUE } (a set
			 * statement's value: a field, a constant); NULL */
			struct bw_ast_expr *dyn_data;
			struct bw_ast_expr *dyn_extra_val; /* timeout's SYMBOL */
		};
		struct {		/* SYNPROXY: NUMBERs or NULL; the words
					 * timestamp, sack-perm (BW_SYN_*) */
			struct bw_ast_expr *syn_mss, *syn_wscale;
			uint32_t syn_words;
		};
		struct {		/* DUP: dup to ADDR|EXPR [device "DEV"] */
			struct bw_ast_expr *dup_addr;	/* NULL: a device only
							 * (netdev's dup to "DEV") */
			const char *dup_dev;		/* or NULL */
			struct bw_loc dup_dev_loc;
		};
		struct {		/* FWD (compiler/front/fwd.h) */
			bool fwd_dup;		/* dup; else fwd */
			const char *fwd_family;	/* "ip", "ip6" or NULL */
			struct bw_loc fwd_family_loc;
			struct bw_ast_expr *fwd_addr;	/* ADDR, VAR or NULL */
			/* a STRING (the device), or a MAP (KEY map SET);
			 * NULL in `dup to ADDR` (ip, ip6) */
			struct bw_ast_expr *fwd_dev;
		};
		struct {		/* FLOW: flow add @NAME */
			const char *flow_table;		/* NAME, without @ */
			struct bw_loc flow_table_loc;
		};
	};
};

/* ---- block items ---- */

enum bw_ast_item_kind {
	BW_AI_DEFINE,		/* define NAME = value */
	BW_AI_FLUSH,		/* flush ruleset */
	BW_AI_TABLE,		/* table [FAMILY] NAME { items } */
	BW_AI_CHAIN,		/* chain NAME { items } */
	BW_AI_HOOK,		/* type T hook H [device D] priority P */
	BW_AI_POLICY,		/* policy accept|drop */
	BW_AI_RULE,		/* stmts [comment "..."] */
	BW_AI_SET,		/* set NAME { ... } / map NAME { ... }: set */
	BW_AI_COMMENT,		/* comment "..." in a chain: name */
	BW_AI_OBJECT,		/* counter|quota|limit|ct helper|ct timeout|
				 * ct expectation NAME { ... } */
	BW_AI_FLOWTABLE,	/* flowtable NAME { hook ingress priority P;
				 * devices = { ... }; flags offload; counter } */
};

/* The body of a set or map definition; each part NULL when not given. */
struct bw_ast_setdef {
	bool map;			/* `map`: values follow keys */
	struct bw_ast_expr *types;	/* `type a . b`: a CONCAT of SYMBOLs */
	struct bw_ast_fref *typeof_;	/* `typeof ip saddr . tcp dport` */
	struct bw_ast_expr *value_type;	/* map: the SYMBOL after ':' */
	struct bw_loc type_loc;		/* the whole type/typeof item */
	struct bw_ast_expr *flags;	/* a LIST of SYMBOLs */
	struct bw_ast_expr *elements;	/* `elements = rhs` */
	struct bw_ast_expr *size;	/* a NUMBER */
	const char *comment;
	struct bw_loc comment_loc;
	unsigned ntype;			/* type/typeof items given */
	struct bw_ast_expr *timeout;	/* `timeout 60s`: a SYMBOL or NUMBER */
	struct bw_ast_expr *gc_interval; /* `gc-interval 1m` */
	struct bw_ast_fref *value_typeof; /* typeof KEY : meta mark (value_type
					 * holds its text, "meta mark") */
};

/* priority [NAME] [+|- NUMBER] | priority [-]NUMBER */
struct bw_ast_prio {
	const char *name;		/* "filter", NULL for a plain number */
	struct bw_loc name_loc;
	const char *num;		/* NULL for a plain name */
	bool neg;			/* "- N" */
	struct bw_loc loc;		/* the whole priority expression */
};

struct bw_ast_item {
	enum bw_ast_item_kind kind;
	struct bw_loc loc;
	struct bw_ast_item *next;

	union {
		struct {		/* DEFINE, TABLE, CHAIN */
			const char *name;
			struct bw_loc name_loc;
			struct bw_ast_expr *value;	/* DEFINE */
			const char *family;	/* TABLE; NULL: not written (ip) */
			struct bw_loc family_loc;
			struct bw_ast_item *items, *items_last;	/* TABLE, CHAIN */
		};
		struct {		/* HOOK */
			const char *type, *hook, *device;	/* device NULL if none */
			struct bw_loc type_loc, hook_loc, device_loc;
			struct bw_ast_prio prio;
			/* devices = { a, b }: a LIST of STRINGs (device and
			 * device_loc its first); NULL for device "a" */
			struct bw_ast_expr *devices;
		};
		struct {		/* POLICY: "accept", "drop" or another word */
			const char *policy;
			struct bw_loc policy_loc;
		};
		struct {		/* RULE */
			struct bw_ast_stmt *stmts, *stmts_last;
			const char *comment;	/* NULL if none */
			struct bw_loc comment_loc;
		};
		struct {		/* SET */
			const char *set_name;
			struct bw_loc set_name_loc;
			struct bw_ast_setdef *set;
		};
		struct {		/* OBJECT */
			const char *obj_type;	/* as OBJREF's obj_kind */
			struct bw_loc obj_type_loc;
			const char *obj_ident;
			struct bw_loc obj_ident_loc;
			/* counter, quota, limit: the statement its body
			 * makes (COUNTER, QUOTA, LIMIT); NULL for an empty
			 * counter */
			struct bw_ast_stmt *obj_stmt;
			/* ct helper/timeout/expectation: a LIST of
			 * MAPELEMs, a SYMBOL key (type, protocol, l3proto,
			 * policy, dport, timeout, size) : its value */
			struct bw_ast_expr *obj_attrs;
		};
		struct {		/* FLOWTABLE */
			const char *ft_name;
			struct bw_loc ft_name_loc;
			const char *ft_hook;	/* NULL: no hook line */
			struct bw_loc ft_hook_loc;
			struct bw_ast_prio ft_prio;
			struct bw_ast_expr *ft_devs;	/* a LIST of SYMBOLs or
							 * QSTRINGs; NULL: none */
			bool ft_offload, ft_counter;
			struct bw_loc ft_offload_loc;
		};
	};
};

/* ---- the tree ---- */

enum bw_parse_mode {
	BW_PARSE_RULESET,	/* a rule file */
	BW_PARSE_PKTSPEC,	/* [ingress|egress] [device NAME] field value ... */
	BW_PARSE_ELEMENTS,	/* FAMILY TABLE SET { elements } (add element) */
};

struct bw_ast {
	struct bw_arena *arena;
	const struct bw_src *src;
	enum bw_parse_mode mode;

	/* RULESET */
	struct bw_ast_item *items, *items_last;

	/* PKTSPEC */
	const char *pkt_dir;		/* "ingress", "egress", "forward" or NULL */
	struct bw_loc pkt_dir_loc;
	const char *pkt_device;		/* NULL if not given */
	struct bw_loc pkt_device_loc;
	const char *pkt_device2;	/* forward: the output device, or NULL */
	struct bw_loc pkt_device2_loc;
	struct bw_ast_stmt *terms, *terms_last;	/* MATCH statements only */

	/* ELEMENTS */
	const char *el_family, *el_table, *el_set;
	struct bw_loc el_family_loc, el_table_loc, el_set_loc;
	struct bw_ast_expr *el_expr;		/* a SET */
};

/*
 * Parse src.  Returns 0 and *out, or -EINVAL with the syntax errors queued
 * in d (several, when the parser could recover), or -ENOMEM.
 */
int bw_ast_parse(const struct bw_src *src, enum bw_parse_mode mode,
		 struct bw_diags *d, struct bw_ast **out);
void bw_ast_free(struct bw_ast **p);

/* Names for messages and the printer. */
/* Append e to the elements of LIST or SET expression list (either NULL:
 * nothing). */
void bw_ast_expr_append(struct bw_ast_expr *list, struct bw_ast_expr *e);
const char *bw_ast_op_str(enum bw_ast_op op);		/* "==", "" for implicit */
const char *bw_ast_verdict_str(enum bw_ast_verdict v);	/* "accept" */
