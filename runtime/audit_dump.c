// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall -d: the audit hook a load would choose (o->audit, as
 * bw_rt_audit_prepare decides it) and its programs, generated and
 * disassembled like the packet programs.  No kernel, no root: the cgroup
 * and kprobe are not opened, the ringbuf is not made.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "runtime.h"
#include "../compiler/codegen.h"
#include "../compiler/optimize.h"

/* as audit.c: perf_event_open's kprobe PMU is what attaching needs */
#define KPROBE_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"

struct audit_choice {
	const char *text;		/* "# audit: ..." */
	enum bw_hook hook[2];
	int nhook;
	bool enforce;
};

static int choose(const struct bw_rt_opts *o, struct audit_choice *c)
{
	enum bw_audit_mode mode = o ? o->audit : BW_AUDIT_OFF;
	bool kprobes = !access(KPROBE_PMU_TYPE, R_OK);

	c->enforce = o && o->audit_enforce;
	if (mode == BW_AUDIT_OFF)
		return 0;
	if (mode == BW_AUDIT_TRACEPOINT) {
		c->text = "tracepoint sys_enter_connect";
		c->hook[c->nhook++] = BW_HOOK_TRACEPOINT;
		return 0;
	}
	if (mode == BW_AUDIT_KPROBE ||
	    (mode == BW_AUDIT_AUTO && kprobes && !o->audit_cgroup)) {
		c->text = "kprobe tcp_v4_connect/tcp_v6_connect";
		c->hook[c->nhook++] = BW_HOOK_KPROBE;
		return 0;
	}
	c->text = mode == BW_AUDIT_AUTO && !kprobes ?
		"cgroup connect4/connect6 (this kernel has no kprobes)" :
		c->enforce ? "cgroup connect4/connect6 (enforce)" :
			     "cgroup connect4/connect6";
	c->hook[c->nhook++] = BW_HOOK_CONNECT4;
	c->hook[c->nhook++] = BW_HOOK_CONNECT6;
	return 0;
}

int bw_rt_audit_hooks(const struct bw_rt_opts *o, enum bw_hook hook[2],
		      bool *enforce)
{
	struct audit_choice c = { 0 };

	choose(o, &c);
	for (int i = 0; i < c.nhook; i++)
		hook[i] = c.hook[i];
	*enforce = c.enforce;
	return c.nhook;
}

int bw_rt_audit_dump(const struct bw_ir *ir, const struct bw_rt_opts *o,
		     FILE *out, struct bw_diags *d)
{
	struct audit_choice c = { 0 };
	int err = choose(o, &c);

	if (err || !c.text)
		return err;
	if (out)
		fprintf(out, "\n# audit: %s\n", c.text);
	for (int i = 0; !err && i < c.nhook; i++) {
		struct bw_codegen_opts co = {
			.enforce = c.enforce && (c.hook[i] == BW_HOOK_CONNECT4 ||
						 c.hook[i] == BW_HOOK_CONNECT6),
		};
		struct bw_opt_plan *plan = NULL;
		struct bw_prog *p = NULL;

		err = bw_optimize(ir, NULL, &plan);	/* as audit.c */
		co.plan = plan;
		if (!err)
			err = bw_codegen(ir, c.hook[i], NULL, &co, d, &p);
		bw_opt_plan_free(&plan);
		if (err)
			break;
		if (out) {
			fprintf(out, "\n# hook audit (%s), %s: %u instructions\n",
				bw_hook_info(c.hook[i])->name,
				c.hook[i] == BW_HOOK_KPROBE ?
				"tcp_v4_connect and tcp_v6_connect" :
				c.hook[i] == BW_HOOK_TRACEPOINT ?
				"syscalls/sys_enter_connect" :
				o->audit_cgroup ? o->audit_cgroup :
				"the cgroup v2 root", p->ninsn);
			bw_disasm(p, out);
		}
		bw_prog_free(&p);
	}
	return err;
}
