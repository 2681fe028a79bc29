# cli/: the bpfwall command (in sbin: it needs root to load anything)
sbin_PROGRAMS += bpfwall
bpfwall_SOURCES = cli/cli.h cli/main.c cli/commands.c cli/trace.c cli/capture.c cli/watch.c
bpfwall_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
bpfwall_LDADD = $(BW_RT_LIBS)
