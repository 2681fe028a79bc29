// SPDX-License-Identifier: GPL-2.0-only
#include <sys/resource.h>

#include "compat.h"

void bw_compat_memlock(void)
{
	struct rlimit r = { RLIM_INFINITY, RLIM_INFINITY };

	setrlimit(RLIMIT_MEMLOCK, &r);	/* best effort; harmless on 5.11+ */
}
