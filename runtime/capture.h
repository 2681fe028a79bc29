/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `bpfwall capture`: a packet socket filtered by a compiled socket-filter
 * program (compiler/front/capture.h gives the IR), and a pcap writer.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "grammar/diag.h"
#include "compiler/front/ir.h"

/*
 * Load p, the BW_HOOK_SOCKET program of a capture chain, with its maps
 * (the caller builds both: compiler/bpf/build.h bw_build_capture), open an AF_PACKET
 * SOCK_RAW socket, attach the program (SO_ATTACH_BPF), then bind it to
 * ETH_P_ALL on ifname (NULL: every interface), so no packet reaches the
 * socket unfiltered.  Returns the socket fd or -errno (with an error
 * queued in d).
 */
struct bw_prog;
struct bw_map_specs;
int bw_rt_capture_open(const struct bw_map_specs *maps, const struct bw_prog *p,
		       const char *ifname, struct bw_diags *d);

struct bw_rt_pkt {
	struct timespec ts;		/* CLOCK_REALTIME at receipt */
	uint32_t ifindex;
	uint8_t pkttype;		/* PACKET_HOST, PACKET_OUTGOING, ... */
	uint32_t caplen;		/* bytes in buf */
	uint32_t len;			/* bytes on the wire */
};

/* Wait up to timeout_ms for one packet.  Returns 1 (a packet in buf), 0
 * (timeout or a signal), or -errno. */
int bw_rt_capture_recv(int fd, uint8_t *buf, size_t cap, int timeout_ms,
		       struct bw_rt_pkt *pkt);

/* Classic libpcap file format (microsecond time stamps, this host's byte
 * order, LINKTYPE_ETHERNET, snap length 65535). */
#define BW_PCAP_SNAPLEN		65535
#define BW_PCAP_LINKTYPE_ETHERNET 1

/* The 24-byte global header; 0 or -errno. */
int bw_pcap_write_header(FILE *f);
/* One 16-byte record header and caplen bytes of data; 0 or -errno. */
int bw_pcap_write_packet(FILE *f, const struct timespec *ts,
			 const uint8_t *data, uint32_t caplen, uint32_t len);
