#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Run one libFuzzer target (fuzz_compile or fuzz_pktspec), bounded and
# reproducible: a fixed seed, BW_FUZZ_RUNS inputs (default 20000) or
# BW_FUZZ_SECONDS (default 90), whichever ends first, from a corpus made
# of the project's own inputs (the verdict tests' rulesets and packets,
# rules/, tests/bad/) and tests/fuzz/nft.dict.  A crash, a leak, a
# sanitizer report or an input slower than 60 s fails the test and
# prints the input (libFuzzer's own exit status for those, 77, would
# read as a skip: -error_exitcode and -timeout_exitcode make them 1).
# The slowest input a bounded ruleset allows (defines expanding to the
# 2^20 elements bw_eval_expand permits) compiles in ~7 s here under ASan;
# an input that names an unknown define is refused once, at the define
# (tests/bad/define-self.conf), not at each place it expands to.  Run
# from an empty directory: relative includes find nothing.
set -u
target=$1
src=${BW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BW_BUILDDIR:-$src}
bin="$build/tests/fuzz/$target"
[ -x "$bin" ] || { echo "SKIP: $bin not built (configure --enable-fuzzers)"; exit 77; }

work=$(mktemp -d "/tmp/bw-fuzz-$target.XXXXXX") || exit 99
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus" "$work/cwd"
i=0
seed()
{
	i=$((i + 1))
	printf '%s\n' "$1" >"$work/corpus/seed-$i"
}
case $target in
fuzz_compile)
	for t in "$src"/tests/verdict/*.t; do
		seed "$(sed '/^%%[[:space:]]*$/,$d' "$t")"
	done
	for f in "$src"/rules/*.conf "$src"/tests/bad/*.conf; do
		seed "$(cat "$f")"
	done
	;;
fuzz_pktspec)
	for t in "$src"/tests/verdict/*.t; do
		sed -n '/^%%[[:space:]]*$/,$p' "$t" | sed '1d; /^#/d; /^[[:space:]]*$/d; s/;.*//' |
			head -n 40 >"$work/specs"
		while IFS= read -r line; do
			seed "$line"
		done <"$work/specs"
	done
	;;
*)
	echo "unknown target $target"
	exit 99
	;;
esac
echo "$target: $i seeds"

cd "$work/cwd" || exit 99
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	"$bin" -seed=1 -runs="${BW_FUZZ_RUNS:-20000}" \
	-max_total_time="${BW_FUZZ_SECONDS:-90}" -timeout=60 -rss_limit_mb=4096 \
	-error_exitcode=1 -timeout_exitcode=1 \
	-max_len=4096 -dict="$src/tests/fuzz/nft.dict" -print_final_stats=1 \
	-artifact_prefix="$work/" "$work/corpus" 2>&1 | tail -n 40
rc=${PIPESTATUS[0]}
for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
	[ -e "$a" ] || continue
	echo "--- input that failed ($(basename "$a")):"
	od -c "$a" | head -n 40
done
[ "$rc" -eq 0 ] && echo "PASS: $target" || echo "FAIL: $target (exit $rc)"
exit "$rc"
