// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every program a ruleset makes goes through the kernel verifier: the
 * verdict runner loads only the attach points its packets name, so a rule
 * shape no packet reaches at some hook could compile to code the kernel
 * refuses and no test would see it.
 *
 *   load-all FILE...
 *
 * FILE is a verdict test (NAME.t: the ruleset above its %% line) or a rule
 * file.  For each, as root: the production and the trace build of every
 * packet attach point the ruleset has (one per netdev device and hook, one
 * for every other interface: what `bpfwall -f` would load), each loaded
 * with BPF_PROG_LOAD and not attached; then the audit hook's programs of
 * each kind (cgroup connect4/connect6, plain and enforcing; the
 * sys_enter_connect tracepoint; the kprobes where the kernel has them).
 * A refusal prints the file, the attach point and the verifier's message
 * at the rule it maps to, and the run goes on with the next program.
 * Without root the programs are only generated (the emitter's own flow
 * check still runs: code the verifier would call unreachable fails).
 *
 * Exit: 0 every program loaded, 1 one did not (or a file does not
 * compile, or code generation failed), 77 generated fine but not root,
 * 99 usage.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "compiler/bpf/build.h"
#include "runtime/runtime.h"
#include "runtime/rt.h"
#include "cli/drive.h"
#include "tests/lib/tfile.h"

#define KPROBE_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"

struct tally {
	unsigned nprog, nfail;
	bool kernel;		/* root: load, else generate only */
};

/* The ruleset of a .t file (the text above its %% line), in place. */
static void cut_at_packets(char *text)
{
	for (char *p = text; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 2 && p[0] == '%' && p[1] == '%') {
			*p = '\0';
			return;
		}
		if (!nl)
			return;
		p = nl + 1;
	}
}

static void report(const char *path, const char *what, struct bw_diags *d,
		   int err, struct tally *t)
{
	t->nfail++;
	printf("%s: %s: not loaded (%s):\n", path, what, strerror(-err));
	bw_diags_print(d, stdout);
	bw_diags_fini(d);
	bw_diags_init(d);
}

/* The packet programs of one build, each loaded on its own: with the
 * inet/ip/ip6 chains at the netfilter hooks, or at XDP and TC. */
static void load_packet(const char *path, const struct bw_ir *ir, bool trace,
			enum bw_ip_hooks_mode ip_hooks, struct tally *t)
{
	const char *build = trace ? "trace build" : "production build";
	struct bw_rt_opts o = { .ip_hooks = ip_hooks };
	struct bw_rt_plan pl;
	struct bw_diags d;
	char what[160];
	int err;

	bw_diags_init(&d);
	bw_rt_plan_init(&pl);
	err = bw_drive_plan(&pl, ir, false, &o, trace, &d);
	if (!err && t->kernel)
		err = bw_rt_maps_create(&pl.maps, pl.specs);
	if (err) {
		snprintf(what, sizeof(what), "%s", build);
		report(path, what, &d, err, t);
	}
	for (uint32_t i = 0; !err && i < pl.nap; i++) {
		const struct bw_rt_ap *a = &pl.ap[i];
		int fd;

		if (!a->prog)
			continue;	/* the program of another link */
		bw_rt_ap_what(a, what, sizeof(what));
		snprintf(what + strlen(what), sizeof(what) - strlen(what),
			 ", %s", build);
		t->nprog++;
		if (!t->kernel)
			continue;
		fd = bw_rt_prog_load(a->prog, &pl.maps, what, &d);
		if (fd < 0) {
			report(path, what, &d, fd, t);
			continue;
		}
		close(fd);
	}
	bw_rt_plan_fini(&pl);
	bw_diags_fini(&d);
}

/* The audit hook's programs, of each kind this kernel can load. */
static void load_audit(const char *path, const struct bw_ir *ir, struct tally *t)
{
	static const struct {
		enum bw_audit_mode mode;
		bool enforce;
		const char *what;
	} kinds[] = {
		{ BW_AUDIT_CGROUP, false, "audit cgroup connect4/connect6" },
		{ BW_AUDIT_CGROUP, true, "audit cgroup connect4/connect6 (enforce)" },
		{ BW_AUDIT_TRACEPOINT, false, "audit tracepoint sys_enter_connect" },
		{ BW_AUDIT_KPROBE, false, "audit kprobes tcp_v4/v6_connect" },
	};
	struct bw_diags d;

	bw_diags_init(&d);
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		struct bw_rt_opts o = { .audit = kinds[k].mode,
					.audit_enforce = kinds[k].enforce };
		int err;

		if (kinds[k].mode == BW_AUDIT_KPROBE && t->kernel &&
		    access(KPROBE_PMU_TYPE, R_OK))
			continue;	/* no kprobes here (said once, in main) */
		t->nprog += kinds[k].mode == BW_AUDIT_CGROUP ? 2 : 1;
		err = t->kernel ? bw_drive_audit_verify(ir, &o, &d) :
				  bw_drive_audit_dump(ir, &o, NULL, &d);
		if (err)
			report(path, kinds[k].what, &d, err, t);
	}
	bw_diags_fini(&d);
}

static void load_file(const char *path, struct tally *t)
{
	size_t len = strlen(path);
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	char *text = bw_t_read_all(path);
	int err;

	if (!text) {
		t->nfail++;
		return;
	}
	if (len > 2 && !strcmp(path + len - 2, ".t"))
		cut_at_packets(text);
	bw_diags_init(&d);
	err = bw_compile_string(path, text, &d, &ir);
	if (err) {
		t->nfail++;
		printf("%s: does not compile (%s):\n", path, strerror(-err));
		bw_diags_print(&d, stdout);
	} else {
		for (int m = 0; m < 2; m++) {
			enum bw_ip_hooks_mode ip = m ? BW_IP_HOOKS_XDPTC : BW_IP_HOOKS_NF;

			/* prerouting, forward, postrouting: netfilter only */
			if (m && bw_build_nf_only(ir))
				continue;

			load_packet(path, ir, false, ip, t);
			load_packet(path, ir, true, ip, t);
		}
		load_audit(path, ir, t);
	}
	bw_ir_free(&ir);	/* before d: its locations point into d */
	bw_diags_fini(&d);
	free(text);
}

int main(int argc, char **argv)
{
	struct tally t = { 0 };

	if (argc < 2) {
		fprintf(stderr, "usage: load-all FILE...\n"
			"  Load every program of each ruleset (NAME.t: above %%%%)\n"
			"  through the verifier, unattached (root).\n");
		return 99;
	}
	t.kernel = !geteuid();
	if (!t.kernel)
		printf("note: not root: programs generated, not loaded\n");
	else if (access(KPROBE_PMU_TYPE, R_OK))
		printf("note: this kernel has no kprobes: the kprobe audit programs are not loaded\n");
	for (int i = 1; i < argc; i++) {
		unsigned before = t.nfail, n = t.nprog;

		load_file(argv[i], &t);
		if (t.nfail == before)
			printf("ok: %s (%u programs)\n", argv[i], t.nprog - n);
	}
	printf("%d files, %u programs %s, %u failures\n", argc - 1, t.nprog,
	       t.kernel ? "loaded" : "generated", t.nfail);
	if (t.nfail)
		return 1;
	if (!t.kernel)
		printf("SKIP: loading them through the verifier needs root\n");
	return t.kernel ? 0 : 77;
}
