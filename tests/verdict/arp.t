# The arp family: its chains run in the kernel's nf_tables (no BPF
# netfilter link takes NFPROTO_ARP), on ARP packets only, at input (what
# comes in) and output (what goes out).  Here the interpreter says what
# they do; tests/e2e/bridge-arp.sh checks the kernel with arping against
# nft.  A frame whose ARP header has other address lengths than 6 and 4
# never reaches the hooks (arp_rcv frees it).
table arp filter {
	chain input {
		type filter hook input priority filter; policy accept;
		arp operation request arp daddr ip 192.0.2.1 counter drop
		arp saddr ether 00:00:5e:00:53:66 drop
		arp saddr ip 198.51.100.0/24 arp operation != reply drop
		arp htype != 1 drop
		arp ptype != ip drop
		arp daddr ether 00:00:5e:00:53:77 arp operation { rrequest, inrequest, nak } accept
		arp daddr ether 00:00:5e:00:53:77 drop
	}
	chain output {
		type filter hook output priority 0; policy drop;
		arp operation reply arp saddr ip 192.0.2.2 accept
		arp operation request accept
	}
}
table inet t {
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr 192.0.2.9 drop
	}
}
%%
mode netfilter
arp operation request arp daddr ip 192.0.2.1 ; drop ; 10
arp operation reply arp daddr ip 192.0.2.1 ; accept ; policy
arp operation request arp daddr ip 192.0.2.3 ; accept ; policy
ether saddr 00:00:5e:00:53:66 arp operation reply ; drop ; 11
arp saddr ether 00:00:5e:00:53:66 arp operation reply ; drop ; 11
arp saddr ip 198.51.100.7 ; drop ; 12
arp saddr ip 198.51.100.7 arp operation reply ; accept ; policy
arp htype 6 ; drop ; 13
arp ptype 0x86dd ; drop ; 14
arp daddr ether 00:00:5e:00:53:77 arp operation rrequest ; accept ; 15
arp daddr ether 00:00:5e:00:53:77 arp operation nak ; accept ; 15
arp daddr ether 00:00:5e:00:53:77 arp operation reply ; drop ; 16
# the hooks never see these
arp hlen 8 arp htype 6 ; accept ; policy
arp plen 16 arp daddr ip 192.0.2.1 ; accept ; policy
# IP packets pass the arp chains; the inet chain sees them
ip saddr 192.0.2.9 ; drop ; 27
ip saddr 192.0.2.8 ; accept ; policy
egress device veth1 arp operation reply arp saddr ip 192.0.2.2 ; accept ; 20
egress device veth1 arp operation reply arp saddr ip 192.0.2.3 ; drop ; policy
egress device veth1 arp operation request ; accept ; 21
egress device veth1 arp operation inreply ; drop ; policy
egress device veth1 ip saddr 192.0.2.9 ; accept ; policy
