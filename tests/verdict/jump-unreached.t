# a user chain that only a rule which can never match at this hook jumps
# to (an interface the program is not for) is left out, not emitted as
# code no jump leads to (the verifier would refuse the program)
table netdev t {
	chain other {
		udp dport 1 drop
	}
	chain deeper {
		udp dport 2 drop
	}
	chain via {
		jump deeper
	}
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		iifname "veth9" jump other
		iifname "veth9" goto via
		udp dport 3 jump via
	}
}
%%
device veth0 udp dport 1 ; accept ; policy
device veth0 udp dport 2 ; accept ; policy
device veth0 udp dport 3 ; accept ; policy
device veth0 udp dport 2 ip saddr 192.0.2.1 ; accept ; policy
