#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# ct state with real connections, and the same ruleset in real nft as the
# oracle.  Namespace a runs a host firewall of the usual shape (policy
# drop, ct state established,related accept, iif lo accept, tcp dport 22
# accept); b is the world.  Each check runs twice, with the ruleset loaded
# by bpfwall and then by nft in the same namespace, and both must give
# the expected answer:
#   - a's own connections out (TCP, UDP, ping, IPv6) get their replies in;
#   - a connection in to 22 works, to another port does not; ping in
#     works, also a ping too big for one frame (the kernel filters the
#     reassembled packet; bpfwall's later fragments follow the first);
#   - an ICMP port unreachable answering a's UDP is related: the socket
#     hears "Connection refused" at once;
#   - loopback works (iif lo).
# Then, bpfwall only: a connection open across a reload keeps flowing (the
# table is kept), and after `flush ruleset` and a load it does not (the
# table is gone): the check can fail.
T_NAME=ct
T_TIMEOUT=240
# bpfwall's own tracker (list conntrack shows its table): the inet
# chains at XDP and TC; at the netfilter hooks the kernel's conntrack
# decides (tests/e2e/examples.sh, tests/e2e/router.sh)
export BPFWALL_IP_HOOKS=xdp
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
t_setup_pair

rules=$(t_rules host.conf <<'EOF2'
table inet host {
	chain input {
		type filter hook input priority 0; policy drop;
		ct state established,related counter accept
		ct state invalid counter drop
		iif "lo" accept
		tcp dport 22 counter accept
		icmp type echo-request accept
	}
	chain output {
		type filter hook output priority 0; policy accept;
		ct state invalid counter drop
	}
}
EOF2
)

# servers: in b for a's connections out; in a behind the firewall
t_tcp_server "$NS_B" "$IP_B" 8080
t_tcp_server "$NS_B" "$IP6_B" 8080
t_udp_server "$NS_B" "$IP_B" 5353
t_udp_server "$NS_A" "$IP_A" 5353
t_tcp_server "$NS_A" "$IP_A" 22
t_tcp_server "$NS_A" "$IP_A" 2323
t_tcp_server "$NS_A" 127.0.0.1 2323

# udp_refused NS DST PORT: a datagram to a closed port; the ICMP error must
# reach the socket ("Connection refused"), else socat just times out.
udp_refused()
{
	local err
	err=$(echo ping | timeout 5 ip netns exec "$1" socat -t 2 -T 2 - \
		"UDP4:$2:$3" 2>&1 >/dev/null)
	case $err in *"Connection refused"*) return 0 ;; esac
	return 1
}

# big_ping NS SRC DST: one 3000-byte echo (IPv4 fragments both ways)
big_ping()
{
	timeout 5 ip netns exec "$1" ping -4 -n -q -c 1 -W 2 -s 3000 -I "$2" "$3" >/dev/null 2>&1
}

# checks: "DESCRIPTION|want (pass or fail)|command"
checks=(
	"a connects out to b:8080|pass|tcp_from $NS_A $IP_A $IP_B 8080"
	"a's UDP query to b:5353 is answered|pass|udp_from $NS_A $IP_A $IP_B 5353"
	"a pings b|pass|ping_from $NS_A $IP_A $IP_B"
	"a connects out over IPv6|pass|tcp_from $NS_A $IP6_A $IP6_B 8080"
	"b connects in to a:22|pass|tcp_from $NS_B $IP_B $IP_A 22"
	"b connects in to a:2323|fail|tcp_from $NS_B $IP_B $IP_A 2323"
	"b pings a|pass|ping_from $NS_B $IP_B $IP_A"
	"b pings a with 3000 bytes (fragments follow the first)|pass|big_ping $NS_B $IP_B $IP_A"
	"a pings b with 3000 bytes (the answer's fragments)|pass|big_ping $NS_A $IP_A $IP_B"
	"b's UDP to a:5353 is dropped|fail|udp_from $NS_B $IP_B $IP_A 5353"
	"the ICMP error for a's UDP to a closed port is related|pass|udp_refused $NS_A $IP_B 5999"
	"a connects to itself over lo|pass|tcp_from $NS_A 127.0.0.1 127.0.0.1 2323"
)

# run_checks ENGINE: every check; prints one word per check
run_checks()
{
	local c desc want cmd got
	for c in "${checks[@]}"; do
		IFS='|' read -r desc want cmd <<<"$c"
		if $cmd; then got=pass; else got=fail; fi
		[ "$got" = "$want" ] && t_ok "$1: $desc" ||
			t_bad "$1: $desc: ${got}ed, want $want"
		echo "$got" >>"$T_DIR/$1.results"
	done
}

out=$(bw_a -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "bpfwall loaded the host firewall"
run_checks bpfwall
list=$(bw_a list ruleset 2>&1)
pb=$(list_counter "$list" "ct state established,related")
[ -n "$pb" ] && [ "${pb% *}" -ge 5 ] && t_ok "established,related counted ($pb)" ||
	t_bad "established,related counter: ${pb:-none}"
# list conntrack: a's connection out to b:8080, from a, answered
ct=$(bw_a list conntrack 2>&1)
printf '%s\n' "$ct"
if printf '%s\n' "$ct" | grep -q "^tcp .* src=$IP_A dst=$IP_B sport=[0-9]* dport=8080 \[REPLIED\]$"; then
	t_ok "list conntrack shows a's connection to b:8080, answered"
else
	t_bad "list conntrack lacks a's connection to b:8080"
fi
ctj=$(bw_a -j list conntrack 2>&1 | grep '"dport":5353' | head -n 1)
case $ctj in
*'"proto":"udp"'*"\"src\":\"$IP_A\""*'"replied":true}') t_ok "list conntrack -j: $ctj" ;;
*) t_bad "list conntrack -j has no answered UDP flow to 5353: $ctj" ;;
esac
out=$(bw_a flush ruleset 2>&1) || t_bad "flush: $out"
ct=$(bw_a list conntrack 2>&1)
[ -z "$ct" ] && t_ok "flush empties list conntrack" || t_bad "after flush: $ct"

out=$(in_a nft -f "$rules" 2>&1) || t_fatal "nft -f: $out"
t_ok "nft loaded the same file"
run_checks nft
in_a nft flush ruleset
if cmp -s "$T_DIR/bpfwall.results" "$T_DIR/nft.results"; then
	t_ok "bpfwall and nft agree on every check"
else
	t_bad "bpfwall and nft disagree: $(paste -d' ' "$T_DIR/bpfwall.results" "$T_DIR/nft.results" | tr '\n' ',')"
fi

# A connection open across a reload.  b's server sends a line, waits,
# sends another; a reloads in between.  The second line is an ACK-only
# segment to an ephemeral port: only its flow's entry lets it in.
# long_conn WHEN: the lines a receives, the firewall changed by WHEN (a
# command run 1 s into the connection)
t_tcp_long()
{
	timeout 100 ip netns exec "$NS_B" socat "TCP4-LISTEN:9000,bind=$IP_B,fork,reuseaddr" \
		"SYSTEM:echo one; sleep 2; echo two" >/dev/null 2>&1 &
	T_PIDS+=($!)
	for _ in $(seq 1 50); do
		in_b ss -Hltn 2>/dev/null | grep -qF " $IP_B:9000 " && return 0
		sleep 0.1
	done
	t_fatal "the long server did not start"
}
long_conn()
{
	local got="$T_DIR/long.out"
	: >"$got"
	timeout 8 ip netns exec "$NS_A" socat -u "TCP4:$IP_B:9000,bind=$IP_A,connect-timeout=2" \
		- >"$got" 2>/dev/null &
	local pid=$!
	sleep 1
	"$@"
	wait "$pid" 2>/dev/null
	tr '\n' ' ' <"$got"
}
reload() { bw_a -f "$rules" >/dev/null 2>&1 || t_bad "reload failed"; }
flush_load() { bw_a flush ruleset >/dev/null 2>&1; bw_a -f "$rules" >/dev/null 2>&1 || t_bad "load failed"; }

t_tcp_long
out=$(bw_a -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
got=$(long_conn reload)
[ "$got" = "one two " ] && t_ok "a connection open across a reload keeps flowing" ||
	t_bad "across a reload the connection got: '$got'"
got=$(long_conn flush_load)
[ "$got" = "one " ] && t_ok "after flush and load the table is gone: the rest is dropped" ||
	t_bad "after flush and load the connection got: '$got' (want only 'one')"
t_done
