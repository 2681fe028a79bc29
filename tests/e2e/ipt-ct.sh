#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# iptables' conntrack options that read the entry (--ctproto, the tuples'
# addresses and ports, --ctexpire), -m connmark and -j CONNMARK, bpfwall
# against the real iptables-nft:
#  1. the same commands in two fresh namespaces: the same exit statuses,
#     and -S and iptables-save print the same;
#  2. a ruleset with them loaded with iptables-restore into namespace b,
#     through iptables-nft, then through bpfwall: the same connections
#     and datagrams from namespace a get through or not, and the UDP
#     rules count the same datagrams.
T_NAME=iptct
T_TIMEOUT=${T_TIMEOUT:-300}
. "$(dirname "$0")/../lib/bwtest.sh"
t_ipt_pair

# --- 1. commands
t_ipt_commands <<'EOF'
-A INPUT -m conntrack --ctproto tcp -j ACCEPT
-A INPUT -m conntrack ! --ctproto 17 --ctorigsrc 192.0.2.0/24 -j DROP
-A INPUT -m conntrack --ctorigdst 192.0.2.2 ! --ctreplsrc 198.51.100.0/255.255.255.0 -j ACCEPT
-A INPUT -m conntrack --ctrepldst 203.0.113.7/32 -j ACCEPT
-A INPUT -p tcp -m conntrack --ctorigdstport 22 ! --ctorigsrcport 1024:65535 -j ACCEPT
-A INPUT -m conntrack --ctproto udp --ctreplsrcport 53 --ctrepldstport 5000:6000 -j ACCEPT
-A INPUT -m conntrack --ctexpire 10:3600 -j ACCEPT
-A INPUT -m conntrack ! --ctexpire 0 -j DROP
-A INPUT -m conntrack --ctstate NEW --ctproto tcp --ctorigsrc 192.0.2.1 --ctstatus ASSURED --ctexpire 5 --ctdir ORIGINAL -j ACCEPT
-A INPUT -m conntrack --ctorigsrc 192.0.2.300 -j ACCEPT
-A INPUT -m connmark --mark 0x1/0xff -j ACCEPT
-A INPUT -p tcp -m connmark ! --mark 2 -j DROP
-A INPUT -m connmark --mark 0/0xffffffff -j ACCEPT
-A INPUT -m connmark --mark 0x100000000 -j ACCEPT
-A INPUT -m connmark
-A INPUT -p tcp --dport 80 -j CONNMARK --set-mark 0x10
-A INPUT -j CONNMARK --set-xmark 0x1/0xff
-A INPUT -j CONNMARK --set-mark 0x2/0xf0
-A INPUT -j CONNMARK --and-mark 0xf
-A INPUT -j CONNMARK --or-mark 0x100
-A INPUT -j CONNMARK --xor-mark 0x30
-A INPUT -j CONNMARK --save-mark
-A INPUT -j CONNMARK --save-mark --nfmask 0xff
-A INPUT -j CONNMARK --restore-mark
-A INPUT -j CONNMARK --restore-mark --ctmask 0xff00
-A INPUT -j CONNMARK
-C INPUT -j CONNMARK --or-mark 0x100
-D INPUT -j CONNMARK --xor-mark 0x30
-A INPUT -m conntrack --ctproto bogus -j ACCEPT
-C INPUT -m conntrack --ctrepldst 203.0.113.7/32 -j ACCEPT
-D INPUT -m conntrack --ctproto tcp -j ACCEPT
-S
-L -n
EOF

want=$(timeout 20 ip netns exec "$NS_N" iptables-nft-save | grep -v '^#' | sed 's/v1\.8\.[0-9]*//')
got=$(timeout 20 ip netns exec "$NS_W" "$BPFWALL" --pin-dir "$T_DIR/bpf-$NS_W" iptables-save | grep -v '^#')
if [ "$want" = "$got" ]; then
	t_ok "iptables-save prints what iptables-nft-save prints after $i commands"
else
	t_bad "iptables-save differs from iptables-nft-save"
	diff <(echo "$want") <(echo "$got") | head -20
fi

# --- 2. verdicts and counters
rules=$(t_rules rules.v4 <<'EOF2'
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m conntrack --ctorigsrc 192.0.2.1 --ctorigdstport 5001 -j DROP
-A INPUT -m conntrack --ctproto udp --ctorigdstport 5003 -j DROP
-A INPUT -p tcp -m conntrack --ctreplsrc 192.0.2.2 --ctreplsrcport 5002 -j ACCEPT
-A INPUT -p tcp -m conntrack --ctorigdst 192.0.2.0/24 --ctorigdstport 5004:5005 ! --ctorigsrc 192.0.2.66 -j ACCEPT
-A INPUT -m conntrack --ctproto udp --ctrepldst 192.0.2.1 --ctrepldstport 1024:65535 --ctexpire 0:200 -j ACCEPT
-A INPUT -m conntrack --ctproto tcp --ctorigsrc 192.0.2.66/255.255.255.192 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 5013 -j CONNMARK --set-mark 0x5
-A INPUT -p tcp -m tcp --dport 5014 -j MARK --set-mark 0x7
-A INPUT -p tcp -m tcp --dport 5014 -j CONNMARK --save-mark
-A INPUT -m connmark --mark 0x5 -j DROP
-A INPUT -p tcp -m tcp --dport 5014 -m connmark --mark 0x7 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 5011 -m connmark --mark 0x0 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 5012 -m connmark ! --mark 0x0/0xff -j ACCEPT
COMMIT
EOF2
)
for p in 5001 5002 5004 5005 5006 5011 5012 5013 5014; do
	t_tcp_server "$NS_B" 0.0.0.0 "$p"
done
t_udp_server "$NS_B" "$IP_B" 5003
t_udp_server "$NS_B" "$IP_B" 5007

yes_no() { if "$@"; then echo 1; else echo 0; fi; }
probes()
{
	local r=""
	r+="tcp5001:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5001 1) "
	r+="tcp5002:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5002 2) "
	r+="tcp5004:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5004 2) "
	r+="tcp5005from66:$(yes_no tcp_from "$NS_A" "$IP_A2" "$IP_B" 5005 1) "
	r+="tcp5006:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5006 1) "
	r+="tcp5006from66:$(yes_no tcp_from "$NS_A" "$IP_A2" "$IP_B" 5006 2) "
	r+="tcp5011:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5011 2) "
	r+="tcp5012:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5012 1) "
	r+="tcp5013:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5013 1) "
	r+="tcp5014:$(yes_no tcp_from "$NS_A" "$IP_A" "$IP_B" 5014 2) "
	r+="udp5003:$(yes_no udp_from "$NS_A" "$IP_A" "$IP_B" 5003) "
	r+="udp5007:$(yes_no udp_from "$NS_A" "$IP_A" "$IP_B" 5007)"
	echo "$r"
}
# the counts of the UDP rules (one datagram a probe)
udp_counts()
{
	grep -E -- '--ctproto (17|udp)' | sed -n 's/^\[\([0-9]*\):.*/\1/p' | tr '\n' ' '
}
# (5005 from .66: the last rule's mask takes .66; udp 5007: a new
# entry's expiration is 0 at input, before it is confirmed)
expect="tcp5001:0 tcp5002:1 tcp5004:1 tcp5005from66:1 tcp5006:0 tcp5006from66:1 tcp5011:1 tcp5012:0 tcp5013:0 tcp5014:1 udp5003:0 udp5007:1"

timeout 20 ip netns exec "$NS_B" iptables-nft-restore <"$rules" || t_fatal "iptables-nft-restore"
want=$(probes)
want_c=$(timeout 20 ip netns exec "$NS_B" iptables-nft-save -c | udp_counts)
timeout 20 ip netns exec "$NS_B" nft flush ruleset
in_b conntrack -F >/dev/null 2>&1
out=$(bw_b iptables-restore <"$rules" 2>&1) || t_fatal "bpfwall iptables-restore: $out"
got=$(probes)
got_c=$(bw_b iptables-save -c | udp_counts)
t_check "iptables-nft gives the flows this test expects: $want" test "$want" = "$expect"
if [ "$want" = "$got" ]; then
	t_ok "the same flows as iptables-nft: $got"
else
	t_bad "flows differ: iptables-nft: $want; bpfwall: $got"
fi
if [ "$want_c" = "$got_c" ] && [ -n "$got_c" ]; then
	t_ok "the UDP rules count what iptables-nft counts: $got_c"
else
	t_bad "UDP rule counts differ: iptables-nft: '$want_c'; bpfwall: '$got_c'"
fi
list=$(bw_b list ruleset 2>&1)
case $list in
*"ct original ip saddr 192.0.2.1 ct original proto-dst 5001"*) t_ok "list ruleset shows the translation" ;;
*) t_bad "list ruleset: $list" ;;
esac
bw_b flush ruleset >/dev/null 2>&1
t_done
