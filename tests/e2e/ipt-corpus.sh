#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# iptables' own test corpus (its source tree's extensions/*.t: lines
# `rule;save form;OK|FAIL`), run as its iptables-test.py runs them: `-A
# CHAIN rule`, then the save form must be in `iptables-save`, then `-D
# CHAIN rule`; a FAIL line must be refused.  For every extension bpfwall's
# iptables front end names.  With --strict, so what bpfwall does not
# compile is refused with "not compiled by bpfwall" rather than handed to
# iptables-nft: those OK lines are counted apart and must be exactly the
# ones listed in tests/e2e/ipt-corpus.unsupported (the gaps the manual
# names), so a regression and a new gap both fail.
#
# The corpus is not in this tree: it is taken from Debian's iptables
# source package at test time (apt-get source, with a deb-src entry for
# the machine's configured Debian mirror in a private sources list; apt's
# own configuration is not touched), kept in $BW_IPT_SRC_CACHE
# (default /var/cache/bpfwall-tests), or given as $BW_IPT_SRC (a source
# tree).  Where it cannot be had, the test skips and says why.
T_NAME=iptc
T_TIMEOUT=${T_TIMEOUT:-600}
. "$(dirname "$0")/../lib/bwtest.sh"
t_require_root

corpus_dir()
{
	local cache=${BW_IPT_SRC_CACHE:-/var/cache/bpfwall-tests} uri tmp d
	if [ -n "${BW_IPT_SRC:-}" ]; then
		echo "$BW_IPT_SRC"
		return 0
	fi
	d=$(ls -d "$cache"/iptables-src/iptables-*/extensions 2>/dev/null | head -1)
	if [ -n "$d" ]; then
		dirname "$d"
		return 0
	fi
	command -v apt-get >/dev/null || return 1
	uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' |
	      grep -m1 debian)
	[ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' |
			      grep -m1 debian)
	[ -n "$uri" ] || return 1
	suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
	tmp="$cache/iptables-src"
	mkdir -p "$tmp/lists/partial" || return 1
	echo "deb-src $uri $suite main" >"$tmp/src.list"
	local apt=(apt-get -q -o "Dir::Etc::SourceList=$tmp/src.list"
		   -o Dir::Etc::SourceParts=/nonexistent
		   -o "Dir::State::Lists=$tmp/lists" -o APT::Sandbox::User=root)
	timeout 120 "${apt[@]}" update >"$tmp/apt.log" 2>&1 || return 1
	(cd "$tmp" && timeout 120 "${apt[@]}" source --download-only iptables) \
		>>"$tmp/apt.log" 2>&1 || return 1
	(cd "$tmp" && tar xf iptables_*.orig.tar.* ) || return 1
	d=$(ls -d "$tmp"/iptables-*/extensions 2>/dev/null | head -1)
	[ -n "$d" ] || return 1
	dirname "$d"
}

SRC=$(corpus_dir) || t_skip "iptables' source package cannot be had here (apt-get source iptables with a deb-src entry for the configured mirror failed)"
EXT="$SRC/extensions"
[ -d "$EXT" ] || t_skip "no extensions/ in $SRC"

t_init
NS="bwt-$T_NAME-$$"
ip netns add "$NS" || t_skip "cannot create a network namespace here"
T_NS+=("$NS")
ip -n "$NS" link set lo up
t_mount_pin "$NS"
PIN="$T_DIR/bpf-$NS"

FILES="libxt_tcp.t libxt_udp.t libxt_multiport.t libipt_icmp.t libip6t_icmp6.t
libxt_conntrack.t libxt_state.t libxt_comment.t libxt_limit.t libxt_iprange.t
libxt_set.t libxt_addrtype.t libxt_mac.t libxt_mark.t libxt_length.t
libipt_ttl.t libip6t_hl.t libxt_pkttype.t libxt_dscp.t libxt_owner.t
libipt_REJECT.t libip6t_REJECT.t libipt_LOG.t libip6t_LOG.t libxt_NFLOG.t
libxt_MARK.t libxt_standard.t libip6t_standard.t"
# a developer's run of some of them: BW_IPT_CORPUS_FILES="libxt_helper.t"
# (the comparison with the known gaps then fails: it lists all of them)
FILES=${BW_IPT_CORPUS_FILES:-$FILES}

ipt()
{
	local cmd=$1
	shift
	timeout 20 ip netns exec "$NS" "$BPFWALL" --pin-dir "$PIN" --strict "$cmd" "$@"
}

unsupported=$T_DIR/unsupported
: >"$unsupported"
n_ok=0 n_fail=0 n_unsup=0 n_bad=0
for f in $FILES; do
	[ -f "$EXT/$f" ] || { echo "note: $f not in this iptables version"; continue; }
	case $f in
	libip6t_*) cmd=ip6tables ;;
	*) cmd=iptables ;;
	esac
	table=filter
	chain=INPUT
	lineno=0
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		case $line in
		''|'#'*) continue ;;
		:*) chain=${line#:}; chain=${chain%%,*}; continue ;;
		'*'*) table=${line#\*}; continue ;;
		esac
		IFS=';' read -r rule save verdict extra <<<"$line"
		case ";$extra;" in *";LEGACY;"*) continue ;; esac
		[ "$save" = "=" ] && save=$rule
		eval "args=($rule)" 2>/dev/null || { t_bad "$f:$lineno: cannot split: $rule"; continue; }
		out=$(ipt "$cmd" -t "$table" -A "$chain" "${args[@]}" 2>&1)
		rc=$?
		if [ "$verdict" = FAIL ]; then
			if [ $rc -ne 0 ]; then
				n_fail=$((n_fail + 1))
			else
				n_bad=$((n_bad + 1))
				t_bad "$f:$lineno: accepted a rule iptables refuses: $rule"
				ipt "$cmd" -t "$table" -F "$chain" >/dev/null 2>&1
			fi
			continue
		fi
		if [ $rc -ne 0 ]; then
			if grep -q "not compiled by bpfwall" <<<"$out"; then
				n_unsup=$((n_unsup + 1))
				echo "$f;$rule" >>"$unsupported"
			else
				n_bad=$((n_bad + 1))
				t_bad "$f:$lineno: refused an OK rule: $rule: $(head -3 <<<"$out" | tr '\n' ' ')"
			fi
			continue
		fi
		saved=$(ipt "$cmd-save" -t "$table" 2>&1)
		if grep -qxF -- "-A $chain $save" <<<"$saved"; then
			n_ok=$((n_ok + 1))
		else
			n_bad=$((n_bad + 1))
			t_bad "$f:$lineno: saved form differs: want '-A $chain $save', got: $(grep -- "^-A $chain" <<<"$saved" | tr '\n' ' ')"
		fi
		out=$(ipt "$cmd" -t "$table" -D "$chain" "${args[@]}" 2>&1) ||
			{ t_bad "$f:$lineno: -D of the rule just added failed: $out"; ipt "$cmd" -t "$table" -F "$chain" >/dev/null 2>&1; }
	done <"$EXT/$f"
done

echo "corpus: $n_ok OK lines saved in the canonical form, $n_fail FAIL lines refused, $n_unsup OK lines not compiled (refused by --strict), $n_bad wrong"
want="$T_SRCDIR/tests/e2e/ipt-corpus.unsupported"
if [ -n "${BW_IPT_CORPUS_WRITE:-}" ]; then
	cp "$unsupported" "$want"
	echo "wrote $want"
fi
if diff -u "$want" "$unsupported"; then
	t_ok "the OK lines bpfwall does not compile are exactly the known gaps ($n_unsup)"
else
	t_bad "the OK lines bpfwall does not compile differ from tests/e2e/ipt-corpus.unsupported (above)"
fi
[ "$n_ok" -gt 100 ] && t_ok "$n_ok OK lines load and save in iptables' canonical form" ||
	t_bad "only $n_ok OK lines passed"
[ "$n_fail" -gt 40 ] && t_ok "$n_fail FAIL lines refused" || t_bad "only $n_fail FAIL lines refused"
t_done
