// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall capture EXPR [-i DEV] [-c COUNT] [-w FILE]: packets that match
 * EXPR (the matches of a rule), filtered in the kernel by the compiled
 * socket filter.  One summary line per packet:
 *
 *   06:20:01.123456 eth0 In  IP 192.0.2.1.40000 > 192.0.2.2.22: tcp flags S len 60
 *
 * or, with -w FILE, a pcap file (tcpdump -r reads it).  Stops after COUNT
 * packets, or on SIGINT/SIGTERM.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/if_packet.h>

#include "cli.h"
#include "drive.h"
#include "compiler/front/capture.h"
#include "compiler/front/view.h"
#include "runtime/capture.h"

#define CAP_BUF		65536
#define CAP_POLL_MS	200

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void tcp_flags(uint8_t f, char *out)
{
	static const struct { uint8_t bit; char c; } fl[] = {
		{ 0x01, 'F' }, { 0x02, 'S' }, { 0x04, 'R' }, { 0x08, 'P' },
		{ 0x20, 'U' }, { 0x40, 'E' }, { 0x80, 'W' }, { 0x10, '.' },
	};
	char *p = out;

	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++)
		if (f & fl[i].bit)
			*p++ = fl[i].c;
	if (p == out)
		p = stpcpy(out, "none");
	*p = '\0';
}

/* "IP a.sport > b.dport: proto ... len N" into f. */
static void summary(FILE *f, const uint8_t *pkt, uint32_t caplen, uint32_t len)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], fl[16];
	enum bw_reason reason;
	struct bw_view v;
	uint32_t iplen;
	bool ports;

	if (bw_view_parse(pkt, caplen, &v, &reason)) {
		fprintf(f, "malformed (%s) len %u\n", bw_reason_name(reason), len);
		return;
	}
	if (v.l3 == 4) {
		inet_ntop(AF_INET, &v.l3h[12], src, sizeof(src));
		inet_ntop(AF_INET, &v.l3h[16], dst, sizeof(dst));
		iplen = (uint32_t)v.l3h[2] << 8 | v.l3h[3];
		fprintf(f, "IP ");
	} else if (v.l3 == 6) {
		inet_ntop(AF_INET6, &v.l3h[8], src, sizeof(src));
		inet_ntop(AF_INET6, &v.l3h[24], dst, sizeof(dst));
		iplen = 40 + ((uint32_t)v.l3h[4] << 8 | v.l3h[5]);
		fprintf(f, "IP6 ");
	} else {
		fprintf(f, "ethertype 0x%04x len %u\n", v.ethertype, len);
		return;
	}
	ports = (v.flags & BW_VIEW_L4) &&
		(v.l4proto == IPPROTO_TCP || v.l4proto == IPPROTO_UDP);
	if (ports)
		fprintf(f, "%s.%u > %s.%u: ", src,
			(unsigned)(v.l4h[0] << 8 | v.l4h[1]), dst,
			(unsigned)(v.l4h[2] << 8 | v.l4h[3]));
	else
		fprintf(f, "%s > %s: ", src, dst);
	if (!(v.flags & BW_VIEW_L4)) {
		fprintf(f, "proto %u", v.l4proto);
	} else if (v.l4proto == IPPROTO_TCP) {
		tcp_flags(v.l4h[13], fl);
		fprintf(f, "tcp flags %s", fl);
	} else if (v.l4proto == IPPROTO_UDP) {
		fprintf(f, "udp");
	} else if (v.l4proto == IPPROTO_ICMP || v.l4proto == IPPROTO_ICMPV6) {
		fprintf(f, "%s type %u code %u",
			v.l4proto == IPPROTO_ICMP ? "icmp" : "icmpv6",
			v.l4h[0], v.l4h[1]);
	}
	fprintf(f, "%s len %u\n", v.flags & BW_VIEW_FRAG ? " frag" : "", iplen);
}

static void print_line(const struct bw_rt_pkt *p, const uint8_t *buf)
{
	char ifname[IF_NAMESIZE + 1] = "?", tbuf[16];
	struct tm tm;

	if (!if_indextoname(p->ifindex, ifname))
		snprintf(ifname, sizeof(ifname), "if%u", p->ifindex);
	localtime_r(&p->ts.tv_sec, &tm);
	strftime(tbuf, sizeof(tbuf), "%H:%M:%S", &tm);
	printf("%s.%06ld %s %s ", tbuf, p->ts.tv_nsec / 1000, ifname,
	       p->pkttype == PACKET_OUTGOING ? "Out" : "In ");
	summary(stdout, buf, p->caplen, p->len);
	fflush(stdout);
}

static int capture_loop(const struct bw_cli *c, int fd, FILE *pcap)
{
	struct sigaction sa = { .sa_handler = on_signal };
	uint64_t n = 0;
	uint8_t *buf;
	int err = 0;

	buf = malloc(CAP_BUF);
	if (!buf)
		return -ENOMEM;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	fprintf(stderr, "capture: listening on %s\n",
		c->capture_dev ? c->capture_dev : "every interface");
	while (!stop && (!c->capture_count || n < c->capture_count)) {
		struct bw_rt_pkt p;
		int rc = bw_rt_capture_recv(fd, buf, CAP_BUF, CAP_POLL_MS, &p);

		if (rc < 0) {
			err = rc;
			fprintf(stderr, "Error: capture: receive: %s\n",
				strerror(-rc));
			break;
		}
		if (!rc)
			continue;
		n++;
		if (pcap) {
			err = bw_pcap_write_packet(pcap, &p.ts, buf, p.caplen,
						   p.len);
			if (!err && fflush(pcap))
				err = -errno;
			if (err) {
				fprintf(stderr, "Error: capture: writing %s: %s\n",
					c->capture_file, strerror(-err));
				break;
			}
		} else {
			print_line(&p, buf);
		}
	}
	fprintf(stderr, "capture: %llu packet%s captured\n",
		(unsigned long long)n, n == 1 ? "" : "s");
	free(buf);
	return err;
}

int bw_cli_capture(const struct bw_cli *c)
{
	struct bw_ir *ir = NULL;
	FILE *pcap = NULL;
	struct bw_diags d;
	int fd = -1, err;

	if (!c->words[0])
		return bw_cli_usage("capture needs an expression, e.g. capture ip saddr 192.0.2.1 tcp dport 22");
	bw_diags_init(&d);
	err = bw_capture_compile(c->words, &d, &ir);
	if (!err)
		fd = bw_drive_capture_open(ir, c->capture_dev, &d);
	bw_ir_free(&ir);
	if (!err && fd < 0)
		err = fd;
	if (err && !d.nerrors)
		fprintf(stderr, "Error: capture failed: %s\n", strerror(-err));
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	if (err)
		return BW_EXIT_ERROR;
	if (c->capture_file) {
		pcap = fopen(c->capture_file, "wb");
		if (!pcap) {
			fprintf(stderr, "Error: capture: cannot open %s: %s\n",
				c->capture_file, strerror(errno));
			close(fd);
			return BW_EXIT_ERROR;
		}
		err = bw_pcap_write_header(pcap);
		if (!err && fflush(pcap))
			err = -errno;
	}
	if (!err)
		err = capture_loop(c, fd, pcap);
	close(fd);
	if (pcap && fclose(pcap) && !err)
		err = -errno;
	return err ? BW_EXIT_ERROR : BW_EXIT_OK;
}
