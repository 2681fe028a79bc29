#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The pin dir's lock: `list ruleset` piped into a reader that does not read
# (a pager left open) must not hold it, so a load, add element and flush
# go on; a command that waits for the lock says so after a second, naming
# the holder; -w SECONDS bounds the wait (0: fail at once), as iptables -w.
T_NAME=lockwait
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v flock >/dev/null 2>&1 || t_skip "needs flock (util-linux)"
t_setup_pair

# A set big enough that `list ruleset` writes far more than a pipe holds
# (64 KiB): 6000 addresses of 2001:db8::/32, none next to another (list
# ruleset would print neighbours as one range), about 100 KB of text.
set_file="$T_DIR/big.set"
for i in $(seq 1 6000); do
	printf '\t\t\t2001:db8:%x::%x,\n' $((i / 128)) $((i % 128 * 2 + 1))
done >"$set_file"
rules=$(t_rules lock.conf <<EOF2
table netdev t {
	set big {
		type ipv6_addr
		elements = {
$(cat "$set_file")
			2001:db8:ffff::1
		}
	}
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip6 saddr @big counter drop
		ip saddr 192.0.2.66 counter drop
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "load: $out"
size=$(bw_b list ruleset | wc -c)
[ "$size" -gt 80000 ] && t_ok "list ruleset writes $size bytes" ||
	t_fatal "list ruleset writes only $size bytes: not enough to fill a pipe"

ms() { date +%s%3N; }

# -- a reader that does not read: the lock is not held while it waits
( bw_b list ruleset | (sleep 8; cat >/dev/null) ) &
reader=$!
T_PIDS+=("$reader")
sleep 1
t0=$(ms)
out=$(bw_b -f "$rules" 2>&1)
rc=$?
t1=$(ms)
if [ "$rc" -eq 0 ] && [ $((t1 - t0)) -lt 5000 ]; then
	t_ok "-f beside a stalled list ruleset reader: done in $((t1 - t0)) ms"
else
	t_bad "-f beside a stalled reader: rc $rc after $((t1 - t0)) ms: $out"
fi
t0=$(ms)
out=$(bw_b add element netdev t big '{ 2001:db8:eeee::1 }' 2>&1)
rc=$?
t1=$(ms)
[ "$rc" -eq 0 ] && [ $((t1 - t0)) -lt 5000 ] &&
	t_ok "add element beside the stalled reader: $((t1 - t0)) ms" ||
	t_bad "add element beside the stalled reader: rc $rc after $((t1 - t0)) ms: $out"
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null

# -- a held lock: flock(1) on the pin dir, as another bpfwall would
flock "$PIN_B" sleep 20 &
holder=$!
T_PIDS+=("$holder")
for _ in $(seq 1 50); do
	grep -q FLOCK /proc/locks && flock -n "$PIN_B" true 2>/dev/null || break
	sleep 0.1
done
flock -n "$PIN_B" true 2>/dev/null && t_fatal "the lock is not held"

t0=$(ms)
out=$(bw_b -w 0 list ruleset 2>&1)
rc=$?
t1=$(ms)
echo "$out"
case $rc:$out in
1:*"cannot wait (-w 0) for the lock held by pid $holder (flock "*) t_ok "-w 0: fails at once ($((t1 - t0)) ms), naming the holder" ;;
*) t_bad "-w 0: rc $rc: $out" ;;
esac
[ $((t1 - t0)) -lt 1000 ] || t_bad "-w 0 took $((t1 - t0)) ms"

t0=$(ms)
out=$(bw_b -w 1 -f "$rules" 2>&1)
rc=$?
t1=$(ms)
echo "$out"
if [ "$rc" -eq 1 ] && [ $((t1 - t0)) -ge 900 ] && [ $((t1 - t0)) -lt 2500 ]; then
	t_ok "-w 1 -f: gives up after $((t1 - t0)) ms, exit 1"
else
	t_bad "-w 1 -f: rc $rc after $((t1 - t0)) ms"
fi
case $out in
*"gave up waiting for the lock"*) t_ok "-w 1: says it gave up" ;;
*) t_bad "-w 1: $out" ;;
esac

# without -w: waits, says so after a second, goes on when the lock is free
err="$T_DIR/wait.err"
( bw_b --wait 30 flush ruleset 2>"$err"; echo "rc $?" >>"$err" ) &
waiter=$!
T_PIDS+=("$waiter")
( bw_b list ruleset >/dev/null 2>"$err.2" ) &
lister=$!
T_PIDS+=("$lister")
sleep 2
case $(cat "$err") in
*"waiting (-w) for the lock held by pid $holder (flock "*) t_ok "flush says whom it waits for" ;;
*) t_bad "flush waiting: $(cat "$err")" ;;
esac
case $(cat "$err.2") in
*"waiting for the lock held by pid $holder"*) t_ok "list says whom it waits for" ;;
*) t_bad "list waiting: $(cat "$err.2")" ;;
esac
kill "$holder"
wait "$holder" 2>/dev/null
wait "$waiter"
wait "$lister"
grep -q "^rc 0" "$err" && t_ok "flush went on once the lock was free" ||
	t_bad "flush after the wait: $(cat "$err")"
t_check "flushed: ping from $IP_A2 passes" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_done
