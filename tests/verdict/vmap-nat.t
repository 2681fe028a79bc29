# SPDX-License-Identifier: GPL-2.0-only
# A nat statement after a verdict map (a chain of type nat, run by
# nf_tables; the interpreter says what it does): an element whose
# verdict is continue leads on to the match and the dnat after the vmap;
# drop and accept decide there, and a port in no element ends the rule:
# no translation.  The forward chain accepts only the new destination.
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport vmap { 8080 : continue, 8081 : drop, 8082 : accept } ip daddr 203.0.113.1 dnat to 198.51.100.2:80
		udp dport vmap { 53 : accept, * : continue } dnat to 198.51.100.3
	}
}
table inet filter {
	chain forward {
		type filter hook forward priority filter; policy drop;
		ip daddr 198.51.100.2 tcp dport 80 accept
		ip daddr 198.51.100.3 accept
	}
}
%%
mode netfilter
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 8080 ; accept ; 17
forward device veth0 device veth1 ip daddr 203.0.113.5 tcp dport 8080 ; drop ; policy
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 8081 ; drop ; 10
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 8082 ; drop ; policy
forward device veth0 device veth1 ip daddr 203.0.113.1 tcp dport 9999 ; drop ; policy
# the catch-all's continue reaches the dnat; 53 accepts before it
forward device veth0 device veth1 ip daddr 203.0.113.1 udp dport 54 ; accept ; 18
forward device veth0 device veth1 ip daddr 203.0.113.1 udp dport 53 ; drop ; policy
