#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The benchmark builds (make check builds bench/bwbench) and parses its
# command line: --help names every section, a bad size or extra argument
# is a usage error (exit 1) before anything is measured.  No measurement
# runs here: figures of a shared machine are no test (`make bench`).
T_NAME=benchb
. "$(dirname "$0")/../lib/bwtest.sh"
t_init
bench="$T_BUILDDIR/bench/bwbench"
[ -x "$bench" ] || t_fatal "no $bench (make check builds it)"

help=$("$bench" --help 2>&1)
t_check "bwbench --help exits 0" "$bench" --help
for word in hooks flood mixed SIZE; do
	printf '%s\n' "$help" | grep -q -- "$word" && t_ok "--help names $word" ||
		t_bad "--help does not name $word: $help"
done
for args in "0" "12x" "200000" "flood a.conf b.conf" "hooks extra"; do
	# shellcheck disable=SC2086
	out=$(timeout 10 "$bench" $args 2>&1)
	rc=$?
	[ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q '^usage:' &&
		t_ok "bwbench $args: usage error" ||
		t_bad "bwbench $args: exit $rc, $out"
done
t_done
