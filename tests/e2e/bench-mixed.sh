#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `bwbench mixed` (bench/mixed.c) runs whole in a tiny configuration, so
# its code path cannot rot: the rulesets are deterministic and loadable by
# bpfwall and nft; `--smoke` (20 rules of each shape, one short burst, one
# load) exits 0 with every check ok (the generator's frames, the
# interpreter's sample, where each burst's frames went); --keep writes
# the files it loaded; --plot writes a PNG where gnuplot is installed.
# No figure is judged: a shared machine's Mpps and ms are no test.
# bwbench makes and removes its own network and mount namespaces.
T_NAME=benchm
T_TIMEOUT=300
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_init
bench="$T_BUILDDIR/bench/bwbench"
[ -x "$bench" ] || t_fatal "no $bench (make check builds it)"

# the rulesets: deterministic per seed, shape and size
"$bench" mixed --print mixed 300 --seed 7 >"$T_DIR/m1.nft" || t_fatal "--print failed"
"$bench" mixed --print mixed 300 --seed 7 >"$T_DIR/m2.nft"
"$bench" mixed --print mixed 300 --seed 8 >"$T_DIR/m3.nft"
"$bench" mixed --print uniform 300 --seed 7 >"$T_DIR/u1.nft"
t_check "same seed, same ruleset" cmp -s "$T_DIR/m1.nft" "$T_DIR/m2.nft"
t_check_not "another seed, another ruleset" cmp -s "$T_DIR/m1.nft" "$T_DIR/m3.nft"
n=$(grep -cE '(drop|accept)$' "$T_DIR/m1.nft")
[ "$n" -eq 300 ] && t_ok "300 rules printed" || t_bad "$n rules printed, want 300"
# every shape of the issue is in the mixed ruleset
for re in 'ip saddr [0-9.]+ drop$' 'ip saddr [0-9.]+/(2[4-9]|3[0-2]) drop$' \
	'ip saddr [0-9.]+ udp dport [0-9]+ drop$' '^	+udp dport [0-9]+ accept$' \
	'ip daddr [0-9.]+ udp dport [0-9]+ accept$' \
	'ip saddr [0-9.]+/[0-9]+ udp dport [0-9]+-[0-9]+ drop$' \
	'udp sport [0-9]+ drop$' 'ip saddr [0-9.]+ ip protocol udp drop$'; do
	grep -qE "$re" "$T_DIR/m1.nft" && t_ok "mixed has /$re/" ||
		t_bad "mixed ruleset lacks /$re/"
done
bad=$(grep -vE '^(#|table|}|	chain|		type|		ip saddr 198\.18\.[0-9.]+ udp dport [0-9]+ drop$|	})' \
	"$T_DIR/u1.nft")
[ -z "$bad" ] && t_ok "uniform: only ip saddr A udp dport P drop" ||
	t_bad "uniform has other lines: $bad"
# no rule may name the frames' port 9 or a source port of theirs
grep -qE 'dport 9( |$)|dport 9-' "$T_DIR/m1.nft" && t_bad "a rule names dport 9" ||
	t_ok "no rule names the frames' port"
t_check "bpfwall -c takes the mixed ruleset" "$BPFWALL" -c -f "$T_DIR/m1.nft"
t_check "bpfwall -c takes the uniform ruleset" "$BPFWALL" -c -f "$T_DIR/u1.nft"

# usage errors
for args in "--sizes 0" "--sizes 1,x" "--shapes round" "--rounds 0" "--bogus" \
	"--print mixed 0" "--seed"; do
	# shellcheck disable=SC2086
	out=$(timeout 10 "$bench" mixed $args 2>&1)
	rc=$?
	[ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q '^usage:' &&
		t_ok "bwbench mixed $args: usage error" ||
		t_bad "bwbench mixed $args: exit $rc, $out"
done

# the whole code path, tiny
mkdir -p "$T_DIR/keep"
plot=()
command -v gnuplot >/dev/null 2>&1 && plot=(--plot "$T_DIR/mixed.png")
timeout 240 "$bench" mixed --smoke --keep "$T_DIR/keep" "${plot[@]}" \
	>"$T_DIR/out" 2>"$T_DIR/err"
rc=$?
cat "$T_DIR/out"
[ "$rc" -eq 0 ] && t_ok "bwbench mixed --smoke exits 0" ||
	t_bad "bwbench mixed --smoke: exit $rc: $(tail -5 "$T_DIR/err")"
grep -q '^Generator check .*: ok\.$' "$T_DIR/out" && t_ok "generator check ok" ||
	t_bad "no generator check ok"
grep -q '^Control burst without a ruleset: .*: ok\.$' "$T_DIR/out" &&
	t_ok "control burst ok" || t_bad "no control burst ok"
for shape in uniform mixed; do
	grep -qE "^\| $shape \| 20 \| [0-9.]+ \| [0-9.]+ \| [0-9.e-]+ \|" "$T_DIR/out" &&
		t_ok "$shape 20: bpfwall measured" || t_bad "$shape 20: no bpfwall figure"
	for prog in "empty XDP drop" bpfwall; do
		grep -qE "^\| $shape 20 \| $prog \| .* \| ok \|$" "$T_DIR/out" &&
			t_ok "$shape 20, $prog: the frames went where they should" ||
			t_bad "$shape 20, $prog: no ok check row"
	done
	if command -v nft >/dev/null 2>&1; then
		grep -qE "^\| $shape 20 \| nft \| .* \| ok \|$" "$T_DIR/out" &&
			t_ok "$shape 20, nft: the frames went where they should" ||
			t_bad "$shape 20, nft: no ok check row"
	fi
	grep -qE "^\| $shape 20 \| interpreter \|.*64 at the policy: ok \|$" "$T_DIR/out" &&
		t_ok "$shape 20: the interpreter's sample ends at the policy" ||
		t_bad "$shape 20: no interpreter check"
	"$bench" mixed --print "$shape" 20 --seed 1 | cmp -s - "$T_DIR/keep/$shape-20.nft" &&
		t_ok "$shape 20: --keep wrote the file it loaded" ||
		t_bad "$shape 20: --keep file differs from --print"
done
grep -q FAILED "$T_DIR/out" && t_bad "a FAILED in the output" || t_ok "nothing FAILED"
if [ "${#plot[@]}" -gt 0 ]; then
	[ "$(head -c 4 "$T_DIR/mixed.png" | od -An -tx1 | tr -d ' ')" = 89504e47 ] &&
		t_ok "--plot wrote a PNG" || t_bad "--plot wrote no PNG"
else
	echo "note: no gnuplot, --plot not tried"
fi
t_done
