# bench/: `make bench` (root) prints ns/packet, load times, set lookups and
# ns/connect; never part of make check.  Results go to bench/results.md by
# hand, with the machine.
EXTRA_PROGRAMS = bench/bwbench
bench_bwbench_SOURCES = bench/bwbench.c bench/bench.h bench/sets.c bench/ct.c bench/pps.c \
	bench/connect.c bench/connect.h
bench_bwbench_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
bench_bwbench_LDADD = $(BW_RT_LIBS)
CLEANFILES += bench/bwbench$(EXEEXT)
EXTRA_DIST += bench/results.md bench/ipt-restore.sh

.PHONY: bench
bench: bench/bwbench$(EXEEXT)
	bench/bwbench$(EXEEXT) $(BENCH_SIZES)
