#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The ARP header in a netdev table, run in BPF (XDP at ingress, TC at
# egress), with real ARP, against nft -f of the same file.  b has the
# addresses 192.0.2.50, .51 and .52 besides its own; a resolves them
# afresh (its neighbour entry flushed, one ping):
#   .50  resolves (no rule matches)
#   .51  does not: b's ingress drops the requests for it
#   .52  does not: b's egress drops its replies from it
# and b's counters count the requests and replies they dropped (how many
# depends on the kernel's ARP retries: at least one each).
T_NAME=arpnd
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair
for a in 50 51 52; do
	in_b ip addr add "192.0.2.$a/24" dev "$VETH_B" || t_fatal "cannot add 192.0.2.$a in b"
done

rules=$(t_rules arp-netdev.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		arp operation request arp daddr ip 192.0.2.51 counter drop
		arp htype != 1 counter drop
	}
	chain out {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		arp operation reply arp saddr ip 192.0.2.52 arp daddr ip 192.0.2.1 counter drop
	}
}
EOF2
)

# resolve ADDR: a asks for ADDR afresh and pings it (1 s)
resolve()
{
	in_a ip neigh flush dev "$VETH_A" to "$1" 2>/dev/null
	ping_from "$NS_A" "$IP_A" "$1"
}
battery()
{
	local a
	for a in 50 51 52; do
		if resolve "192.0.2.$a"; then printf '%s ' 1; else printf '%s ' 0; fi
	done
	echo
}
want="1 0 0 "

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f arp-netdev.conf: $out"
case $(bw_b list ruleset 2>&1) in
*"attached: ingress xdp"*"attached: egress tc"*) t_ok "the chains run at XDP and TC" ;;
*) t_bad "not attached at XDP and TC: $(bw_b list ruleset 2>&1)" ;;
esac
got=$(battery)
t_check "bpfwall: a resolves .50, not .51 nor .52 ($got)" test "$got" = "$want"
list=$(bw_b list ruleset 2>&1)
c1=$(list_counter "$list" "arp daddr ip 192.0.2.51 counter" | cut -d' ' -f1)
c2=$(list_counter "$list" "arp saddr ip 192.0.2.52" | cut -d' ' -f1)
c3=$(list_counter "$list" "arp htype != 1 counter" | cut -d' ' -f1)
t_check "the ingress rule dropped a's requests for .51 (${c1:-none})" test "${c1:-0}" -ge 1
t_check "the egress rule dropped b's replies from .52 (${c2:-none})" test "${c2:-0}" -ge 1
t_check "no ARP frame had another htype (${c3:-none})" test "${c3:-x}" = 0
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f arp-netdev.conf: $out"
nft_got=$(battery)
nft_list=$(in_b nft list table netdev t 2>&1)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same results ($nft_got)" test "$nft_got" = "$got"
n1=$(list_counter "$nft_list" "arp daddr ip 192.0.2.51 counter" | cut -d' ' -f1)
n2=$(list_counter "$nft_list" "arp saddr ip 192.0.2.52" | cut -d' ' -f1)
# (how many: the kernel's ARP retries within the ping's second vary)
t_check "nft's rules dropped requests and replies too ($n1, $n2)" \
	test "${n1:-0}" -ge 1 -a "${n2:-0}" -ge 1
t_done
