#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every example in rules/ loaded for real, in throwaway namespaces, with
# traffic that shows it does what its comments say (tests/e2e/rules.sh
# only checks that they compile; rules/demo.conf is loaded by
# tests/e2e/demo.sh).  Device names are replaced in a copy of each file.
#
#   host-firewall.conf  on b: SSH in, other ports not; b's own TCP, UDP
#                       and ping get their replies (ct established), an
#                       ICMP error about them comes in (related); IPv6
#                       neighbour discovery passes (and fails without its
#                       rule); the log line logs; the SSH limit bites
#   ipv6.conf           on b: the services, SSH from the admin hosts
#                       only, datagrams with hop-by-hop or destination
#                       options reach the service, one with a routing
#                       header does not; the output chain lets b answer,
#                       resolve and fetch, nothing else; ND both ways
#   edge.conf           on a router r between an uplink namespace u and a
#                       LAN namespace l: bogon, spoofed and blocklisted
#                       sources dropped, the blocklist and the published
#                       map changed live, the LAN's connections answered,
#                       mail only from the relay, forged sources kept in
T_NAME=examples
T_TIMEOUT=${T_TIMEOUT:-100}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v sysctl >/dev/null 2>&1 || t_skip "needs sysctl"

# Every example has a scenario here (or in demo.sh): a new file needs one.
for f in "$T_SRCDIR"/rules/*.conf; do
	case $(basename "$f") in
	demo.conf | host-firewall.conf | ipv6.conf | edge.conf) ;;
	*) t_bad "rules/$(basename "$f") is loaded by no test: add it to tests/e2e/examples.sh" ;;
	esac
done

t_setup_pair

# example NAME [OLD=NEW]...: a copy of rules/NAME in the test dir with the
# device name "OLD" replaced by "NEW" (quotes included); prints its path.
example()
{
	local name=$1 f="$T_DIR/$1" m
	local args=(-e '')
	shift
	for m in "$@"; do
		args+=(-e "s/\"${m%%=*}\"/\"${m#*=}\"/g")
	done
	sed "${args[@]}" "$T_SRCDIR/rules/$name" >"$f" || t_fatal "cannot copy rules/$name"
	for m in "$@"; do
		grep -qF "\"${m%%=*}\"" "$f" && t_fatal "$name: \"${m%%=*}\" left in the copy"
	done
	echo "$f"
}

# load NS PIN FILE: bpfwall -f FILE in NS, or stop here.
load()
{
	local out
	out=$(timeout 30 ip netns exec "$1" "$BPFWALL" --pin-dir "$2" -f "$3" 2>&1) ||
		t_fatal "bpfwall -f $(basename "$3") in $1: $out"
	t_ok "bpfwall -f $(basename "$3") loaded"
}

# flush NS PIN
flush()
{
	local out
	if out=$(timeout 30 ip netns exec "$1" "$BPFWALL" --pin-dir "$2" flush ruleset 2>&1); then
		t_ok "flush ruleset"
	else
		t_bad "flush ruleset: $out"
	fi
}

# tcp_quick NS SRC DST PORT: tcp_from with 1 s to connect.
tcp_quick() { tcp_from "$1" "$2" "$3" "$4" 1; }

# tcp_refused NS SRC DST PORT: the connect is refused (a reset came
# back) within 1 s.
tcp_refused()
{
	local ns=$1 src=$2 dst=$3 port=$4 err
	err=$(timeout 4 ip netns exec "$ns" socat -u \
		"TCP4:$dst:$port,bind=$src,connect-timeout=1" - 2>&1 >/dev/null)
	case $err in *"Connection refused"*) return 0 ;; esac
	return 1
}

# udp_server NS ADDR PORT: t_udp_server for IPv4 or IPv6.
udp_server()
{
	local ns=$1 addr=$2 port=$3 la=$2 proto=UDP4
	case $addr in *:*) la="[$addr]" proto=UDP6 ;; esac
	timeout 100 ip netns exec "$ns" socat "$proto-RECVFROM:$port,bind=$la,fork" \
		"SYSTEM:read -r line; echo bw-hello $port" >/dev/null 2>&1 &
	T_PIDS+=($!)
	for _ in $(seq 1 50); do
		ip netns exec "$ns" ss -Huln 2>/dev/null | grep -qF " $la:$port " && return 0
		sleep 0.1
	done
	t_fatal "UDP server on $ns $addr:$port did not start"
}

# udp NS SRC DST PORT [WAIT [OPTIONS]]: one datagram (with the socat
# address OPTIONS, e.g. ",setsockopt-bin=..."), the answer within WAIT
# seconds (default 5); socat ends as soon as the answer is read.
udp()
{
	local ns=$1 src=$2 dst=$3 port=$4 wait=${5:-5} opts=${6:-} out proto=UDP4
	case $dst in *:*) dst="[$dst]" src="[$src]" proto=UDP6 ;; esac
	out=$(echo ping | timeout $((wait + 3)) ip netns exec "$ns" socat -t "$wait" -T "$wait" - \
		"$proto:$dst:$port,bind=$src,readbytes=$((${#port} + 10))$opts" 2>/dev/null) || return 1
	[ "$out" = "bw-hello $port" ]
}

# udp_quick ...: udp with 1 s to answer, for the datagrams that must be dropped
udp_quick()
{
	udp "$1" "$2" "$3" "$4" 1 "${5:-}"
}

# udp_refused NS SRC DST PORT: the ICMP port unreachable comes back
# (socat reads "Connection refused") within 2 s.
udp_refused()
{
	local ns=$1 src=$2 dst=$3 port=$4 err proto=UDP4
	case $dst in *:*) dst="[$dst]" src="[$src]" proto=UDP6 ;; esac
	err=$(echo ping | timeout 5 ip netns exec "$ns" socat -t 2 -T 2 - \
		"$proto:$dst:$port,bind=$src" 2>&1 >/dev/null)
	case $err in *"Connection refused"*) return 0 ;; esac
	return 1
}

# counted TEXT PATTERN [MIN]: the first rule of `list ruleset` output
# TEXT that contains PATTERN counted at least MIN packets (default 1).
counted()
{
	local pb
	pb=$(list_counter "$1" "$2")
	[ -n "$pb" ] && [ "${pb% *}" -ge "${3:-1}" ]
}

# check_counter TEXT DESC PATTERN [MIN]
check_counter()
{
	if counted "$1" "$3" "${4:-1}"; then
		t_ok "counter: $2 ($(list_counter "$1" "$3"))"
	else
		t_bad "counter: $2: \"$3\" counted ${4:-1}+ packets? $(list_counter "$1" "$3")"
	fi
}

# neigh_forget: drop the static IPv6 neighbour entries of a and b, so the
# next packet needs neighbour discovery; neigh_static puts them back.
neigh_forget()
{
	ip -n "$NS_A" -6 neigh del "$IP6_B" dev "$VETH_A" 2>/dev/null
	ip -n "$NS_B" -6 neigh del "$IP6_A" dev "$VETH_B" 2>/dev/null
	ip -n "$NS_A" -6 neigh flush dev "$VETH_A" 2>/dev/null
	ip -n "$NS_B" -6 neigh flush dev "$VETH_B" 2>/dev/null
}

neigh_static()
{
	ip -n "$NS_A" neigh replace "$IP6_B" lladdr "$MAC_B" dev "$VETH_A" nud permanent
	ip -n "$NS_B" neigh replace "$IP6_A" lladdr "$MAC_A" dev "$VETH_B" nud permanent
}

# ---------------------------------------------------------------- servers
# b: SSH, a closed port and a UDP port no rule opens; a: what b connects to.
IP6_A2=2001:db8:1::100	# outside ipv6.conf's admin hosts
ip -n "$NS_A" addr add "$IP6_A2/64" dev "$VETH_A" nodad
ip -n "$NS_B" neigh replace "$IP6_A2" lladdr "$MAC_A" dev "$VETH_B" nud permanent
for addr in "$IP_B" "$IP6_B"; do
	t_tcp_server "$NS_B" "$addr" 22
	t_tcp_server "$NS_B" "$addr" 8080
done
t_tcp_server "$NS_B" "$IP6_B" 80
udp_server "$NS_B" "$IP_B" 5353
udp_server "$NS_B" "$IP6_B" 53
for addr in "$IP_A" "$IP6_A"; do
	t_tcp_server "$NS_A" "$addr" 8080
	t_tcp_server "$NS_A" "$addr" 443
	udp_server "$NS_A" "$addr" 53
done

# Before any load everything passes: the drops below are bpfwall's.
t_check "baseline: TCP a -> b:8080" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
t_check "baseline: UDP a -> b:5353" udp "$NS_A" "$IP_A" "$IP_B" 5353

# ========================================================= host-firewall
echo "--- rules/host-firewall.conf on b"
conf=$(example host-firewall.conf)
load "$NS_B" "$PIN_B" "$conf"
mon="$T_DIR/host-monitor.json"
timeout 20 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN_B" monitor -j -c 1 >"$mon" 2>&1 &
T_PIDS+=($!)
sleep 0.5

t_check "SSH a -> b passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 22
t_check "SSH a -> b over IPv6 passes" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 22
t_check_not "TCP a -> b:8080 is dropped" tcp_quick "$NS_A" "$IP_A" "$IP_B" 8080
t_check_not "TCP a -> b:8080 over IPv6 is dropped" tcp_quick "$NS_A" "$IP6_A" "$IP6_B" 8080
t_check_not "UDP a -> b:5353 is dropped" udp_quick "$NS_A" "$IP_A" "$IP_B" 5353
t_check "ping a -> b passes" ping_from "$NS_A" "$IP_A" "$IP_B"
t_check "ping a -> b over IPv6 passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"
t_check "b's own TCP to a:8080 gets its replies (established)" tcp_from "$NS_B" "$IP_B" "$IP_A" 8080
t_check "b's own TCP to a:443 over IPv6 gets its replies" tcp_from "$NS_B" "$IP6_B" "$IP6_A" 443
t_check "b's own UDP to a:53 gets its answer" udp "$NS_B" "$IP_B" "$IP_A" 53
t_check "b's own ping to a gets its reply" ping_from "$NS_B" "$IP_B" "$IP_A"
t_check "b's datagram to a closed port of a: the ICMP error comes in (related)" \
	udp_refused "$NS_B" "$IP_B" "$IP_A" 9
t_check "loopback TCP inside b passes (iif lo)" tcp_from "$NS_B" "$IP_B" "$IP_B" 8080

# neighbour discovery: untracked, let in by its own rule
neigh_forget
t_check "ping a -> b over IPv6 with neighbour discovery passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"
neigh_static

# the log line: the first packet the policy dropped since the load
ev=$(head -n 1 "$mon")
case $ev in
*'"prefix":"host-firewall drop: "'*) t_ok "monitor shows the log line: $ev" ;;
*) t_bad "no log event with the prefix: ${ev:-nothing}" ;;
esac

list=$(bw_b list ruleset 2>&1)
printf '%s\n' "$list"
check_counter "$list" "neighbour discovery accepted" "nd-neighbor-solicit" 1
check_counter "$list" "ping accepted" "icmp type echo-request" 1
check_counter "$list" "ping over IPv6 accepted" "icmpv6 type echo-request" 1
check_counter "$list" "the policy's log rule" "log prefix" 3

# SSH: 10 new connections a minute after a burst of 10; a few were used
n=0
for _ in $(seq 1 13); do
	tcp_quick "$NS_A" "$IP_A" "$IP_B" 22 || break
	n=$((n + 1))
done
if [ "$n" -ge 6 ] && [ "$n" -le 10 ]; then
	t_ok "SSH limit: $n more connections in a row, then one dropped"
else
	t_bad "SSH limit: $n connections in a row (want 6 to 10, then a drop)"
fi

# without its rule, neighbour discovery is dropped (a load resets the
# counters and the limits: this comes last)
sed '/nd-neighbor-solicit/d' "$conf" >"$T_DIR/no-nd.conf"
load "$NS_B" "$PIN_B" "$T_DIR/no-nd.conf"
neigh_forget
t_check_not "without the ND rule, IPv6 to an unresolved neighbour fails" \
	ping_from "$NS_A" "$IP6_A" "$IP6_B"
neigh_static
t_check "with the static neighbour entries back, it passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"
flush "$NS_B" "$PIN_B"

# ================================================================= ipv6
echo "--- rules/ipv6.conf on b ($IP6_B)"
# socat options that give a datagram an extension header (level
# IPPROTO_IPV6 41): IPV6_RTHDR 57, a segment routing header (type 4, no
# segments left, the one segment b); IPV6_HOPOPTS 54 and IPV6_DSTOPTS 59,
# one PadN option each
SRH=",setsockopt-bin=41:57:x000204000000000020010db8000100000000000000000002"
HBH=",setsockopt-bin=41:54:x0000010400000000"
DSTOPTS=",setsockopt-bin=41:59:x0000010400000000"
# b accepts a routing header whose segments are done (segment routing
# on), so that without the ruleset the datagram is answered
ip netns exec "$NS_B" sysctl -qw net.ipv6.conf.all.seg6_enabled=1 \
	"net.ipv6.conf.$VETH_B.seg6_enabled=1" || t_fatal "cannot enable seg6 in $NS_B"
t_check "baseline: UDP a -> b:53 with a routing header is answered" \
	udp "$NS_A" "$IP6_A" "$IP6_B" 53 5 "$SRH"

conf=$(example ipv6.conf)
load "$NS_B" "$PIN_B" "$conf"
t_check "web over IPv6 passes" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 80
t_check "DNS over IPv6 passes" udp "$NS_A" "$IP6_A" "$IP6_B" 53
t_check "SSH from an admin host passes" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 22
t_check_not "SSH from $IP6_A2 (not an admin host) is dropped" tcp_quick "$NS_A" "$IP6_A2" "$IP6_B" 22
t_check_not "TCP to port 8080 is dropped" tcp_quick "$NS_A" "$IP6_A" "$IP6_B" 8080
t_check "DNS with a hop-by-hop options header passes" udp "$NS_A" "$IP6_A" "$IP6_B" 53 5 "$HBH"
t_check "DNS with a destination options header passes" udp "$NS_A" "$IP6_A" "$IP6_B" 53 5 "$DSTOPTS"
t_check_not "DNS with a routing header is dropped" udp_quick "$NS_A" "$IP6_A" "$IP6_B" 53 "$SRH"
t_check "ping a -> b passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"
t_check "b pings a" ping_from "$NS_B" "$IP6_B" "$IP6_A"
t_check "b fetches from a:443" tcp_from "$NS_B" "$IP6_B" "$IP6_A" 443
t_check "b resolves through a:53" udp "$NS_B" "$IP6_B" "$IP6_A" 53
t_check_not "b's TCP to a:8080 is dropped on the way out" tcp_quick "$NS_B" "$IP6_B" "$IP6_A" 8080
t_check "IPv4 is not filtered: TCP a -> b:8080 over IPv4 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
neigh_forget
t_check "ping a -> b with neighbour discovery both ways passes" ping_from "$NS_A" "$IP6_A" "$IP6_B"
neigh_static

list=$(bw_b list ruleset 2>&1)
printf '%s\n' "$list"
check_counter "$list" "routing header dropped" "ip6 nexthdr ipv6-route" 1
check_counter "$list" "neighbour discovery in" "nd-redirect" 1
check_counter "$list" "neighbour discovery out" "nd-router-solicit" 1
check_counter "$list" "web accepted" "tcp dport { 80, 443 } counter" 1
check_counter "$list" "SSH from the admin hosts" "tcp dport 22 counter" 1
flush "$NS_B" "$PIN_B"

# ================================================================= edge
# u (the Internet) -- bwtu0 | bwtr0 "eth0" -- r -- bwtr1 "eth1" | bwtl0 -- l (the LAN)
echo "--- rules/edge.conf on a router"
NS_U="bwt-$T_NAME-u-$$"
NS_R="bwt-$T_NAME-r-$$"
NS_L="bwt-$T_NAME-l-$$"
for ns in "$NS_U" "$NS_R" "$NS_L"; do
	ip netns add "$ns" || t_fatal "ip netns add $ns"
	T_NS+=("$ns")
	ip -n "$ns" link set lo up
done
ip -n "$NS_R" link add bwtr0 type veth peer name bwtu0 netns "$NS_U" || t_fatal "veth r-u"
ip -n "$NS_R" link add bwtr1 type veth peer name bwtl0 netns "$NS_L" || t_fatal "veth r-l"
ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 \
	net.ipv4.conf.default.rp_filter=0 net.ipv4.conf.bwtr0.rp_filter=0 \
	net.ipv4.conf.bwtr1.rp_filter=0 || t_fatal "sysctl in $NS_R"
ip -n "$NS_R" addr add 203.0.113.2/24 dev bwtr0
ip -n "$NS_R" addr add 198.51.100.1/24 dev bwtr1
# u: the provider's side; a blocklisted, a bogon and a spoofed LAN source
ip -n "$NS_U" addr add 203.0.113.1/24 dev bwtu0
for a in 203.0.113.70 192.0.2.9 198.51.100.99; do
	ip -n "$NS_U" addr add "$a/32" dev bwtu0
done
# l: the web server, a workstation, the mail relay, a forged source
for a in 198.51.100.10 198.51.100.20 198.51.100.25; do
	ip -n "$NS_L" addr add "$a/24" dev bwtl0
done
ip -n "$NS_L" addr add 203.0.113.200/32 dev bwtl0
ip -n "$NS_R" link set bwtr0 up
ip -n "$NS_R" link set bwtr1 up
ip -n "$NS_U" link set bwtu0 up
ip -n "$NS_L" link set bwtl0 up
ip -n "$NS_R" route add default via 203.0.113.1
ip -n "$NS_U" route add 198.51.100.0/24 via 203.0.113.2
ip -n "$NS_L" route add default via 198.51.100.1
t_mount_pin "$NS_R"
PIN_R="$T_DIR/bpf-$NS_R"

t_tcp_server "$NS_L" 198.51.100.10 80
t_tcp_server "$NS_L" 198.51.100.20 22
t_tcp_server "$NS_R" 0.0.0.0 22
t_tcp_server "$NS_U" 203.0.113.1 8080
t_tcp_server "$NS_U" 203.0.113.1 25
udp_server "$NS_U" 203.0.113.1 53
sink="$T_DIR/sink"
: >"$sink"
timeout 100 ip netns exec "$NS_U" socat -u UDP4-RECV:9999,bind=203.0.113.1 \
	"OPEN:$sink,creat,append" >/dev/null 2>&1 &
T_PIDS+=($!)

# forged NAME: send NAME from l's forged source 203.0.113.200 to u:9999;
# true when u's sink got it within 1 s
forged()
{
	echo "$1" | timeout 5 ip netns exec "$NS_L" socat -u - \
		UDP4-SENDTO:203.0.113.1:9999,bind=203.0.113.200 2>/dev/null
	for _ in $(seq 1 10); do
		grep -qx "$1" "$sink" && return 0
		sleep 0.1
	done
	return 1
}

t_check "baseline: web from u" tcp_from "$NS_U" 203.0.113.1 198.51.100.10 80
t_check "baseline: web from a bogon source" tcp_from "$NS_U" 192.0.2.9 198.51.100.10 80
t_check "baseline: web from a blocklisted source" tcp_from "$NS_U" 203.0.113.70 198.51.100.10 80
t_check "baseline: SSH from u to the workstation" tcp_from "$NS_U" 203.0.113.1 198.51.100.20 22
t_check "baseline: a forged source leaves through the uplink" forged before

conf=$(example edge.conf eth0=bwtr0 eth1=bwtr1)
load "$NS_R" "$PIN_R" "$conf"
bw_r()
{
	timeout 30 ip netns exec "$NS_R" "$BPFWALL" --pin-dir "$PIN_R" "$@"
}

t_check "web from u to the published server passes" tcp_from "$NS_U" 203.0.113.1 198.51.100.10 80
t_check_not "SSH from u to the workstation is dropped" tcp_quick "$NS_U" 203.0.113.1 198.51.100.20 22
t_check_not "SSH from u to the router is dropped" tcp_quick "$NS_U" 203.0.113.1 203.0.113.2 22
t_check_not "web from a bogon source (192.0.2.9) is dropped" tcp_quick "$NS_U" 192.0.2.9 198.51.100.10 80
t_check_not "web from a LAN address on the uplink (spoofed) is dropped" \
	tcp_quick "$NS_U" 198.51.100.99 198.51.100.10 80
t_check_not "web from a blocklisted source is dropped" tcp_quick "$NS_U" 203.0.113.70 198.51.100.10 80
t_check "ping from u to the LAN passes" ping_from "$NS_U" 203.0.113.1 198.51.100.10
t_check "ping from u to the router passes" ping_from "$NS_U" 203.0.113.1 203.0.113.2

out=$(bw_r add element netdev edge blocklist '{ 203.0.113.1 }' 2>&1) || t_bad "add element: $out"
t_check_not "u blocklisted at run time: its web connection is dropped" \
	tcp_quick "$NS_U" 203.0.113.1 198.51.100.10 80
out=$(bw_r delete element netdev edge blocklist '{ 203.0.113.1 }' 2>&1) || t_bad "delete element: $out"
t_check "taken off the blocklist: it passes again" tcp_from "$NS_U" 203.0.113.1 198.51.100.10 80
out=$(bw_r add element inet filter published '{ 198.51.100.20 . 22 : accept }' 2>&1) ||
	t_bad "add element to the map: $out"
t_check "the workstation's SSH published at run time: reachable from u" \
	tcp_from "$NS_U" 203.0.113.1 198.51.100.20 22
out=$(bw_r delete element inet filter published '{ 198.51.100.20 . 22 : accept }' 2>&1) ||
	t_bad "delete element from the map: $out"
t_check_not "unpublished again: dropped" tcp_quick "$NS_U" 203.0.113.1 198.51.100.20 22

t_check "the workstation's TCP to u:8080 gets its replies (established)" \
	tcp_from "$NS_L" 198.51.100.20 203.0.113.1 8080
t_check "the workstation's DNS query to u gets its answer" udp "$NS_L" 198.51.100.20 203.0.113.1 53
t_check "the workstation's ping to u gets its reply" ping_from "$NS_L" 198.51.100.20 203.0.113.1
t_check "SSH from the LAN to the router passes" tcp_from "$NS_L" 198.51.100.20 198.51.100.1 22
t_check "mail from the workstation is refused at once (reset)" \
	tcp_refused "$NS_L" 198.51.100.20 203.0.113.1 25
t_check "mail from the relay passes" tcp_from "$NS_L" 198.51.100.25 203.0.113.1 25
t_check_not "a forged source does not leave through the uplink (BCP 38)" forged after

list=$(bw_r list ruleset 2>&1)
printf '%s\n' "$list"
check_counter "$list" "bogons" "ip saddr @bogons" 1
check_counter "$list" "spoofed LAN source" "ip saddr 198.51.100.0/24" 1
check_counter "$list" "blocklist" "ip saddr @blocklist" 2
check_counter "$list" "BCP 38" "ip saddr != " 1
# the forward chain's (the input chain's come after them)
check_counter "$list" "ping from the uplink to the LAN" "icmp type echo-request" 1
check_counter "$list" "the uplink's drop, forwarded" "iifname \"bwtr0\" counter" 2
check_counter "$list" "mail refused" "tcp dport 25" 1
flush "$NS_R" "$PIN_R"
t_check "after the flush, a bogon source passes again" tcp_from "$NS_U" 192.0.2.9 198.51.100.10 80
t_done
