# SPDX-License-Identifier: GPL-2.0-only
# Verdict-map elements written without blanks around the colon after an
# IPv6 address, as nft reads them: "aaaa:::accept" is the address
# ...aaaa:: then ": accept" (not the address ...aaaa:::acce), "::dddd:
# drop" the address ::dddd then ": drop".
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip6 saddr vmap {::dddd: drop, 2001:db8::1 :accept,2001:db8:0:0:0:0:aaaa:::drop}
		ip6 saddr 2001:db8::1 drop
	}
}
%%
device veth0 ip6 saddr 2001:db8::aaaa:0 ; drop ; 9
device veth0 ip6 saddr ::dddd ; drop ; 9
device veth0 ip6 saddr 2001:db8::1 ; accept ; 9
device veth0 ip6 saddr 2001:db8::2 ; accept ; policy
