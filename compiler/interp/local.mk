# compiler/ reference side: view parser, interpreter, packet builder
noinst_LIBRARIES += compiler/interp/libbwinterp.a
compiler_interp_libbwinterp_a_SOURCES = compiler/interp/view.c compiler/front/view.h \
	compiler/interp/ct.c compiler/interp/ct.h \
	compiler/interp/interp.c compiler/interp/interp.h \
	compiler/interp/pktbuild.c compiler/interp/pktbuild.h \
	compiler/interp/dynset.c compiler/interp/dynset.h

BW_INTERP_TEST_LIBS = compiler/interp/libbwinterp.a compiler/front/libbwfront.a \
	grammar/libbwgrammar.a $(CMOCKA_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_view tests/unit/test_interp tests/unit/test_pktbuild
TESTS += tests/unit/test_view tests/unit/test_interp tests/unit/test_pktbuild
tests_unit_test_view_SOURCES = tests/unit/test_view.c
tests_unit_test_view_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_view_LDADD = $(BW_INTERP_TEST_LIBS)
tests_unit_test_interp_SOURCES = tests/unit/test_interp.c
tests_unit_test_interp_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_interp_LDADD = $(BW_INTERP_TEST_LIBS)
tests_unit_test_pktbuild_SOURCES = tests/unit/test_pktbuild.c
tests_unit_test_pktbuild_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_pktbuild_LDADD = $(BW_INTERP_TEST_LIBS)
endif

# Differential test: kernel (codegen + BPF_PROG_TEST_RUN) vs interpreter.
# Needs root (skips with 77 otherwise); bounded by BW_DIFF_FRAMES and
# BW_DIFF_SECONDS.
check_PROGRAMS += tests/fuzz/diff_view
TESTS += tests/fuzz/diff_view
tests_fuzz_diff_view_SOURCES = tests/fuzz/diff_view.c
tests_fuzz_diff_view_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_fuzz_diff_view_LDADD = $(BW_RT_LIBS)

# diff_view's frame generator (split out of diff_view.c)
tests_fuzz_diff_view_SOURCES += tests/fuzz/diff_frames.c tests/fuzz/diff_view.h
