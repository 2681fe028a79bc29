# compiler/ back half for nf_tables: IR -> libnftnl objects (no syscalls)
noinst_LIBRARIES += compiler/libbwnft.a
compiler_libbwnft_a_SOURCES = compiler/nft.c compiler/nft.h compiler/nft_int.h \
	compiler/nft_match.c compiler/nft_set.c compiler/nft_print.c
compiler_libbwnft_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBNFTNL_CFLAGS) $(LIBMNL_CFLAGS)

BW_NFT_TEST_LIBS = compiler/libbwnft.a compiler/libbwfront.a \
	grammar/libbwgrammar.a $(LIBNFTNL_LIBS) $(LIBMNL_LIBS) $(CMOCKA_LIBS)
