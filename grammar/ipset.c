// SPDX-License-Identifier: GPL-2.0-only
/*
 * ipset's sets as data: types, entries read and printed as ipset 7 does,
 * and the nft elements a set becomes (see ipset.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ipset.h"

static const struct {
	const char *name;
	int dim, revision;
	bool port, net;
} types[BW_IPSET__NTYPES] = {
	[BW_IPSET_HASH_IP] = { "hash:ip", 1, 6, false, false },
	[BW_IPSET_HASH_NET] = { "hash:net", 1, 7, false, true },
	[BW_IPSET_HASH_IP_PORT] = { "hash:ip,port", 2, 7, true, false },
	[BW_IPSET_HASH_NET_PORT] = { "hash:net,port", 2, 8, true, true },
	[BW_IPSET_HASH_IP_PORT_IP] = { "hash:ip,port,ip", 3, 6, true, false },
};

const char *bw_ipset_type_name(int t) { return types[t].name; }
int bw_ipset_dim(int t) { return types[t].dim; }
bool bw_ipset_has_port(int t) { return types[t].port; }
bool bw_ipset_is_net(int t) { return types[t].net; }
int bw_ipset_revision(int t) { return types[t].revision; }

int bw_ipset_type_find(const char *name)
{
	for (int t = 0; t < BW_IPSET__NTYPES; t++)
		if (!strcmp(types[t].name, name))
			return t;
	return -1;
}

struct bw_ipset *bw_ipset_find(const struct bw_ipset_list *l, const char *name)
{
	for (struct bw_ipset *s = l->head; s; s = s->next)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

struct bw_ipset *bw_ipset_new(struct bw_ipset_list *l, const char *name,
			      int type, bool v6)
{
	struct bw_ipset *s = calloc(1, sizeof(*s)), **pp = &l->head;

	if (!s)
		return NULL;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->type = type;
	s->v6 = v6;
	s->hashsize = 1024;
	s->maxelem = 65536;
	while (*pp)
		pp = &(*pp)->next;
	*pp = s;
	return s;
}

void bw_ipset_remove(struct bw_ipset_list *l, struct bw_ipset *s)
{
	for (struct bw_ipset **pp = &l->head; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			free(s->idx);
			free(s->e);
			free(s);
			return;
		}
}

void bw_ipset_list_free(struct bw_ipset_list *l)
{
	while (l && l->head)
		bw_ipset_remove(l, l->head);
}

/* ---- entries ---- */

static int fail(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int alen(bool v6)
{
	return v6 ? 16 : 4;
}

static int addr(const char *s, bool v6, uint8_t *out, char *err, size_t elen)
{
	struct in_addr a4;

	memset(out, 0, 16);
	if (!v6 && inet_aton(s, &a4)) {
		memcpy(out, &a4, 4);
		return 0;
	}
	if (v6 && inet_pton(AF_INET6, s, out) == 1)
		return 0;
	return fail(err, elen, "Syntax error: cannot parse %s: resolving to %s address failed",
		    s, v6 ? "IPv6" : "IPv4");
}

static uint32_t v4(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static void set_v4(uint8_t *a, uint32_t x)
{
	a[0] = (uint8_t)(x >> 24);
	a[1] = (uint8_t)(x >> 16);
	a[2] = (uint8_t)(x >> 8);
	a[3] = (uint8_t)x;
}

static void mask_net(uint8_t *a, int cidr, int len)
{
	for (int i = 0; i < len; i++) {
		int bits = cidr - i * 8;

		a[i] &= bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
}

/* First dimension: lo..hi (IPv4 ranges), cidr for nets. */
struct first {
	uint8_t lo[16];
	uint32_t n4lo, n4hi;		/* IPv4 range */
	int cidr;
	bool range;
};

static int first_parse(const struct bw_ipset *s, char *p, struct first *f,
		       bool *cidr_given, char *err, size_t elen)
{
	int max = s->v6 ? 128 : 32;
	char *slash = strchr(p, '/'), *dash = s->v6 ? NULL : strchr(p, '-');
	int rc;

	f->cidr = max;
	f->range = false;
	if (slash) {
		char *end;
		long c;

		*slash = 0;
		c = strtol(slash + 1, &end, 10);
		if (*end || end == slash + 1 || c < 0 || c > max)
			return fail(err, elen, "Syntax error: '%s' is out of range 0-%d", slash + 1, max);
		if (!c)
			return fail(err, elen, "The value of the CIDR parameter of the IP address is invalid");
		if (s->v6 && !bw_ipset_is_net(s->type) && c != 128)
			return fail(err, elen, "bpfwall: an IPv6 net in a set of type %s is not expanded by bpfwall",
				    bw_ipset_type_name(s->type));
		f->cidr = (int)c;
		*cidr_given = true;
	}
	if (dash) {
		uint8_t hi[16];

		*dash = 0;
		if ((rc = addr(p, false, f->lo, err, elen)) ||
		    (rc = addr(dash + 1, false, hi, err, elen)))
			return rc;
		f->n4lo = v4(f->lo);
		f->n4hi = v4(hi);
		if (f->n4lo > f->n4hi) {
			uint32_t t = f->n4lo;

			f->n4lo = f->n4hi;
			f->n4hi = t;
		}
		f->range = true;
		return 0;
	}
	rc = addr(p, s->v6, f->lo, err, elen);
	if (rc)
		return rc;
	mask_net(f->lo, f->cidr, alen(s->v6));
	if (!s->v6) {
		f->n4lo = v4(f->lo);
		f->n4hi = f->n4lo | (f->cidr == 32 ? 0 : (uint32_t)(0xffffffffu >> f->cidr));
		f->range = !bw_ipset_is_net(s->type) && f->cidr < 32;
	}
	return 0;
}

static int port_parse(const char *p, uint8_t *proto, uint16_t *lo, uint16_t *hi,
		      char *err, size_t elen)
{
	const char *colon = strchr(p, ':'), *ps = p, *dash;
	char pname[32] = "tcp", buf[64];
	unsigned long a, b;
	char *end;

	if (colon) {
		snprintf(pname, sizeof(pname), "%.*s", (int)(colon - p), p);
		ps = colon + 1;
		if (!getprotobyname(pname) && strcmp(pname, "tcp") && strcmp(pname, "udp"))
			return fail(err, elen, "Syntax error: cannot parse '%s' as a protocol", pname);
	}
	if (!strcmp(pname, "tcp"))
		*proto = IPPROTO_TCP;
	else if (!strcmp(pname, "udp"))
		*proto = IPPROTO_UDP;
	else
		return fail(err, elen, "bpfwall: ports of protocol %s are not matched by bpfwall's sets (tcp and udp are)",
			    pname);
	snprintf(buf, sizeof(buf), "%s", ps);
	dash = strchr(buf, '-');
	if (dash)
		buf[dash - buf] = 0;
	for (int k = 0; k < (dash ? 2 : 1); k++) {
		const char *w = k ? dash + 1 : buf;
		struct servent *se;

		a = strtoul(w, &end, 10);
		if (!*w || *end) {
			se = getservbyname(w, pname);
			if (!se)
				return fail(err, elen, "Syntax error: cannot parse '%s' as a %s port", w, pname);
			a = ntohs((uint16_t)se->s_port);
		} else if (a > 65535) {
			return fail(err, elen, "Syntax error: '%s' is out of range 0-65535", w);
		}
		if (k)
			b = a;
		else
			*lo = (uint16_t)a;
	}
	*hi = dash ? (uint16_t)b : *lo;
	if (*hi < *lo) {
		uint16_t t = *lo;

		*lo = *hi;
		*hi = t;
	}
	return 0;
}

static int push(struct bw_ipset_elem **out, uint32_t *n, uint32_t max,
		const struct bw_ipset_elem *e, char *err, size_t elen)
{
	struct bw_ipset_elem *ne;

	if (*n >= max)
		return fail(err, elen, "Hash is full, cannot add more elements");
	if (!(*n & (*n + 1)) || !*out) {
		ne = realloc(*out, ((size_t)*n + 1) * 2 * sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		*out = ne;
	}
	(*out)[(*n)++] = *e;
	return 0;
}

/* The largest net starting at lo that ends at or before hi. */
static int net_at(uint32_t lo, uint32_t hi)
{
	int c = 32;

	while (c > 0) {
		uint32_t m = c == 1 ? 0x7fffffffu : (uint32_t)(0xffffffffu >> (c - 1));

		if ((lo & m) || (lo | m) > hi)
			break;
		c--;
	}
	return c;
}

int bw_ipset_parse_entry(const struct bw_ipset *s, const char *text,
			 uint32_t max, struct bw_ipset_elem **out, uint32_t *n,
			 bool *cidr_given, char *err, size_t elen)
{
	static const char *const nth[] = { "First", "Second", "Third" };
	int dim = bw_ipset_dim(s->type), np = 0, rc;
	char buf[256], *part[4], *save = NULL, *t;
	struct bw_ipset_elem e = { 0 };
	struct first f;
	uint16_t plo = 0, phi = 0;

	*out = NULL;
	*n = 0;
	*cidr_given = false;
	snprintf(buf, sizeof(buf), "%s", text);
	for (t = strtok_r(buf, ",", &save); t && np < 4; t = strtok_r(NULL, ",", &save))
		part[np++] = t;
	if (np < dim)
		return fail(err, elen, "Syntax error: %s element is missing from %s.",
			    nth[np < 3 ? np : 2], text);
	if (np > dim)
		return fail(err, elen, "Syntax error: Elem separator in %s, but settype %s supports none.",
			    text, bw_ipset_type_name(s->type));
	rc = first_parse(s, part[0], &f, cidr_given, err, elen);
	if (rc)
		return rc;
	if (bw_ipset_has_port(s->type) &&
	    (rc = port_parse(part[1], &e.proto, &plo, &phi, err, elen)))
		return rc;
	if (dim == 3 && (rc = addr(part[2], s->v6, e.ip2, err, elen)))
		return rc;
	for (uint32_t port = plo; port <= phi; port++) {
		e.port = (uint16_t)port;
		if (s->v6 || (!f.range && bw_ipset_is_net(s->type)) ||
		    (!f.range && !bw_ipset_is_net(s->type))) {
			memcpy(e.ip, f.lo, 16);
			e.cidr = (uint8_t)f.cidr;
			rc = push(out, n, max, &e, err, elen);
		} else if (bw_ipset_is_net(s->type)) {
			/* a range of a net type: the nets that cover it */
			for (uint64_t a = f.n4lo; a <= f.n4hi && !rc; ) {
				int c = net_at((uint32_t)a, f.n4hi);

				memset(e.ip, 0, 16);
				set_v4(e.ip, (uint32_t)a);
				e.cidr = (uint8_t)c;
				rc = push(out, n, max, &e, err, elen);
				a += c ? (uint64_t)1 << (32 - c) : (uint64_t)1 << 32;
			}
		} else {
			for (uint64_t a = f.n4lo; a <= f.n4hi && !rc; a++) {
				memset(e.ip, 0, 16);
				set_v4(e.ip, (uint32_t)a);
				e.cidr = 32;
				rc = push(out, n, max, &e, err, elen);
			}
		}
		if (rc) {
			free(*out);
			*out = NULL;
			*n = 0;
			return rc;
		}
	}
	return 0;
}

static void paddr(FILE *f, bool v6, const uint8_t *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(v6 ? AF_INET6 : AF_INET, a, buf, sizeof(buf));
	fputs(buf, f);
}

void bw_ipset_print_elem(FILE *f, const struct bw_ipset *s,
			 const struct bw_ipset_elem *e)
{
	paddr(f, s->v6, e->ip);
	if (bw_ipset_is_net(s->type) && e->cidr != (s->v6 ? 128 : 32))
		fprintf(f, "/%u", e->cidr);
	if (bw_ipset_has_port(s->type))
		fprintf(f, ",%s:%u", e->proto == IPPROTO_UDP ? "udp" : "tcp", e->port);
	if (bw_ipset_dim(s->type) == 3) {
		fputc(',', f);
		paddr(f, s->v6, e->ip2);
	}
}

static bool same(const struct bw_ipset *s, const struct bw_ipset_elem *a,
		 const struct bw_ipset_elem *b)
{
	int l = alen(s->v6);

	return !memcmp(a->ip, b->ip, (size_t)l) &&
	       (!bw_ipset_is_net(s->type) || a->cidr == b->cidr) &&
	       (!bw_ipset_has_port(s->type) || (a->proto == b->proto && a->port == b->port)) &&
	       (bw_ipset_dim(s->type) < 3 || !memcmp(a->ip2, b->ip2, (size_t)l));
}

static uint32_t hash_elem(const struct bw_ipset *s, const struct bw_ipset_elem *e)
{
	uint32_t h = 2166136261u;
	int l = alen(s->v6);

#define MIX(b) (h = (h ^ (uint8_t)(b)) * 16777619u)
	for (int i = 0; i < l; i++)
		MIX(e->ip[i]);
	if (bw_ipset_is_net(s->type))
		MIX(e->cidr);
	if (bw_ipset_has_port(s->type)) {
		MIX(e->proto);
		MIX(e->port >> 8);
		MIX(e->port);
	}
	if (bw_ipset_dim(s->type) > 2)
		for (int i = 0; i < l; i++)
			MIX(e->ip2[i]);
#undef MIX
	return h;
}

static void idx_put(struct bw_ipset *s, uint32_t i)
{
	uint32_t m = s->idx_cap - 1, h = hash_elem(s, &s->e[i]) & m;

	while (s->idx[h])
		h = (h + 1) & m;
	s->idx[h] = i + 1;
}

/* The index for at least want entries; false: no memory (a linear search). */
static bool idx_build(struct bw_ipset *s, uint32_t want)
{
	uint32_t cap = 64;

	while (cap < want * 2)
		cap <<= 1;
	free(s->idx);
	s->idx = calloc(cap, sizeof(*s->idx));
	s->idx_ok = s->idx != NULL;
	s->idx_cap = s->idx ? cap : 0;
	for (uint32_t i = 0; s->idx_ok && i < s->n; i++)
		idx_put(s, i);
	return s->idx_ok;
}

int bw_ipset_elem_index(const struct bw_ipset *cs, const struct bw_ipset_elem *e)
{
	struct bw_ipset *s = (struct bw_ipset *)cs;	/* the index is a cache */

	if ((s->idx_ok && s->idx_cap >= 2 * s->n) || idx_build(s, s->n + 1)) {
		uint32_t m = s->idx_cap - 1, h = hash_elem(s, e) & m;

		for (; s->idx[h]; h = (h + 1) & m)
			if (same(s, &s->e[s->idx[h] - 1], e))
				return (int)(s->idx[h] - 1);
		return -1;
	}
	for (uint32_t i = 0; i < s->n; i++)
		if (same(s, &s->e[i], e))
			return (int)i;
	return -1;
}

bool bw_ipset_test(const struct bw_ipset *s, const struct bw_ipset_elem *e,
		   bool cidr_given)
{
	if (!bw_ipset_is_net(s->type) || cidr_given)
		return bw_ipset_elem_index(s, e) >= 0;
	for (uint32_t i = 0; i < s->n; i++) {
		struct bw_ipset_elem k = *e;

		k.cidr = s->e[i].cidr;
		mask_net(k.ip, k.cidr, alen(s->v6));
		if (same(s, &s->e[i], &k))
			return true;
	}
	return false;
}

int bw_ipset_add(struct bw_ipset *s, const struct bw_ipset_elem *e)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 16;
		struct bw_ipset_elem *ne = realloc(s->e, (size_t)cap * sizeof(*ne));

		if (!ne)
			return -ENOMEM;
		s->e = ne;
		s->cap = cap;
	}
	s->e[s->n++] = *e;
	if (s->idx_ok && s->idx_cap >= 2 * s->n)
		idx_put(s, s->n - 1);
	else
		s->idx_ok = false;
	return 0;
}

void bw_ipset_del(struct bw_ipset *s, int i)
{
	memmove(&s->e[i], &s->e[i + 1], (size_t)(s->n - (uint32_t)i - 1) * sizeof(*s->e));
	s->n--;
	s->idx_ok = false;		/* the entries after it moved */
}

uint8_t bw_ipset_proto(const struct bw_ipset *s)
{
	return s->n && bw_ipset_has_port(s->type) ? s->e[0].proto : IPPROTO_TCP;
}

void bw_ipset_print_header(FILE *f, const struct bw_ipset *s)
{
	fprintf(f, "family %s hashsize %u maxelem %u bucketsize 12 initval 0x%08x",
		s->v6 ? "inet6" : "inet", s->hashsize, s->maxelem, s->initval);
}

/* ---- the nft elements ---- */

struct span {
	uint8_t lo[16], hi[16];
	const struct bw_ipset_elem *e;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->e->port != y->e->port)
		return x->e->port < y->e->port ? -1 : 1;
	return memcmp(x->lo, y->lo, 16);
}

int bw_ipset_nft_elems(const struct bw_ipset *s,
		       void (*fn)(void *arg, const uint8_t *lo, const uint8_t *hi,
				  const struct bw_ipset_elem *e),
		       void *arg)
{
	struct span *v;
	uint32_t m = 0;
	int l = alen(s->v6);

	if (!bw_ipset_is_net(s->type)) {
		for (uint32_t i = 0; i < s->n; i++)
			fn(arg, s->e[i].ip, s->e[i].ip, &s->e[i]);
		return 0;
	}
	v = calloc(s->n ? s->n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (uint32_t i = 0; i < s->n; i++) {
		memcpy(v[i].lo, s->e[i].ip, 16);
		memcpy(v[i].hi, s->e[i].ip, 16);
		for (int b = s->e[i].cidr; b < l * 8; b++)
			v[i].hi[b / 8] |= (uint8_t)(0x80 >> (b % 8));
		v[i].e = &s->e[i];
	}
	qsort(v, s->n, sizeof(*v), span_cmp);
	/* merge overlapping spans of one port */
	for (uint32_t i = 0; i < s->n; i++) {
		if (m && v[m - 1].e->port == v[i].e->port &&
		    memcmp(v[i].lo, v[m - 1].hi, 16) <= 0) {
			if (memcmp(v[i].hi, v[m - 1].hi, 16) > 0)
				memcpy(v[m - 1].hi, v[i].hi, 16);
			continue;
		}
		v[m++] = v[i];
	}
	for (uint32_t i = 0; i < m; i++)
		fn(arg, v[i].lo, v[i].hi, v[i].e);
	free(v);
	return 0;
}
