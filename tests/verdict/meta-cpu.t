# meta cpu in netdev chains, run in BPF: the CPU the program runs on
# (bpf_get_smp_processor_id), as nf_tables' meta cpu is where the packet
# is processed.  The runner runs the kernel's programs on CPU 0 and
# gives the interpreter CPU 0 (the nft differential over veth, where the
# CPU is any, leaves this file out).
table netdev t {
	chain in {
		type filter hook ingress device "veth1" priority 0; policy accept;
		udp dport 1 meta cpu 0 drop
		udp dport 2 meta cpu != 0 drop
		udp dport 3 meta cpu { 1-3, 5-7 } drop
		udp dport 4 meta cpu 0-1023 counter drop
		udp dport 5 meta cpu > 0 drop
	}
	chain out {
		type filter hook egress device "veth1" priority 0; policy accept;
		udp dport 6 meta cpu != { 0, 2 } drop
		udp dport 7 meta cpu lt 1 drop
	}
}
%%
device veth1 udp dport 1 ; drop ; 9
device veth1 udp dport 2 ; accept ; policy
device veth1 udp dport 3 ; accept ; policy
device veth1 udp dport 4 ; drop ; 12
device veth1 udp dport 5 ; accept ; policy
egress device veth1 udp dport 6 ; accept ; policy
egress device veth1 udp dport 7 ; drop ; 18
