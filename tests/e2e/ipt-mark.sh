#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iptables' MARK target with traffic: in namespace b, bpfwall iptables
# puts MARK rules (--set-mark, --set-xmark with a mask, --and-mark,
# --or-mark, --xor-mark) in a user chain INPUT jumps to, and -m mark DROP
# rules after the jump in INPUT: the chain that sets marks runs in
# nf_tables, the DROPs see the marks it set.  Ports 5001-5003 are dropped
# by mark, 5004 (marked, then the mark xor-ed away) and 5005 answer; the
# DROP rules' counters say which dropped; iptables-save prints the
# canonical --set-xmark V/M.  The same rules through iptables-nft give
# the same flows.
T_NAME=iptmark
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_pair
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

ipt() { bw_b iptables "$@"; }

for p in 5001 5002 5003 5004 5005; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

rules=$(cat <<'EOF2'
-A MARKS -p tcp --dport 5001 -j MARK --set-mark 0x10
-A MARKS -p tcp --dport 5002 -j MARK --set-mark 0x12345678
-A MARKS -p tcp --dport 5002 -j MARK --set-xmark 0x1/0xff
-A MARKS -p tcp --dport 5003 -j MARK --set-mark 0xff
-A MARKS -p tcp --dport 5003 -j MARK --and-mark 0xf
-A MARKS -p tcp --dport 5003 -j MARK --or-mark 0x100
-A MARKS -p tcp --dport 5004 -j MARK --set-mark 0x30
-A MARKS -p tcp --dport 5004 -m mark --mark 0x30 -j MARK --xor-mark 0x30
-A INPUT -j MARKS
-A INPUT -m mark --mark 0x10 -j DROP
-A INPUT -m mark --mark 0x12345601 -j DROP
-A INPUT -m mark --mark 0x10f -j DROP
-A INPUT -m mark --mark 0x30 -j DROP
EOF2
)
# load RULES with command IPT (bpfwall's iptables, or iptables-nft)
load()
{
	local rule out
	$1 -N MARKS || t_fatal "$1 -N MARKS"
	while read -r rule; do
		# shellcheck disable=SC2086
		out=$($1 $rule 2>&1) || t_fatal "$1 $rule: $out"
	done <<<"$rules"
}
load ipt

battery()
{
	local p
	for p in 5001 5002 5003 5004 5005; do
		if tcp_from "$NS_A" "$IP_A" "$IP_B" "$p" 1; then echo "tcp-$p 1"; else echo "tcp-$p 0"; fi
	done
}
want="tcp-5001 0
tcp-5002 0
tcp-5003 0
tcp-5004 1
tcp-5005 1"
got=$(battery)
if [ "$got" = "$want" ]; then
	t_ok "MARK in a user chain, -m mark DROP after the jump: $(echo $got)"
else
	t_bad "flows: $(echo $got) (want $(echo $want))"
fi

save=$(bw_b iptables-save -c 2>&1)
for m in 0x10 0x12345601 0x10f; do
	c=$(printf '%s\n' "$save" | grep -F -- "-m mark --mark $m -j DROP" |
	    sed -n 's/^\[\([0-9]*\):.*/\1/p')
	t_check "the --mark $m DROP rule counted the SYNs it dropped (${c:-none})" test "${c:-0}" -ge 1
done
c=$(printf '%s\n' "$save" | grep -F -- "-m mark --mark 0x30 -j DROP" | sed -n 's/^\[\([0-9]*\):.*/\1/p')
t_check "the --mark 0x30 DROP rule dropped nothing: the mark was xor-ed away (${c:-none})" test "${c:-1}" -eq 0
for line in "-A MARKS -p tcp -m tcp --dport 5001 -j MARK --set-xmark 0x10/0xffffffff" \
	"-A MARKS -p tcp -m tcp --dport 5002 -j MARK --set-xmark 0x1/0xff" \
	"-A MARKS -p tcp -m tcp --dport 5003 -j MARK --set-xmark 0x0/0xfffffff0" \
	"-A MARKS -p tcp -m tcp --dport 5003 -j MARK --set-xmark 0x100/0x100" \
	"-A MARKS -p tcp -m tcp --dport 5004 -m mark --mark 0x30 -j MARK --set-xmark 0x30/0x0"; do
	if printf '%s\n' "$save" | grep -qF -- "$line"; then
		t_ok "iptables-save: $line"
	else
		t_bad "iptables-save lacks: $line"
	fi
done
list=$(bw_b list ruleset 2>&1)
case $list in
*"meta mark set meta mark & 0xffffff01 | 0x00000001"*) t_ok "list ruleset shows --set-xmark 0x1/0xff as nft lists it (& m | o)" ;;
*) t_bad "list ruleset: $list" ;;
esac
lst=$(ipt -L MARKS -n 2>&1)
case $lst in
*"MARK xset 0x1/0xff"*"MARK and 0xf"*"MARK or 0x100"*"MARK xor 0x30"*) t_ok "iptables -L lists the MARK rules as iptables does" ;;
*) t_bad "iptables -L MARKS: $lst" ;;
esac
out=$(ipt -D MARKS -p tcp --dport 5002 -j MARK --set-xmark 0x1/0xff 2>&1) || t_bad "-D of a MARK rule: $out"
out=$(ipt -A MARKS -j MARK 2>&1)
t_check "-j MARK without an option is refused with status 2 ($?)" test $? -eq 2
t_check "... saying an option is required" grep -q "is required" <<<"$out"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush: 5001 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001

# the oracle: the same rules through iptables-nft give the same flows
if command -v iptables-nft >/dev/null 2>&1; then
	nft_ipt() { timeout 20 ip netns exec "$NS_B" iptables-nft "$@"; }
	load nft_ipt
	nft_got=$(battery)
	in_b nft flush ruleset
	t_check "iptables-nft with the same rules gives the same flows ($(echo $nft_got))" \
		test "$nft_got" = "$got"
fi
t_done
