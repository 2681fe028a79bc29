// SPDX-License-Identifier: GPL-2.0-only
/* Sources, locations and nft-style diagnostics (see diag.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static const char *const level_name[] = {
	[BW_DIAG_ERROR] = "Error",
	[BW_DIAG_WARNING] = "Warning",
	[BW_DIAG_NOTE] = "Note",
};

void bw_diags_init(struct bw_diags *d)
{
	memset(d, 0, sizeof(*d));
	d->tail = &d->head;
	d->max_print = 10;
}

static void diag_list_free(struct bw_diags *d)
{
	struct bw_diag *r, *next;

	for (r = d->head; r; r = next) {
		next = r->next;
		free(r->msg);
		free(r);
	}
	d->head = NULL;
	d->tail = &d->head;
}

void bw_diags_fini(struct bw_diags *d)
{
	struct bw_src *s, *next;

	diag_list_free(d);
	for (s = d->srcs; s; s = next) {
		next = s->next;
		free(s->name);
		free(s->text);
		free(s);
	}
	d->srcs = NULL;
}

static struct bw_src *src_add(struct bw_diags *d, const char *name, char *text,
			      size_t len)
{
	struct bw_src *s = calloc(1, sizeof(*s));

	if (!s || !(s->name = strdup(name))) {
		free(s);
		free(text);
		return NULL;
	}
	s->text = text;
	s->len = len;
	s->next = d->srcs;
	d->srcs = s;
	return s;
}

const struct bw_src *bw_src_string(struct bw_diags *d, const char *name,
				   const char *text)
{
	char *copy = strdup(text);

	if (!copy)
		return NULL;
	return src_add(d, name, copy, strlen(copy));
}

const struct bw_src *bw_src_read(struct bw_diags *d, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		bw_error(d, NULL, "Could not open file \"%s\": %s", path,
			 strerror(errno));
		return NULL;
	}
	do {
		if (len > BW_SRC_MAX) {
			free(buf);
			fclose(f);
			bw_error(d, NULL, "%s: larger than %d MiB: not a rule file",
				 path, BW_SRC_MAX >> 20);
			return NULL;
		}
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap += 65536);

			if (!nb) {
				free(buf);
				fclose(f);
				bw_error(d, NULL, "%s: out of memory", path);
				return NULL;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		bw_error(d, NULL, "Could not read file \"%s\": %s", path,
			 strerror(errno));
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	return src_add(d, path, buf, len);
}

void bw_diag(struct bw_diags *d, enum bw_diag_level lvl,
	     const struct bw_loc *loc, const char *fmt, ...)
{
	struct bw_diag *r = calloc(1, sizeof(*r));
	va_list ap;

	if (!r)
		return;
	va_start(ap, fmt);
	if (vasprintf(&r->msg, fmt, ap) < 0)
		r->msg = NULL;
	va_end(ap);
	r->level = lvl;
	if (loc)
		r->loc = *loc;
	*d->tail = r;
	d->tail = &r->next;
	if (lvl == BW_DIAG_ERROR)
		d->nerrors++;
	else if (lvl == BW_DIAG_WARNING)
		d->nwarnings++;
}

/* The text of line `line` (1-based) of s, and its length. */
static const char *src_line(const struct bw_src *s, uint32_t line, size_t *len)
{
	const char *p = s->text, *end = s->text + s->len, *nl;

	for (uint32_t i = 1; i < line && p < end; i++) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	nl = memchr(p, '\n', end - p);
	*len = (nl ? nl : end) - p;
	return p;
}

static void print_one(const struct bw_diag *r, FILE *f)
{
	const struct bw_loc *l = &r->loc;
	const char *line;
	size_t len = 0;
	uint32_t last;

	if (!l->src) {
		fprintf(f, "%s: %s\n", level_name[r->level], r->msg ? r->msg : "?");
		return;
	}
	/* A span on several lines is underlined to the end of its first. */
	line = src_line(l->src, l->line, &len);
	last = (l->end_line == l->line && l->end_col >= l->col) ? l->end_col :
	       (uint32_t)len;
	if (last > l->col)
		fprintf(f, "%s:%u:%u-%u: ", l->src->name, l->line, l->col, last);
	else
		fprintf(f, "%s:%u:%u: ", l->src->name, l->line, l->col);
	fprintf(f, "%s: %s\n", level_name[r->level], r->msg ? r->msg : "?");
	if (!line)
		return;
	fprintf(f, "%.*s\n", (int)len, line);
	for (uint32_t c = 1; c < l->col; c++)
		fputc(c - 1 < len && line[c - 1] == '\t' ? '\t' : ' ', f);
	for (uint32_t c = l->col; c <= (last > l->col ? last : l->col); c++)
		fputc('^', f);
	fputc('\n', f);
}

void bw_diags_print(struct bw_diags *d, FILE *f)
{
	unsigned nerr = 0, skipped = 0;

	for (struct bw_diag *r = d->head; r; r = r->next) {
		if (r->level == BW_DIAG_ERROR && ++nerr > d->max_print) {
			skipped++;
			continue;
		}
		print_one(r, f);
	}
	if (skipped)
		fprintf(f, "Error: %u more errors not shown\n", skipped);
	diag_list_free(d);
}

struct bw_loc bw_loc_join(const struct bw_loc *a, const struct bw_loc *b)
{
	struct bw_loc l = *a;

	l.end_line = b->end_line;
	l.end_col = b->end_col;
	return l;
}
