// SPDX-License-Identifier: GPL-2.0-only
/*
 * tests/bad/: every NAME.conf (a rule file), NAME.json (nft's JSON, read as
 * `bpfwall -j -f` does) and NAME.pkt (a packet spec) must be rejected, printing exactly NAME.err.  Paths are relative to the
 * source tree, so the expected text names "tests/bad/NAME.conf".
 *
 *   check-bad [SRCDIR]          run all (default: the configured source dir)
 *   BW_BAD_UPDATE=1 check-bad   rewrite the .err files from the output
 *                               (review the diff before committing it)
 *
 * Files are never deleted from tests/bad/: crash reproducers stay forever.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/front/compile.h"
#include "compiler/json/json.h"
#include "compiler/front/ir.h"

#ifndef BW_TOP_SRCDIR
#define BW_TOP_SRCDIR "."
#endif

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m;
	int c;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &len);
	if (!m) {
		fclose(f);
		return NULL;
	}
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

/* Run one input; returns the diagnostics text (malloc'ed), *rc its status. */
static char *run(const char *path, bool pkt, int *rc)
{
	struct bw_diags d;
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);

	if (!m)
		return NULL;
	bw_diags_init(&d);
	if (pkt) {
		struct bw_pkt_spec *s = NULL;
		char *text = slurp(path);
		size_t n = text ? strlen(text) : 0;

		while (n && text[n - 1] == '\n')
			text[--n] = '\0';
		*rc = text ? bw_pkt_spec_parse(path, text, &d, &s) : -errno;
		bw_pkt_spec_free(&s);
		free(text);
	} else {
		struct bw_ir *ir = NULL;
		size_t n = strlen(path);

		*rc = n > 5 && !strcmp(path + n - 5, ".json") ?
		      bw_json_compile_file(path, &d, &ir) :
		      bw_compile_file(path, &d, &ir);
		bw_ir_free(&ir);
	}
	bw_diags_print(&d, m);
	bw_diags_fini(&d);
	fclose(m);
	return out;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	const char *top = argc > 1 ? argv[1] : BW_TOP_SRCDIR;
	bool update = getenv("BW_BAD_UPDATE") && *getenv("BW_BAD_UPDATE");
	unsigned pass = 0, fail = 0;
	char **names = NULL;
	size_t nnames = 0;
	struct dirent *de;
	DIR *dir;

	if (chdir(top) || !(dir = opendir("tests/bad"))) {
		fprintf(stderr, "check-bad: %s/tests/bad: %s\n", top, strerror(errno));
		return 99;
	}
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);

		if ((n > 5 && !strcmp(de->d_name + n - 5, ".conf")) ||
		    (n > 5 && !strcmp(de->d_name + n - 5, ".json")) ||
		    (n > 4 && !strcmp(de->d_name + n - 4, ".pkt"))) {
			names = realloc(names, (nnames + 1) * sizeof(*names));
			if (!names)
				return 99;
			names[nnames++] = strdup(de->d_name);
		}
	}
	closedir(dir);
	qsort(names, nnames, sizeof(*names), cmp_names);

	for (size_t i = 0; i < nnames; i++) {
		char path[512], errpath[512], *got, *want;
		bool pkt = strstr(names[i], ".pkt") != NULL;
		size_t stem = strlen(names[i]) - (pkt ? 4 : 5);
		int rc = 0;

		snprintf(path, sizeof(path), "tests/bad/%s", names[i]);
		snprintf(errpath, sizeof(errpath), "tests/bad/%.*s.err",
			 (int)stem, names[i]);
		got = run(path, pkt, &rc);
		want = slurp(errpath);
		if (update && got) {
			FILE *f = fopen(errpath, "w");

			if (f) {
				fputs(got, f);
				fclose(f);
			}
			free(want);
			want = strdup(got);
		}
		if (!rc) {
			printf("FAIL %s: accepted, but it must be rejected\n", path);
			fail++;
		} else if (!want) {
			printf("FAIL %s: no %s\n--- got:\n%s", path, errpath,
			       got ? got : "");
			fail++;
		} else if (!got || strcmp(got, want)) {
			printf("FAIL %s: output differs\n--- want:\n%s--- got:\n%s",
			       path, want, got ? got : "");
			fail++;
		} else {
			printf("ok   %s\n", path);
			pass++;
		}
		free(got);
		free(want);
		free(names[i]);
	}
	free(names);
	printf("%u passed, %u failed\n", pass, fail);
	if (!pass && !fail)
		return 99;
	return fail ? 1 : 0;
}
