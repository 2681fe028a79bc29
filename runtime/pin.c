// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pin dir: find it, or make it and mount its bpffs (every step checked
 * by trust.c), lock it (lock.c), undo what a failed first load made, and
 * keep the state blob (attach points and ruleset text) in a pinned array
 * map.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "compat.h"
#include "rt.h"

const char *bw_rt_pin_dir(const struct bw_rt_opts *o)
{
	const char *env;

	if (o && o->pin_dir && o->pin_dir[0])
		return o->pin_dir;
	env = getenv("BPFWALL_PIN_DIR");
	if (env && env[0])
		return env;
	return BW_PIN_DIR_DEFAULT;
}

int bw_rt_is_bpffs(const char *path)
{
	struct statfs st;

	if (statfs(path, &st))
		return -errno;
	return (unsigned long)st.f_type == (unsigned long)BPF_FS_MAGIC;
}

/* File systems of the kernel's own where no bpffs belongs (sysfs has
 * /sys/fs/bpf for it, and only that). */
static const char *no_place(int fd, const char *shown)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} fs[] = {
		{ PROC_SUPER_MAGIC, "proc" }, { SYSFS_MAGIC, "sysfs" },
		{ CGROUP_SUPER_MAGIC, "cgroup" }, { CGROUP2_SUPER_MAGIC, "cgroup2" },
		{ DEBUGFS_MAGIC, "debugfs" }, { TRACEFS_MAGIC, "tracefs" },
		{ SECURITYFS_MAGIC, "securityfs" }, { DEVPTS_SUPER_MAGIC, "devpts" },
		{ PSTOREFS_MAGIC, "pstore" }, { EFIVARFS_MAGIC, "efivarfs" },
		{ SELINUX_MAGIC, "selinuxfs" }, { NSFS_MAGIC, "nsfs" },
	};
	struct statfs sf;

	if (fstatfs(fd, &sf))
		return NULL;
	for (size_t i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
		if ((unsigned long)sf.f_type != fs[i].magic)
			continue;
		if (fs[i].magic == SYSFS_MAGIC && !strcmp(shown, "/sys/fs/bpf"))
			return NULL;
		return fs[i].name;
	}
	return NULL;
}

static int say_no_place(const char *dir, const char *shown, const char *fs)
{
	bw_rt_log("pin dir %s: %s is on %s, which is not a bpffs and no place to mount one; choose a --pin-dir under /sys/fs/bpf (the default is %s)",
		  dir, shown, fs, BW_PIN_DIR_DEFAULT);
	return -EINVAL;
}

static int fd_is_bpffs(int fd)
{
	struct statfs st;

	if (fstatfs(fd, &st))
		return -errno;
	return (unsigned long)st.f_type == (unsigned long)BPF_FS_MAGIC;
}

/* Is the directory fd (O_PATH) empty? 1, 0 or -errno. */
static int dir_empty(int fd)
{
	int rfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *e;
	int empty = 1;
	DIR *d;

	if (rfd < 0 || !(d = fdopendir(rfd))) {
		empty = -errno;
		if (rfd >= 0)
			close(rfd);
		return empty;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

/* Mount a bpffs (mode 0700: root's alone) on the directory fd (O_PATH),
 * reached as shown. */
static int mount_bpffs(int fd, const char *shown, const char *dir)
{
	const char *fs = no_place(fd, shown);
	char at[64];
	int empty;

	if (fs)
		return say_no_place(dir, shown, fs);
	empty = dir_empty(fd);
	if (empty < 0) {
		bw_rt_log("%s: %s", shown, strerror(-empty));
		return empty;
	}
	if (!empty) {
		bw_rt_log("%s is not on a bpffs and not empty: mount one there (mount -t bpf -o mode=0700 bpf %s) or choose another --pin-dir",
			  shown, shown);
		return -ENOTEMPTY;
	}
	snprintf(at, sizeof(at), "/proc/self/fd/%d", fd);
	if (mount("bpf", at, "bpf", 0, "mode=0700")) {
		int err = -errno;

		bw_rt_log("cannot mount a bpffs on %s: %s", shown, strerror(errno));
		return err;
	}
	bw_rt_debug("mounted a bpffs on %s", shown);
	return 0;
}

/* Walk to dir again (after a mount on the way): w->fd the pin dir. */
static int rewalk(const char *dir, struct bw_rt_walk *w)
{
	if (w->fd >= 0)
		close(w->fd);
	return bw_rt_dir_walk(dir, w);
}

/* rmdir from the deepest directory of dir up to made (a prefix of it). */
static void rmdirs(const char *dir, const char *made)
{
	char p[512];
	char *slash;

	snprintf(p, sizeof(p), "%s", dir);
	for (;;) {
		size_t n = strlen(p);

		while (n > 1 && p[n - 1] == '/')
			p[--n] = 0;
		if (rmdir(p) && errno != ENOENT)
			return;
		if (!strcmp(p, made) || !(slash = strrchr(p, '/')) || slash == p)
			return;
		*slash = 0;
	}
}

/* Make dir (which does not exist: w from the walk) and a bpffs for it.
 * Where the ancestor is a bpffs: mkdir.  Else mkdir and mount on dir
 * (bpftool does the same), except under sysfs, which refuses directories
 * and has /sys/fs/bpf for a bpffs: mount there, then mkdir. */
static int make_pin_dir(const char *dir, struct bw_rt_walk *w,
			struct bw_rt_pin *out)
{
	struct statfs sf;
	const char *fs;
	int r;

	if (fstatfs(w->fd, &sf))
		return -errno;
	if ((unsigned long)sf.f_type == (unsigned long)BPF_FS_MAGIC)
		goto mkdirs;
	fs = no_place(w->fd, w->shown);
	if (fs)
		return say_no_place(dir, w->shown, fs);
	if ((unsigned long)sf.f_type == (unsigned long)SYSFS_MAGIC) {
		r = mount_bpffs(w->fd, w->shown, dir);
		if (r)
			return r;
		snprintf(out->mounted, sizeof(out->mounted), "%s", w->shown);
		r = rewalk(dir, w);
		if (r != -ENOENT)
			return r;
		goto mkdirs;
	}
	r = bw_rt_dir_make(w, dir, out->made, sizeof(out->made));
	if (!r)
		r = mount_bpffs(w->fd, w->shown, dir);
	if (r) {
		if (r != -EPERM)
			bw_rt_log("cannot create %s: %s", dir, strerror(-r));
		if (out->made[0])
			rmdirs(w->shown, out->made);
		out->made[0] = 0;
		return r;
	}
	snprintf(out->mounted, sizeof(out->mounted), "%s", w->shown);
	return rewalk(dir, w);
mkdirs:
	r = bw_rt_dir_make(w, dir, out->made, sizeof(out->made));
	if (r && r != -EPERM)
		bw_rt_log("cannot create %s: %s", dir, strerror(-r));
	return r;
}

/*
 * Mount namespaces.  A bpffs mounted in a mount namespace that dies with
 * this process takes every pin with it: `ip netns exec` runs bpfwall in a
 * fresh mount namespace (and remounts /sys, hiding /sys/fs/bpf), so a bpffs
 * bpfwall mounted there would detach the ruleset the moment bpfwall exits.
 * The pin dir therefore lives in the outermost mount namespace of this
 * process's ancestors that bpfwall can enter (the host's, normally), and is
 * reached from here through an open directory fd.
 */

/* Parent pid of pid, or -1. */
static pid_t parent_of(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	pid_t ppid = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) &&
	    sscanf(p + 1, " %*c %d", &ppid) != 1)
		ppid = -1;
	fclose(f);
	return ppid;
}

/* Whether another process shares this process's mount namespace (and so
 * keeps a mount made here alive after this process exits). */
static bool mntns_shared(void)
{
	struct stat self, st;
	struct dirent *e;
	bool shared = false;
	char path[64];
	DIR *d;

	if (stat("/proc/self/ns/mnt", &self) || !(d = opendir("/proc")))
		return true;	/* cannot tell: stay where we are */
	while (!shared && (e = readdir(d))) {
		int pid = atoi(e->d_name);

		if (pid <= 0 || pid == (int)getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", pid);
		shared = !stat(path, &st) && st.st_ino == self.st_ino &&
			 st.st_dev == self.st_dev;
	}
	closedir(d);
	return shared;
}

/* An fd of the outermost ancestor mount namespace other than ours that
 * can be opened, or -1 when every ancestor shares ours. */
static int outer_mntns(void)
{
	struct stat self, st;
	char path[64];
	int fd = -1;

	if (stat("/proc/self/ns/mnt", &self))
		return -1;
	for (pid_t pid = parent_of(getpid()); pid > 0; pid = parent_of(pid)) {
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
		if (stat(path, &st))
			break;		/* not ours to look at: stop here */
		if (st.st_ino == self.st_ino && st.st_dev == self.st_dev)
			continue;
		int nfd = open(path, O_RDONLY | O_CLOEXEC);

		if (nfd < 0)
			break;
		if (fd >= 0)
			close(fd);
		fd = nfd;
	}
	return fd;
}

/* Find (or with create, make) the bpffs pin dir; returns an open fd of it
 * or -errno.  -ENOENT: there is no state (without create). */
static int pin_dir_here(const char *dir, bool create, struct bw_rt_pin *out)
{
	struct bw_rt_walk w;
	int r, fd;

	r = bw_rt_dir_walk(dir, &w);
	if (r == -ENOENT && !create) {
		bw_rt_debug("%s: no bpfwall state (no such directory)", dir);
		goto out;
	}
	if (r == -ENOENT)
		r = make_pin_dir(dir, &w, out);
	else if (!r && (r = fd_is_bpffs(w.fd)) == 0) {
		if (!create) {
			bw_rt_debug("%s: no bpfwall state (not a bpffs)", dir);
			r = -ENOENT;
			goto out;
		}
		r = mount_bpffs(w.fd, w.shown, dir);
		if (!r) {
			snprintf(out->mounted, sizeof(out->mounted), "%s", w.shown);
			r = rewalk(dir, &w);
		}
	} else if (r > 0) {
		r = 0;
	}
	if (r)
		goto out;
	snprintf(out->path, sizeof(out->path), "%s", w.shown);
	fd = openat(w.fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		bw_rt_log("cannot open pin dir %s: %s", dir, strerror(errno));
		goto out;
	}
	close(w.fd);
	return fd;
out:
	if (w.fd >= 0)
		close(w.fd);
	return r;
}

/* Run fn(arg) inside the mount namespace nsfd; this process and its
 * working directory are back where they were on return. */
static int in_mntns(int nsfd, int (*fn)(void *), void *arg)
{
	int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int r = -EINVAL;

	if (self < 0 || cwd < 0 || setns(nsfd, CLONE_NEWNS)) {
		r = -errno;
		bw_rt_debug("cannot enter the outer mount namespace: %s",
			    strerror(errno));
	} else {
		r = fn(arg);
		if (setns(self, CLONE_NEWNS) || fchdir(cwd)) {
			/* cannot happen for root; never go on half moved */
			bw_rt_log("cannot return to the mount namespace: %s",
				  strerror(errno));
			abort();
		}
	}
	if (self >= 0)
		close(self);
	if (cwd >= 0)
		close(cwd);
	return r;
}

struct here_args {
	const char *dir;
	bool create;
	struct bw_rt_pin *out;
	bool entered;
};

static int here_fn(void *arg)
{
	struct here_args *a = arg;

	a->entered = true;
	return pin_dir_here(a->dir, a->create, a->out);
}

/* The id of the map pinned as name, 0 if none. */
static uint32_t pin_id(const struct bw_rt_pin *p, const char *name)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	char path[320];
	int fd;

	if (bw_rt_pin_trust(p, name) || bw_rt_pin_path(p, name, path, sizeof(path)))
		return 0;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		info.id = 0;
	close(fd);
	return info.id;
}

const char *const bw_rt_kept_pins[] = { "conntrack", "log_events",
					"audit_events", NULL };

/* The pin dir this process holds the lock of (bw_rt_hold_lock): opening
 * it again takes no lock, a second flock would wait on our own. */
static struct bw_rt_pin held = { .dirfd = -1, .mntns = -1 };

static bool is_held(int fd)
{
	struct stat a, b;

	return held.dirfd >= 0 && !fstat(fd, &a) && !fstat(held.dirfd, &b) &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int bw_rt_hold_lock(const struct bw_rt_opts *o)
{
	int r;

	if (held.dirfd >= 0)
		return -EALREADY;
	r = bw_rt_pin_open(bw_rt_pin_dir(o), false, true, o->pin_outlive, &held);
	if (r)
		held = (struct bw_rt_pin){ .dirfd = -1, .mntns = -1 };
	return r;
}

void bw_rt_release_lock(void)
{
	bw_rt_pin_close(&held);
}

static int pin_open_once(const char *dir, bool create, bool exclusive,
			 bool outlive, struct bw_rt_pin *out)
{
	int fd = -1, ns, r;
	struct stat st;

	/* A bpffs already visible here is used as it is (a test's private
	 * one, or the host's /sys/fs/bpf); else, when a mount made here
	 * would die with this process, look outside first. */
	if (outlive && bw_rt_is_bpffs(dir) != 1 && !mntns_shared() &&
	    (ns = outer_mntns()) >= 0) {
		struct here_args a = { dir, create, out, false };

		fd = in_mntns(ns, here_fn, &a);
		if (fd >= 0) {
			snprintf(out->dir, sizeof(out->dir), "/proc/self/fd/%d", fd);
			bw_rt_debug("pin dir %s is in an outer mount namespace (%s)",
				    dir, out->dir);
		}
		if (fd >= 0 && (out->made[0] || out->mounted[0]))
			out->mntns = ns;
		else
			close(ns);
		if (a.entered && (fd == -EPERM || fd == -EINVAL))
			return fd;	/* refused there, said */
	}
	if (fd < 0 && fd != -ENOENT)
		fd = pin_dir_here(dir, create, out);
	if (fd < 0)
		return fd;
	out->dirfd = fd;
	r = is_held(fd) ? 0 : bw_rt_lock(fd, exclusive, dir);
	if (r) {
		if (r != -EBUSY)
			bw_rt_log("cannot lock pin dir %s: %s", dir, strerror(-r));
		return r;
	}
	/* removed while we waited (a failed first load's undo): again */
	if (!fstat(fd, &st) && st.st_nlink == 0)
		return -ESTALE;
	return 0;
}

int bw_rt_pin_open(const char *dir, bool create, bool exclusive, bool outlive,
		   struct bw_rt_pin *out)
{
	int r = -ESTALE;

	if (strlen(dir) + 32 >= sizeof(out->dir)) {
		bw_rt_log("pin dir path too long: %s", dir);
		return -ENAMETOOLONG;
	}
	for (int tries = 0; r == -ESTALE && tries < 3; tries++) {
		memset(out, 0, sizeof(*out));
		out->dirfd = -1;
		out->mntns = -1;
		snprintf(out->dir, sizeof(out->dir), "%s", dir);
		r = pin_open_once(dir, create, exclusive, outlive, out);
		if (r)
			bw_rt_pin_close(out);
	}
	if (r == -ESTALE)
		bw_rt_log("pin dir %s keeps vanishing under this bpfwall", dir);
	if (r || !create)
		return r;
	out->create = true;
	out->state_id = pin_id(out, "state");
	for (int i = 0; bw_rt_kept_pins[i]; i++)
		if (!bw_rt_pin_trust(out, bw_rt_kept_pins[i]))
			out->kept |= 1u << i;
	return 0;
}

void bw_rt_pin_close(struct bw_rt_pin *p)
{
	if (p->dirfd >= 0)
		close(p->dirfd);	/* releases the lock */
	p->dirfd = -1;
	if (p->mntns >= 0)
		close(p->mntns);
	p->mntns = -1;
}

/* Nothing but what the kernel puts in a fresh bpffs (bpf_preload's
 * maps.debug and progs.debug) is in the pin dir. */
static bool dir_unused(int dirfd)
{
	int fd = dup(dirfd);
	struct dirent *e;
	bool unused = true;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	rewinddir(d);
	while (unused && (e = readdir(d)))
		unused = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
			 !strcmp(e->d_name, "maps.debug") ||
			 !strcmp(e->d_name, "progs.debug");
	closedir(d);
	return unused;
}

static int undo_fn(void *arg)
{
	const struct bw_rt_pin *p = arg;
	bool on_dir = p->mounted[0] && !strcmp(p->mounted, p->path);

	/* a bpffs on the pin dir itself goes first, then the directories;
	 * one on an ancestor (/sys/fs/bpf) after them */
	if (on_dir && umount2(p->mounted, MNT_DETACH | UMOUNT_NOFOLLOW))
		bw_rt_log("cannot unmount %s: %s", p->mounted, strerror(errno));
	if (p->made[0])
		rmdirs(p->path, p->made);
	if (p->mounted[0] && !on_dir &&
	    umount2(p->mounted, MNT_DETACH | UMOUNT_NOFOLLOW))
		bw_rt_log("cannot unmount %s: %s", p->mounted, strerror(errno));
	return 0;
}

void bw_rt_pin_discard(struct bw_rt_pin *p)
{
	if (!p->create || p->dirfd < 0 || pin_id(p, "state") != p->state_id)
		return;		/* a new ruleset is in force: keep it all */
	for (int i = 0; bw_rt_kept_pins[i]; i++)
		if (!(p->kept & 1u << i) && !bw_rt_pin_trust(p, bw_rt_kept_pins[i]) &&
		    unlinkat(p->dirfd, bw_rt_kept_pins[i], 0) == 0)
			bw_rt_debug("removed %s, made by the failed load",
				    bw_rt_kept_pins[i]);
	if ((!p->made[0] && !p->mounted[0]) || !dir_unused(p->dirfd))
		return;
	if (p->mntns >= 0)
		in_mntns(p->mntns, undo_fn, p);
	else
		undo_fn(p);
	bw_rt_debug("removed what the failed load made for %s", p->path);
}

int bw_rt_pin_path(const struct bw_rt_pin *p, const char *name, char *buf,
		   size_t len)
{
	int n = snprintf(buf, len, "%s/%s", p->dir, name);

	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

int bw_rt_netns_id(uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

/* An attach point's entry in a version-1 state: up to ifname. */
#define STATE_AP_V1 offsetof(struct bw_rt_state_ap, nf)
_Static_assert(STATE_AP_V1 == 40, "version 1 entries were 40 bytes");

struct state_hdr {
	uint32_t magic, version;
	uint64_t netns_dev, netns_ino;
	uint32_t nhandle, nlookup, nap, text_len;
	/* version 3: what list ruleset needs besides the text
	 * (compiler/bpf/build.h bw_build_list), after the text */
	uint32_t list_len, pad;
};
/* The header of versions 1 and 2: up to list_len. */
#define STATE_HDR_V2 offsetof(struct state_hdr, list_len)
_Static_assert(STATE_HDR_V2 == 40, "version 2 headers were 40 bytes");

int bw_rt_state_create(const struct bw_rt_state *s)
{
	size_t tlen = s->text ? strlen(s->text) : 0;
	size_t size = sizeof(struct state_hdr) + s->nap * sizeof(*s->ap) + tlen +
		      s->list_len + 1;
	uint32_t nchunk = (uint32_t)((size + BW_RT_STATE_CHUNK - 1) / BW_RT_STATE_CHUNK);
	struct state_hdr h = {
		.magic = BW_RT_STATE_MAGIC, .version = BW_RT_STATE_VERSION,
		.netns_dev = s->netns_dev, .netns_ino = s->netns_ino,
		.nhandle = s->nhandle, .nlookup = s->nlookup, .nap = s->nap,
		.text_len = (uint32_t)tlen, .list_len = s->list_len,
	};
	uint8_t *blob;
	int fd, err = 0;

	if (tlen > UINT32_MAX / 2 || s->list_len > UINT32_MAX / 2)
		return -E2BIG;
	blob = calloc(nchunk, BW_RT_STATE_CHUNK);
	if (!blob)
		return -ENOMEM;
	memcpy(blob, &h, sizeof(h));
	if (s->nap)
		memcpy(blob + sizeof(h), s->ap, s->nap * sizeof(*s->ap));
	if (tlen)
		memcpy(blob + sizeof(h) + s->nap * sizeof(*s->ap), s->text, tlen);
	if (s->list_len)
		memcpy(blob + sizeof(h) + s->nap * sizeof(*s->ap) + tlen, s->list,
		       s->list_len);
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bw_state", sizeof(uint32_t),
			    BW_RT_STATE_CHUNK, nchunk, NULL);
	if (fd < 0) {
		err = -errno;
		bw_rt_log("cannot create the state map (%u chunks): %s", nchunk,
			  strerror(errno));
		goto out;
	}
	for (uint32_t i = 0; i < nchunk; i++) {
		if (bpf_map_update_elem(fd, &i, blob + (size_t)i * BW_RT_STATE_CHUNK,
					BPF_ANY)) {
			err = -errno;
			bw_rt_log("cannot write the state map: %s", strerror(errno));
			close(fd);
			goto out;
		}
	}
	/* read-only from now on, for programs and for us */
	bpf_map_freeze(fd);
out:
	free(blob);
	return err ? err : fd;
}

void bw_rt_state_fini(struct bw_rt_state *s)
{
	free(s->ap);
	free(s->text);
	free(s->list);
	memset(s, 0, sizeof(*s));
}

int bw_rt_state_read(int map_fd, struct bw_rt_state *out)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	struct state_hdr h;
	size_t size, need, esize, hsize;
	uint8_t *blob;
	int err = 0;

	memset(out, 0, sizeof(*out));
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(map_fd, &info, &len))
		return -errno;
	if (info.type != BPF_MAP_TYPE_ARRAY ||
	    info.value_size != BW_RT_STATE_CHUNK || !info.max_entries ||
	    info.max_entries > (1u << 20))
		return -EBADMSG;
	size = (size_t)info.max_entries * BW_RT_STATE_CHUNK;
	blob = malloc(size);
	if (!blob)
		return -ENOMEM;
	for (uint32_t i = 0; i < info.max_entries; i++) {
		if (bpf_map_lookup_elem(map_fd, &i,
					blob + (size_t)i * BW_RT_STATE_CHUNK)) {
			err = -errno;
			goto out;
		}
	}
	memcpy(&h, blob, sizeof(h));
	if (h.magic != BW_RT_STATE_MAGIC) {
		err = -EBADMSG;
		goto out;
	}
	if (h.version != BW_RT_STATE_VERSION && h.version != 1 &&
	    h.version != 2) {
		err = -BW_RT_EVERSION;
		goto out;
	}
	/* version 1 (before the netfilter hooks): shorter entries;
	 * versions 1 and 2 (before the list data): a shorter header */
	esize = h.version == 1 ? STATE_AP_V1 : sizeof(*out->ap);
	hsize = h.version < 3 ? STATE_HDR_V2 : sizeof(h);
	if (h.version < 3)
		h.list_len = 0;
	need = hsize + (size_t)h.nap * esize + h.text_len + h.list_len + 1;
	if (h.nap > 1u << 20 || h.text_len > size || h.list_len > size ||
	    need > size) {
		err = -EBADMSG;
		goto out;
	}
	out->version = h.version;
	out->netns_dev = h.netns_dev;
	out->netns_ino = h.netns_ino;
	out->nhandle = h.nhandle;
	out->nlookup = h.nlookup;
	out->nap = h.nap;
	out->ap = calloc(h.nap ? h.nap : 1, sizeof(*out->ap));
	out->text = malloc((size_t)h.text_len + 1);
	out->list = h.list_len ? malloc(h.list_len) : NULL;
	if (!out->ap || !out->text || (h.list_len && !out->list)) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < h.nap; i++) {
		memcpy(&out->ap[i], blob + hsize + i * esize, esize);
		out->ap[i].ifname[sizeof(out->ap[i].ifname) - 1] = 0;
	}
	memcpy(out->text, blob + hsize + h.nap * esize, h.text_len);
	out->text[h.text_len] = 0;
	out->list_len = h.list_len;
	if (h.list_len)
		memcpy(out->list, blob + hsize + h.nap * esize + h.text_len,
		       h.list_len);
out:
	free(blob);
	if (err)
		bw_rt_state_fini(out);
	return err;
}

void bw_rt_att_name(enum bw_rt_kind kind, enum bw_hook hook, uint32_t ifindex,
		    char *buf, size_t len)
{
	snprintf(buf, len, "%s_%s_%u", kind == BW_RT_KIND_CLSACT ? "prog" : "link",
		 hook == BW_HOOK_XDP ? "xdp" : "tc", ifindex);
}

/* Open the attachment pinned as name into a (hook, kind, ifindex, nf
 * set): a link's pin holds a link, a clsact filter's its program, a
 * bridge's either; a netfilter link's program array is the one its
 * dispatcher calls through (a pin of that name may be a later run's). */
static void att_open_name(const struct bw_rt_pin *pin, struct bw_rt_att *a,
			  const char *name, char *path, size_t plen)
{
	a->fd = a->map_fd = -1;
	bw_rt_pin_path(pin, name, path, plen);
	a->fd = bw_rt_pin_get(pin, name, NULL);
	if (a->fd < 0)
		a->fd = -1;
	if (a->fd >= 0 && a->bridge)
		a->kind = bw_rt_obj_is(a->fd, "bpf-link") ? BW_RT_KIND_TCX :
			  BW_RT_KIND_CLSACT;
	if (a->fd >= 0 && !bw_rt_obj_is(a->fd, a->kind == BW_RT_KIND_CLSACT ?
					  "bpf-prog" : "bpf-link")) {
		bw_rt_log("%s is not what bpfwall pinned there: ignored", path);
		close(a->fd);
		a->fd = -1;
	}
	if (a->fd >= 0 && a->kind == BW_RT_KIND_NF) {
		a->map_fd = bw_rt_nf_link_array(a->fd);
		if (a->map_fd < 0) {
			bw_rt_debug("%s: no program array behind it: %s", path,
				    strerror(-a->map_fd));
			a->map_fd = -1;
		}
	}
	if (a->fd < 0 && a->kind != BW_RT_KIND_CLSACT)
		a->kind = BW_RT_KIND_NONE;
}

/* The name a state entry's attachment is pinned under. */
static void entry_name(const struct bw_rt_state_ap *sa, char *buf, size_t len)
{
	if (sa->kind == BW_RT_KIND_NF)
		bw_rt_nf_name(&sa->nf, true, buf, len);
	else
		bw_rt_att_name(sa->kind, sa->hook, sa->ifindex, buf, len);
}

void bw_rt_att_open(const struct bw_rt_pin *pin, const struct bw_rt_state_ap *sa,
		    struct bw_rt_att *a, char *path, size_t plen)
{
	char name[64];

	memset(a, 0, sizeof(*a));
	a->hook = sa->hook;
	a->kind = sa->kind;
	a->ifindex = sa->ifindex;
	a->xdp_flags = sa->xdp_flags;
	a->tc_handle = sa->tc_handle;
	a->tc_prio = sa->tc_prio;
	a->nf = sa->nf;
	a->nf_actual = sa->nf_actual;
	entry_name(sa, name, sizeof(name));
	att_open_name(pin, a, name, path, plen);
}

/* Does the whole of s match fmt with n numbers, printed back the same? */
static bool name_is(const char *s, const char *fmt, int n, unsigned v[3])
{
	char again[256];
	int prio;

	if (n == 3) {
		/* the last is a priority, signed */
		if (sscanf(s, fmt, &v[0], &v[1], &prio) != 3)
			return false;
		v[2] = (unsigned)prio;
		snprintf(again, sizeof(again), fmt, v[0], v[1], prio);
	} else if (n == 2) {
		if (sscanf(s, fmt, &v[0], &v[1]) != 2)
			return false;
		snprintf(again, sizeof(again), fmt, v[0], v[1]);
	} else {
		if (sscanf(s, fmt, &v[0]) != 1)
			return false;
		snprintf(again, sizeof(again), fmt, v[0]);
	}
	return !strcmp(again, s);
}

/* n without a trailing "_new", into base; true if it had one. */
static bool strip_new(const char *n, char *base, size_t len)
{
	size_t l = strlen(n);

	snprintf(base, len, "%s", n);
	if (l >= len || l <= 4 || strcmp(n + l - 4, "_new"))
		return false;
	base[l - 4] = 0;
	return true;
}

bool bw_rt_att_name_parse(const char *n, struct bw_rt_att *a, bool *tmp)
{
	char base[256];
	unsigned v[3];

	memset(a, 0, sizeof(*a));
	a->fd = a->map_fd = -1;
	*tmp = strip_new(n, base, sizeof(base));
	if (name_is(base, "link_xdp_%u", 1, v)) {
		a->hook = BW_HOOK_XDP;
		a->kind = BW_RT_KIND_XDP;
	} else if (name_is(base, "link_tc_%u", 1, v)) {
		a->hook = BW_HOOK_TC;
		a->kind = BW_RT_KIND_TCX;
	} else if (name_is(base, "prog_tc_%u", 1, v)) {
		a->hook = BW_HOOK_TC;
		a->kind = BW_RT_KIND_CLSACT;
		a->tc_handle = BW_RT_TC_HANDLE;
		a->tc_prio = BW_RT_TC_PRIO;
	} else if (name_is(base, "bridge_%u", 1, v)) {
		a->hook = BW_HOOK_XDP;
		a->bridge = true;
		a->kind = BW_RT_KIND_TCX;	/* or clsact: its pin says */
		a->tc_handle = BW_RT_TC_HANDLE;
		a->tc_prio = BW_RT_TC_PRIO;
	} else if (name_is(base, "link_nf_%u_%u_%d", 3, v)) {
		a->hook = BW_HOOK_NF;
		a->kind = BW_RT_KIND_NF;
		a->nf.pf = (uint8_t)v[0];
		a->nf.hook = (uint8_t)v[1];
		a->nf.priority = (int32_t)v[2];
		return v[0] < 256 && v[1] < 256;
	} else {
		return false;
	}
	a->ifindex = v[0];
	return true;
}

bool bw_rt_pin_name_ours(const char *n)
{
	static const char *const exact[] = {
		"state", "counters", "reasons", "conntrack", "log_events",
		"log_rules", "audit_events", "audit_rules", "audit_info",
		"link_connect4", "link_connect6", "link_kprobe4", "link_kprobe6",
		"link_tracepoint", "limits",
	};
	static const char *const one[] = { "lookup_%u", "link_xdp_%u",
					   "link_tc_%u", "prog_tc_%u",
					   "bridge_%u" };
	char base[256];
	unsigned v[3];

	strip_new(n, base, sizeof(base));
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++)
		if (!strcmp(base, exact[i]))
			return true;
	for (size_t i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		if (name_is(base, one[i], 1, v))
			return true;
	/* a netfilter hook's link and program array: family, hook,
	 * priority (bw_rt_nf_name) */
	return name_is(base, "link_nf_%u_%u_%d", 3, v) ||
	       name_is(base, "nfprog_%u_%u_%d", 3, v) ||
	       name_is(base, "set_%u_%u", 2, v);
}

/* The kernel's id of a bpf object fd (a map, program or link: each info
 * starts with its type and id), 0 if none. */
static uint32_t obj_id(int fd)
{
	uint32_t info[2] = { 0, 0 }, len = sizeof(info);

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, info, &len))
		return 0;
	return info[1];
}

static int olds_add(struct bw_rt_old **o, uint32_t *n, uint32_t *cap)
{
	if (*n == *cap) {
		uint32_t c = *cap ? *cap * 2 : 8;
		struct bw_rt_old *v = realloc(*o, c * sizeof(*v));

		if (!v)
			return -ENOMEM;
		*o = v;
		*cap = c;
	}
	memset(&(*o)[*n], 0, sizeof(**o));
	(*o)[*n].att.fd = (*o)[*n].att.map_fd = -1;
	(*o)[*n].entry = -1;
	return 0;
}

int bw_rt_olds_open(const struct bw_rt_pin *pin, const struct bw_rt_state *st,
		    struct bw_rt_old **out, uint32_t *n)
{
	uint32_t nst = st ? st->nap : 0, cap = 0;
	struct bw_rt_old *o = NULL;
	struct dirent *e;
	int dfd, err = 0;
	DIR *dir;

	*out = NULL;
	*n = 0;
	for (uint32_t i = 0; i < nst; i++) {
		struct bw_rt_old *x;

		err = olds_add(&o, n, &cap);
		if (err)
			goto fail;
		x = &o[(*n)++];
		x->entry = (int32_t)i;
		entry_name(&st->ap[i], x->name, sizeof(x->name));
		bw_rt_att_open(pin, &st->ap[i], &x->att, x->path, sizeof(x->path));
		x->live = bw_rt_att_live(&x->att, &x->why);
		x->id = obj_id(x->att.fd);
	}
	/* the pins the state does not name */
	dfd = dup(pin->dirfd);
	dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!dir) {
		err = -errno;
		if (dfd >= 0)
			close(dfd);
		goto fail;
	}
	rewinddir(dir);
	while ((e = readdir(dir))) {
		struct bw_rt_att a;
		struct bw_rt_old *x;
		bool tmp, named = false;

		if (strlen(e->d_name) >= sizeof(o->name) ||
		    !bw_rt_att_name_parse(e->d_name, &a, &tmp))
			continue;
		for (uint32_t i = 0; !tmp && i < nst && !named; i++)
			named = !strcmp(o[i].name, e->d_name);
		if (named || !bw_rt_pin_is_ours(pin, e->d_name))
			continue;	/* the state's, or another tool's */
		err = olds_add(&o, n, &cap);
		if (err)
			break;
		x = &o[*n];
		x->att = a;
		memcpy(x->name, e->d_name, strlen(e->d_name) + 1);
		att_open_name(pin, &x->att, x->name, x->path, sizeof(x->path));
		if (x->att.fd < 0)
			continue;	/* gone meanwhile */
		x->live = bw_rt_att_live(&x->att, &x->why);
		x->id = obj_id(x->att.fd);
		bw_rt_debug("%s: pinned, not in the state (%s)", x->path,
			    x->live ? "attached" : x->why);
		(*n)++;
	}
	rewinddir(dir);	/* the offset is the pin dir fd's too */
	closedir(dir);
	if (err)
		goto fail;
	*out = o;
	return 0;
fail:
	bw_rt_olds_close(&o, *n);
	*n = 0;
	return err;
}

void bw_rt_olds_close(struct bw_rt_old **o, uint32_t n)
{
	for (uint32_t i = 0; *o && i < n; i++) {
		if ((*o)[i].att.fd >= 0)
			close((*o)[i].att.fd);
		if ((*o)[i].att.map_fd >= 0)
			close((*o)[i].att.map_fd);
	}
	free(*o);
	*o = NULL;
}

uint32_t bw_rt_obj_id(int fd)
{
	return obj_id(fd);
}

bool bw_rt_pin_holds(const struct bw_rt_pin *pin, const char *name, int fd)
{
	char path[320];
	bool same;
	int now;

	if (fd < 0 || bw_rt_pin_path(pin, name, path, sizeof(path)) ||
	    bw_rt_pin_trust(pin, name))
		return false;
	now = bpf_obj_get(path);
	if (now < 0)
		return false;
	same = obj_id(now) == obj_id(fd) &&
	       ((bw_rt_obj_is(now, "bpf-link") && bw_rt_obj_is(fd, "bpf-link")) ||
		(bw_rt_obj_is(now, "bpf-prog") && bw_rt_obj_is(fd, "bpf-prog")) ||
		(bw_rt_obj_is(now, "bpf-map") && bw_rt_obj_is(fd, "bpf-map")));
	close(now);
	return same;
}

void bw_rt_unpin_same(const struct bw_rt_pin *pin, const char *name, int fd)
{
	if (bw_rt_pin_holds(pin, name, fd) && unlinkat(pin->dirfd, name, 0) &&
	    errno != ENOENT)
		bw_rt_log("cannot remove %s/%s: %s", pin->dir, name,
			  strerror(errno));
}

int bw_rt_state_load(const struct bw_rt_pin *pin, struct bw_rt_state *st)
{
	static const struct bw_rt_shape shape = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = BW_RT_STATE_CHUNK,
	};
	int fd, err;

	memset(st, 0, sizeof(*st));
	fd = bw_rt_pin_get(pin, "state", &shape);
	if (fd < 0)
		return fd;
	err = bw_rt_state_read(fd, st);
	close(fd);
	return err;
}

const char *bw_rt_state_strerror(int err)
{
	switch (-err) {
	case BW_RT_EVERSION:
		return "the pinned state was written by another version of bpfwall; run `bpfwall flush ruleset` or load a ruleset to replace it";
	case EBADMSG:
		return "the pinned state is damaged (or not bpfwall's); run `bpfwall flush ruleset` or load a ruleset to replace it";
	case BW_RT_ESHAPE:
		return "the pinned state has another shape than bpfwall's; run `bpfwall flush ruleset` or load a ruleset to replace it";
	default:
		return strerror(-err);
	}
}
