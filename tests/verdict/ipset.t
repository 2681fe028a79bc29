# SPDX-License-Identifier: GPL-2.0-only
# The nft sets and lookups `iptables -m set --match-set` becomes for the
# sets of `bpfwall ipset` (grammar/ipt_ast.c): hash:ip as addresses,
# hash:net as merged ranges (overlapping nets: their union), hash:net,port
# as a range . port interval set, hash:ip,port,ip as a three-part key;
# ports looked up with the protocol of the set's entries.  The
# e2e test tests/e2e/ipt-set.sh runs them with traffic beside ipset.
table ip filter {
	set bl {
		type ipv4_addr
		elements = { 192.0.2.66, 192.0.2.8, 192.0.2.9 }
	}
	set nets {
		type ipv4_addr
		flags interval
		elements = { 198.51.100.0-198.51.100.255, 203.0.113.7 }
	}
	set np {
		type ipv4_addr . inet_service
		flags interval
		elements = { 192.0.2.0-192.0.2.127 . 80, 203.0.113.0-203.0.113.255 . 443 }
	}
	set ipi {
		type ipv4_addr . inet_service . ipv4_addr
		elements = { 192.0.2.1 . 53 . 198.51.100.1 }
	}
	chain FORWARD {
		type filter hook forward priority 0; policy accept;
		ip saddr @bl counter drop
		ip saddr != @nets udp dport 7 counter drop
		ip saddr . tcp dport @np counter drop
		ip saddr . udp sport . ip daddr @ipi counter drop
		counter
	}
}
%%
# hash:ip, src
forward device veth0 device veth1 ip saddr 192.0.2.66 ip daddr 198.51.100.2 tcp dport 22 ; drop ; 29
forward device veth0 device veth1 ip saddr 192.0.2.9 ip daddr 198.51.100.2 udp dport 5 ; drop ; 29
forward device veth0 device veth1 ip saddr 192.0.2.10 ip daddr 198.51.100.2 tcp dport 22 ; accept ; policy
# ! hash:net: outside the union of the nets
forward device veth0 device veth1 ip saddr 192.0.2.10 ip daddr 198.51.100.2 udp dport 7 ; drop ; 30
forward device veth0 device veth1 ip saddr 198.51.100.200 ip daddr 192.0.2.2 udp dport 7 ; accept ; policy
forward device veth0 device veth1 ip saddr 203.0.113.7 ip daddr 192.0.2.2 udp dport 7 ; accept ; policy
forward device veth0 device veth1 ip saddr 203.0.113.8 ip daddr 192.0.2.2 udp dport 7 ; drop ; 30
# hash:net,port src,dst: the net's range and the port of tcp
forward device veth0 device veth1 ip saddr 192.0.2.100 ip daddr 198.51.100.2 tcp dport 80 ; drop ; 31
forward device veth0 device veth1 ip saddr 192.0.2.200 ip daddr 198.51.100.2 tcp dport 80 ; accept ; policy
forward device veth0 device veth1 ip saddr 192.0.2.100 ip daddr 198.51.100.2 tcp dport 81 ; accept ; policy
forward device veth0 device veth1 ip saddr 192.0.2.100 ip daddr 198.51.100.2 udp dport 80 ; accept ; policy
forward device veth0 device veth1 ip saddr 203.0.113.9 ip daddr 198.51.100.2 tcp dport 443 ; drop ; 31
forward device veth0 device veth1 ip saddr 203.0.113.9 ip daddr 198.51.100.2 tcp dport 80 ; accept ; policy
# hash:ip,port,ip src,src,dst with udp
forward device veth0 device veth1 ip saddr 192.0.2.1 ip daddr 198.51.100.1 udp sport 53 udp dport 999 ; drop ; 32
forward device veth0 device veth1 ip saddr 192.0.2.1 ip daddr 198.51.100.2 udp sport 53 udp dport 999 ; accept ; policy
forward device veth0 device veth1 ip saddr 192.0.2.1 ip daddr 198.51.100.1 tcp sport 53 tcp dport 999 ; accept ; policy
