/* SPDX-License-Identifier: MIT */
/*
 * The store's side of safety: the reply guard on the write path (with the
 * ticket's secret hashes, so a quoted-back secret is caught), redaction
 * of customer text at ingest with its salted hashes and the ticket's
 * secret flag, and the audit log as a hash chain.
 */
#include "store/store_int.h"
#include "store/guard.h"
#include "store/redact.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- the desk's salt ------------------------------------------------------ */

const char *
store_salt(struct store *st)
{
	uint8_t r[16];
	char hex[33];
	int fd, known;

	if (st->salt)
		return st->salt;
	known = store_state_lookup(st, "redact.salt", &st->salt, NULL);
	if (known == 1 && strlen(st->salt) == 32)
		return st->salt;
	free(st->salt);
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, r, sizeof(r)) != (ssize_t)sizeof(r))
		BUG("cannot read /dev/urandom");
	close(fd);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	st->salt = xstrdup(hex);
	/* a new desk's salt (or one in place of a malformed one) is kept;
	 * when the desk's could not be read, this one serves this run only
	 * and the desk's stays as it is */
	if (!st->readonly && known >= 0)
		store_state_set(st, "redact.salt", hex, NULL);
	return st->salt;
}

/* --- guard ----------------------------------------------------------------- */

void
store_set_guard(struct store *st, const struct guard_config *g)
{
	st->guard = g;
}

static int
load_hashes(struct store *st, int64_t ticket_id, struct redact_hashes *hs,
    struct tdesk_err *err)
{
	/* the ticket's own secrets and the desk-wide ones (ticket 0) */
	sqlite3_stmt *s = store_prepare(st, "SELECT hash FROM secrets"
	    " WHERE ticket_id IN (?1, 0)", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, ticket_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		redact_hashes_add(hs, store_col_text(s, 0));
	store_done(st, s);
	if (rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	if (hs->n)
		hs->salt = xstrdup(store_salt(st));
	return 0;
}

int
store_guard_ticket(struct store *st, int64_t ticket_id, const char *text,
    const char *lang, struct guard_result *out, struct tdesk_err *err)
{
	struct redact_hashes hs = { 0 };
	struct guard_config *def = NULL;
	const struct guard_config *g = st->guard;

	if (ticket_id && load_hashes(st, ticket_id, &hs, err) < 0)
		return -1;
	if (g == NULL)
		g = def = guard_config_new();
	guard_check(g, text, strlen(text), lang, &hs, out);
	guard_config_free(def);
	redact_hashes_free(&hs);
	return 0;
}

int
store_guard_gate(struct store *st, int64_t ticket_id, const char *text,
    const char *override, struct tdesk_err *err)
{
	struct guard_result r = { 0 };
	struct buf why = BUF_INIT;
	int rc = 0;

	if (store_guard_ticket(st, ticket_id, text, NULL, &r, err) < 0)
		return -1;
	if (r.verdict == GUARD_BLOCK) {
		for (size_t i = 0; i < r.n; i++)
			if (r.r[i].level == GUARD_BLOCK)
				buf_printf(&why, "%s%s", why.len ? ", " : "",
				    r.r[i].rule);
		if (override == NULL || *override == '\0') {
			rc = err_set(err, TDESK_EBLOCKED, "the reply guard "
			    "blocks this reply to #%lld (%s); give an "
			    "override with a reason to send it anyway",
			    (long long)ticket_id, why.data);
		} else {
			struct buf d = BUF_INIT;
			buf_printf(&d, "blocked by %s; overridden: %s",
			    why.data, override);
			rc = store_audit(st, "guard-override", ticket_id,
			    d.data, err);
			buf_free(&d);
		}
	}
	buf_free(&why);
	guard_result_free(&r);
	return rc;
}

/* --- secrets at ingest ---------------------------------------------------- */

void
store_set_redact(struct store *st, int on)
{
	st->no_redact = !on;
}

size_t
store_redact_text(struct store *st, const char *s, size_t len,
    struct buf *out, struct store_secrets *acc)
{
	struct redact_result res = { 0 };
	size_t n;

	if (st->no_redact)
		return 0;
	/* findings first: a text without secrets (nearly all) is kept by
	 * the caller as it is, not copied here */
	if ((n = redact_text(s, len, store_salt(st), NULL, &res)) == 0) {
		redact_result_free(&res);
		return 0;
	}
	redact_render(s, len, &res, out);
	if (acc)
		store_secrets_add(acc, &res);
	redact_result_free(&res);
	return n;
}

void
store_secrets_add(struct store_secrets *acc, const struct redact_result *res)
{
	const char *h = res->hashes.data;

	for (size_t i = 0; i < res->n; i++) {
		const char *k = res->f[i].kind;
		if (!strstr(acc->kinds.data ? acc->kinds.data : "", k))
			buf_printf(&acc->kinds, "%s%s", acc->kinds.len ? " " :
			    "", k);
	}
	for (size_t i = 0; i < res->n_hashes; i++) {
		buf_add(&acc->hashes, h, 33);
		h += 33;
	}
	acc->found += res->n;
}

char *
store_redact_note(struct store *st, const char *text)
{
	struct redact_result res = { 0 };
	struct buf out = BUF_INIT;
	char *r = NULL;

	if (redact_text(text, strlen(text), store_salt(st), &out, &res))
		r = buf_detach(&out);
	buf_free(&out);
	redact_result_free(&res);
	return r;
}

int
store_secrets_flush(struct store *st, int64_t ticket_id,
    struct store_secrets *acc, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	int rc = 0;

	if (acc->found == 0)
		return 0;
	s = store_prepare(st, "INSERT OR IGNORE INTO secrets(ticket_id,"
	    " hash, created_at) VALUES(?1, ?2, ?3)", err);
	if (s == NULL)
		return -1;
	for (size_t off = 0; off + 33 <= acc->hashes.len && rc == 0;
	    off += 33) {
		sqlite3_bind_int64(s, 1, ticket_id);
		sqlite3_bind_text(s, 2, acc->hashes.data + off, 32,
		    SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, time_now());
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_dberr(st, err, "cannot write");
		sqlite3_reset(s);
	}
	store_done(st, s);
	if (rc == 0 && ticket_id) {
		/* the first time: a flag and a suggested note */
		s = store_prepare(st, "INSERT INTO secret_flags(ticket_id,"
		    " kinds, first_at) VALUES(?1, ?2, ?3) ON CONFLICT"
		    " (ticket_id) DO UPDATE SET kinds = kinds || ' ' ||"
		    " excluded.kinds WHERE instr(kinds, excluded.kinds) = 0",
		    err);
		if (s == NULL)
			return -1;
		sqlite3_bind_int64(s, 1, ticket_id);
		sqlite3_bind_text(s, 2, acc->kinds.data, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, time_now());
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = store_dberr(st, err, "cannot write");
		store_done(st, s);
	}
	buf_reset(&acc->hashes);
	buf_reset(&acc->kinds);
	acc->found = 0;
	return rc;
}

void
store_secrets_free(struct store_secrets *acc)
{
	buf_free(&acc->hashes);
	buf_free(&acc->kinds);
	acc->found = 0;
}

int
store_secret_flag(struct store *st, int64_t ticket_id, char **kinds,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT kinds FROM secret_flags"
	    " WHERE ticket_id = ?1", err);
	int rc = store_step_id(s, ticket_id);

	*kinds = NULL;
	if (rc == SQLITE_ROW)
		*kinds = xstrdup(store_col_text(s, 0));
	return store_step_end(st, s, rc, err);
}

void
store_secret_note(const char *kinds, struct buf *out)
{
	int seed = strstr(kinds, "seed-phrase") != NULL;
	int key = strstr(kinds, "key") != NULL || strstr(kinds, "xprv");

	buf_printf(out, "Customer exposed %s in this ticket (redacted in "
	    "tdesk): treat %s as compromised; advise moving funds to a new "
	    "wallet they create themselves and never sharing it again.",
	    seed ? "a seed phrase" : key ? "a private key" :
	    strstr(kinds, "password") ? "a password" :
	    strstr(kinds, "otp") ? "a 2FA code" : "a secret",
	    seed || key ? "the wallet" : "the account credentials");
}

/* --- the audit chain ------------------------------------------------------ */

static void
audit_hash(const char *prev, int64_t at, const char *action,
    int64_t ticket_id, const char *detail, char out[65])
{
	struct buf b = BUF_INIT;
	uint8_t h[32];

	buf_printf(&b, "%s\n%lld\n%s\n%lld\n", prev, (long long)at, action,
	    (long long)ticket_id);
	buf_adds(&b, detail);
	sha256(b.data, b.len, h);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
	buf_free(&b);
}

/* Append one row to the chain: the hash of the last row, then this
 * row's own. The caller holds the transaction. */
static int
audit_append(struct store *st, const char *action, int64_t ticket_id,
    const char *detail, struct tdesk_err *err)
{
	sqlite3_stmt *s;
	char prev[65] = "", hash[65];
	int64_t at = time_now();
	int rc;

	s = store_prepare(st, "SELECT hash FROM audit ORDER BY id DESC"
	    " LIMIT 1", err);
	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(prev, sizeof(prev), "%s", store_col_text(s, 0));
	store_done(st, s);
	audit_hash(prev, at, action, ticket_id, detail, hash);
	s = store_prepare(st, "INSERT INTO audit(at, action, ticket_id,"
	    " detail, prev, hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6)", err);
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, at);
	sqlite3_bind_text(s, 2, action, -1, SQLITE_STATIC);
	if (ticket_id)
		sqlite3_bind_int64(s, 3, ticket_id);
	sqlite3_bind_text(s, 4, detail, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 6, hash, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	store_done(st, s);
	return rc == SQLITE_DONE ? 0 : store_dberr(st, err, "cannot write");
}

int
store_audit(struct store *st, const char *action, int64_t ticket_id,
    const char *detail, struct tdesk_err *err)
{
	/* the chain is only as good as its order: one writer at a time */
	if (store_begin(st, err) < 0)
		return -1;
	if (audit_append(st, action, ticket_id, detail ? detail : "",
	    err) < 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st, err);
}

int
store_audit_list(struct store *st, int64_t since, store_audit_fn fn,
    void *arg, struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, at, action,"
	    " coalesce(ticket_id, 0), detail, prev, hash FROM audit"
	    " WHERE at >= ?1 ORDER BY id", err);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_audit_row r = {
			.id = sqlite3_column_int64(s, 0),
			.at = sqlite3_column_int64(s, 1),
			.action = store_col_text(s, 2),
			.ticket_id = sqlite3_column_int64(s, 3),
			.detail = store_col_text(s, 4),
			.prev = store_col_text(s, 5),
			.hash = store_col_text(s, 6),
		};
		if (fn(&r, arg))
			break;
	}
	store_done(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return 0;
}

int
store_audit_verify(struct store *st, int64_t *bad, int64_t *rows,
    struct tdesk_err *err)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT id, at, action,"
	    " coalesce(ticket_id, 0), detail, prev, hash FROM audit"
	    " ORDER BY id", err);
	char prev[65] = "", want[65];
	int rc, chained = 0;

	*bad = 0;
	*rows = 0;
	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *p = store_col_text(s, 5);
		const char *h = store_col_text(s, 6);
		(*rows)++;
		if (!chained && *h == '\0')
			continue;	/* written before the chain began */
		chained = 1;
		audit_hash(p, sqlite3_column_int64(s, 1), store_col_text(s, 2),
		    sqlite3_column_int64(s, 3), store_col_text(s, 4), want);
		if (strcmp(p, prev) != 0 || strcmp(h, want) != 0) {
			*bad = sqlite3_column_int64(s, 0);
			break;
		}
		snprintf(prev, sizeof(prev), "%s", h);
	}
	store_done(st, s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_dberr(st, err, "cannot read");
	return 0;
}
