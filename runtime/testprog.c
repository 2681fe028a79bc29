// SPDX-License-Identifier: GPL-2.0-only
/*
 * trace and the verdict tests: the production and the trace build of one
 * attach point, loaded but not attached, run with BPF_PROG_TEST_RUN.  The
 * production build gives the verdict, the trace build the deciding rule;
 * both must agree on the verdict.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <linux/if_ether.h>

#include "compat.h"
#include "rt.h"

#define BW_RT_TEST_MAX	4096	/* output buffer; frames up to 3072 bytes */
#define BW_RT_FRAME_MAX	3072

struct bw_rt_testprog {
	enum bw_hook hook;
	const struct bw_hook_info *hi;
	struct bw_opt_plan *opt;
	/* each build its own maps: a packet runs through both, and what
	 * it changes (limits, conntrack) must change once per build */
	struct bw_rt_maps maps, tmaps;
	int prod_fd, trace_fd;
};

int bw_rt_testprog_load(const struct bw_ir *ir, enum bw_hook hook,
			const char *ifname, struct bw_diags *d,
			struct bw_rt_testprog **out)
{
	return bw_rt_testprog_load_opts(ir, hook, ifname, NULL, d, out);
}

int bw_rt_testprog_load_opts(const struct bw_ir *ir, enum bw_hook hook,
			     const char *ifname,
			     const struct bw_rt_testprog_opts *o,
			     struct bw_diags *d, struct bw_rt_testprog **out)
{
	struct bw_prog *prod = NULL, *trace = NULL;
	struct bw_codegen_opts co = { 0 };
	struct bw_rt_testprog *t;
	char what[64];
	int err;

	*out = NULL;
	bw_compat_memlock();
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->hook = hook;
	t->hi = bw_hook_info(hook);
	t->prod_fd = t->trace_fd = -1;
	bw_rt_maps_init(&t->maps);
	bw_rt_maps_init(&t->tmaps);
	if (!t->hi) {
		err = -EINVAL;
		goto fail;
	}
	err = bw_optimize(ir, NULL, &t->opt);
	if (err) {
		bw_error(d, NULL, "optimizer failed: %s", strerror(-err));
		goto fail;
	}
	co.plan = t->opt;
	co.ct_force = o ? o->ct_force : 0;
	err = bw_codegen(ir, hook, ifname, &co, d, &prod);
	if (!err) {
		co.trace = true;
		err = bw_codegen(ir, hook, ifname, &co, d, &trace);
	}
	if (err) {
		if (!d->nerrors)
			bw_error(d, NULL, "code generation failed: %s",
				 strerror(-err));
		goto fail;
	}
	if (o && o->share_ct && o->share_ct->maps.fd[BW_MAP_CT] >= 0) {
		t->maps.fd[BW_MAP_CT] = dup(o->share_ct->maps.fd[BW_MAP_CT]);
		t->tmaps.fd[BW_MAP_CT] = dup(o->share_ct->tmaps.fd[BW_MAP_CT]);
	}
	err = bw_rt_maps_create(&t->maps, ir, t->opt, false);
	if (!err)
		err = bw_rt_maps_create(&t->tmaps, ir, t->opt, true);
	if (err) {
		bw_error(d, NULL, "cannot create the ruleset's maps: %s",
			 strerror(-err));
		goto fail;
	}
	snprintf(what, sizeof(what), "%s%s%s", t->hi->name, ifname ? " on " : "",
		 ifname ? ifname : "");
	err = bw_rt_prog_load(prod, &t->maps, what, d);
	if (err < 0)
		goto fail;
	t->prod_fd = err;
	snprintf(what, sizeof(what), "%s%s%s (trace build)", t->hi->name,
		 ifname ? " on " : "", ifname ? ifname : "");
	err = bw_rt_prog_load(trace, &t->tmaps, what, d);
	if (err < 0)
		goto fail;
	t->trace_fd = err;
	bw_prog_free(&prod);
	bw_prog_free(&trace);
	*out = t;
	return 0;
fail:
	bw_prog_free(&prod);
	bw_prog_free(&trace);
	bw_rt_testprog_free(&t);
	return err;
}

static int run_one(const struct bw_rt_testprog *t, int fd, const uint8_t *pkt,
		   size_t len, uint32_t mark, uint32_t *retval)
{
	uint8_t out[BW_RT_TEST_MAX];
	struct __sk_buff skb = { .mark = mark };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (t->hi->prog_type == BPF_PROG_TYPE_SCHED_CLS) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	}
	if (bpf_prog_test_run_opts(fd, &o)) {
		int err = -errno;

		bw_rt_log("BPF_PROG_TEST_RUN: %s", strerror(errno));
		return err;
	}
	*retval = o.retval;
	return 0;
}

static int to_verdict(const struct bw_hook_info *hi, uint32_t rv,
		      enum bw_verdict *v)
{
	if ((int)rv == hi->verdict_accept)
		*v = BW_VERDICT_ACCEPT;
	else if ((int)rv == hi->verdict_drop)
		*v = BW_VERDICT_DROP;
	else if (hi->verdict_reject && (int)rv == hi->verdict_reject)
		*v = BW_VERDICT_REJECT;
	else
		return -EPROTO;
	return 0;
}

int bw_rt_testprog_run(struct bw_rt_testprog *t, const uint8_t *pkt,
		       size_t len, struct bw_rt_run_result *res)
{
	return bw_rt_testprog_run_mark(t, pkt, len, 0, res);
}

int bw_rt_testprog_run_mark(struct bw_rt_testprog *t, const uint8_t *pkt,
			    size_t len, uint32_t mark,
			    struct bw_rt_run_result *res)
{
	uint64_t before[BW_REASON__MAX], after;
	uint32_t key = 0, handle = 0, rv_trace = 0;
	enum bw_verdict vt;
	int err;

	memset(res, 0, sizeof(*res));
	if (len < ETH_HLEN || len > BW_RT_FRAME_MAX) {
		bw_rt_log("a %zu-byte frame cannot run through BPF_PROG_TEST_RUN (%d..%d bytes)",
			  len, ETH_HLEN, BW_RT_FRAME_MAX);
		return -EINVAL;
	}
	for (int r = 0; r < BW_REASON__MAX; r++)
		if (bw_rt_percpu_sum(t->maps.fd[BW_MAP_REASONS], (uint32_t)r, 1,
				     &before[r]))
			before[r] = 0;
	err = run_one(t, t->prod_fd, pkt, len, mark, &res->retval);
	if (err)
		return err;
	err = to_verdict(t->hi, res->retval, &res->verdict);
	if (err) {
		bw_rt_log("the program returned %u, neither accept nor drop",
			  res->retval);
		return err;
	}
	for (int r = 0; r < BW_REASON__MAX; r++) {
		if (bw_rt_percpu_sum(t->maps.fd[BW_MAP_REASONS], (uint32_t)r, 1,
				     &after))
			continue;
		if (after != before[r]) {
			res->malformed = true;
			res->reason = (enum bw_reason)r;
		}
	}
	if (bpf_map_update_elem(t->tmaps.fd[BW_MAP_TRACE], &key, &handle,
				BPF_ANY))
		return -errno;
	err = run_one(t, t->trace_fd, pkt, len, mark, &rv_trace);
	if (err)
		return err;
	if (bpf_map_lookup_elem(t->tmaps.fd[BW_MAP_TRACE], &key, &handle))
		return -errno;
	if (to_verdict(t->hi, rv_trace, &vt) || vt != res->verdict) {
		bw_rt_log("the trace build returned %u, the production build %u: codegen bug",
			  rv_trace, res->retval);
		return -EPROTO;
	}
	res->handle = handle;
	return 0;
}

void bw_rt_testprog_free(struct bw_rt_testprog **pt)
{
	struct bw_rt_testprog *t = *pt;

	if (!t)
		return;
	if (t->prod_fd >= 0)
		close(t->prod_fd);
	if (t->trace_fd >= 0)
		close(t->trace_fd);
	bw_rt_maps_close(&t->maps);
	bw_rt_maps_close(&t->tmaps);
	bw_opt_plan_free(&t->opt);
	free(t);
	*pt = NULL;
}
