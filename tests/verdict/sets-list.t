# Named sets and maps whose elements touch: `list ruleset` lists each
# element as it was added (as nft does without auto-merge), so its output
# loads again and each element can be deleted as listed.  The runner
# lists, loads and lists again every ruleset; these are the ones where
# joining adjacent elements once broke that: sets, maps and
# concatenations without `flags interval` (a range there does not load),
# and interval sets whose ranges and single values meet.
table netdev t {
	set plain {
		type ipv4_addr
		elements = { 192.0.2.1, 192.0.2.2, 192.0.2.3 }
	}
	set ports {
		type inet_service
		elements = { 22, 23, 25 }
	}
	set pairs {
		type ipv4_addr . inet_service
		elements = { 192.0.2.11 . 8080, 192.0.2.11 . 8081, 192.0.2.12 . 8080 }
	}
	map dispatch {
		type inet_service : verdict
		elements = { 100 : accept, 101 : accept, 102 : drop, 103 : drop }
	}
	set ranges {
		type ipv4_addr
		flags interval
		elements = { 198.51.100.1, 198.51.100.2, 198.51.100.4-198.51.100.7, 198.51.100.8, 203.0.113.1-203.0.113.5, 203.0.113.6 }
	}
	set sports {
		type inet_service
		flags interval
		elements = { 1-2, 3, 4-7 }
	}
	set ipranges {
		type ipv4_addr . inet_service
		flags interval
		elements = { 192.0.2.9 . 24-25, 192.0.2.9 . 26, 192.0.2.10 . 22 }
	}
	map spans {
		type inet_service : verdict
		flags interval
		elements = { 200-210 : drop, 211 : drop, 212-220 : accept }
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr @plain tcp dport @ports drop
		ip daddr . tcp dport @pairs drop
		udp dport vmap @dispatch
		ip saddr @ranges drop
		udp sport @sports drop
		ip daddr . udp dport @ipranges drop
		tcp dport vmap @spans
		tcp dport 100-300 drop
	}
}
%%
device veth0 ip saddr 192.0.2.2 tcp dport 23 ; drop ; 47
device veth0 ip saddr 192.0.2.3 tcp dport 25 ; drop ; 47
device veth0 ip saddr 192.0.2.3 tcp dport 24 ; accept ; policy
device veth0 ip saddr 192.0.2.4 tcp dport 22 ; accept ; policy
device veth0 ip daddr 192.0.2.11 tcp dport 8081 ; drop ; 48
device veth0 ip daddr 192.0.2.12 tcp dport 8081 ; accept ; policy
device veth0 udp dport 101 ; accept ; 49
device veth0 udp dport 102 ; drop ; 49
device veth0 udp dport 104 ; accept ; policy
device veth0 ip saddr 198.51.100.2 ; drop ; 50
device veth0 ip saddr 198.51.100.3 ; accept ; policy
device veth0 ip saddr 198.51.100.8 ; drop ; 50
device veth0 ip saddr 203.0.113.6 ; drop ; 50
device veth0 ip saddr 203.0.113.7 ; accept ; policy
device veth0 udp sport 3 ; drop ; 51
device veth0 udp sport 8 ; accept ; policy
device veth0 ip daddr 192.0.2.9 udp dport 26 ; drop ; 52
device veth0 ip daddr 192.0.2.9 udp dport 27 ; accept ; policy
device veth0 tcp dport 211 ; drop ; 53
device veth0 tcp dport 212 ; accept ; 53
device veth0 tcp dport 221 ; drop ; 54
