// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pin dir: find or mount its bpffs, lock it, and keep the state blob
 * (attach points and ruleset text) in a pinned array map.
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

static int dir_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

static int mount_bpffs(const char *path)
{
	int empty = dir_empty(path);

	if (empty < 0) {
		bw_rt_log("%s: %s", path, strerror(-empty));
		return empty;
	}
	if (!empty) {
		bw_rt_log("%s is not on a bpffs and not empty: mount one there (mount -t bpf bpf %s) or choose another --pin-dir",
			  path, path);
		return -ENOTEMPTY;
	}
	if (mount("bpf", path, "bpf", 0, "mode=0700")) {
		int err = -errno;

		bw_rt_log("cannot mount a bpffs on %s: %s", path, strerror(errno));
		return err;
	}
	bw_rt_debug("mounted a bpffs on %s", path);
	return 0;
}

/* mkdir -p; returns 0 or -errno of the first mkdir that failed. */
static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	size_t n = strlen(path);

	if (n >= sizeof(buf))
		return -ENAMETOOLONG;
	memcpy(buf, path, n + 1);
	for (char *p = buf + 1; ; p++) {
		if (*p == '/' || !*p) {
			char c = *p;

			*p = 0;
			if (mkdir(buf, 0700) && errno != EEXIST)
				return -errno;
			*p = c;
			if (!c)
				break;
		}
	}
	return 0;
}

/* The longest existing prefix directory of path into buf. */
static void existing_ancestor(const char *path, char *buf, size_t len)
{
	struct stat st;
	char *slash;

	snprintf(buf, len, "%s", path);
	while (stat(buf, &st)) {
		slash = strrchr(buf, '/');
		if (!slash) {
			snprintf(buf, len, ".");
			return;
		}
		if (slash == buf) {
			buf[1] = 0;
			return;
		}
		*slash = 0;
	}
}

static int ensure_bpffs(const char *dir)
{
	char anc[PATH_MAX];
	struct stat st;
	int r;

	if (!stat(dir, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			bw_rt_log("pin dir %s is not a directory", dir);
			return -ENOTDIR;
		}
		r = bw_rt_is_bpffs(dir);
		if (r < 0)
			return r;
		return r ? 0 : mount_bpffs(dir);
	}
	existing_ancestor(dir, anc, sizeof(anc));
	r = bw_rt_is_bpffs(anc);
	if (r < 0)
		return r;
	if (r) {
		r = mkdir_p(dir);
		if (r)
			bw_rt_log("cannot create %s: %s", dir, strerror(-r));
		return r;
	}
	/* Not on a bpffs.  Create the dir and mount there (bpftool does the
	 * same); where the ancestor's file system refuses directories (sysfs
	 * at /sys/fs/bpf), mount on the ancestor instead. */
	if (!mkdir_p(dir))
		return mount_bpffs(dir);
	r = mount_bpffs(anc);
	if (r)
		return r;
	r = mkdir_p(dir);
	if (r)
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
static int pin_dir_here(const char *dir, bool create)
{
	int r, fd;

	if (create) {
		r = ensure_bpffs(dir);
		if (r)
			return r;
	} else {
		r = bw_rt_is_bpffs(dir);
		if (r == -ENOENT || r == 0) {
			bw_rt_debug("%s: no bpfwall state (%s)", dir,
				    r ? "no such directory" : "not a bpffs");
			return -ENOENT;
		}
		if (r < 0) {
			bw_rt_log("%s: %s", dir, strerror(-r));
			return r;
		}
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		bw_rt_log("cannot open pin dir %s: %s", dir, strerror(errno));
		return r;
	}
	return fd;
}

/* pin_dir_here() run inside the mount namespace nsfd; this process and
 * its working directory are back where they were on return. */
static int pin_dir_in(int nsfd, const char *dir, bool create)
{
	int self = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
	int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = -EINVAL;

	if (self < 0 || cwd < 0 || setns(nsfd, CLONE_NEWNS)) {
		fd = -errno;
		bw_rt_debug("cannot enter the outer mount namespace: %s",
			    strerror(errno));
	} else {
		fd = pin_dir_here(dir, create);
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
	return fd;
}

int bw_rt_pin_open(const char *dir, bool create, bool exclusive, bool outlive,
		   struct bw_rt_pin *out)
{
	int fd = -1, ns, r;

	out->dirfd = -1;
	if (strlen(dir) + 32 >= sizeof(out->dir)) {
		bw_rt_log("pin dir path too long: %s", dir);
		return -ENAMETOOLONG;
	}
	snprintf(out->dir, sizeof(out->dir), "%s", dir);
	/* A bpffs already visible here is used as it is (a test's private
	 * one, or the host's /sys/fs/bpf); else, when a mount made here
	 * would die with this process, look outside first. */
	if (outlive && bw_rt_is_bpffs(dir) != 1 && !mntns_shared() &&
	    (ns = outer_mntns()) >= 0) {
		fd = pin_dir_in(ns, dir, create);
		close(ns);
		if (fd >= 0) {
			snprintf(out->dir, sizeof(out->dir), "/proc/self/fd/%d", fd);
			bw_rt_debug("pin dir %s is in an outer mount namespace (%s)",
				    dir, out->dir);
		}
	}
	if (fd < 0 && fd != -ENOENT)
		fd = pin_dir_here(dir, create);
	if (fd < 0)
		return fd;
	if (flock(fd, exclusive ? LOCK_EX : LOCK_SH)) {
		r = -errno;
		bw_rt_log("cannot lock pin dir %s: %s", dir, strerror(errno));
		close(fd);
		return r;
	}
	out->dirfd = fd;
	return 0;
}

void bw_rt_pin_close(struct bw_rt_pin *p)
{
	if (p->dirfd >= 0)
		close(p->dirfd);	/* releases the lock */
	p->dirfd = -1;
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
};

int bw_rt_state_create(const struct bw_rt_state *s)
{
	size_t tlen = s->text ? strlen(s->text) : 0;
	size_t size = sizeof(struct state_hdr) + s->nap * sizeof(*s->ap) + tlen + 1;
	uint32_t nchunk = (uint32_t)((size + BW_RT_STATE_CHUNK - 1) / BW_RT_STATE_CHUNK);
	struct state_hdr h = {
		.magic = BW_RT_STATE_MAGIC, .version = BW_RT_STATE_VERSION,
		.netns_dev = s->netns_dev, .netns_ino = s->netns_ino,
		.nhandle = s->nhandle, .nlookup = s->nlookup, .nap = s->nap,
		.text_len = (uint32_t)tlen,
	};
	uint8_t *blob;
	int fd, err = 0;

	if (tlen > UINT32_MAX / 2)
		return -E2BIG;
	blob = calloc(nchunk, BW_RT_STATE_CHUNK);
	if (!blob)
		return -ENOMEM;
	memcpy(blob, &h, sizeof(h));
	if (s->nap)
		memcpy(blob + sizeof(h), s->ap, s->nap * sizeof(*s->ap));
	if (tlen)
		memcpy(blob + sizeof(h) + s->nap * sizeof(*s->ap), s->text, tlen);
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
	memset(s, 0, sizeof(*s));
}

int bw_rt_state_read(int map_fd, struct bw_rt_state *out)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	struct state_hdr h;
	size_t size, need, esize;
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
	if (h.magic != BW_RT_STATE_MAGIC ||
	    (h.version != BW_RT_STATE_VERSION && h.version != 1)) {
		err = -EBADMSG;
		goto out;
	}
	/* version 1 (before the netfilter hooks): shorter entries */
	esize = h.version == 1 ? STATE_AP_V1 : sizeof(*out->ap);
	need = sizeof(h) + (size_t)h.nap * esize + h.text_len + 1;
	if (h.nap > 1u << 20 || need > size) {
		err = -EBADMSG;
		goto out;
	}
	out->netns_dev = h.netns_dev;
	out->netns_ino = h.netns_ino;
	out->nhandle = h.nhandle;
	out->nlookup = h.nlookup;
	out->nap = h.nap;
	out->ap = calloc(h.nap ? h.nap : 1, sizeof(*out->ap));
	out->text = malloc((size_t)h.text_len + 1);
	if (!out->ap || !out->text) {
		err = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < h.nap; i++) {
		memcpy(&out->ap[i], blob + sizeof(h) + i * esize, esize);
		out->ap[i].ifname[sizeof(out->ap[i].ifname) - 1] = 0;
	}
	memcpy(out->text, blob + sizeof(h) + h.nap * esize, h.text_len);
	out->text[h.text_len] = 0;
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
	a->map_fd = -1;
	if (a->kind == BW_RT_KIND_NF) {
		bw_rt_nf_name(&a->nf, false, name, sizeof(name));
		bw_rt_pin_path(pin, name, path, plen);
		a->map_fd = bpf_obj_get(path);
		bw_rt_nf_name(&a->nf, true, name, sizeof(name));
	} else {
		bw_rt_att_name(a->kind, a->hook, a->ifindex, name, sizeof(name));
	}
	bw_rt_pin_path(pin, name, path, plen);
	a->fd = bpf_obj_get(path);
	if (a->fd < 0 && a->kind != BW_RT_KIND_CLSACT)
		a->kind = BW_RT_KIND_NONE;
}

int bw_rt_state_load(const struct bw_rt_pin *pin, struct bw_rt_state *st)
{
	char path[320];
	int fd, err;

	memset(st, 0, sizeof(*st));
	bw_rt_pin_path(pin, "state", path, sizeof(path));
	fd = bpf_obj_get(path);
	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	err = bw_rt_state_read(fd, st);
	close(fd);
	return err;
}
