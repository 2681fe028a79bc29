/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the programs that read verdict test files (tests/verdict/NAME.t)
 * share: run-verdict and the differential test's driver.
 */
#pragma once

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The whole file, NUL-terminated (malloc'ed), or NULL with a message. */
static inline char *bw_t_read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (cap - len < 4096) {
			char *n;

			cap = cap ? cap * 2 : 16384;
			n = realloc(buf, cap);
			if (!n) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = n;
		}
		got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* s without leading blanks and trailing white space (in place). */
static inline char *bw_t_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}
