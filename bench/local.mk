# bench/: `make bench` (root) prints ns/packet, load times, set lookups,
# ns/connect, each attach point's cost per packet, and Mpps of uniform and
# mixed rulesets next to nft (plotted to bench/mixed.png where gnuplot
# is); `make bench-hooks`, `make bench-flood [BENCH_FLOOD_FILE=FILE]` and
# `make bench-mixed [BENCH_MIXED_FLAGS=...]` run one section alone.
# Results go to bench/results.md by hand, with the machine.  make check
# builds bwbench (tests/e2e/bench-builds.sh runs its usage) but never
# runs a measurement.
check_PROGRAMS += bench/bwbench
bench_bwbench_SOURCES = bench/bwbench.c bench/bench.h bench/sets.c bench/ct.c bench/pps.c \
	bench/connect.c bench/connect.h bench/hooks.h bench/hooknet.c bench/hooks.c \
	bench/flood.c bench/mixed.h bench/mixed.c bench/mixrules.c
bench_bwbench_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
bench_bwbench_LDADD = $(BW_RT_LIBS)
CLEANFILES += bench/bwbench$(EXEEXT)
EXTRA_DIST += bench/results.md bench/ipt-restore.sh bench/mixed.png

.PHONY: bench
bench: bench/bwbench$(EXEEXT)
	BWBENCH_PLOT=$(srcdir)/bench/mixed.png bench/bwbench$(EXEEXT) $(BENCH_SIZES)

# make bench-mixed [BENCH_MIXED_FLAGS='--sizes 1000,10000 ...']: the
# uniform and mixed rulesets alone (bwbench --help lists the flags); the
# plot goes to bench/mixed.png.
.PHONY: bench-hooks bench-flood bench-mixed
bench-mixed: bench/bwbench$(EXEEXT)
	bench/bwbench$(EXEEXT) mixed --plot $(srcdir)/bench/mixed.png $(BENCH_MIXED_FLAGS)

bench-hooks: bench/bwbench$(EXEEXT)
	bench/bwbench$(EXEEXT) hooks
bench-flood: bench/bwbench$(EXEEXT)
	bench/bwbench$(EXEEXT) flood $(BENCH_FLOOD_FILE)
