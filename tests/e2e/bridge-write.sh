#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Link-layer writes in a bridge chain with real traffic, bpfwall against
# nft.  Namespace r is a bridge (br0, no VLAN filtering: tagged frames
# pass as they are) with two ports, a veth to client a and a veth to
# client b.  The bridge's forward chain rewrites the 802.1Q tag of the
# frames a sends (vlan id 10 -> 20) and the source address of
# a's UDP to port 5005 (ether saddr set).  a sends tagged frames from a
# packet socket (python3) and plain UDP; b's netdev ingress counters (nft,
# the observer) see what arrives.  The chain runs in the kernel's
# nf_tables in table bpfwall; the same file loaded by nft instead gives
# the same counts.
T_NAME=brwrite
T_TIMEOUT=120
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
command -v python3 >/dev/null 2>&1 || t_skip "needs python3 (tagged frames)"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

IP_B=192.0.2.2
NEW_MAC=00:00:5e:00:53:99
in_r ip link add br0 type bridge || t_skip "cannot create a bridge here"
for dev in "$VETH_RA" "$VETH_RB"; do
	in_r ip addr flush dev "$dev"
	in_r ip link set "$dev" master br0 || t_fatal "cannot enslave $dev"
done
in_r ip link set br0 up
in_r sysctl -qw net.ipv4.ip_forward=0
in_b ip addr flush dev "$VETH_B"
in_b ip addr add "$IP_B/24" dev "$VETH_B"
MAC_A=$(in_a cat "/sys/class/net/$VETH_A/address")
MAC_B=$(in_b cat "/sys/class/net/$VETH_B/address")
in_a ip neigh replace "$IP_B" lladdr "$MAC_B" dev "$VETH_A" nud permanent
in_b ip neigh replace "$IP_A" lladdr "$MAC_A" dev "$VETH_B" nud permanent

rules=$(t_rules bridge-write.conf <<EOF2
table bridge brwrite {
	chain forward {
		type filter hook forward priority filter; policy accept;
		iifname "$VETH_RA" vlan id 10 vlan id set 20
		iifname "$VETH_RA" udp dport 5005 ether saddr set $NEW_MAC
	}
}
EOF2
)

# b's observer: what reaches its veth
in_b nft -f - <<EOF2 || t_fatal "cannot add b's observer"
table netdev obs {
	chain in {
		type filter hook ingress device "$VETH_B" priority 0; policy accept;
		vlan id 20 udp dport 5006 counter
		vlan id 10 udp dport 5006 counter
		ether saddr $NEW_MAC udp dport 5005 counter
	}
}
EOF2
# observed N: the Nth counter of b's observer
observed()
{
	in_b nft list chain netdev obs in | awk -v n="$1" '/counter packets/ {
		if (++k == n) for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}
# three 802.1Q frames, VLAN 10, UDP a -> b port 5006, from a packet socket
send_tagged()
{
	timeout 10 ip netns exec "$NS_A" python3 - "$VETH_A" "$MAC_A" "$MAC_B" "$IP_A" "$IP_B" <<'PY'
import socket, struct, sys
dev, sm, dm, sa, da = sys.argv[1:6]
mac = lambda m: bytes.fromhex(m.replace(":", ""))
data = b"bw-vlan"
udp = struct.pack("!HHHH", 40000, 5006, 8 + len(data), 0) + data
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
		 socket.inet_aton(sa), socket.inet_aton(da))
s = sum(struct.unpack("!10H", ip))
s = (s & 0xffff) + (s >> 16)
ip = ip[:10] + struct.pack("!H", ~s & 0xffff) + ip[12:]
frame = mac(dm) + mac(sm) + struct.pack("!HHH", 0x8100, 10, 0x0800) + ip + udp
sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
sock.bind((dev, 0))
for _ in range(3):
	sock.send(frame)
PY
}
send_udp()
{
	local i
	for i in 1 2 3; do
		timeout 5 ip netns exec "$NS_A" socat -u - "UDP4-SENDTO:$IP_B:5005,bind=$IP_A" \
			<<<"bw-write" >/dev/null 2>&1
	done
}

# grew N BEFORE BY: counter N is at least BEFORE + BY now (the frames
# have crossed two veths: a short, bounded wait)
grew()
{
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		[ "$(observed "$1")" -ge $(($2 + $3)) ] 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

check_all()
{
	local who=$1 t20 t10 mac
	t20=$(observed 1) t10=$(observed 2) mac=$(observed 3)
	send_tagged || t_bad "$who: python3 could not send the tagged frames"
	t_check "$who: b gets a's VLAN 10 frames as VLAN 20" grew 1 "${t20:-0}" 3
	t_check "$who: no VLAN 10 frame reaches b" test "$(observed 2)" -eq "${t10:-0}"
	send_udp
	t_check "$who: b sees a's UDP to port 5005 from $NEW_MAC" grew 3 "${mac:-0}" 3
}

# without rules the frames arrive as they were sent
t10=$(observed 2)
send_tagged || t_bad "python3 could not send the tagged frames"
t_check "without rules, b gets a's frames as VLAN 10" grew 2 "${t10:-0}" 3

out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
case $(in_r nft list ruleset) in
*"table bridge bpfwall"*) t_ok "the bridge chain is in nf_tables' table bpfwall" ;;
*) t_bad "nf_tables holds no bridge table bpfwall" ;;
esac
check_all bpfwall
text=$(bw_r list ruleset)
case $text in
*"vlan id 10 vlan id set 20"*"ether saddr set $NEW_MAC"*) t_ok "list ruleset prints the writes" ;;
*) t_bad "list ruleset: $text" ;;
esac
out=$(bw_r flush ruleset 2>&1) || t_bad "flush: $out"

# the oracle: the same file in nft
out=$(in_r nft -f "$rules" 2>&1) || t_fatal "nft -f: $out"
check_all nft
in_r nft flush ruleset
in_b nft flush ruleset
t_done
