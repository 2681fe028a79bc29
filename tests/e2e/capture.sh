#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bpfwall capture on a veth in a throwaway namespace: the socket filter
# keeps exactly the packets that match the expression (non-matching traffic
# is sent first, so a filter that let it through would fill -c COUNT with
# it), -w writes a pcap that tcpdump reads, summary lines for IPv4 and
# IPv6, SIGTERM stops it, errors point at the user's words.
T_NAME=capture
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v tcpdump >/dev/null 2>&1 || t_skip "needs tcpdump (to read the pcap back)"
t_setup_pair

t_tcp_server "$NS_B" "$IP_B" 80
t_tcp_server "$NS_B" "$IP6_B" 8081
t_udp_server "$NS_B" "$IP_B" 5353

# start_capture OUT ERR ARGS...: bpfwall capture in b, in the background;
# returns once its socket is bound (it says "listening on").
start_capture()
{
	local out=$1 err=$2 i
	shift 2
	# not through bw_b: $! must be timeout(1), which passes signals on
	timeout 30 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN_B" \
		capture "$@" >"$out" 2>"$err" &
	CAP_PID=$!
	for i in $(seq 1 100); do
		grep -q "listening on" "$err" && return 0
		kill -0 "$CAP_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$err"
	t_fatal "capture did not start: $*"
}

# wait_capture: its exit status.
wait_capture()
{
	wait "$CAP_PID"
}

# 1. -w FILE -c 3: only ICMP from 192.0.2.1
pcap="$T_DIR/icmp.pcap"
start_capture "$T_DIR/c1.out" "$T_DIR/c1.err" -i "$VETH_B" -c 3 -w "$pcap" \
	ip saddr "$IP_A" meta l4proto icmp
t_check "ping from $IP_A2" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "ping from $IP_A2 again" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "TCP from $IP_A" tcp_from "$NS_A" "$IP_A" "$IP_B" 80
t_check "UDP from $IP_A" udp_from "$NS_A" "$IP_A" "$IP_B" 5353
t_check "ping over IPv6" ping_from "$NS_A" "$IP6_A" "$IP6_B"
for i in 1 2 3; do
	t_check "ping $i from $IP_A" ping_from "$NS_A" "$IP_A" "$IP_B"
done
wait_capture
rc=$?
[ "$rc" -eq 0 ] || t_bad "capture -c 3 -w: exit $rc: $(cat "$T_DIR/c1.err")"
grep -q "3 packets captured" "$T_DIR/c1.err" || t_bad "capture did not report 3 packets"
dump=$(tcpdump -r "$pcap" -nn 2>"$T_DIR/tcpdump.err")
rc=$?
printf '%s\n' "$dump"
[ "$rc" -eq 0 ] || t_bad "tcpdump -r: exit $rc: $(cat "$T_DIR/tcpdump.err")"
grep -q "link-type EN10MB" "$T_DIR/tcpdump.err" || t_bad "pcap is not LINKTYPE_ETHERNET"
n=$(printf '%s\n' "$dump" | grep -c .)
[ "$n" -eq 3 ] && t_ok "the pcap holds 3 packets" || t_bad "the pcap holds $n packets, not 3"
m=$(printf '%s\n' "$dump" | grep -c "IP $IP_A > $IP_B: ICMP echo request")
[ "$m" -eq 3 ] && t_ok "all 3 are echo requests from $IP_A" ||
	t_bad "$m of the packets are echo requests from $IP_A"

# 2. summary lines: TCP SYN over IPv4 and IPv6
start_capture "$T_DIR/c2.out" "$T_DIR/c2.err" -i "$VETH_B" -c 1 tcp dport 80 tcp flags syn
t_check "ping (not TCP)" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check "TCP to port 80" tcp_from "$NS_A" "$IP_A" "$IP_B" 80
wait_capture || t_bad "capture tcp dport 80: exit $?"
cat "$T_DIR/c2.out"
if grep -Eq "^[0-9:.]+ $VETH_B In  IP $IP_A\.[0-9]+ > $IP_B\.80: tcp flags S len [0-9]+$" "$T_DIR/c2.out"; then
	t_ok "summary line of a TCP SYN"
else
	t_bad "summary line: $(cat "$T_DIR/c2.out")"
fi
[ "$(grep -c . "$T_DIR/c2.out")" -eq 1 ] || t_bad "more than one line for -c 1"

start_capture "$T_DIR/c3.out" "$T_DIR/c3.err" -c 1 ip6 saddr "$IP6_A" tcp dport 8081
t_check "TCP over IPv6 to port 8081" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 8081
wait_capture || t_bad "capture ip6: exit $?"
cat "$T_DIR/c3.out"
grep -Eq " IP6 $IP6_A\.[0-9]+ > $IP6_B\.8081: tcp flags S len [0-9]+$" "$T_DIR/c3.out" &&
	t_ok "summary line of an IPv6 TCP SYN (every interface)" ||
	t_bad "IPv6 summary line: $(cat "$T_DIR/c3.out")"

# 3. SIGTERM stops a capture without -c
start_capture "$T_DIR/c4.out" "$T_DIR/c4.err" -i "$VETH_B" udp dport 9
kill -TERM "$CAP_PID"
wait_capture
rc=$?
[ "$rc" -eq 0 ] && t_ok "SIGTERM ends capture with exit 0" || t_bad "capture after SIGTERM: exit $rc"
grep -q "0 packets captured" "$T_DIR/c4.err" && t_ok "and it says how many it captured" ||
	t_bad "no count after SIGTERM: $(cat "$T_DIR/c4.err")"

# 4. errors
out=$(bw_b capture -i "$VETH_B" tcp dprt 22 2>&1)
rc=$?
[ "$rc" -eq 1 ] || t_bad "bad expression: exit $rc, not 1"
printf '%s\n' "$out" | grep -q '^<capture>:1:5-8: Error: unknown tcp field "dprt"' &&
	t_ok "the error points at the user's words" || t_bad "bad expression: $out"
out=$(bw_b capture -i nosuchdev0 tcp dport 22 2>&1)
[ $? -eq 1 ] && t_ok "unknown interface: exit 1" || t_bad "unknown interface: $out"
bw_b capture -c 0 tcp dport 22 >/dev/null 2>&1
[ $? -eq 2 ] && t_ok "-c 0 is a usage error" || t_bad "-c 0 is not a usage error"
bw_b capture >/dev/null 2>&1
[ $? -eq 2 ] && t_ok "capture without an expression is a usage error" ||
	t_bad "capture without an expression"

t_done
