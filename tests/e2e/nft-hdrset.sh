#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Header field writes, with traffic: namespace a's bpfwall rewrites what
# it sends to b at output (handed to nf_tables): the DSCP of TCP to port
# 5011 (af21), the TTL of TCP to 5012 (7), the flow label of TCP over
# IPv6 to 5015 (12345), and the destination port of UDP to 5013 (to
# 5014, where b's server is; a's prerouting chain writes the answers'
# source port back to 5013, which a's connected socket wants).  b's input
# chain runs in BPF and accepts 5011, 5012 and 5015 only with the
# rewritten field, dropping the rest: a connection that works is one whose
# field was rewritten on the wire.  Checksums must stay valid: b's stack
# checks the IPv4 header checksum always, and with receive offload off
# on b (and transmit offload off on a) the UDP and TCP checksums too.
# The same file through nft -f in a gives the same flows.  Last, a
# field changed from its own bits (ip dscp set ip dscp | 0x12), which nft
# 1.0.6 refuses, through bpfwall alone; and the same writes in a netdev
# egress chain, which bpfwall's TC program does itself, and in a netdev
# ingress chain in b, which its XDP program does.
T_NAME=nfthdrset
T_TIMEOUT=${T_TIMEOUT:-300}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair
command -v ethtool >/dev/null 2>&1 || t_skip "needs ethtool (checksum offload off)"
in_a ethtool -K "$VETH_A" tx off >/dev/null 2>&1 ||
	t_skip "cannot turn transmit checksum offload off on the veth"
in_b ethtool -K "$VETH_B" rx off >/dev/null 2>&1 ||
	t_skip "cannot turn receive checksum offload off on the veth"

writes=$(t_rules hdrset.conf <<'EOF2'
table inet rewrite {
	chain out {
		type filter hook output priority mangle; policy accept;
		ip daddr 192.0.2.2 tcp dport 5011 ip dscp set af21
		ip daddr 192.0.2.2 tcp dport 5012 ip ttl set 7
		ip6 daddr 2001:db8:1::2 tcp dport 5015 ip6 flowlabel set 12345
		ip daddr 192.0.2.2 udp dport 5013 udp dport set 5014
	}
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip saddr 192.0.2.2 udp sport 5014 udp sport set 5013
	}
}
EOF2
)
checks=$(t_rules check.conf <<'EOF2'
table inet check {
	chain input {
		type filter hook input priority filter; policy accept;
		tcp dport 5011 ip dscp af21 counter accept
		tcp dport 5011 counter drop
		tcp dport 5012 ip ttl 7 counter accept
		tcp dport 5012 counter drop
		tcp dport 5015 ip6 flowlabel 12345 counter accept
		tcp dport 5015 counter drop
		udp dport 5013 counter drop
		udp dport 5014 counter accept
		tcp dport 5016 ip dscp af31 counter accept
		tcp dport 5016 counter drop
	}
}
EOF2
)

for p in 5011 5012; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done
t_tcp_server "$NS_B" "$IP6_B" 5015
t_tcp_server "$NS_B" "$IP_B" 5016
t_udp_server "$NS_B" "$IP_B" 5014

# UDP to 5013 answered by the server on 5014
udp_moved()
{
	local out
	out=$(echo ping | timeout 8 ip netns exec "$NS_A" socat -t 5 -T 5 - \
		"UDP4:$IP_B:5013,bind=$IP_A" 2>/dev/null) || return 1
	[ "$out" = "bw-hello 5014" ]
}

battery()
{
	local p
	for p in 5011 5012; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 2; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
	if tcp_from "$NS_A" "$IP6_A" "$IP6_B" 5015 2; then echo "tcp6-5015 1"; else echo "tcp6-5015 0"; fi
	if udp_moved; then echo "udp-5013 1"; else echo "udp-5013 0"; fi
}
want="tcp-5011 1
tcp-5012 1
tcp6-5015 1
udp-5013 1"

out=$(bw_b -f "$checks" 2>&1) || t_fatal "bpfwall -f check.conf in b: $out"
# without the writes nothing gets through: the checks can fail
got=$(battery)
t_check "without the writes b refuses every flow: $(echo $got)" \
	test "$got" = "tcp-5011 0
tcp-5012 0
tcp6-5015 0
udp-5013 0"

out=$(bw_a -f "$writes" 2>&1) || t_fatal "bpfwall -f hdrset.conf in a: $out"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "fields written in nf_tables arrive rewritten, checksums valid: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi
list=$(bw_b list ruleset 2>&1)
for pat in "tcp dport 5011 ip dscp af21 counter" "tcp dport 5012 ip ttl 7 counter" \
	"tcp dport 5015 ip6 flowlabel 12345 counter" "udp dport 5014 counter"; do
	c=$(list_counter "$list" "$pat" | cut -d' ' -f1)
	t_check "b's BPF rule '$pat' saw the rewritten packets (${c:-none})" test "${c:-0}" -ge 1
done
alist=$(bw_a list ruleset 2>&1)
for line in "ip dscp set af21" "ip ttl set 7" "ip6 flowlabel set 12345" \
	"udp dport set 5014" "udp sport set 5013"; do
	case $alist in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done
nftlist=$(in_a nft list table inet bpfwall 2>&1)
case $nftlist in
*"ip dscp set af21"*"ip ttl set 7"*"ip6 flowlabel set 12345"*"udp dport set 5014"*)
	t_ok "nft lists the writes in table inet bpfwall" ;;
*) t_bad "nft lists: $nftlist" ;;
esac
out=$(bw_a flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush in a: 5011 is refused again" test "$(tcp_from "$NS_A" "$IP_A" "$IP_B" 5011 1; echo $?)" = 1

out=$(in_a nft -f "$writes" 2>&1) || t_fatal "nft -f hdrset.conf: $out"
nft_got=$(battery)
in_a nft flush ruleset
t_check "nft -f of the same file gives the same flows: $(echo $nft_got)" test "$nft_got" = "$got"

# a field changed from its own bits (nft after 1.0.6; 1.0.6 refuses it,
# so bpfwall alone): cs1 (0x08) | 0x12 is af31 (0x1a), with the version,
# header length and ECN bits of the same 16-bit word kept (else b's stack
# drops the packet) and the header checksum updated
rmw=$(t_rules rmw.conf <<'EOF2'
table inet rewrite {
	chain out {
		type filter hook output priority mangle; policy accept;
		ip daddr 192.0.2.2 tcp dport 5016 ip dscp set cs1
		ip daddr 192.0.2.2 tcp dport 5016 ip dscp set ip dscp | 0x12
		ip daddr 192.0.2.2 tcp dport 5016 ip ecn set ip ecn & ect1
	}
}
EOF2
)
t_check "without the writes 5016 is refused" test "$(tcp_from "$NS_A" "$IP_A" "$IP_B" 5016 1; echo $?)" = 1
out=$(bw_a -f "$rmw" 2>&1) || t_fatal "bpfwall -f rmw.conf in a: $out"
t_check "ip dscp set ip dscp | 0x12 after cs1 arrives as af31" tcp_from "$NS_A" "$IP_A" "$IP_B" 5016 2
c=$(list_counter "$(bw_b list ruleset 2>&1)" "tcp dport 5016 ip dscp af31 counter" | cut -d' ' -f1)
t_check "b's BPF rule 'tcp dport 5016 ip dscp af31' counted them (${c:-none})" test "${c:-0}" -ge 1
out=$(bw_a flush ruleset 2>&1) || t_fatal "flush: $out"

# controls: a wrong checksum is dropped by b's stack, so the flows above
# prove valid checksums (the checksum field written last, whatever the
# update: 0 for the IPv4 header's, 1 for UDP's)
bad=$(t_rules badsum.conf <<'EOF2'
table inet rewrite {
	chain out {
		type filter hook output priority mangle; policy accept;
		ip daddr 192.0.2.2 tcp dport 5012 ip ttl set 7 ip checksum set 0
		ip daddr 192.0.2.2 udp dport 5013 udp dport set 5014 udp checksum set 1
	}
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip saddr 192.0.2.2 udp sport 5014 udp sport set 5013
	}
}
EOF2
)
out=$(bw_a -f "$bad" 2>&1) || t_fatal "bpfwall -f badsum.conf in a: $out"
t_check_not "an IPv4 header checksum of 0 is dropped by b" tcp_from "$NS_A" "$IP_A" "$IP_B" 5012 1
t_check_not "a UDP checksum of 1 is dropped by b" udp_moved
out=$(bw_a flush ruleset 2>&1) || t_fatal "flush: $out"

# a netdev egress chain: bpfwall's TC program writes the packet itself
# (bpf_skb_store_bytes, bpf_l3_csum_replace); nft -f of the same file
# writes it at nf_tables' egress hook
tc=$(t_rules tc.conf <<EOF2
table netdev tcw {
	chain egress {
		type filter hook egress device "$VETH_A" priority 0; policy accept;
		ip daddr 192.0.2.2 tcp dport 5011 ip dscp set af21
		ip daddr 192.0.2.2 tcp dport 5012 ip ttl set 7
		ip6 daddr 2001:db8:1::2 tcp dport 5015 ip6 flowlabel set 12345
		ip daddr 192.0.2.2 tcp dport 5016 ip dscp set cs1 ip dscp set ip dscp | 0x12
		ip daddr 192.0.2.2 udp dport 5013 udp dport set 5014
	}
}
table inet back {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip saddr 192.0.2.2 udp sport 5014 udp sport set 5013
	}
}
EOF2
)
tc_battery()
{
	local p
	for p in 5011 5012 5016; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 2; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
	if tcp_from "$NS_A" "$IP6_A" "$IP6_B" 5015 2; then echo "tcp6-5015 1"; else echo "tcp6-5015 0"; fi
	if udp_moved; then echo "udp-5013 1"; else echo "udp-5013 0"; fi
}
tc_want="tcp-5011 1
tcp-5012 1
tcp-5016 1
tcp6-5015 1
udp-5013 1"
out=$(bw_a -f "$tc" 2>&1) || t_fatal "bpfwall -f tc.conf in a: $out"
tc_got=$(tc_battery)
if [ "$tc_got" = "$tc_want" ]; then
	t_ok "fields written by the TC egress program arrive rewritten, checksums valid: $(echo $tc_got)"
else
	t_bad "TC egress flows: $(echo $tc_got) (want $(echo $tc_want))"
fi
case $(in_a nft list ruleset 2>&1) in
*"dscp set"*) t_bad "the netdev chain went to nf_tables" ;;
*"udp sport set 5013"*) t_ok "the netdev egress chain stays in BPF (nf_tables holds only the inet chain)" ;;
*) t_bad "the inet chain is not in nf_tables" ;;
esac
out=$(bw_a flush ruleset 2>&1) || t_fatal "flush: $out"
if out=$(in_a nft -f - <<<"$(sed '/ip dscp set ip dscp/d' "$tc")" 2>&1); then
	nft_tc=$(tc_battery)
	in_a nft flush ruleset
	t_check "nft -f of the same netdev file (without the | form, which nft 1.0.6 refuses) gives the same flows but 5016: $(echo $nft_tc)" \
		test "$nft_tc" = "tcp-5011 1
tcp-5012 1
tcp-5016 0
tcp6-5015 1
udp-5013 1"
else
	t_ok "nft -f refuses a netdev egress chain here, not compared: $out"
fi

# a netdev ingress chain in b: bpfwall's XDP program writes the packet
# (bpf_xdp_store_bytes, the checksums updated by hand) before b's input
# chain checks it; the answers' UDP port goes back in a's nf_tables
xdp=$(t_rules xdp.conf <<EOF2
table netdev xw {
	chain ingress {
		type filter hook ingress device "$VETH_B" priority 0; policy accept;
		tcp dport 5011 ip dscp set af21
		tcp dport 5012 ip ttl set 7
		ip6 daddr 2001:db8:1::2 tcp dport 5015 ip6 flowlabel set 12345
		udp dport 5013 udp dport set 5014
		tcp dport 5016 ip dscp set cs1 ip dscp set ip dscp | 0x12
	}
}
$(cat "$checks")
EOF2
)
back=$(t_rules back.conf <<'EOF2'
table inet back {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		ip saddr 192.0.2.2 udp sport 5014 udp sport set 5013
	}
}
EOF2
)
out=$(bw_a -f "$back" 2>&1) || t_fatal "bpfwall -f back.conf in a: $out"
out=$(bw_b -f "$xdp" 2>&1) || t_fatal "bpfwall -f xdp.conf in b: $out"
xdp_got=$(tc_battery)
if [ "$xdp_got" = "$tc_want" ]; then
	t_ok "fields written by b's XDP program are seen by b's input chain, checksums valid: $(echo $xdp_got)"
else
	t_bad "XDP flows: $(echo $xdp_got) (want $(echo $tc_want))"
fi
# control: the same with a UDP checksum of 1 written last, which b's
# stack must drop (so the flow above proves the updated checksum valid)
xbad=$(t_rules xbad.conf <<<"$(sed 's/udp dport set 5014$/udp dport set 5014 udp checksum set 1/' "$xdp")")
out=$(bw_b -f "$xbad" 2>&1) || t_fatal "bpfwall -f xbad.conf in b: $out"
t_check_not "after XDP, a UDP checksum of 1 is dropped by b" udp_moved
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
if out=$(in_b nft -f - <<<"$(sed '/ip dscp set ip dscp/d' "$xdp")" 2>&1); then
	nft_xdp=$(tc_battery)
	in_b nft flush ruleset
	t_check "nft -f of the same file in b (without the | form) gives the same flows but 5016: $(echo $nft_xdp)" \
		test "$nft_xdp" = "tcp-5011 1
tcp-5012 1
tcp-5016 0
tcp6-5015 1
udp-5013 1"
else
	t_bad "nft -f of xdp.conf in b: $out"
fi
out=$(bw_a flush ruleset 2>&1) || t_fatal "flush: $out"
t_done
