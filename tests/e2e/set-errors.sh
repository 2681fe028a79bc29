#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# add and delete element at scale and when they fail, and pin dirs that
# are no place for one:
#  - delete element costs what its elements cost, not what the set holds:
#    20 deletes from a set of 20000 make a few dozen bpf() calls (counted
#    with strace), not one per element held (13 s for a million);
#  - a prefix the set does not hold is not deleted because a wider one
#    covers it, and nothing is deleted then;
#  - a full set is named, with its size and the way out (`size N`);
#  - --pin-dir under /proc: not a bpffs and no place for one, not
#    "mount a bpffs over /proc".
T_NAME=seterr
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

# 20000 addresses of 2001:db8::/32 in a plain set, 20000 prefixes in an
# interval set
gen()
{
	local fmt=$1 i
	for i in $(seq 0 19999); do
		# shellcheck disable=SC2059
		printf "$fmt" $((i / 256)) $((i % 256))
	done
}
rules=$(t_rules sets.conf <<EOF2
table netdev t {
	set big {
		type ipv6_addr
		elements = {
$(gen '\t\t\t2001:db8:%x:%x::1,\n')
			2001:db8:ffff::1
		}
	}
	set nets {
		type ipv6_addr
		flags interval
		elements = {
$(gen '\t\t\t2001:db8:%x:%x00::/56,\n')
			2001:db8:ffff:ff00::/56
		}
	}
	set small {
		type ipv4_addr
		flags interval
		size 4
		elements = { 198.51.100.0/24 }
	}
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip6 saddr @big counter drop
		ip6 saddr @nets counter drop
		ip saddr @small counter drop
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "load: $out"
t_ok "loaded sets of 20000 elements"

elems()
{
	local fmt=$1 i sep=
	for i in $(seq 100 119); do
		# shellcheck disable=SC2059
		printf "$sep$fmt" $((i / 256)) $((i % 256))
		sep=", "
	done
}
# bpf() calls of one command (strace -c), or the command's own result
bpf_calls()
{
	local log="$T_DIR/strace.$$" n
	# (LeakSanitizer, in a sanitizer build, refuses to run under ptrace)
	ip netns exec "$NS_B" timeout 60 strace -f -c -e trace=bpf -o "$log" \
		env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		"$BPFWALL" --pin-dir "$PIN_B" "$@" >/dev/null 2>&1 || return 1
	n=$(awk '$NF == "bpf" { print $4 }' "$log")
	echo "${n:-0}"
}
if command -v strace >/dev/null 2>&1; then
	for set in big nets; do
		if [ $set = big ]; then
			e=$(elems '2001:db8:%x:%x::1')
		else
			e=$(elems '2001:db8:%x:%x00::/56')
		fi
		n=$(bpf_calls delete element netdev t $set "{ $e }") ||
			t_bad "delete 20 from $set failed"
		if [ -n "$n" ] && [ "$n" -lt 400 ]; then
			t_ok "delete 20 of 20000 from $set: $n bpf() calls"
		else
			t_bad "delete 20 of 20000 from $set: $n bpf() calls (one per element held?)"
		fi
		n=$(bpf_calls add element netdev t $set "{ $e }") ||
			t_bad "add them back to $set failed"
		[ $set = nets ] || { [ -n "$n" ] && [ "$n" -lt 400 ] &&
			t_ok "add 20 to the plain set: $n bpf() calls" ||
			t_bad "add 20 to the plain set: $n bpf() calls"; }
	done
else
	echo "SKIP (part): no strace, the cost of delete element is not counted"
fi
t0=$(date +%s%3N)
out=$(bw_b delete element netdev t big "{ $(elems '2001:db8:%x:%x::1') }" 2>&1) ||
	t_bad "delete: $out"
t1=$(date +%s%3N)
echo "delete 20 of 20000: $((t1 - t0)) ms"

# -- a prefix inside one the set holds is not in the set
out=$(bw_b delete element netdev t small '{ 198.51.100.0/25 }' 2>&1)
rc=$?
case $rc:$out in
1:*"this element is not in set small"*) t_ok "delete of a prefix inside a held one: not in the set" ;;
*) t_bad "delete 198.51.100.0/25: rc $rc: $out" ;;
esac
out=$(bw_b delete element netdev t small '{ 198.51.100.0/24, 203.0.113.1 }' 2>&1)
rc=$?
case $rc:$out in
1:*"not in set small"*"203.0.113.1"*) t_ok "one element missing: refused" ;;
*) t_bad "delete with a missing element: rc $rc: $out" ;;
esac
case $(bw_b list ruleset 2>&1) in
*"198.51.100.0/24"*) t_ok "and nothing was deleted" ;;
*) t_bad "198.51.100.0/24 was deleted" ;;
esac

# -- a full interval set: named, with its size and the way out
out=$(bw_b add element netdev t small '{ 203.0.113.1, 203.0.113.3, 203.0.113.5, 203.0.113.7 }' 2>&1)
rc=$?
echo "$out"
case $rc:$out in
1:*"set small is full (size 4"*"size 8;"*) t_ok "a full interval set: named, its size, size 8 suggested" ;;
*) t_bad "a full set: rc $rc: $out" ;;
esac
case $out in
*"No space left on device"*) t_bad "the message is still strerror's" ;;
esac
case $(bw_b list ruleset 2>&1) in
*"203.0.113.1"*) t_bad "the elements of the failed add stayed" ;;
*) t_ok "the failed add took its elements out again" ;;
esac

# -- pin dirs where no bpffs belongs
for dir in /proc/bwt-x /proc /sys/kernel/bwt-x; do
	out=$("$BPFWALL" --pin-dir "$dir" -f "$rules" 2>&1)
	rc=$?
	case $rc:$out in
	*"mount -t bpf"*) t_bad "--pin-dir $dir suggests mounting a bpffs: $out" ;;
	1:*"not a bpffs and no place to mount one"*) t_ok "--pin-dir $dir: no place for a bpffs" ;;
	*) t_bad "--pin-dir $dir: rc $rc: $out" ;;
	esac
done
grep -q " /proc/bwt-x \| /sys/kernel/bwt-x " /proc/mounts && t_bad "something was mounted"
t_done
