#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The manual describes what exists: every long option `bpfwall --help`
# lists is in bpfwall.8 and every option bpfwall.8 documents is accepted
# by --help; every command --help lists is in bpfwall.8; the drop reasons
# of bpfwall.conf.5 are the ones bpfwall names; every field of the fields
# table, every set type, every keyword of the language and every packet
# word is named in the page that documents it; and the examples of
# bpfwall.conf.5 (the blocks after a `.\" test: example` line) pass
# `bpfwall -c` and, as root, `nft -c`.
T_NAME="man"
. "$(dirname "$0")/../lib/bwtest.sh"
t_init
man8="$T_SRCDIR/man/bpfwall.8"
man5="$T_SRCDIR/man/bpfwall.conf.5"
[ -f "$man8" ] || t_fatal "no $man8"
[ -f "$man5" ] || t_fatal "no $man5"

# The text of a page on one line: font escapes, quotes and line breaks
# gone, \- as -, runs of blanks as one space.
flat()
{
	sed 's/\\f[BIRP]//g; s/\\-/-/g; s/\\&//g; s/"//g' "$1" | tr '\n\t' '  ' |
		tr -s ' '
}
text8=$(flat "$man8")
text5=$(flat "$man5")

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

# Commands: the lowercase words of each usage line of --help
# ("add element", "trace"), after the options and their arguments.
while read -r cmd; do
	[ -n "$cmd" ] || continue
	case " $text8 " in
	*" $cmd "*) t_ok "bpfwall.8 documents the command $cmd" ;;
	*) t_bad "bpfwall.8 does not document the command \"$cmd\" (in --help)" ;;
	esac
done < <(printf '%s\n' "$help" | sed -n 's/^  bpfwall \[OPTIONS\] //p' |
	awk '{ c = ""; for (i = 1; i <= NF; i++) {
		if ($i ~ /^[a-z]+$/) c = c (c == "" ? "" : " ") $i
		else if (c != "") break
	} print c }')

for r in eth-truncated vlan-depth ipv4-malformed ipv6-malformed ipv6-ext-depth \
	fragment-bad l4-truncated tcp-malformed sctp-chunks; do
	sed 's/\\-/-/g' "$man5" | grep -q -- "$r" && t_ok "bpfwall.conf.5 lists $r" ||
		t_bad "bpfwall.conf.5 does not list the drop reason $r"
done

# Every field of compiler/front/fields.c, as "proto name".
fields=$(grep -o 'ROW(BW_F_[A-Z0-9_]*, *"[a-z0-9]*", *"[a-z0-9-]*"' \
	"$T_SRCDIR/compiler/front/fields.c" | sed 's/.*, *"\([a-z0-9]*\)", *"\([a-z0-9-]*\)"/\1 \2/' |
	sort -u)
[ -n "$fields" ] || t_bad "no fields found in compiler/front/fields.c"
while read -r f; do
	case " $text5 " in
	*" $f "*) t_ok "bpfwall.conf.5 documents $f" ;;
	*) t_bad "bpfwall.conf.5 does not document the field $f (compiler/front/fields.c)" ;;
	esac
done <<<"$fields"

# Every set type name of compiler/front/sets.c.
types=$(sed -n '/set_types\[\] = {/,/^};/p' "$T_SRCDIR/compiler/front/sets.c" |
	grep -o '{ "[a-z0-9_]*"' | sed 's/{ "\(.*\)"/\1/')
[ -n "$types" ] || t_bad "no set types found in compiler/front/sets.c"
for t in $types; do
	case " $text5 " in
	*" $t "* | *" $t, "* | *" $t. "*) t_ok "bpfwall.conf.5 documents set type $t" ;;
	*) t_bad "bpfwall.conf.5 does not document the set type $t (compiler/front/sets.c)" ;;
	esac
done

# Every keyword of the language (grammar/scanner.l) but the statements
# that are errors (UNSUP) and the meta keys (checked as fields above).
keywords=$(sed -n '/^static const struct keyword keywords\[\] = {/,/^};/p' \
	"$T_SRCDIR/grammar/scanner.l" | grep -v 'UNSUP\|METAKEY' |
	grep -o '{ "[a-z]*"' | sed 's/{ "\(.*\)"/\1/')
[ -n "$keywords" ] || t_bad "no keywords found in grammar/scanner.l"
for k in $keywords; do
	printf '%s\n' "$text5" | grep -qw -- "$k" && t_ok "bpfwall.conf.5 uses the keyword $k" ||
		t_bad "bpfwall.conf.5 does not mention the keyword $k (grammar/scanner.l)"
done

# Every packet word of trace (compiler/front/pktspec.c), as "packet WORD".
words=$(grep -o '\.proto = "packet", \.name = "[a-z-]*"' "$T_SRCDIR/compiler/front/pktspec.c" |
	sed 's/.*\.name = "\(.*\)"/\1/')
[ -n "$words" ] || t_bad "no packet words found in compiler/front/pktspec.c"
for w in $words; do
	case " $text8 " in
	*" packet $w "*) t_ok "bpfwall.8 documents packet $w" ;;
	*) t_bad "bpfwall.8 does not document the packet word $w (compiler/front/pktspec.c)" ;;
	esac
done

# The examples of bpfwall.conf.5: bpfwall -c, and nft -c in a throwaway
# network namespace with the devices the example names.
nft_ok=
if [ "$(id -u)" -eq 0 ] && command -v nft >/dev/null 2>&1 &&
	command -v unshare >/dev/null 2>&1 && command -v ip >/dev/null 2>&1; then
	nft_ok=1
else
	echo "note: not root or no nft: nft -c checks of the examples skipped"
fi
awk -v dir="$T_DIR" '
	/^\.\\" test: example/ { want = 1; n++; next }
	want && /^\.nf/ { want = 0; in_ex = 1; next }
	in_ex && /^\.fi/ { in_ex = 0; close(f); next }
	in_ex { f = dir "/example" n ".conf"; print > f }
' "$man5"
n=0
for f in "$T_DIR"/example*.conf; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	sed -i 's/\\-/-/g; s/\\e/\\/g; s/\\&//g' "$f"
	name="bpfwall.conf.5 $(basename "$f" .conf)"
	out=$("$BPFWALL" -c -f "$f" 2>&1)
	[ $? -eq 0 ] && t_ok "bpfwall -c: $name" || t_bad "bpfwall -c: $name: $out"
	if [ -n "$nft_ok" ]; then
		script="" i=0
		for d in $(grep -o 'device "[^"]*"' "$f" | sed 's/device "\(.*\)"/\1/' | sort -u); do
			i=$((i + 1))
			script="$script ip link add '$d' type veth peer name bwtmanp$i &&"
		done
		out=$(timeout 30 unshare -n sh -c "$script nft -c -f '$f'" 2>&1)
		[ $? -eq 0 ] && t_ok "nft -c: $name" || t_bad "nft -c: $name: $out"
	fi
done
[ "$n" -ge 1 ] && t_ok "$n examples in bpfwall.conf.5" ||
	t_bad "no example marked for testing in bpfwall.conf.5"

if command -v groff >/dev/null 2>&1; then
	for m in "$man8" "$man5"; do
		w=$(groff -man -Tutf8 -ww -z "$m" 2>&1)
		[ -z "$w" ] && t_ok "groff: no warnings in $(basename "$m")" ||
			t_bad "groff warnings in $(basename "$m"): $w"
	done
fi
t_done
