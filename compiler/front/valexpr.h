/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Value expressions of the set statements (valexpr.c): meta mark set,
 * ct mark set, meta priority set, ct zone set with a value computed from
 * the packet: fields, constants, & | ^ << >>, parentheses, a map lookup on
 * a (concatenated) key, numgen, jhash, symhash.  Kept as nft keeps them
 * after its evaluation: a base (one of those) and then operations on it,
 * the right side of each a constant, runs of & | ^ folded into one
 * mask and xor.  nf_tables runs them (the chain is handed over).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "fields.h"
#include "ir.h"

struct bw_eval;
struct bw_ast_expr;
struct bw_sym;
struct bw_pbuf;

enum bw_vx_base {
	BW_VX_CONST,			/* value */
	BW_VX_FIELD,			/* key[0]'s value */
	BW_VX_MAP,			/* key[] looked up in elem[] */
	BW_VX_NUMGEN,			/* numgen mode mod [offset] */
	BW_VX_JHASH,			/* jhash key[] mod [seed] [offset] */
	BW_VX_SYMHASH,			/* symhash mod [offset] */
};

enum bw_vx_op { BW_VX_BOOL, BW_VX_LSHIFT, BW_VX_RSHIFT,
		/* & | ^ with another field's value (newer nft's bitwise of
		 * two registers): rkey's, masked as rmask, rxor say */
		BW_VX_AND_REG, BW_VX_OR_REG, BW_VX_XOR_REG };

/* Targets beyond the set statements' (enum bw_setf_key): a nat
 * statement's address, address . port, or port (redirect to :EXPR) */
enum { BW_VX_T_NAT_ADDR = 100, BW_VX_T_NAT_ADDRPORT, BW_VX_T_NAT_PORT,
       BW_VX_T_QUEUE = 120,		/* queue to EXPR: a 16-bit number */
       BW_VX_T_DEV = 130 };		/* fwd/dup to KEY map { K : "DEV" }:
					 * a device (ndata: its name; its
					 * index written at commit) */

static inline bool bw_vx_nat(uint8_t target)
{
	return target >= BW_VX_T_NAT_ADDR && target <= BW_VX_T_NAT_PORT;
}

struct bw_ir_vop {
	uint8_t kind;			/* enum bw_vx_op */
	uint32_t mask, xor;		/* BOOL: (v & mask) ^ xor */
	uint32_t shift;			/* LSHIFT, RSHIFT */
	enum bw_field_id rkey;		/* *_REG: the other operand, a field */
	bool rbool;			/* ... then (x & rmask) ^ rxor */
	uint32_t rmask, rxor;
};

static inline bool bw_vx_regop(uint8_t kind)
{
	return kind >= BW_VX_AND_REG && kind <= BW_VX_XOR_REG;
}

/* One element of an anonymous map: key [lo, hi] (as bw_ir_setelem),
 * value data (host order, the target's size); catchall: the `*` one. */
struct bw_ir_vmap_elem {
	uint8_t lo[BW_SET_KEY_MAX], hi[BW_SET_KEY_MAX];
	uint32_t data;
	uint8_t ndata[20];		/* nat targets: the address (network
					 * order), then the port (network
					 * order) in a 32-bit word of its own */
	bool catchall;
	uint8_t nrange[40];		/* nat targets, as ranges (the map's
					 * nat_range): the lowest address [and
					 * port, in its word], then the
					 * highest [and port], as nft lays
					 * out NFT_NAT's min and max registers */
};

#define BW_VX_MAX_OPS 8

struct bw_ir_vexpr {
	uint8_t base;			/* enum bw_vx_base */
	uint8_t target;			/* enum bw_setf_key: what is set */
	uint8_t len;			/* bytes of the value: 4, ct zone 2;
					 * nat: the address's (+ 4 with a
					 * port), a port's 2 */
	uint8_t l3;			/* nat targets: 4 or 6 */
	uint32_t value;			/* CONST, host order */
	uint32_t nkey;			/* FIELD (1), MAP, JHASH */
	enum bw_field_id key[BW_SET_MAX_KEYS];
	uint32_t keylen;		/* MAP: the key's bytes */
	bool has_kmask;			/* MAP, one key: KEY & kmask map ... */
	uint8_t kmask[16];		/* network order, the field's size */
	bool interval;			/* MAP: an element is a range */
	uint32_t nelem;
	struct bw_ir_vmap_elem *elem;
	uint8_t keygen;			/* MAP: 0, or the generator (NUMGEN,
					 * JHASH, SYMHASH) whose number is the
					 * key (elements: 4 bytes, big endian) */
	bool random;			/* NUMGEN: random, else inc */
	uint32_t mod, seed, offset;
	bool has_seed, has_offset;
	uint32_t nop;
	struct bw_ir_vop op[BW_VX_MAX_OPS];
	uint32_t named;			/* MAP: 1 + the ir->set index of the
					 * named map of data looked up (no
					 * elem[]); 0: a map written in the
					 * rule */
	const char *mapname;		/* named: the map's name (ir->set[]) */
	bool nat_range;			/* MAP, nat: a value is a range or a
					 * prefix (elem[].nrange, len counts
					 * both ends) */
};

/* The value expression e of a set statement of target (enum
 * bw_setf_key), into ir->vexpr (its index in *index).  0, or -EINVAL
 * with errors queued / -ENOMEM. */
int bw_eval_vexpr(struct bw_eval *ev, const struct bw_ast_expr *e,
		  const struct bw_sym *scope, uint8_t target, uint32_t *index);

/* A nat statement's address (or with port: `to :EXPR`, its port)
 * given as a value expression of family l3 (4, 6): a map of addresses,
 * of address . port, of ports; numgen or a hash.  *has_port: the
 * values have a port (l4: the rule names its transport protocol, as nft
 * wants for a port).  0, or -EINVAL / -ENOMEM. */
int bw_eval_vexpr_nat(struct bw_eval *ev, const struct bw_ast_expr *e,
		      const struct bw_sym *scope, uint8_t l3, bool port,
		      bool l4, bool *has_port, uint32_t *index);

/* queue to EXPR: a map of queue numbers, numgen or a hash.  0, or
 * -EINVAL / -ENOMEM. */
int bw_eval_vexpr_queue(struct bw_eval *ev, const struct bw_ast_expr *e,
			const struct bw_sym *scope, uint32_t *index);

/* fwd|dup to KEY map { KEY : "DEV", ... } (compiler/front/fwd.h): a map
 * of device names.  0, or -EINVAL / -ENOMEM. */
int bw_eval_vexpr_dev(struct bw_eval *ev, const struct bw_ast_expr *e,
		      const struct bw_sym *scope, uint32_t *index);

/* Is e a value expression (a field, an operation, a map, a generator)
 * rather than a plain value? */
bool bw_vexpr_is(const struct bw_ast_expr *e);

/* v as nft lists it: `ct mark | 0x00000001`, `(meta mark | 0x00000010)
 * << 8`, `ip saddr map { 1.1.1.1 : 0x00000001, * : 0x00000002 }`. */
void bw_print_vexpr(struct bw_pbuf *b, const struct bw_ir_vexpr *v);

/* A target's constant as nft lists it (mark 0x00000010, zone 16,
 * priority 1:2). */
void bw_print_vexpr_const(struct bw_pbuf *b, uint8_t target, uint32_t v);

/* v's value where it depends on nothing but the packet's mark (a
 * constant, or meta mark and operations): true and *out; false when it
 * needs what the reference interpreter does not model (other fields,
 * maps, generators). */
bool bw_vexpr_of_mark(const struct bw_ir_vexpr *v, uint32_t mark, uint32_t *out);

/* Is e made of numbers and operators only (folded to one number)? */
bool bw_vexpr_const(const struct bw_ast_expr *e);
