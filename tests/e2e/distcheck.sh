#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# `make distcheck` with TESTS= on a copy of the distributed files: the
# tarball configures and builds out of tree (read-only sources), builds
# the test programs, installs (also with DESTDIR), uninstalls leaving
# only the config, and makes a tarball again.  The suite itself is not
# run again (make check does that).  Where the sources are a git
# checkout, every tracked file is in the tarball (but .gitignore) and the
# tarball holds nothing else but what autoreconf generates: no build
# product slips in.
T_NAME=distcheck
T_TIMEOUT=${T_TIMEOUT:-400}
. "$(dirname "$0")/../lib/bwtest.sh"
# The tarball's own tests/e2e/distcheck.sh must not run it again.
[ -z "${BW_IN_DISTCHECK:-}" ] || t_skip "inside the make distcheck this test runs"
t_init
for tool in make tar gzip; do
	command -v "$tool" >/dev/null 2>&1 || t_skip "needs $tool"
done

SRC=$T_DIR/src
make -s --no-print-directory -C "$T_BUILDDIR" distdir distdir="$SRC" >"$T_DIR/distdir.log" 2>&1 ||
	t_fatal "make distdir: $(tail -n 5 "$T_DIR/distdir.log")"
start=$(date +%s)
# A make of its own: not the MAKEFLAGS (TESTS=...) of the make check
# that runs this test.
if (cd "$SRC" && export BW_IN_DISTCHECK=1 && unset MAKEFLAGS MFLAGS MAKELEVEL &&
	./configure -q && timeout 300 nice make -s -j"$(nproc)" distcheck TESTS= \
	DISTCHECK_CONFIGURE_FLAGS=-q) >"$T_DIR/distcheck.log" 2>&1; then
	t_ok "make distcheck TESTS= passed in $(($(date +%s) - start)) s"
else
	t_fatal "make distcheck TESTS=: $(tail -n 30 "$T_DIR/distcheck.log")"
fi
tarball=$(ls "$SRC"/bpfwall-*.tar.gz 2>/dev/null | head -n 1)
[ -f "$tarball" ] || t_fatal "no tarball after make distcheck"

if command -v git >/dev/null 2>&1 && git -C "$T_SRCDIR" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	top=$(basename "$tarball" .tar.gz)
	tar tzf "$tarball" | sed -n "s|^$top/||p" | grep -v '/$' | sort >"$T_DIR/tar.lst"
	git -C "$T_SRCDIR" ls-files | sort >"$T_DIR/git.lst"
	missing=$(comm -23 "$T_DIR/git.lst" "$T_DIR/tar.lst" | grep -vx '.gitignore')
	[ -z "$missing" ] && t_ok "every file git tracks is in the tarball" ||
		t_bad "tracked files missing from the tarball (add them to EXTRA_DIST):" $missing
	extra=$(comm -13 "$T_DIR/git.lst" "$T_DIR/tar.lst" |
		grep -vxE 'configure|Makefile\.in|aclocal\.m4|build-aux/[a-z-]+')
	[ -z "$extra" ] && t_ok "the tarball holds nothing git does not track but autoreconf's output" ||
		t_bad "files in the tarball that git does not track:" $extra
else
	echo "skip: the tarball against git ls-files (the sources are not a git checkout)"
fi
t_done
