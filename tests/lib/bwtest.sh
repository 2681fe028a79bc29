# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shared helpers for the end-to-end scripts (tests/e2e/*.sh).  Source it
# after setting T_NAME (short, [a-z0-9]); then call t_require_root and
# t_setup_pair (or t_setup_router: a, r and b, r routing between them).  Everything a script creates is named with its prefix and
# the shell's pid, and removed by the EXIT trap, also on failure:
#
#   namespaces   bwt-$T_NAME-a-$$, bwt-$T_NAME-b-$$
#   veth pair    bwta0 (in a, 192.0.2.1/24, 2001:db8:1::1/64)
#                bwtb0 (in b, 192.0.2.2/24, 2001:db8:1::2/64)
#                a also has 192.0.2.66/24 as a second source address
#   pin dir      a private bpffs mounted on $T_DIR/bpf (host mount ns)
#
# Static neighbour entries are installed on both sides so a ruleset with
# policy drop does not first have to let ARP/ND through.
#
# Every command that waits is bounded by timeout(1); a watchdog kills the
# script after T_TIMEOUT seconds (default 120).
#
# Two tiers (BW_TIER):
#   lab   (default) bpfwall runs under `ip netns exec` with a private pin
#         dir per namespace and no audit hook.
#   host  bpfwall runs as it runs on a host: in the namespace's network
#         namespace entered with nsenter, in a mount namespace that sees
#         the host's /sys (cgroup v2 root, tracefs), with the DEFAULT pin
#         dir (/sys/fs/bpf/bpfwall, on the bpffs bpfwall mounts itself)
#         and the DEFAULT audit mode (auto: the cgroup v2 root, log only;
#         the hook lets every other namespace's connects go).  Each
#         namespace has its own mount namespace, private from the host's,
#         held by a process the cleanup kills after `flush ruleset`: the
#         bpffs, and every pin on it (global hooks too), dies with it,
#         also when the test is killed.

set -u

T_NAME=${T_NAME:-e2e}
T_TIER=${BW_TIER:-lab}
if [ "$T_TIER" = host ]; then
	unset BPFWALL_AUDIT BPFWALL_PIN_DIR
else
	# No audit hook unless a test asks (--audit): by default it would
	# attach to the root cgroup, and tests only touch cgroups they
	# create.
	export BPFWALL_AUDIT=${BPFWALL_AUDIT:-off}
fi
T_SRCDIR=${BW_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
T_BUILDDIR=${BW_BUILDDIR:-$T_SRCDIR}
T_FAILS=0
T_PIDS=()
T_HOLD=()	# host tier: "NS PID" of each namespace's mount namespace holder
T_NS=()
T_MOUNTS=()
T_DIR=
T_WATCHDOG=
VETH_A=bwta0
VETH_B=bwtb0

# The bpfwall binary: $BPFWALL, else the build tree.
t_find_bpfwall()
{
	if [ -n "${BPFWALL:-}" ]; then
		return 0
	fi
	local c
	for c in "$T_BUILDDIR/bpfwall" "$T_BUILDDIR/cli/bpfwall"; do
		if [ -x "$c" ]; then
			BPFWALL=$c
			return 0
		fi
	done
	echo "ERROR: bpfwall binary not found under $T_BUILDDIR" >&2
	exit 99
}

t_skip()
{
	echo "SKIP: $*"
	exit 77
}

t_require_root()
{
	[ "$(id -u)" -eq 0 ] || t_skip "needs root (network namespaces, XDP, bpffs)"
	local tool
	for tool in ip timeout socat ping; do
		command -v "$tool" >/dev/null 2>&1 || t_skip "needs $tool"
	done
}

t_ok()
{
	echo "ok: $*"
}

t_bad()
{
	echo "FAIL: $*"
	T_FAILS=$((T_FAILS + 1))
}

# t_check DESC CMD...: CMD must succeed.
t_check()
{
	local desc=$1
	shift
	if "$@"; then
		t_ok "$desc"
	else
		t_bad "$desc (command: $*)"
	fi
}

# t_check_not DESC CMD...: CMD must fail.
t_check_not()
{
	local desc=$1
	shift
	if "$@"; then
		t_bad "$desc (command succeeded: $*)"
	else
		t_ok "$desc"
	fi
}

# t_fatal MSG: stop here (the trap still cleans up).
t_fatal()
{
	echo "FAIL: $*"
	T_FAILS=$((T_FAILS + 1))
	exit 1
}

t_done()
{
	if [ "$T_FAILS" -gt 0 ]; then
		echo "$T_FAILS check(s) failed"
		exit 1
	fi
	echo "all checks passed"
	exit 0
}

t_cleanup()
{
	local rc=$?
	trap - EXIT INT TERM
	set +e
	local p ns m
	for p in "${T_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${T_PIDS[@]}"; do
		wait "$p" 2>/dev/null
	done
	if [ -n "$T_WATCHDOG" ]; then
		kill "$T_WATCHDOG" 2>/dev/null
		wait "$T_WATCHDOG" 2>/dev/null
	fi
	# Detach what bpfwall attached before the devices go away.
	if [ -n "${BPFWALL:-}" ] && [ -n "$T_DIR" ] && [ "${#T_NS[@]}" -gt 0 ]; then
		for ns in "${T_NS[@]}"; do
			if [ -d "$T_DIR/bpf-$ns" ]; then
				timeout 10 ip netns exec "$ns" "$BPFWALL" \
					--pin-dir "$T_DIR/bpf-$ns" flush ruleset >/dev/null 2>&1
			fi
		done
	fi
	# host tier: flush (the global audit hook goes), then end each mount
	# namespace, and with it its bpffs
	for p in "${T_HOLD[@]}"; do
		set -- $p
		if [ -n "${BPFWALL:-}" ]; then
			timeout 10 nsenter --mount="/proc/$2/ns/mnt" \
				--net="/run/netns/$1" "$BPFWALL" flush ruleset >/dev/null 2>&1
		fi
		kill "$2" 2>/dev/null
		wait "$2" 2>/dev/null
	done
	for ns in "${T_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	for m in "${T_MOUNTS[@]}"; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	if [ -n "$T_DIR" ]; then
		rm -rf "$T_DIR"
	fi
	exit "$rc"
}

t_init()
{
	t_find_bpfwall
	T_DIR=$(mktemp -d "/tmp/bwt-$T_NAME-$$.XXXXXX") || exit 99
	trap t_cleanup EXIT
	trap 'exit 1' INT TERM
	local self=$$
	(
		sleep "${T_TIMEOUT:-120}" &
		spid=$!
		trap 'kill "$spid" 2>/dev/null; exit 0' TERM
		wait "$spid"
		echo "FAIL: watchdog: $T_NAME took longer than ${T_TIMEOUT:-120}s" >&2
		kill -TERM "$self"
	) &
	T_WATCHDOG=$!
}

# t_mount_pin NS: a private bpffs for bpfwall's state in namespace NS.
t_mount_pin()
{
	local dir="$T_DIR/bpf-$1"
	mkdir -p "$dir"
	# mode 0700 (mount -t bpf gives 1777, which bpfwall refuses)
	mount -t bpf -o mode=0700 bpf "$dir" || t_skip "cannot mount a bpffs here ($dir)"
	T_MOUNTS+=("$dir")
}

# t_nft_pair: what a test against nft -f needs (root, nft, socat, a
# namespace pair whose kernel has nf_tables), else a skip; sets the pair up.
t_nft_pair()
{
	t_require_root
	command -v nft >/dev/null 2>&1 || t_skip "needs nft (the oracle)"
	command -v socat >/dev/null 2>&1 || t_skip "needs socat"
	t_setup_pair
	in_b nft list ruleset >/dev/null 2>&1 || t_skip "no nf_tables in this kernel"
}

# t_ipt_pair: what a test against iptables-nft needs (root, iptables-nft,
# socat), else a skip; the namespace pair (t_setup_pair), and two fresh
# namespaces for the same commands: NS_N runs iptables-nft (nft_ipt
# ARGS...), NS_W bpfwall iptables with its own pin dir (bw_ipt ARGS...).
t_ipt_pair()
{
	t_require_root
	command -v iptables-nft >/dev/null || t_skip "iptables-nft is not installed (Debian: apt-get install iptables)"
	command -v socat >/dev/null || t_skip "socat is not installed"
	t_setup_pair
	NS_N="bwt-$T_NAME-n-$$"
	NS_W="bwt-$T_NAME-w-$$"
	ip netns add "$NS_N" && T_NS+=("$NS_N") || t_fatal "netns"
	ip netns add "$NS_W" && T_NS+=("$NS_W") || t_fatal "netns"
	t_mount_pin "$NS_W"
}
nft_ipt() { timeout 20 ip netns exec "$NS_N" iptables-nft "$@"; }
bw_ipt() { timeout 20 ip netns exec "$NS_W" "$BPFWALL" --pin-dir "$T_DIR/bpf-$NS_W" iptables "$@"; }

# t_ipt_commands: each line of stdin (shell words) is an iptables command
# run by both sides of t_ipt_pair: exit statuses and outputs must agree.
# Sets i to the number of commands run.
t_ipt_commands()
{
	local cmd want got wrc grc
	local -a args

	i=0
	while IFS= read -r cmd; do
		[ -z "$cmd" ] && continue
		i=$((i + 1))
		eval "args=($cmd)"
		want=$(nft_ipt "${args[@]}" 2>/dev/null); wrc=$?
		got=$(bw_ipt "${args[@]}" 2>/dev/null); grc=$?
		[ "$wrc" = "$grc" ] ||
			t_bad "command $i (iptables $cmd): exit $grc, iptables-nft $wrc"
		if [ "$want" != "$got" ]; then
			t_bad "command $i (iptables $cmd): output differs"
			diff <(echo "$want") <(echo "$got") | head -10
		fi
	done
}

# t_nft_check_why FILE.t: why FILE's forms are not for this nft (its
# "# nft-check: WHY" line: forms of a later nft), or nothing.
t_nft_check_why()
{
	sed -n 's/^# nft-check: //p' "$1" | head -1
}

# t_flows: run each flow of FLOWS ("NAME WANT COMMAND ..."), a line
# "NAME 1" when COMMAND succeeds, "NAME 0" when not.
t_flows()
{
	local f name
	for f in "${FLOWS[@]}"; do
		read -r name _ <<<"$f"
		# shellcheck disable=SC2086
		if ${f#* * }; then echo "$name 1"; else echo "$name 0"; fi
	done
}

# t_flows_as_said WHO RESULTS: each flow of RESULTS (t_flows') as FLOWS
# says it should go.
t_flows_as_said()
{
	local f name want got
	for f in "${FLOWS[@]}"; do
		read -r name want _ <<<"$f"
		got=$(printf '%s\n' "$2" | awk -v n="$name" '$1 == n { print $2 }')
		if [ "$got" = "$want" ]; then
			t_ok "$1: $name gives $got, as the ruleset says"
		else
			t_bad "$1: $name gives $got, the ruleset says $want"
		fi
	done
}

# t_flows_nft_oracle RULES WHAT BW_RESULTS: the same flows through `nft -f
# RULES` in the router namespace (conntrack flushed before, the ruleset
# after): each must go as it went through bpfwall (BW_RESULTS, t_flows').
t_flows_nft_oracle()
{
	local out nft_results
	in_r conntrack -F >/dev/null 2>&1 || true
	out=$(in_r nft -f "$1" 2>&1) || t_fatal "nft -f $(basename "$1"): $out"
	nft_results=$(t_flows)
	in_r nft flush ruleset
	if [ "$nft_results" = "$3" ]; then
		t_ok "nft gives the same result for every $2"
	else
		t_bad "nft differs: $(diff <(echo "$3") <(echo "$nft_results") | tr '\n' ' ')"
	fi
}

t_setup_pair()
{
	[ -n "$T_DIR" ] || t_init
	NS_A="bwt-$T_NAME-a-$$"
	NS_B="bwt-$T_NAME-b-$$"
	IP_A=192.0.2.1
	IP_A2=192.0.2.66
	IP_B=192.0.2.2
	IP6_A=2001:db8:1::1
	IP6_B=2001:db8:1::2
	# No network namespaces (e.g. an unprivileged container) is the
	# environment's limit, not a bpfwall failure: skip.
	ip netns add "$NS_A" || t_skip "cannot create a network namespace here"
	T_NS+=("$NS_A")
	ip netns add "$NS_B" || t_fatal "ip netns add $NS_B"
	T_NS+=("$NS_B")
	ip -n "$NS_A" link add "$VETH_A" type veth peer name "$VETH_B" netns "$NS_B" ||
		t_fatal "cannot create the veth pair"
	ip -n "$NS_A" link set lo up
	ip -n "$NS_B" link set lo up
	ip -n "$NS_A" addr add "$IP_A/24" dev "$VETH_A"
	ip -n "$NS_A" addr add "$IP_A2/24" dev "$VETH_A"
	ip -n "$NS_B" addr add "$IP_B/24" dev "$VETH_B"
	ip -n "$NS_A" addr add "$IP6_A/64" dev "$VETH_A" nodad
	ip -n "$NS_B" addr add "$IP6_B/64" dev "$VETH_B" nodad
	ip -n "$NS_A" link set "$VETH_A" up
	ip -n "$NS_B" link set "$VETH_B" up
	MAC_A=$(ip netns exec "$NS_A" cat "/sys/class/net/$VETH_A/address")
	MAC_B=$(ip netns exec "$NS_B" cat "/sys/class/net/$VETH_B/address")
	ip -n "$NS_A" neigh replace "$IP_B" lladdr "$MAC_B" dev "$VETH_A" nud permanent
	ip -n "$NS_A" neigh replace "$IP6_B" lladdr "$MAC_B" dev "$VETH_A" nud permanent
	ip -n "$NS_B" neigh replace "$IP_A" lladdr "$MAC_A" dev "$VETH_B" nud permanent
	ip -n "$NS_B" neigh replace "$IP_A2" lladdr "$MAC_A" dev "$VETH_B" nud permanent
	ip -n "$NS_B" neigh replace "$IP6_A" lladdr "$MAC_A" dev "$VETH_B" nud permanent
	if [ "$T_TIER" = host ]; then
		t_host_ns "$NS_A"
		HOLD_A=$T_HOLD_PID
		t_host_ns "$NS_B"
		HOLD_B=$T_HOLD_PID
		PIN_A="/proc/$HOLD_A/root/sys/fs/bpf/bpfwall"
		PIN_B="/proc/$HOLD_B/root/sys/fs/bpf/bpfwall"
		return 0
	fi
	t_mount_pin "$NS_A"
	t_mount_pin "$NS_B"
	PIN_A="$T_DIR/bpf-$NS_A"
	PIN_B="$T_DIR/bpf-$NS_B"
}

# t_setup_router: three namespaces, a — r — b, r routing between them
# (IPv4 and IPv6 forwarding on), a and b routing through r:
#
#   namespaces   bwt-$T_NAME-a-$$, bwt-$T_NAME-r-$$, bwt-$T_NAME-b-$$
#   a — r        bwta0 (in a, 192.0.2.1/24 and 192.0.2.66/24, 2001:db8:1::1/64)
#                bwtr0 (in r, 192.0.2.254/24, 2001:db8:1::fe/64)
#   r — b        bwtr1 (in r, 198.51.100.254/24, 2001:db8:2::fe/64)
#                bwtb0 (in b, 198.51.100.2/24, 2001:db8:2::2/64)
#
# with static neighbour entries on every end.  bpfwall runs in r: bw_r,
# as bw_a/bw_b do (PIN_R; HOLD_R in the host tier).
t_setup_router()
{
	[ -n "$T_DIR" ] || t_init
	NS_A="bwt-$T_NAME-a-$$"
	NS_R="bwt-$T_NAME-r-$$"
	NS_B="bwt-$T_NAME-b-$$"
	VETH_RA=bwtr0
	VETH_RB=bwtr1
	IP_A=192.0.2.1
	IP_A2=192.0.2.66
	IP_RA=192.0.2.254
	IP_RB=198.51.100.254
	IP_B=198.51.100.2
	IP6_A=2001:db8:1::1
	IP6_RA=2001:db8:1::fe
	IP6_RB=2001:db8:2::fe
	IP6_B=2001:db8:2::2
	local ns mac_a mac_ra mac_rb mac_b
	ip netns add "$NS_A" || t_skip "cannot create a network namespace here"
	T_NS+=("$NS_A")
	for ns in "$NS_R" "$NS_B"; do
		ip netns add "$ns" || t_fatal "ip netns add $ns"
		T_NS+=("$ns")
	done
	for ns in "$NS_A" "$NS_R" "$NS_B"; do
		ip -n "$ns" link set lo up
	done
	ip -n "$NS_A" link add "$VETH_A" type veth peer name "$VETH_RA" netns "$NS_R" ||
		t_fatal "cannot create the veth pair a — r"
	ip -n "$NS_R" link add "$VETH_RB" type veth peer name "$VETH_B" netns "$NS_B" ||
		t_fatal "cannot create the veth pair r — b"
	ip -n "$NS_A" addr add "$IP_A/24" dev "$VETH_A"
	ip -n "$NS_A" addr add "$IP_A2/24" dev "$VETH_A"
	ip -n "$NS_A" addr add "$IP6_A/64" dev "$VETH_A" nodad
	ip -n "$NS_R" addr add "$IP_RA/24" dev "$VETH_RA"
	ip -n "$NS_R" addr add "$IP6_RA/64" dev "$VETH_RA" nodad
	ip -n "$NS_R" addr add "$IP_RB/24" dev "$VETH_RB"
	ip -n "$NS_R" addr add "$IP6_RB/64" dev "$VETH_RB" nodad
	ip -n "$NS_B" addr add "$IP_B/24" dev "$VETH_B"
	ip -n "$NS_B" addr add "$IP6_B/64" dev "$VETH_B" nodad
	ip -n "$NS_A" link set "$VETH_A" up
	ip -n "$NS_R" link set "$VETH_RA" up
	ip -n "$NS_R" link set "$VETH_RB" up
	ip -n "$NS_B" link set "$VETH_B" up
	ip -n "$NS_A" route add default via "$IP_RA"
	ip -n "$NS_A" -6 route add default via "$IP6_RA"
	ip -n "$NS_B" route add default via "$IP_RB"
	ip -n "$NS_B" -6 route add default via "$IP6_RB"
	ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1 ||
		t_fatal "cannot turn forwarding on in $NS_R"
	mac_a=$(ip netns exec "$NS_A" cat "/sys/class/net/$VETH_A/address")
	mac_ra=$(ip netns exec "$NS_R" cat "/sys/class/net/$VETH_RA/address")
	mac_rb=$(ip netns exec "$NS_R" cat "/sys/class/net/$VETH_RB/address")
	mac_b=$(ip netns exec "$NS_B" cat "/sys/class/net/$VETH_B/address")
	ip -n "$NS_A" neigh replace "$IP_RA" lladdr "$mac_ra" dev "$VETH_A" nud permanent
	ip -n "$NS_A" neigh replace "$IP6_RA" lladdr "$mac_ra" dev "$VETH_A" nud permanent
	ip -n "$NS_R" neigh replace "$IP_A" lladdr "$mac_a" dev "$VETH_RA" nud permanent
	ip -n "$NS_R" neigh replace "$IP_A2" lladdr "$mac_a" dev "$VETH_RA" nud permanent
	ip -n "$NS_R" neigh replace "$IP6_A" lladdr "$mac_a" dev "$VETH_RA" nud permanent
	ip -n "$NS_R" neigh replace "$IP_B" lladdr "$mac_b" dev "$VETH_RB" nud permanent
	ip -n "$NS_R" neigh replace "$IP6_B" lladdr "$mac_b" dev "$VETH_RB" nud permanent
	ip -n "$NS_B" neigh replace "$IP_RB" lladdr "$mac_rb" dev "$VETH_B" nud permanent
	ip -n "$NS_B" neigh replace "$IP6_RB" lladdr "$mac_rb" dev "$VETH_B" nud permanent
	if [ "$T_TIER" = host ]; then
		t_host_ns "$NS_R"
		HOLD_R=$T_HOLD_PID
		PIN_R="/proc/$HOLD_R/root/sys/fs/bpf/bpfwall"
		return 0
	fi
	t_mount_pin "$NS_R"
	PIN_R="$T_DIR/bpf-$NS_R"
}

# t_host_ns NS: (host tier) start the holder of namespace NS's mount
# namespace: private from the host's, with the host's /sys; its pid in
# T_HOLD_PID (and in T_HOLD, for the cleanup).  A bpffs already on /sys/fs/bpf is the host's: a fresh one is
# mounted over it there, so the host's pins stay out of reach; where none
# is (these machines), bpfwall mounts its own, as on a host.
t_host_ns()
{
	local pid i
	command -v nsenter >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1 ||
		t_skip "the host tier needs nsenter and unshare (util-linux)"
	unshare --mount --propagation private sleep $((${T_TIMEOUT:-120} + 60)) \
		</dev/null >/dev/null 2>&1 &
	pid=$!
	T_HOLD+=("$1 $pid")
	T_HOLD_PID=$pid
	for i in $(seq 1 50); do
		[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] && break
		sleep 0.05
	done
	[ "$(readlink "/proc/$pid/ns/mnt")" != "$(readlink /proc/self/ns/mnt)" ] ||
		t_fatal "no private mount namespace for $1"
	grep -q cgroup2 "/proc/$pid/mountinfo" ||
		t_skip "the host tier needs a cgroup v2 hierarchy mounted on the host"
	if [ "$(stat -f -c %T "/proc/$pid/root/sys/fs/bpf" 2>/dev/null)" = bpf_fs ]; then
		nsenter --mount="/proc/$pid/ns/mnt" mount -t bpf -o mode=0700 bpf /sys/fs/bpf ||
			t_fatal "cannot cover the host's bpffs in $1's mount namespace"
	fi
}

# bw_a / bw_b ARGS: run bpfwall in namespace a / b: with its private pin
# dir (lab tier), or as a host runs it (host tier).
bw_a()
{
	if [ "$T_TIER" = host ]; then
		timeout 30 nsenter --mount="/proc/$HOLD_A/ns/mnt" --net="/run/netns/$NS_A" \
			"$BPFWALL" "$@"
	else
		timeout 30 ip netns exec "$NS_A" "$BPFWALL" --pin-dir "$PIN_A" "$@"
	fi
}

bw_b()
{
	if [ "$T_TIER" = host ]; then
		timeout 30 nsenter --mount="/proc/$HOLD_B/ns/mnt" --net="/run/netns/$NS_B" \
			"$BPFWALL" "$@"
	else
		timeout 30 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN_B" "$@"
	fi
}

bw_r()
{
	if [ "$T_TIER" = host ]; then
		timeout 30 nsenter --mount="/proc/$HOLD_R/ns/mnt" --net="/run/netns/$NS_R" \
			"$BPFWALL" "$@"
	else
		timeout 30 ip netns exec "$NS_R" "$BPFWALL" --pin-dir "$PIN_R" "$@"
	fi
}

# bw_bg a|b SECONDS ARGS: bpfwall ARGS in the background in namespace a
# or b, as bw_a/bw_b run it, for at most SECONDS; its pid (timeout's,
# which passes a kill on) in BW_BG, and in T_PIDS for the cleanup.
bw_bg()
{
	local which=$1 secs=$2 ns pin hold
	shift 2
	if [ "$which" = a ]; then
		ns=$NS_A pin=$PIN_A hold=${HOLD_A:-}
	else
		ns=$NS_B pin=$PIN_B hold=${HOLD_B:-}
	fi
	if [ "$T_TIER" = host ]; then
		timeout "$secs" nsenter --mount="/proc/$hold/ns/mnt" --net="/run/netns/$ns" \
			"$BPFWALL" "$@" &
	else
		timeout "$secs" ip netns exec "$ns" "$BPFWALL" --pin-dir "$pin" "$@" &
	fi
	BW_BG=$!
	T_PIDS+=("$BW_BG")
}

# t_rules NAME <<EOF: write a rule file into the test dir, print its path.
# @VETH_A@ and @VETH_B@ in the text are replaced by the device names.
t_rules()
{
	local f="$T_DIR/$1"
	sed -e "s/@VETH_A@/$VETH_A/g" -e "s/@VETH_B@/$VETH_B/g" >"$f"
	echo "$f"
}

# in_a / in_b CMD...: run CMD in namespace a / b.
in_a()
{
	ip netns exec "$NS_A" "$@"
}

in_b()
{
	ip netns exec "$NS_B" "$@"
}

in_r()
{
	ip netns exec "$NS_R" "$@"
}

# ping_from NS SRC DST: one echo, 1 s to answer.
ping_from()
{
	local fam=-4
	case $3 in *:*) fam=-6 ;; esac
	timeout 5 ip netns exec "$1" ping "$fam" -n -q -c 1 -W 1 -I "$2" "$3" >/dev/null 2>&1
}

# t_tcp_server NS ADDR PORT: answer every connection with "bw-hello PORT".
# Returns once the port listens (bounded).
t_tcp_server()
{
	local ns=$1 addr=$2 port=$3 i
	local la=$addr proto=TCP4
	case $addr in *:*) la="[$addr]" proto=TCP6 ;; esac
	timeout 100 ip netns exec "$ns" socat "$proto-LISTEN:$port,bind=$la,fork,reuseaddr" \
		"SYSTEM:echo bw-hello $port" >/dev/null 2>&1 &
	T_PIDS+=($!)
	for i in $(seq 1 50); do
		if ip netns exec "$ns" ss -Hltn 2>/dev/null | grep -qF " $la:$port "; then
			return 0
		fi
		sleep 0.1
	done
	t_fatal "TCP server on $ns $addr:$port did not start"
}

# tcp_from NS SRC DST PORT [SECONDS]: connect (2 s at most, or SECONDS:
# 1 for the connections that must fail, whose dropped SYN never answers)
# and read the greeting.
tcp_from()
{
	local ns=$1 src=$2 dst=$3 port=$4 wait=${5:-2} out proto=TCP4
	case $dst in *:*) dst="[$dst]" src="[$src]" proto=TCP6 ;; esac
	out=$(timeout $((wait + 3)) ip netns exec "$ns" socat -u \
		"$proto:$dst:$port,bind=$src,connect-timeout=$wait" - 2>/dev/null) || return 1
	[ "$out" = "bw-hello $port" ]
}

# t_udp_server NS ADDR PORT: answer every datagram with "bw-hello PORT".
# The answer waits until the datagram is read: an echo that exits before
# socat has written the datagram to it loses the answer now and then.
t_udp_server()
{
	local ns=$1 addr=$2 port=$3 i
	timeout 100 ip netns exec "$ns" socat "UDP4-RECVFROM:$port,bind=$addr,fork" \
		"SYSTEM:read -r line; echo bw-hello $port" >/dev/null 2>&1 &
	T_PIDS+=($!)
	for i in $(seq 1 50); do
		if ip netns exec "$ns" ss -Huln 2>/dev/null | grep -qF " $addr:$port "; then
			return 0
		fi
		sleep 0.1
	done
	t_fatal "UDP server on $ns $addr:$port did not start"
}

# udp_from NS SRC DST PORT: send one datagram, wait (at most 5 s) for the
# answer.  The server forks a shell per datagram, slow on a loaded
# machine: -t 5, or socat gives the answer 0.5 s once its stdin ends.
udp_from()
{
	local ns=$1 src=$2 dst=$3 port=$4 out
	out=$(echo ping | timeout 8 ip netns exec "$ns" socat -t 5 -T 5 - \
		"UDP4:$dst:$port,bind=$src" 2>/dev/null) || return 1
	[ "$out" = "bw-hello $port" ]
}

# list_counter TEXT PATTERN: "packets bytes" of the first rule line that
# contains PATTERN (fixed string) in `list ruleset` output TEXT.
list_counter()
{
	printf '%s\n' "$1" | grep -F -- "$2" | head -n 1 |
		sed -n 's/.*counter packets \([0-9]*\) bytes \([0-9]*\).*/\1 \2/p'
}
