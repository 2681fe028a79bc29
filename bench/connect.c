// SPDX-License-Identifier: GPL-2.0-only
/*
 * `make bench`: the audit hook's cost per connect().  In the bench's
 * throwaway network namespace (lo up) and a cgroup it creates under the
 * cgroup v2 mount (removed after), a child process in that cgroup times
 * BENCH_CONNECTS UDP connect() calls of one socket to 127.0.0.1:9 (UDP
 * connect needs no peer and sends no packet, so only the connect path is
 * timed), matching no rule.  Without the hook, then with the ruleset loaded
 * by bw_drive_apply with --audit cgroup on that cgroup (log mode), NRUNS times
 * interleaved; medians.  Before timing, the program's run count (run
 * statistics on for that check only) must show it ran for every connect.
 * The ruleset: one inet output chain of N rules
 * `ip daddr 198.18.x.y drop`.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <bpf/bpf.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "runtime/runtime.h"
#include "cli/drive.h"
#include "runtime/audit.h"
#include "connect.h"

#define BENCH_CONNECTS	20000
#define CONNECT_RUNS	7

static char *egress_text(unsigned n)
{
	size_t len = 128 + (size_t)n * 40, off;
	char *t = malloc(len);

	if (!t)
		return NULL;
	off = (size_t)snprintf(t, len, "table inet bwbench {\n\tchain out {\n"
			       "\t\ttype filter hook output priority 0; policy accept;\n");
	for (unsigned i = 0; i < n; i++) {
		unsigned v = i + 1;

		off += (size_t)snprintf(t + off, len - off,
					"\t\tip daddr 198.%u.%u.%u drop\n",
					18 + (v >> 16), (v >> 8) & 255, v & 255);
	}
	snprintf(t + off, len - off, "\t}\n}\n");
	return t;
}

/* ns per connect, timed in a child that joins cg; < 0 on failure. */
static double time_connects(const char *cg)
{
	int pfd[2], st;
	double ns = -1;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		struct sockaddr_in sa = { .sin_family = AF_INET,
					  .sin_port = htons(9) };
		struct timespec a, b;
		char procs[4200];
		double r = -1;
		int fd, s;

		close(pfd[0]);
		snprintf(procs, sizeof(procs), "%s/cgroup.procs", cg);
		fd = open(procs, O_WRONLY);
		sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		/* a socket belongs to the cgroup it was made in: join first */
		s = fd >= 0 && write(fd, "0", 1) == 1 ?
			socket(AF_INET, SOCK_DGRAM, 0) : -1;
		if (s >= 0) {
			int i;

			clock_gettime(CLOCK_MONOTONIC, &a);
			for (i = 0; i < BENCH_CONNECTS; i++)
				if (connect(s, (struct sockaddr *)&sa, sizeof(sa)))
					break;
			clock_gettime(CLOCK_MONOTONIC, &b);
			if (i == BENCH_CONNECTS)
				r = ((b.tv_sec - a.tv_sec) * 1e9 +
				     (b.tv_nsec - a.tv_nsec)) / BENCH_CONNECTS;
			else
				perror("bench: connect");
		} else {
			perror("bench: join the cgroup");
		}
		(void)!write(pfd[1], &r, sizeof(r));
		_exit(r < 0);
	}
	close(pfd[1]);
	if (read(pfd[0], &ns, sizeof(ns)) != sizeof(ns))
		ns = -1;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	return ns;
}

/*
 * A benchmark of a hook that does not run is worse than none: with run
 * statistics on (for this check only), one round of connects must run the
 * connect4 program attached to cg at least BENCH_CONNECTS times.
 */
static int check_runs(const char *cg)
{
	uint32_t ids[4], cnt = 4;
	struct bpf_prog_info info = { 0 };
	uint32_t len = sizeof(info);
	int cgfd, stats, pfd = -1, err = -ENOENT;

	stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
	cgfd = open(cg, O_RDONLY | O_DIRECTORY);
	if (stats < 0 || cgfd < 0)
		goto out;
	if (bpf_prog_query(cgfd, BPF_CGROUP_INET4_CONNECT, 0, NULL, ids, &cnt) ||
	    cnt != 1)
		goto out;
	pfd = bpf_prog_get_fd_by_id(ids[0]);
	if (pfd < 0 || time_connects(cg) < 0 ||
	    bpf_obj_get_info_by_fd(pfd, &info, &len))
		goto out;
	err = info.run_cnt >= BENCH_CONNECTS ? 0 : -EIO;
	if (err)
		fprintf(stderr, "bench: connect: the hook ran %llu times for %d connects\n",
			(unsigned long long)info.run_cnt, BENCH_CONNECTS);
out:
	if (err == -ENOENT)
		fprintf(stderr, "bench: connect: no connect4 program on %s to check\n", cg);
	if (pfd >= 0)
		close(pfd);
	if (cgfd >= 0)
		close(cgfd);
	if (stats >= 0)
		close(stats);
	return err;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Without and with the hook of n rules, interleaved; medians. */
static int measure(const char *cg, const char *pin_dir, unsigned n,
		   double *without, double *with)
{
	double w0[CONNECT_RUNS], w1[CONNECT_RUNS];
	struct bw_rt_opts o = { .pin_dir = pin_dir, .audit = BW_AUDIT_CGROUP,
				.audit_cgroup = cg };
	char *text = egress_text(n);
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	int err = -ENOMEM;

	bw_diags_init(&d);
	if (text)
		err = bw_compile_string("<bench-connect>", text, &d, &ir);
	for (int r = 0; !err && r < CONNECT_RUNS; r++) {
		w0[r] = time_connects(cg);
		err = bw_drive_apply(ir, &o, &d);
		if (!err && r == 0)
			err = check_runs(cg);
		if (!err)
			w1[r] = time_connects(cg);
		if (!err && (w0[r] < 0 || w1[r] < 0))
			err = -EIO;
		bw_rt_flush(&o, &d);	/* the hook goes with its link pins */
	}
	bw_diags_print(&d, stderr);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	free(text);
	if (err)
		return err;
	qsort(w0, CONNECT_RUNS, sizeof(double), cmp);
	qsort(w1, CONNECT_RUNS, sizeof(double), cmp);
	*without = w0[CONNECT_RUNS / 2];
	*with = w1[CONNECT_RUNS / 2];
	return 0;
}

int bw_bench_connect(const char *pin_dir, FILE *out)
{
	static const unsigned sizes[] = { 1, 1000 };
	char root[4096], cg[4200];
	int failed = 0;

	if (system("ip link set lo up")) {
		fprintf(stderr, "bench: connect: cannot set lo up\n");
		return -1;
	}
	if (bw_rt_cgroup2_root(root, sizeof(root))) {
		fprintf(stderr, "bench: connect: no cgroup v2 mount; skipped\n");
		fprintf(out, "\n## Audit hook: ns per connect()\n\nskipped: no cgroup v2 mount\n");
		return 0;
	}
	snprintf(cg, sizeof(cg), "%s/bwbench-%d", root, (int)getpid());
	if (mkdir(cg, 0755)) {
		perror("bench: connect: mkdir cgroup");
		return -1;
	}
	fprintf(out, "\n## Audit hook: ns per connect()\n\n");
	fprintf(out, "%d UDP connect() calls to 127.0.0.1:9 (no peer, no packet sent)\n"
		"from a process in a cgroup the bench creates, in its netns;\n"
		"without the hook and with the cgroup connect4 program (log mode)\n"
		"of an inet output chain of N rules `ip daddr 198.18.x.y drop`\n"
		"that the address matches none of; median of %d interleaved runs.\n\n",
		BENCH_CONNECTS, CONNECT_RUNS);
	fprintf(out, "| rules | without | with hook | added |\n");
	fprintf(out, "|------:|--------:|----------:|------:|\n");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double w0, w1;

		fprintf(stderr, "bench: connect, %u rules ...\n", sizes[i]);
		if (measure(cg, pin_dir, sizes[i], &w0, &w1)) {
			fprintf(out, "| %u | FAILED | | |\n", sizes[i]);
			failed++;
			continue;
		}
		fprintf(out, "| %u | %.0f | %.0f | %+.0f |\n", sizes[i], w0, w1,
			w1 - w0);
	}
	/* the children are reaped: the cgroup is empty */
	for (int i = 0; i < 50 && rmdir(cg) && errno == EBUSY; i++)
		usleep(20000);
	if (!access(cg, F_OK)) {
		fprintf(stderr, "bench: connect: cannot remove %s\n", cg);
		failed++;
	}
	return failed ? -1 : 0;
}
