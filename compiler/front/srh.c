// SPDX-License-Identifier: GPL-2.0-only
/* nft's srh fields (srh.h). */
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "rawpay.h"
#include "srh.h"
#include "view.h"

_Static_assert(BW_SRH_STEPS == 2 * BW_IP6_EXT_MAX + 1, "the walk's bound");

bool bw_srh_parse(const char *field, struct bw_rawpay *out)
{
	out->base = BW_RAW_RT;
	if (!strcmp(field, "last-entry")) {
		out->off = 32;
		out->len = 8;
	} else if (!strcmp(field, "flags")) {
		out->off = 40;
		out->len = 8;
	} else if (!strcmp(field, "tag")) {
		out->off = 48;
		out->len = 16;
	} else if (!strcmp(field, "sid[1]") || !strcmp(field, "sid[2]")) {
		out->off = (uint16_t)(64 + 128 * (field[4] - '1'));
		out->len = 128;
	} else {
		return false;
	}
	return true;
}

bool bw_srh_find(const uint8_t *pkt, size_t end, size_t at, uint8_t nh,
		 size_t *out)
{
	for (int i = 0; i < BW_SRH_STEPS; i++) {
		size_t len;

		if (nh == IPPROTO_ROUTING) {
			*out = at;
			return true;
		}
		if (!bw_view_ip6_exthdr(nh) || at + 4 > end)
			return false;
		if (nh == IPPROTO_FRAGMENT) {
			/* a later fragment: what follows is payload */
			if ((pkt[at + 2] << 8 | pkt[at + 3]) & 0xfff8)
				return false;
			len = 8;
		} else if (nh == IPPROTO_AH) {
			len = ((size_t)pkt[at + 1] + 2) * 4;
		} else {
			len = ((size_t)pkt[at + 1] + 1) * 8;
		}
		nh = pkt[at];
		at += len;
	}
	return false;
}
