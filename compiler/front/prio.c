// SPDX-License-Identifier: GPL-2.0-only
/*
 * Chain priority names (prio.h).  The values are the kernel's
 * (NF_IP_PRI_*, NF_BR_PRI_*); where each name is valid follows nft 1.0.6
 * (Debian 12's): in the ip, ip6 and inet families all six, with dstnat
 * only at prerouting and srcnat only at postrouting; in netdev and arp only
 * filter; in bridge, dstnat at prerouting, out at output, srcnat at
 * postrouting and filter anywhere.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evaluate.h"
#include "prio.h"

#define H(h) (1u << BW_CHAIN_##h)
#define ANY (~0u)

struct prio_name {
	const char *name;
	int32_t val;
	unsigned hooks;		/* bits of enum bw_chain_hook */
	bool all_families;	/* also netdev and arp (filter) */
};

static const struct prio_name inet_names[] = {
	{ "raw", -300, ANY, false },
	{ "mangle", -150, ANY, false },
	{ "dstnat", -100, H(PREROUTING), false },
	{ "filter", 0, ANY, true },
	{ "security", 50, ANY, false },
	{ "srcnat", 100, H(POSTROUTING), false },
};

static const struct prio_name bridge_names[] = {
	{ "dstnat", -300, H(PREROUTING), false },
	{ "filter", -200, ANY, false },
	{ "out", 100, H(OUTPUT), false },
	{ "srcnat", 300, H(POSTROUTING), false },
};

static const struct prio_name *names(enum bw_family fam, size_t *n)
{
	if (fam == BW_FAMILY_BRIDGE) {
		*n = sizeof(bridge_names) / sizeof(bridge_names[0]);
		return bridge_names;
	}
	*n = sizeof(inet_names) / sizeof(inet_names[0]);
	return inet_names;
}

static bool valid(const struct prio_name *p, enum bw_family fam,
		  enum bw_chain_hook h)
{
	if ((fam == BW_FAMILY_NETDEV || fam == BW_FAMILY_ARP) &&
	    !p->all_families)
		return false;
	return p->hooks & (1u << h);
}

int bw_prio_lookup(const char *name, enum bw_family fam, enum bw_chain_hook h,
		   int32_t *val)
{
	size_t n;
	const struct prio_name *t = names(fam, &n);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(t[i].name, name))
			continue;
		if ((fam == BW_FAMILY_NETDEV || fam == BW_FAMILY_ARP) &&
		    !t[i].all_families)
			return -ENOENT;
		if (!valid(&t[i], fam, h))
			return -EINVAL;
		*val = t[i].val;
		return 0;
	}
	return -ENOENT;
}

int bw_prio_lookup_names(const char *name, const char *family,
			 const char *hook, int32_t *val)
{
	enum bw_family fam = BW_FAMILY_NETDEV;
	enum bw_chain_hook h = BW_CHAIN_NONE;

	for (int f = BW_FAMILY_NETDEV; f <= BW_FAMILY_ARP; f++)
		if (!strcmp(bw_family_name((enum bw_family)f), family))
			fam = (enum bw_family)f;
	for (int i = BW_CHAIN_INGRESS; i <= BW_CHAIN_EGRESS; i++)
		if (!strcmp(bw_chain_hook_name((enum bw_chain_hook)i), hook))
			h = (enum bw_chain_hook)i;
	return bw_prio_lookup(name, fam, h, val);
}

const char *bw_prio_names(enum bw_family fam)
{
	if (fam == BW_FAMILY_BRIDGE)
		return "dstnat, filter, out or srcnat";
	if (fam == BW_FAMILY_NETDEV || fam == BW_FAMILY_ARP)
		return "only filter";
	return "raw, mangle, dstnat, filter, security or srcnat";
}

const char *bw_prio_format(char *buf, size_t len, enum bw_family fam,
			   enum bw_chain_hook h, int32_t prio)
{
	size_t n;
	const struct prio_name *t = names(fam, &n);

	/* as nft: the first name within 10 decides; if it is not valid
	 * here, the number */
	for (size_t i = 0; i < n; i++) {
		int64_t off = (int64_t)prio - t[i].val;

		if (llabs(off) > 10)
			continue;
		if (!valid(&t[i], fam, h))
			break;
		if (off > 0)
			snprintf(buf, len, "%s + %lld", t[i].name, (long long)off);
		else if (off < 0)
			snprintf(buf, len, "%s - %lld", t[i].name, (long long)-off);
		else
			snprintf(buf, len, "%s", t[i].name);
		return buf;
	}
	snprintf(buf, len, "%d", prio);
	return buf;
}
