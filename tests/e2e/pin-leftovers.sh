#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# What bpfwall leaves in a pin dir, and what it takes away:
#  - flush ruleset removes what bpfwall pinned and nothing else: another
#    tool's pins in a shared pin dir stay, whatever their names (link_*,
#    prog_*, set_*, log_*, audit_*, even a name of bpfwall's pattern);
#  - a failed first load leaves nothing behind: not the conntrack table,
#    not the ringbufs, not the directories it made, not the bpffs it
#    mounted; a failed reload leaves none of the pins it made either.
T_NAME=leftover
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v bpftool >/dev/null 2>&1 || t_skip "needs bpftool"
t_setup_pair

rules=$(t_rules good.conf <<'EOF2'
table netdev t {
	set blk {
		type ipv4_addr
		elements = { 198.51.100.1 }
	}
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr @blk counter drop
		ip saddr 192.0.2.66 counter drop
	}
}
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		ct state established accept
		udp dport 9 log prefix "lo " accept
	}
}
EOF2
)

# -- a shared pin dir: another tool's pins
foreign="link_foo prog_bar set_cache log_archive audit_trail lookup_7 set_3_1 link_xdp_999 state_old"
for f in $foreign; do
	bpftool map create "$PIN_B/$f" type array key 4 value 4 entries 1 name other ||
		t_fatal "bpftool map create $f"
done
mkdir "$PIN_B/mytool"
out=$(bw_b -f "$rules" 2>&1) || t_fatal "load: $out"
t_check_not "loaded: ping from $IP_A2 dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
out=$(bw_b flush ruleset 2>&1) || t_bad "flush: $out"
t_check "flushed: ping from $IP_A2 passes" ping_from "$NS_A" "$IP_A2" "$IP_B"
kept=0
for f in $foreign mytool; do
	if [ -e "$PIN_B/$f" ]; then
		kept=$((kept + 1))
	else
		t_bad "flush removed another tool's $f"
	fi
done
[ "$kept" -eq 10 ] && t_ok "flush left the other tool's 10 pins"
left=$(ls "$PIN_B" | grep -v -x -e maps.debug -e progs.debug -e mytool $(printf -- '-e %s ' $foreign))
[ -z "$left" ] && t_ok "flush removed all of bpfwall's" || t_bad "flush left bpfwall's: $left"

# -- a failed first load, where bpfwall makes the pin dir and mounts a bpffs
# (ip netns exec: the mount is made in the host's mount namespace)
fail=$(t_rules fail.conf <<'EOF2'
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		ct state established accept
		udp dport 9 log prefix "fail " accept
	}
}
EOF2
)
# native XDP on lo (every interface runs the input chain, at XDP with
# --ip-hooks xdp) cannot attach: the load fails after its maps were made
FRESH="$T_DIR/fresh"
T_MOUNTS+=("$FRESH/pins")	# should the test fail: unmount it at the end
out=$(timeout 30 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$FRESH/pins" \
	--ip-hooks xdp --xdp-mode native -f "$fail" 2>&1)
rc=$?
echo "$out"
[ "$rc" -eq 1 ] && t_ok "the load fails (exit 1)" || t_fatal "the failing load: rc $rc"
[ -e "$FRESH" ] && t_bad "a failed first load left $FRESH: $(ls -R "$FRESH")" ||
	t_ok "a failed first load leaves no directory"
grep -qF " $FRESH" /proc/mounts && t_bad "a failed first load left a bpffs mounted: $(grep -F "$FRESH" /proc/mounts)" ||
	t_ok "a failed first load leaves no bpffs mounted"
t_check_not "nothing attached" bash -c "ip -n $NS_B -d link show | grep -q xdp"

# -- a failed first load in an existing bpffs
out=$(bw_a --ip-hooks xdp --xdp-mode native -f "$fail" 2>&1)
[ $? -eq 1 ] || t_bad "the failing load in $PIN_A did not fail: $out"
left=$(ls "$PIN_A" | grep -v -x -e maps.debug -e progs.debug)
[ -z "$left" ] && t_ok "a failed first load leaves no pin (no conntrack, no ringbuf)" ||
	t_bad "a failed first load left: $left"

# -- a failed reload: the old ruleset stays, no new pin does
old=$(t_rules old.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_A@" priority 0; policy accept;
		ip saddr 192.0.2.2 counter accept
	}
}
EOF2
)
out=$(bw_a -f "$old" 2>&1) || t_fatal "load old: $out"
before=$(ls "$PIN_A")
out=$(bw_a --ip-hooks xdp --xdp-mode native -f "$fail" 2>&1)
[ $? -eq 1 ] || t_bad "the failing reload did not fail: $out"
after=$(ls "$PIN_A")
[ "$before" = "$after" ] && t_ok "a failed reload leaves the pins as they were" ||
	t_bad "a failed reload changed the pins: $(diff <(echo "$before") <(echo "$after"))"
case $(bw_a list ruleset 2>&1) in
*"ip saddr 192.0.2.2 counter"*) t_ok "the old ruleset is still listed" ;;
*) t_bad "the old ruleset is gone" ;;
esac
t_done
