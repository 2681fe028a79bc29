#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A router, checked against real nft in the same topology: namespace r
# routes between a and b (tests/lib/bwtest.sh t_setup_router).  One
# ruleset with prerouting, input, forward, output and postrouting chains
# (counters, drops by address and port, ct state in input and forward,
# policy drop on input and forward, drops on output and postrouting) is
# loaded in r by bpfwall, and a battery of flows is tried: TCP, UDP and
# ICMP, a → b forwarded, a → r and b → r for r, r → b from r, b → a (not
# the reply to a flow a opened).  Then bpfwall's ruleset is flushed, the
# same file is loaded with `nft -f`, and the battery is tried again.  The
# two result vectors must be equal, and equal to what the ruleset says.
#
# In both runs a separate nft table (ip nat) in r DNATs a → r:8080 to
# b:80 and a → r:8081 to b:81: the forward chain must see the translated
# destination (it accepts b:80, drops b:81, and drops r:8080 by its
# policy), the input chain must not see those flows at all (it drops
# port 8080 and counts it), the prerouting chain (priority mangle,
# before DNAT) sees r:8080.  The counters of those rules must be zero or
# not alike in `bpfwall list ruleset` and `nft list ruleset`.
T_NAME=router
T_TIMEOUT=${T_TIMEOUT:-240}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

rules=$(t_rules filter.conf <<EOF2
table inet filter {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip daddr $IP_RA tcp dport 8080 counter comment "pre-8080"
		ip saddr $IP_A2 udp dport 53 counter drop comment "pre-a2-53"
	}
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related counter accept comment "in-est"
		tcp dport 8080 counter drop comment "in-8080"
		ip saddr $IP_A2 tcp dport 22 counter drop comment "in-a2-22"
		tcp dport 22 counter accept comment "in-22"
		udp dport 53 counter accept comment "in-53"
		meta l4proto { icmp, ipv6-icmp } accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related counter accept comment "fw-est"
		ip saddr $IP_A2 counter drop comment "fw-a2"
		ip daddr $IP_B tcp dport 80 counter accept comment "fw-b-80"
		ip daddr $IP_B tcp dport 81 counter drop comment "fw-b-81"
		ip6 daddr $IP6_B tcp dport 80 counter accept comment "fw6-b-80"
		udp dport 53 counter accept comment "fw-53"
		iifname "$VETH_RA" icmp type echo-request counter accept comment "fw-ping"
		icmpv6 type echo-request counter accept comment "fw-ping6"
	}
	chain output {
		type filter hook output priority filter; policy accept;
		ip daddr $IP_B tcp dport 5555 counter drop comment "out-5555"
		ip daddr $IP_B udp dport 5556 counter drop comment "out-5556"
	}
	chain post {
		type filter hook postrouting priority filter; policy accept;
		ip daddr $IP_B tcp dport 80 counter comment "post-b-80"
		ip daddr $IP_B tcp dport 5557 counter drop comment "post-5557"
	}
}
EOF2
)
nat=$(t_rules nat.conf <<EOF2
table ip nat {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr $IP_RA tcp dport 8080 dnat to $IP_B:80
		ip daddr $IP_RA tcp dport 8081 dnat to $IP_B:81
	}
}
EOF2
)

# the servers: each TCP one greets with its own port
for p in 80 81 82 5555 5557; do
	t_tcp_server "$NS_B" 0.0.0.0 "$p"
done
t_tcp_server "$NS_B" "$IP6_B" 80
t_tcp_server "$NS_B" "$IP6_B" 81
t_tcp_server "$NS_A" 0.0.0.0 80
for p in 22 23 8080; do
	t_tcp_server "$NS_R" 0.0.0.0 "$p"
done
for p in 53 54 5556; do
	t_udp_server "$NS_B" "$IP_B" "$p"
done
t_udp_server "$NS_R" "$IP_RA" 53
t_udp_server "$NS_R" "$IP_RA" 54

# tcp_greets NS SRC DST PORT WANT: a connection (2 s at most) that is
# greeted by the server on port WANT (after DNAT, not PORT's).
tcp_greets()
{
	local ns=$1 src=$2 dst=$3 port=$4 want=$5 out
	out=$(timeout 5 ip netns exec "$ns" socat -u \
		"TCP4:$dst:$port,bind=$src,connect-timeout=2" - 2>/dev/null) || return 1
	[ "$out" = "bw-hello $want" ]
}

# The battery: NAME EXPECTED CHECK...  (EXPECTED: what the ruleset says,
# 1 delivered, 0 not).
FLOWS=(
	"fwd-tcp 1 tcp_from $NS_A $IP_A $IP_B 80"
	"fwd-tcp-a2 0 tcp_from $NS_A $IP_A2 $IP_B 80"
	"fwd-tcp-81-dropped 0 tcp_from $NS_A $IP_A $IP_B 81 1"
	"fwd-tcp-82-policy 0 tcp_from $NS_A $IP_A $IP_B 82 1"
	"fwd-udp-53 1 udp_from $NS_A $IP_A $IP_B 53"
	"fwd-udp-53-a2-pre 0 udp_from $NS_A $IP_A2 $IP_B 53"
	"fwd-udp-54-policy 0 udp_from $NS_A $IP_A $IP_B 54"
	"fwd-ping 1 ping_from $NS_A $IP_A $IP_B"
	"fwd-ping-a2 0 ping_from $NS_A $IP_A2 $IP_B"
	"fwd-tcp6 1 tcp_from $NS_A $IP6_A $IP6_B 80"
	"fwd-tcp6-81-policy 0 tcp_from $NS_A $IP6_A $IP6_B 81 1"
	"fwd-ping6 1 ping_from $NS_A $IP6_A $IP6_B"
	"rev-tcp-new 0 tcp_from $NS_B $IP_B $IP_A 80 1"
	"rev-ping-new 0 ping_from $NS_B $IP_B $IP_A"
	"dnat-8080-to-b80 1 tcp_greets $NS_A $IP_A $IP_RA 8080 80"
	"dnat-8081-to-b81 0 tcp_greets $NS_A $IP_A $IP_RA 8081 81"
	"in-tcp-22 1 tcp_from $NS_A $IP_A $IP_RA 22"
	"in-tcp-22-a2 0 tcp_from $NS_A $IP_A2 $IP_RA 22 1"
	"in-tcp-23-policy 0 tcp_from $NS_A $IP_A $IP_RA 23 1"
	"in-tcp-22-from-b 1 tcp_from $NS_B $IP_B $IP_RB 22"
	"in-udp-53 1 udp_from $NS_A $IP_A $IP_RA 53"
	"in-udp-53-a2-pre 0 udp_from $NS_A $IP_A2 $IP_RA 53"
	"in-udp-54-policy 0 udp_from $NS_A $IP_A $IP_RA 54"
	"in-ping 1 ping_from $NS_A $IP_A $IP_RA"
	"in-ping6 1 ping_from $NS_A $IP6_A $IP6_RA"
	"out-tcp 1 tcp_from $NS_R $IP_RB $IP_B 80"
	"out-tcp-5555 0 tcp_from $NS_R $IP_RB $IP_B 5555 1"
	"out-tcp-5557-post 0 tcp_from $NS_R $IP_RB $IP_B 5557 1"
	"out-udp-53 1 udp_from $NS_R $IP_RB $IP_B 53"
	"out-udp-5556 0 udp_from $NS_R $IP_RB $IP_B 5556"
	"out-ping 1 ping_from $NS_R $IP_RB $IP_B"
	"out-ping6 1 ping_from $NS_R $IP6_RB $IP6_B"
)

# battery FILE: each flow's result into FILE, "NAME=1" or "NAME=0", one
# per line in the order of FLOWS.  Four flows at a time (each group in
# turn): a dropped UDP datagram costs 5 s of waiting for no answer.
battery()
{
	local g pids=()
	for g in 0 1 2 3; do
		(
			for ((i = g; i < ${#FLOWS[@]}; i += 4)); do
				set -- ${FLOWS[i]}
				name=$1
				shift 2
				if "$@"; then
					echo "$i $name=1"
				else
					echo "$i $name=0"
				fi
			done
		) >"$1.$g" &
		pids+=($!)
		T_PIDS+=($!)
	done
	wait "${pids[@]}"
	cat "$1".[0-3] | sort -n | cut -d ' ' -f 2 >"$1"
}

expected()
{
	local f
	for f in "${FLOWS[@]}"; do
		set -- $f
		echo "$1=$2"
	done
}

# counters TEXT: "COMMENT=0" or "COMMENT=1" (packets counted) for each
# rule with a comment in list ruleset output TEXT.
counters()
{
	printf '%s\n' "$1" | sed -n 's/.*counter packets \([0-9]*\) bytes [0-9]*.*comment "\([^"]*\)".*/\2 \1/p' |
		awk '{ print $1 "=" ($2 > 0 ? 1 : 0) }' | sort
}

# the same, read before anything is loaded: every flow arrives
out=$(in_r nft -f "$nat" 2>&1) || t_fatal "nft -f nat.conf: $out"
t_check "without filter: a → r:8080 is DNATed to b:80" tcp_greets "$NS_A" "$IP_A" "$IP_RA" 8080 80
t_check "without filter: a → b TCP 82 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 82

# --- bpfwall in r
out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f filter.conf: $out"
list=$(bw_r list ruleset 2>&1)
for h in prerouting input forward output postrouting; do
	printf '%s\n' "$list" | grep -q "^# attached: $h netfilter ipv4" &&
		t_ok "bpfwall: the $h chain is at the netfilter hook" ||
		t_bad "bpfwall: no $h chain at the netfilter hook: $list"
done
battery "$T_DIR/bpfwall.vec"
bw_vec=$(cat "$T_DIR/bpfwall.vec")
bw_list=$(bw_r list ruleset 2>&1)
bw_cnt=$(counters "$bw_list")
out=$(bw_r flush ruleset 2>&1) || t_bad "bpfwall flush ruleset: $out"
in_r nft list tables | grep -q "bpfwall" && t_bad "after flush, an nf_tables table of bpfwall's is left"

# --- nft in r, the same file
out=$(in_r nft -f "$rules" 2>&1) || t_fatal "nft -f filter.conf: $out"
battery "$T_DIR/nft.vec"
nft_vec=$(cat "$T_DIR/nft.vec")
nft_list=$(in_r nft list table inet filter 2>&1)
nft_cnt=$(counters "$nft_list")
in_r nft delete table inet filter

want=$(expected)
if [ "$bw_vec" = "$nft_vec" ]; then
	t_ok "bpfwall and nft deliver the same flows ($(printf '%s\n' "$bw_vec" | grep -c '=1$') of ${#FLOWS[@]})"
else
	t_bad "bpfwall and nft deliver different flows"
	paste -d ' ' <(printf '%s\n' "$bw_vec") <(printf '%s\n' "$nft_vec") |
		awk '{ split($1, b, "="); split($2, n, "=");
		       printf "  %-22s bpfwall %s nft %s%s\n", b[1], b[2], n[2], b[2] != n[2] ? "   <- differs" : "" }'
fi
if [ "$nft_vec" = "$want" ]; then
	t_ok "nft delivers what the test expects"
else
	t_bad "nft does not deliver what the test expects"
	paste -d ' ' <(printf '%s\n' "$want") <(printf '%s\n' "$nft_vec") |
		awk '$1 != $2 { print "  expected " $1 ", nft " $2 }'
fi
if [ "$bw_vec" = "$want" ]; then
	t_ok "bpfwall delivers what the test expects"
else
	t_bad "bpfwall does not deliver what the test expects"
	paste -d ' ' <(printf '%s\n' "$want") <(printf '%s\n' "$bw_vec") |
		awk '$1 != $2 { print "  expected " $1 ", bpfwall " $2 }'
fi

# --- the counters: zero or not as nft's, and what the DNAT implies
if [ -n "$bw_cnt" ] && [ "$bw_cnt" = "$nft_cnt" ]; then
	t_ok "the rules bpfwall counted are the rules nft counted ($(echo $bw_cnt))"
else
	t_bad "counters differ: bpfwall: $(echo $bw_cnt); nft: $(echo $nft_cnt)"
fi
for c in pre-8080=1 in-8080=0 fw-b-80=1 fw-b-81=1 post-b-80=1 pre-a2-53=1 \
	post-5557=1 out-5555=1 in-est=1 fw-est=1; do
	printf '%s\n' "$bw_cnt" | grep -qx "$c" && t_ok "bpfwall counter $c" ||
		t_bad "bpfwall counter ${c%=*}: $(printf '%s\n' "$bw_cnt" | grep "^${c%=*}=") (want ${c#*=})"
done
t_done
