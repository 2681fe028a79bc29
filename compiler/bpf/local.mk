# compiler/ back half: emitter, codegen, hook ops, disassembler
noinst_LIBRARIES += compiler/bpf/libbwcodegen.a
compiler_bpf_libbwcodegen_a_SOURCES = compiler/bpf/emit.c compiler/bpf/emit.h \
	compiler/bpf/hook.h compiler/bpf/hook_xdp.c compiler/bpf/hook_skb.c compiler/bpf/hook_tc.c compiler/bpf/hook_nf.c compiler/bpf/uapi.h \
	compiler/bpf/hook_connect.c compiler/bpf/hook_connect.h compiler/bpf/audit.h \
	compiler/bpf/hook_sock.c compiler/bpf/hook_sock.h \
	compiler/bpf/prologue.c compiler/bpf/match.c compiler/bpf/lookup.c compiler/bpf/emit_stmt.c compiler/bpf/emit_reject.c compiler/bpf/emit_ct.c compiler/bpf/emit_sctp.c compiler/bpf/emit_hdrset.c compiler/bpf/emit_hdrset.h compiler/bpf/emit_tunnel.c compiler/bpf/log.h \
	compiler/bpf/codegen.c compiler/bpf/codegen.h compiler/bpf/codegen_int.h compiler/bpf/codegen_setup.c \
	compiler/bpf/classify_emit.c \
	compiler/bpf/build.c compiler/bpf/build_test.c compiler/bpf/build_print.c compiler/bpf/build_list.c compiler/bpf/build.h \
	compiler/bpf/hoist.c compiler/bpf/hoist.h compiler/bpf/mapspec.c compiler/bpf/mapspec.h \
	compiler/bpf/disasm.c \
	compiler/bpf/emit_raw.c \
	compiler/bpf/emit_srh.c \
	compiler/bpf/emit_settimeout.c compiler/bpf/emit_settimeout.h

BW_CODEGEN_TEST_LIBS = $(BW_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += tests/golden

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_emit tests/unit/test_disasm tests/unit/test_codegen
TESTS += tests/unit/test_emit tests/unit/test_disasm tests/unit/test_codegen
tests_unit_test_emit_SOURCES = tests/unit/test_emit.c
tests_unit_test_emit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_emit_LDADD = $(BW_CODEGEN_TEST_LIBS)
tests_unit_test_disasm_SOURCES = tests/unit/test_disasm.c tests/lib/golden.h tests/lib/tfile.h
tests_unit_test_disasm_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	-DBW_GOLDEN_DIR='"$(abs_top_srcdir)/tests/golden"'
tests_unit_test_disasm_LDADD = $(BW_CODEGEN_TEST_LIBS)
tests_unit_test_codegen_SOURCES = tests/unit/test_codegen.c
tests_unit_test_codegen_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBBPF_CFLAGS)
tests_unit_test_codegen_LDADD = $(BW_CODEGEN_TEST_LIBS) $(LIBBPF_LIBS) $(LIBELF_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_connect
TESTS += tests/unit/test_connect
tests_unit_test_connect_SOURCES = tests/unit/test_connect.c
tests_unit_test_connect_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBBPF_CFLAGS)
tests_unit_test_connect_LDADD = $(BW_CODEGEN_TEST_LIBS) $(LIBBPF_LIBS) $(LIBELF_LIBS)
endif

# Golden instructions per rule form (tests/golden/forms/*.rules -> *.dis).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_forms
TESTS += tests/unit/test_forms
tests_unit_test_forms_SOURCES = tests/unit/test_forms.c tests/lib/golden.h tests/lib/tfile.h
tests_unit_test_forms_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	-DBW_FORMS_DIR='"$(abs_top_srcdir)/tests/golden/forms"'
tests_unit_test_forms_LDADD = $(BW_CODEGEN_TEST_LIBS)
endif

# Rewrite every golden file of generated code after a deliberate change
# (then review `git diff tests/golden tests/nft`).
GOLDEN_TESTS = tests/unit/test_forms tests/unit/test_disasm tests/unit/test_nft
.PHONY: golden-update
golden-update: $(GOLDEN_TESTS)
	@for t in $(GOLDEN_TESTS); do \
		BW_GOLDEN_UPDATE=1 ./$$t >/dev/null || exit 1; done; \
	echo "goldens rewritten: review git diff tests/golden tests/nft"

# what list ruleset needs besides the text, encoded for the state
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_build_list
TESTS += tests/unit/test_build_list
tests_unit_test_build_list_SOURCES = tests/unit/test_build_list.c
tests_unit_test_build_list_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_build_list_LDADD = $(BW_CODEGEN_TEST_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_hoist
TESTS += tests/unit/test_hoist
tests_unit_test_hoist_SOURCES = tests/unit/test_hoist.c
tests_unit_test_hoist_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_hoist_LDADD = $(BW_CODEGEN_TEST_LIBS)
endif

# The build's description of every map (compiler/bpf/mapspec.c).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_mapspec
TESTS += tests/unit/test_mapspec
tests_unit_test_mapspec_SOURCES = tests/unit/test_mapspec.c
tests_unit_test_mapspec_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_mapspec_LDADD = $(BW_CODEGEN_TEST_LIBS)
endif

# test_codegen's IR and frame builders (split out of test_codegen.c)
if HAVE_CMOCKA
tests_unit_test_codegen_SOURCES += tests/unit/cg_build.c tests/unit/cg_build.h
endif

# codegen.c split by concept: its parts
compiler_bpf_libbwcodegen_a_SOURCES += compiler/bpf/codegen_rule.h \
	compiler/bpf/codegen_guard.c compiler/bpf/codegen_lookup.c
