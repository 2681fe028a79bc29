# SPDX-License-Identifier: GPL-2.0-only
# srh fields as lookup keys: a named set, a concatenation, a verdict map.
# Each key part is read for itself (as a raw payload's); a packet with no
# routing header does not match, != included.
table ip6 t {
	set tags {
		typeof srh tag
		elements = { 4660, 7 }
	}
	chain in {
		type filter hook input priority 0; policy accept;
		srh tag @tags drop
		srh last-entry . ip6 saddr { 3 . 2001:db8::1 } drop
		srh flags vmap { 9 : drop, 10 : accept }
		srh tag != @tags udp dport 9 drop
	}
}
%%
packet exthdr ipv6-route rt type 4 srh tag 4660 udp dport 1 ; drop ; 12
packet exthdr ipv6-route rt type 4 srh tag 7 udp dport 1 ; drop ; 12
packet exthdr ipv6-route rt type 4 srh tag 8 udp dport 1 ; accept ; policy
ip6 saddr 2001:db8::1 packet exthdr ipv6-route rt type 4 srh last-entry 3 udp dport 1 ; drop ; 13
ip6 saddr 2001:db8::2 packet exthdr ipv6-route rt type 4 srh last-entry 3 udp dport 1 ; accept ; policy
packet exthdr ipv6-route rt type 4 srh flags 9 udp dport 1 ; drop ; 14
packet exthdr ipv6-route rt type 4 srh flags 10 udp dport 9 ; accept ; 14
packet exthdr ipv6-route rt type 4 srh tag 8 udp dport 9 ; drop ; 15
# no routing header: no lookup matches, != included
ip6 saddr 2001:db8::1 udp dport 9 ; accept ; policy
