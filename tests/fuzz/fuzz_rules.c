/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the triage rules: the input up to the first NUL
 * byte is a rules file, the rest a ticket's text that the rules (when
 * they load) classify. Neither may crash, leak or read out of bounds.
 */
#include <stdlib.h>
#include <string.h>

#include "store/triage.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *nul = memchr(data, '\0', size);
	size_t rl = nul ? (size_t)(nul - data) : size;
	char *rules = xstrndup((const char *)data, rl);
	char *text = nul ? xstrndup((const char *)nul + 1,
	    size - rl - 1) : xstrdup("");
	const char *files[] = { "fuzz.yaml" };
	const char *texts[] = { rules };
	struct tdesk_err err = { 0 };
	struct store_rules *r = store_rules_load(files, texts, 1, &err);
	struct store_class c;

	if (r) {
		store_classify_text(r, text, text, "en", "web", &c);
		store_rules_free(r);
	}
	text_cjk_script(text, strlen(text));
	free(rules);
	free(text);
	return 0;
}
