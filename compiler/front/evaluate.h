/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Front end internals shared by evaluate.c, value.c, print.c, pktspec.c
 * and compile.c: AST -> IR with types, range checks, implicit protocol
 * dependencies and caret errors; the normalized-text printer.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grammar/ast.h"
#include "compile.h"
#include "fields.h"
#include "ir.h"

#define NFPROTO_V4 2		/* meta nfproto values (linux/netfilter.h) */
#define NFPROTO_V6 10

/* ---- defines ---- */

/* A `define`, newest first.  `scope` is what was visible where it was
 * defined: its value is resolved there, so uses never see later names. */
struct bw_sym {
	const char *name;
	const struct bw_ast_item *def;		/* name_loc, value */
	const struct bw_sym *scope;
	const struct bw_sym *next;
	/* what a use expands to, measured where it is defined: the
	 * elements its value flattens to and how deep defines nest in it
	 * (itself counted), both saturating; checked at each use */
	uint64_t nelem;
	unsigned depth;
	bool set;				/* its value is a set { } */
	/* it names an unknown define, or one that does: an error at the
	 * define, not again at each use (bw_eval_expand) */
	bool broken;
};

/* Bounds of define expansion (a few lines of nested defines could
 * otherwise stand for billions of elements): defines nested in defines,
 * and the elements all uses of set defines in one ruleset expand to. */
#define BW_DEFINE_MAX_DEPTH	32
#define BW_DEFINE_MAX_ELEMS	(1u << 20)

const struct bw_sym *bw_sym_find(const struct bw_sym *head, const char *name);

/* Measure s->def->value (read in s->scope) into s->nelem, depth, set. */
void bw_sym_measure(struct bw_sym *s);

/* Follow $var references to the expression they stand for (and the scope
 * to read it in).  Returns NULL (nothing queued) for an unknown name. */
const struct bw_ast_expr *bw_sym_resolve(const struct bw_ast_expr *e,
					 const struct bw_sym **scope);

/* ---- evaluation ---- */

/* What the matches of one rule (or one packet) say about its protocols,
 * to reject contradictions such as `tcp dport 22 udp sport 53`. */
struct bw_proto_state {
	uint8_t l3;			/* 0 unknown, 4, 6, 1 not IP */
	uint8_t l4;			/* 0 unknown, else IPPROTO_* */
	const char *l3_name, *l4_name;
	char l4_buf[16];		/* l4_name when set by a value */
	bool l3_set, l4_set;		/* given as a set of several: nft then
					 * rejects any header of that layer */
	uint16_t icmp_type;		/* 0x100 | the type an icmp/icmpv6 type
					 * match named (nft's context), or 0 */
	uint8_t l2;			/* the outer EtherType an ether type
					 * match named: 0 unknown, BW_L2_VLAN
					 * a VLAN tag's, BW_L2_OTHER another */
	uint8_t vlan_inner;		/* vlan type named a tag (1 8021q, 2
					 * 8021ad): nft's vlan
					 * fields after it are the inner tag's
					 * (vlan.c); | 0x10: the inner tag's
					 * vlan type named a third */
	bool inet;			/* table family inet (meta nfproto valid) */
	bool pkt;			/* packet spec: every family */
};

/* A jump/goto target resolved at the end of its table (chains may come
 * later): a rule's verdict, or a map element's (set != UINT32_MAX). */
struct bw_pending_target {
	uint32_t chain, rule;
	uint32_t set, elem;
	const struct bw_ast_expr *name;	/* a SYMBOL */
	const char *what;		/* "jump" or "goto" */
};

struct bw_eval {
	struct bw_diags *d;
	unsigned nerrors;
	bool oom;
	/* rule files: the IR being built (sets go there), the table being
	 * read and its jump targets; NULL ir for packet specs */
	struct bw_ir *ir;
	uint32_t cap_set;
	const char *table;
	enum bw_family family;
	struct bw_pending_target *pend;
	uint32_t npend, cap_pend;
	/* the rules of a netdev egress chain: meta length is the whole
	 * frame there (skb->len with the link layer); of an inet, ip or
	 * ip6 chain: the IP packet's length (what trails it is cut off) */
	bool frame_len, ip_len;
	bool netdev;		/* a netdev table's chain: no ct (as nft) */
	enum bw_chain_hook hook;	/* the chain's (BW_CHAIN_NONE: a user
					 * chain, or not a chain) */
	bool any_family;	/* a packet spec: fields of every family */
	bool v4_numbers;	/* a masked match: 0xff is the IPv4 address
				 * 0.0.0.255, as in nft */
	/* literal sets of at least this many elements are lookups
	 * (bw_compile_opts; 0: BW_ANON_LOOKUP_MIN) */
	uint32_t anon_lookup_min;
	/* elements uses of set defines expanded to so far (bounded by
	 * BW_DEFINE_MAX_ELEMS, bw_eval_expand) */
	uint64_t expanded;
	/* 1 + the index in ir of the chain whose rules are evaluated; 0
	 * outside a chain's rules (nfnetdev.h) */
	uint32_t chain1;
	/* field lookups by the scanner's shared name strings */
	struct {
		const char *proto, *name;
		const struct bw_field *f;
	} cache[16];
};

enum { BW_L2_VLAN = 1, BW_L2_OTHER = 2 };

void bw_proto_init(struct bw_proto_state *ps, enum bw_family family,
		   bool pkt);

/* f was compared with a set of several values, the last of them last:
 * after meta l4proto { tcp, udp } nft rejects a later match on a header
 * of that layer, so do we; after icmp type { ... } nft checks a later
 * icmp id against the set's last type. */
void bw_proto_set(struct bw_proto_state *ps, const struct bw_field *f,
		  const uint8_t *last);

/* Queue an error at loc (never NULL here) and count it; returns -EINVAL. */
int bw_eval_error(struct bw_eval *ev, const struct bw_loc *loc,
		  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Check the $var uses in e (not the defines' values: those were measured)
 * against the expansion bounds and count what they expand to; an error
 * with a caret under the use that goes over.  0 or -EINVAL; the caller
 * must then not evaluate e. */
int bw_eval_expand(struct bw_eval *ev, const struct bw_ast_expr *e,
		   const struct bw_sym *scope);

/* A decimal or 0x number; -ERANGE when it is not one or overflows. */
int bw_eval_number(const char *s, uint64_t *v);

/* Names of well-known values (NULL if none). */
const char *bw_eval_proto_name(uint8_t proto);
/* nft's icmpx code NUM (a number's text) by name; NULL if none. */
const char *bw_reject_icmpx_name(const char *num);
const char *bw_eval_ethertype_name(uint16_t type);
/* The name of value v of field f (icmp types, dscp, ...), NULL if none. */
const char *bw_eval_value_name(const struct bw_field *f, uint32_t v);
/* The value of name for field f; -ENOENT if it names none. */
int bw_eval_value_of(const struct bw_field *f, const char *name, uint32_t *v);

/* The field a match names, or NULL with an error queued. */
const struct bw_field *bw_eval_field(struct bw_eval *ev,
				     const struct bw_ast_stmt *m);

/* Check f (and, when val is not NULL, the single value the match compares
 * it with) against what the rule said before; record what it implies.
 * Returns 0 or -EINVAL with a "conflicting protocols" error queued. */
int bw_proto_check(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_field *f, const struct bw_ast_stmt *m,
		   const uint8_t *val);

/* One value of field f written as e: a number, a name, an address, or for
 * flag fields an `a|b` or `a,b` list.  Writes field->size bytes in network
 * order (sub-byte fields: the value after shift).  Returns 0 or -EINVAL. */
int bw_eval_scalar(struct bw_eval *ev, const struct bw_field *f,
		   const struct bw_ast_expr *e, const struct bw_sym *scope,
		   uint8_t out[BW_VAL_MAX]);

/* One component of a set element (value.c): a value, a prefix or a range
 * of field f, as [lo, hi] in f->size bytes.  0 or -EINVAL. */
int bw_eval_range(struct bw_eval *ev, const struct bw_field *f,
		  const struct bw_ast_expr *e, const struct bw_sym *scope,
		  uint8_t *lo, uint8_t *hi);

/* The IR match of one `proto field [& mask] [op] rhs` (value.c); checks
 * and records protocol dependencies in ps.  0 or -EINVAL. */
int bw_eval_match(struct bw_eval *ev, struct bw_proto_state *ps,
		  const struct bw_ast_stmt *m, const struct bw_sym *scope,
		  struct bw_ir_match *out);

/* Rule file AST -> IR (with ir->text); opts may be NULL.  0 or
 * -EINVAL / -ENOMEM. */
int bw_evaluate(const struct bw_ast *ast, const struct bw_compile_opts *opts,
		struct bw_diags *d, struct bw_ir **out);

/* Packet spec AST -> bw_pkt_spec (pktspec.c). */
int bw_evaluate_pkt(const struct bw_ast *ast, struct bw_diags *d,
		    struct bw_pkt_spec **out);

/* ---- sets and maps (sets.c) ---- */

/* set NAME { ... } / map NAME { ... } of the current table into
 * ev->ir->set.  Returns 0 or -EINVAL. */
int bw_eval_set_def(struct bw_eval *ev, const struct bw_ast_item *it,
		    const struct bw_sym *scope);

/* The name of a map's value type (typeof KEY : meta mark: "mark"), as
 * nft's JSON gives it; "verdict" for a verdict map. */
const char *bw_set_typeof_data(const struct bw_ast_setdef *sd);

/* The elements of e (a SET, or a $var of one) into set si.  0 or -EINVAL. */
int bw_eval_set_elems(struct bw_eval *ev, uint32_t si,
		      const struct bw_ast_expr *e, const struct bw_sym *scope);

/* Is match m a lookup (a named set, a concatenation, a vmap, a large
 * literal set) rather than compares? */
bool bw_eval_is_lookup(const struct bw_eval *ev, const struct bw_ast_stmt *m,
		       const struct bw_sym *scope);

/* The lookup match of m (named sets of the current table, or a new
 * anonymous set in ev->ir).  0 or -EINVAL. */
int bw_eval_lookup(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *m, const struct bw_sym *scope,
		   struct bw_ir_match *out);

/* Named set or map NAME of table FAMILY TABLE, or UINT32_MAX. */
uint32_t bw_ir_set_find_name(const struct bw_ir *ir, enum bw_family family,
			     const char *table, const char *name);

/* Remember a jump/goto target to resolve at the end of the table. */
void bw_eval_pending(struct bw_eval *ev, const struct bw_pending_target *t);

/* ---- log, limit, reject (stmts.c) ---- */

int bw_eval_log(struct bw_eval *ev, const struct bw_ast_stmt *s,
		uint32_t handle, uint32_t *index);
int bw_eval_limit(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  uint32_t *index);
int bw_eval_quota(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  uint32_t *index);
/* reject: *out; with *has_dep the rule gets the implicit match dep
 * before the reject (TCP for a reset, the family for ICMP), as in nft. */
int bw_eval_reject(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, enum bw_family fam,
		   struct bw_ir_reject *out, struct bw_ir_match *dep,
		   bool *has_dep);

/* ---- printing (print.c) ---- */

struct bw_pbuf {
	char *s;
	size_t len, cap;
	bool oom;
};

void bw_pbuf_printf(struct bw_pbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void bw_pbuf_put(struct bw_pbuf *b, const char *s);
/* Hand over the text (NULL after an allocation failure) and reset b. */
char *bw_pbuf_take(struct bw_pbuf *b);
void bw_pbuf_fini(struct bw_pbuf *b);

const char *bw_family_name(enum bw_family f);
const char *bw_chain_hook_name(enum bw_chain_hook h);
const char *bw_verdict_name(enum bw_verdict v);

void bw_print_table_open(struct bw_pbuf *b, enum bw_family family,
			 const char *name);
void bw_print_table_close(struct bw_pbuf *b);
/* comment: the chain's, or NULL */
void bw_print_chain_open(struct bw_pbuf *b, const struct bw_ir_chain *c,
			 const char *comment, bool first);
void bw_print_chain_close(struct bw_pbuf *b);
/* A value of field f (f->size bytes, network order) as nft lists it. */
/* The name or number nft lists for value text (a number or a name) of
 * field f, or NULL to print text as written: names for protocols, ether
 * types, icmp types, dscp, ecn, pkttype, nfproto; numbers for services
 * and icmp codes. */
const char *bw_value_canon(const struct bw_field *f, const char *text,
			   char *buf, size_t len);
/* value_ct.c: a conntrack label (a bit 0-127 or a connlabel.conf name)
 * and a time (30s, 1h2m, 500ms; a NUMBER is seconds) of field f into out
 * (f->size bytes, network order); 0 or -EINVAL (error queued). */
int bw_eval_label(struct bw_eval *ev, const struct bw_field *f,
		  const struct bw_ast_expr *e, uint8_t *out);
int bw_eval_time(struct bw_eval *ev, const struct bw_field *f,
		 const struct bw_ast_expr *e, uint8_t *out);
/* A time (ct expiration) written as text (seconds: a number of seconds)
 * into out (f->size bytes, ms, network order): 0 or -errno. */
int bw_value_time(const struct bw_field *f, const char *text, bool seconds,
		  uint8_t *out);
/* ms as nft lists a time: 1h2m3s; seconds: 3723s (a range's ends). */
void bw_print_value_time(struct bw_pbuf *b, uint32_t ms, bool seconds);
/* ct original|reply saddr|daddr (no ip or ip6): the row of the rule's
 * network layer l3 (4 or 6; the table's, or a meta nfproto before it)
 * into *f, 0; 1 when field is no such name; -EINVAL (error queued, m
 * may be NULL then, no error) when the layer is not known. */
int bw_eval_ct_generic(struct bw_eval *ev, const char *proto,
		       const char *field, unsigned l3, const struct bw_loc *loc,
		       const struct bw_field **f);
/* The bits of one flag (tcp flags, ct state) written as text: 0 or -errno. */
int bw_value_flag(const struct bw_field *f, const char *text, uint32_t *v);
/* The name of reject code text (a number) of kind icmp or icmpv6, or NULL. */
const char *bw_value_reject_code(const char *kind, const char *text);
/* A value of f written as a number or a name: 0 or -errno. */
int bw_value_num(const struct bw_field *f, const char *text, uint32_t *v);
void bw_print_value(struct bw_pbuf *b, const struct bw_field *f,
		    const uint8_t *v);
/* A field's name as nft lists it (mark, ip saddr). */
void bw_print_fref_name(struct bw_pbuf *b, const char *proto, const char *field);
/* [lo, hi] of f as nft lists an interval: a value, an address prefix
 * (addr/len) or a range (lo-hi). */
void bw_print_interval(struct bw_pbuf *b, const struct bw_field *f,
		       const uint8_t *lo, const uint8_t *hi);
/* A set element: values, prefixes, ranges, " . " between components,
 * a map's " : verdict". */
void bw_print_setelem(struct bw_pbuf *b, const struct bw_ir *ir,
		      const struct bw_ir_set *s, const struct bw_ir_setelem *e);
/* A set or map definition; its elements between "\x1e<index> <family>
 * <table> <name>\x1e" and "\x1e" (bw_ir_text_render). */
void bw_print_set(struct bw_pbuf *b, const struct bw_ast_item *it,
		  const struct bw_sym *scope, uint32_t index,
		  const char *family, const char *table,
		  const struct bw_ir_set *set);
/* One rule of a chain of family fam, defines expanded, as nft lists it;
 * `counter` as "counter \x1f<handle>\x1f". */
void bw_print_rule(struct bw_pbuf *b, const struct bw_ast_item *rule,
		   const struct bw_sym *scope, uint32_t handle,
		   enum bw_family fam);
/* The same; its nat and set statements (if any) in nft's canonical form
 * from ir rule r. */
void bw_print_rule_ir(struct bw_pbuf *b, const struct bw_ast_item *rule,
		      const struct bw_sym *scope, uint32_t handle,
		      const struct bw_ir *ir, const struct bw_ir_rule *r,
		      enum bw_family fam);
void bw_print_expr(struct bw_pbuf *b, const struct bw_ast_expr *e,
		   const struct bw_sym *scope);
