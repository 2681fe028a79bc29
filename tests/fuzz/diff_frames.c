// SPDX-License-Identifier: GPL-2.0-only
/*
 * diff_view's frames: built from random recipes (VLAN stacks, IPv4
 * options, IPv6 extension chains, fragments, TCP data offsets, tunnels,
 * SCTP chunks, conntrack flows replayed from recent frames), then often
 * mutated raw.  The tunnel, SCTP and checksum streams are their own, so
 * the other frames stay the same whatever these become.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "compiler/bpf/codegen.h"
#include "compiler/interp/ct.h"
#include "compiler/front/rawpay.h"
#include "compiler/interp/interp.h"
#include "compiler/opt/optimize.h"
#include "compiler/front/tunnel.h"
#include "runtime/runtime.h"
#include "cli/drive.h"
#include "diff_view.h"

/* --- frames -------------------------------------------------------------- */

struct fb {
	uint8_t b[1024];
	size_t n;
};

static void p8(struct fb *f, uint64_t x)
{
	f->b[f->n++] = (uint8_t)x;
}

static void p16(struct fb *f, uint64_t x)
{
	p8(f, x >> 8);
	p8(f, x);
}

static void pbytes(struct fb *f, const void *src, size_t n)
{
	memcpy(f->b + f->n, src, n);
	f->n += n;
}

static void prand(struct fb *f, size_t n)
{
	while (n--)
		p8(f, dv_rnd());
}

static void p32(struct fb *f, uint64_t x)
{
	p16(f, x >> 16);
	p16(f, x & 0xffff);
}

#define PICK(arr) ((arr)[dv_rn(sizeof(arr) / sizeof((arr)[0]))])

static const uint8_t protos[] = { 6, 6, 6, 17, 17, 1, 1, 58, 58, 47, 59, 135, 135, 0, 255,
				  132, 33, 136, 50, 108, 51, 51 };
static const uint32_t soft32[] = { 0, 1, 7, 0x100, 1000, 0x01020304, 0xffffffff };
static const uint32_t seqs[] = { 0, 1, 1000, 0x12345678, 0xffffffff };
static const uint16_t windows[] = { 0, 512, 64240, 65535 };
static const uint16_t urgs[] = { 0, 1, 80, 0xffff };
static const uint16_t ulens[] = { 0, 7, 9, 100, 65535 };
static const uint16_t echo_ids[] = { 0, 1, 7, 0x1234, 0xffff };

/* SCTP chunks after the common header: types the field rules read and
 * others, lengths that fit, are short (the field beyond the chunk), 0
 * (the walk's end), not a multiple of 4, or beyond the packet; now and
 * then more chunks than the walk's bound (sctp-chunks).  From a random
 * stream of their own: the other frames stay what they were. */
static uint64_t crng = 0x2545f4914f6cdd1dULL;	/* also IPv4 checksums */

static uint32_t crn(uint32_t n)
{
	crng ^= crng >> 12;
	crng ^= crng << 25;
	crng ^= crng >> 27;
	return (uint32_t)((crng * 0x2545f4914f6cdd1dULL) % n);
}

#define CPICK(arr) ((arr)[crn(sizeof(arr) / sizeof((arr)[0]))])

static void gen_chunks(struct fb *f)
{
	static const uint8_t types[] = { 0, 0, 1, 1, 3, 3, 4, 0xc1, 11 };
	static const uint16_t lens[] = { 4, 8, 16, 16, 20, 20, 0, 1, 6, 13, 40 };
	static const uint16_t streams[] = { 0x0102, 0x0200, 0x7fff, 0, 0xffff, 0x8000, 0x8000 };
	static const uint8_t flags[] = { 0, 1, 2, 3, 0x1f, 0x9c, 0xff, 0xff };
	unsigned n = crn(100) < 5 ? 30 + crn(8) : crn(100) < 30 ? 0 : 1 + crn(4);

	for (unsigned i = 0; i < n; i++) {
		bool fill = n > 8 && i < n - 1;
		uint8_t type = fill ? 4 : CPICK(types);
		uint16_t len = fill ? 4 : CPICK(lens);

		p8(f, type);
		p8(f, CPICK(flags));
		p16(f, len);
		if (len <= 4)
			continue;
		p32(f, CPICK(soft32));		/* data tsn, sack cum-tsn-ack */
		p16(f, CPICK(streams));		/* data stream */
		p16(f, CPICK(streams));
		p32(f, CPICK(soft32));
		if (crn(100) < 80)
			p32(f, CPICK(soft32));
	}
}

/* --- tunnels (compiler/front/tunnel.h): frames of their own, from a
 * stream of their own (the other frames stay as they were) ------------- */

static uint64_t trng = 0x6a09e667f3bcc909ULL;

uint32_t dv_trn(uint32_t n)
{
	trng ^= trng >> 12;
	trng ^= trng << 25;
	trng ^= trng >> 27;
	return (uint32_t)((trng * 0x2545f4914f6cdd1dULL) % n);
}

#define TPICK(arr) ((arr)[dv_trn(sizeof(arr) / sizeof((arr)[0]))])

static const uint32_t tun_vnis[] = { 10, 10, 1, 0x123456, 0xffffff, 0 };
static const uint8_t tun_macs[][6] = {
	{ 0x62, 0x87, 0x4d, 0xd6, 0x19, 0x05 }, { 0x02, 0, 0, 0, 0, 0x0a },
	{ 0x02, 0, 0, 0, 0, 0x0b }, { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
};

/* The transport header inside: TCP 20, UDP or ICMP 8 bytes (or cut). */
static void gen_inner_l4(struct fb *f, uint8_t proto)
{
	static const uint16_t tports[] = { 53, 80, 8888, 443, 22, 0xffff };
	static const uint8_t itypes[] = { 0, 8, 3, 128, 129, 1 };

	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6) {
		p8(f, TPICK(itypes));
		p8(f, TPICK(((uint8_t[]){ 0, 0, 0, 1, 2, 3, 4, 5, 9, 15 })));
		p16(f, 0);
		p32(f, dv_trn(65536));
	} else {
		p16(f, TPICK(tports));
		p16(f, TPICK(tports));
		if (proto == IPPROTO_TCP) {
			p32(f, 1);
			p32(f, 0);
			p8(f, 0x50);
			p8(f, TPICK(((uint8_t[]){ 0x02, 0x12, 0x10, 0x04, 0x11 })));
			p16(f, 512);
		}
		p32(f, 0);
	}
	if (dv_trn(100) < 10)		/* cut short */
		f->n -= 1 + dv_trn(6);
}

static void gen_inner_ip(struct fb *f, uint16_t et)
{
	static const uint8_t iprotos[] = { 6, 6, 17, 17, 1, 1, 58, 47 };
	static const uint8_t dscps[] = { 0, 0, 2, 46, 10, 63 };
	size_t ip = f->n;
	uint8_t proto = TPICK(iprotos);
	uint8_t a[16];

	if (et == 0x86dd) {
		p32(f, (dv_trn(100) < 95 ? 0x60000000u : 0x40000000u) |
		    (uint32_t)TPICK(dscps) << 22);
		p16(f, 0);
		p8(f, proto == 1 ? 58 : proto);
		p8(f, TPICK(((uint8_t[]){ 64, 1, 255 })));
		for (int i = 0; i < 2; i++) {
			if (inet_pton(AF_INET6, TPICK(ip6_pool), a) != 1)
				abort();
			pbytes(f, a, 16);
		}
		gen_inner_l4(f, proto == 1 ? 58 : proto);
		f->b[ip + 4] = (uint8_t)((f->n - ip - 40) >> 8);
		f->b[ip + 5] = (uint8_t)(f->n - ip - 40);
	} else {
		size_t ihl = dv_trn(100) < 10 ? 6 : 5;

		p8(f, dv_trn(100) < 95 ? 0x40 | ihl : 0x44);
		p8(f, TPICK(dscps) << 2);
		p16(f, 0);
		p16(f, 1);
		p16(f, dv_trn(100) < 90 ? 0 : TPICK(((uint16_t[]){ 0x2000, 0x0001, 0x4000 })));
		p8(f, TPICK(((uint8_t[]){ 64, 1, 255 })));
		p8(f, proto == 58 ? 1 : proto);
		p16(f, 0);
		for (int i = 0; i < 2; i++)
			p32(f, TPICK(ip4_pool));
		if (ihl == 6)
			p32(f, 0x01010101);
		gen_inner_l4(f, proto == 58 ? 1 : proto);
		f->b[ip + 2] = (uint8_t)((f->n - ip) >> 8);
		f->b[ip + 3] = (uint8_t)(f->n - ip);
		if (dv_trn(100) < 5)	/* a total length past the packet */
			f->b[ip + 3] += 9;
	}
}

/* An inner Ethernet frame, sometimes with a VLAN tag. */
static void gen_inner_eth(struct fb *f)
{
	uint16_t et = TPICK(((uint16_t[]){ 0x0800, 0x0800, 0x86dd, 0x86dd, 0x8100, 0x0806 }));

	pbytes(f, TPICK(tun_macs), 6);
	pbytes(f, TPICK(tun_macs), 6);
	p16(f, et);
	if (et == 0x8100) {
		p16(f, TPICK(((uint16_t[]){ 10, 10, 0x200a, 5, 0xfff })));
		et = dv_trn(2) ? 0x0800 : 0x86dd;
		p16(f, et);
	}
	if (et == 0x0800 || et == 0x86dd)
		gen_inner_ip(f, et);
	else
		p32(f, dv_trn(65536));
}

/* After a UDP header: a VXLAN or Geneve header and what it carries. */
static void gen_udp_tunnel(struct fb *f, bool vxlan)
{
	if (vxlan) {
		p8(f, dv_trn(100) < 90 ? 0x08 : TPICK(((uint8_t[]){ 0, 0x88, 0xff })));
		p8(f, 0);
		p16(f, 0);
		p32(f, TPICK(tun_vnis) << 8);
	} else {
		unsigned opt = dv_trn(100) < 60 ? 0 : 1 + dv_trn(2);

		p8(f, (dv_trn(100) < 95 ? 0 : 0x40) | opt);
		p8(f, 0);
		p16(f, dv_trn(100) < 90 ? 0x6558 : 0x0800);
		p32(f, TPICK(tun_vnis) << 8);
		for (unsigned i = 0; i < opt; i++)
			p32(f, dv_trn(65536));
	}
	gen_inner_eth(f);
}

/* A GRE header (flags, version, protocol, the words its flags add)
 * and what it carries. */
static void gen_gre(struct fb *f, bool tap)
{
	static const uint8_t flags[] = { 0, 0, 0, 0x80, 0x20, 0x10, 0xb0, 0x40, 0x08 };
	uint8_t fl = TPICK(flags);
	uint16_t proto = tap ? (dv_trn(10) ? 0x6558 : 0x88be) :
			 TPICK(((uint16_t[]){ 0x0800, 0x0800, 0x86dd, 0x86dd, 0x6558 }));

	p8(f, fl);
	p8(f, dv_trn(100) < 90 ? 0 : TPICK(((uint8_t[]){ 1, 0x81, 7 })));
	p16(f, proto);
	for (int i = 0; i < (fl >> 7) + (fl >> 5 & 1) + (fl >> 4 & 1); i++)
		p32(f, dv_trn(65536));
	if (proto == 0x6558)
		gen_inner_eth(f);
	else if (proto == 0x0800 || proto == 0x86dd)
		gen_inner_ip(f, proto);
	else
		p32(f, dv_trn(65536));
}

static void gen_l4(struct fb *f, uint8_t proto)
{
	size_t start = f->n;

	switch (proto) {
	case IPPROTO_TCP:
		p16(f, dv_chance(20) ? dv_rn(65536) : PICK(ports));
		p16(f, dv_chance(20) ? dv_rn(65536) : PICK(ports));
		p32(f, dv_chance(40) ? PICK(seqs) : (uint32_t)dv_rnd());
		p32(f, dv_chance(40) ? PICK(seqs) : (uint32_t)dv_rnd());
		p8(f, (dv_chance(85) ? 5 : dv_rn(16)) << 4);
		p8(f, dv_chance(20) ? dv_rn(256) : PICK(tflags));
		p16(f, dv_chance(50) ? PICK(windows) : dv_rn(65536));
		p16(f, dv_rn(65536));
		p16(f, dv_chance(50) ? PICK(urgs) : dv_rn(65536));
		break;
	case IPPROTO_UDP:
		p16(f, PICK(ports));
		p16(f, PICK(ports));
		p16(f, dv_chance(70) ? 8 : PICK(ulens));
		/* the checksum: 0 or any, from the tunnel stream (trn()) */
		p16(f, dv_trn(100) < 50 ? 0 : dv_trn(65536));
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		/* echo types twice: their id and sequence fields exist */
		static const uint8_t types[] = { 8, 0, 8, 0, 3, 11, 128, 129,
						 128, 129, 135, 136, 1, 2 };

		p8(f, PICK(types));
		p8(f, dv_chance(60) ? 0 : dv_rn(8));
		p16(f, dv_rn(65536));
		p16(f, dv_chance(40) ? PICK(echo_ids) : dv_rn(65536));
		p16(f, dv_chance(40) ? PICK(echo_ids) : dv_rn(65536));
		break;
	}
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_UDPLITE:
	case IPPROTO_ESP:
	case IPPROTO_COMP:
	case IPPROTO_AH:
	case IPPROTO_MH:
	case IPPROTO_IGMP:
		/* whole (12 bytes) or cut short (dropped: l4-truncated) */
		p16(f, PICK(ports));
		p16(f, PICK(ports));
		p32(f, dv_chance(70) ? PICK(soft32) : (uint32_t)dv_rnd());
		if (dv_chance(95))
			p32(f, dv_chance(70) ? PICK(soft32) : (uint32_t)dv_rnd());
		if (proto == IPPROTO_SCTP)
			gen_chunks(f);
		break;
	default:
		prand(f, dv_rn(12));
	}
	/* GRE's first 4 bytes whole (view.h step 4), from the tunnel
	 * stream: the frames after it stay as they were */
	while (proto == IPPROTO_GRE && f->n - start < 4)
		p8(f, dv_trn(256));
	if (dv_chance(30))
		prand(f, dv_rn(48));
}

static void gen_ip4(struct fb *f)
{
	static const uint8_t ttls[] = { 64, 64, 1, 0, 255, 128 };
	static const uint16_t frags[] = { 0x2000, 0x0001, 0x2001, 0x0002,
					  0x4000, 0x8000, 0x00ff, 0x3fff };
	size_t ip = f->n, ihl = dv_chance(15) ? 5 + dv_rn(11) : 5;
	uint8_t proto = PICK(protos);

	/* IGMP instead of half the AH frames: the same generator,
	 * the choice from the chunks' stream (the other frames stay) */
	if (proto == IPPROTO_AH && crn(4) < 2)
		proto = IPPROTO_IGMP;
	p8(f, 0x40 | ihl);
	p8(f, (dv_chance(70) ? 0 : PICK(((uint8_t[]){ 46, 10, 8, 63 }))) << 2 | dv_rn(4));
	p16(f, 0);
	p16(f, dv_chance(40) ? PICK(((uint16_t[]){ 0, 1, 0x1234, 0xbeef, 0xffff })) :
	    dv_rn(65536));
	p16(f, dv_chance(80) ? 0 : PICK(frags));
	p8(f, PICK(ttls));
	p8(f, proto);
	/* the checksum: 0 or any (from the chunks' stream, crn()) */
	p16(f, crn(100) < 50 ? 0 : (uint16_t)crn(65536));
	for (int i = 0; i < 2; i++) {
		uint32_t a = dv_chance(10) ? (uint32_t)dv_rnd() : PICK(ip4_pool);

		p16(f, a >> 16);
		p16(f, a & 0xffff);
	}
	for (size_t i = 20; i < ihl * 4; i++)
		p8(f, dv_chance(50) ? 1 : dv_rnd());
	gen_l4(f, proto);
	f->b[ip + 2] = (uint8_t)((f->n - ip) >> 8);
	f->b[ip + 3] = (uint8_t)(f->n - ip);
}

static void gen_ip6(struct fb *f)
{
	static const uint8_t exts[] = { 0, 43, 44, 60, 51 };
	size_t ip = f->n;
	uint8_t a[16], nh[16];
	int next = dv_chance(60) ? 0 : 1 + (int)dv_rn(BW_IP6_EXT_MAX + 2);

	/* AH ends the view's walk (nft's): at most one, mostly last, so
	 * that the upper layers after the others stay as common */
	for (int i = 0; i < next; i++)
		nh[i] = exts[dv_rn(4)];
	if (next && dv_chance(40))
		nh[dv_chance(75) ? (uint32_t)(next - 1) : dv_rn((uint32_t)next)] = IPPROTO_AH;
	nh[next] = PICK(protos);
	/* version 6, a traffic class, a flow label from the pool or not */
	p32(f, 0x60000000u | dv_rn(32) << 20 |
	    (dv_chance(40) ? PICK(((uint32_t[]){ 0, 1, 0x12345, 0xabcde, 0xfffff })) :
	     dv_rn(1 << 20)));
	p16(f, 0);
	p8(f, nh[0]);
	p8(f, PICK(((uint8_t[]){ 64, 64, 255, 1, 0 })));
	for (int i = 0; i < 2; i++) {
		if (inet_pton(AF_INET6, dv_chance(80) ? PICK(ip6_pool) : "2001:db8:10b::9", a) != 1)
			abort();
		pbytes(f, a, 16);
	}
	for (int i = 0; i < next; i++) {
		p8(f, nh[i + 1]);
		if (nh[i] == IPPROTO_FRAGMENT) {
			p8(f, 0);
			p16(f, dv_chance(30) ? 0 : dv_chance(70) ?
			    PICK(((uint16_t[]){ 1, 8, 9, 6, 0x10, 0xfff9 })) :
			    dv_rnd() & 0xffff);
			prand(f, 4);
		} else if (nh[i] == IPPROTO_AH) {
			uint8_t l = (uint8_t)dv_rn(4);

			p8(f, l);
			prand(f, ((size_t)l + 2) * 4 - 2);
		} else {
			uint8_t l = (uint8_t)dv_rn(3);

			p8(f, l);
			prand(f, 6 + (size_t)l * 8);
		}
	}
	gen_l4(f, nh[next]);
	f->b[ip + 4] = (uint8_t)((f->n - ip - 40) >> 8);
	f->b[ip + 5] = (uint8_t)(f->n - ip - 40);
}

static void mutate(struct fb *f)
{
	static const uint8_t hot[] = { 0, 1, 4, 5, 6, 0x45, 0x4f, 0x60, 0x81, 0x88,
				       0xa8, 0x86, 0xdd, 0x08, 0x20, 0x3f, 0xff,
				       17, 43, 44, 51, 58, 59, 60, 135, 0x50, 0x10 };
	size_t hdr = f->n < 100 ? f->n : 100;

	switch (dv_rn(6)) {
	case 0:
		f->n = dv_rn((uint32_t)f->n + 1);
		break;
	case 1:
		if (hdr)
			f->b[dv_rn((uint32_t)hdr)] ^= (uint8_t)(1 << dv_rn(8));
		break;
	case 2:
		if (hdr)
			f->b[dv_rn((uint32_t)hdr)] = PICK(hot);
		break;
	case 3:			/* a length field +-: IPv4 total / IPv6 payload */
		if (f->n > 20) {
			size_t at = 14 + 4 * dv_rn(3) + (dv_chance(50) ? 2 : 4);

			if (at + 1 < f->n) {
				int d = (int)dv_rn(9) - 4;
				unsigned v = (unsigned)(f->b[at] << 8 | f->b[at + 1]) + (unsigned)d;

				f->b[at] = (uint8_t)(v >> 8);
				f->b[at + 1] = (uint8_t)v;
			}
		}
		break;
	case 4:
		if (f->n + 40 < sizeof(f->b))
			prand(f, 1 + dv_rn(40));
		break;
	case 5:
		if (f->n > 14)
			f->n -= 1 + dv_rn((uint32_t)(f->n - 14 < 8 ? f->n - 14 : 8));
		break;
	}
}

uint64_t dv_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The last frames generated, for the answers ct_frame() makes. */
struct dv_frame dv_recent[DV_RECENT];
unsigned dv_nrecent;

static void swap_bytes(uint8_t *a, uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t t = a[i];

		a[i] = b[i];
		b[i] = t;
	}
}

/*
 * For conntrack: a recent frame answered (addresses and ports swapped,
 * an answer's TCP flags, an echo reply for a request), or quoted by an
 * ICMP error; 0 if none fits (frames the parser drops are not answered).
 */
size_t dv_ct_frame(uint8_t *out)
{
	const size_t l3n[] = { [4] = 20, [6] = 40 };
	unsigned i = dv_rn(dv_nrecent < DV_RECENT ? dv_nrecent : DV_RECENT);
	size_t n = dv_recent[i].n, q;
	enum bw_reason why;
	struct bw_view v;
	uint8_t *ip;

	if (!dv_nrecent || bw_view_parse(dv_recent[i].b, n, &v, &why) || !v.l3)
		return 0;
	if (dv_chance(75)) {
		memcpy(out, dv_recent[i].b, n);
		ip = out + v.l3off;
		swap_bytes(out, out + 6, 6);
		if (v.l3 == 4)
			swap_bytes(ip + 12, ip + 16, 4);
		else
			swap_bytes(ip + 8, ip + 24, 16);
		if (v.l4off && (v.l4proto == 6 || v.l4proto == 17))
			swap_bytes(out + v.l4off, out + v.l4off + 2, 2);
		if (v.l4off && v.l4proto == 6)
			out[v.l4off + 13] = PICK(((uint8_t[]){ 0x12, 0x10, 0x11, 0x04, 0x18, 0x02 }));
		if (v.l4off && (out[v.l4off] == 8 || out[v.l4off] == 128))
			out[v.l4off] = out[v.l4off] == 8 ? 0 : 129;
		return n;
	}
	/* an error from a router, quoting the frame's IP packet */
	q = n - v.l3off;
	if (q > 200)
		q = 200;
	memcpy(out, dv_recent[i].b + 6, 6);
	memcpy(out + 6, dv_recent[i].b, 6);
	out[12] = v.l3 == 4 ? 0x08 : 0x86;
	out[13] = v.l3 == 4 ? 0x00 : 0xdd;
	ip = out + 14;
	memset(ip, 0, l3n[v.l3] + 8);
	if (v.l3 == 4) {
		ip[0] = 0x45;
		ip[2] = (uint8_t)((20 + 8 + q) >> 8);
		ip[3] = (uint8_t)(20 + 8 + q);
		ip[8] = 64;
		ip[9] = 1;
		memcpy(ip + 12, "\xcb\x00\x71\x01", 4);	/* 203.0.113.1 */
		memcpy(ip + 16, v.l3h + 12, 4);
		ip[20] = PICK(((uint8_t[]){ 3, 11, 12, 5 }));
	} else {
		ip[0] = 0x60;
		ip[4] = (uint8_t)((8 + q) >> 8);
		ip[5] = (uint8_t)(8 + q);
		ip[6] = 58;
		ip[7] = 64;
		memcpy(ip + 8, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x99", 16);
		memcpy(ip + 24, v.l3h + 8, 16);
		ip[40] = PICK(((uint8_t[]){ 1, 2, 3, 4 }));
	}
	memcpy(ip + l3n[v.l3] + 8, dv_recent[i].b + v.l3off, q);
	return 14 + l3n[v.l3] + 8 + q;
}

size_t dv_gen_frame(uint8_t *out)
{
	static const uint64_t macs[] = { 0x020000000002, 0x020000000001, 0x020000000003,
					 0xffffffffffff, 0x333300000001, 0x0200000000aa };
	struct fb f = { .n = 0 };
	int tags = dv_chance(75) ? 0 : 1 + (int)dv_rn(BW_VLAN_MAX + 1);
	uint16_t type;
	unsigned what = dv_rn(100);

	for (int i = 0; i < 2; i++) {
		uint64_t m = PICK(macs);

		p16(&f, m >> 32);
		p16(&f, (m >> 16) & 0xffff);
		p16(&f, m & 0xffff);
	}
	type = what < 45 ? 0x0800 : what < 88 ? 0x86dd :
	       PICK(((uint16_t[]){ 0x0806, 0x88cc, 0x8847, 0x0000, 0x0600 }));
	for (int i = 0; i < tags; i++) {
		p16(&f, dv_chance(50) ? 0x8100 : 0x88a8);
		p16(&f, PICK(((uint16_t[]){ 0, 5, 100, 0x2064, 0xffff })));
	}
	p16(&f, type);
	if (type == 0x0800)
		gen_ip4(&f);
	else if (type == 0x86dd)
		gen_ip6(&f);
	else
		prand(&f, dv_rn(60));
	for (int m = dv_chance(50) ? 1 + (int)dv_rn(3) : 0; m > 0; m--)
		mutate(&f);
	memcpy(out, f.b, f.n);
	return f.n;
}

/* A frame that carries a tunnel: Ethernet, IPv4 or IPv6, UDP (to 4789
 * or 6081) or GRE, then gen_udp_tunnel() or gen_gre(); sometimes cut
 * short or with a byte changed. */
size_t dv_tun_frame(uint8_t *out)
{
	struct fb f = { .n = 0 };
	unsigned kind = dv_trn(4);		/* vxlan, geneve, gre, gretap */
	bool v6 = dv_trn(3) == 0, udp = kind < 2;
	size_t ip, l4;
	uint8_t a[16];

	pbytes(&f, ((uint8_t[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }), 12);
	p16(&f, v6 ? 0x86dd : 0x0800);
	ip = f.n;
	if (v6) {
		p32(&f, 0x60000000);
		p16(&f, 0);
		p8(&f, udp ? IPPROTO_UDP : IPPROTO_GRE);
		p8(&f, 64);
		for (int i = 0; i < 2; i++) {
			if (inet_pton(AF_INET6, TPICK(ip6_pool), a) != 1)
				abort();
			pbytes(&f, a, 16);
		}
	} else {
		p8(&f, 0x45);
		p8(&f, 0);
		p16(&f, 0);
		p32(&f, dv_trn(100) < 95 ? 0 : 0x2000);
		p8(&f, 64);
		p8(&f, udp ? IPPROTO_UDP : IPPROTO_GRE);
		p16(&f, 0);
		p32(&f, TPICK(ip4_pool));
		p32(&f, TPICK(ip4_pool));
	}
	l4 = f.n;
	if (udp) {
		p16(&f, 40000);
		p16(&f, 4789);		/* the port does not matter here */
		p32(&f, 0);
		gen_udp_tunnel(&f, kind == 0);
		f.b[l4 + 4] = (uint8_t)((f.n - l4) >> 8);
		f.b[l4 + 5] = (uint8_t)(f.n - l4);
	} else {
		gen_gre(&f, kind == 3);
	}
	if (v6) {
		f.b[ip + 4] = (uint8_t)((f.n - ip - 40) >> 8);
		f.b[ip + 5] = (uint8_t)(f.n - ip - 40);
	} else {
		f.b[ip + 2] = (uint8_t)((f.n - ip) >> 8);
		f.b[ip + 3] = (uint8_t)(f.n - ip);
	}
	if (dv_trn(100) < 5)		/* trailing bytes past the IP packet */
		p32(&f, 0x08000000);
	if (dv_trn(100) < 10)		/* cut anywhere */
		f.n = 14 + dv_trn((uint32_t)f.n - 14);
	if (dv_trn(100) < 10 && f.n > l4)	/* a byte of the tunnel changed */
		f.b[l4 + dv_trn((uint32_t)(f.n - l4))] ^= (uint8_t)(1 + dv_trn(255));
	memcpy(out, f.b, f.n);
	return f.n;
}

/* An IPv4 SCTP frame with chunks (gen_chunks()), in the tunnel frames'
 * turn: the rare chunk fields reached whatever the other frames are. */
size_t dv_sctp_frame(uint8_t *out)
{
	struct fb f = { .n = 0 };
	size_t ip;

	pbytes(&f, ((uint8_t[]){ 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }), 12);
	p16(&f, 0x0800);
	ip = f.n;
	p32(&f, 0x45000000);
	p32(&f, 0);
	p32(&f, 0x40840000);		/* ttl 64, protocol 132 */
	p32(&f, TPICK(ip4_pool));
	p32(&f, TPICK(ip4_pool));
	p32(&f, 0x0400 << 16 | 0x0050);	/* ports 1024, 80 */
	p32(&f, dv_trn(65536));		/* verification tag */
	p32(&f, 0);
	{
		/* the chunks from a stream of their own: the chunks'
		 * stream (crn()) of the other frames stays as it was */
		static uint64_t own = 0x3c6ef372fe94f82bULL;
		uint64_t keep = crng;

		crng = own;
		gen_chunks(&f);
		own = crng;
		crng = keep;
	}
	f.b[ip + 2] = (uint8_t)((f.n - ip) >> 8);
	f.b[ip + 3] = (uint8_t)(f.n - ip);
	memcpy(out, f.b, f.n);
	return f.n;
}

/* --- comparison ---------------------------------------------------------- */
