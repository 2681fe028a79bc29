# set timeouts of single elements (192.0.2.1 timeout 1s: its own, else
# the set's, else never), a verdict map with a timeout (the lookup keeps
# the element's verdict past the expiry check), an interval set with a
# timeout (its elements in an LPM trie), and a statement's timeout in an
# inet input chain (BPF at the netfilter hook, and at XDP in the other
# pass).  `sleep T`: see settimeout.t; an element is looked at well
# within (0.8 s) or well past its time.
table inet t {
	set own {
		type ipv4_addr
		flags timeout
		elements = { 192.0.2.1 timeout 1s, 192.0.2.2 }
	}
	map vm {
		type ipv4_addr : verdict
		timeout 2s
		elements = { 192.0.2.3 : drop }
	}
	set iv {
		type ipv4_addr
		flags interval
		timeout 2s
		elements = { 198.51.100.0/24 }
	}
	set seen {
		type ipv4_addr
		flags timeout
	}
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr @own udp dport 7 drop
		udp dport 8 ip saddr vmap @vm
		ip saddr @iv udp dport 9 drop
		ip saddr @seen udp dport 10 drop
		udp dport 10 add @seen { ip saddr timeout 1s }
	}
}
%%
# at 0 s
device veth0 ip saddr 192.0.2.1 udp dport 7 ; drop ; 31
device veth0 ip saddr 192.0.2.2 udp dport 7 ; drop ; 31
device veth0 ip saddr 192.0.2.3 udp dport 8 ; drop ; 32
device veth0 ip saddr 198.51.100.7 udp dport 9 ; drop ; 33
device veth0 ip saddr 192.0.2.5 udp dport 10 ; accept ; policy
device veth0 ip saddr 192.0.2.5 udp dport 10 ; drop ; 34
sleep 1200ms
# at 1.2 s: the 1 s elements have expired, the 2 s ones and the one
# without a timeout not
device veth0 ip saddr 192.0.2.1 udp dport 7 ; accept ; policy
device veth0 ip saddr 192.0.2.2 udp dport 7 ; drop ; 31
device veth0 ip saddr 192.0.2.3 udp dport 8 ; drop ; 32
device veth0 ip saddr 198.51.100.7 udp dport 9 ; drop ; 33
device veth0 ip saddr 192.0.2.5 udp dport 10 ; accept ; policy
sleep 1200ms
# at 2.4 s: the set's and the map's 2 s have passed too
device veth0 ip saddr 192.0.2.3 udp dport 8 ; accept ; policy
device veth0 ip saddr 198.51.100.7 udp dport 9 ; accept ; policy
device veth0 ip saddr 192.0.2.2 udp dport 7 ; drop ; 31
