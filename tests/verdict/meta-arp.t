# meta l4proto in an arp table is nft's: 0, since an ARP packet has no
# transport header (nf_tables runs arp chains; here the interpreter).
table arp filter {
	chain input {
		type filter hook input priority filter; policy accept;
		meta l4proto tcp drop
		meta l4proto 0 arp operation reply drop
		meta l4proto != 0 arp operation request drop
	}
}
%%
mode netfilter
arp operation request arp daddr ip 192.0.2.1 ; accept ; policy
arp operation reply arp daddr ip 192.0.2.1 ; drop ; 7
