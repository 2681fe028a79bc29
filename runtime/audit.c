// SPDX-License-Identifier: GPL-2.0-only
/*
 * The audit hook (DESIGN.md "Runtime"): the connect4/connect6 programs of
 * the egress rules (compiler/bpf/hook_connect.c) attached to a cgroup with
 * links pinned as link_connect4/link_connect6 (replaced in place with
 * bpf_link_update on reload; flush removes them with every link_ pin), the
 * kprobe and tracepoint (sys_enter_connect) hooks' perf links pinned as
 * link_kprobe4/link_kprobe6 and link_tracepoint (re-pinned on reload), the
 * event ringbuf pinned as audit_events and reused across reloads so that
 * `bpfwall monitor` keeps reading through them, and audit_rules: handle ->
 * file:line of the loaded ruleset, replaced on each reload, which monitor
 * opens again when a reload replaced it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compiler/bpf/audit.h"
#include "audit.h"
#include "rt.h"

struct rule_ent {
	uint32_t line;
	char file[60];
};

struct info_ent {
	char text[256];
};

/* Remove the pins of the mode not in use (the links detach with them). */
static void unpin(const struct bw_rt_pin *pin, const char *const *names, int n)
{
	char path[512];

	for (int i = 0; i < n; i++)
		if (!bw_rt_pin_path(pin, names[i], path, sizeof(path)))
			unlink(path);
}

static const char *const cgroup_pins[] = { "link_connect4", "link_connect6" };
static const char *const kprobe_pins[] = { "link_kprobe4", "link_kprobe6" };
static const char *const tp_pins[] = { "link_tracepoint" };

/* The cgroup v2 mount point, from /proc/self/mountinfo. */
int bw_rt_cgroup2_root(char *buf, size_t len)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	char line[4096];
	int err = -ENOENT;

	if (!f)
		return -errno;
	while (err && fgets(line, sizeof(line), f)) {
		char mnt[PATH_MAX], *sep = strstr(line, " - ");
		char fstype[64];

		if (!sep || sscanf(sep, " - %63s", fstype) != 1 ||
		    strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
			continue;
		if (strlen(mnt) >= len)
			continue;
		strcpy(buf, mnt);
		err = 0;
	}
	fclose(f);
	return err;
}

#define KPROBE_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"

/* perf_event_open's kprobe PMU is what attaching needs (not tracefs). */
static bool have_kprobes(void)
{
	return !access(KPROBE_PMU_TYPE, R_OK);
}

/* Open the pinned object name, or -errno. */
/* Pin fd as name, replacing what was there. */
static int pin_as(const struct bw_rt_pin *pin, int fd, const char *name)
{
	char path[512];

	if (bw_rt_pin_path(pin, name, path, sizeof(path)))
		return -ENAMETOOLONG;
	unlink(path);
	return bpf_obj_pin(fd, path) ? -errno : 0;
}

static int ringbuf_get(const struct bw_rt_pin *pin)
{
	return bw_rt_ringbuf_get(pin, "audit_events", BW_AUDIT_RINGBUF_SIZE);
}

static int rules_map(const struct bw_ir *ir)
{
	uint32_t n = ir->nhandle ? ir->nhandle : 1;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bw_audit_rules", 4,
				sizeof(struct rule_ent), n, NULL);

	if (fd < 0)
		return -errno;
	for (uint32_t h = 1; h < n; h++) {
		const struct bw_ir_rule *r = bw_ir_rule_by_handle(ir, h, NULL);
		struct rule_ent v = { 0 };

		if (!r || !r->loc.src)
			continue;
		v.line = r->loc.line;
		snprintf(v.file, sizeof(v.file), "%s", r->loc.src->name);
		if (bpf_map_update_elem(fd, &h, &v, BPF_ANY)) {
			int err = -errno;

			close(fd);
			return err;
		}
	}
	return fd;
}

static int info_map(const char *text)
{
	struct info_ent v = { 0 };
	uint32_t k = 0;
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bw_audit_info", 4,
				sizeof(v), 1, NULL);

	if (fd < 0)
		return -errno;
	memcpy(v.text, text, strnlen(text, sizeof(v.text) - 1));
	if (bpf_map_update_elem(fd, &k, &v, BPF_ANY)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* A kprobe perf event on func (all CPUs), or -errno. */
static int kprobe_event(const char *func)
{
	struct perf_event_attr attr = { .size = sizeof(attr) };
	FILE *f = fopen(KPROBE_PMU_TYPE, "r");
	int type = -1, fd;

	if (!f)
		return -EOPNOTSUPP;
	if (fscanf(f, "%d", &type) != 1)
		type = -1;
	fclose(f);
	if (type < 0)
		return -EOPNOTSUPP;
	attr.type = (uint32_t)type;
	attr.config1 = (uint64_t)(uintptr_t)func;	/* kprobe_func */
	attr.config2 = 0;				/* offset */
	fd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1,
			  PERF_FLAG_FD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Load the build's connect program at hook (pl->audit) with its own
 * counters and pl's lookup plan; sets: the packet programs' maps (NULL:
 * its own).  Returns its fd or -errno. */
static int connect_prog(const struct bw_ir *ir, enum bw_hook hook,
			const struct bw_rt_plan *pl, int rb,
			const struct bw_rt_maps *sets, struct bw_diags *d)
{
	const struct bw_prog *p = NULL;
	struct bw_rt_maps m;
	int err;

	for (uint32_t i = 0; i < pl->naudit && !p; i++)
		if (pl->audit[i]->hook == hook)
			p = pl->audit[i];
	if (!p) {
		bw_error(d, NULL, "internal error: the build made no %s program for the audit hook",
			 bw_hook_info(hook)->name);
		return -EINVAL;
	}
	bw_rt_maps_init(&m);
	err = bw_rt_maps_create(&m, pl->specs);
	if (!err && sets)
		err = bw_rt_maps_use_sets(&m, sets);
	if (!err && sets && sets->fd[BW_MAP_REASONS] >= 0) {
		/* the ruleset's: `list ruleset` shows the events lost */
		close(m.fd[BW_MAP_REASONS]);
		m.fd[BW_MAP_REASONS] = dup(sets->fd[BW_MAP_REASONS]);
		err = m.fd[BW_MAP_REASONS] < 0 ? -errno : 0;
	}
	if (!err) {
		m.fd[BW_MAP_AUDIT] = dup(rb);
		err = m.fd[BW_MAP_AUDIT] < 0 ? -errno : 0;
	}
	if (!err)
		err = bw_rt_prog_load(p, &m, bw_hook_info(hook)->name, d);
	bw_rt_maps_close(&m);	/* the program holds its maps */
	return err;
}

static int verify(const struct bw_ir *ir, const struct bw_rt_plan *pl,
		  const struct bw_rt_maps *sets, struct bw_diags *d)
{
	int rb, err = 0;

	if (!pl->naudit)
		return 0;
	rb = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bw_audit", 0, 0,
			    BW_AUDIT_RINGBUF_SIZE, NULL);
	if (rb < 0) {
		err = -errno;
		bw_error(d, NULL, "cannot make the audit ringbuf: %s", strerror(errno));
		return err;
	}
	for (uint32_t i = 0; i < pl->naudit && !err; i++) {
		int fd = connect_prog(ir, pl->audit[i]->hook, pl, rb, sets, d);

		if (fd < 0)
			err = fd;
		else
			close(fd);
	}
	close(rb);
	return err;
}

int bw_rt_audit_verify_plan(const struct bw_ir *ir, const struct bw_rt_plan *pl,
			    struct bw_diags *d)
{
	return verify(ir, pl, &pl->maps, d);
}

int bw_rt_audit_verify(const struct bw_ir *ir, struct bw_build *b,
		       struct bw_diags *d)
{
	struct bw_rt_plan pl;
	int err;

	bw_rt_plan_init(&pl);
	err = bw_rt_plan_take(&pl, b);
	if (!err)
		err = verify(ir, &pl, NULL, d);
	bw_rt_plan_fini(&pl);
	return err;
}

/*
 * The tracefs mount point from /proc/self/mountinfo (tracefs, else
 * debugfs's tracing/); none: mount tracefs on /sys/kernel/tracing, as
 * bpftool does.
 */
static int tracefs_root(char *buf, size_t len)
{
	static const char *const types[] = { "tracefs", "debugfs" };
	char line[4096], mnt[PATH_MAX], fstype[64];
	FILE *f;

	for (int t = 0; t < 2; t++) {
		f = fopen("/proc/self/mountinfo", "r");
		if (!f)
			return -errno;
		while (fgets(line, sizeof(line), f)) {
			char *sep = strstr(line, " - ");

			if (!sep || sscanf(sep, " - %63s", fstype) != 1 ||
			    strcmp(fstype, types[t]) ||
			    sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1)
				continue;
			if (snprintf(buf, len, "%s%s", mnt, t ? "/tracing" : "") >= (int)len)
				continue;
			if (!access(buf, R_OK)) {
				fclose(f);
				return 0;
			}
		}
		fclose(f);
	}
	snprintf(buf, len, "/sys/kernel/tracing");
	if (mount("tracefs", buf, "tracefs", 0, NULL))
		return -errno;
	bw_rt_debug("audit: mounted tracefs on %s", buf);
	return 0;
}

#define TP_EVENT "events/syscalls/sys_enter_connect"

/* The offset of field name in the tracepoint's format file, or -1. */
static int tp_field_offset(FILE *f, const char *name)
{
	char line[512], pat[64];
	int off;

	snprintf(pat, sizeof(pat), " %s;", name);
	rewind(f);
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, pat), *o = strstr(line, "offset:");

		if (p && o && o > p && sscanf(o, "offset:%d", &off) == 1)
			return off;
	}
	return -1;
}

/*
 * The perf event of tracepoint syscalls/sys_enter_connect (all CPUs: a
 * BPF program on a tracepoint runs wherever it fires), after checking the
 * format file has the layout compiler/bpf/hook_connect.c reads.
 */
static int tracepoint_event(struct bw_diags *d)
{
	struct perf_event_attr attr = { .size = sizeof(attr) };
	char root[PATH_MAX], path[PATH_MAX + 64];
	int id = -1, fd, err;
	FILE *f;

	err = tracefs_root(root, sizeof(root));
	if (err) {
		bw_error(d, NULL, "--audit tracepoint: no tracefs mounted and cannot mount one on /sys/kernel/tracing: %s",
			 strerror(-err));
		return err;
	}
	snprintf(path, sizeof(path), "%s/" TP_EVENT "/format", root);
	f = fopen(path, "r");
	if (!f) {
		err = -errno;
		bw_error(d, NULL, "--audit tracepoint: %s: %s (does this kernel have syscall tracepoints?)",
			 path, strerror(-err));
		return err;
	}
	if (tp_field_offset(f, "uservaddr") != 24 ||
	    tp_field_offset(f, "addrlen") != 32) {
		fclose(f);
		bw_error(d, NULL, "--audit tracepoint: %s: uservaddr/addrlen not at offsets 24/32",
			 path);
		return -EOPNOTSUPP;
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/" TP_EVENT "/id", root);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%d", &id) != 1 || id < 0) {
		err = f ? -EINVAL : -errno;
		if (f)
			fclose(f);
		bw_error(d, NULL, "--audit tracepoint: cannot read %s: %s", path,
			 strerror(-err));
		return err;
	}
	fclose(f);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = (uint64_t)id;
	fd = (int)syscall(__NR_perf_event_open, &attr, -1, 0, -1,
			  PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		bw_error(d, NULL, "--audit tracepoint: perf_event_open(sys_enter_connect): %s",
			 strerror(-err));
		return err;
	}
	return fd;
}

/*
 * The tracepoint hook: one program on sys_enter_connect for every process
 * on the host, pinned link link_tracepoint (replaced by pinning the new
 * link over it).  Its return value is ignored: it cannot enforce.
 */
static int tracepoint_prepare(const struct bw_ir *ir, const struct bw_rt_opts *o,
			      struct bw_rt_audit *a, struct bw_diags *d)
{
	if (o->audit_enforce) {
		bw_error(d, NULL, "--audit tracepoint cannot enforce (a tracepoint's return value is ignored; use --audit enforce)");
		return -EINVAL;
	}
	a->prog[0] = connect_prog(ir, BW_HOOK_TRACEPOINT, a->pl, a->rb, &a->pl->maps, d);
	if (a->prog[0] < 0)
		return a->prog[0];
	bw_rt_debug("audit: the tracepoint program passed the verifier");
	a->kev[0] = tracepoint_event(d);
	if (a->kev[0] < 0)
		return a->kev[0];
	snprintf(a->text, sizeof(a->text), "tracepoint sys_enter_connect");
	return 0;
}

static const char *const kprobe_fn[2] = { "tcp_v4_connect", "tcp_v6_connect" };
static const enum bw_hook cgroup_hooks[2] = { BW_HOOK_CONNECT4, BW_HOOK_CONNECT6 };

/*
 * The kprobe hook: one program on tcp_v4_connect and tcp_v6_connect,
 * pinned links link_kprobe4/link_kprobe6 (perf links cannot be updated in
 * place: the new link is pinned over the old, which then detaches).  The
 * program is made and verified first, whether attaching can work or not.
 */
static int kprobe_prepare(const struct bw_ir *ir, struct bw_rt_audit *a,
			  struct bw_diags *d)
{
	a->prog[0] = connect_prog(ir, BW_HOOK_KPROBE, a->pl, a->rb, &a->pl->maps, d);
	if (a->prog[0] < 0)
		return a->prog[0];
	bw_rt_debug("audit: the kprobe program passed the verifier");
	for (int i = 0; i < 2; i++) {
		a->kev[i] = kprobe_event(kprobe_fn[i]);
		if (a->kev[i] < 0) {
			bw_error(d, NULL, "--audit kprobe: cannot probe %s: %s%s",
				 kprobe_fn[i], strerror(-a->kev[i]),
				 have_kprobes() ? "" :
				 " (this kernel has no kprobes; the program passed the verifier; use --audit cgroup)");
			return a->kev[i];
		}
	}
	snprintf(a->text, sizeof(a->text), "kprobe tcp_v4_connect/tcp_v6_connect");
	return 0;
}

static int cgroup_prepare(const struct bw_ir *ir, const struct bw_rt_opts *o,
			  struct bw_rt_audit *a, struct bw_diags *d)
{
	const char *cgpath;
	int err;

	if (o->audit_cgroup) {
		cgpath = o->audit_cgroup;
	} else {
		err = bw_rt_cgroup2_root(a->cgpath, sizeof(a->cgpath));
		if (err && a->mode == BW_AUDIT_AUTO) {
			/* e.g. under `ip netns exec`, which mounts a new /sys */
			fprintf(stderr, "bpfwall: audit: no cgroup v2 hierarchy visible here; no audit hook (--audit-cgroup PATH chooses one)\n");
			a->mode = BW_AUDIT_OFF;
			a->keep = true;		/* leave any hook from before */
			return 0;
		}
		if (err) {
			bw_error(d, NULL, "audit: no cgroup v2 hierarchy mounted (--audit off to load without the audit hook)");
			return err;
		}
		cgpath = a->cgpath;
	}
	if (cgpath != a->cgpath)	/* never copied onto itself */
		snprintf(a->cgpath, sizeof(a->cgpath), "%s", cgpath);
	if (a->mode == BW_AUDIT_AUTO)
		fprintf(stderr, "bpfwall: audit: this kernel has no kprobes; using cgroup connect4/connect6 on %s\n",
			a->cgpath);
	a->mode = BW_AUDIT_CGROUP;
	snprintf(a->text, sizeof(a->text), "cgroup connect4/connect6 on %s%s",
		 a->cgpath, o->audit_enforce ? " (enforce)" : "");
	a->cg = open(a->cgpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a->cg < 0) {
		err = -errno;
		bw_error(d, NULL, "audit: cannot open cgroup %s: %s", a->cgpath,
			 strerror(-err));
		return err;
	}
	for (int i = 0; i < 2; i++) {
		a->prog[i] = connect_prog(ir, cgroup_hooks[i], a->pl, a->rb,
					  &a->pl->maps, d);
		if (a->prog[i] < 0)
			return a->prog[i];
	}
	return 0;
}

void bw_rt_audit_init(struct bw_rt_audit *a)
{
	memset(a, 0, sizeof(*a));
	a->prog[0] = a->prog[1] = a->kev[0] = a->kev[1] = -1;
	a->cg = a->rb = a->rules = a->info = -1;
}

void bw_rt_audit_fini(struct bw_rt_audit *a)
{
	int *fds[] = { &a->prog[0], &a->prog[1], &a->kev[0], &a->kev[1],
		       &a->cg, &a->rb, &a->rules, &a->info };

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

int bw_rt_audit_prepare(const struct bw_ir *ir, const struct bw_rt_opts *o,
			const struct bw_rt_pin *pin, const struct bw_rt_plan *pl,
			struct bw_rt_audit *a, struct bw_diags *d)
{
	int err;

	a->pl = pl;
	a->mode = o ? o->audit : BW_AUDIT_OFF;
	if (a->mode == BW_AUDIT_OFF)
		return 0;
	if (a->mode == BW_AUDIT_AUTO && have_kprobes() && !o->audit_cgroup) {
		fprintf(stderr, "bpfwall: audit: kprobe on tcp_v4_connect/tcp_v6_connect\n");
		a->mode = BW_AUDIT_KPROBE;
	}
	a->rb = ringbuf_get(pin);
	if (a->rb < 0)
		return a->rb;
	if (a->mode == BW_AUDIT_TRACEPOINT)
		err = tracepoint_prepare(ir, o, a, d);
	else if (a->mode == BW_AUDIT_KPROBE)
		err = kprobe_prepare(ir, a, d);
	else
		err = cgroup_prepare(ir, o, a, d);
	if (err || a->mode == BW_AUDIT_OFF)
		return err;
	a->rules = rules_map(ir);
	if (a->rules < 0)
		return a->rules;
	a->info = info_map(a->text);
	return a->info < 0 ? a->info : 0;
}

/* Attach (or update in place) a cgroup connect program under pin. */
static int cgroup_commit(struct bw_rt_audit *a, const struct bw_rt_pin *pin,
			 int i, struct bw_diags *d)
{
	const struct bw_hook_info *hi = bw_hook_info(cgroup_hooks[i]);
	char name[32];
	int link, err;

	snprintf(name, sizeof(name), "link_%s", hi->name);
	link = bw_rt_pin_get(pin, name, NULL);
	if (link >= 0) {
		struct bpf_link_info li = { 0 };
		uint32_t len = sizeof(li);
		struct stat st;
		bool same;

		/* same cgroup: replace in place; else a new link */
		same = !bpf_obj_get_info_by_fd(link, &li, &len) &&
		       li.type == BPF_LINK_TYPE_CGROUP && !fstat(a->cg, &st) &&
		       st.st_ino == li.cgroup.cgroup_id;
		err = same && !bpf_link_update(link, a->prog[i], NULL) ? 0 : -1;
		close(link);
		if (!err)
			return 0;
	}
	link = bpf_link_create(a->prog[i], a->cg, hi->expected_attach_type, NULL);
	if (link < 0) {
		err = -errno;
		bw_error(d, NULL, "audit: cannot attach %s to %s: %s", hi->name,
			 a->cgpath, strerror(-err));
		return err;
	}
	err = pin_as(pin, link, name);	/* the old link goes */
	close(link);
	return err;
}

int bw_rt_audit_commit(struct bw_rt_audit *a, const struct bw_rt_pin *pin,
		       struct bw_diags *d)
{
	static const char *const info[] = { "audit_info" };
	int err = 0;

	if (a->mode == BW_AUDIT_OFF) {
		if (!a->keep) {	/* --audit off: none stays from before */
			unpin(pin, cgroup_pins, 2);
			unpin(pin, kprobe_pins, 2);
			unpin(pin, tp_pins, 1);
			unpin(pin, info, 1);
		}
		return 0;
	}
	if (a->mode == BW_AUDIT_TRACEPOINT) {
		int link = bpf_link_create(a->prog[0], a->kev[0], BPF_PERF_EVENT, NULL);

		if (link < 0) {
			err = -errno;
			bw_error(d, NULL, "--audit tracepoint: cannot attach to sys_enter_connect: %s",
				 strerror(-err));
		} else {
			err = pin_as(pin, link, tp_pins[0]);	/* the old link goes */
			close(link);
		}
	}
	for (int i = 0; i < 2 && !err && a->mode != BW_AUDIT_TRACEPOINT; i++) {
		if (a->mode == BW_AUDIT_CGROUP) {
			err = cgroup_commit(a, pin, i, d);
			continue;
		}
		int link = bpf_link_create(a->prog[0], a->kev[i], BPF_PERF_EVENT, NULL);

		if (link < 0) {
			err = -errno;
			bw_error(d, NULL, "--audit kprobe: cannot attach to %s: %s",
				 kprobe_fn[i], strerror(-err));
			break;
		}
		err = pin_as(pin, link, kprobe_pins[i]);
		close(link);
	}
	if (!err)
		err = pin_as(pin, a->rules, "audit_rules");
	if (!err)
		err = pin_as(pin, a->info, "audit_info");
	if (!err) {
		if (a->mode != BW_AUDIT_CGROUP)
			unpin(pin, cgroup_pins, 2);
		if (a->mode != BW_AUDIT_KPROBE)
			unpin(pin, kprobe_pins, 2);
		if (a->mode != BW_AUDIT_TRACEPOINT)
			unpin(pin, tp_pins, 1);
		bw_rt_debug("audit: %s", a->text);
	}
	if (err && !d->nerrors)
		bw_error(d, NULL, "audit hook: %s", strerror(-err));
	return err;
}

int bw_rt_audit_describe(const struct bw_rt_pin *pin, char *buf, size_t len)
{
	static const struct bw_rt_shape shape = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(struct info_ent), .max_entries = 1,
	};
	struct info_ent v;
	uint32_t k = 0;
	int fd = bw_rt_pin_get(pin, "audit_info", &shape);
	int l4 = bw_rt_pin_get(pin, "link_connect4", NULL);
	int err = 0;

	if (l4 < 0)
		l4 = bw_rt_pin_get(pin, "link_kprobe4", NULL);
	if (l4 < 0)
		l4 = bw_rt_pin_get(pin, "link_tracepoint", NULL);
	if (l4 >= 0)
		close(l4);
	if (fd < 0)
		return fd;
	if (l4 < 0 || bpf_map_lookup_elem(fd, &k, &v))
		err = -ENOENT;
	else
		snprintf(buf, len, "%s", v.text);
	close(fd);
	return err;
}

/* ------------------------------------------------------------- monitor */

static const char *proto_name(uint8_t p, char *buf, size_t len)
{
	if (p == IPPROTO_TCP)
		return "tcp";
	if (p == IPPROTO_UDP)
		return "udp";
	if (!p)		/* --audit tracepoint: not known at the syscall */
		return "unknown";
	snprintf(buf, len, "%u", p);
	return buf;
}

/*
 * The path of cgroup id in the v2 hierarchy ("/system.slice/x.service",
 * "/" for the root), as a container runtime names it: the id is a
 * kernfs file handle of the cgroup2 mount.  "" when it cannot be told
 * (no hierarchy mounted here, the cgroup is gone).  The mount's fd is
 * kept in m.
 */
static void cgroup_path(struct bw_rt_mon *m, uint64_t id, char *buf, size_t len)
{
	union {
		struct file_handle fh;
		char room[sizeof(struct file_handle) + sizeof(uint64_t)];
	} h = { .fh = { .handle_bytes = sizeof(uint64_t),
			.handle_type = 0xfe /* FILEID_KERNFS */ } };
	char link[64], full[PATH_MAX];
	ssize_t n;
	int fd;

	buf[0] = 0;
	if (!m->cg_root[0] && bw_rt_cgroup2_root(m->cg_root, sizeof(m->cg_root)))
		snprintf(m->cg_root, sizeof(m->cg_root), "-");
	if (m->cg_root[0] == '-')
		return;
	if (m->cgfd < 0)
		m->cgfd = open(m->cg_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (m->cgfd < 0)
		return;
	memcpy(h.fh.f_handle, &id, sizeof(id));
	fd = open_by_handle_at(m->cgfd, &h.fh, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, full, sizeof(full) - 1);
	close(fd);
	if (n <= 0)
		return;
	full[n] = 0;
	n = (ssize_t)strlen(m->cg_root);
	if (strncmp(full, m->cg_root, (size_t)n) || (full[n] && full[n] != '/'))
		return;
	snprintf(buf, len, "%s", full[n] ? full + n : "/");
}

int bw_rt_audit_rules_open(const struct bw_rt_pin *pin)
{
	static const struct bw_rt_shape shape = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(struct rule_ent),
	};

	return bw_rt_pin_get(pin, "audit_rules", &shape);
}

int bw_rt_audit_print(struct bw_rt_mon *m, const void *data, size_t size)
{
	struct bw_audit_event ev;
	struct rule_ent r = { 0 };
	char addr[INET6_ADDRSTRLEN], comm[17], pbuf[8], cg[PATH_MAX];
	const char *proto;

	if (size < sizeof(ev))
		return 0;
	memcpy(&ev, data, sizeof(ev));
	cgroup_path(m, ev.cgroup_id, cg, sizeof(cg));
	memcpy(comm, ev.comm, 16);
	comm[16] = 0;
	inet_ntop(ev.l3 == 4 ? AF_INET : AF_INET6, ev.daddr, addr, sizeof(addr));
	proto = proto_name(ev.proto, pbuf, sizeof(pbuf));
	/* the ruleset of now (monitor.c opens audit_rules again when a
	 * reload replaces it) */
	if (ev.handle && m->audit_rules_fd >= 0)
		bpf_map_lookup_elem(m->audit_rules_fd, &ev.handle, &r);
	r.file[sizeof(r.file) - 1] = 0;
	if (m->json) {
		fprintf(m->out, "{\"event\":\"connect-denied\",\"time_ns\":%llu,"
			"\"pid\":%u,\"tid\":%u,\"uid\":%u,\"gid\":%u,\"comm\":",
			(unsigned long long)ev.time_ns,
			(unsigned)(ev.pid_tgid >> 32), (unsigned)ev.pid_tgid,
			(unsigned)ev.uid_gid, (unsigned)(ev.uid_gid >> 32));
		bw_rt_json_string(m->out, comm);
		fprintf(m->out, ",\"cgroup_id\":%llu,\"cgroup\":",
			(unsigned long long)ev.cgroup_id);
		if (cg[0])
			bw_rt_json_string(m->out, cg);
		else
			fputs("null", m->out);
		fprintf(m->out, ",\"family\":\"%s\",\"daddr\":\"%s\","
			"\"dport\":%u,\"proto\":\"%s\",\"rule\":",
			ev.l3 == 4 ? "ipv4" : "ipv6", addr, ntohs(ev.dport), proto);
		bw_rt_json_rule(m->out, r.file, r.line, ev.handle);
		fputs("}\n", m->out);
	} else {
		fprintf(m->out, "connect-denied pid %u uid %u comm %s cgroup %s %s %s%s%s:%u %s ",
			(unsigned)(ev.pid_tgid >> 32), (unsigned)ev.uid_gid, comm,
			cg[0] ? cg : "?", ev.l3 == 4 ? "ipv4" : "ipv6",
			ev.l3 == 6 ? "[" : "", addr, ev.l3 == 6 ? "]" : "",
			ntohs(ev.dport), proto);
		if (r.line)
			fprintf(m->out, "rule %s:%u\n", r.file, r.line);
		else
			fprintf(m->out, "policy\n");
	}
	return 0;
}

