#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bpfwall watch, as the service runs it (ExecStart): the ruleset follows
# the interfaces.
#
#   - a netdev chain whose device does not exist yet loads with a warning
#     (plain -f refuses it) and gets its XDP program when the device
#     appears; the device deleted and created again gets it back
#   - with --ip-hooks xdp, an interface created later gets the input
#     chain's XDP program; with the netfilter hooks it needs none
#   - SIGHUP loads the file again; SIGTERM ends the command with status
#     0 and the ruleset stays
T_NAME=watch
T_TIMEOUT=${T_TIMEOUT:-150}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

DEV_A=bwwa0 DEV_B=bwwb0
IP_A9=203.0.113.1 IP_A9B=203.0.113.3 IP_A9C=203.0.113.4 IP_B9=203.0.113.2

rules=$(t_rules watch.conf <<EOF2
table netdev f {
	chain c {
		type filter hook ingress device "$DEV_B" priority 0; policy accept;
		ip saddr $IP_A9 counter drop
	}
}
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		ip saddr $IP_A9C counter drop
	}
}
EOF2
)

# new_link: the pair DEV_A (in a) / DEV_B (in b), addresses, up.
new_link()
{
	ip link add "$DEV_A" netns "$NS_A" type veth peer name "$DEV_B" netns "$NS_B" ||
		t_fatal "ip link add $DEV_A/$DEV_B"
	in_a ip addr add "$IP_A9/24" dev "$DEV_A"
	in_a ip addr add "$IP_A9B/24" dev "$DEV_A"
	in_a ip addr add "$IP_A9C/24" dev "$DEV_A"
	in_b ip addr add "$IP_B9/24" dev "$DEV_B"
	in_a ip link set "$DEV_A" up
	in_b ip link set "$DEV_B" up
}

# xdp_on DEV: within 5 s an XDP program is on DEV (in b).
xdp_on()
{
	local i
	for i in $(seq 1 50); do
		in_b ip -d link show dev "$1" 2>/dev/null | grep -q 'prog/xdp' && return 0
		sleep 0.1
	done
	return 1
}

# watch_start ARGS: bpfwall ARGS -f FILE watch in b, in the background;
# true once it loaded (list ruleset shows table f).
watch_start()
{
	local i
	bw_bg b 120 "$@" -f "$rules" watch 2>"$T_DIR/watch.err"
	WATCH=$BW_BG
	for i in $(seq 1 50); do
		bw_b list ruleset 2>/dev/null | grep -q '^table netdev f' && return 0
		kill -0 "$WATCH" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# watch_stop: SIGTERM; true when the command ended with status 0.
watch_stop()
{
	local i rc
	kill -TERM "$WATCH"
	for i in $(seq 1 50); do
		kill -0 "$WATCH" 2>/dev/null || break
		sleep 0.1
	done
	wait "$WATCH"
	rc=$?
	[ "$rc" -eq 0 ]
}

counter()
{
	bw_b list ruleset | grep -F "ip saddr $1" | grep -o 'packets [0-9]*' | grep -o '[0-9]*'
}

# --- plain -f refuses the absent device, watch takes it
out=$(bw_b -f "$rules" 2>&1) && t_bad "bpfwall -f with device $DEV_B absent loaded" ||
	case $out in
	*"device \"$DEV_B\" does not exist"*) t_ok "bpfwall -f: device $DEV_B does not exist (an error)" ;;
	*) t_bad "bpfwall -f with an absent device: $out" ;;
	esac
t_check "watch loads the file with device $DEV_B absent" watch_start
grep -q "Warning: device \"$DEV_B\" does not exist yet" "$T_DIR/watch.err" &&
	t_ok "watch warns: device $DEV_B does not exist yet" ||
	t_bad "no warning for the absent device: $(cat "$T_DIR/watch.err")"

# --- the device appears
new_link
t_check "the device created after the load gets the netdev chain's XDP program" xdp_on "$DEV_B"
t_check_not "$IP_A9 over $DEV_B: dropped" ping_from "$NS_A" "$IP_A9" "$IP_B9"
t_check "$IP_A9B over $DEV_B: passes" ping_from "$NS_A" "$IP_A9B" "$IP_B9"
t_check_not "$IP_A9C over $DEV_B: dropped by the input chain (netfilter)" \
	ping_from "$NS_A" "$IP_A9C" "$IP_B9"
n=$(counter "$IP_A9")
[ "${n:-0}" -gt 0 ] && t_ok "the netdev chain counted $n packets" ||
	t_bad "the netdev chain's counter: ${n:-none}"

# --- deleted and created again
ip -n "$NS_B" link del "$DEV_B"
sleep 0.5
new_link
t_check "the device deleted and created again gets its program back" xdp_on "$DEV_B"
t_check_not "again: $IP_A9 over $DEV_B dropped" ping_from "$NS_A" "$IP_A9" "$IP_B9"
t_check "again: $IP_A9B over $DEV_B passes" ping_from "$NS_A" "$IP_A9B" "$IP_B9"
m=$(counter "$IP_A9")
[ "${m:-0}" -gt "${n:-0}" ] && t_ok "the counter went on across the reloads ($n -> $m)" ||
	t_bad "the counter after the device came back: ${m:-none} (before: ${n:-none})"

# --- SIGHUP loads the file again
sed -i "s/ip saddr $IP_A9 counter drop/ip saddr $IP_A9B counter drop/" "$rules"
kill -HUP "$WATCH"
ok=""
for i in $(seq 1 50); do
	bw_b list ruleset 2>/dev/null | grep -qF "ip saddr $IP_A9B" && ok=1 && break
	sleep 0.1
done
[ -n "$ok" ] && t_ok "SIGHUP: the file loaded again" || t_bad "SIGHUP: the ruleset did not change"
t_check "after SIGHUP: $IP_A9 passes" ping_from "$NS_A" "$IP_A9" "$IP_B9"
t_check_not "after SIGHUP: $IP_A9B dropped" ping_from "$NS_A" "$IP_A9B" "$IP_B9"

# --- SIGTERM: exit 0, the ruleset stays
t_check "SIGTERM ends watch with status 0" watch_stop
in_b ip -d link show dev "$DEV_B" | grep -q 'prog/xdp' && t_ok "after SIGTERM: XDP still on $DEV_B" ||
	t_bad "after SIGTERM: no XDP on $DEV_B"
t_check_not "after SIGTERM: $IP_A9B still dropped" ping_from "$NS_A" "$IP_A9B" "$IP_B9"
ip -n "$NS_B" link del "$DEV_B"

# --- --ip-hooks xdp: the input chain at XDP on every interface, new ones too
sed -i "s/ip saddr $IP_A9B counter drop/ip saddr $IP_A9 counter drop/" "$rules"
out=$(bw_b flush ruleset 2>&1) || t_bad "flush ruleset: $out"
t_check "watch --ip-hooks xdp loads" watch_start --ip-hooks xdp
in_b ip tuntap add bwwx0 mode tap
in_b ip link set bwwx0 up
t_check "--ip-hooks xdp: an interface created later gets the input chain's XDP program" \
	xdp_on bwwx0
new_link
t_check "--ip-hooks xdp: $DEV_B gets its program" xdp_on "$DEV_B"
t_check_not "--ip-hooks xdp: $IP_A9C over $DEV_B dropped (input chain at XDP)" \
	ping_from "$NS_A" "$IP_A9C" "$IP_B9"
t_check "--ip-hooks xdp: $IP_A9B over $DEV_B passes" ping_from "$NS_A" "$IP_A9B" "$IP_B9"
t_check "SIGTERM ends watch with status 0" watch_stop
out=$(bw_b flush ruleset 2>&1) || t_bad "flush ruleset: $out"
in_b ip -d link show dev "$DEV_B" | grep -q 'prog/xdp' && t_bad "after flush: XDP on $DEV_B" ||
	t_ok "after flush: no XDP on $DEV_B"
t_done
