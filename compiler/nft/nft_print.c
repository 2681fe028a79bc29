// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nf_tables plan as text (bw_nft_plan_print): libnftnl's own
 * rendering, the one `nft --debug=netlink` prints, with each rule's
 * bpfwall handle and the interfaces written at commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/object.h>
#include <libnftnl/flowtable.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <libnftnl/table.h>

#include "nft_bitwise.h"
#include "nft_int.h"

static const char *fam(uint32_t nfproto)
{
	switch (nfproto) {
	case 1:		return "inet";
	case 2:		return "ip";
	case 10:	return "ip6";
	case 5:		return "netdev";
	case 7:		return "bridge";
	case 3:		return "arp";
	}
	return "?";
}

static void ifrefs(FILE *f, const struct bw_nft_plan *p, const void *cmp,
		   const void *elem)
{
	for (uint32_t i = 0; i < p->nifref; i++)
		if ((cmp && p->ifrefs[i].cmp == cmp) ||
		    (elem && p->ifrefs[i].elem == elem))
			fprintf(f, "  ; the index of interface \"%s\"\n", p->ifrefs[i].name);
}

static void set(FILE *f, const struct bw_nft_plan *p, struct nftnl_set *s)
{
	struct nftnl_set_elems_iter *it;
	struct nftnl_set_elem *e;

	fprintf(f, "set %s %s %s flags 0x%x keytype %u keylen %u",
		fam(nftnl_set_get_u32(s, NFTNL_SET_FAMILY)),
		nftnl_set_get_str(s, NFTNL_SET_TABLE), nftnl_set_get_str(s, NFTNL_SET_NAME),
		nftnl_set_get_u32(s, NFTNL_SET_FLAGS), nftnl_set_get_u32(s, NFTNL_SET_KEY_TYPE),
		nftnl_set_get_u32(s, NFTNL_SET_KEY_LEN));
	if (nftnl_set_is_set(s, NFTNL_SET_DESC_SIZE))
		fprintf(f, " size %u", nftnl_set_get_u32(s, NFTNL_SET_DESC_SIZE));
	fputc('\n', f);
	it = nftnl_set_elems_iter_create(s);
	if (!it)
		return;
	while ((e = nftnl_set_elems_iter_next(it))) {
		char buf[1024];

		nftnl_set_elem_snprintf(buf, sizeof(buf), e, NFTNL_OUTPUT_DEFAULT, 0);
		fprintf(f, "\t%s\n", buf);
		ifrefs(f, p, NULL, e);
	}
	nftnl_set_elems_iter_destroy(it);
}

static void rule(FILE *f, const struct bw_nft_plan *p, const struct bw_nft_rule *r)
{
	struct nftnl_expr_iter *it;
	struct nftnl_expr *e;

	fprintf(f, "%s %s %s", fam(nftnl_rule_get_u32(r->r, NFTNL_RULE_FAMILY)),
		nftnl_rule_get_str(r->r, NFTNL_RULE_TABLE),
		nftnl_rule_get_str(r->r, NFTNL_RULE_CHAIN));
	if (r->handle)
		fprintf(f, " handle %u", r->handle);
	fputc('\n', f);
	it = nftnl_expr_iter_create(r->r);
	if (!it)
		return;
	while ((e = nftnl_expr_iter_next(it))) {
		char buf[1024];

		if (!bw_nft_bitwise_sreg2_print(e, buf, sizeof(buf)))
			nftnl_expr_snprintf(buf, sizeof(buf), e, NFTNL_OUTPUT_DEFAULT, 0);
		fprintf(f, "  [ %s %s]\n", nftnl_expr_get_str(e, NFTNL_EXPR_NAME), buf);
		ifrefs(f, p, e, NULL);
	}
	nftnl_expr_iter_destroy(it);
}

char *bw_nft_plan_print(const struct bw_nft_plan *p)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	if (!f)
		return NULL;
	for (uint32_t i = 0; i < p->ntable; i++)
		fprintf(f, "table %s %s\n",
			fam(nftnl_table_get_u32(p->tables[i], NFTNL_TABLE_FAMILY)),
			nftnl_table_get_str(p->tables[i], NFTNL_TABLE_NAME));
	for (uint32_t i = 0; i < p->nchain; i++) {
		fputs("chain ", f);
		nftnl_chain_fprintf(f, p->chains[i], NFTNL_OUTPUT_DEFAULT, 0);
		fputc('\n', f);
	}
	for (uint32_t i = 0; i < p->nobj; i++) {
		char buf[1024];

		nftnl_obj_snprintf(buf, sizeof(buf), p->objs[i], NFTNL_OUTPUT_DEFAULT, 0);
		fprintf(f, "obj %s\n", buf);
	}
	for (uint32_t i = 0; i < p->nflowtable; i++) {
		char buf[1024];

		nftnl_flowtable_snprintf(buf, sizeof(buf), p->flowtables[i],
					 NFTNL_OUTPUT_DEFAULT, 0);
		fprintf(f, "%s\n", buf);
	}
	for (uint32_t i = 0; i < p->nset; i++)
		set(f, p, p->sets[i]);
	for (uint32_t i = 0; i < p->nrule; i++) {
		fputc('\n', f);
		rule(f, p, &p->rules[i]);
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}
