#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The verdict runner must fail on wrong expectations, name the lines, and
# pass the lines that are right (interpreter half: no root needed).
set -u
src=${BW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BW_BUILDDIR:-$src}
runner="$build/tests/verdict/run-verdict"
input="$src/tests/verdict/selftest-wrong.tv"
fails=0

out=$("$runner" --interp-only "$input" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 1 ]; then
	echo "FAIL: runner exit $rc on wrong expectations, want 1"
	fails=$((fails + 1))
fi
for ln in 10 11 12 13 14 19 20 21 22 23; do
	if ! printf '%s\n' "$out" | grep -q "selftest-wrong.tv:$ln: "; then
		echo "FAIL: no failure reported for line $ln"
		fails=$((fails + 1))
	fi
done
for ln in 15 16 17 18 24; do
	if printf '%s\n' "$out" | grep -q "selftest-wrong.tv:$ln: "; then
		echo "FAIL: line $ln is right but was reported"
		fails=$((fails + 1))
	fi
done
if ! printf '%s\n' "$out" | grep -q "tv:12: interp: got drop by line 6 (handle 1), expected drop by line 5"; then
	echo "FAIL: the line-12 message does not name the deciding rule"
	fails=$((fails + 1))
fi
if ! printf '%s\n' "$out" | grep -q "tv:20: interp: got drop by the parser (malformed tcp-malformed), expected drop by the parser (malformed l4-truncated)"; then
	echo "FAIL: the line-20 message does not name both reasons"
	fails=$((fails + 1))
fi

# No %% line: unusable file (hard error, 99).
tmp=$(mktemp /tmp/bw-selftest.XXXXXX)
trap 'rm -f "$tmp"' EXIT
printf 'table netdev t {\n}\n' >"$tmp"
"$runner" --interp-only "$tmp" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 99 ]; then
	echo "FAIL: runner exit $rc on a file without %%, want 99"
	fails=$((fails + 1))
fi
# A ruleset that does not compile fails.
printf 'table netdev t {\n\tchain c { bogus }\n}\n%%%%\ntcp dport 1 ; accept\n' >"$tmp"
"$runner" --interp-only "$tmp" >/dev/null 2>&1
rc=$?
if [ "$rc" -ne 1 ]; then
	echo "FAIL: runner exit $rc on a ruleset with errors, want 1"
	fails=$((fails + 1))
fi
[ "$fails" -eq 0 ] && echo "runner self-test passed"
[ "$fails" -eq 0 ]
