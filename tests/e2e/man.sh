#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The manual describes what exists: every long option `bpfwall --help`
# lists is in bpfwall.8 and every option bpfwall.8 documents is accepted
# by --help; every command --help lists is in bpfwall.8; the drop reasons
# of bpfwall.conf.5 are the ones bpfwall names; every field of the fields
# table, every set type, every keyword of the language and every packet
# word is named in the page that documents it; and the examples of
# bpfwall.conf.5 (the blocks after a `.\" test: example` line) pass
# `bpfwall -c` and, as root, `nft -c`; and the forms the pages say are
# refused (the list of claims below) are refused.
T_NAME="man"
. "$(dirname "$0")/../lib/bwtest.sh"
t_init
man8="$T_SRCDIR/man/bpfwall.8"
man5="$T_SRCDIR/man/bpfwall.conf.5"
[ -f "$man8" ] || t_fatal "no $man8"
[ -f "$man5" ] || t_fatal "no $man5"

# The text of a page on one line: font escapes, quotes and line breaks
# gone, \- as -, runs of blanks as one space.
flat()
{
	sed 's/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g; s/"//g' "$1" | tr '\n\t' '  ' |
		tr -s ' '
}
text8=$(flat "$man8")
text5=$(flat "$man5")

help=$("$BPFWALL" --help 2>&1)
help_opts=$(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u)
# In the man page options are written \-\-name or \fB\-\-name\fR.
man_opts=$(sed 's/\\-/-/g' "$man8" | grep -o -- '--[a-z][a-z-]*' | sort -u)
for o in $help_opts; do
	printf '%s\n' "$man_opts" | grep -qx -- "$o" && t_ok "bpfwall.8 documents $o" ||
		t_bad "bpfwall.8 does not document $o (in --help)"
done
for o in $man_opts; do
	printf '%s\n' "$help_opts" | grep -qx -- "$o" && t_ok "--help lists $o" ||
		t_bad "bpfwall.8 documents $o, which --help does not list"
done

# Commands: the lowercase words of each usage line of --help
# ("add element", "trace"), after the options and their arguments.
while read -r cmd; do
	[ -n "$cmd" ] || continue
	case " $text8 " in
	*" $cmd "*) t_ok "bpfwall.8 documents the command $cmd" ;;
	*) t_bad "bpfwall.8 does not document the command \"$cmd\" (in --help)" ;;
	esac
done < <(printf '%s\n' "$help" | sed -n 's/^  bpfwall \[OPTIONS\] //p' |
	awk '{ c = ""; for (i = 1; i <= NF; i++) {
		if ($i ~ /^[a-z]+$/) c = c (c == "" ? "" : " ") $i
		else if (c != "") break
	} print c }')

for r in eth-truncated vlan-depth ipv4-malformed ipv6-malformed ipv6-ext-depth \
	fragment-bad l4-truncated tcp-malformed sctp-chunks; do
	sed 's/\\-/-/g' "$man5" | grep -q -- "$r" && t_ok "bpfwall.conf.5 lists $r" ||
		t_bad "bpfwall.conf.5 does not list the drop reason $r"
done

# Every field of compiler/front/fields.c, as "proto name".
fields=$(grep -o 'ROW(BW_F_[A-Z0-9_]*, *"[a-z0-9]*", *"[a-z0-9-]*"' \
	"$T_SRCDIR/compiler/front/fields.c" | sed 's/.*, *"\([a-z0-9]*\)", *"\([a-z0-9-]*\)"/\1 \2/' |
	sort -u)
[ -n "$fields" ] || t_bad "no fields found in compiler/front/fields.c"
while read -r f; do
	case " $text5 " in
	*" $f "*) t_ok "bpfwall.conf.5 documents $f" ;;
	*) t_bad "bpfwall.conf.5 does not document the field $f (compiler/front/fields.c)" ;;
	esac
done <<<"$fields"

# Every set type name of compiler/front/sets.c.
types=$(sed -n '/set_types\[\] = {/,/^};/p' "$T_SRCDIR/compiler/front/sets.c" |
	grep -o '{ "[a-z0-9_]*"' | sed 's/{ "\(.*\)"/\1/')
[ -n "$types" ] || t_bad "no set types found in compiler/front/sets.c"
for t in $types; do
	case " $text5 " in
	*" $t "* | *" $t, "* | *" $t. "*) t_ok "bpfwall.conf.5 documents set type $t" ;;
	*) t_bad "bpfwall.conf.5 does not document the set type $t (compiler/front/sets.c)" ;;
	esac
done

# Every keyword of the language (grammar/scanner.l) but the statements
# that are errors (UNSUP) and the meta keys (checked as fields above).
keywords=$(sed -n '/^static const struct keyword keywords\[\] = {/,/^};/p' \
	"$T_SRCDIR/grammar/scanner.l" | grep -v 'UNSUP\|METAKEY' |
	grep -o '{ "[a-z]*"' | sed 's/{ "\(.*\)"/\1/')
[ -n "$keywords" ] || t_bad "no keywords found in grammar/scanner.l"
for k in $keywords; do
	printf '%s\n' "$text5" | grep -qw -- "$k" && t_ok "bpfwall.conf.5 uses the keyword $k" ||
		t_bad "bpfwall.conf.5 does not mention the keyword $k (grammar/scanner.l)"
done

# Every packet word of trace (compiler/front/pktspec.c), as "packet WORD".
words=$(grep -o '\.proto = "packet", \.name = "[a-z-]*"' "$T_SRCDIR/compiler/front/pktspec.c" |
	sed 's/.*\.name = "\(.*\)"/\1/')
[ -n "$words" ] || t_bad "no packet words found in compiler/front/pktspec.c"
for w in $words; do
	case " $text8 " in
	*" packet $w "*) t_ok "bpfwall.8 documents packet $w" ;;
	*) t_bad "bpfwall.8 does not document the packet word $w (compiler/front/pktspec.c)" ;;
	esac
done

# The examples of bpfwall.conf.5: bpfwall -c, and nft -c in a throwaway
# network namespace with the devices the example names.
nft_ok=
if [ "$(id -u)" -eq 0 ] && command -v nft >/dev/null 2>&1 &&
	command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1; then
	nft_ok=1
else
	echo "note: not root or no nft: nft -c checks of the examples skipped"
fi
awk -v dir="$T_DIR" '
	/^\.\\" test: example/ { want = 1; n++; next }
	want && /^\.nf/ { want = 0; in_ex = 1; next }
	in_ex && /^\.fi/ { in_ex = 0; close(f); next }
	in_ex { f = dir "/example" n ".conf"; print > f }
' "$man5"
n=0
for f in "$T_DIR"/example*.conf; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	sed -i 's/\\-/-/g; s/\\e/\\/g; s/\\&//g' "$f"
	name="bpfwall.conf.5 $(basename "$f" .conf)"
	out=$("$BPFWALL" -c -f "$f" 2>&1)
	[ $? -eq 0 ] && t_ok "bpfwall -c: $name" || t_bad "bpfwall -c: $name: $out"
	if [ -n "$nft_ok" ]; then
		script="" i=0
		for d in $(grep -o 'device "[^"]*"' "$f" | sed 's/device "\(.*\)"/\1/' | sort -u); do
			i=$((i + 1))
			script="$script ip link add '$d' type veth peer name bwtmanp$i &&"
		done
		out=$(timeout 30 unshare -n sh -c "$script nft -c -f '$f'" 2>&1)
		[ $? -eq 0 ] && t_ok "nft -c: $name" || t_bad "nft -c: $name: $out"
	fi
done
[ "$n" -ge 1 ] && t_ok "$n examples in bpfwall.conf.5" ||
	t_bad "no example marked for testing in bpfwall.conf.5"

# What the pages say is refused is refused.  Each line: the page (5:
# bpfwall.conf.5, 8: bpfwall.8, i: bpfwall-iptables.8), a phrase of the
# claim (as the page reads once flattened: macros, fonts and quotes gone,
# no blank before , . ; : ) nor after ( ), where the form goes and the
# form.  A form bpfwall comes to accept means the sentence went stale: fix
# the page and drop the line; a phrase the page no longer has means the
# claim left it: drop the line too.  Where: inet (an inet input chain, with the sets
# svc, ds, the verdict map vm and the map of marks dm), pre (inet prerouting, priority -150),
# xdp (inet input under --ip-hooks xdp), nat (ip nat prerouting), netdev
# (netdev ingress on lo), bridge (bridge forward), arp (arp input), table
# (a declaration in an inet table), json (a rule's expr list in nft's
# JSON), jsontop (an object of nft's JSON list), cmd (bpfwall's words,
# which must fail: exit 1 or 2), ipt (a rule of an iptables-restore
# filter table, traced).  claim_try: 0 accepted, 1 refused, 2 not
# checkable here.
claims_flat()
{
	sed 's/^\.[A-Za-z]*$//; s/^\.[A-Za-z]* //; s/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g; s/\\(lq//g; s/\\(rq//g; s/\\(em/-/g; s/\\ / /g; s/"//g' "$1" |
		tr '\n\t' '  ' | tr -s ' ' | sed 's/ \([,.;:)]\)/\1/g; s/( /(/g'
}
claim_text5=$(claims_flat "$man5")
claim_text8=$(claims_flat "$man8")
claim_texti=$(claims_flat "$T_SRCDIR/man/bpfwall-iptables.8")
claim_try()
{
	local where=$1 form=$2 f="$T_DIR/claim.conf" opt=()
	case $where in
	inet | xdp | pre | table)
		local hook="type filter hook input priority 0;" rule=$form decl=
		[ "$where" = pre ] && hook="type filter hook prerouting priority -150;"
		[ "$where" = xdp ] && opt=(--ip-hooks xdp)
		[ "$where" = table ] && rule="accept" decl=$form
		printf 'table inet t {\n set svc { type inet_service; }\n set ds { type ipv4_addr; flags dynamic; }\n map vm { type ipv4_addr : verdict; flags dynamic; }\n map dm { type ipv4_addr : mark; }\n %s\n chain c {\n  %s\n  %s\n }\n}\n' \
			"$decl" "$hook" "$rule" >"$f" ;;
	nat) printf 'table ip t {\n chain c {\n  type nat hook prerouting priority -100;\n  %s\n }\n}\n' "$form" >"$f" ;;
	netdev) printf 'table netdev t {\n chain c {\n  type filter hook ingress device "lo" priority 0;\n  %s\n }\n}\n' "$form" >"$f" ;;
	bridge) printf 'table bridge t {\n chain c {\n  type filter hook forward priority 0;\n  %s\n }\n}\n' "$form" >"$f" ;;
	arp) printf 'table arp t {\n chain c {\n  type filter hook input priority 0;\n  %s\n }\n}\n' "$form" >"$f" ;;
	json | jsontop)
		f="$T_DIR/claim.json" opt=(-j)
		if [ "$where" = json ]; then
			printf '{"nftables": [{"table": {"family": "inet", "name": "t"}}, {"chain": {"family": "inet", "table": "t", "name": "c", "type": "filter", "hook": "input", "prio": 0, "policy": "accept"}}, {"rule": {"family": "inet", "table": "t", "chain": "c", "expr": %s}}]}\n' "$form" >"$f"
		else
			printf '{"nftables": [{"table": {"family": "inet", "name": "t"}}, %s]}\n' "$form" >"$f"
		fi ;;
	cmd)
		# refused: exit 1 or 2; a capture runs in a network namespace of
		# its own (as root), bounded, a pin dir that is not there
		local pre=()
		if [ "${form%% *}" = capture ]; then
			[ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null 2>&1 || return 2
			pre=(timeout 10 unshare -n)
		fi
		# shellcheck disable=SC2086
		"${pre[@]}" "$BPFWALL" --pin-dir "$T_DIR/no-pin" $form >/dev/null 2>&1
		case $? in 1 | 2) return 1 ;; *) return 0 ;; esac ;;
	ipt)
		printf '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n%s\nCOMMIT\n' "$form" >"$T_DIR/claim.v4"
		"$BPFWALL" --interp -f "$T_DIR/claim.v4" trace ingress tcp dport 22 >/dev/null 2>&1
		return ;;
	*) t_bad "claims: unknown place $where"; return 1 ;;
	esac
	"$BPFWALL" "${opt[@]}" -c -f "$f" >/dev/null 2>&1
}
nclaims=0
while IFS='|' read -r page phrase where form; do
	case $page in '' | '#'*) continue ;; esac
	nclaims=$((nclaims + 1))
	case $page in
	5) text=$claim_text5 name=bpfwall.conf.5 ;;
	8) text=$claim_text8 name=bpfwall.8 ;;
	i) text=$claim_texti name=bpfwall-iptables.8 ;;
	esac
	case $text in
	*"$phrase"*) ;;
	*) t_bad "claims: $name no longer says \"$phrase\": drop its line from man.sh"; continue ;;
	esac
	claim_try "$where" "$form"
	case $? in
	0) t_bad "claims: $name says \"$phrase\", but bpfwall accepts $form ($where): the sentence is stale" ;;
	2) echo "note: not root or no unshare: claim not checked: $form" ;;
	*) t_ok "claims: $name \"$phrase\": $form is refused" ;;
	esac
done <<'CLAIMS'
5|is an error in this family (no connection tracking of bridged frames)|bridge|ct state established
5|mark is not supported yet)|inet|fib saddr . mark oif exists
5|Not supported (errors): a raw payload in a set's type (typeof @th,16,16)|table|set x { typeof @th,16,16; }
5|bits off byte boundaries that span more than 8 bytes|inet|@th,3,70 1
5|Not yet: the fields of routing header types 0 and 2|inet|rt0 addr[1] 2001:db8::1
5|Not supported: setting another option field (an error)|inet|tcp option window count set 3
5|Not supported yet: ct secmark (an error)|inet|ct secmark 1
5|Setting other fields (meta nftrace set, meta broute set,...) is not supported yet|inet|meta nftrace set 1
5|Setting other fields (meta nftrace set, meta broute set,...) is not supported yet|bridge|meta broute set 1
5|Not supported yet: meta ibrhwaddr and meta broute set|bridge|meta ibrhwaddr 00:11:22:33:44:55
5|anything but a constant or a field with a mask|inet|ct mark set ct mark | (ip dscp << 2)
5|which nft 1.0.6 refuses too|inet|ip dscp set ip ecn
5|which nft 1.0.6 refuses too|inet|ip ttl set ip ttl ^ 1
5|add @map { KEY: VERDICT } is not supported)|inet|add @vm { ip saddr : accept }
5|Not supported: a value that is an expression|inet|add @dm { ip saddr : meta mark | 0x1 }
5|a field that needs a protocol|inet|add @dm { ip saddr : ip daddr }
5|the kernel refuses a rule's delete from a map|inet|delete @dm { ip saddr }
5|in the statement on a set without timeouts is an error|inet|add @ds { ip saddr timeout 10s }
5|(bpfwall's sets have none) is an error|inet|add @ds { ip saddr counter }
5|a rule has at most one counter (nft allows several)|inet|counter counter
5|and no ct keys but state|xdp|ct mark 1
5|is an error in a netdev table|netdev|ct state new
5|a set that rules add to, which bpfwall has|inet|meter m { ip saddr limit rate 1/second }
5|in a set without timeouts an error, as the kernel's EINVAL in nft|table|set st { type ipv4_addr; elements = { 192.0.2.1 timeout 10s } }
5|gc-interval without timeouts is an error|table|set st { type ipv4_addr; gc-interval 5s; }
5|keys (such as meta nftrace, meta secmark, socket cgroupv2)|inet|meta nftrace 1
5|keys (such as meta nftrace, meta secmark, socket cgroupv2)|inet|meta secmark 1
5|keys (such as meta nftrace, meta secmark, socket cgroupv2)|inet|socket cgroupv2 level 1 "user.slice"
5|(such as the routing header types rt0 and rt2) are errors|inet|rt2 addr 2001:db8::1
8|statements other than those listed above (meter|json|[{"meter": {"name": "m", "key": {"payload": {"protocol": "ip", "field": "saddr"}}, "stmt": {"limit": {"rate": 1, "per": "second"}}}}]
8|e.g. secmark)|jsontop|{"secmark": {"family": "inet", "table": "t", "name": "s", "context": "system_u:object_r:ssh_server_packet_t:s0"}}
8|on the left of a match (numgen, jhash)|json|[{"match": {"op": "==", "left": {"numgen": {"mode": "inc", "mod": 2, "offset": 0}}, "right": 0}}]
8|commands other than add and flush ruleset (delete|jsontop|{"delete": {"table": {"family": "inet", "name": "t"}}}
8|a set needs its type (JSON carries no typeof)|jsontop|{"set": {"family": "inet", "table": "t", "name": "s"}}
8|Neither has a JSON form yet|cmd|-j list counters
i|is refused in OUTPUT and POSTROUTING|ipt|-A OUTPUT -m addrtype --limit-iface-in --dst-type LOCAL -j ACCEPT
i|In INPUT and FORWARD refused with status 4|ipt|-A INPUT -m owner --uid-owner 0 -j ACCEPT
i|is refused (status 2), not passed|ipt|-A INPUT -j SET --add-set s src
i|xt_helper matches the helper of the connection's master|ipt|-A INPUT -m helper --helper ftp -j ACCEPT
i|a negated /0 never matches|ipt|-A INPUT -m conntrack ! --ctorigsrc 0.0.0.0/0 -j ACCEPT
i|nf_tables' expiration holds milliseconds in 32 bits|ipt|-A INPUT -m conntrack --ctexpire 4294968 -j ACCEPT
i|it types a tuple's port by a protocol known before it|ipt|-A INPUT -m conntrack --ctorigsrcport 80 -j ACCEPT
i|with SNAT or DNAT among other states|ipt|-A INPUT -m conntrack --ctstate SNAT,NEW -j ACCEPT
i|cannot be traced from a file|ipt|-A INPUT -m set --match-set s src -j ACCEPT
5|and the rt keys are errors at the rule|netdev|rt classid 1
5|in a netdev chain meta ipsec, meta sdif, meta sdifname and the rt|netdev|meta sdif 1
5|Stays an error in a netdev chain: what nft's netdev family does not have|netdev|socket transparent 1
5|Stays an error in a netdev chain: what nft's netdev family does not have|netdev|ipsec in reqid 1
5|Stays an error in a netdev chain: what nft's netdev family does not have|netdev|notrack
5|and what bpfwall does not hand to that family (not written yet)|netdev|queue num 1
5|and what bpfwall does not hand to that family (not written yet)|netdev|fib daddr type local accept
5|and what bpfwall does not hand to that family (not written yet)|netdev|meta sdifname "x"
5|and what bpfwall does not hand to that family (not written yet)|netdev|meta ipsec exists
5|and what bpfwall does not hand to that family (not written yet)|netdev|osf name "Linux"
5|and what bpfwall does not hand to that family (not written yet)|netdev|tcp option maxseg exists
5|and what bpfwall does not hand to that family (not written yet)|netdev|tcp option maxseg size set 1300
5|and what bpfwall does not hand to that family (not written yet)|netdev|reset tcp option sack-perm
5|and what bpfwall does not hand to that family (not written yet)|netdev|log group 1
5|and what bpfwall does not hand to that family (not written yet)|netdev|log flags all
5|and reject are errors in an arp table|arp|ip saddr 192.0.2.1
5|and reject are errors in an arp table|arp|reject
5|are refused in a concatenation (nft 1.0.6 cannot list such a set|inet|ipsec in reqid . ip saddr { 1 . 192.0.2.1 }
5|a comparison that can never hold is an error|inet|tcp dport < 0
5|A statement after the verdict is an error|inet|accept counter
5|of another type in the same rule it is an error|inet|icmp type destination-unreachable icmp id 1
8|What a packet does not carry is an error|cmd|capture meta skuid 0 -c 1
8|What a packet does not carry is an error|cmd|capture ct state new -c 1
5|Flags with a computed address are not supported yet|nat|dnat to numgen inc mod 2 map { 0 : 192.0.2.1, 1 : 192.0.2.2 } persistent
CLAIMS
[ "$nclaims" -ge 40 ] && t_ok "$nclaims refusal claims checked" ||
	t_bad "only $nclaims refusal claims checked"

if command -v groff >/dev/null 2>&1; then
	for m in "$man8" "$man5"; do
		w=$(groff -man -Tutf8 -ww -z "$m" 2>&1)
		[ -z "$w" ] && t_ok "groff: no warnings in $(basename "$m")" ||
			t_bad "groff warnings in $(basename "$m"): $w"
	done
fi
t_done
