// SPDX-License-Identifier: GPL-2.0-only
/*
 * The queue statement (queue.h): checked as nft checks it, each error with
 * a caret, into ir->queue; printed in nft's canonical form.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "queue.h"
#include "valexpr.h"

static int num(struct bw_eval *ev, const struct bw_ast_expr *e, uint16_t *out)
{
	uint64_t v;

	if (bw_eval_number(e->text, &v) || v > 65535)
		return bw_eval_error(ev, &e->loc, "invalid queue number %s (0 to 65535)",
				     e->text);
	*out = (uint16_t)v;
	return 0;
}

int bw_eval_queue(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  const struct bw_ir_chain *ch, const struct bw_sym *scope,
		  uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_queue q = { 0 }, *v;
	int rc = 0;

	if (ch->family == BW_FAMILY_NETDEV)
		return bw_eval_error(ev, &s->loc, "queue runs in nf_tables, for inet, ip and ip6 chains only (bpfwall does not hand a netdev chain with it to nf_tables' netdev family)");
	if (bw_vexpr_is(s->queue_lo)) {	/* queue to numgen ... (valexpr.h) */
		if (bw_eval_vexpr_queue(ev, s->queue_lo, scope, &q.vx))
			return -EINVAL;
		q.vexpr = true;
	} else if (s->queue_lo && num(ev, s->queue_lo, &q.lo))
		return -EINVAL;
	q.hi = q.lo;
	if (s->queue_hi && num(ev, s->queue_hi, &q.hi))
		return -EINVAL;
	if (q.hi < q.lo)
		return bw_eval_error(ev, &s->queue_hi->loc, "invalid queue range: %u is below %u",
				     q.hi, q.lo);
	for (const struct bw_ast_expr *e = s->queue_flags ? s->queue_flags->elems : NULL;
	     e; e = e->next) {
		if (!strcmp(e->text, "bypass"))
			q.flags |= BW_QUEUE_F_BYPASS;
		else if (!strcmp(e->text, "fanout"))
			q.flags |= BW_QUEUE_F_FANOUT;
		else
			rc = bw_eval_error(ev, &e->loc, "unknown queue flag \"%s\" (bypass, fanout)",
					   e->text);
		if (!rc && q.vexpr && (q.flags & BW_QUEUE_F_FANOUT))
			rc = bw_eval_error(ev, &e->loc, "fanout requires a range to be specified");
	}
	if (rc)
		return rc;
	v = reallocarray(ir->queue, ir->nqueue + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->queue = v;
	v[ir->nqueue] = q;
	*index = ir->nqueue++;
	return 0;
}

void bw_print_queue(struct bw_pbuf *b, const struct bw_ir_queue *q,
		    const struct bw_ir *ir)
{
	bw_pbuf_put(b, "queue");
	if (q->flags)
		bw_pbuf_printf(b, " flags %s%s%s",
			       q->flags & BW_QUEUE_F_BYPASS ? "bypass" : "",
			       q->flags == (BW_QUEUE_F_BYPASS | BW_QUEUE_F_FANOUT) ? "," : "",
			       q->flags & BW_QUEUE_F_FANOUT ? "fanout" : "");
	if (q->vexpr && ir && q->vx < ir->nvexpr) {
		bw_pbuf_put(b, " to ");
		bw_print_vexpr(b, &ir->vexpr[q->vx]);
		return;
	}
	bw_pbuf_printf(b, " to %u", q->lo);
	if (q->hi != q->lo)
		bw_pbuf_printf(b, "-%u", q->hi);
}
