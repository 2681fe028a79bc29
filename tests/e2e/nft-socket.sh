#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# socket transparent / mark / wildcard: fields only the kernel's socket
# lookup knows, so their chain is handed to nf_tables.  Namespace b
# listens on 5011 on the wildcard address, on 5012 on its own address,
# and on 5013 with SO_MARK 5; a prerouting chain drops SYNs whose
# listener is a wildcard one, or has mark 5, and counts the transparent
# ones (none).  The same file through nft -f gives the same results.
T_NAME=nftsock
T_TIMEOUT=${T_TIMEOUT:-150}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules socket.conf <<'EOF2'
table inet t {
	chain pre {
		type filter hook prerouting priority mangle; policy accept;
		tcp dport 5011-5013 socket transparent 1 counter accept
		tcp dport 5011-5013 socket wildcard 1 counter drop
		tcp dport 5011-5013 socket mark 0x00000005 counter drop
		tcp dport 5011-5013 counter
	}
}
EOF2
)
t_tcp_server "$NS_B" 0.0.0.0 5011
t_tcp_server "$NS_B" "$IP_B" 5012
timeout 100 ip netns exec "$NS_B" socat \
	"TCP4-LISTEN:5013,bind=$IP_B,fork,reuseaddr,setsockopt-listen=1:36:x05000000" \
	"SYSTEM:echo bw-hello 5013" >/dev/null 2>&1 &
T_PIDS+=($!)
for i in $(seq 1 50); do
	in_b ss -Hltn 2>/dev/null | grep -qF " $IP_B:5013 " && break
	sleep 0.1
done

battery()
{
	local p
	for p in 5011 5012 5013; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 1; then
			printf '%s:1 ' "$p"
		else
			printf '%s:0 ' "$p"
		fi
	done
}
want="5011:0 5012:1 5013:0 "

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f socket.conf: $out"
got=$(battery)
t_check "wildcard and marked listeners dropped, the other reached ($got)" test "$got" = "$want"
list=$(bw_b list ruleset 2>&1)
c=$(list_counter "$list" "socket transparent 1 counter" | cut -d' ' -f1)
t_check "no transparent socket counted (${c:-none})" test "${c:-x}" = 0
c=$(list_counter "$list" "socket wildcard 1 counter" | cut -d' ' -f1)
t_check "the wildcard rule counted SYNs to 5011 (${c:-none})" test "${c:-0}" -ge 1
c=$(list_counter "$list" "socket mark 0x00000005 counter" | cut -d' ' -f1)
t_check "the mark rule counted SYNs to 5013 (${c:-none})" test "${c:-0}" -ge 1
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f again: $out"
nftlist=$(in_b nft list ruleset 2>&1)
case $nftlist in
*"socket wildcard 1"*"socket mark 0x00000005"*) t_ok "nft lists the socket rules in bpfwall's table" ;;
*) t_bad "nft does not list the socket rules: $nftlist" ;;
esac
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f socket.conf: $out"
nft_got=$(battery)
in_b nft flush ruleset
t_check "nft -f of the same file gives the same results ($nft_got)" test "$nft_got" = "$got"
t_done
