#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The conntrack keeper (bw_nft_plan_ct_keeper): nf_tables turns connection
# tracking on in a network namespace only while a rule uses a ct
# expression (nft_ct_get_init takes nf_ct_netns_get).  A regular chain of
# bpfwall's table with one `ct state` load and no hook keeps it on for
# the BPF netfilter programs, which read the kernel's conntrack, without
# touching a packet.  In namespace b: no entry for flows before the keeper,
# entries (IPv4 and IPv6) while it is there, traffic unaffected, none for
# new flows once it is deleted.
T_NAME=nftct
T_TIMEOUT=90
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft"
NFTPLAN=$T_BUILDDIR/tests/nft/nftplan
[ -x "$NFTPLAN" ] || t_fatal "no $NFTPLAN (make check builds it)"
t_setup_pair
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
[ -r /proc/net/nf_conntrack ] || in_b test -r /proc/net/nf_conntrack ||
	t_skip "no /proc/net/nf_conntrack (CONFIG_NF_CONNTRACK_PROCFS)"
plan() { timeout 30 ip netns exec "$NS_B" "$NFTPLAN" -t bpfwall "$@"; }

# entries of b's conntrack table for TCP to port $1
tracked()
{
	in_b cat /proc/net/nf_conntrack | grep -c "dport=$1 " || true
}

t_tcp_server "$NS_B" "$IP_B" 5101
t_tcp_server "$NS_B" "$IP_B" 5102
t_tcp_server "$NS_B" "$IP6_B" 5103
t_tcp_server "$NS_B" "$IP_B" 5104

t_check "a flow before the keeper passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 5101
t_check "and is not tracked (connection tracking is off in b)" test "$(tracked 5101)" = 0

out=$(plan keeper inet 2>&1) || t_fatal "keeper: $out"
listing=$(in_b nft list ruleset)
printf '%s\n' "$listing" | grep -q "chain bpfwall_ct_keeper" &&
	t_ok "the keeper chain is in table inet bpfwall" ||
	t_bad "no keeper chain: $listing"
printf '%s\n' "$listing" | grep -q "hook" &&
	t_bad "the keeper has a hook: $listing" ||
	t_ok "the keeper is no base chain (no hook runs it)"

t_check "a flow with the keeper passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 5102
t_check "and is tracked" test "$(tracked 5102)" -ge 1
t_check "an IPv6 flow with the keeper passes" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 5103
t_check "and is tracked" test "$(tracked 5103)" -ge 1
in_b grep -F "dport=5102 " /proc/net/nf_conntrack | head -n 1

out=$(plan delete 2>&1) || t_bad "delete: $out"
t_check "a flow after the keeper is gone passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 5104
t_check "and is not tracked" test "$(tracked 5104)" = 0
t_done
