/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ipset's sets as bpfwall keeps them beside the iptables tables: the set
 * types bpfwall can match exactly (hash:ip, hash:net, hash:ip,port,
 * hash:net,port, hash:ip,port,ip), their entries parsed and printed as
 * ipset 7 reads and prints them, and the nft set (type, flags, elements)
 * a table gets for a set its rules name with `-m set --match-set`.
 *
 * Entries are kept as written (after ipset's own normalisation: host bits
 * of a net cleared, an IPv4 range of hash:ip expanded, a range of
 * hash:net split into nets); the nft elements are computed from them
 * (overlapping nets merged into ranges: nft interval sets take no
 * overlaps, ipset's hash:net does).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define BW_IPSET_VERSION "7.17"
#define BW_IPSET_NAME_MAX 31		/* IPSET_MAXNAMELEN - 1 */

enum bw_ipset_type {
	BW_IPSET_HASH_IP,
	BW_IPSET_HASH_NET,
	BW_IPSET_HASH_IP_PORT,
	BW_IPSET_HASH_NET_PORT,
	BW_IPSET_HASH_IP_PORT_IP,
	BW_IPSET__NTYPES,
};

struct bw_ipset_elem {
	uint8_t ip[16];			/* network order */
	uint8_t cidr;			/* net types: prefix length */
	uint8_t proto;			/* port types: IPPROTO_TCP, _UDP */
	uint16_t port;
	uint8_t ip2[16];		/* hash:ip,port,ip */
};

struct bw_ipset {
	char name[BW_IPSET_NAME_MAX + 1];
	int type;			/* enum bw_ipset_type */
	bool v6;			/* family inet6 */
	uint32_t hashsize, maxelem, initval;
	struct bw_ipset_elem *e;	/* malloc'ed */
	uint32_t n, cap;
	/* a hash index of e (open addressing, entries + 1, 0 empty),
	 * rebuilt when a deletion moved the entries */
	uint32_t *idx, idx_cap;
	bool idx_ok;
	struct bw_ipset *next;
};

/* All sets, in creation order (ipset lists them so). */
struct bw_ipset_list {
	struct bw_ipset *head;
};

const char *bw_ipset_type_name(int type);
int bw_ipset_type_find(const char *name);	/* -1: unknown */
/* Dimensions of a type (hash:ip,port 2) and whether it has a port. */
int bw_ipset_dim(int type);
bool bw_ipset_has_port(int type);
bool bw_ipset_is_net(int type);
/* ipset's revision of the type, for `list` */
int bw_ipset_revision(int type);

struct bw_ipset *bw_ipset_find(const struct bw_ipset_list *l, const char *name);
/* A new empty set appended to l (NULL: out of memory). */
struct bw_ipset *bw_ipset_new(struct bw_ipset_list *l, const char *name,
			      int type, bool v6);
/* Unlink and free one set; free every set. */
void bw_ipset_remove(struct bw_ipset_list *l, struct bw_ipset *s);
void bw_ipset_list_free(struct bw_ipset_list *l);

/*
 * An entry as ipset's add/del/test read it ("192.0.2.1", "192.0.2.0/24",
 * "192.0.2.1-192.0.2.9", "192.0.2.1,udp:53", "192.0.2.1,80,198.51.100.1"):
 * one or more elements (a range expanded, at most max of them) into
 * *out (malloc'ed), *n; *cidr_given: a net was written with "/N".
 * Returns 0, or -EINVAL with ipset's message (without "ipset vX: ") in
 * err.
 */
int bw_ipset_parse_entry(const struct bw_ipset *s, const char *text,
			 uint32_t max, struct bw_ipset_elem **out, uint32_t *n,
			 bool *cidr_given, char *err, size_t errlen);
/* The entry as ipset prints it ("192.0.2.0/24", "192.0.2.1,tcp:80"). */
void bw_ipset_print_elem(FILE *f, const struct bw_ipset *s,
			 const struct bw_ipset_elem *e);

/* Index of the exact element, or -1. */
int bw_ipset_elem_index(const struct bw_ipset *s, const struct bw_ipset_elem *e);
/* ipset test: the exact entry, or for a net type with no "/N" given,
 * any net that holds the address. */
bool bw_ipset_test(const struct bw_ipset *s, const struct bw_ipset_elem *e,
		   bool cidr_given);
int bw_ipset_add(struct bw_ipset *s, const struct bw_ipset_elem *e);
void bw_ipset_del(struct bw_ipset *s, int index);

/* The protocol the set's ports are matched with: that of its elements
 * (bpfwall keeps one per set), tcp when it has none. */
uint8_t bw_ipset_proto(const struct bw_ipset *s);

/* The header of `ipset save` / `list` ("family inet hashsize 1024 maxelem
 * 65536 bucketsize 12 initval 0x..."). */
void bw_ipset_print_header(FILE *f, const struct bw_ipset *s);

/*
 * The nft elements of the set, one callback per element: lo..hi the
 * addresses of the first dimension (equal: one address), then the port
 * and the second address where the type has them.  Nets are merged per
 * port into disjoint ranges.  Returns 0 or -ENOMEM.
 */
int bw_ipset_nft_elems(const struct bw_ipset *s,
		       void (*fn)(void *arg, const uint8_t *lo, const uint8_t *hi,
				  const struct bw_ipset_elem *e),
		       void *arg);
