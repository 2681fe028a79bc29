// SPDX-License-Identifier: GPL-2.0-only
/*
 * The bitwise of two registers (nft_bitwise.h) in a rule message: found
 * by walking the message's expressions with libmnl, mended in place.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

#include "nft_bitwise.h"

static bool is_sreg2_op(uint32_t op)
{
	return op == BW_NFT_BITWISE_AND || op == BW_NFT_BITWISE_OR ||
	       op == BW_NFT_BITWISE_XOR;
}

/* One bitwise's NFTA_EXPR_DATA: its DATA nest (4 + 4 + 4 bytes: the
 * register as libnftnl wrote it, host order) made SREG2 + an empty one. */
static int mend(struct nlattr *data)
{
	struct nlattr *a, *op = NULL, *d = NULL;
	uint32_t reg;

	mnl_attr_for_each_nested(a, data) {
		if (mnl_attr_get_type(a) == NFTA_BITWISE_OP)
			op = a;
		else if (mnl_attr_get_type(a) == NFTA_BITWISE_DATA)
			d = a;
	}
	if (!op || !d || mnl_attr_get_payload_len(op) != 4 ||
	    !is_sreg2_op(ntohl(mnl_attr_get_u32(op))) || d->nla_len != 12)
		return 0;
	memcpy(&reg, (const char *)d + 8, 4);
	d->nla_len = 8;
	d->nla_type = BW_NFTA_BITWISE_SREG2;
	reg = htonl(reg);
	memcpy((char *)d + 4, &reg, 4);
	a = (struct nlattr *)((char *)d + 8);
	a->nla_len = 4;
	a->nla_type = 0;
	return 1;
}

int bw_nft_bitwise_sreg2_fix(struct nlmsghdr *nlh)
{
	struct nlattr *a, *el, *x, *data;
	int n = 0;

	mnl_attr_for_each(a, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(a) != NFTA_RULE_EXPRESSIONS)
			continue;
		mnl_attr_for_each_nested(el, a) {
			bool bitwise = false;

			data = NULL;
			mnl_attr_for_each_nested(x, el) {
				if (mnl_attr_get_type(x) == NFTA_EXPR_NAME)
					bitwise = !strcmp(mnl_attr_get_str(x), "bitwise");
				else if (mnl_attr_get_type(x) == NFTA_EXPR_DATA)
					data = x;
			}
			if (bitwise && data)
				n += mend(data);
		}
	}
	return n;
}

bool bw_nft_bitwise_sreg2_print(const struct nftnl_expr *e, char *buf, size_t len)
{
	uint32_t op;

	if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "bitwise") ||
	    !nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_OP) ||
	    !nftnl_expr_is_set(e, NFTNL_EXPR_BITWISE_DATA))
		return false;
	op = nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_OP);
	if (!is_sreg2_op(op))
		return false;
	snprintf(buf, len, "reg %u = ( reg %u %s reg %u ) ",
		 nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_DREG),
		 nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_SREG),
		 op == BW_NFT_BITWISE_AND ? "&" : op == BW_NFT_BITWISE_OR ? "|" : "^",
		 nftnl_expr_get_u32(e, NFTNL_EXPR_BITWISE_DATA));
	return true;
}
