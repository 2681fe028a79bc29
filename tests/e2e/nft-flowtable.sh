#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Flowtables (compiler/front/flowtable.c, compiler/nft/nft_flow.c): router
# r forwards between a and b; its forward chain counts TCP packets to b's
# echo port, then `ct state established flow add @ft` puts the connection
# into flowtable ft on r's two veths.  An offloaded connection's packets
# are forwarded at the ingress hook of those devices, past the forward
# hook, so the counter stops: a conversation of 150 lines (300 segments
# and more through r) is counted in full without the flow rule, and only
# its first packets (and its FIN) with it.  The same file through nft -f
# gives the same (nft as the oracle); flush ruleset removes the
# flowtable.
#
# Where the kernel has no flowtables (CONFIG_NF_FLOW_TABLE unset, as on
# this project's 6.18 machines) the load must fail as one transaction,
# with the error at the flowtable's line, and the running ruleset stay;
# nft -f refuses the file too.  Then the traffic part is skipped (77).
T_NAME=nftflow
T_TIMEOUT=${T_TIMEOUT:-150}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
PORT=7100

# base: the forward counter without the flow rule; flow: with it
for kind in base flow; do
	flow=""
	[ "$kind" = flow ] && flow="ct state established flow add @ft"
	t_rules "$kind.conf" >/dev/null <<EOF2
table inet t {
	flowtable ft {
		hook ingress priority filter
		devices = { "$VETH_RA", "$VETH_RB" }
	}

	chain fw {
		type filter hook forward priority filter; policy accept;
		ip daddr $IP_B tcp dport $PORT counter
		$flow
	}
}
EOF2
done
BASE=$T_DIR/base.conf
FLOW=$T_DIR/flow.conf
t_rules plain.conf >/dev/null <<EOF2
table inet t {
	chain fw {
		type filter hook forward priority filter; policy accept;
		ip daddr $IP_B tcp dport 9 counter drop
	}
}
EOF2
PLAIN=$T_DIR/plain.conf

# Does the kernel take a flowtable at all?
in_r nft add table inet bwprobe
if in_r nft add flowtable inet bwprobe f '{ hook ingress priority 0; }' 2>/dev/null; then
	have_ft=1
else
	have_ft=0
fi
in_r nft delete table inet bwprobe

# A flowtable no rule names stays out of nf_tables (any kernel), and is
# listed as written: list flowtables, list flowtable FAMILY TABLE NAME.
out=$(bw_r -f "$BASE" 2>&1) || t_fatal "bpfwall -f base.conf: $out"
want=$(printf 'table inet t {\n\tflowtable ft {\n\t\thook ingress priority filter\n\t\tdevices = { %s, %s }\n\t}\n}' \
	"$(printf '%s\n' "$VETH_RA" "$VETH_RB" | sort | head -n 1)" \
	"$(printf '%s\n' "$VETH_RA" "$VETH_RB" | sort | tail -n 1)")
t_check "list flowtables prints it as nft does" test "$(bw_r list flowtables)" = "$want"
t_check "list flowtable inet t ft too" test "$(bw_r list flowtable inet t ft)" = "$want"
t_check_not "list flowtable inet t nope fails" bw_r list flowtable inet t nope
t_check "a flowtable no rule names is not created in nf_tables" \
	test -z "$(in_r nft list flowtables 2>/dev/null | grep -F 'flowtable ft')"

if [ "$have_ft" = 0 ]; then
	out=$(bw_r -f "$PLAIN" 2>&1) || t_fatal "bpfwall -f plain.conf: $out"
	before=$(bw_r list ruleset 2>&1)
	out=$(bw_r -f "$FLOW" 2>&1)
	t_check "no flowtables in this kernel: bpfwall -f fails" test $? -eq 1
	t_check "... at the flowtable's line, saying why ($out)" \
		grep -qF "flow.conf:2:2-15: Error: nf_tables refused flowtable ft: No such file or directory" <<<"$out"
	t_check "... and the running ruleset stays" test "$(bw_r list ruleset 2>&1)" = "$before"
	t_check "... with nothing of the file in nf_tables" \
		test -z "$(in_r nft list flowtables 2>/dev/null | grep -F 'flowtable ft')"
	t_check_not "nft -f refuses the same file here too" in_r nft -f "$FLOW"
	out=$(bw_r flush ruleset 2>&1) || t_bad "flush: $out"
	[ "$T_FAILS" -gt 0 ] && t_done
	t_skip "this kernel has no flowtables (CONFIG_NF_FLOW_TABLE is not set): the refusal is checked, the offload is not"
fi

command -v socat >/dev/null 2>&1 || t_skip "needs socat"
timeout 100 ip netns exec "$NS_B" socat "TCP4-LISTEN:$PORT,bind=$IP_B,fork,reuseaddr" \
	PIPE >/dev/null 2>&1 &
T_PIDS+=($!)
for i in $(seq 1 50); do
	in_b ss -Hltn 2>/dev/null | grep -qF " $IP_B:$PORT " && break
	sleep 0.1
done

# talk: a conversation of 150 lines, each echoed by b, one at a time
# (bounded: 20 s); prints how many lines came back
talk()
{
	local i
	for i in $(seq 1 150); do
		echo "line $i"
		sleep 0.01
	done | timeout 20 ip netns exec "$NS_A" socat -t 2 - \
		"TCP4:$IP_B:$PORT,bind=$IP_A,connect-timeout=3" 2>/dev/null | wc -l
}

# the forward counter's packets, from the listing given on stdin
packets()
{
	sed -n "s/.*tcp dport $PORT counter packets \([0-9]*\).*/\1/p" | head -n 1
}

out=$(bw_r -f "$BASE" 2>&1) || t_fatal "bpfwall -f base.conf: $out"
got=$(talk)
t_check "without flow add: b echoes every line ($got of 150)" test "$got" = 150
base=$(bw_r list ruleset | packets)
t_check "... and the forward chain counts them all (${base:-none} packets)" \
	test "${base:-0}" -ge 150

out=$(bw_r -f "$FLOW" 2>&1) || t_fatal "bpfwall -f flow.conf: $out"
t_check "the flowtable is in r's nf_tables" \
	grep -qE "^[[:space:]]*flowtable ft \{" <<<"$(in_r nft list ruleset)"
got=$(talk)
t_check "with flow add: b still echoes every line ($got of 150)" test "$got" = 150
flow=$(bw_r list ruleset | packets)
t_check "... and the forward chain saw only the first packets (${flow:-none}, < 40)" \
	test -n "$flow" -a "${flow:-999}" -lt 40

out=$(bw_r flush ruleset 2>&1) || t_bad "flush: $out"
t_check "flush ruleset removes the flowtable" \
	test -z "$(in_r nft list flowtables 2>/dev/null | grep -F 'flowtable ft')"

out=$(in_r nft -f "$FLOW" 2>&1) || t_fatal "nft -f flow.conf: $out"
got=$(talk)
nflow=$(in_r nft list ruleset | packets)
in_r nft flush ruleset
t_check "nft -f of the same file: every line ($got of 150)" test "$got" = 150
t_check "... and only the first packets in the forward chain (${nflow:-none}, < 40)" \
	test -n "$nflow" -a "${nflow:-999}" -lt 40
t_done
