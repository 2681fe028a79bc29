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
#include "compiler/bpf/build.h"
#include "compiler/interp/ct.h"

#define BW_RT_TEST_MAX	4096	/* output buffer; frames up to 3072 bytes */
#define BW_RT_FRAME_MAX	3072

struct bw_rt_testprog {
	enum bw_hook hook;
	const struct bw_hook_info *hi;
	/* each build its own maps: a packet runs through both, and what
	 * it changes (limits, conntrack) must change once per build */
	struct bw_rt_maps maps, tmaps;
	int prod_fd, trace_fd;
	uint8_t nf_hook, nf_pf;		/* the next netfilter run's */
};

static int share_sets(struct bw_rt_testprog *t, const struct bw_rt_testpath *a,
		      const struct bw_rt_testpath *b);

/* A test build: its maps (each build its own, but conntrack and the
 * sets: those of share_ct, and of the programs of paths a and b), then
 * both programs. */
static int testprog_load(const struct bw_ir *ir, const struct bw_build_test *b,
			 const struct bw_rt_testprog *share_ct,
			 const struct bw_rt_testpath *sets_a,
			 const struct bw_rt_testpath *sets_b,
			 struct bw_diags *d, struct bw_rt_testprog **out)
{
	const char *ifname = b->ifname[0] ? b->ifname : NULL;
	struct bw_rt_testprog *t;
	char what[96];
	int err;

	*out = NULL;
	bw_compat_memlock();
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->hook = b->hook;
	t->hi = bw_hook_info(b->hook);
	t->prod_fd = t->trace_fd = -1;
	bw_rt_maps_init(&t->maps);
	bw_rt_maps_init(&t->tmaps);
	if (share_ct && share_ct->maps.fd[BW_MAP_CT] >= 0) {
		t->maps.fd[BW_MAP_CT] = dup(share_ct->maps.fd[BW_MAP_CT]);
		t->tmaps.fd[BW_MAP_CT] = dup(share_ct->tmaps.fd[BW_MAP_CT]);
	}
	err = bw_rt_maps_create(&t->maps, b->maps);
	if (!err)
		err = bw_rt_maps_create(&t->tmaps, b->tmaps);
	if (!err)
		err = share_sets(t, sets_a, sets_b);
	if (err) {
		bw_error(d, NULL, "cannot create the ruleset's maps: %s",
			 strerror(-err));
		goto fail;
	}
	snprintf(what, sizeof(what), "%s%s%s", t->hi->name, ifname ? " on " : "",
		 ifname ? ifname : "");
	err = bw_rt_prog_load(b->prod, &t->maps, what, d);
	if (err < 0)
		goto fail;
	t->prod_fd = err;
	snprintf(what, sizeof(what), "%s%s%s (trace build)", t->hi->name,
		 ifname ? " on " : "", ifname ? ifname : "");
	err = bw_rt_prog_load(b->trace, &t->tmaps, what, d);
	if (err < 0)
		goto fail;
	t->trace_fd = err;
	*out = t;
	return 0;
fail:
	bw_rt_testprog_free(&t);
	return err;
}

int bw_rt_testprog_load(const struct bw_ir *ir, const struct bw_build_test *b,
			const struct bw_rt_testprog *share_ct,
			struct bw_diags *d, struct bw_rt_testprog **out)
{
	return testprog_load(ir, b, share_ct, NULL, NULL, d, out);
}

static int run_one(const struct bw_rt_testprog *t, int fd, const uint8_t *pkt,
		   size_t len, uint32_t mark, uint32_t *retval)
{
	uint8_t out[BW_RT_TEST_MAX];
	struct __sk_buff skb = { .mark = mark };
	/* struct nf_hook_state: hook, pf; the kernel fills the device */
	uint8_t nf[48] = { t->nf_hook, t->nf_pf };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = pkt,
		    .data_size_in = (uint32_t)len, .data_out = out,
		    .data_size_out = sizeof(out), .repeat = 1);

	if (t->hi->prog_type == BPF_PROG_TYPE_SCHED_CLS) {
		o.ctx_in = &skb;
		o.ctx_size_in = sizeof(skb);
	} else if (t->hook == BW_HOOK_NF) {
		o.ctx_in = nf;
		o.ctx_size_in = sizeof(nf);
		o.data_out = NULL;	/* netfilter runs give nothing back */
		o.data_size_out = 0;
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
	if (len < (t->hook == BW_HOOK_NF ? 20 : ETH_HLEN) || len > BW_RT_FRAME_MAX) {
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

int bw_rt_testprog_run_nf(struct bw_rt_testprog *t, const uint8_t *pkt,
			  size_t len, uint8_t hook, uint8_t pf,
			  struct bw_rt_run_result *res)
{
	t->nf_hook = hook;
	t->nf_pf = pf;
	return bw_rt_testprog_run_mark(t, pkt, len, 0, res);
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
	free(t);
	*pt = NULL;
}

/* ------------------------------------------------------------ the path */

struct stage {
	/* a device's program: t[0]; a netfilter hook's: t[0] for IPv4,
	 * t[1] for IPv6 (NULL: no chain there for that family) */
	struct bw_rt_testprog *t[2];
	bool nf;
	uint8_t nf_hook;
};

struct bw_rt_testpath {
	struct stage *st;
	uint32_t n;
	uint32_t mark;
};

/* Set table i's map of the programs of path p (production maps, else the
 * trace build's), or -1. */
static int set_fd(const struct bw_rt_testpath *p, uint32_t i, bool trace)
{
	for (uint32_t s = 0; p && s < p->n; s++)
		for (int k = 0; k < 2; k++) {
			const struct bw_rt_testprog *o = p->st[s].t[k];
			const struct bw_rt_maps *m = o ? (trace ? &o->tmaps : &o->maps) : NULL;

			if (m && i < m->nset && m->set[i] >= 0)
				return m->set[i];
		}
	return -1;
}

/* One map per set for the whole file, as the runtime has one per set for
 * the ruleset: the sets rules change (add @s) change for every program
 * that looks them up, whatever the path and the family. */
static int share_sets(struct bw_rt_testprog *t, const struct bw_rt_testpath *a,
		      const struct bw_rt_testpath *b)
{
	for (int trace = 0; trace < 2; trace++) {
		struct bw_rt_maps *m = trace ? &t->tmaps : &t->maps;

		for (uint32_t i = 0; i < m->nset; i++) {
			int from = set_fd(a, i, trace), fd;

			if (from < 0)
				from = set_fd(b, i, trace);
			if (from < 0 || m->set[i] < 0)
				continue;
			fd = dup(from);
			if (fd < 0)
				return -errno;
			close(m->set[i]);
			m->set[i] = fd;
		}
	}
	return 0;
}

void bw_rt_testpath_set_mark(struct bw_rt_testpath *tp, uint32_t mark)
{
	tp->mark = mark;
}

bool bw_rt_testpath_zero_dmac(const struct bw_ir *ir, bool nf)
{
	/* a raw payload (@ll) may read the frame's destination too */
	for (int f = BW_F_RAW8; f <= BW_F_RAW128; f++)
		if (bw_ir_uses_field(ir, (enum bw_field_id)f))
			return false;
	return nf && !bw_ir_uses_field(ir, BW_F_ETHER_DADDR);
}

void bw_rt_testpath_free(struct bw_rt_testpath **ptp)
{
	struct bw_rt_testpath *tp = *ptp;

	if (!tp)
		return;
	for (uint32_t i = 0; i < tp->n; i++) {
		bw_rt_testprog_free(&tp->st[i].t[0]);
		bw_rt_testprog_free(&tp->st[i].t[1]);
	}
	free(tp->st);
	free(tp);
	*ptp = NULL;
}

static struct stage *add_stage(struct bw_rt_testpath *tp)
{
	struct stage *v = reallocarray(tp->st, tp->n + 1, sizeof(*v));

	if (!v)
		return NULL;
	tp->st = v;
	memset(&v[tp->n], 0, sizeof(v[tp->n]));
	return &v[tp->n++];
}

int bw_rt_testpath_load(const struct bw_ir *ir, const struct bw_build_path *bp,
			uint32_t mark, const struct bw_rt_testpath *share_ct,
			struct bw_diags *d, struct bw_rt_testpath **out)
{
	struct bw_rt_testpath *tp = calloc(1, sizeof(*tp));
	int err = 0;

	*out = NULL;
	if (!tp)
		return -ENOMEM;
	tp->mark = mark;
	for (uint32_t i = 0; !err && i < bp->n; i++) {
		const struct bw_build_stage *bs = &bp->st[i];
		/* a device's program shares the other path's conntrack */
		const struct bw_rt_testprog *share =
			!bs->nf && share_ct && share_ct->n ?
			share_ct->st[0].t[0] : NULL;
		struct stage *s = add_stage(tp);

		if (!s) {
			err = -ENOMEM;
			break;
		}
		s->nf = bs->nf;
		s->nf_hook = bs->nf_hook;
		for (int k = 0; k < 2 && !err; k++)
			if (bs->t[k])
				err = testprog_load(ir, bs->t[k], share, tp, share_ct,
						    d, &s->t[k]);
	}
	if (err)
		bw_rt_testpath_free(&tp);
	*out = tp;
	return err;
}

int bw_rt_testpath_run(struct bw_rt_testpath *tp, const uint8_t *pkt,
		       size_t len, struct bw_rt_run_result *res)
{
	int err = 0;

	memset(res, 0, sizeof(*res));
	res->verdict = BW_VERDICT_ACCEPT;
	for (uint32_t i = 0; i < tp->n && !err; i++) {
		const struct stage *s = &tp->st[i];
		struct bw_rt_run_result r;

		if (!s->nf) {
			err = bw_rt_testprog_run_mark(s->t[0], pkt, len, tp->mark, &r);
		} else {
			/* the IP hooks see IPv4 and IPv6 only, not under a tag */
			bool v4 = len >= ETH_HLEN && pkt[12] == 0x08 && pkt[13] == 0x00;
			bool v6 = len >= ETH_HLEN && pkt[12] == 0x86 && pkt[13] == 0xdd;
			struct bw_rt_testprog *t = v4 ? s->t[0] : v6 ? s->t[1] : NULL;
			bool out = s->nf_hook == BW_NF_LOCAL_OUT;

			if (!t)
				continue;
			/* the output hook's packet has no link layer yet */
			err = bw_rt_testprog_run_nf(t, out ? pkt + ETH_HLEN : pkt,
						    out ? len - ETH_HLEN : len,
						    s->nf_hook, v4 ? BW_NFPROTO_IPV4 :
						    BW_NFPROTO_IPV6, &r);
		}
		if (err)
			break;
		*res = r;
		if (r.verdict != BW_VERDICT_ACCEPT)
			break;
	}
	return err;
}
