#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# libFuzzer on the compiler (tests/fuzz/fuzz_compile.c): run-fuzz.sh.
exec bash "${BW_SRCDIR:-$(dirname "$0")/../..}/tests/fuzz/run-fuzz.sh" fuzz_compile
