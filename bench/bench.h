/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `make bench`: what bwbench.c shares with the benchmarks in other files
 * (sets.c): packets, ruleset text, building a checked program, timing it
 * against the empty program.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "compiler/front/evaluate.h"
#include "compiler/front/ir.h"
#include "compiler/opt/optimize.h"
#include "compiler/interp/pktbuild.h"
#include "runtime/rt.h"

#define BENCH_DEV	"bwbench0"

struct bw_bench_pkt {
	uint8_t buf[BW_PKT_MAX];
	int len;
};

/* A packet written in rule syntax (as `trace` takes it).  0 or -errno. */
int bw_bench_pkt(const char *spec_text, struct bw_bench_pkt *p);

/* 198.18.0.0 + off (off < 131072: the benchmarking range 198.18.0.0/15). */
void bw_bench_addr(unsigned off, char *buf, size_t len);

/* Ruleset text, in the front end's growable buffer (bw_pbuf_printf):
 * "table netdev bench {\n", then `before` (set definitions, may be ""),
 * then the ingress chain on BENCH_DEV up to its first rule. */
void bw_bench_ruleset_open(struct bw_pbuf *b, const char *before);
/* Closes the chain and the table; returns the text (the caller frees
 * it; NULL after an allocation failure). */
char *bw_bench_ruleset_close(struct bw_pbuf *b);

/* A loaded XDP program of BENCH_DEV's ingress, with its maps. */
struct bw_bench_prog {
	int fd;				/* -1: not loaded */
	struct bw_rt_maps maps;
	struct bw_opt_plan *plan;
	uint32_t ninsn;
	double codegen_ms, load_ms;	/* optimizer + bytecode; maps + verifier */
};

/*
 * Build and load the program of ir (optimizer on or off), then check it:
 * miss must give XDP_PASS and hit XDP_DROP, and the reference interpreter
 * must agree.  0, or -1 with a message (p->fd -1, nothing left open).
 */
int bw_bench_build(const struct bw_ir *ir, bool optimize,
		   const struct bw_bench_pkt *miss, const struct bw_bench_pkt *hit,
		   struct bw_bench_prog *p);
void bw_bench_prog_close(struct bw_bench_prog *p);

/* Does the program give want (XDP_PASS or XDP_DROP) for p, and the
 * interpreter the same?  A message when not. */
bool bw_bench_verify(int fd, const struct bw_ir *ir,
		     const struct bw_bench_pkt *p, uint32_t want,
		     const char *what);

/* Median ns/packet of fd and of the empty program, interleaved.  0 or
 * -errno. */
int bw_bench_measure(int fd, int empty_fd, const struct bw_bench_pkt *p,
		     double *prog_ns, double *empty_ns);

/* sets.c: named sets and literal sets, their tables printed to out.
 * Returns the number of failed measurements. */
int bw_bench_sets(int empty_fd, FILE *out);
/* sets.c: literal concatenations with one range per element or two. */
int bw_bench_concat(int empty_fd, FILE *out);
/* pps.c: packets per second over veth (BENCH_DEV and its peer), for
 * each size: an empty XDP drop, bpfwall, nft; pin_dir for bpfwall's
 * loads.  Returns the number of failed sizes. */
int bw_bench_pps(const char *pin_dir, const unsigned *sizes, unsigned nsizes,
		 FILE *out);
/* pps.c's helpers, shared with hooks.c and flood.c: dev's ethtool
 * statistic name (0 and errno set if none); GRO on (veth then takes XDP
 * frames to the stack without an XDP program); dev's MAC address; the
 * live-frames generator (XDP_TX of the frame with a random source
 * address base | (random & mask), host order, and source port, the IPv4
 * checksum recomputed); an XDP program that drops everything.  Each in
 * the current network namespace; -errno or a program fd. */
uint64_t bw_bench_ethtool_stat(const char *dev, const char *name);
int bw_bench_set_gro(const char *dev);
int bw_bench_hwaddr(const char *dev, uint8_t mac[6]);
int bw_bench_gen_load(uint32_t base, uint32_t mask);
/* The same, its source port in network order, sport_or | 15 random bits
 * (sport_or 0: bw_bench_gen_load's port, any 16 bits). */
int bw_bench_gen_load_sport(uint32_t base, uint32_t mask, uint16_t sport_or);
int bw_bench_drop_prog(void);
/* ct.c: what connection tracking adds per packet, a table to out. */
int bw_bench_ct(int empty_fd, FILE *out);

#define BW_BENCH_NRUNS	7	/* runs of bw_bench_measure, median */
