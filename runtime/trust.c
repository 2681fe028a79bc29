// SPDX-License-Identifier: GPL-2.0-only
/*
 * Trust in the pin dir (DESIGN.md "Runtime").  Whoever can write the pin
 * dir can detach the firewall (unlink a link's pin) while `list ruleset`
 * says it is attached, or block every load; whoever can write a directory
 * on the way to it can swap the path.  So:
 *
 *  - every directory on the path must belong to root (or to the user
 *    running bpfwall) and be writable by nobody else, except that a sticky
 *    directory on the way (/sys/fs/bpf of `mount -t bpf`, /tmp) may be
 *    world-writable: others cannot rename or remove what is ours in it;
 *  - the pin dir itself is writable by its owner only;
 *  - a symlink on the way is followed only when root (or the user) owns
 *    it; a pin is never opened through a symlink;
 *  - every pinned object belongs to root (or the user), is writable by
 *    nobody else, and a map has the shape the state says (type, key and
 *    value size, entries) before anything reads it: a map of another shape
 *    is a clear error, never a loop over keys of the wrong size.
 *
 * bw_rt_pin_get() is the one opener of pinned objects.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compat.h"
#include "rt.h"

#define MAX_SYMLINKS	40

bool bw_rt_trusted_uid(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

/* Is directory st, reached as shown, one bpfwall may trust?  last: the pin
 * dir itself (no other writer at all), else a directory on the way. */
static int check_dir(const struct stat *st, const char *shown, bool last,
		     const char *pin_dir)
{
	if (!bw_rt_trusted_uid(st->st_uid)) {
		bw_rt_log("refusing the pin dir %s: %s%s is owned by uid %u, not by root: its owner could remove bpfwall's pins and detach the firewall; remove it or choose another --pin-dir",
			  pin_dir, last ? "it" : shown, last ? "" : " on the way to it",
			  (unsigned)st->st_uid);
		return -EPERM;
	}
	if (!(st->st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	if (last) {
		bw_rt_log("refusing the pin dir %s: it is writable by others (mode %04o): anyone could remove bpfwall's pins and detach the firewall; run chmod go-w %s, or let bpfwall make its own directory inside it (--pin-dir %s/bpfwall)",
			  pin_dir, (unsigned)(st->st_mode & 07777), shown,
			  strcmp(shown, "/") ? shown : "");
		return -EPERM;
	}
	if (st->st_mode & S_ISVTX)
		return 0;	/* others cannot touch what is ours in it */
	bw_rt_log("refusing the pin dir %s: %s on the way to it is writable by others (mode %04o, not sticky): anyone could replace the path; choose another --pin-dir",
		  pin_dir, shown, (unsigned)(st->st_mode & 07777));
	return -EPERM;
}

/* Take the first component off *rest (skipping slashes) into comp. */
static bool next_comp(char **rest, char *comp, size_t len)
{
	char *p = *rest, *end;
	size_t n;

	while (*p == '/')
		p++;
	if (!*p)
		return false;
	end = strchrnul(p, '/');
	n = (size_t)(end - p);
	if (n >= len)
		n = len - 1;
	memcpy(comp, p, n);
	comp[n] = 0;
	*rest = end;
	return true;
}

static bool only_slashes(const char *s)
{
	while (*s == '/')
		s++;
	return !*s;
}

static void shown_add(char *shown, size_t len, const char *comp)
{
	size_t n = strlen(shown);

	snprintf(shown + n, len - n, "%s%s", n && shown[n - 1] != '/' ? "/" : "",
		 comp);
}

int bw_rt_dir_walk(const char *path, struct bw_rt_walk *w)
{
	char buf[PATH_MAX], comp[NAME_MAX + 1], target[PATH_MAX], *rest;
	int fd, links = 0, err;
	struct stat st;

	w->fd = -1;
	w->missing[0] = 0;
	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	snprintf(buf, sizeof(buf), "%s", path);
	snprintf(w->shown, sizeof(w->shown), "%s", path[0] == '/' ? "/" : ".");
	fd = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		err = -errno;
		goto fail;
	}
	err = check_dir(&st, w->shown, only_slashes(buf), path);
	if (err)
		goto fail;
	rest = buf;
	while (next_comp(&rest, comp, sizeof(comp))) {
		bool last = only_slashes(rest);
		int nfd;
		ssize_t n;

		if (!strcmp(comp, "."))
			continue;
		if (fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW)) {
			err = -errno;
			if (err == -ENOENT)	/* comp and what follows */
				snprintf(w->missing, sizeof(w->missing), "%s%s",
					 comp, rest);
			if (err == -ENOENT)
				break;
			goto fail;
		}
		if (S_ISLNK(st.st_mode)) {
			shown_add(w->shown, sizeof(w->shown), comp);
			if (!bw_rt_trusted_uid(st.st_uid)) {
				bw_rt_log("refusing the pin dir %s: %s is a symlink owned by uid %u, not by root; remove it or choose another --pin-dir",
					  path, w->shown, (unsigned)st.st_uid);
				err = -EPERM;
				goto fail;
			}
			n = readlinkat(fd, comp, target, sizeof(target) - 1);
			if (n < 0 || ++links > MAX_SYMLINKS) {
				err = n < 0 ? -errno : -ELOOP;
				goto fail;
			}
			target[n] = 0;
			/* the link's target, then what followed the link */
			if ((size_t)n + strlen(rest) + 2 > sizeof(buf)) {
				err = -ENAMETOOLONG;
				goto fail;
			}
			memmove(buf + n + 1, rest, strlen(rest) + 1);
			memcpy(buf, target, (size_t)n);
			buf[n] = '/';
			rest = buf;
			if (target[0] == '/') {
				close(fd);
				fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
				if (fd < 0)
					return -errno;
			}
			continue;
		}
		shown_add(w->shown, sizeof(w->shown), comp);
		if (!S_ISDIR(st.st_mode)) {
			bw_rt_log("pin dir %s: %s is not a directory", path, w->shown);
			err = -ENOTDIR;
			goto fail;
		}
		nfd = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			err = -errno;
			goto fail;
		}
		close(fd);
		fd = nfd;
		/* what was opened, not what was looked at before */
		if (fstat(fd, &st)) {
			err = -errno;
			goto fail;
		}
		err = check_dir(&st, w->shown, last, path);
		if (err)
			goto fail;
	}
	w->fd = fd;
	return w->missing[0] ? -ENOENT : 0;
fail:
	close(fd);
	return err;
}

/* ---- pinned objects ---- */

/* "bpf-map", "bpf-prog", "bpf-link": what kind of object fd is (the
 * kernel names a link's file "bpf_link" or "bpf-link" by how it came). */
static void obj_kind(int fd, char *buf, size_t len)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, link, sizeof(link) - 1);
	buf[0] = 0;
	if (n <= 0)
		return;
	link[n] = 0;
	snprintf(buf, len, "%s", strncmp(link, "anon_inode:", 11) ? link : link + 11);
	if (!strcmp(buf, "bpf_link"))
		buf[3] = '-';
}

static const char *type_name(uint32_t type)
{
	const char *s = libbpf_bpf_map_type_str((enum bpf_map_type)type);

	return s ? s : "unknown";
}

static void shape_text(char *buf, size_t len, uint32_t type, uint32_t key,
		       uint32_t value, uint32_t entries)
{
	int n;

	if (type == BPF_MAP_TYPE_RINGBUF) {
		snprintf(buf, len, "a ringbuf of %u bytes", entries);
		return;
	}
	n = snprintf(buf, len, "a map of type %s with %u-byte keys, %u-byte values",
		     type_name(type), key, value);
	if (n < 0 || (size_t)n >= len)
		return;
	if (entries)
		snprintf(buf + n, len - (size_t)n, " and %u entries", entries);
}

int bw_rt_shape_check(int fd, const char *shown, const struct bw_rt_shape *want)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	char kind[64], have[160], need[160];

	obj_kind(fd, kind, sizeof(kind));
	if (strcmp(kind, "bpf-map")) {
		bw_rt_log("%s is not a map (%s): the pin dir holds a broken ruleset state; run `bpfwall flush ruleset` or load a ruleset to replace it",
			  shown, kind[0] ? kind : "unknown object");
		return -BW_RT_ESHAPE;
	}
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return -errno;
	if (info.type == want->type && info.key_size == want->key_size &&
	    info.value_size == want->value_size &&
	    (!want->max_entries || info.max_entries == want->max_entries))
		return 0;
	shape_text(have, sizeof(have), info.type, info.key_size, info.value_size,
		   info.max_entries);
	shape_text(need, sizeof(need), want->type, want->key_size,
		   want->value_size, want->max_entries);
	bw_rt_log("%s is %s, where bpfwall expects %s: run `bpfwall flush ruleset` or load a ruleset to replace it",
		  shown, have, need);
	return -BW_RT_ESHAPE;
}

bool bw_rt_shape_is(int fd, const struct bw_rt_shape *want)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bw_rt_obj_is(fd, "bpf-map") &&
	       !bpf_obj_get_info_by_fd(fd, &info, &len) &&
	       info.type == want->type && info.key_size == want->key_size &&
	       info.value_size == want->value_size &&
	       (!want->max_entries || info.max_entries == want->max_entries);
}

int bw_rt_pin_trust(const struct bw_rt_pin *pin, const char *name)
{
	char path[512];
	struct stat st;

	if (fstatat(pin->dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	bw_rt_pin_path(pin, name, path, sizeof(path));
	if (S_ISLNK(st.st_mode)) {
		bw_rt_log("refusing %s: a symlink, where bpfwall pins its own objects; remove it (`bpfwall flush ruleset` does)",
			  path);
		return -EPERM;
	}
	if (!bw_rt_trusted_uid(st.st_uid)) {
		bw_rt_log("refusing %s: owned by uid %u, not by root; run `bpfwall flush ruleset` or load a ruleset to replace it",
			  path, (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		bw_rt_log("refusing %s: writable by others (mode %04o); run `bpfwall flush ruleset` or load a ruleset to replace it",
			  path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int bw_rt_pin_get(const struct bw_rt_pin *pin, const char *name,
		  const struct bw_rt_shape *want)
{
	char path[512];
	int fd, err;

	if (bw_rt_pin_path(pin, name, path, sizeof(path)))
		return -ENAMETOOLONG;
	err = bw_rt_pin_trust(pin, name);
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	if (want) {
		err = bw_rt_shape_check(fd, path, want);
		if (err) {
			close(fd);
			return err;
		}
	}
	return fd;
}

bool bw_rt_obj_is(int fd, const char *kind)
{
	char k[64];

	obj_kind(fd, k, sizeof(k));
	return !strcmp(k, kind);
}

int bw_rt_dir_make(struct bw_rt_walk *w, const char *dir, char *made,
		   size_t len)
{
	char buf[PATH_MAX], comp[NAME_MAX + 1], *rest = buf;
	struct stat st;
	int err;

	snprintf(buf, sizeof(buf), "%s", w->missing);
	while (next_comp(&rest, comp, sizeof(comp))) {
		bool last = only_slashes(rest);
		int nfd;

		shown_add(w->shown, sizeof(w->shown), comp);
		if (mkdirat(w->fd, comp, 0700)) {
			if (errno != EEXIST)
				return -errno;
		} else if (made && !made[0]) {
			snprintf(made, len, "%s", w->shown);
		}
		/* made here, or by someone else just now: checked either way */
		nfd = openat(w->fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0)
			return -errno;
		close(w->fd);
		w->fd = nfd;
		if (fstat(nfd, &st))
			return -errno;
		err = check_dir(&st, w->shown, last, dir);
		if (err)
			return err;
	}
	w->missing[0] = 0;
	return 0;
}

/* The name the kernel keeps for program id (into buf). */
static void prog_name(uint32_t id, char *buf, size_t len)
{
	struct bpf_prog_info info;
	uint32_t ilen = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	buf[0] = 0;
	if (fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(fd, &info, &ilen))
		snprintf(buf, len, "%s", info.name);
	close(fd);
}

bool bw_rt_pin_is_ours(const struct bw_rt_pin *pin, const char *name)
{
	char kname[64] = "";
	int fd = bw_rt_pin_get(pin, name, NULL);

	if (fd < 0)
		return false;
	if (bw_rt_obj_is(fd, "bpf-map")) {
		struct bpf_map_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			snprintf(kname, sizeof(kname), "%s", info.name);
	} else if (bw_rt_obj_is(fd, "bpf-prog")) {
		struct bpf_prog_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			snprintf(kname, sizeof(kname), "%s", info.name);
	} else if (bw_rt_obj_is(fd, "bpf-link")) {
		struct bpf_link_info info;
		uint32_t len = sizeof(info);

		memset(&info, 0, sizeof(info));
		if (!bpf_obj_get_info_by_fd(fd, &info, &len))
			prog_name(info.prog_id, kname, sizeof(kname));
	}
	close(fd);
	return !strncmp(kname, "bw_", 3);
}
