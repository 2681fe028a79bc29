// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall monitor: the log and audit events of the running ruleset, one
 * per line, from the pinned ringbufs that outlive reloads.  It reads
 * only: where no ruleset is loaded it says so and makes nothing; a
 * ringbuf that a later load makes is picked up then.
 *
 * Per event it formats and writes, nothing else: what the events refer to
 * (log_rules, audit_rules, interface names) and the count of events lost
 * (the programs count a full ringbuf in the reasons map, compiler/bpf/log.h)
 * are read again when the pin dir changes (inotify: a reload, before the
 * events of the new ruleset are read; every REFRESH_MS where inotify
 * fails), the losses and interface names every REFRESH_MS, and output is
 * flushed once per batch the ringbufs hand over, not per event.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compiler/bpf/audit.h"
#include "compiler/bpf/log.h"
#include "rt.h"

#define REFRESH_MS	500
#define POLL_MS		100

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One event printed: count it, stop after count. */
static int printed(struct bw_rt_mon *m)
{
	m->seen++;
	if (m->count && m->seen >= m->count)
		stop = 1;
	return 0;
}

/* Past COUNT events (-c): the rest of the batch is not printed. */
static bool done(const struct bw_rt_mon *m)
{
	return m->count && m->seen >= m->count;
}

static int on_audit(void *ctx, void *data, size_t size)
{
	struct bw_rt_mon *m = ctx;

	if (done(m))
		return 0;
	bw_rt_audit_print(m, data, size);
	return printed(m);
}

static int on_log(void *ctx, void *data, size_t size)
{
	struct bw_rt_mon *m = ctx;

	if (done(m))
		return 0;
	bw_rt_log_print(m, data, size);
	return printed(m);
}

static uint32_t map_id(int fd)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);

	memset(&info, 0, sizeof(info));
	return bpf_obj_get_info_by_fd(fd, &info, &len) ? 0 : info.id;
}

/* fd (from an opener, or -errno) in place of *cur when it is another map
 * than *id; true when it is.  A map that is gone keeps the old one: the
 * events already in the ringbuf still refer to it. */
static bool take(int fd, int *cur, uint32_t *id)
{
	uint32_t nid;

	if (fd < 0)
		return false;
	nid = map_id(fd);
	if (nid && nid == *id) {
		close(fd);
		return false;
	}
	if (*cur >= 0)
		close(*cur);
	*cur = fd;
	*id = nid;
	return true;
}

static const char *const lost_kind[2] = { "log", "connect-denied" };

/* Report the events lost since the last report. */
static void lost_check(struct bw_rt_mon *m)
{
	static const uint32_t slot[2] = { BW_LOST_LOG, BW_LOST_AUDIT };

	for (int i = 0; i < 2 && m->reasons_fd >= 0; i++) {
		uint64_t n = 0;

		if (bw_rt_percpu_sum(m->reasons_fd, slot[i], 1, &n) || n <= m->lost[i])
			continue;
		if (m->json)
			fprintf(m->out, "{\"event\":\"lost\",\"count\":%llu,\"kind\":\"%s\"}\n",
				(unsigned long long)(n - m->lost[i]), lost_kind[i]);
		else
			fprintf(m->out, "lost %llu %s events: the ringbuf was full (the reader fell behind)\n",
				(unsigned long long)(n - m->lost[i]), lost_kind[i]);
		m->lost[i] = n;
	}
}

static int reasons_open(const struct bw_rt_pin *pin)
{
	static const struct bw_rt_shape shape = {
		.type = BPF_MAP_TYPE_PERCPU_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(uint64_t), .max_entries = BW_REASONS_SLOTS,
	};

	return bw_rt_pin_get(pin, "reasons", &shape);
}

struct rings {
	struct ring_buffer *rb;
	bool have[2];			/* audit_events, log_events */
};

/* Add the ringbufs a load made since: the audit's and the log's. */
static int rings_add(struct rings *r, struct bw_rt_mon *m)
{
	static const struct {
		const char *name;
		uint32_t size;
		ring_buffer_sample_fn fn;
	} ring[2] = {
		{ "audit_events", BW_AUDIT_RINGBUF_SIZE, on_audit },
		{ "log_events", BW_LOG_RINGBUF_SIZE, on_log },
	};

	for (int i = 0; i < 2; i++) {
		const struct bw_rt_shape shape = { .type = BPF_MAP_TYPE_RINGBUF,
						   .max_entries = ring[i].size };
		int fd, err = 0;

		if (r->have[i])
			continue;
		fd = bw_rt_pin_get(m->pin, ring[i].name, &shape);
		if (fd == -ENOENT)
			continue;
		if (fd < 0)
			return fd;
		if (!r->rb) {
			r->rb = ring_buffer__new(fd, ring[i].fn, m, NULL);
			if (!r->rb)
				err = -errno;
		} else {
			err = ring_buffer__add(r->rb, fd, ring[i].fn, m);
		}
		close(fd);	/* the ring buffer keeps its own mapping */
		if (err)
			return err;
		r->have[i] = true;
	}
	return 0;
}

/* Read again what the events refer to (a reload replaces it). */
static int refresh(struct rings *r, struct bw_rt_mon *m)
{
	if (take(bw_rt_log_rules_open(m->pin), &m->log_rules_fd, &m->log_rules_id))
		bw_rt_log_rules_read(m);
	take(bw_rt_audit_rules_open(m->pin), &m->audit_rules_fd, &m->audit_rules_id);
	if (take(reasons_open(m->pin), &m->reasons_fd, &m->reasons_id))
		memset(m->lost, 0, sizeof(m->lost));	/* a new ruleset's */
	return rings_add(r, m);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void mon_fini(struct bw_rt_mon *m, struct rings *r)
{
	ring_buffer__free(r->rb);
	r->rb = NULL;
	if (m->log_rules_fd >= 0)
		close(m->log_rules_fd);
	if (m->audit_rules_fd >= 0)
		close(m->audit_rules_fd);
	if (m->reasons_fd >= 0)
		close(m->reasons_fd);
	free(m->log_rules);
	m->log_rules = NULL;
}

/* The pin dir changed (drained): a reload replaced what events refer to. */
static bool changed(int ino)
{
	char buf[4096];
	bool any = false;

	while (ino >= 0 && read(ino, buf, sizeof(buf)) > 0)
		any = true;
	return any;
}

/* Wait for events or a change of the pin dir (POLL_MS at most), and read
 * what came.  Returns the number of events read, or -errno. */
static int wait_events(struct rings *r, struct bw_rt_mon *m, int ep, int ino,
		       uint64_t *last)
{
	struct epoll_event ev[4];
	bool tick;
	int n;

	n = epoll_wait(ep, ev, 4, POLL_MS);
	if (n < 0 && errno != EINTR)
		return -errno;
	tick = now_ms() - *last >= REFRESH_MS;
	if (tick) {
		*last = now_ms();
		lost_check(m);
		memset(m->ifs, 0, sizeof(m->ifs));	/* renamed since? */
	}
	if (changed(ino) || (ino < 0 && tick)) {
		struct ring_buffer *had = r->rb;
		int err;

		lost_check(m);		/* of the ruleset being replaced */
		err = refresh(r, m);
		if (err)
			return err;
		if (!had && r->rb) {
			struct epoll_event e = { .events = EPOLLIN };

			if (epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(r->rb), &e))
				return -errno;
		}
	}
	return r->rb ? ring_buffer__consume(r->rb) : 0;
}

int bw_rt_monitor(const struct bw_rt_opts *o, bool json, unsigned long count,
		  FILE *out, struct bw_diags *d)
{
	struct bw_rt_mon m = { .out = out, .json = json, .count = count,
			       .log_rules_fd = -1, .audit_rules_fd = -1,
			       .reasons_fd = -1, .cgfd = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct rings r = { 0 };
	struct bw_rt_state st;
	struct bw_rt_pin pin;
	int err, ep = -1, ino = -1;
	uint64_t last;

	bw_rt_set_verbose(o && o->verbose);
	/* read only: nothing is made, not even the pin dir */
	err = bw_rt_pin_open(bw_rt_pin_dir(o), false, false, o->pin_outlive, &pin);
	if (err == -ENOENT) {
		bw_error(d, NULL, "no ruleset is loaded (%s): nothing to monitor",
			 bw_rt_pin_dir(o));
		return err;
	}
	if (err) {
		bw_error(d, NULL, "cannot open the pin dir %s: %s", bw_rt_pin_dir(o),
			 strerror(-err));
		return err;
	}
	err = bw_rt_state_load(&pin, &st);
	if (err) {
		if (err == -ENOENT)
			bw_error(d, NULL, "no ruleset is loaded in %s: nothing to monitor",
				 bw_rt_pin_dir(o));
		else
			bw_error(d, NULL, "%s: %s", bw_rt_pin_dir(o),
				 bw_rt_state_strerror(err));
		bw_rt_pin_close(&pin);
		return err;
	}
	bw_rt_state_fini(&st);
	/* do not hold the lock: loads must go on while we read */
	flock(pin.dirfd, LOCK_UN);
	m.pin = &pin;
	err = refresh(&r, &m);
	/* from now on: what is lost from here */
	for (int i = 0; i < 2 && m.reasons_fd >= 0; i++)
		bw_rt_percpu_sum(m.reasons_fd, i ? BW_LOST_AUDIT : BW_LOST_LOG, 1,
				 &m.lost[i]);
	if (err) {
		bw_error(d, NULL, "cannot open the event ringbufs: %s",
			 err == -BW_RT_ESHAPE || err == -EPERM ? "said above" :
			 strerror(-err));
		goto out;
	}
	ep = epoll_create1(EPOLL_CLOEXEC);
	ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (ino >= 0 && inotify_add_watch(ino, pin.dir, IN_CREATE | IN_MOVED_TO |
					  IN_MOVED_FROM | IN_DELETE) < 0) {
		close(ino);
		ino = -1;	/* every REFRESH_MS, then */
	}
	if (ep < 0 || (ino >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, ino,
					     &(struct epoll_event){ .events = EPOLLIN })) ||
	    (r.rb && epoll_ctl(ep, EPOLL_CTL_ADD, ring_buffer__epoll_fd(r.rb),
			       &(struct epoll_event){ .events = EPOLLIN }))) {
		err = -errno;
		bw_error(d, NULL, "monitor: %s", strerror(-err));
		goto out;
	}
	stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	last = now_ms();
	while (!stop) {
		int n = wait_events(&r, &m, ep, ino, &last);

		if (n < 0 && n != -EINTR) {
			err = n;
			bw_error(d, NULL, "monitor: %s", strerror(-err));
			break;
		}
		if (n > 0)
			fflush(out);
	}
	/* interrupted: what is in the ringbufs now, then the losses */
	if (!err && r.rb && !done(&m))
		ring_buffer__consume(r.rb);
	lost_check(&m);
out:
	fflush(out);
	if (ep >= 0)
		close(ep);
	if (ino >= 0)
		close(ino);
	mon_fini(&m, &r);
	if (m.cgfd >= 0)
		close(m.cgfd);
	bw_rt_pin_close(&pin);
	return err;
}
