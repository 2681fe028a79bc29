// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sets and maps: `set NAME { ... }` and `map NAME { ... }` definitions,
 * their elements, and the matches that look keys up in them (a named set,
 * a concatenation of fields, a vmap, or a literal set large enough that a
 * map lookup beats comparing element by element).  Types come from the
 * fields table: a set's key component is typed by a field (`typeof ip
 * saddr`) or by an nft type name standing for one (`type ipv4_addr`).
 * Errors carry a caret, as everywhere in evaluate.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "rawpay.h"
#include "setmap.h"
#include "tunnel.h"
#include "settimeout.h"
#include "mapcat.h"

/* nft type names and the field whose type each stands for. */
static const struct {
	const char *name;
	enum bw_field_id field;
} set_types[] = {
	{ "ipv4_addr", BW_F_IP_SADDR },
	{ "ipv6_addr", BW_F_IP6_SADDR },
	{ "ether_addr", BW_F_ETHER_SADDR },
	{ "inet_proto", BW_F_META_L4PROTO },
	{ "inet_service", BW_F_TCP_DPORT },
	{ "mark", BW_F_META_MARK },
	{ "ifname", BW_F_META_IIFNAME },
	{ "ether_type", BW_F_ETHER_TYPE },
	{ "icmp_type", BW_F_ICMP_TYPE },
	{ "icmpv6_type", BW_F_ICMP6_TYPE },
	{ "pkttype", BW_F_META_PKTTYPE },
	{ "nf_proto", BW_F_META_NFPROTO },
	{ "dscp", BW_F_IP_DSCP },
};

static const char *type_name(enum bw_field_id id)
{
	const struct bw_field *f = bw_field(id);

	for (size_t i = 0; i < sizeof(set_types) / sizeof(set_types[0]); i++) {
		const struct bw_field *t = bw_field(set_types[i].field);

		if (t->type == f->type && t->size == f->size && t->bits == f->bits)
			return set_types[i].name;
	}
	return NULL;
}

/* Can field a be looked up in a set whose component is typed by b? */
static bool compatible(enum bw_field_id a, enum bw_field_id b)
{
	const struct bw_field *x = bw_field(a), *y = bw_field(b);

	if (x->type == y->type && x->bits && x->bits == y->bits &&
	    x->size >= y->size)	/* a bit field's value: ip6 dscp, dscp */
		return true;
	if (x->raw && x->size == 2 && y->type == BW_T_INET_SERVICE)
		return true;	/* th sport, th dport: nft's inet_service */
	return x->type == y->type && x->size == y->size && x->bits == y->bits &&
	       x->big_endian == y->big_endian;
}

uint32_t bw_ir_set_find_name(const struct bw_ir *ir, enum bw_family family,
			     const char *table, const char *name)
{
	for (uint32_t i = 0; ir && i < ir->nset; i++) {
		const struct bw_ir_set *s = &ir->set[i];

		if (s->name && s->family == family && !strcmp(s->table, table) &&
		    !strcmp(s->name, name))
			return i;
	}
	return UINT32_MAX;
}

void bw_eval_pending(struct bw_eval *ev, const struct bw_pending_target *t)
{
	if (ev->npend == ev->cap_pend) {
		uint32_t cap = ev->cap_pend ? ev->cap_pend * 2 : 16;
		struct bw_pending_target *v = reallocarray(ev->pend, cap, sizeof(*v));

		if (!v) {
			ev->oom = true;
			return;
		}
		ev->pend = v;
		ev->cap_pend = cap;
	}
	ev->pend[ev->npend++] = *t;
}

/* A new, empty set in ev->ir; its index or UINT32_MAX (out of memory). */
static uint32_t set_new(struct bw_eval *ev, const char *name,
			const struct bw_loc *loc)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_set *s;

	if (ir->nset == ev->cap_set) {
		uint32_t cap = ev->cap_set ? ev->cap_set * 2 : 8;
		struct bw_ir_set *v = reallocarray(ir->set, cap, sizeof(*v));

		if (!v) {
			ev->oom = true;
			return UINT32_MAX;
		}
		ir->set = v;
		ev->cap_set = cap;
	}
	s = &ir->set[ir->nset];
	memset(s, 0, sizeof(*s));
	s->family = ev->family;
	s->loc = *loc;
	if ((name && !(s->name = strdup(name))) ||
	    !(s->table = strdup(ev->table ? ev->table : ""))) {
		free(s->name);
		ev->oom = true;
		return UINT32_MAX;
	}
	return ir->nset++;
}

static struct bw_ir_setelem *elem_new(struct bw_eval *ev, struct bw_ir_set *s,
				      uint32_t *cap)
{
	if (s->nelem == *cap) {
		uint32_t c = *cap ? *cap * 2 : 8;
		struct bw_ir_setelem *v = reallocarray(s->elem, c, sizeof(*v));

		if (!v) {
			ev->oom = true;
			return NULL;
		}
		s->elem = v;
		*cap = c;
	}
	memset(&s->elem[s->nelem], 0, sizeof(s->elem[0]));
	return &s->elem[s->nelem++];
}

/* The field a `typeof` names, through the same lookup as a match's. */
static const struct bw_field *fref_field(struct bw_eval *ev,
					 const struct bw_ast_fref *fr)
{
	struct bw_ast_stmt tmp = { .kind = BW_AS_MATCH };

	tmp.proto = fr->proto;
	tmp.field = fr->field;
	tmp.proto_loc = fr->proto_loc;
	tmp.field_loc = fr->field_loc;
	if (bw_rawpay_is(fr->proto, fr->field)) {	/* raw payload: each match reads its own */
		bw_eval_error(ev, &fr->proto_loc, "%s,%s: a raw payload in a set's type is not supported",
			      fr->proto, fr->field);
		return NULL;
	}
	return bw_eval_field(ev, &tmp);
}

static bool set_keys_add(struct bw_eval *ev, struct bw_ir_set *s,
			 const struct bw_field *f, const struct bw_loc *loc)
{
	if (s->nkey == BW_SET_MAX_KEYS) {
		bw_eval_error(ev, loc, "at most %d fields in a concatenation",
			      BW_SET_MAX_KEYS);
		return false;
	}
	if (s->keylen + f->size > BW_SET_KEY_MAX) {
		bw_eval_error(ev, loc, "the key is too long (%u bytes, at most %d)",
			      s->keylen + f->size, BW_SET_KEY_MAX);
		return false;
	}
	s->key[s->nkey++] = f->id;
	s->keylen += f->size;
	return true;
}

/* ---- elements ---- */

/* The verdict v of element ei of map s (UINT32_MAX: its catch-all). */
static int verdict_of(struct bw_eval *ev, struct bw_ir_set *s, uint32_t ei,
		      const struct bw_ast_expr *v)
{
	static const struct {
		const char *word;
		enum bw_verdict verdict;
	} words[] = {
		{ "accept", BW_VERDICT_ACCEPT }, { "drop", BW_VERDICT_DROP },
		{ "return", BW_VERDICT_RETURN }, { "continue", BW_VERDICT_CONTINUE },
		{ "jump", BW_VERDICT_JUMP }, { "goto", BW_VERDICT_GOTO },
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(v->text, words[i].word))
			continue;
		(ei == UINT32_MAX ? &s->catchall : &s->elem[ei])->verdict =
			words[i].verdict;
		if (v->right) {
			struct bw_pending_target t = {
				.set = (uint32_t)(s - ev->ir->set), .elem = ei,
				.name = v->right, .what = v->text,
			};

			bw_eval_pending(ev, &t);
		}
		return 0;
	}
	return bw_eval_error(ev, &v->loc, "unknown verdict \"%s\"", v->text);
}

/* Has set s more elements tested in the rule's code (setmap.h
 * BW_SET_ELEM_SCAN) than codegen emits? */
static bool scan_full(const struct bw_ir_set *s)
{
	uint32_t n = 0;

	if (!s->nelem || !bw_set_elem_scan(s, &s->elem[s->nelem - 1]))
		return false;
	for (uint32_t i = 0; i < s->nelem; i++)
		n += bw_set_elem_scan(s, &s->elem[i]);
	return n > BW_SET_SCAN_MAX;
}

/* The value of element x of a map of data s: one value of its type. */
static int data_of(struct bw_eval *ev, const struct bw_ir_set *s,
		   struct bw_ir_setelem *x, const struct bw_ast_expr *val,
		   const struct bw_sym *scope)
{
	const struct bw_field *f = bw_field(s->data);
	uint8_t lo[BW_VAL_MAX] = { 0 }, hi[BW_VAL_MAX] = { 0 };

	if (s->ndata > 1)	/* a concatenation (mapcat.h) */
		return bw_mapcat_elem(ev, s, x, val, scope);
	if (bw_eval_range(ev, f, val, scope, lo, hi))
		return -EINVAL;
	if (memcmp(lo, hi, f->size))
		return bw_eval_error(ev, &val->loc, "a range or a prefix as a map's value is not supported");
	memcpy(x->data, lo, f->size);
	return 0;
}

/* The catch-all element `* : VERDICT` of s: a literal map's (a named
 * map lists what its BPF map holds, where a catch-all has no key). */
static int catchall(struct bw_eval *ev, struct bw_ir_set *s,
		    const struct bw_ast_expr *key, const struct bw_ast_expr *val)
{
	if (!s->map || !s->literal)
		return bw_eval_error(ev, &key->loc, "a catch-all element `*` is supported in a map written in the rule (vmap { ..., * : VERDICT }) only, not in a %s yet",
				     s->map || s->ndata ? "named map" : "set");
	if (s->has_catchall)
		return bw_eval_error(ev, &key->loc, "a map has one catch-all element");
	memset(&s->catchall, 0, sizeof(s->catchall));
	s->catchall.loc = key->loc;
	if (verdict_of(ev, s, UINT32_MAX, val))
		return -EINVAL;
	s->has_catchall = true;
	return 0;
}

/* One element (a value, a concatenation, key : verdict) into set si. */
static int set_elem(struct bw_eval *ev, uint32_t si, uint32_t *cap,
		    const struct bw_ast_expr *e, const struct bw_sym *scope)
{
	const struct bw_ast_expr *key = e, *val = NULL, *comp[BW_SET_MAX_KEYS];
	struct bw_ir_set *s = &ev->ir->set[si];
	struct bw_ir_setelem *x;
	uint32_t n = 0, ei;
	int rc = 0;

	if (e->kind == BW_AE_MAPELEM) {
		key = e->left;
		val = e->right;
	}
	if (s->map && !val)
		return bw_eval_error(ev, &e->loc, "a map element needs a verdict (KEY : VERDICT)");
	if (s->ndata && !val)
		return bw_eval_error(ev, &e->loc, "a map element needs a value (KEY : VALUE)");
	if (!s->map && !s->ndata && val)
		return bw_eval_error(ev, &val->loc, "a set element has no value (a map has)");
	key = bw_sym_resolve(key, &scope);
	if (!key)
		return bw_eval_error(ev, &e->loc, "unknown identifier '%s'",
				     (e->kind == BW_AE_MAPELEM ? e->left : e)->text);
	if (key->kind == BW_AE_SYMBOL && !strcmp(key->text, "*"))
		return catchall(ev, s, key, val);
	if (key->kind == BW_AE_CONCAT) {
		for (const struct bw_ast_expr *c = key->elems; c; c = c->next) {
			if (n < BW_SET_MAX_KEYS)
				comp[n] = c;
			n++;
		}
	} else {
		comp[n++] = key;
	}
	if (n != s->nkey)
		return bw_eval_error(ev, &key->loc, "%u value%s where the key has %u (joined by '.')",
				     n, n == 1 ? "" : "s", s->nkey);
	x = elem_new(ev, s, cap);
	if (!x)
		return -ENOMEM;
	ei = s->nelem - 1;
	x->loc = e->loc;
	if (bw_settimeout_elem(ev, s, e, x))
		rc = -EINVAL;
	for (uint32_t k = 0; k < n; k++) {
		const struct bw_field *f = bw_field(s->key[k]);
		uint32_t off = bw_ir_set_keyoff(s, k);
		uint8_t lo[BW_VAL_MAX] = { 0 }, hi[BW_VAL_MAX] = { 0 };

		if (bw_eval_range(ev, f, comp[k], scope, lo, hi)) {
			rc = -EINVAL;
			continue;
		}
		memcpy(x->lo + off, lo, f->size);
		memcpy(x->hi + off, hi, f->size);
		if (memcmp(lo, hi, f->size) && !s->interval) {
			rc = bw_eval_error(ev, &comp[k]->loc, "You must add 'flags interval' to your set declaration if you want to add prefix elements");
		}
	}
	if (!rc && val && s->ndata)
		rc = data_of(ev, s, x, val, scope);
	else if (!rc && val)
		rc = verdict_of(ev, s, ei, val);
	if (!rc) {
		const char *why;

		if (bw_set_elem_table(s, x, &why) < -1)
			rc = bw_eval_error(ev, &(val ? e->left : e)->loc, "%s", why);
		else if (scan_full(s))
			rc = bw_eval_error(ev, &(val ? e->left : e)->loc, "bpfwall tests at most %u elements with a prefix or range in two or more components in one set",
					   BW_SET_SCAN_MAX);
	}
	if (rc)
		s->nelem--;
	return rc;
}

/* The key must fit the lookup codegen builds (setmap.h). */
static int check_layout(struct bw_eval *ev, const struct bw_ir_set *s,
			const struct bw_loc *loc)
{
	struct bw_set_layout l;

	if (bw_set_layout(s, &l))
		return bw_eval_error(ev, loc, "the key of this %s is too long for a lookup (%u bytes of fields)",
				     s->map ? "map" : "set", s->keylen);
	return 0;
}

static int elems(struct bw_eval *ev, uint32_t si, uint32_t *cap,
		 const struct bw_ast_expr *e, const struct bw_sym *scope)
{
	const struct bw_ast_expr *orig = e;
	int rc = 0;

	e = bw_sym_resolve(e, &scope);
	if (!e)
		return bw_eval_error(ev, &orig->loc, "unknown identifier '%s'",
				     orig->text);
	if (e->kind != BW_AE_SET)
		return bw_eval_error(ev, &e->loc, "expected a set of elements { ... }");
	for (const struct bw_ast_expr *c = e->elems; c; c = c->next) {
		const struct bw_sym *sc = scope;
		const struct bw_ast_expr *r = bw_sym_resolve(c, &sc);

		if (r && r->kind == BW_AE_SET) {	/* a $set inside: flatten */
			if (elems(ev, si, cap, c, scope))
				rc = -EINVAL;
			continue;
		}
		if (set_elem(ev, si, cap, c, scope))
			rc = -EINVAL;
		if (ev->oom)
			return -ENOMEM;
	}
	return rc;
}

int bw_eval_set_elems(struct bw_eval *ev, uint32_t si,
		      const struct bw_ast_expr *e, const struct bw_sym *scope)
{
	uint32_t cap = ev->ir->set[si].nelem;

	return elems(ev, si, &cap, e, scope);
}

/* Do elements a and b have a key in common? */
static bool overlap(const struct bw_ir_set *s, const struct bw_ir_setelem *a,
		    const struct bw_ir_setelem *b)
{
	for (uint32_t k = 0; k < s->nkey; k++) {
		uint32_t off = bw_ir_set_keyoff(s, k), n = bw_field(s->key[k])->size;

		if (memcmp(a->lo + off, b->hi + off, n) > 0 ||
		    memcmp(b->lo + off, a->hi + off, n) > 0)
			return false;
	}
	return true;
}

static const struct bw_ir_set *sort_set;

static int by_lo(const void *x, const void *y)
{
	const struct bw_ir_setelem *a = &sort_set->elem[*(const uint32_t *)x];
	const struct bw_ir_setelem *b = &sort_set->elem[*(const uint32_t *)y];

	return memcmp(a->lo, b->lo, sort_set->keylen);
}

/*
 * As nft: the elements of a named interval set, and of every map, may not
 * overlap ("conflicting intervals").  One component: sorted, neighbours
 * compared; concatenations pairwise (up to a bound).  named: s stands
 * for a named set (the scratch copy of add element has no name).
 */
static int check_overlaps(struct bw_eval *ev, const struct bw_ir_set *s,
			  bool named)
{
	uint32_t *idx;
	int rc = 0;

	if (s->nelem < 2 || (!s->map && !s->ndata && !(s->interval && named)))
		return 0;
	if (s->nkey > 1) {
		for (uint32_t i = 0; i < s->nelem && i < 2048 && !rc; i++)
			for (uint32_t j = i + 1; j < s->nelem && !rc; j++)
				if (overlap(s, &s->elem[i], &s->elem[j])) {
					rc = bw_eval_error(ev, &s->elem[j].loc,
							   "conflicting intervals specified");
					bw_diag(ev->d, BW_DIAG_NOTE, &s->elem[i].loc,
						"overlaps this element");
				}
		return rc;
	}
	idx = malloc(s->nelem * sizeof(*idx));
	if (!idx) {
		ev->oom = true;
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < s->nelem; i++)
		idx[i] = i;
	sort_set = s;
	qsort(idx, s->nelem, sizeof(*idx), by_lo);
	for (uint32_t i = 1; i < s->nelem && !rc; i++) {
		const struct bw_ir_setelem *a = &s->elem[idx[i - 1]];
		const struct bw_ir_setelem *b = &s->elem[idx[i]];

		if (memcmp(b->lo, a->hi, s->keylen) > 0)
			continue;
		rc = bw_eval_error(ev, &b->loc, "conflicting intervals specified");
		bw_diag(ev->d, BW_DIAG_NOTE, &a->loc, "overlaps this element");
	}
	free(idx);
	return rc;
}

/* ---- definitions ---- */

static int set_types_of(struct bw_eval *ev, struct bw_ir_set *s,
			const struct bw_ast_setdef *sd)
{
	if (sd->typeof_) {
		for (const struct bw_ast_fref *fr = sd->typeof_; fr; fr = fr->next) {
			const struct bw_field *f = fref_field(ev, fr);
			struct bw_loc l = bw_loc_join(&fr->proto_loc, &fr->field_loc);

			if (!f || !set_keys_add(ev, s, f, &l))
				return -EINVAL;
		}
		return 0;
	}
	for (const struct bw_ast_expr *t = sd->types->elems; t; t = t->next) {
		size_t i, n = sizeof(set_types) / sizeof(set_types[0]);

		for (i = 0; i < n; i++)
			if (!strcmp(t->text, set_types[i].name))
				break;
		if (i == n)
			return bw_eval_error(ev, &t->loc, "unknown or unsupported data type \"%s\"",
					     t->text);
		if (!set_keys_add(ev, s, bw_field(set_types[i].field), &t->loc))
			return -EINVAL;
	}
	return 0;
}

static int set_flags(struct bw_eval *ev, struct bw_ir_set *s,
		     const struct bw_ast_expr *flags)
{
	int rc = 0;

	for (const struct bw_ast_expr *f = flags ? flags->elems : NULL; f; f = f->next) {
		if (!strcmp(f->text, "interval"))
			s->interval = true;
		else if (!strcmp(f->text, "constant"))
			;	/* no add/delete element: nothing to do */
		else if (!strcmp(f->text, "dynamic"))
			s->dynamic = true;	/* rules may add to it */
		else if (!strcmp(f->text, "timeout"))
			s->timeout = true;	/* settimeout.h */
		else
			rc = bw_eval_error(ev, &f->loc, "unknown set flag \"%s\"", f->text);
	}
	return rc;
}

/* A part of a concatenated value type (mapcat.h). */
static int data_part(const char *name, enum bw_field_id *f)
{
	for (size_t i = 0; i < sizeof(set_types) / sizeof(set_types[0]); i++)
		if (!strcmp(name, set_types[i].name)) {
			*f = set_types[i].field;
			return 0;
		}
	return -ENOENT;
}

/* A map's value type other than verdict: a map of data (one type of
 * set_types: mark, ipv4_addr, ...), whose values nf_tables reads (`meta
 * mark set KEY map @NAME`) and whose keys rules look up as a set's. */
static int data_type(struct bw_eval *ev, struct bw_ir_set *s,
		     const struct bw_ast_expr *t)
{
	if (strchr(t->text, ' '))
		return bw_mapcat_type(ev, s, t, data_part);
	for (size_t i = 0; i < sizeof(set_types) / sizeof(set_types[0]); i++)
		if (!strcmp(t->text, set_types[i].name) &&
		    bw_field(set_types[i].field)->size <= sizeof(s->elem->data)) {
			s->map = false;
			s->ndata = 1;
			s->data = set_types[i].field;
			return 0;
		}
	return bw_eval_error(ev, &t->loc, "bpfwall supports maps to verdicts (vmap) and to the values of a type (mark, ipv4_addr, ...), not to %s",
			     t->text);
}

/* typeof KEY : meta mark: the values are of that field's type */
static int typeof_data(struct bw_eval *ev, struct bw_ir_set *s,
		       const struct bw_ast_setdef *sd)
{
	const struct bw_ast_fref *v = sd->value_typeof;
	const struct bw_field *f = bw_field_find(v->proto, v->field);
	struct bw_ast_expr t = *sd->value_type;

	if (!f)
		return bw_eval_error(ev, &sd->value_type->loc, "unknown field %s %s",
				     v->proto, v->field);
	t.text = type_name(f->id);
	if (!t.text)
		return bw_eval_error(ev, &sd->value_type->loc, "bpfwall supports maps to verdicts (vmap) and to the values of a type (mark, ipv4_addr, ...), not to %s %s",
				     v->proto, v->field);
	return data_type(ev, s, &t);
}

const char *bw_set_typeof_data(const struct bw_ast_setdef *sd)
{
	const struct bw_field *f = sd->value_typeof ?
		bw_field_find(sd->value_typeof->proto, sd->value_typeof->field) : NULL;

	return f && type_name(f->id) ? type_name(f->id) :
	       sd->value_type ? sd->value_type->text : "verdict";
}

int bw_eval_set_def(struct bw_eval *ev, const struct bw_ast_item *it,
		    const struct bw_sym *scope)
{
	const struct bw_ast_setdef *sd = it->set;
	const char *what = sd->map ? "map" : "set";
	uint32_t si, dup;
	struct bw_ir_set *s;
	uint64_t n;
	int rc = 0;

	dup = bw_ir_set_find_name(ev->ir, ev->family, ev->table, it->set_name);
	if (dup != UINT32_MAX) {
		bw_eval_error(ev, &it->set_name_loc, "%s %s is defined twice in table %s %s",
			      what, it->set_name, bw_family_name(ev->family), ev->table);
		bw_diag(ev->d, BW_DIAG_NOTE, &ev->ir->set[dup].loc, "first defined here");
		return -EINVAL;
	}
	si = set_new(ev, it->set_name, &it->set_name_loc);
	if (si == UINT32_MAX)
		return -ENOMEM;
	s = &ev->ir->set[si];
	s->map = sd->map;
	if (!sd->ntype)
		return bw_eval_error(ev, &it->set_name_loc, "%s %s has no type (type ... or typeof ...)",
				     what, it->set_name);
	if (sd->ntype > 1)
		return bw_eval_error(ev, &sd->type_loc, "the type is given twice");
	if (set_types_of(ev, s, sd))
		return -EINVAL;
	if (sd->map && !sd->value_type)
		return bw_eval_error(ev, &sd->type_loc, "a map needs the type of its values: type KEY : verdict");
	if (!sd->map && sd->value_type)
		return bw_eval_error(ev, &sd->value_type->loc, "a set has no values: define a map");
	if (sd->value_typeof && typeof_data(ev, s, sd))
		return -EINVAL;
	if (sd->value_type && !sd->value_typeof && strcmp(sd->value_type->text, "verdict") &&
	    data_type(ev, s, sd->value_type))
		return -EINVAL;
	if (set_flags(ev, s, sd->flags) || bw_settimeout_def(ev, s, sd))
		rc = -EINVAL;
	if (sd->size) {
		if (bw_eval_number(sd->size->text, &n) || !n || n > UINT32_MAX / 2)
			rc = bw_eval_error(ev, &sd->size->loc, "invalid set size %s",
					   sd->size->text);
		else
			s->size = (uint32_t)n;
	}
	if (sd->comment && strlen(sd->comment) > 128)
		rc = bw_eval_error(ev, &sd->comment_loc, "comment too long (%zu bytes, at most 128)",
				   strlen(sd->comment));
	if (rc)
		return rc;
	if (check_layout(ev, s, &sd->type_loc))
		return -EINVAL;
	if (sd->elements && (bw_eval_expand(ev, sd->elements, scope) ||
			     bw_eval_set_elems(ev, si, sd->elements, scope)))
		return -EINVAL;
	s = &ev->ir->set[si];
	if (s->size && s->nelem > s->size)
		return bw_eval_error(ev, &sd->elements->loc, "%u elements do not fit in a %s of size %u",
				     s->nelem, what, s->size);
	return check_overlaps(ev, s, true);
}

/* ---- lookups ---- */

static uint32_t count_elems(const struct bw_ast_expr *e, const struct bw_sym *scope,
			    unsigned depth)
{
	uint32_t n = 0;

	e = bw_sym_resolve(e, &scope);
	if (!e || e->kind != BW_AE_SET || depth > 16)
		return e ? 1 : 0;
	for (const struct bw_ast_expr *c = e->elems; c; c = c->next)
		n += count_elems(c, scope, depth + 1);
	return n;
}

bool bw_eval_is_lookup(const struct bw_eval *ev, const struct bw_ast_stmt *m,
		       const struct bw_sym *scope)
{
	const struct bw_ast_expr *rhs = bw_sym_resolve(m->rhs, &scope);
	const struct bw_field *f;

	if (m->vmap || m->cat)
		return true;
	if (!rhs)
		return false;
	if (rhs->kind == BW_AE_SETREF)
		return true;
	if (rhs->kind != BW_AE_SET || m->mask || !ev->ir ||
	    (m->op != BW_OP_IMPLICIT && m->op != BW_OP_EQ && m->op != BW_OP_NE))
		return false;
	f = bw_field_find(m->proto, m->field);
	/* interface names are decided per program and flags compare bits:
	 * those stay compares, whatever the size */
	if (!f || f->src != BW_FS_VIEW || f->type == BW_T_TCP_FLAG || f->tun_layer ||
	    f->type == BW_T_CT_STATE)
		return false;
	return count_elems(rhs, scope, 0) >=
	       (ev->anon_lookup_min ? ev->anon_lookup_min : BW_ANON_LOOKUP_MIN);
}

static void lhs_text(const struct bw_ir_match *m, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < m->nfield && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s %s", i ? " . " : "",
				      bw_field(m->fields[i])->proto,
				      bw_field(m->fields[i])->name);
}

static void keys_text(const struct bw_ir_set *s, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = 0;
	for (uint32_t i = 0; i < s->nkey && o < len; i++) {
		const char *t = type_name(s->key[i]);

		if (t)
			o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? " . " : "", t);
		else
			o += (size_t)snprintf(buf + o, len - o, "%s%s %s",
					      i ? " . " : "", bw_field(s->key[i])->proto,
					      bw_field(s->key[i])->name);
	}
}

/* Key component k of lookup m is field f, written proto field: a raw
 * payload's base and bits, a tunnel field's tunnel, read for it alone. */
static void key_part(struct bw_ir_match *m, uint32_t k, const struct bw_field *f,
		     const char *proto, const char *field)
{
	struct bw_rawpay r;

	if (f->raw && bw_rawpay_parse(proto, field, &r) == BW_RAW_OK) {
		m->kraw[k].base = r.base;
		m->kraw[k].off = r.off;
		m->kraw[k].len = r.len;
	}
	if (f->tun_layer)
		m->ktunnel[k] = (uint8_t)bw_tunnel_kind(proto);
}

/* Does a part of m's key need a read of its own (a raw payload, a field
 * inside a tunnel)? */
static bool key_reads(const struct bw_ir_match *m)
{
	for (uint32_t k = 0; k < m->nfield; k++)
		if (m->kraw[k].len || m->ktunnel[k])
			return true;
	return false;
}

int bw_eval_lookup(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *m, const struct bw_sym *scope,
		   struct bw_ir_match *out)
{
	const struct bw_ast_expr *rhs;
	const struct bw_sym *sc = scope;
	struct bw_loc lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
	const struct bw_field *f = bw_eval_field(ev, m);
	struct bw_ast_stmt tmp = { .kind = BW_AS_MATCH };
	struct bw_ir_set *s;
	char a[160], b[160];
	uint32_t si;

	if (!f)
		return -EINVAL;
	if (!ev->ir)
		return bw_eval_error(ev, &m->loc, "a packet field takes a single value");
	memset(out, 0, sizeof(*out));
	out->lookup = true;
	out->field = f->id;
	out->fields[out->nfield++] = f->id;
	out->neg = m->op == BW_OP_NE;
	out->loc = m->loc;
	if (bw_proto_check(ev, ps, f, m, NULL))
		return -EINVAL;
	key_part(out, 0, f, m->proto, m->field);
	for (const struct bw_ast_fref *fr = m->cat; fr; fr = fr->next) {
		const struct bw_field *g;

		tmp.proto = fr->proto;
		tmp.field = fr->field;
		tmp.proto_loc = fr->proto_loc;
		tmp.field_loc = fr->field_loc;
		g = bw_eval_field(ev, &tmp);
		if (g && g->walk && !g->raw && !g->tun_layer) {
			bw_eval_error(ev, &fr->proto_loc, "%s %s: an sctp chunk field in a set lookup or a concatenation is not supported (each match walks the chunks for its own)",
				      fr->proto, fr->field);
			g = NULL;
		}
		if (!g || bw_proto_check(ev, ps, g, &tmp, NULL))
			return -EINVAL;
		if (out->nfield == BW_SET_MAX_KEYS)
			return bw_eval_error(ev, &fr->field_loc, "at most %d fields in a concatenation",
					     BW_SET_MAX_KEYS);
		key_part(out, out->nfield, g, fr->proto, fr->field);
		out->fields[out->nfield++] = g->id;
		lhs = bw_loc_join(&lhs, &fr->field_loc);
	}
	if (m->mask)
		return bw_eval_error(ev, &m->mask->loc, "a mask cannot be combined with a set lookup");
	if (m->op != BW_OP_IMPLICIT && m->op != BW_OP_EQ && m->op != BW_OP_NE)
		return bw_eval_error(ev, &m->op_loc, "operator %s cannot compare with a set",
				     bw_ast_op_str(m->op));
	rhs = bw_sym_resolve(m->rhs, &sc);
	if (!rhs)
		return bw_eval_error(ev, &m->rhs->loc, "unknown identifier '%s'",
				     m->rhs->text);
	if (rhs->kind == BW_AE_SETREF) {
		si = bw_ir_set_find_name(ev->ir, ev->family, ev->table, rhs->text);
		if (si == UINT32_MAX)
			return bw_eval_error(ev, &rhs->loc, "unknown set \"%s\"", rhs->text);
		s = &ev->ir->set[si];
		if (m->vmap && s->ndata)
			return bw_eval_error(ev, &rhs->loc, "@%s is a map of data, not of verdicts: vmap needs a map to verdicts",
					     rhs->text);
		if (m->vmap && !s->map)
			return bw_eval_error(ev, &rhs->loc, "@%s is a set, not a map: vmap needs a map",
					     rhs->text);
		if (!m->vmap && s->map)
			return bw_eval_error(ev, &rhs->loc, "@%s is a map: look it up with vmap",
					     rhs->text);
	} else if (rhs->kind == BW_AE_SET) {
		si = set_new(ev, NULL, &rhs->loc);
		if (si == UINT32_MAX)
			return -ENOMEM;
		s = &ev->ir->set[si];
		s->map = m->vmap;
		s->literal = true;
		s->interval = true;	/* as nft: inferred from the elements */
		for (uint32_t i = 0; i < out->nfield; i++)
			if (!set_keys_add(ev, s, bw_field(out->fields[i]), &lhs))
				return -EINVAL;
		if (bw_eval_set_elems(ev, si, rhs, sc))
			return -EINVAL;
		s = &ev->ir->set[si];
		s->interval = false;
		for (uint32_t i = 0; i < s->nelem; i++)
			if (memcmp(s->elem[i].lo, s->elem[i].hi, s->keylen))
				s->interval = true;
		if (check_overlaps(ev, s, false) || check_layout(ev, s, &rhs->loc))
			return -EINVAL;
		for (uint32_t i = 0; i < s->nelem && key_reads(out); i++)
			if (bw_set_elem_scan(s, &s->elem[i]))
				return bw_eval_error(ev, &s->elem[i].loc, "with a raw payload or a field inside a tunnel in the key, an element may have one part that is a prefix or range");
	} else {
		return bw_eval_error(ev, &rhs->loc, m->vmap ?
				     "vmap needs a map: { KEY : VERDICT, ... } or @NAME" :
				     "a concatenation is compared with a set: { A . B, ... } or @NAME");
	}
	out->set = si;
	if (s->nkey != out->nfield) {
		lhs_text(out, a, sizeof(a));
		keys_text(s, b, sizeof(b));
		return bw_eval_error(ev, &lhs, "%s is not of the type of %s%s (%s)", a,
				     s->name ? "@" : "the set", s->name ? s->name : "", b);
	}
	for (uint32_t i = 0; i < out->nfield; i++)
		if (!compatible(out->fields[i], s->key[i])) {
			lhs_text(out, a, sizeof(a));
			keys_text(s, b, sizeof(b));
			return bw_eval_error(ev, &lhs, "%s is not of the type of %s%s (%s)", a,
					     s->name ? "@" : "the set",
					     s->name ? s->name : "", b);
		}
	return 0;
}

/* ---- add element / delete element ---- */

static int family_of(const char *name, enum bw_family *out)
{
	static const struct { const char *name; enum bw_family f; } fams[] = {
		{ "netdev", BW_FAMILY_NETDEV }, { "inet", BW_FAMILY_INET },
		{ "ip", BW_FAMILY_IP }, { "ip6", BW_FAMILY_IP6 },
	};

	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++)
		if (!strcmp(name, fams[i].name)) {
			*out = fams[i].f;
			return 0;
		}
	return -EINVAL;
}

/* A jump target of an element added to a running map: a chain of the
 * table that the map's elements already led to (the program has code to
 * go there, and no loop can appear). */
static int added_target(struct bw_eval *ev, uint32_t si,
			const struct bw_pending_target *p, uint32_t *out)
{
	const struct bw_ir *ir = ev->ir;
	const struct bw_ir_set *s = &ir->set[si];

	for (uint32_t c = 0; c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];

		if (ch->family != s->family || strcmp(ch->table, s->table) ||
		    strcmp(ch->name, p->name->text))
			continue;
		for (uint32_t i = 0; i < s->nelem; i++)
			if (s->elem[i].target == c &&
			    (s->elem[i].verdict == BW_VERDICT_JUMP ||
			     s->elem[i].verdict == BW_VERDICT_GOTO)) {
				*out = c;
				return 0;
			}
		return bw_eval_error(ev, &p->name->loc,
				     "no element of map %s led to chain %s when the ruleset was loaded: load the ruleset again to add this one",
				     s->name, ch->name);
	}
	return bw_eval_error(ev, &p->name->loc, "unknown chain \"%s\" in table %s %s",
			     p->name->text, bw_family_name(s->family), s->table);
}

int bw_compile_elements(struct bw_ir *ir, const char *name, const char *text,
			struct bw_diags *d, uint32_t *set,
			struct bw_ir_setelem **elems, uint32_t *n)
{
	struct bw_eval ev = { .d = d, .ir = ir, .cap_set = ir->nset };
	const struct bw_src *src = bw_src_string(d, name, text);
	struct bw_ast *ast = NULL;
	struct bw_ir_set *tmp;
	uint32_t si, ti;
	int rc;

	*elems = NULL;
	*n = 0;
	if (!src)
		return -ENOMEM;
	rc = bw_ast_parse(src, BW_PARSE_ELEMENTS, d, &ast);
	if (rc)
		return rc;
	if (family_of(ast->el_family, &ev.family)) {
		rc = bw_eval_error(&ev, &ast->el_family_loc, "unknown table family \"%s\"",
				   ast->el_family);
		goto out;
	}
	ev.table = ast->el_table;
	si = bw_ir_set_find_name(ir, ev.family, ev.table, ast->el_set);
	if (si == UINT32_MAX) {
		rc = bw_eval_error(&ev, &ast->el_set_loc, "no set %s in table %s %s of the running ruleset",
				   ast->el_set, ast->el_family, ast->el_table);
		goto out;
	}
	if (ir->set[si].ndata) {
		rc = bw_eval_error(&ev, &ast->el_set_loc, "%s is a map of data: its elements change with the ruleset only (bpfwall -f)",
				   ast->el_set);
		goto out;
	}
	/* the elements go to a scratch copy of the set (named: what it
	 * may store is a named set's), dropped after */
	ti = set_new(&ev, ir->set[si].name, &ast->el_set_loc);
	if (ti == UINT32_MAX) {
		rc = -ENOMEM;
		goto out;
	}
	tmp = &ir->set[ti];
	tmp->nkey = ir->set[si].nkey;
	memcpy(tmp->key, ir->set[si].key, sizeof(tmp->key));
	tmp->keylen = ir->set[si].keylen;
	tmp->interval = ir->set[si].interval;
	tmp->map = ir->set[si].map;
	tmp->timeout = ir->set[si].timeout;	/* settimeout.h */
	tmp->timeout_ms = ir->set[si].timeout_ms;
	rc = bw_eval_set_elems(&ev, ti, ast->el_expr, NULL);
	/* the new elements among themselves, as in a file (against those
	 * the set holds: the runtime, which reads its maps) */
	if (!rc)
		rc = check_overlaps(&ev, &ir->set[ti], true);
	for (uint32_t i = 0; !rc && i < ev.npend; i++)
		rc = added_target(&ev, si, &ev.pend[i],
				  &ir->set[ti].elem[ev.pend[i].elem].target);
	tmp = &ir->set[ti];
	if (!rc) {
		*set = si;
		*elems = tmp->elem;
		*n = tmp->nelem;
		tmp->elem = NULL;
	}
	free(tmp->elem);
	free(tmp->name);
	free(tmp->table);
	ir->nset--;
	if (rc || ev.oom)
		rc = ev.oom ? -ENOMEM : -EINVAL;
out:
	free(ev.pend);
	bw_ast_free(&ast);
	return rc;
}
