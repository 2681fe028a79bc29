#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# fib (the kernel's route lookup, handed to nf_tables with its chain):
# reverse path filtering and address types with traffic.  Namespace a
# sends UDP to b from its own address and from 198.51.100.7, an address b
# has no route back to: `fib saddr . iif oif missing` drops the second,
# `fib daddr type local` accepts the first, `fib daddr oif exists` (no:
# b is the destination) and `fib daddr . iif type` are counted.  The same
# file through nft -f gives the same counts.  Then newer nft's `check`
# (fib saddr . iif check, in a match, a verdict map and a map's
# concatenated key; nft 1.0.6 has no such word) sorts the same traffic.
T_NAME=nftfib
T_TIMEOUT=${T_TIMEOUT:-150}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair
SPOOF=198.51.100.7
in_a ip addr add "$SPOOF/32" dev "$VETH_A" || t_fatal "cannot add $SPOOF to a"

rules=$(t_rules fib.conf <<'EOF2'
table ip t {
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		udp dport 5020 fib saddr . iif oif missing counter drop
		udp dport 5020 fib daddr . iif type local counter
		udp dport 5020 fib daddr oif exists counter
		udp dport 5020 fib daddr type local counter accept
	}
}
EOF2
)
t_udp_server "$NS_B" "$IP_B" 5020

# run: 3 datagrams from the spoofed address (no answer can come), then
# one exchange from a's own; prints the four counters and the answer
run()
{
	local i ok=0 list
	for i in 1 2 3; do
		echo spoof | timeout 5 ip netns exec "$NS_A" socat -u - \
			"UDP4:$IP_B:5020,bind=$SPOOF" 2>/dev/null
	done
	udp_from "$NS_A" "$IP_A" "$IP_B" 5020 && ok=1
	list=$($1 2>&1)
	printf '%s %s %s %s answer=%s\n' \
		"$(list_counter "$list" "missing counter" | cut -d' ' -f1)" \
		"$(list_counter "$list" "iif type local counter" | cut -d' ' -f1)" \
		"$(list_counter "$list" "exists counter" | cut -d' ' -f1)" \
		"$(list_counter "$list" "daddr type local counter" | cut -d' ' -f1)" "$ok"
}

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f fib.conf: $out"
got=$(run "bw_b list ruleset")
# a local destination has no output interface: oif exists never holds
want="3 1 0 1 answer=1"
t_check "rpfilter dropped the 3 spoofed, the rest counted and answered ($got)" test "$got" = "$want"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f fib.conf: $out"
nft_got=$(run "in_b nft list ruleset")
in_b nft flush ruleset
t_check "nft -f of the same file gives the same counts ($nft_got)" test "$nft_got" = "$got"

# bpfwall lists nft 1.0.6's `oif exists` as newer nft does
t_check "fib daddr oif exists is listed as fib daddr check exists" \
	grep -q 'fib daddr check exists counter' <<<"$(bw_b -c -f "$rules" list ruleset 2>&1)"

rules=$(t_rules fibcheck.conf <<'EOF2'
table ip t {
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		udp dport 5020 meta mark set fib saddr . iif check . ct mark map { exists . 0x0 : 0x7, missing . 0x0 : 0x9 }
		udp dport 5020 meta mark 0x9 counter
		udp dport 5020 meta mark 0x7 counter
		udp dport 5020 fib saddr . iif check missing counter
		udp dport 5020 fib saddr . iif check vmap { missing : drop, exists : accept }
		udp dport 5020 counter drop
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f fibcheck.conf: $out"
for i in 1 2 3; do
	echo spoof | timeout 5 ip netns exec "$NS_A" socat -u - \
		"UDP4:$IP_B:5020,bind=$SPOOF" 2>/dev/null
done
ok=0
udp_from "$NS_A" "$IP_A" "$IP_B" 5020 && ok=1
list=$(bw_b list ruleset 2>&1)
got=$(printf '%s %s %s %s answer=%s' \
	"$(list_counter "$list" "0x00000009 counter" | cut -d' ' -f1)" \
	"$(list_counter "$list" "0x00000007 counter" | cut -d' ' -f1)" \
	"$(list_counter "$list" "check missing counter" | cut -d' ' -f1)" \
	"$(list_counter "$list" "dport 5020 counter packets" | cut -d' ' -f1)" "$ok")
t_check "fib ... check: 3 spoofed marked 9 and dropped by the vmap, 1 marked 7 and accepted ($got)" \
	test "$got" = "3 1 3 0 answer=1"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_done
