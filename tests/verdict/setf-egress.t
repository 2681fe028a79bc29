# meta mark set and meta priority set at TC egress (a netdev egress
# chain) run in BPF: the program writes skb->mark and skb->priority, and
# the rules after see the new mark (through the kernel and the
# interpreter alike)
table netdev e {
	chain egress {
		type filter hook egress device "veth0" priority 0; policy accept;
		udp dport 7 meta mark set 0x10
		meta mark 0x10 counter drop
		udp dport 8 meta priority set 1:2 mark set 0xfffffff0
		meta mark 0xfffffff0 drop
		udp dport 9 meta mark set 0x20 meta mark 0x21 drop
	}
}
%%
egress device veth0 udp dport 7 ; drop ; 9
egress device veth0 udp dport 8 ; drop ; 11
egress device veth0 udp dport 9 ; accept ; policy
egress device veth0 meta mark 0x10 udp dport 10 ; drop ; 9
egress device veth0 udp dport 10 ; accept ; policy
