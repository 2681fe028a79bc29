#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package: built from the distributed files (`make distdir`,
# so whatever debian/ needs must be in EXTRA_DIST) with
# `dpkg-buildpackage -us -uc -b`, installed with `dpkg -i` on this
# machine, checked, run, removed and purged:
#
#   install  every file in place, the config a conffile, the unit passes
#            systemd-analyze verify among the host's units; the service
#            is neither enabled nor started
#   run      the installed unit's ExecStart and ExecReload lines,
#            as systemd would (tests/lib/service.sh), in a throwaway
#            network namespace with a private pin dir: SSH in, 8080 not;
#            a reload opens 8080; a bad file fails the reload and changes
#            nothing; stop leaves the ruleset
#   remove   the prerm flushes the loaded ruleset (nothing attached is
#            left); the config stays
#   purge    nothing of the package is left, /etc/bpfwall neither
#
# Every dpkg run has BPFWALL_PIN_DIR set to the test's own pin dir and
# runs in the test's namespace, so the maintainer scripts never look at
# the host's ruleset.  Skips (exit 77) without root, dpkg-buildpackage or
# debhelper, with unmet build dependencies, or when a bpfwall package is
# already installed here (not ours to touch).  Runs of this test on one
# machine take turns (a lock), as dpkg allows one at a time.
T_NAME=package
T_TIMEOUT=${T_TIMEOUT:-400}
. "$(dirname "$0")/../lib/bwtest.sh"
. "$(dirname "$0")/../lib/service.sh"
t_require_root
for tool in dpkg dpkg-deb dpkg-buildpackage dpkg-checkbuilddeps dh flock; do
	command -v "$tool" >/dev/null 2>&1 ||
		t_skip "needs $tool (apt-get install dpkg-dev debhelper)"
done
t_init

lockdir=/run/lock
[ -d "$lockdir" ] || lockdir=/tmp
exec {lock}>"$lockdir/bpfwall-package-test.lock"
flock -w 300 "$lock" || t_fatal "another run of this test held the lock for 300 s"
st=$(dpkg-query -W -f='${Status}' bpfwall 2>/dev/null)
case $st in
"" | *not-installed) ;;
*) t_skip "a bpfwall package is on this machine ($st): not touching it" ;;
esac

# Build it from the distributed files.
SRC=$T_DIR/pkg/bpfwall-src
mkdir -p "$T_DIR/pkg"
make -s --no-print-directory -C "$T_BUILDDIR" distdir distdir="$SRC" >"$T_DIR/distdir.log" 2>&1 ||
	t_fatal "make distdir: $(tail -n 5 "$T_DIR/distdir.log")"
[ -d "$SRC/debian" ] || t_fatal "debian/ is not in the distributed files (EXTRA_DIST)"
deps=$(cd "$SRC" && dpkg-checkbuilddeps 2>&1) ||
	t_skip "the build dependencies are not installed: $deps"
version=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
upstream=$(sed -n 's/^PACKAGE_VERSION = //p' "$T_BUILDDIR/Makefile")
[ "$version" = "$upstream" ] && t_ok "debian/changelog has the version of configure.ac ($version)" ||
	t_bad "debian/changelog says $version, configure.ac $upstream"
start=$(date +%s)
(cd "$SRC" && unset MAKEFLAGS MFLAGS MAKELEVEL &&
	DEB_BUILD_OPTIONS="nocheck parallel=$(nproc)" timeout 300 \
	nice dpkg-buildpackage -us -uc -b) >"$T_DIR/build.log" 2>&1 ||
	t_fatal "dpkg-buildpackage -us -uc -b: $(tail -n 20 "$T_DIR/build.log")"
deb=$T_DIR/pkg/bpfwall_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || t_fatal "no $deb after the build"
t_ok "dpkg-buildpackage -us -uc -b built $(basename "$deb") in $(($(date +%s) - start)) s"

# dpkg_run ARGS...: dpkg in the test's namespace with its pin dir (or
# with a pin dir that does not exist, before the namespace is made), a
# few tries while another dpkg holds its lock.
dpkg_run()
{
	local i out rc pin=${PIN_B:-$T_DIR/no-pin-dir} wrap=()
	[ -n "${NS_B:-}" ] && wrap=(ip netns exec "$NS_B")
	for i in 1 2 3 4 5 6 7 8 9 10; do
		out=$(timeout 120 "${wrap[@]}" env BPFWALL_PIN_DIR="$pin" dpkg "$@" 2>&1)
		rc=$?
		case $out in
		*"lock"*"held"* | *"locked by another"*) sleep 3 ;;
		*) break ;;
		esac
	done
	printf '%s\n' "$out"
	return "$rc"
}

installed=""
package_cleanup()
{
	local rc=$?
	[ -n "$installed" ] && dpkg_run --purge bpfwall >/dev/null 2>&1
	(exit "$rc")
	t_cleanup
}
trap package_cleanup EXIT

# --- install ---
installed=1
out=$(dpkg_run -i "$deb") || t_fatal "dpkg -i: $out"
t_ok "dpkg -i $(basename "$deb")"
dpkg-query -W -f='${Status}' bpfwall | grep -qx 'install ok installed' &&
	t_ok "dpkg says bpfwall is installed" || t_bad "dpkg-query: $(dpkg-query -W -f='${Status}' bpfwall)"
files=$(dpkg-query -L bpfwall)
for f in /usr/sbin/bpfwall /etc/bpfwall/bpfwall.conf /lib/systemd/system/bpfwall.service \
	/usr/share/bash-completion/completions/bpfwall /usr/share/man/man8/bpfwall.8.gz \
	/usr/share/man/man5/bpfwall.conf.5.gz /usr/share/man/man8/bpfwall-iptables.8.gz \
	/usr/libexec/bpfwall/iptables /usr/libexec/bpfwall/ip6tables-restore; do
	printf '%s\n' "$files" | grep -qx "$f" && [ -e "$f" ] && t_ok "installed: $f" ||
		t_bad "not installed: $f"
done
dpkg-query -W -f='${Conffiles}\n' bpfwall | grep -q '^ /etc/bpfwall/bpfwall.conf ' &&
	t_ok "/etc/bpfwall/bpfwall.conf is a conffile" || t_bad "/etc/bpfwall/bpfwall.conf is not a conffile"
out=$(/usr/sbin/bpfwall -c -f /etc/bpfwall/bpfwall.conf 2>&1) &&
	t_ok "/usr/sbin/bpfwall -c -f /etc/bpfwall/bpfwall.conf" || t_bad "bpfwall -c -f: $out"
wants=$(find /etc/systemd/system -name bpfwall.service 2>/dev/null)
[ -z "$wants" ] && t_ok "the service is not enabled" || t_bad "the service is enabled: $wants"
grep -q '_dh_action=start\|deb-systemd-invoke start' /var/lib/dpkg/info/bpfwall.postinst &&
	t_bad "the postinst starts or enables the service" || t_ok "the postinst neither starts nor enables the service"
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(systemd-analyze verify /lib/systemd/system/bpfwall.service 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && [ -z "$out" ] && t_ok "systemd-analyze verify of the installed unit: no complaint" ||
		t_bad "systemd-analyze verify (exit $rc): $out"
else
	echo "skip: systemd-analyze verify (no systemd-analyze here)"
fi

# --- run, in namespace b ---
t_setup_pair
SVC_NS=$NS_B
SVC_PIN=$PIN_B
svc_load_unit /lib/systemd/system/bpfwall.service ""
[ "$SVC_BIN" = /usr/sbin/bpfwall ] && [ "$SVC_CONF" = /etc/bpfwall/bpfwall.conf ] &&
	t_ok "the unit runs /usr/sbin/bpfwall on /etc/bpfwall/bpfwall.conf" ||
	t_bad "the unit runs $SVC_BIN on $SVC_CONF"
cp /etc/bpfwall/bpfwall.conf "$T_DIR/default.conf"
t_tcp_server "$NS_B" "$IP_B" 22
t_tcp_server "$NS_B" "$IP_B" 8080
t_check "ExecStart loads and says READY=1" svc_start
t_check "SSH passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 22
t_check_not "8080 does not" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080 1
line22=$(grep -n 'tcp dport 22 accept' "$T_DIR/default.conf" | head -n 1 | cut -d: -f1)
sed "${line22}a\\		tcp dport 8080 accept" "$T_DIR/default.conf" >/etc/bpfwall/bpfwall.conf
t_check "reload with 8080 opened" svc_reload
t_check "after the reload: 8080 passes" tcp_from "$NS_A" "$IP_A" "$IP_B" 8080
before=$(svc_ruleset)
sed "${line22}a\\		tcp dport 8080 acept" "$T_DIR/default.conf" >/etc/bpfwall/bpfwall.conf
err=$(svc_reload 2>&1) && t_bad "the reload of a bad file succeeded" ||
	t_ok "the reload of a bad file fails: $(printf '%s\n' "$err" | head -n 1)"
[ "$(svc_ruleset)" = "$before" ] && t_ok "the failed reload changed nothing" ||
	t_bad "the failed reload changed the ruleset"
cp "$T_DIR/default.conf" /etc/bpfwall/bpfwall.conf
svc_stop && t_ok "stop: ExecStart ends with status 0 on SIGTERM" || t_bad "stop: status $?"
[ "$(svc_ruleset)" = "$before" ] && t_ok "stopped: the ruleset stays" ||
	t_bad "stopping changed the ruleset"
svc_check_sandbox
# Attached programs: XDP on the veth, or (the default for inet input
# chains) netfilter hooks, pinned as link_nf_* in the pin dir.
attached() {
	in_b ip -d link show dev "$VETH_B" | grep -q xdp && return 0
	compgen -G "$PIN_B/link_nf_*" >/dev/null
}
attached && t_ok "before removal: programs attached" ||
	t_bad "before removal: nothing attached ($VETH_B has no XDP, no link_nf_* pin)"

# --- remove, purge ---
out=$(dpkg_run --remove bpfwall) || t_bad "dpkg --remove: $out"
case $out in
*"removing the loaded ruleset"*) t_ok "the prerm flushed the loaded ruleset" ;;
*) t_bad "the prerm did not say it flushed the ruleset: $out" ;;
esac
attached && t_bad "after removal: programs still attached" ||
	t_ok "after removal: nothing attached"
out=$(timeout 30 ip netns exec "$NS_B" "$BPFWALL" --pin-dir "$PIN_B" list ruleset 2>&1)
[ -z "$out" ] && t_ok "after removal: no ruleset in the pin dir" || t_bad "after removal, list ruleset: $out"
[ ! -e /usr/sbin/bpfwall ] && t_ok "after removal: /usr/sbin/bpfwall is gone" ||
	t_bad "after removal: /usr/sbin/bpfwall is still there"
[ -f /etc/bpfwall/bpfwall.conf ] && t_ok "after removal: the config stays" ||
	t_bad "after removal: the config is gone"
out=$(dpkg_run --purge bpfwall) || t_bad "dpkg --purge: $out"
installed=""
dpkg-query -W -f='${Status}' bpfwall 2>/dev/null | grep -q 'ok installed\|config-files' &&
	t_bad "after purge dpkg still knows bpfwall: $(dpkg-query -W -f='${Status}' bpfwall)" ||
	t_ok "after purge dpkg knows no bpfwall"
left=""
while read -r f; do
	[ -z "$f" ] || [ -d "$f" ] || [ ! -e "$f" ] || left="$left $f"
done <<<"$files"
[ -e /etc/bpfwall ] && left="$left /etc/bpfwall"
st=$(find /var/lib/systemd/deb-systemd-helper-enabled /var/lib/systemd/deb-systemd-helper-masked \
	-name '*bpfwall*' 2>/dev/null)
left="$left $st"
[ -z "${left// /}" ] && t_ok "after purge nothing of the package is left" || t_bad "after purge:$left"
t_done
