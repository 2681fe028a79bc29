#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A pin dir that is not yet a bpffs, used from `ip netns exec` (which runs
# bpfwall in a throwaway mount namespace): the bpffs bpfwall mounts must
# outlive that process, so the ruleset stays attached, a second invocation
# lists it, and flush removes it.
T_NAME=pinmount
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

PIN="$T_DIR/fresh/pins"		# nothing mounted here yet
T_MOUNTS+=("$T_DIR/fresh/pins")	# bpfwall mounts it: unmount it at the end
bw()
{
	timeout 30 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN" "$@"
}

rules=$(t_rules pin.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 192.0.2.66 counter drop
	}
}
EOF2
)
out=$(bw -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "loaded with a pin dir that was not a bpffs"
t_check_not "after bpfwall exited: ping from $IP_A2 still dropped" \
	ping_from "$NS_A" "$IP_A2" "$IP_B"
t_check "ping from $IP_A passes" ping_from "$NS_A" "$IP_A" "$IP_B"
out=$(bw list ruleset 2>&1)
if printf '%s\n' "$out" | grep -q 'ip saddr 192.0.2.66 counter packets [1-9]'; then
	t_ok "a second ip netns exec lists the ruleset with its counter"
else
	t_bad "list ruleset from a second invocation: $out"
fi
[ "$(stat -f -c %T "$PIN")" = bpf_fs ] && t_ok "the pin dir is a bpffs outside the test's mount namespace" ||
	t_bad "the pin dir is not a bpffs here: $(stat -f -c %T "$PIN")"
out=$(bw flush ruleset 2>&1) || t_bad "flush ruleset: $out"
t_check "after flush: ping from $IP_A2 passes" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_done
