#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The README's first command, minus the set-up: ./demo.sh runs, every
# result is as it says (also the audit event of the denied connect), and
# it leaves nothing behind.
T_NAME=demo
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_find_bpfwall

ns_before=$(ip netns list | grep -c '^bwdemo-')
out=$(BW_NO_APT=1 BW_NO_BUILD=1 BPFWALL=$BPFWALL timeout 150 bash "$T_SRCDIR/demo.sh" 2>&1)
rc=$?
printf '%s\n' "$out"
[ "$rc" -eq 0 ] && t_ok "demo.sh exit 0" || t_bad "demo.sh exit $rc"
printf '%s\n' "$out" | grep -q 'EXPECTED\|UNEXPECTED' && t_bad "demo.sh reported an unexpected result"
printf '%s\n' "$out" | grep -q 'counter packets [1-9]' && t_ok "demo shows counters that moved" ||
	t_bad "demo shows no counter that moved"
printf '%s\n' "$out" | grep -q '^    pinned on the default pin dir: .*state' &&
	t_ok "demo loads on the default pin dir" || t_bad "demo did not use the default pin dir"
if grep -q cgroup2 /proc/self/mountinfo; then
	printf '%s\n' "$out" | grep -q 'audit: .*using cgroup connect4/connect6 on /' &&
		t_ok "demo's load chose the default audit hook on the cgroup v2 root" ||
		t_bad "demo's load did not say which audit hook it chose"
	printf '%s\n' "$out" | grep -q '^    event: {"event":"connect-denied".*"cgroup":"/bwdemo-[0-9]*".*"daddr":"198.51.100.7","dport":443' &&
		t_ok "demo shows the audit event of the denied connect, with its cgroup" ||
		t_bad "demo shows no audit event for 198.51.100.7:443 (with the cgroup path)"
	ls -d /sys/fs/cgroup/*/bwdemo-* /sys/fs/cgroup/bwdemo-* 2>/dev/null | grep -q . &&
		t_bad "demo left a cgroup behind" || t_ok "demo removed its cgroup"
fi
ns_after=$(ip netns list | grep -c '^bwdemo-')
[ "$ns_after" -le "$ns_before" ] && t_ok "demo removed its namespaces" ||
	t_bad "demo left namespaces behind: $(ip netns list | grep '^bwdemo-')"
t_done
