#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# nft is the oracle of the nf_tables back end (compiler/nft/nft.c,
# runtime/nft.c): each tests/nft/*.conf is committed through bpfwall's
# plan in one network namespace and loaded with `nft -f` in another; both
# kernels must then list the same ruleset, as text (`nft list ruleset`)
# and as the expressions the kernel holds (`nft --debug=netlink list
# ruleset`: registers, payload offsets, masks, set elements, verdicts).
# Only rule handles and the order a hash set lists its elements in are
# normalized.  Also checks the printed plans (tests/nft/*.payload, the
# unit test's goldens) against nft's own `--debug=netlink -c` output.
T_NAME=nftoracle
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft"
NFTPLAN=$T_BUILDDIR/tests/nft/nftplan
[ -x "$NFTPLAN" ] || t_fatal "no $NFTPLAN (make check builds it)"
t_init

NS_A="bwt-$T_NAME-a-$$"
NS_B="bwt-$T_NAME-b-$$"
for ns in "$NS_A" "$NS_B"; do
	ip netns add "$ns" || t_skip "cannot create a network namespace here"
	T_NS+=("$ns")
	ip -n "$ns" link set lo up
	# the same interface in both: meta iif "bwtd0" resolves alike
	ip -n "$ns" link add bwtd0 type veth peer name bwtd1 ||
		t_fatal "cannot add a veth pair"
done
ip netns exec "$NS_A" nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

# Rule headers lose their handles, rules their userdata (bpfwall's
# handle: the counters test reads it); runs of element lines are sorted.
normalize()
{
	sed -E -e 's/^((inet|ip|ip6|netdev|bridge|arp) [^ ]+ [^ ]+)( [0-9]+)+$/\1/' \
		-e 's/^  userdata = \{.*\}$//' |
		awk '/^\telement /{ buf[n++] = $0; next }
		     { if (n) { flush() } print }
		     function flush(  i, j, t) {
			for (i = 1; i < n; i++) for (j = i; j > 0 && buf[j-1] > buf[j]; j--) {
				t = buf[j]; buf[j] = buf[j-1]; buf[j-1] = t }
			for (i = 0; i < n; i++) print buf[i]; n = 0 }
		     END { if (n) flush() }'
}

# Can this kernel hold a flowtable (CONFIG_NF_FLOW_TABLE)?  Where it
# cannot, a file with flowtables is compared by what nft would send:
# its expressions and flowtables from `nft --debug=netlink -c` against
# the plan's (nftplan print), in order; the kernel comparison is skipped.
ip netns exec "$NS_A" nft add table inet bwprobe
if ip netns exec "$NS_A" nft add flowtable inet bwprobe f '{ hook ingress priority 0; }' 2>/dev/null; then
	have_ft=1
else
	have_ft=0
	echo "# note: this kernel has no flowtables (CONFIG_NF_FLOW_TABLE): flowtable files are compared by what nft -c would send"
fi
ip netns exec "$NS_A" nft delete table inet bwprobe

# The lines of nft's --debug=netlink output that say what is sent: the
# expressions in order, then the flowtables (without table and name,
# which nft -c leaves out), sorted.
sent_lines()
{
	local x
	x=$(cat)
	printf '%s\n' "$x" | grep -E '^  \[' | grep -v '^  \[ *;'
	printf '%s\n' "$x" | grep -E '^flow table ' |
		sed -E 's/^flow table [^ ]+ [^ ]+ /flow table /; s/ +$//' | sort
}

for f in "$T_SRCDIR"/tests/nft/*.conf; do
	name=$(basename "$f" .conf)
	why=$(t_nft_check_why "$f")
	if [ -n "$why" ]; then	# forms of a later nft: the golden only
		t_ok "$name: not compared with this nft: $why"
		continue
	fi
	table=$(sed -n 's/^table [a-z0-9]* \([A-Za-z0-9_]*\) {.*/\1/p' "$f" | head -n 1)
	if [ "$have_ft" = 0 ] && grep -q '^[[:space:]]*flowtable ' "$f"; then
		a=$("$NFTPLAN" -t "$table" print "$f" 2>&1 | sent_lines)
		b=$(ip netns exec "$NS_B" nft --debug=netlink -c -f "$f" 2>/dev/null | sent_lines)
		if [ -n "$b" ] && [ "$a" = "$b" ]; then
			t_ok "$name: the plan sends what nft -c would (no flowtables in this kernel)"
		else
			t_bad "$name: the plan and nft -c differ (< plan, > nft):"
			diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -n 40
		fi
		continue
	fi
	ip netns exec "$NS_A" nft flush ruleset
	ip netns exec "$NS_B" nft flush ruleset
	if ! out=$(timeout 30 ip netns exec "$NS_A" "$NFTPLAN" -t "$table" commit "$f" 2>&1); then
		t_bad "$name: the plan's commit failed: $out"
		continue
	fi
	if ! out=$(timeout 30 ip netns exec "$NS_B" nft -f "$f" 2>&1); then
		t_bad "$name: nft -f failed: $out"
		continue
	fi
	a=$(ip netns exec "$NS_A" nft list ruleset)
	b=$(ip netns exec "$NS_B" nft list ruleset)
	if [ "$a" = "$b" ]; then
		t_ok "$name: nft lists the same ruleset"
	else
		t_bad "$name: the listings differ (< plan, > nft):"
		diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -n 40
	fi
	a=$(ip netns exec "$NS_A" nft --debug=netlink list ruleset 2>&1 | normalize)
	b=$(ip netns exec "$NS_B" nft --debug=netlink list ruleset 2>&1 | normalize)
	if [ "$a" = "$b" ]; then
		t_ok "$name: the kernel holds the same expressions"
	else
		t_bad "$name: the expressions differ (< plan, > nft):"
		diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | head -n 40
	fi
done
ip netns exec "$NS_A" "$NFTPLAN" -t bwo delete
t_check "the plan's tables are gone after delete" \
	test -z "$(ip netns exec "$NS_A" nft list ruleset)"
t_done
