#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Netdev chains that need the kernel go whole to nf_tables' netdev family
# (compiler/front/nfnetdev.c); the others stay in BPF at XDP and TC.  b
# loads one file with:
#   - netdev ingress chain "in" on bwtb0 (nf_tables: meta iifgroup and
#     meta mark set, which XDP cannot do): marks 0x2a what comes from a's
#     second address when bwtb0 is in device group 7, 0x2b what comes
#     from a's first address
#     ; fwd (nft_fwd_netdev) sends a2's echo requests out of bwtx0 (a
#     veth pair in b, bwtx0 - bwtx1) instead, dup (nft_dup_netdev) a copy
#     of a's: a2's pings go unanswered, a's are answered, and bwtx1
#     receives both
#   - netdev egress chain "fast" on bwtb0 (BPF at TC egress): drops b's
#     answers from port 82
#   - inet input chain (BPF at the netfilter hook): drops TCP port 80 for
#     mark 0x2a, port 81 for mark 0x2b: the marks nf_tables set decide
# The chains are where they should be (no XDP program on bwtb0, a TC
# one; nft lists chain "in" in table netdev bpfwall with its device),
# `bpfwall list ruleset` prints the file as written with the netdev
# rule's counter; a reload keeps it all; a file that fails to load
# leaves the running ruleset as it was; a change of device group is seen
# at once (the kernel reads it per packet); `flush ruleset` leaves
# nothing in nf_tables.  Then the same file through `nft -f`: the same
# flows (nft as the oracle).
T_NAME=nftnd
T_TIMEOUT=${T_TIMEOUT:-200}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_pair
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
ip -n "$NS_B" link set "$VETH_B" group 7
ip -n "$NS_B" link add bwtx0 type veth peer name bwtx1 || t_fatal "cannot add bwtx0"
# no IPv6 there: nothing but what fwd and dup send crosses the pair
in_b sysctl -qw net.ipv6.conf.bwtx0.disable_ipv6=1 net.ipv6.conf.bwtx1.disable_ipv6=1
ip -n "$NS_B" link set bwtx0 up
ip -n "$NS_B" link set bwtx1 up

rules=$(t_rules netdev.conf <<EOF2
table netdev edge {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr $IP_A2 icmp type echo-request counter fwd to "bwtx0"
		ip saddr $IP_A icmp type echo-request dup to "bwtx0"
		meta iifgroup 7 ip saddr $IP_A2 counter meta mark set 0x2a
		ip saddr $IP_A meta mark set 0x2b
	}
	chain fast {
		type filter hook egress device "@VETH_B@" priority 0; policy accept;
		ip daddr $IP_A tcp sport 82 counter drop
	}
}
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		meta mark 0x2a tcp dport 80 counter drop
		meta mark 0x2b tcp dport 81 counter drop
	}
}
EOF2
)
for p in 80 81 82 83; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

FLOWS=(
	"a2-80-mark2a 0 tcp_from $NS_A $IP_A2 $IP_B 80 1"
	"a2-81 1 tcp_from $NS_A $IP_A2 $IP_B 81"
	"a-80 1 tcp_from $NS_A $IP_A $IP_B 80"
	"a-81-mark2b 0 tcp_from $NS_A $IP_A $IP_B 81 1"
	"a-82-tc-egress 0 tcp_from $NS_A $IP_A $IP_B 82 1"
	"a-83 1 tcp_from $NS_A $IP_A $IP_B 83"
	"a-ping-dup 1 ping_from $NS_A $IP_A $IP_B"
	"a2-ping-fwd 0 ping_from $NS_A $IP_A2 $IP_B"
)

# rx_tx1: the frames bwtx1 received (what fwd and dup sent out of bwtx0)
rx_tx1()
{
	in_b cat /sys/class/net/bwtx1/statistics/rx_packets
}
# seen_on_tx1 N: bwtx1 received at least N frames more than at rx0
seen_on_tx1()
{
	local n
	n=$(rx_tx1)
	[ $((n - rx0)) -ge "$1" ]
}

xdp_on()
{
	in_b ip -d link show dev "$VETH_B" | grep -q 'prog/xdp'
}

nft_in_chain()
{
	in_b nft list table netdev bpfwall 2>/dev/null |
		grep -qF "type filter hook ingress device \"$VETH_B\" priority filter; policy accept;"
}

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f netdev.conf: $out"
rx0=$(rx_tx1)
t_flows_as_said bpfwall "$(t_flows)"
t_check "bwtx1 received the forwarded and the duplicated echo requests" seen_on_tx1 2
t_check_not "no XDP program on $VETH_B (chain in runs in nf_tables)" xdp_on
t_check "chain fast runs at TC egress on $VETH_B" \
	eval 'bw_b list ruleset 2>&1 | grep -q "attached: egress tcx on $VETH_B"'
t_check "nft lists chain in, with its device, in table netdev bpfwall" nft_in_chain
case $(in_b nft list table netdev bpfwall 2>&1) in
*"chain fast"*) t_bad "chain fast went to nf_tables too" ;;
*) t_ok "chain fast is not in nf_tables" ;;
esac
case $(in_b nft list ruleset) in
*"table netdev edge"*|*"table inet filter"*) t_bad "nf_tables holds a table of the file's names" ;;
*) t_ok "nf_tables holds only bpfwall's tables" ;;
esac
list=$(bw_b list ruleset 2>&1)
for line in "table netdev edge {" \
	"type filter hook ingress device \"$VETH_B\" priority filter; policy accept;" \
	"iifgroup 7 ip saddr $IP_A2 counter packets" \
	"ip saddr $IP_A meta mark set 0x0000002b" \
	"ip saddr $IP_A2 icmp type echo-request counter packets" \
	"fwd to \"bwtx0\"" \
	"ip saddr $IP_A icmp type echo-request dup to \"bwtx0\"" \
	"meta mark 0x0000002a tcp dport 80 counter packets"; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
c=$(list_counter "$list" "iifgroup 7 ip saddr" | cut -d' ' -f1)
t_check "nf_tables counted a2's packets in chain in (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "tcp dport 80 counter" | cut -d' ' -f1)
t_check "the BPF input chain dropped on the mark (${c:-none})" test "${c:-0}" -ge 1

# a reload: the same
out=$(bw_b -f "$rules" 2>&1) || t_fatal "reload: $out"
t_flows_as_said "after a reload" "$(t_flows)"
t_check "after a reload: chain in still in nf_tables" nft_in_chain

# a file that fails to load (a chain for nf_tables on a device that does
# not exist; a BPF chain that changes) leaves the running ruleset
bad=$(sed -e 's/tcp sport 82/tcp sport 83/' "$rules" | t_rules bad.conf)
cat >>"$bad" <<'EOF2'
table netdev other {
	chain x {
		type filter hook ingress device "bwtnone0" priority 0;
		meta mark set 1
	}
}
EOF2
out=$(bw_b -f "$bad" 2>&1)
t_check "a load with a missing device fails" test $? = 1
case $out in
*'device "bwtnone0" does not exist'*) t_ok "... saying which device" ;;
*) t_bad "the failed load said: $out" ;;
esac
t_flows_as_said "after the failed load" "$(t_flows)"
t_check "after the failed load: chain in still in nf_tables" nft_in_chain

# one that fails when it is committed: fwd to a device that is not there
# (its index is looked up then, as nft does); the BPF chain changes too
bad2=$(sed -e 's/tcp sport 82/tcp sport 83/' \
	-e "s/ip saddr $IP_A meta mark set 0x2b/&\\n\\t\\tip saddr 198.51.100.1 fwd to \"bwtnone1\"/" \
	"$rules" | t_rules bad2.conf)
case $(cat "$bad2") in
*'fwd to "bwtnone1"'*) ;;
*) t_fatal "bad2.conf lacks its fwd" ;;
esac
out=$(bw_b -f "$bad2" 2>&1)
t_check "a load whose fwd names a missing device fails" test $? = 1
case $out in
*'"bwtnone1" does not exist'*) t_ok "... saying which interface" ;;
*) t_bad "the failed load said: $out" ;;
esac
t_flows_as_said "after the failed commit" "$(t_flows)"
case $(in_b nft list table netdev bpfwall 2>&1) in
*bwtnone1*) t_bad "nf_tables holds the failed load's rule" ;;
*"fwd to \"bwtx0\""*) t_ok "after the failed commit: nf_tables holds the running chain" ;;
*) t_bad "after the failed commit: chain in is not in nf_tables" ;;
esac

# the kernel reads the group per packet: out of group 7, a2 gets no mark
ip -n "$NS_B" link set "$VETH_B" group 8
t_check "group 8: a2 reaches port 80" tcp_from "$NS_A" "$IP_A2" "$IP_B" 80
ip -n "$NS_B" link set "$VETH_B" group 7

out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: nf_tables is empty" test -z "$(in_b nft list ruleset 2>&1)"
t_check_not "after flush: no XDP program" xdp_on
t_check "after flush: a reaches port 81" tcp_from "$NS_A" "$IP_A" "$IP_B" 81
t_check "after flush: a2's ping is answered (no fwd)" ping_from "$NS_A" "$IP_A2" "$IP_B"

# the oracle: the same file in nft
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f netdev.conf: $out"
rx0=$(rx_tx1)
t_flows_as_said nft "$(t_flows)"
t_check "nft: bwtx1 received the forwarded and the duplicated echo requests" seen_on_tx1 2
in_b nft flush ruleset
t_done
