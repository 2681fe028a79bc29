// SPDX-License-Identifier: GPL-2.0-only
/*
 * Classic pcap files (the format tcpdump -w writes and -r reads):
 *   global header  magic 0xa1b2c3d4, version 2.4, thiszone 0, sigfigs 0,
 *                  snaplen, linktype            (24 bytes)
 *   per packet     ts_sec, ts_usec, incl_len, orig_len (16 bytes), data
 * All in the writer's byte order: readers tell it by the magic.
 */
#include <errno.h>
#include <stdint.h>

#include "capture.h"

struct pcap_hdr {
	uint32_t magic;
	uint16_t version_major, version_minor;
	int32_t thiszone;
	uint32_t sigfigs;
	uint32_t snaplen;
	uint32_t linktype;
};

struct pcap_rec {
	uint32_t ts_sec, ts_usec;
	uint32_t incl_len, orig_len;
};

_Static_assert(sizeof(struct pcap_hdr) == 24, "pcap global header");
_Static_assert(sizeof(struct pcap_rec) == 16, "pcap record header");

int bw_pcap_write_header(FILE *f)
{
	struct pcap_hdr h = {
		.magic = 0xa1b2c3d4,
		.version_major = 2,
		.version_minor = 4,
		.snaplen = BW_PCAP_SNAPLEN,
		.linktype = BW_PCAP_LINKTYPE_ETHERNET,
	};

	if (fwrite(&h, sizeof(h), 1, f) != 1)
		return -EIO;
	return 0;
}

int bw_pcap_write_packet(FILE *f, const struct timespec *ts,
			 const uint8_t *data, uint32_t caplen, uint32_t len)
{
	struct pcap_rec r = {
		.ts_sec = (uint32_t)ts->tv_sec,
		.ts_usec = (uint32_t)(ts->tv_nsec / 1000),
		.incl_len = caplen > BW_PCAP_SNAPLEN ? BW_PCAP_SNAPLEN : caplen,
		.orig_len = len,
	};

	if (fwrite(&r, sizeof(r), 1, f) != 1 ||
	    (r.incl_len && fwrite(data, r.incl_len, 1, f) != 1))
		return -EIO;
	return 0;
}
