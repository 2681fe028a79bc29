// SPDX-License-Identifier: GPL-2.0-only
/*
 * What the iptables front end keeps beside the running ruleset: its
 * tables in iptables' own form (the cli's text; never parsed here), pinned
 * as "xtables" (an ARRAY map of text chunks, frozen), bound to the state
 * it was loaded with by a hash of that state's text.  A command reads
 * the running ruleset, the counters and this text, changes them and
 * loads the result, all under one exclusive lock of the pin dir.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "rt.h"

#define XT_MAGIC "bpfwall-xtables 1 "

static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; s && *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return h;
}

static const struct bw_rt_shape xt_shape = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t),
	.value_size = BW_RT_STATE_CHUNK,
};

/* The pinned text (malloc'ed) or NULL with *err. */
static char *blob_read(const struct bw_rt_pin *pin, int *err)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	char *buf;
	int fd = bw_rt_pin_get(pin, "xtables", &xt_shape);

	*err = 0;
	if (fd == -ENOENT)
		return NULL;
	if (fd < 0) {
		*err = fd;
		return NULL;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		*err = -errno;
		close(fd);
		return NULL;
	}
	buf = calloc((size_t)info.max_entries + 1, BW_RT_STATE_CHUNK);
	for (uint32_t i = 0; buf && i < info.max_entries; i++)
		if (bpf_map_lookup_elem(fd, &i, buf + (size_t)i * BW_RT_STATE_CHUNK)) {
			*err = -errno;
			free(buf);
			buf = NULL;
		}
	if (!buf && !*err)
		*err = -ENOMEM;
	close(fd);
	return buf;
}

static int blob_pin(const struct bw_rt_pin *pin, const char *text,
		    uint64_t state_hash)
{
	char head[64];
	size_t hl, tl, n;
	uint32_t nchunk;
	char *buf;
	int fd, err = 0;

	if (!text || !text[0]) {
		if (unlinkat(pin->dirfd, "xtables", 0) && errno != ENOENT)
			return -errno;
		return 0;
	}
	hl = (size_t)snprintf(head, sizeof(head), XT_MAGIC "%016llx\n",
			      (unsigned long long)state_hash);
	tl = strlen(text);
	n = hl + tl + 1;
	nchunk = (uint32_t)((n + BW_RT_STATE_CHUNK - 1) / BW_RT_STATE_CHUNK);
	buf = calloc(nchunk, BW_RT_STATE_CHUNK);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, head, hl);
	memcpy(buf + hl, text, tl);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bw_xtables", sizeof(uint32_t),
			    BW_RT_STATE_CHUNK, nchunk, NULL);
	if (fd < 0)
		err = -errno;
	for (uint32_t i = 0; !err && i < nchunk; i++)
		if (bpf_map_update_elem(fd, &i, buf + (size_t)i * BW_RT_STATE_CHUNK,
					BPF_ANY))
			err = -errno;
	if (!err) {
		bpf_map_freeze(fd);
		err = bw_rt_pin_replace(pin, fd, "xtables");
	}
	if (fd >= 0)
		close(fd);
	free(buf);
	return err;
}

int bw_rt_xt_open(const struct bw_rt_opts *o, bool write, struct bw_rt_xt *x,
		  struct bw_diags *d)
{
	struct bw_rt_shape cshape = {
		.type = BPF_MAP_TYPE_PERCPU_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(struct bw_counter),
	};
	struct bw_rt_pin *pin = calloc(1, sizeof(*pin));
	struct bw_rt_state *stp = calloc(1, sizeof(*stp));
	char *raw;
	int err;

	memset(x, 0, sizeof(*x));
	x->counters_fd = -1;
	if (!pin || !stp) {
		free(pin);
		free(stp);
		return -ENOMEM;
	}
	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), write, write, o->pin_outlive, pin);
	if (err == -ENOENT && !write) {
		free(pin);
		free(stp);
		return 0;		/* nothing loaded: empty tables */
	}
	if (err) {
		bw_error(d, NULL, "cannot use the pin dir %s: %s",
			 bw_rt_pin_dir(o), strerror(-err));
		free(pin);
		free(stp);
		return err;
	}
	x->pin = pin;
	err = bw_rt_state_load(pin, stp);
	if (err == -ENOENT) {
		free(stp);
		return 0;
	}
	if (err) {
		bw_error(d, NULL, "cannot read the ruleset state in %s: %s",
			 pin->dir, bw_rt_state_strerror(err));
		free(stp);
		return err;
	}
	x->st = stp;
	x->has_state = true;
	cshape.max_entries = stp->nhandle ? stp->nhandle : 1;
	x->counters_fd = bw_rt_pin_get(pin, "counters", &cshape);
	if (x->counters_fd < 0 && x->counters_fd != -ENOENT) {
		err = x->counters_fd;
		bw_error(d, NULL, "the counters of the running ruleset cannot be read (said above)");
		return err;
	}
	x->nhandle = stp->nhandle;
	x->state_hash = hash(stp->text);
	x->nft = bw_rt_nft_counts(stp->nhandle);
	err = 0;
	{
		raw = blob_read(pin, &err);
		if (raw && !strncmp(raw, XT_MAGIC, strlen(XT_MAGIC))) {
			unsigned long long h = strtoull(raw + strlen(XT_MAGIC), NULL, 16);
			char *nl = strchr(raw, '\n');

			x->stale = h != hash(stp->text);
			x->blob = strdup(nl ? nl + 1 : "");
		} else if (raw) {
			x->stale = true;
		}
		free(raw);
	}
	if (err)
		bw_error(d, NULL, "cannot read the running ruleset in %s: %s",
			 pin->dir, strerror(-err));
	return err;
}

void bw_rt_xt_counter(const struct bw_rt_xt *x, uint32_t handle,
		      uint64_t *packets, uint64_t *bytes)
{
	uint64_t v[2] = { 0, 0 };

	if (x->counters_fd >= 0 && handle && handle < x->nhandle)
		bw_rt_percpu_sum(x->counters_fd, handle, 2, v);
	if (x->nft && handle < x->nhandle) {	/* a rule nf_tables runs */
		v[0] += x->nft[handle][0];
		v[1] += x->nft[handle][1];
	}
	*packets = v[0];
	*bytes = v[1];
}

int bw_rt_xt_commit(struct bw_rt_xt *x, const struct bw_ir *ir,
		    struct bw_build *b, const struct bw_rt_opts *o,
		    const char *blob, struct bw_diags *d)
{
	struct bw_rt_pin *pin = x->pin;
	int err;

	if (!pin)
		return -EINVAL;
	err = bw_rt_apply_pin(ir, b, o, pin, d);
	if (err) {
		bw_rt_pin_discard(pin);
		return err;
	}
	err = blob_pin(pin, blob, hash(ir->text));
	if (err)
		bw_error(d, NULL, "the new ruleset runs, but the iptables state could not be pinned: %s",
			 strerror(-err));
	return err;
}

const char *bw_rt_xt_text(struct bw_rt_xt *x, int *err)
{
	*err = 0;
	if (x->text || !x->has_state)
		return x->text;
	x->text = bw_rt_state_render(x->pin, x->st, x->counters_fd, err);
	if (!*err && !x->text)
		*err = -ENOMEM;
	return x->text;
}

int bw_rt_xt_pin_text(struct bw_rt_xt *x, const char *blob)
{
	if (!x->pin || x->stale || !x->state_hash)
		return -EINVAL;
	return blob_pin(x->pin, blob, x->state_hash);
}

void bw_rt_xt_close(struct bw_rt_xt *x)
{
	if (x->counters_fd >= 0)
		close(x->counters_fd);
	if (x->pin) {
		bw_rt_pin_close(x->pin);
		free(x->pin);
	}
	if (x->st) {
		bw_rt_state_fini(x->st);
		free(x->st);
	}
	free(x->text);
	free(x->blob);
	free(x->nft);
	memset(x, 0, sizeof(*x));
	x->counters_fd = -1;
}
