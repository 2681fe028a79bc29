// SPDX-License-Identifier: GPL-2.0-only
/*
 * The statements of a rule besides matches and verdicts: log, limit, and
 * reject (a verdict with an answer), checked the way nft checks them, each
 * error with a caret.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "evaluate.h"

#define NSEC_PER_SEC	1000000000ull
#define BURST_DEFAULT	5	/* nft's, for packet limits */

static void *grow(struct bw_eval *ev, void *p, uint32_t n, size_t size)
{
	/* arrays grow by doubling: reallocate at powers of two */
	if (n & (n - 1))
		return p;
	p = reallocarray(p, n ? 2 * n : 1, size);
	if (!p)
		ev->oom = true;
	return p;
}

/* ---- log ---- */

static const char *const levels[] = {
	"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug",
	"audit",
};

/* A log option's number, at most max; 0 and *out, or an error. */
static int log_num(struct bw_eval *ev, const struct bw_ast_expr *e,
		   const char *what, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long v = strtoull(e->text, &end, 0);

	if (*end || v > max)
		return bw_eval_error(ev, &e->loc, "log %s must be 0 to %u", what, max);
	*out = (uint32_t)v;
	return 0;
}

const char *bw_log_level_name(uint8_t level)
{
	return level < sizeof(levels) / sizeof(levels[0]) ? levels[level] : "?";
}

int bw_eval_log(struct bw_eval *ev, const struct bw_ast_stmt *s,
		uint32_t handle, uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_log *l, *v;
	uint8_t level = 4;	/* warn, nft's default */
	uint32_t group = 0, snaplen = 0, qthreshold = 0;
	bool nflog = s->log_group || s->log_snaplen || s->log_qthreshold;

	if (s->log_level) {
		size_t i, n = sizeof(levels) / sizeof(levels[0]);

		for (i = 0; i < n; i++)
			if (!strcmp(s->log_level->text, levels[i]))
				break;
		if (i == n)
			return bw_eval_error(ev, &s->log_level->loc,
					     "unknown log level \"%s\" (emerg, alert, crit, err, warn, notice, info, debug, audit)",
					     s->log_level->text);
		level = (uint8_t)i;
	}
	/* nft's checks (evaluate.c): nflog (group) has no level or flags,
	 * the audit log nothing else */
	if (nflog && s->log_level)
		return bw_eval_error(ev, &s->loc, "level and group are mutually exclusive");
	if (nflog && s->log_flags)
		return bw_eval_error(ev, &s->loc, "flags and group are mutually exclusive");
	if (level == 8 && (nflog || s->log_flags || s->log_prefix))
		return bw_eval_error(ev, &s->loc, "log level audit doesn't support any further options");
	if (nflog && !s->log_group)
		return bw_eval_error(ev, &s->loc, "log snaplen and queue-threshold need a group (the kernel ignores them without one)");
	if ((s->log_group && log_num(ev, s->log_group, "group", 65535, &group)) ||
	    (s->log_snaplen && log_num(ev, s->log_snaplen, "snaplen", UINT32_MAX, &snaplen)) ||
	    (s->log_qthreshold && log_num(ev, s->log_qthreshold, "queue-threshold", 65535, &qthreshold)))
		return -EINVAL;
	if ((nflog || s->log_flags || level == 8) && ev->netdev)
		return bw_eval_error(ev, &s->loc, "log %s is nf_tables' (the chain would go there), and bpfwall does not hand a netdev chain with it to nf_tables' netdev family: use an inet, ip or ip6 table",
				     nflog ? "group" : s->log_flags ? "flags" : "level audit");
	if (s->log_prefix && strlen(s->log_prefix) > 127)
		return bw_eval_error(ev, &s->log_prefix_loc, "log prefix too long (%zu bytes, at most 127)",
				     strlen(s->log_prefix));
	v = grow(ev, ir->log, ir->nlog, sizeof(*v));
	if (!v)
		return -ENOMEM;
	ir->log = v;
	l = &ir->log[ir->nlog];
	memset(l, 0, sizeof(*l));
	l->handle = handle;
	l->level = level;
	l->group = s->log_group ? (int32_t)group : -1;
	l->snaplen = snaplen;
	l->qthreshold = qthreshold;
	l->flags = s->log_flags;
	if (s->log_prefix && !(l->prefix = strdup(s->log_prefix))) {
		ev->oom = true;
		return -ENOMEM;
	}
	*index = ir->nlog++;
	return 0;
}

/* ---- limit ---- */

/* bytes, kbytes, mbytes: the unit's bytes, or 0 with an error. */
static uint64_t byte_unit(struct bw_eval *ev, const struct bw_ast_expr *u)
{
	static const struct { const char *name; uint64_t n; } units[] = {
		{ "bytes", 1 }, { "kbytes", 1024 }, { "mbytes", 1024 * 1024 },
	};

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (!strcmp(u->text, units[i].name))
			return units[i].n;
	bw_eval_error(ev, &u->loc, "unknown unit \"%s\" (bytes, kbytes, mbytes)", u->text);
	return 0;
}

/* N bytes: in *out, or an error at e. */
static int byte_count(struct bw_eval *ev, const struct bw_ast_expr *n,
		      const struct bw_ast_expr *unit, uint64_t *out)
{
	uint64_t v, u = byte_unit(ev, unit);

	if (!u)
		return -EINVAL;
	if (bw_eval_number(n->text, &v) || v > UINT64_MAX / u)
		return bw_eval_error(ev, &n->loc, "invalid number of bytes %s", n->text);
	*out = v * u;
	return 0;
}

/* skb->len at the chain's hook: meta length there (evaluate.c). */
static uint16_t hook_len(const struct bw_eval *ev)
{
	if (ev->frame_len)
		return BW_F_META_FRAMELEN;
	return ev->ip_len ? BW_F_META_IPLEN : BW_F_META_PKTLEN;
}

/* limit rate [over] N BYTES/UNIT [burst N BYTES]: nf_tables' token
 * bucket of bytes. */
static int byte_limit(struct bw_eval *ev, const struct bw_ast_stmt *s,
		      uint64_t rate, uint64_t secs, uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_limit *v;
	uint64_t r, burst = 0;

	if (byte_count(ev, s->rate, s->rate_bytes, &r))
		return -EINVAL;
	(void)rate;
	if (s->burst) {
		if (!strcmp(s->burst_unit->text, "packets"))
			return bw_eval_error(ev, &s->burst_unit->loc, "a byte rate takes its burst in bytes");
		if (byte_count(ev, s->burst, s->burst_unit, &burst))
			return -EINVAL;
		if (burst > UINT32_MAX)
			return bw_eval_error(ev, &s->burst->loc, "burst too large");
	}
	v = grow(ev, ir->limit, ir->nlimit, sizeof(*v));
	if (!v)
		return -ENOMEM;
	ir->limit = v;
	v = &ir->limit[ir->nlimit];
	memset(v, 0, sizeof(*v));
	v->over = s->over;
	v->bytes = true;
	v->rate = r;
	v->unit = secs;
	v->burst = (uint32_t)burst;
	/* the kernel's own u64 arithmetic (nft_limit_init), which refuses
	 * a bucket past it */
	v->ns = secs * NSEC_PER_SEC;
	if (r + burst < r || (r + burst) > UINT64_MAX / v->ns)
		return bw_eval_error(ev, &s->loc, "rate and burst too large: the kernel's bucket holds at most 2^64 ns");
	v->max = v->ns * (r + burst) / r;
	v->len_field = hook_len(ev);
	*index = ir->nlimit++;
	return 0;
}

int bw_eval_limit(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  uint32_t *index)
{
	static const struct { const char *name; uint64_t secs; } units[] = {
		{ "second", 1 }, { "minute", 60 }, { "hour", 3600 },
		{ "day", 86400 }, { "week", 604800 },
	};
	struct bw_ir *ir = ev->ir;
	struct bw_ir_limit *v;
	uint64_t rate, burst = BURST_DEFAULT, secs = 0;
	size_t i, n = sizeof(units) / sizeof(units[0]);

	for (i = 0; i < n; i++)
		if (!strcmp(s->rate_unit->text, units[i].name))
			secs = units[i].secs;
	if (!secs)
		return bw_eval_error(ev, &s->rate_unit->loc, "unknown time unit \"%s\" (second, minute, hour, day, week)",
				     s->rate_unit->text);
	if (bw_eval_number(s->rate->text, &rate) || !rate)
		return bw_eval_error(ev, &s->rate->loc, "invalid rate %s", s->rate->text);
	if (s->rate_bytes)
		return byte_limit(ev, s, rate, secs, index);
	if (rate > secs * NSEC_PER_SEC)
		return bw_eval_error(ev, &s->rate->loc, "rate %s per %s is more than one packet a nanosecond",
				     s->rate->text, s->rate_unit->text);
	if (s->burst) {
		if (strcmp(s->burst_unit->text, "packets"))
			return bw_eval_error(ev, &s->burst_unit->loc, "a packet rate takes its burst in packets");
		if (bw_eval_number(s->burst->text, &burst) || burst > UINT32_MAX)
			return bw_eval_error(ev, &s->burst->loc, "invalid burst %s",
					     s->burst->text);
		if (!burst)
			burst = BURST_DEFAULT;	/* as nft: 0 is the default */
	}
	v = grow(ev, ir->limit, ir->nlimit, sizeof(*v));
	if (!v)
		return -ENOMEM;
	ir->limit = v;
	v = &ir->limit[ir->nlimit];
	memset(v, 0, sizeof(*v));
	v->over = s->over;
	v->cost = secs * NSEC_PER_SEC / rate;
	if (burst - 1 > UINT64_MAX / v->cost)
		return bw_eval_error(ev, &s->burst->loc, "burst too large");
	v->slack = v->cost * (burst - 1);
	*index = ir->nlimit++;
	return 0;
}

/* ---- quota ---- */

int bw_eval_quota(struct bw_eval *ev, const struct bw_ast_stmt *s,
		  uint32_t *index)
{
	struct bw_ir *ir = ev->ir;
	struct bw_ir_quota q = { .over = s->quota_mode && !strcmp(s->quota_mode, "over"),
				 .len_field = hook_len(ev) },
			   *v;

	if (byte_count(ev, s->quota_n, s->quota_unit, &q.bytes) ||
	    (s->quota_used &&
	     byte_count(ev, s->quota_used, s->quota_used_unit, &q.used)))
		return -EINVAL;
	v = reallocarray(ir->quota, ir->nquota + 1, sizeof(*v));
	if (!v) {
		ev->oom = true;
		return -ENOMEM;
	}
	ir->quota = v;
	v[ir->nquota] = q;
	*index = ir->nquota++;
	return 0;
}

/* ---- reject ---- */

/* Codes by name; ICMPX names stand for an ICMP and an ICMPv6 code. */
static const struct {
	const char *name;
	uint8_t code, code6;
} icmp_codes[] = {
	{ "net-unreachable", 0, 0 }, { "host-unreachable", 1, 0 },
	{ "prot-unreachable", 2, 0 }, { "port-unreachable", 3, 0 },
	{ "frag-needed", 4, 0 }, { "net-prohibited", 9, 0 },
	{ "host-prohibited", 10, 0 }, { "admin-prohibited", 13, 0 },
}, icmp6_codes[] = {
	{ "no-route", 0, 0 }, { "admin-prohibited", 1, 0 },
	{ "addr-unreachable", 3, 0 }, { "port-unreachable", 4, 0 },
	{ "policy-fail", 5, 0 }, { "reject-route", 6, 0 },
}, icmpx_codes[] = {
	{ "port-unreachable", 3, 4 }, { "admin-prohibited", 13, 1 },
	{ "no-route", 0, 0 }, { "host-unreachable", 1, 3 },
};

#define NCODES(t) (sizeof(t) / sizeof(t[0]))

/* nft's icmpx codes by number (NFT_REJECT_ICMPX_*): `reject with icmpx 3`
 * is admin-prohibited, and lists so. */
static const char *const icmpx_by_num[] = {
	"no-route", "port-unreachable", "host-unreachable", "admin-prohibited",
};

const char *bw_reject_icmpx_name(const char *num)
{
	uint64_t n;

	if (bw_eval_number(num, &n) || n >= NCODES(icmpx_by_num))
		return NULL;
	return icmpx_by_num[n];
}

/* An implicit match `field == v` that the rule gets before its reject. */
static int dependency(struct bw_eval *ev, enum bw_field_id field, uint8_t v,
		      const struct bw_loc *loc, struct bw_ir_match *out)
{
	memset(out, 0, sizeof(*out));
	out->field = field;
	out->loc = *loc;
	out->elem = calloc(1, sizeof(*out->elem));
	if (!out->elem) {
		ev->oom = true;
		return -ENOMEM;
	}
	out->nelem = 1;
	out->elem->lo[0] = out->elem->hi[0] = v;
	out->elem->mask[0] = 0xff;
	return 0;
}

int bw_eval_reject(struct bw_eval *ev, struct bw_proto_state *ps,
		   const struct bw_ast_stmt *s, enum bw_family fam,
		   struct bw_ir_reject *out, struct bw_ir_match *dep,
		   bool *has_dep)
{
	const char *kind = s->rej_kind ? s->rej_kind->text : NULL;
	uint8_t l3 = ps->l3 == 4 || ps->l3 == 6 ? ps->l3 :
		     fam == BW_FAMILY_IP ? 4 : fam == BW_FAMILY_IP6 ? 6 : 0;
	const char *code = NULL;
	uint64_t num;

	memset(out, 0, sizeof(*out));
	*has_dep = false;
	/* as nft: no reject in the arp family; in the bridge family only
	 * for IP packets (or a frame whose protocol is still open: ps->l3 0) */
	if (fam == BW_FAMILY_ARP)
		return bw_eval_error(ev, &s->loc, "reject is not available in the arp family");
	if (fam == BW_FAMILY_BRIDGE && ps->l3 && ps->l3 != 4 && ps->l3 != 6)
		return bw_eval_error(ev, &s->loc, "conflicting protocols specified: reject needs an IPv4 or IPv6 packet");
	if (!kind) {
		/* as nft: port unreachable, ICMP or ICMPv6 by family */
		out->kind = l3 == 4 ? BW_REJECT_ICMP : l3 == 6 ? BW_REJECT_ICMP6 :
			    BW_REJECT_ICMPX;
		out->code = l3 == 6 ? 4 : 3;
		out->code6 = 4;
		return 0;
	}
	if (s->rej_code) {
		if (s->rej_code->kind == BW_AE_SYMBOL)
			code = s->rej_code->text;
		else if (s->rej_code->kind != BW_AE_NUMBER)
			return bw_eval_error(ev, &s->rej_code->loc, "expected a reject code");
	}
	if (!strcmp(kind, "tcp")) {
		if (!code || strcmp(code, "reset"))
			return bw_eval_error(ev, &s->rej_code->loc, "reject with tcp takes reset");
		if (ps->l4 && ps->l4 != IPPROTO_TCP)
			return bw_eval_error(ev, &s->loc, "conflicting protocols specified: %s vs. tcp (reject with tcp reset)",
					     ps->l4_name);
		out->kind = BW_REJECT_TCP_RST;
		/* as nft: a dependency on TCP before the reject */
		*has_dep = !ps->l4;
		return *has_dep ? dependency(ev, BW_F_META_L4PROTO, IPPROTO_TCP,
					     &s->loc, dep) : 0;
	}
	if (strcmp(kind, "icmp") && strcmp(kind, "icmpv6") && strcmp(kind, "icmpx"))
		return bw_eval_error(ev, &s->rej_kind->loc, "unknown reject type \"%s\" (tcp, icmp, icmpv6, icmpx)",
				     kind);
	if (!s->rej_code)
		return bw_eval_error(ev, &s->rej_kind->loc, "reject with %s needs a code", kind);
	if (!strcmp(kind, "icmpx")) {
		if (fam != BW_FAMILY_INET && fam != BW_FAMILY_NETDEV &&
		    fam != BW_FAMILY_BRIDGE)
			return bw_eval_error(ev, &s->rej_kind->loc, "icmpx is only valid in the inet, netdev and bridge families (use icmp or icmpv6)");
		out->kind = BW_REJECT_ICMPX;
		if (!code && s->rej_code->kind == BW_AE_NUMBER)
			code = bw_reject_icmpx_name(s->rej_code->text);
		for (size_t i = 0; code && i < NCODES(icmpx_codes); i++)
			if (!strcmp(code, icmpx_codes[i].name)) {
				out->code = icmpx_codes[i].code;
				out->code6 = icmpx_codes[i].code6;
				return 0;
			}
		return bw_eval_error(ev, &s->rej_code->loc, "unknown icmpx code \"%s\" (port-unreachable, admin-prohibited, no-route, host-unreachable)",
				     code ? code : s->rej_code->text);
	}
	{
		bool v6 = !strcmp(kind, "icmpv6");
		uint8_t want = v6 ? 6 : 4;

		if (l3 && l3 != want)
			return bw_eval_error(ev, &s->rej_kind->loc, "reject with %s does not fit an %s packet",
					     kind, l3 == 4 ? "IPv4" : "IPv6");
		out->kind = v6 ? BW_REJECT_ICMP6 : BW_REJECT_ICMP;
		if (code) {
			size_t i, n = v6 ? NCODES(icmp6_codes) : NCODES(icmp_codes);

			for (i = 0; i < n; i++)
				if (!strcmp(code, v6 ? icmp6_codes[i].name : icmp_codes[i].name))
					break;
			if (i == n)
				return bw_eval_error(ev, &s->rej_code->loc, "unknown %s code \"%s\"",
						     kind, code);
			out->code = v6 ? icmp6_codes[i].code : icmp_codes[i].code;
		} else if (bw_eval_number(s->rej_code->text, &num) || num > 255) {
			return bw_eval_error(ev, &s->rej_code->loc, "invalid code %s",
					     s->rej_code->text);
		} else {
			out->code = (uint8_t)num;
		}
		/* in inet and netdev: only packets of that family, as nft */
		*has_dep = !l3;
		return *has_dep ? dependency(ev, BW_F_META_NFPROTO,
					     v6 ? NFPROTO_V6 : NFPROTO_V4, &s->loc,
					     dep) : 0;
	}
}
