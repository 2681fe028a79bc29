#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The bash completion (data/bash-completion/bpfwall) against the tables
# of cli/main.c, which it reads through `bpfwall --help`: the first word
# completes to every command of the table, the word after a command to
# its object (list ruleset, add element), `-` to every global option, or
# after `capture` to those and capture's own; an option's argument to
# files (-f, -w), directories (--pin-dir, --audit-cgroup), interfaces
# (-i) or the modes of --audit and --xdp-mode, as main.c spells them;
# an option's argument is skipped when finding the command (-f FILE,
# and -c, which takes COUNT only after capture).  No root needed.
T_NAME=completion
. "$(dirname "$0")/../lib/bwtest.sh"
t_init
comp=$T_SRCDIR/data/bash-completion/bpfwall
main=$T_SRCDIR/cli/main.c
[ -f "$comp" ] || t_fatal "no $comp"
bash -n "$comp" && t_ok "bash -n accepts the completion" || t_fatal "bash -n rejects $comp"

mkdir -p "$T_DIR/bin" "$T_DIR/cwd/sub"
ln -s "$BPFWALL" "$T_DIR/bin/bpfwall"
: >"$T_DIR/cwd/a.conf"

# complete WORDS...: the completions of the last word, sorted, one line.
complete_words()
{
	(
		cd "$T_DIR/cwd" || exit 1
		PATH="$T_DIR/bin:$PATH"
		# shellcheck disable=SC1090
		. "$comp"
		COMP_WORDS=(bpfwall "$@")
		COMP_CWORD=$#
		_bpfwall bpfwall
		printf '%s\n' "${COMPREPLY[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//'
	)
}

# expect DESC WANT WORDS...
expect()
{
	local desc=$1 want got
	want=$(printf '%s\n' $2 | sort -u | tr '\n' ' ' | sed 's/ $//')
	shift 2
	got=$(complete_words "$@")
	[ "$got" = "$want" ] && t_ok "$desc: $got" || t_bad "$desc: got \"$got\", want \"$want\""
}

# The tables of cli/main.c.
cmds=$(sed -n '/^static const struct cmd cmds\[\] = {/,/^};/p' "$main" |
	grep -o '{ C_[A-Z_]*, "[a-z]*"' | sed 's/.*"\(.*\)"/\1/' | sort -u)
[ -n "$cmds" ] || t_fatal "no commands found in cli/main.c"
objects() # CMD: the objects of CMD in the table
{
	sed -n '/^static const struct cmd cmds\[\] = {/,/^};/p' "$main" |
		grep -o "{ C_[A-Z_]*, \"$1\", \"[a-z]*\"" | sed 's/.*"\(.*\)"$/\1/'
}
optrows=$(sed -n '/^static const struct opt opts\[\] = {/,/^};/p' "$main" | grep '^	{ O_')
[ -n "$optrows" ] || t_fatal "no options found in cli/main.c"
# optcmd ROW: the command a row's option belongs to ("-": global)
optcmd()
{
	local c
	c=$(printf '%s\n' "$1" | sed -n 's/.*, "\([a-z]*\)" },\{0,1\}$/\1/p')
	echo "${c:--}"
}
# options SECTION: "-x --long" of each row of SECTION ("-" or a command)
options()
{
	local row
	while IFS= read -r row; do
		[ "$(optcmd "$row")" = "$1" ] || continue
		printf '%s\n' "$row" | sed -n "s/^[[:space:]]*{ O_[A-Z_]*, '\(.\)',.*/-\1/p"
		printf '%s\n' "$row" | sed -n 's/^[[:space:]]*{ O_[A-Z_]*, [^,]*, "\([a-z-]*\)".*/--\1/p'
	done <<<"$optrows"
}
optcmds=$(while IFS= read -r row; do optcmd "$row"; done <<<"$optrows" | grep -v '^-$' | sort -u)

expect "the first word: every command of cli/main.c" "$cmds" ""
for c in $cmds; do
	expect "after $c: its object" "$(objects "$c")" "$c" ""
done
expect "after -f FILE: the commands" "$cmds" -f a.conf ""
expect "after -c (a flag before capture): the commands" "$cmds" -c ""
expect "-: every global option of cli/main.c" "$(options -)" -
for c in $optcmds; do
	expect "$c -: the global options and $c's own" "$(options -) $(options "$c")" "$c" -
done
expect "-f: files and directories" "a.conf sub" -f ""
expect "--pin-dir: directories" "sub" --pin-dir ""
expect "--audit-cgroup: directories" "sub" --audit-cgroup ""
expect "capture -w: files" "a.conf sub" capture -w ""
expect "capture -c COUNT: nothing to offer" "" capture -c ""
expect "capture -c 5: nothing more after capture" "" capture -c 5 ""
for o in xdp-mode audit; do
	modes=$(grep -o "\"--$o: \\\\\"%s\\\\\" is none of [a-z, ]*\"" "$main" |
		sed 's/.*none of \(.*\)"/\1/' | tr -d ',')
	[ -n "$modes" ] || t_bad "no modes of --$o found in cli/main.c"
	expect "--$o: its modes" "$modes" "--$o" ""
done
got=$(complete_words capture -i "")
case " $got " in
*" lo "*) t_ok "capture -i: interfaces ($got)" ;;
*) t_bad "capture -i: no lo in \"$got\"" ;;
esac
expect "a prefix: list, not flush" "list" "li"
t_done
