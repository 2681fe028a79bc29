// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sets and maps in the kernel: every table of every set of a ruleset
 * (compiler/setmap.h) as a BPF hash map or LPM trie, filled when the
 * ruleset loads; the named ones pinned as set_<set>_<table>, where
 * `bpfwall add element` / `delete element` change them with no reload,
 * and where `list ruleset` reads the elements back.
 */
#include <errno.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compat.h"
#include "rt.h"
#include "../compiler/compile.h"
#include "../compiler/setmap.h"

static int table_create(const struct bw_ir_set *s, const struct bw_set_table *t,
			uint32_t idx)
{
	/* named sets grow with add element: allocate as they do */
	LIBBPF_OPTS(bpf_map_create_opts, opts,
		    .map_flags = t->lpm || s->name ? BPF_F_NO_PREALLOC : 0);
	char name[16];
	int fd;

	snprintf(name, sizeof(name), "bw_set_%u", idx % 10000000u);
	fd = bpf_map_create(t->lpm ? BPF_MAP_TYPE_LPM_TRIE : BPF_MAP_TYPE_HASH,
			    name, t->key_size, sizeof(struct bw_set_value),
			    t->max_entries, &opts);
	if (fd < 0) {
		fd = -errno;
		bw_rt_log("cannot create the map of %s%s (%u entries): %s",
			  s->name ? "set " : "an anonymous set",
			  s->name ? s->name : "", t->max_entries, strerror(errno));
	}
	return fd;
}

struct fill {
	const int *fd;			/* the set's tables */
	int flags;			/* BPF_ANY, BPF_NOEXIST */
	int err;
};

static int fill_one(void *arg, uint32_t table, const uint8_t *key,
		    const struct bw_set_value *v)
{
	struct fill *f = arg;

	if (bpf_map_update_elem(f->fd[table], key, v, (uint64_t)f->flags))
		return -errno;
	return 0;
}

int bw_rt_sets_create(struct bw_rt_maps *m, const struct bw_ir *ir)
{
	uint32_t n = bw_set_table_base(ir, ir->nset);
	int err = 0;

	if (!n)
		return 0;
	m->set = malloc(n * sizeof(*m->set));
	if (!m->set)
		return -ENOMEM;
	for (uint32_t si = 0; si < ir->nset && !err; si++) {
		const struct bw_ir_set *s = &ir->set[si];
		struct fill f = { .fd = m->set + m->nset, .flags = BPF_ANY };
		struct bw_set_layout l;

		err = bw_set_layout(s, &l);
		for (uint32_t t = 0; !err && t < l.ntable; t++) {
			int fd = table_create(s, &l.table[t], m->nset);

			if (fd < 0)
				err = fd;
			else
				m->set[m->nset++] = fd;
		}
		for (uint32_t i = 0; !err && i < s->nelem; i++) {
			err = bw_set_elem_entries(s, &l, &s->elem[i], fill_one, &f);
			if (err)
				bw_rt_log("cannot fill the map of %s%s: %s",
					  s->name ? "set " : "an anonymous set",
					  s->name ? s->name : "", strerror(-err));
		}
	}
	return err;
}

int bw_rt_maps_use_sets(struct bw_rt_maps *m, const struct bw_rt_maps *from)
{
	for (uint32_t i = 0; i < m->nset; i++)
		close(m->set[i]);
	m->nset = 0;
	free(m->set);
	m->set = NULL;
	if (!from->nset)
		return 0;
	m->set = malloc(from->nset * sizeof(*m->set));
	if (!m->set)
		return -ENOMEM;
	for (uint32_t i = 0; i < from->nset; i++) {
		int fd = dup(from->set[i]);

		if (fd < 0)
			return -errno;
		m->set[m->nset++] = fd;
	}
	return 0;
}

/* Pin names of the named sets' tables; base: the set's first table. */
static void set_pin_name(uint32_t si, uint32_t t, char *buf, size_t len)
{
	snprintf(buf, len, "set_%u_%u", si, t);
}

int bw_rt_sets_pin(const struct bw_rt_maps *m, const struct bw_ir *ir,
		   const struct bw_rt_pin *pin)
{
	char name[48], path[320], keep[64];
	struct dirent *e;
	DIR *dir;
	int err = 0, dfd;

	for (uint32_t si = 0; si < ir->nset && !err; si++) {
		struct bw_set_layout l;
		uint32_t base = bw_set_table_base(ir, si);

		if (!ir->set[si].name || bw_set_layout(&ir->set[si], &l))
			continue;
		for (uint32_t t = 0; t < l.ntable && !err; t++) {
			set_pin_name(si, t, name, sizeof(name));
			err = bw_rt_pin_replace(pin, m->set[base + t], name);
		}
	}
	if (err)
		return err;
	/* the sets of the ruleset before this one */
	dfd = dup(pin->dirfd);
	dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!dir) {
		if (dfd >= 0)
			close(dfd);
		return 0;
	}
	while ((e = readdir(dir))) {
		unsigned si, t;
		bool ours = false;

		if (sscanf(e->d_name, "set_%u_%u", &si, &t) != 2)
			continue;
		snprintf(keep, sizeof(keep), "set_%u_%u", si, t);
		if (strcmp(keep, e->d_name))
			continue;
		if (si < ir->nset && ir->set[si].name) {
			struct bw_set_layout l;

			ours = !bw_set_layout(&ir->set[si], &l) && t < l.ntable;
		}
		if (!ours && !bw_rt_pin_path(pin, e->d_name, path, sizeof(path)))
			unlink(path);
	}
	closedir(dir);
	return 0;
}

/* ---- the running ruleset's sets ---- */

/* The tables of named set si, opened from their pins (fd[t], -1 if
 * missing).  Returns the number opened. */
static uint32_t open_tables(const struct bw_rt_pin *pin, uint32_t si,
			    const struct bw_set_layout *l, int *fd)
{
	char name[48], path[320];
	uint32_t n = 0;

	for (uint32_t t = 0; t < l->ntable; t++) {
		fd[t] = -1;
		set_pin_name(si, t, name, sizeof(name));
		if (bw_rt_pin_path(pin, name, path, sizeof(path)))
			continue;
		fd[t] = bpf_obj_get(path);
		n += fd[t] >= 0;
	}
	return n;
}

static void close_tables(int *fd, uint32_t n)
{
	for (uint32_t t = 0; t < n; t++)
		if (fd[t] >= 0)
			close(fd[t]);
}

/* Every element the tables hold, as IR elements (a prefix each). */
static int dump(const struct bw_ir_set *s, const struct bw_set_layout *l,
		const int *fd, struct bw_ir_setelem **out, uint32_t *n)
{
	uint8_t key[64], next[64];
	struct bw_set_value v;
	uint32_t cap = 0;

	*out = NULL;
	*n = 0;
	for (uint32_t t = 0; t < l->ntable; t++) {
		void *prev = NULL;

		if (fd[t] < 0)
			continue;
		while (!bpf_map_get_next_key(fd[t], prev, next)) {
			memcpy(key, next, l->table[t].key_size);
			prev = key;
			if (bpf_map_lookup_elem(fd[t], key, &v))
				continue;	/* deleted meanwhile */
			if (*n == cap) {
				struct bw_ir_setelem *p;

				cap = cap ? cap * 2 : 64;
				p = reallocarray(*out, cap, sizeof(**out));
				if (!p) {
					free(*out);
					*out = NULL;
					return -ENOMEM;
				}
				*out = p;
			}
			bw_set_entry_elem(s, l, t, key, &v, &(*out)[(*n)++]);
		}
	}
	return 0;
}

char *bw_rt_set_elems(const struct bw_rt_pin *pin, const struct bw_ir *ir,
		      uint32_t si)
{
	int fd[BW_SET_TABLES_MAX];
	struct bw_ir_setelem *e = NULL;
	struct bw_set_layout l;
	char *text = NULL;
	uint32_t n;

	if (si >= ir->nset || bw_set_layout(&ir->set[si], &l))
		return NULL;
	if (!open_tables(pin, si, &l, fd))
		return NULL;
	if (!dump(&ir->set[si], &l, fd, &e, &n))
		text = bw_ir_set_elems_text(ir, si, e, n);
	free(e);
	close_tables(fd, l.ntable);
	return text;
}

/* ---- add element, delete element ---- */

struct entry_check {
	const int *fd;
	uint32_t key_size[BW_SET_TABLES_MAX];
	bool missing;
};

/* delete: is this exact entry there?  An LPM trie's lookup finds the
 * longest prefix, so its keys are searched. */
static int entry_there(void *arg, uint32_t table, const uint8_t *key,
		       const struct bw_set_value *v)
{
	struct entry_check *c = arg;
	uint8_t k[64], next[64];
	void *prev = NULL;

	(void)v;
	while (!bpf_map_get_next_key(c->fd[table], prev, next)) {
		if (!memcmp(next, key, c->key_size[table]))
			return 0;
		memcpy(k, next, c->key_size[table]);
		prev = k;
	}
	c->missing = true;
	return 0;
}

static int entry_delete(void *arg, uint32_t table, const uint8_t *key,
			const struct bw_set_value *v)
{
	const int *fd = arg;

	(void)v;
	if (bpf_map_delete_elem(fd[table], key) && errno != ENOENT)
		return -errno;
	return 0;
}

/* add: is element e in the set already?  The maps hold its entries (a
 * range: the prefixes that cover it), not e itself: it is there when
 * every entry it would take is, with the same value. */
struct entry_held {
	const struct bw_ir_set *s;
	const struct bw_set_layout *l;
	const struct bw_ir_setelem *have;	/* dump(): one per entry */
	uint32_t nhave;
	bool missing;
};

static int entry_held(void *arg, uint32_t table, const uint8_t *key,
		      const struct bw_set_value *v)
{
	struct entry_held *h = arg;
	struct bw_ir_setelem x;

	bw_set_entry_elem(h->s, h->l, table, key, v, &x);
	for (uint32_t i = 0; i < h->nhave; i++)
		if (!memcmp(x.lo, h->have[i].lo, h->s->keylen) &&
		    !memcmp(x.hi, h->have[i].hi, h->s->keylen) &&
		    x.verdict == h->have[i].verdict && x.target == h->have[i].target)
			return 0;
	h->missing = true;
	return 1;	/* stop: one missing entry decides */
}

static bool elem_held(const struct bw_ir_set *s, const struct bw_set_layout *l,
		      const struct bw_ir_setelem *have, uint32_t nhave,
		      const struct bw_ir_setelem *e)
{
	struct entry_held h = { .s = s, .l = l, .have = have, .nhave = nhave };

	return !bw_set_elem_entries(s, l, e, entry_held, &h) && !h.missing;
}

/* add: an interval element may not overlap one the set holds (nft's
 * "conflicting intervals"); one the set holds already is no error (as
 * nft's add: the caller leaves it alone). */
static int check_overlap(const struct bw_ir_set *s, const struct bw_ir_setelem *have,
			 uint32_t nhave, const struct bw_ir_setelem *e,
			 struct bw_diags *d)
{
	if (!s->interval && !s->map)
		return 0;
	for (uint32_t i = 0; i < nhave; i++) {
		bool over = true;

		for (uint32_t k = 0; k < s->nkey && over; k++) {
			uint32_t off = bw_ir_set_keyoff(s, k), n = bw_field(s->key[k])->size;

			over = memcmp(e->lo + off, have[i].hi + off, n) <= 0 &&
			       memcmp(have[i].lo + off, e->hi + off, n) <= 0;
		}
		if (over) {
			bw_error(d, &e->loc, "conflicting intervals specified (the set holds an element this one overlaps)");
			return -EEXIST;
		}
	}
	return 0;
}

int bw_rt_element(const struct bw_rt_opts *o, bool add, const char *words,
		  struct bw_diags *d)
{
	struct bw_ir_setelem *e = NULL, *have = NULL;
	struct bw_rt_state st = { 0 };
	struct bw_ir *ir = NULL;
	struct bw_set_layout l;
	struct bw_rt_pin pin;
	int fd[BW_SET_TABLES_MAX];
	uint32_t si, n = 0, nhave = 0, ntab = 0, done = 0;
	char *text = NULL;
	bool *held = NULL;
	int err;

	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), false, true, o->pin_outlive, &pin);
	if (err) {
		bw_error(d, NULL, err == -ENOENT ? "no ruleset is loaded (%s)" :
			 "cannot open the pin dir %s: %s", bw_rt_pin_dir(o),
			 strerror(-err));
		return err;
	}
	err = bw_rt_state_load(&pin, &st);
	if (err) {
		bw_error(d, NULL, "no ruleset is loaded in %s", pin.dir);
		goto out;
	}
	/* the running ruleset again, for the set's types */
	text = bw_ir_text_render(st.text, NULL, NULL);
	err = text ? bw_compile_string("<running ruleset>", text, d, &ir) : -ENOMEM;
	if (err) {
		bw_error(d, NULL, "cannot read the running ruleset back");
		goto out;
	}
	err = bw_compile_elements(ir, "<elements>", words, d, &si, &e, &n);
	if (err)
		goto out;
	err = bw_set_layout(&ir->set[si], &l);
	if (err)
		goto out;
	ntab = l.ntable;
	if (open_tables(&pin, si, &l, fd) != l.ntable) {
		bw_error(d, NULL, "the maps of set %s are not pinned in %s",
			 ir->set[si].name, pin.dir);
		err = -ENOENT;
		goto out;
	}
	err = dump(&ir->set[si], &l, fd, &have, &nhave);
	held = calloc(n ? n : 1, sizeof(*held));
	if (!err && !held)
		err = -ENOMEM;
	for (uint32_t i = 0; !err && i < n && add; i++) {
		held[i] = elem_held(&ir->set[si], &l, have, nhave, &e[i]);
		if (!held[i])
			err = check_overlap(&ir->set[si], have, nhave, &e[i], d);
	}
	if (!err && !add) {
		struct entry_check c = { .fd = fd };

		for (uint32_t t = 0; t < l.ntable; t++)
			c.key_size[t] = l.table[t].key_size;
		for (uint32_t i = 0; i < n; i++) {
			c.missing = false;
			bw_set_elem_entries(&ir->set[si], &l, &e[i], entry_there, &c);
			if (c.missing) {
				bw_error(d, &e[i].loc, "this element is not in set %s",
					 ir->set[si].name);
				err = -ENOENT;
			}
		}
	}
	for (done = 0; !err && done < n; done++) {
		struct fill f = { .fd = fd, .flags = BPF_ANY };

		if (add && held[done])
			continue;	/* there already: nothing to do or undo */
		err = add ? bw_set_elem_entries(&ir->set[si], &l, &e[done], fill_one, &f) :
		      bw_set_elem_entries(&ir->set[si], &l, &e[done], entry_delete, fd);
		if (err)
			bw_error(d, &e[done].loc, "cannot %s this element: %s%s",
				 add ? "add" : "delete", strerror(-err),
				 err == -E2BIG ? " (the set is full: give it a larger size)" : "");
	}
	if (err && done) {
		/* put back what this command changed */
		for (uint32_t i = 0; i < done && add; i++)
			if (!held[i])
				bw_set_elem_entries(&ir->set[si], &l, &e[i],
						    entry_delete, fd);
		for (uint32_t i = 0; i < nhave && !add; i++) {
			struct fill f = { .fd = fd, .flags = BPF_ANY };

			bw_set_elem_entries(&ir->set[si], &l, &have[i], fill_one, &f);
		}
	}
	close_tables(fd, ntab);
out:
	free(held);
	free(e);
	free(have);
	free(text);
	bw_ir_free(&ir);
	bw_rt_state_fini(&st);
	bw_rt_pin_close(&pin);
	return err;
}
