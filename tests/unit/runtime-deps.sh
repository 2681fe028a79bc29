#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# runtime/ never reads rule text and never makes a program (issue 10,
# item 3): of what libbwruntime.a calls, nothing is defined by the
# grammar but its diagnostics (grammar/diag.c), nothing by the front end
# that turns text into IR (compiler/front/compile.c, evaluate.c, pktspec.c) or
# by the JSON reader (compiler/json/libbwjson.a), and nothing of the build
# step, optimizer, map descriptions or code generator (bw_build, bw_build_test,
# bw_build_path, bw_build_capture, bw_optimize, bw_map_specs_build,
# bw_build_in_nft, bw_codegen*): the build describes every map
# (compiler/bpf/mapspec.h) and the runtime makes them as described.  The CLI
# compiles and builds (cli/drive.c) and hands the build over.
set -u
B=${BW_BUILDDIR:-.}
RT=$B/runtime/libbwruntime.a
command -v nm >/dev/null 2>&1 || { echo "SKIP: needs nm (binutils)"; exit 77; }
for f in "$RT" "$B/grammar/libbwgrammar.a" "$B/compiler/front/libbwfront.a" \
	 "$B/compiler/json/libbwjson.a"; do
	[ -f "$f" ] || { echo "FAIL: $f is not built"; exit 1; }
done
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# what the runtime calls (undefined in its objects), OBJECT SYMBOL
nm -A -u "$RT" | awk '{ o = $1; sub(/:$/, "", o); sub(/.*:/, "", o); print o, $NF }' |
	sort -u >"$tmp/calls"
# what reads text or makes programs, SYMBOL WHERE
{
	nm -A --defined-only -g "$B/grammar/libbwgrammar.a" |
		awk 'NF >= 3 && $1 !~ /diag\.o:/ { o = $1; sub(/:[0-9a-f]*$/, "", o); print $NF, o }'
	nm -A --defined-only -g "$B/compiler/front/libbwfront.a" |
		awk 'NF >= 3 && $1 ~ /(compile|evaluate|pktspec)\.o:/ { o = $1; sub(/:[0-9a-f]*$/, "", o); print $NF, o }'
	nm -A --defined-only -g "$B/compiler/json/libbwjson.a" |
		awk 'NF >= 3 { o = $1; sub(/:[0-9a-f]*$/, "", o); print $NF, o }'
	for s in bw_build bw_build_test bw_build_path bw_build_capture bw_optimize \
		 bw_map_specs_build bw_build_in_nft; do
		echo "$s the build step"
	done
} | sort -u >"$tmp/forbidden"

# the lists must be real: a broken nm would make this pass
n_calls=$(wc -l <"$tmp/calls")
grep -q '^bw_yyparse ' "$tmp/forbidden" && grep -q '^bw_compile_string ' "$tmp/forbidden" &&
	grep -q ' bw_rt_pin_open$\| bpf_map_create$' "$tmp/calls" ||
	{ echo "FAIL: nm gave no usable symbol lists ($n_calls calls)"; exit 1; }

bad=0
while read -r obj sym; do
	where=$(awk -v s="$sym" '$1 == s { $1 = ""; print substr($0, 2); exit }' "$tmp/forbidden")
	case $sym in bw_codegen*) where=${where:-the code generator} ;; esac
	if [ -n "$where" ]; then
		echo "FAIL: runtime/$obj calls $sym ($where)"
		bad=1
	fi
done <"$tmp/calls"
[ $bad = 0 ] || exit 1
echo "ok: libbwruntime.a makes $n_calls calls, none into the grammar (but diag.c), the text front end, the JSON reader or the build step"
