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
#include "compiler/bpf/mapspec.h"
#include "compiler/front/setmap.h"
#include "compiler/bpf/log.h"
#include "settimeout.h"

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

/* Fill map fd with spec m's entries: in one batch where the kernel takes
 * one (hash maps), else one by one; a per-CPU value goes to CPU 0. */
static int map_fill(int fd, const struct bw_map_spec *m)
{
	LIBBPF_OPTS(bpf_map_batch_opts, bopts);
	bool percpu = m->type == BPF_MAP_TYPE_PERCPU_ARRAY ||
		      m->type == BPF_MAP_TYPE_PERCPU_HASH;
	size_t vlen = m->value_size;
	uint32_t n = m->nfill;
	uint8_t *v = NULL, *armed = NULL;
	const uint8_t *vals = m->vals;
	int err = 0;

	if (!n)
		return 0;
	if (bw_rt_set_fill_vals(m, &armed))	/* set timeouts: from now */
		return -ENOMEM;
	if (armed)
		vals = armed;
	if (m->type == BPF_MAP_TYPE_HASH &&
	    !bpf_map_update_batch(fd, m->keys, vals, &n, &bopts) &&
	    n == m->nfill) {
		free(armed);
		return 0;
	}
	if (percpu) {
		v = calloc((size_t)bw_rt_ncpus(), (vlen + 7) & ~(size_t)7);
		if (!v)
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < m->nfill && !err; i++) {
		const uint8_t *val = vals + (size_t)i * vlen;

		if (percpu) {
			memcpy(v, val, vlen);
			val = v;
		}
		if (bpf_map_update_elem(fd, m->keys + (size_t)i * m->key_size,
					val, BPF_ANY)) {
			err = -errno;
			bw_rt_log("cannot fill %s (entry %u): %s", m->what, i,
				  strerror(errno));
		}
	}
	free(v);
	free(armed);
	return err;
}

/* Where map id goes in m: its slot, or NULL. */
static int *map_slot(struct bw_rt_maps *m, int32_t id)
{
	if (id >= 0 && id < BW_MAP__MAX)
		return &m->fd[id];
	if (id >= BW_MAP_SET_BASE && (uint32_t)(id - BW_MAP_SET_BASE) < m->nset)
		return &m->set[id - BW_MAP_SET_BASE];
	if (id >= BW_MAP__MAX && (uint32_t)(id - BW_MAP__MAX) < m->nlookup)
		return &m->lookup[id - BW_MAP__MAX];
	return NULL;
}

int bw_rt_maps_create(struct bw_rt_maps *m, const struct bw_map_specs *s)
{
	int err = 0;

	if (s->nlookup) {
		m->lookup = malloc(s->nlookup * sizeof(int));
		if (!m->lookup)
			return -ENOMEM;
		m->nlookup = s->nlookup;
		for (uint32_t i = 0; i < s->nlookup; i++)
			m->lookup[i] = -1;
	}
	if (s->nset) {
		m->set = malloc(s->nset * sizeof(int));
		if (!m->set) {
			bw_rt_maps_close(m);
			return -ENOMEM;
		}
		m->nset = s->nset;
		for (uint32_t i = 0; i < s->nset; i++)
			m->set[i] = -1;
	}
	for (uint32_t i = 0; i < s->n && !err; i++) {
		const struct bw_map_spec *sp = &s->spec[i];
		int *slot = map_slot(m, sp->id), fd;

		if (!slot) {
			bw_rt_log("%s: map id %d out of range", sp->what, sp->id);
			err = -EINVAL;
			break;
		}
		/* the caller's: pinned, or shared by test programs */
		if (sp->shared && *slot >= 0)
			continue;
		fd = map_create(sp->type, sp->name, sp->key_size, sp->value_size,
				sp->max_entries, sp->flags);
		if (fd < 0) {
			err = fd;
			break;
		}
		*slot = fd;
		err = map_fill(fd, sp);
	}
	if (err)
		bw_rt_maps_close(m);
	return err;
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
	int *slot = map_slot((struct bw_rt_maps *)m, id);

	return slot ? *slot : -1;
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
