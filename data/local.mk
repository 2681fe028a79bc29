# data/: what `make install` puts on a host beside the binary and the
# manual: the default ruleset (never over an existing one), the systemd
# unit (generated from its template with the configured paths) and the
# bash completion.  debian/ builds a package of the same files.
bwconfdir = $(sysconfdir)/bpfwall

if SYSTEMD_UNIT
systemdsystemunit_DATA = data/bpfwall.service
endif
if BASH_COMPLETION
dist_bashcompletion_DATA = data/bash-completion/bpfwall
endif

data/bpfwall.service: $(srcdir)/data/bpfwall.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) data && \
	sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@sysconfdir[@]|$(sysconfdir)|g' \
		$(srcdir)/data/bpfwall.service.in >$@.tmp && mv $@.tmp $@
all-local: data/bpfwall.service
CLEANFILES += data/bpfwall.service data/bpfwall.service.tmp

# The ruleset is the host's own once installed: install it only where
# there is none, and leave it on uninstall (as a package's conffile).
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(bwconfdir)'
	@if test -e '$(DESTDIR)$(bwconfdir)/bpfwall.conf'; then \
		echo "$(DESTDIR)$(bwconfdir)/bpfwall.conf exists: kept as it is"; \
	else \
		echo " $(INSTALL_DATA) $(srcdir)/data/bpfwall.conf '$(DESTDIR)$(bwconfdir)/bpfwall.conf'"; \
		$(INSTALL_DATA) $(srcdir)/data/bpfwall.conf '$(DESTDIR)$(bwconfdir)/bpfwall.conf'; \
	fi
uninstall-local:
	@echo "$(DESTDIR)$(bwconfdir)/bpfwall.conf is left in place (remove it by hand)"
# ... which make distcheck's check that uninstall leaves nothing must know
# (overriding that variable is documented, but warns without -Wno-override).
AUTOMAKE_OPTIONS = -Wno-override
distuninstallcheck_listfiles = find . -type f -print | grep -v '/bpfwall/bpfwall\.conf$$'

EXTRA_DIST += data/bpfwall.conf data/bpfwall.service.in \
	debian/changelog debian/control debian/copyright debian/rules \
	debian/source/format debian/bpfwall.prerm debian/bpfwall.postrm
