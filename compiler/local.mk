noinst_LIBRARIES += compiler/libbwcompiler.a
compiler_libbwcompiler_a_SOURCES = \
	compiler/fields.c compiler/fields.h \
	compiler/view.h compiler/ir.h compiler/compile.h \
	compiler/codegen.h compiler/interp.h compiler/pktbuild.h
