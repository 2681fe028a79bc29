#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iptables' -m owner with ! and --socket-exists, which bpfwall hands to
# nf_tables' compat match (the kernel's xt_owner, test by test), against
# iptables-nft with the same rules in the same namespace: real datagrams
# sent by root and by nobody, and the resets a's kernel sends without a
# socket (a closed port), get the same fate and the rules count the same
# packets.
T_NAME=iptown
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v iptables-nft-restore >/dev/null || t_skip "iptables-nft is not installed (Debian: apt-get install iptables)"
command -v socat >/dev/null || t_skip "socat is not installed"
command -v setpriv >/dev/null || t_skip "setpriv is not installed (util-linux)"
t_setup_pair
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

rules=$(t_rules owner.v4 <<'EOF2'
*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A OUTPUT -p udp -m udp --dport 5101 -m owner ! --uid-owner 0 -j DROP
-A OUTPUT -p udp -m udp --dport 5102 -m owner --socket-exists -j DROP
-A OUTPUT -p udp -m udp --dport 5103 -m owner ! --socket-exists -j DROP
-A OUTPUT -p udp -m udp --dport 5104 -m owner --uid-owner 0 ! --gid-owner 0 -j DROP
-A OUTPUT -p tcp -m tcp --sport 5199 -m owner ! --uid-owner 0-10 -j DROP
COMMIT
EOF2
)
for p in 5101 5102 5103 5104; do
	t_udp_server "$NS_B" "$IP_B" "$p"
done

# udp AS PORT: 1 when b's answer comes back
udp()
{
	local out
	out=$(echo ping | timeout 6 ip netns exec "$NS_A" $1 socat -t 2 -T 2 - \
		"UDP4:$IP_B:$2,bind=$IP_A" 2>/dev/null)
	[ "$out" = "bw-hello $2" ] && echo 1 || echo 0
}
# rst: 1 when b's connect to a closed port of a is refused (a's kernel
# answers with a reset that no socket sends), 0 when nothing comes back
rst()
{
	local err
	err=$(timeout 6 ip netns exec "$NS_B" socat -u \
		"TCP4:$IP_A:5199,connect-timeout=2" - 2>&1 >/dev/null)
	grep -q refused <<<"$err" && echo 1 || echo 0
}
battery()
{
	echo "root5101:$(udp "" 5101) nobody5101:$(udp "$NOBODY" 5101)" \
	     "root5102:$(udp "" 5102) nobody5103:$(udp "$NOBODY" 5103)" \
	     "nobody5104:$(udp "$NOBODY" 5104) root5104:$(udp "" 5104) rst:$(rst)"
}
# the packet counts of OUTPUT's rules, in order
counts()
{
	"$@" -L OUTPUT -v -x -n | awk 'NR > 2 { printf "%s ", $1 }'
}

out=$(in_a iptables-nft-restore <"$rules" 2>&1) || t_fatal "iptables-nft-restore: $out"
want=$(battery)
want_counts=$(counts in_a iptables-nft)
in_a iptables-nft -F
in_a nft flush ruleset
out=$(bw_a iptables-restore <"$rules" 2>&1) || t_fatal "bpfwall iptables-restore: $out"
case $(in_a nft list ruleset 2>&1) in
*"xt match owner"* | *"skuid != 0"*) t_ok "the owner tests are in nf_tables" ;;
*) t_bad "no owner test in nf_tables: $(in_a nft list ruleset 2>&1 | head -n 20)" ;;
esac
got=$(battery)
got_counts=$(counts bw_a iptables)
t_check "the expected fates with iptables-nft ($want)" \
	test "$want" = "root5101:1 nobody5101:0 root5102:0 nobody5103:1 nobody5104:1 root5104:1 rst:0"
t_check "the same fates through bpfwall ($got)" test "$got" = "$want"
t_check "the same counts ($got_counts; iptables-nft: $want_counts)" test "$got_counts" = "$want_counts"
out=$(bw_a flush ruleset 2>&1) || t_bad "flush: $out"
t_done
