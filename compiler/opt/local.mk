# compiler/ optimizer: same-shape rule runs -> map lookups
noinst_LIBRARIES += compiler/opt/libbwopt.a
compiler_opt_libbwopt_a_SOURCES = compiler/opt/optimize.c compiler/opt/optimize.h \
	compiler/opt/classify.c compiler/opt/classify.h

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_optimize
TESTS += tests/unit/test_optimize
tests_unit_test_optimize_SOURCES = tests/unit/test_optimize.c
tests_unit_test_optimize_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_optimize_LDADD = $(BW_LIBS) $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test_classify
TESTS += tests/unit/test_classify
tests_unit_test_classify_SOURCES = tests/unit/test_classify.c tests/lib/stackinit.h
tests_unit_test_classify_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_classify_LDADD = $(BW_LIBS) $(CMOCKA_LIBS)
endif
