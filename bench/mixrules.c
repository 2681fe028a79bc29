// SPDX-License-Identifier: GPL-2.0-only
/*
 * `bwbench mixed`: the rulesets, generated from a seed (mixed.h says
 * which addresses and ports they use, and why no frame matches them).
 * The generator is splitmix64: small, and the same text on every machine
 * for the same seed.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler/front/evaluate.h"
#include "mixed.h"

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* a number in [lo, hi] */
static unsigned between(struct rng *r, unsigned lo, unsigned hi)
{
	return lo + (unsigned)(next(r) % (uint64_t)(hi - lo + 1));
}

/* An address of 198.18.0.0/16 with the host bits of a /len cleared. */
static void addr(struct rng *r, unsigned len, char *buf, size_t size)
{
	uint32_t off = (uint32_t)next(r) & 0xffffu;

	if (len < 32)
		off &= ~((1u << (32 - len)) - 1) & 0xffffu;
	snprintf(buf, size, "198.18.%u.%u", off >> 8, off & 0xff);
}

static unsigned dport(struct rng *r)
{
	return between(r, 10, 65535);	/* never the frames' 9 */
}

static unsigned sport(struct rng *r)
{
	return between(r, 1, BW_MX_FRAME_SPORT - 1);	/* below the frames' */
}

static void uniform_rule(struct bw_pbuf *b, struct rng *r)
{
	char a[32];

	addr(r, 32, a, sizeof(a));
	bw_pbuf_printf(b, "\t\tip saddr %s udp dport %u drop\n", a, dport(r));
}

static void mixed_rule(struct bw_pbuf *b, struct rng *r)
{
	unsigned len = between(r, 24, 32), lo;
	char a[32];

	switch (next(r) % 8) {
	case 0:
		addr(r, 32, a, sizeof(a));
		bw_pbuf_printf(b, "\t\tip saddr %s drop\n", a);
		break;
	case 1:
		addr(r, len, a, sizeof(a));
		bw_pbuf_printf(b, "\t\tip saddr %s/%u drop\n", a, len);
		break;
	case 2:
		addr(r, 32, a, sizeof(a));
		bw_pbuf_printf(b, "\t\tip saddr %s udp dport %u drop\n", a, dport(r));
		break;
	case 3:
		bw_pbuf_printf(b, "\t\tudp dport %u accept\n", dport(r));
		break;
	case 4:
		addr(r, 32, a, sizeof(a));
		bw_pbuf_printf(b, "\t\tip daddr %s udp dport %u accept\n", a, dport(r));
		break;
	case 5:
		len = between(r, 24, 31);
		addr(r, len, a, sizeof(a));
		lo = between(r, 10, 64535);
		bw_pbuf_printf(b, "\t\tip saddr %s/%u udp dport %u-%u drop\n", a, len,
			       lo, lo + between(r, 1, 1000));
		break;
	case 6:
		bw_pbuf_printf(b, "\t\tudp sport %u drop\n", sport(r));
		break;
	default:
		addr(r, 32, a, sizeof(a));
		bw_pbuf_printf(b, "\t\tip saddr %s ip protocol udp drop\n", a);
		break;
	}
}

const char *bw_mx_shape_name(enum bw_mx_shape s)
{
	return s == BW_MX_UNIFORM ? "uniform" : "mixed";
}

int bw_mx_shape_parse(const char *name)
{
	for (int s = 0; s < BW_MX__N; s++)
		if (!strcmp(name, bw_mx_shape_name((enum bw_mx_shape)s)))
			return s;
	return -1;
}

char *bw_mx_ruleset(enum bw_mx_shape shape, unsigned n, uint64_t seed,
		    const char *dev)
{
	/* the shape in the seed: the two rulesets of one seed differ */
	struct rng r = { .s = seed * 2 + (uint64_t)shape };
	struct bw_pbuf b = { 0 };

	bw_pbuf_printf(&b, "# bwbench mixed: %u %s rules, seed %llu; no UDP frame "
		       "from 198.19.0.0/16,\n# source port 32768-65535, to port %u "
		       "matches any of them\n", n, bw_mx_shape_name(shape),
		       (unsigned long long)seed, BW_MX_FRAME_DPORT);
	bw_pbuf_printf(&b, "table netdev bwmixed {\n\tchain in {\n\t\ttype filter hook "
		       "ingress device \"%s\" priority 0; policy drop;\n", dev);
	for (unsigned i = 0; i < n; i++) {
		if (shape == BW_MX_UNIFORM)
			uniform_rule(&b, &r);
		else
			mixed_rule(&b, &r);
	}
	bw_pbuf_put(&b, "\t}\n}\n");
	return bw_pbuf_take(&b);
}
