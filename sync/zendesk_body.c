/* SPDX-License-Identifier: MIT */
/*
 * Zendesk's bodies as the desk shows them: a comment's text from its
 * body, html_body or plain_body (sync/zendesk_map.c picks), a call's
 * details and transcription, a subject on one line. The text helpers
 * themselves are the store's (store/text_html.c).
 */
#include "sync/sync_int.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

int
zd_blank(const char *s)
{
	return s == NULL || s[bspan(s, strlen(s), " \t\r\n")] == '\0';
}

/*
 * The readable text of a body: plain text as written, tidied (CRLF, spaces
 * at line ends, runs of blank lines); HTML sent where plain text belongs
 * as text; else the HTML rendering (html) as text. unindent: plain is
 * Zendesk's plain_body, a space before every line. Uses b.
 */
const char *
zd_readable(struct buf *b, const char *plain, const char *html, int unindent)
{
	size_t n;

	buf_reset(b);
	if (!zd_blank(plain)) {
		n = strlen(plain);
		if (text_looks_html(plain, n)) {
			text_html_to_text(b, plain, n);
			if (b->len)
				return b->data;
		}
		buf_reset(b);
		if (text_find2(plain, n, "![") != NULL &&
		    text_md_images(b, plain, n)) {
			/* tidied below, from its own copy */
			char *md = buf_detach(b);
			text_tidy(b, md, strlen(md), unindent);
			free(md);
			return b->data;
		}
		buf_reset(b);
		if (!unindent && !text_tidy_needed(plain, n))
			return plain;
		text_tidy(b, plain, n, unindent);
		return b->data;
	}
	if (!zd_blank(html)) {
		text_html_to_text(b, html, strlen(html));
		return b->data;
	}
	return plain;
}

/*
 * A call (VoiceComment): its body, then the transcription Zendesk keeps
 * in data when the body lacks it; without a body, one made of the call's
 * numbers, length and recording. Uses b.
 */
const char *
zd_voice_text(struct buf *b, struct json_object *data, const char *body)
{
	const char *tr = sj_str(data, "transcription_text");
	const char *from = sj_str(data, "from"), *to = sj_str(data, "to");
	const char *rec = sj_str(data, "recording_url");
	int64_t secs = sj_int(data, "call_duration");

	buf_reset(b);
	if (zd_blank(body)) {
		buf_printf(b, "Call%s%s%s%s", from ? " from " : "",
		    from ? from : "", to ? " to " : "", to ? to : "");
		if (secs > 0)
			buf_printf(b, ", %lld:%02lld",
			    (long long)(secs / 60), (long long)(secs % 60));
		if (rec)
			buf_printf(b, "\nRecording: %s", rec);
	} else {
		buf_adds(b, body);
	}
	if (!zd_blank(tr) && (body == NULL || strstr(body, tr) == NULL)) {
		buf_adds(b, "\n\nTranscription:\n");
		text_tidy(b, tr, strlen(tr), 0);
	}
	buf_addc(b, '\0');
	return b->data;
}

/* Whether s[0] is white space a subject folds: a lone CR is not (an
 * overwrite: the sanitiser shows it). */
static int
folds(const char *s)
{
	return *s == ' ' || *s == '\t' || *s == '\n' ||
	    (*s == '\r' && s[1] == '\n');
}

/* A subject as one line: no white space at its ends, runs of it (folded
 * mail headers, double spaces) as one space. Uses b. */
const char *
zd_one_line(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || (!folds(s) && !folds(s + n - 1) &&
	    !strpbrk(s, "\t\n") && !strstr(s, "  ")))
		return s;
	buf_reset(b);
	for (size_t i = 0; i < n; i++) {
		if (!folds(s + i))
			buf_addc(b, s[i]);
		else if (b->len && s[i + 1] != '\0' && !folds(s + i + 1))
			buf_addc(b, ' ');
	}
	buf_addc(b, '\0');
	return b->data;
}
