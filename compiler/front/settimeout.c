// SPDX-License-Identifier: GPL-2.0-only
/*
 * Set timeouts (settimeout.h): evaluation and printing.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "settimeout.h"

int bw_settimeout_parse(const char *text, uint32_t *ms)
{
	const char *p = text;
	uint64_t sum = 0;

	if (!*p)
		return -EINVAL;
	if (strspn(p, "0123456789") == strlen(p)) {	/* seconds */
		unsigned long long n = strtoull(p, NULL, 10);

		if (strlen(p) > 10 || n > UINT32_MAX / 1000)
			return -ERANGE;
		*ms = (uint32_t)(n * 1000);
		return 0;
	}
	while (*p) {
		char *end;
		unsigned long long n;
		uint64_t mul;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		n = strtoull(p, &end, 10);
		if (end - p > 10)
			return -ERANGE;
		if (!strncmp(end, "ms", 2)) {
			mul = 1;
			end += 2;
		} else {
			switch (*end) {
			case 'd': mul = 86400000; break;
			case 'h': mul = 3600000; break;
			case 'm': mul = 60000; break;
			case 's': mul = 1000; break;
			default: return -EINVAL;
			}
			end++;
		}
		sum += n * mul;
		if (sum > UINT32_MAX)
			return -ERANGE;
		p = end;
	}
	*ms = (uint32_t)sum;
	return 0;
}

void bw_settimeout_print(struct bw_pbuf *b, uint64_t ms)
{
	static const struct { char u[3]; uint64_t ms; } parts[] = {
		{ "d", 86400000 }, { "h", 3600000 }, { "m", 60000 },
		{ "s", 1000 }, { "ms", 1 },
	};

	if (!ms) {
		bw_pbuf_put(b, "0s");
		return;
	}
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (ms >= parts[i].ms) {
			bw_pbuf_printf(b, "%llu%s", (unsigned long long)(ms / parts[i].ms),
				       parts[i].u);
			ms %= parts[i].ms;
		}
}

static int time_of(struct bw_eval *ev, const struct bw_ast_expr *v,
		   const char *what, uint32_t *ms)
{
	if (bw_settimeout_parse(v->text, ms))
		return bw_eval_error(ev, &v->loc, "invalid %s \"%s\" (a time: 1h30m, 10s, 500ms, at most 49d17h2m47s295ms)",
				     what, v->text);
	return 0;
}

int bw_settimeout_def(struct bw_eval *ev, struct bw_ir_set *s,
		      const struct bw_ast_setdef *sd)
{
	if (sd->timeout) {
		if (time_of(ev, sd->timeout, "timeout", &s->timeout_ms))
			return -EINVAL;
		s->timeout |= s->timeout_ms != 0;	/* nft: implied */
	}
	if (sd->gc_interval) {
		if (time_of(ev, sd->gc_interval, "gc-interval", &s->gc_ms))
			return -EINVAL;
		if (!s->timeout)	/* the kernel's EINVAL */
			return bw_eval_error(ev, &sd->gc_interval->loc, "gc-interval needs a set with timeouts (flags timeout, or timeout T)");
	}
	return 0;
}

int bw_settimeout_dynset(struct bw_eval *ev, const struct bw_ast_stmt *s,
			 const struct bw_ir_set *set, struct bw_ir_dynset *d)
{
	d->timeout_ms = set->timeout_ms;
	if (!s->dyn_extra)
		return 0;
	if (!s->dyn_extra_val)
		return bw_eval_error(ev, &s->dyn_extra_loc, "%s on an element a rule adds is not supported yet (bpfwall's sets have no per-element counters)",
				     s->dyn_extra);
	if (strcmp(s->dyn_extra, "timeout"))
		return bw_eval_error(ev, &s->dyn_extra_loc, "syntax error, unexpected %s, expecting timeout",
				     s->dyn_extra);
	if (!set->timeout)	/* the kernel's EOPNOTSUPP */
		return bw_eval_error(ev, &s->dyn_extra_loc, "@%s has no timeouts: an element with a timeout needs a set with flags timeout (or timeout T)",
				     s->dyn_set);
	if (time_of(ev, s->dyn_extra_val, "timeout", &d->timeout_ms))
		return -EINVAL;
	return 0;
}

static bool has_flag(const struct bw_ast_setdef *sd, const char *name)
{
	for (const struct bw_ast_expr *f = sd->flags ? sd->flags->elems : NULL;
	     f; f = f->next)
		if (!strcmp(f->text, name))
			return true;
	return false;
}

void bw_settimeout_print_decl(struct bw_pbuf *b, const struct bw_ast_setdef *sd,
			      const struct bw_ir_set *set)
{
	bool flag[4] = { has_flag(sd, "constant"), set->dynamic,
			 set->interval, true };
	static const char *const name[4] = { "constant", "dynamic",
					      "interval", "timeout" };
	const char *sep = "\t\tflags ";

	/* nft 1.0.6 drops the timeout flag when a timeout is given, only
	 * if it is the one flag */
	if ((flag[0] || flag[1] || flag[2] || !set->timeout_ms)) {
		for (int i = 0; i < 4; i++)
			if (flag[i]) {
				bw_pbuf_printf(b, "%s%s", sep, name[i]);
				sep = ",";
			}
		bw_pbuf_put(b, "\n");
	}
	if (set->timeout_ms) {
		bw_pbuf_put(b, "\t\ttimeout ");
		bw_settimeout_print(b, set->timeout_ms);
		bw_pbuf_put(b, "\n");
	}
	if (set->gc_ms) {
		bw_pbuf_put(b, "\t\tgc-interval ");
		bw_settimeout_print(b, set->gc_ms);
		bw_pbuf_put(b, "\n");
	}
}

void bw_settimeout_print_dyn(struct bw_pbuf *b, const struct bw_ast_stmt *s)
{
	uint32_t ms;

	if (!s->dyn_extra || !s->dyn_extra_val || strcmp(s->dyn_extra, "timeout") ||
	    bw_settimeout_parse(s->dyn_extra_val->text, &ms))
		return;
	bw_pbuf_put(b, " timeout ");
	bw_settimeout_print(b, ms);
}

int bw_settimeout_elem(struct bw_eval *ev, const struct bw_ir_set *s,
		       const struct bw_ast_expr *e, struct bw_ir_setelem *x)
{
	if (!e->elem_timeout)
		return 0;
	if (!s->timeout)	/* the kernel's EINVAL */
		return bw_eval_error(ev, &e->elem_timeout->loc, "an element's timeout needs a set with timeouts (flags timeout, or timeout T)");
	return time_of(ev, e->elem_timeout, "timeout", &x->timeout_ms);
}

void bw_settimeout_print_elem(struct bw_pbuf *b, const struct bw_ast_expr *e)
{
	uint32_t ms;

	if (!e->elem_timeout || bw_settimeout_parse(e->elem_timeout->text, &ms) || !ms)
		return;
	bw_pbuf_put(b, " timeout ");
	bw_settimeout_print(b, ms);
}

void bw_settimeout_print_irelem(struct bw_pbuf *b, const struct bw_ir_set *s,
				const struct bw_ir_setelem *e)
{
	if (!s->timeout)
		return;
	if (e->timeout_ms && e->timeout_ms != s->timeout_ms) {
		bw_pbuf_put(b, " timeout ");
		bw_settimeout_print(b, e->timeout_ms);
	}
	if (e->expires_ms) {
		bw_pbuf_put(b, " expires ");
		bw_settimeout_print(b, e->expires_ms);
	}
}
