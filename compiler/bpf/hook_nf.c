// SPDX-License-Identifier: GPL-2.0-only
/*
 * The netfilter hooks (BPF_PROG_TYPE_NETFILTER): the context is struct
 * bpf_nf_ctx { state, skb }, both kernel pointers the verifier types
 * through BTF.  The skb's data starts at the network header; headers are
 * copied with bpf_dynptr_read from a dynptr over the skb
 * (bpf_dynptr_from_skb, a kfunc), which reads paged data as well.  Member
 * offsets of kernel structures are relocations (BW_RELOC_FIELD) the
 * runtime resolves against the running kernel's BTF.  One program serves
 * every interface: the interfaces, the packet type and the kernel's
 * connection tracking state are read into the view, each only when a
 * rule asks.  The verdicts are NF_ACCEPT and NF_DROP; there is no way to
 * answer (a reject).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/bpf.h>

#include "compiler/interp/ct.h"
#include "hook.h"
#include "uapi.h"

#define V(m)		((int16_t)BW_VIEW_OFF(m))
#define VB(m, k)	((int16_t)(BW_VIEW_OFF(m) + (k)))

#define BW_HELPER_PROBE_READ_KERNEL 113

/* r = ctx->skb, r = ctx->state */
static void load_skb(struct bw_emit *e, uint8_t r)
{
	bw_emit_ldx_field(e, BPF_DW, r, BW_R6, "bpf_nf_ctx.skb");
}

static void load_state(struct bw_emit *e, uint8_t r)
{
	bw_emit_ldx_field(e, BPF_DW, r, BW_R6, "bpf_nf_ctx.state");
}

static void nf_start(struct bw_emit *e)
{
	bw_label v6 = bw_emit_label(e), pf_done = bw_emit_label(e);
	bw_label ok = bw_emit_label(e);

	bw_emit(e, bw_mov64_reg(BW_R6, BW_R1));
	bw_prologue_zero_view(e);
	load_skb(e, BW_R1);
	bw_emit_ldx_field(e, BPF_W, BW_R0, BW_R1, "sk_buff.len");
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(pkt_len)));
	bw_emit_ldx_field(e, BPF_W, BW_R0, BW_R1, "sk_buff.mark");
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0, V(mark)));
	/* the protocol family the hook runs for: IPv4 or IPv6 */
	load_state(e, BW_R2);
	bw_emit_ldx_field(e, BPF_B, BW_R3, BW_R2, "nf_hook_state.pf");
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R3, BW_NFPROTO_IPV6, 0), v6);
	bw_emit(e, bw_st(BPF_H, BW_R10, V(ethertype), 0x0800));
	bw_emit_ja(e, pf_done);
	bw_emit_place(e, v6);
	bw_emit(e, bw_st(BPF_H, BW_R10, V(ethertype), 0x86dd));
	bw_emit_place(e, pf_done);
	/* the dynptr every read goes through; it cannot fail for an skb
	 * and flags 0, and if it did the packet is not let through */
	bw_emit(e, bw_mov64_imm(BW_R2, 0));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, BW_STK_DYNPTR));
	bw_emit_kfunc(e, "bpf_dynptr_from_skb");
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R0, 0, 0), ok);
	bw_emit(e, bw_mov64_imm(BW_R0, BW_NF_DROP));
	bw_emit(e, bw_exit());
	bw_emit_place(e, ok);
}

static void nf_read(struct bw_emit *e, int16_t at, uint32_t len, int16_t dst,
		    bw_label fail)
{
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, dst));
	bw_emit(e, bw_mov64_imm(BW_R2, (int32_t)len));
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R3, BW_STK_DYNPTR));
	bw_emit(e, bw_mov64_reg(BW_R4, BW_R7));
	if (at)
		bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R4, at));
	bw_emit(e, bw_mov64_imm(BW_R5, 0));
	bw_emit(e, bw_call(BW_HELPER_DYNPTR_READ));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R0, 0, 0), fail);
}

/*
 * skb->pkt_type (a 3-bit field), as nft's meta pkttype: a looped-back
 * copy (PACKET_LOOPBACK, 5) of a packet this host sends is a multicast
 * or broadcast one, told by its IPv4 destination (IPv6: multicast).
 */
static void nf_load_pkttype(struct bw_emit *e)
{
	bw_label store = bw_emit_label(e);

	load_skb(e, BW_R1);
	bw_emit_ldx_field(e, BPF_B, BW_R2, BW_R1, "sk_buff.pkt_type");
	bw_emit_reloc(e, BW_RELOC_FIELD_BIT, "sk_buff.pkt_type",
		      bw_alu64_imm(BPF_RSH, BW_R2, 0));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, 7));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, 5, 0), store);
	bw_emit(e, bw_mov64_imm(BW_R2, 2));		/* multicast */
	bw_emit(e, bw_ldx(BPF_B, BW_R3, BW_R10, V(l3)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R3, 4, 0), store);
	bw_emit(e, bw_ldx(BPF_B, BW_R3, BW_R10, VB(l3h, 16)));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 0xf0));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R3, 0xe0, 0), store);
	bw_emit(e, bw_mov64_imm(BW_R2, 1));		/* broadcast */
	bw_emit_place(e, store);
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R2, V(pkttype)));
}

/* One of state->in, state->out into view.iif/oif and its name, flag set;
 * none: left zero. */
static void load_iface(struct bw_emit *e, const char *member, int16_t idx,
		       int16_t name, int flag)
{
	bw_label none = bw_emit_label(e);

	load_state(e, BW_R2);
	bw_emit_ldx_field(e, BPF_DW, BW_R3, BW_R2, member);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R3, 0, 0), none);
	bw_emit_ldx_field(e, BPF_W, BW_R4, BW_R3, "net_device.ifindex");
	bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R4, idx));
	for (int k = 0; k < 16; k += 8) {
		bw_emit_reloc(e, BW_RELOC_FIELD, "net_device.name",
			      bw_ldx(BPF_DW, BW_R4, BW_R3, (int16_t)k));
		bw_emit(e, bw_stx(BPF_DW, BW_R10, BW_R4, (int16_t)(name + k)));
	}
	bw_emit(e, bw_ldx(BPF_B, BW_R4, BW_R10, V(flags)));
	bw_emit(e, bw_alu32_imm(BPF_OR, BW_R4, flag));
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R4, V(flags)));
	bw_emit_place(e, none);
}

static void nf_load_ifaces(struct bw_emit *e)
{
	load_iface(e, "nf_hook_state.in", V(iif), V(iifname), BW_VIEW_IIF);
	load_iface(e, "nf_hook_state.out", V(oif), V(oifname), BW_VIEW_OIF);
}

/*
 * ct state from skb->_nfct, as nft reads it: no entry is invalid, but
 * the untracked mark (IP_CT_UNTRACKED, 7); an entry's ctinfo 0 and 3
 * (established, and its reply) are established, 1 and 4 related, 2 new.
 */
static void nf_load_ct(struct bw_emit *e)
{
	bw_label entry = bw_emit_label(e), done = bw_emit_label(e);
	bw_label est = bw_emit_label(e), rel = bw_emit_label(e);

	load_skb(e, BW_R1);
	bw_emit_ldx_field(e, BPF_DW, BW_R2, BW_R1, "sk_buff._nfct");
	bw_emit(e, bw_mov64_reg(BW_R3, BW_R2));
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R3, 7));		/* ctinfo */
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R2, ~7));		/* the entry */
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R2, 0, 0), entry);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), BW_CT_INVALID));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R3, 7, 0), done);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), BW_CT_UNTRACKED));
	bw_emit_ja(e, done);
	bw_emit_place(e, entry);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R3, 0, 0), est);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R3, 3, 0), est);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R3, 1, 0), rel);
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R3, 4, 0), rel);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), BW_CT_NEW));
	bw_emit_ja(e, done);
	bw_emit_place(e, est);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), BW_CT_ESTABLISHED));
	bw_emit_ja(e, done);
	bw_emit_place(e, rel);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), BW_CT_RELATED));
	bw_emit_place(e, done);
}

/*
 * The link-layer header, where the packet came with one (prerouting,
 * input, forward; not what this host sends): skb->head + mac_header,
 * when set and 14 bytes before the network header, as nft's ether
 * fields read it.  None: view.eth stays zero and ether fields hold
 * only as a zero address would.
 */
static void nf_load_ether(struct bw_emit *e)
{
	bw_label none = bw_emit_label(e);

	load_skb(e, BW_R1);
	bw_emit_ldx_field(e, BPF_H, BW_R2, BW_R1, "sk_buff.mac_header");
	bw_emit_ldx_field(e, BPF_H, BW_R3, BW_R1, "sk_buff.network_header");
	bw_emit_jcc(e, bw_jmp_imm(BPF_JEQ, BW_R2, 0xffff, 0), none);
	bw_emit(e, bw_alu64_reg(BPF_SUB, BW_R3, BW_R2));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R3, 14, 0), none);
	bw_emit_ldx_field(e, BPF_DW, BW_R3, BW_R1, "sk_buff.head");
	bw_emit(e, bw_alu64_reg(BPF_ADD, BW_R3, BW_R2));
	bw_emit(e, bw_mov64_reg(BW_R1, BW_R10));
	bw_emit(e, bw_alu64_imm(BPF_ADD, BW_R1, V(eth)));
	bw_emit(e, bw_mov64_imm(BW_R2, 14));
	bw_emit(e, bw_call(BW_HELPER_PROBE_READ_KERNEL));
	bw_emit_place(e, none);
}

/* No link-layer or VLAN fields of their own: view.eth is what
 * load_ether finds, a VLAN tag was taken off before the IP hooks. */
const struct bw_hook_ops bw_hook_nf_ops = {
	.info = {
		.name = "netfilter",
		.prog_type = BW_PROG_TYPE_NETFILTER,
		.expected_attach_type = BW_ATTACH_NETFILTER,
		.egress = false,
		.verdict_accept = BW_NF_ACCEPT,
		.verdict_drop = BW_NF_DROP,
		.verdict_reject = 0,
	},
	.fields = BW_FIELDS_ALL,
	.start = nf_start,
	.read = nf_read,
	.packet = true,
	.ifindex_off = 0,
	.load_bytes = 0,
	.l3 = true,
	.iface_view = true,
	.load_pkttype = nf_load_pkttype,
	.load_ifaces = nf_load_ifaces,
	.load_ct = nf_load_ct,
	.load_ether = nf_load_ether,
};

#define BW_HELPER_TAIL_CALL 12

int bw_nf_dispatcher(struct bw_prog **out)
{
	struct bw_prog *p = calloc(1, sizeof(*p));
	struct bw_emit e;
	int err;

	*out = NULL;
	if (!p)
		return -ENOMEM;
	bw_emit_init(&e);
	bw_emit_mark(&e, NULL, 0, "dispatch");
	/* r1 is the context the called program gets */
	bw_emit_ld_map(&e, BW_R2, BW_MAP_DISPATCH);
	bw_emit(&e, bw_mov64_imm(BW_R3, 0));
	bw_emit(&e, bw_call(BW_HELPER_TAIL_CALL));
	bw_emit(&e, bw_mov64_imm(BW_R0, BW_NF_DROP));
	bw_emit(&e, bw_exit());
	err = bw_emit_finish(&e);
	if (err) {
		bw_emit_fini(&e);
		free(p);
		return err;
	}
	p->hook = BW_HOOK_NF;
	snprintf(p->name, sizeof(p->name), "bw_nf_dispatch");
	p->insn = e.insn;
	p->ninsn = e.ninsn;
	p->srcmap = e.srcmap;
	p->nsrcmap = e.nsrcmap;
	p->uses_map[BW_MAP_DISPATCH] = true;
	e.insn = NULL;
	e.srcmap = NULL;
	bw_emit_fini(&e);
	*out = p;
	return 0;
}
