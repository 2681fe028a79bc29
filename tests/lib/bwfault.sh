# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Helpers for the tests of crashes and leftovers (tests/e2e/crash-*.sh,
# state-upgrade.sh, fault-kill.sh), sourced after tests/lib/bwtest.sh and
# t_setup_pair.  Lab tier only (bpfwall under ip netns exec, namespace b).
#
#   bw_b_trace FILE ARGS    run bpfwall ARGS in b under strace; FILE gets
#                           its bpf() commands, one a line, in order,
#                           FILE.raw strace's lines (bpf, unlink, rename)
#   bw_b_kill_at N ARGS     run bpfwall ARGS in b, killed (SIGKILL) on
#                           entering its Nth bpf() call, before the call;
#                           fails when the run ended before its Nth call
#   attached_b              what the kernel has attached in b (bwprobe),
#                           XDP/TC ("xdp DEV MODE", "tc-egress DEV KIND",
#                           "tc-ingress DEV KIND"), bpfwall's programs only,
#                           sorted; and, with nf_probe_init, the netfilter
#                           hooks found by nf_probe
#   listed_b                the same, as `list ruleset` says it
#   pins_b                  bpfwall's pins in b's pin dir, sorted
#   nf_probe_init SPEC...   SPEC is "FAMILY:HOOK:PRIORITY:PORT": a netfilter
#                           chain of the rulesets under test drops UDP to
#                           PORT (and nothing else does); nf_probe then
#                           tells which are in force.  Makes the probes'
#                           own veth pair, a bwtpa 203.0.113.1, 2001:db8:3::1
#                           to b bwtpb 203.0.113.2, 2001:db8:3::2

# The tests name every attachment their rulesets make: no input drops
# hoisted to XDP on the namespace's interfaces (tests/e2e/hoist.sh tests
# that), so the netfilter chains stay where the expectations put them.
export BPFWALL_HOIST=off

PROBE="$T_BUILDDIR/tests/lib/bwprobe"
[ -x "$PROBE" ] || t_skip "needs tests/lib/bwprobe (make check builds it)"
command -v strace >/dev/null 2>&1 || t_skip "needs strace (tests/lib/setup.sh installs it)"
[ "$T_TIER" = lab ] || t_skip "the crash tests run in the lab tier"

bw_b_trace()
{
	local file=$1
	shift
	timeout 60 ip netns exec "$NS_B" strace -f -qq -o "$file.raw" \
		-e trace=bpf,unlink,unlinkat,rename,renameat,renameat2 \
		"$BPFWALL" --pin-dir "$PIN_B" "$@" >/dev/null 2>&1
	local rc=$?
	# "PID  bpf(BPF_CMD, ...": the pid padded with spaces
	sed -n 's/^[0-9]* *bpf(\([A-Za-z0-9_]*\).*/\1/p' "$file.raw" >"$file"
	[ -s "$file" ] || { echo "no bpf() calls traced in $file.raw" >&2; return 1; }
	return $rc
}

bw_b_kill_at()
{
	local n=$1
	shift
	# (in a subshell that waits: the shell that sees the kill says
	# "Killed")
	# "Killed"); 0 when the kill came, 1 when the run ended first
	local rc
	rc=$( (timeout 60 ip netns exec "$NS_B" strace -f -qq -o /dev/null -e trace=bpf \
		-e inject=bpf:signal=SIGKILL:when="$n" \
		"$BPFWALL" --pin-dir "$PIN_B" "$@" >/dev/null 2>&1; echo $?) 2>/dev/null)
	[ "$rc" = 137 ]
}

# The XDP/TC programs of bpfwall's attached in b (named bw_...).
xdp_tc_b()
{
	in_b "$PROBE" attached | awk '$NF ~ /^bw_/ { print $1, $2, $3 }' | sort
}

# ifindex -> name in b
ifname_b()
{
	local n
	n=$(in_b ip -o link show | awk -F': ' -v i="$1" '$1 == i { sub(/@.*/, "", $2); print $2 }')
	echo "${n:-ifindex$1}"
}

NF_SPECS=()
NF_DST4=203.0.113.2
NF_DST6=2001:db8:3::2
nf_probe_init()
{
	NF_SPECS=("$@")
	# the probes' own path, a to b, where no ruleset attaches to a
	# device (a bridge, or a stale program a crash left, would drop
	# them before any netfilter hook)
	ip -n "$NS_A" link add bwtpa type veth peer name bwtpb netns "$NS_B" ||
		t_fatal "cannot make the probes' veth pair"
	ip -n "$NS_A" addr add 203.0.113.1/24 dev bwtpa
	ip -n "$NS_B" addr add "$NF_DST4/24" dev bwtpb
	ip -n "$NS_A" addr add 2001:db8:3::1/64 dev bwtpa nodad
	ip -n "$NS_B" addr add "$NF_DST6/64" dev bwtpb nodad
	ip -n "$NS_A" link set bwtpa up
	ip -n "$NS_B" link set bwtpb up
	local ma mb
	ma=$(in_a cat /sys/class/net/bwtpa/address)
	mb=$(in_b cat /sys/class/net/bwtpb/address)
	ip -n "$NS_A" neigh replace "$NF_DST4" lladdr "$mb" dev bwtpa nud permanent
	ip -n "$NS_A" neigh replace "$NF_DST6" lladdr "$mb" dev bwtpa nud permanent
	ip -n "$NS_B" neigh replace 203.0.113.1 lladdr "$ma" dev bwtpb nud permanent
	ip -n "$NS_B" neigh replace 2001:db8:3::1 lladdr "$ma" dev bwtpb nud permanent
	local spec rules="" fam hk prio port
	for spec in "$@"; do
		IFS=: read -r fam hk prio port <<<"$spec"
		rules+="		meta nfproto $fam udp dport $port counter name c_${fam}_$port
"
	done
	in_b nft -f - <<EOF2 || t_fatal "cannot make the netfilter probes' counters"
table inet bwtprobe {
$(for spec in "$@"; do IFS=: read -r fam hk prio port <<<"$spec"; echo "	counter c_${fam}_$port { }"; done)
	counter marker { }
	chain input {
		type filter hook input priority 1000; policy accept;
$rules		udp dport 7199 counter name marker
	}
}
EOF2
}

nf_count()
{
	in_b nft list counter inet bwtprobe "$1" 2>/dev/null |
		sed -n 's/.*packets \([0-9]*\) bytes.*/\1/p'
}

# nf_probe: "netfilter FAMILY HOOK PRIORITY" for each probe whose
# datagram a netfilter chain dropped: sent from a over the probes' veth,
# then a marker that no chain drops; once the marker is counted the
# probes before it have been (veth keeps the order), or were dropped.
nf_probe()
{
	local spec fam hk prio port before=() i=0 m0 m1 k dst send=""
	for spec in "${NF_SPECS[@]}"; do
		IFS=: read -r fam hk prio port <<<"$spec"
		before[i]=$(nf_count "c_${fam}_$port")
		i=$((i + 1))
		if [ "$fam" = ipv6 ]; then dst=$NF_DST6; else dst=$NF_DST4; fi
		send+="echo probe >/dev/udp/$dst/$port; "
	done
	m0=$(nf_count marker)
	in_a timeout 5 bash -c "$send echo marker >/dev/udp/$NF_DST4/7199" 2>/dev/null
	for k in $(seq 1 200); do
		m1=$(nf_count marker)
		[ "${m1:-0}" -gt "${m0:-0}" ] && break
		sleep 0.05
	done
	if [ "${m1:-0}" -le "${m0:-0}" ]; then
		echo "netfilter probe-lost"
		return
	fi
	i=0
	for spec in "${NF_SPECS[@]}"; do
		IFS=: read -r fam hk prio port <<<"$spec"
		[ "$(nf_count "c_${fam}_$port")" = "${before[i]}" ] &&
			echo "netfilter $fam $hk $prio"
		i=$((i + 1))
	done
}

attached_b()
{
	{
		xdp_tc_b
		[ "${#NF_SPECS[@]}" -gt 0 ] && nf_probe
	} | sort
}

# `list ruleset`'s attachments in the same words: "# attached: ingress
# xdp native on DEV (ifindex N)", "# attached, not in the state: ingress
# xdp generic on ifindex N (pinned as ...)", "egress tcx ...", "...
# netfilter ...", "drop-all bridge at tc ingress (tcx) on ifindex N".
listed_b()
{
	local out line
	out=$(bw_b list ruleset 2>&1) || { echo "list-failed: $out"; return; }
	printf '%s\n' "$out" | grep -E '^# attached' | while IFS= read -r line; do
		case $line in
		*"drop-all bridge"*)
			idx=${line##*on ifindex }; idx=${idx%% *}
			kind=${line#*tc ingress (}; kind=${kind%%)*}
			echo "tc-ingress $(ifname_b "$idx") $kind" ;;
		*"ingress xdp "*" on ifindex "*)
			idx=${line##*on ifindex }; idx=${idx%% *}
			mode=${line#*ingress xdp }; mode=${mode%% *}
			echo "xdp $(ifname_b "$idx") $mode" ;;
		*"ingress xdp "*)
			mode=${line#*ingress xdp }; mode=${mode%% *}
			dev=${line#* on }; dev=${dev%% *}
			echo "xdp $dev $mode" ;;
		*"egress "*" on ifindex "*)
			idx=${line##*on ifindex }; idx=${idx%% *}
			kind=${line#*egress }; kind=${kind%% *}
			echo "tc-egress $(ifname_b "$idx") $kind" ;;
		*"egress "*)
			kind=${line#*egress }; kind=${kind%% *}
			dev=${line#* on }; dev=${dev%% *}
			echo "tc-egress $dev $kind" ;;
		*"# attached: "*" netfilter "*)
			set -- ${line#\# attached: }
			echo "netfilter $3 $1 $5" ;;
		*"netfilter "*)
			set -- ${line#*netfilter }
			echo "netfilter $2 $1 $4" ;;
		esac
	done | sort
}

pins_b()
{
	ls "$PIN_B" | grep -v -x -e maps.debug -e progs.debug | sort
}
