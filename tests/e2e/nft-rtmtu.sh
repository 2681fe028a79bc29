#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# rt mtu (the MSS of the route's MTU, NFT_RT_TCPMSS) with traffic through
# a router: r's route to b has an MTU of 1300, so rt mtu is 1260; r's
# forward chain (loaded by bpfwall, handed to nf_tables) counts the SYNs
# from a to b whose route says so (`rt mtu 1260`) and clamps their MSS
# with `tcp option maxseg size set rt mtu`; b counts, with nft itself, the
# SYNs that arrive with an MSS of 1260 (a sent 1460).  The same file
# through nft -f gives the same counts.
T_NAME=nftrtmtu
T_TIMEOUT=${T_TIMEOUT:-120}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (b's counter)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_router
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
ip -n "$NS_R" route replace 198.51.100.0/24 dev "$VETH_RB" mtu 1300 ||
	t_fatal "cannot set the MTU of r's route to b"

rules=$(t_rules rtmtu.conf <<'EOF2'
table inet t {
	chain forward {
		type filter hook forward priority filter; policy accept;
		tcp dport 5202 tcp flags syn rt mtu 1260 counter
		tcp dport 5202 tcp flags syn tcp option maxseg size set rt mtu
	}
}
EOF2
)
# b's counters, loaded anew for each run
load_obs()
{
	in_b nft delete table inet obs >/dev/null 2>&1
	in_b nft -f - <<'EOF2' || t_fatal "cannot load b's counter"
table inet obs {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 5202 tcp flags syn tcp option maxseg size 1260 counter
		tcp dport 5202 tcp flags syn tcp option maxseg size 1460 counter
	}
}
EOF2
}
t_tcp_server "$NS_B" "$IP_B" 5202

# run LIST: 3 connections; "OK SEEN-AT-R MSS1260-AT-B MSS1460-AT-B"
run()
{
	local i ok=0 list b
	load_obs
	for i in 1 2 3; do
		out=$(timeout 5 ip netns exec "$NS_A" socat -u "TCP4:$IP_B:5202,connect-timeout=2" - 2>/dev/null)
		[ "$out" = "bw-hello 5202" ] && ok=$((ok + 1))
	done
	list=$($1 2>&1)
	b=$(in_b nft list table inet obs 2>&1)
	printf '%s %s %s %s\n' "$ok" \
		"$(list_counter "$list" "rt mtu 1260 counter" | cut -d' ' -f1)" \
		"$(printf '%s\n' "$b" | sed -n 's/.*maxseg size 1260 counter packets \([0-9]*\).*/\1/p')" \
		"$(printf '%s\n' "$b" | sed -n 's/.*maxseg size 1460 counter packets \([0-9]*\).*/\1/p')"
}

out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f rtmtu.conf: $out"
got=$(run "bw_r list ruleset")
read -r ok seen c1260 c1460 <<<"$got"
t_check "three connections through r work ($ok)" test "$ok" = 3
t_check "r: rt mtu 1260 counted the SYNs (${seen:-none})" test "${seen:-0}" -ge 3
t_check "b: those SYNs arrive with an MSS of 1260 (${c1260:-none})" test "${c1260:-x}" = "${seen:-y}"
t_check "b: none with 1460 (${c1460:-none})" test "${c1460:-x}" = 0
out=$(bw_r flush ruleset 2>&1) || t_bad "flush: $out"
out=$(in_r nft -f "$rules" 2>&1) || t_fatal "nft -f rtmtu.conf: $out"
nft_got=$(run "in_r nft list ruleset")
in_r nft delete table inet t
t_check "nft -f of the same file gives the same counts ($nft_got)" test "$nft_got" = "$got"
t_done
