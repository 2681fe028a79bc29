#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every example in rules/ passes `bpfwall -c -f` and `bpfwall -d -f`, and
# real nft accepts it (`nft -c -f`, run in a throwaway network namespace
# with the devices the file names).  The rulesets of the verdict tests
# (tests/verdict/*.t, above the %% line) must be nft-valid too: nft is the
# semantic oracle.  Without root only the bpfwall checks run.
T_NAME=rules
. "$(dirname "$0")/../lib/bwtest.sh"
t_init

nft_ok=
if [ "$(id -u)" -eq 0 ] && command -v nft >/dev/null 2>&1 &&
	command -v unshare >/dev/null 2>&1; then
	nft_ok=1
else
	echo "note: not root or no nft: nft -c checks skipped"
fi

# nft_check FILE [DIR]: nft -c -f FILE in a new netns with FILE's devices.
# Relative includes: bpfwall reads them from the including file's
# directory, nft from its include path: give it DIR and its subdirectories.
nft_check()
{
	local f=$1 devs="" d i=0 script="" incs=""
	devs=$(grep -o 'device "[^"]*"' "$f" | sed 's/device "\(.*\)"/\1/' | sort -u)
	for d in $devs; do
		i=$((i + 1))
		script="$script ip link add '$d' type veth peer name bwtnftp$i &&"
	done
	for d in $(find "${2:-$(dirname "$f")}" -type d); do
		incs="$incs -I '$d'"
	done
	timeout 30 unshare -n sh -c "$script nft $incs -c -f '$f'" 2>&1
}

n=0
for f in "$T_SRCDIR"/rules/*.conf; do
	n=$((n + 1))
	name=rules/$(basename "$f")
	out=$("$BPFWALL" -c -f "$f" 2>&1)
	[ $? -eq 0 ] && t_ok "bpfwall -c -f $name" || t_bad "bpfwall -c -f $name: $out"
	out=$("$BPFWALL" -d -f "$f" 2>&1)
	[ $? -eq 0 ] && [ -n "$out" ] && t_ok "bpfwall -d -f $name" || t_bad "bpfwall -d -f $name: $out"
	if [ -n "$nft_ok" ]; then
		out=$(nft_check "$f")
		[ $? -eq 0 ] && t_ok "nft -c -f $name" || t_bad "nft -c -f $name: $out"
	fi
done
[ "$n" -ge 3 ] && t_ok "$n example rule files" || t_bad "only $n rule files in rules/"
grep -q 'device "bwdemo1"' "$T_SRCDIR/rules/demo.conf" &&
	grep -q 'DEV_S=bwdemo1' "$T_SRCDIR/demo.sh" &&
	t_ok "rules/demo.conf names the device demo.sh creates" ||
	t_bad "rules/demo.conf and demo.sh disagree on the device"

if [ -n "$nft_ok" ]; then
	for t in "$T_SRCDIR"/tests/verdict/*.t; do
		# forms of a later nft than Debian's 1.0.6 (nftables' own
		# tests/py has them), said so in the file: "# nft-check: WHY"
		why=$(t_nft_check_why "$t")
		if [ -n "$why" ]; then
			t_ok "$(basename "$t") is not checked with nft $(nft --version 2>/dev/null | awk '{print $2}'): $why"
			continue
		fi
		sed '/^%%[[:space:]]*$/,$d' "$t" >"$T_DIR/$(basename "$t").nft"
		out=$(nft_check "$T_DIR/$(basename "$t").nft" "$(dirname "$t")")
		[ $? -eq 0 ] && t_ok "nft -c accepts the ruleset of $(basename "$t")" ||
			t_bad "nft -c rejects the ruleset of $(basename "$t"): $out"
	done
fi
t_done
