# compiler/ front half: fields table, IR helpers, evaluate, printer, packet specs
noinst_LIBRARIES += compiler/libbwfront.a
compiler_libbwfront_a_SOURCES = compiler/fields.c compiler/fields.h \
	compiler/ir.c compiler/ir.h compiler/view.h compiler/compile.h
