#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# libFuzzer on packet specs and the builder (tests/fuzz/fuzz_pktspec.c).
exec bash "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/fuzz/run-fuzz.sh" fuzz_pktspec
