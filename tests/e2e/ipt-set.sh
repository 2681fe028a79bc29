#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bpfwall ipset and iptables -m set with traffic: in namespace b, sets
# made with `bpfwall ipset` (hash:ip of blocked sources, hash:ip,port of
# blocked services, hash:net of allowed nets, overlapping) are used from
# `bpfwall iptables -m set --match-set` in INPUT; TCP from a's two
# addresses to b's ports gives the expected verdicts, and each ipset
# add/del/flush/swap flips them.  ipset save, list, test, the refusals
# (a set in use, a missing set, the options bpfwall does not keep) and
# iptables-save's `-m set --match-set NAME src` are checked.  Then the
# same command sequence through the real ipset and iptables-nft in the
# same namespace (after bpfwall flush) must give the same verdicts at
# every step and the same saved sets and rules (where the kernel has
# ip_set: skipped with the reason otherwise).
T_NAME=iptset
T_TIMEOUT=${T_TIMEOUT:-240}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_pair
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

for p in 5001 5002 5003; do
	t_tcp_server "$NS_B" "$IP_B" "$p"
done

# the flows, one word each: SRC:PORT=1 (answered) or 0
battery()
{
	local src p out=
	for src in "$IP_A" "$IP_A2"; do
		for p in 5001 5002 5003; do
			if tcp_from "$NS_A" "$src" "$IP_B" "$p" 1; then
				out+="${src##*.}:$p=1 "
			else
				out+="${src##*.}:$p=0 "
			fi
		done
	done
	echo "${out% }"
}

# scenario IPSET IPTABLES: the command sequence, a battery after each step
# (one line each), then the saved sets and rules
scenario()
{
	local set=$1 ipt=$2 out
	run() { out=$("$@" 2>&1) || t_fatal "$*: $out"; }
	run $set create blk hash:ip
	run $set add blk "$IP_A2"
	run $set create svc hash:ip,port
	run $set add svc "$IP_B,tcp:5002"
	run $set create nets hash:net
	run $set add nets 192.0.2.0/25
	run $set add nets 192.0.2.0/24
	run $set create spare hash:net
	run $ipt -A INPUT -p tcp -m set --match-set blk src -j DROP
	run $ipt -A INPUT -p tcp -m set --match-set svc dst,dst -j DROP
	run $ipt -A INPUT -p tcp --dport 5003 -m set ! --match-set nets src -j DROP
	echo "start $(battery)"
	run $set del blk "$IP_A2"
	echo "del-blk $(battery)"
	run $set add blk 192.0.2.0/31
	echo "add-blk-range $(battery)"
	run $set del svc "$IP_B,5002"
	echo "del-svc $(battery)"
	run $set add svc "$IP_B,tcp:5001"
	echo "add-svc $(battery)"
	run $set del nets 192.0.2.0/24
	echo "del-net $(battery)"
	run $set swap nets spare
	echo "swap $(battery)"
	run $set flush blk
	echo "flush $(battery)"
	echo "--- save"
	$set save | sed 's/ initval 0x[0-9a-f]*//' | sort
	echo "--- rules"
	$ipt -S INPUT
}

bwset() { bw_b ipset "$@"; }
bwipt() { bw_b iptables "$@"; }
got=$(scenario bwset bwipt)
printf '%s\n' "$got" >"$T_DIR/bpfwall.out"
want_flows="start 1:5001=1 1:5002=0 1:5003=1 66:5001=0 66:5002=0 66:5003=0
del-blk 1:5001=1 1:5002=0 1:5003=1 66:5001=1 66:5002=0 66:5003=1
add-blk-range 1:5001=0 1:5002=0 1:5003=0 66:5001=1 66:5002=0 66:5003=1
del-svc 1:5001=0 1:5002=0 1:5003=0 66:5001=1 66:5002=1 66:5003=1
add-svc 1:5001=0 1:5002=0 1:5003=0 66:5001=0 66:5002=1 66:5003=1
del-net 1:5001=0 1:5002=0 1:5003=0 66:5001=0 66:5002=1 66:5003=1
swap 1:5001=0 1:5002=0 1:5003=0 66:5001=0 66:5002=1 66:5003=0
flush 1:5001=0 1:5002=1 1:5003=0 66:5001=0 66:5002=1 66:5003=0"
flows=$(printf '%s\n' "$got" | sed -n '/^--- save/q;p')
if [ "$flows" = "$want_flows" ]; then
	t_ok "the verdicts follow every ipset add, del, flush and swap"
else
	t_bad "verdicts: $(diff <(echo "$want_flows") <(echo "$flows") | tr '\n' ' ')"
fi
t_check "iptables -S prints -m set --match-set blk src as iptables 1.8.11 does" \
	grep -qxF -- "-A INPUT -p tcp -m set --match-set blk src -j DROP" "$T_DIR/bpfwall.out"
t_check "... and ! --match-set nets src" \
	grep -qxF -- "-A INPUT -p tcp -m tcp --dport 5003 -m set ! --match-set nets src -j DROP" \
	"$T_DIR/bpfwall.out"
t_check "ipset save prints a hash:ip,port entry with its protocol" \
	grep -qxF "add svc $IP_B,tcp:5001" "$T_DIR/bpfwall.out"

# the running ruleset declares the sets the rules name, merged nets
list=$(bw_b list ruleset 2>&1)
t_check "list ruleset declares set svc as ipv4_addr . inet_service" \
	grep -q "type ipv4_addr . inet_service" <<<"$list"

# test, list, refusals
out=$(bwset test blk 192.0.2.1 2>&1)
t_check "ipset test of a missing entry: status 1 ($?)" test $? -eq 1
t_check "... saying it is NOT in the set" grep -qxF "192.0.2.1 is NOT in set blk." <<<"$out"
bwset add blk 192.0.2.1 >/dev/null 2>&1
out=$(bwset test blk 192.0.2.1 2>&1)
t_check "ipset test of an entry: status 0 ($?)" test $? -eq 0
t_check "... with ipset's warning" grep -qxF "Warning: 192.0.2.1 is in set blk." <<<"$out"
out=$(bwset add blk 192.0.2.1 2>&1)
t_check "adding an entry twice: status 1 ($?)" test $? -eq 1
t_check "... ipset's message" grep -qxF "ipset v7.17: Element cannot be added to the set: it's already added" <<<"$out"
t_check "-exist makes it quiet" bwset -exist add blk 192.0.2.1
out=$(bwset destroy blk 2>&1)
t_check "destroying a set a rule uses: status 1 ($?)" test $? -eq 1
t_check "... in use" grep -qF "Set cannot be destroyed: it is in use by a kernel component" <<<"$out"
out=$(bwipt -A INPUT -m set --match-set nosuch src -j DROP 2>&1)
t_check "-m set with a missing set: status 2 ($?)" test $? -eq 2
t_check "... Set nosuch doesn't exist." grep -qF "Set nosuch doesn't exist." <<<"$out"
out=$(bwipt -A INPUT -m set --match-set blk src --packets-gt 3 -j DROP 2>&1)
t_check "--packets-gt (the entries' counters) is refused, status 2 ($?)" test $? -eq 2
t_check "... by bpfwall, not handed to iptables-nft" grep -qF "bpfwall's sets do not keep" <<<"$out"
out=$(bwipt -A INPUT -j SET --add-set blk src 2>&1)
t_check "-j SET is refused, status 2 ($?)" test $? -eq 2
t_check "... saying why" grep -qF "target SET is not compiled" <<<"$out"
out=$(bwipt -A INPUT -m set --match-set svc src -j DROP 2>&1)
t_check "fewer directions than the set's dimensions: refused ($?)" test $? -eq 2
out=$(bwset create t1 hash:ip timeout 60 2>&1)
t_check "timeout is refused: status 1 ($?)" test $? -eq 1
t_check "... naming the option" grep -qF "timeout is not supported by bpfwall" <<<"$out"
out=$(bwset create 1.bad hash:ip 2>&1)
t_check "a name that is no nft set name is refused ($?)" test $? -eq 1
out=$(bwset create t2 hash:mac 2>&1)
t_check "a type bpfwall does not compile is refused ($?)" test $? -eq 1
out=$(bwset frob 2>&1)
t_check "an unknown command: status 2 ($?)" test $? -eq 2
names=$(bwset list -n 2>&1)
t_check "ipset list -n names the sets in creation order" test "$(echo $names)" = "blk svc nets spare"
# restore: ipset's format, the lines before a bad one stay
out=$(printf 'create r1 hash:ip\nadd r1 198.51.100.1\nadd r1 bogus\nadd r1 198.51.100.2\n' |
      bwset restore 2>&1)
t_check "restore with a bad line: status 1 ($?)" test $? -eq 1
t_check "... Error in line 3" grep -qF "Error in line 3:" <<<"$out"
t_check "... the lines before it applied" test "$(bwset save r1 | grep -c '^add')" = 1
t_check "-exist anywhere on a restore line" bwset restore <<<"add r1 198.51.100.1 -exist"
# add and del on a set without nets change its maps in place: no pin but
# the iptables text is replaced (a reload replaces every program and map)
pins() { ls -i "$PIN_B" | grep -v ' xtables$' | sort -k2; }
before=$(pins)
bwset add blk 192.0.2.77 >/dev/null 2>&1 || t_bad "ipset add blk 192.0.2.77"
t_check "... it is in the running set at once" grep -qF "192.0.2.77" <<<"$(bw_b list ruleset)"
bwset del svc "$IP_B,tcp:5001" >/dev/null 2>&1 || t_bad "ipset del svc"
bwset create fresh hash:ip >/dev/null 2>&1 || t_bad "ipset create fresh"
t_check "ipset add/del on sets the rules use, create of another: no reload" \
	test "$before" = "$(pins)"
t_check "... and the sets are kept for the next load" grep -qxF "add blk 192.0.2.77" <<<"$(bwset save)"
bwipt -A INPUT -m set --match-set fresh dst,dst -j ACCEPT >/dev/null 2>&1
bwset add fresh 192.0.2.2 >/dev/null 2>&1
t_check "a rule added after the live changes keeps them" grep -qF "192.0.2.77" <<<"$(bw_b list ruleset)"
# an empty port set the rules use takes a udp port: the rules are made again
bwset create dns hash:ip,port >/dev/null 2>&1
bwipt -A INPUT -m set --match-set dns dst,dst -j DROP >/dev/null 2>&1
bwset add dns "$IP_B,udp:53" >/dev/null 2>&1 || t_bad "ipset add dns"
t_check "a set of udp ports is looked up with udp dport" \
	grep -qF "ip daddr . udp dport @dns" <<<"$(bw_b list ruleset)"
out=$(bwset add dns "$IP_B,tcp:53" 2>&1)
t_check "a tcp port into a set of udp ports is refused ($?)" test $? -eq 1
# a chain handed to nf_tables (REJECT) declares the set there too, and
# add/del change that copy in place as well
bwset create rej hash:ip >/dev/null 2>&1 || t_bad "ipset create rej"
out=$(bwipt -I INPUT -p tcp --dport 5002 -m set --match-set rej src -j REJECT --reject-with tcp-reset 2>&1) ||
	t_bad "-m set in a REJECT rule: $out"
t_check "REJECT -m set: .66 to 5002 answers while the set is empty" tcp_from "$NS_A" "$IP_A2" "$IP_B" 5002
before=$(pins)
bwset add rej "$IP_A2" >/dev/null 2>&1 || t_bad "ipset add rej"
t_check_not "... is refused once .66 is added" tcp_from "$NS_A" "$IP_A2" "$IP_B" 5002 1
bwset del rej "$IP_A2" >/dev/null 2>&1 || t_bad "ipset del rej"
t_check "... and answers again once it is deleted" tcp_from "$NS_A" "$IP_A2" "$IP_B" 5002
t_check "... the nf_tables copy changed in place: no reload" test "$before" = "$(pins)"
# ip6tables and a set of family inet6
t_tcp_server "$NS_B" "$IP6_B" 5004
bwset create six hash:ip family inet6 >/dev/null 2>&1 || t_bad "ipset create six"
out=$(bw_b ip6tables -A INPUT -p tcp -m set --match-set six src -j DROP 2>&1) ||
	t_bad "ip6tables -m set: $out"
t_check "ip6tables -m set: 5004 answers over IPv6" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 5004
bwset add six "$IP6_A" >/dev/null 2>&1 || t_bad "ipset add six"
t_check_not "... dropped once the address is in the inet6 set" tcp_from "$NS_A" "$IP6_A" "$IP6_B" 5004 1
out=$(bwipt -A INPUT -m set --match-set six src -j DROP 2>&1)
t_check "an inet6 set in iptables: status 2 ($?)" test $? -eq 2
t_check "... iptables' message" grep -qF "The protocol family of set six is IPv6, which is not applicable." <<<"$out"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "after flush ruleset the sets are gone" test -z "$(bwset list -n 2>&1)"

# the oracle: the same sequence through ipset and iptables-nft
if ! command -v ipset >/dev/null 2>&1 || ! command -v iptables-nft >/dev/null 2>&1; then
	echo "note: no ipset or iptables-nft here: the comparison with them is skipped"
elif ! timeout 10 ip netns exec "$NS_B" ipset list >/dev/null 2>&1; then
	echo "note: the kernel has no ip_set in a namespace: the comparison with ipset is skipped"
else
	kset() { timeout 20 ip netns exec "$NS_B" ipset "$@"; }
	kipt() { timeout 20 ip netns exec "$NS_B" iptables-nft "$@"; }
	ref=$(scenario kset kipt)
	printf '%s\n' "$ref" >"$T_DIR/kernel.out"
	kipt -F INPUT
	kset destroy
	if diff -u "$T_DIR/kernel.out" "$T_DIR/bpfwall.out"; then
		t_ok "ipset + iptables-nft: the same verdicts at every step, the same ipset save and iptables -S"
	else
		t_bad "ipset + iptables-nft differ (diff above)"
	fi
fi
t_done
