#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Set statements with traffic: in namespace b, the input chain (BPF at
# the netfilter hook) adds the source of every TCP connection to port 7010
# to set "knocked" (add @knocked { ip saddr }), and a later rule drops
# what a knocked source sends to port 7011.  So 192.0.2.1 reaches 7011
# until it has connected to 7010, and then no more; 192.0.2.66, which
# never knocked, still does.  `list ruleset` shows the element the first
# packet added (read from the pinned map) and the set as nft lists it
# (size 65535, flags dynamic); that listing loads again.  A netdev
# ingress chain (XDP) does the same for UDP with a concatenated key, and
# delete takes a key out.  A set of size 1 stops its rule once full.  A
# reload replaces the sets with the file's.
# Then: a rule that changes a set in a chain nf_tables runs (it rejects)
# is refused, naming the rule, and so is a set rules change that such a
# chain looks up, naming the set.
T_NAME=dynset
T_TIMEOUT=${T_TIMEOUT:-180}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"
t_require_root
t_setup_pair

# same DESC GOT WANT
same()
{
	if [ "$2" = "$3" ]; then
		t_ok "$1"
	else
		t_bad "$1: got '$2', want '$3'"
	fi
}

rules=$(t_rules dynset.conf <<'EOF2'
table inet t {
	set knocked {
		type ipv4_addr
	}
	set one {
		type ipv4_addr
		size 1
	}
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 7010 add @knocked { ip saddr }
		ip saddr @knocked tcp dport 7011 counter drop
		tcp dport 7012 add @one { ip saddr } accept
		tcp dport 7012 counter drop
	}
}
table netdev n {
	set pairs {
		type ipv4_addr . inet_service
	}
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		udp dport 7020 add @pairs { ip saddr . udp dport }
		udp dport 7021 delete @pairs { ip saddr . udp sport }
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_ok "loaded"
for p in 7010 7011 7012; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

tcp_from "$NS_A" "$IP_A" "$IP_B" 7011 && t_ok "$IP_A reaches 7011 before it knocked" ||
	t_bad "$IP_A does not reach 7011 before it knocked"
list=$(bw_b list ruleset 2>&1)
case $list in
*"set knocked {"*"elements = "*"chain input"*) t_bad "knocked has elements before any knock: $list" ;;
*) t_ok "knocked is empty before the knock" ;;
esac
tcp_from "$NS_A" "$IP_A" "$IP_B" 7010 && t_ok "$IP_A connects to 7010 (the knock)" ||
	t_bad "$IP_A cannot connect to 7010"
list=$(bw_b list ruleset 2>&1)
printf '%s\n' "$list" >"$T_DIR/list1.out"
knocked=$(printf '%s\n' "$list" | sed -n '/set knocked {/,/^\t}$/p')
same "list ruleset: knocked as nft lists it, with the source added" \
	"$(printf '%s\n' "$knocked" | tr -d '\t')" "set knocked {
type ipv4_addr
size 65535
flags dynamic
elements = { $IP_A }
}"
same "list ruleset: the rule as nft lists it" \
	"$(printf '%s\n' "$list" | grep -c 'tcp dport 7010 add @knocked { ip saddr }')" 1
if tcp_from "$NS_A" "$IP_A" "$IP_B" 7011 1; then
	t_bad "$IP_A still reaches 7011 after the knock"
else
	t_ok "$IP_A no longer reaches 7011 after the knock"
fi
tcp_from "$NS_A" "$IP_A2" "$IP_B" 7011 && t_ok "$IP_A2 (never knocked) reaches 7011" ||
	t_bad "$IP_A2 does not reach 7011"
c=$(list_counter "$(bw_b list ruleset)" "@knocked tcp dport 7011")
case $c in
"0 "*|"") t_bad "the drop rule counted nothing: '$c'" ;;
*) t_ok "the drop rule counted the dropped SYNs ($c)" ;;
esac

# size 1: the first source fills it; the second finds it full, its add
# stops the rule before the accept, and the next rule drops
tcp_from "$NS_A" "$IP_A" "$IP_B" 7012 && t_ok "$IP_A fills set one (size 1) and is accepted" ||
	t_bad "$IP_A is not accepted on 7012"
if tcp_from "$NS_A" "$IP_A2" "$IP_B" 7012 1; then
	t_bad "$IP_A2 reached 7012 although set one is full"
else
	t_ok "$IP_A2 finds set one full: the rule stops, the next one drops"
fi

# XDP: a concatenated key added by a UDP datagram, then deleted
echo x | timeout 5 ip netns exec "$NS_A" socat -u - "UDP4:$IP_B:7020,bind=$IP_A:7021" || true
list=$(bw_b list ruleset 2>&1)
same "list ruleset: pairs holds source . port the XDP program added" \
	"$(printf '%s\n' "$list" | sed -n '/set pairs {/,/}/p' | grep -c "elements = { $IP_A . 7020 }")" 1
echo x | timeout 5 ip netns exec "$NS_A" socat -u - "UDP4:$IP_B:7021,bind=$IP_A:7020" || true
list=$(bw_b list ruleset 2>&1)
same "list ruleset: delete took it out again" \
	"$(printf '%s\n' "$list" | sed -n '/set pairs {/,/}/p' | grep -c "elements")" 0

# a reload replaces the ruleset with the file's, sets included (as nft
# after flush ruleset): the knock is forgotten
out=$(bw_b -f "$rules" 2>&1) || t_bad "reload: $out"
same "after a reload knocked holds the file's elements (none)" \
	"$(bw_b list ruleset 2>&1 | sed -n '/set knocked {/,/^\t}$/p' | grep -c elements)" 0
tcp_from "$NS_A" "$IP_A" "$IP_B" 7011 && t_ok "$IP_A reaches 7011 again after the reload" ||
	t_bad "$IP_A does not reach 7011 after the reload"

# the listing loads again
printf '%s\n' "$(cat "$T_DIR/list1.out")" >"$T_DIR/relist.conf"
out=$(bw_b -c -f "$T_DIR/relist.conf" 2>&1) && t_ok "the listing loads again (-c)" ||
	t_bad "the listing does not load again: $out"

# a chain that rejects runs in nf_tables: a set statement there is refused
bad=$(t_rules bad.conf <<'EOF2'
table ip t {
	set s { type ipv4_addr; }
	chain out {
		type filter hook output priority 0; policy accept;
		add @s { ip daddr }
		tcp dport 25 reject
	}
}
EOF2
)
out=$(bw_b -c -f "$bad" 2>&1)
rc=$?
case "$rc:$out" in
1:*"bad.conf:5:3-21: Error: this chain runs in nf_tables"*) t_ok "refused in a chain nf_tables runs, at the rule" ;;
*) t_bad "a set statement in a rejecting chain: rc $rc: $out" ;;
esac
# a set rules change, looked up by a chain nf_tables runs: its copy there
# would not see the changes
bad=$(t_rules bad2.conf <<'EOF2'
table ip t {
	set s { type ipv4_addr; }
	chain in {
		type filter hook input priority 0; policy accept;
		add @s { ip saddr }
	}
	chain out {
		type filter hook output priority 0; policy accept;
		ip daddr @s tcp dport 25 reject
	}
}
EOF2
)
out=$(bw_b -c -f "$bad" 2>&1)
rc=$?
case "$rc:$out" in
1:*"bad2.conf:2:6: Error: set s changes from rules"*) t_ok "refused: a changing set looked up in nf_tables, at the set" ;;
*) t_bad "a changing set looked up in nf_tables: rc $rc: $out" ;;
esac
[ "$(printf '%s\n' "$out" | grep -c Error)" = 1 ] && t_ok "said once" || t_bad "said more than once: $out"
t_done
