#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Fragmented datagrams through an allowlist, bpfwall against nft in the
# same topology (tests/lib/bwtest.sh t_setup_router: a — r — b, MTU
# 1500).  In r, input and forward chains accept `udp dport 53` and drop
# everything else by policy; a sends 3000-byte UDP datagrams (three
# IPv4 fragments, three IPv6 ones) and small ones to ports 53 and 54 of
# r and of b; a socket on each port counts what arrives whole.
#
# Fragments are reassembled before the IP hooks only where the namespace
# tracks connections (nf_defrag, brought in by conntrack: here a `ct
# state` rule).  Without it, IPv4 is reassembled for local delivery just
# before the input hook, IPv6 only after it (as an extension header):
#
#   input    IPv4: the big datagrams to r:53 arrive whole, none to r:54;
#            IPv6: with ct the same, without ct nft's input chain sees
#            the fragments one by one, `udp dport 53` matches only the
#            first, the policy drops the others: nothing arrives
#   forward  with ct the big datagrams to b:53 arrive whole; without, as
#            IPv6 input: nothing arrives
#
# Each ruleset (without and with ct) is loaded by nft -f and then by
# bpfwall; the deliveries, and the packets and bytes the rules counted,
# must be the same.
T_NAME=frags
T_TIMEOUT=${T_TIMEOUT:-180}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
UDPFLOW=$T_BUILDDIR/tests/lib/udpflow
[ -x "$UDPFLOW" ] || t_fatal "no $UDPFLOW (make check builds it)"
t_setup_router
in_r nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

# rules_file NAME CT: the allowlist; CT (a rule) first in forward
rules_file()
{
	t_rules "$1" <<EOF2
table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		udp dport 53 counter accept comment "in-53"
		meta l4proto { icmp, ipv6-icmp } accept
	}
	chain forward {
		type filter hook forward priority filter; policy drop;
		$2
		udp dport 53 counter accept comment "fw-53"
		meta l4proto { icmp, ipv6-icmp } accept
	}
}
EOF2
}
noct=$(rules_file noct.conf "")
ct=$(rules_file ct.conf 'ct state established,related counter accept comment "fw-est"')

# the flows: TAG,SRC,DST; r4-53 is IPv4 to r's port 53, b6-54 IPv6 to
# b's port 54, ...; the small ones end in s
BIG=(r4-53 r4-54 r6-53 r6-54 b4-53 b4-54 b6-53 b6-54)
SMALL=(r4-53s r6-53s b4-53s b6-53s)
flow()
{
	local tag=$1 port=${1#*-} dst
	port=${port%s}
	case $tag in
	r4*) dst=$IP_RA ;;
	r6*) dst=$IP6_RA ;;
	b4*) dst=$IP_B ;;
	b6*) dst=$IP6_B ;;
	esac
	case $tag in
	?4*) echo "$tag,$IP_A,$dst" ;;
	*) echo "$tag,$IP6_A,$dst" ;;
	esac
}

# send PORT LEN TAG...: 5 datagrams of LEN bytes per flow to PORT
send()
{
	local port=$1 len=$2 t args=()
	shift 2
	for t in "$@"; do
		args+=("$(flow "$t")")
	done
	timeout 30 ip netns exec "$NS_A" "$UDPFLOW" send -n 5 -i 100 -l "$len" "$port" \
		"${args[@]}" >/dev/null || t_bad "udpflow send to port $port failed"
}

# reasm NS: IPv4 and IPv6 datagrams reassembled in NS so far
reasm()
{
	ip netns exec "$1" awk '/^Ip: [A-Z]/ { for (i = 2; i <= NF; i++) if ($i == "ReasmOKs") c = i }
		/^Ip: [0-9]/ { v4 = $c } /^Ip6ReasmOKs/ { v6 = $2 } END { print v4 + 0, v6 + 0 }' \
		/proc/net/snmp /proc/net/snmp6
}

# trial OUT: receivers in r and b, every flow sent; "TAG=COUNT/MAXLEN"
# per flow into OUT, in the order of BIG then SMALL.
trial()
{
	local rr rb t before
	timeout 60 ip netns exec "$NS_R" "$UDPFLOW" recv -t 50 53 54 >"$T_DIR/recv.r" &
	rr=$!
	timeout 60 ip netns exec "$NS_B" "$UDPFLOW" recv -t 50 53 54 >"$T_DIR/recv.b" &
	rb=$!
	T_PIDS+=("$rr" "$rb")
	for i in $(seq 1 50); do
		[ "$(in_r ss -Huln | grep -c ':5[34] ')" -ge 2 ] &&
			[ "$(in_b ss -Huln | grep -c ':5[34] ')" -ge 2 ] && break
		sleep 0.1
	done
	before=$(reasm "$NS_R")
	send 53 3000 r4-53 r6-53 b4-53 b6-53
	send 54 3000 r4-54 r6-54 b4-54 b6-54
	send 53 0 "${SMALL[@]}"
	sleep 0.5
	kill -TERM "$rr" "$rb"
	wait "$rr" "$rb"
	REASM_R="$before -> $(reasm "$NS_R")"
	for t in "${BIG[@]}" "${SMALL[@]}"; do
		awk -v t="$t" '$1 == t { n = $2; m = $3 } END { printf "%s=%d/%d\n", t, n, m }' \
			"$T_DIR/recv.${t:0:1}"
	done >"$1"
}

# counts TEXT: "COMMENT=PACKETS/BYTES" of each rule with a comment
counts()
{
	printf '%s\n' "$1" |
		sed -n 's/.*counter packets \([0-9]*\) bytes \([0-9]*\).*comment "\([^"]*\)".*/\3=\1\/\2/p' |
		sort
}

# compare WHAT FILE_NFT FILE_BW: the same lines
compare()
{
	if cmp -s "$2" "$3"; then
		t_ok "$1: bpfwall as nft ($(tr '\n' ' ' <"$2"))"
	else
		t_bad "$1: bpfwall differs from nft"
		paste -d ' ' "$2" "$3" | awk '{ printf "  nft %-18s bpfwall %-18s%s\n", $1, $2,
			$1 != $2 ? "<- differs" : "" }'
	fi
}

# expect WHAT FILE TAG=VALUE...: those lines are in FILE
expect()
{
	local what=$1 file=$2 w
	shift 2
	for w in "$@"; do
		grep -qxF "$w" "$file" && t_ok "$what: $w" ||
			t_bad "$what: $(grep "^${w%%=*}=" "$file") (want $w)"
	done
}

# --- without a ruleset: everything arrives, and the big ones in pieces
trial "$T_DIR/none.res"
expect "no ruleset" "$T_DIR/none.res" r4-53=5/3000 r6-54=5/3000 b4-53=5/3000 b6-54=5/3000
case $REASM_R in
"0 0 -> 10 10") t_ok "no ruleset: r reassembled its 10 IPv4 and 10 IPv6 datagrams" ;;
*) t_bad "no ruleset: datagrams reassembled in r: $REASM_R (want 0 0 -> 10 10)" ;;
esac

for conf in noct ct; do
	file=${!conf}
	# nft
	out=$(in_r nft -f "$file" 2>&1) || t_fatal "nft -f $conf.conf: $out"
	trial "$T_DIR/$conf.nft"
	counts "$(in_r nft list table inet filter)" >"$T_DIR/$conf.nft.cnt"
	in_r nft delete table inet filter
	# bpfwall
	out=$(bw_r -f "$file" 2>&1) || t_fatal "bpfwall -f $conf.conf: $out"
	trial "$T_DIR/$conf.bw"
	counts "$(bw_r list ruleset)" >"$T_DIR/$conf.bw.cnt"
	out=$(bw_r flush ruleset 2>&1) || t_bad "bpfwall flush ruleset: $out"

	compare "$conf: deliveries" "$T_DIR/$conf.nft" "$T_DIR/$conf.bw"
	compare "$conf: counters" "$T_DIR/$conf.nft.cnt" "$T_DIR/$conf.bw.cnt"
	for who in nft bw; do
		# IPv4 input: reassembled before the hook, in both rulesets
		expect "$conf, $who, input" "$T_DIR/$conf.$who" \
			r4-53=5/3000 r4-54=0/0 r6-54=0/0 b4-54=0/0 b6-54=0/0
		if [ "$conf" = ct ]; then
			expect "$conf, $who, reassembled" "$T_DIR/$conf.$who" \
				r6-53=5/3000 b4-53=5/3000 b6-53=5/3000
		else
			expect "$conf, $who, fragment by fragment" "$T_DIR/$conf.$who" \
				r6-53=0/0 b4-53=0/0 b6-53=0/0
		fi
		grep -qx 'b4-53s=5/.*' "$T_DIR/$conf.$who" && grep -qx 'b6-53s=5/.*' "$T_DIR/$conf.$who" &&
			grep -qx 'r4-53s=5/.*' "$T_DIR/$conf.$who" &&
			t_ok "$conf, $who: the small datagrams arrive" ||
			t_bad "$conf, $who: small datagrams: $(grep s= "$T_DIR/$conf.$who" | tr '\n' ' ')"
	done
done
t_done
