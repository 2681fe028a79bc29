#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Chain priorities by name: each chain line below is loaded by nft (in a
# network namespace of its own, `unshare -n`) and by `bpfwall -c`, and
# both must list the priority the same way ("filter + 5", "mangle",
# "-95"...), or both refuse it.  No program is attached.
T_NAME=prio
T_TIMEOUT=${T_TIMEOUT:-100}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 && unshare -n true 2>/dev/null ||
	t_skip "needs nft and unshare -n"
t_init

# FAMILY|HOOK (with device)|PRIORITY
cases=(
	'ip|input|0' 'ip|input|filter' 'ip|input|filter + 10'
	'ip|input|filter - 11' 'ip|input|-300' 'ip|input|raw - 1'
	'ip|input|mangle + 7' 'ip|input|-95' 'ip|prerouting|-95'
	'ip|prerouting|dstnat' 'ip|output|dstnat' 'ip|input|dstnat'
	'ip|input|srcnat' 'ip|forward|srcnat' 'ip|postrouting|srcnat - 3'
	'ip|forward|95' 'ip6|output|security' 'ip6|output|45'
	'inet|forward|security + 10' 'inet|forward|-151' 'inet|input|bogus'
	'netdev|ingress device "lo"|0' 'netdev|ingress device "lo"|-5'
	'netdev|ingress device "lo"|raw' 'netdev|ingress device "lo"|-300'
	'bridge|forward|filter' 'bridge|forward|-195' 'bridge|prerouting|dstnat'
	'bridge|input|dstnat' 'bridge|output|out' 'bridge|postrouting|srcnat'
	'bridge|input|mangle' 'bridge|input|0'
	'arp|input|filter' 'arp|output|3' 'arp|input|raw'
)

# prio TOOL FILE: the priority TOOL lists for FILE's chain, or "refused"
prio()
{
	local out
	if [ "$1" = nft ]; then
		out=$(timeout 20 unshare -n sh -c "nft -f '$2' && nft list ruleset" 2>/dev/null)
	else
		out=$(timeout 20 "$BPFWALL" -c -f "$2" list ruleset 2>/dev/null)
	fi || { echo refused; return; }
	printf '%s\n' "$out" | sed -n 's/.* priority \(.*\); policy.*/\1/p'
}

i=0
for c in "${cases[@]}"; do
	IFS='|' read -r fam hook p <<<"$c"
	i=$((i + 1))
	f="$T_DIR/c$i.nft"
	printf 'table %s t {\n\tchain c {\n\t\ttype filter hook %s priority %s; policy accept;\n\t}\n}\n' \
		"$fam" "$hook" "$p" >"$f"
	want=$(prio nft "$f")
	got=$(prio bpfwall "$f")
	if [ "$want" = "$got" ]; then
		t_ok "$fam $hook priority $p: both list '$got'"
	else
		t_bad "$fam $hook priority $p: nft lists '$want', bpfwall '$got'"
	fi
done
t_done
