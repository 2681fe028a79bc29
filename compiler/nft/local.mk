# compiler/ back half for nf_tables: IR -> libnftnl objects (no syscalls)
noinst_LIBRARIES += compiler/nft/libbwnft.a
compiler_nft_libbwnft_a_SOURCES = compiler/nft/nft.c compiler/nft/nft.h compiler/nft/nft_int.h \
	compiler/nft/nft_match.c compiler/nft/nft_set.c compiler/nft/nft_print.c \
	compiler/nft/nft_nat.c compiler/nft/nft_obj.c compiler/nft/nft_hdrset.c compiler/nft/nft_vexpr.c \
	compiler/nft/nft_tproxy.c \
	compiler/nft/nft_xfrm.c compiler/nft/nft_dup.c compiler/nft/nft_tunnel.c \
	compiler/nft/nft_fwd.c \
	compiler/nft/nft_bitwise.c compiler/nft/nft_bitwise.h \
	compiler/nft/nft_flow.c \
	compiler/nft/nft_dynset.c \
	compiler/nft/nft_settimeout.c \
	compiler/nft/nft_mapcat.c
compiler_nft_libbwnft_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBNFTNL_CFLAGS) $(LIBMNL_CFLAGS)

BW_NFT_TEST_LIBS = compiler/nft/libbwnft.a compiler/front/libbwfront.a \
	grammar/libbwgrammar.a $(LIBNFTNL_LIBS) $(LIBMNL_LIBS) $(CMOCKA_LIBS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_nft
TESTS += tests/unit/test_nft
tests_unit_test_nft_SOURCES = tests/unit/test_nft.c tests/lib/golden.h tests/lib/tfile.h
tests_unit_test_nft_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBNFTNL_CFLAGS) \
	-DBW_NFT_DIR='"$(abs_top_srcdir)/tests/nft"'
tests_unit_test_nft_LDADD = $(BW_NFT_TEST_LIBS)
endif
EXTRA_DIST += tests/nft/payload.payload tests/nft/meta.payload \
	tests/nft/sets.payload tests/nft/stmts.payload tests/nft/families.payload \
	tests/nft/nat.payload tests/nft/setf.payload tests/nft/valexpr.payload tests/nft/bytes.payload \
	tests/nft/bridge-arp.payload tests/nft/headers.payload \
	tests/nft/socket.payload tests/nft/fib.payload tests/nft/osf.payload \
	tests/nft/ct.payload tests/nft/ctset.payload tests/nft/tcpopt.payload \
	tests/nft/tcpopt-set.payload tests/nft/log.payload \
	tests/nft/objects.payload \
	tests/nft/hdrset.payload tests/nft/hdrset-icmp.payload \
	tests/nft/rmw/hdrset-rmw.conf tests/nft/rmw/hdrset-rmw.payload \
	tests/nft/rawpay.payload \
	tests/nft/tproxy.payload \
	tests/nft/xfrm.payload tests/nft/dup.payload \
	tests/nft/nfnetdev.payload \
	tests/nft/concat.payload \
	tests/nft/concat-raw.payload \
	tests/nft/rmw/brmeta.conf tests/nft/rmw/brmeta.payload \
	tests/nft/vmapthen.payload tests/nft/vmapnat.payload \
	tests/nft/datamap.payload tests/nft/datamap6.payload \
	tests/nft/dscp6.payload \
	tests/nft/flowtable.payload
EXTRA_DIST += tests/nft/ah6.payload tests/nft/icmpx.payload
EXTRA_DIST += tests/nft/srh.payload
EXTRA_DIST += tests/nft/mapadd.payload

# nft_match.c split by concept: its parts
compiler_nft_libbwnft_a_SOURCES += compiler/nft/nft_match_int.h \
	compiler/nft/nft_cmp.c compiler/nft/nft_compat.c
