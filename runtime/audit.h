/* SPDX-License-Identifier: GPL-2.0-only */
/* The audit hook's runtime (audit.c), internal to runtime/. */
#pragma once

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "runtime.h"

struct bw_rt_pin;
struct bw_rt_plan;

/* The cgroup v2 mount point (from /proc/self/mountinfo) into buf. */
int bw_rt_cgroup2_root(char *buf, size_t len);
/*
 * The audit hook of one load, in two steps around the packet programs'
 * swap, so that a failure leaves the running ruleset as it was:
 * prepare decides the hook (o->audit, o->audit_cgroup), opens the cgroup or
 * the kprobe events, and loads and verifies the programs and maps; commit
 * attaches (or updates in place) and pins them.  0 or -errno (queued in d).
 */
struct bw_rt_audit {
	enum bw_audit_mode mode;	/* resolved: OFF, CGROUP, KPROBE or TRACEPOINT */
	bool keep;			/* OFF by necessity: leave the old hook */
	int prog[2];			/* cgroup: connect4, connect6; kprobe, tracepoint: [0] */
	int kev[2];			/* kprobe perf events; tracepoint: [0] */
	int cg, rb, rules, info;
	char cgpath[PATH_MAX];
	char text[PATH_MAX + 64];	/* what `list ruleset` says */
	/* the load's plan: the audit programs of its build, and the
	 * packet programs' set maps (shared, so that add element reaches
	 * the audit hook too) */
	const struct bw_rt_plan *pl;
};

void bw_rt_audit_init(struct bw_rt_audit *a);
/* pl: the load's plan, loaded (its audit programs, its maps). */
int bw_rt_audit_prepare(const struct bw_ir *ir, const struct bw_rt_opts *o,
			const struct bw_rt_pin *pin, const struct bw_rt_plan *pl,
			struct bw_rt_audit *a, struct bw_diags *d);
int bw_rt_audit_commit(struct bw_rt_audit *a, const struct bw_rt_pin *pin,
		       struct bw_diags *d);
void bw_rt_audit_fini(struct bw_rt_audit *a);
/* "cgroup connect4/connect6 on PATH", or -ENOENT when none is attached. */
int bw_rt_audit_describe(const struct bw_rt_pin *pin, char *buf, size_t len);
