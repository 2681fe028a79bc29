/* SPDX-License-Identifier: GPL-2.0-only */
/* `make bench`: the audit hook's cost per connect() (connect.c). */
#pragma once

#include <stdio.h>

/* Time connects without and with the cgroup connect4 hook (root, inside
 * the bench's network namespace); print a table to out.  0 or -1. */
int bw_bench_connect(const char *pin_dir, FILE *out);
