// SPDX-License-Identifier: GPL-2.0-only
/*
 * Value expressions of the set statements (valexpr.h): evaluated as nft
 * evaluates them (constants folded, the right side of every operation a
 * constant, a constant on the left of & | ^ moved to the right, runs of
 * & | ^ one mask and xor), and listed as nft lists what the kernel holds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "valexpr.h"

/* The field a constant for target is read as (and printed as). */
static enum bw_field_id target_field(uint8_t target)
{
	switch (target) {
	case BW_SETF_CT_MARK:		return BW_F_CT_MARK;
	case BW_SETF_META_PRIORITY:	return BW_F_META_PRIORITY;
	case BW_SETF_CT_ZONE:
	case BW_SETF_CT_ZONE_ORIG:
	case BW_SETF_CT_ZONE_REPLY:
	case BW_VX_T_QUEUE:		return BW_F_CT_ZONE;	/* 16 bits */
	default:			return BW_F_META_MARK;
	}
}

bool bw_vexpr_is(const struct bw_ast_expr *e)
{
	return e && (e->kind == BW_AE_BINOP || e->kind == BW_AE_FIELD ||
		     e->kind == BW_AE_MAP || e->kind == BW_AE_GEN ||
		     e->kind == BW_AE_CONCAT);
}

bool bw_vexpr_const(const struct bw_ast_expr *e)
{
	if (e && e->kind == BW_AE_BINOP)
		return bw_vexpr_const(e->left) && bw_vexpr_const(e->right);
	return e && e->kind == BW_AE_NUMBER;
}

bool bw_vexpr_of_mark(const struct bw_ir_vexpr *v, uint32_t mark, uint32_t *out)
{
	uint32_t x;

	if (v->base == BW_VX_CONST)
		x = v->value;
	else if (v->base == BW_VX_FIELD && v->key[0] == BW_F_META_MARK)
		x = mark;
	else
		return false;
	for (uint32_t i = 0; i < v->nop; i++) {
		const struct bw_ir_vop *o = &v->op[i];

		if (bw_vx_regop(o->kind))
			return false;	/* another field's value: not modelled */
		x = o->kind == BW_VX_BOOL ? (x & o->mask) ^ o->xor :
		    o->kind == BW_VX_LSHIFT ? x << o->shift : x >> o->shift;
	}
	*out = x;
	return true;
}

struct vres {
	bool isconst;
	uint32_t c;
	struct bw_ir_vexpr x;
};

static uint32_t be_u32(const uint8_t *v, unsigned n)
{
	uint32_t x = 0;

	for (unsigned i = 0; i < n; i++)
		x = x << 8 | v[i];
	return x;
}

/* A constant for target: a number, or a value of the target's type. */
static int constant(struct bw_eval *ev, uint8_t target,
		    const struct bw_ast_expr *e, const struct bw_sym *scope,
		    uint32_t *out)
{
	const struct bw_field *f = bw_field(target_field(target));
	uint8_t v[BW_VAL_MAX] = { 0 };
	uint64_t n;

	if (e->kind == BW_AE_NUMBER && !bw_eval_number(e->text, &n)) {
		if (n > UINT32_MAX || (f->size == 2 && n > UINT16_MAX))
			return bw_eval_error(ev, &e->loc, "value %s exceeds the %u bits of %s %s",
					     e->text, f->size * 8u, f->proto, f->name);
		*out = (uint32_t)n;
		return 0;
	}
	if (bw_eval_scalar(ev, f, e, scope, v))
		return -EINVAL;
	*out = be_u32(v, f->size);
	return 0;
}

static const struct bw_field *fref_field(struct bw_eval *ev,
					 const struct bw_ast_fref *fr)
{
	struct bw_ast_stmt tmp = { .kind = BW_AS_MATCH };

	/* th dport: a key of nf_tables' (a match reads it raw) */
	if (!strcmp(fr->proto, "th") && !strcmp(fr->field, "sport"))
		return bw_field(BW_F_TH_SPORT_VX);
	if (!strcmp(fr->proto, "th") && !strcmp(fr->field, "dport"))
		return bw_field(BW_F_TH_DPORT_VX);
	tmp.proto = fr->proto;
	tmp.field = fr->field;
	tmp.proto_loc = fr->proto_loc;
	tmp.field_loc = fr->field_loc;
	tmp.proto_implicit = fr->implicit;
	return bw_eval_field(ev, &tmp);
}

/* A field whose value is a number of at most 32 bits. */
static bool numeric(const struct bw_field *f)
{
	switch (f->type) {
	case BW_T_IPV4_ADDR:
	case BW_T_IPV6_ADDR:
	case BW_T_ETHER_ADDR:
	case BW_T_IFNAME:
	case BW_T_STRING:
	case BW_T_TIME:
	case BW_T_CT_LABEL:
		return false;
	default:
		return f->size <= 4;
	}
}

static int add_op(struct bw_eval *ev, struct bw_ir_vexpr *x,
		  const struct bw_loc *loc, uint8_t kind, uint32_t m,
		  uint32_t xr, uint32_t shift)
{
	struct bw_ir_vop *o = x->nop ? &x->op[x->nop - 1] : NULL;

	if (kind == BW_VX_BOOL && o && o->kind == BW_VX_BOOL) {
		/* as nft's linearization: one bitwise for a run */
		o->mask &= m;
		o->xor = (o->xor & m) ^ xr;
		return 0;
	}
	if (x->nop == BW_VX_MAX_OPS)
		return bw_eval_error(ev, loc, "too many operations (at most %d)",
				     BW_VX_MAX_OPS);
	x->op[x->nop++] = (struct bw_ir_vop){ .kind = kind, .mask = m,
					      .xor = xr, .shift = shift };
	return 0;
}

static int eval(struct bw_eval *ev, const struct bw_ast_expr *e,
		const struct bw_sym *scope, uint8_t target, struct vres *r);
static int gen(struct bw_eval *ev, const struct bw_ast_expr *e,
	       struct vres *r);

static int keys_of(struct bw_eval *ev, const struct bw_ast_expr *e,
		   struct bw_ir_vexpr *x)
{
	const struct bw_ast_expr *one = e;

	if (e->kind == BW_AE_BINOP && !strcmp(e->text, "&") &&
	    e->left->kind == BW_AE_FIELD) {
		/* ip6 saddr & ::ffff map { ... }: the key masked */
		uint8_t m[BW_VAL_MAX] = { 0 };
		const struct bw_field *f;

		if (keys_of(ev, e->left, x))
			return -EINVAL;
		f = bw_field(x->key[0]);
		if (f->size > sizeof(x->kmask) || bw_eval_scalar(ev, f, e->right, NULL, m))
			return bw_eval_error(ev, &e->right->loc, "a key's mask is a value of %s %s",
					     f->proto, f->name);
		memcpy(x->kmask, m, f->size);
		x->has_kmask = true;
		return 0;
	}

	if (e->kind == BW_AE_CONCAT)
		one = e->elems;
	for (; one; one = e->kind == BW_AE_CONCAT ? one->next : NULL) {
		const struct bw_field *f;

		if (one->kind != BW_AE_FIELD)
			return bw_eval_error(ev, &one->loc, "a key here is a field or fields joined by '.' (ip saddr . tcp dport)");
		f = fref_field(ev, one->fref);
		if (!f)
			return -EINVAL;
		if (x->nkey == BW_SET_MAX_KEYS)
			return bw_eval_error(ev, &one->loc, "at most %d fields in a concatenation",
					     BW_SET_MAX_KEYS);
		if (x->keylen + f->size > BW_SET_KEY_MAX)
			return bw_eval_error(ev, &one->loc, "the key is too long (at most %d bytes)",
					     BW_SET_KEY_MAX);
		x->key[x->nkey++] = f->id;
		x->keylen += f->size;
	}
	return 0;
}

/* A nat map's value: an address, address . port, or a port, as the
 * kernel's registers hold them (x->target says which). */
/* A nat map value's address ae (a prefix, a range or one) and port pe
 * (a range or one; NULL: none) as NFT_NAT's registers take a range:
 * lowest address [port], highest address [port] (each port in a 32-bit
 * word of its own) into range; *x->nat_range set when they differ. */
static int nat_range(struct bw_eval *ev, struct bw_ir_vexpr *x,
		     const struct bw_field *a, const struct bw_ast_expr *ae,
		     const struct bw_ast_expr *pe, const struct bw_sym *scope,
		     uint8_t *range)
{
	const struct bw_field *p = bw_field(BW_F_TCP_DPORT);
	uint8_t lo[BW_VAL_MAX] = { 0 }, hi[BW_VAL_MAX] = { 0 };
	uint32_t half = a->size + (pe ? 4u : 0u);

	if (bw_eval_range(ev, a, ae, scope, lo, hi))
		return -EINVAL;
	if (memcmp(lo, hi, a->size) > 0)
		return bw_eval_error(ev, &ae->loc, "invalid address range: its start is above its end");
	memcpy(range, lo, a->size);
	memcpy(range + half, hi, a->size);
	x->nat_range |= memcmp(lo, hi, a->size) != 0;
	if (!pe)
		return 0;
	memset(lo, 0, sizeof(lo));
	memset(hi, 0, sizeof(hi));
	if (bw_eval_range(ev, p, pe, scope, lo, hi))
		return -EINVAL;
	if (memcmp(lo, hi, 2) > 0)
		return bw_eval_error(ev, &pe->loc, "invalid port range: its start is above its end");
	memcpy(range + a->size, lo, 2);
	memcpy(range + half + a->size, hi, 2);
	x->nat_range |= memcmp(lo, hi, 2) != 0;
	return 0;
}

static int nat_data(struct bw_eval *ev, struct bw_ir_vexpr *x,
		    const struct bw_ast_expr *e, const struct bw_sym *scope,
		    uint8_t *out, uint8_t *range)
{
	const struct bw_field *a = bw_field(x->l3 == 6 ? BW_F_IP6_SADDR : BW_F_IP_SADDR);
	const struct bw_field *p = bw_field(BW_F_TCP_DPORT);
	const struct bw_ast_expr *ae = e, *pe = NULL;
	uint8_t v[BW_VAL_MAX] = { 0 };

	e = bw_sym_resolve(e, &scope);
	if (!e)
		return bw_eval_error(ev, &ae->loc, "unknown identifier '%s'", ae->text);
	if (x->target == BW_VX_T_NAT_PORT) {
		if (bw_eval_scalar(ev, p, e, scope, v))
			return -EINVAL;
		memcpy(out, v, 2);
		return 0;
	}
	ae = e;
	if (e->kind == BW_AE_CONCAT) {
		ae = e->elems;
		pe = ae ? ae->next : NULL;
		if (!pe || pe->next)
			return bw_eval_error(ev, &e->loc, "a nat map's value is an address or ADDRESS . PORT");
	}
	if ((x->target == BW_VX_T_NAT_ADDRPORT) != (pe != NULL))
		return bw_eval_error(ev, &e->loc, x->target == BW_VX_T_NAT_ADDRPORT ?
				     "this map's values are ADDRESS . PORT, as its first is" :
				     "this map's values are addresses, as its first is");
	if (nat_range(ev, x, a, ae, pe, scope, range))
		return -EINVAL;
	memcpy(out, range, a->size);
	if (pe)
		memcpy(out + a->size, range + a->size, 2);
	return 0;
}

/* A device's name (BW_VX_T_DEV), NUL-terminated in out (20 bytes). */
static int dev_data(struct bw_eval *ev, const struct bw_ast_expr *e,
		    const struct bw_sym *scope, uint8_t *out)
{
	const struct bw_ast_expr *v = bw_sym_resolve(e, &scope);
	size_t n;

	if (!v || (v->kind != BW_AE_STRING && v->kind != BW_AE_SYMBOL))
		return bw_eval_error(ev, &e->loc, "a device here is a name (\"eth0\")");
	n = strlen(v->text);
	if (!n || n > 15)
		return bw_eval_error(ev, &e->loc, "a device name has 1 to 15 characters");
	memset(out, 0, 20);
	memcpy(out, v->text, n);
	return 0;
}

static int map_elem(struct bw_eval *ev, struct bw_ir_vexpr *x, uint8_t target,
		    const struct bw_ast_expr *e, const struct bw_sym *scope)
{
	const struct bw_ast_expr *key, *comp[BW_SET_MAX_KEYS];
	struct bw_ir_vmap_elem *el, *v;
	uint32_t n = 0, off = 0;

	if (e->kind != BW_AE_MAPELEM || e->right->kind == BW_AE_VERDICT)
		return bw_eval_error(ev, &e->loc, "a map element here is KEY : VALUE");
	v = reallocarray(x->elem, x->nelem + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	x->elem = v;
	el = &v[x->nelem];
	memset(el, 0, sizeof(*el));
	if (target == BW_VX_T_DEV ? dev_data(ev, e->right, scope, el->ndata) :
	    bw_vx_nat(target) ? nat_data(ev, x, e->right, scope, el->ndata, el->nrange) :
	    constant(ev, target, e->right, scope, &el->data))
		return -EINVAL;
	key = bw_sym_resolve(e->left, &scope);
	if (!key)
		return bw_eval_error(ev, &e->left->loc, "unknown identifier '%s'",
				     e->left->text);
	if (key->kind == BW_AE_SYMBOL && !strcmp(key->text, "*")) {
		for (uint32_t i = 0; i < x->nelem; i++)
			if (x->elem[i].catchall)
				return bw_eval_error(ev, &key->loc, "a map has one catch-all element");
		el->catchall = true;
		x->nelem++;
		return 0;
	}
	if (x->keygen) {
		/* a generator's number: 4 bytes, read as a mark is */
		uint8_t lo[BW_VAL_MAX] = { 0 }, hi[BW_VAL_MAX] = { 0 };

		if (key->kind == BW_AE_CONCAT)
			return bw_eval_error(ev, &key->loc, "this map's key is one number");
		if (bw_eval_range(ev, bw_field(BW_F_META_MARK), key, scope, lo, hi))
			return -EINVAL;
		memcpy(el->lo, lo, 4);
		memcpy(el->hi, hi, 4);
		x->interval |= memcmp(lo, hi, 4) != 0;
		x->nelem++;
		return 0;
	}
	if (key->kind == BW_AE_CONCAT)
		for (const struct bw_ast_expr *c = key->elems; c; c = c->next)
			comp[n < BW_SET_MAX_KEYS ? n++ : n] = c;
	else
		comp[n++] = key;
	if (n != x->nkey)
		return bw_eval_error(ev, &key->loc, "%u value%s where the key has %u (joined by '.')",
				     n, n == 1 ? "" : "s", x->nkey);
	for (uint32_t k = 0; k < n; k++) {
		const struct bw_field *f = bw_field(x->key[k]);
		uint8_t lo[BW_VAL_MAX] = { 0 }, hi[BW_VAL_MAX] = { 0 };

		if (bw_eval_range(ev, f, comp[k], scope, lo, hi))
			return -EINVAL;
		memcpy(el->lo + off, lo, f->size);
		memcpy(el->hi + off, hi, f->size);
		if (memcmp(lo, hi, f->size))
			x->interval = true;
		off += f->size;
	}
	for (uint32_t i = 0; i < x->nelem; i++)
		if (!x->elem[i].catchall && !memcmp(x->elem[i].lo, el->lo, x->keylen) &&
		    !memcmp(x->elem[i].hi, el->hi, x->keylen) &&
		    x->elem[i].data != el->data)
			return bw_eval_error(ev, &e->loc, "this key is in the map already, with another value");
	x->nelem++;
	return 0;
}

/* Are field a (a value expression's key) and b (a named map's key
 * type) the same values?  ip6 dscp and type dscp are, as in nft. */
static bool same_values(enum bw_field_id a, enum bw_field_id b)
{
	const struct bw_field *x = bw_field(a), *y = bw_field(b);

	return x->type == y->type &&
	       (x->bits || y->bits ? x->bits == y->bits : x->size == y->size);
}

/* KEY map @NAME: a named map of data (sets.c) whose values are of the
 * target's type; nf_tables looks it up (r->x.named). */
static int named_map(struct bw_eval *ev, const struct bw_ast_expr *e,
		     const struct bw_ast_expr *ref, uint8_t target, struct vres *r)
{
	uint32_t si = bw_ir_set_find_name(ev->ir, ev->family, ev->table, ref->text);
	const struct bw_field *t = bw_field(target_field(target)), *d;
	const struct bw_ir_set *s;

	if (si == UINT32_MAX)
		return bw_eval_error(ev, &ref->loc, "unknown map \"%s\"", ref->text);
	s = &ev->ir->set[si];
	if (!s->ndata)
		return bw_eval_error(ev, &ref->loc, "@%s is not a map of values (type KEY : mark, ...)",
				     ref->text);
	if (bw_vx_nat(target) || target == BW_VX_T_QUEUE || r->x.keygen)
		return bw_eval_error(ev, &ref->loc, "a named map here is not supported yet: write the map's elements { KEY : VALUE, ... }");
	d = bw_field(s->data);
	if (d->type != t->type || d->size != t->size)
		return bw_eval_error(ev, &ref->loc, "@%s maps to values of another type than %s %s's",
				     ref->text, t->proto, t->name);
	if (r->x.nkey != s->nkey)
		return bw_eval_error(ev, &e->left->loc, "%u key field%s where @%s has %u",
				     r->x.nkey, r->x.nkey == 1 ? "" : "s", ref->text, s->nkey);
	for (uint32_t k = 0; k < s->nkey; k++)
		if (!same_values(r->x.key[k], s->key[k]))
			return bw_eval_error(ev, &e->left->loc, "%s %s is not of the type of @%s",
					     bw_field(r->x.key[k])->proto,
					     bw_field(r->x.key[k])->name, ref->text);
	r->x.named = si + 1;
	r->x.mapname = s->name;
	return 0;
}

static int map(struct bw_eval *ev, const struct bw_ast_expr *e,
	       const struct bw_sym *scope, uint8_t target, struct vres *r)
{
	const struct bw_ast_expr *set = bw_sym_resolve(e->right, &scope);

	r->x.base = BW_VX_MAP;
	r->x.target = target;
	if (e->left->kind == BW_AE_GEN) {
		/* numgen inc mod 2 map { 0 : ..., 1 : ... } */
		uint8_t l3 = r->x.l3;

		if (gen(ev, e->left, r))
			return -EINVAL;
		r->x.keygen = r->x.base;
		r->x.base = BW_VX_MAP;
		r->x.target = target;
		r->x.l3 = l3;
		r->x.keylen = 4;
	} else if (keys_of(ev, e->left, &r->x)) {
		return -EINVAL;
	}
	if (set && set->kind == BW_AE_SETREF)
		return named_map(ev, e, set, target, r);
	if (!set)
		return bw_eval_error(ev, &e->right->loc, "unknown identifier '%s'",
				     e->right->text);
	if (set->kind != BW_AE_SET)
		return bw_eval_error(ev, &set->loc, "expected the map's elements { KEY : VALUE, ... }");
	for (const struct bw_ast_expr *c = set->elems; c; c = c->next)
		if (map_elem(ev, &r->x, target, c, scope))
			return -EINVAL;
	if (r->x.interval && r->x.nkey > 1 && !bw_vx_nat(target))
		return bw_eval_error(ev, &set->loc, "ranges or prefixes in a concatenated map key are not supported yet");
	return 0;
}

static int gen(struct bw_eval *ev, const struct bw_ast_expr *e,
	       struct vres *r)
{
	const struct bw_ast_expr *mod = e->right;
	uint64_t n;

	if (!strncmp(e->text, "numgen ", 7)) {
		r->x.base = BW_VX_NUMGEN;
		if (strcmp(e->text + 7, "inc") && strcmp(e->text + 7, "random"))
			return bw_eval_error(ev, &e->loc, "numgen takes inc or random, not \"%s\"",
					     e->text + 7);
		r->x.random = !strcmp(e->text + 7, "random");
	} else if (!strcmp(e->text, "jhash")) {
		r->x.base = BW_VX_JHASH;
		if (keys_of(ev, e->left, &r->x))
			return -EINVAL;
	} else {
		r->x.base = BW_VX_SYMHASH;
	}
	if (strcmp(mod->left->text, "mod"))
		return bw_eval_error(ev, &mod->left->loc, "expected mod, not \"%s\"",
				     mod->left->text);
	if (bw_eval_number(mod->text, &n) || n > UINT32_MAX)
		return bw_eval_error(ev, &mod->loc, "invalid modulus \"%s\" (a 32-bit number)",
				     mod->text);
	if (!n)
		return bw_eval_error(ev, &mod->loc, "a modulus of 0: %s takes mod 1 or more",
				     r->x.base == BW_VX_NUMGEN ? "numgen" :
				     r->x.base == BW_VX_JHASH ? "jhash" : "symhash");
	r->x.mod = (uint32_t)n;
	for (const struct bw_ast_expr *o = e->elems; o; o = o->next) {
		bool seed = !strcmp(o->left->text, "seed");

		if ((!seed || r->x.base != BW_VX_JHASH) && strcmp(o->left->text, "offset"))
			return bw_eval_error(ev, &o->left->loc, "expected %s, not \"%s\"",
					     r->x.base == BW_VX_JHASH ? "seed or offset" : "offset",
					     o->left->text);
		if ((seed && r->x.has_seed) || (!seed && r->x.has_offset))
			return bw_eval_error(ev, &o->left->loc, "%s given twice", o->left->text);
		if (bw_eval_number(o->right->text, &n) || n > UINT32_MAX)
			return bw_eval_error(ev, &o->right->loc, "invalid %s \"%s\" (a 32-bit number)",
					     o->left->text, o->right->text);
		if (seed) {
			r->x.seed = (uint32_t)n;
			r->x.has_seed = true;
		} else {
			r->x.offset = (uint32_t)n;
			r->x.has_offset = true;
		}
	}
	return 0;
}

static uint32_t fold(const char *op, uint32_t a, uint32_t b)
{
	switch (op[0]) {
	case '&':	return a & b;
	case '|':	return a | b;
	case '^':	return a ^ b;
	case '<':	return b >= 32 ? 0 : a << b;
	default:	return b >= 32 ? 0 : a >> b;
	}
}

/* x & | ^ y where y is not a constant: newer nft's bitwise of two
 * registers (the kernel's NFT_BITWISE_AND, OR, XOR), for a field y,
 * masked or not (ct mark | meta mark & 0xffff), on a field or a
 * constant x. */
static int reg_op(struct bw_eval *ev, const struct bw_ast_expr *e,
		  const char *op, struct vres *r, const struct vres *rr)
{
	const struct bw_ir_vexpr *y = &rr->x;
	uint8_t kind = op[0] == '&' ? BW_VX_AND_REG : op[0] == '|' ?
		       BW_VX_OR_REG : BW_VX_XOR_REG;

	if (op[0] == '<' || op[0] == '>')
		return bw_eval_error(ev, &e->right->loc, "Right hand side of binary operation (%s) must be constant",
				     op);
	if (y->base != BW_VX_FIELD || y->nop > 1 ||
	    (y->nop && y->op[0].kind != BW_VX_BOOL))
		return bw_eval_error(ev, &e->right->loc, "the right side of %s here is a constant or a field, masked or not (ct mark | meta mark & 0xffff): not supported yet",
				     op);
	if (r->x.base != BW_VX_FIELD && r->x.base != BW_VX_CONST)
		return bw_eval_error(ev, &e->left->loc, "%s with a field on its right takes a field or a constant on its left: not supported yet",
				     op);
	if (r->x.nop == BW_VX_MAX_OPS)
		return bw_eval_error(ev, &e->loc, "too many operations (at most %d)",
				     BW_VX_MAX_OPS);
	r->x.op[r->x.nop++] = (struct bw_ir_vop){
		.kind = kind, .rkey = y->key[0], .rbool = y->nop == 1,
		.rmask = y->nop ? y->op[0].mask : UINT32_MAX,
		.rxor = y->nop ? y->op[0].xor : 0,
	};
	return 0;
}

static int binop(struct bw_eval *ev, const struct bw_ast_expr *e,
		 const struct bw_sym *scope, uint8_t target, struct vres *r)
{
	struct vres *rr = calloc(1, sizeof(*rr));
	const char *op = e->text;
	bool shift = op[0] == '<' || op[0] == '>';
	int rc;

	if (!rr) {
		ev->oom = true;
		return -ENOMEM;
	}
	rc = eval(ev, e->left, scope, target, r);
	if (!rc && !r->isconst && r->x.base == BW_VX_FIELD && !r->x.nop &&
	    e->right->kind == BW_AE_SYMBOL &&
	    !bw_eval_value_of(bw_field(r->x.key[0]), e->right->text, &rr->c))
		rr->isconst = true;	/* a name of the field's type: af33 */
	else if (!rc)
		rc = eval(ev, e->right, scope, target, rr);
	if (rc)
		goto out;
	if (r->isconst && rr->isconst) {
		r->c = fold(op, r->c, rr->c);
		goto out;
	}
	if (r->isconst && !shift) {
		/* 0x1 | ct mark: nft lists ct mark | 0x00000001 */
		uint32_t c = r->c;

		free(r->x.elem);
		*r = *rr;
		rr->x.elem = NULL;
		rr->isconst = true;
		rr->c = c;
	}
	if (!rr->isconst) {
		rc = reg_op(ev, e, op, r, rr);
		goto out;
	}
	if (shift && rr->c >= 32) {
		rc = bw_eval_error(ev, &e->right->loc, "a shift by %u: at most 31", rr->c);
		goto out;
	}
	switch (op[0]) {
	case '&':
		rc = add_op(ev, &r->x, &e->loc, BW_VX_BOOL, rr->c, 0, 0);
		break;
	case '|':
		rc = add_op(ev, &r->x, &e->loc, BW_VX_BOOL, ~rr->c, rr->c, 0);
		break;
	case '^':
		rc = add_op(ev, &r->x, &e->loc, BW_VX_BOOL, UINT32_MAX, rr->c, 0);
		break;
	default:
		rc = add_op(ev, &r->x, &e->loc, op[0] == '<' ? BW_VX_LSHIFT :
			    BW_VX_RSHIFT, 0, 0, rr->c);
		break;
	}
out:
	free(rr->x.elem);
	free(rr);
	return rc;
}

static int eval(struct bw_eval *ev, const struct bw_ast_expr *e,
		const struct bw_sym *scope, uint8_t target, struct vres *r)
{
	const struct bw_ast_expr *orig = e;
	const struct bw_field *f;

	memset(r, 0, sizeof(*r));
	e = bw_sym_resolve(e, &scope);
	if (!e)
		return bw_eval_error(ev, &orig->loc, "unknown identifier '%s'", orig->text);
	switch (e->kind) {
	case BW_AE_BINOP:
		return binop(ev, e, scope, target, r);
	case BW_AE_FIELD:
		f = fref_field(ev, e->fref);
		if (!f)
			return -EINVAL;
		/* meta iif/oif: the interface's index (nft's iface_index) */
		if (!numeric(f) && f->id != BW_F_META_IIF && f->id != BW_F_META_OIF)
			return bw_eval_error(ev, &e->loc, "datatype mismatch: %s %s is not a number of at most 32 bits, its value cannot be set here (a map can take it as a key)",
					     f->proto, f->name);
		if (target == BW_SETF_META_PRIORITY && f->id != BW_F_META_PRIORITY)
			/* nft: a tc handle, not another field's type */
			return bw_eval_error(ev, &e->fref->field_loc, "meta priority set takes a number");
		r->x.base = BW_VX_FIELD;
		r->x.key[0] = f->id;
		r->x.nkey = 1;
		return 0;
	case BW_AE_MAP:
		return map(ev, e, scope, target, r);
	case BW_AE_GEN:
		return gen(ev, e, r);
	case BW_AE_CONCAT:
		return bw_eval_error(ev, &e->loc, "a concatenation is a map's key here: add map { KEY : VALUE, ... }");
	case BW_AE_LIST:
	case BW_AE_SET:
		return bw_eval_error(ev, &e->loc, "a set statement takes one value");
	default:
		r->isconst = true;
		return constant(ev, target, e, scope, &r->c);
	}
}

/* x into ir->vexpr, its index in *index; out of memory: its elements
 * freed, -ENOMEM. */
static int vexpr_add(struct bw_eval *ev, struct bw_ir_vexpr *x, uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_vexpr *v = reallocarray(ir->vexpr, ir->nvexpr + 1, sizeof(*v));

	if (!v) {
		free(x->elem);
		ev->oom = true;
		return -ENOMEM;
	}
	ir->vexpr = v;
	v[ir->nvexpr] = *x;
	*index = ir->nvexpr++;
	return 0;
}

int bw_eval_vexpr(struct bw_eval *ev, const struct bw_ast_expr *e,
		  const struct bw_sym *scope, uint8_t target, uint32_t *index)
{
	struct vres r;

	if (eval(ev, e, scope, target, &r)) {
		free(r.x.elem);
		return -EINVAL;
	}
	/* nft: a value takes its type from its left operand; an interface
	 * index only on the right of & | ^ (meta mark | iif) */
	if (!r.isconst && r.x.base == BW_VX_FIELD &&
	    (r.x.key[0] == BW_F_META_IIF || r.x.key[0] == BW_F_META_OIF)) {
		free(r.x.elem);
		return bw_eval_error(ev, &e->loc, "datatype mismatch: expected %s, expression has type network interface index",
				     target == BW_SETF_META_MARK || target == BW_SETF_CT_MARK ?
				     "packet mark" : "a number");
	}
	if (r.isconst) {
		r.x.base = BW_VX_CONST;
		r.x.value = r.c;
	}
	r.x.target = target;
	r.x.len = bw_field(target_field(target))->size;
	if (r.x.len == 2 && r.x.base == BW_VX_CONST && r.x.value > UINT16_MAX) {
		free(r.x.elem);
		return bw_eval_error(ev, &e->loc, "value 0x%x exceeds the 16 bits of a zone", r.x.value);
	}
	return vexpr_add(ev, &r.x, index);
}

int bw_eval_vexpr_dev(struct bw_eval *ev, const struct bw_ast_expr *e,
		      const struct bw_sym *scope, uint32_t *index)
{
	struct vres r;

	if (e->kind != BW_AE_MAP)
		return bw_eval_error(ev, &e->loc, "a device is \"NAME\" or KEY map { KEY : \"NAME\", ... }");
	memset(&r, 0, sizeof(r));
	if (map(ev, e, scope, BW_VX_T_DEV, &r)) {
		free(r.x.elem);
		return -EINVAL;
	}
	r.x.target = BW_VX_T_DEV;
	r.x.len = 4;
	return vexpr_add(ev, &r.x, index);
}

int bw_eval_vexpr_nat(struct bw_eval *ev, const struct bw_ast_expr *e,
		      const struct bw_sym *scope, uint8_t l3, bool port,
		      bool l4, bool *has_port, uint32_t *index)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);
	const struct bw_ast_expr *first = NULL;
	uint8_t target = port ? BW_VX_T_NAT_PORT : BW_VX_T_NAT_ADDR;
	struct vres x;

	if (!r)
		return bw_eval_error(ev, &e->loc, "unknown identifier '%s'", e->text);
	if (r->kind != BW_AE_MAP && r->kind != BW_AE_GEN)
		return bw_eval_error(ev, &r->loc, "a nat statement takes an address, or a map or numgen or a hash here");
	if (r->kind == BW_AE_MAP && r->right->kind == BW_AE_SET && r->right->elems &&
	    r->right->elems->kind == BW_AE_MAPELEM)
		first = bw_sym_resolve(r->right->elems->right, &scope);
	if (!port && first && first->kind == BW_AE_CONCAT)
		target = BW_VX_T_NAT_ADDRPORT;
	*has_port = target != BW_VX_T_NAT_ADDR;
	/* a key field of the transport names it too (tcp dport map) */
	for (const struct bw_ast_expr *k = r->kind == BW_AE_MAP ? r->left : NULL; k && !l4;
	     k = k->kind == BW_AE_CONCAT ? k->elems : k->next) {
		const struct bw_field *f = k->kind == BW_AE_FIELD ?
					   bw_field_find(k->fref->proto, k->fref->field) : NULL;

		l4 = f && f->need_l4proto;
		if (k->kind == BW_AE_CONCAT)
			continue;
	}
	if (*has_port && !l4)
		return bw_eval_error(ev, &r->loc, "transport protocol mapping is only valid after transport protocol match");
	memset(&x, 0, sizeof(x));
	x.x.l3 = l3 == 6 ? 6 : 4;
	if (r->kind == BW_AE_MAP) {
		x.x.base = BW_VX_MAP;
		x.x.target = target;
		if (map(ev, r, scope, target, &x)) {
			free(x.x.elem);
			return -EINVAL;
		}
		x.x.l3 = l3 == 6 ? 6 : 4;
	} else if (gen(ev, r, &x)) {
		return -EINVAL;
	}
	x.x.target = target;
	x.x.len = target == BW_VX_T_NAT_PORT ? 2 : x.x.base != BW_VX_MAP ? 4 :
		  (x.x.l3 == 6 ? 16 : 4) + (target == BW_VX_T_NAT_ADDRPORT ? 4 : 0);
	if (x.x.nat_range)
		x.x.len *= 2;	/* min [port], max [port] */
	if (x.x.base != BW_VX_MAP && l3 == 6)
		return bw_eval_error(ev, &r->loc, "numgen or a hash as an IPv6 address: not supported (a map can give one)");
	return vexpr_add(ev, &x.x, index);
}

int bw_eval_vexpr_queue(struct bw_eval *ev, const struct bw_ast_expr *e,
			const struct bw_sym *scope, uint32_t *index)
{
	const struct bw_ast_expr *r = bw_sym_resolve(e, &scope);

	const struct bw_ir_vexpr *v;

	if (!r || (r->kind != BW_AE_MAP && r->kind != BW_AE_GEN))
		return bw_eval_error(ev, &e->loc, "queue to takes a number, a range, a map, numgen or a hash");
	if (bw_eval_vexpr(ev, r, scope, BW_VX_T_QUEUE, index))
		return -EINVAL;
	v = &ev->ir->vexpr[*index];
	/* nft: a generator's numbers must be queue numbers (16 bits) */
	if (v->base != BW_VX_MAP && (uint64_t)v->mod - 1 + v->offset > UINT16_MAX)
		return bw_eval_error(ev, &r->loc, "queue number too large: %s %u and offset %u reach %llu (at most 65535)",
				     v->base == BW_VX_NUMGEN ? "numgen mod" : "the hash's mod",
				     v->mod, v->offset,
				     (unsigned long long)v->mod - 1 + v->offset);
	return 0;
}

/* ---- listing ---- */

void bw_print_vexpr_const(struct bw_pbuf *b, uint8_t target, uint32_t v)
{
	switch (target) {
	case BW_SETF_META_PRIORITY:
		bw_pbuf_printf(b, "%x:%x", v >> 16, v & 0xffff);
		break;
	case BW_SETF_CT_ZONE:
	case BW_SETF_CT_ZONE_ORIG:
	case BW_SETF_CT_ZONE_REPLY:
	case BW_VX_T_QUEUE:
		bw_pbuf_printf(b, "%u", v);
		break;
	default:
		bw_pbuf_printf(b, "0x%08x", v);
	}
}

static void field_name(struct bw_pbuf *b, enum bw_field_id id)
{
	const struct bw_field *f = bw_field(id);

	bw_print_fref_name(b, f->proto, f->name);
}

static void keys(struct bw_pbuf *b, const struct bw_ir_vexpr *v)
{
	for (uint32_t k = 0; k < v->nkey; k++) {
		bw_pbuf_put(b, k ? " . " : "");
		field_name(b, v->key[k]);
	}
	if (v->has_kmask) {
		bw_pbuf_put(b, " & ");
		bw_print_value(b, bw_field(v->key[0]), v->kmask);
	}
}

/* A constant on the right of an operation, in the type of what it
 * operates on (nft: the left side's): a mark's eight hex digits, a
 * dscp's name, a plain number. */
static void operand(struct bw_pbuf *b, const struct bw_ir_vexpr *v, uint32_t c,
		    bool shifted, bool after_reg)
{
	const struct bw_field *f;
	const char *name;
	unsigned bits;

	if (v->base != BW_VX_FIELD || after_reg) {
		bw_print_vexpr_const(b, v->target == BW_SETF_META_PRIORITY ?
				     BW_SETF_META_MARK : v->target, c);
		return;
	}
	f = bw_field(v->key[0]);
	bits = f->bits ? f->bits : f->size * 8u;
	/* a name of the field's type (ip dscp & af33), before a shift
	 * makes the value a plain number */
	name = !shifted && f->size <= 4 && (bits >= 32 || !(c >> bits)) ?
	       bw_eval_value_name(f, c) : NULL;
	if (name)
		bw_pbuf_put(b, name);
	else
		bw_pbuf_printf(b, "0x%0*x", (int)((bits + 3) / 4), c);
}

static void base(struct bw_pbuf *b, const struct bw_ir_vexpr *v);

static void nat_value(struct bw_pbuf *b, const struct bw_ir_vexpr *v,
		      const uint8_t *d, const uint8_t *range)
{
	const struct bw_field *a = bw_field(v->l3 == 6 ? BW_F_IP6_SADDR : BW_F_IP_SADDR);
	const struct bw_field *p = bw_field(BW_F_TCP_DPORT);
	uint32_t half = a->size + (v->target == BW_VX_T_NAT_ADDRPORT ? 4u : 0u);

	if (v->nat_range && v->target != BW_VX_T_NAT_PORT) {
		/* as nft lists them: a prefix where the range is one, and
		 * one address alone as a whole prefix (1.1.2.69/32), but
		 * before a port */
		bw_print_interval(b, a, range, range + half);
		if (v->target == BW_VX_T_NAT_ADDR && !memcmp(range, range + half, a->size))
			bw_pbuf_printf(b, "/%u", a->size * 8u);
		if (v->target == BW_VX_T_NAT_ADDRPORT) {
			bw_pbuf_put(b, " . ");
			bw_print_interval(b, p, range + a->size, range + half + a->size);
		}
		return;
	}
	if (v->target == BW_VX_T_NAT_PORT) {
		bw_pbuf_printf(b, "%u", (unsigned)(d[0] << 8 | d[1]));
		return;
	}
	bw_print_value(b, a, d);
	if (v->target == BW_VX_T_NAT_ADDRPORT)
		bw_pbuf_printf(b, " . %u", (unsigned)(d[a->size] << 8 | d[a->size + 1]));
}

static void base(struct bw_pbuf *b, const struct bw_ir_vexpr *v)
{
	const char *sep = "";

	switch (v->base) {
	case BW_VX_CONST:
		bw_print_vexpr_const(b, v->target, v->value);
		break;
	case BW_VX_FIELD:
		field_name(b, v->key[0]);
		break;
	case BW_VX_MAP:
		if (v->keygen) {
			struct bw_ir_vexpr g = *v;

			g.base = v->keygen;
			g.nop = 0;
			base(b, &g);
		} else {
			keys(b, v);
		}
		if (v->named) {		/* a named map of data */
			bw_pbuf_printf(b, " map @%s", v->mapname);
			break;
		}
		bw_pbuf_put(b, " map { ");
		for (uint32_t i = 0; i < v->nelem; i++) {
			const struct bw_ir_vmap_elem *e = &v->elem[i];
			uint32_t off = 0;

			bw_pbuf_put(b, sep);
			sep = ", ";
			if (e->catchall)
				bw_pbuf_put(b, "*");
			else if (v->keygen && memcmp(e->lo, e->hi, 4))
				bw_pbuf_printf(b, "%u-%u", be_u32(e->lo, 4), be_u32(e->hi, 4));
			else if (v->keygen)
				bw_pbuf_printf(b, "%u", be_u32(e->lo, 4));
			for (uint32_t k = 0; !e->catchall && !v->keygen && k < v->nkey; k++) {
				const struct bw_field *f = bw_field(v->key[k]);

				bw_pbuf_put(b, k ? " . " : "");
				bw_print_interval(b, f, e->lo + off, e->hi + off);
				off += f->size;
			}
			bw_pbuf_put(b, " : ");
			if (v->target == BW_VX_T_DEV)
				bw_pbuf_printf(b, "\"%.15s\"", (const char *)e->ndata);
			else if (bw_vx_nat(v->target))
				nat_value(b, v, e->ndata, e->nrange);
			else
				bw_print_vexpr_const(b, v->target, e->data);
		}
		bw_pbuf_put(b, " }");
		break;
	case BW_VX_NUMGEN:
		bw_pbuf_printf(b, "numgen %s mod %u", v->random ? "random" : "inc", v->mod);
		break;
	case BW_VX_JHASH:
		bw_pbuf_put(b, "jhash ");
		keys(b, v);
		bw_pbuf_printf(b, " mod %u", v->mod);
		if (v->has_seed)
			bw_pbuf_printf(b, " seed 0x%x", v->seed);
		break;
	case BW_VX_SYMHASH:
		bw_pbuf_printf(b, "symhash mod %u", v->mod);
		break;
	}
	if (v->base >= BW_VX_NUMGEN && v->offset)	/* nft: when not 0 */
		bw_pbuf_printf(b, " offset %u", v->offset);
}

/* nft's binding of its operators: << >> 1, & 2, ^ 3, | 4 (0: none) */
static void wrap(struct bw_pbuf *b, char **text, int *prec, int p,
		 const char *op)
{
	struct bw_pbuf t = { 0 };

	if (*prec > p)
		bw_pbuf_printf(&t, "(%s) %s ", *text, op);
	else
		bw_pbuf_printf(&t, "%s %s ", *text, op);
	free(*text);
	*text = bw_pbuf_take(&t);
	*prec = p;
	(void)b;
}

void bw_print_vexpr(struct bw_pbuf *b, const struct bw_ir_vexpr *v)
{
	struct bw_pbuf t = { 0 };
	bool shifted = false, after_reg = false;
	char *text;
	int prec = 0;

	base(&t, v);
	text = bw_pbuf_take(&t);
	for (uint32_t i = 0; text && i < v->nop; i++) {
		const struct bw_ir_vop *o = &v->op[i];
		uint32_t m = o->mask, x = o->xor, or = 0;
		struct bw_pbuf u = { 0 };

		if (bw_vx_regop(o->kind)) {
			/* & | ^ another field: that field as its own
			 * expression (meta mark & 0x0000ffff); constants after
			 * it are the target's (| 0x00000200) */
			struct bw_ir_vexpr y = {
				.base = BW_VX_FIELD, .target = v->target,
				.nkey = 1, .key = { o->rkey }, .nop = o->rbool,
				.op = { { .kind = BW_VX_BOOL, .mask = o->rmask,
					  .xor = o->rxor } },
			};
			int p = o->kind == BW_VX_AND_REG ? 2 : o->kind == BW_VX_XOR_REG ? 3 : 4;

			wrap(b, &text, &prec, p, p == 2 ? "&" : p == 3 ? "^" : "|");
			bw_pbuf_put(&u, text);
			if (o->rbool && p == 2)	/* a & (b & m): as nft, in parentheses */
				bw_pbuf_put(&u, "(");
			bw_print_vexpr(&u, &y);
			if (o->rbool && p == 2)
				bw_pbuf_put(&u, ")");
			free(text);
			text = bw_pbuf_take(&u);
			after_reg = true;
			continue;
		}
		if (o->kind != BW_VX_BOOL) {
			shifted = true;
			wrap(b, &text, &prec, 1, o->kind == BW_VX_LSHIFT ? "<<" : ">>");
			bw_pbuf_put(&u, text);
			bw_pbuf_printf(&u, "%u", o->shift);
			free(text);
			text = bw_pbuf_take(&u);
			continue;
		}
		/* as nft reads a bitwise back: and, xor, or */
		if (m != UINT32_MAX || x) {
			or = (m & x) ^ x;
			x &= m;
			m |= or;
		}
		if (m != UINT32_MAX) {
			wrap(b, &text, &prec, 2, "&");
			bw_pbuf_put(&u, text);
			operand(&u, v, m, shifted, after_reg);
			free(text);
			text = bw_pbuf_take(&u);
		}
		if (x) {
			wrap(b, &text, &prec, 3, "^");
			bw_pbuf_put(&u, text);
			operand(&u, v, x, shifted, after_reg);
			free(text);
			text = bw_pbuf_take(&u);
		}
		if (or) {
			wrap(b, &text, &prec, 4, "|");
			bw_pbuf_put(&u, text);
			operand(&u, v, or, shifted, after_reg);
			free(text);
			text = bw_pbuf_take(&u);
		}
	}
	if (text)
		bw_pbuf_put(b, text);
	free(text);
}
