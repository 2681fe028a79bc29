# The IP hooks, each where nft has it: prerouting and input for what
# comes in, forward for what goes through, output and postrouting for
# what goes out (postrouting also sees what goes through); chains of one
# hook by priority, netdev chains before (ingress) and after (egress).
# The interfaces each hook has: prerouting and input the input device,
# output the output device, forward both, postrouting the output one and,
# for a forwarded packet, the input one.
table inet f {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		ip saddr 203.0.113.9 counter drop
		iifname "veth9" drop
		oifname "veth1" tcp dport 4001 drop
	}
	chain in {
		type filter hook input priority 0; policy accept;
		tcp dport 22 drop
		iifname "veth0" tcp dport 4002 drop
		oifname "veth1" tcp dport 4003 drop
	}
	chain fw {
		type filter hook forward priority 0; policy drop;
		iifname "veth0" oifname "veth1" tcp dport 22 drop
		iifname "veth0" oifname "veth1" accept
		meta mark 7 accept
	}
	chain out {
		type filter hook output priority 0; policy accept;
		oifname "veth1" udp dport 53 drop
		iifname "veth0" udp dport 5353 drop
	}
	chain post {
		type filter hook postrouting priority 100; policy accept;
		oifname "veth1" udp dport 54 drop
		iifname "veth0" udp dport 55 drop
	}
	chain post-early {
		type filter hook postrouting priority -100; policy accept;
		udp dport 56 drop
	}
}
table netdev edge {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 4004 drop
	}
	chain out {
		type filter hook egress device "veth1" priority 0; policy accept;
		udp dport 57 drop
	}
}
%%
mode netfilter
# in: prerouting (priority -300) before input; the netdev chain first
ingress device veth0 ip saddr 203.0.113.9 tcp dport 22 ; drop ; 11
ingress device veth0 tcp dport 22 ; drop ; 17
ingress device veth0 tcp dport 4004 ; drop ; 45
ingress device veth9 tcp dport 80 ; drop ; 12
# prerouting and input have no output device
ingress device veth0 tcp dport 4001 ; accept ; policy
ingress device veth0 tcp dport 4003 ; accept ; policy
ingress device veth0 tcp dport 4002 ; drop ; 18
ingress device veth2 tcp dport 4002 ; accept ; policy
# through: prerouting, forward (policy drop), postrouting by priority,
# the output device's netdev chain last
forward device veth0 device veth1 tcp dport 22 ; drop ; 23
forward device veth0 device veth1 tcp dport 80 ; accept ; policy
forward device veth2 device veth1 tcp dport 80 ; drop ; policy
forward device veth2 device veth1 meta mark 7 tcp dport 80 ; accept ; policy
forward device veth0 device veth1 ip saddr 203.0.113.9 ; drop ; 11
forward device veth0 device veth1 udp dport 54 ; drop ; 34
forward device veth0 device veth1 udp dport 55 ; drop ; 35
forward device veth0 device veth1 udp dport 56 ; drop ; 39
forward device veth0 device veth1 udp dport 57 ; drop ; 49
forward device veth0 device veth1 udp dport 53 ; accept ; policy
# out: output, postrouting, the netdev egress chain; no input device
egress device veth1 udp dport 53 ; drop ; 29
egress device veth2 udp dport 53 ; accept ; policy
egress device veth1 udp dport 54 ; drop ; 34
egress device veth1 udp dport 55 ; accept ; policy
egress device veth1 udp dport 5353 ; accept ; policy
egress device veth1 udp dport 56 ; drop ; 39
egress device veth1 udp dport 57 ; drop ; 49
egress device veth1 tcp dport 22 ; accept ; policy
