// SPDX-License-Identifier: GPL-2.0-only
/*
 * `make bench`: the namespace pair of hooks.c and flood.c, the traffic
 * through it, and the counters that prove where the traffic went
 * (hooks.h says how).
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <linux/if_link.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "runtime/runtime.h"
#include "cli/drive.h"
#include "bench.h"
#include "hooks.h"

#ifndef BPF_F_TEST_XDP_LIVE_FRAMES
#define BPF_F_TEST_XDP_LIVE_FRAMES	(1U << 1)
#endif
#define MAX_FRAMES	5000000u
#define SEND_BATCH	64
#define SEND_SECONDS	10.0

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd)) {
		fprintf(stderr, "bench: hooks: failed: %s\n", cmd);
		return -1;
	}
	return 0;
}

static int put_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t w = -1;

	if (fd >= 0) {
		w = write(fd, val, strlen(val));
		close(fd);
	}
	if (w < 0)
		fprintf(stderr, "bench: hooks: cannot write %s\n", path);
	return w < 0 ? -1 : 0;
}

/* A new network namespace, IPv6 off in it (no neighbour discovery or
 * MLD packets to count); its fd. */
static int new_netns(void)
{
	if (unshare(CLONE_NEWNET)) {
		perror("bench: hooks: unshare");
		return -1;
	}
	if (put_sysctl("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1") ||
	    put_sysctl("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1") ||
	    put_sysctl("/proc/sys/net/ipv4/conf/all/rp_filter", "0") ||
	    put_sysctl("/proc/sys/net/ipv4/conf/default/rp_filter", "0"))
		return -1;
	return open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

static int enter(int ns)
{
	if (setns(ns, CLONE_NEWNET)) {
		perror("bench: hooks: setns");
		return -1;
	}
	return 0;
}

static int udp_sink(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), one = 1;

	if (s < 0)
		return -1;
	/* the smallest buffer: never read, it stays full */
	setsockopt(s, SOL_SOCKET, SO_RCVBUF, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa))) {
		close(s);
		return -1;
	}
	return s;
}

/* The pid of ksoftirqd/cpu, 0 if none is found. */
static int find_ksoftirqd(int cpu)
{
	char want[32], path[300], comm[64];
	struct dirent *e;
	DIR *dir = opendir("/proc");
	int pid = 0;

	snprintf(want, sizeof(want), "ksoftirqd/%d\n", cpu);
	while (dir && !pid && (e = readdir(dir))) {
		FILE *f;

		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", e->d_name);
		f = fopen(path, "r");
		if (f && fgets(comm, sizeof(comm), f) && !strcmp(comm, want))
			pid = atoi(e->d_name);
		if (f)
			fclose(f);
	}
	if (dir)
		closedir(dir);
	return pid;
}

/* Run and wait time (ns) of a task: /proc/PID/schedstat ("self"). */
static void schedstat(const char *pid, uint64_t *run, uint64_t *wait)
{
	char path[64];
	unsigned long long r = 0, w = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/schedstat", pid);
	f = fopen(path, "r");
	if (f && fscanf(f, "%llu %llu", &r, &w) != 2)
		r = w = 0;
	if (f)
		fclose(f);
	*run = r;
	if (wait)
		*wait = w;
}

static int pin_cpu(struct bw_hk_net *n)
{
	cpu_set_t set;

	n->cpu = sched_getcpu();
	if (n->cpu < 0)
		return -1;
	n->ksoftirqd = find_ksoftirqd(n->cpu);
	CPU_ZERO(&set);
	CPU_SET(n->cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static void unpin_cpu(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (long i = 0; i < sysconf(_SC_NPROCESSORS_ONLN) && i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* The peer's end: address, up, the XDP drop program that counts. */
static int peer_up(struct bw_hk_net *n, uint8_t mac[6])
{
	int ifindex;

	if (enter(n->peer) ||
	    sh("ip link set lo up && ip addr add 192.0.2.1/24 dev " BW_HK_PEER
	       " && ip link set " BW_HK_PEER " up"))
		return -1;
	ifindex = (int)if_nametoindex(BW_HK_PEER);
	n->peer_drop = bw_bench_drop_prog();
	if (!ifindex || n->peer_drop < 0 || bw_bench_hwaddr(BW_HK_PEER, mac) ||
	    bpf_xdp_attach(ifindex, n->peer_drop, XDP_FLAGS_DRV_MODE, NULL)) {
		fprintf(stderr, "bench: hooks: cannot set up %s\n", BW_HK_PEER);
		return -1;
	}
	return enter(n->dut);
}

static void frame_init(struct bw_hk_net *n, const uint8_t dut_mac[6],
		       const uint8_t peer_mac[6])
{
	uint8_t *f = n->frame;

	memset(f, 0, sizeof(n->frame));
	memcpy(f, dut_mac, 6);
	memcpy(f + 6, peer_mac, 6);
	f[12] = 0x08;
	/* IPv4, 46 bytes, UDP, from 192.0.2.1 (the generator writes the
	 * source and the checksum) to 192.0.2.2 */
	memcpy(f + 14, "\x45\x00\x00\x2e\x00\x00\x00\x00\x40\x11\x00\x00"
	       "\xc0\x00\x02\x01\xc0\x00\x02\x02", 20);
	/* UDP 40000 -> 9, 26 bytes, no checksum */
	memcpy(f + 34, "\x9c\x40\x00\x09\x00\x1a\x00\x00", 8);
}

int bw_hk_net_up(struct bw_hk_net *n)
{
	uint8_t dut_mac[6], peer_mac[6];
	char peer_mac_s[32];

	memset(n, 0, sizeof(*n));
	n->home = n->dut = n->peer = n->peer_drop = n->sock = -1;
	n->home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (n->home < 0 || pin_cpu(n) || (n->peer = new_netns()) < 0 ||
	    enter(n->home) || (n->dut = new_netns()) < 0)
		goto fail;
	if (sh("ip link set lo up && ip link add " BW_HK_DUT " type veth peer name "
	       BW_HK_PEER " netns /proc/%d/fd/%d", (int)getpid(), n->peer) ||
	    peer_up(n, peer_mac))
		goto fail;
	snprintf(peer_mac_s, sizeof(peer_mac_s), "%02x:%02x:%02x:%02x:%02x:%02x",
		 peer_mac[0], peer_mac[1], peer_mac[2], peer_mac[3], peer_mac[4],
		 peer_mac[5]);
	if (sh("ip addr add 192.0.2.2/24 dev " BW_HK_DUT " && ip link set " BW_HK_DUT
	       " up && ip neigh replace 192.0.2.1 lladdr %s dev " BW_HK_DUT
	       " nud permanent", peer_mac_s) ||
	    put_sysctl("/proc/sys/net/ipv4/conf/" BW_HK_DUT "/rp_filter", "0") ||
	    bw_bench_set_gro(BW_HK_DUT) || bw_bench_hwaddr(BW_HK_DUT, dut_mac) ||
	    (n->sock = udp_sink()) < 0) {
		fprintf(stderr, "bench: hooks: cannot set up %s\n", BW_HK_DUT);
		goto fail;
	}
	frame_init(n, dut_mac, peer_mac);
	return 0;
fail:
	bw_hk_net_down(n);
	return -1;
}

void bw_hk_net_down(struct bw_hk_net *n)
{
	if (n->home >= 0 && setns(n->home, CLONE_NEWNET))
		perror("bench: hooks: back to the bench's namespace");
	unpin_cpu();
	if (n->sock >= 0)
		close(n->sock);
	if (n->peer_drop >= 0)
		close(n->peer_drop);
	if (n->dut >= 0)
		close(n->dut);
	if (n->peer >= 0)
		close(n->peer);
	if (n->home >= 0)
		close(n->home);
	n->home = n->dut = n->peer = n->peer_drop = n->sock = -1;
}

/* One field of /proc/net/snmp (this namespace's): "Ip", "InReceives". */
static uint64_t snmp(const char *proto, const char *field)
{
	char names[2048], vals[2048], *np, *vp, *ns, *vs;
	size_t plen = strlen(proto);
	uint64_t v = 0;
	FILE *f = fopen("/proc/net/snmp", "r");

	while (f && fgets(names, sizeof(names), f) && fgets(vals, sizeof(vals), f)) {
		if (strncmp(names, proto, plen) || names[plen] != ':')
			continue;
		np = strtok_r(names + plen + 1, " \n", &ns);
		vp = strtok_r(vals + plen + 1, " \n", &vs);
		for (; np && vp; np = strtok_r(NULL, " \n", &ns),
		     vp = strtok_r(NULL, " \n", &vs))
			if (!strcmp(np, field))
				v = strtoull(vp, NULL, 10);
		break;
	}
	if (f)
		fclose(f);
	return v;
}

/* The softirq column of the CPU's line of /proc/stat. */
static uint64_t softirq_ticks(int cpu)
{
	char line[512], want[16];
	unsigned long long v[7];
	uint64_t t = 0;
	FILE *f = fopen("/proc/stat", "r");

	snprintf(want, sizeof(want), "cpu%d ", cpu);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want)) &&
		    sscanf(line + strlen(want), "%llu %llu %llu %llu %llu %llu %llu",
			   &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 7) {
			t = v[6];
			break;
		}
	if (f)
		fclose(f);
	return t;
}

double bw_hk_tick_ns(void)
{
	long hz = sysconf(_SC_CLK_TCK);

	return 1e9 / (double)(hz > 0 ? hz : 100);
}

/* The counters now; the process is in the DUT namespace before and
 * after. */
static int count(struct bw_hk_net *n, struct bw_hk_count *c)
{
	c->ip_in = snmp("Ip", "InReceives");
	c->ip_deliver = snmp("Ip", "InDelivers");
	c->dut_xdp = bw_bench_ethtool_stat(BW_HK_DUT, "rx_queue_0_xdp_packets");
	c->dut_xdp_drop = bw_bench_ethtool_stat(BW_HK_DUT, "rx_queue_0_xdp_drops");
	if (enter(n->peer))
		return -1;
	c->peer_xdp = bw_bench_ethtool_stat(BW_HK_PEER, "rx_queue_0_xdp_packets");
	c->softirq = softirq_ticks(n->cpu);
	c->ksoftirqd_ns = 0;
	if (n->ksoftirqd) {
		char pid[16];

		snprintf(pid, sizeof(pid), "%d", n->ksoftirqd);
		schedstat(pid, &c->ksoftirqd_ns, NULL);
	}
	return enter(n->dut);
}

static void diff(struct bw_hk_count *d, const struct bw_hk_count *a,
		 const struct bw_hk_count *b)
{
	d->ip_in = b->ip_in - a->ip_in;
	d->ip_deliver = b->ip_deliver - a->ip_deliver;
	d->dut_xdp = b->dut_xdp - a->dut_xdp;
	d->dut_xdp_drop = b->dut_xdp_drop - a->dut_xdp_drop;
	d->peer_xdp = b->peer_xdp - a->peer_xdp;
	d->softirq = b->softirq - a->softirq;
	d->ksoftirqd_ns = b->ksoftirqd_ns - a->ksoftirqd_ns;
}

/* This thread's CPU time and wait time now. */
struct clocks {
	double wall;
	uint64_t run, wait;
};

static void clocks(struct clocks *c)
{
	c->wall = seconds();
	schedstat("thread-self", &c->run, &c->wait);
}

/* r's times from the clocks before and after a burst. */
static void times(struct bw_hk_run *r, const struct clocks *a,
		  const struct clocks *b)
{
	r->secs = b->wall - a->wall;
	r->cpu_ns = (double)(b->run - a->run) + (double)r->d.ksoftirqd_ns;
	r->wait_ns = (double)(b->wait - a->wait);
}

int bw_hk_push(struct bw_hk_net *n, int gen, uint32_t frames,
	       struct bw_hk_run *r)
{
	struct bw_hk_count a, b;
	struct xdp_md ctx = { .data_end = BW_HK_FRAME_LEN };
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = n->frame,
		    .data_size_in = BW_HK_FRAME_LEN, .ctx_in = &ctx,
		    .ctx_size_in = sizeof(ctx),
		    .flags = BPF_F_TEST_XDP_LIVE_FRAMES);
	struct clocks t0, t1;
	int err;

	if (frames > MAX_FRAMES)
		frames = MAX_FRAMES;
	o.repeat = frames;
	memset(r, 0, sizeof(*r));
	if (count(n, &a) || enter(n->peer))
		return -EIO;
	ctx.ingress_ifindex = if_nametoindex(BW_HK_PEER);
	clocks(&t0);
	err = ctx.ingress_ifindex ? bpf_prog_test_run_opts(gen, &o) : -ENODEV;
	clocks(&t1);
	if (err)
		err = -errno;
	if (enter(n->dut))
		return -EIO;
	usleep(20000);		/* what the device still queues lands */
	if (count(n, &b))
		return -EIO;
	diff(&r->d, &a, &b);
	times(r, &t0, &t1);
	r->n = frames;
	return err;
}

int bw_hk_send(struct bw_hk_net *n, uint32_t packets, struct bw_hk_run *r)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct mmsghdr msg[SEND_BATCH];
	struct iovec iov[SEND_BATCH];
	char payload[18] = "bwbench";
	struct bw_hk_count a, b;
	uint64_t sent = 0;
	struct clocks t0, t1;
	int s, err = 0;

	memset(r, 0, sizeof(*r));
	inet_pton(AF_INET, "192.0.2.1", &to.sin_addr);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&to, sizeof(to))) {
		err = -errno;
		goto out;
	}
	memset(msg, 0, sizeof(msg));
	for (int i = 0; i < SEND_BATCH; i++) {
		iov[i].iov_base = payload;
		iov[i].iov_len = sizeof(payload);
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	if (count(n, &a)) {
		err = -EIO;
		goto out;
	}
	clocks(&t0);
	while (sent < packets && seconds() - t0.wall < SEND_SECONDS) {
		unsigned batch = packets - sent < SEND_BATCH ?
				 (unsigned)(packets - sent) : SEND_BATCH;
		int k = sendmmsg(s, msg, batch, 0);

		if (k < 0) {
			err = -errno;
			break;
		}
		sent += (unsigned)k;
	}
	clocks(&t1);
	usleep(20000);
	if (count(n, &b) && !err)
		err = -EIO;
	diff(&r->d, &a, &b);
	times(r, &t0, &t1);
	r->n = sent;
out:
	if (s >= 0)
		close(s);
	return err;
}

/* The sum of the "packets" of the "counters" of `list ruleset -j`. */
int64_t bw_hk_bw_counter(const char *pin_dir)
{
	struct bw_rt_opts o = { .pin_dir = pin_dir };
	struct bw_diags d;
	char *buf = NULL, *p;
	size_t len = 0;
	int64_t sum = -1;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -1;
	bw_diags_init(&d);
	if (bw_rt_list(&o, true, f, &d))
		bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	fclose(f);
	p = buf ? strstr(buf, "\"counters\": [") : NULL;
	if (p) {
		char *end = strchr(p, ']');

		sum = 0;
		while ((p = strstr(p, "\"packets\": ")) && (!end || p < end)) {
			p += strlen("\"packets\": ");
			sum += strtoll(p, &p, 10);
		}
	}
	free(buf);
	return sum;
}

int64_t bw_hk_nft_counter(void)
{
	char line[1024];
	int64_t sum = -1;
	FILE *f = popen("nft list ruleset 2>/dev/null", "r");

	while (f && fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "counter packets ");

		if (p) {
			sum = (sum < 0 ? 0 : sum) +
			      strtoll(p + strlen("counter packets "), NULL, 10);
		}
	}
	if (f)
		pclose(f);
	return sum;
}

int bw_hk_nft_load(const char *text)
{
	char path[64];
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "/tmp/bwbench-hooks-%d.nft", (int)getpid());
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	fclose(f);
	rc = sh("nft -f %s", path);
	unlink(path);
	return rc;
}

void bw_hk_nft_flush(void)
{
	(void)!system("nft flush ruleset 2>/dev/null");
}

int bw_hk_bw_progstats(const char *pin_dir, struct bw_hk_progstat *v)
{
	DIR *dir = opendir(pin_dir);
	struct dirent *e;
	char path[512];
	int n = 0;

	if (!dir)
		return -errno;
	while (n < BW_HK_MAXPROG && (e = readdir(dir))) {
		struct bpf_link_info li = { 0 };
		struct bpf_prog_info pi = { 0 };
		uint32_t len;
		int fd, pfd = -1;

		if (strncmp(e->d_name, "link_", 5) && strncmp(e->d_name, "prog_", 5))
			continue;
		snprintf(path, sizeof(path), "%s/%s", pin_dir, e->d_name);
		fd = bpf_obj_get(path);
		if (fd >= 0 && !strncmp(e->d_name, "prog_", 5)) {
			pfd = fd;
			fd = -1;
		} else if (fd >= 0) {
			len = sizeof(li);
			if (!bpf_obj_get_info_by_fd(fd, &li, &len))
				pfd = bpf_prog_get_fd_by_id(li.prog_id);
		}
		len = sizeof(pi);
		if (pfd >= 0 && !bpf_obj_get_info_by_fd(pfd, &pi, &len))
			v[n++] = (struct bw_hk_progstat){ .id = pi.id, .cnt = pi.run_cnt,
							  .ns = pi.run_time_ns };
		if (pfd >= 0)
			close(pfd);
		if (fd >= 0)
			close(fd);
	}
	closedir(dir);
	return n;
}

bool bw_hk_dut_has_xdp(void)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int ifindex = (int)if_nametoindex(BW_HK_DUT);

	return ifindex && !bpf_xdp_query(ifindex, 0, &q) &&
	       q.attach_mode != XDP_ATTACHED_NONE;
}

int bw_hk_bw_load(const char *pin_dir, const char *name, const char *text,
		  bool hoist)
{
	struct bw_rt_opts o = { .pin_dir = pin_dir, .ip_hooks = BW_IP_HOOKS_NF,
				.no_hoist = !hoist };
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	int err;

	bw_diags_init(&d);
	err = bw_compile_string(name, text, &d, &ir);
	if (!err)
		err = bw_drive_apply(ir, &o, &d);
	bw_diags_print(&d, stderr);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	return err;
}

void bw_hk_bw_flush(const char *pin_dir)
{
	struct bw_rt_opts o = { .pin_dir = pin_dir };
	struct bw_diags d;

	bw_diags_init(&d);
	bw_rt_flush(&o, &d);
	bw_diags_fini(&d);
}
