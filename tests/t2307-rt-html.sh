#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A Request Tracker message that came only as HTML (a mail client, RT's
# rich-text editor) reads as text in `tdesk show`, as Zendesk's do: no
# tags, entities decoded, quoted history as "> " lines.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/rt/lib.sh"
rt_start

t=$(rt_new Support "Withdrawal stuck" "My withdrawal is stuck")
rt_api POST "/ticket/$t/correspond" '{"ContentType":"text/html",
 "Content":"<div dir=\"ltr\"><p>Still&nbsp;waiting &amp; <b>nothing</b> arrived.</p><blockquote>Please allow 24&nbsp;hours.</blockquote></div>"}' \
	>/dev/null
export RT_TOKEN
rt_desk
export TDESK_DESK=rt
expect_code 0 "sync" tdesk sync
expect_code 0 "show" tdesk show "$t"
out=$(last_out)
expect_match "the HTML message reads as text" "$out" \
	$'^Still waiting & nothing arrived\\.\n\n> Please allow 24 hours\\.$'
expect_no_match "no tags or entities" "$out" '<p>|&nbsp;|&amp;'
done_testing
