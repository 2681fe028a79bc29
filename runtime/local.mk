# runtime/: maps, program load, attach, pinning, atomic replace, netlink
noinst_LIBRARIES += runtime/libbwruntime.a
runtime_libbwruntime_a_SOURCES = runtime/runtime.h runtime/rt.h runtime/compat.h \
	runtime/compat.c runtime/log.c runtime/netlink.c runtime/load.c \
	runtime/attach.c runtime/pin.c runtime/trust.c runtime/lock.c runtime/swap.c runtime/apply.c \
	runtime/list.c runtime/testprog.c runtime/audit.c runtime/audit.h runtime/audit_dump.c runtime/capture.c runtime/capture.h \
	runtime/pcap.c runtime/sets.c runtime/events.c runtime/monitor.c runtime/ct.c runtime/kernel.c runtime/nft.c
# runtime/ reads no rule text and makes no program: what it calls
TESTS += tests/unit/runtime-deps.sh
EXTRA_DIST += tests/unit/runtime-deps.sh
# the iptables front end's state beside the ruleset
runtime_libbwruntime_a_SOURCES += runtime/xtables.c
runtime_libbwruntime_a_SOURCES += runtime/settimeout.c runtime/settimeout.h
runtime_libbwruntime_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS) $(LIBNFTNL_CFLAGS)

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_runtime tests/unit/test_rt_apply
TESTS += tests/unit/test_runtime tests/unit/test_rt_apply
tests_unit_test_runtime_SOURCES = tests/unit/test_runtime.c
tests_unit_test_runtime_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_runtime_LDADD = $(BW_RT_LIBS) $(CMOCKA_LIBS)
tests_unit_test_rt_apply_SOURCES = tests/unit/test_rt_apply.c
tests_unit_test_rt_apply_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_rt_apply_LDADD = $(BW_RT_LIBS) $(CMOCKA_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_capture
TESTS += tests/unit/test_capture
tests_unit_test_capture_SOURCES = tests/unit/test_capture.c
tests_unit_test_capture_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_capture_LDADD = $(BW_RT_LIBS) $(CMOCKA_LIBS)
endif

if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_ct
TESTS += tests/unit/test_ct
tests_unit_test_ct_SOURCES = tests/unit/test_ct.c
tests_unit_test_ct_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_ct_LDADD = $(BW_RT_LIBS) $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test_reject
TESTS += tests/unit/test_reject
tests_unit_test_reject_SOURCES = tests/unit/test_reject.c
tests_unit_test_reject_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
tests_unit_test_reject_LDADD = $(BW_RT_LIBS) $(CMOCKA_LIBS)
endif
