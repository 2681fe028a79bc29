/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Random mixed rulesets: the rule shapes real host firewalls are written
 * in (address drops, prefix drops /24-/32, address + port, port accepts,
 * daddr + port accepts, prefix + port-range drops, source-port drops,
 * address + protocol, anonymous sets and ranges), in random order, for
 * the classifier's equivalence test and its benchmark.  With stmts, rules
 * the classifier does not take are mixed in (log, limit, counter without
 * verdict, jump to a user chain, ttl, !=, ip6), so partitions split.
 * With v6 (a share, 0-100), that share of the classifiable rules are
 * IPv6 ones (addresses, prefixes /48-/128, ranges, sets, with ports),
 * and about as many frames IPv6, biased to hit them.
 * With ifs, that share of the classifiable rules match an interface
 * too (iifname, iif or oifname: the device's name, another, a pattern).
 * One seed always gives the same text.  Addresses from 192.0.2.0/24,
 * 198.51.100.0/24, 203.0.113.0/24 and 2001:db8::/32 only; with wide (the
 * benchmark, whose programs are never attached) IPv4 addresses from the
 * benchmarking range 198.18.0.0/15 instead, as bench/ uses.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIX_POOL 4096

struct mixgen {
	uint64_t s;			/* xorshift state */
	bool wide;			/* 198.18.0.0/15 */
	unsigned v6;			/* share of IPv6 rules, 0-100 */
	unsigned ifs;			/* share of rules with an interface
					 * match in front, 0-100 */
	/* values the rules use (packets take them, and their neighbours) */
	uint32_t addr[MIX_POOL];
	uint32_t naddr;
	uint16_t port[MIX_POOL];
	uint32_t nport;
	uint64_t addr6[MIX_POOL][2];	/* high, low 64 bits */
	uint32_t naddr6;
};

uint64_t mix_rand(struct mixgen *g);
void mix_init(struct mixgen *g, uint64_t seed);

/* The ruleset text (malloc'ed): a netdev ingress chain on device dev
 * with nrules rules (and, with stmts, a user chain some rules jump to). */
char *mix_ruleset(struct mixgen *g, uint32_t nrules, bool stmts,
		  const char *dev);

/* A random Ethernet frame into buf (at least 128 bytes), its length:
 * IPv4 TCP/UDP/ICMP mostly, from the pool with neighbours when hit,
 * entirely random otherwise; some IPv6, later fragments, ARP.  hit: the
 * share (0-100) of frames that take their values from the pool. */
size_t mix_packet(struct mixgen *g, uint8_t *buf, unsigned hit);
