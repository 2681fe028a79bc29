// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verdict test runner: one .t file per run.
 *
 *   RULESET
 *   %%
 *   [ingress|egress] [device NAME] PACKET ; VERDICT [; LINE]
 *
 * VERDICT is accept or drop; LINE is the line (in the .t file) of the rule
 * that decides, FILE:LINE for a rule in an included file (FILE as written
 * relative to the .t file), `policy`, or `malformed REASON` for a packet
 * the parser drops before any rule (VERDICT drop; REASON one of view.h's,
 * as bw_reason_name() spells it: l4-truncated, ...).  A LINE other than
 * `malformed` fails on a packet dropped as malformed; without LINE only
 * the verdict counts.  `#` starts a comment.  Every packet is built
 * from its spec (bw_pkt_spec_parse + bw_pkt_build) and run through the
 * reference interpreter and, as root, through the compiled program in the
 * kernel (BPF_PROG_TEST_RUN, loaded unattached); both must give the
 * expected verdict and line.  One line per failure, "file:line: ...".
 *
 * The ruleset also goes round `list ruleset` (relist.h): printed as list
 * prints it just after loading, compiled again, printed again; the two
 * texts must be the same, and every packet must meet the same verdict
 * and rule (handle) in the interpreter with the listed ruleset.
 *
 * Packets run in file order, and what they leave runs on: limits, and
 * conntrack, whose table one file's programs all share (a packet's
 * `ct state X` instead meets state X, tracking nothing).
 *
 * A line `sleep T` (T at most 3s: 1s, 1200ms) lets time pass between two
 * packets: the interpreter's clock moves on T (it starts at 0 and moves
 * only so), and as root the runner sleeps T, for the kernel's clock.
 * Set timeouts use it (settimeout.t); a set's elements start their
 * timeout at the first packet that meets the set, in the interpreter as
 * in the kernel (whose maps are filled when the first packet's program
 * is loaded): no sleep before it.
 *
 * A packet goes its way through every program it meets (ingress: the
 * input device's netdev chains, prerouting, input; egress: output,
 * postrouting, the output device's netdev chains; `forward device IN
 * device OUT`: ingress, prerouting, forward, postrouting, egress), in
 * each of two builds: with the inet/ip/ip6 chains at the netfilter
 * hooks (where the kernel's conntrack decides ct state: a packet without
 * `ct state X` meets none, invalid) and at XDP and TC (bpfwall's own
 * tracker).  A line `mode netfilter`, `mode xdp` or `mode both` (the
 * default) among the packets chooses; a ruleset whose IP chains run at
 * XDP and TC anyway (a reject, ct state: compiler/bpf/build.h) runs once,
 * there, and one with prerouting, forward or postrouting chains only at
 * the netfilter hooks.
 *
 * Exit: 0 all passed, 1 a failure, 77 the interpreter half passed but the
 * kernel half was skipped (not root), 99 the file itself is unusable.
 */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "compiler/interp/interp.h"
#include "compiler/interp/pktbuild.h"
#include "compiler/bpf/build.h"
#include "runtime/runtime.h"
#include "cli/drive.h"
#include "tests/lib/tfile.h"
#include "relist.h"
#include "compiler/front/settimeout.h"

#define EXIT_SKIP 77
#define EXIT_HARD 99
#define NCACHE 16

struct prog_cache {
	bool used;
	bool failed;
	enum bw_path path;
	char *iif, *oif;
	uint8_t ct_force;	/* the spec's `ct state X` */
	uint32_t mark;		/* netfilter: the spec's meta mark */
	bool nft;		/* the path meets a chain nf_tables runs */
	struct bw_rt_testpath *t;
};

struct run {
	const char *path;
	struct bw_ir *ir;
	bool kernel;
	bool verbose;
	bool nf;		/* this pass: IP chains at the netfilter hooks */
	bool zero_dmac;		/* bw_rt_testpath_zero_dmac() */
	unsigned npkt, nfail;
	struct prog_cache cache[NCACHE];
	/* the interpreter's limits, kept from packet to packet as the
	 * kernel's are (a rate per day: the clock does not matter) */
	struct bw_interp_state state;
	/* the ruleset as `list ruleset` printed it, compiled again (NULL
	 * if that failed: said once), and its interpreter state */
	struct bw_ir *relisted;
	struct bw_interp_state relisted_state;
	/* the interpreter's clock: `sleep T` lines advance it (and sleep
	 * for the kernel's programs): set timeouts */
	uint64_t clock_ns;
};

/* A line `sleep T` (T: 1s, 1500ms, at most SLEEP_MAX_MS): time passes,
 * for the interpreter's clock and, when the kernel runs, for real.
 * True when the line is one (a bad T is a failure said). */
#define SLEEP_MAX_MS 3000
static bool sleep_line(struct run *r, unsigned lineno, const char *line)
{
	uint32_t ms;

	if (strncmp(line, "sleep ", 6))
		return false;
	if (bw_settimeout_parse(bw_t_trim((char *)line + 6), &ms) ||
	    ms > SLEEP_MAX_MS) {
		printf("%s:%u: bad line \"%s\" (sleep T, T at most %ums)\n",
		       r->path, lineno, line, SLEEP_MAX_MS);
		r->nfail++;
		return true;
	}
	r->clock_ns += (uint64_t)ms * 1000000;
	if (r->kernel) {
		struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

		while (nanosleep(&ts, &ts) && errno == EINTR)
			;
	}
	return true;
}



/* "line 12 (handle 3)", "inc/x.inc line 2 (handle 4)" or "policy" */
static void describe(const struct bw_ir *ir, const char *path, uint32_t handle,
		     char *buf, size_t len)
{
	const struct bw_ir_rule *r;

	if (handle == 0) {
		snprintf(buf, len, "policy");
		return;
	}
	r = bw_ir_rule_by_handle(ir, handle, NULL);
	if (r && r->loc.src && strcmp(r->loc.src->name, path))
		snprintf(buf, len, "%s line %u (handle %u)", r->loc.src->name,
			 r->loc.line, handle);
	else if (r)
		snprintf(buf, len, "line %u (handle %u)", r->loc.line, handle);
	else
		snprintf(buf, len, "unknown handle %u", handle);
}

static uint32_t handle_line(const struct bw_ir *ir, uint32_t handle,
			    const char **file)
{
	const struct bw_ir_rule *r;

	*file = NULL;
	if (handle == 0)
		return 0;
	r = bw_ir_rule_by_handle(ir, handle, NULL);
	if (r && r->loc.src)
		*file = r->loc.src->name;
	return r ? r->loc.line : UINT32_MAX;
}

/* Is the rule's file the one the test names (NULL: the .t file)? */
static bool same_file(const struct run *r, const char *got, const char *want)
{
	size_t g, w;

	if (!want)
		return got && !strcmp(got, r->path);
	if (!got)
		return false;
	g = strlen(got);
	w = strlen(want);
	return g >= w && !strcmp(got + g - w, want) &&
	       (g == w || got[g - w - 1] == '/');
}

static const char *verdict_name(enum bw_verdict v)
{
	switch (v) {
	case BW_VERDICT_ACCEPT:
		return "accept";
	case BW_VERDICT_DROP:
		return "drop";
	case BW_VERDICT_REJECT:
		return "reject";
	default:
		return "continue(?)";
	}
}

static bool same_name(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Returns the cached programs of a packet's path, loading them once.
 * NULL when they cannot be loaded (reported once). */
static struct bw_rt_testpath *get_path(struct run *r, const struct bw_build_path_opts *o,
				       unsigned lineno, bool *nft)
{
	struct prog_cache *c = NULL;
	const struct bw_rt_testpath *share = NULL;
	struct bw_diags d;
	int err;

	for (int i = 0; i < NCACHE; i++) {
		struct prog_cache *e = &r->cache[i];

		if (!e->used) {
			c = c ? c : e;
			continue;
		}
		if (e->path == o->path && e->ct_force == o->ct_force &&
		    e->mark == o->mark && same_name(e->iif, o->iif) &&
		    same_name(e->oif, o->oif)) {
			*nft = e->nft;
			return e->failed ? NULL : e->t;
		}
	}
	if (!c) {
		fprintf(stderr, "%s:%u: too many paths in one file\n",
			r->path, lineno);
		return NULL;
	}
	c->used = true;
	c->path = o->path;
	c->ct_force = o->ct_force;
	c->mark = o->mark;
	c->iif = o->iif ? strdup(o->iif) : NULL;
	c->oif = o->oif ? strdup(o->oif) : NULL;
	/* one conntrack table for the file, as the runtime's is one for
	 * the ruleset */
	for (int i = 0; i < NCACHE && !share; i++)
		if (r->cache[i].used && r->cache[i].t && !r->cache[i].ct_force)
			share = r->cache[i].t;
	bw_diags_init(&d);
	err = bw_drive_testpath_load(r->ir, o, share, &d, &c->t);
	if (err == -ENOTSUP) {	/* nf_tables: the interpreter only */
		if (r->verbose)
			bw_diags_print(&d, stdout);
		c->nft = true;
		c->t = NULL;
	} else if (err) {
		printf("%s:%u: kernel: cannot load the programs of the %s path: %s\n",
		       r->path, lineno, bw_path_name[o->path], strerror(-err));
		bw_diags_print(&d, stdout);
		c->failed = true;
		c->t = NULL;
	}
	bw_diags_fini(&d);
	*nft = c->nft;
	return c->t;
}

/* What a line expects besides the verdict. */
struct want {
	bool line;		/* LINE given */
	uint32_t ln;		/* 0: policy */
	const char *file;
	int reason;		/* `malformed REASON`: the reason, else -1 */
};

/* What decided: the packet's outcome at one engine. */
struct got {
	enum bw_verdict v;
	uint32_t handle;
	bool malformed;
	enum bw_reason reason;
};

static void check(struct run *r, unsigned lineno, const char *who,
		  const struct got *g, enum bw_verdict want_v,
		  const struct want *w)
{
	char got[384], want[320];
	bool ok = g->v == want_v;
	const char *file;

	if (w->reason >= 0)
		ok = ok && g->malformed && (int)g->reason == w->reason;
	else if (w->line && ok)
		ok = !g->malformed && handle_line(r->ir, g->handle, &file) == w->ln &&
		     (w->ln == 0 || same_file(r, file, w->file));
	if (g->malformed)
		snprintf(got, sizeof(got), "the parser (malformed %s)",
			 bw_reason_name(g->reason));
	else
		describe(r->ir, r->path, g->handle, got, sizeof(got));
	if (w->reason >= 0)
		snprintf(want, sizeof(want), "the parser (malformed %s)",
			 bw_reason_name((enum bw_reason)w->reason));
	else if (!w->line)
		snprintf(want, sizeof(want), "any rule");
	else if (w->ln == 0)
		snprintf(want, sizeof(want), "policy");
	else
		snprintf(want, sizeof(want), "%s%sline %u", w->file ? w->file : "",
			 w->file ? " " : "", w->ln);
	if (!ok) {
		r->nfail++;
		printf("%s:%u: %s: got %s by %s, expected %s by %s\n", r->path,
		       lineno, who, verdict_name(g->v), got,
		       verdict_name(want_v), want);
	} else if (r->verbose) {
		printf("%s:%u: %s: %s by %s\n", r->path, lineno, who,
		       verdict_name(g->v), got);
	}
}

/* `malformed REASON`: the reason's number, or -1. */
static int reason_by_name(const char *name)
{
	for (int i = 0; i < BW_REASON__MAX; i++)
		if (!strcmp(name, bw_reason_name((enum bw_reason)i)))
			return i;
	return -1;
}

static void run_packet(struct run *r, unsigned lineno, char *line)
{
	char *spec_txt, *verdict_txt, *line_txt, *end;
	enum bw_verdict want_v;
	struct want w = { .reason = -1 };
	struct bw_pkt_spec *spec = NULL;
	struct bw_interp_result ires;
	struct bw_diags d;
	uint8_t pkt[BW_PKT_MAX];
	char name[512];
	int len, err;

	spec_txt = line;
	verdict_txt = strchr(spec_txt, ';');
	if (!verdict_txt) {
		printf("%s:%u: bad test line: expected PACKET ; VERDICT [; LINE]\n",
		       r->path, lineno);
		r->nfail++;
		return;
	}
	*verdict_txt++ = '\0';
	line_txt = strchr(verdict_txt, ';');
	if (line_txt)
		*line_txt++ = '\0';
	spec_txt = bw_t_trim(spec_txt);
	verdict_txt = bw_t_trim(verdict_txt);
	if (!strcmp(verdict_txt, "accept")) {
		want_v = BW_VERDICT_ACCEPT;
	} else if (!strcmp(verdict_txt, "drop")) {
		want_v = BW_VERDICT_DROP;
	} else if (!strcmp(verdict_txt, "reject")) {
		want_v = BW_VERDICT_REJECT;
	} else {
		printf("%s:%u: bad verdict \"%s\" (accept, drop or reject)\n", r->path,
		       lineno, verdict_txt);
		r->nfail++;
		return;
	}
	if (line_txt) {
		line_txt = bw_t_trim(line_txt);
		w.line = true;
		if (!strncmp(line_txt, "malformed", 9) &&
		    (line_txt[9] == ' ' || line_txt[9] == '\t' || !line_txt[9])) {
			w.reason = reason_by_name(bw_t_trim(line_txt + 9));
			if (w.reason < 0 || want_v != BW_VERDICT_DROP) {
				printf("%s:%u: bad expectation \"%s\": drop ; malformed REASON, REASON one of",
				       r->path, lineno, line_txt);
				for (int i = 0; i < BW_REASON__MAX; i++)
					printf(" %s", bw_reason_name((enum bw_reason)i));
				printf("\n");
				r->nfail++;
				return;
			}
		} else if (strcmp(line_txt, "policy")) {
			char *colon = strrchr(line_txt, ':');
			unsigned long v;

			if (colon) {
				*colon = '\0';
				w.file = line_txt;
				line_txt = colon + 1;
			}
			v = strtoul(line_txt, &end, 10);

			if (!*line_txt || *end || v == 0 || v > UINT32_MAX) {
				printf("%s:%u: bad rule line \"%s\" ([FILE:]NUMBER, policy or malformed REASON)\n",
				       r->path, lineno, line_txt);
				r->nfail++;
				return;
			}
			w.ln = (uint32_t)v;
		}
	}

	r->npkt++;
	snprintf(name, sizeof(name), "%s:%u: packet", r->path, lineno);
	bw_diags_init(&d);
	err = bw_pkt_spec_parse(name, spec_txt, &d, &spec);
	if (err) {
		printf("%s:%u: cannot parse the packet (%s)\n", r->path, lineno,
		       strerror(-err));
		bw_diags_print(&d, stdout);
		r->nfail++;
		goto out;
	}
	len = bw_pkt_build(spec, pkt, sizeof(pkt), &d);
	if (len <= 0) {
		printf("%s:%u: cannot build the packet (%s)\n", r->path, lineno,
		       strerror(len ? -len : EINVAL));
		bw_diags_print(&d, stdout);
		r->nfail++;
		goto out;
	}
	if (r->zero_dmac && !(pkt[0] & 1))
		memset(pkt, 0, 6);	/* the test device's own address */
	if (!r->nf && spec->path == BW_PATH_FORWARD) {
		r->npkt--;		/* no forward path at XDP and TC */
		goto out;
	}

	struct bw_build_path_opts po = {
		.path = spec->path,
		.iif = spec->path == BW_PATH_OUT ? NULL : spec->device,
		.oif = spec->path == BW_PATH_OUT ? spec->device :
		       spec->path == BW_PATH_FORWARD ? spec->device_out : NULL,
		.nf = r->nf,
		.ct_force = spec->ct_state,
		.mark = bw_pkt_spec_mark(spec),
	};
	struct bw_interp_ctx ictx = { .use_path = true, .path = po.path,
				      .iif = po.iif, .oif = po.oif, .nf = r->nf,
				      .mark = po.mark,
				      .now_ns = r->clock_ns,
				      .state = &r->state,
				      .ct_force = spec->ct_state };

	err = bw_interp_run_ctx(r->ir, &ictx, pkt, len, &ires);
	if (err) {
		printf("%s:%u: interp: error %s\n", r->path, lineno,
		       strerror(-err));
		r->nfail++;
	} else {
		struct got g = { ires.verdict, ires.handle, ires.malformed,
				 ires.reason };

		check(r, lineno, "interp", &g, want_v, &w);
	}
	if (!err && r->relisted) {
		struct bw_interp_result lres;

		ictx.state = &r->relisted_state;
		if (bw_interp_run_ctx(r->relisted, &ictx, pkt, len, &lres) ||
		    lres.verdict != ires.verdict || lres.handle != ires.handle ||
		    lres.malformed != ires.malformed) {
			printf("%s:%u: the ruleset as list ruleset prints it gives %s (handle %u) where the file gives %s (handle %u)\n",
			       r->path, lineno, verdict_name(lres.verdict),
			       lres.handle, verdict_name(ires.verdict),
			       ires.handle);
			r->nfail++;
		}
		ictx.state = &r->state;
	}

	if (r->kernel) {
		struct bw_rt_testpath *t;
		struct bw_rt_run_result kres;

		/* a mark reaches the netfilter programs only when they are
		 * built with it: one build per mark, where it matters */
		if (!r->nf || !bw_ir_uses_field(r->ir, BW_F_META_MARK))
			po.mark = po.nf ? 0 : po.mark;
		bool nft = false;

		t = get_path(r, &po, lineno, &nft);
		if (nft)	/* nf_tables runs a chain of it: not here */
			goto out;
		if (!t) {
			r->nfail++;
			goto out;
		}
		if (!r->nf || !bw_ir_uses_field(r->ir, BW_F_META_MARK))
			bw_rt_testpath_set_mark(t, ictx.mark);
		err = bw_rt_testpath_run(t, pkt, len, &kres);
		if (err) {
			printf("%s:%u: kernel: test run failed: %s\n", r->path,
			       lineno, strerror(-err));
			r->nfail++;
		} else {
			struct got g = { kres.verdict, kres.handle,
					 kres.malformed, kres.reason };

			check(r, lineno, "kernel", &g, want_v, &w);
		}
	}
out:
	bw_pkt_spec_free(&spec);
	bw_diags_fini(&d);
}

/* The first line where a and b differ, for a message. */
static void first_difference(const char *a, const char *b)
{
	unsigned line = 1;

	while (*a && *a == *b) {
		line += *a == '\n';
		a++;
		b++;
	}
	while (line > 1 && a[-1] != '\n') {
		a--;
		b--;
	}
	printf("  line %u: \"%.*s\" then \"%.*s\"\n", line,
	       (int)strcspn(a, "\n"), a, (int)strcspn(b, "\n"), b);
}

/* list ruleset, load, list ruleset: r->relisted, or a failure said. */
static void relist(struct run *r, struct bw_diags *d)
{
	char name[512], *text1 = bw_t_relist(r->ir), *text2 = NULL;

	snprintf(name, sizeof(name), "%s (as list ruleset prints it)", r->path);
	r->relisted_state.limit = calloc(r->ir->nlimit + 1,
					 sizeof(*r->relisted_state.limit));
	r->relisted_state.quota = calloc(r->ir->nquota + 1,
					 sizeof(*r->relisted_state.quota));
	if (!text1 || !r->relisted_state.limit || !r->relisted_state.quota) {
		printf("%s: cannot print the ruleset as list ruleset does\n", r->path);
		r->nfail++;
	} else if (bw_compile_string(name, text1, d, &r->relisted)) {
		printf("%s: the ruleset as list ruleset prints it does not load again:\n",
		       r->path);
		bw_diags_print(d, stdout);
		printf("%s", text1);
		r->nfail++;
	} else if (!(text2 = bw_t_relist(r->relisted)) || strcmp(text1, text2)) {
		printf("%s: listed, loaded and listed again, the ruleset reads differently:\n",
		       r->path);
		if (text2)
			first_difference(text1, text2);
		r->nfail++;
	}
	if (r->verbose && text1)
		printf("%s: as list ruleset prints it:\n%s", r->path, text1);
	free(text1);
	free(text2);
}

static bool has_ip_chains(const struct bw_ir *ir)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (ir->chain[c].hook != BW_CHAIN_NONE &&
		    !bw_chain_hook_netdev(ir->chain[c].hook))
			return true;
	return false;
}

/* The word after a line "mode" among the packets, or NULL. */
static const char *mode_line(const char *packets)
{
	static char word[32];

	for (const char *p = packets; p && *p; ) {
		const char *nl = strchr(p, '\n');

		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncmp(p, "mode ", 5) &&
		    sscanf(p + 5, "%31s", word) == 1)
			return word;
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: run-verdict [-v] [--interp-only] FILE.t\n"
		"  Compile the ruleset above %%%%, run every packet below it\n"
		"  through the interpreter and (as root) the kernel.\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct run r = { 0 };
	struct bw_diags d, ld;
	bool interp_only = false;
	char *text, *p, *rules_end = NULL, *packets = NULL;
	unsigned lineno = 1, first_packet_line = 0;
	int err, i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-v"))
			r.verbose = true;
		else if (!strcmp(argv[i], "--interp-only"))
			interp_only = true;
		else
			return usage();
	}
	if (i != argc - 1)
		return usage();
	r.path = argv[i];
	if (getenv("BW_VERDICT_INTERP_ONLY"))
		interp_only = true;
	r.kernel = !interp_only && geteuid() == 0;

	text = bw_t_read_all(r.path);
	if (!text)
		return EXIT_HARD;

	/* Find the line that is exactly "%%". */
	for (p = text; *p; lineno++) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		while (n && (p[n - 1] == '\r' || p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 2 && p[0] == '%' && p[1] == '%') {
			rules_end = p;
			packets = nl ? nl + 1 : p + strlen(p);
			first_packet_line = lineno + 1;
			break;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!rules_end) {
		fprintf(stderr, "%s: no line \"%%%%\" between ruleset and packets\n",
			r.path);
		free(text);
		return EXIT_HARD;
	}
	*rules_end = '\0';

	bw_diags_init(&d);
	err = bw_compile_string(r.path, text, &d, &r.ir);
	if (err) {
		printf("%s: the ruleset does not compile (%s):\n", r.path,
		       strerror(-err));
		bw_diags_print(&d, stdout);
		bw_diags_fini(&d);
		free(text);
		return 1;
	}
	bw_diags_print(&d, stdout);	/* warnings */
	/* meta cpu: the kernel's programs run on CPU 0, the interpreter's
	 * cpu is 0 (bw_interp_ctx) */
	if (bw_ir_uses_field(r.ir, BW_F_META_CPU_BPF)) {
		cpu_set_t one;

		CPU_ZERO(&one);
		CPU_SET(0, &one);
		if (sched_setaffinity(0, sizeof(one), &one)) {
			printf("%s: cannot run on CPU 0 for meta cpu: %s\n", r.path,
			       strerror(errno));
			return EXIT_HARD;
		}
	}
	/* d owns the source text the IR's locations point into: keep it
	 * until the IR is freed. */
	bw_diags_init(&ld);
	relist(&r, &ld);

	/* the passes: where the IP chains run (see the top) */
	bool passes[2] = { false, false };	/* netfilter, xdp */
	const char *mode = mode_line(packets);
	const struct bw_ir_rule *why;
	struct bw_build_env env = { .ip_hooks = BW_IP_HOOKS_NETFILTER,
				    .kernel_ct = bw_rt_kernel_ct() };

	if (mode && strcmp(mode, "netfilter") && strcmp(mode, "xdp") &&
	    strcmp(mode, "both")) {
		printf("%s: bad line \"mode %s\" (netfilter, xdp or both)\n",
		       r.path, mode);
		r.nfail++;
		mode = NULL;
	}
	if (!mode || strcmp(mode, "xdp"))
		passes[bw_build_ip_hooks(r.ir, &env, &why) == BW_IP_HOOKS_XDP] = true;
	if ((!mode || strcmp(mode, "netfilter")) && !bw_build_nf_only(r.ir))
		passes[1] = true;
	if (passes[0] && passes[1] && !has_ip_chains(r.ir))
		passes[1] = false;	/* netdev chains only: one build */
	for (int pass = 0; pass < 2; pass++) {
		char *copy;

		if (!passes[pass])
			continue;
		r.nf = pass == 0;
		r.zero_dmac = bw_rt_testpath_zero_dmac(r.ir, r.nf);
		bw_interp_state_fini(&r.state);
		bw_interp_state_fini(&r.relisted_state);
		r.state.limit = calloc(r.ir->nlimit + 1, sizeof(*r.state.limit));
		r.relisted_state.limit = calloc(r.ir->nlimit + 1,
						sizeof(*r.relisted_state.limit));
		r.state.quota = calloc(r.ir->nquota + 1, sizeof(*r.state.quota));
		r.relisted_state.quota = calloc(r.ir->nquota + 1,
						sizeof(*r.relisted_state.quota));
		copy = strdup(packets);
		if (r.verbose)
			printf("%s: the inet/ip/ip6 chains at %s\n", r.path,
			       r.nf ? "the netfilter hooks" : "XDP and TC");
		lineno = first_packet_line;
		for (p = copy; p && *p; lineno++) {
			char *nl = strchr(p, '\n');
			char *hash, *line;

			if (nl)
				*nl = '\0';
			hash = strchr(p, '#');
			if (hash)
				*hash = '\0';
			line = bw_t_trim(p);
			if (*line && strncmp(line, "mode ", 5) &&
			    !sleep_line(&r, lineno, line))
				run_packet(&r, lineno, line);
			if (!nl)
				break;
			p = nl + 1;
		}
		free(copy);
		for (i = 0; i < NCACHE; i++) {
			bw_rt_testpath_free(&r.cache[i].t);
			free(r.cache[i].iif);
			free(r.cache[i].oif);
		}
		memset(r.cache, 0, sizeof(r.cache));
	}

	printf("%s: %u packets, %u failures; interpreter: run; kernel: %s; inet/ip/ip6 chains at:%s%s\n",
	       r.path, r.npkt, r.nfail,
	       r.kernel ? "run" : interp_only ? "not asked for" :
	       "SKIPPED (needs root for BPF_PROG_TEST_RUN)",
	       passes[0] ? " netfilter hooks" : "", passes[1] ? " XDP/TC" : "");
	bw_interp_state_fini(&r.state);
	bw_interp_state_fini(&r.relisted_state);
	bw_ir_free(&r.ir);
	bw_ir_free(&r.relisted);
	bw_diags_fini(&d);
	bw_diags_fini(&ld);
	free(text);
	if (r.nfail)
		return 1;
	if (r.npkt == 0) {
		fprintf(stderr, "%s: no packets\n", r.path);
		return EXIT_HARD;
	}
	return r.kernel || interp_only ? 0 : EXIT_SKIP;
}
