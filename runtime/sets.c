// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sets and maps in the kernel: every table of every set of a ruleset
 * (compiler/front/setmap.h) is a BPF hash map or LPM trie, made and filled
 * when the ruleset loads as the build describes it (compiler/bpf/mapspec.h);
 * the named ones are pinned here as set_<set>_<table>, where
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
#include "settimeout.h"
#include "compiler/front/compile.h"
#include "compiler/nft/nft.h"
#include "compiler/front/setmap.h"

struct fill {
	const int *fd;			/* the set's tables */
	int flags;			/* BPF_ANY, BPF_NOEXIST */
	int err;
};

static int fill_one(void *arg, uint32_t table, const uint8_t *key,
		    const struct bw_set_value *v)
{
	struct fill *f = arg;
	struct bw_set_value x = *v;

	bw_rt_set_expiry(&x, bw_rt_set_now());	/* a timeout: from now */
	if (bpf_map_update_elem(f->fd[table], key, &x, (uint64_t)f->flags))
		return -errno;
	return 0;
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
		if (!ours && bw_rt_pin_is_ours(pin, e->d_name) &&
		    !bw_rt_pin_path(pin, e->d_name, path, sizeof(path)))
			unlink(path);
	}
	closedir(dir);
	return 0;
}

/* ---- the running ruleset's sets ---- */

/* The tables of named set si, opened from their pins (fd[t], -1 if
 * missing), each checked to be what layout l says.  Returns the number
 * opened, or -errno (said on stderr) when one is not to be trusted or
 * has another shape. */
static int open_tables(const struct bw_rt_pin *pin, uint32_t si,
		       const struct bw_set_layout *l, int *fd)
{
	char name[48];
	int n = 0, err = 0;

	for (uint32_t t = 0; t < l->ntable; t++)
		fd[t] = -1;
	for (uint32_t t = 0; t < l->ntable && !err; t++) {
		const struct bw_set_table *tb = &l->table[t];
		const struct bw_rt_shape shape = {
			.type = tb->lpm ? BPF_MAP_TYPE_LPM_TRIE : BPF_MAP_TYPE_HASH,
			.key_size = tb->key_size,
			.value_size = sizeof(struct bw_set_value),
			.max_entries = tb->max_entries,
		};

		set_pin_name(si, t, name, sizeof(name));
		fd[t] = bw_rt_pin_get(pin, name, &shape);
		if (fd[t] >= 0)
			n++;
		else if (fd[t] != -ENOENT)
			err = fd[t];
	}
	if (!err)
		return n;
	for (uint32_t t = 0; t < l->ntable; t++)
		if (fd[t] >= 0)
			close(fd[t]);
	for (uint32_t t = 0; t < l->ntable; t++)
		fd[t] = -1;
	return err;
}

static void close_tables(int *fd, uint32_t n)
{
	for (uint32_t t = 0; t < n; t++)
		if (fd[t] >= 0)
			close(fd[t]);
}

#define KEY_MAX	64

/* Every element the tables hold, as IR elements (a prefix each). */
static int dump(const struct bw_ir_set *s, const struct bw_set_layout *l,
		const int *fd, struct bw_ir_setelem **out, uint32_t *n)
{
	uint8_t key[KEY_MAX], next[KEY_MAX];
	struct bw_set_value v;
	uint32_t cap = 0;

	*out = NULL;
	*n = 0;
	for (uint32_t t = 0; t < l->ntable; t++) {
		void *prev = NULL;

		if (fd[t] < 0)
			continue;
		if (l->table[t].key_size > KEY_MAX)
			return -E2BIG;
		while (!bpf_map_get_next_key(fd[t], prev, next)) {
			memcpy(key, next, l->table[t].key_size);
			prev = key;
			if (bpf_map_lookup_elem(fd[t], key, &v) ||
			    bw_rt_set_expired(&v, bw_rt_set_now()))
				continue;	/* deleted meanwhile, expired */
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
			bw_set_entry_elem(s, l, t, key, &v, &(*out)[*n]);
			(*out)[(*n)++].expires_ms = bw_rt_set_left_ms(&v, bw_rt_set_now());
		}
	}
	return 0;
}

char *bw_rt_set_elems(const struct bw_rt_pin *pin, const struct bw_ir *ir,
		      const struct bw_set_layout *l, uint32_t si, int *err)
{
	int fd[BW_SET_TABLES_MAX];
	struct bw_ir_setelem *e = NULL;
	char *text = NULL;
	uint32_t n;
	int r;

	if (si >= ir->nset || !ir->set[si].name || !l->ntable)
		return NULL;
	r = open_tables(pin, si, l, fd);
	if (r <= 0) {
		*err = r;
		return NULL;
	}
	r = dump(&ir->set[si], l, fd, &e, &n);
	if (!r)
		text = bw_ir_set_elems_text(ir, si, e, n);
	*err = r;
	free(e);
	close_tables(fd, l->ntable);
	return text;
}

/* ---- add element, delete element ---- */

/*
 * Each element is found with a few lookups of its own entries, never by
 * walking the set: a command costs what its elements cost, whatever the
 * size of the set (a delete of 20 from a million used to take seconds).
 */

/* Is this exact entry in the table (1, with its value in *v), or not (0)?
 * A hash table's lookup says.  An LPM trie's lookup finds the longest
 * prefix that covers the key, not the key itself: the kernel's
 * get_next_key tells, which for a key the trie holds gives the next one
 * in its order (none for the last), and for one it does not hold, its
 * first key. */
static int entry_exact(int fd, bool lpm, const uint8_t *key, uint32_t ksize,
		       struct bw_set_value *v)
{
	uint8_t next[KEY_MAX], first[KEY_MAX];

	if (ksize > KEY_MAX)
		return -E2BIG;
	if (bpf_map_lookup_elem(fd, key, v))
		return errno == ENOENT ? 0 : -errno;
	if (!lpm)
		return 1;
	if (bpf_map_get_next_key(fd, key, next))
		return errno == ENOENT ? 1 : -errno;
	if (bpf_map_get_next_key(fd, NULL, first))
		return -errno;
	return memcmp(next, first, ksize) != 0;
}

struct entries {
	const int *fd;
	const struct bw_set_layout *l;
	bool missing;			/* an entry is not there (as it would be) */
	int err;
	/* delete: the entries removed, to put back on failure */
	struct undo {
		uint32_t table;
		uint8_t key[KEY_MAX];
		struct bw_set_value v;
	} *undo;
	uint32_t nundo, cap;
};

/* delete: is this entry there? */
static int entry_there(void *arg, uint32_t table, const uint8_t *key,
		       const struct bw_set_value *want)
{
	struct entries *c = arg;
	const struct bw_set_table *t = &c->l->table[table];
	struct bw_set_value v;
	int r = entry_exact(c->fd[table], t->lpm, key, t->key_size, &v);

	(void)want;
	if (r < 0)
		return r;
	if (!r) {
		c->missing = true;
		return 1;	/* stop: one missing entry decides */
	}
	return 0;
}

/* add: is this entry there with this value already? */
static int entry_held(void *arg, uint32_t table, const uint8_t *key,
		      const struct bw_set_value *want)
{
	struct entries *c = arg;
	const struct bw_set_table *t = &c->l->table[table];
	struct bw_set_value v;
	int r = entry_exact(c->fd[table], t->lpm, key, t->key_size, &v);

	if (r < 0)
		return r;
	if (!r || v.verdict != want->verdict || v.target != want->target) {
		c->missing = true;
		return 1;
	}
	return 0;
}

static int entry_delete(void *arg, uint32_t table, const uint8_t *key,
			const struct bw_set_value *want)
{
	struct entries *c = arg;
	const struct bw_set_table *t = &c->l->table[table];
	struct undo *u;

	(void)want;
	if (c->nundo == c->cap) {
		uint32_t cap = c->cap ? c->cap * 2 : 16;

		u = reallocarray(c->undo, cap, sizeof(*u));
		if (!u)
			return -ENOMEM;
		c->undo = u;
		c->cap = cap;
	}
	u = &c->undo[c->nundo];
	memset(u, 0, sizeof(*u));
	u->table = table;
	memcpy(u->key, key, t->key_size);
	if (bpf_map_lookup_elem(c->fd[table], key, &u->v))
		return errno == ENOENT ? 0 : -errno;
	if (bpf_map_delete_elem(c->fd[table], key))
		return errno == ENOENT ? 0 : -errno;
	c->nundo++;
	return 0;
}

/* Put back the entries a failed delete removed. */
static void undo_deletes(const struct entries *c)
{
	for (uint32_t i = 0; i < c->nundo; i++)
		if (bpf_map_update_elem(c->fd[c->undo[i].table], c->undo[i].key,
					&c->undo[i].v, BPF_ANY))
			bw_rt_log("cannot put an entry of the set back: %s",
				  strerror(errno));
}

static bool elem_held(const struct bw_ir_set *s, struct entries *c,
		      const struct bw_ir_setelem *e)
{
	c->missing = false;
	return !bw_set_elem_entries(s, c->l, e, entry_held, c) && !c->missing;
}

/* add: an interval element may not overlap one the set holds (nft's
 * "conflicting intervals"); one the set holds already is no error (as
 * nft's add: the caller leaves it alone). */
static int check_overlap(const struct bw_ir_set *s, const struct bw_ir_setelem *have,
			 uint32_t nhave, const struct bw_ir_setelem *e,
			 struct bw_diags *d)
{
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

/* The set's tables are full: name it, its size, and the way out. */
static void say_full(const struct bw_ir_set *s, const struct bw_set_layout *l,
		     const struct bw_ir_setelem *e, struct bw_diags *d)
{
	uint32_t max = 0;

	for (uint32_t t = 0; t < l->ntable; t++)
		if (l->table[t].max_entries > max)
			max = l->table[t].max_entries;
	bw_error(d, &e->loc, "cannot add this element: set %s is full (size %u%s%s): declare it with a larger size, e.g. `size %u;`, and load the ruleset again",
		 s->name, s->size ? s->size : max,
		 s->interval ? ", counted in prefixes: a range takes several" : "",
		 s->size ? "" : ", the default", (s->size ? s->size : max) * 2);
}

static int add_elems(const struct bw_ir_set *s, struct entries *c,
		     const struct bw_ir_setelem *e, uint32_t n, struct bw_diags *d)
{
	struct bw_ir_setelem *have = NULL;
	uint32_t nhave = 0, done;
	bool *held = calloc(n ? n : 1, sizeof(*held));
	int err = held ? 0 : -ENOMEM;

	/* only an interval set or a map can hold what overlaps */
	if (!err && (s->interval || s->map))
		err = dump(s, c->l, c->fd, &have, &nhave);
	for (uint32_t i = 0; !err && i < n; i++) {
		held[i] = elem_held(s, c, &e[i]);
		if (!held[i])
			err = check_overlap(s, have, nhave, &e[i], d);
	}
	for (done = 0; !err && done < n; done++) {
		struct fill f = { .fd = c->fd, .flags = BPF_ANY };

		if (held[done])
			continue;	/* there already: nothing to do or undo */
		err = bw_set_elem_entries(s, c->l, &e[done], fill_one, &f);
		if (err == -E2BIG || err == -ENOSPC)
			say_full(s, c->l, &e[done], d);
		else if (err)
			bw_error(d, &e[done].loc, "cannot add this element: %s",
				 strerror(-err));
	}
	/* put back what this command changed */
	for (uint32_t i = 0; err && i < done; i++)
		if (!held[i])
			bw_set_elem_entries(s, c->l, &e[i], entry_delete, c);
	free(held);
	free(have);
	return err;
}

static int delete_elems(const struct bw_ir_set *s, struct entries *c,
			const struct bw_ir_setelem *e, uint32_t n,
			struct bw_diags *d)
{
	int err = 0;

	/* every element must be there before any goes */
	for (uint32_t i = 0; i < n; i++) {
		c->missing = false;
		err = bw_set_elem_entries(s, c->l, &e[i], entry_there, c);
		if (err < 0)
			return err;
		if (c->missing) {
			bw_error(d, &e[i].loc, "this element is not in set %s",
				 s->name);
			err = -ENOENT;
		}
	}
	for (uint32_t i = 0; !err && i < n; i++) {
		err = bw_set_elem_entries(s, c->l, &e[i], entry_delete, c);
		if (err) {
			bw_error(d, &e[i].loc, "cannot delete this element: %s",
				 strerror(-err));
			undo_deletes(c);
		}
	}
	return err;
}

struct bw_rt_running {
	struct bw_rt_pin pin;
	struct bw_rt_state st;
	char *text;			/* the state's text, no markers */
};

void bw_rt_running_close(struct bw_rt_running **pr)
{
	struct bw_rt_running *r = pr ? *pr : NULL;

	if (!r)
		return;
	free(r->text);
	bw_rt_state_fini(&r->st);
	bw_rt_pin_close(&r->pin);
	free(r);
	*pr = NULL;
}

int bw_rt_running_open(const struct bw_rt_opts *o, struct bw_rt_running **out,
		       struct bw_diags *d)
{
	struct bw_rt_running *r = calloc(1, sizeof(*r));
	int err;

	*out = NULL;
	if (!r)
		return -ENOMEM;
	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), false, true, o->pin_outlive, &r->pin);
	if (err) {
		bw_error(d, NULL, err == -ENOENT ? "no ruleset is loaded (%s)" :
			 "cannot open the pin dir %s: %s", bw_rt_pin_dir(o),
			 strerror(-err));
		free(r);
		return err;
	}
	err = bw_rt_state_load(&r->pin, &r->st);
	if (err) {
		if (err == -ENOENT)
			bw_error(d, NULL, "no ruleset is loaded in %s", r->pin.dir);
		else
			bw_error(d, NULL, "%s: %s", r->pin.dir, bw_rt_state_strerror(err));
		bw_rt_running_close(&r);
		return err;
	}
	r->text = bw_ir_text_render(r->st.text, NULL, NULL);
	if (!r->text) {
		bw_rt_running_close(&r);
		return -ENOMEM;
	}
	*out = r;
	return 0;
}

const char *bw_rt_running_text(const struct bw_rt_running *r)
{
	return r->text;
}

int bw_rt_element_apply(struct bw_rt_running *r, bool add,
			const struct bw_ir *ir, uint32_t si,
			const struct bw_ir_setelem *e, uint32_t n,
			struct bw_nft_plan *nft, struct bw_diags *d)
{
	struct bw_set_layout l;
	int fd[BW_SET_TABLES_MAX];
	struct entries c = { .fd = fd, .l = &l };
	uint32_t ntab = 0;
	int err;

	err = bw_set_layout(&ir->set[si], &l);
	if (err)
		return err;
	ntab = l.ntable;
	err = open_tables(&r->pin, si, &l, fd);
	if (err >= 0 && (uint32_t)err != l.ntable) {
		bw_error(d, NULL, "the maps of set %s are not pinned in %s; load the ruleset again",
			 ir->set[si].name, r->pin.dir);
		err = -ENOENT;
	} else if (err < 0) {
		bw_error(d, NULL, "the maps of set %s cannot be used (said above)",
			 ir->set[si].name);
	} else {
		err = add ? add_elems(&ir->set[si], &c, e, n, d) :
			    delete_elems(&ir->set[si], &c, e, n, d);
		/* then nf_tables' copy; refused there, the maps go back */
		if (!err && nft && (err = bw_rt_nft_elems(nft, si, add, d))) {
			struct bw_diags quiet;

			bw_diags_init(&quiet);
			if (add ? delete_elems(&ir->set[si], &c, e, n, &quiet) :
				  add_elems(&ir->set[si], &c, e, n, &quiet))
				bw_error(d, NULL, "set %s: its BPF maps and its copy in nf_tables now differ; load the ruleset again",
					 ir->set[si].name);
			bw_diags_fini(&quiet);
		}
	}
	close_tables(fd, ntab);
	free(c.undo);
	return err;
}
