/* SPDX-License-Identifier: GPL-2.0-only */
/* The maps of a hand-made IR, for unit tests that load programs without
 * the build step: described (compiler/bpf/mapspec.h), then created. */
#pragma once

#include "compiler/bpf/mapspec.h"
#include "runtime/rt.h"

static inline int bwt_maps_create(struct bw_rt_maps *m, const struct bw_ir *ir,
				  const struct bw_opt_plan *plan, bool trace)
{
	struct bw_map_specs *s = NULL;
	int err = bw_map_specs_build(ir, plan, trace, &s);

	if (!err)
		err = bw_rt_maps_create(m, s);
	bw_map_specs_free(&s);
	return err;
}
