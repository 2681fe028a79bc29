#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A netdev chain on several devices (`devices = { "a", "b" }`, nft's
# form): namespaces a and b joined by two veth pairs; b's ingress chain
# on both of its ends drops echo requests.  Each device gets the chain's
# program (XDP, one link each); pings over either pair are dropped, the
# rule's counter counts both; listed as nft lists it.  A reload with the
# chain on one device takes the other's program away (the swap), flush
# takes both.  A device of the list that does not exist fails -f, and
# `watch` attaches to it when it appears.  nft -f of the same file in b
# drops the same pings (nft as the oracle).
T_NAME=devices
T_TIMEOUT=${T_TIMEOUT:-120}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
t_setup_pair
VETH_A2=bwtc0
VETH_B2=bwtc1
IP_A3=203.0.113.1
IP_B3=203.0.113.2
ip -n "$NS_A" link add "$VETH_A2" type veth peer name "$VETH_B2" netns "$NS_B" ||
	t_fatal "cannot create the second veth pair"
ip -n "$NS_A" addr add "$IP_A3/24" dev "$VETH_A2"
ip -n "$NS_B" addr add "$IP_B3/24" dev "$VETH_B2"
ip -n "$NS_A" link set "$VETH_A2" up
ip -n "$NS_B" link set "$VETH_B2" up
mac_b2=$(ip netns exec "$NS_B" cat "/sys/class/net/$VETH_B2/address")
mac_a2=$(ip netns exec "$NS_A" cat "/sys/class/net/$VETH_A2/address")
ip -n "$NS_A" neigh replace "$IP_B3" lladdr "$mac_b2" dev "$VETH_A2" nud permanent
ip -n "$NS_B" neigh replace "$IP_A3" lladdr "$mac_a2" dev "$VETH_B2" nud permanent

both=$(t_rules both.conf <<EOF2
table netdev t {
	chain in {
		type filter hook ingress devices = { "$VETH_B2", $VETH_B } priority filter; policy accept;
		icmp type echo-request counter drop
	}
}
EOF2
)
one=$(t_rules one.conf <<EOF2
table netdev t {
	chain in {
		type filter hook ingress device "$VETH_B" priority filter; policy accept;
		icmp type echo-request counter drop
	}
}
EOF2
)

# xdp_on DEV: does b's DEV have an XDP program?
xdp_on()
{
	in_b ip link show dev "$1" | grep -q 'prog/xdp'
}

t_check "no rules: a pings b over the first pair" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check "no rules: a pings b over the second pair" ping_from "$NS_A" "$IP_A3" "$IP_B3"

out=$(bw_b -f "$both" 2>&1) || t_fatal "bpfwall -f both.conf: $out"
t_check_not "devices = { ... }: the ping over the first pair is dropped" \
	ping_from "$NS_A" "$IP_A" "$IP_B"
t_check_not "... and the one over the second pair" ping_from "$NS_A" "$IP_A3" "$IP_B3"
t_check "an XDP program on $VETH_B" xdp_on "$VETH_B"
t_check "an XDP program on $VETH_B2" xdp_on "$VETH_B2"
list=$(bw_b list ruleset 2>&1)
t_check "listed as nft lists it" \
	grep -qF "type filter hook ingress devices = { $VETH_B, $VETH_B2 } priority filter; policy accept;" <<<"$list"
t_check "one counter for both devices (2 packets)" \
	grep -qF "icmp type echo-request counter packets 2 " <<<"$list"

out=$(bw_b -f "$one" 2>&1) || t_fatal "bpfwall -f one.conf: $out"
t_check_not "reloaded on $VETH_B only: the first pair's ping is still dropped" \
	ping_from "$NS_A" "$IP_A" "$IP_B"
t_check "... the second pair's goes through" ping_from "$NS_A" "$IP_A3" "$IP_B3"
t_check_not "... and $VETH_B2 has no program left" xdp_on "$VETH_B2"

out=$(bw_b -f "$both" 2>&1) || t_fatal "bpfwall -f both.conf again: $out"
t_check_not "both again: the second pair's ping is dropped" ping_from "$NS_A" "$IP_A3" "$IP_B3"
out=$(bw_b flush ruleset 2>&1) || t_bad "flush: $out"
t_check "after flush: the first pair's ping goes through" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check "... and the second's" ping_from "$NS_A" "$IP_A3" "$IP_B3"
t_check_not "... no program on $VETH_B" xdp_on "$VETH_B"
t_check_not "... nor on $VETH_B2" xdp_on "$VETH_B2"

# A device of the list that does not exist yet: -f refuses the file,
# naming it; `watch` loads it and attaches to the device when it appears.
VETH_A3=bwtd0
VETH_B3=bwtd1
IP_A4=198.51.100.1
IP_B4=198.51.100.2
late=$(t_rules late.conf <<EOF2
table netdev t {
	chain in {
		type filter hook ingress devices = { $VETH_B, "$VETH_B3" } priority filter; policy accept;
		icmp type echo-request counter drop
	}
}
EOF2
)
out=$(bw_b -f "$late" 2>&1)
t_check "a device of the list missing: bpfwall -f fails" test $? -eq 1
t_check "... naming it ($out)" grep -qF "device \"$VETH_B3\" does not exist" <<<"$out"
bw_bg b 60 -f "$late" watch 2>"$T_DIR/watch.err"
WATCH=$BW_BG
ok=""
for i in $(seq 1 50); do
	xdp_on "$VETH_B" && ok=1 && break
	sleep 0.1
done
t_check "watch loads it on the device there is ($(head -c 300 "$T_DIR/watch.err"))" test -n "$ok"
ip -n "$NS_A" link add "$VETH_A3" type veth peer name "$VETH_B3" netns "$NS_B" ||
	t_fatal "cannot create the third veth pair"
ip -n "$NS_A" addr add "$IP_A4/24" dev "$VETH_A3"
ip -n "$NS_B" addr add "$IP_B4/24" dev "$VETH_B3"
ip -n "$NS_A" link set "$VETH_A3" up
ip -n "$NS_B" link set "$VETH_B3" up
ip -n "$NS_A" neigh replace "$IP_B4" lladdr \
	"$(ip netns exec "$NS_B" cat "/sys/class/net/$VETH_B3/address")" dev "$VETH_A3" nud permanent
ip -n "$NS_B" neigh replace "$IP_A4" lladdr \
	"$(ip netns exec "$NS_A" cat "/sys/class/net/$VETH_A3/address")" dev "$VETH_B3" nud permanent
ok=""
for i in $(seq 1 50); do
	xdp_on "$VETH_B3" && ok=1 && break
	sleep 0.1
done
t_check "the device made later gets the chain's program" test -n "$ok"
t_check_not "... and drops the ping over it" ping_from "$NS_A" "$IP_A4" "$IP_B4"
kill -TERM "$WATCH" 2>/dev/null
wait "$WATCH" 2>/dev/null
out=$(bw_b flush ruleset 2>&1) || t_bad "flush after watch: $out"
t_check "after flush: the ping over the new pair goes through" ping_from "$NS_A" "$IP_A4" "$IP_B4"

if command -v nft >/dev/null 2>&1 && in_b nft list ruleset >/dev/null 2>&1; then
	out=$(in_b nft -f "$both" 2>&1) || t_fatal "nft -f both.conf: $out"
	t_check_not "nft -f of the same file: the first pair's ping is dropped" \
		ping_from "$NS_A" "$IP_A" "$IP_B"
	t_check_not "... and the second's" ping_from "$NS_A" "$IP_A3" "$IP_B3"
	t_check "nft lists the chain as bpfwall does" \
		grep -qF "type filter hook ingress devices = { $VETH_B, $VETH_B2 } priority filter; policy accept;" \
		<<<"$(in_b nft list ruleset)"
	in_b nft flush ruleset
else
	echo "# note: no nft here: the oracle part is left out"
fi
t_done
