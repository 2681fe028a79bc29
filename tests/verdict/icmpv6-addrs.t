# SPDX-License-Identifier: GPL-2.0-only
# icmpv6 taddr (the target address of neighbor discovery and redirects,
# the group of MLD) and icmpv6 daddr (a redirect's destination): read
# per match after the 8-byte ICMPv6 header; nft's type dependency (the
# six types with a target; a redirect); an address cut short by the
# packet's end never matches.
table inet t {
	chain i {
		type filter hook input priority 0; policy accept;
		icmpv6 taddr 2001:db8::133 drop
		icmpv6 type nd-neighbor-advert icmpv6 taddr != 2001:db8::1 drop
		icmpv6 daddr 2001:db8::7 drop
	}
}
%%
ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-solicit packet payload "20010db8 00000000 00000000 00000133" ; drop ; 10
ip6 saddr 2001:db8::1 icmpv6 type mld-listener-query packet payload "20010db8 00000000 00000000 00000133" ; drop ; 10
ip6 saddr 2001:db8::1 icmpv6 type nd-redirect packet payload "20010db8 00000000 00000000 00000133" ; drop ; 10
ip6 saddr 2001:db8::1 icmpv6 type echo-request packet payload "20010db8 00000000 00000000 00000133" ; accept ; policy
ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-solicit packet payload "20010db8 00000000 00000000 00000134" ; accept ; policy
ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-solicit packet payload "20010db8 00000000 00000000 000001" ; accept ; policy
ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-advert packet payload "20010db8 00000000 00000000 00000002" ; drop ; 11
ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-advert packet payload "20010db8 00000000 00000000 00000001" ; accept ; policy
ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-advert ; accept ; policy
ip6 saddr 2001:db8::1 icmpv6 type nd-redirect packet payload "20010db8 00000000 00000000 00000001 20010db8 00000000 00000000 00000007" ; drop ; 12
ip6 saddr 2001:db8::1 icmpv6 type nd-neighbor-solicit packet payload "20010db8 00000000 00000000 00000001 20010db8 00000000 00000000 00000007" ; accept ; policy
ip6 saddr 2001:db8::1 icmpv6 type nd-redirect packet payload "20010db8 00000000 00000000 00000001 20010db8 00000000 00000000 000000" ; accept ; policy
# nft-check: icmpv6 taddr and daddr came after nft 1.0.6
