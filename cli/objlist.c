// SPDX-License-Identifier: GPL-2.0-only
/*
 * list counters|quotas|limits|flowtables and list
 * counter|quota|limit|flowtable FAMILY TABLE NAME: the named objects (and
 * flowtables) of the running ruleset, with their state, as
 * nft lists them: each table that has objects, with those of the type
 * asked for (nft prints such a table with none as an empty block).  The
 * running ruleset's listing (runtime/list.c) is filtered.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "runtime/rt.h"

/* The object type of a word: "counter" for counter and counters. */
static const char *kind_of(const char *word, bool *plural)
{
	static const char *const kinds[] = { "counter", "quota", "limit", "flowtable" };

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i]);

		if (!strncmp(word, kinds[i], n) && (!word[n] || !strcmp(word + n, "s"))) {
			*plural = word[n] == 's';
			return kinds[i];
		}
	}
	return NULL;
}

/* Is line the first of an object ("\tcounter NAME {"); *kind its type
 * (its first word), *name its name. */
static bool obj_line(const char *line, char *kind, size_t klen, char *name,
		     size_t nlen)
{
	static const char *const types[] = {
		"counter ", "quota ", "limit ", "ct helper ", "ct timeout ",
		"ct expectation ", "flowtable ",
	};
	size_t len = strlen(line);

	if (line[0] != '\t' || line[1] == '\t' || len < 4 || strcmp(line + len - 2, " {"))
		return false;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = strlen(types[i]);

		if (strncmp(line + 1, types[i], n))
			continue;
		snprintf(kind, klen, "%.*s", (int)(n - 1), types[i]);
		snprintf(name, nlen, "%.*s", (int)(len - 1 - n - 2), line + 1 + n);
		return true;
	}
	return false;
}

/* Copy from text the tables that have objects, with the objects of kind
 * (plural), or the table FAMILY TABLE with object NAME; *found: one was. */
static void filter(const char *text, const char *kind, const char *family,
		   const char *table, const char *name, FILE *out, bool *found)
{
	char *copy = strdup(text), *save = NULL, *line, *buf = NULL;
	bool objs = false, tmatch = false, tfound = false, in_obj = false, show = false;
	size_t len = 0;
	FILE *tab = NULL;

	if (!copy)
		return;
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char f[16], t[256], k[32], n[256];

		if (!strncmp(line, "table ", 6)) {
			if (tab) {
				fclose(tab);
				free(buf);
				buf = NULL;
			}
			objs = tfound = in_obj = false;
			tmatch = !family || (sscanf(line, "table %15s %255s", f, t) == 2 &&
					     !strcmp(f, family) && !strcmp(t, table));
			tab = open_memstream(&buf, &len);
			if (tab)
				fprintf(tab, "%s\n", line);
		} else if (!tab) {
			continue;
		} else if (!strcmp(line, "}")) {
			fputs("}\n", tab);
			fclose(tab);
			tab = NULL;
			if (name ? tfound : objs)
				fputs(buf, out);
			free(buf);
			buf = NULL;
		} else if (in_obj) {
			if (show)
				fprintf(tab, "%s\n", line);
			if (!strcmp(line, "\t}"))
				in_obj = false;
		} else if (obj_line(line, k, sizeof(k), n, sizeof(n))) {
			objs = in_obj = true;
			show = !strcmp(k, kind) && (!name || (tmatch && !strcmp(n, name)));
			if (show) {
				fprintf(tab, "%s\n", line);
				tfound = *found = true;
			}
		}
	}
	if (tab) {
		fclose(tab);
		free(buf);
	}
	free(copy);
}

int bw_cli_list_objs(const struct bw_cli *c, const char *what)
{
	char *buf = NULL, fam[16] = "", tab[256] = "", name[256] = "", extra[2];
	const char *kind;
	struct bw_diags d;
	bool plural = false, found = false;
	size_t len = 0;
	FILE *mem;
	int err, n;

	kind = kind_of(what, &plural);
	if (!kind)
		return bw_cli_usage("list: unknown object type \"%s\"", what);
	if (!plural) {
		n = sscanf(c->words, "%15s %255s %255s %1s", fam, tab, name, extra);
		if (n != 3)
			return bw_cli_usage("list %s: expected \"list %s FAMILY TABLE NAME\"",
					    kind, kind);
	}
	if (c->json)
		return bw_cli_usage("list %s: no JSON form yet (list ruleset -j has the objects)",
				    what);
	mem = open_memstream(&buf, &len);
	if (!mem)
		return BW_EXIT_ERROR;
	bw_diags_init(&d);
	err = bw_rt_list(&c->rt, false, mem, &d);
	if (fclose(mem) && !err)
		err = -ENOMEM;
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	if (err) {
		fprintf(stderr, "Error: listing the ruleset failed: %s\n", strerror(-err));
		free(buf);
		return BW_EXIT_ERROR;
	}
	filter(buf, kind, plural ? NULL : fam, tab, plural ? NULL : name, stdout, &found);
	free(buf);
	if (!plural && !found) {
		fprintf(stderr, "Error: no %s %s in table %s %s\n", kind, name, fam, tab);
		return BW_EXIT_ERROR;
	}
	return BW_EXIT_OK;
}
