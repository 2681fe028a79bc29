# define / $var for values, prefixes and sets; counter packets N bytes M
define trusted = 192.0.2.0/28
define ports = { 22, 80 }
define dns = 53
define blocked = { 198.51.100.1, 198.51.100.128/25 }

table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy drop;
		ip saddr $blocked counter drop
		ip saddr $trusted tcp dport $ports accept
		udp dport $dns counter accept
		ip saddr 192.0.2.200 counter packets 10 bytes 600 accept
	}
}
%%
device veth0 ip saddr 192.0.2.1 tcp dport 22 ; accept ; 11
device veth0 ip saddr 192.0.2.15 tcp dport 80 ; accept ; 11
device veth0 ip saddr 192.0.2.16 tcp dport 80 ; drop ; policy
device veth0 ip saddr 192.0.2.1 tcp dport 443 ; drop ; policy
device veth0 ip saddr 192.0.2.1 udp dport 22 ; drop ; policy
device veth0 udp dport 53 ; accept ; 12
device veth0 ip6 saddr 2001:db8::1 udp dport 53 ; accept ; 12
device veth0 ip saddr 198.51.100.1 udp dport 53 ; drop ; 10
device veth0 ip saddr 198.51.100.200 udp dport 53 ; drop ; 10
device veth0 ip saddr 198.51.100.2 udp dport 53 ; accept ; 12
device veth0 ip saddr 192.0.2.200 ; accept ; 13
