# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Set-up shared by ./demo.sh and ./run-tests.sh: install the Debian packages
# that are missing (one apt-get update, one apt-get install), then
# `autoreconf -fi && ./configure && make`.
#
# BW_BUILDDIR=DIR builds out of tree in DIR (default: in the source tree).
# BW_NO_APT=1 skips the package step; BW_NO_BUILD=1 skips the build.

BW_PACKAGES="build-essential clang autoconf automake libtool pkg-config flex
bison libbpf-dev libelf-dev zlib1g-dev libmnl-dev libnftnl-dev libjansson-dev libcmocka-dev nftables
iptables iproute2 ethtool tcpdump iputils-ping netcat-openbsd socat procps bpftool
debhelper strace"

bw_say()
{
	printf '==> %s\n' "$*"
}

bw_install_packages()
{
	local missing="" p st
	if [ -n "${BW_NO_APT:-}" ]; then
		return 0
	fi
	if ! command -v dpkg-query >/dev/null 2>&1; then
		bw_say "not a Debian system (no dpkg-query): install by hand: $BW_PACKAGES"
		return 0
	fi
	for p in $BW_PACKAGES; do
		st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
		case $st in
		*" installed") ;;
		*) missing="$missing $p" ;;
		esac
	done
	if [ -z "$missing" ]; then
		bw_say "all packages present"
		return 0
	fi
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		if command -v sudo >/dev/null 2>&1; then
			sudo="sudo"
		else
			echo "missing packages:$missing (run as root or install sudo)" >&2
			return 1
		fi
	fi
	bw_say "installing:$missing"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q || return 1
	# shellcheck disable=SC2086
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing || return 1
}

# bw_build SRCDIR: prints nothing on success but make's own output.
bw_build()
{
	local src=$1 jobs
	jobs=$(nproc 2>/dev/null || echo 2)
	if [ -n "${BW_NO_BUILD:-}" ]; then
		return 0
	fi
	bw_say "autoreconf -fi && ./configure && make"
	(cd "$src" && autoreconf -fi) || return 1
	if [ -n "${BW_BUILDDIR:-}" ]; then
		mkdir -p "$BW_BUILDDIR" || return 1
		(cd "$BW_BUILDDIR" && "$src/configure" -q && make -s -j"$jobs") || return 1
	else
		(cd "$src" && ./configure -q && make -s -j"$jobs") || return 1
	fi
}
