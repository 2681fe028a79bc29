/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Classifier: a partition of a chain (a stretch of rules that match only
 * on IPv4 addresses, the transport protocol and TCP/UDP ports, and end in
 * accept or drop) becomes a tuple space search, first-match exact.
 *
 * Every packet gives one 80-byte key, built once from the view:
 *
 *   [0] l3 (4 or 6), | 0x80 if the transport header is there,
 *       | 0x10 if it has an input interface, | 0x20 an output one
 *   [1] l4proto  [2..3] 0 (a lookup key holds its tuple's id there)
 *   [4..7] ip saddr  [8..11] ip daddr  [12..13] source port
 *   [14..15] destination port  (all four numbers in host order)
 *   [16..31] ip6 saddr, [32..47] ip6 daddr: each two u64 in host order,
 *   the address's high 64 bits first (0 in a packet that is not IPv6)
 *   [48..63] the input interface's name, [64..79] the output one's (NUL
 *   padded; 0 where there is none)
 *
 * Interfaces (iif, iifname: the input one's name; oif, oifname) are
 * read from the view at the netfilter hooks; an XDP or TC program
 * serves one device, so there its bytes and bits are constants of the
 * program, decided when it is generated as codegen decides interface
 * compares (iif on the device at ingress, oif at egress, none else).
 *
 * The table's keys are 16 bytes: the packet key's first 16 under the
 * tuple's mask.  A wide tuple, one whose mask covers bytes 16..79 (IPv6
 * address bits, interface name bytes), xors into bytes 4..11 (the IPv4
 * addresses' place, unused by IPv6 atoms) a 64-bit fingerprint of the
 * masked words 16..79 (bw_cls_fold), and its candidates are wide
 * (struct bw_cls_cand6) and check the full addresses, names and, where
 * the fingerprint was xored over them, the IPv4 addresses.  So a 128-bit
 * address costs a lookup what a 32-bit one does (a 16-byte key, one
 * hash, two 8-byte compares, a tag word on a miss), and the table, whose
 * size is the miss path's cache footprint, does not widen for every key
 * of the ruleset; the price is on a hit only: the wide candidate's
 * 128-bit range checks, which a fingerprint collision (two masked
 * addresses, one fingerprint: they share an entry) also needs.
 *
 * A rule becomes atoms, one per combination of its elements: each a
 * value and mask over key bytes 0-1 and a range per address and port
 * (a value, prefix or range each).  A packet matches the rule when it
 * matches one of its atoms.  An atom an earlier rule's atom covers is
 * dropped where the two meet in a tuple's entry.
 *
 * A tuple is a mask (a subset of its atoms' masks: address prefixes
 * rounded down to 0/8/16/24/32 bits, ports exact or left out, TupleMerge
 * style; refined to 4-bit and exact prefixes where keys collide) with an
 * id; its entries map the masked key, with the id in bytes 2-3, to at
 * most BW_CLS_CAND_MAX candidates (struct bw_cls_cand), by rule position.
 *
 * The entries of every tuple of a plan live in one flat table
 * (struct bw_cls_table), built by the compiler once the last group is
 * in: one BPF array map of one element that the program reads by direct
 * value access, no helper call.  With nslot = 1 << bits and n =
 * nslot + BW_CLS_PROBE_MAX (a tail, so a probe never wraps), it holds:
 *
 *   [0, n)               tags: a byte per slot, 0 empty, else the key's
 *                        fingerprint (bw_cls_tag: 1-255), a filter of
 *                        2-4 bytes a key that stays in the caches
 *   [tag_end, +4n)       u32 per slot: the byte offset of its entry
 *   then the entries     the 16-byte key, then the tuple's ncand
 *                        candidates
 *
 * (tag_end = n rounded up to 8.)  A key's home slot is the top bits of
 * its hash (bw_cls_hash); keys are placed by Robin Hood insertion (linear
 * probing, the key farther from its home keeps the slot), none more than
 * BW_CLS_PROBE_MAX slots from home, at most half of the slots used.  A
 * lookup reads the 8 tags from the home slot on as one word and finds,
 * without a branch, those equal to the key's before the first empty one
 * (bit tricks on the bytes): mostly none, and the key is not there.
 * Else it reads the tags one by one up to max_probe (the farthest any
 * key landed) and where the tag is the key's compares the entry's key.
 * A miss costs one hash and one 8-byte read per tuple.
 *
 * Per packet: tuples in order of their first rule, each probed with the
 * key under its mask, its candidates checked in full; the lowest
 * matching rule position wins; probing stops when the next tuple's first
 * rule is not below the best found.  The winner's verdict, counter and
 * handle are applied as a lookup group's are (codegen), so counters and
 * trace stay per rule.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "compiler/front/ir.h"
#include "optimize.h"

#define BW_CLS_KEY		16	/* a table key */
#define BW_CLS_PKT		80	/* a packet key; a tuple's mask */
#define BW_CLS_CAND_MAX		16	/* candidates per key of a tuple */
#define BW_CLS_ATOMS_MAX	256	/* atoms of one rule */
#define BW_CLS_NO_RULE		UINT32_MAX
#define BW_CLS_L3_MASK		0x0f	/* of key[0]: l3 */
#define BW_CLS_L4_BIT		0x80	/* of key[0]: transport header there */
#define BW_CLS_IIF_BIT		0x10	/* of key[0]: an input interface */
#define BW_CLS_OIF_BIT		0x20	/* of key[0]: an output interface */
#define BW_CLS_TUPLES_MAX	32767	/* tuple ids of a ruleset (u16, < 2^15) */
#define BW_CLS_PROBE_MAX	8	/* slots a lookup reads at most: one
					 * 8-byte word of tags */
#define BW_CLS_BITS_MIN		6	/* 64 slots at least */

/* Key byte offsets. */
enum {
	BW_CLS_K_L3 = 0, BW_CLS_K_PROTO = 1, BW_CLS_K_TUPLE = 2,
	BW_CLS_K_SADDR = 4, BW_CLS_K_DADDR = 8,
	BW_CLS_K_SPORT = 12, BW_CLS_K_DPORT = 14,
	BW_CLS_K_SADDR6 = 16, BW_CLS_K_DADDR6 = 32,
	BW_CLS_K_IIF = 48, BW_CLS_K_OIF = 64,
};

/* One candidate in a tuple's map value (ABI between codegen and the
 * maps the runtime fills): the value is ncand of them, the unused ones
 * with rule BW_CLS_NO_RULE.  A packet key k matches it when
 * (k[0..1] & mask) == val and each address and port is in its range. */
struct bw_cls_cand {
	uint8_t val[2], mask[2];	/* key bytes 0-1 */
	uint32_t saddr_lo, saddr_hi;	/* host order, inclusive */
	uint32_t daddr_lo, daddr_hi;
	uint16_t sport_lo, sport_hi;
	uint16_t dport_lo, dport_hi;
	uint32_t rule;			/* position in the chain */
	uint32_t handle;
	uint8_t verdict;		/* enum bw_verdict */
	uint8_t counter;
	uint8_t pad[2];
};
_Static_assert(sizeof(struct bw_cls_cand) == 40, "classifier value ABI");

/* A wide candidate (a tuple with IPv6 addresses or interfaces): the
 * narrow one, then the IPv6 ranges, inclusive, each two u64 in host
 * order, high first; then the interface names under their masks (the
 * packet's name & mask == val; all 0: any). */
struct bw_cls_cand6 {
	struct bw_cls_cand c;
	uint64_t s6_lo[2], s6_hi[2];
	uint64_t d6_lo[2], d6_hi[2];
	uint8_t iif_val[16], iif_mask[16];
	uint8_t oif_val[16], oif_mask[16];
};
_Static_assert(sizeof(struct bw_cls_cand6) == 168, "classifier value ABI");

/* The fingerprint of a tuple's masked wide words (packet key bytes
 * 16..79 as eight u64, native order), as the program computes it: each
 * word times its own odd constant, xored, then the high half folded
 * into the low. */
static inline uint64_t bw_cls_fold_k(unsigned i)
{
	static const uint64_t k[8] = {
		UINT64_C(0xff51afd7ed558ccd), UINT64_C(0xc4ceb9fe1a85ec53),
		UINT64_C(0x87c37b91114253d5), UINT64_C(0x4cf5ad432745937f),
		UINT64_C(0x9e3779b97f4a7c15), UINT64_C(0xbf58476d1ce4e5b9),
		UINT64_C(0x94d049bb133111eb), UINT64_C(0xd6e8feb86659fd93),
	};

	return k[i & 7];
}

static inline uint64_t bw_cls_fold(const uint64_t w[8])
{
	uint64_t f = 0;

	for (unsigned i = 0; i < 8; i++)
		f ^= w[i] * bw_cls_fold_k(i);
	return f ^ f >> 32;
}

/* What a tuple's candidates must check beyond its key. */
enum {
	BW_CLS_CHK_L3 = 1 << 0,		/* key bytes 0-1 */
	BW_CLS_CHK_SADDR = 1 << 1,
	BW_CLS_CHK_DADDR = 1 << 2,
	BW_CLS_CHK_SPORT = 1 << 3,
	BW_CLS_CHK_DPORT = 1 << 4,
	BW_CLS_CHK_SADDR6 = 1 << 5,	/* wide candidates only */
	BW_CLS_CHK_DADDR6 = 1 << 6,
	BW_CLS_CHK_IIF = 1 << 7,
	BW_CLS_CHK_OIF = 1 << 8,
};

struct bw_cls_tuple {
	uint8_t mask[BW_CLS_PKT];	/* over the packet key */
	bool wide;			/* mask bits in bytes 16..79: key bytes
					 * 4..11 xor the fingerprint */
	uint32_t csize;			/* bytes a candidate: struct bw_cls_cand,
					 * or bw_cls_cand6 */
	uint32_t min_rule;		/* lowest rule position among its atoms */
	uint32_t id;			/* key bytes 2-3 */
	uint32_t ncand;			/* candidates per value */
	uint32_t check;			/* BW_CLS_CHK_* */
	uint32_t natom, nkey;
	char desc[112];			/* what -d shows: "ip saddr/24 . dport:
					 * 3 keys, 4 candidates, from rule 2" */
};

/* The flat table of a plan's tuples (see above).  The staged entries
 * (key, candidates) wait in ent until bw_cls_finish places them. */
struct bw_cls_table {
	uint32_t bits;			/* 1 << bits slots */
	uint64_t seed;			/* of bw_cls_hash */
	uint32_t map;			/* index into plan->map */
	uint64_t size;			/* bytes of the map's value */
	uint32_t nkey, kcap;
	uint32_t *eoff;			/* entry i at ent + eoff[i] */
	uint8_t *ent;
	uint64_t nent, ecap;		/* bytes */
	uint32_t max_probe;		/* longest probe path: slots a lookup
					 * reads at most */
	char desc[96];			/* what -d shows: "table: 65536 slots,
					 * 20000 keys, 960 KiB, at most 5 slots a
					 * probe" */
};

/* The hash of a masked key's two 64-bit words (native order), as the
 * program computes it (two multiplications side by side, then a third
 * that mixes their halves): the home slot is its top `bits` bits, the
 * tag the byte below them. */
static inline uint64_t bw_cls_hash(uint64_t w0, uint64_t w1, uint64_t seed)
{
	uint64_t h = w0 * UINT64_C(0x9e3779b97f4a7c15) ^
		     (w1 ^ seed) * UINT64_C(0xc2b2ae3d27d4eb4f);

	h ^= h >> 32;
	return h * UINT64_C(0x165667b19e3779f9);
}

/* The key's tag: the hash's byte below the home bits, 1 where it is 0. */
static inline uint8_t bw_cls_tag(uint64_t h, uint32_t bits)
{
	uint8_t t = (uint8_t)(h >> (56 - bits));

	return t ? t : 1;
}

/* Where the table's parts start. */
static inline uint64_t bw_cls_offs_at(uint32_t bits)
{
	return ((UINT64_C(1) << bits) + BW_CLS_PROBE_MAX + 7) / 8 * 8;
}

static inline uint64_t bw_cls_ent_at(uint32_t bits)
{
	return bw_cls_offs_at(bits) + ((UINT64_C(1) << bits) + BW_CLS_PROBE_MAX) * 4;
}

/* Can the classifier take rule r (its matches and statements)? */
bool bw_cls_rule_ok(const struct bw_ir_rule *r);

/* Rules [first, first + n) of chain c (all bw_cls_rule_ok) become one
 * BW_OPT_CLASSIFY group of plan p, with its tuples and maps. */
int bw_cls_build(struct bw_opt_plan *p, const struct bw_ir_chain *ch,
		 uint32_t c, uint32_t first, uint32_t n);

/* Place the staged entries of plan p into its flat table and add the
 * table's map to the plan (bw_optimize, after the last group). */
int bw_cls_finish(struct bw_opt_plan *p);
void bw_cls_table_free(struct bw_cls_table **t);

/* The packet key of view fields (the interpreter's side of the same
 * definition, for tests): l3, l4proto, flags, the IPv4 header (or the
 * IPv6 one, 40 bytes, when l3 is 6), the transport header's first 4
 * bytes, the interfaces' names (NULL: none). */
void bw_cls_key(uint8_t key[BW_CLS_PKT], uint8_t l3, uint8_t l4proto,
		uint8_t flags, const uint8_t *l3h, const uint8_t *l4h,
		const char *iif, const char *oif);

/* The position of the first rule of group g a packet with key matches,
 * or BW_CLS_NO_RULE: the tuple search in C (unit tests). */
uint32_t bw_cls_lookup(const struct bw_opt_plan *p, const struct bw_opt_group *g,
		       const uint8_t key[BW_CLS_PKT]);
