// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flowtables (flowtable.h): their definitions and the flow statement,
 * checked with nft's errors and a caret, into the IR; the listing nft
 * prints for them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flowtable.h"
#include "evaluate.h"
#include "prio.h"

static int dev_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int prio(struct bw_eval *ev, const struct bw_ast_item *it, int32_t *out)
{
	const struct bw_ast_prio *p = &it->ft_prio;
	int64_t v = 0;
	uint64_t n = 0;

	if (p->name) {
		int32_t base;

		if (bw_prio_lookup(p->name, BW_FAMILY_NETDEV, BW_CHAIN_INGRESS, &base))
			return bw_eval_error(ev, &p->name_loc, "unknown priority name \"%s\" (a flowtable's: %s)",
					     p->name, bw_prio_names(BW_FAMILY_NETDEV));
		v = base;
	}
	if (p->num && (bw_eval_number(p->num, &n) || n > INT32_MAX))
		return bw_eval_error(ev, &p->loc, "priority %s%s is out of range",
				     p->neg ? "-" : "", p->num);
	v += p->neg ? -(int64_t)n : (int64_t)n;
	if (v < INT32_MIN || v > INT32_MAX)
		return bw_eval_error(ev, &p->loc, "priority is out of range");
	*out = (int32_t)v;
	return 0;
}

static int devices(struct bw_eval *ev, const struct bw_ast_item *it,
		   struct bw_ir_flowtable *ft)
{
	uint32_t n = 0;

	for (const struct bw_ast_expr *e = it->ft_devs ? it->ft_devs->elems : NULL;
	     e; e = e->next)
		n++;
	if (!n)
		return 0;
	ft->dev = calloc(n, sizeof(*ft->dev));
	if (!ft->dev) {
		ev->oom = true;
		return -ENOMEM;
	}
	for (const struct bw_ast_expr *e = it->ft_devs->elems; e; e = e->next) {
		if (!*e->text || strlen(e->text) >= sizeof(ft->dev[0]))
			return bw_eval_error(ev, &e->loc, "invalid device name \"%s\" (1 to 15 bytes)",
					     e->text);
		for (uint32_t i = 0; i < ft->ndev; i++)
			if (!strcmp(ft->dev[i], e->text))
				return bw_eval_error(ev, &e->loc, "device \"%s\" is given twice",
						     e->text);
		strcpy(ft->dev[ft->ndev++], e->text);
	}
	/* nft sends (and lists) them in its set's order */
	qsort(ft->dev, ft->ndev, sizeof(*ft->dev), dev_cmp);
	return 0;
}

static int check(struct bw_eval *ev, const struct bw_ast_item *it,
		 struct bw_ir_flowtable *ft)
{
	struct bw_ir *ir = ev->ir;

	if (ev->family != BW_FAMILY_INET && ev->family != BW_FAMILY_IP &&
	    ev->family != BW_FAMILY_IP6)
		return bw_eval_error(ev, &it->ft_name_loc, "flowtables are only supported in inet, ip and ip6 tables (the kernel's nf_flow_table; here: %s)",
				     bw_family_name(ev->family));
	if (strlen(it->ft_name) > 255)
		return bw_eval_error(ev, &it->ft_name_loc, "flowtable name too long (at most 255 bytes)");
	for (uint32_t i = 0; i < ir->nflowtable; i++)
		if (ir->flowtable[i].family == ev->family &&
		    !strcmp(ir->flowtable[i].table, ev->table) &&
		    !strcmp(ir->flowtable[i].name, it->ft_name))
			return bw_eval_error(ev, &it->ft_name_loc, "flowtable %s is defined twice in table %s %s",
					     it->ft_name, bw_family_name(ev->family), ev->table);
	if (!it->ft_hook)
		return bw_eval_error(ev, &it->ft_name_loc, "flowtable %s needs a hook (hook ingress priority P)",
				     it->ft_name);
	if (strcmp(it->ft_hook, "ingress"))
		return bw_eval_error(ev, &it->ft_hook_loc, "invalid hook %s (a flowtable hooks ingress only)",
				     it->ft_hook);
	if (prio(ev, it, &ft->prio) || devices(ev, it, ft))
		return -EINVAL;
	ft->offload = it->ft_offload;
	ft->counter = it->ft_counter;
	return 0;
}

void bw_print_flowtable(struct bw_pbuf *b, const struct bw_ir_flowtable *ft)
{
	char buf[64];

	bw_pbuf_printf(b, "\tflowtable %s {\n\t\thook ingress priority %s\n", ft->name,
		       bw_prio_format(buf, sizeof(buf), BW_FAMILY_NETDEV,
				      BW_CHAIN_INGRESS, ft->prio));
	if (ft->ndev) {
		bw_pbuf_put(b, "\t\tdevices = { ");
		for (uint32_t i = 0; i < ft->ndev; i++)
			bw_pbuf_printf(b, "%s%s", i ? ", " : "", ft->dev[i]);
		bw_pbuf_put(b, " }\n");
	}
	if (ft->offload)
		bw_pbuf_put(b, "\t\tflags offload\n");
	if (ft->counter)
		bw_pbuf_put(b, "\t\tcounter\n");
	bw_pbuf_put(b, "\t}\n\n");
}

int bw_eval_flowtable_def(struct bw_eval *ev, const struct bw_ast_item *it,
			  struct bw_pbuf *b)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_flowtable ft = { .family = ev->family, .loc = it->loc }, *v;

	if (check(ev, it, &ft)) {
		free(ft.dev);
		return ev->oom ? -ENOMEM : -EINVAL;
	}
	v = reallocarray(ir->flowtable, ir->nflowtable + 1, sizeof(*v));
	if (v)
		ir->flowtable = v;
	ft.table = strdup(ev->table);
	ft.name = strdup(it->ft_name);
	if (!v || !ft.table || !ft.name) {
		free(ft.table);
		free(ft.name);
		free(ft.dev);
		ev->oom = true;
		return -ENOMEM;
	}
	ir->flowtable[ir->nflowtable++] = ft;
	bw_print_flowtable(b, &ft);
	return 0;
}

int bw_eval_flow(struct bw_eval *ev, const struct bw_ast_stmt *s,
		 const struct bw_ir_chain *ch, uint32_t *index)
{
	const struct bw_ir *ir = ev->ir;

	if (ch->family != BW_FAMILY_INET && ch->family != BW_FAMILY_IP &&
	    ch->family != BW_FAMILY_IP6)
		return bw_eval_error(ev, &s->loc, "flow add is only valid in inet, ip and ip6 tables (here: %s)",
				     bw_family_name(ch->family));
	if (ch->hook != BW_CHAIN_FORWARD)
		return bw_eval_error(ev, &s->loc, "flow add is only valid in a forward chain (the kernel's flow_offload expression: Operation not supported elsewhere)");
	for (uint32_t i = 0; i < ir->nflowtable; i++)
		if (ir->flowtable[i].family == ch->family &&
		    !strcmp(ir->flowtable[i].table, ev->table) &&
		    !strcmp(ir->flowtable[i].name, s->flow_table)) {
			*index = i;
			return 0;
		}
	return bw_eval_error(ev, &s->flow_table_loc, "unknown flowtable \"%s\" in table %s %s",
			     s->flow_table, bw_family_name(ch->family), ev->table);
}
