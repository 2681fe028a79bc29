// SPDX-License-Identifier: GPL-2.0-only
/* compile -> build -> runtime (drive.h). */
#include <errno.h>
#include <stdio.h>

#include "drive.h"
#include "compiler/bpf/build.h"
#include "runtime/capture.h"
#include "runtime/rt.h"

int bw_drive_build(const struct bw_ir *ir, const struct bw_rt_opts *o,
		   bool host, bool trace, struct bw_diags *d,
		   struct bw_build **out)
{
	struct bw_rt_host h;
	int err;

	*out = NULL;
	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_host_open(&h, o, trace, host, d);
	if (!err)
		err = bw_build(ir, &h.env, d, out);
	bw_rt_host_close(&h);
	return err;
}

int bw_drive_apply(const struct bw_ir *ir, const struct bw_rt_opts *o,
		   struct bw_diags *d)
{
	struct bw_build *b = NULL;
	struct bw_rt_pin *pin = NULL;
	int err = bw_rt_apply_begin(o, &pin, d);

	/* built under the lock: the interfaces, the DNAT the load meets */
	if (!err)
		err = bw_drive_build(ir, o, true, false, d, &b);
	if (!err)
		err = bw_rt_apply_pin(ir, b, o, pin, d);
	bw_rt_apply_end(&pin, err);
	bw_build_free(&b);
	return err;
}

int bw_drive_verify(const struct bw_ir *ir, const struct bw_rt_opts *o,
		    struct bw_diags *d)
{
	struct bw_build *b = NULL;
	int err = bw_drive_build(ir, o, false, false, d, &b);

	if (!err)
		err = bw_rt_verify(ir, b, o, d);
	bw_build_free(&b);
	return err;
}

static int dump(const struct bw_ir *ir, const struct bw_rt_opts *o,
		FILE *out, bool audit_only, struct bw_diags *d)
{
	struct bw_build *b = NULL;
	struct bw_build_env env;
	int err;

	bw_rt_build_env(o, false, &env);
	err = bw_build(ir, &env, d, &b);
	if (!err && out && audit_only)
		bw_build_print_audit(b, &env, out);
	else if (!err && out)
		bw_build_print(ir, b, &env, out);
	bw_build_free(&b);
	return err;
}

int bw_drive_dump(const struct bw_ir *ir, const struct bw_rt_opts *o,
		  FILE *out, struct bw_diags *d)
{
	return dump(ir, o, out, false, d);
}

int bw_drive_audit_dump(const struct bw_ir *ir, const struct bw_rt_opts *o,
			FILE *out, struct bw_diags *d)
{
	return dump(ir, o, out, true, d);
}

int bw_drive_audit_verify(const struct bw_ir *ir, const struct bw_rt_opts *o,
			  struct bw_diags *d)
{
	struct bw_build *b = NULL;
	int err = bw_drive_build(ir, o, false, false, d, &b);

	if (!err)
		err = bw_rt_audit_verify(ir, b, d);
	bw_build_free(&b);
	return err;
}

int bw_drive_plan(struct bw_rt_plan *pl, const struct bw_ir *ir, bool host,
		  const struct bw_rt_opts *o, bool trace, struct bw_diags *d)
{
	struct bw_build *b = NULL;
	int err = bw_drive_build(ir, o, host, trace, d, &b);

	if (!err)
		err = bw_rt_plan_take(pl, b);
	bw_build_free(&b);
	return err;
}

int bw_drive_testprog_load(const struct bw_ir *ir, enum bw_hook hook,
			   const char *ifname, const struct bw_build_test_opts *o,
			   const struct bw_rt_testprog *share_ct,
			   struct bw_diags *d, struct bw_rt_testprog **out)
{
	static const struct bw_build_test_opts none;
	struct bw_build_test *b = NULL;
	int err;

	*out = NULL;
	err = bw_build_test(ir, hook, ifname, o ? o : &none, d, &b);
	if (!err)
		err = bw_rt_testprog_load(ir, b, share_ct, d, out);
	bw_build_test_free(&b);
	return err;
}

int bw_drive_testpath_load(const struct bw_ir *ir,
			   const struct bw_build_path_opts *o,
			   const struct bw_rt_testpath *share_ct,
			   struct bw_diags *d, struct bw_rt_testpath **out)
{
	struct bw_build_path *bp = NULL;
	int err;

	*out = NULL;
	err = bw_build_path(ir, o, d, &bp);
	if (!err)
		err = bw_rt_testpath_load(ir, bp, o->mark, share_ct, d, out);
	bw_build_path_free(&bp);
	return err;
}

int bw_drive_capture_open(const struct bw_ir *ir, const char *ifname,
			  struct bw_diags *d)
{
	struct bw_map_specs *maps = NULL;
	struct bw_prog *p = NULL;
	int err = bw_build_capture(ir, d, &p, &maps);

	if (!err)
		err = bw_rt_capture_open(maps, p, ifname, d);
	bw_prog_free(&p);
	bw_map_specs_free(&maps);
	return err;
}
