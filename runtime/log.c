// SPDX-License-Identifier: GPL-2.0-only
/* One verbose switch for bpfwall's own messages and libbpf's log. */
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>

#include "rt.h"

bool bw_rt_verbose;

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!bw_rt_verbose)
		return 0;
	fprintf(stderr, "libbpf: ");
	return vfprintf(stderr, fmt, ap);
}

void bw_rt_set_verbose(bool on)
{
	bw_rt_verbose = on;
	libbpf_set_print(libbpf_print);
}

void bw_rt_log(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "bpfwall: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void bw_rt_debug(const char *fmt, ...)
{
	va_list ap;

	if (!bw_rt_verbose)
		return;
	fprintf(stderr, "bpfwall: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
