// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall -d: the audit hook a load would choose (o->audit, as
 * bw_rt_audit_prepare decides it) and its programs, made by the build
 * step (compiler/build.h) with the packet programs and disassembled like
 * them.  No kernel, no root: the cgroup and kprobe are not opened, the
 * ringbuf is not made.
 */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "rt.h"
#include "../compiler/codegen.h"

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

/* The plan's program at hook h, or NULL. */
static const struct bw_prog *plan_prog(const struct bw_rt_plan *pl,
				       enum bw_hook h)
{
	for (uint32_t i = 0; i < pl->naudit; i++)
		if (pl->audit[i]->hook == h)
			return pl->audit[i];
	return NULL;
}

void bw_rt_audit_print_plan(const struct bw_rt_plan *pl,
			    const struct bw_rt_opts *o, FILE *out)
{
	struct audit_choice c = { 0 };

	choose(o, &c);
	if (!c.text)
		return;
	fprintf(out, "\n# audit: %s\n", c.text);
	for (int i = 0; i < c.nhook; i++) {
		const struct bw_prog *p = plan_prog(pl, c.hook[i]);

		if (!p)
			continue;
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
}

int bw_rt_audit_dump(const struct bw_ir *ir, const struct bw_rt_opts *o,
		     FILE *out, struct bw_diags *d)
{
	struct bw_rt_plan pl;
	int err;

	bw_rt_plan_init(&pl);
	err = bw_rt_plan_build(&pl, ir, NULL, o, false, d);
	if (!err && out)
		bw_rt_audit_print_plan(&pl, o, out);
	bw_rt_plan_fini(&pl);
	return err;
}
