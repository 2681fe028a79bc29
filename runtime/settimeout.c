// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set timeouts in the runtime (settimeout.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "settimeout.h"

uint64_t bw_rt_set_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts))
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void bw_rt_set_expiry(struct bw_set_value *v, uint64_t now)
{
	if (v->expires)
		v->expires += now;
}

bool bw_rt_set_expired(const struct bw_set_value *v, uint64_t now)
{
	return v->expires && v->expires <= now;
}

int bw_rt_set_fill_vals(const struct bw_map_spec *m, uint8_t **out)
{
	struct bw_set_value *v;
	uint64_t now;
	bool any = false;

	*out = NULL;
	if (m->id < BW_MAP_SET_BASE || m->value_size != sizeof(*v) || !m->nfill)
		return 0;
	for (uint32_t i = 0; i < m->nfill && !any; i++) {
		struct bw_set_value x;

		memcpy(&x, m->vals + (size_t)i * sizeof(x), sizeof(x));
		any = x.expires != 0;
	}
	if (!any)
		return 0;
	v = malloc((size_t)m->nfill * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memcpy(v, m->vals, (size_t)m->nfill * sizeof(*v));
	now = bw_rt_set_now();
	for (uint32_t i = 0; i < m->nfill; i++)
		bw_rt_set_expiry(&v[i], now);
	*out = (uint8_t *)v;
	return 0;
}

uint32_t bw_rt_set_left_ms(const struct bw_set_value *v, uint64_t now)
{
	uint64_t ms;

	if (!v->expires || v->expires <= now)
		return 0;
	ms = (v->expires - now) / 1000000;
	return ms > UINT32_MAX ? UINT32_MAX : ms ? (uint32_t)ms : 1;
}
