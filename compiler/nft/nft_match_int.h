/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What nft_match.c and its parts (nft_cmp.c, nft_compat.c) share.
 */
#pragma once

#include "nft_int.h"

/* nft_match.c */
const struct bw_kfield *bw_nft_rkf(const struct bw_nft_rctx *x,
				   enum bw_field_id f);
void bw_nft_to_host(uint8_t *v, uint32_t n);
bool bw_nft_field_mask(const struct bw_field *f, const struct bw_kfield *kf,
		       uint8_t *m);
void bw_nft_load(struct bw_nft_rctx *x, const struct bw_field *f,
		 const struct bw_kfield *kf, uint32_t len, uint32_t reg,
		 bool mask);
void bw_nft_byteorder(struct bw_nft_rctx *x, uint32_t reg, uint32_t len);

/* nft_cmp.c */
int bw_nft_connlimit(struct bw_nft_rctx *x, const struct bw_ir_match *m);
int bw_nft_compare_match(struct bw_nft_rctx *x, const struct bw_ir_match *m);

/* nft_compat.c */
int bw_nft_xt_tcp_option(struct bw_nft_rctx *x, const struct bw_ir_match *m);
int bw_nft_xt_owner(struct bw_nft_rctx *x, const struct bw_ir_match *m);
int bw_nft_xt_multiport(struct bw_nft_rctx *x, const struct bw_ir_match *m);
