/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Source files, locations and user diagnostics.
 *
 * Every AST node, IR match and IR rule carries a struct bw_loc. Diagnostics
 * are queued as records and printed once, nft style:
 *
 *   rules.conf:4:21-27: Error: unknown set "blocklst"
 *           ip saddr @blocklst counter drop
 *                    ^^^^^^^^^
 *
 * The source text is kept in memory (struct bw_src) so printing never
 * reopens a file.  This header is the first stage's; later stages include it.
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

struct bw_src {
	char *name;		/* as given: "rules.conf", "<cmdline>" */
	char *text;		/* whole file, NUL terminated */
	size_t len;
	struct bw_src *next;	/* list owned by struct bw_diags */
};

/* 1-based; the span is [col, end_col] on line (end_line >= line). */
struct bw_loc {
	const struct bw_src *src;
	uint32_t line, col;
	uint32_t end_line, end_col;
};

enum bw_diag_level { BW_DIAG_ERROR, BW_DIAG_WARNING, BW_DIAG_NOTE };

struct bw_diag {
	enum bw_diag_level level;
	struct bw_loc loc;	/* loc.src == NULL: no location */
	char *msg;
	struct bw_diag *next;
};

/* One per run: owns the sources read and the queued records. */
struct bw_diags {
	struct bw_src *srcs;
	struct bw_diag *head, **tail;
	unsigned nerrors, nwarnings;
	unsigned max_print;	/* default 10 */
};

void bw_diags_init(struct bw_diags *d);
void bw_diags_fini(struct bw_diags *d);

/* Read a file (or take a string) into a new bw_src owned by d.
 * Returns NULL and queues an error (without location) on failure. */
/* Files larger than this are refused (a device like /dev/zero, or not a
 * rule file). */
#define BW_SRC_MAX	(256 << 20)
const struct bw_src *bw_src_read(struct bw_diags *d, const char *path);
const struct bw_src *bw_src_string(struct bw_diags *d, const char *name,
				   const char *text);

void bw_diag(struct bw_diags *d, enum bw_diag_level lvl,
	     const struct bw_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
#define bw_error(d, loc, ...) bw_diag((d), BW_DIAG_ERROR, (loc), __VA_ARGS__)

/* Print the queued records (at most max_print errors) and clear them. */
void bw_diags_print(struct bw_diags *d, FILE *f);

/* Merge two locations into the span from a's start to b's end. */
struct bw_loc bw_loc_join(const struct bw_loc *a, const struct bw_loc *b);
