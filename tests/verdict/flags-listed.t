# tcp flags in the forms `list ruleset` rewrites (value / mask, a masked
# compare without an operator, a mask against zero): each keeps its
# meaning when listed in nft's form and loaded again (the relist pass)
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 1 tcp flags fin,syn / fin,syn drop
		tcp dport 2 tcp flags != syn / fin,syn drop
		tcp dport 3 tcp flags & (syn | ack) == 0 drop
		tcp dport 4 tcp flags & (syn | ack) != 0 drop
		tcp dport 5 tcp flags & (fin | syn | rst | ack) syn drop
		tcp dport 6 tcp flags & (fin | syn | rst | psh | ack | urg | ecn | cwr) == fin | syn | rst | psh | ack | urg | ecn | cwr drop
		tcp dport 7 tcp flags & (fin | syn | rst | psh | ack | urg | ecn | cwr) != syn drop
	}
}
%%
# fin and syn both set, whatever else
device veth0 tcp dport 1 tcp flags fin|syn ; drop ; 7
device veth0 tcp dport 1 tcp flags fin|syn|ack ; drop ; 7
device veth0 tcp dport 1 tcp flags syn ; accept ; policy
device veth0 tcp dport 1 tcp flags fin ; accept ; policy
# of fin and syn, not syn alone
device veth0 tcp dport 2 tcp flags syn ; accept ; policy
device veth0 tcp dport 2 tcp flags syn|ack ; accept ; policy
device veth0 tcp dport 2 tcp flags fin|syn ; drop ; 8
device veth0 tcp dport 2 tcp flags ack ; drop ; 8
# neither syn nor ack
device veth0 tcp dport 3 tcp flags fin ; drop ; 9
device veth0 tcp dport 3 tcp flags rst|psh ; drop ; 9
device veth0 tcp dport 3 tcp flags syn ; accept ; policy
device veth0 tcp dport 3 tcp flags ack|fin ; accept ; policy
# syn or ack
device veth0 tcp dport 4 tcp flags ack ; drop ; 10
device veth0 tcp dport 4 tcp flags syn|ack ; drop ; 10
device veth0 tcp dport 4 tcp flags fin ; accept ; policy
# of fin, syn, rst, ack: syn alone
device veth0 tcp dport 5 tcp flags syn ; drop ; 11
device veth0 tcp dport 5 tcp flags syn|psh ; drop ; 11
device veth0 tcp dport 5 tcp flags syn|ack ; accept ; policy
# every flag, exactly
device veth0 tcp dport 6 tcp flags fin|syn|rst|psh|ack|urg|ecn|cwr ; drop ; 12
device veth0 tcp dport 6 tcp flags fin|syn|rst|psh|ack|urg|ecn ; accept ; policy
# anything but syn alone
device veth0 tcp dport 7 tcp flags syn ; accept ; policy
device veth0 tcp dport 7 tcp flags syn|ack ; drop ; 13
