// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events to user space: the ringbufs the programs write (audit_events:
 * denied connects, runtime/audit.c; log_events: the log statement), pinned
 * and kept across reloads so that `bpfwall monitor` reads on through them;
 * log_rules, what each log statement of the running ruleset says (prefix,
 * level, file:line), replaced on each load; and monitor itself, which
 * prints both kinds, text or JSON, one per line.
 */
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "../compiler/audit.h"
#include "../compiler/compile.h"
#include "../compiler/evaluate.h"
#include "../compiler/log.h"
#include "audit.h"
#include "rt.h"

int bw_rt_pin_get(const struct bw_rt_pin *pin, const char *name)
{
	char path[512];
	int fd;

	if (bw_rt_pin_path(pin, name, path, sizeof(path)))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

int bw_rt_ringbuf_get(const struct bw_rt_pin *pin, const char *name,
		      uint32_t size)
{
	int fd = bw_rt_pin_get(pin, name), err;

	if (fd >= 0)
		return fd;
	fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "bw_events", 0, 0, size, NULL);
	if (fd < 0)
		return -errno;
	err = bw_rt_pin_replace(pin, fd, name);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* ---- log_rules ---- */

struct log_ent {
	uint32_t handle, line;
	uint8_t level;
	char file[59];
	char prefix[128];
};

int bw_rt_log_rules_pin(const struct bw_ir *ir, const struct bw_rt_pin *pin)
{
	char path[512];
	int fd, err = 0;

	if (!ir->nlog) {
		if (!bw_rt_pin_path(pin, "log_rules", path, sizeof(path)))
			unlink(path);
		return 0;
	}
	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bw_log_rules", 4,
			    sizeof(struct log_ent), ir->nlog, NULL);
	if (fd < 0)
		return -errno;
	for (uint32_t i = 0; i < ir->nlog && !err; i++) {
		const struct bw_ir_rule *r = bw_ir_rule_by_handle(ir, ir->log[i].handle, NULL);
		struct log_ent v = { .handle = ir->log[i].handle,
				     .level = ir->log[i].level };

		if (r && r->loc.src) {
			v.line = r->loc.line;
			snprintf(v.file, sizeof(v.file), "%s", r->loc.src->name);
		}
		if (ir->log[i].prefix)
			snprintf(v.prefix, sizeof(v.prefix), "%s", ir->log[i].prefix);
		if (bpf_map_update_elem(fd, &i, &v, BPF_ANY))
			err = -errno;
	}
	if (!err)
		err = bw_rt_pin_replace(pin, fd, "log_rules");
	close(fd);
	return err;
}

/* ---- monitor ---- */

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* One event printed: count it, stop after count. */
static int printed(struct bw_rt_mon *m)
{
	fflush(m->out);
	m->seen++;
	if (m->count && m->seen >= m->count)
		stop = 1;
	return stop ? 1 : 0;	/* a positive value stops this consume */
}

static int on_audit(void *ctx, void *data, size_t size)
{
	struct bw_rt_mon *m = ctx;

	bw_rt_audit_print(m, data, size);
	return printed(m);
}

static const char *l4_name(uint8_t p)
{
	switch (p) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	default: return NULL;
	}
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The packet of a log event as nft's log prints it (the kernel's
 * nf_log format), or as JSON members. */
static void log_packet(FILE *f, const struct bw_view *v, uint32_t len, bool json)
{
	char s[INET6_ADDRSTRLEN] = "", d[INET6_ADDRSTRLEN] = "", pbuf[8];
	const char *proto = l4_name(v->l4proto);
	bool ports = (v->flags & BW_VIEW_L4) &&
		     (v->l4proto == IPPROTO_TCP || v->l4proto == IPPROTO_UDP);
	bool icmp = (v->flags & BW_VIEW_L4) &&
		    (v->l4proto == IPPROTO_ICMP || v->l4proto == IPPROTO_ICMPV6);

	if (v->l3 == 4) {
		inet_ntop(AF_INET, v->l3h + 12, s, sizeof(s));
		inet_ntop(AF_INET, v->l3h + 16, d, sizeof(d));
	} else if (v->l3 == 6) {
		inet_ntop(AF_INET6, v->l3h + 8, s, sizeof(s));
		inet_ntop(AF_INET6, v->l3h + 24, d, sizeof(d));
	}
	if (!proto) {
		snprintf(pbuf, sizeof(pbuf), "%u", v->l4proto);
		proto = pbuf;
	}
	if (json) {
		fprintf(f, ",\"len\":%u", len);
		if (!v->l3) {
			fprintf(f, ",\"ethertype\":%u", v->ethertype);
			return;
		}
		fprintf(f, ",\"family\":\"ipv%d\",\"saddr\":\"%s\",\"daddr\":\"%s\",\"proto\":\"%s\"",
			v->l3, s, d, proto);
		if (ports)
			fprintf(f, ",\"sport\":%u,\"dport\":%u", get16(v->l4h),
				get16(v->l4h + 2));
		if (icmp)
			fprintf(f, ",\"type\":%u,\"code\":%u", v->l4h[0], v->l4h[1]);
		return;
	}
	fprintf(f, "MAC=%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x ",
		v->eth[0], v->eth[1], v->eth[2], v->eth[3], v->eth[4], v->eth[5],
		v->eth[6], v->eth[7], v->eth[8], v->eth[9], v->eth[10], v->eth[11]);
	if (!v->l3) {
		fprintf(f, "LEN=%u ETHERTYPE=0x%04x", len, v->ethertype);
		return;
	}
	fprintf(f, "SRC=%s DST=%s LEN=%u PROTO=%s", s, d, len, proto);
	if (ports)
		fprintf(f, " SPT=%u DPT=%u", get16(v->l4h), get16(v->l4h + 2));
	if (icmp)
		fprintf(f, " TYPE=%u CODE=%u", v->l4h[0], v->l4h[1]);
	if (ports && v->l4proto == IPPROTO_TCP) {
		static const char *const fl[] = { "FIN", "SYN", "RST", "PSH", "ACK",
						  "URG", "ECE", "CWR" };

		for (int i = 0; i < 8; i++)
			if (v->l4h[13] & (1 << i))
				fprintf(f, " %s", fl[i]);
	}
}

static int on_log(void *ctx, void *data, size_t size)
{
	struct bw_rt_mon *m = ctx;
	struct bw_log_event ev;
	struct log_ent r = { 0 };
	char dev[IF_NAMESIZE] = "", iif[IF_NAMESIZE] = "", oif[IF_NAMESIZE] = "";
	uint32_t len;
	int fd;

	if (size < sizeof(ev))
		return 0;
	memcpy(&ev, data, sizeof(ev));
	/* the ruleset of now: reloads replace log_rules */
	fd = bw_rt_pin_get(m->pin, "log_rules");
	if (fd >= 0) {
		bpf_map_lookup_elem(fd, &ev.log, &r);
		close(fd);
	}
	r.file[sizeof(r.file) - 1] = 0;
	r.prefix[sizeof(r.prefix) - 1] = 0;
	/* the devices: an XDP or TC program's own (the event's), the view's
	 * at the netfilter hooks (either may be none) */
	if (ev.ifindex) {
		bool out = ev.hook >= BW_CHAIN_OUTPUT;

		if (!if_indextoname(ev.ifindex, dev))
			snprintf(dev, sizeof(dev), "%u", ev.ifindex);
		snprintf(out ? oif : iif, sizeof(iif), "%s", dev);
	} else {
		snprintf(iif, sizeof(iif), "%.*s", 15, ev.view.iifname);
		snprintf(oif, sizeof(oif), "%.*s", 15, ev.view.oifname);
	}
	len = ev.view.l3len;	/* skb->len, as nft's LEN */
	if (m->json) {
		fprintf(m->out, "{\"event\":\"log\",\"time_ns\":%llu,\"prefix\":",
			(unsigned long long)ev.time_ns);
		bw_rt_json_string(m->out, r.prefix);
		fprintf(m->out, ",\"level\":\"%s\",\"hook\":\"%s\"",
			bw_log_level_name(r.level), bw_chain_hook_name(ev.hook));
		if (iif[0]) {
			fputs(",\"iif\":", m->out);
			bw_rt_json_string(m->out, iif);
		}
		if (oif[0]) {
			fputs(",\"oif\":", m->out);
			bw_rt_json_string(m->out, oif);
		}
		log_packet(m->out, &ev.view, len, true);
		fprintf(m->out, ",\"rule\":");
		bw_rt_json_rule(m->out, r.file, r.line, ev.handle);
		fputs("}\n", m->out);
	} else {
		fprintf(m->out, "%sIN=%s OUT=%s ", r.prefix, iif, oif);
		log_packet(m->out, &ev.view, len, false);
		if (r.line)
			fprintf(m->out, " rule %s:%u", r.file, r.line);
		fputc('\n', m->out);
	}
	return printed(m);
}

int bw_rt_monitor(const struct bw_rt_opts *o, bool json, unsigned long count,
		  FILE *out, struct bw_diags *d)
{
	struct bw_rt_mon m = { .out = out, .json = json, .count = count,
			       .cgfd = -1 };
	struct sigaction sa = { .sa_handler = on_signal };
	struct ring_buffer *rb = NULL;
	struct bw_rt_pin pin;
	int afd, lfd, err = 0;

	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), true, false, true, &pin);
	if (err) {
		bw_error(d, NULL, "cannot open %s: %s", bw_rt_pin_dir(o),
			 strerror(-err));
		return err;
	}
	/* the ringbufs outlive reloads: make them now if no ruleset has */
	afd = bw_rt_ringbuf_get(&pin, "audit_events", BW_AUDIT_RINGBUF_SIZE);
	lfd = bw_rt_ringbuf_get(&pin, "log_events", BW_LOG_RINGBUF_SIZE);
	/* do not hold the lock: loads must go on while we read */
	m.pin = &pin;
	flock(pin.dirfd, LOCK_UN);
	if (afd < 0 || lfd < 0) {
		err = afd < 0 ? afd : lfd;
		bw_error(d, NULL, "cannot open the event ringbufs: %s", strerror(-err));
		goto out;
	}
	rb = ring_buffer__new(afd, on_audit, &m, NULL);
	if (!rb || ring_buffer__add(rb, lfd, on_log, &m)) {
		err = -errno;
		bw_error(d, NULL, "ring_buffer__new: %s", strerror(-err));
		goto out;
	}
	stop = 0;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		int n = ring_buffer__poll(rb, 200);

		if (n < 0 && n != -EINTR) {
			err = n;
			bw_error(d, NULL, "ringbuf: %s", strerror(-err));
			break;
		}
	}
out:
	ring_buffer__free(rb);
	if (afd >= 0)
		close(afd);
	if (lfd >= 0)
		close(lfd);
	if (m.cgfd >= 0)
		close(m.cgfd);
	bw_rt_pin_close(&pin);
	return err;
}
