// SPDX-License-Identifier: GPL-2.0-only
/*
 * fwd and dup (fwd.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "fwd.h"
#include "nfnetdev.h"
#include "valexpr.h"

static int device(struct bw_eval *ev, const struct bw_ast_expr *e,
		  struct bw_ir_fwd *f)
{
	size_t n = e->text ? strlen(e->text) : 0;

	if (!n || n >= sizeof(f->dev))
		return bw_eval_error(ev, &e->loc, "a device name has 1 to %zu characters",
				     sizeof(f->dev) - 1);
	memcpy(f->dev, e->text, n + 1);
	f->dev_loc = e->loc;
	return 0;
}

static int address(struct bw_eval *ev, const struct bw_ast_stmt *s,
		   const struct bw_sym *scope, struct bw_ir_fwd *f)
{
	const struct bw_field *fl;
	uint8_t hi[16];

	if (!strcmp(s->fwd_family, "ip"))
		f->l3 = 4;
	else if (!strcmp(s->fwd_family, "ip6"))
		f->l3 = 6;
	else
		return bw_eval_error(ev, &s->fwd_family_loc, "fwd to an address takes ip or ip6, not \"%s\"",
				     s->fwd_family);
	if (s->fwd_dup)
		return bw_eval_error(ev, &s->fwd_family_loc, "dup in a netdev chain takes a device only (dup to \"DEV\")");
	fl = bw_field(f->l3 == 6 ? BW_F_IP6_DADDR : BW_F_IP_DADDR);
	if (bw_eval_range(ev, fl, s->fwd_addr, scope, f->addr, hi))
		return -EINVAL;
	if (memcmp(f->addr, hi, fl->size))
		return bw_eval_error(ev, &s->fwd_addr->loc, "fwd takes one address, not a range or prefix");
	return 0;
}

int bw_eval_fwd(struct bw_eval *ev, const struct bw_ast_stmt *s,
		const struct bw_ir_chain *ch, const struct bw_sym *scope,
		uint32_t *index)
{
	const char *what = s->fwd_dup ? "dup" : "fwd";
	struct bw_ir_fwd f = { .dup = s->fwd_dup, .loc = s->loc }, *v;
	struct bw_ir *ir = ev->ir;

	if (s->fwd_addr && !s->fwd_family)	/* dup to ADDR: ip's, ip6's */
		return bw_eval_error(ev, &s->loc, s->fwd_dup ?
				     "dup in a netdev table takes a device (dup to \"DEV\", dup to KEY map { ... }): dup to ADDR is ip's and ip6's" :
				     "fwd to an address names its family and device (fwd ip to ADDR device \"DEV\")");
	if (ch->family != BW_FAMILY_NETDEV)
		return bw_eval_error(ev, &s->loc, "%s to a device is only valid in netdev tables (as in nft)",
				     what);
	if (s->fwd_dev->kind == BW_AE_MAP && s->fwd_family)
		return bw_eval_error(ev, &s->fwd_dev->loc, "fwd to an address takes one device, not a map");
	if (s->fwd_dev->kind == BW_AE_MAP) {
		if (bw_eval_vexpr_dev(ev, s->fwd_dev, scope, &f.vexpr))
			return -EINVAL;
		f.map = true;
	} else if (device(ev, s->fwd_dev, &f) ||
		   (s->fwd_family && address(ev, s, scope, &f))) {
		return -EINVAL;
	}
	if (!bw_nfnetdev_mark(ev, &s->loc))
		return bw_eval_error(ev, &s->loc, "%s runs in nf_tables only", what);
	v = reallocarray(ir->fwd, ir->nfwd + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->fwd = v;
	v[ir->nfwd] = f;
	*index = ir->nfwd++;
	return 0;
}

void bw_fwd_from_dup(const struct bw_ast_stmt *d, struct bw_ast_stmt *f,
		     struct bw_ast_expr *dev)
{
	struct bw_ast_expr *addr = d->dup_addr;
	const char *name = d->dup_dev;

	*f = *d;
	f->kind = BW_AS_FWD;
	f->fwd_dup = true;
	f->fwd_family = NULL;
	f->fwd_addr = NULL;
	f->fwd_dev = NULL;
	if (!addr && name) {
		memset(dev, 0, sizeof(*dev));
		dev->kind = BW_AE_STRING;
		dev->text = name;
		dev->loc = d->dup_dev_loc;
		f->fwd_dev = dev;
	} else if (addr && addr->kind == BW_AE_MAP && !name) {
		f->fwd_dev = addr;
	} else {
		f->fwd_addr = addr;	/* refused: dup to ADDR is ip's */
	}
}

void bw_print_fwd(struct bw_pbuf *b, const struct bw_ir *ir,
		  const struct bw_ir_rule *r, uint32_t n)
{
	const struct bw_ir_fwd *f = NULL;

	for (uint32_t i = 0; r && i < r->nstmt && !f; i++)
		if (r->stmt[i].kind == BW_STMT_FWD && !n--)
			f = r->stmt[i].index < ir->nfwd ? &ir->fwd[r->stmt[i].index] : NULL;
	if (!f) {
		bw_pbuf_put(b, "fwd");
		return;
	}
	bw_pbuf_put(b, f->dup ? "dup" : "fwd");
	if (f->map && f->vexpr < ir->nvexpr) {
		bw_pbuf_put(b, " to ");
		bw_print_vexpr(b, &ir->vexpr[f->vexpr]);
	} else if (f->l3) {
		bw_pbuf_put(b, f->l3 == 6 ? " ip6 to " : " ip to ");
		bw_print_value(b, bw_field(f->l3 == 6 ? BW_F_IP6_DADDR : BW_F_IP_DADDR),
			       f->addr);
		bw_pbuf_printf(b, " device \"%s\"", f->dev);
	} else {
		bw_pbuf_printf(b, " to \"%s\"", f->dev);
	}
}
