#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make install DESTDIR=...`: bpfwall in sbin, the two manual pages, the
# default /etc/bpfwall/bpfwall.conf, the systemd unit with the configured
# paths and the bash completion, each where the configured directories
# say and nothing else; the unit passes `systemd-analyze verify` (where
# that command exists) and has the ordering and command lines of the
# design; the installed config is the shipped one, passes `bpfwall -c -f`
# (and, as root, real `nft -c -f`) and lets in what its comments say
# (trace --interp: SSH, replies, ping, path MTU, neighbour discovery from
# the link, DHCP answers) and nothing else it was asked; a second install
# keeps a config the admin changed; `make uninstall` leaves nothing but
# the config.  No root needed (but for nft).
T_NAME=install
. "$(dirname "$0")/../lib/bwtest.sh"
t_init

ROOT=$T_DIR/root
make -s -C "$T_BUILDDIR" install DESTDIR="$ROOT" >"$T_DIR/install.log" 2>&1 ||
	t_fatal "make install DESTDIR=$ROOT: $(tail -n 5 "$T_DIR/install.log")"

# The directories as make expands them for this configuration.
cat >"$T_DIR/dirs.mk" <<'EOF'
bw-print-dirs:
	@echo "sbindir=$(sbindir)"
	@echo "sysconfdir=$(sysconfdir)"
	@echo "mandir=$(mandir)"
	@echo "unitdir=$(systemdsystemunitdir)"
	@echo "compdir=$(bashcompletiondir)"
	@echo "libexecdir=$(libexecdir)"
EOF
dirs=$(make -s --no-print-directory -C "$T_BUILDDIR" -f Makefile -f "$T_DIR/dirs.mk" bw-print-dirs | grep -E "^[a-z]+=") ||
	t_fatal "cannot read the installation directories from the Makefile"
sbindir="" sysconfdir="" mandir="" unitdir="" compdir="" libexecdir=""
eval "$dirs"
echo "sbindir=$sbindir sysconfdir=$sysconfdir unitdir=$unitdir compdir=$compdir"

want="$sbindir/bpfwall
$sysconfdir/bpfwall/bpfwall.conf
$mandir/man8/bpfwall.8
$mandir/man5/bpfwall.conf.5
$mandir/man8/bpfwall-iptables.8
$unitdir/bpfwall.service
$compdir/bpfwall"
for n in iptables ip6tables iptables-save ip6tables-save iptables-restore ip6tables-restore ipset; do
	want="$want
$libexecdir/bpfwall/$n"
done
have=$(cd "$ROOT" && find . -type f -o -type l | sed 's|^\.||' | sort)
if [ "$have" = "$(printf '%s\n' "$want" | sort)" ]; then
	t_ok "make install put exactly the files and the iptables links where they belong"
else
	t_bad "make install DESTDIR: the files differ from the expected ones:
$(diff <(printf '%s\n' "$want" | sort) <(printf '%s\n' "$have"))"
fi
case $sbindir in
*/sbin) t_ok "the binary goes to an sbin ($sbindir)" ;;
*) t_bad "the binary goes to $sbindir, not an sbin" ;;
esac
[ -x "$ROOT$sbindir/bpfwall" ] && t_ok "$sbindir/bpfwall is executable" ||
	t_bad "$sbindir/bpfwall is not executable"
for f in "$sysconfdir/bpfwall/bpfwall.conf" "$unitdir/bpfwall.service" "$compdir/bpfwall"; do
	m=$(stat -c %a "$ROOT$f" 2>/dev/null)
	[ "$m" = 644 ] && t_ok "$f is mode 644" || t_bad "$f is mode $m, not 644"
done

# The config: the shipped one, valid for bpfwall and for nft.
conf=$ROOT$sysconfdir/bpfwall/bpfwall.conf
cmp -s "$conf" "$T_SRCDIR/data/bpfwall.conf" && t_ok "the installed config is data/bpfwall.conf" ||
	t_bad "the installed config differs from data/bpfwall.conf"
out=$("$ROOT$sbindir/bpfwall" -c -f "$conf" 2>&1) && t_ok "the installed bpfwall -c -f accepts the installed config" ||
	t_bad "bpfwall -c -f $sysconfdir/bpfwall/bpfwall.conf: $out"
if [ "$(id -u)" -eq 0 ] && command -v nft >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1; then
	out=$(timeout 30 unshare -n nft -c -f "$conf" 2>&1) && t_ok "nft -c -f accepts the installed config" ||
		t_bad "nft -c -f $sysconfdir/bpfwall/bpfwall.conf: $out"
else
	echo "skip: nft -c -f of the config (needs root and nft)"
fi
# What its comments promise, in its own rules: SSH before any drop, the
# host's ICMP, an empty blocklist, policy drop in, accept out.
body=$(sed 's/#.*//' "$conf" | tr -s ' \t' ' ')
first_drop=$(sed 's/#.*//' "$conf" | grep -n -E '(^|[^a-z])drop' | grep -v policy | head -n 1 | cut -d: -f1)
ssh=$(sed 's/#.*//' "$conf" | grep -n 'tcp dport 22 accept' | head -n 1 | cut -d: -f1)
[ -n "$ssh" ] && [ -n "$first_drop" ] && [ "$ssh" -lt "$first_drop" ] &&
	t_ok "SSH (line $ssh) is accepted before the first rule that drops (line $first_drop)" ||
	t_bad "SSH is not accepted before every drop (ssh line ${ssh:-none}, first drop ${first_drop:-none})"
for w in "ct state established,related accept" "iif lo accept" "packet-too-big" \
	"nd-neighbor-solicit" "destination-unreachable" "set blocklist" \
	"hook input priority filter; policy drop;" "hook output priority filter; policy accept;"; do
	case $body in
	*"$w"*) t_ok "the config has: $w" ;;
	*) t_bad "the config lacks: $w" ;;
	esac
done
grep -q 'elements' <(sed 's/#.*//' "$conf") && t_bad "the blocklist of the default config is not empty" ||
	t_ok "the blocklists are empty"
# ... and through the reference interpreter (trace --interp, no root):
# what its comments say comes in, and what does not.
while IFS=';' read -r verdict packet; do
	[ -n "$verdict" ] || continue
	# shellcheck disable=SC2086 # the packet's words
	got=$("$ROOT$sbindir/bpfwall" -f "$conf" -j trace --interp ingress $packet 2>&1 | tail -n 1 |
		sed -n 's/^{"verdict": "\([a-z]*\)".*/\1/p')
	[ "$got" = "$verdict" ] && t_ok "trace: $packet: $got" ||
		t_bad "trace: $packet: ${got:-no verdict}, want $verdict"
done <<'EOF2'
accept;ip saddr 192.0.2.1 tcp dport 22 ct state new
accept;ip6 saddr 2001:db8::1 tcp dport 22 ct state new
drop;ip saddr 192.0.2.1 tcp dport 80 ct state new
accept;ip saddr 192.0.2.1 tcp dport 80 ct state established
accept;ip saddr 192.0.2.1 icmp type echo-request
accept;ip saddr 192.0.2.1 icmp type destination-unreachable icmp code 4
accept;ip6 saddr 2001:db8::1 icmpv6 type packet-too-big
accept;ip6 saddr fe80::1 ip6 hoplimit 255 icmpv6 type nd-neighbor-solicit
drop;ip6 saddr fe80::1 ip6 hoplimit 64 icmpv6 type nd-neighbor-solicit
accept;ip saddr 192.0.2.1 udp sport 67 udp dport 68
drop;ip saddr 192.0.2.1 udp dport 53
EOF2

# The unit: its paths substituted, the design's ordering and commands.
unit=$ROOT$unitdir/bpfwall.service
grep -Eq '@[a-z_]+@' "$unit" && t_bad "the unit has an unsubstituted @...@: $(grep -E '@[a-z_]+@' "$unit")" ||
	t_ok "the unit has no @...@ left"
key() { sed -n "s/^$1=//p" "$unit"; }
[ "$(key ExecStart)" = "$sbindir/bpfwall -f $sysconfdir/bpfwall/bpfwall.conf watch" ] &&
	t_ok "ExecStart=$(key ExecStart)" || t_bad "ExecStart is $(key ExecStart)"
[ "$(key ExecReload)" = "$sbindir/bpfwall -c -f $sysconfdir/bpfwall/bpfwall.conf
$sbindir/bpfwall -f $sysconfdir/bpfwall/bpfwall.conf" ] &&
	t_ok "ExecReload= checks (-c) first, then loads" || t_bad "ExecReload is: $(key ExecReload)"
[ -z "$(key ExecStop)" ] && t_ok "no ExecStop=" || t_bad "ExecStop=$(key ExecStop)"
for kv in Type=notify DefaultDependencies=no Wants=network-pre.target \
	Conflicts=shutdown.target WantedBy=sysinit.target Restart=on-failure; do
	grep -qx "$kv" "$unit" && t_ok "the unit has $kv" || t_bad "the unit lacks $kv"
done
for t in network-pre.target shutdown.target; do
	key Before | tr ' ' '\n' | grep -qx "$t" && t_ok "Before= has $t" || t_bad "Before= lacks $t"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(MANPATH=$ROOT$mandir systemd-analyze verify --root="$ROOT" "$unitdir/bpfwall.service" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] && [ -z "$out" ] && t_ok "systemd-analyze verify: no complaint" ||
		t_bad "systemd-analyze verify (exit $rc): $out"
else
	echo "skip: systemd-analyze verify (no systemd-analyze here)"
fi

# A config the admin changed survives a second install.
echo "# changed by the admin" >>"$conf"
make -s -C "$T_BUILDDIR" install DESTDIR="$ROOT" >"$T_DIR/install2.log" 2>&1 ||
	t_bad "second make install: $(tail -n 5 "$T_DIR/install2.log")"
tail -n 1 "$conf" | grep -qx '# changed by the admin' &&
	t_ok "a second make install keeps the changed config" ||
	t_bad "a second make install overwrote the config"

make -s -C "$T_BUILDDIR" uninstall DESTDIR="$ROOT" >"$T_DIR/uninstall.log" 2>&1 ||
	t_bad "make uninstall: $(tail -n 5 "$T_DIR/uninstall.log")"
left=$(cd "$ROOT" && find . -type f -o -type l | sed 's|^\.||')
[ "$left" = "$sysconfdir/bpfwall/bpfwall.conf" ] && t_ok "make uninstall leaves only the config" ||
	t_bad "after make uninstall: $left"
t_done
