// SPDX-License-Identifier: GPL-2.0-only
/*
 * The pin dir's lock: one flock on the directory serializes loads, set
 * changes and flushes (exclusive) against listings (shared).  A command
 * that has to wait says so after a second, naming who holds the lock (from
 * /proc/locks) so that a `bpfwall list ruleset | less` left open, or a
 * hung load, is found; -w SECONDS bounds the wait as iptables' -w does.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"

#define SAY_AFTER_MS	1000
#define POLL_MS		20

static int lock_wait = -1;	/* seconds; -1: as long as it takes */

void bw_rt_set_lock_wait(int seconds)
{
	lock_wait = seconds < 0 ? -1 : seconds;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* /proc/PID/cmdline, arguments joined by spaces, into buf. */
static void cmdline(int pid, char *buf, size_t len)
{
	char path[64];
	size_t n = 0;
	FILE *f;

	buf[0] = 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	while (n && !buf[n - 1])
		n--;
	buf[n] = 0;
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
}

int bw_rt_lock_holder(int fd, char *cmd, size_t len)
{
	unsigned maj, min;
	unsigned long long ino;
	char line[256], kind[16];
	struct stat st;
	int pid = 0, p;
	FILE *f;

	if (len)
		cmd[0] = 0;
	if (fstat(fd, &st) || !(f = fopen("/proc/locks", "re")))
		return 0;
	/* "1: FLOCK  ADVISORY  WRITE 1234 00:2f:5678 0 EOF"; a waiter's
	 * line has "->" after the number */
	while (!pid && fgets(line, sizeof(line), f)) {
		if (strstr(line, "->") ||
		    sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%llu", kind, &p, &maj,
			   &min, &ino) != 5)
			continue;
		if (!strcmp(kind, "FLOCK") && maj == major(st.st_dev) &&
		    min == minor(st.st_dev) && ino == (unsigned long long)st.st_ino &&
		    p != (int)getpid())
			pid = p;
	}
	fclose(f);
	if (pid > 0 && len)
		cmdline(pid, cmd, len);
	return pid > 0 ? pid : 0;
}

static void say_holder(int fd, const char *what)
{
	char cmd[160];
	int pid = bw_rt_lock_holder(fd, cmd, sizeof(cmd));

	if (pid && cmd[0])
		bw_rt_log("%s the lock held by pid %d (%s)", what, pid, cmd);
	else if (pid)
		bw_rt_log("%s the lock held by pid %d", what, pid);
	else
		bw_rt_log("%s the lock another bpfwall holds", what);
}

int bw_rt_lock(int fd, bool exclusive, const char *dir)
{
	int op = exclusive ? LOCK_EX : LOCK_SH;
	uint64_t start = now_ms(), limit;
	bool said = false;

	if (!flock(fd, op | LOCK_NB))
		return 0;
	if (errno != EWOULDBLOCK)
		return -errno;
	if (lock_wait == 0) {
		say_holder(fd, "cannot wait (-w 0) for");
		return -EBUSY;
	}
	limit = lock_wait < 0 ? UINT64_MAX : (uint64_t)lock_wait * 1000;
	for (;;) {
		uint64_t waited = now_ms() - start;

		if (!flock(fd, op | LOCK_NB))
			break;
		if (errno != EWOULDBLOCK)
			return -errno;
		if (waited >= limit) {
			bw_rt_log("gave up waiting for the lock on %s after %d s (-w)",
				  dir, lock_wait);
			return -EBUSY;
		}
		if (!said && waited >= SAY_AFTER_MS) {
			said = true;
			say_holder(fd, lock_wait < 0 ? "waiting for" :
				   "waiting (-w) for");
			if (lock_wait < 0) {	/* as long as it takes */
				if (flock(fd, op))
					return -errno;
				break;
			}
		}
		usleep(POLL_MS * 1000);
	}
	bw_rt_debug("got the lock on %s after %llu ms", dir,
		    (unsigned long long)(now_ms() - start));
	return 0;
}
