# several base chains on one hook: run in priority order, accept goes on to
# the next chain, drop ends; policies; counter with and without a verdict
table netdev t {
	chain late {
		type filter hook ingress device "veth0" priority 10; policy drop;
		ip saddr 192.0.2.1 counter accept
		tcp dport 22 counter accept
	}
	chain early {
		type filter hook ingress device "veth0" priority -10; policy accept;
		ip saddr 198.51.100.0/24 counter drop
		ip saddr 192.0.2.1 tcp dport 23 counter
		ip saddr 192.0.2.1 tcp dport 23 drop
		ip saddr 192.0.2.5 accept
	}
}
table netdev u {
	chain mid {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr 192.0.2.7 drop
		ip saddr 192.0.2.5 tcp dport 22 drop
	}
}
%%
# early drops before the others run
device veth0 ip saddr 198.51.100.5 tcp dport 22 ; drop ; 11
# a counter without verdict goes on to the next rule
device veth0 ip saddr 192.0.2.1 tcp dport 23 ; drop ; 13
# early and mid accept by policy, late accepts by rule
device veth0 ip saddr 192.0.2.1 tcp dport 80 ; accept ; 6
device veth0 ip saddr 192.0.2.9 tcp dport 22 ; accept ; 7
device veth0 ip6 saddr 2001:db8::9 tcp dport 22 ; accept ; 7
# mid (priority 0) runs between early and late
device veth0 ip saddr 192.0.2.7 tcp dport 22 ; drop ; 20
# accept in early does not skip mid or late
device veth0 ip saddr 192.0.2.5 tcp dport 22 ; drop ; 21
device veth0 ip saddr 192.0.2.5 tcp dport 80 ; drop ; policy
# late's policy drop
device veth0 ip saddr 192.0.2.9 udp dport 22 ; drop ; policy
device veth0 ip saddr 192.0.2.9 tcp dport 80 ; drop ; policy
device veth0 ip6 saddr 2001:db8::9 udp dport 53 ; drop ; policy
# no chain on other devices
device veth1 ip saddr 198.51.100.5 ; accept ; policy
