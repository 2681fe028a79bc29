// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guards in front of a rule's compares: the family of the chain, the
 * layer 3 and 4 protocols, extension headers and flags the rule's fields
 * need, and which fields the hook's view holds (the interface names it
 * knows); a match the hook cannot see makes the rule unsure at connect.
 * codegen.c keeps the rule emitter that calls these.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <linux/bpf.h>

#include "compiler/front/compile.h"
#include "compiler/interp/ct.h"
#include "hook.h"
#include "hook_connect.h"
#include "hook_sock.h"
#include "emit_hdrset.h"
#include "hoist.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/setmap.h"
#include "compiler/front/nfnetdev.h"
#include "compiler/opt/classify.h"
#include "codegen_int.h"
#include "emit_hdrset.h"
#include "codegen_rule.h"

#define V(m)	((int16_t)BW_VIEW_OFF(m))

uint8_t bw_cg_family_l3(enum bw_family fam)
{
	return fam == BW_FAMILY_IP ? 4 : fam == BW_FAMILY_IP6 ? 6 : 0;
}

/* Is field f read from the view?  Interfaces are, at the netfilter
 * hooks; XDP and TC programs decide them when they are generated. */
bool bw_cg_in_view(const struct gen *g, const struct bw_field *f)
{
	return f->src == BW_FS_VIEW || g->ops->iface_view;
}

/* The name an interface field has in this program, or NULL where the
 * hook has no such interface (iif at egress) or the device is unknown. */
static const char *iface_of(const struct gen *g, const struct bw_field *f)
{
	bool egress = g->ops->info.egress;

	if ((f->src == BW_FS_IIF && egress) || (f->src == BW_FS_OIF && !egress))
		return NULL;
	return g->ifname;
}

/*
 * An interface compare (iif, oifname, ...): decided now, from the device
 * this program is for.  Returns true when the match holds.
 */
static bool iface_holds(const struct gen *g, const struct bw_ir_match *m)
{
	const char *name = iface_of(g, bw_field(m->field));
	uint8_t x[BW_VAL_MAX] = { 0 };

	if (!name)
		return false;
	strncpy((char *)x, name, 15);
	return bw_ir_match_holds(m, x);
}

/* The matches a rule tests before its statements: the leading ones, and
 * with no statements its vmap too.  ms has room for nmatch + 1. */
uint32_t bw_cg_lead_matches(const struct bw_ir_rule *r,
			    const struct bw_ir_match **ms)
{
	uint32_t n = 0, nlead = r->nstmt ? r->nlead : r->nmatch;

	for (uint32_t i = 0; i < nlead; i++)
		ms[n++] = &r->match[i];
	if (!r->nstmt && r->verdict == BW_VERDICT_VMAP)
		ms[n++] = &r->vmap;
	return n;
}

/*
 * The guards of every field the rule uses, once: l3, l4proto and
 * BW_VIEW_L4, view flags (a VLAN tag), in one load.  Returns false when
 * the rule can never match (also when an interface match fails here).
 */
bool bw_cg_emit_guards(struct gen *g, const struct bw_ir_chain *ch,
		       const struct bw_ir_match *const *ms, uint32_t nms,
		       struct bw_acc *acc)
{
	struct bw_emit *e = &g->e;
	uint8_t l3 = 0, l4 = 0, flags = 0, ext = 0, fam = bw_cg_family_l3(ch->family);
	bool arp = false;	/* an arp field: the header is there */

	for (uint32_t n = 0, k = 0; n < nms; k++) {
		const struct bw_ir_match *m = ms[n];
		const struct bw_field *f = bw_field(m->lookup ? m->fields[k] : m->field);

		if (k + 1 >= (m->lookup ? m->nfield : 1)) {
			n++;	/* the next match's fields next */
			k = UINT32_MAX;
		}

		/* a field this hook cannot see: every caller has left such
		 * matches out (drop_unseen, hook_sees, group_at); taken as
		 * never holding should one come */
		if (!bw_hook_sees(g->ops->fields, f->id))
			return false;
		if (!bw_cg_in_view(g, f)) {
			/* a compare is decided now; a lookup's key takes
			 * the name, if the hook has that interface */
			if (m->lookup ? !iface_of(g, f) : !iface_holds(g, m))
				return false;
			continue;
		}
		if (f->need_l3) {
			if (l3 && l3 != f->need_l3)
				return false;
			l3 = f->need_l3;
		}
		if (f->need_l4proto) {
			if (l4 && l4 != f->need_l4proto)
				return false;
			l4 = f->need_l4proto;
		}
		flags |= f->need_flags;
		ext |= f->need_ext;
		arp |= f->need_ethertype != 0;
	}
	if (fam && l3 && fam != l3)
		return false;
	if (fam == l3)
		l3 = 0;		/* the chain's family filter did it */
	if (l4 || flags) {
		/* l3, l4proto, flags, nfproto: one u32 load */
		uint8_t fl = (uint8_t)((l4 ? BW_VIEW_L4 : 0) | flags);
		uint8_t mb[4] = { l3 ? 0xff : 0, l4 ? 0xff : 0, fl, 0 };
		uint8_t vb[4] = { l3, l4, fl, 0 };
		uint32_t mask, val;

		_Static_assert(offsetof(struct bw_view, l4proto) == 5 &&
			       offsetof(struct bw_view, flags) == 6,
			       "guard word layout");
		memcpy(&mask, mb, 4);
		memcpy(&val, vb, 4);
		bw_emit(e, bw_ldx(BPF_W, BW_R9, BW_R10, V(l3)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R9, (int32_t)mask));
		bw_emit(e, bw_alu32_imm(BPF_XOR, BW_R9, (int32_t)val));
		bw_acc_add(e, acc, BW_R9);
	} else if (l3) {
		bw_emit(e, bw_ldx(BPF_B, BW_R9, BW_R10, V(l3)));
		bw_emit(e, bw_alu32_imm(BPF_XOR, BW_R9, l3));
		bw_acc_add(e, acc, BW_R9);
	}
	if (arp) {
		bw_emit(e, bw_ldx(BPF_B, BW_R9, BW_R10, V(arp)));
		bw_emit(e, bw_alu32_imm(BPF_XOR, BW_R9, 1));
		bw_acc_add(e, acc, BW_R9);
	}
	if (ext) {
		/* the IPv6 extension headers the fields are in */
		bw_emit(e, bw_ldx(BPF_B, BW_R9, BW_R10, V(exthdrs)));
		bw_emit(e, bw_alu32_imm(BPF_AND, BW_R9, ext));
		bw_emit(e, bw_alu32_imm(BPF_XOR, BW_R9, ext));
		bw_acc_add(e, acc, BW_R9);
	}
	return true;
}
