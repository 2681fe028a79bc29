#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bpfwall's iptables against the real iptables-nft, side by side:
#  1. the same command sequence (chains, inserts, deletes, renames,
#     policies, REJECT and conntrack rules in INPUT and FORWARD, errors)
#     in two fresh namespaces: the same exit statuses, and -S, -L,
#     -L -n -v --line-numbers, iptables-save print the same (save's
#     header lines and version aside);
#  2. a ruleset written for iptables loaded with iptables-restore into
#     namespace b, first through iptables-nft, then through bpfwall: the
#     same probes from namespace a get the same verdicts (accepted,
#     dropped, or refused and how: a reset, an ICMP error), and the rules
#     the probes hit count the same packets;
#  3. the same for a router (namespaces a - r - b, the rules in r): the
#     FORWARD chain with conntrack (-m conntrack, -m state) and REJECT,
#     flows from a to b, b's unrequested flows to a, and r's own INPUT;
#  4. bpfwall -f RULES.v4 trace names the deciding iptables rule (its line,
#     its text, its number in its chain), kernel and interpreter.
T_NAME=iptd
T_TIMEOUT=${T_TIMEOUT:-300}
. "$(dirname "$0")/../lib/bwtest.sh"
command -v setpriv >/dev/null || t_skip "setpriv is not installed (util-linux)"
t_ipt_pair

# --- 1. commands
t_ipt_commands <<'EOF'
-N DOCKER
-N DOCKER
-N abc
-A INPUT -s 192.0.2.0/24 -p tcp --dport 22 -m comment --comment "ssh in" -j ACCEPT
-A INPUT -i veth+ ! -s 198.51.100.7 -p udp -m multiport --dports 53,1000:2000 -j DROP
-I INPUT -p icmp --icmp-type echo-request -m limit --limit 10/sec --limit-burst 20 -j ACCEPT
-I INPUT 2 -p tcp -m tcp --sport 1:1023 --tcp-flags ALL ACK -j ACCEPT
-A INPUT -p tcp --syn -j DOCKER
-A INPUT -g abc
-A DOCKER -m iprange --src-range 192.0.2.10-192.0.2.20 -j RETURN
-A DOCKER -m pkttype --pkt-type broadcast -m length --length 100:200 -j DROP
-A DOCKER -m mark --mark 0x10/0xff -m ttl --ttl-lt 5 -j LOG --log-prefix "low ttl " --log-level 6
-A DOCKER -m mark ! --mark 0x20 -m ttl --ttl-gt 250 -j DROP
-A DOCKER -p tcp -m tcp ! --tcp-flags SYN,ACK SYN -m dscp --dscp 0x0a -j NFLOG --nflog-group 3
-A DOCKER -d 203.0.113.0/255.255.255.0 -f -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp --dport 23 -j REJECT --reject-with tcp-reset
-A INPUT -p udp -m state --state NEW -m udp --dport 69 -j REJECT
-A INPUT -m conntrack ! --ctstate NEW,INVALID -p icmp -j REJECT --reject-with icmp-host-prohibited
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -i veth0 -o veth1 -m state --state NEW,UNTRACKED -j DOCKER
-A FORWARD -p tcp -j REJECT --reject-with icmp-admin-prohibited
-A FORWARD -j REJECT --reject-with icmp-net-unreachable
-A DOCKER -p tcp -m multiport --ports 22,80,443 -j ACCEPT
-A FORWARD -m conntrack --ctstatus ASSURED,CONFIRMED --ctdir REPLY -j ACCEPT
-A FORWARD -m conntrack ! --ctstatus NONE -j ACCEPT
-A FORWARD -m conntrack --ctstate SNAT -j ACCEPT
-A FORWARD -p tcp -m conntrack --ctstate NEW --ctdir ORIGINAL -j DOCKER
-A FORWARD -m conntrack --ctstatus BOGUS -j ACCEPT
-A INPUT -m addrtype --dst-type LOCAL -j ACCEPT
-A INPUT -m addrtype ! --src-type LOCAL,BROADCAST --dst-type UNICAST,MULTICAST -j DROP
-A INPUT -m addrtype
-A INPUT -m addrtype --src-type BOGUS
-A OUTPUT -m owner --uid-owner 0 -j ACCEPT
-A OUTPUT -m owner --uid-owner 0-10 --gid-owner 0 -j DOCKER
-A OUTPUT -m owner --gid-owner 65534 -j ACCEPT
-A INPUT -m owner --uid-owner 0 -j ACCEPT
-A DOCKER -p udp -m multiport ! --ports 53 -j DROP
-C DOCKER -p udp -m multiport ! --ports 53 -j DROP
-C INPUT -p tcp --dport 23 -j REJECT --reject-with tcp-reset
-C INPUT -p tcp --dport 23 -j REJECT
-D FORWARD -j REJECT --reject-with icmp-net-unreachable
-A INPUT -j REJECT --reject-with tcp-reset
-C INPUT -p tcp --syn -j DOCKER
-C INPUT -p tcp --syn -j abc
-D INPUT -p tcp --syn -j abc
-I INPUT 99 -j ACCEPT
-A INPUT -j nochain
-A INPUT --bogus
-A INPUT -p tcp --dport 70000
-P FORWARD DROP
-P abc DROP
-R INPUT 1 -s 192.0.2.1 -j ACCEPT
-D INPUT 3
-E abc xyz
-X DOCKER
-S
-S INPUT
-S DOCKER 2
-L
-L -n
-L -n -v --line-numbers
-L INPUT -n -v -x
-L nochain
-F DOCKER
-X DOCKER
-Z
-S
EOF

want=$(timeout 20 ip netns exec "$NS_N" iptables-nft-save | grep -v '^#' | sed 's/v1\.8\.[0-9]*//')
got=$(timeout 20 ip netns exec "$NS_W" "$BPFWALL" --pin-dir "$T_DIR/bpf-$NS_W" iptables-save | grep -v '^#')
if [ "$want" = "$got" ]; then
	t_ok "iptables-save prints what iptables-nft-save prints after $i commands"
else
	t_bad "iptables-save differs from iptables-nft-save"
	diff <(echo "$want") <(echo "$got") | head -20
fi
[ "$T_FAILS" -eq 0 ] && t_ok "$i commands: the same exit statuses and output as iptables-nft"

# --- 2. verdicts and counters

# how NS SRC DST PORT [tcp|udp] [SECONDS] [SPORT]: how a connection (TCP) or a
# datagram and its answer (UDP) fares: ok (the server's greeting),
# refused (a reset, or ICMP port unreachable), unreach (ICMP host or
# admin prohibited), eperm (dropped in the sender's OUTPUT), or lost
# (nothing came back in SECONDS, default 1).
how()
{
	local ns=$1 src=$2 dst=$3 port=$4 proto=${5:-tcp} wait=${6:-1} err out
	[ -n "${7:-}" ] && src="$src:$7"
	out="$T_DIR/how.out"
	: >"$out"
	if [ "$proto" = tcp ]; then
		err=$(timeout $((wait + 3)) ip netns exec "$ns" ${HOW_AS:-} socat -u \
			"TCP4:$dst:$port,bind=$src,connect-timeout=$wait" - 2>&1 >"$out")
	else
		err=$(echo ping | timeout $((wait + 3)) ip netns exec "$ns" socat -t "$wait" \
			-T "$wait" - "UDP4:$dst:$port,bind=$src" 2>&1 >"$out")
	fi
	if [ "$(cat "$out")" = "bw-hello $port" ]; then
		echo ok
	elif grep -q 'refused' <<<"$err"; then
		echo refused
	elif grep -q -i 'no route to host' <<<"$err"; then
		echo unreach
	elif grep -q -i 'not permitted' <<<"$err"; then
		echo eperm		# a local packet dropped in OUTPUT
	else
		echo lost
	fi
}

# the counts of the rules that see exactly one packet a probe (ICMP
# rules, REJECT rules: the first packet is answered or is the only one;
# a dropped SYN's retransmissions are not)
one_counts()
{
	grep -E -- '-p icmp|-j REJECT' | sed -n 's/^\[\([0-9]*\):.*/\1/p' | tr '\n' ' '
}

rules=$(t_rules rules.v4 <<'EOF'
*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:svc - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -s 192.0.2.1/32 -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A INPUT -s 192.0.2.66/32 -p icmp -j DROP
-A INPUT -p tcp -m multiport --dports 80,8080 -j svc
-A INPUT -p tcp -m tcp --dport 9090 -m conntrack --ctstate NEW -j ACCEPT
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p tcp -m tcp --dport 7071 -j REJECT --reject-with tcp-reset
-A INPUT -p tcp -m tcp --dport 7072 -m state --state NEW -j REJECT
-A INPUT -p tcp -m tcp --dport 7073 -j REJECT --reject-with icmp-host-prohibited
-A INPUT -s 192.0.2.66/32 -p udp -m udp --dport 5353 -j REJECT --reject-with icmp-port-unreachable
-A INPUT -p udp -m udp --dport 5353 -j ACCEPT
-A INPUT -p tcp -m multiport --ports 6000,6001 -j ACCEPT
-A INPUT -p tcp -m tcp --dport 6003 -m addrtype --src-type UNICAST --dst-type LOCAL -j ACCEPT
-A INPUT -p tcp -m tcp --dport 6004 -m addrtype ! --dst-type LOCAL -j ACCEPT
-A INPUT -p tcp -m tcp --dport 6005 -m addrtype --dst-type LOCAL --limit-iface-in -j ACCEPT
-A INPUT -p tcp -m tcp --dport 6006 -m addrtype --src-type LOCAL --limit-iface-in -j ACCEPT
-A OUTPUT -p tcp -m tcp --dport 7777 -m owner --uid-owner 65534 -j DROP
-A OUTPUT -p tcp -m tcp --dport 7778 -m owner --uid-owner 0-10 --gid-owner 0 -j DROP
-A svc -s 192.0.2.66/32 -j RETURN
-A svc -j ACCEPT
COMMIT
EOF
)
for port in 80 8080 9090 7070 7071 6000 6003 6004 6005 6006; do
	t_tcp_server "$NS_B" 0.0.0.0 "$port"
done
t_tcp_server "$NS_A" 0.0.0.0 7777
t_tcp_server "$NS_A" 0.0.0.0 7778
# how's connections as uid and gid 65534 (b's OUTPUT tells sockets by
# owner)
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
t_udp_server "$NS_B" "$IP_B" 5353

probes()
{
	local r=""
	ping_from "$NS_A" "$IP_A" "$IP_B" && r+="ping1 " || r+="-ping1 "
	ping_from "$NS_A" "$IP_A2" "$IP_B" && r+="ping66 " || r+="-ping66 "
	r+="tcp80:$(how "$NS_A" "$IP_A" "$IP_B" 80 tcp 2) "
	r+="tcp80from66:$(how "$NS_A" "$IP_A2" "$IP_B" 80) "
	r+="tcp8080:$(how "$NS_A" "$IP_A" "$IP_B" 8080 tcp 2) "
	r+="tcp9090:$(how "$NS_A" "$IP_A" "$IP_B" 9090 tcp 2) "
	r+="tcp7070:$(how "$NS_A" "$IP_A" "$IP_B" 7070) "
	r+="tcp7071:$(how "$NS_A" "$IP_A" "$IP_B" 7071 tcp 2) "
	r+="tcp7072:$(how "$NS_A" "$IP_A" "$IP_B" 7072 tcp 2) "
	r+="tcp7073:$(how "$NS_A" "$IP_A" "$IP_B" 7073 tcp 2) "
	r+="udp5353:$(how "$NS_A" "$IP_A" "$IP_B" 5353 udp 3) "
	r+="udp5353from66:$(how "$NS_A" "$IP_A2" "$IP_B" 5353 udp 2) "
	r+="tcp6000:$(how "$NS_A" "$IP_A" "$IP_B" 6000 tcp 2) "
	r+="tcp9091from6001:$(how "$NS_A" "$IP_A" "$IP_B" 9091 tcp 2 6001) "
	r+="tcp9091from6002:$(how "$NS_A" "$IP_A" "$IP_B" 9091 tcp 1 6002) "
	r+="tcp6003:$(how "$NS_A" "$IP_A" "$IP_B" 6003 tcp 2) "
	r+="tcp6004:$(how "$NS_A" "$IP_A" "$IP_B" 6004 tcp 1) "
	r+="tcp6005:$(how "$NS_A" "$IP_A" "$IP_B" 6005 tcp 2) "
	r+="tcp6006:$(how "$NS_A" "$IP_A" "$IP_B" 6006 tcp 1) "
	r+="out7777root:$(how "$NS_B" "$IP_B" "$IP_A" 7777 tcp 2) "
	r+="out7777nobody:$(HOW_AS=$NOBODY how "$NS_B" "$IP_B" "$IP_A" 7777 tcp 1) "
	r+="out7778root:$(how "$NS_B" "$IP_B" "$IP_A" 7778 tcp 1) "
	r+="out7778nobody:$(HOW_AS=$NOBODY how "$NS_B" "$IP_B" "$IP_A" 7778 tcp 2)"
	echo "$r"
}

timeout 20 ip netns exec "$NS_B" iptables-nft-restore <"$rules" || t_fatal "iptables-nft-restore"
want=$(probes)
want_c=$(timeout 20 ip netns exec "$NS_B" iptables-nft-save -c | one_counts)
timeout 20 ip netns exec "$NS_B" nft flush ruleset
out=$(bw_b iptables-restore <"$rules" 2>&1) || t_fatal "bpfwall iptables-restore: $out"
got=$(probes)
got_c=$(bw_b iptables-save -c | one_counts)
if [ "$want" = "$got" ]; then
	t_ok "the same verdicts as iptables-nft: $got"
else
	t_bad "verdicts differ: iptables-nft: $want; bpfwall: $got"
fi
if [ "$want_c" = "$got_c" ] && [ -n "$got_c" ]; then
	t_ok "the ICMP and REJECT rules count what iptables-nft counts: $got_c"
else
	t_bad "ICMP and REJECT rule counts differ: iptables-nft: '$want_c'; bpfwall: '$got_c'"
fi
list=$(bw_b list ruleset 2>&1)
grep -q 'table ip filter' <<<"$list" && t_ok "list ruleset shows table ip filter" ||
	t_bad "list ruleset does not show the iptables table: $list"
# a reload keeps the counts
bw_b iptables -A INPUT -p tcp --dport 5555 -j DROP >/dev/null 2>&1
again=$(bw_b iptables-save -c | one_counts)
[ "$again" = "$got_c" ] && t_ok "a command keeps the counts of the rules it leaves ($again)" ||
	t_bad "counts after a command: '$again', before: '$got_c'"
bw_b flush ruleset >/dev/null 2>&1

# --- 3. a router: FORWARD with conntrack and REJECT
# (t_setup_router's namespaces are named after T_NAME: a new name keeps
# them apart from part 2's)
T_NAME=iptdr
t_setup_router
# r's rulesets: with REJECT in FORWARD (that chain runs in the kernel's
# nf_tables) and without (FORWARD as a BPF program at the forward hook,
# reading the kernel's conntrack)
fw_reject=$(t_rules fw-reject.v4 <<EOF
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:fw - [0:0]
-A INPUT -p tcp -m tcp --dport 22 -j REJECT --reject-with tcp-reset
-A INPUT -s 192.0.2.66/32 -p icmp -m state --state NEW -j REJECT --reject-with icmp-admin-prohibited
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -i $VETH_RA -o $VETH_RB -p tcp -m multiport --dports 80,81,82 -j fw
-A FORWARD -i $VETH_RA -p icmp -m icmp --icmp-type 8 -m state --state NEW -j ACCEPT
-A FORWARD -i $VETH_RA -p udp -m udp --dport 53 -m conntrack --ctstate NEW -j ACCEPT
-A FORWARD -p udp -m multiport --ports 54,56 -j REJECT
-A FORWARD -p tcp -m tcp --dport 83 -j REJECT --reject-with icmp-host-prohibited
-A fw -s 192.0.2.66/32 -j REJECT --reject-with icmp-admin-prohibited
-A fw -p tcp -m tcp --dport 82 -j REJECT --reject-with tcp-reset
-A fw -p tcp -m tcp --dport 80 -j ACCEPT
COMMIT
EOF
)
fw_bpf=$(t_rules fw-bpf.v4 <<EOF
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -m conntrack --ctstate INVALID -j DROP
-A FORWARD -i $VETH_RA -o $VETH_RB -p tcp -m multiport --dports 80,82 -m state --state NEW -j ACCEPT
-A FORWARD -s 192.0.2.66/32 -p icmp -j DROP
-A FORWARD -i $VETH_RA -p icmp -m icmp --icmp-type 8 -j ACCEPT
-A FORWARD -i $VETH_RA -p udp -m udp --dport 53 -m state --state NEW -j ACCEPT
COMMIT
EOF
)
# FORWARD reading the entry's status and the packet's direction (a chain
# with them runs in nf_tables, as iptables-nft's xt conntrack match)
fw_ct=$(t_rules fw-ct.v4 <<EOF
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
-A FORWARD -p tcp -m tcp --sport 80 -m conntrack --ctdir REPLY -j ACCEPT
-A FORWARD -p udp -m conntrack --ctstate ESTABLISHED --ctdir REPLY -j ACCEPT
-A FORWARD -p icmp -m conntrack --ctdir REPLY -j ACCEPT
-A FORWARD -m conntrack --ctstatus SEEN_REPLY,ASSURED -j ACCEPT
-A FORWARD -i $VETH_RA -p tcp -m conntrack --ctstate NEW --ctdir ORIGINAL -m multiport --dports 80,82 -j ACCEPT
-A FORWARD -i $VETH_RA -p udp -m udp --dport 53 -m conntrack --ctdir ORIGINAL -j ACCEPT
-A FORWARD -i $VETH_RA -p icmp -m conntrack ! --ctstatus SEEN_REPLY -j ACCEPT
-A FORWARD -m conntrack --ctstate SNAT,DNAT -j ACCEPT
COMMIT
EOF
)
for port in 80 81 83; do
	t_tcp_server "$NS_B" 0.0.0.0 "$port"
done
t_tcp_server "$NS_A" 0.0.0.0 80
t_udp_server "$NS_B" "$IP_B" 53
t_udp_server "$NS_B" "$IP_B" 55

fwd_probes()
{
	local r=""
	ping_from "$NS_A" "$IP_A" "$IP_B" && r+="ping-ab " || r+="-ping-ab "
	ping_from "$NS_A" "$IP_A2" "$IP_B" && r+="ping-a2b " || r+="-ping-a2b "
	ping_from "$NS_A" "$IP_A" "$IP_RA" && r+="ping-ar " || r+="-ping-ar "
	ping_from "$NS_A" "$IP_A2" "$IP_RA" && r+="ping-a2r " || r+="-ping-a2r "
	r+="tcp-ab80:$(how "$NS_A" "$IP_A" "$IP_B" 80 tcp 2) "
	r+="tcp-a2b80:$(how "$NS_A" "$IP_A2" "$IP_B" 80 tcp 2) "
	r+="tcp-ab81:$(how "$NS_A" "$IP_A" "$IP_B" 81) "
	r+="tcp-ab82:$(how "$NS_A" "$IP_A" "$IP_B" 82 tcp 2) "
	r+="tcp-ab83:$(how "$NS_A" "$IP_A" "$IP_B" 83 tcp 2) "
	r+="udp-ab53:$(how "$NS_A" "$IP_A" "$IP_B" 53 udp 3) "
	r+="udp-ab54:$(how "$NS_A" "$IP_A" "$IP_B" 54 udp 2) "
	r+="udp-ab55:$(how "$NS_A" "$IP_A" "$IP_B" 55 udp 1) "
	r+="tcp-ba80:$(how "$NS_B" "$IP_B" "$IP_A" 80) "
	r+="tcp-ar22:$(how "$NS_A" "$IP_A" "$IP_RA" 22 tcp 2)"
	echo "$r"
}

for rs in "$fw_reject" "$fw_bpf" "$fw_ct"; do
	name=$(basename "$rs")
	timeout 20 ip netns exec "$NS_R" iptables-nft-restore <"$rs" ||
		t_fatal "iptables-nft-restore $name"
	want=$(fwd_probes)
	want_c=$(timeout 20 ip netns exec "$NS_R" iptables-nft-save -c | one_counts)
	timeout 20 ip netns exec "$NS_R" nft flush ruleset
	out=$(bw_r iptables-restore <"$rs" 2>&1) || t_fatal "bpfwall iptables-restore $name: $out"
	got=$(fwd_probes)
	got_c=$(bw_r iptables-save -c | one_counts)
	if [ "$want" = "$got" ]; then
		t_ok "router, $name: the same verdicts as iptables-nft: $got"
	else
		t_bad "router, $name: verdicts differ: iptables-nft: $want; bpfwall: $got"
	fi
	if [ "$want_c" = "$got_c" ] && [ -n "$got_c" ]; then
		t_ok "router, $name: the ICMP and REJECT rules count what iptables-nft counts: $got_c"
	else
		t_bad "router, $name: counts differ: iptables-nft: '$want_c'; bpfwall: '$got_c'"
	fi
	bw_r flush ruleset >/dev/null 2>&1
done

# --- 4. trace names the iptables rule: its line, its text, its number
trace_rules=$(t_rules trace.v4 <<'EOF'
# Generated by iptables-save v1.8.11
*filter
:INPUT DROP [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:svc - [0:0]
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m multiport --dports 80,443 -j svc
-A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -s 192.0.2.66/32 -j DROP
-A svc -s 192.0.2.66/32 -j DROP
-A svc -j ACCEPT
COMMIT
EOF
)
trace_rules6=$(t_rules trace.v6 <<'EOF'
# Generated by ip6tables-save v1.8.11
*filter
:INPUT ACCEPT [0:0]
-A INPUT -s 2001:db8::66/128 -p tcp -m tcp --dport 22 -j DROP
COMMIT
EOF
)
for eng in --interp ""; do
	out=$("$BPFWALL" $eng -f "$trace_rules" trace forward ip saddr 192.0.2.66 \
		ip daddr 198.51.100.2 tcp dport 80 2>&1)
	if grep -q 'drop by rule .*trace.v4:10' <<<"$out" &&
	   grep -qF -- '-A FORWARD -s 192.0.2.66/32 -j DROP' <<<"$out" &&
	   grep -qF '(iptables rule 2 of chain FORWARD)' <<<"$out"; then
		t_ok "trace ${eng:-(kernel)} names the FORWARD rule that drops, by line, text and number"
	else
		t_bad "trace ${eng:-(kernel)} of a forwarded packet: $out"
	fi
	out=$("$BPFWALL" $eng -f "$trace_rules" trace ingress ip saddr 192.0.2.66 \
		tcp dport 443 2>&1)
	grep -qF '(iptables rule 1 of chain svc)' <<<"$out" &&
		grep -q 'verdict drop (.*trace.v4:11)' <<<"$out" &&
		t_ok "trace ${eng:-(kernel)} follows the jump to svc" ||
		t_bad "trace ${eng:-(kernel)} through svc: $out"
	out=$("$BPFWALL" $eng -f "$trace_rules6" trace ingress ip6 saddr 2001:db8::66 \
		tcp dport 22 2>&1)
	grep -qF '(iptables rule 1 of chain INPUT)' <<<"$out" &&
		t_ok "trace ${eng:-(kernel)} reads ip6tables-save output as ip6tables" ||
		t_bad "trace ${eng:-(kernel)} of ip6tables rules: $out"
done
t_done
