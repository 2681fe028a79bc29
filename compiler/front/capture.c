// SPDX-License-Identifier: GPL-2.0-only
/* A capture expression as a one-rule ruleset (see capture.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "compile.h"

#define HEAD	"table netdev capture {\nchain c {\n" \
		"type filter hook ingress device \"" BW_CAPTURE_DEV "\" priority 0; policy drop;\n"
#define EXPR_LINE 4	/* the line of HEAD's text after which EXPR stands */

/* Point diagnostics inside EXPR at a source holding EXPR alone. */
static void relocate(struct bw_diags *d, const struct bw_src *wrap,
		     const char *expr)
{
	const struct bw_src *user = NULL;
	size_t len = strlen(expr);

	for (struct bw_diag *g = d->head; g; g = g->next) {
		struct bw_loc *l = &g->loc;

		if (l->src != wrap || l->line != EXPR_LINE || l->col > len)
			continue;
		if (!user)
			user = bw_src_string(d, "<capture>", expr);
		if (!user)
			return;
		l->src = user;
		l->line = l->end_line = 1;
		if (l->end_col > len || l->end_line != 1)
			l->end_col = (uint32_t)len;
	}
}

int bw_capture_compile(const char *expr, struct bw_diags *d, struct bw_ir **out)
{
	const struct bw_src *wrap = NULL;
	size_t len;
	char *text;
	int err;

	*out = NULL;
	if (strchr(expr, '\n') || strchr(expr, ';') || strchr(expr, '#')) {
		bw_error(d, NULL, "capture: the expression must be one line of matches");
		return -EINVAL;
	}
	len = strlen(HEAD) + strlen(expr) + 32;
	text = malloc(len);
	if (!text)
		return -ENOMEM;
	snprintf(text, len, "%s%s accept\n}\n}\n", HEAD, expr);
	err = bw_compile_string("<capture rule>", text, d, out);
	free(text);
	if (!err && (*out)->nchain >= 1 && (*out)->chain[0].nft) {
		/* a key only the kernel's nf_tables reads (meta skuid, meta
		 * priority...) would send a netdev chain there: a packet
		 * socket's filter has none of them */
		bw_error(d, &(*out)->chain[0].nft_why,
			 "capture: this is read by the kernel's nf_tables, not from the packet: a capture cannot match it");
		bw_ir_free(out);
		err = -EINVAL;
	}
	for (const struct bw_src *s = d->srcs; s; s = s->next)
		if (s->name && !strcmp(s->name, "<capture rule>"))
			wrap = s;
	if (wrap)
		relocate(d, wrap, expr);
	if (!err && ((*out)->nchain != 1 || (*out)->chain[0].nrule != 1)) {
		bw_error(d, NULL, "capture: the expression must be the matches of one rule");
		bw_ir_free(out);
		return -EINVAL;
	}
	if (!err && bw_ir_uses_field(*out, BW_F_CT_STATE)) {
		/* a packet socket sees packets, not the firewall's flows */
		bw_error(d, NULL, "capture: ct state is the firewall's, not a packet's: a capture cannot match it");
		bw_ir_free(out);
		return -EINVAL;
	}
	return err;
}
