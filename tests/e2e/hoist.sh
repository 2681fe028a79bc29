#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Input-chain drops hoisted to XDP (compiler/bpf/hoist.h), with traffic: an
# nft chain at prerouting (priority -300, a table of this test) counts
# what reaches the IP stack, so it shows where a packet died.
#
#   - the drops before any accept die at XDP (IPv4, IPv6; their counters
#     count IP lengths, as the netfilter program would); a drop after an
#     accept stays at the netfilter hook
#   - fragments pass XDP: the input hook sees the datagram reassembled
#   - with forwarding on, a routed packet from a dropped source passes
#     XDP and reaches the next namespace (input chains never see it)
#   - a nat chain at prerouting (DNAT), --hoist off: no XDP program
#   - a bridge port gets none, the bridge does
T_NAME=hoist
T_TIMEOUT=${T_TIMEOUT:-150}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the test watches prerouting with it)"
t_setup_pair
IP6_A2=2001:db8:1::66
in_a ip addr add "$IP6_A2/64" dev "$VETH_A" nodad

rules=$(t_rules hoist.conf <<EOF2
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr $IP_A2 counter drop
		ip6 saddr $IP6_A2 counter drop
		tcp dport 8080 counter drop
		ct state established,related accept
		ip saddr $IP_A udp dport 9999 counter drop
	}
}
EOF2
)
in_b nft -f - <<EOF2 || t_skip "nft cannot load a table here"
table inet bwobs {
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		ip saddr $IP_A2 counter
		ip6 saddr $IP6_A2 counter
		ip saddr $IP_A udp dport 9999 counter
	}
}
EOF2

# seen PATTERN: the packets the observer counted for its rule PATTERN
seen()
{
	in_b nft list chain inet bwobs pre | grep -F -- "$1" |
		sed -n 's/.*counter packets \([0-9]*\).*/\1/p'
}

xdp_on()
{
	in_b ip -d link show dev "$1" | grep -q 'prog/xdp'
}

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_check "the hoisted drops are on $VETH_B (XDP)" xdp_on "$VETH_B"
out=$(bw_b -d -f "$rules" 2>&1)
printf '%s\n' "$out" | grep -q '^# hook ingress (xdp), every interface .*input drops hoisted' &&
	t_ok "-d shows the XDP program of the hoisted drops" ||
	t_bad "-d: no hoisted XDP program: $(printf '%s\n' "$out" | grep '^# hook')"

# --- IPv4 and IPv6 drops at XDP
for i in 1 2 3; do
	t_check_not "ping from $IP_A2 ($i) dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
done
[ "$(seen "ip saddr $IP_A2")" = 0 ] && t_ok "no ping from $IP_A2 reached the IP stack" ||
	t_bad "pings from $IP_A2 reached prerouting: $(seen "ip saddr $IP_A2")"
c=$(list_counter "$(bw_b list ruleset)" "ip saddr $IP_A2")
[ "$c" = "3 252" ] && t_ok "the hoisted rule counted 3 packets, 252 bytes (IP lengths)" ||
	t_bad "the hoisted rule's counter: ${c:-none} (want 3 252)"
t_check_not "ping6 from $IP6_A2 dropped" ping_from "$NS_A" "$IP6_A2" "$IP6_B"
[ "$(seen "ip6 saddr $IP6_A2")" = 0 ] && t_ok "no ping6 from $IP6_A2 reached the IP stack" ||
	t_bad "pings from $IP6_A2 reached prerouting: $(seen "ip6 saddr $IP6_A2")"
t_check "ping from $IP_A passes" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check "ping6 from $IP6_A passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"

# --- a drop after an accept: at the netfilter hook only
t_udp_server "$NS_B" "$IP_B" 9999
t_check_not "UDP to 9999 from $IP_A dropped" udp_from "$NS_A" "$IP_A" "$IP_B" 9999
n=$(seen "udp dport 9999")
[ "${n:-0}" -ge 1 ] && t_ok "the drop after the accept ran at the netfilter hook ($n seen at prerouting)" ||
	t_bad "UDP to 9999 never reached prerouting: the drop after an accept was hoisted"

# --- fragments pass XDP; the input hook drops the reassembled datagram
before=$(seen "ip saddr $IP_A2")
t_udp_server "$NS_B" "$IP_B" 5353
head -c 3000 /dev/zero | timeout 5 ip netns exec "$NS_A" socat -u - \
	"UDP4-SENDTO:$IP_B:5353,bind=$IP_A2" 2>/dev/null
sleep 0.5
after=$(seen "ip saddr $IP_A2")
[ "${after:-0}" -gt "${before:-0}" ] &&
	t_ok "the fragments of a datagram from $IP_A2 passed XDP ($before -> $after at prerouting)" ||
	t_bad "the fragments from $IP_A2 died at XDP ($before -> $after)"
c=$(list_counter "$(bw_b list ruleset)" "ip saddr $IP_A2")
[ "${c%% *}" = 4 ] && t_ok "the netfilter hook dropped the reassembled datagram (counter ${c%% *})" ||
	t_bad "the counter after the fragmented datagram: ${c:-none} (want 4 packets)"

# --- forwarding: a routed packet passes XDP
NS_C="bwt-$T_NAME-c-$$"
ip netns add "$NS_C" || t_fatal "ip netns add $NS_C"
T_NS+=("$NS_C")
ip -n "$NS_B" link add bwtr0 type veth peer name bwtr1 netns "$NS_C"
ip -n "$NS_B" addr add 198.51.100.1/24 dev bwtr0
ip -n "$NS_C" addr add 198.51.100.2/24 dev bwtr1
ip -n "$NS_B" link set bwtr0 up
ip -n "$NS_C" link set bwtr1 up
ip -n "$NS_C" link set lo up
ip -n "$NS_C" route add 192.0.2.0/24 via 198.51.100.1
in_a ip route add 198.51.100.0/24 via "$IP_B"
in_b sysctl -qw net.ipv4.ip_forward=1
t_check "forwarding: ping from $IP_A2 through b to c passes" \
	ping_from "$NS_A" "$IP_A2" 198.51.100.2
t_check_not "forwarding: ping from $IP_A2 to b itself still dropped" \
	ping_from "$NS_A" "$IP_A2" "$IP_B"
in_b sysctl -qw net.ipv4.ip_forward=0

# --- a nat chain at prerouting: nothing hoisted
in_b nft add table ip bwnat
in_b nft add chain ip bwnat pre '{ type nat hook prerouting priority -100; }'
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f with a nat chain: $out"
t_check_not "a nat chain at prerouting: no XDP program on $VETH_B" xdp_on "$VETH_B"
before=$(seen "ip saddr $IP_A2")
t_check_not "a nat chain: ping from $IP_A2 dropped (at the netfilter hook)" \
	ping_from "$NS_A" "$IP_A2" "$IP_B"
[ "$(seen "ip saddr $IP_A2")" -gt "$before" ] &&
	t_ok "a nat chain: the ping reached the IP stack" || t_bad "a nat chain: the ping died early"
in_b nft delete table ip bwnat
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_check "no nat chain: the XDP program is back" xdp_on "$VETH_B"

# --- --hoist off
out=$(bw_b --hoist off -f "$rules" 2>&1) || t_fatal "bpfwall --hoist off -f: $out"
t_check_not "--hoist off: no XDP program on $VETH_B" xdp_on "$VETH_B"
t_check_not "--hoist off: ping from $IP_A2 dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"

# --- a bridge port gets none, the bridge does
if in_b ip link add bwtbr0 type bridge 2>/dev/null; then
	in_b ip link add bwtp0 type veth peer name bwtp1
	in_b ip link set bwtp0 master bwtbr0
	in_b ip link set bwtbr0 up
	in_b ip link set bwtp0 up
	out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
	t_check_not "the bridge port bwtp0 has no XDP program" xdp_on bwtp0
	t_check "the bridge bwtbr0 has the hoisted drops" xdp_on bwtbr0
	t_check "its other end bwtp1 has them too" xdp_on bwtp1
else
	echo "skip: no bridges in this kernel"
fi
out=$(bw_b flush ruleset 2>&1) || t_bad "flush ruleset: $out"
t_check_not "after flush: no XDP program on $VETH_B" xdp_on "$VETH_B"
in_b nft delete table inet bwobs
t_done
