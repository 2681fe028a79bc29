#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A reload never opens an unfiltered window, also where the XDP mode is
# at stake (issue 9, item 1).  A UDP flood (bwprobe flood, 100k datagrams
# a second, bounded in time and count) runs from a to a port of b that
# b's ingress chain drops by policy, while:
#  - 50 reloads in auto mode alternate a ruleset with a reject rule (auto
#    mode picks generic XDP for a veth whose program answers) and one
#    without: the running native program keeps its mode, stderr says so
#    and what it means for the reject's answer;
#  - 50 reloads alternate --xdp-mode generic and native: each changes the
#    mode, holding the device with a drop-all program at TC ingress.
# An nft counter in b's prerouting hook (after XDP) counts what got past:
# 0.  The counter is shown to count a flood where nothing drops it, before
# and after (the flood still runs at the end).
T_NAME=xdpflood
T_TIMEOUT=240
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the receiver's counter)"
PROBE="$T_BUILDDIR/tests/lib/bwprobe"
[ -x "$PROBE" ] || t_skip "needs tests/lib/bwprobe (make check builds it)"
t_setup_pair

PORT=9999
RELOADS=${BW_FLOOD_RELOADS:-50}
plain=$(t_rules plain.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy drop;
		ip protocol icmp accept
		tcp dport 5001 accept
	}
}
EOF2
)
reject=$(t_rules reject.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy drop;
		ip protocol icmp accept
		tcp dport 5001 accept
		tcp dport 5002 reject with tcp reset
	}
}
EOF2
)
open=$(t_rules open.conf <<EOF2
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy drop;
		udp dport $PORT accept
	}
}
EOF2
)

# what gets past XDP: counted in b's prerouting hook
in_b nft -f - <<EOF2 || t_fatal "cannot make the receiver's counter"
table inet bwtcount {
	counter flood { }
	chain pre {
		type filter hook prerouting priority -300; policy accept;
		udp dport $PORT counter name flood
	}
}
EOF2
passed()
{
	in_b nft list counter inet bwtcount flood |
		sed -n 's/.*packets \([0-9]*\) bytes.*/\1/p'
}
reset_count()
{
	in_b nft reset counter inet bwtcount flood >/dev/null
}
xdp_mode()
{
	in_b "$PROBE" attached | awk -v d="$VETH_B" '$1 == "xdp" && $2 == d { print $3 }'
}
# flood SECONDS: in the background, its pid in FLOOD, its count in $T_DIR/sent
flood()
{
	timeout $(($1 + 10)) ip netns exec "$NS_A" "$PROBE" flood "$IP_B" "$PORT" "$1" 50000000 100000 \
		>"$T_DIR/sent" 2>"$T_DIR/flood.err" &
	FLOOD=$!
	T_PIDS+=("$FLOOD")
}
# flood_end [wait]: stop it (or wait for its end), SENT its count
flood_end()
{
	[ -n "${1:-}" ] || kill -TERM "$FLOOD" 2>/dev/null
	wait "$FLOOD" 2>/dev/null
	SENT=$(cat "$T_DIR/sent")
}

# -- the counter counts a flood nothing drops
reset_count
flood 1
flood_end wait
n=$(passed)
[ "${n:-0}" -gt 1000 ] && t_ok "with no ruleset $n of $SENT datagrams are counted" ||
	t_fatal "the receiver's counter saw ${n:-none} of ${SENT:-none} datagrams: it cannot judge"

out=$(bw_b -f "$plain" 2>&1) || t_fatal "load: $out"
mode=$(xdp_mode)
[ "$mode" = native ] && t_ok "auto mode: native XDP on $VETH_B" ||
	t_fatal "auto mode chose '$mode' on $VETH_B (this test needs native XDP on veth)"

# -- auto mode: a reject rule comes and goes 50 times under the flood
reset_count
flood 120
fails=0 notes=0 start=$SECONDS
for i in $(seq 1 "$RELOADS"); do
	if [ $((i % 2)) -eq 1 ]; then f=$reject; else f=$plain; fi
	if ! out=$(bw_b -f "$f" 2>&1); then
		fails=$((fails + 1))
		echo "reload $i: $out"
	fi
	case $out in *"keeps native XDP"*"reject"*) notes=$((notes + 1)) ;; esac
done
took=$((SECONDS - start))
mode=$(xdp_mode)
flood_end
n=$(passed)
echo "auto mode: $RELOADS reloads in ${took}s, $SENT datagrams sent, ${n:-?} past XDP"
[ "$fails" -eq 0 ] && t_ok "$RELOADS reloads in auto mode succeed" || t_bad "$fails reloads failed"
[ "$n" = 0 ] && t_ok "auto mode: 0 of $SENT datagrams got through $RELOADS reloads" ||
	t_bad "auto mode: ${n:-?} of $SENT datagrams got through $RELOADS reloads"
[ "$mode" = native ] && t_ok "the running program kept native mode" ||
	t_bad "the mode changed to '$mode' behind the user's back"
[ "$notes" -eq $(((RELOADS + 1) / 2)) ] &&
	t_ok "each load with a reject says it keeps native XDP and what that means" ||
	t_bad "$notes of $(((RELOADS + 1) / 2)) loads with a reject said so"
[ "${SENT:-0}" -gt 1000 ] || t_bad "the flood sent only ${SENT:-0} datagrams: $(cat "$T_DIR/flood.err")"

# native XDP kept with a reject on a veth: the packet is dropped, its
# answer (XDP_TX) is lost, as stderr said (a's end has no XDP, no GRO)
out=$(bw_b -f "$reject" 2>&1) || t_bad "load reject: $out"
err=$(timeout 10 ip netns exec "$NS_A" socat -u "TCP4:$IP_B:5002,connect-timeout=2" - 2>&1)
case $err in
*"refused"*) echo "note: the reset arrived in native mode ($err)" ;;
*) t_ok "native mode: port 5002 is not reachable (the reset is lost: ${err##*: })" ;;
esac
t_check_not "native mode: no connection to the rejected port" \
	timeout 10 ip netns exec "$NS_A" socat -u "TCP4:$IP_B:5002,connect-timeout=2" /dev/null

# -- explicit modes: 50 changes, each held by the TC ingress bridge
reset_count
flood 120
fails=0 wrong=0 start=$SECONDS
for i in $(seq 1 "$RELOADS"); do
	if [ $((i % 2)) -eq 1 ]; then m=generic; else m=native; fi
	if ! out=$(bw_b --xdp-mode "$m" -f "$reject" 2>&1); then
		fails=$((fails + 1))
		echo "reload $i ($m): $out"
	fi
	got=$(xdp_mode)
	[ "$got" = "$m" ] || { wrong=$((wrong + 1)); echo "reload $i: asked $m, runs '$got'"; }
done
took=$((SECONDS - start))
n=$(passed)
bridges=$(in_b "$PROBE" attached | grep -c "^tc-ingress")
left=$(ls "$PIN_B" | grep -c '^bridge_')
# the flood still runs: with the port open, it is counted
out=$(bw_b -f "$open" 2>&1) || t_bad "load open: $out"
sleep 0.5
flood_end
n2=$(passed)
echo "explicit modes: $RELOADS mode changes in ${took}s, $SENT datagrams sent, ${n:-?} past XDP during them, $n2 with the port open at the end"
[ "$fails" -eq 0 ] && t_ok "$RELOADS mode changes succeed" || t_bad "$fails mode changes failed"
[ "$wrong" -eq 0 ] && t_ok "each runs the mode it was asked for" || t_bad "$wrong ran another mode"
[ "$n" = 0 ] && t_ok "explicit modes: 0 datagrams got through $RELOADS mode changes" ||
	t_bad "explicit modes: ${n:-?} datagrams got through $RELOADS mode changes"
[ "${n2:-0}" -gt "${n:-0}" ] && t_ok "the flood ran to the end (counted once the port is open)" ||
	t_bad "the flood was not running at the end"
[ "$bridges" -eq 0 ] && [ "$left" -eq 0 ] && t_ok "no bridge left attached or pinned" ||
	t_bad "bridges left: $bridges attached, $left pinned"

# generic mode: the reject's answer arrives
out=$(bw_b --xdp-mode generic -f "$reject" 2>&1) || t_bad "load generic: $out"
err=$(timeout 10 ip netns exec "$NS_A" socat -u "TCP4:$IP_B:5002,connect-timeout=3" - 2>&1)
case $err in
*"refused"*) t_ok "generic mode: the reset arrives (connection refused)" ;;
*) t_bad "generic mode: no reset: $err" ;;
esac
t_done
