# Forms nft accepts that bpfwall once misread: a value named like a
# statement (icmp type redirect), map elements without blanks (25:accept),
# counter bytes before packets, ! (none of these bits), an unquoted log
# prefix, vlan cfi (nft's older name of vlan dei), the EtherType names
# 8021q and 8021ad.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		vlan cfi 1 drop
		ether type 8021ad vlan id 3 drop
		ether type 8021q vlan id 4 drop
		icmp type redirect drop
		icmp type { redirect, time-exceeded } counter drop
		tcp dport vmap { 25:accept, 26:drop }
		ip saddr . tcp dport vmap {192.0.2.7 . 22:drop}
		udp dport 99 counter bytes 10 packets 2 drop
		tcp dport 100-200 tcp flags ! fin,rst log prefix none drop
		tcp dport 100-200 tcp flags ! syn log prefix nosyn level warn accept
		tcp dport 100-200 drop
	}
}
%%
device veth0 vlan id 5 vlan dei 1 ; drop ; 9
device veth0 vlan id 5 ; accept ; policy
device veth0 ether type 8021ad vlan id 3 ; drop ; 10
device veth0 vlan id 3 ; accept ; policy
device veth0 vlan id 4 ; drop ; 11
device veth0 icmp type redirect ; drop ; 12
device veth0 icmp type time-exceeded ; drop ; 13
device veth0 icmp type echo-request ; accept ; policy
device veth0 tcp dport 25 ; accept ; 14
device veth0 tcp dport 26 ; drop ; 14
device veth0 ip saddr 192.0.2.7 tcp dport 22 ; drop ; 15
device veth0 ip saddr 192.0.2.8 tcp dport 22 ; accept ; policy
device veth0 udp dport 99 ; drop ; 16
device veth0 tcp dport 150 tcp flags syn ; drop ; 17
device veth0 tcp dport 150 tcp flags syn|fin ; drop ; 19
device veth0 tcp dport 150 tcp flags ack|rst ; accept ; 18
device veth0 tcp dport 150 tcp flags ack|fin ; accept ; 18
