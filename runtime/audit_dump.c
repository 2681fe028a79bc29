// SPDX-License-Identifier: GPL-2.0-only
/*
 * The audit hook a load would choose (o->audit, as bw_rt_audit_prepare
 * decides it from the host), as the build step takes it (compiler/bpf/build.h
 * makes and prints its programs; cli/drive.c asks).  No kernel, no root: the cgroup and
 * kprobe are not opened, the ringbuf is not made.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rt.h"
#include "compiler/bpf/build.h"

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

void bw_rt_audit_env(const struct bw_rt_opts *o, struct bw_build_audit *a)
{
	struct audit_choice c = { 0 };

	choose(o, &c);
	memset(a, 0, sizeof(*a));
	for (int i = 0; i < c.nhook; i++)
		a->hook[a->nhook++] = c.hook[i];
	a->enforce = c.enforce;
	a->what = c.text;
	a->cgroup = o ? o->audit_cgroup : NULL;
}
