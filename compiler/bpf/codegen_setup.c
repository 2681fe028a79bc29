// SPDX-License-Identifier: GPL-2.0-only
/*
 * The parts of a program around its rules (codegen_int.h): what the
 * chains read loaded into the view after the prologue, the parser's
 * malformed-packet stubs, and the check of the maps a program uses.
 */
#include <errno.h>
#include <string.h>

#include "codegen_int.h"
#include "compiler/front/compile.h"
#include "compiler/interp/ct.h"
#include "compiler/front/setmap.h"

#define V(m)	((int16_t)BW_VIEW_OFF(m))

/*
 * view.pkttype from the destination MAC: broadcast 1, multicast 2, else
 * 0 (this host) or, when the device's address is known and differs, 3.
 */
static void emit_pkttype(struct gen *g)
{
	struct bw_emit *e = &g->e;
	bw_label store = bw_emit_label(e), other = bw_emit_label(e);

	bw_emit(e, bw_ldx(BPF_W, BW_R1, BW_R10, V(eth)));
	bw_emit(e, bw_ldx(BPF_H, BW_R2, BW_R10, (int16_t)(V(eth) + 4)));
	bw_emit(e, bw_mov64_imm(BW_R3, 0));
	if (g->mac) {
		uint32_t lo;
		uint16_t hi;

		memcpy(&lo, g->mac, 4);
		memcpy(&hi, g->mac + 4, 2);
		bw_emit(e, bw_mov64_imm(BW_R3, 3));
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, (int32_t)lo, 0), other);
		bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, hi, 0), other);
		bw_emit(e, bw_mov64_imm(BW_R3, 0));
	}
	bw_emit_place(e, other);
	bw_emit(e, bw_mov64_reg(BW_R4, BW_R1));
	bw_emit(e, bw_alu32_imm(BPF_AND, BW_R4, 1));	/* group bit */
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JEQ, BW_R4, 0, 0), store);
	bw_emit(e, bw_mov64_imm(BW_R3, 2));
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R1, -1, 0), store);
	bw_emit_jcc(e, bw_jmp32_imm(BPF_JNE, BW_R2, 0xffff, 0), store);
	bw_emit(e, bw_mov64_imm(BW_R3, 1));
	bw_emit_place(e, store);
	bw_emit(e, bw_stx(BPF_B, BW_R10, BW_R3, V(pkttype)));
}

/* The drop stubs of the parser: count the reason, return drop. */
void bw_cg_malformed(struct gen *g, const bw_label *reason)
{
	struct bw_emit *e = &g->e;
	bw_label common = bw_emit_label(e);

	int last = -1;

	bw_emit_mark(e, NULL, 0, "malformed");
	if (g->opts && g->opts->hoist && !g->opts->hoist_from) {
		/* only hoisted chains: the netfilter programs decide */
		for (int r = 0; r < BW_REASON__MAX; r++)
			if (bw_emit_referenced(e, reason[r]))
				bw_emit_place(e, reason[r]);
		emit_return(g, g->ops->info.verdict_accept);
		return;
	}
	g->prog->uses_map[BW_MAP_REASONS] = true;
	/* a stub per reason the parser can jump to (the netfilter hooks'
	 * has no link layer to find malformed); the last falls through */
	for (int r = 0; r < BW_REASON__MAX; r++)
		if (bw_emit_referenced(e, reason[r]))
			last = r;
	for (int r = 0; r <= last; r++) {
		if (!bw_emit_referenced(e, reason[r]))
			continue;
		bw_emit_place(e, reason[r]);
		bw_emit(e, bw_st(BPF_W, BW_R10, BW_STK_KEY, r));
		if (r < last)
			bw_emit_ja(e, common);
	}
	bw_emit_place(e, common);
	bw_reason_inc_emit(e);
	store_trace(g, 0);
	emit_return(g, g->ops->info.verdict_drop);
}

/* Does a rule the program runs read f?  With the chains given
 * (opts->chains), those and the chains they reach; else the ruleset's. */
static bool reads(const struct gen *g, enum bw_field_id f)
{
	if (g->opts && g->opts->chains)
		return bw_ir_chains_use_field(g->ir, g->idx, g->nchain, f);
	return bw_ir_uses_field(g->ir, f);
}

static bool uses_iface(const struct gen *g)
{
	return reads(g, BW_F_META_IIF) || reads(g, BW_F_META_IIFNAME) ||
	       reads(g, BW_F_META_OIF) || reads(g, BW_F_META_OIFNAME);
}

static bool uses_ether(const struct gen *g)
{
	return reads(g, BW_F_ETHER_SADDR) || reads(g, BW_F_ETHER_DADDR) ||
	       reads(g, BW_F_ETHER_TYPE);
}

/* Connection tracking: the chains read ct state or (a build that runs
 * the input and output chains at XDP and TC) the tracker must see this
 * device's packets. */
static bool uses_ct(const struct gen *g)
{
	return reads(g, BW_F_CT_STATE) || (g->opts && g->opts->track_ct);
}

/* The interfaces of opts->iif/oif into the view (a test or trace build
 * of a netfilter program): names, no index. */
static void force_ifaces(struct gen *g)
{
	const char *name[2] = { g->opts->iif, g->opts->oif };
	const int16_t off[2] = { V(iifname), V(oifname) };
	uint8_t flags = 0;

	for (int i = 0; i < 2; i++) {
		uint8_t b[16] = { 0 };

		if (!name[i] || !name[i][0])
			continue;
		strncpy((char *)b, name[i], 15);
		for (int k = 0; k < 16; k += 4) {
			int32_t w;

			memcpy(&w, b + k, 4);
			bw_emit(&g->e, bw_st(BPF_W, BW_R10, (int16_t)(off[i] + k), w));
		}
		flags |= i ? BW_VIEW_OIF : BW_VIEW_IIF;
	}
	bw_emit(&g->e, bw_ldx(BPF_B, BW_R1, BW_R10, V(flags)));
	bw_emit(&g->e, bw_alu32_imm(BPF_OR, BW_R1, flags));
	bw_emit(&g->e, bw_stx(BPF_B, BW_R10, BW_R1, V(flags)));
}

/* Does a chain of the program read an arp field? */
static bool uses_arp(const struct gen *g)
{
	for (unsigned f = BW_F_ARP_HTYPE; f <= BW_F_ARP_TPA; f++)
		if (reads(g, (enum bw_field_id)f))
			return true;
	return false;
}

/* view.h step 5: the ARP header into l3h, view.arp = 1, when the frame
 * is ARP past its VLAN tags and holds all 28 bytes of it.  First of the
 * loaders: the hook's prologue registers (XDP's data, data_end) are
 * still there. */
static void load_arp(struct gen *g)
{
	struct bw_emit *e = &g->e;
	bw_label skip = bw_emit_label(e);

	bw_emit_mark(e, NULL, 0, "arp header");
	bw_emit(e, bw_ldx(BPF_H, BW_R1, BW_R10, V(ethertype)));
	bw_emit_jcc(e, bw_jmp_imm(BPF_JNE, BW_R1, 0x0806, 0), skip);
	bw_emit(e, bw_ldx(BPF_H, BW_R7, BW_R10, V(l3off)));
	/* 14 + 4 tags at most: bounded for the verifier */
	bw_emit(e, bw_alu64_imm(BPF_AND, BW_R7, 0x3f));
	g->ops->read(e, 0, 28, V(l3h), skip);
	bw_emit(e, bw_st(BPF_B, BW_R10, V(arp), 1));
	bw_emit_place(e, skip);
}

void bw_cg_loaders(struct gen *g)
{
	struct bw_emit *e = &g->e;

	if (g->ops->packet && !g->ops->l3 && uses_arp(g))
		load_arp(g);
	if (g->ops->packet && reads(g, BW_F_META_CPU_BPF)) {
		bw_emit_mark(e, NULL, 0, "meta cpu");
		bw_emit(e, bw_call(BW_HELPER_SMP_PROCESSOR_ID));
		bw_emit(e, bw_stx(BPF_W, BW_R10, BW_R0,
				  (int16_t)(V(l4h) + 20)));
	}

	if (g->ops->packet && reads(g, BW_F_META_PKTTYPE)) {
		bw_emit_mark(e, NULL, 0, "meta pkttype");
		if (g->ops->load_pkttype)
			g->ops->load_pkttype(e);
		else
			emit_pkttype(g);
	}
	if (g->opts && g->opts->force_mark)
		bw_emit(e, bw_st(BPF_W, BW_R10, V(mark), (int32_t)g->opts->mark));
	if (g->ops->load_ifaces && (uses_iface(g) || g->ir->nlog)) {
		bw_emit_mark(e, NULL, 0, "interfaces");
		if (g->opts && (g->opts->iif || g->opts->oif))
			force_ifaces(g);
		else
			g->ops->load_ifaces(e);
	}
	if (g->ops->load_ether && uses_ether(g)) {
		bw_emit_mark(e, NULL, 0, "link layer");
		g->ops->load_ether(e);
	}
	if (g->ct_force) {
		bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), g->ct_force));
	} else if (uses_ct(g) && g->ops->load_ct) {
		bw_emit_mark(e, NULL, 0, "conntrack");
		g->ops->load_ct(e);
		g->prog->uses_ct = true;
	} else if (uses_ct(g)) {
		if (g->ops->packet) {
			bw_emit_mark(e, NULL, 0, "conntrack");
			g->ct = true;
			bw_ct_emit_track(e, g->ops, g->prog);
		} else {	/* a connect opens a new connection */
			bw_emit(e, bw_st(BPF_B, BW_R10, V(ct_state), BW_CT_NEW));
		}
	}
}

/*
 * The kernel loads a program that uses at most BW_PROG_MAX_MAPS maps;
 * each named set, literal set looked up, lookup group and fixed map is
 * one.  More: an error at the rule that needs the first one too many
 * (rather than the verifier's at instruction 0).
 */
#define BW_PROG_MAX_MAPS 64

int bw_cg_check_maps(struct gen *g)
{
	int32_t seen[BW_PROG_MAX_MAPS];
	uint32_t n = 0;

	for (uint32_t i = 0; i < g->e.ninsn; i++) {
		const struct bpf_insn *in = &g->e.insn[i];
		const struct bw_srcmap_ent *s = NULL;
		bool known = false;

		if (!bw_insn_is_ld_imm64(in))
			continue;
		i++;	/* the second half */
		if (in->src_reg != BPF_PSEUDO_MAP_FD &&
		    in->src_reg != BPF_PSEUDO_MAP_VALUE)
			continue;
		for (uint32_t k = 0; k < n && !known; k++)
			known = seen[k] == in->imm;
		if (known)
			continue;
		if (n < BW_PROG_MAX_MAPS) {
			seen[n++] = in->imm;
			continue;
		}
		for (uint32_t k = 0; k < g->e.nsrcmap; k++)
			if (g->e.srcmap[k].insn <= i)
				s = &g->e.srcmap[k];
		if (g->d)
			bw_error(g->d, s && s->loc.src ? &s->loc : NULL,
				 "the %s program needs more than %d maps, the kernel's limit for one program (each named set, each literal set of %d or more elements, each lookup of a run of rules is one): join sets, or split the chain across devices",
				 g->ops->info.name, BW_PROG_MAX_MAPS,
				 BW_ANON_LOOKUP_MIN);
		g->e.err_insn = UINT32_MAX;
		return -E2BIG;
	}
	return 0;
}

