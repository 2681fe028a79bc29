#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dup (the kernel's nft_dup_ipv4, handed to nf_tables with its chain):
# namespace a sends UDP datagrams to b; a's output chain duplicates each
# to 198.51.100.2 through a's veth (a's route and neighbour entry for it
# name b's end), so b receives every datagram twice: b's nft counts them
# at prerouting.  Without the rule, once; with the address from a map,
# twice again; the same file through nft -f in a gives the same count.  A
# device that does not exist is an error at load, the running ruleset
# stays.
T_NAME=nftdup
T_TIMEOUT=${T_TIMEOUT:-150}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair
GW=198.51.100.2
in_a ip route add "$GW/32" dev "$VETH_A" || t_fatal "cannot add a route to $GW in a"
in_a ip neigh replace "$GW" lladdr "$MAC_B" dev "$VETH_A" nud permanent ||
	t_fatal "cannot add a neighbour entry for $GW in a"

in_b nft -f - <<'EOF2' || t_fatal "cannot load b's counting rules"
table ip count {
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		udp dport 5040 counter
	}
}
EOF2

rules=$(t_rules dup.conf <<'EOF2'
table ip t {
	chain out {
		type filter hook output priority filter; policy accept;
		udp dport 5040 dup to 198.51.100.2 device "@VETH_A@"
	}
}
EOF2
)
maprules=$(t_rules dupmap.conf <<'EOF2'
table ip t {
	chain out {
		type filter hook output priority filter; policy accept;
		udp dport 5040 dup to ip daddr map { 192.0.2.2 : 198.51.100.2 } device "@VETH_A@"
	}
}
EOF2
)
badrules=$(t_rules dupbad.conf <<'EOF2'
table ip t {
	chain out {
		type filter hook output priority filter; policy accept;
		udp dport 5040 dup to 198.51.100.2 device "bwtnosuch0"
	}
}
EOF2
)

# count: b's counter (packets)
count()
{
	in_b nft list ruleset | sed -n 's/.*udp dport 5040 counter packets \([0-9]*\).*/\1/p'
}

# send N: N datagrams from a to b (one way); prints b's count after
# them, minus before, once it has settled (bounded)
send()
{
	local before after i
	before=$(count)
	for i in $(seq 1 "$1"); do
		echo "dup $i" | timeout 5 ip netns exec "$NS_A" socat -u - \
			"UDP4:$IP_B:5040,bind=$IP_A" 2>/dev/null
	done
	for i in $(seq 1 50); do
		after=$(count)
		[ "$((after - before))" -ge "$(($1 * 2))" ] && break
		sleep 0.1
	done
	echo "$((after - before))"
}

got=$(send 3)
t_check "no dup rule: b counts each datagram once ($got of 3)" test "$got" = 3
out=$(bw_a -f "$rules" 2>&1) || t_fatal "bpfwall -f dup.conf: $out"
t_check "the dup rule is in a's nf_tables, as written" \
	grep -qF "dup to 198.51.100.2 device \"$VETH_A\"" <<<"$(in_a nft list ruleset)"
got=$(send 3)
t_check "dup to $GW device $VETH_A: b counts each datagram twice ($got of 3)" test "$got" = 6
out=$(bw_a -f "$badrules" 2>&1)
t_check "a device that does not exist: the load fails" test $? -ne 0
t_check "... saying which ($out)" grep -qF 'interface "bwtnosuch0" does not exist' <<<"$out"
got=$(send 2)
t_check "... and the running ruleset stays ($got of 2)" test "$got" = 4
out=$(bw_a -f "$maprules" 2>&1) || t_fatal "bpfwall -f dupmap.conf: $out"
got=$(send 3)
t_check "dup to ip daddr map { ... }: twice again ($got of 3)" test "$got" = 6
out=$(bw_a flush ruleset 2>&1) || t_fatal "flush: $out"
got=$(send 3)
t_check "after flush ruleset: once ($got of 3)" test "$got" = 3
out=$(in_a nft -f "$rules" 2>&1) || t_fatal "nft -f dup.conf: $out"
got=$(send 3)
in_a nft flush ruleset
t_check "nft -f of the same file: twice too ($got of 3)" test "$got" = 6
t_done
