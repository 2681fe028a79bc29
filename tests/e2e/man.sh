#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The manual describes what exists: every long option `bpfwall --help`
# lists is in bpfwall.8 and every option bpfwall.8 documents is accepted
# by --help; the drop reasons of bpfwall.conf.5 are the ones bpfwall names.
T_NAME="man"
. "$(dirname "$0")/../lib/bwtest.sh"
t_init
man8="$T_SRCDIR/man/bpfwall.8"
man5="$T_SRCDIR/man/bpfwall.conf.5"
[ -f "$man8" ] || t_fatal "no $man8"
[ -f "$man5" ] || t_fatal "no $man5"

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
for r in eth-truncated vlan-depth ipv4-malformed ipv6-malformed ipv6-ext-depth \
	fragment-bad l4-truncated tcp-malformed; do
	sed 's/\\-/-/g' "$man5" | grep -q -- "$r" && t_ok "bpfwall.conf.5 lists $r" ||
		t_bad "bpfwall.conf.5 does not list the drop reason $r"
done
if command -v groff >/dev/null 2>&1; then
	for m in "$man8" "$man5"; do
		w=$(groff -man -Tutf8 -ww -z "$m" 2>&1)
		[ -z "$w" ] && t_ok "groff: no warnings in $(basename "$m")" ||
			t_bad "groff warnings in $(basename "$m"): $w"
	done
fi
t_done
