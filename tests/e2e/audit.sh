#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The audit hook: cgroup connect4/connect6 programs on a cgroup this test
# creates.  A process in the cgroup connects to a denied destination:
# `monitor -j -c 1` shows its comm, pid, uid, destination and rule line;
# allowed connects (also one a rule with a field the connect lacks would
# match, and ones that meet a limit in a rule that drops or accepts) make
# no event; the monitor keeps reading through a reload (and
# maps the handle through the new ruleset); --audit enforce fails the
# connect at once with EPERM; list ruleset names the hook; flush detaches.
# Connects in another network namespace meet other rules: never reported
# or refused.  In the host tier (tests/lib/bwtest.sh) the hook is the
# default one, on the cgroup v2 root; events still name the cgroup.
T_NAME=audit
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v setpriv >/dev/null 2>&1 || t_skip "needs setpriv"

CG_ROOT=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
	/proc/self/mountinfo | head -n 1)
[ -n "$CG_ROOT" ] || t_skip "no cgroup v2 hierarchy mounted"
[ -w "$CG_ROOT" ] || t_skip "cannot create a cgroup under $CG_ROOT"

t_setup_pair
CG="$CG_ROOT/bwt-audit-$$"
mkdir "$CG" || t_skip "cannot create a cgroup under $CG_ROOT"
# `ip netns exec` mounts a new /sys: bpfwall, run there, reaches the same
# cgroup through a second mount of the hierarchy outside /sys.
mkdir "$T_DIR/cgroup"
mount -t cgroup2 none "$T_DIR/cgroup" || t_fatal "cannot mount cgroup2"
T_MOUNTS+=("$T_DIR/cgroup")
CGP="$T_DIR/cgroup/bwt-audit-$$"
if [ "$T_TIER" = host ]; then
	AUDIT=()		# the default: auto, the cgroup v2 root
	CGSEL=()
	CGHOOK=$CG_ROOT
else
	AUDIT=(--audit cgroup --audit-cgroup "$CGP")
	CGSEL=(--audit-cgroup "$CGP")
	CGHOOK=$CGP
fi

audit_cleanup()
{
	local rc=$? p i
	for i in 1 2 3 4 5; do
		[ -d "$CG" ] || break
		while read -r p; do
			kill -KILL "$p" 2>/dev/null
		done <"$CG/cgroup.procs"
		rmdir "$CG" 2>/dev/null || sleep 0.2
	done
	[ -d "$CG" ] && echo "WARNING: could not remove $CG" >&2
	(exit "$rc")
	t_cleanup
}
trap audit_cleanup EXIT

ip -n "$NS_A" route add 203.0.113.0/24 via "$IP_B"
t_tcp_server "$NS_B" "$IP_B" 80
t_tcp_server "$NS_B" "$IP_B" 81
t_tcp_server "$NS_B" "$IP_B" 82
t_tcp_server "$NS_B" "$IP_B" 83

rules=$(t_rules audit.conf <<'EOF2'
table inet audit {
	chain output {
		type filter hook output priority 0; policy accept;
		ip saddr != 192.0.2.1 tcp dport 81 drop
		ip daddr 203.0.113.7 tcp dport 25 drop
		ip6 daddr 2001:db8:1::9 udp dport 53 drop
		ip daddr 192.0.2.2 tcp dport 82 limit rate over 100/second drop
		ip daddr 192.0.2.2 tcp dport 83 limit rate 100/second accept
		tcp dport 83 drop
@RUN@
	}
}
EOF2
)
# a run of same-shape rules: one lookup in the connect programs too
run=$(for i in $(seq 30 49); do printf '\t\tip daddr 203.0.113.%d tcp dport 27 drop\n' "$i"; done)
printf '%s\n' "$(awk -v run="$run" '{ if ($0 == "@RUN@") print run; else print }' "$rules")" >"$rules"

# in_cg UID CMD: run bash -c CMD in namespace a, in the test's cgroup, as
# UID; its pid is written to $T_DIR/pid.
in_cg()
{
	local uid=$1 cmd=$2
	(
		echo "$BASHPID" >"$CG/cgroup.procs" || exit 99
		exec ip netns exec "$NS_A" setpriv --reuid="$uid" --regid="$uid" \
			--clear-groups bash -c "echo \$\$ >$T_DIR/pid; $cmd"
	)
}

# not_refused: a connect from the cgroup to the denied address is not
# refused with EPERM (it times out at the dropped SYN instead).
not_refused()
{
	local e
	e=$(in_cg 0 "timeout 2 bash -c 'exec 3<>/dev/tcp/203.0.113.7/25'" 2>&1)
	[[ $e != *"not permitted"* ]]
}

chmod 755 "$T_DIR"
out=$(bw_a "${AUDIT[@]}" -f "$rules" 2>&1) ||
	t_fatal "bpfwall ${AUDIT[*]} -f: $out"
t_ok "loaded with the audit hook on $CGHOOK"

list=$(bw_a list ruleset 2>&1)
if printf '%s\n' "$list" | grep -qxF "# audit: cgroup connect4/connect6 on $CGHOOK"; then
	t_ok "list ruleset names the audit hook"
else
	t_bad "list ruleset does not name the audit hook: $list"
fi

# Allowed: no rule, and a rule whose saddr the connect does not know.
t_check "allowed connect to $IP_B:80 from the cgroup" \
	in_cg 0 "timeout 3 bash -c 'exec 3<>/dev/tcp/$IP_B/80'"
t_check "connect to $IP_B:81 (rule needs saddr) from the cgroup" \
	in_cg 0 "timeout 3 bash -c 'exec 3<>/dev/tcp/$IP_B/81'"

# Denied (log only): the connect is let through, the SYN dropped at egress.
in_cg 65534 "timeout 2 bash -c 'exec 3<>/dev/tcp/203.0.113.7/25'" >/dev/null 2>&1
pid=$(cat "$T_DIR/pid")
ev=$(bw_a monitor -j -c 1 2>&1)
echo "event: $ev"
for want in '"event":"connect-denied"' '"comm":"bash"' '"uid":65534' \
	'"family":"ipv4"' '"daddr":"203.0.113.7"' '"dport":25' '"proto":"tcp"' \
	"\"file\":\"$rules\",\"line\":5"; do
	case $ev in
	*"$want"*) t_ok "event has $want" ;;
	*) t_bad "event lacks $want" ;;
	esac
done
# the pid is the inner bash's (timeout forks it): a child of $pid
evpid=$(printf '%s\n' "$ev" | sed -n 's/.*"pid":\([0-9]*\).*/\1/p')
if [ -n "$evpid" ] && [ "$evpid" -gt "$pid" ]; then
	t_ok "event pid $evpid is the connecting process (child of $pid)"
else
	t_bad "event pid ${evpid:-none} (shell $pid)"
fi
cgid=$(stat -c %i "$CG")
case $ev in
*"\"cgroup_id\":$cgid,\"cgroup\":\"/bwt-audit-$$\","*)
	t_ok "event has the cgroup id $cgid and path /bwt-audit-$$" ;;
*) t_bad "event cgroup is not $cgid, /bwt-audit-$$" ;;
esac
# a rule of the run, found by the lookup: its own line (with the rule
# before it, a stretch of mixed shapes: the classifier's lookups)
if "$BPFWALL" --audit cgroup -d -f "$rules" 2>&1 | sed -n '/^# hook audit (connect4)/,$p' |
	grep -q "map lookup\|^# classifier"; then
	t_ok "the connect program looks the run up in a map"
else
	t_bad "the connect program has no lookup for the run"
fi
in_cg 0 "timeout 2 bash -c 'exec 3<>/dev/tcp/203.0.113.33/27'" >/dev/null 2>&1
ev=$(bw_a monitor -j -c 1 2>&1)
case $ev in
*'"daddr":"203.0.113.33"'*'"dport":27'*"\"line\":13"*)
	t_ok "a denied connect found by a lookup names its rule (line 13)" ;;
*) t_bad "lookup deny: $ev" ;;
esac
# A limit at connect: whether it would stop its rule is not known, so
# neither the rule that drops over the rate nor the drop after the rule
# that accepts within it is a deny the hook is sure of.
for port in 82 83; do
	t_check "connect to $IP_B:$port (a rule with a limit) from the cgroup" \
		in_cg 0 "timeout 3 bash -c 'exec 3<>/dev/tcp/$IP_B/$port'"
done
# nothing more: monitor runs until its timeout (rc 124), prints nothing
more=$(bw_a monitor -c 1 2>&1 & sleep 2; kill $! 2>/dev/null)
rc=124
[ -z "$more" ] || rc=0
if [ "$rc" -eq 124 ] && [ -z "$more" ]; then
	t_ok "no second event (the allowed connects made none)"
else
	t_bad "a second event or an error (rc $rc): $more"
fi

# The monitor reads on through a reload; the rule moved one line down.
mon="$T_DIR/monitor.out"
bw_bg a 20 monitor -c 1 >"$mon" 2>&1
mpid=$BW_BG
sleep 0.5
{ echo "# reloaded"; cat "$rules"; } >"$rules.new" && mv "$rules.new" "$rules"
before=$(bpftool link show pinned "$PIN_A/link_connect4" 2>&1 | head -n 1)
out=$(bw_a "${AUDIT[@]}" -f "$rules" 2>&1) || t_bad "reload: $out"
after=$(bpftool link show pinned "$PIN_A/link_connect4" 2>&1 | head -n 1)
# "ID: cgroup  prog PROG": the same link, a new program
if [ "${before%%:*}" = "${after%%:*}" ] && [ -n "${before%%:*}" ] &&
	[ "${before##*prog }" != "${after##*prog }" ]; then
	t_ok "reload updated the link in place ($before -> $after)"
else
	t_bad "reload did not update the link in place: '$before' -> '$after'"
fi
in_cg 0 "timeout 2 bash -c 'exec 3<>/dev/tcp/203.0.113.7/25'" >/dev/null 2>&1
wait "$mpid"
line=$(cat "$mon")
echo "monitor: $line"
case $line in
"connect-denied pid "*" uid 0 comm bash cgroup /bwt-audit-$$ ipv4 203.0.113.7:25 tcp rule $rules:6")
	t_ok "monitor survived the reload and maps the new rule line" ;;
*) t_bad "monitor after reload: $line" ;;
esac

# Enforce: EPERM at once.
out=$(bw_a --audit enforce "${CGSEL[@]}" -f "$rules" 2>&1) ||
	t_fatal "bpfwall -f --audit enforce: $out"
start=$(date +%s%N)
err=$(in_cg 0 "timeout 5 bash -c 'exec 3<>/dev/tcp/203.0.113.7/25'" 2>&1)
rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$rc" -ne 0 ] && [[ $err == *"Operation not permitted"* ]] && [ "$ms" -lt 2000 ]; then
	t_ok "enforce: connect failed with EPERM in $ms ms"
else
	t_bad "enforce: rc $rc after $ms ms: $err"
fi
t_check "enforce: allowed connect still works" \
	in_cg 0 "timeout 3 bash -c 'exec 3<>/dev/tcp/$IP_B/80'"
for port in 82 83; do
	t_check "enforce: connect to $IP_B:$port (a rule with a limit) not refused" \
		in_cg 0 "timeout 3 bash -c 'exec 3<>/dev/tcp/$IP_B/$port'"
done
ev=$(bw_a monitor -j -c 1 2>&1)
case $ev in
*'"daddr":"203.0.113.7"'*) t_ok "enforce: the deny was logged too" ;;
*) t_bad "enforce: no event: $ev" ;;
esac

# A process outside the cgroup is not audited (host tier: the hook is on
# the root, every process of the host is in it).
if [ "$T_TIER" != host ]; then
	t_check_not "outside the cgroup: no EPERM" bash -c \
		"ip netns exec $NS_A timeout 2 bash -c 'exec 3<>/dev/tcp/203.0.113.7/25' 2>&1 | grep -q 'not permitted'"
fi
# A process in the cgroup but in another network namespace meets other
# rules (b has none): neither refused nor reported.
err=$(
	echo "$BASHPID" >"$CG/cgroup.procs" || exit 99
	exec ip netns exec "$NS_B" timeout 2 bash -c 'exec 3<>/dev/tcp/203.0.113.7/25' 2>&1
)
[[ $err != *"not permitted"* ]] && t_ok "another network namespace: not refused ($err)" ||
	t_bad "another network namespace: refused by a's rules"
ev=$(bw_a monitor -j -c 1 2>&1 & sleep 1; kill $! 2>/dev/null)
[ -z "$ev" ] && t_ok "another network namespace: no event" ||
	t_bad "another network namespace: an event: $ev"

# The kprobe hook: generated and verified by the same path; attaching
# needs kprobes (this project's machines have none).
if [ ! -e /sys/bus/event_source/devices/kprobe/type ]; then
	# A different ruleset: the failed load must leave the old one in force
	# (the audit hook is prepared before the packet programs are swapped).
	rules2=$(sed 's/tcp dport 25 drop/tcp dport 26 drop/' "$rules" | t_rules audit2.conf)
	out=$(bw_a -v --audit kprobe -f "$rules2" 2>&1)
	rc=$?
	if [ "$rc" -eq 1 ] && [[ $out == *"loaded kprobe"* ]] &&
		[[ $out == *"passed the verifier"* ]] && [[ $out == *"no kprobes"* ]]; then
		t_ok "--audit kprobe: program verified, attach refused (no kprobes)"
	else
		t_bad "--audit kprobe (rc $rc): $out"
	fi
	list=$(bw_a list ruleset 2>&1)
	if [[ $list == *"tcp dport 25 drop"* ]] && [[ $list != *"tcp dport 26"* ]]; then
		t_ok "--audit kprobe failed: the old ruleset is still the running one"
	else
		t_bad "--audit kprobe failed, but the running ruleset changed: $list"
	fi
	err=$(in_cg 0 "timeout 5 bash -c 'exec 3<>/dev/tcp/203.0.113.7/25'" 2>&1)
	[[ $err == *"Operation not permitted"* ]] &&
		t_ok "--audit kprobe failed: the old enforcing hook still refuses" ||
		t_bad "--audit kprobe failed: the old hook no longer refuses: $err"
	out=$(bw_a --audit auto "${CGSEL[@]}" -f "$rules" 2>&1)
	case $out in
	*"no kprobes; using cgroup connect4/connect6"*) t_ok "auto says it chose the cgroup hook" ;;
	*) t_bad "auto: $out" ;;
	esac
fi

# --audit off on reload takes the hook away.
out=$(bw_a --audit off -f "$rules" 2>&1) || t_bad "--audit off: $out"
if bw_a list ruleset | grep -q '^# audit:'; then
	t_bad "--audit off: list ruleset still names an audit hook"
else
	t_ok "--audit off: no audit hook listed"
fi
t_check "--audit off: denied connect in the cgroup not refused" not_refused

out=$(bw_a --audit enforce "${CGSEL[@]}" -f "$rules" 2>&1) ||
	t_fatal "bpfwall -f --audit enforce: $out"
links=$(for l in link_connect4 link_connect6; do
	bpftool link show pinned "$PIN_A/$l" 2>/dev/null | sed -n 's/^\([0-9]*\):.*/\1/p'
done)
[ "$(echo $links | wc -w)" -eq 2 ] || t_bad "two connect links before flush: '$links'"
t_check "flush ruleset" bw_a flush ruleset
left=""
for id in $links; do
	bpftool link show id "$id" >/dev/null 2>&1 && left="$left $id"
done
if [ -z "$left" ] && ! ls "$PIN_A" 2>/dev/null | grep -q '^link_connect'; then
	t_ok "flush detached the connect hooks (links $links are gone)"
else
	t_bad "connect hooks left after flush: links$left; pins $(ls "$PIN_A")"
fi
t_check "after flush: connect in the cgroup not refused" not_refused
t_done
