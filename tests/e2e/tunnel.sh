#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fields inside tunnels with real encapsulated traffic: namespaces a and b
# joined by a veth pair carry a VXLAN tunnel (the kernel's devices) and GRE
# and GRETAP packets (written whole to a raw socket: no gre devices in this
# project's kernels).  b's rules match the inner packets' addresses and
# ports: a netdev ingress chain on the veth (XDP) for VXLAN, an inet input
# chain (the netfilter hook) for GRE and GRETAP.  A rule on an inner
# address drops that sender's traffic through the tunnel and lets another
# inner address through.
# Not compared with nft: Debian's nft 1.0.6 has no inner matches (they came
# with nft 1.1 and kernel 6.2's inner expression), so nft cannot be the
# oracle here.
T_NAME=tunnel
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

# VXLAN 10 (UDP 4789) between the veth's addresses, the kernel's devices
in_a ip link add bwtvx0 type vxlan id 10 local "$IP_A" remote "$IP_B" dstport 4789 2>/dev/null ||
	t_skip "no vxlan devices in this kernel"
in_b ip link add bwtvx0 type vxlan id 10 local "$IP_B" remote "$IP_A" dstport 4789 ||
	t_fatal "vxlan in b"
in_a ip addr add 198.51.100.1/24 dev bwtvx0
in_a ip addr add 198.51.100.3/24 dev bwtvx0
in_b ip addr add 198.51.100.2/24 dev bwtvx0
in_a ip link set bwtvx0 up
in_b ip link set bwtvx0 up
t_tcp_server "$NS_B" 198.51.100.2 7000

t_check "baseline: ping through VXLAN" ping_from "$NS_A" 198.51.100.1 198.51.100.2
t_check "baseline: TCP through VXLAN" tcp_from "$NS_A" 198.51.100.1 198.51.100.2 7000

# GRE and GRETAP: this project's kernels have no gre devices, so a's
# packets are written whole to a raw socket (IPPROTO_GRE): GRE with a key
# and IPv4 inside, GRETAP with Ethernet and IPv4 inside, an ICMP echo each,
# from the inner source given.  b has no GRE handler: the input hook sees
# them, then the stack drops them.
gre_send()	# gre_send gre|gretap INNER_SRC COUNT
{
	timeout 10 ip netns exec "$NS_A" python3 - "$1" "$2" "$3" "$IP_B" <<'PY'
import socket, struct, sys
kind, src, n, dst = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
icmp = struct.pack("!BBHHH", 8, 0, 0, 1, 1)
inner = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
		    socket.inet_aton(src), socket.inet_aton("203.0.113.2")) + icmp
if kind == "gre":
	pkt = struct.pack("!BBHI", 0x20, 0, 0x0800, 7) + inner	# K: key 7
else:
	eth = bytes.fromhex("020000000002" "020000000001") + struct.pack("!H", 0x0800)
	pkt = struct.pack("!BBH", 0, 0, 0x6558) + eth + inner
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
for _ in range(n):
	s.sendto(pkt, (dst, 0))
PY
}

rules=$(t_rules tunnel.conf <<'EOF2'
table netdev edge {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		udp dport 4789 vxlan ip saddr 198.51.100.1 vxlan icmp type echo-request counter drop
		udp dport 4789 vxlan ip saddr 198.51.100.1 vxlan tcp dport 7000 counter drop
	}
}
table inet t {
	chain input {
		type filter hook input priority 0; policy accept;
		meta l4proto gre counter
		gre ip saddr 203.0.113.1 gre icmp type echo-request counter drop
		gretap ether type ip gretap ip saddr 203.0.113.1 counter drop
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "bpfwall -f loaded the tunnel rules"

t_check_not "VXLAN: ping from inner 198.51.100.1 is dropped (XDP)" \
	ping_from "$NS_A" 198.51.100.1 198.51.100.2
t_check "VXLAN: ping from inner 198.51.100.3 passes" \
	ping_from "$NS_A" 198.51.100.3 198.51.100.2
t_check_not "VXLAN: TCP from inner 198.51.100.1 is dropped" \
	tcp_from "$NS_A" 198.51.100.1 198.51.100.2 7000 1
t_check "VXLAN: TCP from inner 198.51.100.3 passes" \
	tcp_from "$NS_A" 198.51.100.3 198.51.100.2 7000
t_check "outer traffic is not inner: ping between the veth addresses passes" \
	ping_from "$NS_A" "$IP_A" "$IP_B"
t_check "GRE: 3 packets from inner 203.0.113.1, 2 from 203.0.113.3 sent" \
	eval 'gre_send gre 203.0.113.1 3 && gre_send gre 203.0.113.3 2'
t_check "GRETAP: 4 packets from inner 203.0.113.1, 2 from 203.0.113.3 sent" \
	eval 'gre_send gretap 203.0.113.1 4 && gre_send gretap 203.0.113.3 2'

list=$(bw_b list ruleset 2>&1)
printf '%s\n' "$list"
for pat in "vxlan icmp type echo-request" "vxlan tcp dport 7000"; do
	pb=$(list_counter "$list" "$pat")
	if [ -n "$pb" ] && [ "${pb% *}" -ge 1 ]; then
		t_ok "counter moved: $pat ($pb)"
	else
		t_bad "counter did not move: $pat (${pb:-no counter})"
	fi
done
# exact counts: every GRE packet reached the hook, only the inner
# 203.0.113.1 ones matched
for want in "meta l4proto gre:11" "gre ip saddr 203.0.113.1:3" "gretap ip saddr 203.0.113.1:4"; do
	pat=${want%:*}
	pb=$(list_counter "$list" "$pat")
	if [ "${pb% *}" = "${want##*:}" ]; then
		t_ok "counter: $pat ($pb)"
	else
		t_bad "counter: $pat: ${pb:-none}, want ${want##*:} packets"
	fi
done

# a chain nf_tables runs (bridge family) cannot have them: an error
bad=$(t_rules bad.conf <<'EOF2'
table bridge t {
	chain c {
		type filter hook input priority 0; policy accept;
		gre ip saddr 198.51.100.129 drop
	}
}
EOF2
)
out=$("$BPFWALL" -c -f "$bad" 2>&1)
rc=$?
if [ "$rc" = 1 ] && printf '%s\n' "$out" | grep -q "gre ip saddr: a field inside a tunnel is matched by bpfwall's BPF programs only"; then
	t_ok "a tunnel field in a bridge chain is refused"
else
	t_bad "a tunnel field in a bridge chain: rc $rc, $out"
fi
t_done
