#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bpfwall's iptables against the real iptables-nft, side by side:
# (conntrack and REJECT rules are left out of part 1: in the filter
# table they need the forward chain at the netfilter hooks, where the
# back end cannot yet answer a reject or read the kernel's conntrack; the
# corpus test covers their syntax, part 2 their verdicts in INPUT.)
#  1. the same command sequence (chains, inserts, deletes, renames,
#     policies, errors) in two fresh namespaces: the same exit statuses,
#     and -S, -L, -L -n -v --line-numbers, iptables-save print the same
#     (save's header lines and version aside);
#  2. a ruleset written for iptables loaded with iptables-restore into
#     namespace b, first through iptables-nft, then through bpfwall: the
#     same probes from namespace a get the same verdicts, and the rules
#     the probes hit count the same packets.
T_NAME=iptd
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v iptables-nft >/dev/null || t_skip "iptables-nft is not installed (Debian: apt-get install iptables)"
command -v socat >/dev/null || t_skip "socat is not installed"
t_setup_pair

# --- 1. commands
NS_N="bwt-$T_NAME-n-$$"
NS_W="bwt-$T_NAME-w-$$"
ip netns add "$NS_N" && T_NS+=("$NS_N") || t_fatal "netns"
ip netns add "$NS_W" && T_NS+=("$NS_W") || t_fatal "netns"
t_mount_pin "$NS_W"
nft_ipt() { timeout 20 ip netns exec "$NS_N" iptables-nft "$@"; }
bw_ipt() { timeout 20 ip netns exec "$NS_W" "$BPFWALL" --pin-dir "$T_DIR/bpf-$NS_W" iptables "$@"; }

i=0
while IFS= read -r cmd; do
	[ -z "$cmd" ] && continue
	i=$((i + 1))
	eval "args=($cmd)"
	want=$(nft_ipt "${args[@]}" 2>/dev/null); wrc=$?
	got=$(bw_ipt "${args[@]}" 2>/dev/null); grc=$?
	if [ "$wrc" != "$grc" ]; then
		t_bad "command $i (iptables $cmd): exit $grc, iptables-nft $wrc"
	fi
	if [ "$want" != "$got" ]; then
		t_bad "command $i (iptables $cmd): output differs"
		diff <(echo "$want") <(echo "$got") | head -10
	fi
done <<'EOF'
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
-A DOCKER -p tcp -m tcp ! --tcp-flags SYN,ACK SYN -m dscp --dscp 0x0a -j NFLOG --nflog-group 3
-A DOCKER -d 203.0.113.0/255.255.255.0 -f -j ACCEPT
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
-A svc -s 192.0.2.66/32 -j RETURN
-A svc -j ACCEPT
COMMIT
EOF
)
for port in 80 8080 9090 7070; do
	t_tcp_server "$NS_B" 0.0.0.0 "$port"
done

probes()
{
	local r=""
	ping_from "$NS_A" "$IP_A" "$IP_B" && r+="ping1 " || r+="-ping1 "
	ping_from "$NS_A" "$IP_A2" "$IP_B" && r+="ping66 " || r+="-ping66 "
	tcp_from "$NS_A" "$IP_A" "$IP_B" 80 && r+="tcp80 " || r+="-tcp80 "
	tcp_from "$NS_A" "$IP_A2" "$IP_B" 80 1 && r+="tcp80from66 " || r+="-tcp80from66 "
	tcp_from "$NS_A" "$IP_A" "$IP_B" 8080 && r+="tcp8080 " || r+="-tcp8080 "
	tcp_from "$NS_A" "$IP_A" "$IP_B" 9090 && r+="tcp9090 " || r+="-tcp9090 "
	tcp_from "$NS_A" "$IP_A" "$IP_B" 7070 1 && r+="tcp7070" || r+="-tcp7070"
	echo "$r"
}
# the counts of the rules only pings reach (exact, unlike dropped SYNs'
# retransmissions)
ping_counts()
{
	grep -E -- '-p icmp' | sed -n 's/^\[\([0-9]*\):.*/\1/p' | tr '\n' ' '
}

timeout 20 ip netns exec "$NS_B" iptables-nft-restore <"$rules" || t_fatal "iptables-nft-restore"
want=$(probes)
want_c=$(timeout 20 ip netns exec "$NS_B" iptables-nft-save -c | ping_counts)
timeout 20 ip netns exec "$NS_B" nft flush ruleset
out=$(bw_b iptables-restore <"$rules" 2>&1) || t_fatal "bpfwall iptables-restore: $out"
got=$(probes)
got_c=$(bw_b iptables-save -c | ping_counts)
if [ "$want" = "$got" ]; then
	t_ok "the same verdicts as iptables-nft: $got"
else
	t_bad "verdicts differ: iptables-nft: $want; bpfwall: $got"
fi
if [ "$want_c" = "$got_c" ] && [ -n "$got_c" ]; then
	t_ok "the ICMP rules count what iptables-nft counts: $got_c"
else
	t_bad "ICMP rule counts differ: iptables-nft: '$want_c'; bpfwall: '$got_c'"
fi
list=$(bw_b list ruleset 2>&1)
grep -q 'table ip filter' <<<"$list" && t_ok "list ruleset shows table ip filter" ||
	t_bad "list ruleset does not show the iptables table: $list"
# a reload keeps the counts
bw_b iptables -A INPUT -p tcp --dport 5555 -j DROP >/dev/null 2>&1
again=$(bw_b iptables-save -c | ping_counts)
[ "$again" = "$got_c" ] && t_ok "a command keeps the counts of the rules it leaves ($again)" ||
	t_bad "counts after a command: '$again', before: '$got_c'"
t_done
