# tests/nft/: the nf_tables back end (compiler/nft/nft.c, runtime/nft.c)

# The driver of the end-to-end scripts (tests/e2e/nft-*.sh).
check_PROGRAMS += tests/nft/nftplan
tests_nft_nftplan_SOURCES = tests/nft/nftplan.c
tests_nft_nftplan_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS) $(LIBNFTNL_CFLAGS)
tests_nft_nftplan_LDADD = $(BW_RT_LIBS)

# nft as the oracle: every tests/nft/*.conf through the plan and through
# nft -f, in two namespaces, must list the same (root; skips otherwise).
TESTS += tests/e2e/nft-oracle.sh
EXTRA_DIST += tests/e2e/nft-oracle.sh tests/nft/payload.conf tests/nft/meta.conf \
	tests/nft/sets.conf tests/nft/stmts.conf tests/nft/families.conf \
	tests/nft/bridge-arp.conf tests/nft/nat.conf tests/nft/setf.conf \
	tests/nft/bytes.conf tests/nft/headers.conf tests/nft/socket.conf tests/nft/fib.conf \
	tests/nft/osf.conf tests/nft/metakeys.conf \
	tests/nft/metahour.conf tests/nft/metaarp.conf tests/nft/metart.conf \
	tests/nft/metaif.conf \
	tests/nft/ct.conf tests/nft/ctset.conf \
	tests/nft/tcpopt.conf tests/nft/log.conf tests/nft/tcpopt-set.conf \
	tests/nft/objects.conf \
	tests/nft/hdrset.conf tests/nft/hdrset-icmp.conf \
	tests/nft/rawpay.conf \
	tests/nft/valexpr.conf \
	tests/nft/tproxy.conf \
	tests/nft/xfrm.conf tests/nft/dup.conf \
	tests/nft/nfnetdev.conf \
	tests/nft/ah6.conf tests/nft/icmpx.conf \
	tests/nft/concat.conf \
	tests/nft/concat-raw.conf \
	tests/nft/vlan.conf tests/nft/hdrset-link.conf \
	tests/nft/vmapthen.conf tests/nft/vmapnat.conf tests/nft/datamap.conf \
	tests/nft/datamap6.conf tests/nft/dscp6.conf \
	tests/nft/natmap-range.conf tests/nft/natmap-range.payload \
	tests/nft/newer/regop.conf tests/nft/newer/regop.payload \
	tests/nft/rtmtu.conf tests/nft/rtmtu.payload \
	tests/nft/flowtable.conf \
	tests/nft/srh.conf \
	tests/nft/mapadd.conf \
	tests/nft/nfnetdev-arp.conf tests/nft/nfnetdev-arp.payload \
	tests/nft/newer/regop-iif.conf tests/nft/newer/regop-iif.payload \
	tests/nft/vlanmap.conf tests/nft/vlanmap.payload \
	tests/nft/vlanmap-named.conf tests/nft/vlanmap-named.payload \
	tests/nft/rawll.conf tests/nft/rawll.payload \
	tests/nft/newer/tunnel.conf tests/nft/newer/tunnel.payload \
	tests/nft/rmw/broute.conf tests/nft/rmw/broute.payload \
	tests/nft/tproxy-map.conf tests/nft/tproxy-map.payload \
	tests/nft/rmw/ibrhwaddr.conf tests/nft/rmw/ibrhwaddr.payload \
	tests/nft/mapcat.conf tests/nft/mapcat.payload \
	tests/nft/newer/mapcat6.conf tests/nft/newer/mapcat6.payload
# Real traffic through reject rules in an inet input chain (root).
TESTS += tests/e2e/nft-reject.sh
EXTRA_DIST += tests/e2e/nft-reject.sh
# The conntrack keeper turns connection tracking on, and only it (root).
TESTS += tests/e2e/nft-ctkeeper.sh
EXTRA_DIST += tests/e2e/nft-ctkeeper.sh
# Chains of type nat through a router, against nft -f of the same file (root).
TESTS += tests/e2e/nft-nat.sh
EXTRA_DIST += tests/e2e/nft-nat.sh
# Netdev chains nf_tables' netdev family runs beside BPF ones (root).
TESTS += tests/e2e/nft-netdev.sh
EXTRA_DIST += tests/e2e/nft-netdev.sh
# Marks set in nf_tables, read by a BPF input chain, with traffic (root).
TESTS += tests/e2e/nft-setf.sh
EXTRA_DIST += tests/e2e/nft-setf.sh
# Marks computed by value expressions in nf_tables, read by BPF (root).
TESTS += tests/e2e/nft-valexpr.sh
EXTRA_DIST += tests/e2e/nft-valexpr.sh
# & | ^ of two fields (a bitwise of two registers) in nf_tables, by mark (root).
TESTS += tests/e2e/nft-regop.sh
EXTRA_DIST += tests/e2e/nft-regop.sh
# nft's tunnel expression in a netdev chain, loaded and with traffic (root).
TESTS += tests/e2e/nft-tunnel.sh
EXTRA_DIST += tests/e2e/nft-tunnel.sh
# nat to a map, numgen, redirect to a map of ports, through a router (root).
TESTS += tests/e2e/nft-natmap.sh
EXTRA_DIST += tests/e2e/nft-natmap.sh
# nat maps of ranges and prefixes, snat ip prefix to, through a router (root).
TESTS += tests/e2e/nft-natrange.sh
EXTRA_DIST += tests/e2e/nft-natrange.sh
# Byte limits and quotas in nf_tables, with traffic (root).
TESTS += tests/e2e/nft-bytes.sh
EXTRA_DIST += tests/e2e/nft-bytes.sh
# Named objects (counter, quota, ct helper) in nf_tables, with traffic (root).
TESTS += tests/e2e/nft-objects.sh
EXTRA_DIST += tests/e2e/nft-objects.sh
# queue in nf_tables, with traffic where the kernel has nft_queue (root).
TESTS += tests/e2e/nft-queue.sh
EXTRA_DIST += tests/e2e/nft-queue.sh
# tproxy to transparent listeners and synproxy's SYN-ACK, with traffic,
# against nft -f (root).
TESTS += tests/e2e/nft-tproxy.sh
EXTRA_DIST += tests/e2e/nft-tproxy.sh
# queue through the interpreter (tests/verdict's runner; kept out of
# tests/verdict/*.t, whose rulesets nft must load: nft_queue is missing here).
TESTS += tests/nft/queue.t
EXTRA_DIST += tests/nft/queue.t
# socket transparent/mark/wildcard in nf_tables, with traffic (root).
TESTS += tests/e2e/nft-socket.sh
EXTRA_DIST += tests/e2e/nft-socket.sh
# fib (rpfilter, address types) in nf_tables, with traffic (root).
TESTS += tests/e2e/nft-fib.sh tests/e2e/nft-xfrm.sh tests/e2e/nft-dup.sh
EXTRA_DIST += tests/e2e/nft-fib.sh tests/e2e/nft-xfrm.sh tests/e2e/nft-dup.sh
# flowtables: flow add through a router, against nft -f (root; the
# traffic part skips where the kernel has no flowtables).
TESTS += tests/e2e/nft-flowtable.sh
EXTRA_DIST += tests/e2e/nft-flowtable.sh
# The meta keys only nf_tables reads, with traffic, against nft -f (root).
TESTS += tests/e2e/nft-meta.sh
EXTRA_DIST += tests/e2e/nft-meta.sh
# Conntrack keys nf_tables reads, with real connections, against nft -f (root).
TESTS += tests/e2e/nft-ct.sh
EXTRA_DIST += tests/e2e/nft-ct.sh
# iptables' matches bpfwall runs as the kernel's xtables ones (tcp
# xt-option, xt-ports: no nft syntax, so kept out of tests/verdict/*.t);
# nft-diff.sh compares them with iptables-nft through their .ipt files.
TESTS += tests/nft/xt-tcpopt.t tests/nft/xt-multiport.t
# TCP options and the MSS clamp in nf_tables, with traffic (root).
TESTS += tests/e2e/nft-tcpopt.sh
EXTRA_DIST += tests/e2e/nft-tcpopt.sh
# rt mtu and the MSS clamp to it in nf_tables, with traffic (root).
TESTS += tests/e2e/nft-rtmtu.sh
EXTRA_DIST += tests/e2e/nft-rtmtu.sh
EXTRA_DIST += tests/nft/xt-tcpopt.t tests/nft/xt-multiport.t \
	tests/nft/xt-tcpopt.ipt tests/nft/xt-multiport.ipt
# Header field writes in nf_tables, seen rewritten by a BPF chain
# downstream, checksums valid, against nft -f (root).
TESTS += tests/e2e/nft-hdrset.sh
EXTRA_DIST += tests/e2e/nft-hdrset.sh
# Rules that add to a map of data (nf_tables' dynset), with traffic (root).
TESTS += tests/e2e/nft-mapadd.sh
EXTRA_DIST += tests/e2e/nft-mapadd.sh
# Maps whose values are concatenations, added to by rules, with traffic (root).
TESTS += tests/e2e/nft-mapcat.sh
EXTRA_DIST += tests/e2e/nft-mapcat.sh
EXTRA_DIST += tests/nft/settimeout.conf tests/nft/settimeout.payload
