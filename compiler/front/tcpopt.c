// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>

#include "tcpopt.h"

static const struct {
	const char *name;
	unsigned kind;
} kinds[] = {
	{ "eol", 0 }, { "nop", 1 }, { "maxseg", 2 }, { "window", 3 },
	{ "sack-perm", 4 }, { "sack", 5 }, { "timestamp", 8 },
	{ "md5sig", 19 }, { "mptcp", 30 }, { "fastopen", 34 },
	/* nft's names of the SACK blocks (sack0 is sack's first) */
	{ "sack0", 5 }, { "sack1", 5 }, { "sack2", 5 }, { "sack3", 5 },
};

int bw_tcpopt_kind(const char *name, unsigned *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].name, name)) {
			*kind = kinds[i].kind;
			return 0;
		}
	return -1;
}

const char *bw_tcpopt_kind_name(unsigned kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return NULL;
}

/* nft_exthdr's optlen(): EOL, NOP and a zero length byte step by 1. */
static unsigned optlen(const uint8_t *opt, unsigned i)
{
	if (opt[i] <= 1 || opt[i + 1] == 0)
		return 1;
	return opt[i + 1];
}

bool bw_tcpopt_read(const uint8_t *tcp, size_t avail, uint8_t kind,
		    unsigned off, unsigned len, uint8_t *out)
{
	unsigned hlen, i, l;

	if (avail < 20)
		return false;
	hlen = (unsigned)(tcp[12] >> 4) * 4;
	if (hlen < 20 || hlen > avail)
		return false;
	for (i = 20; i < hlen - 1; i += l) {
		l = optlen(tcp, i);
		if (tcp[i] != kind)
			continue;
		if (i + l > hlen || off + len > l)
			return false;
		memcpy(out, tcp + i + off, len);
		return true;
	}
	return false;
}

int bw_tcpopt_xt(const uint8_t *tcp, size_t avail, uint8_t kind)
{
	unsigned optlen, i;

	if (avail < 20 || (tcp[12] >> 4) < 5)
		return -1;
	optlen = (unsigned)(tcp[12] >> 4) * 4 - 20;
	if (20 + (size_t)optlen > avail)
		return -1;
	for (i = 0; i < optlen;) {
		const uint8_t *op = tcp + 20;

		if (op[i] == kind)
			return 1;
		if (op[i] < 2 || i + 1 >= optlen)
			i++;
		else
			i += op[i + 1] ? op[i + 1] : 1;
	}
	return 0;
}

const char *bw_tcpopt_canon(const char *name, char *buf, size_t size)
{
	char word[32];
	const char *rest, *kname;
	unsigned kind;
	size_t n;

	if (strncmp(name, "option ", 7))
		return NULL;
	name += 7;
	rest = strchr(name, ' ');
	n = rest ? (size_t)(rest - name) : strlen(name);
	if (n == 0 || n >= sizeof(word))
		return NULL;
	memcpy(word, name, n);
	word[n] = 0;
	if (word[0] >= '0' && word[0] <= '9') {
		char *end;
		unsigned long k = strtoul(word, &end, 10);

		if (*end || k > 255)
			return NULL;
		kind = (unsigned)k;
	} else if (bw_tcpopt_kind(word, &kind)) {
		return NULL;
	}
	kname = bw_tcpopt_kind_name(kind);
	if (!kname)
		return NULL;
	if (!strncmp(word, "sack", 4) && word[4] >= '1' && word[4] <= '3' &&
	    !word[5])
		kname = word;	/* sack1 left: a row of its own */
	if ((size_t)snprintf(buf, size, "option %s%s", kname, rest ? rest : "") >= size)
		return NULL;
	return buf;
}

int bw_tcpopt_any(const char *name, uint8_t *kind, uint16_t *off, uint8_t *len)
{
	unsigned long k, o = 0, l = 0;
	bool raw;
	char *end;

	if (strncmp(name, "option ", 7))
		return -EINVAL;
	name += 7;
	raw = *name == '@';
	name += raw;
	if (*name < '0' || *name > '9')
		return -EINVAL;
	k = strtoul(name, &end, 10);
	if (raw) {
		if (*end != ',' || end[1] < '0' || end[1] > '9')
			return -EINVAL;
		o = strtoul(end + 1, &end, 10);
		if (*end != ',' || end[1] < '0' || end[1] > '9')
			return -EINVAL;
		l = strtoul(end + 1, &end, 10);
	}
	if (*end)
		return -EINVAL;
	if (k > 255 || (raw && (o % 8 || o / 8 > 255 ||
				(l != 8 && l != 16 && l != 32))))
		return -ERANGE;
	*kind = (uint8_t)k;
	*off = (uint16_t)o;
	*len = (uint8_t)l;
	return 0;
}
