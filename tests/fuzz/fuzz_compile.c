// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the compiler.  The input is a rule file: it is parsed
 * and evaluated (errors are printed, with their carets, to /dev/null), and
 * when it compiles, optimized and generated for both hooks and every
 * device it names, and a few packets are run through the interpreter.
 * Nothing may crash, leak or read out of bounds, and no program may fail
 * the emitter's flow check (code the verifier refuses); built with ASan/UBSan by
 * `configure CC=clang --enable-sanitizers --enable-fuzzers` (run by
 * tests/fuzz/fuzz.sh, from the README's test command).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/bpf/codegen.h"
#include "compiler/front/compile.h"
#include "compiler/interp/interp.h"
#include "compiler/opt/optimize.h"
#include "compiler/interp/pktbuild.h"
#include "tests/fuzz/fuzz.h"

static const char *const packets[] = {
	"ip saddr 192.0.2.1 tcp dport 22 tcp flags syn",
	"ip6 saddr 2001:db8::1 udp dport 53",
	"ether type arp",
	"ip daddr 198.51.100.7 icmp type echo-request packet vlans 2",
};

static void run_packets(const struct bw_ir *ir, const char *dev)
{
	static uint8_t pkt[4][BW_PKT_MAX];
	static int len[4];
	static bool built;

	if (!built) {
		for (int i = 0; i < 4; i++) {
			struct bw_pkt_spec *s = NULL;
			struct bw_diags d;

			bw_diags_init(&d);
			if (!bw_pkt_spec_parse("pkt", packets[i], &d, &s))
				len[i] = bw_pkt_build(s, pkt[i], sizeof(pkt[i]), &d);
			bw_pkt_spec_free(&s);
			bw_diags_fini(&d);
		}
		built = true;
	}
	for (int i = 0; i < 4; i++)
		for (int eg = 0; eg < 2 && len[i] > 0; eg++) {
			struct bw_interp_state st = { 0 };
			struct bw_interp_ctx c = { .egress = eg, .ifname = dev,
						   .state = &st };
			struct bw_interp_result r;

			st.limit = calloc(ir->nlimit + 1, sizeof(*st.limit));
			if (st.limit)
				bw_interp_run_ctx(ir, &c, pkt[i], (size_t)len[i], &r);
			bw_interp_state_fini(&st);
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = bw_fuzz_text(data, size);
	struct bw_ir *ir = NULL;
	struct bw_diags d;

	if (!text)
		return 0;
	bw_diags_init(&d);
	if (!bw_compile_string("fuzz.conf", text, &d, &ir)) {
		struct bw_opt_plan *plan = NULL;
		struct bw_codegen_opts co = { 0 };
		const char *dev = NULL;

		for (uint32_t c = 0; c < ir->nchain && !dev; c++)
			dev = ir->chain[c].device;
		if (!bw_optimize(ir, NULL, &plan))
			co.plan = plan;
		for (int h = 0; h < 2; h++)
			for (int k = 0; k < 2; k++) {
				struct bw_prog *p = NULL;

				int err;

				co.trace = k;
				err = bw_codegen(ir, h ? BW_HOOK_TC : BW_HOOK_XDP,
						 dev, &co, &d, &p);
				if (err == -EFAULT) {
					/* the emitter's flow check: code
					 * the verifier would refuse */
					bw_diags_print(&d, stderr);
					abort();
				}
				bw_prog_free(&p);
			}
		bw_opt_plan_free(&plan);
		run_packets(ir, dev);
		bw_ir_free(&ir);
	}
	bw_fuzz_done(&d, text);
	return 0;
}
