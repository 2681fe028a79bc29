#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Every program of every ruleset the project ships goes through the kernel
# verifier (tests/verdict/load-all.c): the verdict tests' rulesets, the
# examples in rules/ and the examples of bpfwall.conf.5 (the blocks after
# a `.\" test: example` line, as tests/e2e/man.sh finds them), for every
# attach point and audit hook, production and trace builds; loaded, never
# attached.  Without root the programs are only generated (exit 77 when
# that went well).
set -u
src=${BW_SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BW_BUILDDIR:-$src}
bin="$build/tests/verdict/load-all"
[ -x "$bin" ] || { echo "load-all not built: $bin"; exit 99; }

tmp=$(mktemp -d /tmp/bw-load-all.XXXXXX) || exit 99
trap 'rm -rf "$tmp"' EXIT
awk -v dir="$tmp" '
	/^\.\\" test: example/ { want = 1; n++; next }
	want && /^\.nf/ { want = 0; in_ex = 1; next }
	in_ex && /^\.fi/ { in_ex = 0; close(f); next }
	in_ex { f = dir "/bpfwall.conf.5-example" n ".conf"; print > f }
' "$src/man/bpfwall.conf.5"
sed -i 's/\\-/-/g; s/\\e/\\/g; s/\\&//g' "$tmp"/*.conf 2>/dev/null
ls "$tmp"/*.conf >/dev/null 2>&1 || { echo "no example found in bpfwall.conf.5"; exit 1; }

timeout 600 "$bin" "$src"/tests/verdict/*.t "$src"/rules/*.conf "$tmp"/*.conf
