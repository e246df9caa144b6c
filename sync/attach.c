/* SPDX-License-Identifier: MIT */
/*
 * Attachments, fetched on demand: the URL came from the server but its
 * text is the customer's business (a file name, a link a sender chose),
 * so it is fetched only from the desk's own origin, with the desk's
 * credentials, verified TLS, a size cap and no redirect that carries the
 * credentials elsewhere.
 */
#include "sync/sync_int.h"

#include <curl/curl.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct origin {
	char *scheme, *host, *port, *path, *query;
};

static void
origin_free(struct origin *o)
{
	curl_free(o->scheme);
	curl_free(o->host);
	curl_free(o->port);
	curl_free(o->path);
	curl_free(o->query);
	memset(o, 0, sizeof(*o));
}

static int
origin_parse(const char *url, struct origin *o, struct tdesk_err *err)
{
	CURLU *u = curl_url();
	int ok;

	memset(o, 0, sizeof(*o));
	ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &o->scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &o->host, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PORT, &o->port, CURLU_DEFAULT_PORT) ==
	    CURLUE_OK &&
	    curl_url_get(u, CURLUPART_PATH, &o->path, 0) == CURLUE_OK;
	if (ok && curl_url_get(u, CURLUPART_QUERY, &o->query, 0) !=
	    CURLUE_OK)
		o->query = NULL;
	curl_url_cleanup(u);
	if (!ok) {
		origin_free(o);
		return err_set(err, TDESK_EUSAGE, "the attachment's address "
		    "is not a URL");
	}
	return 0;
}

static int
write_all(int fd, const char *p, size_t n, struct tdesk_err *err)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return err_set(err, errno == ENOSPC || errno == EFBIG ||
			    errno == EDQUOT ? TDESK_ENOSPACE : TDESK_EGENERIC,
			    "cannot write the attachment: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* GET o's path from o's origin with auth (may be NULL); r is returned
 * finished, or NULL with err. */
static struct http_req *
fetch(const struct origin *o, const char *auth, int64_t max_bytes,
    struct tdesk_err *err)
{
	struct http_opts ho = { 0 };
	struct http *h;
	struct http_req *r, *got;
	char *base, *path;

	base = xasprintf("%s://%s:%s", o->scheme, o->host, o->port);
	ho.base_url = base;
	ho.auth_header = auth;
	ho.parallel = 1;
	ho.max_body = (size_t)max_bytes;
	h = http_new(&ho, err);
	free(base);
	if (h == NULL)
		return NULL;
	path = xasprintf("%s%s%s", o->path, o->query ? "?" : "",
	    o->query ? o->query : "");
	r = http_req_new("GET", path, NULL);
	free(path);
	http_submit(h, r);
	got = http_next(h);
	http_free(h);
	if (got == NULL) {
		err_set(err, TDESK_ENETWORK, "the attachment was not fetched");
		return NULL;
	}
	return got;
}

int
sync_fetch_attachment(const struct sync_remote *remote, const char *url,
    int64_t max_bytes, int out_fd, int64_t *written, struct tdesk_err *err)
{
	struct origin desk = { 0 }, att = { 0 };
	struct http_req *r = NULL;
	char *auth = NULL;
	int rc = -1;

	*written = 0;
	if (max_bytes <= 0)
		return err_set(err, TDESK_EUSAGE, "the size limit must be "
		    "positive");
	if (sync_url_check(remote->url, err) < 0)
		return -1;
	if (url == NULL || *url == '\0')
		return err_set(err, TDESK_ENOTFOUND, "the server gave no address"
		    " for this attachment");
	if (sync_url_check(url, err) < 0) {
		err->kind = TDESK_EUSAGE;
		return -1;
	}
	if (origin_parse(remote->url, &desk, err) < 0 ||
	    origin_parse(url, &att, err) < 0)
		goto done;
	if (strcasecmp(desk.scheme, att.scheme) != 0 ||
	    strcasecmp(desk.host, att.host) != 0 ||
	    strcmp(desk.port, att.port) != 0) {
		err_set(err, TDESK_EUSAGE, "refused: the attachment's address "
		    "is on %s, not on the desk's host %s", att.host,
		    desk.host);
		goto done;
	}
	if (token_load(remote, &auth, err) < 0)
		goto done;
	r = fetch(&att, auth, max_bytes, err);
	token_free(auth);
	auth = NULL;
	if (r == NULL)
		goto done;
	if (r->status >= 300 && r->status < 400 && r->location) {
		/* Zendesk hands the bytes out from a storage host: follow
		 * one hop there, without the desk's credentials */
		struct origin to = { 0 };
		char *loc = xstrdup(r->location);

		http_req_free(r);
		r = NULL;
		if (sync_url_check(loc, err) < 0 ||
		    origin_parse(loc, &to, err) < 0) {
			free(loc);
			goto done;
		}
		free(loc);
		r = fetch(&to, NULL, max_bytes, err);
		origin_free(&to);
		if (r == NULL)
			goto done;
	}
	if (r->too_large) {
		err_set(err, TDESK_EUSAGE, "refused: the attachment is larger "
		    "than the limit of %lld bytes (see --max-size)",
		    (long long)max_bytes);
		goto done;
	}
	if (r->failed) {
		err_set(err, TDESK_ENETWORK, "cannot fetch the attachment: %s",
		    r->error);
		goto done;
	}
	if (r->status == 401 || r->status == 403) {
		err_set(err, TDESK_EAUTH, "the server refused the desk's "
		    "credentials for this attachment (HTTP %ld)", r->status);
		goto done;
	}
	if (r->status == 404) {
		err_set(err, TDESK_ENOTFOUND, "the server no longer has this "
		    "attachment (HTTP 404)");
		goto done;
	}
	if (r->status != 200) {
		err_set(err, TDESK_ENETWORK, "cannot fetch the attachment: the "
		    "server answered HTTP %ld", r->status);
		goto done;
	}
	if (write_all(out_fd, r->resp.data ? r->resp.data : "", r->resp.len,
	    err) < 0)
		goto done;
	*written = (int64_t)r->resp.len;
	rc = 0;
done:
	if (auth)
		token_free(auth);
	if (r)
		http_req_free(r);
	origin_free(&desk);
	origin_free(&att);
	return rc;
}
