# The bridge family: its chains run in the kernel's nf_tables (no BPF
# netfilter link takes NFPROTO_BRIDGE, and a program on a port cannot
# tell a frame for this host from one it forwards).  Forwarded frames
# meet prerouting, forward and postrouting, and no IP forward chain (they
# are bridged, not routed); frames for this host meet prerouting and
# input, then the IP chains.  Here the interpreter says what the chains
# do; tests/e2e/bridge-arp.sh checks the kernel with traffic against nft.
table bridge filter {
	chain prerouting {
		type filter hook prerouting priority filter; policy accept;
		ether saddr 00:00:5e:00:53:66 drop
	}
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "veth0" oifname "veth1" ip daddr 192.0.2.2 tcp dport 22 counter drop
		ether type arp arp operation reply arp saddr ip 192.0.2.66 drop
		vlan id 10 vlan pcp 5 drop
		vlan id 11 ip saddr 192.0.2.11 drop
		ether type ip6 ip6 daddr 2001:db8::2 udp dport 53 drop
		ether daddr 00:00:5e:00:53:02 ip protocol icmp icmp type echo-request drop
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr 192.0.2.7 drop
	}
	chain output {
		type filter hook output priority filter; policy accept;
		oifname "veth1" udp dport 9 drop
	}
}
table inet t {
	chain forward {
		type filter hook forward priority 0; policy drop;
	}
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 23 drop
	}
}
%%
mode netfilter
forward device veth0 device veth1 ip daddr 192.0.2.2 tcp dport 22 ; drop ; 15
forward device veth0 device veth1 ip daddr 192.0.2.2 tcp dport 80 ; accept ; policy
forward device veth1 device veth0 ip daddr 192.0.2.2 tcp dport 22 ; accept ; policy
forward device veth0 device veth1 ether saddr 00:00:5e:00:53:66 ; drop ; 11
forward device veth0 device veth1 arp operation reply arp saddr ip 192.0.2.66 ; drop ; 16
forward device veth0 device veth1 arp operation request arp saddr ip 192.0.2.66 ; accept ; policy
forward device veth0 device veth1 vlan id 10 vlan pcp 5 ; drop ; 17
forward device veth0 device veth1 vlan id 10 vlan pcp 4 ; accept ; policy
# a bare vlan field is an 802.1Q tag's (nft's implicit ether type 8021q)
forward device veth0 device veth1 ether type 8021ad vlan id 10 vlan pcp 5 ; accept ; policy
forward device veth0 device veth1 vlan id 11 ip saddr 192.0.2.11 ; drop ; 18
forward device veth0 device veth1 ip saddr 192.0.2.11 ; accept ; policy
forward device veth0 device veth1 ip6 daddr 2001:db8::2 udp dport 53 ; drop ; 19
forward device veth0 device veth1 ip daddr 192.0.2.2 udp dport 53 ; accept ; policy
forward device veth0 device veth1 ether daddr 00:00:5e:00:53:02 icmp type echo-request ; drop ; 20
forward device veth0 device veth1 ether daddr 00:00:5e:00:53:02 icmp type echo-reply ; accept ; policy
# nft tests `ether type ip` before icmp type in a bridge rule: not on a
# tagged frame (an IP field's `meta protocol ip` sees inside the tag)
forward device veth0 device veth1 vlan id 12 ether daddr 00:00:5e:00:53:02 icmp type echo-request ; accept ; policy
# for this host: the bridge's input, then the IP chains
ingress device veth0 ip saddr 192.0.2.7 ; drop ; 24
ingress device veth0 tcp dport 23 ; drop ; 37
ingress device veth0 ether saddr 00:00:5e:00:53:66 tcp dport 23 ; drop ; 11
ingress device veth0 tcp dport 24 ; accept ; policy
egress device veth1 udp dport 9 ; drop ; 28
egress device veth0 udp dport 9 ; accept ; policy
