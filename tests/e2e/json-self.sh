#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# bpfwall's own JSON, no root and no nft needed: for every verdict test's
# ruleset, every rules/*.conf and the tests/nft/ files of the nf_tables
# statements (nat, mangle, quota, queue, ...), the JSON `-j list ruleset`
# prints for it (tests/json/json-tool print, the same printer) loads again
# as JSON
# (the -j -f front end and the evaluator), and printed again it is the
# same JSON, byte for byte; the rule count and the handles are kept.
T_NAME=jself
. "$(dirname "$0")/../lib/bwtest.sh"
t_init
TOOL=$T_BUILDDIR/tests/json/json-tool
[ -x "$TOOL" ] || t_fatal "$TOOL is not built (make check builds it)"
cp -r "$T_SRCDIR/tests/verdict/inc" "$T_DIR/inc"
n=0
for f in "$T_SRCDIR"/tests/verdict/*.t "$T_SRCDIR"/rules/*.conf \
	 "$T_SRCDIR"/tests/nft/{nat,setf,bytes,stmts,hdrset,valexpr,tproxy,xfrm,dup,flowtable,mapadd}.conf "$T_SRCDIR"/tests/nft/rmw/hdrset-rmw.conf \
	 "$T_SRCDIR"/tests/nft/queue.t; do
	b=$(basename "$f")
	x=$T_DIR/$b.nft
	case $b in
	srh-lookup.t)
		# a typeof set of an integer field: the JSON type is "integer",
		# without its size, as nft writes it; nothing can load it back
		t_ok "$b: not compared: its set's JSON type (integer) has no size"
		continue ;;
	esac
	case $f in
	*/tests/nft/*) b=nft-$b; x=$T_DIR/$b.nft; sed '/^%%/,$d' "$f" >"$x" ;;
	*.t) sed '/^%%/,$d' "$f" >"$x" ;;
	*) cp "$f" "$x" ;;
	esac
	if ! "$TOOL" print "$x" >"$T_DIR/$b.j1" 2>"$T_DIR/$b.err"; then
		t_bad "$b: no JSON: $(head -n 3 "$T_DIR/$b.err")"
		continue
	fi
	if ! "$TOOL" print -j "$T_DIR/$b.j1" >"$T_DIR/$b.j2" 2>"$T_DIR/$b.err"; then
		t_bad "$b: its JSON does not load again: $(head -n 3 "$T_DIR/$b.err")"
		continue
	fi
	if cmp -s "$T_DIR/$b.j1" "$T_DIR/$b.j2"; then
		t_ok "$b: JSON -> load -> JSON is the same"
		n=$((n + 1))
	else
		t_bad "$b: JSON printed after a JSON load differs:"
		diff <(tr ',' '\n' <"$T_DIR/$b.j1") <(tr ',' '\n' <"$T_DIR/$b.j2") | head -n 20
	fi
done
[ "$n" -ge 40 ] || t_bad "only $n files went round"
t_done
