// SPDX-License-Identifier: GPL-2.0-only
/*
 * nftdiff: the packet half of the differential test against real nft
 * (tests/e2e/nft-diff.sh makes the namespaces and loads the rulesets).
 *
 *   nftdiff info FILE.t
 *	What the script must prepare for FILE.t: "observer netdev" or
 *	"observer inet" (the family of the observer table), or "skip REASON";
 *	then one "addr ADDRESS" per distinct IPv4/IPv6 destination of the
 *	packets it will send.
 *
 *   nftdiff run --phase nft|bpfwall --sender NETNS [--wait-ms N] FILE.t
 *	Run inside the receiving namespace (ip netns exec B).  Each ingress
 *	packet line of FILE.t is built as run-verdict builds it
 *	(bw_pkt_spec_parse + bw_pkt_build), sent from namespace NETNS (a path
 *	such as /var/run/netns/A) through a packet socket on the peer of the
 *	device it must arrive on (its own device, veth0 or veth1; with none,
 *	one that has no netdev chain, which is what "no device" means to
 *	run-verdict; egress lines are not sent), and judged by the observer:
 *	when the named counter "seen" of table bwobserve (read with nft)
 *	moved, the packet got through the tested chains (accept), else it was
 *	dropped.  That must be the line's verdict; in the nft phase a trailing
 *	comment "# nft: accept REASON" or "# nft: drop REASON" states what nft
 *	does instead (a documented difference).
 *
 *   nftdiff gen ...
 *	Random rulesets and packets written as .t files (gen.c).
 *
 * Exit: 0 everything agreed, 1 a disagreement, 99 unusable input or setup.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "compiler/interp/pktbuild.h"
#include "tests/lib/tfile.h"
#include "tests/nftdiff/nftdiff.h"
#include "compiler/front/settimeout.h"

#define EXIT_HARD 99
#define OBSERVER_PRIO 1000	/* the observer chain's priority (nft-diff.sh) */
#define MAX_TRIES 3		/* sends of one packet that arrived late */
#define POLL_MS 3		/* between two reads of the observer counter */

const char *const nftdiff_dev[NFTDIFF_NDEV] = { "veth0", "veth1" };

/* One packet line: PACKET ; VERDICT [; LINE] [# nft: VERDICT REASON] */
struct tline {
	unsigned lineno;
	char *spec;			/* the PACKET text */
	enum bw_verdict want;
	enum bw_verdict nft_want;	/* CONTINUE: no annotation */
	char *nft_why;
	/* filled by prepare() */
	const char *skip;		/* why it is not sent, or NULL */
	long sleep;			/* a line `sleep T`: ms to wait there
					 * (skip says so) */
	int dev;			/* index into nftdiff_dev */
	int len;
	uint8_t pkt[BW_PKT_MAX];
	/* filled by observe() */
	bool passed;
	unsigned tries;
	long ms;			/* send to counter move */
};

struct tfile {
	const char *path;
	char *text;			/* the whole file; lines point into it */
	struct bw_diags d;		/* owns the source the IR points into */
	struct bw_ir *ir;
	unsigned nline;
	struct tline *line;
};



/* The comment of a packet line: "nft: accept|drop REASON" is an
 * annotation, anything else is ignored. */
static int parse_note(const struct tfile *f, struct tline *t, char *c)
{
	c = bw_t_trim(c);
	if (strncmp(c, "nft:", 4))
		return 0;
	c = bw_t_trim(c + 4);
	if (!strncmp(c, "accept", 6)) {
		t->nft_want = BW_VERDICT_ACCEPT;
		c += 6;
	} else if (!strncmp(c, "drop", 4)) {
		t->nft_want = BW_VERDICT_DROP;
		c += 4;
	} else {
		c = NULL;
	}
	if (c && (*c == ' ' || *c == '\t'))
		t->nft_why = bw_t_trim(c);
	if (!t->nft_why || !*t->nft_why) {
		fprintf(stderr, "%s:%u: bad annotation: \"# nft: accept REASON\" or \"# nft: drop REASON\"\n",
			f->path, t->lineno);
		return -EINVAL;
	}
	return 0;
}

/* `sleep T` (run-verdict's: time passes, set timeouts): t waits there.
 * 1: such a line, 0: another, -EINVAL: a bad one (said). */
static int sleep_line(const struct tfile *f, struct tline *t, char *line)
{
	uint32_t ms;

	if (strncmp(line, "sleep ", 6))
		return 0;
	if (bw_settimeout_parse(bw_t_trim(line + 6), &ms) || !ms || ms > 3000) {
		fprintf(stderr, "%s:%u: bad line: sleep T, T at most 3s\n",
			f->path, t->lineno);
		return -EINVAL;
	}
	t->sleep = ms;
	t->skip = "time passes";
	return 1;
}

static int parse_line(const struct tfile *f, struct tline *t, char *line)
{
	char *hash = strchr(line, '#'), *v, *l;

	if (hash)
		*hash++ = '\0';
	v = strchr(line, ';');
	if (!v) {
		fprintf(stderr, "%s:%u: bad test line: expected PACKET ; VERDICT [; LINE]\n",
			f->path, t->lineno);
		return -EINVAL;
	}
	*v++ = '\0';
	l = strchr(v, ';');
	if (l)
		*l = '\0';
	t->spec = bw_t_trim(line);
	v = bw_t_trim(v);
	if (!strcmp(v, "accept")) {
		t->want = BW_VERDICT_ACCEPT;
	} else if (!strcmp(v, "drop") || !strcmp(v, "reject")) {
		/* a reject drops the packet (its answer is not observed) */
		t->want = BW_VERDICT_DROP;
	} else {
		fprintf(stderr, "%s:%u: bad verdict \"%s\"\n", f->path,
			t->lineno, v);
		return -EINVAL;
	}
	return hash ? parse_note(f, t, hash) : 0;
}

/* Read FILE.t, compile its ruleset, parse its packet lines. */
static int load(const char *path, struct tfile *f)
{
	char *p, *nl, *packets = NULL;
	unsigned lineno = 1, cap = 0;
	int err;

	memset(f, 0, sizeof(*f));
	f->path = path;
	bw_diags_init(&f->d);
	f->text = bw_t_read_all(path);
	if (!f->text)
		return -EIO;
	for (p = f->text; *p; p = nl + 1, lineno++) {
		size_t n;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 2 && p[0] == '%' && p[1] == '%') {
			*p = '\0';
			packets = nl ? nl + 1 : p + 2;
			lineno++;
			break;
		}
		if (!nl)
			break;
	}
	if (!packets) {
		fprintf(stderr, "%s: no line \"%%%%\" between ruleset and packets\n", path);
		return -EINVAL;
	}
	err = bw_compile_string(path, f->text, &f->d, &f->ir);
	if (err) {
		fprintf(stderr, "%s: the ruleset does not compile:\n", path);
		bw_diags_print(&f->d, stderr);
		return err;
	}
	for (p = packets; *p; p = nl + 1, lineno++) {
		char *line;

		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		line = bw_t_trim(p);
		/* `mode netfilter|xdp|both`: where run-verdict runs bpfwall's
		 * chains; nft has one meaning */
		if (*line && *line != '#' && strncmp(line, "mode ", 5)) {
			if (f->nline == cap) {
				struct tline *n;

				cap = cap ? cap * 2 : 64;
				n = realloc(f->line, cap * sizeof(*n));
				if (!n)
					return -ENOMEM;
				f->line = n;
			}
			struct tline *t = &f->line[f->nline++];

			memset(t, 0, sizeof(*t));
			t->lineno = lineno;
			err = sleep_line(f, t, line);
			if (!err)
				err = parse_line(f, t, line);
			else if (err > 0)
				err = 0;
			if (err)
				return err;
		}
		if (!nl)
			break;
	}
	return 0;
}

static void unload(struct tfile *f)
{
	bw_ir_free(&f->ir);
	bw_diags_fini(&f->d);
	free(f->line);
	free(f->text);
}

static int dev_index(const char *name)
{
	for (int i = 0; name && i < NFTDIFF_NDEV; i++)
		if (!strcmp(name, nftdiff_dev[i]))
			return i;
	return -1;
}

/*
 * Where the observer goes: after the tested input chains (inet) or, with
 * none, after the tested ingress chains of the devices (netdev).  NULL and
 * *why when the file has nothing the observer can follow.
 */
static const char *observer(const struct bw_ir *ir, const char **why)
{
	bool input = false, ingress = false, late_in = false, late_dev = false;

	if (bw_ir_uses_field(ir, BW_F_CT_STATE)) {
		/* its flows need both directions, the egress half sent by
		 * the host itself: tests/e2e/conntrack.sh compares it with
		 * nft over real connections */
		*why = "conntrack (tests/e2e/conntrack.sh compares it)";
		return NULL;
	}
	if (bw_ir_uses_field(ir, BW_F_META_CPU_BPF) ||
	    bw_ir_uses_field(ir, BW_F_META_CPU)) {
		/* a frame sent over veth is processed on any CPU (the
		 * verdict runner pins its programs to CPU 0) */
		*why = "meta cpu (the CPU a frame over veth meets is any)";
		return NULL;
	}
	if (bw_ir_uses_field(ir, BW_F_ICMP6_TADDR) ||
	    bw_ir_uses_field(ir, BW_F_ICMP6_DADDR)) {
		*why = "icmpv6 taddr or daddr, which nft 1.0.6 does not know (rawpay.t compares their raw payload form)";
		return NULL;
	}
	for (int f = BW_F_GRE_FLAGS; f <= BW_F_TUN_ICMP6_CODE; f++)
		if (bw_ir_uses_field(ir, (enum bw_field_id)f)) {
			/* nft 1.1's: Debian's nft 1.0.6 refuses them */
			*why = "gre and tunnel fields (nft 1.0.6 has none)";
			return NULL;
		}
	for (uint32_t c = 0; c < ir->nchain; c++) {
		if (bw_family_nft_only(ir->chain[c].family)) {
			/* an inet observer never sees ARP frames, nor what a
			 * bridge forwards */
			*why = "bridge or arp chains (tests/e2e/bridge-arp.sh compares them)";
			return NULL;
		}
	}
	for (uint32_t c = 0; c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];
		bool late = ch->priority >= OBSERVER_PRIO;

		if (ch->hook == BW_CHAIN_INPUT) {
			input = true;
			late_in |= late;
		} else if (ch->hook == BW_CHAIN_INGRESS &&
			   dev_index(ch->device) >= 0) {
			ingress = true;
			late_dev |= late;
		}
	}
	if (input && !late_in)
		return "inet";
	if (!input && ingress && !late_dev)
		return "netdev";
	if (input || ingress)
		*why = "a tested chain runs at or after the observer's priority";
	else
		*why = "no input chain, no ingress chain on veth0 or veth1";
	return NULL;
}

/*
 * The device a packet must arrive on: its own, or for a packet written
 * without one (which meets only the input chains) a device with no netdev
 * chain.  -1 and *why if none of ours fits.
 */
static int pick_dev(const struct bw_ir *ir, const struct bw_pkt_spec *s,
		    uint32_t *idx, const char **why)
{
	uint32_t nall;
	int i;

	if (s->egress || s->path == BW_PATH_FORWARD) {
		*why = s->egress ? "egress" : "forward (tests/e2e/router.sh compares it)";
		return -1;
	}
	if (bw_pkt_spec_mark(s)) {	/* a frame sent over veth has none */
		*why = "it has a mark (tests/e2e/nft-setf.sh and ipt-mark.sh send marked traffic)";
		return -1;
	}
	if (s->device) {
		i = dev_index(s->device);
		if (i < 0)
			*why = "its device is not in the test namespaces";
		return i;
	}
	nall = bw_ir_chains_for(ir, false, NULL, true, idx);
	for (i = 0; i < NFTDIFF_NDEV; i++)
		if (bw_ir_chains_for(ir, false, nftdiff_dev[i], true, idx) == nall)
			return i;
	*why = "no device, and every test device has a netdev chain";
	return -1;
}

/* Build every packet line's frame and choose its device. */
static int prepare(struct tfile *f)
{
	uint32_t *idx = calloc(f->ir->nchain + 1, sizeof(*idx));
	int nfail = 0;

	if (!idx)
		return -ENOMEM;

	for (unsigned i = 0; i < f->nline; i++) {
		struct tline *t = &f->line[i];
		struct bw_pkt_spec *spec = NULL;
		char name[512];
		int err;

		if (t->sleep)
			continue;

		snprintf(name, sizeof(name), "%s:%u: packet", f->path, t->lineno);
		err = bw_pkt_spec_parse(name, t->spec, &f->d, &spec);
		if (!err) {
			t->len = bw_pkt_build(spec, t->pkt, sizeof(t->pkt), &f->d);
			if (t->len <= 0)
				err = t->len ? t->len : -EINVAL;
		}
		if (err) {
			fprintf(stderr, "%s:%u: cannot build the packet:\n",
				f->path, t->lineno);
			bw_diags_print(&f->d, stderr);
			nfail++;
		} else {
			t->dev = pick_dev(f->ir, spec, idx, &t->skip);
		}
		bw_pkt_spec_free(&spec);
	}
	free(idx);
	return nfail ? -EINVAL : 0;
}

/* The IPv4/IPv6 destination of a frame as text, or false. */
static bool frame_daddr(const uint8_t *p, int len, char *buf, size_t cap)
{
	int off = 12, tags = 0;
	uint16_t type;

	for (;;) {
		if (off + 2 > len)
			return false;
		type = (uint16_t)(p[off] << 8 | p[off + 1]);
		if ((type != 0x8100 && type != 0x88a8) || ++tags > 4)
			break;
		off += 4;
	}
	off += 2;
	if (type == 0x0800 && off + 20 <= len)
		return inet_ntop(AF_INET, p + off + 16, buf, (socklen_t)cap) != NULL;
	if (type == 0x86dd && off + 40 <= len)
		return inet_ntop(AF_INET6, p + off + 24, buf, (socklen_t)cap) != NULL;
	return false;
}

static int cmd_info(const char *path)
{
	struct tfile f;
	const char *kind, *why = NULL;
	char (*seen)[INET6_ADDRSTRLEN] = NULL;
	unsigned nseen = 0, nsend = 0;
	int ret = EXIT_HARD;

	if (load(path, &f) || prepare(&f))
		goto out;
	kind = observer(f.ir, &why);
	seen = calloc(f.nline + 1, sizeof(*seen));
	if (!seen)
		goto out;
	for (unsigned i = 0; i < f.nline; i++) {
		char a[INET6_ADDRSTRLEN];
		unsigned j;

		if (f.line[i].skip)
			continue;
		nsend++;
		if (!frame_daddr(f.line[i].pkt, f.line[i].len, a, sizeof(a)))
			continue;
		for (j = 0; j < nseen && strcmp(seen[j], a); j++)
			;
		if (j == nseen)
			strcpy(seen[nseen++], a);
	}
	if (kind && !nsend)
		printf("skip no packet arrives on veth0 or veth1\n");
	else if (kind)
		printf("observer %s\n", kind);
	else
		printf("skip %s\n", why);
	for (unsigned j = 0; j < nseen; j++)
		printf("addr %s\n", seen[j]);
	ret = 0;
out:
	free(seen);
	unload(&f);
	return ret;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* The observer's packet count: `nft list counter FAMILY bwobserve seen`. */
static int read_seen(const char *family, uint64_t *out)
{
	char buf[4096], *p;
	size_t len = 0;
	ssize_t n;
	int pfd[2], st;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		int err = -errno;

		close(pfd[0]);
		close(pfd[1]);
		return err;
	}
	if (pid == 0) {
		dup2(pfd[1], STDOUT_FILENO);
		execlp("nft", "nft", "list", "counter", family, "bwobserve",
		       "seen", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	while (len < sizeof(buf) - 1) {
		n = read(pfd[0], buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	close(pfd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	p = strstr(buf, "packets ");
	if (!WIFEXITED(st) || WEXITSTATUS(st) || !p) {
		fprintf(stderr, "nft list counter %s bwobserve seen: %s\n",
			family, len ? buf : "failed");
		return -EIO;
	}
	*out = strtoull(p + 8, NULL, 10);
	return 0;
}

/* One packet socket per test device, on its peer in namespace netns. */
static int open_senders(const char *netns, int *sock)
{
	int self, ns, err = 0;

	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ns = open(netns, O_RDONLY | O_CLOEXEC);
	if (self < 0 || ns < 0 || setns(ns, CLONE_NEWNET)) {
		fprintf(stderr, "cannot enter the network namespace %s: %s\n",
			netns, strerror(errno));
		err = -errno;
		goto out;
	}
	for (int i = 0; i < NFTDIFF_NDEV && !err; i++) {
		struct sockaddr_ll sll = { .sll_family = AF_PACKET };

		sll.sll_ifindex = (int)if_nametoindex(nftdiff_dev[i]);
		sock[i] = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
		if (!sll.sll_ifindex || sock[i] < 0 ||
		    bind(sock[i], (struct sockaddr *)&sll, sizeof(sll))) {
			err = -errno;
			fprintf(stderr, "%s: no packet socket on %s: %s\n",
				netns, nftdiff_dev[i], strerror(errno));
		}
	}
	if (setns(self, CLONE_NEWNET)) {
		fprintf(stderr, "cannot return to the first network namespace: %s\n",
			strerror(errno));
		err = -errno;
	}
out:
	if (self >= 0)
		close(self);
	if (ns >= 0)
		close(ns);
	return err;
}

struct run {
	struct tfile *f;
	const char *phase;		/* "nft" or "bpfwall" */
	const char *family;		/* of the observer table */
	int sock[NFTDIFF_NDEV];
	long wait_ms;
};

/*
 * Send every packet and see whether it reached the observer.  Only this
 * program sends on the test devices, so the counter moves by one for a
 * packet that got through and stays for one that was dropped.  A drop is
 * only known when the wait ends; should the counter move later (before
 * the next packet's send, or in the quiet check after the last), the
 * packet came through late, and is sent again with a longer wait.
 */
static int observe(struct run *r)
{
	struct tfile *f = r->f;
	uint64_t last, base, now;
	int prev = -1;
	unsigned i = 0;

	if (read_seen(r->family, &last))
		return -EIO;
	while (i <= f->nline) {
		struct tline *t = i < f->nline ? &f->line[i] : NULL;
		long start, wait;

		if (t && t->skip) {
			if (t->sleep)	/* a line `sleep T` */
				sleep_ms(t->sleep);
			i++;
			continue;
		}
		if (!t)
			sleep_ms(2 * r->wait_ms);
		if (read_seen(r->family, &base))
			return -EIO;
		if (base != last) {
			struct tline *p = prev >= 0 ? &f->line[prev] : NULL;

			if (p && !p->passed && base - last == 1 &&
			    p->tries < MAX_TRIES) {
				printf("%s:%u: %s: the packet reached the observer after the %ld ms wait; sending it again\n",
				       f->path, p->lineno, r->phase,
				       r->wait_ms << (p->tries - 1));
				last = base;
				i = (unsigned)prev;
				continue;
			}
			printf("%s: %s: the observer counted %llu packet(s) that no wait accounts for\n",
			       f->path, r->phase,
			       (unsigned long long)(base - last));
			return -EIO;
		}
		if (!t)
			break;
		wait = r->wait_ms << t->tries;
		t->tries++;
		if (send(r->sock[t->dev], t->pkt, (size_t)t->len, 0) != t->len) {
			printf("%s:%u: %s: cannot send the packet: %s\n",
			       f->path, t->lineno, r->phase, strerror(errno));
			return -EIO;
		}
		/* until it arrives, or a read that began after the wait */
		start = now_ms();
		for (;;) {
			long began = now_ms() - start;

			if (read_seen(r->family, &now))
				return -EIO;
			t->ms = now_ms() - start;
			if (now != base || began >= wait)
				break;
			sleep_ms(POLL_MS);
		}
		if (now - base > 1) {
			printf("%s:%u: %s: the observer counted %llu packets for one\n",
			       f->path, t->lineno, r->phase,
			       (unsigned long long)(now - base));
			return -EIO;
		}
		t->passed = now != base;
		last = now;
		prev = (int)i;
		i++;
	}
	return 0;
}

static const char *vname(enum bw_verdict v)
{
	return v == BW_VERDICT_ACCEPT ? "accept" : "drop";
}

/* Print one line per packet and the file's summary; returns the failures. */
static unsigned judge(const struct run *r)
{
	const struct tfile *f = r->f;
	bool nft = !strcmp(r->phase, "nft");
	unsigned nsent = 0, nfail = 0, nskip = 0, ndoc = 0;
	long slowest = 0;

	for (unsigned i = 0; i < f->nline; i++) {
		const struct tline *t = &f->line[i];
		enum bw_verdict got, want = t->want;
		bool doc = nft && t->nft_want != BW_VERDICT_CONTINUE;

		if (t->skip) {
			printf("%s:%u: %s: not sent (%s)\n", f->path, t->lineno,
			       r->phase, t->skip);
			nskip++;
			continue;
		}
		nsent++;
		got = t->passed ? BW_VERDICT_ACCEPT : BW_VERDICT_DROP;
		if (t->passed && t->ms > slowest)
			slowest = t->ms;
		if (doc)
			want = t->nft_want;
		if (got == want && doc) {
			ndoc++;
			printf("%s:%u: %s: %s, as annotated (the line says %s: %s)\n",
			       f->path, t->lineno, r->phase, vname(got),
			       vname(t->want), t->nft_why);
		} else if (got == want) {
			printf("%s:%u: %s: %s, as expected\n", f->path,
			       t->lineno, r->phase, vname(got));
		} else {
			nfail++;
			printf("%s:%u: %s: FAIL: %s, expected %s%s: %s\n",
			       f->path, t->lineno, r->phase, vname(got),
			       vname(want), doc ? " (annotation)" : "", t->spec);
		}
	}
	printf("%s: %s: %u sent, %u failed, %u not sent, %u documented differences; slowest pass %ld ms\n",
	       f->path, r->phase, nsent, nfail, nskip, ndoc, slowest);
	return nfail;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: nftdiff info FILE.t\n"
		"       nftdiff run --phase nft|bpfwall --sender NETNS [--wait-ms N] FILE.t\n"
		"       nftdiff gen --seed N --dir DIR [--rulesets K] [--packets M]\n"
		"  info: the observer FILE.t needs and its packets' destinations;\n"
		"  run: send FILE.t's ingress packets from NETNS, judge by the observer;\n"
		"  gen: write random netdev ingress .t files into DIR.\n");
	return 2;
}

static int cmd_run(int argc, char **argv)
{
	struct run r = { .wait_ms = 30 };
	const char *sender = NULL, *why = NULL, *path;
	struct tfile f;
	int i, ret = EXIT_HARD;

	for (i = 0; i < NFTDIFF_NDEV; i++)
		r.sock[i] = -1;
	for (i = 0; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--phase"))
			r.phase = argv[i + 1];
		else if (!strcmp(argv[i], "--sender"))
			sender = argv[i + 1];
		else if (!strcmp(argv[i], "--wait-ms"))
			r.wait_ms = atol(argv[i + 1]);
		else
			return usage();
	}
	if (i != argc - 1 || !sender || !r.phase || r.wait_ms <= 0 ||
	    (strcmp(r.phase, "nft") && strcmp(r.phase, "bpfwall")))
		return usage();
	path = argv[i];
	setvbuf(stdout, NULL, _IOLBF, 0);
	r.f = &f;
	if (load(path, &f) || prepare(&f))
		goto out;
	r.family = observer(f.ir, &why);
	if (!r.family) {
		fprintf(stderr, "%s: nothing to observe: %s\n", path, why);
		goto out;
	}
	if (open_senders(sender, r.sock) || observe(&r))
		goto out;
	ret = judge(&r) ? 1 : 0;
out:
	for (i = 0; i < NFTDIFF_NDEV; i++)
		if (r.sock[i] >= 0)
			close(r.sock[i]);
	unload(&f);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "info"))
		return cmd_info(argv[2]);
	if (argc > 2 && !strcmp(argv[1], "run"))
		return cmd_run(argc - 2, argv + 2);
	if (argc > 2 && !strcmp(argv[1], "gen"))
		return nftdiff_gen(argc - 2, argv + 2);
	return usage();
}
