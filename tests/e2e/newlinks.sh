#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Interfaces created after the load, while a flow the input chain drops
# is being sent over them: none of its packets is delivered, while a
# second flow over the same link (another source) is.
#
#   veth  namespace a sends a stream of tagged UDP datagrams (IPv4 and
#         IPv6, one per flow every 10 ms) from addresses of a link that
#         does not exist yet; the veth pair is then created between a
#         and b, addressed and brought up; a socket in b counts what
#         arrives (tests/lib/udpflow)
#   tun   in b, udpflow creates a tun device and writes IPv4 and IPv6
#         UDP packets into it (from a dropped and an allowed source),
#         before and after the device is addressed and brought up
#
# Both without a ruleset (everything arrives: the test can fail), then
# with the chains at the netfilter hooks (the default): one attachment
# covers every interface, so there is no moment a new link is open.
# --ip-hooks xdp attaches to the interfaces there are at the load, and
# to new ones only through `bpfwall watch`, after the link event: it has
# a window by design (bpfwall(8)); that mode is checked for the watcher
# closing it, and the datagrams through the window are only reported.
T_NAME=newlinks
T_TIMEOUT=${T_TIMEOUT:-180}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
UDPFLOW=$T_BUILDDIR/tests/lib/udpflow
[ -x "$UDPFLOW" ] || t_fatal "no $UDPFLOW (make check builds it)"
[ -c /dev/net/tun ] || t_skip "needs /dev/net/tun (the tun driver)"
t_setup_pair

# the veth pair made during the stream, and its addresses
DEV_A=bwtn0 DEV_B=bwtn1
V4_NET=203.0.113 V6_NET=2001:db8:66:
# the tun device in b, and the addresses of the packets written into it
TUN=bwtt0
T4_NET=198.51.100 T6_NET=2001:db8:77:
PORT_V=5300 PORT_T=5301

rules=$(t_rules newlinks.conf <<EOF2
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr $V4_NET.66 udp dport $PORT_V counter drop
		ip6 saddr $V6_NET:66 udp dport $PORT_V counter drop
		ip saddr $T4_NET.66 udp dport $PORT_T counter drop
		ip6 saddr $T6_NET:66 udp dport $PORT_T counter drop
	}
}
EOF2
)

# recv_start PORT: the receiver in b, counting into $T_DIR/recv.out.
recv_start()
{
	local i
	timeout 60 ip netns exec "$NS_B" "$UDPFLOW" recv -t 50 "$1" >"$T_DIR/recv.out" &
	RECV=$!
	T_PIDS+=("$RECV")
	for i in $(seq 1 50); do
		in_b ss -Huln 2>/dev/null | grep -q ":$1 " && return 0
		sleep 0.1
	done
	t_fatal "the receiver on port $1 did not start"
}

# recv_stop: end the receiver; its counts stay in $T_DIR/recv.out.
recv_stop()
{
	sleep 0.3
	kill -TERM "$RECV" 2>/dev/null
	wait "$RECV"
}

# got TAG: datagrams of flow TAG the receiver counted.
got()
{
	awk -v t="$1" '$1 == t { n = $2 } END { print n + 0 }' "$T_DIR/recv.out"
}

# sent FILE TAG: datagrams of flow TAG the sender sent.
sent()
{
	awk -v t="$2" '$1 == t && $2 == "sent" { n = $3 } END { print n + 0 }' "$1"
}

# counter TEXT: packets of the rule with TEXT in list ruleset.
counter()
{
	local c
	c=$(list_counter "$(bw_b list ruleset 2>/dev/null)" "$1")
	echo "${c%% *}"
}

# make_link: the veth pair DEV_A (a) / DEV_B (b), addressed, with
# static neighbour entries in a (no ARP or ND request to lose while the
# link comes up), up.
make_link()
{
	local mac
	ip -n "$NS_A" link add "$DEV_A" type veth peer name "$DEV_B" netns "$NS_B" ||
		t_fatal "cannot create $DEV_A/$DEV_B"
	in_a ip addr add "$V4_NET.66/24" dev "$DEV_A"
	in_a ip addr add "$V4_NET.5/24" dev "$DEV_A"
	in_a ip addr add "$V6_NET:66/64" dev "$DEV_A" nodad
	in_a ip addr add "$V6_NET:5/64" dev "$DEV_A" nodad
	in_b ip addr add "$V4_NET.2/24" dev "$DEV_B"
	in_b ip addr add "$V6_NET:2/64" dev "$DEV_B" nodad
	mac=$(in_b cat "/sys/class/net/$DEV_B/address")
	in_a ip neigh replace "$V4_NET.2" lladdr "$mac" dev "$DEV_A" nud permanent
	in_a ip neigh replace "$V6_NET:2" lladdr "$mac" dev "$DEV_A" nud permanent
	in_b ip link set "$DEV_B" up
	in_a ip link set "$DEV_A" up
}

# veth_run: the stream from a, the veth pair made while it runs;
# after its 100 rounds over the link (at most 1000 in all) the pair
# is deleted again.
veth_run()
{
	local w
	recv_start "$PORT_V"
	timeout 60 ip netns exec "$NS_A" "$UDPFLOW" send -n 1000 -a 100 -i 10 "$PORT_V" \
		"d4,$V4_NET.66,$V4_NET.2" "p4,$V4_NET.5,$V4_NET.2" \
		"d6,$V6_NET:66,$V6_NET:2" "p6,$V6_NET:5,$V6_NET:2" >"$T_DIR/send.out" &
	w=$!
	T_PIDS+=("$w")
	sleep 0.5
	make_link
	wait "$w"
	recv_stop
	ip -n "$NS_A" link del "$DEV_A"
	echo "veth stream: $(tr '\n' ';' <"$T_DIR/send.out") received: $(tr '\n' ';' <"$T_DIR/recv.out")"
}

# tun_run: udpflow writes into the tun device it creates in b, which is
# addressed and brought up half a second later; it ends 100 rounds
# after the device is up (at most 1000 in all), and the device with it.
tun_run()
{
	local w i
	recv_start "$PORT_T"
	timeout 60 ip netns exec "$NS_B" "$UDPFLOW" tun -n 1000 -a 100 -i 10 "$TUN" "$PORT_T" \
		"d4,$T4_NET.66,$T4_NET.1" "p4,$T4_NET.5,$T4_NET.1" \
		"d6,$T6_NET:66,$T6_NET:1" "p6,$T6_NET:5,$T6_NET:1" >"$T_DIR/send.out" &
	w=$!
	T_PIDS+=("$w")
	for i in $(seq 1 50); do
		in_b ip link show dev "$TUN" >/dev/null 2>&1 && break
		sleep 0.1
	done
	sleep 0.5
	in_b ip addr add "$T4_NET.1/24" dev "$TUN"
	in_b ip addr add "$T6_NET:1/64" dev "$TUN" nodad
	in_b ip link set "$TUN" up
	wait "$w"
	recv_stop
	echo "tun writes: $(tr '\n' ';' <"$T_DIR/send.out") received: $(tr '\n' ';' <"$T_DIR/recv.out")"
}

# expect WHAT DROPPED: the allowed flows arrived; the dropped flows
# arrived (DROPPED = no) or not one of their datagrams did (yes), or
# are not checked (window).
expect()
{
	local what=$1 dropped=$2 tag n s
	for tag in p4 p6 d4 d6; do
		n=$(got "$tag")
		s=$(sent "$T_DIR/send.out" "$tag")
		[ "$s" -ge 100 ] || t_bad "$what: flow $tag: only $s sent"
		case $tag:$dropped in
		p*:* | d*:no)
			[ "$n" -gt 0 ] && t_ok "$what: flow $tag arrived ($n of $s)" ||
				t_bad "$what: flow $tag: none of $s arrived"
			;;
		d*:yes)
			[ "$n" -eq 0 ] && t_ok "$what: flow $tag: none of $s arrived" ||
				t_bad "$what: flow $tag: $n of $s arrived (the input chain drops it)"
			;;
		esac
	done
}

# --- without a ruleset, every flow arrives
veth_run
expect "no ruleset, veth" no
tun_run
expect "no ruleset, tun" no

# --- the netfilter hooks (default)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
bw_b list ruleset | grep -q "^# attached: input netfilter ipv4" &&
	t_ok "the input chain is at the netfilter hook" ||
	t_bad "the input chain is not at the netfilter hook: $(bw_b list ruleset 2>&1)"
veth_run
expect "netfilter, veth made during the stream" yes
for r in "ip saddr $V4_NET.66" "ip6 saddr $V6_NET:66"; do
	n=$(counter "$r")
	[ "${n:-0}" -gt 0 ] && t_ok "netfilter: rule '$r' counted $n" ||
		t_bad "netfilter: rule '$r' counted ${n:-nothing}"
done
tun_run
expect "netfilter, tun device made during the stream" yes
for r in "ip saddr $T4_NET.66" "ip6 saddr $T6_NET:66"; do
	n=$(counter "$r")
	[ "${n:-0}" -gt 0 ] && t_ok "netfilter: rule '$r' counted $n" ||
		t_bad "netfilter: rule '$r' counted ${n:-nothing}"
done
out=$(bw_b flush ruleset 2>&1) || t_bad "flush ruleset: $out"

# --- --ip-hooks xdp: the watcher attaches to the new veth; until then
# the link is open (documented), so only what follows is checked.  A tun
# device has no XDP program in this mode at all (bpfwall.conf(5)).
bw_bg b 100 --ip-hooks xdp -f "$rules" watch 2>"$T_DIR/watch.err"
WATCH=$BW_BG
ok=""
for i in $(seq 1 50); do
	bw_b list ruleset 2>/dev/null | grep -q '^table inet filter' && ok=1 && break
	sleep 0.1
done
[ -n "$ok" ] || t_fatal "watch --ip-hooks xdp did not load: $(cat "$T_DIR/watch.err")"
veth_run
echo "note: xdp + watch: of the dropped flows, $(got d4) (IPv4) and $(got d6) (IPv6)" \
	"datagrams arrived before the watcher attached to the new link"
expect "xdp + watch, veth made during the stream (allowed flows)" window
# the link made again, the watcher given time to attach (it acts 300 ms
# after the last link event): a second stream over it loses every
# datagram of the dropped flows
make_link
ok=""
for i in $(seq 1 50); do
	in_b ip -d link show dev "$DEV_B" 2>/dev/null | grep -q 'prog/xdp' && ok=1 && break
	sleep 0.1
done
[ -n "$ok" ] && t_ok "xdp + watch: the new link got the input chain's XDP program" ||
	t_bad "xdp + watch: no XDP program on $DEV_B after 5 s"
recv_start "$PORT_V"
timeout 60 ip netns exec "$NS_A" "$UDPFLOW" send -n 1000 -a 100 -i 10 "$PORT_V" \
	"d4,$V4_NET.66,$V4_NET.2" "p4,$V4_NET.5,$V4_NET.2" \
	"d6,$V6_NET:66,$V6_NET:2" "p6,$V6_NET:5,$V6_NET:2" >"$T_DIR/send.out"
recv_stop
expect "xdp + watch, after the watcher attached" yes
kill -TERM "$WATCH"
wait "$WATCH"
t_done
