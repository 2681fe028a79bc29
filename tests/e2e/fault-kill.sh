#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Fault injection (issue 9, the test layer): bpfwall killed with SIGKILL
# on entering its Nth bpf() call (strace -e inject=bpf:signal=SIGKILL:
# when=N), during
#   load            a first load of a.conf into an empty pin dir
#   replace-grow    a.conf over b.conf (new links, hooks and devices)
#   replace-shrink  b.conf over a.conf (links and hooks to remove)
#   replace-mode    a.conf with --xdp-mode generic over a.conf in native
#                   mode (the TC ingress bridge, the old link detached)
#   flush           flush ruleset over a.conf
# a.conf has netdev chains (XDP and TC on two devices) and inet and ip
# chains (netfilter links at two priorities, IPv4 and IPv6); b.conf fewer
# of each.  After each kill:
#   - `list ruleset` agrees with what is attached: XDP and TC as the
#     kernel reports them (bwprobe), the netfilter hooks by datagrams that
#     only one chain drops;
#   - the next `bpfwall --xdp-mode native -f b.conf` succeeds and leaves
#     exactly b.conf's attachments, and list says so;
#   - the pins are exactly those a clean load of b.conf leaves: nothing
#     bpfwall pinned is left orphaned.
# Which N: each operation runs once under strace (no kill) from the same
# starting point; N is every bpf() call that changes something (link
# create, update, detach, pin, map update, freeze), the first bpf() call
# after each change (a bpf() one, or an unlink or rename of a pin), and
# the first: every state the operation passes through at a bpf() call.
# BW_FAULT_ALL=1 takes every N.  Each N costs about half a second here;
# the numbers and the time are printed at the end.
T_NAME=faultkill
T_TIMEOUT=${BW_FAULT_TIMEOUT:-600}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the probes' counters)"
t_setup_pair
. "$T_SRCDIR/tests/lib/bwfault.sh"

ip -n "$NS_B" link add bwtb1 type veth peer name bwtc1 || t_fatal "veth bwtb1"
ip -n "$NS_B" link set bwtb1 up
ip -n "$NS_B" link set bwtc1 up

a=$(t_rules a.conf <<'EOF2'
table netdev t {
	set blocked {
		type ipv4_addr
		elements = { 198.51.100.1, 198.51.100.2 }
	}
	chain in0 {
		type filter hook ingress device "bwtb0" priority 0; policy accept;
		ip saddr @blocked counter drop
		ip saddr 192.0.2.66 drop
	}
	chain out0 {
		type filter hook egress device "bwtb0" priority 0; policy accept;
		udp dport 9 drop
	}
	chain in1 {
		type filter hook ingress device "bwtb1" priority 0; policy accept;
		udp dport 9 drop
	}
	chain out1 {
		type filter hook egress device "bwtb1" priority 0; policy accept;
		udp dport 9 drop
	}
}
table inet h {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport 7100 counter drop
	}
}
table ip h10 {
	chain input {
		type filter hook input priority 10; policy accept;
		udp dport 7110 drop
	}
}
EOF2
)
b=$(t_rules b.conf <<'EOF2'
table netdev t {
	chain in0 {
		type filter hook ingress device "bwtb0" priority 0; policy accept;
		ip saddr 198.51.100.3 drop
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
nf_probe_init ipv4:input:0:7100 ipv6:input:0:7100 ipv4:input:10:7110

# what a clean load of b.conf leaves
out=$(bw_b -f "$a" 2>&1) || t_fatal "load a.conf: $out"
out=$(bw_b -f "$b" 2>&1) || t_fatal "load b.conf: $out"
want_att=$(attached_b)
want_pins=$(pins_b)
echo "b.conf attaches:"
echo "$want_att"
echo "b.conf pins: $(echo "$want_pins" | tr '\n' ' ')"
[ "$(listed_b)" = "$want_att" ] || t_fatal "list disagrees with the kernel before any kill"
out=$(bw_b -f "$a" 2>&1) || t_fatal "load a.conf: $out"
a_att=$(attached_b)
[ "$(listed_b)" = "$a_att" ] || t_fatal "list disagrees with the kernel on a.conf"

# start OP: the starting point of each operation
start()
{
	bw_b flush ruleset >/dev/null 2>&1 || t_fatal "flush before $1 failed"
	case $1 in
	load) ;;
	replace-grow) bw_b -f "$b" >/dev/null 2>&1 || t_fatal "load b.conf for $1" ;;
	*) bw_b --xdp-mode native -f "$a" >/dev/null 2>&1 || t_fatal "load a.conf for $1" ;;
	esac
}

# op OP: the operation's arguments
op()
{
	case $1 in
	load|replace-grow) echo "-f $a" ;;
	replace-shrink) echo "-f $b" ;;
	replace-mode) echo "--xdp-mode generic -f $a" ;;
	flush) echo "flush ruleset" ;;
	esac
}

# which N (from the traced run's strace lines, FILE.raw): the first
# call; every bpf() call that changes something (link create, update,
# detach, pin, map update or delete, freeze); and the first bpf() call
# after each change, a bpf() one or an unlink or rename of a pin: a kill
# there sees the change done.  Every state the pin dir and the kernel
# pass through at a bpf() call is met once.
pick()
{
	if [ -n "${BW_FAULT_ALL:-}" ]; then
		seq 1 "$(wc -l <"$1")"
		return
	fi
	awk 'BEGIN { print 1 }
	     / bpf\(/ {
		n++
		if (after) { print n; after = 0 }
		if ($0 ~ /bpf\(BPF_(LINK_CREATE|LINK_UPDATE|LINK_DETACH|OBJ_PIN|MAP_UPDATE_ELEM|MAP_DELETE_ELEM|MAP_FREEZE),/) {
			print n; after = 1
		}
		next
	     }
	     / (unlink|unlinkat|rename|renameat|renameat2)\(/ { after = 1 }' "$1.raw" |
		sort -n -u
}

total=0 bad_total=0 t0=$SECONDS
summary=""
for o in ${BW_FAULT_OPS:-load replace-grow replace-shrink replace-mode flush}; do
	start "$o"
	# shellcheck disable=SC2046
	bw_b_trace "$T_DIR/$o.calls" $(op "$o") || t_fatal "$o: the traced run fails"
	ns=$(pick "$T_DIR/$o.calls")
	count=$(echo "$ns" | wc -l)
	bad=0 ts=$SECONDS
	for n in $ns; do
		start "$o"
		# shellcheck disable=SC2046
		if ! bw_b_kill_at "$n" $(op "$o"); then
			t_bad "$o: the run ended before its bpf() call $n (not as traced)"
			bad=$((bad + 1))
		fi
		what="$o killed at bpf() call $n ($(sed -n "${n}p" "$T_DIR/$o.calls"))"
		att=$(attached_b)
		lst=$(listed_b)
		if [ "$att" != "$lst" ]; then
			t_bad "$what: list says
$lst
the kernel has
$att"
			bad=$((bad + 1))
		fi
		if ! out=$(bw_b --xdp-mode native -f "$b" 2>&1); then
			t_bad "$what: the next load fails: $out"
			bad=$((bad + 1))
			continue
		fi
		att=$(attached_b)
		lst=$(listed_b)
		pins=$(pins_b)
		if [ "$att" != "$want_att" ] || [ "$lst" != "$want_att" ]; then
			t_bad "$what: after the next load the kernel has
$att
list says
$lst"
			bad=$((bad + 1))
		fi
		if [ "$pins" != "$want_pins" ]; then
			t_bad "$what: after the next load the pins differ: $(diff <(echo "$want_pins") <(echo "$pins") | grep '^[<>]' | tr '\n' ' ')"
			bad=$((bad + 1))
		fi
	done
	took=$((SECONDS - ts))
	line="$o: $(wc -l <"$T_DIR/$o.calls") bpf() calls, killed at $count of them, ${took}s, $bad failed checks"
	echo "$line"
	summary+="$line
"
	[ "$bad" -eq 0 ] && t_ok "$o: killed at $count points, each left list true and the next load exact"
	total=$((total + count))
	bad_total=$((bad_total + bad))
done
echo "$summary$total kills in $((SECONDS - t0))s, $bad_total failed checks"
t_done
