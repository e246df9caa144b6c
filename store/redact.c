/* SPDX-License-Identifier: MIT */
/*
 * Secret redaction. Seed phrases are found as runs of BIP39 words (any
 * case, 4-letter prefixes, numbered, in columns, in JSON, with a little
 * prose between) whose checksum holds; a Chinese phrase must be written
 * as separate characters, or as one exact run with a word like 助记词
 * nearby (most list characters are everyday characters). Keys are found
 * by their own checksums (WIF, xprv); hex keys, codes, passwords and API
 * secrets only next to words that say what they are.
 */
#include "store/redact.h"
#include "store/ascii.h"
#include "store/redact_int.h"
#include "store/guard.h"
#include "store/store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- findings and hashes --------------------------------------------------- */

int
redact_add_finding(struct redact_result *r, const char *kind, size_t a, size_t b,
    int words)
{
	for (size_t i = 0; i < r->n; i++)
		if (a < r->f[i].end && b > r->f[i].start)
			return 0;	/* overlaps one found first */
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 4;
		r->f = xrealloc(r->f, r->cap * sizeof(*r->f));
	}
	r->f[r->n++] = (struct redact_finding){ kind, a, b, words };
	return 1;
}

static void
hash_unit(struct buf *out, const char *salt, const char *unit, size_t n)
{
	char stack[256], *in = stack, hex[33];
	size_t sl = strlen(salt);
	uint8_t h[32];

	/* salt, NUL, unit: on the stack unless long */
	if (sl + 1 + n > sizeof(stack))
		in = xmalloc(sl + 1 + n);
	memcpy(in, salt, sl);
	in[sl] = '\0';
	memcpy(in + sl + 1, unit, n);
	sha256(in, sl + 1 + n, h);
	if (in != stack)
		free(in);
	for (int i = 0; i < 16; i++) {
		hex[2 * i] = "0123456789abcdef"[h[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
	}
	hex[32] = '\0';
	buf_add(out, hex, 33);
}

static void
add_hash(struct redact_result *r, const char *salt, const char *unit,
    size_t n)
{
	if (salt == NULL)
		return;
	hash_unit(&r->hashes, salt, unit, n);
	r->n_hashes++;
}

/* "m:1,2,3": the unit of three seed words (u holds 40 bytes) */
size_t
redact_words_unit(char *u, int a, int b, int c)
{
	int v[3] = { a, b, c };
	size_t l = 2;

	u[0] = 'm';
	u[1] = ':';
	for (int i = 0; i < 3; i++) {
		char d[12];
		int n = 0;
		unsigned x = (unsigned)v[i];
		if (v[i] < 0) {
			u[l++] = '-';
			x = 0u - x;
		}
		do
			d[n++] = (char)('0' + x % 10);
		while ((x /= 10) != 0);
		while (n)
			u[l++] = d[--n];
		if (i < 2)
			u[l++] = ',';
	}
	return l;
}

/* Hashes of a seed phrase: every three words in order ("m:1,2,3"). */
void
redact_hash_words(struct redact_result *r, const char *salt, const int *idx, int n)
{
	char u[40];

	if (salt == NULL)
		return;
	for (int i = 0; i + 3 <= n; i++)
		add_hash(r, salt, u, redact_words_unit(u, idx[i], idx[i + 1],
		    idx[i + 2]));
}

void
redact_hash_token(struct redact_result *r, const char *salt, const char *s,
    size_t n)
{
	struct buf u = BUF_INIT;
	buf_adds(&u, "t:");
	buf_add(&u, s, n);
	add_hash(r, salt, u.data, u.len);
	buf_free(&u);
}

static int
is_b58c(unsigned char c)
{
	return a_alnum(c) && c != '0' && c != 'O' && c != 'I' && c != 'l';
}

/* The nearest of the words in ctx ending within back bytes before p;
 * returns its distance or -1. Case-insensitive for ASCII. */
long
redact_near_before(const char *s, size_t p, size_t back, const char *const *ctx,
    size_t n)
{
	size_t from = p > back ? p - back : 0;
	uint64_t first[4] = { 0, 0, 0, 0 };
	long best = -1;

	/* one pass over the window: a word is tried only where a byte
	 * starts one (the context words are lowercase) */
	for (size_t k = 0; k < n; k++) {
		unsigned char c = (unsigned char)ctx[k][0];
		first[c >> 6] |= (uint64_t)1 << (c & 63);
	}
	for (size_t q = from; q < p; q++) {
		unsigned char c = (unsigned char)a_lower((unsigned char)s[q]);
		if (!(first[c >> 6] >> (c & 63) & 1))
			continue;
		for (size_t k = 0; k < n; k++) {
			const char *w = ctx[k];
			size_t j = 0;
			if ((unsigned char)w[0] != c)
				continue;
			while (w[j] && q + j < p && (unsigned char)w[j] ==
			    (unsigned char)a_lower((unsigned char)s[q + j]))
				j++;
			if (w[j] == '\0') {
				long d = (long)(p - q - j);
				if (best < 0 || d < best)
					best = d;
			}
		}
	}
	return best;
}

/* Words that say a private key follows. */
static const char *const keyctx[] = { "private key", "privkey", "priv key",
    "private-key", "secret key", "私钥", "密钥", "秘钥", "key:", "key is",
    "key =", "export", "pk:" };

/* A Base58Check key: WIF (51 uncompressed or 52 compressed characters)
 * or an extended private key (xprv and kin). A WIF-shaped key whose
 * checksum fails (a typo) is still one after a word saying so. */
static void
key_b58(const char *s, size_t i, size_t e, const char *salt,
    struct redact_result *r)
{
	static const char *const xprv[] = { "xprv", "yprv", "zprv", "tprv",
	    "uprv", "vprv", "Yprv", "Zprv" };
	size_t tl = e - i;
	uint8_t dec[96];
	int n;

	if (tl != 51 && tl != 52 && (tl < 107 || tl > 115))
		return;
	for (size_t q = i; q < e; q++)
		if (!is_b58c((unsigned char)s[q]))
			return;
	if ((tl == 51 || tl == 52) && strchr("5KL9c", s[i])) {
		n = base58_decode(s + i, tl, dec, sizeof(dec));
		if ((n == 37 || n == 38) && (dec[0] == 0x80 ||
		    dec[0] == 0xEF) && (n == 37 || dec[33] == 0x01) &&
		    base58check_ok(dec, n)) {
			redact_add_finding(r, "wif-key", i, e, 0);
			redact_hash_token(r, salt, s + i, tl);
		} else if ((tl == 51 ? s[i] == '5' : s[i] == 'K' || s[i] ==
		    'L') && redact_near_before(s, i, 40, keyctx,
		    ARRAY_LEN(keyctx)) >= 0) {
			redact_add_finding(r, "wif-key", i, e, 0);
			redact_hash_token(r, salt, s + i, tl);
		}
	}
	if (tl < 107)
		return;
	for (size_t k = 0; k < ARRAY_LEN(xprv); k++)
		if (!strncmp(s + i, xprv[k], 4)) {
			n = base58_decode(s + i, tl, dec, sizeof(dec));
			if (n == 82 && base58check_ok(dec, n)) {
				redact_add_finding(r, "xprv", i, e, 0);
				redact_hash_token(r, salt, s + i, tl);
			}
			return;
		}
}

/* 64 hex digits, "0x" or not, after a word saying "key" (and not one
 * saying it is a hash, an address or a public key). */
static void
key_hex(const char *s, size_t i, size_t e, const char *salt,
    struct redact_result *r)
{
	static const char *const txctx[] = { "tx", "hash", "transaction",
	    "交易", "哈希", "block", "区块", "txid", "id:", "address", "地址",
	    "contract", "合约" };
	static const char *const pubctx[] = { "public", "pubkey", "公钥",
	    "xpub" };
	size_t hs = i;

	if (e - i == 66 && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		hs = i + 2;
	if (e - hs != 64 || bspan(s + hs, 64, "0123456789abcdefABCDEF") != 64)
		return;
	long k = redact_near_before(s, i, 80, keyctx, ARRAY_LEN(keyctx));
	long t = redact_near_before(s, i, 80, txctx, ARRAY_LEN(txctx));
	if (k >= 0 && (t < 0 || k < t) && redact_near_before(s, i, 30,
	    pubctx, ARRAY_LEN(pubctx)) < 0) {
		redact_add_finding(r, "hex-private-key", i, e, 0);
		redact_hash_token(r, salt, s + hs, 64);
	}
}

/* A code: 6-8 digits, or "123 456", after a word saying so (and not one
 * saying it is an order, an amount, a phone ...). Returns where it
 * ends, or e. */
static size_t
key_code(const char *s, size_t len, size_t i, size_t e, const char *salt,
    struct redact_result *r)
{
	static const char *const otpctx[] = { "code", "2fa", "otp",
	    "验证码", "动态码", "authenticator", "verification", "sms",
	    "口令", "google auth", "token:" };
	static const char *const otpanti[] = { "order", "uid", "id ",
	    "id:", "ticket", "#", "error", "amount", "订单", "单号",
	    "referral", "invite", "promo", "邀请", "推荐", "account",
	    "账号", "编号", "number", "tel", "phone", "电话", "手机",
	    "$", "usdt", "btc", "eth", "金额", "postal", "zip" };
	size_t tl = e - i, ce = e, digits = tl;
	char code[9];

	if (tl < 3 || tl > 8 || !a_digit((unsigned char)s[i]) ||
	    bspan(s + i, tl, "0123456789") != tl || (i > 0 && (s[i - 1] ==
	    '.' || s[i - 1] == '+' || s[i - 1] == '-' || s[i - 1] == '/' ||
	    s[i - 1] == '$')))
		return e;
	memcpy(code, s + i, tl);
	if (tl == 3 && e + 4 <= len && (s[e] == ' ' || s[e] == '-') &&
	    bspan(s + e + 1, 3, "0123456789") == 3 && (e + 4 == len ||
	    !a_alnum((unsigned char)s[e + 4]))) {
		memcpy(code + 3, s + e + 1, 3);
		ce = e + 4;
		digits = 6;
	}
	int after_ok = ce >= len || (s[ce] != '.' && s[ce] != ',' &&
	    s[ce] != '-' && s[ce] != '/' && s[ce] != ':') || ce + 1 >= len ||
	    !a_digit((unsigned char)s[ce + 1]);
	if (digits < 6 || digits > 8 || !after_ok)
		return e;
	long k = redact_near_before(s, i, 40, otpctx, ARRAY_LEN(otpctx));
	long a = k < 0 ? -1 : redact_near_before(s, i, 40, otpanti,
	    ARRAY_LEN(otpanti));
	if (k < 0 || (a >= 0 && a <= k))
		return e;
	redact_add_finding(r, "otp-code", i, ce, 0);
	redact_hash_token(r, salt, code, digits);
	return ce;
}

/* Keys by their checksums, hex keys and codes by the words before them. */
static void
find_keys(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct redact_result *r)
{
	size_t next = 0;	/* past a code written "123 456" */

	for (size_t k = 0; k < tr->n; k++) {
		size_t i = tr->r[k].start, e = tr->r[k].end, tl = e - i;
		if (i < next)
			continue;
		/* only these lengths can be a key or a code */
		if (tl == 51 || tl == 52 || (tl >= 107 && tl <= 115))
			key_b58(s, i, e, salt, r);
		if (tl == 64 || tl == 66)
			key_hex(s, i, e, salt, r);
		if (tl >= 3 && tl <= 8 && tr->r[k].digits)
			next = key_code(s, len, i, e, salt, r);
		if (tl <= 3 && i > 0 && s[i - 1] == '[' && tr->r[k].digits)
			redact_key_bytes(s, len, i - 1, salt, r);
		else if (tl == 4 || (tl >= 16 && tl <= 64))
			k = redact_totp(s, tr, k, salt, r);
	}
}

void
text_runs_build(const char *s, size_t len, struct text_runs *tr)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned wide = 0, han = 0;

	tr->r = tr->in;
	tr->cap = ARRAY_LEN(tr->in);
	tr->n = 0;
	tr->any_digit = 0;
	for (size_t i = 0; i < len;) {
		unsigned d = 0;
		for (; i < len && !a_class[u[i]]; i++) {
			wide |= u[i];
			han += (unsigned char)(u[i] - 0xE4) < 6;
		}
		if (i >= len)
			break;
		size_t a = i;
		for (; i < len && a_class[u[i]]; i++)
			d |= a_class[u[i]];	/* 1 letter, 2 digit */
		tr->r = stack_grow(tr->r, tr->in, &tr->cap, tr->n,
		    sizeof(*tr->r));
		tr->r[tr->n++] = (struct text_run){ (unsigned)a, (unsigned)i,
		    (d & 2) != 0 };
		tr->any_digit |= d & 2;
	}
	tr->any_wide = (wide & 0x80) != 0;
	tr->n_han = han;
}

void
text_runs_free(struct text_runs *tr)
{
	stack_free(tr->r, tr->in);
	tr->r = NULL;
	tr->n = 0;
}

/* Words that follow "my password is" in prose, not a password. */
static int
prose_word(const char *w, size_t n)
{
	static const char *const words[] = { "not", "wrong", "incorrect",
	    "correct", "right", "changed", "reset", "invalid", "too",
	    "still", "being", "the", "a", "an", "my", "locked", "expired",
	    "working", "forgotten", "forgot", "lost", "weak", "strong",
	    "different", "same", "fine", "ok", "okay", "long", "short",
	    "required", "also", "now", "definitely", "case", "rejected",
	    "accepted", "saved", "stored", "compromised", "leaked", "stolen",
	    "hacked", "known", "secure", "safe", "unknown", "empty", "blank",
	    "and", "or", "but", "so", "because", "for", "to", "of", "in",
	    "on", "at", "by", "with", "that", "this", "it", "is", "was",
	    "were", "be", "been", "has", "have", "had", "will", "would",
	    "should", "can", "could", "please", "help", "again", "no",
	    "yes", "never", "always", "just", "only", "very", "really",
	    "same", "mine", "yours", "there", "here", "what", "which",
	    "when", "where", "why", "how", "i", "you", "we", "they",
	    "he", "she", "your", "our", "their", "his", "her", "its",
	    "all", "some", "any", "none", "new", "old", "current",
	    "reset", "manager", "field", "policy", "requirements", "hint" };
	char low[32];

	if (n >= sizeof(low))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!a_alpha((unsigned char)w[i]))
			return 0;
		low[i] = (char)a_lower((unsigned char)w[i]);
	}
	low[n] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(words); i++)
		if (!strcmp(low, words[i]))
			return 1;
	return 0;
}

static const struct {
	const char *ctx, *kind;
	int min;
} pw_ctx[] = {
	{ "password is", "password", 1 },
	{ "password was", "password", 1 },
	{ "password:", "password", 1 },
	{ "password =", "password", 1 },
	{ "password=", "password", 1 },
	{ "passwd:", "password", 1 },
	{ "pwd:", "password", 1 },
	{ "pwd is", "password", 1 },
	{ "pw:", "password", 1 },
	{ "pw is", "password", 1 },
	{ "pw =", "password", 1 },
	{ "pass is", "password", 6 },	/* letters and digits: see pw_value */
	{ "pass:", "password", 1 },
	{ "passcode is", "password", 1 },
	{ "passphrase is", "password", 1 },
	{ "pin is", "password", 4 },
	{ "密码是", "password", 1 },
	{ "密码为", "password", 1 },
	{ "密码：", "password", 1 },
	{ "密码:", "password", 1 },
	{ "密码 ", "password", 1 },
	{ "密碼是", "password", 1 },
	{ "密碼為", "password", 1 },
	{ "密碼：", "password", 1 },
	{ "密碼:", "password", 1 },
	{ "密碼 ", "password", 1 },
	{ "口令是", "password", 1 },
	{ "口令：", "password", 1 },
	{ "api secret:", "api-secret", 16 },
	{ "api secret is", "api-secret", 16 },
	{ "api secret =", "api-secret", 16 },
	{ "secret key:", "api-secret", 16 },
	{ "secret key is", "api-secret", 16 },
	{ "secret key =", "api-secret", 16 },
	{ "secret key=", "api-secret", 16 },
	{ "secret_key", "api-secret", 16 },
	{ "secret:", "api-secret", 16 },
	{ "api_secret", "api-secret", 16 },
	{ "apisecret", "api-secret", 16 },
	{ "secretkey", "api-secret", 16 },
	{ "api key:", "api-secret", 16 },
	{ "api key is", "api-secret", 16 },
	{ "apikey", "api-secret", 16 },
	{ "api_key", "api-secret", 16 },
	{ "api密钥", "api-secret", 16 },
	{ "密钥：", "api-secret", 16 },
	{ "密钥:", "api-secret", 16 },
	{ "密钥是", "api-secret", 16 },
};

/* Whether s[i..] starts with a stem every context starts with (pass,
 * pw, pin, api, secret, 密, 口), at the start of a word. */
static int
pw_stem(const char *s, size_t len, size_t i)
{
	unsigned char c0 = (unsigned char)s[i] | 0x20;

	if (c0 != 'p' && c0 != 'a' && c0 != 's' &&
	    (unsigned char)s[i] != 0xE5)
		return 0;
	/* an ASCII context starts a word */
	if (i > 0 && a_alpha((unsigned char)s[i - 1]) &&
	    (unsigned char)s[i] < 0x80)
		return 0;
	if (c0 == 'p')
		return (i + 4 <= len && !strncasecmp(s + i, "pass", 4)) ||
		    !strncasecmp(s + i, "pw", 2) ||
		    !strncasecmp(s + i, "pin", 3);
	if (c0 == 'a')
		return !strncasecmp(s + i, "api", 3);
	if (c0 == 's')
		return i + 6 <= len && !strncasecmp(s + i, "secret", 6);
	return !memcmp(s + i, "\xE5\xAF\x86", 3) ||	/* 密 */
	    !memcmp(s + i, "\xE5\x8F\xA3", 3);	/* 口 */
}

/* The value after context k ending at p: its span in *vs..*ve, or 0 when
 * what follows is no password (too short, prose, a marker already). */
static int
pw_value(const char *s, size_t len, size_t k, size_t p, size_t *vs,
    size_t *ve)
{
	/* "my password is: X", "password = 'X'", "是：X" */
	while (p < len && (s[p] == ' ' || s[p] == ':' || s[p] == '=' ||
	    s[p] == '"' || s[p] == '\'' || s[p] == '\t' || s[p] == '`'))
		p++;
	if (p + 3 <= len && (!memcmp(s + p, "\xEF\xBC\x9A", 3) ||
	    !memcmp(s + p, "\xE2\x80\x9C", 3)))
		p += 3;
	size_t e = p;
	while (e < len && (unsigned char)s[e] > 0x20 &&
	    (unsigned char)s[e] < 0x80 && s[e] != '"' && s[e] != '\'' &&
	    s[e] != '`')
		e++;
	/* a final full stop or comma ends the sentence */
	while (e > p && (s[e - 1] == '.' || s[e - 1] == ',' ||
	    s[e - 1] == ';' || s[e - 1] == ')'))
		e--;
	if (e - p < (size_t)pw_ctx[k].min || e - p > 128 ||
	    prose_word(s + p, e - p))
		return 0;
	if (!strcmp(pw_ctx[k].kind, "api-secret") && bspan(s + p, e - p,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789+/=_-") < e - p)
		return 0;
	if (p < len && s[p] == '[')
		return 0;	/* a marker already */
	/* "my pass is expired" is prose: a password there mixes letters and
	 * digits */
	if (!strcmp(pw_ctx[k].ctx, "pass is")) {
		int d = 0, l = 0;
		for (size_t q = p; q < e; q++) {
			d |= a_digit((unsigned char)s[q]);
			l |= a_alpha((unsigned char)s[q]);
		}
		if (!d || !l)
			return 0;
	}
	*vs = p;
	*ve = e;
	return 1;
}

static void
find_passwords(const char *s, size_t len, const char *salt,
    struct redact_result *r)
{
	/* look for the contexts only where a stem starts: p, a, s, 密 */
	static const uint8_t stem_first[256] = { ['p'] = 1, ['P'] = 1,
	    ['a'] = 1, ['A'] = 1, ['s'] = 1, ['S'] = 1, [0xE5] = 1 };

	for (size_t i = 0; i + 3 <= len; i++) {
		unsigned char c0 = (unsigned char)s[i] | 0x20;
		if (!stem_first[(unsigned char)s[i]] || !pw_stem(s, len, i))
			continue;
		for (size_t k = 0; k < ARRAY_LEN(pw_ctx); k++) {
			size_t cl, vs, ve;
			if (((unsigned char)pw_ctx[k].ctx[0] | 0x20) != c0 &&
			    (unsigned char)pw_ctx[k].ctx[0] !=
			    (unsigned char)s[i])
				continue;
			cl = strlen(pw_ctx[k].ctx);
			if (i + cl > len || strncasecmp(s + i, pw_ctx[k].ctx,
			    cl) || !pw_value(s, len, k, i + cl, &vs, &ve))
				continue;
			redact_add_finding(r, pw_ctx[k].kind, vs, ve, 0);
			redact_hash_token(r, salt, s + vs, ve - vs);
		}
	}
}

/* --- the whole redaction ------------------------------------------------ */

const char *
redact_kind_label(const char *kind)
{
	if (!strcmp(kind, "seed-phrase"))
		return "seed phrase";
	if (!strcmp(kind, "wif-key") || !strcmp(kind, "hex-private-key") ||
	    !strcmp(kind, "key-bytes") || !strcmp(kind, "pem-key") ||
	    !strcmp(kind, "keystore"))
		return "private key";
	if (!strcmp(kind, "backup-codes"))
		return "2FA backup codes";
	if (!strcmp(kind, "totp-secret"))
		return "2FA secret";
	if (!strcmp(kind, "xprv"))
		return "extended private key";
	if (!strcmp(kind, "otp-code"))
		return "2FA code";
	if (!strcmp(kind, "password"))
		return "password";
	return "API secret";
}

static int
cmp_find(const void *a, const void *b)
{
	const struct redact_finding *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

size_t
redact_text_runs(const char *s, size_t len, const struct text_runs *tr,
    const char *salt, struct buf *out, struct redact_result *res)
{
	res->n = 0;
	buf_reset(&res->hashes);
	res->n_hashes = 0;
	redact_find_seeds(s, len, tr, salt, res);
	redact_find_seeds_intl(s, len, tr, salt, res);
	redact_find_blocks(s, len, tr, salt, res);
	find_keys(s, len, tr, salt, res);
	find_passwords(s, len, salt, res);
	if (res->n > 1)
		qsort(res->f, res->n, sizeof(*res->f), cmp_find);
	if (out != NULL)
		redact_render(s, len, res, out);
	return res->n;
}

size_t
redact_text(const char *s, size_t len, const char *salt, struct buf *out,
    struct redact_result *res)
{
	struct text_runs tr;
	size_t n;

	text_runs_build(s, len, &tr);
	n = redact_text_runs(s, len, &tr, salt, out, res);
	text_runs_free(&tr);
	return n;
}

void
redact_render(const char *s, size_t len, const struct redact_result *res,
    struct buf *out)
{
	size_t at = 0;

	for (size_t i = 0; i < res->n; i++) {
		const struct redact_finding *f = &res->f[i];
		buf_add(out, s + at, f->start - at);
		if (f->words)
			buf_printf(out, "[%s redacted: %d words]",
			    redact_kind_label(f->kind), f->words);
		else
			buf_printf(out, "[%s redacted]",
			    redact_kind_label(f->kind));
		at = f->end;
	}
	buf_add(out, s + at, len - at);
	if (out->data == NULL)
		buf_adds(out, "");
}

void
redact_result_free(struct redact_result *res)
{
	free(res->f);
	buf_free(&res->hashes);
	memset(res, 0, sizeof(*res));
}

void
redact_hashes_add(struct redact_hashes *hs, const char *hex)
{
	if (strlen(hex) != 32)
		return;
	if (hs->n == hs->cap) {
		hs->cap = hs->cap ? 2 * hs->cap : 16;
		hs->h = xrealloc(hs->h, hs->cap * sizeof(*hs->h));
	}
	memcpy(hs->h[hs->n++], hex, 33);
}

void
redact_hashes_free(struct redact_hashes *hs)
{
	free(hs->salt);
	free(hs->h);
	memset(hs, 0, sizeof(*hs));
}

/*
 * The ticket's hashes, for many lookups: an open-addressing table of
 * their indices by their first 16 hex digits. A ticket where a customer
 * pasted a long list of words holds a hash for every three of them, and
 * each word of a reply asks; a scan of them all per word took a minute
 * for a 1 MB reply on such a ticket.
 */
struct hash_index {
	const struct redact_hashes *hs;
	uint32_t *slot;		/* index + 1, 0 empty; NULL: scan them */
	size_t mask;
};

static size_t
hash_slot(const char *hex, size_t mask)
{
	uint64_t k;

	memcpy(&k, hex, 8);
	return (size_t)((k * 0x9E3779B97F4A7C15u) >> 20) & mask;
}

static void
hash_index_init(struct hash_index *x, const struct redact_hashes *hs)
{
	x->hs = hs;
	x->slot = NULL;
	x->mask = 0;
	if (hs->n < 32)
		return;
	for (x->mask = 63; x->mask < 2 * hs->n; x->mask = 2 * x->mask + 1)
		;
	x->slot = xcalloc(x->mask + 1, sizeof(*x->slot));
	for (size_t i = 0; i < hs->n; i++) {
		size_t h = hash_slot(hs->h[i], x->mask);
		while (x->slot[h])
			h = (h + 1) & x->mask;
		x->slot[h] = (uint32_t)(i + 1);
	}
}

static int
has_hash(const struct hash_index *x, const char *hex)
{
	const struct redact_hashes *hs = x->hs;

	if (x->slot == NULL) {
		for (size_t i = 0; i < hs->n; i++)
			if (!memcmp(hs->h[i], hex, 32))
				return 1;
		return 0;
	}
	for (size_t h = hash_slot(hex, x->mask); x->slot[h];
	    h = (h + 1) & x->mask)
		if (!memcmp(hs->h[x->slot[h] - 1], hex, 32))
			return 1;
	return 0;
}

/* Check the hash of one unit of the reply against the ticket's. */
static int
unit_known(const struct hash_index *x, const char *unit, size_t n)
{
	struct buf h = BUF_INIT;
	int k;

	hash_unit(&h, x->hs->salt, unit, n);
	k = has_hash(x, h.data);
	buf_free(&h);
	return k;
}

static void
quoted_back(const char *s, size_t len, const struct redact_hashes *hs,
    struct guard_result *r)
{
	int idx[3] = { -1, -1, -1 };
	size_t pos[3] = { 0, 0, 0 };
	struct buf u = BUF_INIT;
	struct hash_index x;

	hash_index_init(&x, hs);

	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		int k = -1;
		size_t e;
		if (c <= 0x20 || c == '"' || c == '\'' || c == '(' || c == '[') {
			i++;
			continue;
		}
		e = i;
		if (c >= 0x80) {
			uint32_t cp;
			size_t n = u8_decode(s + i, len - i, &cp);
			if (u8_is_cjk(cp)) {
				k = bip39_zh_index(cp);
				e = i + n;
				goto word;
			}
		}
		while (e < len && (unsigned char)s[e] > 0x20 && s[e] != '"' &&
		    s[e] != '\'' && !((unsigned char)s[e] >= 0xE3 &&
		    (unsigned char)s[e] <= 0xE9 && e > i))
			e++;
		size_t te = e;
		while (te > i && strchr(".,;:!?)]", s[te - 1]))
			te--;
		if (te > i) {
			buf_reset(&u);
			buf_adds(&u, "t:");
			buf_add(&u, s + i, te - i);
			if (unit_known(&x, u.data, u.len))
				guard_add(r, GUARD_BLOCK, "quotes-secret", i, te);
			/* a code written "123 456" */
			if (te - i == 3 && bspan(s + i, 3, "0123456789") == 3 &&
			    te + 4 <= len && s[te] == ' ' &&
			    bspan(s + te + 1, 3, "0123456789") == 3) {
				buf_reset(&u);
				buf_adds(&u, "t:");
				buf_add(&u, s + i, 3);
				buf_add(&u, s + te + 1, 3);
				if (unit_known(&x, u.data, u.len))
					guard_add(r, GUARD_BLOCK, "quotes-secret", i,
					    te + 4);
			}
			k = bip39_en_index(s + i, te - i);
		}
word:
		idx[0] = idx[1];
		idx[1] = idx[2];
		idx[2] = k;
		pos[0] = pos[1];
		pos[1] = pos[2];
		pos[2] = i;
		if (idx[0] >= 0 && idx[1] >= 0 && idx[2] >= 0) {
			char t[40];
			size_t l = redact_words_unit(t, idx[0], idx[1], idx[2]);
			if (unit_known(&x, t, l))
				guard_add(r, GUARD_BLOCK, "quotes-secret", pos[0], e);
		}
		i = e > i ? e : i + 1;
	}
	buf_free(&u);
	free(x.slot);
}

void
redact_guard_scan(const char *text, size_t len,
    const struct redact_hashes *secrets, struct guard_result *r)
{
	struct text_runs tr;

	text_runs_build(text, len, &tr);
	redact_guard_scan_runs(text, len, &tr, secrets, r);
	text_runs_free(&tr);
}

void
redact_guard_scan_runs(const char *text, size_t len,
    const struct text_runs *tr, const struct redact_hashes *secrets,
    struct guard_result *r)
{
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;

	redact_text_runs(text, len, tr, NULL, NULL, &res);
	for (size_t i = 0; i < res.n; i++)
		guard_add(r, GUARD_BLOCK, "secret-in-reply", res.f[i].start,
		    res.f[i].end);
	if (secrets && secrets->n && secrets->salt)
		quoted_back(text, len, secrets, r);
	redact_result_free(&res);
	buf_free(&out);
}
