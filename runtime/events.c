// SPDX-License-Identifier: GPL-2.0-only
/*
 * Events to user space: the ringbufs the programs write (audit_events:
 * denied connects, runtime/audit.c; log_events: the log statement), pinned
 * and kept across reloads so that `bpfwall monitor` reads on through them;
 * log_rules, what each log statement of the running ruleset says (prefix,
 * level, file:line), replaced on each load; and how monitor (monitor.c)
 * prints a log event, text or JSON, one per line.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compiler/bpf/audit.h"
#include "compiler/front/compile.h"
#include "compiler/front/evaluate.h"
#include "compiler/bpf/log.h"
#include "audit.h"
#include "rt.h"

int bw_rt_ringbuf_get(const struct bw_rt_pin *pin, const char *name,
		      uint32_t size)
{
	const struct bw_rt_shape shape = { .type = BPF_MAP_TYPE_RINGBUF,
					   .max_entries = size };
	int fd = bw_rt_pin_get(pin, name, NULL), err;

	if (fd >= 0 && bw_rt_shape_is(fd, &shape))
		return fd;
	if (fd >= 0) {
		bw_rt_log("replacing %s/%s: not a ringbuf of %u bytes", pin->dir,
			  name, size);
		close(fd);
	} else if (fd != -ENOENT) {
		return fd;
	}
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

int bw_rt_log_rules_open(const struct bw_rt_pin *pin)
{
	static const struct bw_rt_shape shape = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(struct log_ent),
	};

	return bw_rt_pin_get(pin, "log_rules", &shape);
}

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

/* ---- log events, as monitor prints them ---- */

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

/* The name of ifindex, from a small cache (monitor.c clears it now and
 * then: renames show); the number where it has none. */
static const char *ifname(struct bw_rt_mon *m, uint32_t ifindex)
{
	struct bw_rt_mon_if *c = &m->ifs[ifindex % BW_RT_MON_IFS];

	if (c->ifindex != ifindex || !c->name[0]) {
		c->ifindex = ifindex;
		if (!if_indextoname(ifindex, c->name))
			snprintf(c->name, sizeof(c->name), "%u", ifindex);
	}
	return c->name;
}

void bw_rt_log_rules_read(struct bw_rt_mon *m)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	struct log_ent *v;

	free(m->log_rules);
	m->log_rules = NULL;
	m->nlog_rules = 0;
	memset(&info, 0, sizeof(info));
	if (m->log_rules_fd < 0 || bpf_obj_get_info_by_fd(m->log_rules_fd, &info, &len) ||
	    !info.max_entries || info.max_entries > 1u << 20)
		return;
	v = calloc(info.max_entries, sizeof(*v));
	if (!v)
		return;
	for (uint32_t i = 0; i < info.max_entries; i++) {
		bpf_map_lookup_elem(m->log_rules_fd, &i, &v[i]);
		v[i].file[sizeof(v[i].file) - 1] = 0;
		v[i].prefix[sizeof(v[i].prefix) - 1] = 0;
	}
	m->log_rules = v;
	m->nlog_rules = info.max_entries;
}

int bw_rt_log_print(struct bw_rt_mon *m, const void *data, size_t size)
{
	static const struct log_ent none;
	const struct log_ent *r = &none;
	struct bw_log_event ev;
	char iif[IF_NAMESIZE] = "", oif[IF_NAMESIZE] = "";
	uint32_t len;

	if (size < sizeof(ev))
		return 0;
	memcpy(&ev, data, sizeof(ev));
	/* what the log statement says, read when its ruleset was loaded */
	if (ev.log < m->nlog_rules)
		r = &((const struct log_ent *)m->log_rules)[ev.log];
	/* the devices: an XDP or TC program's own (the event's), the view's
	 * at the netfilter hooks (either may be none) */
	if (ev.ifindex)
		snprintf(ev.hook >= BW_CHAIN_OUTPUT ? oif : iif, sizeof(iif), "%s",
			 ifname(m, ev.ifindex));
	else {
		snprintf(iif, sizeof(iif), "%.*s", 15, ev.view.iifname);
		snprintf(oif, sizeof(oif), "%.*s", 15, ev.view.oifname);
	}
	len = ev.view.l3len;	/* skb->len, as nft's LEN */
	if (m->json) {
		fprintf(m->out, "{\"event\":\"log\",\"time_ns\":%llu,\"prefix\":",
			(unsigned long long)ev.time_ns);
		bw_rt_json_string(m->out, r->prefix);
		fprintf(m->out, ",\"level\":\"%s\",\"hook\":\"%s\"",
			bw_log_level_name(r->level), bw_chain_hook_name(ev.hook));
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
		bw_rt_json_rule(m->out, r->file, r->line, ev.handle);
		fputs("}\n", m->out);
	} else {
		fprintf(m->out, "%sIN=%s OUT=%s ", r->prefix, iif, oif);
		log_packet(m->out, &ev.view, len, false);
		if (r->line)
			fprintf(m->out, " rule %s:%u", r->file, r->line);
		fputc('\n', m->out);
	}
	return 0;
}
