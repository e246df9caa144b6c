/* SPDX-License-Identifier: MIT */
/*
 * For tests/bench/guard_compare.sh (not a test): one line of input is one
 * text ("\n" in it a line break); for each, what the reply guard says
 * (verdict, every reason with its span), what the redactor finds and
 * writes (findings, the text out, the salted hashes) and what the guard
 * says when the text quotes back its own secrets. Two builds of tdesk
 * give the same output when they judge every text alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/guard.h"
#include "store/redact.h"

static void
print_guard(char tag, const struct guard_result *g)
{
	printf("%c %s", tag, guard_verdict_name(g->verdict));
	for (size_t i = 0; i < g->n; i++)
		printf(" %s/%d/%zu-%zu", g->r[i].rule, (int)g->r[i].level,
		    g->r[i].start, g->r[i].end);
	printf("\n");
}

static void
one(const struct guard_config *c, const char *t, size_t l)
{
	struct guard_result g = { 0 };
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;
	struct redact_hashes hs = { 0 };

	guard_check(c, t, l, NULL, NULL, &g);
	print_guard('G', &g);
	redact_text(t, l, "salt", &out, &res);
	printf("R %zu", res.n);
	for (size_t i = 0; i < res.n; i++)
		printf(" %s/%zu-%zu/%d", res.f[i].kind, res.f[i].start,
		    res.f[i].end, res.f[i].words);
	printf("\nO ");
	fwrite(out.data, 1, out.len, stdout);
	printf("\nH %zu ", res.n_hashes);
	for (size_t i = 0; i < res.n_hashes; i++)
		printf("%s ", res.hashes.data + 33 * i);
	printf("\n");
	if (res.n_hashes) {
		hs.salt = xstrdup("salt");
		for (size_t i = 0; i < res.n_hashes; i++)
			redact_hashes_add(&hs, res.hashes.data + 33 * i);
		guard_check(c, t, l, "en", &hs, &g);
		print_guard('Q', &g);
		redact_hashes_free(&hs);
	}
	guard_result_free(&g);
	redact_result_free(&res);
	buf_free(&out);
}

int
main(void)
{
	struct guard_config *c = guard_config_new();
	static char line[1 << 22];
	size_t n = 0;

	while (fgets(line, sizeof(line), stdin)) {
		char *w = line;
		line[strcspn(line, "\n")] = '\0';
		for (const char *r = line; *r; r++) {
			if (r[0] == '\\' && r[1] == 'n') {
				*w++ = '\n';
				r++;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
		printf("# %zu\n", n++);
		one(c, line, (size_t)(w - line));
	}
	guard_config_free(c);
	return 0;
}
