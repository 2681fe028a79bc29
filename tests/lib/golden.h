/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Golden files of the unit tests (cmocka): the generated text against the
 * file, or, with BW_GOLDEN_UPDATE set (make golden-update), the file
 * rewritten first.  Include after cmocka.h.
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/lib/tfile.h"

/* Fail, naming the first line that differs and showing got whole, when
 * got is not the golden at path; what names the text ("instructions"). */
static inline void bw_golden_check(const char *path, const char *got,
				   const char *what)
{
	char *want;

	if (getenv("BW_GOLDEN_UPDATE")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	want = bw_t_read_all(path);
	if (!want)
		fail_msg("missing golden %s (make golden-update writes it)", path);
	if (strcmp(got, want)) {
		const char *a = got, *w = want;
		unsigned line = 1;

		while (*a && *a == *w) {
			line += *a == '\n';
			a++;
			w++;
		}
		fprintf(stderr, "--- %s\n+++ generated\nfirst difference at line %u\n%s",
			path, line, got);
		free(want);
		fail_msg("%s differ from %s at line %u (a deliberate change: make golden-update, then review the diff)",
			 what, path, line);
	}
	free(want);
}
