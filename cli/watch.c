// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall [-f FILE] watch: keep the running ruleset attached as interfaces
 * come and go.  With -f, FILE is loaded first (a failure ends the command
 * with exit 1).  Then systemd is told the service is ready ($NOTIFY_SOCKET,
 * READY=1), and the kernel's link events are followed: when the
 * interfaces of the namespace are no longer those of the last load (a
 * device a netdev chain names appeared or came back, a new interface the
 * XDP programs of input chains should cover), the running ruleset, as
 * `list ruleset` prints it (counters and set elements as they are now),
 * is loaded again: the build attaches it to the interfaces there are.
 * The netfilter hooks need none of this (one attachment covers every
 * interface); netdev chains and XDP programs do.
 *
 * SIGHUP loads FILE again (or the running ruleset without -f); SIGTERM
 * and SIGINT end the command with exit 0, the ruleset staying in force.
 * The pin dir's lock is held only while loading.  A device a netdev
 * chain names that does not exist (yet, or any more) is a warning here,
 * not an error: its chain is attached when the device appears.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "drive.h"
#include "compiler/front/compile.h"

/* Link events come in bursts (a veth pair is several): wait this long
 * after the last one. */
#define SETTLE_MS 300

/* Tell systemd (Type=notify) we are ready, if it asked. */
static void notify_ready(void)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	socklen_t len;
	int fd;

	if (!path || !path[0] || strlen(path) >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, strlen(path));
	if (sa.sun_path[0] == '@')	/* an abstract socket */
		sa.sun_path[0] = 0;
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path));
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (sendto(fd, "READY=1", 7, 0, (struct sockaddr *)&sa, len) < 0)
		fprintf(stderr, "bpfwall: watch: cannot notify systemd: %s\n",
			strerror(errno));
	close(fd);
}

/* The running ruleset, as list ruleset prints it, loaded again. */
static int reapply(const struct bw_cli *c)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int err;

	if (!f)
		return -ENOMEM;
	bw_diags_init(&d);
	/* no other load between reading the ruleset and loading it again:
	 * it would be undone */
	err = bw_rt_hold_lock(&c->rt);
	if (err == -ENOENT)
		err = 0;	/* no pin dir: nothing loaded, nothing to list */
	else if (!err)
		err = bw_rt_list(&c->rt, false, f, &d);
	fclose(f);
	if (!err && !len) {	/* nothing loaded: nothing to follow */
		bw_rt_release_lock();
		free(text);
		bw_diags_fini(&d);
		return 0;
	}
	if (!err)
		err = bw_compile_string("the running ruleset", text, &d, &ir);
	if (!err && d.nerrors)
		err = -EINVAL;
	if (!err)
		err = bw_drive_apply(ir, &c->rt, &d);
	bw_rt_release_lock();
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	bw_ir_free(&ir);
	free(text);
	return err;
}

static int load_again(const struct bw_cli *c)
{
	if (c->file)
		return bw_cli_load(c) == BW_EXIT_OK ? 0 : -EINVAL;
	return reapply(c);
}

int bw_cli_watch(const struct bw_cli *c0)
{
	struct bw_cli cw = *c0, *c = &cw;
	struct bw_rt_linkwatch *w = NULL;
	char *seen = NULL;
	struct pollfd pfd[2];
	bool pending = false;
	sigset_t mask;
	int err, sfd;

	/* a device a netdev chain names may come later (the service starts
	 * before the network): its chain is attached then */
	cw.rt.devices_later = true;

	/* the signals come through a descriptor, also during a load */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	err = bw_rt_linkwatch_open(&w);
	if (sfd < 0 || err) {
		fprintf(stderr, "Error: watch: cannot follow the kernel's link events: %s\n",
			strerror(sfd < 0 ? errno : -err));
		if (sfd >= 0)
			close(sfd);
		return BW_EXIT_ERROR;
	}
	/* what the load sees, before it loads: a change during it is a
	 * change after it */
	seen = bw_rt_ifaces_signature();
	if (c->file && bw_cli_load(c) != BW_EXIT_OK) {
		bw_rt_linkwatch_close(&w);
		close(sfd);
		free(seen);
		return BW_EXIT_ERROR;
	}
	notify_ready();
	pfd[0] = (struct pollfd){ .fd = bw_rt_linkwatch_fd(w), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	for (;;) {
		int n = poll(pfd, 2, pending ? SETTLE_MS : -1);

		if (n < 0 && errno != EINTR)
			break;
		if (n > 0 && (pfd[1].revents & POLLIN)) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) != sizeof(si))
				continue;
			if (si.ssi_signo != SIGHUP)
				break;	/* the ruleset stays in force */
			fprintf(stderr, "bpfwall: watch: SIGHUP: loading %s again\n",
				c->file ? c->file : "the running ruleset");
			free(seen);
			seen = bw_rt_ifaces_signature();
			load_again(c);
			continue;
		}
		if (n > 0 && (pfd[0].revents & POLLIN)) {
			if (bw_rt_linkwatch_read(w) > 0)
				pending = true;
			continue;
		}
		if (n == 0 && pending) {	/* settled */
			char *now = bw_rt_ifaces_signature();

			pending = false;
			if (!now || (seen && !strcmp(now, seen))) {
				free(now);
				continue;
			}
			fprintf(stderr, "bpfwall: watch: the interfaces changed (%s): loading the running ruleset again\n",
				now);
			free(seen);
			seen = now;
			if (reapply(c))
				fprintf(stderr, "bpfwall: watch: the load failed; the ruleset before it stays in force\n");
		}
	}
	bw_rt_linkwatch_close(&w);
	close(sfd);
	free(seen);
	return BW_EXIT_OK;
}
