/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `bwbench mixed`: rulesets that every frame has to go through, uniform
 * and of mixed shapes, over veth next to nft, with load and swap times
 * (mixed.c); the rulesets themselves (mixrules.c).
 *
 * Address plan, so that no frame matches any rule and every frame still
 * reaches every rule's checks (UDP frames, UDP rules):
 *  - rules name addresses of 198.18.0.0/16 only (prefixes /24 to /32
 *    inside it), destination ports 10-65535, source ports 1-32767;
 *  - frames come from random addresses of 198.19.0.0/16 and random source
 *    ports 32768-65535, to 192.0.2.2, UDP port 9.
 * Both /16s are halves of the benchmarking range 198.18.0.0/15 that the
 * rest of bwbench uses; the frames never leave the bench's namespaces.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum bw_mx_shape { BW_MX_UNIFORM, BW_MX_MIXED, BW_MX__N };

#define BW_MX_FRAME_SRC		0xc6130000u	/* 198.19.0.0 */
#define BW_MX_FRAME_SRC_MASK	0xffffu		/* /16 */
#define BW_MX_FRAME_SPORT	0x8000u		/* sports 32768-65535 */
#define BW_MX_FRAME_DPORT	9
#define BW_MX_MAX_RULES		1000000u

/* "uniform", "mixed" */
const char *bw_mx_shape_name(enum bw_mx_shape s);
/* -1 if name is neither */
int bw_mx_shape_parse(const char *name);

/*
 * The ruleset text: table netdev bwmixed, one ingress chain on device
 * dev with policy drop and n rules (seeded: the same seed, shape and n
 * give the same text):
 *  - uniform: `ip saddr A udp dport P drop`, a blocklist of addresses
 *    and ports;
 *  - mixed: in random order, address drops, prefix drops /24-/32,
 *    address and port drops, port accepts, destination address and port
 *    accepts, prefix and port-range drops, source-port drops, address
 *    and protocol drops (one eighth each).
 * NULL if out of memory.  The caller frees it.
 */
char *bw_mx_ruleset(enum bw_mx_shape shape, unsigned n, uint64_t seed,
		    const char *dev);

/* What `bwbench mixed` measures, and how (its command line). */
#define BW_MX_MAX_SIZES	8
struct bw_mx_opts {
	unsigned sizes[BW_MX_MAX_SIZES], nsizes;
	bool shape[BW_MX__N];		/* which shapes to run */
	uint64_t seed;
	int rounds;			/* bursts per figure */
	double burst_secs;		/* a burst's length (calibrated) */
	int load_runs;			/* loads timed, median */
	double max_load_secs;		/* a load longer than this is stopped */
	bool no_nft;
	const char *plot;		/* PNG to write, NULL: none */
	const char *keep_dir;		/* write the rulesets' files there */
	const char *bpfwall;		/* the bpfwall binary */
};

/* Defaults: sizes 1000 10000 100000, both shapes, seed 1, 3 rounds of
 * 0.3 s, 3 load runs bounded by 60 s each. */
void bw_mx_opts_default(struct bw_mx_opts *o);
/* Parse `mixed` options argv[0..argc); 0, or -1 after a message on
 * stderr (a usage error).  `--print SHAPE N` sets *print_shape and
 * *print_n (else *print_n stays 0). */
int bw_mx_opts_parse(struct bw_mx_opts *o, int argc, char **argv,
		     int *print_shape, unsigned *print_n);
/* The usage lines of `bwbench mixed` */
void bw_mx_usage(FILE *f);

/* The whole measurement (in the bench's sandbox, pin_dir its bpffs);
 * tables to out.  Returns the number of failed measurements. */
int bw_bench_mixed(const char *pin_dir, const struct bw_mx_opts *o, FILE *out);
