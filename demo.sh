#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# bpfwall demo: install what is missing, build, then load rules/demo.conf on
# one end of a throwaway veth pair and show traffic passing and dropped,
# and the audit event of a connect the egress chain denies (from a cgroup
# the demo creates).  Nothing outside the two namespaces and the cgroup it
# creates is touched; everything is removed on exit, also on failure.
#
#   ./demo.sh               set up, build, run the demo
#   BW_NO_BUILD=1 BPFWALL=path/to/bpfwall ./demo.sh   demo only (make check)

set -u
SRC=$(cd "$(dirname "$0")" && pwd)
. "$SRC/tests/lib/setup.sh"

if [ "$(id -u)" -ne 0 ]; then
	echo "demo.sh needs root (network namespaces, XDP): run it with sudo" >&2
	exit 1
fi

bw_install_packages || { echo "package installation failed" >&2; exit 1; }
bw_build "$SRC" || { echo "build failed" >&2; exit 1; }

BUILD=${BW_BUILDDIR:-$SRC}
if [ -z "${BPFWALL:-}" ]; then
	for c in "$BUILD/bpfwall" "$BUILD/cli/bpfwall"; do
		[ -x "$c" ] && BPFWALL=$c && break
	done
fi
[ -x "${BPFWALL:-}" ] || { echo "bpfwall binary not found in $BUILD" >&2; exit 1; }

SUF=$$
NS_C="bwdemo-client-$SUF"
NS_S="bwdemo-server-$SUF"
DEV_C=bwdemo0
DEV_S=bwdemo1	# the device rules/demo.conf names
WORK=$(mktemp -d "/tmp/bwdemo-$SUF.XXXXXX")
PIN="$WORK/bpf"
CGM="$WORK/cgroup"	# a second cgroup2 mount: ip netns exec mounts a new /sys
CG=""			# the demo's cgroup (outside the namespace's /sys)
PIDS=()
FAILED=0

cleanup()
{
	local rc=$?
	trap - EXIT INT TERM
	set +e
	echo "--- cleaning up: namespaces, pin dir, servers"
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	if mountpoint -q "$PIN" 2>/dev/null; then
		timeout 10 ip netns exec "$NS_S" "$BPFWALL" --pin-dir "$PIN" \
			flush ruleset >/dev/null 2>&1
		umount "$PIN" 2>/dev/null || umount -l "$PIN"
	fi
	ip netns del "$NS_C" 2>/dev/null
	ip netns del "$NS_S" 2>/dev/null
	for i in 1 2 3 4 5; do
		[ -n "$CG" ] && [ -d "$CG" ] || break
		while read -r p; do kill -KILL "$p" 2>/dev/null; done <"$CG/cgroup.procs"
		rmdir "$CG" 2>/dev/null || sleep 0.2
	done
	[ -n "$CG" ] && [ -d "$CG" ] && echo "WARNING: could not remove the cgroup $CG" >&2
	if mountpoint -q "$CGM" 2>/dev/null; then
		umount "$CGM" 2>/dev/null || umount -l "$CGM"
	fi
	# never remove files through a cgroup mount
	mountpoint -q "$CGM" 2>/dev/null || rm -rf --one-file-system "$WORK"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

step()
{
	printf '\n--- %s\n' "$*"
}

expect()
{
	# expect pass|drop DESCRIPTION CMD...
	local want=$1 desc=$2 got
	shift 2
	if "$@" >/dev/null 2>&1; then got=pass; else got=drop; fi
	if [ "$got" = "$want" ]; then
		printf '    %-48s %s (as expected)\n' "$desc" "$got"
	else
		printf '    %-48s %s, EXPECTED %s\n' "$desc" "$got" "$want"
		FAILED=1
	fi
}

step "creating namespaces $NS_C and $NS_S joined by veth $DEV_C <-> $DEV_S"
ip netns add "$NS_C" || exit 1
ip netns add "$NS_S" || exit 1
ip -n "$NS_C" link add "$DEV_C" type veth peer name "$DEV_S" netns "$NS_S" || exit 1
ip -n "$NS_C" addr add 192.0.2.1/24 dev "$DEV_C"
ip -n "$NS_C" addr add 192.0.2.66/24 dev "$DEV_C"
ip -n "$NS_S" addr add 192.0.2.2/24 dev "$DEV_S"
for ns in "$NS_C" "$NS_S"; do ip -n "$ns" link set lo up; done
ip -n "$NS_C" link set "$DEV_C" up
ip -n "$NS_S" link set "$DEV_S" up

step "mounting a private bpffs for bpfwall's state on $PIN"
mkdir -p "$PIN" && mount -t bpf -o mode=0700 bpf "$PIN" || exit 1

step "creating a cgroup for the audit hook (cgroup v2, mounted again on $CGM)"
CG_ROOT=$(awk '{ for (i = 1; i <= NF; i++) if ($i == "-") { if ($(i + 1) == "cgroup2") print $5; break } }' \
	/proc/self/mountinfo | head -n 1)
AUDIT=(--audit off)
if [ -n "$CG_ROOT" ] && mkdir "$CG_ROOT/bwdemo-$SUF" 2>/dev/null; then
	CG="$CG_ROOT/bwdemo-$SUF"
	mkdir -p "$CGM" && mount -t cgroup2 none "$CGM" || exit 1
	AUDIT=(--audit cgroup --audit-cgroup "$CGM/bwdemo-$SUF")
	echo "    $CG (as $CGM/bwdemo-$SUF inside the namespace)"
else
	echo "    no cgroup v2 hierarchy to create one in: the demo runs without the audit hook"
fi
# the server reaches 198.51.100.0/24 through the client: only the
# egress chain stops the connect
ip -n "$NS_S" route add 198.51.100.0/24 via 192.0.2.1

step "starting TCP servers on 192.0.2.2 ports 80 and 8080 (socat)"
for port in 80 8080; do
	timeout 120 ip netns exec "$NS_S" socat "TCP-LISTEN:$port,bind=192.0.2.2,fork,reuseaddr" \
		"SYSTEM:echo hello from port $port" >/dev/null 2>&1 &
	PIDS+=($!)
done
for i in $(seq 1 50); do
	n=$(ip netns exec "$NS_S" ss -Hltn 2>/dev/null | grep -c ':80 \|:8080 ')
	[ "$n" -ge 2 ] && break
	sleep 0.1
done

ping_from() { timeout 5 ip netns exec "$NS_C" ping -n -q -c 1 -W 1 -I "$1" 192.0.2.2; }
tcp_to()
{
	local out
	out=$(timeout 5 ip netns exec "$NS_C" socat -u \
		"TCP:192.0.2.2:$1,bind=192.0.2.1,connect-timeout=2" - 2>/dev/null)
	[ "$out" = "hello from port $1" ]
}

step "before loading: everything passes"
expect pass "ping from 192.0.2.66" ping_from 192.0.2.66
expect pass "TCP connect to port 8080" tcp_to 8080

step "loading rules/demo.conf: ip netns exec $NS_S bpfwall ${AUDIT[*]} -f rules/demo.conf"
sed 's/^/    /' "$SRC/rules/demo.conf"
ip netns exec "$NS_S" "$BPFWALL" --pin-dir "$PIN" "${AUDIT[@]}" -f "$SRC/rules/demo.conf" || {
	echo "bpfwall -f failed" >&2
	exit 1
}

echo "    ip -d link show dev $DEV_S: $(ip -n "$NS_S" -d link show dev "$DEV_S" | grep -o 'prog/xdp id [0-9]* name [a-z_0-9]*')"

step "traffic through XDP on $DEV_S (drops bounded by 1-2 s timeouts)"
expect pass "ping from 192.0.2.1" ping_from 192.0.2.1
expect drop "ping from 192.0.2.66" ping_from 192.0.2.66
expect pass "TCP connect to port 80" tcp_to 80
expect drop "TCP connect to port 8080" tcp_to 8080

# in_cg CMD: run bash -c CMD in the server namespace, in the demo's cgroup
in_cg()
{
	(
		echo "$BASHPID" >"$CG/cgroup.procs" || exit 99
		exec ip netns exec "$NS_S" bash -c "$1"
	)
}
if [ -n "$CG" ]; then
	step "audit: a process in the cgroup connects to 198.51.100.7:443 (bpfwall monitor -j -c 1 in the background)"
	timeout 20 ip netns exec "$NS_S" "$BPFWALL" --pin-dir "$PIN" monitor -j -c 1 \
		>"$WORK/event" 2>&1 &
	MON=$!
	PIDS+=("$MON")
	expect drop "TCP connect to 198.51.100.7:443" \
		in_cg "timeout 2 bash -c 'exec 3<>/dev/tcp/198.51.100.7/443'"
	wait "$MON"
	EVENT=$(cat "$WORK/event")
	echo "    event: $EVENT"
	case $EVENT in
	*'"event":"connect-denied"'*'"daddr":"198.51.100.7","dport":443'*'"line":'*)
		echo "    (the event names the process, the destination and the rule's line)" ;;
	*)	echo "    no connect-denied event for 198.51.100.7:443: UNEXPECTED"
		FAILED=1 ;;
	esac
fi

step "bpfwall list ruleset (the counters moved)"
LIST=$(ip netns exec "$NS_S" "$BPFWALL" --pin-dir "$PIN" list ruleset) || {
	echo "bpfwall list ruleset failed" >&2
	exit 1
}
printf '%s\n' "$LIST" | sed 's/^/    /'
if printf '%s\n' "$LIST" | grep -q 'counter packets [1-9]'; then
	echo "    (counters are non-zero)"
else
	echo "    no counter moved: UNEXPECTED"
	FAILED=1
fi

step "which rule drops a ping from 192.0.2.66? bpfwall -f rules/demo.conf trace ..."
(cd "$SRC" && "$BPFWALL" -f rules/demo.conf trace ingress device "$DEV_S" \
	ip saddr 192.0.2.66 icmp type echo-request) | sed 's/^/    /'

step "bpfwall flush ruleset: detaches the programs; ping from 192.0.2.66 passes again"
ip netns exec "$NS_S" "$BPFWALL" --pin-dir "$PIN" flush ruleset || FAILED=1
expect pass "ping from 192.0.2.66" ping_from 192.0.2.66
if ip -n "$NS_S" -d link show dev "$DEV_S" | grep -q 'xdp'; then
	echo "    an XDP program is still attached: UNEXPECTED"
	FAILED=1
fi

if [ "$FAILED" -ne 0 ]; then
	step "demo finished with UNEXPECTED results"
	exit 1
fi
step "demo finished: all results as expected"
exit 0
