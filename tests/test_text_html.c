/* SPDX-License-Identifier: MIT */
/*
 * Comment bodies made readable (store/text_html.c): the HTML cases of
 * tests/zd/html.tsv (what email and rich-text editors send, and what an
 * agent should read), plain-body tidying, the HTML sniffing, and bad
 * input; then the held-back cases (tests/zd/html-held.tsv, scored
 * once before they joined the test). `test_text_html FILE` scores a
 * case file without failing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store/store.h"

/* \n \r \t \\ \xHH of a case file's field, in place. */
static void
unescape(char *s)
{
	char *o = s;

	for (; *s; s++) {
		if (*s != '\\' || s[1] == '\0') {
			*o++ = *s;
			continue;
		}
		s++;
		if (*s == 'n')
			*o++ = '\n';
		else if (*s == 't')
			*o++ = '\t';
		else if (*s == 'r')
			*o++ = '\r';
		else if (*s == 'x' && s[1] && s[2]) {
			char h[3] = { s[1], s[2], 0 };
			*o++ = (char)strtol(h, NULL, 16);
			s += 2;
		} else
			*o++ = *s;
	}
	*o = '\0';
}

/* The cases of path: how many, *bad of them wrong (printed). */
static int
run_cases(const char *path, int *bad)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	int n = 0;

	*bad = 0;
	if (f == NULL) {
		CHECK_FAIL("cannot open %s", path);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tab = strchr(line, '\t');
		struct buf out = BUF_INIT;
		if (line[0] == '#' || tab == NULL)
			continue;
		*tab = '\0';
		tab[1 + strcspn(tab + 1, "\n")] = '\0';
		unescape(line);
		unescape(tab + 1);
		text_html_to_text(&out, line, strlen(line));
		buf_addc(&out, '\0');
		if (strcmp(out.data, tab + 1) != 0) {
			fprintf(stderr, "%s: [%s]\n  got    [%s]\n"
			    "  wanted [%s]\n", path, line, out.data, tab + 1);
			(*bad)++;
		}
		buf_free(&out);
		n++;
	}
	fclose(f);
	return n;
}

static const char *
tidy(const char *s, int unindent, struct buf *b)
{
	buf_reset(b);
	text_tidy(b, s, strlen(s), unindent);
	buf_addc(b, '\0');
	return b->data;
}

static void
plain(void)
{
	struct buf b = BUF_INIT;

	CHECK_STR(tidy("a\r\nb\r\n\r\n\r\n\r\nc\r\n", 0, &b), "a\nb\n\nc");
	CHECK_STR(tidy("\n\n  x  \t\n\xC2\xA0\ny\xC2\xA0 \n", 0, &b),
	    "  x\n\ny");
	CHECK_STR(tidy("lone\rcr\r\rend", 0, &b), "lone\ncr\n\nend");
	/* full-width spaces at line ends go; at line starts (indents) stay */
	CHECK_STR(tidy("\xE3\x80\x80\xE3\x80\x80您好\xE3\x80\x80\n"
	    "\xE3\x80\x80\n\n谢谢", 0, &b),
	    "\xE3\x80\x80\xE3\x80\x80您好\n\n谢谢");
	CHECK(text_tidy_needed("a\xE3\x80\x80\nb", 6));
	CHECK_STR(tidy("fee\xC2\xA0\xC2\xA0" "1\xC2\xA0USDT\xC2\xA0", 0,
	    &b), "fee  1 USDT");
	CHECK(text_tidy_needed("a\xC2\xA0" "b", 4));
	const char *f = text_find2("ab!c![x", 7, "![");
	CHECK(f && strcmp(f, "![x") == 0);
	CHECK(text_find2("ab![", 3, "![") == NULL);
	CHECK(text_find2("ab!", 3, "![") == NULL);
	CHECK(text_find2("!", 1, "![") == NULL);
	CHECK(text_find2("", 0, "![") == NULL);
	CHECK_STR(tidy("a\n\n b \n  c", 1, &b), "a\n\nb\n c");
	CHECK_STR(tidy("", 0, &b), "");
	CHECK(text_tidy_needed("a\r\nb", 4));
	CHECK(text_tidy_needed("a \nb", 4));
	CHECK(text_tidy_needed("a\n\n\nb", 5));
	CHECK(text_tidy_needed("a\n", 2));
	CHECK(!text_tidy_needed("a\n\nb c", 6));
	CHECK(!text_tidy_needed("", 0));
	buf_reset(&b);
	CHECK(text_md_images(&b, "a ![](https://x/t/?name=s.png&y=1) b", 36));
	CHECK_STR(b.data, "a [image: s.png] b");
	buf_reset(&b);
	CHECK(!text_md_images(&b, "hi! ![x] [y](z) !(a) ![](b c)", 29));
	CHECK_STR(b.data, "hi! ![x] [y](z) !(a) ![](b c)");
	buf_reset(&b);
	CHECK(text_md_images(&b, "![](u)![alt](v)!", 16));
	CHECK_STR(b.data, "[image][image: alt]!");
	CHECK(text_looks_html("<p>x</p>", 8));
	CHECK(text_looks_html("  <div dir=\"ltr\">x", 18));
	CHECK(text_looks_html("<!DOCTYPE html><html>", 21));
	CHECK(!text_looks_html("<script>alert(1)</script>", 25));
	CHECK(!text_looks_html("<3 thanks", 9));
	CHECK(!text_looks_html("<pending> is my status", 22));
	CHECK(!text_looks_html("hello <p>", 9));
	buf_free(&b);
}

static void
bad_input(void)
{
	static const char *const odd[] = { "<", "&", "&#", "&#x;", "<!--",
	    "<a href=\"", "<a href='x>y'>", "<img", "</", "<<<>>>",
	    "&#99999999999;",
	    "<ul><ul><ul><ul><ul><ul><ul><ul><ul><ul><li>x", "</ul></ol>",
	    "<blockquote></blockquote></blockquote>x", "<pre>\r\n\r\n</pre>" };
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		buf_reset(&b);
		text_html_to_text(&b, odd[i], strlen(odd[i]));
		CHECK(b.len <= 3 * strlen(odd[i]) + 8);
		CHECK(utf8_valid(b.data, b.len));
	}
	/* a long flat body: linear, and nothing lost */
	buf_reset(&b);
	struct buf in = BUF_INIT;
	for (int i = 0; i < 20000; i++)
		buf_adds(&in, "<p>word&amp;word</p>");
	text_html_to_text(&b, in.data, in.len);
	CHECK_INT(b.len, 20000 * 9 + 19999 * 2);
	/* hostile shapes stay linear: tags whose '>' never comes, quotes
	 * that never close, images whose url never ends */
	static const char *const unit[] = { "<a \"", "<p x='", "![](x!",
	    "<div ", "&#x", "<!" };
	for (size_t k = 0; k < sizeof(unit) / sizeof(unit[0]); k++) {
		buf_reset(&in);
		for (int i = 0; i < 100000; i++)
			buf_adds(&in, unit[k]);
		buf_reset(&b);
		text_html_to_text(&b, in.data, in.len);
		CHECK(b.len <= in.len);
		buf_reset(&b);
		text_md_images(&b, in.data, in.len);
		CHECK_INT(b.len, in.len);
	}
	/* random HTML-ish UTF-8 in: valid UTF-8 out, whatever the cut */
	static const char *const tok[] = { "<p>", "</p>", "<br>", "<li>",
	    "<ul>", "</ul>", "<ol start=\"9\">", "<td>", "<tr>", "</table>",
	    "<blockquote>", "</blockquote>", "<pre>", "</pre>", "&amp;",
	    "&#x4e2d;", "&#0;", "&nbsp;", "&", "<", ">", "\"", " ", "\n",
	    "中文", "\xE2\x80\x8B", "\xE3\x80\x80", "<a href=\"https://x/",
	    "\">", "</a>", "<img alt=\"", "![](u?name=", ")", "<!--", "-->",
	    "<style>", "</style>", "word", "\xF0\x9F\x98\x80", "<img alt=\""
	    "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé"
	    "ééééééééééééééééééééé\">" };
	unsigned seed = 7;
	for (int r = 0; r < 3000; r++) {
		buf_reset(&in);
		for (int i = 0; i < 40; i++) {
			seed = seed * 1103515245 + 12345;
			buf_adds(&in, tok[(seed >> 16) % (sizeof(tok) /
			    sizeof(tok[0]))]);
		}
		buf_reset(&b);
		text_html_to_text(&b, in.data, in.len);
		CHECK(utf8_valid(b.data, b.len));
		buf_reset(&b);
		text_tidy(&b, in.data, in.len, r & 1);
		CHECK(utf8_valid(b.data, b.len));
		buf_reset(&b);
		text_md_images(&b, in.data, in.len);
		CHECK(utf8_valid(b.data, b.len));
	}
	buf_free(&in);
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	char path[4096];
	const char *src = getenv("TDESK_SRCDIR");
	int bad, n;

	if (argc > 1) {
		n = run_cases(argv[1], &bad);
		printf("%s: %d of %d cases right\n", argv[1], n - bad, n);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/tests/zd/html.tsv", src ? src : ".");
	n = run_cases(path, &bad);
	CHECK(n >= 30);
	CHECK_INT(bad, 0);
	/* the held-back cases, scored once, kept right from then on */
	snprintf(path, sizeof(path), "%s/tests/zd/html-held.tsv",
	    src ? src : ".");
	n = run_cases(path, &bad);
	CHECK(n >= 27);
	CHECK_INT(bad, 0);
	plain();
	bad_input();
	return check_done("test_text_html");
}
