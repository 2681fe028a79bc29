// SPDX-License-Identifier: GPL-2.0-only
/*
 * Connection tracking as BPF (the model and the tables: ct.h, ct.c; the
 * reference tracker there is what this must agree with).  Two pieces:
 *
 *   track    after the packet parser, before the rules: the packet's
 *            tuple, the lookup, the update of an existing entry, and
 *            view.ct_state; what to create on accept is left in the
 *            pending slot.
 *   confirm  the accept exit of the program: creates the pending entry.
 *
 * Stack (hook.h): the key at BW_STK_CT (40 bytes) and the pending entry
 * after it (PEND: create, tcp state, flags, timeout in seconds); the
 * tuple is staged in the lookup-key area (free before the rules and after
 * them): source address at S, destination at S+16, ports at S+32/34,
 * protocol at S+36, the ICMP kind at S+37 (1 request, 2 reply), the time
 * at S+40.  An ICMP error's quoted headers, and the key of a fragment
 * record, go to the scratch area.
 *
 * Registers: r6 is the context throughout (the helpers need it); r7 the
 * entry (0: none), r8 whether the packet is a reply, r9 the entry's TCP
 * state; r7 the quoted packet's offset while an ICMP error is read.
 */
#include <stddef.h>
#include <netinet/in.h>

#include "compiler/interp/ct.h"
#include "hook.h"

#define V(m)		((int16_t)BW_VIEW_OFF(m))
#define VB(m, k)	((int16_t)(BW_VIEW_OFF(m) + (k)))

#define K		BW_STK_CT
#define PEND		(BW_STK_CT + 40)
/*
 * The pending entry's bytes are never 0 and never at an 8-byte aligned
 * offset, so that the verifier keeps them as unknown bytes (not a
 * spilled or zero constant): every path out of the tracker then leaves
 * the same kind of stack, and the rules after it are verified once, not
 * once per path.  create: 1 no, 2 yes; tcp and flags with 0x80 set.
 */
#define P_CREATE	(PEND + 1)
#define P_TCP		(PEND + 2)
#define P_FLAGS		(PEND + 3)
#define P_TIMEOUT	(PEND + 4)
#define P_NO		1
#define P_YES		2
#define P_SET		0x80
_Static_assert((PEND + 8) % 8 == 0, "the pending word is one stack slot");
#define S		BW_STK_LKEY
#define S_PROTO		(S + 36)
#define S_KIND		(S + 37)
#define S_NOW		(S + 40)
#define X		BW_STK_SCRATCH		/* quoted headers, 40 bytes */
#define X_L4		(X + 40)		/* quoted transport, 8 bytes */
#define X_FKEY		(X + 64)		/* a fragment record's key */
#define X_FVAL		(X + 104)		/* and value */
_Static_assert(X_FVAL + 16 <= X + BW_STK_SCRATCH_SIZE, "scratch holds it");

#define KOFF(m)		((int16_t)offsetof(struct bw_ct_key, m))
#define VOFF(m)		((int16_t)offsetof(struct bw_ct_value, m))
#define NS		1000000000

#define TCP_RST		0x04
#define TCP_SYN		0x02
#define TCP_FIN		0x01
#define TCP_ACK		0x10

struct ct {
	struct bw_emit *e;
	const struct bw_hook_ops *ops;
	bw_label done, invalid;
};

static void set_state(struct bw_emit *e, uint8_t state, bw_label to)
{
	bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), state));
	bw_emit_ja(e, to);
}

/* dst = bytes [src, src + len) of the stack, len a multiple of 4. */
static void copy(struct bw_emit *e, int16_t dst, int16_t src, int len)
{
	for (int k = 0; k < len; ) {
		uint8_t sz = len - k >= 8 && !((dst + k) & 7) && !((src + k) & 7) ?
			     BPF_DW : BPF_W;

		bw_emit(e, bw_ldx(sz, BW_R1, BW_R10, (int16_t)(src + k)));
		bw_emit(e, bw_stx(sz, BW_R10, BW_R1, (int16_t)(dst + k)));
		k += sz == BPF_DW ? 8 : 4;
	}
}

/* conntrack[key at stack offset key] = value at stack offset val */
static void map_put(struct bw_emit *e, int16_t key, int16_t val)
{
	bw_emit_ld_map(e, BW_R1, BW_MAP_CT);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, key));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, val));
	bw_emit(e, bw_mov64_imm(BW_R4, BPF_ANY));
	bw_emit(e, bw_call(BW_HELPER_MAP_UPDATE));
}

/* r0 = conntrack[key at stack offset key], or 0 */
static void map_get(struct bw_emit *e, int16_t key)
{
	bw_emit_ld_map(e, BW_R1, BW_MAP_CT);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, key));
	bw_emit(e, bw_call(BW_HELPER_MAP_LOOKUP));
}

static void zero(struct bw_emit *e, int16_t at, int len)
{
	for (int k = 0; k < len; k += 8)
		bw_emit(e, bw_st(BPF_DW, BW_R10, (int16_t)(at + k), 0));
}

/* An IP header's addresses (at stack offset ip) into the staging area,
 * for l3 (4 or 6, known when this runs: the caller branches). */
static void stage_addrs(struct bw_emit *e, int l3, int16_t ip)
{
	if (l3 == 4) {
		copy(e, S, (int16_t)(ip + 12), 4);
		copy(e, S + 16, (int16_t)(ip + 16), 4);
	} else {
		copy(e, S, (int16_t)(ip + 8), 16);
		copy(e, S + 16, (int16_t)(ip + 24), 16);
	}
}

/*
 * The ICMP header at stack offset h (type at h, id at h + 4), of family
 * l3: a query stages its ports (the asking side's id, the request type)
 * and kind, then jumps to ports; an error jumps to err, an untracked type
 * to untracked, anything else to c->invalid.  Types from ct.c's table.
 */
static void icmp_tuple(struct ct *c, int l3, int16_t h, bw_label ports,
		       bw_label err, bw_label untracked)
{
	struct bw_emit *e = c->e;
	uint8_t proto = l3 == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	bw_label req = bw_emit_label(e), rep = bw_emit_label(e);
	bw_label to[] = {
		[BW_CT_ICMP_REQUEST] = req, [BW_CT_ICMP_REPLY] = rep,
		[BW_CT_ICMP_ERROR] = err, [BW_CT_ICMP_UNTRACKED] = untracked,
	};

	bw_emit(e, bw_ldx(BPF_B, BW_R3, BW_R10, h));
	for (unsigned i = 0; i < bw_ct_nicmp_types; i++) {
		const struct bw_ct_icmp_type *t = &bw_ct_icmp_types[i];

		if (t->proto == proto)
			bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R3, t->type, 0),
				    to[t->kind]);
	}
	bw_emit_ja(e, c->invalid);

	/* a request: (id, type) */
	bw_emit_place(e, req);
	bw_emit(e, bw_st(BPF_B, BW_R10, S_KIND, BW_CT_ICMP_REQUEST));
	bw_emit(e, bw_ldx(BPF_H, BW_R4, BW_R10, (int16_t)(h + 4)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R4, S + 32));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R3, S + 34));
	bw_emit_ja(e, ports);

	/* a reply: (the request's type, id); bw_ct_icmp_request_of() */
	bw_emit_place(e, rep);
	bw_emit(e, bw_st(BPF_B, BW_R10, S_KIND, BW_CT_ICMP_REPLY));
	bw_emit(e, bw_alu32_imm(BPF_SUB, BW_R3, 1));
	bw_emit(e, bw_jmp32_imm(BPF_JNE, BW_R3, -1, 1));
	bw_emit(e, bw_mov32_imm(BW_R3, bw_ct_icmp_request_of(0)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R3, 0xff));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R3, S + 32));
	bw_emit(e, bw_ldx(BPF_H, BW_R4, BW_R10, (int16_t)(h + 4)));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R4, S + 34));
	bw_emit_ja(e, ports);
}

/*
 * The staged tuple into the canonical key at K (bw_ct_src_is_b), with
 * P_FLAGS = BW_CTF_ORIG_B when the source is endpoint b; then looks the
 * key up: r0 = the entry or 0 (expired entries count as none).
 */
static void key_lookup(struct ct *c)
{
	struct bw_emit *e = c->e;
	bw_label keep = bw_emit_label(e), swap = bw_emit_label(e);
	bw_label built = bw_emit_label(e), out = bw_emit_label(e);

	for (int w = 0; w < 4; w++) {
		bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, (int16_t)(S + 4 * w)));
		bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, (int16_t)(S + 16 + 4 * w)));
		bw_emit_jcc(e, bw_jmp_reg(BPF_JLT, BW_R1, BW_R2, 0), keep);
		bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R1, BW_R2, 0), swap);
	}
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, S + 32));
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, S + 34));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R1, BW_R2, 0), swap);

	bw_emit_place(e, keep);
	copy(e, K + KOFF(addr), S, 32);
	copy(e, K + KOFF(port), S + 32, 4);
	bw_emit(e, bw_mov64_imm(BW_R3, P_SET));
	bw_emit_ja(e, built);

	bw_emit_place(e, swap);
	copy(e, K + KOFF(addr), S + 16, 16);
	copy(e, K + KOFF(addr) + 16, S, 16);
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, S + 34));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, K + KOFF(port)));
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, S + 32));
	bw_emit(e, bw_stx(BPF_H, BW_R10, BW_R1, K + KOFF(port) + 2));
	bw_emit(e, bw_mov64_imm(BW_R3, P_SET | BW_CTF_ORIG_B));

	bw_emit_place(e, built);
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R3, P_FLAGS));
	/* l3, proto, kind FLOW, pad */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, S_PROTO));
	bw_emit(e, bw_alu32_imm(BPF_LSH, BW_R2, 8));
	bw_emit(e, bw_alu32_reg(BPF_OR, BW_R1, BW_R2));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, K));

	map_get(e, K);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), out);
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R0, VOFF(expires)));
	bw_emit(e, bw_ldx(BPF_DW, BW_R2, BW_R10, S_NOW));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R1, BW_R2, 0), out);
	bw_emit(e, bw_mov64_imm(BW_R0, 0));	/* expired: as none */
	bw_emit_place(e, out);
}

/* r4 = the timeout (seconds) of TCP state r4 (bw_ct_tcp_timeout). */
static void tcp_timeout(struct bw_emit *e)
{
	bw_emit(e, bw_mov64_reg(BW_R5, BW_R4));
	bw_emit(e, bw_mov64_imm(BW_R4, 0));
	for (int s = BW_CT_TCP_NONE + 1; s < BW_CT_TCP__MAX; s++) {
		bw_emit(e, bw_jmp_imm(BPF_JNE, BW_R5, s, 1));
		bw_emit(e, bw_mov64_imm(BW_R4, (int32_t)bw_ct_tcp_timeout(s)));
	}
}

/*
 * r4 = bw_ct_tcp_next[reply][class][state] for the segment's class, reply
 * in r8 and state in r9: each class's two rows packed in one 64-bit
 * constant, four bits per state, the reply row from bit 32.
 */
static void tcp_next(struct ct *c)
{
	struct bw_emit *e = c->e;
	bw_label cls[BW_CT_SEG__MAX], syn = bw_emit_label(e), next = bw_emit_label(e);

	_Static_assert(BW_CT_TCP__MAX <= 8, "a row fits in 32 bits");
	for (int k = 0; k < BW_CT_SEG__MAX; k++)
		cls[k] = bw_emit_label(e);
	/* the order of bw_ct_tcp_class() */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, VB(l4h, 13)));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R2, TCP_RST));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), cls[BW_CT_SEG_RST]);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R2, TCP_SYN));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), syn);
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R2, TCP_FIN));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), cls[BW_CT_SEG_FIN]);
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, TCP_ACK));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 0), cls[BW_CT_SEG_ACK]);
	bw_emit_ja(e, cls[BW_CT_SEG_NONE]);
	bw_emit_place(e, syn);
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, TCP_ACK));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, 0, 0), cls[BW_CT_SEG_SYNACK]);
	bw_emit_ja(e, cls[BW_CT_SEG_SYN]);

	for (int k = 0; k < BW_CT_SEG__MAX; k++) {
		uint64_t packed = 0;

		for (int d = 0; d < 2; d++)
			for (int s = 0; s < BW_CT_TCP__MAX; s++)
				packed |= (uint64_t)(bw_ct_tcp_next[d][k][s] & 15)
					  << (32 * d + 4 * s);
		bw_emit_place(e, cls[k]);
		bw_emit_ld_imm64(e, BW_R4, packed);
		bw_emit_ja(e, next);
	}
	bw_emit_place(e, next);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R8));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R1, 5));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R9));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 7));
	bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 2));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R1, BW_R2));
	bw_emit(e, bw_alu64_reg(BPF_RSH, BW_R4, BW_R1));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R4, 15));
}

/*
 * A flow's packet, its tuple staged: the lookup, then per protocol the
 * entry's update (or, with none, what to create) and the state.
 */
static void track_flow(struct ct *c)
{
	struct bw_emit *e = c->e;
	bw_label have = bw_emit_label(e), tcp = bw_emit_label(e);
	bw_label udp = bw_emit_label(e), icmp = bw_emit_label(e);
	bw_label create = bw_emit_label(e), refresh = bw_emit_label(e);
	bw_label classify = bw_emit_label(e), orig = bw_emit_label(e);
	bw_label store = bw_emit_label(e), udp_short = bw_emit_label(e);

	key_lookup(c);
	bw_emit(e, bw_mov64_imm(BW_R8, 0));
	bw_emit(e, bw_mov64_imm(BW_R9, 0));
	bw_emit(e, bw_mov64_imm(BW_R7, 0));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), have);
	bw_emit(e, bw_mov64_reg(BW_R7, BW_R0));
	/* a reply: the source is not the endpoint that opened the flow */
	bw_emit(e, bw_ldx(BPF_B, BW_R8, BW_R7, VOFF(flags)));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R8, BW_CTF_ORIG_B));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, P_FLAGS));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, BW_CTF_ORIG_B));
	bw_emit(e, bw_alu64_reg(BPF_XOR, BW_R8, BW_R1));
	bw_emit(e, bw_ldx(BPF_B, BW_R9, BW_R7, VOFF(tcp)));

	bw_emit_place(e, have);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, S_PROTO));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_TCP, 0), tcp);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_UDP, 0), udp);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, S_KIND));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), icmp);
	/* other protocols */
	bw_emit(e, bw_mov64_imm(BW_R4, BW_CT_OTHER_TIMEOUT));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R7, 0, 0), create);
	bw_emit_ja(e, refresh);

	/* ICMP queries: a request from the asking side, a reply from the
	 * other (kind - 1 == reply) */
	bw_emit_place(e, icmp);
	bw_emit(e, bw_alu64_imm(BPF_SUB, BW_R2, 1));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JNE, BW_R2, BW_R8, 0), c->invalid);
	bw_emit(e, bw_mov64_imm(BW_R4, BW_CT_ICMP_TIMEOUT));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R7, 0, 0), create);
	bw_emit_ja(e, refresh);

	/* UDP: longer once answered */
	bw_emit_place(e, udp);
	bw_emit(e, bw_mov64_imm(BW_R4, BW_CT_UDP_TIMEOUT));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R7, 0, 0), create);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R7, VOFF(flags)));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R1, BW_CTF_REPLIED));
	bw_emit(e, bw_alu64_reg(BPF_OR, BW_R1, BW_R8));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 0), udp_short);
	bw_emit(e, bw_mov64_imm(BW_R4, BW_CT_UDP_REPLIED_TIMEOUT));
	bw_emit_place(e, udp_short);
	bw_emit_ja(e, refresh);

	/* TCP: the transition table */
	bw_emit_place(e, tcp);
	tcp_next(c);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R4, BW_CT_TCP_INVALID, 0), c->invalid);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R7, 0, 0), store);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R4));
	bw_emit(e, bw_alu64_imm(BPF_OR, BW_R1, P_SET));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, P_TCP));
	tcp_timeout(e);
	bw_emit_ja(e, create);
	bw_emit_place(e, store);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R4, BW_CT_TCP_IGNORE, 0), classify);
	/* a SYN reopening a closing flow: the answer is forgotten */
	bw_emit(e, bw_jmp_imm(BPF_JNE, BW_R4, BW_CT_TCP_SYN_SENT, 4));
	bw_emit(e, bw_jmp_imm(BPF_JEQ, BW_R9, BW_CT_TCP_SYN_SENT, 3));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R7, VOFF(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, (uint8_t)~BW_CTF_REPLIED));
	bw_emit(e, bw_stx(BPF_B, BW_R7, BW_R1, VOFF(flags)));
	bw_emit(e, bw_stx(BPF_B, BW_R7, BW_R4, VOFF(tcp)));
	tcp_timeout(e);
	/* falls through */

	/* the entry lives r4 seconds more */
	bw_emit_place(e, refresh);
	bw_emit(e, bw_alu64_imm(BPF_MUL, BW_R4, NS));
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R10, S_NOW));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R4, BW_R1));
	bw_emit(e, bw_stx(BPF_DW, BW_R7, BW_R4, VOFF(expires)));

	/* established once the other side has answered */
	bw_emit_place(e, classify);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R7, VOFF(flags)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R8, 0, 0), orig);
	bw_emit(e, bw_alu32_imm(BPF_OR, BW_R1, BW_CTF_REPLIED));
	bw_emit(e, bw_stx(BPF_B, BW_R7, BW_R1, VOFF(flags)));
	set_state(e, BW_CT_ESTABLISHED, c->done);
	bw_emit_place(e, orig);
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, BW_CTF_REPLIED));
	bw_emit(e, bw_jmp_imm(BPF_JEQ, BW_R1, 0, 2));
	set_state(e, BW_CT_ESTABLISHED, c->done);
	set_state(e, BW_CT_NEW, c->done);

	/* no entry: create one if the packet is accepted (r4 seconds) */
	bw_emit_place(e, create);
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R4, P_TIMEOUT));
	bw_emit(e, bw_st(BPF_B, BW_R10, P_CREATE, P_YES));
	set_state(e, BW_CT_NEW, c->done);
}

/* r1 = frame offset r7 + len must end inside the IP packet, and the
 * helper copies len bytes there to the stack at to; else invalid. */
static void load_quoted(struct ct *c, int16_t to, int32_t len)
{
	struct bw_emit *e = c->e;

	bw_emit(e, bw_mov64_reg(BW_R1, BW_R7));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, len));
	bw_emit(e, bw_ldx(BPF_W, BW_R2, BW_R10, BW_STK_END));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JGT, BW_R1, BW_R2, 0), c->invalid);
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R6));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R7));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, to));
	bw_emit(e, bw_mov64_imm(BW_R4, len));
	bw_emit(e, bw_call(c->ops->load_bytes));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), c->invalid);
}

/*
 * The quoted IPv6 packet's extension headers (S_PROTO the next header,
 * r7 where it is), walked as conntrack's ipv6_skip_exthdr() does (past
 * AH too, unlike the view's walk, which stops there as nf_tables'
 * does), BW_IP6_EXT_MAX at most: r7 and S_PROTO end at the upper layer.  A later fragment, or a walk
 * that does not end, is invalid.
 */
static void quoted_ext_walk(struct ct *c)
{
	static const int ext[] = { IPPROTO_HOPOPTS, IPPROTO_ROUTING,
				   IPPROTO_FRAGMENT, IPPROTO_DSTOPTS,
				   IPPROTO_AH };
	struct bw_emit *e = c->e;
	bw_label out = bw_emit_label(e);

	for (int i = 0; i <= BW_IP6_EXT_MAX; i++) {
		bw_label step = bw_emit_label(e), frag = bw_emit_label(e);
		bw_label ah = bw_emit_label(e), len = bw_emit_label(e);

		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, S_PROTO));
		for (unsigned k = 0; k < sizeof(ext) / sizeof(ext[0]); k++)
			bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, ext[k], 0), step);
		bw_emit_ja(e, out);
		bw_emit_place(e, step);
		if (i == BW_IP6_EXT_MAX) {	/* too many */
			bw_emit_ja(e, c->invalid);
			break;
		}
		load_quoted(c, X_L4, 8);
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, S_PROTO));
		bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, X_L4 + 1));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_FRAGMENT, 0), frag);
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_AH, 0), ah);
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 1));	/* (len + 1) * 8 */
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 3));
		bw_emit_ja(e, len);
		bw_emit_place(e, ah);				/* (len + 2) * 4 */
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R2, 2));
		bw_emit(e, bw_alu64_imm(BPF_LSH, BW_R2, 2));
		bw_emit_ja(e, len);
		bw_emit_place(e, frag);		/* 8; a later fragment: invalid */
		bw_emit(e, bw_ldx(BPF_H, BW_R3, BW_R10, X_L4 + 2));
		bw_emit(e, bw_be(BW_R3, 16));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R3, 0xfff8));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R3, 0, 0), c->invalid);
		bw_emit(e, bw_mov64_imm(BW_R2, 8));
		bw_emit_place(e, len);
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R2));
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, X_L4));
		bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, S_PROTO));
	}
	bw_emit_place(e, out);
}

/*
 * An ICMP error of family l3: the packet it quotes (its IP header, 8
 * bytes of its transport header) is read from the frame and its flow
 * looked up: related if tracked, else invalid.
 */
static void track_error(struct ct *c, int l3)
{
	struct bw_emit *e = c->e;
	bw_label ports = bw_emit_label(e), icmp = bw_emit_label(e);
	bw_label plain = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l4off)));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 8));
	load_quoted(c, X, l3 == 4 ? 20 : 40);
	zero(e, S, 40);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, X));
	bw_emit(e, bw_mov64_reg(BW_R2, BW_R1));
	bw_emit(e, bw_alu32_imm(BPF_RSH, BW_R2, 4));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, l3, 0), c->invalid);
	if (l3 == 4) {
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, 15));
		bw_emit(e, bw_alu32_imm(BPF_LSH, BW_R1, 2));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JLT, BW_R1, 20, 0), c->invalid);
		bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R7, BW_R1));
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, X + 9));
	} else {
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R7, 40));
		bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, X + 6));
	}
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, S_PROTO));
	stage_addrs(e, l3, X);
	if (l3 == 6)
		quoted_ext_walk(c);
	load_quoted(c, X_L4, 8);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, S_PROTO));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_TCP, 0), plain);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, IPPROTO_UDP, 0), plain);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1,
				    l3 == 4 ? IPPROTO_ICMP : IPPROTO_ICMPV6, 0),
		    icmp);
	bw_emit_ja(e, ports);
	bw_emit_place(e, plain);
	copy(e, S + 32, X_L4, 4);
	bw_emit_ja(e, ports);
	bw_emit_place(e, icmp);
	icmp_tuple(c, l3, X_L4, ports, c->invalid, c->invalid);

	bw_emit_place(e, ports);
	key_lookup(c);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), c->invalid);
	set_state(e, BW_CT_RELATED, c->done);
}

/* The key of the fragment record of this packet, at X_FKEY. */
static void frag_key(struct bw_emit *e)
{
	bw_label v6 = bw_emit_label(e), addrs = bw_emit_label(e);

	zero(e, S, 32);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, 6, 0), v6);
	stage_addrs(e, 4, V(l3h));
	bw_emit_ja(e, addrs);
	bw_emit_place(e, v6);
	stage_addrs(e, 6, V(l3h));
	bw_emit_place(e, addrs);
	copy(e, X_FKEY + KOFF(addr), S, 32);
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(frag_id)));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, X_FKEY + KOFF(port)));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l4proto)));
	bw_emit(e, bw_alu32_imm(BPF_LSH, BW_R2, 8));
	bw_emit(e, bw_alu32_reg(BPF_OR, BW_R1, BW_R2));
	bw_emit(e, bw_alu32_imm(BPF_OR, BW_R1, BW_CT_KEY_FRAG << 16));
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R1, X_FKEY));
}

void bw_ct_emit_track(struct bw_emit *e, const struct bw_hook_ops *ops,
		      struct bw_prog *p)
{
	struct ct c = { .e = e, .ops = ops, .done = bw_emit_label(e),
			.invalid = bw_emit_label(e) };
	bw_label later = bw_emit_label(e), untracked = bw_emit_label(e);
	bw_label v6 = bw_emit_label(e), ports = bw_emit_label(e);
	bw_label flow = bw_emit_label(e), tcpudp = bw_emit_label(e);
	bw_label err[2] = { bw_emit_label(e), bw_emit_label(e) };
	bw_label icmp[2] = { bw_emit_label(e), bw_emit_label(e) };

	p->uses_map[BW_MAP_CT] = true;
	bw_emit(e, bw_st(BPF_B, BW_R10, P_CREATE, P_NO));
	bw_emit(e, bw_st(BPF_B, BW_R10, P_TCP, P_SET));
	bw_emit(e, bw_st(BPF_B, BW_R10, P_FLAGS, P_SET));
	bw_emit(e, bw_st(BPF_W, BW_R10, P_TIMEOUT, 1));
	zero(e, K, 40);
	bw_emit(e, bw_call(BW_HELPER_KTIME_COARSE_NS));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R0, S_NOW));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, 0, 0), c.invalid);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R2, BW_VIEW_LATER));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0, 0), later);

	/* the packet's own tuple */
	zero(e, S, 40);
	bw_emit(e, bw_ldx(BPF_B, BW_R2, BW_R10, V(l4proto)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R2, S_PROTO));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R1, 6, 0), v6);
	stage_addrs(e, 4, V(l3h));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R2, IPPROTO_ICMP, 0), icmp[0]);
	bw_emit_ja(e, flow);
	bw_emit_place(e, v6);
	stage_addrs(e, 6, V(l3h));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R2, IPPROTO_ICMPV6, 0), icmp[1]);
	bw_emit_place(e, flow);
	/* TCP and UDP have ports (without a transport header: a first
	 * fragment of another protocol, none) */
	bw_emit(e, bw_ldx(BPF_B, BW_R3, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R3, BW_VIEW_L4));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R3, 0, 0), ports);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R2, IPPROTO_TCP, 0), tcpudp);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R2, IPPROTO_UDP, 0), tcpudp);
	bw_emit_ja(e, ports);
	bw_emit_place(e, tcpudp);
	copy(e, S + 32, VB(l4h, 0), 4);
	bw_emit_ja(e, ports);
	for (int i = 0; i < 2; i++) {
		bw_emit_place(e, icmp[i]);
		icmp_tuple(&c, i ? 6 : 4, VB(l4h, 0), ports, err[i], untracked);
	}
	bw_emit_place(e, ports);
	track_flow(&c);

	for (int i = 0; i < 2; i++) {
		bw_emit_place(e, err[i]);
		track_error(&c, i ? 6 : 4);
	}

	bw_emit_place(e, untracked);
	set_state(e, BW_CT_UNTRACKED, c.done);
	bw_emit_place(e, c.invalid);
	set_state(e, BW_CT_INVALID, c.done);

	/* a later fragment: what its first fragment met, if it was seen */
	bw_emit_place(e, later);
	frag_key(e);
	map_get(e, X_FKEY);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), BW_CT_INVALID));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), c.done);
	bw_emit(e, bw_ldx(BPF_DW, BW_R1, BW_R0, VOFF(expires)));
	bw_emit(e, bw_ldx(BPF_DW, BW_R2, BW_R10, S_NOW));
	bw_emit_jcc(e, bw_jmp_reg(BPF_JLE, BW_R1, BW_R2, 0), c.done);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R0, VOFF(state)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(ct_state)));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_imm(BPF_OR, BW_R1, BW_VIEW_FRAG_OK));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, V(flags)));
	bw_emit_place(e, c.done);
}

void bw_ct_emit_confirm(struct bw_emit *e, struct bw_prog *p, int accept)
{
	bw_label flow = bw_emit_label(e), ret = bw_emit_label(e);

	p->uses_map[BW_MAP_CT] = true;
	/* a first fragment leaves its state, and that it was accepted, for
	 * the later ones */
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, BW_VIEW_FRAG | BW_VIEW_LATER));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, BW_VIEW_FRAG, 0), flow);
	frag_key(e);
	bw_emit(e, bw_call(BW_HELPER_KTIME_COARSE_NS));
	bw_emit_ld_imm64(e, BW_R1, (uint64_t)BW_CT_FRAG_TIMEOUT * NS);
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R0, BW_R1));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R0, X_FVAL + VOFF(expires)));
	bw_emit(e, bw_st(BPF_DW, BW_R10, X_FVAL + 8, 0));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, V(ct_state)));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, X_FVAL + VOFF(state)));
	map_put(e, X_FKEY, X_FVAL);
	bw_emit_place(e, flow);
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, P_CREATE));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, P_YES, 0), ret);
	bw_emit(e, bw_call(BW_HELPER_KTIME_COARSE_NS));
	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, P_TIMEOUT));
	bw_emit(e, bw_alu64_imm(BPF_MUL, BW_R1, NS));
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R0, BW_R1));
	bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R0, S + VOFF(expires)));
	bw_emit(e, bw_st(BPF_DW, BW_R10, S + 8, 0));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, P_TCP));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, ~P_SET & 0xff));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, S + VOFF(tcp)));
	bw_emit(e, bw_ldx(BPF_B, BW_R1, BW_R10, P_FLAGS));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R1, ~P_SET & 0xff));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R1, S + VOFF(flags)));
	map_put(e, K, S);
	bw_emit_place(e, ret);
	bw_emit(e, bw_mov64_imm(BW_R0, accept));
	bw_emit(e, bw_exit());
}
