# a set statement whose key no match of its program reads: the input
# chain adds the Ethernet source (nothing else in the input program reads
# Ethernet fields, which the netfilter programs parse only when a rule
# reads them), the prerouting chain, a program of its own, drops on it
table inet t {
	set macs {
		type ether_addr
	}
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		ether saddr @macs udp dport 58 drop
	}
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 58 add @macs { ether saddr }
	}
}
%%
device veth0 ether saddr 02:00:00:00:00:aa ip saddr 192.0.2.5 udp dport 58 ; accept ; policy
device veth0 ether saddr 02:00:00:00:00:aa ip saddr 192.0.2.5 udp dport 58 ; drop ; 11
device veth0 ether saddr 02:00:00:00:00:bb ip saddr 192.0.2.5 udp dport 58 ; accept ; policy
device veth0 ether saddr 02:00:00:00:00:bb ip saddr 192.0.2.5 udp dport 58 ; drop ; 11
