#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# queue, handed to nf_tables with its chain, with traffic: in namespace b
# nothing listens on the queues, so UDP to port 5001 (queue num 3) is
# dropped and UDP to port 5002 (queue num 3 bypass) goes on to the BPF
# input chain after it, which counts it.  Where the kernel has no
# nft_queue (nft -f of a queue rule fails), the load must fail whole and
# leave the ruleset before it in force: that is checked instead, and the
# test says so.
T_NAME=nftqueue
T_TIMEOUT=${T_TIMEOUT:-120}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules queue.conf <<'EOF2'
table inet t {
	chain pre {
		type filter hook prerouting priority filter; policy accept;
		udp dport 5001 queue num 3
		udp dport 5002 counter queue flags bypass to 3
	}
	chain input {
		type filter hook input priority 10; policy accept;
		udp dport 5002 counter accept
	}
}
EOF2
)
before=$(t_rules before.conf <<'EOF2'
table inet t {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 5003 counter drop
	}
}
EOF2
)
t_udp_server "$NS_B" "$IP_B" 5001
t_udp_server "$NS_B" "$IP_B" 5002
t_udp_server "$NS_B" "$IP_B" 5003

in_b nft add table inet probe
in_b nft add chain inet probe x
if ! in_b nft add rule inet probe x queue 2>/dev/null; then
	in_b nft delete table inet probe 2>/dev/null
	out=$(bw_b -f "$before" 2>&1) || t_fatal "bpfwall -f before.conf: $out"
	out=$(bw_b -f "$rules" 2>&1)
	t_check "this kernel has no nft_queue: the load fails" test $? = 1
	case $out in
	*"queue.conf:4:"*"nf_tables refused this rule"*) t_ok "... at the queue rule: $(printf '%s' "$out" | grep -m1 Error)" ;;
	*) t_bad "the refusal does not name the rule: $out" ;;
	esac
	t_check_not "the ruleset before is still in force (5003 dropped)" \
		udp_from "$NS_A" "$IP_A" "$IP_B" 5003
	t_check "and nothing of the new one (5001 answers)" udp_from "$NS_A" "$IP_A" "$IP_B" 5001
	echo "(the traffic checks of queue need nft_queue, which this kernel lacks)"
else
	in_b nft delete table inet probe
	out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f queue.conf: $out"
	t_check_not "queue num 3, no listener: UDP to 5001 is dropped" \
		udp_from "$NS_A" "$IP_A" "$IP_B" 5001
	t_check "queue bypass, no listener: UDP to 5002 answers" \
		udp_from "$NS_A" "$IP_A" "$IP_B" 5002
	c=$(list_counter "$(bw_b list ruleset)" "udp dport 5002 counter accept" | cut -d' ' -f1)
	t_check "the BPF input chain after the queue counted it (${c:-none})" test "${c:-0}" -ge 1
fi
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_done
