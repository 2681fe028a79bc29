/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The values of nft's meta types (fields.h BW_T_UID .. BW_T_BOOL): user
 * and group names, device groups and realms by their iproute2 names,
 * interface types, tc handles, dates, times of day and week days, as nft
 * reads and lists them.  Times are local time, converted at load (nft
 * converts with the time zone of the `nft` process, the kernel compares
 * with UTC).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fields.h"

/* Whether t is one of the types of this module. */
bool bw_meta_type(enum bw_type t);

/* Text of a value of type t (a word, a quoted string's contents or a
 * number) -> *v.  0, or -EINVAL with a message in err. */
int bw_meta_value_parse(enum bw_type t, const char *text, uint64_t *v,
			char *err, size_t errlen);

/* v as nft lists it (names quoted where nft quotes them). */
void bw_meta_value_format(enum bw_type t, uint64_t v, char *buf, size_t len);

/* The time zone's offset from UTC in seconds now (east positive). */
long bw_meta_tz_offset(void);
