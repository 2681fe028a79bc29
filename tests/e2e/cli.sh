#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The command line: -c exit codes and messages, -d source lines above the
# instructions, trace (text and -j, kernel and --interp, packet words),
# usage errors (2), add and delete element.
# Runs without root; the kernel trace parts and add/delete element (a
# ruleset loaded in namespaces of the test's own) need root and are
# skipped otherwise.
T_NAME=cli
. "$(dirname "$0")/../lib/bwtest.sh"
t_init

good=$(t_rules good.conf <<'EOF2'
define web = { 80, 443 }
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		ip saddr 198.51.100.7 tcp dport 22 counter drop
		tcp dport $web accept
		udp dport 53 drop
	}
	chain out {
		type filter hook egress device "veth0" priority 0; policy accept;
		ip daddr 203.0.113.9 drop
	}
}
EOF2
)
bad=$(t_rules bad.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "veth0" priority 0; policy accept;
		tcp dport 70000 drop
	}
}
EOF2
)

# -c
out=$("$BPFWALL" -c -f "$good" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then t_ok "-c -f good file: exit 0"; else t_bad "-c -f good file: exit $rc: $out"; fi
out=$("$BPFWALL" -c -f "$bad" 2>&1)
rc=$?
if [ "$rc" -eq 1 ]; then t_ok "-c -f bad file: exit 1"; else t_bad "-c -f bad file: exit $rc, want 1"; fi
if printf '%s\n' "$out" | grep -Eq "bad\.conf:4:[0-9]+(-[0-9]+)?: Error: "; then
	t_ok "-c error names file:line:col"
else
	t_bad "-c error message lacks bad.conf:4:COL: Error: ($out)"
fi
if printf '%s\n' "$out" | grep -q '\^'; then
	t_ok "-c error has a caret line"
else
	t_bad "-c error has no caret line ($out)"
fi
"$BPFWALL" -c -f "$T_DIR/does-not-exist.conf" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 1 ] && t_ok "-c -f missing file: exit 1" || t_bad "-c -f missing file: exit $rc, want 1"

# -d: every rule's source line above its instructions
out=$("$BPFWALL" -d -f "$good" 2>&1)
rc=$?
[ "$rc" -eq 0 ] && t_ok "-d: exit 0" || t_bad "-d: exit $rc: $out"
for rule in "ip saddr 198.51.100.7 tcp dport 22 counter drop" \
	"udp dport 53 drop" "ip daddr 203.0.113.9 drop"; do
	# the line naming the rule, then an instruction line "NNNN: ..."
	after=$(printf '%s\n' "$out" | grep -F -A1 -- "$rule" | sed -n 2p)
	if printf '%s\n' "$out" | grep -Fq -- "$rule" &&
		printf '%s\n' "$after" | grep -Eq '^[[:space:]]*[0-9]+:'; then
		t_ok "-d prints \"$rule\" above its instructions"
	else
		t_bad "-d: no source line \"$rule\" followed by an instruction (next line: $after)"
	fi
done
if printf '%s\n' "$out" | grep -Eq 'good\.conf:5'; then
	t_ok "-d names file:line"
else
	t_bad "-d output does not name good.conf:5"
fi
if printf '%s\n' "$out" | grep -Eq '(\bexit\b)'; then
	t_ok "-d shows instructions (exit)"
else
	t_bad "-d shows no exit instruction"
fi

# -d: then the audit hook a load would choose (auto here: bwtest.sh sets
# BPFWALL_AUDIT=off), and its programs
out=$(BPFWALL_AUDIT=auto "$BPFWALL" -d -f "$good" 2>&1)
if printf '%s\n' "$out" | grep -Eq '^# audit: (cgroup connect4/connect6|kprobe tcp_v4_connect)' &&
	printf '%s\n' "$out" | grep -Eq '^# hook audit \((connect4|kprobe)\)' &&
	printf '%s\n' "$out" | grep -Eq '^# program bw_(connect4|kprobe) '; then
	t_ok "-d names the audit hook and disassembles it"
else
	t_bad "-d: no \"# audit:\" line or audit program"
fi
out=$("$BPFWALL" -d --audit cgroup -f "$good" 2>&1)
if printf '%s\n' "$out" | grep -q '^# audit: cgroup connect4/connect6$' &&
	[ "$(printf '%s\n' "$out" | grep -Ec '^# program bw_connect[46] ')" -eq 2 ] &&
	printf '%s\n' "$out" | sed -n '/^# program bw_connect4 /,/^# program bw_connect6 /p' | grep -Fq 'ip daddr 203.0.113.9 drop'; then
	t_ok "-d --audit cgroup: connect4 and connect6 with the egress rule"
else
	t_bad "-d --audit cgroup: $(printf '%s\n' "$out" | grep '^# ')"
fi
out=$("$BPFWALL" -d --audit off -f "$good" 2>&1)
if [ $? -eq 0 ] && ! printf '%s\n' "$out" | grep -Eq '^# (audit|hook audit)'; then
	t_ok "-d --audit off: no audit hook"
else
	t_bad "-d --audit off prints an audit hook"
fi

# trace: text and JSON, interpreter and (as root) kernel
json_verdict()
{
	# last line: {"verdict": V, "rule": ...}
	printf '%s\n' "$1" | tail -n 1 | grep -Eq "\"verdict\" *: *\"$2\""
}
json_rule()
{
	local last
	last=$(printf '%s\n' "$1" | tail -n 1)
	if [ "$2" = null ]; then
		printf '%s\n' "$last" | grep -Eq '"rule" *: *null'
	else
		printf '%s\n' "$last" | grep -Eq "\"rule\" *: *\{[^}]*\"line\" *: *$2[,} ]" &&
			printf '%s\n' "$last" | grep -Eq '"file" *: *"[^"]*good\.conf"' &&
			printf '%s\n' "$last" | grep -Eq '"handle" *: *[0-9]+'
	fi
}
modes="--interp"
if [ "$(id -u)" -eq 0 ]; then
	modes="--interp kernel"
else
	echo "note: not root, kernel trace not tested"
fi
for mode in $modes; do
	m=()
	[ "$mode" = --interp ] && m=(--interp)
	out=$("$BPFWALL" "${m[@]}" -f "$good" trace ingress device veth0 \
		ip saddr 198.51.100.7 tcp dport 22 2>&1)
	rc=$?
	if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q 'good\.conf:5' &&
		printf '%s\n' "$out" | grep -qw drop; then
		t_ok "trace ($mode): text names good.conf:5 and drop"
	else
		t_bad "trace ($mode): exit $rc, output: $out"
	fi
	out=$("$BPFWALL" "${m[@]}" -j -f "$good" trace ingress device veth0 \
		ip saddr 198.51.100.7 tcp dport 22 2>&1)
	if json_verdict "$out" drop && json_rule "$out" 5; then
		t_ok "trace -j ($mode): drop by line 5"
	else
		t_bad "trace -j ($mode): last line: $(printf '%s\n' "$out" | tail -n 1)"
	fi
	out=$("$BPFWALL" "${m[@]}" -j -f "$good" trace ingress device veth0 \
		ip saddr 192.0.2.1 tcp dport 443 2>&1)
	if json_verdict "$out" accept && json_rule "$out" 6; then
		t_ok "trace -j ($mode): accept by line 6"
	else
		t_bad "trace -j ($mode) accept: last line: $(printf '%s\n' "$out" | tail -n 1)"
	fi
	out=$("$BPFWALL" "${m[@]}" -j -f "$good" trace ingress device veth0 \
		ip saddr 192.0.2.1 udp dport 54 2>&1)
	if json_verdict "$out" accept && json_rule "$out" null; then
		t_ok "trace -j ($mode): policy gives \"rule\": null"
	else
		t_bad "trace -j ($mode) policy: last line: $(printf '%s\n' "$out" | tail -n 1)"
	fi
	out=$("$BPFWALL" "${m[@]}" -f "$good" trace egress device veth0 \
		ip daddr 203.0.113.9 udp dport 53 -j 2>&1)
	if json_verdict "$out" drop && json_rule "$out" 11; then
		t_ok "trace -j ($mode): egress drop by line 11 (-j after the packet)"
	else
		t_bad "trace -j ($mode) egress: last line: $(printf '%s\n' "$out" | tail -n 1)"
	fi
	# packet words: a frame cut short is dropped as malformed
	out=$("$BPFWALL" "${m[@]}" -j -f "$good" trace ingress device veth0 \
		tcp dport 22 packet truncate 40 2>&1)
	if json_verdict "$out" drop && json_rule "$out" null &&
		printf '%s\n' "$out" | tail -n 1 | grep -Eq '"malformed" *: *"ipv4-malformed"'; then
		t_ok "trace -j ($mode): packet truncate gives a malformed drop"
	else
		t_bad "trace -j ($mode) truncate: last line: $(printf '%s\n' "$out" | tail -n 1)"
	fi
done
# a bad packet word: an error with a caret under it, exit 1
out=$("$BPFWALL" --interp -f "$good" trace ingress tcp dport 22 packet truncate 60 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q 'packet truncate 60: the packet is only 54 bytes long' &&
	printf '%s\n' "$out" | grep -q '\^\^\^'; then
	t_ok "trace: packet truncate longer than the packet is a caret error"
else
	t_bad "trace: packet truncate 60: exit $rc, output: $out"
fi
out=$("$BPFWALL" --interp -f "$good" trace ingress packet exthdr tcp 2>&1)
rc=$?
if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -q 'not an IPv6 extension header' &&
	printf '%s\n' "$out" | grep -q '^ *\^\^\^$'; then
	t_ok "trace: packet exthdr tcp is a caret error"
else
	t_bad "trace: packet exthdr tcp: exit $rc, output: $out"
fi

# usage errors: exit 2
usage()
{
	"$@" >/dev/null 2>&1
	local rc=$?
	if [ "$rc" -eq 2 ]; then
		t_ok "usage error exits 2: ${*:2}"
	else
		t_bad "usage error exits $rc, want 2: ${*:2}"
	fi
}
usage "$BPFWALL" --no-such-option
usage "$BPFWALL" -f
usage "$BPFWALL" frobnicate ruleset
usage "$BPFWALL" -f "$good" trace sideways ip saddr 192.0.2.1
out=$("$BPFWALL" --help 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && printf '%s\n' "$out" | grep -q -- '-f' &&
	printf '%s\n' "$out" | grep -q 'trace'; then
	t_ok "--help: exit 0, lists -f and trace"
else
	t_bad "--help: exit $rc: $out"
fi

# add / delete element on a running ruleset (root: namespaces of our own)
if [ "$(id -u)" -ne 0 ]; then
	echo "note: not root, add/delete element not tested"
	t_done
fi
t_setup_pair
sets=$(t_rules sets.conf <<'EOF2'
table netdev t {
	set iv {
		type ipv4_addr
		flags interval
		elements = { 203.0.113.0/24 }
	}
	set pp {
		type inet_service
		flags interval
		size 8
		elements = { 1000-2000 }
	}
	set cc {
		type ipv4_addr . inet_service
		flags interval
	}
	map m {
		type inet_service : verdict
		elements = { 22 : accept }
	}
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr @iv drop
		tcp dport @pp drop
		ip saddr . tcp dport @cc drop
		tcp dport vmap @m
	}
}
EOF2
)
out=$(bw_b -f "$sets" 2>&1) || t_fatal "bpfwall -f sets.conf: $out"
# elements VAR SET: the "elements = ..." line of set SET in `list ruleset`
# output ("" when the set is empty)
elements()
{
	printf '%s\n' "$1" | sed -n "/^\t\(set\|map\) $2 {/,/^\t}/p" |
		sed -n 's/^[[:space:]]*elements = //p'
}
list0=$(bw_b list ruleset 2>&1) || t_fatal "list ruleset: $list0"
# an element the set holds already: no error, nothing changes (as nft)
for el in "iv { 203.0.113.0/24 }" "pp { 1000-2000 }" "m { 22 : accept }"; do
	out=$(bw_b add element netdev t $el 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && t_ok "add element $el again: exit 0" ||
		t_bad "add element $el again: exit $rc: $out"
done
# refused, and the set is left as it was
refused()
{
	local set=$1 want=$2 out rc list
	shift 2
	out=$(bw_b add element netdev t "$set" "$@" 2>&1)
	rc=$?
	list=$(bw_b list ruleset 2>&1)
	if [ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -Fq -- "Error: $want" &&
		printf '%s\n' "$out" | grep -q '\^\^\^' &&
		[ "$(elements "$list" "$set")" = "$(elements "$list0" "$set")" ]; then
		t_ok "add element $set $*: refused ($want), set unchanged"
	else
		t_bad "add element $set $*: exit $rc: $out; elements now: $(elements "$list" "$set")"
	fi
}
refused pp "conflicting intervals specified" "{ 1000-1500 }"
refused iv "conflicting intervals specified" "{ 198.51.100.0/24, 198.51.100.128/25 }"
refused cc "a named set or map stores at most one prefix or range per element of a concatenation (bpfwall tests elements with more in the rule's code: literal sets only)" \
	"{ 192.0.2.0/24 . 1000-2000 }"
refused m "conflicting intervals specified" "{ 22 : drop }"
# a failure part way takes out what this command added, not what was there
# (1000-2000 fills pp's 8 entries: 5000 does not fit)
refused pp "cannot add this element" "{ 1000-2000, 5000 }"
out=$(bw_b add element netdev t cc "{ 192.0.2.0/24 . 1000, 198.51.100.7 . 1000-2000 }" 2>&1)
[ $? -eq 0 ] && t_ok "add element cc: one prefix or range per element" ||
	t_bad "add element cc { 192.0.2.0/24 . 1000, 198.51.100.7 . 1000-2000 }: $out"
list1=$(bw_b list ruleset 2>&1)
printf '%s\n' "$list1" >"$T_DIR/list1.conf"
out=$(bw_b -f "$T_DIR/list1.conf" 2>&1)
[ $? -eq 0 ] && t_ok "list output after add element loads again" ||
	t_bad "list output after add element does not load: $out"
out=$(bw_b delete element netdev t pp "{ 1000-2000 }" 2>&1)
rc=$?
list2=$(bw_b list ruleset 2>&1)
if [ "$rc" -eq 0 ] && [ -z "$(elements "$list2" pp)" ]; then
	t_ok "delete element pp { 1000-2000 } empties pp"
else
	t_bad "delete element pp { 1000-2000 }: $out; elements now: $(elements "$list2" pp)"
fi
t_done
