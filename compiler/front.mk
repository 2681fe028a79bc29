# compiler/ front half: fields table, IR helpers, evaluate, printer, packet specs
noinst_LIBRARIES += compiler/libbwfront.a
compiler_libbwfront_a_SOURCES = compiler/fields.c compiler/fields.h compiler/meta_value.c compiler/meta_value.h compiler/sctp_chunk.c compiler/sctp_chunk.h \
	compiler/ir.c compiler/ir.h compiler/view.h compiler/compile.h \
	compiler/evaluate.c compiler/evaluate.h compiler/value.c compiler/value_ct.c compiler/sets.c compiler/stmts.c compiler/nat.c compiler/nat.h compiler/setf.c compiler/setf.h compiler/queue.c compiler/queue.h compiler/setmap.c compiler/setmap.h compiler/print.c compiler/prio.c compiler/prio.h \
	compiler/pktspec.c compiler/compile.c compiler/capture.c compiler/capture.h \
	compiler/tcpopt.c compiler/tcpopt.h

BW_FRONT_TEST_LIBS = compiler/libbwfront.a grammar/libbwgrammar.a

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_grammar tests/unit/test_evaluate
TESTS += tests/unit/test_grammar tests/unit/test_evaluate
tests_unit_test_grammar_SOURCES = tests/unit/test_grammar.c
tests_unit_test_grammar_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_grammar_LDADD = $(BW_FRONT_TEST_LIBS) $(CMOCKA_LIBS)
tests_unit_test_evaluate_SOURCES = tests/unit/test_evaluate.c
tests_unit_test_evaluate_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_evaluate_LDADD = $(BW_FRONT_TEST_LIBS) $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test_print
TESTS += tests/unit/test_print
tests_unit_test_print_SOURCES = tests/unit/test_print.c
tests_unit_test_print_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_print_LDADD = $(BW_FRONT_TEST_LIBS) $(CMOCKA_LIBS)
# The values of nft's meta types, their time zones and listings.
check_PROGRAMS += tests/unit/test_meta_value
TESTS += tests/unit/test_meta_value
tests_unit_test_meta_value_SOURCES = tests/unit/test_meta_value.c
tests_unit_test_meta_value_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_meta_value_LDADD = $(BW_FRONT_TEST_LIBS) $(CMOCKA_LIBS)
endif

# tests/bad/: every NAME.conf must fail with exactly NAME.err on stderr.
check_PROGRAMS += tests/bad/check-bad
tests_bad_check_bad_SOURCES = tests/bad/check-bad.c
tests_bad_check_bad_LDADD = compiler/libbwjson.a $(BW_FRONT_TEST_LIBS) $(JANSSON_LIBS)
TESTS += tests/bad/check-bad
EXTRA_DIST += tests/bad
tests_bad_check_bad_CPPFLAGS = $(AM_CPPFLAGS) -DBW_TOP_SRCDIR='"$(abs_top_srcdir)"'
