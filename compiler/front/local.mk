# compiler/ front half: fields table, IR helpers, evaluate, printer, packet specs
noinst_LIBRARIES += compiler/front/libbwfront.a
compiler_front_libbwfront_a_SOURCES = compiler/front/fields.c compiler/front/fields.h compiler/front/meta_value.c compiler/front/meta_value.h compiler/front/sctp_chunk.c compiler/front/sctp_chunk.h \
	compiler/front/ir.c compiler/front/ir.h compiler/front/view.h compiler/front/compile.h \
	compiler/front/evaluate.c compiler/front/evaluate.h compiler/front/value.c compiler/front/value_ct.c compiler/front/sets.c compiler/front/stmts.c compiler/front/nat.c compiler/front/nat.h compiler/front/setf.c compiler/front/setf.h compiler/front/hdrset.c compiler/front/hdrset.h compiler/front/queue.c compiler/front/queue.h compiler/front/setmap.c compiler/front/setmap.h compiler/front/print.c compiler/front/print_order.c compiler/front/print_order.h compiler/front/prio.c compiler/front/prio.h \
	compiler/front/pktspec.c compiler/front/compile.c compiler/front/capture.c compiler/front/capture.h \
	compiler/front/tcpopt.c compiler/front/tcpopt.h \
	compiler/front/objects.c compiler/front/objects.h \
	compiler/front/rawpay.c compiler/front/rawpay.h compiler/front/rawpay_print.c \
	compiler/front/tunnel.c compiler/front/tunnel.h \
	compiler/front/valexpr.c compiler/front/valexpr.h \
	compiler/front/dynset.c compiler/front/dynset.h \
	compiler/front/mapadd.c compiler/front/mapadd.h \
	compiler/front/mapcat.c compiler/front/mapcat.h \
	compiler/front/tproxy.c compiler/front/tproxy.h \
	compiler/front/synproxy.c compiler/front/synproxy.h \
	compiler/front/xfrm.c compiler/front/xfrm.h \
	compiler/front/dup.c compiler/front/dup.h \
	compiler/front/nfnetdev.c compiler/front/nfnetdev.h \
	compiler/front/fwd.c compiler/front/fwd.h \
	compiler/front/vlan.c compiler/front/vlan.h \
	compiler/front/flowtable.c compiler/front/flowtable.h \
	compiler/front/srh.c compiler/front/srh.h \
	compiler/front/settimeout.c compiler/front/settimeout.h

BW_FRONT_TEST_LIBS = compiler/front/libbwfront.a grammar/libbwgrammar.a

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
tests_bad_check_bad_LDADD = compiler/json/libbwjson.a $(BW_FRONT_TEST_LIBS) $(JANSSON_LIBS)
TESTS += tests/bad/check-bad
EXTRA_DIST += tests/bad
tests_bad_check_bad_CPPFLAGS = $(AM_CPPFLAGS) -DBW_TOP_SRCDIR='"$(abs_top_srcdir)"'

# evaluate.c, value.c and print.c split by concept: their parts
compiler_front_libbwfront_a_SOURCES += \
	compiler/front/evaluate_int.h compiler/front/evaluate_proto.c compiler/front/evaluate_chain.c \
	compiler/front/value_int.h compiler/front/value_scalar.c compiler/front/value_print.c \
	compiler/front/print_int.h compiler/front/print_value.c compiler/front/print_dep.c
