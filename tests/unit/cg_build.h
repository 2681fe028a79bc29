/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * test_codegen's IR and frame builders (cg_build.c).
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "compiler/front/ir.h"

#define DEV "bwcg0"		/* the device of netdev chains and the run */

struct fr {
	uint8_t b[512];
	size_t n;
};

/* cg_build.c */
struct bw_ir *cg_ir_new(void);
uint32_t cg_chain_add(struct bw_ir *ir, enum bw_family fam,
		      enum bw_chain_hook hook, int prio, enum bw_verdict policy);
uint32_t cg_rule_add(struct bw_ir *ir, uint32_t c, enum bw_verdict v,
		     bool counter);
struct bw_ir_rule *cg_last_rule(struct bw_ir *ir, uint32_t c);
struct bw_ir_match *cg_match_add(struct bw_ir *ir, uint32_t c,
				 enum bw_field_id f, bool neg);
void cg_elem_bytes(struct bw_ir_match *m, const uint8_t *lo,
		   const uint8_t *hi, const uint8_t *mask);
void cg_elem(struct bw_ir_match *m, uint64_t lo, uint64_t hi, uint64_t mask);
void cg_eq(struct bw_ir_match *m, uint64_t v);
uint32_t cg_ip4(const char *s);
void cg_ip6(const char *s, uint8_t out[16]);
void cg_prefix4(struct bw_ir_match *m, const char *addr, int len);
void cg_put(struct fr *f, const void *p, size_t n);
void cg_put8(struct fr *f, uint8_t v);
void cg_put16(struct fr *f, uint16_t v);
void cg_put32(struct fr *f, uint32_t v);
void cg_eth(struct fr *f, uint16_t type);
void cg_vlan(struct fr *f, uint16_t tci, uint16_t inner);
size_t cg_iph(struct fr *f, uint8_t proto, uint32_t s, uint32_t d,
	      uint16_t frag, int ihl);
void cg_fix4(struct fr *f, size_t at);
size_t cg_ip6h(struct fr *f, uint8_t nh, const char *s, const char *d);
void cg_fix6(struct fr *f, size_t at);
void cg_tcph(struct fr *f, uint16_t sp, uint16_t dp, uint8_t flags, int doff);
void cg_udph(struct fr *f, uint16_t sp, uint16_t dp);
void cg_tcp4(struct fr *f, const char *s, const char *d, uint16_t sp,
	     uint16_t dp, uint8_t flags);
void cg_udp4(struct fr *f, const char *s, const char *d, uint16_t sp,
	     uint16_t dp);
void cg_tcp6(struct fr *f, const char *s, const char *d, uint16_t dp);
