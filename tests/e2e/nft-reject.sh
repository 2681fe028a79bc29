#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The nf_tables back end with real traffic: an inet input chain with
# reject rules, committed through the plan (tests/nft/nftplan) in
# namespace b, tried from namespace a.  A TCP connect to a port with a
# listener but `reject with tcp reset` is refused (RST), a UDP datagram to
# a rejected port gets an ICMP port unreachable, accepted ports answer;
# the counters read back by bpfwall handle match the rules and what nft
# lists; a commit the kernel refuses changes nothing; 50 recommits under a
# stream of datagrams to a dropped port let none through (there is no
# moment without the table); delete removes everything.
T_NAME=nftrej
T_TIMEOUT=150
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft"
NFTPLAN=$T_BUILDDIR/tests/nft/nftplan
[ -x "$NFTPLAN" ] || t_fatal "no $NFTPLAN (make check builds it)"
t_setup_pair
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

rules=$(t_rules reject.conf <<'EOF'
table inet bwrej {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 5001 counter reject with tcp reset
		udp dport 5002 counter reject
		tcp dport 5003 counter accept
		udp dport 5004 counter accept
		udp dport 5006 counter drop
		ip6 nexthdr tcp tcp dport 5001 counter reject with tcp reset
	}
}
EOF
)
plan() { timeout 60 ip netns exec "$NS_B" "$NFTPLAN" -t bpfwall "$@"; }

# handle of the rule on line $1 of reject.conf
handle_of()
{
	plan handles "$rules" | awk -v l="$1" '$2 == l { print $1 }'
}
# packets counted for handle $1, read back through the API
packets_of()
{
	plan counters | awk -v h="$1" '$1 == h { print $2 }'
}
# ICMP destination unreachable messages a has received
icmp_unreach()
{
	in_a awk '/^Icmp: [A-Z]/ { for (i = 2; i <= NF; i++) if ($i == "InDestUnreachs") c = i }
		  /^Icmp: [0-9]/ { print $c }' /proc/net/snmp
}
# connect from a to b's port $1; print socat's complaint if it fails
tcp_try()
{
	timeout 6 ip netns exec "$NS_A" socat -u "TCP4:$IP_B:$1,bind=$IP_A,connect-timeout=3" - 2>&1
}

t_tcp_server "$NS_B" "$IP_B" 5001
t_tcp_server "$NS_B" "$IP_B" 5003
t_tcp_server "$NS_B" "$IP6_B" 5001
t_udp_server "$NS_B" "$IP_B" 5002
t_udp_server "$NS_B" "$IP_B" 5004
t_check "without the plan, port 5001 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001
t_check "without the plan, UDP port 5002 answers" udp_from "$NS_A" "$IP_A" "$IP_B" 5002

out=$(plan commit "$rules" 2>&1) || t_fatal "commit: $out"
t_check "the table is there" test "$(plan present)" = inet

start=$(date +%s%N)
out=$(tcp_try 5001)
ms=$(( ($(date +%s%N) - start) / 1000000 ))
case $out in
*"Connection refused"*) t_ok "TCP to 5001 is refused ($ms ms): a reset came back" ;;
*) t_bad "TCP to 5001 was not refused by a reset: $out" ;;
esac
out=$(timeout 8 ip netns exec "$NS_A" socat -u "TCP6:[$IP6_B]:5001,bind=[$IP6_A],connect-timeout=3" - 2>&1)
case $out in
*"Connection refused"*) t_ok "TCP over IPv6 to 5001 is refused by a reset" ;;
*) t_bad "TCP over IPv6 to 5001 was not refused: $out" ;;
esac
before=$(icmp_unreach)
t_check_not "UDP to 5002 gets no answer" udp_from "$NS_A" "$IP_A" "$IP_B" 5002
after=$(icmp_unreach)
if [ -n "$before" ] && [ "$after" -gt "$before" ]; then
	t_ok "UDP to 5002 got ICMP destination unreachable ($before -> $after)"
else
	t_bad "no ICMP destination unreachable came back for UDP to 5002 ($before -> $after)"
fi
t_check "TCP to accepted 5003 answers" tcp_from "$NS_A" "$IP_A" "$IP_B" 5003
t_check "UDP to accepted 5004 answers" udp_from "$NS_A" "$IP_A" "$IP_B" 5004

# counters by handle: through the API, and as nft lists them
h1=$(handle_of 4) h2=$(handle_of 5) h3=$(handle_of 6) h6=$(handle_of 8)
[ -n "$h1" ] && [ -n "$h2" ] && [ -n "$h3" ] && [ -n "$h6" ] || t_fatal "no handles: $(plan handles "$rules")"
p1=$(packets_of "$h1") p2=$(packets_of "$h2") p3=$(packets_of "$h3") p6=$(packets_of "$h6")
t_check "the reset rule (handle $h1) counted the SYN ($p1)" test "${p1:-0}" -ge 1
t_check "the UDP reject rule (handle $h2) counted the datagram ($p2)" test "${p2:-0}" -ge 1
t_check "the accept rule (handle $h3) counted the connection ($p3)" test "${p3:-0}" -ge 3
t_check "the drop rule (handle $h6) counted nothing yet ($p6)" test "${p6:-x}" = 0
listed=$(in_b nft list ruleset)
n1=$(list_counter "$listed" "tcp dport 5001 counter" | cut -d' ' -f1)
t_check "nft lists the same count for handle $h1 ($n1)" test "$n1" = "$p1"
t_check "every counted rule has its handle" test "$(plan counters | wc -l)" = 6

# a commit the kernel refuses changes nothing
out=$(plan -B commit "$rules" 2>&1)
rc=$?
t_check "a refused commit fails" test "$rc" -ne 0
case $out in
*"nf_tables refused"*) t_ok "the refusal is reported: $(printf '%s' "$out" | head -n 1)" ;;
*) t_bad "the refusal is not reported: $out" ;;
esac
t_check "after the refused commit the counters are the old ones" \
	test "$(packets_of "$h3")" = "$p3"
out=$(tcp_try 5001)
case $out in
*"Connection refused"*) t_ok "after the refused commit 5001 is still refused" ;;
*) t_bad "after the refused commit 5001 is not refused: $out" ;;
esac

# 50 recommits while datagrams stream to the dropped port 5006: a moment
# without the table would let one reach the receiver
timeout 60 ip netns exec "$NS_B" socat -u "UDP4-RECV:5006,bind=$IP_B" \
	"OPEN:$T_DIR/leaked,creat,append" 2>/dev/null &
T_PIDS+=($!)
for i in $(seq 1 50); do
	in_b ss -Huln 2>/dev/null | grep -qF " $IP_B:5006 " && break
	sleep 0.1
done
(
	for i in $(seq 1 3000); do
		echo "x$i"
		sleep 0.002
	done
) | timeout 30 ip netns exec "$NS_A" socat -u - "UDP4-SENDTO:$IP_B:5006,bind=$IP_A" 2>/dev/null &
sender=$!
T_PIDS+=("$sender")
sleep 0.3
start=$(date +%s%N)
out=$(plan -n 50 recommit "$rules" 2>&1)
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
t_check "50 recommits succeed ($ms ms)" test "$rc" = 0
kill -0 "$sender" 2>/dev/null && t_ok "the stream was still flowing after the recommits" ||
	t_bad "the stream ended before the recommits did (the test proves nothing)"
sleep 0.3
kill "$sender" 2>/dev/null
wait "$sender" 2>/dev/null
leaked=$(wc -c <"$T_DIR/leaked" 2>/dev/null || echo 0)
t_check "no datagram to the dropped port got through ($leaked bytes)" test "$leaked" = 0
p6=$(packets_of "$h6")
t_check "the drop rule of the last commit counted the stream ($p6)" test "${p6:-0}" -ge 1

out=$(plan delete 2>&1) || t_bad "delete: $out"
t_check "delete leaves no table" test -z "$(in_b nft list ruleset)"
t_check "present says none" test -z "$(plan present)"
t_check "after delete, port 5001 answers again" tcp_from "$NS_A" "$IP_A" "$IP_B" 5001
t_check "a second delete is no error" plan delete
t_done
