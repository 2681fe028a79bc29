/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * udpflow: bounded streams of tagged UDP datagrams for the end-to-end
 * scripts (tests/e2e/newlinks.sh, fragments.sh), and a receiver that
 * counts them.
 *
 *   udpflow send [-n MAX] [-a AFTER] [-i MS] [-l LEN] PORT FLOW...
 *   udpflow tun  [-n MAX] [-a AFTER] [-i MS] NAME PORT FLOW...
 *   udpflow recv [-t SECS] PORT...
 *
 * A FLOW is TAG,SRC,DST (SRC may be empty for send: the kernel picks).
 * Each round sends one datagram per flow, "TAG SEQ\n" padded to LEN
 * bytes (tun: at most 63), then sleeps MS milliseconds (default 10).  At most MAX rounds
 * (default 300); with -a, the stream ends AFTER rounds once the path is
 * there (send: every flow's sendto succeeded; tun: the device is up), so
 * a slow machine still sends that many over the new link.
 *
 * send uses one UDP socket per flow, bound to SRC with IP_FREEBIND: SRC
 * may be an address of a link that does not exist yet; a failed sendto
 * (no route yet) is counted, not fatal.
 *
 * tun creates (or opens) the tun device NAME (IFF_TUN, no packet info)
 * and writes each flow's IPv4 or IPv6 UDP packet into it, as if it had
 * arrived on the device: also before the device is up (those writes
 * fail, counted) and before it has an address.
 *
 * recv counts the datagrams that arrive on each PORT (a dual-stack
 * socket on [::]:PORT), by tag, until SIGTERM or SIGINT, or SECS seconds
 * (default 60); then prints one line per tag: "TAG COUNT MAXLEN".
 *
 * send and tun end with one line per flow: "TAG sent N failed M".
 * Exit status 0, 1 on a setup error (with a message), 2 on usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FLOWS 16
#define MAX_PORTS 8
#define MAX_TAGS 32
#define MAX_LEN 65000

struct flow {
	char tag[32];
	int family;
	struct sockaddr_storage src, dst;
	bool has_src;
	int fd;
	unsigned long sent, failed;
};

struct opts {
	unsigned long max, after, interval_ms, len;
	int secs;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: udpflow send [-n MAX] [-a AFTER] [-i MS] [-l LEN] PORT TAG,SRC,DST...\n"
		"       udpflow tun [-n MAX] [-a AFTER] [-i MS] NAME PORT TAG,SRC,DST...\n"
		"       udpflow recv [-t SECS] PORT...\n");
	return 2;
}

static bool parse_ulong(const char *s, unsigned long lo, unsigned long hi,
			unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* ADDR (v4 or v6) and PORT into ss; false if ADDR is neither. */
static bool parse_addr(const char *addr, uint16_t port, struct sockaddr_storage *ss)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		return true;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		return true;
	}
	return false;
}

/* TAG,SRC,DST into f (SRC may be empty when allow_nosrc). */
static bool parse_flow(const char *arg, uint16_t port, bool allow_nosrc, struct flow *f)
{
	char buf[160], *c1, *c2;

	if (strlen(arg) >= sizeof(buf))
		return false;
	strcpy(buf, arg);
	c1 = strchr(buf, ',');
	c2 = c1 ? strchr(c1 + 1, ',') : NULL;
	if (!c1 || !c2 || c1 == buf || (size_t)(c1 - buf) >= sizeof(f->tag))
		return false;
	*c1++ = '\0';
	*c2++ = '\0';
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	strcpy(f->tag, buf);
	if (strchr(f->tag, ' ') || !parse_addr(c2, port, &f->dst))
		return false;
	f->family = f->dst.ss_family;
	if (!*c1)
		return allow_nosrc;
	if (!parse_addr(c1, 0, &f->src) || f->src.ss_family != f->family)
		return false;
	f->has_src = true;
	return true;
}

static void sleep_ms(unsigned long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR && !stop)
		;
}

/* The datagram of round seq into buf (cap bytes): "TAG SEQ\n", padded
 * with '.' to len (at most cap). */
static size_t payload(char *buf, size_t cap, size_t len, const char *tag,
		      unsigned long seq)
{
	int n = snprintf(buf, cap, "%s %lu\n", tag, seq);

	if (n < 0)
		return 0;
	if ((size_t)n >= cap)
		return cap - 1;
	if (len > cap)
		len = cap;
	if ((size_t)n < len) {
		memset(buf + n, '.', len - n);
		return len;
	}
	return (size_t)n;
}

static int open_flow(struct flow *f)
{
	int one = 1;

	f->fd = socket(f->family, SOCK_DGRAM, 0);
	if (f->fd < 0) {
		fprintf(stderr, "udpflow: socket: %s\n", strerror(errno));
		return -1;
	}
	if (f->family == AF_INET)
		setsockopt(f->fd, SOL_IP, IP_FREEBIND, &one, sizeof(one));
	else
		setsockopt(f->fd, SOL_IPV6, IPV6_FREEBIND, &one, sizeof(one));
	if (f->has_src && bind(f->fd, (struct sockaddr *)&f->src, sizeof(f->src)) < 0) {
		fprintf(stderr, "udpflow: %s: bind: %s\n", f->tag, strerror(errno));
		return -1;
	}
	return 0;
}

static void report(const struct flow *fl, int nflow)
{
	for (int i = 0; i < nflow; i++)
		printf("%s sent %lu failed %lu\n", fl[i].tag, fl[i].sent, fl[i].failed);
	fflush(stdout);
}

static int cmd_send(const struct opts *o, uint16_t port, char **args, int nargs)
{
	struct flow fl[MAX_FLOWS];
	static char buf[MAX_LEN];
	unsigned long left = 0;
	bool counting = false;
	int nflow = 0;

	for (int i = 0; i < nargs; i++) {
		if (nflow == MAX_FLOWS || !parse_flow(args[i], port, true, &fl[nflow]))
			return usage();
		if (open_flow(&fl[nflow++]))
			return 1;
	}
	for (unsigned long seq = 0; seq < o->max && !stop; seq++) {
		bool all_ok = true;

		for (int i = 0; i < nflow; i++) {
			struct flow *f = &fl[i];
			size_t n = payload(buf, sizeof(buf), o->len, f->tag, seq);

			if (sendto(f->fd, buf, n, 0, (struct sockaddr *)&f->dst,
				   f->family == AF_INET ? sizeof(struct sockaddr_in) :
				   sizeof(struct sockaddr_in6)) < 0) {
				f->failed++;
				all_ok = false;
			} else {
				f->sent++;
			}
		}
		if (o->after && !counting && all_ok) {
			counting = true;
			left = o->after;
		}
		if (counting && --left == 0)
			break;
		sleep_ms(o->interval_ms);
	}
	report(fl, nflow);
	return 0;
}

/* The Internet checksum of len bytes, folded, starting from sum. */
static uint16_t csum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;

	while (len > 1) {
		sum += (uint32_t)p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* The IP/UDP packet of flow f, round seq, into pkt; its length. */
static size_t build_packet(uint8_t *pkt, const struct flow *f, unsigned long seq, size_t len)
{
	char data[64];
	size_t dlen = payload(data, sizeof(data), len, f->tag, seq);
	size_t ulen = 8 + dlen, iplen;
	uint8_t *udp, pseudo[40];
	uint32_t sum;

	if (f->family == AF_INET) {
		const struct sockaddr_in *s = (const void *)&f->src, *d = (const void *)&f->dst;

		iplen = 20;
		memset(pkt, 0, iplen);
		pkt[0] = 0x45;
		put16(pkt + 2, (uint16_t)(iplen + ulen));
		put16(pkt + 4, (uint16_t)seq);
		pkt[8] = 64;
		pkt[9] = IPPROTO_UDP;
		memcpy(pkt + 12, &s->sin_addr, 4);
		memcpy(pkt + 16, &d->sin_addr, 4);
		put16(pkt + 10, (uint16_t)~csum(pkt, iplen, 0));
		memcpy(pseudo, pkt + 12, 8);
		memset(pseudo + 8, 0, 4);
		pseudo[9] = IPPROTO_UDP;
		put16(pseudo + 10, (uint16_t)ulen);
		sum = csum(pseudo, 12, 0);
	} else {
		const struct sockaddr_in6 *s = (const void *)&f->src, *d = (const void *)&f->dst;

		iplen = 40;
		memset(pkt, 0, iplen);
		pkt[0] = 0x60;
		put16(pkt + 4, (uint16_t)ulen);
		pkt[6] = IPPROTO_UDP;
		pkt[7] = 64;
		memcpy(pkt + 8, &s->sin6_addr, 16);
		memcpy(pkt + 24, &d->sin6_addr, 16);
		memcpy(pseudo, pkt + 8, 32);
		memset(pseudo + 32, 0, 8);
		put16(pseudo + 34, (uint16_t)ulen);
		pseudo[39] = IPPROTO_UDP;
		sum = csum(pseudo, 40, 0);
	}
	udp = pkt + iplen;
	put16(udp, 40000);
	put16(udp + 2, ntohs(((const struct sockaddr_in *)&f->dst)->sin_port));
	put16(udp + 4, (uint16_t)ulen);
	put16(udp + 6, 0);
	memcpy(udp + 8, data, dlen);
	sum = csum(udp, ulen, sum);
	put16(udp + 6, (uint16_t)~sum ? (uint16_t)~sum : 0xffff);
	return iplen + ulen;
}

static bool dev_up(int ctl, const char *name)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
	return ioctl(ctl, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
}

static int cmd_tun(const struct opts *o, const char *name, uint16_t port,
		   char **args, int nargs)
{
	struct flow fl[MAX_FLOWS];
	uint8_t pkt[200];
	struct ifreq ifr;
	unsigned long left = 0;
	bool counting = false;
	int nflow = 0, fd, ctl;

	for (int i = 0; i < nargs; i++)
		if (nflow == MAX_FLOWS || !parse_flow(args[i], port, false, &fl[nflow++]))
			return usage();
	if (strlen(name) >= IFNAMSIZ)
		return usage();
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "udpflow: /dev/net/tun: %s\n", strerror(errno));
		return 1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	strcpy(ifr.ifr_name, name);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "udpflow: TUNSETIFF %s: %s\n", name, strerror(errno));
		return 1;
	}
	ctl = socket(AF_INET, SOCK_DGRAM, 0);
	if (ctl < 0) {
		fprintf(stderr, "udpflow: socket: %s\n", strerror(errno));
		return 1;
	}
	for (unsigned long seq = 0; seq < o->max && !stop; seq++) {
		for (int i = 0; i < nflow; i++) {
			size_t n = build_packet(pkt, &fl[i], seq, o->len);

			if (write(fd, pkt, n) == (ssize_t)n)
				fl[i].sent++;
			else
				fl[i].failed++;
		}
		if (o->after && !counting && dev_up(ctl, name)) {
			counting = true;
			left = o->after;
		}
		if (counting && --left == 0)
			break;
		sleep_ms(o->interval_ms);
	}
	report(fl, nflow);
	close(ctl);
	close(fd);
	return 0;
}

struct tagcount {
	char tag[32];
	unsigned long count, maxlen;
};

static void count(struct tagcount *t, int *nt, const char *buf, size_t len)
{
	char tag[32];
	size_t k = 0;

	while (k < len && k < sizeof(tag) - 1 && buf[k] != ' ' && buf[k] != '\n')
		k++;
	memcpy(tag, buf, k);
	tag[k] = '\0';
	if (!k)
		strcpy(tag, "-");
	for (int i = 0; i < *nt; i++) {
		if (!strcmp(t[i].tag, tag)) {
			t[i].count++;
			if (len > t[i].maxlen)
				t[i].maxlen = len;
			return;
		}
	}
	if (*nt == MAX_TAGS)
		return;
	strcpy(t[*nt].tag, tag);
	t[*nt].count = 1;
	t[*nt].maxlen = len;
	(*nt)++;
}

static int cmd_recv(const struct opts *o, char **ports, int nports)
{
	struct pollfd pfd[MAX_PORTS];
	struct tagcount t[MAX_TAGS];
	static char buf[65536];
	struct timespec start, now;
	int nt = 0, zero = 0;

	if (nports > MAX_PORTS)
		return usage();
	for (int i = 0; i < nports; i++) {
		struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_addr = in6addr_any };
		unsigned long p;

		if (!parse_ulong(ports[i], 1, 65535, &p))
			return usage();
		a.sin6_port = htons((uint16_t)p);
		pfd[i].fd = socket(AF_INET6, SOCK_DGRAM, 0);
		pfd[i].events = POLLIN;
		if (pfd[i].fd < 0 ||
		    setsockopt(pfd[i].fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) ||
		    bind(pfd[i].fd, (struct sockaddr *)&a, sizeof(a))) {
			fprintf(stderr, "udpflow: port %lu: %s\n", p, strerror(errno));
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (!stop) {
		long ms;

		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (long)o->secs * 1000 - ((now.tv_sec - start.tv_sec) * 1000 +
					     (now.tv_nsec - start.tv_nsec) / 1000000);
		if (ms <= 0)
			break;
		if (poll(pfd, nports, ms > 200 ? 200 : (int)ms) <= 0)
			continue;
		for (int i = 0; i < nports; i++) {
			ssize_t n;

			if (!(pfd[i].revents & POLLIN))
				continue;
			n = recv(pfd[i].fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n >= 0)
				count(t, &nt, buf, (size_t)n);
		}
	}
	for (int i = 0; i < nt; i++)
		printf("%s %lu %lu\n", t[i].tag, t[i].count, t[i].maxlen);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .max = 300, .interval_ms = 10, .len = 0, .secs = 60 };
	struct sigaction sa;
	const char *cmd;
	unsigned long v, port;
	int c;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "n:a:i:l:t:")) != -1) {
		switch (c) {
		case 'n':
			if (!parse_ulong(optarg, 1, 1000000, &o.max))
				return usage();
			break;
		case 'a':
			if (!parse_ulong(optarg, 1, 1000000, &o.after))
				return usage();
			break;
		case 'i':
			if (!parse_ulong(optarg, 0, 10000, &o.interval_ms))
				return usage();
			break;
		case 'l':
			if (!parse_ulong(optarg, 0, MAX_LEN, &o.len))
				return usage();
			break;
		case 't':
			if (!parse_ulong(optarg, 1, 3600, &v))
				return usage();
			o.secs = (int)v;
			break;
		default:
			return usage();
		}
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll and sleeps end */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	argc -= optind;
	argv += optind;
	if (!strcmp(cmd, "recv"))
		return argc >= 1 ? cmd_recv(&o, argv, argc) : usage();
	if (!strcmp(cmd, "send")) {
		if (argc < 2 || !parse_ulong(argv[0], 1, 65535, &port))
			return usage();
		return cmd_send(&o, (uint16_t)port, argv + 1, argc - 1);
	}
	if (!strcmp(cmd, "tun")) {
		if (argc < 3 || !parse_ulong(argv[1], 1, 65535, &port))
			return usage();
		return cmd_tun(&o, argv[0], (uint16_t)port, argv + 2, argc - 2);
	}
	return usage();
}
