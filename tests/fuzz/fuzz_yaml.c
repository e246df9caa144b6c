/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: YAML documents (config, macros, FAQ). Any text either
 * loads or fails with a "name:line:col: " message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdesk_err err = { 0 };
	struct ynode *n = yaml_load_string("f.yaml", (const char *)data, size,
	    &err);

	if (n == NULL && strncmp(err.msg, "f.yaml:", 7) != 0)
		abort();
	ynode_free(n);
	return 0;
}
