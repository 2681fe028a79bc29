// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet specs for `trace` and the verdict tests:
 *     [ingress|egress] [device NAME] ip saddr 192.0.2.1 tcp dport 22 tcp flags syn
 * Parsed by the rule grammar (packet mode) and typed by the same value
 * evaluation as rules, so a value means the same in both.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"

void bw_pkt_spec_free(struct bw_pkt_spec **s)
{
	if (!s || !*s)
		return;
	free((*s)->device);
	free((*s)->field);
	free(*s);
	*s = NULL;
}

uint32_t bw_pkt_spec_mark(const struct bw_pkt_spec *s)
{
	for (uint32_t i = 0; s && i < s->nfield; i++)
		if (s->field[i].field == BW_F_META_MARK)
			return (uint32_t)s->field[i].val[0] << 24 |
			       (uint32_t)s->field[i].val[1] << 16 |
			       (uint32_t)s->field[i].val[2] << 8 | s->field[i].val[3];
	return 0;
}

static int term(struct bw_eval *ev, struct bw_proto_state *ps,
		const struct bw_ast_stmt *m, struct bw_pkt_spec *spec)
{
	struct bw_pkt_field *pf = &spec->field[spec->nfield];
	const struct bw_field *f = bw_eval_field(ev, m);
	const struct bw_ast_expr *e = m->rhs;

	if (!f || bw_proto_check(ev, ps, f, m, NULL))
		return -EINVAL;
	if (m->op != BW_OP_IMPLICIT && m->op != BW_OP_EQ) {
		bw_error(ev->d, &m->op_loc,
			 "a packet is written as equalities (field value), not with %s",
			 bw_ast_op_str(m->op));
		ev->nerrors++;
		return -EINVAL;
	}
	if (m->mask || e->kind == BW_AE_SET || e->kind == BW_AE_RANGE ||
	    e->kind == BW_AE_PREFIX || e->kind == BW_AE_SETREF) {
		bw_error(ev->d, m->mask ? &m->mask->loc : &e->loc,
			 "a packet field takes a single value");
		ev->nerrors++;
		return -EINVAL;
	}
	for (uint32_t i = 0; i < spec->nfield; i++)
		if (spec->field[i].field == f->id) {
			bw_error(ev->d, &m->loc, "%s %s is given twice", f->proto,
				 f->name);
			ev->nerrors++;
			return -EINVAL;
		}
	if (bw_eval_scalar(ev, f, e, NULL, pf->val))
		return -EINVAL;
	if (bw_proto_check(ev, ps, f, m, pf->val))
		return -EINVAL;
	pf->field = f->id;
	pf->loc = m->loc;
	spec->nfield++;
	return 0;
}

int bw_evaluate_pkt(const struct bw_ast *ast, struct bw_diags *d,
		    struct bw_pkt_spec **out)
{
	struct bw_eval ev = { .d = d };
	struct bw_proto_state ps;
	struct bw_pkt_spec *spec;
	uint32_t n = 0;

	*out = NULL;
	for (const struct bw_ast_stmt *m = ast->terms; m; m = m->next)
		n++;
	spec = calloc(1, sizeof(*spec));
	if (!spec || !(spec->field = calloc(n ? n : 1, sizeof(*spec->field))) ||
	    (ast->pkt_device && !(spec->device = strdup(ast->pkt_device)))) {
		bw_pkt_spec_free(&spec);
		bw_error(d, NULL, "out of memory");
		return -ENOMEM;
	}
	spec->egress = ast->pkt_dir && !strcmp(ast->pkt_dir, "egress");
	bw_proto_init(&ps, BW_FAMILY_NETDEV, true);
	for (const struct bw_ast_stmt *m = ast->terms; m; m = m->next)
		term(&ev, &ps, m, spec);
	if (ev.nerrors) {
		bw_pkt_spec_free(&spec);
		return -EINVAL;
	}
	*out = spec;
	return 0;
}

int bw_pkt_spec_parse(const char *name, const char *text, struct bw_diags *d,
		      struct bw_pkt_spec **out)
{
	const struct bw_src *src = bw_src_string(d, name, text);
	struct bw_ast *ast = NULL;
	int rc;

	*out = NULL;
	if (!src) {
		bw_error(d, NULL, "out of memory");
		return -ENOMEM;
	}
	rc = bw_ast_parse(src, BW_PARSE_PKTSPEC, d, &ast);
	if (rc)
		return rc;
	rc = bw_evaluate_pkt(ast, d, out);
	bw_ast_free(&ast);
	return rc;
}
