/* SPDX-License-Identifier: MIT */
/*
 * Queue rows at widths 80 and 120 against golden files (CJK, emoji and
 * hostile text included), and the invariants every row must keep: exactly
 * the asked width in display columns, no control or bidi characters.
 * TDESK_UPDATE_GOLDEN=1 rewrites the golden files.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/ui.h"
#include "tests/check.h"

#define NOW 1714557600	/* 2024-05-01T10:00:00Z */


static struct store_ticket
mk(int64_t id, const char *subject, const char *status, const char *prio,
    const char *channel, const char *lang, const char *who, int vip,
    int urgent, int64_t sla_in, int64_t age, int pending, int conflict)
{
	struct store_ticket t;

	memset(&t, 0, sizeof(t));
	t.id = id;
	t.subject = (char *)subject;
	t.status = (char *)status;
	t.priority = (char *)prio;
	t.type = (char *)"";
	t.channel = (char *)channel;
	t.lang = (char *)lang;
	t.requester = (char *)"someone@example.com";
	t.requester_name = (char *)who;
	t.requester_locale = (char *)lang;
	t.assignee = (char *)"";
	t.group = (char *)"";
	t.tags = (char *)"";
	t.vip = vip;
	t.urgent = urgent;
	t.sla_breach_at = sla_in == 0 ? 0 : NOW + sla_in;
	t.created_at = NOW - age;
	t.updated_at = NOW - age / 2;
	t.pending = pending;
	t.conflict = conflict;
	return t;
}

/* Display columns of a UTF-8 row; -1 if it holds anything unprintable. */
static int
row_width(const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t cp;
	int w = 0, cw;

	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp);
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			return -1;
		cw = wcwidth((wchar_t)cp);
		if (cw < 0)
			return -1;
		w += cw;
	}
	return w;
}

static void
golden(const char *got, const char *name)
{
	const char *src = getenv("TDESK_SRCDIR");
	char path[1024];
	struct buf want = BUF_INIT;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/golden/%s",
	    src ? src : ".", name);
	if (getenv("TDESK_UPDATE_GOLDEN") != NULL) {
		if ((f = fopen(path, "w")) == NULL) {
			CHECK_FAIL("cannot write %s", path);
			return;
		}
		fputs(got, f);
		fclose(f);
		return;
	}
	if (buf_read_file(&want, path, 1 << 20, NULL) < 0) {
		CHECK_FAIL("cannot read golden file %s", path);
		return;
	}
	CHECK_MSG(want.len == strlen(got) && !memcmp(want.data, got, want.len),
	    "rows differ from %s; got:\n%s", path, got);
	buf_free(&want);
}

int
main(void)
{
	struct store_ticket t[] = {
		mk(101, "Cannot withdraw BTC to my wallet", "open", "urgent",
		    "email", "en", "Alice Smith", 1, 1, -2 * 3600, 3 * 86400,
		    0, 0),
		mk(102, "提现一直显示处理中，请尽快处理我的退款申请谢谢你们",
		    "new", "high", "web", "zh", "王小明", 0, 0, 45 * 60,
		    2 * 3600, 1, 0),
		mk(103, "入金が反映されません 🙏 確認お願いします", "pending",
		    "normal", "chat", "ja", "佐藤 花子", 0, 0, 0, 86400, 0, 1),
		mk(104, "Account locked 🔒🔒 after 2FA reset 👍 please help",
		    "hold", "low", "api", "en", "Bob 🐙", 1, 0, 3 * 86400,
		    600, 1, 1),
		mk(105, "\x1b]52;c;ZXZpbA==\x07Refund \x1b[31mnow\x1b[0m\r"
		    "hidden\xe2\x80\xae" "cba", "open", "", "email", "en",
		    "\x1b]0;title\x07Mallory", 0, 0, 30, 60, 0, 0),
		mk(1234567, "보안 경고: 비정상 로그인 시도가 감지되었습니다",
		    "solved", "normal", "voice", "ko", "김철수", 0, 0, 0,
		    40 * 86400, 0, 0),
		mk(99, "", "closed", "", "", "", "", 0, 0, 0, 0, 0, 0),
	};
	static const int widths[] = { 80, 120 };
	struct buf rows = BUF_INIT, one = BUF_INIT;
	char name[64];
	size_t i, w;
	int cw;

	if (setlocale(LC_ALL, "C.UTF-8") == NULL &&
	    setlocale(LC_ALL, "en_US.UTF-8") == NULL) {
		fprintf(stderr, "test_ui_row: no UTF-8 locale, skipped\n");
		return 77;
	}
	for (w = 0; w < ARRAY_LEN(widths); w++) {
		buf_reset(&rows);
		for (i = 0; i < ARRAY_LEN(t); i++) {
			buf_reset(&one);
			ui_row_format(&one, &t[i], widths[w], NOW);
			cw = row_width(one.data);
			CHECK_MSG(cw == widths[w], "row '%s' is not %d columns "
			    "wide or holds a control character", one.data,
			    widths[w]);
			buf_add(&rows, one.data, one.len);
			buf_addc(&rows, '\n');
		}
		snprintf(name, sizeof(name), "ui_rows_%d.txt", widths[w]);
		golden(rows.data, name);
	}
	/* narrow and odd widths keep the invariant too */
	for (cw = 1; cw < 200; cw += 7)
		for (i = 0; i < ARRAY_LEN(t); i++) {
			buf_reset(&one);
			ui_row_format(&one, &t[i], cw, NOW);
			CHECK_MSG(row_width(one.data) == cw,
			    "row '%s' is not %d columns wide", one.data, cw);
		}
	buf_free(&rows);
	buf_free(&one);
	return check_done("test_ui_row");
}
