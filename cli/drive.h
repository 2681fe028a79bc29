/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compile -> build -> runtime: the one place that asks the runtime what
 * it knows of the host (runtime.h bw_rt_host_open), runs the build step
 * once (compiler/bpf/build.h) and hands the finished build to the runtime,
 * which only creates maps, loads, attaches and pins.  bpfwall's
 * commands, its iptables front end, the tests and the benches go
 * through here; runtime/ calls no part of the compiler that reads rule
 * text and runs no optimizer or code generator for a load.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "runtime/runtime.h"

/* The build of ir: for a load on this host (host: its interfaces, DNAT
 * that forbids hoisting), or as -c and -d show it (none); trace: the
 * trace builds.  Errors in d. */
int bw_drive_build(const struct bw_ir *ir, const struct bw_rt_opts *o,
		   bool host, bool trace, struct bw_diags *d,
		   struct bw_build **out);

/* bpfwall -f: the pin dir locked, ir built for this host, loaded and
 * swapped in (runtime.h bw_rt_apply_begin, _pin, _end). */
int bw_drive_apply(const struct bw_ir *ir, const struct bw_rt_opts *o,
		   struct bw_diags *d);
/* bpfwall -c as root: built as -c shows it, then bw_rt_verify. */
int bw_drive_verify(const struct bw_ir *ir, const struct bw_rt_opts *o,
		    struct bw_diags *d);
/* bpfwall -d (and -c without root, out NULL): every program of the
 * build, each block of code under the source line it came from, then
 * the audit hook o->audit would choose ("# audit: ..." and its
 * programs).  No kernel, no root. */
int bw_drive_dump(const struct bw_ir *ir, const struct bw_rt_opts *o,
		  FILE *out, struct bw_diags *d);
/* The same, the audit hook's programs only. */
int bw_drive_audit_dump(const struct bw_ir *ir, const struct bw_rt_opts *o,
			FILE *out, struct bw_diags *d);
/* The audit hook's programs through the verifier (root). */
int bw_drive_audit_verify(const struct bw_ir *ir, const struct bw_rt_opts *o,
			  struct bw_diags *d);

/* The build's programs as a runtime plan (runtime/rt.h), nothing loaded:
 * for the tests that load each program on its own. */
struct bw_rt_plan;
int bw_drive_plan(struct bw_rt_plan *pl, const struct bw_ir *ir, bool host,
		  const struct bw_rt_opts *o, bool trace, struct bw_diags *d);

/* trace and the tests: the test builds of ir (compiler/bpf/build.h
 * bw_build_test, bw_build_path) loaded unattached (runtime.h
 * bw_rt_testprog_load, bw_rt_testpath_load).  o NULL: the defaults. */
struct bw_build_test_opts;
struct bw_build_path_opts;
int bw_drive_testprog_load(const struct bw_ir *ir, enum bw_hook hook,
			   const char *ifname, const struct bw_build_test_opts *o,
			   const struct bw_rt_testprog *share_ct,
			   struct bw_diags *d, struct bw_rt_testprog **out);
int bw_drive_testpath_load(const struct bw_ir *ir,
			   const struct bw_build_path_opts *o,
			   const struct bw_rt_testpath *share_ct,
			   struct bw_diags *d, struct bw_rt_testpath **out);

/* bpfwall capture: the socket filter of ir's capture chain on a packet
 * socket (runtime/capture.h bw_rt_capture_open); fd or -errno. */
int bw_drive_capture_open(const struct bw_ir *ir, const char *ifname,
			  struct bw_diags *d);
