// SPDX-License-Identifier: GPL-2.0-only
/* SCTP chunk types and fields, and the reference walk (sctp_chunk.h). */
#include <stdio.h>
#include <string.h>

#include "sctp_chunk.h"

#define F_COMMON \
	{ "type", 0, 1 }, { "flags", 1, 1 }, { "length", 2, 2 }

struct ctype {
	const char *name;
	uint8_t type;
	struct bw_sctp_chunk_field f[8];
};

/* The chunk types nft knows, with the fields it names in each. */
static const struct ctype types[] = {
	{ "data", 0, { F_COMMON, { "tsn", 4, 4 }, { "stream", 8, 2 },
		       { "ssn", 10, 2 }, { "ppid", 12, 4 } } },
	{ "init", 1, { F_COMMON, { "init-tag", 4, 4 }, { "a-rwnd", 8, 4 },
		       { "num-outbound-streams", 12, 2 },
		       { "num-inbound-streams", 14, 2 },
		       { "initial-tsn", 16, 4 } } },
	{ "init-ack", 2, { F_COMMON, { "init-tag", 4, 4 }, { "a-rwnd", 8, 4 },
			   { "num-outbound-streams", 12, 2 },
			   { "num-inbound-streams", 14, 2 },
			   { "initial-tsn", 16, 4 } } },
	{ "sack", 3, { F_COMMON, { "cum-tsn-ack", 4, 4 }, { "a-rwnd", 8, 4 },
		       { "num-gap-ack-blocks", 12, 2 },
		       { "num-dup-tsns", 14, 2 } } },
	{ "heartbeat", 4, { F_COMMON } },
	{ "heartbeat-ack", 5, { F_COMMON } },
	{ "abort", 6, { F_COMMON } },
	{ "shutdown", 7, { F_COMMON, { "cum-tsn-ack", 4, 4 } } },
	{ "shutdown-ack", 8, { F_COMMON } },
	{ "error", 9, { F_COMMON } },
	{ "cookie-echo", 10, { F_COMMON } },
	{ "cookie-ack", 11, { F_COMMON } },
	{ "ecne", 12, { F_COMMON, { "lowest-tsn", 4, 4 } } },
	{ "cwr", 13, { F_COMMON, { "lowest-tsn", 4, 4 } } },
	{ "shutdown-complete", 14, { F_COMMON } },
	{ "asconf-ack", 0x80, { F_COMMON, { "seqno", 4, 4 } } },
	{ "forward-tsn", 0xc0, { F_COMMON, { "new-cum-tsn", 4, 4 } } },
	{ "asconf", 0xc1, { F_COMMON, { "seqno", 4, 4 } } },
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

static const struct ctype *by_type(uint8_t type)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (types[i].type == type)
			return &types[i];
	return NULL;
}

int bw_sctp_chunk_type(const char *name)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (!strcmp(types[i].name, name))
			return types[i].type;
	return -1;
}

const char *bw_sctp_chunk_name(uint8_t type)
{
	const struct ctype *t = by_type(type);

	return t ? t->name : NULL;
}

const struct bw_sctp_chunk_field *bw_sctp_chunk_field(uint8_t type,
						      const char *name)
{
	const struct ctype *t = by_type(type);

	for (size_t i = 0; t && i < 8 && t->f[i].name; i++)
		if (!strcmp(t->f[i].name, name))
			return &t->f[i];
	return NULL;
}

void bw_sctp_chunk_fields(uint8_t type, char *buf, size_t len)
{
	const struct ctype *t = by_type(type);
	size_t o = 0;

	buf[0] = 0;
	for (size_t i = 0; t && i < 8 && t->f[i].name && o < len; i++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", i ? ", " : "",
				      t->f[i].name);
}

enum bw_sctp_walk bw_sctp_chunk_walk(const uint8_t *pkt, size_t end,
				     size_t from, uint8_t type, size_t *at)
{
	size_t off = from;

	for (int n = 0; n < BW_SCTP_CHUNK_MAX; n++) {
		uint16_t clen;

		if (off + 4 > end)
			return BW_SCTP_ABSENT;
		clen = (uint16_t)(pkt[off + 2] << 8 | pkt[off + 3]);
		if (!clen)
			return BW_SCTP_ABSENT;
		if (pkt[off] == type) {
			*at = off;
			return BW_SCTP_FOUND;
		}
		off += ((size_t)clen + 3) & ~(size_t)3;
		if (off >= end)
			return BW_SCTP_ABSENT;
	}
	return BW_SCTP_TOO_MANY;
}

int bw_sctp_chunk_parse(const char *name, uint8_t *type, uint8_t *off,
			uint8_t *size)
{
	char tname[32];
	const char *sp;
	const struct bw_sctp_chunk_field *f;
	int t;

	if (strncmp(name, "chunk ", 6))
		return -1;
	name += 6;
	sp = strchr(name, ' ');
	if (!sp) {
		t = bw_sctp_chunk_type(name);
		if (t < 0)
			return -1;
		*type = (uint8_t)t;
		*off = *size = 0;
		return 0;
	}
	if ((size_t)(sp - name) >= sizeof(tname))
		return -1;
	memcpy(tname, name, (size_t)(sp - name));
	tname[sp - name] = 0;
	t = bw_sctp_chunk_type(tname);
	if (t < 0 || !(f = bw_sctp_chunk_field((uint8_t)t, sp + 1)))
		return -1;
	*type = (uint8_t)t;
	*off = f->off;
	*size = f->size;
	return 0;
}
