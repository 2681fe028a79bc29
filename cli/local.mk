# cli/: the bpfwall command
bin_PROGRAMS += bpfwall
bpfwall_SOURCES = cli/cli.h cli/main.c cli/commands.c cli/trace.c cli/capture.c
# the iptables front end
bpfwall_SOURCES += cli/ipt.h cli/ipt.c cli/ipt_store.c cli/ipt_pass.c
bpfwall_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
bpfwall_LDADD = $(BW_RT_LIBS)
