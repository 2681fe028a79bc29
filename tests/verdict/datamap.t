# SPDX-License-Identifier: GPL-2.0-only
# Named maps of data (type KEY : mark, ...): rules look their keys up as
# a set's (the values are for nf_tables, meta mark set KEY map @NAME);
# an interval map, a concatenated key.
table netdev t {
	map marks {
		type ipv4_addr : mark
		elements = { 192.0.2.1 : 0x00000001, 192.0.2.2 : 0x00000002 }
	}
	map nets {
		type ipv4_addr : inet_service
		flags interval
		elements = { 198.51.100.0/24 : 80, 203.0.113.7 : 8080 }
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr @marks drop
		ip saddr != @nets udp dport 9 drop
	}
}
table inet f {
	map pairs {
		type ipv4_addr . inet_service : ipv4_addr
		elements = { 198.51.100.1 . 22 : 192.0.2.99 }
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr . tcp dport @pairs drop
	}
}
%%
device veth0 ip saddr 192.0.2.1 udp dport 1 ; drop ; 17
device veth0 ip saddr 192.0.2.2 udp dport 1 ; drop ; 17
device veth0 ip saddr 192.0.2.3 udp dport 1 ; accept ; policy
device veth0 ip saddr 198.51.100.77 udp dport 9 ; accept ; policy
device veth0 ip saddr 203.0.113.7 udp dport 9 ; accept ; policy
device veth0 ip saddr 203.0.113.8 udp dport 9 ; drop ; 18
device veth0 ip saddr 198.51.100.1 tcp dport 22 ; drop ; 28
device veth0 ip saddr 198.51.100.1 tcp dport 23 ; accept ; policy
