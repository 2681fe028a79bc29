# tests: verdict runner and files, end-to-end scripts, shell helpers.
# Each tests/verdict/*.t and tests/e2e/*.sh is its own test in make check.
TEST_EXTENSIONS = .t .sh

check_PROGRAMS += tests/verdict/run-verdict
tests_verdict_run_verdict_SOURCES = tests/verdict/run-verdict.c tests/lib/tfile.h \
	tests/verdict/relist.c tests/verdict/relist.h
tests_verdict_run_verdict_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_verdict_run_verdict_LDADD = $(BW_RT_LIBS)

# Every program of every shipped ruleset through the verifier
# (tests/verdict/load-all.sh runs it).
check_PROGRAMS += tests/verdict/load-all
tests_verdict_load_all_SOURCES = tests/verdict/load-all.c tests/lib/tfile.h
tests_verdict_load_all_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_verdict_load_all_LDADD = $(BW_RT_LIBS)

# What the end-to-end tests ask the kernel without bpfwall: what is
# attached, a state blob written by hand, a bounded UDP flood.
check_PROGRAMS += tests/lib/bwprobe
tests_lib_bwprobe_SOURCES = tests/lib/bwprobe.c
tests_lib_bwprobe_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_lib_bwprobe_LDADD = $(LIBBPF_LIBS) $(LIBELF_LIBS)

# The differential test's driver (tests/e2e/nft-diff.sh runs it).
check_PROGRAMS += tests/nftdiff/nftdiff
tests_nftdiff_nftdiff_SOURCES = tests/nftdiff/nftdiff.c tests/nftdiff/gen.c \
	tests/nftdiff/nftdiff.h tests/lib/tfile.h
tests_nftdiff_nftdiff_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_nftdiff_nftdiff_LDADD = $(BW_RT_LIBS)
EXTRA_DIST += tests/nftdiff/selftest-wrong.tv

# The classifier's equivalence test (classifier = compare chain =
# interpreter, deciding rule included) on random mixed rulesets.
check_PROGRAMS += tests/classify/clsequiv
TESTS += tests/classify/clsequiv
tests_classify_clsequiv_SOURCES = tests/classify/clsequiv.c \
	tests/classify/mixgen.c tests/classify/mixgen.h tests/lib/stackinit.h
tests_classify_clsequiv_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_classify_clsequiv_LDADD = $(BW_RT_LIBS)
# Its cost per packet and load time (run by hand as root, not a test).
check_PROGRAMS += tests/classify/clsbench
tests_classify_clsbench_SOURCES = tests/classify/clsbench.c \
	tests/classify/mixgen.c tests/classify/mixgen.h
tests_classify_clsbench_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_classify_clsbench_LDADD = $(BW_RT_LIBS)

# Tagged UDP streams and a receiver that counts them, also through a tun
# device (tests/e2e/newlinks.sh and fragments.sh run it).
check_PROGRAMS += tests/lib/udpflow
tests_lib_udpflow_SOURCES = tests/lib/udpflow.c

T_LOG_COMPILER = $(top_builddir)/tests/verdict/run-verdict
SH_LOG_COMPILER = env BW_SRCDIR=$(abs_top_srcdir) BW_BUILDDIR=$(abs_top_builddir) bash

VERDICT_TESTS = \
	tests/verdict/addr.t \
	tests/verdict/unconditional.t \
	tests/verdict/proto.t \
	tests/verdict/ports.t \
	tests/verdict/flags.t \
	tests/verdict/flags-listed.t \
	tests/verdict/deps-listed.t \
	tests/verdict/reject-listed.t \
	tests/verdict/chains.t \
	tests/verdict/families.t \
	tests/verdict/hooks.t \
	tests/verdict/reject-inet.t \
	tests/verdict/nat.t \
	tests/verdict/setf.t \
	tests/verdict/ipsec.t \
	tests/verdict/dup.t \
	tests/verdict/setf-bits.t \
	tests/verdict/valexpr.t \
	tests/verdict/setf-egress.t \
	tests/verdict/quota.t \
	tests/verdict/objects.t \
	tests/verdict/tcpopt.t \
	tests/verdict/egress.t \
	tests/verdict/defines.t \
	tests/verdict/compare.t \
	tests/verdict/fields.t \
	tests/verdict/include.t \
	tests/verdict/jump.t \
	tests/verdict/jump2.t \
	tests/verdict/jump-unreached.t \
	tests/verdict/meta.t \
	tests/verdict/sets.t \
	tests/verdict/ipset.t \
	tests/verdict/unreachable.t \
	tests/verdict/length.t \
	tests/verdict/length-inet.t \
	tests/verdict/stmts.t \
	tests/verdict/reject.t \
	tests/verdict/ct.t \
	tests/verdict/fields-ip.t \
	tests/verdict/fields-transport.t \
	tests/verdict/icmp-echo.t \
	tests/verdict/malformed-eth.t \
	tests/verdict/malformed-vlan.t \
	tests/verdict/malformed-ipv4.t \
	tests/verdict/malformed-ipv6.t \
	tests/verdict/ip6-exthdr.t \
	tests/verdict/ip4-options.t \
	tests/verdict/fragments4.t \
	tests/verdict/fragments6.t \
	tests/verdict/fragments-nf.t \
	tests/verdict/l4-truncated.t \
	tests/verdict/tcp-malformed.t \
	tests/verdict/trailer.t \
	tests/verdict/log-final.t \
	tests/verdict/sets-list.t \
	tests/verdict/ether-type.t \
	tests/verdict/meta-protocol.t \
	tests/verdict/setf-fold.t \
	tests/verdict/meta-arp.t \
	tests/verdict/nft-forms.t \
	tests/verdict/nft-masks.t \
	tests/verdict/word-ops.t \
	tests/verdict/l4-other.t \
	tests/verdict/sctp-chunk.t \
	tests/verdict/sctp-chunk-netdev.t \
	tests/verdict/rawpay.t \
	tests/verdict/rawpay-inet.t \
	tests/verdict/icmpv6-addrs.t \
	tests/verdict/checksums.t \
	tests/verdict/icmp-typed.t \
	tests/verdict/vmap-colons.t \
	tests/verdict/igmp.t \
	tests/verdict/ip6-tclass.t \
	tests/verdict/ip6-exthdr-fields.t \
	tests/verdict/classify.t \
	tests/verdict/jump-noreturn.t
# byte rates and quotas in BPF (netdev chains)
VERDICT_TESTS += tests/verdict/bytes-netdev.t tests/verdict/arp-netdev.t \
	tests/verdict/meta-cpu.t
# bridge and arp families (issue 12), grouped for the merge
VERDICT_TESTS += tests/verdict/arp.t tests/verdict/bridge.t
# the classifier on IPv6 addresses and interfaces (issue 10)
VERDICT_TESTS += tests/verdict/classify6.t
# header field writes at TC egress and XDP (issue 12)
VERDICT_TESTS += tests/verdict/hdrset-egress.t tests/verdict/hdrset-ingress.t
# & | ^ with a field on the right in a value (issue 12, natmisc)
VERDICT_TESTS += tests/verdict/valexpr-regop.t
# fields inside tunnels: vxlan, geneve, gre, gretap (issue 12)
VERDICT_TESTS += tests/verdict/tunnel.t tests/verdict/tunnel-netdev.t
# set statements add/update/delete @s (issue 12)
VERDICT_TESTS += tests/verdict/dynset.t tests/verdict/dynset-inet.t tests/verdict/dynset-nf.t
# tproxy and synproxy (nf_tables) through the interpreter
VERDICT_TESTS += tests/verdict/tproxy.t
VERDICT_TESTS += tests/verdict/ah6.t tests/verdict/ah6-exthdr.t tests/verdict/icmp-cross.t
# literal concatenations with two ranges per element; raw payloads and
# tunnel fields in lookup keys (issue 12)
VERDICT_TESTS += tests/verdict/concat-ranges.t tests/verdict/concat-ranges-max.t \
	tests/verdict/concat-reads.t tests/verdict/concat-tunnel.t
# exact vlan fields: a bare one is an 802.1Q tag's (issue 12)
VERDICT_TESTS += tests/verdict/vlan-exact.t
# link-layer header writes: ether type, vlan id, pcp, dei, type (issue 12)
VERDICT_TESTS += tests/verdict/hdrset-link.t tests/verdict/arp-hdrset.t
VERDICT_TESTS += tests/verdict/vmap-then.t tests/verdict/vmap-catchall.t tests/verdict/vmap-nat.t tests/verdict/datamap.t tests/verdict/mapadd.t tests/verdict/dscp6-set.t
VERDICT_TESTS += tests/verdict/srh.t tests/verdict/srh-netdev.t tests/verdict/srh-lookup.t tests/verdict/th-named.t
VERDICT_TESTS += tests/verdict/settimeout.t tests/verdict/settimeout-elem.t

# The two that build the tree again come first: they overlap the rest.
E2E_TESTS = \
	tests/e2e/package.sh \
	tests/e2e/distcheck.sh \
	tests/verdict/selftest.sh \
	tests/verdict/load-all.sh \
	tests/e2e/cli.sh \
	tests/e2e/bench-builds.sh \
	tests/e2e/bench-mixed.sh \
	tests/e2e/rules.sh \
	tests/e2e/man.sh \
	tests/e2e/traffic.sh \
	tests/e2e/roundtrip.sh \
	tests/e2e/json.sh \
	tests/e2e/json-self.sh \
	tests/e2e/relist.sh \
	tests/e2e/prio-names.sh \
	tests/e2e/egress.sh \
	tests/e2e/inet.sh \
	tests/e2e/watch.sh \
	tests/e2e/hoist.sh \
	tests/e2e/newlinks.sh \
	tests/e2e/router.sh \
	tests/e2e/fragments.sh \
	tests/e2e/reload-stream.sh \
	tests/e2e/reload-fail.sh \
	tests/e2e/xdp-mode-flood.sh \
	tests/e2e/crash-orphans.sh \
	tests/e2e/state-upgrade.sh \
	tests/e2e/state-v2.sh \
	tests/e2e/fault-kill.sh \
	tests/e2e/flush.sh \
	tests/e2e/pin-mount.sh \
	tests/e2e/pin-trust.sh \
	tests/e2e/pin-leftovers.sh \
	tests/e2e/state-shape.sh \
	tests/e2e/lock-wait.sh \
	tests/e2e/log-lost.sh \
	tests/e2e/set-errors.sh \
	tests/e2e/demo.sh \
	tests/e2e/capture.sh \
	tests/e2e/audit.sh \
	tests/e2e/audit-tracepoint.sh \
	tests/e2e/statements.sh \
	tests/e2e/conntrack.sh \
	tests/e2e/examples.sh \
	tests/e2e/nft-diff.sh \
	tests/e2e/service.sh \
	tests/e2e/install.sh \
	tests/e2e/completion.sh \
	tests/e2e/ipt-corpus.sh \
	tests/e2e/ipt-mark.sh \
	tests/e2e/ipt-diff.sh \
	tests/e2e/ipt-owner.sh \
	tests/e2e/ipt-docker.sh \
	tests/e2e/ipt-set.sh
E2E_TESTS += tests/e2e/ipt-ct.sh
E2E_TESTS += tests/e2e/bridge-arp.sh
# netdev byte rates and quotas in BPF against nft (issue 12)
E2E_TESTS += tests/e2e/nft-bytes-netdev.sh tests/e2e/arp-netdev.sh
E2E_TESTS += tests/e2e/tunnel.sh
# set statements with traffic (issue 12)
E2E_TESTS += tests/e2e/dynset.sh
E2E_TESTS += tests/e2e/settimeout.sh
# link-layer writes in a bridge chain with traffic (issue 12)
E2E_TESTS += tests/e2e/bridge-write.sh
# a netdev chain on several devices (devices = { ... }), against nft
E2E_TESTS += tests/e2e/netdev-devices.sh

# The same end-to-end tests in the host tier (tests/lib/bwtest.sh): the
# default pin dir and audit hook, the host's /sys, nsenter.
HOST_TESTS = \
	tests/host/traffic.sh \
	tests/host/reload-stream.sh \
	tests/host/reload-fail.sh \
	tests/host/flush.sh \
	tests/host/audit.sh \
	tests/host/statements.sh \
	tests/host/egress.sh \
	tests/host/inet.sh \
	tests/host/watch.sh \
	tests/host/hoist.sh \
	tests/host/newlinks.sh \
	tests/host/router.sh \
	tests/host/fragments.sh

TESTS += $(VERDICT_TESTS) $(E2E_TESTS) $(HOST_TESTS)

EXTRA_DIST += $(VERDICT_TESTS) $(E2E_TESTS) $(HOST_TESTS) \
	tests/verdict/selftest-wrong.tv tests/verdict/inc \
	tests/lib/bwtest.sh tests/lib/bwfault.sh tests/lib/setup.sh tests/lib/service.sh tests/lib/maps.h \
	tests/e2e/ipt-corpus.unsupported \
	README.md demo.sh run-tests.sh .ci/run tools/nft-corpus.sh \
	rules/demo.conf rules/edge.conf rules/host-firewall.conf rules/ipv6.conf

# The unit, bad-input and verdict tests (all but tests/e2e/), for the
# sanitizer build that run-tests.sh makes (./configure --enable-sanitizers);
# of tests/e2e/, the one that feeds bpfwall maps of the wrong shape.
SANITIZED_E2E = tests/e2e/state-shape.sh
.PHONY: check-sanitized
check-sanitized:
	@list=''; for t in $(TESTS); do \
		case " $(SANITIZED_E2E) " in *" $$t "*) list="$$list $$t"; continue ;; esac; \
		case $$t in tests/e2e/*|tests/host/*) ;; *) list="$$list $$t" ;; esac; \
	done; \
	$(MAKE) $(AM_MAKEFLAGS) check TESTS="$$list"

# libFuzzer targets: built and run (bounded, fixed seed) only with
# ./configure CC=clang --enable-fuzzers; run-tests.sh's sanitizer build
# does that where clang is.
if FUZZERS
check_PROGRAMS += tests/fuzz/fuzz_compile tests/fuzz/fuzz_pktspec
tests_fuzz_fuzz_compile_SOURCES = tests/fuzz/fuzz_compile.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_compile_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_compile_LDADD = $(BW_LIBS)
tests_fuzz_fuzz_pktspec_SOURCES = tests/fuzz/fuzz_pktspec.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_pktspec_LDFLAGS = $(AM_LDFLAGS) -fsanitize=fuzzer
tests_fuzz_fuzz_pktspec_LDADD = $(BW_LIBS)
TESTS += tests/fuzz/fuzz-compile.sh tests/fuzz/fuzz-pktspec.sh
endif
EXTRA_DIST += tests/fuzz/run-fuzz.sh tests/fuzz/nft.dict \
	tests/fuzz/fuzz-compile.sh tests/fuzz/fuzz-pktspec.sh \
	tests/fuzz/fuzz_compile.c tests/fuzz/fuzz_pktspec.c tests/fuzz/fuzz.h
