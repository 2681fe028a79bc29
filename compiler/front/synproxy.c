// SPDX-License-Identifier: GPL-2.0-only
/*
 * The synproxy statement (synproxy.h): checked as nft and the kernel
 * check it (ip, ip6 and inet tables, input and forward only; mss 0 to
 * 65535, wscale 0 to 14), each error with a caret, into ir->synproxy.
 */
#include <errno.h>
#include <stdlib.h>

#include "evaluate.h"
#include "synproxy.h"

static int num(struct bw_eval *ev, const struct bw_ast_expr *e,
	       const char *what, uint64_t max, uint64_t *out)
{
	if (bw_eval_number(e->text, out) || *out > max)
		return bw_eval_error(ev, &e->loc, "invalid synproxy %s %s (0 to %llu)",
				     what, e->text, (unsigned long long)max);
	return 0;
}

int bw_synproxy_chain_ok(struct bw_eval *ev, const struct bw_ast_stmt *s,
			 const struct bw_ir_chain *ch)
{
	if (ch->family != BW_FAMILY_INET && ch->family != BW_FAMILY_IP &&
	    ch->family != BW_FAMILY_IP6)
		return bw_eval_error(ev, &s->loc, "synproxy is only valid in ip, ip6 and inet tables (it runs in nf_tables)");
	if (ch->hook != BW_CHAIN_NONE && ch->hook != BW_CHAIN_INPUT &&
	    ch->hook != BW_CHAIN_FORWARD)
		return bw_eval_error(ev, &s->loc, "synproxy is only valid at hooks input and forward (chain %s runs at %s)",
				     ch->name, bw_chain_hook_name(ch->hook));
	return 0;
}

int bw_eval_synproxy(struct bw_eval *ev, const struct bw_ast_stmt *s,
		     const struct bw_ir_chain *ch, uint32_t *index)
{
	if (bw_synproxy_chain_ok(ev, s, ch))
		return -EINVAL;
	return bw_eval_synproxy_opts(ev, s, index);
}

int bw_eval_synproxy_opts(struct bw_eval *ev, const struct bw_ast_stmt *s,
			  uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_synproxy p = { 0 }, *v;
	uint64_t n;

	if (s->syn_mss) {
		if (num(ev, s->syn_mss, "mss", 65535, &n))
			return -EINVAL;
		p.mss = (uint16_t)n;
		p.flags |= BW_SYNPROXY_F_MSS;
	}
	if (s->syn_wscale) {
		/* TCP's largest shift (RFC 7323): the kernel takes a u8 */
		if (num(ev, s->syn_wscale, "wscale", 14, &n))
			return -EINVAL;
		p.wscale = (uint8_t)n;
		p.flags |= BW_SYNPROXY_F_WSCALE;
	}
	if (s->syn_words & BW_AST_SYN_TIMESTAMP)
		p.flags |= BW_SYNPROXY_F_TIMESTAMP;
	if (s->syn_words & BW_AST_SYN_SACK_PERM)
		p.flags |= BW_SYNPROXY_F_SACK_PERM;
	v = reallocarray(ir->synproxy, ir->nsynproxy + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->synproxy = v;
	v[ir->nsynproxy] = p;
	*index = ir->nsynproxy++;
	return 0;
}

void bw_print_synproxy_obj(struct bw_pbuf *b, const struct bw_ir_synproxy *p,
			   const char *indent)
{
	bw_pbuf_printf(b, "mss %u\n%swscale %u", p->mss, indent, p->wscale);
	if (p->flags & (BW_SYNPROXY_F_TIMESTAMP | BW_SYNPROXY_F_SACK_PERM))
		bw_pbuf_printf(b, "\n%s%s%s%s", indent,
			       p->flags & BW_SYNPROXY_F_TIMESTAMP ? "timestamp" : "",
			       (p->flags & BW_SYNPROXY_F_TIMESTAMP) &&
			       (p->flags & BW_SYNPROXY_F_SACK_PERM) ? " " : "",
			       p->flags & BW_SYNPROXY_F_SACK_PERM ? "sack-perm" : "");
}

void bw_print_synproxy(struct bw_pbuf *b, const struct bw_ir_synproxy *p)
{
	bw_pbuf_put(b, "synproxy");
	if (p->flags & BW_SYNPROXY_F_MSS)
		bw_pbuf_printf(b, " mss %u", p->mss);
	if (p->flags & BW_SYNPROXY_F_WSCALE)
		bw_pbuf_printf(b, " wscale %u", p->wscale);
	if (p->flags & BW_SYNPROXY_F_TIMESTAMP)
		bw_pbuf_put(b, " timestamp");
	if (p->flags & BW_SYNPROXY_F_SACK_PERM)
		bw_pbuf_put(b, " sack-perm");
}
