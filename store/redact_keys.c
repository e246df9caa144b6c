/* SPDX-License-Identifier: MIT */
/*
 * Secrets that are neither phrases nor checksummed keys: the base32 key
 * an authenticator app is set up with ("JBSW Y3DP EHPK 3PXP", shown as
 * the "setup key" or "backup key" beside the QR code), and a private key
 * written as bytes (a Solana keypair file is 64 numbers 0-255 in
 * brackets; a 32-byte key is one only with a word saying so).
 */
#include "store/ascii.h"
#include "store/redact.h"
#include "store/redact_int.h"
#include "store/store.h"

#include <string.h>

static int
b32_upper(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
}

static int
b32_lower(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
}

/* Whether s[a..b) is base32 of one case, with at least one letter. */
static int
b32_run(const char *s, size_t a, size_t b, int upper)
{
	int letters = 0;

	for (size_t q = a; q < b; q++) {
		unsigned char c = (unsigned char)s[q];
		if (!(upper ? b32_upper(c) : b32_lower(c)))
			return 0;
		letters |= a_alpha(c);
	}
	return letters;
}

/* Whether s[a..b) is base32 of either case. */
static int
b32_key(const char *s, size_t a, size_t b)
{
	return b32_run(s, a, b, 1) || b32_run(s, a, b, 0);
}

/*
 * A 2FA secret from run k: one run of 16 to 64 base32 characters, or
 * four or more groups of four joined by one blank or dash, after a word
 * that says what it is. Returns the last run it takes (k when none).
 */
size_t
redact_totp(const char *s, const struct text_runs *tr, size_t k,
    const char *salt, struct redact_result *r)
{
	static const char *const ctx[] = { "2fa", "authenticator", "totp",
	    "otp", "mfa", "setup key", "backup key", "secret key",
	    "recovery key", "two-factor", "two factor", "谷歌验证", "验证器",
	    "身份验证", "密钥", "备份码", "备用码" };
	size_t a = tr->r[k].start, e = tr->r[k].end, last = k;

	if (e - a == 4) {
		/* groups: "JBSW Y3DP EHPK 3PXP" */
		while (last + 1 < tr->n && tr->r[last + 1].end -
		    tr->r[last + 1].start == 4 && tr->r[last + 1].start ==
		    (unsigned)tr->r[last].end + 1 && (s[tr->r[last].end] == ' ' ||
		    s[tr->r[last].end] == '-'))
			last++;
		if (last - k < 3)
			return k;
		e = tr->r[last].end;
		for (size_t q = k; q <= last; q++)
			if (!b32_key(s, tr->r[q].start, tr->r[q].end))
				return k;
	} else if (e - a < 16 || e - a > 64 || !b32_key(s, a, e)) {
		return k;
	}
	if (redact_near_before(s, a, 60, ctx, sizeof(ctx) / sizeof(ctx[0]))
	    < 0)
		return k;
	if (redact_add_finding(r, "totp-secret", a, e, 0)) {
		/* the key as an app takes it: no blanks, upper case */
		char unit[80];
		size_t n = 0;
		for (size_t q = a; q < e && n < sizeof(unit); q++)
			if (a_alnum((unsigned char)s[q]))
				unit[n++] = (char)(a_alpha((unsigned char)s[q]) ?
				    s[q] & ~0x20 : s[q]);
		redact_hash_token(r, salt, unit, n);
	}
	return last;
}

/* Numbers 0-255 from p, joined by commas and blanks, up to ']': how
 * many (0 if anything else stands there), *end past the ']'. */
static int
byte_list(const char *s, size_t len, size_t p, size_t *end)
{
	int n = 0;

	for (;;) {
		unsigned v = 0, d = 0;
		while (p < len && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' ||
		    s[p] == '\t'))
			p++;
		while (p < len && a_digit((unsigned char)s[p]) && d < 4) {
			v = v * 10 + (unsigned)(s[p++] - '0');
			d++;
		}
		if (d == 0 || d > 3 || v > 255 || ++n > 64)
			return 0;
		while (p < len && (s[p] == ' ' || s[p] == '\n' || s[p] == '\r' ||
		    s[p] == '\t'))
			p++;
		if (p < len && s[p] == ']') {
			*end = p + 1;
			return n;
		}
		if (p >= len || s[p] != ',')
			return 0;
		p++;
	}
}

/*
 * A private key as bytes from the '[' before run k: 64 numbers (a
 * keypair file) always, 32 after a word saying it is a key. Returns 1
 * when one was taken.
 */
int
redact_key_bytes(const char *s, size_t len, size_t open, const char *salt,
    struct redact_result *r)
{
	static const char *const ctx[] = { "private key", "secret key",
	    "privkey", "keypair", "私钥", "密钥", "秘钥" };
	size_t end = 0;
	int n = byte_list(s, len, open + 1, &end);

	if (n != 64 && (n != 32 || redact_near_before(s, open, 60, ctx,
	    sizeof(ctx) / sizeof(ctx[0])) < 0))
		return 0;
	if (!redact_add_finding(r, "key-bytes", open, end, 0))
		return 0;
	redact_hash_token(r, salt, s + open, end - open);
	return 1;
}
