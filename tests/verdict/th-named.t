# SPDX-License-Identifier: GPL-2.0-only
# th dport (the transport header's second word, of any protocol) in a
# named set's key of type inet_service, as nft's th dport is: read for
# itself into the key (a packet without a transport header matches none).
table inet t {
	set s {
		type ipv4_addr . inet_service
		elements = { 192.0.2.1 . 22, 192.0.2.1 . 53 }
	}
	chain in {
		type filter hook input priority 0; policy accept;
		ip saddr . th dport @s drop
	}
}
%%
ip saddr 192.0.2.1 tcp dport 22 ; drop ; 12
ip saddr 192.0.2.1 udp dport 53 ; drop ; 12
ip saddr 192.0.2.1 tcp dport 23 ; accept ; policy
ip saddr 192.0.2.2 tcp dport 22 ; accept ; policy
ip saddr 192.0.2.1 icmp type echo-request ; accept ; policy
