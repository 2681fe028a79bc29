#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The pin dir against a hostile local user, on a bpffs that everyone may
# write (mode 1777: what a plain `mount -t bpf` gives): an unprivileged
# user (nobody, through setpriv) must not be able to create bpfwall's pin
# dir through bpfwall, to plant a pin dir, a symlink or a directory on the
# way that root's bpfwall then trusts, or to unlink the pins of a loaded
# ruleset (which would detach the firewall while `list ruleset` says it
# is attached).  Root's bpfwall refuses what it cannot trust, with the
# path and what to do, and a pin that is not root's or that others can
# write; a pin dir that others can write; a directory on the way that
# others can write and is not sticky.
T_NAME=pintrust
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root
command -v setpriv >/dev/null 2>&1 || t_skip "needs setpriv (util-linux)"
t_setup_pair

NOBODY=65534
# the unprivileged user: no capabilities, no groups
as_nobody()
{
	timeout 10 setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups "$@"
}
as_nobody true || t_skip "cannot run commands as uid $NOBODY here"
# a copy of bpfwall that nobody may run, wherever the build tree is
cp "$BPFWALL" "$T_DIR/bpfwall" && chmod 755 "$T_DIR/bpfwall" || t_fatal "cp bpfwall"
chmod 755 "$T_DIR"
as_nobody "$T_DIR/bpfwall" --version >/dev/null 2>&1 || t_skip "uid $NOBODY cannot run $T_DIR/bpfwall"

# the shared bpffs: mode 1777, as `mount -t bpf bpf DIR` makes it
SH="$T_DIR/shared"
mkdir -p "$SH" && mount -t bpf -o mode=1777 bpf "$SH" || t_skip "cannot mount a bpffs"
T_MOUNTS+=("$SH")
[ "$(stat -c %a "$SH")" = 1777 ] || t_fatal "the shared bpffs has mode $(stat -c %a "$SH")"

rules=$(t_rules trust.conf <<'EOF2'
table netdev t {
	chain in {
		type filter hook ingress device "@VETH_B@" priority 0; policy accept;
		ip saddr 192.0.2.66 counter drop
	}
}
EOF2
)
# root's bpfwall in namespace b, on a pin dir of the shared bpffs
bw_sh()
{
	local dir=$1
	shift
	timeout 30 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$dir" "$@"
}
xdp_on_b()
{
	in_b ip -d link show dev "$VETH_B" | grep -q xdp
}

# -- read-only commands of an unprivileged user make nothing
for cmd in "monitor" "list ruleset" "list conntrack"; do
	# shellcheck disable=SC2086
	out=$(as_nobody "$T_DIR/bpfwall" --pin-dir "$SH/fw" $cmd 2>&1)
	rc=$?
	if [ -e "$SH/fw" ]; then
		t_bad "nobody's '$cmd' created $SH/fw"
		rm -rf "$SH/fw"
	else
		t_ok "nobody's '$cmd' creates no pin dir (rc $rc)"
	fi
done
out=$(as_nobody "$T_DIR/bpfwall" --pin-dir "$SH/fw" monitor 2>&1)
rc=$?
case $rc:$out in
1:*"no ruleset is loaded"*) t_ok "monitor with nothing loaded: $out" ;;
*) t_bad "monitor with nothing loaded: rc $rc: $out" ;;
esac

# -- a pin dir planted by nobody: root's load refuses it
as_nobody mkdir "$SH/fw" || t_fatal "nobody cannot mkdir in the 1777 bpffs"
as_nobody mkdir "$SH/fw/state_new" || t_fatal "nobody cannot mkdir in its own dir"
out=$(bw_sh "$SH/fw" -f "$rules" 2>&1)
rc=$?
echo "$out"
case $rc:$out in
1:*"$SH/fw"*"uid $NOBODY"*"remove it"*) t_ok "a load refuses the pin dir nobody made" ;;
*) t_bad "a load on nobody's pin dir: rc $rc: $out" ;;
esac
t_check_not "nothing attached after the refused load" xdp_on_b
[ -z "$(ls "$SH/fw" | grep -v state_new)" ] && t_ok "nothing pinned in nobody's dir" ||
	t_bad "pinned in nobody's dir: $(ls "$SH/fw")"
out=$(bw_sh "$SH/fw" list ruleset 2>&1)
rc=$?
[ "$rc" -eq 1 ] && t_ok "list refuses nobody's pin dir too" || t_bad "list on nobody's pin dir: rc $rc: $out"

# -- a directory on the way that nobody owns
as_nobody mkdir -p "$SH/u" || t_fatal "mkdir $SH/u"
out=$(bw_sh "$SH/u/fw" -f "$rules" 2>&1)
rc=$?
case $rc:$out in
1:*"$SH/u"*"uid $NOBODY"*) t_ok "a load refuses a path through nobody's directory" ;;
*) t_bad "a load through nobody's directory: rc $rc: $out" ;;
esac
[ -e "$SH/u/fw" ] && t_bad "the load made $SH/u/fw" || t_ok "and made nothing in it"

# -- a symlink nobody planted, to a directory root made
mkdir "$SH/rootdir"
as_nobody ln -s "$SH/rootdir" "$SH/link" || t_fatal "ln -s"
out=$(bw_sh "$SH/link" -f "$rules" 2>&1)
rc=$?
case $rc:$out in
1:*"symlink owned by uid $NOBODY"*) t_ok "a load refuses nobody's symlink" ;;
*) t_bad "a load through nobody's symlink: rc $rc: $out" ;;
esac
t_check_not "nothing attached" xdp_on_b

# -- the 1777 mount itself as the pin dir: writable by others
out=$(bw_sh "$SH" -f "$rules" 2>&1)
rc=$?
case $rc:$out in
1:*"writable by others"*"--pin-dir $SH/bpfwall"*) t_ok "a load refuses a pin dir others can write" ;;
*) t_bad "a load on the 1777 mount: rc $rc: $out" ;;
esac

# -- a world-writable, not sticky directory on the way (tmpfs)
mkdir -m 0777 "$T_DIR/ww" && chmod 0777 "$T_DIR/ww"
out=$(bw_sh "$T_DIR/ww/fw" -f "$rules" 2>&1)
rc=$?
case $rc:$out in
1:*"$T_DIR/ww"*"writable by others"*"not sticky"*) t_ok "a load refuses a path through a world-writable directory" ;;
*) t_bad "a load through a world-writable directory: rc $rc: $out" ;;
esac
[ -e "$T_DIR/ww/fw" ] && t_bad "the load made $T_DIR/ww/fw" || t_ok "and made nothing there"

# -- root's own pin dir in the shared bpffs: nobody cannot touch it
PIN="$SH/bpfwall"
out=$(bw_sh "$PIN" -f "$rules" 2>&1) || t_fatal "load into $PIN: $out"
t_ok "a load makes its own pin dir in the shared bpffs"
[ "$(stat -c '%u %a' "$PIN")" = "0 700" ] && t_ok "the pin dir is root's, mode 0700" ||
	t_bad "the pin dir: $(stat -c '%u %a' "$PIN")"
t_check_not "loaded: ping from $IP_A2 dropped" ping_from "$NS_A" "$IP_A2" "$IP_B"
link=$(ls "$PIN" | grep '^link_xdp_' | head -n 1)
[ -n "$link" ] || t_fatal "no link pin in $PIN: $(ls "$PIN")"
as_nobody rm -f "$PIN/$link" 2>/dev/null
as_nobody rm -rf "$PIN" 2>/dev/null
as_nobody mv "$PIN" "$SH/moved" 2>/dev/null
as_nobody mkdir "$PIN/state_new" 2>/dev/null
[ -e "$PIN/$link" ] && t_ok "nobody cannot unlink the link pin, move or fill the pin dir" ||
	t_bad "nobody removed $PIN/$link"
[ -e "$PIN/state_new" ] && t_bad "nobody made $PIN/state_new" || true
t_check "still attached" xdp_on_b
t_check_not "still dropping: ping from $IP_A2" ping_from "$NS_A" "$IP_A2" "$IP_B"
out=$(bw_sh "$PIN" list ruleset 2>&1)
case $out in
*"# attached: ingress xdp"*) t_ok "list ruleset says attached, and it is" ;;
*) t_bad "list ruleset: $out" ;;
esac
out=$(bw_sh "$PIN" -f "$rules" 2>&1) && t_ok "a reload succeeds" || t_bad "reload: $out"

# -- root's pin dir opened up, a pin given away: refused
chmod 0777 "$PIN"
out=$(bw_sh "$PIN" list ruleset 2>&1)
rc=$?
case $rc:$out in
1:*"writable by others"*"chmod go-w"*) t_ok "list refuses a pin dir made writable by others" ;;
*) t_bad "list on a 0777 pin dir: rc $rc: $out" ;;
esac
chmod 0700 "$PIN"
chown $NOBODY "$PIN/counters"
out=$(bw_sh "$PIN" list ruleset 2>&1)
rc=$?
case $rc:$out in
1:*"$PIN/counters"*"uid $NOBODY"*) t_ok "list refuses a pin nobody owns" ;;
*) t_bad "list with nobody's counters: rc $rc: $out" ;;
esac
chown 0 "$PIN/counters"
out=$(bw_sh "$PIN" list ruleset 2>&1) && t_ok "list works again" || t_bad "list: $out"
out=$(bw_sh "$PIN" flush ruleset 2>&1) || t_bad "flush: $out"
t_check_not "flushed: nothing attached" xdp_on_b
t_done
