// SPDX-License-Identifier: GPL-2.0-only
/*
 * bpfwall: command-line parsing.  Options and commands are declared as
 * data; --help is generated from the two tables, so it describes exactly
 * what exists.  Global options may stand anywhere; the words of a command
 * are joined with spaces and parsed as one line, as nft does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ipt.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

enum opt_id {
	O_FILE, O_CHECK, O_DUMP, O_JSON, O_PIN_DIR, O_INTERP, O_XDP_MODE, O_IP_HOOKS, O_HOIST,
	O_VERBOSE, O_HELP, O_VERSION, O_AUDIT, O_AUDIT_CGROUP, O_WAIT,
	O_CAP_IFACE, O_CAP_COUNT, O_CAP_WRITE,
};

struct opt {
	enum opt_id id;
	char short_name;		/* 0: long only */
	const char *long_name;
	const char *arg;		/* NULL: a flag */
	const char *help;
	const char *cmd;		/* only after this command word; NULL: global */
};

static const struct opt opts[] = {
	{ O_FILE, 'f', "file", "FILE", "the rule file to load, check, dump or trace" },
	{ O_CHECK, 'c', "check", NULL, "check only: parse, evaluate, compile (as root also verify in the kernel)" },
	{ O_DUMP, 'd', "debug", NULL, "dry run: print each program's bytecode under its rules' source lines" },
	{ O_JSON, 'j', "json", NULL, "JSON: list ruleset prints and -f reads nft's JSON (libnftables-json(5)); list conntrack, monitor and trace print bpfwall's" },
	{ O_PIN_DIR, 0, "pin-dir", "DIR", "state directory on bpffs (default " BW_PIN_DIR_DEFAULT ", env BPFWALL_PIN_DIR)" },
	{ O_INTERP, 0, "interp", NULL, "trace with the reference interpreter instead of the kernel (no root)" },
	{ O_XDP_MODE, 0, "xdp-mode", "MODE", "auto (default), native or generic" },
	{ O_IP_HOOKS, 0, "ip-hooks", "WHERE", "where inet/ip/ip6 chains run: auto (default: netfilter where the kernel has BPF at the netfilter hooks, else xdp), netfilter (every interface), xdp (input at XDP, output at TC, on each interface); env BPFWALL_IP_HOOKS" },
	{ O_HOIST, 0, "hoist", "ON_OFF", "on (default): input-chain drops that give the same verdict there also run at XDP on each interface, in front of the netfilter hooks, when the host has no DNAT; off: only at the netfilter hooks; env BPFWALL_HOIST" },
	{ O_AUDIT, 0, "audit", "MODE", "audit hook for denied connects: auto (default: kprobe where the kernel has kprobes, else cgroup), kprobe, cgroup, enforce (cgroup, deny with EPERM), off, tracepoint (sys_enter_connect, every process, log only); env BPFWALL_AUDIT" },
	{ O_AUDIT_CGROUP, 0, "audit-cgroup", "PATH", "cgroup (v2) the audit hook attaches to (default: the root of the hierarchy)" },
	{ O_WAIT, 'w', "wait", "SECONDS", "wait at most SECONDS for another bpfwall to release the pin dir's lock (0: fail at once; default: as long as it takes, saying so after a second)" },
	{ O_VERBOSE, 'v', "verbose", NULL, "also print libbpf's log and the full verifier log" },
	{ O_HELP, 'h', "help", NULL, "print this help" },
	{ O_VERSION, 0, "version", NULL, "print the version" },
	{ O_CAP_IFACE, 'i', "interface", "DEV", "listen on DEV only (default: every interface)", "capture" },
	{ O_CAP_COUNT, 'c', "count", "COUNT", "stop after COUNT packets (default: at SIGINT/SIGTERM)", "capture" },
	{ O_CAP_WRITE, 'w', "write", "FILE", "write the packets to FILE in pcap format instead of printing them", "capture" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

static const struct opt *opt_by_id(enum opt_id id)
{
	for (size_t k = 0; k < NOPTS; k++)
		if (opts[k].id == id)
			return &opts[k];
	return NULL;
}

enum cmd_id { C_NONE, C_LIST, C_LIST_CT, C_FLUSH, C_TRACE, C_MONITOR,
	      C_CAPTURE, C_ADD, C_DELETE, C_WATCH, C_LIST_OBJS, C_LIST_OBJ };

struct cmd {
	enum cmd_id id;
	const char *name;
	const char *object;		/* the one word that must follow, or NULL */
	bool needs_file;		/* -f required (else refused) */
	const char *synopsis;
	const char *help;
	bool more;			/* more words follow the object */
	bool file_ok;			/* -f optional */
};

static const struct cmd cmds[] = {
	{ C_NONE, NULL, NULL, true, "-f FILE",
	  "load FILE, replacing the running ruleset atomically" },
	{ C_NONE, NULL, NULL, true, "-j -f FILE",
	  "load FILE written in nft's JSON (nft -j list ruleset's output)" },
	{ C_NONE, NULL, NULL, true, "-c -f FILE",
	  "check FILE only; no root needed (as root the kernel verifies it too)" },
	{ C_NONE, NULL, NULL, true, "-d -f FILE",
	  "print the bytecode of every attach point; no root needed" },
	{ C_NONE, NULL, NULL, true, "-c -f FILE list ruleset",
	  "check FILE, then print what list ruleset would print once it is loaded "
	  "(nft's canonical form; counters and elements as written); attaches nothing" },
	{ C_LIST, "list", "ruleset", false, "list ruleset",
	  "the running ruleset with counters; its output loads again with -f" },
	{ C_LIST_CT, "list", "conntrack", false, "list conntrack",
	  "the flows bpfwall's connection tracking holds (rulesets with ct state whose IP chains run at XDP and TC)" },
	{ C_LIST_OBJS, "list", "counters", false, "list counters|quotas|limits",
	  "the named objects of that type in each table, with their state" },
	{ C_LIST_OBJS, "list", "quotas", false, "list counters|quotas|limits", NULL },
	{ C_LIST_OBJS, "list", "limits", false, "list counters|quotas|limits", NULL },
	{ C_LIST_OBJ, "list", "counter", false, "list counter|quota|limit FAMILY TABLE NAME",
	  "one named object, with its state", .more = true },
	{ C_LIST_OBJ, "list", "quota", false, "list counter|quota|limit FAMILY TABLE NAME",
	  NULL, .more = true },
	{ C_LIST_OBJ, "list", "limit", false, "list counter|quota|limit FAMILY TABLE NAME",
	  NULL, .more = true },
	{ C_LIST_OBJS, "list", "flowtables", false, "list flowtables",
	  "the flowtables of each table, as nft lists them" },
	{ C_LIST_OBJ, "list", "flowtable", false, "list flowtable FAMILY TABLE NAME",
	  "one flowtable", .more = true },
	{ C_FLUSH, "flush", "ruleset", false, "flush ruleset",
	  "detach and remove everything bpfwall loaded" },
	{ C_ADD, "add", "element", false, "add element FAMILY TABLE SET { ELEMENTS }",
	  "add elements to a named set or map of the running ruleset (no reload)",
	  .more = true },
	{ C_DELETE, "delete", "element", false, "delete element FAMILY TABLE SET { ELEMENTS }",
	  "remove elements from a named set or map of the running ruleset",
	  .more = true },
	{ C_MONITOR, "monitor", NULL, false, "monitor [-j] [-c COUNT]",
	  "print log events and audit events (connect-denied), one per line, until interrupted or COUNT events" },
	{ C_CAPTURE, "capture", NULL, false, "capture EXPR [-i DEV] [-c COUNT] [-w FILE]",
	  "print packets that match EXPR (the matches of a rule, e.g. ip saddr 192.0.2.0/24 tcp dport 22), "
	  "filtered in the kernel by a socket filter; -w writes a pcap file" },
	{ C_WATCH, "watch", NULL, false, "[-f FILE] watch",
	  "load FILE (if given), then stay, loading the running ruleset again when "
	  "interfaces appear or go (netdev chains, XDP programs); SIGHUP loads FILE "
	  "again, SIGTERM ends it, the ruleset staying in force",
	  .file_ok = true },
	{ C_NONE, NULL, NULL, false,
	  "iptables|ip6tables|iptables-save|ip6tables-save|iptables-restore|ip6tables-restore|ipset ARGS",
	  "bpfwall as that iptables tool (also under that name): filter and raw compiled, "
	  "the rest passed to iptables-nft or, with --strict, refused; as ipset: the sets "
	  "-m set names, kept with the iptables tables; see bpfwall-iptables(8)" },
	{ C_TRACE, "trace", NULL, true, "-f FILE trace HOOK [device NAME] PACKET",
	  "run one packet (rule syntax, e.g. ip saddr 192.0.2.1 tcp dport 22) "
	  "through the compiled ruleset; HOOK is ingress, egress or forward "
	  "(forward: device IN device OUT)" },
};

#define NCMDS (sizeof(cmds) / sizeof(cmds[0]))

int bw_cli_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bpfwall: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'bpfwall --help'.\n");
	return BW_EXIT_USAGE;
}

/* The options of command cmd (NULL: the global ones), under a heading. */
static void opt_help(FILE *f, const char *cmd)
{
	bool any = false;

	for (size_t i = 0; i < NOPTS; i++) {
		char left[64];

		if (!cmd != !opts[i].cmd || (cmd && strcmp(cmd, opts[i].cmd)))
			continue;
		if (!any && cmd)
			fprintf(f, "\nOptions of %s (after the word %s):\n", cmd, cmd);
		else if (!any)
			fprintf(f, "\nOptions (anywhere on the line):\n");
		any = true;
		if (opts[i].short_name)
			snprintf(left, sizeof(left), "-%c, --%s%s%s",
				 opts[i].short_name, opts[i].long_name,
				 opts[i].arg ? " " : "",
				 opts[i].arg ? opts[i].arg : "");
		else
			snprintf(left, sizeof(left), "    --%s%s%s",
				 opts[i].long_name, opts[i].arg ? " " : "",
				 opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-22s %s\n", left, opts[i].help);
	}
}

static void help(FILE *f)
{
	fprintf(f, "bpfwall %s: nftables rule files compiled to eBPF (netfilter hooks, XDP, TC)\n\nUsage:\n",
		PACKAGE_VERSION);
	for (size_t i = 0; i < NCMDS; i++)
		if (cmds[i].help)	/* one line for list counters|quotas|... */
			fprintf(f, "  bpfwall [OPTIONS] %s\n      %s\n", cmds[i].synopsis,
				cmds[i].help);
	opt_help(f, NULL);
	for (size_t c = 0; c < NCMDS; c++)
		if (cmds[c].name)
			opt_help(f, cmds[c].name);
	fprintf(f, "\nExit status: 0 success, 1 error, 2 usage error.\n");
}

struct parsed {
	struct bw_cli c;
	bool help, version;
	int nwords;
	char **words;
	const char *cmd;		/* the first word: its options apply after it */
};

/* May o be used here: global, or its command's word came before? */
static bool opt_usable(const struct parsed *p, const struct opt *o)
{
	return !o->cmd || (p->cmd && !strcmp(o->cmd, p->cmd));
}

static int set_opt(struct parsed *p, const struct opt *o, const char *arg)
{
	switch (o->id) {
	case O_FILE:
		if (p->c.file)
			return bw_cli_usage("-f given twice");
		p->c.file = arg;
		break;
	case O_CHECK:
		p->c.check = true;
		break;
	case O_DUMP:
		p->c.dump = true;
		break;
	case O_JSON:
		p->c.json = true;
		break;
	case O_PIN_DIR:
		if (!arg[0])
			return bw_cli_usage("--pin-dir needs a directory");
		p->c.rt.pin_dir = arg;
		break;
	case O_INTERP:
		p->c.interp = true;
		break;
	case O_XDP_MODE:
		if (!strcmp(arg, "auto"))
			p->c.rt.xdp_mode = BW_XDP_AUTO;
		else if (!strcmp(arg, "native"))
			p->c.rt.xdp_mode = BW_XDP_NATIVE;
		else if (!strcmp(arg, "generic"))
			p->c.rt.xdp_mode = BW_XDP_GENERIC;
		else
			return bw_cli_usage("--xdp-mode: \"%s\" is none of auto, native, generic",
					    arg);
		break;
	case O_IP_HOOKS:
		if (!strcmp(arg, "auto"))
			p->c.rt.ip_hooks = BW_IP_HOOKS_AUTO;
		else if (!strcmp(arg, "netfilter"))
			p->c.rt.ip_hooks = BW_IP_HOOKS_NF;
		else if (!strcmp(arg, "xdp"))
			p->c.rt.ip_hooks = BW_IP_HOOKS_XDPTC;
		else
			return bw_cli_usage("--ip-hooks: \"%s\" is none of auto, netfilter, xdp",
					    arg);
		break;
	case O_HOIST:
		if (strcmp(arg, "on") && strcmp(arg, "off"))
			return bw_cli_usage("--hoist: \"%s\" is none of on, off", arg);
		p->c.rt.no_hoist = !strcmp(arg, "off");
		break;
	case O_AUDIT:
		p->c.rt.audit_enforce = !strcmp(arg, "enforce");
		if (!strcmp(arg, "auto"))
			p->c.rt.audit = BW_AUDIT_AUTO;
		else if (!strcmp(arg, "off"))
			p->c.rt.audit = BW_AUDIT_OFF;
		else if (!strcmp(arg, "cgroup") || !strcmp(arg, "enforce"))
			p->c.rt.audit = BW_AUDIT_CGROUP;
		else if (!strcmp(arg, "kprobe"))
			p->c.rt.audit = BW_AUDIT_KPROBE;
		else if (!strcmp(arg, "tracepoint"))
			p->c.rt.audit = BW_AUDIT_TRACEPOINT;
		else
			return bw_cli_usage("--audit: \"%s\" is none of auto, cgroup, tracepoint, kprobe, off, enforce",
					    arg);
		break;
	case O_AUDIT_CGROUP:
		if (!arg[0])
			return bw_cli_usage("--audit-cgroup needs a path");
		p->c.rt.audit_cgroup = arg;
		break;
	case O_WAIT: {
		char *end;
		unsigned long n = strtoul(arg, &end, 10);

		if (*end || !arg[0] || arg[0] == '-' || n > 86400 * 365)
			return bw_cli_usage("-w SECONDS: \"%s\" is not a number of seconds",
					    arg);
		p->c.lock_wait = (int)n;
		break;
	}
	case O_VERBOSE:
		p->c.rt.verbose = true;
		break;
	case O_HELP:
		p->help = true;
		break;
	case O_VERSION:
		p->version = true;
		break;
	case O_CAP_IFACE:
		p->c.capture_dev = arg;
		break;
	case O_CAP_COUNT: {
		char *end;

		p->c.capture_count = strtoul(arg, &end, 10);
		if (*end || !arg[0] || !p->c.capture_count)
			return bw_cli_usage("-c COUNT: \"%s\" is not a positive number",
					    arg);
		break;
	}
	case O_CAP_WRITE:
		p->c.capture_file = arg;
		break;
	}
	return 0;
}

static int long_opt(struct parsed *p, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);

	for (size_t k = 0; k < NOPTS; k++) {
		const struct opt *o = &opts[k];

		if (!opt_usable(p, o))
			continue;
		if (strlen(o->long_name) != len || strncmp(o->long_name, name, len))
			continue;
		if (!o->arg) {
			if (eq)
				return bw_cli_usage("--%s takes no argument",
						    o->long_name);
			return set_opt(p, o, NULL);
		}
		if (eq)
			return set_opt(p, o, eq + 1);
		if (*i + 1 >= argc)
			return bw_cli_usage("--%s needs an argument (%s)",
					    o->long_name, o->arg);
		return set_opt(p, o, argv[++*i]);
	}
	return bw_cli_usage("unknown option --%.*s", (int)len, name);
}

static int short_opts(struct parsed *p, int argc, char **argv, int *i)
{
	const char *s = argv[*i] + 1;

	for (; *s; s++) {
		const struct opt *o = NULL;
		int err;

		for (size_t k = 0; k < NOPTS; k++)
			if (opts[k].short_name == *s && opt_usable(p, &opts[k]))
				o = &opts[k];	/* a command's own wins */
		if (!o)
			return bw_cli_usage("unknown option -%c", *s);
		if (!o->arg) {
			err = set_opt(p, o, NULL);
			if (err)
				return err;
			continue;
		}
		if (s[1])
			return set_opt(p, o, s + 1);	/* -fFILE */
		if (*i + 1 >= argc)
			return bw_cli_usage("-%c needs an argument (%s)", *s,
					    o->arg);
		return set_opt(p, o, argv[++*i]);
	}
	return 0;
}

static int parse(struct parsed *p, int argc, char **argv)
{
	bool only_words = false;
	int err;

	p->words = calloc((size_t)argc + 1, sizeof(char *));
	if (!p->words)
		return BW_EXIT_ERROR;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_words || a[0] != '-' || !a[1]) {
			if (!p->nwords)
				p->cmd = argv[i];
			p->words[p->nwords++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			only_words = true;
			continue;
		}
		err = a[1] == '-' ? long_opt(p, argc, argv, &i) :
		      short_opts(p, argc, argv, &i);
		if (err)
			return err;
	}
	return 0;
}

/* Join words [from, n) with single spaces. */
static char *join(char **w, int from, int n)
{
	size_t len = 1;
	char *s;

	for (int i = from; i < n; i++)
		len += strlen(w[i]) + 1;
	s = calloc(1, len);
	if (!s)
		return NULL;
	for (int i = from; i < n; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, w[i]);
	}
	return s;
}

static int dispatch(struct parsed *p)
{
	struct bw_cli *c = &p->c;
	const struct cmd *cmd = NULL;

	bw_rt_set_verbose(c->rt.verbose);
	bw_rt_set_lock_wait(c->lock_wait);

	if (p->nwords) {
		/* the command of that name; of several (list ruleset,
		 * list conntrack), the one whose object follows */
		for (size_t k = 0; k < NCMDS; k++) {
			if (!cmds[k].name || strcmp(cmds[k].name, p->words[0]))
				continue;
			if (!cmd || (p->nwords > 1 && cmds[k].object &&
				     !strcmp(cmds[k].object, p->words[1])))
				cmd = &cmds[k];
		}
		if (!cmd)
			return bw_cli_usage("unknown command \"%s\"", p->words[0]);
		c->words = join(p->words, 1, p->nwords);
		if (!c->words)
			return BW_EXIT_ERROR;
		if (cmd->object && cmd->more) {
			size_t n = strlen(cmd->object);

			if (strncmp(c->words, cmd->object, n) || c->words[n] != ' ')
				return bw_cli_usage("%s: expected \"%s\"", cmd->name,
						    cmd->synopsis);
			memmove(c->words, c->words + n + 1, strlen(c->words + n));
		} else if (cmd->object && strcmp(c->words, cmd->object)) {
			return bw_cli_usage("%s: expected \"%s %s\"", cmd->name,
					    cmd->name, cmd->object);
		}
		if (cmd->id == C_LIST && c->check && c->file && !c->dump)
			return bw_cli_check_list(c);
		if (cmd->needs_file && !c->file)
			return bw_cli_usage("%s needs -f FILE", cmd->name);
		if (!cmd->needs_file && !cmd->file_ok && c->file)
			return bw_cli_usage("%s%s%s takes no -f", cmd->name,
					    cmd->object ? " " : "",
					    cmd->object ? cmd->object : "");
		/* monitor -c COUNT: -c there is the count's flag */
		if ((c->check && cmd->id != C_MONITOR) || c->dump)
			return bw_cli_usage("-c and -d do not combine with %s",
					    cmd->name);
		switch (cmd->id) {
		case C_LIST:
			return bw_cli_list(c);
		case C_LIST_CT:
			return bw_cli_list_ct(c);
		case C_FLUSH:
			return bw_cli_flush(c);
		case C_TRACE:
			return bw_cli_trace(c);
		case C_MONITOR:
			return bw_cli_monitor(c);
		case C_CAPTURE:
			return bw_cli_capture(c);
		case C_ADD:
		case C_DELETE:
			return bw_cli_element(c, cmd->id == C_ADD);
		case C_WATCH:
			return bw_cli_watch(c);
		case C_LIST_OBJS:
		case C_LIST_OBJ:
			return bw_cli_list_objs(c, p->words[1]);
		default:
			break;
		}
		return BW_EXIT_USAGE;
	}
	if (!c->file)
		return bw_cli_usage("nothing to do: give -f FILE or a command");
	if (c->check && c->dump)
		return bw_cli_usage("-c and -d exclude each other");
	if (c->dump)
		return bw_cli_dump(c);
	if (c->check)
		return bw_cli_check(c);
	return bw_cli_load(c);
}

/*
 * bpfwall under one of iptables' names (argv[0]), or `bpfwall [--pin-dir
 * DIR] [--strict] [-v] iptables ARGS`: the iptables front end, which
 * reads its own options.
 */
static int iptables_front(int argc, char **argv, int *rc)
{
	const char *base = strrchr(argv[0], '/');
	struct bw_ipt_opts o = { .rt = { .xdp_mode = BW_XDP_AUTO,
					 .audit = BW_AUDIT_OFF,
					 .pin_outlive = true } };
	const char *env = getenv("BPFWALL_STRICT");
	int at = -1, n = 0;
	char **args;

	o.strict = env && env[0] && strcmp(env, "0");
	/* iptables commands attach no audit hook unless asked to */
	if (getenv("BPFWALL_AUDIT") && !strcmp(getenv("BPFWALL_AUDIT"), "auto"))
		o.rt.audit = BW_AUDIT_AUTO;
	if (getenv("BPFWALL_IP_HOOKS") && !strcmp(getenv("BPFWALL_IP_HOOKS"), "xdp"))
		o.rt.ip_hooks = BW_IP_HOOKS_XDPTC;
	if (bw_ipt_is_name(base ? base + 1 : argv[0])) {
		at = 0;
	} else {
		for (int i = 1; i < argc && at < 0; i++) {
			if (bw_ipt_is_name(argv[i]))
				at = i;
			else if (!strcmp(argv[i], "--pin-dir") && i + 1 < argc)
				o.rt.pin_dir = argv[++i];
			else if (!strncmp(argv[i], "--pin-dir=", 10))
				o.rt.pin_dir = argv[i] + 10;
			else if (!strcmp(argv[i], "--strict"))
				o.strict = true;
			else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
				o.rt.verbose = true;
			else
				return 0;
		}
		if (at < 0)
			return 0;
	}
	args = calloc((size_t)argc + 1, sizeof(*args));
	if (!args) {
		*rc = BW_EXIT_ERROR;
		return 1;
	}
	for (int i = at; i < argc; i++) {
		if (i > at && !strcmp(argv[i], "--strict")) {
			o.strict = true;
			continue;
		}
		args[n++] = argv[i];
	}
	*rc = bw_ipt_main(n, args, &o);
	free(args);
	return 1;
}

int main(int argc, char **argv)
{
	struct parsed p;
	int rc;

	if (iptables_front(argc, argv, &rc))
		return rc;

	memset(&p, 0, sizeof(p));
	p.c.rt.xdp_mode = BW_XDP_AUTO;
	p.c.rt.audit = BW_AUDIT_AUTO;
	p.c.rt.pin_outlive = true;	/* the CLI exits; its state must not */
	p.c.lock_wait = -1;		/* -w: as long as it takes */
	rc = 0;
	if (getenv("BPFWALL_AUDIT") && getenv("BPFWALL_AUDIT")[0])
		rc = set_opt(&p, opt_by_id(O_AUDIT), getenv("BPFWALL_AUDIT"));
	if (!rc && getenv("BPFWALL_IP_HOOKS") && getenv("BPFWALL_IP_HOOKS")[0])
		rc = set_opt(&p, opt_by_id(O_IP_HOOKS), getenv("BPFWALL_IP_HOOKS"));
	if (!rc && getenv("BPFWALL_HOIST") && getenv("BPFWALL_HOIST")[0])
		rc = set_opt(&p, opt_by_id(O_HOIST), getenv("BPFWALL_HOIST"));
	if (!rc)
		rc = parse(&p, argc, argv);
	if (!rc) {
		if (p.help) {
			help(stdout);
		} else if (p.version) {
			printf("bpfwall %s\n", PACKAGE_VERSION);
		} else {
			rc = dispatch(&p);
		}
	}
	free(p.c.words);
	free(p.words);
	if (fflush(stdout) && !rc)
		rc = BW_EXIT_ERROR;
	return rc;
}
