# meta length in the inet family: the IP packet's length, as in nft's
# input hook (length.t: netdev)
table inet u {
	chain i {
		type filter hook input priority 0; policy accept;
		meta length 60 drop
		meta length 100-120 udp dport 9 drop
	}
}
%%
meta length 60 ; drop ; 6
meta length 74 ; accept ; policy
ip6 saddr 2001:db8::1 meta length 60 ; drop ; 6
udp dport 9 meta length 110 ; drop ; 7
udp dport 9 meta length 121 ; accept ; policy
