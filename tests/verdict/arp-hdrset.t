# SPDX-License-Identifier: GPL-2.0-only
# ARP header writes in an arp table (nf_tables runs the chain; here the
# interpreter, whose copy of the header the rules after see changed): by
# name, and as raw @nh bits that are an arp field (nft lists those by the
# field's name)
table arp w {
	chain input {
		type filter hook input priority filter; policy accept;
		arp daddr ip 192.0.2.1 arp daddr ether set 00:00:5e:00:53:07
		arp daddr ether 00:00:5e:00:53:07 arp daddr ip 192.0.2.1 counter drop
		arp daddr ip 192.0.2.2 @nh,144,48 set 0x00005e005308
		arp daddr ether 00:00:5e:00:53:08 drop
		arp daddr ip 192.0.2.3 arp operation set reply
		arp operation reply arp daddr ip 192.0.2.3 drop
	}
}
%%
mode netfilter
arp operation request arp daddr ip 192.0.2.1 ; drop ; 10
arp operation request arp daddr ip 192.0.2.2 ; drop ; 12
arp operation request arp daddr ip 192.0.2.3 ; drop ; 14
arp operation request arp daddr ip 192.0.2.4 ; accept ; policy
