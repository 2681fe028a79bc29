#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Chains of type nat, handed to the kernel's nf_tables in bpfwall's table
# (compiler/front/nat.c, compiler/nft/nft_nat.c), with real traffic through a
# router: namespace r routes between a (192.0.2.0/24) and b
# (198.51.100.0/24) and loads one file with a filter forward chain (BPF,
# at the netfilter hook) and a nat table:
#   - dnat: a → r:8080 reaches b's port 80; a → r:8090-8091 b's 81
#     (a port range); UDP a → r:5300 reaches b's 53
#   - redirect: a → 203.0.113.50:9000 (routed towards r) lands on r's
#     own port 9999
#   - snat: what a's second address sends to b leaves r from
#     198.51.100.253; masquerade: everything else from r's 198.51.100.254
#     (b's server answers with the peer address it saw)
#   - the forward chain (BPF) sees the translated destination: it
#     accepts b:80 and b:81 only, so b:82 dropped
# `bpfwall list ruleset` prints the file in nft's form, with the nat
# rules' counters; `nft list ruleset` in r shows the same chains in table
# bpfwall; a nat chain in the file keeps input drops off XDP (no
# hoisting: the input chain must see addresses after NAT).  Then flush:
# no translation is left.  Then the same file through `nft -f`: every
# flow gives the same result (nft as the oracle).
T_NAME=nftnat
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
IP_RB2=198.51.100.253
ip -n "$NS_R" addr add "$IP_RB2/24" dev "$VETH_RB"
REDIR=203.0.113.50

rules=$(t_rules nat.conf <<EOF2
table inet filter {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 7777 counter drop
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		ct state established,related accept
		ip daddr $IP_B tcp dport { 80, 81, 7000 } counter accept
		ip daddr $IP_B udp dport 53 counter accept
	}
}
table ip nat {
	chain pre {
		type nat hook prerouting priority dstnat; policy accept;
		ip daddr $IP_RA tcp dport 8080 counter dnat to $IP_B:80
		ip daddr $IP_RA tcp dport 8090-8091 dnat to $IP_B:81
		ip daddr $IP_RA tcp dport 8092 dnat to $IP_B:82
		ip daddr $IP_RA udp dport 5300 counter dnat to $IP_B:53
		ip daddr $REDIR tcp dport 9000 counter redirect to :9999
	}
	chain post {
		type nat hook postrouting priority srcnat; policy accept;
		oifname "$VETH_RB" ip saddr $IP_A2 counter snat to $IP_RB2
		oifname "$VETH_RB" counter masquerade random
	}
}
EOF2
)

ip -n "$NS_A" route add "$REDIR/32" via "$IP_RA"
t_tcp_server "$NS_B" "$IP_B" 80
t_tcp_server "$NS_B" "$IP_B" 81
t_tcp_server "$NS_B" "$IP_B" 82
t_tcp_server "$NS_R" "$IP_RA" 9999
t_udp_server "$NS_B" "$IP_B" 53
# b's port 7000 answers with the address it saw the connection from
timeout 100 ip netns exec "$NS_B" socat "TCP4-LISTEN:7000,bind=$IP_B,fork,reuseaddr" \
	'SYSTEM:echo peer $SOCAT_PEERADDR' >/dev/null 2>&1 &
T_PIDS+=($!)
for _ in $(seq 1 50); do
	in_b ss -Hltn 2>/dev/null | grep -qF " $IP_B:7000 " && break
	sleep 0.1
done

# tcp_greets NS SRC DST PORT WANT: the greeting of port WANT comes back
tcp_greets()
{
	local out
	out=$(timeout 5 ip netns exec "$1" socat -u \
		"TCP4:$3:$4,bind=$2,connect-timeout=2" - 2>/dev/null) || return 1
	[ "$out" = "bw-hello $5" ]
}
# udp_greets NS SRC DST PORT WANT
udp_greets()
{
	local out
	out=$(echo ping | timeout 8 ip netns exec "$1" socat -t 5 -T 5 - \
		"UDP4:$3:$4,bind=$2" 2>/dev/null) || return 1
	[ "$out" = "bw-hello $5" ]
}
# peer_is SRC WANT: b saw a's connection from SRC come from WANT
peer_is()
{
	local out
	out=$(timeout 5 ip netns exec "$NS_A" socat -u \
		"TCP4:$IP_B:7000,bind=$1,connect-timeout=2" - 2>/dev/null) || return 1
	[ "$out" = "peer $2" ]
}

FLOWS=(
	"dnat-8080 1 tcp_greets $NS_A $IP_A $IP_RA 8080 80"
	"dnat-range-8091 1 tcp_greets $NS_A $IP_A $IP_RA 8091 81"
	"dnat-8092-forward-drop 0 tcp_greets $NS_A $IP_A $IP_RA 8092 82"
	"dnat-udp-5300 1 udp_greets $NS_A $IP_A $IP_RA 5300 53"
	"redirect-9000 1 tcp_greets $NS_A $IP_A $REDIR 9000 9999"
	"masquerade 1 peer_is $IP_A $IP_RB"
	"snat-a2 1 peer_is $IP_A2 $IP_RB2"
	"no-nat-direct-81 1 tcp_greets $NS_A $IP_A $IP_B 81 81"
)

xdp_on()
{
	in_r ip -d link show dev "$1" | grep -q 'prog/xdp'
}

out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f nat.conf: $out"
t_check "a nat chain in the file: no input drops hoisted to XDP on $VETH_RA" \
	eval '! xdp_on "$VETH_RA"'
bw_results=$(t_flows)
t_flows_as_said bpfwall "$bw_results"

list=$(bw_r list ruleset 2>&1)
for line in "type nat hook prerouting priority dstnat; policy accept;" \
	"type nat hook postrouting priority srcnat; policy accept;" \
	"ip daddr $IP_RA tcp dport 8090-8091 dnat to $IP_B:81" \
	"ip daddr $REDIR tcp dport 9000 counter packets" \
	"redirect to :9999" \
	"oifname \"$VETH_RB\" ip saddr $IP_A2 counter packets" \
	"snat to $IP_RB2" \
	"masquerade random"; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
c=$(list_counter "$list" "tcp dport 8080 counter" | cut -d' ' -f1)
t_check "the dnat rule counted the connection's first packet (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "udp dport 5300 counter" | cut -d' ' -f1)
t_check "the UDP dnat rule counted (${c:-none})" test "${c:-0}" -ge 1
nftlist=$(in_r nft list table ip bpfwall 2>&1)
case $nftlist in
*"dnat to $IP_B:80"*"redirect to :9999"*"masquerade random"*)
	t_ok "nft lists bpfwall's nat chains in table ip bpfwall" ;;
*) t_bad "nft does not list the nat chains: $nftlist" ;;
esac
case $(in_r nft list ruleset) in
*"table inet filter"*|*"table ip nat"*) t_bad "nf_tables holds a table of the file's names" ;;
*) t_ok "nf_tables holds only bpfwall's table" ;;
esac

# a reload keeps the translation of an established flow working
out=$(bw_r -f "$rules" 2>&1) || t_fatal "reload: $out"
t_check "after a reload: dnat to b:80 still" tcp_greets "$NS_A" "$IP_A" "$IP_RA" 8080 80

out=$(bw_r flush ruleset 2>&1) || t_fatal "flush: $out"
t_check_not "after flush: no dnat (r:8080 has no server)" \
	tcp_greets "$NS_A" "$IP_A" "$IP_RA" 8080 80
t_check "after flush: nf_tables has no bpfwall table" \
	eval '! in_r nft list table ip bpfwall >/dev/null 2>&1'

# a nat statement that a filter chain reaches by a jump: an error at -c
bad=$(t_rules natjump.conf <<'EOF2'
table ip t {
	chain f {
		type filter hook prerouting priority 0;
		tcp dport 1 jump u
	}
	chain u {
		dnat to 192.0.2.2
	}
}
EOF2
)
out=$(bw_r -c -f "$bad" 2>&1)
t_check "-c refuses dnat reached from a filter chain" test $? = 1
case $out in
*"natjump.conf:7:3-19: Error: dnat is only valid in chains of type nat (base chain f, of type filter, reaches it)"*)
	t_ok "... with a caret at the dnat" ;;
*) t_bad "-c of natjump.conf said: $out" ;;
esac

# the same file without its nat table: the input drop is hoisted again
nonat=$(sed '/^table ip nat {/,$d' "$rules" | t_rules nonat.conf)
out=$(bw_r -f "$nonat" 2>&1) || t_fatal "bpfwall -f nonat.conf: $out"
t_check "without the nat table: the input drops are hoisted to XDP on $VETH_RA" \
	xdp_on "$VETH_RA"
out=$(bw_r flush ruleset 2>&1) || t_fatal "flush: $out"

# the oracle: the same file in nft
t_flows_nft_oracle "$rules" "flow" "$bw_results"
t_done
