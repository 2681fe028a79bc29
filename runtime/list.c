// SPDX-License-Identifier: GPL-2.0-only
/*
 * list ruleset: the pinned ruleset text with counters summed over CPUs,
 * the parser's drops per reason, the events lost, the attach points.
 * flush ruleset: detach, and remove what bpfwall pinned, nothing else.
 *
 * JSON (-j), one object:
 *   {"ruleset": TEXT, "counters": [{"handle": H, "packets": P, "bytes": B}],
 *    "drops": {"eth-truncated": N, ...}, "lost": {"log": N, "audit": N},
 *    "attach": [{"hook": "ingress", "device": "eth0", "ifindex": 3,
 *                "mode": "xdp native", "attached": true}],
 *    "unrecorded": [{"pin": "link_xdp_5", "what": "ingress xdp generic on
 *                    ifindex 5", "attached": true}]}
 * An attach point the state names is "attached" only when the kernel says
 * so (else "why" says why: its pin or its device is gone, ...); its mode
 * is the kernel's.  "unrecorded": attachments pinned that the state does
 * not name (a load killed mid-swap left them; the next load removes
 * them).  With nothing loaded: {"ruleset": null, "counters": [],
 * "drops": {}, "lost": {"log": 0, "audit": 0}, "attach": [],
 * "unrecorded": []}.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "compat.h"
#include "rt.h"
#include "compiler/bpf/build.h"
#include "audit.h"
#include "compiler/front/view.h"
#include "compiler/front/objects.h"
#include "compiler/bpf/log.h"

void bw_rt_json_rule(FILE *f, const char *file, uint32_t line,
		     uint32_t handle)
{
	if (!line) {
		fputs("null", f);
		return;
	}
	fputs("{\"file\":", f);
	bw_rt_json_string(f, file);
	fprintf(f, ",\"line\":%u,\"handle\":%u}", line, handle);
}

void bw_rt_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

struct counters_ctx {
	int fd;
	uint32_t nhandle;
	int limits_fd;			/* the limits and quotas (-1: none) */
	uint32_t nlimits;		/* its slots */
	/* the counters of the rules in nf_tables, by handle (NULL: none) */
	uint64_t (*nft)[2];
};

static void counter_get(void *arg, uint32_t handle, uint64_t *packets,
			uint64_t *bytes)
{
	const struct counters_ctx *c = arg;
	uint64_t v[2] = { 0, 0 };
	uint32_t q = handle & ~BW_IR_QUOTA_KEY, slot = c->nlimits - 1 - q;

	if (handle & BW_IR_QUOTA_KEY) {		/* a quota's count */
		*packets = 0;
		*bytes = c->limits_fd >= 0 && q < c->nlimits &&
			 !bpf_map_lookup_elem(c->limits_fd, &slot, packets);
		return;
	}
	if (c->fd >= 0 && handle < c->nhandle)
		bw_rt_percpu_sum(c->fd, handle, 2, v);
	if (c->nft && handle < c->nhandle) {	/* a rule nf_tables runs */
		v[0] += c->nft[handle][0];
		v[1] += c->nft[handle][1];
	}
	*packets = v[0];
	*bytes = v[1];
}

static void nft_counter(void *arg, uint32_t handle, uint64_t packets,
			uint64_t bytes)
{
	struct counters_ctx *c = arg;

	if (handle < c->nhandle) {
		c->nft[handle][0] += packets;
		c->nft[handle][1] += bytes;
	}
}

/* The counters of bpfwall's rules in nf_tables, if it has tables there. */
static void nft_counters(struct counters_ctx *c)
{
	int present = bw_rt_nft_present(BW_BUILD_NFT_TABLE);

	if (present <= 0 || !c->nhandle)
		return;
	c->nft = calloc(c->nhandle, sizeof(*c->nft));
	if (c->nft && bw_rt_nft_counters(BW_BUILD_NFT_TABLE, nft_counter, c))
		bw_rt_debug("cannot read the counters of bpfwall's nf_tables rules");
}

/* The named counters and quotas in bpfwall's nf_tables tables. */
struct obj_state {
	char family[8];
	char *name;
	uint32_t type;			/* NFT_OBJECT_COUNTER or _QUOTA */
	uint64_t v1, v2;
	uint32_t flags;
};

struct sets_ctx {
	const struct bw_rt_pin *pin;
	struct bw_build_list *li;	/* the state's list data */
	struct counters_ctx *cc;
	int *err;
	struct obj_state *objs;		/* read at the first object */
	uint32_t nobj, cap_obj;
	bool objs_read;
};

static void sets_counter_get(void *arg, uint32_t handle, uint64_t *packets,
			     uint64_t *bytes)
{
	counter_get(((struct sets_ctx *)arg)->cc, handle, packets, bytes);
}

static char *sets_elems(void *arg, uint32_t index, const char *family,
			const char *table, const char *name)
{
	const struct sets_ctx *c = arg;
	char *text;
	int err = 0;

	(void)family;
	(void)table;
	(void)name;
	if (!c->li || index >= c->li->ir->nset)
		return NULL;
	text = bw_rt_set_elems(c->pin, c->li->ir, &c->li->layout[index],
			       index, &err);
	if (err && !*c->err)
		*c->err = err;
	return text;
}

static void obj_collect(void *arg, const char *family, const char *name,
			uint32_t type, uint64_t v1, uint64_t v2, uint32_t flags)
{
	struct sets_ctx *c = arg;
	struct obj_state *v = c->objs;

	if (c->nobj == c->cap_obj) {
		uint32_t cap = c->cap_obj ? c->cap_obj * 2 : 16;

		v = reallocarray(c->objs, cap, sizeof(*v));
		if (!v)
			return;
		c->objs = v;
		c->cap_obj = cap;
	}
	v = &c->objs[c->nobj];
	snprintf(v->family, sizeof(v->family), "%s", family);
	v->name = strdup(name);
	if (!v->name)
		return;
	v->type = type;
	v->v1 = v1;
	v->v2 = v2;
	v->flags = flags;
	c->nobj++;
}

/* A named counter's or quota's state, as nf_tables holds it (NULL: it
 * has none there; the listing keeps the declared state).  The plan names
 * an object TABLE.NAME where two tables of a family have one of that
 * name. */
static char *obj_state(void *arg, const char *family, const char *table,
		       const char *kind, const char *name)
{
	struct sets_ctx *c = arg;
	uint32_t type = !strcmp(kind, "counter") ? 1 : 2;	/* NFT_OBJECT_* */
	struct bw_pbuf b = { 0 };
	char full[520];

	if (!c->objs_read) {
		c->objs_read = true;
		if (bw_rt_nft_present(BW_BUILD_NFT_TABLE) > 0 &&
		    bw_rt_nft_objs(BW_BUILD_NFT_TABLE, obj_collect, c))
			bw_rt_debug("cannot read bpfwall's named objects in nf_tables");
	}
	snprintf(full, sizeof(full), "%s.%s", table, name);
	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < c->nobj; i++) {
			const struct obj_state *o = &c->objs[i];

			if (o->type != type || strcmp(o->family, family) ||
			    strcmp(o->name, pass ? name : full))
				continue;
			bw_print_obj_state(&b, (uint8_t)type, o->v1, o->v2, o->flags & 1);
			return bw_pbuf_take(&b);
		}
	return NULL;
}

/* The state's description of its named sets (NULL: it has none).  A
 * state of version 1 or 2 has none: its text had to be compiled again,
 * which the runtime does not do; one whose sets cannot be read is
 * refused with what to do (said). */
static int list_data(const struct bw_rt_state *st, struct bw_build_list **li)
{
	int err;

	*li = NULL;
	if (!strchr(st->text, '\x1e'))
		return 0;		/* no named set */
	if (!st->list_len) {
		bw_rt_log("the running ruleset was loaded by an older bpfwall (state version %u), whose state does not describe its sets: load the ruleset again (bpfwall -f FILE) to list it",
			  st->version);
		return -EPROTO;
	}
	err = bw_build_list_decode(st->list, st->list_len, li);
	if (err)
		bw_rt_log("the sets of the running ruleset are described in a form this bpfwall cannot read (%s): load the ruleset again (bpfwall -f FILE) to list it",
			  err == -EPROTO ? "another version's" : "damaged");
	return err;
}

/* The running ruleset's text with its counters, and the elements its
 * named sets hold now (add element changes them); *err: a set's maps
 * could not be read (said). */
static char *render(const struct bw_rt_pin *pin, const struct bw_rt_state *st,
		    struct counters_ctx *cc, int *err)
{
	struct sets_ctx sc = { .pin = pin, .cc = cc, .err = err };
	char *text;

	*err = list_data(st, &sc.li);
	if (*err)
		return NULL;
	text = bw_ir_text_render_objs(st->text, sets_counter_get, sets_elems,
				      obj_state, &sc);
	bw_build_list_free(&sc.li);
	for (uint32_t i = 0; i < sc.nobj; i++)
		free(sc.objs[i].name);
	free(sc.objs);
	return text;
}

char *bw_rt_state_render(const struct bw_rt_pin *pin,
			 const struct bw_rt_state *st, int counters_fd,
			 int *err)
{
	struct counters_ctx cc = { .fd = counters_fd, .nhandle = st->nhandle,
				    .limits_fd = -1 };
	char *text;

	nft_counters(&cc);
	text = render(pin, st, &cc, err);
	free(cc.nft);
	return text;
}

uint64_t (*bw_rt_nft_counts(uint32_t nhandle))[2]
{
	struct counters_ctx cc = { .fd = -1, .nhandle = nhandle, .limits_fd = -1 };

	nft_counters(&cc);
	return cc.nft;
}

/* The events lost (a full ringbuf) of the running ruleset: log, audit. */
static void lost_get(int reasons_fd, uint64_t lost[2])
{
	lost[0] = lost[1] = 0;
	if (reasons_fd < 0)
		return;
	bw_rt_percpu_sum(reasons_fd, BW_LOST_LOG, 1, &lost[0]);
	bw_rt_percpu_sum(reasons_fd, BW_LOST_AUDIT, 1, &lost[1]);
}

static void print_json(FILE *out, const struct bw_rt_state *st,
		       const char *text, const struct counters_ctx *cc,
		       int reasons_fd, const struct bw_rt_old *olds,
		       uint32_t nold)
{
	bool first = true;
	uint64_t lost[2];

	fputs("{\"ruleset\": ", out);
	if (text)
		bw_rt_json_string(out, text);
	else
		fputs("null", out);
	fputs(", \"counters\": [", out);
	/* the handles that have a counter are the text's markers */
	for (const char *p = st ? st->text : NULL; p && (p = strchr(p, '\x1f')); ) {
		char *end;
		unsigned long h = strtoul(p + 1, &end, 10);
		uint64_t pk, by;

		if (*end != '\x1f') {
			p++;
			continue;
		}
		counter_get((void *)cc, (uint32_t)h, &pk, &by);
		fprintf(out, "%s{\"handle\": %lu, \"packets\": %llu, \"bytes\": %llu}",
			first ? "" : ", ", h, (unsigned long long)pk,
			(unsigned long long)by);
		first = false;
		p = end + 1;
	}
	fputs("], \"drops\": {", out);
	for (int r = 0; text && r < BW_REASON__MAX; r++) {
		uint64_t n = 0;

		if (reasons_fd >= 0)
			bw_rt_percpu_sum(reasons_fd, (uint32_t)r, 1, &n);
		fprintf(out, "%s\"%s\": %llu", r ? ", " : "", bw_reason_name(r),
			(unsigned long long)n);
	}
	lost_get(text ? reasons_fd : -1, lost);
	fprintf(out, "}, \"lost\": {\"log\": %llu, \"audit\": %llu}",
		(unsigned long long)lost[0], (unsigned long long)lost[1]);
	fputs(", \"attach\": [", out);
	for (uint32_t i = 0; st && i < st->nap; i++) {
		const struct bw_rt_state_ap *a = &st->ap[i];
		const struct bw_rt_old *o = olds && i < nold ? &olds[i] : NULL;

		if (a->hook == BW_HOOK_NF) {
			fprintf(out, "%s{\"hook\": \"%s\", \"family\": \"%s\", \"priority\": %d, \"attached_priority\": %d, \"mode\": \"netfilter\"",
				i ? ", " : "", bw_nf_hook_name(a->nf.hook),
				a->nf.pf == BW_NFPROTO_IPV6 ? "ipv6" : "ipv4",
				a->nf.priority, a->nf_actual);
		} else {
			fprintf(out, "%s{\"hook\": \"%s\", \"device\": ", i ? ", " : "",
				a->hook == BW_HOOK_XDP ? "ingress" : "egress");
			bw_rt_json_string(out, a->ifname);
			fprintf(out, ", \"ifindex\": %u, \"mode\": \"%s\"", a->ifindex,
				bw_rt_kind_name(a->kind, o && o->live ?
						o->att.xdp_flags : a->xdp_flags));
		}
		fprintf(out, ", \"attached\": %s", o && o->live ? "true" : "false");
		if (!o || o->why) {
			fputs(", \"why\": ", out);
			bw_rt_json_string(out, o && o->why ? o->why : "unknown");
		}
		fputc('}', out);
	}
	fputs("], \"unrecorded\": [", out);
	first = true;
	for (uint32_t j = st ? st->nap : 0; olds && j < nold; j++) {
		char what[128];

		bw_rt_att_what(&olds[j].att, what, sizeof(what));
		fprintf(out, "%s{\"pin\": ", first ? "" : ", ");
		bw_rt_json_string(out, olds[j].name);
		fputs(", \"what\": ", out);
		bw_rt_json_string(out, what);
		fprintf(out, ", \"attached\": %s}", olds[j].live ? "true" : "false");
		first = false;
	}
	fputs("]}\n", out);
}

/* What a load killed mid-swap left pinned (olds from j on): the next
 * load removes it. */
static void print_unrecorded(FILE *out, const struct bw_rt_old *olds,
			     uint32_t j, uint32_t nold)
{
	for (; j < nold; j++) {
		char what[128];

		bw_rt_att_what(&olds[j].att, what, sizeof(what));
		if (olds[j].live)
			fprintf(out, "# attached, not in the state: %s (pinned as %s%s%s; the next load removes it)\n",
				what, olds[j].name, olds[j].why ? "; " : "",
				olds[j].why ? olds[j].why : "");
		else
			fprintf(out, "# pinned, not attached, not in the state: %s (pinned as %s: %s; the next load removes it)\n",
				what, olds[j].name, olds[j].why);
	}
}

static void print_text(FILE *out, const struct bw_rt_state *st,
		       const char *text, int reasons_fd,
		       const struct bw_rt_old *olds, uint32_t nold)
{
	size_t n = strlen(text);
	uint64_t lost[2];

	fputs(text, out);
	if (n && text[n - 1] != '\n')
		fputc('\n', out);
	fputs("# malformed packets dropped:", out);
	for (int r = 0; r < BW_REASON__MAX; r++) {
		uint64_t v = 0;

		if (reasons_fd >= 0)
			bw_rt_percpu_sum(reasons_fd, (uint32_t)r, 1, &v);
		fprintf(out, " %s %llu", bw_reason_name(r), (unsigned long long)v);
	}
	fputc('\n', out);
	lost_get(reasons_fd, lost);
	fprintf(out, "# events lost (ringbuf full, monitor behind): log %llu audit %llu\n",
		(unsigned long long)lost[0], (unsigned long long)lost[1]);
	for (uint32_t i = 0; i < st->nap; i++) {
		const struct bw_rt_state_ap *a = &st->ap[i];
		const struct bw_rt_old *o = i < nold ? &olds[i] : NULL;
		bool live = o && o->live;

		fputs(live ? "# attached: " : "# not attached: ", out);
		if (a->hook == BW_HOOK_NF) {
			fprintf(out, "%s netfilter %s priority %d",
				bw_nf_hook_name(a->nf.hook),
				a->nf.pf == BW_NFPROTO_IPV6 ? "ipv6" : "ipv4",
				a->nf.priority);
			if (a->nf_actual != a->nf.priority)
				fprintf(out, " (at %d: other hooks are at %d)",
					a->nf_actual, a->nf.priority);
		} else
			fprintf(out, "%s %s on %s (ifindex %u)",
				a->hook == BW_HOOK_XDP ? "ingress" : "egress",
				bw_rt_kind_name(a->kind, live ? o->att.xdp_flags :
						a->xdp_flags),
				a->ifname, a->ifindex);
		if (!live)
			fprintf(out, ": %s", o && o->why ? o->why : "unknown");
		else if (o->why)
			fprintf(out, " (%s)", o->why);
		fputc('\n', out);
	}
	print_unrecorded(out, olds, st->nap, nold);
}

/* The listing, into a memory stream: the lock is held while the maps
 * are read, never while a slow reader (a pager) takes the output. */
static int list_locked(const struct bw_rt_pin *pin, bool json, FILE *out,
		       struct bw_diags *d)
{
	struct bw_rt_shape cshape = {
		.type = BPF_MAP_TYPE_PERCPU_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(struct bw_counter),
	};
	static const struct bw_rt_shape lshape = {
		.type = BPF_MAP_TYPE_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(uint64_t),
	};
	static const struct bw_rt_shape rshape = {
		.type = BPF_MAP_TYPE_PERCPU_ARRAY, .key_size = sizeof(uint32_t),
		.value_size = sizeof(uint64_t), .max_entries = BW_REASONS_SLOTS,
	};
	struct counters_ctx cc = { .fd = -1, .limits_fd = -1 };
	struct bw_rt_old *olds = NULL;
	struct bw_rt_state st;
	int err, reasons_fd = -1;
	uint32_t nold = 0;
	char *text = NULL;

	err = bw_rt_state_load(pin, &st);
	if (err == -ENOENT) {
		/* no ruleset; a first load killed mid-swap may have left
		 * attachments */
		err = bw_rt_olds_open(pin, NULL, &olds, &nold);
		if (err)
			bw_error(d, NULL, "cannot read the attachments in %s: %s",
				 pin->dir, strerror(-err));
		else if (json)
			print_json(out, NULL, NULL, &cc, -1, olds, nold);
		else
			print_unrecorded(out, olds, 0, nold);
		bw_rt_olds_close(&olds, nold);
		return err;
	}
	if (err) {
		bw_error(d, NULL, "cannot read the ruleset state in %s: %s",
			 pin->dir, bw_rt_state_strerror(err));
		return err;
	}
	cshape.max_entries = st.nhandle ? st.nhandle : 1;
	cc.fd = bw_rt_pin_get(pin, "counters", &cshape);
	cc.nhandle = st.nhandle;
	/* quotas' counts: without them, the used bytes as written */
	cc.limits_fd = bw_rt_pin_get(pin, "limits", &lshape);
	if (cc.limits_fd >= 0) {
		struct bpf_map_info info = { 0 };
		uint32_t len = sizeof(info);

		if (!bpf_obj_get_info_by_fd(cc.limits_fd, &info, &len))
			cc.nlimits = info.max_entries;
	}
	nft_counters(&cc);
	reasons_fd = bw_rt_pin_get(pin, "reasons", &rshape);
	if (cc.fd == -BW_RT_ESHAPE || reasons_fd == -BW_RT_ESHAPE ||
	    cc.fd == -EPERM || reasons_fd == -EPERM) {
		err = cc.fd < 0 && cc.fd != -ENOENT ? cc.fd : reasons_fd;
		bw_error(d, NULL, "the counters of the running ruleset cannot be read (said above)");
		goto out;
	}
	text = render(pin, &st, &cc, &err);
	if (err) {
		bw_error(d, NULL, "the sets of the running ruleset cannot be read (said above)");
	} else if (!text) {
		err = -ENOMEM;
	} else if ((err = bw_rt_olds_open(pin, &st, &olds, &nold))) {
		bw_error(d, NULL, "cannot read the attachments in %s: %s",
			 pin->dir, strerror(-err));
	} else if (json) {
		print_json(out, &st, text, &cc, reasons_fd, olds, nold);
	} else {
		char audit[512];

		print_text(out, &st, text, reasons_fd, olds, nold);
		if (!bw_rt_audit_describe(pin, audit, sizeof(audit)))
			fprintf(out, "# audit: %s\n", audit);
	}
out:
	bw_rt_olds_close(&olds, nold);
	free(text);
	free(cc.nft);
	if (cc.fd >= 0)
		close(cc.fd);
	if (cc.limits_fd >= 0)
		close(cc.limits_fd);
	if (reasons_fd >= 0)
		close(reasons_fd);
	bw_rt_state_fini(&st);
	return err;
}

int bw_rt_list(const struct bw_rt_opts *o, bool json, FILE *out,
	       struct bw_diags *d)
{
	struct counters_ctx cc = { .fd = -1, .limits_fd = -1 };
	struct bw_rt_pin pin;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int err;

	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), false, false, o->pin_outlive, &pin);
	if (err == -ENOENT) {
		if (json)
			print_json(out, NULL, NULL, &cc, -1, NULL, 0);
		return 0;
	}
	if (err) {
		bw_error(d, NULL, "cannot open the pin dir %s: %s",
			 bw_rt_pin_dir(o), strerror(-err));
		return err;
	}
	mem = open_memstream(&buf, &len);
	if (!mem) {
		bw_rt_pin_close(&pin);
		return -ENOMEM;
	}
	err = list_locked(&pin, json, mem, d);
	bw_rt_pin_close(&pin);		/* unlocked: then the slow part */
	if (fclose(mem) && !err)
		err = -ENOMEM;
	if (!err && len && fwrite(buf, 1, len, out) != len)
		err = -EIO;
	free(buf);
	return err;
}

int bw_rt_flush(const struct bw_rt_opts *o, struct bw_diags *d)
{
	struct bw_rt_old *olds = NULL;
	struct bw_rt_state st = { 0 };
	uint32_t nold = 0;
	struct bw_rt_pin pin;
	uint64_t dev = 0, ino = 0;
	struct dirent *e;
	DIR *dir;
	int err, dfd, ret = 0;

	bw_rt_set_verbose(o && o->verbose);
	err = bw_rt_pin_open(bw_rt_pin_dir(o), false, true, o->pin_outlive, &pin);
	if (err == -ENOENT)
		return 0;
	if (err) {
		bw_error(d, NULL, "cannot open the pin dir %s: %s",
			 bw_rt_pin_dir(o), strerror(-err));
		return err;
	}
	bw_rt_netns_id(&dev, &ino);
	/* bpfwall's tables in nf_tables (none: nothing to do) */
	err = bw_rt_nft_delete(BW_BUILD_NFT_TABLE);
	if (err && err != -EPROTONOSUPPORT && err != -EAFNOSUPPORT) {
		bw_error(d, NULL, "cannot remove bpfwall's nf_tables tables: %s",
			 strerror(-err));
		ret = err;
	}
	err = bw_rt_state_load(&pin, &st);
	if (err && err != -ENOENT)
		bw_rt_log("cannot read the state in %s (%s): removing what bpfwall pinned there, found by its pins",
			  pin.dir, err == -BW_RT_EVERSION ? "written by another version" :
			  err == -BW_RT_ESHAPE ? "another shape" : strerror(-err));
	/* the state's attachments and those pinned that it does not name
	 * (a load killed mid-swap, a bridge) */
	err = bw_rt_olds_open(&pin, err ? NULL : &st, &olds, &nold);
	if (err) {
		bw_error(d, NULL, "cannot read the attachments in %s: %s", pin.dir,
			 strerror(-err));
		ret = err;
	}
	for (uint32_t i = 0; i < nold; i++) {
		struct bw_rt_att *a = &olds[i].att;

		if (a->kind == BW_RT_KIND_CLSACT && olds[i].entry >= 0 &&
		    (st.netns_dev != dev || st.netns_ino != ino)) {
			bw_error(d, NULL, "the clsact filter on %s lives in another network namespace: run flush there",
				 st.ap[olds[i].entry].ifname);
			ret = -EXDEV;
			continue;
		}
		if (a->kind == BW_RT_KIND_NONE && a->fd < 0)
			continue;
		bw_rt_att_remove(&pin, olds[i].name, a);
	}
	bw_rt_olds_close(&olds, nold);
	bw_rt_state_fini(&st);
	dfd = dup(pin.dirfd);
	dir = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!dir) {
		err = -errno;
		bw_error(d, NULL, "cannot read %s: %s", pin.dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		bw_rt_pin_close(&pin);
		return err;
	}
	/* what bpfwall made, by name and by what the kernel says it is:
	 * another's pin stays, whatever its name (a shared pin dir) */
	rewinddir(dir);
	while ((e = readdir(dir))) {
		if (!bw_rt_pin_name_ours(e->d_name) || !bw_rt_pin_is_ours(&pin, e->d_name)) {
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				bw_rt_debug("flush leaves %s/%s: not bpfwall's",
					    pin.dir, e->d_name);
			continue;
		}
		if (unlinkat(pin.dirfd, e->d_name, 0) && errno != ENOENT) {
			bw_error(d, NULL, "cannot remove %s/%s: %s", pin.dir,
				 e->d_name, strerror(errno));
			ret = -errno;
		}
	}
	closedir(dir);
	bw_rt_pin_close(&pin);
	return ret;
}
