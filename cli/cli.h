/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bpfwall command: a thin layer over compile.h, runtime.h and
 * interp.h.  main.c parses the command line (options and commands as
 * tables, --help generated from them); commands.c and trace.c run them.
 */
#pragma once

#include <stdbool.h>

#include "runtime/runtime.h"

#define BW_EXIT_OK	0
#define BW_EXIT_ERROR	1
#define BW_EXIT_USAGE	2

struct bw_cli {
	const char *file;		/* -f */
	bool check;			/* -c */
	bool dump;			/* -d */
	bool json;			/* -j */
	bool interp;			/* --interp */
	struct bw_rt_opts rt;		/* --pin-dir, --xdp-mode, -v */
	int lock_wait;			/* -w SECONDS; -1: as long as it takes */
	char *words;			/* the command's words, joined (may be "") */
	/* capture's own options (after the word capture) */
	const char *capture_dev;	/* -i DEV, NULL: every interface */
	unsigned long capture_count;	/* -c COUNT, 0: until a signal */
	const char *capture_file;	/* -w FILE: pcap */
};

/* Each returns an exit status. */
int bw_cli_load(const struct bw_cli *c);
int bw_cli_check(const struct bw_cli *c);
int bw_cli_check_list(const struct bw_cli *c);
int bw_cli_dump(const struct bw_cli *c);
int bw_cli_list(const struct bw_cli *c);
int bw_cli_list_ct(const struct bw_cli *c);
int bw_cli_flush(const struct bw_cli *c);
int bw_cli_trace(const struct bw_cli *c);
int bw_cli_capture(const struct bw_cli *c);
int bw_cli_monitor(const struct bw_cli *c);
int bw_cli_element(const struct bw_cli *c, bool add);
int bw_cli_watch(const struct bw_cli *c);
/* list counters|quotas|limits, list counter|quota|limit FAMILY TABLE NAME
 * (what: the word after list; c->words the rest for one object). */
int bw_cli_list_objs(const struct bw_cli *c, const char *what);

/* Print a usage error (with the --help hint) and return BW_EXIT_USAGE. */
int bw_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
