# Byte rates and quotas in netdev chains run in BPF (XDP at ingress, TC at
# egress), as nf_tables' nft_limit and nft_quota: a packet counts skb->len
# at the hook (from the network header at ingress, the whole frame at
# egress: a packet's `meta length N` below is from the network header).
# A quota holds while the bytes it counted, this packet's included, are
# no more than it; the count goes on once past it.  A byte rate is a
# bucket of rate + burst bytes' worth (per day here: it does not refill
# within the test); a packet larger than the bucket never fits.
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		udp dport 1 quota 250 bytes drop
		udp dport 2 quota over 150 bytes drop
		udp dport 3 quota 100 bytes used 50 bytes drop
		udp dport 4 limit rate 100 bytes/day burst 200 bytes accept
		udp dport 4 drop
		udp dport 5 limit rate over 100 bytes/day drop
		udp dport 6 limit rate 100 bytes/day accept
		udp dport 6 drop
		udp dport 7 counter quota 400 bytes limit rate 1 kbytes/day burst 1 kbytes drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		udp dport 8 quota 120 bytes drop
		udp dport 9 limit rate 100 bytes/day burst 20 bytes drop
	}
}
%%
device veth0 udp dport 1 meta length 100 ; drop ; 12
device veth0 udp dport 1 meta length 100 ; drop ; 12
device veth0 udp dport 1 meta length 100 ; accept ; policy
device veth0 udp dport 1 meta length 28 ; accept ; policy
device veth0 udp dport 2 meta length 100 ; accept ; policy
device veth0 udp dport 2 meta length 100 ; drop ; 13
device veth0 udp dport 2 meta length 28 ; drop ; 13
# exactly at the quota still holds (nft_quota: past it when more)
device veth0 udp dport 3 meta length 50 ; drop ; 14
device veth0 udp dport 3 meta length 28 ; accept ; policy
device veth0 udp dport 4 meta length 100 ; accept ; 15
device veth0 udp dport 4 meta length 100 ; accept ; 15
device veth0 udp dport 4 meta length 100 ; accept ; 15
device veth0 udp dport 4 meta length 100 ; drop ; 16
device veth0 udp dport 5 meta length 100 ; accept ; policy
device veth0 udp dport 5 meta length 28 ; drop ; 17
# more than the bucket holds: never within the rate
device veth0 udp dport 6 meta length 101 ; drop ; 19
device veth0 udp dport 6 meta length 100 ; accept ; 18
device veth0 udp dport 6 meta length 28 ; drop ; 19
# a VLAN tag is not counted at ingress (the kernel has taken it off)
device veth0 vlan id 5 udp dport 7 meta length 200 ; drop ; 20
device veth0 vlan id 5 udp dport 7 meta length 200 ; drop ; 20
device veth0 vlan id 5 udp dport 7 meta length 200 ; accept ; policy
# at egress the Ethernet header counts: 14 + 46 bytes each
egress device veth0 udp dport 8 meta length 46 ; drop ; 24
egress device veth0 udp dport 8 meta length 46 ; drop ; 24
egress device veth0 udp dport 8 meta length 46 ; accept ; policy
egress device veth0 udp dport 9 meta length 107 ; accept ; policy
egress device veth0 udp dport 9 meta length 106 ; drop ; 25
egress device veth0 udp dport 9 meta length 28 ; accept ; policy
