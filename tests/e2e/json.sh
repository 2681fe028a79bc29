#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# nft's JSON (libnftables-json(5)), both ways, against nft itself:
#  1. every verdict test's ruleset, every rules/*.conf and the tests/nft/
#     files of the nf_tables statements (nat, mangle, quota, queue, ...;
#     named nft-* here) that nft accepts
#     is loaded into nft (in this test's namespace); `nft -j list ruleset`
#     is compared with what `bpfwall -j list ruleset` prints for the same
#     file (tests/json/json-tool print: the printer list uses, without a
#     load), handles, counters and metainfo left out;
#  2. nft's JSON of it is checked by `bpfwall -c -j -f`, its canonical text
#     compared with the file's own, and printed as JSON again it must give
#     nft's JSON back;
#  3. a ruleset loaded for real: `-j list ruleset` with a counter that
#     moved, that listing loaded again with `-j -f`, and a JSON file that
#     fails to load leaving the running ruleset as it was.
# The files whose JSON or text differs from nft's are listed below with
# the reason: a listed file that stops differing fails the test, so the
# lists stay true.
T_NAME=json
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (nftables), the reference the JSON is compared with"
TOOL=$T_BUILDDIR/tests/json/json-tool
[ -x "$TOOL" ] || t_fatal "$TOOL is not built (make check builds it)"
t_setup_pair

# the devices the files name, in b (nft takes a netdev chain on a device
# that is missing; bpfwall -c checks on the devices there are)
in_b ip link add veth0 type veth peer name veth1 || t_fatal "cannot add veth0 in $NS_B"
in_b ip link add eth0 type veth peer name bwdemo1 || t_fatal "cannot add eth0 in $NS_B"
cp -r "$T_SRCDIR/tests/verdict/inc" "$T_DIR/inc"

# nft lists a ruleset in its own normal form: what it changes
declare -A JSON_DIFF=(
	[ether-type.t]="nft drops the ether type vlan / 8021q that a vlan match depends on"
	[icmp-echo.t]="nft merges icmp echo matches into anonymous sets and lists icmp id as a raw payload (@th,32,16)"
	[bridge.t]="nft drops the ether type arp / ip6 that arp and ip6 matches depend on"
	[ipset.t]="nft writes a range that is a prefix (a merged net) as the prefix"
	[rawpay.t]="nft 1.0.6 names @th,16,16 th dport and lists bits off a byte boundary as the bytes and a mask (newer nft, whose tests/py bpfwall lists as, keeps @ih,4,4)"
	[rawpay-inet.t]="nft 1.0.6 drops meta l4proto 91 before @th and lists bits off a byte boundary as the bytes and a mask"
	[concat-ranges-max.t]="nft writes a range that is a prefix (203.0.113.0-203.0.113.1) as the prefix"
	[dscp6-set.t]="nft 1.0.6 lists ip6 dscp in a concatenated lookup as the field shifted (ip6 dscp >> 6), the form it emitted"
	[settimeout.t]="nft lists each element of a set with timeouts with the time left (\"expires\"), which a file's JSON has not"
	[settimeout-elem.t]="nft lists each element of a set with timeouts with the time left (\"expires\"), which a file's JSON has not"
	[nft-flowtable.conf]="a flowtable's flags (offload, counter) are in bpfwall's JSON only: nft's JSON has no member for them"
	[mapadd.t]="nft 1.0.6 has no JSON for add @m { KEY : VALUE } (stmt ops map have no json callback): it writes the rule's text as a string"
)
# nft's text differs from the file's (after the JSON round trip)
declare -A TEXT_DIFF=(
	[proto.t]="nft names protocol 58 ipv6-icmp and sorts a set"
	[edge.conf]="nft writes services as numbers and sorts a set"
	[host-firewall.conf]="nft sorts a set"
	[ipv6.conf]="nft writes services as numbers and sorts sets"
	[ether-type.t]="nft drops dependencies"
	[fields-ip.t]="nft writes 0x1234 in decimal"
	[fields-transport.t]="nft writes 0xdeadbeef in decimal"
	[sets.t]="nft sorts sets, writes typeof as type, expands a range list"
	[sets-list.t]="nft's hash order and prefixes"
	[bridge.t]="nft drops the ether type arp / ip6 that arp and ip6 matches depend on"
	[ip6-exthdr-fields.t]="nft writes 0x1234 in decimal"
	[l4-other.t]="nft writes a set of one range as the range, 0x numbers in decimal"
	[ipset.t]="nft's hash order of a set's elements"
	[word-ops.t]="nft writes >= A then <= B as the range A-B, syn | ack as syn,ack, == 22 as 22, numbers in decimal"
	[rawpay.t]="nft 1.0.6 lists bits off a byte boundary as the bytes and a mask, and drops meta l4proto 91 before @th"
	[icmp-echo.t]="nft lists icmp id after a type set as a raw payload (@th,32,16), and a concatenated set in its hash order"
	[rawpay-inet.t]="nft 1.0.6 lists bits off a byte boundary as the bytes and a mask, and drops meta l4proto 91 before @th"
	[concat-ranges-max.t]="nft writes a range that is a prefix as the prefix"
	[concat-ranges.t]="nft writes marks in decimal"
	[concat-reads.t]="nft writes raw payload values in decimal"
	[nft-datamap.conf]="nft's JSON gives a mark in a map's key as a number, which bpfwall lists as written"
	[nft-flowtable.conf]="nft's JSON of a flowtable has no flags: counter is lost"
)
# nft's JSON of these, loaded and printed again, differs as said
declare -A ROUND_DIFF=(
	[settimeout.t]="the elements' \"expires\" (the time left when nft listed them) is not kept: a load starts their timeout anew"
	[settimeout-elem.t]="the elements' \"expires\" (the time left when nft listed them) is not kept: a load starts their timeout anew"
)
# nft's JSON of these uses forms bpfwall refuses (the error names them)
declare -A REFUSED=(
	[dscp6-set.t]='">>" is not supported by bpfwall'
	[srh-lookup.t]='unknown or unsupported data type "integer"'	# nft 1.0.6 writes a typeof set's type so, without its size
	[mapadd.t]='a statement must be an object of one member'	# nft 1.0.6: add @m { KEY : VALUE } as a string
)

same=0 differ=0 skipped=0
for f in "$T_SRCDIR"/tests/verdict/*.t "$T_SRCDIR"/rules/*.conf \
	 "$T_SRCDIR"/tests/nft/{nat,setf,bytes,stmts,metakeys,metart,objects,hdrset,valexpr,tproxy,xfrm,dup,vmapthen,datamap,datamap6,natmap-range,rtmtu,flowtable,settimeout}.conf "$T_SRCDIR"/tests/nft/queue.t; do
	b=$(basename "$f")
	x=$T_DIR/$b.nft
	case $f in
	*/tests/nft/*) b=nft-$b; x=$T_DIR/$b.nft; sed '/^%%/,$d' "$f" >"$x" ;;
	*.t) sed '/^%%/,$d' "$f" >"$x" ;;
	*) cp "$f" "$x" ;;
	esac
	in_b nft flush ruleset
	# (tests/nft/queue.t: where the kernel has no nft_queue module nft
	# refuses queue, and the file is counted as refused here)
	if ! (cd "$T_DIR" && timeout 20 ip netns exec "$NS_B" nft -I "$T_DIR" -I "$T_DIR/inc" -f "$x") >"$T_DIR/$b.nfterr" 2>&1; then
		t_ok "$b: nft refuses it, not compared: $(head -n 1 "$T_DIR/$b.nfterr")"
		skipped=$((skipped + 1))
		continue
	fi
	timeout 20 ip netns exec "$NS_B" nft -j list ruleset >"$T_DIR/$b.nft.json" ||
		{ t_bad "$b: nft -j list ruleset failed"; continue; }
	if ! (cd "$T_DIR" && "$TOOL" print "$x") >"$T_DIR/$b.bw.json" 2>"$T_DIR/$b.bwerr"; then
		t_bad "$b: bpfwall's JSON of it failed: $(head -n 3 "$T_DIR/$b.bwerr")"
		continue
	fi
	# 1. the same JSON as nft's (nft 1.0.6 leaves out a chain's "dev")
	"$TOOL" norm "$T_DIR/$b.bw.json" <"$T_DIR/$b.nft.json" >"$T_DIR/$b.n1"
	"$TOOL" norm <"$T_DIR/$b.bw.json" >"$T_DIR/$b.n2"
	if cmp -s "$T_DIR/$b.n1" "$T_DIR/$b.n2"; then
		if [ -n "${JSON_DIFF[$b]:-}" ]; then
			t_bad "$b: listed as differing from nft's JSON, but it is the same: take it off JSON_DIFF"
		else
			t_ok "$b: bpfwall -j list ruleset prints nft's JSON"
			same=$((same + 1))
		fi
	elif [ -n "${JSON_DIFF[$b]:-}" ]; then
		t_ok "$b: JSON differs from nft's as known: ${JSON_DIFF[$b]}"
		differ=$((differ + 1))
	else
		t_bad "$b: JSON differs from nft's:"
		diff "$T_DIR/$b.n1" "$T_DIR/$b.n2" | head -n 20
	fi

	# 2. nft's JSON loaded into bpfwall
	"$TOOL" adddev "$T_DIR/$b.bw.json" <"$T_DIR/$b.nft.json" >"$T_DIR/$b.in.json"
	out=$(in_b "$BPFWALL" -c -j -f "$T_DIR/$b.in.json" 2>&1)
	rc=$?
	if [ -n "${REFUSED[$b]:-}" ]; then
		case "$rc:$out" in
		1:*"$T_DIR/$b.in.json:"*"${REFUSED[$b]}"*)
			t_ok "$b: bpfwall -c -j -f refuses nft's JSON, naming the form: ${REFUSED[$b]}" ;;
		*) t_bad "$b: bpfwall -c -j -f should refuse (${REFUSED[$b]}): rc $rc: $out" ;;
		esac
		continue
	fi
	if [ "$rc" -ne 0 ]; then
		t_bad "$b: bpfwall -c -j -f on nft's JSON: rc $rc: $out"
		continue
	fi
	"$TOOL" text -j "$T_DIR/$b.in.json" >"$T_DIR/$b.t1" 2>&1
	(cd "$T_DIR" && "$TOOL" text "$x") >"$T_DIR/$b.t2" 2>&1
	if cmp -s "$T_DIR/$b.t1" "$T_DIR/$b.t2"; then
		if [ -n "${TEXT_DIFF[$b]:-}" ]; then
			t_bad "$b: listed in TEXT_DIFF but nft's JSON gives the file's text: take it off"
		else
			t_ok "$b: nft's JSON loaded into bpfwall lists as the file's canonical text"
		fi
	elif [ -n "${TEXT_DIFF[$b]:-}" ]; then
		t_ok "$b: nft's JSON loads; its text differs as known: ${TEXT_DIFF[$b]}"
	else
		t_bad "$b: nft's JSON loaded into bpfwall lists another text:"
		diff "$T_DIR/$b.t1" "$T_DIR/$b.t2" | head -n 20
	fi
	"$TOOL" print -j "$T_DIR/$b.in.json" | "$TOOL" norm >"$T_DIR/$b.r1"
	"$TOOL" norm <"$T_DIR/$b.in.json" >"$T_DIR/$b.r2"
	if cmp -s "$T_DIR/$b.r1" "$T_DIR/$b.r2"; then
		t_ok "$b: nft's JSON, loaded and printed by bpfwall, is nft's JSON again"
	elif [ -n "${ROUND_DIFF[$b]:-}" ]; then
		t_ok "$b: nft's JSON comes back as known: ${ROUND_DIFF[$b]}"
	else
		t_bad "$b: nft's JSON does not come back the same:"
		diff "$T_DIR/$b.r1" "$T_DIR/$b.r2" | head -n 20
	fi
done
in_b nft flush ruleset
echo "JSON as nft's: $same files the same, $differ known to differ, $skipped refused by nft"
[ "$same" -ge 40 ] || t_bad "only $same files print nft's JSON exactly (expected at least 40)"

# 3. a load, for real
rules=$(t_rules json.conf <<'EOF2'
table netdev edge {
	set blk {
		type ipv4_addr
		flags interval
		elements = { 198.51.100.0/24, 203.0.113.9 }
	}

	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr @blk counter drop
		ip saddr 192.0.2.66 ip protocol icmp counter packets 2 bytes 100 drop
		tcp dport { 22, 8000-8080 } accept comment "admin"
	}
}
EOF2
)
out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f: $out"
t_check_not "ping from $IP_A2 is dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
bw_b -j list ruleset >"$T_DIR/list.json" 2>"$T_DIR/list.err" ||
	t_fatal "bpfwall -j list ruleset: $(cat "$T_DIR/list.err")"
case $(cat "$T_DIR/list.json") in
'{"nftables": [{"metainfo": {'*'"json_schema_version": 1, "bpfwall": {"drops": '*'"lost": {"log": 0, "audit": 0}'*)
	t_ok "-j list ruleset: nft's objects, bpfwall's state in metainfo" ;;
*) t_bad "-j list ruleset: $(head -c 300 "$T_DIR/list.json")" ;;
esac
if grep -q '{"counter": {"packets": [3-9][0-9]*, "bytes": [1-9][0-9]*}}, {"drop": null}' "$T_DIR/list.json"; then
	t_ok "-j list ruleset: the counter moved (2 written, the ping's added)"
else
	t_bad "-j list ruleset: no moved counter: $(grep -o '"counter": {[^}]*}' "$T_DIR/list.json" | tr '\n' ' ')"
fi
"$TOOL" print "$rules" | "$TOOL" norm >"$T_DIR/l1"
"$TOOL" norm <"$T_DIR/list.json" >"$T_DIR/l2"
if cmp -s "$T_DIR/l1" "$T_DIR/l2"; then
	t_ok "-j list ruleset prints what json-tool print gives for the file (the test's printer is list's)"
else
	t_bad "-j list ruleset differs from json-tool print:"
	diff "$T_DIR/l1" "$T_DIR/l2" | head -n 20
fi
text1=$(bw_b list ruleset 2>&1 | grep -v '^#')
out=$(bw_b -j -f "$T_DIR/list.json" 2>&1)
if [ $? -eq 0 ]; then t_ok "the -j listing loads again with -j -f"; else t_bad "-j -f of the listing: $out"; fi
text2=$(bw_b list ruleset 2>&1 | grep -v '^#')
if [ "$text1" = "$text2" ]; then
	t_ok "loaded from its JSON, the ruleset lists the same (counters kept)"
else
	t_bad "the ruleset loaded from JSON lists otherwise:"
	diff <(printf '%s\n' "$text1") <(printf '%s\n' "$text2") | head -n 20
fi
out=$(bw_b -j -f "$T_SRCDIR/tests/bad/json-unknown-set.json" 2>&1)
rc=$?
case "$rc:$out" in
1:*"json-unknown-set.json:8:42-52: Error: unknown set \"blocklst\""*)
	t_ok "a JSON file that does not compile: exit 1, file:line:col" ;;
*) t_bad "bad JSON load: rc $rc: $out" ;;
esac
text3=$(bw_b list ruleset 2>&1 | grep -v '^#')
if [ "$text2" = "$text3" ]; then
	t_ok "the failed JSON load left the running ruleset as it was"
else
	t_bad "the running ruleset changed after a failed JSON load"
fi
t_check_not "ping from $IP_A2 is still dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
t_done
