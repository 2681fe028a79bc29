#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Pinned objects of another shape than the state says (a kill between
# pinning the sets and the state, another version of bpfwall, a hand
# with bpftool): after a real load, maps of the wrong type, key size,
# value size or entries are planted in the pin dir with bpftool, and
# every command that meets one ends, bounded in time, with an error that
# names the object and the fix, or succeeds (a load replaces them):
# never a loop over keys of the wrong size (list ruleset and add element
# used to spin at 100% CPU holding the lock), never a heap overrun (a
# counters map of another value size aborted list ruleset).
T_NAME=shape
# bpfwall's own connection tracking (its conntrack map is one of the
# objects planted): the input chain at XDP, as where the kernel has no
# BPF at the netfilter hooks
export BPFWALL_IP_HOOKS=xdp
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v bpftool >/dev/null 2>&1 || t_skip "needs bpftool"
t_setup_pair

PIN=$PIN_B
rules=$(t_rules shape.conf <<'EOF2'
table netdev t {
	set blk {
		type ipv4_addr; elements = { 198.51.100.1 }
	}
	set nets {
		type ipv4_addr; flags interval; elements = { 203.0.113.0/25 }
	}
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr @blk counter drop
		ip saddr @nets counter drop
	}
}
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		ct state established counter accept
		udp dport 9 counter log prefix "shape " accept
	}
}
EOF2
)
load()
{
	local out
	out=$(bw_b -f "$rules" 2>&1) || { t_bad "load: $out"; return 1; }
	printf '%s\n' "$out"
}
load >/dev/null || t_fatal "cannot load"
ls "$PIN"
for p in set_0_0 set_1_0 counters reasons conntrack log_events state; do
	[ -e "$PIN/$p" ] || t_fatal "no pin $p after the load: $(ls "$PIN")"
done

# plant NAME TYPE KEY VALUE ENTRIES [FLAGS]: a map of that shape in place
# of the pin NAME
plant()
{
	local name=$1 type=$2 key=$3 value=$4 entries=$5 flags=${6:-0}
	rm -f "$PIN/$name"
	bpftool map create "$PIN/$name" type "$type" key "$key" value "$value" \
		entries "$entries" name bw_planted flags "$flags" ||
		t_fatal "bpftool map create $name"
}

# expect DESC RC PATTERN CMD...: CMD ends within its timeout with exit
# status RC and a message matching PATTERN (a glob).
expect()
{
	local desc=$1 want=$2 pat=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && [[ $out == $pat ]]; then
		t_ok "$desc (rc $rc)"
		[ "$want" -eq 0 ] || printf '%s\n' "$out" | sed 's/^/    /' | head -n 4
	else
		t_bad "$desc: rc $rc (want $want; 124: timed out, 134: abort):"
		printf '%s\n' "$out" | head -n 5
	fi
}
fix="*run \`bpfwall flush ruleset\` or load a ruleset*"
bwt()	# bpfwall in b, bounded by 10 s
{
	timeout 10 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN" "$@"
}

# -- a set's hash table with 8-byte keys where the set has 4, holding keys
plant set_0_0 hash 8 8 16
bpftool map update pinned "$PIN/set_0_0" key 1 2 3 4 5 6 7 8 value 0 0 0 0 0 0 0 0
bpftool map update pinned "$PIN/set_0_0" key 8 7 6 5 4 3 2 1 value 0 0 0 0 0 0 0 0
expect "list ruleset, set of 8-byte keys" 1 "*set_0_0*8-byte keys*4-byte keys*$fix" bwt list ruleset
expect "add element, set of 8-byte keys" 1 "*set_0_0*$fix" \
	bwt add element netdev t blk '{ 198.51.100.2 }'
expect "delete element, set of 8-byte keys" 1 "*set_0_0*$fix" \
	bwt delete element netdev t blk '{ 198.51.100.1 }'
expect "-w 0 list: nobody holds the lock now" 1 "*set_0_0*" bwt -w 0 list ruleset
# -- an interval set's trie as a hash
plant set_1_0 hash 8 8 4
expect "add element, interval set of another type" 1 "*set_1_0*type hash*type lpm_trie*" \
	bwt add element netdev t nets '{ 203.0.113.200 }'
expect "a load replaces the sets" 0 "*" bwt -f "$rules"
expect "list ruleset after the load" 0 "*ip saddr @blk*" bwt list ruleset
expect "add element after the load" 0 "*" bwt add element netdev t blk '{ 198.51.100.2 }'

# -- counters with 8-byte values (the programs write 16) and too few
plant counters percpu_array 4 8 2
expect "list ruleset, counters of another value size" 1 "*counters*8-byte values*$fix" \
	bwt list ruleset
expect "list ruleset -j, the same" 1 "*counters*" bwt -j list ruleset
plant counters percpu_array 4 16 1
expect "list ruleset, counters with too few entries" 1 "*counters*1 entries*$fix" \
	bwt list ruleset
plant reasons percpu_array 4 16 1
expect "list ruleset, reasons of another shape" 1 "*reasons*" bwt list ruleset
expect "a load replaces counters and reasons" 0 "*" bwt -f "$rules"
expect "list ruleset after the load" 0 "*counter packets*" bwt list ruleset

# -- the ringbuf of log events and the conntrack table
plant log_events array 4 8 1
expect "monitor, log_events not a ringbuf" 1 "*log_events*type array*a ringbuf*" bwt monitor -c 1
plant conntrack hash 4 4 1
expect "list conntrack, conntrack of another shape" 1 "*conntrack*another shape*" \
	bwt list conntrack
expect "a load replaces log_events and conntrack" 0 "*replacing*log_events*" bwt -f "$rules"
expect "list conntrack after the load" 0 "*" bwt list conntrack
[ "$(bpftool map show pinned "$PIN/log_events" | grep -c ringbuf)" = 1 ] &&
	t_ok "log_events is a ringbuf again" || t_bad "log_events: $(bpftool map show pinned "$PIN/log_events")"

# -- the state: another shape, another version
rm -f "$PIN/state"
bpftool map create "$PIN/state" type array key 4 value 8 entries 1 name bw_state ||
	t_fatal "plant state"
expect "list ruleset, state of another shape" 1 "*state*8-byte values*$fix" bwt list ruleset
# the state's header: magic "BWST", version 99, zeros
rm -f "$PIN/state"
bpftool map create "$PIN/state" type array key 4 value 4096 entries 1 name bw_state ||
	t_fatal "plant state"
value=$(printf '0x54 0x53 0x57 0x42 99 0 0 0'; for _ in $(seq 9 4096); do printf ' 0'; done)
# shellcheck disable=SC2086
bpftool map update pinned "$PIN/state" key 0 0 0 0 value $value || t_fatal "write state"
msg="*the pinned state was written by another version of bpfwall; run \`bpfwall flush ruleset\` or load a ruleset to replace it*"
expect "list ruleset, state of another version" 1 "$msg" bwt list ruleset
expect "add element, state of another version" 1 "$msg" \
	bwt add element netdev t blk '{ 198.51.100.3 }'
expect "monitor, state of another version" 1 "$msg" bwt monitor -c 1
expect "flush ruleset, state of another version" 0 "*another version*" bwt flush ruleset
if in_b ip -d link show dev "$VETH_B" | grep -q xdp; then
	t_bad "after flush: XDP still attached"
else
	t_ok "after flush: nothing attached"
fi
left=$(ls "$PIN" | grep -v -e '^maps.debug$' -e '^progs.debug$')
[ -z "$left" ] && t_ok "after flush: nothing left" || t_bad "after flush, left: $left"
expect "load again" 0 "*" bwt -f "$rules"
t_done
