# nft's JSON both ways (compiler/json/json.h): the one library that links
# libjansson; bpfwall and the JSON tests use it.
noinst_LIBRARIES += compiler/json/libbwjson.a
compiler_json_libbwjson_a_SOURCES = compiler/json/json.h compiler/json/json_print.c \
	compiler/json/json_compile.c grammar/json_parse.h grammar/json_parse.c \
	compiler/json/json_int.h compiler/json/json_vexpr.c grammar/json_vexpr.h grammar/json_vexpr.c \
	compiler/json/json_mapadd.c grammar/json_mapadd.h grammar/json_mapadd.c \
	compiler/json/json_settimeout.c
compiler_json_libbwjson_a_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)

# the JSON tests' helper: a file's JSON without loading it, normalized
# JSON for comparisons, the canonical text of a JSON file
check_PROGRAMS += tests/json/json-tool
tests_json_json_tool_SOURCES = tests/json/json-tool.c
tests_json_json_tool_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS)
tests_json_json_tool_LDADD = compiler/json/libbwjson.a $(BW_FRONT_TEST_LIBS) $(JANSSON_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_json
TESTS += tests/unit/test_json
tests_unit_test_json_SOURCES = tests/unit/test_json.c
tests_unit_test_json_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_json_LDADD = compiler/json/libbwjson.a $(BW_FRONT_TEST_LIBS) $(JANSSON_LIBS) $(CMOCKA_LIBS)
endif

# json_parse.c and json_print.c split by concept: their parts
compiler_json_libbwjson_a_SOURCES += \
	grammar/json_parse_int.h grammar/json_field.c grammar/json_obj.c \
	grammar/json_stmt_log.c grammar/json_stmt_nat.c grammar/json_stmt_mangle.c \
	grammar/json_stmt_obj.c \
	compiler/json/json_print_int.h compiler/json/json_pset.c compiler/json/json_pobj.c \
	compiler/json/json_pstmt_log.c compiler/json/json_pstmt_nat.c \
	compiler/json/json_pstmt_mangle.c
