# SPDX-License-Identifier: GPL-2.0-only
# IGMP's header (nft's igmp type, mrt, checksum, group): 8 bytes after
# the IPv4 header, dropped as l4-truncated when cut short (as igmp_rcv
# drops it).  Each field brings its protocol dependency.
table ip t {
	chain in {
		type filter hook input priority 0; policy accept;
		igmp type { membership-report-v2, membership-report-v3 } igmp group 3758096385 drop
		igmp type leave-group drop
		igmp mrt != 10 igmp type membership-query drop
		igmp checksum 11-343 drop
	}
}
%%
igmp type membership-report-v2 igmp group 3758096385 ; drop ; 8
igmp type membership-report-v3 igmp group 3758096385 ; drop ; 8
igmp type membership-report-v1 igmp group 3758096385 igmp checksum 1 ; accept ; policy
igmp type membership-report-v2 igmp group 3758096386 igmp checksum 1 ; accept ; policy
igmp type leave-group ; drop ; 9
igmp type membership-query igmp mrt 100 ; drop ; 10
igmp type membership-query igmp mrt 10 igmp checksum 1 ; accept ; policy
igmp type membership-query igmp mrt 10 igmp checksum 343 ; drop ; 11
# cut short: 4 of its 8 bytes inside the IP packet
igmp type leave-group ip length 24 ; drop ; malformed l4-truncated
# not IGMP: the same bytes after a UDP header never match
udp sport 5888 udp dport 1 ; accept ; policy
