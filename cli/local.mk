# cli/: the bpfwall command (in sbin: it needs root to load anything)
# compile -> build -> runtime, for the command, the tests and the benches
noinst_LIBRARIES += cli/libbwdrive.a
cli_libbwdrive_a_SOURCES = cli/drive.c cli/drive.h
cli_libbwdrive_a_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
sbin_PROGRAMS += bpfwall
bpfwall_SOURCES = cli/cli.h cli/main.c cli/commands.c cli/trace.c cli/capture.c cli/watch.c
bpfwall_SOURCES += cli/objlist.c
# the iptables front end
bpfwall_SOURCES += cli/ipt.h cli/ipt.c cli/ipt_store.c cli/ipt_pass.c cli/ipt_trace.c \
	cli/ipset.c
bpfwall_CPPFLAGS = $(AM_CPPFLAGS) $(LIBBPF_CFLAGS) $(LIBMNL_CFLAGS)
bpfwall_LDADD = compiler/json/libbwjson.a $(BW_RT_LIBS) $(JANSSON_LIBS)

# iptables' six names as links to bpfwall in $(libexecdir)/bpfwall
# (bpfwall-iptables(8)): opt in with PATH; the system's are untouched
BW_IPT_NAMES = iptables ip6tables iptables-save ip6tables-save iptables-restore ip6tables-restore ipset
install-exec-hook: install-ipt-links
install-ipt-links:
	$(MKDIR_P) $(DESTDIR)$(libexecdir)/bpfwall
	for n in $(BW_IPT_NAMES); do \
		ln -sf $(sbindir)/bpfwall $(DESTDIR)$(libexecdir)/bpfwall/$$n || exit 1; \
	done
uninstall-hook: uninstall-ipt-links
uninstall-ipt-links:
	for n in $(BW_IPT_NAMES); do rm -f $(DESTDIR)$(libexecdir)/bpfwall/$$n; done
.PHONY: install-ipt-links uninstall-ipt-links
