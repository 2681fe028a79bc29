#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An upgrade across a state-format change needs no flush (issue 9, item
# 11): the next load replaces the old state atomically.  Next to real
# links (a ruleset loaded as usual), the state is replaced by one written
# by hand (tests/lib/bwprobe state): version 1 (the format before the
# netfilter hooks), a version this bpfwall does not know, a damaged one
# (another magic), one of another shape.  Each time a new ruleset (fewer
# devices, a netfilter hook) loads while a UDP flood runs to a port both
# rulesets drop: 0 datagrams get past XDP, the state is version 3, and the
# old attachments are updated or removed: the kernel has exactly the new
# ruleset's.  A flush over a state of an unknown version removes
# everything bpfwall attached.
T_NAME=upgrade
T_TIMEOUT=120
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the counters)"
command -v bpftool >/dev/null 2>&1 || t_skip "needs bpftool"
t_setup_pair
. "$T_SRCDIR/tests/lib/bwfault.sh"

ip -n "$NS_B" link add bwtb1 type veth peer name bwtc1 || t_fatal "veth bwtb1"
ip -n "$NS_B" link set bwtb1 up
ip -n "$NS_B" link set bwtc1 up
IDX0=$(in_b cat "/sys/class/net/$VETH_B/ifindex")
IDX1=$(in_b cat /sys/class/net/bwtb1/ifindex)
PORT=9999

old=$(t_rules old.conf <<EOF2
table netdev t {
	chain in0 {
		type filter hook ingress device "$VETH_B" priority 0; policy accept;
		udp dport $PORT counter drop
	}
	chain out0 {
		type filter hook egress device "$VETH_B" priority 0; policy accept;
		udp dport 9 drop
	}
	chain in1 {
		type filter hook ingress device "bwtb1" priority 0; policy accept;
		udp dport 9 drop
	}
}
EOF2
)
new=$(t_rules new.conf <<EOF2
table netdev t {
	chain in0 {
		type filter hook ingress device "$VETH_B" priority 0; policy accept;
		ip saddr 198.51.100.0/24 drop
		udp dport $PORT counter drop
	}
}
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 7100 drop
	}
}
EOF2
)
nf_probe_init ipv4:input:0:7100 ipv6:input:0:7100
want_new="netfilter ipv4 input 0
netfilter ipv6 input 0
xdp $VETH_B native"

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
	in_b nft list counter inet bwtcount flood | sed -n 's/.*packets \([0-9]*\) bytes.*/\1/p'
}

# upgrade WHAT PLANT...: old.conf loaded, its state replaced by PLANT
# (bwprobe state arguments after the path), then new.conf under a flood
upgrade()
{
	local what=$1 fl sent n out att
	shift
	out=$(bw_b -f "$old" 2>&1) || t_fatal "$what: load old.conf: $out"
	sed 's/^/# version-1 text: /' "$old" |
		in_b "$PROBE" state "$PIN_B/state" "$@" || t_fatal "$what: cannot plant the state"
	case $(in_b "$PROBE" state-version "$PIN_B/state") in
	2) t_fatal "$what: the planted state reads as version 2" ;;
	esac
	if [ "$1" = 1 ]; then
		out=$(bw_b list ruleset 2>&1)
		case $out in
		*"# version-1 text: "*"# attached: ingress xdp native on $VETH_B (ifindex $IDX0)"*"# attached: egress tcx on $VETH_B"*)
			t_ok "$what: list reads the version-1 state" ;;
		*) t_bad "$what: list of the version-1 state: $out" ;;
		esac
	else
		out=$(bw_b list ruleset 2>&1)
		[ $? -eq 1 ] && case $out in *"load a ruleset to replace it"*) true ;; *) false ;; esac &&
			t_ok "$what: list says what to do" || t_bad "$what: list says: $out"
	fi
	in_b nft reset counter inet bwtcount flood >/dev/null
	timeout 30 ip netns exec "$NS_A" "$PROBE" flood "$IP_B" "$PORT" 20 50000000 100000 \
		>"$T_DIR/sent" 2>/dev/null &
	fl=$!
	T_PIDS+=("$fl")
	sleep 0.3
	out=$(bw_b -f "$new" 2>&1)
	rc=$?
	sleep 0.3
	kill -TERM "$fl" 2>/dev/null
	wait "$fl" 2>/dev/null
	sent=$(cat "$T_DIR/sent")
	n=$(passed)
	[ "$rc" -eq 0 ] && t_ok "$what: new.conf loads over it without a flush" ||
		t_bad "$what: new.conf fails: $out"
	[ "$n" = 0 ] && [ "${sent:-0}" -gt 1000 ] &&
		t_ok "$what: 0 of $sent datagrams passed during the load" ||
		t_bad "$what: ${n:-?} of ${sent:-?} datagrams passed during the load"
	[ "$(in_b "$PROBE" state-version "$PIN_B/state")" = 3 ] &&
		t_ok "$what: the state is version 3 now" || t_bad "$what: the state is not version 3"
	att=$(attached_b)
	[ "$att" = "$want_new" ] && t_ok "$what: exactly new.conf's attachments" ||
		t_bad "$what: the kernel has
$att"
	[ "$(listed_b)" = "$want_new" ] && t_ok "$what: list agrees" ||
		t_bad "$what: list says $(listed_b)"
	case " $(pins_b | tr '\n' ' ') " in
	*" link_xdp_$IDX1 "*|*" link_tc_"*|*_new\ *) t_bad "$what: stale pins: $(pins_b | tr '\n' ' ')" ;;
	*) t_ok "$what: no stale pin" ;;
	esac
}

# the version-1 state's handles: as many as old.conf's counters map has
out=$(bw_b -f "$old" 2>&1) || t_fatal "load old.conf: $out"
nh=$(bpftool map show pinned "$PIN_B/counters" | sed -n 's/.*max_entries \([0-9]*\).*/\1/p')
upgrade "version 1" 1 "$nh" "xdp:$IDX0:$VETH_B:native" "tc:$IDX0:$VETH_B:tcx" "xdp:$IDX1:bwtb1:native"
upgrade "version 99" 99 7 "xdp:$IDX0:$VETH_B:native"
upgrade "another magic" badmagic
upgrade "another shape" badshape

# a flush over a state of an unknown version
out=$(bw_b -f "$old" 2>&1) || t_fatal "load old.conf: $out"
echo | in_b "$PROBE" state "$PIN_B/state" 99 3 || t_fatal "cannot plant the state"
out=$(bw_b flush ruleset 2>&1)
echo "$out"
att=$(attached_b)
[ -z "$att" ] && t_ok "flush over an unknown state detaches everything" ||
	t_bad "flush over an unknown state left: $att"
[ -z "$(pins_b)" ] && t_ok "and removes every pin" || t_bad "flush left pins: $(pins_b)"
t_done
