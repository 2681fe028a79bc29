// SPDX-License-Identifier: GPL-2.0-only
/*
 * `make bench`: packets per second over veth, the way DESIGN.md says to
 * measure them on machines without pktgen.  A generator XDP program run
 * with BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES pushes real frames
 * out of bwbench1 (XDP_TX, ctx ingress_ifindex = bwbench1) into its peer
 * BENCH_DEV, writing a random source address (198.18.0.0/15) and source
 * port into every frame first, so no flow cache could make the figure;
 * the peer's rx_queue_0_xdp_packets (its ethtool statistics) counts what
 * arrived.  Frames per second = that count over the run's time.
 *
 * On BENCH_DEV, in turn: an empty XDP drop program (the ceiling); bpfwall
 * as `bpfwall -f` loads it (native XDP), a netdev ingress chain of N rules
 * `ip saddr A udp dport P drop` (a blocked address and port each) with
 * policy drop: the frames are UDP to port 9, which no rule names, so every
 * frame reaches the rules' lookup and misses (until 2026-12-06 the rules
 * said `tcp dport` and no UDP frame got past the protocol check: that
 * measured the prologue only); and the same file in nft (netdev ingress, no XDP on
 * the device, GRO on so that veth hands the frames to the stack).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>

#include "compiler/bpf/emit.h"
#include "runtime/runtime.h"
#include "cli/drive.h"
#include "bench.h"

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES	(1U << 1)
#endif
#define GEN_DEV		"bwbench1"
#define FRAME_LEN	60
#define RUN_SECONDS	0.5		/* a measurement's length */
#define MAX_FRAMES	5000000u
#define MIN_FRAMES	1000u
#define HELPER_PRANDOM	7

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One of dev's ethtool statistics by name; 0 and errno set if none. */
uint64_t bw_bench_ethtool_stat(const char *dev, const char *name)
{
	struct { struct ethtool_sset_info hdr; uint32_t n; } info = {
		.hdr = { .cmd = ETHTOOL_GSSET_INFO,
			 .sset_mask = 1ULL << ETH_SS_STATS },
	};
	struct ethtool_gstrings *names = NULL;
	struct ethtool_stats *vals = NULL;
	struct ifreq ifr = { 0 };
	uint64_t v = 0;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	errno = ENOENT;
	if (fd < 0)
		return 0;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = (void *)&info;
	if (ioctl(fd, SIOCETHTOOL, &ifr) || !info.n)
		goto out;
	names = calloc(1, sizeof(*names) + info.n * ETH_GSTRING_LEN);
	vals = calloc(1, sizeof(*vals) + info.n * sizeof(uint64_t));
	if (!names || !vals)
		goto out;
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_STATS;
	names->len = info.n;
	ifr.ifr_data = (void *)names;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		goto out;
	vals->cmd = ETHTOOL_GSTATS;
	vals->n_stats = info.n;
	ifr.ifr_data = (void *)vals;
	if (ioctl(fd, SIOCETHTOOL, &ifr))
		goto out;
	for (uint32_t i = 0; i < info.n; i++)
		if (!strncmp((char *)names->data + i * ETH_GSTRING_LEN, name,
			     ETH_GSTRING_LEN)) {
			v = vals->data[i];
			errno = 0;
		}
out:
	free(names);
	free(vals);
	close(fd);
	return v;
}

/* GRO on: veth then takes XDP frames into the stack without an XDP
 * program of its own. */
int bw_bench_set_gro(const char *dev)
{
	struct ethtool_value v = { .cmd = ETHTOOL_SGRO, .data = 1 };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = (void *)&v;
	err = ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
	close(fd);
	return err;
}

int bw_bench_hwaddr(const char *dev, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), err;

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	err = ioctl(fd, SIOCGIFHWADDR, &ifr) ? -errno : 0;
	if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return err;
}

/*
 * The generator: a random source address (base | random & mask) and
 * source port into the frame, the IPv4 header checksum anew (the stack
 * checks it), then XDP_TX.
 */
int bw_bench_gen_load(uint32_t base, uint32_t mask)
{
	return bw_bench_gen_load_sport(base, mask, 0);
}

int bw_bench_gen_load_sport(uint32_t base, uint32_t mask, uint16_t sport_or)
{
	struct bpf_insn p[64];
	int n = 0;

#define E(x) (p[n++] = (x))
	E(bw_mov64_reg(BW_R6, BW_R1));
	E(bw_call(HELPER_PRANDOM));
	E(bw_mov64_reg(BW_R7, BW_R0));
	E(bw_ldx(BPF_W, BW_R2, BW_R6, offsetof(struct xdp_md, data)));
	E(bw_ldx(BPF_W, BW_R3, BW_R6, offsetof(struct xdp_md, data_end)));
	E(bw_mov64_reg(BW_R4, BW_R2));
	E(bw_alu64_imm(BPF_ADD, BW_R4, 42));
	int skip = n;
	E(bw_jmp_reg(BPF_JGT, BW_R4, BW_R3, 0));	/* patched below */
	E(bw_mov64_reg(BW_R5, BW_R7));
	E(bw_alu64_imm(BPF_AND, BW_R5, (int32_t)mask));
	E(bw_alu64_imm(BPF_OR, BW_R5, (int32_t)base));
	E(bw_be(BW_R5, 32));
	E(bw_stx(BPF_W, BW_R2, BW_R5, 26));		/* ip saddr */
	E(bw_mov64_reg(BW_R5, BW_R7));
	E(bw_alu64_imm(BPF_RSH, BW_R5, 17));
	E(bw_alu64_imm(BPF_AND, BW_R5, 0xffff));
	if (sport_or) {			/* a port range: in network order */
		E(bw_alu64_imm(BPF_OR, BW_R5, sport_or));
		E(bw_be(BW_R5, 16));
	}
	E(bw_stx(BPF_H, BW_R2, BW_R5, 34));		/* udp sport */
	E(bw_st(BPF_H, BW_R2, 24, 0));			/* ip checksum */
	E(bw_mov64_imm(BW_R5, 0));
	for (int i = 0; i < 10; i++) {
		E(bw_ldx(BPF_H, BW_R4, BW_R2, (int16_t)(14 + 2 * i)));
		E(bw_alu64_reg(BPF_ADD, BW_R5, BW_R4));
	}
	for (int i = 0; i < 2; i++) {
		E(bw_mov64_reg(BW_R4, BW_R5));
		E(bw_alu64_imm(BPF_RSH, BW_R4, 16));
		E(bw_alu64_imm(BPF_AND, BW_R5, 0xffff));
		E(bw_alu64_reg(BPF_ADD, BW_R5, BW_R4));
	}
	E(bw_alu64_imm(BPF_XOR, BW_R5, 0xffff));
	E(bw_stx(BPF_H, BW_R2, BW_R5, 24));
	E(bw_mov64_imm(BW_R0, XDP_TX));
	E(bw_exit());
	p[skip].off = (int16_t)(n - skip - 1);
	E(bw_mov64_imm(BW_R0, XDP_ABORTED));
	E(bw_exit());
#undef E
	return bpf_prog_load(BPF_PROG_TYPE_XDP, "bw_gen", "GPL", p, (size_t)n, NULL);
}

int bw_bench_drop_prog(void)
{
	struct bpf_insn p[] = { bw_mov64_imm(BW_R0, XDP_DROP), bw_exit() };

	return bpf_prog_load(BPF_PROG_TYPE_XDP, "bw_drop", "GPL", p, 2, NULL);
}

/* frames pushed: the count that arrived at BENCH_DEV and the seconds */
static int push(int gen, const uint8_t *frame, uint32_t frames,
		uint64_t *arrived, double *secs)
{
	struct xdp_md ctx = { .data_end = FRAME_LEN,
			      .ingress_ifindex = if_nametoindex(GEN_DEV) };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
		    .data_size_in = FRAME_LEN, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx), .repeat = frames,
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	uint64_t before = bw_bench_ethtool_stat(BENCH_DEV, "rx_queue_0_xdp_packets");
	double t0 = seconds();

	if (errno || bpf_prog_test_run_opts(gen, &o))
		return -errno ? -errno : -EIO;
	*secs = seconds() - t0;
	usleep(20000);		/* what the device still queues lands */
	*arrived = bw_bench_ethtool_stat(BENCH_DEV, "rx_queue_0_xdp_packets") - before;
	return errno ? -errno : 0;
}

/* Mpps through what BENCH_DEV runs now: runs four times longer each
 * until one lasts RUN_SECONDS / 2 (a run has a fixed cost of its own),
 * or MAX_FRAMES. */
static double mpps(int gen, const uint8_t *frame)
{
	uint32_t frames = MIN_FRAMES;
	uint64_t got;
	double s;

	for (;;) {
		if (push(gen, frame, frames, &got, &s) || !got)
			return -1;
		if (s >= RUN_SECONDS / 2 || frames == MAX_FRAMES)
			return (double)got / s / 1e6;
		frames = frames * 4 > MAX_FRAMES ? MAX_FRAMES : frames * 4;
	}
}

#define ROUNDS	3

/* The median of ROUNDS figures (-1: a round failed). */
static double median(double v[ROUNDS])
{
	for (int i = 0; i < ROUNDS; i++)
		for (int j = i + 1; j < ROUNDS; j++)
			if (v[j] < v[i]) {
				double t = v[i];

				v[i] = v[j];
				v[j] = t;
			}
	return v[0] < 0 ? -1 : v[ROUNDS / 2];
}

static char *ruleset(unsigned n)
{
	struct bw_pbuf b = { 0 };
	char addr[32];

	bw_pbuf_printf(&b, "table netdev pps {\n chain in {\n"
		       "  type filter hook ingress device \"%s\" priority 0; policy drop;\n",
		       BENCH_DEV);
	for (unsigned i = 0; i < n; i++) {
		bw_bench_addr(i, addr, sizeof(addr));
		bw_pbuf_printf(&b, "  ip saddr %s udp dport %u drop\n", addr,
			       1024 + i % 1000);
	}
	bw_pbuf_printf(&b, " }\n}\n");
	return bw_pbuf_take(&b);
}

static int run_cmd(const char *cmd)
{
	int rc = system(cmd);

	return rc == 0 ? 0 : -1;
}

int bw_bench_pps(const char *pin_dir, const unsigned *sizes, unsigned nsizes,
		 FILE *out)
{
	uint8_t frame[FRAME_LEN] = { 0 };
	/* sources: 198.18.0.0/15 */
	int gen = bw_bench_gen_load(0xc6120000u, 0x1ffff);
	int drop = bw_bench_drop_prog(), ifindex, failed = 0;
	bool nft = !system("nft --version >/dev/null 2>&1");

	ifindex = (int)if_nametoindex(BENCH_DEV);
	if (gen < 0 || drop < 0 || !ifindex ||
	    bw_bench_hwaddr(BENCH_DEV, frame) || bw_bench_hwaddr(GEN_DEV, frame + 6)) {
		fprintf(stderr, "bench: pps: cannot set up the generator: %s\n",
			strerror(errno));
		return 1;
	}
	frame[12] = 0x08;
	memcpy(frame + 14, "\x45\x00\x00\x2e\x00\x00\x00\x00\x40\x11\x00\x00"
	       "\xc6\x12\x00\x01\xc0\x00\x02\x02", 20);
	memcpy(frame + 34, "\x9c\x40\x00\x09\x00\x1a\x00\x00", 8);
	/* GRO on: veth takes XDP frames into the stack without an XDP
	 * program (the nft runs) */
	if (bw_bench_set_gro(BENCH_DEV))
		nft = false;	/* the frames could not reach nft */

	fprintf(out, "\n## Packets per second over veth (XDP drop rate)\n\n"
		"Random source address and port in every frame (generator:\n"
		"BPF_F_TEST_XDP_LIVE_FRAMES, XDP_TX into the peer); N rules\n"
		"`ip saddr A udp dport P drop` and policy drop; the UDP frames go to\n"
		"port 9, which no rule names: each reaches the rules' lookup and\n"
		"misses.  Mpps the peer took in; \"empty\": an XDP program\n"
		"that only drops; bpfwall as `bpfwall -f` loads it (native XDP); the\n"
		"median of 3 runs each, interleaved.  nft: the same file, netdev\n"
		"ingress (one run).\n\n"
		"| rules | empty XDP drop | bpfwall | of empty | nft netdev |\n"
		"|------:|------:|------:|------:|------:|\n");
	for (unsigned k = 0; k < nsizes; k++) {
		unsigned n = sizes[k];
		char *text = ruleset(n), path[96], cmd[160];
		struct bw_rt_opts o = { .pin_dir = pin_dir };
		struct bw_ir *ir = NULL;
		struct bw_diags d;
		double e = -1, b = -1, f = -1, er[ROUNDS], br[ROUNDS];
		FILE *fp;

		fprintf(stderr, "bench: pps, %u rules ...\n", n);
		bw_diags_init(&d);
		if (!text)
			goto bad;
		/* the ceiling and bpfwall, interleaved: the median of
		 * ROUNDS each (this machine is shared; one run varies) */
		if (bw_compile_string("pps.conf", text, &d, &ir))
			goto bad;
		for (int r = 0; r < ROUNDS; r++) {
			er[r] = br[r] = -1;
			if (!bpf_xdp_attach(ifindex, drop, XDP_FLAGS_DRV_MODE, NULL)) {
				er[r] = mpps(gen, frame);
				bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
			}
			if (!bw_drive_apply(ir, &o, &d)) {
				br[r] = mpps(gen, frame);
				bw_rt_flush(&o, &d);
			}
		}
		e = median(er);
		b = median(br);
		bw_diags_print(&d, stderr);
		/* nft */
		snprintf(path, sizeof(path), "/tmp/bwbench-pps-%d.nft", (int)getpid());
		if (nft && (fp = fopen(path, "w"))) {
			fputs(text, fp);
			fclose(fp);
			snprintf(cmd, sizeof(cmd), "nft -f %s", path);
			if (!bw_bench_set_gro(BENCH_DEV) && !run_cmd(cmd))
				f = mpps(gen, frame);
			else
				fprintf(stderr, "bench: pps: nft -f failed\n");
			run_cmd("nft flush ruleset");
			unlink(path);
		}
bad:
		if (e <= 0 || b <= 0) {
			fprintf(out, "| %u | FAILED | | | |\n", n);
			failed++;
		} else {
			fprintf(out, "| %u | %.2f | %.2f | %.0f %% | ", n, e, b,
				100.0 * b / e);
			if (f > 0)
				fprintf(out, f < 0.1 ? "%.4f |\n" : "%.2f |\n", f);
			else
				fprintf(out, "%s |\n", nft ? "FAILED" : "no nft");
		}
		bw_diags_fini(&d);
		bw_ir_free(&ir);
		free(text);
	}
	close(gen);
	close(drop);
	return failed;
}
