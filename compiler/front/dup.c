// SPDX-License-Identifier: GPL-2.0-only
/*
 * The dup statement (dup.h): checked as nft checks it, each error with a
 * caret, into ir->dup; printed in nft's canonical form.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dup.h"
#include "evaluate.h"
#include "valexpr.h"

static int address(struct bw_eval *ev, const struct bw_ast_expr *e,
		   const struct bw_sym *scope, struct bw_ir_dup *d)
{
	const struct bw_field *f = bw_field(d->l3 == 6 ? BW_F_IP6_SADDR :
					    BW_F_IP_SADDR);
	const struct bw_sym *rs = scope;
	const struct bw_ast_expr *r = bw_sym_resolve(e, &rs);
	uint8_t hi[16];
	bool port = false;

	if (bw_vexpr_is(e)) {	/* a map, numgen, a hash */
		if (bw_eval_vexpr_nat(ev, e, scope, d->l3, false, true, &port, &d->vx))
			return -EINVAL;
		d->vexpr = true;
		if (port)
			return bw_eval_error(ev, &e->loc, "dup to takes an address: a map's values are addresses, without ports");
		return 0;
	}
	if (r && (r->kind == BW_AE_RANGE || r->kind == BW_AE_PREFIX || r->kind == BW_AE_SET))
		return bw_eval_error(ev, &e->loc, "dup to takes one address, not a prefix, a range or a set");
	if (bw_eval_range(ev, f, e, scope, d->addr, hi))
		return -EINVAL;
	if (memcmp(d->addr, hi, f->size))
		return bw_eval_error(ev, &e->loc, "dup to takes one address, not a prefix, a range or a set");
	return 0;
}

int bw_eval_dup(struct bw_eval *ev, const struct bw_ast_stmt *s,
		const struct bw_ir_chain *ch, const struct bw_sym *scope,
		uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_dup d = { 0 }, *v;

	if (ch->family != BW_FAMILY_IP && ch->family != BW_FAMILY_IP6)
		return bw_eval_error(ev, &s->loc, "dup is only valid in ip and ip6 tables (the kernel's nft_dup_ipv4 and nft_dup_ipv6; here: %s)",
				     bw_family_name(ch->family));
	if (!s->dup_addr)
		return bw_eval_error(ev, &s->dup_dev_loc, "dup to a device alone is netdev's: in an %s table dup takes an address (dup to ADDR [device \"DEV\"])",
				     bw_family_name(ch->family));
	d.l3 = ch->family == BW_FAMILY_IP6 ? 6 : 4;
	if (address(ev, s->dup_addr, scope, &d))
		return -EINVAL;
	if (s->dup_dev) {
		if (!s->dup_dev[0] || strlen(s->dup_dev) >= sizeof(d.dev))
			return bw_eval_error(ev, &s->dup_dev_loc, "invalid interface name \"%s\" (1 to 15 bytes)",
					     s->dup_dev);
		snprintf(d.dev, sizeof(d.dev), "%s", s->dup_dev);
		d.dev_loc = s->dup_dev_loc;
	}
	v = reallocarray(ir->dup, ir->ndup + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->dup = v;
	v[ir->ndup] = d;
	*index = ir->ndup++;
	return 0;
}

void bw_print_dup(struct bw_pbuf *b, const struct bw_ir_dup *d,
		  const struct bw_ir *ir)
{
	bw_pbuf_put(b, "dup to ");
	if (d->vexpr && ir && d->vx < ir->nvexpr)
		bw_print_vexpr(b, &ir->vexpr[d->vx]);
	else
		bw_print_value(b, bw_field(d->l3 == 6 ? BW_F_IP6_SADDR : BW_F_IP_SADDR),
			       d->addr);
	if (d->dev[0])
		bw_pbuf_printf(b, " device \"%s\"", d->dev);
}
