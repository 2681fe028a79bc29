/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What diff_view.c and its frame generator (diff_frames.c) share: the
 * main random stream, the frame builders, and the recent frames the
 * conntrack frames replay.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Pools shared by the frame generator and the optimizer ruleset (each
 * file its copy; the values are what count). */
static const uint32_t ip4_pool[] = { 0xc0000201, 0xc0000202, 0xc0000263,
				     0xc6336407, 0xcb007109, 0xcb007100 };
static const char *const ip6_pool[] = {
	"2001:db8::1", "2001:db8::2", "2001:db8:1::7", "2001:db8::ffff:0:0:1",
	"fe80::1", "::1",
};
static const uint16_t ports[] = { 22, 25, 53, 80, 123, 443, 8000, 8080, 8081,
				  40000, 0, 65535, 1023 };
static const uint8_t tflags[] = { 0x02, 0x12, 0x10, 0x11, 0x04, 0x03, 0x18, 0x00, 0xff, 0x06 };

#define DV_RECENT	16
struct dv_frame {
	uint8_t b[1024];
	size_t n;
};
extern struct dv_frame dv_recent[DV_RECENT];
extern unsigned dv_nrecent;

/* diff_view.c */
uint64_t dv_rnd(void);
uint32_t dv_rn(uint32_t n);
bool dv_chance(unsigned percent);

/* diff_frames.c */
uint32_t dv_trn(uint32_t n);
uint64_t dv_mono_ns(void);
size_t dv_ct_frame(uint8_t *out);
size_t dv_gen_frame(uint8_t *out);
size_t dv_tun_frame(uint8_t *out);
size_t dv_sctp_frame(uint8_t *out);
