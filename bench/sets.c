// SPDX-License-Identifier: GPL-2.0-only
/*
 * `make bench`: ns per packet of set lookups, through BPF_PROG_TEST_RUN
 * of the XDP program as bpfwall loads it (optimizer on), next to the
 * empty program in the same run (bw_bench_measure: median of NRUNS
 * interleaved runs).
 *
 *  - Named sets: one rule `ip saddr @s drop` with s a hash set of N
 *    addresses, the same with `flags interval` (an LPM trie of prefixes),
 *    and `ip saddr . tcp dport @s` (a hash of address . port), N = 1, 100,
 *    10k, 100k.  Timed for two packets that match no element: one from
 *    192.0.2.1, outside the elements' range, and one from a hole between
 *    elements (where an LPM trie walks deepest).
 *  - Literal sets: `ip saddr { a, b, ... } drop` of 2 to 128 addresses
 *    (and of IPv6 addresses, and of IPv4 prefixes), as compares and as a
 *    map lookup, whichever side of BW_ANON_LOOKUP_MIN they are on
 *    (bw_compile_opts.anon_lookup_min forces the form); the packet
 *    matches no element.
 *
 * Element addresses come from the benchmarking range 198.18.0.0/15 (and
 * 2001:db8::/32), packets from 192.0.2.0/24.  Every program is checked
 * before timing, as in bwbench.c: the misses pass, a packet of the last
 * element drops, and the interpreter agrees.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "grammar/diag.h"
#include "compiler/front/compile.h"
#include "compiler/front/setmap.h"
#include "bench.h"

#define SLOTS		131072	/* addresses in 198.18.0.0/15 */
#define PORT		443	/* of every packet, and the concatenation's port */

static const unsigned named_sizes[] = { 1, 100, 10000, 100000 };
static const unsigned anon_sizes[] = {
	2, 4, 8, 12, 16, 24, 32, 40, 48, 56, 64, 96, 128,
};

#define NNAMED	(sizeof(named_sizes) / sizeof(named_sizes[0]))
#define NANON	(sizeof(anon_sizes) / sizeof(anon_sizes[0]))

/* The kinds of named set. */
static const struct kind {
	const char *name;		/* in the table */
	const char *type;		/* the set's type (and flags) */
	const char *match;		/* the rule's left-hand side */
	const char *l4;			/* the packets' transport */
	bool interval, concat;
} kinds[] = {
	{ "hash", "type ipv4_addr;", "ip saddr", "udp", false, false },
	{ "interval", "type ipv4_addr; flags interval;", "ip saddr", "udp", true, false },
	{ "concat", "type ipv4_addr . inet_service;", "ip saddr . tcp dport", "tcp",
	  false, true },
};

#define NKIND	(sizeof(kinds) / sizeof(kinds[0]))

/* One program timed: ns of the program and of the empty program next
 * to it, for up to two packets. */
struct timing {
	bool ok;
	double ns[2], empty_ns[2];
	uint32_t ninsn;
	double load_ms;
};

static bool has_lookup(const struct bw_ir_rule *r)
{
	for (uint32_t i = 0; i < r->nmatch; i++)
		if (r->match[i].lookup)
			return true;
	return false;
}

/*
 * Compile text (opts may be NULL), build, check (each of miss[0, nmiss)
 * passes, hit drops) and time each miss.  want_lookup: the rule must
 * have a lookup match (true) or only compares (false), else the wrong
 * form would be timed.  0 or -1 (with a message).
 */
static int time_text(const char *text, const struct bw_compile_opts *opts,
		     bool want_lookup, const struct bw_bench_pkt *miss,
		     int nmiss, const struct bw_bench_pkt *hit, int empty_fd,
		     struct timing *t)
{
	struct bw_bench_prog prog = { .fd = -1 };
	struct bw_ir *ir = NULL;
	struct bw_diags d;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	bw_rt_maps_init(&prog.maps);
	bw_diags_init(&d);
	if (!text || bw_compile_string_opts("<bench>", text, opts, &d, &ir)) {
		bw_diags_print(&d, stderr);
		goto out;
	}
	if (has_lookup(&ir->chain[0].rule[0]) != want_lookup) {
		fprintf(stderr, "bench: WRONG PROGRAM: the set is %s, want %s\n",
			want_lookup ? "compares" : "a lookup",
			want_lookup ? "a lookup" : "compares");
		goto out;
	}
	if (bw_bench_build(ir, true, &miss[0], hit, &prog))
		goto out;
	for (int i = 1; i < nmiss; i++)
		if (!bw_bench_verify(prog.fd, ir, &miss[i], XDP_PASS,
				     "the packet from a hole between elements"))
			goto out;
	for (int i = 0; i < nmiss; i++)
		if (bw_bench_measure(prog.fd, empty_fd, &miss[i], &t->ns[i],
				     &t->empty_ns[i])) {
			perror("bench: test run");
			goto out;
		}
	t->ninsn = prog.ninsn;
	t->load_ms = prog.load_ms;
	t->ok = true;
	rc = 0;
out:
	bw_bench_prog_close(&prog);
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	return rc;
}

/* A packet from saddr (IPv4 or IPv6) to PORT over l4. */
static int pkt_from(const char *saddr, const char *l4, struct bw_bench_pkt *p)
{
	char spec[160];
	bool v6 = strchr(saddr, ':');

	snprintf(spec, sizeof(spec), "%s saddr %s %s daddr %s %s sport 40000 %s dport %u",
		 v6 ? "ip6" : "ip", saddr, v6 ? "ip6" : "ip",
		 v6 ? "2001:db8::2" : "192.0.2.2", l4, l4, PORT);
	return bw_bench_pkt(spec, p);
}

/* ---- named sets ---- */

/*
 * Element i sits in slot i + i/8 of the range: every ninth slot stays a
 * hole.  An interval set's elements are prefixes of 2^shift addresses,
 * as long as n of them (and their holes) fit in 198.18.0.0/15; hash sets
 * hold single addresses (shift 0).
 */
static unsigned elem_slot(unsigned i)
{
	return i + i / 8;
}

/* A hole near the middle of n elements (after the last when n < 9). */
static unsigned hole_slot(unsigned n)
{
	return n < 9 ? elem_slot(n - 1) + 1 : elem_slot(n / 2 / 8 * 8 + 7) + 1;
}

static unsigned prefix_shift(unsigned n)
{
	unsigned s = 0;

	while (s < 16 && (n + n / 8 + 1) << (s + 1) <= SLOTS)
		s++;
	return s;
}

static char *named_text(const struct kind *k, unsigned n, unsigned shift)
{
	struct bw_pbuf set = { 0 }, b = { 0 };
	char addr[32], *def;

	bw_pbuf_printf(&set, "\tset s {\n\t\t%s\n", k->type);
	if (n > BW_SET_DEFAULT_SIZE)
		bw_pbuf_printf(&set, "\t\tsize %u;\n", n);
	bw_pbuf_put(&set, "\t\telements = {");
	for (unsigned i = 0; i < n; i++) {
		bw_bench_addr(elem_slot(i) << shift, addr, sizeof(addr));
		bw_pbuf_printf(&set, "%s%s", i % 8 ? ", " : i ? ",\n\t\t\t" : "\n\t\t\t",
			       addr);
		if (k->interval)
			bw_pbuf_printf(&set, "/%u", 32 - shift);
		if (k->concat)
			bw_pbuf_printf(&set, " . %u", PORT);
	}
	bw_pbuf_put(&set, "\n\t\t}\n\t}\n");
	def = bw_pbuf_take(&set);
	if (!def)
		return NULL;
	bw_bench_ruleset_open(&b, def);
	free(def);
	bw_pbuf_printf(&b, "\t\t%s @s drop\n", k->match);
	return bw_bench_ruleset_close(&b);
}

static int named_sets(int empty_fd, FILE *out)
{
	struct timing res[NKIND][NNAMED] = { 0 };
	int failed = 0;

	for (unsigned ki = 0; ki < NKIND; ki++) {
		const struct kind *k = &kinds[ki];

		for (unsigned si = 0; si < NNAMED; si++) {
			unsigned n = named_sizes[si];
			unsigned shift = k->interval ? prefix_shift(n) : 0;
			struct bw_bench_pkt miss[2], hit;
			char *text = named_text(k, n, shift), hole[32], last[32];

			fprintf(stderr, "bench: %s set of %u elements ...\n", k->name, n);
			bw_bench_addr(hole_slot(n) << shift, hole, sizeof(hole));
			/* the last address of the last element */
			bw_bench_addr(((elem_slot(n - 1) + 1) << shift) - 1, last,
				      sizeof(last));
			if (pkt_from("192.0.2.1", k->l4, &miss[0]) ||
			    pkt_from(hole, k->l4, &miss[1]) ||
			    pkt_from(last, k->l4, &hit) ||
			    time_text(text, NULL, true, miss, 2, &hit, empty_fd,
				      &res[ki][si]))
				failed++;
			free(text);
		}
	}

	fprintf(out, "\n## Named sets: ns per packet (BPF_PROG_TEST_RUN, XDP, no element matches)\n\n");
	fprintf(out, "One rule `ip saddr @s drop` (concat: `ip saddr . tcp dport @s`, elements\n"
		"`A . %u`); hash: addresses, interval: prefixes of the length given.\n"
		"Outside: a packet from 192.0.2.1; hole: from an address between\n"
		"elements.  Median of the interleaved runs; added = over the empty\n"
		"program; load: maps (filled) and verifier, ms.\n\n", PORT);
	fprintf(out, "| set | elements | empty | outside | added | hole | added | insns | load |\n");
	fprintf(out, "|-----|---------:|------:|--------:|------:|-----:|------:|------:|-----:|\n");
	for (unsigned ki = 0; ki < NKIND; ki++)
		for (unsigned si = 0; si < NNAMED; si++) {
			const struct timing *t = &res[ki][si];
			unsigned n = named_sizes[si];
			char name[32];

			if (kinds[ki].interval)
				snprintf(name, sizeof(name), "interval /%u",
					 32 - prefix_shift(n));
			else
				snprintf(name, sizeof(name), "%s", kinds[ki].name);
			if (!t->ok) {
				fprintf(out, "| %s | %u | FAILED | | | | | | |\n", name, n);
				continue;
			}
			fprintf(out, "| %s | %u | %.0f | %.0f | %+.0f | %.0f | %+.0f | %u | %.1f |\n",
				name, n, t->empty_ns[0], t->ns[0], t->ns[0] - t->empty_ns[0],
				t->ns[1], t->ns[1] - t->empty_ns[1], t->ninsn, t->load_ms);
		}
	return failed;
}

/* ---- literal sets: compares or a lookup ---- */

/* The kinds of literal set: addresses (a hash when looked up), or
 * prefixes (an LPM trie). */
static const struct anon_kind {
	const char *rule;		/* in the heading */
	const char *l3;			/* the rule's protocol */
	const char *miss_text;		/* where the timed packet comes from */
	bool v6, prefix;
} anon_kinds[] = {
	{ "ip saddr { A, ... }", "ip", "192.0.2.1", false, false },
	{ "ip6 saddr { A, ... }", "ip6", "2001:db8::1", true, false },
	{ "ip saddr { P/24, ... }", "ip", "a hole between the prefixes", false, true },
};

#define NANON_KIND	(sizeof(anon_kinds) / sizeof(anon_kinds[0]))

/* Element i of a literal set of kind k (prefixes: every other /24, so
 * that holes lie between them); with plen false a prefix's address only. */
static void anon_elem(const struct anon_kind *k, unsigned i, bool plen,
		      char *buf, size_t len)
{
	if (k->v6)
		snprintf(buf, len, "2001:db8:1::%x", i + 1);
	else if (k->prefix)
		bw_bench_addr(2 * i << 8, buf, len);
	else
		bw_bench_addr(i + 1, buf, len);
	if (k->prefix && plen)
		strncat(buf, "/24", len - strlen(buf) - 1);
}

static char *anon_text(const struct anon_kind *k, unsigned n)
{
	struct bw_pbuf b = { 0 };
	char elem[48];

	bw_bench_ruleset_open(&b, "");
	bw_pbuf_printf(&b, "\t\t%s saddr {", k->l3);
	for (unsigned i = 0; i < n; i++) {
		anon_elem(k, i, true, elem, sizeof(elem));
		bw_pbuf_printf(&b, "%s %s", i ? "," : "", elem);
	}
	bw_pbuf_put(&b, " } drop\n");
	return bw_bench_ruleset_close(&b);
}

/* The packet that matches none of n elements. */
static int anon_miss(const struct anon_kind *k, unsigned n, struct bw_bench_pkt *p)
{
	char addr[48];

	if (!k->prefix)
		return pkt_from(k->miss_text, "udp", p);
	bw_bench_addr((n / 2 * 2 + 1) << 8, addr, sizeof(addr));
	return pkt_from(addr, "udp", p);
}

/* The smallest size from which on the lookup was faster at every size
 * timed (0: at none). */
static unsigned crossing(const struct timing (*res)[2])
{
	unsigned from = 0;

	for (unsigned i = 0; i < NANON; i++) {
		double cmp = res[i][0].ns[0] - res[i][0].empty_ns[0];
		double lk = res[i][1].ns[0] - res[i][1].empty_ns[0];

		if (!res[i][0].ok || !res[i][1].ok || lk >= cmp)
			from = 0;
		else if (!from)
			from = anon_sizes[i];
	}
	return from;
}

static void anon_table(const struct anon_kind *k, const struct timing (*res)[2],
		       FILE *out)
{
	unsigned from = crossing(res);

	fprintf(out, "\n### `%s drop`, packet from %s\n\n", k->rule, k->miss_text);
	fprintf(out, "| elements | empty | compares | added | insns | lookup | added | insns |\n");
	fprintf(out, "|---------:|------:|---------:|------:|------:|-------:|------:|------:|\n");
	for (unsigned si = 0; si < NANON; si++) {
		fprintf(out, "| %u |", anon_sizes[si]);
		for (int form = 0; form < 2; form++) {
			const struct timing *t = &res[si][form];

			if (!form)
				fprintf(out, " %.0f |", t->empty_ns[0]);
			if (t->ok)
				fprintf(out, " %.0f | %+.0f | %u |", t->ns[0],
					t->ns[0] - t->empty_ns[0], t->ninsn);
			else
				fprintf(out, " FAILED | | |");
		}
		fprintf(out, "\n");
	}
	if (from)
		fprintf(out, "\nIn this run the lookup was faster from %u elements on.\n", from);
	else
		fprintf(out, "\nIn this run the lookup was not faster at the largest size.\n");
}

static int anon_sets(int empty_fd, FILE *out)
{
	/* [kind][size][0: compares, 1: lookup] */
	struct timing res[NANON_KIND][NANON][2] = { 0 };
	int failed = 0;

	for (unsigned ki = 0; ki < NANON_KIND; ki++) {
		const struct anon_kind *k = &anon_kinds[ki];

		for (unsigned si = 0; si < NANON; si++) {
			unsigned n = anon_sizes[si];
			char *text = anon_text(k, n), last[48];
			struct bw_bench_pkt miss, hit;

			fprintf(stderr, "bench: literal set `%s` of %u elements ...\n",
				k->rule, n);
			anon_elem(k, n - 1, false, last, sizeof(last));
			for (int form = 0; form < 2; form++) {
				struct bw_compile_opts o = {
					.anon_lookup_min = form ? 1 : UINT32_MAX,
				};

				if (anon_miss(k, n, &miss) ||
				    pkt_from(last, "udp", &hit) ||
				    time_text(text, &o, form, &miss, 1, &hit,
					      empty_fd, &res[ki][si][form]))
					failed++;
			}
			free(text);
		}
	}
	fprintf(out, "\n## Literal sets: compares or a lookup\n\n");
	fprintf(out, "ns per packet as above, for a packet that matches no element.\n"
		"bpfwall makes a literal set of at least BW_ANON_LOOKUP_MIN (%d)\n"
		"elements a lookup (addresses: hash, prefixes: LPM trie), a smaller\n"
		"one compares; here each size is built both ways\n"
		"(bw_compile_opts.anon_lookup_min).\n", BW_ANON_LOOKUP_MIN);
	for (unsigned ki = 0; ki < NANON_KIND; ki++)
		anon_table(&anon_kinds[ki], (const struct timing (*)[2])res[ki], out);
	return failed;
}

/* ---- literal concatenations with two ranges per element ---- */

static const unsigned cat_sizes[] = { 1, 2, 8, 16, 32, 64 };

#define NCAT	(sizeof(cat_sizes) / sizeof(cat_sizes[0]))

/*
 * `ip saddr . tcp dport { A-A' . P-P', ... } drop`: element i the
 * addresses 2i, 2i+1 of 198.18.0.0/15 and the ports 1000+2i, 1001+2i.
 * two: both parts ranges (compares in the rule's code, one element after
 * the other, setmap.h BW_SET_ELEM_SCAN); else the address one value (an
 * LPM trie keyed by the address, then the port's prefixes).
 */
static char *cat_text(unsigned n, bool two)
{
	struct bw_pbuf b = { 0 };
	char lo[48], hi[48];

	bw_bench_ruleset_open(&b, "");
	bw_pbuf_put(&b, "\t\tip saddr . tcp dport {");
	for (unsigned i = 0; i < n; i++) {
		bw_bench_addr(2 * i, lo, sizeof(lo));
		bw_bench_addr(2 * i + 1, hi, sizeof(hi));
		if (two)
			bw_pbuf_printf(&b, "%s %s-%s . %u-%u", i ? "," : "", lo, hi,
				       1000 + 2 * i, 1001 + 2 * i);
		else
			bw_pbuf_printf(&b, "%s %s . %u-%u", i ? "," : "", lo,
				       1000 + 2 * i, 1001 + 2 * i);
	}
	bw_pbuf_put(&b, " } drop\n");
	return bw_bench_ruleset_close(&b);
}

/* Packets: from 192.0.2.1 (no element's address), and from the last
 * element's address to a port none has; the hit: the last element. */
static int cat_pkts(unsigned n, struct bw_bench_pkt *miss, struct bw_bench_pkt *hit)
{
	char a[48], spec[160];

	bw_bench_addr(2 * (n - 1), a, sizeof(a));
	snprintf(spec, sizeof(spec), "ip saddr 192.0.2.1 ip daddr 192.0.2.2 tcp sport 40000 tcp dport %u",
		 1000 + 2 * (n - 1));
	if (bw_bench_pkt(spec, &miss[0]))
		return -1;
	snprintf(spec, sizeof(spec), "ip saddr %s ip daddr 192.0.2.2 tcp sport 40000 tcp dport 999", a);
	if (bw_bench_pkt(spec, &miss[1]))
		return -1;
	snprintf(spec, sizeof(spec), "ip saddr %s ip daddr 192.0.2.2 tcp sport 40000 tcp dport %u",
		 a, 1001 + 2 * (n - 1));
	return bw_bench_pkt(spec, hit);
}

int bw_bench_concat(int empty_fd, FILE *out)
{
	struct timing res[NCAT][2] = { 0 };
	int failed = 0;

	for (unsigned si = 0; si < NCAT; si++) {
		struct bw_bench_pkt miss[2], hit;

		fprintf(stderr, "bench: concatenation of %u elements ...\n", cat_sizes[si]);
		for (int two = 0; two < 2; two++) {
			char *text = cat_text(cat_sizes[si], two);

			if (cat_pkts(cat_sizes[si], miss, &hit) ||
			    time_text(text, NULL, true, miss, 2, &hit, empty_fd,
				      &res[si][two]))
				failed++;
			free(text);
		}
	}
	fprintf(out, "\n## Literal concatenations: one range per element or two\n\n");
	fprintf(out, "`ip saddr . tcp dport { A . P-P', ... } drop` (an LPM trie) against\n"
		"`ip saddr . tcp dport { A-A' . P-P', ... } drop` (each element tested in\n"
		"the rule's code, at most %d), ns per packet added to the empty\n"
		"program's: for a packet whose address no element has (miss), and\n"
		"one with the last element's address and a port none has (last).\n\n",
		BW_SET_SCAN_MAX);
	fprintf(out, "| elements | empty | LPM miss | last | insns | compares miss | last | insns |\n");
	fprintf(out, "|---------:|------:|---------:|-----:|------:|--------------:|-----:|------:|\n");
	for (unsigned si = 0; si < NCAT; si++) {
		fprintf(out, "| %u | %.0f |", cat_sizes[si], res[si][0].empty_ns[0]);
		for (int two = 0; two < 2; two++) {
			const struct timing *t = &res[si][two];

			if (t->ok)
				fprintf(out, " %+.0f | %+.0f | %u |", t->ns[0] - t->empty_ns[0],
					t->ns[1] - t->empty_ns[1], t->ninsn);
			else
				fprintf(out, " FAILED | | |");
		}
		fprintf(out, "\n");
	}
	return failed;
}

int bw_bench_sets(int empty_fd, FILE *out)
{
	return named_sets(empty_fd, out) + anon_sets(empty_fd, out);
}
