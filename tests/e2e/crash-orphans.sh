#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A load killed mid-swap leaves nothing that later loads keep (issue 9,
# item 3).  `bpfwall -f big.conf` (XDP and TC on three devices, netfilter
# input hooks at priorities 0 and 10) is killed with SIGKILL after it
# pinned some of its links and before it recorded its state, on a first
# load and on a reload; `list ruleset` then shows what is attached
# (attachments the state does not name included), and a load of a ruleset
# that covers fewer devices and hooks leaves exactly its own attachments:
# the stale XDP, TC and netfilter programs and their pins are gone, and
# the traffic they dropped passes.  Then attachments whose pin or device
# is gone are listed as not attached.
T_NAME=orphans
T_TIMEOUT=120
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the probes' counters)"
t_setup_pair
. "$T_SRCDIR/tests/lib/bwfault.sh"

for i in 1 2; do
	ip -n "$NS_B" link add "bwtb$i" type veth peer name "bwtc$i" || t_fatal "veth bwtb$i"
	ip -n "$NS_B" link set "bwtb$i" up
	ip -n "$NS_B" link set "bwtc$i" up
done

big=$(t_rules big.conf <<'EOF2'
table netdev t {
	chain in0 {
		type filter hook ingress device "bwtb0" priority 0; policy accept;
		ip saddr 192.0.2.66 drop
	}
	chain out0 {
		type filter hook egress device "bwtb0" priority 0; policy accept;
		udp dport 9 drop
	}
	chain in1 {
		type filter hook ingress device "bwtb1" priority 0; policy accept;
		udp dport 9 drop
	}
	chain out1 {
		type filter hook egress device "bwtb1" priority 0; policy accept;
		udp dport 9 drop
	}
	chain in2 {
		type filter hook ingress device "bwtb2" priority 0; policy accept;
		udp dport 9 drop
	}
}
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 7100 drop
	}
}
table ip h10 {
	chain input {
		type filter hook input priority 10; policy accept;
		udp dport 7110 drop
	}
}
EOF2
)
small=$(t_rules small.conf <<'EOF2'
table netdev t {
	chain in1 {
		type filter hook ingress device "bwtb1" priority 0; policy accept;
		udp dport 9 drop
	}
}
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 7100 drop
	}
}
EOF2
)
nf_probe_init ipv4:input:0:7100 ipv6:input:0:7100 ipv4:input:10:7110

want_small="netfilter ipv4 input 0
netfilter ipv6 input 0
xdp bwtb1 native"

# The bpf() calls of a first load of big.conf, and where its state is
# pinned: a kill at the first pin of counters_new comes after every link
# is pinned and before the state is.
bw_b_trace "$T_DIR/load.calls" -f "$big" || t_fatal "traced load of big.conf failed"
want_big=$(attached_b)
echo "big.conf attached:"
echo "$want_big"
t_check "big.conf: list agrees with the kernel" [ "$(listed_b)" = "$want_big" ]
raw=$(grep -n 'counters_new' "$T_DIR/load.calls.raw" | head -n 1)
n_state=$(head -n "${raw%%:*}" "$T_DIR/load.calls.raw" | grep -c 'bpf(')
links=$(grep -c 'BPF_LINK_CREATE' "$T_DIR/load.calls")
echo "a first load of big.conf: $(wc -l <"$T_DIR/load.calls") bpf() calls, $links links, counters pinned at call $n_state"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
[ -z "$(xdp_tc_b)" ] || t_fatal "flush left: $(xdp_tc_b)"

# check_after_kill WHAT: list agrees with the kernel; small.conf then
# leaves exactly its own attachments and pins, and passes what big.conf
# dropped
check_after_kill()
{
	local what=$1 att lst
	att=$(attached_b)
	lst=$(listed_b)
	[ "$att" = "$lst" ] && t_ok "$what: list agrees with the kernel ($(echo "$att" | wc -l) attachments)" ||
		t_bad "$what: list says
$lst
the kernel has
$att"
	out=$(bw_b -f "$small" 2>&1) || t_bad "$what: load small.conf: $out"
	att=$(attached_b)
	[ "$att" = "$want_small" ] && t_ok "$what: small.conf leaves exactly its own attachments" ||
		t_bad "$what: after small.conf the kernel has
$att"
	[ "$(listed_b)" = "$want_small" ] && t_ok "$what: list shows them" ||
		t_bad "$what: list shows $(listed_b)"
	pins=$(pins_b | tr '\n' ' ')
	case $pins in
	*link_xdp_2\ *|*link_tc_*|*_10_1_10*|*_2_1_10*|*_new*|*link_xdp_$IDX2\ *)
		t_bad "$what: stale pins: $pins" ;;
	*) t_ok "$what: no stale pin ($pins)" ;;
	esac
	t_check "$what: ping from $IP_A2 passes (no stale XDP on $VETH_B)" \
		ping_from "$NS_A" "$IP_A2" "$IP_B"
}
IDX2=$(in_b cat /sys/class/net/bwtb2/ifindex)

# -- a first load killed after pinning its links, before its state
bw_b_kill_at "$n_state" -f "$big" || t_bad "first load: not killed at call $n_state"
echo "killed: $(pins_b | tr '\n' ' ')"
[ -e "$PIN_B/state" ] && t_bad "first load: a state was pinned before the kill"
[ -n "$(xdp_tc_b)" ] && t_ok "first load: the killed load left links attached" ||
	t_bad "first load: nothing attached after the kill (the kill came too early)"
list=$(bw_b list ruleset 2>&1)
case $list in
*"# attached, not in the state: "*) t_ok "first load: list names what the state does not" ;;
*) t_bad "first load: list says nothing of the leftovers: $list" ;;
esac
check_after_kill "first load"

# -- reloads of big.conf over small.conf killed: before the state, and
# on entering the third link's creation
bw_b_trace "$T_DIR/reload.calls" -f "$big" || t_fatal "traced reload of big.conf failed"
out=$(bw_b -f "$small" 2>&1) || t_fatal "reload small: $out"
raw=$(grep -n 'counters_new' "$T_DIR/reload.calls.raw" | head -n 1)
n_state=$(head -n "${raw%%:*}" "$T_DIR/reload.calls.raw" | grep -c 'bpf(')
bw_b_kill_at "$n_state" -f "$big" || t_bad "reload: not killed at call $n_state"
check_after_kill "reload, killed before the state"
n_mid=$(awk '/BPF_LINK_CREATE/ { if (++k == 3) { print NR; exit } }' "$T_DIR/reload.calls")
bw_b_kill_at "$n_mid" -f "$big" || t_bad "reload: not killed at call $n_mid"
check_after_kill "reload, killed at its third link"

# -- gone pins and devices are not listed as attached
out=$(bw_b -f "$big" 2>&1) || t_fatal "load big: $out"
IDX1=$(in_b cat /sys/class/net/bwtb1/ifindex)
rm "$PIN_B/link_xdp_$IDX1"
ip -n "$NS_B" link del bwtb2
rm "$PIN_B/link_nf_2_1_10"
list=$(bw_b list ruleset 2>&1)
echo "$list" | grep '^#.*attached'
case $list in
*"# not attached: ingress xdp native on bwtb1 (ifindex $IDX1): its pin is gone"*)
	t_ok "a link whose pin is gone: not attached" ;;
*) t_bad "a link whose pin is gone is not said to be" ;;
esac
case $list in
*"# not attached: ingress xdp native on bwtb2 (ifindex $IDX2): "*"device is gone"*)
	t_ok "a link whose device is gone: not attached" ;;
*) t_bad "a link whose device is gone is not said to be" ;;
esac
case $list in
*"# not attached: input netfilter ipv4 priority 10: its pin is gone"*)
	t_ok "a netfilter link whose pin is gone: not attached" ;;
*) t_bad "a netfilter link whose pin is gone is not said to be" ;;
esac
t_check "list agrees with the kernel" [ "$(listed_b)" = "$(attached_b)" ]
t_done
