// SPDX-License-Identifier: GPL-2.0-only
/*
 * `list ruleset` prints each rule in nft's canonical form, whatever way it
 * was written: one rule per case, in a chain of the case's family, listed;
 * the listed rule must be the case's `want`, and the listing must compile
 * again and list the same; nft -c accepts every `want`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "compiler/front/compile.h"
#include "compiler/front/ir.h"

struct pcase {
	const char *family, *rule, *want;
};

static const struct pcase cases[] = {
	/* meta keys nft lists without "meta" */
	{ "inet", "meta iifname \"lo\" accept", "iifname \"lo\" accept" },
	{ "inet", "meta oifname != \"dummy*\"", "oifname != \"dummy*\"" },
	{ "ip", "meta iif \"lo\" meta oif \"lo\"", "iif \"lo\" oif \"lo\"" },
	{ "inet", "iifname { \"a\", \"b\" } drop", "iifname { \"a\", \"b\" } drop" },
	/* and the rest with it */
	{ "inet", "mark 0x10", "meta mark 0x00000010" },
	/* marks: 32-bit hex */
	{ "ip", "meta mark != 16", "meta mark != 0x00000010" },
	{ "ip", "meta mark { 1, 0x2-3, 7 }", "meta mark { 0x00000001-0x00000003, 0x00000007 }" },
	{ "ip", "tcp dport { 80, 22-23, 24-25 }", "tcp dport { 22-25, 80 }" },
	{ "ip", "ip saddr { 192.0.2.128/25, 10.0.0.1, 192.0.2.0/25 }", "ip saddr { 10.0.0.1, 192.0.2.0/24 }" },
	{ "ip", "tcp dport { 1-65535 }", "tcp dport 1-65535" },
	{ "ip", "tcp dport != { 22 }", "tcp dport != 22" },
	{ "ip", "meta mark & 0xff == 1", "meta mark & 0x000000ff == 0x00000001" },
	/* an address under a prefix mask: the prefix (as nft 1.0.6 lists) */
	{ "ip", "ip saddr & 0xffff0000 == 0xffff0000", "ip saddr 255.255.0.0/16" },
	{ "ip", "ip daddr & 255.255.255.0 != 192.0.2.0", "ip daddr != 192.0.2.0/24" },
	{ "ip", "ip saddr & 0.0.0.255 == 0.0.0.1", "ip saddr & 0.0.0.255 == 0.0.0.1" },
	{ "ip6", "ip6 saddr & ffff:ffff:: == 2001:db8::", "ip6 saddr 2001:db8::/32" },
	/* a value's last word before the next statement (the lexer's
	 * VPROTO: a field only where a field's name follows) */
	{ "ip", "ip dscp set cs1 ip ecn set ect0", "ip dscp set cs1 ip ecn set ect0" },
	{ "ip", "ct event set new ip saddr 192.0.2.1", "ct event set new ip saddr 192.0.2.1" },
	{ "ip", "tcp flags set syn | ack", "tcp flags set syn | ack" },
	{ "ip", "meta mark set meta mark and 0xff or 0x2", "meta mark set meta mark & 0x000000ff | 0x00000002" },
	/* the network layer's dependency in bridge (not in netdev: there
	 * it is meta protocol, which sees inside a VLAN tag) */
	{ "netdev", "ether type ip ip saddr 192.0.2.1", "ether type ip ip saddr 192.0.2.1" },
	{ "bridge", "ether type ip ip saddr 192.0.2.1", "ip saddr 192.0.2.1" },
	{ "bridge", "ether type ip6 counter", "ether type ip6 counter packets 0 bytes 0" },
	/* IPv6 addresses as inet_ntop writes them (RFC 5952, one zero group
	 * not shortened, the IPv4 tail of ::a.b.c.d) */
	{ "ip6", "ip6 saddr ::1234:1234:1234:1234:1234:1234:1234",
	  "ip6 saddr 0:1234:1234:1234:1234:1234:1234:1234" },
	{ "ip6", "ip6 daddr 2001:DB8:0:0:0:0:0:1", "ip6 daddr 2001:db8::1" },
	{ "ip6", "ip6 daddr ::1234:1234", "ip6 daddr ::18.52.18.52" },
	{ "ip6", "ip6 saddr 2001:db8:0:0::/64", "ip6 saddr 2001:db8::/64" },
	{ "ip6", "ip6 saddr { 2001:db8:0::1, 2001:db8::3-2001:db8:0::4 }",
	  "ip6 saddr { 2001:db8::1, 2001:db8::3-2001:db8::4 }" },
	{ "ip6", "ip6 saddr vmap { 2001:db8:0::1 : accept, 2001:db8::2 : drop }",
	  "ip6 saddr vmap { 2001:db8::1 : accept, 2001:db8::2 : drop }" },
	/* Ethernet addresses: two hex digits a byte, lower case */
	{ "netdev", "ether saddr 0:1:2:3:4:A6", "ether saddr 00:01:02:03:04:a6" },
	/* prefixes: the network, no length for the whole address */
	{ "ip", "ip saddr 192.0.2.1/32", "ip saddr 192.0.2.1" },
	{ "ip", "ip saddr 192.0.2.77/24 ip daddr 0.0.0.0/0", "ip saddr 192.0.2.0/24 ip daddr 0.0.0.0/0" },
	{ "ip", "ip daddr { 198.51.100.9/25, 203.0.113.1/32 }",
	  "ip daddr { 198.51.100.0/25, 203.0.113.1 }" },
	{ "ip6", "ip6 saddr 2001:db8::1/128 ip6 daddr 2001:db8:0:0:1::/63",
	  "ip6 saddr 2001:db8::1 ip6 daddr 2001:db8::/63" },
	/* names nft lists for numbers, numbers for names */
	{ "netdev", "ether type 0x0800", "ether type ip" },
	{ "netdev", "ether type { 0x86dd, vlan }", "ether type { ip6, 8021q }" },
	{ "ip", "ip protocol 6", "ip protocol tcp" },
	{ "ip", "icmp type 8 icmp code port-unreachable",
	  "icmp type echo-request icmp code 3" },
	{ "ip6", "icmpv6 type { 1, mld-listener-reduction }",
	  "icmpv6 type { destination-unreachable, mld-listener-done }" },
	{ "ip", "ip dscp 0x38 ip ecn 3", "ip dscp cs7 ip ecn ce" },
	{ "ip", "tcp dport { ssh, 80-https }", "tcp dport { 22, 80-443 }" },
	{ "inet", "meta pkttype unicast meta nfproto 2", "meta pkttype host meta nfproto ipv4" },
	/* a range's ends stay numbers: a name would read as part of it */
	{ "ip", "ip protocol 33-45", "ip protocol 33-45" },
	{ "ip", "icmp type { 3-5, 8 }", "icmp type { 3-5, echo-request }" },
	/* flags: one by its name, a list by bit */
	{ "ip", "ct state 8", "ct state new" },
	{ "ip", "ct state new,established,related,untracked",
	  "ct state established,related,new,untracked" },
	{ "ip", "tcp flags ack,fin,0x2", "tcp flags fin,syn,ack" },
	/* tcp flags' masked forms */
	{ "ip", "tcp flags fin,syn / fin,syn", "tcp flags & (fin | syn) == fin | syn" },
	{ "ip", "tcp flags != syn / fin,syn", "tcp flags & (fin | syn) != syn" },
	{ "ip", "tcp flags & (fin|syn|rst|ack) syn", "tcp flags & (fin | syn | rst | ack) == syn" },
	{ "ip", "tcp flags & (syn | ack) != 0", "tcp flags syn,ack" },
	{ "ip", "tcp flags & (ack | syn) == 0", "tcp flags ! syn,ack" },
	{ "ip", "tcp flags & syn == syn", "tcp flags & syn == syn" },
	/* dependencies a later field needs anyway are not listed */
	{ "inet", "meta l4proto tcp tcp dport 22", "tcp dport 22" },
	{ "inet", "meta nfproto ipv4 ip saddr 192.0.2.1 meta l4proto 17 udp dport 53",
	  "ip saddr 192.0.2.1 udp dport 53" },
	{ "inet", "meta nfproto ipv6 reject with icmpv6 no-route",
	  "reject with icmpv6 no-route" },
	{ "inet", "meta l4proto tcp counter tcp dport 22",
	  "meta l4proto tcp counter packets 0 bytes 0 tcp dport 22" },
	{ "inet", "meta l4proto != tcp udp dport 22", "meta l4proto != tcp udp dport 22" },
	{ "ip", "ip protocol tcp tcp dport 22", "tcp dport 22" },
	{ "inet", "ip protocol tcp tcp dport 22", "ip protocol tcp tcp dport 22" },
	{ "ip", "tcp flags & (fin | syn | rst | psh | ack | urg | ecn | cwr) == "
	  "fin | syn | rst | psh | ack | urg | ecn | cwr", "tcp flags == 0xff" },
	{ "ip", "tcp flags & (fin | syn | rst | psh | ack | urg | ecn | cwr) != syn",
	  "tcp flags != syn" },
	/* fields by nft's name for them, reject codes by name */
	{ "netdev", "vlan cfi 1", "vlan dei 1" },
	{ "ip6", "reject with icmpv6 3", "reject with icmpv6 addr-unreachable" },
	{ "ip", "reject with icmp 10", "reject with icmp host-prohibited" },
	/* reject: the family's default not written, the type where the
	 * network layer is known */
	{ "ip", "reject with icmp 3", "reject" },
	{ "ip6", "reject with icmpv6 port-unreachable", "reject" },
	{ "inet", "reject with icmpx port-unreachable", "reject" },
	{ "netdev", "reject with icmpx port-unreachable", "reject" },
	{ "inet", "meta nfproto ipv4 reject", "reject with icmp port-unreachable" },
	{ "inet", "meta nfproto ipv6 reject", "reject with icmpv6 port-unreachable" },
	{ "inet", "ip daddr 192.0.2.1 reject", "ip daddr 192.0.2.1 reject with icmp port-unreachable" },
	{ "inet", "tcp dport 22 reject with tcp reset", "tcp dport 22 reject with tcp reset" },
	/* dependencies nft lists although not written */
	{ "ip", "icmp id 1245 icmp sequence 2 log", "icmp type { echo-reply, echo-request } icmp id 1245 icmp sequence 2 log" },
	{ "ip6", "icmpv6 sequence != 2-4", "icmpv6 type { echo-request, echo-reply } icmpv6 sequence != 2-4" },
	{ "ip", "icmp type echo-request icmp id 1", "icmp type echo-request icmp id 1" },
	{ "inet", "meta mark 1 reject with tcp reset", "meta l4proto tcp meta mark 0x00000001 reject with tcp reset" },
	{ "inet", "tcp dport 1 reject with tcp reset", "tcp dport 1 reject with tcp reset" },
	/* log: warn is the default level */
	{ "ip", "log level warn", "log" },
	{ "ip", "log level info", "log level info" },
	/* a packet rate's burst, 5 unless given */
	{ "ip", "limit rate 400/minute", "limit rate 400/minute burst 5 packets" },
	{ "ip", "limit rate over 20/second burst 0 packets drop",
	  "limit rate over 20/second burst 5 packets drop" },
	{ "ip", "limit rate 20/second burst 10 packets",
	  "limit rate 20/second burst 10 packets" },
	/* nft merges adjacent payload matches into one load and lists
	 * them in header order (print_order.c) */
	{ "ip", "icmp code 1 icmp type 2", "icmp type 2 icmp code 1" },
	{ "ip", "tcp dport 22 tcp sport 1", "tcp sport 1 tcp dport 22" },
	{ "ip", "ip ttl 1 meta mark 2 tcp dport 22",
	  "ip ttl 1 meta mark 0x00000002 tcp dport 22" },
	{ "ip", "ip daddr 192.0.2.2 ip saddr 192.0.2.1",
	  "ip daddr 192.0.2.2 ip saddr 192.0.2.1" },
	{ "ip", "tcp dport 22 counter tcp sport 1",
	  "tcp dport 22 counter packets 0 bytes 0 tcp sport 1" },
	{ "arp", "arp daddr ether 02:00:00:00:00:01 arp saddr ip 192.0.2.1",
	  "arp saddr ip 192.0.2.1 arp daddr ether 02:00:00:00:00:01" },
	{ "inet", "tcp dport 22 iiftype ether ip daddr 192.0.2.1 ether saddr 02:00:00:00:00:01 accept",
	  "tcp dport 22 ether saddr 02:00:00:00:00:01 ip daddr 192.0.2.1 accept" },
	{ "inet", "tcp dport 22 ip daddr 192.0.2.1 ether saddr 02:00:00:00:00:01",
	  "tcp dport 22 ip daddr 192.0.2.1 ether saddr 02:00:00:00:00:01" },
	{ "bridge", "vlan id 2 ether saddr 0:1:2:3:4:6", "ether saddr 00:01:02:03:04:06 vlan id 2" },
	{ "netdev", "vlan id 2 ether saddr 0:1:2:3:4:6", "ether saddr 00:01:02:03:04:06 vlan id 2" },
	{ "bridge", "icmp type 1 ether saddr 02:00:00:00:00:01 accept",
	  "ether saddr 02:00:00:00:00:01 icmp type 1 accept" },
	{ "bridge", "ip daddr 192.0.2.1 ether saddr 02:00:00:00:00:01",
	  "ip daddr 192.0.2.1 ether saddr 02:00:00:00:00:01" },
	/* a bare vlan field's implicit ether type 8021q is not listed */
	{ "bridge", "ether type vlan vlan id 4094 vlan dei 1", "vlan id 4094 vlan dei 1" },
	{ "inet", "ether type vlan vlan id 2", "vlan id 2" },
	{ "netdev", "ether type 8021ad vlan id 1 ip protocol 6 accept",
	  "ether type 8021ad vlan id 1 ip protocol tcp accept" },
	{ "bridge", "ether type vlan ip protocol 1 accept", "ether type 8021q ip protocol icmp accept" },
	/* ... but nft 1.0.6 lists it before a vlan type no vlan id follows */
	{ "netdev", "vlan type arp counter", "ether type 8021q vlan type arp counter packets 0 bytes 0" },
	{ "netdev", "vlan type arp vlan id 1", "vlan type arp vlan id 1" },
	{ "netdev", "vlan id 1 vlan type arp", "vlan id 1 vlan type arp" },
	{ "netdev", "ether type vlan vlan type arp", "ether type 8021q vlan type arp" },
	/* after vlan type 8021q the vlan fields are the next tag's: the
	 * first tag's dependency stays listed */
	{ "netdev", "vlan type 8021q vlan pcp 0 vlan id 1", "ether type 8021q vlan type 8021q vlan pcp 0 vlan id 1" },
	{ "netdev", "ether type vlan vlan type 8021q vlan id 1", "ether type 8021q vlan type 8021q vlan id 1" },
	{ "bridge", "ether type 8021ad vlan id 1 vlan type 8021q vlan id 2 vlan type ip counter",
	  "ether type 8021ad vlan id 1 vlan type 8021q vlan id 2 vlan type ip counter packets 0 bytes 0" },
	/* vlan type ip before an IP header field: nft's dependency */
	{ "bridge", "ether type 8021ad vlan id 1 vlan type 8021q vlan id 2 vlan type ip ip protocol 6",
	  "ether type 8021ad vlan id 1 vlan type 8021q vlan id 2 ip protocol tcp" },
	{ "netdev", "vlan id 1 vlan type ip ip saddr 1.2.3.4", "vlan id 1 ip saddr 1.2.3.4" },
	{ "netdev", "vlan type ip6 ip6 saddr ::1", "ether type 8021q ip6 saddr ::1" },
	{ "bridge", "vlan type ip counter ip saddr 1.2.3.4",
	  "ether type 8021q vlan type ip counter packets 0 bytes 0 ip saddr 1.2.3.4" },
	{ "bridge", "vlan type ip tcp dport 22", "ether type 8021q vlan type ip tcp dport 22" },
	/* netdev after meta iiftype ether: ether type ip joins ether saddr */
	{ "netdev", "tcp dport 22 iiftype ether ip daddr 192.0.2.1 ether saddr 02:00:00:00:00:01 accept",
	  "tcp dport 22 ether saddr 02:00:00:00:00:01 ip daddr 192.0.2.1 accept" },
	/* netdev after an arp field (meta protocol arp): raw arp bits named */
	{ "netdev", "arp operation request @nh,192,32 0xc0000201 counter",
	  "arp operation request arp daddr ip 192.0.2.1 counter packets 0 bytes 0" },
	{ "netdev", "@nh,192,32 0xc0000201 arp operation request",
	  "@nh,192,32 0xc0000201 arp operation request" },
};

/* Listed forms this kernel's nf_tables cannot load (no
 * CONFIG_NFT_BRIDGE_REJECT): test_canonical only. */
static const struct pcase cases_nokernel[] = {
	/* bridge: ether type ip names the network layer of a reject */
	{ "bridge", "ether type ip reject", "reject with icmp port-unreachable" },
	{ "bridge", "ether type ip6 reject", "reject with icmpv6 port-unreachable" },
	/* the bridge port's VLAN settings (nft_meta_bridge, not built here) */
	{ "bridge", "meta ibrvproto vlan", "meta ibrvproto 8021q" },
	{ "bridge", "meta ibrpvid 100", "meta ibrpvid 100" },
	/* ARP header writes; raw @nh bits that are an arp field, by its name */
	{ "arp", "arp daddr ether set 00:00:5e:00:53:07 arp operation set reply",
	  "arp daddr ether set 00:00:5e:00:53:07 arp operation set reply" },
	{ "arp", "@nh,192,32 0xc0a88f10 @nh,144,48 set 0x112233445566",
	  "arp daddr ip 192.168.143.16 arp daddr ether set 11:22:33:44:55:66" },
	{ "arp", "@nh,192,16 0xc0a8", "@nh,192,16 0xc0a8" },
};

static char *listed(const char *family, const char *rule, char **whole)
{
	char *src = NULL, *text, *line, *end;
	struct bw_diags d;
	struct bw_ir *ir = NULL;
	int rc;

	bool netdev = !strcmp(family, "netdev");

	assert_true(asprintf(&src, "table %s t {\n\tchain c {\n"
			     "\t\ttype filter hook %s priority 0; policy accept;\n"
			     "\t\t%s\n\t}\n}\n", family,
			     netdev ? "ingress device \"lo\"" : "input", rule) > 0);
	bw_diags_init(&d);
	rc = bw_compile_string("t.conf", src, &d, &ir);
	if (rc || d.nerrors) {
		bw_diags_print(&d, stderr);
		fail_msg("does not compile: %s", rule);
	}
	text = bw_ir_text_render(ir->text, bw_ir_counter_initial, ir);
	assert_non_null(text);
	/* the rule: the line after the chain's type line */
	line = strstr(text, "policy accept;\n");
	assert_non_null(line);
	line += strlen("policy accept;\n");
	while (*line == '\t')
		line++;
	end = strchr(line, '\n');
	assert_non_null(end);
	*whole = text;
	line = strndup(line, (size_t)(end - line));
	bw_ir_free(&ir);
	bw_diags_fini(&d);
	free(src);
	return line;
}

static void check_cases(const struct pcase *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *w1, *w2, *l1 = listed(cases[i].family, cases[i].rule, &w1);
		char *l2;

		if (strcmp(l1, cases[i].want))
			fail_msg("%s %s\n  listed: %s\n  want:   %s", cases[i].family,
				 cases[i].rule, l1, cases[i].want);
		/* the listed form loads again and lists the same */
		l2 = listed(cases[i].family, l1, &w2);
		assert_string_equal(l1, l2);
		free(l1);
		free(l2);
		free(w1);
		free(w2);
	}
}

static void test_canonical(void **state)
{
	(void)state;
	check_cases(cases, sizeof(cases) / sizeof(cases[0]));
	check_cases(cases_nokernel, sizeof(cases_nokernel) / sizeof(cases_nokernel[0]));
}

/* nft itself accepts every listed form (as root, in a network namespace
 * of its own: `nft -c` changes nothing, but stays off the host). */
static void test_nft_accepts(void **state)
{
	char path[] = "/tmp/bw-print-nft-XXXXXX", cmd[256];
	FILE *f;
	int fd;

	(void)state;
	if (geteuid() != 0 || access("/usr/sbin/nft", X_OK) ||
	    system("unshare -n true 2>/dev/null")) {
		fprintf(stderr, "skip: nft check needs root, nft and unshare -n\n");
		skip();
	}
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		fprintf(f, "table %s t%zu {\n\tchain c {\n\t\ttype filter hook %s "
			"priority 0; policy accept;\n\t\t%s\n\t}\n}\n",
			cases[i].family, i, strcmp(cases[i].family, "netdev") ?
			"input" : "ingress device \"lo\"", cases[i].want);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "unshare -n /usr/sbin/nft -c -f %s", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_nft_accepts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
