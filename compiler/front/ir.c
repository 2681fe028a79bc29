// SPDX-License-Identifier: GPL-2.0-only
/* IR helpers shared by every consumer of the IR (see ir.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir.h"
#include "valexpr.h"

void bw_ir_free(struct bw_ir **pir)
{
	struct bw_ir *ir = pir ? *pir : NULL;

	if (!ir)
		return;
	for (uint32_t c = 0; c < ir->nchain; c++) {
		struct bw_ir_chain *ch = &ir->chain[c];

		for (uint32_t r = 0; r < ch->nrule; r++) {
			for (uint32_t m = 0; m < ch->rule[r].nmatch; m++)
				free(ch->rule[r].match[m].elem);
			free(ch->rule[r].match);
			free(ch->rule[r].vmap.elem);
			free(ch->rule[r].stmt);
			free(ch->rule[r].dkey);
		}
		free(ch->rule);
		free(ch->table);
		free(ch->name);
		free(ch->device);
		free(ch->more_dev);
	}
	free(ir->chain);
	for (uint32_t i = 0; i < ir->nset; i++) {
		free(ir->set[i].name);
		free(ir->set[i].table);
		free(ir->set[i].elem);
	}
	free(ir->set);
	for (uint32_t i = 0; i < ir->nlog; i++)
		free(ir->log[i].prefix);
	free(ir->log);
	free(ir->nat);
	free(ir->setf);
	for (uint32_t i = 0; i < ir->nvexpr; i++)
		free(ir->vexpr[i].elem);
	free(ir->vexpr);
	free(ir->quota);
	for (uint32_t i = 0; i < ir->nobj; i++) {
		free(ir->obj[i].table);
		free(ir->obj[i].name);
	}
	free(ir->obj);
	for (uint32_t i = 0; i < ir->nobjref; i++)
		free(ir->objref[i].map.elem);
	free(ir->objref);
	free(ir->queue);
	free(ir->tproxy);
	free(ir->synproxy);
	free(ir->hdrset);
	free(ir->dynset);
	free(ir->dup);
	free(ir->fwd);
	for (uint32_t i = 0; i < ir->nflowtable; i++) {
		free(ir->flowtable[i].table);
		free(ir->flowtable[i].name);
		free(ir->flowtable[i].dev);
	}
	free(ir->flowtable);
	free(ir->limit);
	free(ir->text);
	free(ir);
	*pir = NULL;
}

uint32_t bw_ir_set_keyoff(const struct bw_ir_set *s, uint32_t i)
{
	uint32_t off = 0;

	for (uint32_t k = 0; k < i && k < s->nkey; k++)
		off += bw_field(s->key[k])->size;
	return off;
}

const struct bw_ir_setelem *bw_ir_set_find(const struct bw_ir_set *s,
					   const uint8_t *key)
{
	for (uint32_t i = 0; i < s->nelem; i++) {
		const struct bw_ir_setelem *e = &s->elem[i];
		bool in = true;

		for (uint32_t k = 0; k < s->nkey && in; k++) {
			uint32_t off = bw_ir_set_keyoff(s, k);
			uint32_t n = bw_field(s->key[k])->size;

			in = memcmp(key + off, e->lo + off, n) >= 0 &&
			     memcmp(key + off, e->hi + off, n) <= 0;
		}
		if (in)
			return e;
	}
	return NULL;
}

void bw_ir_rule_targets(const struct bw_ir *ir, const struct bw_ir_rule *r,
			void (*fn)(void *arg, uint32_t chain, bool jump),
			void *arg)
{
	if (r->verdict == BW_VERDICT_JUMP || r->verdict == BW_VERDICT_GOTO) {
		fn(arg, r->target, r->verdict == BW_VERDICT_JUMP);
		return;
	}
	if (!bw_ir_rule_vmap(r) || r->vmap.set >= ir->nset)
		return;
	for (uint32_t i = 0; i <= ir->set[r->vmap.set].nelem; i++) {
		const struct bw_ir_set *s = &ir->set[r->vmap.set];
		const struct bw_ir_setelem *e = i < s->nelem ? &s->elem[i] :
						s->has_catchall ? &s->catchall : NULL;

		if (e && (e->verdict == BW_VERDICT_JUMP || e->verdict == BW_VERDICT_GOTO))
			fn(arg, e->target, e->verdict == BW_VERDICT_JUMP);
	}
}

static bool elem_holds(const struct bw_ir_elem *e, const uint8_t *x,
		       unsigned size)
{
	uint8_t m[BW_VAL_MAX];

	for (unsigned i = 0; i < size; i++)
		m[i] = x[i] & e->mask[i];
	return memcmp(m, e->lo, size) >= 0 && memcmp(m, e->hi, size) <= 0;
}

bool bw_ir_match_holds(const struct bw_ir_match *m, const uint8_t *x)
{
	unsigned size = bw_field(m->field)->size;
	bool any = false;

	for (uint32_t i = 0; i < m->nelem && !any; i++)
		any = elem_holds(&m->elem[i], x, size);
	return m->neg ? !any : any;
}

const struct bw_ir_rule *bw_ir_rule_by_handle(const struct bw_ir *ir,
					      uint32_t handle,
					      const struct bw_ir_chain **chain)
{
	for (uint32_t c = 0; c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];
		const struct bw_ir_rule *r = NULL;
		uint32_t first;

		if (!ch->nrule)
			continue;
		/* evaluate numbers rules in order: a chain whose handles
		 * run without gaps is indexed directly, others searched */
		first = ch->rule[0].handle;
		if (ch->rule[ch->nrule - 1].handle - first == ch->nrule - 1) {
			if (handle >= first && handle - first < ch->nrule)
				r = &ch->rule[handle - first];
		} else {
			for (uint32_t i = 0; !r && i < ch->nrule; i++)
				if (ch->rule[i].handle == handle)
					r = &ch->rule[i];
		}
		if (r) {
			if (chain)
				*chain = ch;
			return r;
		}
	}
	return NULL;
}

void bw_ir_counter_initial(void *arg, uint32_t handle, uint64_t *packets,
			   uint64_t *bytes)
{
	const struct bw_ir *ir = arg;
	const struct bw_ir_rule *r = bw_ir_rule_by_handle(ir, handle, NULL);

	*packets = r ? r->counter_packets : 0;
	*bytes = r ? r->counter_bytes : 0;
}

/* The text between markers end and close, or repl in its place (which
 * is freed); where the text goes on. */
static const char *render_text(FILE *f, char *repl, const char *end,
			       const char *close)
{
	if (repl) {
		fputs(repl, f);
		free(repl);
	} else {
		fwrite(end + 1, 1, (size_t)(close - end - 1), f);
	}
	return close + 1;
}

/* A set's marked elements: "\x1e<index> <family> <table> <name>\x1e" LINE
 * "\x1e"; p points past the first marker.  Returns where the text goes
 * on, or NULL when the markers are broken. */
static const char *render_set(FILE *f, const char *p, bw_set_elems_fn elems,
			      void *arg)
{
	const char *end = strchr(p, '\x1e'), *close;
	char family[16], table[256], name[256], *repl = NULL;
	unsigned idx;

	if (!end || !(close = strchr(end + 1, '\x1e')))
		return NULL;
	if (elems && sscanf(p, "%u %15s %255s %255[^\x1e]", &idx, family, table,
			    name) == 4)
		repl = elems(arg, idx, family, table, name);
	return render_text(f, repl, end, close);
}

/* A named object's marked state: "\x1d<family> <table> <kind> <name>\x1d"
 * TEXT "\x1d"; p points past the first marker. */
static const char *render_obj(FILE *f, const char *p, bw_obj_state_fn objs,
			      void *arg)
{
	const char *end = strchr(p, '\x1d'), *close;
	char family[16], table[256], kind[32], name[256], *repl = NULL;

	if (!end || !(close = strchr(end + 1, '\x1d')))
		return NULL;
	if (objs && sscanf(p, "%15s %255s %31s %255[^\x1d]", family, table, kind,
			   name) == 4)
		repl = objs(arg, family, table, kind, name);
	return render_text(f, repl, end, close);
}

/* A quota's marker "\x1d<q> <bytes>\x1d TEXT \x1d"; p points past the
 * first.  The count no more than the quota (nft_quota's dump), in nft's
 * unit: the largest of bytes, kbytes, mbytes that is exact. */
static const char *render_quota(FILE *f, const char *p, bw_counter_get_fn get,
				void *arg)
{
	const char *end = strchr(p, '\x1d'), *close;
	uint64_t n = 0, known = 0;
	const char *unit = "bytes";

	if (!end || !(close = strchr(end + 1, '\x1d')))
		return NULL;
	char *q;
	uint32_t idx = (uint32_t)strtoul(p, &q, 10);
	uint64_t cap = strtoull(q, NULL, 10);

	if (get)
		get(arg, BW_IR_QUOTA_KEY | idx, &n, &known);
	if (n > cap)
		n = cap;
	if (known != 1) {
		fwrite(end + 1, 1, (size_t)(close - end - 1), f);
		return close + 1;
	}
	for (int i = 0; i < 2 && n && n % 1024 == 0; i++) {
		n /= 1024;
		unit = i ? "mbytes" : "kbytes";
	}
	if (n)
		fprintf(f, " used %llu %s", (unsigned long long)n, unit);
	return close + 1;
}

char *bw_ir_text_render_sets(const char *text, bw_counter_get_fn get,
			     bw_set_elems_fn elems, void *arg)
{
	return bw_ir_text_render_objs(text, get, elems, NULL, arg);
}

char *bw_ir_text_render_objs(const char *text, bw_counter_get_fn get,
			     bw_set_elems_fn elems, bw_obj_state_fn objs,
			     void *arg)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	const char *p = text;

	if (!f)
		return NULL;
	while (*p) {
		const char *m = p + strcspn(p, "\x1f\x1e\x1d");
		const char *e;
		uint64_t pk = 0, by = 0;

		fwrite(p, 1, (size_t)(m - p), f);
		if (!*m)
			break;
		if (*m == '\x1d') {
			/* a netdev quota's count ("\x1d<q> ..."), or a named
			 * object's state ("\x1d<family> ...") */
			p = isdigit((unsigned char)m[1]) ?
			    render_quota(f, m + 1, get, arg) :
			    render_obj(f, m + 1, objs, arg);
			if (!p)
				break;
			continue;
		}
		if (*m == '\x1e') {
			p = render_set(f, m + 1, elems, arg);
			if (!p)
				break;
			continue;
		}
		e = strchr(m + 1, '\x1f');
		if (!e)
			break;
		if (get)
			get(arg, (uint32_t)strtoul(m + 1, NULL, 10), &pk, &by);
		fprintf(f, "packets %llu bytes %llu", (unsigned long long)pk,
			(unsigned long long)by);
		p = e + 1;
	}
	if (fclose(f)) {
		free(out);
		return NULL;
	}
	return out;
}

char *bw_ir_text_render(const char *text, bw_counter_get_fn get, void *arg)
{
	return bw_ir_text_render_sets(text, get, NULL, arg);
}

/* Insert chain c into idx[0, n) after every chain that runs before it:
 * an earlier hook, or the same hook at a lower or equal priority. */
static uint32_t insert_ordered(const struct bw_ir *ir, uint32_t *idx,
			       uint32_t n, uint32_t c)
{
	const struct bw_ir_chain *ch = &ir->chain[c];
	uint32_t i = n;

	/* insertion sort: stable, n is small */
	while (i > 0) {
		const struct bw_ir_chain *p = &ir->chain[idx[i - 1]];

		if (p->hook < ch->hook ||
		    (p->hook == ch->hook && p->priority <= ch->priority))
			break;
		idx[i] = idx[i - 1];
		i--;
	}
	idx[i] = c;
	return n + 1;
}

static bool on_device(const struct bw_ir_chain *ch, const char *dev)
{
	return bw_ir_chain_on_device(ch, dev);
}

bool bw_ir_chain_on_device(const struct bw_ir_chain *ch, const char *dev)
{
	if (!dev || !ch->device)
		return false;
	if (!strcmp(ch->device, dev))
		return true;
	for (uint32_t i = 0; i < ch->nmore_dev; i++)
		if (!strcmp(ch->more_dev[i], dev))
			return true;
	return false;
}

uint32_t bw_ir_chains_for(const struct bw_ir *ir, bool hook_egress,
			  const char *ifname, bool ip_hooks, uint32_t *idx)
{
	uint32_t n = 0;

	for (uint32_t c = 0; c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];
		bool take;

		switch (ch->hook) {
		case BW_CHAIN_INGRESS:
		case BW_CHAIN_EGRESS:
			take = (ch->hook == BW_CHAIN_EGRESS) == hook_egress &&
			       on_device(ch, ifname);
			break;
		case BW_CHAIN_INPUT:
		case BW_CHAIN_OUTPUT:
			take = ip_hooks && !bw_family_nft_only(ch->family) &&
			       (ch->hook == BW_CHAIN_OUTPUT) == hook_egress;
			break;
		default:
			take = false;
		}
		if (take)
			n = insert_ordered(ir, idx, n, c);
	}
	return n;
}

const char *const bw_path_name[] = {
	[BW_PATH_IN] = "ingress", [BW_PATH_OUT] = "egress",
	[BW_PATH_FORWARD] = "forward",
};

uint32_t bw_ir_chains_path(const struct bw_ir *ir, enum bw_path path,
			   const char *iif, const char *oif, uint32_t *idx)
{
	uint32_t n = 0;

	for (uint32_t c = 0; c < ir->nchain; c++) {
		const struct bw_ir_chain *ch = &ir->chain[c];
		bool take;

		switch (ch->hook) {
		case BW_CHAIN_INGRESS:
			take = path != BW_PATH_OUT && on_device(ch, iif);
			break;
		case BW_CHAIN_PREROUTING:
			take = path != BW_PATH_OUT;
			break;
		case BW_CHAIN_INPUT:
			take = path == BW_PATH_IN;
			break;
		case BW_CHAIN_FORWARD:
			take = path == BW_PATH_FORWARD;
			break;
		case BW_CHAIN_OUTPUT:
			take = path == BW_PATH_OUT;
			break;
		case BW_CHAIN_POSTROUTING:
			take = path != BW_PATH_IN;
			break;
		case BW_CHAIN_EGRESS:
			take = path != BW_PATH_IN && on_device(ch, oif);
			break;
		default:
			take = false;
		}
		if (take)
			n = insert_ordered(ir, idx, n, c);
	}
	return n;
}

bool bw_path_has_iface(enum bw_path path, enum bw_chain_hook h, bool out)
{
	switch (h) {
	case BW_CHAIN_INGRESS:
	case BW_CHAIN_PREROUTING:
	case BW_CHAIN_INPUT:
		return !out;
	case BW_CHAIN_FORWARD:
		return true;
	case BW_CHAIN_OUTPUT:
	case BW_CHAIN_EGRESS:
		return out;
	case BW_CHAIN_POSTROUTING:
		return out || path == BW_PATH_FORWARD;
	default:
		return false;
	}
}

static bool match_reads(const struct bw_ir_match *m, enum bw_field_id f)
{
	if (m->field == f)
		return true;
	for (uint32_t k = 0; m->lookup && k < m->nfield; k++)
		if (m->fields[k] == f)
			return true;
	return false;
}

static bool rule_reads(const struct bw_ir_rule *ru, enum bw_field_id f)
{
	if (bw_ir_rule_vmap(ru) && match_reads(&ru->vmap, f))
		return true;
	for (uint32_t m = 0; m < ru->nmatch; m++)
		if (match_reads(&ru->match[m], f))
			return true;
	for (uint32_t k = 0; k < ru->ndkey; k++)
		if (match_reads(&ru->dkey[k], f))
			return true;
	return false;
}

/* The lowest field of match m that pred holds for, or BW_F__MAX. */
static int match_first(const struct bw_ir_match *m,
		       bool (*pred)(const struct bw_field *))
{
	int best = BW_F__MAX;

	if (pred(bw_field(m->field)))
		best = m->field;
	for (uint32_t k = 0; m->lookup && k < m->nfield; k++)
		if ((int)m->fields[k] < best && pred(bw_field(m->fields[k])))
			best = m->fields[k];
	return best;
}

/* The lowest field of rule ru that pred holds for, or BW_F__MAX: one
 * pass over its matches, not one per field id. */
static int rule_first(const struct bw_ir_rule *ru,
		      bool (*pred)(const struct bw_field *))
{
	int best = BW_F__MAX, f;

	if (bw_ir_rule_vmap(ru))
		best = match_first(&ru->vmap, pred);
	for (uint32_t m = 0; m < ru->nmatch; m++)
		if ((f = match_first(&ru->match[m], pred)) < best)
			best = f;
	for (uint32_t k = 0; k < ru->ndkey; k++)
		if ((f = match_first(&ru->dkey[k], pred)) < best)
			best = f;
	return best;
}

static bool kernel_only(const struct bw_field *f)
{
	return f->src == BW_FS_KERNEL;
}

/* The first field of rule ru that only the kernel's nf_tables reads
 * (BW_FS_KERNEL), or -1. */
int bw_ir_rule_kernel_field(const struct bw_ir_rule *ru)
{
	int f = rule_first(ru, kernel_only);

	return f < BW_F__MAX ? f : -1;
}

bool bw_ir_rule_reads(const struct bw_ir_rule *ru, uint64_t fields)
{
	for (int f = 0; f < BW_F__MAX && f < BW_F_MASK_BITS; f++) {
		if ((fields & (UINT64_C(1) << f)) && rule_reads(ru, f))
			return true;
	}
	return false;
}

static bool chain_reads(const struct bw_ir_chain *ch, enum bw_field_id f)
{
	for (uint32_t r = 0; r < ch->nrule; r++)
		if (rule_reads(&ch->rule[r], f))
			return true;
	return false;
}

bool bw_ir_uses_field(const struct bw_ir *ir, enum bw_field_id f)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		if (chain_reads(&ir->chain[c], f))
			return true;
	return false;
}

static bool reads_exthdrs(const struct bw_field *f)
{
	return f->exthdrs;
}

bool bw_ir_uses_exthdrs(const struct bw_ir *ir)
{
	for (uint32_t c = 0; c < ir->nchain; c++)
		for (uint32_t r = 0; r < ir->chain[c].nrule; r++)
			if (rule_first(&ir->chain[c].rule[r], reads_exthdrs) <
			    BW_F__MAX)
				return true;
	return false;
}

struct reach_walk {
	const struct bw_ir *ir;
	bool *seen;
};

static void reach_mark(void *arg, uint32_t chain, bool jump)
{
	struct reach_walk *w = arg;

	(void)jump;
	if (chain >= w->ir->nchain || w->seen[chain])
		return;
	w->seen[chain] = true;
	for (uint32_t r = 0; r < w->ir->chain[chain].nrule; r++)
		bw_ir_rule_targets(w->ir, &w->ir->chain[chain].rule[r],
				   reach_mark, w);
}

void bw_ir_chains_reach(const struct bw_ir *ir, const uint32_t *idx,
			uint32_t n, bool *seen)
{
	struct reach_walk w = { .ir = ir, .seen = seen };

	memset(seen, 0, ir->nchain * sizeof(*seen));
	for (uint32_t i = 0; i < n; i++)
		reach_mark(&w, idx[i], false);
}

bool bw_ir_chains_use_field(const struct bw_ir *ir, const uint32_t *idx,
			    uint32_t n, enum bw_field_id f)
{
	bool found = false, *seen = calloc(ir->nchain ? ir->nchain : 1,
					   sizeof(*seen));

	if (!seen)
		return bw_ir_uses_field(ir, f);	/* the safe answer */
	bw_ir_chains_reach(ir, idx, n, seen);
	for (uint32_t c = 0; c < ir->nchain && !found; c++)
		found = seen[c] && chain_reads(&ir->chain[c], f);
	free(seen);
	return found;
}
