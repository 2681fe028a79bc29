#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Differential test against real nft.  Each verdict test (tests/verdict/*.t,
# and tests/nft/xt-*.t: iptables rules, see below)
# whose ruleset has netdev ingress chains on veth0 or inet/ip/ip6 input
# chains, and a few random netdev rulesets (nftdiff gen, verdicts from the
# reference interpreter), is loaded into nft and then into bpfwall in
# namespace b; its ingress packets are sent one at a time from namespace a
# over veth; an observer chain in nft, after the tested chains, counts what
# got through.  Both must give each line's verdict; for nft, a trailing
# "# nft: accept|drop REASON" on a line states a documented difference.
#
#   a: veth0, veth1 (IPv6 off: a sends nothing but the test's frames)
#   b: veth0, veth1 (both 02:00:00:00:00:02, the packets' destination MAC);
#      veth0 has 192.0.2.2/24, 2001:db8::2/64 and, for input chains, every
#      destination of the file's packets; packets written without a device
#      arrive on veth1, where no .t ruleset has a chain.
#
# A .t file with a NAME.ipt beside it (iptables-restore input, the same
# rules) is loaded as iptables rules: with iptables-nft-restore in the nft
# phase, with bpfwall iptables-restore in the bpfwall phase (its ruleset
# above %% is the interpreter's and run-verdict's); without iptables-nft
# it is not compared.
#
# Environment: BW_NFTDIFF_FILES (.t files to compare instead of
# tests/verdict/*.t), BW_NFTDIFF_SEED (default 1, so that make check is
# the same every time; "random" draws one; printed either way),
# BW_NFTDIFF_RANDOM rulesets (default 5, 0 for none) of BW_NFTDIFF_PACKETS
# packets (default 20), BW_NFTDIFF_WAIT_MS (default 30: how long a packet
# that has not reached the observer may take before it counts as dropped).
T_NAME=nftdiff
N_RANDOM=${BW_NFTDIFF_RANDOM:-5}
N_PACKETS=${BW_NFTDIFF_PACKETS:-20}
WAIT_MS=${BW_NFTDIFF_WAIT_MS:-30}
case "$N_RANDOM$N_PACKETS$WAIT_MS" in
*[!0-9]*)
	echo "ERROR: BW_NFTDIFF_RANDOM, _PACKETS and _WAIT_MS take numbers" >&2
	exit 99
	;;
esac
SEED=${BW_NFTDIFF_SEED:-1}
[ "$SEED" = random ] && SEED=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
case $SEED in
'' | *[!0-9]*)
	echo "ERROR: BW_NFTDIFF_SEED takes a number or \"random\"" >&2
	exit 99
	;;
esac
# Each packet costs at most a few waits (through nft, then bpfwall):
# bound the whole run by that, for the random packets and for the packet
# lines of the files compared (about 0.12 s each on an idle machine:
# 0.4 s leaves room for load).
n_lines=$(cat ${BW_NFTDIFF_FILES:-"$(dirname "$0")"/../verdict/*.t "$(dirname "$0")"/../nft/xt-*.t} 2>/dev/null |
	awk '/^%%/ { p = 1; next } p && /;/ && !/^#/ { n++ } END { print n + 0 }')
T_TIMEOUT=${T_TIMEOUT:-$((60 + N_RANDOM * N_PACKETS * WAIT_MS / 200 + n_lines * 2 / 5))}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft"
DRIVER=$T_BUILDDIR/tests/nftdiff/nftdiff
RUNNER=$T_BUILDDIR/tests/verdict/run-verdict
for p in "$DRIVER" "$RUNNER"; do
	[ -x "$p" ] || { echo "ERROR: $p is not built (make check builds it)" >&2; exit 99; }
done
t_init
START=$(date +%s)

NS_A="bwt-$T_NAME-a-$$"
NS_B="bwt-$T_NAME-b-$$"
DEVS="veth0 veth1"
ip netns add "$NS_A" || t_skip "cannot create a network namespace here"
T_NS+=("$NS_A")
ip netns add "$NS_B" || t_fatal "ip netns add $NS_B"
T_NS+=("$NS_B")
nft_b()
{
	timeout 20 ip netns exec "$NS_B" nft "$@"
}
nft_b list tables >/dev/null 2>&1 || t_skip "nft does not work in a network namespace here"
for dev in $DEVS; do
	ip -n "$NS_A" link add "$dev" type veth peer name "$dev" netns "$NS_B" ||
		t_fatal "cannot create the veth pair $dev"
	in_a sysctl -q -w "net.ipv6.conf.$dev.disable_ipv6=1" ||
		t_fatal "cannot turn IPv6 off on $dev in $NS_A"
	ip -n "$NS_B" link set "$dev" address 02:00:00:00:00:02
	in_b sysctl -q -w "net.ipv4.conf.$dev.rp_filter=0"
done
for c in all default; do
	in_b sysctl -q -w "net.ipv4.conf.$c.rp_filter=0"
	# packets from 192.0.2.2, b's own address, reach the input hook too
	in_b sysctl -q -w "net.ipv4.conf.$c.accept_local=1"
done
ip -n "$NS_B" addr add 192.0.2.2/24 dev veth0
ip -n "$NS_B" addr add 2001:db8::2/64 dev veth0 nodad
ip -n "$NS_B" link set lo up
for dev in $DEVS; do
	ip -n "$NS_A" link set "$dev" up
	ip -n "$NS_B" link set "$dev" up
done
t_mount_pin "$NS_B"
# shellcheck disable=SC2034 # bw_b (bwtest.sh) uses it
PIN_B="$T_DIR/bpf-$NS_B"

# observer FAMILY: the table whose counter "seen" counts what got past the
# tested chains: at netdev ingress (priority 1000) on both devices, or at
# inet input (priority 1000) for packets from them.
observer()
{
	if [ "$1" = netdev ]; then
		printf 'table netdev bwobserve {\n\tcounter seen {\n\t}\n'
		for dev in $DEVS; do
			printf '\tchain %s {\n' "$dev"
			printf '\t\ttype filter hook ingress device "%s" priority 1000; policy accept;\n' "$dev"
			printf '\t\tcounter name "seen"\n\t}\n'
		done
		printf '}\n'
	else
		printf 'table inet bwobserve {\n\tcounter seen {\n\t}\n'
		printf '\tchain input {\n'
		printf '\t\ttype filter hook input priority 1000; policy accept;\n'
		printf '\t\tiifname { "veth0", "veth1" } counter name "seen"\n\t}\n}\n'
	fi
}

# Delete every nft table in b but the observer.
drop_tested_tables()
{
	local kw fam name
	nft_b list tables 2>/dev/null | while read -r kw fam name; do
		[ "$kw" = table ] && [ "$name" != bwobserve ] &&
			nft_b delete table "$fam" "$name"
	done
}

ADDED=()
add_addrs()
{
	local a
	for a in "$@"; do
		case $a in
		192.0.2.2 | 2001:db8::2) continue ;;
		192.0.2.* | 198.51.100.* | 203.0.113.*)
			ip -n "$NS_B" addr add "$a/32" dev veth0 ;;
		2001:db8:*)
			ip -n "$NS_B" addr add "$a/128" dev veth0 nodad ;;
		*)
			t_bad "destination $a is outside the test networks: not added"
			continue ;;
		esac
		ADDED+=("$a")
	done
}

del_addrs()
{
	local a
	for a in "${ADDED[@]}"; do
		case $a in
		*:*) ip -n "$NS_B" addr del "$a/128" dev veth0 ;;
		*) ip -n "$NS_B" addr del "$a/32" dev veth0 ;;
		esac
	done
	ADDED=()
}

NFILES=0 NFAIL=0 NDOC=0 NNOT=0
declare -A NSENT=([nft]=0 [bpfwall]=0)

# drive PHASE FILE: run the driver in b; its output in OUT, status in RC.
drive()
{
	OUT=$(timeout $((30 + N_PACKETS / 5)) ip netns exec "$NS_B" "$DRIVER" run \
		--phase "$1" --sender "/var/run/netns/$NS_A" --wait-ms "$WAIT_MS" "$2" 2>&1)
	RC=$?
	printf '%s\n' "$OUT"
}

# run_phase PHASE FILE: drive, and tally the driver's summary line.
run_phase()
{
	local sum sent failed notsent doc
	drive "$1" "$2"
	sum=$(printf '%s\n' "$OUT" | sed -n "s/^.*: $1: \([0-9]*\) sent, \([0-9]*\) failed, \([0-9]*\) not sent, \([0-9]*\) documented.*/\1 \2 \3 \4/p" | tail -n 1)
	if [ -z "$sum" ]; then
		t_bad "${2##*/}: $1: the driver exits $RC before its summary"
		return 1
	fi
	read -r sent failed notsent doc <<<"$sum"
	NSENT[$1]=$((NSENT[$1] + sent))
	if [ "$1" = nft ]; then
		NNOT=$((NNOT + notsent))
		NDOC=$((NDOC + doc))
	fi
	if [ "$RC" -ne 0 ]; then
		t_bad "${2##*/}: $1: $failed packet(s) not as the file says"
		return 1
	fi
	return 0
}

# selftest_phase PHASE FAILING PASSING: the driver's verdicts on the
# self-test file: FAIL on exactly the lines FAILING, none on PASSING.
selftest_phase()
{
	local ln
	for ln in $2; do
		printf '%s\n' "$OUT" | grep -q "selftest-wrong.tv:$ln: $1: FAIL" ||
			t_bad "self-test: $1: line $ln is wrong but was not reported"
	done
	for ln in $3; do
		printf '%s\n' "$OUT" | grep -q "selftest-wrong.tv:$ln: $1: [ad]" ||
			t_bad "self-test: $1: line $ln is right but was not passed"
	done
	[ "$RC" -eq 1 ] || t_bad "self-test: $1: the driver exits $RC on wrong lines, want 1"
}

# The driver first checks itself: both verdicts seen, annotations honoured.
selftest()
{
	local t="$T_SRCDIR/tests/nftdiff/selftest-wrong.tv" fails=$T_FAILS
	echo "== self-test: $t"
	rules_of "$t"
	observer netdev | nft_b -f - || t_fatal "cannot load the observer table"
	nft_b -f "$RULES" || t_fatal "self-test: nft refuses the ruleset"
	drive nft "$t"
	selftest_phase nft "14 15 17" "12 13 16 18"
	printf '%s\n' "$OUT" | grep -q ": nft: 7 sent, 3 failed, 0 not sent, 1 documented" ||
		t_bad "self-test: nft: wrong summary"
	drop_tested_tables
	bw_b -f "$RULES" || t_fatal "self-test: bpfwall refuses the ruleset"
	drive bpfwall "$t"
	selftest_phase bpfwall "14 15 16" "12 13 17 18"
	bw_b flush ruleset >/dev/null 2>&1
	nft_b flush ruleset
	[ "$T_FAILS" -eq "$fails" ] || t_fatal "the driver fails its self-test: nothing it says can be trusted"
	t_ok "self-test: the driver reports exactly the wrong lines"
}

# rules_of FILE.t: its ruleset (above %%) as $RULES, in a directory that
# links to everything beside FILE.t, so that relative includes resolve as
# from FILE.t for bpfwall; $NFT_INC gives nft, which looks for relative
# includes in its include path, each directory there.
rules_of()
{
	local e d
	rm -rf "$T_DIR/src"
	mkdir "$T_DIR/src"
	for e in "$(dirname "$1")"/*; do
		case $e in *.t) ;; *) ln -s "$e" "$T_DIR/src/" ;; esac
	done
	RULES="$T_DIR/src/rules.conf"
	sed '/^%%[[:space:]]*$/,$d' "$1" >"$RULES"
	NFT_INC=()
	if grep -q '^[[:space:]]*include[[:space:]]' "$RULES"; then
		while IFS= read -r d; do
			NFT_INC+=(-I "$d")
		done < <(find -L "$T_DIR/src" -maxdepth 3 -type d 2>/dev/null)
	fi
}

# diff_file FILE.t: both phases; 1 when anything disagreed.
diff_file()
{
	local t=$1 name=${1##*/} info kind addrs out bad=0 why
	# forms of a later nft than this one (the file says which: rules.sh)
	why=$(t_nft_check_why "$t")
	if [ -n "$why" ]; then
		echo "$name: not compared: $why"
		return 0
	fi
	info=$("$DRIVER" info "$t") || { t_bad "$name: nftdiff info fails"; return 1; }
	kind=$(printf '%s\n' "$info" | sed -n 's/^observer //p')
	if [ -z "$kind" ]; then
		echo "$name: not compared: $(printf '%s\n' "$info" | sed -n 's/^skip //p')"
		return 0
	fi
	NFILES=$((NFILES + 1))
	if [ "$kind" = inet ]; then
		mapfile -t addrs < <(printf '%s\n' "$info" | sed -n 's/^addr //p')
		add_addrs "${addrs[@]}"
	fi
	rules_of "$t"
	ipt=${t%.t}.ipt
	[ -f "$ipt" ] || ipt=
	if [ -n "$ipt" ] && ! command -v iptables-nft-restore >/dev/null 2>&1; then
		echo "$name: not compared: iptables-nft-restore is not installed"
		del_addrs
		return 0
	fi
	echo "== $name: observer $kind, nft phase${ipt:+ (iptables-nft-restore ${ipt##*/})}"
	observer "$kind" | nft_b -f - || t_fatal "cannot load the observer table"
	if [ -n "$ipt" ]; then
		out=$(timeout 20 ip netns exec "$NS_B" iptables-nft-restore <"$ipt" 2>&1)
	else
		out=$(nft_b "${NFT_INC[@]}" -f "$RULES" 2>&1)
	fi
	if [ $? -eq 0 ]; then
		run_phase nft "$t" || bad=1
	else
		printf '%s\n' "$out"
		t_bad "$name: nft refuses the ruleset"
		bad=1
	fi
	drop_tested_tables
	echo "== $name: bpfwall phase${ipt:+ (bpfwall iptables-restore ${ipt##*/})}"
	if [ -n "$ipt" ]; then
		out=$(bw_b iptables-restore <"$ipt" 2>&1)
	else
		out=$(bw_b -f "$RULES" 2>&1)
	fi
	if [ $? -eq 0 ]; then
		run_phase bpfwall "$t" || bad=1
	else
		printf '%s\n' "$out"
		t_bad "$name: bpfwall refuses the ruleset"
		bad=1
	fi
	bw_b flush ruleset >/dev/null 2>&1 || t_bad "$name: bpfwall flush ruleset fails"
	nft_b flush ruleset
	del_addrs
	if [ "$bad" -ne 0 ]; then
		NFAIL=$((NFAIL + 1))
		return 1
	fi
	t_ok "$name: nft and bpfwall give every line's verdict"
	return 0
}

selftest
for t in ${BW_NFTDIFF_FILES:-"$T_SRCDIR"/tests/verdict/*.t "$T_SRCDIR"/tests/nft/xt-*.t}; do
	diff_file "$t"
done

echo "== random rulesets: seed $SEED ($N_RANDOM rulesets of $N_PACKETS packets)"
mkdir -p "$T_DIR/random"
if [ "$N_RANDOM" -eq 0 ]; then
	:
elif "$DRIVER" gen --seed "$SEED" --rulesets "$N_RANDOM" --packets "$N_PACKETS" \
	--dir "$T_DIR/random"; then
	for ((i = 1; i <= N_RANDOM; i++)); do
		t="$T_DIR/random/random-$i.t"
		bad=0
		# the kernel (BPF_PROG_TEST_RUN) against the interpreter
		"$RUNNER" "$t" >"$T_DIR/runner.out" 2>&1 || {
			cat "$T_DIR/runner.out"
			t_bad "random-$i.t: run-verdict disagrees with the interpreter"
			bad=1
		}
		diff_file "$t" || bad=1
		if [ "$bad" -ne 0 ]; then
			echo "-- random-$i.t (again: BW_NFTDIFF_SEED=$SEED BW_NFTDIFF_RANDOM=$N_RANDOM BW_NFTDIFF_PACKETS=$N_PACKETS):"
			cat "$t"
		fi
	done
else
	t_bad "nftdiff gen --seed $SEED fails"
fi

echo "nft-diff: $NFILES files, ${NSENT[nft]} packets through nft and" \
	"${NSENT[bpfwall]} through bpfwall, $NFAIL files with disagreements," \
	"$NDOC documented nft differences, $NNOT lines not sent (egress or" \
	"other devices); random seed $SEED; $(($(date +%s) - START)) s"
t_done
