// SPDX-License-Identifier: GPL-2.0-only
/*
 * bwprobe: what the end-to-end tests ask the kernel without bpfwall, in
 * the network namespace it runs in (ip netns exec).
 *
 *   bwprobe attached
 *       Every BPF program attached in this network namespace, one a line,
 *       sorted by the caller:
 *         xdp IFNAME native|generic|offload PROG
 *         tc-ingress|tc-egress IFNAME tcx PROG
 *         tc-ingress|tc-egress IFNAME clsact PROG   (bpfwall's handle)
 *       Netfilter links are not here: the kernel names no network
 *       namespace for them (link info, fdinfo), and nfnetlink_hook, which
 *       would, is not built into these kernels; the tests send packets
 *       that only a netfilter chain drops instead.
 *   bwprobe state PATH VERSION NHANDLE [AP...] < TEXT
 *       Pin a state blob written by hand at PATH (replacing a pin there),
 *       as bpfwall of that version writes it: VERSION 1 (40-byte attach
 *       points: no netfilter fields), 2, or any other number (a version
 *       this bpfwall does not know).  AP: xdp:IFINDEX:IFNAME:native|generic
 *       or tc:IFINDEX:IFNAME:tcx|clsact.
 *   bwprobe state PATH badmagic|badshape
 *       A damaged state: another magic, or an array of another value size.
 *   bwprobe state-version PATH
 *       The version a pinned state blob says.
 *   bwprobe state-v2 PATH
 *       Rewrite the pinned version-3 state at PATH as the version-2
 *       bpfwall before it wrote the same ruleset: the same attach points
 *       and text, no list data (what list ruleset needs of the sets).
 *   bwprobe flood DST PORT SECONDS MAXCOUNT RATE
 *       UDP datagrams to DST:PORT, RATE a second (0: as fast as it can),
 *       until SECONDS have passed, MAXCOUNT are sent, or SIGTERM; prints
 *       how many were sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

/* Kernel ABI the installed headers may lack (kernel 6.6). */
#define TCX_INGRESS ((enum bpf_attach_type)46)
#define TCX_EGRESS ((enum bpf_attach_type)47)
#define BW_TC_HANDLE 0xb3f1		/* runtime/rt.h BW_RT_TC_HANDLE */

static void prog_name(uint32_t id, char *buf, size_t len)
{
	struct bpf_prog_info info;
	uint32_t ilen = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	snprintf(buf, len, "id-%u", id);
	if (fd < 0)
		return;
	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(fd, &info, &ilen) && info.name[0])
		snprintf(buf, len, "%s", info.name);
	close(fd);
}

static void show_xdp(unsigned idx, const char *ifname)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char name[64];

	if (bpf_xdp_query((int)idx, 0, &q))
		return;
	if (q.drv_prog_id) {
		prog_name(q.drv_prog_id, name, sizeof(name));
		printf("xdp %s native %s\n", ifname, name);
	}
	if (q.skb_prog_id) {
		prog_name(q.skb_prog_id, name, sizeof(name));
		printf("xdp %s generic %s\n", ifname, name);
	}
	if (q.hw_prog_id) {
		prog_name(q.hw_prog_id, name, sizeof(name));
		printf("xdp %s offload %s\n", ifname, name);
	}
}

static void show_tc(unsigned idx, const char *ifname, bool ingress)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = (int)idx,
		    .attach_point = ingress ? BPF_TC_INGRESS : BPF_TC_EGRESS);
	LIBBPF_OPTS(bpf_tc_opts, o, .handle = BW_TC_HANDLE,
		    .priority = BW_TC_HANDLE);
	uint32_t ids[64];
	LIBBPF_OPTS(bpf_prog_query_opts, q, .prog_ids = ids,
		    .prog_cnt = sizeof(ids) / sizeof(ids[0]));
	const char *where = ingress ? "tc-ingress" : "tc-egress";
	char name[64];

	if (!bpf_prog_query_opts((int)idx, ingress ? TCX_INGRESS : TCX_EGRESS, &q))
		for (uint32_t i = 0; i < q.prog_cnt; i++) {
			prog_name(ids[i], name, sizeof(name));
			printf("%s %s tcx %s\n", where, ifname, name);
		}
	if (!bpf_tc_query(&hook, &o)) {
		prog_name(o.prog_id, name, sizeof(name));
		printf("%s %s clsact %s\n", where, ifname, name);
	}
}

static int cmd_attached(void)
{
	struct if_nameindex *ifs = if_nameindex(), *i;

	if (!ifs) {
		perror("bwprobe: if_nameindex");
		return 1;
	}
	for (i = ifs; i->if_index; i++) {
		show_xdp(i->if_index, i->if_name);
		show_tc(i->if_index, i->if_name, true);
		show_tc(i->if_index, i->if_name, false);
	}
	if_freenameindex(ifs);
	return 0;
}

/* ---- state blobs (runtime/pin.c writes them; this writes them by hand) */

#define STATE_MAGIC 0x42575354u
#define STATE_CHUNK 4096

struct hdr {
	uint32_t magic, version;
	uint64_t netns_dev, netns_ino;
	uint32_t nhandle, nlookup, nap, text_len;
};

struct ap_v2 {
	uint32_t hook, kind, ifindex, xdp_flags, tc_handle, tc_prio;
	char ifname[16];
	/* version 2 */
	uint8_t nf_hook, nf_pf;
	uint16_t nf_flags;
	int32_t nf_priority;
	uint32_t chain, pad;
};
_Static_assert(sizeof(struct ap_v2) == 56, "a version-2 attach point");

static int parse_ap(const char *s, struct ap_v2 *a)
{
	char hook[8], ifname[17], mode[16];
	unsigned idx;

	memset(a, 0, sizeof(*a));
	if (sscanf(s, "%7[a-z]:%u:%16[^:]:%15s", hook, &idx, ifname, mode) != 4)
		return -1;
	a->ifindex = idx;
	memcpy(a->ifname, ifname, strnlen(ifname, 15));
	if (!strcmp(hook, "xdp")) {
		a->hook = 0;		/* BW_HOOK_XDP */
		a->kind = 1;		/* BW_RT_KIND_XDP */
		a->xdp_flags = !strcmp(mode, "generic") ? 1u << 1 : 1u << 2;
	} else if (!strcmp(hook, "tc")) {
		a->hook = 1;		/* BW_HOOK_TC */
		a->kind = !strcmp(mode, "clsact") ? 3 : 2;
		if (a->kind == 3)
			a->tc_handle = a->tc_prio = BW_TC_HANDLE;
	} else {
		return -1;
	}
	return 0;
}

static int pin_blob(const char *path, const void *blob, uint32_t value_size,
		    uint32_t n)
{
	char tmp[4096];
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bw_state", 4, value_size,
				n, NULL);

	if (fd < 0) {
		perror("bwprobe: map create");
		return 1;
	}
	for (uint32_t i = 0; i < n; i++)
		if (bpf_map_update_elem(fd, &i, (const uint8_t *)blob +
					(size_t)i * value_size, BPF_ANY)) {
			perror("bwprobe: map update");
			return 1;
		}
	bpf_map_freeze(fd);
	snprintf(tmp, sizeof(tmp), "%s_new", path);
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp) || rename(tmp, path)) {
		perror("bwprobe: pin");
		unlink(tmp);
		return 1;
	}
	close(fd);
	return 0;
}

static int cmd_state(int argc, char **argv)
{
	const char *path = argv[0];
	struct hdr h = { .magic = STATE_MAGIC };
	char text[65536];
	size_t tlen, esize, size;
	uint32_t nap, nchunk;
	uint8_t *blob;
	struct stat st;
	int rc;

	if (argc == 2 && !strcmp(argv[1], "badshape")) {
		static uint8_t junk[64 * 2];

		return pin_blob(path, junk, 64, 2);
	}
	if (argc < 2 || (argc < 3 && strcmp(argv[1], "badmagic"))) {
		fprintf(stderr, "usage: bwprobe state PATH VERSION NHANDLE [AP...]\n");
		return 2;
	}
	if (!strcmp(argv[1], "badmagic")) {
		h.magic = 0x6a756e6b;
		h.version = 2;
		argc = 2;
	} else {
		h.version = (uint32_t)strtoul(argv[1], NULL, 10);
		h.nhandle = (uint32_t)strtoul(argv[2], NULL, 10);
	}
	if (stat("/proc/self/ns/net", &st)) {
		perror("bwprobe: /proc/self/ns/net");
		return 1;
	}
	h.netns_dev = st.st_dev;
	h.netns_ino = st.st_ino;
	nap = argc > 3 ? (uint32_t)(argc - 3) : 0;
	tlen = isatty(0) ? 0 : fread(text, 1, sizeof(text) - 1, stdin);
	esize = h.version == 1 ? 40 : sizeof(struct ap_v2);
	h.nap = nap;
	h.text_len = (uint32_t)tlen;
	size = sizeof(h) + nap * esize + tlen + 1;
	nchunk = (uint32_t)((size + STATE_CHUNK - 1) / STATE_CHUNK);
	blob = calloc(nchunk, STATE_CHUNK);
	if (!blob)
		return 1;
	memcpy(blob, &h, sizeof(h));
	for (uint32_t i = 0; i < nap; i++) {
		struct ap_v2 a;

		if (parse_ap(argv[3 + i], &a)) {
			fprintf(stderr, "bwprobe: bad attach point %s\n", argv[3 + i]);
			free(blob);
			return 2;
		}
		memcpy(blob + sizeof(h) + i * esize, &a, esize);
	}
	memcpy(blob + sizeof(h) + nap * esize, text, tlen);
	rc = pin_blob(path, blob, STATE_CHUNK, nchunk);
	free(blob);
	return rc;
}

static int cmd_state_version(const char *path)
{
	uint8_t chunk[STATE_CHUNK];
	uint32_t key = 0;
	struct hdr h;
	int fd = bpf_obj_get(path);

	if (fd < 0 || bpf_map_lookup_elem(fd, &key, chunk)) {
		perror("bwprobe: state");
		return 1;
	}
	memcpy(&h, chunk, sizeof(h));
	printf("%u\n", h.magic == STATE_MAGIC ? h.version : 0);
	close(fd);
	return 0;
}

/* version 3: the version-2 header, then list_len and padding; the list
 * data after the text */
static int cmd_state_v2(const char *path)
{
	struct bpf_map_info info = { 0 };
	uint32_t ilen = sizeof(info), list_len;
	uint8_t *in, *out;
	struct hdr h;
	size_t need, body;
	int fd = bpf_obj_get(path), rc;

	if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &ilen) ||
	    info.value_size != STATE_CHUNK || !info.max_entries) {
		perror("bwprobe: state-v2");
		return 1;
	}
	in = calloc(info.max_entries, STATE_CHUNK);
	out = calloc(info.max_entries, STATE_CHUNK);
	if (!in || !out)
		return 1;
	for (uint32_t i = 0; i < info.max_entries; i++)
		if (bpf_map_lookup_elem(fd, &i, in + (size_t)i * STATE_CHUNK)) {
			perror("bwprobe: state-v2 read");
			return 1;
		}
	close(fd);
	memcpy(&h, in, sizeof(h));
	memcpy(&list_len, in + sizeof(h), sizeof(list_len));
	if (h.magic != STATE_MAGIC || h.version != 3) {
		fprintf(stderr, "bwprobe: state-v2: not a version-3 state (%u)\n",
			h.version);
		return 1;
	}
	body = (size_t)h.nap * sizeof(struct ap_v2) + h.text_len;
	need = sizeof(h) + 8 + body + list_len;
	if (need > (size_t)info.max_entries * STATE_CHUNK) {
		fprintf(stderr, "bwprobe: state-v2: damaged\n");
		return 1;
	}
	h.version = 2;
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), in + sizeof(h) + 8, body);
	rc = pin_blob(path, out, STATE_CHUNK, info.max_entries);
	free(in);
	free(out);
	return rc;
}

/* ---- a bounded UDP flood */

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static double since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	       (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static int cmd_flood(const char *dst, const char *port, const char *secs,
		     const char *max, const char *pps)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	unsigned long long n = 0, tries = 0, limit = strtoull(max, NULL, 10);
	double seconds = strtod(secs, NULL), rate = strtod(pps, NULL);
	struct timespec t0;
	char payload[18] = "bwprobe flood";
	int s;

	sa.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, dst, &sa.sin_addr) != 1) {
		fprintf(stderr, "bwprobe: bad address %s\n", dst);
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa))) {
		perror("bwprobe: socket");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop && n < limit) {
		/* a full queue (ENOBUFS) or an ICMP error (ECONNREFUSED)
		 * is not a datagram sent */
		if (send(s, payload, sizeof(payload), 0) == (ssize_t)sizeof(payload))
			n++;
		if (!(++tries & 255)) {
			double el = since(&t0);

			if (el >= seconds)
				break;
			/* paced: never ahead of RATE a second */
			if (rate > 0 && (double)n > el * rate)
				usleep((useconds_t)(((double)n / rate - el) * 1e6));
		}
	}
	close(s);
	printf("%llu\n", n);
	return 0;
}

int main(int argc, char **argv)
{
	libbpf_set_print(NULL);
	if (argc >= 2 && !strcmp(argv[1], "attached"))
		return cmd_attached();
	if (argc >= 4 && !strcmp(argv[1], "state"))
		return cmd_state(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "state-version"))
		return cmd_state_version(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "state-v2"))
		return cmd_state_v2(argv[2]);
	if (argc == 7 && !strcmp(argv[1], "flood"))
		return cmd_flood(argv[2], argv[3], argv[4], argv[5], argv[6]);
	fprintf(stderr, "usage: bwprobe attached | state PATH VERSION NHANDLE [AP...] | state PATH badmagic|badshape | state-version PATH | state-v2 PATH | flood DST PORT SECONDS MAXCOUNT RATE\n");
	return 2;
}
