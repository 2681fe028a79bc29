// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tunnel fields (tunnel.h): names, rows, and the reference walk the
 * interpreter runs (emit_tunnel.c emits the same steps in BPF).
 */
#include <string.h>

#include "tunnel.h"

static const char *const names[] = {
	[BW_TUN_VXLAN] = "vxlan",
	[BW_TUN_GENEVE] = "geneve",
	[BW_TUN_GRE] = "gre",
	[BW_TUN_GRETAP] = "gretap",
};

enum bw_tunnel bw_tunnel_kind(const char *proto)
{
	size_t n = strcspn(proto, " ");

	for (int t = BW_TUN_VXLAN; t <= BW_TUN_GRETAP; t++)
		if (strlen(names[t]) == n && !strncmp(proto, names[t], n))
			return (enum bw_tunnel)t;
	return BW_TUN_NONE;
}

const char *bw_tunnel_name(enum bw_tunnel t)
{
	return t >= BW_TUN_VXLAN && t <= BW_TUN_GRETAP ? names[t] : "";
}

uint8_t bw_tunnel_l4proto(enum bw_tunnel t)
{
	return t == BW_TUN_GRE || t == BW_TUN_GRETAP ? 47 : 17;
}

const struct bw_field *bw_tunnel_field(enum bw_tunnel t, const char *inner,
				       const char *name)
{
	if (t == BW_TUN_NONE)
		return NULL;
	for (int i = 0; i < BW_F__MAX; i++) {
		const struct bw_field *f = &bw_fields[i];

		if (!f->tun_layer)
			continue;
		if (f->tun_layer == BW_TL_TUN) {
			/* the VNI: vxlan's and geneve's */
			if (!inner && (t == BW_TUN_VXLAN || t == BW_TUN_GENEVE) &&
			    !strcmp(f->name, name))
				return f;
			continue;
		}
		if (inner && !strcmp(f->proto, inner) && !strcmp(f->name, name))
			return f;
	}
	return NULL;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The inner network header's offset and protocol (EtherType): 0 when
 * the tunnel carries none the walk can read. */
static size_t inner_net(const uint8_t *pkt, size_t end, size_t t_off,
			enum bw_tunnel t, const struct bw_field *f,
			uint16_t *proto, size_t *link)
{
	const uint8_t *h = pkt + t_off;
	size_t hlen, l;

	*link = 0;
	switch (t) {
	case BW_TUN_VXLAN:
		if (t_off + BW_TUN_VXLAN_LEN > end || !(h[0] & 0x08))
			return 0;
		hlen = BW_TUN_VXLAN_LEN;
		break;
	case BW_TUN_GENEVE:
		if (t_off + BW_TUN_GENEVE_LEN > end || (h[0] >> 6) != 0)
			return 0;
		if (f->tun_layer != BW_TL_TUN && get16(h + 2) != BW_TUN_ETH_P_TEB)
			return 0;
		hlen = BW_TUN_GENEVE_LEN + (size_t)(h[0] & 0x3f) * 4;
		break;
	case BW_TUN_GRE:
	case BW_TUN_GRETAP:
		if (t_off + 4 > end || (h[1] & 0x07) || (h[0] & 0x40))
			return 0;
		hlen = 4 + (h[0] & 0x80 ? 4 : 0) + (h[0] & 0x20 ? 4 : 0) +
		       (h[0] & 0x10 ? 4 : 0);
		if (t == BW_TUN_GRE) {
			*proto = get16(h + 2);
			return t_off + hlen > end ? 0 : t_off + hlen;
		}
		if (get16(h + 2) != BW_TUN_ETH_P_TEB)
			return 0;
		break;
	default:
		return 0;
	}
	if (f->tun_layer == BW_TL_TUN)
		return t_off;		/* the tunnel header is all it needs */
	l = t_off + hlen;
	if (l + 14 > end)
		return 0;
	*link = l;
	*proto = get16(pkt + l + 12);
	return l + 14;
}

bool bw_tunnel_read(const uint8_t *pkt, const struct bw_view *v,
		    enum bw_tunnel t, const struct bw_field *f, uint8_t *out)
{
	size_t end = (size_t)v->l3off + v->iplen, t_off, n, link, at, th = 0;
	uint16_t et = 0, need = f->tun_need;
	uint8_t l4 = 0;
	const uint8_t *ip;

	if (!pkt || !f->tun_layer || t == BW_TUN_NONE)
		return false;
	if (end > v->pkt_len)
		end = v->pkt_len;
	if (v->l4proto != bw_tunnel_l4proto(t) || !(v->flags & BW_VIEW_L4) ||
	    !v->l4off)
		return false;
	t_off = v->l4off + (t == BW_TUN_GRE || t == BW_TUN_GRETAP ? 0 : 8);
	n = inner_net(pkt, end, t_off, t, f, &et, &link);
	if (!n)
		return false;
	switch (f->tun_layer) {
	case BW_TL_TUN:
		at = t_off;
		break;
	case BW_TL_LINK:
		if (!link || (need && et != need))
			return false;
		at = link;
		break;
	case BW_TL_IP4:
	case BW_TL_IP6:
	case BW_TL_L4:
		ip = pkt + n;
		if (et == 0x0800) {
			size_t ihl, tot;

			if (n + 20 > end || ip[0] >> 4 != 4)
				return false;
			ihl = (size_t)(ip[0] & 0x0f) * 4;
			tot = get16(ip + 2);
			if (ihl < 20 || tot < ihl || n + tot > end)
				return false;
			end = n + tot;
			l4 = ip[9];
			if (!(get16(ip + 6) & 0x1fff))
				th = n + ihl;
			if (f->tun_layer == BW_TL_IP6)
				return false;
		} else if (et == 0x86dd) {
			if (n + 40 > end || ip[0] >> 4 != 6 ||
			    n + 40 + get16(ip + 4) > end)
				return false;
			end = n + 40 + get16(ip + 4);
			l4 = ip[6];
			th = n + 40;
			if (f->tun_layer == BW_TL_IP4)
				return false;
		} else {
			return false;
		}
		at = n;
		if (f->tun_layer != BW_TL_L4)
			break;
		if (!th || l4 != (need & 0xff) ||
		    ((need >> 8) == 4 && et != 0x0800) ||
		    ((need >> 8) == 6 && et != 0x86dd) ||
		    th + (l4 == 6 ? 20 : 8) > end)
			return false;
		at = th;
		break;
	default:
		return false;
	}
	if (at + f->tun_off + f->size > end)
		return false;
	memcpy(out, pkt + at + f->tun_off, f->size);
	return true;
}
