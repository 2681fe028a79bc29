#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Named objects with traffic: in namespace b, a named counter counts the
# pings a sends; a named quota of 200 bytes lets the first pings through
# (84 bytes each) and then `quota name` no longer holds, so the next rule
# drops them; `ct helper set "ftp-std"` gives TCP connections to port 21
# the kernel's ftp helper, which a later rule counts when it sees it as
# `ct helper "ftp"` (on this machine's kernel nft -f itself shows no
# helper there: the test compares the count with nft's, whatever it is).
# bpfwall hands the chains to nf_tables with the objects in
# its own table (nft lists them there); `list ruleset` shows them with
# their state.  The same file through nft -f gives the same flows and
# counts.
T_NAME=nftobj
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules objects.conf <<'EOF2'
table inet filt {
	counter pings { }
	quota small { 200 bytes }
	ct helper ftp-std { type "ftp" protocol tcp; }
	chain pre {
		type filter hook prerouting priority 0; policy accept;
		tcp dport 21 ct helper set "ftp-std"
	}
	chain input {
		type filter hook input priority filter; policy accept;
		icmp type echo-request counter name "pings"
		icmp type echo-request quota name "small" accept
		icmp type echo-request drop
		tcp dport 21 ct helper "ftp" counter
	}
}
EOF2
)

t_tcp_server "$NS_B" "$IP_B" 21

# six pings, one a second at most: the answers as 1/0
pings()
{
	local i out=
	for i in 1 2 3 4 5 6; do
		if ping_from "$NS_A" "$IP_A" "$IP_B"; then out="$out 1"; else out="$out 0"; fi
	done
	echo $out
}
# what the quota lets through: 84-byte echo requests while fewer than 200
# bytes have passed (84, 168), then none
want_pings="1 1 0 0 0 0"

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f objects.conf: $out"
got=$(pings)
t_check "the quota lets two pings through, then quota name drops ($got)" \
	test "$got" = "$want_pings"
t_check "TCP to port 21 is accepted" tcp_from "$NS_A" "$IP_A" "$IP_B" 21

nftlist=$(in_b nft list table inet bpfwall 2>&1)
case $nftlist in
*"counter pings"*"packets 6 bytes 504"*) t_ok "the named counter counted the six pings in nf_tables" ;;
*) t_bad "nft lists: $nftlist" ;;
esac
case $nftlist in
*"quota small"*"200 bytes used 200 bytes"*) t_ok "the named quota is spent" ;;
*) t_bad "the quota: $nftlist" ;;
esac
case $nftlist in
*'ct helper ftp-std'*'type "ftp" protocol tcp'*'ct helper set "ftp-std"'*) t_ok "nft lists the helper object and its use" ;;
*) t_bad "the helper: $nftlist" ;;
esac
helper_seen=$(list_counter "$nftlist" 'ct helper "ftp" counter' | cut -d' ' -f1)

list=$(bw_b list ruleset 2>&1)
case $list in
*"counter pings {"*"packets 6 bytes 504"*) t_ok "list ruleset shows the counter's state" ;;
*) t_bad "list ruleset: $list" ;;
esac
case $list in
*"quota small {"*"200 bytes used 200 bytes"*) t_ok "list ruleset shows the quota's state" ;;
*) t_bad "list ruleset (quota): $list" ;;
esac
for line in 'icmp type echo-request counter name "pings"' \
	'icmp type echo-request quota name "small" accept' 'tcp dport 21 ct helper set "ftp-std"'; do
	case $list in
	*"$line"*) t_ok "list ruleset: $line" ;;
	*) t_bad "list ruleset lacks: $line" ;;
	esac
done

want_counters='table inet filt {
	counter pings {
		packets 6 bytes 504
	}
}'
got_counters=$(bw_b list counters 2>&1)
t_check "list counters: the table with its counter, as nft lists it ($got_counters)" \
	test "$got_counters" = "$want_counters"
got_quota=$(bw_b list quota inet filt small 2>&1)
case $got_quota in
*"quota small {"*"200 bytes used 200 bytes"*) t_ok "list quota inet filt small" ;;
*) t_bad "list quota inet filt small: $got_quota" ;;
esac
t_check_not "list counter inet filt nope fails" bw_b list counter inet filt nope
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: the table bpfwall is gone from nf_tables" \
	test -z "$(in_b nft list tables | grep -w bpfwall)"

out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f objects.conf: $out"
nft_got=$(pings)
t_check "nft -f of the same file: the same pings answered ($nft_got)" test "$nft_got" = "$got"
t_check "nft -f: TCP to port 21 is accepted" tcp_from "$NS_A" "$IP_A" "$IP_B" 21
nftlist=$(in_b nft list table inet filt 2>&1)
case $nftlist in
*"counter pings"*"packets 6 bytes 504"*"quota small"*"200 bytes used 200 bytes"*) t_ok "nft -f: the same counts" ;;
*) t_bad "nft -f lists: $nftlist" ;;
esac
t_check "nft list counters after nft -f prints what bpfwall list counters did" \
	test "$(in_b nft list counters 2>&1)" = "$want_counters"
c=$(list_counter "$nftlist" 'ct helper "ftp" counter' | cut -d' ' -f1)
t_check "ct helper \"ftp\" counted as many packets as with nft -f (${helper_seen:-none}, nft ${c:-none})" \
	test "${helper_seen:-x}" = "${c:-y}"
in_b nft flush ruleset
t_done
