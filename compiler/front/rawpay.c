// SPDX-License-Identifier: GPL-2.0-only
/* Raw payload fields (rawpay.h). */
#include <stdlib.h>
#include <string.h>

#include "rawpay.h"
#include "srh.h"

static const char *const base_names[] = {
	[BW_RAW_LL] = "ll", [BW_RAW_NH] = "nh", [BW_RAW_TH] = "th",
	[BW_RAW_IH] = "ih",
};

const char *bw_rawpay_base_name(unsigned base)
{
	return base < 4 ? base_names[base] : "?";
}

static bool number(const char **p, unsigned long *v)
{
	char *end;

	if (**p < '0' || **p > '9')
		return false;
	*v = strtoul(*p, &end, 10);
	*p = end;
	return true;
}

enum bw_raw_err bw_rawpay_parse(const char *proto, const char *field,
				struct bw_rawpay *out)
{
	const char *p = field;
	unsigned long off, len;
	unsigned b;

	/* nft's th sport, th dport: the first two 16-bit words of any
	 * transport header, without a protocol */
	if (!strcmp(proto, "th") && (!strcmp(field, "sport") || !strcmp(field, "dport"))) {
		out->base = BW_RAW_TH;
		out->off = field[0] == 's' ? 0 : 16;
		out->len = 16;
		return BW_RAW_OK;
	}
	/* ICMPv6's target (ND, MLD, redirect) and destination (redirect)
	 * addresses */
	if (!strcmp(proto, "icmpv6") && (!strcmp(field, "taddr") || !strcmp(field, "daddr"))) {
		out->base = BW_RAW_TH;
		out->off = field[0] == 't' ? 64 : 192;
		out->len = 128;
		return BW_RAW_OK;
	}
	/* srh FIELD: bytes of the first routing header (srh.h) */
	if (!strcmp(proto, "srh"))
		return bw_srh_parse(field, out) ? BW_RAW_OK : BW_RAW_ESYNTAX;
	if (proto[0] != '@')
		return BW_RAW_ESYNTAX;
	for (b = 0; b < 4; b++)
		if (!strcmp(proto + 1, base_names[b]))
			break;
	if (b == 4)
		return BW_RAW_EBASE;
	if (!number(&p, &off) || *p++ != ',' || !number(&p, &len) || *p)
		return BW_RAW_ESYNTAX;
	if (len == 0)
		return BW_RAW_ELEN0;
	if (len > BW_RAW_LEN_MAX)
		return BW_RAW_ELEN;
	if (off / 8 > BW_RAW_BYTE_MAX)
		return BW_RAW_EOFF;
	out->base = (uint8_t)b;
	out->off = (uint16_t)off;
	out->len = (uint8_t)len;
	if ((off % 8 || len % 8) && bw_rawpay_nbytes(out) > 8)
		return BW_RAW_EWIDE;
	return BW_RAW_OK;
}

const char *bw_rawpay_strerror(enum bw_raw_err e)
{
	switch (e) {
	case BW_RAW_OK: return "no error";
	case BW_RAW_EBASE: return "unknown raw payload base";
	case BW_RAW_ELEN0: return "raw payload length cannot be 0";
	case BW_RAW_ELEN: return "raw payload length exceeds upper limit of 128";
	case BW_RAW_EOFF: return "raw payload offset exceeds upper limit of 2047 bits (nf_tables reads at most 255 bytes in)";
	case BW_RAW_EWIDE: return "a raw payload not on byte boundaries must fit in 8 bytes (bpfwall reads it in one register)";
	case BW_RAW_ESYNTAX: break;
	}
	return "raw payload is @BASE,OFFSET,LENGTH";
}

enum bw_field_id bw_rawpay_field(unsigned len)
{
	if (len <= 8)
		return BW_F_RAW8;
	if (len <= 16)
		return BW_F_RAW16;
	if (len <= 32)
		return BW_F_RAW32;
	if (len <= 64)
		return BW_F_RAW64;
	return BW_F_RAW128;
}

enum bw_field_id bw_rawpay_field_kernel(unsigned len)
{
	return (enum bw_field_id)(bw_rawpay_field(len) - BW_F_RAW8 + BW_F_RAWK8);
}

bool bw_rawpay_read(const uint8_t *pkt, size_t end, size_t at,
		    const struct bw_rawpay *r, uint8_t *out, unsigned size)
{
	unsigned first = bw_rawpay_first(r), n = bw_rawpay_nbytes(r);
	uint64_t v = 0;

	memset(out, 0, size);
	if (at > end || end - at < (size_t)first + n)
		return false;
	pkt += at + first;
	if (!(r->off % 8) && !(r->len % 8)) {
		memcpy(out + size - n, pkt, n);
		return true;
	}
	/* at most 8 bytes (bw_rawpay_parse): one number */
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | pkt[i];
	v >>= n * 8 - r->off % 8 - r->len;
	if (r->len < 64)
		v &= (UINT64_C(1) << r->len) - 1;
	for (unsigned i = 0; i < size && i < 8; i++)
		out[size - 1 - i] = (uint8_t)(v >> (8 * i));
	return true;
}
