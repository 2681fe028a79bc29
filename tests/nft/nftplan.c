// SPDX-License-Identifier: GPL-2.0-only
/*
 * The nf_tables back end's test driver (tests/e2e/nft-*.sh): compile a
 * rule file, hand every base chain of its inet, ip and ip6 tables to
 * nf_tables, and print, commit, read back or delete, in the current
 * network namespace.
 *
 *   nftplan [-t TABLE] print FILE        the plan (nft --debug=netlink style)
 *   nftplan [-t TABLE] commit FILE...    commit FILE's plan (several FILEs:
 *                                        one commit each, in turn)
 *   nftplan [-t TABLE] [-n N] recommit FILE
 *                                        compile once, commit N times
 *   nftplan [-t TABLE] keeper [inet|ip|ip6]  commit only the ct keeper
 *   nftplan [-t TABLE] handles FILE      "HANDLE LINE" for each rule
 *   nftplan [-t TABLE] counters          "HANDLE PACKETS BYTES" lines
 *   nftplan [-t TABLE] present           the families, one a line
 *   nftplan [-t TABLE] delete
 *
 * TABLE defaults to "bpfwall".  -k adds the ct keeper (inet) to a commit;
 * -B appends a rule the kernel refuses (a jump to a chain that does not
 * exist) to the plan: the whole commit must then change nothing.
 * Exit 0, or 1 with the error on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <linux/netfilter/nf_tables.h>

#include "compiler/front/compile.h"
#include "compiler/nft/nft.h"
#include "runtime/rt.h"

static const char *table = "bpfwall";
static bool keeper, bad;

/* -B: a last rule that jumps nowhere, in the plan's first chain. */
static int add_bad_rule(struct bw_nft_plan *p)
{
	struct bw_nft_rule *v = realloc(p->rules, (p->nrule + 1) * sizeof(*v));
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	if (!v || !r || !e || !p->nrule) {
		free(v == p->rules ? NULL : v);
		nftnl_rule_free(r);
		nftnl_expr_free(e);
		return -ENOMEM;
	}
	p->rules = v;
	p->cap_rule = p->nrule + 1;
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY,
			   nftnl_rule_get_u32(v[0].r, NFTNL_RULE_FAMILY));
	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, p->table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN,
			   nftnl_rule_get_str(v[0].r, NFTNL_RULE_CHAIN));
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)NFT_JUMP);
	nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, "no_such_chain");
	nftnl_rule_add_expr(r, e);
	v[p->nrule++] = (struct bw_nft_rule){ .r = r, .handle = 999999 };
	return 0;
}

static int plan_of(const char *file, struct bw_diags *d, struct bw_nft_plan **out,
		   struct bw_ir **irp)
{
	struct bw_ir *ir = NULL;
	bool *in;
	int rc;

	rc = bw_compile_file(file, d, &ir);
	if (rc)
		return rc;
	in = calloc(ir->nchain ? ir->nchain : 1, sizeof(*in));
	if (!in) {
		bw_ir_free(&ir);
		return -ENOMEM;
	}
	for (uint32_t c = 0; c < ir->nchain; c++)
		in[c] = ir->chain[c].hook != BW_CHAIN_NONE &&
			(ir->chain[c].family != BW_FAMILY_NETDEV || ir->chain[c].nft);
	rc = bw_nft_build(ir, in, table, d, out);
	free(in);
	if (!rc && keeper)
		rc = bw_nft_plan_ct_keeper(*out, BW_FAMILY_INET);
	if (!rc && bad)
		rc = add_bad_rule(*out);
	if (irp && !rc)
		*irp = ir;
	else
		bw_ir_free(&ir);
	return rc;
}

static void print_counter(void *arg, uint32_t handle, uint64_t packets,
			  uint64_t bytes)
{
	(void)arg;
	printf("%u %llu %llu\n", handle, (unsigned long long)packets,
	       (unsigned long long)bytes);
}

static int usage(void)
{
	fprintf(stderr, "usage: nftplan [-t TABLE] [-k] [-B] [-n N] print|commit|recommit|handles FILE | keeper [FAMILY] | counters | present | delete\n");
	return 2;
}

static int run(int argc, char **argv, struct bw_diags *d, unsigned times)
{
	const char *cmd = argv[0];
	struct bw_nft_plan *p = NULL;
	struct bw_ir *ir = NULL;
	int rc = 0;

	if (!strcmp(cmd, "print") && argc == 2) {
		char *s;

		rc = plan_of(argv[1], d, &p, NULL);
		if (rc)
			return rc;
		s = bw_nft_plan_print(p);
		if (s)
			fputs(s, stdout);
		free(s);
		bw_nft_plan_free(&p);
		return s ? 0 : -ENOMEM;
	}
	if (!strcmp(cmd, "commit") && argc >= 2) {
		for (int i = 1; i < argc && !rc; i++) {
			rc = plan_of(argv[i], d, &p, NULL);
			if (!rc)
				rc = bw_rt_nft_commit(p, d);
			bw_nft_plan_free(&p);
		}
		return rc;
	}
	if (!strcmp(cmd, "recommit") && argc == 2) {
		rc = plan_of(argv[1], d, &p, NULL);
		for (unsigned i = 0; i < times && !rc; i++)
			rc = bw_rt_nft_commit(p, d);
		bw_nft_plan_free(&p);
		return rc;
	}
	if (!strcmp(cmd, "handles") && argc == 2) {
		rc = plan_of(argv[1], d, &p, &ir);
		for (uint32_t i = 0; !rc && i < p->nrule; i++)
			printf("%u %u\n", p->rules[i].handle, p->rules[i].loc.line);
		bw_nft_plan_free(&p);
		bw_ir_free(&ir);
		return rc;
	}
	if (!strcmp(cmd, "keeper") && argc <= 2) {
		enum bw_family fam = BW_FAMILY_INET;

		if (argc == 2)
			fam = !strcmp(argv[1], "ip") ? BW_FAMILY_IP :
			      !strcmp(argv[1], "ip6") ? BW_FAMILY_IP6 : BW_FAMILY_INET;
		rc = bw_nft_plan_new(table, &p);
		if (!rc)
			rc = bw_nft_plan_ct_keeper(p, fam);
		if (!rc)
			rc = bw_rt_nft_commit(p, d);
		bw_nft_plan_free(&p);
		return rc;
	}
	if (!strcmp(cmd, "counters") && argc == 1)
		return bw_rt_nft_counters(table, print_counter, NULL);
	if (!strcmp(cmd, "present") && argc == 1) {
		static const char *const names[] = { "netdev", "inet", "ip", "ip6" };

		rc = bw_rt_nft_present(table);
		for (int f = 0; rc > 0 && f < 4; f++)
			if (rc & (1 << f))
				printf("%s\n", names[f]);
		return rc < 0 ? rc : 0;
	}
	if (!strcmp(cmd, "delete") && argc == 1)
		return bw_rt_nft_delete(table);
	return -EINVAL;
}

int main(int argc, char **argv)
{
	struct bw_diags d;
	unsigned times = 1;
	int opt, rc;

	while ((opt = getopt(argc, argv, "+t:kBn:")) != -1) {
		switch (opt) {
		case 't':
			table = optarg;
			break;
		case 'k':
			keeper = true;
			break;
		case 'B':
			bad = true;
			break;
		case 'n':
			times = (unsigned)atoi(optarg);
			break;
		default:
			return usage();
		}
	}
	if (optind >= argc)
		return usage();
	bw_diags_init(&d);
	rc = run(argc - optind, argv + optind, &d, times);
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	if (rc == -EINVAL && !d.nerrors)
		return usage();
	if (rc)
		fprintf(stderr, "nftplan: %s: %s\n", argv[optind], strerror(-rc));
	return rc ? 1 : 0;
}
