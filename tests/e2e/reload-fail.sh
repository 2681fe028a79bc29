#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A failed reload (compile error, missing device) changes nothing: the old
# rules stay attached and keep dropping, and `list ruleset` still shows them.
T_NAME=rfail
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

good=$(t_rules good.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 192.0.2.66 counter drop
	}
}
EOF2
)
syntax=$(t_rules syntax.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 192.0.2.1 counter accept
		tcp dport 99999 drop
	}
}
EOF2
)
nodev=$(t_rules nodev.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 192.0.2.1 counter accept
	}
	chain other {
		type filter hook ingress device "bwtnosuch0" priority 0; policy drop;
	}
}
EOF2
)
nodev_only=$(t_rules nodev-only.conf <<'EOF2'
table netdev t {
	chain out {
		type filter hook egress device "bwtnosuch1" priority 0; policy drop;
	}
}
EOF2
)

out=$(bw_b -f "$good" 2>&1) || t_fatal "bpfwall -f good: $out"
t_check_not "ping from $IP_A2 is dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
list0=$(bw_b list ruleset 2>&1 | sed 's/counter packets [0-9]* bytes [0-9]*/counter/')

still_in_force()
{
	local what=$1 l
	t_check_not "after $what: ping from $IP_A2 still dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
	t_check "after $what: ping from $IP_A still passes" ping_from "$NS_A" "$IP_A" "$IP_B"
	if in_b ip -d link show dev "$VETH_B" | grep -q xdp; then
		t_ok "after $what: XDP still attached"
	else
		t_bad "after $what: XDP detached"
	fi
	l=$(bw_b list ruleset 2>&1 | sed 's/counter packets [0-9]* bytes [0-9]*/counter/')
	if [ "$l" = "$list0" ]; then
		t_ok "after $what: list ruleset unchanged"
	else
		t_bad "after $what: list ruleset changed:"
		diff <(printf '%s\n' "$list0") <(printf '%s\n' "$l")
	fi
}

for f in "$syntax" "$nodev" "$nodev_only"; do
	name=$(basename "$f")
	out=$(bw_b -f "$f" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	if [ "$rc" -eq 1 ]; then
		t_ok "-f $name fails with exit 1"
	else
		t_bad "-f $name: exit $rc, want 1"
	fi
	if printf '%s\n' "$out" | grep -q "$name:[0-9]"; then
		t_ok "-f $name: the error names $name:LINE"
	else
		t_bad "-f $name: the error does not name the file and line"
	fi
	still_in_force "$name"
done
pb=$(list_counter "$(bw_b list ruleset 2>&1)" "ip saddr 192.0.2.66")
if [ -n "$pb" ] && [ "${pb% *}" -ge 4 ]; then
	t_ok "the old rule's counter kept counting ($pb)"
else
	t_bad "the old rule's counter: ${pb:-none}, want >= 4 packets"
fi
t_done
