#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# tests/e2e/router.sh in the host tier: bpfwall as a host runs it (nsenter,
# the host's /sys, the default pin dir and audit hook; tests/lib/bwtest.sh).
BW_TIER=host exec bash "$(dirname "$0")/../e2e/router.sh"
