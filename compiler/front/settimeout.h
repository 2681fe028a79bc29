/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Set timeouts: `flags timeout`, `timeout T` and `gc-interval T` in a set
 * declaration, and `add|update @s { KEY timeout T }` from a rule.  An
 * element expires T after it was added (update: refreshed); a lookup
 * does not find an expired element.  In the IR: bw_ir_set.timeout,
 * timeout_ms, gc_ms and bw_ir_dynset.timeout_ms; in BPF the element's
 * value holds its expiry (setmap.h struct bw_set_value.expires).
 */
#pragma once

#include <stdint.h>

#include "evaluate.h"

/* A time as nft writes it (1h30m, 10s, 500ms, plain seconds) in ms:
 * 0, -EINVAL (not a time) or -ERANGE (more than UINT32_MAX ms). */
int bw_settimeout_parse(const char *text, uint32_t *ms);

/* ms as nft prints it: 1h30m, 10s, 500ms (0: "0s"). */
void bw_settimeout_print(struct bw_pbuf *b, uint64_t ms);

/* The set's timeout items (sd->timeout, sd->gc_interval; the flag comes
 * from set_flags: s->timeout) checked as nft does and put in s.  0 or
 * -EINVAL. */
int bw_settimeout_def(struct bw_eval *ev, struct bw_ir_set *s,
		      const struct bw_ast_setdef *sd);

/* `timeout T` after a set statement's key (s->dyn_extra): d->timeout_ms
 * (the set's own when not given).  0 or -EINVAL. */
int bw_settimeout_dynset(struct bw_eval *ev, const struct bw_ast_stmt *s,
			 const struct bw_ir_set *set, struct bw_ir_dynset *d);

/* A set declaration's flags line and timeout lines as nft 1.0.6 lists
 * them (set->timeout only): flags in nft's order (dynamic when rules
 * change the set), without timeout when a timeout is given and no other
 * flag is printed; then `timeout T` and `gc-interval T`. */
void bw_settimeout_print_decl(struct bw_pbuf *b, const struct bw_ast_setdef *sd,
			      const struct bw_ir_set *set);

/* A set element's own `timeout T` (e->elem_timeout) into x, checked:
 * the set must have timeouts.  0 or -EINVAL. */
int bw_settimeout_elem(struct bw_eval *ev, const struct bw_ir_set *s,
		       const struct bw_ast_expr *e, struct bw_ir_setelem *x);

/* " timeout T" of a set element that gives one. */
void bw_settimeout_print_elem(struct bw_pbuf *b, const struct bw_ast_expr *e);

/* " timeout T expires E" of element e of set s as nft lists it: its own
 * timeout, and the time left when it was read from a map. */
void bw_settimeout_print_irelem(struct bw_pbuf *b, const struct bw_ir_set *s,
				const struct bw_ir_setelem *e);

/* " timeout T" of a set statement that gives one. */
void bw_settimeout_print_dyn(struct bw_pbuf *b, const struct bw_ast_stmt *s);
