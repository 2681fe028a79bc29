/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the libFuzzer targets (fuzz_*.c) share: the input as a string,
 * and the end of an input, its errors printed (carets and all) where
 * no one reads them.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grammar/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input, NUL-terminated (malloc'ed; NULL: out of memory). */
static inline char *bw_fuzz_text(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (text) {
		memcpy(text, data, size);
		text[size] = '\0';
	}
	return text;
}

/* Print d's errors to /dev/null (opened once), free d and text. */
static inline void bw_fuzz_done(struct bw_diags *d, char *text)
{
	static FILE *null;

	if (!null)
		null = fopen("/dev/null", "w");
	if (null)
		bw_diags_print(d, null);
	bw_diags_fini(d);
	free(text);
}
