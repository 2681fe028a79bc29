// SPDX-License-Identifier: GPL-2.0-only
/*
 * A rule in iptables' canonical forms: the save form of -S and
 * iptables-save, and the match and target part of -L.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <string.h>

#include "ipt_ext.h"

const char *bw_ipt_proto_name(uint8_t proto, char buf[8])
{
	static const struct { uint8_t num; const char *name; } names[] = {
		{ 6, "tcp" }, { 132, "sctp" }, { 17, "udp" }, { 136, "udplite" },
		{ 1, "icmp" }, { 58, "ipv6-icmp" }, { 50, "esp" }, { 51, "ah" },
		{ 135, "mobility-header" }, { 0, "all" },
	};
	struct protoent *pe;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].num == proto)
			return names[i].name;
	pe = getprotobynumber(proto);
	if (pe)
		return pe->p_name;
	snprintf(buf, 8, "%u", proto);
	return buf;
}

/* The prefix length of a mask, or -1 when it is not contiguous. */
static int mask_bits(const uint8_t *m, int len)
{
	int bits = 0, i;

	for (i = 0; i < len * 8 && (m[i / 8] & (0x80 >> (i % 8))); i++)
		bits++;
	for (; i < len * 8; i++)
		if (m[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return bits;
}

static bool zero(const uint8_t *a, int len)
{
	for (int i = 0; i < len; i++)
		if (a[i])
			return false;
	return true;
}

void bw_ipt_print_addr(FILE *f, bool v6, const uint8_t *a, const uint8_t *m,
		       bool save, bool numeric)
{
	char buf[64];
	int len = v6 ? 16 : 4, bits = mask_bits(m, len);

	if (!save && !numeric && (v6 ? zero(a, 16) : zero(m, 4))) {
		fputs("anywhere", f);
		return;
	}
	inet_ntop(v6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	fputs(buf, f);
	if (!save && bits == len * 8)
		return;		/* -L drops /32 and /128 */
	if (bits >= 0) {
		fprintf(f, "/%d", bits);
	} else {
		inet_ntop(v6 ? AF_INET6 : AF_INET, m, buf, sizeof(buf));
		fprintf(f, "/%s", buf);
	}
}

static void save_addr(FILE *f, char letter, const struct bw_ipt_rule *r,
		      const uint8_t *a, const uint8_t *m, bool inv)
{
	int len = r->v6 ? 16 : 4;

	if (r->v6 ? (!inv && mask_bits(m, 16) == 0) :
	    (zero(m, 4) && !inv && zero(a, 4)))
		return;
	(void)len;
	fprintf(f, "%s -%c ", inv ? " !" : "", letter);
	bw_ipt_print_addr(f, r->v6, a, m, true, true);
}

const char *bw_ipt_target_name(const struct bw_ipt_target *t)
{
	switch (t->kind) {
	case BW_IPT_T_NONE:
		return NULL;
	case BW_IPT_T_ACCEPT:
		return "ACCEPT";
	case BW_IPT_T_DROP:
		return "DROP";
	case BW_IPT_T_RETURN:
		return "RETURN";
	case BW_IPT_T_REJECT:
		return "REJECT";
	case BW_IPT_T_LOG:
		return "LOG";
	case BW_IPT_T_NFLOG:
		return "NFLOG";
	case BW_IPT_T_MARK:
		return "MARK";
	case BW_IPT_T_CONNMARK:
		return "CONNMARK";
	default:
		return t->chain;
	}
}

static const struct bw_ipt_ext *target_ext(const struct bw_ipt_rule *r)
{
	const char *n = bw_ipt_target_name(&r->target);

	if (r->target.kind < BW_IPT_T_REJECT)
		return NULL;
	return bw_ipt_ext_find(n, true, r->v6);
}

void bw_ipt_print_rule(FILE *f, const char *chain, const struct bw_ipt_rule *r)
{
	const struct bw_ipt_ext *te = target_ext(r);
	char buf[8];

	fprintf(f, "-A %s", chain);
	if (r->has_src)
		save_addr(f, 's', r, r->src, r->smsk, r->inv_src);
	if (r->has_dst)
		save_addr(f, 'd', r, r->dst, r->dmsk, r->inv_dst);
	if (r->in[0])
		fprintf(f, "%s -i %s", r->inv_in ? " !" : "", r->in);
	if (r->out[0])
		fprintf(f, "%s -o %s", r->inv_out ? " !" : "", r->out);
	if (r->has_proto)
		fprintf(f, "%s -p %s", r->inv_proto ? " !" : "",
			bw_ipt_proto_name(r->proto, buf));
	if (r->frag)
		fprintf(f, "%s -f", r->inv_frag ? " !" : "");
	for (const struct bw_ipt_match *m = r->match; m; m = m->next) {
		fprintf(f, " -m %s", m->ext->name);
		m->ext->save(f, r, m, &r->target);
	}
	if (r->target.kind == BW_IPT_T_GOTO) {
		fprintf(f, " -g %s", r->target.chain);
	} else if (r->target.kind != BW_IPT_T_NONE) {
		fprintf(f, " -j %s", bw_ipt_target_name(&r->target));
		if (te)
			te->save(f, r, NULL, &r->target);
	}
}

void bw_ipt_print_list(FILE *f, const struct bw_ipt_rule *r, bool numeric)
{
	const struct bw_ipt_ext *te = target_ext(r);

	if (r->target.kind == BW_IPT_T_GOTO)
		fputs("[goto] ", f);
	for (const struct bw_ipt_match *m = r->match; m; m = m->next)
		m->ext->list(f, r, m, &r->target, numeric);
	if (te)
		te->list(f, r, NULL, &r->target, numeric);
}
