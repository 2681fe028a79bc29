#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bpfwall test run: install what is missing, build, run every test, then
# print one line
#     N passed, N failed[, N skipped]
# from automake's counts (PASS+XPASS passed; FAIL+XFAIL+ERROR failed) and
# exit non-zero on any failure.
#
#  1. `make check`: unit tests, malformed inputs (tests/bad), verdict tests
#     (kernel and interpreter), end-to-end tests in network namespaces.
#     Tests that need root skip without it.
#  2. An ASan/UBSan build (./configure --enable-sanitizers, in a separate
#     directory) runs the unit, bad-input and verdict tests again; where
#     clang is installed it is that build's compiler, with
#     --enable-fuzzers: the libFuzzer targets of the parser and compiler
#     and of packet specs (tests/fuzz/) run too, bounded and seeded.
#
# BW_BUILDDIR=DIR builds out of tree; BW_NO_APT=1 skips apt-get;
# BW_NO_SAN=1 skips step 2.

set -u
SRC=$(cd "$(dirname "$0")" && pwd)
. "$SRC/tests/lib/setup.sh"
JOBS=$(nproc 2>/dev/null || echo 2)

summary()
{
	echo "$1 passed, $2 failed${3:+, $3 skipped}"
}

if ! bw_install_packages; then
	echo "package installation failed" >&2
	summary 0 1
	exit 1
fi
if ! bw_build "$SRC"; then
	echo "build failed" >&2
	summary 0 1
	exit 1
fi

BUILD=${BW_BUILDDIR:-$SRC}
LOGS=$(mktemp -d /tmp/bw-run-tests.XXXXXX)
SAN=""
cleanup()
{
	rm -rf "$LOGS"
	[ -n "$SAN" ] && rm -rf "$SAN"
}
trap cleanup EXIT
extra_fail=0
extra_pass=0

# What the tests must leave of the host as it was: its mount namespace's
# bpffs mounts, its nf_tables tables, the XDP programs on its interfaces,
# the programs on the cgroup v2 root (tests work in namespaces and
# cgroups of their own and must never touch these).
host_state()
{
	echo "## bpffs mounts in the host's mount namespace"
	awk '$9 == "bpf" { print $5 }' /proc/1/mountinfo 2>/dev/null | sort
	echo "## nf_tables tables"
	if command -v nft >/dev/null 2>&1; then
		nft list tables 2>/dev/null | sort
	fi
	echo "## XDP on host interfaces"
	ip -o link show 2>/dev/null | grep -o '^[0-9]*: [^:]*:.* xdp[a-z]*' |
		awk '{ print $2, $NF }' | sort
	echo "## programs on the cgroup v2 root"
	local cg
	cg=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/1/mountinfo 2>/dev/null)
	if [ -n "$cg" ] && command -v bpftool >/dev/null 2>&1; then
		bpftool cgroup show "$cg" 2>/dev/null | awk 'NR > 1 { print $2, $3, $4 }' | sort
	fi
}
host_state >"$LOGS/host-before"

bw_say "make check"
(cd "$BUILD" && make -j"$JOBS" check AM_COLOR_TESTS=no) 2>&1 | tee "$LOGS/check.log"
rc=${PIPESTATUS[0]}
if [ "$rc" -ne 0 ] && ! grep -q '^# TOTAL:' "$LOGS/check.log"; then
	echo "make check failed before the tests ran (exit $rc)" >&2
	extra_fail=$((extra_fail + 1))
elif [ "$rc" -ne 0 ] && [ -n "${CI:-}" ] && [ -f "$BUILD/test-suite.log" ]; then
	echo "--- test-suite.log"
	cat "$BUILD/test-suite.log"
fi

if [ -z "${BW_NO_SAN:-}" ]; then
	bw_say "ASan/UBSan build: unit, bad-input and verdict tests"
	SAN=$(mktemp -d /tmp/bw-san.XXXXXX)
	if [ -f "$SRC/config.status" ]; then
		# The source tree is configured in place: an out-of-tree build
		# of it is refused, so build a cleaned copy.
		cp -a "$SRC/." "$SAN/src" && (cd "$SAN/src" && make -s distclean >/dev/null 2>&1)
		sdir="$SAN/src"
		bdir="$SAN/src"
	else
		sdir="$SRC"
		bdir="$SAN/build"
		mkdir -p "$bdir"
	fi
	fuzz=""
	if command -v clang >/dev/null 2>&1; then
		fuzz="CC=clang --enable-fuzzers"
		bw_say "(clang: with the libFuzzer targets)"
	fi
	# shellcheck disable=SC2086 # $fuzz: words for configure
	if (cd "$bdir" && "$sdir/configure" -q --enable-sanitizers $fuzz &&
		make -s -j"$JOBS") >"$LOGS/san-build.log" 2>&1; then
		(cd "$bdir" && ASAN_OPTIONS=detect_leaks=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			make -j"$JOBS" check-sanitized AM_COLOR_TESTS=no) 2>&1 |
			tee "$LOGS/san.log"
		rc=${PIPESTATUS[0]}
		if [ "$rc" -ne 0 ] && ! grep -q '^# TOTAL:' "$LOGS/san.log"; then
			echo "sanitizer make check failed before the tests ran (exit $rc)" >&2
			extra_fail=$((extra_fail + 1))
		fi
		if [ "$rc" -ne 0 ] && [ -f "$bdir/test-suite.log" ]; then
			# Show the failing logs before the copy is removed.
			echo "--- sanitizer build: test-suite.log"
			cat "$bdir/test-suite.log"
		fi
	else
		tail -n 30 "$LOGS/san-build.log"
		echo "sanitizer build failed" >&2
		extra_fail=$((extra_fail + 1))
	fi
fi

host_state >"$LOGS/host-after"
if diff -u "$LOGS/host-before" "$LOGS/host-after" >"$LOGS/host-diff"; then
	echo "PASS: host state: the tests left the host's mounts, nf_tables, XDP and cgroup root as they found them"
	extra_pass=1
else
	echo "FAIL: host state: the tests changed the host (each + line is theirs):"
	cat "$LOGS/host-diff"
	extra_fail=$((extra_fail + 1))
fi

# The harness prints "# PASS:  N" etc. once per run; sum over the runs.
count()
{
	cat "$LOGS"/check.log "$LOGS"/san.log 2>/dev/null |
		grep -E "^# $1: +[0-9]+" | awk '{ s += $3 } END { print s + 0 }'
}
total=$(count TOTAL)
pass=$(($(count PASS) + $(count XPASS) + extra_pass))
fail=$(($(count FAIL) + $(count XFAIL) + $(count ERROR) + extra_fail))
skip=$(count SKIP)

if [ "$total" -eq 0 ] && [ "$fail" -eq 0 ]; then
	echo "no test ran" >&2
	fail=1
fi
if [ "$skip" -gt 0 ]; then
	summary "$pass" "$fail" "$skip"
else
	summary "$pass" "$fail"
fi
[ "$fail" -eq 0 ]
