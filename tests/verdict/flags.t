# tcp flags, with nft's meaning of each form
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 1 tcp flags syn drop
		tcp dport 2 tcp flags & (syn|ack) == syn drop
		tcp dport 3 tcp flags & (fin|syn|rst|ack) == syn drop
		tcp dport 4 tcp flags & (syn | ack) != syn drop
		tcp dport 5 tcp flags { syn, ack } drop
		tcp dport 6 tcp flags != syn drop
		tcp dport 7 tcp flags fin,rst drop
	}
}
%%
# "tcp flags syn": the SYN bit is set
device veth0 tcp dport 1 tcp flags syn ; drop ; 5
device veth0 tcp dport 1 tcp flags syn|ack ; drop ; 5
device veth0 tcp dport 1 tcp flags syn|fin ; drop ; 5
device veth0 tcp dport 1 tcp flags ack ; accept ; policy
device veth0 tcp dport 1 tcp flags fin|rst|psh|ack|urg ; accept ; policy
device veth0 udp dport 1 ; accept ; policy
# masked compare
device veth0 tcp dport 2 tcp flags syn ; drop ; 6
device veth0 tcp dport 2 tcp flags syn|fin ; drop ; 6
device veth0 tcp dport 2 tcp flags syn|ack ; accept ; policy
device veth0 tcp dport 2 tcp flags ack ; accept ; policy
# pure SYN
device veth0 tcp dport 3 tcp flags syn ; drop ; 7
device veth0 tcp dport 3 tcp flags syn|psh ; drop ; 7
device veth0 tcp dport 3 tcp flags syn|fin ; accept ; policy
device veth0 tcp dport 3 tcp flags syn|ack ; accept ; policy
# masked !=
device veth0 tcp dport 4 tcp flags ack ; drop ; 8
device veth0 tcp dport 4 tcp flags syn|ack ; drop ; 8
device veth0 tcp dport 4 tcp flags syn ; accept ; policy
device veth0 tcp dport 4 tcp flags syn|fin ; accept ; policy
# a set of flag values compares the whole byte (nft: set lookup)
device veth0 tcp dport 5 tcp flags syn ; drop ; 9
device veth0 tcp dport 5 tcp flags ack ; drop ; 9
device veth0 tcp dport 5 tcp flags syn|ack ; accept ; policy
device veth0 tcp dport 5 tcp flags ack|psh ; accept ; policy
# "tcp flags != syn" compares the whole byte too (nft: cmp neq 0x02)
device veth0 tcp dport 6 tcp flags syn ; accept ; policy
device veth0 tcp dport 6 tcp flags syn|ack ; drop ; 10
device veth0 tcp dport 6 tcp flags ack ; drop ; 10
# "tcp flags fin,rst": either bit set
device veth0 tcp dport 7 tcp flags fin ; drop ; 11
device veth0 tcp dport 7 tcp flags rst|ack ; drop ; 11
device veth0 tcp dport 7 tcp flags syn|ack ; accept ; policy
