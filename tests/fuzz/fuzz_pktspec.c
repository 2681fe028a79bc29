// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: packet specs (trace's and the verdict tests'
 * PACKET) and the packet builder, then the reference parser on what was
 * built.  See fuzz_compile.c for how it is built and run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/front/compile.h"
#include "compiler/interp/pktbuild.h"
#include "tests/fuzz/fuzz.h"
#include "compiler/front/view.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = bw_fuzz_text(data, size);
	struct bw_pkt_spec *s = NULL;
	uint8_t pkt[BW_PKT_MAX];
	struct bw_diags d;

	if (!text)
		return 0;
	bw_diags_init(&d);
	if (!bw_pkt_spec_parse("packet", text, &d, &s)) {
		int n = bw_pkt_build(s, pkt, sizeof(pkt), &d);

		if (n > 0) {
			struct bw_view v;
			enum bw_reason why;

			bw_view_parse(pkt, (size_t)n, &v, &why);
		}
		bw_pkt_spec_free(&s);
	}
	bw_fuzz_done(&d, text);
	return 0;
}
