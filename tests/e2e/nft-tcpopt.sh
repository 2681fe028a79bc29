#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# TCP options in nf_tables, with traffic through a router: r's forward
# chain (loaded by bpfwall, so it goes to nf_tables) clamps the MSS of the
# SYNs from a to b with `tcp option maxseg size set 1200` and counts the
# SYNs whose MSS option says 1460, whose SACK-permitted option exists and
# that have no MD5 option; b counts, with nft itself, the SYNs that arrive
# with an MSS of 1200.  The connections still work.
T_NAME=nfttcpopt
T_TIMEOUT=${T_TIMEOUT:-120}
# shellcheck source=../lib/bwtest.sh
. "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/lib/bwtest.sh"

t_require_root
command -v nft >/dev/null 2>&1 || t_skip "needs nft (b's counter)"
command -v socat >/dev/null 2>&1 || t_skip "needs socat"
t_setup_router
in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"

rules=$(t_rules tcpopt.conf <<'EOF2'
table inet t {
	chain forward {
		type filter hook forward priority filter; policy accept;
		tcp dport 5201 tcp option maxseg size 1460 counter
		tcp dport 5201 tcp option sack-perm exists counter
		tcp dport 5201 tcp option md5sig missing counter
		tcp dport 5201 tcp flags syn tcp option maxseg size set 1200
	}
}
EOF2
)
out=$(bw_r -f "$rules" 2>&1) || t_fatal "bpfwall -f tcpopt.conf: $out"
case $(in_r nft list table inet bpfwall 2>&1) in
*"tcp option maxseg size set 1200"*) t_ok "nft lists r's rules in nf_tables" ;;
*) t_bad "r's rules are not in nf_tables: $(in_r nft list ruleset 2>&1 | head -n 20)" ;;
esac
in_b nft -f - <<'EOF2' || t_fatal "cannot load b's counter"
table inet obs {
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 5201 tcp flags syn tcp option maxseg size 1200 counter
		tcp dport 5201 tcp flags syn tcp option maxseg size 1460 counter
	}
}
EOF2
t_tcp_server "$NS_B" "$IP_B" 5201
ok=0
for i in 1 2 3; do
	out=$(timeout 5 ip netns exec "$NS_A" socat -u "TCP4:$IP_B:5201,connect-timeout=2" - 2>/dev/null)
	[ "$out" = "bw-hello 5201" ] && ok=$((ok + 1))
done
t_check "three connections through r work ($ok)" test "$ok" = 3
list=$(bw_r list ruleset 2>&1)
# the SYNs (3, more if one was sent again): they alone carry MSS and
# SACK-permitted options; every segment lacks an MD5 option
syns=$(list_counter "$list" "tcp option maxseg size 1460 counter" | cut -d' ' -f1)
sack=$(list_counter "$list" "tcp option sack-perm exists counter" | cut -d' ' -f1)
nomd5=$(list_counter "$list" "tcp option md5sig missing counter" | cut -d' ' -f1)
t_check "r: maxseg size 1460 counted the SYNs (${syns:-none})" test "${syns:-0}" -ge 3
t_check "r: sack-perm exists counted the same (${sack:-none})" test "${sack:-x}" = "${syns:-y}"
t_check "r: md5sig missing counted more, every segment (${nomd5:-none})" \
	test "${nomd5:-0}" -gt "${syns:-0}"
b=$(in_b nft list table inet obs 2>&1)
c1200=$(printf '%s\n' "$b" | sed -n 's/.*maxseg size 1200 counter packets \([0-9]*\).*/\1/p')
c1460=$(printf '%s\n' "$b" | sed -n 's/.*maxseg size 1460 counter packets \([0-9]*\).*/\1/p')
t_check "b: those SYNs arrive with an MSS of 1200 (${c1200:-none})" test "${c1200:-x}" = "${syns:-y}"
t_check "b: none with 1460 (${c1460:-none})" test "${c1460:-x}" = 0
out=$(bw_r flush ruleset 2>&1) || t_bad "flush: $out"
t_done
