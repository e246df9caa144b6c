/* SPDX-License-Identifier: MIT */
/*
 * libcurl, loaded when the first request is made rather than when tdesk
 * starts: libcurl brings some twenty shared libraries (TLS, Kerberos,
 * LDAP, ...) whose loading took three quarters of the instructions of a
 * `tdesk list`. This file defines the curl functions sync/ uses and
 * forwards them to the library opened with dlopen().
 */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>

#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>

#include "sync/sync_int.h"

#define CURL_SONAME "libcurl.so.4"

static void *lib;
static int failed;

static struct {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_perform)(CURLM *, int *);
	CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd *, unsigned int,
	    int, int *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	CURLU *(*url)(void);
	CURLUcode (*url_set)(CURLU *, CURLUPart, const char *, unsigned int);
	CURLUcode (*url_get)(CURLU *, CURLUPart, char **, unsigned int);
	void (*url_cleanup)(CURLU *);
	void (*free)(void *);
} fn;

int
sync_curl_load(struct tdesk_err *err)
{
	static const struct { const char *name; size_t off; } syms[] = {
#define SYM(f) { "curl_" #f, offsetof(__typeof__(fn), f) }
		SYM(global_init), SYM(easy_init), SYM(easy_setopt),
		SYM(easy_getinfo), SYM(easy_cleanup), SYM(easy_strerror),
		SYM(slist_append), SYM(slist_free_all), SYM(multi_init),
		SYM(multi_setopt), SYM(multi_add_handle),
		SYM(multi_remove_handle), SYM(multi_perform), SYM(multi_poll),
		SYM(multi_info_read), SYM(multi_cleanup), SYM(url),
		SYM(url_set), SYM(url_get), SYM(url_cleanup), SYM(free),
#undef SYM
	};

	if (lib)
		return 0;
	if (failed)
		return err_set(err, TDESK_EGENERIC, "cannot load %s",
		    CURL_SONAME);
	lib = dlopen(CURL_SONAME, RTLD_LAZY | RTLD_LOCAL);
	if (lib == NULL) {
		failed = 1;
		return err_set(err, TDESK_EGENERIC, "cannot load %s: %s "
		    "(install libcurl4)", CURL_SONAME, dlerror());
	}
	for (size_t i = 0; i < ARRAY_LEN(syms); i++) {
		void *p = dlsym(lib, syms[i].name);
		if (p == NULL) {
			dlclose(lib);
			lib = NULL;
			failed = 1;
			return err_set(err, TDESK_EGENERIC, "%s has no %s: too "
			    "old a libcurl", CURL_SONAME, syms[i].name);
		}
		*(void **)((char *)&fn + syms[i].off) = p;
	}
	return 0;
}

/* Every entry point: a library that did not load fails the call. */
#define LOADED(fail) do {						\
	if (sync_curl_load(NULL) < 0)					\
		return fail;						\
} while (0)

CURLcode
curl_global_init(long flags)
{
	LOADED(CURLE_FAILED_INIT);
	return fn.global_init(flags);
}

CURL *
curl_easy_init(void)
{
	LOADED(NULL);
	return fn.easy_init();
}

/*
 * The one argument after the option has the type its number says, by
 * libcurl's own ranges: long, object pointer, function pointer, off_t.
 */
CURLcode
curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
	va_list ap;
	CURLcode rc;

	LOADED(CURLE_FAILED_INIT);
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = fn.easy_setopt(h, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		rc = fn.easy_setopt(h, opt, va_arg(ap, void *));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = fn.easy_setopt(h, opt, va_arg(ap, void (*)(void)));
	else if (opt < CURLOPTTYPE_BLOB)
		rc = fn.easy_setopt(h, opt, va_arg(ap, curl_off_t));
	else
		rc = fn.easy_setopt(h, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode
curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	va_list ap;
	CURLcode rc;

	LOADED(CURLE_FAILED_INIT);
	va_start(ap, info);
	rc = fn.easy_getinfo(h, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

void
curl_easy_cleanup(CURL *h)
{
	if (lib && h)
		fn.easy_cleanup(h);
}

const char *
curl_easy_strerror(CURLcode code)
{
	LOADED("libcurl is not loaded");
	return fn.easy_strerror(code);
}

struct curl_slist *
curl_slist_append(struct curl_slist *l, const char *s)
{
	LOADED(NULL);
	return fn.slist_append(l, s);
}

void
curl_slist_free_all(struct curl_slist *l)
{
	if (lib && l)
		fn.slist_free_all(l);
}

CURLM *
curl_multi_init(void)
{
	LOADED(NULL);
	return fn.multi_init();
}

CURLMcode
curl_multi_setopt(CURLM *m, CURLMoption opt, ...)
{
	va_list ap;
	CURLMcode rc;

	LOADED(CURLM_INTERNAL_ERROR);
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = fn.multi_setopt(m, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		rc = fn.multi_setopt(m, opt, va_arg(ap, void *));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = fn.multi_setopt(m, opt, va_arg(ap, void (*)(void)));
	else
		rc = fn.multi_setopt(m, opt, va_arg(ap, curl_off_t));
	va_end(ap);
	return rc;
}

CURLMcode
curl_multi_add_handle(CURLM *m, CURL *h)
{
	LOADED(CURLM_INTERNAL_ERROR);
	return fn.multi_add_handle(m, h);
}

CURLMcode
curl_multi_remove_handle(CURLM *m, CURL *h)
{
	LOADED(CURLM_INTERNAL_ERROR);
	return fn.multi_remove_handle(m, h);
}

CURLMcode
curl_multi_perform(CURLM *m, int *running)
{
	LOADED(CURLM_INTERNAL_ERROR);
	return fn.multi_perform(m, running);
}

CURLMcode
curl_multi_poll(CURLM *m, struct curl_waitfd *fds, unsigned int n,
    int timeout_ms, int *numfds)
{
	LOADED(CURLM_INTERNAL_ERROR);
	return fn.multi_poll(m, fds, n, timeout_ms, numfds);
}

CURLMsg *
curl_multi_info_read(CURLM *m, int *left)
{
	LOADED(NULL);
	return fn.multi_info_read(m, left);
}

CURLMcode
curl_multi_cleanup(CURLM *m)
{
	if (lib == NULL || m == NULL)
		return CURLM_OK;
	return fn.multi_cleanup(m);
}

CURLU *
curl_url(void)
{
	LOADED(NULL);
	return fn.url();
}

CURLUcode
curl_url_set(CURLU *u, CURLUPart part, const char *s, unsigned int flags)
{
	if (u == NULL || sync_curl_load(NULL) < 0)
		return CURLUE_BAD_HANDLE;
	return fn.url_set(u, part, s, flags);
}

CURLUcode
curl_url_get(CURLU *u, CURLUPart part, char **out, unsigned int flags)
{
	if (u == NULL || sync_curl_load(NULL) < 0)
		return CURLUE_BAD_HANDLE;
	return fn.url_get(u, part, out, flags);
}

void
curl_url_cleanup(CURLU *u)
{
	if (lib && u)
		fn.url_cleanup(u);
}

void
curl_free(void *p)
{
	if (lib && p)
		fn.free(p);
}
