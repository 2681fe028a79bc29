#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `list ruleset > file` keeps `add element` changes: a real load, element
# changes, list, flush, load of the listed text, list again, for rulesets
# whose sets have elements that touch (tests/verdict/sets-list.t,
# sets.t, rules/edge.conf).  Each listing loads again and lists the same;
# elements are listed as they were added, never joined (as nft without
# auto-merge), so each can be deleted as listed; nft -c accepts the list.
T_NAME=relist
T_TIMEOUT=${T_TIMEOUT:-100}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
t_setup_pair

nft_ok=
command -v nft >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 && nft_ok=1

# ruleset SRC NAME OLD...: SRC's ruleset (a .t above its %% line) with the
# devices OLD... renamed to the test's veth, as $T_DIR/NAME; prints it.
ruleset()
{
	local src=$1 name=$2 d
	local args=(-e '/^%%[[:space:]]*$/,$d')
	shift 2
	for d in "$@"; do
		args+=(-e "s/\"$d\"/\"$VETH_B\"/g")
	done
	sed "${args[@]}" "$src" >"$T_DIR/$name" || t_fatal "cannot copy $src"
	echo "$T_DIR/$name"
}

# cycle NAME FILE CHANGE...: load FILE, run each CHANGE ("add element ..."
# or "delete element ..."), then list, flush, load the list, list again.
# Leaves the first listing in $T_DIR/NAME.list1.
cycle()
{
	local name=$1 file=$2 c out
	shift 2
	out=$(bw_b -f "$file" 2>&1) || { t_bad "$name: bpfwall -f: $out"; return 1; }
	for c in "$@"; do
		# the words as separate arguments, as a shell user types them
		# shellcheck disable=SC2086
		out=$(bw_b $c 2>&1) && t_ok "$name: $c" || t_bad "$name: $c: $out"
	done
	bw_b list ruleset >"$T_DIR/$name.list1" 2>&1 || {
		t_bad "$name: list ruleset: $(cat "$T_DIR/$name.list1")"
		return 1
	}
	out=$(bw_b flush ruleset 2>&1) || t_bad "$name: flush ruleset: $out"
	out=$(bw_b -f "$T_DIR/$name.list1" 2>&1)
	if [ $? -eq 0 ]; then
		t_ok "$name: the list loads again"
	else
		t_bad "$name: the list does not load again: $out"
		cat "$T_DIR/$name.list1"
		return 1
	fi
	bw_b list ruleset >"$T_DIR/$name.list2" 2>&1
	if cmp -s "$T_DIR/$name.list1" "$T_DIR/$name.list2"; then
		t_ok "$name: listed again, the same"
	else
		t_bad "$name: the second list differs:"
		diff -u "$T_DIR/$name.list1" "$T_DIR/$name.list2"
	fi
	if [ -n "$nft_ok" ]; then
		out=$(timeout 20 unshare -n sh -c "ip link add $VETH_B type veth peer name bwtrlp0 && nft -c -f '$T_DIR/$name.list1'" 2>&1)
		[ $? -eq 0 ] && t_ok "$name: nft -c accepts the list" ||
			t_bad "$name: nft -c rejects the list: $out"
	fi
}

# listed NAME SET TEXT: the elements line of SET in the first listing
# holds TEXT.
listed()
{
	local line
	line=$(awk -v set="$2" '
		$1 == "set" || $1 == "map" { cur = $2 }
		cur == set && /elements = / { print; exit }' "$T_DIR/$1.list1")
	case $line in
	*"$3"*) t_ok "$1: $2 lists $3" ;;
	*) t_bad "$1: $2 does not list \"$3\": $line" ;;
	esac
}

f=$(ruleset "$T_SRCDIR/tests/verdict/sets-list.t" sets-list.conf veth0)
cycle sets-list "$f" \
	"add element netdev t plain { 192.0.2.4 }" \
	"add element netdev t ports { 24 }" \
	"add element netdev t pairs { 192.0.2.11 . 8082 }" \
	"add element netdev t dispatch { 104 : drop }" \
	"add element netdev t ranges { 198.51.100.3, 198.51.100.9-198.51.100.10 }" \
	"delete element netdev t ranges { 198.51.100.4/30 }" \
	"add element netdev t sports { 8 }" \
	"add element netdev t spans { 221-230 : accept }"
listed sets-list plain "192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4 }"
listed sets-list ports "{ 22, 23, 24, 25 }"
listed sets-list pairs "192.0.2.11 . 8080, 192.0.2.11 . 8081, 192.0.2.11 . 8082,"
listed sets-list dispatch "102 : drop, 103 : drop, 104 : drop }"
listed sets-list ranges "{ 198.51.100.1, 198.51.100.2, 198.51.100.3, 198.51.100.8, 198.51.100.9-198.51.100.10, 203.0.113.1-203.0.113.5, 203.0.113.6 }"
listed sets-list sports "{ 1-2, 3, 4-7, 8 }"
listed sets-list spans "211 : drop, 212-220 : accept, 221-230 : accept }"
# each element can be deleted as the list shows it
for c in "ranges { 203.0.113.1-203.0.113.5 }" "ranges { 198.51.100.9-198.51.100.10 }" \
	"plain { 192.0.2.3 }" "ipranges { 192.0.2.9 . 24-25 }" "spans { 212-220 : accept }"; do
	out=$(bw_b delete element netdev t $c 2>&1) && t_ok "delete element as listed: $c" ||
		t_bad "delete element as listed: $c: $out"
done

f=$(ruleset "$T_SRCDIR/tests/verdict/sets.t" sets.conf veth0)
cycle sets "$f" \
	"add element netdev t blocked { 192.0.2.121, 198.51.101.0/24 }" \
	"add element netdev t svc { 192.0.2.1 . 23 }" \
	"add element netdev t ports { 27 : accept }"
listed sets blocked "192.0.2.100-192.0.2.120, 192.0.2.121, 198.51.100.0/24, 198.51.101.0/24"

f=$(ruleset "$T_SRCDIR/rules/edge.conf" edge.conf eth0)
cycle edge "$f" \
	"add element netdev edge blocklist { 203.0.113.128/26, 203.0.113.192 }" \
	"add element inet filter published { 198.51.100.10 . 444 : accept }"
listed edge blocklist "{ 203.0.113.64/26, 203.0.113.128/26, 203.0.113.192 }"
t_done
