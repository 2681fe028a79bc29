/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `make bench`: what each attach point costs per packet (hooks.c) and the
 * flood of a blocked source (flood.c), over a pair of throwaway network
 * namespaces that hooknet.c makes: the device under test BW_HK_DUT
 * (192.0.2.2/24, where the rulesets load) and its veth peer BW_HK_PEER
 * (192.0.2.1/24) in a namespace of its own.
 *
 * Traffic, one CPU: the process pins itself to the CPU it runs on, and
 * both ways the receiving side runs inline on that CPU (the veth's NAPI
 * poll in the softirq of the sender's local_bh_enable), so the process's
 * CPU time during a burst (plus what that CPU's ksoftirqd did, should the
 * kernel defer softirqs to it) is the CPU cost of the whole path, sender
 * included; the time others' tasks took that CPU from us is not in it (on
 * a shared machine the wall time is):
 *  - in: the live-frames generator of pps.c, run in the peer namespace,
 *    XDP_TX out of the peer into BW_HK_DUT: UDP frames to 192.0.2.2:9,
 *    random source address and port.  A UDP socket bound to port 9 is
 *    never read: a frame that passes input reaches it and is counted as
 *    delivered (Ip InDelivers), then dropped at its full buffer.
 *  - out: a UDP socket in the DUT namespace sends to 192.0.2.1:9 with
 *    sendmmsg (the neighbour entry is permanent: no ARP); an XDP program
 *    on the peer drops and counts (its rx_queue_0_xdp_packets).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define BW_HK_DUT	"bwdut0"
#define BW_HK_PEER	"bwpeer0"
#define BW_HK_FRAME_LEN	60

struct bw_hk_net {
	int home, dut, peer;		/* network namespace fds, -1 */
	int peer_drop;			/* the peer's XDP drop program */
	int sock;			/* the DUT's UDP socket on port 9 */
	int cpu;			/* the CPU the process is pinned to */
	int ksoftirqd;			/* that CPU's ksoftirqd (pid), 0: none found */
	uint8_t frame[BW_HK_FRAME_LEN];	/* peer -> DUT, for the generator */
};

/* Counters of the path at one moment (differences after a burst). */
struct bw_hk_count {
	uint64_t ip_in, ip_deliver;	/* DUT: Ip InReceives, InDelivers */
	uint64_t dut_xdp, dut_xdp_drop;	/* DUT: rx_queue_0_xdp_packets, _xdp_drops */
	uint64_t peer_xdp;		/* peer: rx_queue_0_xdp_packets */
	uint64_t softirq;		/* the pinned CPU's softirq time, ticks */
	uint64_t ksoftirqd_ns;		/* the CPU time of its ksoftirqd */
};

struct bw_hk_run {
	uint64_t n;			/* frames pushed or packets sent */
	double secs;			/* wall time */
	double cpu_ns;			/* this thread's CPU time, ksoftirqd's added */
	double wait_ns;			/* time this thread waited for the CPU */
	struct bw_hk_count d;		/* what the counters moved */
};

/* Make the namespaces, the veth pair, the socket; pin to the current CPU.
 * On return the process is in the DUT namespace.  0, or -1 with a
 * message (everything made undone). */
int bw_hk_net_up(struct bw_hk_net *n);
/* Back to the namespace bw_hk_net_up() started in; close everything
 * (the namespaces and their devices go with the last reference). */
void bw_hk_net_down(struct bw_hk_net *n);

/* frames frames of generator gen (bw_bench_gen_load) from the peer into
 * the DUT; frames <= 5,000,000.  0 or -errno. */
int bw_hk_push(struct bw_hk_net *n, int gen, uint32_t frames,
	       struct bw_hk_run *r);
/* packets UDP packets of 18 bytes from the DUT to the peer, in batches;
 * stops after 10 s at most.  0 or -errno. */
int bw_hk_send(struct bw_hk_net *n, uint32_t packets, struct bw_hk_run *r);
/* Nanoseconds of one softirq tick of /proc/stat (USER_HZ). */
double bw_hk_tick_ns(void);

/* The packets of bpfwall's counters (pin_dir, `counter` statements) summed,
 * or of nft's (`nft list ruleset`); -1 if they cannot be read. */
int64_t bw_hk_bw_counter(const char *pin_dir);
int64_t bw_hk_nft_counter(void);
/* The run count and run time (ns, while BPF run statistics are on) of
 * each program bpfwall attached (the link_ and prog_ pins of pin_dir), at
 * most BW_HK_MAXPROG; returns how many, or -errno. */
#define BW_HK_MAXPROG	16
struct bw_hk_progstat {
	uint32_t id;
	uint64_t cnt, ns;
};
int bw_hk_bw_progstats(const char *pin_dir, struct bw_hk_progstat *v);
/* nft -f text in the current namespace; flush ruleset.  0 or -1. */
/* bpfwall -f (bw_drive_apply) of text at the netfilter hooks, into pin_dir;
 * hoist: input drops also at XDP (compiler/bpf/hoist.h), else each hook
 * alone (--hoist off).  0 or -errno, the errors on stderr. */
int bw_hk_bw_load(const char *pin_dir, const char *name, const char *text,
		  bool hoist);
/* bpfwall flush ruleset of pin_dir */
void bw_hk_bw_flush(const char *pin_dir);
int bw_hk_nft_load(const char *text);
void bw_hk_nft_flush(void);
/* Is an XDP program attached to the DUT? */
bool bw_hk_dut_has_xdp(void);

/* hooks.c: the table of each hook's cost (`bwbench hooks`, and the end
 * of `make bench`).  Returns the number of failed measurements. */
int bw_bench_hooks(const char *pin_dir, FILE *out);
/* flood.c: `bwbench flood [FILE]`: a flood from 198.51.100.0/24 at the
 * input path with FILE's ruleset (NULL: one inet input chain dropping
 * that source) at the netfilter hook only, then with the same drop as a
 * netdev ingress chain (XDP) in front; nft with FILE for comparison.
 * Returns the number of failed measurements. */
int bw_bench_flood(const char *pin_dir, const char *file, FILE *out);
