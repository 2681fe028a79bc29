# grammar/: scanner, parser, AST, diagnostics
noinst_LIBRARIES += grammar/libbwgrammar.a
grammar_libbwgrammar_a_SOURCES = grammar/diag.c grammar/diag.h
