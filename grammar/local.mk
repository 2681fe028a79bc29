# grammar/: scanner, parser, AST, diagnostics
noinst_LIBRARIES += grammar/libbwgrammar.a
grammar_libbwgrammar_a_SOURCES = grammar/diag.c grammar/diag.h \
	grammar/ast.c grammar/ast.h
# the iptables front end (argv and restore lines to the same AST)
grammar_libbwgrammar_a_SOURCES += grammar/ipt.h grammar/ipt_ext.h \
	grammar/ipt_parse.c grammar/ipt_ext.c grammar/ipt_field.c \
	grammar/ipt_target.c grammar/ipt_print.c grammar/ipt_ast.c \
	grammar/ipset.h grammar/ipset.c grammar/ipt_set.c
nodist_grammar_libbwgrammar_a_SOURCES = grammar/parser.c grammar/parser.h \
	grammar/scanner.c grammar/scanner.h
# flex output is not -Wextra clean
grammar_libbwgrammar_a_CFLAGS = $(AM_CFLAGS) -Wno-sign-compare -Wno-unused-function

# Generated into the build directory (out-of-tree builds work).
BUILT_SOURCES += grammar/parser.c grammar/parser.h grammar/scanner.c grammar/scanner.h
CLEANFILES += grammar/parser.c grammar/parser.h grammar/scanner.c grammar/scanner.h \
	grammar/parser.output
EXTRA_DIST += grammar/parser.y grammar/scanner.l

grammar/parser.c: $(srcdir)/grammar/parser.y
	$(AM_V_GEN)$(MKDIR_P) grammar && \
	$(BISON) -Wall -Werror --defines=grammar/parser.h -o grammar/parser.c \
		$(srcdir)/grammar/parser.y
grammar/parser.h: grammar/parser.c
	@test -f $@ || { rm -f grammar/parser.c && \
		$(MAKE) $(AM_MAKEFLAGS) grammar/parser.c; }

grammar/scanner.c: $(srcdir)/grammar/scanner.l
	$(AM_V_GEN)$(MKDIR_P) grammar && \
	$(FLEX) --header-file=grammar/scanner.h -o grammar/scanner.c \
		$(srcdir)/grammar/scanner.l
grammar/scanner.h: grammar/scanner.c
	@test -f $@ || { rm -f grammar/scanner.c && \
		$(MAKE) $(AM_MAKEFLAGS) grammar/scanner.c; }

# Objects that include the generated headers (also when a single target is
# made, where BUILT_SOURCES does not apply).
grammar/libbwgrammar_a-ast.$(OBJEXT): grammar/parser.h grammar/scanner.h
grammar/libbwgrammar_a-scanner.$(OBJEXT): grammar/parser.h

# grammar/ipset.c: ipset's entries and the nft elements they become
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_ipset
TESTS += tests/unit/test_ipset
tests_unit_test_ipset_SOURCES = tests/unit/test_ipset.c
tests_unit_test_ipset_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_ipset_LDADD = grammar/libbwgrammar.a $(CMOCKA_LIBS)
endif
