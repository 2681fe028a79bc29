# egress: netdev hook egress (TC on the device) and inet hook output
table netdev e {
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		ip daddr 203.0.113.7 tcp dport 25 counter drop
		ip daddr 203.0.113.8 counter accept
	}
}
table inet o {
	chain output {
		type filter hook output priority 0; policy accept;
		udp dport 53 ip daddr != 192.0.2.53 drop
		ip daddr 203.0.113.8 tcp dport 25 drop
	}
	chain input {
		type filter hook input priority 0; policy drop;
	}
}
%%
egress device veth0 ip daddr 203.0.113.7 tcp dport 25 ; drop ; 5
egress device veth0 ip daddr 203.0.113.7 tcp dport 26 ; accept ; policy
egress device veth0 ip daddr 203.0.113.9 tcp dport 25 ; accept ; policy
# the output chain runs after the netdev egress chain accepted
egress device veth0 ip daddr 203.0.113.8 tcp dport 25 ; drop ; 13
egress ip daddr 203.0.113.8 tcp dport 25 ; drop ; 13
egress ip daddr 203.0.113.7 tcp dport 25 ; accept ; policy
egress device veth1 ip daddr 203.0.113.7 tcp dport 25 ; accept ; policy
egress udp dport 53 ip daddr 192.0.2.9 ; drop ; 12
egress udp dport 53 ip daddr 192.0.2.53 ; accept ; policy
egress ip6 daddr 2001:db8::53 udp dport 53 ; accept ; policy
# ingress only runs the input chain (policy drop)
ip daddr 203.0.113.7 tcp dport 26 ; drop ; policy
ingress device veth0 udp dport 53 ip daddr 192.0.2.53 ; drop ; policy
