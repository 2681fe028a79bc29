// SPDX-License-Identifier: GPL-2.0-only
/*
 * The capture socket: AF_PACKET, SOCK_RAW (frames from the MAC header on),
 * created with protocol 0 so it receives nothing until the filter is in
 * place, then bound to ETH_P_ALL (and an interface).  The filter is the
 * BW_HOOK_SOCKET program of the capture ruleset (compiler/front/capture.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include <bpf/bpf.h>

#include "capture.h"
#include "compiler/bpf/build.h"
#include "compiler/front/capture.h"
#include "compat.h"
#include "rt.h"

static int load_filter(const struct bw_map_specs *specs, const struct bw_prog *p,
		       struct bw_diags *d)
{
	struct bw_rt_maps maps;
	int err;

	bw_rt_maps_init(&maps);
	err = bw_rt_maps_create(&maps, specs);
	if (err)
		bw_error(d, NULL, "cannot create the filter's maps: %s",
			 strerror(-err));
	else
		err = bw_rt_prog_load(p, &maps, "capture socket filter", d);
	/* the program holds its maps; their fds are not needed any more */
	bw_rt_maps_close(&maps);
	return err;
}

int bw_rt_capture_open(const struct bw_map_specs *maps, const struct bw_prog *p,
		       const char *ifname, struct bw_diags *d)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_ALL),
	};
	int prog_fd, fd, err;

	bw_compat_memlock();
	if (ifname) {
		struct bw_rt_ifaces l = { 0 };
		const struct bw_rt_iface *i;

		err = bw_rt_ifaces_dump(&l);
		if (err) {
			bw_error(d, NULL, "cannot list interfaces: %s",
				 strerror(-err));
			return err;
		}
		i = bw_rt_iface_find(&l, ifname);
		if (i)
			sll.sll_ifindex = (int)i->ifindex;
		bw_rt_ifaces_fini(&l);
		if (!i) {
			bw_error(d, NULL, "capture: no interface \"%s\"", ifname);
			return -ENODEV;
		}
	}
	prog_fd = load_filter(maps, p, d);
	if (prog_fd < 0)
		return prog_fd;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		err = -errno;
		bw_error(d, NULL, "capture: packet socket: %s%s", strerror(errno),
			 errno == EPERM ? " (capture needs root)" : "");
		close(prog_fd);
		return err;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog_fd, sizeof(prog_fd))) {
		err = -errno;
		bw_error(d, NULL, "capture: SO_ATTACH_BPF: %s", strerror(errno));
		goto fail;
	}
	close(prog_fd);
	prog_fd = -1;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = -errno;
		bw_error(d, NULL, "capture: bind to %s: %s",
			 ifname ? ifname : "every interface", strerror(errno));
		goto fail;
	}
	return fd;
fail:
	if (prog_fd >= 0)
		close(prog_fd);
	close(fd);
	return err;
}

int bw_rt_capture_recv(int fd, uint8_t *buf, size_t cap, int timeout_ms,
		       struct bw_rt_pkt *pkt)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct sockaddr_ll sll;
	socklen_t slen = sizeof(sll);
	ssize_t n;
	int rc;

	rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	if (!rc)
		return 0;
	memset(&sll, 0, sizeof(sll));
	n = recvfrom(fd, buf, cap, MSG_TRUNC | MSG_DONTWAIT,
		     (struct sockaddr *)&sll, &slen);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -errno;
	/* loopback shows each packet twice, going out and coming in: keep
	 * the second, as libpcap does */
	if (sll.sll_hatype == ARPHRD_LOOPBACK &&
	    sll.sll_pkttype == PACKET_OUTGOING)
		return 0;
	clock_gettime(CLOCK_REALTIME, &pkt->ts);
	pkt->ifindex = (uint32_t)sll.sll_ifindex;
	pkt->pkttype = sll.sll_pkttype;
	pkt->len = (uint32_t)n;
	pkt->caplen = (size_t)n > cap ? (uint32_t)cap : (uint32_t)n;
	return 1;
}
