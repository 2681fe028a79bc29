#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# tproxy and synproxy in nf_tables, with traffic.  Namespace b has
# transparent listeners (IP_TRANSPARENT, socat's transparent option) on
# port 6001 of its IPv4 and IPv6 addresses, and nothing on 6000: a
# connection from a to b port 6000 fails until b's prerouting chain
# hands it to the 6001 listener (tproxy ip to :6001, tproxy ip6 to
# [ADDR]:6001), which answers; after a flush it fails again.  b's input
# chain answers SYNs to ports 7000 and 7001 (where nothing listens, so
# the stack would reset) with synproxy's cookie SYN-ACK, whose MSS and
# window scale are the statement's, or the synproxy object's the rule
# names (tcpdump in a sees them).  The same file through nft -f gives
# the same results.
T_NAME=nfttproxy
T_TIMEOUT=${T_TIMEOUT:-150}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules tproxy.conf <<EOF2
table inet t {
	synproxy sp {
		mss 1300
		wscale 4
		timestamp sack-perm
	}

	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 6000 counter tproxy ip to :6001
		tcp dport 6000 counter tproxy ip6 to [$IP6_B]:6001
	}

	chain in {
		type filter hook input priority filter; policy accept;
		tcp dport 7000 counter synproxy mss 1234 wscale 5 timestamp sack-perm
		tcp dport 7001 synproxy name "sp"
	}
}
EOF2
)

# transparent listeners: socat's "transparent" sets IP_TRANSPARENT
for la in "TCP4-LISTEN:6001,bind=$IP_B" "TCP6-LISTEN:6001,bind=[$IP6_B]"; do
	timeout 100 ip netns exec "$NS_B" socat "$la,transparent,fork,reuseaddr" \
		"SYSTEM:echo bw-hello 6000" >/dev/null 2>&1 &
	T_PIDS+=($!)
done
for i in $(seq 1 50); do
	[ "$(in_b ss -Hltn 2>/dev/null | grep -cF ':6001 ')" -ge 2 ] && break
	sleep 0.1
done
[ "$(in_b ss -Hltn 2>/dev/null | grep -cF ':6001 ')" -ge 2 ] ||
	t_fatal "the transparent listeners did not start"

# "4:1 6:1": IPv4 and IPv6 connections to b port 6000 answered
proxied()
{
	local r4=0 r6=0
	tcp_from "$NS_A" "$IP_A" "$IP_B" 6000 1 && r4=1
	tcp_from "$NS_A" "$IP6_A" "$IP6_B" 6000 1 && r6=1
	printf '4:%s 6:%s' "$r4" "$r6"
}

# The options of the SYN-ACK b sends back to a SYN to PORT, as
# tcpdump prints them ("mss 1234,sackOK,TS ...,nop,wscale 5"), or
# nothing.  Bounded: tcpdump stops after one packet or 8 s; the SYN goes
# once tcpdump says it listens (3 s at most).
synack()
{
	local port=$1 cap=$T_DIR/synack.txt i
	rm -f "$cap" "$cap.err"
	timeout 8 ip netns exec "$NS_A" tcpdump -l -n -v -c 1 -i "$VETH_A" \
		"tcp src port $port and "'tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)' \
		>"$cap" 2>"$cap.err" &
	local pid=$!
	for i in $(seq 1 30); do
		grep -q listening "$cap.err" 2>/dev/null && break
		sleep 0.1
	done
	tcp_from "$NS_A" "$IP_A" "$IP_B" "$port" 1 >/dev/null 2>&1
	wait "$pid" 2>/dev/null
	sed -n 's/.*options \[\([^]]*\)\].*/\1/p' "$cap" | head -n 1
}

t_check "nothing listens on b port 6000 without the rules" test "$(proxied)" = "4:0 6:0"
have_tcpdump=0
command -v tcpdump >/dev/null 2>&1 && have_tcpdump=1
if [ $have_tcpdump = 1 ]; then
	t_check "without synproxy, no SYN-ACK comes from port 7000" test -z "$(synack 7000)"
fi

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f tproxy.conf: $out"
got=$(proxied)
t_check "tproxy hands b port 6000 to the transparent listeners ($got)" test "$got" = "4:1 6:1"
if [ $have_tcpdump = 1 ]; then
	opts=$(synack 7000)
	case $opts in
	*"mss 1234"*"wscale 5"*) t_ok "synproxy answers the SYN: $opts" ;;
	*) t_bad "no SYN-ACK with mss 1234 and wscale 5 from synproxy (${opts:-none})" ;;
	esac
	oopts=$(synack 7001)
	case $oopts in
	*"mss 1300"*"wscale 4"*) t_ok "the synproxy object answers the SYN: $oopts" ;;
	*) t_bad "no SYN-ACK with mss 1300 and wscale 4 from the synproxy object (${oopts:-none})" ;;
	esac
else
	echo "note: no tcpdump: synproxy's SYN-ACK not checked, its counter only"
	tcp_from "$NS_A" "$IP_A" "$IP_B" 7000 1 >/dev/null 2>&1
fi
list=$(bw_b list ruleset 2>&1)
c=$(list_counter "$list" "tproxy ip to :6001" | cut -d' ' -f1)
t_check "the IPv4 tproxy rule counted packets (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "synproxy mss 1234" | cut -d' ' -f1)
t_check "the synproxy rule counted the SYN (${c:-none})" test "${c:-0}" -ge 1
nftlist=$(in_b nft list ruleset 2>&1)
case $nftlist in
*"synproxy sp"*"tproxy ip to :6001"*"tproxy ip6 to [$IP6_B]:6001"*"synproxy mss 1234 wscale 5 timestamp sack-perm"*"synproxy name \"sp\""*)
	t_ok "nft lists the tproxy and synproxy rules in bpfwall's table" ;;
*) t_bad "nft does not list the rules: $nftlist" ;;
esac
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "nft lists nothing after the flush" test -z "$(in_b nft list ruleset 2>&1)"
t_check "after the flush nothing answers on port 6000 again" test "$(proxied)" = "4:0 6:0"

out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f tproxy.conf: $out"
nft_got=$(proxied)
t_check "nft -f of the same file gives the same results ($nft_got)" test "$nft_got" = "$got"
if [ $have_tcpdump = 1 ]; then
	nft_opts=$(synack 7000)
	t_check "nft's synproxy sends the same options (${nft_opts:-none})" \
		test "${nft_opts%%TS*}" = "${opts%%TS*}" -a "${nft_opts##*nop,}" = "${opts##*nop,}"
fi
in_b nft flush ruleset
t_done
