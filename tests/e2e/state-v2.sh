#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A state written before state version 3 (issue 10, item 3).  Since
# version 3 the state carries what list ruleset needs of the named sets
# (their types, flags, map layouts, the chains a vmap jumps to) as data
# the build wrote: the runtime never compiles the running text again.  A
# version-2 state has no such data: list ruleset of one with named sets
# refuses, exit 1, saying to load the ruleset again; one without named
# sets lists as before; add element still works (the command compiles
# the running text, not the runtime); a load over it writes version 3,
# whose list shows the elements the maps hold (add element's included).
# The version-2 state is the real one rewritten as the bpfwall before
# this one wrote it (tests/lib/bwprobe state-v2).
T_NAME=statev2
T_TIMEOUT=${T_TIMEOUT:-90}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
PROBE="$T_BUILDDIR/tests/lib/bwprobe"
[ -x "$PROBE" ] || t_skip "needs tests/lib/bwprobe (make check builds it)"
t_setup_pair

sets=$(t_rules sets.conf <<'EOF2'
table netdev t {
	set blk {
		type ipv4_addr; elements = { 198.51.100.1 }
	}
	set nets {
		type ipv4_addr; flags interval; elements = { 203.0.113.0/25, 192.0.2.10-192.0.2.20 }
	}
	map ports {
		type inet_service : verdict; elements = { 22 : jump ssh, 23 : drop }
	}
	chain ssh {
		counter accept
	}
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr @blk counter drop
		ip saddr @nets drop
		tcp dport vmap @ports
	}
}
EOF2
)
nosets=$(t_rules nosets.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 198.51.100.1 counter drop
		tcp dport { 22, 23 } accept
	}
}
EOF2
)
version() { in_b "$PROBE" state-version "$PIN_B/state"; }

# -- version 3: the sets listed from the state's data and their maps
out=$(bw_b -f "$sets" 2>&1) || t_fatal "load sets.conf: $out"
[ "$(version)" = 3 ] && t_ok "a load writes state version 3" ||
	t_bad "the state is version $(version)"
out=$(bw_b add element netdev t blk '{ 198.51.100.7 }' 2>&1) &&
	t_ok "add element" || t_bad "add element: $out"
out=$(bw_b add element netdev t nets '{ 192.0.2.100-192.0.2.110 }' 2>&1) &&
	t_ok "add element (a range)" || t_bad "add element (a range): $out"
bw_b list ruleset >"$T_DIR/list3" 2>&1
rc=$?
[ $rc = 0 ] && t_ok "list ruleset (version 3)" || t_bad "list ruleset: rc $rc: $(cat "$T_DIR/list3")"
t_check "the added address listed" grep -q 'elements = { 198.51.100.1, 198.51.100.7 }' "$T_DIR/list3"
t_check "the interval set's ranges listed" \
	grep -q 'elements = { 192.0.2.10-192.0.2.20, 192.0.2.100-192.0.2.110, 203.0.113.0/25 }' "$T_DIR/list3"
t_check "the vmap's jump listed with its chain" grep -q 'elements = { 22 : jump ssh, 23 : drop }' "$T_DIR/list3"
out=$(bw_b -c -f "$T_DIR/list3" 2>&1) && t_ok "the listing checks again" ||
	t_bad "the listing does not check: $out"

# -- version 2 with named sets: refused, with what to do
in_b "$PROBE" state-v2 "$PIN_B/state" || t_fatal "cannot rewrite the state as version 2"
[ "$(version)" = 2 ] || t_fatal "the rewritten state is version $(version)"
out=$(bw_b list ruleset 2>&1)
rc=$?
case $rc:$out in
1:*"loaded by an older bpfwall (state version 2)"*"load the ruleset again (bpfwall -f FILE)"*)
	t_ok "list of a version-2 state with sets: refused, says to load again" ;;
*)	t_bad "list of a version-2 state with sets: rc $rc: $out" ;;
esac
out=$(bw_b -j list ruleset 2>&1)
rc=$?
[ $rc = 1 ] && t_ok "list -j of it: refused too" || t_bad "list -j of it: rc $rc: $out"
out=$(bw_b add element netdev t blk '{ 198.51.100.8 }' 2>&1) &&
	t_ok "add element over a version-2 state" || t_bad "add element over a version-2 state: $out"

# -- a load over it: version 3 again, listed
out=$(bw_b -f "$sets" 2>&1) && t_ok "sets.conf loads over the version-2 state" ||
	t_bad "sets.conf over the version-2 state: $out"
[ "$(version)" = 3 ] && t_ok "the state is version 3 again" ||
	t_bad "the state is version $(version)"
out=$(bw_b list ruleset 2>&1)
case $out in
*'elements = { 198.51.100.1 }'*'elements = { 192.0.2.10-192.0.2.20, 203.0.113.0/25 }'*)
	t_ok "listed again, the file's elements" ;;
*)	t_bad "list after the load: $out" ;;
esac

# -- version 2 without named sets: listed as before
out=$(bw_b -f "$nosets" 2>&1) || t_fatal "load nosets.conf: $out"
bw_b list ruleset >"$T_DIR/nosets3" 2>&1 || t_bad "list nosets.conf: $(cat "$T_DIR/nosets3")"
in_b "$PROBE" state-v2 "$PIN_B/state" || t_fatal "cannot rewrite the state as version 2"
bw_b list ruleset >"$T_DIR/nosets2" 2>&1
rc=$?
[ $rc = 0 ] && cmp -s "$T_DIR/nosets3" "$T_DIR/nosets2" &&
	t_ok "a version-2 state without sets lists as version 3 does" ||
	t_bad "a version-2 state without sets: rc $rc: $(diff "$T_DIR/nosets3" "$T_DIR/nosets2")"
out=$(bw_b flush ruleset 2>&1) && t_ok "flush over a version-2 state" || t_bad "flush: $out"
t_done
