#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# ipsec (nft's xfrm expression, handed to nf_tables with its chain).  This
# kernel has no IPsec transform (CONFIG_INET_ESP, INET_AH, INET_IPCOMP and
# IPV6_MIP6 are unset: `ip xfrm state add` refuses every protocol), so no
# packet can carry a secpath or take an xfrm route here; what can be shown
# with traffic is the kernel's rule for a packet without one: every ipsec
# match breaks, `!=` included (nft_xfrm's NFT_BREAK), in both directions.
# Namespace a sends UDP to b; b's input and output chains count.  The
# same file through nft -f gives the same counts; the rules bpfwall
# committed are in b's nf_tables, listed as written, and gone after flush.
# When an xfrm state can be made (a kernel with ESP), the test says so:
# it still checks only the no-secpath case.
T_NAME=nftxfrm
T_TIMEOUT=${T_TIMEOUT:-150}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_nft_pair

rules=$(t_rules xfrm.conf <<'EOF2'
table inet t {
	chain inp {
		type filter hook input priority filter; policy accept;
		udp dport 5030 ipsec in reqid 7 counter drop
		udp dport 5030 ipsec in spi != 5 counter drop
		udp dport 5030 ipsec in spnum 1 ip saddr 192.0.2.1 counter drop
		udp dport 5030 ipsec in reqid vmap { 7 : drop, 8 : drop }
		udp dport 5030 counter accept
	}

	chain outp {
		type filter hook output priority filter; policy accept;
		udp sport 5030 ipsec out reqid != 7 counter drop
		udp sport 5030 ipsec out ip daddr 192.0.2.0/24 counter drop
		udp sport 5030 counter
	}
}
EOF2
)
t_udp_server "$NS_B" "$IP_B" 5030

# run LIST-CMD: 3 exchanges from a; prints the six counters and how
# many were answered
run()
{
	local i ok=0 list
	for i in 1 2 3; do
		udp_from "$NS_A" "$IP_A" "$IP_B" 5030 && ok=$((ok + 1))
	done
	list=$($1 2>&1)
	printf '%s %s %s %s %s %s answered=%s\n' \
		"$(list_counter "$list" "reqid 7 counter" | cut -d' ' -f1)" \
		"$(list_counter "$list" "spi != 5 counter" | cut -d' ' -f1)" \
		"$(list_counter "$list" "spnum 1 ip saddr" | cut -d' ' -f1)" \
		"$(list_counter "$list" "dport 5030 counter" | cut -d' ' -f1)" \
		"$(list_counter "$list" "reqid != 7 counter" | cut -d' ' -f1)" \
		"$(list_counter "$list" "sport 5030 counter" | cut -d' ' -f1)" "$ok"
}

out=$(bw_b -f "$rules" 2>&1) || t_fatal "bpfwall -f xfrm.conf: $out"
kern=$(in_b nft list ruleset 2>&1)
t_check "the ipsec rules are in b's nf_tables, as written" \
	grep -qF "ipsec in spnum 1 ip saddr 192.0.2.1 counter" <<<"$kern"
t_check "ipsec out listed by the kernel too" \
	grep -qF "ipsec out ip daddr 192.0.2.0/24 counter" <<<"$kern"
list=$(bw_b list ruleset 2>&1)
t_check "bpfwall lists the vmap in nft's form" \
	grep -qF "ipsec in reqid vmap { 7 : drop, 8 : drop }" <<<"$list"
got=$(run "bw_b list ruleset")
want="0 0 0 3 0 3 answered=3"
t_check "no secpath, no xfrm route: no ipsec match holds, != neither ($got)" \
	test "$got" = "$want"
out=$(bw_b flush ruleset 2>&1) || t_fatal "flush: $out"
t_check "flush ruleset removes the nf_tables table" \
	test -z "$(in_b nft list ruleset 2>&1)"
out=$(in_b nft -f "$rules" 2>&1) || t_fatal "nft -f xfrm.conf: $out"
nft_got=$(run "in_b nft list ruleset")
in_b nft flush ruleset
t_check "nft -f of the same file gives the same counts ($nft_got)" test "$nft_got" = "$got"
if in_a ip xfrm state add src "$IP_A" dst "$IP_B" proto esp spi 0x1001 reqid 7 \
	mode transport enc 'cbc(aes)' 0x0123456789abcdef0123456789abcdef \
	auth 'hmac(sha256)' 0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
	>/dev/null 2>&1; then
	echo "note: this kernel has ESP: a test of ipsec in reqid on decapsulated traffic could run here"
fi
t_done
