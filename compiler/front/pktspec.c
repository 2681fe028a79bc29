// SPDX-License-Identifier: GPL-2.0-only
/*
 * Packet specs for `trace` and the verdict tests:
 *     [ingress|egress] [device NAME] ip saddr 192.0.2.1 tcp dport 22 tcp flags syn
 * Parsed by the rule grammar (packet mode) and typed by the same value
 * evaluation as rules, so a value means the same in both.  The pseudo
 * protocol `packet` holds the words that are no field (pktbuild.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "view.h"

void bw_pkt_spec_free(struct bw_pkt_spec **s)
{
	if (!s || !*s)
		return;
	free((*s)->device);
	free((*s)->device_out);
	free((*s)->field);
	free((*s)->payload);
	bw_pkt_spec_free(&(*s)->quote);
	free(*s);
	*s = NULL;
}

uint32_t bw_pkt_spec_mark(const struct bw_pkt_spec *s)
{
	for (uint32_t i = 0; s && i < s->nfield; i++)
		if (s->field[i].field == BW_F_META_MARK)
			return (uint32_t)s->field[i].val[0] << 24 |
			       (uint32_t)s->field[i].val[1] << 16 |
			       (uint32_t)s->field[i].val[2] << 8 | s->field[i].val[3];
	return 0;
}

/*
 * The packet words: each value is read as a value of a field of this shape
 * (so range errors read as they do for rules), at least min.
 */
static const struct pkt_word {
	enum bw_pkt_word id;
	struct bw_field f;
	uint32_t min;
} pkt_words[] = {
	{ BW_PW_TRUNCATE, { .proto = "packet", .name = "truncate",
			    .type = BW_T_INTEGER, .size = 2 }, 14 },
	{ BW_PW_TRAILER, { .proto = "packet", .name = "trailer",
			   .type = BW_T_INTEGER, .size = 2 }, 1 },
	{ BW_PW_VLANS, { .proto = "packet", .name = "vlans",
			 .type = BW_T_INTEGER, .size = 1, .bits = 3 }, 1 },
	{ BW_PW_EXTHDR, { .proto = "packet", .name = "exthdr",
			  .type = BW_T_INET_PROTO, .size = 1 }, 0 },
	{ BW_PW_FRAGOFF, { .proto = "packet", .name = "frag-off",
			   .type = BW_T_INTEGER, .size = 2, .bits = 13 }, 0 },
	{ BW_PW_MF, { .proto = "packet", .name = "more-fragments",
		      .type = BW_T_INTEGER, .size = 1, .bits = 1 }, 0 },
	{ BW_PW_INNER_TYPE, { .proto = "packet", .name = "inner-type",
			      .type = BW_T_ETHER_TYPE, .size = 2 }, 0 },
	{ BW_PW_TCPOPTS, { .proto = "packet", .name = "tcp-options",
			   .type = BW_T_INTEGER, .size = 1 }, 0 },
};

/* One value of word w at e into *out; 0 or -EINVAL (queued). */
static int word_value(struct bw_eval *ev, const struct pkt_word *w,
		      const struct bw_ast_expr *e, uint32_t *out)
{
	uint8_t v[BW_VAL_MAX];

	if (bw_eval_scalar(ev, &w->f, e, NULL, v))
		return -EINVAL;
	*out = w->f.size == 1 ? v[0] : (uint32_t)(v[0] << 8 | v[1]);
	if (w->id == BW_PW_EXTHDR && !bw_view_ip6_exthdr((uint8_t)*out))
		return bw_eval_error(ev, &e->loc, "packet exthdr: %s is not an IPv6 extension header (hopopt, ipv6-route, ipv6-frag, ipv6-opts, ah or their numbers)",
				     e->text ? e->text : "this");
	if (*out < w->min)
		return bw_eval_error(ev, &e->loc, "packet %s: at least %u",
				     w->f.name, w->min);
	return 0;
}

/* packet payload "HEX": hex digits in pairs, blanks between pairs. */
static int payload(struct bw_eval *ev, const struct bw_ast_stmt *m,
		   struct bw_pkt_spec *spec)
{
	const struct bw_ast_expr *e = m->rhs;
	const char *t = e->text;
	uint8_t *b;
	uint32_t n = 0;

	if (e->kind != BW_AE_STRING || !t)
		return bw_eval_error(ev, &e->loc, "packet payload takes a quoted string of hex bytes: \"0003 0010\"");
	b = malloc(strlen(t) / 2 + 1);
	if (!b) {
		ev->oom = true;
		return -ENOMEM;
	}
	for (const char *c = t; *c; ) {
		unsigned v;

		if (*c == ' ') {
			c++;
			continue;
		}
		if (!isxdigit((unsigned char)c[0]) || !isxdigit((unsigned char)c[1]) ||
		    sscanf(c, "%2x", &v) != 1) {
			free(b);
			return bw_eval_error(ev, &e->loc, "packet payload: \"%s\" is not hex bytes (two digits each)", t);
		}
		b[n++] = (uint8_t)v;
		c += 2;
	}
	if (n > BW_PKT_PAYLOAD_MAX) {
		free(b);
		return bw_eval_error(ev, &e->loc, "packet payload: at most %d bytes",
				     BW_PKT_PAYLOAD_MAX);
	}
	spec->payload = b;
	spec->npayload = n;
	spec->word[BW_PW_PAYLOAD].given = true;
	spec->word[BW_PW_PAYLOAD].loc = m->loc;
	return 0;
}

/* `packet WORD VALUE`: not a field, a word that shapes the frame. */
static int word(struct bw_eval *ev, const struct bw_ast_stmt *m,
		struct bw_pkt_spec *spec)
{
	struct bw_loc lhs = bw_loc_join(&m->proto_loc, &m->field_loc);
	const struct pkt_word *w = NULL;
	const struct bw_ast_expr *e = m->rhs, *x;
	struct bw_pkt_word_val *pw;
	uint32_t n = 0;

	for (size_t i = 0; i < sizeof(pkt_words) / sizeof(pkt_words[0]); i++)
		if (!strcmp(m->field, pkt_words[i].f.name))
			w = &pkt_words[i];
	if (!w && !strcmp(m->field, "payload") && !spec->word[BW_PW_PAYLOAD].given)
		return payload(ev, m, spec);
	if (!w && !strcmp(m->field, "payload"))
		return bw_eval_error(ev, &lhs, "packet payload is given twice");
	if (!w)
		return bw_eval_error(ev, &m->field_loc, "unknown packet word \"%s\" (truncate, trailer, vlans, exthdr, frag-off, more-fragments, inner-type, tcp-options, payload)",
				     m->field);
	if (m->cat)
		return bw_eval_error(ev, &m->cat->proto_loc, "a packet word is not a field: it cannot be concatenated");
	if (m->op != BW_OP_IMPLICIT && m->op != BW_OP_EQ)
		return bw_eval_error(ev, &m->op_loc, "a packet is written as equalities (field value), not with %s",
				     bw_ast_op_str(m->op));
	if (m->mask)
		return bw_eval_error(ev, &m->mask->loc, "a packet word takes a value, not a mask");
	pw = &spec->word[w->id];
	if (pw->given)
		return bw_eval_error(ev, &lhs, "packet %s is given twice", w->f.name);
	if (w->id == BW_PW_TCPOPTS) {
		const struct bw_ast_expr *one = e->kind == BW_AE_LIST ? e->elems : e;

		for (x = one; x; x = e->kind == BW_AE_LIST ? x->next : NULL) {
			if (n == sizeof(spec->tcpopts))
				return bw_eval_error(ev, &x->loc, "packet tcp-options: at most %zu bytes",
						     sizeof(spec->tcpopts));
			if (word_value(ev, w, x, &pw->val))
				return -EINVAL;
			spec->tcpopts[n++] = (uint8_t)pw->val;
		}
		pw->val = n;
	} else if (w->id == BW_PW_EXTHDR && e->kind == BW_AE_LIST) {
		for (x = e->elems; x; x = x->next) {
			if (n == BW_PKT_EXT_MAX)
				return bw_eval_error(ev, &x->loc, "packet exthdr: at most %d headers",
						     BW_PKT_EXT_MAX);
			if (word_value(ev, w, x, &pw->val))
				return -EINVAL;
			spec->exthdr[n++] = (uint8_t)pw->val;
		}
	} else {
		if (e->kind == BW_AE_SET || e->kind == BW_AE_RANGE ||
		    e->kind == BW_AE_PREFIX || e->kind == BW_AE_SETREF ||
		    e->kind == BW_AE_LIST)
			return bw_eval_error(ev, &e->loc, "packet %s takes a single value%s",
					     w->f.name, w->id == BW_PW_EXTHDR ? " or a comma list" : "");
		if (word_value(ev, w, e, &pw->val))
			return -EINVAL;
		if (w->id == BW_PW_EXTHDR)
			spec->exthdr[n++] = (uint8_t)pw->val;
	}
	if (w->id == BW_PW_EXTHDR)
		pw->val = n;
	pw->given = true;
	pw->loc = m->loc;
	return 0;
}

static int term(struct bw_eval *ev, struct bw_proto_state *ps,
		const struct bw_ast_stmt *m, struct bw_pkt_spec *spec)
{
	struct bw_pkt_field *pf = &spec->field[spec->nfield];
	const struct bw_field *f;
	const struct bw_ast_expr *e = m->rhs;

	if (!strcmp(m->proto, "packet") && !m->proto_implicit)
		return word(ev, m, spec);
	f = bw_eval_field(ev, m);
	if (f && f->tun_layer)
		return bw_eval_error(ev, &m->field_loc, "%s %s: a packet's tunnel header and the packet inside it are written as packet payload \"HEX\" (the bytes after the outer UDP or GRE header)",
				     m->proto, m->field);
	if (!f || bw_proto_check(ev, ps, f, m, NULL))
		return -EINVAL;
	if (f->tcpopt)
		return bw_eval_error(ev, &m->field_loc, "%s %s: a packet's TCP options are given as its bytes, packet tcp-options B, B, ...",
				     f->proto, f->name);
	if (f->walk && (f->id < BW_F_SRH_LASTENT || f->id > BW_F_SRH_SID2))
		return bw_eval_error(ev, &m->field_loc, "%s %s: a packet's sctp chunks are written as packet payload \"HEX\" (the bytes after the common header)",
				     f->proto, m->field);
	if (f->src == BW_FS_KERNEL)
		return bw_eval_error(ev, &m->field_loc, "%s %s is read by the kernel's nf_tables (from its conntrack entry, routes or sockets), which trace has none of: not a packet field",
				     f->proto, f->name);
	if (m->op != BW_OP_IMPLICIT && m->op != BW_OP_EQ) {
		bw_error(ev->d, &m->op_loc,
			 "a packet is written as equalities (field value), not with %s",
			 bw_ast_op_str(m->op));
		ev->nerrors++;
		return -EINVAL;
	}
	if (m->mask || e->kind == BW_AE_SET || e->kind == BW_AE_RANGE ||
	    e->kind == BW_AE_PREFIX || e->kind == BW_AE_SETREF) {
		bw_error(ev->d, m->mask ? &m->mask->loc : &e->loc,
			 "a packet field takes a single value");
		ev->nerrors++;
		return -EINVAL;
	}
	for (uint32_t i = 0; i < spec->nfield; i++)
		if (spec->field[i].field == f->id) {
			bw_error(ev->d, &m->loc, "%s %s is given twice", f->proto,
				 f->name);
			ev->nerrors++;
			return -EINVAL;
		}
	if (bw_eval_scalar(ev, f, e, NULL, pf->val))
		return -EINVAL;
	if (bw_proto_check(ev, ps, f, m, pf->val))
		return -EINVAL;
	if (f->id == BW_F_CT_STATE) {
		/* no byte of the packet: the state it meets */
		uint8_t st = pf->val[0];

		if (!st || (st & (st - 1)))
			return bw_eval_error(ev, &e->loc, "a packet meets one ct state (new, established, related, invalid or untracked)");
		spec->ct_state = st;
		return 0;
	}
	pf->field = f->id;
	pf->loc = m->loc;
	spec->nfield++;
	return 0;
}

int bw_evaluate_pkt(const struct bw_ast *ast, struct bw_diags *d,
		    struct bw_pkt_spec **out)
{
	struct bw_eval ev = { .d = d, .any_family = true };
	struct bw_proto_state ps;
	struct bw_pkt_spec *spec;
	uint32_t n = 0;

	*out = NULL;
	for (const struct bw_ast_stmt *m = ast->terms; m; m = m->next)
		n++;
	spec = calloc(1, sizeof(*spec));
	if (!spec || !(spec->field = calloc(n ? n : 1, sizeof(*spec->field))) ||
	    (ast->pkt_device && !(spec->device = strdup(ast->pkt_device))) ||
	    (ast->pkt_device2 && !(spec->device_out = strdup(ast->pkt_device2)))) {
		bw_pkt_spec_free(&spec);
		bw_error(d, NULL, "out of memory");
		return -ENOMEM;
	}
	spec->egress = ast->pkt_dir && !strcmp(ast->pkt_dir, "egress");
	spec->path = spec->egress ? BW_PATH_OUT :
		     ast->pkt_dir && !strcmp(ast->pkt_dir, "forward") ?
		     BW_PATH_FORWARD : BW_PATH_IN;
	if (ast->pkt_device2 && spec->path != BW_PATH_FORWARD) {
		bw_error(d, &ast->pkt_device2_loc,
			 "a second device is the output device of a forwarded packet (forward device IN device OUT)");
		bw_pkt_spec_free(&spec);
		return -EINVAL;
	}
	bw_proto_init(&ps, BW_FAMILY_NETDEV, true);
	for (const struct bw_ast_stmt *m = ast->terms; m; m = m->next)
		term(&ev, &ps, m, spec);
	if (ev.nerrors) {
		bw_pkt_spec_free(&spec);
		return -EINVAL;
	}
	*out = spec;
	return 0;
}

/* The word `quote` standing alone in text, or NULL. */
static const char *find_quote(const char *text)
{
	for (const char *q = strstr(text, "quote"); q; q = strstr(q + 1, "quote"))
		if ((q == text || q[-1] == ' ' || q[-1] == '\t') &&
		    (!q[5] || q[5] == ' ' || q[5] == '\t'))
			return q;
	return NULL;
}

int bw_pkt_spec_parse(const char *name, const char *text, struct bw_diags *d,
		      struct bw_pkt_spec **out)
{
	const char *q = find_quote(text);
	const struct bw_src *src;
	struct bw_ast *ast = NULL;
	int rc;

	*out = NULL;
	if (q) {
		/* PACKET quote PACKET: the second is what an ICMP error
		 * carries (pktbuild.h) */
		struct bw_pkt_spec *inner = NULL;
		char *outer = strndup(text, (size_t)(q - text));
		char iname[256];

		if (!outer) {
			bw_error(d, NULL, "out of memory");
			return -ENOMEM;
		}
		snprintf(iname, sizeof(iname), "%s (quoted)", name);
		rc = bw_pkt_spec_parse(iname, q + 5, d, &inner);
		if (!rc)
			rc = bw_pkt_spec_parse(name, outer, d, out);
		free(outer);
		if (rc) {
			bw_pkt_spec_free(&inner);
			return rc;
		}
		(*out)->quote = inner;
		return 0;
	}
	src = bw_src_string(d, name, text);
	if (!src) {
		bw_error(d, NULL, "out of memory");
		return -ENOMEM;
	}
	rc = bw_ast_parse(src, BW_PARSE_PKTSPEC, d, &ast);
	if (rc)
		return rc;
	rc = bw_evaluate_pkt(ast, d, out);
	bw_ast_free(&ast);
	return rc;
}
