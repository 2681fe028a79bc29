/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The differential test against real nft (tests/e2e/nft-diff.sh): what the
 * driver's two files share.  nftdiff.c reads .t files and sends their
 * packets over veth; gen.c writes random .t files.
 */
#pragma once

/* The devices of the receiving namespace a packet can arrive on; in the
 * sending namespace each one's peer has the same name.  veth0 is the
 * device the .t rulesets name; veth1 has no chain in any of them and
 * carries the packets written without a device. */
#define NFTDIFF_NDEV 2
extern const char *const nftdiff_dev[NFTDIFF_NDEV];

/* nftdiff gen ...: see usage() in nftdiff.c.  Returns the exit status. */
int nftdiff_gen(int argc, char **argv);
