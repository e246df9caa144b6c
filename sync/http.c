/* SPDX-License-Identifier: MIT */
/*
 * The HTTP client, the only user of libcurl: many transfers at once over
 * one multi handle, within the remote's rate limit, with timeouts, size
 * caps, verified TLS, no redirects and a trace that never shows secrets.
 */
#include "sync/sync_int.h"

#include <curl/curl.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct http {
	CURLM *multi;
	char *base;
	char *auth;			/* secret: wiped on free */
	struct curl_slist *hdrs;	/* holds the auth line too */
	const char *protocols;
	struct http_opts o;
	struct http_req *queue, *queue_tail;
	struct http_req *done, *done_tail;
	int running;
	int64_t hold_until;
	/*
	 * The remote's rate limit, mirrored: a bucket refilled at limit per
	 * minute, lowered to what each answer says remains. Zendesk refills
	 * continuously, so pacing at the limit never meets a 429.
	 */
	int rl_known;
	long rl_limit;			/* per minute, 0 unknown */
	double rl_tokens;
	int64_t rl_at;			/* when rl_tokens was right */
	int64_t sent;
	int64_t answered;		/* answers that had a status */
	int64_t throttled;
};

int64_t
http_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

char *
http_base64(const char *p, size_t n)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)p;
	char *out = xmalloc(4 * ((n + 2) / 3) + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		*o++ = tab[s[i] >> 2];
		*o++ = tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
		*o++ = tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)];
		*o++ = tab[s[i + 2] & 63];
	}
	if (i < n) {
		*o++ = tab[s[i] >> 2];
		if (i + 1 < n) {
			*o++ = tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)];
			*o++ = tab[(s[i + 1] & 15) << 2];
		} else {
			*o++ = tab[(s[i] & 3) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static int
host_is_loopback(const char *host)
{
	size_t n = strlen(host);

	if (strcasecmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "[::1]") == 0)
		return 1;
	if (strncmp(host, "127.", 4) != 0 || n > 15)
		return 0;
	return strspn(host, "0123456789.") == n;
}

int
sync_url_check(const char *url, struct tdesk_err *err)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL;
	int ret = -1;

	if (sync_curl_load(err) < 0)
		return -1;
	u = curl_url();

	if (url == NULL || *url == '\0') {
		err_set(err, TDESK_EUSAGE, "the desk has no url");
		goto done;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		err_set(err, TDESK_EUSAGE, "'%s' is not a URL", url);
		goto done;
	}
	if (strcmp(scheme, "https") == 0)
		ret = 0;
	else if (strcmp(scheme, "http") == 0 && host_is_loopback(host))
		ret = 0;
	else if (strcmp(scheme, "http") == 0)
		err_set(err, TDESK_EUSAGE, "'%s' is not https: plain http is"
		    " only accepted for loopback hosts", url);
	else
		err_set(err, TDESK_EUSAGE, "'%s': tdesk speaks https only",
		    url);
	if (ret == 0 && strchr(url, '@') != NULL) {
		ret = err_set(err, TDESK_EUSAGE, "the desk url must not"
		    " carry credentials: use token_cmd, token_env or"
		    " token_file");
	}
done:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return ret;
}

struct http *
http_new(const struct http_opts *o, struct tdesk_err *err)
{
	static int inited;
	struct http *h;
	size_t n;

	if (sync_url_check(o->base_url, err) < 0)
		return NULL;
	if (sync_curl_load(err) < 0)
		return NULL;
	if (!inited) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			err_set(err, TDESK_EGENERIC, "cannot start libcurl");
			return NULL;
		}
		inited = 1;
	}
	h = xcalloc(1, sizeof(*h));
	h->o = *o;
	if (h->o.parallel <= 0)
		h->o.parallel = 8;
	if (h->o.connect_timeout_ms <= 0)
		h->o.connect_timeout_ms = 10000;
	if (h->o.low_speed_time_s <= 0)
		h->o.low_speed_time_s = 30;
	if (h->o.max_body == 0)
		h->o.max_body = 256u << 20;
	h->base = xstrdup(o->base_url);
	n = strlen(h->base);
	while (n > 0 && h->base[n - 1] == '/')
		h->base[--n] = '\0';
	h->protocols = strncmp(h->base, "https:", 6) == 0 ? "https" : "http";
	h->auth = o->auth_header ? xstrdup(o->auth_header) : NULL;
	h->o.auth_header = NULL;
	h->hdrs = curl_slist_append(NULL, "Accept: application/json");
	h->hdrs = curl_slist_append(h->hdrs,
	    "Content-Type: application/json; charset=utf-8");
	h->hdrs = curl_slist_append(h->hdrs, "Expect:");
	if (h->auth)
		h->hdrs = curl_slist_append(h->hdrs, h->auth);
	h->multi = curl_multi_init();
	if (h->multi == NULL || h->hdrs == NULL) {
		http_free(h);
		err_set(err, TDESK_EGENERIC, "cannot start libcurl");
		return NULL;
	}
	curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
	    (long)h->o.parallel);
	return h;
}

static void
wipe(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
}

void
http_free(struct http *h)
{
	struct curl_slist *l;
	struct http_req *r;

	if (h == NULL)
		return;
	http_drop_queued(h);
	while ((r = h->done) != NULL) {
		h->done = r->next;
		http_req_free(r);
	}
	if (h->multi)
		curl_multi_cleanup(h->multi);
	for (l = h->hdrs; l; l = l->next)
		wipe(l->data);
	curl_slist_free_all(h->hdrs);
	wipe(h->auth);
	free(h->auth);
	free(h->base);
	free(h);
}

struct http_req *
http_req_new(const char *method, const char *path, const char *body)
{
	struct http_req *r = xcalloc(1, sizeof(*r));

	r->method = method;
	r->path = xstrdup(path);
	r->body = body ? xstrdup(body) : NULL;
	r->retry_after = -1;
	r->hdr_retry_after = -1;
	r->hdr_remaining = -1;
	return r;
}

void
http_req_rearm(struct http_req *r)
{
	buf_free(&r->resp);
	r->etag[0] = r->content_type[0] = r->hdr_location[0] = '\0';
	free(r->location);
	r->location = NULL;
	r->status = 0;
	r->failed = 0;
	r->unreachable = 0;
	r->error[0] = '\0';
	r->retry_after = -1;
	r->hdr_retry_after = -1;
	r->hdr_remaining = -1;
	r->date = 0;
	r->too_large = 0;
	r->next = NULL;
}

/* A request's own header list (the client's plus If-Match), wiped on
 * free since it holds the credential too. */
static void
req_hdrs_free(struct http_req *r)
{
	struct curl_slist *l;

	for (l = r->hdrs; l; l = l->next)
		wipe(l->data);
	curl_slist_free_all(r->hdrs);
	r->hdrs = NULL;
}

void
http_req_free(struct http_req *r)
{
	if (r == NULL)
		return;
	if (r->easy) {
		if (r->h)
			curl_multi_remove_handle(r->h->multi, r->easy);
		curl_easy_cleanup(r->easy);
	}
	buf_free(&r->resp);
	free(r->location);
	free(r->path);
	free(r->body);
	free(r->if_match);
	req_hdrs_free(r);
	free(r);
}

void
http_drop_queued(struct http *h)
{
	struct http_req *r;

	while ((r = h->queue) != NULL) {
		h->queue = r->next;
		http_req_free(r);
	}
	h->queue_tail = NULL;
}

void
http_hold(struct http *h, int64_t until)
{
	if (until > h->hold_until)
		h->hold_until = until;
}

int64_t
http_sent(const struct http *h)
{
	return h->sent;
}

int64_t
http_throttled(const struct http *h)
{
	return h->throttled;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	size_t len = size * n;

	if (r->resp.len + len > r->h->o.max_body) {
		r->too_large = 1;
		return 0;
	}
	buf_add(&r->resp, p, len);
	return len;
}

/* The value of "Name: value" if line is that header, else NULL. */
static const char *
header_value(const char *line, size_t len, const char *name, size_t *vlen)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	line += n + 1;
	len -= n + 1;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)line[len - 1]))
		len--;
	*vlen = len;
	return line;
}

static long
header_long(const char *v, size_t vlen)
{
	char tmp[32];

	if (vlen == 0 || vlen >= sizeof(tmp))
		return -1;
	memcpy(tmp, v, vlen);
	tmp[vlen] = '\0';
	if (strspn(tmp, "0123456789") != vlen)
		return -1;
	return strtol(tmp, NULL, 10);
}

/* An HTTP date ("Sun, 06 Nov 1994 08:49:37 GMT", RFC 9110's preferred
 * form) as Unix seconds, or 0. */
int64_t
http_parse_date(const char *v, size_t vlen)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	char tmp[64], mon[4], iso[32];
	const char *m;
	int d, y, hh, mm, ss;
	int64_t t;

	if (vlen == 0 || vlen >= sizeof(tmp))
		return 0;
	memcpy(tmp, v, vlen);
	tmp[vlen] = '\0';
	if (sscanf(tmp, "%*3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT",
	    &d, mon, &y, &hh, &mm, &ss) != 6 ||
	    (m = strstr(months, mon)) == NULL || (m - months) % 3 != 0)
		return 0;
	snprintf(iso, sizeof(iso), "%04d-%02d-%02dT%02d:%02d:%02dZ", y,
	    (int)(m - months) / 3 + 1, d, hh, mm, ss);
	return time_parse_iso(iso, &t) < 0 ? 0 : t;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_req *r = arg;
	struct http *h = r->h;
	size_t len = size * n, vlen;
	const char *v;
	long x;

	if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
		/* a new response (after 100 Continue): forget the last */
		r->hdr_retry_after = -1;
		r->hdr_remaining = -1;
		r->date = 0;
		return len;
	}
	if ((v = header_value(p, len, "etag", &vlen))) {
		snprintf(r->etag, sizeof(r->etag), "%.*s", (int)vlen, v);
		return len;
	}
	if ((v = header_value(p, len, "content-type", &vlen))) {
		snprintf(r->content_type, sizeof(r->content_type), "%.*s",
		    (int)vlen, v);
		return len;
	}
	if ((v = header_value(p, len, "location", &vlen))) {
		snprintf(r->hdr_location, sizeof(r->hdr_location), "%.*s",
		    (int)vlen, v);
		return len;
	}
	if ((v = header_value(p, len, "x-rate-limit-remaining", &vlen)) ||
	    (v = header_value(p, len, "ratelimit-remaining", &vlen))) {
		if ((x = header_long(v, vlen)) >= 0)
			r->hdr_remaining = x;
	} else if ((v = header_value(p, len, "x-rate-limit", &vlen)) ||
	    (v = header_value(p, len, "ratelimit-limit", &vlen))) {
		if ((x = header_long(v, vlen)) > 0)
			h->rl_limit = x;
	} else if ((v = header_value(p, len, "retry-after", &vlen))) {
		r->hdr_retry_after = header_long(v, vlen);
	} else if ((v = header_value(p, len, "date", &vlen))) {
		r->date = http_parse_date(v, vlen);
	}
	return len;
}

/* Trace one line with secrets and control characters taken out. */
static void
trace_line(struct http *h, char dir, const char *p, size_t len)
{
	static const char *const secret[] = {
		"authorization", "proxy-authorization", "cookie",
		"set-cookie", "x-api-key",
	};
	struct buf b = BUF_INIT;
	size_t i, k;

	while (len > 0 && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	if (len == 0)
		return;
	buf_addc(&b, dir);
	buf_addc(&b, ' ');
	for (i = 0; i < ARRAY_LEN(secret); i++) {
		size_t n = strlen(secret[i]);
		const char *q = p;
		size_t ql = len;

		/* HTTP/2 traces show headers as "[name: value]" too */
		if (ql > 0 && *q == '[') {
			q++;
			ql--;
		}
		if (ql > n && strncasecmp(q, secret[i], n) == 0 &&
		    q[n] == ':') {
			buf_add(&b, p, (size_t)(q - p) + n + 1);
			/* keep the scheme word ("Basic", "Bearer") */
			for (k = n + 1; k < ql && q[k] == ' '; k++)
				;
			if (i < 2) {
				size_t e = k;

				while (e < ql && q[e] != ' ')
					e++;
				buf_addc(&b, ' ');
				text_sanitize(&b, q + k, e - k, 0);
			}
			buf_adds(&b, " <redacted>");
			goto out;
		}
	}
	text_sanitize(&b, p, len, 0);
out:
	h->o.trace(h->o.arg, b.data);
	buf_free(&b);
}

static int
on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	struct http *h = arg;
	char dir;
	size_t i, start = 0;

	(void)easy;
	switch (type) {
	case CURLINFO_TEXT:
		dir = '*';
		break;
	case CURLINFO_HEADER_IN:
		dir = '<';
		break;
	case CURLINFO_HEADER_OUT:
		dir = '>';
		break;
	default:
		/* bodies are not traced: they hold customer data */
		return 0;
	}
	for (i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			trace_line(h, dir, data + start, i - start);
			start = i + 1;
		}
	}
	return 0;
}

static int
start(struct http *h, struct http_req *r)
{
	CURL *e = curl_easy_init();
	struct buf url = BUF_INIT;

	if (e == NULL)
		return -1;
	r->h = h;
	r->easy = e;
	buf_adds(&url, h->base);
	buf_adds(&url, r->path);
	curl_easy_setopt(e, CURLOPT_URL, url.data);
	buf_free(&url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, h->protocols);
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
	curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->o.connect_timeout_ms);
	/* a server that trickles (a byte a second keeps a 1 B/s floor
	 * happy for hours) is given up like one that stalls */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 64L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, h->o.low_speed_time_s);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)h->o.max_body);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "tdesk/" TDESK_VERSION);
	if (r->if_match) {
		struct curl_slist *l;
		struct buf im = BUF_INIT;

		req_hdrs_free(r);
		for (l = h->hdrs; l; l = l->next)
			r->hdrs = curl_slist_append(r->hdrs, l->data);
		buf_printf(&im, "If-Match: %s", r->if_match);
		r->hdrs = curl_slist_append(r->hdrs, im.data);
		buf_free(&im);
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	} else
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	if (h->o.trace) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, h);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	if (strcmp(r->method, "GET") != 0) {
		/* libcurl silently sends a request again when a reused
		 * connection dies before the answer ("Connection died,
		 * retrying a fresh connect"), also after the server applied
		 * it; on its own stamp second safe_update lets the copy
		 * land too. A fresh connection is never retried that way:
		 * the push's look-before-resend decides instead. */
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body ? r->body : "");
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE,
		    (long)(r->body ? strlen(r->body) : 0));
	}
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		r->easy = NULL;
		return -1;
	}
	h->running++;
	h->sent++;
	if (h->rl_known)
		h->rl_tokens -= 1.0;
	return 0;
}

static void
rate_refill(struct http *h, int64_t now)
{
	if (h->rl_limit > 0 && now > h->rl_at) {
		h->rl_tokens += (double)(now - h->rl_at) * h->rl_limit /
		    60000.0;
		if (h->rl_tokens > h->rl_limit)
			h->rl_tokens = h->rl_limit;
	}
	h->rl_at = now;
}

/* An answer said how many requests remain (requests still running may
 * or may not be counted in it: assume they are not). */
static void
rate_learn(struct http *h, long remaining)
{
	/* servers round the remaining budget down: add back half a request */
	double t = (double)remaining - h->running + (remaining > 0 ? 0.5 : 0);

	rate_refill(h, http_now());
	if (!h->rl_known || t < h->rl_tokens)
		h->rl_tokens = t;
	h->rl_known = 1;
}

/* Whether the rate limit lets one more request go now; else *wait_until
 * says when to look again. */
static int
rate_allows(struct http *h, int64_t now, int64_t *wait_until)
{
	if (now < h->hold_until) {
		*wait_until = h->hold_until;
		return 0;
	}
	if (!h->rl_known) {
		/* learn the budget from the first answer */
		if (h->sent == 0 || h->running == 0 || h->answered > 0)
			return 1;
		*wait_until = now + 20;
		return 0;
	}
	rate_refill(h, now);
	if (h->rl_tokens >= 1.0 || h->rl_limit <= 0)
		return 1;
	*wait_until = now + 1 + (int64_t)((1.0 - h->rl_tokens) * 60000.0 /
	    h->rl_limit);
	return 0;
}

/* Start what may start; returns when the next queued request could. */
static int64_t
start_ready(struct http *h)
{
	int64_t now = http_now(), next = INT64_MAX, w;
	struct http_req **pp = &h->queue, *r, *prev = NULL;

	while ((r = *pp) != NULL && h->running < h->o.parallel) {
		if (r->not_before > now) {
			if (r->not_before < next)
				next = r->not_before;
			prev = r;
			pp = &r->next;
			continue;
		}
		if (!rate_allows(h, now, &w)) {
			if (w < next)
				next = w;
			break;
		}
		*pp = r->next;
		if (h->queue_tail == r)
			h->queue_tail = prev;
		r->next = NULL;
		if (start(h, r) < 0) {
			r->failed = 1;
			snprintf(r->error, sizeof(r->error),
			    "cannot start a transfer");
			if (h->done_tail)
				h->done_tail->next = r;
			else
				h->done = r;
			h->done_tail = r;
		}
	}
	return next;
}

void
http_submit(struct http *h, struct http_req *r)
{
	http_req_rearm(r);
	if (h->queue_tail)
		h->queue_tail->next = r;
	else
		h->queue = r;
	h->queue_tail = r;
}

static void
finish(struct http *h, struct http_req *r, CURLcode rc)
{
	CURL *e = r->easy;
	long status = 0;
	curl_off_t ra = -1;
	char *loc = NULL;

	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK &&
	    ra > 0)
		r->retry_after = (long)ra;
	else
		r->retry_after = r->hdr_retry_after;
	if (status >= 300 && status < 400 &&
	    curl_easy_getinfo(e, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc)
		r->location = xstrdup(loc);
	if (rc != CURLE_OK) {
		r->failed = 1;
		r->unreachable = rc == CURLE_COULDNT_CONNECT ||
		    rc == CURLE_COULDNT_RESOLVE_HOST ||
		    rc == CURLE_COULDNT_RESOLVE_PROXY;
		if (rc == CURLE_FILESIZE_EXCEEDED)
			r->too_large = 1;
		if (r->too_large)
			snprintf(r->error, sizeof(r->error),
			    "the answer is larger than %zu MB",
			    h->o.max_body >> 20);
		else
			snprintf(r->error, sizeof(r->error), "%s",
			    curl_easy_strerror(rc));
	}
	curl_multi_remove_handle(h->multi, e);
	curl_easy_cleanup(e);
	r->easy = NULL;
	r->h = NULL;
	h->running--;
	if (status > 0)
		h->answered++;
	if (status == 429) {
		h->throttled++;
		rate_learn(h, 0);
		http_hold(h, http_now() + 1000 * (r->retry_after > 0 ?
		    r->retry_after : 1));
	} else if (r->hdr_remaining >= 0)
		rate_learn(h, r->hdr_remaining);
	if (h->done_tail)
		h->done_tail->next = r;
	else
		h->done = r;
	h->done_tail = r;
}

void
http_poke(struct http *h)
{
	int still;

	start_ready(h);
	curl_multi_perform(h->multi, &still);
}

struct http_req *
http_next(struct http *h)
{
	for (;;) {
		struct http_req *r;
		CURLMsg *m;
		int left, still;
		int64_t next, now;
		long wait;

		if ((r = h->done) != NULL) {
			h->done = r->next;
			if (h->done == NULL)
				h->done_tail = NULL;
			r->next = NULL;
			return r;
		}
		next = start_ready(h);
		if (h->done)
			continue;
		if (h->running == 0 && h->queue == NULL)
			return NULL;
		curl_multi_perform(h->multi, &still);
		while ((m = curl_multi_info_read(h->multi, &left)) != NULL) {
			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
			    (char **)&r);
			finish(h, r, m->data.result);
		}
		if (h->done)
			continue;
		now = http_now();
		wait = 1000;
		if (next != INT64_MAX && next - now < wait)
			wait = next > now ? (long)(next - now) : 0;
		if (h->running > 0)
			curl_multi_poll(h->multi, NULL, 0, (int)wait, NULL);
		else if (wait > 0) {
			struct timespec ts = { wait / 1000,
			    (wait % 1000) * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
}

void
http_add_escaped(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c)) {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}
