# man/: installed by make install
dist_man_MANS += man/bpfwall.8 man/bpfwall.conf.5
dist_man_MANS += man/bpfwall-iptables.8
