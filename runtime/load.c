// SPDX-License-Identifier: GPL-2.0-only
/*
 * Maps and program load.  Programs come from codegen with map placeholders
 * (ld_imm64, imm = enum bw_map_id or BW_MAP__MAX + lookup map index); they
 * are patched with real fds here.  A verifier rejection is mapped back
 * through the program's source map to the rule that caused it.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compat.h"
#include "rt.h"
#include "compiler/bpf/build.h"
#include "compiler/front/setmap.h"
#include "compiler/bpf/log.h"

#define VLOG_SIZE	(1u << 20)
#define VLOG_TAIL	8

void bw_rt_maps_init(struct bw_rt_maps *m)
{
	for (int i = 0; i < BW_MAP__MAX; i++)
		m->fd[i] = -1;
	m->nlookup = 0;
	m->lookup = NULL;
	m->nset = 0;
	m->set = NULL;
}

void bw_rt_maps_close(struct bw_rt_maps *m)
{
	for (int i = 0; i < BW_MAP__MAX; i++) {
		if (m->fd[i] >= 0)
			close(m->fd[i]);
		m->fd[i] = -1;
	}
	for (uint32_t i = 0; i < m->nlookup; i++)
		if (m->lookup[i] >= 0)
			close(m->lookup[i]);
	free(m->lookup);
	m->lookup = NULL;
	m->nlookup = 0;
	for (uint32_t i = 0; i < m->nset; i++)
		if (m->set[i] >= 0)
			close(m->set[i]);
	free(m->set);
	m->set = NULL;
	m->nset = 0;
}

int bw_rt_ncpus(void)
{
	int n = libbpf_num_possible_cpus();

	return n > 0 ? n : 1;
}

static int map_create(enum bpf_map_type type, const char *name,
		      uint32_t key_size, uint32_t value_size,
		      uint32_t max_entries, uint32_t flags)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts, .map_flags = flags);
	int fd;

	fd = bpf_map_create(type, name, key_size, value_size, max_entries,
			    &opts);
	if (fd < 0) {
		fd = -errno;
		bw_rt_log("cannot create map %s (%u entries): %s", name,
			  max_entries, strerror(errno));
	}
	return fd;
}

static int counters_preset(int fd, const struct bw_ir *ir)
{
	int ncpu = bw_rt_ncpus();
	struct bw_counter *v;
	bool *in_nft;
	int err = 0;

	v = calloc((size_t)ncpu, sizeof(*v));
	/* a chain nf_tables runs keeps its counts in its own counters (its
	 * rules' counter expressions start at them): not here as well */
	in_nft = calloc(ir->nchain ? ir->nchain : 1, sizeof(*in_nft));
	if (!v || !in_nft) {
		free(v);
		free(in_nft);
		return -ENOMEM;
	}
	bw_build_in_nft(ir, in_nft);
	for (uint32_t c = 0; c < ir->nchain && !err; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];

		if (in_nft[c])
			continue;

		for (uint32_t r = 0; r < ch->nrule; r++) {
			const struct bw_ir_rule *ru = &ch->rule[r];
			uint32_t key = ru->handle;

			if (!ru->counter ||
			    (!ru->counter_packets && !ru->counter_bytes))
				continue;
			if (key >= ir->nhandle)
				continue;
			v[0].packets = ru->counter_packets;
			v[0].bytes = ru->counter_bytes;
			if (bpf_map_update_elem(fd, &key, v, BPF_ANY)) {
				err = -errno;
				bw_rt_log("cannot preset counter %u: %s", key,
					  strerror(errno));
				break;
			}
		}
	}
	free(v);
	free(in_nft);
	return err;
}

static int lookup_fill(int fd, const struct bw_lookup_map *lm, uint32_t idx)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bopts);
	uint32_t n = lm->nentries;
	const uint8_t *vals = bw_lookup_map_vals(lm);
	uint32_t vsize = bw_lookup_map_vsize(lm);

	if (!n)
		return 0;
	if (!lm->lpm && !lm->flat && !bpf_map_update_batch(fd, lm->keys, vals, &n,
					      &bopts) && n == lm->nentries)
		return 0;
	for (uint32_t i = 0; i < lm->nentries; i++) {
		if (bpf_map_update_elem(fd, lm->keys + (size_t)i * lm->key_size,
					vals + (size_t)i * vsize, BPF_ANY)) {
			int err = -errno;

			bw_rt_log("cannot fill lookup map %u (entry %u): %s",
				  idx, i, strerror(errno));
			return err;
		}
	}
	return 0;
}

static int quotas_preset(int fd, const struct bw_ir *ir)
{
	for (uint32_t i = 0; i < ir->nquota; i++) {
		uint32_t key = bw_ir_quota_slot(ir, i);

		if (ir->quota[i].used &&
		    bpf_map_update_elem(fd, &key, &ir->quota[i].used, BPF_ANY)) {
			int err = -errno;

			bw_rt_log("cannot preset quota %u: %s", i, strerror(errno));
			return err;
		}
	}
	return 0;
}

int bw_rt_maps_create(struct bw_rt_maps *m, const struct bw_ir *ir,
		      const struct bw_opt_plan *plan, bool trace)
{
	uint32_t nh = ir->nhandle ? ir->nhandle : 1;
	int fd, err;

	fd = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_counters",
			sizeof(uint32_t), sizeof(struct bw_counter), nh, 0);
	if (fd < 0)
		goto fail;
	m->fd[BW_MAP_COUNTERS] = fd;
	err = counters_preset(fd, ir);
	if (err) {
		fd = err;
		goto fail;
	}
	fd = map_create(BPF_MAP_TYPE_PERCPU_ARRAY, "bw_reasons",
			sizeof(uint32_t), sizeof(uint64_t), BW_REASONS_SLOTS, 0);
	if (fd < 0)
		goto fail;
	m->fd[BW_MAP_REASONS] = fd;
	if (trace) {
		fd = map_create(BPF_MAP_TYPE_ARRAY, "bw_trace",
				sizeof(uint32_t), sizeof(uint32_t), 1, 0);
		if (fd < 0)
			goto fail;
		m->fd[BW_MAP_TRACE] = fd;
	}
	/* limits start within their rate: arrival time 0; quotas (after
	 * them) with the bytes given as used */
	if (ir->nlimit || ir->nquota) {
		fd = map_create(BPF_MAP_TYPE_ARRAY, "bw_limits", sizeof(uint32_t),
				sizeof(uint64_t), ir->nlimit + ir->nquota, 0);
		if (fd < 0)
			goto fail;
		m->fd[BW_MAP_LIMITS] = fd;
		err = quotas_preset(fd, ir);
		if (err) {
			fd = err;
			goto fail;
		}
	}
	/* the log ringbuf: the caller's (pinned, outliving reloads), or a
	 * new one (tests, trace) */
	if (ir->nlog && m->fd[BW_MAP_LOG] < 0) {
		fd = map_create(BPF_MAP_TYPE_RINGBUF, "bw_log", 0, 0,
				BW_LOG_RINGBUF_SIZE, 0);
		if (fd < 0)
			goto fail;
		m->fd[BW_MAP_LOG] = fd;
	}
	/* conntrack: the caller's (pinned, or shared by test programs), or
	 * a new one */
	if (bw_ir_uses_field(ir, BW_F_CT_STATE) && m->fd[BW_MAP_CT] < 0) {
		fd = bw_rt_ct_create();
		if (fd < 0)
			goto fail;
		m->fd[BW_MAP_CT] = fd;
	}
	if (plan && plan->nmap) {
		m->lookup = malloc(plan->nmap * sizeof(int));
		if (!m->lookup) {
			fd = -ENOMEM;
			goto fail;
		}
		for (uint32_t i = 0; i < plan->nmap; i++) {
			const struct bw_lookup_map *lm = &plan->map[i];
			char name[24];	/* the kernel keeps 15 characters */

			snprintf(name, sizeof(name), "bw_lk_%u", i % 100000000u);
			fd = map_create(lm->flat ? BPF_MAP_TYPE_ARRAY :
					lm->lpm ? BPF_MAP_TYPE_LPM_TRIE :
					BPF_MAP_TYPE_HASH, name, lm->key_size,
					bw_lookup_map_vsize(lm),
					lm->nentries ? lm->nentries : 1,
					lm->lpm ? BPF_F_NO_PREALLOC : 0);
			if (fd < 0)
				goto fail;
			m->lookup[m->nlookup++] = fd;
			err = lookup_fill(fd, lm, i);
			if (err) {
				fd = err;
				goto fail;
			}
		}
	}
	fd = bw_rt_sets_create(m, ir);
	if (fd < 0)
		goto fail;
	return 0;
fail:
	bw_rt_maps_close(m);
	return fd;
}

int bw_rt_percpu_sum(int map_fd, uint32_t key, uint32_t nwords, uint64_t *sum)
{
	int ncpu = bw_rt_ncpus();
	uint64_t *v;

	v = calloc((size_t)ncpu * nwords, sizeof(uint64_t));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, &key, v)) {
		int err = -errno;

		free(v);
		return err;
	}
	for (uint32_t w = 0; w < nwords; w++)
		sum[w] = 0;
	for (int c = 0; c < ncpu; c++)
		for (uint32_t w = 0; w < nwords; w++)
			sum[w] += v[(size_t)c * nwords + w];
	free(v);
	return 0;
}

static int map_fd_of(const struct bw_rt_maps *m, int32_t id)
{
	if (id >= 0 && id < BW_MAP__MAX)
		return m->fd[id];
	if (id >= BW_MAP_SET_BASE && (uint32_t)(id - BW_MAP_SET_BASE) < m->nset)
		return m->set[id - BW_MAP_SET_BASE];
	if (id >= BW_MAP__MAX && (uint32_t)(id - BW_MAP__MAX) < m->nlookup)
		return m->lookup[id - BW_MAP__MAX];
	return -1;
}

static int patch(struct bpf_insn *insn, uint32_t n, const struct bw_rt_maps *m,
		 const char *what)
{
	for (uint32_t i = 0; i < n; i++) {
		int fd;

		if (insn[i].code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insn[i].src_reg == BPF_PSEUDO_MAP_FD ||
		    insn[i].src_reg == BPF_PSEUDO_MAP_VALUE) {
			fd = map_fd_of(m, insn[i].imm);
			if (fd < 0) {
				bw_rt_log("%s: instruction %u uses map %d, which was not created",
					  what, i, insn[i].imm);
				return -EINVAL;
			}
			insn[i].imm = fd;
		}
		i++;	/* second half of ld_imm64 */
	}
	return 0;
}

/* "12: (61) r1 = ..." : an instruction dump line; returns the index. */
static int insn_line(const char *s)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, 10);
	if (end[0] != ':' || end[1] != ' ' || end[2] != '(')
		return -1;
	return (int)v;
}

static bool noise_line(const char *s)
{
	return !*s || !strncmp(s, "processed ", 10) ||
	       !strncmp(s, "verification time", 17) ||
	       !strncmp(s, "stack depth", 11) || !strncmp(s, "mark_precise", 12) ||
	       isdigit((unsigned char)*s);
}

static void copy_line(char *dst, size_t len, const char *s)
{
	size_t n = strcspn(s, "\n");

	if (!len)
		return;
	if (n >= len)
		n = len - 1;
	memcpy(dst, s, n);
	dst[n] = 0;
}

int bw_rt_vlog_parse(const char *log, char *msg, size_t msglen)
{
	const char *line, *last_insn = NULL, *reason = NULL, *last = NULL;
	int idx = -1;

	if (msglen)
		msg[0] = 0;
	for (line = log; line && *line; ) {
		const char *nl = strchr(line, '\n');
		int i = insn_line(line);

		if (i >= 0) {
			idx = i;
			last_insn = line;
			reason = NULL;
		} else if (!noise_line(line)) {
			if (last_insn && !reason)
				reason = line;
			last = line;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (reason) {
		copy_line(msg, msglen, reason);
		return idx;
	}
	if (last) {
		const char *p = strstr(last, "insn ");

		copy_line(msg, msglen, last);
		/* "jump out of range from insn 3 to 9", "back-edge from insn" */
		if (p && isdigit((unsigned char)p[5]))
			return atoi(p + 5);
		return -1;
	}
	return idx;
}

static const char *log_tail(const char *log, int nlines)
{
	const char *p = log + strlen(log);

	while (p > log && (p[-1] == '\n'))
		p--;
	while (p > log) {
		if (p[-1] == '\n' && --nlines == 0)
			break;
		p--;
	}
	return p;
}

static const struct bw_srcmap_ent *srcmap_at(const struct bw_prog *p,
					     uint32_t insn)
{
	const struct bw_srcmap_ent *best = NULL;
	uint32_t lo = 0, hi = p->nsrcmap;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (p->srcmap[mid].insn <= insn) {
			best = &p->srcmap[mid];
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return best;
}

static void report_reject(const struct bw_prog *p, const char *what, int err,
			  const char *log, struct bw_diags *d)
{
	const struct bw_srcmap_ent *ent = NULL;
	char msg[256], *tail;
	int idx;

	if (!log[0]) {
		bw_error(d, NULL, "cannot load the program for %s: %s", what,
			 strerror(-err));
		return;
	}
	idx = bw_rt_vlog_parse(log, msg, sizeof(msg));
	if (!msg[0])
		snprintf(msg, sizeof(msg), "%s", strerror(-err));
	if (idx >= 0 && (uint32_t)idx < p->ninsn)
		ent = srcmap_at(p, (uint32_t)idx);
	if (ent && ent->loc.src)
		bw_error(d, &ent->loc,
			 "the kernel verifier rejected %s: %s (%s, instruction %d)",
			 ent->handle ? "this rule" : "the code of this chain",
			 msg, what, idx);
	else if (idx >= 0)
		bw_error(d, NULL,
			 "the kernel verifier rejected the program for %s at instruction %d (outside any rule): %s",
			 what, idx, msg);
	else
		bw_error(d, NULL,
			 "the kernel verifier rejected the program for %s: %s",
			 what, msg);
	tail = strdup(log_tail(log, VLOG_TAIL));
	if (tail) {
		size_t n = strlen(tail);

		while (n && tail[n - 1] == '\n')
			tail[--n] = 0;
		bw_diag(d, BW_DIAG_NOTE, NULL,
			"verifier log, last lines (-v shows all):\n%s", tail);
		free(tail);
	}
	if (bw_rt_verbose)
		fprintf(stderr, "bpfwall: verifier log for %s:\n%s\n", what, log);
}

int bw_rt_prog_load(const struct bw_prog *p, const struct bw_rt_maps *m,
		    const char *what, struct bw_diags *d)
{
	const struct bw_hook_info *hi = bw_hook_info(p->hook);
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	struct bpf_insn *insn;
	char *log;
	int fd, err;

	if (!hi) {
		bw_rt_log("%s: unknown hook %d", what, (int)p->hook);
		return -EINVAL;
	}
	insn = malloc((p->ninsn ? p->ninsn : 1) * sizeof(*insn));
	log = malloc(VLOG_SIZE);
	if (!insn || !log) {
		free(insn);
		free(log);
		return -ENOMEM;
	}
	memcpy(insn, p->insn, p->ninsn * sizeof(*insn));
	err = patch(insn, p->ninsn, m, what);
	if (!err)
		err = bw_rt_relocate(insn, p, what, d);
	if (err)
		goto out;
	log[0] = 0;
	opts.expected_attach_type = hi->expected_attach_type;
	opts.log_buf = log;
	opts.log_size = VLOG_SIZE;	/* libbpf retries with level 1 on failure */
	if (bw_rt_verbose)
		opts.log_level = 4;	/* BPF_LOG_STATS: the verifier's own cost */
	fd = bpf_prog_load(hi->prog_type, p->name[0] ? p->name : NULL, "GPL",
			   insn, p->ninsn, &opts);
	if (fd < 0) {
		err = -errno;
		if (err == -EPERM && !log[0])
			bw_error(d, NULL, "cannot load the program for %s: %s (bpfwall needs root or CAP_BPF+CAP_NET_ADMIN)",
				 what, strerror(-err));
		else
			report_reject(p, what, err, log, d);
		goto out;
	}
	bw_rt_debug("loaded %s: %u instructions, fd %d", what, p->ninsn, fd);
	if (bw_rt_verbose && log[0])
		bw_rt_debug("verifier: %s", log);
	err = fd;
out:
	free(insn);
	free(log);
	return err;
}
