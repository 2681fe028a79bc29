#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# iptables-restore of 1k, 10k and 100k rules (one per blocked source and
# port, the naive shape), and -A of one rule into a 10k-rule chain:
# bpfwall's iptables against iptables-nft, each in a fresh network
# namespace (bpfwall with a private pin dir), best of three.  Prints a
# markdown table for bench/results.md.  Root.
set -u
BPFWALL=${BPFWALL:-$(cd "$(dirname "$0")/.." && pwd)/bpfwall}
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
command -v iptables-nft-restore >/dev/null || { echo "skip: no iptables-nft"; exit 77; }
DIR=$(mktemp -d /tmp/bw-iptbench.XXXXXX)
NS=bw-iptbench-$$
cleanup()
{
	ip netns del "$NS" 2>/dev/null
	umount "$DIR/bpf" 2>/dev/null
	rm -rf "$DIR"
}
trap cleanup EXIT

gen()
{
	awk -v n="$1" 'BEGIN {
		print "*filter"; print ":INPUT ACCEPT [0:0]"
		print ":FORWARD ACCEPT [0:0]"; print ":OUTPUT ACCEPT [0:0]"
		for (i = 0; i < n; i++) {
			a = i % 65536
			printf "-A INPUT -s 10.%d.%d.%d/32 -p tcp -m tcp --dport %d -j DROP\n",
				int(i / 65536) % 256, int(a / 256), a % 256, 1 + i % 60000
		}
		print "COMMIT" }'
}

# ms of the best of three runs of "$@" (a fresh namespace and pin dir each)
best()
{
	local b=999999999 t0 t1 ms i
	for i in 1 2 3; do
		ip netns del "$NS" 2>/dev/null
		umount "$DIR/bpf" 2>/dev/null
		ip netns add "$NS"
		mkdir -p "$DIR/bpf"
		mount -t bpf -o mode=0700 bpf "$DIR/bpf"
		[ -n "${PRE:-}" ] && eval "$PRE" >/dev/null 2>&1
		t0=$(date +%s%N)
		eval "$1" >/dev/null 2>&1 || { echo "failed: $1" >&2; return 1; }
		t1=$(date +%s%N)
		ms=$(( (t1 - t0) / 1000000 ))
		[ "$ms" -lt "$b" ] && b=$ms
	done
	echo "$b"
}

echo "| rules | iptables-nft-restore | bpfwall iptables-restore | ratio |"
echo "|---:|---:|---:|---:|"
for n in 1000 10000 100000; do
	gen "$n" >"$DIR/r$n"
	PRE=
	a=$(best "ip netns exec $NS iptables-nft-restore <$DIR/r$n")
	b=$(best "ip netns exec $NS $BPFWALL --pin-dir $DIR/bpf iptables-restore <$DIR/r$n")
	echo "| $n | $a ms | $b ms | $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", b / (a ? a : 1) }') |"
done
echo
echo "| -A one rule into a chain of 10000 | iptables-nft | bpfwall iptables |"
echo "|---|---:|---:|"
PRE="ip netns exec $NS iptables-nft-restore <$DIR/r10000"
a=$(best "ip netns exec $NS iptables-nft -A INPUT -s 192.0.2.1 -j DROP")
PRE="ip netns exec $NS $BPFWALL --pin-dir $DIR/bpf iptables-restore <$DIR/r10000"
b=$(best "ip netns exec $NS $BPFWALL --pin-dir $DIR/bpf iptables -A INPUT -s 192.0.2.1 -j DROP")
echo "| time | $a ms | $b ms |"
