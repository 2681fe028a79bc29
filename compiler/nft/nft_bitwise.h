/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's bitwise of two registers (Linux 6.13: NFT_BITWISE_AND,
 * OR, XOR with NFTA_BITWISE_SREG2), which this machine's uapi header and
 * libnftnl 1.2 do not know: their numbers defined here, once, and the
 * rule message mended for them (nft_bitwise.c).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct nlmsghdr;
struct nftnl_expr;

/* enum nft_bitwise_ops after NFT_BITWISE_RSHIFT; enum nft_bitwise_attributes
 * after NFTA_BITWISE_DATA (include/uapi/linux/netfilter/nf_tables.h) */
#define BW_NFT_BITWISE_AND	3
#define BW_NFT_BITWISE_OR	4
#define BW_NFT_BITWISE_XOR	5
#define BW_NFTA_BITWISE_SREG2	8

/* The plan holds such a bitwise as libnftnl can: op AND, OR or XOR, the
 * second register as NFTNL_EXPR_BITWISE_DATA (nft_vexpr.c).  In a rule
 * message built from it (nftnl_rule_nlmsg_build_payload) this turns each
 * one's NFTA_BITWISE_DATA into NFTA_BITWISE_SREG2 (and an empty attribute
 * of type 0, which the kernel skips: the same length, no nest to mend).
 * Returns how many it mended. */
int bw_nft_bitwise_sreg2_fix(struct nlmsghdr *nlh);

/* e as nft prints it ("reg 1 = ( reg 1 | reg 2 ) ") when it is such a
 * bitwise: true, else false (e printed as libnftnl prints it). */
bool bw_nft_bitwise_sreg2_print(const struct nftnl_expr *e, char *buf, size_t len);
