// SPDX-License-Identifier: GPL-2.0-only
/*
 * The JSON tests' helper (tests/e2e/json.sh):
 *   json-tool print [-j] FILE  FILE as `bpfwall -j list ruleset` prints it
 *                              after a load (counters as written), without
 *                              loading anything; -j: FILE is nft's JSON
 *   json-tool text [-j] FILE   FILE's canonical text (what `list ruleset`
 *                              prints), FILE read as nft's JSON with -j
 *   json-tool norm [DEVFROM]   stdin's nft JSON, normalized to compare:
 *                              no metainfo, no handles, counters zeroed,
 *                              sets of interface names sorted (nft lists
 *                              them in its hash table's order);
 *                              DEVFROM (bpfwall's JSON): chains take its
 *                              "dev" (nft 1.0.6 omits it); one key a line
 *   json-tool adddev DEVFROM   stdin's nft JSON as it is, but its chains
 *                              with DEVFROM's "dev" (to load it again)
 *                              and its sets of interface names sorted
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "compiler/front/compile.h"
#include "compiler/json/json.h"

static int text(const char *path, bool json, bool as_json)
{
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	char *t = NULL;
	int err;

	bw_diags_init(&d);
	err = json ? bw_json_compile_file(path, &d, &ir) :
	      bw_compile_file(path, &d, &ir);
	if (!err && d.nerrors)
		err = -1;
	if (!err)
		t = bw_ir_text_render(ir->text, bw_ir_counter_initial, ir);
	if (t && as_json)
		err = bw_json_print_ruleset(t, NULL, stdout, &d);
	else if (t)
		fputs(t, stdout);
	bw_diags_print(&d, stderr);
	bw_diags_fini(&d);
	free(t);
	bw_ir_free(&ir);
	return err || !t ? 1 : 0;
}

/* The chain of list with this family, table and name, or NULL. */
static json_t *chain_in(json_t *list, json_t *c)
{
	size_t i;
	json_t *x;

	json_array_foreach(list, i, x) {
		json_t *o = json_object_get(x, "chain");

		if (o && json_equal(json_object_get(o, "family"), json_object_get(c, "family")) &&
		    json_equal(json_object_get(o, "table"), json_object_get(c, "table")) &&
		    json_equal(json_object_get(o, "name"), json_object_get(c, "name")))
			return o;
	}
	return NULL;
}

static void strip(json_t *j)
{
	const char *k;
	json_t *v;
	void *tmp;
	size_t i;

	if (json_is_object(j)) {
		json_object_del(j, "handle");
		if (json_object_get(j, "packets") && json_object_get(j, "bytes")) {
			json_object_set_new(j, "packets", json_integer(0));
			json_object_set_new(j, "bytes", json_integer(0));
		}
		json_object_foreach_safe(j, tmp, k, v)
			strip(v);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			strip(v);
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a),
		      json_string_value(*(json_t *const *)b));
}

/* Sort the strings of array a (n > 1 of them, all strings). */
static void sort_strings(json_t *a)
{
	size_t i, n = json_is_array(a) ? json_array_size(a) : 0;
	json_t **e;

	for (i = 0; i < n && json_is_string(json_array_get(a, i)); i++)
		;
	if (n < 2 || i < n || !(e = malloc(n * sizeof(*e))))
		return;
	for (i = 0; i < n; i++)
		e[i] = json_incref(json_array_get(a, i));
	qsort(e, n, sizeof(*e), cmp_str);
	json_array_clear(a);
	for (i = 0; i < n; i++)
		json_array_append_new(a, e[i]);
	free(e);
}

/* A set of interface names ({"match": {"left": {"meta": {"key":
 * "iifname"}}, "right": {"set": [...]}}}) in sorted order: nft lists it
 * in its hash table's order, which the kernel's random seed picks anew
 * for every set; a set has none. */
static void sort_name_sets(json_t *j)
{
	static const char *const keys[] = { "iifname", "oifname", "iif", "oif" };
	const char *k;
	json_t *v, *m, *key;
	size_t i;

	if (json_is_object(j)) {
		m = json_object_get(j, "match");
		key = m ? json_object_get(json_object_get(json_object_get(m, "left"), "meta"), "key") : NULL;
		for (i = 0; json_is_string(key) && i < sizeof(keys) / sizeof(keys[0]); i++)
			if (!strcmp(json_string_value(key), keys[i]))
				sort_strings(json_object_get(json_object_get(m, "right"), "set"));
		json_object_foreach(j, k, v)
			sort_name_sets(v);
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			sort_name_sets(v);
	}
}

static int norm(const char *devfrom, bool keep)
{
	json_t *root = json_loadf(stdin, 0, NULL), *list, *out, *from = NULL, *x;
	size_t i;

	if (!root || !(list = json_object_get(root, "nftables"))) {
		fprintf(stderr, "json-tool: stdin is not nft's JSON\n");
		return 1;
	}
	if (devfrom) {
		from = json_load_file(devfrom, 0, NULL);
		if (!from) {
			fprintf(stderr, "json-tool: cannot read %s\n", devfrom);
			return 1;
		}
	}
	out = json_array();
	json_array_foreach(list, i, x) {
		json_t *c = json_object_get(x, "chain"), *f;

		if (json_object_get(x, "metainfo"))
			continue;
		if (c && from && !json_object_get(c, "dev") &&
		    (f = chain_in(json_object_get(from, "nftables"), c)) &&
		    json_object_get(f, "dev"))
			json_object_set(c, "dev", json_object_get(f, "dev"));
		json_array_append(out, x);
	}
	sort_name_sets(root);
	if (keep) {	/* the file as it was, chains with their "dev" */
		json_dumpf(root, stdout, 0);
		fputc('\n', stdout);
		json_decref(out);
		json_decref(root);
		json_decref(from);
		return 0;
	}
	strip(out);
	json_dumpf(out, stdout, JSON_INDENT(1));
	fputc('\n', stdout);
	json_decref(out);
	json_decref(root);
	json_decref(from);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "print"))
		return text(argv[2], false, true);
	if (argc == 4 && !strcmp(argv[1], "print") && !strcmp(argv[2], "-j"))
		return text(argv[3], true, true);
	if (argc == 3 && !strcmp(argv[1], "text"))
		return text(argv[2], false, false);
	if (argc == 4 && !strcmp(argv[1], "text") && !strcmp(argv[2], "-j"))
		return text(argv[3], true, false);
	if (argc <= 3 && argc >= 2 && !strcmp(argv[1], "norm"))
		return norm(argc == 3 ? argv[2] : NULL, false);
	if (argc == 3 && !strcmp(argv[1], "adddev"))
		return norm(argv[2], true);
	fprintf(stderr, "usage: json-tool print [-j] FILE | text [-j] FILE | norm [DEVFROM] | adddev DEVFROM\n");
	return 2;
}
