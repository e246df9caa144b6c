/* SPDX-License-Identifier: MIT */
/*
 * Secrets pasted as blocks: a PEM private key ("-----BEGIN EC PRIVATE
 * KEY-----" to its END line, or to the end of its base64 lines when the
 * paste was cut), the encrypted key of an Ethereum keystore file (its
 * "ciphertext": with the password a customer often sends along, it is
 * the key), and a list of 2FA backup codes after words saying so.
 */
#include "store/ascii.h"
#include "store/redact.h"
#include "store/redact_int.h"
#include "store/store.h"

#include <string.h>
#include <strings.h>

static int
b64_char(unsigned char c)
{
	return a_alnum(c) || c == '+' || c == '/' || c == '=';
}

/* PEM private keys: from BEGIN to END, or to the last base64 line. */
static void
find_pem(const char *s, size_t len, const char *salt, struct redact_result *r)
{
	const char *p = s, *end = s + len;

	while ((p = memmem(p, (size_t)(end - p), "-----BEGIN ", 11)) != NULL) {
		const char *lab = p + 11, *q = lab;
		while (q < end && q - lab < 40 && *q != '-' && *q != '\n')
			q++;
		if (end - q < 5 || memcmp(q, "-----", 5) ||
		    !memmem(lab, (size_t)(q - lab), "PRIVATE KEY", 11)) {
			p = lab;
			continue;
		}
		const char *body = q + 5, *e = memmem(body, (size_t)(end - body),
		    "-----END ", 9);
		if (e != NULL) {
			const char *t = memmem(e + 9, (size_t)(end - e - 9),
			    "-----", 5);
			e = t ? t + 5 : end;
		} else {	/* cut: the lines of base64 after it */
			e = body;
			for (const char *x = body; x < end;) {
				const char *nl = memchr(x, '\n', (size_t)(end - x));
				const char *le = nl ? nl : end, *y = x;
				while (y < le && (b64_char((unsigned char)*y) ||
				    *y == '\r' || *y == ' '))
					y++;
				if (y < le || (le - x < 8 && x > body))
					break;
				e = le;
				x = nl ? nl + 1 : end;
			}
		}
		if (e - body >= 16 && redact_add_finding(r, "pem-key",
		    (size_t)(p - s), (size_t)(e - s), 0))
			redact_hash_token(r, salt, body, (size_t)(e - body));
		p = e;
	}
}

/* The "ciphertext" of a keystore file: 32 hex digits or more. */
static void
find_keystore(const char *s, size_t len, const char *salt,
    struct redact_result *r)
{
	const char *p = s, *end = s + len;

	while ((p = memmem(p, (size_t)(end - p), "ciphertext\"", 11)) != NULL) {
		const char *v = p + 11, *e;
		while (v < end && (*v == ' ' || *v == ':' || *v == '\t'))
			v++;
		p = v;
		if (v >= end || *v++ != '"')
			continue;
		for (e = v; e < end && strchr("0123456789abcdefABCDEF", *e) && *e; e++)
			;
		if (e - v >= 32 && e < end && *e == '"' &&
		    redact_add_finding(r, "keystore", (size_t)(v - s),
		    (size_t)(e - s), 0))
			redact_hash_token(r, salt, v, (size_t)(e - v));
	}
}

/* A backup code at p: 6 to 12 letters and digits with a digit, or two
 * groups of 4 or 5 digits joined by '-' or a blank ("4860-8291"). Its
 * end, or p. */
static size_t
backup_code(const char *s, size_t len, size_t p)
{
	size_t e = p, d = 0;

	while (e < len && a_alnum((unsigned char)s[e])) {
		d += a_digit((unsigned char)s[e]);
		e++;
	}
	if (e - p >= 4 && e - p <= 5 && d == e - p && e + 1 < len &&
	    (s[e] == '-' || s[e] == ' ')) {
		size_t f = e + 1;
		while (f < len && a_digit((unsigned char)s[f]))
			f++;
		if (f - e - 1 == e - p && (f >= len || !a_alnum((unsigned char)
		    s[f])))
			return f;
	}
	return e - p >= 6 && e - p <= 12 && d > 0 ? e : p;
}

/* Two or more backup codes within 40 bytes after a word saying so. */
static void
backup_list(const char *s, size_t len, size_t from, const char *salt,
    struct redact_result *r)
{
	size_t p = from, a = 0, b = 0, e;
	int n = 0;

	/* to the first code: a colon, blanks, a few words ("are", "是") */
	while (p < len && p - from < 40 && n == 0) {
		if (a_alnum((unsigned char)s[p]) && (p == 0 ||
		    !a_alnum((unsigned char)s[p - 1])) &&
		    (e = backup_code(s, len, p)) > p) {
			a = p;
			b = e;
			n = 1;
			p = e;
		} else {
			p++;
		}
	}
	while (n > 0 && p < len) {
		size_t q = p;
		/* blanks, commas, newlines, a number "2." between codes */
		while (q < len && (a_space((unsigned char)s[q]) || s[q] == ',' ||
		    s[q] == ';' || s[q] == '|'))
			q++;
		if (q == p || q >= len || (e = backup_code(s, len, q)) == q)
			break;
		b = p = e;
		n++;
	}
	if (n >= 2 && redact_add_finding(r, "backup-codes", a, b, 0))
		redact_hash_token(r, salt, s + a, b - a);
}

/* Words that say backup codes follow. */
static void
find_backup_codes(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct redact_result *r)
{
	static const char *const zh[] = { "备用码", "备份码", "恢复码",
	    "備用碼", "備份碼", "恢復碼" };

	for (size_t k = 0; k + 1 < tr->n; k++) {
		size_t a = tr->r[k].start, n = tr->r[k].end - a;
		size_t c = tr->r[k + 1].start, m = tr->r[k + 1].end - c;
		if (((s[a] | 0x20) != 'b' && (s[a] | 0x20) != 'r' &&
		    (s[a] | 0x20) != 'e') || m < 4 || m > 5)
			continue;
		if ((n == 6 && !strncasecmp(s + a, "backup", 6)) ||
		    (n == 8 && !strncasecmp(s + a, "recovery", 8)) ||
		    (n == 9 && !strncasecmp(s + a, "emergency", 9)))
			if (!strncasecmp(s + c, "codes", m) &&
			    c - tr->r[k].end <= 2)
				backup_list(s, len, tr->r[k + 1].end, salt, r);
	}
	/* each starts with 备 備 (E5 ..) or 恢 (E6 ..), ends in 码 or 碼 */
	if (!tr->any_wide || !redact_has_char3(s, len, 0xE7,
	    "\xE7\xA0\x81\xE7\xA2\xBC", 2) || (!redact_has_char3(s, len,
	    0xE5, "\xE5\xA4\x87\xE5\x82\x99", 2) && !redact_has_char3(s,
	    len, 0xE6, "\xE6\x81\xA2", 1)))
		return;
	for (size_t i = 0; i < ARRAY_LEN(zh); i++)
		for (const char *p = s; (p = memmem(p, len - (size_t)(p - s),
		    zh[i], strlen(zh[i]))) != NULL; p += strlen(zh[i]))
			backup_list(s, len, (size_t)(p - s) + strlen(zh[i]),
			    salt, r);
}

void
redact_find_blocks(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct redact_result *r)
{
	int pem = 0, ks = 0;

	/* their words first: "-----BEGIN", "ciphertext" */
	for (size_t k = 0; k < tr->n && !(pem && ks); k++) {
		size_t a = tr->r[k].start, n = tr->r[k].end - a;
		if (s[a] != 'B' && s[a] != 'c')
			continue;
		pem |= n == 5 && a > 0 && s[a - 1] == '-' &&
		    !memcmp(s + a, "BEGIN", 5);
		ks |= n == 10 && !memcmp(s + a, "ciphertext", 10);
	}
	if (pem)
		find_pem(s, len, salt, r);
	if (ks)
		find_keystore(s, len, salt, r);
	find_backup_codes(s, len, tr, salt, r);
}
