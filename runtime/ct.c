// SPDX-License-Identifier: GPL-2.0-only
/*
 * The conntrack map (compiler/interp/ct.h): one LRU hash per ruleset, shared by
 * every program that tracks, pinned as "conntrack" and kept across
 * reloads so established flows stay established.  A pinned map of another
 * shape (another bpfwall's) is replaced.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "rt.h"
#include "compiler/interp/ct.h"

int bw_rt_ct_create(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_LRU_HASH, "bw_conntrack",
				sizeof(struct bw_ct_key),
				sizeof(struct bw_ct_value), BW_CT_MAX_ENTRIES,
				NULL);

	if (fd < 0) {
		fd = -errno;
		bw_rt_log("cannot create the conntrack map: %s", strerror(errno));
	}
	return fd;
}

static const struct bw_rt_shape ct_shape = {
	.type = BPF_MAP_TYPE_LRU_HASH, .key_size = sizeof(struct bw_ct_key),
	.value_size = sizeof(struct bw_ct_value), .max_entries = BW_CT_MAX_ENTRIES,
};

int bw_rt_ct_get(const struct bw_rt_pin *pin)
{
	int fd = bw_rt_pin_get(pin, "conntrack", NULL), err;

	if (fd >= 0 && bw_rt_shape_is(fd, &ct_shape))
		return fd;
	if (fd >= 0) {
		bw_rt_log("replacing %s/conntrack: it has another shape (its flows are forgotten)",
			  pin->dir);
		close(fd);
	} else if (fd != -ENOENT) {
		return fd;
	}
	fd = bw_rt_ct_create();
	if (fd < 0)
		return fd;
	err = bw_rt_pin_replace(pin, fd, "conntrack");
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

/* conntrack -L's protocol names; the number for the others */
static const char *proto_name(uint8_t p)
{
	static char num[4];

	switch (p) {
	case IPPROTO_TCP:	return "tcp";
	case IPPROTO_UDP:	return "udp";
	case IPPROTO_ICMP:	return "icmp";
	case IPPROTO_ICMPV6:	return "icmpv6";
	default:
		snprintf(num, sizeof(num), "%u", p);
		return num;
	}
}

/* One flow, from its opening side, as conntrack -L prints it. */
static void print_flow(FILE *out, bool json, const struct bw_ct_key *k,
		       const struct bw_ct_value *v, uint64_t now)
{
	int o = v->flags & BW_CTF_ORIG_B ? 1 : 0, fam = k->l3 == 4 ? AF_INET : AF_INET6;
	const char *tcp = k->proto == IPPROTO_TCP ? bw_ct_tcp_name(v->tcp) : NULL;
	bool icmp = k->proto == IPPROTO_ICMP || k->proto == IPPROTO_ICMPV6;
	bool ports = k->proto == IPPROTO_TCP || k->proto == IPPROTO_UDP;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN], proto[16];
	unsigned long left = (unsigned long)((v->expires - now) / 1000000000u);
	bool replied = v->flags & BW_CTF_REPLIED;

	inet_ntop(fam, k->addr[o], src, sizeof(src));
	inet_ntop(fam, k->addr[!o], dst, sizeof(dst));
	snprintf(proto, sizeof(proto), "%s", proto_name(k->proto));
	if (json) {
		fprintf(out, "{\"proto\":\"%s\",\"protonum\":%u,\"expires\":%lu,",
			proto, k->proto, left);
		if (tcp)
			fprintf(out, "\"state\":\"%s\",", tcp);
		fprintf(out, "\"src\":\"%s\",\"dst\":\"%s\"", src, dst);
		if (ports)
			fprintf(out, ",\"sport\":%u,\"dport\":%u",
				ntohs(k->port[o]), ntohs(k->port[!o]));
		if (icmp)
			fprintf(out, ",\"type\":%u,\"id\":%u", k->port[!o],
				ntohs(k->port[o]));
		fprintf(out, ",\"replied\":%s}\n", replied ? "true" : "false");
		return;
	}
	fprintf(out, "%-8s %-3u %lu", proto, k->proto, left);
	if (tcp)
		fprintf(out, " %s", tcp);
	fprintf(out, " src=%s dst=%s", src, dst);
	if (ports)
		fprintf(out, " sport=%u dport=%u", ntohs(k->port[o]),
			ntohs(k->port[!o]));
	if (icmp)
		fprintf(out, " type=%u id=%u", k->port[!o], ntohs(k->port[o]));
	fprintf(out, "%s\n", replied ? " [REPLIED]" : "");
}

int bw_rt_ct_list(const struct bw_rt_opts *o, bool json, FILE *out,
		  struct bw_diags *d)
{
	struct bw_ct_key key, next;
	struct bw_ct_value v;
	struct bw_rt_pin pin;
	struct timespec ts;
	bool first = true;
	uint64_t now;
	int fd, err;

	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), false, false, o->pin_outlive, &pin);
	if (err == -ENOENT)
		return 0;		/* nothing loaded: no flows */
	if (err) {
		bw_error(d, NULL, "cannot open the pin dir %s: %s",
			 bw_rt_pin_dir(o), strerror(-err));
		return err;
	}
	fd = bw_rt_pin_get(&pin, "conntrack", &ct_shape);
	bw_rt_pin_close(&pin);
	if (fd == -ENOENT)
		return 0;		/* no ruleset tracked */
	if (fd < 0) {
		bw_error(d, NULL, "cannot open the conntrack table: %s",
			 fd == -BW_RT_ESHAPE ? "it has another shape than this bpfwall's" :
			 strerror(-fd));
		return fd;
	}
	/* the programs' clock: bpf_ktime_get_coarse_ns() */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	while (!bpf_map_get_next_key(fd, first ? NULL : &key, &next)) {
		first = false;
		key = next;
		if (bpf_map_lookup_elem(fd, &key, &v))
			continue;	/* gone meanwhile */
		if (key.kind != BW_CT_KEY_FLOW || v.expires <= now ||
		    (key.l3 != 4 && key.l3 != 6))
			continue;
		print_flow(out, json, &key, &v, now);
	}
	close(fd);
	return 0;
}
